//! The command line: `gazette serve` (the default), `migrate`, `schema`, `token`, `demo`,
//! `export`, `import`, `ingest` and `bench-data`.
//! Every flag of `serve` can also be set with a `GAZETTE_*` environment variable.

use std::net::SocketAddr;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Gazette: a registry of public life, served as a GraphQL API.
#[derive(Debug, Parser)]
#[command(name = "gazette", version, about)]
pub struct Cli {
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the GraphQL API and the playground (applies migrations first).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate(DatabaseArgs),
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Manage API tokens.
    Token {
        /// What to do with tokens.
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// The demo world written from the founding article (demo/README.md).
    Demo {
        /// What to do with the demo world.
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// Export records: the registry as Popolo JSON, or a list as a spreadsheet (CSV).
    Export {
        /// What to export.
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Import records from a Popolo JSON file, all or nothing.
    Import {
        /// What to import.
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Check the audit log.
    Audit {
        /// What to do with the audit log.
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Read a Vietnamese news report (plain UTF-8 text) into a draft of records and print it as
    /// JSON; with --apply, store the draft in one transaction (docs/ingest.md).
    Ingest {
        /// The article: a file path, or `-` to read standard input.
        file: String,
        /// Store the draft: link existing people and organizations, create the rest, and cite
        /// the article from every record; all or nothing.
        #[arg(long)]
        apply: bool,
        /// A JSON file of publishers (dateline markers, web addresses, localities) added to the
        /// built-in table.
        #[arg(long, value_name = "FILE")]
        publishers: Option<std::path::PathBuf>,
        /// The publisher's name, when the text has no dateline marker ("Báo Đà Nẵng").
        #[arg(long)]
        publisher: Option<String>,
        /// Where the article was read; a web address the publisher table knows also names the
        /// publisher and its place.
        #[arg(long)]
        url: Option<String>,
        /// The headline, when the text has none.
        #[arg(long)]
        title: Option<String>,
        /// The database (used with --apply).
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Generate a realistic, reproducible benchmark dataset and write it into a fresh database
    /// (applies migrations first; refuses, writing nothing, when the database already holds
    /// any person, organization or source). See `gazette_gateway::bench_data`.
    BenchData(BenchDataArgs),
}

/// Flags of `bench-data`.
#[derive(Debug, Clone, Args)]
pub struct BenchDataArgs {
    /// The size: s (10,000 people, one province), m (100,000, ten provinces) or l (1,000,000,
    /// all 34 provinces).
    #[arg(long, value_enum)]
    pub size: crate::bench_data::Size,
    /// The seed: the same seed and size give the same records with the same ids.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Write a JSON file of values drawn from the data for a load generator.
    #[arg(long, value_name = "FILE")]
    pub sample: Option<std::path::PathBuf>,
    /// Writes per transaction.
    #[arg(long, default_value_t = crate::bench_data::DEFAULT_CHUNK)]
    pub chunk: usize,
    /// How writes reach the database: bulk (multi-row inserts, one audit entry per chunk) or
    /// batch (every write through its single write's checks, one audit entry per record).
    #[arg(long, value_enum, default_value = "bulk")]
    pub path: crate::bench_data::WritePath,
    /// Check every write against the domain's rules in memory before writing it (always on in
    /// debug builds).
    #[arg(long)]
    pub verify: bool,
    /// Another number of people than the size's (for tests and quick runs); the other counts
    /// follow in proportion.
    #[arg(long, hide = true)]
    pub people: Option<u64>,
    /// Generate (and with --verify, check) the dataset and report it without writing anything;
    /// no database is opened.
    #[arg(long)]
    pub dry_run: bool,
    /// The database.
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Where the database is.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// The database URL: sqlite://FILE?mode=rwc, sqlite::memory: or postgres://USER@HOST/DB.
    #[arg(
        long,
        env = "GAZETTE_DATABASE_URL",
        default_value = "sqlite://gazette.db?mode=rwc"
    )]
    pub database_url: String,
    /// Reading connections; on PostgreSQL also the size of the pools for name searches and for
    /// writes and transactions.
    /// Default: 10 on PostgreSQL; on SQLite twice the processor cores, from 2 to 10 (each
    /// SQLite reader is a thread of this process with its own page cache).
    #[arg(long, env = "GAZETTE_MAX_CONNECTIONS")]
    pub max_connections: Option<u32>,
}

/// The log format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Flags of `serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// The database; with --demo and no URL given, a fresh in-memory database.
    #[arg(long, env = "GAZETTE_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Reading connections; on PostgreSQL also the size of the pools for name searches and for
    /// writes and transactions.
    /// Default: 10 on PostgreSQL; on SQLite twice the processor cores, from 2 to 10 (each
    /// SQLite reader is a thread of this process with its own page cache).
    #[arg(long, env = "GAZETTE_MAX_CONNECTIONS")]
    pub max_connections: Option<u32>,
    /// How long a database call waits for a connection before the request fails with
    /// UNAVAILABLE, in milliseconds. On PostgreSQL this also bounds reconnecting while the
    /// server is down, so requests fail within it (default 1000); on SQLite it is a write's
    /// wait for the write lock (default 5000).
    #[arg(long, env = "GAZETTE_DB_ACQUIRE_TIMEOUT_MS")]
    pub db_acquire_timeout_ms: Option<u64>,
    /// On SIGTERM or Ctrl-C the server stops accepting connections and lets in-flight requests
    /// finish for up to this many seconds, then exits anyway.
    #[arg(long, env = "GAZETTE_SHUTDOWN_TIMEOUT_SECS", default_value_t = 20)]
    pub shutdown_timeout_secs: u64,
    /// The address to listen on.
    #[arg(long, env = "GAZETTE_LISTEN", default_value = "127.0.0.1:8000")]
    pub listen: SocketAddr,
    /// Serve the demo world in a fresh database and print an editor token for the playground.
    #[arg(long, env = "GAZETTE_DEMO")]
    pub demo: bool,
    /// Require a reader token for reads too.
    #[arg(long, env = "GAZETTE_REQUIRE_READ_TOKEN")]
    pub require_read_token: bool,
    /// The deepest field nesting a query may have.
    #[arg(long, env = "GAZETTE_MAX_DEPTH", default_value_t = 12)]
    pub max_depth: usize,
    /// The largest query cost (list sizes multiply).
    #[arg(long, env = "GAZETTE_MAX_COMPLEXITY", default_value_t = 20_000)]
    pub max_complexity: usize,
    /// The most aliases in one document.
    #[arg(long, env = "GAZETTE_MAX_ALIASES", default_value_t = 30)]
    pub max_aliases: usize,
    /// The most root fields in one operation.
    #[arg(long, env = "GAZETTE_MAX_ROOT_FIELDS", default_value_t = 20)]
    pub max_root_fields: usize,
    /// The largest request body, in bytes.
    #[arg(long, env = "GAZETTE_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,
    /// How long one request may take, in seconds.
    #[arg(long, env = "GAZETTE_REQUEST_TIMEOUT_SECS", default_value_t = 10)]
    pub request_timeout_secs: u64,
    /// Accept a JSON array of operations in one request.
    #[arg(long, env = "GAZETTE_ALLOW_BATCHING")]
    pub allow_batching: bool,
    /// The most operations in one batch, when batching is allowed.
    #[arg(long, env = "GAZETTE_MAX_BATCH", default_value_t = 10)]
    pub max_batch: usize,
    /// The log format.
    #[arg(long, env = "GAZETTE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

impl Default for ServeArgs {
    fn default() -> Self {
        // Parsing no arguments gives every default (and any GAZETTE_* variables set).
        match Cli::try_parse_from(["gazette", "serve"]) {
            Ok(Cli {
                command: Some(Command::Serve(args)),
            }) => args,
            _ => Self {
                database_url: None,
                max_connections: None,
                db_acquire_timeout_ms: None,
                shutdown_timeout_secs: 20,
                listen: SocketAddr::from(([127, 0, 0, 1], 8000)),
                demo: false,
                require_read_token: false,
                max_depth: 12,
                max_complexity: 20_000,
                max_aliases: 30,
                max_root_fields: 20,
                max_body_bytes: 1024 * 1024,
                request_timeout_secs: 10,
                allow_batching: false,
                max_batch: 10,
                log_format: LogFormat::Text,
            },
        }
    }
}

/// Token subcommands.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it once.
    Create {
        /// What it may do.
        #[arg(long, value_parser = ["reader", "editor", "admin"])]
        role: String,
        /// Whose it is.
        #[arg(long)]
        name: String,
        /// The database.
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// List tokens (never their secrets).
    List {
        /// The database.
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Revoke a token by its id.
    Revoke {
        /// The token's id (as `token list` shows it).
        id: uuid::Uuid,
        /// The database.
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

/// Demo subcommands.
#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Load the demo world into a fresh database (applies migrations first); refuses, writing
    /// nothing, when the database already holds any person, organization or source.
    Load {
        /// The database URL: sqlite://FILE?mode=rwc or postgres://USER@HOST/DB.
        database_url: String,
    },
}

/// Audit subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the audit log's hash chain and report the first broken link; exits with status 1
    /// when the chain is broken or an anchor does not match.
    Verify {
        /// An entry's `seq` and hash recorded earlier (`SEQ:HASH`, as this command prints the
        /// head): the entry must still be in the log with that hash. Repeatable.
        #[arg(long, value_name = "SEQ:HASH")]
        anchor: Vec<String>,
        /// The database.
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

/// Export subcommands.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The people, organizations, posts, holdings (memberships), meetings (events) and sources
    /// as one Popolo JSON document (docs/exchange.md).
    Popolo {
        /// The file to write; standard output when omitted.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// The database.
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// A list as CSV for a spreadsheet: UTF-8 with a byte order mark, one row per award
    /// recipient, task or holding, Vietnamese column names (docs/exchange.md).
    Csv {
        /// Which list.
        #[arg(value_parser = ["awards", "tasks", "holdings"])]
        list: String,
        /// The first day of the period (YYYY-MM-DD).
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// The last day of the period (YYYY-MM-DD); tasks' timeliness is judged as of it, or
        /// as of today without it.
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
        /// The file to write; standard output when omitted.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// The database.
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

/// Import subcommands.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A Popolo JSON file: records are matched by identifier, then by name in context, and
    /// created or updated in one transaction; a file with any problem writes nothing.
    Popolo {
        /// The file to read.
        file: std::path::PathBuf,
        /// Check the file and report what would change, writing nothing.
        #[arg(long)]
        dry_run: bool,
        /// The database.
        #[command(flatten)]
        database: DatabaseArgs,
    },
}
