//! Tasks and progress reports: add, assign, report, move through the lifecycle, list, and
//! per-unit statistics.
//!
//! A task is one `task` row, its assignees in `task_assignee` (the lead, co-operating units and
//! addressees; organizations by id, named groups by name) and its dated lifecycle history in
//! `task_lifecycle_change`. The row also keeps the current state and the closing date, derived
//! from the history by the domain, so that timeliness as of any date and the statistics of
//! Decision 42/2014/QĐ-TTg are computed in SQL on one table, with the same definitions as
//! `gazette_domain::task`.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use gazette_domain::directive::{Assignee, Directive};
use gazette_domain::ids::{DirectiveId, OrganizationId, ProgressReportId, TaskId};
use gazette_domain::organization::Organization;
use gazette_domain::person::Person;
use gazette_domain::task::{
    Lifecycle, LifecycleChange, Percent, ProgressReport, ProgressReportDetails, Task, TaskDetails,
    TaskStatistics, Timeliness,
};
use gazette_domain::text::{Prose, Text};
use sea_orm::sea_query::{
    Alias, Condition, Expr, ExprTrait, Func, JoinType, Query, SelectStatement,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QueryResult, Select, Set,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::Database;
use crate::audit::{self, Actor};
use crate::convert::now;
use crate::convert::{
    ByEngine, EachOnce, ExtraColumns, add_columns, json_aggregate, json_array, json_rows,
    json_single, json_text, json_uuid, json_value, read_extended, uuid_in,
};
use crate::directives::{
    DirectiveColumns, directive_from_columns, directive_json, ensure_directive,
};
use crate::entity::{organization, progress_report, task, task_assignee, task_lifecycle_change};
use crate::error::StorageError;
use crate::keyset::{KeyKind, Keyset};
use crate::meetings::ensure_organizations;
use crate::organizations::{OrganizationColumns, organization_from_json, organization_json};
use crate::page::{Page, PageRequest};
use crate::people::{PersonColumns, person_from_json, person_json};

const KIND: &str = TaskId::KIND;
/// The audit kind of progress reports: snake_case like every other kind (the id type's own kind
/// name, "progress report", is for messages).
const REPORT_KIND: &str = "progress_report";
const LEAD: &str = "lead";
const COOPERATING: &str = "cooperating";
const ADDRESSEE: &str = "addressee";

/// A page of tasks with the records it names, read in the same statement
/// ([`Database::tasks_with_directives`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TasksWithDirectives {
    /// The page.
    pub page: Page<Task>,
    /// The organizations the page's tasks are assigned to, bare, each once.
    pub organizations: Vec<Organization>,
    /// The page's directives, each once, with its issuer (bare; none if the person is gone).
    pub directives: Vec<(Directive, Option<Person>)>,
    /// Read without the history ([`TaskParts`]): each task's state as its row records it,
    /// while the task itself comes with an empty history. Empty when the history was read.
    pub recorded: HashMap<TaskId, RecordedState>,
}

/// Which of a task's parts a page reads besides its row, its lead and the records they name.
/// A page read without the history answers "what state is each task in" from the state its
/// row records (written with every change of the lifecycle); its tasks come with an empty
/// history. A page read without the other assignees reads each task's lead only (one row,
/// joined into the page's statement, instead of a list of every assignee); its tasks come with
/// no co-operating units and no addressees. A reader that needs what was left out reads the
/// task whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskParts {
    /// The lifecycle's history.
    pub history: bool,
    /// The co-operating units and addressees, besides the lead.
    pub assignees: bool,
}

impl TaskParts {
    /// Every part: whole tasks.
    pub const ALL: Self = Self {
        history: true,
        assignees: true,
    };
}

/// A task's current state as its row records it: the lifecycle and, once completed or
/// cancelled, the day it closed (what `Task::lifecycle` and `Task::closed_on` derive from the
/// history).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordedState {
    /// The lifecycle.
    pub lifecycle: Lifecycle,
    /// When it reached its final state, if it has.
    pub closed_on: Option<NaiveDate>,
}

impl RecordedState {
    /// When the task was completed, if it was (as `Task::completed_on`).
    #[must_use]
    pub fn completed_on(&self) -> Option<NaiveDate> {
        self.closed_on
            .filter(|_| self.lifecycle == Lifecycle::Completed)
    }
}

/// Which tasks to list. Every field narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskFilter {
    /// Tasks naming this organization as lead, co-operating unit or addressee (only as lead
    /// with `lead_only`).
    pub assignee: Option<OrganizationId>,
    /// With `assignee`: only the tasks it leads. Ignored without `assignee`.
    pub lead_only: bool,
    /// Tasks in this state now.
    pub lifecycle: Option<Lifecycle>,
    /// Tasks standing so against their deadline on `as_of` (which must then be given); a task
    /// cancelled by then has no timeliness and never matches.
    pub timeliness: Option<Timeliness>,
    /// The day timeliness is judged on.
    pub as_of: Option<NaiveDate>,
    /// Tasks with a deadline on or after this day.
    pub deadline_from: Option<NaiveDate>,
    /// Tasks with a deadline on or before this day.
    pub deadline_to: Option<NaiveDate>,
    /// Tasks assigned by this directive.
    pub directive: Option<DirectiveId>,
}

fn column(column: task::Column) -> Expr {
    Expr::col((task::Entity, column))
}

