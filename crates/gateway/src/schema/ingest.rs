//! Article ingestion in the schema: `ingestArticle(text, source, apply)` reads a Vietnamese news
//! report into a draft (see `gazette_ingest` and docs/ingest.md) and, with `apply: true`, stores
//! it in one transaction. The draft's main parts are typed; `json` carries the whole draft.

use async_graphql::{Context, ID, InputObject, Json, Object, SimpleObject};
use gazette_ingest::{
    AddresseeDraft, AwardDraft, DirectiveDraft, Draft, IngestError, IngestOptions, MeetingDraft,
    OrganizationDraft, ParticipantDraft, PersonDraft, SourceHint, Span, TaskDraft, TitleDraft,
    Warning,
};

use super::context::{database, editor, events};
use super::error::{ApiResult, Code, api_error, from_storage};
use super::ids::global_id;
use gazette_storage::StorageError;

use crate::events::Event;
use crate::ingest::{ApplyError, ApplyReport};

/// What the caller knows about the article that its text may not say.
#[derive(InputObject, Default)]
#[graphql(name = "SourceHint")]
pub struct SourceHintInput {
    /// The publisher's name ("Báo Cần Thơ"); wins over a dateline marker.
    pub publisher: Option<String>,
    /// Where the article was read; a web address the publisher table knows also names the
    /// publisher and the place it covers.
    pub url: Option<String>,
    /// The headline, when the text has none.
    pub title: Option<String>,
}

/// Character offsets into the normalized article, end exclusive.
#[derive(SimpleObject, Clone, Copy)]
#[graphql(name = "DraftSpan")]
pub struct SpanObject {
    /// The first character.
    pub start: u64,
    /// One past the last character.
    pub end: u64,
}

impl From<Span> for SpanObject {
    fn from(span: Span) -> Self {
        Self {
            start: span.start as u64,
            end: span.end as u64,
        }
    }
}

/// A title as the article gives it, resolved to a post and an organization.
#[derive(SimpleObject, Clone)]
pub struct DraftTitle {
    /// As written ("Chủ tịch HĐND thành phố").
    pub text: String,
    /// The post's title ("Chủ tịch").
    pub post: Option<String>,
    /// The organization's draft key.
    pub organization: Option<String>,
    /// The organization's level (national, province, district, commune).
    pub level: Option<String>,
    /// How sure the resolution is, 0 to 1.
    pub confidence: f64,
}

impl From<&TitleDraft> for DraftTitle {
    fn from(title: &TitleDraft) -> Self {
        Self {
            text: title.text.clone(),
            post: title.post.clone(),
            organization: title.organization.clone(),
            level: title.level.map(|l| l.code().to_owned()),
            confidence: title.confidence,
        }
    }
}

/// A person the article names.
#[derive(SimpleObject)]
pub struct DraftPerson {
    /// The draft key other items use.
    pub key: String,
    /// The name.
    pub name: String,
    /// Every title the article gives them.
    pub titles: Vec<DraftTitle>,
    /// The first sentence naming them.
    pub span: SpanObject,
    /// Its text.
    pub quote: String,
    /// How sure the reading is.
    pub confidence: f64,
}

impl From<&PersonDraft> for DraftPerson {
    fn from(person: &PersonDraft) -> Self {
        Self {
            key: person.key.clone(),
            name: person.name.clone(),
            titles: person.titles.iter().map(DraftTitle::from).collect(),
            span: person.span.into(),
            quote: person.quote.clone(),
            confidence: person.confidence,
        }
    }
}

/// An organization the draft refers to.
#[derive(SimpleObject)]
pub struct DraftOrganization {
    /// The draft key.
    pub key: String,
    /// The full name, with the place from the article's context.
    pub name: String,
    /// The abbreviated name.
    pub abbreviation: Option<String>,
    /// How the article writes it.
    pub written: String,
    /// Its classification code ("peoples_committee").
    pub classification: String,
    /// Its level code.
    pub level: Option<String>,
    /// The draft key of the body it belongs to.
    pub parent: Option<String>,
    /// How sure the reading is.
    pub confidence: f64,
}

