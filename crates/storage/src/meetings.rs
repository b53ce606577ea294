//! Meetings: record, update, read, and list by organizer and date window.
//!
//! A meeting is one `meeting` row and its chairs and attendees in `meeting_participant`, one
//! row per capacity: "Phạm Văn Hiểu, Phó Bí thư Thường trực Thành ủy, Chủ tịch HĐND thành phố"
//! is two rows, and a participant named without a capacity is one row with no post. The
//! capacities are checked against the participants' holdings inside the write's transaction,
//! after locking the posts they name, so an appointment being changed at the same moment cannot
//! slip between the check and the write.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use gazette_domain::date::PartialDateTime;
use gazette_domain::directive::Directive;
use gazette_domain::holding::Holding;
use gazette_domain::ids::{MeetingId, OrganizationId, PersonId, PostId};
use gazette_domain::meeting::{Meeting, MeetingDetails, MeetingKind, Participant};
use gazette_domain::text::{Text, fold};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, JoinType, QueryFilter,
    QueryOrder, QuerySelect, RelationDef, Set,
};
use uuid::Uuid;

use crate::Database;
use crate::audit::{self, Actor};
use crate::convert::uuid_in;
use crate::convert::{from_json_text, now, to_json_text};
use crate::entity::{holding, meeting, meeting_participant, organization, person, post};
use crate::error::StorageError;
use crate::holdings::holding_from_row;
use crate::keyset::{KeyKind, Keyset};
use crate::page::{Page, PageRequest};

const KIND: &str = MeetingId::KIND;
const CHAIR: &str = "chair";
const ATTENDEE: &str = "attendee";

/// Which meetings to list. Every field narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingFilter {
    /// Meetings held by this organization.
    pub organizer: Option<OrganizationId>,
    /// Meetings whose days reach this day or later (a meeting dated "2021-01" reaches
    /// 2021-01-31).
    pub from: Option<NaiveDate>,
    /// Meetings whose days begin on this day or earlier.
    pub to: Option<NaiveDate>,
    /// Words the title contains, compared folded ("dan van" finds "Dân vận").
    pub title: Option<String>,
}

pub(crate) fn meeting_row(meeting: &Meeting) -> Result<meeting::ActiveModel, StorageError> {
    let at = now();
    let date = meeting.held_at.date();
    Ok(meeting::ActiveModel {
        id: Set(meeting.id().as_uuid()),
        title: Set(meeting.title.to_string()),
        title_fold: Set(meeting.title.fold()),
        kind: Set(meeting.kind.code().to_owned()),
        organizer_id: Set(meeting.organizer.as_uuid()),
        held_at: Set(meeting.held_at.to_string()),
        held_from: Set(date.first_day()),
        held_to: Set(date.last_day()),
        location: Set(meeting.location.as_ref().map(ToString::to_string)),
        agenda: Set(to_json_text(&meeting.agenda)?),
        created_at: Set(at),
        updated_at: Set(at),
    })
}

pub(crate) fn participant_rows(meeting: &Meeting) -> Vec<meeting_participant::ActiveModel> {
    let id = meeting.id().as_uuid();
    let mut rows = Vec::new();
    for (role, participants) in [(CHAIR, &meeting.chairs), (ATTENDEE, &meeting.attendees)] {
        for (participant, position) in participants.iter().zip(0..) {
            // A participant without a capacity still needs a row to be recorded at all.
            let posts: Vec<Option<Uuid>> = if participant.capacities.is_empty() {
                vec![None]
            } else {
                participant
                    .capacities
                    .iter()
                    .map(|p| Some(p.as_uuid()))
                    .collect()
            };
            for (post_id, capacity_position) in posts.into_iter().zip(0..) {
                rows.push(meeting_participant::ActiveModel {
                    meeting_id: Set(id),
                    role: Set(role.to_owned()),
                    position: Set(position),
                    capacity_position: Set(capacity_position),
                    person_id: Set(participant.person.as_uuid()),
                    post_id: Set(post_id),
                });
            }
        }
    }
    rows
}

