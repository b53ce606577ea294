//! A SQLite file under 30 seconds of 16 concurrent clients mixing reads and writes through the
//! API: no "database is locked" (or any other error) reaches a client, and the rows written
//! equal the successful write responses — nothing lost, nothing doubled.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use gazette_storage::{PageRequest, PersonFilter};
use gazette_tests::{TestDatabase, TestServer};
use serde_json::json;

const CLIENTS: u64 = 16;
const RUN_FOR: Duration = Duration::from_secs(30);
const GIVEN: [&str; 8] = ["An", "Bình", "Chi", "Dũng", "Hà", "Lan", "Minh", "Nga"];

/// `n` written with the letters a–z (0 is "a", 26 is "ba").
fn letters(mut n: u64) -> String {
    let mut out = Vec::new();
    loop {
        out.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            break;
        }
    }
    out.iter().rev().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_clients_for_thirty_seconds_lose_nothing_and_see_no_lock_error() {
    let test_db = TestDatabase::sqlite().await;
    let server = Arc::new(TestServer::start(test_db.db.clone()).await);
    let writes = Arc::new(AtomicU64::new(0));
    let reads = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let server = Arc::clone(&server);
        let writes = Arc::clone(&writes);
        let reads = Arc::clone(&reads);
        clients.push(tokio::spawn(async move {
            let mut round = 0u64;
            while started.elapsed() < RUN_FOR {
                round += 1;
                // Half the clients write every other round; the rest only read.
                if client.is_multiple_of(2) && round.is_multiple_of(2) {
                    // Names take letters only: the client and round are spelt in letters.
                    let name = format!(
                        "Nguyễn Văn {} {} {}",
                        GIVEN[(round % 8) as usize],
                        letters(client),
                        letters(round)
                    );
                    let response = server
                        .graphql(
                            "mutation($name: String!) { createPerson(input: {person: {name: $name}}) { person { id } } }",
                            json!({ "name": name }),
                            Some(&server.editor),
                        )
                        .await;
                    let body = response.json();
                    assert_eq!(response.status, 200, "{body}");
                    assert!(body.get("errors").is_none(), "a write failed: {body}");
                    writes.fetch_add(1, Ordering::Relaxed);
                } else {
                    let response = server
                        .graphql("{ people(name: \"nguyen\", first: 20) { edges { node { name } } } }", json!({}), None)
                        .await;
                    let body = response.json();
                    assert_eq!(response.status, 200, "{body}");
                    assert!(body.get("errors").is_none(), "a read failed: {body}");
                    reads.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for client in clients {
        client.await.unwrap();
    }
    let written = writes.load(Ordering::Relaxed);
    assert!(written > 50, "only {written} writes in {RUN_FOR:?}");
    // Count the rows, a page of 100 at a time.
    let mut stored = 0u64;
    let mut page = PageRequest::first(100);
    loop {
        let result = server
            .db
            .people(&PersonFilter::default(), &page)
            .await
            .unwrap();
        stored += result.edges.len() as u64;
        match (result.has_next_page, result.edges.last()) {
            (true, Some(last)) => page = PageRequest::after(100, last.cursor.clone()),
            _ => break,
        }
    }
    assert_eq!(
        stored, written,
        "rows written must equal successful write responses"
    );
    eprintln!(
        "{written} writes and {} reads in {:?}",
        reads.load(Ordering::Relaxed),
        started.elapsed()
    );
    match Arc::try_unwrap(server) {
        Ok(server) => server.stop(),
        Err(_) => panic!("a client still holds the server"),
    }
    test_db.finish().await;
}
