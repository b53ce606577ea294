//! Fuzz-style property tests of the parsers that take text from clients and import files:
//! decision numbers (`DocumentNumber::parse`), partial dates (`PartialDate::parse`,
//! `PartialDateTime::parse`), name folding (`fold`) and names (`PersonName::parse`), and
//! single-line text (`Text::parse`).
//!
//! Each parser gets a few thousand inputs: arbitrary Unicode, and valid values mutated by
//! inserting, deleting and replacing characters drawn from a hostile alphabet (NUL and other
//! controls, combining marks, bidi and zero-width characters, look-alike letters and digits,
//! separators). None may panic; whatever they accept must be in canonical form and parse back
//! to itself; and their time must grow linearly with the input (checked on worst-case shapes).
//!
//! `cargo test -p gazette-domain --test fuzz_parsers`; set `PROPTEST_CASES` for more cases.
//! Coverage-guided fuzzing of the same parsers: `just fuzz` (cargo-fuzz; docs/security.md).

#![allow(clippy::unwrap_used, reason = "tests unwrap: a panic is a failed test")]

use std::time::{Duration, Instant};

use gazette_domain::award::number::DocumentNumber;
use gazette_domain::date::{MAX_YEAR, MIN_YEAR, PartialDate, PartialDateTime};
use gazette_domain::name::PersonName;
use gazette_domain::text::{Text, fold};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Characters that break naive parsers.
const HOSTILE: &[char] = &[
    '\0',
    '\u{1}',
    '\u{7}',
    '\t',
    '\n',
    '\r',
    '\u{b}',
    '\u{c}',
    '\u{1b}',
    '\u{7f}',
    '\u{85}',
    '\u{a0}',
    '\u{2028}',
    '\u{2029}',
    '\u{200b}',
    '\u{200d}',
    '\u{202e}',
    '\u{feff}',
    '\u{300}',
    '\u{301}',
    '\u{303}',
    '\u{309}',
    '\u{323}',
    '\u{302}',
    '\u{306}',
    '\u{31b}',
    'Ð',
    'ð',
    'Đ',
    'đ',
    'İ',
    'ß',
    'ﬁ',
    '/',
    '-',
    '–',
    '—',
    '‐',
    ':',
    '.',
    ' ',
    '0',
    '9',
    '１',
    '٣',
    '²',
    'T',
    'Z',
    '+',
    '%',
    '\'',
    '"',
    '\\',
    '<',
    '&',
    ';',
    'ǅ',
    '\u{10ffff}',
    '\u{fffd}',
];

fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => proptest::sample::select(HOSTILE),
        1 => any::<char>(),
    ]
}

/// One edit of a string: insert, delete or replace at a position (taken modulo the length).
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, char),
    Delete(usize),
    Replace(usize, char),
    Repeat(usize, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), hostile_char()).prop_map(|(at, c)| Edit::Insert(at, c)),
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), hostile_char()).prop_map(|(at, c)| Edit::Replace(at, c)),
        (any::<usize>(), 1u8..20).prop_map(|(at, n)| Edit::Repeat(at, n)),
    ]
}

