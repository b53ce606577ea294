//! Spreadsheet exports (`gazette export csv awards|tasks|holdings`, `GET /export/*.csv`), on
//! every engine: UTF-8 with a byte order mark, a Vietnamese header row, one row per award
//! recipient, task or holding, RFC 4180 quoting of commas, quotes and line breaks, Vietnamese
//! text intact, the period and the as-of day honoured, and the download kept for editors.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use std::num::NonZeroU32;

use chrono::NaiveDate;
use gazette_domain::award::form::{AwardForm, RecipientKind};
use gazette_domain::award::number::DocumentNumber;
use gazette_domain::award::{
    Achievement, AchievementPeriod, AwardDecision, AwardDecisionDetails, DecisionStatus,
    NamedRecipient, RecipientRef, UnnamedRecipients,
};
use gazette_domain::date::{PartialDate, Period};
use gazette_domain::directive::Assignee;
use gazette_domain::holding::{Holding, HoldingDetails, HoldingKind};
use gazette_domain::ids::{AwardDecisionId, HoldingId, OrganizationId, PersonId, PostId, TaskId};
use gazette_domain::name::PersonName;
use gazette_domain::organization::{Classification, Organization, OrganizationDetails};
use gazette_domain::person::{Person, PersonDetails};
use gazette_domain::post::{Post, PostDetails, Seats};
use gazette_domain::source::Subject;
use gazette_domain::task::{Lifecycle, LifecycleChange, Task, TaskDetails};
use gazette_domain::text::{Prose, Text};
use gazette_gateway::demo::{self, DemoSummary};
use gazette_gateway::export::{CsvKind, CsvOptions, write_csv};
use gazette_storage::{Actor, Database, Write};
use gazette_tests::{TestDatabase, TestServer, request};

const BOM: &str = "\u{feff}";
const TASK_TEXT: &str =
    "Tiếp công dân, đối thoại \"trực tiếp\" với dân;\nbáo cáo kết quả trước 31/3/2021";
const UNIT: &str = "Sở Nội vụ, thành phố \"Cần Thơ\"";
const REASON: &str = "đã có thành tích xuất sắc, \"tiêu biểu\"\ntrong công tác dân vận năm 2020";

