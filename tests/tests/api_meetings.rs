//! Meetings and directives through the GraphQL API over HTTP, on every engine: the 2021-01-15
//! conference of the Cần Thơ City Party Committee's standing board, who chaired it holding
//! what, and Phạm Văn Hiểu's directing speech.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use gazette_domain::date::PartialDate;
use gazette_domain::ids::TaskId;
use gazette_domain::task::{Task, TaskDetails};
use gazette_domain::text::Prose;
use gazette_storage::{Actor, DirectiveFilter, PageRequest};
use gazette_tests::{TestDatabase, TestServer};
use serde_json::{Value, json};

const RECORD_MEETING: &str = "mutation($m: MeetingFields!) {
    recordMeeting(input: {meeting: $m}) { meeting { id title heldAt } } }";
const UPDATE_MEETING: &str = "mutation($id: ID!, $m: MeetingFields!) {
    updateMeeting(input: {id: $id, meeting: $m}) { meeting { id title heldAt location agenda } } }";
const ISSUE_DIRECTIVE: &str = "mutation($d: DirectiveFields!) {
    issueDirective(input: {directive: $d}) { directive { id kind issuedOn } } }";
const UPDATE_DIRECTIVE: &str = "mutation($id: ID!, $d: DirectiveFields!) {
    updateDirective(input: {id: $id, directive: $d}) { directive { id summary documentNumber { raw } } } }";

const TITLE: &str =
    "Hội nghị tổng kết công tác dân vận và thực hiện quy chế dân chủ ở cơ sở năm 2020";

/// The records of the founding example, by global id.
struct CanTho {
    ban_thuong_vu: String,
    ban_dan_van: String,
    ubnd: String,
    pho_bi_thu_thuong_truc: String,
    pho_bi_thu: String,
    chu_tich_hdnd: String,
    chu_tich_ubnd: String,
    truong_ban_dan_van: String,
    hieu: String,
    truong: String,
    nghi: String,
}

/// Runs an editor's mutation that must succeed and returns the id at `path` in its data.
async fn create(server: &TestServer, mutation: &str, variables: Value, path: &[&str]) -> String {
    let data = server.data(mutation, variables, Some(&server.editor)).await;
    let mut value = &data;
    for key in path {
        value = &value[*key];
    }
    value
        .as_str()
        .unwrap_or_else(|| panic!("no id at {path:?} in {data:#}"))
        .to_owned()
}

async fn organization(server: &TestServer, fields: Value) -> String {
    create(
        server,
        "mutation($o: OrganizationFields!) { createOrganization(input: {organization: $o}) { organization { id } } }",
        json!({ "o": fields }),
        &["createOrganization", "organization", "id"],
    )
    .await
}

async fn post(server: &TestServer, organization: &str, title: &str, seats: Value) -> String {
    create(
        server,
        "mutation($p: PostFields!) { createPost(input: {post: $p}) { post { id } } }",
        json!({ "p": { "organization": organization, "title": title, "seats": seats } }),
        &["createPost", "post", "id"],
    )
    .await
}

async fn person(server: &TestServer, name: &str) -> String {
    create(
        server,
        "mutation($n: String!) { createPerson(input: {person: {name: $n}}) { person { id } } }",
        json!({ "n": name }),
        &["createPerson", "person", "id"],
    )
    .await
}

async fn appoint(server: &TestServer, person: &str, post: &str, start: &str) {
    create(
        server,
        "mutation($person: ID!, $post: ID!, $h: HoldingFields!) {
            appoint(input: {person: $person, post: $post, holding: $h}) { holding { id } } }",
        json!({ "person": person, "post": post, "h": { "start": start, "kind": "ELECTED" } }),
        &["appoint", "holding", "id"],
    )
    .await;
}

