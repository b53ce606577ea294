//! Sources and citations ("where did this fact come from"), the audit log and API tokens (admin
//! only), and the cross-entity search, over HTTP on every engine.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use gazette_domain::date::{PartialDate, PartialDateTime};
use gazette_domain::directive::{Directive, DirectiveDetails, DirectiveKind};
use gazette_domain::ids::{DirectiveId, MeetingId, OrganizationId, PersonId};
use gazette_domain::meeting::{Meeting, MeetingDetails, MeetingKind, Participant};
use gazette_domain::name::PersonName;
use gazette_domain::organization::{Classification, Level, Organization, OrganizationDetails};
use gazette_domain::person::{Person, PersonDetails};
use gazette_domain::text::{Prose, Text};
use gazette_gateway::schema::ids::global_id;
use gazette_storage::{Actor, Database};
use gazette_tests::{TestDatabase, TestServer};
use serde_json::{Value, json};

fn actor() -> Actor {
    Actor::new("system:fixture").unwrap()
}

async fn organization(db: &Database, name: &str, level: Option<Level>) -> Organization {
    let mut details =
        OrganizationDetails::new(Text::parse(name).unwrap(), Classification::PeoplesCommittee);
    details.level = level;
    let organization = Organization::new(OrganizationId::new(), details).unwrap();
    db.create_organization(&actor(), &organization)
        .await
        .unwrap();
    organization
}

async fn person(db: &Database, name: &str) -> Person {
    let person = Person::new(
        PersonId::new(),
        PersonDetails::named(PersonName::parse(name).unwrap()),
    )
    .unwrap();
    db.create_person(&actor(), &person).await.unwrap();
    person
}

async fn directive(db: &Database, issuer: &Person, summary: &str) -> String {
    let directive = Directive::new(
        DirectiveId::new(),
        DirectiveDetails {
            issuer: Participant {
                person: issuer.id(),
                capacities: Vec::new(),
            },
            kind: DirectiveKind::DirectingSpeech,
            issued_on: PartialDate::parse("2021-01-15").unwrap(),
            meeting: None,
            document_number: None,
            summary: Prose::parse(summary).unwrap(),
            addressees: Vec::new(),
        },
    )
    .unwrap();
    db.issue_directive(&actor(), &directive).await.unwrap();
    global_id("Directive", directive.id().as_uuid()).to_string()
}

fn gid(kind: &str, uuid: uuid::Uuid) -> String {
    global_id(kind, uuid).to_string()
}

