//! Document numbers (số văn bản) of award decisions and directive documents.
//!
//! A number is kept exactly as it was written, because that is what a clerk searches for and
//! what a citation must reproduce. When it follows one of the formats in use, its parts are read
//! as well, so that the document type ("QĐ", "CT", "TB") and the year can be used and so that
//! spelling variants of one number ("163/QĐ-UBND", "163 / QĐ-UBND", "163/QÐ-UBND") can be
//! recognized as the same number through [`DocumentNumber::key`].
//!
//! The formats are:
//! - state documents: `163/QĐ-UBND` (number, document type, issuer);
//! - normative documents, which carry the year: `31/2020/QĐ-UBND`, `06/2022/QH15`;
//! - Party documents: `983-QĐ/TU` (number, document type, issuer);
//! - a bare number, which is often all a news report gives: `2846`.
//!
//! Anything else is still a valid number, kept as [`DocumentNumberFormat::Unrecognized`]: real
//! records contain typos and local conventions, and refusing them would lose the record.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// The longest document number accepted, in characters (after NFC normalization).
pub const MAX_CHARS: usize = 100;

/// An upper bound on the input size, in bytes, before any normalization work is done.
///
/// A canonical decomposition is at most four characters long and a character is at most four
/// bytes, so any input whose NFC form fits in [`MAX_CHARS`] characters fits in this many bytes.
/// Checking it first keeps the work done on hostile input bounded.
const MAX_INPUT_BYTES: usize = MAX_CHARS * 4 * 4;

/// The earliest year accepted in the year part of a normative document number.
const MIN_YEAR: i32 = 1900;

/// The latest year accepted in the year part of a normative document number.
const MAX_YEAR: i32 = 2199;

/// The longest letter suffix a number may carry ("163a", "12bis").
const MAX_SUFFIX_LETTERS: usize = 3;

/// Why a document number was rejected.
///
/// Only emptiness, length and control characters are errors: a number that follows no known
/// format is still accepted, as [`DocumentNumberFormat::Unrecognized`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentNumberError {
    /// The number is empty once trimmed.
    #[error("a document number must not be empty")]
    Empty,
    /// The number is longer than [`MAX_CHARS`] characters.
    #[error("a document number must be at most {MAX_CHARS} characters long, got {value:?}")]
    TooLong {
        /// The beginning of the rejected value.
        value: String,
    },
    /// The number contains a control character, such as a line break or a tab.
    #[error("a document number must be a single line without control characters, got {value:?}")]
    ControlCharacter {
        /// The rejected value.
        value: String,
    },
}

/// The parts of a document number, when it follows a known format.
///
/// Every part uses `Đ` where `Ð` was written. Document types are also upper-cased (so "QÐ" and
/// "qđ" read "QĐ"), because they are compared against a closed list of codes. Numbers and issuers
/// keep the case they were written in, because issuers' codes are cited as written ("TTg" for
/// the Prime Minister).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DocumentNumberFormat {
    /// A state document: "163/QĐ-UBND", "134/TB-VPCP", "42/QĐ-TTg", "15/KH-UBND".
    State {
        /// The number, with any letter suffix ("163", "163a"), leading zeros as written.
        number: String,
        /// The document type code ("QĐ", "TB", "KH").
        document_type: String,
        /// The issuer code, possibly with a unit after a hyphen ("UBND", "UBND-KT").
        issuer: String,
    },
    /// A normative document, which carries its year: "31/2020/QĐ-UBND", "98/2023/NĐ-CP",
    /// "06/2022/QH15".
    Normative {
        /// The number, with any letter suffix, leading zeros as written ("06").
        number: String,
        /// The year of issue.
        year: i32,
        /// The document type code ("QĐ", "NĐ"), or the code that stands for both type and issuer
        /// when there is no hyphen ("QH15" for a law of the 15th National Assembly).
        document_type: String,
        /// The issuer code, when there is one after a hyphen ("UBND", "CP", "TTg").
        issuer: Option<String>,
    },
    /// A Party document: "983-QĐ/TU", "05-CT/TU", "23-NQ/TW".
    Party {
        /// The number, with any letter suffix, leading zeros as written ("05").
        number: String,
        /// The document type code ("QĐ", "CT", "NQ").
        document_type: String,
        /// The issuing Party body's code ("TU", "TW", "HU").
        issuer: String,
    },
    /// A number alone, as news reports often give it ("Quyết định số 2846").
    Bare {
        /// The number, with any letter suffix.
        number: String,
    },
    /// A number that follows none of the formats above; only its raw text is known.
    Unrecognized,
}

