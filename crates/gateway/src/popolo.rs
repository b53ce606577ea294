//! Popolo JSON (<https://www.popoloproject.com>): export the registry's people, organizations,
//! posts, holdings and meetings as one Popolo document, and import such a document back as an
//! upsert, all or nothing. `docs/exchange.md` describes the format field by field.
//!
//! # The document
//!
//! `{"persons": [...], "organizations": [...], "posts": [...], "memberships": [...],
//! "events": [...], "gazette_sources": [...]}`: Gazette's people, organizations and posts, its
//! holdings as memberships and its meetings as events, under the names the Popolo specification
//! gives their fields (partial dates as `"YYYY"`, `"YYYY-MM"` or `"YYYY-MM-DD"`; an event's time
//! in UTC with `Z`). Every record's `id` is its Gazette UUID, repeated as an identifier of the
//! `gazette` scheme, so a re-import finds it again. What Popolo has no field for (a post's seats,
//! a holding's kind, term and end reason, a meeting's chairs, an organization's level and
//! predecessors) is in the record's `gazette` object; Popolo allows additional properties. A
//! record's `sources` are the citations of it (`{url, note}`, with the cited source's id in
//! `gazette.source_id`; a source without a URL is linked as `urn:uuid:<id>`), and
//! `gazette_sources` lists every source in full, so that an export imported into an empty
//! database and exported again gives the same bytes.
//!
//! The export streams: it reads the database a page at a time in id order and writes each
//! record on its own line, so its memory does not grow with the database.
//!
//! # Import
//!
//! [`import`] reads the document element by element (one record's JSON at a time, never the
//! whole document as one value), checks every record and every reference inside the file, then
//! matches each record with the database: by its `gazette` identifier, then by its other
//! identifiers (`wikidata`, `everypolitician`, ...), then by folded name in context (an
//! organization with the same parent and classification; a person holding a post the file
//! gives them; a post of the same organization and title; a holding of the same person and
//! post over an overlapping period; a meeting of the same organizer, title and date). A match
//! is updated with the file's values (a field the file leaves out keeps its stored value;
//! identifiers and other names are added to), anything unmatched is created, and the writes go
//! to the database in one transaction, all or nothing, through [`Database::apply`]. The report
//! says what was created, updated and left unchanged and which records were merged by
//! identifier or name; importing the same file twice changes nothing the second time.
//!
//! A file that is not JSON, names a record the file and the database do not hold, gives an
//! impossible date or breaks a rule (a post over its seats, ...) is rejected with the JSON
//! pointer (or line and column) of the first problem and the number of the others, and nothing
//! is written.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::io::{self, Read};

use chrono::{DateTime, Duration, FixedOffset, NaiveDateTime};
use gazette_domain::date::{PartialDate, PartialDateTime, Period};
use gazette_domain::holding::{EndReason, Holding, HoldingDetails, HoldingKind, TermLabel};
use gazette_domain::identifier::{Identifier, OtherName};
use gazette_domain::ids::{
    CitationId, HoldingId, MeetingId, OrganizationId, PersonId, PostId, SourceId,
};
use gazette_domain::meeting::{Meeting, MeetingDetails, MeetingKind, Participant};
use gazette_domain::name::PersonName;
use gazette_domain::organization::{
    Classification, Level, Organization, OrganizationDetails, Succession, SuccessionKind,
};
use gazette_domain::person::{Gender, Person, PersonDetails};
use gazette_domain::post::{Post, PostDetails, Seats};
use gazette_domain::source::{
    Citation, CitationDetails, Source, SourceDetails, SourceKind, Subject, Url,
};
use gazette_domain::text::{Text, fold};
use gazette_storage::export::EXPORT_PAGE_SIZE;
use gazette_storage::{Actor, Database, StorageError, Write};
use serde::Serialize;
use serde::de::{DeserializeSeed, Deserializer as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use uuid::Uuid;

/// The identifier scheme whose identifier is a record's Gazette UUID.
pub const GAZETTE_SCHEME: &str = "gazette";

/// The top-level key of the list of sources in full (a Gazette extension).
pub const SOURCES_KEY: &str = "gazette_sources";

/// The key of a record's Gazette extension object.
pub const EXTENSION_KEY: &str = "gazette";

/// Vietnam's offset from UTC: meetings are dated in local time, Popolo events in UTC.
const LOCAL_OFFSET_HOURS: i64 = 7;

/// The event classifications read as legislative periods (terms) rather than meetings.
const TERM_CLASSIFICATIONS: [&str; 4] = [
    "legislative period",
    "legislative_period",
    "legislative-period",
    "term",
];

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// People.
    pub persons: u64,
    /// Organizations.
    pub organizations: u64,
    /// Posts.
    pub posts: u64,
    /// Holdings, as memberships.
    pub memberships: u64,
    /// Meetings, as events.
    pub events: u64,
    /// Sources.
    pub sources: u64,
}

impl fmt::Display for ExportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} persons, {} organizations, {} posts, {} memberships, {} events, {} sources",
            self.persons,
            self.organizations,
            self.posts,
            self.memberships,
            self.events,
            self.sources
        )
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the database failed.
    #[error("reading the database: {0}")]
    Storage(#[from] StorageError),
    /// Writing the output failed.
    #[error("writing the export: {0}")]
    Io(#[from] io::Error),
    /// A record could not be encoded (it should always be).
    #[error("encoding a record: {0}")]
    Json(#[from] serde_json::Error),
}

#[derive(Serialize)]
struct OutIdentifier<'a> {
    scheme: &'a str,
    identifier: &'a str,
}

#[derive(Serialize)]
struct OutOtherName<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
}

#[derive(Serialize, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct OutLinkExtension {
    source_id: Uuid,
}

#[derive(Serialize, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct OutLink {
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    gazette: OutLinkExtension,
}

#[derive(Serialize)]
struct PersonExtension<'a> {
    sort_override: &'a str,
}

#[derive(Serialize)]
struct OutPerson<'a> {
    id: Uuid,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    family_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    given_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    additional_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    other_names: Vec<OutOtherName<'a>>,
    identifiers: Vec<OutIdentifier<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gender: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    birth_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    death_date: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<OutLink>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gazette: Option<PersonExtension<'a>>,
}

#[derive(Serialize)]
struct OutPredecessor {
    organization_id: Uuid,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
}

#[derive(Serialize)]
struct OrganizationExtension<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    abbreviation: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    predecessors: Vec<OutPredecessor>,
}

#[derive(Serialize)]
struct OutOrganization<'a> {
    id: Uuid,
    name: &'a str,
    classification: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    founding_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dissolution_date: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    other_names: Vec<OutOtherName<'a>>,
    identifiers: Vec<OutIdentifier<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<OutLink>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gazette: Option<OrganizationExtension<'a>>,
}

#[derive(Serialize)]
struct PostExtension {
    /// `null` for an unlimited number of seats.
    seats: Option<u32>,
}

#[derive(Serialize)]
struct OutPost<'a> {
    id: Uuid,
    label: &'a str,
    role: &'a str,
    organization_id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
    identifiers: Vec<OutIdentifier<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<OutLink>,
    gazette: PostExtension,
}

#[derive(Serialize)]
struct MembershipExtension<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    term: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    document: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_reason: Option<&'a EndReason>,
}

#[derive(Serialize)]
struct OutMembership<'a> {
    id: Uuid,
    person_id: Uuid,
    post_id: Uuid,
    organization_id: Uuid,
    role: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
    identifiers: Vec<OutIdentifier<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<OutLink>,
    gazette: MembershipExtension<'a>,
}

#[derive(Serialize)]
struct OutParticipant {
    person_id: Uuid,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    post_ids: Vec<Uuid>,
}

#[derive(Serialize)]
struct EventExtension<'a> {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    chairs: Vec<OutParticipant>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attendees: Vec<OutParticipant>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    agenda: Vec<&'a str>,
}

#[derive(Serialize)]
struct OutEvent<'a> {
    id: Uuid,
    name: &'a str,
    classification: &'static str,
    start_date: String,
    organization_id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a str>,
    identifiers: Vec<OutIdentifier<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<OutLink>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gazette: Option<EventExtension<'a>>,
}

/// Writes the document's sections and records, one record per line.
struct DocumentWriter<'w, W: io::Write> {
    out: &'w mut W,
    sections: usize,
    records_in_section: u64,
}

impl<'w, W: io::Write> DocumentWriter<'w, W> {
    fn new(out: &'w mut W) -> Self {
        Self {
            out,
            sections: 0,
            records_in_section: 0,
        }
    }

    fn begin(&mut self, name: &str) -> io::Result<()> {
        let lead = if self.sections == 0 { "{\n" } else { ",\n" };
        write!(self.out, "{lead}  \"{name}\": [")?;
        self.sections += 1;
        self.records_in_section = 0;
        Ok(())
    }

    fn record(&mut self, value: &impl Serialize) -> Result<(), ExportError> {
        let lead = if self.records_in_section == 0 {
            "\n    "
        } else {
            ",\n    "
        };
        self.out.write_all(lead.as_bytes())?;
        serde_json::to_writer(&mut *self.out, value)?;
        self.records_in_section += 1;
        Ok(())
    }

    fn end(&mut self) -> io::Result<u64> {
        if self.records_in_section > 0 {
            self.out.write_all(b"\n  ]")?;
        } else {
            self.out.write_all(b"]")?;
        }
        Ok(self.records_in_section)
    }

    fn finish(self) -> io::Result<()> {
        if self.sections == 0 {
            self.out.write_all(b"{")?;
        }
        self.out.write_all(b"\n}\n")?;
        self.out.flush()
    }
}

fn date_text(date: Option<PartialDate>) -> Option<String> {
    date.map(|d| d.to_string())
}

fn out_identifiers<'a>(identifiers: &'a [Identifier], own: &'a str) -> Vec<OutIdentifier<'a>> {
    let mut out = vec![OutIdentifier {
        scheme: GAZETTE_SCHEME,
        identifier: own,
    }];
    out.extend(
        identifiers
            .iter()
            .filter(|i| i.scheme() != GAZETTE_SCHEME)
            .map(|i| OutIdentifier {
                scheme: i.scheme(),
                identifier: i.value(),
            }),
    );
    out
}

fn out_other_names(names: &[OtherName]) -> Vec<OutOtherName<'_>> {
    names
        .iter()
        .map(|other| OutOtherName {
            name: other.name.as_str(),
            note: other.note.as_ref().map(Text::as_str),
            start_date: date_text(other.period.start()),
            end_date: date_text(other.period.end()),
        })
        .collect()
}

/// An event's `start_date`: the date alone, or the local time converted to UTC with `Z`.
fn event_start(held_at: PartialDateTime) -> String {
    match held_at.as_date_time() {
        Some(local) => (local - Duration::hours(LOCAL_OFFSET_HOURS))
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
        None => held_at.date().to_string(),
    }
}

/// The citations of `subjects` as Popolo links, in a stable order (by source, then note).
async fn links_of(
    db: &Database,
    subjects: &[Subject],
) -> Result<HashMap<Subject, Vec<OutLink>>, StorageError> {
    let cited = db.citations_of(subjects).await?;
    let source_ids: Vec<SourceId> = cited
        .values()
        .flatten()
        .map(|c| c.source)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let urls: HashMap<SourceId, Option<String>> = db
        .sources_by_ids(&source_ids)
        .await?
        .into_iter()
        .map(|s| (s.id(), s.url.as_ref().map(ToString::to_string)))
        .collect();
    Ok(cited
        .into_iter()
        .map(|(subject, citations)| {
            let mut links: Vec<OutLink> = citations
                .iter()
                .map(|citation| OutLink {
                    url: urls
                        .get(&citation.source)
                        .cloned()
                        .flatten()
                        .unwrap_or_else(|| format!("urn:uuid:{}", citation.source)),
                    note: citation.note.as_ref().map(ToString::to_string),
                    gazette: OutLinkExtension {
                        source_id: citation.source.as_uuid(),
                    },
                })
                .collect();
            links.sort_by(|a, b| (&a.gazette, &a.note).cmp(&(&b.gazette, &b.note)));
            (subject, links)
        })
        .collect())
}

fn out_participants(participants: &[Participant]) -> Vec<OutParticipant> {
    participants
        .iter()
        .map(|p| OutParticipant {
            person_id: p.person.as_uuid(),
            post_ids: p.capacities.iter().map(PostId::as_uuid).collect(),
        })
        .collect()
}

fn succession_code(kind: SuccessionKind) -> &'static str {
    match kind {
        SuccessionKind::Merger => "merger",
        SuccessionKind::Split => "split",
        SuccessionKind::Reorganization => "reorganization",
    }
}

