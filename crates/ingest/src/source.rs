//! The article's layout and its source fields: date line, headline, dateline marker, byline,
//! photo credits, URL; and which paragraphs the other recognizers read (the body and the
//! headline, without boilerplate, bylines or paragraphs a scraper repeated).

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use chrono::NaiveDate;
use gazette_domain::date::{PartialDate, PartialDateTime};
use gazette_domain::text::{fold, normalize_line};

use crate::SourceHint;
use crate::dates::date_line;
use crate::draft::{Field, PublisherDraft, PublisherEvidence, SourceDraft, Warning};
use crate::lexicon;
use crate::org::{Unit, UnitKind};
use crate::publisher::PublisherTable;
use crate::tokens::{Doc, Kind, Phrase};

/// What a paragraph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParaKind {
    /// Part of the headline.
    Title,
    /// The publication date line.
    DateLine,
    /// Body text.
    Body,
    /// The byline.
    Byline,
    /// Site furniture ("Chia sẻ bài viết", a source link).
    Boilerplate,
    /// A paragraph repeated verbatim (scrapers duplicate captions and leads).
    Duplicate,
}

/// The article's layout.
#[derive(Debug)]
pub(crate) struct Layout {
    /// What each paragraph is.
    pub kinds: Vec<ParaKind>,
    /// The publication date, from the date line.
    pub published: Option<NaiveDate>,
}

impl Layout {
    /// Whether the recognizers of people read this sentence (headline and body).
    pub(crate) fn reads_people(&self, doc: &Doc, sent: usize) -> bool {
        self.kind_of(doc, sent)
            .is_some_and(|k| matches!(k, ParaKind::Body | ParaKind::Title))
    }

    /// Whether this sentence is body text.
    pub(crate) fn is_body(&self, doc: &Doc, sent: usize) -> bool {
        self.kind_of(doc, sent) == Some(ParaKind::Body)
    }

    /// Whether this sentence is in the headline.
    pub(crate) fn is_title(&self, doc: &Doc, sent: usize) -> bool {
        self.kind_of(doc, sent) == Some(ParaKind::Title)
    }

    fn kind_of(&self, doc: &Doc, sent: usize) -> Option<ParaKind> {
        let para = doc.sents.get(sent)?.para;
        self.kinds.get(para).copied()
    }
}

/// The longest headline line, in characters; a longer first line is body text.
const MAX_TITLE_CHARS: usize = 300;

/// How many paragraphs from the top a date line or headline may be.
const HEAD_PARAGRAPHS: usize = 6;

/// Lines of site furniture, folded (matched on the whole line or its start).
static BOILERPLATE: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    lexicon::folded(&[
        "chia sẻ bài viết",
        "chia sẻ",
        "xem chi tiết văn bản tại đây",
        "xem chi tiết",
        "tags",
        "từ khóa",
        "in bài viết",
        "in bài",
        "bình luận",
        "gửi bình luận",
        "tin liên quan",
        "bài liên quan",
        "quay lại",
        "lên đầu trang",
        "đầu trang",
        "theo dõi",
        "nguồn",
    ])
});

/// Labels that introduce a byline.
static BYLINE_LABELS: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    lexicon::folded(&[
        "tin, ảnh",
        "tin và ảnh",
        "bài, ảnh",
        "bài và ảnh",
        "bài, ảnh, clip",
        "tin, ảnh, clip",
        "bài và ảnh, clip",
        "tin",
        "bài",
        "tin, video",
        "bài, video",
        "tin, bài",
        "nhóm phóng viên",
    ])
});

/// "Ảnh" as in a photo credit (exact: not "anh").
static PHOTO: LazyLock<Phrase> = LazyLock::new(|| Phrase::exact("ảnh"));

