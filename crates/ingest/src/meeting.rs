//! The meeting an article reports: the first body sentence that opens with a date ("Ngày
//! 15-1-2021, Ban Thường vụ Thành ủy Cần Thơ tổ chức tổng kết ...", "Chiều 19/01, đồng chí ...
//! chủ trì họp Hội đồng ...") and speaks of meeting; its organizer, kind, title, chairs ("chủ
//! trì", "Chủ trì hội nghị có các đồng chí: ...") and attendees ("Dự có ...").

use std::sync::LazyLock;

use gazette_domain::meeting::MeetingKind;
use gazette_domain::text::normalize_line;

use crate::article::Article;
use crate::builder::{Builder, round};
use crate::dates::date_at;
use crate::draft::{MeetingDraft, ParticipantDraft};
use crate::lexicon;
use crate::org::{After, OrgMatch, capitalize_first, org_at};
use crate::people::MentionKind;
use crate::tokens::Phrase;

/// Words that make a dated sentence a meeting report.
static MEETING_CUES: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    let mut cues = lexicon::folded(&[
        "tổ chức",
        "tổng kết",
        "sơ kết",
        "chủ trì",
        "khai mạc",
        "bế mạc",
        "làm việc",
        "gặp mặt",
        "hội nghị",
        "hội thảo",
        "đại hội",
        "kỳ họp",
        "phiên họp",
        "cuộc họp",
        "tọa đàm",
        "mít tinh",
    ]);
    cues.push(Phrase::exact("họp"));
    cues.push(Phrase::exact("lễ"));
    cues
});

/// Verbs an organizer does ("Ban Thường vụ ... tổ chức", "Huyện ủy ... tổng kết").
static ORGANIZER_VERBS: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    let mut verbs = lexicon::folded(&[
        "tổ chức",
        "tổng kết",
        "sơ kết",
        "khai mạc",
        "gặp mặt",
        "làm việc",
    ]);
    verbs.push(Phrase::exact("họp"));
    verbs
});

/// Nouns naming a meeting, and its kind.
static MEETING_NOUNS: LazyLock<Vec<(Phrase, MeetingKind)>> = LazyLock::new(|| {
    [
        ("hội nghị", MeetingKind::Conference),
        ("hội thảo", MeetingKind::Conference),
        ("tổng kết", MeetingKind::Conference),
        ("sơ kết", MeetingKind::Conference),
        ("kỳ họp", MeetingKind::CouncilSession),
        ("phiên họp", MeetingKind::Meeting),
        ("cuộc họp", MeetingKind::Meeting),
        ("buổi làm việc", MeetingKind::WorkingSession),
        ("làm việc", MeetingKind::WorkingSession),
        ("đại hội", MeetingKind::Congress),
        ("mít tinh", MeetingKind::Ceremony),
        ("gặp mặt", MeetingKind::Ceremony),
    ]
    .into_iter()
    .map(|(text, kind)| (Phrase::folded(text), kind))
    .chain([
        (Phrase::exact("họp"), MeetingKind::Meeting),
        (Phrase::exact("lễ"), MeetingKind::Ceremony),
    ])
    .collect()
});

static CHAIR: LazyLock<Phrase> = LazyLock::new(|| Phrase::folded("chủ trì"));
static CO: LazyLock<Phrase> = LazyLock::new(|| Phrase::exact("có"));
static DE: LazyLock<Phrase> = LazyLock::new(|| Phrase::exact("để"));
static UNDER_CHAIR: LazyLock<Phrase> = LazyLock::new(|| Phrase::folded("dưới sự chủ trì của"));
static ATTEND: LazyLock<Vec<Phrase>> =
    LazyLock::new(|| lexicon::folded(&["tham dự", "cùng dự", "dự"]));
static ADVERBS: LazyLock<Vec<Phrase>> =
    LazyLock::new(|| lexicon::folded(&["đã", "cũng", "đồng chí"]));