/// Writes the whole registry's people, organizations, posts, holdings, meetings and sources
/// as one Popolo document to `out`, a page of records at a time.
pub async fn export(db: &Database, out: &mut impl io::Write) -> Result<ExportSummary, ExportError> {
    let mut summary = ExportSummary::default();
    let mut writer = DocumentWriter::new(out);

    writer.begin("persons")?;
    let mut after = None;
    loop {
        let page = db.people_after(after, EXPORT_PAGE_SIZE).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id());
        let subjects: Vec<Subject> = page.iter().map(|p| Subject::Person(p.id())).collect();
        let mut links = links_of(db, &subjects).await?;
        for person in &page {
            let own = person.id().to_string();
            let name = &person.name;
            let non_empty = |s: &'_ str| -> bool { !s.is_empty() };
            writer.record(&OutPerson {
                id: person.id().as_uuid(),
                name: name.full(),
                family_name: Some(name.family()).filter(|s| non_empty(s)),
                given_name: Some(name.given()).filter(|s| non_empty(s)),
                additional_name: Some(name.middle()).filter(|s| non_empty(s)),
                other_names: out_other_names(&person.other_names),
                identifiers: out_identifiers(&person.identifiers, &own),
                gender: person.gender.map(Gender::code),
                birth_date: date_text(person.birth_date),
                death_date: date_text(person.death_date),
                sources: links
                    .remove(&Subject::Person(person.id()))
                    .unwrap_or_default(),
                gazette: name
                    .sort_override()
                    .map(|sort_override| PersonExtension { sort_override }),
            })?;
        }
        if (page.len() as u64) < EXPORT_PAGE_SIZE {
            break;
        }
    }
    summary.persons = writer.end()?;

    writer.begin("organizations")?;
    let mut after = None;
    loop {
        let page = db.organizations_after(after, EXPORT_PAGE_SIZE).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id());
        let subjects: Vec<Subject> = page.iter().map(|o| Subject::Organization(o.id())).collect();
        let mut links = links_of(db, &subjects).await?;
        for organization in &page {
            let own = organization.id().to_string();
            let predecessors: Vec<OutPredecessor> = organization
                .predecessors
                .iter()
                .map(|s| OutPredecessor {
                    organization_id: s.predecessor.as_uuid(),
                    kind: succession_code(s.kind),
                    date: date_text(s.date),
                })
                .collect();
            let extension = (organization.abbreviation.is_some()
                || organization.level.is_some()
                || !predecessors.is_empty())
            .then(|| OrganizationExtension {
                abbreviation: organization.abbreviation.as_ref().map(Text::as_str),
                level: organization.level.map(Level::code),
                predecessors,
            });
            writer.record(&OutOrganization {
                id: organization.id().as_uuid(),
                name: organization.name.as_str(),
                classification: organization.classification.code(),
                parent_id: organization.parent.map(|p| p.as_uuid()),
                founding_date: date_text(organization.life.start()),
                dissolution_date: date_text(organization.life.end()),
                other_names: out_other_names(&organization.other_names),
                identifiers: out_identifiers(&organization.identifiers, &own),
                sources: links
                    .remove(&Subject::Organization(organization.id()))
                    .unwrap_or_default(),
                gazette: extension,
            })?;
        }
        if (page.len() as u64) < EXPORT_PAGE_SIZE {
            break;
        }
    }
    summary.organizations = writer.end()?;

    writer.begin("posts")?;
    let mut after = None;
    loop {
        let page = db.posts_after(after, EXPORT_PAGE_SIZE).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id());
        let subjects: Vec<Subject> = page.iter().map(|p| Subject::Post(p.id())).collect();
        let mut links = links_of(db, &subjects).await?;
        for post in &page {
            let own = post.id().to_string();
            writer.record(&OutPost {
                id: post.id().as_uuid(),
                label: post.title.as_str(),
                role: post.title.as_str(),
                organization_id: post.organization.as_uuid(),
                start_date: date_text(post.life.start()),
                end_date: date_text(post.life.end()),
                identifiers: out_identifiers(&[], &own),
                sources: links.remove(&Subject::Post(post.id())).unwrap_or_default(),
                gazette: PostExtension {
                    seats: post.seats.limit(),
                },
            })?;
        }
        if (page.len() as u64) < EXPORT_PAGE_SIZE {
            break;
        }
    }
    summary.posts = writer.end()?;

    writer.begin("memberships")?;
    let mut after = None;
    loop {
        let page = db.holdings_after(after, EXPORT_PAGE_SIZE).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id());
        let subjects: Vec<Subject> = page.iter().map(|h| Subject::Holding(h.id())).collect();
        let mut links = links_of(db, &subjects).await?;
        let post_ids: Vec<PostId> = page
            .iter()
            .map(|h| h.post)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let posts: HashMap<PostId, Post> = db
            .posts_by_ids(&post_ids)
            .await?
            .into_iter()
            .map(|p| (p.id(), p))
            .collect();
        for holding in &page {
            let post = posts
                .get(&holding.post)
                .ok_or_else(|| StorageError::NotFound {
                    kind: PostId::KIND,
                    id: holding.post.to_string(),
                })?;
            let own = holding.id().to_string();
            writer.record(&OutMembership {
                id: holding.id().as_uuid(),
                person_id: holding.person.as_uuid(),
                post_id: holding.post.as_uuid(),
                organization_id: post.organization.as_uuid(),
                role: post.title.as_str(),
                start_date: date_text(holding.period.start()),
                end_date: date_text(holding.period.end()),
                identifiers: out_identifiers(&[], &own),
                sources: links
                    .remove(&Subject::Holding(holding.id()))
                    .unwrap_or_default(),
                gazette: MembershipExtension {
                    kind: holding.kind.code(),
                    term: holding.term.map(|t| t.to_string()),
                    document: holding.document.as_ref().map(Text::as_str),
                    end_reason: holding.end_reason.as_ref(),
                },
            })?;
        }
        if (page.len() as u64) < EXPORT_PAGE_SIZE {
            break;
        }
    }
    summary.memberships = writer.end()?;

    writer.begin("events")?;
    let mut after = None;
    loop {
        let page = db.meetings_after(after, EXPORT_PAGE_SIZE).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id());
        let subjects: Vec<Subject> = page.iter().map(|m| Subject::Meeting(m.id())).collect();
        let mut links = links_of(db, &subjects).await?;
        for meeting in &page {
            let own = meeting.id().to_string();
            let extension = EventExtension {
                chairs: out_participants(&meeting.chairs),
                attendees: out_participants(&meeting.attendees),
                agenda: meeting.agenda.iter().map(Text::as_str).collect(),
            };
            let empty = extension.chairs.is_empty()
                && extension.attendees.is_empty()
                && extension.agenda.is_empty();
            writer.record(&OutEvent {
                id: meeting.id().as_uuid(),
                name: meeting.title.as_str(),
                classification: meeting.kind.code(),
                start_date: event_start(meeting.held_at),
                organization_id: meeting.organizer.as_uuid(),
                location: meeting.location.as_ref().map(Text::as_str),
                identifiers: out_identifiers(&[], &own),
                sources: links
                    .remove(&Subject::Meeting(meeting.id()))
                    .unwrap_or_default(),
                gazette: (!empty).then_some(extension),
            })?;
        }
        if (page.len() as u64) < EXPORT_PAGE_SIZE {
            break;
        }
    }
    summary.events = writer.end()?;

    writer.begin(SOURCES_KEY)?;
    let mut after = None;
    loop {
        let page = db.sources_after(after, EXPORT_PAGE_SIZE).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id());
        for source in &page {
            writer.record(source)?;
        }
        if (page.len() as u64) < EXPORT_PAGE_SIZE {
            break;
        }
    }
    summary.sources = writer.end()?;
    writer.finish()?;
    Ok(summary)
}

// ---------------------------------------------------------------------------------------------
// Import: problems and the report
// ---------------------------------------------------------------------------------------------

/// Where in the file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A JSON pointer (RFC 6901): `/memberships/17/start_date`.
    Pointer(String),
    /// A line and column (from 1), for a file that is not JSON.
    Line {
        /// The line.
        line: usize,
        /// The column.
        column: usize,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Pointer(pointer) if pointer.is_empty() => f.write_str("the document"),
            Self::Pointer(pointer) => f.write_str(pointer),
            Self::Line { line, column } => write!(f, "line {line}, column {column}"),
        }
    }
}

/// A problem in an imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where.
    pub location: Location,
    /// What is wrong there.
    pub message: String,
}

impl Problem {
    fn at(pointer: impl Into<String>, message: impl fmt::Display) -> Self {
        Self {
            location: Location::Pointer(pointer.into()),
            message: message.to_string(),
        }
    }

