//! Holdings of posts.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "holding")]
#[allow(missing_docs, reason = "one field per column")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub person_id: Uuid,
    pub post_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub start_date: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub end_date: Option<String>,
    pub active_from: Option<Date>,
    pub active_to: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub term: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub document: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub end_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// No relations are declared: the repositories join by hand, batched.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
