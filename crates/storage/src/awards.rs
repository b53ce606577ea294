//! Award decisions: record, revoke, read, and list by authority, form, year, recipient and status.
//!
//! A decision is one `award_decision` row plus its child rows: the named recipients
//! (`award_recipient`), the recipients counted or mentioned without names
//! (`award_unnamed_recipient`) and the presentations (`award_presentation`), each keyed by the
//! decision and its position in the list. Reads load the children of any number of decisions in
//! three more statements.
//!
//! Writes check, in their transaction, that the issuing authority may confer the form and that
//! every referenced record exists. They lock the rows of the named recipients (in id order, so
//! that two writers never wait on each other in a cycle) before reading the recipients' other
//! standing decisions for the one-achievement-one-award rule: on PostgreSQL two decisions for the
//! same recipient and achievement thus run one after the other, and the second sees the first.
//! On SQLite `BEGIN IMMEDIATE` already serializes writers.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::num::NonZeroU32;

use gazette_domain::award::form::{AwardForm, RecipientKind, SignerCapacity};
use gazette_domain::award::number::DocumentNumber;
use gazette_domain::award::{
    Achievement, AchievementPeriod, AwardDecision, AwardDecisionDetails, DecisionStatus,
    NamedRecipient, Presentation, RecipientRef, Signer, UnnamedRecipients,
    check_one_achievement_one_award,
};
use gazette_domain::date::PartialDate;
use gazette_domain::ids::{AwardDecisionId, MeetingId, OrganizationId, PersonId};
use gazette_domain::organization::Organization;
use gazette_domain::person::Person;
use gazette_domain::text::{Prose, Text};
use sea_orm::sea_query::{Expr, ExprTrait, LockType, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QueryResult, QuerySelect, Select, Set, SqlErr,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::convert::{
    ByEngine, EachOnce, ExtraColumns, add_columns, json_aggregate, json_array, json_rows,
    json_uuid, read_extended, uuid_in,
};
use crate::convert::{from_json_text, now, partial_date, to_json_text};
use crate::entity::{
    award_decision, award_presentation, award_recipient, award_unnamed_recipient, meeting,
    organization, person,
};
use crate::error::StorageError;
use crate::keyset::{KeyKind, Keyset};
use crate::organizations::{
    OrganizationColumns, load_organization, organization_from_json, organization_json,
};
use crate::page::{Page, PageRequest};
use crate::people::{PersonColumns, person_from_json, person_json};
use crate::{Database, Engine};

const KIND: &str = "award_decision";

/// The rule a duplicate decision number breaks, as the unique index states it.
const NUMBER_RULE: &str = "a decision number is unique per issuing authority";

/// Whether a decision stands or was revoked, for filtering lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AwardStatus {
    /// Issued and in force.
    Issued,
    /// Revoked (hủy bỏ).
    Revoked,
}

impl AwardStatus {
    /// The stable code, as [`DecisionStatus::code`] gives it and the `status` column stores it.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Issued => "issued",
            Self::Revoked => "revoked",
        }
    }
}

/// Which award decisions to list. Every field narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwardDecisionFilter {
    /// Decisions issued by this organization.
    pub authority: Option<OrganizationId>,
    /// Decisions conferring this kind of form, by its code ([`AwardForm::code`]:
    /// "certificate_of_merit", "order", ...). An unknown code matches nothing.
    pub form_kind: Option<String>,
    /// Decisions filed under this year ([`AwardDecisionDetails::year`]: the signing year, else
    /// the achievement's last year).
    pub year: Option<i32>,
    /// Decisions naming this recipient.
    pub recipient: Option<RecipientRef>,
    /// Decisions in this status.
    pub status: Option<AwardStatus>,
}

/// The revocation columns of a decision: date, reason and revoking document, all `None` while it
/// stands.
type RevocationColumns = (Option<String>, Option<String>, Option<String>);

fn revocation_columns(status: &DecisionStatus) -> RevocationColumns {
    match status {
        DecisionStatus::Issued => (None, None, None),
        DecisionStatus::Revoked {
            on,
            reason,
            document,
        } => (
            Some(on.to_string()),
            Some(reason.as_str().to_owned()),
            document.as_ref().map(|d| d.raw().to_owned()),
        ),
    }
}

/// The signer columns. A signer whose capacity is unknown stores the JSON `null` as capacity,
/// so that a recorded signer without person or capacity still reads back as a signer: the two
/// columns are both SQL NULL only when the decision records no signer at all.
fn signer_columns(signer: Option<&Signer>) -> Result<(Option<Uuid>, Option<String>), StorageError> {
    match signer {
        None => Ok((None, None)),
        Some(signer) => Ok((
            signer.person.map(|p| p.as_uuid()),
            Some(to_json_text(&signer.capacity)?),
        )),
    }
}

