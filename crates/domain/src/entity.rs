//! The shape every aggregate shares.
//!
//! An aggregate is an id plus its details. The details are a plain struct with public fields, so
//! reading them is easy (`person.name`), but an aggregate can only be built or changed through
//! `new` and `update`, which run the aggregate's own validation: an aggregate value is always
//! valid. Rules that need other records (the seat rule, the authority rule) are separate pure
//! functions that take those records as arguments.

/// Defines an aggregate `$name` with id `$id` and details `$details`, validated by the
/// method `$details::validate(&self, id: $id) -> Result<(), $error>`.
macro_rules! aggregate {
    ($(#[$meta:meta])* $name:ident, $id:ty, $details:ty, $error:ty) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            id: $id,
            details: $details,
        }

        impl $name {
            /// Builds the aggregate after checking its details.
            pub fn new(id: $id, details: $details) -> Result<Self, $error> {
                details.validate(id)?;
                Ok(Self { id, details })
            }

            /// Replaces the details after checking them; on error nothing changes.
            pub fn update(&mut self, details: $details) -> Result<(), $error> {
                details.validate(self.id)?;
                self.details = details;
                Ok(())
            }

            /// The id.
            #[must_use]
            pub fn id(&self) -> $id {
                self.id
            }

            /// The details.
            #[must_use]
            pub fn details(&self) -> &$details {
                &self.details
            }

            /// The details, to edit and pass back to [`Self::update`].
            #[must_use]
            pub fn into_details(self) -> $details {
                self.details
            }
        }

        impl std::ops::Deref for $name {
            type Target = $details;

            fn deref(&self) -> &$details {
                &self.details
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $crate::entity::AggregateRecord {
                    id: self.id,
                    details: &self.details,
                }
                .serialize(serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let record = $crate::entity::AggregateRecord::<$id, $details>::deserialize(deserializer)?;
                Self::new(record.id, record.details).map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use aggregate;

/// The serialized form of an aggregate: its id next to its details' fields.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct AggregateRecord<Id, Details> {
    pub(crate) id: Id,
    #[serde(flatten)]
    pub(crate) details: Details,
}