    /// The JSON pointer, when the problem has one.
    #[must_use]
    pub fn pointer(&self) -> Option<&str> {
        match &self.location {
            Location::Pointer(pointer) => Some(pointer),
            Location::Line { .. } => None,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

fn more_text(more: usize) -> String {
    match more {
        0 => String::new(),
        1 => " (and 1 more problem)".to_owned(),
        n => format!(" (and {n} more problems)"),
    }
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read.
    #[error("reading the file: {0}; nothing was written")]
    Io(#[from] io::Error),
    /// The file is not JSON, not a Popolo document, or its records break a rule: the first
    /// problem and how many others were found. Nothing was written.
    #[error("{first}{}; nothing was written", more_text(*more))]
    Invalid {
        /// The first problem.
        first: Problem,
        /// How many more problems were found (a file that is not JSON is read no further than
        /// its first problem).
        more: usize,
    },
    /// The database could not be read or written for a reason that is not the file's.
    #[error("the database: {0}; nothing was written")]
    Storage(StorageError),
}

/// A record of the file merged into an existing record that did not carry its Gazette id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    /// The record in the file.
    pub pointer: String,
    /// Its kind ("person", "organization", ...).
    pub kind: &'static str,
    /// The existing record's id.
    pub id: Uuid,
    /// What matched: "identifier wikidata:Q1", "name, parent and classification", ...
    pub by: String,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Records created, by kind ("person", "organization", "post", "membership", "event",
    /// "source", "citation").
    pub created: BTreeMap<&'static str, u64>,
    /// Records updated, by kind.
    pub updated: BTreeMap<&'static str, u64>,
    /// Records of the file that matched a stored record equal to them, by kind.
    pub unchanged: BTreeMap<&'static str, u64>,
    /// The records merged by identifier or name.
    pub merges: Vec<Merge>,
    /// What the import read but did not keep ("memberships: field on_behalf_of_id ignored (3
    /// records)"), and values it mapped.
    pub notes: Vec<String>,
    /// Whether the writes were applied (false in a dry run).
    pub applied: bool,
}

impl ImportReport {
    /// The number of records created, of every kind.
    #[must_use]
    pub fn created_total(&self) -> u64 {
        self.created.values().sum()
    }

    /// The number of records updated, of every kind.
    #[must_use]
    pub fn updated_total(&self) -> u64 {
        self.updated.values().sum()
    }

    fn count(map: &mut BTreeMap<&'static str, u64>, kind: &'static str) {
        *map.entry(kind).or_default() += 1;
    }
}

fn counts_text(map: &BTreeMap<&'static str, u64>) -> String {
    if map.is_empty() {
        return "nothing".to_owned();
    }
    map.iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.applied {
            ""
        } else {
            "dry run, nothing written; would have "
        };
        writeln!(f, "{verb}created: {}", counts_text(&self.created))?;
        writeln!(f, "updated: {}", counts_text(&self.updated))?;
        writeln!(f, "unchanged: {}", counts_text(&self.unchanged))?;
        if !self.merges.is_empty() {
            writeln!(f, "merged into existing records:")?;
            for merge in &self.merges {
                writeln!(
                    f,
                    "  {} -> {} {} (by {})",
                    merge.pointer, merge.kind, merge.id, merge.by
                )?;
            }
        }
        for note in &self.notes {
            writeln!(f, "note: {note}")?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Import: reading the file
// ---------------------------------------------------------------------------------------------

/// Escapes a key for a JSON pointer (RFC 6901).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The fields of one JSON object, with its pointer for messages.
#[derive(Clone, Copy)]
struct Fields<'a> {
    map: &'a Map<String, Value>,
    at: &'a str,
}

impl<'a> Fields<'a> {
    fn of(value: &'a Value, at: &'a str) -> Result<Self, Problem> {
        match value {
            Value::Object(map) => Ok(Self { map, at }),
            other => Err(Problem::at(
                at,
                format!("expected an object, found {}", kind_of(other)),
            )),
        }
    }

    fn pointer(&self, key: &str) -> String {
        format!("{}/{}", self.at, escape(key))
    }

    fn problem(&self, key: &str, message: impl fmt::Display) -> Problem {
        Problem::at(self.pointer(key), message)
    }

    /// A string field; absent, `null` or blank is `None`.
    fn string(&self, key: &str) -> Result<Option<&'a str>, Problem> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => {
                Err(self.problem(key, format!("expected a string, found {}", kind_of(other))))
            }
        }
    }

    fn required(&self, key: &str) -> Result<&'a str, Problem> {
        self.string(key)?
            .ok_or_else(|| self.problem(key, "is required"))
    }

    /// A reference to another record: a string, or a number taken as its decimal text.
    fn reference(&self, key: &str) -> Result<Option<String>, Problem> {
        match self.map.get(key) {
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            _ => Ok(self.string(key)?.map(str::to_owned)),
        }
    }

    fn text(&self, key: &str) -> Result<Option<Text>, Problem> {
        self.string(key)?
            .map(|s| Text::parse(s).map_err(|e| self.problem(key, e)))
            .transpose()
    }

    fn date(&self, key: &str) -> Result<Option<PartialDate>, Problem> {
        self.string(key)?
            .map(|s| PartialDate::parse(s).map_err(|e| self.problem(key, format!("{s:?}: {e}"))))
            .transpose()
    }

    fn array(&self, key: &str) -> Result<&'a [Value], Problem> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => {
                Err(self.problem(key, format!("expected an array, found {}", kind_of(other))))
            }
        }
    }

    fn has(&self, key: &str) -> bool {
        !matches!(self.map.get(key), None | Some(Value::Null))
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A link of a record's `sources`.
#[derive(Debug, Clone)]
struct FileLink {
    pointer: String,
    url: Option<Url>,
    note: Option<Text>,
    source_id: Option<SourceId>,
}

/// What every record of the file has: its place, its file id, its Gazette id and identifiers,
/// and its links.
#[derive(Debug, Clone)]
struct Common {
    pointer: String,
    file_id: Option<String>,
    gazette_id: Option<Uuid>,
    identifiers: Vec<Identifier>,
    links: Vec<FileLink>,
}

#[derive(Debug, Clone)]
struct FilePerson {
    common: Common,
    name: PersonName,
    other_names: Vec<OtherName>,
    gender: Option<Gender>,
    birth_date: Option<PartialDate>,
    death_date: Option<PartialDate>,
    sort_override: Option<String>,
}

#[derive(Debug, Clone)]
struct FilePredecessor {
    pointer: String,
    organization: String,
    kind: SuccessionKind,
    date: Option<PartialDate>,
}

#[derive(Debug, Clone)]
struct FileOrganization {
    common: Common,
    name: Text,
    other_names: Vec<OtherName>,
    classification: Option<Classification>,
    parent: Option<String>,
    founding_date: Option<PartialDate>,
    dissolution_date: Option<PartialDate>,
    abbreviation: Option<Text>,
    level: Option<Level>,
    predecessors: Option<Vec<FilePredecessor>>,
}

#[derive(Debug, Clone)]
struct FilePost {
    common: Common,
    title: Text,
    organization: String,
    start_date: Option<PartialDate>,
    end_date: Option<PartialDate>,
    seats: Option<Seats>,
}

#[derive(Debug, Clone)]
struct FileMembership {
    common: Common,
    person: String,
    post: Option<String>,
    organization: Option<String>,
    role: Option<Text>,
    start_date: Option<PartialDate>,
    end_date: Option<PartialDate>,
    kind: Option<HoldingKind>,
    term: Option<TermLabel>,
    legislative_period: Option<String>,
    document: Option<Text>,
    end_reason: Option<EndReason>,
}

#[derive(Debug, Clone)]
struct FileParticipant {
    pointer: String,
    person: String,
    posts: Vec<String>,
}

#[derive(Debug, Clone)]
struct FileEvent {
    common: Common,
    title: Text,
    kind: Option<MeetingKind>,
    held_at: Option<PartialDateTime>,
    organization: Option<String>,
    location: Option<Text>,
    chairs: Option<Vec<FileParticipant>>,
    attendees: Option<Vec<FileParticipant>>,
    agenda: Option<Vec<Text>>,
}

#[derive(Debug, Clone)]
struct FileSource {
    pointer: String,
    source: Source,
}

/// Everything read from the file, and the problems found reading it.
#[derive(Debug, Default)]
struct FileData {
    persons: Vec<FilePerson>,
    organizations: Vec<FileOrganization>,
    posts: Vec<FilePost>,
    memberships: Vec<FileMembership>,
    events: Vec<FileEvent>,
    /// Legislative periods (events classified as such), by file id: the term label they
    /// give memberships, when their years make one.
    terms: HashMap<String, Option<TermLabel>>,
    sources: Vec<FileSource>,
    problems: Vec<Problem>,
    /// Fields read but not kept: (section, field) and how many records had them.
    ignored: BTreeMap<(String, String), u64>,
    /// Values mapped to Gazette's and why.
    notes: BTreeSet<String>,
    /// The file ids of the records that could not be read, by section: references to them
    /// are not problems of their own.
    failed: HashMap<&'static str, HashSet<String>>,
}

const PERSON_FIELDS: &[&str] = &[
    "id",
    "name",
    "family_name",
    "given_name",
    "additional_name",
    "sort_name",
    "other_names",
    "identifiers",
    "gender",
    "birth_date",
    "death_date",
    "sources",
    EXTENSION_KEY,
];
const ORGANIZATION_FIELDS: &[&str] = &[
    "id",
    "name",
    "other_names",
    "identifiers",
    "classification",
    "parent_id",
    "founding_date",
    "dissolution_date",
    "sources",
    EXTENSION_KEY,
];
const POST_FIELDS: &[&str] = &[
    "id",
    "label",
    "role",
    "organization_id",
    "start_date",
    "end_date",
    "identifiers",
    "sources",
    EXTENSION_KEY,
];
const MEMBERSHIP_FIELDS: &[&str] = &[
    "id",
    "person_id",
    "post_id",
    "organization_id",
    "role",
    "label",
    "start_date",
    "end_date",
    "identifiers",
    "sources",
    "legislative_period_id",
    EXTENSION_KEY,
];
const EVENT_FIELDS: &[&str] = &[
    "id",
    "name",
    "classification",
    "start_date",
    "end_date",
    "organization_id",
    "location",
    "identifiers",
    "sources",
    EXTENSION_KEY,
];

impl FileData {
    fn note_ignored(&mut self, section: &str, fields: Fields<'_>, known: &[&str]) {
        for key in fields.map.keys() {
            if !known.contains(&key.as_str()) && !fields.map[key].is_null() {
                *self
                    .ignored
                    .entry((section.to_owned(), key.clone()))
                    .or_default() += 1;
            }
        }
    }

    fn add(&mut self, section: Section, index: usize, value: &Value) {
        let pointer = format!("/{}/{index}", section.key());
        let result = match section {
            Section::Persons => self.read_person(&pointer, value),
            Section::Organizations => self.read_organization(&pointer, value),
            Section::Posts => self.read_post(&pointer, value),
            Section::Memberships => self.read_membership(&pointer, value),
            Section::Events => self.read_event(&pointer, value),
            Section::Sources => self.read_source(&pointer, value),
        };
        if let Err(problem) = result {
            self.problems.push(problem);
            let id = match value.get("id") {
                Some(Value::String(id)) => Some(id.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            };
            if let Some(id) = id {
                self.failed.entry(section.key()).or_default().insert(id);
            }
        }
    }

    fn read_common(&mut self, fields: Fields<'_>) -> Result<Common, Problem> {
        let file_id = fields.reference("id")?;
        let mut gazette_id = None;
        let mut identifiers: Vec<Identifier> = Vec::new();
        for (index, item) in fields.array("identifiers")?.iter().enumerate() {
            let at = format!("{}/{index}", fields.pointer("identifiers"));
            let entry = Fields::of(item, &at)?;
            let value = entry.required("identifier")?;
            let scheme = entry
                .string("scheme")?
                .ok_or_else(|| {
                    entry.problem("scheme", "is required: Gazette keeps identifiers by scheme")
                })?
                .trim()
                .to_ascii_lowercase();
            if scheme == GAZETTE_SCHEME {
                let uuid = Uuid::parse_str(value.trim()).map_err(|_| {
                    entry.problem(
                        "identifier",
                        format!(
                            "{value:?} is not a UUID, as identifiers of the gazette scheme are"
                        ),
                    )
                })?;
                if gazette_id.is_some_and(|known| known != uuid) {
                    return Err(entry.problem("identifier", "a record has one gazette identifier"));
                }
                gazette_id = Some(uuid);
                continue;
            }
            let identifier =
                Identifier::new(&scheme, value).map_err(|e| entry.problem("identifier", e))?;
            if !identifiers.contains(&identifier) {
                identifiers.push(identifier);
            }
        }
        let mut links = Vec::new();
        for (index, item) in fields.array("sources")?.iter().enumerate() {
            let at = format!("{}/{index}", fields.pointer("sources"));
            let link = Fields::of(item, &at)?;
            let url_text = link.required("url")?;
            let mut source_id = None;
            if let Some(extension) = link.get(EXTENSION_KEY) {
                let at = link.pointer(EXTENSION_KEY);
                let extension = Fields::of(extension, &at)?;
                if let Some(id) = extension.string("source_id")? {
                    source_id = Some(SourceId::from_uuid(Uuid::parse_str(id.trim()).map_err(
                        |_| extension.problem("source_id", format!("{id:?} is not a UUID")),
                    )?));
                }
            }
            let url = match url_text.trim().strip_prefix("urn:uuid:") {
                Some(id) => {
                    let uuid = Uuid::parse_str(id).map_err(|_| {
                        link.problem("url", format!("{url_text:?} is not a URN of a UUID"))
                    })?;
                    source_id.get_or_insert(SourceId::from_uuid(uuid));
                    None
                }
                None => Some(Url::parse(url_text).map_err(|e| link.problem("url", e))?),
            };
            links.push(FileLink {
                pointer: at.clone(),
                url,
                note: link.text("note")?,
                source_id,
            });
        }
        Ok(Common {
            pointer: fields.at.to_owned(),
            file_id,
            gazette_id,
            identifiers,
            links,
        })
    }

    fn read_other_names(fields: Fields<'_>) -> Result<Vec<OtherName>, Problem> {
        let mut names: Vec<OtherName> = Vec::new();
        for (index, item) in fields.array("other_names")?.iter().enumerate() {
            let at = format!("{}/{index}", fields.pointer("other_names"));
            let entry = Fields::of(item, &at)?;
            let name =
                Text::parse(entry.required("name")?).map_err(|e| entry.problem("name", e))?;
            let period = Period::new(entry.date("start_date")?, entry.date("end_date")?)
                .map_err(|e| entry.problem("end_date", e))?;
            let other = OtherName {
                name,
                note: entry.text("note")?,
                period,
            };
            if !names.contains(&other) {
                names.push(other);
            }
        }
        Ok(names)
    }

    fn extension<'a>(
        fields: Fields<'a>,
        at: &'a mut String,
    ) -> Result<Option<Fields<'a>>, Problem> {
        match fields.get(EXTENSION_KEY) {
            None => Ok(None),
            Some(value) => {
                *at = fields.pointer(EXTENSION_KEY);
                Fields::of(value, at).map(Some)
            }
        }
    }

    fn read_person(&mut self, pointer: &str, value: &Value) -> Result<(), Problem> {
        let fields = Fields::of(value, pointer)?;
        self.note_ignored("persons", fields, PERSON_FIELDS);
        let common = self.read_common(fields)?;
        let raw_name = fields.required("name")?;
        let name = PersonName::parse(raw_name).map_err(|e| fields.problem("name", e))?;
        let gender = match fields.string("gender")? {
            None => None,
            Some(text) => Some(parse_gender(text).ok_or_else(|| {
                fields.problem(
                    "gender",
                    format!("{text:?} is not a gender Gazette records (female, male, other)"),
                )
            })?),
        };
        let mut at = String::new();
        let sort_override = match Self::extension(fields, &mut at)? {
            Some(extension) => extension.string("sort_override")?.map(str::to_owned),
            None => None,
        };
        let person = FilePerson {
            other_names: Self::read_other_names(fields)?,
            gender,
            birth_date: fields.date("birth_date")?,
            death_date: fields.date("death_date")?,
            sort_override,
            name,
            common,
        };
        if let (Some(birth), Some(death)) = (person.birth_date, person.death_date)
            && death.last_day() < birth.first_day()
        {
            return Err(fields.problem(
                "death_date",
                format!("death date {death} is before birth date {birth}"),
            ));
        }
        self.persons.push(person);
        Ok(())
    }

    fn read_organization(&mut self, pointer: &str, value: &Value) -> Result<(), Problem> {
        let fields = Fields::of(value, pointer)?;
        self.note_ignored("organizations", fields, ORGANIZATION_FIELDS);
        let common = self.read_common(fields)?;
        let name = Text::parse(fields.required("name")?).map_err(|e| fields.problem("name", e))?;
        let classification = match fields.string("classification")? {
            None => None,
            Some(code) => {
                let found = Classification::from_code(code.trim());
                if found.is_none() {
                    self.notes.insert(format!(
                        "organization classification {code:?} is not one of Gazette's: recorded as \"other\" for new organizations"
                    ));
                }
                found
            }
        };
        let mut at = String::new();
        let (mut abbreviation, mut level, mut predecessors) = (None, None, None);
        if let Some(extension) = Self::extension(fields, &mut at)? {
            abbreviation = extension.text("abbreviation")?;
            level = match extension.string("level")? {
                None => None,
                Some(code) => Some(Level::from_code(code).ok_or_else(|| {
                    extension.problem(
                        "level",
                        format!("{code:?} is not a level (national, province, district, commune)"),
                    )
                })?),
            };
            if extension.has("predecessors") {
                let mut list = Vec::new();
                for (index, item) in extension.array("predecessors")?.iter().enumerate() {
                    let at = format!("{}/{index}", extension.pointer("predecessors"));
                    let entry = Fields::of(item, &at)?;
                    let kind = match entry.required("kind")? {
                        "merger" => SuccessionKind::Merger,
                        "split" => SuccessionKind::Split,
                        "reorganization" => SuccessionKind::Reorganization,
                        other => {
                            return Err(entry.problem(
                                "kind",
                                format!("{other:?} is not merger, split or reorganization"),
                            ));
                        }
                    };
                    list.push(FilePredecessor {
                        organization: entry
                            .reference("organization_id")?
                            .ok_or_else(|| entry.problem("organization_id", "is required"))?,
                        pointer: entry.pointer("organization_id"),
                        kind,
                        date: entry.date("date")?,
                    });
                }
                predecessors = Some(list);
            }
        }
        let founding_date = fields.date("founding_date")?;
        let dissolution_date = fields.date("dissolution_date")?;
        Period::new(founding_date, dissolution_date)
            .map_err(|e| fields.problem("dissolution_date", e))?;
        self.organizations.push(FileOrganization {
            other_names: Self::read_other_names(fields)?,
            parent: fields.reference("parent_id")?,
            classification,
            founding_date,
            dissolution_date,
            abbreviation,
            level,
            predecessors,
            name,
            common,
        });
        Ok(())
    }

    fn read_post(&mut self, pointer: &str, value: &Value) -> Result<(), Problem> {
        let fields = Fields::of(value, pointer)?;
        self.note_ignored("posts", fields, POST_FIELDS);
        let common = self.read_common(fields)?;
        let (key, title) = match fields.string("role")? {
            Some(role) => ("role", role),
            None => (
                "label",
                fields.string("label")?.ok_or_else(|| {
                    fields.problem("role", "a post needs a role or a label: its title")
                })?,
            ),
        };
        let title = Text::parse(title).map_err(|e| fields.problem(key, e))?;
        let organization = fields.reference("organization_id")?.ok_or_else(|| {
            fields.problem(
                "organization_id",
                "is required: a post belongs to an organization",
            )
        })?;
        let mut at = String::new();
        let mut seats = None;
        if let Some(extension) = Self::extension(fields, &mut at)? {
            match extension.map.get("seats") {
                None => {}
                Some(Value::Null) => seats = Some(Seats::Unlimited),
                Some(Value::Number(n)) => {
                    let n = n
                        .as_u64()
                        .and_then(|n| u32::try_from(n).ok())
                        .ok_or_else(|| {
                            extension.problem("seats", format!("{n} is not a number of seats"))
                        })?;
                    seats =
                        Some(Seats::try_from(Some(n)).map_err(|e| extension.problem("seats", e))?);
                }
                Some(other) => {
                    return Err(extension.problem(
                        "seats",
                        format!("expected a number or null, found {}", kind_of(other)),
                    ));
                }
            }
        }
        let start_date = fields.date("start_date")?;
        let end_date = fields.date("end_date")?;
        Period::new(start_date, end_date).map_err(|e| fields.problem("end_date", e))?;
        self.posts.push(FilePost {
            common,
            title,
            organization,
            start_date,
            end_date,
            seats,
        });
        Ok(())
    }

    fn read_membership(&mut self, pointer: &str, value: &Value) -> Result<(), Problem> {
        let fields = Fields::of(value, pointer)?;
        self.note_ignored("memberships", fields, MEMBERSHIP_FIELDS);
        let common = self.read_common(fields)?;
        let person = fields.reference("person_id")?.ok_or_else(|| {
            fields.problem(
                "person_id",
                "is required: Gazette records people holding posts, not organizations as members",
            )
        })?;
        let post = fields.reference("post_id")?;
        let organization = fields.reference("organization_id")?;
        if post.is_none() && organization.is_none() {
            return Err(fields.problem(
                "post_id",
                "a membership needs a post_id, or an organization_id (and role) to hold a post of",
            ));
        }
        let start_date = fields.date("start_date")?;
        let end_date = fields.date("end_date")?;
        Period::new(start_date, end_date).map_err(|e| fields.problem("end_date", e))?;
        let mut at = String::new();
        let (mut kind, mut term, mut document, mut end_reason) = (None, None, None, None);
        if let Some(extension) = Self::extension(fields, &mut at)? {
            kind = match extension.string("kind")? {
                None => None,
                Some(code) => Some(HoldingKind::from_code(code).ok_or_else(|| {
                    extension.problem(
                        "kind",
                        format!("{code:?} is not elected, appointed, acting or concurrent"),
                    )
                })?),
            };
            term = match extension.string("term")? {
                None => None,
                Some(text) => {
                    Some(TermLabel::parse(text).map_err(|e| extension.problem("term", e))?)
                }
            };
            document = extension.text("document")?;
            end_reason = match extension.get("end_reason") {
                None => None,
                Some(value) => Some(
                    serde_json::from_value::<EndReason>(value.clone())
                        .map_err(|e| extension.problem("end_reason", e))?,
                ),
            };
        }
        if end_reason.is_some() && end_date.is_none() {
            return Err(
                fields.problem("end_date", "a holding with an end reason needs an end date")
            );
        }
        let role = fields.text("role")?.or(fields.text("label")?);
        self.memberships.push(FileMembership {
            legislative_period: fields.reference("legislative_period_id")?,
            common,
            person,
            post,
            organization,
            role,
            start_date,
            end_date,
            kind,
            term,
            document,
            end_reason,
        });
        Ok(())
    }

    fn read_participants(
        extension: Fields<'_>,
        key: &str,
    ) -> Result<Option<Vec<FileParticipant>>, Problem> {
        if !extension.has(key) {
            return Ok(None);
        }
        let mut list = Vec::new();
        for (index, item) in extension.array(key)?.iter().enumerate() {
            let at = format!("{}/{index}", extension.pointer(key));
            let entry = Fields::of(item, &at)?;
            let person = entry
                .reference("person_id")?
                .ok_or_else(|| entry.problem("person_id", "is required"))?;
            let mut posts = Vec::new();
            for (position, post) in entry.array("post_ids")?.iter().enumerate() {
                match post {
                    Value::String(id) => posts.push(id.clone()),
                    other => {
                        return Err(Problem::at(
                            format!("{}/{position}", entry.pointer("post_ids")),
                            format!("expected a post id, found {}", kind_of(other)),
                        ));
                    }
                }
            }
            list.push(FileParticipant {
                pointer: at.clone(),
                person,
                posts,
            });
        }
        Ok(Some(list))
    }

    fn read_event(&mut self, pointer: &str, value: &Value) -> Result<(), Problem> {
        let fields = Fields::of(value, pointer)?;
        self.note_ignored("events", fields, EVENT_FIELDS);
        let classification = fields.string("classification")?;
        if let Some(classification) = classification
            && TERM_CLASSIFICATIONS.contains(&classification.trim().to_lowercase().as_str())
        {
            let term = match (fields.date("start_date"), fields.date("end_date")) {
                (Ok(Some(start)), Ok(Some(end))) => {
                    TermLabel::parse(&format!("{}-{}", start.year_number(), end.year_number())).ok()
                }
                _ => None,
            };
            if let Some(id) = fields.reference("id")? {
                self.terms.insert(id, term);
            }
            self.notes.insert(
                "events classified as legislative periods are read as the terms of the memberships that name them, not as meetings".to_owned(),
            );
            return Ok(());
        }
        let common = self.read_common(fields)?;
        let title = Text::parse(fields.required("name")?).map_err(|e| fields.problem("name", e))?;
        let kind = match classification {
            None => None,
            Some(code) => {
                let found = MeetingKind::from_code(code.trim());
                if found.is_none() {
                    self.notes.insert(format!(
                        "event classification {code:?} is not a kind of meeting Gazette knows: recorded as \"other\" for new meetings"
                    ));
                }
                found
            }
        };
        let held_at = fields
            .string("start_date")?
            .map(|text| {
                parse_event_time(text)
                    .map_err(|e| fields.problem("start_date", format!("{text:?}: {e}")))
            })
            .transpose()?;
        let mut at = String::new();
        let (mut chairs, mut attendees, mut agenda) = (None, None, None);
        if let Some(extension) = Self::extension(fields, &mut at)? {
            chairs = Self::read_participants(extension, "chairs")?;
            attendees = Self::read_participants(extension, "attendees")?;
            if extension.has("agenda") {
                let mut items = Vec::new();
                for (index, item) in extension.array("agenda")?.iter().enumerate() {
                    let at = format!("{}/{index}", extension.pointer("agenda"));
                    let text = item.as_str().ok_or_else(|| {
                        Problem::at(&at, format!("expected a string, found {}", kind_of(item)))
                    })?;
                    items.push(Text::parse(text).map_err(|e| Problem::at(&at, e))?);
                }
                agenda = Some(items);
            }
        }
        self.events.push(FileEvent {
            organization: fields.reference("organization_id")?,
            location: fields.text("location")?,
            common,
            title,
            kind,
            held_at,
            chairs,
            attendees,
            agenda,
        });
        Ok(())
    }

    fn read_source(&mut self, pointer: &str, value: &Value) -> Result<(), Problem> {
        let source: Source = serde_json::from_value(value.clone())
            .map_err(|e| Problem::at(pointer, format!("not a Gazette source: {e}")))?;
        self.sources.push(FileSource {
            pointer: pointer.to_owned(),
            source,
        });
        Ok(())
    }
}

