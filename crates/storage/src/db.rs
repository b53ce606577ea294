//! Connecting to the database, applying migrations, and the write transaction every write runs
//! in.
//!
//! * SQLite (`sqlite://gazette.db?mode=rwc`, `sqlite::memory:`): WAL journal, foreign keys on,
//!   a busy timeout; a pool of reader connections and a single writer connection, so writes are
//!   serialized in the process, and every write transaction starts with `BEGIN IMMEDIATE` so a
//!   transaction that reads before it writes never fails with SQLITE_BUSY_SNAPSHOT. An in-memory
//!   database is one connection shared by readers and the writer (separate connections would
//!   be separate databases).
//! * PostgreSQL (`postgres://...`): a pool for reads, one for name searches (whose sessions
//!   run under the search's statement timeout) and one for writes and transactions; rules
//!   that need exclusivity lock the row they hang on (`SELECT ... FOR UPDATE`), so two replicas
//!   cannot both pass the seat rule. Migrations run in one transaction under an advisory lock,
//!   so replicas starting at once don't race.
//!
//! Plain reads go through Gazette's own pool ([`crate::read_pool`]), which does not ping a
//! connection each time it is given back.

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use gazette_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database as SeaDatabase, DatabaseConnection,
    DatabaseTransaction, DbBackend, SqliteTransactionMode, Statement, TransactionOptions,
    TransactionTrait,
};

use crate::error::{StorageError, from_db};
use crate::read_pool::{Limits, ReadPool, Target, with_limits_inlined};

/// Which database engine a [`Database`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// SQLite: the embedded default.
    Sqlite,
    /// PostgreSQL: for many gateways in front of one database.
    Postgres,
}

/// How to connect.
#[derive(Debug, Clone)]
pub struct StorageOptions {
    /// The database URL: `sqlite://gazette.db?mode=rwc`, `sqlite::memory:` or `postgres://...`.
    pub url: String,
    /// The number of reading connections (SQLite and PostgreSQL), and the size of the
    /// PostgreSQL pools for name searches and for writes and transactions.
    pub max_connections: u32,
    /// How long a call waits for a connection before it fails as `Unavailable`.
    ///
    /// On PostgreSQL this one deadline covers both waiting for a free connection of a pool and
    /// opening a new one: while the server refuses connections (it is down or restarting) a
    /// write's pool retries until the deadline passes (the reading pool fails at once), so this
    /// is the longest a request takes to fail while the database is down, and why the default
    /// there is short ([`Self::POSTGRES_ACQUIRE_TIMEOUT`]). On SQLite it is how long a write
    /// waits for the single writer connection, that is for the write lock
    /// ([`Self::SQLITE_ACQUIRE_TIMEOUT`]).
    pub acquire_timeout: Duration,
}

impl StorageOptions {
    /// The default [`Self::acquire_timeout`] on PostgreSQL: 1 s. Requests fail fast while the
    /// server is down; a pool of connections each held for milliseconds rarely makes a request
    /// wait that long, and when it does the database is overloaded and the request is better
    /// refused (it may be retried) than queued.
    pub const POSTGRES_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(1);

    /// The default [`Self::acquire_timeout`] on SQLite: 5 s, as writes queue for the one write
    /// lock behind each other (an article or an import holds it for seconds).
    pub const SQLITE_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

    /// The default [`Self::max_connections`] on PostgreSQL: 10.
    pub const POSTGRES_CONNECTIONS: u32 = 10;

    /// The default [`Self::max_connections`] on SQLite: twice the processor cores, from 2 to
    /// 10. A SQLite reader is a thread of this process running the query itself, with its own
    /// page cache: more of them than the cores can run add memory, not throughput (measured
    /// on two cores: four readers answered as many requests as ten, with 91 MB of peak RSS
    /// against 130).
    #[must_use]
    pub fn sqlite_connections() -> u32 {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        u32::try_from(cores.saturating_mul(2))
            .unwrap_or(u32::MAX)
            .clamp(2, 10)
    }

    /// Options for `url` with the defaults: [`Self::POSTGRES_CONNECTIONS`] or
    /// [`Self::sqlite_connections`], and an acquire timeout of 1 s on PostgreSQL and 5 s on
    /// SQLite.
    #[must_use]
    pub fn new(url: impl Into<String>) -> Self {
        let url = url.into();
        let (max_connections, acquire_timeout) = if is_postgres(&url) {
            (Self::POSTGRES_CONNECTIONS, Self::POSTGRES_ACQUIRE_TIMEOUT)
        } else {
            (Self::sqlite_connections(), Self::SQLITE_ACQUIRE_TIMEOUT)
        };
        Self {
            url,
            max_connections,
            acquire_timeout,
        }
    }
}

