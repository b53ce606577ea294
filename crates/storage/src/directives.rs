//! Directives: issue, update, read, and list by issuer, meeting and date window.
//!
//! A directive is one `directive` row: the issuer's capacities and the addressees are small
//! ordered lists nobody filters on, kept as JSON text. The document number is stored as written
//! next to its comparison key, so "05-CT/TU" and "05 - CT/TU" can be found as one number.

use std::collections::HashMap;

use chrono::NaiveDate;
use gazette_domain::award::number::DocumentNumber;
use gazette_domain::date::PartialDate;
use gazette_domain::directive::{Assignee, Directive, DirectiveDetails, DirectiveKind};
use gazette_domain::ids::{DirectiveId, MeetingId, OrganizationId, PersonId, PostId};
use gazette_domain::meeting::Participant;
use gazette_domain::person::Person;
use gazette_domain::text::{Prose, Text};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::Database;
use crate::audit::{self, Actor};
use crate::convert::{from_json_text, json_record, json_uuid, now, to_json_text};
use crate::convert::{join_referenced, uuid_in};
use crate::entity::{directive, person};
use crate::error::StorageError;
use crate::keyset::{KeyKind, Keyset};
use crate::meetings::{check_participants, ensure_organizations, load_meeting};
use crate::page::{Page, PageRequest};
use crate::people::joined_person;

const KIND: &str = DirectiveId::KIND;

/// Which directives to list. Every field narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectiveFilter {
    /// Directives issued by this person.
    pub issuer: Option<PersonId>,
    /// Directives given at this meeting.
    pub meeting: Option<MeetingId>,
    /// Directives whose date reaches this day or later (one dated "2021" reaches 2021-12-31).
    pub from: Option<NaiveDate>,
    /// Directives whose date begins on this day or earlier.
    pub to: Option<NaiveDate>,
}

pub(crate) fn directive_row(directive: &Directive) -> Result<directive::ActiveModel, StorageError> {
    let at = now();
    Ok(directive::ActiveModel {
        id: Set(directive.id().as_uuid()),
        issuer_id: Set(directive.issuer.person.as_uuid()),
        issuer_capacities: Set(to_json_text(&directive.issuer.capacities)?),
        kind: Set(directive.kind.code().to_owned()),
        issued_on: Set(directive.issued_on.to_string()),
        issued_from: Set(directive.issued_on.first_day()),
        issued_to: Set(directive.issued_on.last_day()),
        meeting_id: Set(directive.meeting.map(|m| m.as_uuid())),
        document_number: Set(directive
            .document_number
            .as_ref()
            .map(|n| n.raw().to_owned())),
        document_number_key: Set(directive.document_number.as_ref().map(DocumentNumber::key)),
        summary: Set(directive.summary.to_string()),
        addressees: Set(to_json_text(&directive.addressees)?),
        created_at: Set(at),
        updated_at: Set(at),
    })
}

pub(crate) fn directive_from_row(row: directive::Model) -> Result<Directive, StorageError> {
    directive_from_columns(DirectiveColumns(
        row.id,
        row.issuer_id,
        row.issuer_capacities,
        row.kind,
        row.issued_on,
        row.meeting_id,
        row.document_number,
        row.summary,
        row.addressees,
    ))
}

/// The columns of a `directive` row a [`Directive`] is made of, in the order
/// [`directive_json`] writes them: id, issuer, the issuer's capacities (JSON text), kind, date,
/// meeting, document number, summary and addressees (JSON text).
#[derive(Deserialize)]
pub(crate) struct DirectiveColumns(
    Uuid,
    Uuid,
    String,
    String,
    String,
    Option<Uuid>,
    Option<String>,
    String,
    String,
);

impl DirectiveColumns {
    /// The directive's id.
    pub(crate) fn id(&self) -> Uuid {
        self.0
    }
}

