//! Award decisions.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "award_decision")]
#[allow(missing_docs, reason = "one field per column")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub number: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub number_key: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub signed_on: Option<String>,
    pub year: Option<i32>,
    pub authority_id: Uuid,
    pub signer_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub signer_capacity: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub form_kind: String,
    #[sea_orm(column_type = "Text")]
    pub form: String,
    #[sea_orm(column_type = "Text")]
    pub achievement_reason: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub achievement_field: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub achievement_field_fold: Option<String>,
    pub achievement_first_year: Option<i32>,
    pub achievement_last_year: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub revoked_on: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub revocation_reason: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub revocation_document: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// No relations are declared: the repositories join by hand, batched.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