fn is_postgres(url: &str) -> bool {
    let url = url.trim();
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// A handle on Gazette's database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Database {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    engine: Engine,
    reader: Reader,
    /// PostgreSQL: the name search's reading pool, whose sessions run under its settings
    /// ([`crate::people::search_session`]).
    searcher: Option<ReadPool>,
    writer: DatabaseConnection,
    statements: Arc<AtomicU64>,
    /// The name search's planning figures (PostgreSQL's estimates, SQLite's counts).
    estimates: crate::estimates::Estimates,
}

/// Where plain reads go.
#[derive(Debug, Clone)]
pub(crate) enum Reader {
    /// Gazette's reading pool.
    Pool(ReadPool),
    /// An in-memory SQLite database's one connection, which is the database. Its statements'
    /// limits are written into their text as the reading pool writes SQLite's
    /// ([`with_limits_inlined`]).
    Shared(DatabaseConnection),
}

#[async_trait::async_trait]
impl ConnectionTrait for Reader {
    fn get_database_backend(&self) -> DbBackend {
        match self {
            Self::Pool(pool) => pool.get_database_backend(),
            Self::Shared(connection) => connection.get_database_backend(),
        }
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<sea_orm::ExecResult, sea_orm::DbErr> {
        match self {
            Self::Pool(pool) => pool.execute_raw(stmt).await,
            Self::Shared(connection) => connection.execute_raw(with_limits_inlined(stmt)).await,
        }
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<sea_orm::ExecResult, sea_orm::DbErr> {
        match self {
            Self::Pool(pool) => pool.execute_unprepared(sql).await,
            Self::Shared(connection) => connection.execute_unprepared(sql).await,
        }
    }

    async fn query_one_raw(
        &self,
        stmt: Statement,
    ) -> Result<Option<sea_orm::QueryResult>, sea_orm::DbErr> {
        match self {
            Self::Pool(pool) => pool.query_one_raw(stmt).await,
            Self::Shared(connection) => connection.query_one_raw(with_limits_inlined(stmt)).await,
        }
    }

    async fn query_all_raw(
        &self,
        stmt: Statement,
    ) -> Result<Vec<sea_orm::QueryResult>, sea_orm::DbErr> {
        match self {
            Self::Pool(pool) => pool.query_all_raw(stmt).await,
            Self::Shared(connection) => connection.query_all_raw(with_limits_inlined(stmt)).await,
        }
    }
}

/// The PostgreSQL channel events travel on.
const EVENT_CHANNEL: &str = "gazette_events";

/// A PostgreSQL connection idle at least this long is pinged before it is handed out.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(1);

/// A reading connection open this long is closed when it is given back (sqlx's default
/// lifetime, which the writing pools keep).
const MAX_CONNECTION_LIFETIME: Duration = Duration::from_secs(30 * 60);

/// How often the reading pool closes the idle connections that have waited or lived too long,
/// whether or not statements give connections back.
const REAP_EVERY: Duration = Duration::from_secs(60);

/// Events published by any gateway on the same PostgreSQL database.
pub struct EventListener {
    listener: sea_orm::sqlx::postgres::PgListener,
}

impl std::fmt::Debug for EventListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EventListener")
    }
}

impl EventListener {
    /// The next event's payload. Waits; after a dropped connection it reconnects and goes on
    /// (events sent while it was down are lost, as NOTIFY does not queue).
    pub async fn next(&mut self) -> Result<String, StorageError> {
        self.listener
            .recv()
            .await
            .map(|notification| notification.payload().to_owned())
            .map_err(|error| StorageError::Unavailable(error.to_string()))
    }
}

/// The PostgreSQL advisory lock key that serializes migrations ("gazette" in ASCII).
const MIGRATION_LOCK_KEY: i64 = 0x0067_617a_6574_7465;

