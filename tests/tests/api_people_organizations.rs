//! People, organizations, posts and holdings through the GraphQL API over HTTP, on every
//! engine: the founding example (Cần Thơ, 15-1-2021) built through mutations, and the questions
//! a records clerk asks of it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use gazette_gateway::schema::ids::global_id;
use gazette_tests::{TestDatabase, TestServer};
use serde_json::{Value, json};

const CREATE_ORGANIZATION: &str = "mutation($o: OrganizationFields!) {
    createOrganization(input: {organization: $o}) { organization { id name } } }";
const UPDATE_ORGANIZATION: &str = "mutation($id: ID!, $o: OrganizationFields!) {
    updateOrganization(input: {id: $id, organization: $o}) { organization { id name abbreviation end } } }";
const CREATE_POST: &str = "mutation($p: PostFields!) {
    createPost(input: {post: $p}) { post { id title seats } } }";
const UPDATE_POST: &str = "mutation($id: ID!, $p: PostFields!) {
    updatePost(input: {id: $id, post: $p}) { post { id title seats } } }";
const CREATE_PERSON: &str = "mutation($name: String!) {
    createPerson(input: {person: {name: $name}}) { person { id name } } }";
const APPOINT: &str = "mutation($person: ID!, $post: ID!, $h: HoldingFields!) {
    appoint(input: {person: $person, post: $post, holding: $h}) { holding { id start end kind term } } }";
const END_HOLDING: &str = "mutation($id: ID!, $end: PartialDate!, $reason: EndReasonInput) {
    endHolding(input: {id: $id, end: $end, reason: $reason}) {
        holding { id end endReason { kind text } } } }";
const UPDATE_HOLDING: &str = "mutation($id: ID!, $h: HoldingFields!) {
    updateHolding(input: {id: $id, holding: $h}) { holding { id start end kind term document } } }";

/// The records of the founding example, by global id.
struct CanTho {
    thanh_uy: String,
    ban_thuong_vu: String,
    ban_dan_van: String,
    hdnd: String,
    ubnd: String,
    pho_bi_thu_thuong_truc: String,
    pho_bi_thu: String,
    chu_tich_hdnd: String,
    chu_tich_ubnd: String,
    truong_ban_dan_van: String,
    hieu: String,
    truong: String,
    nghi: String,
    truong_chu_tich_ubnd: String,
}

