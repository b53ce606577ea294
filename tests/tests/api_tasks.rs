//! Tasks over HTTP on every engine: which tasks of a unit are overdue as of a day, completion
//! rates by unit for a year, the lifecycle state machine, assignment updates, progress reports,
//! and who may write.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use gazette_domain::date::PartialDate;
use gazette_domain::directive::{Directive, DirectiveDetails, DirectiveKind};
use gazette_domain::ids::{DirectiveId, OrganizationId, PersonId};
use gazette_domain::meeting::Participant;
use gazette_domain::name::PersonName;
use gazette_domain::organization::{Classification, Organization, OrganizationDetails};
use gazette_domain::person::{Person, PersonDetails};
use gazette_domain::text::{Prose, Text};
use gazette_gateway::schema::ids::global_id;
use gazette_storage::{Actor, Database};
use gazette_tests::{TestDatabase, TestServer};
use serde_json::{Value, json};

fn actor() -> Actor {
    Actor::new("system:fixture").unwrap()
}

/// Records an organization through storage and returns its global id.
async fn organization(db: &Database, name: &str) -> String {
    let organization = Organization::new(
        OrganizationId::new(),
        OrganizationDetails::new(Text::parse(name).unwrap(), Classification::Department),
    )
    .unwrap();
    db.create_organization(&actor(), &organization)
        .await
        .unwrap();
    global_id("Organization", organization.id().as_uuid()).to_string()
}

/// Records a directive by Trần Việt Trường dated `issued_on` and returns its global id.
async fn directive(db: &Database, issued_on: &str) -> String {
    let issuer = Person::new(
        PersonId::new(),
        PersonDetails::named(PersonName::parse("Trần Việt Trường").unwrap()),
    )
    .unwrap();
    db.create_person(&actor(), &issuer).await.unwrap();
    let directive = Directive::new(
        DirectiveId::new(),
        DirectiveDetails {
            issuer: Participant {
                person: issuer.id(),
                capacities: Vec::new(),
            },
            kind: DirectiveKind::Conclusion,
            issued_on: PartialDate::parse(issued_on).unwrap(),
            meeting: None,
            document_number: None,
            summary: Prose::parse("Kết luận về công tác dân vận").unwrap(),
            addressees: Vec::new(),
        },
    )
    .unwrap();
    db.issue_directive(&actor(), &directive).await.unwrap();
    global_id("Directive", directive.id().as_uuid()).to_string()
}

const ADD_TASK: &str = "mutation($input: AddTaskInput!) {
  addTask(input: $input) { task { id text lifecycle } }
}";

const TRANSITION: &str = "mutation($input: TransitionTaskInput!) {
  transitionTask(input: $input) { task { lifecycle completedOn history { to on note } } }
}";

/// Adds a task through the API and returns its id.
async fn add_task(server: &TestServer, input: Value) -> String {
    let data = server
        .data(ADD_TASK, json!({ "input": input }), Some(&server.editor))
        .await;
    data["addTask"]["task"]["id"].as_str().unwrap().to_owned()
}

/// A task of `directive` at `position` with the text "task <position>".
fn task_input(
    directive: &str,
    position: u32,
    lead: &str,
    assigned_on: &str,
    deadline: Option<&str>,
) -> Value {
    json!({
        "directive": directive,
        "position": position,
        "text": format!("task {position}"),
        "lead": { "organization": lead },
        "assignedOn": assigned_on,
        "deadline": deadline,
    })
}

async fn transition(server: &TestServer, task: &str, to: &str, on: &str) {
    server
        .data(
            TRANSITION,
            json!({ "input": { "id": task, "to": to, "on": on } }),
            Some(&server.editor),
        )
        .await;
}

