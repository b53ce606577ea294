//! Award presentations and decisions: "Đồng chí X trao Bằng khen của UBND thành phố cho các tập
//! thể có thành tích xuất sắc trong ... năm 2020", "Huyện ủy Vạn Ninh khen thưởng 6 tập thể và 6
//! cá nhân ...", "tặng Bằng khen của Chủ tịch UBND tỉnh cho 11 tập thể, 6 cá nhân và 6 hộ gia
//! đình", "Quyết định số 2846".
//!
//! A sentence is an award when an award verb ("trao", "tặng", "khen thưởng", ...) is followed by
//! a form the domain knows ([`AwardForm::parse_vietnamese`]) or by counted recipients. Forms go
//! up to "cho", a comma or the recipients; "của X" in a form names the authority (and the office
//! conferring, in "của Chủ tịch UBND tỉnh"); without it, an organization subject of "khen
//! thưởng" is the authority. A person subject of "trao" is the presenter.

use std::ops::Range;
use std::sync::LazyLock;

use gazette_domain::award::AchievementPeriod;
use gazette_domain::award::form::{AwardForm, RecipientKind};
use gazette_domain::award::number::DocumentNumber;
use gazette_domain::text::normalize_line;

use crate::article::Article;
use crate::builder::{Builder, round};
use crate::dates::date_at;
use crate::draft::{AchievementDraft, AwardDraft, RecipientDraft};
use crate::lexicon;
use crate::org::{After, org_at};
use crate::people::{MentionKind, title_at};
use crate::tokens::{Doc, Kind, Phrase};

/// Award verbs. "tặng" must be exact ("tăng" is "increase"); "trao đổi" is not "trao".
static AWARD_VERBS: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    let mut verbs = lexicon::folded(&["trao tặng", "khen thưởng", "tặng thưởng", "truy tặng"]);
    verbs.extend(lexicon::exact(&["trao", "tặng", "nhận", "được tặng"]));
    verbs
});

/// Words after "trao" that make it another verb.
static NOT_AWARD: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    lexicon::folded(&["trao đổi", "trao quyền", "trao gửi", "trao trả", "trao cho"])
});

/// The words a form phrase starts with.
static FORM_STARTS: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    lexicon::folded(&[
        "bằng khen",
        "giấy khen",
        "cờ thi đua",
        "huân chương",
        "huy chương",
        "kỷ niệm chương",
        "kỉ niệm chương",
        "danh hiệu",
        "chiến sĩ thi đua",
        "giải thưởng",
        "tập thể lao động xuất sắc",
        "tập thể lao động tiên tiến",
        "lao động tiên tiến",
        "gia đình văn hóa",
        "CSTĐ",
    ])
});

/// Kinds of recipient as counted ("6 tập thể").
static RECIPIENT_NOUNS: LazyLock<Vec<(Phrase, RecipientKind)>> = LazyLock::new(|| {
    [
        ("hộ gia đình", RecipientKind::Household),
        ("gia đình", RecipientKind::Household),
        ("tập thể", RecipientKind::Collective),
        ("cá nhân", RecipientKind::Individual),
        ("đơn vị", RecipientKind::Collective),
        ("cơ quan", RecipientKind::Collective),
        ("doanh nghiệp", RecipientKind::Collective),
        ("đảng viên", RecipientKind::Individual),
    ]
    .into_iter()
    .map(|(t, k)| (Phrase::folded(t), k))
    .chain([
        (Phrase::exact("hộ"), RecipientKind::Household),
        (Phrase::exact("đồng chí"), RecipientKind::Individual),
    ])
    .collect()
});

static CHO: LazyLock<Phrase> = LazyLock::new(|| Phrase::exact("cho"));
static CUA: LazyLock<Phrase> = LazyLock::new(|| Phrase::folded("của"));
static AND: LazyLock<Phrase> = LazyLock::new(|| Phrase::folded("và"));
static CAC: LazyLock<Vec<Phrase>> = LazyLock::new(|| lexicon::folded(&["các", "những"]));
static ACHIEVEMENT: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    lexicon::folded(&[
        "đã có thành tích",
        "có thành tích",
        "vì đã có thành tích",
        "vì có thành tích",
        "có nhiều thành tích",
        "đạt thành tích",
        "đã có nhiều thành tích",
    ])
});
static TRONG: LazyLock<Phrase> = LazyLock::new(|| Phrase::exact("trong"));
static FIELD_FILLERS: LazyLock<Vec<Phrase>> =
    LazyLock::new(|| lexicon::folded(&["việc", "công tác"]));
