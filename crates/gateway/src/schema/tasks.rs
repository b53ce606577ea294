//! Tasks in the schema: the `Task`, `ProgressReport` and `TaskStatistics` types, the task queries
//! ("which tasks of this unit are overdue", "completion rates by unit for a year") and the task
//! mutations (add, assign, move through the lifecycle, report progress).

use std::borrow::Cow;
use std::collections::HashMap;

use async_graphql::connection::Connection;
use async_graphql::{
    Context, Enum, ID, InputObject, MaybeUndefined, Object, OneofObject, SimpleObject,
};
use gazette_domain::directive::{Assignee, Directive};
use gazette_domain::ids::{DirectiveId, OrganizationId, ProgressReportId, TaskId};
use gazette_domain::person::Person;
use gazette_domain::source::Subject;
use gazette_domain::task::{
    LifecycleChange, Percent, ProgressReport, ProgressReportDetails, Task, TaskDetails,
    TaskStatistics,
};
use gazette_domain::text::{Prose, Text};
use gazette_storage::{RecordedState, StorageError, TaskFilter, TaskParts};

use super::connection::{connection, nodes_ask, page_cost, page_request};
use super::context::{database, editor, events, loader};
use super::error::{ApiResult, Code, StorageResultExt, api_error, bad_input};
use super::ids::{expect, global_id};
use super::loaders::{Fetch, by_id, list, one};
use super::meetings::DirectiveObject;
use super::organizations::OrganizationObject;
use super::scalars::DateScalar;
use super::sources::{CitationObject, SourceObject, citations_of, sources_of};
use crate::events::Event;

by_id!(TaskId, Task, tasks_by_ids);

/// The most units one `taskStatisticsByUnit` may ask about.
const MAX_STATISTICS_UNITS: usize = 100;

/// Key: the progress reports on a task, oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProgressReportsOf(pub TaskId);

impl async_graphql::dataloader::Loader<ProgressReportsOf> for Fetch {
    type Value = Vec<ProgressReport>;
    type Error = StorageError;

    async fn load(
        &self,
        keys: &[ProgressReportsOf],
    ) -> Result<HashMap<ProgressReportsOf, Self::Value>, Self::Error> {
        let tasks: Vec<TaskId> = keys.iter().map(|k| k.0).collect();
        let mut found = self.db.progress_reports_of_tasks(&tasks).await?;
        Ok(keys
            .iter()
            .map(|k| (*k, found.remove(&k.0).unwrap_or_default()))
            .collect())
    }
}

/// Where a task stands (stored), as Decision 42/2014/QĐ-TTg counts it.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "gazette_domain::task::Lifecycle")]
pub enum Lifecycle {
    /// Chưa thực hiện (not started).
    NotStarted,
    /// Đang thực hiện (in progress).
    InProgress,
    /// Tạm hoãn (suspended).
    Suspended,
    /// Chờ xác nhận: reported done, waiting for the assigning office to confirm.
    AwaitingConfirmation,
    /// Đã hoàn thành (completed); final.
    Completed,
    /// Hủy (cancelled); final.
    Cancelled,
}

/// How a task stands against its deadline as of a date (derived, never stored).
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "gazette_domain::task::Timeliness")]
pub enum Timeliness {
    /// Không hạn: open or completed, without a deadline.
    NoDeadline,
    /// Trong hạn: open, the deadline not passed.
    OnTime,
    /// Quá hạn: open, the deadline passed.
    Overdue,
    /// Hoàn thành đúng hạn: completed on or before the deadline.
    CompletedOnTime,
    /// Hoàn thành quá hạn: completed after the deadline.
    CompletedLate,
}

/// Whom a task is assigned to: a recorded organization, or a group named in words.
#[derive(Clone)]
pub struct AssigneeObject(pub Assignee);

/// Whom a task (or a directive) is assigned to: a recorded organization, or a group the source
/// names in words ("các quận, huyện"). Exactly one of `organization` and `groupName` is set.
#[Object(name = "Assignee")]
impl AssigneeObject {
    /// The organization, when the assignee is a recorded one.
    async fn organization(&self, ctx: &Context<'_>) -> ApiResult<Option<OrganizationObject>> {
        match self.0.organization() {
            Some(id) => Ok(one(ctx, id).await?.map(OrganizationObject)),
            None => Ok(None),
        }
    }