fn parse_gender(text: &str) -> Option<Gender> {
    let folded = fold(text);
    match folded.as_str() {
        "female" | "f" | "nu" | "woman" => Some(Gender::Female),
        "male" | "m" | "nam" | "man" => Some(Gender::Male),
        "other" => Some(Gender::Other),
        _ => None,
    }
}

/// An event's `start_date`: a partial date, a local date and time, or a time with `Z` or an
/// offset, converted to Vietnam's local time.
fn parse_event_time(text: &str) -> Result<PartialDateTime, String> {
    let text = text.trim();
    let zoned = text.contains('T')
        && (text.ends_with('Z') || text.ends_with('z') || {
            let time = text.rsplit_once('T').map_or("", |(_, t)| t);
            time.contains('+') || time.contains('-')
        });
    if !zoned {
        return PartialDateTime::parse(text).map_err(|e| e.to_string());
    }
    let utc: NaiveDateTime = match DateTime::parse_from_rfc3339(text) {
        Ok(at) => at.naive_utc(),
        Err(_) => {
            let bare = text.trim_end_matches(['Z', 'z']);
            NaiveDateTime::parse_from_str(bare, "%Y-%m-%dT%H:%M:%S")
                .or_else(|_| NaiveDateTime::parse_from_str(bare, "%Y-%m-%dT%H:%M"))
                .map_err(|_| {
                    "not a date, nor a date and time in UTC (YYYY-MM-DDTHH:MM[:SS]Z)".to_owned()
                })?
        }
    };
    let local_offset =
        FixedOffset::east_opt(i32::try_from(LOCAL_OFFSET_HOURS * 3600).unwrap_or(7 * 3600))
            .ok_or_else(|| "no local offset".to_owned())?;
    let local = utc + Duration::seconds(i64::from(local_offset.local_minus_utc()));
    PartialDateTime::new(local.date().into(), Some(local.time())).map_err(|e| e.to_string())
}

/// The sections of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Persons,
    Organizations,
    Posts,
    Memberships,
    Events,
    Sources,
}

impl Section {
    fn key(self) -> &'static str {
        match self {
            Self::Persons => "persons",
            Self::Organizations => "organizations",
            Self::Posts => "posts",
            Self::Memberships => "memberships",
            Self::Events => "events",
            Self::Sources => SOURCES_KEY,
        }
    }

    fn of(key: &str) -> Option<Self> {
        [
            Self::Persons,
            Self::Organizations,
            Self::Posts,
            Self::Memberships,
            Self::Events,
            Self::Sources,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }
}

/// Reads the top-level object, handing each section's elements to the collector one at a time.
struct DocumentVisitor<'c> {
    data: &'c mut FileData,
}

impl<'de> Visitor<'de> for DocumentVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Popolo document: an object with persons, organizations, posts, memberships and events")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            match Section::of(&key) {
                Some(section) => {
                    if !seen.insert(section.key()) {
                        return Err(serde::de::Error::custom(format!(
                            "the section {key:?} is given twice"
                        )));
                    }
                    map.next_value_seed(SectionSeed {
                        section,
                        data: self.data,
                    })?;
                }
                None => {
                    map.next_value::<Unkept>()?;
                    self.data
                        .notes
                        .insert(format!("the top-level key {key:?} was ignored"));
                }
            }
        }
        Ok(())
    }
}

/// A value the import reads through without keeping it (a top-level key it does not know).
/// Not serde's `IgnoredAny`: serde_json skips that without checking that its strings are UTF-8,
/// so a file that is not JSON would pass when its flaw is under such a key (found by fuzzing).
struct Unkept;

impl<'de> serde::Deserialize<'de> for Unkept {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UnkeptVisitor)
    }
}

struct UnkeptVisitor;

impl<'de> Visitor<'de> for UnkeptVisitor {
    type Value = Unkept;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Unkept, E> {
        Ok(Unkept)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Unkept, E> {
        Ok(Unkept)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Unkept, E> {
        Ok(Unkept)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Unkept, E> {
        Ok(Unkept)
    }

    fn visit_str<E>(self, _: &str) -> Result<Unkept, E> {
        Ok(Unkept)
    }

    fn visit_unit<E>(self) -> Result<Unkept, E> {
        Ok(Unkept)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Unkept, A::Error> {
        while seq.next_element::<Unkept>()?.is_some() {}
        Ok(Unkept)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unkept, A::Error> {
        while map.next_key::<Unkept>()?.is_some() {
            map.next_value::<Unkept>()?;
        }
        Ok(Unkept)
    }
}

struct SectionSeed<'c> {
    section: Section,
    data: &'c mut FileData,
}

impl<'de> DeserializeSeed<'de> for SectionSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for SectionSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an array of {}", self.section.key())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        // One element's JSON at a time: the document is never held whole.
        while let Some(value) = seq.next_element::<Value>()? {
            self.data.add(self.section, index, &value);
            index += 1;
        }
        Ok(())
    }
}

/// Reads a document from `reader`, element by element.
fn read_document(reader: impl Read) -> Result<FileData, ImportError> {
    let mut data = FileData::default();
    let mut deserializer = serde_json::Deserializer::from_reader(io::BufReader::new(reader));
    let outcome = (&mut deserializer)
        .deserialize_map(DocumentVisitor { data: &mut data })
        .and_then(|()| deserializer.end());
    if let Err(error) = outcome {
        if error.is_io() {
            return Err(ImportError::Io(io::Error::other(error.to_string())));
        }
        let message = error.to_string();
        // serde_json appends " at line L column C"; the location says it already.
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(head, _)| head)
            .to_owned();
        return Err(ImportError::Invalid {
            first: Problem {
                location: Location::Line {
                    line: error.line(),
                    column: error.column(),
                },
                message: format!("{message} (the file is read no further)"),
            },
            more: data.problems.len(),
        });
    }
    Ok(data)
}

/// Reads and checks a Popolo document without a database: what [`import`] does with a file
/// before it matches any record with the stored ones (every record read and checked, file ids
/// used once, no cycle of parents or predecessors among the organizations). `Ok` holds the
/// problems found (none when the file passes these checks; [`import`] rejects a file with any
/// of them); `Err` is a file that is not a Popolo document or could not be read. It is
/// the entry point of the `popolo` fuzz target (`crates/gateway/fuzz`).
pub fn check_document(reader: impl Read) -> Result<Vec<Problem>, ImportError> {
    let mut data = read_document(reader)?;
    let mut problems = std::mem::take(&mut data.problems);
    let organization_index = index_ids(data.organizations.iter().map(|o| &o.common), &mut problems);
    index_ids(data.posts.iter().map(|p| &p.common), &mut problems);
    index_ids(data.persons.iter().map(|p| &p.common), &mut problems);
    index_ids(data.memberships.iter().map(|m| &m.common), &mut problems);
    index_ids(data.events.iter().map(|e| &e.common), &mut problems);
    organization_order(&data.organizations, &organization_index, &mut problems);
    Ok(problems)
}

// ---------------------------------------------------------------------------------------------
// Import: matching and planning
// ---------------------------------------------------------------------------------------------

/// How a record of the file was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resolution {
    /// It matched this stored record.
    Existing(Uuid),
    /// It will be created with this id.
    New(Uuid),
}

impl Resolution {
    fn id(self) -> Uuid {
        match self {
            Self::Existing(id) | Self::New(id) => id,
        }
    }

    fn exists(self) -> bool {
        matches!(self, Self::Existing(_))
    }
}

/// The writes an import makes, with the file pointer each comes from.
struct Planner<'d> {
    db: &'d Database,
    problems: Vec<Problem>,
    writes: Vec<Write>,
    pointers: Vec<String>,
    report: ImportReport,
    /// Stored records claimed by a record of the file, so two cannot merge into one.
    claimed: HashMap<Uuid, String>,
    /// The problems that are unresolved references: (index in `problems`, kind, reference).
    unresolved: Vec<(usize, &'static str, String)>,
}

fn storage(error: StorageError) -> ImportError {
    ImportError::Storage(error)
}

