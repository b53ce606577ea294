//! Response fields in the order the query asked for them.
//!
//! GraphQL requires a response's fields to appear in the order of the selection set. async-graphql
//! 7.2 resolves an object's fields concurrently and inserts each as it completes, so a field
//! that waited on the database can come after one asked for later. This puts every object of a
//! response back in selection order, walking the response alongside the operation's selection
//! sets (aliases, inline fragments and fragment spreads included).

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, Value};

/// Reorders `data` to follow the selection of the operation named `operation` (or the only one)
/// of `document`.
pub fn reorder(data: &mut Value, document: &ExecutableDocument, operation: Option<&str>) {
    let Some(operation) = super::documents::selected_operation(document, operation) else {
        return;
    };
    let selection = &operation.node.selection_set.node;
    reorder_value(data, &[selection], document, 0);
}

/// The most nesting followed; the depth limit refuses anything near it first.
const MAX_NESTING: usize = 256;

fn reorder_value<'a>(
    value: &mut Value,
    selections: &[&'a SelectionSet],
    document: &'a ExecutableDocument,
    nesting: usize,
) {
    if nesting > MAX_NESTING {
        return;
    }
    match value {
        Value::List(items) => {
            for item in items {
                reorder_value(item, selections, document, nesting + 1);
            }
        }
        Value::Object(map) => {
            let mut ordered: IndexMap<Name, Value> = IndexMap::with_capacity(map.len());
            for set in selections {
                take_in_order(map, &mut ordered, set, document, nesting, &mut Vec::new());
            }
            // Anything the walk did not place (there should be nothing) keeps its place at the end.
            ordered.extend(std::mem::take(map));
            *map = ordered;
        }
        _ => {}
    }
}

/// Moves the fields of `set` from `source` to `target` in selection order, reordering each
/// field's value by its own selection (the same response key may be selected several times:
/// their sub-selections merge).
fn take_in_order<'a>(
    source: &mut IndexMap<Name, Value>,
    target: &mut IndexMap<Name, Value>,
    set: &'a SelectionSet,
    document: &'a ExecutableDocument,
    nesting: usize,
    fragments_seen: &mut Vec<String>,
) {
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => {
                let key = field.node.response_key().node.clone();
                if let Some(mut value) = source.shift_remove(&key) {
                    let subselections = sub_selections(set, &key, document);
                    reorder_value(&mut value, &subselections, document, nesting + 1);
                    target.insert(key, value);
                }
            }
            Selection::InlineFragment(fragment) => {
                take_in_order(
                    source,
                    target,
                    &fragment.node.selection_set.node,
                    document,
                    nesting,
                    fragments_seen,
                );
            }
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.to_string();
                if fragments_seen.contains(&name) {
                    continue;
                }
                fragments_seen.push(name);
                if let Some(fragment) = document
                    .fragments
                    .get(spread.node.fragment_name.node.as_str())
                {
                    take_in_order(
                        source,
                        target,
                        &fragment.node.selection_set.node,
                        document,
                        nesting,
                        fragments_seen,
                    );
                }
            }
        }
    }
}

/// Every sub-selection of the fields with response key `key` in `set` (following fragments).
fn sub_selections<'a>(
    set: &'a SelectionSet,
    key: &Name,
    document: &'a ExecutableDocument,
) -> Vec<&'a SelectionSet> {
    let mut found = Vec::new();
    collect(set, key, document, &mut found, &mut Vec::new());
    found
}

fn collect<'a>(
    set: &'a SelectionSet,
    key: &Name,
    document: &'a ExecutableDocument,
    found: &mut Vec<&'a SelectionSet>,
    seen: &mut Vec<String>,
) {
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => {
                if &field.node.response_key().node == key {
                    found.push(&field.node.selection_set.node);
                }
            }
            Selection::InlineFragment(fragment) => collect(
                &fragment.node.selection_set.node,
                key,
                document,
                found,
                seen,
            ),
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.to_string();
                if seen.contains(&name) {
                    continue;
                }
                seen.push(name);
                if let Some(fragment) = document
                    .fragments
                    .get(spread.node.fragment_name.node.as_str())
                {
                    collect(
                        &fragment.node.selection_set.node,
                        key,
                        document,
                        found,
                        seen,
                    );
                }
            }
        }
    }
}
