//! Tokens refused in every shape, and errors that leak nothing, on every engine.
//!
//! * Tokens: malformed headers, a right id with a wrong secret, an unknown id, a revoked token,
//!   a role too low for the operation: UNAUTHENTICATED (401) or FORBIDDEN, and no answer ever
//!   repeats the token. (The plain cases, anonymous and reader writes and revocation, are in
//!   `http.rs` and the `api_*` suites.)
//! * Errors: a table dropped and a row corrupted behind the server's back (raw SQL on a second
//!   connection). The answer holds a code, a generic message and a request id: no SQL, no table
//!   or column names, no file paths, no driver or panic text.
//!
//! That the server's log never holds a token, and does hold the cause of an internal error
//! under the same request id, is checked on the real `gazette` binary with its stderr captured:
//! `crates/gateway/tests/subprocess.rs`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use gazette_tests::{HttpResponse, TestDatabase, TestServer, request};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const CREATE_PERSON: &str = "mutation($name: String!) {
    createPerson(input: {person: {name: $name}}) { person { id name } } }";

/// Sends `{ version }` with this `Authorization` header value.
async fn with_authorization(server: &TestServer, value: &str) -> HttpResponse {
    request(
        server.address,
        "POST",
        "/graphql",
        &[
            ("Content-Type".to_owned(), "application/json".to_owned()),
            ("Authorization".to_owned(), value.to_owned()),
        ],
        br#"{"query":"{ version }"}"#,
    )
    .await
}

/// The secret half of a token: `gzt_`, 32 hex digits of id, `_`, 43 characters of secret
/// (base64url, which may itself hold `_`).
fn secret_of(token: &str) -> &str {
    &token[37..]
}

/// Words that would betray an internal cause in an answer.
const TELLTALES: &[&str] = &[
    "select",
    "insert",
    "update ",
    "from ",
    "where",
    "sql",
    "sqlite",
    "postgres",
    "relation",
    "no such",
    "table",
    "column",
    "constraint",
    "syntax",
    "sea_orm",
    "sea-orm",
    "sqlx",
    "dberr",
    "panicked",
    "panic",
    "unwrap",
    "backtrace",
    ".rs",
    "src/",
    "/tmp",
    "/work",
    ".db",
    "gazette_test_",
    "person.",
    "full_name",
    "birth_date",
    "garbage",
    "thread",
];

/// Asserts that an answer to a failed request holds only a code, a generic message, a request
/// id (and the standard `locations`/`path`), and no telltale of its cause.
#[track_caller]
fn assert_leaks_nothing(what: &str, response: &HttpResponse, codes: &[&str]) {
    // The standard `locations` entries name a line and a column of the query; the rest is
    // scanned.
    let mut scanned = response.json();
    for error in scanned["errors"].as_array_mut().into_iter().flatten() {
        if let Some(error) = error.as_object_mut() {
            error.remove("locations");
        }
    }
    let text = scanned.to_string();
    let lowered = text.to_lowercase();
    for telltale in TELLTALES {
        assert!(
            !lowered.contains(telltale),
            "{what}: the answer mentions {telltale:?}: {text}"
        );
    }
    let body = response.json();
    let errors = body["errors"].as_array().unwrap();
    assert!(!errors.is_empty(), "{what}: {body}");
    for error in errors {
        let code = error["extensions"]["code"].as_str().unwrap();
        assert!(codes.contains(&code), "{what}: {code}: {body}");
        let extensions = error["extensions"].as_object().unwrap();
        assert_eq!(
            extensions.keys().collect::<Vec<_>>(),
            ["code", "requestId"],
            "{what}: extensions: {body}"
        );
        let request_id = extensions["requestId"].as_str().unwrap();
        assert_eq!(
            response.headers.get("x-request-id").map(String::as_str),
            Some(request_id),
            "{what}: the header and the error carry the same request id"
        );
        let keys: Vec<&String> = error.as_object().unwrap().keys().collect();
        assert!(
            keys.iter()
                .all(|k| ["message", "extensions", "locations", "path"].contains(&k.as_str())),
            "{what}: {body}"
        );
        let message = error["message"].as_str().unwrap();
        assert!(
            [
                "internal error",
                "the database is unavailable; try again shortly"
            ]
            .contains(&message),
            "{what}: message {message:?}"
        );
    }
}

