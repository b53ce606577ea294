//! Organizations merged, renamed, founded or dissolved: "hợp nhất A và B ... có tên gọi C",
//! "sáp nhập A vào B", "đổi tên A thành C", "thành lập A", "giải thể A", with the decision
//! ("ban hành Quyết định số 983-QĐ/TU"), who decided, when, and from when it takes effect
//! ("kể từ ngày 1/3/2025"). Consecutive sentences about the same predecessors make one change.

use std::sync::LazyLock;

use gazette_domain::award::number::DocumentNumber;
use gazette_domain::date::PartialDate;
use gazette_domain::text::normalize_line;

use crate::article::Article;
use crate::builder::{Builder, round};
use crate::dates::date_at;
use crate::draft::{ChangeKind, OrganizationChangeDraft};
use crate::lexicon;
use crate::org::{After, OrgMatch, org_at};
use crate::tokens::{Kind, Phrase};

static MERGE: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    let mut words = lexicon::folded(&["sáp nhập"]);
    // "hợp nhất" must keep its horn: "họp nhất" is not a word, but "hợp" and "họp" fold alike.
    words.push(Phrase::exact("hợp nhất"));
    words
});
static RENAME: LazyLock<Phrase> = LazyLock::new(|| Phrase::folded("đổi tên"));
static FOUND: LazyLock<Phrase> = LazyLock::new(|| Phrase::folded("thành lập"));
static DISSOLVE: LazyLock<Phrase> = LazyLock::new(|| Phrase::folded("giải thể"));
static NAMED: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    lexicon::folded(&[
        "có tên gọi là",
        "có tên gọi",
        "lấy tên là",
        "lấy tên",
        "mang tên",
    ])
});
static INTO: LazyLock<Vec<Phrase>> = LazyLock::new(|| lexicon::exact(&["thành", "vào"]));
static FROM: LazyLock<Vec<Phrase>> = LazyLock::new(|| lexicon::folded(&["kể từ ngày", "từ ngày"]));
static DECIDE: LazyLock<Vec<Phrase>> =
    LazyLock::new(|| lexicon::folded(&["ban hành", "quyết định", "ký"]));
static DECISION_NUMBER: LazyLock<Vec<Phrase>> =
    LazyLock::new(|| lexicon::folded(&["quyết định số", "QĐ số", "nghị quyết số"]));
static AND: LazyLock<Phrase> = LazyLock::new(|| Phrase::folded("và"));

/// Reads a list of organizations ("A và B", "A, B và C") at `at`.
fn org_list(article: &Article<'_>, at: usize, limit: usize) -> (Vec<OrgMatch>, usize) {
    let doc = article.doc;
    let mut found = Vec::new();
    let mut p = at;
    while let Some(m) = org_at(doc, p, limit, After::Place, article.context) {
        if m.plural {
            break;
        }
        p = m.end;
        found.push(m);
        if doc.is_punct(p, ',') {
            p += 1;
        } else if let Some(next) = doc.phrase(p, limit, &AND) {
            p = next;
        } else {
            break;
        }
    }
    let end = found.last().map_or(at, |m| m.end);
    (found, end)
}

