//! Limits checked right after parsing, before validation or execution start (by
//! [`super::GazetteSchema`], before it hands a request to async-graphql): the depth of
//! field nesting, the number of aliases in a document and the number of fields selected at
//! the root of an operation. Two checks on the request's values run at the same point: no
//! string (in the document or the variables) may hold a NUL character, which PostgreSQL cannot
//! store or compare, and every required variable of the operation run must be given (left to
//! async-graphql, a missing one fails only when a resolver reads it, after the fields before it
//! have run).
//!
//! Depth is counted here rather than by async-graphql's own limit because that one counts
//! introspection too, and the standard introspection query of GraphiQL and other tools nests 15
//! levels deep: the schema's documentation would be unreachable under any sane limit. Here the
//! `__schema` and `__type` subtrees are left out (introspection is bounded by the schema itself).
//!
//! The checks are not an async-graphql extension: a schema with any extension runs every field
//! and every list item through the extensions' resolve chain (a type lookup by name and a chain
//! of futures each), which cost about a tenth of the gateway's time on a page of twenty tasks.

use async_graphql::parser::types::{
    Directive, DocumentOperations, ExecutableDocument, OperationDefinition, Selection, SelectionSet,
};
use async_graphql::{Positioned, ServerError, ServerResult, Value, Variables};

/// The depth, alias and root-field limits.
#[derive(Debug, Clone, Copy)]
pub struct DocumentLimits {
    /// How deeply fields may nest (introspection aside).
    pub max_depth: usize,
    /// The most aliases in one document.
    pub max_aliases: usize,
    /// The most fields at the root of one operation.
    pub max_root_fields: usize,
}

fn count_aliases(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(field) => {
                usize::from(field.node.alias.is_some())
                    + count_aliases(&field.node.selection_set.node)
            }
            Selection::InlineFragment(fragment) => count_aliases(&fragment.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

/// Root fields, following fragments at the root (each fragment at most once).
fn count_root_fields(
    set: &SelectionSet,
    document: &ExecutableDocument,
    seen: &mut Vec<String>,
) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(_) => 1,
            Selection::InlineFragment(fragment) => {
                count_root_fields(&fragment.node.selection_set.node, document, seen)
            }
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.to_string();
                if seen.contains(&name) {
                    return 0;
                }
                seen.push(name.clone());
                document
                    .fragments
                    .get(spread.node.fragment_name.node.as_str())
                    .map_or(0, |fragment| {
                        count_root_fields(&fragment.node.selection_set.node, document, seen)
                    })
            }
        })
        .sum()
}

/// The deepest nesting of fields under `set`, following fragments; `__schema` and `__type`
/// subtrees count as nothing. `budget` stops a fragment cycle (which validation rejects anyway).
fn depth(set: &SelectionSet, document: &ExecutableDocument, budget: usize) -> usize {
    if budget == 0 {
        return usize::MAX / 2;
    }
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(field) => {
                let name = field.node.name.node.as_str();
                if name == "__schema" || name == "__type" {
                    0
                } else {
                    1 + depth(&field.node.selection_set.node, document, budget - 1)
                }
            }
            Selection::InlineFragment(fragment) => {
                depth(&fragment.node.selection_set.node, document, budget - 1)
            }
            Selection::FragmentSpread(spread) => document
                .fragments
                .get(spread.node.fragment_name.node.as_str())
                .map_or(0, |fragment| {
                    depth(&fragment.node.selection_set.node, document, budget - 1)
                }),
        })
        .max()
        .unwrap_or(0)
}

impl DocumentLimits {
    /// Checks a request's parsed `document`, run as `operation_name` with `variables`: these
    /// limits, then that no string holds a NUL character and that every required variable of
    /// the operation is given.
    ///
    /// # Errors
    ///
    /// The first check the request fails, as async-graphql reports a request error.
    pub fn check_request(
        &self,
        document: &ExecutableDocument,
        operation_name: Option<&str>,
        variables: &Variables,
    ) -> ServerResult<()> {
        self.check(document)?;
        check_no_nul(document, variables)?;
        check_required_variables(document, operation_name, variables)
    }

