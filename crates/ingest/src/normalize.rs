//! The one text every offset in a draft points into.
//!
//! Articles arrive pasted from CMSs and scrapers: NFC or NFD, Windows or old-Mac line endings,
//! non-breaking spaces, zero-width joiners, a byte-order mark, and the Icelandic 'Ð' some CMSs
//! emit in place of 'Đ'. [`normalize`] maps all of these to one form, so that a reader (or the
//! GraphQL client) can cut a draft item's `span` out of `normalize(text)` and see the words it came
//! from. Tone placement ("Hoà"/"Hòa") and case are kept as written; matching ignores them through
//! the folded and exact keys of each token (see [`crate::tokens`]).

use unicode_normalization::UnicodeNormalization;

/// Normalizes an article's text: NFC; "\r\n", lone "\r", U+0085, U+2028 and U+2029 become "\n";
/// every other whitespace or control character becomes a space; zero-width characters and the
/// byte-order mark are dropped; 'Ð'/'ð' (U+00D0/U+00F0) and 'Ɖ'/'ɖ' become 'Đ'/'đ'.
///
/// Character offsets (`span`) in a draft count the characters of this string. Runs in time
/// linear in the input.
#[must_use]
pub fn normalize(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut after_carriage_return = false;
    for c in input.nfc() {
        let was_carriage_return = after_carriage_return;
        after_carriage_return = false;
        match c {
            '\r' => {
                out.push('\n');
                after_carriage_return = true;
            }
            // The second half of a "\r\n" pair: the '\n' was already written.
            '\n' if was_carriage_return => {}
            '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{ad}' => {}
            // Look-alikes of Đ that Vietnamese never uses, emitted by some newspaper CMSs.
            'Ð' | 'Ɖ' => out.push('Đ'),
            'ð' | 'ɖ' => out.push('đ'),
            c if c.is_whitespace() || c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_spaces_and_look_alikes_are_unified() {
        assert_eq!(normalize("a\r\nb\rc\u{2028}d"), "a\nb\nc\nd");
        assert_eq!(normalize("\u{feff}HÐND\u{a0}thành\tphố"), "HĐND thành phố");
        assert_eq!(normalize("Ɖ\u{200b}ð"), "Đđ");
    }

    #[test]
    fn decomposed_text_is_composed() {
        let nfd: String = "Trần Việt Trường".nfd().collect();
        assert_eq!(normalize(&nfd), "Trần Việt Trường");
    }
}
