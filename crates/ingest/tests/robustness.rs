//! What real input does to the reader: NFD, the 'Ð' look-alike, old and new tone placement,
//! typos, Windows line endings, empty and 5 MB input, bytes that are not UTF-8.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use std::path::Path;
use std::time::{Duration, Instant};

use gazette_ingest::{Draft, IngestError, IngestOptions, ingest, ingest_bytes};
use unicode_normalization::UnicodeNormalization;

fn article(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(format!("{name}.txt"));
    std::fs::read_to_string(path).unwrap()
}

fn read(text: &str) -> Draft {
    ingest(text, &IngestOptions::default()).unwrap()
}

/// What a reviewer reads first: names, titles resolved, the meeting, tasks, awards.
fn outline(draft: &Draft) -> Vec<String> {
    let mut lines = Vec::new();
    for person in &draft.people {
        lines.push(format!("person {}", person.key));
        for title in &person.titles {
            lines.push(format!("  {:?} of {:?}", title.post, title.organization));
        }
    }
    for organization in &draft.organizations {
        lines.push(format!(
            "organization {} {:?}",
            organization.key, organization.level
        ));
    }
    if let Some(meeting) = &draft.meeting {
        lines.push(format!(
            "meeting {:?} {:?} {:?} chairs {}",
            meeting.date,
            meeting.kind,
            meeting.organizer,
            meeting.chairs.len()
        ));
    }
    for directive in &draft.directives {
        lines.push(format!(
            "directive {:?} addressees {} tasks {}",
            directive.kind,
            directive.addressees.len(),
            directive.tasks.len()
        ));
    }
    for award in &draft.awards {
        lines.push(format!(
            "award {:?} {:?} {:?} recipients {}",
            award.form,
            award.authority,
            award.presenter,
            award.recipients.len()
        ));
    }
    lines
}

const FOUNDING: &str = "can-tho-2021-01-16-dan-van";

#[test]
fn decomposed_text_gives_the_same_draft() {
    let text = article(FOUNDING);
    let nfd: String = text.nfd().collect();
    assert_ne!(nfd, text);
    assert_eq!(read(&nfd), read(&text));
}

#[test]
fn the_eth_look_alike_reads_as_d_with_stroke() {
    let text = article(FOUNDING);
    let eth = text.replace('Đ', "Ð").replace('đ', "ð");
    assert_eq!(read(&eth), read(&text));
}

#[test]
fn windows_and_old_mac_line_endings_give_the_same_draft() {
    let text = article(FOUNDING);
    assert_eq!(read(&text.replace('\n', "\r\n")), read(&text));
    assert_eq!(read(&text.replace('\n', "\r")), read(&text));
}

#[test]
fn old_tone_placement_resolves_to_the_same_records() {
    let text = article(FOUNDING);
    // "Thành uỷ", "HĐND", "Uỷ ban": the old placement puts the tone on the second vowel.
    let old = text
        .replace("ủy", "uỷ")
        .replace("Ủy", "Uỷ")
        .replace("hòa", "hoà");
    assert_ne!(old, text);
    assert_eq!(outline(&read(&old)), outline(&read(&text)));
}

#[test]
fn a_typo_in_a_diacritic_does_not_derail_the_rest() {
    let text = article("vinh-phuc-2021-01-19-hoi-dong-tdkt");
    let typo = text.replace("thưởng", "thuởng");
    assert_ne!(typo, text);
    assert_eq!(outline(&read(&typo)), outline(&read(&text)));
    let draft = read(&typo);
    assert!(
        draft
            .organizations
            .iter()
            .any(|o| o.name == "Hội đồng Thi đua - Khen thưởng tỉnh")
    );
}

#[test]
fn empty_and_blank_input_give_an_empty_draft_with_a_warning() {
    for text in ["", " \n\r\n\t \u{a0}\u{feff}"] {
        let draft = read(text);
        assert!(draft.people.is_empty() && draft.meeting.is_none());
        assert_eq!(draft.warnings[0].code, "empty_input");
    }
}

