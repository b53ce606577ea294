//! Parsed GraphQL documents, kept by their text.
//!
//! Frontends send the same few queries over and over with different variables; parsing one
//! costs more than running a small one. Each request's document is parsed once here and the
//! parse is shared by everything that needs it: execution (handed to async-graphql as the
//! request's parsed query, on which the schema checks the document limits and async-graphql its
//! own depth and directive limits), the metrics' operation name and the response's field
//! ordering. The cache holds at most [`MAX_DOCUMENTS`] documents of at most
//! [`MAX_CACHED_LENGTH`] bytes of text and starts afresh when full; a document that does not
//! parse is never kept (its error comes from a fresh parse every time).
//!
//! A kept document also remembers whether a request with it has passed async-graphql's full
//! validation. Of its rules only one looks at the request's variables (that each value suits
//! its argument's type); the others judge the document alone, so their verdict holds for every
//! later request with the same text. Such a request runs on a twin schema that validates only
//! what depends on the request (the complexity, the depth, fragment cycles), when
//! [`plain_variables`] vouches for its variables; any other runs the full validation. On the
//! benchmark's page of overdue tasks the full validation was 18% of the gateway's instructions
//! (9% of its CPU samples).

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use async_graphql::parser::types::{BaseType, ExecutableDocument, Type};
use async_graphql::{ScalarType, Value, Variables};

use super::scalars::{DateScalar, PartialDateScalar, PartialDateTimeScalar};

/// A parsed document, and whether a request with it has passed the full validation.
#[derive(Debug)]
pub struct Parsed {
    document: ExecutableDocument,
    validated: AtomicBool,
}

impl Parsed {
    /// Whether a request with this document has passed async-graphql's full validation.
    #[must_use]
    pub fn validated(&self) -> bool {
        self.validated.load(Ordering::Relaxed)
    }

    /// Records that a request with this document passed the full validation.
    pub fn mark_validated(&self) {
        self.validated.store(true, Ordering::Relaxed);
    }
}

impl Deref for Parsed {
    type Target = ExecutableDocument;

    fn deref(&self) -> &ExecutableDocument {
        &self.document
    }
}

/// A request's parsed document, in the request's data for the schema.
#[derive(Debug, Clone)]
pub struct RequestDocument(pub Arc<Parsed>);

/// The most documents kept.
pub const MAX_DOCUMENTS: usize = 512;

/// The longest document text kept, in bytes; longer ones are parsed every time.
pub const MAX_CACHED_LENGTH: usize = 16 * 1024;

fn cache() -> &'static Mutex<HashMap<String, Arc<Parsed>>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Parsed>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The document `query` parses to, from the cache when it was parsed before.
pub fn parse(query: &str) -> async_graphql::parser::Result<Arc<Parsed>> {
    if query.len() <= MAX_CACHED_LENGTH
        && let Some(document) = cache()
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(query)
    {
        return Ok(Arc::clone(document));
    }
    let document = Arc::new(Parsed {
        document: async_graphql::parser::parse_query(query)?,
        validated: AtomicBool::new(false),
    });
    if query.len() <= MAX_CACHED_LENGTH {
        let mut cache = cache().lock().unwrap_or_else(PoisonError::into_inner);
        if cache.len() >= MAX_DOCUMENTS {
            cache.clear();
        }
        cache.insert(query.to_owned(), Arc::clone(&document));
    }
    Ok(document)
}