/// Whether a paragraph holds a URL.
fn url_in(doc: &Doc, tokens: Range<usize>) -> Option<(String, Range<usize>)> {
    tokens.clone().find_map(|i| {
        let text = doc.tok(i);
        let lower = text.to_lowercase();
        if !(lower.starts_with("http") && doc.tok(i + 1) == ":") {
            return None;
        }
        // "http" ":" "//host/path" tokenizes in pieces; the URL runs to the next space.
        let start = doc.tokens.get(i)?.bytes.start;
        let rest = doc.text.get(start..)?;
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let url = rest.get(..end)?.trim_end_matches(['.', ',', ')', ';']);
        let last = (i..tokens.end)
            .take_while(|&k| {
                doc.tokens
                    .get(k)
                    .is_some_and(|t| t.bytes.start < start + end)
            })
            .last()
            .unwrap_or(i);
        Some((url.to_owned(), i..last + 1))
    })
}

/// Reads the layout and the source fields.
pub(crate) fn read(
    doc: &Doc,
    hint: &SourceHint,
    table: &PublisherTable,
    warnings: &mut Vec<Warning>,
) -> (Layout, SourceDraft, Option<Unit>) {
    let mut kinds = vec![ParaKind::Body; doc.paras.len()];
    let mut source = SourceDraft::default();

    // Repeated paragraphs.
    let mut seen = HashSet::new();
    for (index, para) in doc.paras.iter().enumerate() {
        let text = fold(doc.text_of(para.tokens.clone()));
        if text.chars().count() >= 20 && !seen.insert(text) {
            kinds[index] = ParaKind::Duplicate;
        }
    }

    // Boilerplate and URLs.
    let mut text_url = None;
    for (index, para) in doc.paras.iter().enumerate() {
        let url = url_in(doc, para.tokens.clone());
        let furniture = BOILERPLATE
            .iter()
            .any(|p| doc.phrase(para.tokens.start, para.tokens.end, p).is_some())
            && para.tokens.len() <= 12;
        let only_url = url
            .as_ref()
            .is_some_and(|(_, range)| range.start == para.tokens.start);
        if furniture || only_url {
            kinds[index] = ParaKind::Boilerplate;
        }
        if text_url.is_none()
            && let Some(found) = url
        {
            text_url = Some(found);
        }
    }

    // The date line.
    let mut published = None;
    for (index, para) in doc.paras.iter().enumerate().take(HEAD_PARAGRAPHS) {
        if kinds[index] != ParaKind::Body {
            continue;
        }
        if let Some((date, time)) = date_line(doc, para.tokens.clone()) {
            kinds[index] = ParaKind::DateLine;
            published = Some(date);
            let value = PartialDateTime::new(PartialDate::from(date), time)
                .unwrap_or_else(|_| PartialDate::from(date).into());
            source.published_at = Some(Field {
                value,
                span: Some(doc.span_of(para.tokens.clone())),
                quote: Some(doc.text_of(para.tokens.clone()).to_owned()),
                confidence: if time.is_some() { 0.95 } else { 0.85 },
            });
            break;
        }
    }

    // The headline: the first paragraph that is not the date line, joined with the next when it
    // is a kicker ending in a colon.
    let head: Vec<usize> = (0..doc.paras.len())
        .take(HEAD_PARAGRAPHS)
        .filter(|&i| kinds[i] == ParaKind::Body)
        .collect();
    // A text of one paragraph has no headline: that paragraph is the report.
    let body_paragraphs = kinds.iter().filter(|k| **k == ParaKind::Body).count();
    if let Some(&first) = head.first()
        && body_paragraphs > 1
        && let Some(para) = doc.paras.get(first)
        && is_headline(doc, para.tokens.clone())
    {
        let mut title_paras = vec![first];
        let ends_with_colon = para
            .tokens
            .end
            .checked_sub(1)
            .is_some_and(|last| doc.is_punct(last, ':'));
        if ends_with_colon
            && let Some(&next) = head.get(1)
            && let Some(next_para) = doc.paras.get(next)
            && is_headline(doc, next_para.tokens.clone())
        {
            title_paras.push(next);
        }
        let text = title_paras
            .iter()
            .filter_map(|&i| doc.paras.get(i))
            .map(|p| normalize_line(doc.text_of(p.tokens.clone())))
            .collect::<Vec<_>>()
            .join(" ");
        // A headline printed with a final period ("... kiến nghị cử tri.") is stored without it.
        let text = match text.strip_suffix('.') {
            Some(stripped) if !stripped.ends_with('.') => stripped.to_owned(),
            _ => text,
        };
        let first_token = para.tokens.start;
        let last_token = title_paras
            .last()
            .and_then(|&i| doc.paras.get(i))
            .map_or(para.tokens.end, |p| p.tokens.end);
        for &i in &title_paras {
            kinds[i] = ParaKind::Title;
        }
        source.title = Some(Field {
            value: text,
            span: Some(doc.span_of(first_token..last_token)),
            quote: Some(doc.text_of(first_token..last_token).to_owned()),
            confidence: 0.8,
        });
    }

    // The byline: the last paragraph that is not furniture, when it is short and name-like or
    // labelled.
    let mut byline_para = None;
    for index in (0..doc.paras.len()).rev() {
        match kinds[index] {
            ParaKind::Boilerplate | ParaKind::Duplicate => continue,
            ParaKind::Body => {
                if let Some(para) = doc.paras.get(index)
                    && let Some((value, confidence)) = byline(doc, para.tokens.clone())
                {
                    kinds[index] = ParaKind::Byline;
                    byline_para = Some(index);
                    source.byline = Some(Field {
                        value,
                        span: Some(doc.span_of(para.tokens.clone())),
                        quote: Some(doc.text_of(para.tokens.clone()).to_owned()),
                        confidence,
                    });
                }
                break;
            }
            _ => break,
        }
    }

    // Photo credits: "Ảnh: NGỌC QUYÊN" anywhere but the byline.
    let mut credits_seen = HashSet::new();
    for (index, para) in doc.paras.iter().enumerate() {
        if Some(index) == byline_para || kinds[index] == ParaKind::Duplicate {
            continue;
        }
        let mut i = para.tokens.start;
        while i < para.tokens.end {
            if let Some(after) = doc.phrase(i, para.tokens.end, &PHOTO)
                && doc.is_punct(after, ':')
                && (i == para.tokens.start || !doc.is_punct(i - 1, ','))
            {
                let start = after + 1;
                let mut end = start;
                while end < para.tokens.end && end - start < 6 && doc.is_cap(end) {
                    end += 1;
                }
                if end > start {
                    let value = normalize_line(doc.text_of(start..end));
                    if credits_seen.insert(fold(&value)) {
                        source.photo_credits.push(Field {
                            value,
                            span: Some(doc.span_of(i..end)),
                            quote: Some(doc.text_of(i..end).to_owned()),
                            confidence: 0.9,
                        });
                    }
                }
                i = end.max(start);
                continue;
            }
            i += 1;
        }
    }

    // The publisher: the caller's word, a dateline marker, or the URL.
    let marker = dateline_marker(doc, &kinds);
    let hint_url = hint.url.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let url = hint_url
        .map(|u| (u.to_owned(), None))
        .or_else(|| text_url.map(|(u, range)| (u, Some(range))));
    if let Some((value, range)) = &url {
        source.url = Some(Field {
            value: value.clone(),
            span: range.clone().map(|r| doc.span_of(r)),
            quote: range.clone().map(|r| doc.text_of(r).to_owned()),
            confidence: if range.is_some() { 0.8 } else { 1.0 },
        });
    }
    let mut locality = None;
    let hint_publisher = hint
        .publisher
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    if let Some(name) = hint_publisher {
        let entry = table.by_name(name);
        locality = entry.and_then(|p| p.locality.clone());
        source.publisher = Some(PublisherDraft {
            name: Some(name.to_owned()),
            marker: marker.as_ref().map(|(m, _)| m.clone()),
            found_by: PublisherEvidence::Hint,
            span: None,
            quote: None,
            confidence: 1.0,
        });
        if let Some((written, _)) = &marker
            && let Some(by_marker) = table.by_marker(written)
            && fold(&by_marker.name) != fold(name)
        {
            warnings.push(Warning {
                code: "publisher_conflict".to_owned(),
                message: format!(
                    "the caller names the publisher \"{name}\", but the dateline marker \"{written}\" is {}'s",
                    by_marker.name
                ),
                span: None,
            });
        }
    } else if let Some((written, range)) = &marker {
        let entry = table.by_marker(written);
        locality = entry.and_then(|p| p.locality.clone());
        if entry.is_none() {
            warnings.push(Warning {
                code: "unknown_dateline_marker".to_owned(),
                message: format!(
                    "the dateline marker \"{written}\" is not in the publisher table; add it with --publishers FILE"
                ),
                span: Some(doc.span_of(range.clone())),
            });
        }
        source.publisher = Some(PublisherDraft {
            name: entry.map(|p| p.name.clone()),
            marker: Some(written.clone()),
            found_by: PublisherEvidence::DatelineMarker,
            span: Some(doc.span_of(range.clone())),
            quote: Some(doc.text_of(range.clone()).to_owned()),
            confidence: if entry.is_some() { 0.9 } else { 0.5 },
        });
    } else if let Some((value, range)) = &url
        && let Some(entry) = table.by_url(value)
    {
        locality = entry.locality.clone();
        source.publisher = Some(PublisherDraft {
            name: Some(entry.name.clone()),
            marker: None,
            found_by: PublisherEvidence::Url,
            span: range.clone().map(|r| doc.span_of(r)),
            quote: range.clone().map(|r| doc.text_of(r).to_owned()),
            confidence: 0.85,
        });
    }
    if let Some(title) = hint
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        source.title = Some(Field {
            value: normalize_line(title),
            span: None,
            quote: None,
            confidence: 1.0,
        });
    }
    if source.published_at.is_none() && !doc.paras.is_empty() {
        warnings.push(Warning {
            code: "no_publication_date".to_owned(),
            message: "no date line was found, so dates without a year take it from other dates in the article, or stay empty".to_owned(),
            span: None,
        });
    }
    let locality_unit = locality.and_then(|l| {
        Some(Unit {
            kind: UnitKind::from_word(&l.unit)?,
            place: Some(l.name),
        })
    });
    (Layout { kinds, published }, source, locality_unit)
}