/// Tasks in their final state `state` by the end of `day`: `closed_on` is the date of the
/// last change, which is the closing one.
fn closed_by(state: Lifecycle, day: NaiveDate) -> Condition {
    Condition::all()
        .add(column(task::Column::Lifecycle).eq(state.code()))
        .add(column(task::Column::ClosedOn).lte(day))
}

/// Tasks still open at the end of `day`: not closed, or closed only later.
fn open_on(day: NaiveDate) -> Condition {
    Condition::any()
        .add(column(task::Column::ClosedOn).is_null())
        .add(column(task::Column::ClosedOn).gt(day))
}

/// Tasks not cancelled by the end of `day`, written without NOT so that a NULL closing date
/// cannot make the test unknown.
fn not_cancelled_by(day: NaiveDate) -> Condition {
    Condition::any()
        .add(column(task::Column::Lifecycle).ne(Lifecycle::Cancelled.code()))
        .add(column(task::Column::ClosedOn).is_null())
        .add(column(task::Column::ClosedOn).gt(day))
}

/// The SQL form of `TaskDetails::timeliness(day) == Some(timeliness)`.
///
/// The domain looks at the state on `day`: since the history's dates never go back and a
/// closed task changes no more, the state on `day` is the final one exactly when `closed_on`
/// is on or before `day`, and an open one otherwise. Completed tasks are judged by their
/// completion date, open ones by `day`; a deadline is met on the deadline itself.
pub(crate) fn timeliness_condition(timeliness: Timeliness, day: NaiveDate) -> Condition {
    let deadline = || column(task::Column::Deadline);
    // A task not yet assigned on the day has no timeliness then.
    let assigned = column(task::Column::AssignedOn).lte(day);
    Condition::all().add(assigned).add(match timeliness {
        Timeliness::NoDeadline => Condition::all()
            .add(deadline().is_null())
            .add(not_cancelled_by(day)),
        Timeliness::OnTime => Condition::all().add(open_on(day)).add(deadline().gte(day)),
        Timeliness::Overdue => Condition::all().add(open_on(day)).add(deadline().lt(day)),
        Timeliness::CompletedOnTime => Condition::all()
            .add(closed_by(Lifecycle::Completed, day))
            .add(column(task::Column::ClosedOn).lte(deadline())),
        Timeliness::CompletedLate => Condition::all()
            .add(closed_by(Lifecycle::Completed, day))
            .add(column(task::Column::ClosedOn).gt(deadline())),
    })
}

pub(crate) fn task_row(task: &Task) -> Result<task::ActiveModel, StorageError> {
    let at = now();
    let position = i32::try_from(task.position).map_err(|_| {
        StorageError::InvalidInput(format!("task position {} is out of range", task.position))
    })?;
    Ok(task::ActiveModel {
        id: Set(task.id().as_uuid()),
        directive_id: Set(task.directive.as_uuid()),
        position: Set(position),
        text: Set(task.text.to_string()),
        lead_id: Set(task
            .lead
            .as_ref()
            .and_then(Assignee::organization)
            .map(|o| o.as_uuid())),
        assigned_on: Set(task.assigned_on),
        deadline: Set(task.deadline),
        lifecycle: Set(task.lifecycle().code().to_owned()),
        closed_on: Set(task.closed_on()),
        created_at: Set(at),
        updated_at: Set(at),
    })
}

pub(crate) fn assignee_rows(task: &Task) -> Vec<task_assignee::ActiveModel> {
    let id = task.id().as_uuid();
    let lead: &[Assignee] = task.lead.as_slice();
    let mut rows = Vec::new();
    for (role, assignees) in [
        (LEAD, lead),
        (COOPERATING, task.cooperating.as_slice()),
        (ADDRESSEE, task.addressees.as_slice()),
    ] {
        for (assignee, position) in assignees.iter().zip(0..) {
            let (organization_id, group_name) = match assignee {
                Assignee::Organization { id } => (Some(id.as_uuid()), None),
                Assignee::Group { name } => (None, Some(name.to_string())),
            };
            rows.push(task_assignee::ActiveModel {
                task_id: Set(id),
                role: Set(role.to_owned()),
                position: Set(position),
                organization_id: Set(organization_id),
                group_name: Set(group_name),
            });
        }
    }
    rows
}

pub(crate) fn change_row(
    task: TaskId,
    position: i32,
    change: &LifecycleChange,
) -> task_lifecycle_change::ActiveModel {
    task_lifecycle_change::ActiveModel {
        task_id: Set(task.as_uuid()),
        position: Set(position),
        to_state: Set(change.to.code().to_owned()),
        changed_on: Set(change.on),
        note: Set(change.note.as_ref().map(ToString::to_string)),
    }
}

