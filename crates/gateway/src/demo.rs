//! The demo world, loaded by `gazette serve --demo` and `gazette demo load DATABASE_URL`.
//!
//! The world is a data file written by hand from the founding news article
//! (`demo/can-tho-2021-01-16-dan-van.json` at the repository root, described in
//! `demo/README.md`), embedded in the binary together with a copy of the article's text. Loading
//! it parses every record into domain values, which validate themselves, gives each a new id,
//! and writes them through the storage API in dependency order: the article as a source first,
//! then every record followed by its citation of the article.
//!
//! The demo only goes into a fresh database: [`load_into_fresh`] refuses, writing nothing, when
//! the database already holds any person, organization or source. Each record is written in its
//! own transaction, so a write that fails midway (it should not: the data is checked before the
//! first write) leaves the records written before it; the error then names the record that
//! failed and says that the database is no longer fresh.

use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use gazette_domain::award::form::{AwardForm, RecipientKind, SignerCapacity};
use gazette_domain::award::number::DocumentNumber;
use gazette_domain::award::{
    Achievement, AwardDecision, AwardDecisionDetails, DecisionStatus, NamedRecipient, Presentation,
    RecipientRef, Signer, UnnamedRecipients,
};
use gazette_domain::date::{PartialDate, PartialDateTime, Period};
use gazette_domain::directive::{Assignee, Directive, DirectiveDetails, DirectiveKind};
use gazette_domain::holding::{EndReason, Holding, HoldingDetails, HoldingKind, TermLabel};
use gazette_domain::identifier::{Identifier, OtherName};
use gazette_domain::ids::{
    AwardDecisionId, CitationId, DirectiveId, HoldingId, MeetingId, OrganizationId, PersonId,
    PostId, SourceId, TaskId,
};
use gazette_domain::meeting::{Meeting, MeetingDetails, MeetingKind, Participant};
use gazette_domain::name::PersonName;
use gazette_domain::organization::{Classification, Level, Organization, OrganizationDetails};
use gazette_domain::person::{Gender, Person, PersonDetails};
use gazette_domain::post::{Post, PostDetails, Seats};
use gazette_domain::source::{
    Citation, CitationDetails, ContentHash, Source, SourceDetails, SourceKind, Subject, Url,
};
use gazette_domain::task::{Task, TaskDetails};
use gazette_domain::text::{Prose, Text};
use gazette_storage::{
    Actor, Database, OrganizationFilter, PageRequest, PersonFilter, SourceFilter, StorageError,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The data file's path in the repository.
pub const DATA_FILE: &str = "demo/can-tho-2021-01-16-dan-van.json";

/// The data file, as embedded in the binary.
pub const DATA: &str = include_str!("../../../demo/can-tho-2021-01-16-dan-van.json");

/// The file name of the article's text, next to the data file; the data file's `source.text_file`
/// names it.
pub const ARTICLE_FILE: &str = "can-tho-2021-01-16-dan-van.txt";

/// The article's text, as embedded in the binary; the source's content hash is its hash.
pub const ARTICLE: &str = include_str!("../../../demo/can-tho-2021-01-16-dan-van.txt");

/// Why the demo could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The data file is malformed: `path` says which record and which field
    /// (`holdings["hieu-chu-tich-hdnd"].period`).
    #[error("{DATA_FILE}, {path}: {problem}")]
    Data {
        /// Where in the file: the section, the record's key and the field.
        path: String,
        /// What is wrong there.
        problem: String,
    },
    /// The database already holds records; nothing was written.
    #[error(
        "the demo is only loaded into a fresh database, and this one already holds {}; nothing was written (give a new database; `serve --demo` without --database-url uses a fresh in-memory one)",
        listed(holds)
    )]
    NotFresh {
        /// What it holds: "people", "organizations", "sources".
        holds: Vec<&'static str>,
    },
    /// Reading the database to check that it is fresh failed; nothing was written.
    #[error("checking that the database is fresh: {0}")]
    Check(Box<StorageError>),
    /// A write failed midway; the records written before it stay.
    #[error(
        "writing {record} failed: {error}; the {written} records written before it stay, so this database is no longer fresh: load the demo into a new database"
    )]
    Write {
        /// The record that failed (`holdings["hieu-chu-tich-hdnd"]`, or a citation of one).
        record: String,
        /// How many writes succeeded before it.
        written: usize,
        /// The storage error.
        error: Box<StorageError>,
    },
}