/// Whether a paragraph can be (part of) a headline: short, one sentence, and not opening the
/// way a report's body does (a dateline marker, or a date: "Ngày 15-1-2021, ...").
fn is_headline(doc: &Doc, tokens: Range<usize>) -> bool {
    let chars = doc.span_of(tokens.clone());
    let sentences = doc
        .sents
        .iter()
        .filter(|s| s.tokens.start >= tokens.start && s.tokens.end <= tokens.end)
        .take(2)
        .count();
    chars.end - chars.start <= MAX_TITLE_CHARS
        && sentences <= 1
        && !doc.is_punct(tokens.start, '(')
        && !(doc.is_upper(tokens.start) && doc.is_dash(tokens.start + 1))
        && crate::dates::date_at(doc, tokens.start, tokens.end).is_none()
}

/// Reads a byline paragraph: "Tin, ảnh: THANH THY", "PV", "THANH HẢI", "Văn Hải", "TS (tổng
/// hợp)". Returns the name and the confidence.
fn byline(doc: &Doc, tokens: Range<usize>) -> Option<(String, f64)> {
    if let Some(after) = BYLINE_LABELS
        .iter()
        .filter_map(|p| doc.phrase(tokens.start, tokens.end, p))
        .max()
        && doc.is_punct(after, ':')
    {
        let start = after + 1;
        let end = name_run_end(doc, start, tokens.end);
        if end > start && end - start <= 8 {
            return Some((normalize_line(doc.text_of(start..end)), 0.95));
        }
        return None;
    }
    // A bare name: up to six capitalized words, then at most a parenthetical ("(tổng hợp)").
    let end = name_run_end(doc, tokens.start, tokens.end);
    let count = end - tokens.start;
    if count == 0 || count > 6 {
        return None;
    }
    let rest_ok = end == tokens.end
        || (doc.is_punct(end, '(')
            && tokens
                .end
                .checked_sub(1)
                .is_some_and(|last| doc.is_punct(last, ')'))
            && tokens.end - end <= 6);
    if !rest_ok {
        return None;
    }
    let value = normalize_line(doc.text_of(tokens.start..end));
    if value.chars().count() > 50 {
        return None;
    }
    Some((value, 0.75))
}

