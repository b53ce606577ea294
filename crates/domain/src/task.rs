//! Tasks: the instructions a directive assigns, their lifecycle and their timeliness, as offices
//! track them under Decision 42/2014/QĐ-TTg.
//!
//! # Lifecycle
//!
//! The lifecycle is stored as a dated history of changes. Its state machine:
//!
//! | from | may move to |
//! |---|---|
//! | not started | in progress, suspended, awaiting confirmation, completed, cancelled |
//! | in progress | suspended, awaiting confirmation, completed, cancelled |
//! | suspended | in progress, cancelled |
//! | awaiting confirmation | completed (confirmed), in progress (sent back), cancelled |
//! | completed | (final) |
//! | cancelled | (final) |
//!
//! # Timeliness as of a date
//!
//! Derived, never stored: an open task with no deadline has *no deadline*; with one, it is *on
//! time* up to and including the deadline and *overdue* after it. A task completed by then was
//! *completed on time* when its completion date is on or before the deadline and *completed
//! late* otherwise. A task cancelled by then has no timeliness.
//!
//! # Statistics
//!
//! [`TaskStatistics`] counts, for one lead unit, the tasks assigned within a period, as of the
//! period's last day: the cancelled are left out of `assigned`; `completion_rate` is completed /
//! assigned and `late_rate` is completed late / completed (the two figures a city chairman
//! praises above 90% and under 10%).

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::directive::{Assignee, first_duplicate};
use crate::entity::aggregate;
use crate::ids::{DirectiveId, OrganizationId, ProgressReportId, TaskId};
use crate::text::{Prose, Text};

/// Where a task stands (stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lifecycle {
    /// Chưa thực hiện.
    NotStarted,
    /// Đang thực hiện.
    InProgress,
    /// Tạm hoãn.
    Suspended,
    /// Chờ xác nhận: reported done, waiting for the assigning office to confirm.
    AwaitingConfirmation,
    /// Đã hoàn thành.
    Completed,
    /// Hủy.
    Cancelled,
}

impl Lifecycle {
    /// Every state.
    pub const ALL: [Self; 6] = [
        Self::NotStarted,
        Self::InProgress,
        Self::Suspended,
        Self::AwaitingConfirmation,
        Self::Completed,
        Self::Cancelled,
    ];

    /// The stable code used in storage and the API.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::InProgress => "in_progress",
            Self::Suspended => "suspended",
            Self::AwaitingConfirmation => "awaiting_confirmation",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
        }
    }

    /// The state with this code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The Vietnamese term offices use.
    #[must_use]
    pub const fn vietnamese(self) -> &'static str {
        match self {
            Self::NotStarted => "chưa thực hiện",
            Self::InProgress => "đang thực hiện",
            Self::Suspended => "tạm hoãn",
            Self::AwaitingConfirmation => "chờ xác nhận",
            Self::Completed => "đã hoàn thành",
            Self::Cancelled => "hủy",
        }
    }

    /// Whether the state is final (completed or cancelled).
    #[must_use]
    pub const fn is_closed(self) -> bool {
        matches!(self, Self::Completed | Self::Cancelled)
    }

    /// The states this one may move to.
    #[must_use]
    pub const fn next_states(self) -> &'static [Self] {
        match self {
            Self::NotStarted => &[
                Self::InProgress,
                Self::Suspended,
                Self::AwaitingConfirmation,
                Self::Completed,
                Self::Cancelled,
            ],
            Self::InProgress => &[
                Self::Suspended,
                Self::AwaitingConfirmation,
                Self::Completed,
                Self::Cancelled,
            ],
            Self::Suspended => &[Self::InProgress, Self::Cancelled],
            Self::AwaitingConfirmation => &[Self::Completed, Self::InProgress, Self::Cancelled],
            Self::Completed | Self::Cancelled => &[],
        }
    }

    /// Whether the state machine allows moving from this state to `to`.
    #[must_use]
    pub fn may_move_to(self, to: Self) -> bool {
        self.next_states().contains(&to)
    }
}

impl fmt::Display for Lifecycle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How a task stands against its deadline as of a date (derived).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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

