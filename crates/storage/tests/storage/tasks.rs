//! Tasks and progress reports: round trips, the lifecycle state machine, reports against the
//! task's dates, filters (timeliness judged in SQL and compared with the domain), statistics in
//! SQL compared with the domain's, and batch reads.

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate};
use gazette_domain::DomainError;
use gazette_domain::award::number::DocumentNumber;
use gazette_domain::directive::{Assignee, Directive};
use gazette_domain::ids::{DirectiveId, OrganizationId, ProgressReportId, TaskId};
use gazette_domain::organization::{Classification, Organization};
use gazette_domain::task::{
    Lifecycle, LifecycleChange, Percent, ProgressReport, ProgressReportDetails, Task, TaskDetails,
    TaskError, TaskStatistics, Timeliness,
};
use gazette_domain::text::Prose;
use gazette_storage::tasks::TaskFilter;
use gazette_storage::{AuditFilter, Database, PageRequest, RecordedState, StorageError, TaskParts};

use crate::directives::{city_with_speech, directing_speech, issued_directive};
use crate::harness::{actor, each_engine};
use crate::meetings::{day, organization, text};

fn unit(organization: &Organization) -> Assignee {
    Assignee::Organization {
        id: organization.id(),
    }
}

fn group(name: &str) -> Assignee {
    Assignee::Group { name: text(name) }
}

/// A not-started task of `directive` led by `lead`.
fn task(directive: &Directive, position: u32, lead: Option<Assignee>, assigned: &str) -> Task {
    let mut details = TaskDetails::new(
        directive.id(),
        position,
        Prose::parse(format!("Nhiệm vụ số {position}: báo cáo kết quả thực hiện")).unwrap(),
        day(assigned),
    );
    details.lead = lead;
    Task::new(TaskId::new(), details).unwrap()
}

fn report(task: &Task, on: &str) -> ProgressReport {
    ProgressReport::new(
        ProgressReportId::new(),
        ProgressReportDetails {
            task: task.id(),
            reported_on: day(on),
            reporter: None,
            note: Prose::parse("Đã triển khai").unwrap(),
            percent: None,
        },
    )
    .unwrap()
}

async fn units(db: &Database) -> [Organization; 3] {
    [
        organization(db, "Sở Nội vụ", Classification::Department).await,
        organization(db, "Ban Dân vận Thành ủy", Classification::PartyBoard).await,
        organization(
            db,
            "Ủy ban MTTQ Việt Nam thành phố",
            Classification::FatherlandFront,
        )
        .await,
    ]
}

fn ids(page: &gazette_storage::Page<Task>) -> Vec<TaskId> {
    page.edges.iter().map(|e| e.node.id()).collect()
}

