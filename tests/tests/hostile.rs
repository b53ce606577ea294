//! The hostile-input suite: malformed, oversized and malicious requests against the real
//! gateway over a real socket. Every one gets the right 4xx status and `extensions.code`, is
//! answered within a time bound, and the heaviest ones (a 100 MB body, 10 000 aliases, depth
//! 1000, a batch of 1000 operations) leave the server answering a normal query meanwhile, with
//! memory bounded.
//!
//! Run it with `cargo test -p gazette-tests --test hostile` (add
//! `GAZETTE_TEST_DATABASE_URL=postgres://...` for PostgreSQL too); docs/security.md lists what
//! it covers.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use std::future::Future;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use gazette_gateway::schema::QueryLimits;
use gazette_gateway::server::HttpSettings;
use gazette_storage::{Database, PageRequest};
use gazette_tests::{HttpResponse, TestDatabase, TestServer, request};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Every hostile request must be answered within this.
const ANSWER_WITHIN: Duration = Duration::from_secs(8);

/// A normal query sent while a hostile one is in flight must be answered within this.
const PROBE_WITHIN: Duration = Duration::from_secs(5);

fn json_headers() -> Vec<(String, String)> {
    vec![
        ("Content-Type".to_owned(), "application/json".to_owned()),
        (
            "Accept".to_owned(),
            "application/graphql-response+json".to_owned(),
        ),
    ]
}

/// Posts raw bytes as `application/json`.
async fn post(address: SocketAddr, body: &[u8]) -> HttpResponse {
    request(address, "POST", "/graphql", &json_headers(), body).await
}

/// Posts a GraphQL document with variables (and an operation name).
async fn post_query(
    address: SocketAddr,
    query: &str,
    variables: Value,
    operation_name: Option<&str>,
) -> HttpResponse {
    let mut body = json!({ "query": query, "variables": variables });
    if let Some(name) = operation_name {
        body["operationName"] = json!(name);
    }
    post(address, body.to_string().as_bytes()).await
}

/// Awaits `future`, failing the test when it takes longer than [`ANSWER_WITHIN`].
async fn timed<T>(what: &str, future: impl Future<Output = T>) -> T {
    let started = Instant::now();
    match tokio::time::timeout(ANSWER_WITHIN, future).await {
        Ok(value) => value,
        Err(_) => panic!(
            "{what}: not answered within {ANSWER_WITHIN:?} ({:?})",
            started.elapsed()
        ),
    }
}

/// Runs `hostile` while probing the server with normal queries; the probes must all be answered
/// (200, the version) within [`PROBE_WITHIN`] each, and `hostile` within [`ANSWER_WITHIN`].
async fn meanwhile<T>(what: &str, address: SocketAddr, hostile: impl Future<Output = T>) -> T {
    let hostile_done = std::sync::atomic::AtomicBool::new(false);
    let probes = async {
        // Let the hostile request start first.
        tokio::time::sleep(Duration::from_millis(20)).await;
        let mut answered = 0;
        loop {
            let started = Instant::now();
            let probe = tokio::time::timeout(
                PROBE_WITHIN,
                post(address, br#"{"query":"query Probe { version }"}"#),
            )
            .await
            .unwrap_or_else(|_| panic!("{what}: a normal query waited over {PROBE_WITHIN:?}"));
            assert_eq!(probe.status, 200, "{what}: probe: {}", probe.text());
            assert_eq!(probe.json()["data"]["version"], env!("CARGO_PKG_VERSION"));
            assert!(started.elapsed() < PROBE_WITHIN);
            answered += 1;
            if hostile_done.load(std::sync::atomic::Ordering::SeqCst) || answered >= 20 {
                break answered;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    let hostile = async {
        let value = timed(what, hostile).await;
        hostile_done.store(true, std::sync::atomic::Ordering::SeqCst);
        value
    };
    let (value, answered) = tokio::join!(hostile, probes);
    assert!(answered >= 1, "{what}: no probe answered");
    value
}

/// Asserts a request-level error: `status`, no `data`, `extensions.code` and a request id.
#[track_caller]
fn assert_refused(what: &str, response: &HttpResponse, status: u16, code: &str) -> Value {
    let body = response.json();
    assert_eq!(response.status, status, "{what}: {body}");
    assert!(body.get("data").is_none(), "{what}: no data: {body}");
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], code, "{what}: {body}");
    assert!(
        error["extensions"]["requestId"].is_string(),
        "{what}: {body}"
    );
    assert!(error["message"].is_string(), "{what}: {body}");
    body
}

/// Asserts a field error on a mutation or query that ran (200, `data` present, the code).
#[track_caller]
fn assert_field_error(what: &str, response: &HttpResponse, code: &str) -> Value {
    let body = response.json();
    assert_eq!(response.status, 200, "{what}: {body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], code,
        "{what}: {body}"
    );
    assert!(
        body["errors"][0]["extensions"]["requestId"].is_string(),
        "{what}: {body}"
    );
    body
}

/// The resident set size of this process, in KiB (Linux).
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// How many audit entries (so, writes) the database holds.
async fn writes(db: &Database) -> u64 {
    db.verify_audit_chain().await.unwrap().entries
}

const CREATE_PERSON: &str = "mutation($name: String!) {
    createPerson(input: {person: {name: $name}}) { person { id name } } }";
const CREATE_ORGANIZATION: &str = "mutation($o: OrganizationFields!) {
    createOrganization(input: {organization: $o}) { organization { id name abbreviation } } }";

