//! Tasks, progress reports and statistics in the schema.

use async_graphql::{ID, Object};

use super::ids::global_id;

/// A task (fields are being filled in).
#[derive(Clone)]
pub struct TaskObject(pub gazette_domain::task::Task);

/// Task.
#[Object(name = "Task")]
impl TaskObject {
    /// The global id.
    async fn id(&self) -> ID {
        global_id("Task", self.0.id().as_uuid())
    }
}

/// A progressreport (fields are being filled in).
#[derive(Clone)]
pub struct ProgressReportObject(pub gazette_domain::task::ProgressReport);

/// ProgressReport.
#[Object(name = "ProgressReport")]
impl ProgressReportObject {
    /// The global id.
    async fn id(&self) -> ID {
        global_id("ProgressReport", self.0.id().as_uuid())
    }
}

/// Tasks, progress reports and statistics: queries.
#[derive(Default)]
pub struct TasksQuery;

#[Object]
impl TasksQuery {
    /// Holds the place until this area's fields arrive; hidden from the schema.
    #[graphql(visible = false)]
    async fn placeholder_tasks_query(&self) -> bool {
        false
    }
}

/// Tasks, progress reports and statistics: mutations.
#[derive(Default)]
pub struct TasksMutation;

#[Object]
impl TasksMutation {
    /// Holds the place until this area's fields arrive; hidden from the schema.
    #[graphql(visible = false)]
    async fn placeholder_tasks_mutation(&self) -> bool {
        false
    }
}