impl Planner<'_> {
    fn push(&mut self, pointer: &str, write: Write) {
        self.writes.push(write);
        self.pointers.push(pointer.to_owned());
    }

    /// A reference that names no record: a problem, unless it names a record of the file that
    /// is a problem itself (reported already), which is then not counted twice.
    fn unresolved(&mut self, pointer: impl Into<String>, kind: &'static str, reference: &str) {
        self.unresolved
            .push((self.problems.len(), kind, reference.to_owned()));
        self.problems.push(Problem::at(
            pointer,
            format!("{reference:?} names no {kind} of the file or the database"),
        ));
    }

    fn claim(&mut self, id: Uuid, pointer: &str) -> bool {
        match self.claimed.get(&id) {
            Some(other) if other != pointer => {
                self.problems.push(Problem::at(
                    pointer,
                    format!("matches the stored record {id}, which {other} matches too"),
                ));
                false
            }
            _ => {
                self.claimed.insert(id, pointer.to_owned());
                true
            }
        }
    }

    fn merged(&mut self, pointer: &str, kind: &'static str, id: Uuid, by: String) {
        self.report.merges.push(Merge {
            pointer: pointer.to_owned(),
            kind,
            id,
            by,
        });
    }
}

/// Indexes the file ids of a section; a file id given twice is a problem.
fn index_ids<'a>(
    records: impl Iterator<Item = &'a Common>,
    problems: &mut Vec<Problem>,
) -> HashMap<String, usize> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut pointers: Vec<&str> = Vec::new();
    for (position, common) in records.enumerate() {
        pointers.push(&common.pointer);
        if let Some(id) = &common.file_id {
            if let Some(first) = index.get(id) {
                problems.push(Problem::at(
                    format!("{}/id", common.pointer),
                    format!("the id {id:?} is used by {} too", pointers[*first]),
                ));
            } else {
                index.insert(id.clone(), position);
            }
        }
    }
    index
}

/// Resolves a reference: a record of the file (by its file id), else a stored record whose
/// UUID the reference is.
fn resolve_reference(
    reference: &str,
    in_file: &HashMap<String, usize>,
    resolved: &[Option<Resolution>],
    stored: &HashSet<Uuid>,
) -> Option<Uuid> {
    match in_file.get(reference) {
        Some(&position) => resolved
            .get(position)
            .copied()
            .flatten()
            .map(Resolution::id),
        None => Uuid::parse_str(reference.trim())
            .ok()
            .filter(|uuid| stored.contains(uuid)),
    }
}

/// The references of a section that name no record of the file but may name stored ones.
fn outside_references<'a>(
    references: impl Iterator<Item = &'a str>,
    in_file: &HashMap<String, usize>,
) -> Vec<Uuid> {
    references
        .filter(|r| !in_file.contains_key(*r))
        .filter_map(|r| Uuid::parse_str(r.trim()).ok())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn union<T: PartialEq + Clone>(stored: &[T], file: &[T]) -> Vec<T> {
    let mut merged = stored.to_vec();
    for item in file {
        if !merged.contains(item) {
            merged.push(item.clone());
        }
    }
    merged
}

fn with_dates(
    base: Period,
    start: Option<PartialDate>,
    end: Option<PartialDate>,
) -> Result<Period, gazette_domain::date::PeriodError> {
    Period::new(start.or(base.start()), end.or(base.end()))
}

/// Imports a Popolo document from `reader` as `actor`: reads and checks it whole, matches its
/// records with the stored ones, and writes every creation and update in one transaction, all
/// or nothing. With `dry_run`, nothing is written and the report says what would be.
pub async fn import(
    db: &Database,
    actor: &Actor,
    reader: impl Read,
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    let data = read_document(reader)?;
    let FileData {
        persons,
        organizations,
        posts,
        memberships,
        events,
        terms,
        sources,
        problems,
        ignored,
        notes,
        failed,
    } = data;
    let mut planner = Planner {
        db,
        problems,
        writes: Vec::new(),
        pointers: Vec::new(),
        report: ImportReport::default(),
        claimed: HashMap::new(),
        unresolved: Vec::new(),
    };
    for ((section, field), count) in ignored {
        planner.report.notes.push(format!(
            "{section}: field {field:?} ignored ({count} record{})",
            if count == 1 { "" } else { "s" }
        ));
    }
    planner.report.notes.extend(notes);

    let mut problems = std::mem::take(&mut planner.problems);
    let organization_index = index_ids(organizations.iter().map(|o| &o.common), &mut problems);
    let post_index = index_ids(posts.iter().map(|p| &p.common), &mut problems);
    let person_index = index_ids(persons.iter().map(|p| &p.common), &mut problems);
    let _membership_index = index_ids(memberships.iter().map(|m| &m.common), &mut problems);
    let _event_index = index_ids(events.iter().map(|e| &e.common), &mut problems);
    planner.problems = problems;

    // Sources given in full.
    let source_plan = plan_sources(&mut planner, &sources).await?;

    // Organizations, parents and predecessors first.
    let organization_refs: Vec<&str> = organizations
        .iter()
        .flat_map(|o| {
            o.parent.iter().map(String::as_str).chain(
                o.predecessors
                    .iter()
                    .flatten()
                    .map(|p| p.organization.as_str()),
            )
        })
        .chain(posts.iter().map(|p| p.organization.as_str()))
        .chain(memberships.iter().filter_map(|m| m.organization.as_deref()))
        .chain(events.iter().filter_map(|e| e.organization.as_deref()))
        .collect();
    let stored_organizations: HashSet<Uuid> = {
        let ids: Vec<OrganizationId> =
            outside_references(organization_refs.into_iter(), &organization_index)
                .into_iter()
                .map(OrganizationId::from_uuid)
                .collect();
        db.organizations_by_ids(&ids)
            .await
            .map_err(storage)?
            .into_iter()
            .map(|o| o.id().as_uuid())
            .collect()
    };
    let organization_ids = plan_organizations(
        &mut planner,
        &organizations,
        &organization_index,
        &stored_organizations,
    )
    .await?;

    // Posts: those the file lists, then those its memberships imply.
    let post_refs: Vec<&str> = memberships
        .iter()
        .filter_map(|m| m.post.as_deref())
        .chain(events.iter().flat_map(|e| {
            e.chairs
                .iter()
                .flatten()
                .chain(e.attendees.iter().flatten())
                .flat_map(|p| p.posts.iter().map(String::as_str))
        }))
        .collect();
    let stored_posts: HashMap<Uuid, Post> = {
        let ids: Vec<PostId> = outside_references(post_refs.into_iter(), &post_index)
            .into_iter()
            .map(PostId::from_uuid)
            .collect();
        db.posts_by_ids(&ids)
            .await
            .map_err(storage)?
            .into_iter()
            .map(|p| (p.id().as_uuid(), p))
            .collect()
    };
    let stored_post_ids: HashSet<Uuid> = stored_posts.keys().copied().collect();
    let organization_resolve = |reference: &str| {
        resolve_reference(
            reference,
            &organization_index,
            &organization_ids,
            &stored_organizations,
        )
    };
    let mut posts_plan = PostPlan::default();
    plan_posts(
        &mut planner,
        &posts,
        &organization_resolve,
        &organization_ids,
        &organizations,
        &mut posts_plan,
    )
    .await?;
    // Memberships without a post: the post their organization and role imply.
    let mut membership_posts: Vec<Option<Uuid>> = Vec::with_capacity(memberships.len());
    for membership in &memberships {
        let post = match &membership.post {
            Some(reference) => {
                let found = resolve_reference(
                    reference,
                    &post_index,
                    &posts_plan.resolved,
                    &stored_post_ids,
                );
                if found.is_none() {
                    planner.unresolved(
                        format!("{}/post_id", membership.common.pointer),
                        "post",
                        reference,
                    );
                }
                found
            }
            None => match membership.organization.as_deref() {
                Some(reference) => match organization_resolve(reference) {
                    Some(organization) => {
                        let title = membership
                            .role
                            .clone()
                            .or_else(|| Text::parse("Thành viên").ok());
                        match title {
                            Some(title) => {
                                implied_post(
                                    &mut planner,
                                    &mut posts_plan,
                                    &membership.common.pointer,
                                    OrganizationId::from_uuid(organization),
                                    &organizations,
                                    &organization_ids,
                                    title,
                                )
                                .await?
                            }
                            None => None,
                        }
                    }
                    None => {
                        planner.unresolved(
                            format!("{}/organization_id", membership.common.pointer),
                            "organization",
                            reference,
                        );
                        None
                    }
                },
                None => None,
            },
        };
        // A membership naming both a post and an organization must name the post's.
        if let (Some(post), Some(reference)) = (post, membership.organization.as_deref())
            && membership.post.is_some()
        {
            let organization_of_post = posts_plan
                .organization_of
                .get(&post)
                .copied()
                .or_else(|| stored_posts.get(&post).map(|p| p.organization.as_uuid()));
            if let (Some(expected), Some(given)) =
                (organization_of_post, organization_resolve(reference))
                && expected != given
            {
                planner.problems.push(Problem::at(
                    format!("{}/organization_id", membership.common.pointer),
                    format!("{reference:?} is not the organization of the membership's post"),
                ));
            }
        }
        membership_posts.push(post);
    }

    // People.
    let person_refs: Vec<&str> = memberships
        .iter()
        .map(|m| m.person.as_str())
        .chain(events.iter().flat_map(|e| {
            e.chairs
                .iter()
                .flatten()
                .chain(e.attendees.iter().flatten())
                .map(|p| p.person.as_str())
        }))
        .collect();
    let stored_people: HashSet<Uuid> = {
        let ids: Vec<PersonId> = outside_references(person_refs.into_iter(), &person_index)
            .into_iter()
            .map(PersonId::from_uuid)
            .collect();
        db.people_by_ids(&ids)
            .await
            .map_err(storage)?
            .into_iter()
            .map(|p| p.id().as_uuid())
            .collect()
    };
    // The stored posts each person of the file holds by the file: the context of a name match.
    let mut posts_of_person: HashMap<usize, Vec<Uuid>> = HashMap::new();
    for (membership, post) in memberships.iter().zip(&membership_posts) {
        if let (Some(&person), Some(post)) = (person_index.get(&membership.person), post) {
            posts_of_person.entry(person).or_default().push(*post);
        }
    }
    let person_ids = plan_people(&mut planner, &persons, &posts_of_person).await?;
    let person_resolve =
        |reference: &str| resolve_reference(reference, &person_index, &person_ids, &stored_people);
    let post_resolve = |reference: &str| {
        resolve_reference(
            reference,
            &post_index,
            &posts_plan.resolved,
            &stored_post_ids,
        )
    };

    // Holdings.
    let mut holding_ids: Vec<Option<Resolution>> = Vec::with_capacity(memberships.len());
    let stored_holdings: HashMap<Uuid, Holding> = {
        let ids: Vec<HoldingId> = memberships
            .iter()
            .filter_map(|m| m.common.gazette_id)
            .map(HoldingId::from_uuid)
            .collect();
        db.holdings_by_ids(&ids)
            .await
            .map_err(storage)?
            .into_iter()
            .map(|h| (h.id().as_uuid(), h))
            .collect()
    };
    let mut holdings_of_post: HashMap<PostId, Vec<Holding>> = HashMap::new();
    for (membership, post) in memberships.iter().zip(&membership_posts) {
        let person = person_resolve(&membership.person);
        if person.is_none() {
            planner.unresolved(
                format!("{}/person_id", membership.common.pointer),
                "person",
                &membership.person,
            );
        }
        let (Some(person), Some(post)) = (person, *post) else {
            holding_ids.push(None);
            continue;
        };
        let term = membership.term.or_else(|| {
            membership
                .legislative_period
                .as_ref()
                .and_then(|id| terms.get(id).copied().flatten())
        });
        if membership.legislative_period.is_some() && membership.term.is_none() && term.is_none() {
            planner.report.notes.push(format!(
                "{}: legislative_period_id {:?} gives no term of two years",
                membership.common.pointer,
                membership.legislative_period.as_deref().unwrap_or("")
            ));
        }
        let resolution = plan_holding(
            &mut planner,
            membership,
            PersonId::from_uuid(person),
            PostId::from_uuid(post),
            term,
            &stored_holdings,
            &mut holdings_of_post,
            posts_plan.new_posts.contains(&post) || person_ids_new(&person_ids, person),
        )
        .await?;
        holding_ids.push(resolution);
    }

    // Meetings.
    let mut meeting_ids: Vec<Option<Resolution>> = Vec::with_capacity(events.len());
    let stored_meetings: HashMap<Uuid, Meeting> = {
        let ids: Vec<MeetingId> = events
            .iter()
            .filter_map(|e| e.common.gazette_id)
            .map(MeetingId::from_uuid)
            .collect();
        db.meetings_by_ids(&ids)
            .await
            .map_err(storage)?
            .into_iter()
            .map(|m| (m.id().as_uuid(), m))
            .collect()
    };
    for event in &events {
        let resolution = plan_meeting(
            &mut planner,
            event,
            &organization_resolve,
            &person_resolve,
            &post_resolve,
            &stored_meetings,
            &organization_ids,
        )
        .await?;
        meeting_ids.push(resolution);
    }

    // Citations.
    let mut subjects: Vec<(&Common, Option<Resolution>, Option<Subject>)> = Vec::new();
    for (record, id) in persons.iter().zip(&person_ids) {
        subjects.push((
            &record.common,
            *id,
            id.map(|r| Subject::Person(PersonId::from_uuid(r.id()))),
        ));
    }
    for (record, id) in organizations.iter().zip(&organization_ids) {
        subjects.push((
            &record.common,
            *id,
            id.map(|r| Subject::Organization(OrganizationId::from_uuid(r.id()))),
        ));
    }
    for (record, id) in posts.iter().zip(&posts_plan.resolved) {
        subjects.push((
            &record.common,
            *id,
            id.map(|r| Subject::Post(PostId::from_uuid(r.id()))),
        ));
    }
    for (record, id) in memberships.iter().zip(&holding_ids) {
        subjects.push((
            &record.common,
            *id,
            id.map(|r| Subject::Holding(HoldingId::from_uuid(r.id()))),
        ));
    }
    for (record, id) in events.iter().zip(&meeting_ids) {
        subjects.push((
            &record.common,
            *id,
            id.map(|r| Subject::Meeting(MeetingId::from_uuid(r.id()))),
        ));
    }
    let existing_subjects: Vec<Subject> = subjects
        .iter()
        .filter(|(common, resolution, _)| {
            !common.links.is_empty() && resolution.is_some_and(Resolution::exists)
        })
        .filter_map(|(_, _, subject)| *subject)
        .collect();
    let subjects: Vec<(&Common, Option<Subject>)> = subjects
        .into_iter()
        .map(|(common, _, subject)| (common, subject))
        .collect();
    plan_citations(&mut planner, &subjects, &existing_subjects, source_plan).await?;

    // Everything checked: the file's records are no longer needed, only the writes.
    drop(subjects);
    drop((persons, organizations, posts, memberships, events, sources));
    planner.claimed = HashMap::new();
    // Write, all or nothing.
    let Planner {
        mut problems,
        writes,
        pointers,
        mut report,
        unresolved,
        ..
    } = planner;
    // A reference to a record of the file that is itself a problem is not another problem.
    let in_file = |kind: &str, reference: &str| {
        let (index, section) = match kind {
            "organization" => (&organization_index, "organizations"),
            "post" => (&post_index, "posts"),
            _ => (&person_index, "persons"),
        };
        index.contains_key(reference)
            || failed
                .get(section)
                .is_some_and(|ids| ids.contains(reference))
    };
    let cascading: HashSet<usize> = unresolved
        .iter()
        .filter(|(_, kind, reference)| in_file(kind, reference))
        .map(|(index, _, _)| *index)
        .collect();
    if cascading.len() < problems.len() {
        let mut index = 0;
        problems.retain(|_| {
            index += 1;
            !cascading.contains(&(index - 1))
        });
    }
    if let Some(first) = problems.first() {
        return Err(ImportError::Invalid {
            first: first.clone(),
            more: problems.len() - 1,
        });
    }
    if dry_run {
        return Ok(report);
    }
    match db.apply(actor, &writes).await {
        Ok(_) => {
            report.applied = true;
            Ok(report)
        }
        Err(error) => {
            let pointer = pointers.get(error.index).cloned().unwrap_or_default();
            match error.error {
                StorageError::Unavailable(_) | StorageError::Internal(_) => {
                    Err(ImportError::Storage(error.error))
                }
                other => Err(ImportError::Invalid {
                    first: Problem::at(pointer, other),
                    more: 0,
                }),
            }
        }
    }
}

fn person_ids_new(person_ids: &[Option<Resolution>], id: Uuid) -> bool {
    person_ids
        .iter()
        .flatten()
        .any(|r| matches!(r, Resolution::New(new) if *new == id))
}

/// The sources of the file's `gazette_sources`, by id, and whether each is new.
struct SourcePlan {
    /// Sources given in full, by id.
    in_file: HashMap<SourceId, bool>,
    /// Sources given in full, by URL.
    by_url: HashMap<String, SourceId>,
}

async fn plan_sources(
    planner: &mut Planner<'_>,
    sources: &[FileSource],
) -> Result<SourcePlan, ImportError> {
    let ids: Vec<SourceId> = sources.iter().map(|s| s.source.id()).collect();
    let stored: HashMap<SourceId, Source> = planner
        .db
        .sources_by_ids(&ids)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|s| (s.id(), s))
        .collect();
    let mut plan = SourcePlan {
        in_file: HashMap::new(),
        by_url: HashMap::new(),
    };
    for file in sources {
        let id = file.source.id();
        if plan.in_file.contains_key(&id) {
            planner.problems.push(Problem::at(
                format!("{}/id", file.pointer),
                format!("the source {id} is listed twice"),
            ));
            continue;
        }
        if let Some(url) = &file.source.url {
            plan.by_url.entry(url.to_string()).or_insert(id);
        }
        match stored.get(&id) {
            Some(existing) => {
                plan.in_file.insert(id, false);
                // Retrieval times are kept to the microsecond: compare as stored.
                let mut incoming = file.source.clone();
                let mut details = incoming.details().clone();
                details.retrieved_at = details
                    .retrieved_at
                    .map(|at| chrono::SubsecRound::trunc_subsecs(at, 6));
                if incoming.update(details).is_err() {
                    continue;
                }
                if *existing == incoming {
                    ImportReport::count(&mut planner.report.unchanged, "source");
                } else {
                    ImportReport::count(&mut planner.report.updated, "source");
                    planner.push(&file.pointer, Write::UpdateSource(incoming));
                }
            }
            None => {
                plan.in_file.insert(id, true);
                ImportReport::count(&mut planner.report.created, "source");
                planner.push(&file.pointer, Write::CreateSource(file.source.clone()));
            }
        }
    }
    Ok(plan)
}

