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

/// A query that goes on from a person's holdings to their posts, the posts' organizations and
/// those organizations' parents reads all of it in the holdings' statement: two statements
/// (the person, the joined holdings) where a statement per level took five, with the same
/// answer; a query that stops earlier joins less and answers as much.
#[tokio::test]
async fn positions_read_their_posts_organizations_and_parents_in_one_statement() {
    const DEEP: &str = "query Deep($id: ID!) {
  person(id: $id) { name positions { id post { id title organization { id name parent { id name } } } } }
}";
    const ORGANIZATION: &str = "query Organization($id: ID!) {
  person(id: $id) { positions { post { title organization { name } } } }
}";
    const POST: &str = "query Post($id: ID!) {
  person(id: $id) { positions { kind post { title } } }
}";
    const BARE: &str = "query Bare($id: ID!) {
  person(id: $id) { positions { kind } }
}";
    for test_db in TestDatabase::every_engine().await {
        let db = test_db.db.clone();
        let city = organization(&db, "Thành phố Cần Thơ", None).await;
        add_people(&db, &city, 3, 0).await;
        let person = db
            .people(
                &gazette_storage::PersonFilter::default(),
                &gazette_storage::PageRequest::first(1),
            )
            .await
            .unwrap()
            .edges
            .remove(0)
            .node;
        let id = gazette_gateway::schema::ids::global_id("Person", person.id().as_uuid());
        let server = TestServer::start(db.clone()).await;
        let mut costs = Vec::new();
        for query in [DEEP, ORGANIZATION, POST, BARE] {
            let before = server.db.statement_count();
            let data = server.data(query, json!({ "id": id }), None).await;
            costs.push(server.db.statement_count() - before);
            let positions = data["person"]["positions"].as_array().unwrap();
            assert_eq!(positions.len(), 1, "{data}");
            let position = &positions[0];
            if query != BARE {
                assert_eq!(position["post"]["title"], "Giám đốc", "{data}");
            }
            if query == DEEP || query == ORGANIZATION {
                assert!(
                    position["post"]["organization"]["name"]
                        .as_str()
                        .unwrap()
                        .starts_with("Sở số "),
                    "{data}"
                );
            }
            if query == DEEP {
                assert_eq!(
                    position["post"]["organization"]["parent"]["name"], "Thành phố Cần Thơ",
                    "{data}"
                );
                assert_eq!(
                    position["post"]["organization"]["parent"]["id"],
                    json!(
                        gazette_gateway::schema::ids::global_id(
                            "Organization",
                            city.id().as_uuid()
                        )
                        .to_string()
                    ),
                    "{data}"
                );
            }
        }
        assert_eq!(
            costs,
            [2, 2, 2, 2],
            "statements of the deep, organization, post and bare queries"
        );
        server.stop();
        test_db.finish().await;
    }
}

/// A request's loader hands out what a resolver primed it with only when it was made for a
/// query (a mutation's later fields must read its earlier fields' writes): here a primed post
/// that differs from the stored one shows which of the two a load returned.
#[tokio::test]
async fn only_a_query_loader_answers_from_primed_records() {
    use gazette_gateway::schema::loaders::{BatchQueue, SharedLoads};

    for test_db in TestDatabase::every_engine().await {
        let db = test_db.db.clone();
        let city = organization(&db, "Thành phố Cần Thơ", None).await;
        let post = Post::new(
            PostId::new(),
            PostDetails {
                organization: city.id(),
                title: Text::parse("Chủ tịch").unwrap(),
                seats: Seats::ONE,
                life: Period::always(),
            },
        )
        .unwrap();
        db.create_post(&Actor::new("test").unwrap(), &post)
            .await
            .unwrap();
        let mut details = post.details().clone();
        details.title = Text::parse("Phó Chủ tịch").unwrap();
        let primed = Post::new(post.id(), details).unwrap();
        let shared = SharedLoads::default();
        for priming in [true, false] {
            let queue = BatchQueue::default();
            let loader = shared.data_loader(&queue, db.clone(), priming);
            assert_eq!(loader.priming(), priming);
            loader.prime([(post.id(), primed.clone())]);
            let before = db.statement_count();
            let found: Option<Post> = queue.drive(loader.load_one(post.id())).await.unwrap();
            let statements = db.statement_count() - before;
            let title = found.unwrap().title.to_string();
            if priming {
                assert_eq!((title.as_str(), statements), ("Phó Chủ tịch", 0));
            } else {
                assert_eq!((title.as_str(), statements), ("Chủ tịch", 1));
            }
        }
        test_db.finish().await;
    }
}
