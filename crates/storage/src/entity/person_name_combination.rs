//! Pairs and triples of a person's name tokens, for name searches of two or three words.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "person_name_combination")]
#[allow(missing_docs, reason = "one field per column")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: Uuid,
    /// The least of the tokens in binary order; empty, with the other two, in the one row of a
    /// person with too many tokens to combine (see `people::combination_rows`).
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub first: String,
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub second: String,
    /// Empty for a pair.
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub third: String,
    /// The person's sort key (`person.sort_key`), so the bearers of a combination are indexed
    /// in list order.
    #[sea_orm(column_type = "Text")]
    pub sort_key: String,
}

/// No relations are declared: the repositories join by hand, batched.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
