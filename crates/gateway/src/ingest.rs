//! Applying an article's draft ([`gazette_ingest::Draft`]): domain records and the batch that
//! writes them in one transaction, all or nothing.
//!
//! Organizations and people that already exist are linked, not duplicated:
//! * an organization by its folded name, when exactly one stored organization of that name has
//!   the same classification (and the same level, when both are known);
//! * a person by their folded name plus a compatible post: a stored person of that name who
//!   holds (or held) a post of one of the organizations the article names them in, or a post of
//!   the same title in an organization of the same name. A person of that name without any
//!   compatible post is someone else, and a new person is created (the report says so).
//!
//! When more than one stored record matches, nothing is guessed: the apply is refused with the
//! list of ambiguous matches, and nothing is written. So is a draft whose organizations lack
//! their place ("Ủy ban nhân dân tỉnh" of which province?), and a draft of an article already
//! stored (same content hash). Records the model cannot hold from what the article says (a
//! meeting with no organizer, a directive whose speaker is only a title, an award with no form)
//! are left out and listed in the report. Every record written or linked cites the article, with
//! the sentence it came from as the citation's note.

use std::collections::{HashMap, HashSet};
use std::num::NonZeroU32;

use chrono::{NaiveDate, Utc};
use gazette_domain::award::form::{AwardForm, RecipientKind};
use gazette_domain::award::{
    Achievement, AwardDecision, AwardDecisionDetails, DecisionStatus, NamedRecipient, Presentation,
    RecipientRef, Signer, UnnamedRecipients,
};
use gazette_domain::date::{PartialDate, PartialDateTime, Period};
use gazette_domain::directive::{Assignee, Directive, DirectiveDetails};
use gazette_domain::holding::{Holding, HoldingDetails, HoldingKind};
use gazette_domain::ids::{
    AwardDecisionId, CitationId, DirectiveId, HoldingId, MeetingId, OrganizationId, PersonId,
    PostId, SourceId, TaskId,
};
use gazette_domain::meeting::{Meeting, MeetingDetails, Participant};
use gazette_domain::name::PersonName;
use gazette_domain::organization::{Organization, OrganizationDetails, Succession, SuccessionKind};
use gazette_domain::person::{Person, PersonDetails};
use gazette_domain::post::{Post, PostDetails, Seats};
use gazette_domain::source::{
    Citation, CitationDetails, ContentHash, Source, SourceDetails, SourceKind, Subject, Url,
};
use gazette_domain::task::{Task, TaskDetails};
use gazette_domain::text::{Prose, Text, fold};
use gazette_ingest::{
    ChangeKind, Draft, OrganizationDraft, ParticipantDraft, PersonDraft, TitleDraft,
    post_has_one_seat,
};
use gazette_storage::{
    Actor, BatchError, BatchSummary, Database, PageRequest, SourceFilter, StorageError, Write,
};

/// A record of the draft and the stored record it became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linked<Id> {
    /// The draft's key.
    pub key: String,
    /// The stored record.
    pub id: Id,
    /// Whether it already existed (linked) rather than created.
    pub existing: bool,
}

/// What an apply wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplyReport {
    /// The article, as a source.
    pub source: SourceId,
    /// Every organization of the draft.
    pub organizations: Vec<Linked<OrganizationId>>,
    /// Every person of the draft.
    pub people: Vec<Linked<PersonId>>,
    /// Posts created.
    pub posts: Vec<PostId>,
    /// Holdings created.
    pub holdings: Vec<HoldingId>,
    /// The meeting, when recorded.
    pub meeting: Option<MeetingId>,
    /// Directives issued.
    pub directives: Vec<DirectiveId>,
    /// Tasks added, as written (for the events subscribers receive).
    pub tasks: Vec<Task>,
    /// Award decisions recorded, as written.
    pub awards: Vec<AwardDecision>,
    /// How many citations of the article were written.
    pub citations: usize,
    /// What was left out or decided, in English, for the reviewer.
    pub notes: Vec<String>,
    /// The writes, by kind.
    pub summary: BatchSummary,
}

