//! Limits checked right after parsing, before validation or execution start: the depth of
//! field nesting, the number of aliases in a document and the number of fields selected at
//! the root of an operation.
//!
//! Depth is counted here rather than by async-graphql's own limit because that one counts
//! introspection too, and the standard introspection query of GraphiQL and other tools nests 15
//! levels deep: the schema's documentation would be unreachable under any sane limit. Here the
//! `__schema` and `__type` subtrees are left out (introspection is bounded by the schema itself).

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{ServerError, ServerResult, Variables};

/// The alias and root-field limits, as an extension factory.
#[derive(Debug, Clone, Copy)]
pub struct DocumentLimits {
    /// How deeply fields may nest (introspection aside).
    pub max_depth: usize,
    /// The most aliases in one document.
    pub max_aliases: usize,
    /// The most fields at the root of one operation.
    pub max_root_fields: usize,
}

impl ExtensionFactory for DocumentLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
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

#[async_graphql::async_trait::async_trait]
impl Extension for DocumentLimits {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        self.check(&document)?;
        Ok(document)
    }
}