/// "a", "a and b", "a, b and c".
fn listed(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [only] => (*only).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "1 meeting", "9 tasks".
fn counted(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

fn data_error(path: impl Into<String>, problem: impl fmt::Display) -> DemoError {
    DemoError::Data {
        path: path.into(),
        problem: problem.to_string(),
    }
}

/// One record of the demo world, as a domain value.
#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "a few dozen values, built once per load; boxing would only add noise"
)]
pub enum DemoValue {
    /// An organization.
    Organization(Organization),
    /// A post.
    Post(Post),
    /// A person.
    Person(Person),
    /// A holding.
    Holding(Holding),
    /// A meeting.
    Meeting(Meeting),
    /// A directive.
    Directive(Directive),
    /// A task of a directive.
    Task(Task),
    /// An award decision.
    AwardDecision(AwardDecision),
}

impl DemoValue {
    /// The record as the subject of a citation.
    #[must_use]
    pub fn subject(&self) -> Subject {
        match self {
            Self::Organization(value) => Subject::Organization(value.id()),
            Self::Post(value) => Subject::Post(value.id()),
            Self::Person(value) => Subject::Person(value.id()),
            Self::Holding(value) => Subject::Holding(value.id()),
            Self::Meeting(value) => Subject::Meeting(value.id()),
            Self::Directive(value) => Subject::Directive(value.id()),
            Self::Task(value) => Subject::Task(value.id()),
            Self::AwardDecision(value) => Subject::AwardDecision(value.id()),
        }
    }
}

/// A record of the demo world with its place in the data file.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoRecord {
    /// The section of the data file ("organizations", "holdings", ...; "tasks" for the tasks
    /// listed under a directive).
    pub section: &'static str,
    /// Its local key in the data file ("thanh-uy", "pham-van-hieu"); a task's key is its
    /// directive's key, a slash and its position ("phat-bieu-chi-dao/3").
    pub key: String,
    /// The record.
    pub value: DemoValue,
    /// The article's words about the record, kept as its citation's note.
    pub quote: Option<Text>,
}

impl DemoRecord {
    /// Where the record is in the data file: `holdings["hieu-chu-tich-hdnd"]`.
    #[must_use]
    pub fn path(&self) -> String {
        format!("{}[{:?}]", self.section, self.key)
    }
}

/// The demo world parsed from the data file: the article as a source and every record, in the
/// order they are written (each after the records it refers to).
#[derive(Debug, Clone, PartialEq)]
pub struct DemoWorld {
    /// The article.
    pub source: Source,
    /// The records, in writing order.
    pub records: Vec<DemoRecord>,
}

/// What a load wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// The article's source record, which every record cites.
    pub source: SourceId,
    /// Every record written with its local key, in writing order.
    pub records: Vec<(String, Subject)>,
    /// Organizations written.
    pub organizations: usize,
    /// Posts written.
    pub posts: usize,
    /// People written.
    pub people: usize,
    /// Holdings written.
    pub holdings: usize,
    /// Meetings written.
    pub meetings: usize,
    /// Directives written.
    pub directives: usize,
    /// Tasks written.
    pub tasks: usize,
    /// Award decisions written.
    pub award_decisions: usize,
    /// Citations written: one per record.
    pub citations: usize,
}

impl DemoSummary {
    /// The record written for a local key of the data file ("pham-van-hieu",
    /// "phat-bieu-chi-dao/1").
    #[must_use]
    pub fn subject(&self, key: &str) -> Option<Subject> {
        self.records
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, subject)| *subject)
    }
}

impl fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "demo world loaded: 1 source (the article), {}, {}, {}, {}, {}, {}, {}, {}; {} of the article",
            counted(self.organizations, "organization", "organizations"),
            counted(self.posts, "post", "posts"),
            counted(self.people, "person", "people"),
            counted(self.holdings, "holding", "holdings"),
            counted(self.meetings, "meeting", "meetings"),
            counted(self.directives, "directive", "directives"),
            counted(self.tasks, "task", "tasks"),
            counted(self.award_decisions, "award decision", "award decisions"),
            counted(self.citations, "citation", "citations"),
        )
    }
}

/// Loads the demo world into `db`, which must be fresh: when it already holds any person,
/// organization or source, nothing is written and the error is [`DemoError::NotFresh`]. The
/// data file is parsed and checked before the first write.
///
/// # Errors
///
/// [`DemoError`]: a malformed data file, a database that is not fresh, or a failed write (which
/// names the record and leaves the records written before it).
pub async fn load_into_fresh(db: &Database, actor: &Actor) -> anyhow::Result<DemoSummary> {
    let world = DemoWorld::embedded()?;
    ensure_fresh(db).await?;
    Ok(world.write(db, actor).await?)
}

