//! The GraphiQL playground at `/`: served entirely from the binary, with a policy that keeps
//! the browser on this server, and working in a real browser cut off from every other network.
//!
//! The browser test drives headless Chromium through chromedriver (the Debian packages
//! `chromium` and `chromium-driver`; `scripts/ensure-chromium` installs them) with
//! `tests/browser/playground.py`, a standard-library Python 3 WebDriver script. It fails, rather
//! than skips, when they are missing. `GAZETTE_CHROMIUM` and `GAZETTE_CHROMEDRIVER` point it at
//! other binaries. On failure the screenshot, HTML and logs are in
//! `target/tmp/playground-browser/`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use std::collections::BTreeMap;
use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gazette_gateway::schema::{self, QueryLimits};
use gazette_gateway::server::{self, HttpSettings};
use gazette_gateway::{auth, playground};
use gazette_storage::tokens::Role;
use gazette_storage::{Actor, Database, StorageOptions};
use serde_json::Value;

/// The real router on an ephemeral port, on its own runtime, with an editor token.
struct TestServer {
    address: SocketAddr,
    editor_token: String,
    _runtime: tokio::runtime::Runtime,
}

impl TestServer {
    fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (address, editor_token) = runtime.block_on(async {
            let db = Database::connect_and_migrate(&StorageOptions::new("sqlite::memory:"))
                .await
                .unwrap();
            let actor = Actor::new("test:playground").unwrap();
            let (_, token) = auth::create(&db, &actor, "playground browser test", Role::Editor)
                .await
                .unwrap();
            let state = server::AppState {
                schema: schema::build(db.clone(), QueryLimits::default()),
                db,
                settings: Arc::new(HttpSettings::default()),
                metrics: Arc::default(),
                shared_loads: gazette_gateway::schema::loaders::SharedLoads::default(),
            };
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let address = listener.local_addr().unwrap();
            tokio::spawn(
                async move { axum::serve(listener, server::router(state)).await.unwrap() },
            );
            (address, token)
        });
        Self {
            address,
            editor_token,
            _runtime: runtime,
        }
    }

    fn origin(&self) -> String {
        format!("http://{}", self.address)
    }
}

/// An HTTP response, headers keyed in lower case.
struct Reply {
    status: u16,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

/// A blocking HTTP/1.0 GET (the server then closes the connection after one plain body).
fn get(address: SocketAddr, path: &str) -> Reply {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {address}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

#[test]
fn the_playground_page_lets_the_browser_load_nothing_from_other_origins() {
    let server = TestServer::start();
    let page = get(server.address, "/");
    assert_eq!(page.status, 200);
    assert_eq!(page.headers["content-type"], "text/html; charset=utf-8");
    let policy = &page.headers["content-security-policy"];
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",
    ] {
        assert!(
            policy.contains(directive),
            "the policy {policy:?} lacks {directive:?}"
        );
    }
    assert_eq!(policy, playground::CONTENT_SECURITY_POLICY);

    let html = String::from_utf8(page.body).unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "the page names another origin:\n{html}"
    );
    assert!(
        !html.contains("<script>"),
        "the page has an inline script, which the policy forbids"
    );
    for file in [
        "graphiql.min.js",
        "graphiql.min.css",
        "react.production.min.js",
        "react-dom.production.min.js",
    ] {
        assert!(
            html.contains(&format!("/playground/{file}?v=")),
            "the page does not load {file}"
        );
    }
}