    fn check(&self, document: &ExecutableDocument) -> ServerResult<()> {
        let operations: Vec<&SelectionSet> = match &document.operations {
            DocumentOperations::Single(operation) => vec![&operation.node.selection_set.node],
            DocumentOperations::Multiple(operations) => operations
                .values()
                .map(|operation| &operation.node.selection_set.node)
                .collect(),
        };
        let aliases: usize = operations
            .iter()
            .map(|set| count_aliases(set))
            .sum::<usize>()
            + document
                .fragments
                .values()
                .map(|fragment| count_aliases(&fragment.node.selection_set.node))
                .sum::<usize>();
        if aliases > self.max_aliases {
            return Err(ServerError::new(
                format!(
                    "the document has {aliases} aliases; at most {} are allowed",
                    self.max_aliases
                ),
                None,
            ));
        }
        for set in &operations {
            let nesting = depth(set, document, 256);
            if nesting > self.max_depth {
                return Err(ServerError::new(
                    format!(
                        "the query nests {nesting} levels deep; at most {} are allowed",
                        self.max_depth
                    ),
                    None,
                ));
            }
        }
        for set in operations {
            let fields = count_root_fields(set, document, &mut Vec::new());
            if fields > self.max_root_fields {
                return Err(ServerError::new(
                    format!(
                        "an operation selects {fields} root fields; at most {} are allowed",
                        self.max_root_fields
                    ),
                    None,
                ));
            }
        }
        Ok(())
    }
}

/// Whether a value holds a string with a NUL character, at any depth.
fn holds_nul(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains('\0'),
        Value::List(items) => items.iter().any(holds_nul),
        Value::Object(fields) => fields.values().any(holds_nul),
        _ => false,
    }
}

fn directives_hold_nul(directives: &[Positioned<Directive>]) -> bool {
    directives.iter().any(|directive| {
        directive.node.arguments.iter().any(|(_, value)| {
            // Variables are checked on their own; here they stand for nothing.
            let literal = value
                .node
                .clone()
                .into_const_with(|_| Ok::<_, std::convert::Infallible>(Value::Null));
            literal.is_ok_and(|literal| holds_nul(&literal))
        })
    })
}

/// Whether any literal argument under `set` holds a NUL character.
fn selection_holds_nul(set: &SelectionSet) -> bool {
    set.items.iter().any(|item| match &item.node {
        Selection::Field(field) => {
            field.node.arguments.iter().any(|(_, value)| {
                let literal = value
                    .node
                    .clone()
                    .into_const_with(|_| Ok::<_, std::convert::Infallible>(Value::Null));
                literal.is_ok_and(|literal| holds_nul(&literal))
            }) || directives_hold_nul(&field.node.directives)
                || selection_holds_nul(&field.node.selection_set.node)
        }
        Selection::InlineFragment(fragment) => {
            directives_hold_nul(&fragment.node.directives)
                || selection_holds_nul(&fragment.node.selection_set.node)
        }
        Selection::FragmentSpread(spread) => directives_hold_nul(&spread.node.directives),
    })
}

fn operation_holds_nul(operation: &OperationDefinition) -> bool {
    operation.variable_definitions.iter().any(|definition| {
        definition
            .node
            .default_value
            .as_ref()
            .is_some_and(|value| holds_nul(&value.node))
    }) || directives_hold_nul(&operation.directives)
        || selection_holds_nul(&operation.selection_set.node)
}

/// Refuses a NUL character in any string of the request: PostgreSQL's text cannot hold one, so
/// it would otherwise surface as an internal error wherever a string reaches a query.
fn check_no_nul(document: &ExecutableDocument, variables: &Variables) -> ServerResult<()> {
    let in_document = match &document.operations {
        DocumentOperations::Single(operation) => operation_holds_nul(&operation.node),
        DocumentOperations::Multiple(operations) => operations
            .values()
            .any(|operation| operation_holds_nul(&operation.node)),
    } || document.fragments.values().any(|fragment| {
        directives_hold_nul(&fragment.node.directives)
            || selection_holds_nul(&fragment.node.selection_set.node)
    });
    if in_document || variables.values().any(holds_nul) {
        return Err(ServerError::new(
            "strings may not contain the NUL character (U+0000)",
            None,
        ));
    }
    Ok(())
}

/// Refuses a request that leaves out a required variable (non-null, without a default) of the
/// operation it runs. When the operation cannot be told, async-graphql refuses the request.
fn check_required_variables(
    document: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
) -> ServerResult<()> {
    let operation = match (&document.operations, operation_name) {
        (DocumentOperations::Single(operation), _) => Some(operation),
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name),
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.values().next()
        }
        (DocumentOperations::Multiple(_), None) => None,
    };
    let Some(operation) = operation else {
        return Ok(());
    };
    for definition in &operation.node.variable_definitions {
        let definition = &definition.node;
        if !definition.var_type.node.nullable
            && definition.default_value.is_none()
            && !variables.contains_key(&definition.name.node)
        {
            return Err(ServerError::new(
                format!(
                    "variable ${} of type {} is required but was not given",
                    definition.name.node, definition.var_type.node
                ),
                Some(definition.name.pos),
            ));
        }
    }
    Ok(())
}
