//! The pool reads go through: connections that are not pinged when they are given back.
//!
//! sqlx's own pool tests every connection it is given back with a ping before another
//! statement may use it: on PostgreSQL a round trip to the server, on SQLite a hand-off to the
//! connection's thread and back. For a page that runs three or four short statements that
//! doubles the exchanges, and under load the ping was a seventh of the gateway's time. This
//! pool gives a connection back as it is after a statement that completed (or that the
//! database refused: the connection is still in step), and closes it instead when the
//! statement was interrupted (its future dropped) or failed on the connection itself (I/O,
//! protocol), so a connection in an unknown state is never reused. A PostgreSQL connection
//! idle for a while, which a restarted server or a proxy may have dropped, is pinged before
//! it is used, as the write pool does. A connection that has been open thirty minutes (sqlx's
//! default lifetime) is closed when it is given back, so that a PostgreSQL backend's caches
//! (prepared statements and their plans, catalog entries) do not grow for the life of the
//! gateway and a server's changed settings reach every connection in time. Idle connections
//! that have waited or lived too long are closed whenever a connection is given back, and by
//! a periodic task (the reaper) when none is.
//!
//! Only plain statements run here: transactions (the writes') take their connection from
//! sea-orm's pool. A pool's PostgreSQL sessions may be given settings of their own when they
//! open ([`Target::with_session_settings`]): the name search's pool runs under its statement
//! timeout that way, without a transaction around each search. SQLite has no statement
//! timeout of its own; a SQLite pool may be given one ([`Target::with_statement_timeout`]):
//! each connection's progress handler, which SQLite calls every few thousand steps of a
//! statement, interrupts the statement once its deadline has passed (SQLITE_INTERRUPT, which
//! ends that statement only; the connection goes on).

use std::str::FromStr;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use sea_orm::sea_query::{Value, Values};
use sea_orm::sqlx::postgres::{PgConnectOptions, PgConnection, PgDatabaseError, PgSeverity};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sea_orm::sqlx::{self, ConnectOptions as _, Connection as _};
use sea_orm::{
    ConnAcquireErr, ConnectionTrait, DbBackend, DbErr, ExecResult, QueryResult, RuntimeErr,
    Statement,
};
use sea_query_sqlx::SqlxValues;
use tokio::sync::Semaphore;

/// What the pool connects to.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    /// A PostgreSQL database, and the statements (`SET ...`) each new session runs first.
    Postgres(PgConnectOptions, Option<Arc<str>>),
    /// A SQLite database, and how long each statement may run.
    Sqlite(SqliteConnectOptions, Option<Duration>),
}

impl Target {
    /// The PostgreSQL database at `url`.
    pub(crate) fn postgres(url: &str) -> Result<Self, sqlx::Error> {
        Ok(Self::Postgres(
            PgConnectOptions::from_str(url)?.disable_statement_logging(),
            None,
        ))
    }

    /// This target, whose PostgreSQL sessions each start with `settings` (`name = value`
    /// pairs, set for the session with `SET`) in one round trip when they open, before their
    /// first statement. Sent as statements rather than as startup options, which connection
    /// poolers in front of PostgreSQL may refuse. SQLite targets are unchanged.
    pub(crate) fn with_session_settings(self, settings: &[(&str, String)]) -> Self {
        match self {
            Self::Postgres(options, _) => {
                let sql: String = settings
                    .iter()
                    .map(|(name, value)| format!("SET {name} = {value};"))
                    .collect();
                Self::Postgres(options, Some(sql.into()))
            }
            sqlite @ Self::Sqlite(..) => sqlite,
        }
    }

    /// This target, whose SQLite statements are interrupted once they have run `timeout`
    /// (see the module's documentation); PostgreSQL targets are unchanged (give them a
    /// `statement_timeout` with [`Self::with_session_settings`]).
    pub(crate) fn with_statement_timeout(self, timeout: Duration) -> Self {
        match self {
            Self::Sqlite(options, _) => Self::Sqlite(options, Some(timeout)),
            postgres @ Self::Postgres(..) => postgres,
        }
    }

    /// The SQLite database of `options`.
    pub(crate) fn sqlite(options: SqliteConnectOptions) -> Self {
        Self::Sqlite(options.disable_statement_logging(), None)
    }

    async fn connect(&self) -> Result<Connection, sqlx::Error> {
        Ok(match self {
            Self::Postgres(options, settings) => {
                let mut connection = options.connect().await?;
                if let Some(settings) = settings {
                    sqlx::raw_sql(sqlx::AssertSqlSafe(&**settings))
                        .execute(&mut connection)
                        .await?;
                }
                Connection::Postgres(connection)
            }
            Self::Sqlite(options, timeout) => {
                let mut connection = options.connect().await?;
                let deadline = match timeout {
                    Some(timeout) => {
                        let deadline = Deadline::new(*timeout);
                        let watched = Arc::clone(&deadline.at);
                        connection.lock_handle().await?.set_progress_handler(
                            STEPS_BETWEEN_CHECKS,
                            // Returning false interrupts the statement.
                            move || micros_now() < watched.load(Ordering::Relaxed),
                        );
                        Some(deadline)
                    }
                    None => None,
                };
                Connection::Sqlite(connection, deadline)
            }
        })
    }