async fn create_organization(server: &TestServer, fields: Value) -> String {
    let data = server
        .data(
            CREATE_ORGANIZATION,
            json!({ "o": fields }),
            Some(&server.editor),
        )
        .await;
    data["createOrganization"]["organization"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn create_post(server: &TestServer, organization: &str, title: &str, seats: Value) -> String {
    let data = server
        .data(
            CREATE_POST,
            json!({ "p": { "organization": organization, "title": title, "seats": seats } }),
            Some(&server.editor),
        )
        .await;
    data["createPost"]["post"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn create_person(server: &TestServer, name: &str) -> String {
    let data = server
        .data(CREATE_PERSON, json!({ "name": name }), Some(&server.editor))
        .await;
    data["createPerson"]["person"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn appoint(server: &TestServer, person: &str, post: &str, holding: Value) -> String {
    let data = server
        .data(
            APPOINT,
            json!({ "person": person, "post": post, "h": holding }),
            Some(&server.editor),
        )
        .await;
    data["appoint"]["holding"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Builds the founding example through the API: the city's Party committee, its standing
/// board and mass-mobilization board, the People's Council and Committee, their posts, the
/// three officials who chaired the 2021-01-15 conference and what they held.
async fn build_can_tho(server: &TestServer) -> CanTho {
    let thanh_uy = create_organization(
        server,
        json!({
            "name": "Thành ủy Cần Thơ",
            "abbreviation": "TU Cần Thơ",
            "classification": "PARTY_COMMITTEE",
            "level": "PROVINCE",
            "identifiers": [{ "scheme": "gazette-test", "identifier": "thanh-uy-can-tho" }],
        }),
    )
    .await;
    let ban_thuong_vu = create_organization(
        server,
        json!({
            "name": "Ban Thường vụ Thành ủy Cần Thơ",
            "abbreviation": "BTV Thành ủy",
            "classification": "STANDING_BOARD",
            "level": "PROVINCE",
            "parent": thanh_uy,
        }),
    )
    .await;
    let ban_dan_van = create_organization(
        server,
        json!({
            "name": "Ban Dân vận Thành ủy Cần Thơ",
            "classification": "PARTY_BOARD",
            "level": "PROVINCE",
            "parent": thanh_uy,
        }),
    )
    .await;
    let hdnd = create_organization(
        server,
        json!({
            "name": "Hội đồng nhân dân thành phố Cần Thơ",
            "abbreviation": "HĐND thành phố Cần Thơ",
            "classification": "PEOPLES_COUNCIL",
            "level": "PROVINCE",
        }),
    )
    .await;
    let ubnd = create_organization(
        server,
        json!({
            "name": "Ủy ban nhân dân thành phố Cần Thơ",
            "abbreviation": "UBND thành phố Cần Thơ",
            "classification": "PEOPLES_COMMITTEE",
            "level": "PROVINCE",
        }),
    )
    .await;
    let pho_bi_thu_thuong_truc =
        create_post(server, &thanh_uy, "Phó Bí thư Thường trực", json!(1)).await;
    let pho_bi_thu = create_post(server, &thanh_uy, "Phó Bí thư", Value::Null).await;
    let chu_tich_hdnd = create_post(server, &hdnd, "Chủ tịch", json!(1)).await;
    let chu_tich_ubnd = create_post(server, &ubnd, "Chủ tịch", json!(1)).await;
    let truong_ban_dan_van = create_post(server, &ban_dan_van, "Trưởng ban", json!(1)).await;
    let hieu = create_person(server, "Phạm Văn Hiểu").await;
    let truong = create_person(server, "Trần Việt Trường").await;
    let nghi = create_person(server, "Trần Thị Vĩnh Nghi").await;
    let party_term = json!({ "start": "2020-10-14", "kind": "ELECTED", "term": "2020-2025" });
    appoint(server, &hieu, &pho_bi_thu_thuong_truc, party_term.clone()).await;
    appoint(
        server,
        &hieu,
        &chu_tich_hdnd,
        json!({ "start": "2016-06", "kind": "ELECTED", "term": "2016-2021" }),
    )
    .await;
    appoint(server, &truong, &pho_bi_thu, party_term).await;
    let truong_chu_tich_ubnd = appoint(
        server,
        &truong,
        &chu_tich_ubnd,
        json!({ "start": "2019-12", "kind": "ELECTED", "term": "2016-2021" }),
    )
    .await;
    appoint(
        server,
        &nghi,
        &truong_ban_dan_van,
        json!({ "start": "2016", "kind": "APPOINTED" }),
    )
    .await;
    CanTho {
        thanh_uy,
        ban_thuong_vu,
        ban_dan_van,
        hdnd,
        ubnd,
        pho_bi_thu_thuong_truc,
        pho_bi_thu,
        chu_tich_hdnd,
        chu_tich_ubnd,
        truong_ban_dan_van,
        hieu,
        truong,
        nghi,
        truong_chu_tich_ubnd,
    }
}

fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error, got {body:#}"))
}

fn error_message(body: &Value) -> &str {
    body["errors"][0]["message"].as_str().unwrap_or_default()
}

fn names(list: &Value, path: impl Fn(&Value) -> &Value) -> Vec<String> {
    let mut names: Vec<String> = list
        .as_array()
        .unwrap_or_else(|| panic!("expected a list, got {list:#}"))
        .iter()
        .map(|item| path(item).as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn who_held_a_post_on_a_day_is_answered_from_the_holdings() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let query = "query($post: ID!, $on: Date) {
            post(id: $post) {
                title seats organization { name abbreviation }
                holders(on: $on) { person { name } start end kind term activeOn(date: \"2021-01-15\") }
            } }";
        let on_the_day = server
            .data(
                query,
                json!({ "post": can_tho.chu_tich_ubnd, "on": "2021-01-15" }),
                None,
            )
            .await;
        let post = &on_the_day["post"];
        assert_eq!(post["title"], "Chủ tịch");
        assert_eq!(post["seats"], 1);
        assert_eq!(
            post["organization"]["abbreviation"],
            "UBND thành phố Cần Thơ"
        );
        assert_eq!(
            post["holders"],
            json!([{ "person": { "name": "Trần Việt Trường" }, "start": "2019-12", "end": null,
                     "kind": "ELECTED", "term": "2016-2021", "activeOn": true }]),
            "{on_the_day:#}"
        );

        // Before the holding began nobody is recorded in the post.
        let before = server
            .data(
                query,
                json!({ "post": can_tho.chu_tich_ubnd, "on": "2019-06-01" }),
                None,
            )
            .await;
        assert_eq!(before["post"]["holders"], json!([]));

        // Phạm Văn Hiểu held two posts that day, each with its own holders.
        for (post, holder) in [
            (&can_tho.chu_tich_hdnd, "Phạm Văn Hiểu"),
            (&can_tho.pho_bi_thu_thuong_truc, "Phạm Văn Hiểu"),
            (&can_tho.truong_ban_dan_van, "Trần Thị Vĩnh Nghi"),
        ] {
            let data = server
                .data(query, json!({ "post": post, "on": "2021-01-15" }), None)
                .await;
            assert_eq!(
                data["post"]["holders"][0]["person"]["name"], holder,
                "{data:#}"
            );
            assert_eq!(data["post"]["holders"].as_array().unwrap().len(), 1);
        }

        // A post with unlimited seats says so with a null.
        let deputies = server
            .data(query, json!({ "post": can_tho.pho_bi_thu }), None)
            .await;
        assert_eq!(deputies["post"]["seats"], Value::Null);
        assert_eq!(
            deputies["post"]["holders"][0]["person"]["name"],
            "Trần Việt Trường"
        );
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn every_post_a_person_held_is_listed_with_concurrent_posts_apart() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let query = "query($person: ID!, $on: Date) {
            person(id: $person) {
                name
                positions(on: $on) { post { title organization { name } } start term }
            } }";
        let on_the_day = server
            .data(
                query,
                json!({ "person": can_tho.hieu, "on": "2021-01-15" }),
                None,
            )
            .await;
        assert_eq!(
            names(
                &on_the_day["person"]["positions"],
                |h| &h["post"]["organization"]["name"]
            ),
            vec!["Hội đồng nhân dân thành phố Cần Thơ", "Thành ủy Cần Thơ"],
            "{on_the_day:#}"
        );
        assert_eq!(
            names(&on_the_day["person"]["positions"], |h| &h["post"]["title"]),
            vec!["Chủ tịch", "Phó Bí thư Thường trực"]
        );

        // In 2018 he held only the council chair: the Party post came with the 2020 congress.
        let earlier = server
            .data(
                query,
                json!({ "person": can_tho.hieu, "on": "2018-03-01" }),
                None,
            )
            .await;
        assert_eq!(
            names(&earlier["person"]["positions"], |h| &h["post"]["title"]),
            vec!["Chủ tịch"]
        );

        // Without a day, every holding.
        let all = server
            .data(query, json!({ "person": can_tho.truong }), None)
            .await;
        assert_eq!(
            names(&all["person"]["positions"], |h| &h["post"]["title"]),
            vec!["Chủ tịch", "Phó Bí thư"]
        );
        let nghi = server
            .data(
                query,
                json!({ "person": can_tho.nghi, "on": "2021-01-15" }),
                None,
            )
            .await;
        assert_eq!(
            nghi["person"]["positions"],
            json!([{ "post": { "title": "Trưởng ban", "organization": { "name": "Ban Dân vận Thành ủy Cần Thơ" } },
                     "start": "2016", "term": null }])
        );
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn the_organization_tree_links_parents_children_and_posts() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let data = server
            .data(
                "query($id: ID!, $board: ID!) {
                    organization(id: $id) {
                        name classification level parent { name }
                        children { name parent { name } }
                        posts { title holders(on: \"2021-01-15\") { person { name } } }
                        identifiers { scheme identifier }
                    }
                    board: organization(id: $board) { parent { id name } posts { title } }
                }",
                json!({ "id": can_tho.thanh_uy, "board": can_tho.ban_dan_van }),
                None,
            )
            .await;
        let thanh_uy = &data["organization"];
        assert_eq!(thanh_uy["classification"], "PARTY_COMMITTEE");
        assert_eq!(thanh_uy["level"], "PROVINCE");
        assert_eq!(thanh_uy["parent"], Value::Null);
        assert_eq!(
            thanh_uy["children"],
            json!([
                { "name": "Ban Dân vận Thành ủy Cần Thơ", "parent": { "name": "Thành ủy Cần Thơ" } },
                { "name": "Ban Thường vụ Thành ủy Cần Thơ", "parent": { "name": "Thành ủy Cần Thơ" } },
            ])
        );
        assert_eq!(
            thanh_uy["posts"],
            json!([
                { "title": "Phó Bí thư", "holders": [{ "person": { "name": "Trần Việt Trường" } }] },
                { "title": "Phó Bí thư Thường trực", "holders": [{ "person": { "name": "Phạm Văn Hiểu" } }] },
            ])
        );
        assert_eq!(
            thanh_uy["identifiers"],
            json!([{ "scheme": "gazette-test", "identifier": "thanh-uy-can-tho" }])
        );
        assert_eq!(data["board"]["parent"]["id"], can_tho.thanh_uy.as_str());
        assert_eq!(data["board"]["posts"], json!([{ "title": "Trưởng ban" }]));
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn a_second_chairman_of_the_peoples_committee_overlapping_the_first_is_refused_by_the_seat_rule()
 {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let rival = create_person(&server, "Lê Quang Mạnh").await;
        let refused = server
            .graphql(
                APPOINT,
                json!({ "person": rival, "post": can_tho.chu_tich_ubnd,
                        "h": { "start": "2021-01-01", "kind": "ELECTED" } }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(error_code(&refused), "BAD_USER_INPUT", "{refused:#}");
        assert!(
            error_message(&refused).contains("post \"Chủ tịch\" has 1 seat"),
            "the message names the seat rule: {refused:#}"
        );
        let holders = "query($post: ID!) { post(id: $post) { holders { person { name } } } }";
        let after_refusal = server
            .data(holders, json!({ "post": can_tho.chu_tich_ubnd }), None)
            .await;
        assert_eq!(
            after_refusal["post"]["holders"],
            json!([{ "person": { "name": "Trần Việt Trường" } }]),
            "nothing was written"
        );

        // Once the first holding ends, a successor from the next day takes the seat.
        let ended = server
            .data(
                END_HOLDING,
                json!({ "id": can_tho.truong_chu_tich_ubnd, "end": "2021-06-30",
                        "reason": { "kind": "TRANSFERRED" } }),
                Some(&server.editor),
            )
            .await;
        assert_eq!(
            ended["endHolding"]["holding"],
            json!({ "id": can_tho.truong_chu_tich_ubnd, "end": "2021-06-30",
                    "endReason": { "kind": "TRANSFERRED", "text": null } })
        );
        appoint(
            &server,
            &rival,
            &can_tho.chu_tich_ubnd,
            json!({ "start": "2021-07-01", "kind": "ELECTED", "term": "2021-2026" }),
        )
        .await;
        let on = "query($post: ID!, $on: Date) { post(id: $post) { holders(on: $on) { person { name } } } }";
        for (day, holder) in [
            ("2021-01-15", "Trần Việt Trường"),
            ("2021-08-01", "Lê Quang Mạnh"),
        ] {
            let data = server
                .data(
                    on,
                    json!({ "post": can_tho.chu_tich_ubnd, "on": day }),
                    None,
                )
                .await;
            assert_eq!(
                data["post"]["holders"],
                json!([{ "person": { "name": holder } }]),
                "{day}"
            );
        }

        // Moving the end later again would overlap the successor: refused the same way.
        let overlap = server
            .graphql(
                UPDATE_HOLDING,
                json!({ "id": can_tho.truong_chu_tich_ubnd,
                        "h": { "start": "2019-12", "end": "2021-12-31", "kind": "ELECTED" } }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(error_code(&overlap), "BAD_USER_INPUT", "{overlap:#}");
        assert!(
            error_message(&overlap).contains("has 1 seat"),
            "{overlap:#}"
        );
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn holding_the_same_post_twice_at_once_or_after_death_is_refused() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let twice = server
            .graphql(
                APPOINT,
                json!({ "person": can_tho.truong, "post": can_tho.pho_bi_thu,
                        "h": { "start": "2021-01-01", "kind": "APPOINTED" } }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(error_code(&twice), "BAD_USER_INPUT", "{twice:#}");
        assert!(
            error_message(&twice).contains("already holds post"),
            "{twice:#}"
        );

        let dead = server
            .data(
                "mutation { createPerson(input: {person: {name: \"Nguyễn Văn A\", deathDate: \"2019\"}}) { person { id } } }",
                json!({}),
                Some(&server.editor),
            )
            .await["createPerson"]["person"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let posthumous = server
            .graphql(
                APPOINT,
                json!({ "person": dead, "post": can_tho.pho_bi_thu,
                        "h": { "start": "2020-10", "kind": "ELECTED" } }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(error_code(&posthumous), "BAD_USER_INPUT", "{posthumous:#}");
        assert!(
            error_message(&posthumous).contains("died"),
            "{posthumous:#}"
        );
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn holdings_can_be_corrected_and_ended_with_a_reason() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let updated = server
            .data(
                UPDATE_HOLDING,
                json!({ "id": can_tho.truong_chu_tich_ubnd,
                        "h": { "start": "2019-12-10", "kind": "ELECTED", "term": "2016-2021",
                               "document": "Nghị quyết số 25/NQ-HĐND" } }),
                Some(&server.editor),
            )
            .await;
        assert_eq!(
            updated["updateHolding"]["holding"],
            json!({ "id": can_tho.truong_chu_tich_ubnd, "start": "2019-12-10", "end": null,
                    "kind": "ELECTED", "term": "2016-2021", "document": "Nghị quyết số 25/NQ-HĐND" })
        );
        let other_reason = server
            .data(
                END_HOLDING,
                json!({ "id": can_tho.truong_chu_tich_ubnd, "end": "2021-06",
                        "reason": { "kind": "OTHER", "text": "được điều động công tác khác" } }),
                Some(&server.editor),
            )
            .await;
        assert_eq!(
            other_reason["endHolding"]["holding"]["endReason"],
            json!({ "kind": "OTHER", "text": "được điều động công tác khác" })
        );
        let read = server
            .data(
                "query($id: ID!) { holding(id: $id) { person { name } post { title } end
                    endReason { kind text } activeOn(date: \"2021-07-01\") } }",
                json!({ "id": can_tho.truong_chu_tich_ubnd }),
                None,
            )
            .await;
        assert_eq!(
            read["holding"],
            json!({ "person": { "name": "Trần Việt Trường" }, "post": { "title": "Chủ tịch" },
                    "end": "2021-06", "endReason": { "kind": "OTHER", "text": "được điều động công tác khác" },
                    "activeOn": false })
        );
        // Ended holdings drop out of "what does he hold" on a later day.
        let positions = server
            .data(
                "query($id: ID!) { person(id: $id) { positions(on: \"2021-08-01\") { post { title } } } }",
                json!({ "id": can_tho.truong }),
                None,
            )
            .await;
        assert_eq!(
            positions["person"]["positions"],
            json!([{ "post": { "title": "Phó Bí thư" } }])
        );

        // An end before the start, or a reason kind that carries no text given one, is refused.
        for (variables, field) in [
            (
                json!({ "id": can_tho.truong_chu_tich_ubnd, "end": "2018" }),
                "end",
            ),
            (
                json!({ "id": can_tho.truong_chu_tich_ubnd, "end": "2021-06",
                        "reason": { "kind": "RETIRED", "text": "nghỉ hưu" } }),
                "reason.text",
            ),
            (
                json!({ "id": can_tho.truong_chu_tich_ubnd, "end": "2021-06",
                        "reason": { "kind": "OTHER" } }),
                "reason.text",
            ),
        ] {
            let body = server
                .graphql(END_HOLDING, variables.clone(), Some(&server.editor))
                .await
                .json();
            assert_eq!(error_code(&body), "BAD_USER_INPUT", "{variables}: {body:#}");
            if field != "end" {
                assert!(error_message(&body).starts_with(field), "{body:#}");
            }
        }
        let unknown = server
            .graphql(
                END_HOLDING,
                json!({ "id": can_tho.hdnd, "end": "2021" }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(
            error_code(&unknown),
            "BAD_USER_INPUT",
            "an organization id is not a holding id"
        );
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn writes_without_a_token_are_unauthenticated_and_with_a_reader_token_forbidden() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let organization =
            json!({ "name": "Sở Nội vụ thành phố Cần Thơ", "classification": "DEPARTMENT" });
        let post = json!({ "organization": can_tho.ubnd, "title": "Phó Chủ tịch", "seats": 3 });
        let holding = json!({ "start": "2021-01-01", "kind": "APPOINTED" });
        let attempts = [
            (CREATE_ORGANIZATION, json!({ "o": organization })),
            (
                UPDATE_ORGANIZATION,
                json!({ "id": can_tho.ubnd, "o": organization }),
            ),
            (CREATE_POST, json!({ "p": post })),
            (
                UPDATE_POST,
                json!({ "id": can_tho.chu_tich_ubnd, "p": post }),
            ),
            (CREATE_PERSON, json!({ "name": "Lê Quang Mạnh" })),
            (
                APPOINT,
                json!({ "person": can_tho.nghi, "post": can_tho.pho_bi_thu, "h": holding }),
            ),
            (
                UPDATE_HOLDING,
                json!({ "id": can_tho.truong_chu_tich_ubnd, "h": holding }),
            ),
            (
                END_HOLDING,
                json!({ "id": can_tho.truong_chu_tich_ubnd, "end": "2021-06-30" }),
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
        // Nothing was written.
        let data = server
            .data(
                "query($ubnd: ID!, $post: ID!, $id: ID!) {
                    organizations(first: 50) { edges { node { name } } }
                    organization(id: $ubnd) { name posts { title } }
                    post(id: $post) { title seats holders { person { name } end } }
                    holding(id: $id) { end }
                    people(first: 50) { edges { node { name } } }
                }",
                json!({ "ubnd": can_tho.ubnd, "post": can_tho.chu_tich_ubnd,
                        "id": can_tho.truong_chu_tich_ubnd }),
                None,
            )
            .await;
        assert_eq!(data["organizations"]["edges"].as_array().unwrap().len(), 5);
        assert_eq!(
            data["organization"],
            json!({ "name": "Ủy ban nhân dân thành phố Cần Thơ", "posts": [{ "title": "Chủ tịch" }] })
        );
        assert_eq!(
            data["post"],
            json!({ "title": "Chủ tịch", "seats": 1,
                    "holders": [{ "person": { "name": "Trần Việt Trường" }, "end": null }] })
        );
        assert_eq!(data["holding"]["end"], Value::Null);
        assert_eq!(data["people"]["edges"].as_array().unwrap().len(), 3);
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn invalid_input_is_bad_user_input_and_nothing_is_written() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let newcomer = create_person(&server, "Lê Quang Mạnh").await;
        let cases = [
            // An empty name, and one that is only spaces.
            (
                CREATE_ORGANIZATION,
                json!({ "o": { "name": "", "classification": "DEPARTMENT" } }),
            ),
            (
                CREATE_ORGANIZATION,
                json!({ "o": { "name": "   ", "classification": "DEPARTMENT" } }),
            ),
            (CREATE_PERSON, json!({ "name": "" })),
            // A classification that does not exist.
            (
                CREATE_ORGANIZATION,
                json!({ "o": { "name": "Sở Nội vụ", "classification": "SOVIET" } }),
            ),
            // An end before the start.
            (
                CREATE_ORGANIZATION,
                json!({ "o": { "name": "Sở Nội vụ", "classification": "DEPARTMENT",
                               "start": "2008", "end": "2004" } }),
            ),
            // A parent id that names a post.
            (
                CREATE_ORGANIZATION,
                json!({ "o": { "name": "Sở Nội vụ", "classification": "DEPARTMENT",
                               "parent": can_tho.chu_tich_ubnd } }),
            ),
            // Zero or negative seats.
            (
                CREATE_POST,
                json!({ "p": { "organization": can_tho.ubnd, "title": "Phó Chủ tịch", "seats": 0 } }),
            ),
            (
                CREATE_POST,
                json!({ "p": { "organization": can_tho.ubnd, "title": "Phó Chủ tịch", "seats": -2 } }),
            ),
            (
                CREATE_POST,
                json!({ "p": { "organization": can_tho.ubnd, "title": "", "seats": 3 } }),
            ),
            // A term whose years run backwards, and an end reason without an end.
            (
                APPOINT,
                json!({ "person": newcomer, "post": can_tho.pho_bi_thu,
                        "h": { "start": "2021-01", "kind": "APPOINTED", "term": "2025-2020" } }),
            ),
            (
                APPOINT,
                json!({ "person": newcomer, "post": can_tho.pho_bi_thu,
                        "h": { "start": "2021-01", "kind": "APPOINTED",
                               "endReason": { "kind": "RETIRED" } } }),
            ),
            // A holding outside the life of its organization.
            (
                UPDATE_ORGANIZATION,
                json!({ "id": can_tho.ban_dan_van,
                        "o": { "name": "Ban Dân vận Thành ủy Cần Thơ", "classification": "PARTY_BOARD",
                               "parent": can_tho.thanh_uy, "end": "2015" } }),
            ),
            // An organization cannot become its own grandchild.
            (
                UPDATE_ORGANIZATION,
                json!({ "id": can_tho.thanh_uy,
                        "o": { "name": "Thành ủy Cần Thơ", "classification": "PARTY_COMMITTEE",
                               "parent": can_tho.ban_thuong_vu } }),
            ),
            // A day that does not exist.
            (
                APPOINT,
                json!({ "person": newcomer, "post": can_tho.pho_bi_thu,
                        "h": { "start": "2021-02-30", "kind": "APPOINTED" } }),
            ),
        ];
        for (mutation, variables) in &cases {
            let body = server
                .graphql(mutation, variables.clone(), Some(&server.editor))
                .await
                .json();
            assert_eq!(
                error_code(&body),
                "BAD_USER_INPUT",
                "{mutation} with {variables}: {body:#}"
            );
            assert!(
                body["data"].is_null()
                    || body["data"]
                        .as_object()
                        .unwrap()
                        .values()
                        .all(Value::is_null),
                "{body:#}"
            );
        }
        let data = server
            .data(
                "query($post: ID!, $person: ID!, $ubnd: ID!, $board: ID!, $top: ID!) {
                    organizations(first: 50) { edges { node { name } } }
                    post(id: $post) { holders { person { name } } }
                    person(id: $person) { positions { id } }
                    organization(id: $ubnd) { posts { title } }
                    board: organization(id: $board) { end }
                    top: organization(id: $top) { parent { id } }
                    people(first: 50) { edges { node { name } } }
                }",
                json!({ "post": can_tho.pho_bi_thu, "person": newcomer, "ubnd": can_tho.ubnd,
                        "board": can_tho.ban_dan_van, "top": can_tho.thanh_uy }),
                None,
            )
            .await;
        assert_eq!(data["organizations"]["edges"].as_array().unwrap().len(), 5);
        assert_eq!(
            data["post"]["holders"],
            json!([{ "person": { "name": "Trần Việt Trường" } }])
        );
        assert_eq!(data["person"]["positions"], json!([]));
        assert_eq!(
            data["organization"]["posts"],
            json!([{ "title": "Chủ tịch" }])
        );
        assert_eq!(data["board"]["end"], Value::Null);
        assert_eq!(data["top"]["parent"], Value::Null);
        assert_eq!(data["people"]["edges"].as_array().unwrap().len(), 4);
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn organizations_page_with_first_and_after_and_filter() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let departments = [
            "Sở Y tế thành phố Cần Thơ",
            "Sở Nội vụ thành phố Cần Thơ",
            "Sở Tư pháp thành phố Cần Thơ",
            "Sở Xây dựng thành phố Cần Thơ",
            "Sở Tài chính thành phố Cần Thơ",
        ];
        for name in departments {
            create_organization(
                &server,
                json!({ "name": name, "classification": "DEPARTMENT", "level": "PROVINCE",
                        "parent": can_tho.ubnd }),
            )
            .await;
        }
        let page = "query($after: String) {
            organizations(classification: DEPARTMENT, first: 2, after: $after) {
                edges { cursor node { name } }
                pageInfo { hasNextPage endCursor }
            } }";
        let mut seen = Vec::new();
        let mut after = Value::Null;
        let mut pages = 0;
        loop {
            let data = server.data(page, json!({ "after": after }), None).await;
            let connection = &data["organizations"];
            let edges = connection["edges"].as_array().unwrap();
            assert!(edges.len() <= 2, "{data:#}");
            seen.extend(
                edges
                    .iter()
                    .map(|e| e["node"]["name"].as_str().unwrap().to_owned()),
            );
            pages += 1;
            if connection["pageInfo"]["hasNextPage"] == json!(false) {
                break;
            }
            after = connection["pageInfo"]["endCursor"].clone();
            assert!(pages < 10, "paging does not end");
        }
        assert_eq!(pages, 3);
        // Ordered by folded name: "so noi vu" < "so tai chinh" < "so tu phap" < ...
        assert_eq!(
            seen,
            vec![
                "Sở Nội vụ thành phố Cần Thơ",
                "Sở Tài chính thành phố Cần Thơ",
                "Sở Tư pháp thành phố Cần Thơ",
                "Sở Xây dựng thành phố Cần Thơ",
                "Sở Y tế thành phố Cần Thơ",
            ]
        );

        let filters = server
            .data(
                "query($ubnd: ID!) {
                    byName: organizations(name: \"so tai chinh\") { edges { node { name } } }
                    byToneless: organizations(name: \"uy ban nhan dan\") { edges { node { name } } }
                    roots: organizations(rootsOnly: true) { edges { node { name } } }
                    children: organizations(parent: $ubnd, first: 1) {
                        edges { node { name } } pageInfo { hasNextPage } }
                    parties: organizations(classification: PARTY_BOARD, level: PROVINCE) {
                        edges { node { name } } }
                    lastTwo: organizations(classification: DEPARTMENT, last: 2) {
                        edges { node { name } } }
                }",
                json!({ "ubnd": can_tho.ubnd }),
                None,
            )
            .await;
        let node_names = |key: &str| -> Vec<String> {
            filters[key]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(node_names("byName"), vec!["Sở Tài chính thành phố Cần Thơ"]);
        assert_eq!(
            node_names("byToneless"),
            vec!["Ủy ban nhân dân thành phố Cần Thơ"]
        );
        assert_eq!(
            node_names("roots"),
            vec![
                "Hội đồng nhân dân thành phố Cần Thơ",
                "Thành ủy Cần Thơ",
                "Ủy ban nhân dân thành phố Cần Thơ",
            ]
        );
        assert_eq!(node_names("children"), vec!["Sở Nội vụ thành phố Cần Thơ"]);
        assert_eq!(filters["children"]["pageInfo"]["hasNextPage"], true);
        assert_eq!(node_names("parties"), vec!["Ban Dân vận Thành ủy Cần Thơ"]);
        assert_eq!(
            node_names("lastTwo"),
            vec!["Sở Xây dựng thành phố Cần Thơ", "Sở Y tế thành phố Cần Thơ"]
        );

        let contradictory = server
            .graphql(
                "query($ubnd: ID!) { organizations(parent: $ubnd, rootsOnly: true) { edges { cursor } } }",
                json!({ "ubnd": can_tho.ubnd }),
                None,
            )
            .await
            .json();
        assert_eq!(
            error_code(&contradictory),
            "BAD_USER_INPUT",
            "{contradictory:#}"
        );
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn merged_and_renamed_organizations_keep_their_history() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let tuyen_giao = create_organization(
            &server,
            json!({ "name": "Ban Tuyên giáo Thành ủy Cần Thơ", "classification": "PARTY_BOARD",
                    "parent": can_tho.thanh_uy, "end": "2025-02" }),
        )
        .await;
        // Ban Dân vận ends with the merger; Nghi's holding (still open) does not outlive it.
        let ended = server
            .data(
                UPDATE_ORGANIZATION,
                json!({ "id": can_tho.ban_dan_van,
                        "o": { "name": "Ban Dân vận Thành ủy Cần Thơ", "abbreviation": "BDV",
                               "classification": "PARTY_BOARD", "parent": can_tho.thanh_uy,
                               "end": "2025-02" } }),
                Some(&server.editor),
            )
            .await;
        assert_eq!(
            ended["updateOrganization"]["organization"],
            json!({ "id": can_tho.ban_dan_van, "name": "Ban Dân vận Thành ủy Cần Thơ",
                    "abbreviation": "BDV", "end": "2025-02" })
        );
        let merged = create_organization(
            &server,
            json!({ "name": "Ban Tuyên giáo và Dân vận Thành ủy Cần Thơ", "classification": "PARTY_BOARD",
                    "parent": can_tho.thanh_uy, "start": "2025-02",
                    "predecessors": [
                        { "organization": tuyen_giao, "kind": "MERGER", "date": "2025-02" },
                        { "organization": can_tho.ban_dan_van, "kind": "MERGER", "date": "2025-02" },
                    ] }),
        )
        .await;
        let data = server
            .data(
                "query($merged: ID!, $old: ID!) {
                    merged: organization(id: $merged) {
                        start predecessors { organization { name } kind date } successors { kind } }
                    old: organization(id: $old) {
                        end activeOn(date: \"2025-06-01\")
                        successors { organization { id name } kind date }
                        posts { title holders(on: \"2021-01-15\") { person { name } } } }
                }",
                json!({ "merged": merged, "old": can_tho.ban_dan_van }),
                None,
            )
            .await;
        assert_eq!(
            data["merged"],
            json!({ "start": "2025-02", "successors": [], "predecessors": [
                { "organization": { "name": "Ban Tuyên giáo Thành ủy Cần Thơ" }, "kind": "MERGER", "date": "2025-02" },
                { "organization": { "name": "Ban Dân vận Thành ủy Cần Thơ" }, "kind": "MERGER", "date": "2025-02" },
            ] })
        );
        assert_eq!(
            data["old"],
            json!({ "end": "2025-02", "activeOn": false,
                    "successors": [{ "organization": { "id": merged, "name": "Ban Tuyên giáo và Dân vận Thành ủy Cần Thơ" },
                                     "kind": "MERGER", "date": "2025-02" }],
                    "posts": [{ "title": "Trưởng ban", "holders": [{ "person": { "name": "Trần Thị Vĩnh Nghi" } }] }] }),
            "records that pointed at the old board stay true"
        );

        // A renamed board answers with the name it bore on the day.
        let renamed = create_organization(
            &server,
            json!({ "name": "Ban Tuyên giáo và Dân vận Tỉnh ủy Bắc Giang", "classification": "PARTY_BOARD",
                    "otherNames": [{ "name": "Ban Dân vận Tỉnh ủy Bắc Giang", "note": "former name",
                                     "end": "2025-02-11" }] }),
        )
        .await;
        let names = server
            .data(
                "query($id: ID!) { organization(id: $id) {
                    then: nameOn(date: \"2021-01-15\") now: nameOn(date: \"2025-03-01\")
                    otherNames { name note start end } } }",
                json!({ "id": renamed }),
                None,
            )
            .await;
        assert_eq!(
            names["organization"],
            json!({ "then": "Ban Dân vận Tỉnh ủy Bắc Giang",
                    "now": "Ban Tuyên giáo và Dân vận Tỉnh ủy Bắc Giang",
                    "otherNames": [{ "name": "Ban Dân vận Tỉnh ủy Bắc Giang", "note": "former name",
                                     "start": null, "end": "2025-02-11" }] })
        );
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn posts_can_be_updated_but_not_below_their_holders() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let deputy = create_person(&server, "Nguyễn Thực Hiện").await;
        appoint(
            &server,
            &deputy,
            &can_tho.pho_bi_thu,
            json!({ "start": "2020-10-14", "kind": "ELECTED", "term": "2020-2025" }),
        )
        .await;
        let updated = server
            .data(
                UPDATE_POST,
                json!({ "id": can_tho.pho_bi_thu,
                        "p": { "organization": can_tho.thanh_uy, "title": "Phó Bí thư Thành ủy", "seats": 2 } }),
                Some(&server.editor),
            )
            .await;
        assert_eq!(
            updated["updatePost"]["post"],
            json!({ "id": can_tho.pho_bi_thu, "title": "Phó Bí thư Thành ủy", "seats": 2 })
        );
        // Two deputies hold it at once: one seat is too few.
        let shrunk = server
            .graphql(
                UPDATE_POST,
                json!({ "id": can_tho.pho_bi_thu,
                        "p": { "organization": can_tho.thanh_uy, "title": "Phó Bí thư Thành ủy", "seats": 1 } }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(error_code(&shrunk), "BAD_USER_INPUT", "{shrunk:#}");
        assert!(error_message(&shrunk).contains("has 1 seat"), "{shrunk:#}");
        let read = server
            .data(
                "query($id: ID!) { post(id: $id) { title seats holders(on: \"2021-01-15\") { person { name } } } }",
                json!({ "id": can_tho.pho_bi_thu }),
                None,
            )
            .await;
        assert_eq!(read["post"]["seats"], 2);
        assert_eq!(
            names(&read["post"]["holders"], |h| &h["person"]["name"]),
            vec!["Nguyễn Thực Hiện", "Trần Việt Trường"]
        );
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn an_unknown_id_reads_as_null_writes_as_not_found_and_a_mistyped_one_is_bad_input() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let nowhere = |kind: &str| global_id(kind, uuid::Uuid::now_v7()).0;
        let reads = server
            .data(
                "query($o: ID!, $p: ID!, $h: ID!) {
                    organization(id: $o) { name } post(id: $p) { title } holding(id: $h) { id } }",
                json!({ "o": nowhere("Organization"), "p": nowhere("Post"), "h": nowhere("Holding") }),
                None,
            )
            .await;
        assert_eq!(
            reads,
            json!({ "organization": null, "post": null, "holding": null })
        );
        let writes = [
            (
                UPDATE_POST,
                json!({ "id": nowhere("Post"),
                        "p": { "organization": can_tho.thanh_uy, "title": "Trưởng ban" } }),
            ),
            (
                UPDATE_ORGANIZATION,
                json!({ "id": nowhere("Organization"),
                        "o": { "name": "Sở Nội vụ", "classification": "DEPARTMENT" } }),
            ),
            (
                CREATE_POST,
                json!({ "p": { "organization": nowhere("Organization"), "title": "Giám đốc" } }),
            ),
            (
                APPOINT,
                json!({ "person": nowhere("Person"), "post": can_tho.pho_bi_thu,
                        "h": { "start": "2021", "kind": "ELECTED" } }),
            ),
            (
                END_HOLDING,
                json!({ "id": nowhere("Holding"), "end": "2021" }),
            ),
            (
                UPDATE_HOLDING,
                json!({ "id": nowhere("Holding"), "h": { "kind": "ELECTED" } }),
            ),
        ];
        for (mutation, variables) in &writes {
            let body = server
                .graphql(mutation, variables.clone(), Some(&server.editor))
                .await
                .json();
            assert_eq!(error_code(&body), "NOT_FOUND", "{mutation}: {body:#}");
        }
        let wrong_type = server
            .graphql(
                "query($id: ID!) { organization(id: $id) { name } }",
                json!({ "id": can_tho.chu_tich_ubnd }),
                None,
            )
            .await
            .json();
        assert_eq!(error_code(&wrong_type), "BAD_USER_INPUT", "{wrong_type:#}");
        assert!(
            error_message(&wrong_type).contains("names a Post"),
            "{wrong_type:#}"
        );
        let garbage = server
            .graphql("{ holding(id: \"not an id\") { id } }", json!({}), None)
            .await
            .json();
        assert_eq!(error_code(&garbage), "BAD_USER_INPUT", "{garbage:#}");
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn nested_relations_cost_statements_by_depth_not_by_rows() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let can_tho = build_can_tho(&server).await;
        let query = "{ organizations(first: 50) { edges { node {
            parent { name } children { name }
            posts { title organization { name }
                holders(on: \"2021-01-15\") { post { title } person { name
                    positions(on: \"2021-01-15\") { post { title organization { name } } } } } }
        } } } }";
        let statements = |server: &TestServer| server.db.statement_count();
        let before = statements(&server);
        server.data(query, json!({}), None).await;
        let small = statements(&server) - before;

        // Five more departments, each with a director and two deputies in office.
        const GIVEN: [&str; 5] = ["An", "Bình", "Cường", "Dũng", "Hà"];
        for (i, name) in [
            "Sở Nội vụ",
            "Sở Tài chính",
            "Sở Tư pháp",
            "Sở Xây dựng",
            "Sở Y tế",
        ]
        .into_iter()
        .enumerate()
        {
            let department = create_organization(
                &server,
                json!({ "name": name, "classification": "DEPARTMENT", "parent": can_tho.ubnd }),
            )
            .await;
            let director = create_post(&server, &department, "Giám đốc", json!(1)).await;
            let deputy = create_post(&server, &department, "Phó Giám đốc", json!(3)).await;
            for (post, who) in [
                (&director, format!("Nguyễn Văn {}", GIVEN[i])),
                (&deputy, format!("Lê Thị {}", GIVEN[i])),
                (&deputy, format!("Võ Minh {}", GIVEN[i])),
            ] {
                let person = create_person(&server, &who).await;
                appoint(
                    &server,
                    &person,
                    post,
                    json!({ "start": "2020", "kind": "APPOINTED" }),
                )
                .await;
            }
        }
        let before = statements(&server);
        let data = server.data(query, json!({}), None).await;
        let large = statements(&server) - before;
        assert_eq!(
            data["organizations"]["edges"].as_array().unwrap().len(),
            10,
            "{data:#}"
        );
        assert!(
            large <= small + 2,
            "three times the rows took {large} statements against {small}: a relation is not \
             batched"
        );
        server.stop();
        test_db.finish().await;
    }
}