/// Groups one meeting's participant rows back into chairs and attendees, in their order.
fn participants_from_rows(
    meeting_id: Uuid,
    mut rows: Vec<meeting_participant::Model>,
) -> Result<(Vec<Participant>, Vec<Participant>), StorageError> {
    rows.sort_by(|a, b| {
        (a.role.as_str(), a.position, a.capacity_position).cmp(&(
            b.role.as_str(),
            b.position,
            b.capacity_position,
        ))
    });
    let mut chairs: Vec<Participant> = Vec::new();
    let mut attendees: Vec<Participant> = Vec::new();
    let mut current: Option<(String, i32)> = None;
    for row in rows {
        let list = match row.role.as_str() {
            CHAIR => &mut chairs,
            ATTENDEE => &mut attendees,
            other => {
                return Err(StorageError::corrupt(
                    KIND,
                    meeting_id,
                    format!("unknown participant role {other:?}"),
                ));
            }
        };
        let key = (row.role.clone(), row.position);
        if current.as_ref() != Some(&key) {
            list.push(Participant {
                person: PersonId::from_uuid(row.person_id),
                capacities: Vec::new(),
            });
            current = Some(key);
        }
        if let (Some(post_id), Some(participant)) = (row.post_id, list.last_mut()) {
            participant.capacities.push(PostId::from_uuid(post_id));
        }
    }
    Ok((chairs, attendees))
}

pub(crate) fn meeting_from_rows(
    row: meeting::Model,
    participants: Vec<meeting_participant::Model>,
) -> Result<Meeting, StorageError> {
    let id = row.id;
    let corrupt = |problem: String| StorageError::corrupt(KIND, id, problem);
    let (chairs, attendees) = participants_from_rows(id, participants)?;
    let details = MeetingDetails {
        title: Text::parse(&row.title).map_err(|e| corrupt(e.to_string()))?,
        kind: MeetingKind::from_code(&row.kind)
            .ok_or_else(|| corrupt(format!("unknown kind {:?}", row.kind)))?,
        organizer: OrganizationId::from_uuid(row.organizer_id),
        held_at: PartialDateTime::parse(&row.held_at).map_err(|e| corrupt(e.to_string()))?,
        location: row
            .location
            .as_deref()
            .map(Text::parse)
            .transpose()
            .map_err(|e| corrupt(e.to_string()))?,
        chairs,
        attendees,
        agenda: from_json_text(KIND, id, &row.agenda)?,
    };
    Meeting::new(MeetingId::from_uuid(id), details).map_err(|e| corrupt(e.to_string()))
}

/// Turns meeting rows into domain values with one more statement whatever their number,
/// keeping the rows' order.
pub(crate) async fn meetings_from_rows(
    db: &impl ConnectionTrait,
    rows: Vec<meeting::Model>,
) -> Result<Vec<Meeting>, StorageError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut participants: HashMap<Uuid, Vec<meeting_participant::Model>> = HashMap::new();
    for participant in meeting_participant::Entity::find()
        .filter(uuid_in(
            db,
            meeting_participant::Column::MeetingId,
            rows.iter().map(|r| r.id),
        ))
        .all(db)
        .await?
    {
        participants
            .entry(participant.meeting_id)
            .or_default()
            .push(participant);
    }
    rows.into_iter()
        .map(|row| {
            let own = participants.remove(&row.id).unwrap_or_default();
            meeting_from_rows(row, own)
        })
        .collect()
}

/// Reads one meeting inside a transaction (or from the reader), locking its row when the
/// caller's rule hangs on it.
pub(crate) async fn load_meeting(
    database: &Database,
    db: &impl ConnectionTrait,
    id: MeetingId,
    lock: bool,
) -> Result<Meeting, StorageError> {
    let mut select = meeting::Entity::find_by_id(id.as_uuid());
    if lock {
        select = database.for_update(select);
    }
    let row = select
        .one(db)
        .await?
        .ok_or_else(|| StorageError::NotFound {
            kind: KIND,
            id: id.to_string(),
        })?;
    meetings_from_rows(db, vec![row])
        .await?
        .pop()
        .ok_or_else(|| StorageError::internal("a meeting vanished while it was being read"))
}

