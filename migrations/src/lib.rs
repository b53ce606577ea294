//! Gazette's database migrations.
//!
//! Migrations are append-only: a migration that has landed is never edited; the schema changes
//! through a new migration (see `migrations/README.md`). This crate knows nothing of the domain
//! or storage crates (architecture invariant).

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_initial;
mod m20261127_000002_api_tokens;
mod m20261127_000003_audit_chain;
mod m20261206_000004_name_token_order;
mod m20261207_000005_name_combinations;

/// The ordered list of Gazette's migrations.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_initial::Migration),
            Box::new(m20261127_000002_api_tokens::Migration),
            Box::new(m20261127_000003_audit_chain::Migration),
            Box::new(m20261206_000004_name_token_order::Migration),
            Box::new(m20261207_000005_name_combinations::Migration),
        ]
    }
}
