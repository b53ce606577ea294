//! Personal names of officials: validation, honorific stripping, and the Vietnamese sort key.
//!
//! A Vietnamese name is family name, middle name(s), given name: in "Trần Thị Vĩnh Nghi" the
//! family name is Trần and the given name Nghi. Official lists sort by the given name, then the
//! family name, then the middle names, in Vietnamese alphabetical order ([`PersonName::sort_key`]).
//! Names of some ethnic minorities do not follow that pattern, so a clerk can set an explicit
//! sort override ([`PersonName::with_sort_override`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::text::{fold, is_canonical_line, normalize_line};

/// The most characters a name (or a sort override) may hold, counted after normalization.
pub const NAME_MAX_CHARS: usize = 200;

/// Why a personal name (or a sort override) was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// The name is empty once whitespace and honorifics are removed.
    #[error("name is empty")]
    Empty,
    /// The name is longer than allowed once normalized.
    #[error("name is {length} characters long; at most {max} are allowed")]
    TooLong {
        /// The most characters allowed.
        max: usize,
        /// How many characters the normalized name has.
        length: usize,
    },
    /// The name contains a character that names do not contain (a digit, a symbol, a control
    /// character, ...).
    #[error(
        "name {name:?} contains {character:?} (U+{code:04X}), which is not a letter, combining mark, space, hyphen, apostrophe or period",
        code = u32::from(*.character)
    )]
    InvalidCharacter {
        /// The first offending character.
        character: char,
        /// The normalized name it was found in.
        name: String,
    },
    /// The name is made only of punctuation.
    #[error("name {name:?} contains no letter")]
    NoLetter {
        /// The normalized name.
        name: String,
    },
}

/// Honorifics that may precede a name in a source text, as words in lowercase NFC with 'đ'.
const HONORIFICS: [&[&str]; 5] = [&["đồng", "chí"], &["đ/c"], &["đ/c."], &["ông"], &["bà"]];

/// Removes leading honorifics ("đồng chí", "đ/c", "đ/c.", "ông", "bà") from a name, as often as
/// they repeat, and returns the rest of the text, trimmed.
///
/// Matching ignores case, NFC/NFD and the look-alike 'Ð' (U+00D0) for 'Đ', so "ĐỒNG CHÍ" and
/// "Ðồng chí" match. It does not ignore tones, so "Bá" and "Ống" are not taken for "Bà" and
/// "Ông"; only when the text from that word on is written without any diacritics ("ong Tran Van
/// A") are words compared without them.
///
/// An honorific is only removed when at least two words remain after it, because "Ông" is also a
/// (rare) family name and a bare given name is more likely a name than an honorific. That still
/// leaves an ambiguity: the general "Ông Ích Khiêm" loses his family name here and comes back as
/// "Ích Khiêm". Names whose family name is Ông or Bà must be entered through
/// [`PersonName::parse_verbatim`].
#[must_use]
pub fn strip_honorifics(s: &str) -> &str {
    let spans = word_spans(s);
    // Whether any word from each index on carries a diacritic, computed once from the end so
    // that the loop below stays linear however many honorifics repeat.
    let mut accented_from = vec![false; spans.len() + 1];
    for (index, &(start, end)) in spans.iter().enumerate().rev() {
        accented_from[index] = accented_from[index + 1] || has_diacritics(&s[start..end]);
    }
    let mut first = 0;
    while let Some(length) = HONORIFICS
        .iter()
        .find(|honorific| {
            starts_with_honorific(s, &spans[first..], honorific, accented_from[first])
        })
        .map(|honorific| honorific.len())
    {
        if spans.len() - first - length < 2 {
            break;
        }
        first += length;
    }
    match (spans.get(first), spans.last()) {
        (Some(&(start, _)), Some(&(_, end))) => &s[start..end],
        _ => "",
    }
}

/// The byte ranges of the whitespace-separated words of `s`.
fn word_spans(s: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (index, c) in s.char_indices() {
        if c.is_whitespace() {
            if let Some(word_start) = start.take() {
                spans.push((word_start, index));
            }
        } else if start.is_none() {
            start = Some(index);
        }
    }
    if let Some(word_start) = start {
        spans.push((word_start, s.len()));
    }
    spans
}

/// Whether any letter of `s` carries a diacritic or is 'đ' (or its look-alike).
fn has_diacritics(s: &str) -> bool {
    s.nfd()
        .any(|c| is_combining_mark(c) || matches!(c, 'đ' | 'Đ' | 'ð' | 'Ð'))
}

/// The form in which a word is compared with the honorifics: lowercase NFC with 'ð' read as
/// 'đ', or the full fold when the text has no diacritics to compare.
fn honorific_key(word: &str, accented: bool) -> String {
    if accented {
        word.chars()
            .flat_map(char::to_lowercase)
            .map(|c| if c == 'ð' { 'đ' } else { c })
            .nfc()
            .collect()
    } else {
        fold(word)
    }
}

