//! The storage error: what a caller may know about a failed read or write. No SQL text, no
//! driver message with table internals, crosses this boundary except through `Internal`, whose
//! text is for the server log only.

use gazette_domain::DomainError;
use sea_orm::{DbErr, RuntimeErr, SqlErr};

/// Why a storage call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// The record asked for does not exist.
    #[error("{kind} {id} does not exist")]
    NotFound {
        /// The kind of record ("person", "post", ...).
        kind: &'static str,
        /// Its id.
        id: String,
    },
    /// The write conflicts with what is stored: a uniqueness rule, a reference that is gone,
    /// a record still referred to.
    #[error("{rule}: {detail}")]
    Conflict {
        /// The rule or constraint, in words ("decision number is unique per issuing authority").
        rule: &'static str,
        /// The values involved.
        detail: String,
    },
    /// A domain rule refused the write (the seat rule, one achievement one award, ...).
    #[error(transparent)]
    Invariant(#[from] DomainError),
    /// The request itself is malformed (a page size out of range, a bad cursor).
    #[error("{0}")]
    InvalidInput(String),
    /// The database cannot be reached or is overloaded; the call may succeed later.
    #[error("the database is unavailable")]
    Unavailable(String),
    /// Something that should not happen; the text is for the server log, not for clients.
    #[error("internal storage error")]
    Internal(String),
}

impl StorageError {
    /// An internal error with a message for the log.
    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Self::Internal(message.into())
    }

    /// A stored row that no longer parses as a domain value: data changed behind Gazette's back
    /// or a bug. Never shown to clients in detail.
    pub(crate) fn corrupt(
        kind: &str,
        id: impl std::fmt::Display,
        problem: impl std::fmt::Display,
    ) -> Self {
        Self::Internal(format!("stored {kind} {id} is not valid: {problem}"))
    }
}

macro_rules! domain_sources {
    ($($error:ty),* $(,)?) => {
        $(impl From<$error> for StorageError {
            fn from(error: $error) -> Self {
                Self::Invariant(DomainError::from(error))
            }
        })*
    };
}

domain_sources!(
    gazette_domain::ids::IdError,
    gazette_domain::text::TextError,
    gazette_domain::name::NameError,
    gazette_domain::date::DateError,
    gazette_domain::date::PeriodError,
    gazette_domain::person::PersonError,
    gazette_domain::identifier::IdentifierError,
    gazette_domain::organization::OrganizationError,
    gazette_domain::post::PostError,
    gazette_domain::post::ZeroSeats,
    gazette_domain::holding::HoldingError,
    gazette_domain::meeting::MeetingError,
    gazette_domain::directive::DirectiveError,
    gazette_domain::task::TaskError,
    gazette_domain::award::AwardError,
    gazette_domain::award::form::AwardFormError,
    gazette_domain::award::number::DocumentNumberError,
    gazette_domain::source::SourceError,
    gazette_domain::source::CitationError,
);

/// Maps a database error: constraint violations become conflicts naming the rule, connection
/// trouble becomes `Unavailable`, the rest `Internal`.
pub(crate) fn from_db(error: DbErr) -> StorageError {
    match error.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(message)) => StorageError::Conflict {
            rule: unique_rule(&message),
            detail: "a record with the same identity already exists".to_owned(),
        },
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => StorageError::Conflict {
            rule: "records must refer to records that exist, and a record still referred to cannot be removed",
            detail: "a referenced record is missing or still in use".to_owned(),
        },
        _ if is_serialization_failure(&error) => StorageError::Conflict {
            rule: "concurrent writes to the same records collided",
            detail: "nothing was written; retry the request".to_owned(),
        },
        _ if query_canceled(&error) => StorageError::Unavailable(format!("{TIMED_OUT}: {error}")),
        _ => match &error {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => {
                StorageError::Unavailable(error.to_string())
            }
            _ if is_unavailable(&error) || lost_connection(&error) => {
                StorageError::Unavailable(error.to_string())
            }
            _ => StorageError::Internal(error.to_string()),
        },
    }
}

/// How the message of an `Unavailable` error for a statement cancelled at its timeout begins.
pub(crate) const TIMED_OUT: &str = "the statement ran past its timeout";

/// The statement was stopped at its timeout: PostgreSQL cancelled it (57014, query_canceled),
/// or SQLite interrupted it (SQLITE_INTERRUPT, 9: the reading pool's progress handler does
/// that at a statement's deadline, and nothing else interrupts Gazette's statements).
fn query_canceled(error: &DbErr) -> bool {
    use sea_orm::sqlx::Error;
    let (DbErr::Exec(RuntimeErr::SqlxError(cause)) | DbErr::Query(RuntimeErr::SqlxError(cause))) =
        error
    else {
        return false;
    };
    let Error::Database(database) = &**cause else {
        return false;
    };
    let sqlite = database
        .try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>()
        .is_some();
    database.code().as_deref() == Some(if sqlite { "9" } else { "57014" })
}

/// PostgreSQL's deadlock (40P01) and serialization failure (40001): the transaction was rolled
/// back and can simply be retried.
fn is_serialization_failure(error: &DbErr) -> bool {
    let text = error.to_string();
    text.contains("40P01") || text.contains("40001") || text.contains("deadlock detected")
}

fn is_unavailable(error: &DbErr) -> bool {
    let text = error.to_string().to_lowercase();
    [
        "connection refused",
        "database is locked",
        "pool timed out",
        "broken pipe",
        "connection reset",
        "terminating connection",
    ]
    .iter()
    .any(|needle| text.contains(needle))
}

/// The connection failed under the statement: the socket closed or broke (PostgreSQL stopped or
/// crashed, a network fault), or the server refused it (SQLSTATE class 08, connection
/// exception; 57P01-57P03, the server shutting down, crashed or starting; 53300, too many
/// connections). The database may answer again later. A write that fails so at its commit may
/// or may not have been committed.
fn lost_connection(error: &DbErr) -> bool {
    use sea_orm::sqlx::Error;
    let (DbErr::Conn(RuntimeErr::SqlxError(cause))
    | DbErr::Exec(RuntimeErr::SqlxError(cause))
    | DbErr::Query(RuntimeErr::SqlxError(cause))) = error
    else {
        return false;
    };
    match &**cause {
        Error::Io(_)
        | Error::Tls(_)
        | Error::PoolTimedOut
        | Error::PoolClosed
        | Error::WorkerCrashed => true,
        Error::Database(database) => database.code().is_some_and(|code| {
            code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03" | "53300")
        }),
        _ => false,
    }
}

/// Names the rule behind a unique index from the driver's message (which names the index on
/// PostgreSQL and the columns on SQLite).
fn unique_rule(message: &str) -> &'static str {
    if message.contains("number_key") {
        "a decision number is unique per issuing authority"
    } else if message.contains("scheme") {
        "an identifier is unique per scheme"
    } else if message.contains("award_recipient") {
        "no recipient is named twice in one decision"
    } else if message.contains("task") && message.contains("position") {
        "a directive has one task per position"
    } else {
        "a record with this identity already exists"
    }
}

impl From<DbErr> for StorageError {
    fn from(error: DbErr) -> Self {
        from_db(error)
    }
}