// --- Malformed requests -----------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_json_is_400_bad_user_input() {
    let test_db = TestDatabase::sqlite().await;
    let server = TestServer::start(test_db.db.clone()).await;
    let deep_array = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_variables = format!(
        r#"{{"query":"{{ version }}","variables":{{"x":{}1{}}}}}"#,
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty body", b"".to_vec()),
        ("not JSON", b"{not json".to_vec()),
        ("truncated", br#"{"query": "{ version }""#.to_vec()),
        ("trailing garbage", br#"{"query":"{ version }"} x"#.to_vec()),
        ("a string", br#""{ version }""#.to_vec()),
        ("a number", b"42".to_vec()),
        ("null", b"null".to_vec()),
        ("no query", b"{}".to_vec()),
        ("query is a number", br#"{"query": 42}"#.to_vec()),
        (
            "variables is a list",
            br#"{"query":"{ version }","variables":[1]}"#.to_vec(),
        ),
        ("100 000 nested arrays", deep_array.into_bytes()),
        ("variables nested 5000 deep", deep_variables.into_bytes()),
    ];
    for (what, body) in cases {
        let response = timed(what, post(server.address, &body)).await;
        assert_refused(what, &response, 400, "BAD_USER_INPUT");
    }
    server.stop();
    test_db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_graphql_is_400_bad_user_input() {
    let test_db = TestDatabase::sqlite().await;
    let server = TestServer::start(test_db.db.clone()).await;
    for query in [
        "",
        "   ",
        "{ version",
        "{ version }}",
        "query {",
        "{ \"unterminated }",
        "query ($: Int) { version }",
        "{ ... on }",
        "fragment F on Query { version }",
        "{ version(,) }",
        "\u{feff}{ version } garbage",
        "{ version } { version }",
        "query A { version } query A { version }",
        "subscription { version }",
    ] {
        let response = timed(query, post_query(server.address, query, json!({}), None)).await;
        assert_refused(query, &response, 400, "BAD_USER_INPUT");
    }
    server.stop();
    test_db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operation_name_that_does_not_exist_is_400() {
    let test_db = TestDatabase::sqlite().await;
    let server = TestServer::start(test_db.db.clone()).await;
    for (query, name) in [
        ("query A { version } query B { version }", "C"),
        ("query A { version } query B { version }", ""),
        ("query A { version }", "B"),
        ("{ version }", "Anything"),
    ] {
        let what = format!("{query} as {name:?}");
        let response = timed(
            &what,
            post_query(server.address, query, json!({}), Some(name)),
        )
        .await;
        assert_refused(&what, &response, 400, "BAD_USER_INPUT");
    }
    // Two named operations and no name: which one is ambiguous.
    let response = post_query(
        server.address,
        "query A { version } query B { version }",
        json!({}),
        None,
    )
    .await;
    assert_refused("no operation name", &response, 400, "BAD_USER_INPUT");
    server.stop();
    test_db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn variables_of_the_wrong_type_are_400() {
    let test_db = TestDatabase::sqlite().await;
    let server = TestServer::start(test_db.db.clone()).await;
    let people = "query($n: Int) { people(first: $n) { edges { cursor } } }";
    let by_id = "query($id: ID!) { person(id: $id) { name } }";
    let on = "query($d: Date) { people(on: $d) { edges { cursor } } }";
    // Each document is first answered with good values: a document that passed the full
    // validation once is validated more lightly afterwards, but never for a doubtful value.
    let nobody = gazette_gateway::schema::ids::global_id("Person", uuid::Uuid::now_v7());
    for (query, variables) in [
        (people, json!({ "n": 1 })),
        (by_id, json!({ "id": nobody })),
        (on, json!({ "d": "2021-01-01" })),
    ] {
        let response = post_query(server.address, query, variables, None).await;
        let body = response.json();
        assert_eq!(response.status, 200, "{query}: {body}");
        assert!(body.get("errors").is_none(), "{query}: {body}");
        let kept = gazette_gateway::schema::documents::parse(query).unwrap();
        assert!(kept.validated(), "{query}");
    }
    for (what, query, variables) in [
        ("a string for Int", people, json!({ "n": "ten" })),
        ("a float for Int", people, json!({ "n": 1.5 })),
        ("Int beyond 32 bits", people, json!({ "n": 1_u64 << 40 })),
        ("a list for Int", people, json!({ "n": [1] })),
        ("an object for ID", by_id, json!({ "id": { "a": 1 } })),
        ("null for ID!", by_id, json!({ "id": null })),
        ("missing ID!", by_id, json!({})),
        ("a number for Date", on, json!({ "d": 20210101 })),
        ("a bool for Date", on, json!({ "d": true })),
        ("a bad day for Date", on, json!({ "d": "2021-02-30" })),
        (
            "an unknown type",
            "query($x: Nope) { version }",
            json!({ "x": 1 }),
        ),
        (
            "an input type for an output type",
            "query($x: Person) { version }",
            json!({ "x": 1 }),
        ),
        (
            "an unknown input field",
            CREATE_PERSON,
            json!({ "name": { "nope": 1 } }),
        ),
    ] {
        let response = timed(what, post_query(server.address, query, variables, None)).await;
        assert_refused(what, &response, 400, "BAD_USER_INPUT");
    }
    server.stop();
    test_db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huge_and_negative_page_sizes_are_bad_user_input() {
    let test_db = TestDatabase::sqlite().await;
    let server = TestServer::start(test_db.db.clone()).await;
    // Out-of-range page sizes are refused by the field before any database work (a field
    // error, 200); a literal beyond 32 bits fails validation (400).
    for (what, query, status) in [
        (
            "first: 99999999",
            "{ people(first: 99999999) { edges { cursor } } }",
            200,
        ),
        (
            "last: 99999999",
            "{ people(last: 99999999) { edges { cursor } } }",
            200,
        ),
        (
            "first: -1",
            "{ people(first: -1) { edges { cursor } } }",
            200,
        ),
        (
            "first beyond Int",
            "{ people(first: 99999999999) { edges { cursor } } }",
            400,
        ),
    ] {
        let response = timed(what, post_query(server.address, query, json!({}), None)).await;
        let body = response.json();
        assert_eq!(response.status, status, "{what}: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{what}: {body}"
        );
        assert!(
            body.get("data").is_none_or(|data| data["people"].is_null()),
            "{what}: {body}"
        );
        if status == 200 {
            assert!(
                body["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains("between 1 and 100"),
                "{what}: {body}"
            );
        }
    }
    // Through a variable, too.
    let response = post_query(
        server.address,
        "query($n: Int) { people(first: $n) { edges { cursor } } }",
        json!({ "n": 99_999_999 }),
        None,
    )
    .await;
    assert_eq!(
        response.json()["errors"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
    server.stop();
    test_db.finish().await;
}

// --- Expensive documents ------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_nested_1000_deep_is_refused_quickly() {
    let test_db = TestDatabase::sqlite().await;
    let server = TestServer::start(test_db.db.clone()).await;
    // Plain nesting: the parser's recursion limit stops it.
    let nested = format!("{}{}", "{ a ".repeat(1000), "}".repeat(1000));
    let response = meanwhile(
        "depth 1000",
        server.address,
        post_query(server.address, &nested, json!({}), None),
    )
    .await;
    assert_refused("depth 1000", &response, 400, "BAD_USER_INPUT");

    // Real fields through a chain of 1000 fragments, each a level deeper.
    let mut document = String::from("{ ...F0 }\n");
    for i in 0..1000 {
        document.push_str(&format!(
            "fragment F{i} on Query {{ people {{ edges {{ node {{ __typename }} }} }} ...F{} }}\n",
            i + 1
        ));
    }
    document.push_str("fragment F1000 on Query { version }\n");
    let response = meanwhile(
        "1000 chained fragments",
        server.address,
        post_query(server.address, &document, json!({}), None),
    )
    .await;
    assert_refused("1000 chained fragments", &response, 400, "BAD_USER_INPUT");

    // Self-nesting lists in an argument value.
    let list = format!(
        "{{ people(name: {}\"a\"{}) {{ edges {{ cursor }} }} }}",
        "[".repeat(1000),
        "]".repeat(1000)
    );
    let response = timed(
        "nested list argument",
        post_query(server.address, &list, json!({}), None),
    )
    .await;
    assert_refused("nested list argument", &response, 400, "BAD_USER_INPUT");
    server.stop();
    test_db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_aliases_are_refused_quickly() {
    let test_db = TestDatabase::sqlite().await;
    let server = TestServer::start(test_db.db.clone()).await;
    let mut root = String::from("{");
    let mut nested = String::from("{ people(first: 1) { edges {");
    for i in 0..10_000 {
        root.push_str(&format!(" a{i}: version"));
        nested.push_str(&format!(" c{i}: cursor"));
    }
    root.push_str(" }");
    nested.push_str(" } } }");
    for (what, document) in [("10k root aliases", root), ("10k nested aliases", nested)] {
        let response = meanwhile(
            what,
            server.address,
            post_query(server.address, &document, json!({}), None),
        )
        .await;
        let body = assert_refused(what, &response, 400, "BAD_USER_INPUT");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("aliases"),
            "{what}: {body}"
        );
    }
    server.stop();
    test_db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_root_fields_are_refused() {
    let test_db = TestDatabase::sqlite().await;
    let server = TestServer::start(test_db.db.clone()).await;
    for (what, field) in [
        ("1000 × version", "version"),
        ("1000 × __typename", "__typename"),
        (
            "1000 × people",
            "people(first: 100) { edges { node { name } } }",
        ),
    ] {
        let document = format!("{{ {} }}", vec![field; 1000].join(" "));
        let response = meanwhile(
            what,
            server.address,
            post_query(server.address, &document, json!({}), None),
        )
        .await;
        let body = assert_refused(what, &response, 400, "BAD_USER_INPUT");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("root fields"),
            "{what}: {body}"
        );
    }
    server.stop();
    test_db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_of_a_thousand_operations_is_refused() {
    let test_db = TestDatabase::sqlite().await;
    let one = json!({ "query": "{ people(first: 100) { edges { node { name } } } }" });
    let batch = Value::Array(vec![one; 1000]).to_string();
    for allow_batching in [false, true] {
        let settings = HttpSettings {
            allow_batching,
            ..HttpSettings::default()
        };
        let server =
            TestServer::start_with(test_db.db.clone(), QueryLimits::default(), settings).await;
        let what = format!("batch of 1000 (batching allowed: {allow_batching})");
        let response = meanwhile(
            &what,
            server.address,
            post(server.address, batch.as_bytes()),
        )
        .await;
        let body = assert_refused(&what, &response, 400, "BAD_USER_INPUT");
        let message = body["errors"][0]["message"].as_str().unwrap();
        if allow_batching {
            assert!(message.contains("1 to 10 operations"), "{message}");
        } else {
            assert!(message.contains("disabled"), "{message}");
        }
        server.stop();
    }
    test_db.finish().await;
}

// --- Oversized bodies -----------------------------------------------------------------------

/// Streams a body of `total` bytes (a JSON prefix, then `a`s) from a reused 64 KiB buffer,
/// with `Content-Length` or chunked, reading the response while writing. Returns the status
/// and the body of the response.
async fn stream_body(address: SocketAddr, total: usize, chunked: bool) -> (u16, Vec<u8>) {
    let stream = TcpStream::connect(address).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let framing = if chunked {
        "Transfer-Encoding: chunked\r\n".to_owned()
    } else {
        format!("Content-Length: {total}\r\n")
    };
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Connection: close\r\n{framing}\r\n"
    );
    let writing = tokio::spawn(async move {
        writer.write_all(head.as_bytes()).await?;
        let mut chunk = vec![b'a'; 64 * 1024];
        let prefix = br#"{"query":"{ version }","variables":{"x":""#;
        chunk[..prefix.len()].copy_from_slice(prefix);
        let mut sent = 0;
        while sent < total {
            if chunked {
                writer
                    .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                    .await?;
            }
            writer.write_all(&chunk).await?;
            if chunked {
                writer.write_all(b"\r\n").await?;
            }
            sent += chunk.len();
            chunk[..prefix.len()].fill(b'a');
        }
        if chunked {
            writer.write_all(b"0\r\n\r\n").await?;
        }
        Ok::<usize, std::io::Error>(sent)
    });
    let mut raw = Vec::new();
    let _ = reader.read_to_end(&mut raw).await;
    writing.abort();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {} bytes", raw.len()));
    let status = String::from_utf8_lossy(&raw[..split])
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, raw[split + 4..].to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_100_mb_body_is_413_without_being_read_into_memory() {
    let test_db = TestDatabase::sqlite().await;
    let server = TestServer::start(test_db.db.clone()).await;
    for chunked in [false, true] {
        let what = if chunked {
            "100 MB chunked body"
        } else {
            "100 MB body with Content-Length"
        };
        let before = rss_kib();
        let (status, body) = meanwhile(
            what,
            server.address,
            stream_body(server.address, 100 * 1024 * 1024, chunked),
        )
        .await;
        assert_eq!(status, 413, "{what}: {}", String::from_utf8_lossy(&body));
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("exceeds 1048576 bytes")
        );
        if let (Some(before), Some(after)) = (before, rss_kib()) {
            // Other tests of this file run in the same process; 64 MiB leaves them room and is
            // still far below the 100 MB a buffered body would take.
            assert!(
                after.saturating_sub(before) < 64 * 1024,
                "{what}: memory grew from {before} KiB to {after} KiB"
            );
        }
    }
    server.stop();
    test_db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_giant_query_string_just_under_the_body_limit_is_answered_in_time() {
    let test_db = TestDatabase::sqlite().await;
    let server = TestServer::start(test_db.db.clone()).await;
    // 900 KB of comments and whitespace around one field: legal, and cheap to parse.
    let padded = format!("{}{{ version }}", "# padding\n".repeat(90_000));
    let response = meanwhile(
        "900 KB of comments",
        server.address,
        post_query(server.address, &padded, json!({}), None),
    )
    .await;
    assert_eq!(response.status, 200, "{}", response.text());
    // 900 KB of tokens: a giant string literal in an argument.
    let literal = format!(
        "{{ people(name: \"{}\") {{ edges {{ cursor }} }} }}",
        "a".repeat(900_000)
    );
    let response = meanwhile(
        "900 KB string literal",
        server.address,
        post_query(server.address, &literal, json!({}), None),
    )
    .await;
    let body = response.json();
    assert!(
        response.status == 200 || response.status == 400,
        "{}",
        response.status
    );
    assert!(
        response.body.len() < 16 * 1024,
        "the answer does not echo the giant value: {} bytes",
        response.body.len()
    );
    if body.get("errors").is_some() {
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    }
    server.stop();
    test_db.finish().await;
}

// --- Bytes and characters -----------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_utf8_is_400_or_401() {
    let test_db = TestDatabase::sqlite().await;
    let server = TestServer::start(test_db.db.clone()).await;
    let mut in_string = br#"{"query":"{ version }","variables":{"x":""#.to_vec();
    in_string.extend_from_slice(b"\xff\xfe\xc0\xaf");
    in_string.extend_from_slice(br#""}}"#);
    let mut in_query = br#"{"query":"{ vers"#.to_vec();
    in_query.extend_from_slice(b"\xed\xa0\x80");
    in_query.extend_from_slice(br#"ion }"}"#);
    for (what, body) in [
        ("invalid bytes in a variable", in_string),
        ("an encoded surrogate in the query", in_query),
        (
            "a lone surrogate escape",
            br#"{"query":"{ version }","variables":{"x":"\ud800"}}"#.to_vec(),
        ),
        ("a bare 0xFF", b"\xff".to_vec()),
    ] {
        let response = timed(what, post(server.address, &body)).await;
        assert_refused(what, &response, 400, "BAD_USER_INPUT");
    }
    // In a GET query string.
    let response = request(server.address, "GET", "/graphql?query=%7B%FF%7D", &[], b"").await;
    assert_refused("invalid UTF-8 in GET", &response, 400, "BAD_USER_INPUT");
    // In the Authorization header: refused as a malformed token.
    let mut raw_request = format!(
        "POST /graphql HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 23\r\nAuthorization: Bearer gzt_",
        server.address
    )
    .into_bytes();
    raw_request.extend_from_slice(b"\xff\xfe\r\n\r\n{\"query\":\"{ version }\"}");
    let mut stream = TcpStream::connect(server.address).await.unwrap();
    stream.write_all(&raw_request).await.unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    let text = String::from_utf8_lossy(&raw);
    assert!(
        text.starts_with("HTTP/1.1 401"),
        "an Authorization header that is not UTF-8: {text}"
    );
    assert!(text.contains("UNAUTHENTICATED"), "{text}");
    server.stop();
    test_db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_characters_and_nul_are_bad_user_input_and_write_nothing() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let before = writes(&server.db).await;
        // NUL is refused for the whole request, before anything runs: PostgreSQL could not
        // even compare it.
        for name in ["Nguyễn\u{0}Văn A", "\u{0}"] {
            let what = format!("person {name:?}");
            let response = timed(
                &what,
                server.graphql(CREATE_PERSON, json!({ "name": name }), Some(&server.editor)),
            )
            .await;
            let body = assert_refused(&what, &response, 400, "BAD_USER_INPUT");
            assert!(
                body["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains("NUL"),
                "{body}"
            );
        }
        let literal = "mutation { createPerson(input: {person: {name: \"Nguyễn\\u0000Văn A\"}}) { person { id } } }";
        let response = server
            .graphql(literal, json!({}), Some(&server.editor))
            .await;
        assert_refused("NUL in a literal", &response, 400, "BAD_USER_INPUT");
        // Other control characters reach the domain, whose text values refuse them.
        for name in [
            "Trần Việt\u{1b}[31m Trường",
            "Phạm Văn\u{7} Hiểu",
            "Lê Văn\u{7f} Tám",
        ] {
            let what = format!("person {name:?}");
            let response = timed(
                &what,
                server.graphql(CREATE_PERSON, json!({ "name": name }), Some(&server.editor)),
            )
            .await;
            let body = assert_field_error(&what, &response, "BAD_USER_INPUT");
            assert!(body["data"].is_null(), "{what}: {body}");
        }
        for (what, fields) in [
            (
                "a bell in an organization's name",
                json!({ "name": "Ủy ban\u{7}nhân dân", "classification": "PEOPLES_COMMITTEE" }),
            ),
            (
                "escape in an abbreviation",
                json!({ "name": "Ủy ban nhân dân", "abbreviation": "UB\u{1b}ND", "classification": "PEOPLES_COMMITTEE" }),
            ),
            (
                "an escape in an identifier",
                json!({ "name": "Ủy ban nhân dân", "classification": "PEOPLES_COMMITTEE",
                        "identifiers": [{ "scheme": "x", "identifier": "a\u{1b}b" }] }),
            ),
        ] {
            let response = timed(
                what,
                server.graphql(
                    CREATE_ORGANIZATION,
                    json!({ "o": fields }),
                    Some(&server.editor),
                ),
            )
            .await;
            assert_field_error(what, &response, "BAD_USER_INPUT");
        }
        assert_eq!(writes(&server.db).await, before, "nothing was written");
        let people = server
            .data(
                "{ people(first: 100) { edges { cursor } } }",
                json!({}),
                None,
            )
            .await;
        assert_eq!(people["people"]["edges"], json!([]));

        // In search arguments: NUL is refused (it used to reach PostgreSQL and come back as an
        // internal error), other control characters simply match nothing.
        for (what, query) in [
            (
                "a person search",
                "query($s: String) { people(name: $s) { edges { cursor } } }",
            ),
            (
                "an organization search",
                "query($s: String) { organizations(name: $s) { edges { cursor } } }",
            ),
            (
                "a meeting search",
                "query($s: String) { meetings(title: $s) { edges { cursor } } }",
            ),
        ] {
            for text in ["a\u{0}b", "\u{0}"] {
                let what = format!("{text:?} in {what}");
                let response =
                    timed(&what, server.graphql(query, json!({ "s": text }), None)).await;
                assert_refused(&what, &response, 400, "BAD_USER_INPUT");
            }
            let what = format!("an escape in {what}");
            for text in ["a\u{1b}b", "\u{1b}"] {
                let response =
                    timed(&what, server.graphql(query, json!({ "s": text }), None)).await;
                let body = response.json();
                assert_eq!(response.status, 200, "{what}: {body}");
                if let Some(errors) = body.get("errors") {
                    // "has no letters or digits", for a person search of control characters only.
                    assert_eq!(errors[0]["extensions"]["code"], "BAD_USER_INPUT", "{body}");
                }
            }
        }
        let response = server
            .graphql(
                "{ meetings(title: \"a\\u0000\") { edges { cursor } } }",
                json!({}),
                None,
            )
            .await;
        assert_refused("NUL in a search literal", &response, 400, "BAD_USER_INPUT");
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_and_html_metacharacters_are_stored_and_returned_verbatim() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let name =
            "Ban Dân vận'); DROP TABLE person; -- <script>alert(\"x\")</script> & %_\\ ' OR '1'='1";
        let abbreviation = "<b>BDV</b> &amp; \"quoted\" `tick` $1 ?";
        let created = server
            .data(
                CREATE_ORGANIZATION,
                json!({ "o": { "name": name, "abbreviation": abbreviation,
                               "classification": "PARTY_BOARD" } }),
                Some(&server.editor),
            )
            .await;
        let id = created["createOrganization"]["organization"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let read = server
            .data(
                "query($id: ID!) { organization(id: $id) { name abbreviation } }",
                json!({ "id": id }),
                None,
            )
            .await;
        assert_eq!(read["organization"]["name"], name);
        assert_eq!(read["organization"]["abbreviation"], abbreviation);
        // Every table is still there.
        let people = server
            .data("{ people(first: 5) { edges { cursor } } }", json!({}), None)
            .await;
        assert!(people["people"]["edges"].is_array());

        // Searching with metacharacters: found by its own words, and LIKE wildcards or quotes
        // match nothing else.
        let search = "query($s: String) { organizations(name: $s) { edges { node { name } } } }";
        let found = server
            .data(search, json!({ "s": "ban dân vận'); drop" }), None)
            .await;
        assert_eq!(
            found["organizations"]["edges"][0]["node"]["name"], name,
            "{found}"
        );
        server
            .data(
                CREATE_ORGANIZATION,
                json!({ "o": { "name": "Ủy ban nhân dân thành phố", "classification": "PEOPLES_COMMITTEE" } }),
                Some(&server.editor),
            )
            .await;
        for pattern in ["%", "_", "%%", "' OR '1'='1", "\\", "!", "*"] {
            let result = server.graphql(search, json!({ "s": pattern }), None).await;
            let body = result.json();
            assert_eq!(result.status, 200, "{pattern}: {body}");
            let names: Vec<&str> = body["data"]["organizations"]["edges"]
                .as_array()
                .map(|edges| {
                    edges
                        .iter()
                        .filter_map(|e| e["node"]["name"].as_str())
                        .collect()
                })
                .unwrap_or_default();
            assert!(
                !names.contains(&"Ủy ban nhân dân thành phố"),
                "{pattern:?} matched an unrelated name: {body}"
            );
        }

        // A person's name admits letters only: metacharacters are refused, not mangled.
        let refused = server
            .graphql(
                CREATE_PERSON,
                json!({ "name": "Nguyễn <b>Văn</b> A'; --" }),
                Some(&server.editor),
            )
            .await;
        assert_field_error("markup in a name", &refused, "BAD_USER_INPUT");
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn impossible_dates_are_bad_user_input() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let before = writes(&server.db).await;
        let with_birth = "mutation($d: PartialDate) {
            createPerson(input: {person: {name: \"Trần Việt Trường\", birthDate: $d}}) { person { id } } }";
        for date in [
            "2021-02-30",
            "2021-02-29",
            "99999-01-01",
            "2021-13-01",
            "2021-00",
            "2021-01-00",
            "0000-01-01",
            "-0001-01-01",
            "+2021-01-01",
            "2021-1-1",
            "2021-01-01T00:00:00",
            "",
            "２０２１",
        ] {
            let what = format!("birth date {date:?}");
            let response = timed(
                &what,
                server.graphql(with_birth, json!({ "d": date }), Some(&server.editor)),
            )
            .await;
            // Refused at validation: nothing runs.
            assert_refused(&what, &response, 400, "BAD_USER_INPUT");
            // The same date as a literal in the document.
            let literal = format!(
                "mutation {{ createPerson(input: {{person: {{name: \"Trần Việt Trường\", \
                 birthDate: {}}}}}) {{ person {{ id }} }} }}",
                serde_json::to_string(date).unwrap()
            );
            let response = server
                .graphql(&literal, json!({}), Some(&server.editor))
                .await;
            assert_refused(&format!("literal {what}"), &response, 400, "BAD_USER_INPUT");
        }
        // Full dates too (the `on` of a search).
        for date in ["2021-02-30", "99999-01-01", "2021-02"] {
            let response = server
                .graphql(
                    "query($d: Date) { people(on: $d) { edges { cursor } } }",
                    json!({ "d": date }),
                    None,
                )
                .await;
            assert_refused(&format!("on {date}"), &response, 400, "BAD_USER_INPUT");
        }
        assert_eq!(writes(&server.db).await, before, "nothing was written");
        // A real leap day is fine.
        server
            .data(
                with_birth,
                json!({ "d": "2020-02-29" }),
                Some(&server.editor),
            )
            .await;
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decomposed_and_mixed_normalization_text_is_stored_composed() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        // "Nguyễn Văn Hòa" decomposed (NFD), and with the tone on the other vowel of "oa".
        let nfd = "Nguye\u{302}\u{303}n Va\u{306}n Ho\u{300}a";
        let created = server
            .data(CREATE_PERSON, json!({ "name": nfd }), Some(&server.editor))
            .await;
        let id = created["createPerson"]["person"]["id"].as_str().unwrap();
        let read = server
            .data(
                "query($id: ID!) { person(id: $id) { name } }",
                json!({ "id": id }),
                None,
            )
            .await;
        assert_eq!(read["person"]["name"], "Nguyễn Văn Hòa", "stored NFC");
        assert!(
            read["person"]["name"]
                .as_str()
                .unwrap()
                .chars()
                .all(|c| !('\u{300}'..='\u{36f}').contains(&c)),
            "no combining marks left"
        );
        // Found by every spelling: NFC, NFD, new-style tone placement, no diacritics.
        for query in [
            "Nguyễn Văn Hòa",
            nfd,
            "Nguyễn Văn Hoà",
            "nguyen van hoa",
            "NGUYÊ\u{303}N",
        ] {
            let found = server
                .data(
                    "query($s: String) { people(name: $s) { edges { node { name } } } }",
                    json!({ "s": query }),
                    None,
                )
                .await;
            assert_eq!(
                found["people"]["edges"][0]["node"]["name"], "Nguyễn Văn Hòa",
                "{query:?}: {found}"
            );
        }
        // An organization name in mixed forms is stored composed as well.
        let mixed = "U\u{309}y ban nha\u{302}n dân"; // "Ủy ban nhân dân", partly NFD
        let created = server
            .data(
                CREATE_ORGANIZATION,
                json!({ "o": { "name": mixed, "classification": "PEOPLES_COMMITTEE" } }),
                Some(&server.editor),
            )
            .await;
        assert_eq!(
            created["createOrganization"]["organization"]["name"],
            "Ủy ban nhân dân"
        );
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn giant_string_values_are_bad_user_input_and_not_echoed() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let before = writes(&server.db).await;
        let giant = "Nguyễn ".repeat(100_000); // 700 000 characters, under the body limit
        for (what, query, variables) in [
            (
                "a giant person name",
                CREATE_PERSON,
                json!({ "name": giant }),
            ),
            (
                "a giant organization name",
                CREATE_ORGANIZATION,
                json!({ "o": { "name": giant, "classification": "PEOPLES_COMMITTEE" } }),
            ),
            (
                "a giant malformed date",
                "mutation($d: PartialDate) { createPerson(input: {person: {name: \"Lê Văn Tám\", birthDate: $d}}) { person { id } } }",
                json!({ "d": "x".repeat(500_000) }),
            ),
            (
                "a giant date",
                "mutation($d: PartialDate) { createPerson(input: {person: {name: \"Lê Văn Tám\", birthDate: $d}}) { person { id } } }",
                json!({ "d": "2".repeat(500_000) }),
            ),
        ] {
            let response = meanwhile(
                what,
                server.address,
                server.graphql(query, variables, Some(&server.editor)),
            )
            .await;
            let body = response.json();
            assert_eq!(
                body["errors"][0]["extensions"]["code"],
                "BAD_USER_INPUT",
                "{what}: {}",
                response.text().chars().take(500).collect::<String>()
            );
            assert!(
                response.body.len() < 4096,
                "{what}: the answer echoes the value ({} bytes)",
                response.body.len()
            );
        }
        // Searching with a giant string: answered in time, small answer, no database error.
        for query in [
            "query($s: String) { people(name: $s) { edges { cursor } } }",
            "query($s: String) { organizations(name: $s) { edges { cursor } } }",
            "query($s: String) { meetings(title: $s) { edges { cursor } } }",
        ] {
            let response = meanwhile(
                query,
                server.address,
                server.graphql(query, json!({ "s": giant }), None),
            )
            .await;
            let body = response.json();
            assert_ne!(response.status, 500, "{query}");
            if let Some(errors) = body.get("errors") {
                assert_eq!(errors[0]["extensions"]["code"], "BAD_USER_INPUT", "{body}");
            }
            assert!(
                response.body.len() < 4096,
                "{query}: {} bytes",
                response.body.len()
            );
        }
        assert_eq!(writes(&server.db).await, before, "nothing was written");
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_request_never_changes_the_audit_log() {
    // Every hostile write above leaves the log as it was; the chain still verifies after them.
    let test_db = TestDatabase::sqlite().await;
    let server = TestServer::start(test_db.db.clone()).await;
    server
        .data(
            CREATE_PERSON,
            json!({ "name": "Trần Việt Trường" }),
            Some(&server.editor),
        )
        .await;
    for name in ["\u{0}", "<x>", &"a".repeat(5000)] {
        server
            .graphql(CREATE_PERSON, json!({ "name": name }), Some(&server.editor))
            .await;
    }
    let log = server
        .db
        .audit_log(&Default::default(), &PageRequest::first(50))
        .await
        .unwrap();
    assert_eq!(
        log.edges
            .iter()
            .filter(|e| e.node.entity_kind == "person")
            .count(),
        1
    );
    assert!(server.db.verify_audit_chain().await.unwrap().is_intact());
    server.stop();
    test_db.finish().await;
}