/// Fails with [`DemoError::NotFresh`] when the database holds any person, organization or
/// source.
async fn ensure_fresh(db: &Database) -> Result<(), DemoError> {
    let one = PageRequest::first(1);
    let mut holds = Vec::new();
    if !db
        .people(&PersonFilter::default(), &one)
        .await
        .map_err(|error| DemoError::Check(Box::new(error)))?
        .edges
        .is_empty()
    {
        holds.push("people");
    }
    if !db
        .organizations(&OrganizationFilter::default(), &one)
        .await
        .map_err(|error| DemoError::Check(Box::new(error)))?
        .edges
        .is_empty()
    {
        holds.push("organizations");
    }
    if !db
        .sources(&SourceFilter::default(), &one)
        .await
        .map_err(|error| DemoError::Check(Box::new(error)))?
        .edges
        .is_empty()
    {
        holds.push("sources");
    }
    if holds.is_empty() {
        Ok(())
    } else {
        Err(DemoError::NotFresh { holds })
    }
}

impl DemoWorld {
    /// The world of the embedded data file, with new ids.
    ///
    /// # Errors
    ///
    /// [`DemoError::Data`] when the embedded file is malformed.
    pub fn embedded() -> Result<Self, DemoError> {
        Self::parse(DATA, ARTICLE)
    }

    /// Parses a data file in the demo format, with new ids for every record; `article` is the
    /// text the file's `source.text_file` names, whose hash becomes the source's content hash.
    ///
    /// # Errors
    ///
    /// [`DemoError::Data`], naming the record and the field, when a field is missing, unknown,
    /// malformed or breaks a domain rule, or a key is reused or refers to nothing defined
    /// before it.
    pub fn parse(data: &str, article: &str) -> Result<Self, DemoError> {
        let value: Value = serde_json::from_str(data).map_err(|error| {
            let at = format!("line {} column {}", error.line(), error.column());
            let text = error.to_string();
            let problem = text
                .strip_suffix(&format!(" at {at}"))
                .unwrap_or(&text)
                .to_owned();
            data_error(at, problem)
        })?;
        if !value.is_object() {
            return Err(data_error(
                "the top level",
                format!("expected an object, found {}", describe(&value)),
            ));
        }
        let mut top = Fields::new(String::new(), value)?;
        let _about: Option<String> = top.optional("about")?;
        let source = parse_source(top.record("source")?, article)?;
        let mut parser = Parser::default();
        for (path, value) in top.list("organizations")? {
            parser.organization(path, value)?;
        }
        for (path, value) in top.list("posts")? {
            parser.post(path, value)?;
        }
        for (path, value) in top.list("people")? {
            parser.person(path, value)?;
        }
        for (path, value) in top.list("holdings")? {
            parser.holding(path, value)?;
        }
        for (path, value) in top.list("meetings")? {
            parser.meeting(path, value)?;
        }
        for (path, value) in top.list("directives")? {
            parser.directive(path, value)?;
        }
        for (path, value) in top.list("award_decisions")? {
            parser.award_decision(path, value)?;
        }
        top.finish()?;
        Ok(Self {
            source,
            records: parser.records,
        })
    }

    /// Writes the world through the storage API: the source, then each record followed by its
    /// citation of the source, each in its own transaction. Does not check that the database is
    /// fresh (see [`load_into_fresh`]).
    ///
    /// # Errors
    ///
    /// [`DemoError::Write`], naming the record that failed; the records written before it stay.
    pub async fn write(&self, db: &Database, actor: &Actor) -> Result<DemoSummary, DemoError> {
        let mut written = 0;
        let failed = |record: String, written: usize| {
            move |error: StorageError| DemoError::Write {
                record,
                written,
                error: Box::new(error),
            }
        };
        db.create_source(actor, &self.source)
            .await
            .map_err(failed("the source (the article)".to_owned(), written))?;
        written += 1;
        let mut summary = DemoSummary {
            source: self.source.id(),
            records: Vec::with_capacity(self.records.len()),
            organizations: 0,
            posts: 0,
            people: 0,
            holdings: 0,
            meetings: 0,
            directives: 0,
            tasks: 0,
            award_decisions: 0,
            citations: 0,
        };
        for record in &self.records {
            let result = match &record.value {
                DemoValue::Organization(value) => {
                    summary.organizations += 1;
                    db.create_organization(actor, value).await
                }
                DemoValue::Post(value) => {
                    summary.posts += 1;
                    db.create_post(actor, value).await
                }
                DemoValue::Person(value) => {
                    summary.people += 1;
                    db.create_person(actor, value).await
                }
                DemoValue::Holding(value) => {
                    summary.holdings += 1;
                    db.appoint(actor, value).await
                }
                DemoValue::Meeting(value) => {
                    summary.meetings += 1;
                    db.record_meeting(actor, value).await
                }
                DemoValue::Directive(value) => {
                    summary.directives += 1;
                    db.issue_directive(actor, value).await
                }
                DemoValue::Task(value) => {
                    summary.tasks += 1;
                    db.add_task(actor, value).await
                }
                DemoValue::AwardDecision(value) => {
                    summary.award_decisions += 1;
                    db.record_award_decision(actor, value).await
                }
            };
            result.map_err(failed(record.path(), written))?;
            written += 1;
            let subject = record.value.subject();
            let citation = match Citation::new(
                CitationId::new(),
                CitationDetails {
                    source: self.source.id(),
                    subject,
                    note: record.quote.clone(),
                },
            ) {
                Ok(citation) => citation,
                Err(never) => match never {},
            };
            db.cite(actor, &citation).await.map_err(failed(
                format!("the citation of the article by {}", record.path()),
                written,
            ))?;
            written += 1;
            summary.citations += 1;
            summary.records.push((record.key.clone(), subject));
        }
        Ok(summary)
    }
}

