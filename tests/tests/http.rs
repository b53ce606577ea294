//! GraphQL over HTTP against the real gateway on an ephemeral port: media types, methods,
//! status codes, limits and tokens, on every engine.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use gazette_gateway::schema::QueryLimits;
use gazette_gateway::server::HttpSettings;
use gazette_tests::{TestDatabase, TestServer, request};
use serde_json::json;

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

const JSON: (&str, &str) = ("Content-Type", "application/json");

#[tokio::test]
async fn a_query_answers_in_the_media_type_the_client_accepts() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let body = br#"{"query":"{ version }"}"#;
        let preferred = request(
            server.address,
            "POST",
            "/graphql",
            &headers(&[
                JSON,
                (
                    "Accept",
                    "application/graphql-response+json, application/json;q=0.9",
                ),
            ]),
            body,
        )
        .await;
        assert_eq!(preferred.status, 200);
        assert!(preferred.headers["content-type"].starts_with("application/graphql-response+json"));
        assert_eq!(
            preferred.json()["data"]["version"],
            env!("CARGO_PKG_VERSION")
        );
        assert!(preferred.headers.contains_key("x-request-id"));

        let legacy = request(
            server.address,
            "POST",
            "/graphql",
            &headers(&[JSON, ("Accept", "application/json")]),
            body,
        )
        .await;
        assert!(legacy.headers["content-type"].starts_with("application/json"));
        let none = request(server.address, "POST", "/graphql", &headers(&[JSON]), body).await;
        assert!(none.headers["content-type"].starts_with("application/json"));

        let refused = request(
            server.address,
            "POST",
            "/graphql",
            &headers(&[JSON, ("Accept", "text/html")]),
            body,
        )
        .await;
        assert_eq!(refused.status, 406);
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn parse_and_validation_failures_are_4xx_without_data() {
    let test_db = TestDatabase::sqlite().await;
    let server = TestServer::start(test_db.db.clone()).await;
    for query in [
        "{ version",
        "{ noSuchField }",
        "query { people(first: \"x\") { edges { cursor } } }",
    ] {
        let response = server.graphql(query, json!({}), None).await;
        assert_eq!(response.status, 400, "{query}: {}", response.text());
        let body = response.json();
        assert!(
            body.get("data").is_none() || body["data"].is_null(),
            "{body}"
        );
        assert!(
            body["errors"][0]["extensions"]["requestId"].is_string(),
            "{body}"
        );
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    }
    let malformed = request(
        server.address,
        "POST",
        "/graphql",
        &headers(&[JSON]),
        b"{not json",
    )
    .await;
    assert_eq!(malformed.status, 400);
    let wrong_type = request(
        server.address,
        "POST",
        "/graphql",
        &headers(&[("Content-Type", "text/plain")]),
        b"{ version }",
    )
    .await;
    assert_eq!(wrong_type.status, 415);
    server.stop();
    test_db.finish().await;
}

