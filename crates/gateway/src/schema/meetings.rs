//! Meetings and directives in the schema: the `Meeting`, `Directive` and `Participant` types,
//! their queries and mutations, and the loader keys of their relations.

use std::collections::HashMap;

use async_graphql::connection::Connection;
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use gazette_domain::award::number::{DocumentNumber, DocumentNumberFormat};
use gazette_domain::directive::{Directive, DirectiveDetails};
use gazette_domain::ids::{DirectiveId, MeetingId, OrganizationId, PersonId, PostId};
use gazette_domain::meeting::{Meeting, MeetingDetails, Participant};
use gazette_domain::source::Subject;
use gazette_domain::task::Task;
use gazette_domain::text::{Prose, Text};
use gazette_storage::{DirectiveFilter, MeetingFilter, StorageError};

use super::connection::{connection, page_cost, page_request};
use super::context::{database, editor};
use super::error::{ApiResult, StorageResultExt, bad_input};
use super::ids::{expect, global_id};
use super::loaders::{Fetch, by_id, list, many, one};
use super::organizations::{OrganizationObject, PostObject, optional_id, referenced};
use super::people::PersonObject;
use super::scalars::{DateScalar, PartialDateScalar, PartialDateTimeScalar};
use super::sources::{CitationObject, SourceObject, citations_of, sources_of};
use super::tasks::TaskObject;
use super::tasks::{AssigneeInput, AssigneeObject};

by_id!(MeetingId, Meeting, meetings_by_ids);
by_id!(DirectiveId, Directive, directives_by_ids);

/// Key: the meetings a person chaired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MeetingsChairedBy(pub PersonId);

impl async_graphql::dataloader::Loader<MeetingsChairedBy> for Fetch {
    type Value = Vec<Meeting>;
    type Error = StorageError;

    async fn load(
        &self,
        keys: &[MeetingsChairedBy],
    ) -> Result<HashMap<MeetingsChairedBy, Self::Value>, Self::Error> {
        let people: Vec<_> = keys.iter().map(|k| k.0).collect();
        let mut found = self.db.meetings_chaired_by(&people).await?;
        Ok(keys
            .iter()
            .map(|k| (*k, found.remove(&k.0).unwrap_or_default()))
            .collect())
    }
}

/// Key: the meetings a person chaired or attended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MeetingsOf(pub PersonId);

impl async_graphql::dataloader::Loader<MeetingsOf> for Fetch {
    type Value = Vec<Meeting>;
    type Error = StorageError;

    async fn load(
        &self,
        keys: &[MeetingsOf],
    ) -> Result<HashMap<MeetingsOf, Self::Value>, Self::Error> {
        let people: Vec<_> = keys.iter().map(|k| k.0).collect();
        let mut found = self.db.meetings_of_people(&people).await?;
        Ok(keys
            .iter()
            .map(|k| (*k, found.remove(&k.0).unwrap_or_default()))
            .collect())
    }
}

/// Key: the directives given at a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DirectivesOfMeeting(pub MeetingId);

impl async_graphql::dataloader::Loader<DirectivesOfMeeting> for Fetch {
    type Value = Vec<Directive>;
    type Error = StorageError;

    async fn load(
        &self,
        keys: &[DirectivesOfMeeting],
    ) -> Result<HashMap<DirectivesOfMeeting, Self::Value>, Self::Error> {
        let meetings: Vec<_> = keys.iter().map(|k| k.0).collect();
        let mut found = self.db.directives_of_meetings(&meetings).await?;
        Ok(keys
            .iter()
            .map(|k| (*k, found.remove(&k.0).unwrap_or_default()))
            .collect())
    }
}

/// Key: the tasks a directive assigns, in their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TasksOfDirective(pub DirectiveId);

impl async_graphql::dataloader::Loader<TasksOfDirective> for Fetch {
    type Value = Vec<Task>;
    type Error = StorageError;

    async fn load(
        &self,
        keys: &[TasksOfDirective],
    ) -> Result<HashMap<TasksOfDirective, Self::Value>, Self::Error> {
        let directives: Vec<_> = keys.iter().map(|k| k.0).collect();
        let mut found = self.db.tasks_of_directives(&directives).await?;
        Ok(keys
            .iter()
            .map(|k| (*k, found.remove(&k.0).unwrap_or_default()))
            .collect())
    }
}