fn actor() -> Actor {
    Actor::new("system:test").unwrap()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn text(value: &str) -> Text {
    Text::parse(value).unwrap()
}

fn organization(summary: &DemoSummary, key: &str) -> OrganizationId {
    match summary.subject(key).unwrap() {
        Subject::Organization(id) => id,
        other => panic!("{other:?}"),
    }
}

/// The demo world, plus a task with a comma, quotes and a line break in its text and a
/// co-operating unit with a comma and quotes in its name, completed late; an award decision
/// with two named recipients and eleven counted ones; and a holding that ended in 2021.
async fn world(db: &Database) {
    let summary = demo::load_into_fresh(db, &actor()).await.unwrap();
    let ubnd = organization(&summary, "ubnd");
    let ban_dan_van = organization(&summary, "ban-dan-van");
    let directive = match summary.subject("phat-bieu-chi-dao").unwrap() {
        Subject::Directive(id) => id,
        other => panic!("{other:?}"),
    };
    let nghi = match summary.subject("tran-thi-vinh-nghi").unwrap() {
        Subject::Person(id) => id,
        other => panic!("{other:?}"),
    };
    let so_noi_vu = Organization::new(OrganizationId::new(), {
        let mut details = OrganizationDetails::new(text(UNIT), Classification::Department);
        details.parent = Some(ubnd);
        details
    })
    .unwrap();
    let task = Task::new(TaskId::new(), {
        let mut details = TaskDetails::new(
            directive,
            100,
            Prose::parse(TASK_TEXT).unwrap(),
            day("2021-01-15"),
        );
        details.lead = Some(Assignee::Organization { id: ubnd });
        details.cooperating = vec![
            Assignee::Organization { id: so_noi_vu.id() },
            Assignee::Group {
                name: text("các tổ chức chính trị - xã hội"),
            },
        ];
        details.deadline = Some(day("2021-03-31"));
        details.history = vec![
            LifecycleChange {
                to: Lifecycle::InProgress,
                on: day("2021-02-01"),
                note: None,
            },
            LifecycleChange {
                to: Lifecycle::Completed,
                on: day("2021-04-05"),
                note: None,
            },
        ];
        details
    })
    .unwrap();
    let decision = AwardDecision::new(
        AwardDecisionId::new(),
        AwardDecisionDetails {
            number: Some(DocumentNumber::parse("163/QĐ-UBND").unwrap()),
            signed_on: Some(PartialDate::parse("2021-01-10").unwrap()),
            authority: ubnd,
            signer: None,
            form: AwardForm::CertificateOfMerit,
            achievement: Achievement {
                reason: Some(Prose::parse(REASON).unwrap()),
                field: Some(text("công tác dân vận")),
                period: Some(AchievementPeriod::parse("2020").unwrap()),
            },
            recipients: vec![
                NamedRecipient {
                    recipient: RecipientRef::Person(nghi),
                    kind: RecipientKind::Individual,
                    reason: None,
                    prize_vnd: Some(1_490_000),
                },
                NamedRecipient {
                    recipient: RecipientRef::Organization(ban_dan_van),
                    kind: RecipientKind::Collective,
                    reason: None,
                    prize_vnd: None,
                },
            ],
            unnamed_recipients: vec![UnnamedRecipients {
                kind: RecipientKind::Collective,
                count: NonZeroU32::new(11),
                note: Some(text("11 tập thể khác")),
            }],
            status: DecisionStatus::Issued,
            presentations: Vec::new(),
        },
    )
    .unwrap();
    let manh = Person::new(
        PersonId::new(),
        PersonDetails::named(PersonName::parse("Lê Quang Mạnh").unwrap()),
    )
    .unwrap();
    let deputy = Post::new(
        PostId::new(),
        PostDetails {
            organization: ubnd,
            title: text("Phó Chủ tịch"),
            seats: Seats::Limited(NonZeroU32::new(3).unwrap()),
            life: Period::always(),
        },
    )
    .unwrap();
    let holding = Holding::new(
        HoldingId::new(),
        HoldingDetails {
            person: manh.id(),
            post: deputy.id(),
            period: Period::new(
                Some(PartialDate::parse("2016-04").unwrap()),
                Some(PartialDate::parse("2021-03").unwrap()),
            )
            .unwrap(),
            kind: HoldingKind::Elected,
            term: None,
            document: None,
            end_reason: None,
        },
    )
    .unwrap();
    db.apply(
        &actor(),
        &[
            Write::CreateOrganization(so_noi_vu),
            Write::AddTask(task),
            Write::RecordAwardDecision(decision),
            Write::CreatePerson(manh),
            Write::CreatePost(deputy),
            Write::Appoint(holding),
        ],
    )
    .await
    .unwrap();
}

/// Parses CSV as RFC 4180 writes it (CRLF between records, quoted fields with doubled quotes).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                other => field.push(other),
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "a bare CR ends no record");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            '\n' => panic!("a bare LF outside quotes: records end with CRLF"),
            other => field.push(other),
        }
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "the last record ends with CRLF"
    );
    rows
}

async fn csv(db: &Database, kind: CsvKind, from: Option<&str>, to: Option<&str>) -> String {
    let options = CsvOptions::new(from.map(day), to.map(day)).unwrap();
    let mut out = Vec::new();
    let rows = write_csv(db, kind, options, &mut out).await.unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with(BOM), "no byte order mark");
    assert_eq!(parse_csv(&text[BOM.len()..]).len() as u64, rows + 1);
    text
}