static YEAR: LazyLock<Phrase> = LazyLock::new(|| Phrase::exact("năm"));
static PERIOD_WORDS: LazyLock<Vec<Phrase>> =
    LazyLock::new(|| lexicon::folded(&["giai đoạn", "nhiệm kỳ", "từ năm"]));
static DECISION: LazyLock<Vec<Phrase>> =
    LazyLock::new(|| lexicon::folded(&["quyết định khen thưởng số", "quyết định số", "QĐ số"]));
static NOT_AFTER_KHEN: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| vec!["cong tac", "thi dua", "hoi dong", "de nghi", "binh xet"]);

/// Vietnamese numerals a count may be written in.
fn numeral(word: &str) -> Option<u32> {
    Some(match word {
        "mot" => 1,
        "hai" => 2,
        "ba" => 3,
        "bon" => 4,
        "nam" => 5,
        "sau" => 6,
        "bay" => 7,
        "tam" => 8,
        "chin" => 9,
        "muoi" => 10,
        _ => return None,
    })
}

/// Reads recipients at `at`: counted ("11 tập thể, 6 cá nhân và 6 hộ gia đình") or mentioned
/// ("các tập thể", "các tập thể, cá nhân"). Returns them and where they end.
pub(crate) fn recipients_at(doc: &Doc, at: usize, limit: usize) -> (Vec<RecipientDraft>, usize) {
    let mut out = Vec::new();
    let mut p = at;
    // Counted.
    loop {
        let count = if doc.kind(p) == Some(Kind::Number) {
            doc.tok(p).parse::<u32>().ok()
        } else {
            numeral(doc.folded(p))
        };
        let Some(count) = count else { break };
        let Some((end, kind)) = RECIPIENT_NOUNS
            .iter()
            .filter_map(|(phrase, kind)| Some((doc.phrase(p + 1, limit, phrase)?, *kind)))
            .max_by_key(|(end, _)| *end)
        else {
            break;
        };
        out.push(RecipientDraft {
            kind,
            count: Some(count),
            text: doc.text_of(p..end).to_owned(),
            person: None,
            organization: None,
        });
        p = end;
        let next = if doc.is_punct(p, ',') {
            p + 1
        } else if let Some(next) = doc.phrase(p, limit, &AND) {
            next
        } else {
            break;
        };
        p = next;
    }
    if !out.is_empty() {
        return (out, p);
    }
    // Mentioned without a count: "các tập thể, cá nhân".
    let Some(mut p) = CAC.iter().find_map(|c| doc.phrase(at, limit, c)) else {
        return (out, at);
    };
    let start = at;
    while let Some((end, kind)) = RECIPIENT_NOUNS
        .iter()
        .filter_map(|(phrase, kind)| Some((doc.phrase(p, limit, phrase)?, *kind)))
        .max_by_key(|(end, _)| *end)
    {
        let text_start = if out.is_empty() { start } else { p };
        out.push(RecipientDraft {
            kind,
            count: None,
            text: doc.text_of(text_start..end).to_owned(),
            person: None,
            organization: None,
        });
        p = end;
        let next = if doc.is_punct(p, ',') {
            p + 1
        } else if let Some(next) = doc.phrase(p, limit, &AND) {
            next
        } else {
            break;
        };
        if RECIPIENT_NOUNS
            .iter()
            .all(|(phrase, _)| doc.phrase(next, limit, phrase).is_none())
        {
            break;
        }
        p = next;
    }
    let end = if out.is_empty() { at } else { p };
    (out, end)
}