/// What kind of meeting it was.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "gazette_domain::meeting::MeetingKind")]
pub enum MeetingKind {
    /// A conference (hội nghị), e.g. a year-end review (tổng kết).
    Conference,
    /// A session of a People's Council or the National Assembly (kỳ họp).
    CouncilSession,
    /// A working session (buổi làm việc) with a unit or locality.
    WorkingSession,
    /// A regular or extraordinary meeting of a body (phiên họp, cuộc họp).
    Meeting,
    /// A ceremony (lễ): an award presentation, an announcement of a decision.
    Ceremony,
    /// A congress (đại hội).
    Congress,
    /// Anything else.
    Other,
}

/// What form a directive took.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "gazette_domain::directive::DirectiveKind")]
pub enum DirectiveKind {
    /// A directing speech at a meeting (phát biểu chỉ đạo).
    DirectingSpeech,
    /// A leader's conclusions at a meeting (kết luận).
    Conclusion,
    /// A directive document (Chỉ thị, "05-CT/TU").
    DirectiveDocument,
    /// A notice of conclusions (Thông báo kết luận, "134/TB-VPCP").
    ConclusionNotice,
    /// Anything else: a request (đề nghị, yêu cầu), an assignment (giao).
    Other,
}

/// Which known format a document number follows.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum DocumentNumberFormatKind {
    /// A state document: "163/QĐ-UBND" (number, document type, issuer).
    State,
    /// A normative document, which carries its year: "31/2020/QĐ-UBND".
    Normative,
    /// A Party document: "983-QĐ/TU" (number, document type, issuer).
    Party,
    /// A number alone, as news reports often give it: "2846".
    Bare,
    /// None of the above; only the raw text is known.
    Unrecognized,
}

/// A document number as written, with its parts when it follows a known format.
#[derive(Clone)]
pub struct DocumentNumberObject(pub DocumentNumber);

/// A document number (số văn bản): "05-CT/TU", "134/TB-VPCP", "31/2020/QĐ-UBND".
#[Object(name = "DocumentNumber")]
impl DocumentNumberObject {
    /// The number exactly as written (trimmed and NFC-normalized).
    async fn raw(&self) -> &str {
        self.0.raw()
    }

    /// Which known format it follows.
    async fn format(&self) -> DocumentNumberFormatKind {
        match self.0.format() {
            DocumentNumberFormat::State { .. } => DocumentNumberFormatKind::State,
            DocumentNumberFormat::Normative { .. } => DocumentNumberFormatKind::Normative,
            DocumentNumberFormat::Party { .. } => DocumentNumberFormatKind::Party,
            DocumentNumberFormat::Bare { .. } => DocumentNumberFormatKind::Bare,
            DocumentNumberFormat::Unrecognized => DocumentNumberFormatKind::Unrecognized,
        }
    }

    /// The number part ("05" of "05-CT/TU"), when the format is known.
    async fn number(&self) -> Option<&str> {
        self.0.number()
    }

    /// The document type code ("CT", "TB", "QĐ"), when the format carries one.
    async fn document_type(&self) -> Option<&str> {
        self.0.document_type()
    }

    /// The issuer code as written ("TU", "VPCP", "UBND"), when the format carries one.
    async fn issuer(&self) -> Option<&str> {
        self.0.issuer()
    }

    /// The year, for a normative document number ("31/2020/QĐ-UBND" → 2020).
    async fn year(&self) -> Option<i32> {
        self.0.year()
    }

    /// A key under which spelling variants of one number compare equal ("163 / QÐ-UBND" and
    /// "163/QĐ-UBND" share "163/QĐ-UBND").
    async fn key(&self) -> String {
        self.0.key()
    }
}

/// A person taking part in a meeting or issuing a directive.
#[derive(Clone)]
pub struct ParticipantObject(pub Participant);

