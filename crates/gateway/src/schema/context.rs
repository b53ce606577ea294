//! What every resolver may reach: the database, the caller, the request id and the per-request
//! loader.

use async_graphql::Context;
use gazette_storage::tokens::Role;
use gazette_storage::{Actor, Database};

use super::error::{ApiResult, Code, api_error};
use super::loaders::RequestLoader;

/// Who is calling: the token's name and role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The token's id.
    pub token_id: uuid::Uuid,
    /// The token's name.
    pub name: String,
    /// The token's role.
    pub role: Role,
}

/// Per-request data put in the GraphQL request.
#[derive(Debug, Clone)]
pub struct RequestContext {
    /// The caller, when a valid token was given.
    pub principal: Option<Principal>,
    /// The request's id, given to the client and written in the log.
    pub request_id: String,
}

/// The database handle.
pub fn database<'a>(ctx: &Context<'a>) -> ApiResult<&'a Database> {
    ctx.data::<Database>()
        .map_err(|_| api_error(Code::Internal, "the schema was built without a database"))
}

/// The event bus, to publish a write's event after it committed.
pub fn events<'a>(ctx: &Context<'a>) -> ApiResult<&'a crate::events::EventBus> {
    ctx.data::<crate::events::EventBus>()
        .map_err(|_| api_error(Code::Internal, "the schema was built without an event bus"))
}

/// The per-request loader.
pub fn loader<'a>(ctx: &Context<'a>) -> ApiResult<&'a RequestLoader> {
    ctx.data::<RequestLoader>()
        .map_err(|_| api_error(Code::Internal, "the request was made without a loader"))
}

fn request<'a>(ctx: &Context<'a>) -> Option<&'a RequestContext> {
    ctx.data_opt::<RequestContext>()
}

/// Requires a token of at least `role`; answers UNAUTHENTICATED without one and FORBIDDEN when
/// the role is too low.
pub fn require(ctx: &Context<'_>, role: Role) -> ApiResult<Principal> {
    match request(ctx).and_then(|r| r.principal.clone()) {
        None => Err(api_error(
            Code::Unauthenticated,
            format!(
                "this needs a token with the {} role: send `Authorization: Bearer <token>`",
                role.code()
            ),
        )),
        Some(principal) if principal.role >= role => Ok(principal),
        Some(principal) => Err(api_error(
            Code::Forbidden,
            format!(
                "this needs the {} role; the token {:?} has the {} role",
                role.code(),
                principal.name,
                principal.role.code()
            ),
        )),
    }
}

/// Requires an editor (or admin) token and returns the actor its writes are recorded under.
pub fn editor(ctx: &Context<'_>) -> ApiResult<Actor> {
    actor_of(&require(ctx, Role::Editor)?)
}

/// Requires an admin token and returns its actor.
pub fn admin(ctx: &Context<'_>) -> ApiResult<Actor> {
    actor_of(&require(ctx, Role::Admin)?)
}

fn actor_of(principal: &Principal) -> ApiResult<Actor> {
    Actor::new(&format!("{}:{}", principal.role.code(), principal.name))
        .map_err(|error| api_error(Code::Internal, error.to_string()))
}