/// Why a draft was not applied. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// Organizations whose place the article does not name.
    #[error("the draft has organizations without their place: {}", .0.join("; "))]
    Unresolved(Vec<String>),
    /// Stored records that match a draft record equally well.
    #[error("the draft matches stored records ambiguously; nothing was written: {}", .0.join("; "))]
    Ambiguous(Vec<String>),
    /// The article is stored already.
    #[error("this article is already stored as source {0}")]
    AlreadyStored(SourceId),
    /// The draft has no title for the source.
    #[error("the draft has no title for the article; give one (--title, or SourceHint.title)")]
    NoTitle,
    /// A draft value the domain refuses.
    #[error("{what}: {message}")]
    Invalid {
        /// Which record.
        what: String,
        /// Why.
        message: String,
    },
    /// Reading the registry failed.
    #[error(transparent)]
    Storage(Box<StorageError>),
    /// The batch failed; it was rolled back.
    #[error("{what}: {error}")]
    Batch {
        /// The write that failed, described.
        what: String,
        /// The error (boxed: storage errors are large and this one is rare).
        error: Box<BatchError>,
    },
}

impl From<StorageError> for ApplyError {
    fn from(error: StorageError) -> Self {
        Self::Storage(Box::new(error))
    }
}

fn invalid(what: impl Into<String>, error: impl std::fmt::Display) -> ApplyError {
    ApplyError::Invalid {
        what: what.into(),
        message: error.to_string(),
    }
}

/// A text value, or an error naming the field.
fn text(what: &str, value: &str) -> Result<Text, ApplyError> {
    Text::parse(value).map_err(|e| invalid(what, e))
}

/// A citation note: the sentence, cut to a text's length.
fn note(quote: &str) -> Option<Text> {
    let line = gazette_domain::text::normalize_line(quote);
    let cut: String = line
        .chars()
        .take(gazette_domain::text::TEXT_MAX_CHARS)
        .collect();
    Text::parse(cut).ok()
}

/// Prose from a quote, cut to prose's length.
fn prose(what: &str, value: &str) -> Result<Prose, ApplyError> {
    let cut: String = value
        .chars()
        .take(gazette_domain::text::PROSE_MAX_CHARS)
        .collect();
    Prose::parse(cut).map_err(|e| invalid(what, e))
}

/// The day a partial date stands for when a full day is needed (its first day).
fn day_of(date: PartialDate) -> NaiveDate {
    date.as_date().unwrap_or_else(|| date.first_day())
}

/// How a holding of this post usually comes about.
fn holding_kind(post: &str) -> HoldingKind {
    let folded = fold(post);
    let elected = [
        "bi thu",
        "pho bi thu",
        "pho bi thu thuong truc",
        "tong bi thu",
        "chu tich",
        "pho chu tich",
        "pho chu tich thuong truc",
        "uy vien",
        "dai bieu quoc hoi",
        "chu tich nuoc",
    ];
    if elected.contains(&folded.as_str()) {
        HoldingKind::Elected
    } else {
        HoldingKind::Appointed
    }
}

/// The batch under construction.
#[derive(Default)]
struct Plan {
    writes: Vec<Write>,
    /// What each write is, for error messages.
    labels: Vec<String>,
    citations: Vec<(Subject, Option<Text>)>,
    notes: Vec<String>,
    ambiguous: Vec<String>,
}

impl Plan {
    fn push(&mut self, label: impl Into<String>, write: Write) {
        self.labels.push(label.into());
        self.writes.push(write);
    }

    fn cite(&mut self, subject: Subject, quote: &str) {
        self.citations.push((subject, note(quote)));
    }
}

