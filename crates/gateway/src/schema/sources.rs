//! Sources and citations in the schema: where every fact came from. A record's `citations` and
//! `sources` answer "where did this come from", a source's `citations` answer "what does this
//! article back".

use std::collections::{HashMap, HashSet};

use async_graphql::connection::Connection;
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject, Union};
use chrono::{DateTime, Utc};
use gazette_domain::ids::{
    AwardDecisionId, CitationId, DirectiveId, HoldingId, MeetingId, OrganizationId, PersonId,
    PostId, ProgressReportId, SourceId, TaskId,
};
use gazette_domain::source::{
    Citation, CitationDetails, ContentHash, Source, SourceDetails, Subject, Url,
};
use gazette_domain::text::Text;
use gazette_storage::{SourceFilter, StorageError};

use super::awards::AwardDecisionObject;
use super::connection::{connection, page_cost, page_request};
use super::context::{database, editor};
use super::error::{ApiResult, StorageResultExt, bad_input};
use super::ids::{decode, expect, global_id};
use super::loaders::{CitationsOf, Fetch, by_id, list, many, one};
use super::meetings::{DirectiveObject, MeetingObject};
use super::organizations::{HoldingObject, OrganizationObject, PostObject};
use super::people::PersonObject;
use super::scalars::PartialDateTimeScalar;
use super::tasks::TaskObject;

by_id!(SourceId, Source, sources_by_ids);

/// Key: the citations of a source ("what does this article back"), oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CitationsOfSource(pub SourceId);

impl async_graphql::dataloader::Loader<CitationsOfSource> for Fetch {
    type Value = Vec<Citation>;
    type Error = StorageError;

    async fn load(
        &self,
        keys: &[CitationsOfSource],
    ) -> Result<HashMap<CitationsOfSource, Self::Value>, Self::Error> {
        let sources: Vec<SourceId> = keys.iter().map(|k| k.0).collect();
        let mut found = self.db.citations_of_sources(&sources).await?;
        Ok(keys
            .iter()
            .map(|k| (*k, found.remove(&k.0).unwrap_or_default()))
            .collect())
    }
}

/// The GraphQL type name of a record that can cite a source (the prefix of its global id).
#[must_use]
pub fn type_name_of(subject: Subject) -> &'static str {
    match subject {
        Subject::Person(_) => "Person",
        Subject::Organization(_) => "Organization",
        Subject::Post(_) => "Post",
        Subject::Holding(_) => "Holding",
        Subject::Meeting(_) => "Meeting",
        Subject::Directive(_) => "Directive",
        Subject::Task(_) => "Task",
        Subject::ProgressReport(_) => "ProgressReport",
        Subject::AwardDecision(_) => "AwardDecision",
    }
}

/// The record a global id names, when it is of a kind that can cite a source.
pub fn subject_of_id(id: &ID, field: &str) -> ApiResult<Subject> {
    let (type_name, uuid) = decode(id)?;
    Ok(match type_name.as_str() {
        "Person" => Subject::Person(PersonId::from_uuid(uuid)),
        "Organization" => Subject::Organization(OrganizationId::from_uuid(uuid)),
        "Post" => Subject::Post(PostId::from_uuid(uuid)),
        "Holding" => Subject::Holding(HoldingId::from_uuid(uuid)),
        "Meeting" => Subject::Meeting(MeetingId::from_uuid(uuid)),
        "Directive" => Subject::Directive(DirectiveId::from_uuid(uuid)),
        "Task" => Subject::Task(TaskId::from_uuid(uuid)),
        "ProgressReport" => Subject::ProgressReport(ProgressReportId::from_uuid(uuid)),
        "AwardDecision" => Subject::AwardDecision(AwardDecisionId::from_uuid(uuid)),
        other => {
            return Err(bad_input(
                field,
                format!(
                    "a {other} cannot cite a source; records that can are people, \
                     organizations, posts, holdings, meetings, directives, tasks, progress \
                     reports and award decisions"
                ),
            ));
        }
    })
}

/// The global id of a record that can cite a source.
#[must_use]
pub fn subject_id(subject: Subject) -> ID {
    global_id(type_name_of(subject), subject.uuid())
}

/// The citations of a record, through the request's loader.
pub async fn citations_of(ctx: &Context<'_>, subject: Subject) -> ApiResult<Vec<CitationObject>> {
    Ok(list(ctx, CitationsOf(subject))
        .await?
        .into_iter()
        .map(CitationObject)
        .collect())
}

