//! Gazette's persistence layer.
//!
//! This crate maps the pure domain model of `gazette-domain` onto SQLite (the embedded default)
//! and PostgreSQL through sea-orm. Its entities never cross the crate boundary: everything it
//! returns is a domain type.

pub use gazette_migrations::Migrator;