/// Checks that every person exists, in one statement.
pub(crate) async fn ensure_people(
    db: &impl ConnectionTrait,
    people: impl IntoIterator<Item = PersonId>,
) -> Result<(), StorageError> {
    let wanted: BTreeSet<Uuid> = people.into_iter().map(|p| p.as_uuid()).collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let found: HashSet<Uuid> = person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .filter(person::Column::Id.is_in(wanted.iter().copied()))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    match wanted.into_iter().find(|id| !found.contains(id)) {
        Some(missing) => Err(StorageError::NotFound {
            kind: PersonId::KIND,
            id: missing.to_string(),
        }),
        None => Ok(()),
    }
}

/// Checks that every organization exists, in one statement.
pub(crate) async fn ensure_organizations(
    db: &impl ConnectionTrait,
    organizations: impl IntoIterator<Item = OrganizationId>,
) -> Result<(), StorageError> {
    let wanted: BTreeSet<Uuid> = organizations.into_iter().map(|o| o.as_uuid()).collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let found: HashSet<Uuid> = organization::Entity::find()
        .select_only()
        .column(organization::Column::Id)
        .filter(organization::Column::Id.is_in(wanted.iter().copied()))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    match wanted.into_iter().find(|id| !found.contains(id)) {
        Some(missing) => Err(StorageError::NotFound {
            kind: OrganizationId::KIND,
            id: missing.to_string(),
        }),
        None => Ok(()),
    }
}

