//! Sources and citations in the schema.

use async_graphql::{ID, Object};

use super::ids::global_id;

/// A source (fields are being filled in).
#[derive(Clone)]
pub struct SourceObject(pub gazette_domain::source::Source);

/// Source.
#[Object(name = "Source")]
impl SourceObject {
    /// The global id.
    async fn id(&self) -> ID {
        global_id("Source", self.0.id().as_uuid())
    }
}

/// A citation (fields are being filled in).
#[derive(Clone)]
pub struct CitationObject(pub gazette_domain::source::Citation);

/// Citation.
#[Object(name = "Citation")]
impl CitationObject {
    /// The global id.
    async fn id(&self) -> ID {
        global_id("Citation", self.0.id().as_uuid())
    }
}

/// Sources and citations: queries.
#[derive(Default)]
pub struct SourcesQuery;

#[Object]
impl SourcesQuery {
    /// Holds the place until this area's fields arrive; hidden from the schema.
    #[graphql(visible = false)]
    async fn placeholder_sources_query(&self) -> bool {
        false
    }
}

/// Sources and citations: mutations.
#[derive(Default)]
pub struct SourcesMutation;

#[Object]
impl SourcesMutation {
    /// Holds the place until this area's fields arrive; hidden from the schema.
    #[graphql(visible = false)]
    async fn placeholder_sources_mutation(&self) -> bool {
        false
    }
}