#[tokio::test]
async fn get_serves_queries_and_refuses_mutations_with_405() {
    let test_db = TestDatabase::sqlite().await;
    let server = TestServer::start(test_db.db.clone()).await;
    let ok = request(
        server.address,
        "GET",
        "/graphql?query=%7B%20version%20%7D",
        &[],
        b"",
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_eq!(ok.json()["data"]["version"], env!("CARGO_PKG_VERSION"));
    let mutation = "mutation%20%7B%20createPerson(input%3A%20%7Bperson%3A%20%7Bname%3A%20%22A%20B%22%7D%7D)%20%7B%20person%20%7B%20name%20%7D%20%7D%20%7D";
    let refused = request(
        server.address,
        "GET",
        &format!("/graphql?query={mutation}"),
        &[],
        b"",
    )
    .await;
    assert_eq!(refused.status, 405);
    assert_eq!(refused.headers["allow"], "POST");
    let put = request(server.address, "PUT", "/graphql", &headers(&[JSON]), b"{}").await;
    assert_eq!(put.status, 405);
    server.stop();
    test_db.finish().await;
}

#[tokio::test]
async fn oversized_bodies_and_batches_are_refused() {
    let test_db = TestDatabase::sqlite().await;
    let server = TestServer::start(test_db.db.clone()).await;
    let huge = format!(
        "{{\"query\":\"{{ version }}\",\"variables\":{{\"x\":\"{}\"}}}}",
        "a".repeat(2 * 1024 * 1024)
    );
    let response = request(
        server.address,
        "POST",
        "/graphql",
        &headers(&[JSON]),
        huge.as_bytes(),
    )
    .await;
    assert_eq!(response.status, 413);
    let batch = request(
        server.address,
        "POST",
        "/graphql",
        &headers(&[JSON]),
        br#"[{"query":"{ version }"},{"query":"{ version }"}]"#,
    )
    .await;
    assert_eq!(batch.status, 400);
    assert!(batch.text().contains("batched requests are disabled"));
    server.stop();

    let settings = HttpSettings {
        allow_batching: true,
        ..HttpSettings::default()
    };
    let server = TestServer::start_with(test_db.db.clone(), QueryLimits::default(), settings).await;
    let batch = request(
        server.address,
        "POST",
        "/graphql",
        &headers(&[JSON]),
        br#"[{"query":"{ version }"},{"query":"{ version }"}]"#,
    )
    .await;
    assert_eq!(batch.status, 200, "{}", batch.text());
    assert_eq!(batch.json().as_array().unwrap().len(), 2);
    server.stop();
    test_db.finish().await;
}

#[tokio::test]
async fn page_sizes_beyond_100_are_errors_not_clamps() {
    let test_db = TestDatabase::sqlite().await;
    let server = TestServer::start(test_db.db.clone()).await;
    let response = server
        .graphql(
            "{ people(first: 101) { edges { cursor } } }",
            json!({}),
            None,
        )
        .await;
    let body = response.json();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("between 1 and 100")
    );
    server.stop();
    test_db.finish().await;
}