/// Whether the words of `s` at `spans` start with the words of `honorific`.
fn starts_with_honorific(
    s: &str,
    spans: &[(usize, usize)],
    honorific: &[&str],
    accented: bool,
) -> bool {
    spans.len() >= honorific.len()
        && spans.iter().zip(honorific).all(|(&(start, end), word)| {
            honorific_key(&s[start..end], accented) == honorific_key(word, accented)
        })
}

/// Normalizes a name or sort override like a [`crate::text::Text`] (NFC, trimmed, whitespace
/// collapsed), with the typographic apostrophe U+2019 read as ASCII '\'' so that "H’Hen" and
/// "H'Hen" are stored alike.
fn normalize_name(raw: &str) -> String {
    let normalized = normalize_line(raw);
    if normalized.contains('\u{2019}') {
        normalized.replace('\u{2019}', "'")
    } else {
        normalized
    }
}

/// `raw` normalized ([`normalize_name`]) and validated ([`validate_name`]). A name already so
/// (every name read back from storage) is checked in one pass and copied: a canonical line of
/// ASCII letters, Latin and Vietnamese letters that normalization leaves alone, and the
/// punctuation names allow, with at least one letter.
fn valid_name(raw: &str) -> Result<String, NameError> {
    if is_canonical_line(raw, NAME_MAX_CHARS, is_plain_name_character)
        && raw.chars().any(|c| !matches!(c, ' ' | '-' | '\'' | '.'))
    {
        return Ok(raw.to_owned());
    }
    let normalized = normalize_name(raw);
    validate_name(&normalized)?;
    Ok(normalized)
}

/// The characters [`valid_name`] takes in one pass: ASCII letters, the precomposed Latin and
/// Vietnamese letters among [`crate::text::is_plain`]'s characters, and '-', '\'' and '.'
/// (a test checks that all are plain and all but the punctuation alphabetic).
fn is_plain_name_character(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(
            c,
            '-' | '\''
                | '.'
                | '\u{C0}'..='\u{D6}'
                | '\u{D8}'..='\u{F6}'
                | '\u{F8}'..='\u{24F}'
                | '\u{1E00}'..='\u{1EFF}'
        )
}

/// Checks a normalized name or sort override against the rules for names.
fn validate_name(name: &str) -> Result<(), NameError> {
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    let length = name.chars().count();
    if length > NAME_MAX_CHARS {
        return Err(NameError::TooLong {
            max: NAME_MAX_CHARS,
            length,
        });
    }
    if let Some(character) = name.chars().find(|&c| {
        !(c.is_alphabetic() || is_combining_mark(c) || matches!(c, ' ' | '-' | '\'' | '.'))
    }) {
        return Err(NameError::InvalidCharacter {
            character,
            name: name.to_owned(),
        });
    }
    if !name.chars().any(char::is_alphabetic) {
        return Err(NameError::NoLetter {
            name: name.to_owned(),
        });
    }
    Ok(())
}

/// A person's full name, as written in Vietnamese order (family, middle, given), with an
/// optional clerk-written sort override.
///
/// The name is NFC, trimmed, with single spaces between words, at most [`NAME_MAX_CHARS`]
/// characters, and contains only letters, combining marks, spaces, hyphens, apostrophes and
/// periods. Case is kept as written.
///
/// It serializes as `{ "full": "...", "sort_override": null | "..." }`; deserializing validates
/// both fields (without stripping honorifics, since a stored name has none left).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "PersonNameRepr", into = "PersonNameRepr")]
pub struct PersonName {
    full: String,
    sort_override: Option<String>,
}

/// The serialized shape of a [`PersonName`], which goes through validation on the way in.
#[derive(Serialize, Deserialize)]
struct PersonNameRepr {
    full: String,
    #[serde(default)]
    sort_override: Option<String>,
}

impl TryFrom<PersonNameRepr> for PersonName {
    type Error = NameError;

    fn try_from(repr: PersonNameRepr) -> Result<Self, Self::Error> {
        let name = Self::parse_verbatim(&repr.full)?;
        match repr.sort_override {
            Some(sort_override) => name.with_sort_override(&sort_override),
            None => Ok(name),
        }
    }
}

impl From<PersonName> for PersonNameRepr {
    fn from(name: PersonName) -> Self {
        Self {
            full: name.full,
            sort_override: name.sort_override,
        }
    }
}

impl PersonName {
    /// Parses a name as found in a source text: normalizes it, strips leading honorifics (see
    /// [`strip_honorifics`]) and validates it.
    ///
    /// # Errors
    ///
    /// [`NameError::Empty`] for blank input, [`NameError::TooLong`] for more than
    /// [`NAME_MAX_CHARS`] characters, [`NameError::InvalidCharacter`] for a digit, symbol or
    /// control character, [`NameError::NoLetter`] for punctuation only.
    pub fn parse(raw: &str) -> Result<Self, NameError> {
        let normalized = normalize_name(raw);
        Self::from_normalized(strip_honorifics(&normalized).to_owned())
    }

    /// Parses a name exactly as written, without stripping honorifics: for the rare names whose
    /// family name is Ông or Bà ("Ông Ích Khiêm"), and for names read back from storage.
    ///
    /// # Errors
    ///
    /// As [`PersonName::parse`].
    pub fn parse_verbatim(raw: &str) -> Result<Self, NameError> {
        Ok(Self {
            full: valid_name(raw)?,
            sort_override: None,
        })
    }