    /// The group as the source names it, when the assignee is not a recorded organization.
    async fn group_name(&self) -> Option<&str> {
        match &self.0 {
            Assignee::Group { name } => Some(name.as_str()),
            Assignee::Organization { .. } => None,
        }
    }
}

/// An assignee, as input: exactly one of a recorded organization or a group named in words.
#[derive(OneofObject)]
pub enum AssigneeInput {
    /// A recorded organization, by id.
    Organization(ID),
    /// A group named in words ("Mặt trận và các tổ chức chính trị - xã hội").
    GroupName(String),
}

impl AssigneeInput {
    /// The domain value, or a bad-input error naming the field.
    pub fn parse(&self, field: &str) -> ApiResult<Assignee> {
        match self {
            Self::Organization(id) => Ok(Assignee::Organization {
                id: OrganizationId::from_uuid(expect(id, "Organization")?),
            }),
            Self::GroupName(name) => Ok(Assignee::Group {
                name: Text::parse(name).map_err(|e| bad_input(&format!("{field}.groupName"), e))?,
            }),
        }
    }
}

fn parse_assignees(inputs: &[AssigneeInput], field: &str) -> ApiResult<Vec<Assignee>> {
    inputs
        .iter()
        .enumerate()
        .map(|(i, input)| input.parse(&format!("{field}[{i}]")))
        .collect()
}

/// One dated step of a task's lifecycle.
#[derive(SimpleObject, Clone)]
#[graphql(name = "LifecycleChange")]
pub struct LifecycleChangeObject {
    /// The state moved to.
    pub to: Lifecycle,
    /// When.
    pub on: DateScalar,
    /// Why, or on whose report.
    pub note: Option<String>,
}

impl From<&LifecycleChange> for LifecycleChangeObject {
    fn from(change: &LifecycleChange) -> Self {
        Self {
            to: change.to.into(),
            on: DateScalar(change.on),
            note: change.note.as_ref().map(ToString::to_string),
        }
    }
}

/// Key: a directive with its issuer, read in the same statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DirectiveWithIssuer(pub DirectiveId);

impl async_graphql::dataloader::Loader<DirectiveWithIssuer> for Fetch {
    type Value = (Directive, Option<Person>);
    type Error = gazette_storage::StorageError;

    async fn load(
        &self,
        keys: &[DirectiveWithIssuer],
    ) -> Result<std::collections::HashMap<DirectiveWithIssuer, Self::Value>, Self::Error> {
        let ids: Vec<DirectiveId> = keys.iter().map(|k| k.0).collect();
        Ok(self
            .db
            .directives_with_issuers(&ids)
            .await?
            .into_iter()
            .map(|(directive, issuer)| (DirectiveWithIssuer(directive.id()), (directive, issuer)))
            .collect())
    }
}

/// Whether a connection of tasks goes on to the organizations its tasks are assigned to
/// (through `nodes` or `edges { node }`).
fn names_assignees(connection: &async_graphql::Lookahead<'_>) -> bool {
    nodes_ask(connection, |task| {
        ["lead", "cooperating", "addressees"]
            .iter()
            .any(|assignees| task.field(assignees).field("organization").exists())
    })
}

/// Whether a connection of tasks goes on to its tasks' directives and their issuers, which
/// [`TaskObject`]'s `directive` then reads together ([`DirectiveWithIssuer`]).
fn names_issuers(connection: &async_graphql::Lookahead<'_>) -> bool {
    nodes_ask(connection, |task| {
        task.field("directive")
            .field("issuer")
            .field("person")
            .exists()
    })
}

/// Which parts of the tasks a connection of tasks asks for (through `nodes` or `edges {
/// node }`): the history when a task's `history` or `timeliness` (a past state) is asked, the
/// assignees besides the lead when its `cooperating` or `addressees` are.
fn asked_parts(connection: &async_graphql::Lookahead<'_>) -> TaskParts {
    TaskParts {
        history: nodes_ask(connection, |task| {
            task.field("history").exists() || task.field("timeliness").exists()
        }),
        assignees: nodes_ask(connection, |task| {
            task.field("cooperating").exists() || task.field("addressees").exists()
        }),
    }
}