/// A person taking part in a meeting or issuing a directive, with the posts they acted in
/// ("đồng chí Phạm Văn Hiểu, Phó Bí thư Thường trực Thành ủy, Chủ tịch HĐND thành phố").
#[Object(name = "Participant")]
impl ParticipantObject {
    /// The person.
    async fn person(&self, ctx: &Context<'_>) -> ApiResult<PersonObject> {
        referenced(ctx, self.0.person, "person")
            .await
            .map(PersonObject)
    }

    /// The posts named as their capacity, in the order the source gives them.
    async fn capacities(&self, ctx: &Context<'_>) -> ApiResult<Vec<PostObject>> {
        Ok(many(ctx, self.0.capacities.clone())
            .await?
            .into_iter()
            .map(PostObject)
            .collect())
    }
}

/// A meeting.
#[derive(Clone)]
pub struct MeetingObject(pub Meeting);

/// A meeting: a conference, council session, working session, ceremony or congress, with who
/// chaired and attended it in which capacity.
#[Object(name = "Meeting")]
impl MeetingObject {
    /// The global id.
    pub async fn id(&self) -> ID {
        global_id("Meeting", self.0.id().as_uuid())
    }

    /// The title: "Hội nghị tổng kết công tác dân vận và thực hiện QCDC ở cơ sở năm 2020".
    async fn title(&self) -> &str {
        self.0.title.as_str()
    }

    /// What kind of meeting.
    async fn kind(&self) -> MeetingKind {
        self.0.kind.into()
    }

    /// The organization that held it.
    async fn organizer(&self, ctx: &Context<'_>) -> ApiResult<OrganizationObject> {
        referenced(ctx, self.0.organizer, "organization")
            .await
            .map(OrganizationObject)
    }

    /// When, as precisely as known (local time).
    async fn held_at(&self) -> PartialDateTimeScalar {
        PartialDateTimeScalar(self.0.held_at)
    }

    /// Where.
    async fn location(&self) -> Option<&str> {
        self.0.location.as_ref().map(Text::as_str)
    }

    /// Who chaired it (chủ trì), in which capacity.
    async fn chairs(&self) -> Vec<ParticipantObject> {
        self.0
            .chairs
            .iter()
            .cloned()
            .map(ParticipantObject)
            .collect()
    }

    /// Who attended it (dự), in which capacity.
    async fn attendees(&self) -> Vec<ParticipantObject> {
        self.0
            .attendees
            .iter()
            .cloned()
            .map(ParticipantObject)
            .collect()
    }

    /// The agenda, in order.
    async fn agenda(&self) -> Vec<&str> {
        self.0.agenda.iter().map(Text::as_str).collect()
    }

    /// The directives given at it, in date order.
    async fn directives(&self, ctx: &Context<'_>) -> ApiResult<Vec<DirectiveObject>> {
        Ok(list(ctx, DirectivesOfMeeting(self.0.id()))
            .await?
            .into_iter()
            .map(DirectiveObject)
            .collect())
    }

    /// The citations of this record: which sources say what about it.
    async fn citations(&self, ctx: &Context<'_>) -> ApiResult<Vec<CitationObject>> {
        citations_of(ctx, Subject::Meeting(self.0.id())).await
    }

    /// The sources this record was recorded from, each once, in the order first cited.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceObject>> {
        sources_of(ctx, Subject::Meeting(self.0.id())).await
    }
}

/// A directive.
#[derive(Clone)]
pub struct DirectiveObject(pub Directive);

/// A directive: what a leader directed at a meeting or in a document (a directing speech,
/// conclusions, a Chỉ thị, a notice of conclusions), addressed to organizations and groups and
/// broken into tasks.
#[Object(name = "Directive")]
impl DirectiveObject {
    /// The global id.
    pub async fn id(&self) -> ID {
        global_id("Directive", self.0.id().as_uuid())
    }

    /// Who issued it, in which capacity.
    async fn issuer(&self) -> ParticipantObject {
        ParticipantObject(self.0.issuer.clone())
    }

    /// What form it took.
    async fn kind(&self) -> DirectiveKind {
        self.0.kind.into()
    }

    /// When it was given or signed, as precisely as known.
    async fn issued_on(&self) -> PartialDateScalar {
        PartialDateScalar(self.0.issued_on)
    }