    fn from_normalized(full: String) -> Result<Self, NameError> {
        validate_name(&full)?;
        Ok(Self {
            full,
            sort_override: None,
        })
    }

    /// The full name, in Vietnamese order.
    #[must_use]
    pub fn full(&self) -> &str {
        &self.full
    }

    /// The family name: the first word, or "" for a one-word name.
    #[must_use]
    pub fn family(&self) -> &str {
        match self.full.find(' ') {
            Some(end) => &self.full[..end],
            None => "",
        }
    }

    /// The middle names: the words between the first and the last, joined by single spaces,
    /// or "" when there are fewer than three words.
    #[must_use]
    pub fn middle(&self) -> &str {
        match (self.full.find(' '), self.full.rfind(' ')) {
            (Some(first), Some(last)) if first < last => &self.full[first + 1..last],
            _ => "",
        }
    }

    /// The given name: the last word (the whole name when it has one word).
    #[must_use]
    pub fn given(&self) -> &str {
        match self.full.rfind(' ') {
            Some(start) => &self.full[start + 1..],
            None => &self.full,
        }
    }

    /// The search key of the name (see [`fold`]).
    #[must_use]
    pub fn fold(&self) -> String {
        fold(&self.full)
    }

    /// The clerk-written sort override, if one is set.
    #[must_use]
    pub fn sort_override(&self) -> Option<&str> {
        self.sort_override.as_deref()
    }

    /// Sets the sort override: the name's words written in the order in which they should be
    /// compared, e.g. "Bih Niê Y" for the Ê Đê name "Y Bih Niê", whose given name is not its
    /// last word. The override is normalized and validated like a name.
    ///
    /// # Errors
    ///
    /// As [`PersonName::parse_verbatim`], for the override text.
    pub fn with_sort_override(self, override_text: &str) -> Result<Self, NameError> {
        Ok(Self {
            sort_override: Some(valid_name(override_text)?),
            ..self
        })
    }

    /// Removes the sort override, so the name sorts by given, family, then middle names again.
    #[must_use]
    pub fn without_sort_override(self) -> Self {
        Self {
            sort_override: None,
            ..self
        }
    }

    /// The words in the order in which official lists compare them: the override's words when
    /// one is set, otherwise given name, family name, then middle names.
    fn comparison_words(&self) -> Vec<&str> {
        if let Some(sort_override) = &self.sort_override {
            return sort_override.split(' ').collect();
        }
        let words: Vec<&str> = self.full.split(' ').collect();
        match words.as_slice() {
            [family, middle @ .., given] => {
                let mut ordered = Vec::with_capacity(words.len());
                ordered.push(*given);
                ordered.push(*family);
                ordered.extend_from_slice(middle);
                ordered
            }
            _ => words,
        }
    }

    /// A key whose plain byte-wise order (and so SQL `ORDER BY` under a binary collation) is the
    /// official Vietnamese list order.
    ///
    /// Words are compared in the order given name, family name, middle names (or the
    /// override's words in order). Each word is compared by its letters in Vietnamese
    /// alphabetical order, case-insensitively (a < ă < â < b < c < d < đ < e < ê < f < g < h < i
    /// < j < k < l < m < n < o < ô < ơ < p < q < r < s < t < u < ư < v < w < x < y < z, digits
    /// before letters, anything else after), a word that prefixes another first ("An" <
    /// "Anh"); only when its letters are equal is its tone compared: ngang < huyền < hỏi < ngã <
    /// sắc < nặng (so "Phạm Văn Hiểu" < "Nguyễn Văn Hiếu"). NFC or NFD input, and old or new
    /// tone placement ("Hòa"/"Hoà"), give the same key.
    ///
    /// Layout, where the part up to `!` is ASCII:
    ///
    /// ```text
    /// key      = word *("+" word) "!" tiebreak ["!" tiebreak-of-override]
    /// word     = *element "." tone
    /// element  = LETTER VARIANT   ; Latin base in uppercase, then "0" plain, "1" for ă ê ô ư đ,
    ///                             ; "2" for â ơ; e.g. "ư" = "U1", "đ" = "D1", "â" = "A2"
    ///          / DIGIT            ; an ASCII digit as itself
    ///          / "~" 6HEXDIG      ; any other character: its lowercase base's code point
    /// tone     = "0" ngang / "1" huyền / "2" hỏi / "3" ngã / "4" sắc / "5" nặng
    /// tiebreak = the full name in NFD with each word's tone marks moved to the word's end
    /// ```
    ///
    /// For example "Trần Việt Trường" has the key
    /// `T0R0U1O2N0G0.1+T0R0A2N0.1+V0I0E1T0.5!` followed by the tie-break. `!` sorts below `+`,
    /// which is why a name that is a prefix of another in words comes first, and `.` sorts below
    /// every element, which is why a word that prefixes another comes first. The tie-break
    /// orders names whose letters and tones agree (they differ in case or in other marks) and
    /// makes the key differ whenever the names differ in anything but tone placement and
    /// normalization form.
    #[must_use]
    pub fn sort_key(&self) -> String {
        let mut key = String::with_capacity(4 * self.full.len());
        push_sort_key_words(&self.comparison_words(), &mut key);
        key.push(PRIMARY_END);
        push_tiebreak(&self.full, &mut key);
        if let Some(sort_override) = &self.sort_override {
            key.push(PRIMARY_END);
            push_tiebreak(sort_override, &mut key);
        }
        key
    }
}

