//! Directives: a speaker, a verb ("đề nghị", "yêu cầu", "giao", "chỉ đạo"), the addressees and
//! the instructions, one task each.
//!
//! The directive sentence is one where a person (or a post holder) is followed by a directive
//! verb; its kind comes from what precedes ("Phát biểu chỉ đạo" → directing speech, "kết luận"
//! → conclusions). What follows the verb is addressees up to the first instruction verb, then
//! instructions split on the article's own structure: semicolons and "đồng thời". The sentences
//! after it in the same paragraph continue it when they open with "Trong đó", "Đồng thời", a
//! directive verb ("Giao Văn phòng ..."), or a subject group and an instruction verb ("Mặt trận
//! và các tổ chức chính trị - xã hội tiếp tục ...").

use std::ops::Range;
use std::sync::LazyLock;

use gazette_domain::award::number::DocumentNumber;
use gazette_domain::date::PartialDate;
use gazette_domain::directive::DirectiveKind;
use gazette_domain::text::{fold, normalize_line};

use crate::article::Article;
use crate::builder::{Builder, round};
use crate::dates::date_at;
use crate::draft::{AddresseeDraft, DirectiveDraft, ParticipantDraft, TaskDraft};
use crate::lexicon::{
    self, ADVERBIAL_OPENERS, CONTINUATION_MARKERS, DIRECTIVE_VERBS, TASK_VERBS, UNIT_NOUNS,
};
use crate::org::{After, capitalize_first, org_at};
use crate::people::MentionKind;
use crate::tokens::{Doc, Kind, Phrase, exact_key};

/// How far after a verb the first instruction verb may be.
const MAX_ADDRESSEE_TOKENS: usize = 45;

/// How long a continuation sentence's subject may be.
const MAX_SUBJECT_TOKENS: usize = 22;

static DIRECTING_SPEECH: LazyLock<Phrase> = LazyLock::new(|| Phrase::folded("phát biểu chỉ đạo"));
static CONCLUSION: LazyLock<Phrase> = LazyLock::new(|| Phrase::folded("kết luận"));
static DONG_THOI: LazyLock<Phrase> = LazyLock::new(|| Phrase::folded("đồng thời"));
static AND: LazyLock<Phrase> = LazyLock::new(|| Phrase::folded("và"));
static DEADLINE_WORDS: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    let mut words = lexicon::exact(&["trước", "chậm nhất", "hạn chót", "xong trước"]);
    words.extend(lexicon::folded(&[
        "chậm nhất là",
        "chậm nhất trước",
        "trong thời hạn đến",
    ]));
    words
});
static NOT_AFTER: LazyLock<Vec<Phrase>> =
    LazyLock::new(|| lexicon::folded(&["của", "này", "đó", "nêu trên"]));
static NOT_BEFORE: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    [
        "duoc",
        "xet",
        "cac",
        "nhung",
        "y kien",
        "thu tuc",
        "ho so",
        "theo",
        "tiep nhan",
    ]
    .into_iter()
    .collect()
});
static MEETING_OBJECTS: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    lexicon::folded(&[
        "hội nghị",
        "cuộc họp",
        "buổi làm việc",
        "kỳ họp",
        "đại hội",
        "phiên họp",
    ])
});
static SAME_AS_ORGANIZATION: LazyLock<Vec<Phrase>> =
    LazyLock::new(|| lexicon::folded(&["chính trị", "xã hội", "đoàn thể", "hội", "cơ sở", "đảng"]));

/// Whether token `i` begins an instruction verb.
fn task_verb(doc: &Doc, i: usize, limit: usize) -> Option<usize> {
    let (_, end, phrase) = doc.longest(i, limit, &TASK_VERBS)?;
    // "các tổ chức chính trị - xã hội" is a group, not the verb "tổ chức".
    if phrase.words == ["to", "chuc"] {
        let before = i.checked_sub(1).map(|b| doc.folded(b)).unwrap_or("");
        if matches!(before, "cac" | "nhung" | "moi" | "mot")
            || SAME_AS_ORGANIZATION
                .iter()
                .any(|p| doc.phrase(end, limit, p).is_some())
        {
            return None;
        }
    }
    Some(end)
}

