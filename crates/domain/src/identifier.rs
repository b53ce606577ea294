//! Identifiers in other systems and other names, shared by people and organizations (Popolo's
//! `identifiers` and `other_names`).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::date::Period;
use crate::entity::first_repeat;
use crate::text::{Text, TextError};

/// Why an identifier was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentifierError {
    /// The scheme has characters other than lowercase ASCII letters, digits, '-', '_', '.', ':'.
    #[error(
        "identifier scheme {scheme:?} may only hold lowercase letters a-z, digits, '-', '_', '.' and ':' (1 to 64 characters)"
    )]
    MalformedScheme {
        /// The scheme given.
        scheme: String,
    },
    /// The same identifier is listed twice.
    #[error("identifier {scheme}:{value} is listed twice")]
    Duplicate {
        /// Its scheme.
        scheme: String,
        /// Its value.
        value: String,
    },
    /// The value is not valid text.
    #[error("identifier value: {0}")]
    Value(#[from] TextError),
}

/// An identifier of a record in another system: `{scheme: "wikidata", value: "Q123"}`, as
/// Popolo's `identifiers`. The pair is unique per scheme across Gazette.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "RawIdentifier", into = "RawIdentifier")]
pub struct Identifier {
    scheme: String,
    value: Text,
}

#[derive(Serialize, Deserialize)]
struct RawIdentifier {
    scheme: String,
    value: String,
}

impl Identifier {
    /// Checks and builds an identifier.
    pub fn new(scheme: &str, value: &str) -> Result<Self, IdentifierError> {
        let scheme = scheme.trim();
        let well_formed = !scheme.is_empty()
            && scheme.len() <= 64
            && scheme
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.:".contains(&b));
        if !well_formed {
            return Err(IdentifierError::MalformedScheme {
                scheme: scheme.to_owned(),
            });
        }
        Ok(Self {
            scheme: scheme.to_owned(),
            value: Text::parse(value)?,
        })
    }

    /// The scheme ("wikidata", "everypolitician", "gazette", ...).
    #[must_use]
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The value within the scheme.
    #[must_use]
    pub fn value(&self) -> &str {
        self.value.as_str()
    }
}

impl TryFrom<RawIdentifier> for Identifier {
    type Error = IdentifierError;

    fn try_from(raw: RawIdentifier) -> Result<Self, Self::Error> {
        Self::new(&raw.scheme, &raw.value)
    }
}

impl From<Identifier> for RawIdentifier {
    fn from(identifier: Identifier) -> Self {
        Self {
            scheme: identifier.scheme,
            value: identifier.value.into(),
        }
    }
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.scheme, self.value)
    }
}

/// Checks that no identifier is listed twice.
pub(crate) fn check_identifiers(identifiers: &[Identifier]) -> Result<(), IdentifierError> {
    match first_repeat(identifiers) {
        Some(position) => Err(IdentifierError::Duplicate {
            scheme: identifiers[position].scheme.clone(),
            value: identifiers[position].value.to_string(),
        }),
        None => Ok(()),
    }
}

/// Another name a person or organization was known by, with when (Popolo's `other_names`): a
/// birth name, a former name of a renamed organization, a common abbreviation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OtherName {
    /// The name.
    pub name: Text,
    /// What kind of name it is ("former name", "abbreviation", ...).
    pub note: Option<Text>,
    /// When it was in use.
    pub period: Period,
}
