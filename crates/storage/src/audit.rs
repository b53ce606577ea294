//! The audit log: every write records who did what to which record, in the write's own
//! transaction, so a write and its audit entry land together or not at all.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value as Json;
use uuid::Uuid;

use crate::Database;
use crate::convert::{from_json_text, now, to_json_text};
use crate::entity::audit_log;
use crate::error::StorageError;
use crate::keyset::{KeyKind, Keyset};
use crate::page::{Page, PageRequest};

/// Who made a write: a token's name and role, or a system process ("system:demo").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Actor(String);

impl Actor {
    /// An actor named `name` (trimmed; 1 to 200 characters).
    pub fn new(name: &str) -> Result<Self, StorageError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
            return Err(StorageError::InvalidInput(
                "an actor is named by 1 to 200 printable characters".to_owned(),
            ));
        }
        Ok(Self(name.to_owned()))
    }

    /// The actor's name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Its place in the log.
    pub seq: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: String,
    /// What ("create", "update", "appoint", "end_holding", "transition", "revoke", ...).
    pub operation: String,
    /// The kind of record ("person", "holding", ...).
    pub entity_kind: String,
    /// The record's id.
    pub entity_id: Uuid,
    /// What changed: the record after the write, or the change itself.
    pub summary: Json,
}

/// Which audit entries to read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    /// Entries about this record (kind and id).
    pub entity: Option<(String, Uuid)>,
    /// Entries of this kind of record.
    pub entity_kind: Option<String>,
    /// Entries by this actor.
    pub actor: Option<String>,
    /// Entries at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Entries before this time.
    pub to: Option<DateTime<Utc>>,
}

/// Records a write in the audit log, inside the write's transaction.
pub(crate) async fn record(
    transaction: &impl ConnectionTrait,
    actor: &Actor,
    operation: &str,
    entity_kind: &str,
    entity_id: Uuid,
    summary: &impl serde::Serialize,
) -> Result<(), StorageError> {
    audit_log::Entity::insert(audit_log::ActiveModel {
        seq: NotSet,
        at: Set(now()),
        actor: Set(actor.as_str().to_owned()),
        operation: Set(operation.to_owned()),
        entity_kind: Set(entity_kind.to_owned()),
        entity_id: Set(entity_id),
        summary: Set(to_json_text(summary)?),
    })
    .exec_without_returning(transaction)
    .await?;
    Ok(())
}

impl Database {
    /// Reads the audit log, oldest first.
    pub async fn audit_log(
        &self,
        filter: &AuditFilter,
        page: &PageRequest,
    ) -> Result<Page<AuditEntry>, StorageError> {
        let mut select = audit_log::Entity::find();
        if let Some((kind, id)) = &filter.entity {
            select = select
                .filter(audit_log::Column::EntityKind.eq(kind.clone()))
                .filter(audit_log::Column::EntityId.eq(*id));
        }
        if let Some(kind) = &filter.entity_kind {
            select = select.filter(audit_log::Column::EntityKind.eq(kind.clone()));
        }
        if let Some(actor) = &filter.actor {
            select = select.filter(audit_log::Column::Actor.eq(actor.clone()));
        }
        if let Some(from) = filter.from {
            select = select.filter(audit_log::Column::At.gte(from));
        }
        if let Some(to) = filter.to {
            select = select.filter(audit_log::Column::At.lt(to));
        }
        let keyset =
            Keyset::<audit_log::Entity>::new(vec![(audit_log::Column::Seq, KeyKind::Integer)]);
        let page_of_rows = keyset.fetch(select, page, self.reader()).await?;
        let mut edges = Vec::with_capacity(page_of_rows.edges.len());
        for edge in page_of_rows.edges {
            let row = edge.node;
            edges.push(crate::page::Edge {
                cursor: edge.cursor,
                node: AuditEntry {
                    summary: from_json_text("audit entry", row.seq, &row.summary)?,
                    seq: row.seq,
                    at: row.at,
                    actor: row.actor,
                    operation: row.operation,
                    entity_kind: row.entity_kind,
                    entity_id: row.entity_id,
                },
            });
        }
        Ok(Page {
            edges,
            has_next_page: page_of_rows.has_next_page,
            has_previous_page: page_of_rows.has_previous_page,
        })
    }
}
