//! Relay connections over the storage layer's keyset pages.

use async_graphql::OutputType;
use async_graphql::connection::{Connection, Edge};
use gazette_storage::page::MAX_PAGE_SIZE;
use gazette_storage::{Cursor, Page, PageRequest};

use super::error::{ApiResult, StorageResultExt};

/// The page a connection field's `first`/`after`/`last`/`before` ask for: `first`/`last` default
/// to 20 and may not exceed 100 (a larger value is an error, not a silent clamp).
pub fn page_request(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> ApiResult<PageRequest> {
    PageRequest::new(
        first.map(i64::from),
        after.map(Cursor::from_text),
        last.map(i64::from),
        before.map(Cursor::from_text),
    )
    .api()
}

/// A connection from a page, mapping each row to its GraphQL object.
pub fn connection<T, N: OutputType>(page: Page<T>, node: impl Fn(T) -> N) -> Connection<String, N> {
    let mut connection = Connection::new(page.has_previous_page, page.has_next_page);
    connection.edges.extend(
        page.edges
            .into_iter()
            .map(|edge| Edge::new(edge.cursor.as_str().to_owned(), node(edge.node))),
    );
    connection
}

/// The cost of a connection field for the complexity limit: the page size asked for (or the
/// default) times the cost of one node, so nested lists multiply.
#[must_use]
pub fn page_cost(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    let size = first
        .or(last)
        .map_or(20, |n| n.clamp(1, MAX_PAGE_SIZE as i32)) as usize;
    size.saturating_mul(child_complexity.max(1))
}

/// Whether the nodes a query selects of a connection (through `nodes` or `edges { node }`)
/// ask for what `asks` looks for: for a resolver that reads more in its own statement when the
/// next levels will ask for it.
pub(crate) fn nodes_ask(
    connection: &async_graphql::Lookahead<'_>,
    asks: impl Fn(&async_graphql::Lookahead<'_>) -> bool,
) -> bool {
    asks(&connection.field("nodes")) || asks(&connection.field("edges").field("node"))
}
