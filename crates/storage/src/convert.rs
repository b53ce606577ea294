//! Small conversions between domain values and column values.

use chrono::{DateTime, Utc};
use gazette_domain::date::PartialDate;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::StorageError;

/// A value as JSON text, for the JSON text columns.
pub(crate) fn to_json_text<T: Serialize + ?Sized>(value: &T) -> Result<String, StorageError> {
    serde_json::to_string(value)
        .map_err(|error| StorageError::internal(format!("cannot encode JSON: {error}")))
}

/// A value read back from a JSON text column; a stored value that no longer parses is a
/// corrupt row.
pub(crate) fn from_json_text<T: DeserializeOwned>(
    kind: &str,
    id: impl std::fmt::Display,
    text: &str,
) -> Result<T, StorageError> {
    serde_json::from_str(text).map_err(|error| StorageError::corrupt(kind, id, error))
}

/// A stored partial date read back.
pub(crate) fn partial_date(
    kind: &str,
    id: impl std::fmt::Display,
    text: Option<&str>,
) -> Result<Option<PartialDate>, StorageError> {
    text.map(|t| PartialDate::parse(t).map_err(|error| StorageError::corrupt(kind, &id, error)))
        .transpose()
}

/// The current time, as the audit log and row timestamps record it.
pub(crate) fn now() -> DateTime<Utc> {
    Utc::now()
}
