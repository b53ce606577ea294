//! Typed identifiers, one per entity.
//!
//! Every id is a UUIDv7: sortable by creation time and unique across databases, so records made on
//! two installations can be merged without renumbering. A `PersonId` can never be passed where a
//! `PostId` is expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The text given where an id was expected is not a UUID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} id {value:?} is not a UUID")]
pub struct IdError {
    /// Which kind of id was being parsed ("person", "post", ...).
    pub kind: &'static str,
    /// The text that failed to parse.
    pub value: String,
}

macro_rules! typed_id {
    ($(#[$meta:meta])* $name:ident, $kind:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// The kind of entity this id names, as used in error messages and global ids.
            pub const KIND: &'static str = $kind;

            /// A new id (UUIDv7: time-ordered, random in its low bits).
            #[must_use]
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// Wraps an existing UUID, e.g. one read back from the database.
            #[must_use]
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The UUID inside.
            #[must_use]
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = IdError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim()).map(Self).map_err(|_| IdError {
                    kind: $kind,
                    value: s.to_owned(),
                })
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }
    };
}

typed_id!(
    /// Identifies a [`crate::person::Person`].
    PersonId,
    "person"
);
typed_id!(
    /// Identifies an [`crate::organization::Organization`].
    OrganizationId,
    "organization"
);
typed_id!(
    /// Identifies a [`crate::post::Post`].
    PostId,
    "post"
);
typed_id!(
    /// Identifies a [`crate::holding::Holding`].
    HoldingId,
    "holding"
);
typed_id!(
    /// Identifies a [`crate::meeting::Meeting`].
    MeetingId,
    "meeting"
);
typed_id!(
    /// Identifies a [`crate::directive::Directive`].
    DirectiveId,
    "directive"
);
typed_id!(
    /// Identifies a [`crate::task::Task`].
    TaskId,
    "task"
);
typed_id!(
    /// Identifies an [`crate::award::AwardDecision`].
    AwardDecisionId,
    "award decision"
);
typed_id!(
    /// Identifies a [`crate::source::Source`].
    SourceId,
    "source"
);
typed_id!(
    /// Identifies a [`crate::source::Citation`].
    CitationId,
    "citation"
);
typed_id!(
    /// Identifies a [`crate::task::ProgressReport`].
    ProgressReportId,
    "progress report"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_time_ordered_and_round_trip_through_text() {
        let first = PersonId::new();
        let second = PersonId::new();
        assert!(first < second, "UUIDv7 ids made later sort later");
        let parsed: PersonId = first.to_string().parse().unwrap();
        assert_eq!(parsed, first);
    }

    #[test]
    fn a_malformed_id_names_its_kind_and_value() {
        let error = "not-a-uuid".parse::<PostId>().unwrap_err();
        assert_eq!(error.to_string(), "post id \"not-a-uuid\" is not a UUID");
    }
}