/// The sources a record cites, each once, in the order first cited, through the request's
/// loader.
pub async fn sources_of(ctx: &Context<'_>, subject: Subject) -> ApiResult<Vec<SourceObject>> {
    let citations: Vec<Citation> = list(ctx, CitationsOf(subject)).await?;
    let mut seen = HashSet::new();
    let ids: Vec<SourceId> = citations
        .iter()
        .map(|c| c.source)
        .filter(|id| seen.insert(*id))
        .collect();
    Ok(many(ctx, ids)
        .await?
        .into_iter()
        .map(SourceObject)
        .collect())
}

/// What kind of source it is.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "gazette_domain::source::SourceKind")]
pub enum SourceKind {
    /// A news report.
    NewsArticle,
    /// A legal or official document: a decision, a resolution, a notice.
    LegalDocument,
    /// Any other web page.
    WebPage,
}

/// A source.
#[derive(Clone)]
pub struct SourceObject(pub Source);

/// A source: a news article, a legal document or a web page that facts were recorded from.
#[Object(name = "Source")]
impl SourceObject {
    /// The global id.
    pub async fn id(&self) -> ID {
        global_id("Source", self.0.id().as_uuid())
    }

    /// What kind of source.
    async fn kind(&self) -> SourceKind {
        self.0.kind.into()
    }

    /// Its title or headline.
    async fn title(&self) -> &str {
        self.0.title.as_str()
    }

    /// Who published it ("Báo Cần Thơ").
    async fn publisher(&self) -> Option<&str> {
        self.0.publisher.as_ref().map(Text::as_str)
    }

    /// Where it can be read.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_ref().map(Url::as_str)
    }

    /// When it was published, local time, as precisely as known.
    async fn published_at(&self) -> Option<PartialDateTimeScalar> {
        self.0.published_at.map(PartialDateTimeScalar)
    }

    /// Who wrote it ("THANH THY").
    async fn byline(&self) -> Option<&str> {
        self.0.byline.as_ref().map(Text::as_str)
    }

    /// Who took its photos ("NGỌC QUYÊN").
    async fn photo_credits(&self) -> Vec<&str> {
        self.0.photo_credits.iter().map(Text::as_str).collect()
    }

    /// When Gazette retrieved it.
    async fn retrieved_at(&self) -> Option<DateTime<Utc>> {
        self.0.retrieved_at
    }

    /// The SHA-256 of the text retrieved (NFC), in 64 hexadecimal digits.
    async fn content_hash(&self) -> Option<&str> {
        self.0.content_hash.as_ref().map(ContentHash::as_str)
    }

    /// What cites it: the records this source backs, oldest citation first.
    async fn citations(&self, ctx: &Context<'_>) -> ApiResult<Vec<CitationObject>> {
        Ok(list(ctx, CitationsOfSource(self.0.id()))
            .await?
            .into_iter()
            .map(CitationObject)
            .collect())
    }
}

/// A record named by its kind and id, when it cannot be shown as itself.
#[derive(SimpleObject, Clone)]
pub struct RecordReference {
    /// The record's type ("ProgressReport").
    pub kind: String,
    /// The record's global id.
    pub id: ID,
}

/// The record a citation belongs to.
#[derive(Union, Clone)]
#[expect(
    clippy::large_enum_variant,
    reason = "each value is built once and moved straight into the response; boxing would only add an allocation"
)]
pub enum CitedRecord {
    /// A person.
    Person(PersonObject),
    /// An organization.
    Organization(OrganizationObject),
    /// A post.
    Post(PostObject),
    /// A holding of a post.
    Holding(HoldingObject),
    /// A meeting.
    Meeting(MeetingObject),
    /// A directive.
    Directive(DirectiveObject),
    /// A task.
    Task(TaskObject),
    /// An award decision.
    AwardDecision(AwardDecisionObject),
    /// A record shown by kind and id only: a progress report (which has no by-id read), or a
    /// record that is no longer there.
    RecordReference(RecordReference),
}

/// A citation.
#[derive(Clone)]
pub struct CitationObject(pub Citation);

/// A record citing a source, with a note on what the source says of it.
#[Object(name = "Citation")]
impl CitationObject {
    /// The global id.
    pub async fn id(&self) -> ID {
        global_id("Citation", self.0.id().as_uuid())
    }