#[test]
fn playground_files_are_served_from_the_binary_with_their_types_and_cached_for_long() {
    let server = TestServer::start();
    let html = String::from_utf8(get(server.address, "/").body).unwrap();
    let expected_types = [
        ("graphiql.min.js", "text/javascript; charset=utf-8"),
        ("graphiql.min.css", "text/css; charset=utf-8"),
        ("react.production.min.js", "text/javascript; charset=utf-8"),
        (
            "react-dom.production.min.js",
            "text/javascript; charset=utf-8",
        ),
        ("gazette-playground.js", "text/javascript; charset=utf-8"),
        ("gazette-playground.css", "text/css; charset=utf-8"),
        ("THIRD-PARTY-NOTICES.txt", "text/plain; charset=utf-8"),
    ];
    assert_eq!(
        playground::asset_names().collect::<Vec<_>>(),
        expected_types
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
    );
    for (name, content_type) in expected_types {
        // As the page asks for it (with the fingerprint), and plain.
        let fingerprinted = html
            .split('"')
            .find(|part| part.starts_with(&format!("/playground/{name}?v=")))
            .map_or_else(|| format!("/playground/{name}"), str::to_owned);
        for path in [fingerprinted, format!("/playground/{name}")] {
            let reply = get(server.address, &path);
            assert_eq!(reply.status, 200, "{path}");
            assert_eq!(reply.headers["content-type"], content_type, "{path}");
            assert_eq!(
                reply.headers["cache-control"], "public, max-age=31536000, immutable",
                "{path}"
            );
            assert_eq!(reply.headers["x-content-type-options"], "nosniff", "{path}");
            let on_disk = std::fs::read(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("assets/playground")
                    .join(name),
            )
            .unwrap();
            assert!(
                reply.body == on_disk,
                "{path} differs from assets/playground/{name}"
            );
        }
    }
    let notices =
        String::from_utf8(get(server.address, "/playground/THIRD-PARTY-NOTICES.txt").body).unwrap();
    for notice in [
        "graphiql 3.",
        "react 18.",
        "react-dom 18.",
        "MIT License",
        "SIL OPEN FONT LICENSE",
        "Apache License",
    ] {
        assert!(notices.contains(notice), "the notices lack {notice:?}");
    }
}

#[test]
fn only_the_named_playground_files_are_served() {
    let server = TestServer::start();
    for path in [
        "/playground/",
        "/playground/nope.js",
        "/playground/index.html",
        "/playground/README.md",
        "/playground/update.sh",
        "/playground/LICENSE.fonts",
        "/playground/graphiql.min.js.map",
        "/playground/GRAPHIQL.MIN.JS",
        "/playground/..%2FCargo.toml",
        "/playground/..%2F..%2Fsrc%2Flib.rs",
        "/playground/%2E%2E/Cargo.toml",
        "/playground/../Cargo.toml",
        "/playground/graphiql.min.js/x",
        "/playground/graphiql.min.js%00",
    ] {
        let reply = get(server.address, path);
        assert_eq!(reply.status, 404, "{path} answered {}", reply.status);
    }
}

/// Chromium and chromedriver, or a failure saying how to install them.
fn browser_tools() -> (PathBuf, PathBuf) {
    let chromium = std::env::var_os("GAZETTE_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let chromedriver = std::env::var_os("GAZETTE_CHROMEDRIVER")
        .map_or_else(|| PathBuf::from("/usr/bin/chromedriver"), PathBuf::from);
    let missing: Vec<String> = [&chromium, &chromedriver]
        .into_iter()
        .filter(|path| !path.is_file())
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "the playground's browser test needs headless Chromium and chromedriver, and {} is missing: \
         run `bash scripts/ensure-chromium` (it installs Debian's chromium and chromium-driver), \
         or set GAZETTE_CHROMIUM and GAZETTE_CHROMEDRIVER",
        missing.join(" and ")
    );
    (chromium, chromedriver)
}

/// Runs `tests/browser/playground.py` against `server` with the scenario `arguments` and
/// returns its report, failing with its messages when it does. A screenshot, the page's HTML and
/// the logs of a failed run go to `target/tmp/playground-browser/<name>/`.
fn drive_browser(server: &TestServer, name: &str, arguments: &[String]) -> Value {
    let (chromium, chromedriver) = browser_tools();
    let artifacts = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("playground-browser")
        .join(name);
    let timeout = Duration::from_secs(300);
    let mut arguments = arguments.to_vec();
    arguments.extend([
        format!("--url={}/", server.origin()),
        format!("--chromium={}", chromium.display()),
        format!("--chromedriver={}", chromedriver.display()),
        format!("--artifacts={}", artifacts.display()),
    ]);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/playground.py");
    let mut child = Command::new("python3")
        .arg(&script)
        .args(&arguments)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| {
            panic!(
                "cannot run python3 {} ({error}): run `bash scripts/ensure-chromium`, which installs \
                 Python 3 with Chromium and chromedriver",
                script.display()
            )
        });
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).map(|_| text)
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).map(|_| text)
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > timeout {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stdout = out.join().unwrap().unwrap();
    let stderr = err.join().unwrap().unwrap();
    match status {
        None => panic!("the browser test took longer than {timeout:?}; its messages:\n{stderr}"),
        Some(status) if !status.success() => {
            panic!("the browser test failed ({status}):\n{stderr}\nreport: {stdout}")
        }
        Some(_) => serde_json::from_str(&stdout)
            .unwrap_or_else(|error| panic!("the report is not JSON ({error}): {stdout}\n{stderr}")),
    }
}

