//! The real `gazette` binary as a subprocess, its log (stderr) captured:
//!
//! * tokens never appear in the log, whatever is done with them (valid, malformed, wrong,
//!   revoked, too low a role, made through the API), at the most verbose log level, in both
//!   log formats;
//! * an internal error reaches the client as a code, a generic message and a request id, while
//!   the log holds its cause under the same request id;
//! * `gazette audit verify` exits 0 on an intact chain and 1 on a broken one or a mismatched
//!   anchor, naming the first broken link.
//!
//! Kept in the gateway crate because Cargo builds the binary (`CARGO_BIN_EXE_gazette`) only
//! for the tests of its own package. `cargo test -p gazette-gateway --test subprocess`; the
//! audit test also runs on PostgreSQL when `GAZETTE_TEST_DATABASE_URL` is set.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

mod support;

use support::{Server, gazette, token};

/// A fresh SQLite file, removed on drop.
struct TempDatabase {
    path: PathBuf,
}

impl TempDatabase {
    fn new() -> Self {
        let path = std::env::temp_dir().join(format!(
            "gazette_subprocess_{}.db",
            uuid::Uuid::now_v7().simple()
        ));
        Self { path }
    }

    fn url(&self) -> String {
        format!("sqlite://{}?mode=rwc", self.path.display())
    }
}