impl Database {
    /// Connects without touching the schema.
    pub async fn connect(options: &StorageOptions) -> Result<Self, StorageError> {
        let statements = Arc::new(AtomicU64::new(0));
        let url = options.url.trim();
        let (engine, reader, searcher, mut writer) = if url.starts_with("sqlite:") {
            let in_memory = url.contains(":memory:") || url.contains("mode=memory");
            let parsed = SqliteConnectOptions::from_str(url).map_err(|error| {
                StorageError::InvalidInput(format!("the SQLite database URL is malformed: {error}"))
            })?;
            let tune = move |opts: SqliteConnectOptions| {
                let opts = opts
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10));
                if in_memory {
                    opts
                } else {
                    opts.journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Normal)
                }
            };
            let writer = connect_sqlite(url, 1, options.acquire_timeout, tune).await?;
            let mut searcher = None;
            let reader = if in_memory {
                let mut shared = writer.clone();
                let counter = Arc::clone(&statements);
                shared.set_metric_callback(move |_| {
                    counter.fetch_add(1, Ordering::Relaxed);
                });
                Reader::Shared(shared)
            } else {
                // A file connection does not go stale as a network one can: never pinged.
                let limits = Limits {
                    connections: options.max_connections.max(1),
                    acquire_timeout: options.acquire_timeout,
                    ping_if_idle_for: None,
                    close_if_idle_for: None,
                    max_lifetime: Some(MAX_CONNECTION_LIFETIME),
                    reap_every: Some(REAP_EVERY),
                };
                let target = Target::sqlite(tune(parsed));
                // Name searches on connections of their own, each statement stopped at the
                // search's timeout as PostgreSQL's are.
                searcher = Some(ReadPool::new(
                    target
                        .clone()
                        .with_statement_timeout(crate::people::NAME_SEARCH_TIMEOUT),
                    limits,
                    Arc::clone(&statements),
                ));
                Reader::Pool(ReadPool::new(target, limits, Arc::clone(&statements)))
            };
            (Engine::Sqlite, reader, searcher, writer)
        } else if is_postgres(url) {
            let mut connect = ConnectOptions::new(url.to_owned());
            connect
                .max_connections(options.max_connections.max(1))
                .min_connections(0)
                .acquire_timeout(options.acquire_timeout)
                .connect_timeout(options.acquire_timeout)
                // sqlx pings a connection on every checkout by default: a round trip per
                // statement. Only a connection idle this long (which a restarted server or a
                // proxy may have dropped) is pinged; a broken busy one fails its statement,
                // which reports UNAVAILABLE, and is discarded.
                .test_before_acquire_if_idle_for(IDLE_BEFORE_PING)
                .sqlx_logging(false);
            let pool = SeaDatabase::connect(connect).await.map_err(from_db)?;
            let target = Target::postgres(url).map_err(|error| {
                StorageError::InvalidInput(format!(
                    "the PostgreSQL database URL is malformed: {error}"
                ))
            })?;
            let limits = Limits {
                connections: options.max_connections.max(1),
                acquire_timeout: options.acquire_timeout,
                ping_if_idle_for: Some(IDLE_BEFORE_PING),
                // sqlx's default for its pools: a server connection costs the server.
                close_if_idle_for: Some(Duration::from_secs(600)),
                max_lifetime: Some(MAX_CONNECTION_LIFETIME),
                reap_every: Some(REAP_EVERY),
            };
            let searcher = ReadPool::new(
                target
                    .clone()
                    .with_session_settings(&crate::people::search_session()),
                limits,
                Arc::clone(&statements),
            );
            let reader = Reader::Pool(ReadPool::new(target, limits, Arc::clone(&statements)));
            (Engine::Postgres, reader, Some(searcher), pool)
        } else {
            return Err(StorageError::InvalidInput(format!(
                "unsupported database URL {:?}: use sqlite://FILE?mode=rwc, sqlite::memory: or postgres://...",
                redact(url)
            )));
        };
        let counter = Arc::clone(&statements);
        writer.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::Relaxed);
        });
        Ok(Self {
            inner: Arc::new(Inner {
                engine,
                reader,
                searcher,
                writer,
                statements,
                estimates: crate::estimates::Estimates::default(),
            }),
        })
    }

    /// Connects and applies pending migrations.
    pub async fn connect_and_migrate(options: &StorageOptions) -> Result<Self, StorageError> {
        let database = Self::connect(options).await?;
        database.migrate().await?;
        Ok(database)
    }

    /// Applies pending migrations. On PostgreSQL they run in one transaction holding an
    /// advisory lock, so replicas starting together apply them once; on SQLite the single
    /// writer connection serializes them.
    pub async fn migrate(&self) -> Result<(), StorageError> {
        match self.inner.engine {
            Engine::Sqlite => Migrator::up(&self.inner.writer, None)
                .await
                .map_err(from_db),
            Engine::Postgres => {
                let transaction = self.inner.writer.begin().await.map_err(from_db)?;
                transaction
                    .execute_raw(Statement::from_sql_and_values(
                        DbBackend::Postgres,
                        "SELECT pg_advisory_xact_lock($1)",
                        [MIGRATION_LOCK_KEY.into()],
                    ))
                    .await
                    .map_err(from_db)?;
                Migrator::up(&transaction, None).await.map_err(from_db)?;
                transaction.commit().await.map_err(from_db)
            }
        }
    }

    /// The engine.
    #[must_use]
    pub fn engine(&self) -> Engine {
        self.inner.engine
    }

    /// How many SQL statements this handle has run so far (for tests and metrics).
    #[must_use]
    pub fn statement_count(&self) -> u64 {
        self.inner.statements.load(Ordering::Relaxed)
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StorageError> {
        match &self.inner.reader {
            Reader::Pool(pool) => pool.ping().await,
            Reader::Shared(connection) => connection.ping().await,
        }
        .map_err(|error| StorageError::Unavailable(error.to_string()))
    }

    /// The connection plain reads go through.
    pub(crate) fn reader(&self) -> &Reader {
        &self.inner.reader
    }

    /// The pool for name searches, whose statements stop at the search's timeout (PostgreSQL:
    /// sessions with the search's settings; SQLite: connections whose statements are
    /// interrupted at their deadline); `None` for an in-memory SQLite database, whose one
    /// connection answers every read.
    pub(crate) fn searcher(&self) -> Option<&ReadPool> {
        self.inner.searcher.as_ref()
    }

    /// The name search's planning figures, kept a while.
    pub(crate) fn estimates(&self) -> &crate::estimates::Estimates {
        &self.inner.estimates
    }

    /// Begins a write transaction: `BEGIN IMMEDIATE` on SQLite, a plain (read committed)
    /// transaction on PostgreSQL, where rules lock the rows they hang on.
    pub(crate) async fn begin_write(&self) -> Result<DatabaseTransaction, StorageError> {
        let options = TransactionOptions {
            isolation_level: None,
            access_mode: None,
            sqlite_transaction_mode: (self.inner.engine == Engine::Sqlite)
                .then_some(SqliteTransactionMode::Immediate),
        };
        self.inner
            .writer
            .begin_with_options(options)
            .await
            .map_err(from_db)
    }

    /// Locks the selected rows until the write transaction ends: `SELECT ... FOR NO KEY UPDATE` on
    /// PostgreSQL; unchanged on SQLite, whose `BEGIN IMMEDIATE` write transactions already
    /// exclude every other writer.
    pub(crate) fn for_update<E: sea_orm::EntityTrait>(
        &self,
        select: sea_orm::Select<E>,
    ) -> sea_orm::Select<E> {
        match self.inner.engine {
            // NO KEY UPDATE excludes other writers of the row just as UPDATE does, but leaves
            // the KEY SHARE lock that a foreign key check takes free, so two writes that each
            // lock one row and merely refer to the other's cannot deadlock.
            Engine::Postgres => {
                sea_orm::QuerySelect::lock(select, sea_orm::sea_query::LockType::NoKeyUpdate)
            }
            Engine::Sqlite => select,
        }
    }

    /// Publishes an event to every gateway on this database: `NOTIFY` on PostgreSQL (each
    /// replica listening gets it); nothing on SQLite, where one process serves the file and
    /// delivers events in-process.
    pub async fn notify(&self, payload: &str) -> Result<(), StorageError> {
        if self.inner.engine != Engine::Postgres {
            return Ok(());
        }
        self.inner
            .writer
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_notify($1, $2)",
                [EVENT_CHANNEL.into(), payload.into()],
            ))
            .await
            .map_err(from_db)?;
        Ok(())
    }

    /// Listens for the events [`Self::notify`] publishes (PostgreSQL only; `None` on SQLite).
    /// The listener reconnects by itself when the connection drops.
    pub async fn listen(&self) -> Result<Option<EventListener>, StorageError> {
        if self.inner.engine != Engine::Postgres {
            return Ok(None);
        }
        let pool = self.inner.writer.get_postgres_connection_pool();
        let mut listener = sea_orm::sqlx::postgres::PgListener::connect_with(pool)
            .await
            .map_err(|error| StorageError::Unavailable(error.to_string()))?;
        listener
            .listen(EVENT_CHANNEL)
            .await
            .map_err(|error| StorageError::Unavailable(error.to_string()))?;
        Ok(Some(EventListener { listener }))
    }

    /// The connection pools' use: (connections open, connections idle) over readers, name
    /// searches and the writer.
    #[must_use]
    pub fn pool_status(&self) -> (u32, u32) {
        let status = |connection: &DatabaseConnection| match self.inner.engine {
            Engine::Postgres => {
                let pool = connection.get_postgres_connection_pool();
                (
                    pool.size(),
                    u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
                )
            }
            Engine::Sqlite => {
                let pool = connection.get_sqlite_connection_pool();
                (
                    pool.size(),
                    u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
                )
            }
        };
        let writer = status(&self.inner.writer);
        let reader = match &self.inner.reader {
            Reader::Pool(pool) => pool.status(),
            // The writer's own connection.
            Reader::Shared(_) => return writer,
        };
        let searcher = self
            .inner
            .searcher
            .as_ref()
            .map_or((0, 0), ReadPool::status);
        (
            reader.0 + writer.0 + searcher.0,
            reader.1 + writer.1 + searcher.1,
        )
    }
}

