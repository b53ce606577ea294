//! Article ingestion end to end, on every engine: `ingestArticle` reads the founding article
//! into a draft, `apply: true` stores it in one transaction, and the registry then answers "who
//! held what on 2021-01-15" with the three officials and their five posts, each citing the
//! article. Applying into the demo world links the people and organizations already there;
//! an ambiguous match, an unresolved place or a second copy of the article writes nothing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use std::collections::BTreeSet;

use gazette_storage::{Actor, OrganizationFilter, PageRequest, PersonFilter};
use gazette_tests::{TestDatabase, TestServer};
use serde_json::{Value, json};

const ARTICLE: &str =
    include_str!("../../crates/ingest/tests/corpus/can-tho-2021-01-16-dan-van.txt");
const VINH_PHUC: &str =
    include_str!("../../crates/ingest/tests/corpus/vinh-phuc-2021-01-19-hoi-dong-tdkt.txt");

const INGEST: &str = r"
mutation Ingest($text: String!, $apply: Boolean!, $source: SourceHint) {
  ingestArticle(text: $text, apply: $apply, source: $source) {
    draft {
      title publisher publishedAt byline photoCredits
      people { key name titles { text post organization level } }
      meeting { date kind organizer chairs { person } }
      directives { verb kind tasks { text } }
      awards { form authority presenter }
      warnings { code }
      json
    }
    applied {
      source
      people { key id existing }
      organizations { key id existing }
      holdings meeting directives tasks awardDecisions citations notes writes
    }
  }
}";

const WHO_HELD: &str = r#"
query {
  people(on: "2021-01-15", first: 20) {
    edges { node {
      name
      positions(on: "2021-01-15") { post { title organization { name } } }
      sources { title byline }
    } }
  }
}"#;

async fn ingest(server: &TestServer, text: &str, apply: bool) -> Value {
    server
        .data(
            INGEST,
            json!({ "text": text, "apply": apply }),
            Some(&server.editor),
        )
        .await["ingestArticle"]
        .clone()
}