impl Drop for TempDatabase {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

/// Runs `gazette` to completion.
fn run(args: &[&str]) -> Output {
    let output = gazette().args(args).output().unwrap();
    assert!(
        output.status.code().is_some(),
        "gazette {args:?} was killed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Starts `gazette serve` on an ephemeral port with this log format and level, its stderr
/// collected.
fn start(url: &str, log_format: &str, log_level: &str) -> Server {
    Server::start_with(
        url,
        &["--log-format", log_format],
        &[("GAZETTE_LOG", log_level)],
    )
}

/// Stops the server (it is this test's own child) and returns everything it logged.
fn stop(mut server: Server) -> String {
    // Give the last log lines of the last request time to be written.
    std::thread::sleep(Duration::from_millis(200));
    let _ = server.child.kill();
    let _ = server.wait_for_exit(Duration::from_secs(10));
    server.log()
}

/// POSTs a GraphQL request; returns the status, the `x-request-id` header and the body.
fn graphql(
    server: &Server,
    query: &str,
    variables: Value,
    authorization: Option<&str>,
) -> (u16, String, Value) {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let mut head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n",
        server.address,
        body.len()
    );
    if let Some(value) = authorization {
        head.push_str(&format!("Authorization: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut stream = TcpStream::connect(server.address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let request_id = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("x-request-id")
                .then(|| value.trim().to_owned())
        })
        .unwrap_or_default();
    (status, request_id, serde_json::from_str(body).unwrap())
}

/// The secret half of a token: `gzt_`, 32 hex digits of id, `_`, 43 characters of secret.
fn secret_of(token: &str) -> &str {
    &token[37..]
}

const CREATE_PERSON: &str = "mutation($name: String!) {
    createPerson(input: {person: {name: $name}}) { person { id name } } }";

#[test]
fn tokens_never_appear_in_the_log() {
    for log_format in ["text", "json"] {
        let database = TempDatabase::new();
        let url = database.url();
        let editor = token(&url, "editor", "log test editor");
        let reader = token(&url, "reader", "log test reader");
        let admin = token(&url, "admin", "log test admin");
        let revoked = token(&url, "editor", "log test revoked");
        let revoked_id = &revoked[4..36];
        assert!(
            run(&["token", "revoke", revoked_id, "--database-url", &url])
                .status
                .success()
        );

        let server = start(&url, log_format, "trace");
        let mut secrets = vec![
            secret_of(&editor).to_owned(),
            secret_of(&reader).to_owned(),
            secret_of(&admin).to_owned(),
            secret_of(&revoked).to_owned(),
        ];
        // Used rightly.
        let (status, _, body) = graphql(
            &server,
            CREATE_PERSON,
            json!({ "name": "Trần Việt Trường" }),
            Some(&format!("Bearer {editor}")),
        );
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "{body}");
        // A role too low, a revoked token, a wrong secret, malformed headers.
        let (_, _, body) = graphql(
            &server,
            CREATE_PERSON,
            json!({ "name": "Phạm Văn Hiểu" }),
            Some(&format!("Bearer {reader}")),
        );
        assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");
        let (status, _, _) = graphql(
            &server,
            "{ version }",
            json!({}),
            Some(&format!("Bearer {revoked}")),
        );
        assert_eq!(status, 401);
        let wrong_secret = format!("{}{}", &editor[..37], "Q".repeat(43));
        secrets.push("Q".repeat(43));
        let (status, _, _) = graphql(
            &server,
            "{ version }",
            json!({}),
            Some(&format!("Bearer {wrong_secret}")),
        );
        assert_eq!(status, 401);
        let marker = "SeCrEtMaRkEr4242";
        secrets.push(marker.to_owned());
        for header in [
            format!("Bearer {marker}"),
            format!("Basic {marker}"),
            format!("Bearer gzt_{marker}_{marker}"),
            marker.to_owned(),
        ] {
            let (status, _, _) = graphql(&server, "{ version }", json!({}), Some(&header));
            assert_eq!(status, 401, "{header}");
        }
        // A token made through the API: its text is in that one response, never in the log.
        let (_, _, body) = graphql(
            &server,
            "mutation { createToken(input: { name: \"via the API\", role: READER }) { secret } }",
            json!({}),
            Some(&format!("Bearer {admin}")),
        );
        let made = body["data"]["createToken"]["secret"]
            .as_str()
            .unwrap()
            .to_owned();
        secrets.push(secret_of(&made).to_owned());
        let (status, _, _) = graphql(
            &server,
            "{ version }",
            json!({}),
            Some(&format!("Bearer {made}")),
        );
        assert_eq!(status, 200);
        // A token pasted into a variable or an error-raising argument.
        let (_, _, _) = graphql(
            &server,
            "query($x: Int) { people(first: $x) { edges { cursor } } }",
            json!({ "x": editor }),
            None,
        );

        let log = stop(server);
        assert!(
            log.contains("request answered with errors") && log.contains("FORBIDDEN"),
            "the log was captured ({log_format}): {log}"
        );
        for secret in &secrets {
            assert!(
                !log.contains(secret.as_str()),
                "{log_format} log holds a secret {secret:?}:\n{log}"
            );
        }
        for whole in [&editor, &reader, &admin, &revoked, &made] {
            assert!(
                !log.contains(whole.as_str()),
                "{log_format} log holds a token"
            );
        }
    }
}

#[tokio::test]
async fn internal_errors_are_logged_under_the_request_id_and_never_sent() {
    let database = TempDatabase::new();
    let url = database.url();
    let editor = token(&url, "editor", "internal error test");
    let server = start(&url, "json", "info");
    let (_, _, body) = graphql(
        &server,
        CREATE_PERSON,
        json!({ "name": "Phạm Văn Hiểu" }),
        Some(&format!("Bearer {editor}")),
    );
    let id = body["data"]["createPerson"]["person"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let raw = sea_orm::Database::connect(url.replace("mode=rwc", "mode=rw"))
        .await
        .unwrap();
    raw.execute_unprepared("UPDATE person SET other_names = 'not json at all'")
        .await
        .unwrap();
    let (status, corrupt_id, body) = graphql(
        &server,
        "query($id: ID!) { person(id: $id) { name otherNames { name } } }",
        json!({ "id": id }),
        None,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "INTERNAL",
        "{body}"
    );
    assert_eq!(body["errors"][0]["message"], "internal error");
    assert_eq!(body["errors"][0]["extensions"]["requestId"], corrupt_id);

    raw.execute_unprepared("PRAGMA foreign_keys = OFF")
        .await
        .unwrap();
    raw.execute_unprepared("DROP TABLE person").await.unwrap();
    let (_, dropped_id, body) = graphql(
        &server,
        "{ people(first: 5) { edges { node { name } } } }",
        json!({}),
        None,
    );
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "INTERNAL",
        "{body}"
    );
    let text = body.to_string().to_lowercase();
    for telltale in ["no such table", "sqlite", "select", "/tmp", ".db", "panic"] {
        assert!(!text.contains(telltale), "{telltale}: {body}");
    }
    let _ = raw.close().await;

    let log = stop(server);
    let lines: Vec<Value> = log
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    let cause_of = |request_id: &str| -> Vec<String> {
        lines
            .iter()
            .filter(|line| {
                line["span"]["request_id"] == request_id
                    && matches!(line["level"].as_str(), Some("ERROR" | "WARN"))
            })
            .map(|line| line["fields"].to_string())
            .collect()
    };
    let corrupt = cause_of(&corrupt_id);
    assert!(
        corrupt
            .iter()
            .any(|fields| fields.contains("is not valid") && fields.contains(&id_uuid(&id))),
        "the log names the corrupt row under request {corrupt_id}: {corrupt:?}\n{log}"
    );
    let dropped = cause_of(&dropped_id);
    assert!(
        dropped
            .iter()
            .any(|fields| fields.contains("no such table")),
        "the log names the missing table under request {dropped_id}: {dropped:?}\n{log}"
    );
}

/// The UUID inside a Relay global id (`base64("Person:<uuid>")`).
fn id_uuid(global: &str) -> String {
    use base64::Engine as _;
    let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(global)
        .or_else(|_| base64::engine::general_purpose::STANDARD.decode(global))
        .unwrap();
    String::from_utf8(decoded)
        .unwrap()
        .split_once(':')
        .unwrap()
        .1
        .to_owned()
}

/// A fresh PostgreSQL database when `GAZETTE_TEST_DATABASE_URL` is set: (its URL, the admin
/// URL, its name).
async fn postgres() -> Option<(String, String, String)> {
    let admin_url = std::env::var("GAZETTE_TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())?;
    let admin = sea_orm::Database::connect(&admin_url).await.unwrap();
    let name = format!("gazette_test_cli_{}", uuid::Uuid::now_v7().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url.as_str(), |(base, _)| base);
    Some((format!("{base}/{name}"), admin_url.clone(), name))
}

fn verify(url: &str, anchors: &[&str]) -> (i32, String) {
    let mut args = vec!["audit", "verify", "--database-url", url];
    for anchor in anchors {
        args.push("--anchor");
        args.push(anchor);
    }
    let output = run(&args);
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[tokio::test]
async fn audit_verify_exits_zero_on_an_intact_chain_and_one_on_a_broken_link() {
    let sqlite = TempDatabase::new();
    let mut targets = vec![(sqlite.url(), None)];
    if let Some((url, admin_url, name)) = postgres().await {
        targets.push((url, Some((admin_url, name))));
    }
    for (url, cleanup) in targets {
        for i in 0..4 {
            token(&url, "reader", &format!("audit {i}"));
        }
        let (code, out) = verify(&url, &[]);
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("entries read: 4"), "{out}");
        assert!(out.contains("the audit chain is intact"), "{out}");
        let head = out
            .lines()
            .find_map(|line| line.strip_prefix("last linked entry: "))
            .unwrap()
            .to_owned();
        let (seq, hash) = head.split_once(':').unwrap();
        assert_eq!(hash.len(), 64, "{head}");
        let (code, out) = verify(&url, &[&head]);
        assert_eq!(code, 0, "{out}");
        assert!(out.contains(&format!("anchor {seq}: matches")), "{out}");
        let wrong_anchor = format!("{seq}:{}", "0".repeat(64));
        let (code, out) = verify(&url, &[&wrong_anchor]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("MISMATCH"), "{out}");
        let (code, out) = verify(&url, &["not-an-anchor"]);
        assert_ne!(code, 0, "{out}");

        // The second entry edited behind Gazette's back.
        let raw = sea_orm::Database::connect(url.replace("mode=rwc", "mode=rw"))
            .await
            .unwrap();
        let second: i64 = raw
            .query_one_raw(sea_orm::Statement::from_string(
                raw.get_database_backend(),
                "SELECT seq FROM audit_log ORDER BY seq LIMIT 1 OFFSET 1",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get("", "seq")
            .unwrap();
        raw.execute_unprepared(&format!(
            "UPDATE audit_log SET summary = '{{\"name\":\"audit 1\",\"role\":\"admin\"}}' WHERE seq = {second}"
        ))
        .await
        .unwrap();
        let _ = raw.close().await;
        let (code, out) = verify(&url, &[]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains(&format!("BROKEN at entry {second}:")), "{out}");
        assert!(out.contains("the audit chain is BROKEN"), "{out}");

        if let Some((admin_url, name)) = cleanup {
            let admin = sea_orm::Database::connect(&admin_url).await.unwrap();
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await;
        }
    }
}