/// A task, and what its page's statement left out of it (a page of tasks reads the history,
/// and the assignees besides the lead, only when its query asks for them).
#[derive(Clone)]
pub struct TaskObject(pub Task, LeftOut);

/// What a page of tasks left out of a task ([`TaskParts`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct LeftOut {
    /// Read without its history: the state the task's row records.
    recorded: Option<RecordedState>,
    /// Read with its lead alone: no co-operating units or addressees.
    assignees: bool,
}

impl TaskObject {
    /// A task read whole.
    #[must_use]
    pub fn whole(task: Task) -> Self {
        Self(task, LeftOut::default())
    }

    /// The task with its history: as read, or (read without it) the whole task.
    async fn with_history(&self, ctx: &Context<'_>) -> ApiResult<Cow<'_, Task>> {
        if self.1.recorded.is_none() {
            return Ok(Cow::Borrowed(&self.0));
        }
        self.read_whole(ctx).await.map(Cow::Owned)
    }

    /// The task with all its assignees: as read, or (read with its lead alone) the whole task.
    async fn with_assignees(&self, ctx: &Context<'_>) -> ApiResult<Cow<'_, Task>> {
        if !self.1.assignees {
            return Ok(Cow::Borrowed(&self.0));
        }
        self.read_whole(ctx).await.map(Cow::Owned)
    }

    /// The whole task, through the request's loader: one statement for every task of the page
    /// that needs it.
    async fn read_whole(&self, ctx: &Context<'_>) -> ApiResult<Task> {
        // Tasks are never deleted: one read a moment ago is there.
        one(ctx, self.0.id()).await?.ok_or_else(|| {
            api_error(
                Code::Internal,
                format!("task {} is no longer recorded", self.0.id()),
            )
        })
    }
}

/// A task (nhiệm vụ) a directive assigns, with its lead and co-operating units, its deadline and
/// its dated lifecycle.
#[Object(name = "Task")]
impl TaskObject {
    /// The global id.
    pub async fn id(&self) -> ID {
        global_id("Task", self.0.id().as_uuid())
    }

    /// The directive that assigned it.
    async fn directive(&self, ctx: &Context<'_>) -> ApiResult<Option<DirectiveObject>> {
        let request_loader = loader(ctx)?;
        if request_loader.priming() && ctx.look_ahead().field("issuer").field("person").exists() {
            // The issuer comes with the directive and waits in the request's loader.
            let Some((directive, issuer)) = one(ctx, DirectiveWithIssuer(self.0.directive)).await?
            else {
                return Ok(None);
            };
            request_loader.prime(issuer.map(|person| (person.id(), person)));
            return Ok(Some(DirectiveObject(directive)));
        }
        Ok(one(ctx, self.0.directive).await?.map(DirectiveObject))
    }

    /// Its place among the directive's tasks, from 1.
    async fn position(&self) -> u32 {
        self.0.position
    }

    /// The instruction, in the source's words.
    async fn text(&self) -> &str {
        self.0.text.as_str()
    }

    /// The lead unit (chủ trì), when named.
    async fn lead(&self) -> Option<AssigneeObject> {
        self.0.lead.clone().map(AssigneeObject)
    }

    /// The co-operating units (phối hợp).
    async fn cooperating(&self, ctx: &Context<'_>) -> ApiResult<Vec<AssigneeObject>> {
        Ok(self
            .with_assignees(ctx)
            .await?
            .cooperating
            .iter()
            .cloned()
            .map(AssigneeObject)
            .collect())
    }

    /// Whom the instruction is addressed to when the source names no lead among them; empty
    /// when it is addressed like the directive as a whole.
    async fn addressees(&self, ctx: &Context<'_>) -> ApiResult<Vec<AssigneeObject>> {
        Ok(self
            .with_assignees(ctx)
            .await?
            .addressees
            .iter()
            .cloned()
            .map(AssigneeObject)
            .collect())
    }

    /// When it was assigned.
    async fn assigned_on(&self) -> DateScalar {
        DateScalar(self.0.assigned_on)
    }

    /// The deadline, when one was set.
    async fn deadline(&self) -> Option<DateScalar> {
        self.0.deadline.map(DateScalar)
    }

    /// The current state.
    async fn lifecycle(&self) -> Lifecycle {
        match self.1.recorded {
            Some(recorded) => recorded.lifecycle.into(),
            None => self.0.lifecycle().into(),
        }
    }

    /// The lifecycle's changes, oldest first; empty means not started.
    async fn history(&self, ctx: &Context<'_>) -> ApiResult<Vec<LifecycleChangeObject>> {
        Ok(self
            .with_history(ctx)
            .await?
            .history
            .iter()
            .map(LifecycleChangeObject::from)
            .collect())
    }

    /// When it was completed, if it was.
    async fn completed_on(&self) -> Option<DateScalar> {
        match self.1.recorded {
            Some(recorded) => recorded.completed_on(),
            None => self.0.completed_on(),
        }
        .map(DateScalar)
    }

    /// When it reached its final state (completed or cancelled), if it has.
    async fn closed_on(&self) -> Option<DateScalar> {
        match self.1.recorded {
            Some(recorded) => recorded.closed_on,
            None => self.0.closed_on(),
        }
        .map(DateScalar)
    }

    /// How it stood against its deadline on `asOf`; null when it had been cancelled by then.
    async fn timeliness(
        &self,
        ctx: &Context<'_>,
        as_of: DateScalar,
    ) -> ApiResult<Option<Timeliness>> {
        Ok(self
            .with_history(ctx)
            .await?
            .timeliness(as_of.0)
            .map(Timeliness::from))
    }

    /// The progress reports on it, oldest first.
    async fn progress_reports(&self, ctx: &Context<'_>) -> ApiResult<Vec<ProgressReportObject>> {
        Ok(list(ctx, ProgressReportsOf(self.0.id()))
            .await?
            .into_iter()
            .map(ProgressReportObject)
            .collect())
    }

    /// The citations of this task: which sources say what about it.
    async fn citations(&self, ctx: &Context<'_>) -> ApiResult<Vec<CitationObject>> {
        citations_of(ctx, Subject::Task(self.0.id())).await
    }

    /// The sources this task was recorded from, in citation order.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceObject>> {
        sources_of(ctx, Subject::Task(self.0.id())).await
    }
}

/// A progress report.
#[derive(Clone)]
pub struct ProgressReportObject(pub ProgressReport);

/// A dated progress report on a task.
#[Object(name = "ProgressReport")]
impl ProgressReportObject {
    /// The global id.
    pub async fn id(&self) -> ID {
        global_id("ProgressReport", self.0.id().as_uuid())
    }

