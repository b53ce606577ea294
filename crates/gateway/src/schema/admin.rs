//! The audit log and API tokens in the schema, for admins only: every field here asks for an
//! admin token before it reads or writes anything.

use async_graphql::connection::Connection;
use async_graphql::{Context, Enum, ID, InputObject, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use gazette_storage::tokens::TokenRecord;
use gazette_storage::{AuditEntry, AuditFilter};
use uuid::Uuid;

use super::connection::{connection, page_cost, page_request};
use super::context::{admin, database};
use super::error::{ApiResult, Code, StorageResultExt, api_error, bad_input};
use super::ids::{decode, expect, global_id};

/// What a token may do; each role may do what the ones before it may.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "gazette_storage::tokens::Role")]
pub enum Role {
    /// Read (when reads require a token).
    Reader,
    /// Read and write records.
    Editor,
    /// Everything, including tokens and the audit log.
    Admin,
}

/// The audit log's kind of record behind each global id type, where they differ in spelling.
const AUDIT_KINDS: [(&str, &str); 12] = [
    ("Person", "person"),
    ("Organization", "organization"),
    ("Post", "post"),
    ("Holding", "holding"),
    ("Meeting", "meeting"),
    ("Directive", "directive"),
    ("Task", "task"),
    ("ProgressReport", "progress report"),
    ("AwardDecision", "award_decision"),
    ("Source", "source"),
    ("Citation", "citation"),
    ("Token", "api_token"),
];

fn audit_kind_of(type_name: &str) -> Option<&'static str> {
    AUDIT_KINDS
        .iter()
        .find(|(name, _)| *name == type_name)
        .map(|(_, kind)| *kind)
}

fn type_name_of(audit_kind: &str) -> Option<&'static str> {
    AUDIT_KINDS
        .iter()
        .find(|(_, kind)| *kind == audit_kind)
        .map(|(name, _)| *name)
}

/// An audit entry.
pub struct AuditEntryObject(pub AuditEntry);

/// One entry of the audit log: who did what to which record, and when.
#[Object(name = "AuditEntry")]
impl AuditEntryObject {
    /// Its place in the log (entries are numbered in the order they were written).
    async fn seq(&self) -> i64 {
        self.0.seq
    }

    /// When.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }

    /// Who: the token's role and name ("editor:Văn phòng UBND"), or a system process.
    async fn actor(&self) -> &str {
        &self.0.actor
    }

    /// What ("create", "update", "transition", "revoke", "cite", "create_token", ...).
    async fn operation(&self) -> &str {
        &self.0.operation
    }

    /// The kind of record as the log stores it ("task", "award_decision", "api_token").
    async fn entity_kind(&self) -> &str {
        &self.0.entity_kind
    }

    /// The record's UUID.
    async fn entity_uuid(&self) -> String {
        self.0.entity_id.to_string()
    }

    /// The record's global id, when its kind has a GraphQL type.
    async fn entity_id(&self) -> Option<ID> {
        type_name_of(&self.0.entity_kind).map(|name| global_id(name, self.0.entity_id))
    }

    /// What changed: the record after the write, or the change itself.
    async fn summary(&self) -> Json<serde_json::Value> {
        Json(self.0.summary.clone())
    }
}

/// An API token.
pub struct TokenObject(pub TokenRecord);

/// An API token as stored: never its secret.
#[Object(name = "Token")]
impl TokenObject {
    /// The global id.
    async fn id(&self) -> ID {
        global_id("Token", self.0.id)
    }

    /// A name saying whose it is ("Văn phòng UBND").
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// What it may do.
    async fn role(&self) -> Role {
        self.0.role.into()
    }

    /// When it was made.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When it was revoked; null while it works.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
}

/// Input of `createToken`.
#[derive(InputObject)]
pub struct CreateTokenInput {
    /// A name saying whose it is (1 to 200 characters).
    pub name: String,
    /// What it may do.
    pub role: Role,
}

/// Input of `revokeToken`.
#[derive(InputObject)]
pub struct RevokeTokenInput {
    /// The token to revoke.
    pub id: ID,
}

/// Result of `createToken`.
#[derive(SimpleObject)]
pub struct CreateTokenPayload {
    /// The token as stored.
    pub token: TokenObject,
    /// The token text to send as `Authorization: Bearer <secret>`. It is shown this once and
    /// never stored: keep it now.
    pub secret: String,
}

