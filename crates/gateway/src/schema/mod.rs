//! The GraphQL schema: types for every domain entity, queries for every read the storage layer
//! offers, mutations for every write, with Relay ids and connections, batched loaders for every
//! relation, and limits on what one request may cost.

pub mod admin;
pub mod awards;
pub mod connection;
pub mod context;
pub mod documents;
pub mod error;
pub mod ids;
pub mod ingest;
pub mod limits;
pub mod loaders;
pub mod meetings;
pub mod node;
pub mod order;
pub mod organizations;
pub mod people;
pub mod scalars;
pub mod search;
pub mod sources;
pub mod subscription;
pub mod tasks;

use async_graphql::{MergedObject, Object, Schema};
use gazette_storage::Database;

/// Limits on what one request may ask, all configurable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryLimits {
    /// How deeply fields may nest.
    pub max_depth: usize,
    /// The largest total cost (list sizes multiply).
    pub max_complexity: usize,
    /// The most aliases in one document.
    pub max_aliases: usize,
    /// The most fields selected at the root of one operation.
    pub max_root_fields: usize,
}

impl Default for QueryLimits {
    fn default() -> Self {
        Self {
            max_depth: 12,
            max_complexity: 20_000,
            max_aliases: 30,
            max_root_fields: 20,
        }
    }
}

/// About the service itself.
#[derive(Default)]
pub struct MetaQuery;

#[Object]
impl MetaQuery {
    /// The version of Gazette answering.
    async fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }
}

/// Every query.
#[derive(MergedObject, Default)]
pub struct Query(
    MetaQuery,
    node::NodeQuery,
    people::PeopleQuery,
    organizations::OrganizationsQuery,
    meetings::MeetingsQuery,
    tasks::TasksQuery,
    awards::AwardsQuery,
    sources::SourcesQuery,
    search::SearchQuery,
    admin::AdminQuery,
);

/// Every mutation.
#[derive(MergedObject, Default)]
pub struct Mutation(
    people::PeopleMutation,
    organizations::OrganizationsMutation,
    meetings::MeetingsMutation,
    tasks::TasksMutation,
    awards::AwardsMutation,
    sources::SourcesMutation,
    ingest::IngestMutation,
    admin::AdminMutation,
);

/// The schema's type.
pub type GazetteSchema = Schema<Query, Mutation, subscription::Subscription>;

/// Builds the schema over `db` with `limits`.
#[must_use]
pub fn build(db: Database, limits: QueryLimits) -> GazetteSchema {
    Schema::build(
        Query::default(),
        Mutation::default(),
        subscription::Subscription,
    )
    .data(crate::events::EventBus::start(db.clone()))
    .data(db)
    .limit_complexity(limits.max_complexity)
    .limit_recursive_depth(64)
    .limit_directives(10)
    .extension(limits::DocumentLimits {
        max_depth: limits.max_depth,
        max_aliases: limits.max_aliases,
        max_root_fields: limits.max_root_fields,
    })
    .finish()
}

/// The schema's SDL, as committed in `docs/schema.graphql`.
#[must_use]
pub fn sdl() -> String {
    Schema::build(
        Query::default(),
        Mutation::default(),
        subscription::Subscription,
    )
    .finish()
    .sdl()
}
