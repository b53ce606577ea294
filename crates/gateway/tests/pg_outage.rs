//! PostgreSQL stopped under load and started again, with the real `gazette` binary in front of
//! it:
//!
//! * while the database is down, every request answers within [`FAIL_FAST`] with the code
//!   `UNAVAILABLE` (a write, whose token lookup is the first thing to fail, as HTTP 503; a read
//!   as HTTP 200 with the error on its field), and `/readyz` answers 503;
//! * within [`RECOVERY`] of the database's return the gateway serves again (a write is
//!   acknowledged, `/readyz` is 200), without being restarted;
//! * every write acknowledged at any time, before, during or after the outages, is stored;
//! * no request ever answers `INTERNAL`, and none goes unanswered.
//!
//! The outage is played twice: `pg_ctl stop -m fast` (sessions are told to end, a checkpoint is
//! written) and `-m immediate` (every server process quits at once, as in a crash; the restart
//! replays the write-ahead log).
//!
//! The shared PostgreSQL server other tests use is never stopped: the test starts a private one
//! (`initdb` and `pg_ctl` found through `pg_config --bindir`; as root, run as the `postgres`
//! user) in a temporary directory, on a free port. When it cannot, the test fails if
//! `GAZETTE_TEST_DATABASE_URL` is set (the suite is meant to run on PostgreSQL) and is skipped
//! otherwise. `cargo test -p gazette-gateway --test pg_outage -- --nocapture` prints the
//! figures.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

mod support;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use support::{PrivatePostgres, Server, graphql, letters, request, token};

/// The longest a request may take to fail while the database is down. The gateway waits for a
/// database connection for `--db-acquire-timeout-ms` (1 000 ms by default on PostgreSQL) and
/// then answers; the rest is margin for a loaded two-core machine.
const FAIL_FAST: Duration = Duration::from_secs(2);

/// How soon after PostgreSQL accepts connections again the gateway must serve (issue #8).
const RECOVERY: Duration = Duration::from_secs(5);

/// How long the database stays down in each outage.
const DOWN_FOR: Duration = Duration::from_secs(3);

/// Concurrent clients, each alternating a write and a read.
const CLIENTS: usize = 4;

const CREATE_PERSON: &str =
    "mutation($name: String!) { createPerson(input: {person: {name: $name}}) { person { id } } }";
const READ: &str = "{ people(first: 5) { edges { node { id name } } } }";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Write,
    Read,
}

/// What one request got.
#[derive(Debug, Clone)]
struct Outcome {
    kind: Kind,
    started: Instant,
    took: Duration,
    /// The HTTP status, or the transport error.
    status: Result<u16, String>,
    /// The first error's code.
    code: Option<String>,
    /// For an acknowledged write, the new person's id.
    acknowledged: Option<String>,
}

impl Outcome {
    fn ok(&self) -> bool {
        matches!(self.status, Ok(200)) && self.code.is_none()
    }
}