impl Timeliness {
    /// Every value.
    pub const ALL: [Self; 5] = [
        Self::NoDeadline,
        Self::OnTime,
        Self::Overdue,
        Self::CompletedOnTime,
        Self::CompletedLate,
    ];

    /// The stable code used in the API.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::NoDeadline => "no_deadline",
            Self::OnTime => "on_time",
            Self::Overdue => "overdue",
            Self::CompletedOnTime => "completed_on_time",
            Self::CompletedLate => "completed_late",
        }
    }
}

/// One dated step in a task's lifecycle.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LifecycleChange {
    /// The state moved to.
    pub to: Lifecycle,
    /// When.
    pub on: NaiveDate,
    /// Why, or on whose report.
    pub note: Option<Text>,
}

/// Why a task, a lifecycle change or a progress report was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskError {
    /// The state machine does not allow the move.
    #[error("a task cannot move from {from} to {to} (allowed from {from}: {allowed})")]
    IllegalTransition {
        /// The current state.
        from: Lifecycle,
        /// The state asked for.
        to: Lifecycle,
        /// The states that are allowed, comma-separated.
        allowed: String,
    },
    /// A lifecycle change is dated before the previous one.
    #[error("a lifecycle change on {on} cannot come before the previous change on {previous}")]
    ChangeGoesBack {
        /// The previous change's date.
        previous: NaiveDate,
        /// The date given.
        on: NaiveDate,
    },
    /// Something is dated before the task was assigned.
    #[error("{what} on {on} cannot come before the task was assigned on {assigned_on}")]
    BeforeAssignment {
        /// What was dated ("the deadline", "a lifecycle change", "a progress report").
        what: &'static str,
        /// The date given.
        on: NaiveDate,
        /// The assignment date.
        assigned_on: NaiveDate,
    },
    /// The lead unit is also listed as co-operating.
    #[error("the lead assignee {assignee:?} cannot also be a co-operating assignee")]
    LeadAlsoCooperating {
        /// The assignee.
        assignee: Assignee,
    },
    /// An assignee is listed twice among the lead, co-operating units and addressees.
    #[error(
        "assignee {assignee:?} is listed twice among the task's lead, co-operating units and addressees"
    )]
    DuplicateAssignee {
        /// The assignee.
        assignee: Assignee,
    },
    /// A percentage above 100.
    #[error("progress of {value}% is not between 0 and 100")]
    PercentOutOfRange {
        /// The value given.
        value: u32,
    },
    /// A progress report dated after the task was closed.
    #[error("task {task} was {state} on {closed_on}; a progress report on {on} comes after that")]
    ReportAfterClose {
        /// The task.
        task: TaskId,
        /// Its final state.
        state: Lifecycle,
        /// When it closed.
        closed_on: NaiveDate,
        /// The report's date.
        on: NaiveDate,
    },
    /// A progress report checked against another task.
    #[error("progress report names task {expected}, but was checked against task {given}")]
    WrongTask {
        /// The task the report names.
        expected: TaskId,
        /// The task given.
        given: TaskId,
    },
}

/// What Gazette records about a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskDetails {
    /// The directive that assigned it.
    pub directive: DirectiveId,
    /// Its place among the directive's tasks, from 1.
    pub position: u32,
    /// The instruction, in the source's words.
    pub text: Prose,
    /// The lead unit (chủ trì), when named.
    pub lead: Option<Assignee>,
    /// The co-operating units (phối hợp).
    #[serde(default)]
    pub cooperating: Vec<Assignee>,
    /// Whom the instruction is addressed to when the source names no lead among them
    /// ("Mặt trận và các tổ chức chính trị - xã hội ..."); empty when it is addressed like the
    /// directive as a whole.
    #[serde(default)]
    pub addressees: Vec<Assignee>,
    /// When it was assigned.
    pub assigned_on: NaiveDate,
    /// The deadline, when one was set.
    pub deadline: Option<NaiveDate>,
    /// The lifecycle's changes, oldest first; empty means not started.
    #[serde(default)]
    pub history: Vec<LifecycleChange>,
}

