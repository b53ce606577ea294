//! API tokens: 256-bit random secrets, shown once, stored only as SHA-256 hashes, compared in
//! constant time, never logged.
//!
//! A token reads `gzt_<id>_<secret>`: the id (32 hex digits) finds the stored record, the secret
//! (43 base64url characters, 256 bits) is hashed and compared with the stored hash.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gazette_storage::tokens::Role;
use gazette_storage::{Actor, Database, StorageError};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::schema::context::Principal;

const PREFIX: &str = "gzt_";

/// Why a presented token was refused. The message never contains the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// The `Authorization` header is not `Bearer gzt_...`.
    #[error("the Authorization header must be `Bearer <token>` with a Gazette token")]
    Malformed,
    /// No such token, a wrong secret, or a revoked token (deliberately not told apart).
    #[error("the token is unknown or revoked")]
    Invalid,
    /// The database could not be asked.
    #[error("the token could not be checked")]
    Storage(StorageError),
}

/// A newly made token: the text to hand over once, and what is stored.
pub struct NewToken {
    /// The token's id.
    pub id: Uuid,
    /// The full token text (shown once, never stored).
    pub text: String,
    /// The SHA-256 of the secret, hex.
    pub secret_hash: String,
}

fn hash_hex(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Makes a token from 256 bits of the operating system's randomness.
pub fn generate() -> anyhow::Result<NewToken> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|error| anyhow::anyhow!("no randomness for a token: {error}"))?;
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    let id = Uuid::now_v7();
    Ok(NewToken {
        text: format!("{PREFIX}{}_{secret}", id.simple()),
        secret_hash: hash_hex(&secret),
        id,
    })
}

/// Creates and stores a token, returning the record and the text to show once.
pub async fn create(
    db: &Database,
    actor: &Actor,
    name: &str,
    role: Role,
) -> anyhow::Result<(gazette_storage::tokens::TokenRecord, String)> {
    let token = generate()?;
    let record = db
        .create_token(actor, token.id, name, role, &token.secret_hash)
        .await?;
    Ok((record, token.text))
}

/// Compares two byte strings in time that depends only on their length.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Splits `gzt_<id>_<secret>` into its id and secret.
fn parse(text: &str) -> Result<(Uuid, &str), TokenError> {
    let rest = text.strip_prefix(PREFIX).ok_or(TokenError::Malformed)?;
    let (id, secret) = rest.split_once('_').ok_or(TokenError::Malformed)?;
    if id.len() != 32 || secret.len() != 43 {
        return Err(TokenError::Malformed);
    }
    let id = Uuid::parse_str(id).map_err(|_| TokenError::Malformed)?;
    Ok((id, secret))
}

/// Checks a token from an `Authorization` header value; revocation takes effect on the next
/// request because every request asks the database.
pub async fn verify(db: &Database, header: &str) -> Result<Principal, TokenError> {
    let text = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .ok_or(TokenError::Malformed)?
        .trim();
    let (id, secret) = parse(text)?;
    let record = db
        .token(id)
        .await
        .map_err(TokenError::Storage)?
        .ok_or(TokenError::Invalid)?;
    let presented = hash_hex(secret);
    if !constant_time_eq(presented.as_bytes(), record.secret_hash.as_bytes())
        || record.revoked_at.is_some()
    {
        return Err(TokenError::Invalid);
    }
    Ok(Principal {
        token_id: record.id,
        name: record.name,
        role: record.role,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_parse_back_to_their_id_and_secret() {
        let token = generate().unwrap();
        let (id, secret) = parse(&token.text).unwrap();
        assert_eq!(id, token.id);
        assert_eq!(hash_hex(secret), token.secret_hash);
        assert_eq!(
            URL_SAFE_NO_PAD.decode(secret).unwrap().len(),
            32,
            "256 bits"
        );
        assert_ne!(generate().unwrap().text, token.text);
    }

    #[test]
    fn malformed_tokens_are_refused_before_any_lookup() {
        for bad in [
            "",
            "gzt_",
            "gzt_abc_def",
            "Bearer x",
            "gzt_00000000000000000000000000000000_short",
        ] {
            assert_eq!(parse(bad).unwrap_err(), TokenError::Malformed, "{bad:?}");
        }
    }

    #[test]
    fn comparison_needs_every_byte_equal() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