    /// The task reported on.
    async fn task(&self, ctx: &Context<'_>) -> ApiResult<Option<TaskObject>> {
        Ok(one(ctx, self.0.task).await?.map(TaskObject::whole))
    }

    /// When it was reported.
    async fn reported_on(&self) -> DateScalar {
        DateScalar(self.0.reported_on)
    }

    /// The reporting unit, when recorded.
    async fn reporter(&self, ctx: &Context<'_>) -> ApiResult<Option<OrganizationObject>> {
        match self.0.reporter {
            Some(id) => Ok(one(ctx, id).await?.map(OrganizationObject)),
            None => Ok(None),
        }
    }

    /// What was reported.
    async fn note(&self) -> &str {
        self.0.note.as_str()
    }

    /// How far along the task is, in percent, when the report says.
    async fn percent(&self) -> Option<u8> {
        self.0.percent.map(Percent::value)
    }

    /// The citations of this report.
    async fn citations(&self, ctx: &Context<'_>) -> ApiResult<Vec<CitationObject>> {
        citations_of(ctx, Subject::ProgressReport(self.0.id())).await
    }

    /// The sources this report was recorded from.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceObject>> {
        sources_of(ctx, Subject::ProgressReport(self.0.id())).await
    }
}

/// One lead unit's task figures over a period.
pub struct TaskStatisticsObject {
    organization: OrganizationId,
    from: DateScalar,
    to: DateScalar,
    statistics: TaskStatistics,
}