    /// The meeting it was given at, if any.
    async fn meeting(&self, ctx: &Context<'_>) -> ApiResult<Option<MeetingObject>> {
        match self.0.meeting {
            Some(meeting) => referenced(ctx, meeting, "meeting")
                .await
                .map(|m| Some(MeetingObject(m))),
            None => Ok(None),
        }
    }

    /// The document number, when it is a document ("05-CT/TU").
    async fn document_number(&self) -> Option<DocumentNumberObject> {
        self.0.document_number.clone().map(DocumentNumberObject)
    }

    /// What it says, in brief.
    async fn summary(&self) -> &str {
        self.0.summary.as_str()
    }

    /// Whom it addresses, in the source's order.
    async fn addressees(&self) -> Vec<AssigneeObject> {
        self.0
            .addressees
            .iter()
            .cloned()
            .map(AssigneeObject)
            .collect()
    }

    /// The tasks it assigns, in their order.
    async fn tasks(&self, ctx: &Context<'_>) -> ApiResult<Vec<TaskObject>> {
        Ok(list(ctx, TasksOfDirective(self.0.id()))
            .await?
            .into_iter()
            .map(TaskObject::whole)
            .collect())
    }

    /// The citations of this record: which sources say what about it.
    async fn citations(&self, ctx: &Context<'_>) -> ApiResult<Vec<CitationObject>> {
        citations_of(ctx, Subject::Directive(self.0.id())).await
    }

    /// The sources this record was recorded from, each once, in the order first cited.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceObject>> {
        sources_of(ctx, Subject::Directive(self.0.id())).await
    }
}

/// A participant, as input.
#[derive(InputObject)]
pub struct ParticipantInput {
    /// The person.
    pub person: ID,
    /// The posts they acted in, in the source's order; each must be a post they held on the
    /// day.
    #[graphql(default)]
    pub capacities: Vec<ID>,
}

impl ParticipantInput {
    /// The domain value, or a bad-input error.
    pub fn parse(&self) -> ApiResult<Participant> {
        Ok(Participant {
            person: PersonId::from_uuid(expect(&self.person, "Person")?),
            capacities: self
                .capacities
                .iter()
                .map(|id| expect(id, "Post").map(PostId::from_uuid))
                .collect::<ApiResult<_>>()?,
        })
    }
}

/// The fields of a meeting, as input (an update replaces them all).
#[derive(InputObject)]
pub struct MeetingFields {
    /// The title.
    pub title: String,
    /// What kind of meeting.
    pub kind: MeetingKind,
    /// The organization that held it.
    pub organizer: ID,
    /// When, as precisely as known: "2021-01-15", "2021-01-15T08:00".
    pub held_at: PartialDateTimeScalar,
    /// Where.
    pub location: Option<String>,
    /// Who chaired it; each person appears once among chairs and attendees.
    #[graphql(default)]
    pub chairs: Vec<ParticipantInput>,
    /// Who attended it.
    #[graphql(default)]
    pub attendees: Vec<ParticipantInput>,
    /// The agenda, in order.
    #[graphql(default)]
    pub agenda: Vec<String>,
}

impl MeetingFields {
    fn parse(&self) -> ApiResult<MeetingDetails> {
        Ok(MeetingDetails {
            title: Text::parse(&self.title).map_err(|e| bad_input("title", e))?,
            kind: self.kind.into(),
            organizer: OrganizationId::from_uuid(expect(&self.organizer, "Organization")?),
            held_at: self.held_at.0,
            location: self
                .location
                .as_deref()
                .map(Text::parse)
                .transpose()
                .map_err(|e| bad_input("location", e))?,
            chairs: self
                .chairs
                .iter()
                .map(ParticipantInput::parse)
                .collect::<ApiResult<_>>()?,
            attendees: self
                .attendees
                .iter()
                .map(ParticipantInput::parse)
                .collect::<ApiResult<_>>()?,
            agenda: self
                .agenda
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    Text::parse(item).map_err(|e| bad_input(&format!("agenda[{i}]"), e))
                })
                .collect::<ApiResult<_>>()?,
        })
    }
}