/// The first instruction verb at or after `from`, skipping organization names, before a
/// semicolon or the limit.
fn first_task_verb(article: &Article<'_>, from: usize, limit: usize, max: usize) -> Option<usize> {
    let doc = article.doc;
    let mut p = from;
    while p < limit && p - from < max {
        if doc.is_punct(p, ';') || doc.is_punct(p, '.') {
            return None;
        }
        if task_verb(doc, p, limit).is_some() {
            return Some(p);
        }
        if let Some(found) = org_at(doc, p, limit, After::Place, article.context) {
            p = found.end.max(p + 1);
            continue;
        }
        p += 1;
    }
    None
}

/// Whether a group is a bare unit noun that belongs to the previous group ("các phòng, ban,
/// ngành": "ban" and "ngành" share "các phòng"'s "các").
fn is_bare_unit(doc: &Doc, range: &Range<usize>) -> bool {
    range.len() <= 3
        && UNIT_NOUNS.iter().any(|noun| {
            let words: Vec<&str> = noun.split(' ').collect();
            words
                .iter()
                .enumerate()
                .all(|(k, w)| doc.folded(range.start + k) == *w)
        })
}

/// Whether a group ends with a unit noun.
fn ends_with_unit(doc: &Doc, range: &Range<usize>) -> bool {
    UNIT_NOUNS.iter().any(|noun| {
        let words: Vec<&str> = noun.split(' ').collect();
        range.len() >= words.len()
            && words
                .iter()
                .enumerate()
                .all(|(k, w)| doc.folded(range.end - words.len() + k) == *w)
    })
}

/// Splits an addressee phrase into groups on commas and "và", keeping organization names whole
/// ("Văn phòng HĐND và UBND Thành phố") and unit nouns with their "các".
fn groups(
    article: &Article<'_>,
    builder: &mut Builder<'_>,
    range: Range<usize>,
    sent: usize,
) -> Vec<AddresseeDraft> {
    let doc = article.doc;
    let mut spans: Vec<(Range<usize>, Option<crate::org::OrgMatch>)> = Vec::new();
    let mut p = range.start;
    while p < range.end {
        if doc.is_punct(p, ',') || doc.phrase(p, range.end, &AND).is_some() {
            p += 1;
            continue;
        }
        let start = p;
        let org =
            org_at(doc, p, range.end, After::Place, article.context).filter(|m| m.end <= range.end);
        let mut end = org.as_ref().map_or(p + 1, |m| m.end);
        while end < range.end
            && !doc.is_punct(end, ',')
            && doc.phrase(end, range.end, &AND).is_none()
        {
            end += 1;
        }
        spans.push((start..end, org));
        p = end;
    }
    let mut merged: Vec<(Range<usize>, Option<crate::org::OrgMatch>)> = Vec::new();
    for (span, org) in spans {
        match merged.last_mut() {
            Some((previous, _)) if is_bare_unit(doc, &span) && ends_with_unit(doc, previous) => {
                previous.end = span.end;
            }
            _ => merged.push((span, org)),
        }
    }
    merged
        .into_iter()
        .filter(|(span, _)| !span.is_empty())
        .map(|(span, org)| {
            let name = normalize_line(doc.text_of(span.clone()));
            let organization = org.filter(|m| !m.plural).map(|m| {
                let written = normalize_line(doc.text_of(m.start..m.end));
                builder.organization(&m.spec, &written, sent, None).0
            });
            AddresseeDraft { name, organization }
        })
        .collect()
}

/// A deadline in an instruction: "trước 10/9/2022", "chậm nhất ngày 30-9".
fn deadline(
    article: &Article<'_>,
    builder: &mut Builder<'_>,
    range: Range<usize>,
) -> (Option<PartialDate>, Option<String>) {
    let doc = article.doc;
    for k in range.clone() {
        let Some(after) = DEADLINE_WORDS
            .iter()
            .filter_map(|p| doc.phrase(k, range.end, p))
            .max()
        else {
            continue;
        };
        if let Some(expr) = date_at(doc, after, range.end) {
            let at = expr.tokens.end.saturating_sub(1);
            let date = article.date(expr.date, at, builder);
            return (date, Some(doc.text_of(k..expr.tokens.end).to_owned()));
        }
    }
    (None, None)
}

