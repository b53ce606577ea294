//! The storage suite: every test runs against SQLite (a fresh file) and, when
//! `GAZETTE_TEST_DATABASE_URL` names a PostgreSQL server, against a fresh database on it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

mod awards;
mod batch;
mod bulk;
mod concurrency;
mod directives;
mod harness;
mod holdings;
mod meetings;
mod organizations;
mod people;
mod sources;
mod tasks;