pub(crate) fn to_row(
    decision: &AwardDecision,
) -> Result<award_decision::ActiveModel, StorageError> {
    let at = now();
    let (signer_id, signer_capacity) = signer_columns(decision.signer.as_ref())?;
    let (revoked_on, revocation_reason, revocation_document) = revocation_columns(&decision.status);
    let achievement = &decision.achievement;
    Ok(award_decision::ActiveModel {
        id: Set(decision.id().as_uuid()),
        number: Set(decision.number.as_ref().map(|n| n.raw().to_owned())),
        number_key: Set(decision.number.as_ref().map(DocumentNumber::key)),
        signed_on: Set(decision.signed_on.map(|d| d.to_string())),
        year: Set(decision.year()),
        authority_id: Set(decision.authority.as_uuid()),
        signer_id: Set(signer_id),
        signer_capacity: Set(signer_capacity),
        form_kind: Set(decision.form.code().to_owned()),
        form: Set(to_json_text(&decision.form)?),
        achievement_reason: Set(achievement.reason.as_ref().map(|r| r.as_str().to_owned())),
        achievement_field: Set(achievement.field.as_ref().map(|f| f.as_str().to_owned())),
        achievement_field_fold: Set(achievement.field.as_ref().map(Text::fold)),
        achievement_first_year: Set(achievement.period.map(|p| p.first_year())),
        achievement_last_year: Set(achievement.period.map(|p| p.last_year())),
        status: Set(decision.status.code().to_owned()),
        revoked_on: Set(revoked_on),
        revocation_reason: Set(revocation_reason),
        revocation_document: Set(revocation_document),
        created_at: Set(at),
        updated_at: Set(at),
    })
}

/// The child rows of a decision, in list order.
pub(crate) struct ChildRows {
    pub(crate) recipients: Vec<award_recipient::ActiveModel>,
    pub(crate) unnamed: Vec<award_unnamed_recipient::ActiveModel>,
    pub(crate) presentations: Vec<award_presentation::ActiveModel>,
}

fn position(index: usize) -> Result<i32, StorageError> {
    i32::try_from(index).map_err(|_| {
        StorageError::InvalidInput("an award decision lists too many entries".to_owned())
    })
}

pub(crate) fn child_rows(decision: &AwardDecision) -> Result<ChildRows, StorageError> {
    let id = decision.id().as_uuid();
    let mut recipients = Vec::with_capacity(decision.recipients.len());
    for (index, named) in decision.recipients.iter().enumerate() {
        let (person_id, organization_id) = match named.recipient {
            RecipientRef::Person(p) => (Some(p.as_uuid()), None),
            RecipientRef::Organization(o) => (None, Some(o.as_uuid())),
        };
        let prize_vnd = named
            .prize_vnd
            .map(|prize| {
                i64::try_from(prize).map_err(|_| {
                    StorageError::InvalidInput(format!(
                        "the prize of {prize} đồng for {} is too large to record",
                        named.recipient
                    ))
                })
            })
            .transpose()?;
        recipients.push(award_recipient::ActiveModel {
            decision_id: Set(id),
            position: Set(position(index)?),
            person_id: Set(person_id),
            organization_id: Set(organization_id),
            kind: Set(named.kind.code().to_owned()),
            reason: Set(named.reason.as_ref().map(|r| r.as_str().to_owned())),
            prize_vnd: Set(prize_vnd),
        });
    }
    let mut unnamed = Vec::with_capacity(decision.unnamed_recipients.len());
    for (index, group) in decision.unnamed_recipients.iter().enumerate() {
        let count = group
            .count
            .map(|count| {
                i32::try_from(count.get()).map_err(|_| {
                    StorageError::InvalidInput(format!(
                        "a count of {count} recipients is too large to record"
                    ))
                })
            })
            .transpose()?;
        unnamed.push(award_unnamed_recipient::ActiveModel {
            decision_id: Set(id),
            position: Set(position(index)?),
            kind: Set(group.kind.code().to_owned()),
            count: Set(count),
            note: Set(group.note.as_ref().map(|n| n.as_str().to_owned())),
        });
    }
    let mut presentations = Vec::with_capacity(decision.presentations.len());
    for (index, presentation) in decision.presentations.iter().enumerate() {
        presentations.push(award_presentation::ActiveModel {
            decision_id: Set(id),
            position: Set(position(index)?),
            meeting_id: Set(presentation.meeting.map(|m| m.as_uuid())),
            presenter_id: Set(presentation.presenter.map(|p| p.as_uuid())),
            date: Set(presentation.date.map(|d| d.to_string())),
        });
    }
    Ok(ChildRows {
        recipients,
        unnamed,
        presentations,
    })
}

fn recipient_kind(code: &str) -> Option<RecipientKind> {
    RecipientKind::ALL.into_iter().find(|k| k.code() == code)
}

