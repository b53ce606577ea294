//! `gazette-bench`: Gazette's load generator (docs/benchmarks.md).
//!
//! `gazette-bench run` keeps N keep-alive HTTP/1.1 connections sending one workload's GraphQL
//! requests to Gazette or to PostGraphile, closed loop (peak throughput) or open loop at a
//! fixed rate, checks every response body, and reports throughput, latency percentiles,
//! failures, SQL statements per request and the server's peak memory, as text or JSON.
//! `gazette-bench verify` checks that both targets answer the same records for the same
//! variables.

mod check;
mod counters;
mod error;
mod http;
mod procfs;
mod rng;
mod run;
mod sample;
mod stats;
mod verify;
mod workload;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};
use hyper::header::HeaderValue;

use crate::error::BenchError;
use crate::http::Endpoint;
use crate::run::RunOptions;
use crate::sample::Sample;
use crate::workload::{Target, Workload};

/// Gazette's load generator.
#[derive(Debug, Parser)]
#[command(name = "gazette-bench", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Run one workload against one target and report.
    Run(RunArgs),
    /// Run each read workload once per sample value on both targets and compare the records
    /// returned; exits with status 1 when they differ.
    Verify(VerifyArgs),
}

/// Flags of `run`.
#[derive(Debug, clap::Args)]
struct RunArgs {
    /// The server answering.
    #[arg(long, value_enum, default_value_t = Target::Gazette)]
    target: Target,
    /// The GraphQL endpoint (default: Gazette's or PostGraphile's usual local one).
    #[arg(long)]
    url: Option<String>,
    /// The workload.
    #[arg(long, value_enum)]
    workload: Workload,
    /// The sample file (`gazette bench-data --sample FILE`).
    #[arg(long)]
    sample: PathBuf,
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// The measured window, seconds.
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Warm-up before the window, seconds (sent but not measured).
    #[arg(long, default_value_t = 3.0)]
    warmup: f64,
    /// Open loop at this many requests per second in total; closed loop when omitted.
    #[arg(long)]
    rate: Option<f64>,
    /// The seed for drawing variables from the sample.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// A bearer token sent with writes (Gazette: `gazette token create --role editor`).
    #[arg(long, env = "GAZETTE_BENCH_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// The server's process id, for its peak memory and CPU; repeat for a server of several
    /// processes (their sum is reported).
    #[arg(long = "server-pid")]
    server_pids: Vec<u32>,
    /// Gazette's metrics endpoint, for SQL statements per request (default: /metrics beside
    /// --url when the target is Gazette; `none` to skip).
    #[arg(long)]
    metrics_url: Option<String>,
    /// The PostgreSQL database (postgres://...), for transactions per request from
    /// pg_stat_database, read with psql.
    #[arg(long)]
    pg_url: Option<String>,
    /// Worker threads of the load generator.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// A label carried into the report.
    #[arg(long)]
    label: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// Flags of `verify`.
#[derive(Debug, clap::Args)]
struct VerifyArgs {
    /// Gazette's GraphQL endpoint.
    #[arg(long, default_value = "http://127.0.0.1:8000/graphql")]
    gazette_url: String,
    /// PostGraphile's GraphQL endpoint.
    #[arg(long, default_value = "http://127.0.0.1:5000/graphql")]
    postgraphile_url: String,
    /// The sample file.
    #[arg(long)]
    sample: PathBuf,
    /// The workloads to compare (A–D; all four when omitted).
    #[arg(long, value_enum)]
    workload: Vec<Workload>,
    /// At most this many sample values per workload.
    #[arg(long, default_value_t = 200)]
    limit: usize,
}

fn seconds(value: f64, flag: &str) -> Result<Duration, BenchError> {
    Duration::try_from_secs_f64(value)
        .map_err(|_| BenchError::Usage(format!("{flag} must be a number of seconds, not {value}")))
}

fn runtime(threads: usize) -> Result<tokio::runtime::Runtime, BenchError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .enable_all()
        .build()
        .map_err(BenchError::Output)
}

fn run_command(args: RunArgs) -> Result<(), BenchError> {
    let url = args.url.unwrap_or_else(|| {
        match args.target {
            Target::Gazette => "http://127.0.0.1:8000/graphql",
            Target::Postgraphile => "http://127.0.0.1:5000/graphql",
        }
        .to_owned()
    });
    let endpoint = Endpoint::parse(&url)?;
    let metrics = match (args.metrics_url.as_deref(), args.target) {
        (Some("none"), _) => None,
        (Some(url), _) => Some(Endpoint::parse(url)?),
        (None, Target::Gazette) => Some(endpoint.with_path("/metrics")?),
        (None, Target::Postgraphile) => None,
    };
    let token = args
        .token
        .map(|t| {
            HeaderValue::from_str(&format!("Bearer {t}"))
                .map_err(|_| BenchError::Usage("the token is not a valid header value".into()))
        })
        .transpose()?;
    let options = RunOptions {
        target: args.target,
        endpoint,
        workload: args.workload,
        sample: Arc::new(Sample::load(&args.sample)?),
        connections: args.connections,
        warmup: seconds(args.warmup, "--warmup")?,
        duration: seconds(args.duration, "--duration")?,
        rate: args.rate,
        seed: args.seed,
        token,
        server_pids: args.server_pids,
        metrics,
        pg_url: args.pg_url,
        label: args.label,
    };
    if options.duration.is_zero() {
        return Err(BenchError::Usage("--duration must be more than 0".into()));
    }
    let report = runtime(args.threads)?.block_on(run::run(options))?;
    let mut stdout = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut stdout, &report)?;
        writeln!(stdout)?;
    } else {
        write!(stdout, "{}", report.human())?;
    }
    Ok(())
}

fn verify_command(args: VerifyArgs) -> Result<(), BenchError> {
    let gazette = Endpoint::parse(&args.gazette_url)?;
    let postgraphile = Endpoint::parse(&args.postgraphile_url)?;
    let sample = Sample::load(&args.sample)?;
    let workloads: Vec<Workload> = if args.workload.is_empty() {
        Workload::READS.to_vec()
    } else {
        args.workload
    };
    if let Some(other) = workloads.iter().find(|w| !Workload::READS.contains(w)) {
        return Err(BenchError::Usage(format!(
            "verify compares the read workloads a–d, not {}",
            other.name()
        )));
    }
    runtime(1)?.block_on(verify::verify(
        &gazette,
        &postgraphile,
        &sample,
        &workloads,
        args.limit,
    ))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run_command(args),
        Command::Verify(args) => verify_command(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gazette-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