/// The fields of one JSON object of the data file, taken one by one so that every error names
/// its path; fields left over are reported as unknown.
struct Fields {
    path: String,
    fields: Map<String, Value>,
    known: Vec<&'static str>,
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn parse_value<T: DeserializeOwned>(path: &str, value: Value) -> Result<T, DemoError> {
    serde_json::from_value(value).map_err(|error| data_error(path, error))
}

impl Fields {
    fn new(path: String, value: Value) -> Result<Self, DemoError> {
        match value {
            Value::Object(fields) => Ok(Self {
                path,
                fields,
                known: Vec::new(),
            }),
            other => Err(data_error(
                path,
                format!("expected an object, found {}", describe(&other)),
            )),
        }
    }

    fn at(&self, name: &str) -> String {
        if self.path.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.path)
        }
    }

    /// The field's value; `None` when absent or null.
    fn raw(&mut self, name: &'static str) -> Option<Value> {
        self.known.push(name);
        self.fields.remove(name).filter(|value| !value.is_null())
    }

    fn required<T: DeserializeOwned>(&mut self, name: &'static str) -> Result<T, DemoError> {
        let path = self.at(name);
        match self.raw(name) {
            Some(value) => parse_value(&path, value),
            None => Err(data_error(path, "is required (missing or null)")),
        }
    }

    fn optional<T: DeserializeOwned>(
        &mut self,
        name: &'static str,
    ) -> Result<Option<T>, DemoError> {
        let path = self.at(name);
        self.raw(name)
            .map(|value| parse_value(&path, value))
            .transpose()
    }

    /// A list field, as (path of the item, item); absent or null is empty.
    fn list(&mut self, name: &'static str) -> Result<Vec<(String, Value)>, DemoError> {
        let path = self.at(name);
        match self.raw(name) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => Ok(items
                .into_iter()
                .enumerate()
                .map(|(index, item)| (format!("{path}[{index}]"), item))
                .collect()),
            Some(other) => Err(data_error(
                path,
                format!("expected a list, found {}", describe(&other)),
            )),
        }
    }

    /// A list field of plain values.
    fn values<T: DeserializeOwned>(&mut self, name: &'static str) -> Result<Vec<T>, DemoError> {
        self.list(name)?
            .into_iter()
            .map(|(path, value)| parse_value(&path, value))
            .collect()
    }

    /// A list field of objects.
    fn records(&mut self, name: &'static str) -> Result<Vec<Fields>, DemoError> {
        self.list(name)?
            .into_iter()
            .map(|(path, value)| Self::new(path, value))
            .collect()
    }

    /// A required object field.
    fn record(&mut self, name: &'static str) -> Result<Fields, DemoError> {
        let path = self.at(name);
        match self.raw(name) {
            Some(value) => Self::new(path, value),
            None => Err(data_error(path, "is required (missing or null)")),
        }
    }

    /// An optional object field.
    fn optional_record(&mut self, name: &'static str) -> Result<Option<Fields>, DemoError> {
        let path = self.at(name);
        self.raw(name)
            .map(|value| Self::new(path, value))
            .transpose()
    }

    /// The record's key: lowercase letters, digits and hyphens. The path then names the record
    /// by its key rather than its index.
    fn key(&mut self, section: &str) -> Result<String, DemoError> {
        let key: String = self.required("key")?;
        let well_formed = !key.is_empty()
            && key.len() <= 64
            && key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !well_formed {
            return Err(data_error(
                self.at("key"),
                format!(
                    "{key:?} is not a key: use 1 to 64 lowercase letters a-z, digits and hyphens"
                ),
            ));
        }
        self.path = format!("{section}[{key:?}]");
        Ok(key)
    }

    /// Fails on any field not taken.
    fn finish(self) -> Result<(), DemoError> {
        if self.fields.is_empty() {
            return Ok(());
        }
        let unknown: Vec<&str> = self.fields.keys().map(String::as_str).collect();
        let path = if self.path.is_empty() {
            "the top level"
        } else {
            self.path.as_str()
        };
        Err(data_error(
            path,
            format!(
                "unknown field(s) {}; the fields here are: {}",
                unknown.join(", "),
                self.known.join(", ")
            ),
        ))
    }
}

