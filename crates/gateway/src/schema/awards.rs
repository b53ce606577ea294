//! Award decisions in the schema.

use async_graphql::{ID, Object};

use super::ids::global_id;

/// A awarddecision (fields are being filled in).
#[derive(Clone)]
pub struct AwardDecisionObject(pub gazette_domain::award::AwardDecision);

/// AwardDecision.
#[Object(name = "AwardDecision")]
impl AwardDecisionObject {
    /// The global id.
    async fn id(&self) -> ID {
        global_id("AwardDecision", self.0.id().as_uuid())
    }
}

/// Award decisions: queries.
#[derive(Default)]
pub struct AwardsQuery;

#[Object]
impl AwardsQuery {
    /// Holds the place until this area's fields arrive; hidden from the schema.
    #[graphql(visible = false)]
    async fn placeholder_awards_query(&self) -> bool {
        false
    }
}

/// Award decisions: mutations.
#[derive(Default)]
pub struct AwardsMutation;

#[Object]
impl AwardsMutation {
    /// Holds the place until this area's fields arrive; hidden from the schema.
    #[graphql(visible = false)]
    async fn placeholder_awards_mutation(&self) -> bool {
        false
    }
}