/// Finds the organization changes.
pub(crate) fn changes(
    article: &Article<'_>,
    builder: &mut Builder<'_>,
) -> Vec<OrganizationChangeDraft> {
    let doc = article.doc;
    let mut out: Vec<OrganizationChangeDraft> = Vec::new();
    for s in 0..doc.sents.len() {
        if !article.layout.is_body(doc, s) {
            continue;
        }
        let Some(range) = doc.sents.get(s).map(|x| x.tokens.clone()) else {
            continue;
        };
        let Some((kind, verb_at, verb_end)) = range.clone().find_map(|k| {
            if let Some(end) = MERGE.iter().find_map(|p| doc.phrase(k, range.end, p)) {
                return Some((ChangeKind::Merger, k, end));
            }
            if let Some(end) = doc.phrase(k, range.end, &RENAME) {
                return Some((ChangeKind::Rename, k, end));
            }
            if let Some(end) = doc.phrase(k, range.end, &FOUND) {
                return Some((ChangeKind::Establishment, k, end));
            }
            doc.phrase(k, range.end, &DISSOLVE)
                .map(|end| (ChangeKind::Dissolution, k, end))
        }) else {
            continue;
        };
        let (orgs, list_end) = org_list(article, verb_end, range.end);
        if orgs.is_empty() {
            continue;
        }
        let key_of = |builder: &mut Builder<'_>, m: &OrgMatch| {
            let written = normalize_line(doc.text_of(m.start..m.end));
            builder.organization(&m.spec, &written, s, None).0
        };
        // The successor: "có tên gọi C", "thành C", "vào C".
        let successor_match = (list_end..range.end).find_map(|k| {
            let after = NAMED
                .iter()
                .find_map(|p| doc.phrase(k, range.end, p))
                .or_else(|| {
                    (k == list_end)
                        .then(|| INTO.iter().find_map(|p| doc.phrase(k, range.end, p)))
                        .flatten()
                })?;
            org_at(doc, after, range.end, After::Place, article.context).filter(|m| !m.plural)
        });
        let (predecessors, successor) = match kind {
            ChangeKind::Merger | ChangeKind::Rename => (
                orgs.iter().map(|m| key_of(builder, m)).collect::<Vec<_>>(),
                successor_match.as_ref().map(|m| key_of(builder, m)),
            ),
            ChangeKind::Establishment => (Vec::new(), orgs.first().map(|m| key_of(builder, m))),
            ChangeKind::Dissolution => (orgs.iter().map(|m| key_of(builder, m)).collect(), None),
        };
        // Effective date: "kể từ ngày 1/3/2025".
        let effective = (list_end..range.end)
            .find_map(|k| {
                let after = FROM.iter().find_map(|p| doc.phrase(k, range.end, p))?;
                date_at(doc, after, range.end)
            })
            .and_then(|expr| article.date(expr.date, expr.tokens.end.saturating_sub(1), builder));
        // The decision: the organization before "ban hành"/"quyết định", its number, the date
        // the sentence opens with.
        let decided_by = (range.start..verb_at).find_map(|k| {
            let m = org_at(doc, k, verb_at, After::Place, article.context).filter(|m| !m.plural)?;
            DECIDE
                .iter()
                .any(|p| doc.phrase(m.end, verb_at, p).is_some())
                .then_some(m)
        });
        let decided_by = decided_by.map(|m| key_of(builder, &m));
        let document_number = (range.start..verb_at)
            .find_map(|k| {
                DECISION_NUMBER
                    .iter()
                    .find_map(|p| doc.phrase(k, verb_at, p))
            })
            .filter(|&n| doc.kind(n) == Some(Kind::Number))
            .and_then(|n| DocumentNumber::parse(doc.tok(n)).ok());
        let decided_on: Option<PartialDate> = date_at(doc, range.start, range.end)
            .and_then(|expr| article.date(expr.date, expr.tokens.end.saturating_sub(1), builder));
        // The same change told again (the lead, then "Theo đó, ..."): fill in what is new.
        if let Some(previous) = out.last_mut().filter(|c| {
            c.kind == kind && c.predecessors == predecessors && !predecessors.is_empty()
        }) {
            previous.successor = previous.successor.take().or(successor);
            previous.decided_by = previous.decided_by.take().or(decided_by);
            previous.decided_on = previous.decided_on.or(decided_on);
            previous.document_number = previous.document_number.take().or(document_number);
            previous.effective = previous.effective.or(effective);
            continue;
        }
        let (span, quote) = builder.sentence(s);
        out.push(OrganizationChangeDraft {
            kind,
            predecessors,
            successor,
            decided_by,
            decided_on,
            document_number,
            effective,
            span,
            quote,
            confidence: round(0.8),
        });
    }
    out
}