/// A key's record, as far as references need to know it.
#[derive(Debug, Clone, Copy)]
enum Defined {
    Organization(OrganizationId),
    Post(PostId),
    Person(PersonId),
    Holding,
    Meeting(MeetingId),
    Directive,
    AwardDecision,
}

impl Defined {
    const fn what(self) -> &'static str {
        match self {
            Self::Organization(_) => "an organization",
            Self::Post(_) => "a post",
            Self::Person(_) => "a person",
            Self::Holding => "a holding",
            Self::Meeting(_) => "a meeting",
            Self::Directive => "a directive",
            Self::AwardDecision => "an award decision",
        }
    }
}

/// The records parsed so far and their keys. A key can only refer to a record listed before
/// it, which is also the order records are written in.
#[derive(Default)]
struct Parser {
    keys: HashMap<String, Defined>,
    records: Vec<DemoRecord>,
}

impl Parser {
    fn define(&mut self, fields: &Fields, key: &str, defined: Defined) -> Result<(), DemoError> {
        if let Some(earlier) = self.keys.get(key) {
            return Err(data_error(
                fields.at("key"),
                format!(
                    "the key {key:?} is already used by {} listed earlier; keys are unique across the file",
                    earlier.what()
                ),
            ));
        }
        self.keys.insert(key.to_owned(), defined);
        Ok(())
    }

    fn push(&mut self, section: &'static str, key: String, value: DemoValue, quote: Option<Text>) {
        self.records.push(DemoRecord {
            section,
            key,
            value,
            quote,
        });
    }

    /// Resolves a key at `path` to the id of the record kind `pick` accepts.
    fn resolve<T>(
        &self,
        path: &str,
        key: &str,
        wanted: &'static str,
        pick: impl Fn(Defined) -> Option<T>,
    ) -> Result<T, DemoError> {
        match self.keys.get(key) {
            Some(&defined) => pick(defined).ok_or_else(|| {
                data_error(path, format!("{key:?} is {}, not {wanted}", defined.what()))
            }),
            None => Err(data_error(
                path,
                format!(
                    "no record with the key {key:?} is listed before this one (it must be {wanted}, listed earlier in the file)"
                ),
            )),
        }
    }

    fn reference<T>(
        &self,
        fields: &mut Fields,
        name: &'static str,
        wanted: &'static str,
        pick: impl Fn(Defined) -> Option<T>,
    ) -> Result<T, DemoError> {
        let key: String = fields.required(name)?;
        self.resolve(&fields.at(name), &key, wanted, pick)
    }

    fn optional_reference<T>(
        &self,
        fields: &mut Fields,
        name: &'static str,
        wanted: &'static str,
        pick: impl Fn(Defined) -> Option<T>,
    ) -> Result<Option<T>, DemoError> {
        let path = fields.at(name);
        let key: Option<String> = fields.optional(name)?;
        key.map(|key| self.resolve(&path, &key, wanted, pick))
            .transpose()
    }

    fn references<T>(
        &self,
        fields: &mut Fields,
        name: &'static str,
        wanted: &'static str,
        pick: impl Fn(Defined) -> Option<T>,
    ) -> Result<Vec<T>, DemoError> {
        fields
            .list(name)?
            .into_iter()
            .map(|(path, value)| {
                let key: String = parse_value(&path, value)?;
                self.resolve(&path, &key, wanted, &pick)
            })
            .collect()
    }

    fn organization(&mut self, path: String, value: Value) -> Result<(), DemoError> {
        let mut fields = Fields::new(path, value)?;
        let key = fields.key("organizations")?;
        let id = OrganizationId::new();
        let mut details = OrganizationDetails::new(
            fields.required::<Text>("name")?,
            fields.required::<Classification>("classification")?,
        );
        details.abbreviation = fields.optional("abbreviation")?;
        details.level = fields.optional::<Level>("level")?;
        details.parent =
            self.optional_reference(&mut fields, "parent", "an organization", organization)?;
        details.life = fields.optional::<Period>("life")?.unwrap_or_default();
        details.other_names = fields.values::<OtherName>("other_names")?;
        details.identifiers = fields.values::<Identifier>("identifiers")?;
        let quote = fields.optional("quote")?;
        let value =
            Organization::new(id, details).map_err(|error| data_error(&fields.path, error))?;
        self.define(&fields, &key, Defined::Organization(id))?;
        fields.finish()?;
        self.push("organizations", key, DemoValue::Organization(value), quote);
        Ok(())
    }