/// The operation of `document` that a request naming `operation` runs: the only one, or the
/// one of that name; `None` when the document does not say which (async-graphql then refuses
/// the request).
#[must_use]
pub fn selected_operation<'a>(
    document: &'a ExecutableDocument,
    operation: Option<&str>,
) -> Option<&'a async_graphql::parser::Positioned<async_graphql::parser::types::OperationDefinition>>
{
    use async_graphql::parser::types::DocumentOperations;
    match (&document.operations, operation) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// Whether every variable the operation run declares has a value the full validation would
/// accept beyond doubt: absent where it may be (the document's defaults were validated with the
/// document), null where its type is nullable, else a string for `ID` and `String`, a whole
/// number that fits 32 bits for `Int`, a boolean for `Boolean`, a valid `Date`, `PartialDate`
/// or `PartialDateTime`. Lists, input objects, enums and other types are left to the full
/// validation, as is a request whose operation the document does not name: `false` only means
/// "validate fully", never "refuse".
#[must_use]
pub fn plain_variables(
    document: &ExecutableDocument,
    operation: Option<&str>,
    variables: &Variables,
) -> bool {
    let Some(operation) = selected_operation(document, operation) else {
        return false;
    };
    operation
        .node
        .variable_definitions
        .iter()
        .all(|definition| {
            let definition = &definition.node;
            match variables.get(&definition.name.node) {
                None => definition.default_value.is_some() || definition.var_type.node.nullable,
                Some(value) => plain_value(&definition.var_type.node, value),
            }
        })
}

fn plain_value(ty: &Type, value: &Value) -> bool {
    if matches!(value, Value::Null) {
        return ty.nullable;
    }
    let BaseType::Named(name) = &ty.base else {
        return false;
    };
    match name.as_str() {
        "ID" | "String" => matches!(value, Value::String(_)),
        "Int" => {
            matches!(value, Value::Number(n) if n.as_i64().is_some_and(|n| i32::try_from(n).is_ok()))
        }
        "Boolean" => matches!(value, Value::Boolean(_)),
        "Date" => DateScalar::is_valid(value),
        "PartialDate" => PartialDateScalar::is_valid(value),
        "PartialDateTime" => PartialDateTimeScalar::is_valid(value),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn plain_variables_are_those_the_full_validation_accepts_beyond_doubt() {
        let document = async_graphql::parser::parse_query(
            "query Q($id: ID!, $on: Date, $first: Int = 20, $kinds: [String!], $flag: Boolean) \
             { version } query R { version }",
        )
        .unwrap();
        let plain = |operation: Option<&str>, variables: serde_json::Value| {
            plain_variables(&document, operation, &Variables::from_json(variables))
        };
        assert!(plain(
            Some("Q"),
            json!({ "id": "UGVyc29u", "on": "2026-11-27" })
        ));
        assert!(plain(
            Some("Q"),
            json!({ "id": "x", "on": null, "first": 5, "flag": true })
        ));
        assert!(plain(Some("R"), json!({})));
        // Left to the full validation: a number for an ID (valid, but not vouched for), a
        // missing or null required value, a bad date, an Int past 32 bits, a list, a string
        // for a boolean, and a document that does not say which operation runs.
        assert!(!plain(Some("Q"), json!({ "id": 5 })));
        assert!(!plain(Some("Q"), json!({})));
        assert!(!plain(Some("Q"), json!({ "id": null })));
        assert!(!plain(Some("Q"), json!({ "id": "x", "on": "2026-13-01" })));
        assert!(!plain(
            Some("Q"),
            json!({ "id": "x", "first": 3_000_000_000_i64 })
        ));
        assert!(!plain(Some("Q"), json!({ "id": "x", "kinds": ["a"] })));
        assert!(!plain(Some("Q"), json!({ "id": "x", "flag": "true" })));
        assert!(!plain(None, json!({ "id": "x" })));
        assert!(!plain(Some("S"), json!({ "id": "x" })));
    }

    #[test]
    fn a_document_is_parsed_once_and_an_invalid_one_is_not_kept() {
        let query = "query CacheProbe { version }";
        let first = parse(query).unwrap();
        let second = parse(query).unwrap();
        assert!(Arc::ptr_eq(&first, &second));
        assert!(parse("query CacheProbe { version").is_err());
        assert!(
            !cache()
                .lock()
                .unwrap()
                .contains_key("query CacheProbe { version")
        );
    }
}
