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
        // The same statements whatever the number of rows, give or take one: since loads go
        // through the server-wide shared queues (another task runs the statement and hands
        // the rows back), one level's resolvers can wake across two polls of the request and
        // ask in two batches. N+1 would be 50 or more.
        assert!(
            many <= few + 1,
            "5 people took {few} statements and 50 took {many}"
        );
        // people page + identifiers, holdings, posts, organizations, parents: a small constant
        // (organizations and people referred to are loaded bare).
        assert!(many <= 8, "{many} statements for a four-level query");
        server.stop();
        test_db.finish().await;
    }
}

/// Concurrent requests share statements: twenty loads of people that arrive together, as
/// twenty requests' DataLoader batches would under load, go out as at most two statements
/// (the first starts at once; the rest wait for a free slot and then go together), and each
/// load gets exactly the people it asked for.
#[tokio::test]
async fn concurrent_loads_of_one_kind_share_statements_and_get_their_own_rows() {
    use async_graphql::dataloader::Loader;
    use gazette_gateway::schema::loaders::SharedLoads;

    for test_db in TestDatabase::every_engine().await {
        let db = test_db.db.clone();
        let city = organization(&db, "Thành phố Cần Thơ", None).await;
        add_people(&db, &city, 20, 0).await;
        let people: Vec<PersonId> = db
            .people(
                &gazette_storage::PersonFilter::default(),
                &gazette_storage::PageRequest::first(20),
            )
            .await
            .unwrap()
            .edges
            .into_iter()
            .map(|edge| edge.node.id())
            .collect();
        assert_eq!(people.len(), 20);
        let shared = SharedLoads::default();
        let store = shared.store(db.clone());

        let before = db.statement_count();
        let loads = people.iter().map(|id| {
            let store = store.clone();
            let id = *id;
            async move { (id, Loader::<PersonId>::load(&store, &[id]).await.unwrap()) }
        });
        let answers = futures_util::future::join_all(loads).await;
        let statements = db.statement_count() - before;

        assert!(
            statements <= 2,
            "{statements} statements for 20 concurrent loads"
        );
        for (id, found) in answers {
            assert_eq!(found.len(), 1, "a load got rows it did not ask for");
            assert_eq!(found[&id].id(), id);
        }
        // A lone load afterwards runs at once and alone.
        let before = db.statement_count();
        let found = Loader::<PersonId>::load(&store, &people[..3])
            .await
            .unwrap();
        assert_eq!(found.len(), 3);
        assert_eq!(db.statement_count() - before, 1);
    }
}
