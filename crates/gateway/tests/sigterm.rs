//! SIGTERM drains in-flight requests, with the real `gazette` binary:
//!
//! * requests in flight when the signal arrives (two article applies through `ingestArticle`,
//!   each writing over a thousand records for a second or more, and a Popolo export of the whole
//!   registry) complete with 200 and their full bodies, and what they wrote is stored;
//! * from the signal on, new connections are refused, and an idle keep-alive connection is
//!   closed rather than waited for;
//! * the process exits 0 soon after the last of them is answered;
//! * a client that never finishes sending its request holds the exit for no longer than
//!   `--shutdown-timeout-secs`, after which the process exits 0 anyway.
//!
//! `cargo test -p gazette-gateway --test sigterm -- --nocapture` prints the figures.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::json;
use support::{Server, article, gazette, graphql, request, token};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// People in the registry before the server starts, so that exporting it takes real work: the
/// export is sent 350 ms before the signal and must still be running then. 800 people were
/// exported in 347 ms on the fastest machine seen so far; 3,200 take about four times as long.
const POPULATION: usize = 3_200;
/// People in each article applied while the signal arrives.
const ARTICLE: usize = 150;

/// How soon after the last in-flight response the process must have exited.
const EXIT_AFTER_DRAIN: Duration = Duration::from_secs(3);

const INGEST: &str = "mutation($text: String!) { ingestArticle(text: $text, apply: true) { \
                      applied { source people { id existing } citations } } }";

/// A fresh SQLite file, removed on drop.
struct TempDatabase {
    path: PathBuf,
}

impl TempDatabase {
    fn new() -> Self {
        Self {
            path: std::env::temp_dir().join(format!(
                "gazette_sigterm_{}.db",
                uuid::Uuid::now_v7().simple()
            )),
        }
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

async fn people(url: &str) -> i64 {
    let db = sea_orm::Database::connect(url).await.unwrap();
    let row = sea_orm::ConnectionTrait::query_one_raw(
        &db,
        sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "SELECT count(*) AS n FROM person",
        ),
    )
    .await
    .unwrap()
    .unwrap();
    let _ = db.close().await;
    row.try_get::<i64>("", "n").unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_in_flight_requests_finish_and_exits_zero() {
    let database = TempDatabase::new();
    let url = database.url();
    let file = database.path.with_extension("txt");
    std::fs::write(&file, article(POPULATION, 0)).unwrap();
    let output = gazette()
        .arg("ingest")
        .arg(&file)
        .args(["--apply", "--database-url", &url])
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&file);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let editor = token(&url, "editor", "sigterm test");
    // The drain is what is tested, with the default shutdown timeout; the request timeout and
    // a write's wait for SQLite's write lock (the second apply queues behind the first) are
    // raised from 10 s and 5 s so that a loaded machine does not turn an apply into a 503.
    let mut server = Server::start(
        &url,
        &[
            "--request-timeout-secs",
            "60",
            "--db-acquire-timeout-ms",
            "60000",
        ],
    );
    let address = server.address;

    // An idle keep-alive connection: one request answered, the connection left open.
    let mut idle = TcpStream::connect(address).await.unwrap();
    idle.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {address}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut head = vec![0; 1024];
    let n = idle.read(&mut head).await.unwrap();
    assert!(
        String::from_utf8_lossy(&head[..n]).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&head[..n])
    );