impl From<&OrganizationDraft> for DraftOrganization {
    fn from(organization: &OrganizationDraft) -> Self {
        Self {
            key: organization.key.clone(),
            name: organization.name.clone(),
            abbreviation: organization.abbreviation.clone(),
            written: organization.written.clone(),
            classification: organization.classification.code().to_owned(),
            level: organization.level.map(|l| l.code().to_owned()),
            parent: organization.parent.clone(),
            confidence: organization.confidence,
        }
    }
}

/// A participant: a person (by draft key) or a group described by title.
#[derive(SimpleObject)]
pub struct DraftParticipant {
    /// The person's draft key.
    pub person: Option<String>,
    /// The group, or the post holder, as written, when not one named person.
    pub group: Option<String>,
    /// The titles given with them.
    pub capacities: Vec<DraftTitle>,
}

impl From<&ParticipantDraft> for DraftParticipant {
    fn from(participant: &ParticipantDraft) -> Self {
        Self {
            person: participant.person.clone(),
            group: participant.group.clone(),
            capacities: participant
                .capacities
                .iter()
                .map(DraftTitle::from)
                .collect(),
        }
    }
}

/// The meeting the article reports.
#[derive(SimpleObject)]
pub struct DraftMeeting {
    /// Its title.
    pub title: Option<String>,
    /// Its kind code ("conference").
    pub kind: String,
    /// When.
    pub date: Option<String>,
    /// Where, when the report says.
    pub location: Option<String>,
    /// The organizer's draft key.
    pub organizer: Option<String>,
    /// Who chaired.
    pub chairs: Vec<DraftParticipant>,
    /// Who attended.
    pub attendees: Vec<DraftParticipant>,
    /// The sentence.
    pub quote: String,
    /// How sure the reading is.
    pub confidence: f64,
}

impl From<&MeetingDraft> for DraftMeeting {
    fn from(meeting: &MeetingDraft) -> Self {
        Self {
            title: meeting.title.clone(),
            kind: meeting.kind.code().to_owned(),
            date: meeting.date.map(|d| d.to_string()),
            location: meeting.location.clone(),
            organizer: meeting.organizer.clone(),
            chairs: meeting.chairs.iter().map(DraftParticipant::from).collect(),
            attendees: meeting
                .attendees
                .iter()
                .map(DraftParticipant::from)
                .collect(),
            quote: meeting.quote.clone(),
            confidence: meeting.confidence,
        }
    }
}

/// An addressee of a directive or task.
#[derive(SimpleObject)]
pub struct DraftAddressee {
    /// As written.
    pub name: String,
    /// The organization's draft key, when the words name one.
    pub organization: Option<String>,
}

impl From<&AddresseeDraft> for DraftAddressee {
    fn from(addressee: &AddresseeDraft) -> Self {
        Self {
            name: addressee.name.clone(),
            organization: addressee.organization.clone(),
        }
    }
}

/// One instruction.
#[derive(SimpleObject)]
pub struct DraftTask {
    /// The instruction.
    pub text: String,
    /// Whom it names, when not the directive's addressees.
    pub addressees: Vec<DraftAddressee>,
    /// The deadline.
    pub deadline: Option<String>,
    /// The clause it came from.
    pub quote: String,
}

impl From<&TaskDraft> for DraftTask {
    fn from(task: &TaskDraft) -> Self {
        Self {
            text: task.text.clone(),
            addressees: task.addressees.iter().map(DraftAddressee::from).collect(),
            deadline: task.deadline.map(|d| d.to_string()),
            quote: task.quote.clone(),
        }
    }
}