/// Builds the organizations, posts, people and holdings of the founding example.
async fn build_can_tho(server: &TestServer) -> CanTho {
    let thanh_uy = organization(
        server,
        json!({ "name": "Thành ủy Cần Thơ", "classification": "PARTY_COMMITTEE", "level": "PROVINCE" }),
    )
    .await;
    let ban_thuong_vu = organization(
        server,
        json!({ "name": "Ban Thường vụ Thành ủy Cần Thơ", "classification": "STANDING_BOARD",
                "level": "PROVINCE", "parent": thanh_uy }),
    )
    .await;
    let ban_dan_van = organization(
        server,
        json!({ "name": "Ban Dân vận Thành ủy Cần Thơ", "classification": "PARTY_BOARD",
                "level": "PROVINCE", "parent": thanh_uy }),
    )
    .await;
    let hdnd = organization(
        server,
        json!({ "name": "Hội đồng nhân dân thành phố Cần Thơ", "abbreviation": "HĐND thành phố",
                "classification": "PEOPLES_COUNCIL", "level": "PROVINCE" }),
    )
    .await;
    let ubnd = organization(
        server,
        json!({ "name": "Ủy ban nhân dân thành phố Cần Thơ", "abbreviation": "UBND thành phố",
                "classification": "PEOPLES_COMMITTEE", "level": "PROVINCE" }),
    )
    .await;
    let pho_bi_thu_thuong_truc = post(server, &thanh_uy, "Phó Bí thư Thường trực", json!(1)).await;
    let pho_bi_thu = post(server, &thanh_uy, "Phó Bí thư", Value::Null).await;
    let chu_tich_hdnd = post(server, &hdnd, "Chủ tịch", json!(1)).await;
    let chu_tich_ubnd = post(server, &ubnd, "Chủ tịch", json!(1)).await;
    let truong_ban_dan_van = post(server, &ban_dan_van, "Trưởng ban", json!(1)).await;
    let hieu = person(server, "Phạm Văn Hiểu").await;
    let truong = person(server, "Trần Việt Trường").await;
    let nghi = person(server, "Trần Thị Vĩnh Nghi").await;
    appoint(server, &hieu, &pho_bi_thu_thuong_truc, "2020-10-14").await;
    appoint(server, &hieu, &chu_tich_hdnd, "2016-06").await;
    appoint(server, &truong, &pho_bi_thu, "2020-10-14").await;
    appoint(server, &truong, &chu_tich_ubnd, "2019-12").await;
    appoint(server, &nghi, &truong_ban_dan_van, "2016").await;
    CanTho {
        ban_thuong_vu,
        ban_dan_van,
        ubnd,
        pho_bi_thu_thuong_truc,
        pho_bi_thu,
        chu_tich_hdnd,
        chu_tich_ubnd,
        truong_ban_dan_van,
        hieu,
        truong,
        nghi,
    }
}

/// The conference's fields as the article gives them.
fn conference(can_tho: &CanTho) -> Value {
    json!({
        "title": TITLE,
        "kind": "CONFERENCE",
        "organizer": can_tho.ban_thuong_vu,
        "heldAt": "2021-01-15",
        "chairs": [
            { "person": can_tho.hieu, "capacities": [can_tho.pho_bi_thu_thuong_truc, can_tho.chu_tich_hdnd] },
            { "person": can_tho.truong, "capacities": [can_tho.pho_bi_thu, can_tho.chu_tich_ubnd] },
            { "person": can_tho.nghi, "capacities": [can_tho.truong_ban_dan_van] },
        ],
        "agenda": [
            "Tổng kết công tác dân vận và thực hiện QCDC ở cơ sở năm 2020",
            "Trao Bằng khen của UBND thành phố",
        ],
    })
}

/// Phạm Văn Hiểu's directing speech at the conference.
fn directing_speech(can_tho: &CanTho, meeting: &str) -> Value {
    json!({
        "issuer": { "person": can_tho.hieu, "capacities": [can_tho.pho_bi_thu_thuong_truc, can_tho.chu_tich_hdnd] },
        "kind": "DIRECTING_SPEECH",
        "issuedOn": "2021-01-15",
        "meeting": meeting,
        "summary": "Tăng cường công tác dân vận chính quyền gắn với thực hiện QCDC ở cơ sở;\nthực hiện tốt công tác tiếp dân, đối thoại trực tiếp với dân;\nthực hiện tốt công tác bầu cử đại biểu Quốc hội và đại biểu HĐND các cấp nhiệm kỳ 2021-2026.",
        "addressees": [
            { "groupName": "các cấp ủy đảng" },
            { "groupName": "chính quyền" },
            { "organization": can_tho.ban_dan_van },
            { "groupName": "Mặt trận" },
            { "groupName": "các tổ chức chính trị - xã hội" },
        ],
    })
}

