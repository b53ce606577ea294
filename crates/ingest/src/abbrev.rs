//! Abbreviations: the ones an article defines ("quy chế dân chủ (QCDC)", "(gọi tắt là BCĐ)")
//! and the built-in ones it uses (DOMAIN.md's table).
//!
//! A definition is accepted when the abbreviation's letters are the initials of the words just
//! before the parenthesis, read backwards ("quy chế dân chủ" gives q-c-d-c), with a few function
//! words ("và", "của", "ở") allowed in between and hyphens ignored.

use std::collections::HashSet;
use std::sync::LazyLock;

use gazette_domain::text::fold;

use crate::builder::Builder;
use crate::draft::{AbbreviationDraft, AbbreviationOrigin};
use crate::lexicon::{self, BUILT_IN_ABBREVIATIONS};
use crate::source::Layout;
use crate::tokens::{Doc, Kind, Phrase};

/// Function words an expansion may contain without an initial in the abbreviation.
const SKIPPABLE: [&str; 6] = ["va", "cua", "o", "cac", "the", "voi"];

/// How far back a definition's words may start.
const MAX_EXPANSION_WORDS: usize = 14;

/// "(gọi tắt là X)", "(viết tắt là X)".
static CALLED: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    lexicon::folded(&[
        "gọi tắt là",
        "viết tắt là",
        "sau đây gọi tắt là",
        "gọi tắt",
        "viết tắt",
    ])
});

/// Whether a token looks like an abbreviation: two to ten characters, starting with a capital,
/// with at least two capitals.
fn looks_abbreviated(text: &str) -> bool {
    let count = text.chars().count();
    (2..=10).contains(&count)
        && text.chars().next().is_some_and(char::is_uppercase)
        && text.chars().filter(|c| c.is_uppercase()).count() >= 2
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '&'))
}

/// The folded initials an abbreviation spells ("QCDC" → q c d c, "TĐKT" → t d k t).
fn letters(abbreviation: &str) -> Vec<char> {
    fold(abbreviation)
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect()
}

/// Reads an expansion ending just before token `before`, whose initials spell `letters`.
/// Returns its first token and whether a function word was skipped.
fn expansion_before(
    doc: &Doc,
    sentence_start: usize,
    before: usize,
    letters: &[char],
) -> Option<(usize, bool)> {
    let mut remaining = letters.len();
    let mut at = before;
    let mut first = None;
    let mut skipped = false;
    let mut steps = 0;
    while remaining > 0 && at > sentence_start && steps < MAX_EXPANSION_WORDS {
        at -= 1;
        steps += 1;
        if doc.is_dash(at) {
            continue;
        }
        if doc.kind(at) != Some(Kind::Word) {
            return None;
        }
        let folded = doc.folded(at);
        let initial = folded.chars().next()?;
        if letters.get(remaining - 1) == Some(&initial) {
            remaining -= 1;
            first = Some(at);
        } else if SKIPPABLE.contains(&folded) && first.is_some() {
            skipped = true;
        } else {
            return None;
        }
    }
    if remaining == 0 {
        first.map(|f| (f, skipped))
    } else {
        None
    }
}

/// Finds the abbreviations of the article.
pub(crate) fn abbreviations(
    doc: &Doc,
    layout: &Layout,
    builder: &Builder<'_>,
) -> Vec<AbbreviationDraft> {
    let mut found = Vec::new();
    let mut defined = HashSet::new();
    for (sent_index, sent) in doc.sents.iter().enumerate() {
        if !layout.reads_people(doc, sent_index) {
            continue;
        }
        let range = sent.tokens.clone();
        for open in range.clone() {
            if !doc.is_punct(open, '(') {
                continue;
            }
            let mut inner = open + 1;
            if let Some(after) = CALLED
                .iter()
                .filter_map(|p| doc.phrase(inner, range.end, p))
                .max()
            {
                inner = after;
            }
            if !doc.is_punct(inner + 1, ')') || inner + 1 >= range.end {
                continue;
            }
            let abbreviation = doc.tok(inner);
            if !looks_abbreviated(abbreviation) || defined.contains(&fold(abbreviation)) {
                continue;
            }
            let Some((first, skipped)) =
                expansion_before(doc, range.start, open, &letters(abbreviation))
            else {
                continue;
            };
            defined.insert(fold(abbreviation));
            let (span, quote) = builder.sentence(sent_index);
            found.push(AbbreviationDraft {
                abbreviation: abbreviation.to_owned(),
                expansion: gazette_domain::text::normalize_line(doc.text_of(first..open)),
                origin: AbbreviationOrigin::Article,
                span,
                quote,
                confidence: if skipped { 0.8 } else { 0.9 },
            });
        }
    }
    let mut used = HashSet::new();
    for (sent_index, sent) in doc.sents.iter().enumerate() {
        if !layout.reads_people(doc, sent_index) {
            continue;
        }
        for i in sent.tokens.clone() {
            if doc.kind(i) != Some(Kind::Word) {
                continue;
            }
            let token = doc.tok(i);
            if token.chars().filter(|c| c.is_uppercase()).count() < 2 {
                continue;
            }
            let upper = token.to_uppercase();
            let Some((abbreviation, expansion)) = BUILT_IN_ABBREVIATIONS
                .iter()
                .find(|(a, _)| a.to_uppercase() == upper)
            else {
                continue;
            };
            let key = fold(abbreviation);
            if defined.contains(&key) || !used.insert(key) {
                continue;
            }
            let (span, quote) = builder.sentence(sent_index);
            found.push(AbbreviationDraft {
                abbreviation: (*abbreviation).to_owned(),
                expansion: (*expansion).to_owned(),
                origin: AbbreviationOrigin::BuiltIn,
                span,
                quote,
                confidence: 0.9,
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_spell_the_abbreviation() {
        let doc = Doc::new(
            "thực hiện quy chế dân chủ (QCDC) ở cơ sở; Hội đồng Thi đua - Khen thưởng (TĐKT) họp"
                .to_owned(),
        );
        let open = doc.tokens.iter().position(|t| t.folded == "(").unwrap();
        let (first, skipped) = expansion_before(&doc, 0, open, &letters("QCDC")).unwrap();
        assert_eq!(doc.text_of(first..open), "quy chế dân chủ");
        assert!(!skipped);
        let open = doc.tokens.iter().rposition(|t| t.folded == "(").unwrap();
        let (first, _) = expansion_before(&doc, 0, open, &letters("TĐKT")).unwrap();
        assert_eq!(doc.text_of(first..open), "Thi đua - Khen thưởng");
        assert!(expansion_before(&doc, 0, open, &letters("XYZ")).is_none());
    }

    #[test]
    fn abbreviation_shapes() {
        assert!(looks_abbreviated("QCDC"));
        assert!(looks_abbreviated("TTg"));
        assert!(!looks_abbreviated("Ảnh"));
        assert!(!looks_abbreviated("A"));
    }
}