/// Input of `recordMeeting`.
#[derive(InputObject)]
pub struct RecordMeetingInput {
    /// The meeting's fields.
    pub meeting: MeetingFields,
}

/// Input of `updateMeeting`.
#[derive(InputObject)]
pub struct UpdateMeetingInput {
    /// The meeting to update.
    pub id: ID,
    /// The new fields (they replace the old ones).
    pub meeting: MeetingFields,
}

/// Result of `recordMeeting` and `updateMeeting`.
#[derive(SimpleObject)]
pub struct MeetingPayload {
    /// The meeting as stored.
    pub meeting: MeetingObject,
}

/// The fields of a directive, as input (an update replaces them all).
#[derive(InputObject)]
pub struct DirectiveFields {
    /// Who issued it, in which capacity.
    pub issuer: ParticipantInput,
    /// What form it took.
    pub kind: DirectiveKind,
    /// When it was given or signed.
    pub issued_on: PartialDateScalar,
    /// The meeting it was given at; it cannot be dated before the meeting.
    pub meeting: Option<ID>,
    /// The document number, when it is a document: "05-CT/TU".
    pub document_number: Option<String>,
    /// What it says, in brief (several lines allowed).
    pub summary: String,
    /// Whom it addresses, in the source's order.
    #[graphql(default)]
    pub addressees: Vec<AssigneeInput>,
}

impl DirectiveFields {
    fn parse(&self) -> ApiResult<DirectiveDetails> {
        Ok(DirectiveDetails {
            issuer: self.issuer.parse()?,
            kind: self.kind.into(),
            issued_on: self.issued_on.0,
            meeting: optional_id(self.meeting.as_ref(), "Meeting", MeetingId::from_uuid)?,
            document_number: self
                .document_number
                .as_deref()
                .map(DocumentNumber::parse)
                .transpose()
                .map_err(|e| bad_input("documentNumber", e))?,
            summary: Prose::parse(&self.summary).map_err(|e| bad_input("summary", e))?,
            addressees: self
                .addressees
                .iter()
                .enumerate()
                .map(|(i, a)| a.parse(&format!("addressees[{i}]")))
                .collect::<ApiResult<_>>()?,
        })
    }
}

/// Input of `issueDirective`.
#[derive(InputObject)]
pub struct IssueDirectiveInput {
    /// The directive's fields.
    pub directive: DirectiveFields,
}

/// Input of `updateDirective`.
#[derive(InputObject)]
pub struct UpdateDirectiveInput {
    /// The directive to update.
    pub id: ID,
    /// The new fields (they replace the old ones).
    pub directive: DirectiveFields,
}

/// Result of `issueDirective` and `updateDirective`.
#[derive(SimpleObject)]
pub struct DirectivePayload {
    /// The directive as stored.
    pub directive: DirectiveObject,
}

/// Meetings and directives: queries.
#[derive(Default)]
pub struct MeetingsQuery;

