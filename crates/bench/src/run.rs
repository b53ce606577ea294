//! A measured run: N keep-alive connections sending one workload, closed loop (each
//! connection sends its next request as soon as the last is answered) or open loop (requests
//! due at a fixed total rate, spread over the connections, latency counted from when each
//! was due so that queueing behind a slow answer is not hidden).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper::header::HeaderValue;
use tokio::time::sleep_until;

use crate::check::failure_reason;
use crate::counters;
use crate::error::BenchError;
use crate::http::{Connection, Endpoint};
use crate::procfs::{self, RssSampler};
use crate::sample::Sample;
use crate::stats::{Latency, Report, ServerUse};
use crate::workload::{Appointments, Generator, Kind, Target, Workload};

/// How many failing bodies a report shows.
const FAILURE_SAMPLES: usize = 5;
/// How much of a failing body a report shows.
const FAILURE_SAMPLE_CHARS: usize = 600;
/// How long a run waits for PostgreSQL's counters to settle before it starts.
const PG_SETTLE_MAX: Duration = Duration::from_secs(15);
/// How long past the window an open-loop run that fell behind may go on sending.
const OPEN_LOOP_GRACE: Duration = Duration::from_secs(5);

/// What to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The server.
    pub target: Target,
    /// The GraphQL endpoint.
    pub endpoint: Endpoint,
    /// The workload.
    pub workload: Workload,
    /// The sample the variables come from.
    pub sample: Arc<Sample>,
    /// Concurrent keep-alive connections.
    pub connections: usize,
    /// Warm-up before the window (not measured).
    pub warmup: Duration,
    /// The measured window.
    pub duration: Duration,
    /// Requests per second in total (open loop); `None` for closed loop.
    pub rate: Option<f64>,
    /// The seed for picking variables.
    pub seed: u64,
    /// `Authorization` for writes.
    pub token: Option<HeaderValue>,
    /// The server's processes, for memory and CPU.
    pub server_pids: Vec<u32>,
    /// Gazette's `/metrics`, for statements per request.
    pub metrics: Option<Endpoint>,
    /// The PostgreSQL database, for transactions per request.
    pub pg_url: Option<String>,
    /// A label for the report.
    pub label: Option<String>,
}

/// What one connection saw in the window.
#[derive(Default)]
struct Tally {
    /// Latencies in microseconds of successful requests, by kind index.
    micros: Vec<Vec<u32>>,
    failures: BTreeMap<String, u64>,
    samples: Vec<String>,
}

impl Tally {
    fn new() -> Self {
        Self {
            micros: vec![Vec::new(); Kind::ALL.len()],
            ..Self::default()
        }
    }

    fn fail(&mut self, kind: Kind, reason: &str, body: Option<&[u8]>) {
        *self
            .failures
            .entry(format!("{}: {reason}", kind.name()))
            .or_default() += 1;
        if self.samples.len() < FAILURE_SAMPLES {
            let text = body.map_or_else(
                || reason.to_owned(),
                |b| {
                    String::from_utf8_lossy(b)
                        .chars()
                        .take(FAILURE_SAMPLE_CHARS)
                        .collect()
                },
            );
            self.samples.push(format!("{}: {text}", kind.name()));
        }
    }
}

/// The counters read at the window's two ends.
#[derive(Debug, Default, Clone, Copy)]
struct Counters {
    statements: Option<u64>,
    pg_transactions: Option<u64>,
    cpu_ticks: Option<u64>,
    load_average: Option<f64>,
}

async fn read_counters(options: &RunOptions) -> Counters {
    let statements = match &options.metrics {
        Some(metrics) => match counters::gazette_statements(metrics).await {
            Ok(n) => Some(n),
            Err(e) => {
                eprintln!("gazette-bench: {e}");
                None
            }
        },
        None => None,
    };
    let pg_transactions = match &options.pg_url {
        Some(url) => match counters::pg_transactions(url).await {
            Ok(n) => Some(n),
            Err(e) => {
                eprintln!("gazette-bench: {e}");
                None
            }
        },
        None => None,
    };
    let cpu_ticks = if options.server_pids.is_empty() {
        None
    } else {
        procfs::total_cpu_ticks(&options.server_pids)
    };
    Counters {
        statements,
        pg_transactions,
        cpu_ticks,
        load_average: procfs::load_average().map(|l| l[0]),
    }
}

