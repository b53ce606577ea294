//! Assembles draft records: gives people and organizations their keys, merges repeated
//! mentions, resolves titles to posts and organizations, and gathers warnings.

use std::collections::{BTreeMap, HashMap, HashSet};

use gazette_domain::organization::Classification;
use gazette_domain::text::fold;

use crate::draft::{OrganizationDraft, ParticipantDraft, PersonDraft, Span, TitleDraft, Warning};
use crate::org::{Context, OrgSpec, PlaceSource, Resolved};
use crate::people::{Mention, MentionKind, TitleParse, shared_committee};
use crate::tokens::Doc;

/// The most warnings a draft carries; more would bury the useful ones.
const MAX_WARNINGS: usize = 200;

/// Rounds a confidence to two decimals so that drafts compare and read cleanly.
pub(crate) fn round(confidence: f64) -> f64 {
    (confidence.clamp(0.0, 1.0) * 100.0).round() / 100.0
}

/// A readable key from a name: folded, words joined by hyphens ("pham-van-hieu").
fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in fold(name).chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push('x');
    }
    out
}

/// The draft under construction.
pub(crate) struct Builder<'a> {
    doc: &'a Doc,
    context: &'a Context,
    /// Organizations, in order of first reference.
    pub organizations: Vec<OrganizationDraft>,
    organization_index: HashMap<String, usize>,
    /// People, in order of first mention.
    pub people: Vec<PersonDraft>,
    person_index: HashMap<String, usize>,
    /// Warnings.
    pub warnings: Vec<Warning>,
    warned: HashSet<String>,
    keys: HashSet<String>,
    /// Organizations whose unit the article leaves unnamed, by unit word and whether it names
    /// several candidates: the first sentence and the names.
    missing_places: BTreeMap<(&'static str, bool), (Span, Vec<String>)>,
}

impl<'a> Builder<'a> {
    /// An empty draft over an article.
    pub(crate) fn new(doc: &'a Doc, context: &'a Context) -> Self {
        Self {
            doc,
            context,
            organizations: Vec::new(),
            organization_index: HashMap::new(),
            people: Vec::new(),
            person_index: HashMap::new(),
            warnings: Vec::new(),
            warned: HashSet::new(),
            keys: HashSet::new(),
            missing_places: BTreeMap::new(),
        }
    }

    /// The span and text of a sentence.
    pub(crate) fn sentence(&self, sent: usize) -> (Span, String) {
        match self.doc.sents.get(sent) {
            Some(s) => (
                self.doc.span_of(s.tokens.clone()),
                self.doc.text_of(s.tokens.clone()).to_owned(),
            ),
            None => (Span { start: 0, end: 0 }, String::new()),
        }
    }

    /// The span of a sentence, without copying its text (which may be long).
    pub(crate) fn sentence_span(&self, sent: usize) -> Span {
        self.doc
            .sents
            .get(sent)
            .map_or(Span { start: 0, end: 0 }, |s| {
                self.doc.span_of(s.tokens.clone())
            })
    }

    /// Adds a warning once per code and message.
    pub(crate) fn warn(&mut self, code: &str, message: String, span: Option<Span>) {
        if self.warnings.len() >= MAX_WARNINGS {
            return;
        }
        if self.warned.insert(format!("{code}\u{0}{message}")) {
            self.warnings.push(Warning {
                code: code.to_owned(),
                message,
                span,
            });
        }
        if self.warnings.len() == MAX_WARNINGS {
            self.warnings.push(Warning {
                code: "too_many_warnings".to_owned(),
                message: format!("more than {MAX_WARNINGS} warnings; the rest are left out"),
                span: None,
            });
        }
    }

    fn unique_key(&mut self, name: &str) -> String {
        let base = slug(name);
        let mut key = base.clone();
        let mut n = 2;
        while self.keys.contains(&key) {
            key = format!("{base}-{n}");
            n += 1;
        }
        self.keys.insert(key.clone());
        key
    }