/// A document number: the raw text as written, and its parts when it follows a known format.
///
/// Built only through [`DocumentNumber::parse`]. Parsing never panics and takes time linear in
/// the input, so it is safe on any text an importer or a client sends.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DocumentNumber {
    raw: String,
    format: DocumentNumberFormat,
}

impl DocumentNumber {
    /// Parses a document number.
    ///
    /// The input is trimmed and NFC-normalized; the result is kept as the raw text. A leading
    /// "số", "Số" or "Số:" is allowed (document headers print "Số: 163/QĐ-UBND"), as are spaces
    /// around the separators, `Ð` (U+00D0) in place of `Đ`, and dashes in place of hyphens.
    ///
    /// # Errors
    /// When the number is empty, longer than [`MAX_CHARS`] characters, or contains a control
    /// character. A number in no known format is not an error.
    pub fn parse(input: &str) -> Result<Self, DocumentNumberError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(DocumentNumberError::Empty);
        }
        if trimmed.len() > MAX_INPUT_BYTES {
            return Err(DocumentNumberError::TooLong {
                value: excerpt(trimmed),
            });
        }
        let normalized: String = trimmed.nfc().collect();
        // Trimming again matters only for exotic input, but it makes `raw` a fixed point of
        // parsing, which is what lets a stored number be parsed back to the same value.
        let raw = normalized.trim();
        if raw.chars().count() > MAX_CHARS {
            return Err(DocumentNumberError::TooLong {
                value: excerpt(raw),
            });
        }
        if raw.is_empty() {
            return Err(DocumentNumberError::Empty);
        }
        if raw.chars().any(char::is_control) {
            return Err(DocumentNumberError::ControlCharacter {
                value: raw.to_owned(),
            });
        }
        let format = recognize(&compact(strip_number_prefix(raw)));
        Ok(Self {
            raw: raw.to_owned(),
            format,
        })
    }

    /// The number exactly as written (trimmed and NFC-normalized).
    #[must_use]
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The parts of the number, when it follows a known format.
    #[must_use]
    pub fn format(&self) -> &DocumentNumberFormat {
        &self.format
    }

    /// The number part ("163a" of "163a/QĐ-UBND"), when the format is known.
    #[must_use]
    pub fn number(&self) -> Option<&str> {
        match &self.format {
            DocumentNumberFormat::State { number, .. }
            | DocumentNumberFormat::Normative { number, .. }
            | DocumentNumberFormat::Party { number, .. }
            | DocumentNumberFormat::Bare { number } => Some(number),
            DocumentNumberFormat::Unrecognized => None,
        }
    }

    /// The document type code, upper-cased with `Đ` ("QĐ", "CT", "TB", "NĐ", "QH15"), when the
    /// format carries one.
    #[must_use]
    pub fn document_type(&self) -> Option<&str> {
        match &self.format {
            DocumentNumberFormat::State { document_type, .. }
            | DocumentNumberFormat::Normative { document_type, .. }
            | DocumentNumberFormat::Party { document_type, .. } => Some(document_type),
            DocumentNumberFormat::Bare { .. } | DocumentNumberFormat::Unrecognized => None,
        }
    }

    /// The issuer code as written ("UBND", "TTg", "TU"), when the format carries one.
    #[must_use]
    pub fn issuer(&self) -> Option<&str> {
        match &self.format {
            DocumentNumberFormat::State { issuer, .. }
            | DocumentNumberFormat::Party { issuer, .. } => Some(issuer),
            DocumentNumberFormat::Normative { issuer, .. } => issuer.as_deref(),
            DocumentNumberFormat::Bare { .. } | DocumentNumberFormat::Unrecognized => None,
        }
    }

    /// The year, for a normative document number ("31/2020/QĐ-UBND" → 2020).
    #[must_use]
    pub fn year(&self) -> Option<i32> {
        match &self.format {
            DocumentNumberFormat::Normative { year, .. } => Some(*year),
            _ => None,
        }
    }

    /// A key under which spelling variants of one number compare equal.
    ///
    /// The key is upper-cased, uses `Đ` for `Ð`, has no whitespace and no "Số" prefix, and drops
    /// leading zeros of the number: "163/QĐ-UBND", "163 / QĐ-UBND", "Số: 0163/QÐ-UBND" share the
    /// key "163/QĐ-UBND". Numbers restart every year and each authority numbers its own
    /// documents, so uniqueness is enforced on this key per issuing authority (and date), not
    /// globally.
    #[must_use]
    pub fn key(&self) -> String {
        match &self.format {
            DocumentNumberFormat::State {
                number,
                document_type,
                issuer,
            } => format!("{}/{}-{}", number_key(number), document_type, upper(issuer)),
            DocumentNumberFormat::Normative {
                number,
                year,
                document_type,
                issuer,
            } => match issuer {
                Some(issuer) => format!(
                    "{}/{year}/{document_type}-{}",
                    number_key(number),
                    upper(issuer)
                ),
                None => format!("{}/{year}/{document_type}", number_key(number)),
            },
            DocumentNumberFormat::Party {
                number,
                document_type,
                issuer,
            } => format!("{}-{}/{}", number_key(number), document_type, upper(issuer)),
            DocumentNumberFormat::Bare { number } => number_key(number),
            DocumentNumberFormat::Unrecognized => {
                let body: String = strip_number_prefix(&self.raw)
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .map(normalize_char)
                    .collect();
                upper(&body)
            }
        }
    }
}