impl TaskDetails {
    /// A new, not-started task.
    #[must_use]
    pub fn new(directive: DirectiveId, position: u32, text: Prose, assigned_on: NaiveDate) -> Self {
        Self {
            directive,
            position,
            text,
            lead: None,
            cooperating: Vec::new(),
            addressees: Vec::new(),
            assigned_on,
            deadline: None,
            history: Vec::new(),
        }
    }

    fn validate(&self, _id: TaskId) -> Result<(), TaskError> {
        if let Some(deadline) = self.deadline
            && deadline < self.assigned_on
        {
            return Err(TaskError::BeforeAssignment {
                what: "the deadline",
                on: deadline,
                assigned_on: self.assigned_on,
            });
        }
        if let Some(lead) = &self.lead
            && self.cooperating.contains(lead)
        {
            return Err(TaskError::LeadAlsoCooperating {
                assignee: lead.clone(),
            });
        }
        if let Some(assignee) = first_duplicate(
            self.lead
                .iter()
                .chain(&self.cooperating)
                .chain(&self.addressees),
        ) {
            return Err(TaskError::DuplicateAssignee {
                assignee: assignee.clone(),
            });
        }
        let mut state = Lifecycle::NotStarted;
        let mut previous = self.assigned_on;
        for change in &self.history {
            check_change(state, previous, self.assigned_on, change.to, change.on)?;
            state = change.to;
            previous = change.on;
        }
        Ok(())
    }

    /// The current state.
    #[must_use]
    pub fn lifecycle(&self) -> Lifecycle {
        self.history.last().map_or(Lifecycle::NotStarted, |c| c.to)
    }

    /// The state on `day` (the last change on or before it).
    #[must_use]
    pub fn lifecycle_on(&self, day: NaiveDate) -> Lifecycle {
        self.history
            .iter()
            .take_while(|c| c.on <= day)
            .last()
            .map_or(Lifecycle::NotStarted, |c| c.to)
    }

    /// When the task reached its final state (completed or cancelled), if it has.
    #[must_use]
    pub fn closed_on(&self) -> Option<NaiveDate> {
        self.history
            .last()
            .filter(|c| c.to.is_closed())
            .map(|c| c.on)
    }

    /// When the task was completed, if it was.
    #[must_use]
    pub fn completed_on(&self) -> Option<NaiveDate> {
        self.history
            .last()
            .filter(|c| c.to == Lifecycle::Completed)
            .map(|c| c.on)
    }

    /// How the task stands against its deadline on `day` (see the module documentation);
    /// `None` when it had not been assigned yet or had been cancelled by then.
    #[must_use]
    pub fn timeliness(&self, day: NaiveDate) -> Option<Timeliness> {
        if day < self.assigned_on {
            return None;
        }
        match self.lifecycle_on(day) {
            Lifecycle::Cancelled => None,
            Lifecycle::Completed => {
                let completed_on = self.completed_on()?;
                Some(match self.deadline {
                    None => Timeliness::NoDeadline,
                    Some(deadline) if completed_on <= deadline => Timeliness::CompletedOnTime,
                    Some(_) => Timeliness::CompletedLate,
                })
            }
            _ => Some(match self.deadline {
                None => Timeliness::NoDeadline,
                Some(deadline) if day <= deadline => Timeliness::OnTime,
                Some(_) => Timeliness::Overdue,
            }),
        }
    }

    /// Whether the task names `organization` as lead, co-operating unit or addressee.
    #[must_use]
    pub fn is_assigned_to(&self, organization: OrganizationId) -> bool {
        self.lead
            .iter()
            .chain(&self.cooperating)
            .chain(&self.addressees)
            .any(|a| a.organization() == Some(organization))
    }
}

fn check_change(
    from: Lifecycle,
    previous: NaiveDate,
    assigned_on: NaiveDate,
    to: Lifecycle,
    on: NaiveDate,
) -> Result<(), TaskError> {
    if !from.may_move_to(to) {
        let allowed = from
            .next_states()
            .iter()
            .map(|s| s.code())
            .collect::<Vec<_>>();
        return Err(TaskError::IllegalTransition {
            from,
            to,
            allowed: if allowed.is_empty() {
                "nothing, it is final".to_owned()
            } else {
                allowed.join(", ")
            },
        });
    }
    if on < assigned_on {
        return Err(TaskError::BeforeAssignment {
            what: "a lifecycle change",
            on,
            assigned_on,
        });
    }
    if on < previous {
        return Err(TaskError::ChangeGoesBack { previous, on });
    }
    Ok(())
}

