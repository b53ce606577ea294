//! The audit chain: every audit entry carries the hash of the entry before it (`prev_hash`) and
//! its own hash (`hash`), so that an entry edited or removed behind Gazette's back breaks the
//! chain and `gazette audit verify` finds it.
//!
//! The hashes are computed by the storage layer when it writes an entry (a migration knows
//! nothing of how). Entries written before this migration keep both columns empty: they are the
//! unchained prefix of the log, and the first entry written afterwards starts the chain with an
//! empty `prev_hash`. Both columns are therefore nullable.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Adds `prev_hash` and `hash` to `audit_log`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261127_000003_audit_chain"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite accepts one change per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table("audit_log")
                    .add_column(text_null("prev_hash"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("audit_log")
                    .add_column(text_null("hash"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("audit_log")
                    .drop_column("hash")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("audit_log")
                    .drop_column("prev_hash")
                    .to_owned(),
            )
            .await
    }
}