fn task_from_rows(
    row: task::Model,
    mut assignees: Vec<task_assignee::Model>,
    mut changes: Vec<task_lifecycle_change::Model>,
) -> Result<Task, StorageError> {
    let id = row.id;
    let corrupt = |problem: String| StorageError::corrupt(KIND, id, problem);
    assignees.sort_by(|a, b| (a.role.as_str(), a.position).cmp(&(b.role.as_str(), b.position)));
    changes.sort_by_key(|c| c.position);
    let mut lead = None;
    let mut cooperating = Vec::new();
    let mut addressees = Vec::new();
    for assignee in assignees {
        let value = match (assignee.organization_id, assignee.group_name.as_deref()) {
            (Some(organization), None) => Assignee::Organization {
                id: OrganizationId::from_uuid(organization),
            },
            (None, Some(name)) => Assignee::Group {
                name: Text::parse(name).map_err(|e| corrupt(e.to_string()))?,
            },
            _ => {
                return Err(corrupt(
                    "an assignee is neither an organization nor a group".to_owned(),
                ));
            }
        };
        match assignee.role.as_str() {
            LEAD => lead = Some(value),
            COOPERATING => cooperating.push(value),
            ADDRESSEE => addressees.push(value),
            other => return Err(corrupt(format!("unknown assignee role {other:?}"))),
        }
    }
    let mut history = Vec::with_capacity(changes.len());
    for change in changes {
        history.push(LifecycleChange {
            to: Lifecycle::from_code(&change.to_state)
                .ok_or_else(|| corrupt(format!("unknown state {:?}", change.to_state)))?,
            on: change.changed_on,
            note: change
                .note
                .as_deref()
                .map(Text::parse)
                .transpose()
                .map_err(|e| corrupt(e.to_string()))?,
        });
    }
    let details = TaskDetails {
        directive: DirectiveId::from_uuid(row.directive_id),
        position: u32::try_from(row.position).map_err(|e| corrupt(e.to_string()))?,
        text: Prose::parse(&row.text).map_err(|e| corrupt(e.to_string()))?,
        lead,
        cooperating,
        addressees,
        assigned_on: row.assigned_on,
        deadline: row.deadline,
        history,
    };
    Task::new(TaskId::from_uuid(id), details).map_err(|e| corrupt(e.to_string()))
}

/// One assignee of a task as [`select_children`] writes it: role, position, organization id,
/// group name, and the organization's row when it is one.
#[derive(Deserialize)]
struct AssigneeJson(
    String,
    i32,
    Option<Uuid>,
    Option<String>,
    Option<OrganizationColumns>,
);

/// One lifecycle change of a task as [`select_children`] writes it: position, state, date and
/// note.
#[derive(Deserialize)]
struct ChangeJson(i32, String, NaiveDate, Option<String>);

/// Adds to a statement on `task` each task's assignees (with their organizations' rows) and
/// lifecycle changes, as two JSON arrays: a task and everything it is made of come in one row,
/// and a list of tasks in one statement. The arrays are correlated subqueries on the
/// assignees' and changes' primary keys, whose first column is the task's id; a page adds them
/// around its own subquery ([`Keyset::fetch_extended`]), so they are built for its rows only.
///
/// Without `parts.assignees` the lead alone is read, joined into the statement by the
/// assignees' primary key (a task's lead is the one at position 0 of its role) with its
/// organization: plain columns of the row instead of a list built per task, which on
/// PostgreSQL is a correlated subquery (a subplan) per row. `pgbench` on workload C's
/// statement: 10,550 executions per second with the list, 11,680 with the lead joined.
fn select_children(
    query: &mut SelectStatement,
    backend: DbBackend,
    directive: bool,
    parts: TaskParts,
) {
    static CHILDREN: [ByEngine<ExtraColumns>; 8] = [
        ByEngine::new(),
        ByEngine::new(),
        ByEngine::new(),
        ByEngine::new(),
        ByEngine::new(),
        ByEngine::new(),
        ByEngine::new(),
        ByEngine::new(),
    ];
    let which =
        usize::from(directive) * 4 + usize::from(parts.history) * 2 + usize::from(parts.assignees);
    if !parts.assignees {
        query
            .join_as(
                JoinType::LeftJoin,
                task_assignee::Entity,
                Alias::new(LEAD_ASSIGNEE),
                Expr::cust(
                    "lead_assignee.task_id = task.id AND lead_assignee.role = 'lead' \
                     AND lead_assignee.position = 0",
                ),
            )
            .join_as(
                JoinType::LeftJoin,
                organization::Entity,
                Alias::new(LEAD_ORGANIZATION),
                Expr::cust("lead_organization.id = lead_assignee.organization_id"),
            );
    }
    add_columns(
        query,
        CHILDREN[which].get(backend, |backend| children(backend, directive, parts)),
    );
}

/// The columns [`select_children`] adds, built once per engine.
fn children(backend: DbBackend, directive: bool, parts: TaskParts) -> ExtraColumns {
    let assignee = json_array(
        backend,
        &[
            "a.role".to_owned(),
            "a.position".to_owned(),
            json_uuid(backend, "a.organization_id"),
            "a.group_name".to_owned(),
            organization_json(backend, "o"),
        ]
        .join(", "),
    );
    let assignees = json_aggregate(
        backend,
        &assignee,
        "FROM task_assignee a LEFT JOIN organization o ON o.id = a.organization_id \
         WHERE a.task_id = task.id",
    );
    let mut columns = if parts.assignees {
        vec![(assignees, ASSIGNEES)]
    } else {
        vec![
            ("lead_assignee.role".to_owned(), LEAD_ROLE),
            (
                "lead_assignee.organization_id".to_owned(),
                LEAD_ORGANIZATION_ID,
            ),
            ("lead_assignee.group_name".to_owned(), LEAD_GROUP_NAME),
            (
                json_text(backend, &organization_json(backend, LEAD_ORGANIZATION)),
                LEAD_ORGANIZATION_JSON,
            ),
        ]
    };
    if parts.history {
        let change = json_array(backend, "c.position, c.to_state, c.changed_on, c.note");
        let changes = json_aggregate(
            backend,
            &change,
            "FROM task_lifecycle_change c WHERE c.task_id = task.id",
        );
        columns.push((changes, CHANGES));
    }
    if directive {
        // The directive and its issuer: one row, by the directive's and the person's keys.
        let record = json_array(
            backend,
            &[directive_json(backend, "d"), person_json(backend, "p")].join(", "),
        );
        let directive = json_single(
            backend,
            &record,
            "FROM directive d LEFT JOIN person p ON p.id = d.issuer_id \
             WHERE d.id = task.directive_id",
        );
        columns.push((directive, DIRECTIVE));
    }
    columns
}