impl fmt::Display for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl FromStr for DocumentNumber {
    type Err = DocumentNumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for DocumentNumber {
    type Error = DocumentNumberError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl TryFrom<&str> for DocumentNumber {
    type Error = DocumentNumberError;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<DocumentNumber> for String {
    fn from(value: DocumentNumber) -> Self {
        value.raw
    }
}

/// The first [`MAX_CHARS`] characters of a rejected value, so that an error message stays small
/// however large the input was.
fn excerpt(value: &str) -> String {
    let mut chars = value.chars();
    let mut out: String = chars.by_ref().take(MAX_CHARS).collect();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// Removes a leading "số" / "Số" / "SỐ" (optionally followed by a colon), as printed in document
/// headers ("Số: 163/QĐ-UBND") and news ("số 2846").
///
/// The word must end there ("Sốt" is not "Số" + "t") and something must follow it; otherwise the
/// text is returned unchanged.
fn strip_number_prefix(text: &str) -> &str {
    let mut chars = text.char_indices();
    let (Some((_, 's' | 'S')), Some((index, so @ ('ố' | 'Ố')))) = (chars.next(), chars.next())
    else {
        return text;
    };
    let Some(rest) = text.get(index + so.len_utf8()..) else {
        return text;
    };
    if rest.chars().next().is_some_and(char::is_alphabetic) {
        return text;
    }
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
    if rest.is_empty() { text } else { rest }
}

/// Whether a character separates the parts of a number.
fn is_separator(c: char) -> bool {
    c == '/' || c == '-'
}

/// Maps look-alike characters to the ones the formats use: `Ð`/`ð` (U+00D0/U+00F0, emitted by
/// some newspapers' systems) to `Đ`/`đ`, and the Unicode dashes word processors substitute to a
/// hyphen.
fn normalize_char(c: char) -> char {
    match c {
        'Ð' => 'Đ',
        'ð' => 'đ',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        other => other,
    }
}

/// Upper-cases a code, keeping `Đ` for `Ð` (whose upper case would otherwise be `Ð` again).
fn upper(code: &str) -> String {
    code.chars()
        .map(normalize_char)
        .flat_map(char::to_uppercase)
        .map(normalize_char)
        .collect()
}

/// Normalizes look-alike characters and removes whitespace next to a separator, so that
/// "163 / QĐ - UBND" reads as "163/QĐ-UBND". Other whitespace is kept, so that text with words
/// in it is not mistaken for a number.
fn compact(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut pending_whitespace = String::new();
    let mut previous_is_separator = false;
    for c in body.chars().map(normalize_char) {
        if c.is_whitespace() {
            pending_whitespace.push(c);
            continue;
        }
        // A run of whitespace is dropped when a separator is on either side of it.
        if !previous_is_separator && !is_separator(c) {
            out.push_str(&pending_whitespace);
        }
        pending_whitespace.clear();
        out.push(c);
        previous_is_separator = is_separator(c);
    }
    out
}

/// Reads the format of a compacted number.
fn recognize(text: &str) -> DocumentNumberFormat {
    let parts: Vec<&str> = text.split('/').collect();
    match parts.as_slice() {
        [number] if is_number(number) => DocumentNumberFormat::Bare {
            number: (*number).to_owned(),
        },
        [number, rest] if is_number(number) => match rest.split_once('-') {
            Some((document_type, issuer)) if is_code(document_type) && is_issuer(issuer) => {
                DocumentNumberFormat::State {
                    number: (*number).to_owned(),
                    document_type: upper(document_type),
                    issuer: issuer.to_owned(),
                }
            }
            _ => DocumentNumberFormat::Unrecognized,
        },
        [head, issuer] => match head.split_once('-') {
            Some((number, document_type))
                if is_number(number) && is_code(document_type) && is_issuer(issuer) =>
            {
                DocumentNumberFormat::Party {
                    number: number.to_owned(),
                    document_type: upper(document_type),
                    issuer: (*issuer).to_owned(),
                }
            }
            _ => DocumentNumberFormat::Unrecognized,
        },
        [number, year, rest] if is_number(number) => {
            let Some(year) = parse_year(year) else {
                return DocumentNumberFormat::Unrecognized;
            };
            let (document_type, issuer) = match rest.split_once('-') {
                Some((document_type, issuer)) => (document_type, Some(issuer)),
                None => (*rest, None),
            };
            if is_code(document_type) && issuer.is_none_or(is_issuer) {
                DocumentNumberFormat::Normative {
                    number: (*number).to_owned(),
                    year,
                    document_type: upper(document_type),
                    issuer: issuer.map(str::to_owned),
                }
            } else {
                DocumentNumberFormat::Unrecognized
            }
        }
        _ => DocumentNumberFormat::Unrecognized,
    }
}

/// Whether a part is a number: ASCII digits, then at most [`MAX_SUFFIX_LETTERS`] ASCII letters
/// ("163", "0163", "163a").
fn is_number(part: &str) -> bool {
    let digits = part.chars().take_while(char::is_ascii_digit).count();
    let suffix = &part[digits..];
    digits > 0
        && suffix.len() <= MAX_SUFFIX_LETTERS
        && suffix.chars().all(|c| c.is_ascii_alphabetic())
}

/// Whether a part is a code (a document type, or one segment of an issuer): letters, `Đ`
/// included, and digits, starting with a letter ("QĐ", "TTg", "QH15").
fn is_code(part: &str) -> bool {
    part.chars().next().is_some_and(char::is_alphabetic) && part.chars().all(char::is_alphanumeric)
}

/// Whether a part is an issuer: codes joined by hyphens ("UBND", "UBND-KT").
fn is_issuer(part: &str) -> bool {
    part.split('-').all(is_code)
}

/// Reads the year part of a normative document number: four digits in a plausible range.
fn parse_year(part: &str) -> Option<i32> {
    if part.len() != 4 || !part.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    part.parse()
        .ok()
        .filter(|year| (MIN_YEAR..=MAX_YEAR).contains(year))
}

/// The key form of a number: upper-cased suffix, leading zeros dropped (keeping one zero when
/// the number is all zeros, so "0" and "00a" still have a number).
fn number_key(number: &str) -> String {
    let trimmed = number.trim_start_matches('0');
    let mut key = String::with_capacity(number.len());
    if number.starts_with('0') && !trimmed.starts_with(|c: char| c.is_ascii_digit()) {
        key.push('0');
    }
    key.push_str(&trimmed.to_ascii_uppercase());
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(text: &str) -> DocumentNumber {
        DocumentNumber::parse(text).unwrap()
    }

    fn state(number: &str, document_type: &str, issuer: &str) -> DocumentNumberFormat {
        DocumentNumberFormat::State {
            number: number.into(),
            document_type: document_type.into(),
            issuer: issuer.into(),
        }
    }

    fn normative(
        number: &str,
        year: i32,
        document_type: &str,
        issuer: Option<&str>,
    ) -> DocumentNumberFormat {
        DocumentNumberFormat::Normative {
            number: number.into(),
            year,
            document_type: document_type.into(),
            issuer: issuer.map(Into::into),
        }
    }

    fn party(number: &str, document_type: &str, issuer: &str) -> DocumentNumberFormat {
        DocumentNumberFormat::Party {
            number: number.into(),
            document_type: document_type.into(),
            issuer: issuer.into(),
        }
    }

    #[test]
    fn state_numbers_are_recognized() {
        let cases = [
            ("163/QĐ-UBND", state("163", "QĐ", "UBND")),
            ("134/TB-VPCP", state("134", "TB", "VPCP")),
            ("42/QĐ-TTg", state("42", "QĐ", "TTg")),
            ("1234/QĐ-CTUBND", state("1234", "QĐ", "CTUBND")),
            ("15/KH-UBND", state("15", "KH", "UBND")),
            ("163a/QĐ-UBND", state("163a", "QĐ", "UBND")),
            ("163/QĐ-UBND-KT", state("163", "QĐ", "UBND-KT")),
        ];
        for (text, expected) in cases {
            let number = parse(text);
            assert_eq!(number.format(), &expected, "{text}");
            assert_eq!(number.raw(), text);
            assert_eq!(number.year(), None);
        }
    }

    #[test]
    fn normative_numbers_carry_their_year() {
        let cases = [
            ("31/2020/QĐ-UBND", normative("31", 2020, "QĐ", Some("UBND"))),
            ("42/2014/QĐ-TTg", normative("42", 2014, "QĐ", Some("TTg"))),
            ("98/2023/NĐ-CP", normative("98", 2023, "NĐ", Some("CP"))),
            ("06/2022/QH15", normative("06", 2022, "QH15", None)),
        ];
        for (text, expected) in cases {
            let number = parse(text);
            assert_eq!(number.format(), &expected, "{text}");
        }
        assert_eq!(parse("31/2020/QĐ-UBND").year(), Some(2020));
        assert_eq!(parse("06/2022/QH15").document_type(), Some("QH15"));
        assert_eq!(parse("06/2022/QH15").issuer(), None);
    }

    #[test]
    fn party_numbers_are_recognized() {
        let cases = [
            ("983-QĐ/TU", party("983", "QĐ", "TU")),
            ("05-CT/TU", party("05", "CT", "TU")),
            ("134-TB/TU", party("134", "TB", "TU")),
            ("23-NQ/TW", party("23", "NQ", "TW")),
            ("24-ĐA/TU", party("24", "ĐA", "TU")),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text).format(), &expected, "{text}");
        }
        assert_eq!(parse("05-CT/TU").document_type(), Some("CT"));
        assert_eq!(parse("05-CT/TU").key(), "5-CT/TU");
    }

    #[test]
    fn a_bare_number_is_recognized_with_or_without_the_so_prefix() {
        for text in ["2846", "số 2846", "Số 2846", "Số: 2846", "SỐ:2846"] {
            let number = parse(text);
            assert_eq!(
                number.format(),
                &DocumentNumberFormat::Bare {
                    number: "2846".into()
                },
                "{text}"
            );
            assert_eq!(number.raw(), text);
            assert_eq!(number.key(), "2846");
            assert_eq!(number.document_type(), None);
        }
    }

    #[test]
    fn a_header_prefix_is_read_past_but_kept_in_the_raw_text() {
        let number = parse("Số: 163/QĐ-UBND");
        assert_eq!(number.format(), &state("163", "QĐ", "UBND"));
        assert_eq!(number.raw(), "Số: 163/QĐ-UBND");
        assert_eq!(number.key(), parse("163/QĐ-UBND").key());
    }

    #[test]
    fn the_eth_look_alike_reads_as_d_with_stroke() {
        let number = parse("163/QÐ-UBND");
        assert_eq!(number.raw(), "163/QÐ-UBND");
        assert_eq!(number.document_type(), Some("QĐ"));
        assert_eq!(number.key(), "163/QĐ-UBND");
        assert_eq!(parse("12/2021/NÐ-CP").document_type(), Some("NĐ"));
        assert_eq!(parse("3/TB-HÐND").issuer(), Some("HĐND"));
        assert_eq!(parse("3/TB-HÐND").key(), "3/TB-HĐND");
    }

    #[test]
    fn whitespace_and_dash_variants_share_a_key() {
        let variants = [
            "163/QĐ-UBND",
            "163 / QĐ-UBND",
            "163 /QĐ - UBND",
            "163/QÐ-UBND",
            "163/qđ-ubnd",
            "163/QĐ–UBND",
            "0163/QĐ-UBND",
            "Số: 163/QĐ-UBND",
        ];
        for text in variants {
            let number = parse(text);
            assert_eq!(number.key(), "163/QĐ-UBND", "{text}");
            assert_eq!(number.raw(), text, "the raw text is kept exactly");
        }
        assert_eq!(parse("983 - QĐ / TU").key(), parse("983-QĐ/TU").key());
        assert_eq!(
            parse("31 / 2020 / QĐ-UBND").key(),
            parse("31/2020/QĐ-UBND").key()
        );
    }

    #[test]
    fn leading_zeros_do_not_change_the_key() {
        assert_eq!(parse("06/2022/QH15").key(), "6/2022/QH15");
        assert_eq!(parse("006/2022/QH15").key(), parse("6/2022/QH15").key());
        assert_eq!(parse("0005").key(), "5");
        assert_eq!(parse("0").key(), "0");
        assert_eq!(parse("000").key(), "0");
        assert_eq!(parse("00a/QĐ-UBND").key(), "0A/QĐ-UBND");
        assert_eq!(parse("0163a/QĐ-UBND").key(), "163A/QĐ-UBND");
        assert_eq!(parse("06/2022/QH15").number(), Some("06"));
    }

    #[test]
    fn different_numbers_have_different_keys() {
        assert_ne!(parse("163/QĐ-UBND").key(), parse("164/QĐ-UBND").key());
        assert_ne!(parse("163/QĐ-UBND").key(), parse("163a/QĐ-UBND").key());
        assert_ne!(parse("163/QĐ-UBND").key(), parse("163-QĐ/UBND").key());
        assert_ne!(parse("163/QĐ-UBND").key(), parse("163/CT-UBND").key());
    }

    #[test]
    fn anything_else_is_unrecognized_and_kept_as_written() {
        for text in [
            "Quyết định số 2846",
            "163/QĐ UBND",
            "163/",
            "/QĐ-UBND",
            "QĐ-UBND",
            "163//QĐ-UBND",
            "163/QĐ-",
            "12/98/NĐ-CP",
            "5120/UB",
            "163.1/QĐ-UBND",
            "16abcd",
            "số",
            "Sốt 12",
            "1/2/3/4",
            "???",
        ] {
            let number = parse(text);
            assert_eq!(
                number.format(),
                &DocumentNumberFormat::Unrecognized,
                "{text}"
            );
            assert_eq!(number.raw(), text);
            assert_eq!(number.document_type(), None);
            assert_eq!(number.year(), None);
        }
        assert_eq!(parse("Quyết định số 2846").key(), "QUYẾTĐỊNHSỐ2846");
        assert_eq!(parse("Số: abc đ").key(), "ABCĐ");
    }

    #[test]
    fn empty_long_and_multi_line_numbers_are_rejected() {
        assert_eq!(DocumentNumber::parse(""), Err(DocumentNumberError::Empty));
        assert_eq!(
            DocumentNumber::parse(" \t\n "),
            Err(DocumentNumberError::Empty)
        );
        assert!(matches!(
            DocumentNumber::parse(&"1".repeat(MAX_CHARS + 1)),
            Err(DocumentNumberError::TooLong { .. })
        ));
        assert!(DocumentNumber::parse(&"1".repeat(MAX_CHARS)).is_ok());
        assert!(matches!(
            DocumentNumber::parse(&"1".repeat(100_000)),
            Err(DocumentNumberError::TooLong { value }) if value.chars().count() == MAX_CHARS + 1
        ));
        assert!(matches!(
            DocumentNumber::parse("163/QĐ\n-UBND"),
            Err(DocumentNumberError::ControlCharacter { .. })
        ));
        let message = DocumentNumber::parse("1\u{7}").unwrap_err().to_string();
        assert!(message.contains("control characters"), "{message}");
    }

    #[test]
    fn input_is_trimmed_and_nfc_normalized() {
        assert_eq!(parse("  163/QĐ-UBND \u{a0}").raw(), "163/QĐ-UBND");
        let decomposed = "So\u{302}\u{301} 12";
        let number = parse(decomposed);
        assert_eq!(number.raw(), "Số 12");
        assert_eq!(number.key(), "12");
    }

    #[test]
    fn display_from_str_and_serde_use_the_raw_text() {
        let number: DocumentNumber = "Số: 163/QÐ-UBND".parse().unwrap();
        assert_eq!(number.to_string(), "Số: 163/QÐ-UBND");
        let json = serde_json::to_string(&number).unwrap();
        assert_eq!(json, "\"Số: 163/QÐ-UBND\"");
        let back: DocumentNumber = serde_json::from_str(&json).unwrap();
        assert_eq!(back, number);
        assert!(serde_json::from_str::<DocumentNumber>("\"  \"").is_err());
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_raw_round_trips(input in any::<String>()) {
            if let Ok(number) = DocumentNumber::parse(&input) {
                let _ = number.key();
                let again = DocumentNumber::parse(number.raw()).unwrap();
                prop_assert_eq!(again, number);
            }
        }

        #[test]
        fn number_like_text_never_panics_and_round_trips(
            input in "[ 0-9a-zA-ZĐÐđðố/:\\-–]{0,40}(Số|số)?[ 0-9/\\-ĐQUBND]{0,20}",
        ) {
            if let Ok(number) = DocumentNumber::parse(&input) {
                let again = DocumentNumber::parse(number.raw()).unwrap();
                prop_assert_eq!(again.key(), number.key());
                prop_assert_eq!(again, number);
            }
        }

        #[test]
        fn state_numbers_share_a_key_across_spacing_and_zeros(
            number in 1u32..100_000,
            zeros in 0usize..3,
            document_type in "(QĐ|QÐ|CT|TB|KH|qđ)",
            issuer in "(UBND|VPCP|TTg|UBND-KT)",
            space in "( ?| {2})",
        ) {
            let plain = format!("{number}/{document_type}-{issuer}");
            let spaced = format!(
                "{}{number}{space}/{space}{document_type}{space}-{space}{issuer}",
                "0".repeat(zeros)
            );
            let plain = DocumentNumber::parse(&plain).unwrap();
            let spaced = DocumentNumber::parse(&spaced).unwrap();
            let is_state = matches!(plain.format(), DocumentNumberFormat::State { .. });
            prop_assert!(is_state, "{:?} is not a state number", plain);
            prop_assert_eq!(plain.key(), spaced.key());
            prop_assert_eq!(plain.document_type(), spaced.document_type());
        }
    }
}