fn decision_from_rows(
    row: award_decision::Model,
    recipients: Vec<award_recipient::Model>,
    unnamed: Vec<award_unnamed_recipient::Model>,
    presentations: Vec<award_presentation::Model>,
) -> Result<AwardDecision, StorageError> {
    let id = row.id;
    let corrupt = |problem: String| StorageError::corrupt(KIND, id, problem);
    let text = |value: Option<&str>| -> Result<Option<Text>, StorageError> {
        value
            .map(Text::parse)
            .transpose()
            .map_err(|e| corrupt(e.to_string()))
    };
    let prose = |value: Option<&str>| -> Result<Option<Prose>, StorageError> {
        value
            .map(Prose::parse)
            .transpose()
            .map_err(|e| corrupt(e.to_string()))
    };
    let number = |value: Option<&str>| -> Result<Option<DocumentNumber>, StorageError> {
        value
            .map(DocumentNumber::parse)
            .transpose()
            .map_err(|e| corrupt(e.to_string()))
    };
    let signer = match (row.signer_id, row.signer_capacity.as_deref()) {
        (None, None) => None,
        (person, capacity) => Some(Signer {
            person: person.map(PersonId::from_uuid),
            capacity: match capacity {
                Some(json) => from_json_text::<Option<SignerCapacity>>(KIND, id, json)?,
                None => None,
            },
        }),
    };
    let period = match (row.achievement_first_year, row.achievement_last_year) {
        (None, None) => None,
        (Some(first), Some(last)) => Some(
            AchievementPeriod::parse(&format!("{first:04}-{last:04}"))
                .map_err(|e| corrupt(e.to_string()))?,
        ),
        _ => return Err(corrupt("an achievement period has only one end".to_owned())),
    };
    let status = match row.status.as_str() {
        "issued" => DecisionStatus::Issued,
        "revoked" => DecisionStatus::Revoked {
            on: partial_date(KIND, id, row.revoked_on.as_deref())?
                .ok_or_else(|| corrupt("a revoked decision has no revocation date".to_owned()))?,
            reason: prose(row.revocation_reason.as_deref())?
                .ok_or_else(|| corrupt("a revoked decision has no revocation reason".to_owned()))?,
            document: number(row.revocation_document.as_deref())?,
        },
        other => return Err(corrupt(format!("unknown status {other:?}"))),
    };
    let mut named = Vec::with_capacity(recipients.len());
    for recipient in recipients {
        let reference = match (recipient.person_id, recipient.organization_id) {
            (Some(p), None) => RecipientRef::Person(PersonId::from_uuid(p)),
            (None, Some(o)) => RecipientRef::Organization(OrganizationId::from_uuid(o)),
            _ => {
                return Err(corrupt(format!(
                    "recipient {} names neither exactly one person nor one organization",
                    recipient.position
                )));
            }
        };
        named.push(NamedRecipient {
            recipient: reference,
            kind: recipient_kind(&recipient.kind)
                .ok_or_else(|| corrupt(format!("unknown recipient kind {:?}", recipient.kind)))?,
            reason: prose(recipient.reason.as_deref())?,
            prize_vnd: recipient
                .prize_vnd
                .map(|prize| {
                    u64::try_from(prize).map_err(|_| corrupt(format!("negative prize {prize}")))
                })
                .transpose()?,
        });
    }
    let mut counted = Vec::with_capacity(unnamed.len());
    for group in unnamed {
        counted.push(UnnamedRecipients {
            kind: recipient_kind(&group.kind)
                .ok_or_else(|| corrupt(format!("unknown recipient kind {:?}", group.kind)))?,
            count: group
                .count
                .map(|count| {
                    u32::try_from(count)
                        .ok()
                        .and_then(NonZeroU32::new)
                        .ok_or_else(|| corrupt(format!("recipient count {count} is not positive")))
                })
                .transpose()?,
            note: text(group.note.as_deref())?,
        });
    }
    let mut presented = Vec::with_capacity(presentations.len());
    for presentation in presentations {
        presented.push(Presentation {
            meeting: presentation.meeting_id.map(MeetingId::from_uuid),
            presenter: presentation.presenter_id.map(PersonId::from_uuid),
            date: partial_date(KIND, id, presentation.date.as_deref())?,
        });
    }
    let details = AwardDecisionDetails {
        number: number(row.number.as_deref())?,
        signed_on: partial_date(KIND, id, row.signed_on.as_deref())?,
        authority: OrganizationId::from_uuid(row.authority_id),
        signer,
        form: from_json_text::<AwardForm>(KIND, id, &row.form)?,
        achievement: Achievement {
            reason: prose(row.achievement_reason.as_deref())?,
            field: text(row.achievement_field.as_deref())?,
            period,
        },
        recipients: named,
        unnamed_recipients: counted,
        status,
        presentations: presented,
    };
    AwardDecision::new(AwardDecisionId::from_uuid(id), details).map_err(|e| corrupt(e.to_string()))
}

/// The people and organizations a page of decisions names as recipients, each once (see
/// [`Database::award_decisions_naming`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NamedRecipients {
    /// The people named.
    pub people: Vec<Person>,
    /// The organizations named.
    pub organizations: Vec<Organization>,
}

/// Which of a decision's optional lists a page of decisions reads
/// ([`Database::award_decisions_naming`]). Each list left out is a subquery per decision the
/// database does not run; a decision read without a list has that list empty, so a reader asks
/// for every list it will look at. The named and unnamed recipients are always read: a decision
/// is valid only with at least one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecisionParts {
    /// The presentations.
    pub presentations: bool,
}

impl DecisionParts {
    /// Every list: whole decisions.
    pub const ALL: Self = Self {
        presentations: true,
    };
}

/// One named recipient of a decision as [`select_children`] writes it: position, person id,
/// organization id, kind, reason, prize, and the person's or organization's row.
#[derive(Deserialize)]
struct RecipientJson(
    i32,
    Option<Uuid>,
    Option<Uuid>,
    String,
    Option<String>,
    Option<i64>,
    Option<PersonColumns>,
    Option<OrganizationColumns>,
);

/// One group of unnamed recipients as [`select_children`] writes it: position, kind, count and
/// note.
#[derive(Deserialize)]
struct UnnamedJson(i32, String, Option<i32>, Option<String>);

/// One presentation as [`select_children`] writes it: position, meeting, presenter and date.
#[derive(Deserialize)]
struct PresentationJson(i32, Option<Uuid>, Option<Uuid>, Option<String>);