static HOI_NGHI: LazyLock<Phrase> = LazyLock::new(|| Phrase::folded("hội nghị"));
static TAI: LazyLock<Phrase> = LazyLock::new(|| Phrase::exact("tại"));
/// A body's term after its name: "HĐND tỉnh khóa XVII", "nhiệm kỳ 2021-2026".
static TERM: LazyLock<Vec<Phrase>> = LazyLock::new(|| lexicon::folded(&["khóa", "nhiệm kỳ"]));

/// The longest place a meeting sentence may name after its date ("tại ...,"), in tokens.
const MAX_LOCATION_TOKENS: usize = 16;

/// The kind and length of a meeting noun at `i`.
fn meeting_noun(article: &Article<'_>, i: usize, limit: usize) -> Option<(MeetingKind, usize)> {
    MEETING_NOUNS
        .iter()
        .filter_map(|(p, kind)| Some((*kind, article.doc.phrase(i, limit, p)?)))
        .max_by_key(|(_, end)| *end)
}

/// Finds the meeting. Returns it and its sentence.
pub(crate) fn meeting(
    article: &Article<'_>,
    builder: &mut Builder<'_>,
) -> Option<(MeetingDraft, usize)> {
    let doc = article.doc;
    let (sent, date_expr, after_date) = (0..doc.sents.len()).find_map(|s| {
        if !article.layout.is_body(doc, s) {
            return None;
        }
        let range = doc.sents.get(s)?.tokens.clone();
        let mut start = range.start;
        // A dateline marker: "(CT) - ", "BHG - ".
        if doc.is_punct(start, '(')
            && let Some(close) =
                (start + 1..range.end.min(start + 6)).find(|&k| doc.is_punct(k, ')'))
        {
            start = close + 1;
            if doc.is_dash(start) {
                start += 1;
            }
        } else if doc.is_upper(start) && doc.is_dash(start + 1) {
            start += 2;
        }
        let expr = date_at(doc, start, range.end)?;
        let mut after = expr.tokens.end;
        if doc.is_punct(after, ',') {
            after += 1;
        }
        let cue = (after..range.end).any(|k| {
            MEETING_CUES
                .iter()
                .any(|p| doc.phrase(k, range.end, p).is_some())
        });
        cue.then_some((s, expr, after))
    })?;
    let range = doc.sents.get(sent)?.tokens.clone();
    let date_token = date_expr.tokens.end.saturating_sub(1);
    let date = article.date(date_expr.date, date_token, builder);

    let mut confidence: f64 = 0.9;
    // Where: "Ngày 15-1, tại Hội trường UBND tỉnh, ...".
    let mut after_date = after_date;
    let mut location = None;
    if doc.phrase(after_date, range.end, &TAI).is_some()
        && let Some(comma) = (after_date + 1..range.end.min(after_date + MAX_LOCATION_TOKENS))
            .find(|&k| doc.is_punct(k, ','))
        && comma > after_date + 1
    {
        location = Some(normalize_line(doc.text_of(after_date + 1..comma)));
        after_date = comma + 1;
    }
    // The organizer: "<org> (khóa X) (đã) tổ chức / tổng kết / họp ...".
    let mut organizer: Option<(OrgMatch, usize)> = None;
    let mut activity_start = None;
    if let Some(found) = org_at(doc, after_date, range.end, After::Place, article.context) {
        let mut at = found.end;
        if let Some(after_term) = TERM.iter().find_map(|p| doc.phrase(at, range.end, p))
            && after_term < range.end
        {
            at = after_term + 1;
        }
        while let Some(next) = ADVERBS.iter().find_map(|p| doc.phrase(at, range.end, p)) {
            at = next;
        }
        if ORGANIZER_VERBS
            .iter()
            .any(|p| doc.phrase(at, range.end, p).is_some())
        {
            activity_start = Some(at);
            organizer = Some((found, sent));
        }
    }

    // The chairs named in the sentence: "<person> (đã) chủ trì <meeting>".
    let mut chairs: Vec<ParticipantDraft> = Vec::new();
    let chair_at = (range.start..range.end).find(|&k| doc.phrase(k, range.end, &CHAIR).is_some());
    if let Some(chair_at) = chair_at {
        for mention in article.mentions_of(sent) {
            if !matches!(mention.kind, MentionKind::Person { .. }) || mention.tokens.end > chair_at
            {
                continue;
            }
            let mut at = mention.tokens.end;
            while let Some(next) = ADVERBS.iter().find_map(|p| doc.phrase(at, range.end, p)) {
                at = next;
            }
            if at == chair_at {
                push_participant(&mut chairs, builder.mention(mention));
            }
        }
        if activity_start.is_none() {
            activity_start = doc.phrase(chair_at, range.end, &CHAIR);
        }
    }

    // The title: the activity as the sentence words it.
    let (title, kind) = match activity_start {
        Some(start) => title_from(article, start, range.end, &mut organizer, sent),
        None => (None, MeetingKind::Other),
    };
    if title.is_none() {
        confidence -= 0.2;
    }

    // The organizer from the headline when the sentence names none ("UBND Thành phố nghe báo
    // cáo ...").
    let mut organizer_confidence = 0.9;
    if organizer.is_none()
        && let Some(title_sent) = (0..doc.sents.len()).find(|&s| article.layout.is_title(doc, s))
        && let Some(title_range) = doc.sents.get(title_sent).map(|s| s.tokens.clone())
        && let Some(found) = org_at(
            doc,
            title_range.start,
            title_range.end,
            After::Place,
            article.context,
        )
        && !found.plural
    {
        organizer = Some((found, title_sent));
        organizer_confidence = 0.6;
        builder.warn(
            "organizer_from_headline",
            "the meeting's organizer is taken from the headline; the report's sentence names none"
                .to_owned(),
            Some(doc.span_of(title_range)),
        );
    }
    let organizer_key = organizer
        .as_ref()
        .filter(|(found, _)| !found.plural)
        .map(|(found, s)| {
            let written = normalize_line(doc.text_of(found.start..found.end));
            builder.organization(&found.spec, &written, *s, None).0
        });
    if organizer_confidence < 0.9 {
        confidence -= 0.1;
    }
    if organizer_key.is_none() {
        confidence -= 0.2;
        builder.warn(
            "no_organizer",
            "the article does not say which body held the meeting".to_owned(),
            Some(doc.span_of(range.clone())),
        );
    }

    // "Chủ trì hội nghị có các đồng chí: ...", "dưới sự chủ trì của ...", "Dự có ...".
    let mut attendees: Vec<ParticipantDraft> = Vec::new();
    for s in 0..doc.sents.len() {
        if !article.layout.is_body(doc, s) {
            continue;
        }
        let Some(r) = doc.sents.get(s).map(|x| x.tokens.clone()) else {
            continue;
        };
        let window = r.end.min(r.start + 8);
        let chairs_from = (r.start..r.end).find_map(|k| {
            if let Some(end) = doc.phrase(k, r.end, &UNDER_CHAIR) {
                return Some(end);
            }
            let after_chair = doc.phrase(k, r.end, &CHAIR)?;
            (after_chair..r.end.min(after_chair + 4)).find_map(|c| doc.phrase(c, r.end, &CO))
        });
        let attend_from = (r.start..window).find_map(|k| {
            let after = ATTEND.iter().find_map(|p| doc.phrase(k, r.end, p))?;
            (after..r.end.min(after + 4)).find_map(|c| doc.phrase(c, r.end, &CO))
        });
        for mention in article.mentions_of(s) {
            let is_chair = chairs_from.is_some_and(|from| mention.tokens.start >= from)
                && matches!(mention.kind, MentionKind::Person { .. })
                && attend_from
                    .is_none_or(|a| mention.tokens.start < a || a < chairs_from.unwrap_or(0));
            if is_chair {
                push_participant(&mut chairs, builder.mention(mention));
            } else if (attend_from.is_some_and(|from| mention.tokens.start >= from)
                && !matches!(mention.kind, MentionKind::TitleOnly))
                || (matches!(mention.kind, MentionKind::Person { .. })
                    && attends(doc, mention.tokens.end, r.end))
            {
                push_participant(&mut attendees, builder.mention(mention));
            }
        }
    }
    // Someone who chairs is not also listed as attending.
    attendees.retain(|a| a.person.is_none() || !chairs.iter().any(|c| c.person == a.person));
    if chairs.is_empty() {
        confidence -= 0.1;
    }
    let (span, quote) = builder.sentence(sent);
    Some((
        MeetingDraft {
            title,
            kind,
            date,
            part_of_day: date_expr.part,
            location,
            organizer: organizer_key,
            chairs,
            attendees,
            span,
            quote,
            confidence: round(confidence),
        },
        sent,
    ))
}