fn apply(seed: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = seed.chars().collect();
    for edit in edits {
        match *edit {
            Edit::Insert(at, c) => {
                let at = at % (chars.len() + 1);
                chars.insert(at, c);
            }
            Edit::Delete(at) if !chars.is_empty() => {
                let at = at % chars.len();
                chars.remove(at);
            }
            Edit::Replace(at, c) if !chars.is_empty() => {
                let at = at % chars.len();
                chars[at] = c;
            }
            Edit::Repeat(at, n) if !chars.is_empty() => {
                let at = at % chars.len();
                let c = chars[at];
                for _ in 0..n {
                    chars.insert(at, c);
                }
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

/// Valid values mutated, or arbitrary strings, or strings over the hostile alphabet alone.
fn input(seeds: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (proptest::sample::select(seeds), proptest::collection::vec(edit(), 0..8))
            .prop_map(|(seed, edits)| apply(seed, &edits)),
        1 => any::<String>(),
        1 => proptest::collection::vec(hostile_char(), 0..40)
            .prop_map(|chars| chars.into_iter().collect::<String>()),
    ]
}

const NUMBERS: &[&str] = &[
    "163/QĐ-UBND",
    "31/2020/QĐ-UBND",
    "06/2022/QH15",
    "983-QĐ/TU",
    "05-CT/TU",
    "Số: 134/TB-VPCP",
    "số 42/QĐ-TTg",
    "2846",
    "163a/QĐ-UBND-KT",
    "12bis/2021/NĐ-CP",
];

const DATES: &[&str] = &[
    "2021",
    "2021-01",
    "2021-01-15",
    "1945-09-02",
    "2020-02-29",
    "2199-12-31",
    "1900-01-01",
];

const DATE_TIMES: &[&str] = &["2021-01-16T05:59:00", "2021-01-16T05:59", "2020-08", "1975"];

const NAMES: &[&str] = &[
    "Trần Việt Trường",
    "đồng chí Phạm Văn Hiểu",
    "Ông Nguyễn Thanh Nghị",
    "bà Hồ Thị Cẩm Đào",
    "Lềnh Hầu A",
    "H’Hen Niê",
    "Y-Moan Ê-ban",
    "Nguyễn Văn A.",
];

const TEXTS: &[&str] = &[
    "Ủy ban nhân dân thành phố Cần Thơ",
    "Ban Dân vận Thành ủy",
    "Hội nghị  tổng kết\tcông tác",
    "Ủy ban Mặt trận Tổ quốc Việt Nam",
];

fn is_nfc(text: &str) -> bool {
    text.nfc().eq(text.chars())
}

/// 3000 cases per parser, or `PROPTEST_CASES`.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(3000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn document_numbers_never_panic_and_accepted_ones_are_canonical(raw in input(NUMBERS)) {
        if let Ok(number) = DocumentNumber::parse(&raw) {
            let text = number.raw();
            prop_assert!(!text.is_empty());
            prop_assert_eq!(text, text.trim());
            prop_assert!(is_nfc(text), "{:?} is not NFC", text);
            prop_assert!(text.chars().count() <= 100);
            prop_assert!(!text.chars().any(char::is_control));
            let again = DocumentNumber::parse(text).unwrap();
            prop_assert_eq!(&again, &number, "parsing is a fixed point");
            prop_assert_eq!(again.key(), number.key());
        }
    }

    #[test]
    fn partial_dates_never_panic_and_accepted_ones_print_back(raw in input(DATES)) {
        if let Ok(date) = PartialDate::parse(&raw) {
            let printed = date.to_string();
            prop_assert_eq!(PartialDate::parse(&printed).unwrap(), date);
            prop_assert!(date.first_day() <= date.last_day());
            prop_assert!((MIN_YEAR..=MAX_YEAR).contains(&date.year_number()));
            prop_assert!(printed.is_ascii() && printed.len() <= 10);
        }
    }

    #[test]
    fn partial_date_times_never_panic_and_accepted_ones_print_back(raw in input(DATE_TIMES)) {
        if let Ok(value) = PartialDateTime::parse(&raw) {
            let printed = value.to_string();
            prop_assert_eq!(PartialDateTime::parse(&printed).unwrap(), value);
        }
    }

    #[test]
    fn folding_never_panics_and_is_an_idempotent_normal_form(raw in input(NAMES)) {
        let folded = fold(&raw);
        prop_assert_eq!(fold(&folded), folded.clone(), "idempotent");
        prop_assert!(!folded.chars().any(is_combining_mark), "{:?}", folded);
        prop_assert_eq!(folded.trim(), folded.as_str());
        prop_assert!(!folded.contains("  "));
        prop_assert!(!folded.chars().any(|c| matches!(c, 'đ' | 'Đ' | 'ð' | 'Ð')));
        let nfc: String = raw.nfc().collect();
        let nfd: String = raw.nfd().collect();
        prop_assert_eq!(fold(&nfc), fold(&nfd), "NFC and NFD fold alike");
    }

    #[test]
    fn names_never_panic_and_accepted_ones_are_canonical(raw in input(NAMES)) {
        if let Ok(name) = PersonName::parse(&raw) {
            let full = name.full();
            prop_assert!(is_nfc(full), "{:?}", full);
            prop_assert_eq!(full, full.trim());
            prop_assert!(!full.contains("  "));
            prop_assert!(full.chars().count() <= 200);
            prop_assert!(!full.chars().any(char::is_control));
            let again = PersonName::parse_verbatim(full).unwrap();
            prop_assert_eq!(again.full(), full, "a stored name reads back unchanged");
            prop_assert_eq!(name.fold(), fold(full));
            // The parts cover the name.
            let parts: Vec<&str> = [name.family(), name.middle(), name.given()]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect();
            prop_assert_eq!(parts.join(" "), full);
        }
    }

    #[test]
    fn texts_never_panic_and_accepted_ones_are_canonical(raw in input(TEXTS)) {
        if let Ok(text) = Text::parse(&raw) {
            let value = text.as_str();
            prop_assert!(is_nfc(value));
            prop_assert_eq!(value, value.trim());
            prop_assert!(!value.chars().any(char::is_control));
            prop_assert_eq!(Text::parse(value).unwrap(), text);
        }
    }
}

/// The fastest of three runs of `f` on `input`.
fn fastest(input: &str, f: &dyn Fn(&str)) -> Duration {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            f(input);
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// Asserts that `f` takes about linear time on `shape` repeated: 16 times the input may take
/// at most 64 times as long (quadratic work would take 256 times), with some slack for timer
/// noise on tiny durations.
fn assert_linear(what: &str, shape: &str, f: &dyn Fn(&str)) {
    let small = shape.repeat(4_000);
    let large = shape.repeat(64_000);
    let t_small = fastest(&small, f);
    let t_large = fastest(&large, f);
    assert!(
        t_large <= t_small * 64 + Duration::from_millis(50),
        "{what} on {shape:?}: {} bytes took {t_small:?}, {} bytes took {t_large:?}",
        small.len(),
        large.len()
    );
}

#[test]
fn parsers_take_linear_time_on_worst_case_shapes() {
    let shapes = [
        "1/",
        "-",
        " ",
        "\u{301}",
        "a\u{301}\u{323}",
        "đồng chí ",
        "Số ",
        "QĐ-",
        "\u{a0}\t",
        "1",
        "\r\n",
    ];
    for shape in shapes {
        assert_linear("DocumentNumber::parse", shape, &|s| {
            let _ = DocumentNumber::parse(s);
        });
        assert_linear("PartialDate::parse", shape, &|s| {
            let _ = PartialDate::parse(s);
        });
        assert_linear("PartialDateTime::parse", shape, &|s| {
            let _ = PartialDateTime::parse(s);
        });
        assert_linear("fold", shape, &|s| {
            let _ = fold(s);
        });
        assert_linear("PersonName::parse", shape, &|s| {
            let _ = PersonName::parse(s);
        });
        assert_linear("Text::parse", shape, &|s| {
            let _ = Text::parse(s);
        });
    }
}

#[test]
fn huge_inputs_are_refused_quickly_and_without_echoing_them() {
    let huge = "9".repeat(1_000_000);
    let started = Instant::now();
    let number = DocumentNumber::parse(&huge).unwrap_err().to_string();
    assert!(number.len() < 400, "{} bytes of message", number.len());
    let name = PersonName::parse(&"a".repeat(1_000_000))
        .unwrap_err()
        .to_string();
    assert!(name.len() < 400, "{} bytes of message", name.len());
    let date = PartialDate::parse(&huge).unwrap_err().to_string();
    assert!(date.len() < 400, "{} bytes of message", date.len());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}