    fn post(&mut self, path: String, value: Value) -> Result<(), DemoError> {
        let mut fields = Fields::new(path, value)?;
        let key = fields.key("posts")?;
        let id = PostId::new();
        let details = PostDetails {
            organization: self.reference(
                &mut fields,
                "organization",
                "an organization",
                organization,
            )?,
            title: fields.required("title")?,
            seats: seats(&mut fields)?,
            life: fields.optional::<Period>("life")?.unwrap_or_default(),
        };
        let quote = fields.optional("quote")?;
        let value = Post::new(id, details).map_err(|error| data_error(&fields.path, error))?;
        self.define(&fields, &key, Defined::Post(id))?;
        fields.finish()?;
        self.push("posts", key, DemoValue::Post(value), quote);
        Ok(())
    }

    fn person(&mut self, path: String, value: Value) -> Result<(), DemoError> {
        let mut fields = Fields::new(path, value)?;
        let key = fields.key("people")?;
        let id = PersonId::new();
        let name_path = fields.at("name");
        let written: String = fields.required("name")?;
        // The file writes names as they are, without honorifics, so nothing is stripped.
        let mut name =
            PersonName::parse_verbatim(&written).map_err(|error| data_error(&name_path, error))?;
        let override_path = fields.at("sort_override");
        if let Some(sort_override) = fields.optional::<String>("sort_override")? {
            name = name
                .with_sort_override(&sort_override)
                .map_err(|error| data_error(&override_path, error))?;
        }
        let mut details = PersonDetails::named(name);
        details.gender = fields.optional::<Gender>("gender")?;
        details.birth_date = fields.optional::<PartialDate>("birth_date")?;
        details.death_date = fields.optional::<PartialDate>("death_date")?;
        details.other_names = fields.values::<OtherName>("other_names")?;
        details.identifiers = fields.values::<Identifier>("identifiers")?;
        let quote = fields.optional("quote")?;
        let value = Person::new(id, details).map_err(|error| data_error(&fields.path, error))?;
        self.define(&fields, &key, Defined::Person(id))?;
        fields.finish()?;
        self.push("people", key, DemoValue::Person(value), quote);
        Ok(())
    }

    fn holding(&mut self, path: String, value: Value) -> Result<(), DemoError> {
        let mut fields = Fields::new(path, value)?;
        let key = fields.key("holdings")?;
        let id = HoldingId::new();
        let details = HoldingDetails {
            person: self.reference(&mut fields, "person", "a person", person)?,
            post: self.reference(&mut fields, "post", "a post", post)?,
            period: fields.optional::<Period>("period")?.unwrap_or_default(),
            kind: fields.required::<HoldingKind>("kind")?,
            term: fields.optional::<TermLabel>("term")?,
            document: fields.optional("document")?,
            end_reason: fields.optional::<EndReason>("end_reason")?,
        };
        let quote = fields.optional("quote")?;
        let value = Holding::new(id, details).map_err(|error| data_error(&fields.path, error))?;
        self.define(&fields, &key, Defined::Holding)?;
        fields.finish()?;
        self.push("holdings", key, DemoValue::Holding(value), quote);
        Ok(())
    }

    fn participant(&self, mut fields: Fields) -> Result<Participant, DemoError> {
        let participant = Participant {
            person: self.reference(&mut fields, "person", "a person", person)?,
            capacities: self.references(&mut fields, "capacities", "a post", post)?,
        };
        fields.finish()?;
        Ok(participant)
    }

    fn participants(
        &self,
        fields: &mut Fields,
        name: &'static str,
    ) -> Result<Vec<Participant>, DemoError> {
        fields
            .records(name)?
            .into_iter()
            .map(|item| self.participant(item))
            .collect()
    }

    fn meeting(&mut self, path: String, value: Value) -> Result<(), DemoError> {
        let mut fields = Fields::new(path, value)?;
        let key = fields.key("meetings")?;
        let id = MeetingId::new();
        let details = MeetingDetails {
            title: fields.required("title")?,
            kind: fields.required::<MeetingKind>("kind")?,
            organizer: self.reference(&mut fields, "organizer", "an organization", organization)?,
            held_at: fields.required::<PartialDateTime>("held_at")?,
            location: fields.optional("location")?,
            chairs: self.participants(&mut fields, "chairs")?,
            attendees: self.participants(&mut fields, "attendees")?,
            agenda: fields.values::<Text>("agenda")?,
        };
        let quote = fields.optional("quote")?;
        let value = Meeting::new(id, details).map_err(|error| data_error(&fields.path, error))?;
        self.define(&fields, &key, Defined::Meeting(id))?;
        fields.finish()?;
        self.push("meetings", key, DemoValue::Meeting(value), quote);
        Ok(())
    }