    /// Registers a resolved organization (and the bodies it hangs on), returning its key.
    fn register(
        &mut self,
        resolved: &Resolved,
        written: &str,
        sent: usize,
        confidence: f64,
    ) -> String {
        let folded = fold(&resolved.name);
        if let Some(&index) = self.organization_index.get(&folded)
            && let Some(existing) = self.organizations.get(index)
        {
            return existing.key.clone();
        }
        let parent = resolved
            .parent
            .as_ref()
            .map(|parent| self.register(parent, written, sent, confidence));
        let key = self.unique_key(&resolved.name);
        let (span, quote) = self.sentence(sent);
        self.organization_index
            .insert(folded, self.organizations.len());
        self.organizations.push(OrganizationDraft {
            key: key.clone(),
            name: resolved.name.clone(),
            abbreviation: (resolved.short != resolved.name).then(|| resolved.short.clone()),
            written: written.to_owned(),
            classification: resolved.class,
            level: resolved.level,
            parent,
            span,
            quote,
            confidence: round(confidence),
        });
        key
    }

    /// Registers an organization phrase; returns its key, level and the confidence of its
    /// resolution, warning when its place is not named.
    pub(crate) fn organization(
        &mut self,
        spec: &OrgSpec,
        written: &str,
        sent: usize,
        sibling_committee: Option<&OrgSpec>,
    ) -> (String, Option<gazette_domain::organization::Level>, f64) {
        let resolved = spec.resolve(self.context, sibling_committee);
        let confidence = match resolved.place_source {
            PlaceSource::Written => 0.9,
            PlaceSource::Article => 0.85,
            PlaceSource::Publisher => 0.75,
            PlaceSource::Unknown | PlaceSource::Ambiguous => {
                if resolved.missing_unit.is_some() {
                    0.6
                } else {
                    0.8
                }
            }
        };
        if let Some(kind) = resolved.missing_unit {
            let span = self.sentence_span(sent);
            let entry = self
                .missing_places
                .entry((kind.word(), resolved.place_source == PlaceSource::Ambiguous))
                .or_insert_with(|| (span, Vec::new()));
            if !entry.1.contains(&resolved.name) && entry.1.len() < 20 {
                entry.1.push(resolved.name.clone());
            }
        }
        let key = self.register(&resolved, written, sent, confidence);
        (key, resolved.level, confidence)
    }

    /// Resolves a title to a post and an organization.
    pub(crate) fn title(
        &mut self,
        title: &TitleParse,
        sent: usize,
        siblings: &[TitleParse],
    ) -> TitleDraft {
        let text = gazette_domain::text::normalize_line(self.doc.text_of(title.tokens.clone()));
        let sibling = shared_committee(siblings);
        match &title.org {
            Some(spec) => {
                let written = title.org_tokens.clone().map_or_else(
                    || text.clone(),
                    |tokens| gazette_domain::text::normalize_line(self.doc.text_of(tokens)),
                );
                let (key, level, confidence) = self.organization(spec, &written, sent, sibling);
                TitleDraft {
                    text,
                    post: Some(title.post.clone()),
                    organization: Some(key),
                    level,
                    confidence: round(0.95 * confidence),
                }
            }
            None => TitleDraft {
                text,
                post: Some(title.post.clone()),
                organization: None,
                level: None,
                confidence: 0.5,
            },
        }
    }