/// The column [`select_children`] writes the assignees in.
const ASSIGNEES: &str = "assignees_json";
/// The table name [`select_children`] joins a task's lead under, when it reads the lead alone.
const LEAD_ASSIGNEE: &str = "lead_assignee";
/// The table name [`select_children`] joins the lead's organization under.
const LEAD_ORGANIZATION: &str = "lead_organization";
/// The columns [`select_children`] writes the lead in, when it reads the lead alone: its role
/// (NULL when the task has no lead), organization id, group name, and organization's row.
const LEAD_ROLE: &str = "lead_role";
const LEAD_ORGANIZATION_ID: &str = "lead_organization_id";
const LEAD_GROUP_NAME: &str = "lead_group_name";
const LEAD_ORGANIZATION_JSON: &str = "lead_organization_json";
/// The column [`select_children`] writes the lifecycle changes in.
const CHANGES: &str = "changes_json";
/// The column [`select_children`] writes the directive and its issuer in, when asked.
const DIRECTIVE: &str = "directive_json";

/// What a list of tasks brings along, each record once, for readers that go on from the tasks
/// to the records they name; a collector that is `None` is neither read nor filled.
struct Named<'a> {
    /// The organizations the tasks are assigned to.
    organizations: EachOnce<'a, Organization>,
    /// The tasks' directives, each with its issuer.
    directives: EachOnce<'a, (Directive, Option<Person>)>,
    /// With the history not read: each task's recorded state.
    recorded: Option<&'a mut HashMap<TaskId, RecordedState>>,
    /// Whether the co-operating units and addressees are read, besides the lead.
    assignees: bool,
}

impl<'a> Named<'a> {
    fn new(
        organizations: Option<&'a mut Vec<Organization>>,
        directives: Option<&'a mut Vec<(Directive, Option<Person>)>>,
    ) -> Self {
        Self {
            organizations: EachOnce::new(organizations),
            directives: EachOnce::new(directives),
            recorded: None,
            assignees: true,
        }
    }

    /// What a page reads of its tasks.
    fn parts(&self) -> TaskParts {
        TaskParts {
            history: self.recorded.is_none(),
            assignees: self.assignees,
        }
    }
}

/// A task from its row and the children [`select_children`] added to it; with a reader who
/// wants them, the organizations among its assignees go to `named`.
fn task_from_joined(
    model: task::Model,
    row: &QueryResult,
    named: &mut Named<'_>,
) -> Result<Task, StorageError> {
    let id = model.id;
    if named.directives.wanted() {
        let found: Option<(DirectiveColumns, Option<PersonColumns>)> =
            json_value(row, DIRECTIVE, KIND, id)?;
        // A task's directive exists (a foreign key): none here is a corrupt row.
        let (directive, issuer) = found.ok_or_else(|| {
            StorageError::corrupt(
                KIND,
                id,
                format!("directive {} is missing", model.directive_id),
            )
        })?;
        named.directives.add(directive.id(), || {
            Ok((
                directive_from_columns(directive)?,
                issuer.map(person_from_json).transpose()?,
            ))
        })?;
    }
    let listed = if named.assignees {
        json_rows(row, ASSIGNEES, KIND, id)?
    } else {
        lead_alone(row, id)?.into_iter().collect()
    };
    let mut assignees = Vec::new();
    for AssigneeJson(role, position, organization_id, group_name, organization) in listed {
        if let Some(columns) = organization {
            named
                .organizations
                .add(columns.id(), || organization_from_json(columns))?;
        }
        assignees.push(task_assignee::Model {
            task_id: id,
            role,
            position,
            organization_id,
            group_name,
        });
    }
    if let Some(recorded) = named.recorded.as_deref_mut() {
        let state = RecordedState {
            lifecycle: Lifecycle::from_code(&model.lifecycle).ok_or_else(|| {
                StorageError::corrupt(KIND, id, format!("unknown state {:?}", model.lifecycle))
            })?,
            closed_on: model.closed_on,
        };
        recorded.insert(TaskId::from_uuid(id), state);
        return task_from_rows(model, assignees, Vec::new());
    }
    let changes = json_rows(row, CHANGES, KIND, id)?
        .into_iter()
        .map(
            |ChangeJson(position, to_state, changed_on, note)| task_lifecycle_change::Model {
                task_id: id,
                position,
                to_state,
                changed_on,
                note,
            },
        )
        .collect();
    task_from_rows(model, assignees, changes)
}

