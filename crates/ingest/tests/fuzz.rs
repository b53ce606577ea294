//! The proptest stand-in for the cargo-fuzz target (`fuzz/fuzz_targets/ingest.rs`, run by
//! `just fuzz SECONDS ingest`; docs/security.md), run by every `cargo test`: a few thousand
//! random strings, random byte strings, sentences made of press vocabulary, and mutated corpus
//! articles. None may panic, and every draft must keep its promises: each `span` lies inside the
//! normalized text and cuts out its `quote`, each confidence lies in [0, 1], and the draft reads
//! back from its JSON.
//!
//! `PROPTEST_CASES=N` runs more (or fewer) cases per property.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use std::path::Path;
use std::sync::LazyLock;

use gazette_ingest::{IngestOptions, ingest, ingest_bytes, normalize};
use proptest::prelude::*;
use serde_json::Value;

/// The corpus, read once.
static CORPUS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
});

/// Words and marks the recognizers react to, for sentences that reach deep into them.
const VOCABULARY: [&str; 64] = [
    "đồng chí",
    "các đồng chí",
    "Đồng chí",
    "ông",
    "bà",
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "NGUYỄN VĂN AN",
    "Lê Duy",
    "Phó Bí thư Thường trực",
    "Bí thư",
    "Chủ tịch",
    "Phó Chủ tịch",
    "Trưởng Ban",
    "Ủy viên",
    "Tỉnh ủy viên",
    "Thành ủy",
    "Tỉnh ủy",
    "Huyện ủy Vạn Ninh",
    "HĐND",
    "UBND",
    "HÐND",
    "Ủy ban MTTQ",
    "thành phố",
    "tỉnh",
    "huyện",
    "quận",
    "xã",
    "phường",
    "TP.",
    "Cần Thơ",
    "Bà Rịa - Vũng Tàu",
    "Ban Thường vụ",
    "Ban Dân vận",
    "Văn phòng",
    "Sở",
    "Nội vụ",
    "và",
    "các",
    ",",
    ";",
    ":",
    ".",
    "-",
    "(",
    ")",
    "“",
    "”",
    "…",
    "\n",
    "\r\n",
    "Ngày 15-1-2021",
    "Sáng 7-1",
    "Chiều 19/01",
    "Tối ngày 28.12",
    "trước 10/9/2022",
    "đề nghị",
    "giao",
    "yêu cầu",
    "tiếp tục",
    "trao Bằng khen của",
    "cho 11 tập thể, 6 cá nhân",
    "đồng thời",
    "(CT) -",
];

/// Checks a draft's promises against the text it was read from.
fn check(text: &str) -> Result<(), TestCaseError> {
    let draft = ingest(text, &IngestOptions::default())
        .map_err(|e| TestCaseError::fail(format!("refused: {e}")))?;
    let chars: Vec<char> = normalize(text).chars().collect();
    let value = serde_json::to_value(&draft).map_err(|e| TestCaseError::fail(e.to_string()))?;
    check_value(&value, &chars)?;
    let back: gazette_ingest::Draft =
        serde_json::from_value(value).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(back, draft);
    Ok(())
}

fn check_value(value: &Value, chars: &[char]) -> Result<(), TestCaseError> {
    match value {
        Value::Object(map) => {
            if let Some(span) = map.get("span").filter(|s| !s.is_null()) {
                let start = span["start"].as_u64().unwrap_or(u64::MAX) as usize;
                let end = span["end"].as_u64().unwrap_or(u64::MAX) as usize;
                prop_assert!(start <= end && end <= chars.len(), "span {start}..{end}");
                if let Some(Value::String(quote)) = map.get("quote") {
                    let cut: String = chars[start..end].iter().collect();
                    prop_assert_eq!(&cut, quote);
                }
            }
            if let Some(c) = map.get("confidence").and_then(Value::as_f64) {
                prop_assert!((0.0..=1.0).contains(&c));
            }
            for child in map.values() {
                check_value(child, chars)?;
            }
        }
        Value::Array(items) => {
            for child in items {
                check_value(child, chars)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// One edit of a corpus article: at a relative position, delete, insert, duplicate or swap.
fn mutate(text: &str, edits: &[(f64, f64, u8, String)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for (at, length, kind, insert) in edits {
        let n = chars.len();
        if n == 0 {
            chars.extend(insert.chars());
            continue;
        }
        let start = ((at * n as f64) as usize).min(n - 1);
        let end = (start + (length * 40.0) as usize).min(n);
        match kind % 5 {
            0 => {
                chars.drain(start..end);
            }
            1 => {
                let piece: Vec<char> = insert.chars().collect();
                chars.splice(start..start, piece);
            }
            2 => {
                let piece: Vec<char> = chars[start..end].to_vec();
                chars.splice(end..end, piece);
            }
            3 => {
                // Strip diacritics from a stretch, as a careless copy does.
                for c in &mut chars[start..end] {
                    let stripped = gazette_domain::text::fold(&c.to_string());
                    if let Some(first) = stripped.chars().next() {
                        *c = first;
                    }
                }
            }
            _ => {
                let piece: Vec<char> = chars[start..end].iter().rev().copied().collect();
                chars.splice(start..end, piece);
            }
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000)
    ))]

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        check(&text)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        match ingest_bytes(&bytes, &IngestOptions::default()) {
            Ok(_) => prop_assert!(std::str::from_utf8(&bytes).is_ok()),
            Err(gazette_ingest::IngestError::InvalidUtf8 { offset }) => {
                prop_assert_eq!(std::str::from_utf8(&bytes).unwrap_err().valid_up_to(), offset);
            }
            Err(other) => prop_assert!(false, "unexpected error {other}"),
        }
    }

    #[test]
    fn press_vocabulary_in_any_order_never_panics(
        words in proptest::collection::vec(proptest::sample::select(&VOCABULARY[..]), 0..120)
    ) {
        check(&words.join(" "))?;
    }

    #[test]
    fn mutated_articles_never_panic(
        article in 0usize..6,
        edits in proptest::collection::vec(
            (0.0f64..1.0, 0.0f64..1.0, any::<u8>(), "[a-zA-ZđĐÐàáạăâêôơưÀÁẢẠ\u{300}\u{301}\u{323} ,.;:()\\-\n\r0-9/]{0,12}"),
            1..8,
        )
    ) {
        let text = mutate(&CORPUS[article % CORPUS.len()], &edits);
        check(&text)?;
    }
}
