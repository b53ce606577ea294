//! Organizations.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organization")]
#[allow(missing_docs, reason = "one field per column")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub name_fold: String,
    #[sea_orm(column_type = "Text")]
    pub abbreviation: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub classification: String,
    #[sea_orm(column_type = "Text")]
    pub level: Option<String>,
    pub parent_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub life_start: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub life_end: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub other_names: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// No relations are declared: the repositories join by hand, batched.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