/// What a leader directed.
#[derive(SimpleObject)]
pub struct DraftDirective {
    /// Its kind code ("directing_speech").
    pub kind: String,
    /// The verb as written.
    pub verb: String,
    /// Who directed.
    pub speaker: Option<DraftParticipant>,
    /// When.
    pub date: Option<String>,
    /// The document's number, when given.
    pub document_number: Option<String>,
    /// Whom it addresses.
    pub addressees: Vec<DraftAddressee>,
    /// Its instructions.
    pub tasks: Vec<DraftTask>,
    /// The sentence.
    pub quote: String,
    /// How sure the reading is.
    pub confidence: f64,
}

impl From<&DirectiveDraft> for DraftDirective {
    fn from(directive: &DirectiveDraft) -> Self {
        Self {
            kind: directive.kind.code().to_owned(),
            verb: directive.verb.clone(),
            speaker: directive.speaker.as_ref().map(DraftParticipant::from),
            date: directive.date.map(|d| d.to_string()),
            document_number: directive
                .document_number
                .as_ref()
                .map(|n| n.raw().to_owned()),
            addressees: directive
                .addressees
                .iter()
                .map(DraftAddressee::from)
                .collect(),
            tasks: directive.tasks.iter().map(DraftTask::from).collect(),
            quote: directive.quote.clone(),
            confidence: directive.confidence,
        }
    }
}

/// Recipients of an award, named or counted.
#[derive(SimpleObject)]
pub struct DraftRecipient {
    /// Their kind code ("collective", "individual", "household").
    pub kind: String,
    /// How many, when counted.
    pub count: Option<u32>,
    /// The article's words.
    pub text: String,
}

/// An award presentation or decision.
#[derive(SimpleObject)]
pub struct DraftAward {
    /// The form's Vietnamese name, when the model knows it.
    pub form: Option<String>,
    /// The form as written.
    pub form_text: Option<String>,
    /// The authority's draft key.
    pub authority: Option<String>,
    /// The signer's draft key.
    pub signer: Option<String>,
    /// The presenter's draft key.
    pub presenter: Option<String>,
    /// The decision's number.
    pub decision_number: Option<String>,
    /// When.
    pub date: Option<String>,
    /// Who received it.
    pub recipients: Vec<DraftRecipient>,
    /// The reason in the article's words.
    pub reason: Option<String>,
    /// The sentence.
    pub quote: String,
    /// How sure the reading is.
    pub confidence: f64,
}

impl From<&AwardDraft> for DraftAward {
    fn from(award: &AwardDraft) -> Self {
        Self {
            form: award.form.as_ref().map(|f| f.vietnamese_name()),
            form_text: award.form_text.clone(),
            authority: award.authority.clone(),
            signer: award.signer.clone(),
            presenter: award.presenter.clone(),
            decision_number: award.decision_number.as_ref().map(|n| n.raw().to_owned()),
            date: award.date.map(|d| d.to_string()),
            recipients: award
                .recipients
                .iter()
                .map(|r| DraftRecipient {
                    kind: r.kind.code().to_owned(),
                    count: r.count,
                    text: r.text.clone(),
                })
                .collect(),
            reason: award.achievement.reason.clone(),
            quote: award.quote.clone(),
            confidence: award.confidence,
        }
    }
}

/// Something a reviewer should check.
#[derive(SimpleObject)]
pub struct DraftWarning {
    /// A stable code ("place_not_named").
    pub code: String,
    /// What to check.
    pub message: String,
}

impl From<&Warning> for DraftWarning {
    fn from(warning: &Warning) -> Self {
        Self {
            code: warning.code.clone(),
            message: warning.message.clone(),
        }
    }
}

/// The draft of an article.
pub struct ArticleDraftObject(pub Draft);

/// What an article says, as records to review (docs/ingest.md).
#[Object(name = "ArticleDraft")]
impl ArticleDraftObject {
    /// The headline.
    async fn title(&self) -> Option<&str> {
        self.0.source.title.as_ref().map(|t| t.value.as_str())
    }

    /// The publisher's name.
    async fn publisher(&self) -> Option<&str> {
        self.0
            .source
            .publisher
            .as_ref()
            .and_then(|p| p.name.as_deref())
    }