/// The column [`select_children`] writes the named recipients in.
const RECIPIENTS: &str = "recipients_json";
/// The column [`select_children`] writes the unnamed recipients in.
const UNNAMED: &str = "unnamed_json";
/// The column [`select_children`] writes the presentations in.
const PRESENTATIONS: &str = "presentations_json";

/// Adds to a statement on `award_decision` each decision's named recipients (with the rows of
/// the people and organizations they name), unnamed recipients and, when `parts` asks for them,
/// presentations, as JSON arrays: a decision and everything it is made of come in one row,
/// and a list of decisions in one statement. The arrays are correlated subqueries on the
/// children's primary keys, whose first column is the decision's id.
fn select_children(query: &mut SelectStatement, backend: DbBackend, parts: DecisionParts) {
    static CHILDREN: [ByEngine<ExtraColumns>; 2] = [ByEngine::new(), ByEngine::new()];
    add_columns(
        query,
        CHILDREN[usize::from(parts.presentations)].get(backend, |backend| children(backend, parts)),
    );
}

/// The columns [`select_children`] adds, built once per engine.
fn children(backend: DbBackend, parts: DecisionParts) -> ExtraColumns {
    let recipient = json_array(
        backend,
        &[
            "r.position".to_owned(),
            json_uuid(backend, "r.person_id"),
            json_uuid(backend, "r.organization_id"),
            "r.kind".to_owned(),
            "r.reason".to_owned(),
            "r.prize_vnd".to_owned(),
            person_json(backend, "p"),
            organization_json(backend, "o"),
        ]
        .join(", "),
    );
    let recipients = json_aggregate(
        backend,
        &recipient,
        "FROM award_recipient r LEFT JOIN person p ON p.id = r.person_id \
         LEFT JOIN organization o ON o.id = r.organization_id \
         WHERE r.decision_id = award_decision.id",
    );
    let unnamed = json_aggregate(
        backend,
        &json_array(backend, "u.position, u.kind, u.count, u.note"),
        "FROM award_unnamed_recipient u WHERE u.decision_id = award_decision.id",
    );
    let mut columns = vec![(recipients, RECIPIENTS), (unnamed, UNNAMED)];
    if parts.presentations {
        let presentation = json_array(
            backend,
            &[
                "s.position".to_owned(),
                json_uuid(backend, "s.meeting_id"),
                json_uuid(backend, "s.presenter_id"),
                "s.date".to_owned(),
            ]
            .join(", "),
        );
        let presentations = json_aggregate(
            backend,
            &presentation,
            "FROM award_presentation s WHERE s.decision_id = award_decision.id",
        );
        columns.push((presentations, PRESENTATIONS));
    }
    columns
}

/// The people and organizations named by a list of decisions, each once, when a reader wants
/// them.
struct Named<'a> {
    people: EachOnce<'a, Person>,
    organizations: EachOnce<'a, Organization>,
}

impl<'a> Named<'a> {
    fn new(recipients: Option<&'a mut NamedRecipients>) -> Self {
        let (people, organizations) = match recipients {
            Some(named) => (Some(&mut named.people), Some(&mut named.organizations)),
            None => (None, None),
        };
        Self {
            people: EachOnce::new(people),
            organizations: EachOnce::new(organizations),
        }
    }
}

/// A decision from its row and the children [`select_children`] added to it (with `parts`, the
/// list it left out empty); with a reader who wants them, the people and organizations it
/// names go to `named`.
fn decision_from_joined(
    model: award_decision::Model,
    row: &QueryResult,
    named: &mut Named<'_>,
    parts: DecisionParts,
) -> Result<AwardDecision, StorageError> {
    let id = model.id;
    let mut recipients = Vec::new();
    for RecipientJson(position, person_id, organization_id, kind, reason, prize_vnd, p, o) in
        json_rows(row, RECIPIENTS, KIND, id)?
    {
        if let Some(columns) = p {
            named
                .people
                .add(columns.id(), || person_from_json(columns))?;
        }
        if let Some(columns) = o {
            named
                .organizations
                .add(columns.id(), || organization_from_json(columns))?;
        }
        recipients.push(award_recipient::Model {
            decision_id: id,
            position,
            person_id,
            organization_id,
            kind,
            reason,
            prize_vnd,
        });
    }
    let mut unnamed: Vec<award_unnamed_recipient::Model> = json_rows(row, UNNAMED, KIND, id)?
        .into_iter()
        .map(
            |UnnamedJson(position, kind, count, note)| award_unnamed_recipient::Model {
                decision_id: id,
                position,
                kind,
                count,
                note,
            },
        )
        .collect();
    let presentation_rows = if parts.presentations {
        json_rows(row, PRESENTATIONS, KIND, id)?
    } else {
        Vec::new()
    };
    let mut presentations: Vec<award_presentation::Model> = presentation_rows
        .into_iter()
        .map(
            |PresentationJson(position, meeting_id, presenter_id, date)| {
                award_presentation::Model {
                    decision_id: id,
                    position,
                    meeting_id,
                    presenter_id,
                    date,
                }
            },
        )
        .collect();
    // The aggregates' order is not defined: the lists' order is their positions'.
    recipients.sort_by_key(|r| r.position);
    unnamed.sort_by_key(|u| u.position);
    presentations.sort_by_key(|p| p.position);
    decision_from_rows(model, recipients, unnamed, presentations)
}

