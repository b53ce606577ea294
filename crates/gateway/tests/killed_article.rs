//! The gateway killed with SIGKILL in the middle of an article's `gazette ingest --apply`: after
//! a restart the database holds all of the article's records or none of them, and the audit
//! chain verifies.
//!
//! The article is generated: a meeting report in which each of several hundred officials
//! ("Đồng chí Nguyễn Văn X, Chủ tịch UBND xã Y, phát biểu ...") speaks, so its apply writes
//! thousands of records (people, organizations, posts, holdings, citations, one audit entry
//! each) in one transaction lasting seconds. Per engine:
//!
//! 1. a reference apply runs to the end on a fresh database; the rows it leaves in every table
//!    are "all", an empty database is "none", and the time from its first write to its exit is
//!    the write window;
//! 2. three applies, each on a fresh database, are killed at 20 %, 50 % and 80 % of the write
//!    window after their transaction is seen writing: on SQLite the write-ahead log grows by
//!    more than 1 MiB (uncommitted pages spilling from the page cache); on PostgreSQL the
//!    session holds a transaction id (`pg_stat_activity.backend_xid`, assigned at the first
//!    write). A kill counts as landing in the write when the database is then empty although
//!    the transaction had written: at least one per engine must (in practice all do).
//!
//! After every kill a fresh connection (on SQLite it recovers the journal) finds each table at
//! "none" or "all", never in between, and `gazette audit verify` exits 0. PostgreSQL runs when
//! `GAZETTE_TEST_DATABASE_URL` is set. `cargo test -p gazette-gateway --test killed_article`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use support::{article, gazette};

/// Officials in the article: enough that on SQLite the transaction outgrows the page cache
/// and spills into the write-ahead log well before it commits.
const SQLITE_PEOPLE: usize = 1_000;
/// PostgreSQL writes more slowly per statement, and its sign of writing needs no volume.
const POSTGRES_PEOPLE: usize = 300;

/// Where in the write window the kills land.
const KILL_AT: [f64; 3] = [0.2, 0.5, 0.8];

/// A database for one apply.
enum Target {
    Sqlite { path: PathBuf },
    Postgres { admin_url: String, name: String },
}

impl Target {
    async fn fresh(engine: &str) -> Self {
        let stem = format!("gazette_killed_article_{}", uuid::Uuid::now_v7().simple());
        let target = if engine == "sqlite" {
            Self::Sqlite {
                path: std::env::temp_dir().join(format!("{stem}.db")),
            }
        } else {
            let admin_url = std::env::var("GAZETTE_TEST_DATABASE_URL").unwrap();
            let admin = sea_orm::Database::connect(&admin_url).await.unwrap();
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{stem}\""))
                .await
                .unwrap();
            let _ = admin.close().await;
            Self::Postgres {
                admin_url,
                name: stem,
            }
        };
        // Migrate first, so the kill lands in the apply, not in the migrations.
        let output = gazette()
            .args(["migrate", "--database-url", &target.url()])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        target
    }

    fn url(&self) -> String {
        match self {
            Self::Sqlite { path } => format!("sqlite://{}?mode=rwc", path.display()),
            Self::Postgres { admin_url, name } => {
                let base = admin_url
                    .rsplit_once('/')
                    .map_or(admin_url.as_str(), |(base, _)| base);
                format!("{base}/{name}")
            }
        }
    }

    fn wal_size(&self) -> u64 {
        match self {
            Self::Sqlite { path } => std::fs::metadata(format!("{}-wal", path.display()))
                .map(|m| m.len())
                .unwrap_or(0),
            Self::Postgres { .. } => 0,
        }
    }

    /// A connection for watching the apply (PostgreSQL's server; none for SQLite), opened once
    /// so that each look is one statement, not a new session.
    async fn watcher(&self) -> Option<sea_orm::DatabaseConnection> {
        match self {
            Self::Sqlite { .. } => None,
            Self::Postgres { admin_url, .. } => {
                Some(sea_orm::Database::connect(admin_url).await.unwrap())
            }
        }
    }

    /// Whether the apply's transaction has written: on SQLite the write-ahead log has grown by
    /// more than 1 MiB since `baseline`; on PostgreSQL a session of the database holds a
    /// transaction id (asked through `watcher`: outside a transaction each look reads the
    /// activity afresh).
    async fn writing(&self, baseline: u64, watcher: Option<&sea_orm::DatabaseConnection>) -> bool {
        match (self, watcher) {
            (Self::Postgres { name, .. }, Some(watcher)) => {
                let row = watcher
                    .query_one_raw(Statement::from_sql_and_values(
                        DbBackend::Postgres,
                        "SELECT count(*) AS n FROM pg_stat_activity \
                         WHERE datname = $1 AND backend_xid IS NOT NULL",
                        [name.clone().into()],
                    ))
                    .await
                    .unwrap()
                    .unwrap();
                row.try_get::<i64>("", "n").unwrap() > 0
            }
            _ => self.wal_size() > baseline + 1024 * 1024,
        }
    }

    /// Rows per table (the migrations' own table left out), through a fresh connection.
    async fn rows(&self) -> BTreeMap<String, i64> {
        let db = sea_orm::Database::connect(self.url()).await.unwrap();
        let backend = db.get_database_backend();
        let list = match self {
            Self::Sqlite { .. } => {
                "SELECT name AS t FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite%' AND name <> 'seaql_migrations'"
            }
            Self::Postgres { .. } => {
                "SELECT tablename::text AS t FROM pg_tables WHERE schemaname = 'public' \
                 AND tablename <> 'seaql_migrations'"
            }
        };
        let tables: Vec<String> = db
            .query_all_raw(Statement::from_string(backend, list))
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get::<String>("", "t").unwrap())
            .collect();
        let mut rows = BTreeMap::new();
        for table in tables {
            let row = db
                .query_one_raw(Statement::from_string(
                    backend,
                    format!("SELECT count(*) AS n FROM \"{table}\""),
                ))
                .await
                .unwrap()
                .unwrap();
            rows.insert(table, row.try_get::<i64>("", "n").unwrap());
        }
        let _ = db.close().await;
        rows
    }

    fn verify_audit(&self) {
        let output = gazette()
            .args(["audit", "verify", "--database-url", &self.url()])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "audit verify: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }

    async fn remove(self) {
        match self {
            Self::Sqlite { path } => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Self::Postgres { admin_url, name } => {
                if let Ok(admin) = sea_orm::Database::connect(&admin_url).await {
                    let _ = admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await;
                }
            }
        }
    }
}

