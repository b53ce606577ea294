//! Meetings.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting")]
#[allow(missing_docs, reason = "one field per column")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub title_fold: String,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    pub organizer_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub held_at: String,
    pub held_from: Date,
    pub held_to: Date,
    #[sea_orm(column_type = "Text")]
    pub location: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub agenda: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// No relations are declared: the repositories join by hand, batched.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