#[tokio::test]
async fn malformed_unknown_and_wrong_tokens_are_refused_without_being_repeated() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let editor = server.editor.clone();
        let (prefix_and_id, secret) = (&editor[..36], secret_of(&editor));
        assert_eq!(secret.len(), 43);
        // The right id with another secret of the right shape.
        let mut wrong = secret.chars().rev().collect::<String>();
        if wrong == secret {
            wrong = "A".repeat(secret.len());
        }
        let wrong_secret = format!("{prefix_and_id}_{wrong}");
        // A well-formed token whose id is unknown.
        let unknown = format!(
            "gzt_{}_{}",
            uuid::Uuid::now_v7().simple(),
            "x".repeat(secret.len())
        );
        let cases = [
            ("no scheme", editor.clone(), "malformed"),
            ("Basic", format!("Basic {editor}"), "malformed"),
            ("Bearer alone", "Bearer".to_owned(), "malformed"),
            ("Bearer and a space", "Bearer ".to_owned(), "malformed"),
            (
                "not a Gazette token",
                "Bearer abc.def.ghi".to_owned(),
                "malformed",
            ),
            (
                "a short secret",
                format!("Bearer {prefix_and_id}_{}", &secret[..10]),
                "malformed",
            ),
            ("a long secret", format!("Bearer {editor}A"), "malformed"),
            (
                "two tokens",
                format!("Bearer {editor} {editor}"),
                "malformed",
            ),
            (
                "a huge header",
                format!("Bearer gzt_{}", "a".repeat(6000)),
                "malformed",
            ),
            (
                "the id with another secret",
                format!("Bearer {wrong_secret}"),
                "unknown or revoked",
            ),
            (
                "an unknown id",
                format!("Bearer {unknown}"),
                "unknown or revoked",
            ),
        ];
        for (what, header, kind) in cases {
            let response = with_authorization(&server, &header).await;
            let body = response.json();
            assert_eq!(response.status, 401, "{what}: {body}");
            assert!(body.get("data").is_none(), "{what}: {body}");
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
                "{what}: {body}"
            );
            let message = body["errors"][0]["message"].as_str().unwrap();
            if kind == "malformed" {
                assert!(
                    message.contains("must be `Bearer <token>`"),
                    "{what}: {message}"
                );
            } else {
                assert!(message.contains("unknown or revoked"), "{what}: {message}");
            }
            let text = response.text();
            assert!(
                !text.contains(secret),
                "{what}: the answer repeats the secret"
            );
            assert!(
                !text.contains(&wrong),
                "{what}: the answer repeats the secret"
            );
        }
        // A wrong token is refused even where no token is needed: it is not read as anonymous.
        let response = with_authorization(&server, &format!("Bearer {unknown}")).await;
        assert_eq!(response.status, 401);
        // "bearer" in lower case and surrounding spaces are accepted.
        let response = with_authorization(&server, &format!("bearer {editor}  ")).await;
        assert_eq!(response.status, 200, "{}", response.text());

        // No listing or log entry ever shows a secret.
        let tokens = server
            .graphql(
                "{ tokens { id name role } auditLog(first: 100) { edges { node { summary } } } }",
                json!({}),
                Some(&server.admin),
            )
            .await;
        assert_eq!(tokens.status, 200, "{}", tokens.text());
        for token in [&server.reader, &server.editor, &server.admin] {
            assert!(!tokens.text().contains(secret_of(token)));
        }
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn roles_too_low_are_forbidden_and_the_message_names_no_secret() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        for (token, mutation, variables) in [
            (
                &server.reader,
                CREATE_PERSON,
                json!({ "name": "Trần Việt Trường" }),
            ),
            (
                &server.reader,
                "mutation($o: OrganizationFields!) { createOrganization(input: {organization: $o}) { organization { id } } }",
                json!({ "o": { "name": "Ủy ban nhân dân", "classification": "PEOPLES_COMMITTEE" } }),
            ),
            (
                &server.editor,
                "mutation { createToken(input: { name: \"mine\", role: ADMIN }) { secret } }",
                json!({}),
            ),
            (
                &server.editor,
                "mutation($id: ID!) { revokeToken(input: { id: $id }) { token { id } } }",
                json!({ "id": "VG9rZW46MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw" }),
            ),
        ] {
            let response = server.graphql(mutation, variables, Some(token)).await;
            let body = response.json();
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "FORBIDDEN",
                "{mutation}: {body}"
            );
            assert!(body["data"].is_null(), "{body}");
            assert!(!response.text().contains(secret_of(token)));
        }
        // An editor cannot mint an admin token for itself: nothing was written.
        let log = server
            .db
            .audit_log(
                &Default::default(),
                &gazette_storage::PageRequest::first(100),
            )
            .await
            .unwrap();
        assert_eq!(
            log.edges.len(),
            3,
            "only the three tokens of the test server"
        );
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn database_failures_answer_a_code_and_a_request_id_and_nothing_else() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let created = server
            .data(
                CREATE_PERSON,
                json!({ "name": "Phạm Văn Hiểu" }),
                Some(&server.editor),
            )
            .await;
        let id = created["createPerson"]["person"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let raw = sea_orm::Database::connect(test_db.url()).await.unwrap();

        // A row changed behind Gazette's back so that it no longer parses: an internal error.
        raw.execute_unprepared(
            "UPDATE person SET birth_date = 'garbage /etc/passwd <script>' WHERE birth_date IS NULL",
        )
        .await
        .unwrap();
        let response = server
            .graphql(
                "query($id: ID!) { person(id: $id) { name birthDate } }",
                json!({ "id": id }),
                None,
            )
            .await;
        assert_eq!(response.status, 200, "{}", response.text());
        assert_leaks_nothing("a corrupt row", &response, &["INTERNAL"]);
        let response = server
            .graphql(
                "{ people(first: 10) { edges { node { name } } } }",
                json!({}),
                None,
            )
            .await;
        assert_leaks_nothing("a corrupt row in a list", &response, &["INTERNAL"]);

        // A table dropped: reads and writes fail inside the database.
        let drop = match test_db.engine {
            gazette_tests::EngineKind::Sqlite => {
                raw.execute_unprepared("PRAGMA foreign_keys = OFF")
                    .await
                    .unwrap();
                "DROP TABLE person"
            }
            gazette_tests::EngineKind::Postgres => "DROP TABLE person CASCADE",
        };
        raw.execute_unprepared(drop).await.unwrap();
        for (what, query, variables, token) in [
            (
                "a read of a dropped table",
                "{ people(first: 10) { edges { node { name } } } }",
                json!({}),
                None,
            ),
            (
                "a node lookup in a dropped table",
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": id }),
                None,
            ),
            (
                "a write to a dropped table",
                CREATE_PERSON,
                json!({ "name": "Trần Việt Trường" }),
                Some(server.editor.as_str()),
            ),
            (
                "a search of a dropped table",
                "{ people(name: \"hieu\") { edges { node { name } } } }",
                json!({}),
                None,
            ),
        ] {
            let response = server.graphql(query, variables, token).await;
            assert_leaks_nothing(what, &response, &["INTERNAL", "UNAVAILABLE"]);
        }

        // The tokens' table dropped: every request with a token fails before it runs, and says
        // only that the database is unavailable.
        let drop = match test_db.engine {
            gazette_tests::EngineKind::Sqlite => "DROP TABLE api_token",
            gazette_tests::EngineKind::Postgres => "DROP TABLE api_token CASCADE",
        };
        raw.execute_unprepared(drop).await.unwrap();
        let response = server
            .graphql("{ version }", json!({}), Some(&server.reader))
            .await;
        assert_eq!(response.status, 503, "{}", response.text());
        assert_leaks_nothing(
            "a token lookup in a dropped table",
            &response,
            &["UNAVAILABLE"],
        );
        assert!(!response.text().contains(secret_of(&server.reader)));
        // Requests that need no database still answer.
        let version = server.graphql("{ version }", json!({}), None).await;
        assert_eq!(version.status, 200);
        assert_eq!(
            version.json()["data"]["version"],
            Value::from(env!("CARGO_PKG_VERSION"))
        );

        drop_connection(raw).await;
        server.stop();
        test_db.finish().await;
    }
}

async fn drop_connection(connection: sea_orm::DatabaseConnection) {
    let _ = connection.close().await;
}
