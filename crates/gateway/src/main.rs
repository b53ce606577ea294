//! `gazette`: Gazette's command line and GraphQL server.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;
use gazette_gateway::cli::{
    Cli, Command, DatabaseArgs, DemoCommand, LogFormat, ServeArgs, TokenCommand,
};
use gazette_gateway::{auth, schema, server};
use gazette_storage::tokens::Role;
use gazette_storage::{Actor, Database, StorageOptions};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli
        .command
        .unwrap_or_else(|| Command::Serve(ServeArgs::default()))
    {
        Command::Serve(args) => serve(args).await,
        Command::Migrate(database) => {
            init_logging(LogFormat::Text);
            let db = connect(&database).await?;
            db.migrate().await.context("applying migrations")?;
            eprintln!("migrations applied");
            Ok(())
        }
        Command::Schema => {
            print!("{}", schema::sdl());
            Ok(())
        }
        Command::Token { command } => token(command).await,
        Command::Demo { command } => demo(command).await,
    }
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("GAZETTE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

async fn connect(database: &DatabaseArgs) -> anyhow::Result<Database> {
    let mut options = StorageOptions::new(&database.database_url);
    options.max_connections = database.max_connections;
    Database::connect(&options)
        .await
        .context("connecting to the database")
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    init_logging(args.log_format);
    let url = match (&args.database_url, args.demo) {
        (Some(url), _) => url.clone(),
        (None, true) => "sqlite::memory:".to_owned(),
        (None, false) => "sqlite://gazette.db?mode=rwc".to_owned(),
    };
    let mut options = StorageOptions::new(&url);
    options.max_connections = args.max_connections;
    let db = Database::connect_and_migrate(&options)
        .await
        .context("connecting to the database and applying migrations")?;
    let demo_token = if args.demo {
        let actor = Actor::new("system:demo")?;
        let summary = gazette_gateway::demo::load_into_fresh(&db, &actor).await?;
        tracing::info!("{summary}");
        let (_, token) = auth::create(&db, &actor, "playground (demo)", Role::Editor).await?;
        Some(token)
    } else {
        None
    };
    let limits = schema::QueryLimits {
        max_depth: args.max_depth,
        max_complexity: args.max_complexity,
        max_aliases: args.max_aliases,
        max_root_fields: args.max_root_fields,
    };
    let state = server::AppState {
        schema: schema::build(db.clone(), limits),
        db,
        settings: Arc::new(server::HttpSettings {
            max_body_bytes: args.max_body_bytes,
            request_timeout: Duration::from_secs(args.request_timeout_secs),
            require_read_token: args.require_read_token,
            allow_batching: args.allow_batching,
            max_batch: args.max_batch,
        }),
        metrics: Arc::default(),
    };
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, "Gazette is serving GraphQL at /graphql and the playground at /");
    eprintln!("Gazette: playground at http://{address}/ , GraphQL at http://{address}/graphql");
    if let Some(token) = demo_token {
        eprintln!("Demo editor token (paste it into the playground's token box):\n  {token}");
    }
    axum::serve(listener, server::router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("serving")?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM; the server then stops accepting and lets in-flight requests
/// finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

async fn token(command: TokenCommand) -> anyhow::Result<()> {
    init_logging(LogFormat::Text);
    let actor = Actor::new("system:command-line")?;
    match command {
        TokenCommand::Create {
            role,
            name,
            database,
        } => {
            let db = connect(&database).await?;
            db.migrate().await?;
            let role = Role::from_code(&role).context("unknown role")?;
            let (record, text) = auth::create(&db, &actor, &name, role).await?;
            eprintln!(
                "token {} ({}, {}) created; it is shown only now:",
                record.id,
                record.name,
                record.role.code()
            );
            println!("{text}");
        }
        TokenCommand::List { database } => {
            let db = connect(&database).await?;
            db.migrate().await?;
            for record in db.tokens().await? {
                let state = record
                    .revoked_at
                    .map_or_else(|| "active".to_owned(), |at| format!("revoked {at}"));
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    record.id,
                    record.role.code(),
                    record.name,
                    record.created_at,
                    state
                );
            }
        }
        TokenCommand::Revoke { id, database } => {
            let db = connect(&database).await?;
            db.migrate().await?;
            let record = db.revoke_token(&actor, id).await?;
            eprintln!("token {} ({}) revoked", record.id, record.name);
        }
    }
    Ok(())
}

async fn demo(command: DemoCommand) -> anyhow::Result<()> {
    init_logging(LogFormat::Text);
    let actor = Actor::new("system:demo")?;
    match command {
        DemoCommand::Load { database_url } => {
            let db = Database::connect_and_migrate(&StorageOptions::new(&database_url))
                .await
                .context("connecting to the database and applying migrations")?;
            let summary = gazette_gateway::demo::load_into_fresh(&db, &actor).await?;
            println!("{summary}");
        }
    }
    Ok(())
}
