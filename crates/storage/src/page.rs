//! Keyset (cursor) pagination with a stable order, never OFFSET.
//!
//! Every list orders by a key that ends in the record's id, so the order is total. A cursor is
//! the key of a row, as opaque text (base64url of its JSON); the next page starts strictly after
//! it. `first`/`last` default to 20 and may not exceed 100: a larger value is an error, not a
//! silent clamp.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::StorageError;

/// The page size when none is asked for.
pub const DEFAULT_PAGE_SIZE: u32 = 20;
/// The largest page size allowed.
pub const MAX_PAGE_SIZE: u32 = 100;

/// An opaque position in a list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cursor(String);

impl Cursor {
    /// The cursor of a row whose sort key is `key` (its last element being the id).
    pub(crate) fn from_key(key: &[Value]) -> Self {
        let json = Value::Array(key.to_vec()).to_string();
        Self(base64url_encode(json.as_bytes()))
    }

    /// The key inside, checked to have `arity` elements.
    pub(crate) fn key(&self, arity: usize) -> Result<Vec<Value>, StorageError> {
        let invalid = || {
            StorageError::InvalidInput(format!("cursor {:?} is not a cursor of this list", self.0))
        };
        let bytes = base64url_decode(&self.0).ok_or_else(invalid)?;
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Array(values)) if values.len() == arity => Ok(values),
            _ => Err(invalid()),
        }
    }

    /// Wraps cursor text received from a client.
    #[must_use]
    pub fn from_text(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The text to hand to a client.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Which page of a list to read (Relay's `first`/`after` or `last`/`before`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub(crate) size: u32,
    pub(crate) direction: Direction,
    pub(crate) cursor: Option<Cursor>,
}

/// Forward from the start or a cursor, or backward from the end or a cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Forward,
    Backward,
}

impl PageRequest {
    /// Checks the arguments: at most one of `first` and `last`; sizes 1 to 100 (default 20);
    /// `after` goes with paging forward and `before` with paging backward.
    pub fn new(
        first: Option<i64>,
        after: Option<Cursor>,
        last: Option<i64>,
        before: Option<Cursor>,
    ) -> Result<Self, StorageError> {
        let size = |value: i64, name: &str| -> Result<u32, StorageError> {
            u32::try_from(value)
                .ok()
                .filter(|v| (1..=MAX_PAGE_SIZE).contains(v))
                .ok_or_else(|| {
                    StorageError::InvalidInput(format!(
                        "`{name}` must be between 1 and {MAX_PAGE_SIZE}; {value} was given"
                    ))
                })
        };
        match (first, last) {
            (Some(_), Some(_)) => Err(StorageError::InvalidInput(
                "give `first` or `last`, not both".to_owned(),
            )),
            (_, Some(last)) => {
                if after.is_some() {
                    return Err(StorageError::InvalidInput(
                        "`after` goes with `first`, not `last`".to_owned(),
                    ));
                }
                Ok(Self {
                    size: size(last, "last")?,
                    direction: Direction::Backward,
                    cursor: before,
                })
            }
            (first, None) => {
                if before.is_some() {
                    return Err(StorageError::InvalidInput(
                        "`before` goes with `last`, not `first`".to_owned(),
                    ));
                }
                Ok(Self {
                    size: first.map_or(Ok(DEFAULT_PAGE_SIZE), |f| size(f, "first"))?,
                    direction: Direction::Forward,
                    cursor: after,
                })
            }
        }
    }

    /// The first page of the default size.
    #[must_use]
    pub fn first(size: u32) -> Self {
        Self {
            size: size.clamp(1, MAX_PAGE_SIZE),
            direction: Direction::Forward,
            cursor: None,
        }
    }

    /// The page after `cursor`.
    #[must_use]
    pub fn after(size: u32, cursor: Cursor) -> Self {
        Self {
            size: size.clamp(1, MAX_PAGE_SIZE),
            direction: Direction::Forward,
            cursor: Some(cursor),
        }
    }
}

/// One row of a page, with its cursor.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge<T> {
    /// Where this row is.
    pub cursor: Cursor,
    /// The row.
    pub node: T,
}

/// A page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The rows, in the list's order.
    pub edges: Vec<Edge<T>>,
    /// Whether rows follow the last one.
    pub has_next_page: bool,
    /// Whether rows precede the first one.
    pub has_previous_page: bool,
}

impl<T> Page<T> {
    /// Builds a page from rows fetched one beyond the page size in the request's direction,
    /// each with its sort key.
    pub(crate) fn from_rows(request: &PageRequest, mut rows: Vec<(Vec<Value>, T)>) -> Self {
        let size = request.size as usize;
        let more = rows.len() > size;
        rows.truncate(size);
        if request.direction == Direction::Backward {
            rows.reverse();
        }
        let edges = rows
            .into_iter()
            .map(|(key, node)| Edge {
                cursor: Cursor::from_key(&key),
                node,
            })
            .collect();
        let (has_next_page, has_previous_page) = match request.direction {
            Direction::Forward => (more, request.cursor.is_some()),
            Direction::Backward => (request.cursor.is_some(), more),
        };
        Self {
            edges,
            has_next_page,
            has_previous_page,
        }
    }

    /// Maps the rows, stopping at the first error.
    pub fn try_map<U, E>(self, mut f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        let mut edges = Vec::with_capacity(self.edges.len());
        for edge in self.edges {
            edges.push(Edge {
                cursor: edge.cursor,
                node: f(edge.node)?,
            });
        }
        Ok(Page {
            edges,
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
        })
    }

    /// Maps the rows.
    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            edges: self
                .edges
                .into_iter()
                .map(|edge| Edge {
                    cursor: edge.cursor,
                    node: f(edge.node),
                })
                .collect(),
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
        }
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() > 4096 {
        return None;
    }
    let mut values = Vec::with_capacity(text.len());
    for byte in text.bytes() {
        values.push(ALPHABET.iter().position(|&a| a == byte)? as u32);
    }
    let mut out = Vec::with_capacity(values.len() * 3 / 4);
    for chunk in values.chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let mut n = 0u32;
        for (i, v) in chunk.iter().enumerate() {
            n |= v << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            out.push(((n >> (16 - 8 * i)) & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let key = vec![
            Value::from("tran viet truong"),
            Value::from("0193c6e0-0000-7000-8000-000000000000"),
        ];
        let cursor = Cursor::from_key(&key);
        assert_eq!(cursor.key(2).unwrap(), key);
        assert!(cursor.key(3).is_err());
        assert!(Cursor::from_text("!!!").key(2).is_err());
        assert!(Cursor::from_text("").key(2).is_err());
        for length in 0..10 {
            let bytes: Vec<u8> = (0..length).map(|i: u8| i.wrapping_mul(37)).collect();
            assert_eq!(base64url_decode(&base64url_encode(&bytes)).unwrap(), bytes);
        }
    }

    #[test]
    fn page_sizes_out_of_range_are_errors_not_clamps() {
        assert!(PageRequest::new(Some(101), None, None, None).is_err());
        assert!(PageRequest::new(Some(0), None, None, None).is_err());
        assert!(PageRequest::new(Some(99_999_999), None, None, None).is_err());
        assert_eq!(
            PageRequest::new(None, None, None, None).unwrap().size,
            DEFAULT_PAGE_SIZE
        );
        assert!(PageRequest::new(Some(5), None, Some(5), None).is_err());
        assert_eq!(
            PageRequest::new(None, None, Some(100), None).unwrap().size,
            100
        );
    }
}