/// Ends the compared words of a sort key; below [`WORD_SEPARATOR`] so fewer words sort first.
const PRIMARY_END: char = '!';
/// Separates the compared words of a sort key.
const WORD_SEPARATOR: char = '+';
/// Ends a word's letters before its tone; below every element so a shorter word sorts first.
const WORD_END: char = '.';
/// Starts the encoding of a character that is neither a Latin letter nor an ASCII digit; above
/// every letter so such characters sort after letters.
const OTHER_MARK: char = '~';

/// Appends the encoded words, separated by [`WORD_SEPARATOR`].
fn push_sort_key_words(words: &[&str], key: &mut String) {
    for (index, word) in words.iter().enumerate() {
        if index > 0 {
            key.push(WORD_SEPARATOR);
        }
        push_sort_key_word(word, key);
    }
}

/// One character of a word as it is compared, before encoding.
enum Element {
    /// A Latin letter: its uppercase base and its Vietnamese variant (0 plain, 1 or 2).
    Letter(char, u8),
    /// An ASCII digit.
    Digit(char),
    /// Anything else, compared by code point.
    Other(char),
}

impl Element {
    fn new(base: char) -> Self {
        match base {
            'a'..='z' => Self::Letter(base.to_ascii_uppercase(), 0),
            // 'đ' has no decomposition, and 'ð' stands in for it in some newspapers.
            'đ' | 'ð' => Self::Letter('D', 1),
            '0'..='9' => Self::Digit(base),
            other => Self::Other(other),
        }
    }

    /// Applies a combining mark that turns a vowel into another Vietnamese letter; other marks
    /// on other letters leave the element alone and only show in the tie-break.
    fn apply(&mut self, mark: char) {
        if let Self::Letter(base, variant @ 0) = self {
            *variant = match (*base, mark) {
                ('A', '\u{306}') | ('E' | 'O', '\u{302}') | ('U', '\u{31b}') => 1,
                ('A', '\u{302}') | ('O', '\u{31b}') => 2,
                _ => 0,
            };
        }
    }

    fn push(&self, key: &mut String) {
        match *self {
            Self::Letter(base, variant) => {
                key.push(base);
                key.push(char::from(b'0' + variant));
            }
            Self::Digit(digit) => key.push(digit),
            Self::Other(c) => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                key.push(OTHER_MARK);
                let code = u32::from(c);
                for shift in (0..6).rev() {
                    let nibble = (code >> (4 * shift)) & 0xF;
                    key.push(char::from(HEX[nibble as usize]));
                }
            }
        }
    }
}

/// The tone digit of a combining tone mark, or `None` for any other character.
fn tone_digit(c: char) -> Option<char> {
    match c {
        '\u{300}' => Some('1'),
        '\u{309}' => Some('2'),
        '\u{303}' => Some('3'),
        '\u{301}' => Some('4'),
        '\u{323}' => Some('5'),
        _ => None,
    }
}

/// Appends one word: its elements, [`WORD_END`], and the digit of its first tone mark (a
/// Vietnamese syllable has one; which vowel carries it does not matter).
fn push_sort_key_word(word: &str, key: &mut String) {
    let mut tone = None;
    let mut current: Option<Element> = None;
    // Lowercasing before decomposing mirrors `fold`: some lowercase mappings yield marks.
    for c in word.chars().flat_map(char::to_lowercase).nfd() {
        if let Some(digit) = tone_digit(c) {
            tone = tone.or(Some(digit));
        } else if is_combining_mark(c) {
            if let Some(element) = current.as_mut() {
                element.apply(c);
            }
        } else {
            if let Some(element) = current.replace(Element::new(c)) {
                element.push(key);
            }
        }
    }
    if let Some(element) = current {
        element.push(key);
    }
    key.push(WORD_END);
    key.push(tone.unwrap_or('0'));
}

/// Appends the tie-break form of a normalized name: NFD, with each word's tone marks moved to
/// the end of the word so that old and new tone placement agree.
fn push_tiebreak(name: &str, key: &mut String) {
    let mut tones = String::new();
    for (index, word) in name.split(' ').enumerate() {
        if index > 0 {
            key.push(' ');
        }
        for c in word.nfd() {
            if tone_digit(c).is_some() {
                tones.push(c);
            } else {
                key.push(c);
            }
        }
        key.push_str(&tones);
        tones.clear();
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.full)
    }
}

impl FromStr for PersonName {
    type Err = NameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::sample::select;