/// Waits (at most [`PG_SETTLE_MAX`]) until PostgreSQL's transaction count stops moving:
/// backends left idle by an earlier run report their last counts up to ten seconds late,
/// which would otherwise land in this run's window.
async fn settle_pg_counter(url: &str) -> Result<(), BenchError> {
    let deadline = Instant::now() + PG_SETTLE_MAX;
    let mut last = counters::pg_transactions(url).await?;
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let now = counters::pg_transactions(url).await?;
        // Our own reading is a transaction too.
        if now.saturating_sub(last) <= 1 {
            return Ok(());
        }
        last = now;
    }
    Ok(())
}

/// Runs the workload and reports.
pub async fn run(options: RunOptions) -> Result<Report, BenchError> {
    if options.connections == 0 {
        return Err(BenchError::Usage("--connections must be at least 1".into()));
    }
    if let Some(rate) = options.rate
        && !(rate.is_finite() && rate > 0.0)
    {
        return Err(BenchError::Usage("--rate must be positive".into()));
    }
    // Check the sample once, before any connection opens.
    Generator::new(
        options.workload,
        &options.sample,
        options.seed,
        0,
        Appointments::starting_at(0),
    )?;
    if let Some(url) = &options.pg_url {
        settle_pg_counter(url).await?;
    }
    let options = Arc::new(options);

    // Open every connection first, so that connecting is not measured.
    let mut connections = Vec::with_capacity(options.connections);
    for _ in 0..options.connections {
        let connection =
            Connection::open(&options.endpoint)
                .await
                .map_err(|e| BenchError::Http {
                    url: options.endpoint.url.clone(),
                    reason: e.0,
                })?;
        connections.push(connection);
    }

    let rss = RssSampler::start(options.server_pids.clone());
    let start = Instant::now() + Duration::from_millis(20);
    let window_start = start + options.warmup;
    let end = window_start + options.duration;

    let counter_options = Arc::clone(&options);
    let counters = tokio::spawn(async move {
        sleep_until(window_start.into()).await;
        let before = read_counters(&counter_options).await;
        sleep_until(end.into()).await;
        let after = read_counters(&counter_options).await;
        (before, after)
    });

    // One run's appointments are drawn without repeats across its connections.
    let appointments = Appointments::starting_now();
    let mut tasks = Vec::with_capacity(options.connections);
    for (index, connection) in connections.into_iter().enumerate() {
        let options = Arc::clone(&options);
        let appointments = appointments.clone();
        tasks.push(tokio::spawn(async move {
            drive(
                &options,
                index,
                connection,
                appointments,
                start,
                window_start,
                end,
            )
            .await
        }));
    }
    let mut tally = Tally::new();
    for task in tasks {
        let one = task.await.map_err(|e| BenchError::Usage(e.to_string()))??;
        for (all, mine) in tally.micros.iter_mut().zip(one.micros) {
            all.extend(mine);
        }
        for (reason, count) in one.failures {
            *tally.failures.entry(reason).or_default() += count;
        }
        for sample in one.samples {
            if tally.samples.len() < FAILURE_SAMPLES {
                tally.samples.push(sample);
            }
        }
    }
    let (before, after) = counters
        .await
        .map_err(|e| BenchError::Usage(e.to_string()))?;
    let peak_rss_kib = rss.finish().await;

    let succeeded: usize = tally.micros.iter().map(Vec::len).sum();
    let failed: u64 = tally.failures.values().sum();
    let seconds = options.duration.as_secs_f64();
    let requests = succeeded as f64 + failed as f64;
    let per_request = |before: Option<u64>, after: Option<u64>| match (before, after) {
        (Some(b), Some(a)) if requests > 0.0 => Some(a.saturating_sub(b) as f64 / requests),
        _ => None,
    };
    let mut by_operation = BTreeMap::new();
    let mut all: Vec<u32> = Vec::with_capacity(succeeded);
    for (kind, micros) in Kind::ALL.iter().zip(tally.micros.iter_mut()) {
        if micros.is_empty() {
            continue;
        }
        all.extend_from_slice(micros);
        by_operation.insert(kind.name().to_owned(), Latency::of(micros));
    }
    let server = (!options.server_pids.is_empty()).then(|| ServerUse {
        pids: options.server_pids.clone(),
        peak_rss_mb: peak_rss_kib.map(|k| k as f64 / 1024.0),
        hwm_mb: procfs::total_hwm_kib(&options.server_pids).map(|k| k as f64 / 1024.0),
        cpu_cores: match (before.cpu_ticks, after.cpu_ticks) {
            (Some(b), Some(a)) => {
                Some(a.saturating_sub(b) as f64 / procfs::TICKS_PER_SECOND / seconds)
            }
            _ => None,
        },
    });
    Ok(Report {
        label: options.label.clone(),
        data: format!("size {} seed {}", options.sample.size, options.sample.seed),
        target: options.target,
        workload: options.workload,
        mode: if options.rate.is_some() {
            "open"
        } else {
            "closed"
        },
        rate: options.rate,
        connections: options.connections,
        warmup_s: options.warmup.as_secs_f64(),
        duration_s: seconds,
        succeeded: succeeded as u64,
        failed,
        throughput_rps: succeeded as f64 / seconds,
        latency: Latency::of(&mut all),
        by_operation,
        failures: tally.failures,
        failure_samples: tally.samples,
        statements_per_request: per_request(before.statements, after.statements),
        pg_transactions_per_request: per_request(before.pg_transactions, after.pg_transactions),
        server,
        load_average: after.load_average,
    })
}