/// Orders the organizations of the file so that each comes after its parent and predecessors
/// in the file; a cycle is a problem.
fn organization_order(
    organizations: &[FileOrganization],
    index: &HashMap<String, usize>,
    problems: &mut Vec<Problem>,
) -> Vec<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        None,
        Visiting,
        Done,
    }
    let mut marks = vec![Mark::None; organizations.len()];
    let mut order = Vec::with_capacity(organizations.len());
    for start in 0..organizations.len() {
        if marks[start] != Mark::None {
            continue;
        }
        // Iterative depth-first search: (node, next dependency to visit).
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        marks[start] = Mark::Visiting;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let record = &organizations[node];
            let dependencies: Vec<usize> = record
                .parent
                .iter()
                .chain(
                    record
                        .predecessors
                        .iter()
                        .flatten()
                        .map(|p| &p.organization),
                )
                .filter_map(|r| index.get(r).copied())
                .collect();
            if let Some(&dependency) = dependencies.get(*next) {
                *next += 1;
                match marks[dependency] {
                    Mark::None => {
                        marks[dependency] = Mark::Visiting;
                        stack.push((dependency, 0));
                    }
                    Mark::Visiting => {
                        problems.push(Problem::at(
                            format!("{}/parent_id", organizations[dependency].common.pointer),
                            "the organizations' parents (or predecessors) form a cycle",
                        ));
                        marks[dependency] = Mark::Done;
                    }
                    Mark::Done => {}
                }
            } else {
                marks[node] = Mark::Done;
                order.push(node);
                stack.pop();
            }
        }
    }
    order
}

