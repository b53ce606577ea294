//! Response fields in the order the query asked for them.
//!
//! GraphQL requires a response's fields to appear in the order of the selection set. async-graphql
//! 7.2 resolves an object's fields concurrently and inserts each as it completes, so a field
//! that waited on the database can come after one asked for later. This puts every object of a
//! response back in selection order, walking the response alongside the operation's selection
//! sets (aliases, inline fragments and fragment spreads included).

use std::cell::OnceCell;

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{ExecutableDocument, Field, Selection, SelectionSet};
use async_graphql::{Name, Value};

/// Reorders `data` to follow the selection of the operation named `operation` (or the only one)
/// of `document`.
pub fn reorder(data: &mut Value, document: &ExecutableDocument, operation: Option<&str>) {
    let Some(operation) = super::documents::selected_operation(document, operation) else {
        return;
    };
    let selection = &operation.node.selection_set.node;
    reorder_value(data, &Shape::of(&[selection], document), document, 0);
}

/// The most nesting followed; the depth limit refuses anything near it first.
const MAX_NESTING: usize = 256;

/// What the objects selected by some selection sets look like: their response keys in
/// selection order, and for each key the selection sets of its fields. Worked out once for a
/// list's items, which share it, and, for each key, only when a value needs it.
struct Shape<'a> {
    /// The response keys in the order they are first selected, each once.
    keys: Vec<&'a Name>,
    /// For each key (in the same order), the sub-selections of every field selected under it
    /// (a key selected several times merges them), and their shape once worked out.
    fields: Vec<(Vec<&'a SelectionSet>, OnceCell<Box<Shape<'a>>>)>,
}

