//! The audit log: every write records who did what to which record, in the write's own
//! transaction, so a write and its audit entry land together or not at all.
//!
//! # The hash chain
//!
//! Every entry carries the hash of the entry before it (`prev_hash`) and its own `hash`, so an
//! entry edited, removed or inserted behind Gazette's back breaks the chain, and
//! [`Database::verify_audit_chain`] (`gazette audit verify`) reports the first broken link.
//!
//! An entry's hash is SHA-256, written as 64 lowercase hex digits, over this encoding (see
//! [`ChainLink::hash`]): the tag `gazette-audit-chain-v1`, then each of these fields in this
//! order, every one (the tag too) preceded by its length in bytes as a big-endian `u64`:
//!
//! 1. `at`: the time, RFC 3339 in UTC with exactly six fractional digits
//!    (`2026-11-27T08:30:00.123456Z`); times are stored truncated to microseconds, the
//!    precision PostgreSQL keeps;
//! 2. `actor`, 3. `operation`, 4. `entity_kind`: as stored, UTF-8;
//! 5. `entity_id`: the UUID, hyphenated lowercase;
//! 6. `summary`: the stored JSON text, byte for byte;
//! 7. `prev_hash`: the previous entry's hash, or the empty string for the chain's first entry.
//!
//! `seq` is not hashed: the database assigns it when the row is inserted, after the hash is
//! computed. The order of the entries is protected by the links instead, and gaps in `seq`
//! (a PostgreSQL transaction that rolled back) are harmless.
//!
//! The chain stays linear with concurrent writers: `record` reads the last entry's hash and
//! appends after it while no other append can run. On PostgreSQL it first takes a
//! transaction-scoped advisory lock (`pg_advisory_xact_lock`), held until the write commits or
//! rolls back, which serializes appends across every gateway on the database (and makes `seq`
//! order equal commit order); on SQLite the single writer connection with `BEGIN IMMEDIATE`
//! already serializes every write. A batch ([`crate::batch`]) holds the lock from its first
//! entry to its end, so a batch racing another writer is a little more likely to be refused as
//! a deadlock (nothing written; retry).
//!
//! Entries written before the chain existed (migration `m20261127_000003_audit_chain`) have
//! neither hash: they are the log's unchained prefix, counted apart by the verification, and
//! the first entry written afterwards starts the chain with an empty `prev_hash`. A missing
//! hash after the chain has started is a broken link.
//!
//! A hash chain has no secret: someone who can write to the database and recompute every hash
//! from the edited entry onward leaves a chain that verifies. Record the chain's head (its last
//! `seq` and hash, which the verification reports) somewhere the database's writers cannot
//! reach, and check it later with `gazette audit verify --anchor SEQ:HASH`.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::Database;
use crate::convert::{from_json_text, now, to_json_text};
use crate::entity::audit_log;
use crate::error::StorageError;
use crate::keyset::{KeyKind, Keyset};
use crate::page::{Page, PageRequest};

/// The PostgreSQL advisory lock key that serializes audit appends ("gzaudit!" in ASCII); it
/// differs from the migrations' key.
const AUDIT_LOCK_KEY: i64 = 0x677a_6175_6469_7421;

/// How many entries the verification reads at a time.
const VERIFY_PAGE: u64 = 1000;

/// The tag that starts every hashed encoding; a new encoding gets a new tag.
const CHAIN_TAG: &str = "gazette-audit-chain-v1";

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

/// What an audit entry's hash covers (see the [module documentation](self) for the encoding).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainLink<'a> {
    /// When (hashed to the microsecond).
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: &'a str,
    /// What.
    pub operation: &'a str,
    /// The kind of record.
    pub entity_kind: &'a str,
    /// The record's id.
    pub entity_id: Uuid,
    /// The stored JSON text of the summary.
    pub summary: &'a str,
    /// The previous entry's hash; `None` for the chain's first entry.
    pub prev_hash: Option<&'a str>,
}

impl ChainLink<'_> {
    /// The entry's hash: SHA-256 over the canonical encoding, 64 lowercase hex digits.
    #[must_use]
    pub fn hash(&self) -> String {
        let at = self.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
        let entity_id = self.entity_id.hyphenated().to_string();
        let mut hasher = Sha256::new();
        for field in [
            CHAIN_TAG,
            &at,
            self.actor,
            self.operation,
            self.entity_kind,
            &entity_id,
            self.summary,
            self.prev_hash.unwrap_or(""),
        ] {
            let length = u64::try_from(field.len()).unwrap_or(u64::MAX);
            hasher.update(length.to_be_bytes());
            hasher.update(field.as_bytes());
        }
        hasher
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

/// Records a write in the audit log, inside the write's transaction, chained to the entry
/// before it.
pub(crate) async fn record(
    transaction: &DatabaseTransaction,
    actor: &Actor,
    operation: &str,
    entity_kind: &str,
    entity_id: Uuid,
    summary: &impl serde::Serialize,
) -> Result<(), StorageError> {
    let summary = to_json_text(summary)?;
    if transaction.get_database_backend() == DbBackend::Postgres {
        // Held until the transaction ends: no other append can read the same last entry.
        transaction
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_advisory_xact_lock($1)",
                [AUDIT_LOCK_KEY.into()],
            ))
            .await?;
    }
    let prev_hash: Option<String> = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::Hash)
        .order_by_desc(audit_log::Column::Seq)
        .into_tuple::<Option<String>>()
        .one(transaction)
        .await?
        .flatten();
    // PostgreSQL keeps microseconds; the hash covers the time as it will be read back.
    let at = now().trunc_subsecs(6);
    let hash = ChainLink {
        at,
        actor: actor.as_str(),
        operation,
        entity_kind,
        entity_id,
        summary: &summary,
        prev_hash: prev_hash.as_deref(),
    }
    .hash();
    audit_log::Entity::insert(audit_log::ActiveModel {
        seq: NotSet,
        at: Set(at),
        actor: Set(actor.as_str().to_owned()),
        operation: Set(operation.to_owned()),
        entity_kind: Set(entity_kind.to_owned()),
        entity_id: Set(entity_id),
        summary: Set(summary),
        prev_hash: Set(prev_hash),
        hash: Set(Some(hash)),
    })
    .exec_without_returning(transaction)
    .await?;
    Ok(())
}

