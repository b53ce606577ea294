//! Tokens, paragraphs and sentences of a normalized article, and the phrase matching every
//! recognizer is built on.
//!
//! A token keeps its byte range (to cut text) and its character range (for `span`s), plus two
//! matching keys:
//! * `folded`: [`gazette_domain::text::fold`], which ignores case, every diacritic, NFC/NFD and
//!   tone placement. It tolerates typos such as "thuởng" for "thưởng", so most phrases match on it.
//! * `exact`: lowercase with the tone mark moved to the end of the syllable. It ignores case, NFC/NFD
//!   and tone placement but keeps tones and vowel shapes, for the short words folding would confuse:
//!   "họp" (meet) and "hợp" (combine), "tặng" (award) and "tăng" (increase), "giao" (assign) and
//!   "giáo" (as in Tuyên giáo), "năm" (year) and "Nam".
//!
//! Everything here runs in time linear in the text.

use std::ops::Range;

use gazette_domain::text::fold;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::draft::Span;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Starts with a letter: a syllable, an abbreviation ("UBND"), a code ("QĐ/TU").
    Word,
    /// Starts with a digit: a number, a date ("15-1-2021"), a document number ("983-QĐ/TU").
    Number,
    /// One punctuation character.
    Punct,
}

/// One token of the article.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    /// Byte range in the normalized text.
    pub bytes: Range<usize>,
    /// Character range in the normalized text.
    pub chars: Range<usize>,
    /// What it is made of.
    pub kind: Kind,
    /// The folded key (see the module documentation).
    pub folded: String,
    /// The exact key (see the module documentation).
    pub exact: String,
    /// Whether whitespace precedes it (so "-" between spaces is a separator, "chí-Xuất" is not).
    pub space_before: bool,
}

/// One non-blank line of the article.
#[derive(Debug, Clone)]
pub(crate) struct Para {
    /// Its tokens.
    pub tokens: Range<usize>,
}

/// One sentence: a token range inside one paragraph.
#[derive(Debug, Clone)]
pub(crate) struct Sent {
    /// Its paragraph.
    pub para: usize,
    /// Its tokens.
    pub tokens: Range<usize>,
}

/// The tokenized article.
#[derive(Debug)]
pub(crate) struct Doc {
    /// The normalized text.
    pub text: String,
    /// Every token, in order.
    pub tokens: Vec<Token>,
    /// Every non-blank line.
    pub paras: Vec<Para>,
    /// Every sentence, in order.
    pub sents: Vec<Sent>,
}

/// The combining marks that carry Vietnamese tones (huyền, sắc, ngã, hỏi, nặng).
fn is_tone_mark(c: char) -> bool {
    matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}')
}

/// The exact key of a word: lowercase NFD with its tone marks moved to the end, so "Hoà" and
/// "Hòa", NFC and NFD, upper and lower case give one key while "họp" and "hợp" do not.
pub(crate) fn exact_key(word: &str) -> String {
    let mut base = String::with_capacity(word.len() + 2);
    let mut tones = String::new();
    for c in word.chars().flat_map(char::to_lowercase).nfd() {
        if is_tone_mark(c) {
            tones.push(c);
        } else {
            base.push(c);
        }
    }
    base.push_str(&tones);
    base
}