/// Splits instructions on semicolons and "đồng thời" and builds a task from each.
fn tasks(
    article: &Article<'_>,
    builder: &mut Builder<'_>,
    range: Range<usize>,
    addressees: &[AddresseeDraft],
) -> Vec<TaskDraft> {
    let doc = article.doc;
    let mut clauses: Vec<Range<usize>> = Vec::new();
    let mut start = range.start;
    let mut k = range.start;
    while k < range.end {
        if doc.is_punct(k, ';') {
            clauses.push(start..k);
            start = k + 1;
        } else if k > start
            && doc.phrase(k, range.end, &DONG_THOI).is_some()
            && (doc.is_punct(k - 1, ',') || k == start)
        {
            clauses.push(start..k);
            start = k;
        }
        k += 1;
    }
    clauses.push(start..range.end);
    let mut out = Vec::new();
    for clause in clauses {
        let mut s = clause.start;
        let mut e = clause.end;
        loop {
            if s < e && (doc.kind(s) == Some(Kind::Punct)) {
                s += 1;
            } else if let Some(next) = doc.phrase(s, e, &DONG_THOI) {
                s = next;
            } else {
                break;
            }
        }
        while e > s
            && doc.kind(e - 1) == Some(Kind::Punct)
            && !doc.is_punct(e - 1, ')')
            && !doc.is_punct(e - 1, '”')
        {
            e -= 1;
        }
        if e <= s || !(s..e).any(|t| doc.is_word(t)) {
            continue;
        }
        let text = capitalize_first(&normalize_line(doc.text_of(s..e)));
        let (due, due_text) = deadline(article, builder, s..e);
        out.push(TaskDraft {
            text,
            addressees: addressees.to_vec(),
            deadline: due,
            deadline_text: due_text,
            span: doc.span_of(s..e),
            quote: doc.text_of(s..e).to_owned(),
            confidence: 0.8,
        });
    }
    out
}

/// A directive verb at `v` in a sentence, if it is used as one: not "đề nghị của", not "được
/// giao", not at the end of the sentence.
fn directive_verb(doc: &Doc, v: usize, limit: usize) -> Option<usize> {
    let end = DIRECTIVE_VERBS
        .iter()
        .find_map(|p| doc.phrase(v, limit, p))?;
    if end >= limit || doc.kind(end) == Some(Kind::Punct) && !doc.is_punct(end, ':') {
        return None;
    }
    // "dự và chỉ đạo hội nghị": attending and directing the meeting, not an instruction.
    if doc.folded(v) == "chi"
        && (MEETING_OBJECTS
            .iter()
            .any(|p| doc.phrase(end, limit, p).is_some())
            || (v >= 2 && doc.folded(v - 1) == "va" && doc.exact(v - 2) == exact_key("dự")))
    {
        return None;
    }
    if NOT_AFTER
        .iter()
        .any(|p| doc.phrase(end, limit, p).is_some())
    {
        return None;
    }
    let before = v.checked_sub(1).map(|b| doc.folded(b)).unwrap_or("");
    let before_two = v
        .checked_sub(2)
        .map(|b| format!("{} {}", doc.folded(b), doc.folded(b + 1)))
        .unwrap_or_default();
    if NOT_BEFORE.contains(&before) || NOT_BEFORE.contains(&before_two.as_str()) {
        return None;
    }
    Some(end)
}

/// A document an event was issued in: "ký văn bản số 5120/UBND-KSTT", "ban hành Quyết định số
/// 983-QĐ/TU", with the date of the sentence.
#[derive(Debug, Clone)]
pub(crate) struct DocumentEvent {
    /// The sentence.
    pub sent: usize,
    /// The number.
    pub number: Option<DocumentNumber>,
    /// The date.
    pub date: Option<PartialDate>,
}

/// Finds "số <number>" after a signing or issuing verb, with the sentence's "ngày <date>".
pub(crate) fn document_events(
    article: &Article<'_>,
    builder: &mut Builder<'_>,
) -> Vec<DocumentEvent> {
    static ISSUE: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
        let mut verbs = lexicon::folded(&["ban hành", "ký ban hành"]);
        verbs.push(Phrase::exact("ký"));
        verbs
    });
    static SO: LazyLock<Phrase> = LazyLock::new(|| Phrase::exact("số"));
    let doc = article.doc;
    let mut events = Vec::new();
    for s in 0..doc.sents.len() {
        if !article.layout.is_body(doc, s) {
            continue;
        }
        let Some(range) = doc.sents.get(s).map(|x| x.tokens.clone()) else {
            continue;
        };
        let Some(verb_end) =
            (range.clone()).find_map(|k| ISSUE.iter().find_map(|p| doc.phrase(k, range.end, p)))
        else {
            continue;
        };
        let Some(number_at) = (verb_end..range.end.min(verb_end + 5))
            .find_map(|k| doc.phrase(k, range.end, &SO))
            .filter(|&n| doc.kind(n) == Some(Kind::Number))
        else {
            continue;
        };
        let number = DocumentNumber::parse(doc.tok(number_at)).ok();
        // The date nearest before the verb ("ngày 3-8, Chủ tịch ... đã ký").
        let date = (range.start..verb_end)
            .rev()
            .find_map(|k| {
                let expr = date_at(doc, k, range.end)?;
                (expr.tokens.start == k && matches!(doc.folded(k), "ngay" | "hom")
                    || k == range.start)
                    .then_some(expr)
            })
            .and_then(|expr| {
                let at = expr.tokens.end.saturating_sub(1);
                article.date(expr.date, at, builder)
            });
        events.push(DocumentEvent {
            sent: s,
            number,
            date,
        });
    }
    events
}