    fn backend(&self) -> DbBackend {
        match self {
            Self::Postgres(..) => DbBackend::Postgres,
            Self::Sqlite(..) => DbBackend::Sqlite,
        }
    }
}

/// How often SQLite's progress handler runs: every this many virtual machine steps of a
/// statement (a few tens of microseconds of work), so that reading the clock costs nothing
/// measurable and a statement stops within a millisecond of its deadline.
const STEPS_BETWEEN_CHECKS: i32 = 1_000;

/// Microseconds since the first time this was asked, on the monotonic clock.
fn micros_now() -> u64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    u64::try_from(START.get_or_init(Instant::now).elapsed().as_micros()).unwrap_or(u64::MAX)
}

/// A SQLite connection's statement deadline, which its progress handler watches.
#[derive(Debug)]
struct Deadline {
    /// When the running statement must stop ([`micros_now`]); `u64::MAX` between statements.
    at: Arc<AtomicU64>,
    timeout: Duration,
}

impl Deadline {
    fn new(timeout: Duration) -> Self {
        Self {
            at: Arc::new(AtomicU64::new(u64::MAX)),
            timeout,
        }
    }

    /// A statement starts now.
    fn start(&self) {
        let timeout = u64::try_from(self.timeout.as_micros()).unwrap_or(u64::MAX);
        self.at
            .store(micros_now().saturating_add(timeout), Ordering::Relaxed);
    }

    /// The statement is over.
    fn stop(&self) {
        self.at.store(u64::MAX, Ordering::Relaxed);
    }

    /// Runs `statement` under `deadline`, when there is one.
    async fn around<T>(deadline: Option<&Self>, statement: impl Future<Output = T>) -> T {
        if let Some(deadline) = deadline {
            deadline.start();
        }
        let outcome = statement.await;
        if let Some(deadline) = deadline {
            deadline.stop();
        }
        outcome
    }
}

#[derive(Debug)]
enum Connection {
    Postgres(PgConnection),
    /// With the statement deadline of a pool that has a timeout.
    Sqlite(SqliteConnection, Option<Deadline>),
}

impl Connection {
    async fn ping(&mut self) -> Result<(), sqlx::Error> {
        match self {
            Self::Postgres(connection) => connection.ping().await,
            Self::Sqlite(connection, _) => connection.ping().await,
        }
    }
}

/// How a pool is sized and when it pings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Connections open at most.
    pub(crate) connections: u32,
    /// How long a statement waits for a connection (and for a new one to open).
    pub(crate) acquire_timeout: Duration,
    /// A connection idle at least this long is pinged before it is used; `None`: never.
    pub(crate) ping_if_idle_for: Option<Duration>,
    /// A connection idle at least this long is closed when another is given back (the pool
    /// shrinks after a burst); `None`: kept.
    pub(crate) close_if_idle_for: Option<Duration>,
    /// A connection open at least this long is closed when it is given back; `None`: kept.
    pub(crate) max_lifetime: Option<Duration>,
    /// How often idle connections are checked against the two limits above without waiting
    /// for another to be given back; `None`: only then.
    pub(crate) reap_every: Option<Duration>,
}

/// A pool of reading connections (see the module's documentation). Cloning shares it.
#[derive(Debug, Clone)]
pub(crate) struct ReadPool {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    target: Target,
    limits: Limits,
    /// Idle connections, each with when it was opened and when it was given back.
    idle: Mutex<Vec<Idle>>,
    permits: Semaphore,
    open: AtomicU32,
    statements: Arc<AtomicU64>,
}

impl Shared {
    /// Takes out of `idle` the connections idle too long or open too long at `now`, and
    /// counts them closed; the caller drops them (outside the lock).
    fn take_expired(&self, idle: &mut Vec<Idle>, now: Instant) -> Vec<Idle> {
        let limits = &self.limits;
        let expired = |waiting: &Idle| {
            limits
                .close_if_idle_for
                .is_some_and(|limit| now.saturating_duration_since(waiting.since) >= limit)
                || limits
                    .max_lifetime
                    .is_some_and(|limit| now.saturating_duration_since(waiting.opened) >= limit)
        };
        if !idle.iter().any(expired) {
            return Vec::new();
        }
        let (closed, kept): (Vec<Idle>, Vec<Idle>) = idle.drain(..).partition(expired);
        *idle = kept;
        self.open.fetch_sub(
            u32::try_from(closed.len()).unwrap_or(u32::MAX),
            Ordering::Relaxed,
        );
        closed
    }

    /// Closes the idle connections that have waited or lived too long.
    fn reap(&self) {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        let closed = self.take_expired(&mut idle, Instant::now());
        drop(idle);
        drop(closed);
    }
}

