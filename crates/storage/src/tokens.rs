//! API tokens: the records behind the gateway's authentication. The gateway makes the secret
//! and hashes it; this crate only ever sees and stores the hash.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, Set};
use uuid::Uuid;

use crate::Database;
use crate::audit::{self, Actor};
use crate::convert::now;
use crate::entity::api_token;
use crate::error::StorageError;

const KIND: &str = "api_token";

/// What a token may do; each role may do what the ones before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Read (when reads require a token).
    Reader,
    /// Read and write records.
    Editor,
    /// Everything, including tokens and the audit log.
    Admin,
}

impl Role {
    /// The stable code used in storage, the command line and the API.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Reader => "reader",
            Self::Editor => "editor",
            Self::Admin => "admin",
        }
    }

    /// The role with this code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Reader, Self::Editor, Self::Admin]
            .into_iter()
            .find(|r| r.code() == code)
    }
}

/// A token as stored: never the secret, only its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    /// The token's public id (part of the token text).
    pub id: Uuid,
    /// A name saying whose it is ("Văn phòng UBND", "frontend CI").
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// The SHA-256 of the secret, in lowercase hexadecimal.
    pub secret_hash: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

fn from_row(row: api_token::Model) -> Result<TokenRecord, StorageError> {
    Ok(TokenRecord {
        role: Role::from_code(&row.role)
            .ok_or_else(|| StorageError::corrupt(KIND, row.id, "unknown role"))?,
        id: row.id,
        name: row.name,
        secret_hash: row.secret_hash,
        created_at: row.created_at,
        revoked_at: row.revoked_at,
    })
}

impl Database {
    /// Stores a new token (its hash).
    pub async fn create_token(
        &self,
        actor: &Actor,
        id: Uuid,
        name: &str,
        role: Role,
        secret_hash: &str,
    ) -> Result<TokenRecord, StorageError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
            return Err(StorageError::InvalidInput(
                "a token's name is 1 to 200 printable characters".to_owned(),
            ));
        }
        let transaction = self.begin_write().await?;
        let row = api_token::ActiveModel {
            id: Set(id),
            name: Set(name.to_owned()),
            role: Set(role.code().to_owned()),
            secret_hash: Set(secret_hash.to_owned()),
            created_at: Set(now()),
            revoked_at: Set(None),
        };
        api_token::Entity::insert(row.clone())
            .exec_without_returning(&transaction)
            .await?;
        audit::record(
            &transaction,
            actor,
            "create_token",
            KIND,
            id,
            &serde_json::json!({ "name": name, "role": role.code() }),
        )
        .await?;
        transaction.commit().await?;
        self.token(id)
            .await?
            .ok_or_else(|| StorageError::internal("token vanished after creation"))
    }

    /// The token with this id, revoked or not.
    pub async fn token(&self, id: Uuid) -> Result<Option<TokenRecord>, StorageError> {
        api_token::Entity::find_by_id(id)
            .one(self.reader())
            .await?
            .map(from_row)
            .transpose()
    }

    /// Every token, oldest first.
    pub async fn tokens(&self) -> Result<Vec<TokenRecord>, StorageError> {
        api_token::Entity::find()
            .order_by_asc(api_token::Column::CreatedAt)
            .order_by_asc(api_token::Column::Id)
            .all(self.reader())
            .await?
            .into_iter()
            .map(from_row)
            .collect()
    }

    /// Revokes a token; it stops working on the next request.
    pub async fn revoke_token(&self, actor: &Actor, id: Uuid) -> Result<TokenRecord, StorageError> {
        let transaction = self.begin_write().await?;
        let row = self
            .for_update(api_token::Entity::find_by_id(id))
            .one(&transaction)
            .await?
            .ok_or_else(|| StorageError::NotFound {
                kind: "token",
                id: id.to_string(),
            })?;
        if row.revoked_at.is_none() {
            let mut active: api_token::ActiveModel = row.into();
            active.revoked_at = Set(Some(now()));
            active.update(&transaction).await?;
            audit::record(
                &transaction,
                actor,
                "revoke_token",
                KIND,
                id,
                &serde_json::json!({}),
            )
            .await?;
        }
        transaction.commit().await?;
        self.token(id)
            .await?
            .ok_or_else(|| StorageError::internal("token vanished after revocation"))
    }
}
