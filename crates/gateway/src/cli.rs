//! The command line: `gazette serve` (the default), `migrate`, `schema`, `token`, `demo`.
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
    /// The PostgreSQL pool size (or the number of SQLite reader connections).
    #[arg(long, env = "GAZETTE_MAX_CONNECTIONS", default_value_t = 10)]
    pub max_connections: u32,
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
    /// The PostgreSQL pool size (or the number of SQLite reader connections).
    #[arg(long, env = "GAZETTE_MAX_CONNECTIONS", default_value_t = 10)]
    pub max_connections: u32,
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
                max_connections: 10,
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