    #[test]
    fn plain_name_characters_are_plain_and_letters_but_for_the_punctuation() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if is_plain_name_character(c) {
                assert!(crate::text::is_plain(c), "{c:?}");
                assert!(c.is_alphabetic() || matches!(c, '-' | '\'' | '.'), "{c:?}");
            }
        }
    }

    proptest! {
        #[test]
        fn the_one_pass_name_check_agrees_with_the_long_way(chars in proptest::collection::vec(
            prop_oneof![
                6 => select(vec!['N', 'g', 'u', 'y', 'ễ', 'n', 'Đ', 'ư', 'ờ', 'ộ', 'Ê']),
                2 => select(vec![' ', '-', '\'', '.']),
                1 => select(vec![
                    '\u{2019}', '\u{a0}', '\t', '\n', '\u{300}', '\u{301}', '1', '@', '\u{0}',
                    '\u{d7}', '\u{2126}', '–',
                ]),
                1 => any::<char>(),
            ],
            0..16,
        )) {
            let s: String = chars.into_iter().collect();
            let long = {
                let normalized = normalize_name(&s);
                validate_name(&normalized).map(|()| normalized)
            };
            prop_assert_eq!(valid_name(&s), long);
        }
    }

    fn name(raw: &str) -> PersonName {
        PersonName::parse(raw).unwrap()
    }

    fn key(raw: &str) -> String {
        name(raw).sort_key()
    }

    fn nfd(s: &str) -> String {
        s.nfd().collect()
    }

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut parsed: Vec<PersonName> = names.iter().map(|raw| name(raw)).collect();
        parsed.sort_by_key(PersonName::sort_key);
        parsed.iter().map(|n| n.full().to_owned()).collect()
    }

    fn assert_strictly_increasing(names: &[&str]) {
        for pair in names.windows(2) {
            assert!(
                key(pair[0]) < key(pair[1]),
                "{:?} should sort before {:?}: {:?} vs {:?}",
                pair[0],
                pair[1],
                key(pair[0]),
                key(pair[1])
            );
        }
    }

    fn words_key(words: &[&str]) -> String {
        let mut key = String::new();
        push_sort_key_words(words, &mut key);
        key
    }

    #[test]
    fn official_list_sorts_by_given_name_then_family_with_tones_deciding_within_a_word() {
        let names = [
            "Trần Việt Trường",
            "Lê Quang Mạnh",
            "Nguyễn Văn Hiếu",
            "Đào Anh Dũng",
            "Trần Thị Vĩnh Nghi",
            "Phạm Văn Hiểu",
        ];
        assert_eq!(
            sorted(&names),
            [
                "Đào Anh Dũng",
                "Phạm Văn Hiểu",
                "Nguyễn Văn Hiếu",
                "Lê Quang Mạnh",
                "Trần Thị Vĩnh Nghi",
                "Trần Việt Trường",
            ]
        );
    }

    #[test]
    fn a_shorter_given_name_sorts_before_one_it_prefixes() {
        assert_strictly_increasing(&["Nguyễn Văn An", "Nguyễn Văn Anh"]);
        assert_strictly_increasing(&["Nguyễn Văn Án", "Nguyễn Văn Anh"]);
    }

    #[test]
    fn letters_follow_the_vietnamese_alphabet() {
        let alphabet = [
            "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
            "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
        ];
        let names: Vec<String> = alphabet.iter().map(|l| format!("Lê Văn {l}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_strictly_increasing(&names);
    }

    #[test]
    fn vowel_variants_and_d_bar_sort_after_their_base_letter_whatever_follows() {
        assert_strictly_increasing(&["Lê Văn Anh", "Lê Văn Ăn", "Lê Văn Ân"]);
        assert_strictly_increasing(&["Lê Văn Duy", "Lê Văn Đa"]);
        assert_strictly_increasing(&["Lê Văn Hoy", "Lê Văn Hôa", "Lê Văn Hơa"]);
        assert_strictly_increasing(&["Lê Văn Tuy", "Lê Văn Tưa"]);
    }

    #[test]
    fn letters_compare_case_insensitively() {
        assert_strictly_increasing(&["nguyễn văn an", "NGUYỄN VĂN BÌNH"]);
    }

    #[test]
    fn tones_sort_ngang_huyen_hoi_nga_sac_nang() {
        assert_strictly_increasing(&[
            "Lê Văn Ba",
            "Lê Văn Bà",
            "Lê Văn Bả",
            "Lê Văn Bã",
            "Lê Văn Bá",
            "Lê Văn Bạ",
        ]);
    }

    #[test]
    fn equal_given_names_are_ordered_by_family_then_middle_names() {
        assert_strictly_increasing(&["Lê Văn An", "Nguyễn Văn An", "Trần Văn An"]);
        assert_strictly_increasing(&["Trần An", "Trần Hữu An", "Trần Văn An"]);
    }

    #[test]
    fn a_given_name_alone_sorts_before_the_same_given_name_with_a_family_name() {
        assert_strictly_increasing(&["An", "Đỗ An"]);
    }

    #[test]
    fn sort_override_decides_where_a_minority_name_goes() {
        let hau = name("Hầu A Lềnh").with_sort_override("Lềnh Hầu A").unwrap();
        assert_eq!(hau.sort_override(), Some("Lềnh Hầu A"));
        let mut list = [
            name("Nguyễn Thị Lan"),
            name("Lê Quang Mạnh"),
            hau,
            name("Vũ Văn Hải"),
            name("Phạm Minh Long"),
        ];
        list.sort_by_key(PersonName::sort_key);
        let order: Vec<&str> = list.iter().map(PersonName::full).collect();
        assert_eq!(
            order,
            [
                "Vũ Văn Hải",
                "Nguyễn Thị Lan",
                "Hầu A Lềnh",
                "Phạm Minh Long",
                "Lê Quang Mạnh"
            ]
        );

        // The Ê Đê name "Y Bih Niê" has the given name Bih; by default it would sort among the
        // N's, the override moves it among the B's.
        let bih = name("Y Bih Niê");
        let binh = name("Trần Văn Bình");
        assert!(bih.sort_key() > binh.sort_key());
        let bih = bih.with_sort_override("Bih Niê Y").unwrap();
        assert!(bih.sort_key() < binh.sort_key());
        let bih = bih.without_sort_override();
        assert_eq!(bih.sort_override(), None);
        assert!(bih.sort_key() > binh.sort_key());
    }

    #[test]
    fn sort_override_is_normalized_and_validated() {
        let n = name("Y Bih Niê")
            .with_sort_override(&format!("  {}  Niê\tY ", nfd("Bih")))
            .unwrap();
        assert_eq!(n.sort_override(), Some("Bih Niê Y"));
        assert_eq!(
            name("Y Bih Niê").with_sort_override("  "),
            Err(NameError::Empty)
        );
        assert!(matches!(
            name("Y Bih Niê").with_sort_override("Bih 2"),
            Err(NameError::InvalidCharacter { character: '2', .. })
        ));
    }

    #[test]
    fn sort_key_layout_is_as_documented() {
        let trường = name("Trần Việt Trường");
        assert_eq!(
            trường.sort_key(),
            format!(
                "T0R0U1O2N0G0.1+T0R0A2N0.1+V0I0E1T0.5!{}",
                "Tra\u{302}n\u{300} Vie\u{302}t\u{323} Tru\u{31b}o\u{31b}ng\u{300}"
            )
        );
    }

    #[test]
    fn the_eth_look_alike_sorts_as_d_bar() {
        let with_eth = key("Ðào Anh Dũng");
        let with_d_bar = key("Đào Anh Dũng");
        let primary = |k: &str| k.split('!').next().unwrap_or_default().to_owned();
        assert_eq!(primary(&with_eth), primary(&with_d_bar));
        assert_strictly_increasing(&["Lê Văn Duy", "Lê Văn Ða"]);
    }

    #[test]
    fn digits_sort_before_letters_and_other_characters_after() {
        assert!(words_key(&["a"]) < words_key(&["a1"]));
        assert!(words_key(&["a1"]) < words_key(&["aa"]));
        assert!(words_key(&["a9"]) < words_key(&["aa"]));
        assert!(words_key(&["az"]) < words_key(&["a-"]));
        assert!(words_key(&["a-"]) < words_key(&["a\u{4e2d}"]));
        assert_eq!(words_key(&["a-"]), "A0~00002D.0");
        assert_eq!(words_key(&["Ω\u{301}"]), "~0003C9.4");
        assert_eq!(words_key(&["\u{301}"]), ".4");
    }

    #[test]
    fn names_differing_only_in_case_get_distinct_ordered_keys() {
        let upper = key("NGUYỄN VĂN AN");
        let lower = key("nguyễn văn an");
        assert_ne!(upper, lower);
        assert!(upper < lower);
    }

    #[test]
    fn name_parts_are_family_middle_and_given() {
        let nghi = name("Trần Thị Vĩnh Nghi");
        assert_eq!(nghi.full(), "Trần Thị Vĩnh Nghi");
        assert_eq!(nghi.family(), "Trần");
        assert_eq!(nghi.middle(), "Thị Vĩnh");
        assert_eq!(nghi.given(), "Nghi");
        assert_eq!(nghi.to_string(), "Trần Thị Vĩnh Nghi");
        assert_eq!(nghi.fold(), "tran thi vinh nghi");

        let two = name("Trần Nghi");
        assert_eq!(
            (two.family(), two.middle(), two.given()),
            ("Trần", "", "Nghi")
        );

        let one = name("Nghi");
        assert_eq!((one.family(), one.middle(), one.given()), ("", "", "Nghi"));
    }

    #[test]
    fn parse_normalizes_the_name() {
        let n: PersonName = format!("  {}\u{a0} Việt\tTrường ", nfd("Trần"))
            .parse()
            .unwrap();
        assert_eq!(n.full(), "Trần Việt Trường");
        assert_eq!(name("H’Hen Niê").full(), "H'Hen Niê");
        assert_eq!(name("Nguyễn Thị Lan-Anh").given(), "Lan-Anh");
        assert_eq!(name("Nguyễn V. A.").full(), "Nguyễn V. A.");
    }

    #[test]
    fn honorifics_are_stripped() {
        assert_eq!(name("Đồng chí Phạm Văn Hiểu").full(), "Phạm Văn Hiểu");
        assert_eq!(name("ĐỒNG CHÍ Phạm Văn Hiểu").full(), "Phạm Văn Hiểu");
        assert_eq!(name("Ðồng chí Phạm Văn Hiểu").full(), "Phạm Văn Hiểu");
        assert_eq!(name(&nfd("đồng chí Phạm Văn Hiểu")).full(), "Phạm Văn Hiểu");
        assert_eq!(name("đ/c Phạm Văn Hiểu").full(), "Phạm Văn Hiểu");
        assert_eq!(name("Đ/c. Phạm Văn Hiểu").full(), "Phạm Văn Hiểu");
        assert_eq!(name("ông Trần Việt Trường").full(), "Trần Việt Trường");
        assert_eq!(name("Bà Trần Thị Vĩnh Nghi").full(), "Trần Thị Vĩnh Nghi");
        assert_eq!(name("ong Tran Viet Truong").full(), "Tran Viet Truong");
    }

    #[test]
    fn repeated_honorifics_are_all_stripped() {
        assert_eq!(
            name("Đồng chí ông Trần Việt Trường").full(),
            "Trần Việt Trường"
        );
        assert_eq!(strip_honorifics("  bà  đ/c  Lê  Lan "), "Lê  Lan");
    }

    #[test]
    fn an_honorific_is_kept_when_fewer_than_two_words_would_remain() {
        assert_eq!(name("Ông Khiêm").full(), "Ông Khiêm");
        assert_eq!(name("Bà").full(), "Bà");
        assert_eq!(name("Đồng chí Khiêm").full(), "Đồng chí Khiêm");
        assert_eq!(name("Bà Ông Khiêm").full(), "Ông Khiêm");
    }

    #[test]
    fn look_alikes_with_other_tones_are_not_honorifics() {
        assert_eq!(name("Bá Văn Hùng").full(), "Bá Văn Hùng");
        assert_eq!(name("Ong Văn Hùng").full(), "Ong Văn Hùng");
    }

    #[test]
    fn family_name_ong_is_lost_by_parse_and_kept_by_parse_verbatim() {
        // The known ambiguity: "Ông" reads as an honorific when two words follow it.
        assert_eq!(name("Ông Ích Khiêm").full(), "Ích Khiêm");
        let verbatim = PersonName::parse_verbatim("Ông Ích Khiêm").unwrap();
        assert_eq!(verbatim.full(), "Ông Ích Khiêm");
        assert_eq!(verbatim.family(), "Ông");
    }

    #[test]
    fn invalid_names_are_rejected_with_the_rule_and_values() {
        assert_eq!(PersonName::parse(" \t "), Err(NameError::Empty));
        let error = PersonName::parse("Trần Văn 2").unwrap_err();
        assert_eq!(
            error,
            NameError::InvalidCharacter {
                character: '2',
                name: "Trần Văn 2".to_owned()
            }
        );
        assert_eq!(
            error.to_string(),
            "name \"Trần Văn 2\" contains '2' (U+0032), which is not a letter, combining mark, space, hyphen, apostrophe or period"
        );
        assert!(matches!(
            PersonName::parse("Trần\0Văn"),
            Err(NameError::InvalidCharacter {
                character: '\0',
                ..
            })
        ));
        assert!(matches!(
            PersonName::parse("Trần @Văn"),
            Err(NameError::InvalidCharacter { character: '@', .. })
        ));
        assert_eq!(
            PersonName::parse("- ."),
            Err(NameError::NoLetter {
                name: "- .".to_owned()
            })
        );
        let error = PersonName::parse(&"a".repeat(201)).unwrap_err();
        assert_eq!(
            error,
            NameError::TooLong {
                max: 200,
                length: 201
            }
        );
        assert_eq!(
            error.to_string(),
            "name is 201 characters long; at most 200 are allowed"
        );
        assert!(PersonName::parse(&"a".repeat(200)).is_ok());
    }

    #[test]
    fn person_name_round_trips_through_serde() {
        let plain = name("Trần Việt Trường");
        let json = serde_json::to_string(&plain).unwrap();
        assert_eq!(json, r#"{"full":"Trần Việt Trường","sort_override":null}"#);
        assert_eq!(serde_json::from_str::<PersonName>(&json).unwrap(), plain);

        let overridden = name("Hầu A Lềnh").with_sort_override("Lềnh Hầu A").unwrap();
        let json = serde_json::to_string(&overridden).unwrap();
        assert_eq!(
            json,
            r#"{"full":"Hầu A Lềnh","sort_override":"Lềnh Hầu A"}"#
        );
        assert_eq!(
            serde_json::from_str::<PersonName>(&json).unwrap(),
            overridden
        );

        // A stored name is taken as it is: no honorific stripping on the way back in.
        let khiem = PersonName::parse_verbatim("Ông Ích Khiêm").unwrap();
        let json = serde_json::to_string(&khiem).unwrap();
        assert_eq!(serde_json::from_str::<PersonName>(&json).unwrap(), khiem);
    }

    #[test]
    fn deserializing_an_invalid_person_name_fails() {
        for json in [
            r#"{"full":"   ","sort_override":null}"#,
            r#"{"full":"Trần 3","sort_override":null}"#,
            r#"{"full":"Trần Văn An","sort_override":"An #1"}"#,
            r#"{"full":"Trần Văn An","sort_override":""}"#,
            r#"{"sort_override":null}"#,
            r#""Trần Văn An""#,
        ] {
            assert!(
                serde_json::from_str::<PersonName>(json).is_err(),
                "{json} should not deserialize"
            );
        }
        let lenient: PersonName = serde_json::from_str(r#"{"full":" Trần  Văn An "}"#).unwrap();
        assert_eq!(lenient, name("Trần Văn An"));
    }

    const ONSETS: &[&str] = &[
        "", "b", "c", "ch", "d", "đ", "g", "gh", "h", "kh", "l", "m", "n", "ng", "nh", "ph", "r",
        "s", "t", "th", "tr", "v", "x",
    ];
    const NUCLEI: &[&str] = &[
        "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uy", "ươ", "iê",
        "uô",
    ];
    const CODAS: &[&str] = &["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];
    const TONES: &[&str] = &["", "\u{300}", "\u{309}", "\u{303}", "\u{301}", "\u{323}"];

    /// Capitalizes the first letter, as names are usually written.
    fn capitalize(s: &str) -> String {
        let mut chars = s.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    }

    /// A Vietnamese-looking syllable with its tone mark on the first vowel, in NFC.
    fn syllable() -> impl Strategy<Value = String> {
        (
            select(ONSETS),
            select(NUCLEI),
            select(CODAS),
            select(TONES),
            any::<bool>(),
        )
            .prop_map(|(onset, nucleus, coda, tone, capital)| {
                let mut vowels = nucleus.chars();
                let raw: String = onset
                    .chars()
                    .chain(vowels.next())
                    .chain(tone.chars())
                    .chain(vowels)
                    .chain(coda.chars())
                    .collect::<String>()
                    .nfc()
                    .collect();
                if capital { capitalize(&raw) } else { raw }
            })
    }

    /// A syllable with the nucleus "oa", "oe" or "uy" and a tone, written with the old tone
    /// placement (on the first vowel) and with the new one (on the second), in NFC.
    fn syllable_in_both_placements() -> impl Strategy<Value = (String, String)> {
        (
            select(ONSETS),
            select(&["oa", "oe", "uy"][..]),
            select(&["", "n", "t", "ch", "nh", "ng"][..]),
            select(&TONES[1..]),
        )
            .prop_map(|(onset, nucleus, coda, tone)| {
                let mut vowels = nucleus.chars();
                let (first, second) = match (vowels.next(), vowels.next()) {
                    (Some(first), Some(second)) => (first, second),
                    _ => ('o', 'a'),
                };
                let old = format!("{onset}{first}{tone}{second}{coda}");
                let new = format!("{onset}{first}{second}{tone}{coda}");
                (
                    capitalize(&old.nfc().collect::<String>()),
                    capitalize(&new.nfc().collect::<String>()),
                )
            })
    }

    fn vietnamese_name() -> impl Strategy<Value = String> {
        prop::collection::vec(syllable(), 1..5).prop_map(|words| words.join(" "))
    }

    proptest! {
        #[test]
        fn sort_key_is_the_same_for_nfc_and_nfd_input(raw in vietnamese_name()) {
            let from_nfc = PersonName::parse(&raw.nfc().collect::<String>()).unwrap();
            let from_nfd = PersonName::parse(&nfd(&raw)).unwrap();
            prop_assert_eq!(from_nfc.sort_key(), from_nfd.sort_key());
            prop_assert_eq!(from_nfc.fold(), from_nfd.fold());
        }

        #[test]
        fn tone_placement_changes_neither_fold_nor_sort_key(
            syllables in prop::collection::vec(
                prop_oneof![
                    syllable().prop_map(|s| (s.clone(), s)),
                    syllable_in_both_placements(),
                ],
                1..5,
            )
        ) {
            let old: Vec<&str> = syllables.iter().map(|(old, _)| old.as_str()).collect();
            let new: Vec<&str> = syllables.iter().map(|(_, new)| new.as_str()).collect();
            let old = PersonName::parse(&old.join(" ")).unwrap();
            let new = PersonName::parse(&new.join(" ")).unwrap();
            prop_assert_eq!(old.fold(), new.fold());
            prop_assert_eq!(old.sort_key(), new.sort_key());
        }

        #[test]
        fn sort_key_of_any_words_is_deterministic_and_form_independent(
            words in prop::collection::vec("\\PC{1,6}", 1..4)
        ) {
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            let nfd_words: Vec<String> = words.iter().map(|w| nfd(w)).collect();
            let nfd_words: Vec<&str> = nfd_words.iter().map(String::as_str).collect();
            let key = words_key(&words);
            prop_assert!(key.is_ascii());
            prop_assert_eq!(&key, &words_key(&words));
            prop_assert_eq!(key, words_key(&nfd_words));
        }

        #[test]
        fn parse_is_idempotent(raw in vietnamese_name()) {
            let once = PersonName::parse(&raw).unwrap();
            prop_assert_eq!(PersonName::parse(once.full()).unwrap(), once);
        }
    }
}