fn rows(text: &str, kind: CsvKind) -> Vec<Vec<String>> {
    let mut rows = parse_csv(&text[BOM.len()..]);
    let header = rows.remove(0);
    assert_eq!(header, kind.header());
    for row in &rows {
        assert_eq!(row.len(), header.len(), "{row:?}");
    }
    rows
}

#[tokio::test]
async fn spreadsheets_have_one_row_per_thing_with_text_intact_on_every_engine() {
    for test in TestDatabase::every_engine().await {
        let db = &test.db;
        world(db).await;

        // Tasks: the nine of the founding article and one more, judged as of a given day.
        let tasks = csv(db, CsvKind::Tasks, None, Some("2021-12-31")).await;
        assert!(
            tasks.contains(&format!("\"{}\"", TASK_TEXT.replace('"', "\"\""))),
            "the task's text is quoted with its quotes doubled"
        );
        let table = rows(&tasks, CsvKind::Tasks);
        assert_eq!(table.len(), 10);
        let row = table.iter().find(|r| r[0] == TASK_TEXT).unwrap();
        assert!(
            row[1].starts_with("Phát biểu chỉ đạo (2021-01-15): "),
            "{row:?}"
        );
        assert_eq!(row[2], "2021-01-15");
        assert_eq!(row[3], "Ủy ban nhân dân thành phố Cần Thơ");
        assert_eq!(row[4], format!("{UNIT}; các tổ chức chính trị - xã hội"));
        assert_eq!(row[5], "2021-03-31");
        assert_eq!(row[6], "đã hoàn thành");
        assert_eq!(row[7], "hoàn thành quá hạn");
        assert_eq!(row[8], "2021-04-05");
        // As of 1 April the task was still open, and late.
        let early = rows(
            &csv(db, CsvKind::Tasks, None, Some("2021-04-01")).await,
            CsvKind::Tasks,
        );
        let row = early.iter().find(|r| r[0] == TASK_TEXT).unwrap();
        assert_eq!(
            (row[6].as_str(), row[7].as_str(), row[8].as_str()),
            ("đang thực hiện", "quá hạn", "")
        );
        let others = early.iter().find(|r| r[0] != TASK_TEXT).unwrap();
        assert_eq!(others[7], "không hạn");
        // A period without tasks gives the header alone.
        let none = csv(db, CsvKind::Tasks, Some("2022-01-01"), Some("2022-12-31")).await;
        assert_eq!(rows(&none, CsvKind::Tasks).len(), 0);

        // Awards: one row per recipient, named or counted.
        let awards = rows(&csv(db, CsvKind::Awards, None, None).await, CsvKind::Awards);
        assert_eq!(awards.len(), 4, "{awards:#?}");
        let person = awards
            .iter()
            .find(|r| r[4] == "Trần Thị Vĩnh Nghi")
            .unwrap();
        assert_eq!(person[0], "163/QĐ-UBND");
        assert_eq!(person[1], "2021-01-10");
        assert_eq!(person[2], "Ủy ban nhân dân thành phố Cần Thơ");
        assert_eq!(person[3], "Bằng khen");
        assert_eq!(person[5], "cá nhân");
        assert_eq!(person[6], "");
        assert_eq!(person[7], REASON);
        assert_eq!(person[8], "Còn hiệu lực");
        let counted = awards.iter().find(|r| r[4] == "11 tập thể khác").unwrap();
        assert_eq!(
            (counted[5].as_str(), counted[6].as_str()),
            ("tập thể", "11")
        );
        assert!(
            awards
                .iter()
                .any(|r| r[4] == "Ban Dân vận Thành ủy Cần Thơ")
        );
        // The article's decision is undated and filed under 2020: not in 2021's list.
        let in_2021 = rows(
            &csv(db, CsvKind::Awards, Some("2021-01-01"), Some("2021-12-31")).await,
            CsvKind::Awards,
        );
        assert_eq!(in_2021.len(), 3);

        // Holdings: the five of the article (undated, so in every period) and one that ended
        // in March 2021.
        let holdings = rows(
            &csv(db, CsvKind::Holdings, None, None).await,
            CsvKind::Holdings,
        );
        assert_eq!(holdings.len(), 6);
        let manh = holdings.iter().find(|r| r[0] == "Lê Quang Mạnh").unwrap();
        assert_eq!(
            manh,
            &vec![
                "Lê Quang Mạnh".to_owned(),
                "Phó Chủ tịch".to_owned(),
                "Ủy ban nhân dân thành phố Cần Thơ".to_owned(),
                "2016-04".to_owned(),
                "2021-03".to_owned(),
                "Bầu".to_owned(),
                String::new(),
            ]
        );
        let later = rows(
            &csv(db, CsvKind::Holdings, Some("2021-06-01"), None).await,
            CsvKind::Holdings,
        );
        assert_eq!(later.len(), 5);
        assert!(later.iter().all(|r| r[0] != "Lê Quang Mạnh"));
        test.finish().await;
    }
}

