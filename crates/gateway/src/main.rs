//! `gazette`: Gazette's command line and GraphQL server.

use std::io::Write as _;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;
use gazette_gateway::cli::{
    AuditCommand, BenchDataArgs, Cli, Command, DatabaseArgs, DemoCommand, ExportCommand,
    ImportCommand, LogFormat, ServeArgs, TokenCommand,
};
use gazette_gateway::{auth, schema, server};
use gazette_storage::tokens::Role;
use gazette_storage::{Actor, Database, StorageOptions};

/// mimalloc instead of the system allocator: a request allocates and frees many small values
/// (GraphQL values, rows, strings), and glibc's malloc took about 15% of the gateway's CPU
/// under load (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        Command::Export { command } => export(command).await,
        Command::Import { command } => import(command).await,
        Command::Audit { command } => audit(command).await,
        Command::Ingest {
            file,
            apply,
            publishers,
            publisher,
            url,
            title,
            database,
        } => {
            let hint = gazette_ingest::SourceHint {
                publisher,
                url,
                title,
            };
            ingest(&file, apply, publishers.as_deref(), hint, &database).await
        }
        Command::BenchData(args) => bench_data(args).await,
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
    if let Some(connections) = database.max_connections {
        options.max_connections = connections;
    }
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
    if let Some(connections) = args.max_connections {
        options.max_connections = connections;
    }
    if let Some(milliseconds) = args.db_acquire_timeout_ms {
        options.acquire_timeout = Duration::from_millis(milliseconds);
    }
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
        shared_loads: gazette_gateway::schema::loaders::SharedLoads::default(),
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
    let listener = axum::serve::ListenerExt::tap_io(listener, server::tune_connection);
    tracing::info!(%address, "Gazette is serving GraphQL at /graphql and the playground at /");
    eprintln!("Gazette: playground at http://{address}/ , GraphQL at http://{address}/graphql");
    if let Some(token) = demo_token {
        eprintln!("Demo editor token (paste it into the playground's token box):\n  {token}");
    }
    // After the signal the server stops accepting and waits for in-flight requests; the drain
    // is bounded, so a client that never finishes its request cannot hold the process.
    let drain = Duration::from_secs(args.shutdown_timeout_secs);
    let (signalled, mut draining) = tokio::sync::watch::channel(false);
    let serving = axum::serve(listener, server::router(state)).with_graceful_shutdown(async move {
        shutdown_signal().await;
        let _ = signalled.send(true);
    });
    let deadline = async move {
        if draining.wait_for(|&signalled| signalled).await.is_err() {
            std::future::pending::<()>().await;
        }
        tokio::time::sleep(drain).await;
    };
    tokio::select! {
        served = serving => served.context("serving")?,
        () = deadline => {
            tracing::warn!(
                seconds = drain.as_secs(),
                "requests still in flight after the shutdown timeout; exiting without them"
            );
        }
    }
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

async fn audit(command: AuditCommand) -> anyhow::Result<()> {
    init_logging(LogFormat::Text);
    match command {
        AuditCommand::Verify { anchor, database } => {
            let mut anchors = Vec::with_capacity(anchor.len());
            for text in &anchor {
                let (seq, hash) = text
                    .split_once(':')
                    .and_then(|(seq, hash)| Some((seq.trim().parse::<i64>().ok()?, hash.trim())))
                    .with_context(|| format!("--anchor {text:?} is not SEQ:HASH"))?;
                anchors.push((seq, hash.to_ascii_lowercase()));
            }
            let db = connect(&database).await?;
            db.migrate().await?;
            let verification = db
                .verify_audit_chain()
                .await
                .context("reading the audit log")?;
            let mut broken = false;
            println!("entries read: {}", verification.entries);
            if verification.entries == 0 {
                println!("the audit log is empty: is this the right database?");
            }
            if verification.unchained > 0 {
                println!(
                    "entries written before the chain existed (not protected): {}",
                    verification.unchained
                );
            }
            match &verification.head {
                Some((seq, hash)) => println!("last linked entry: {seq}:{hash}"),
                None => println!("last linked entry: none"),
            }
            if let Some((seq, reason)) = &verification.first_broken {
                println!("BROKEN at entry {seq}: {reason}");
                broken = true;
            }
            for (seq, expected) in &anchors {
                match db.audit_entry_hash(*seq).await? {
                    Some(found) if &found == expected => println!("anchor {seq}: matches"),
                    Some(_) => {
                        println!("anchor {seq}: MISMATCH: the entry's hash changed since");
                        broken = true;
                    }
                    None => {
                        println!("anchor {seq}: MISSING: no chained entry has this seq");
                        broken = true;
                    }
                }
            }
            if broken {
                println!("the audit chain is BROKEN");
                std::process::exit(1);
            }
            println!("the audit chain is intact");
        }
    }
    Ok(())
}