fn strings(report: &Value, key: &str) -> Vec<String> {
    report[key]
        .as_array()
        .unwrap_or_else(|| panic!("the report has no list {key:?}: {report:#}"))
        .iter()
        .map(|url| url.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn in_a_browser_cut_off_from_other_networks_the_playground_runs_the_example_query_and_a_mutation_with_the_pasted_token()
 {
    let server = TestServer::start();
    let origin = server.origin();
    let version = env!("CARGO_PKG_VERSION");
    let mutation = r#"mutation FromThePlayground {
  createPerson(input: { person: { name: "Nguyễn Thị Thử" } }) {
    person { name givenName }
  }
}"#;
    let report = drive_browser(
        &server,
        "query-and-mutation",
        &[
            format!("--expect=\"version\": \"{version}\""),
            format!("--token={}", server.editor_token),
            format!("--mutation={mutation}"),
            "--mutation-expect=\"givenName\": \"Thử\"".to_owned(),
        ],
    );

    // It opens with the example query and says where the token goes.
    let editor = report["query_editor"].as_str().unwrap();
    assert!(
        editor.contains("query Example {") && editor.contains("people(first: 5)"),
        "the editor holds:\n{editor}"
    );
    assert!(
        report["token_box_placeholder"]
            .as_str()
            .unwrap()
            .contains("gazette serve --demo")
    );

    // The run button sent it to /graphql and the answer shows in the result pane.
    let shown = report["query_result"].as_str().unwrap();
    assert!(
        shown.contains(&format!("\"version\": \"{version}\"")),
        "the result pane shows:\n{shown}"
    );
    let answer: Value =
        serde_json::from_str(report["query_result_json"].as_str().unwrap()).unwrap();
    assert_eq!(answer["data"]["version"], version, "{answer:#}");
    assert!(answer["data"]["people"]["edges"].is_array(), "{answer:#}");
    assert!(answer.get("errors").is_none(), "{answer:#}");

    // The pasted token went along as `Authorization: Bearer`, so the mutation was allowed.
    assert!(
        report["token_state"]
            .as_str()
            .unwrap()
            .contains("Token set")
    );
    let created: Value =
        serde_json::from_str(report["mutation_result_json"].as_str().unwrap()).unwrap();
    assert!(created.get("errors").is_none(), "{created:#}");
    assert_eq!(
        created["data"]["createPerson"]["person"]["name"], "Nguyễn Thị Thử",
        "{created:#}"
    );

    // Everything the browser asked for came from the server under test.
    assert_eq!(
        report["network_log_available"], true,
        "chromedriver gave no network log"
    );
    let requests = strings(&report, "requests");
    let resources = strings(&report, "resources");
    for expected in [
        "/playground/graphiql.min.js",
        "/playground/react-dom.production.min.js",
        "/graphql",
    ] {
        assert!(
            requests
                .iter()
                .any(|url| url.starts_with(&format!("{origin}{expected}"))),
            "the browser never requested {expected}: {requests:#?}"
        );
    }
    // Besides the server under test, only what never leaves the browser: `data:` URLs (the
    // fonts in GraphiQL's CSS) and the browser's own `chrome:`/`about:` pages (its first tab).
    let websocket_origin = format!("ws://{}/", server.address);
    let foreign: Vec<&String> = requests
        .iter()
        .chain(&resources)
        .filter(|url| {
            !url.starts_with(&format!("{origin}/"))
                && !url.starts_with(&websocket_origin)
                && !["data:", "chrome:", "about:"]
                    .iter()
                    .any(|scheme| url.starts_with(scheme))
        })
        .collect();
    assert!(
        foreign.is_empty(),
        "the browser requested URLs off the server under test: {foreign:#?}"
    );
    assert!(
        resources
            .iter()
            .all(|url| url.starts_with(&format!("{origin}/"))),
        "the page loaded resources off the server under test: {resources:#?}"
    );
    assert_eq!(
        report["csp_violations"],
        Value::Array(Vec::new()),
        "the page tried what its policy forbids"
    );
}

#[test]
fn the_playground_shows_the_schema_documentation_under_the_default_limits() {
    let server = TestServer::start();
    let report = drive_browser(
        &server,
        "documentation",
        &[
            "--check-docs".to_owned(),
            format!("--expect=\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        ],
    );
    let docs = report["docs"].as_str().unwrap();
    assert!(
        docs.contains("query: Query") && docs.contains("mutation: Mutation"),
        "the documentation explorer shows:\n{docs}\nand the response pane, before any query ran:\n{}",
        report["response_before_running"]
            .as_str()
            .unwrap_or_default()
    );
}