    /// When it was published ("2021-01-16T05:59:00").
    async fn published_at(&self) -> Option<String> {
        self.0
            .source
            .published_at
            .as_ref()
            .map(|p| p.value.to_string())
    }

    /// Who wrote it.
    async fn byline(&self) -> Option<&str> {
        self.0.source.byline.as_ref().map(|b| b.value.as_str())
    }

    /// Who took its photos.
    async fn photo_credits(&self) -> Vec<&str> {
        self.0
            .source
            .photo_credits
            .iter()
            .map(|c| c.value.as_str())
            .collect()
    }

    /// The people named, with every title.
    async fn people(&self) -> Vec<DraftPerson> {
        self.0.people.iter().map(DraftPerson::from).collect()
    }

    /// The organizations referred to.
    async fn organizations(&self) -> Vec<DraftOrganization> {
        self.0
            .organizations
            .iter()
            .map(DraftOrganization::from)
            .collect()
    }

    /// The meeting reported.
    async fn meeting(&self) -> Option<DraftMeeting> {
        self.0.meeting.as_ref().map(DraftMeeting::from)
    }

    /// The directives, each with its tasks.
    async fn directives(&self) -> Vec<DraftDirective> {
        self.0.directives.iter().map(DraftDirective::from).collect()
    }

    /// Award presentations and decisions.
    async fn awards(&self) -> Vec<DraftAward> {
        self.0.awards.iter().map(DraftAward::from).collect()
    }

    /// What a reviewer should check.
    async fn warnings(&self) -> Vec<DraftWarning> {
        self.0.warnings.iter().map(DraftWarning::from).collect()
    }

    /// The whole draft as JSON, every item with its span, quote and confidence (the shape the
    /// command line prints).
    async fn json(&self) -> ApiResult<Json<serde_json::Value>> {
        serde_json::to_value(&self.0)
            .map(Json)
            .map_err(|e| api_error(Code::Internal, e.to_string()))
    }
}

/// A draft record and the stored record it became.
#[derive(SimpleObject)]
pub struct IngestLink {
    /// The draft's key.
    pub key: String,
    /// The stored record's global id.
    pub id: ID,
    /// Whether it already existed and was linked, rather than created.
    pub existing: bool,
}

/// What applying the draft wrote, by global id.
#[derive(SimpleObject)]
pub struct IngestApplied {
    /// The article as a source.
    pub source: ID,
    /// The organizations, linked or created.
    pub organizations: Vec<IngestLink>,
    /// The people, linked or created.
    pub people: Vec<IngestLink>,
    /// Holdings created.
    pub holdings: Vec<ID>,
    /// The meeting.
    pub meeting: Option<ID>,
    /// Directives issued.
    pub directives: Vec<ID>,
    /// Tasks added.
    pub tasks: Vec<ID>,
    /// Award decisions recorded.
    pub award_decisions: Vec<ID>,
    /// How many citations of the article were written.
    pub citations: u64,
    /// What was left out, and why.
    pub notes: Vec<String>,
    /// How many writes the one transaction held.
    pub writes: u64,
}

impl From<&ApplyReport> for IngestApplied {
    fn from(report: &ApplyReport) -> Self {
        Self {
            source: global_id("Source", report.source.as_uuid()),
            organizations: report
                .organizations
                .iter()
                .map(|o| IngestLink {
                    key: o.key.clone(),
                    id: global_id("Organization", o.id.as_uuid()),
                    existing: o.existing,
                })
                .collect(),
            people: report
                .people
                .iter()
                .map(|p| IngestLink {
                    key: p.key.clone(),
                    id: global_id("Person", p.id.as_uuid()),
                    existing: p.existing,
                })
                .collect(),
            holdings: report
                .holdings
                .iter()
                .map(|h| global_id("Holding", h.as_uuid()))
                .collect(),
            meeting: report.meeting.map(|m| global_id("Meeting", m.as_uuid())),
            directives: report
                .directives
                .iter()
                .map(|d| global_id("Directive", d.as_uuid()))
                .collect(),
            tasks: report
                .tasks
                .iter()
                .map(|t| global_id("Task", t.id().as_uuid()))
                .collect(),
            award_decisions: report
                .awards
                .iter()
                .map(|a| global_id("AwardDecision", a.id().as_uuid()))
                .collect(),
            citations: report.citations as u64,
            notes: report.notes.clone(),
            writes: report.summary.total(),
        }
    }
}