/// One connection's loop.
async fn drive(
    options: &RunOptions,
    index: usize,
    mut connection: Connection,
    appointments: Appointments,
    start: Instant,
    window_start: Instant,
    end: Instant,
) -> Result<Tally, BenchError> {
    let sample = &options.sample;
    let mut generator = Generator::new(
        options.workload,
        sample,
        options.seed,
        index as u64,
        appointments,
    )?;
    let now_text = format!("{}T12:00:00Z", sample.as_of);
    let mut tally = Tally::new();
    // Open loop: this connection's share of the schedule, offset so that the connections'
    // requests interleave evenly.
    let schedule = options.rate.map(|rate| {
        let interval = Duration::from_secs_f64(options.connections as f64 / rate);
        let first = start + Duration::from_secs_f64(index as f64 / rate);
        (interval, first)
    });
    let mut next_due = schedule.map(|(_, first)| first);
    sleep_until(start.into()).await;
    loop {
        let sent_at = match (schedule, next_due) {
            (Some((interval, _)), Some(due)) => {
                if due >= end {
                    break;
                }
                if Instant::now() > end + OPEN_LOOP_GRACE {
                    // Fell so far behind that the rest cannot be sent in time: count it.
                    let left = (end - due).as_secs_f64() / interval.as_secs_f64();
                    let kind = generator.next(sample).kind();
                    *tally
                        .failures
                        .entry(format!("{}: not sent (fell behind)", kind.name()))
                        .or_default() += left.ceil() as u64;
                    break;
                }
                sleep_until(due.into()).await;
                next_due = Some(due + interval);
                due
            }
            _ => {
                let now = Instant::now();
                if now >= end {
                    break;
                }
                now
            }
        };
        let params = generator.next(sample);
        let kind = params.kind();
        let body = params.body(options.target, &now_text)?;
        let token = if kind.is_write() {
            options.token.as_ref()
        } else {
            None
        };
        let result = connection.post_json(body, token).await;
        let elapsed = sent_at.elapsed();
        let measured = sent_at >= window_start && sent_at < end;
        match result {
            Ok((status, body)) => match failure_reason(status, &body) {
                None if measured => {
                    let micros = u32::try_from(elapsed.as_micros()).unwrap_or(u32::MAX);
                    tally.micros[kind.index()].push(micros);
                }
                None => {}
                Some(reason) if measured => tally.fail(kind, &reason, Some(&body)),
                Some(_) => {}
            },
            Err(e) => {
                if measured {
                    tally.fail(kind, "connection error", Some(e.0.as_bytes()));
                }
                // Reopen, pausing briefly so that a server that is down is not spun on.
                tokio::time::sleep(Duration::from_millis(10)).await;
                match Connection::open(&options.endpoint).await {
                    Ok(fresh) => connection = fresh,
                    Err(e) => {
                        if Instant::now() >= end {
                            break;
                        }
                        tally.fail(kind, "reconnect failed", Some(e.0.as_bytes()));
                    }
                }
            }
        }
    }
    Ok(tally)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// A stand-in GraphQL server: HTTP/1.1 keep-alive, every fourth answer an error.
    async fn serve(listener: TcpListener) {
        let mut served = 0_u64;
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            served += 1;
            let start = served;
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                let mut chunk = [0_u8; 4096];
                let mut answered = start;
                loop {
                    // One request: headers, then Content-Length bytes of body.
                    let request_end = loop {
                        if let Some(end) = find_request(&buffer) {
                            break end;
                        }
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    };
                    buffer.drain(..request_end);
                    answered += 1;
                    let body = if answered.is_multiple_of(4) {
                        r#"{"data":null,"errors":[{"message":"no","extensions":{"code":"TEST"}}]}"#
                    } else {
                        r#"{"data":{"__typename":"Query"}}"#
                    };
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if socket.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    }

    /// Where the first complete request in `buffer` ends.
    fn find_request(buffer: &[u8]) -> Option<usize> {
        let head_end = buffer.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
        let head = String::from_utf8_lossy(&buffer[..head_end]).to_lowercase();
        let length: usize = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        (buffer.len() >= head_end + length).then_some(head_end + length)
    }

    async fn options(rate: Option<f64>) -> RunOptions {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(serve(listener));
        RunOptions {
            target: Target::Gazette,
            endpoint: Endpoint::parse(&format!("http://{address}/graphql")).unwrap(),
            workload: Workload::Ceiling,
            sample: Arc::new(Sample::parse(r#"{"as_of": "2026-11-27"}"#).unwrap()),
            connections: 4,
            warmup: Duration::from_millis(100),
            duration: Duration::from_millis(400),
            rate,
            seed: 1,
            token: None,
            server_pids: vec![std::process::id()],
            metrics: None,
            pg_url: None,
            label: Some("smoke".into()),
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn closed_loop_counts_successes_and_failures() {
        let report = run(options(None).await).await.unwrap();
        assert_eq!(report.mode, "closed");
        assert!(report.succeeded > 50, "{report:?}");
        // A quarter of the answers carry errors.
        let ratio = report.failed as f64 / (report.succeeded + report.failed) as f64;
        assert!((0.15..0.35).contains(&ratio), "{report:?}");
        assert_eq!(report.failures.len(), 1);
        assert!(report.failures.contains_key("Ceiling: GraphQL error TEST"));
        assert!(!report.failure_samples.is_empty());
        assert!(report.latency.p50_ms > 0.0);
        assert!(report.latency.p99_ms >= report.latency.p50_ms);
        let server = report.server.unwrap();
        assert!(server.peak_rss_mb.is_some_and(|mb| mb > 0.0));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn open_loop_keeps_to_its_rate() {
        let report = run(options(Some(200.0)).await).await.unwrap();
        assert_eq!(report.mode, "open");
        // 200/s for 0.4 s: 80 requests due in the window.
        let sent = report.succeeded + report.failed;
        assert!((70..=90).contains(&sent), "{report:?}");
    }
}