    /// The source cited.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Option<SourceObject>> {
        Ok(one(ctx, self.0.source).await?.map(SourceObject))
    }

    /// The record that cites it.
    async fn subject(&self, ctx: &Context<'_>) -> ApiResult<CitedRecord> {
        let subject = self.0.subject;
        let found = match subject {
            Subject::Person(id) => one(ctx, id)
                .await?
                .map(|v| CitedRecord::Person(PersonObject(v))),
            Subject::Organization(id) => one(ctx, id)
                .await?
                .map(|v| CitedRecord::Organization(OrganizationObject(v))),
            Subject::Post(id) => one(ctx, id)
                .await?
                .map(|v| CitedRecord::Post(PostObject(v))),
            Subject::Holding(id) => one(ctx, id)
                .await?
                .map(|v| CitedRecord::Holding(HoldingObject(v))),
            Subject::Meeting(id) => one(ctx, id)
                .await?
                .map(|v| CitedRecord::Meeting(MeetingObject(v))),
            Subject::Directive(id) => one(ctx, id)
                .await?
                .map(|v| CitedRecord::Directive(DirectiveObject(v))),
            Subject::Task(id) => one(ctx, id)
                .await?
                .map(|v| CitedRecord::Task(TaskObject::whole(v))),
            Subject::AwardDecision(id) => one(ctx, id)
                .await?
                .map(|v| CitedRecord::AwardDecision(AwardDecisionObject::whole(v))),
            Subject::ProgressReport(_) => None,
        };
        Ok(found.unwrap_or_else(|| {
            CitedRecord::RecordReference(RecordReference {
                kind: type_name_of(subject).to_owned(),
                id: subject_id(subject),
            })
        }))
    }

    /// The citing record's type ("Task", "AwardDecision").
    async fn subject_kind(&self) -> &'static str {
        type_name_of(self.0.subject)
    }

    /// The citing record's global id.
    async fn subject_id(&self) -> ID {
        subject_id(self.0.subject)
    }

    /// What the source says of the record, or where ("paragraph 2").
    async fn note(&self) -> Option<&str> {
        self.0.note.as_ref().map(Text::as_str)
    }
}

/// The fields of a source, as input (an update replaces them all).
#[derive(InputObject)]
pub struct SourceFields {
    /// What kind of source.
    pub kind: SourceKind,
    /// Its title or headline.
    pub title: String,
    /// Who published it.
    pub publisher: Option<String>,
    /// Where it can be read: an absolute http or https URL.
    pub url: Option<String>,
    /// When it was published, local time, as precisely as known.
    pub published_at: Option<PartialDateTimeScalar>,
    /// Who wrote it.
    pub byline: Option<String>,
    /// Who took its photos.
    #[graphql(default)]
    pub photo_credits: Vec<String>,
    /// When Gazette retrieved it.
    pub retrieved_at: Option<DateTime<Utc>>,
    /// The SHA-256 of the text retrieved, in 64 lowercase hexadecimal digits.
    pub content_hash: Option<String>,
}

fn optional_text(field: &str, value: Option<&str>) -> ApiResult<Option<Text>> {
    value
        .map(Text::parse)
        .transpose()
        .map_err(|e| bad_input(field, e))
}

impl SourceFields {
    fn parse(&self) -> ApiResult<SourceDetails> {
        Ok(SourceDetails {
            kind: self.kind.into(),
            title: Text::parse(&self.title).map_err(|e| bad_input("title", e))?,
            publisher: optional_text("publisher", self.publisher.as_deref())?,
            url: self
                .url
                .as_deref()
                .map(Url::parse)
                .transpose()
                .map_err(|e| bad_input("url", e))?,
            published_at: self.published_at.map(|d| d.0),
            byline: optional_text("byline", self.byline.as_deref())?,
            photo_credits: self
                .photo_credits
                .iter()
                .enumerate()
                .map(|(i, credit)| {
                    Text::parse(credit).map_err(|e| bad_input(&format!("photoCredits[{i}]"), e))
                })
                .collect::<ApiResult<_>>()?,
            retrieved_at: self.retrieved_at,
            content_hash: self
                .content_hash
                .as_deref()
                .map(ContentHash::parse)
                .transpose()
                .map_err(|e| bad_input("contentHash", e))?,
        })
    }
}

/// Input of `createSource`.
#[derive(InputObject)]
pub struct CreateSourceInput {
    /// The source's fields.
    pub source: SourceFields,
}

/// Input of `updateSource`.
#[derive(InputObject)]
pub struct UpdateSourceInput {
    /// The source to update.
    pub id: ID,
    /// The new fields (they replace the old ones).
    pub source: SourceFields,
}

