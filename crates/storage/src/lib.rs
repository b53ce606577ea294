//! Gazette's persistence layer.
//!
//! This crate maps the pure domain model of `gazette-domain` onto SQLite (the embedded default)
//! and PostgreSQL through sea-orm. Its entities never cross the crate boundary: everything it
//! returns is a domain type, and every error is a [`StorageError`].
//!
//! Every write runs in one transaction that checks the domain's rules against the current rows
//! (see [`db`] for how each engine keeps two writers from both passing a check) and records an
//! [`audit`] entry. Many writes can share one transaction, all or nothing, through
//! [`Database::apply`] (see [`batch`]), for importers and loaders. Reads are shaped for the
//! API: batched by id for DataLoaders, and paged with keyset cursors ([`page`]).

pub mod audit;
pub mod awards;
pub mod batch;
pub mod bulk;
mod convert;
pub mod db;
pub mod deferred_indexes;
pub mod directives;
mod entity;
pub mod error;
mod estimates;
pub mod export;
pub mod holdings;
mod identifiers;
mod keyset;
pub mod meetings;
pub mod organizations;
pub mod page;
pub mod people;
mod read_pool;
pub mod search;
pub mod sources;
pub mod tasks;
pub mod tokens;

pub use audit::{Actor, AuditEntry, AuditFilter, AuditVerification, ChainLink};
pub use awards::{AwardDecisionFilter, AwardStatus, DecisionParts};
pub use batch::{BatchError, BatchSummary, Write, WriteKind};
pub use db::{Database, Engine, EventListener, StorageOptions};
pub use deferred_indexes::DeferredIndexes;
pub use directives::DirectiveFilter;
pub use error::StorageError;
pub use gazette_migrations::Migrator;
pub use meetings::MeetingFilter;
pub use organizations::OrganizationFilter;
pub use page::{Cursor, Edge, Page, PageRequest};
pub use people::PersonFilter;
pub use sources::SourceFilter;
pub use tasks::{RecordedState, TaskFilter, TaskParts, TasksWithDirectives};