async fn plan_organizations(
    planner: &mut Planner<'_>,
    organizations: &[FileOrganization],
    index: &HashMap<String, usize>,
    stored_references: &HashSet<Uuid>,
) -> Result<Vec<Option<Resolution>>, ImportError> {
    let mut resolved: Vec<Option<Resolution>> = vec![None; organizations.len()];
    let order = organization_order(organizations, index, &mut planner.problems);
    let by_gazette_id: HashMap<Uuid, Organization> = {
        let ids: Vec<OrganizationId> = organizations
            .iter()
            .filter_map(|o| o.common.gazette_id)
            .map(OrganizationId::from_uuid)
            .collect();
        planner
            .db
            .organizations_by_ids(&ids)
            .await
            .map_err(storage)?
            .into_iter()
            .map(|o| (o.id().as_uuid(), o))
            .collect()
    };
    for position in order {
        let file = &organizations[position];
        let pointer = file.common.pointer.clone();
        let resolve = |reference: &str, resolved: &[Option<Resolution>]| {
            resolve_reference(reference, index, resolved, stored_references)
        };
        let parent = match &file.parent {
            None => None,
            Some(reference) => match resolve(reference, &resolved) {
                Some(id) => Some(OrganizationId::from_uuid(id)),
                None => {
                    planner.unresolved(format!("{pointer}/parent_id"), "organization", reference);
                    continue;
                }
            },
        };
        let mut predecessors = None;
        if let Some(list) = &file.predecessors {
            let mut out = Vec::new();
            let mut failed = false;
            for predecessor in list {
                match resolve(&predecessor.organization, &resolved) {
                    Some(id) => out.push(Succession {
                        predecessor: OrganizationId::from_uuid(id),
                        kind: predecessor.kind,
                        date: predecessor.date,
                    }),
                    None => {
                        planner.unresolved(
                            &predecessor.pointer,
                            "organization",
                            &predecessor.organization,
                        );
                        failed = true;
                    }
                }
            }
            if failed {
                continue;
            }
            predecessors = Some(out);
        }
        // Find the stored record.
        let mut existing: Option<(Organization, Option<String>)> = None;
        if let Some(found) = file.common.gazette_id.and_then(|id| by_gazette_id.get(&id)) {
            existing = Some((found.clone(), None));
        }
        if existing.is_none() {
            for identifier in &file.common.identifiers {
                if let Some(found) = planner
                    .db
                    .organization_by_identifier(identifier.scheme(), identifier.value())
                    .await
                    .map_err(storage)?
                {
                    existing = Some((found, Some(format!("identifier {identifier}"))));
                    break;
                }
            }
        }
        if existing.is_none() {
            let candidates: Vec<Organization> = planner
                .db
                .organizations_by_folded_name(file.name.as_str())
                .await
                .map_err(storage)?
                .into_iter()
                .filter(|o| o.parent == parent)
                .filter(|o| file.classification.is_none_or(|c| c == o.classification))
                .filter(|o| !planner.claimed.contains_key(&o.id().as_uuid()))
                .collect();
            match candidates.as_slice() {
                [] => {}
                [only] => {
                    existing = Some((
                        only.clone(),
                        Some("name, parent and classification".to_owned()),
                    ));
                }
                several => {
                    planner.problems.push(Problem::at(
                        format!("{pointer}/name"),
                        format!(
                            "the name matches {} stored organizations with the same parent ({}); give an identifier to say which",
                            several.len(),
                            several
                                .iter()
                                .map(|o| o.id().to_string())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                    continue;
                }
            }
        }
        match existing {
            Some((stored, by)) => {
                let id = stored.id();
                if !planner.claim(id.as_uuid(), &pointer) {
                    continue;
                }
                if let Some(by) = by {
                    planner.merged(&pointer, "organization", id.as_uuid(), by);
                }
                let mut details = stored.details().clone();
                details.name = file.name.clone();
                details.other_names = union(&stored.other_names, &file.other_names);
                details.identifiers = union(&stored.identifiers, &file.common.identifiers);
                if let Some(classification) = file.classification {
                    details.classification = classification;
                }
                if file.parent.is_some() {
                    details.parent = parent;
                }
                if let Some(abbreviation) = &file.abbreviation {
                    details.abbreviation = Some(abbreviation.clone());
                }
                if let Some(level) = file.level {
                    details.level = Some(level);
                }
                if let Some(predecessors) = predecessors {
                    details.predecessors = predecessors;
                }
                details.life =
                    match with_dates(details.life, file.founding_date, file.dissolution_date) {
                        Ok(life) => life,
                        Err(error) => {
                            planner
                                .problems
                                .push(Problem::at(format!("{pointer}/founding_date"), error));
                            continue;
                        }
                    };
                let mut updated = stored.clone();
                if let Err(error) = updated.update(details) {
                    planner.problems.push(Problem::at(&pointer, error));
                    continue;
                }
                resolved[position] = Some(Resolution::Existing(id.as_uuid()));
                if updated == stored {
                    ImportReport::count(&mut planner.report.unchanged, "organization");
                } else {
                    ImportReport::count(&mut planner.report.updated, "organization");
                    planner.push(&pointer, Write::UpdateOrganization(updated));
                }
            }
            None => {
                let id = file
                    .common
                    .gazette_id
                    .map_or_else(OrganizationId::new, OrganizationId::from_uuid);
                let mut details = OrganizationDetails::new(
                    file.name.clone(),
                    file.classification.unwrap_or(Classification::Other),
                );
                details.abbreviation = file.abbreviation.clone();
                details.level = file.level;
                details.parent = parent;
                details.other_names = file.other_names.clone();
                details.identifiers = file.common.identifiers.clone();
                details.predecessors = predecessors.unwrap_or_default();
                details.life = match Period::new(file.founding_date, file.dissolution_date) {
                    Ok(life) => life,
                    Err(error) => {
                        planner
                            .problems
                            .push(Problem::at(format!("{pointer}/dissolution_date"), error));
                        continue;
                    }
                };
                match Organization::new(id, details) {
                    Ok(organization) => {
                        planner.claim(id.as_uuid(), &pointer);
                        resolved[position] = Some(Resolution::New(id.as_uuid()));
                        ImportReport::count(&mut planner.report.created, "organization");
                        planner.push(&pointer, Write::CreateOrganization(organization));
                    }
                    Err(error) => planner.problems.push(Problem::at(&pointer, error)),
                }
            }
        }
    }
    Ok(resolved)
}

/// What the posts resolve to.
#[derive(Default)]
struct PostPlan {
    /// The resolution of each post of the file, in file order.
    resolved: Vec<Option<Resolution>>,
    /// The organization of every post planned (file posts and implied ones), by post id.
    organization_of: HashMap<Uuid, Uuid>,
    /// Posts planned, by organization and folded title: file posts and implied ones.
    by_title: HashMap<(Uuid, String), Uuid>,
    /// Stored posts of organizations, read once per organization.
    stored_of: HashMap<Uuid, Vec<Post>>,
    /// Posts to be created.
    new_posts: HashSet<Uuid>,
}

/// The life of an organization planned from the file or stored.
fn organization_life(
    organization: OrganizationId,
    organizations: &[FileOrganization],
    organization_ids: &[Option<Resolution>],
) -> Option<Period> {
    organizations
        .iter()
        .zip(organization_ids)
        .find(|(_, id)| id.map(Resolution::id) == Some(organization.as_uuid()))
        .and_then(|(file, _)| Period::new(file.founding_date, file.dissolution_date).ok())
}

/// The life of an organization: as the file gives it when the file creates it, else as stored.
async fn life_of(
    db: &Database,
    organization: OrganizationId,
    organizations: &[FileOrganization],
    organization_ids: &[Option<Resolution>],
) -> Result<Period, ImportError> {
    let is_new = organization_ids
        .iter()
        .flatten()
        .any(|r| !r.exists() && r.id() == organization.as_uuid());
    if is_new && let Some(life) = organization_life(organization, organizations, organization_ids) {
        return Ok(life);
    }
    Ok(db.organization(organization).await.map_err(storage)?.life)
}

async fn stored_posts_of<'p>(
    db: &Database,
    plan: &'p mut PostPlan,
    organization: Uuid,
) -> Result<&'p [Post], ImportError> {
    let posts = match plan.stored_of.entry(organization) {
        Entry::Occupied(known) => known.into_mut(),
        Entry::Vacant(slot) => {
            let id = OrganizationId::from_uuid(organization);
            let posts = db
                .posts_of_organizations(&[id])
                .await
                .map_err(storage)?
                .remove(&id)
                .unwrap_or_default();
            slot.insert(posts)
        }
    };
    Ok(posts.as_slice())
}

async fn plan_posts(
    planner: &mut Planner<'_>,
    posts: &[FilePost],
    organization_resolve: &impl Fn(&str) -> Option<Uuid>,
    organization_ids: &[Option<Resolution>],
    organizations: &[FileOrganization],
    plan: &mut PostPlan,
) -> Result<(), ImportError> {
    let by_gazette_id: HashMap<Uuid, Post> = {
        let ids: Vec<PostId> = posts
            .iter()
            .filter_map(|p| p.common.gazette_id)
            .map(PostId::from_uuid)
            .collect();
        planner
            .db
            .posts_by_ids(&ids)
            .await
            .map_err(storage)?
            .into_iter()
            .map(|p| (p.id().as_uuid(), p))
            .collect()
    };
    let new_organizations: HashSet<Uuid> = organization_ids
        .iter()
        .flatten()
        .filter(|r| !r.exists())
        .map(|r| r.id())
        .collect();
    for file in posts {
        let pointer = file.common.pointer.clone();
        let Some(organization) = organization_resolve(&file.organization) else {
            planner.unresolved(
                format!("{pointer}/organization_id"),
                "organization",
                &file.organization,
            );
            plan.resolved.push(None);
            continue;
        };
        let mut existing: Option<(Post, Option<String>)> = file
            .common
            .gazette_id
            .and_then(|id| by_gazette_id.get(&id))
            .map(|p| (p.clone(), None));
        if existing.is_none() && !new_organizations.contains(&organization) {
            let title = file.title.fold();
            let candidates: Vec<Post> = stored_posts_of(planner.db, plan, organization)
                .await?
                .iter()
                .filter(|p| p.title.fold() == title)
                .cloned()
                .collect();
            let candidates: Vec<Post> = candidates
                .into_iter()
                .filter(|p| !planner.claimed.contains_key(&p.id().as_uuid()))
                .collect();
            match candidates.as_slice() {
                [] => {}
                [only] => {
                    existing = Some((only.clone(), Some("organization and title".to_owned())))
                }
                several => {
                    planner.problems.push(Problem::at(
                        format!("{pointer}/role"),
                        format!(
                            "the title matches {} stored posts of the organization; give the post's gazette identifier to say which",
                            several.len()
                        ),
                    ));
                    plan.resolved.push(None);
                    continue;
                }
            }
        }
        let organization_id = OrganizationId::from_uuid(organization);
        let resolution = match existing {
            Some((stored, by)) => {
                let id = stored.id().as_uuid();
                if !planner.claim(id, &pointer) {
                    plan.resolved.push(None);
                    continue;
                }
                if let Some(by) = by {
                    planner.merged(&pointer, "post", id, by);
                }
                let mut details = stored.details().clone();
                details.title = file.title.clone();
                details.organization = organization_id;
                if let Some(seats) = file.seats {
                    details.seats = seats;
                }
                details.life = match with_dates(details.life, file.start_date, file.end_date) {
                    Ok(life) => life,
                    Err(error) => {
                        planner
                            .problems
                            .push(Problem::at(format!("{pointer}/start_date"), error));
                        plan.resolved.push(None);
                        continue;
                    }
                };
                let mut updated = stored.clone();
                if let Err(error) = updated.update(details) {
                    planner.problems.push(Problem::at(&pointer, error));
                    plan.resolved.push(None);
                    continue;
                }
                if updated == stored {
                    ImportReport::count(&mut planner.report.unchanged, "post");
                } else {
                    ImportReport::count(&mut planner.report.updated, "post");
                    planner.push(&pointer, Write::UpdatePost(updated));
                }
                Resolution::Existing(id)
            }
            None => {
                let id = file
                    .common
                    .gazette_id
                    .map_or_else(PostId::new, PostId::from_uuid);
                // A post whose dates the file leaves out lives as long as its organization.
                let organization_life =
                    life_of(planner.db, organization_id, organizations, organization_ids).await?;
                let life = match Period::new(
                    file.start_date.or(organization_life.start()),
                    file.end_date.or(organization_life.end()),
                ) {
                    Ok(life) => life,
                    Err(error) => {
                        planner
                            .problems
                            .push(Problem::at(format!("{pointer}/end_date"), error));
                        plan.resolved.push(None);
                        continue;
                    }
                };
                let details = PostDetails {
                    organization: organization_id,
                    title: file.title.clone(),
                    seats: file.seats.unwrap_or(Seats::Unlimited),
                    life,
                };
                match Post::new(id, details) {
                    Ok(post) => {
                        planner.claim(id.as_uuid(), &pointer);
                        ImportReport::count(&mut planner.report.created, "post");
                        planner.push(&pointer, Write::CreatePost(post));
                        plan.new_posts.insert(id.as_uuid());
                        Resolution::New(id.as_uuid())
                    }
                    Err(error) => {
                        planner.problems.push(Problem::at(&pointer, error));
                        plan.resolved.push(None);
                        continue;
                    }
                }
            }
        };
        plan.organization_of.insert(resolution.id(), organization);
        plan.by_title
            .entry((organization, file.title.fold()))
            .or_insert(resolution.id());
        plan.resolved.push(Some(resolution));
    }
    Ok(())
}

/// The post a membership without a post holds: the file's or a stored post of its
/// organization with that title, or a new one (unlimited seats, as long as the organization).
async fn implied_post(
    planner: &mut Planner<'_>,
    plan: &mut PostPlan,
    pointer: &str,
    organization: OrganizationId,
    organizations: &[FileOrganization],
    organization_ids: &[Option<Resolution>],
    title: Text,
) -> Result<Option<Uuid>, ImportError> {
    let key = (organization.as_uuid(), title.fold());
    if let Some(id) = plan.by_title.get(&key) {
        return Ok(Some(*id));
    }
    let is_new_organization = organization_ids
        .iter()
        .flatten()
        .any(|r| !r.exists() && r.id() == organization.as_uuid());
    if !is_new_organization {
        let found = stored_posts_of(planner.db, plan, organization.as_uuid())
            .await?
            .iter()
            .find(|p| p.title.fold() == key.1)
            .map(|p| p.id().as_uuid());
        if let Some(id) = found {
            plan.by_title.insert(key, id);
            plan.organization_of.insert(id, organization.as_uuid());
            return Ok(Some(id));
        }
    }
    let life = life_of(planner.db, organization, organizations, organization_ids).await?;
    let id = PostId::new();
    let post = Post::new(
        id,
        PostDetails {
            organization,
            title,
            seats: Seats::Unlimited,
            life,
        },
    );
    match post {
        Ok(post) => {
            ImportReport::count(&mut planner.report.created, "post");
            planner.push(pointer, Write::CreatePost(post));
            plan.by_title.insert(key, id.as_uuid());
            plan.organization_of
                .insert(id.as_uuid(), organization.as_uuid());
            plan.new_posts.insert(id.as_uuid());
            Ok(Some(id.as_uuid()))
        }
        Err(error) => {
            planner.problems.push(Problem::at(pointer, error));
            Ok(None)
        }
    }
}

async fn plan_people(
    planner: &mut Planner<'_>,
    persons: &[FilePerson],
    posts_of_person: &HashMap<usize, Vec<Uuid>>,
) -> Result<Vec<Option<Resolution>>, ImportError> {
    let by_gazette_id: HashMap<Uuid, Person> = {
        let ids: Vec<PersonId> = persons
            .iter()
            .filter_map(|p| p.common.gazette_id)
            .map(PersonId::from_uuid)
            .collect();
        planner
            .db
            .people_by_ids(&ids)
            .await
            .map_err(storage)?
            .into_iter()
            .map(|p| (p.id().as_uuid(), p))
            .collect()
    };
    let mut resolved = Vec::with_capacity(persons.len());
    for (position, file) in persons.iter().enumerate() {
        let pointer = file.common.pointer.clone();
        let mut existing: Option<(Person, Option<String>)> = file
            .common
            .gazette_id
            .and_then(|id| by_gazette_id.get(&id))
            .map(|p| (p.clone(), None));
        if existing.is_none() {
            for identifier in &file.common.identifiers {
                if let Some(found) = planner
                    .db
                    .person_by_identifier(identifier.scheme(), identifier.value())
                    .await
                    .map_err(storage)?
                {
                    existing = Some((found, Some(format!("identifier {identifier}"))));
                    break;
                }
            }
        }
        let compatible: &[Uuid] = posts_of_person.get(&position).map_or(&[], Vec::as_slice);
        if existing.is_none() && !compatible.is_empty() {
            let candidates: Vec<Person> = planner
                .db
                .people_by_folded_name(file.name.full())
                .await
                .map_err(storage)?
                .into_iter()
                .filter(|p| !planner.claimed.contains_key(&p.id().as_uuid()))
                .collect();
            if !candidates.is_empty() {
                let ids: Vec<PersonId> = candidates.iter().map(Person::id).collect();
                let holdings = planner
                    .db
                    .holdings_of_people(&ids, None)
                    .await
                    .map_err(storage)?;
                let matching: Vec<&Person> = candidates
                    .iter()
                    .filter(|p| {
                        holdings.get(&p.id()).is_some_and(|held| {
                            held.iter().any(|h| compatible.contains(&h.post.as_uuid()))
                        })
                    })
                    .collect();
                match matching.as_slice() {
                    [] => {}
                    [only] => {
                        existing = Some((
                            (*only).clone(),
                            Some("name and a holding of the same post".to_owned()),
                        ));
                    }
                    several => {
                        planner.problems.push(Problem::at(
                            format!("{pointer}/name"),
                            format!(
                                "the name matches {} stored people holding the same post; give an identifier to say which",
                                several.len()
                            ),
                        ));
                        resolved.push(None);
                        continue;
                    }
                }
            }
        }
        match existing {
            Some((stored, by)) => {
                let id = stored.id().as_uuid();
                if !planner.claim(id, &pointer) {
                    resolved.push(None);
                    continue;
                }
                if let Some(by) = by {
                    planner.merged(&pointer, "person", id, by);
                }
                let mut details = stored.details().clone();
                let mut name = file.name.clone();
                match (file.sort_override.as_deref(), stored.name.sort_override()) {
                    (Some(sort), _) | (None, Some(sort)) => {
                        name = match name.with_sort_override(sort) {
                            Ok(name) => name,
                            Err(error) => {
                                planner.problems.push(Problem::at(
                                    format!("{pointer}/gazette/sort_override"),
                                    error,
                                ));
                                resolved.push(None);
                                continue;
                            }
                        };
                    }
                    (None, None) => {}
                }
                details.name = name;
                details.other_names = union(&stored.other_names, &file.other_names);
                details.identifiers = union(&stored.identifiers, &file.common.identifiers);
                details.gender = file.gender.or(details.gender);
                details.birth_date = file.birth_date.or(details.birth_date);
                details.death_date = file.death_date.or(details.death_date);
                let mut updated = stored.clone();
                if let Err(error) = updated.update(details) {
                    planner.problems.push(Problem::at(&pointer, error));
                    resolved.push(None);
                    continue;
                }
                if updated == stored {
                    ImportReport::count(&mut planner.report.unchanged, "person");
                } else {
                    ImportReport::count(&mut planner.report.updated, "person");
                    planner.push(&pointer, Write::UpdatePerson(updated));
                }
                resolved.push(Some(Resolution::Existing(id)));
            }
            None => {
                let id = file
                    .common
                    .gazette_id
                    .map_or_else(PersonId::new, PersonId::from_uuid);
                let mut name = file.name.clone();
                if let Some(sort) = &file.sort_override {
                    name = match name.with_sort_override(sort) {
                        Ok(name) => name,
                        Err(error) => {
                            planner.problems.push(Problem::at(
                                format!("{pointer}/gazette/sort_override"),
                                error,
                            ));
                            resolved.push(None);
                            continue;
                        }
                    };
                }
                let details = PersonDetails {
                    name,
                    other_names: file.other_names.clone(),
                    gender: file.gender,
                    birth_date: file.birth_date,
                    death_date: file.death_date,
                    identifiers: file.common.identifiers.clone(),
                };
                match Person::new(id, details) {
                    Ok(person) => {
                        planner.claim(id.as_uuid(), &pointer);
                        ImportReport::count(&mut planner.report.created, "person");
                        planner.push(&pointer, Write::CreatePerson(person));
                        resolved.push(Some(Resolution::New(id.as_uuid())));
                    }
                    Err(error) => {
                        planner.problems.push(Problem::at(&pointer, error));
                        resolved.push(None);
                    }
                }
            }
        }
    }
    Ok(resolved)
}

#[allow(
    clippy::too_many_arguments,
    reason = "the planner's state for one membership"
)]
async fn plan_holding(
    planner: &mut Planner<'_>,
    file: &FileMembership,
    person: PersonId,
    post: PostId,
    term: Option<TermLabel>,
    stored_holdings: &HashMap<Uuid, Holding>,
    holdings_of_post: &mut HashMap<PostId, Vec<Holding>>,
    new_records: bool,
) -> Result<Option<Resolution>, ImportError> {
    let pointer = file.common.pointer.clone();
    let file_period = match Period::new(file.start_date, file.end_date) {
        Ok(period) => period,
        Err(error) => {
            planner
                .problems
                .push(Problem::at(format!("{pointer}/end_date"), error));
            return Ok(None);
        }
    };
    let mut existing: Option<(Holding, Option<String>)> = file
        .common
        .gazette_id
        .and_then(|id| stored_holdings.get(&id))
        .map(|h| (h.clone(), None));
    if existing.is_none() && !new_records {
        if let Entry::Vacant(slot) = holdings_of_post.entry(post) {
            let held = planner
                .db
                .holdings_of_posts(&[post], None)
                .await
                .map_err(storage)?
                .remove(&post)
                .unwrap_or_default();
            slot.insert(held);
        }
        let candidates: Vec<Holding> = holdings_of_post
            .get(&post)
            .map(|held| {
                held.iter()
                    .filter(|h| h.person == person && h.period.may_overlap(&file_period))
                    .filter(|h| !planner.claimed.contains_key(&h.id().as_uuid()))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        match candidates.as_slice() {
            [] => {}
            [only] => {
                existing = Some((
                    only.clone(),
                    Some("person, post and overlapping dates".to_owned()),
                ));
            }
            several => {
                planner.problems.push(Problem::at(
                    &pointer,
                    format!(
                        "the membership matches {} stored holdings of the same person and post; give its gazette identifier to say which",
                        several.len()
                    ),
                ));
                return Ok(None);
            }
        }
    }
    match existing {
        Some((stored, by)) => {
            let id = stored.id().as_uuid();
            if stored.person != person || stored.post != post {
                planner.problems.push(Problem::at(
                    &pointer,
                    format!(
                        "holding {id} is of person {} in post {}; a holding's person and post cannot change",
                        stored.person, stored.post
                    ),
                ));
                return Ok(None);
            }
            if !planner.claim(id, &pointer) {
                return Ok(None);
            }
            if let Some(by) = by {
                planner.merged(&pointer, "membership", id, by);
            }
            let mut details = stored.details().clone();
            details.period = match with_dates(details.period, file.start_date, file.end_date) {
                Ok(period) => period,
                Err(error) => {
                    planner
                        .problems
                        .push(Problem::at(format!("{pointer}/end_date"), error));
                    return Ok(None);
                }
            };
            if let Some(kind) = file.kind {
                details.kind = kind;
            }
            if term.is_some() {
                details.term = term;
            }
            if file.document.is_some() {
                details.document = file.document.clone();
            }
            if file.end_reason.is_some() {
                details.end_reason = file.end_reason.clone();
            }
            let mut updated = stored.clone();
            if let Err(error) = updated.update(details) {
                planner.problems.push(Problem::at(&pointer, error));
                return Ok(None);
            }
            if updated == stored {
                ImportReport::count(&mut planner.report.unchanged, "membership");
            } else {
                ImportReport::count(&mut planner.report.updated, "membership");
                planner.push(&pointer, Write::UpdateHolding(updated));
            }
            Ok(Some(Resolution::Existing(id)))
        }
        None => {
            let id = file
                .common
                .gazette_id
                .map_or_else(HoldingId::new, HoldingId::from_uuid);
            let details = HoldingDetails {
                person,
                post,
                period: file_period,
                kind: file.kind.unwrap_or(HoldingKind::Elected),
                term,
                document: file.document.clone(),
                end_reason: file.end_reason.clone(),
            };
            match Holding::new(id, details) {
                Ok(holding) => {
                    planner.claim(id.as_uuid(), &pointer);
                    ImportReport::count(&mut planner.report.created, "membership");
                    planner.push(&pointer, Write::Appoint(holding));
                    Ok(Some(Resolution::New(id.as_uuid())))
                }
                Err(error) => {
                    planner.problems.push(Problem::at(&pointer, error));
                    Ok(None)
                }
            }
        }
    }
}

fn resolve_participants(
    planner: &mut Planner<'_>,
    participants: &[FileParticipant],
    person_resolve: &impl Fn(&str) -> Option<Uuid>,
    post_resolve: &impl Fn(&str) -> Option<Uuid>,
) -> Option<Vec<Participant>> {
    let mut out = Vec::with_capacity(participants.len());
    let mut ok = true;
    for participant in participants {
        let Some(person) = person_resolve(&participant.person) else {
            planner.unresolved(
                format!("{}/person_id", participant.pointer),
                "person",
                &participant.person,
            );
            ok = false;
            continue;
        };
        let mut capacities = Vec::new();
        for (index, post) in participant.posts.iter().enumerate() {
            match post_resolve(post) {
                Some(id) => capacities.push(PostId::from_uuid(id)),
                None => {
                    planner.unresolved(
                        format!("{}/post_ids/{index}", participant.pointer),
                        "post",
                        post,
                    );
                    ok = false;
                }
            }
        }
        out.push(Participant {
            person: PersonId::from_uuid(person),
            capacities,
        });
    }
    ok.then_some(out)
}

#[allow(
    clippy::too_many_arguments,
    reason = "the planner's state for one event"
)]
async fn plan_meeting(
    planner: &mut Planner<'_>,
    file: &FileEvent,
    organization_resolve: &impl Fn(&str) -> Option<Uuid>,
    person_resolve: &impl Fn(&str) -> Option<Uuid>,
    post_resolve: &impl Fn(&str) -> Option<Uuid>,
    stored_meetings: &HashMap<Uuid, Meeting>,
    organization_ids: &[Option<Resolution>],
) -> Result<Option<Resolution>, ImportError> {
    let pointer = file.common.pointer.clone();
    let organizer = match &file.organization {
        Some(reference) => match organization_resolve(reference) {
            Some(id) => Some(OrganizationId::from_uuid(id)),
            None => {
                planner.unresolved(
                    format!("{pointer}/organization_id"),
                    "organization",
                    reference,
                );
                return Ok(None);
            }
        },
        None => None,
    };
    let chairs = match &file.chairs {
        Some(list) => match resolve_participants(planner, list, person_resolve, post_resolve) {
            Some(list) => Some(list),
            None => return Ok(None),
        },
        None => None,
    };
    let attendees = match &file.attendees {
        Some(list) => match resolve_participants(planner, list, person_resolve, post_resolve) {
            Some(list) => Some(list),
            None => return Ok(None),
        },
        None => None,
    };
    let mut existing: Option<(Meeting, Option<String>)> = file
        .common
        .gazette_id
        .and_then(|id| stored_meetings.get(&id))
        .map(|m| (m.clone(), None));
    let organizer_is_new = organizer.is_some_and(|o| {
        organization_ids
            .iter()
            .flatten()
            .any(|r| !r.exists() && r.id() == o.as_uuid())
    });
    if existing.is_none()
        && !organizer_is_new
        && let (Some(organizer), Some(held_at)) = (organizer, file.held_at)
    {
        let candidates: Vec<Meeting> = planner
            .db
            .meetings_titled(organizer, file.title.as_str())
            .await
            .map_err(storage)?
            .into_iter()
            .filter(|m| m.held_at.date() == held_at.date())
            .filter(|m| !planner.claimed.contains_key(&m.id().as_uuid()))
            .collect();
        if let [only] = candidates.as_slice() {
            existing = Some((only.clone(), Some("organizer, title and date".to_owned())));
        }
    }
    match existing {
        Some((stored, by)) => {
            let id = stored.id().as_uuid();
            if !planner.claim(id, &pointer) {
                return Ok(None);
            }
            if let Some(by) = by {
                planner.merged(&pointer, "event", id, by);
            }
            let mut details = stored.details().clone();
            details.title = file.title.clone();
            if let Some(kind) = file.kind {
                details.kind = kind;
            }
            if let Some(organizer) = organizer {
                details.organizer = organizer;
            }
            if let Some(held_at) = file.held_at {
                details.held_at = held_at;
            }
            if file.location.is_some() {
                details.location = file.location.clone();
            }
            if let Some(chairs) = chairs {
                details.chairs = chairs;
            }
            if let Some(attendees) = attendees {
                details.attendees = attendees;
            }
            if let Some(agenda) = &file.agenda {
                details.agenda = agenda.clone();
            }
            let mut updated = stored.clone();
            if let Err(error) = updated.update(details) {
                planner.problems.push(Problem::at(&pointer, error));
                return Ok(None);
            }
            if updated == stored {
                ImportReport::count(&mut planner.report.unchanged, "event");
            } else {
                ImportReport::count(&mut planner.report.updated, "event");
                planner.push(&pointer, Write::UpdateMeeting(updated));
            }
            Ok(Some(Resolution::Existing(id)))
        }
        None => {
            let Some(organizer) = organizer else {
                planner.problems.push(Problem::at(
                    format!("{pointer}/organization_id"),
                    "is required: a meeting is held by an organization",
                ));
                return Ok(None);
            };
            let Some(held_at) = file.held_at else {
                planner.problems.push(Problem::at(
                    format!("{pointer}/start_date"),
                    "is required: a meeting has a date",
                ));
                return Ok(None);
            };
            let id = file
                .common
                .gazette_id
                .map_or_else(MeetingId::new, MeetingId::from_uuid);
            let details = MeetingDetails {
                title: file.title.clone(),
                kind: file.kind.unwrap_or(MeetingKind::Other),
                organizer,
                held_at,
                location: file.location.clone(),
                chairs: chairs.unwrap_or_default(),
                attendees: attendees.unwrap_or_default(),
                agenda: file.agenda.clone().unwrap_or_default(),
            };
            match Meeting::new(id, details) {
                Ok(meeting) => {
                    planner.claim(id.as_uuid(), &pointer);
                    ImportReport::count(&mut planner.report.created, "event");
                    planner.push(&pointer, Write::RecordMeeting(meeting));
                    Ok(Some(Resolution::New(id.as_uuid())))
                }
                Err(error) => {
                    planner.problems.push(Problem::at(&pointer, error));
                    Ok(None)
                }
            }
        }
    }
}

