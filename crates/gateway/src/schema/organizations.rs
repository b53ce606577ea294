//! Organizations, posts and holdings in the schema.

use async_graphql::{ID, Object};

use super::ids::global_id;

/// A organization (fields are being filled in).
#[derive(Clone)]
pub struct OrganizationObject(pub gazette_domain::organization::Organization);

/// Organization.
#[Object(name = "Organization")]
impl OrganizationObject {
    /// The global id.
    async fn id(&self) -> ID {
        global_id("Organization", self.0.id().as_uuid())
    }
}

/// A post (fields are being filled in).
#[derive(Clone)]
pub struct PostObject(pub gazette_domain::post::Post);

/// Post.
#[Object(name = "Post")]
impl PostObject {
    /// The global id.
    async fn id(&self) -> ID {
        global_id("Post", self.0.id().as_uuid())
    }
}

/// A holding (fields are being filled in).
#[derive(Clone)]
pub struct HoldingObject(pub gazette_domain::holding::Holding);

/// Holding.
#[Object(name = "Holding")]
impl HoldingObject {
    /// The global id.
    async fn id(&self) -> ID {
        global_id("Holding", self.0.id().as_uuid())
    }
}

/// Organizations, posts and holdings: queries.
#[derive(Default)]
pub struct OrganizationsQuery;

#[Object]
impl OrganizationsQuery {
    /// Holds the place until this area's fields arrive; hidden from the schema.
    #[graphql(visible = false)]
    async fn placeholder_organizations_query(&self) -> bool {
        false
    }
}

/// Organizations, posts and holdings: mutations.
#[derive(Default)]
pub struct OrganizationsMutation;

#[Object]
impl OrganizationsMutation {
    /// Holds the place until this area's fields arrive; hidden from the schema.
    #[graphql(visible = false)]
    async fn placeholder_organizations_mutation(&self) -> bool {
        false
    }
}
