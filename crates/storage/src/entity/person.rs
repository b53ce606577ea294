//! People.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "person")]
#[allow(missing_docs, reason = "one field per column")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub full_name: String,
    #[sea_orm(column_type = "Text")]
    pub name_fold: String,
    #[sea_orm(column_type = "Text")]
    pub sort_key: String,
    #[sea_orm(column_type = "Text")]
    pub sort_override: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub gender: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub birth_date: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub death_date: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub other_names: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// No relations are declared: the repositories join by hand, batched.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
