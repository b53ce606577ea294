//! Vietnamese text: normalization, folding for search, and validated text values.
//!
//! The same visible Vietnamese text reaches us in several byte forms: NFC or NFD, with the tone
//! mark on either vowel of "oa"/"oe"/"uy" ("Hòa"/"Hoà"), with U+00D0 'Ð' in place of 'Đ', with
//! tabs, non-breaking spaces and stray line breaks. Everything stored goes through [`Text`] or
//! [`Prose`], which keep one canonical form (NFC, tidy whitespace), and everything searched goes
//! through [`fold`], which maps all those variants to one key.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// The most characters a [`Text`] may hold, counted after normalization.
pub const TEXT_MAX_CHARS: usize = 1000;

/// The most characters a [`Prose`] may hold, counted after normalization.
pub const PROSE_MAX_CHARS: usize = 20_000;

/// Why a text value was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// The text is empty once whitespace is trimmed.
    #[error("text is empty")]
    Empty,
    /// The text is longer than allowed once normalized.
    #[error("text is {length} characters long; at most {max} are allowed")]
    TooLong {
        /// The most characters allowed.
        max: usize,
        /// How many characters the normalized text has.
        length: usize,
    },
    /// The text contains a control character that this kind of text does not allow.
    #[error("text contains control character U+{codepoint:04X} at position {position}")]
    ControlCharacter {
        /// The code point of the offending character.
        codepoint: u32,
        /// The index, counted in characters from 0, of the character in the text as given.
        position: usize,
    },
}

/// Normalizes one line of text: NFC, trimmed, and every run of Unicode whitespace (including
/// tabs, line breaks and non-breaking spaces) collapsed to one ASCII space.
#[must_use]
pub fn normalize_line(s: &str) -> String {
    // Text read back from the database is already normalized: copy it without running the
    // normalizer (most of the cost of reading a row back into a domain value).
    if is_collapsed(s) && is_nfc_quick(s.chars()) == IsNormalized::Yes {
        return s.to_owned();
    }
    collapse_whitespace(s.nfc(), s.len())
}

/// Whether `collapse_whitespace` would leave `s` as it is: no whitespace at either end, and
/// every inner run of whitespace a single ASCII space.
fn is_collapsed(s: &str) -> bool {
    let mut previous_space = true;
    for c in s.chars() {
        if c.is_whitespace() {
            if c != ' ' || previous_space {
                return false;
            }
            previous_space = true;
        } else {
            previous_space = false;
        }
    }
    !previous_space || s.is_empty()
}

/// Folds text into its search key.
///
/// The key is lowercase, has no combining marks at all (so no tones and no vowel modifiers:
/// "Trường" and "Truờng" both become "truong"), has 'd' for 'đ'/'Đ' and for the look-alikes
/// U+00D0 'Ð' / U+00F0 'ð', and has its whitespace trimmed and collapsed to single spaces. NFC
/// and NFD input, and old and new tone placement ("Hòa"/"Hoà"), give the same key. Folding is
/// idempotent and runs in time linear in the input.
#[must_use]
pub fn fold(s: &str) -> String {
    // Lowercasing comes before decomposition because a few lowercase mappings produce
    // precomposed or multi-character results ('İ' becomes "i\u{307}"); decomposing afterwards
    // lets the mark filter see every mark, which is what makes the fold idempotent.
    let folded = s
        .chars()
        .flat_map(char::to_lowercase)
        .nfd()
        .filter(|&c| !is_combining_mark(c))
        .map(|c| match c {
            // Unicode gives 'đ' no decomposition, so it must be mapped by hand, and some
            // newspaper CMSs emit the Icelandic eth in its place.
            'đ' | 'Đ' | 'ð' | 'Ð' => 'd',
            other => other,
        });
    collapse_whitespace(folded, s.len())
}

