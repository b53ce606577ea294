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

/// The schema as served, over HTTP and WebSocket alike: async-graphql's schema, and the
/// document limits ([`limits`]) checked on each request before async-graphql runs it. A request
/// that fails them gets a response with the error and nothing else (no field runs).
#[derive(Clone)]
pub struct GazetteSchema {
    schema: Schema<Query, Mutation, subscription::Subscription>,
    /// The same schema with async-graphql's fast validation, for a request whose document has
    /// passed the full one and whose variables are plain ([`documents`]).
    prevalidated: Schema<Query, Mutation, subscription::Subscription>,
    limits: limits::DocumentLimits,
}

impl GazetteSchema {
    /// `request`, parsed (unless it was already) and checked against the document limits;
    /// the error when it fails them. A document that does not parse is left to async-graphql,
    /// which refuses it with the parse error.
    fn checked(
        &self,
        mut request: async_graphql::Request,
    ) -> Result<async_graphql::Request, async_graphql::ServerError> {
        // Taken out while the parsed document borrows the request, then put back.
        let operation_name = request.operation_name.take();
        let variables = std::mem::take(&mut request.variables);
        let outcome = match request.parsed_query() {
            Ok(document) => {
                self.limits
                    .check_request(document, operation_name.as_deref(), &variables)
            }
            Err(_) => Ok(()),
        };
        request.operation_name = operation_name;
        request.variables = variables;
        outcome.map(|()| request)
    }
}

impl async_graphql::Executor for GazetteSchema {
    async fn execute(&self, request: async_graphql::Request) -> async_graphql::Response {
        let request = match self.checked(request) {
            Ok(request) => request,
            Err(error) => return async_graphql::Response::from_errors(vec![error]),
        };
        // The document the server parsed for this request (the same the request carries),
        // when it is a kept one.
        let document = request
            .data
            .get(&std::any::TypeId::of::<documents::RequestDocument>())
            .and_then(|data| data.downcast_ref::<documents::RequestDocument>())
            .map(|data| std::sync::Arc::clone(&data.0));
        let Some(document) = document else {
            return self.schema.execute(request).await;
        };
        if document.validated()
            && documents::plain_variables(
                &document,
                request.operation_name.as_deref(),
                &request.variables,
            )
        {
            return self.prevalidated.execute(request).await;
        }
        let response = self.schema.execute(request).await;
        if response.errors.is_empty() {
            document.mark_validated();
        }
        response
    }

    fn execute_stream(
        &self,
        request: async_graphql::Request,
        session_data: Option<std::sync::Arc<async_graphql::Data>>,
    ) -> futures_util::stream::BoxStream<'static, async_graphql::Response> {
        use futures_util::StreamExt;
        match self.checked(request) {
            Ok(request) => {
                async_graphql::Executor::execute_stream(&self.schema, request, session_data)
            }
            Err(error) => futures_util::stream::once(async move {
                async_graphql::Response::from_errors(vec![error])
            })
            .boxed(),
        }
    }
}

/// Builds the schema over `db` with `limits`.
#[must_use]
pub fn build(db: Database, limits: QueryLimits) -> GazetteSchema {
    let events = crate::events::EventBus::start(db.clone());
    let schema = |validation| {
        Schema::build(
            Query::default(),
            Mutation::default(),
            subscription::Subscription,
        )
        .data(events.clone())
        .data(db.clone())
        .limit_complexity(limits.max_complexity)
        .limit_recursive_depth(64)
        .limit_directives(10)
        .validation_mode(validation)
        .finish()
    };
    GazetteSchema {
        schema: schema(async_graphql::ValidationMode::Strict),
        prevalidated: schema(async_graphql::ValidationMode::Fast),
        limits: limits::DocumentLimits {
            max_depth: limits.max_depth,
            max_aliases: limits.max_aliases,
            max_root_fields: limits.max_root_fields,
        },
    }
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