/// "Name: title of organization" for everyone holding a post on 2021-01-15.
fn who_held(data: &Value) -> BTreeSet<String> {
    data["people"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|edge| {
            let node = &edge["node"];
            let name = node["name"].as_str().unwrap().to_owned();
            node["positions"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |p| {
                    format!(
                        "{name}: {} of {}",
                        p["post"]["title"].as_str().unwrap(),
                        p["post"]["organization"]["name"].as_str().unwrap()
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn expected_posts() -> BTreeSet<String> {
    [
        "Phạm Văn Hiểu: Phó Bí thư Thường trực of Thành ủy Cần Thơ",
        "Phạm Văn Hiểu: Chủ tịch of Hội đồng nhân dân thành phố Cần Thơ",
        "Trần Việt Trường: Phó Bí thư of Thành ủy Cần Thơ",
        "Trần Việt Trường: Chủ tịch of Ủy ban nhân dân thành phố Cần Thơ",
        "Trần Thị Vĩnh Nghi: Trưởng ban of Ban Dân vận Thành ủy Cần Thơ",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect()
}

#[tokio::test]
async fn the_founding_article_is_drafted_then_applied_and_answers_who_held_what() {
    for database in TestDatabase::every_engine().await {
        let server = TestServer::start(database.db.clone()).await;

        // A draft alone writes nothing.
        let draft = ingest(&server, ARTICLE, false).await;
        assert!(draft["applied"].is_null());
        let d = &draft["draft"];
        assert_eq!(d["publisher"], "Báo Cần Thơ");
        assert_eq!(d["publishedAt"], "2021-01-16T05:59:00");
        assert_eq!(d["byline"], "THANH THY");
        assert_eq!(d["photoCredits"], json!(["NGỌC QUYÊN"]));
        assert_eq!(d["people"].as_array().unwrap().len(), 3);
        assert_eq!(d["meeting"]["date"], "2021-01-15");
        assert_eq!(d["meeting"]["chairs"].as_array().unwrap().len(), 3);
        assert_eq!(d["directives"][0]["tasks"].as_array().unwrap().len(), 9);
        assert_eq!(d["awards"][0]["form"], "Bằng khen");
        assert_eq!(d["awards"][0]["presenter"], "tran-viet-truong");
        assert!(d["json"]["people"][0]["span"]["start"].is_u64());
        let before = server.data(WHO_HELD, json!({}), None).await;
        assert!(who_held(&before).is_empty());

        // Applied: one transaction, every record citing the article.
        let applied = ingest(&server, ARTICLE, true).await["applied"].clone();
        assert_eq!(applied["people"].as_array().unwrap().len(), 3);
        assert!(
            applied["people"]
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p["existing"] == false)
        );
        assert_eq!(applied["holdings"].as_array().unwrap().len(), 5);
        assert!(applied["meeting"].is_string());
        assert_eq!(applied["tasks"].as_array().unwrap().len(), 9);
        assert_eq!(applied["awardDecisions"].as_array().unwrap().len(), 1);
        assert!(applied["citations"].as_u64().unwrap() >= 30);

        let after = server.data(WHO_HELD, json!({}), None).await;
        assert_eq!(who_held(&after), expected_posts(), "{after:#}");
        for edge in after["people"]["edges"].as_array().unwrap() {
            assert_eq!(
                edge["node"]["sources"][0]["byline"], "THANH THY",
                "{} cites the article",
                edge["node"]["name"]
            );
        }

        // The meeting of 2021-01-15, organized by the standing board, chaired by the three.
        let meeting = server
            .data(
                r"query($id: ID!) { node(id: $id) { ... on Meeting {
                    title heldAt organizer { name } chairs { person { name } }
                } } }",
                json!({ "id": applied["meeting"] }),
                None,
            )
            .await;
        let meeting = &meeting["node"];
        assert_eq!(meeting["heldAt"], "2021-01-15");
        assert_eq!(
            meeting["organizer"]["name"],
            "Ban Thường vụ Thành ủy Cần Thơ"
        );
        assert_eq!(meeting["chairs"].as_array().unwrap().len(), 3);

        // The same article again is refused, and nothing more is written.
        let again = server
            .graphql(
                INGEST,
                json!({ "text": ARTICLE, "apply": true }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(
            again["errors"][0]["extensions"]["code"], "CONFLICT",
            "{again:#}"
        );
        let people = database
            .db
            .people(&PersonFilter::default(), &PageRequest::first(50))
            .await
            .unwrap();
        assert_eq!(people.edges.len(), 3);

        server.stop();
        database.finish().await;
    }
}

#[tokio::test]
async fn applying_into_the_demo_world_links_what_is_already_there() {
    for database in TestDatabase::every_engine().await {
        gazette_gateway::demo::load_into_fresh(&database.db, &Actor::new("system:demo").unwrap())
            .await
            .unwrap();
        let server = TestServer::start(database.db.clone()).await;
        // Another copy of the article (Windows line endings): a different text, the same facts.
        let copy = ARTICLE.replace('\n', "\r\n");
        let applied = ingest(&server, &copy, true).await["applied"].clone();
        for person in applied["people"].as_array().unwrap() {
            assert_eq!(
                person["existing"], true,
                "{person} is linked, not duplicated"
            );
        }
        for organization in applied["organizations"].as_array().unwrap() {
            assert_eq!(organization["existing"], true, "{organization} is linked");
        }
        assert!(
            applied["holdings"].as_array().unwrap().is_empty(),
            "the demo's holdings are reused"
        );
        let people = database
            .db
            .people(&PersonFilter::default(), &PageRequest::first(50))
            .await
            .unwrap();
        assert_eq!(people.edges.len(), 3);
        let organizations = database
            .db
            .organizations(&OrganizationFilter::default(), &PageRequest::first(50))
            .await
            .unwrap();
        assert_eq!(organizations.edges.len(), 8);
        let after = server.data(WHO_HELD, json!({}), None).await;
        assert_eq!(who_held(&after), expected_posts());
        server.stop();
        database.finish().await;
    }
}

#[tokio::test]
async fn a_draft_that_cannot_be_applied_safely_writes_nothing() {
    for database in TestDatabase::every_engine().await {
        let server = TestServer::start(database.db.clone()).await;

        // The province is never named: refused, with the reason.
        let refused = server
            .graphql(
                INGEST,
                json!({ "text": VINH_PHUC, "apply": true }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(refused["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        assert!(
            refused["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("does not name the tỉnh"),
            "{refused:#}"
        );
        // With the publisher's address, the place is known and the draft applies.
        let applied = server
            .data(
                INGEST,
                json!({
                    "text": VINH_PHUC,
                    "apply": true,
                    "source": { "url": "http://vinhphuctv.vn/Qu%E1%BA%A3n-tr%E1%BB%8B/Tin-t%E1%BB%A9c-chung/ID/301157/" }
                }),
                Some(&server.editor),
            )
            .await;
        let organizations: Vec<String> = database
            .db
            .organizations(&OrganizationFilter::default(), &PageRequest::first(50))
            .await
            .unwrap()
            .edges
            .into_iter()
            .map(|e| e.node.name.to_string())
            .collect();
        assert!(
            organizations.contains(&"Ủy ban nhân dân tỉnh Vĩnh Phúc".to_owned()),
            "{organizations:?} {applied:#}"
        );

        // Two stored people of the same name holding a post there: not guessed.
        let twin = r#"mutation($name: String!) { createPerson(input: { person: { name: $name } }) { person { id } } }"#;
        server
            .data(
                twin,
                json!({ "name": "Lê Duy Thành" }),
                Some(&server.editor),
            )
            .await;
        let person_count = |db: gazette_storage::Database| async move {
            db.people(&PersonFilter::default(), &PageRequest::first(50))
                .await
                .unwrap()
                .edges
                .len()
        };
        let before = person_count(database.db.clone()).await;
        // The stored Lê Duy Thành from the applied draft holds the posts; a second one holding
        // one of them too makes the match ambiguous.
        let ids = server
            .data(
                r#"query { people(name: "le duy thanh", first: 10) { edges { node { id positions { post { id title } } } } } }"#,
                json!({}),
                None,
            )
            .await;
        let edges = ids["people"]["edges"].as_array().unwrap();
        let holder = edges
            .iter()
            .find(|e| !e["node"]["positions"].as_array().unwrap().is_empty())
            .unwrap();
        let other = edges
            .iter()
            .find(|e| e["node"]["positions"].as_array().unwrap().is_empty())
            .unwrap();
        // "Phó Bí thư" has several seats, so a second holder breaks no seat rule.
        let post = holder["node"]["positions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["post"]["title"] == "Phó Bí thư")
            .unwrap()["post"]["id"]
            .clone();
        let appointed = server
            .graphql(
                r#"mutation($person: ID!, $post: ID!) { appoint(input: { person: $person, post: $post, holding: { kind: ELECTED, start: "2010", end: "2012" } }) { holding { id } } }"#,
                json!({ "person": other["node"]["id"], "post": post }),
                Some(&server.editor),
            )
            .await
            .json();
        if appointed.get("errors").is_none() {
            let copy = VINH_PHUC.replace('\n', "\r\n");
            let ambiguous = server
                .graphql(
                    INGEST,
                    json!({ "text": copy, "apply": true, "source": { "url": "http://vinhphuctv.vn/x" } }),
                    Some(&server.editor),
                )
                .await
                .json();
            assert_eq!(
                ambiguous["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
                "{ambiguous:#}"
            );
            assert!(
                ambiguous["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains("ambiguous")
            );
            assert_eq!(person_count(database.db.clone()).await, before);
        } else {
            panic!("appointing the second Lê Duy Thành failed: {appointed:#}");
        }

        // Readers may not ingest.
        let forbidden = server
            .graphql(
                INGEST,
                json!({ "text": ARTICLE, "apply": false }),
                Some(&server.reader),
            )
            .await
            .json();
        assert_eq!(forbidden["errors"][0]["extensions"]["code"], "FORBIDDEN");

        server.stop();
        database.finish().await;
    }
}