#[Object]
impl MeetingsQuery {
    /// One meeting by id.
    async fn meeting(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<MeetingObject>> {
        let id = MeetingId::from_uuid(expect(&id, "Meeting")?);
        Ok(one(ctx, id).await?.map(MeetingObject))
    }

    /// Meetings in date order. `from`/`to` keep those any of whose days fall in the window (a
    /// meeting dated only "2021-01" is in a window on 2021-01-20); `title` matches words of the
    /// title, ignoring case, diacritics and tone placement.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(
        clippy::too_many_arguments,
        reason = "a Relay connection field with its filters"
    )]
    async fn meetings(
        &self,
        ctx: &Context<'_>,
        organizer: Option<ID>,
        from: Option<DateScalar>,
        to: Option<DateScalar>,
        title: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Connection<String, MeetingObject>> {
        let filter = MeetingFilter {
            organizer: optional_id(
                organizer.as_ref(),
                "Organization",
                OrganizationId::from_uuid,
            )?,
            from: from.map(|d| d.0),
            to: to.map(|d| d.0),
            title,
        };
        let page = database(ctx)?
            .meetings(&filter, &page_request(first, after, last, before)?)
            .await
            .api()?;
        Ok(connection(page, MeetingObject))
    }

    /// One directive by id.
    async fn directive(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<DirectiveObject>> {
        let id = DirectiveId::from_uuid(expect(&id, "Directive")?);
        Ok(one(ctx, id).await?.map(DirectiveObject))
    }

    /// Directives in date order. `issuer` keeps those a person issued, `meeting` those given at
    /// a meeting; `from`/`to` keep those any of whose days fall in the window.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(
        clippy::too_many_arguments,
        reason = "a Relay connection field with its filters"
    )]
    async fn directives(
        &self,
        ctx: &Context<'_>,
        issuer: Option<ID>,
        meeting: Option<ID>,
        from: Option<DateScalar>,
        to: Option<DateScalar>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Connection<String, DirectiveObject>> {
        let filter = DirectiveFilter {
            issuer: optional_id(issuer.as_ref(), "Person", PersonId::from_uuid)?,
            meeting: optional_id(meeting.as_ref(), "Meeting", MeetingId::from_uuid)?,
            from: from.map(|d| d.0),
            to: to.map(|d| d.0),
        };
        let page = database(ctx)?
            .directives(&filter, &page_request(first, after, last, before)?)
            .await
            .api()?;
        Ok(connection(page, DirectiveObject))
    }
}

/// Meetings and directives: mutations.
#[derive(Default)]
pub struct MeetingsMutation;

#[Object]
impl MeetingsMutation {
    /// Records a meeting. Its organizer, participants and their capacities must be recorded,
    /// and every capacity must be a post the person held on the meeting's date.
    async fn record_meeting(
        &self,
        ctx: &Context<'_>,
        input: RecordMeetingInput,
    ) -> ApiResult<MeetingPayload> {
        let actor = editor(ctx)?;
        let meeting = Meeting::new(MeetingId::new(), input.meeting.parse()?)
            .map_err(|e| bad_input("meeting", e))?;
        database(ctx)?
            .record_meeting(&actor, &meeting)
            .await
            .api()?;
        Ok(MeetingPayload {
            meeting: MeetingObject(meeting),
        })
    }

    /// Replaces a meeting's fields, under the same rules as `recordMeeting`; the directives
    /// given at it must still come no earlier than its date.
    async fn update_meeting(
        &self,
        ctx: &Context<'_>,
        input: UpdateMeetingInput,
    ) -> ApiResult<MeetingPayload> {
        let actor = editor(ctx)?;
        let id = MeetingId::from_uuid(expect(&input.id, "Meeting")?);
        let meeting =
            Meeting::new(id, input.meeting.parse()?).map_err(|e| bad_input("meeting", e))?;
        database(ctx)?
            .update_meeting(&actor, &meeting)
            .await
            .api()?;
        Ok(MeetingPayload {
            meeting: MeetingObject(meeting),
        })
    }

    /// Issues a directive. The issuer must have held every post named as their capacity on its
    /// date, and a directive given at a meeting cannot be dated before the meeting.
    async fn issue_directive(
        &self,
        ctx: &Context<'_>,
        input: IssueDirectiveInput,
    ) -> ApiResult<DirectivePayload> {
        let actor = editor(ctx)?;
        let directive = Directive::new(DirectiveId::new(), input.directive.parse()?)
            .map_err(|e| bad_input("directive", e))?;
        database(ctx)?
            .issue_directive(&actor, &directive)
            .await
            .api()?;
        Ok(DirectivePayload {
            directive: DirectiveObject(directive),
        })
    }

    /// Replaces a directive's fields, under the same rules as `issueDirective`.
    async fn update_directive(
        &self,
        ctx: &Context<'_>,
        input: UpdateDirectiveInput,
    ) -> ApiResult<DirectivePayload> {
        let actor = editor(ctx)?;
        let id = DirectiveId::from_uuid(expect(&input.id, "Directive")?);
        let directive =
            Directive::new(id, input.directive.parse()?).map_err(|e| bad_input("directive", e))?;
        database(ctx)?
            .update_directive(&actor, &directive)
            .await
            .api()?;
        Ok(DirectivePayload {
            directive: DirectiveObject(directive),
        })
    }
}
