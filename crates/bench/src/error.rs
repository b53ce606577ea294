//! The errors that stop a benchmark run (as opposed to failed requests, which are counted).

use std::path::PathBuf;

/// Why a run could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// The sample file could not be read.
    #[error("cannot read the sample file {path}: {source}")]
    ReadSample {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The sample file is not the JSON `gazette bench-data --sample` writes.
    #[error("the sample file {path} is not a valid sample: {source}")]
    ParseSample {
        /// The file.
        path: PathBuf,
        /// The JSON error.
        source: serde_json::Error,
    },
    /// The sample has no values for what a workload needs.
    #[error("the sample has no {0}, which the workload needs")]
    EmptySample(&'static str),
    /// A URL the tool cannot use.
    #[error("{url:?} is not a usable http:// URL: {reason}")]
    Url {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Connecting to, or talking to, a server failed.
    #[error("HTTP to {url}: {reason}")]
    Http {
        /// The URL.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// A flag value the tool cannot use.
    #[error("{0}")]
    Usage(String),
    /// A counter the report needs could not be read.
    #[error("reading {what}: {reason}")]
    Counter {
        /// Which counter.
        what: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// Writing the report failed.
    #[error("writing the report: {0}")]
    Output(#[from] std::io::Error),
    /// Serializing the report failed.
    #[error("serializing the report: {0}")]
    Json(#[from] serde_json::Error),
    /// `verify` found the two targets answering differently.
    #[error("{0} workload value(s) answered differently by the two targets")]
    Mismatch(usize),
}