async fn connect_sqlite(
    url: &str,
    connections: u32,
    acquire_timeout: Duration,
    tune: impl Fn(SqliteConnectOptions) -> SqliteConnectOptions + Send + Sync + 'static,
) -> Result<DatabaseConnection, StorageError> {
    let mut connect = ConnectOptions::new(url.to_owned());
    // Connections are kept for the life of the pool: an in-memory database lives only as long
    // as its connection. A connection to a file does not go stale the way a network one can,
    // so it is not pinged before each use (on SQLite a ping is a round trip to the
    // connection's thread, as costly as a small statement).
    connect
        .test_before_acquire(false)
        .max_connections(connections)
        .min_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .acquire_timeout(acquire_timeout)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(tune);
    SeaDatabase::connect(connect).await.map_err(from_db)
}

/// The URL without a password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.chars().take(100).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An in-memory database reads through its one connection, with its statements' limits
    /// written into their text: the rows are those the bound limits asked for, run after run.
    #[tokio::test]
    async fn an_in_memory_database_reads_with_its_limits() {
        let db = Database::connect(&StorageOptions::new("sqlite::memory:"))
            .await
            .unwrap();
        let reader = db.reader();
        assert!(matches!(reader, Reader::Shared(_)));
        let sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30) \
                   SELECT CAST(x AS BIGINT) AS x FROM c WHERE x > ? ORDER BY x LIMIT ?";
        for (above, wanted) in [(0_i64, 21_u64), (25, 21), (3, 2), (0, 0)] {
            let statement = Statement::from_sql_and_values(
                DbBackend::Sqlite,
                sql,
                [
                    sea_orm::Value::BigInt(Some(above)),
                    sea_orm::Value::BigUnsigned(Some(wanted)),
                ],
            );
            let written = with_limits_inlined(statement.clone());
            assert!(
                written.sql.ends_with(&format!("LIMIT {wanted}")),
                "{}",
                written.sql
            );
            let rows = reader.query_all_raw(statement).await.unwrap();
            let got: Vec<i64> = rows
                .iter()
                .map(|row| row.try_get::<i64>("", "x").unwrap())
                .collect();
            let expected: Vec<i64> = (above + 1..=30)
                .take(usize::try_from(wanted).unwrap())
                .collect();
            assert_eq!(got, expected, "above {above}, {wanted} rows");
        }
    }

    #[test]
    fn the_default_connections_depend_on_the_engine() {
        let postgres = StorageOptions::new("postgres://gazette@localhost/gazette");
        assert_eq!(
            postgres.max_connections,
            StorageOptions::POSTGRES_CONNECTIONS
        );
        assert_eq!(
            postgres.acquire_timeout,
            StorageOptions::POSTGRES_ACQUIRE_TIMEOUT
        );
        let sqlite = StorageOptions::new("sqlite://gazette.db?mode=rwc");
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        assert_eq!(
            sqlite.max_connections as usize,
            (2 * cores).clamp(2, 10),
            "twice the cores, from 2 to 10"
        );
        assert_eq!(
            sqlite.acquire_timeout,
            StorageOptions::SQLITE_ACQUIRE_TIMEOUT
        );
    }
}