/// Result of `revokeToken`.
#[derive(SimpleObject)]
pub struct TokenPayload {
    /// The token as stored, now revoked.
    pub token: TokenObject,
}

/// The record an audit query names: a global id, or a UUID with `entityKind`.
fn audited_entity(entity_kind: Option<&str>, entity_id: &ID) -> ApiResult<(String, Uuid)> {
    if let Ok((type_name, uuid)) = decode(entity_id) {
        let kind = audit_kind_of(&type_name).ok_or_else(|| {
            bad_input(
                "entityId",
                format!("a {type_name} has no entries in the audit log"),
            )
        })?;
        if let Some(given) = entity_kind
            && given != kind
        {
            return Err(bad_input(
                "entityKind",
                format!("{given:?} does not match the id's kind {kind:?}"),
            ));
        }
        return Ok((kind.to_owned(), uuid));
    }
    let uuid = Uuid::parse_str(entity_id.as_str())
        .map_err(|_| bad_input("entityId", "expected a Gazette id or a UUID"))?;
    let kind = entity_kind
        .ok_or_else(|| bad_input("entityKind", "a bare UUID needs the kind of record too"))?;
    Ok((kind.to_owned(), uuid))
}

/// Audit log and token queries (admin only).
#[derive(Default)]
pub struct AdminQuery;

#[Object]
impl AdminQuery {
    /// The audit log, oldest first (admin only). `entityId` (a global id, or a UUID with
    /// `entityKind`) keeps one record's history; `entityKind` alone keeps a kind ("task");
    /// `actor` one token's writes ("editor:Văn phòng UBND"); `from` and `to` a time window
    /// (from inclusive, to exclusive).
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(
        clippy::too_many_arguments,
        reason = "a Relay connection field with its filters"
    )]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        entity_kind: Option<String>,
        entity_id: Option<ID>,
        actor: Option<String>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Connection<String, AuditEntryObject>> {
        admin(ctx)?;
        let entity = entity_id
            .as_ref()
            .map(|id| audited_entity(entity_kind.as_deref(), id))
            .transpose()?;
        let filter = AuditFilter {
            entity_kind: if entity.is_some() { None } else { entity_kind },
            entity,
            actor,
            from,
            to,
        };
        let page = database(ctx)?
            .audit_log(&filter, &page_request(first, after, last, before)?)
            .await
            .api()?;
        Ok(connection(page, AuditEntryObject))
    }

    /// Every API token, oldest first, revoked ones included (admin only); never their secrets.
    async fn tokens(&self, ctx: &Context<'_>) -> ApiResult<Vec<TokenObject>> {
        admin(ctx)?;
        Ok(database(ctx)?
            .tokens()
            .await
            .api()?
            .into_iter()
            .map(TokenObject)
            .collect())
    }
}

/// Token mutations (admin only).
#[derive(Default)]
pub struct AdminMutation;

#[Object]
impl AdminMutation {
    /// Makes a new API token (admin only) and returns its text this once; only its hash is
    /// stored. It works from the next request on.
    async fn create_token(
        &self,
        ctx: &Context<'_>,
        input: CreateTokenInput,
    ) -> ApiResult<CreateTokenPayload> {
        let actor = admin(ctx)?;
        let token = crate::auth::generate().map_err(|error| {
            tracing::error!(%error, "cannot make a token");
            api_error(Code::Internal, "internal error")
        })?;
        let record = database(ctx)?
            .create_token(
                &actor,
                token.id,
                &input.name,
                input.role.into(),
                &token.secret_hash,
            )
            .await
            .api()?;
        Ok(CreateTokenPayload {
            token: TokenObject(record),
            secret: token.text,
        })
    }

    /// Revokes an API token (admin only); it stops working on the next request. Revoking a
    /// revoked token changes nothing.
    async fn revoke_token(
        &self,
        ctx: &Context<'_>,
        input: RevokeTokenInput,
    ) -> ApiResult<TokenPayload> {
        let actor = admin(ctx)?;
        let id = expect(&input.id, "Token")?;
        let record = database(ctx)?.revoke_token(&actor, id).await.api()?;
        Ok(TokenPayload {
            token: TokenObject(record),
        })
    }
}
