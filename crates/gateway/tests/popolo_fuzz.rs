//! The inputs the `popolo` fuzz target (`crates/gateway/fuzz`, docs/security.md) found, fed to
//! the Popolo import's reading and checking of a file (`popolo::check_document`) as plain tests.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use gazette_gateway::popolo::{ImportError, Location, check_document};

fn refused_by_line_and_column(input: &[u8]) {
    match check_document(input) {
        Err(ImportError::Invalid { first, .. }) => {
            assert!(matches!(first.location, Location::Line { .. }), "{first}");
        }
        Err(other) => panic!("{input:?}: {other}"),
        Ok(problems) => panic!("{input:?} was read as JSON: {problems:?}"),
    }
}

/// Found 2026-11-27 (minimized: `{"":"\xff"}`): a file that is not UTF-8, so not JSON, was read
/// when its bytes that are not UTF-8 were in a string under a top-level key the import ignores
/// (serde_json skips such a value without checking its strings).
#[test]
fn bytes_that_are_not_utf8_under_an_ignored_top_level_key_are_refused() {
    refused_by_line_and_column(b"{\"\":\"\xff\"}");
    refused_by_line_and_column(b"{\"links\":[{\"note\":\"Cao \xc3\"}],\"persons\":[]}");
    refused_by_line_and_column(b"{\"meta\":{\"\xff\":1}}");
    refused_by_line_and_column(b"{\"meta\":[1, \"\\ud800\"]}");
}

#[test]
fn an_ignored_top_level_key_that_is_json_is_still_only_a_note() {
    let input = br#"{"meta": {"links": [{"url": "x", "n": [1, -2.5, 1e300, true, null, {}]}]}, "persons": []}"#;
    assert_eq!(check_document(&input[..]).unwrap(), Vec::new());
}