/// The error code of a response that must carry exactly one error.
/// The nodes of a connection's `edges`.
fn edge_nodes(connection: &Value) -> Vec<&Value> {
    connection["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| &edge["node"])
        .collect()
}

fn error_code(response: &Value) -> String {
    let errors = response["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{response:#}");
    errors[0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn texts(connection: &Value) -> Vec<String> {
    connection["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["text"].as_str().unwrap().to_owned())
        .collect()
}

const OVERDUE: &str = "query($unit: ID!, $asOf: Date!, $leadOnly: Boolean!) {
  tasks(assignee: $unit, leadOnly: $leadOnly, timeliness: OVERDUE, asOf: $asOf) {
    edges { node { text deadline timeliness(asOf: $asOf) } }
  }
}";

#[tokio::test]
async fn the_overdue_tasks_of_a_unit_as_of_a_day_are_listed() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let db = &server.db;
        let home = organization(db, "Sở Nội vụ").await;
        let other = organization(db, "Sở Tài chính").await;
        let conclusion = directive(db, "2022-08-24").await;
        add_task(
            &server,
            task_input(&conclusion, 1, &home, "2022-08-24", Some("2022-09-10")),
        )
        .await;
        let mut cooperated = task_input(&conclusion, 2, &other, "2022-08-25", Some("2022-09-05"));
        cooperated["cooperating"] = json!([{ "organization": home }]);
        add_task(&server, cooperated).await;
        add_task(
            &server,
            task_input(&conclusion, 3, &home, "2022-08-26", Some("2022-12-31")),
        )
        .await;
        let done = add_task(
            &server,
            task_input(&conclusion, 4, &home, "2022-08-27", Some("2022-09-01")),
        )
        .await;
        transition(&server, &done, "COMPLETED", "2022-08-30").await;
        let cancelled = add_task(
            &server,
            task_input(&conclusion, 5, &home, "2022-08-28", Some("2022-09-01")),
        )
        .await;
        transition(&server, &cancelled, "CANCELLED", "2022-08-29").await;
        let open_ended = add_task(
            &server,
            task_input(&conclusion, 6, &home, "2022-08-29", None),
        )
        .await;
        add_task(
            &server,
            task_input(&conclusion, 7, &other, "2022-08-30", Some("2022-09-01")),
        )
        .await;

        let overdue = |as_of: &'static str, lead_only: bool| {
            let server = &server;
            let home = home.clone();
            async move {
                server
                    .data(
                        OVERDUE,
                        json!({ "unit": home, "asOf": as_of, "leadOnly": lead_only }),
                        Some(&server.reader),
                    )
                    .await["tasks"]
                    .clone()
            }
        };
        let as_of_september_end = overdue("2022-09-30", false).await;
        assert_eq!(
            texts(&as_of_september_end),
            ["task 1", "task 2"],
            "the tasks the unit leads or co-operates on whose deadline passed: {as_of_september_end:#}"
        );
        assert!(
            as_of_september_end["edges"]
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e["node"]["timeliness"] == "OVERDUE")
        );
        assert_eq!(texts(&overdue("2022-09-30", true).await), ["task 1"]);
        assert_eq!(
            texts(&overdue("2022-09-07", false).await),
            ["task 2"],
            "task 1 is still on time on 2022-09-07"
        );

        let timeliness = server
            .data(
                "query($done: ID!, $cancelled: ID!, $open: ID!) {
                  done: task(id: $done) { timeliness(asOf: \"2022-09-30\") completedOn lifecycle }
                  cancelled: task(id: $cancelled) { timeliness(asOf: \"2022-09-30\") lifecycle }
                  open: task(id: $open) { timeliness(asOf: \"2022-09-30\") deadline }
                }",
                json!({ "done": done, "cancelled": cancelled, "open": open_ended }),
                None,
            )
            .await;
        assert_eq!(
            timeliness,
            json!({
                "done": { "timeliness": "COMPLETED_ON_TIME", "completedOn": "2022-08-30", "lifecycle": "COMPLETED" },
                "cancelled": { "timeliness": null, "lifecycle": "CANCELLED" },
                "open": { "timeliness": "NO_DEADLINE", "deadline": null },
            })
        );

        let without_day = server
            .graphql(
                "query($unit: ID!) { tasks(assignee: $unit, timeliness: OVERDUE) { edges { cursor } } }",
                json!({ "unit": home }),
                None,
            )
            .await;
        assert_eq!(error_code(&without_day.json()), "BAD_USER_INPUT");
        server.stop();
        test_db.finish().await;
    }
}

const BY_UNIT: &str = "query($units: [ID!]!, $from: Date!, $to: Date!) {
  taskStatisticsByUnit(assignees: $units, from: $from, to: $to) {
    organization { id }
    from to assigned completed completedLate openOverdue cancelled completionRate lateRate
  }
}";

#[tokio::test]
async fn completion_rates_by_unit_for_a_year_follow_decision_42() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let db = &server.db;
        let home = organization(db, "Sở Nội vụ").await;
        let finance = organization(db, "Sở Tài chính").await;
        let idle = organization(db, "Sở Tư pháp").await;
        let plan = directive(db, "2020-01-02").await;
        let on_time = add_task(
            &server,
            task_input(&plan, 1, &home, "2020-01-10", Some("2020-03-01")),
        )
        .await;
        transition(&server, &on_time, "COMPLETED", "2020-02-20").await;
        let late = add_task(
            &server,
            task_input(&plan, 2, &home, "2020-02-10", Some("2020-03-01")),
        )
        .await;
        transition(&server, &late, "IN_PROGRESS", "2020-02-11").await;
        transition(&server, &late, "COMPLETED", "2020-03-05").await;
        add_task(
            &server,
            task_input(&plan, 3, &home, "2020-03-10", Some("2020-04-01")),
        )
        .await;
        let no_deadline = add_task(&server, task_input(&plan, 4, &home, "2020-04-10", None)).await;
        transition(&server, &no_deadline, "COMPLETED", "2020-06-01").await;
        let dropped = add_task(
            &server,
            task_input(&plan, 5, &home, "2020-05-10", Some("2020-12-01")),
        )
        .await;
        transition(&server, &dropped, "CANCELLED", "2020-06-01").await;
        add_task(
            &server,
            task_input(&plan, 6, &home, "2021-01-10", Some("2021-03-01")),
        )
        .await;
        let finance_task = add_task(
            &server,
            task_input(&plan, 7, &finance, "2020-01-10", Some("2020-03-01")),
        )
        .await;
        transition(&server, &finance_task, "COMPLETED", "2020-02-01").await;

        let data = server
            .data(
                BY_UNIT,
                json!({ "units": [home, finance, idle], "from": "2020-01-01", "to": "2020-12-31" }),
                Some(&server.reader),
            )
            .await;
        let figures = data["taskStatisticsByUnit"].as_array().unwrap();
        assert_eq!(figures.len(), 3, "one entry per unit, in the order asked");
        assert_eq!(
            figures[0],
            json!({
                "organization": { "id": home },
                "from": "2020-01-01", "to": "2020-12-31",
                "assigned": 4, "completed": 3, "completedLate": 1, "openOverdue": 1, "cancelled": 1,
                "completionRate": 0.75, "lateRate": 1.0 / 3.0,
            })
        );
        assert_eq!(figures[1]["organization"]["id"], finance);
        assert_eq!(figures[1]["completionRate"], 1.0);
        assert_eq!(figures[1]["lateRate"], 0.0);
        assert_eq!(figures[2]["organization"]["id"], idle);
        assert_eq!(figures[2]["assigned"], 0);
        assert_eq!(
            figures[2]["completionRate"],
            Value::Null,
            "no rate without tasks"
        );

        let single = server
            .data(
                "query($unit: ID!) { taskStatistics(assignee: $unit, from: \"2020-01-01\", to: \"2020-12-31\") { assigned completionRate lateRate } }",
                json!({ "unit": home }),
                None,
            )
            .await;
        assert_eq!(
            single["taskStatistics"],
            json!({ "assigned": 4, "completionRate": 0.75, "lateRate": 1.0 / 3.0 })
        );
        let backwards = server
            .graphql(
                BY_UNIT,
                json!({ "units": [home], "from": "2020-12-31", "to": "2020-01-01" }),
                None,
            )
            .await;
        assert_eq!(error_code(&backwards.json()), "BAD_USER_INPUT");
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn an_illegal_lifecycle_move_is_bad_user_input_and_changes_nothing() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let db = &server.db;
        let home = organization(db, "Sở Nội vụ").await;
        let conclusion = directive(db, "2022-08-24").await;
        let task = add_task(
            &server,
            task_input(&conclusion, 1, &home, "2022-08-24", Some("2022-09-10")),
        )
        .await;
        transition(&server, &task, "COMPLETED", "2022-09-01").await;
        for (to, on) in [
            ("IN_PROGRESS", "2022-09-02"),
            ("CANCELLED", "2022-09-03"),
            ("COMPLETED", "2022-09-04"),
        ] {
            let response = server
                .graphql(
                    TRANSITION,
                    json!({ "input": { "id": task, "to": to, "on": on } }),
                    Some(&server.editor),
                )
                .await
                .json();
            assert_eq!(
                error_code(&response),
                "BAD_USER_INPUT",
                "{to}: {response:#}"
            );
            assert!(
                response["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains("cannot move from completed"),
                "{response:#}"
            );
        }
        let other = add_task(
            &server,
            task_input(&conclusion, 2, &home, "2022-08-24", None),
        )
        .await;
        transition(&server, &other, "IN_PROGRESS", "2022-08-30").await;
        let back_in_time = server
            .graphql(
                TRANSITION,
                json!({ "input": { "id": other, "to": "SUSPENDED", "on": "2022-08-29" } }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(error_code(&back_in_time), "BAD_USER_INPUT");

        let after = server
            .data(
                "query($task: ID!, $other: ID!) {
                  task(id: $task) { lifecycle completedOn history { to on } }
                  other: task(id: $other) { lifecycle history { to on } }
                }",
                json!({ "task": task, "other": other }),
                None,
            )
            .await;
        assert_eq!(
            after,
            json!({
                "task": { "lifecycle": "COMPLETED", "completedOn": "2022-09-01",
                          "history": [{ "to": "COMPLETED", "on": "2022-09-01" }] },
                "other": { "lifecycle": "IN_PROGRESS",
                           "history": [{ "to": "IN_PROGRESS", "on": "2022-08-30" }] },
            })
        );
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn an_assignment_is_updated_and_progress_is_reported_until_the_task_closes() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let db = &server.db;
        let home = organization(db, "Sở Nội vụ").await;
        let front = organization(db, "Ủy ban MTTQ Việt Nam thành phố").await;
        let conclusion = directive(db, "2022-08-24").await;
        let task = add_task(
            &server,
            task_input(&conclusion, 1, &home, "2022-08-24", Some("2022-09-10")),
        )
        .await;

        let updated = server
            .data(
                "mutation($input: UpdateTaskInput!) {
                  updateTask(input: $input) {
                    task {
                      text deadline assignedOn
                      lead { organization { id } groupName }
                      cooperating { organization { id } groupName }
                      addressees { organization { id } groupName }
                    }
                  }
                }",
                json!({ "input": {
                    "id": task,
                    "lead": { "groupName": "Mặt trận và các tổ chức chính trị - xã hội" },
                    "cooperating": [{ "organization": home }, { "organization": front }],
                    "deadline": null,
                } }),
                Some(&server.editor),
            )
            .await;
        assert_eq!(
            updated["updateTask"]["task"],
            json!({
                "text": "task 1",
                "deadline": null,
                "assignedOn": "2022-08-24",
                "lead": { "organization": null, "groupName": "Mặt trận và các tổ chức chính trị - xã hội" },
                "cooperating": [
                    { "organization": { "id": home }, "groupName": null },
                    { "organization": { "id": front }, "groupName": null },
                ],
                "addressees": [],
            }),
            "fields left out stay, null removes the deadline"
        );

        let report = "mutation($input: ReportProgressInput!) {
          reportProgress(input: $input) { progressReport { id reportedOn note percent reporter { id } task { id } } }
        }";
        let reported = server
            .data(
                report,
                json!({ "input": { "task": task, "reportedOn": "2022-09-01", "reporter": home,
                                   "note": "Đã hoàn thành 50%", "percent": 50 } }),
                Some(&server.editor),
            )
            .await;
        assert_eq!(
            reported["reportProgress"]["progressReport"]["reporter"]["id"],
            home
        );
        assert_eq!(
            reported["reportProgress"]["progressReport"]["task"]["id"],
            task
        );
        let too_much = server
            .graphql(
                report,
                json!({ "input": { "task": task, "reportedOn": "2022-09-02", "note": "x", "percent": 101 } }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(error_code(&too_much), "BAD_USER_INPUT");
        transition(&server, &task, "COMPLETED", "2022-09-05").await;
        let after_close = server
            .graphql(
                report,
                json!({ "input": { "task": task, "reportedOn": "2022-09-06", "note": "Báo cáo muộn" } }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(error_code(&after_close), "BAD_USER_INPUT");
        let second = add_task(
            &server,
            task_input(&conclusion, 2, &home, "2022-08-24", None),
        )
        .await;
        let cancelled_before_assignment = server
            .graphql(
                TRANSITION,
                json!({ "input": { "id": second, "to": "CANCELLED", "on": "2022-08-20" } }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(error_code(&cancelled_before_assignment), "BAD_USER_INPUT");

        let reports = server
            .data(
                "query($task: ID!) { task(id: $task) { progressReports { reportedOn note percent } } }",
                json!({ "task": task }),
                None,
            )
            .await;
        assert_eq!(
            reports["task"]["progressReports"],
            json!([{ "reportedOn": "2022-09-01", "note": "Đã hoàn thành 50%", "percent": 50 }])
        );
        let duplicate_position = server
            .graphql(
                ADD_TASK,
                json!({ "input": task_input(&conclusion, 1, &home, "2022-08-24", None) }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(error_code(&duplicate_position), "CONFLICT");
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn task_writes_need_an_editor_token() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let db = &server.db;
        let home = organization(db, "Sở Nội vụ").await;
        let conclusion = directive(db, "2022-08-24").await;
        let input = json!({ "input": task_input(&conclusion, 1, &home, "2022-08-24", None) });
        let anonymous = server.graphql(ADD_TASK, input.clone(), None).await.json();
        assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
        let reader = server
            .graphql(ADD_TASK, input.clone(), Some(&server.reader))
            .await
            .json();
        assert_eq!(error_code(&reader), "FORBIDDEN");
        // The token is checked before the input: a malformed id still answers FORBIDDEN.
        let malformed = server
            .graphql(
                ADD_TASK,
                json!({ "input": task_input("not-an-id", 1, &home, "2022-08-24", None) }),
                Some(&server.reader),
            )
            .await
            .json();
        assert_eq!(error_code(&malformed), "FORBIDDEN");
        let listed = server
            .data("{ tasks { edges { cursor } } }", json!({}), None)
            .await;
        assert_eq!(listed["tasks"]["edges"], json!([]), "nothing was written");

        let task = add_task(
            &server,
            task_input(&conclusion, 1, &home, "2022-08-24", None),
        )
        .await;
        for (mutation, input) in [
            (
                TRANSITION,
                json!({ "id": task, "to": "IN_PROGRESS", "on": "2022-08-25" }),
            ),
            (
                "mutation($input: UpdateTaskInput!) { updateTask(input: $input) { task { id } } }",
                json!({ "id": task, "text": "khác" }),
            ),
            (
                "mutation($input: ReportProgressInput!) { reportProgress(input: $input) { progressReport { id } } }",
                json!({ "task": task, "reportedOn": "2022-08-25", "note": "x" }),
            ),
        ] {
            let anonymous = server
                .graphql(mutation, json!({ "input": input }), None)
                .await
                .json();
            assert_eq!(error_code(&anonymous), "UNAUTHENTICATED", "{mutation}");
            let reader = server
                .graphql(mutation, json!({ "input": input }), Some(&server.reader))
                .await
                .json();
            assert_eq!(error_code(&reader), "FORBIDDEN", "{mutation}");
        }
        let unchanged = server
            .data(
                "query($task: ID!) { task(id: $task) { text lifecycle progressReports { id } } }",
                json!({ "task": task }),
                None,
            )
            .await;
        assert_eq!(
            unchanged["task"],
            json!({ "text": "task 1", "lifecycle": "NOT_STARTED", "progressReports": [] })
        );
        server.stop();
        test_db.finish().await;
    }
}

/// A page of tasks that goes on to its assignees' organizations and its directives' issuers
/// reads those, and the directives, in the page's own statement: one statement in all, where
/// asking for the assignees' group names and the directives' summaries only takes two (the
/// page, then its directives); the names are the stored ones.
#[tokio::test]
async fn the_assignees_and_issuers_names_come_with_their_records() {
    const NAMED: &str = "query($unit: ID!) {
  tasks(assignee: $unit, first: 20) {
    nodes { text lead { organization { id name } } cooperating { organization { name } }
      directive { summary issuer { person { id name } } } }
  }
}";
    const UNNAMED: &str = "query($unit: ID!) {
  tasks(assignee: $unit, first: 20) {
    nodes { text lead { groupName } cooperating { groupName } directive { summary } }
  }
}";
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let db = &server.db;
        let home = organization(db, "Sở Nội vụ").await;
        let other = organization(db, "Sở Tài chính").await;
        let conclusion = directive(db, "2022-08-24").await;
        let later = directive(db, "2022-08-25").await;
        add_task(
            &server,
            task_input(&conclusion, 1, &home, "2022-08-24", Some("2022-09-10")),
        )
        .await;
        let mut cooperated = task_input(&later, 1, &other, "2022-08-25", Some("2022-09-05"));
        cooperated["cooperating"] = json!([{ "organization": home }]);
        add_task(&server, cooperated).await;
        let mut costs = Vec::new();
        let mut answers = Vec::new();
        for query in [NAMED, UNNAMED] {
            let before = server.db.statement_count();
            let data = server.data(query, json!({ "unit": home }), None).await;
            costs.push(server.db.statement_count() - before);
            answers.push(data);
        }
        assert_eq!(costs, [1, 2], "statements with names and without");
        let tasks = answers[0]["tasks"]["nodes"].as_array().unwrap();
        assert_eq!(tasks.len(), 2, "{:#}", answers[0]);
        assert_eq!(
            tasks[0]["lead"]["organization"],
            json!({ "id": home, "name": "Sở Nội vụ" })
        );
        assert_eq!(tasks[0]["cooperating"], json!([]));
        assert_eq!(
            tasks[1]["lead"]["organization"],
            json!({ "id": other, "name": "Sở Tài chính" })
        );
        assert_eq!(
            tasks[1]["cooperating"],
            json!([{ "organization": { "name": "Sở Nội vụ" } }])
        );
        for task in tasks {
            assert_eq!(
                task["directive"]["issuer"]["person"]["name"], "Trần Việt Trường",
                "{task:#}"
            );
            assert_eq!(
                task["directive"]["summary"], "Kết luận về công tác dân vận",
                "{task:#}"
            );
        }
        // Two directives, two issuers (each directive() records its own Trần Việt Trường).
        assert_ne!(
            tasks[0]["directive"]["issuer"]["person"]["id"],
            tasks[1]["directive"]["issuer"]["person"]["id"]
        );
        server.stop();
        test_db.finish().await;
    }
}

/// A page of tasks whose query asks for each task's lead but not for its co-operating units or
/// addressees reads the lead alone: the same leads (a unit, a group, none), in one statement;
/// asking for the others, in the nodes or in a fragment, reads them in the same single
/// statement.
#[tokio::test]
async fn a_page_reads_the_lead_alone_unless_the_others_are_asked() {
    const LEADS: &str = "query($directive: ID!) {
  tasks(directive: $directive, first: 20) {
    nodes { id lead { groupName organization { id name } }
      directive { summary issuer { person { name } } } }
  }
}";
    const ALL: &str = "query($directive: ID!) {
  tasks(directive: $directive, first: 20) {
    nodes { id lead { groupName organization { id name } }
      cooperating { groupName organization { id name } }
      addressees { groupName organization { id name } }
      directive { summary issuer { person { name } } } }
  }
}";
    const IN_FRAGMENT: &str = "query($directive: ID!) {
  tasks(directive: $directive, first: 20) {
    edges { node { ...Assignees } }
  }
}
fragment Assignees on Task {
  id lead { groupName organization { id name } }
  directive { summary issuer { person { name } } }
  ... on Task { addressees { groupName organization { id name } } }
}";
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let db = &server.db;
        let home = organization(db, "Sở Nội vụ").await;
        let other = organization(db, "Sở Tài chính").await;
        let conclusion = directive(db, "2022-08-24").await;
        let mut led = task_input(&conclusion, 1, &home, "2022-08-24", Some("2022-09-10"));
        led["cooperating"] = json!([{ "organization": other }, { "groupName": "Các phòng" }]);
        add_task(&server, led).await;
        let mut by_group = task_input(&conclusion, 2, &home, "2022-08-25", None);
        by_group["lead"] = json!({ "groupName": "Tổ công tác" });
        by_group["cooperating"] = json!([{ "organization": home }]);
        add_task(&server, by_group).await;
        let mut addressed = task_input(&conclusion, 3, &home, "2022-08-26", None);
        addressed["lead"] = Value::Null;
        addressed["addressees"] = json!([{ "organization": other }, { "organization": home }]);
        add_task(&server, addressed).await;
        let mut costs = Vec::new();
        let mut answers = Vec::new();
        for query in [LEADS, ALL, IN_FRAGMENT] {
            let before = server.db.statement_count();
            answers.push(
                server
                    .data(query, json!({ "directive": conclusion }), None)
                    .await,
            );
            costs.push(server.db.statement_count() - before);
        }
        assert_eq!(
            costs,
            [1, 1, 1],
            "statements with the lead alone and with all"
        );
        let leads = answers[0]["tasks"]["nodes"].as_array().unwrap();
        let all = answers[1]["tasks"]["nodes"].as_array().unwrap();
        let in_fragment = edge_nodes(&answers[2]["tasks"]);
        assert_eq!(leads.len(), 3, "{:#}", answers[0]);
        assert_eq!(
            leads.iter().map(|t| t["lead"].clone()).collect::<Vec<_>>(),
            [
                json!({ "groupName": null, "organization": { "id": home, "name": "Sở Nội vụ" } }),
                json!({ "groupName": "Tổ công tác", "organization": null }),
                Value::Null,
            ]
        );
        for ((lead, whole), fragment) in leads.iter().zip(all).zip(&in_fragment) {
            for field in ["id", "lead", "directive"] {
                assert_eq!(lead[field], whole[field], "{field}: {whole:#}");
                assert_eq!(lead[field], fragment[field], "{field}: {fragment:#}");
            }
            assert_eq!(whole["addressees"], fragment["addressees"]);
        }
        assert_eq!(
            all.iter()
                .map(|t| (t["cooperating"].clone(), t["addressees"].clone()))
                .collect::<Vec<_>>(),
            [
                (
                    json!([
                        { "groupName": null, "organization": { "id": other, "name": "Sở Tài chính" } },
                        { "groupName": "Các phòng", "organization": null },
                    ]),
                    json!([])
                ),
                (
                    json!([{ "groupName": null, "organization": { "id": home, "name": "Sở Nội vụ" } }]),
                    json!([])
                ),
                (
                    json!([]),
                    json!([
                        { "groupName": null, "organization": { "id": other, "name": "Sở Tài chính" } },
                        { "groupName": null, "organization": { "id": home, "name": "Sở Nội vụ" } },
                    ])
                ),
            ]
        );
        server.stop();
        test_db.finish().await;
    }
}

/// A page of tasks whose query asks for their states but not for their histories reads no
/// history: the lifecycle, the closing and completion days come from what the tasks' rows
/// record, and they are what the histories give. Asking for the history or for a past state
/// (`timeliness`), in the nodes or in a fragment on the edges, reads it in the same single
/// statement.
#[tokio::test]
async fn a_page_reads_the_histories_only_when_asked() {
    const STATES: &str = "query($unit: ID!) {
  tasks(assignee: $unit, first: 20) {
    nodes { id lifecycle closedOn completedOn directive { summary issuer { person { name } } } }
  }
}";
    const HISTORIES: &str = "query($unit: ID!) {
  tasks(assignee: $unit, first: 20) {
    nodes { id lifecycle closedOn completedOn history { to on }
      timeliness(asOf: \"2022-09-30\")
      directive { summary issuer { person { name } } } }
  }
}";
    const IN_FRAGMENT: &str = "query($unit: ID!) {
  tasks(assignee: $unit, first: 20) {
    edges { node { ...States } }
  }
}
fragment States on Task {
  id lifecycle closedOn completedOn directive { summary issuer { person { name } } }
  ... on Task { history { to on } timeliness(asOf: \"2022-09-30\") }
}";
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let db = &server.db;
        let home = organization(db, "Sở Nội vụ").await;
        let conclusion = directive(db, "2022-08-24").await;
        let mut ids = Vec::new();
        for position in 1..=3 {
            ids.push(
                add_task(
                    &server,
                    task_input(
                        &conclusion,
                        position,
                        &home,
                        "2022-08-24",
                        Some("2022-09-10"),
                    ),
                )
                .await,
            );
        }
        transition(&server, &ids[0], "IN_PROGRESS", "2022-08-26").await;
        transition(&server, &ids[1], "IN_PROGRESS", "2022-08-26").await;
        transition(&server, &ids[1], "AWAITING_CONFIRMATION", "2022-09-12").await;
        transition(&server, &ids[1], "COMPLETED", "2022-09-14").await;
        let mut costs = Vec::new();
        let mut answers = Vec::new();
        for query in [STATES, HISTORIES, IN_FRAGMENT] {
            let before = server.db.statement_count();
            answers.push(server.data(query, json!({ "unit": home }), None).await);
            costs.push(server.db.statement_count() - before);
        }
        assert_eq!(costs, [1, 1, 1], "statements with histories and without");
        let states = answers[0]["tasks"]["nodes"].as_array().unwrap();
        let histories = answers[1]["tasks"]["nodes"].as_array().unwrap();
        let in_fragment = edge_nodes(&answers[2]["tasks"]);
        assert_eq!(states.len(), 3, "{:#}", answers[0]);
        assert_eq!(
            states
                .iter()
                .map(|t| (&t["lifecycle"], &t["closedOn"], &t["completedOn"]))
                .collect::<Vec<_>>(),
            [
                (&json!("IN_PROGRESS"), &Value::Null, &Value::Null),
                (
                    &json!("COMPLETED"),
                    &json!("2022-09-14"),
                    &json!("2022-09-14")
                ),
                (&json!("NOT_STARTED"), &Value::Null, &Value::Null),
            ]
        );
        for ((state, history), fragment) in states.iter().zip(histories).zip(&in_fragment) {
            for field in ["id", "lifecycle", "closedOn", "completedOn", "directive"] {
                assert_eq!(state[field], history[field], "{field}: {history:#}");
                assert_eq!(state[field], fragment[field], "{field}: {fragment:#}");
            }
            assert_eq!(history["history"], fragment["history"]);
            assert_eq!(history["timeliness"], fragment["timeliness"]);
        }
        assert_eq!(
            histories[1]["history"],
            json!([
                { "to": "IN_PROGRESS", "on": "2022-08-26" },
                { "to": "AWAITING_CONFIRMATION", "on": "2022-09-12" },
                { "to": "COMPLETED", "on": "2022-09-14" },
            ])
        );
        assert_eq!(
            histories
                .iter()
                .map(|t| t["timeliness"].clone())
                .collect::<Vec<_>>(),
            [json!("OVERDUE"), json!("COMPLETED_LATE"), json!("OVERDUE")]
        );
        server.stop();
        test_db.finish().await;
    }
}