/// One lead unit's task figures over a period, as of the period's last day: the tasks it leads
/// that were assigned within the period. `completionRate` and `lateRate` are the two figures a
/// city chairman praises above 90% and under 10%.
#[Object(name = "TaskStatistics")]
impl TaskStatisticsObject {
    /// The lead unit.
    async fn organization(&self, ctx: &Context<'_>) -> ApiResult<Option<OrganizationObject>> {
        Ok(one(ctx, self.organization).await?.map(OrganizationObject))
    }

    /// The period's first day.
    async fn from(&self) -> DateScalar {
        self.from
    }

    /// The period's last day, as of which the tasks are judged.
    async fn to(&self) -> DateScalar {
        self.to
    }

    /// Tasks assigned in the period and not cancelled by its end.
    async fn assigned(&self) -> u64 {
        self.statistics.assigned
    }

    /// Of those, completed by the period's end.
    async fn completed(&self) -> u64 {
        self.statistics.completed
    }

    /// Of the completed, completed after their deadline (hoàn thành quá hạn).
    async fn completed_late(&self) -> u64 {
        self.statistics.completed_late
    }

    /// Of those not completed, past their deadline at the period's end.
    async fn open_overdue(&self) -> u64 {
        self.statistics.open_overdue
    }

    /// Tasks assigned in the period and cancelled by its end (not counted in `assigned`).
    async fn cancelled(&self) -> u64 {
        self.statistics.cancelled
    }

    /// Completed / assigned, from 0 to 1; null when nothing was assigned.
    async fn completion_rate(&self) -> Option<f64> {
        self.statistics.completion_rate()
    }

    /// Completed late / completed, from 0 to 1; null when nothing was completed.
    async fn late_rate(&self) -> Option<f64> {
        self.statistics.late_rate()
    }
}

fn check_period(from: DateScalar, to: DateScalar) -> ApiResult<()> {
    if to.0 < from.0 {
        return Err(bad_input(
            "to",
            format!("the period {}..{} ends before it begins", from.0, to.0),
        ));
    }
    Ok(())
}

/// Task queries.
#[derive(Default)]
pub struct TasksQuery;