/// The decisions `select` finds, in its order, in one statement whatever their number.
async fn read_decisions(
    db: &impl ConnectionTrait,
    select: Select<award_decision::Entity>,
) -> Result<Vec<AwardDecision>, StorageError> {
    let backend = db.get_database_backend();
    let mut named = Named::new(None);
    read_extended(
        db,
        select,
        |query| select_children(query, backend, DecisionParts::ALL),
        |model, row| decision_from_joined(model, row, &mut named, DecisionParts::ALL),
    )
    .await
}

/// Reads one decision inside a transaction (locking its row on PostgreSQL) or from the reader.
async fn load_locked(
    database: &Database,
    db: &impl ConnectionTrait,
    id: AwardDecisionId,
) -> Result<(award_decision::Model, AwardDecision), StorageError> {
    let backend = db.get_database_backend();
    read_extended(
        db,
        lock_for_write(database, award_decision::Entity::find_by_id(id.as_uuid())),
        |query| select_children(query, backend, DecisionParts::ALL),
        |model, row| {
            let decision = decision_from_joined(
                model.clone(),
                row,
                &mut Named::new(None),
                DecisionParts::ALL,
            )?;
            Ok((model, decision))
        },
    )
    .await?
    .pop()
    .ok_or_else(|| StorageError::NotFound {
        kind: KIND,
        id: id.to_string(),
    })
}

/// Locks the selected rows until the write transaction ends, on PostgreSQL with
/// `FOR NO KEY UPDATE`: it excludes every other writer locking the same rows (with this lock or
/// `FOR UPDATE`) just as `FOR UPDATE` does, but not the `FOR KEY SHARE` locks PostgreSQL takes
/// on rows a new foreign key points at. A decision naming a person as presenter, while another
/// decision holds that person's row as its recipient, then does not wait on it, which rules out
/// deadlocks between two decisions that name each other's recipients as presenters or signers.
/// SQLite's `BEGIN IMMEDIATE` already excludes every other writer.
fn lock_for_write<E: EntityTrait>(database: &Database, select: Select<E>) -> Select<E> {
    match database.engine() {
        Engine::Postgres => select.lock(LockType::NoKeyUpdate),
        Engine::Sqlite => select,
    }
}