/// Opens `path` for writing, or standard output without one.
fn output(path: Option<&std::path::Path>) -> anyhow::Result<Box<dyn std::io::Write>> {
    Ok(match path {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

async fn export(command: ExportCommand) -> anyhow::Result<()> {
    init_logging(LogFormat::Text);
    match command {
        ExportCommand::Popolo { out, database } => {
            let db = connect(&database).await?;
            db.migrate().await.context("applying migrations")?;
            let mut writer = output(out.as_deref())?;
            let summary = gazette_gateway::popolo::export(&db, &mut writer).await?;
            writer.flush().context("writing the export")?;
            eprintln!("exported {summary}");
        }
        ExportCommand::Csv {
            list,
            from,
            to,
            out,
            database,
        } => {
            let kind = gazette_gateway::export::CsvKind::from_code(&list)
                .context("the list is awards, tasks or holdings")?;
            let options = gazette_gateway::export::CsvOptions::new(from, to)?;
            let db = connect(&database).await?;
            db.migrate().await.context("applying migrations")?;
            let mut writer = output(out.as_deref())?;
            let rows = gazette_gateway::export::write_csv(&db, kind, options, &mut writer).await?;
            writer.flush().context("writing the export")?;
            eprintln!("exported {rows} rows of {list}");
        }
    }
    Ok(())
}

async fn import(command: ImportCommand) -> anyhow::Result<()> {
    init_logging(LogFormat::Text);
    let actor = Actor::new("system:import")?;
    match command {
        ImportCommand::Popolo {
            file,
            dry_run,
            database,
        } => {
            let reader = std::fs::File::open(&file)
                .with_context(|| format!("opening {}", file.display()))?;
            let db = connect(&database).await?;
            db.migrate().await.context("applying migrations")?;
            match gazette_gateway::popolo::import(&db, &actor, reader, dry_run).await {
                Ok(report) => print!("{report}"),
                Err(error) => anyhow::bail!("{}: {error}", file.display()),
            }
        }
    }
    Ok(())
}

/// `gazette ingest`: reads the article, prints the draft as JSON on standard output, and with
/// `--apply` stores it, reporting what was written on standard error.
async fn ingest(
    file: &str,
    apply: bool,
    publishers: Option<&std::path::Path>,
    hint: gazette_ingest::SourceHint,
    database: &DatabaseArgs,
) -> anyhow::Result<()> {
    use std::io::Read as _;
    init_logging(LogFormat::Text);
    let bytes = if file == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading the article from standard input")?;
        bytes
    } else {
        std::fs::read(file).with_context(|| format!("reading the article {file}"))?
    };
    let mut options = gazette_ingest::IngestOptions::default().with_hint(hint);
    if let Some(path) = publishers {
        let json = std::fs::read_to_string(path)
            .with_context(|| format!("reading the publisher table {}", path.display()))?;
        let table = gazette_ingest::PublisherTable::from_json(&json)
            .with_context(|| format!("reading the publisher table {}", path.display()))?;
        options = options.with_publishers(table);
    }
    let draft = gazette_ingest::ingest_bytes(&bytes, &options)
        .with_context(|| format!("reading the article {file}"))?;
    let json = serde_json::to_string_pretty(&draft).context("printing the draft")?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{json}").context("printing the draft")?;
    }
    if !apply {
        return Ok(());
    }
    // The text is valid UTF-8: the draft was read from it.
    let text = String::from_utf8_lossy(&bytes);
    let db = connect(database).await?;
    db.migrate().await.context("applying migrations")?;
    let actor = Actor::new("system:ingest")?;
    let report = gazette_gateway::ingest::apply(&db, &actor, &draft, &text)
        .await
        .context("storing the draft (nothing was written)")?;
    eprintln!(
        "stored the article as source {}: {}",
        report.source, report.summary
    );
    for person in &report.people {
        let how = if person.existing {
            "linked to"
        } else {
            "created as"
        };
        eprintln!("  person {} {how} {}", person.key, person.id);
    }
    for organization in &report.organizations {
        let how = if organization.existing {
            "linked to"
        } else {
            "created as"
        };
        eprintln!(
            "  organization {} {how} {}",
            organization.key, organization.id
        );
    }
    for note in &report.notes {
        eprintln!("  note: {note}");
    }
    Ok(())
}

/// `gazette bench-data`: migrates, loads the dataset, prints progress and the counts, and writes
/// the sample file when asked.
async fn bench_data(args: BenchDataArgs) -> anyhow::Result<()> {
    use gazette_gateway::bench_data::{self, BenchDataOptions};
    init_logging(LogFormat::Text);
    let mut options = BenchDataOptions::new(args.size, args.seed);
    options.people = args.people;
    options.chunk = args.chunk;
    options.path = args.path;
    options.verify = options.verify || args.verify;
    let mut progress = |progress: &bench_data::Progress| eprintln!("{progress}");
    let report = if args.dry_run {
        bench_data::dry_run(&options, &mut progress).await?
    } else {
        let db = connect(&args.database).await?;
        db.migrate().await.context("applying migrations")?;
        let actor = Actor::new("system:bench-data")?;
        bench_data::load(&db, &actor, &options, &mut progress).await?
    };
    println!("{report}");
    if let Some(path) = &args.sample {
        let json = serde_json::to_string_pretty(&report.sample).context("writing the sample")?;
        std::fs::write(path, json + "\n")
            .with_context(|| format!("writing the sample {}", path.display()))?;
        eprintln!("sample written to {}", path.display());
    }
    Ok(())
}
