//! Relay's `Node` interface and `node(id:)`: any record can be fetched by its global id alone.

use async_graphql::{Context, ID, Interface, Object};
use gazette_domain::ids::{
    AwardDecisionId, DirectiveId, HoldingId, MeetingId, OrganizationId, PersonId, PostId, SourceId,
    TaskId,
};

use super::awards::AwardDecisionObject;
use super::error::ApiResult;
use super::ids::decode;
use super::loaders::one;
use super::meetings::{DirectiveObject, MeetingObject};
use super::organizations::{HoldingObject, OrganizationObject, PostObject};
use super::people::PersonObject;
use super::sources::SourceObject;
use super::tasks::TaskObject;

/// A record with a global id.
#[derive(Interface)]
#[expect(
    clippy::large_enum_variant,
    reason = "a node lives only while its field resolves"
)]
#[graphql(field(name = "id", ty = "ID", desc = "The global id."))]
pub enum Node {
    /// A person.
    Person(PersonObject),
    /// An organization.
    Organization(OrganizationObject),
    /// A post.
    Post(PostObject),
    /// A holding.
    Holding(HoldingObject),
    /// A meeting.
    Meeting(MeetingObject),
    /// A directive.
    Directive(DirectiveObject),
    /// A task.
    Task(TaskObject),
    /// An award decision.
    AwardDecision(AwardDecisionObject),
    /// A source.
    Source(SourceObject),
}

/// The `node` query.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// The record with this global id, whatever its type; null when it does not exist.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Node>> {
        load(ctx, &id).await
    }

    /// The records with these global ids, in order; null for each that does not exist.
    async fn nodes(&self, ctx: &Context<'_>, ids: Vec<ID>) -> ApiResult<Vec<Option<Node>>> {
        if ids.len() > 100 {
            return Err(super::error::api_error(
                super::error::Code::BadUserInput,
                format!("`nodes` takes at most 100 ids; {} were given", ids.len()),
            ));
        }
        let mut found = Vec::with_capacity(ids.len());
        for id in &ids {
            found.push(load(ctx, id).await?);
        }
        Ok(found)
    }
}

/// The record behind a global id, through the request's loader.
async fn load(ctx: &Context<'_>, id: &ID) -> ApiResult<Option<Node>> {
    let (type_name, uuid) = decode(id)?;
    Ok(match type_name.as_str() {
        "Person" => one(ctx, PersonId::from_uuid(uuid))
            .await?
            .map(|v| Node::Person(PersonObject(v))),
        "Organization" => one(ctx, OrganizationId::from_uuid(uuid))
            .await?
            .map(|v| Node::Organization(OrganizationObject(v))),
        "Post" => one(ctx, PostId::from_uuid(uuid))
            .await?
            .map(|v| Node::Post(PostObject(v))),
        "Holding" => one(ctx, HoldingId::from_uuid(uuid))
            .await?
            .map(|v| Node::Holding(HoldingObject(v))),
        "Meeting" => one(ctx, MeetingId::from_uuid(uuid))
            .await?
            .map(|v| Node::Meeting(MeetingObject(v))),
        "Directive" => one(ctx, DirectiveId::from_uuid(uuid))
            .await?
            .map(|v| Node::Directive(DirectiveObject(v))),
        "Task" => one(ctx, TaskId::from_uuid(uuid))
            .await?
            .map(|v| Node::Task(TaskObject::whole(v))),
        "AwardDecision" => one(ctx, AwardDecisionId::from_uuid(uuid))
            .await?
            .map(|v| Node::AwardDecision(AwardDecisionObject::whole(v))),
        "Source" => one(ctx, SourceId::from_uuid(uuid))
            .await?
            .map(|v| Node::Source(SourceObject(v))),
        _ => None,
    })
}