/// Whether the words at `at` say that the person before them attended: "(đã) dự", "(cũng)
/// tham dự", "đến dự".
fn attends(doc: &crate::tokens::Doc, at: usize, limit: usize) -> bool {
    static ATTENDED: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
        let mut verbs = lexicon::folded(&["tham dự", "đến dự"]);
        verbs.push(Phrase::exact("dự"));
        verbs
    });
    let mut k = at;
    while let Some(next) = ADVERBS.iter().find_map(|p| doc.phrase(k, limit, p)) {
        k = next;
    }
    ATTENDED.iter().any(|p| doc.phrase(k, limit, p).is_some())
}

/// Adds a participant unless the same person is already listed.
fn push_participant(list: &mut Vec<ParticipantDraft>, participant: ParticipantDraft) {
    let duplicate = list.iter().any(|p| {
        (p.person.is_some() && p.person == participant.person)
            || (p.person.is_none() && p.group.is_some() && p.group == participant.group)
    });
    if !duplicate {
        list.push(participant);
    }
}

/// The meeting's title from the activity phrase at `start`: "tổ chức tổng kết ..." gives "Hội
/// nghị tổng kết ..." when the article calls the event a hội nghị, "chủ trì họp Hội đồng ..."
/// gives "Họp Hội đồng ...", "chủ trì cuộc họp để nghe ..." gives "Cuộc họp nghe ...".
fn title_from(
    article: &Article<'_>,
    start: usize,
    end: usize,
    organizer: &mut Option<(OrgMatch, usize)>,
    sent: usize,
) -> (Option<String>, MeetingKind) {
    let doc = article.doc;
    static TO_CHUC: LazyLock<Phrase> = LazyLock::new(|| Phrase::folded("tổ chức"));
    let mut at = start;
    if let Some(next) = doc.phrase(at, end, &TO_CHUC) {
        at = next;
    }
    let mut last = end;
    while last > at
        && doc.kind(last - 1) == Some(crate::tokens::Kind::Punct)
        && !doc.is_punct(last - 1, ')')
    {
        last -= 1;
    }
    if last <= at {
        return (None, MeetingKind::Other);
    }
    let (kind, noun_end) = match meeting_noun(article, at, last) {
        Some(found) => found,
        None => (MeetingKind::Other, at),
    };
    // "họp Hội đồng thi đua khen thưởng tỉnh": the body meeting is the organizer.
    if organizer.is_none()
        && noun_end > at
        && let Some(found) = org_at(doc, noun_end, last, After::Place, article.context)
        && !found.plural
    {
        *organizer = Some((found, sent));
    }
    let mut text = String::new();
    let purpose = doc.phrase(noun_end, last, &DE);
    match purpose {
        Some(after_de) if noun_end > at => {
            text.push_str(doc.text_of(at..noun_end));
            text.push(' ');
            text.push_str(doc.text_of(after_de..last));
        }
        _ => text.push_str(doc.text_of(at..last)),
    }
    let mut title = normalize_line(&text);
    // "tổ chức tổng kết ..." names no meeting noun; the article's own word for the event does.
    let starts_with_noun = matches!(
        kind,
        MeetingKind::Meeting
            | MeetingKind::CouncilSession
            | MeetingKind::Ceremony
            | MeetingKind::Congress
            | MeetingKind::WorkingSession
    ) || doc.phrase(at, last, &HOI_NGHI).is_some();
    let calls_it_hoi_nghi = (0..doc.tokens.len())
        .any(|k| k != at && doc.phrase(k, doc.tokens.len(), &HOI_NGHI).is_some());
    if !starts_with_noun && kind == MeetingKind::Conference && calls_it_hoi_nghi {
        title = format!("Hội nghị {title}");
    } else {
        title = capitalize_first(&title);
    }
    (Some(title), kind)
}
