//! The sample file `gazette bench-data --sample FILE` writes: ids and values drawn from the
//! generated data, from which the workloads pick their variables.

use std::path::Path;

use serde::Deserialize;

use crate::error::BenchError;

/// An organization with at least one overdue task (as lead unit) as of a day.
#[derive(Debug, Clone, Deserialize)]
pub struct TaskUnit {
    /// The organization's UUID.
    pub organization: String,
    /// The day (`YYYY-MM-DD`).
    pub as_of: String,
}

/// An authority with at least one award decision filed under a year.
#[derive(Debug, Clone, Deserialize)]
pub struct AwardAuthority {
    /// The organization's UUID.
    pub organization: String,
    /// The year.
    pub year: i32,
}

/// An unlimited-seat post and a start date at which a new appointment breaks no rule.
#[derive(Debug, Clone, Deserialize)]
pub struct Appointment {
    /// The post's UUID.
    pub post: String,
    /// The start (`YYYY-MM-DD`).
    pub start: String,
}

/// The sample file.
#[derive(Debug, Clone, Deserialize)]
pub struct Sample {
    /// The data set's size (`s`, `m`, `l`).
    #[serde(default)]
    pub size: String,
    /// The generator's seed.
    #[serde(default)]
    pub seed: u64,
    /// The day "current" means (`YYYY-MM-DD`).
    pub as_of: String,
    /// People who hold at least one post on `as_of`.
    #[serde(default)]
    pub people: Vec<String>,
    /// Folded name prefixes, family name first, each matching at least one person.
    #[serde(default)]
    pub name_prefixes: Vec<String>,
    /// Organizations with overdue tasks, with the day.
    #[serde(default)]
    pub task_units: Vec<TaskUnit>,
    /// Authorities with award decisions, with the year.
    #[serde(default)]
    pub award_authorities: Vec<AwardAuthority>,
    /// Appointments that break no rule.
    #[serde(default)]
    pub appointments: Vec<Appointment>,
    /// In-progress tasks that accept progress reports.
    #[serde(default)]
    pub progress_tasks: Vec<String>,
    /// Living people who may be appointed.
    #[serde(default)]
    pub people_for_appointment: Vec<String>,
}

impl Sample {
    /// Reads and parses the sample file.
    pub fn load(path: &Path) -> Result<Self, BenchError> {
        let text = std::fs::read_to_string(path).map_err(|source| BenchError::ReadSample {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text).map_err(|source| BenchError::ParseSample {
            path: path.to_owned(),
            source,
        })
    }

    /// Parses a sample from its JSON text.
    pub fn parse(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_format() {
        let sample = Sample::parse(
            r#"{
              "size": "s", "seed": 42, "as_of": "2026-11-27",
              "people": ["0190c0de-0000-7000-8000-000000000001"],
              "name_prefixes": ["nguyen van"],
              "task_units": [{"organization": "0190c0de-0000-7000-8000-000000000002", "as_of": "2026-06-30"}],
              "award_authorities": [{"organization": "0190c0de-0000-7000-8000-000000000003", "year": 2023}],
              "appointments": [{"post": "0190c0de-0000-7000-8000-000000000004", "start": "2026-01-01"}],
              "progress_tasks": ["0190c0de-0000-7000-8000-000000000005"],
              "people_for_appointment": ["0190c0de-0000-7000-8000-000000000006"]
            }"#,
        )
        .unwrap();
        assert_eq!(sample.size, "s");
        assert_eq!(sample.task_units[0].as_of, "2026-06-30");
        assert_eq!(sample.award_authorities[0].year, 2023);
        assert_eq!(sample.appointments[0].start, "2026-01-01");
    }
}