#[tokio::test]
async fn the_download_needs_an_editor_token() {
    let test = TestDatabase::sqlite().await;
    world(&test.db).await;
    let server = TestServer::start(test.db.clone()).await;
    let get = |path: &'static str, token: Option<String>| {
        let address = server.address;
        async move {
            let headers: Vec<(String, String)> = token
                .map(|t| vec![("Authorization".to_owned(), format!("Bearer {t}"))])
                .unwrap_or_default();
            request(address, "GET", path, &headers, b"").await
        }
    };
    let anonymous = get("/export/tasks.csv", None).await;
    assert_eq!(anonymous.status, 401, "{}", anonymous.text());
    assert_eq!(
        anonymous.json()["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    let forged = get(
        "/export/tasks.csv",
        Some(
            "gzt_00000000000000000000000000000000_0000000000000000000000000000000000000000000"
                .to_owned(),
        ),
    )
    .await;
    assert_eq!(forged.status, 401);
    let reader = get("/export/tasks.csv", Some(server.reader.clone())).await;
    assert_eq!(reader.status, 403, "{}", reader.text());
    assert_eq!(
        reader.json()["errors"][0]["extensions"]["code"],
        "FORBIDDEN"
    );

    let editor = get(
        "/export/tasks.csv?from=2021-01-01&to=2021-12-31",
        Some(server.editor.clone()),
    )
    .await;
    assert_eq!(editor.status, 200, "{}", editor.text());
    assert_eq!(editor.headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        editor.headers["content-disposition"],
        "attachment; filename=\"tasks_2021-01-01_2021-12-31.csv\""
    );
    let expected = csv(
        &test.db,
        CsvKind::Tasks,
        Some("2021-01-01"),
        Some("2021-12-31"),
    )
    .await;
    assert_eq!(editor.text(), expected);

    for path in ["/export/awards.csv", "/export/holdings.csv"] {
        let response = get(path, Some(server.admin.clone())).await;
        assert_eq!(response.status, 200, "{path}");
        assert!(response.text().starts_with(BOM));
    }
    let popolo = get("/export/popolo.json", Some(server.editor.clone())).await;
    assert_eq!(popolo.status, 200);
    assert_eq!(popolo.json()["persons"].as_array().unwrap().len(), 4);

    let bad_date = get(
        "/export/holdings.csv?from=15/01/2021",
        Some(server.editor.clone()),
    )
    .await;
    assert_eq!(bad_date.status, 400, "{}", bad_date.text());
    let backwards = get(
        "/export/holdings.csv?from=2021-12-31&to=2021-01-01",
        Some(server.editor.clone()),
    )
    .await;
    assert_eq!(backwards.status, 400);
    let unknown = get("/export/people.xlsx", Some(server.editor.clone())).await;
    assert_eq!(unknown.status, 404);
    server.stop();
    test.finish().await;
}