async fn client(
    address: SocketAddr,
    editor: String,
    number: usize,
    stop: Arc<AtomicBool>,
    outcomes: Arc<Mutex<Vec<Outcome>>>,
) {
    let mut i = 0;
    while !stop.load(Ordering::Relaxed) {
        for kind in [Kind::Write, Kind::Read] {
            let started = Instant::now();
            let response = match kind {
                Kind::Write => {
                    let name = format!("Nguyễn Văn Tải {}", letters(number * 1_000_000 + i));
                    graphql(
                        address,
                        CREATE_PERSON,
                        json!({ "name": name }),
                        Some(&editor),
                        Duration::from_secs(30),
                    )
                    .await
                }
                Kind::Read => {
                    graphql(address, READ, json!({}), None, Duration::from_secs(30)).await
                }
            };
            let took = started.elapsed();
            let outcome = match response {
                Ok(response) => {
                    let body = response.json();
                    Outcome {
                        kind,
                        started,
                        took,
                        status: Ok(response.status),
                        code: response.error_code(),
                        acknowledged: body["data"]["createPerson"]["person"]["id"]
                            .as_str()
                            .filter(|_| response.status == 200 && body.get("errors").is_none())
                            .map(str::to_owned),
                    }
                }
                Err(error) => Outcome {
                    kind,
                    started,
                    took,
                    status: Err(error),
                    code: None,
                    acknowledged: None,
                },
            };
            outcomes.lock().unwrap().push(outcome);
            i += 1;
        }
        // A short pause so that the clients leave the two cores some room for the server.
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// `/readyz`: the status (0 when it did not answer) and how long it took.
async fn readyz(address: SocketAddr) -> (u16, Duration) {
    let started = Instant::now();
    let status = request(address, "GET", "/readyz", &[], b"", Duration::from_secs(30))
        .await
        .map_or(0, |response| response.status);
    (status, started.elapsed())
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stopped_under_load_and_started_again() {
    let Some(postgres) = PrivatePostgres::start_or_skip("pg_outage") else {
        return;
    };
    let url = postgres.url();
    let editor = token(&url, "editor", "outage test");
    let mut server = Server::start(&url, &[]);
    let address = server.address;
    let pid = server.child.id();

    let stop = Arc::new(AtomicBool::new(false));
    let outcomes = Arc::new(Mutex::new(Vec::new()));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|number| {
            tokio::spawn(client(
                address,
                editor.clone(),
                number,
                Arc::clone(&stop),
                Arc::clone(&outcomes),
            ))
        })
        .collect();

    let mut report = Vec::new();
    for mode in ["fast", "immediate"] {
        // Healthy load first.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let before = Instant::now() - Duration::from_millis(1500);
        let acknowledged_before = outcomes
            .lock()
            .unwrap()
            .iter()
            .filter(|o| o.started >= before && o.acknowledged.is_some())
            .count();
        assert!(
            acknowledged_before > 0,
            "no write was acknowledged before the {mode} stop"
        );

        // Down.
        let stopping = Instant::now();
        tokio::task::block_in_place(|| postgres.stop_server(mode));
        let down = Instant::now();
        let mut probes = Vec::new();
        while down.elapsed() < DOWN_FOR {
            probes.push(readyz(address).await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let restarting = Instant::now();
        tokio::task::block_in_place(|| postgres.start_server()).unwrap();
        let up = Instant::now();

        // Recovery: /readyz 200 and a write acknowledged, each within RECOVERY of `up`.
        let mut ready_after = None;
        while up.elapsed() < RECOVERY + Duration::from_secs(5) {
            let (status, _) = readyz(address).await;
            if status == 200 {
                ready_after = Some(up.elapsed());
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut served_after = None;
        while up.elapsed() < RECOVERY + Duration::from_secs(5) {
            let first = outcomes
                .lock()
                .unwrap()
                .iter()
                .filter(|o| o.started >= up && o.acknowledged.is_some())
                .map(|o| o.started + o.took - up)
                .min();
            if first.is_some() {
                served_after = first;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // A little load after the return, before the next outage or the end.
        tokio::time::sleep(Duration::from_secs(1)).await;

        let all = outcomes.lock().unwrap().clone();
        // Requests made while the database was down (sent after it stopped, answered before
        // it was started again).
        let while_down: Vec<&Outcome> = all
            .iter()
            .filter(|o| o.started >= down && o.started + o.took <= restarting)
            .collect();
        assert!(
            while_down.len() >= CLIENTS,
            "too few requests while PostgreSQL was down ({mode}): {}; those sent after it \
             stopped: {:#?}",
            while_down.len(),
            all.iter()
                .filter(|o| o.started >= down)
                .map(|o| (o.kind, o.started - down, o.took, &o.status, &o.code))
                .collect::<Vec<_>>()
        );
        for outcome in &while_down {
            assert_eq!(
                outcome.code.as_deref(),
                Some("UNAVAILABLE"),
                "a request while PostgreSQL was down ({mode}): {outcome:?}"
            );
            let expected = match outcome.kind {
                Kind::Write => 503,
                Kind::Read => 200,
            };
            assert_eq!(outcome.status, Ok(expected), "{outcome:?}");
            assert!(
                outcome.took <= FAIL_FAST,
                "a request took {:?} to fail while PostgreSQL was down ({mode}); at most {FAIL_FAST:?}",
                outcome.took
            );
        }
        assert!(
            probes.iter().all(|&(status, _)| status == 503),
            "/readyz while PostgreSQL was down ({mode}): {probes:?}"
        );
        let slowest_probe = probes.iter().map(|&(_, took)| took).max().unwrap();
        assert!(
            slowest_probe <= FAIL_FAST,
            "/readyz took {slowest_probe:?} while PostgreSQL was down ({mode})"
        );
        let ready_after = ready_after.unwrap_or_else(|| {
            panic!(
                "/readyz not 200 within {RECOVERY:?} of PostgreSQL's return ({mode}):\n{}",
                server.log()
            )
        });
        let served_after = served_after.unwrap_or_else(|| {
            panic!(
                "no write acknowledged within {RECOVERY:?} of PostgreSQL's return ({mode}):\n{}",
                server.log()
            )
        });
        assert!(ready_after <= RECOVERY, "{ready_after:?} ({mode})");
        assert!(served_after <= RECOVERY, "{served_after:?} ({mode})");
        let slowest_down = while_down.iter().map(|o| o.took).max().unwrap();
        report.push(format!(
            "-m {mode}: stop took {:?}, start took {:?}; while down {} requests failed with \
             UNAVAILABLE, the slowest in {slowest_down:?}, /readyz 503 in at most \
             {slowest_probe:?} ({} probes); after the return /readyz was 200 in {ready_after:?} \
             and the first write acknowledged in {served_after:?}",
            down - stopping,
            up - restarting,
            while_down.len(),
            probes.len(),
        ));
    }
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.await.unwrap();
    }
    assert!(server.running(), "the gateway exited:\n{}", server.log());
    assert_eq!(server.child.id(), pid);

    let all = outcomes.lock().unwrap().clone();
    // Every request was answered, and no error was anything but UNAVAILABLE.
    for outcome in &all {
        assert!(outcome.status.is_ok(), "unanswered: {outcome:?}");
        assert!(
            outcome.ok() || outcome.code.as_deref() == Some("UNAVAILABLE"),
            "{outcome:?}\n{}",
            server.log()
        );
    }
    // Every acknowledged write is stored.
    let acknowledged: Vec<String> = all
        .iter()
        .filter_map(|o| o.acknowledged.as_deref().map(id_uuid))
        .collect();
    let raw = sea_orm::Database::connect(&url).await.unwrap();
    let rows = sea_orm::ConnectionTrait::query_all_raw(
        &raw,
        sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT id::text AS id FROM person",
        ),
    )
    .await
    .unwrap();
    let stored: std::collections::HashSet<String> = rows
        .iter()
        .map(|row| row.try_get::<String>("", "id").unwrap())
        .collect();
    let missing: Vec<&String> = acknowledged
        .iter()
        .filter(|id| !stored.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged writes are missing: {missing:?}",
        missing.len(),
        acknowledged.len()
    );
    let _ = raw.close().await;
    let failed = all.iter().filter(|o| !o.ok()).count();
    eprintln!(
        "{} requests: {} acknowledged writes (all stored; {} people in the table), {failed} \
         UNAVAILABLE, no other error",
        all.len(),
        acknowledged.len(),
        stored.len()
    );
    for line in report {
        eprintln!("{line}");
    }
}