/// Every `every`, closes `shared`'s idle connections that have waited or lived too long, so
/// that a gateway without traffic does not keep them; stops once the pool is gone. Needs a
/// tokio runtime (without one, connections are closed only as others are given back).
fn spawn_reaper(shared: &Arc<Shared>, every: Duration) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let pool = Arc::downgrade(shared);
    runtime.spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // The first tick is at once.
        ticks.tick().await;
        loop {
            ticks.tick().await;
            let Some(shared) = pool.upgrade() else {
                return;
            };
            shared.reap();
        }
    });
}

/// A connection waiting in the pool.
#[derive(Debug)]
struct Idle {
    connection: Connection,
    opened: Instant,
    since: Instant,
}

/// A connection taken from the pool. Dropped without [`Lease::end`], it closes the
/// connection: whatever it was doing did not finish.
struct Lease<'p> {
    shared: &'p Shared,
    connection: Option<Connection>,
    /// When the connection was opened.
    opened: Instant,
    _permit: tokio::sync::SemaphorePermit<'p>,
}

impl Lease<'_> {
    /// Pings the connection (a lease without one, which [`ReadPool::lease`] never hands out,
    /// fails as a closed pool would).
    async fn ping(&mut self) -> Result<(), sqlx::Error> {
        match &mut self.connection {
            Some(connection) => connection.ping().await,
            None => Err(sqlx::Error::PoolClosed),
        }
    }

    /// Ends the lease after a statement: the connection goes back to the pool unless the
    /// statement failed on the connection rather than in the database, or the database ended
    /// the session with its error (PostgreSQL's FATAL: a backend terminated, a server
    /// shutting down), or the connection has lived its time.
    fn end<T>(mut self, outcome: &Result<T, sqlx::Error>) {
        let now = Instant::now();
        let expired = self
            .shared
            .limits
            .max_lifetime
            .is_some_and(|limit| now.saturating_duration_since(self.opened) >= limit);
        let reusable = !expired
            && match outcome {
                Ok(_) => true,
                Err(sqlx::Error::Database(error)) => error
                    .try_downcast_ref::<PgDatabaseError>()
                    .is_none_or(|error| {
                        !matches!(error.severity(), PgSeverity::Fatal | PgSeverity::Panic)
                    }),
                Err(_) => false,
            };
        if reusable && let Some(connection) = self.connection.take() {
            let mut idle = self
                .shared
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            idle.push(Idle {
                connection,
                opened: self.opened,
                since: now,
            });
            let closed = self.shared.take_expired(&mut idle, now);
            drop(idle);
            drop(closed);
        }
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if self.connection.take().is_some() {
            self.shared.open.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

fn query_err(error: sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(Arc::new(error)))
}

fn exec_err(error: sqlx::Error) -> DbErr {
    DbErr::Exec(RuntimeErr::SqlxError(Arc::new(error)))
}

/// `sql` (SQLite's, with `?` placeholders) with each `LIMIT ?` written as the integer its value
/// binds, and `values` without those; `None` when there is none to write or the text is not
/// one this reads with certainty (a numbered placeholder, a comment, placeholders and values
/// that do not pair up, a limit that is not an integer from 0 to 2^63 - 1), to be run as it is.
///
/// SQLite compiles a statement anew at its next run whenever a parameter its plan was sized
/// by is bound again, with the same value or not, and in the bundled SQLite (3.51) a
/// `LIMIT ?`'s parameter is one (the planner reads it to know how many rows the query wants).
/// Every page statement, bound afresh on each run, was parsed and planned on every run: a
/// quarter of the gateway's time on a page of tasks. Written as a literal, the limit sizes the
/// same plan as before and the statement is prepared once per connection and limit (a page's
/// limit is its size, 1 to 100, plus one: a hundred values at most); its other values stay bound.
pub(crate) fn limits_inlined(sql: &str, values: &[Value]) -> Option<(String, Vec<Value>)> {
    if !sql.contains("LIMIT ?") {
        return None;
    }
    let bytes = sql.as_bytes();
    // (byte offset of the `?`, index of its value, the limit)
    let mut limits: Vec<(usize, usize, i64)> = Vec::new();
    let mut placeholders = 0;
    let mut quote: Option<u8> = None;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        match quote {
            Some(open) => {
                if byte == open {
                    // A doubled quote is the quote itself, inside the literal.
                    if bytes.get(at + 1) == Some(&open) {
                        at += 1;
                    } else {
                        quote = None;
                    }
                }
            }
            None => match byte {
                b'\'' | b'"' | b'`' => quote = Some(byte),
                b'[' => quote = Some(b']'),
                b'-' if bytes.get(at + 1) == Some(&b'-') => return None,
                b'/' if bytes.get(at + 1) == Some(&b'*') => return None,
                b'?' => {
                    if bytes.get(at + 1).is_some_and(u8::is_ascii_digit) {
                        return None;
                    }
                    // Compared as bytes: the text before may end in a character of
                    // several bytes, which a string slice could cut.
                    let before = sql[..at].trim_end().as_bytes();
                    let keyword = before.len() >= 5
                        && before[before.len() - 5..].eq_ignore_ascii_case(b"LIMIT")
                        && before[..before.len() - 5]
                            .last()
                            .is_none_or(|byte| byte.is_ascii_whitespace() || *byte == b')');
                    if keyword {
                        // SQLite's integers are 64-bit signed: a larger limit stays bound.
                        let limit = match values.get(placeholders)? {
                            Value::BigUnsigned(Some(n)) => i64::try_from(*n).ok()?,
                            Value::Unsigned(Some(n)) => i64::from(*n),
                            Value::BigInt(Some(n)) => *n,
                            Value::Int(Some(n)) => i64::from(*n),
                            _ => return None,
                        };
                        if limit < 0 {
                            return None;
                        }
                        limits.push((at, placeholders, limit));
                    }
                    placeholders += 1;
                }
                b':' | b'@' | b'$' => return None,
                _ => {}
            },
        }
        at += 1;
    }
    if limits.is_empty() || placeholders != values.len() {
        return None;
    }
    let mut written = String::with_capacity(sql.len() + 8);
    let mut kept = Vec::with_capacity(values.len() - limits.len());
    let mut from = 0;
    for &(offset, _, limit) in &limits {
        written.push_str(&sql[from..offset]);
        written.push_str(&limit.to_string());
        from = offset + 1;
    }
    written.push_str(&sql[from..]);
    let mut inlined = limits.iter().map(|&(_, index, _)| index).peekable();
    for (index, value) in values.iter().enumerate() {
        if inlined.peek() == Some(&index) {
            inlined.next();
        } else {
            kept.push(value.clone());
        }
    }
    Some((written, kept))
}