/// What one apply did.
struct Run {
    /// From the first sign of writing to the exit or the kill.
    window: Duration,
    /// Whether it was killed (rather than finishing first).
    killed: bool,
}

/// Applies `file` to `target`; when `kill_after` is given, kills the process that long after
/// its transaction is seen writing.
async fn apply(target: &Target, file: &std::path::Path, kill_after: Option<Duration>) -> Run {
    let baseline = target.wal_size();
    let watcher = target.watcher().await;
    let mut child = gazette()
        .arg("ingest")
        .arg(file)
        .args(["--apply", "--database-url", &target.url()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut writing_since = None;
    let mut exited = None;
    let mut looks = 0u32;
    while started.elapsed() < Duration::from_secs(120) {
        if let Some(status) = child.try_wait().unwrap() {
            exited = Some(status);
            break;
        }
        looks += 1;
        if target.writing(baseline, watcher.as_ref()).await {
            writing_since = Some(Instant::now());
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    if let Some(watcher) = watcher {
        let _ = watcher.close().await;
    }
    let Some(writing_since) = writing_since else {
        let elapsed = started.elapsed();
        let output = child.wait_with_output().unwrap();
        panic!(
            "the apply was not seen writing in {elapsed:?} ({looks} looks; {}): {}",
            exited.map_or_else(
                || "still running, then waited for".to_owned(),
                |status| format!("it had exited: {status}")
            ),
            String::from_utf8_lossy(&output.stderr)
        )
    };
    match kill_after {
        Some(delay) => {
            tokio::time::sleep(delay).await;
            let killed = child.try_wait().unwrap().is_none();
            if killed {
                child.kill().unwrap();
            }
            child.wait().unwrap();
            Run {
                window: writing_since.elapsed(),
                killed,
            }
        }
        None => {
            let output = child.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "the reference apply failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            Run {
                window: writing_since.elapsed(),
                killed: false,
            }
        }
    }
}

async fn kills_leave_all_or_nothing(engine: &str, people: usize) {
    let dir = std::env::temp_dir();
    let file = |round: usize| {
        let path = dir.join(format!(
            "gazette_killed_article_{}_{round}.txt",
            uuid::Uuid::now_v7().simple()
        ));
        std::fs::write(&path, article(people, round)).unwrap();
        path
    };

    // The reference: "all".
    let reference = Target::fresh(engine).await;
    let none = reference.rows().await;
    assert!(none.values().all(|&n| n == 0), "{none:?}");
    let reference_file = file(0);
    let run = apply(&reference, &reference_file, None).await;
    let all = reference.rows().await;
    assert_eq!(all["person"], i64::try_from(people).unwrap(), "{all:?}");
    reference.verify_audit();
    let window = run.window;
    eprintln!("{engine}: the reference apply wrote for {window:?}: {all:?}");
    reference.remove().await;
    let _ = std::fs::remove_file(reference_file);

    let mut in_the_write = 0;
    for (round, fraction) in KILL_AT.iter().enumerate() {
        let target = Target::fresh(engine).await;
        let article_file = file(round + 1);
        let run = apply(&target, &article_file, Some(window.mul_f64(*fraction))).await;
        let rows = target.rows().await;
        let state = if rows.values().all(|&n| n == 0) {
            "none"
        } else if rows == all {
            "all"
        } else {
            panic!(
                "{engine}: killed {:?} into the write, the database holds part of the \
                 article:\n{rows:?}\nall is {all:?}",
                run.window
            );
        };
        target.verify_audit();
        if run.killed && state == "none" {
            in_the_write += 1;
        }
        eprintln!(
            "{engine}: killed: {}, {:?} after the transaction was seen writing \
             ({:.0} % of the window): {state}",
            run.killed,
            run.window,
            fraction * 100.0
        );
        target.remove().await;
        let _ = std::fs::remove_file(article_file);
    }
    assert!(
        in_the_write > 0,
        "{engine}: no kill landed while the transaction was writing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_article_apply_killed_midway_leaves_all_of_it_or_none_on_sqlite() {
    kills_leave_all_or_nothing("sqlite", SQLITE_PEOPLE).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_article_apply_killed_midway_leaves_all_of_it_or_none_on_postgres() {
    if !support::postgres_required() {
        eprintln!("skipping: GAZETTE_TEST_DATABASE_URL is not set");
        return;
    }
    kills_leave_all_or_nothing("postgres", POSTGRES_PEOPLE).await;
}