aggregate!(
    /// A task assigned by a directive.
    Task,
    TaskId,
    TaskDetails,
    TaskError
);

impl Task {
    /// Moves the task to `to` on `on`; illegal moves are typed errors and change nothing.
    pub fn transition(
        &mut self,
        to: Lifecycle,
        on: NaiveDate,
        note: Option<Text>,
    ) -> Result<(), TaskError> {
        let previous = self.history.last().map_or(self.assigned_on, |c| c.on);
        check_change(self.lifecycle(), previous, self.assigned_on, to, on)?;
        let mut details = self.details().clone();
        details.history.push(LifecycleChange { to, on, note });
        self.update(details)
    }
}

/// A percentage from 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Percent(u8);

impl Percent {
    /// Checks and builds a percentage.
    pub fn new(value: u32) -> Result<Self, TaskError> {
        u8::try_from(value)
            .ok()
            .filter(|v| *v <= 100)
            .map(Self)
            .ok_or(TaskError::PercentOutOfRange { value })
    }

    /// The value.
    #[must_use]
    pub fn value(self) -> u8 {
        self.0
    }
}

impl TryFrom<u32> for Percent {
    type Error = TaskError;

    fn try_from(value: u32) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Percent> for u32 {
    fn from(value: Percent) -> Self {
        u32::from(value.0)
    }
}

/// What Gazette records about a progress report on a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressReportDetails {
    /// The task reported on.
    pub task: TaskId,
    /// When.
    pub reported_on: NaiveDate,
    /// The reporting unit.
    pub reporter: Option<OrganizationId>,
    /// What was reported.
    pub note: Prose,
    /// How far along, when said.
    pub percent: Option<Percent>,
}

impl ProgressReportDetails {
    fn validate(&self, _id: ProgressReportId) -> Result<(), TaskError> {
        Ok(())
    }
}

aggregate!(
    /// A dated progress report on a task.
    ProgressReport,
    ProgressReportId,
    ProgressReportDetails,
    TaskError
);

impl ProgressReport {
    /// Checks the report against its task: not before the assignment, not after it closed.
    pub fn check_task(&self, task: &Task) -> Result<(), TaskError> {
        if self.task != task.id() {
            return Err(TaskError::WrongTask {
                expected: self.task,
                given: task.id(),
            });
        }
        if self.reported_on < task.assigned_on {
            return Err(TaskError::BeforeAssignment {
                what: "a progress report",
                on: self.reported_on,
                assigned_on: task.assigned_on,
            });
        }
        if let Some(closed_on) = task.closed_on()
            && self.reported_on > closed_on
        {
            return Err(TaskError::ReportAfterClose {
                task: task.id(),
                state: task.lifecycle(),
                closed_on,
                on: self.reported_on,
            });
        }
        Ok(())
    }
}

/// One lead unit's task figures over a period (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TaskStatistics {
    /// Tasks assigned in the period and not cancelled by its end.
    pub assigned: u64,
    /// Of those, completed by the period's end.
    pub completed: u64,
    /// Of the completed, completed after their deadline.
    pub completed_late: u64,
    /// Of those not completed, past their deadline at the period's end.
    pub open_overdue: u64,
    /// Tasks assigned in the period and cancelled by its end (not in `assigned`).
    pub cancelled: u64,
}