/// Applies a draft of `text` as `actor`: every record in one batch. See the module
/// documentation for what is linked, refused and left out.
///
/// # Errors
/// [`ApplyError`]; in every case nothing is written.
#[expect(
    clippy::too_many_lines,
    reason = "one pass over the draft, section by section, in dependency order"
)]
pub async fn apply(
    db: &Database,
    actor: &Actor,
    draft: &Draft,
    text_of_article: &str,
) -> Result<ApplyReport, ApplyError> {
    let unresolved: Vec<String> = draft
        .warnings
        .iter()
        .filter(|w| w.code == "place_not_named")
        .map(|w| w.message.clone())
        .collect();
    if !unresolved.is_empty() {
        return Err(ApplyError::Unresolved(unresolved));
    }
    let mut plan = Plan::default();

    // The source.
    let title = draft
        .source
        .title
        .as_ref()
        .map(|t| t.value.as_str())
        .ok_or(ApplyError::NoTitle)?;
    let hash = ContentHash::of_text(text_of_article);
    let same_title = db
        .sources(
            &SourceFilter {
                title: Some(title.to_owned()),
                publisher: None,
            },
            &PageRequest::first(gazette_storage::page::MAX_PAGE_SIZE),
        )
        .await;
    if let Ok(page) = same_title
        && let Some(stored) = page
            .edges
            .iter()
            .find(|e| e.node.content_hash.as_ref() == Some(&hash))
    {
        return Err(ApplyError::AlreadyStored(stored.node.id()));
    }
    let mut details = SourceDetails::new(SourceKind::NewsArticle, text("source.title", title)?);
    details.publisher = draft
        .source
        .publisher
        .as_ref()
        .and_then(|p| p.name.as_deref())
        .map(|n| text("source.publisher", n))
        .transpose()?;
    details.url = match draft.source.url.as_ref() {
        Some(url) => match Url::parse(&url.value) {
            Ok(url) => Some(url),
            Err(error) => {
                plan.notes.push(format!("the URL was not stored: {error}"));
                None
            }
        },
        None => None,
    };
    details.published_at = draft.source.published_at.as_ref().map(|f| f.value);
    details.byline = draft
        .source
        .byline
        .as_ref()
        .map(|b| text("source.byline", &b.value))
        .transpose()?;
    details.photo_credits = draft
        .source
        .photo_credits
        .iter()
        .map(|c| text("source.photo_credits", &c.value))
        .collect::<Result<_, _>>()?;
    details.retrieved_at = Some(Utc::now());
    details.content_hash = Some(hash);
    let source = Source::new(SourceId::new(), details).map_err(|e| invalid("source", e))?;
    let source_id = source.id();
    plan.push("the article (source)", Write::CreateSource(source));

    // Organizations, parents first (the draft lists them so).
    let mut organization_ids: HashMap<String, OrganizationId> = HashMap::new();
    let mut organizations = Vec::new();
    for organization in &draft.organizations {
        let (id, existing) =
            organization_for(db, draft, organization, &organization_ids, &mut plan).await?;
        organization_ids.insert(organization.key.clone(), id);
        plan.cite(Subject::Organization(id), &organization.quote);
        organizations.push(Linked {
            key: organization.key.clone(),
            id,
            existing,
        });
    }

    // People.
    let mut person_ids: HashMap<String, PersonId> = HashMap::new();
    let mut people = Vec::new();
    for person in &draft.people {
        let (id, existing) = person_for(db, draft, person, &organization_ids, &mut plan).await?;
        person_ids.insert(person.key.clone(), id);
        plan.cite(Subject::Person(id), &person.quote);
        people.push(Linked {
            key: person.key.clone(),
            id,
            existing,
        });
    }
    if !plan.ambiguous.is_empty() {
        return Err(ApplyError::Ambiguous(plan.ambiguous));
    }

    // Posts and holdings.
    let linked_organizations: Vec<OrganizationId> = organizations
        .iter()
        .filter(|o| o.existing)
        .map(|o| o.id)
        .collect();
    let mut posts: HashMap<(OrganizationId, String), PostId> = HashMap::new();
    for (organization, list) in db.posts_of_organizations(&linked_organizations).await? {
        for post in list {
            posts.insert((organization, post.title.fold()), post.id());
        }
    }
    let linked_people: Vec<PersonId> = people.iter().filter(|p| p.existing).map(|p| p.id).collect();
    let existing_holdings = db.holdings_of_people(&linked_people, None).await?;
    let mut created_posts = Vec::new();
    let mut created_holdings = Vec::new();
    for person in &draft.people {
        let Some(&person_id) = person_ids.get(&person.key) else {
            continue;
        };
        for title in &person.titles {
            let Some(post_id) = post_for(
                title,
                &person.quote,
                &organization_ids,
                &mut posts,
                &mut created_posts,
                &mut plan,
            )?
            else {
                plan.notes.push(format!(
                    "{}: the title \"{}\" names no organization, so no holding was recorded",
                    person.name, title.text
                ));
                continue;
            };
            let held = existing_holdings
                .get(&person_id)
                .and_then(|list| list.iter().find(|h| h.post == post_id));
            let holding_id = match held {
                Some(holding) => holding.id(),
                None => {
                    let holding = Holding::new(
                        HoldingId::new(),
                        HoldingDetails {
                            person: person_id,
                            post: post_id,
                            // The article says who held what on its date and nothing of when
                            // the holding began or ended, so both ends stay open.
                            period: Period::always(),
                            kind: holding_kind(title.post.as_deref().unwrap_or("")),
                            term: None,
                            document: None,
                            end_reason: None,
                        },
                    )
                    .map_err(|e| invalid(format!("holding of {}", person.name), e))?;
                    let id = holding.id();
                    plan.push(
                        format!("{} as {}", person.name, title.text),
                        Write::Appoint(holding),
                    );
                    created_holdings.push(id);
                    id
                }
            };
            plan.cite(Subject::Holding(holding_id), &person.quote);
        }
    }

    // The meeting.
    let participant = |p: &ParticipantDraft, posts: &HashMap<(OrganizationId, String), PostId>| {
        let person = p.person.as_ref().and_then(|k| person_ids.get(k)).copied()?;
        let mut capacities: Vec<PostId> = Vec::new();
        for title in &p.capacities {
            if let (Some(org), Some(post)) = (
                title
                    .organization
                    .as_ref()
                    .and_then(|k| organization_ids.get(k)),
                title.post.as_deref(),
            ) && let Some(id) = posts.get(&(*org, fold(post)))
                && !capacities.contains(id)
            {
                capacities.push(*id);
            }
        }
        Some(Participant { person, capacities })
    };
    let mut meeting_id = None;
    if let Some(meeting) = &draft.meeting {
        let organizer = meeting
            .organizer
            .as_ref()
            .and_then(|k| organization_ids.get(k));
        match (organizer, meeting.date, meeting.title.as_deref()) {
            (Some(&organizer), Some(date), Some(title)) => {
                let chairs: Vec<Participant> =
                    meeting.chairs.iter().filter_map(|c| participant(c, &posts)).collect();
                let chair_people: HashSet<PersonId> = chairs.iter().map(|c| c.person).collect();
                let attendees: Vec<Participant> = meeting
                    .attendees
                    .iter()
                    .filter_map(|a| participant(a, &posts))
                    .filter(|a| !chair_people.contains(&a.person))
                    .collect();
                let groups = meeting.attendees.iter().filter(|a| a.person.is_none()).count();
                if groups > 0 {
                    plan.notes.push(format!(
                        "the meeting's {groups} attending group(s) described by title (not named people) are not recorded as participants"
                    ));
                }
                let record = Meeting::new(
                    MeetingId::new(),
                    MeetingDetails {
                        title: text("meeting.title", title)?,
                        kind: meeting.kind,
                        organizer,
                        held_at: PartialDateTime::from(date),
                        location: meeting
                            .location
                            .as_deref()
                            .map(|l| text("meeting.location", l))
                            .transpose()?,
                        chairs,
                        attendees,
                        agenda: Vec::new(),
                    },
                )
                .map_err(|e| invalid("meeting", e))?;
                let id = record.id();
                plan.push("the meeting", Write::RecordMeeting(record));
                plan.cite(Subject::Meeting(id), &meeting.quote);
                meeting_id = Some(id);
            }
            _ => plan.notes.push(
                "the meeting was not recorded: the article does not give its organizer, date and title all".to_owned(),
            ),
        }
    }

    // Directives and their tasks.
    let mut directive_ids = Vec::new();
    let mut task_ids = Vec::new();
    for (index, directive) in draft.directives.iter().enumerate() {
        let issuer = directive
            .speaker
            .as_ref()
            .and_then(|s| participant(s, &posts));
        let (Some(issuer), Some(date)) = (issuer, directive.date) else {
            plan.notes.push(format!(
                "directive {} (\"{}\") was not recorded: the article names no person as its speaker, or no date",
                index + 1,
                directive.verb
            ));
            continue;
        };
        let assignee = |a: &gazette_ingest::AddresseeDraft| -> Result<Assignee, ApplyError> {
            Ok(
                match a
                    .organization
                    .as_ref()
                    .and_then(|k| organization_ids.get(k))
                {
                    Some(id) => Assignee::Organization { id: *id },
                    None => Assignee::Group {
                        name: text("directive.addressee", &a.name)?,
                    },
                },
            )
        };
        let mut addressees: Vec<Assignee> = Vec::new();
        for addressee in &directive.addressees {
            let value = assignee(addressee)?;
            if !addressees.contains(&value) {
                addressees.push(value);
            }
        }
        let record = Directive::new(
            DirectiveId::new(),
            DirectiveDetails {
                issuer,
                kind: directive.kind,
                issued_on: date,
                meeting: meeting_id.filter(|_| directive.at_meeting),
                document_number: directive.document_number.clone(),
                summary: prose("directive.summary", &directive.quote)?,
                addressees,
            },
        )
        .map_err(|e| invalid("directive", e))?;
        let id = record.id();
        plan.push(
            format!("directive {}", index + 1),
            Write::IssueDirective(record),
        );
        plan.cite(Subject::Directive(id), &directive.quote);
        directive_ids.push(id);
        let assigned_on = day_of(date);
        for (position, task) in directive.tasks.iter().enumerate() {
            let mut details = TaskDetails::new(
                id,
                u32::try_from(position + 1).unwrap_or(u32::MAX),
                prose("task.text", &task.text)?,
                assigned_on,
            );
            for addressee in &task.addressees {
                let value = assignee(addressee)?;
                if !details.addressees.contains(&value) {
                    details.addressees.push(value);
                }
            }
            details.deadline = task
                .deadline
                .map(|d| d.as_date().unwrap_or_else(|| d.last_day()))
                .filter(|d| *d >= assigned_on);
            let task_record = Task::new(TaskId::new(), details).map_err(|e| invalid("task", e))?;
            let task_id = task_record.id();
            plan.push(
                format!("task {} of directive {}", position + 1, index + 1),
                Write::AddTask(task_record.clone()),
            );
            plan.cite(Subject::Task(task_id), &task.quote);
            task_ids.push(task_record);
        }
    }

    // Award decisions.
    let mut award_ids = Vec::new();
    for (index, award) in draft.awards.iter().enumerate() {
        let authority = award
            .authority
            .as_ref()
            .and_then(|k| organization_ids.get(k));
        let form = award.form.clone().or_else(|| {
            award
                .form_text
                .as_deref()
                .and_then(|t| Text::parse(t).ok())
                .map(|text| AwardForm::Other { text })
        });
        let (Some(&authority), Some(form)) = (authority, form) else {
            plan.notes.push(format!(
                "award {} was not recorded: the article does not name its form or its authority",
                index + 1
            ));
            continue;
        };
        let mut recipients = Vec::new();
        let mut unnamed = Vec::new();
        for recipient in &award.recipients {
            let person = recipient.person.as_ref().and_then(|k| person_ids.get(k));
            let organization = recipient
                .organization
                .as_ref()
                .and_then(|k| organization_ids.get(k));
            match (person, organization) {
                (Some(id), _) => recipients.push(NamedRecipient {
                    recipient: RecipientRef::Person(*id),
                    kind: RecipientKind::Individual,
                    reason: None,
                    prize_vnd: None,
                }),
                (None, Some(id)) => recipients.push(NamedRecipient {
                    recipient: RecipientRef::Organization(*id),
                    kind: recipient.kind,
                    reason: None,
                    prize_vnd: None,
                }),
                (None, None) => unnamed.push(UnnamedRecipients {
                    kind: recipient.kind,
                    count: recipient.count.and_then(NonZeroU32::new),
                    note: Some(text(
                        "award.recipient",
                        &format!("{}: the article does not name them", recipient.text),
                    )?),
                }),
            }
        }
        let achievement = Achievement {
            reason: award
                .achievement
                .reason
                .as_deref()
                .map(|r| prose("award.reason", r))
                .transpose()?,
            field: award
                .achievement
                .field
                .as_deref()
                .map(|f| text("award.field", f))
                .transpose()?,
            period: award.achievement.period,
        };
        let presenter = award
            .presenter
            .as_ref()
            .and_then(|k| person_ids.get(k))
            .copied();
        let presentations = if presenter.is_some() || award.at_meeting {
            vec![Presentation {
                meeting: meeting_id.filter(|_| award.at_meeting),
                presenter,
                date: award.date,
            }]
        } else {
            Vec::new()
        };
        let record = AwardDecision::new(
            AwardDecisionId::new(),
            AwardDecisionDetails {
                number: award.decision_number.clone(),
                signed_on: award.decision_date,
                authority,
                signer: award
                    .signer
                    .as_ref()
                    .and_then(|k| person_ids.get(k))
                    .map(|id| Signer {
                        person: Some(*id),
                        capacity: None,
                    }),
                form,
                achievement,
                recipients,
                unnamed_recipients: unnamed,
                status: DecisionStatus::Issued,
                presentations,
            },
        )
        .map_err(|e| invalid(format!("award {}", index + 1), e))?;
        let id = record.id();
        plan.push(
            format!("award {}", index + 1),
            Write::RecordAwardDecision(record.clone()),
        );
        plan.cite(Subject::AwardDecision(id), &award.quote);
        award_ids.push(record);
    }

    // Every record cites the article.
    let citations = plan.citations.len();
    for (subject, citation_note) in std::mem::take(&mut plan.citations) {
        let citation = Citation::new(
            CitationId::new(),
            CitationDetails {
                source: source_id,
                subject,
                note: citation_note,
            },
        )
        .map_err(|e| invalid("citation", e))?;
        plan.push(
            format!("citation of {}", subject.kind_code()),
            Write::Cite(citation),
        );
    }

    let summary = db
        .apply(actor, &plan.writes)
        .await
        .map_err(|error| ApplyError::Batch {
            what: format!(
                "writing {} failed",
                plan.labels
                    .get(error.index)
                    .map_or("a record", String::as_str)
            ),
            error: Box::new(error),
        })?;
    Ok(ApplyReport {
        source: source_id,
        organizations,
        people,
        posts: created_posts,
        holdings: created_holdings,
        meeting: meeting_id,
        directives: directive_ids,
        tasks: task_ids,
        awards: award_ids,
        citations,
        notes: plan.notes,
        summary,
    })
}