/// What the directives recognizer needs from the rest of the article.
pub(crate) struct Setting<'e> {
    /// The meeting's sentence and date, when there is a meeting.
    pub meeting: Option<(usize, Option<PartialDate>)>,
    /// Documents issued, for directives given in one.
    pub documents: &'e [DocumentEvent],
}

/// Finds the directives. Returns them and the sentences they consumed.
pub(crate) fn directives(
    article: &Article<'_>,
    builder: &mut Builder<'_>,
    setting: &Setting<'_>,
) -> (Vec<DirectiveDraft>, Vec<bool>) {
    let doc = article.doc;
    let mut consumed = vec![false; doc.sents.len()];
    let mut out = Vec::new();
    let mut s = 0;
    while s < doc.sents.len() {
        if !article.layout.is_body(doc, s) || consumed[s] {
            s += 1;
            continue;
        }
        let Some(range) = doc.sents.get(s).map(|x| x.tokens.clone()) else {
            break;
        };
        // The first directive verb with a speaker before it.
        let found = range.clone().find_map(|v| {
            let end = directive_verb(doc, v, range.end)?;
            let speaker = article.mentions_of(s).iter().rfind(|m| {
                m.tokens.end <= v
                    && matches!(m.kind, MentionKind::Person { .. } | MentionKind::TitleOnly)
            })?;
            Some((v, end, speaker.clone()))
        });
        let Some((verb_at, verb_end, speaker_mention)) = found else {
            s += 1;
            continue;
        };
        let speaker: ParticipantDraft = builder.mention(&speaker_mention);
        let kind = if (range.start..verb_at)
            .any(|k| doc.phrase(k, verb_at, &DIRECTING_SPEECH).is_some())
        {
            DirectiveKind::DirectingSpeech
        } else if (range.start..verb_at).any(|k| doc.phrase(k, verb_at, &CONCLUSION).is_some()) {
            DirectiveKind::Conclusion
        } else {
            DirectiveKind::Other
        };
        let verb = doc.text_of(verb_at..verb_end).to_lowercase();
        let (addressees, mut task_list) =
            instructions(article, builder, verb_end, range.end, s, false);
        let mut directive_addressees = addressees;
        consumed[s] = true;
        // Continuation sentences.
        let mut next = s + 1;
        while next < doc.sents.len() {
            let Some(next_range) = doc.sents.get(next).map(|x| x.tokens.clone()) else {
                break;
            };
            let same_paragraph =
                doc.sents.get(next).map(|x| x.para) == doc.sents.get(next - 1).map(|x| x.para);
            if !article.layout.is_body(doc, next) {
                break;
            }
            let has_speaker_verb = next_range.clone().any(|v| {
                directive_verb(doc, v, next_range.end).is_some()
                    && article
                        .mentions_of(next)
                        .iter()
                        .any(|m| m.tokens.end <= v && !matches!(m.kind, MentionKind::Group))
            });
            if has_speaker_verb {
                break;
            }
            let mut p = next_range.start;
            let marker = CONTINUATION_MARKERS
                .iter()
                .find_map(|m| doc.phrase(p, next_range.end, m));
            if let Some(after) = marker {
                p = after;
                if doc.is_punct(p, ',') {
                    p += 1;
                }
            }
            let opens_with_verb = directive_verb(doc, p, next_range.end).is_some();
            if !same_paragraph && marker.is_none() && !opens_with_verb {
                break;
            }
            let continued = if let Some(end) = directive_verb(doc, p, next_range.end)
                .filter(|_| p == next_range.start || marker.is_some())
            {
                let (more, more_tasks) =
                    instructions(article, builder, end, next_range.end, next, true);
                for addressee in more {
                    if !directive_addressees
                        .iter()
                        .any(|a| fold(&a.name) == fold(&addressee.name))
                    {
                        directive_addressees.push(addressee);
                    }
                }
                Some(more_tasks)
            } else {
                match first_task_verb(article, p, next_range.end, MAX_SUBJECT_TOKENS) {
                    Some(k) if k == p => Some(tasks(article, builder, p..next_range.end, &[])),
                    Some(k) if subject_like(article, next, p..k) => {
                        let subject = groups(article, builder, p..k, next);
                        Some(tasks(article, builder, k..next_range.end, &subject))
                    }
                    _ => None,
                }
            };
            match continued {
                Some(mut more) if !more.is_empty() => {
                    task_list.append(&mut more);
                    consumed[next] = true;
                    next += 1;
                }
                _ => break,
            }
        }
        let (at_meeting, date) = match setting.meeting {
            Some((meeting_sent, meeting_date)) if meeting_sent <= s => (true, meeting_date),
            _ => (false, None),
        };
        let document = if at_meeting {
            None
        } else {
            setting.documents.iter().rfind(|d| d.sent <= s)
        };
        let date = date.or_else(|| document.and_then(|d| d.date));
        let mut confidence: f64 = 0.85;
        if task_list.is_empty() {
            confidence -= 0.3;
        }
        if speaker.person.is_none() {
            confidence -= 0.1;
        }
        if document.is_some() {
            confidence -= 0.1;
            builder.warn(
                "directive_in_document",
                "the directive is taken to be part of the document the article reports being issued before it".to_owned(),
                Some(doc.span_of(range.clone())),
            );
        }
        let (span, quote) = builder.sentence(s);
        out.push(DirectiveDraft {
            kind,
            verb,
            speaker: Some(speaker),
            date,
            at_meeting,
            document_number: document.and_then(|d| d.number.clone()),
            addressees: directive_addressees,
            tasks: task_list
                .into_iter()
                .map(|mut t| {
                    t.confidence = round(t.confidence.min(confidence));
                    t
                })
                .collect(),
            span,
            quote,
            confidence: round(confidence),
        });
        s = next;
    }
    (out, consumed)
}