#[Object]
impl TasksQuery {
    /// One task by id.
    async fn task(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<TaskObject>> {
        let id = TaskId::from_uuid(expect(&id, "Task")?);
        Ok(one(ctx, id).await?.map(TaskObject::whole))
    }

    /// Tasks in assignment order (assignment date, then id). `assignee` keeps the tasks naming
    /// the organization as lead, co-operating unit or addressee (only as lead with `leadOnly`);
    /// `timeliness` keeps those standing so against their deadline on `asOf`, which it needs
    /// ("which tasks of this unit are overdue as of 2022-09-30").
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(
        clippy::too_many_arguments,
        reason = "a Relay connection field with its filters"
    )]
    async fn tasks(
        &self,
        ctx: &Context<'_>,
        assignee: Option<ID>,
        #[graphql(default)] lead_only: bool,
        lifecycle: Option<Lifecycle>,
        timeliness: Option<Timeliness>,
        as_of: Option<DateScalar>,
        deadline_from: Option<DateScalar>,
        deadline_to: Option<DateScalar>,
        directive: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Connection<String, TaskObject>> {
        if timeliness.is_some() && as_of.is_none() {
            return Err(bad_input(
                "asOf",
                "timeliness is judged as of a day: give `asOf` with `timeliness`",
            ));
        }
        let filter = TaskFilter {
            assignee: assignee
                .map(|id| expect(&id, "Organization").map(OrganizationId::from_uuid))
                .transpose()?,
            lead_only,
            lifecycle: lifecycle.map(Into::into),
            timeliness: timeliness.map(Into::into),
            as_of: as_of.map(|d| d.0),
            deadline_from: deadline_from.map(|d| d.0),
            deadline_to: deadline_to.map(|d| d.0),
            directive: directive
                .map(|id| expect(&id, "Directive").map(DirectiveId::from_uuid))
                .transpose()?,
        };
        let page_request = page_request(first, after, last, before)?;
        let request_loader = loader(ctx)?;
        if request_loader.priming() && names_issuers(&ctx.look_ahead()) {
            // The directives, their issuers and the assignees' organizations come in the page's
            // own statement and wait in the request's loader for the next levels.
            let parts = asked_parts(&ctx.look_ahead());
            let read = database(ctx)?
                .tasks_with_directives(&filter, &page_request, parts)
                .await
                .api()?;
            request_loader.prime(read.organizations.into_iter().map(|o| (o.id(), o)));
            request_loader.prime(read.directives.into_iter().map(|(directive, issuer)| {
                (DirectiveWithIssuer(directive.id()), (directive, issuer))
            }));
            let recorded = read.recorded;
            return Ok(connection(read.page, |task| {
                let left_out = LeftOut {
                    recorded: recorded.get(&task.id()).copied(),
                    assignees: !parts.assignees,
                };
                TaskObject(task, left_out)
            }));
        }
        if request_loader.priming() && names_assignees(&ctx.look_ahead()) {
            // The assignees' organizations come with the assignees' statement and wait in the
            // request's loader for the next level.
            let (page, organizations) = database(ctx)?
                .tasks_naming(&filter, &page_request)
                .await
                .api()?;
            request_loader.prime(organizations.into_iter().map(|o| (o.id(), o)));
            return Ok(connection(page, TaskObject::whole));
        }
        let page = database(ctx)?.tasks(&filter, &page_request).await.api()?;
        Ok(connection(page, TaskObject::whole))
    }

    /// The task figures of one lead unit for the tasks assigned within `from..=to`, as of `to`.
    async fn task_statistics(
        &self,
        ctx: &Context<'_>,
        assignee: ID,
        from: DateScalar,
        to: DateScalar,
    ) -> ApiResult<TaskStatisticsObject> {
        let organization = OrganizationId::from_uuid(expect(&assignee, "Organization")?);
        check_period(from, to)?;
        let statistics = database(ctx)?
            .task_statistics(organization, from.0, to.0)
            .await
            .api()?;
        Ok(TaskStatisticsObject {
            organization,
            from,
            to,
            statistics,
        })
    }

    /// The task figures of several lead units over one period, in the order asked ("completion
    /// rates by unit for 2020"); a unit that led nothing has all-zero figures. At most 100 units.
    #[graphql(complexity = "assignees.len().max(1) * child_complexity")]
    async fn task_statistics_by_unit(
        &self,
        ctx: &Context<'_>,
        assignees: Vec<ID>,
        from: DateScalar,
        to: DateScalar,
    ) -> ApiResult<Vec<TaskStatisticsObject>> {
        if assignees.len() > MAX_STATISTICS_UNITS {
            return Err(bad_input(
                "assignees",
                format!(
                    "at most {MAX_STATISTICS_UNITS} units per request, not {}",
                    assignees.len()
                ),
            ));
        }
        let units = assignees
            .iter()
            .map(|id| expect(id, "Organization").map(OrganizationId::from_uuid))
            .collect::<ApiResult<Vec<_>>>()?;
        check_period(from, to)?;
        let mut figures = database(ctx)?
            .task_statistics_by_lead(&units, from.0, to.0)
            .await
            .api()?;
        Ok(units
            .into_iter()
            .map(|organization| TaskStatisticsObject {
                organization,
                from,
                to,
                statistics: figures.remove(&organization).unwrap_or_default(),
            })
            .collect())
    }
}

/// Input of `addTask`.
#[derive(InputObject)]
pub struct AddTaskInput {
    /// The directive that assigns it.
    pub directive: ID,
    /// Its place among the directive's tasks, from 1.
    pub position: u32,
    /// The instruction, in the source's words.
    pub text: String,
    /// The lead unit (chủ trì), when named.
    pub lead: Option<AssigneeInput>,
    /// The co-operating units (phối hợp).
    #[graphql(default)]
    pub cooperating: Vec<AssigneeInput>,
    /// Whom the instruction is addressed to, when the source names no lead among them.
    #[graphql(default)]
    pub addressees: Vec<AssigneeInput>,
    /// When it was assigned.
    pub assigned_on: DateScalar,
    /// The deadline, when one was set ("báo cáo trước 10/9/2022").
    pub deadline: Option<DateScalar>,
}

/// Input of `updateTask`: the assignment to change. A field left out stays as it is; `lead` and
/// `deadline` set to null are removed. The lifecycle changes only through `transitionTask`.
#[derive(InputObject)]
pub struct UpdateTaskInput {
    /// The task.
    pub id: ID,
    /// A new place among the directive's tasks.
    pub position: Option<u32>,
    /// A new wording.
    pub text: Option<String>,
    /// A new lead unit; null removes it.
    pub lead: MaybeUndefined<AssigneeInput>,
    /// New co-operating units (replacing the old ones).
    pub cooperating: Option<Vec<AssigneeInput>>,
    /// New addressees (replacing the old ones).
    pub addressees: Option<Vec<AssigneeInput>>,
    /// A new assignment date.
    pub assigned_on: Option<DateScalar>,
    /// A new deadline; null removes it.
    pub deadline: MaybeUndefined<DateScalar>,
}

/// Input of `transitionTask`.
#[derive(InputObject)]
pub struct TransitionTaskInput {
    /// The task.
    pub id: ID,
    /// The state to move to; the state machine decides which moves are legal.
    pub to: Lifecycle,
    /// When.
    pub on: DateScalar,
    /// Why, or on whose report.
    pub note: Option<String>,
}

/// Input of `reportProgress`.
#[derive(InputObject)]
pub struct ReportProgressInput {
    /// The task reported on.
    pub task: ID,
    /// When; not before the task was assigned, not after it closed.
    pub reported_on: DateScalar,
    /// The reporting unit.
    pub reporter: Option<ID>,
    /// What was reported.
    pub note: String,
    /// How far along, in percent (0 to 100), when said.
    pub percent: Option<u32>,
}

/// Result of `addTask`, `updateTask` and `transitionTask`.
#[derive(SimpleObject)]
pub struct TaskPayload {
    /// The task as stored.
    pub task: TaskObject,
}

/// Result of `reportProgress`.
#[derive(SimpleObject)]
pub struct ProgressReportPayload {
    /// The report as stored.
    pub progress_report: ProgressReportObject,
}

fn parse_position(position: u32) -> ApiResult<u32> {
    if position == 0 {
        return Err(bad_input("position", "a task's position counts from 1"));
    }
    Ok(position)
}

fn parse_prose(field: &str, text: &str) -> ApiResult<Prose> {
    Prose::parse(text).map_err(|e| bad_input(field, e))
}

fn parse_note(field: &str, note: Option<&str>) -> ApiResult<Option<Text>> {
    note.map(Text::parse)
        .transpose()
        .map_err(|e| bad_input(field, e))
}

/// Tells subscribers that a task changed, naming every organization it is assigned to.
async fn publish_task_changed(ctx: &Context<'_>, task: &Task) -> ApiResult<()> {
    let organizations = task
        .lead
        .iter()
        .chain(&task.cooperating)
        .chain(&task.addressees)
        .filter_map(Assignee::organization)
        .map(|id| id.as_uuid())
        .collect();
    events(ctx)?
        .publish(Event::TaskChanged {
            task: task.id().as_uuid(),
            organizations,
            snapshot: Some(Box::new(task.clone())),
        })
        .await;
    Ok(())
}

/// Task mutations.
#[derive(Default)]
pub struct TasksMutation;

#[Object]
impl TasksMutation {
    /// Adds a task to a directive: its lead, co-operating and addressed organizations must exist
    /// and no other task of the directive may have its position.
    async fn add_task(&self, ctx: &Context<'_>, input: AddTaskInput) -> ApiResult<TaskPayload> {
        let actor = editor(ctx)?;
        let mut details = TaskDetails::new(
            DirectiveId::from_uuid(expect(&input.directive, "Directive")?),
            parse_position(input.position)?,
            parse_prose("text", &input.text)?,
            input.assigned_on.0,
        );
        details.lead = input.lead.as_ref().map(|l| l.parse("lead")).transpose()?;
        details.cooperating = parse_assignees(&input.cooperating, "cooperating")?;
        details.addressees = parse_assignees(&input.addressees, "addressees")?;
        details.deadline = input.deadline.map(|d| d.0);
        let task = Task::new(TaskId::new(), details).map_err(|e| bad_input("task", e))?;
        database(ctx)?.add_task(&actor, &task).await.api()?;
        publish_task_changed(ctx, &task).await?;
        Ok(TaskPayload {
            task: TaskObject::whole(task),
        })
    }

