//! The audit log and tokens (admin only) in the schema.

use async_graphql::Object;

/// The audit log and tokens (admin only): queries.
#[derive(Default)]
pub struct AdminQuery;

#[Object]
impl AdminQuery {
    /// Holds the place until this area's fields arrive; hidden from the schema.
    #[graphql(visible = false)]
    async fn placeholder_admin_query(&self) -> bool {
        false
    }
}

/// The audit log and tokens (admin only): mutations.
#[derive(Default)]
pub struct AdminMutation;

#[Object]
impl AdminMutation {
    /// Holds the place until this area's fields arrive; hidden from the schema.
    #[graphql(visible = false)]
    async fn placeholder_admin_mutation(&self) -> bool {
        false
    }
}