/// What [`Database::verify_audit_chain`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerification {
    /// How many entries were read (up to the first broken link, or all of them).
    pub entries: u64,
    /// How many of those were written before the chain existed, and so are not protected.
    pub unchained: u64,
    /// The last entry checked and found linked: its `seq` and hash (the chain's head when
    /// nothing is broken). Record it elsewhere to check the log later with an anchor.
    pub head: Option<(i64, String)>,
    /// The first broken link: the entry's `seq` and what is wrong with it.
    pub first_broken: Option<(i64, String)>,
}

impl AuditVerification {
    /// Whether the whole chain holds.
    #[must_use]
    pub fn is_intact(&self) -> bool {
        self.first_broken.is_none()
    }
}

/// Checks one entry against the chain so far; `Err` names what is broken.
fn check_link(row: &audit_log::Model, previous: Option<&(i64, String)>) -> Result<(), String> {
    let Some(hash) = &row.hash else {
        return Err(match previous {
            Some((seq, _)) => format!(
                "the entry has no hash, but the chain began before it (entry {seq} is chained): \
                 its hash was removed"
            ),
            None => "the entry names a previous hash but has no hash of its own".to_owned(),
        });
    };
    match (previous, row.prev_hash.as_deref()) {
        (Some((_, expected)), Some(found)) if expected == found => {}
        (None, None) => {}
        (Some((seq, _)), Some(_)) => {
            return Err(format!(
                "its previous hash does not match the hash of entry {seq}, the entry before \
                 it: an entry was changed, removed or inserted between them"
            ));
        }
        (Some((seq, _)), None) => {
            return Err(format!(
                "it has no previous hash although entry {seq} comes before it: the chain was \
                 cut here"
            ));
        }
        (None, Some(_)) => {
            return Err(
                "it names a previous hash, but no chained entry comes before it: the chain's \
                 first entries were removed"
                    .to_owned(),
            );
        }
    }
    let recomputed = ChainLink {
        at: row.at,
        actor: &row.actor,
        operation: &row.operation,
        entity_kind: &row.entity_kind,
        entity_id: row.entity_id,
        summary: &row.summary,
        prev_hash: row.prev_hash.as_deref(),
    }
    .hash();
    if &recomputed != hash {
        return Err(
            "its content does not match its hash: the entry was changed after it was written"
                .to_owned(),
        );
    }
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

    /// Walks the audit log in `seq` order, a page at a time (memory stays bounded however long
    /// the log is), recomputing every entry's hash and checking that it names the hash of the
    /// entry before it; stops at the first broken link.
    pub async fn verify_audit_chain(&self) -> Result<AuditVerification, StorageError> {
        let mut verification = AuditVerification {
            entries: 0,
            unchained: 0,
            head: None,
            first_broken: None,
        };
        let mut after: Option<i64> = None;
        loop {
            let mut select = audit_log::Entity::find();
            if let Some(seq) = after {
                select = select.filter(audit_log::Column::Seq.gt(seq));
            }
            let rows = select
                .order_by_asc(audit_log::Column::Seq)
                .limit(VERIFY_PAGE)
                .all(self.reader())
                .await?;
            let Some(last) = rows.last() else {
                break;
            };
            after = Some(last.seq);
            for row in &rows {
                verification.entries += 1;
                if row.hash.is_none() && row.prev_hash.is_none() && verification.head.is_none() {
                    // Written before the chain existed.
                    verification.unchained += 1;
                    continue;
                }
                if let Err(reason) = check_link(row, verification.head.as_ref()) {
                    verification.first_broken = Some((row.seq, reason));
                    return Ok(verification);
                }
                verification.head = row.hash.clone().map(|hash| (row.seq, hash));
            }
        }
        Ok(verification)
    }

    /// The stored hash of the audit entry `seq`: `Ok(None)` when there is no such entry or it
    /// predates the chain. For checking an anchor recorded earlier.
    pub async fn audit_entry_hash(&self, seq: i64) -> Result<Option<String>, StorageError> {
        Ok(audit_log::Entity::find_by_id(seq)
            .one(self.reader())
            .await?
            .and_then(|row| row.hash))
    }
}