/// Drops leading and trailing whitespace and turns every inner run of whitespace into one
/// ASCII space, in one pass.
fn collapse_whitespace(chars: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut pending_space = false;
    for c in chars {
        if c.is_whitespace() {
            // A space is only owed once something has been written, which trims the start.
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Whether normalization leaves `c` as it is wherever it stands and no text check objects to
/// it: a visible character that is a Unicode starter (canonical combining class 0) with NFC
/// quick check Yes, neither whitespace nor a control character. The ranges hold printable
/// ASCII, Latin-1 and Latin Extended (ă, đ, ơ, ư), the precomposed Vietnamese letters
/// (U+1E00-U+1EFF), typographic punctuation (dashes, quotes, ellipsis) and currency signs
/// (₫); a test checks every one of them against the Unicode tables.
///
/// A string of such characters is NFC as it stands, which lets a value read back from storage
/// be checked in one pass instead of being normalized again ([`is_canonical_line`]).
#[must_use]
pub(crate) fn is_plain(c: char) -> bool {
    matches!(
        c,
        '\u{21}'..='\u{7E}'
            | '\u{A1}'..='\u{2FF}'
            | '\u{1E00}'..='\u{1EFF}'
            | '\u{2010}'..='\u{2027}'
            | '\u{2030}'..='\u{205E}'
            | '\u{20A0}'..='\u{20C0}'
    )
}

/// Whether `raw` is already a canonical single line whose every character `allowed` accepts
/// (a subset of [`is_plain`]): non-empty, at most `max` characters, words separated by single
/// ASCII spaces with none at either end. Such a value is what [`Text::parse`] would make of
/// it, so it can be taken as it is; anything else goes the long way, which also gives the
/// exact error.
pub(crate) fn is_canonical_line(raw: &str, max: usize, allowed: impl Fn(char) -> bool) -> bool {
    let mut count = 0usize;
    let mut after_space = true;
    for c in raw.chars() {
        if c == ' ' {
            if after_space {
                return false;
            }
            after_space = true;
        } else if allowed(c) {
            after_space = false;
        } else {
            return false;
        }
        count += 1;
    }
    count > 0 && !after_space && count <= max
}

/// Whether `raw` is already canonical prose of plain characters ([`is_plain`]), tabs, spaces
/// and '\n' line breaks: non-empty, at most `max` characters, no whitespace at either end and
/// none at the end of a line. Such a value is what [`Prose::parse`] would make of it.
fn is_canonical_prose(raw: &str, max: usize) -> bool {
    let mut count = 0usize;
    let mut previous = '\n';
    for c in raw.chars() {
        match c {
            ' ' | '\t' if count == 0 => return false,
            '\n' if count == 0 || matches!(previous, ' ' | '\t') => return false,
            ' ' | '\t' | '\n' => {}
            c if is_plain(c) => {}
            _ => return false,
        }
        previous = c;
        count += 1;
    }
    count > 0 && !matches!(previous, ' ' | '\t' | '\n') && count <= max
}

/// Rejects the first control character (Unicode general category Cc) that `allowed` does not
/// accept, reporting its position in the text as given so a clerk can find it.
fn check_control_characters(raw: &str, allowed: impl Fn(char) -> bool) -> Result<(), TextError> {
    match raw
        .chars()
        .enumerate()
        .find(|&(_, c)| c.is_control() && !allowed(c))
    {
        Some((position, c)) => Err(TextError::ControlCharacter {
            codepoint: u32::from(c),
            position,
        }),
        None => Ok(()),
    }
}

/// Rejects a normalized value that is empty or longer than `max` characters.
fn check_length(value: &str, max: usize) -> Result<(), TextError> {
    if value.is_empty() {
        return Err(TextError::Empty);
    }
    let length = value.chars().count();
    if length > max {
        return Err(TextError::TooLong { max, length });
    }
    Ok(())
}

/// A single line of text: NFC, trimmed, whitespace collapsed to single spaces, non-empty, free
/// of control characters and at most [`TEXT_MAX_CHARS`] characters long.
///
/// Tabs and line breaks in the input are whitespace, so they become spaces rather than errors;
/// any other control character (NUL, escape, ...) is rejected.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Text(String);

impl Text {
    /// Parses a single-line text value, normalizing it first.
    ///
    /// # Errors
    ///
    /// [`TextError::ControlCharacter`] for a control character that is not whitespace,
    /// [`TextError::Empty`] for blank input, [`TextError::TooLong`] for more than
    /// [`TEXT_MAX_CHARS`] characters.
    pub fn parse(raw: impl AsRef<str>) -> Result<Self, TextError> {
        let raw = raw.as_ref();
        if is_canonical_line(raw, TEXT_MAX_CHARS, is_plain) {
            return Ok(Self(raw.to_owned()));
        }
        Self::parse_long(raw)
    }

    /// [`Self::parse`] without the one-pass check of a value already canonical.
    fn parse_long(raw: &str) -> Result<Self, TextError> {
        check_control_characters(raw, char::is_whitespace)?;
        let value = normalize_line(raw);
        check_length(&value, TEXT_MAX_CHARS)?;
        Ok(Self(value))
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The search key of this text (see [`fold`]).
    #[must_use]
    pub fn fold(&self) -> String {
        fold(&self.0)
    }
}

/// Multi-line text such as a task's wording, a summary or a note: NFC, line breaks unified to
/// '\n', trailing whitespace trimmed from every line, trimmed as a whole, non-empty, free of
/// control characters other than '\n' and '\t', and at most [`PROSE_MAX_CHARS`] characters long.
///
/// "\r\n", a lone "\r", U+0085 NEXT LINE, U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR
/// all become '\n', because they all mean "new line" and documents pasted from different
/// systems use different ones. Indentation at the start of lines after the first is kept.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Prose(String);

impl Prose {
    /// Parses a multi-line text value, normalizing it first.
    ///
    /// # Errors
    ///
    /// [`TextError::ControlCharacter`] for a control character other than a line break or tab,
    /// [`TextError::Empty`] for blank input, [`TextError::TooLong`] for more than
    /// [`PROSE_MAX_CHARS`] characters.
    pub fn parse(raw: impl AsRef<str>) -> Result<Self, TextError> {
        let raw = raw.as_ref();
        if is_canonical_prose(raw, PROSE_MAX_CHARS) {
            return Ok(Self(raw.to_owned()));
        }
        Self::parse_long(raw)
    }

    /// [`Self::parse`] without the one-pass check of a value already canonical.
    fn parse_long(raw: &str) -> Result<Self, TextError> {
        check_control_characters(raw, |c| matches!(c, '\n' | '\t' | '\r' | '\u{85}'))?;
        let value = normalize_prose(raw);
        check_length(&value, PROSE_MAX_CHARS)?;
        Ok(Self(value))
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The search key of this text (see [`fold`]); line breaks become single spaces.
    #[must_use]
    pub fn fold(&self) -> String {
        fold(&self.0)
    }
}

/// NFC, unified line breaks, each line's trailing whitespace trimmed, the whole trimmed.
fn normalize_prose(raw: &str) -> String {
    if is_normal_prose(raw) {
        // Already so (every stored value, read back): no need to rebuild it.
        return raw.to_owned();
    }
    normalize_prose_fully(raw)
}

/// Whether [`normalize_prose_fully`] would return `raw` unchanged: NFC, only `\n` line breaks,
/// no line with trailing whitespace, nothing to trim at either end.
fn is_normal_prose(raw: &str) -> bool {
    is_nfc_quick(raw.chars()) == IsNormalized::Yes
        && !raw.contains(['\r', '\u{85}', '\u{2028}', '\u{2029}'])
        && raw.trim().len() == raw.len()
        && raw
            .split('\n')
            .all(|line| line.trim_end().len() == line.len())
}

/// [`normalize_prose`] the long way.
fn normalize_prose_fully(raw: &str) -> String {
    let mut unified = String::with_capacity(raw.len());
    let mut chars = raw.nfc().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                // "\r\n" is one line break, not two.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                unified.push('\n');
            }
            '\u{85}' | '\u{2028}' | '\u{2029}' => unified.push('\n'),
            other => unified.push(other),
        }
    }
    let mut out = String::with_capacity(unified.len());
    for (index, line) in unified.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        out.push_str(line.trim_end());
    }
    let trimmed = out.trim();
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_owned()
    }
}