/// Ids deduplicated and sorted, the order rows are locked in.
fn sorted_ids(ids: impl IntoIterator<Item = Uuid>) -> Vec<Uuid> {
    ids.into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The first of `wanted` that is not in `found`, as a not-found error of `kind`.
fn first_missing(kind: &'static str, wanted: &[Uuid], found: &[Uuid]) -> Result<(), StorageError> {
    let found: HashSet<&Uuid> = found.iter().collect();
    match wanted.iter().find(|id| !found.contains(id)) {
        Some(missing) => Err(StorageError::NotFound {
            kind,
            id: missing.to_string(),
        }),
        None => Ok(()),
    }
}

/// Checks a new or changed decision against the current rows, inside the write's transaction:
/// the authority may confer the form, every referenced record exists, and (after locking the
/// named recipients' rows) no recipient already holds a standing award for the same achievement.
async fn check_in_transaction(
    database: &Database,
    transaction: &impl ConnectionTrait,
    decision: &AwardDecision,
) -> Result<(), StorageError> {
    let authority = load_organization(transaction, decision.authority).await?;
    decision.check_authority(&authority)?;

    let recipient_people = sorted_ids(decision.recipients.iter().filter_map(
        |r| match r.recipient {
            RecipientRef::Person(p) => Some(p.as_uuid()),
            RecipientRef::Organization(_) => None,
        },
    ));
    let recipient_organizations =
        sorted_ids(
            decision
                .recipients
                .iter()
                .filter_map(|r| match r.recipient {
                    RecipientRef::Organization(o) => Some(o.as_uuid()),
                    RecipientRef::Person(_) => None,
                }),
        );
    // People before organizations, each in id order: every writer takes the locks in this one
    // order, so two decisions sharing recipients wait for each other instead of deadlocking.
    if !recipient_people.is_empty() {
        let locked: Vec<Uuid> = lock_for_write(
            database,
            person::Entity::find()
                .filter(person::Column::Id.is_in(recipient_people.iter().copied()))
                .order_by_asc(person::Column::Id),
        )
        .select_only()
        .column(person::Column::Id)
        .into_tuple()
        .all(transaction)
        .await?;
        first_missing("person", &recipient_people, &locked)?;
    }
    if !recipient_organizations.is_empty() {
        let locked: Vec<Uuid> = lock_for_write(
            database,
            organization::Entity::find()
                .filter(organization::Column::Id.is_in(recipient_organizations.iter().copied()))
                .order_by_asc(organization::Column::Id),
        )
        .select_only()
        .column(organization::Column::Id)
        .into_tuple()
        .all(transaction)
        .await?;
        first_missing("organization", &recipient_organizations, &locked)?;
    }

    // The signer and the presenters only need to exist; locking them would make unrelated
    // decisions signed by the same chairman wait for each other.
    let other_people = sorted_ids(
        decision
            .signer
            .iter()
            .filter_map(|s| s.person)
            .chain(decision.presentations.iter().filter_map(|p| p.presenter))
            .map(|p| p.as_uuid()),
    );
    if !other_people.is_empty() {
        let found: Vec<Uuid> = person::Entity::find()
            .filter(person::Column::Id.is_in(other_people.iter().copied()))
            .select_only()
            .column(person::Column::Id)
            .into_tuple()
            .all(transaction)
            .await?;
        first_missing("person", &other_people, &found)?;
    }
    let meetings = sorted_ids(
        decision
            .presentations
            .iter()
            .filter_map(|p| p.meeting)
            .map(|m| m.as_uuid()),
    );
    if !meetings.is_empty() {
        let found: Vec<Uuid> = meeting::Entity::find()
            .filter(meeting::Column::Id.is_in(meetings.iter().copied()))
            .select_only()
            .column(meeting::Column::Id)
            .into_tuple()
            .all(transaction)
            .await?;
        first_missing("meeting", &meetings, &found)?;
    }

    // One achievement, one award. Only standing decisions with the same achievement key (folded
    // field and period) can clash, so only those are loaded; the domain rule then decides.
    if let (true, Some((field_fold, period))) = (decision.stands(), decision.achievement.key())
        && !decision.recipients.is_empty()
    {
        let mut named = Condition::any();
        if !recipient_people.is_empty() {
            named = named
                .add(award_recipient::Column::PersonId.is_in(recipient_people.iter().copied()));
        }
        if !recipient_organizations.is_empty() {
            named = named.add(
                award_recipient::Column::OrganizationId
                    .is_in(recipient_organizations.iter().copied()),
            );
        }
        let theirs = Query::select()
            .column(award_recipient::Column::DecisionId)
            .from(award_recipient::Entity)
            .cond_where(named)
            .to_owned();
        let select = award_decision::Entity::find()
            .filter(award_decision::Column::Id.in_subquery(theirs))
            .filter(award_decision::Column::Id.ne(decision.id().as_uuid()))
            .filter(award_decision::Column::Status.eq(AwardStatus::Issued.code()))
            .filter(award_decision::Column::AchievementFieldFold.eq(field_fold))
            .filter(award_decision::Column::AchievementFirstYear.eq(period.first_year()))
            .filter(award_decision::Column::AchievementLastYear.eq(period.last_year()))
            .order_by_asc(award_decision::Column::Id);
        let existing = read_decisions(transaction, select).await?;
        check_one_achievement_one_award(decision, &existing)?;
    }
    Ok(())
}

/// Maps a write error on `award_decision`: a duplicate number becomes a conflict naming the
/// number and the authority; everything else maps as usual.
fn number_conflict(error: DbErr, decision: &AwardDecision) -> StorageError {
    if let Some(SqlErr::UniqueConstraintViolation(message)) = error.sql_err()
        && message.contains("number_key")
    {
        let number = decision.number.as_ref().map_or_else(String::new, |n| {
            format!("{} (compared as {})", n.raw(), n.key())
        });
        return StorageError::Conflict {
            rule: NUMBER_RULE,
            detail: format!(
                "decision number {number} is already recorded for authority {}",
                decision.authority
            ),
        };
    }
    StorageError::from(error)
}

/// Writes the child rows of a decision (after its earlier ones were removed, on update).
async fn insert_children(
    transaction: &impl ConnectionTrait,
    decision: &AwardDecision,
) -> Result<(), StorageError> {
    let rows = child_rows(decision)?;
    if !rows.recipients.is_empty() {
        award_recipient::Entity::insert_many(rows.recipients)
            .exec_without_returning(transaction)
            .await?;
    }
    if !rows.unnamed.is_empty() {
        award_unnamed_recipient::Entity::insert_many(rows.unnamed)
            .exec_without_returning(transaction)
            .await?;
    }
    if !rows.presentations.is_empty() {
        award_presentation::Entity::insert_many(rows.presentations)
            .exec_without_returning(transaction)
            .await?;
    }
    Ok(())
}

/// What the audit log records of a revocation.
#[derive(Serialize)]
struct RevocationSummary<'a> {
    number: Option<&'a str>,
    status: &'a DecisionStatus,
}