/// Whether `range` of a continuation sentence reads as its subject: a few groups with no
/// person, number or verb of reporting in them.
fn subject_like(article: &Article<'_>, sent: usize, range: Range<usize>) -> bool {
    let doc = article.doc;
    range.len() <= MAX_SUBJECT_TOKENS
        && !range.is_empty()
        && !range.clone().any(|k| {
            doc.kind(k) == Some(Kind::Number)
                || matches!(doc.folded(k), "da" | "duoc" | "la" | "nam")
        })
        && !article
            .mentions_of(sent)
            .iter()
            .any(|m| m.tokens.start < range.end && m.tokens.end > range.start)
}

/// Reads what follows a directive verb: optional adverbial, addressees up to the first
/// instruction verb, and the instructions. The first sentence's tasks carry no addressees of
/// their own (they are the directive's); a later "Giao X ..." gives its tasks X
/// (`tasks_carry_addressees`).
fn instructions(
    article: &Article<'_>,
    builder: &mut Builder<'_>,
    from: usize,
    limit: usize,
    sent: usize,
    tasks_carry_addressees: bool,
) -> (Vec<AddresseeDraft>, Vec<TaskDraft>) {
    let doc = article.doc;
    let mut p = from;
    if doc.is_punct(p, ':') {
        p += 1;
    }
    if ADVERBIAL_OPENERS
        .iter()
        .any(|o| doc.phrase(p, limit, o).is_some())
        && let Some(comma) = (p..limit.min(p + 30)).find(|&k| doc.is_punct(k, ','))
    {
        p = comma + 1;
    }
    match first_task_verb(article, p, limit, MAX_ADDRESSEE_TOKENS) {
        Some(k) if k > p => {
            let addressees = groups(article, builder, p..k, sent);
            let own: Vec<AddresseeDraft> = if tasks_carry_addressees {
                addressees.clone()
            } else {
                Vec::new()
            };
            let list = tasks(article, builder, k..limit, &own);
            (addressees, list)
        }
        _ => (Vec::new(), tasks(article, builder, p..limit, &[])),
    }
}