/// Result of `ingestArticle`.
#[derive(SimpleObject)]
pub struct IngestArticlePayload {
    /// The draft.
    pub draft: ArticleDraftObject,
    /// What was written, when `apply` was true.
    pub applied: Option<IngestApplied>,
}

/// The error a client sees for a draft that could not be applied.
fn apply_error(error: ApplyError) -> async_graphql::Error {
    match error {
        ApplyError::Storage(error) => from_storage(*error),
        ApplyError::Batch { what, error } => match error.error {
            cause @ (StorageError::Unavailable(_) | StorageError::Internal(_)) => {
                from_storage(cause)
            }
            cause @ StorageError::Conflict { .. } => {
                api_error(Code::Conflict, format!("{what}: {cause}"))
            }
            cause => api_error(Code::BadUserInput, format!("{what}: {cause}")),
        },
        ApplyError::AlreadyStored(_) => api_error(Code::Conflict, error.to_string()),
        other => api_error(Code::BadUserInput, other.to_string()),
    }
}

/// Article ingestion.
#[derive(Default)]
pub struct IngestMutation;

#[Object]
impl IngestMutation {
    /// Reads a Vietnamese news report (plain text) into a draft of records: the source, the
    /// people and their posts, the meeting, directives and tasks, award decisions,
    /// abbreviations, each with the sentence it came from and a confidence. With `apply: true`
    /// the draft is stored in one transaction (existing people and organizations linked, every
    /// record citing the article); a draft that matches stored records ambiguously, or whose
    /// organizations lack their place, is refused and nothing is written. Needs an editor token
    /// even without `apply`.
    async fn ingest_article(
        &self,
        ctx: &Context<'_>,
        text: String,
        source: Option<SourceHintInput>,
        #[graphql(default = false)] apply: bool,
    ) -> ApiResult<IngestArticlePayload> {
        let actor = editor(ctx)?;
        let hint = source.unwrap_or_default();
        let options = IngestOptions::default().with_hint(SourceHint {
            publisher: hint.publisher,
            url: hint.url,
            title: hint.title,
        });
        let draft = gazette_ingest::ingest(&text, &options).map_err(|error| match error {
            IngestError::TooLarge { .. } | IngestError::InvalidUtf8 { .. } => {
                api_error(Code::BadUserInput, error.to_string())
            }
        })?;
        let applied = if apply {
            let report = crate::ingest::apply(database(ctx)?, &actor, &draft, &text)
                .await
                .map_err(apply_error)?;
            let bus = events(ctx)?;
            for task in &report.tasks {
                bus.publish(Event::TaskChanged {
                    task: task.id().as_uuid(),
                    organizations: task
                        .lead
                        .iter()
                        .chain(&task.cooperating)
                        .chain(&task.addressees)
                        .filter_map(|a| a.organization().map(|o| o.as_uuid()))
                        .collect(),
                    snapshot: Some(Box::new(task.clone())),
                })
                .await;
            }
            for decision in &report.awards {
                bus.publish(Event::AwardDecisionRecorded {
                    decision: decision.id().as_uuid(),
                    authority: decision.authority.as_uuid(),
                    snapshot: Some(Box::new(decision.clone())),
                })
                .await;
            }
            Some(IngestApplied::from(&report))
        } else {
            None
        };
        Ok(IngestArticlePayload {
            draft: ArticleDraftObject(draft),
            applied,
        })
    }
}
