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

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use async_graphql::parser::types::ExecutableDocument;

/// The most documents kept.
pub const MAX_DOCUMENTS: usize = 512;

/// The longest document text kept, in bytes; longer ones are parsed every time.
pub const MAX_CACHED_LENGTH: usize = 16 * 1024;

fn cache() -> &'static Mutex<HashMap<String, Arc<ExecutableDocument>>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<ExecutableDocument>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The document `query` parses to, from the cache when it was parsed before.
pub fn parse(query: &str) -> async_graphql::parser::Result<Arc<ExecutableDocument>> {
    if query.len() <= MAX_CACHED_LENGTH
        && let Some(document) = cache()
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(query)
    {
        return Ok(Arc::clone(document));
    }
    let document = Arc::new(async_graphql::parser::parse_query(query)?);
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

#[cfg(test)]
mod tests {
    use super::*;

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
