//! Judging a response by its body: status 200, valid JSON, `data` present and not null, no
//! `errors` key. Anything else is a failure, counted by reason.

use hyper::StatusCode;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

/// The top level of a GraphQL response, read without building the data (the whole body is
/// still parsed, so invalid JSON anywhere is caught).
#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    data: Option<IgnoredAny>,
    #[serde(default)]
    errors: Option<IgnoredAny>,
}

/// Why a response is not a success; `None` when it is one.
#[must_use]
pub fn failure_reason(status: StatusCode, body: &[u8]) -> Option<String> {
    if status != StatusCode::OK {
        return Some(format!("HTTP {}", status.as_u16()));
    }
    let envelope: Envelope = match serde_json::from_slice(body) {
        Ok(envelope) => envelope,
        Err(_) => return Some("invalid JSON".to_owned()),
    };
    if envelope.errors.is_some() {
        return Some(error_reason(body));
    }
    if envelope.data.is_none() {
        return Some("no data".to_owned());
    }
    None
}

/// A short reason for a response with `errors`: the first error's code when it has one, else
/// its message (cut short).
fn error_reason(body: &[u8]) -> String {
    let value: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let first = &value["errors"][0];
    if let Some(code) = first["extensions"]["code"].as_str() {
        return format!("GraphQL error {code}");
    }
    match first["message"].as_str() {
        Some(message) => {
            let short: String = message.chars().take(80).collect();
            format!("GraphQL error: {short}")
        }
        None => "GraphQL errors".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judges_bodies() {
        assert_eq!(failure_reason(StatusCode::OK, br#"{"data":{"x":1}}"#), None);
        assert_eq!(
            failure_reason(StatusCode::BAD_REQUEST, b"{}").as_deref(),
            Some("HTTP 400")
        );
        assert_eq!(
            failure_reason(StatusCode::OK, br#"{"data":{"x":1"#).as_deref(),
            Some("invalid JSON")
        );
        assert_eq!(
            failure_reason(StatusCode::OK, br#"{"data":null}"#).as_deref(),
            Some("no data")
        );
        assert_eq!(
            failure_reason(
                StatusCode::OK,
                br#"{"data":null,"errors":[{"message":"no","extensions":{"code":"FORBIDDEN"}}]}"#
            )
            .as_deref(),
            Some("GraphQL error FORBIDDEN")
        );
        assert_eq!(
            failure_reason(StatusCode::OK, br#"{"errors":[{"message":"syntax"}]}"#).as_deref(),
            Some("GraphQL error: syntax")
        );
    }
}
