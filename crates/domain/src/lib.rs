//! Gazette's domain model.
//!
//! Who holds which public office and when, what leaders direct at meetings and whether those
//! directives get done, which award and commendation decisions were made for whom, and the
//! source of every fact. Every value here is valid by construction and every rule is a pure
//! function: this crate does no I/O (architecture invariant, checked by the workspace's
//! `tests/tests/architecture.rs`).
//!
//! * Values: [`ids`], [`text`] (Vietnamese normalization and folding), [`name`], [`date`]
//!   (partial dates and periods, and what "active on a date" means).
//! * Aggregates and their rules: [`person`], [`organization`], [`post`], [`holding`] (the seat
//!   rule; "who held X on D"), [`meeting`], [`directive`], [`task`] (lifecycle, timeliness,
//!   statistics), [`award`] (authority, one achievement one award), [`source`].
//! * [`error::DomainError`] gathers every area's error.

pub mod award;
pub mod date;
pub mod directive;
mod entity;
pub mod error;
pub mod holding;
pub mod identifier;
pub mod ids;
pub mod meeting;
pub mod name;
pub mod organization;
pub mod person;
pub mod post;
pub mod source;
pub mod task;
pub mod text;

pub use error::DomainError;
