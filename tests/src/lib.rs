//! Helpers for Gazette's end-to-end tests (`tests/tests/*.rs`): fresh databases on SQLite and
//! PostgreSQL, the real gateway on an ephemeral port, and a small HTTP/1.1 client so the tests
//! speak to it over a real socket.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test support: a panic is a failed test"
)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use gazette_gateway::schema::{self, QueryLimits};
use gazette_gateway::server::{self, AppState, HttpSettings};
use gazette_storage::tokens::Role;
use gazette_storage::{Actor, Database, StorageOptions};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Which engine a test database runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    /// A fresh SQLite file.
    Sqlite,
    /// A fresh PostgreSQL database (when `GAZETTE_TEST_DATABASE_URL` is set).
    Postgres,
}

/// A database made for one test.
pub struct TestDatabase {
    /// The database.
    pub db: Database,
    /// Its engine.
    pub engine: EngineKind,
    cleanup: Option<(String, String)>,
    file: Option<std::path::PathBuf>,
}

fn unique_name() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("gazette_test_{seconds}_{}", uuid::Uuid::now_v7().simple())
}

impl TestDatabase {
    /// A fresh, migrated SQLite file.
    pub async fn sqlite() -> Self {
        let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let db = Database::connect_and_migrate(&StorageOptions::new(url))
            .await
            .unwrap();
        Self {
            db,
            engine: EngineKind::Sqlite,
            cleanup: None,
            file: Some(path),
        }
    }

    /// A fresh, migrated PostgreSQL database, when the suite has a server.
    pub async fn postgres() -> Option<Self> {
        let admin_url = std::env::var("GAZETTE_TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())?;
        let admin = sea_orm::Database::connect(&admin_url)
            .await
            .unwrap_or_else(|error| {
                panic!("GAZETTE_TEST_DATABASE_URL is set but the server does not answer: {error}")
            });
        let name = unique_name();
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .unwrap();
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(base, _)| base);
        let mut options = StorageOptions::new(format!("{base}/{name}"));
        options.max_connections = 8;
        let db = Database::connect_and_migrate(&options).await.unwrap();
        Some(Self {
            db,
            engine: EngineKind::Postgres,
            cleanup: Some((admin_url, name)),
            file: None,
        })
    }

    /// The database's URL, for a second, raw connection that changes rows behind Gazette's
    /// back (the audit chain and error-leak tests).
    pub fn url(&self) -> String {
        match (&self.file, &self.cleanup) {
            (Some(path), _) => format!("sqlite://{}?mode=rw", path.display()),
            (None, Some((admin_url, name))) => {
                let base = admin_url
                    .rsplit_once('/')
                    .map_or(admin_url.as_str(), |(base, _)| base);
                format!("{base}/{name}")
            }
            (None, None) => unreachable!("every test database is a file or a PostgreSQL database"),
        }
    }

    /// SQLite always, and PostgreSQL when configured.
    pub async fn every_engine() -> Vec<Self> {
        let mut all = vec![Self::sqlite().await];
        all.extend(Self::postgres().await);
        all
    }

    /// Removes the database.
    pub async fn finish(self) {
        drop(self.db);
        if let Some(path) = self.file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        if let Some((admin_url, name)) = self.cleanup
            && let Ok(admin) = sea_orm::Database::connect(&admin_url).await
        {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await;
        }
    }
}

/// The gateway serving one test database on an ephemeral port, with a token of each role.
pub struct TestServer {
    /// Where it listens.
    pub address: SocketAddr,
    /// Its database.
    pub db: Database,
    /// A reader token.
    pub reader: String,
    /// An editor token.
    pub editor: String,
    /// An admin token.
    pub admin: String,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Starts the gateway over `db` with default limits and settings.
    pub async fn start(db: Database) -> Self {
        Self::start_with(db, QueryLimits::default(), HttpSettings::default()).await
    }

    /// Starts the gateway over `db` with these limits and settings.
    pub async fn start_with(db: Database, limits: QueryLimits, settings: HttpSettings) -> Self {
        let actor = Actor::new("system:test").unwrap();
        let token = |role: Role| {
            let db = db.clone();
            let actor = actor.clone();
            async move {
                gazette_gateway::auth::create(&db, &actor, &format!("test {}", role.code()), role)
                    .await
                    .unwrap()
                    .1
            }
        };
        let reader = token(Role::Reader).await;
        let editor = token(Role::Editor).await;
        let admin = token(Role::Admin).await;
        let state = AppState {
            schema: schema::build(db.clone(), limits),
            db: db.clone(),
            settings: Arc::new(settings),
            metrics: Arc::default(),
            shared_loads: gazette_gateway::schema::loaders::SharedLoads::default(),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let router = server::router(state);
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Self {
            address,
            db,
            reader,
            editor,
            admin,
            task,
        }
    }

    /// Sends a GraphQL POST and returns the response.
    pub async fn graphql(
        &self,
        query: &str,
        variables: Value,
        token: Option<&str>,
    ) -> HttpResponse {
        let body = json!({ "query": query, "variables": variables }).to_string();
        let mut headers = vec![
            ("Content-Type".to_owned(), "application/json".to_owned()),
            (
                "Accept".to_owned(),
                "application/graphql-response+json".to_owned(),
            ),
        ];
        if let Some(token) = token {
            headers.push(("Authorization".to_owned(), format!("Bearer {token}")));
        }
        request(self.address, "POST", "/graphql", &headers, body.as_bytes()).await
    }

    /// Sends a GraphQL POST that must succeed without errors; returns `data`.
    pub async fn data(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let response = self.graphql(query, variables, token).await;
        let json = response.json();
        assert_eq!(response.status, 200, "{json:#}");
        assert!(json.get("errors").is_none(), "unexpected errors: {json:#}");
        json["data"].clone()
    }

    /// Stops the server.
    pub fn stop(self) {
        self.task.abort();
    }
}

/// An HTTP response.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The headers, names lowercased.
    pub headers: BTreeMap<String, String>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "body is not JSON ({error}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one HTTP/1.1 request over a fresh connection and reads the whole response.
pub async fn request(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> HttpResponse {
    let mut stream = TcpStream::connect(address).await.unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    // A server may answer (413, say) before reading all of a large body; a failed write is then
    // expected, and the response is still read below.
    let _ = stream.write_all(body).await;
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> HttpResponse {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete HTTP response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: BTreeMap<String, String> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .get("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        body = dechunk(&body);
    }
    HttpResponse {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..line_end]).trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = line_end + 2;
        out.extend_from_slice(&data[start..(start + size).min(data.len())]);
        data = &data[(start + size + 2).min(data.len())..];
    }
    out
}
