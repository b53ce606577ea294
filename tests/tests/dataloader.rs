//! No N+1: a nested query costs a number of SQL statements that depends on its depth, not on how
//! many rows it returns. 50 people → their positions → each post's organization → its parent.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use gazette_domain::date::Period;
use gazette_domain::holding::{Holding, HoldingDetails, HoldingKind};
use gazette_domain::ids::{HoldingId, OrganizationId, PersonId, PostId};
use gazette_domain::name::PersonName;
use gazette_domain::organization::{Classification, Level, Organization, OrganizationDetails};
use gazette_domain::person::{Person, PersonDetails};
use gazette_domain::post::{Post, PostDetails, Seats};
use gazette_domain::text::Text;
use gazette_storage::{Actor, Database};
use gazette_tests::{TestDatabase, TestServer};
use serde_json::json;

const GIVEN: [&str; 10] = [
    "An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga",
];

async fn organization(db: &Database, name: &str, parent: Option<OrganizationId>) -> Organization {
    let mut details =
        OrganizationDetails::new(Text::parse(name).unwrap(), Classification::Department);
    details.level = Some(Level::Province);
    details.parent = parent;
    let organization = Organization::new(OrganizationId::new(), details).unwrap();
    db.create_organization(&Actor::new("test").unwrap(), &organization)
        .await
        .unwrap();
    organization
}

/// Adds `count` people, each holding a post in a department of its own under `city`.
async fn add_people(db: &Database, city: &Organization, count: usize, offset: usize) {
    let actor = Actor::new("test").unwrap();
    for i in offset..offset + count {
        let department = organization(db, &format!("Sở số {i}"), Some(city.id())).await;
        let post = Post::new(
            PostId::new(),
            PostDetails {
                organization: department.id(),
                title: Text::parse("Giám đốc").unwrap(),
                seats: Seats::ONE,
                life: Period::always(),
            },
        )
        .unwrap();
        db.create_post(&actor, &post).await.unwrap();
        let name = format!(
            "Nguyễn Văn {} {}",
            GIVEN[i % 10],
            char::from(b'A' + u8::try_from(i / 10).unwrap())
        );
        let person = Person::new(
            PersonId::new(),
            PersonDetails::named(PersonName::parse(&name).unwrap()),
        )
        .unwrap();
        db.create_person(&actor, &person).await.unwrap();
        let holding = Holding::new(
            HoldingId::new(),
            HoldingDetails {
                person: person.id(),
                post: post.id(),
                period: Period::always(),
                kind: HoldingKind::Appointed,
                term: None,
                document: None,
                end_reason: None,
            },
        )
        .unwrap();
        db.appoint(&actor, &holding).await.unwrap();
    }
}

const QUERY: &str = "query Nested($first: Int!) {
  people(first: $first) { edges { node { name positions { post { title organization { name parent { name } } } } } } }
}";

async fn statements_for(server: &TestServer, first: usize) -> (u64, usize) {
    let before = server.db.statement_count();
    let data = server.data(QUERY, json!({ "first": first }), None).await;
    let after = server.db.statement_count();
    let edges = data["people"]["edges"].as_array().unwrap();
    for edge in edges {
        let position = &edge["node"]["positions"][0];
        assert_eq!(
            position["post"]["organization"]["parent"]["name"], "Thành phố Cần Thơ",
            "{edge}"
        );
    }
    (after - before, edges.len())
}

#[tokio::test]
async fn a_nested_query_costs_statements_by_depth_not_by_rows() {
    for test_db in TestDatabase::every_engine().await {
        let db = test_db.db.clone();
        let city = organization(&db, "Thành phố Cần Thơ", None).await;
        add_people(&db, &city, 50, 0).await;
        let server = TestServer::start(db.clone()).await;
        let (few, few_rows) = statements_for(&server, 5).await;
        let (many, many_rows) = statements_for(&server, 50).await;
        assert_eq!((few_rows, many_rows), (5, 50));
        assert_eq!(
            few, many,
            "5 people took {few} statements and 50 took {many}"
        );
        // people page + identifiers, holdings, posts, organizations (+ successions and
        // identifiers), parents (+ the same): a small constant.
        assert!(many <= 12, "{many} statements for a four-level query");
        server.stop();
        test_db.finish().await;
    }
}