/// A task's lead as [`select_children`] writes it when it reads the lead alone (none when the
/// task has none), in the form of an element of the assignees' list.
fn lead_alone(row: &QueryResult, id: Uuid) -> Result<Option<AssigneeJson>, StorageError> {
    let role: Option<String> = row.try_get("", LEAD_ROLE)?;
    let Some(role) = role else {
        return Ok(None);
    };
    Ok(Some(AssigneeJson(
        role,
        0,
        row.try_get("", LEAD_ORGANIZATION_ID)?,
        row.try_get("", LEAD_GROUP_NAME)?,
        json_value(row, LEAD_ORGANIZATION_JSON, KIND, id)?,
    )))
}

/// The tasks `select` finds, in its order, in one statement whatever their number; with
/// `named`, the organizations they are assigned to (bare, each once) too.
async fn read_tasks(
    db: &impl ConnectionTrait,
    select: Select<task::Entity>,
    named: Option<&mut Vec<Organization>>,
) -> Result<Vec<Task>, StorageError> {
    let backend = db.get_database_backend();
    let mut named = Named::new(named, None);
    read_extended(
        db,
        select,
        |query| select_children(query, backend, false, TaskParts::ALL),
        |model, row| task_from_joined(model, row, &mut named),
    )
    .await
}

pub(crate) fn report_row(report: &ProgressReport) -> progress_report::ActiveModel {
    let at = now();
    progress_report::ActiveModel {
        id: Set(report.id().as_uuid()),
        task_id: Set(report.task.as_uuid()),
        reported_on: Set(report.reported_on),
        reporter_id: Set(report.reporter.map(|r| r.as_uuid())),
        note: Set(report.note.to_string()),
        percent: Set(report.percent.map(|p| i16::from(p.value()))),
        created_at: Set(at),
        updated_at: Set(at),
    }
}

fn report_from_row(row: progress_report::Model) -> Result<ProgressReport, StorageError> {
    let id = row.id;
    let corrupt = |problem: String| StorageError::corrupt(REPORT_KIND, id, problem);
    let percent = row
        .percent
        .map(|p| {
            u32::try_from(p)
                .map_err(|e| e.to_string())
                .and_then(|p| Percent::new(p).map_err(|e| e.to_string()))
        })
        .transpose()
        .map_err(corrupt)?;
    let details = ProgressReportDetails {
        task: TaskId::from_uuid(row.task_id),
        reported_on: row.reported_on,
        reporter: row.reporter_id.map(OrganizationId::from_uuid),
        note: Prose::parse(&row.note).map_err(|e| corrupt(e.to_string()))?,
        percent,
    };
    ProgressReport::new(ProgressReportId::from_uuid(id), details)
        .map_err(|e| corrupt(e.to_string()))
}

/// The progress reports of these tasks, oldest first, in one statement.
async fn reports_of(
    db: &impl ConnectionTrait,
    tasks: &[TaskId],
) -> Result<HashMap<TaskId, Vec<ProgressReport>>, StorageError> {
    let mut result: HashMap<TaskId, Vec<ProgressReport>> =
        tasks.iter().map(|t| (*t, Vec::new())).collect();
    if tasks.is_empty() {
        return Ok(result);
    }
    let rows = progress_report::Entity::find()
        .filter(uuid_in(
            db,
            progress_report::Column::TaskId,
            tasks.iter().map(TaskId::as_uuid),
        ))
        .order_by_asc(progress_report::Column::ReportedOn)
        .order_by_asc(progress_report::Column::Id)
        .all(db)
        .await?;
    for row in rows {
        let report = report_from_row(row)?;
        if let Some(list) = result.get_mut(&report.task) {
            list.push(report);
        }
    }
    Ok(result)
}

/// Reads one task inside a write transaction, locking its row first: its lifecycle and its
/// reports are checked against it, and two writers must not both pass those checks. Returns
/// the row's creation time with it, for updates that keep it.
async fn lock_task(
    database: &Database,
    transaction: &impl ConnectionTrait,
    id: TaskId,
) -> Result<(Task, DateTime<Utc>), StorageError> {
    let backend = transaction.get_database_backend();
    read_extended(
        transaction,
        database.for_update(task::Entity::find_by_id(id.as_uuid())),
        |query| select_children(query, backend, false, TaskParts::ALL),
        |model, row| {
            let created_at = model.created_at;
            Ok((
                task_from_joined(model, row, &mut Named::new(None, None))?,
                created_at,
            ))
        },
    )
    .await?
    .pop()
    .ok_or_else(|| StorageError::NotFound {
        kind: KIND,
        id: id.to_string(),
    })
}

/// Checks the records a task refers to: its directive and the organizations among its
/// assignees.
async fn check_references(
    transaction: &impl ConnectionTrait,
    task: &Task,
) -> Result<(), StorageError> {
    ensure_directive(transaction, task.directive).await?;
    ensure_organizations(
        transaction,
        task.lead
            .iter()
            .chain(&task.cooperating)
            .chain(&task.addressees)
            .filter_map(Assignee::organization),
    )
    .await
}

async fn insert_assignees(
    transaction: &impl ConnectionTrait,
    task: &Task,
) -> Result<(), StorageError> {
    let rows = assignee_rows(task);
    if !rows.is_empty() {
        task_assignee::Entity::insert_many(rows)
            .exec_without_returning(transaction)
            .await?;
    }
    Ok(())
}

