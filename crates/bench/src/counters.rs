//! Database work per request, read before and after the measured window:
//!
//! * Gazette's own count of SQL statements run (`gazette_database_statements_total` at
//!   `/metrics`): exact;
//! * PostgreSQL's committed and rolled-back transactions of the database
//!   (`pg_stat_database`), read with `psql`: a proxy for statements that works for any client
//!   (PostGraphile runs a read as one statement outside any transaction, so each counts as
//!   one), approximate because backends report their counts at most once a second.

use std::process::Command;

use crate::error::BenchError;
use crate::http::{Endpoint, get};

/// The metric Gazette's gateway counts statements in (crates/gateway/src/metrics.rs).
pub const STATEMENTS_METRIC: &str = "gazette_database_statements_total";

/// Reads Gazette's statement counter from its `/metrics` endpoint.
pub async fn gazette_statements(metrics: &Endpoint) -> Result<u64, BenchError> {
    let body = get(metrics).await?;
    let text = String::from_utf8_lossy(&body);
    parse_metric(&text, STATEMENTS_METRIC).ok_or(BenchError::Counter {
        what: STATEMENTS_METRIC,
        reason: format!("{} has no such metric", metrics.url),
    })
}

/// The value of an unlabelled counter in Prometheus' text format.
fn parse_metric(text: &str, name: &str) -> Option<u64> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(name)?.strip_prefix(' ')?;
        rest.trim().parse::<f64>().ok().map(|v| v as u64)
    })
}

/// The SQL that reads the database's transaction count.
const XACT_SQL: &str = "SELECT xact_commit + xact_rollback FROM pg_stat_database \
                        WHERE datname = current_database()";

/// Reads PostgreSQL's transaction count for the database at `url` with `psql` (run off the
/// async threads).
pub async fn pg_transactions(url: &str) -> Result<u64, BenchError> {
    let url = url.to_owned();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("psql")
            .args(["--no-psqlrc", "-X", "-A", "-t", "-q", "-c", XACT_SQL, &url])
            .output()
    })
    .await
    .map_err(|e| BenchError::Counter {
        what: "pg_stat_database",
        reason: e.to_string(),
    })?
    .map_err(|e| BenchError::Counter {
        what: "pg_stat_database",
        reason: format!("running psql: {e}"),
    })?;
    if !output.status.success() {
        return Err(BenchError::Counter {
            what: "pg_stat_database",
            reason: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .map_err(|_| BenchError::Counter {
            what: "pg_stat_database",
            reason: format!("psql printed {:?}", String::from_utf8_lossy(&output.stdout)),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_statement_counter() {
        let text = "# HELP gazette_database_statements_total SQL statements run.\n\
                    # TYPE gazette_database_statements_total counter\n\
                    gazette_database_statements_total 12345\n\
                    gazette_database_connections{state=\"open\"} 3\n";
        assert_eq!(parse_metric(text, STATEMENTS_METRIC), Some(12_345));
        assert_eq!(parse_metric(text, "gazette_database_connections"), None);
    }
}
