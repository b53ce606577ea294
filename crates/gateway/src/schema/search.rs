//! Search across people, organizations, meetings, directives and decisions in the schema.

use async_graphql::Object;

/// Search across people, organizations, meetings, directives and decisions: queries.
#[derive(Default)]
pub struct SearchQuery;

#[Object]
impl SearchQuery {
    /// Holds the place until this area's fields arrive; hidden from the schema.
    #[graphql(visible = false)]
    async fn placeholder_search_query(&self) -> bool {
        false
    }
}
