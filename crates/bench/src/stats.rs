//! Latency percentiles over every successful request's latency (kept in microseconds and
//! sorted at the end) and the run's report.

use std::collections::BTreeMap;

use serde::Serialize;

/// Latency figures, in milliseconds.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Latency {
    /// Requests measured.
    pub count: usize,
    /// Mean.
    pub mean_ms: f64,
    /// Median.
    pub p50_ms: f64,
    /// 90th percentile.
    pub p90_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// 99.9th percentile.
    pub p999_ms: f64,
    /// Slowest.
    pub max_ms: f64,
}

impl Latency {
    /// The figures of these latencies (microseconds; sorted here).
    #[must_use]
    pub fn of(micros: &mut [u32]) -> Self {
        if micros.is_empty() {
            return Self::default();
        }
        micros.sort_unstable();
        let ms = |us: u32| f64::from(us) / 1000.0;
        let sum: u64 = micros.iter().map(|us| u64::from(*us)).sum();
        Self {
            count: micros.len(),
            mean_ms: sum as f64 / micros.len() as f64 / 1000.0,
            p50_ms: ms(percentile(micros, 50.0)),
            p90_ms: ms(percentile(micros, 90.0)),
            p99_ms: ms(percentile(micros, 99.0)),
            p999_ms: ms(percentile(micros, 99.9)),
            max_ms: ms(micros[micros.len() - 1]),
        }
    }
}

/// The nearest-rank percentile `p` of sorted, non-empty values.
fn percentile(sorted: &[u32], p: f64) -> u32 {
    // The small subtraction keeps float error (99.9 / 100 * 1000 = 999.0000000000001) from
    // moving the rank up by one.
    let rank = (p / 100.0 * sorted.len() as f64 - 1e-9).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The server's resources over the run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ServerUse {
    /// The processes watched.
    pub pids: Vec<u32>,
    /// The peak of their summed VmRSS sampled every 100 ms during warm-up and measurement, MB.
    pub peak_rss_mb: Option<f64>,
    /// Their summed VmHWM (each process's own peak since it started) at the end, MB.
    pub hwm_mb: Option<f64>,
    /// CPU time used during the measured window, in cores (1.0 = one core busy throughout).
    pub cpu_cores: Option<f64>,
}

/// One run's results.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// A free-form label (`--label`).
    pub label: Option<String>,
    /// The data set's size and seed, as the sample file names them.
    pub data: String,
    /// The target.
    pub target: crate::workload::Target,
    /// The workload.
    pub workload: crate::workload::Workload,
    /// `closed` (as fast as answers come) or `open` (at `rate`).
    pub mode: &'static str,
    /// The offered rate in open loop, requests per second.
    pub rate: Option<f64>,
    /// Connections.
    pub connections: usize,
    /// Warm-up, seconds.
    pub warmup_s: f64,
    /// The measured window, seconds.
    pub duration_s: f64,
    /// Successful requests completed in the window.
    pub succeeded: u64,
    /// Failed requests in the window.
    pub failed: u64,
    /// Successful requests per second.
    pub throughput_rps: f64,
    /// Latencies of the successful requests; in open loop measured from when each request was
    /// due, so that a server falling behind shows in them.
    pub latency: Latency,
    /// Latencies by operation (workload E mixes several).
    pub by_operation: BTreeMap<String, Latency>,
    /// Failures by reason.
    pub failures: BTreeMap<String, u64>,
    /// The first few failing bodies.
    pub failure_samples: Vec<String>,
    /// Gazette's SQL statements per request (from its `/metrics`).
    pub statements_per_request: Option<f64>,
    /// PostgreSQL transactions per request (`pg_stat_database`, approximate), when
    /// `--pg-url` was given.
    pub pg_transactions_per_request: Option<f64>,
    /// The server's memory and CPU, when `--server-pid` was given.
    pub server: Option<ServerUse>,
    /// The machine's 1-minute load average at the window's end (2 cores: above 2 means other
    /// work competed with the run).
    pub load_average: Option<f64>,
}

impl Report {
    /// The report as a few lines for a person.
    #[must_use]
    pub fn human(&self) -> String {
        let mut out = String::new();
        let label = self.label.as_deref().unwrap_or("");
        out.push_str(&format!(
            "{label} data={} target={:?} workload={} mode={}{} connections={} window={}s (warm-up {}s)\n",
            self.data,
            self.target,
            self.workload.name(),
            self.mode,
            self.rate.map(|r| format!(" rate={r:.0}/s")).unwrap_or_default(),
            self.connections,
            self.duration_s,
            self.warmup_s,
        ));
        out.push_str(&format!(
            "  throughput {:.0} req/s, {} ok, {} failed\n",
            self.throughput_rps, self.succeeded, self.failed
        ));
        let l = &self.latency;
        out.push_str(&format!(
            "  latency ms: mean {:.3} p50 {:.3} p90 {:.3} p99 {:.3} p99.9 {:.3} max {:.3}\n",
            l.mean_ms, l.p50_ms, l.p90_ms, l.p99_ms, l.p999_ms, l.max_ms
        ));
        if self.by_operation.len() > 1 {
            for (name, l) in &self.by_operation {
                out.push_str(&format!(
                    "    {name:<16} n={:<8} p50 {:.3} p99 {:.3} max {:.3}\n",
                    l.count, l.p50_ms, l.p99_ms, l.max_ms
                ));
            }
        }
        if let Some(s) = self.statements_per_request {
            out.push_str(&format!("  SQL statements per request (gazette): {s:.2}\n"));
        }
        if let Some(t) = self.pg_transactions_per_request {
            out.push_str(&format!(
                "  PostgreSQL transactions per request (pg_stat_database, approx.): {t:.2}\n"
            ));
        }
        if let Some(server) = &self.server {
            let mb = |v: Option<f64>| v.map_or("n/a".to_owned(), |v| format!("{v:.1} MB"));
            out.push_str(&format!(
                "  server {:?}: peak RSS {}, VmHWM {}, CPU {}\n",
                server.pids,
                mb(server.peak_rss_mb),
                mb(server.hwm_mb),
                server
                    .cpu_cores
                    .map_or("n/a".to_owned(), |c| format!("{c:.2} cores")),
            ));
        }
        if let Some(load) = self.load_average {
            out.push_str(&format!("  machine load average (1 min): {load:.2}\n"));
        }
        for (reason, count) in &self.failures {
            out.push_str(&format!("  failure: {reason}: {count}\n"));
        }
        for body in &self.failure_samples {
            out.push_str(&format!("  failing body: {body}\n"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let mut micros: Vec<u32> = (1..=1000).rev().collect();
        let latency = Latency::of(&mut micros);
        assert_eq!(latency.count, 1000);
        assert!((latency.p50_ms - 0.5).abs() < 1e-9);
        assert!((latency.p99_ms - 0.99).abs() < 1e-9);
        assert!((latency.p999_ms - 0.999).abs() < 1e-9);
        assert!((latency.max_ms - 1.0).abs() < 1e-9);
        assert!((latency.mean_ms - 0.5005).abs() < 1e-9);
        assert_eq!(Latency::of(&mut []), Latency::default());
        let mut one = [7_000];
        assert!((Latency::of(&mut one).p99_ms - 7.0).abs() < 1e-9);
    }
}
