//! `verify`: runs each read workload once per sample value on both targets and compares the
//! sets of record UUIDs the two answers contain, so that the benchmark compares the same work.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::check::failure_reason;
use crate::error::BenchError;
use crate::http::{Connection, Endpoint};
use crate::sample::Sample;
use crate::workload::{Params, Target, Workload, every_value, uuid_of_global_id};

/// The UUIDs of every record in an answer: each `id` field's value (Gazette's global ids
/// decoded to their UUID).
#[must_use]
pub fn record_ids(value: &Value, target: Target) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    collect(value, target, &mut ids);
    ids
}

fn collect(value: &Value, target: Target, ids: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, field) in map {
                match (key.as_str(), field) {
                    ("id", Value::String(id)) => {
                        let uuid = match target {
                            Target::Gazette => uuid_of_global_id(id).unwrap_or_else(|| id.clone()),
                            Target::Postgraphile => id.clone(),
                        };
                        ids.insert(uuid);
                    }
                    _ => collect(field, target, ids),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                collect(item, target, ids);
            }
        }
        _ => {}
    }
}

/// One request's answer: its record ids, or why it failed.
async fn answer(
    connection: &mut Connection,
    params: &Params,
    target: Target,
    now: &str,
) -> Result<BTreeSet<String>, String> {
    let body = params.body(target, now).map_err(|e| e.to_string())?;
    let (status, body) = connection
        .post_json(body, None)
        .await
        .map_err(|e| e.to_string())?;
    if let Some(reason) = failure_reason(status, &body) {
        let text: String = String::from_utf8_lossy(&body).chars().take(400).collect();
        return Err(format!("{reason}: {text}"));
    }
    let value: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    Ok(record_ids(&value["data"], target))
}

/// Compares the two targets on up to `limit` values of each read workload; prints a line per
/// workload and the differences, and fails when any value differs.
pub async fn verify(
    gazette: &Endpoint,
    postgraphile: &Endpoint,
    sample: &Sample,
    workloads: &[Workload],
    limit: usize,
) -> Result<(), BenchError> {
    let open = |endpoint: &Endpoint| {
        let endpoint = endpoint.clone();
        async move {
            Connection::open(&endpoint)
                .await
                .map_err(|e| BenchError::Http {
                    url: endpoint.url.clone(),
                    reason: e.0,
                })
        }
    };
    let mut g = open(gazette).await?;
    let mut p = open(postgraphile).await?;
    let now = format!("{}T12:00:00Z", sample.as_of);
    let mut mismatches = 0;
    for workload in workloads {
        let values = every_value(*workload, sample);
        let mut compared = 0;
        let mut ids = 0;
        let mut bad = 0;
        for params in values.iter().take(limit) {
            let ours = answer(&mut g, params, Target::Gazette, &now).await;
            let theirs = answer(&mut p, params, Target::Postgraphile, &now).await;
            compared += 1;
            match (ours, theirs) {
                (Ok(ours), Ok(theirs)) if ours == theirs && !ours.is_empty() => {
                    ids += ours.len();
                }
                (Ok(ours), Ok(theirs)) => {
                    bad += 1;
                    let only_ours: Vec<_> = ours.difference(&theirs).take(5).collect();
                    let only_theirs: Vec<_> = theirs.difference(&ours).take(5).collect();
                    println!(
                        "  MISMATCH {} {params:?}: gazette {} ids, postgraphile {} ids; only gazette {only_ours:?}; only postgraphile {only_theirs:?}",
                        workload.name(),
                        ours.len(),
                        theirs.len()
                    );
                }
                (ours, theirs) => {
                    bad += 1;
                    println!(
                        "  FAILED {} {params:?}: gazette {:?}; postgraphile {:?}",
                        workload.name(),
                        ours.err(),
                        theirs.err()
                    );
                }
            }
        }
        println!(
            "workload {}: {compared} sample values compared, {ids} record ids agreed, {bad} differed",
            workload.name()
        );
        mismatches += bad;
    }
    if mismatches > 0 {
        return Err(BenchError::Mismatch(mismatches));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::global_id;
    use serde_json::json;

    #[test]
    fn collects_ids_of_both_forms() {
        let uuid = "0190c0de-0000-7000-8000-000000000001";
        let gazette = json!({"person": {"id": global_id("Person", uuid), "positions": [
            {"id": global_id("Holding", "h1"), "post": {"id": global_id("Post", "p1")}}
        ]}});
        let postgraphile = json!({"personById": {"id": uuid, "holdingsByPersonId": {"nodes": [
            {"id": "h1", "postByPostId": {"id": "p1"}}
        ]}}});
        assert_eq!(
            record_ids(&gazette, Target::Gazette),
            record_ids(&postgraphile, Target::Postgraphile)
        );
        assert_eq!(record_ids(&gazette, Target::Gazette).len(), 3);
    }
}