/// The aggregate columns of the statistics query, each a count of the tasks in scope meeting
/// a condition judged at the end of `to`.
fn statistics_select(to: NaiveDate) -> SelectStatement {
    let count_if = |condition: Condition| {
        Func::coalesce([
            Expr::from(Func::sum(Expr::case(condition, 1).finally(0))),
            Expr::val(0),
        ])
    };
    let mut select = Query::select();
    select
        .expr_as(Expr::col(task::Column::Id).count(), Alias::new("total"))
        .expr_as(
            count_if(closed_by(Lifecycle::Cancelled, to)),
            Alias::new("cancelled"),
        )
        .expr_as(
            count_if(closed_by(Lifecycle::Completed, to)),
            Alias::new("completed"),
        )
        .expr_as(
            count_if(timeliness_condition(Timeliness::CompletedLate, to)),
            Alias::new("completed_late"),
        )
        .expr_as(
            count_if(timeliness_condition(Timeliness::Overdue, to)),
            Alias::new("open_overdue"),
        )
        .from(task::Entity);
    select
}

fn statistics_from(row: &QueryResult) -> Result<TaskStatistics, StorageError> {
    let count = |name: &str| -> Result<u64, StorageError> {
        let value: i64 = row.try_get("", name)?;
        u64::try_from(value)
            .map_err(|_| StorageError::internal(format!("a negative count of {name}: {value}")))
    };
    let total = count("total")?;
    let cancelled = count("cancelled")?;
    Ok(TaskStatistics {
        assigned: total.saturating_sub(cancelled),
        completed: count("completed")?,
        completed_late: count("completed_late")?,
        open_overdue: count("open_overdue")?,
        cancelled,
    })
}

fn check_period(from: NaiveDate, to: NaiveDate) -> Result<(), StorageError> {
    if to < from {
        return Err(StorageError::InvalidInput(format!(
            "the period {from}..{to} ends before it begins"
        )));
    }
    Ok(())
}

