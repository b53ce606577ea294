//! Every article of the corpus against its expected draft, written by reading the article.
//!
//! The expected files (`tests/expected/*.json`) leave out two things a person cannot sensibly
//! write by hand: `span` (character offsets) and `confidence`. Instead, this test checks that
//! every `span` cuts exactly its item's `quote` out of the normalized article, and that every
//! confidence lies between 0 and 1; everything else must match exactly.
//!
//! To see what the recognizers produce for an article, set `GAZETTE_INGEST_ACTUAL=DIR`: each
//! draft is also written there as `NAME.json` (never over the expectations).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use std::path::{Path, PathBuf};

use gazette_ingest::{IngestOptions, ingest, normalize};
use serde_json::Value;

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

/// Checks spans against quotes and confidences against [0, 1], then removes both.
fn check_and_strip(value: &mut Value, chars: &[char], path: &str) {
    match value {
        Value::Object(map) => {
            if let Some(span) = map.get("span").filter(|s| !s.is_null()) {
                let start = usize::try_from(span["start"].as_u64().unwrap()).unwrap();
                let end = usize::try_from(span["end"].as_u64().unwrap()).unwrap();
                assert!(
                    start <= end && end <= chars.len(),
                    "{path}: span {start}..{end} out of range"
                );
                if let Some(Value::String(quote)) = map.get("quote") {
                    let cut: String = chars[start..end].iter().collect();
                    assert_eq!(&cut, quote, "{path}: the span does not cut out the quote");
                }
            }
            if let Some(confidence) = map.get("confidence") {
                let c = confidence.as_f64().unwrap();
                assert!((0.0..=1.0).contains(&c), "{path}: confidence {c}");
            }
            map.remove("span");
            map.remove("confidence");
            for (key, child) in map.iter_mut() {
                check_and_strip(child, chars, &format!("{path}.{key}"));
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                check_and_strip(child, chars, &format!("{path}[{index}]"));
            }
        }
        _ => {}
    }
}

/// The first path at which two JSON values differ, for a readable failure.
fn first_difference(expected: &Value, actual: &Value, path: &str) -> Option<String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for key in e.keys().chain(a.keys()) {
                match (e.get(key), a.get(key)) {
                    (Some(x), Some(y)) => {
                        if let Some(found) = first_difference(x, y, &format!("{path}.{key}")) {
                            return Some(found);
                        }
                    }
                    (x, y) => {
                        return Some(format!("{path}.{key}: expected {x:?}, got {y:?}"));
                    }
                }
            }
            None
        }
        (Value::Array(e), Value::Array(a)) => {
            for (index, (x, y)) in e.iter().zip(a).enumerate() {
                if let Some(found) = first_difference(x, y, &format!("{path}[{index}]")) {
                    return Some(found);
                }
            }
            (e.len() != a.len()).then(|| {
                format!(
                    "{path}: expected {} items, got {}: {}",
                    e.len(),
                    a.len(),
                    serde_json::to_string_pretty(actual).unwrap()
                )
            })
        }
        (x, y) if x == y => None,
        (x, y) => Some(format!("{path}: expected {x}, got {y}")),
    }
}

#[test]
fn every_article_gives_its_expected_draft() {
    let files = corpus();
    assert_eq!(files.len(), 6, "the corpus has six articles");
    for file in files {
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&file).unwrap();
        let draft = ingest(&text, &IngestOptions::default()).unwrap();
        let mut actual = serde_json::to_value(&draft).unwrap();
        if let Ok(dir) = std::env::var("GAZETTE_INGEST_ACTUAL") {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(
                Path::new(&dir).join(format!("{name}.json")),
                serde_json::to_string_pretty(&actual).unwrap(),
            )
            .unwrap();
        }
        let chars: Vec<char> = normalize(&text).chars().collect();
        check_and_strip(&mut actual, &chars, &name);
        let expected_file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/expected")
            .join(format!("{name}.json"));
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&expected_file).unwrap()).unwrap();
        if let Some(difference) = first_difference(&expected, &actual, &name) {
            panic!(
                "{name}: the draft differs from {}:\n{difference}",
                expected_file.display()
            );
        }
        // The draft also reads back into the same value.
        let back: gazette_ingest::Draft =
            serde_json::from_value(serde_json::to_value(&draft).unwrap()).unwrap();
        assert_eq!(back, draft, "{name}: the draft round-trips through JSON");
    }
}