async fn record_conference(server: &TestServer, can_tho: &CanTho) -> String {
    create(
        server,
        RECORD_MEETING,
        json!({ "m": conference(can_tho) }),
        &["recordMeeting", "meeting", "id"],
    )
    .await
}

fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error, got {body:#}"))
}

fn error_message(body: &Value) -> &str {
    body["errors"][0]["message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn the_founding_conference_answers_who_chaired_it_holding_what() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let meeting = record_conference(&server, &can_tho).await;
        let data = server
            .data(
                "query($id: ID!) { meeting(id: $id) {
                    id title kind heldAt location agenda organizer { name }
                    chairs { person { name } capacities { title organization { name } } }
                    attendees { person { name } }
                    sources { id }
                } }",
                json!({ "id": meeting }),
                None,
            )
            .await;
        let meeting_data = &data["meeting"];
        assert_eq!(meeting_data["title"], TITLE);
        assert_eq!(meeting_data["kind"], "CONFERENCE");
        assert_eq!(meeting_data["heldAt"], "2021-01-15");
        assert_eq!(meeting_data["location"], Value::Null);
        assert_eq!(
            meeting_data["organizer"]["name"],
            "Ban Thường vụ Thành ủy Cần Thơ"
        );
        assert_eq!(
            meeting_data["agenda"][1],
            "Trao Bằng khen của UBND thành phố"
        );
        assert_eq!(
            meeting_data["chairs"],
            json!([
                { "person": { "name": "Phạm Văn Hiểu" }, "capacities": [
                    { "title": "Phó Bí thư Thường trực", "organization": { "name": "Thành ủy Cần Thơ" } },
                    { "title": "Chủ tịch", "organization": { "name": "Hội đồng nhân dân thành phố Cần Thơ" } },
                ] },
                { "person": { "name": "Trần Việt Trường" }, "capacities": [
                    { "title": "Phó Bí thư", "organization": { "name": "Thành ủy Cần Thơ" } },
                    { "title": "Chủ tịch", "organization": { "name": "Ủy ban nhân dân thành phố Cần Thơ" } },
                ] },
                { "person": { "name": "Trần Thị Vĩnh Nghi" }, "capacities": [
                    { "title": "Trưởng ban", "organization": { "name": "Ban Dân vận Thành ủy Cần Thơ" } },
                ] },
            ]),
            "{data:#}"
        );
        assert_eq!(meeting_data["attendees"], json!([]));
        assert_eq!(meeting_data["sources"], json!([]));

        // From the people's side: each chaired it.
        let chaired = server
            .data(
                "query($hieu: ID!, $nghi: ID!) {
                    hieu: person(id: $hieu) { meetingsChaired { id title } meetings { id } }
                    nghi: person(id: $nghi) { meetingsChaired { id } }
                }",
                json!({ "hieu": can_tho.hieu, "nghi": can_tho.nghi }),
                None,
            )
            .await;
        assert_eq!(
            chaired["hieu"]["meetingsChaired"],
            json!([{ "id": meeting, "title": TITLE }])
        );
        assert_eq!(chaired["hieu"]["meetings"], json!([{ "id": meeting }]));
        assert_eq!(
            chaired["nghi"]["meetingsChaired"],
            json!([{ "id": meeting }])
        );
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn the_directing_speech_is_found_from_its_meeting_and_its_issuer() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let meeting = record_conference(&server, &can_tho).await;
        let directive = create(
            &server,
            ISSUE_DIRECTIVE,
            json!({ "d": directing_speech(&can_tho, &meeting) }),
            &["issueDirective", "directive", "id"],
        )
        .await;
        // A task of the directive, recorded through storage (tasks have their own API).
        let stored = server
            .db
            .directives(&DirectiveFilter::default(), &PageRequest::first(10))
            .await
            .unwrap();
        let directive_id = stored.edges[0].node.id();
        let task = Task::new(
            TaskId::new(),
            TaskDetails::new(
                directive_id,
                1,
                Prose::parse("Thực hiện tốt công tác tiếp dân, đối thoại trực tiếp với dân")
                    .unwrap(),
                PartialDate::parse("2021-01-15").unwrap().as_date().unwrap(),
            ),
        )
        .unwrap();
        server
            .db
            .add_task(&Actor::new("system:test").unwrap(), &task)
            .await
            .unwrap();

        let data = server
            .data(
                "query($id: ID!, $meeting: ID!) {
                    directive(id: $id) {
                        id kind issuedOn summary documentNumber { raw }
                        issuer { person { name } capacities { title } }
                        meeting { id title }
                        addressees { organization { name } groupName }
                        tasks { id }
                        sources { id }
                    }
                    meeting(id: $meeting) { directives { id issuer { person { name } } } }
                }",
                json!({ "id": directive, "meeting": meeting }),
                None,
            )
            .await;
        let speech = &data["directive"];
        assert_eq!(speech["kind"], "DIRECTING_SPEECH");
        assert_eq!(speech["issuedOn"], "2021-01-15");
        assert_eq!(speech["documentNumber"], Value::Null);
        assert!(
            speech["summary"]
                .as_str()
                .unwrap()
                .contains("\nthực hiện tốt công tác tiếp dân")
        );
        assert_eq!(
            speech["issuer"],
            json!({ "person": { "name": "Phạm Văn Hiểu" },
                    "capacities": [{ "title": "Phó Bí thư Thường trực" }, { "title": "Chủ tịch" }] })
        );
        assert_eq!(speech["meeting"], json!({ "id": meeting, "title": TITLE }));
        assert_eq!(
            speech["addressees"],
            json!([
                { "organization": null, "groupName": "các cấp ủy đảng" },
                { "organization": null, "groupName": "chính quyền" },
                { "organization": { "name": "Ban Dân vận Thành ủy Cần Thơ" }, "groupName": null },
                { "organization": null, "groupName": "Mặt trận" },
                { "organization": null, "groupName": "các tổ chức chính trị - xã hội" },
            ])
        );
        assert_eq!(speech["tasks"].as_array().unwrap().len(), 1, "{data:#}");
        assert_eq!(
            data["meeting"]["directives"],
            json!([{ "id": directive, "issuer": { "person": { "name": "Phạm Văn Hiểu" } } }])
        );

        let listed = server
            .data(
                "query($hieu: ID!, $truong: ID!, $meeting: ID!) {
                    byIssuer: directives(issuer: $hieu) { edges { node { id } } }
                    byOther: directives(issuer: $truong) { edges { node { id } } }
                    byMeeting: directives(meeting: $meeting) { edges { node { id } } }
                    inWindow: directives(from: \"2021-01-01\", to: \"2021-01-31\") { edges { node { id } } }
                    outside: directives(from: \"2021-02-01\") { edges { node { id } } }
                }",
                json!({ "hieu": can_tho.hieu, "truong": can_tho.truong, "meeting": meeting }),
                None,
            )
            .await;
        let one = json!({ "edges": [{ "node": { "id": directive } }] });
        let none = json!({ "edges": [] });
        assert_eq!(listed["byIssuer"], one);
        assert_eq!(listed["byOther"], none);
        assert_eq!(listed["byMeeting"], one);
        assert_eq!(listed["inWindow"], one);
        assert_eq!(listed["outside"], none);
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn a_directive_document_number_is_read_into_its_parts() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let data = server
            .data(
                "mutation($d: DirectiveFields!) { issueDirective(input: {directive: $d}) {
                    directive { meeting { id } documentNumber { raw format number documentType issuer year key } } } }",
                json!({ "d": {
                    "issuer": { "person": can_tho.hieu, "capacities": [can_tho.pho_bi_thu_thuong_truc] },
                    "kind": "DIRECTIVE_DOCUMENT",
                    "issuedOn": "2021-03",
                    "documentNumber": "Số: 05-CT/TU",
                    "summary": "Về tăng cường lãnh đạo công tác dân vận",
                    "addressees": [{ "organization": can_tho.ubnd }],
                } }),
                Some(&server.editor),
            )
            .await;
        assert_eq!(
            data["issueDirective"]["directive"],
            json!({ "meeting": null, "documentNumber": {
                "raw": "Số: 05-CT/TU", "format": "PARTY", "number": "05", "documentType": "CT",
                "issuer": "TU", "year": null, "key": "5-CT/TU" } }),
            "{data:#}"
        );
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn a_capacity_the_person_did_not_hold_that_day_is_refused() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        // Trần Thị Vĩnh Nghi never chaired the People's Committee.
        let mut wrong = conference(&can_tho);
        wrong["chairs"][2]["capacities"] = json!([can_tho.chu_tich_ubnd]);
        let refused = server
            .graphql(RECORD_MEETING, json!({ "m": wrong }), Some(&server.editor))
            .await
            .json();
        assert_eq!(error_code(&refused), "BAD_USER_INPUT", "{refused:#}");
        assert!(
            error_message(&refused).contains("held no such post"),
            "{refused:#}"
        );

        // Phạm Văn Hiểu became Phó Bí thư Thường trực in October 2020: not in 2019.
        let mut early = conference(&can_tho);
        early["heldAt"] = json!("2019-01-15T08:00");
        let refused_early = server
            .graphql(RECORD_MEETING, json!({ "m": early }), Some(&server.editor))
            .await
            .json();
        assert_eq!(
            error_code(&refused_early),
            "BAD_USER_INPUT",
            "{refused_early:#}"
        );

        // The same person twice among chairs and attendees.
        let mut twice = conference(&can_tho);
        twice["attendees"] = json!([{ "person": can_tho.nghi }]);
        let refused_twice = server
            .graphql(RECORD_MEETING, json!({ "m": twice }), Some(&server.editor))
            .await
            .json();
        assert_eq!(
            error_code(&refused_twice),
            "BAD_USER_INPUT",
            "{refused_twice:#}"
        );
        assert!(
            error_message(&refused_twice).contains("listed twice"),
            "{refused_twice:#}"
        );

        let meetings = server
            .data("{ meetings { edges { node { id } } } }", json!({}), None)
            .await;
        assert_eq!(
            meetings["meetings"]["edges"],
            json!([]),
            "nothing was written"
        );
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn a_directive_dated_before_its_meeting_or_with_a_capacity_not_held_is_refused() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let meeting = record_conference(&server, &can_tho).await;
        let mut before = directing_speech(&can_tho, &meeting);
        before["issuedOn"] = json!("2021-01-14");
        let refused = server
            .graphql(
                ISSUE_DIRECTIVE,
                json!({ "d": before }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(error_code(&refused), "BAD_USER_INPUT", "{refused:#}");
        assert!(
            error_message(&refused).contains("cannot come before its meeting"),
            "{refused:#}"
        );
        let mut not_held = directing_speech(&can_tho, &meeting);
        not_held["issuer"]["capacities"] = json!([can_tho.chu_tich_ubnd]);
        let refused = server
            .graphql(
                ISSUE_DIRECTIVE,
                json!({ "d": not_held }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(error_code(&refused), "BAD_USER_INPUT", "{refused:#}");
        let mut repeated = directing_speech(&can_tho, &meeting);
        repeated["addressees"] = json!([{ "groupName": "Mặt trận" }, { "groupName": "MẶT TRẬN" }]);
        let refused = server
            .graphql(
                ISSUE_DIRECTIVE,
                json!({ "d": repeated }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(error_code(&refused), "BAD_USER_INPUT", "{refused:#}");
        assert!(
            error_message(&refused).contains("listed twice"),
            "{refused:#}"
        );
        // An addressee must be exactly one of an organization and a group.
        let mut both = directing_speech(&can_tho, &meeting);
        both["addressees"] = json!([{ "groupName": "Mặt trận", "organization": can_tho.ubnd }]);
        let refused = server
            .graphql(ISSUE_DIRECTIVE, json!({ "d": both }), Some(&server.editor))
            .await
            .json();
        assert_eq!(error_code(&refused), "BAD_USER_INPUT", "{refused:#}");

        let directives = server
            .data("{ directives { edges { node { id } } } }", json!({}), None)
            .await;
        assert_eq!(
            directives["directives"]["edges"],
            json!([]),
            "nothing was written"
        );
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn meetings_and_directives_can_be_corrected_within_the_rules() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let meeting = record_conference(&server, &can_tho).await;
        let directive = create(
            &server,
            ISSUE_DIRECTIVE,
            json!({ "d": directing_speech(&can_tho, &meeting) }),
            &["issueDirective", "directive", "id"],
        )
        .await;
        let mut corrected = conference(&can_tho);
        corrected["heldAt"] = json!("2021-01-15T08:00");
        corrected["location"] = json!("Hội trường Thành ủy");
        corrected["agenda"] = json!(["Tổng kết năm 2020"]);
        let updated = server
            .data(
                UPDATE_MEETING,
                json!({ "id": meeting, "m": corrected }),
                Some(&server.editor),
            )
            .await;
        assert_eq!(
            updated["updateMeeting"]["meeting"],
            json!({ "id": meeting, "title": TITLE, "heldAt": "2021-01-15T08:00:00",
                    "location": "Hội trường Thành ủy", "agenda": ["Tổng kết năm 2020"] })
        );
        // Moving the meeting after the directive given at it is refused.
        let mut later = conference(&can_tho);
        later["heldAt"] = json!("2021-01-20");
        let refused = server
            .graphql(
                UPDATE_MEETING,
                json!({ "id": meeting, "m": later }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(error_code(&refused), "BAD_USER_INPUT", "{refused:#}");
        let kept = server
            .data(
                "query($id: ID!) { meeting(id: $id) { heldAt location } }",
                json!({ "id": meeting }),
                None,
            )
            .await;
        assert_eq!(
            kept["meeting"],
            json!({ "heldAt": "2021-01-15T08:00:00", "location": "Hội trường Thành ủy" })
        );

        let mut revised = directing_speech(&can_tho, &meeting);
        revised["summary"] = json!("Nâng cao hiệu quả công tác dân vận và thực hiện QCDC ở cơ sở");
        revised["documentNumber"] = json!("12-TB/TU");
        let updated = server
            .data(
                UPDATE_DIRECTIVE,
                json!({ "id": directive, "d": revised }),
                Some(&server.editor),
            )
            .await;
        assert_eq!(
            updated["updateDirective"]["directive"],
            json!({ "id": directive,
                    "summary": "Nâng cao hiệu quả công tác dân vận và thực hiện QCDC ở cơ sở",
                    "documentNumber": { "raw": "12-TB/TU" } })
        );
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn meeting_and_directive_writes_need_an_editor_token() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let meeting = record_conference(&server, &can_tho).await;
        let attempts = [
            (RECORD_MEETING, json!({ "m": conference(&can_tho) })),
            (
                UPDATE_MEETING,
                json!({ "id": meeting, "m": conference(&can_tho) }),
            ),
            (
                ISSUE_DIRECTIVE,
                json!({ "d": directing_speech(&can_tho, &meeting) }),
            ),
            (
                UPDATE_DIRECTIVE,
                json!({ "id": meeting, "d": directing_speech(&can_tho, &meeting) }),
            ),
        ];
        for (mutation, variables) in &attempts {
            let anonymous = server
                .graphql(mutation, variables.clone(), None)
                .await
                .json();
            assert_eq!(
                error_code(&anonymous),
                "UNAUTHENTICATED",
                "{mutation}: {anonymous:#}"
            );
            let reader = server
                .graphql(mutation, variables.clone(), Some(&server.reader))
                .await
                .json();
            assert_eq!(error_code(&reader), "FORBIDDEN", "{mutation}: {reader:#}");
        }
        let data = server
            .data(
                "{ meetings { edges { node { id } } } directives { edges { node { id } } } }",
                json!({}),
                None,
            )
            .await;
        assert_eq!(
            data["meetings"]["edges"],
            json!([{ "node": { "id": meeting } }])
        );
        assert_eq!(data["directives"]["edges"], json!([]));
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn invalid_meeting_input_is_bad_user_input_and_nothing_is_written() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let with = |key: &str, value: Value| {
            let mut fields = conference(&can_tho);
            fields[key] = value;
            json!({ "m": fields })
        };
        let cases = [
            with("title", json!("")),
            with("title", json!("  \t ")),
            with("kind", json!("PICNIC")),
            with("organizer", json!(can_tho.hieu)),
            with("agenda", json!(["Tổng kết", ""])),
            with("chairs", json!([{ "person": can_tho.chu_tich_ubnd }])),
            // Days and times that do not exist.
            with("heldAt", json!("2021-02-30")),
            with("heldAt", json!("2021-01-15T25:00")),
        ];
        for variables in &cases {
            let body = server
                .graphql(RECORD_MEETING, variables.clone(), Some(&server.editor))
                .await
                .json();
            assert_eq!(error_code(&body), "BAD_USER_INPUT", "{variables}: {body:#}");
        }
        let data = server
            .data("{ meetings { edges { node { id } } } }", json!({}), None)
            .await;
        assert_eq!(data["meetings"]["edges"], json!([]), "nothing was written");
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn meetings_page_by_date_with_first_and_after_and_filters() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let conference_id = record_conference(&server, &can_tho).await;
        let mut ids = vec![conference_id.clone()];
        for (title, held_at) in [
            (
                "Phiên họp thường kỳ tháng 2 của UBND thành phố",
                "2021-02-25",
            ),
            ("Phiên họp thường kỳ tháng 3 của UBND thành phố", "2021-03"),
            (
                "Phiên họp thường kỳ tháng 12 năm 2020 của UBND thành phố",
                "2020-12-28",
            ),
        ] {
            let id = create(
                &server,
                RECORD_MEETING,
                json!({ "m": {
                    "title": title, "kind": "MEETING", "organizer": can_tho.ubnd, "heldAt": held_at,
                    "chairs": [{ "person": can_tho.truong, "capacities": [can_tho.chu_tich_ubnd] }],
                } }),
                &["recordMeeting", "meeting", "id"],
            )
            .await;
            ids.push(id);
        }
        // In date order: December 2020, the conference, February, March.
        let expected = vec![
            ids[3].clone(),
            ids[0].clone(),
            ids[1].clone(),
            ids[2].clone(),
        ];
        let page = "query($after: String) {
            meetings(first: 3, after: $after) {
                edges { node { id } } pageInfo { hasNextPage endCursor } } }";
        let first = server.data(page, json!({ "after": null }), None).await;
        let second = server
            .data(
                page,
                json!({ "after": first["meetings"]["pageInfo"]["endCursor"] }),
                None,
            )
            .await;
        assert_eq!(first["meetings"]["pageInfo"]["hasNextPage"], true);
        assert_eq!(second["meetings"]["pageInfo"]["hasNextPage"], false);
        let seen: Vec<String> = [&first, &second]
            .iter()
            .flat_map(|d| d["meetings"]["edges"].as_array().unwrap().clone())
            .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(seen, expected);

        let filters = server
            .data(
                "query($ubnd: ID!) {
                    byOrganizer: meetings(organizer: $ubnd) { edges { node { id } } }
                    byTitle: meetings(title: \"dan van\") { edges { node { id } } }
                    january: meetings(from: \"2021-01-01\", to: \"2021-01-31\") { edges { node { id } } }
                    midMarch: meetings(from: \"2021-03-15\", to: \"2021-03-15\") { edges { node { id } } }
                }",
                json!({ "ubnd": can_tho.ubnd }),
                None,
            )
            .await;
        let ids_of = |key: &str| -> Vec<String> {
            filters[key]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(
            ids_of("byOrganizer"),
            vec![ids[3].clone(), ids[1].clone(), ids[2].clone()]
        );
        assert_eq!(ids_of("byTitle"), vec![conference_id.clone()]);
        assert_eq!(ids_of("january"), vec![conference_id.clone()]);
        // A meeting dated only "2021-03" may have been held on the 15th.
        assert_eq!(ids_of("midMarch"), vec![ids[2].clone()]);

        let chaired = server
            .data(
                "query($id: ID!) { person(id: $id) { meetingsChaired { id } } }",
                json!({ "id": can_tho.truong }),
                None,
            )
            .await;
        assert_eq!(
            chaired["person"]["meetingsChaired"]
                .as_array()
                .unwrap()
                .len(),
            4
        );
        server.stop();
        test_db.finish().await;
    }
}