    /// Changes a task's assignment: lead, co-operating units, addressees, deadline, wording,
    /// position or assignment date. Fields left out stay as they are.
    async fn update_task(
        &self,
        ctx: &Context<'_>,
        input: UpdateTaskInput,
    ) -> ApiResult<TaskPayload> {
        let actor = editor(ctx)?;
        let id = TaskId::from_uuid(expect(&input.id, "Task")?);
        let db = database(ctx)?;
        let mut details = db.task(id).await.api()?.into_details();
        if let Some(position) = input.position {
            details.position = parse_position(position)?;
        }
        if let Some(text) = &input.text {
            details.text = parse_prose("text", text)?;
        }
        match &input.lead {
            MaybeUndefined::Undefined => {}
            MaybeUndefined::Null => details.lead = None,
            MaybeUndefined::Value(lead) => details.lead = Some(lead.parse("lead")?),
        }
        if let Some(cooperating) = &input.cooperating {
            details.cooperating = parse_assignees(cooperating, "cooperating")?;
        }
        if let Some(addressees) = &input.addressees {
            details.addressees = parse_assignees(addressees, "addressees")?;
        }
        if let Some(assigned_on) = input.assigned_on {
            details.assigned_on = assigned_on.0;
        }
        match input.deadline {
            MaybeUndefined::Undefined => {}
            MaybeUndefined::Null => details.deadline = None,
            MaybeUndefined::Value(deadline) => details.deadline = Some(deadline.0),
        }
        let task = Task::new(id, details).map_err(|e| bad_input("task", e))?;
        db.update_task(&actor, &task).await.api()?;
        publish_task_changed(ctx, &task).await?;
        Ok(TaskPayload {
            task: TaskObject::whole(task),
        })
    }