/// The end of a run of capitalized words (and "-" between them).
fn name_run_end(doc: &Doc, start: usize, limit: usize) -> usize {
    let mut end = start;
    while end < limit
        && (doc.is_cap(end) || (end > start && doc.is_dash(end) && doc.is_cap(end + 1)))
    {
        end += 1;
    }
    end
}

/// Finds a dateline marker at the start of the first body paragraphs: "(CT) -", "(BĐK.VN) –",
/// "BHG -". Returns the marker as written (without parentheses) and its tokens.
fn dateline_marker(doc: &Doc, kinds: &[ParaKind]) -> Option<(String, Range<usize>)> {
    let body = kinds
        .iter()
        .enumerate()
        .filter(|(_, k)| **k == ParaKind::Body)
        .map(|(i, _)| i)
        .take(3);
    for index in body {
        let para = doc.paras.get(index)?;
        let start = para.tokens.start;
        let limit = para.tokens.end;
        if doc.is_punct(start, '(') {
            let close = (start + 1..limit.min(start + 6)).find(|&k| doc.is_punct(k, ')'))?;
            let inner = doc.text_of(start + 1..close);
            let marker_ok = close > start + 1
                && inner.chars().count() <= 20
                && inner.chars().any(char::is_uppercase)
                && (start + 1..close).all(|k| {
                    doc.kind(k) != Some(Kind::Punct)
                        || doc.is_punct(k, '.')
                        || doc.is_punct(k, '/')
                        || doc.is_punct(k, '+')
                });
            if marker_ok && (doc.is_dash(close + 1) || doc.is_punct(close + 1, ':')) {
                return Some((inner.to_owned(), start..close + 1));
            }
        } else if doc.is_upper(start)
            && doc.tok(start).chars().count() >= 2
            && doc.is_dash(start + 1)
            && start + 1 < limit
        {
            return Some((doc.tok(start).to_owned(), start..start + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn byline_of(text: &str) -> Option<(String, f64)> {
        let doc = Doc::new(text.to_owned());
        byline(&doc, 0..doc.tokens.len())
    }

    #[test]
    fn bylines_in_the_press_forms() {
        assert_eq!(byline_of("Tin, ảnh: THANH THY").unwrap().0, "THANH THY");
        assert_eq!(byline_of("Bài và ảnh: Minh Anh").unwrap().0, "Minh Anh");
        assert_eq!(byline_of("PV").unwrap().0, "PV");
        assert_eq!(byline_of("THANH HẢI").unwrap().0, "THANH HẢI");
        assert_eq!(byline_of("Văn Hải").unwrap().0, "Văn Hải");
        assert_eq!(byline_of("TS (tổng hợp)").unwrap().0, "TS");
        assert!(byline_of("Các đại biểu phát biểu tại cuộc họp").is_none());
        assert!(byline_of("Ban có 6 phòng và tương đương.").is_none());
    }

    #[test]
    fn the_layout_reads_date_line_headline_byline_and_credit() {
        let doc = Doc::new(
            "16/01/2021 - 05:59\n\nĐồng chí A, Bí thư:\n\nTiêu đề\n\n(CT) - Ngày 15-1, ...\n\nChú thích. Ảnh: NGỌC QUYÊN\n\nTin, ảnh: THANH THY\n\nChia sẻ bài viết"
                .to_owned(),
        );
        let mut warnings = Vec::new();
        let (layout, source, locality) = read(
            &doc,
            &SourceHint::default(),
            &PublisherTable::builtin(),
            &mut warnings,
        );
        assert_eq!(layout.published.unwrap().to_string(), "2021-01-16");
        assert_eq!(source.title.unwrap().value, "Đồng chí A, Bí thư: Tiêu đề");
        assert_eq!(source.byline.unwrap().value, "THANH THY");
        assert_eq!(source.photo_credits[0].value, "NGỌC QUYÊN");
        assert_eq!(
            source.publisher.unwrap().name.as_deref(),
            Some("Báo Cần Thơ")
        );
        assert_eq!(locality.unwrap().place.as_deref(), Some("Cần Thơ"));
        assert!(warnings.is_empty(), "{warnings:?}");
    }
}