    /// An assignee: `{"group": "Mặt trận"}` or `{"organization": "ubmttq"}`.
    fn assignee(&self, path: String, value: Value) -> Result<Assignee, DemoError> {
        let mut fields = Fields::new(path, value)?;
        let group: Option<Text> = fields.optional("group")?;
        let organization =
            self.optional_reference(&mut fields, "organization", "an organization", organization)?;
        let assignee = match (group, organization) {
            (Some(name), None) => Assignee::Group { name },
            (None, Some(id)) => Assignee::Organization { id },
            _ => {
                return Err(data_error(
                    &fields.path,
                    "give either \"group\" (a group named in words) or \"organization\" (a key), not both or neither",
                ));
            }
        };
        fields.finish()?;
        Ok(assignee)
    }

    fn assignees(
        &self,
        fields: &mut Fields,
        name: &'static str,
    ) -> Result<Vec<Assignee>, DemoError> {
        fields
            .list(name)?
            .into_iter()
            .map(|(path, value)| self.assignee(path, value))
            .collect()
    }

    fn directive(&mut self, path: String, value: Value) -> Result<(), DemoError> {
        let mut fields = Fields::new(path, value)?;
        let key = fields.key("directives")?;
        let id = DirectiveId::new();
        let issuer = self.participant(fields.record("issuer")?)?;
        let details = DirectiveDetails {
            issuer,
            kind: fields.required::<DirectiveKind>("kind")?,
            issued_on: fields.required::<PartialDate>("issued_on")?,
            meeting: self.optional_reference(&mut fields, "meeting", "a meeting", meeting)?,
            document_number: fields.optional::<DocumentNumber>("document_number")?,
            summary: fields.required::<Prose>("summary")?,
            addressees: self.assignees(&mut fields, "addressees")?,
        };
        let quote = fields.optional("quote")?;
        let value = Directive::new(id, details).map_err(|error| data_error(&fields.path, error))?;
        let tasks = fields.records("tasks")?;
        self.define(&fields, &key, Defined::Directive)?;
        fields.finish()?;
        self.push(
            "directives",
            key.clone(),
            DemoValue::Directive(value),
            quote,
        );
        for (position, task) in (1..).zip(tasks) {
            self.task(&key, id, position, task)?;
        }
        Ok(())
    }

    fn task(
        &mut self,
        directive_key: &str,
        directive: DirectiveId,
        position: u32,
        mut fields: Fields,
    ) -> Result<(), DemoError> {
        let mut details = TaskDetails::new(
            directive,
            position,
            fields.required::<Prose>("text")?,
            fields.required::<NaiveDate>("assigned_on")?,
        );
        let lead_path = fields.at("lead");
        details.lead = fields
            .raw("lead")
            .map(|value| self.assignee(lead_path, value))
            .transpose()?;
        details.cooperating = self.assignees(&mut fields, "cooperating")?;
        details.addressees = self.assignees(&mut fields, "addressees")?;
        details.deadline = fields.optional::<NaiveDate>("deadline")?;
        let quote = fields.optional("quote")?;
        let value =
            Task::new(TaskId::new(), details).map_err(|error| data_error(&fields.path, error))?;
        fields.finish()?;
        self.push(
            "tasks",
            format!("{directive_key}/{position}"),
            DemoValue::Task(value),
            quote,
        );
        Ok(())
    }