impl<'a> Shape<'a> {
    fn of(selections: &[&'a SelectionSet], document: &'a ExecutableDocument) -> Self {
        let mut keys: Vec<&'a Name> = Vec::new();
        let mut fields: Vec<(Vec<&'a SelectionSet>, OnceCell<Box<Shape<'a>>>)> = Vec::new();
        for set in selections {
            each_field(set, document, &mut Vec::new(), &mut |field| {
                let key = &field.response_key().node;
                let sub = &field.selection_set.node;
                match keys.iter().position(|known| *known == key) {
                    Some(index) => fields[index].0.push(sub),
                    None => {
                        keys.push(key);
                        fields.push((vec![sub], OnceCell::new()));
                    }
                }
                true
            });
        }
        Self { keys, fields }
    }

    /// Whether the keys of `map` come in this shape's order: they are a subsequence of it
    /// (keys it does not select would not be).
    fn orders(&self, map: &IndexMap<Name, Value>) -> bool {
        let mut keys = self.keys.iter();
        map.keys().all(|key| keys.any(|known| *known == key))
    }

    /// The shape of the values under `key`, if this shape selects it.
    fn under(&self, key: &Name, document: &'a ExecutableDocument) -> Option<&Shape<'a>> {
        let index = self.keys.iter().position(|known| *known == key)?;
        let (selections, shape) = &self.fields[index];
        Some(shape.get_or_init(|| Box::new(Shape::of(selections, document))))
    }
}

fn reorder_value<'a>(
    value: &mut Value,
    shape: &Shape<'a>,
    document: &'a ExecutableDocument,
    nesting: usize,
) {
    if nesting > MAX_NESTING {
        return;
    }
    match value {
        Value::List(items) => {
            for item in items {
                reorder_value(item, shape, document, nesting + 1);
            }
        }
        Value::Object(map) => {
            // Most objects come out of async-graphql in order already: they are only checked.
            if !shape.orders(map) {
                // A stable sort by each key's place in the shape (which keeps the keys' hashes:
                // nothing is hashed again); anything the shape does not select (there should be
                // nothing) keeps its order at the end.
                map.sort_by_cached_key(|key, _| {
                    shape
                        .keys
                        .iter()
                        .position(|known| *known == key)
                        .unwrap_or(usize::MAX)
                });
            }
            // Each field's value follows its own shape; scalars have none to follow.
            for (key, value) in map.iter_mut() {
                if matches!(value, Value::Object(_) | Value::List(_))
                    && let Some(inner) = shape.under(key, document)
                {
                    reorder_value(value, inner, document, nesting + 1);
                }
            }
        }
        _ => {}
    }
}

/// Calls `visit` with the fields of `set` in selection order, following inline fragments and
/// fragment spreads (each fragment once), until it returns false; returns whether it never did.
fn each_field<'a>(
    set: &'a SelectionSet,
    document: &'a ExecutableDocument,
    fragments_seen: &mut Vec<&'a str>,
    visit: &mut impl FnMut(&'a Field) -> bool,
) -> bool {
    for item in &set.items {
        let going_on = match &item.node {
            Selection::Field(field) => visit(&field.node),
            Selection::InlineFragment(fragment) => each_field(
                &fragment.node.selection_set.node,
                document,
                fragments_seen,
                visit,
            ),
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                if fragments_seen.contains(&name) {
                    continue;
                }
                fragments_seen.push(name);
                document.fragments.get(name).is_none_or(|fragment| {
                    each_field(
                        &fragment.node.selection_set.node,
                        document,
                        fragments_seen,
                        visit,
                    )
                })
            }
        };
        if !going_on {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;

    use super::*;

    /// The response for `query` after reordering `data` (JSON), as JSON text, whose key order is
    /// the response's.
    fn reordered(query: &str, operation: Option<&str>, data: &str) -> String {
        let document = parse_query(query).unwrap();
        let mut value = Value::from_json(serde_json::from_str(data).unwrap()).unwrap();
        reorder(&mut value, &document, operation);
        serde_json::to_string(&value).unwrap()
    }

    #[test]
    fn fields_come_back_in_selection_order_at_every_level() {
        assert_eq!(
            reordered(
                "{ a b { c d } e }",
                None,
                r#"{"e": 1, "b": {"d": 2, "c": 3}, "a": 4}"#
            ),
            r#"{"a":4,"b":{"c":3,"d":2},"e":1}"#
        );
        assert_eq!(
            reordered(
                "{ list { b a } }",
                None,
                r#"{"list": [{"a": 1, "b": 2}, {"b": 3, "a": 4}, null]}"#
            ),
            r#"{"list":[{"b":2,"a":1},{"b":3,"a":4},null]}"#
        );
    }

    #[test]
    fn a_response_already_in_order_is_left_as_it_is() {
        let data = r#"{"a":4,"b":{"c":3,"d":[{"e":1,"f":2}]},"g":null}"#;
        assert_eq!(reordered("{ a b { c d { e f } } g }", None, data), data);
    }

    #[test]
    fn aliases_fragments_and_repeated_keys_follow_the_selection() {
        let query = "query Q { x: a ...F ... on Query { e } b { c } }
            fragment F on Query { b { d c } }";
        assert_eq!(
            reordered(
                query,
                Some("Q"),
                r#"{"e": 1, "b": {"c": 2, "d": 3}, "x": 4}"#
            ),
            r#"{"x":4,"b":{"d":3,"c":2},"e":1}"#
        );
        // The same field selected twice: its sub-selections merge, in order of appearance, at
        // every level.
        assert_eq!(
            reordered("{ b { c } b { d } }", None, r#"{"b": {"d": 1, "c": 2}}"#),
            r#"{"b":{"c":2,"d":1}}"#
        );
        assert_eq!(
            reordered(
                "{ x { b { c } } x { b { e d } } }",
                None,
                r#"{"x": {"b": {"d": 1, "e": 2, "c": 3}}}"#
            ),
            r#"{"x":{"b":{"c":3,"e":2,"d":1}}}"#
        );
        // A key the selection does not name keeps its place at the end.
        assert_eq!(
            reordered("{ b a }", None, r#"{"z": 0, "a": 1, "b": 2}"#),
            r#"{"b":2,"a":1,"z":0}"#
        );
    }

    #[test]
    fn the_operation_named_is_the_one_followed() {
        let query = "query One { a b } query Two { b a }";
        let data = r#"{"a": 1, "b": 2}"#;
        assert_eq!(reordered(query, Some("Two"), data), r#"{"b":2,"a":1}"#);
        assert_eq!(reordered(query, Some("One"), data), r#"{"a":1,"b":2}"#);
    }
}