#[tokio::test]
async fn depth_aliases_and_root_fields_are_limited() {
    let test_db = TestDatabase::sqlite().await;
    let limits = QueryLimits {
        max_depth: 3,
        max_complexity: 1000,
        max_aliases: 2,
        max_root_fields: 3,
    };
    let server = TestServer::start_with(test_db.db.clone(), limits, HttpSettings::default()).await;
    let aliases = server
        .graphql("{ a: version b: version c: version }", json!({}), None)
        .await;
    assert_eq!(aliases.status, 400);
    assert!(aliases.text().contains("aliases"), "{}", aliases.text());
    let roots = server
        .graphql(
            "{ version v2: version __typename people { edges { cursor } } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(roots.status, 400);
    let deep = server
        .graphql(
            "{ people { edges { node { otherNames { name } } } } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(deep.status, 400, "{}", deep.text());
    let costly = server
        .graphql(
            "{ people(first: 100) { edges { node { name familyName givenName middleName } } } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(costly.status, 400, "{}", costly.text());
    server.stop();
    test_db.finish().await;
}

#[tokio::test]
async fn writes_need_an_editor_token_and_revocation_is_immediate() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let create = "mutation($name: String!) { createPerson(input: {person: {name: $name}}) { person { id name } } }";
        let anonymous = server
            .graphql(create, json!({"name": "Phạm Văn Hiểu"}), None)
            .await
            .json();
        assert_eq!(
            anonymous["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{anonymous}"
        );
        let reader = server
            .graphql(
                create,
                json!({"name": "Phạm Văn Hiểu"}),
                Some(&server.reader),
            )
            .await
            .json();
        assert_eq!(
            reader["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "{reader}"
        );
        let bogus = server
            .graphql(create, json!({"name": "Phạm Văn Hiểu"}), Some("gzt_0000"))
            .await;
        assert_eq!(bogus.status, 401);
        let created = server
            .data(
                create,
                json!({"name": "Đồng chí Phạm Văn Hiểu"}),
                Some(&server.editor),
            )
            .await;
        assert_eq!(created["createPerson"]["person"]["name"], "Phạm Văn Hiểu");

        // The write is recorded under the token's name.
        let log = server
            .db
            .audit_log(
                &gazette_storage::AuditFilter::default(),
                &gazette_storage::PageRequest::first(50),
            )
            .await
            .unwrap();
        assert!(
            log.edges
                .iter()
                .any(|e| e.node.operation == "create" && e.node.actor == "editor:test editor")
        );

        let id = server
            .db
            .tokens()
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.name == "test editor")
            .unwrap()
            .id;
        server
            .db
            .revoke_token(&gazette_storage::Actor::new("test").unwrap(), id)
            .await
            .unwrap();
        let after = server
            .graphql(
                create,
                json!({"name": "Trần Việt Trường"}),
                Some(&server.editor),
            )
            .await;
        assert_eq!(after.status, 401, "{}", after.text());
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn reads_can_require_a_token() {
    let test_db = TestDatabase::sqlite().await;
    let settings = HttpSettings {
        require_read_token: true,
        ..HttpSettings::default()
    };
    let server = TestServer::start_with(test_db.db.clone(), QueryLimits::default(), settings).await;
    assert_eq!(
        server.graphql("{ version }", json!({}), None).await.status,
        401
    );
    assert_eq!(
        server
            .graphql("{ version }", json!({}), Some(&server.reader))
            .await
            .status,
        200
    );
    server.stop();
    test_db.finish().await;
}

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    let test_db = TestDatabase::sqlite().await;
    let server = TestServer::start(test_db.db.clone()).await;
    assert_eq!(
        request(server.address, "GET", "/healthz", &[], b"")
            .await
            .status,
        200
    );
    assert_eq!(
        request(server.address, "GET", "/readyz", &[], b"")
            .await
            .status,
        200
    );
    server
        .graphql("query Probe { version }", json!({}), None)
        .await;
    server.graphql("{ nothing }", json!({}), None).await;
    let metrics = request(server.address, "GET", "/metrics", &[], b"")
        .await
        .text();
    assert!(
        metrics.contains("gazette_graphql_request_duration_seconds_count{operation=\"Probe\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("gazette_graphql_errors_total{code=\"BAD_USER_INPUT\"}"),
        "{metrics}"
    );
    assert!(metrics.contains("gazette_database_statements_total"));
    assert!(
        metrics.contains("gazette_database_connections{state=\"open\"}"),
        "{metrics}"
    );
    server.stop();
    test_db.finish().await;
}

#[tokio::test]
async fn response_fields_come_in_the_order_the_query_asked_for_them() {
    let test_db = TestDatabase::sqlite().await;
    let server = TestServer::start(test_db.db.clone()).await;
    let created = server
        .data(
            "mutation { createOrganization(input: {organization: {name: \"Thành ủy Cần Thơ\", classification: PARTY_COMMITTEE}}) { organization { id } } }",
            json!({}),
            Some(&server.editor),
        )
        .await;
    let organization = created["createOrganization"]["organization"]["id"].clone();
    // `posts` and `children` wait on the database while the plain fields do not; they must still
    // come back where the query put them, aliases and fragments included.
    let query = "query($id: ID!) { version organization(id: $id) { posts { title } name ...More kids: children { name } abbreviation } }
                 fragment More on Organization { classification id }";
    let response = server
        .graphql(query, json!({ "id": organization }), None)
        .await;
    let text = response.text();
    let order = [
        "\"version\"",
        "\"organization\"",
        "\"posts\"",
        "\"name\"",
        "\"classification\"",
        "\"id\"",
        "\"kids\"",
        "\"abbreviation\"",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|key| {
            text.find(key)
                .unwrap_or_else(|| panic!("{key} missing: {text}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "fields out of order: {text}"
    );
    server.stop();
    test_db.finish().await;
}