/// `stmt`, a SQLite statement, with its limits written into its text as [`limits_inlined`]
/// writes them (unchanged when it has none to write), for SQLite connections outside the pool:
/// an in-memory database's one connection.
pub(crate) fn with_limits_inlined(stmt: Statement) -> Statement {
    let values = stmt.values.as_ref().map_or(&[][..], |values| &values.0[..]);
    match limits_inlined(&stmt.sql, values) {
        Some((sql, values)) => Statement {
            sql,
            values: Some(Values(values)),
            db_backend: stmt.db_backend,
        },
        None => stmt,
    }
}

/// Runs `$body` with `$query` (the statement, its values bound) on the lease's connection,
/// whichever engine it is, and ends the lease by the outcome. On SQLite the statement's limits
/// are written into its text first ([`limits_inlined`]).
macro_rules! on_connection {
    ($pool:expr, $stmt:expr, $convert:expr, |$query:ident, $connection:ident| $body:expr) => {{
        let mut lease = $pool.lease().await?;
        let values = $stmt
            .values
            .as_ref()
            .map_or(&[][..], |values| &values.0[..]);
        let outcome = match &mut lease.connection {
            Some(Connection::Postgres($connection)) => {
                let sql = sqlx::AssertSqlSafe($stmt.sql.as_str());
                let $query = sqlx::query_with(sql, SqlxValues(Values(values.to_vec())));
                $body
            }
            Some(Connection::Sqlite($connection, deadline)) => {
                let (sql, values) = match limits_inlined(&$stmt.sql, values) {
                    Some((sql, values)) => (std::borrow::Cow::Owned(sql), values),
                    None => (
                        std::borrow::Cow::Borrowed($stmt.sql.as_str()),
                        values.to_vec(),
                    ),
                };
                let $query =
                    sqlx::query_with(sqlx::AssertSqlSafe(&*sql), SqlxValues(Values(values)));
                Deadline::around(deadline.as_ref(), async { $body }).await
            }
            None => Err(sqlx::Error::PoolClosed),
        };
        lease.end(&outcome);
        outcome.map_err($convert)
    }};
}

impl ReadPool {
    /// A pool over `target`; it opens connections as statements need them. `statements`
    /// counts the statements run.
    pub(crate) fn new(target: Target, limits: Limits, statements: Arc<AtomicU64>) -> Self {
        let permits = usize::try_from(limits.connections.max(1)).unwrap_or(usize::MAX);
        let shared = Arc::new(Shared {
            target,
            limits,
            idle: Mutex::new(Vec::new()),
            permits: Semaphore::new(permits),
            open: AtomicU32::new(0),
            statements,
        });
        if let Some(every) = limits.reap_every {
            spawn_reaper(&shared, every);
        }
        Self { shared }
    }

    /// (connections open, connections idle).
    pub(crate) fn status(&self) -> (u32, u32) {
        let idle = self
            .shared
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len();
        (
            self.shared.open.load(Ordering::Relaxed),
            u32::try_from(idle).unwrap_or(u32::MAX),
        )
    }

    /// Checks that the database answers, on a connection of the pool.
    pub(crate) async fn ping(&self) -> Result<(), DbErr> {
        let mut lease = self.lease().await?;
        let outcome = lease.ping().await;
        lease.end(&outcome);
        outcome.map_err(|error| DbErr::Conn(RuntimeErr::SqlxError(Arc::new(error))))
    }