impl TaskStatistics {
    /// Computes the figures for `lead` over `from..=to` from the tasks given (others ignored).
    #[must_use]
    pub fn compute<'a>(
        tasks: impl IntoIterator<Item = &'a Task>,
        lead: OrganizationId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Self {
        let mut statistics = Self::default();
        for task in tasks {
            let in_scope = task.lead.as_ref().and_then(Assignee::organization) == Some(lead)
                && from <= task.assigned_on
                && task.assigned_on <= to;
            if !in_scope {
                continue;
            }
            match task.timeliness(to) {
                None => statistics.cancelled += 1,
                Some(timeliness) => {
                    statistics.assigned += 1;
                    match timeliness {
                        Timeliness::CompletedLate => {
                            statistics.completed += 1;
                            statistics.completed_late += 1;
                        }
                        Timeliness::CompletedOnTime => statistics.completed += 1,
                        Timeliness::NoDeadline if task.lifecycle_on(to) == Lifecycle::Completed => {
                            statistics.completed += 1;
                        }
                        Timeliness::Overdue => statistics.open_overdue += 1,
                        Timeliness::NoDeadline | Timeliness::OnTime => {}
                    }
                }
            }
        }
        statistics
    }

    /// Completed / assigned, `None` when nothing was assigned.
    #[must_use]
    pub fn completion_rate(&self) -> Option<f64> {
        ratio(self.completed, self.assigned)
    }

    /// Completed late / completed, `None` when nothing was completed.
    #[must_use]
    pub fn late_rate(&self) -> Option<f64> {
        ratio(self.completed_late, self.completed)
    }
}