/// The error code of a response that must carry exactly one error.
fn error_code(response: &Value) -> String {
    let errors = response["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{response:#}");
    errors[0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Records a Bằng khen of `authority` for the field `field` in 2020 with a counted collective
/// recipient, and returns its id.
async fn award(server: &TestServer, authority: &str, number: &str, field: &str) -> String {
    let data = server
        .data(
            "mutation($input: RecordAwardDecisionInput!) { recordAwardDecision(input: $input) { awardDecision { id } } }",
            json!({ "input": { "decision": {
                "number": number,
                "signedOn": "2021-01-10",
                "authority": authority,
                "form": { "kind": "CERTIFICATE_OF_MERIT" },
                "achievement": { "field": field, "period": "2020" },
                "unnamedRecipients": [{ "kind": "COLLECTIVE" }],
            } } }),
            Some(&server.editor),
        )
        .await;
    data["recordAwardDecision"]["awardDecision"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

const CREATE_SOURCE: &str = "mutation($input: CreateSourceInput!) {
  createSource(input: $input) {
    source { id kind title publisher url publishedAt byline photoCredits retrievedAt contentHash }
  }
}";

const HASH: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

fn can_tho_article() -> Value {
    json!({
        "kind": "NEWS_ARTICLE",
        "title": "Nâng cao hiệu quả công tác dân vận và thực hiện quy chế dân chủ ở cơ sở",
        "publisher": "Báo Cần Thơ",
        "url": "https://baocantho.com.vn/nang-cao-hieu-qua-cong-tac-dan-van-a130000.html",
        "publishedAt": "2021-01-16T05:59",
        "byline": "THANH THY",
        "photoCredits": ["NGỌC QUYÊN"],
        "retrievedAt": "2024-05-01T08:00:00Z",
        "contentHash": HASH,
    })
}

async fn create_source(server: &TestServer, token: &str, source: Value) -> Value {
    server
        .data(
            CREATE_SOURCE,
            json!({ "input": { "source": source } }),
            Some(token),
        )
        .await["createSource"]["source"]
        .clone()
}

const CITE: &str = "mutation($input: CiteInput!) {
  cite(input: $input) { citation { id note subjectKind subjectId source { id } } }
}";

async fn cite(server: &TestServer, source: &str, record: &str, note: &str) -> String {
    let data = server
        .data(
            CITE,
            json!({ "input": { "source": source, "record": record, "note": note } }),
            Some(&server.editor),
        )
        .await;
    assert_eq!(data["cite"]["citation"]["subjectId"], record);
    data["cite"]["citation"]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_records_sources_and_what_a_source_backs_are_both_answered() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let db = &server.db;
        let city = organization(db, "UBND thành phố Cần Thơ", Some(Level::Province)).await;
        let city_id = gid("Organization", city.id().as_uuid());
        let hieu = person(db, "Phạm Văn Hiểu").await;
        let hieu_id = gid("Person", hieu.id().as_uuid());
        let speech = directive(
            db,
            &hieu,
            "Tăng cường công tác dân vận chính quyền gắn với thực hiện QCDC ở cơ sở",
        )
        .await;
        let decision = award(&server, &city_id, "163/QĐ-UBND", "thực hiện QCDC ở cơ sở").await;
        let task = server
            .data(
                "mutation($input: AddTaskInput!) { addTask(input: $input) { task { id } } }",
                json!({ "input": { "directive": speech, "position": 1, "text": "Thực hiện tốt công tác tiếp dân",
                                   "addressees": [{ "groupName": "các cấp ủy đảng" }], "assignedOn": "2021-01-15" } }),
                Some(&server.editor),
            )
            .await["addTask"]["task"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let report = server
            .data(
                "mutation($input: ReportProgressInput!) { reportProgress(input: $input) { progressReport { id } } }",
                json!({ "input": { "task": task, "reportedOn": "2021-03-01", "note": "Đã tổ chức đối thoại" } }),
                Some(&server.editor),
            )
            .await["reportProgress"]["progressReport"]["id"]
            .as_str()
            .unwrap()
            .to_owned();

        let article = create_source(&server, &server.editor, can_tho_article()).await;
        let mut expected = can_tho_article();
        expected["id"] = article["id"].clone();
        expected["publishedAt"] = json!("2021-01-16T05:59:00");
        expected["retrievedAt"] = json!("2024-05-01T08:00:00+00:00");
        assert_eq!(article, expected, "every field round-trips");
        let source = article["id"].as_str().unwrap().to_owned();

        let on_person = cite(&server, &source, &hieu_id, "đoạn 1: chủ trì hội nghị").await;
        cite(&server, &source, &decision, "đoạn 6: trao Bằng khen").await;
        cite(&server, &source, &speech, "đoạn 3: phát biểu chỉ đạo").await;
        cite(&server, &source, &task, "đoạn 3").await;
        cite(&server, &source, &report, "theo dõi sau hội nghị").await;

        let from_the_record = server
            .data(
                "query($decision: ID!, $task: ID!) {
                  awardDecision(id: $decision) { sources { id title byline } citations { note source { id } } }
                  task(id: $task) { sources { id } citations { note } }
                }",
                json!({ "decision": decision, "task": task }),
                None,
            )
            .await;
        assert_eq!(
            from_the_record,
            json!({
                "awardDecision": {
                    "sources": [{ "id": source, "title": can_tho_article()["title"], "byline": "THANH THY" }],
                    "citations": [{ "note": "đoạn 6: trao Bằng khen", "source": { "id": source } }],
                },
                "task": { "sources": [{ "id": source }], "citations": [{ "note": "đoạn 3" }] },
            })
        );

        let backed = server
            .data(
                "query($source: ID!) { source(id: $source) { citations {
                  subjectKind subjectId
                  subject {
                    __typename
                    ... on Person { id name }
                    ... on AwardDecision { id }
                    ... on Directive { id }
                    ... on Task { id }
                    ... on RecordReference { kind id }
                  }
                } } }",
                json!({ "source": source }),
                None,
            )
            .await;
        assert_eq!(
            backed["source"]["citations"],
            json!([
                { "subjectKind": "Person", "subjectId": hieu_id,
                  "subject": { "__typename": "Person", "id": hieu_id, "name": "Phạm Văn Hiểu" } },
                { "subjectKind": "AwardDecision", "subjectId": decision,
                  "subject": { "__typename": "AwardDecision", "id": decision } },
                { "subjectKind": "Directive", "subjectId": speech,
                  "subject": { "__typename": "Directive", "id": speech } },
                { "subjectKind": "Task", "subjectId": task,
                  "subject": { "__typename": "Task", "id": task } },
                { "subjectKind": "ProgressReport", "subjectId": report,
                  "subject": { "__typename": "RecordReference", "kind": "ProgressReport", "id": report } },
            ])
        );

        let of_person =
            "query($record: ID!) { citations(record: $record) { id note source { publisher } } }";
        let before = server
            .data(of_person, json!({ "record": hieu_id }), None)
            .await;
        assert_eq!(
            before["citations"],
            json!([{ "id": on_person, "note": "đoạn 1: chủ trì hội nghị", "source": { "publisher": "Báo Cần Thơ" } }])
        );
        let removed = server
            .data(
                "mutation($input: UnciteInput!) { uncite(input: $input) { citation { id subjectId note } } }",
                json!({ "input": { "id": on_person } }),
                Some(&server.editor),
            )
            .await;
        assert_eq!(
            removed["uncite"]["citation"],
            json!({ "id": on_person, "subjectId": hieu_id, "note": "đoạn 1: chủ trì hội nghị" })
        );
        let after = server
            .data(of_person, json!({ "record": hieu_id }), None)
            .await;
        assert_eq!(after["citations"], json!([]));

        let missing = gid("Person", uuid::Uuid::now_v7());
        let nowhere = server
            .graphql(
                CITE,
                json!({ "input": { "source": source, "record": missing } }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(error_code(&nowhere), "NOT_FOUND");
        let a_source_cannot_cite = server
            .graphql(
                CITE,
                json!({ "input": { "source": source, "record": source } }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(error_code(&a_source_cannot_cite), "BAD_USER_INPUT");

        let mut renamed = can_tho_article();
        renamed["title"] = json!("Hội nghị tổng kết công tác dân vận năm 2020");
        server
            .data(
                "mutation($input: UpdateSourceInput!) { updateSource(input: $input) { source { title } } }",
                json!({ "input": { "id": source, "source": renamed } }),
                Some(&server.editor),
            )
            .await;
        let mut other = can_tho_article();
        other["title"] = json!("Cần Thơ tổng kết công tác thi đua khen thưởng");
        other["publisher"] = json!("Báo Khánh Hòa");
        create_source(&server, &server.editor, other).await;
        let listed = server
            .data(
                "{ byTitle: sources(title: \"DAN VAN tong k\") { edges { node { id title } } }
                   byPublisher: sources(publisher: \"Báo Cần Thơ\") { edges { node { id } } } }",
                json!({}),
                None,
            )
            .await;
        assert_eq!(
            listed,
            json!({
                "byTitle": { "edges": [{ "node": { "id": source, "title": "Hội nghị tổng kết công tác dân vận năm 2020" } }] },
                "byPublisher": { "edges": [{ "node": { "id": source } }] },
            })
        );
        let mut bad_url = can_tho_article();
        bad_url["url"] = json!("baocantho.com.vn/bai-viet");
        let refused = server
            .graphql(
                CREATE_SOURCE,
                json!({ "input": { "source": bad_url } }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(error_code(&refused), "BAD_USER_INPUT");
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn source_writes_need_an_editor_token() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let source = create_source(&server, &server.editor, can_tho_article()).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let hieu = person(&server.db, "Phạm Văn Hiểu").await;
        let hieu_id = gid("Person", hieu.id().as_uuid());
        let citation = cite(&server, &source, &hieu_id, "đoạn 1").await;
        for (mutation, input) in [
            (CREATE_SOURCE, json!({ "source": can_tho_article() })),
            (
                "mutation($input: UpdateSourceInput!) { updateSource(input: $input) { source { id } } }",
                json!({ "id": source, "source": can_tho_article() }),
            ),
            (CITE, json!({ "source": source, "record": hieu_id })),
            (
                "mutation($input: UnciteInput!) { uncite(input: $input) { citation { id } } }",
                json!({ "id": citation }),
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
                "query($record: ID!) { sources { edges { node { id } } } citations(record: $record) { id } }",
                json!({ "record": hieu_id }),
                None,
            )
            .await;
        assert_eq!(
            unchanged,
            json!({ "sources": { "edges": [{ "node": { "id": source } }] }, "citations": [{ "id": citation }] })
        );
        server.stop();
        test_db.finish().await;
    }
}

const AUDIT: &str = "query($kind: String, $entity: ID, $actor: String, $from: DateTime) {
  auditLog(entityKind: $kind, entityId: $entity, actor: $actor, from: $from) {
    edges { node { actor operation entityKind entityId summary } }
  }
}";

#[tokio::test]
async fn the_audit_log_and_the_tokens_are_for_admins_only() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let source = create_source(&server, &server.editor, can_tho_article()).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        for (query, variables) in [
            (AUDIT, json!({})),
            ("{ tokens { id } }", json!({})),
            (
                "mutation { createToken(input: { name: \"x\", role: ADMIN }) { secret } }",
                json!({}),
            ),
        ] {
            for (token, code) in [
                (None, "UNAUTHENTICATED"),
                (Some(&server.reader), "FORBIDDEN"),
                (Some(&server.editor), "FORBIDDEN"),
            ] {
                let response = server
                    .graphql(query, variables.clone(), token.map(String::as_str))
                    .await
                    .json();
                assert_eq!(error_code(&response), code, "{query}");
            }
        }

        let history = server
            .data(AUDIT, json!({ "entity": source }), Some(&server.admin))
            .await;
        let entries = history["auditLog"]["edges"].as_array().unwrap();
        assert_eq!(entries.len(), 1, "{history:#}");
        let entry = &entries[0]["node"];
        assert_eq!(entry["actor"], "editor:test editor");
        assert_eq!(entry["operation"], "create");
        assert_eq!(entry["entityKind"], "source");
        assert_eq!(entry["entityId"], source);
        assert_eq!(entry["summary"]["title"], can_tho_article()["title"]);
        let by_kind = server
            .data(
                AUDIT,
                json!({ "kind": "source", "actor": "editor:test editor" }),
                Some(&server.admin),
            )
            .await;
        assert_eq!(by_kind["auditLog"]["edges"].as_array().unwrap().len(), 1);
        let later = server
            .data(
                AUDIT,
                json!({ "kind": "source", "from": "2999-01-01T00:00:00Z" }),
                Some(&server.admin),
            )
            .await;
        assert_eq!(later["auditLog"]["edges"], json!([]));
        let mismatched = server
            .graphql(
                AUDIT,
                json!({ "kind": "person", "entity": source }),
                Some(&server.admin),
            )
            .await
            .json();
        assert_eq!(error_code(&mismatched), "BAD_USER_INPUT");

        let tokens = server
            .data(
                "{ tokens { name role revokedAt } }",
                json!({}),
                Some(&server.admin),
            )
            .await;
        assert_eq!(
            tokens["tokens"],
            json!([
                { "name": "test reader", "role": "READER", "revokedAt": null },
                { "name": "test editor", "role": "EDITOR", "revokedAt": null },
                { "name": "test admin", "role": "ADMIN", "revokedAt": null },
            ])
        );
        server.stop();
        test_db.finish().await;
    }
}

const CREATE_TOKEN: &str = "mutation($input: CreateTokenInput!) {
  createToken(input: $input) { secret token { id name role createdAt revokedAt } }
}";

#[tokio::test]
async fn a_new_token_works_on_the_next_request_and_a_revoked_one_stops() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let created = server
            .data(
                CREATE_TOKEN,
                json!({ "input": { "name": "Văn phòng UBND", "role": "EDITOR" } }),
                Some(&server.admin),
            )
            .await;
        let secret = created["createToken"]["secret"]
            .as_str()
            .unwrap()
            .to_owned();
        let token = created["createToken"]["token"].clone();
        assert!(secret.starts_with("gzt_"), "{secret}");
        assert_eq!(token["name"], "Văn phòng UBND");
        assert_eq!(token["role"], "EDITOR");
        assert_eq!(token["revokedAt"], Value::Null);

        let written = create_source(&server, &secret, can_tho_article()).await;
        assert!(written["id"].is_string());
        let audit = server
            .data(
                AUDIT,
                json!({ "actor": "editor:Văn phòng UBND" }),
                Some(&server.admin),
            )
            .await;
        assert_eq!(
            audit["auditLog"]["edges"][0]["node"]["entityId"],
            written["id"]
        );
        let made = server
            .data(AUDIT, json!({ "entity": token["id"] }), Some(&server.admin))
            .await;
        assert_eq!(
            made["auditLog"]["edges"][0]["node"]["operation"],
            "create_token"
        );

        let revoked = server
            .data(
                "mutation($input: RevokeTokenInput!) { revokeToken(input: $input) { token { id revokedAt } } }",
                json!({ "input": { "id": token["id"] } }),
                Some(&server.admin),
            )
            .await;
        assert!(revoked["revokeToken"]["token"]["revokedAt"].is_string());
        let refused = server
            .graphql(
                CREATE_SOURCE,
                json!({ "input": { "source": can_tho_article() } }),
                Some(&secret),
            )
            .await;
        assert_eq!(refused.status, 401, "{}", refused.text());
        assert_eq!(error_code(&refused.json()), "UNAUTHENTICATED");
        let reads_too = server
            .graphql("{ version }", json!({}), Some(&secret))
            .await;
        assert_eq!(reads_too.status, 401);

        let reader = server
            .data(
                CREATE_TOKEN,
                json!({ "input": { "name": "báo chí", "role": "READER" } }),
                Some(&server.admin),
            )
            .await["createToken"]["secret"]
            .as_str()
            .unwrap()
            .to_owned();
        let forbidden = server
            .graphql(
                CREATE_SOURCE,
                json!({ "input": { "source": can_tho_article() } }),
                Some(&reader),
            )
            .await
            .json();
        assert_eq!(error_code(&forbidden), "FORBIDDEN");
        let blank = server
            .graphql(
                CREATE_TOKEN,
                json!({ "input": { "name": "  ", "role": "EDITOR" } }),
                Some(&server.admin),
            )
            .await
            .json();
        assert_eq!(error_code(&blank), "BAD_USER_INPUT");
        server.stop();
        test_db.finish().await;
    }
}