/// SQL for the directive row `table` (joined into a statement, possibly with none) as a JSON
/// array of its [`DirectiveColumns`], or NULL when there is none (see
/// [`crate::organizations::organization_json`]).
pub(crate) fn directive_json(backend: DbBackend, table: &str) -> String {
    let columns = [
        json_uuid(backend, &format!("{table}.id")),
        json_uuid(backend, &format!("{table}.issuer_id")),
        format!("{table}.issuer_capacities"),
        format!("{table}.kind"),
        format!("{table}.issued_on"),
        json_uuid(backend, &format!("{table}.meeting_id")),
        format!("{table}.document_number"),
        format!("{table}.summary"),
        format!("{table}.addressees"),
    ];
    json_record(backend, table, &columns)
}

/// An addressee as the `addressees` column holds it: `Assignee`'s own JSON, `{"kind":
/// "organization", "id": ...}` or `{"kind": "group", "name": ...}`, read as a plain struct.
/// (The domain's internally tagged enum buffers every element before it knows its variant,
/// which was a tenth of reading a directive back.)
#[derive(Deserialize)]
struct StoredAssignee {
    kind: StoredAssigneeKind,
    #[serde(default)]
    id: Option<OrganizationId>,
    #[serde(default)]
    name: Option<Text>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum StoredAssigneeKind {
    Organization,
    Group,
}

/// The addressees a directive's `addressees` column holds.
fn addressees_from_json(id: Uuid, text: &str) -> Result<Vec<Assignee>, StorageError> {
    let stored: Vec<StoredAssignee> = from_json_text(KIND, id, text)?;
    stored
        .into_iter()
        .map(|addressee| match addressee {
            StoredAssignee {
                kind: StoredAssigneeKind::Organization,
                id: Some(organization),
                ..
            } => Ok(Assignee::Organization { id: organization }),
            StoredAssignee {
                kind: StoredAssigneeKind::Group,
                name: Some(name),
                ..
            } => Ok(Assignee::Group { name }),
            StoredAssignee { kind, .. } => Err(StorageError::corrupt(
                KIND,
                id,
                match kind {
                    StoredAssigneeKind::Organization => "an addressed organization has no id",
                    StoredAssigneeKind::Group => "an addressed group has no name",
                },
            )),
        })
        .collect()
}

/// A directive from the columns [`directive_json`] wrote (or its row held).
pub(crate) fn directive_from_columns(
    DirectiveColumns(
        id,
        issuer,
        capacities,
        kind,
        issued_on,
        meeting,
        document_number,
        summary,
        addressees,
    ): DirectiveColumns,
) -> Result<Directive, StorageError> {
    let corrupt = |problem: String| StorageError::corrupt(KIND, id, problem);
    let capacities: Vec<PostId> = from_json_text(KIND, id, &capacities)?;
    let details = DirectiveDetails {
        issuer: Participant {
            person: PersonId::from_uuid(issuer),
            capacities,
        },
        kind: DirectiveKind::from_code(&kind)
            .ok_or_else(|| corrupt(format!("unknown kind {kind:?}")))?,
        issued_on: PartialDate::parse(&issued_on).map_err(|e| corrupt(e.to_string()))?,
        meeting: meeting.map(MeetingId::from_uuid),
        document_number: document_number
            .as_deref()
            .map(DocumentNumber::parse)
            .transpose()
            .map_err(|e| corrupt(e.to_string()))?,
        summary: Prose::parse(&summary).map_err(|e| corrupt(e.to_string()))?,
        addressees: addressees_from_json(id, &addressees)?,
    };
    Directive::new(DirectiveId::from_uuid(id), details).map_err(|e| corrupt(e.to_string()))
}

/// The directives given at each of these meetings, in date order, in one statement; every
/// meeting asked about has an entry.
pub(crate) async fn directives_of_meetings_in(
    db: &impl ConnectionTrait,
    meetings: &[MeetingId],
) -> Result<HashMap<MeetingId, Vec<Directive>>, StorageError> {
    let mut result: HashMap<MeetingId, Vec<Directive>> =
        meetings.iter().map(|m| (*m, Vec::new())).collect();
    if meetings.is_empty() {
        return Ok(result);
    }
    let rows = directive::Entity::find()
        .filter(directive::Column::MeetingId.is_in(meetings.iter().map(MeetingId::as_uuid)))
        .order_by_asc(directive::Column::IssuedFrom)
        .order_by_asc(directive::Column::Id)
        .all(db)
        .await?;
    for row in rows {
        let directive = directive_from_row(row)?;
        if let Some(meeting) = directive.meeting
            && let Some(list) = result.get_mut(&meeting)
        {
            list.push(directive);
        }
    }
    Ok(result)
}

/// Checks a new or changed directive against the current rows: the issuer and the posts of
/// their capacity exist and were held on the directive's date, the meeting it names exists
/// (locked, so its date cannot change under the check) and does not come after it, and the
/// addressed organizations exist.
async fn check_directive_in_transaction(
    database: &Database,
    transaction: &impl ConnectionTrait,
    directive: &Directive,
) -> Result<(), StorageError> {
    if let Some(meeting_id) = directive.meeting {
        let meeting = load_meeting(database, transaction, meeting_id, true).await?;
        directive.check_meeting(&meeting)?;
    }
    check_participants(database, transaction, &[&directive.issuer], |holdings| {
        directive.check_issuer(holdings)
    })
    .await?;
    ensure_organizations(
        transaction,
        directive.addressees.iter().filter_map(|a| a.organization()),
    )
    .await
}

impl Database {
    /// Issues a directive: the issuer must have held every post named as their capacity on
    /// the directive's date, and a directive given at a meeting cannot be dated before it.
    pub async fn issue_directive(
        &self,
        actor: &Actor,
        directive: &Directive,
    ) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        self.issue_directive_in(&transaction, actor, directive)
            .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// [`Self::issue_directive`] inside a write transaction the caller commits.
    pub(crate) async fn issue_directive_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        directive: &Directive,
    ) -> Result<(), StorageError> {
        check_directive_in_transaction(self, transaction, directive).await?;
        directive::Entity::insert(directive_row(directive)?)
            .exec_without_returning(transaction)
            .await?;
        audit::record(
            transaction,
            actor,
            "issue_directive",
            KIND,
            directive.id().as_uuid(),
            directive,
        )
        .await
    }