    /// Records a mention: a person (merging with earlier mentions of the same folded name) with
    /// their titles. Returns the participant as it appears at this mention.
    pub(crate) fn mention(&mut self, mention: &Mention) -> ParticipantDraft {
        let titles: Vec<TitleDraft> = mention
            .titles
            .iter()
            .map(|t| self.title(t, mention.sent, &mention.titles))
            .collect();
        match &mention.kind {
            MentionKind::Person { name } => {
                let folded = fold(name);
                let index = match self.person_index.get(&folded) {
                    Some(&index) => index,
                    None => {
                        let key = self.unique_key(name);
                        let (span, quote) = self.sentence(mention.sent);
                        let confidence = if titles.is_empty() { 0.7 } else { 0.9 };
                        self.person_index.insert(folded, self.people.len());
                        self.people.push(PersonDraft {
                            key,
                            name: name.clone(),
                            titles: Vec::new(),
                            span,
                            quote,
                            confidence,
                        });
                        self.people.len() - 1
                    }
                };
                let mut capacities = Vec::new();
                if let Some(person) = self.people.get_mut(index) {
                    for title in titles {
                        let same = |t: &TitleDraft| {
                            t.organization == title.organization
                                && t.post.as_deref().map(fold) == title.post.as_deref().map(fold)
                        };
                        match person.titles.iter().find(|t| same(t)) {
                            Some(existing) => capacities.push(existing.clone()),
                            None => {
                                person.titles.push(title.clone());
                                capacities.push(title);
                            }
                        }
                    }
                    if !person.titles.is_empty() && person.confidence < 0.9 {
                        person.confidence = 0.9;
                    }
                    // Named again without a title ("đồng chí Trần Thế Dũng đề nghị"), a person
                    // acts in the posts the article gives them.
                    if capacities.is_empty() {
                        capacities.clone_from(&person.titles);
                    }
                }
                ParticipantDraft {
                    person: self.people.get(index).map(|p| p.key.clone()),
                    group: None,
                    capacities,
                }
            }
            MentionKind::TitleOnly | MentionKind::Group => ParticipantDraft {
                person: None,
                group: Some(gazette_domain::text::normalize_line(
                    self.doc.text_of(mention.tokens.clone()),
                )),
                capacities: titles,
            },
        }
    }

    /// Adds one warning per kind of unit the article leaves unnamed, listing the organizations
    /// whose names therefore lack their place.
    pub(crate) fn warn_missing_places(&mut self) {
        let missing = std::mem::take(&mut self.missing_places);
        for ((unit, ambiguous), (span, names)) in missing {
            let list = names
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let message = if ambiguous {
                format!(
                    "the article names several places of kind \"{unit}\", so which one is meant is left open in {list}"
                )
            } else {
                format!(
                    "the article does not name the {unit}, so {list} have no place in their names; give the publisher (--publisher, or a URL the publisher table knows) or edit the draft"
                )
            };
            self.warn("place_not_named", message, Some(span));
        }
    }

    /// Links departments to the People's Committee of their unit when both are in the draft.
    pub(crate) fn link_departments(&mut self) {
        let committees: HashMap<String, String> = self
            .organizations
            .iter()
            .filter(|o| o.classification == Classification::PeoplesCommittee)
            .filter_map(|o| {
                let unit = o.name.strip_prefix("Ủy ban nhân dân ")?;
                Some((fold(unit), o.key.clone()))
            })
            .collect();
        for organization in &mut self.organizations {
            if organization.classification != Classification::Department
                || organization.parent.is_some()
                || !organization.name.starts_with("Sở ")
            {
                continue;
            }
            let folded = fold(&organization.name);
            if let Some((_, key)) = committees
                .iter()
                .find(|(unit, _)| folded.ends_with(&format!(" {unit}")))
            {
                organization.parent = Some(key.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_folded_and_hyphenated() {
        assert_eq!(slug("Phạm Văn Hiểu"), "pham-van-hieu");
        assert_eq!(
            slug("Ủy ban nhân dân thành phố Cần Thơ"),
            "uy-ban-nhan-dan-thanh-pho-can-tho"
        );
        assert_eq!(
            slug("Văn phòng HĐND và UBND, thành phố"),
            "van-phong-hdnd-va-ubnd-thanh-pho"
        );
        assert_eq!(slug("!!"), "x");
    }
}