const SEARCH: &str = "query($text: String!, $first: Int) {
  search(text: $text, first: $first) {
    __typename
    ... on Person { id name }
    ... on Organization { id }
    ... on Meeting { id }
    ... on Directive { id }
    ... on AwardDecision { id }
  }
}";

async fn search(server: &TestServer, text: &str, first: Option<i32>) -> Vec<(String, String)> {
    let data = server
        .data(SEARCH, json!({ "text": text, "first": first }), None)
        .await;
    data["search"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["__typename"].as_str().unwrap().to_owned(),
                r["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn search_finds_every_kind_of_record_ignoring_case_diacritics_and_look_alikes() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let db = &server.db;
        let city = organization(db, "UBND thành phố Cần Thơ", Some(Level::Province)).await;
        let city_id = gid("Organization", city.id().as_uuid());
        let board = organization(db, "Ban Dân vận Thành ủy Cần Thơ", None).await;
        let board_id = gid("Organization", board.id().as_uuid());
        let council = organization(db, "HĐND thành phố Cần Thơ", None).await;
        let council_id = gid("Organization", council.id().as_uuid());
        let truong = person(db, "Trần Việt Trường").await;
        let truong_id = gid("Person", truong.id().as_uuid());
        let conference = Meeting::new(
            MeetingId::new(),
            MeetingDetails {
                title: Text::parse("Hội nghị tổng kết công tác dân vận năm 2020").unwrap(),
                kind: MeetingKind::Conference,
                organizer: board.id(),
                held_at: PartialDateTime::parse("2021-01-15").unwrap(),
                location: None,
                chairs: Vec::new(),
                attendees: Vec::new(),
                agenda: Vec::new(),
            },
        )
        .unwrap();
        db.record_meeting(&actor(), &conference).await.unwrap();
        let conference_id = gid("Meeting", conference.id().as_uuid());
        let first_speech = directive(
            db,
            &truong,
            "Tăng cường công tác dân vận chính quyền gắn với thực hiện QCDC",
        )
        .await;
        let second_speech = directive(db, &truong, "Đẩy mạnh phong trào “Dân vận khéo”").await;
        directive(db, &truong, "Thực hiện tốt công tác bầu cử").await;
        let decision = award(&server, &city_id, "163/QĐ-UBND", "công tác dân vận").await;

        assert_eq!(
            search(&server, "DAN VAN", None).await,
            [
                ("Organization".to_owned(), board_id.clone()),
                ("Meeting".to_owned(), conference_id),
                ("Directive".to_owned(), first_speech.clone()),
                ("Directive".to_owned(), second_speech),
                ("AwardDecision".to_owned(), decision.clone()),
            ],
            "kinds in a fixed order, each in its list order"
        );
        let one_each = search(&server, "dân vận", Some(1)).await;
        assert_eq!(
            one_each
                .iter()
                .map(|(kind, _)| kind.as_str())
                .collect::<Vec<_>>(),
            ["Organization", "Meeting", "Directive", "AwardDecision"]
        );
        assert_eq!(one_each[2].1, first_speech);
        assert_eq!(
            search(&server, "truong", None).await,
            [("Person".to_owned(), truong_id)]
        );
        // "HÐND" written with the Icelandic eth, as some newspapers' systems emit it.
        assert_eq!(
            search(&server, "H\u{00D0}ND", None).await,
            [("Organization".to_owned(), council_id)]
        );
        assert_eq!(
            search(&server, "163/QÐ-UBND", None).await,
            [("AwardDecision".to_owned(), decision.clone())]
        );
        assert_eq!(
            search(&server, "bằng khen", None).await,
            [("AwardDecision".to_owned(), decision)]
        );
        assert_eq!(search(&server, "không có gì", None).await, []);
        for (text, first) in [(" - / ", None), ("dân vận", Some(0)), ("dân vận", Some(21))] {
            let response = server
                .graphql(SEARCH, json!({ "text": text, "first": first }), None)
                .await
                .json();
            assert_eq!(
                error_code(&response),
                "BAD_USER_INPUT",
                "{text:?} {first:?}"
            );
        }
        server.stop();
        test_db.finish().await;
    }
}