/// Letters, digits and combining marks make up words.
fn is_wordish(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Whether `c` joins the characters around it into one token: "15-1-2021", "983-QĐ/TU",
/// "Tp.HCM", "H'Mông", "28,77", "10:01".
fn joins(c: char, before: char, after: char) -> bool {
    match c {
        '.' | '/' | '-' | '\'' | '’' | '_' | '&' | '+' | '@' => {
            is_wordish(before) && is_wordish(after)
        }
        ',' | ':' => before.is_ascii_digit() && after.is_ascii_digit(),
        _ => false,
    }
}

impl Doc {
    /// Tokenizes a normalized text.
    pub(crate) fn new(text: String) -> Self {
        let mut tokens = Vec::new();
        let mut paras = Vec::new();
        let mut char_index = 0usize;
        let mut line_start = 0usize;
        // Lines are split by hand (not `str::lines`) to keep byte and character offsets in step.
        for line in text.split('\n') {
            let first = tokens.len();
            tokenize_line(line, line_start, char_index, &mut tokens);
            if tokens.len() > first {
                paras.push(Para {
                    tokens: first..tokens.len(),
                });
            }
            char_index += line.chars().count() + 1;
            line_start += line.len() + 1;
        }
        let mut doc = Self {
            text,
            tokens,
            paras,
            sents: Vec::new(),
        };
        doc.sents = split_sentences(&doc);
        doc
    }

    /// The text of a token.
    pub(crate) fn tok(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .and_then(|t| self.text.get(t.bytes.clone()))
            .unwrap_or("")
    }

    /// The folded key of a token, or "" past the end.
    pub(crate) fn folded(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| t.folded.as_str())
    }

    /// The exact key of a token, or "" past the end.
    pub(crate) fn exact(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| t.exact.as_str())
    }

    /// The kind of a token; `None` past the end.
    pub(crate) fn kind(&self, i: usize) -> Option<Kind> {
        self.tokens.get(i).map(|t| t.kind)
    }

    /// Whether the token is a word.
    pub(crate) fn is_word(&self, i: usize) -> bool {
        self.kind(i) == Some(Kind::Word)
    }

    /// Whether the token is this punctuation character.
    pub(crate) fn is_punct(&self, i: usize, c: char) -> bool {
        self.kind(i) == Some(Kind::Punct) && self.tok(i).starts_with(c)
    }

    /// Whether the token is a dash used as a separator (" - ", " – ", " — ").
    pub(crate) fn is_dash(&self, i: usize) -> bool {
        self.kind(i) == Some(Kind::Punct) && matches!(self.tok(i), "-" | "–" | "—")
    }

    /// Whether the token is a word that starts with a capital letter.
    pub(crate) fn is_cap(&self, i: usize) -> bool {
        self.is_word(i) && self.tok(i).chars().next().is_some_and(char::is_uppercase)
    }

    /// Whether the token is a word written in capitals only ("UBND", "THANH").
    pub(crate) fn is_upper(&self, i: usize) -> bool {
        self.is_word(i)
            && self
                .tok(i)
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
    }

    /// The text from the start of token `range.start` to the end of token `range.end - 1`,
    /// exactly as written.
    pub(crate) fn text_of(&self, range: Range<usize>) -> &str {
        match (self.tokens.get(range.start), range.end.checked_sub(1)) {
            (Some(first), Some(last)) if last >= range.start => self
                .tokens
                .get(last)
                .and_then(|last| self.text.get(first.bytes.start..last.bytes.end))
                .unwrap_or(""),
            _ => "",
        }
    }

    /// The character span of a token range.
    pub(crate) fn span_of(&self, range: Range<usize>) -> Span {
        match (self.tokens.get(range.start), range.end.checked_sub(1)) {
            (Some(first), Some(last)) if last >= range.start => Span {
                start: first.chars.start,
                end: self
                    .tokens
                    .get(last)
                    .map_or(first.chars.end, |t| t.chars.end),
            },
            _ => Span { start: 0, end: 0 },
        }
    }

    /// When the tokens from `i` (and before `limit`) spell `phrase`, the index after it.
    pub(crate) fn phrase(&self, i: usize, limit: usize, phrase: &Phrase) -> Option<usize> {
        let end = i.checked_add(phrase.words.len())?;
        if end > limit || end > self.tokens.len() || phrase.words.is_empty() {
            return None;
        }
        let all = phrase.words.iter().enumerate().all(|(k, word)| {
            let key = if phrase.exact {
                self.exact(i + k)
            } else {
                self.folded(i + k)
            };
            key == word
        });
        all.then_some(end)
    }

    /// The longest phrase of `phrases` at `i`, with its index and the index after it.
    pub(crate) fn longest<'p>(
        &self,
        i: usize,
        limit: usize,
        phrases: &'p [Phrase],
    ) -> Option<(usize, usize, &'p Phrase)> {
        phrases
            .iter()
            .enumerate()
            .filter_map(|(index, phrase)| Some((index, self.phrase(i, limit, phrase)?, phrase)))
            .max_by_key(|&(index, end, _)| (end, std::cmp::Reverse(index)))
    }
}

/// A phrase to match against tokens, as keys.
#[derive(Debug, Clone)]
pub(crate) struct Phrase {
    /// The keys of its words.
    pub words: Vec<String>,
    /// Whether it matches on the exact key (else on the folded key).
    pub exact: bool,
}

impl Phrase {
    /// A phrase matched on folded keys (typo-tolerant).
    pub(crate) fn folded(text: &str) -> Self {
        Self {
            words: phrase_words(text).iter().map(|w| fold(w)).collect(),
            exact: false,
        }
    }

    /// A phrase matched on exact keys (tones and vowel shapes count).
    pub(crate) fn exact(text: &str) -> Self {
        Self {
            words: phrase_words(text).iter().map(|w| exact_key(w)).collect(),
            exact: true,
        }
    }
}

/// The words of a lexicon phrase, tokenized like an article so that they line up with its tokens.
fn phrase_words(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    tokenize_line(text, 0, 0, &mut tokens);
    tokens
        .iter()
        .filter_map(|t| text.get(t.bytes.clone()).map(str::to_owned))
        .collect()
}

