//! Errors as clients see them: a stable `extensions.code`, a message that names the rule and
//! the values, and the request id. Internal causes (SQL, file paths, panics) are logged with
//! the request id and never sent.

use async_graphql::{Error, ErrorExtensions};
use gazette_storage::StorageError;

/// The stable error codes of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// The input is malformed or breaks a domain rule.
    BadUserInput,
    /// The record does not exist.
    NotFound,
    /// The write conflicts with stored records.
    Conflict,
    /// No valid token was given where one is needed.
    Unauthenticated,
    /// The token's role may not do this.
    Forbidden,
    /// The database is unreachable; retry later.
    Unavailable,
    /// A failure the client cannot fix; see the server log under the request id.
    Internal,
}

impl Code {
    /// The code as it appears in `extensions.code`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::BadUserInput => "BAD_USER_INPUT",
            Self::NotFound => "NOT_FOUND",
            Self::Conflict => "CONFLICT",
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::Unavailable => "UNAVAILABLE",
            Self::Internal => "INTERNAL",
        }
    }
}

/// An API error with a code and a message.
#[must_use]
pub fn api_error(code: Code, message: impl Into<String>) -> Error {
    Error::new(message.into()).extend_with(|_, extensions| extensions.set("code", code.as_str()))
}

/// Maps a storage error; internal and unavailable causes are logged, not sent.
#[must_use]
pub fn from_storage(error: StorageError) -> Error {
    match error {
        StorageError::NotFound { .. } => api_error(Code::NotFound, error.to_string()),
        StorageError::Conflict { .. } => api_error(Code::Conflict, error.to_string()),
        StorageError::Invariant(_) | StorageError::InvalidInput(_) => {
            api_error(Code::BadUserInput, error.to_string())
        }
        StorageError::Unavailable(cause) => {
            tracing::warn!(%cause, "database unavailable");
            api_error(
                Code::Unavailable,
                "the database is unavailable; try again shortly",
            )
        }
        StorageError::Internal(cause) => {
            tracing::error!(%cause, "internal storage error");
            api_error(Code::Internal, "internal error")
        }
    }
}

/// A `Result` whose error is an API error.
pub type ApiResult<T> = Result<T, Error>;

/// Lets `?` turn storage errors into API errors.
pub trait StorageResultExt<T> {
    /// Maps the error with [`from_storage`].
    fn api(self) -> ApiResult<T>;
}

impl<T> StorageResultExt<T> for Result<T, StorageError> {
    fn api(self) -> ApiResult<T> {
        self.map_err(from_storage)
    }
}

/// A bad-input error for a value that failed a domain parse, naming the field.
#[must_use]
pub fn bad_input(field: &str, error: impl std::fmt::Display) -> Error {
    api_error(Code::BadUserInput, format!("{field}: {error}"))
}