/// Reads the achievement after the recipients: reason, field and period.
fn achievement(doc: &Doc, from: usize, limit: usize) -> AchievementDraft {
    let Some(start) = (from..limit).find(|&k| {
        ACHIEVEMENT
            .iter()
            .any(|p| doc.phrase(k, limit, p).is_some())
    }) else {
        return AchievementDraft::default();
    };
    let mut end = limit;
    while end > start && doc.kind(end - 1) == Some(Kind::Punct) {
        end -= 1;
    }
    let reason = normalize_line(doc.text_of(start..end));
    let mut period = None;
    let mut field_end = end;
    for k in start..end {
        if let Some(after) = doc.phrase(k, end, &YEAR)
            && doc.kind(after) == Some(Kind::Number)
            && let Ok(found) = AchievementPeriod::parse(doc.tok(after))
        {
            period = Some(found);
            field_end = field_end.min(k);
            break;
        }
        if let Some(after) = PERIOD_WORDS.iter().find_map(|p| doc.phrase(k, end, p))
            && doc.kind(after) == Some(Kind::Number)
        {
            let mut text = doc.tok(after).to_owned();
            // "2016 - 2020" is three tokens.
            if doc.is_dash(after + 1) && doc.kind(after + 2) == Some(Kind::Number) {
                text = format!("{}-{}", doc.tok(after), doc.tok(after + 2));
            }
            if let Ok(found) = AchievementPeriod::parse(&text) {
                period = Some(found);
                field_end = field_end.min(k);
                break;
            }
        }
    }
    let field = (start..field_end)
        .find_map(|k| doc.phrase(k, field_end, &TRONG))
        .map(|mut s| {
            if let Some(next) = FIELD_FILLERS
                .iter()
                .find_map(|f| doc.phrase(s, field_end, f))
            {
                s = next;
            }
            normalize_line(doc.text_of(s..field_end))
        })
        .filter(|f| !f.is_empty());
    AchievementDraft {
        reason: Some(reason),
        field,
        period,
    }
}

/// The end of a form phrase: before "cho", a comma, a semicolon, a count, or the next form.
fn form_end(doc: &Doc, start: usize, limit: usize) -> usize {
    let mut k = start + 1;
    while k < limit {
        if doc.phrase(k, limit, &CHO).is_some()
            || doc.is_punct(k, ',')
            || doc.is_punct(k, ';')
            || doc.is_punct(k, '.')
            || doc.kind(k) == Some(Kind::Number) && doc.tok(k).parse::<u32>().is_ok()
            || (doc.phrase(k, limit, &AND).is_some()
                && FORM_STARTS
                    .iter()
                    .any(|p| doc.phrase(k + 1, limit, p).is_some()))
        {
            break;
        }
        // Recipients mentioned without "cho" ("khen thưởng các tập thể").
        if CAC.iter().any(|c| doc.phrase(k, limit, c).is_some())
            && RECIPIENT_NOUNS
                .iter()
                .any(|(p, _)| doc.phrase(k + 1, limit, p).is_some())
        {
            break;
        }
        k += 1;
    }
    k
}

/// Finds the awards. `consumed` marks sentences that are directives' instructions.
pub(crate) fn awards(
    article: &Article<'_>,
    builder: &mut Builder<'_>,
    consumed: &[bool],
    meeting: Option<(usize, Option<gazette_domain::date::PartialDate>)>,
) -> Vec<AwardDraft> {
    let doc = article.doc;
    let mut out = Vec::new();
    for s in 0..doc.sents.len() {
        if !article.layout.is_body(doc, s) || consumed.get(s).copied().unwrap_or(false) {
            continue;
        }
        let Some(range) = doc.sents.get(s).map(|x| x.tokens.clone()) else {
            continue;
        };
        if let Some(award) = award_in(article, builder, s, range, meeting) {
            out.push(award);
        }
    }
    out
}