/// Checks that the participants exist and that every capacity they are named in is a post
/// they held at the time (`check` runs the domain rule), inside the write's transaction.
///
/// The posts are locked in id order first: appointments lock the same post rows, so a holding
/// cannot be ended or moved between this check and the commit, and the fixed order keeps two
/// writers from deadlocking on PostgreSQL.
pub(crate) async fn check_participants<E>(
    database: &Database,
    transaction: &impl ConnectionTrait,
    participants: &[&Participant],
    check: impl FnOnce(&[Holding]) -> Result<(), E>,
) -> Result<(), StorageError>
where
    StorageError: From<E>,
{
    ensure_people(transaction, participants.iter().map(|p| p.person)).await?;
    let posts: BTreeSet<Uuid> = participants
        .iter()
        .flat_map(|p| p.capacities.iter().map(PostId::as_uuid))
        .collect();
    if posts.is_empty() {
        return Ok(check(&[])?);
    }
    let locked: HashSet<Uuid> = database
        .for_update(post::Entity::find())
        .filter(post::Column::Id.is_in(posts.iter().copied()))
        .order_by_asc(post::Column::Id)
        .all(transaction)
        .await?
        .into_iter()
        .map(|row| row.id)
        .collect();
    if let Some(missing) = posts.iter().find(|id| !locked.contains(id)) {
        return Err(StorageError::NotFound {
            kind: PostId::KIND,
            id: missing.to_string(),
        });
    }
    let holdings = holding::Entity::find()
        .filter(holding::Column::PersonId.is_in(participants.iter().map(|p| p.person.as_uuid())))
        .filter(holding::Column::PostId.is_in(posts.iter().copied()))
        .all(transaction)
        .await?
        .into_iter()
        .map(holding_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(check(&holdings)?)
}

/// Checks a new or changed meeting against the current rows.
async fn check_meeting_in_transaction(
    database: &Database,
    transaction: &impl ConnectionTrait,
    meeting: &Meeting,
) -> Result<(), StorageError> {
    ensure_organizations(transaction, [meeting.organizer]).await?;
    let participants: Vec<&Participant> = meeting.chairs.iter().chain(&meeting.attendees).collect();
    check_participants(database, transaction, &participants, |holdings| {
        meeting.check_capacities(holdings)
    })
    .await
}

/// Escapes the wildcards of a LIKE pattern, with `\` as the escape character.
pub(crate) fn like_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

impl Database {
    /// Records a meeting: its organizer, participants and the posts named as their capacities
    /// must exist, and every capacity must be a post the person held on the meeting's date.
    pub async fn record_meeting(
        &self,
        actor: &Actor,
        meeting: &Meeting,
    ) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        self.record_meeting_in(&transaction, actor, meeting).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// [`Self::record_meeting`] inside a write transaction the caller commits.
    pub(crate) async fn record_meeting_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        meeting: &Meeting,
    ) -> Result<(), StorageError> {
        check_meeting_in_transaction(self, transaction, meeting).await?;
        meeting::Entity::insert(meeting_row(meeting)?)
            .exec_without_returning(transaction)
            .await?;
        let participants = participant_rows(meeting);
        if !participants.is_empty() {
            meeting_participant::Entity::insert_many(participants)
                .exec_without_returning(transaction)
                .await?;
        }
        audit::record(
            transaction,
            actor,
            "record_meeting",
            KIND,
            meeting.id().as_uuid(),
            meeting,
        )
        .await
    }

    /// Replaces a meeting's details, under the same rules as [`Self::record_meeting`]; the
    /// directives given at it must still come no earlier than its (possibly new) date.
    pub async fn update_meeting(
        &self,
        actor: &Actor,
        meeting: &Meeting,
    ) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        self.update_meeting_in(&transaction, actor, meeting).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// [`Self::update_meeting`] inside a write transaction the caller commits.
    pub(crate) async fn update_meeting_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        meeting: &Meeting,
    ) -> Result<(), StorageError> {
        let id = meeting.id().as_uuid();
        // Directives lock the meeting row when they are checked against it, so locking it here
        // keeps a directive from being issued against the old date while the date changes.
        let existing = self
            .for_update(meeting::Entity::find_by_id(id))
            .one(transaction)
            .await?
            .ok_or_else(|| StorageError::NotFound {
                kind: KIND,
                id: id.to_string(),
            })?;
        check_meeting_in_transaction(self, transaction, meeting).await?;
        let directives: Vec<Directive> =
            crate::directives::directives_of_meetings_in(transaction, &[meeting.id()])
                .await?
                .into_values()
                .flatten()
                .collect();
        for directive in &directives {
            directive.check_meeting(meeting)?;
        }
        let mut row = meeting_row(meeting)?;
        row.created_at = Set(existing.created_at);
        meeting::Entity::update(row).exec(transaction).await?;
        meeting_participant::Entity::delete_many()
            .filter(meeting_participant::Column::MeetingId.eq(id))
            .exec(transaction)
            .await?;
        let participants = participant_rows(meeting);
        if !participants.is_empty() {
            meeting_participant::Entity::insert_many(participants)
                .exec_without_returning(transaction)
                .await?;
        }
        audit::record(transaction, actor, "update", KIND, id, meeting).await
    }

    /// One meeting.
    pub async fn meeting(&self, id: MeetingId) -> Result<Meeting, StorageError> {
        load_meeting(self, self.reader(), id, false).await
    }

    /// The meetings with these ids (those that exist), in two statements whatever their
    /// number.
    pub async fn meetings_by_ids(&self, ids: &[MeetingId]) -> Result<Vec<Meeting>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = meeting::Entity::find()
            .filter(uuid_in(
                self.reader(),
                meeting::Column::Id,
                ids.iter().map(MeetingId::as_uuid),
            ))
            .all(self.reader())
            .await?;
        meetings_from_rows(self.reader(), rows).await
    }

    /// Meetings in date order (first day, then id). A meeting is in the window `from..=to`
    /// when any of its days is: a meeting dated only "2021-01" is in a window on 2021-01-20.
    pub async fn meetings(
        &self,
        filter: &MeetingFilter,
        page: &PageRequest,
    ) -> Result<Page<Meeting>, StorageError> {
        let mut select = meeting::Entity::find();
        if let Some(organizer) = filter.organizer {
            select = select.filter(meeting::Column::OrganizerId.eq(organizer.as_uuid()));
        }
        if let Some(from) = filter.from {
            select = select.filter(meeting::Column::HeldTo.gte(from));
        }
        if let Some(to) = filter.to {
            select = select.filter(meeting::Column::HeldFrom.lte(to));
        }
        if let Some(title) = &filter.title {
            let folded = fold(title);
            if folded.is_empty() {
                return Err(StorageError::InvalidInput(format!(
                    "the title search {title:?} is blank"
                )));
            }
            let pattern = format!("%{}%", like_escape(&folded));
            select = select.filter(
                Expr::col((meeting::Entity, meeting::Column::TitleFold))
                    .like(LikeExpr::new(pattern).escape('\\')),
            );
        }
        let keyset = Keyset::<meeting::Entity>::new(vec![
            (meeting::Column::HeldFrom, KeyKind::Date),
            (meeting::Column::Id, KeyKind::Uuid),
        ]);
        let rows = keyset.fetch(select, page, self.reader()).await?;
        let models: Vec<meeting::Model> = rows.edges.iter().map(|e| e.node.clone()).collect();
        let mut meetings: HashMap<Uuid, Meeting> = meetings_from_rows(self.reader(), models)
            .await?
            .into_iter()
            .map(|m| (m.id().as_uuid(), m))
            .collect();
        rows.try_map(|row| {
            meetings.remove(&row.id).ok_or_else(|| {
                StorageError::internal(format!("meeting {} vanished while reading a page", row.id))
            })
        })
    }

    /// The meetings each person chaired, in date order, in one statement whatever the number
    /// of people; every person asked about has an entry, empty when they chaired none.
    pub async fn meetings_chaired_by(
        &self,
        people: &[PersonId],
    ) -> Result<HashMap<PersonId, Vec<Meeting>>, StorageError> {
        self.meetings_with(people, Some(CHAIR)).await
    }

    /// The meetings each person chaired or attended, in date order, in one statement whatever
    /// the number of people; every person asked about has an entry.
    pub async fn meetings_of_people(
        &self,
        people: &[PersonId],
    ) -> Result<HashMap<PersonId, Vec<Meeting>>, StorageError> {
        self.meetings_with(people, None).await
    }

    /// Reads every participant row of the meetings the people took part in (in `role`, when
    /// given) joined with its meeting's row, so one statement brings whole meetings back.
    async fn meetings_with(
        &self,
        people: &[PersonId],
        role: Option<&'static str>,
    ) -> Result<HashMap<PersonId, Vec<Meeting>>, StorageError> {
        let mut result: HashMap<PersonId, Vec<Meeting>> =
            people.iter().map(|p| (*p, Vec::new())).collect();
        if people.is_empty() {
            return Ok(result);
        }
        let mut taking_part = Query::select();
        taking_part
            .column(meeting_participant::Column::MeetingId)
            .from(meeting_participant::Entity)
            .and_where(
                Expr::col(meeting_participant::Column::PersonId)
                    .is_in(people.iter().map(PersonId::as_uuid)),
            );
        if let Some(role) = role {
            taking_part.and_where(Expr::col(meeting_participant::Column::Role).eq(role));
        }
        let join: RelationDef = meeting_participant::Entity::belongs_to(meeting::Entity)
            .from(meeting_participant::Column::MeetingId)
            .to(meeting::Column::Id)
            .into();
        let rows = meeting_participant::Entity::find()
            .join(JoinType::InnerJoin, join)
            .filter(meeting_participant::Column::MeetingId.in_subquery(taking_part.to_owned()))
            .order_by_asc(meeting::Column::HeldFrom)
            .order_by_asc(meeting::Column::Id)
            .select_also(meeting::Entity)
            .all(self.reader())
            .await?;
        let mut order: Vec<meeting::Model> = Vec::new();
        let mut participants: HashMap<Uuid, Vec<meeting_participant::Model>> = HashMap::new();
        for (participant, meeting_row) in rows {
            let meeting_row = meeting_row.ok_or_else(|| {
                StorageError::internal("a participant row came back without its meeting")
            })?;
            if order.last().map(|m| m.id) != Some(meeting_row.id) {
                order.push(meeting_row);
            }
            participants
                .entry(participant.meeting_id)
                .or_default()
                .push(participant);
        }
        for row in order {
            let own = participants.remove(&row.id).unwrap_or_default();
            let takers: Vec<(PersonId, String)> = own
                .iter()
                .map(|p| (PersonId::from_uuid(p.person_id), p.role.clone()))
                .collect();
            let meeting = meeting_from_rows(row, own)?;
            let mut seen = HashSet::new();
            for (person, taken_role) in takers {
                let wanted = role.is_none_or(|r| r == taken_role);
                if wanted
                    && seen.insert(person)
                    && let Some(list) = result.get_mut(&person)
                {
                    list.push(meeting.clone());
                }
            }
        }
        Ok(result)
    }
}