#[test]
fn bytes_that_are_not_utf8_are_refused_with_their_offset() {
    let mut bytes = "Ngày 15-1-2021, Ban".as_bytes().to_vec();
    let offset = bytes.len();
    bytes.extend_from_slice(&[0xff, 0xfe, b'a']);
    let error = ingest_bytes(&bytes, &IngestOptions::default()).unwrap_err();
    assert_eq!(error, IngestError::InvalidUtf8 { offset });
    assert!(error.to_string().contains(&format!("byte offset {offset}")));
    // A byte-order mark is fine.
    let with_bom = [&[0xef, 0xbb, 0xbf][..], article(FOUNDING).as_bytes()].concat();
    assert_eq!(
        ingest_bytes(&with_bom, &IngestOptions::default()).unwrap(),
        read(&article(FOUNDING))
    );
}

#[test]
fn input_over_the_limit_is_refused() {
    let options = IngestOptions::default().with_max_bytes(100);
    let error = ingest(&"a".repeat(101), &options).unwrap_err();
    assert_eq!(
        error,
        IngestError::TooLarge {
            bytes: 101,
            max: 100
        }
    );
}

/// The whole corpus repeated until it is `bytes` long, paragraphs kept whole.
fn big_input(bytes: usize) -> String {
    let corpus: String = [
        FOUNDING,
        "khanh-hoa-2021-01-07-van-ninh-qcdc",
        "vinh-phuc-2021-01-19-hoi-dong-tdkt",
        "quang-ninh-2022-08-25-cam-pha-ket-luan",
        "da-nang-2020-08-ty-le-hoan-thanh",
        "bac-giang-2025-02-hop-nhat-ban",
    ]
    .iter()
    .map(|name| article(name))
    .collect::<Vec<_>>()
    .join("\n");
    let mut out = String::with_capacity(bytes + corpus.len());
    while out.len() < bytes {
        out.push_str(&corpus);
        out.push('\n');
    }
    out
}

fn time(text: &str) -> Duration {
    let start = Instant::now();
    let draft = read(text);
    let elapsed = start.elapsed();
    assert!(!draft.people.is_empty());
    elapsed
}

#[test]
fn five_megabytes_are_read_in_linear_time() {
    let one = big_input(1_000_000);
    let five = big_input(5_000_000);
    // Warm up the lexicons, then take the best of two runs so that a busy machine does not
    // decide the result.
    let _ = read(&article(FOUNDING));
    let t1 = time(&one).min(time(&one));
    let t5 = time(&five).min(time(&five));
    let ratio = t5.as_secs_f64() / t1.as_secs_f64().max(1e-6);
    // Linear is 5; quadratic would be 25.
    eprintln!("1 MB took {t1:?}, 5 MB took {t5:?}: ratio {ratio:.1}");
    assert!(
        ratio < 10.0,
        "1 MB took {t1:?}, 5 MB took {t5:?}: ratio {ratio:.1}"
    );
    assert!(t5 < Duration::from_secs(120), "5 MB took {t5:?}");
}

#[test]
fn one_huge_sentence_is_still_linear() {
    // No punctuation at all: one sentence of a million characters.
    let words = "đồng chí Nguyễn Văn An Chủ tịch UBND tỉnh giao Sở Nội vụ tiếp tục trao Bằng khen ";
    let one = words.repeat(1_000_000 / words.len());
    let five = words.repeat(5_000_000 / words.len());
    let _ = read(words);
    let start = Instant::now();
    let _ = read(&one);
    let t1 = start.elapsed();
    let start = Instant::now();
    let draft = read(&five);
    let t5 = start.elapsed();
    let ratio = t5.as_secs_f64() / t1.as_secs_f64().max(1e-6);
    eprintln!("one sentence: 1 MB took {t1:?}, 5 MB took {t5:?}: ratio {ratio:.1}");
    assert!(
        ratio < 10.0,
        "1 MB took {t1:?}, 5 MB took {t5:?}: ratio {ratio:.1}"
    );
    assert!(
        draft
            .warnings
            .iter()
            .any(|w| w.code == "long_sentences_skipped")
    );
}