#[test]
fn the_founding_article_gives_what_done_means() {
    let file = corpus()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("can-tho"))
        .unwrap();
    let draft = ingest(
        &std::fs::read_to_string(file).unwrap(),
        &IngestOptions::default(),
    )
    .unwrap();

    // Three officials, five posts.
    let officials: Vec<(&str, usize)> = draft
        .people
        .iter()
        .map(|p| (p.name.as_str(), p.titles.len()))
        .collect();
    assert_eq!(
        officials,
        [
            ("Phạm Văn Hiểu", 2),
            ("Trần Việt Trường", 2),
            ("Trần Thị Vĩnh Nghi", 1)
        ]
    );
    let organization = |key: &str| {
        draft
            .organizations
            .iter()
            .find(|o| o.key == key)
            .map(|o| o.name.clone())
            .unwrap()
    };
    let posts: Vec<(String, String)> = draft
        .people
        .iter()
        .flat_map(|p| &p.titles)
        .map(|t| {
            (
                t.post.clone().unwrap(),
                organization(t.organization.as_deref().unwrap()),
            )
        })
        .collect();
    assert_eq!(
        posts,
        [
            ("Phó Bí thư Thường trực".into(), "Thành ủy Cần Thơ".into()),
            (
                "Chủ tịch".into(),
                "Hội đồng nhân dân thành phố Cần Thơ".into()
            ),
            ("Phó Bí thư".into(), "Thành ủy Cần Thơ".into()),
            (
                "Chủ tịch".into(),
                "Ủy ban nhân dân thành phố Cần Thơ".into()
            ),
            ("Trưởng ban".into(), "Ban Dân vận Thành ủy Cần Thơ".into()),
        ]
    );

    // The meeting of 2021-01-15, its organizer and chairs.
    let meeting = draft.meeting.as_ref().unwrap();
    assert_eq!(meeting.date.unwrap().to_string(), "2021-01-15");
    assert_eq!(
        organization(meeting.organizer.as_deref().unwrap()),
        "Ban Thường vụ Thành ủy Cần Thơ"
    );
    assert_eq!(meeting.chairs.len(), 3);

    // The directive and its instructions.
    let directive = &draft.directives[0];
    assert_eq!(
        directive.speaker.as_ref().unwrap().person.as_deref(),
        Some("pham-van-hieu")
    );
    assert_eq!(directive.addressees.len(), 5);
    assert_eq!(directive.tasks.len(), 9);

    // The award: form, authority, presenter.
    let award = &draft.awards[0];
    assert_eq!(award.form.as_ref().unwrap().vietnamese_name(), "Bằng khen");
    assert_eq!(
        organization(award.authority.as_deref().unwrap()),
        "Ủy ban nhân dân thành phố Cần Thơ"
    );
    assert_eq!(award.presenter.as_deref(), Some("tran-viet-truong"));

    // The source: publisher, byline, photo credit.
    assert_eq!(
        draft.source.publisher.as_ref().unwrap().name.as_deref(),
        Some("Báo Cần Thơ")
    );
    assert_eq!(draft.source.byline.as_ref().unwrap().value, "THANH THY");
    assert_eq!(draft.source.photo_credits[0].value, "NGỌC QUYÊN");
    assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
}

#[test]
fn a_known_url_supplies_the_place_the_article_leaves_out() {
    // The Cẩm Phả report never names its city; its URL does.
    let file = corpus()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("quang-ninh"))
        .unwrap();
    let options = IngestOptions::default().with_hint(gazette_ingest::SourceHint {
        url: Some(
            "https://www.quangninh.gov.vn/donvi/tpcampha/Trang/ChiTietTinTuc.aspx?nid=21108".into(),
        ),
        ..Default::default()
    });
    let draft = ingest(&std::fs::read_to_string(file).unwrap(), &options).unwrap();
    assert_eq!(
        draft.source.publisher.as_ref().unwrap().name.as_deref(),
        Some("Cổng TTĐT TP Cẩm Phả (Quảng Ninh)")
    );
    let names: Vec<&str> = draft
        .organizations
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert!(
        names.contains(&"Ủy ban nhân dân thành phố Cẩm Phả"),
        "{names:?}"
    );
    let committee = draft
        .organizations
        .iter()
        .find(|o| o.name == "Ủy ban nhân dân thành phố Cẩm Phả")
        .unwrap();
    assert_eq!(
        committee.level,
        Some(gazette_domain::organization::Level::District)
    );
    assert!(draft.warnings.iter().all(|w| w.code != "place_not_named"));
}