/// Links or plans an organization.
async fn organization_for(
    db: &Database,
    draft: &Draft,
    organization: &OrganizationDraft,
    known: &HashMap<String, OrganizationId>,
    plan: &mut Plan,
) -> Result<(OrganizationId, bool), ApplyError> {
    let candidates: Vec<Organization> = db
        .organizations_by_folded_name(&organization.name)
        .await?
        .into_iter()
        .filter(|o| {
            o.classification == organization.classification
                && (o.level.is_none()
                    || organization.level.is_none()
                    || o.level == organization.level)
        })
        .collect();
    match candidates.as_slice() {
        [one] => return Ok((one.id(), true)),
        [] => {}
        many => {
            plan.ambiguous.push(format!(
                "{} organizations are named \"{}\" ({}): link by hand",
                many.len(),
                organization.name,
                many.iter()
                    .map(|o| o.id().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            return Ok((OrganizationId::new(), false));
        }
    }
    let mut details = OrganizationDetails::new(
        text("organization.name", &organization.name)?,
        organization.classification,
    );
    details.abbreviation = organization
        .abbreviation
        .as_deref()
        .map(|a| text("organization.abbreviation", a))
        .transpose()?;
    details.level = organization.level;
    details.parent = organization
        .parent
        .as_ref()
        .and_then(|k| known.get(k))
        .copied();
    // A body the article reports as formed by a merger or rename begins then, from its
    // predecessors.
    for change in &draft.organization_changes {
        if change.successor.as_deref() != Some(organization.key.as_str()) {
            continue;
        }
        let kind = match change.kind {
            ChangeKind::Merger => SuccessionKind::Merger,
            _ => SuccessionKind::Reorganization,
        };
        for predecessor in &change.predecessors {
            if let Some(id) = known.get(predecessor)
                && !details.predecessors.iter().any(|s| s.predecessor == *id)
            {
                details.predecessors.push(Succession {
                    predecessor: *id,
                    kind,
                    date: change.effective,
                });
            }
        }
        if let Some(effective) = change.effective {
            details.life = Period::new(Some(effective), None).unwrap_or_else(|_| Period::always());
        }
    }
    let record = Organization::new(OrganizationId::new(), details)
        .map_err(|e| invalid(format!("organization {}", organization.name), e))?;
    let id = record.id();
    plan.push(
        format!("organization \"{}\"", organization.name),
        Write::CreateOrganization(record),
    );
    Ok((id, false))
}

/// Links or plans a person: the one stored person of that name with a compatible post.
async fn person_for(
    db: &Database,
    draft: &Draft,
    person: &PersonDraft,
    organizations: &HashMap<String, OrganizationId>,
    plan: &mut Plan,
) -> Result<(PersonId, bool), ApplyError> {
    let candidates = db.people_by_folded_name(&person.name).await?;
    if !candidates.is_empty() {
        let ids: Vec<PersonId> = candidates.iter().map(Person::id).collect();
        let holdings = db.holdings_of_people(&ids, None).await?;
        let post_ids: Vec<PostId> = holdings.values().flatten().map(|h| h.post).collect();
        let stored_posts = db.posts_by_ids(&post_ids).await?;
        let post_organizations: Vec<OrganizationId> =
            stored_posts.iter().map(|p| p.organization).collect();
        let organization_names: HashMap<OrganizationId, String> = db
            .organizations_by_ids(&post_organizations)
            .await?
            .iter()
            .map(|o| (o.id(), o.name.fold()))
            .collect();
        let wanted: Vec<(Option<OrganizationId>, String, String)> = person
            .titles
            .iter()
            .map(|t| {
                let key = t.organization.as_deref().unwrap_or("");
                let name = draft
                    .organizations
                    .iter()
                    .find(|o| o.key == key)
                    .map(|o| fold(&o.name))
                    .unwrap_or_default();
                (
                    organizations.get(key).copied(),
                    name,
                    t.post.as_deref().map(fold).unwrap_or_default(),
                )
            })
            .collect();
        let compatible: Vec<&Person> = candidates
            .iter()
            .filter(|candidate| {
                holdings
                    .get(&candidate.id())
                    .into_iter()
                    .flatten()
                    .any(|holding| {
                        stored_posts.iter().any(|post| {
                            post.id() == holding.post
                                && wanted.iter().any(|(organization, name, title)| {
                                    *organization == Some(post.organization)
                                        || (post.title.fold() == *title
                                            && organization_names.get(&post.organization)
                                                == Some(name))
                                })
                        })
                    })
            })
            .collect();
        match compatible.as_slice() {
            [one] => return Ok((one.id(), true)),
            [] => plan.notes.push(format!(
                "{} stored person(s) named \"{}\" hold no post compatible with the article's; a new person was created",
                candidates.len(),
                person.name
            )),
            many => {
                plan.ambiguous.push(format!(
                    "{} people named \"{}\" hold a compatible post ({}): link by hand",
                    many.len(),
                    person.name,
                    many.iter().map(|p| p.id().to_string()).collect::<Vec<_>>().join(", ")
                ));
                return Ok((PersonId::new(), false));
            }
        }
    }
    let name = PersonName::parse(&person.name)
        .map_err(|e| invalid(format!("person {}", person.name), e))?;
    let record = Person::new(PersonId::new(), PersonDetails::named(name))
        .map_err(|e| invalid(format!("person {}", person.name), e))?;
    let id = record.id();
    plan.push(
        format!("person \"{}\"", person.name),
        Write::CreatePerson(record),
    );
    Ok((id, false))
}

/// The post a title resolves to: an existing one of that title in its organization, or a new
/// one planned. `None` when the title names no organization.
fn post_for(
    title: &TitleDraft,
    quote: &str,
    organizations: &HashMap<String, OrganizationId>,
    posts: &mut HashMap<(OrganizationId, String), PostId>,
    created: &mut Vec<PostId>,
    plan: &mut Plan,
) -> Result<Option<PostId>, ApplyError> {
    let (Some(organization), Some(post_title)) = (
        title
            .organization
            .as_ref()
            .and_then(|k| organizations.get(k)),
        title.post.as_deref(),
    ) else {
        return Ok(None);
    };
    let key = (*organization, fold(post_title));
    if let Some(id) = posts.get(&key) {
        return Ok(Some(*id));
    }
    let record = Post::new(
        PostId::new(),
        PostDetails {
            organization: *organization,
            title: text("post.title", post_title)?,
            seats: if post_has_one_seat(post_title) {
                Seats::ONE
            } else {
                Seats::Unlimited
            },
            life: Period::always(),
        },
    )
    .map_err(|e| invalid(format!("post {post_title}"), e))?;
    let id = record.id();
    plan.push(
        format!("post \"{}\"", title.text),
        Write::CreatePost(record),
    );
    plan.cite(Subject::Post(id), quote);
    posts.insert(key, id);
    created.push(id);
    Ok(Some(id))
}
