//! Prometheus metrics at `/metrics`: requests and latency by operation name, errors by code,
//! and database pool use (statements run).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// The latency histogram's bucket bounds, in seconds.
const BUCKETS: [f64; 11] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// The most distinct operation names tracked; others count under "other", so a client cannot
/// grow the metrics without bound.
const MAX_OPERATIONS: usize = 200;

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct State {
    requests: BTreeMap<String, Histogram>,
    errors: BTreeMap<String, u64>,
}

/// The counters.
#[derive(Default)]
pub struct Metrics {
    state: Mutex<State>,
}

/// A label value with the characters Prometheus needs escaped, escaped.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

impl Metrics {
    /// Records one GraphQL request.
    pub fn observe(&self, operation: &str, elapsed: Duration, error_codes: &[String]) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        let known = state.requests.len() < MAX_OPERATIONS || state.requests.contains_key(operation);
        let key = if known {
            operation.to_owned()
        } else {
            "other".to_owned()
        };
        let histogram = state.requests.entry(key).or_default();
        let seconds = elapsed.as_secs_f64();
        for (bound, count) in BUCKETS.iter().zip(histogram.counts.iter_mut()) {
            if seconds <= *bound {
                *count += 1;
            }
        }
        histogram.count += 1;
        histogram.sum += seconds;
        for code in error_codes {
            *state.errors.entry(code.clone()).or_default() += 1;
        }
    }

    /// The metrics in Prometheus' text format; `statements` is the number of SQL statements run
    /// and `pool` the database connections (open, idle).
    pub fn render(&self, statements: u64, pool: (u32, u32)) -> String {
        let mut out = String::new();
        let Ok(state) = self.state.lock() else {
            return out;
        };
        let _ = writeln!(
            out,
            "# HELP gazette_graphql_request_duration_seconds GraphQL requests by operation name."
        );
        let _ = writeln!(
            out,
            "# TYPE gazette_graphql_request_duration_seconds histogram"
        );
        for (operation, histogram) in &state.requests {
            let operation = label(operation);
            for (bound, count) in BUCKETS.iter().zip(histogram.counts) {
                let _ = writeln!(
                    out,
                    "gazette_graphql_request_duration_seconds_bucket{{operation=\"{operation}\",le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "gazette_graphql_request_duration_seconds_bucket{{operation=\"{operation}\",le=\"+Inf\"}} {}",
                histogram.count
            );
            let _ = writeln!(
                out,
                "gazette_graphql_request_duration_seconds_sum{{operation=\"{operation}\"}} {}",
                histogram.sum
            );
            let _ = writeln!(
                out,
                "gazette_graphql_request_duration_seconds_count{{operation=\"{operation}\"}} {}",
                histogram.count
            );
        }
        let _ = writeln!(
            out,
            "# HELP gazette_graphql_errors_total GraphQL errors by code."
        );
        let _ = writeln!(out, "# TYPE gazette_graphql_errors_total counter");
        for (code, count) in &state.errors {
            let _ = writeln!(
                out,
                "gazette_graphql_errors_total{{code=\"{}\"}} {count}",
                label(code)
            );
        }
        let _ = writeln!(
            out,
            "# HELP gazette_database_statements_total SQL statements run."
        );
        let _ = writeln!(out, "# TYPE gazette_database_statements_total counter");
        let _ = writeln!(out, "gazette_database_statements_total {statements}");
        let _ = writeln!(
            out,
            "# HELP gazette_database_connections Database pool connections by state."
        );
        let _ = writeln!(out, "# TYPE gazette_database_connections gauge");
        let (open, idle) = pool;
        let _ = writeln!(out, "gazette_database_connections{{state=\"open\"}} {open}");
        let _ = writeln!(out, "gazette_database_connections{{state=\"idle\"}} {idle}");
        let _ = writeln!(
            out,
            "gazette_database_connections{{state=\"in_use\"}} {}",
            open.saturating_sub(idle)
        );
        out
    }
}