impl Database {
    /// Adds a task to an existing directive: its lead, co-operating and addressed
    /// organizations must exist, and no other task of the directive may have its position. A
    /// task may come with a history, when it is recorded after work on it began.
    pub async fn add_task(&self, actor: &Actor, task: &Task) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        self.add_task_in(&transaction, actor, task).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// [`Self::add_task`] inside a write transaction the caller commits.
    pub(crate) async fn add_task_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        task: &Task,
    ) -> Result<(), StorageError> {
        check_references(transaction, task).await?;
        task::Entity::insert(task_row(task)?)
            .exec_without_returning(transaction)
            .await?;
        insert_assignees(transaction, task).await?;
        let changes: Vec<_> = task
            .history
            .iter()
            .zip(0..)
            .map(|(change, position)| change_row(task.id(), position, change))
            .collect();
        if !changes.is_empty() {
            task_lifecycle_change::Entity::insert_many(changes)
                .exec_without_returning(transaction)
                .await?;
        }
        audit::record(
            transaction,
            actor,
            "add_task",
            KIND,
            task.id().as_uuid(),
            task,
        )
        .await
    }

    /// Changes a task's assignment: its text, position, lead, co-operating units, addressees,
    /// assignment date and deadline. The directive stays, and the lifecycle changes only
    /// through [`Self::transition_task`]: a task whose history differs from the stored one is a
    /// conflict (the caller's copy is stale, or it tried to rewrite the history).
    pub async fn update_task(&self, actor: &Actor, task: &Task) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        self.update_task_in(&transaction, actor, task).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// [`Self::update_task`] inside a write transaction the caller commits.
    pub(crate) async fn update_task_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        task: &Task,
    ) -> Result<(), StorageError> {
        let (stored, created_at) = lock_task(self, transaction, task.id()).await?;
        if stored.directive != task.directive {
            return Err(StorageError::Conflict {
                rule: "a task stays with the directive that assigned it",
                detail: format!(
                    "task {} belongs to directive {}, not {}",
                    task.id(),
                    stored.directive,
                    task.directive
                ),
            });
        }
        if stored.history != task.history {
            return Err(StorageError::Conflict {
                rule: "a task's lifecycle changes only through a transition",
                detail: format!(
                    "task {} is {} with {} recorded changes; the update carries {} changes",
                    task.id(),
                    stored.lifecycle(),
                    stored.history.len(),
                    task.history.len()
                ),
            });
        }
        check_references(transaction, task).await?;
        // A new assignment date must still come before every report on the task.
        for report in reports_of(transaction, &[task.id()])
            .await?
            .remove(&task.id())
            .unwrap_or_default()
        {
            report.check_task(task)?;
        }
        let id = task.id().as_uuid();
        let mut row = task_row(task)?;
        row.created_at = Set(created_at);
        task::Entity::update(row).exec(transaction).await?;
        task_assignee::Entity::delete_many()
            .filter(task_assignee::Column::TaskId.eq(id))
            .exec(transaction)
            .await?;
        insert_assignees(transaction, task).await?;
        audit::record(transaction, actor, "update", KIND, id, task).await
    }

    /// Moves a task to `to` on `on` and returns it. The state machine of `gazette_domain::task`
    /// decides which moves are legal; an illegal one is a typed error and changes nothing. A
    /// move that closes the task before a progress report already recorded is refused too.
    pub async fn transition_task(
        &self,
        actor: &Actor,
        id: TaskId,
        to: Lifecycle,
        on: NaiveDate,
        note: Option<Text>,
    ) -> Result<Task, StorageError> {
        let transaction = self.begin_write().await?;
        let task = self
            .transition_task_in(&transaction, actor, id, to, on, note)
            .await?;
        transaction.commit().await?;
        Ok(task)
    }

    /// [`Self::transition_task`] inside a write transaction the caller commits.
    pub(crate) async fn transition_task_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        id: TaskId,
        to: Lifecycle,
        on: NaiveDate,
        note: Option<Text>,
    ) -> Result<Task, StorageError> {
        let (mut task, _) = lock_task(self, transaction, id).await?;
        task.transition(to, on, note)?;
        for report in reports_of(transaction, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default()
        {
            report.check_task(&task)?;
        }
        let position = i32::try_from(task.history.len() - 1)
            .map_err(|_| StorageError::internal("a task's history outgrew an i32"))?;
        let change = task
            .history
            .last()
            .ok_or_else(|| StorageError::internal("a transition left the history empty"))?;
        task_lifecycle_change::Entity::insert(change_row(id, position, change))
            .exec_without_returning(transaction)
            .await?;
        task::Entity::update_many()
            .col_expr(task::Column::Lifecycle, Expr::val(task.lifecycle().code()))
            .col_expr(task::Column::ClosedOn, Expr::val(task.closed_on()))
            .col_expr(task::Column::UpdatedAt, Expr::val(now()))
            .filter(task::Column::Id.eq(id.as_uuid()))
            .exec(transaction)
            .await?;
        audit::record(transaction, actor, "transition", KIND, id.as_uuid(), &task).await?;
        Ok(task)
    }

    /// Records a progress report on an existing task: not before the task was assigned, not
    /// after it closed, from an existing reporting unit.
    pub async fn report_progress(
        &self,
        actor: &Actor,
        report: &ProgressReport,
    ) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        self.report_progress_in(&transaction, actor, report).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// [`Self::report_progress`] inside a write transaction the caller commits.
    pub(crate) async fn report_progress_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        report: &ProgressReport,
    ) -> Result<(), StorageError> {
        let (task, _) = lock_task(self, transaction, report.task).await?;
        report.check_task(&task)?;
        ensure_organizations(transaction, report.reporter).await?;
        progress_report::Entity::insert(report_row(report))
            .exec_without_returning(transaction)
            .await?;
        audit::record(
            transaction,
            actor,
            "report_progress",
            REPORT_KIND,
            report.id().as_uuid(),
            report,
        )
        .await
    }

    /// The progress reports on each of these tasks, oldest first, in one statement whatever
    /// their number; every task asked about has an entry, empty when none.
    pub async fn progress_reports_of_tasks(
        &self,
        tasks: &[TaskId],
    ) -> Result<HashMap<TaskId, Vec<ProgressReport>>, StorageError> {
        reports_of(self.reader(), tasks).await
    }

    /// One task.
    pub async fn task(&self, id: TaskId) -> Result<Task, StorageError> {
        self.tasks_by_ids(&[id])
            .await?
            .pop()
            .ok_or_else(|| StorageError::NotFound {
                kind: KIND,
                id: id.to_string(),
            })
    }

    /// The tasks with these ids (those that exist), in one statement whatever their number:
    /// the task rows with their assignees and lifecycle changes.
    pub async fn tasks_by_ids(&self, ids: &[TaskId]) -> Result<Vec<Task>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let select = task::Entity::find().filter(uuid_in(
            self.reader(),
            task::Column::Id,
            ids.iter().map(TaskId::as_uuid),
        ));
        read_tasks(self.reader(), select, None).await
    }

    /// The tasks of each of these directives, in their order, in one statement whatever their
    /// number; every directive asked about has an entry, empty when none.
    pub async fn tasks_of_directives(
        &self,
        directives: &[DirectiveId],
    ) -> Result<HashMap<DirectiveId, Vec<Task>>, StorageError> {
        let mut result: HashMap<DirectiveId, Vec<Task>> =
            directives.iter().map(|d| (*d, Vec::new())).collect();
        if directives.is_empty() {
            return Ok(result);
        }
        let select = task::Entity::find()
            .filter(uuid_in(
                self.reader(),
                task::Column::DirectiveId,
                directives.iter().map(DirectiveId::as_uuid),
            ))
            .order_by_asc(task::Column::DirectiveId)
            .order_by_asc(task::Column::Position);
        for task in read_tasks(self.reader(), select, None).await? {
            if let Some(list) = result.get_mut(&task.directive) {
                list.push(task);
            }
        }
        Ok(result)
    }

    /// Tasks in assignment order (assignment date, then id). Timeliness is judged in SQL as of
    /// `filter.as_of`, with the definitions of `TaskDetails::timeliness`; asking for it without
    /// a day is an input error.
    pub async fn tasks(
        &self,
        filter: &TaskFilter,
        page: &PageRequest,
    ) -> Result<Page<Task>, StorageError> {
        self.tasks_in(filter, page, Named::new(None, None)).await
    }

    /// [`Self::tasks`] with the organizations the page's tasks are assigned to (lead,
    /// co-operating, addressed), read bare (as [`Self::organizations_by_ids_bare`] reads them)
    /// in the same statement, each once: for readers that go on to the assignees'
    /// organizations, no statement for them.
    pub async fn tasks_naming(
        &self,
        filter: &TaskFilter,
        page: &PageRequest,
    ) -> Result<(Page<Task>, Vec<Organization>), StorageError> {
        let mut organizations = Vec::new();
        let page = self
            .tasks_in(filter, page, Named::new(Some(&mut organizations), None))
            .await?;
        Ok((page, organizations))
    }

    /// [`Self::tasks_naming`] with, in the same statement, each task's directive and the
    /// directive's issuer (bare, as [`Self::directives_with_issuers`] reads them), each
    /// directive once: for readers that go on to the directives and their issuers, the whole
    /// page in one statement. With `parts` leaving out the history, the tasks come without it
    /// and with the state their rows record ([`TasksWithDirectives::recorded`]); leaving out
    /// the assignees, they come with their lead alone, and the organizations are the leads'.
    pub async fn tasks_with_directives(
        &self,
        filter: &TaskFilter,
        page: &PageRequest,
        parts: TaskParts,
    ) -> Result<TasksWithDirectives, StorageError> {
        let mut organizations = Vec::new();
        let mut directives = Vec::new();
        let mut recorded = HashMap::new();
        let mut named = Named::new(Some(&mut organizations), Some(&mut directives));
        named.assignees = parts.assignees;
        if !parts.history {
            named.recorded = Some(&mut recorded);
        }
        let page = self.tasks_in(filter, page, named).await?;
        Ok(TasksWithDirectives {
            page,
            organizations,
            directives,
            recorded,
        })
    }

    async fn tasks_in(
        &self,
        filter: &TaskFilter,
        page: &PageRequest,
        mut named: Named<'_>,
    ) -> Result<Page<Task>, StorageError> {
        let mut select = task::Entity::find();
        if let Some(organization) = filter.assignee {
            let id = organization.as_uuid();
            select = if filter.lead_only {
                select.filter(task::Column::LeadId.eq(id))
            } else {
                let assigned = Query::select()
                    .column(task_assignee::Column::TaskId)
                    .from(task_assignee::Entity)
                    .and_where(Expr::col(task_assignee::Column::OrganizationId).eq(id))
                    .to_owned();
                select.filter(task::Column::Id.in_subquery(assigned))
            };
        }
        if let Some(lifecycle) = filter.lifecycle {
            select = select.filter(task::Column::Lifecycle.eq(lifecycle.code()));
        }
        if let Some(timeliness) = filter.timeliness {
            let day = filter.as_of.ok_or_else(|| {
                StorageError::InvalidInput(
                    "timeliness is judged as of a day: give `as_of` with `timeliness`".to_owned(),
                )
            })?;
            select = select.filter(timeliness_condition(timeliness, day));
        }
        if let Some(from) = filter.deadline_from {
            select = select.filter(task::Column::Deadline.gte(from));
        }
        if let Some(to) = filter.deadline_to {
            select = select.filter(task::Column::Deadline.lte(to));
        }
        if let Some(directive) = filter.directive {
            select = select.filter(task::Column::DirectiveId.eq(directive.as_uuid()));
        }
        let keyset = Keyset::<task::Entity>::new(vec![
            (task::Column::AssignedOn, KeyKind::Date),
            (task::Column::Id, KeyKind::Uuid),
        ]);
        let backend = self.reader().get_database_backend();
        let directive = named.directives.wanted();
        let parts = named.parts();
        let rows = keyset
            .fetch_extended(select, page, self.reader(), |query| {
                select_children(query, backend, directive, parts);
            })
            .await?;
        rows.try_map(|(model, row)| task_from_joined(model, &row, &mut named))
    }

    /// One lead unit's figures for the tasks assigned within `from..=to`, as of `to` (see
    /// `TaskStatistics`), counted in one aggregate statement.
    pub async fn task_statistics(
        &self,
        lead: OrganizationId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<TaskStatistics, StorageError> {
        check_period(from, to)?;
        let mut select = statistics_select(to);
        select
            .and_where(column(task::Column::LeadId).eq(lead.as_uuid()))
            .and_where(column(task::Column::AssignedOn).gte(from))
            .and_where(column(task::Column::AssignedOn).lte(to));
        let row = self
            .reader()
            .query_one(&select)
            .await?
            .ok_or_else(|| StorageError::internal("an aggregate query returned no row"))?;
        statistics_from(&row)
    }

    /// The figures of several lead units over the same period, in one grouped statement; every
    /// unit asked about has an entry, all zero when it led nothing.
    pub async fn task_statistics_by_lead(
        &self,
        leads: &[OrganizationId],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<HashMap<OrganizationId, TaskStatistics>, StorageError> {
        check_period(from, to)?;
        let mut result: HashMap<OrganizationId, TaskStatistics> = leads
            .iter()
            .map(|l| (*l, TaskStatistics::default()))
            .collect();
        let wanted: BTreeSet<Uuid> = leads.iter().map(OrganizationId::as_uuid).collect();
        if wanted.is_empty() {
            return Ok(result);
        }
        let mut select = statistics_select(to);
        select
            .expr_as(column(task::Column::LeadId), Alias::new("lead_id"))
            .and_where(column(task::Column::LeadId).is_in(wanted))
            .and_where(column(task::Column::AssignedOn).gte(from))
            .and_where(column(task::Column::AssignedOn).lte(to))
            .group_by_col((task::Entity, task::Column::LeadId));
        for row in self.reader().query_all(&select).await? {
            let lead: Uuid = row.try_get("", "lead_id")?;
            result.insert(OrganizationId::from_uuid(lead), statistics_from(&row)?);
        }
        Ok(result)
    }
}