/// Reads the award of one sentence, if it has one.
fn award_in(
    article: &Article<'_>,
    builder: &mut Builder<'_>,
    s: usize,
    range: Range<usize>,
    meeting: Option<(usize, Option<gazette_domain::date::PartialDate>)>,
) -> Option<AwardDraft> {
    let doc = article.doc;
    // The verb, outside organization names ("Hội đồng thi đua khen thưởng").
    let mut k = range.start;
    let mut verb = None;
    while k < range.end {
        if let Some(found) = org_at(doc, k, range.end, After::Place, article.context) {
            k = found.end.max(k + 1);
            continue;
        }
        if let Some(end) = AWARD_VERBS
            .iter()
            .filter_map(|p| doc.phrase(k, range.end, p))
            .max()
            && NOT_AWARD
                .iter()
                .all(|p| doc.phrase(k, range.end, p).is_none())
        {
            let before = k
                .checked_sub(2)
                .map(|b| format!("{} {}", doc.folded(b), doc.folded(b + 1)))
                .unwrap_or_default();
            let before_one = k.checked_sub(1).map(|b| doc.folded(b)).unwrap_or("");
            if !NOT_AFTER_KHEN.contains(&before.as_str()) && !NOT_AFTER_KHEN.contains(&before_one) {
                verb = Some((k, end));
                break;
            }
        }
        k += 1;
    }
    let (verb_at, verb_end) = verb?;
    let verb_word = doc.folded(verb_at).to_owned();

    // The form, and its "của" authority.
    let form_start = (verb_end..range.end.min(verb_end + 6)).find(|&k| {
        FORM_STARTS
            .iter()
            .any(|p| doc.phrase(k, range.end, p).is_some())
    });
    let mut form = None;
    let mut form_text = None;
    let mut authority = None;
    let mut authority_text = None;
    let mut conferred_by_title = None;
    let mut after_form = verb_end;
    if let Some(start) = form_start {
        let end = form_end(doc, start, range.end);
        let text = normalize_line(doc.text_of(start..end));
        form = AwardForm::parse_vietnamese(&text);
        form_text = Some(text);
        after_form = end;
        if let Some(cua) = (start..end).find(|&k| doc.phrase(k, end, &CUA).is_some()) {
            let from = cua + 1;
            if let Some(title) = title_at(doc, from, end, After::Place, article.context)
                && let Some(spec) = &title.org
            {
                let written =
                    normalize_line(doc.text_of(title.org_tokens.clone().unwrap_or(from..end)));
                authority = Some(builder.organization(spec, &written, s, None).0);
                conferred_by_title = Some(title.post.clone());
                authority_text = Some(normalize_line(doc.text_of(from..title.tokens.end)));
            } else if let Some(found) = org_at(doc, from, end, After::Place, article.context)
                && !found.plural
            {
                let written = normalize_line(doc.text_of(from..found.end));
                authority = Some(builder.organization(&found.spec, &written, s, None).0);
                authority_text = Some(written);
            }
        }
        if form.is_none() {
            builder.warn(
                "unknown_award_form",
                format!(
                    "the award form \"{}\" is not one the model knows; it is kept as written",
                    form_text.as_deref().unwrap_or("")
                ),
                Some(doc.span_of(start..end)),
            );
        }
    }

    // The recipients.
    let mut r = after_form;
    if let Some(after) = doc.phrase(r, range.end, &CHO) {
        r = after;
    }
    let (mut recipients, recipients_end) = recipients_at(doc, r, range.end);
    if recipients.is_empty() {
        // Named organizations ("cho Sở Nội vụ, Sở Tài chính").
        let mut p = r;
        while let Some(found) = org_at(doc, p, range.end, After::Place, article.context) {
            if found.plural {
                break;
            }
            let written = normalize_line(doc.text_of(p..found.end));
            let key = builder.organization(&found.spec, &written, s, None).0;
            recipients.push(RecipientDraft {
                kind: RecipientKind::Collective,
                count: None,
                text: written,
                person: None,
                organization: Some(key),
            });
            p = found.end;
            if doc.is_punct(p, ',') || doc.phrase(p, range.end, &AND).is_some() {
                p += 1;
            } else {
                break;
            }
        }
        // Named people.
        for mention in article.mentions_of(s) {
            if mention.tokens.start >= r
                && let MentionKind::Person { name } = &mention.kind
            {
                let participant = builder.mention(mention);
                recipients.push(RecipientDraft {
                    kind: RecipientKind::Individual,
                    count: None,
                    text: name.clone(),
                    person: participant.person,
                    organization: None,
                });
            }
        }
    }
    let counted = recipients.iter().any(|r| r.count.is_some());
    if form_text.is_none() && !counted {
        return None;
    }
    if form_text.is_none() && verb_word == "nhan" {
        return None;
    }

    // The subject: a person presents (or signs: "X ký Quyết định ... tặng"); an organization
    // confers.
    static SIGN: LazyLock<Phrase> = LazyLock::new(|| Phrase::exact("ký"));
    let mut presenter = None;
    let mut signer = None;
    let subject = article
        .mentions_of(s)
        .iter()
        .rfind(|m| m.tokens.end <= verb_at && matches!(m.kind, MentionKind::Person { .. }));
    if let Some(mention) = subject
        && verb_word != "nhan"
    {
        let person = builder.mention(mention).person;
        if (mention.tokens.end..verb_at).any(|k| doc.phrase(k, verb_at, &SIGN).is_some()) {
            signer = person;
        } else {
            presenter = person;
        }
    }
    if authority.is_none() && presenter.is_none() {
        // "Huyện ủy Vạn Ninh khen thưởng ...": the last organization before the verb.
        let mut p = range.start;
        let mut last = None;
        while p < verb_at {
            if let Some(found) = org_at(doc, p, verb_at, After::Place, article.context) {
                p = found.end.max(p + 1);
                if !found.plural {
                    last = Some(found);
                }
                continue;
            }
            p += 1;
        }
        if let Some(found) = last {
            let written = normalize_line(doc.text_of(found.start..found.end));
            authority = Some(builder.organization(&found.spec, &written, s, None).0);
            authority_text = Some(written);
        }
    }

    // The decision.
    let mut decision_number = None;
    let mut decision_date = None;
    if let Some(number_at) = (range.clone())
        .find_map(|k| DECISION.iter().find_map(|p| doc.phrase(k, range.end, p)))
        .filter(|&n| doc.kind(n) == Some(Kind::Number))
    {
        decision_number = DocumentNumber::parse(doc.tok(number_at)).ok();
        if let Some(expr) = date_at(doc, number_at + 1, range.end)
            && matches!(doc.folded(number_at + 1), "ngay")
        {
            let at = expr.tokens.end.saturating_sub(1);
            decision_date = article.date(expr.date, at, builder);
        }
    }

    // A signed decision is dated by the sentence's date ("Ngày 5/6/2023, ... ký Quyết định").
    if signer.is_some()
        && decision_date.is_none()
        && let Some(expr) = date_at(doc, range.start, range.end)
    {
        decision_date = article.date(expr.date, expr.tokens.end.saturating_sub(1), builder);
    }
    let achievement = achievement(doc, recipients_end.max(after_form), range.end);
    let (at_meeting, date) = match meeting {
        Some((_, date)) => (true, date),
        None => (false, decision_date),
    };
    let mut confidence: f64 = 0.85;
    if form.is_none() {
        confidence -= 0.2;
        if form_text.is_none() {
            builder.warn(
                "no_award_form",
                "the article does not say which award form was given".to_owned(),
                Some(doc.span_of(range.clone())),
            );
        }
    }
    if authority.is_none() {
        confidence -= 0.15;
    }
    let (span, quote) = builder.sentence(s);
    Some(AwardDraft {
        form,
        form_text,
        authority,
        authority_text,
        conferred_by_title,
        signer,
        presenter,
        decision_number,
        decision_date,
        date,
        at_meeting,
        recipients,
        achievement,
        span,
        quote,
        confidence: round(confidence),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_recipients_of_three_kinds() {
        let doc = Doc::new("11 tập thể, 6 cá nhân và 6 hộ gia đình có thành tích".to_owned());
        let (found, end) = recipients_at(&doc, 0, doc.tokens.len());
        let summary: Vec<(RecipientKind, Option<u32>, &str)> = found
            .iter()
            .map(|r| (r.kind, r.count, r.text.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (RecipientKind::Collective, Some(11), "11 tập thể"),
                (RecipientKind::Individual, Some(6), "6 cá nhân"),
                (RecipientKind::Household, Some(6), "6 hộ gia đình"),
            ]
        );
        assert_eq!(doc.tok(end), "có");
    }

    #[test]
    fn recipients_mentioned_without_a_count() {
        let doc = Doc::new("các tập thể, cá nhân có thành tích".to_owned());
        let (found, _) = recipients_at(&doc, 0, doc.tokens.len());
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].count, None);
        assert_eq!(found[0].text, "các tập thể");
        assert_eq!(found[1].kind, RecipientKind::Individual);
    }

    #[test]
    fn the_achievement_gives_reason_field_and_period() {
        let doc = Doc::new(
            "cho các tập thể có thành tích xuất sắc trong việc chỉ đạo, xây dựng và thực hiện QCDC ở cơ sở năm 2020."
                .to_owned(),
        );
        let found = achievement(&doc, 0, doc.tokens.len());
        assert_eq!(
            found.reason.as_deref(),
            Some(
                "có thành tích xuất sắc trong việc chỉ đạo, xây dựng và thực hiện QCDC ở cơ sở năm 2020"
            )
        );
        assert_eq!(
            found.field.as_deref(),
            Some("chỉ đạo, xây dựng và thực hiện QCDC ở cơ sở")
        );
        assert_eq!(found.period.map(|p| p.to_string()), Some("2020".to_owned()));
    }
}
