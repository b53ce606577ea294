//! Test databases: a new SQLite file per test, and a new PostgreSQL database per test when
//! `GAZETTE_TEST_DATABASE_URL` is set (the server's admin URL, e.g.
//! `postgres://postgres@127.0.0.1:5432/postgres`).

use std::future::Future;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use gazette_storage::{Actor, Database, Engine, StorageOptions};
use sea_orm::{ConnectionTrait, Database as SeaDatabase, DbBackend, Statement};

/// The actor tests write as.
pub fn actor() -> Actor {
    Actor::new("test:editor").unwrap()
}

/// A database made for one test, removed when the test finishes.
pub struct TestDatabase {
    pub database: Database,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Postgres { admin_url: String, name: String },
}

impl TestDatabase {
    async fn finish(self) {
        drop(self.database);
        match self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                if let Ok(admin) = SeaDatabase::connect(&admin_url).await {
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

fn unique_name() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("gazette_test_{seconds}_{}", uuid::Uuid::now_v7().simple())
}

/// A fresh SQLite file database, migrated.
pub async fn sqlite() -> TestDatabase {
    let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let database = Database::connect_and_migrate(&StorageOptions::new(url))
        .await
        .unwrap();
    TestDatabase {
        database,
        cleanup: Cleanup::File(path),
    }
}

/// A fresh PostgreSQL database, migrated, when the suite has a server.
pub async fn postgres() -> Option<TestDatabase> {
    let admin_url = std::env::var("GAZETTE_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())?;
    let admin = SeaDatabase::connect(&admin_url)
        .await
        .unwrap_or_else(|error| {
            panic!("GAZETTE_TEST_DATABASE_URL is set but the server does not answer: {error}")
        });
    sweep_leftovers(&admin).await;
    let name = unique_name();
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url.as_str(), |(base, _)| base);
    let url = format!("{base}/{name}");
    let mut options = StorageOptions::new(url);
    options.max_connections = 8;
    let database = Database::connect_and_migrate(&options).await.unwrap();
    Some(TestDatabase {
        database,
        cleanup: Cleanup::Postgres { admin_url, name },
    })
}

/// Drops test databases that earlier runs left behind (a test that panicked), once they are an
/// hour old.
async fn sweep_leftovers(admin: &sea_orm::DatabaseConnection) {
    let Ok(rows) = admin
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT datname FROM pg_database WHERE datname LIKE 'gazette_test_%'",
        ))
        .await
    else {
        return;
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    for row in rows {
        let Ok(name) = row.try_get::<String>("", "datname") else {
            continue;
        };
        let created = name
            .split('_')
            .nth(2)
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(now);
        if now.saturating_sub(created) > 3600 {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await;
        }
    }
}

/// Runs `scenario` on SQLite and, when configured, on PostgreSQL, each on a fresh database.
pub async fn each_engine<F, Fut>(scenario: F)
where
    F: Fn(Database) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut databases = vec![sqlite().await];
    databases.extend(postgres().await);
    for test_database in databases {
        let engine = test_database.database.engine();
        eprintln!("running on {engine:?}");
        scenario(test_database.database.clone()).await;
        test_database.finish().await;
    }
}

/// Whether the suite also runs on PostgreSQL.
#[allow(dead_code, reason = "used by the tests that say which engines ran")]
pub fn postgres_configured() -> bool {
    std::env::var("GAZETTE_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty())
}

#[allow(dead_code, reason = "some test modules name engines")]
pub fn is_postgres(database: &Database) -> bool {
    database.engine() == Engine::Postgres
}
