//! The audit log.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
#[allow(missing_docs, reason = "one field per column")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    pub at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub actor: String,
    #[sea_orm(column_type = "Text")]
    pub operation: String,
    #[sea_orm(column_type = "Text")]
    pub entity_kind: String,
    pub entity_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    /// The hash of the entry before this one; `None` for the chain's first entry and for the
    /// entries written before the chain existed.
    #[sea_orm(column_type = "Text", nullable)]
    pub prev_hash: Option<String>,
    /// This entry's hash (see `crate::audit`); `None` only for entries written before the chain
    /// existed.
    #[sea_orm(column_type = "Text", nullable)]
    pub hash: Option<String>,
}

/// No relations are declared: the repositories join by hand, batched.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