#[expect(clippy::cast_precision_loss, reason = "task counts are far below 2^52")]
fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn task(lead: OrganizationId, assigned: &str, deadline: Option<&str>) -> Task {
        let mut details = TaskDetails::new(
            DirectiveId::new(),
            1,
            Prose::parse("Báo cáo kết quả thực hiện trước 10/9/2022").unwrap(),
            day(assigned),
        );
        details.lead = Some(Assignee::Organization { id: lead });
        details.deadline = deadline.map(day);
        Task::new(TaskId::new(), details).unwrap()
    }

    #[test]
    fn timeliness_follows_the_deadline_and_the_completion_date() {
        let unit = OrganizationId::new();
        let mut report = task(unit, "2022-08-24", Some("2022-09-10"));
        assert_eq!(
            report.timeliness(day("2022-09-10")),
            Some(Timeliness::OnTime)
        );
        assert_eq!(
            report.timeliness(day("2022-09-11")),
            Some(Timeliness::Overdue)
        );
        report
            .transition(Lifecycle::InProgress, day("2022-08-25"), None)
            .unwrap();
        report
            .transition(Lifecycle::Completed, day("2022-09-12"), None)
            .unwrap();
        assert_eq!(
            report.timeliness(day("2022-09-11")),
            Some(Timeliness::Overdue)
        );
        assert_eq!(
            report.timeliness(day("2022-09-12")),
            Some(Timeliness::CompletedLate)
        );
        assert_eq!(report.completed_on(), Some(day("2022-09-12")));

        let mut on_time = task(unit, "2022-08-24", Some("2022-09-10"));
        on_time
            .transition(Lifecycle::Completed, day("2022-09-10"), None)
            .unwrap();
        assert_eq!(
            on_time.timeliness(day("2023-01-01")),
            Some(Timeliness::CompletedOnTime)
        );

        let mut open = task(unit, "2022-08-24", None);
        assert_eq!(
            open.timeliness(day("2030-01-01")),
            Some(Timeliness::NoDeadline)
        );
        open.transition(Lifecycle::Cancelled, day("2022-09-01"), None)
            .unwrap();
        assert_eq!(
            open.timeliness(day("2022-08-31")),
            Some(Timeliness::NoDeadline)
        );
        assert_eq!(open.timeliness(day("2022-09-01")), None);
    }

    #[test]
    fn illegal_transitions_are_typed_errors_naming_the_states() {
        let mut done = task(OrganizationId::new(), "2022-08-24", None);
        done.transition(Lifecycle::Completed, day("2022-08-30"), None)
            .unwrap();
        let error = done
            .transition(Lifecycle::InProgress, day("2022-09-01"), None)
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "a task cannot move from completed to in_progress (allowed from completed: nothing, it is final)"
        );
        let mut suspended = task(OrganizationId::new(), "2022-08-24", None);
        suspended
            .transition(Lifecycle::Suspended, day("2022-08-25"), None)
            .unwrap();
        assert!(matches!(
            suspended.transition(Lifecycle::Completed, day("2022-08-26"), None),
            Err(TaskError::IllegalTransition { .. })
        ));
        assert!(matches!(
            suspended.transition(Lifecycle::InProgress, day("2022-08-20"), None),
            Err(TaskError::BeforeAssignment { .. })
        ));
    }

    #[test]
    fn a_deadline_before_the_assignment_is_rejected() {
        let mut details = TaskDetails::new(
            DirectiveId::new(),
            1,
            Prose::parse("x").unwrap(),
            day("2022-08-24"),
        );
        details.deadline = Some(day("2022-08-23"));
        assert!(matches!(
            Task::new(TaskId::new(), details),
            Err(TaskError::BeforeAssignment { .. })
        ));
    }

    #[test]
    fn the_lead_cannot_also_co_operate() {
        let unit = Assignee::Organization {
            id: OrganizationId::new(),
        };
        let mut details = TaskDetails::new(
            DirectiveId::new(),
            1,
            Prose::parse("x").unwrap(),
            day("2022-08-24"),
        );
        details.lead = Some(unit.clone());
        details.cooperating = vec![unit];
        assert!(matches!(
            Task::new(TaskId::new(), details),
            Err(TaskError::LeadAlsoCooperating { .. })
        ));
    }

    #[test]
    fn progress_reports_fall_between_assignment_and_closing() {
        let mut work = task(OrganizationId::new(), "2022-08-24", None);
        let work_id = work.id();
        let report = |on: &str| {
            ProgressReport::new(
                ProgressReportId::new(),
                ProgressReportDetails {
                    task: work_id,
                    reported_on: day(on),
                    reporter: None,
                    note: Prose::parse("Đã hoàn thành 50%").unwrap(),
                    percent: Some(Percent::new(50).unwrap()),
                },
            )
            .unwrap()
        };
        assert!(report("2022-08-30").check_task(&work).is_ok());
        assert!(report("2022-08-01").check_task(&work).is_err());
        work.transition(Lifecycle::Completed, day("2022-09-01"), None)
            .unwrap();
        assert!(matches!(
            report("2022-09-02").check_task(&work),
            Err(TaskError::ReportAfterClose { .. })
        ));
        assert!(Percent::new(101).is_err());
    }

    #[test]
    fn statistics_count_completion_and_lateness_for_one_lead_unit() {
        let unit = OrganizationId::new();
        let other = OrganizationId::new();
        let mut tasks = vec![
            task(unit, "2020-01-10", Some("2020-03-01")),
            task(unit, "2020-02-10", Some("2020-03-01")),
            task(unit, "2020-03-10", Some("2020-04-01")),
            task(unit, "2020-04-10", None),
            task(unit, "2020-05-10", Some("2020-12-01")),
            task(other, "2020-01-10", Some("2020-03-01")),
            task(unit, "2021-01-10", Some("2021-03-01")),
        ];
        tasks[0]
            .transition(Lifecycle::Completed, day("2020-02-20"), None)
            .unwrap();
        tasks[1]
            .transition(Lifecycle::Completed, day("2020-03-05"), None)
            .unwrap();
        tasks[3]
            .transition(Lifecycle::Completed, day("2020-06-01"), None)
            .unwrap();
        tasks[4]
            .transition(Lifecycle::Cancelled, day("2020-06-01"), None)
            .unwrap();
        let stats = TaskStatistics::compute(&tasks, unit, day("2020-01-01"), day("2020-12-31"));
        assert_eq!(
            stats,
            TaskStatistics {
                assigned: 4,
                completed: 3,
                completed_late: 1,
                open_overdue: 1,
                cancelled: 1,
            }
        );
        assert_eq!(stats.completion_rate(), Some(0.75));
        assert_eq!(stats.late_rate(), Some(1.0 / 3.0));
        let empty = TaskStatistics::compute(
            &tasks,
            OrganizationId::new(),
            day("2020-01-01"),
            day("2020-12-31"),
        );
        assert_eq!(empty.completion_rate(), None);
    }
}