/// Input of `cite`.
#[derive(InputObject)]
pub struct CiteInput {
    /// The source cited.
    pub source: ID,
    /// The record that cites it: a person, organization, post, holding, meeting, directive,
    /// task, progress report or award decision.
    pub record: ID,
    /// What the source says of the record, or where ("paragraph 2").
    pub note: Option<String>,
}

/// Input of `uncite`.
#[derive(InputObject)]
pub struct UnciteInput {
    /// The citation to remove.
    pub id: ID,
}

/// Result of `createSource` and `updateSource`.
#[derive(SimpleObject)]
pub struct SourcePayload {
    /// The source as stored.
    pub source: SourceObject,
}

/// Result of `cite` and `uncite`.
#[derive(SimpleObject)]
pub struct CitationPayload {
    /// The citation as stored (for `uncite`: as it was before its removal).
    pub citation: CitationObject,
}

/// Source and citation queries.
#[derive(Default)]
pub struct SourcesQuery;

#[Object]
impl SourcesQuery {
    /// One source by id.
    async fn source(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<SourceObject>> {
        let id = SourceId::from_uuid(expect(&id, "Source")?);
        Ok(one(ctx, id).await?.map(SourceObject))
    }

    /// Sources in the order they were recorded. `title` matches word prefixes, ignoring case,
    /// diacritics and tone placement ("dan van" finds "Dân vận"); `publisher` is compared
    /// exactly once normalized ("Báo Cần Thơ").
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(
        clippy::too_many_arguments,
        reason = "a Relay connection field with its filters"
    )]
    async fn sources(
        &self,
        ctx: &Context<'_>,
        title: Option<String>,
        publisher: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Connection<String, SourceObject>> {
        let filter = SourceFilter { title, publisher };
        let page = database(ctx)?
            .sources(&filter, &page_request(first, after, last, before)?)
            .await
            .api()?;
        Ok(connection(page, SourceObject))
    }

    /// Where a record's facts came from: the citations of any record that can cite a source
    /// (person, organization, post, holding, meeting, directive, task, progress report, award
    /// decision), oldest first.
    async fn citations(&self, ctx: &Context<'_>, record: ID) -> ApiResult<Vec<CitationObject>> {
        citations_of(ctx, subject_of_id(&record, "record")?).await
    }
}

/// Source and citation mutations.
#[derive(Default)]
pub struct SourcesMutation;

#[Object]
impl SourcesMutation {
    /// Records a new source.
    async fn create_source(
        &self,
        ctx: &Context<'_>,
        input: CreateSourceInput,
    ) -> ApiResult<SourcePayload> {
        let actor = editor(ctx)?;
        let source = Source::new(SourceId::new(), input.source.parse()?)
            .map_err(|e| bad_input("source", e))?;
        database(ctx)?.create_source(&actor, &source).await.api()?;
        Ok(SourcePayload {
            source: SourceObject(source),
        })
    }

    /// Replaces a source's fields.
    async fn update_source(
        &self,
        ctx: &Context<'_>,
        input: UpdateSourceInput,
    ) -> ApiResult<SourcePayload> {
        let actor = editor(ctx)?;
        let id = SourceId::from_uuid(expect(&input.id, "Source")?);
        let source = Source::new(id, input.source.parse()?).map_err(|e| bad_input("source", e))?;
        database(ctx)?.update_source(&actor, &source).await.api()?;
        Ok(SourcePayload {
            source: SourceObject(source),
        })
    }

    /// Records that a record cites a source; both must exist.
    async fn cite(&self, ctx: &Context<'_>, input: CiteInput) -> ApiResult<CitationPayload> {
        let actor = editor(ctx)?;
        let details = CitationDetails {
            source: SourceId::from_uuid(expect(&input.source, "Source")?),
            subject: subject_of_id(&input.record, "record")?,
            note: optional_text("note", input.note.as_deref())?,
        };
        let citation =
            Citation::new(CitationId::new(), details).map_err(|e| bad_input("citation", e))?;
        database(ctx)?.cite(&actor, &citation).await.api()?;
        Ok(CitationPayload {
            citation: CitationObject(citation),
        })
    }

    /// Removes a citation; returns it as it was.
    async fn uncite(&self, ctx: &Context<'_>, input: UnciteInput) -> ApiResult<CitationPayload> {
        let actor = editor(ctx)?;
        let id = CitationId::from_uuid(expect(&input.id, "Citation")?);
        let removed = database(ctx)?.uncite(&actor, id).await.api()?;
        Ok(CitationPayload {
            citation: CitationObject(removed),
        })
    }
}
