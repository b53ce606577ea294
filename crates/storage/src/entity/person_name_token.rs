//! Words of people's folded names, for search.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "person_name_token")]
#[allow(missing_docs, reason = "one field per column")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub token: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: Uuid,
    /// The person's sort key (`person.sort_key`), so a word's bearers are indexed in list order.
    #[sea_orm(column_type = "Text")]
    pub sort_key: String,
}

/// No relations are declared: the repositories join by hand, batched.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