/// Implements the conversions and formatting that [`Text`] and [`Prose`] share, so that the two
/// types cannot drift apart in how they convert.
macro_rules! text_value_impls {
    ($ty:ident) => {
        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $ty {
            type Error = TextError;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(value)
            }
        }

        impl TryFrom<&str> for $ty {
            type Error = TextError;

            fn try_from(value: &str) -> Result<Self, Self::Error> {
                Self::parse(value)
            }
        }

        impl FromStr for $ty {
            type Err = TextError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl From<$ty> for String {
            fn from(value: $ty) -> Self {
                value.0
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_value_impls!(Text);
text_value_impls!(Prose);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn nfc(s: &str) -> String {
        s.nfc().collect()
    }

    fn nfd(s: &str) -> String {
        s.nfd().collect()
    }

    proptest! {
        #[test]
        fn normalize_line_fast_path_agrees_with_the_normalizer(s in "[ \\t\u{a0}a-zA-Zđơưăâêô\u{300}\u{301}\u{303}\u{309}\u{323}]{0,24}") {
            prop_assert_eq!(normalize_line(&s), collapse_whitespace(s.nfc(), s.len()));
        }

        #[test]
        fn normalize_prose_fast_path_agrees_with_the_normalizer(chars in proptest::collection::vec(
            // Mostly letters and line breaks, so that many cases take the fast path.
            prop_oneof![
                8 => proptest::sample::select(vec!['a', 'đ', 'ơ', 'ư', 'ế']),
                3 => Just('\n'),
                1 => proptest::sample::select(vec![
                    ' ', '\t', '\r', '\u{85}', '\u{2028}', '\u{a0}', '\u{300}', '\u{301}', '\u{323}',
                ]),
            ],
            0..24,
        )) {
            let s: String = chars.into_iter().collect();
            prop_assert_eq!(normalize_prose(&s), normalize_prose_fully(&s));
        }
        #[test]
        fn text_fast_path_agrees_with_the_long_way(chars in proptest::collection::vec(tricky_char(), 0..24)) {
            let s: String = chars.into_iter().collect();
            prop_assert_eq!(Text::parse(&s), Text::parse_long(&s));
        }

        #[test]
        fn prose_fast_path_agrees_with_the_long_way(chars in proptest::collection::vec(tricky_char(), 0..24)) {
            let s: String = chars.into_iter().collect();
            prop_assert_eq!(Prose::parse(&s), Prose::parse_long(&s));
        }
    }

    /// Characters that [`is_plain`] admits mixed with every kind it must not: whitespace of
    /// each sort, line breaks, controls, combining marks, characters that NFC changes.
    fn tricky_char() -> impl Strategy<Value = char> {
        prop_oneof![
            6 => proptest::sample::select(vec!['a', 'Z', '.', 'đ', 'ơ', 'ư', 'ế', 'Ậ', '–', '“', '…', '₫']),
            3 => proptest::sample::select(vec![' ', '\n', '\t']),
            2 => proptest::sample::select(vec![
                '\r', '\u{85}', '\u{a0}', '\u{2028}', '\u{2029}', '\u{2009}', '\u{202f}',
                '\u{0}', '\u{1b}', '\u{7f}', '\u{9f}', '\u{300}', '\u{301}', '\u{323}',
                '\u{340}', '\u{2126}', '\u{212b}', '\u{f900}', '\u{2019}', '\u{200b}',
            ]),
            1 => any::<char>(),
        ]
    }

    #[test]
    fn plain_characters_are_nfc_starters_that_no_check_rejects() {
        use unicode_normalization::char::canonical_combining_class;
        let plain: Vec<char> = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|&c| is_plain(c))
            .collect();
        assert!(plain.len() > 1000, "{}", plain.len());
        for c in plain {
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
            assert!(!c.is_whitespace() && !c.is_control(), "{c:?}");
            assert_eq!(nfc(&c.to_string()), c.to_string(), "{c:?}");
        }
    }

    #[test]
    fn canonical_values_are_taken_as_they_are_and_others_go_the_long_way() {
        // Taken in one pass.
        assert!(is_canonical_line(
            "Ủy ban nhân dân thành phố Cần Thơ",
            TEXT_MAX_CHARS,
            is_plain
        ));
        assert!(is_canonical_prose(
            "Kết luận – “khẩn”…\n\tvề công tác 5₫",
            PROSE_MAX_CHARS
        ));
        // Not canonical, or not plain: the long way decides.
        for line in [
            "",
            " a",
            "a ",
            "a  b",
            "a\tb",
            "a\u{a0}b",
            "Tra\u{300}n",
            "\u{2126}",
            "a\u{0}",
        ] {
            assert!(
                !is_canonical_line(line, TEXT_MAX_CHARS, is_plain),
                "{line:?}"
            );
        }
        for prose in [
            "",
            "\na",
            "a\n",
            "a \nb",
            "a\t\nb",
            "a\r\nb",
            " a",
            "a\u{2028}b",
        ] {
            assert!(!is_canonical_prose(prose, PROSE_MAX_CHARS), "{prose:?}");
        }
        // Lengths are counted in characters, at the limit and past it.
        assert!(is_canonical_line(
            &"ấ".repeat(TEXT_MAX_CHARS),
            TEXT_MAX_CHARS,
            is_plain
        ));
        assert!(!is_canonical_line(
            &"ấ".repeat(TEXT_MAX_CHARS + 1),
            TEXT_MAX_CHARS,
            is_plain
        ));
        assert_eq!(
            Text::parse("ấ".repeat(TEXT_MAX_CHARS + 1)),
            Err(TextError::TooLong {
                max: TEXT_MAX_CHARS,
                length: TEXT_MAX_CHARS + 1
            })
        );
        assert!(!is_canonical_prose(
            &"ấ".repeat(PROSE_MAX_CHARS + 1),
            PROSE_MAX_CHARS
        ));
    }

    #[test]
    fn normalize_prose_copies_normalized_prose_and_normalizes_the_rest() {
        for (raw, normalized) in [
            ("Kết luận\nvề công tác", "Kết luận\nvề công tác"),
            ("a\n", "a"),
            ("\na", "a"),
            ("a \nb", "a\nb"),
            ("a\r\nb", "a\nb"),
            ("Ke\u{302}\u{301}t", "Kết"),
        ] {
            assert_eq!(normalize_prose(raw), normalized, "{raw:?}");
        }
    }

    #[test]
    fn normalize_line_copies_normalized_text_and_normalizes_the_rest() {
        assert_eq!(normalize_line("Trần Việt Trường"), "Trần Việt Trường");
        assert_eq!(normalize_line(""), "");
        assert_eq!(normalize_line(" a"), "a");
        assert_eq!(normalize_line("a "), "a");
        assert_eq!(normalize_line("a  b"), "a b");
        assert_eq!(normalize_line("a\u{a0}b"), "a b");
        assert_eq!(normalize_line(" "), "");
        // Decomposed input is composed.
        assert_eq!(normalize_line("Tra\u{300}n"), "Tràn");
    }

    /// Strings made mostly of Vietnamese letters, loose combining marks and assorted
    /// whitespace, so that the properties are exercised on the text this module is for.
    fn vietnamese_like() -> impl Strategy<Value = String> {
        "[a-zA-ZđĐðÐàáảãạăâêôơưÀÁẢÃẠĂÂÊÔƠƯ\u{300}\u{301}\u{302}\u{303}\u{306}\u{309}\u{31b}\u{323} \t\n\u{a0}]{0,40}"
    }

    #[test]
    fn fold_maps_case_diacritics_and_normalization_forms_to_one_key() {
        let nfd_form = nfd("Trần Việt Trường");
        assert_ne!(nfd_form, "Trần Việt Trường");
        for input in [
            "TRẦN VIỆT TRƯỜNG",
            "tran viet truong",
            nfd_form.as_str(),
            "Trần Việt Truờng",
            "  Trần\tViệt \u{a0}\n Trường ",
        ] {
            assert_eq!(fold(input), "tran viet truong", "input {input:?}");
        }
    }

    #[test]
    fn fold_maps_the_eth_look_alike_to_d() {
        assert_eq!(fold("HÐND"), "hdnd");
        assert_eq!(fold("Cờ Ðỏ"), "co do");
        assert_eq!(fold("Đồng ð"), "dong d");
    }

    #[test]
    fn fold_ignores_tone_placement() {
        assert_eq!(fold("Uỷ ban"), fold("Ủy ban"));
        assert_eq!(fold("Hòa"), fold("Hoà"));
        assert_eq!(fold("Thủy"), fold("Thuỷ"));
    }

    #[test]
    fn fold_drops_marks_outside_the_basic_combining_block() {
        assert_eq!(fold("a\u{1ab0}b\u{1dc0}c\u{20d0}d\u{fe20}"), "abcd");
    }

    #[test]
    fn normalize_line_composes_trims_and_collapses_whitespace() {
        let raw = format!(" \t{}\u{a0}\u{a0}Việt\r\nTrường\u{3000}", nfd("Trần"));
        assert_eq!(normalize_line(&raw), "Trần Việt Trường");
        assert_eq!(normalize_line(" \n\t "), "");
    }

    #[test]
    fn text_is_stored_normalized() {
        let text = Text::parse(format!("  {} \t ban ", nfd("Ủy"))).unwrap();
        assert_eq!(text.as_str(), "Ủy ban");
        assert_eq!(text.to_string(), "Ủy ban");
        assert_eq!(text.fold(), "uy ban");
        assert_eq!(Text::parse("a\nb").unwrap().as_str(), "a b");
    }

    #[test]
    fn text_rejects_blank_input() {
        assert_eq!(Text::parse(""), Err(TextError::Empty));
        assert_eq!(Text::parse(" \t\r\n\u{a0}"), Err(TextError::Empty));
    }

    #[test]
    fn text_rejects_control_characters_naming_code_point_and_position() {
        let error = Text::parse("abc\0def").unwrap_err();
        assert_eq!(
            error,
            TextError::ControlCharacter {
                codepoint: 0,
                position: 3
            }
        );
        assert_eq!(
            error.to_string(),
            "text contains control character U+0000 at position 3"
        );
        assert_eq!(
            Text::parse("ờ\u{1b}"),
            Err(TextError::ControlCharacter {
                codepoint: 0x1b,
                position: 1
            })
        );
    }

    #[test]
    fn text_length_is_limited_after_normalization() {
        let error = Text::parse("ệ".repeat(1200)).unwrap_err();
        assert_eq!(
            error,
            TextError::TooLong {
                max: 1000,
                length: 1200
            }
        );
        assert_eq!(
            error.to_string(),
            "text is 1200 characters long; at most 1000 are allowed"
        );
        // 1000 NFD letters of two code points each compose to 1000 characters.
        assert!(Text::parse(nfd(&"ệ".repeat(1000))).is_ok());
        assert!(Text::parse(format!("   {}   ", "a".repeat(1000))).is_ok());
    }

    #[test]
    fn text_converts_from_and_to_strings() {
        let text: Text = "Hà Nội".parse().unwrap();
        assert_eq!(Text::try_from("Hà Nội").unwrap(), text);
        assert_eq!(Text::try_from(String::from("Hà Nội")).unwrap(), text);
        assert_eq!(AsRef::<str>::as_ref(&text), "Hà Nội");
        assert_eq!(String::from(text), "Hà Nội");
    }

    #[test]
    fn prose_unifies_line_breaks_and_trims_line_ends() {
        let prose =
            Prose::parse("\n\n  Giao Sở Y tế  \r\n\t- chủ trì;\t\r- báo cáo.\u{2028}Hết\n\n")
                .unwrap();
        assert_eq!(
            prose.as_str(),
            "Giao Sở Y tế\n\t- chủ trì;\n- báo cáo.\nHết"
        );
        assert_eq!(prose.fold(), "giao so y te - chu tri; - bao cao. het");
    }

    #[test]
    fn prose_rejects_blank_input_control_characters_and_excess_length() {
        assert_eq!(Prose::parse("\r\n \t\n"), Err(TextError::Empty));
        assert_eq!(
            Prose::parse("a\nb\u{b}"),
            Err(TextError::ControlCharacter {
                codepoint: 0xb,
                position: 3
            })
        );
        assert_eq!(
            Prose::parse("x".repeat(20_001)),
            Err(TextError::TooLong {
                max: 20_000,
                length: 20_001
            })
        );
        assert!(Prose::parse("x".repeat(20_000)).is_ok());
    }

    #[test]
    fn prose_converts_from_and_to_strings() {
        let prose: Prose = "a\nb".parse().unwrap();
        assert_eq!(Prose::try_from("a\nb").unwrap(), prose);
        assert_eq!(Prose::try_from(String::from("a\r\nb")).unwrap(), prose);
        assert_eq!(AsRef::<str>::as_ref(&prose), "a\nb");
        assert_eq!(prose.to_string(), "a\nb");
        assert_eq!(String::from(prose), "a\nb");
    }

    #[test]
    fn text_and_prose_round_trip_through_serde() {
        let text = Text::parse("Ủy ban nhân dân").unwrap();
        let json = serde_json::to_string(&text).unwrap();
        assert_eq!(json, "\"Ủy ban nhân dân\"");
        assert_eq!(serde_json::from_str::<Text>(&json).unwrap(), text);

        let prose = Prose::parse("Dòng một\nDòng hai").unwrap();
        let json = serde_json::to_string(&prose).unwrap();
        assert_eq!(json, "\"Dòng một\\nDòng hai\"");
        assert_eq!(serde_json::from_str::<Prose>(&json).unwrap(), prose);
    }

    #[test]
    fn deserializing_normalizes_and_validates() {
        let text: Text = serde_json::from_str("\"  a   b \"").unwrap();
        assert_eq!(text.as_str(), "a b");
        assert!(serde_json::from_str::<Text>("\"   \"").is_err());
        assert!(serde_json::from_str::<Text>("\"a\\u0000\"").is_err());
        assert!(serde_json::from_str::<Prose>("\"\\n\"").is_err());
        assert!(serde_json::from_str::<Prose>("\"a\\u0007\"").is_err());
    }

    proptest! {
        #[test]
        fn fold_is_idempotent(s in any::<String>()) {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once);
        }

        #[test]
        fn fold_is_idempotent_on_vietnamese_like_text(s in vietnamese_like()) {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once);
        }

        #[test]
        fn fold_does_not_depend_on_normalization_form(s in any::<String>()) {
            prop_assert_eq!(fold(&nfc(&s)), fold(&nfd(&s)));
        }

        #[test]
        fn fold_does_not_depend_on_normalization_form_of_vietnamese_like_text(
            s in vietnamese_like()
        ) {
            prop_assert_eq!(fold(&nfc(&s)), fold(&nfd(&s)));
        }

        #[test]
        fn text_parse_is_idempotent(s in any::<String>()) {
            if let Ok(text) = Text::parse(&s) {
                prop_assert_eq!(Text::parse(text.as_str()), Ok(text));
            }
        }

        #[test]
        fn text_parse_is_idempotent_on_vietnamese_like_text(s in vietnamese_like()) {
            if let Ok(text) = Text::parse(&s) {
                prop_assert_eq!(Text::parse(text.as_str()), Ok(text));
            }
        }

        #[test]
        fn prose_parse_is_idempotent(s in any::<String>()) {
            if let Ok(prose) = Prose::parse(&s) {
                prop_assert_eq!(Prose::parse(prose.as_str()), Ok(prose));
            }
        }

        #[test]
        fn prose_parse_is_idempotent_on_vietnamese_like_text(
            s in "[a-zàộư\u{300}\u{323} \t\r\n\u{85}\u{2028}]{0,40}"
        ) {
            if let Ok(prose) = Prose::parse(&s) {
                prop_assert_eq!(Prose::parse(prose.as_str()), Ok(prose));
            }
        }

        #[test]
        fn normalize_line_agrees_with_text(s in vietnamese_like()) {
            let normalized = normalize_line(&s);
            match Text::parse(&s) {
                Ok(text) => prop_assert_eq!(text.as_str(), normalized.as_str()),
                Err(error) => prop_assert_eq!(error, TextError::Empty),
            }
        }
    }
}
