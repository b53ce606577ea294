//! Search across people, organizations, meetings, directives and award decisions: one text box
//! for a clerk who does not know which kind of record holds the name or phrase.

use async_graphql::{Context, Object, Union};
use gazette_storage::search::MAX_SEARCH_RESULTS;
use gazette_storage::{MeetingFilter, OrganizationFilter, PageRequest, PersonFilter};

use super::awards::AwardDecisionObject;
use super::context::database;
use super::error::{ApiResult, StorageResultExt, bad_input};
use super::meetings::{DirectiveObject, MeetingObject};
use super::organizations::OrganizationObject;
use super::people::PersonObject;

/// How many results of each kind a search returns unless asked otherwise.
const DEFAULT_PER_KIND: i32 = 5;

/// The most results of each kind one search may ask for.
const MAX_PER_KIND: i32 = 20;

/// A record a search found.
#[derive(Union)]
#[expect(
    clippy::large_enum_variant,
    reason = "each value is built once and moved straight into the response; boxing would only add an allocation"
)]
pub enum SearchResult {
    /// A person whose name matches.
    Person(PersonObject),
    /// An organization whose name matches.
    Organization(OrganizationObject),
    /// A meeting whose title matches.
    Meeting(MeetingObject),
    /// A directive whose summary or document number matches.
    Directive(DirectiveObject),
    /// An award decision whose number, form, achievement field or reason matches.
    AwardDecision(AwardDecisionObject),
}

/// Cross-entity search.
#[derive(Default)]
pub struct SearchQuery;

#[Object]
impl SearchQuery {
    /// Records matching `text`, ignoring case, diacritics, tone placement and đ/Ð: people by
    /// name, organizations by name, meetings by title, directives by summary or number, award
    /// decisions by number, form, field or reason. Up to `first` (1 to 20, default 5) of each
    /// kind, in that order of kinds; within a kind, in its list order (people in the official
    /// order, organizations by name, meetings and directives by date, decisions as recorded).
    #[graphql(complexity = "5 * first.unwrap_or(5).clamp(1, 20) as usize * child_complexity")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        text: String,
        first: Option<i32>,
    ) -> ApiResult<Vec<SearchResult>> {
        let per_kind = first.unwrap_or(DEFAULT_PER_KIND);
        if !(1..=MAX_PER_KIND).contains(&per_kind) {
            return Err(bad_input(
                "first",
                format!(
                    "a search returns 1 to {MAX_PER_KIND} records of each kind, not {per_kind}"
                ),
            ));
        }
        if !text.chars().any(char::is_alphanumeric) {
            return Err(bad_input(
                "text",
                "a search needs at least one letter or digit",
            ));
        }
        // `per_kind` is between 1 and 20 here, within what the storage search allows.
        let limit = (per_kind.unsigned_abs() as usize).min(MAX_SEARCH_RESULTS);
        let page = PageRequest::new(Some(i64::from(per_kind)), None, None, None).api()?;
        let db = database(ctx)?;
        let people_filter = PersonFilter {
            name: Some(text.clone()),
            ..PersonFilter::default()
        };
        let organization_filter = OrganizationFilter {
            name: Some(text.clone()),
            ..OrganizationFilter::default()
        };
        let meeting_filter = MeetingFilter {
            title: Some(text.clone()),
            ..MeetingFilter::default()
        };
        let (people, organizations, meetings, directives, decisions) = futures_util::try_join!(
            db.people_bare(&people_filter, &page),
            db.organizations(&organization_filter, &page),
            db.meetings(&meeting_filter, &page),
            db.directives_matching(&text, limit),
            db.award_decisions_matching(&text, limit),
        )
        .api()?;
        let mut results = Vec::new();
        results.extend(
            people
                .edges
                .into_iter()
                .map(|e| SearchResult::Person(PersonObject(e.node))),
        );
        results.extend(
            organizations
                .edges
                .into_iter()
                .map(|e| SearchResult::Organization(OrganizationObject(e.node))),
        );
        results.extend(
            meetings
                .edges
                .into_iter()
                .map(|e| SearchResult::Meeting(MeetingObject(e.node))),
        );
        results.extend(
            directives
                .into_iter()
                .map(|d| SearchResult::Directive(DirectiveObject(d))),
        );
        results.extend(
            decisions
                .into_iter()
                .map(|d| SearchResult::AwardDecision(AwardDecisionObject::whole(d))),
        );
        Ok(results)
    }
}