    /// Replaces a directive's details, under the same rules as [`Self::issue_directive`].
    pub async fn update_directive(
        &self,
        actor: &Actor,
        directive: &Directive,
    ) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        self.update_directive_in(&transaction, actor, directive)
            .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// [`Self::update_directive`] inside a write transaction the caller commits.
    pub(crate) async fn update_directive_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        directive: &Directive,
    ) -> Result<(), StorageError> {
        let id = directive.id().as_uuid();
        let existing = self
            .for_update(directive::Entity::find_by_id(id))
            .one(transaction)
            .await?
            .ok_or_else(|| StorageError::NotFound {
                kind: KIND,
                id: id.to_string(),
            })?;
        check_directive_in_transaction(self, transaction, directive).await?;
        let mut row = directive_row(directive)?;
        row.created_at = Set(existing.created_at);
        directive::Entity::update(row).exec(transaction).await?;
        audit::record(transaction, actor, "update", KIND, id, directive).await
    }

    /// One directive.
    pub async fn directive(&self, id: DirectiveId) -> Result<Directive, StorageError> {
        self.directives_by_ids(&[id])
            .await?
            .pop()
            .ok_or_else(|| StorageError::NotFound {
                kind: KIND,
                id: id.to_string(),
            })
    }

    /// The directives with these ids (those that exist), in one statement.
    pub async fn directives_by_ids(
        &self,
        ids: &[DirectiveId],
    ) -> Result<Vec<Directive>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        directive::Entity::find()
            .filter(uuid_in(
                self.reader(),
                directive::Column::Id,
                ids.iter().map(DirectiveId::as_uuid),
            ))
            .all(self.reader())
            .await?
            .into_iter()
            .map(directive_from_row)
            .collect()
    }

    /// [`Self::directives_by_ids`], each with its issuer, read bare (as
    /// [`Self::people_by_ids_bare`] reads people) in the same statement: for readers that go
    /// on to the issuer, one statement instead of two.
    pub async fn directives_with_issuers(
        &self,
        ids: &[DirectiveId],
    ) -> Result<Vec<(Directive, Option<Person>)>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = directive::Entity::find()
            .filter(uuid_in(
                self.reader(),
                directive::Column::Id,
                ids.iter().map(DirectiveId::as_uuid),
            ))
            .into_query();
        join_referenced::<person::Entity>(
            &mut query,
            self.reader().get_database_backend(),
            "issuer",
            person::Column::Id,
            Expr::col((directive::Entity, directive::Column::IssuerId)),
            "ip_",
        );
        let mut found = Vec::new();
        for row in self.reader().query_all(&query).await? {
            let issuer = joined_person(&row, "ip_")?;
            let directive = directive_from_row(directive::Model::from_query_result(&row, "")?)?;
            found.push((directive, issuer));
        }
        Ok(found)
    }

    /// Directives in date order (first day, then id). A directive is in the window
    /// `from..=to` when any day its date covers is.
    pub async fn directives(
        &self,
        filter: &DirectiveFilter,
        page: &PageRequest,
    ) -> Result<Page<Directive>, StorageError> {
        let mut select = directive::Entity::find();
        if let Some(issuer) = filter.issuer {
            select = select.filter(directive::Column::IssuerId.eq(issuer.as_uuid()));
        }
        if let Some(meeting) = filter.meeting {
            select = select.filter(directive::Column::MeetingId.eq(meeting.as_uuid()));
        }
        if let Some(from) = filter.from {
            select = select.filter(directive::Column::IssuedTo.gte(from));
        }
        if let Some(to) = filter.to {
            select = select.filter(directive::Column::IssuedFrom.lte(to));
        }
        let keyset = Keyset::<directive::Entity>::new(vec![
            (directive::Column::IssuedFrom, KeyKind::Date),
            (directive::Column::Id, KeyKind::Uuid),
        ]);
        keyset
            .fetch(select, page, self.reader())
            .await?
            .try_map(directive_from_row)
    }

    /// The directives given at each of these meetings, in date order, in one statement
    /// whatever their number; every meeting asked about has an entry, empty when none.
    pub async fn directives_of_meetings(
        &self,
        meetings: &[MeetingId],
    ) -> Result<HashMap<MeetingId, Vec<Directive>>, StorageError> {
        directives_of_meetings_in(self.reader(), meetings).await
    }
}

