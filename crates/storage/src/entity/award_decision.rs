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

impl crate::convert::FromColumns for Model {
    fn from_columns(
        columns: &mut crate::convert::Columns<'_>,
    ) -> Result<Self, crate::error::StorageError> {
        Ok(Self {
            id: columns.required()?,
            number: columns.optional()?,
            number_key: columns.optional()?,
            signed_on: columns.optional()?,
            year: columns.optional()?,
            authority_id: columns.required()?,
            signer_id: columns.optional()?,
            signer_capacity: columns.optional()?,
            form_kind: columns.required()?,
            form: columns.required()?,
            achievement_reason: columns.optional()?,
            achievement_field: columns.optional()?,
            achievement_field_fold: columns.optional()?,
            achievement_first_year: columns.optional()?,
            achievement_last_year: columns.optional()?,
            status: columns.required()?,
            revoked_on: columns.optional()?,
            revocation_reason: columns.optional()?,
            revocation_document: columns.optional()?,
            created_at: columns.required()?,
            updated_at: columns.required()?,
        })
    }
}
