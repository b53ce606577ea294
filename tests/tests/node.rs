//! Relay's `node(id:)`: any record by its global id alone.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use gazette_tests::{TestDatabase, TestServer};
use serde_json::json;

#[tokio::test]
async fn any_record_can_be_fetched_by_its_global_id() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let person = server
            .data(
                "mutation { createPerson(input: {person: {name: \"Trần Việt Trường\"}}) { person { id } } }",
                json!({}),
                Some(&server.editor),
            )
            .await["createPerson"]["person"]["id"]
            .clone();
        let organization = server
            .data(
                "mutation { createOrganization(input: {organization: {name: \"UBND thành phố Cần Thơ\", classification: PEOPLES_COMMITTEE}}) { organization { id } } }",
                json!({}),
                Some(&server.editor),
            )
            .await;
        let organization = organization["createOrganization"]["organization"]["id"].clone();
        let query = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Person { name } ... on Organization { name } } }";
        let data = server
            .data(query, json!({ "ids": [person, organization] }), None)
            .await;
        assert_eq!(data["nodes"][0]["__typename"], "Person");
        assert_eq!(data["nodes"][0]["name"], "Trần Việt Trường");
        assert_eq!(data["nodes"][0]["id"], person);
        assert_eq!(data["nodes"][1]["__typename"], "Organization");
        let single = server
            .data(
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": person }),
                None,
            )
            .await;
        assert_eq!(single["node"]["id"], person);

        // A well-formed id of a record that does not exist is null; a malformed one is an error.
        let missing = server
            .data("{ node(id: \"UGVyc29uOjAxOTNjNmUwLTAwMDAtNzAwMC04MDAwLTAwMDAwMDAwMDAwMA\") { id } }", json!({}), None)
            .await;
        assert!(missing["node"].is_null());
        let bad = server
            .graphql("{ node(id: \"nonsense\") { id } }", json!({}), None)
            .await
            .json();
        assert_eq!(
            bad["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{bad}"
        );
        server.stop();
        test_db.finish().await;
    }
}
