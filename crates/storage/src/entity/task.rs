//! Tasks.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "task")]
#[allow(missing_docs, reason = "one field per column")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub directive_id: Uuid,
    pub position: i32,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub lead_id: Option<Uuid>,
    pub assigned_on: Date,
    pub deadline: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub lifecycle: String,
    pub closed_on: Option<Date>,
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
            directive_id: columns.required()?,
            position: columns.required()?,
            text: columns.required()?,
            lead_id: columns.optional()?,
            assigned_on: columns.required()?,
            deadline: columns.optional()?,
            lifecycle: columns.required()?,
            closed_on: columns.optional()?,
            created_at: columns.required()?,
            updated_at: columns.required()?,
        })
    }
}