    async fn lease(&self) -> Result<Lease<'_>, DbErr> {
        let shared = &*self.shared;
        let timeout = shared.limits.acquire_timeout;
        let permit = tokio::time::timeout(timeout, shared.permits.acquire())
            .await
            .map_err(|_| DbErr::ConnectionAcquire(ConnAcquireErr::Timeout))?
            .map_err(|_| DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed))?;
        let mut lease = Lease {
            shared,
            connection: None,
            opened: Instant::now(),
            _permit: permit,
        };
        loop {
            let idle = shared
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop();
            let Some(Idle {
                connection,
                opened,
                since,
            }) = idle
            else {
                break;
            };
            lease.connection = Some(connection);
            lease.opened = opened;
            let stale = shared
                .limits
                .ping_if_idle_for
                .is_some_and(|limit| since.elapsed() >= limit);
            if !stale || lease.ping().await.is_ok() {
                return Ok(lease);
            }
            // Dropped by the server or a proxy: close it and try the next.
            lease.connection = None;
            shared.open.fetch_sub(1, Ordering::Relaxed);
        }
        let connection = tokio::time::timeout(timeout, shared.target.connect())
            .await
            .map_err(|_| DbErr::ConnectionAcquire(ConnAcquireErr::Timeout))?
            .map_err(|error| DbErr::Conn(RuntimeErr::SqlxError(Arc::new(error))))?;
        shared.open.fetch_add(1, Ordering::Relaxed);
        lease.connection = Some(connection);
        lease.opened = Instant::now();
        Ok(lease)
    }

    fn count(&self) {
        self.shared.statements.fetch_add(1, Ordering::Relaxed);
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for ReadPool {
    fn get_database_backend(&self) -> DbBackend {
        self.shared.target.backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.count();
        on_connection!(self, stmt, exec_err, |query, connection| query
            .execute(&mut *connection)
            .await
            .map(ExecResult::from))
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.count();
        let mut lease = self.lease().await?;
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        let outcome = match &mut lease.connection {
            Some(Connection::Postgres(connection)) => sqlx::raw_sql(sql)
                .execute(&mut *connection)
                .await
                .map(ExecResult::from),
            Some(Connection::Sqlite(connection, deadline)) => {
                let statement = sqlx::raw_sql(sql).execute(&mut *connection);
                Deadline::around(deadline.as_ref(), statement)
                    .await
                    .map(ExecResult::from)
            }
            None => Err(sqlx::Error::PoolClosed),
        };
        lease.end(&outcome);
        outcome.map_err(exec_err)
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.count();
        on_connection!(self, stmt, query_err, |query, connection| query
            .fetch_optional(&mut *connection)
            .await
            .map(|row| row.map(QueryResult::from)))
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.count();
        on_connection!(self, stmt, query_err, |query, connection| query
            .fetch_all(&mut *connection)
            .await
            .map(|rows| rows.into_iter().map(QueryResult::from).collect()))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Duration;

    use sea_orm::sqlx::sqlite::SqliteConnectOptions;
    use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};

    use super::{Limits, ReadPool, Target, limits_inlined};
    use crate::error::{StorageError, from_db};

    /// A SQLite file of its own (removed when dropped), and PostgreSQL where the storage tests
    /// have one (`GAZETTE_TEST_DATABASE_URL`).
    struct Targets {
        file: std::path::PathBuf,
    }

    impl Targets {
        fn new() -> Self {
            let file =
                std::env::temp_dir().join(format!("gazette-read-pool-{}.db", uuid::Uuid::now_v7()));
            Self { file }
        }

        fn all(&self) -> Vec<Target> {
            let mut targets = vec![Target::sqlite(
                SqliteConnectOptions::new()
                    .filename(&self.file)
                    .create_if_missing(true),
            )];
            if let Ok(url) = std::env::var("GAZETTE_TEST_DATABASE_URL") {
                targets.push(Target::postgres(&url).unwrap());
            }
            targets
        }
    }

    impl Drop for Targets {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.file);
        }
    }

    fn pool(target: Target, connections: u32, ping_if_idle_for: Option<Duration>) -> ReadPool {
        ReadPool::new(
            target,
            Limits {
                connections,
                acquire_timeout: Duration::from_millis(300),
                ping_if_idle_for,
                close_if_idle_for: None,
                max_lifetime: None,
                reap_every: None,
            },
            Arc::new(AtomicU64::new(0)),
        )
    }

    fn sql(pool: &ReadPool, sql: &str) -> Statement {
        Statement::from_string(pool.get_database_backend(), sql)
    }

    /// A statement that runs for a second or more.
    fn slow(pool: &ReadPool) -> Statement {
        match pool.get_database_backend() {
            DbBackend::Postgres => sql(pool, "SELECT pg_sleep(2)"),
            _ => sql(
                pool,
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000000) \
                 SELECT count(*) FROM c",
            ),
        }
    }

    async fn one(pool: &ReadPool) -> Result<i64, DbErr> {
        let row = pool
            .query_one_raw(sql(pool, "SELECT CAST(1 AS BIGINT) AS one"))
            .await?;
        row.expect("a row").try_get("", "one")
    }

    fn int(n: i64) -> Value {
        Value::BigInt(Some(n))
    }

    fn limit(n: u64) -> Value {
        Value::BigUnsigned(Some(n))
    }

    fn text(text: &str) -> Value {
        Value::String(Some(text.to_owned()))
    }

    /// Every `LIMIT ?` outside quotes is written as its value and its value taken out, the
    /// other placeholders keep theirs in order; a text or values this cannot pair up for
    /// certain is left as it is.
    #[test]
    fn limits_are_written_into_sqlite_statements() {
        assert_eq!(
            limits_inlined(
                "SELECT *, (SELECT 1 WHERE x = ?) FROM (SELECT * FROM t WHERE a = ? AND b < ? \
                 ORDER BY a LIMIT ?) AS t ORDER BY a",
                &[int(1), text("x"), int(3), limit(21)],
            ),
            Some((
                "SELECT *, (SELECT 1 WHERE x = ?) FROM (SELECT * FROM t WHERE a = ? AND b < ? \
                 ORDER BY a LIMIT 21) AS t ORDER BY a"
                    .to_owned(),
                vec![int(1), text("x"), int(3)],
            )),
        );
        // Two limits, an offset after one, quotes holding what looks like placeholders.
        assert_eq!(
            limits_inlined(
                "SELECT 'LIMIT ?', \"a?\", [b?] FROM (SELECT x FROM t LIMIT ? OFFSET ?) \
                 WHERE y = 'it''s ?' AND z = ? limit  ?",
                &[int(5), int(10), text("z"), Value::Int(Some(3))],
            ),
            Some((
                "SELECT 'LIMIT ?', \"a?\", [b?] FROM (SELECT x FROM t LIMIT 5 OFFSET ?) \
                 WHERE y = 'it''s ?' AND z = ? limit  3"
                    .to_owned(),
                vec![int(10), text("z")],
            )),
        );
        // Text of several-byte characters before a placeholder is read, not cut.
        assert_eq!(
            limits_inlined("SELECT ễabc ? FROM t LIMIT ?", &[int(1), limit(2)]),
            Some(("SELECT ễabc ? FROM t LIMIT 2".to_owned(), vec![int(1)])),
        );
        // No limit placeholder; a limit already written.
        assert_eq!(limits_inlined("SELECT ? FROM t", &[int(1)]), None);
        assert_eq!(limits_inlined("SELECT * FROM t LIMIT 20", &[]), None);
        // A word ending in `limit` is not the keyword.
        assert_eq!(
            limits_inlined(
                "SELECT * FROM t WHERE speedlimit ? LIMIT ?",
                &[int(1), limit(2)]
            )
            .map(|(sql, _)| sql),
            Some("SELECT * FROM t WHERE speedlimit ? LIMIT 2".to_owned()),
        );
        // Left as they are: numbered or named placeholders, comments, a count that does not
        // match the values, a limit that is not a non-negative integer.
        for (sql, values) in [
            (
                "SELECT * FROM t WHERE a = ?1 LIMIT ?",
                vec![int(1), limit(2)],
            ),
            (
                "SELECT * FROM t WHERE a = :a LIMIT ?",
                vec![int(1), limit(2)],
            ),
            ("SELECT * FROM t -- note\n LIMIT ?", vec![limit(2)]),
            ("SELECT * FROM t /* note */ LIMIT ?", vec![limit(2)]),
            ("SELECT * FROM t WHERE a = ? LIMIT ?", vec![limit(2)]),
            ("SELECT * FROM t LIMIT ?", vec![limit(2), int(1)]),
            ("SELECT * FROM t LIMIT ?", vec![int(-1)]),
            ("SELECT * FROM t LIMIT ?", vec![limit(u64::MAX)]),
            ("SELECT * FROM t LIMIT ?", vec![text("20")]),
            ("SELECT * FROM t LIMIT ?", vec![Value::BigUnsigned(None)]),
        ] {
            assert_eq!(limits_inlined(sql, &values), None, "{sql}");
        }
    }

    /// Through the pool, a SQLite statement whose limit is written into its text returns what
    /// its bound limit asked for, run after run with other limits (and on PostgreSQL as it is).
    #[tokio::test]
    async fn statements_with_limits_return_their_rows() {
        let targets = Targets::new();
        for target in targets.all() {
            let pool = pool(target, 2, None);
            let backend = pool.get_database_backend();
            let placeholder = |n: usize| match backend {
                DbBackend::Postgres => format!("${n}"),
                _ => "?".to_owned(),
            };
            let text = format!(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 50) \
                 SELECT CAST(x AS BIGINT) AS x FROM c WHERE x > {} ORDER BY x LIMIT {}",
                placeholder(1),
                placeholder(2),
            );
            for (above, wanted) in [(0, 21_u64), (10, 3), (40, 21), (0, 0), (5, 21)] {
                let rows = pool
                    .query_all_raw(Statement::from_sql_and_values(
                        backend,
                        &text,
                        [Value::BigInt(Some(above)), Value::BigUnsigned(Some(wanted))],
                    ))
                    .await
                    .unwrap();
                let got: Vec<i64> = rows
                    .iter()
                    .map(|row| row.try_get::<i64>("", "x").unwrap())
                    .collect();
                let expected: Vec<i64> = (above + 1..=50)
                    .take(usize::try_from(wanted).unwrap())
                    .collect();
                assert_eq!(got, expected, "{backend:?}: above {above}, {wanted} rows");
            }
        }
    }

    /// A pool that gets no statements still closes its connections once they have waited
    /// too long (the reaper), and stops reaping once the pool is dropped.
    #[tokio::test]
    async fn idle_connections_are_closed_without_traffic() {
        let targets = Targets::new();
        for target in targets.all() {
            let pool = ReadPool::new(
                target,
                Limits {
                    connections: 4,
                    acquire_timeout: Duration::from_millis(300),
                    ping_if_idle_for: None,
                    close_if_idle_for: Some(Duration::from_millis(200)),
                    max_lifetime: None,
                    reap_every: Some(Duration::from_millis(50)),
                },
                Arc::new(AtomicU64::new(0)),
            );
            assert_eq!(one(&pool).await.unwrap(), 1);
            assert_eq!(pool.status(), (1, 1), "{pool:?}");
            tokio::time::sleep(Duration::from_millis(500)).await;
            assert_eq!(
                pool.status(),
                (0, 0),
                "closed with no statement run: {pool:?}"
            );
            // The reaper holds the pool only while it reaps (a current-thread runtime: not
            // now), so dropping the pool frees it and ends the reaper at its next tick.
            let reaped = Arc::downgrade(&pool.shared);
            drop(pool);
            assert!(reaped.upgrade().is_none());
        }
    }

    /// A connection that has lived its time is closed when it is given back, even after a
    /// statement that went well; the next statement opens a new one.
    #[tokio::test]
    async fn a_connection_that_has_lived_its_time_is_closed_when_given_back() {
        let targets = Targets::new();
        for target in targets.all() {
            let mut pool = pool(target, 4, None);
            Arc::get_mut(&mut pool.shared).unwrap().limits.max_lifetime =
                Some(Duration::from_millis(300));
            assert_eq!(one(&pool).await.unwrap(), 1);
            assert_eq!(
                pool.status(),
                (1, 1),
                "a young connection is kept: {pool:?}"
            );
            tokio::time::sleep(Duration::from_millis(400)).await;
            assert_eq!(one(&pool).await.unwrap(), 1);
            assert_eq!(pool.status(), (0, 0), "an old one is closed: {pool:?}");
            assert_eq!(one(&pool).await.unwrap(), 1);
            assert_eq!(pool.status(), (1, 1), "{pool:?}");
        }
    }

    #[tokio::test]
    async fn connections_are_reused_and_statements_counted() {
        let targets = Targets::new();
        for target in targets.all() {
            let pool = pool(target, 4, None);
            for _ in 0..5 {
                assert_eq!(one(&pool).await.unwrap(), 1);
            }
            assert_eq!(pool.status(), (1, 1), "{pool:?}");
            assert_eq!(pool.shared.statements.load(Ordering::Relaxed), 5);
        }
    }

    #[tokio::test]
    async fn a_connection_idle_too_long_is_closed_when_another_is_given_back() {
        let targets = Targets::new();
        for target in targets.all() {
            let mut pool = pool(target, 4, None);
            Arc::get_mut(&mut pool.shared)
                .expect("not shared yet")
                .limits
                .close_if_idle_for = Some(Duration::from_millis(200));
            // Two connections, held at once and given back: two statements run together may
            // use one connection in turn, when the first is done before the second asks.
            let first = pool.lease().await.unwrap();
            let second = pool.lease().await.unwrap();
            first.end(&Ok::<(), sea_orm::sqlx::Error>(()));
            second.end(&Ok::<(), sea_orm::sqlx::Error>(()));
            assert_eq!(pool.status(), (2, 2), "{pool:?}");
            tokio::time::sleep(Duration::from_millis(300)).await;
            assert_eq!(one(&pool).await.unwrap(), 1);
            assert_eq!(pool.status(), (1, 1), "{pool:?}");
        }
    }

    #[tokio::test]
    async fn a_statement_the_database_refuses_keeps_its_connection() {
        let targets = Targets::new();
        for target in targets.all() {
            let pool = pool(target, 4, None);
            let error = pool
                .query_all_raw(sql(&pool, "SELECT * FROM no_such_table"))
                .await
                .unwrap_err();
            assert!(
                matches!(from_db(error), StorageError::Internal(_)),
                "{pool:?}"
            );
            assert_eq!(pool.status(), (1, 1));
            assert_eq!(one(&pool).await.unwrap(), 1);
            assert_eq!(pool.status(), (1, 1));
        }
    }

    #[tokio::test]
    async fn an_interrupted_statement_closes_its_connection() {
        let targets = Targets::new();
        for target in targets.all() {
            let pool = pool(target, 4, None);
            assert_eq!(one(&pool).await.unwrap(), 1);
            let interrupted =
                tokio::time::timeout(Duration::from_millis(50), pool.query_all_raw(slow(&pool)))
                    .await;
            assert!(
                interrupted.is_err(),
                "the statement should still be running"
            );
            // Its connection is not given back half-way through a result.
            assert_eq!(pool.status(), (0, 0), "{pool:?}");
            assert_eq!(one(&pool).await.unwrap(), 1);
            assert_eq!(pool.status(), (1, 1));
        }
    }

    #[tokio::test]
    async fn a_full_pool_makes_a_statement_wait_then_fail_as_unavailable() {
        let targets = Targets::new();
        for target in targets.all() {
            let pool = pool(target, 1, None);
            let busy = {
                let pool = pool.clone();
                tokio::spawn(async move { pool.query_all_raw(slow(&pool)).await })
            };
            tokio::time::sleep(Duration::from_millis(50)).await;
            let error = one(&pool).await.unwrap_err();
            assert!(
                matches!(from_db(error), StorageError::Unavailable(_)),
                "{pool:?}"
            );
            busy.await.unwrap().unwrap();
            assert_eq!(one(&pool).await.unwrap(), 1);
        }
    }

    /// A connection that breaks under a statement (here, PostgreSQL ended its backend and the
    /// pool does not ping it first) fails that statement as UNAVAILABLE and is closed, not
    /// given back; the next statement opens a new one.
    #[tokio::test]
    async fn a_connection_that_broke_under_a_statement_is_closed() {
        let Ok(url) = std::env::var("GAZETTE_TEST_DATABASE_URL") else {
            return;
        };
        let pool = pool(Target::postgres(&url).unwrap(), 2, None);
        let row = pool
            .query_one_raw(sql(&pool, "SELECT pg_backend_pid() AS pid"))
            .await
            .unwrap()
            .unwrap();
        let pid: i32 = row.try_get("", "pid").unwrap();
        let admin = sea_orm::Database::connect(&url).await.unwrap();
        admin
            .execute_unprepared(&format!("SELECT pg_terminate_backend({pid})"))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        let error = one(&pool).await.unwrap_err();
        assert!(
            matches!(from_db(error), StorageError::Unavailable(_)),
            "{pool:?}"
        );
        assert_eq!(pool.status(), (0, 0));
        assert_eq!(one(&pool).await.unwrap(), 1);
        assert_eq!(pool.status(), (1, 1));
    }

    /// A connection PostgreSQL closed while it sat idle is pinged, found dead and replaced
    /// before a statement runs on it.
    #[tokio::test]
    async fn an_idle_connection_the_server_dropped_is_replaced() {
        let Ok(url) = std::env::var("GAZETTE_TEST_DATABASE_URL") else {
            return;
        };
        let pool = pool(Target::postgres(&url).unwrap(), 2, Some(Duration::ZERO));
        let pid = |pool: ReadPool| async move {
            let row = pool
                .query_one_raw(sql(&pool, "SELECT pg_backend_pid() AS pid"))
                .await
                .unwrap()
                .unwrap();
            row.try_get::<i32>("", "pid").unwrap()
        };
        let first = pid(pool.clone()).await;
        let admin = sea_orm::Database::connect(&url).await.unwrap();
        admin
            .execute_unprepared(&format!("SELECT pg_terminate_backend({first})"))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        let second = pid(pool.clone()).await;
        assert_ne!(first, second);
        assert_eq!(pool.status(), (1, 1));
    }

    /// A SQLite pool with a statement timeout interrupts a statement past it (the error maps to
    /// the timeout's), and the connection answers the next statement; the same statement runs
    /// to its end on a pool without one.
    #[tokio::test]
    async fn sqlite_statements_stop_at_the_pools_timeout() {
        let targets = Targets::new();
        let target = targets.all().remove(0);
        // Counting to a million takes SQLite a good part of a second, never under 50 ms.
        let counting = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c \
                        WHERE x < 1000000) SELECT count(*) AS n FROM c";
        let plain = pool(target.clone(), 1, None);
        let row = plain
            .query_one_raw(sql(&plain, counting))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.try_get::<i64>("", "n").unwrap(), 1_000_000);

        let timed = pool(
            target.with_statement_timeout(Duration::from_millis(50)),
            1,
            None,
        );
        assert_eq!(one(&timed).await.unwrap(), 1);
        let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) \
                       SELECT count(*) AS n FROM c";
        for statement in [counting, endless] {
            let stopped = tokio::time::timeout(
                Duration::from_secs(20),
                timed.query_one_raw(sql(&timed, statement)),
            )
            .await
            .expect("the statement was stopped")
            .unwrap_err();
            let error = from_db(stopped);
            assert!(
                matches!(&error, StorageError::Unavailable(m) if m.starts_with(crate::error::TIMED_OUT)),
                "{error:?}"
            );
            // The connection goes on: kept, and the deadline passed does not stop the next
            // statement.
            assert_eq!(one(&timed).await.unwrap(), 1);
            assert_eq!(timed.status(), (1, 1));
        }
        // execute_unprepared is stopped too.
        let stopped = timed.execute_unprepared(endless).await.unwrap_err();
        assert!(
            matches!(from_db(stopped), StorageError::Unavailable(m) if m.starts_with(crate::error::TIMED_OUT))
        );
        assert_eq!(one(&timed).await.unwrap(), 1);
    }
}
