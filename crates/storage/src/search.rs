//! Text search over directives and award decisions, for the API's cross-entity search.
//!
//! People, organizations, meetings and sources have folded search columns and are searched by
//! their own filters. Directives and award decisions have none for their prose (a directive's
//! summary, a decision's reason), so these searches read the few text columns in id-ordered
//! batches and compare folded words in Rust: correct on both engines without a migration, and
//! bounded in memory. A folded search column would turn them into indexed queries once the
//! tables grow large.

use gazette_domain::award::AwardDecision;
use gazette_domain::award::form::AwardForm;
use gazette_domain::directive::Directive;
use gazette_domain::ids::{AwardDecisionId, DirectiveId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::Database;
use crate::convert::from_json_text;
use crate::entity::{award_decision, directive};
use crate::error::StorageError;
use crate::people::search_words;

/// How many rows one scanning statement reads.
const SCAN_BATCH: u64 = 500;

/// At most this many words of a search are used, so that a pasted paragraph cannot make every
/// comparison long.
const MAX_SEARCH_WORDS: usize = 8;

/// The most results one search may ask for.
pub const MAX_SEARCH_RESULTS: usize = 100;

/// A decision's searchable columns: id, number, form (JSON), achievement field and reason.
type DecisionTexts = (Uuid, Option<String>, String, Option<String>, Option<String>);

/// The folded words of a search, or an input error when it has no letter or digit.
fn query_words(text: &str) -> Result<Vec<String>, StorageError> {
    let mut words = search_words(text);
    if words.is_empty() {
        return Err(StorageError::InvalidInput(format!(
            "the search {:?} has no letters or digits",
            text.chars().take(100).collect::<String>()
        )));
    }
    words.truncate(MAX_SEARCH_WORDS);
    Ok(words)
}

/// Whether every word of the search begins some word of the texts ("dan v" finds "Dân vận").
fn matches<'a>(words: &[String], texts: impl IntoIterator<Item = &'a str>) -> bool {
    let haystack: Vec<String> = texts.into_iter().flat_map(search_words).collect();
    words
        .iter()
        .all(|word| haystack.iter().any(|candidate| candidate.starts_with(word)))
}

fn check_limit(limit: usize) -> Result<(), StorageError> {
    if limit == 0 || limit > MAX_SEARCH_RESULTS {
        return Err(StorageError::InvalidInput(format!(
            "a search returns 1 to {MAX_SEARCH_RESULTS} results of each kind, not {limit}"
        )));
    }
    Ok(())
}

impl Database {
    /// Up to `limit` directives whose summary or document number contains every word of `text`
    /// as a word prefix, compared folded (case, diacritics, tone placement, đ/Ð do not
    /// matter), in the order they were recorded (by id).
    pub async fn directives_matching(
        &self,
        text: &str,
        limit: usize,
    ) -> Result<Vec<Directive>, StorageError> {
        check_limit(limit)?;
        let words = query_words(text)?;
        let mut found: Vec<DirectiveId> = Vec::new();
        let mut after: Option<Uuid> = None;
        while found.len() < limit {
            let mut select = directive::Entity::find()
                .select_only()
                .column(directive::Column::Id)
                .column(directive::Column::Summary)
                .column(directive::Column::DocumentNumber)
                .order_by_asc(directive::Column::Id)
                .limit(SCAN_BATCH);
            if let Some(after) = after {
                select = select.filter(directive::Column::Id.gt(after));
            }
            let rows: Vec<(Uuid, String, Option<String>)> =
                select.into_tuple().all(self.reader()).await?;
            let Some((last, _, _)) = rows.last() else {
                break;
            };
            after = Some(*last);
            let full = u64::try_from(rows.len()).is_ok_and(|n| n == SCAN_BATCH);
            for (id, summary, number) in &rows {
                if found.len() < limit
                    && matches(
                        &words,
                        [summary.as_str()].into_iter().chain(number.as_deref()),
                    )
                {
                    found.push(DirectiveId::from_uuid(*id));
                }
            }
            if !full {
                break;
            }
        }
        let mut directives = self.directives_by_ids(&found).await?;
        directives.sort_by_key(Directive::id);
        Ok(directives)
    }

    /// Up to `limit` award decisions whose number, form (its Vietnamese name: "Bằng khen"),
    /// achievement field or reason contains every word of `text` as a word prefix, compared
    /// folded, in the order they were recorded (by id).
    pub async fn award_decisions_matching(
        &self,
        text: &str,
        limit: usize,
    ) -> Result<Vec<AwardDecision>, StorageError> {
        check_limit(limit)?;
        let words = query_words(text)?;
        let mut found: Vec<AwardDecisionId> = Vec::new();
        let mut after: Option<Uuid> = None;
        while found.len() < limit {
            let mut select = award_decision::Entity::find()
                .select_only()
                .column(award_decision::Column::Id)
                .column(award_decision::Column::Number)
                .column(award_decision::Column::Form)
                .column(award_decision::Column::AchievementField)
                .column(award_decision::Column::AchievementReason)
                .order_by_asc(award_decision::Column::Id)
                .limit(SCAN_BATCH);
            if let Some(after) = after {
                select = select.filter(award_decision::Column::Id.gt(after));
            }
            let rows: Vec<DecisionTexts> = select.into_tuple().all(self.reader()).await?;
            let Some((last, ..)) = rows.last() else {
                break;
            };
            after = Some(*last);
            let full = u64::try_from(rows.len()).is_ok_and(|n| n == SCAN_BATCH);
            for (id, number, form, field, reason) in &rows {
                if found.len() >= limit {
                    break;
                }
                let form: AwardForm = from_json_text("award decision", id, form)?;
                let form_name = form.vietnamese_name();
                let texts = [Some(form_name.as_str()), number.as_deref()]
                    .into_iter()
                    .chain([field.as_deref(), reason.as_deref()])
                    .flatten();
                if matches(&words, texts) {
                    found.push(AwardDecisionId::from_uuid(*id));
                }
            }
            if !full {
                break;
            }
        }
        self.award_decisions_by_ids(&found).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_search_word_must_begin_a_word_of_the_text() {
        let words = query_words("dan V").unwrap();
        assert!(matches(&words, ["Ban Dân vận Thành ủy"]));
        assert!(matches(&words, ["Ban Dân", "vận động"]));
        assert!(!matches(&words, ["Ban Tuyên giáo"]));
        assert!(matches(&query_words("QĐ 163").unwrap(), ["163/QÐ-UBND"]));
        assert!(query_words(" - / ").is_err());
    }
}