    fn award_decision(&mut self, path: String, value: Value) -> Result<(), DemoError> {
        let mut fields = Fields::new(path, value)?;
        let key = fields.key("award_decisions")?;
        let id = AwardDecisionId::new();
        let number = fields.optional::<DocumentNumber>("number")?;
        let signed_on = fields.optional::<PartialDate>("signed_on")?;
        let authority =
            self.reference(&mut fields, "authority", "an organization", organization)?;
        let signer = match fields.optional_record("signer")? {
            Some(mut signer) => {
                let parsed = Signer {
                    person: self.optional_reference(&mut signer, "person", "a person", person)?,
                    capacity: signer.optional::<SignerCapacity>("capacity")?,
                };
                signer.finish()?;
                Some(parsed)
            }
            None => None,
        };
        let form = fields.required::<AwardForm>("form")?;
        let achievement = fields.required::<Achievement>("achievement")?;
        let mut recipients = Vec::new();
        for mut recipient in fields.records("recipients")? {
            let who = match (
                self.optional_reference(&mut recipient, "person", "a person", person)?,
                self.optional_reference(
                    &mut recipient,
                    "organization",
                    "an organization",
                    organization,
                )?,
            ) {
                (Some(id), None) => RecipientRef::Person(id),
                (None, Some(id)) => RecipientRef::Organization(id),
                _ => {
                    return Err(data_error(
                        &recipient.path,
                        "give either \"person\" or \"organization\" (a key), not both or neither",
                    ));
                }
            };
            recipients.push(NamedRecipient {
                recipient: who,
                kind: recipient.required::<RecipientKind>("kind")?,
                reason: recipient.optional::<Prose>("reason")?,
                prize_vnd: recipient.optional::<u64>("prize_vnd")?,
            });
            recipient.finish()?;
        }
        let unnamed_recipients = fields.values::<UnnamedRecipients>("unnamed_recipients")?;
        let status = status(&mut fields)?;
        let mut presentations = Vec::new();
        for mut presentation in fields.records("presentations")? {
            presentations.push(Presentation {
                meeting: self.optional_reference(
                    &mut presentation,
                    "meeting",
                    "a meeting",
                    meeting,
                )?,
                presenter: self.optional_reference(
                    &mut presentation,
                    "presenter",
                    "a person",
                    person,
                )?,
                date: presentation.optional::<PartialDate>("date")?,
            });
            presentation.finish()?;
        }
        let details = AwardDecisionDetails {
            number,
            signed_on,
            authority,
            signer,
            form,
            achievement,
            recipients,
            unnamed_recipients,
            status,
            presentations,
        };
        let quote = fields.optional("quote")?;
        let value =
            AwardDecision::new(id, details).map_err(|error| data_error(&fields.path, error))?;
        self.define(&fields, &key, Defined::AwardDecision)?;
        fields.finish()?;
        self.push(
            "award_decisions",
            key,
            DemoValue::AwardDecision(value),
            quote,
        );
        Ok(())
    }
}

const fn organization(defined: Defined) -> Option<OrganizationId> {
    match defined {
        Defined::Organization(id) => Some(id),
        _ => None,
    }
}

const fn post(defined: Defined) -> Option<PostId> {
    match defined {
        Defined::Post(id) => Some(id),
        _ => None,
    }
}

const fn person(defined: Defined) -> Option<PersonId> {
    match defined {
        Defined::Person(id) => Some(id),
        _ => None,
    }
}

const fn meeting(defined: Defined) -> Option<MeetingId> {
    match defined {
        Defined::Meeting(id) => Some(id),
        _ => None,
    }
}

/// A post's seats: a number from 1, or "unlimited".
fn seats(fields: &mut Fields) -> Result<Seats, DemoError> {
    let path = fields.at("seats");
    let problem = "expected a number of seats from 1, or \"unlimited\"";
    match fields.raw("seats") {
        Some(Value::String(text)) if text == "unlimited" => Ok(Seats::Unlimited),
        Some(Value::Number(number)) => {
            let count = number
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| data_error(&path, problem))?;
            Seats::try_from(Some(count)).map_err(|error| data_error(&path, error))
        }
        Some(_) => Err(data_error(&path, problem)),
        None => Err(data_error(&path, format!("is required: {problem}"))),
    }
}

/// A decision's status: "issued", or a revocation in the domain's form
/// (`{"status": "revoked", "on": ..., "reason": ..., "document": ...}`).
fn status(fields: &mut Fields) -> Result<DecisionStatus, DemoError> {
    let path = fields.at("status");
    match fields.raw("status") {
        Some(Value::String(text)) if text == "issued" => Ok(DecisionStatus::Issued),
        Some(value @ Value::Object(_)) => parse_value(&path, value),
        Some(_) => Err(data_error(
            &path,
            "expected \"issued\" or a revocation {\"status\": \"revoked\", \"on\", \"reason\", \"document\"}",
        )),
        None => Err(data_error(&path, "is required (\"issued\")")),
    }
}

fn parse_source(mut fields: Fields, article: &str) -> Result<Source, DemoError> {
    let mut details = SourceDetails::new(
        fields.required::<SourceKind>("kind")?,
        fields.required::<Text>("title")?,
    );
    details.publisher = fields.optional("publisher")?;
    details.url = fields.optional::<Url>("url")?;
    details.published_at = fields.optional::<PartialDateTime>("published_at")?;
    details.byline = fields.optional("byline")?;
    details.photo_credits = fields.values::<Text>("photo_credits")?;
    details.retrieved_at = fields.optional::<DateTime<Utc>>("retrieved_at")?;
    let text_path = fields.at("text_file");
    if let Some(file) = fields.optional::<String>("text_file")? {
        if file != ARTICLE_FILE {
            return Err(data_error(
                text_path,
                format!("the demo ships the text of {ARTICLE_FILE:?} only, not {file:?}"),
            ));
        }
        details.content_hash = Some(ContentHash::of_text(article));
    }
    let source =
        Source::new(SourceId::new(), details).map_err(|error| data_error(&fields.path, error))?;
    fields.finish()?;
    Ok(source)
}
