//! Assignees of tasks: lead, co-operating units and addressees.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "task_assignee")]
#[allow(missing_docs, reason = "one field per column")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub task_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub role: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub organization_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub group_name: Option<String>,
}

/// No relations are declared: the repositories join by hand, batched.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