/// Checks that a directive exists, for records that refer to it.
pub(crate) async fn ensure_directive(
    db: &impl ConnectionTrait,
    id: DirectiveId,
) -> Result<(), StorageError> {
    let found = directive::Entity::find()
        .select_only()
        .column(directive::Column::Id)
        .filter(directive::Column::Id.eq(id.as_uuid()))
        .into_tuple::<Uuid>()
        .one(db)
        .await?;
    match found {
        Some(_) => Ok(()),
        None => Err(StorageError::NotFound {
            kind: KIND,
            id: id.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addressees_read_back_as_the_domain_writes_them() {
        let id = Uuid::now_v7();
        let addressees = vec![
            Assignee::Organization {
                id: OrganizationId::from_uuid(Uuid::now_v7()),
            },
            Assignee::Group {
                name: Text::parse("các sở, ban, ngành").unwrap(),
            },
        ];
        let text = to_json_text(&addressees).unwrap();
        assert_eq!(addressees_from_json(id, &text).unwrap(), addressees);
        assert_eq!(addressees_from_json(id, "[]").unwrap(), Vec::new());
        for corrupt in [
            r#"[{"kind":"organization"}]"#,
            r#"[{"kind":"group","id":"0190c0de-0000-7000-8000-000000000001"}]"#,
            r#"[{"kind":"person","id":"0190c0de-0000-7000-8000-000000000001"}]"#,
            r#"[{"kind":"group","name":" "}]"#,
            r#"{"kind":"group","name":"x"}"#,
        ] {
            assert!(
                matches!(addressees_from_json(id, corrupt), Err(StorageError::Internal(message)) if message.contains("is not valid")),
                "{corrupt}"
            );
        }
    }
}