/// Splits one line into tokens: whitespace separates chunks, and a chunk is split into words
/// and single punctuation characters, punctuation staying inside a word only where it joins
/// (see [`joins`]).
fn tokenize_line(line: &str, byte_base: usize, char_base: usize, out: &mut Vec<Token>) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    let mut space_before = true;
    while let Some(&(byte, c)) = chars.get(i) {
        if c.is_whitespace() {
            space_before = true;
            i += 1;
            continue;
        }
        let start = i;
        if is_wordish(c) {
            i += 1;
            while let Some(&(_, next)) = chars.get(i) {
                if is_wordish(next) {
                    i += 1;
                } else if let (Some(&(_, before)), Some(&(_, after))) =
                    (chars.get(i - 1), chars.get(i + 1))
                    && joins(next, before, after)
                {
                    i += 2;
                } else {
                    break;
                }
            }
        } else {
            i += 1;
        }
        let end_byte = chars.get(i).map_or(line.len(), |&(b, _)| b);
        let text = line.get(byte..end_byte).unwrap_or("");
        let kind = if c.is_alphabetic() || is_combining_mark(c) {
            Kind::Word
        } else if c.is_numeric() {
            Kind::Number
        } else {
            Kind::Punct
        };
        let (folded, exact) = match kind {
            Kind::Punct => (text.to_owned(), text.to_owned()),
            _ => (fold(text), exact_key(text)),
        };
        out.push(Token {
            bytes: byte_base + byte..byte_base + end_byte,
            chars: char_base + start..char_base + i,
            kind,
            folded,
            exact,
            space_before,
        });
        space_before = false;
    }
}

/// Words after which a period does not end a sentence ("TP. Hồ Chí Minh", "Th.S").
const ABBREVIATIONS_WITH_PERIOD: [&str; 14] = [
    "tp", "tx", "tt", "q", "p", "d/c", "ths", "ts", "pgs", "gs", "bs", "ks", "cn", "th.s",
];

/// Splits every paragraph into sentences at '.', '!', '?' and '…' when what follows starts a
/// new sentence (a capital, a digit, an opening quote or parenthesis, or the end of the line).
fn split_sentences(doc: &Doc) -> Vec<Sent> {
    let mut sents = Vec::new();
    for (para_index, para) in doc.paras.iter().enumerate() {
        let mut start = para.tokens.start;
        for i in para.tokens.clone() {
            if doc.kind(i) != Some(Kind::Punct) || !matches!(doc.tok(i), "." | "!" | "?" | "…") {
                continue;
            }
            let next = i + 1;
            let ends = if next >= para.tokens.end {
                true
            } else {
                let starts_new = doc.is_cap(next)
                    || doc.kind(next) == Some(Kind::Number)
                    || matches!(doc.tok(next), "“" | "\"" | "(" | "‘" | "«" | "-" | "–");
                let abbreviation = doc.tok(i) == "."
                    && i > start
                    && doc.is_word(i - 1)
                    && !doc.tokens.get(i).is_some_and(|t| t.space_before)
                    && (ABBREVIATIONS_WITH_PERIOD.contains(&doc.folded(i - 1))
                        || doc.tok(i - 1).chars().count() == 1);
                starts_new && !abbreviation
            };
            if ends {
                sents.push(Sent {
                    para: para_index,
                    tokens: start..next,
                });
                start = next;
            }
        }
        if start < para.tokens.end {
            sents.push(Sent {
                para: para_index,
                tokens: start..para.tokens.end,
            });
        }
    }
    sents
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(doc: &Doc, range: Range<usize>) -> Vec<&str> {
        range.map(|i| doc.tok(i)).collect()
    }

    #[test]
    fn dates_numbers_and_codes_stay_whole() {
        let doc = Doc::new("(CT) - Ngày 15-1-2021, số 983-QĐ/TU; 28,77% lúc 10:01.".into());
        assert_eq!(
            texts(&doc, 0..doc.tokens.len()),
            [
                "(",
                "CT",
                ")",
                "-",
                "Ngày",
                "15-1-2021",
                ",",
                "số",
                "983-QĐ/TU",
                ";",
                "28,77",
                "%",
                "lúc",
                "10:01",
                "."
            ]
        );
    }

    #[test]
    fn sentences_end_at_periods_before_capitals_only() {
        let doc = Doc::new(
            "Tối ngày 28.12 họp. TP. Hồ Chí Minh dự. Hết./.\nDòng hai bền vững… Mặt trận".into(),
        );
        let sentences: Vec<&str> = doc
            .sents
            .iter()
            .map(|s| doc.text_of(s.tokens.clone()))
            .collect();
        assert_eq!(
            sentences,
            [
                "Tối ngày 28.12 họp.",
                "TP. Hồ Chí Minh dự.",
                "Hết./.",
                "Dòng hai bền vững…",
                "Mặt trận"
            ]
        );
    }

    #[test]
    fn spans_count_characters_not_bytes() {
        let doc = Doc::new("Đồng chí\nTrần".into());
        let last = doc.tokens.len() - 1;
        assert_eq!(doc.span_of(last..last + 1), Span { start: 9, end: 13 });
    }

    #[test]
    fn exact_keys_ignore_tone_placement_but_not_tones() {
        assert_eq!(exact_key("Hoà"), exact_key("Hòa"));
        assert_eq!(exact_key("THUỶ"), exact_key("thủy"));
        assert_ne!(exact_key("họp"), exact_key("hợp"));
        assert_ne!(exact_key("tặng"), exact_key("tăng"));
        assert_eq!(fold("thuởng"), fold("thưởng"));
    }
}