/// The citations the records' links make: each link's source (given in full, stored, or
/// created from the link's URL), cited unless the record already cites it.
async fn plan_citations(
    planner: &mut Planner<'_>,
    subjects: &[(&Common, Option<Subject>)],
    existing_subjects: &[Subject],
    sources: SourcePlan,
) -> Result<(), ImportError> {
    let linked_ids: Vec<SourceId> = subjects
        .iter()
        .flat_map(|(common, _)| common.links.iter().filter_map(|l| l.source_id))
        .filter(|id| !sources.in_file.contains_key(id))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let stored_ids: HashSet<SourceId> = planner
        .db
        .sources_by_ids(&linked_ids)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|s| s.id())
        .collect();
    let urls: Vec<String> = subjects
        .iter()
        .flat_map(|(common, _)| {
            common
                .links
                .iter()
                .filter(|l| l.source_id.is_none())
                .filter_map(|l| l.url.as_ref().map(ToString::to_string))
        })
        .filter(|url| !sources.by_url.contains_key(url))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut by_url: HashMap<String, SourceId> = sources.by_url.clone();
    for source in planner.db.sources_by_urls(&urls).await.map_err(storage)? {
        if let Some(url) = &source.url {
            by_url.entry(url.to_string()).or_insert(source.id());
        }
    }
    let mut cited: HashSet<(Subject, SourceId)> = HashSet::new();
    for chunk in existing_subjects.chunks(500) {
        for (subject, citations) in planner.db.citations_of(chunk).await.map_err(storage)? {
            for citation in citations {
                cited.insert((subject, citation.source));
            }
        }
    }
    for (common, subject) in subjects {
        let Some(subject) = subject else { continue };
        for link in &common.links {
            let source = match (link.source_id, &link.url) {
                (Some(id), _) if sources.in_file.contains_key(&id) || stored_ids.contains(&id) => {
                    id
                }
                (Some(id), None) => {
                    planner.problems.push(Problem::at(
                        format!("{}/url", link.pointer),
                        format!("names the source {id}, which neither the file's {SOURCES_KEY} nor the database holds"),
                    ));
                    continue;
                }
                (_, Some(url)) => match by_url.get(url.as_str()) {
                    Some(id) => *id,
                    None => {
                        // A source known only by its link: a web page titled by the link's
                        // note, else its URL.
                        let id = SourceId::new();
                        let title = link.note.clone().or_else(|| {
                            Text::parse(url.as_str().chars().take(1000).collect::<String>()).ok()
                        });
                        let Some(title) = title else { continue };
                        let mut details = SourceDetails::new(SourceKind::WebPage, title);
                        details.url = Some(url.clone());
                        match Source::new(id, details) {
                            Ok(source) => {
                                ImportReport::count(&mut planner.report.created, "source");
                                planner.push(&link.pointer, Write::CreateSource(source));
                                by_url.insert(url.to_string(), id);
                                id
                            }
                            Err(error) => {
                                planner.problems.push(Problem::at(&link.pointer, error));
                                continue;
                            }
                        }
                    }
                },
                (None, None) => continue,
            };
            if !cited.insert((*subject, source)) {
                continue;
            }
            let citation = Citation::new(
                CitationId::new(),
                CitationDetails {
                    source,
                    subject: *subject,
                    note: link.note.clone(),
                },
            );
            match citation {
                Ok(citation) => {
                    ImportReport::count(&mut planner.report.created, "citation");
                    planner.push(&link.pointer, Write::Cite(citation));
                }
                Err(error) => planner.problems.push(Problem::at(&link.pointer, error)),
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_times_go_to_utc_and_back() {
        let local = PartialDateTime::parse("2021-01-15T05:30:00").unwrap();
        let text = event_start(local);
        assert_eq!(text, "2021-01-14T22:30:00Z");
        assert_eq!(parse_event_time(&text).unwrap(), local);
        assert_eq!(
            parse_event_time("2021-01-15T08:00:00+07:00").unwrap(),
            PartialDateTime::parse("2021-01-15T08:00:00").unwrap()
        );
        assert_eq!(
            parse_event_time("2021-01").unwrap(),
            PartialDateTime::parse("2021-01").unwrap()
        );
        assert!(parse_event_time("2021-02-30").is_err());
    }

    #[test]
    fn pointers_escape_keys() {
        assert_eq!(escape("a/b~c"), "a~1b~0c");
    }

    #[test]
    fn a_file_that_is_not_json_is_reported_by_line_and_column() {
        let error =
            read_document("{\n  \"persons\": [\n    {\"name\": }\n  ]\n}".as_bytes()).unwrap_err();
        match error {
            ImportError::Invalid { first, .. } => {
                assert!(
                    matches!(first.location, Location::Line { line: 3, .. }),
                    "{first}"
                );
            }
            other => panic!("{other}"),
        }
    }
}