    // The in-flight requests: the export, then two article applies. Each is sent well before
    // the signal: a request whose bytes have reached the server but which it has not begun to
    // read when the signal arrives is dropped with its connection, as with any server.
    let export = {
        let authorization = format!("Bearer {editor}");
        tokio::spawn(async move {
            let sent = Instant::now();
            let response = request(
                address,
                "GET",
                "/export/popolo.json",
                &[("Authorization", &authorization)],
                b"",
                Duration::from_secs(60),
            )
            .await;
            (sent, response, Instant::now())
        })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut writes = Vec::new();
    for round in 1..=2 {
        let editor = editor.clone();
        let text = article(ARTICLE, round);
        writes.push(tokio::spawn(async move {
            let sent = Instant::now();
            let response = graphql(
                address,
                INGEST,
                json!({ "text": text }),
                Some(&editor),
                Duration::from_secs(60),
            )
            .await;
            (sent, response, Instant::now())
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    let signalled = Instant::now();
    server.terminate();
    // New connections are refused while the in-flight requests are still running.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let refused = TcpStream::connect(address).await;
    assert!(
        refused.is_err(),
        "a new connection was accepted after SIGTERM"
    );
    assert!(
        writes.iter().any(|write| !write.is_finished()),
        "the writes were answered before new connections were tried"
    );
    // The idle keep-alive connection is closed, not waited for.
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), idle.read_to_end(&mut rest)).await;
    assert!(
        closed.is_ok(),
        "the idle keep-alive connection was left open"
    );

    let mut last_answer = signalled;
    let mut report = Vec::new();
    for write in writes {
        let (sent, response, answered) = write.await.unwrap();
        let response = response.unwrap();
        let body = response.json();
        assert_eq!(response.status, 200, "{body}");
        assert!(body.get("errors").is_none(), "{body}");
        let people = body["data"]["ingestArticle"]["applied"]["people"]
            .as_array()
            .unwrap();
        assert_eq!(people.len(), ARTICLE, "{body}");
        assert!(people.iter().all(|p| p["existing"] == false));
        assert!(sent < signalled && answered > signalled);
        last_answer = last_answer.max(answered);
        report.push(format!(
            "an article apply sent {:?} before the signal was answered {:?} after it",
            signalled - sent,
            answered - signalled
        ));
    }
    let (sent, response, answered) = export.await.unwrap();
    let response = response.unwrap();
    assert_eq!(
        response.status,
        200,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    // The whole body (its length matched Content-Length) and valid JSON with every person.
    let persons = response.json()["persons"].as_array().map(Vec::len);
    assert!(
        persons.is_some_and(|n| n >= POPULATION),
        "{persons:?} persons in the export"
    );
    assert!(
        sent < signalled && answered > signalled,
        "the export was answered {:?} before the signal",
        signalled.saturating_duration_since(answered)
    );
    last_answer = last_answer.max(answered);
    report.push(format!(
        "the export ({} bytes) sent {:?} before the signal was answered {:?} after it",
        response.body.len(),
        signalled - sent,
        answered - signalled
    ));

    let status = server
        .wait_for_exit(Duration::from_secs(30))
        .unwrap_or_else(|| panic!("still running 30 s after SIGTERM:\n{}", server.log()));
    let exited = Instant::now();
    assert!(status.success(), "exit status {status}:\n{}", server.log());
    assert!(
        exited - last_answer <= EXIT_AFTER_DRAIN,
        "exited {:?} after the last in-flight answer",
        exited - last_answer
    );
    assert!(server.log().contains("shutting down"), "{}", server.log());

    // What the applies wrote is stored.
    assert_eq!(
        people(&url).await,
        i64::try_from(POPULATION + 2 * ARTICLE).unwrap()
    );
    let verify = gazette()
        .args(["audit", "verify", "--database-url", &url])
        .output()
        .unwrap();
    assert!(verify.status.success());
    for line in report {
        eprintln!("{line}");
    }
    eprintln!(
        "exited with {status} {:?} after the signal, {:?} after the last answer",
        exited - signalled,
        exited - last_answer
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_never_finishes_holds_the_exit_only_until_the_shutdown_timeout() {
    let database = TempDatabase::new();
    let mut server = Server::start(&database.url(), &["--shutdown-timeout-secs", "2"]);
    let address = server.address;
    // A request whose body never arrives in full: its handler waits for the rest.
    let mut stuck = TcpStream::connect(address).await.unwrap();
    stuck
        .write_all(
            format!(
                "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
                 Content-Length: 100\r\n\r\n{{\"query\":"
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let signalled = Instant::now();
    server.terminate();
    let status = server
        .wait_for_exit(Duration::from_secs(30))
        .unwrap_or_else(|| panic!("still running 30 s after SIGTERM:\n{}", server.log()));
    let took = signalled.elapsed();
    assert!(status.success(), "exit status {status}:\n{}", server.log());
    // It waited for the request, then gave up on it after the timeout.
    assert!(
        took >= Duration::from_millis(1900) && took <= Duration::from_secs(6),
        "exited {took:?} after the signal"
    );
    assert!(
        server
            .log()
            .contains("requests still in flight after the shutdown timeout"),
        "{}",
        server.log()
    );
    eprintln!("exited with {status} {took:?} after the signal (--shutdown-timeout-secs 2)");
    drop(stuck);
}