impl Database {
    /// Records a new award decision, in one transaction: the issuing authority must exist and
    /// may confer the form (a commune People's Committee cannot confer a Bằng khen); the named
    /// recipients, the signer, the presenters and the meetings must exist; no named recipient
    /// may already hold a standing award for the same achievement; and the number must be new
    /// for the authority ([`StorageError::Conflict`] otherwise, compared on
    /// [`DocumentNumber::key`] so that "163/QĐ-UBND" and "163/QÐ-UBND" are one number).
    pub async fn record_award_decision(
        &self,
        actor: &Actor,
        decision: &AwardDecision,
    ) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        self.record_award_decision_in(&transaction, actor, decision)
            .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// [`Self::record_award_decision`] inside a write transaction the caller commits.
    pub(crate) async fn record_award_decision_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        decision: &AwardDecision,
    ) -> Result<(), StorageError> {
        check_in_transaction(self, transaction, decision).await?;
        award_decision::Entity::insert(to_row(decision)?)
            .exec_without_returning(transaction)
            .await
            .map_err(|error| number_conflict(error, decision))?;
        insert_children(transaction, decision).await?;
        audit::record(
            transaction,
            actor,
            "record_award_decision",
            KIND,
            decision.id().as_uuid(),
            decision,
        )
        .await
    }

    /// Replaces a decision's details, with the same checks as
    /// [`Database::record_award_decision`]; the decision itself does not count as a rival under
    /// the one-achievement rule.
    pub async fn update_award_decision(
        &self,
        actor: &Actor,
        decision: &AwardDecision,
    ) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        self.update_award_decision_in(&transaction, actor, decision)
            .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// [`Self::update_award_decision`] inside a write transaction the caller commits.
    pub(crate) async fn update_award_decision_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        decision: &AwardDecision,
    ) -> Result<(), StorageError> {
        // The decision's own row is locked first, then its recipients' rows: concurrent updates
        // of one decision run one after the other.
        let (existing, _) = load_locked(self, transaction, decision.id()).await?;
        // A revocation is a decision of its own with its date, reason and document: it is made
        // and recorded through `revoke_award_decision`, and an update can neither make nor
        // undo one.
        if existing.status != decision.status.code() {
            return Err(StorageError::InvalidInput(format!(
                "an update cannot change a decision's status (stored: {}, given: {}); revoke with revokeAwardDecision, and a revocation cannot be undone",
                existing.status,
                decision.status.code()
            )));
        }
        check_in_transaction(self, transaction, decision).await?;
        let id = decision.id().as_uuid();
        let mut row = to_row(decision)?;
        row.created_at = Set(existing.created_at);
        award_decision::Entity::update(row)
            .exec(transaction)
            .await
            .map_err(|error| number_conflict(error, decision))?;
        award_recipient::Entity::delete_many()
            .filter(award_recipient::Column::DecisionId.eq(id))
            .exec(transaction)
            .await?;
        award_unnamed_recipient::Entity::delete_many()
            .filter(award_unnamed_recipient::Column::DecisionId.eq(id))
            .exec(transaction)
            .await?;
        award_presentation::Entity::delete_many()
            .filter(award_presentation::Column::DecisionId.eq(id))
            .exec(transaction)
            .await?;
        insert_children(transaction, decision).await?;
        audit::record(transaction, actor, "update", KIND, id, decision).await
    }

    /// Revokes a decision (hủy bỏ): the record stays, with the date, the reason and the revoking
    /// document's number. A decision already revoked, or a date before the signing date, is
    /// refused. Returns the decision as revoked.
    pub async fn revoke_award_decision(
        &self,
        actor: &Actor,
        id: AwardDecisionId,
        on: PartialDate,
        reason: Prose,
        document: Option<DocumentNumber>,
    ) -> Result<AwardDecision, StorageError> {
        let transaction = self.begin_write().await?;
        let decision = self
            .revoke_award_decision_in(&transaction, actor, id, on, reason, document)
            .await?;
        transaction.commit().await?;
        Ok(decision)
    }

    /// [`Self::revoke_award_decision`] inside a write transaction the caller commits.
    pub(crate) async fn revoke_award_decision_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        id: AwardDecisionId,
        on: PartialDate,
        reason: Prose,
        document: Option<DocumentNumber>,
    ) -> Result<AwardDecision, StorageError> {
        let (_, mut decision) = load_locked(self, transaction, id).await?;
        decision.revoke(on, reason, document)?;
        let (revoked_on, revocation_reason, revocation_document) =
            revocation_columns(&decision.status);
        award_decision::Entity::update_many()
            .col_expr(
                award_decision::Column::Status,
                Expr::value(decision.status.code()),
            )
            .col_expr(award_decision::Column::RevokedOn, Expr::value(revoked_on))
            .col_expr(
                award_decision::Column::RevocationReason,
                Expr::value(revocation_reason),
            )
            .col_expr(
                award_decision::Column::RevocationDocument,
                Expr::value(revocation_document),
            )
            .col_expr(award_decision::Column::UpdatedAt, Expr::value(now()))
            .filter(award_decision::Column::Id.eq(id.as_uuid()))
            .exec(transaction)
            .await?;
        audit::record(
            transaction,
            actor,
            "revoke",
            KIND,
            id.as_uuid(),
            &RevocationSummary {
                number: decision.number.as_ref().map(DocumentNumber::raw),
                status: &decision.status,
            },
        )
        .await?;
        Ok(decision)
    }

    /// One award decision.
    pub async fn award_decision(&self, id: AwardDecisionId) -> Result<AwardDecision, StorageError> {
        self.award_decisions_by_ids(&[id])
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| StorageError::NotFound {
                kind: KIND,
                id: id.to_string(),
            })
    }

    /// The decisions with these ids (those that exist, each once, in the order asked), in one
    /// statement whatever their number.
    pub async fn award_decisions_by_ids(
        &self,
        ids: &[AwardDecisionId],
    ) -> Result<Vec<AwardDecision>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let select = award_decision::Entity::find().filter(uuid_in(
            self.reader(),
            award_decision::Column::Id,
            ids.iter().map(AwardDecisionId::as_uuid),
        ));
        let mut found: HashMap<AwardDecisionId, AwardDecision> =
            read_decisions(self.reader(), select)
                .await?
                .into_iter()
                .map(|d| (d.id(), d))
                .collect();
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// Award decisions, in the order they were recorded (by id: ids are time-ordered UUIDv7).
    pub async fn award_decisions(
        &self,
        filter: &AwardDecisionFilter,
        page: &PageRequest,
    ) -> Result<Page<AwardDecision>, StorageError> {
        self.award_decisions_in(filter, page, None, DecisionParts::ALL)
            .await
    }

    /// [`Self::award_decisions`] with the people and organizations the page's decisions name
    /// as recipients, read bare (as [`Self::people_by_ids_bare`] and
    /// [`Self::organizations_by_ids_bare`] read them) in the same statement: for readers that
    /// go on to the recipients' names, no statement for them. A list `parts` leaves out is
    /// empty in every decision.
    pub async fn award_decisions_naming(
        &self,
        filter: &AwardDecisionFilter,
        page: &PageRequest,
        parts: DecisionParts,
    ) -> Result<(Page<AwardDecision>, NamedRecipients), StorageError> {
        let mut named = NamedRecipients::default();
        let page = self
            .award_decisions_in(filter, page, Some(&mut named), parts)
            .await?;
        Ok((page, named))
    }

    async fn award_decisions_in(
        &self,
        filter: &AwardDecisionFilter,
        page: &PageRequest,
        named: Option<&mut NamedRecipients>,
        parts: DecisionParts,
    ) -> Result<Page<AwardDecision>, StorageError> {
        let mut select = award_decision::Entity::find();
        if let Some(authority) = filter.authority {
            select = select.filter(award_decision::Column::AuthorityId.eq(authority.as_uuid()));
        }
        if let Some(form_kind) = &filter.form_kind {
            select = select.filter(award_decision::Column::FormKind.eq(form_kind.clone()));
        }
        if let Some(year) = filter.year {
            select = select.filter(award_decision::Column::Year.eq(year));
        }
        if let Some(status) = filter.status {
            select = select.filter(award_decision::Column::Status.eq(status.code()));
        }
        if let Some(recipient) = filter.recipient {
            let (column, id) = match recipient {
                RecipientRef::Person(p) => (award_recipient::Column::PersonId, p.as_uuid()),
                RecipientRef::Organization(o) => {
                    (award_recipient::Column::OrganizationId, o.as_uuid())
                }
            };
            let theirs = Query::select()
                .column(award_recipient::Column::DecisionId)
                .from(award_recipient::Entity)
                .and_where(Expr::col(column).eq(id))
                .to_owned();
            select = select.filter(award_decision::Column::Id.in_subquery(theirs));
        }
        let keyset = Keyset::<award_decision::Entity>::new(vec![(
            award_decision::Column::Id,
            KeyKind::Uuid,
        )]);
        let backend = self.reader().get_database_backend();
        let rows = keyset
            .fetch_extended(select, page, self.reader(), |query| {
                select_children(query, backend, parts);
            })
            .await?;
        let mut named = Named::new(named);
        rows.try_map(|(model, row)| decision_from_joined(model, &row, &mut named, parts))
    }

    /// The award history of each recipient asked for (people and organizations alike): the
    /// decisions naming them, revoked ones included, ordered by the year they are filed under,
    /// then signing date, then recording order (undated ones first). Every recipient asked for
    /// has an entry, empty when nothing names it. Five statements whatever their number.
    pub async fn awards_received(
        &self,
        recipients: &[RecipientRef],
    ) -> Result<HashMap<RecipientRef, Vec<AwardDecision>>, StorageError> {
        let mut history: HashMap<RecipientRef, Vec<AwardDecision>> =
            recipients.iter().map(|r| (*r, Vec::new())).collect();
        if recipients.is_empty() {
            return Ok(history);
        }
        let people = sorted_ids(recipients.iter().filter_map(|r| match r {
            RecipientRef::Person(p) => Some(p.as_uuid()),
            RecipientRef::Organization(_) => None,
        }));
        let organizations = sorted_ids(recipients.iter().filter_map(|r| match r {
            RecipientRef::Organization(o) => Some(o.as_uuid()),
            RecipientRef::Person(_) => None,
        }));
        let mut named = Condition::any();
        if !people.is_empty() {
            named = named.add(award_recipient::Column::PersonId.is_in(people));
        }
        if !organizations.is_empty() {
            named = named.add(award_recipient::Column::OrganizationId.is_in(organizations));
        }
        let links: Vec<(Uuid, Option<Uuid>, Option<Uuid>)> = award_recipient::Entity::find()
            .filter(named)
            .select_only()
            .column(award_recipient::Column::DecisionId)
            .column(award_recipient::Column::PersonId)
            .column(award_recipient::Column::OrganizationId)
            .into_tuple()
            .all(self.reader())
            .await?;
        let ids: Vec<AwardDecisionId> = sorted_ids(links.iter().map(|(d, _, _)| *d))
            .into_iter()
            .map(AwardDecisionId::from_uuid)
            .collect();
        let decisions: HashMap<Uuid, AwardDecision> = self
            .award_decisions_by_ids(&ids)
            .await?
            .into_iter()
            .map(|d| (d.id().as_uuid(), d))
            .collect();
        for (decision_id, person_id, organization_id) in links {
            let recipient = match (person_id, organization_id) {
                (Some(p), _) => RecipientRef::Person(PersonId::from_uuid(p)),
                (None, Some(o)) => RecipientRef::Organization(OrganizationId::from_uuid(o)),
                (None, None) => continue,
            };
            if let (Some(list), Some(decision)) =
                (history.get_mut(&recipient), decisions.get(&decision_id))
            {
                list.push(decision.clone());
            }
        }
        for list in history.values_mut() {
            list.sort_by(|a, b| {
                (a.year(), a.signed_on, a.id()).cmp(&(b.year(), b.signed_on, b.id()))
            });
        }
        Ok(history)
    }
}
