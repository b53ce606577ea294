//! The seat rule under contention, through the API: 50 concurrent `appoint` mutations, each
//! over its own connection, to the same one-seat post. Exactly one succeeds; the 49 others are
//! refused with BAD_USER_INPUT naming the seat rule; one holding is stored, and the audit log
//! holds one appointment and still verifies. On SQLite and on PostgreSQL.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use std::sync::Arc;

use gazette_storage::{AuditFilter, PageRequest};
use gazette_tests::{TestDatabase, TestServer};
use serde_json::{Value, json};

const RACERS: usize = 50;

const CREATE_ORGANIZATION: &str = "mutation($o: OrganizationFields!) {
    createOrganization(input: {organization: $o}) { organization { id } } }";
const CREATE_POST: &str =
    "mutation($p: PostFields!) { createPost(input: {post: $p}) { post { id } } }";
const CREATE_PERSON: &str = "mutation($name: String!) {
    createPerson(input: {person: {name: $name}}) { person { id } } }";
const APPOINT: &str = "mutation($person: ID!, $post: ID!, $h: HoldingFields!) {
    appoint(input: {person: $person, post: $post, holding: $h}) { holding { id } } }";

/// Vietnamese given names, to make 50 distinct people.
const GIVEN: [&str; 10] = [
    "An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Long", "Minh", "Nam",
];
const FAMILY: [&str; 5] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"];

fn id_of(data: &Value, field: &str, object: &str) -> String {
    data[field][object]["id"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_appointments_to_a_one_seat_post_seat_exactly_one() {
    for test_db in TestDatabase::every_engine().await {
        let server = Arc::new(TestServer::start(test_db.db.clone()).await);
        let editor = server.editor.clone();
        let organization = id_of(
            &server
                .data(
                    CREATE_ORGANIZATION,
                    json!({ "o": { "name": "Ủy ban nhân dân thành phố Cần Thơ",
                                   "classification": "PEOPLES_COMMITTEE", "level": "PROVINCE" } }),
                    Some(&editor),
                )
                .await,
            "createOrganization",
            "organization",
        );
        let post = id_of(
            &server
                .data(
                    CREATE_POST,
                    json!({ "p": { "organization": organization, "title": "Chủ tịch", "seats": 1 } }),
                    Some(&editor),
                )
                .await,
            "createPost",
            "post",
        );
        let mut people = Vec::with_capacity(RACERS);
        for i in 0..RACERS {
            let name = format!(
                "{} Văn {}",
                FAMILY[i % FAMILY.len()],
                GIVEN[i / FAMILY.len() % GIVEN.len()]
            );
            people.push(id_of(
                &server
                    .data(CREATE_PERSON, json!({ "name": name }), Some(&editor))
                    .await,
                "createPerson",
                "person",
            ));
        }

        // All 50 at once: each waits at the barrier, then sends its request.
        let barrier = Arc::new(tokio::sync::Barrier::new(RACERS));
        let racers: Vec<_> = people
            .iter()
            .map(|person| {
                let server = Arc::clone(&server);
                let barrier = Arc::clone(&barrier);
                let variables = json!({ "person": person, "post": post,
                                        "h": { "start": "2021-01-15", "kind": "ELECTED" } });
                tokio::spawn(async move {
                    barrier.wait().await;
                    let editor = server.editor.clone();
                    let response = server.graphql(APPOINT, variables, Some(&editor)).await;
                    (response.status, response.json())
                })
            })
            .collect();
        let mut seated = 0;
        let mut refused = 0;
        for racer in racers {
            let (status, body) = racer.await.unwrap();
            assert_eq!(status, 200, "{body}");
            match body.get("errors") {
                None => {
                    assert!(body["data"]["appoint"]["holding"]["id"].is_string());
                    seated += 1;
                }
                Some(errors) => {
                    assert_eq!(
                        errors[0]["extensions"]["code"], "BAD_USER_INPUT",
                        "{:?}: {body}",
                        test_db.engine
                    );
                    let message = errors[0]["message"].as_str().unwrap();
                    assert!(
                        message.contains("post \"Chủ tịch\" has 1 seat"),
                        "the refusal names the seat rule: {message}"
                    );
                    refused += 1;
                }
            }
        }
        assert_eq!(
            (seated, refused),
            (1, RACERS - 1),
            "{:?}: exactly one appointment wins",
            test_db.engine
        );

        let holders = server
            .data(
                "query($post: ID!) { post(id: $post) { holders { person { id } } } }",
                json!({ "post": post }),
                None,
            )
            .await;
        assert_eq!(
            holders["post"]["holders"].as_array().unwrap().len(),
            1,
            "{holders}"
        );
        let appointments = server
            .db
            .audit_log(
                &AuditFilter {
                    entity_kind: Some("holding".to_owned()),
                    ..AuditFilter::default()
                },
                &PageRequest::first(100),
            )
            .await
            .unwrap();
        assert_eq!(appointments.edges.len(), 1, "one appointment in the log");
        assert!(server.db.verify_audit_chain().await.unwrap().is_intact());

        Arc::try_unwrap(server).ok().unwrap().stop();
        test_db.finish().await;
    }
}