#[tokio::test]
async fn every_field_of_a_task_and_a_progress_report_round_trips_byte_exact() {
    each_engine(|db| async move {
        let [home, dan_van, front] = units(&db).await;
        let directive = issued_directive(&db, "2022-08-24").await;
        let mut details = TaskDetails::new(
            directive.id(),
            1,
            Prose::parse(
                "Chủ trì, phối hợp các sở, ngành liên quan\n  báo cáo kết quả trước 10/9/2022",
            )
            .unwrap(),
            day("2022-08-24"),
        );
        details.lead = Some(unit(&home));
        details.cooperating = vec![
            unit(&dan_van),
            group(r#"các quận, huyện ("Ninh Kiều"\Cái Răng)"#),
        ];
        details.addressees = vec![
            group("Mặt trận và các tổ chức chính trị - xã hội"),
            unit(&front),
        ];
        details.deadline = Some(day("2022-09-10"));
        details.history = vec![
            LifecycleChange {
                to: Lifecycle::InProgress,
                on: day("2022-08-25"),
                note: Some(text(r#"Theo Công văn số 15/KH-UBND "khẩn", mục 2\3 🏛"#)),
            },
            LifecycleChange {
                to: Lifecycle::AwaitingConfirmation,
                on: day("2022-09-09"),
                note: None,
            },
        ];
        let task = Task::new(TaskId::new(), details).unwrap();
        db.add_task(&actor(), &task).await.unwrap();
        let back = db.task(task.id()).await.unwrap();
        assert_eq!(back, task);
        assert_eq!(back.text.as_str().as_bytes(), task.text.as_str().as_bytes());

        let group_led = {
            let mut details = TaskDetails::new(
                directive.id(),
                2,
                Prose::parse("Đẩy mạnh phong trào “Dân vận khéo”").unwrap(),
                day("2022-08-24"),
            );
            details.lead = Some(group("các cấp ủy đảng"));
            Task::new(TaskId::new(), details).unwrap()
        };
        db.add_task(&actor(), &group_led).await.unwrap();
        assert_eq!(db.task(group_led.id()).await.unwrap(), group_led);

        let progress = ProgressReport::new(
            ProgressReportId::new(),
            ProgressReportDetails {
                task: task.id(),
                reported_on: day("2022-09-01"),
                reporter: Some(home.id()),
                note: Prose::parse("Đã hoàn thành 50%\nĐang tổng hợp số liệu các quận, huyện")
                    .unwrap(),
                percent: Some(Percent::new(50).unwrap()),
            },
        )
        .unwrap();
        db.report_progress(&actor(), &progress).await.unwrap();
        let plain = report(&task, "2022-09-02");
        db.report_progress(&actor(), &plain).await.unwrap();
        let reports = db
            .progress_reports_of_tasks(&[task.id(), group_led.id()])
            .await
            .unwrap();
        assert_eq!(reports[&task.id()], [progress, plain]);
        assert!(reports[&group_led.id()].is_empty());

        let audit = db
            .audit_log(
                &AuditFilter {
                    entity: Some(("task".to_owned(), task.id().as_uuid())),
                    ..AuditFilter::default()
                },
                &PageRequest::first(10),
            )
            .await
            .unwrap();
        assert_eq!(audit.edges[0].node.operation, "add_task");
    })
    .await;
}

#[tokio::test]
async fn a_task_needs_its_directive_and_assigned_organizations_and_a_free_position() {
    each_engine(|db| async move {
        let [home, ..] = units(&db).await;
        let directive = issued_directive(&db, "2022-08-24").await;
        let first = task(&directive, 1, Some(unit(&home)), "2022-08-24");
        db.add_task(&actor(), &first).await.unwrap();
        let same_position = task(&directive, 1, Some(unit(&home)), "2022-08-24");
        assert!(matches!(
            db.add_task(&actor(), &same_position).await,
            Err(StorageError::Conflict { .. })
        ));
        let mut orphan = task(&directive, 2, None, "2022-08-24").into_details();
        orphan.directive = DirectiveId::new();
        let orphan = Task::new(TaskId::new(), orphan).unwrap();
        assert!(matches!(
            db.add_task(&actor(), &orphan).await,
            Err(StorageError::NotFound {
                kind: "directive",
                ..
            })
        ));
        let unknown_unit = Assignee::Organization {
            id: OrganizationId::new(),
        };
        let mut stray = task(&directive, 3, Some(unit(&home)), "2022-08-24").into_details();
        stray.cooperating = vec![unknown_unit];
        let stray = Task::new(TaskId::new(), stray).unwrap();
        assert!(matches!(
            db.add_task(&actor(), &stray).await,
            Err(StorageError::NotFound {
                kind: "organization",
                ..
            })
        ));
        let listed = db
            .tasks(&TaskFilter::default(), &PageRequest::first(10))
            .await
            .unwrap();
        assert_eq!(ids(&listed), [first.id()]);
    })
    .await;
}

#[tokio::test]
async fn illegal_lifecycle_moves_are_refused_and_change_nothing() {
    each_engine(|db| async move {
        let [home, ..] = units(&db).await;
        let directive = issued_directive(&db, "2022-08-24").await;
        let work = task(&directive, 1, Some(unit(&home)), "2022-08-24");
        db.add_task(&actor(), &work).await.unwrap();

        let suspended = db
            .transition_task(
                &actor(),
                work.id(),
                Lifecycle::Suspended,
                day("2022-08-26"),
                None,
            )
            .await
            .unwrap();
        assert_eq!(suspended.lifecycle(), Lifecycle::Suspended);
        let audit_before = db
            .audit_log(&AuditFilter::default(), &PageRequest::first(100))
            .await
            .unwrap()
            .edges
            .len();

        let error = db
            .transition_task(
                &actor(),
                work.id(),
                Lifecycle::Completed,
                day("2022-08-27"),
                None,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                StorageError::Invariant(DomainError::Task(TaskError::IllegalTransition {
                    from: Lifecycle::Suspended,
                    to: Lifecycle::Completed,
                    ..
                }))
            ),
            "{error:?}"
        );
        assert!(matches!(
            db.transition_task(
                &actor(),
                work.id(),
                Lifecycle::InProgress,
                day("2022-08-25"),
                None
            )
            .await,
            Err(StorageError::Invariant(DomainError::Task(
                TaskError::ChangeGoesBack { .. }
            )))
        ));
        assert_eq!(
            db.task(work.id()).await.unwrap(),
            suspended,
            "a refused move changes nothing"
        );
        assert_eq!(
            db.audit_log(&AuditFilter::default(), &PageRequest::first(100))
                .await
                .unwrap()
                .edges
                .len(),
            audit_before,
            "a refused move is not audited"
        );

        db.transition_task(
            &actor(),
            work.id(),
            Lifecycle::InProgress,
            day("2022-08-28"),
            None,
        )
        .await
        .unwrap();
        let done = db
            .transition_task(
                &actor(),
                work.id(),
                Lifecycle::Completed,
                day("2022-09-05"),
                Some(text("Đã xác nhận hoàn thành")),
            )
            .await
            .unwrap();
        assert_eq!(db.task(work.id()).await.unwrap(), done);
        assert_eq!(done.closed_on(), Some(day("2022-09-05")));
        assert!(matches!(
            db.transition_task(
                &actor(),
                work.id(),
                Lifecycle::Cancelled,
                day("2022-09-06"),
                None
            )
            .await,
            Err(StorageError::Invariant(DomainError::Task(
                TaskError::IllegalTransition { .. }
            )))
        ));
        assert!(matches!(
            db.transition_task(
                &actor(),
                TaskId::new(),
                Lifecycle::InProgress,
                day("2022-09-06"),
                None
            )
            .await,
            Err(StorageError::NotFound { kind: "task", .. })
        ));
        let listed = db
            .tasks(
                &TaskFilter {
                    lifecycle: Some(Lifecycle::Completed),
                    ..TaskFilter::default()
                },
                &PageRequest::first(10),
            )
            .await
            .unwrap();
        assert_eq!(
            ids(&listed),
            [work.id()],
            "the stored state follows the history"
        );
    })
    .await;
}

#[tokio::test]
async fn a_report_after_the_task_closed_is_refused_and_a_close_before_a_report_too() {
    each_engine(|db| async move {
        let [home, ..] = units(&db).await;
        let directive = issued_directive(&db, "2022-08-24").await;
        let work = task(&directive, 1, Some(unit(&home)), "2022-08-24");
        db.add_task(&actor(), &work).await.unwrap();
        db.report_progress(&actor(), &report(&work, "2022-08-30"))
            .await
            .unwrap();
        assert!(matches!(
            db.report_progress(&actor(), &report(&work, "2022-08-01"))
                .await,
            Err(StorageError::Invariant(DomainError::Task(
                TaskError::BeforeAssignment { .. }
            )))
        ));
        // Closing on a day before a recorded report would leave that report after the close.
        assert!(matches!(
            db.transition_task(
                &actor(),
                work.id(),
                Lifecycle::Completed,
                day("2022-08-29"),
                None
            )
            .await,
            Err(StorageError::Invariant(DomainError::Task(
                TaskError::ReportAfterClose { .. }
            )))
        ));
        db.transition_task(
            &actor(),
            work.id(),
            Lifecycle::Cancelled,
            day("2022-09-01"),
            None,
        )
        .await
        .unwrap();
        db.report_progress(&actor(), &report(&work, "2022-09-01"))
            .await
            .unwrap();
        let late = report(&work, "2022-09-02");
        assert!(matches!(
            db.report_progress(&actor(), &late).await,
            Err(StorageError::Invariant(DomainError::Task(
                TaskError::ReportAfterClose { .. }
            )))
        ));
        let reports = db.progress_reports_of_tasks(&[work.id()]).await.unwrap();
        assert_eq!(
            reports[&work.id()].len(),
            2,
            "the refused reports were not written"
        );
        let orphan = report(&task(&directive, 9, None, "2022-08-24"), "2022-08-30");
        assert!(matches!(
            db.report_progress(&actor(), &orphan).await,
            Err(StorageError::NotFound { kind: "task", .. })
        ));
    })
    .await;
}

#[tokio::test]
async fn reassigning_a_task_keeps_its_history_which_only_transitions_change() {
    each_engine(|db| async move {
        let [home, dan_van, front] = units(&db).await;
        let directive = issued_directive(&db, "2022-08-24").await;
        let work = task(&directive, 1, Some(unit(&home)), "2022-08-24");
        db.add_task(&actor(), &work).await.unwrap();
        let started = db
            .transition_task(
                &actor(),
                work.id(),
                Lifecycle::InProgress,
                day("2022-08-25"),
                None,
            )
            .await
            .unwrap();

        let mut details = started.clone().into_details();
        details.lead = Some(unit(&dan_van));
        details.cooperating = vec![unit(&home)];
        details.addressees = vec![unit(&front)];
        details.deadline = Some(day("2022-10-01"));
        details.text = Prose::parse("Nhiệm vụ đã điều chỉnh").unwrap();
        let mut reassigned = started.clone();
        reassigned.update(details).unwrap();
        db.update_task(&actor(), &reassigned).await.unwrap();
        assert_eq!(db.task(work.id()).await.unwrap(), reassigned);
        let led = db
            .tasks(
                &TaskFilter {
                    assignee: Some(home.id()),
                    lead_only: true,
                    ..TaskFilter::default()
                },
                &PageRequest::first(10),
            )
            .await
            .unwrap();
        assert!(led.edges.is_empty(), "the former lead no longer leads it");

        // A stale copy, from before the transition, would erase the history.
        let mut stale = work.clone().into_details();
        stale.deadline = Some(day("2022-12-01"));
        let mut stale_task = work.clone();
        stale_task.update(stale).unwrap();
        assert!(matches!(
            db.update_task(&actor(), &stale_task).await,
            Err(StorageError::Conflict { .. })
        ));
        let mut rewritten = reassigned.clone().into_details();
        rewritten.history.push(LifecycleChange {
            to: Lifecycle::Completed,
            on: day("2022-09-01"),
            note: None,
        });
        let mut rewritten_task = reassigned.clone();
        rewritten_task.update(rewritten).unwrap();
        assert!(matches!(
            db.update_task(&actor(), &rewritten_task).await,
            Err(StorageError::Conflict { .. })
        ));
        assert_eq!(db.task(work.id()).await.unwrap(), reassigned);
    })
    .await;
}

#[tokio::test]
async fn tasks_are_filtered_by_assignee_lifecycle_deadline_and_directive_page_by_page() {
    each_engine(|db| async move {
        let [home, dan_van, front] = units(&db).await;
        let directive = issued_directive(&db, "2022-01-01").await;
        let other_directive = issued_directive(&db, "2022-01-01").await;
        let mut tasks = Vec::new();
        for position in 1..=12u32 {
            let lead = [&home, &dan_van, &front][(position % 3) as usize];
            let assigned = day("2022-01-01")
                .checked_add_days(Days::new(u64::from(position)))
                .unwrap();
            let mut details = task(
                if position == 12 {
                    &other_directive
                } else {
                    &directive
                },
                position,
                Some(unit(lead)),
                "2022-01-01",
            )
            .into_details();
            details.assigned_on = assigned;
            if position % 2 == 0 {
                details.cooperating = vec![unit(
                    [&home, &dan_van, &front][((position + 1) % 3) as usize],
                )];
            }
            if position % 4 != 0 {
                details.deadline = assigned.checked_add_days(Days::new(u64::from(position) * 5));
            }
            let task = Task::new(TaskId::new(), details).unwrap();
            db.add_task(&actor(), &task).await.unwrap();
            tasks.push(task);
        }
        for position in [2usize, 5, 7] {
            db.transition_task(
                &actor(),
                tasks[position - 1].id(),
                Lifecycle::InProgress,
                day("2022-02-01"),
                None,
            )
            .await
            .unwrap();
        }
        let list = |filter: TaskFilter| {
            let db = db.clone();
            async move { ids(&db.tasks(&filter, &PageRequest::first(100)).await.unwrap()) }
        };
        let expected = |keep: &dyn Fn(&Task) -> bool| -> Vec<TaskId> {
            tasks.iter().filter(|t| keep(t)).map(Task::id).collect()
        };
        assert_eq!(
            list(TaskFilter {
                assignee: Some(home.id()),
                ..TaskFilter::default()
            })
            .await,
            expected(&|t| t.is_assigned_to(home.id())),
            "lead or co-operating"
        );
        assert_eq!(
            list(TaskFilter {
                assignee: Some(home.id()),
                lead_only: true,
                ..TaskFilter::default()
            })
            .await,
            expected(&|t| t.lead == Some(unit(&home)))
        );
        assert_ne!(
            expected(&|t| t.is_assigned_to(home.id())),
            expected(&|t| t.lead == Some(unit(&home))),
            "the fixture has co-operating assignments"
        );
        assert_eq!(
            list(TaskFilter {
                lifecycle: Some(Lifecycle::InProgress),
                ..TaskFilter::default()
            })
            .await,
            [tasks[1].id(), tasks[4].id(), tasks[6].id()]
        );
        assert_eq!(
            list(TaskFilter {
                deadline_from: Some(day("2022-01-20")),
                deadline_to: Some(day("2022-02-10")),
                ..TaskFilter::default()
            })
            .await,
            expected(&|t| t
                .deadline
                .is_some_and(|d| day("2022-01-20") <= d && d <= day("2022-02-10")))
        );
        assert_eq!(
            list(TaskFilter {
                directive: Some(other_directive.id()),
                ..TaskFilter::default()
            })
            .await,
            [tasks[11].id()]
        );
        assert!(matches!(
            db.tasks(
                &TaskFilter {
                    timeliness: Some(Timeliness::Overdue),
                    ..TaskFilter::default()
                },
                &PageRequest::first(10)
            )
            .await,
            Err(StorageError::InvalidInput(_))
        ));

        let mut paged = Vec::new();
        let mut request = PageRequest::first(5);
        loop {
            let page = db.tasks(&TaskFilter::default(), &request).await.unwrap();
            paged.extend(ids(&page));
            if !page.has_next_page {
                break;
            }
            request = PageRequest::after(5, page.edges.last().unwrap().cursor.clone());
        }
        assert_eq!(paged, expected(&|_| true), "pages in assignment order");
    })
    .await;
}

/// Forty tasks over three lead units (and one group), with every kind of history: never
/// started, started, completed early and late, suspended and resumed, cancelled, sent back from
/// awaiting confirmation; deadlines absent, short and long.
async fn varied_tasks(db: &Database, leads: &[Organization]) -> Vec<Task> {
    let directive = issued_directive(db, "2022-01-01").await;
    let base = day("2022-01-01");
    let plus = |date: NaiveDate, days: u64| date.checked_add_days(Days::new(days)).unwrap();
    let mut tasks = Vec::new();
    for i in 0..40u32 {
        let assigned = plus(base, u64::from(i * 7 % 60));
        let mut details = TaskDetails::new(
            directive.id(),
            i + 1,
            Prose::parse(format!("Nhiệm vụ {i}")).unwrap(),
            assigned,
        );
        details.lead = if i % 11 == 5 {
            Some(group("các quận, huyện"))
        } else {
            Some(unit(&leads[(i % 3) as usize]))
        };
        if i % 2 == 0 {
            details.cooperating = vec![unit(&leads[((i + 1) % 3) as usize])];
        }
        details.deadline = match i % 4 {
            0 => None,
            1 => Some(plus(assigned, 10)),
            2 => Some(plus(assigned, 30)),
            _ => Some(plus(assigned, 5)),
        };
        let steps: &[(Lifecycle, u64)] = match i % 7 {
            0 => &[],
            1 => &[(Lifecycle::InProgress, 3)],
            2 => &[(Lifecycle::InProgress, 3), (Lifecycle::Completed, 8)],
            3 => &[(Lifecycle::Completed, 20)],
            4 => &[(Lifecycle::Cancelled, 15)],
            5 => &[
                (Lifecycle::Suspended, 2),
                (Lifecycle::InProgress, 6),
                (Lifecycle::AwaitingConfirmation, 9),
                (Lifecycle::Completed, 40),
            ],
            _ => &[
                (Lifecycle::AwaitingConfirmation, 4),
                (Lifecycle::InProgress, 7),
                (Lifecycle::Cancelled, 12),
            ],
        };
        details.history = steps
            .iter()
            .map(|(to, after)| LifecycleChange {
                to: *to,
                on: plus(assigned, *after),
                note: None,
            })
            .collect();
        let task = Task::new(TaskId::new(), details).unwrap();
        db.add_task(&actor(), &task).await.unwrap();
        tasks.push(task);
    }
    tasks
}

#[tokio::test]
async fn timeliness_as_of_a_date_is_judged_in_sql_as_the_domain_judges_it() {
    each_engine(|db| async move {
        let leads = units(&db).await;
        let tasks = varied_tasks(&db, &leads).await;
        let mut seen = BTreeSet::new();
        let mut as_of = day("2021-12-25");
        while as_of <= day("2022-05-01") {
            for timeliness in Timeliness::ALL {
                let found: BTreeSet<TaskId> = ids(&db
                    .tasks(
                        &TaskFilter {
                            timeliness: Some(timeliness),
                            as_of: Some(as_of),
                            ..TaskFilter::default()
                        },
                        &PageRequest::first(100),
                    )
                    .await
                    .unwrap())
                .into_iter()
                .collect();
                let expected: BTreeSet<TaskId> = tasks
                    .iter()
                    .filter(|t| t.timeliness(as_of) == Some(timeliness))
                    .map(Task::id)
                    .collect();
                assert_eq!(found, expected, "{timeliness:?} as of {as_of}");
                if !expected.is_empty() {
                    seen.insert(timeliness.code());
                }
            }
            as_of = as_of.checked_add_days(Days::new(4)).unwrap();
        }
        assert_eq!(
            seen.len(),
            Timeliness::ALL.len(),
            "every value occurs in the fixture"
        );

        // Combined with an assignee, as a unit's overdue list is asked for.
        let as_of = day("2022-02-15");
        let overdue: Vec<TaskId> = ids(&db
            .tasks(
                &TaskFilter {
                    assignee: Some(leads[0].id()),
                    timeliness: Some(Timeliness::Overdue),
                    as_of: Some(as_of),
                    ..TaskFilter::default()
                },
                &PageRequest::first(100),
            )
            .await
            .unwrap());
        let mut expected: Vec<&Task> = tasks
            .iter()
            .filter(|t| {
                t.is_assigned_to(leads[0].id()) && t.timeliness(as_of) == Some(Timeliness::Overdue)
            })
            .collect();
        expected.sort_by_key(|t| (t.assigned_on, t.id()));
        assert_eq!(overdue, expected.iter().map(|t| t.id()).collect::<Vec<_>>());
        assert!(!overdue.is_empty());
    })
    .await;
}

#[tokio::test]
async fn statistics_counted_in_sql_equal_the_domains() {
    each_engine(|db| async move {
        let leads = units(&db).await;
        let tasks = varied_tasks(&db, &leads).await;
        let lead_ids: Vec<OrganizationId> = leads.iter().map(Organization::id).collect();
        let stranger = OrganizationId::new();
        let periods = [
            ("2022-01-01", "2022-12-31"),
            ("2022-01-01", "2022-01-31"),
            ("2022-01-15", "2022-02-20"),
            ("2022-02-01", "2022-03-15"),
            ("2022-03-01", "2022-03-01"),
            ("2021-01-01", "2021-12-31"),
        ];
        let mut nonzero = 0;
        for (from, to) in periods {
            let (from, to) = (day(from), day(to));
            let before = db.statement_count();
            let by_lead = db
                .task_statistics_by_lead(
                    &[lead_ids[0], lead_ids[1], lead_ids[2], stranger],
                    from,
                    to,
                )
                .await
                .unwrap();
            assert_eq!(db.statement_count() - before, 1, "one grouped statement");
            for lead in lead_ids.iter().copied().chain([stranger]) {
                let expected = TaskStatistics::compute(&tasks, lead, from, to);
                let before = db.statement_count();
                let one = db.task_statistics(lead, from, to).await.unwrap();
                assert_eq!(db.statement_count() - before, 1, "one aggregate statement");
                assert_eq!(one, expected, "{lead} over {from}..{to}");
                assert_eq!(
                    by_lead[&lead], expected,
                    "{lead} over {from}..{to}, grouped"
                );
                if expected.completed_late > 0
                    && expected.open_overdue > 0
                    && expected.cancelled > 0
                {
                    nonzero += 1;
                }
            }
        }
        assert!(nonzero > 0, "some period exercises every figure at once");
        assert!(matches!(
            db.task_statistics(lead_ids[0], day("2022-02-01"), day("2022-01-01"))
                .await,
            Err(StorageError::InvalidInput(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn batch_reads_of_tasks_cost_the_same_statements_for_1_and_30_ids() {
    each_engine(|db| async move {
        let leads = units(&db).await;
        let mut directives = Vec::new();
        let mut tasks = Vec::new();
        for i in 0..30 {
            let directive = issued_directive(&db, "2022-03-01").await;
            let mut details =
                task(&directive, 1, Some(unit(&leads[i % 3])), "2022-03-01").into_details();
            details.cooperating = vec![unit(&leads[(i + 1) % 3])];
            details.history = vec![LifecycleChange {
                to: Lifecycle::InProgress,
                on: day("2022-03-02"),
                note: None,
            }];
            let first = Task::new(TaskId::new(), details).unwrap();
            let second = task(&directive, 2, None, "2022-03-01");
            db.add_task(&actor(), &first).await.unwrap();
            db.add_task(&actor(), &second).await.unwrap();
            directives.push(directive.id());
            tasks.push(first);
            tasks.push(second);
        }
        let task_ids: Vec<TaskId> = tasks.iter().map(Task::id).collect();
        let mut counts = Vec::new();
        for n in [1, 30] {
            let before = db.statement_count();
            let by_ids = db.tasks_by_ids(&task_ids[..n]).await.unwrap();
            let middle = db.statement_count();
            let of_directives = db.tasks_of_directives(&directives[..n]).await.unwrap();
            let after = db.statement_count();
            let reports = db.progress_reports_of_tasks(&task_ids[..n]).await.unwrap();
            counts.push((
                middle - before,
                after - middle,
                db.statement_count() - after,
            ));
            assert_eq!(by_ids.len(), n);
            assert_eq!(of_directives.len(), n);
            assert_eq!(reports.len(), n);
            let last = &of_directives[&directives[n - 1]];
            assert_eq!(
                last.iter().map(|t| t.position).collect::<Vec<_>>(),
                [1, 2],
                "in their order"
            );
            assert_eq!(last[0], tasks[2 * (n - 1)]);
        }
        assert_eq!(counts[0], counts[1], "statements for 1 id and for 30 ids");
        assert_eq!(counts[0], (1, 1, 1));
        assert!(db.tasks_by_ids(&[]).await.unwrap().is_empty());
    })
    .await;
}

/// A page of tasks comes in one statement with everything its tasks are made of, whether the
/// list is read in an index's order (the lead's tasks) or sorted (every task naming a unit);
/// asked to, it brings the organizations the page's tasks are assigned to, each once and as
/// the bare reads give them, in that same statement.
#[tokio::test]
async fn a_page_of_tasks_and_the_organizations_it_names_cost_one_statement() {
    each_engine(|db| async move {
        let leads = units(&db).await;
        let mut tasks = Vec::new();
        for i in 0..6 {
            let directive = issued_directive(&db, "2022-03-01").await;
            let mut details = task(
                &directive,
                1,
                Some(unit(&leads[i % 2])),
                &format!("2022-03-0{}", i + 1),
            )
            .into_details();
            details.cooperating = vec![unit(&leads[2]), group("các quận, huyện")];
            details.history = vec![LifecycleChange {
                to: Lifecycle::InProgress,
                on: day("2022-03-09"),
                note: Some(text("Đã giao")),
            }];
            let task = Task::new(TaskId::new(), details).unwrap();
            db.add_task(&actor(), &task).await.unwrap();
            tasks.push(task);
        }
        let mut bare = db
            .organizations_by_ids_bare(&leads.iter().map(Organization::id).collect::<Vec<_>>())
            .await
            .unwrap();
        bare.sort_by_key(Organization::id);
        // The first unit leads tasks 0, 2 and 4; the third co-operates on all of them.
        for (lead_only, assignee, expected) in
            [(true, 0, [0, 2, 4].as_slice()), (false, 2, &[0, 1, 2, 3])]
        {
            let filter = TaskFilter {
                assignee: Some(leads[assignee].id()),
                lead_only,
                ..TaskFilter::default()
            };
            let expected: Vec<&Task> = expected.iter().map(|&i| &tasks[i]).collect();
            let before = db.statement_count();
            let (page, mut named) = db
                .tasks_naming(&filter, &PageRequest::first(4))
                .await
                .unwrap();
            assert_eq!(db.statement_count() - before, 1, "one statement");
            let read: Vec<&Task> = page.edges.iter().map(|e| &e.node).collect();
            assert_eq!(read, expected);
            named.sort_by_key(Organization::id);
            let wanted: Vec<&Organization> = bare
                .iter()
                .filter(|o| o.id() != leads[1].id() || !lead_only)
                .collect();
            assert_eq!(named.iter().collect::<Vec<_>>(), wanted);
            let before = db.statement_count();
            let plain = db.tasks(&filter, &PageRequest::first(4)).await.unwrap();
            assert_eq!(db.statement_count() - before, 1, "one statement");
            assert_eq!(plain, page);
        }
    })
    .await;
}

/// Asked to, a page of tasks brings each task's directive and the directive's issuer in its
/// own statement, each directive once and as the batch read gives it (every column: meeting,
/// the issuer's capacities, document number, addressees), besides the organizations.
#[tokio::test]
async fn a_page_of_tasks_brings_its_directives_and_their_issuers_in_the_same_statement() {
    each_engine(|db| async move {
        let (city, meeting, speech) = city_with_speech(&db).await;
        let mut document = directing_speech(&city, &meeting).into_details();
        document.document_number = Some(DocumentNumber::parse("Số: 05 - CT/TU").unwrap());
        document.meeting = None;
        let document = Directive::new(DirectiveId::new(), document).unwrap();
        db.issue_directive(&actor(), &document).await.unwrap();
        let plain = issued_directive(&db, "2022-03-01").await;
        let lead = &city.dan_van_board;
        // Two tasks of the speech, one of each other directive; the last is not led by `lead`.
        let mut tasks = Vec::new();
        for (directive, position, assigned) in [
            (&speech, 1, "2022-03-01"),
            (&speech, 2, "2022-03-02"),
            (&document, 1, "2022-03-03"),
            (&plain, 1, "2022-03-04"),
        ] {
            let led = if directive.id() == plain.id() {
                None
            } else {
                Some(unit(lead))
            };
            let task = task(directive, position, led, assigned);
            db.add_task(&actor(), &task).await.unwrap();
            tasks.push(task);
        }
        let filter = TaskFilter {
            assignee: Some(lead.id()),
            lead_only: true,
            ..TaskFilter::default()
        };
        let before = db.statement_count();
        let read = db
            .tasks_with_directives(&filter, &PageRequest::first(10), TaskParts::ALL)
            .await
            .unwrap();
        assert_eq!(db.statement_count() - before, 1, "one statement");
        assert!(
            read.recorded.is_empty(),
            "whole tasks need no recorded state"
        );
        let (page, organizations) = db
            .tasks_naming(&filter, &PageRequest::first(10))
            .await
            .unwrap();
        assert_eq!(read.page, page);
        assert_eq!(ids(&read.page), ids_of(&tasks[..3]));
        assert_eq!(read.organizations, organizations);
        let mut directives = read.directives;
        directives.sort_by_key(|(directive, _)| directive.id());
        let mut expected = db
            .directives_with_issuers(&[speech.id(), document.id()])
            .await
            .unwrap();
        expected.sort_by_key(|(directive, _)| directive.id());
        assert_eq!(directives, expected, "each directive once, with its issuer");
        assert_eq!(directives.len(), 2);
        assert!(directives.iter().any(|(d, _)| *d == speech));
        assert!(directives.iter().any(|(d, _)| *d == document));
        assert!(
            directives
                .iter()
                .all(|(_, issuer)| issuer.as_ref().is_some_and(|p| p.id() == city.hieu.id()))
        );
        // An empty page names nothing.
        let nobody = TaskFilter {
            assignee: Some(city.city_committee.id()),
            lead_only: true,
            ..TaskFilter::default()
        };
        let empty = db
            .tasks_with_directives(&nobody, &PageRequest::first(10), TaskParts::ALL)
            .await
            .unwrap();
        assert!(empty.page.edges.is_empty() && empty.directives.is_empty());
    })
    .await;
}

/// A page read without the history has each task as it is but for an empty history, and the
/// state each task's row records, which is the state its history gives: in progress, completed
/// on a day, never started, or cancelled on a day (closed, not completed).
#[tokio::test]
async fn a_page_read_without_the_history_has_the_recorded_states() {
    each_engine(|db| async move {
        let [home, ..] = units(&db).await;
        let directive = issued_directive(&db, "2022-08-24").await;
        let mut tasks = Vec::new();
        for position in 1..=4 {
            let work = task(&directive, position, Some(unit(&home)), "2022-08-24");
            db.add_task(&actor(), &work).await.unwrap();
            tasks.push(work);
        }
        for (work, to, on) in [
            (&tasks[0], Lifecycle::InProgress, "2022-08-26"),
            (&tasks[1], Lifecycle::InProgress, "2022-08-26"),
            (&tasks[1], Lifecycle::Completed, "2022-09-02"),
            (&tasks[3], Lifecycle::Cancelled, "2022-09-05"),
        ] {
            db.transition_task(&actor(), work.id(), to, day(on), None)
                .await
                .unwrap();
        }
        let filter = TaskFilter {
            assignee: Some(home.id()),
            lead_only: true,
            ..TaskFilter::default()
        };
        let whole = db
            .tasks_with_directives(&filter, &PageRequest::first(10), TaskParts::ALL)
            .await
            .unwrap();
        let before = db.statement_count();
        let without = db
            .tasks_with_directives(
                &filter,
                &PageRequest::first(10),
                TaskParts {
                    history: false,
                    assignees: true,
                },
            )
            .await
            .unwrap();
        assert_eq!(db.statement_count() - before, 1, "one statement");
        assert_eq!(without.directives, whole.directives);
        assert_eq!(without.organizations, whole.organizations);
        assert_eq!(without.page.edges.len(), 4);
        for (bare, complete) in without.page.edges.iter().zip(&whole.page.edges) {
            assert_eq!(bare.cursor, complete.cursor);
            let mut emptied = complete.node.clone().into_details();
            emptied.history.clear();
            assert_eq!(bare.node.clone().into_details(), emptied);
            let recorded = without.recorded[&complete.node.id()];
            assert_eq!(recorded.lifecycle, complete.node.lifecycle());
            assert_eq!(recorded.closed_on, complete.node.closed_on());
            assert_eq!(recorded.completed_on(), complete.node.completed_on());
        }
        let states: Vec<_> = whole
            .page
            .edges
            .iter()
            .map(|edge| without.recorded[&edge.node.id()])
            .collect();
        assert_eq!(
            states,
            [
                RecordedState {
                    lifecycle: Lifecycle::InProgress,
                    closed_on: None
                },
                RecordedState {
                    lifecycle: Lifecycle::Completed,
                    closed_on: Some(day("2022-09-02"))
                },
                RecordedState {
                    lifecycle: Lifecycle::NotStarted,
                    closed_on: None
                },
                RecordedState {
                    lifecycle: Lifecycle::Cancelled,
                    closed_on: Some(day("2022-09-05"))
                },
            ]
        );
    })
    .await;
}

/// A page read with each task's lead alone has each task as it is but for its co-operating
/// units and addressees: an organization as lead (with co-operating units), a group as lead,
/// and no lead (addressees only); the organizations it names are the leads' alone, and it is
/// still one statement, with the history or without.
#[tokio::test]
async fn a_page_read_with_the_lead_alone_has_each_lead() {
    each_engine(|db| async move {
        let [home, board, front] = units(&db).await;
        let directive = issued_directive(&db, "2022-08-24").await;
        let mut led = task(&directive, 1, Some(unit(&home)), "2022-08-24").into_details();
        led.cooperating = vec![unit(&board), group("Các phòng chuyên môn")];
        let mut by_group = task(
            &directive,
            2,
            Some(group("Tổ công tác liên ngành")),
            "2022-08-25",
        )
        .into_details();
        by_group.cooperating = vec![unit(&front)];
        let mut addressed = task(&directive, 3, None, "2022-08-26").into_details();
        addressed.addressees = vec![unit(&board), unit(&front)];
        let mut tasks = Vec::new();
        for details in [led, by_group, addressed] {
            let work = Task::new(TaskId::new(), details).unwrap();
            db.add_task(&actor(), &work).await.unwrap();
            tasks.push(work);
        }
        db.transition_task(
            &actor(),
            tasks[0].id(),
            Lifecycle::InProgress,
            day("2022-08-30"),
            None,
        )
        .await
        .unwrap();
        let filter = TaskFilter {
            directive: Some(directive.id()),
            ..TaskFilter::default()
        };
        let whole = db
            .tasks_with_directives(&filter, &PageRequest::first(10), TaskParts::ALL)
            .await
            .unwrap();
        assert_eq!(whole.page.edges.len(), 3);
        for history in [true, false] {
            let parts = TaskParts {
                history,
                assignees: false,
            };
            let before = db.statement_count();
            let lead_alone = db
                .tasks_with_directives(&filter, &PageRequest::first(10), parts)
                .await
                .unwrap();
            assert_eq!(db.statement_count() - before, 1, "one statement");
            assert_eq!(lead_alone.directives, whole.directives);
            assert_eq!(lead_alone.page.edges.len(), 3);
            for (bare, complete) in lead_alone.page.edges.iter().zip(&whole.page.edges) {
                assert_eq!(bare.cursor, complete.cursor);
                let mut expected = complete.node.clone().into_details();
                expected.cooperating.clear();
                expected.addressees.clear();
                if !history {
                    expected.history.clear();
                }
                assert_eq!(bare.node.clone().into_details(), expected);
            }
            assert_eq!(
                lead_alone
                    .page
                    .edges
                    .iter()
                    .map(|edge| edge.node.lead.clone())
                    .collect::<Vec<_>>(),
                [
                    Some(unit(&home)),
                    Some(group("Tổ công tác liên ngành")),
                    None
                ]
            );
            let leads: Vec<_> = whole
                .organizations
                .iter()
                .filter(|organization| organization.id() == home.id())
                .cloned()
                .collect();
            assert_eq!(leads.len(), 1);
            assert_eq!(
                lead_alone.organizations, leads,
                "the leads' organizations alone"
            );
            assert_eq!(lead_alone.recorded.len(), if history { 0 } else { 3 });
        }
    })
    .await;
}

fn ids_of(tasks: &[Task]) -> Vec<TaskId> {
    tasks.iter().map(Task::id).collect()
}
