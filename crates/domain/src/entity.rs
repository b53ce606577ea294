//! The shape every aggregate shares.
//!
//! An aggregate is an id plus its details. The details are a plain struct with public fields, so
//! reading them is easy (`person.name`), but an aggregate can only be built or changed through
//! `new` and `update`, which run the aggregate's own validation: an aggregate value is always
//! valid. Rules that need other records (the seat rule, the authority rule) are separate pure
//! functions that take those records as arguments.

/// The position of the first of `keys` equal to an earlier one, for the checks that nothing is
/// listed twice. The lists aggregates hold are short, and comparing a short list pairwise is
/// cheaper than hashing it (these checks run on every record read back); a long one goes
/// through a hash set.
pub(crate) fn first_repeat<K: Eq + std::hash::Hash>(
    keys: impl IntoIterator<Item = K>,
) -> Option<usize> {
    const PAIRWISE: usize = 16;
    let mut few: Vec<K> = Vec::new();
    let mut many: std::collections::HashSet<K> = std::collections::HashSet::new();
    for (position, key) in keys.into_iter().enumerate() {
        if position < PAIRWISE {
            if few.contains(&key) {
                return Some(position);
            }
            few.push(key);
        } else {
            if position == PAIRWISE {
                many.extend(few.drain(..));
            }
            if !many.insert(key) {
                return Some(position);
            }
        }
    }
    None
}

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

#[cfg(test)]
mod tests {
    use super::first_repeat;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn first_repeat_finds_the_first_key_seen_before(keys in proptest::collection::vec(0u8..40, 0..60)) {
            let mut seen = std::collections::HashSet::new();
            let expected = keys.iter().position(|key| !seen.insert(*key));
            prop_assert_eq!(first_repeat(&keys), expected);
        }
    }

    #[test]
    fn first_repeat_past_the_pairwise_part() {
        let mut keys: Vec<u32> = (0..40).collect();
        assert_eq!(first_repeat(&keys), None);
        keys.push(3);
        assert_eq!(first_repeat(&keys), Some(40));
        keys.insert(16, 15);
        assert_eq!(first_repeat(&keys), Some(16));
    }
}