    /// Moves a task through its lifecycle. An illegal move (from a final state, or one the
    /// state machine does not allow) is BAD_USER_INPUT and changes nothing.
    async fn transition_task(
        &self,
        ctx: &Context<'_>,
        input: TransitionTaskInput,
    ) -> ApiResult<TaskPayload> {
        let actor = editor(ctx)?;
        let id = TaskId::from_uuid(expect(&input.id, "Task")?);
        let note = parse_note("note", input.note.as_deref())?;
        let task = database(ctx)?
            .transition_task(&actor, id, input.to.into(), input.on.0, note)
            .await
            .api()?;
        publish_task_changed(ctx, &task).await?;
        Ok(TaskPayload {
            task: TaskObject::whole(task),
        })
    }

    /// Records a progress report on a task: not before the task was assigned, not after it
    /// closed.
    async fn report_progress(
        &self,
        ctx: &Context<'_>,
        input: ReportProgressInput,
    ) -> ApiResult<ProgressReportPayload> {
        let actor = editor(ctx)?;
        let task = TaskId::from_uuid(expect(&input.task, "Task")?);
        let details = ProgressReportDetails {
            task,
            reported_on: input.reported_on.0,
            reporter: input
                .reporter
                .map(|id| expect(&id, "Organization").map(OrganizationId::from_uuid))
                .transpose()?,
            note: parse_prose("note", &input.note)?,
            percent: input
                .percent
                .map(Percent::new)
                .transpose()
                .map_err(|e| bad_input("percent", e))?,
        };
        let report = ProgressReport::new(ProgressReportId::new(), details)
            .map_err(|e| bad_input("progressReport", e))?;
        let db = database(ctx)?;
        db.report_progress(&actor, &report).await.api()?;
        // Subscribers to a unit's tasks hear of the report too; the task is read back for its
        // assignees (a report does not change them).
        let reported = db.task(task).await.api()?;
        publish_task_changed(ctx, &reported).await?;
        Ok(ProgressReportPayload {
            progress_report: ProgressReportObject(report),
        })
    }
}
