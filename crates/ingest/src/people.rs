//! People and their titles, as the press writes them:
//!
//! * "đồng chí <Name>, <title>, <title>" (titles joined by commas, " - " or "kiêm");
//! * "<title> <Name>" ("Chủ tịch UBND tỉnh Lê Duy Thành", "đồng chí Phó Chủ tịch UBND Thành
//!   phố Ngô Thành Tâm");
//! * lists after "có các đồng chí:", items separated by semicolons;
//! * a title with no name ("Chủ tịch UBND thành phố cũng phê bình"), which can still be a
//!   directive's speaker;
//! * a group described by title ("các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy").
//!
//! Names are two to five capitalized words, or words in capitals only ("NGUYỄN VĂN A"). A name
//! without an honorific or a title is only taken when the article has already named that person.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use gazette_domain::text::fold;

use crate::lexicon::{HONORIFICS, HeadOrg, TITLE_HEAD_PHRASES, TITLE_HEADS, is_family_name};
use crate::org::{self, After, Anchor, Context, OrgSpec, Unit, UnitKind, org_at};
use crate::tokens::{Doc, Phrase};

/// A title found in the text.
#[derive(Debug, Clone)]
pub(crate) struct TitleParse {
    /// Its tokens.
    pub tokens: Range<usize>,
    /// The post's title as stored.
    pub post: String,
    /// The organization, when written or implied.
    pub org: Option<OrgSpec>,
    /// The organization's tokens, when written.
    pub org_tokens: Option<Range<usize>>,
}

/// What a mention names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MentionKind {
    /// A named person.
    Person {
        /// The name, display form.
        name: String,
    },
    /// A title with no name: the holder of that post.
    TitleOnly,
    /// Several people described by a title.
    Group,
}

/// A mention of a person (or a post holder, or a group).
#[derive(Debug, Clone)]
pub(crate) struct Mention {
    /// What it names.
    pub kind: MentionKind,
    /// The titles given there.
    pub titles: Vec<TitleParse>,
    /// Its tokens, from the honorific to the last title.
    pub tokens: Range<usize>,
    /// Its sentence.
    pub sent: usize,
}

impl Mention {
    /// The folded name, for a person.
    pub(crate) fn folded_name(&self) -> Option<String> {
        match &self.kind {
            MentionKind::Person { name } => Some(fold(name)),
            _ => None,
        }
    }
}

/// The words that may join one title to the next.
static KIEM: LazyLock<Phrase> = LazyLock::new(|| Phrase::folded("kiêm"));
static CAC: LazyLock<Phrase> = LazyLock::new(|| Phrase::folded("các"));
static AND: LazyLock<Phrase> = LazyLock::new(|| Phrase::folded("và"));

/// Reads a title at `i`: a post head and the organization after it.
pub(crate) fn title_at(
    doc: &Doc,
    i: usize,
    limit: usize,
    after: After,
    context: &Context,
) -> Option<TitleParse> {
    let (index, head_end, _) = doc.longest(i, limit, &TITLE_HEAD_PHRASES)?;
    let head = TITLE_HEADS.get(index)?;
    let post = head.post.to_owned();
    let (org, org_start, end) = match head.org {
        HeadOrg::Follows => match org_at(doc, head_end, limit, after, context) {
            Some(found) if !found.plural => (Some(found.spec), head_end, found.end),
            _ => (None, head_end, head_end),
        },
        HeadOrg::Shares(shared) => {
            let start = head_end.saturating_sub(shared);
            match org_at(doc, start, limit, after, context) {
                Some(found) if !found.plural && found.end >= head_end => {
                    (Some(found.spec), start, found.end)
                }
                _ => (None, head_end, head_end),
            }
        }
        HeadOrg::CommitteeMember => {
            let kind = match doc.folded(i) {
                "tinh" => UnitKind::Province,
                "thanh" => UnitKind::City,
                "huyen" => UnitKind::District,
                "quan" => UnitKind::UrbanDistrict,
                _ => UnitKind::Town,
            };
            let unit = Unit { kind, place: None };
            let spec = OrgSpec {
                class: gazette_domain::organization::Classification::PartyCommittee,
                full: doc.text_of(i..head_end.saturating_sub(1)).to_owned(),
                short: doc.text_of(i..head_end.saturating_sub(1)).to_owned(),
                anchor: Anchor::Unit(unit),
                committee_word: true,
            };
            (Some(spec), i, head_end)
        }
        HeadOrg::Default(body) => match org_at(doc, head_end, limit, after, context) {
            Some(found) if !found.plural => (Some(found.spec), head_end, found.end),
            _ => (Some(org::fixed(body)), i, head_end),
        },
    };
    let org_tokens = org.as_ref().map(|_| org_start..end);
    Some(TitleParse {
        tokens: i..end,
        post,
        org,
        org_tokens,
    })
}

/// Reads the titles after a name: ", <title>", " - <title>", " kiêm <title>", repeated; the
/// first may follow the name directly.
fn titles_after(doc: &Doc, j: usize, limit: usize, context: &Context) -> (Vec<TitleParse>, usize) {
    let mut titles: Vec<TitleParse> = Vec::new();
    let mut at = j;
    loop {
        let start = if doc.is_punct(at, ',') || doc.is_dash(at) || doc.is_punct(at, '(') {
            at + 1
        } else if let Some(next) = doc.phrase(at, limit, &KIEM) {
            next
        } else if titles.is_empty() {
            at
        } else {
            break;
        };
        match title_at(doc, start, limit, After::Place, context) {
            Some(title) => {
                at = title.tokens.end;
                if doc.is_punct(at, ')') && doc.is_punct(start.saturating_sub(1), '(') {
                    at += 1;
                }
                titles.push(title);
            }
            None => break,
        }
    }
    (titles, at)
}

/// Reads a name at `i`: two to five capitalized words (or words in capitals only), stopping
/// before a title or an abbreviation. Returns its tokens and its display form.
pub(crate) fn name_at(doc: &Doc, i: usize, limit: usize) -> Option<(Range<usize>, String)> {
    if !doc.is_cap(i) || doc.longest(i, limit, &TITLE_HEAD_PHRASES).is_some() {
        return None;
    }
    let first_upper = doc.is_upper(i) && doc.tok(i).chars().count() > 1;
    let mut end = i;
    while end < limit && end - i < 6 && doc.is_cap(end) {
        let token = doc.tok(end);
        if token
            .chars()
            .any(|c| c.is_ascii_digit() || c == '/' || c == '.')
        {
            break;
        }
        if end > i {
            if doc.longest(end, limit, &TITLE_HEAD_PHRASES).is_some() {
                break;
            }
            // An abbreviation ("UBND") after a mixed-case name is not part of it.
            let upper = doc.is_upper(end) && token.chars().count() > 1;
            if upper != first_upper && token.chars().count() > 1 {
                break;
            }
        }
        end += 1;
    }
    let count = end - i;
    if !(2..=5).contains(&count) {
        return None;
    }
    // Organization words are not names ("Ban Thường", "Sở Nội").
    if org_start_word(doc.folded(i)) {
        return None;
    }
    let words: Vec<String> = (i..end)
        .map(|k| {
            let word = doc.tok(k);
            if first_upper {
                title_case(word)
            } else {
                word.to_owned()
            }
        })
        .collect();
    Some((i..end, words.join(" ")))
}

/// Words that begin organization names rather than personal names.
fn org_start_word(folded: &str) -> bool {
    matches!(
        folded,
        "ban"
            | "so"
            | "bo"
            | "uy"
            | "hoi"
            | "doan"
            | "vien"
            | "toa"
            | "cong"
            | "phong"
            | "van"
            | "thanh"
            | "tinh"
            | "huyen"
            | "quan"
            | "xa"
            | "phuong"
            | "dang"
            | "chi"
            | "mat"
            | "lien"
            | "truong"
            | "trung"
            | "nha"
            | "cuc"
            | "chinh"
            | "quoc"
            | "cac"
            | "tp"
    ) && !is_family_name(folded)
}

/// "NGUYỄN" → "Nguyễn".
fn title_case(word: &str) -> String {
    let lower = word.to_lowercase();
    org::capitalize_first(&lower)
}

/// Finds every mention in a sentence. `known` holds the folded names of people already named,
/// so that a later bare mention of them ("Đồng chí Trần Việt Trường trao") is recognized even
/// without an honorific.
pub(crate) fn mentions_in(
    doc: &Doc,
    sent: usize,
    context: &Context,
    known: &mut HashSet<String>,
) -> Vec<Mention> {
    let Some(range) = doc.sents.get(sent).map(|s| s.tokens.clone()) else {
        return Vec::new();
    };
    let limit = range.end;
    let mut mentions = Vec::new();
    let mut i = range.start;
    while i < limit {
        // An honorific, then a title and a name, or a name and titles, or a list of them.
        if let Some((_, after_honorific, _)) = doc.longest(i, limit, &HONORIFICS) {
            let plural = doc.folded(i) == "cac" || (i > range.start && doc.folded(i - 1) == "cac");
            let mut j = after_honorific;
            if doc.is_punct(j, ':') {
                j += 1;
            }
            if let Some(title) = title_at(doc, j, limit, After::NameMayFollow, context) {
                let title_end = title.tokens.end;
                if let Some((name_tokens, name)) = name_at(doc, title_end, limit) {
                    let (mut more, end) = titles_after(doc, name_tokens.end, limit, context);
                    let mut titles = vec![title];
                    titles.append(&mut more);
                    known.insert(fold(&name));
                    mentions.push(Mention {
                        kind: MentionKind::Person { name },
                        titles,
                        tokens: i..end,
                        sent,
                    });
                    i = end;
                } else {
                    mentions.push(Mention {
                        kind: if plural {
                            MentionKind::Group
                        } else {
                            MentionKind::TitleOnly
                        },
                        titles: vec![title],
                        tokens: i..title_end,
                        sent,
                    });
                    i = title_end;
                }
                continue;
            }
            if let Some((name_tokens, name)) = name_at(doc, j, limit) {
                let (titles, mut end) = titles_after(doc, name_tokens.end, limit, context);
                known.insert(fold(&name));
                mentions.push(Mention {
                    kind: MentionKind::Person { name },
                    titles,
                    tokens: i..end,
                    sent,
                });
                // "có các đồng chí: A, title; B, title và C, title".
                while let Some((mention, next_end)) = list_item(doc, end, limit, context, sent) {
                    if let Some(folded) = mention.folded_name() {
                        known.insert(folded);
                    }
                    mentions.push(mention);
                    end = next_end;
                }
                i = end;
                continue;
            }
            i = after_honorific;
            continue;
        }
        // "các thành viên Hội đồng thi đua khen thưởng tỉnh": a group described by title.
        if let Some(after_cac) = doc.phrase(i, limit, &CAC)
            && let Some(title) = title_at(doc, after_cac, limit, After::Place, context)
            && title.org.is_some()
        {
            let end = title.tokens.end;
            mentions.push(Mention {
                kind: MentionKind::Group,
                titles: vec![title],
                tokens: i..end,
                sent,
            });
            i = end;
            continue;
        }
        // "Chủ tịch UBND tỉnh Lê Duy Thành", or a post holder with no name.
        if doc.is_cap(i)
            && let Some(title) = title_at(doc, i, limit, After::NameMayFollow, context)
        {
            let title_end = title.tokens.end;
            let name = name_at(doc, title_end, limit)
                .filter(|(tokens, name)| tokens.len() >= 3 || known.contains(&fold(name)));
            match name {
                Some((name_tokens, name)) => {
                    let (mut more, end) = titles_after(doc, name_tokens.end, limit, context);
                    let mut titles = vec![title];
                    titles.append(&mut more);
                    known.insert(fold(&name));
                    mentions.push(Mention {
                        kind: MentionKind::Person { name },
                        titles,
                        tokens: i..end,
                        sent,
                    });
                    i = end;
                }
                None => {
                    mentions.push(Mention {
                        kind: MentionKind::TitleOnly,
                        titles: vec![title],
                        tokens: i..title_end,
                        sent,
                    });
                    i = title_end;
                }
            }
            continue;
        }
        // Organization names are skipped whole, so that their words are not read as names.
        if let Some(found) = org_at(doc, i, limit, After::Place, context) {
            i = found.end.max(i + 1);
            continue;
        }
        // A person already named, or "Name, title" with a family name first.
        if let Some((name_tokens, name)) = name_at(doc, i, limit) {
            let folded = fold(&name);
            let (titles, end) = titles_after(doc, name_tokens.end, limit, context);
            let first = doc.folded(name_tokens.start);
            if known.contains(&folded)
                || (!titles.is_empty() && is_family_name(first) && name_tokens.len() >= 3)
            {
                known.insert(folded);
                mentions.push(Mention {
                    kind: MentionKind::Person { name },
                    titles,
                    tokens: i..end,
                    sent,
                });
                i = end;
                continue;
            }
            i = name_tokens.end;
            continue;
        }
        i += 1;
    }
    mentions
}

/// Reads the next item of a list of people: a separator (";", ",", "và"), an optional
/// honorific, a name and at least one title.
fn list_item(
    doc: &Doc,
    at: usize,
    limit: usize,
    context: &Context,
    sent: usize,
) -> Option<(Mention, usize)> {
    let mut start = if doc.is_punct(at, ';') || doc.is_punct(at, ',') {
        at + 1
    } else {
        doc.phrase(at, limit, &AND)?
    };
    if let Some((_, after, _)) = doc.longest(start, limit, &HONORIFICS) {
        start = after;
    }
    let (name_tokens, name) = name_at(doc, start, limit)?;
    let (titles, end) = titles_after(doc, name_tokens.end, limit, context);
    if titles.is_empty() {
        return None;
    }
    Some((
        Mention {
            kind: MentionKind::Person { name },
            titles,
            tokens: start..end,
            sent,
        },
        end,
    ))
}

/// The party committee shared by a person's titles, for titles that leave it out.
pub(crate) fn shared_committee(titles: &[TitleParse]) -> Option<&OrgSpec> {
    titles
        .iter()
        .filter_map(|t| t.org.as_ref())
        .find_map(|spec| {
            spec.committee()
                .filter(|c| !matches!(c.anchor, Anchor::Bare))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mentions(text: &str) -> (Doc, Vec<Mention>) {
        let doc = Doc::new(text.to_owned());
        let context = Context::collect(&doc, None);
        let mut known = HashSet::new();
        let all = (0..doc.sents.len())
            .flat_map(|s| mentions_in(&doc, s, &context, &mut known))
            .collect();
        (doc, all)
    }

    fn summary(doc: &Doc, mention: &Mention) -> (String, Vec<String>) {
        let name = match &mention.kind {
            MentionKind::Person { name } => name.clone(),
            MentionKind::TitleOnly => "(title only)".into(),
            MentionKind::Group => "(group)".into(),
        };
        let titles = mention
            .titles
            .iter()
            .map(|t| doc.text_of(t.tokens.clone()).to_owned())
            .collect();
        (name, titles)
    }

    #[test]
    fn comrade_name_and_comma_joined_titles() {
        let (doc, found) = mentions(
            "Phát biểu, đồng chí Phạm Văn Hiểu, Phó Bí thư Thường trực Thành ủy, Chủ tịch HĐND thành phố, đề nghị các cấp.",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            summary(&doc, &found[0]),
            (
                "Phạm Văn Hiểu".into(),
                vec![
                    "Phó Bí thư Thường trực Thành ủy".into(),
                    "Chủ tịch HĐND thành phố".into()
                ]
            )
        );
    }

    #[test]
    fn a_list_after_co_cac_dong_chi() {
        let (doc, found) = mentions(
            "Chủ trì hội nghị có các đồng chí: Phạm Văn Hiểu, Phó Bí thư Thường trực Thành ủy, Chủ tịch HĐND thành phố; Trần Việt Trường, Phó Bí thư Thành ủy, Chủ tịch UBND thành phố; Trần Thị Vĩnh Nghi, Trưởng Ban Dân vận Thành ủy.",
        );
        let names: Vec<String> = found.iter().map(|m| summary(&doc, m).0).collect();
        assert_eq!(
            names,
            ["Phạm Văn Hiểu", "Trần Việt Trường", "Trần Thị Vĩnh Nghi"]
        );
        assert_eq!(found[2].titles.len(), 1);
        assert_eq!(found[2].titles[0].post, "Trưởng ban");
    }

    #[test]
    fn title_before_name_with_dash_and_upper_case_typo() {
        let (doc, found) = mentions(
            "Ngày 24/8, đồng chí Ngô Thành Tâm - Phó Chủ tịch UBND Thành phố đã chủ trì. Tại cuộc họp, đồng chí Phó Chủ tịch UBND THành phố Ngô Thành Tâm đã nghe. Chủ tịch UBND tỉnh Lê Duy Thành đề nghị.",
        );
        let summaries: Vec<_> = found.iter().map(|m| summary(&doc, m)).collect();
        assert_eq!(summaries[0].0, "Ngô Thành Tâm");
        assert_eq!(summaries[0].1, ["Phó Chủ tịch UBND Thành phố"]);
        assert_eq!(summaries[1].0, "Ngô Thành Tâm");
        assert_eq!(summaries[1].1, ["Phó Chủ tịch UBND THành phố"]);
        assert_eq!(summaries[2].0, "Lê Duy Thành");
        assert_eq!(summaries[2].1, ["Chủ tịch UBND tỉnh"]);
    }

    #[test]
    fn capitals_only_names_are_title_cased() {
        let (doc, found) = mentions("Đồng chí NGUYỄN VĂN AN, Bí thư Huyện ủy, phát biểu.");
        assert_eq!(summary(&doc, &found[0]).0, "Nguyễn Văn An");
    }

    #[test]
    fn groups_and_post_holders_without_names() {
        let (doc, found) = mentions(
            "Dự có các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy; các thành viên Hội đồng thi đua khen thưởng tỉnh. Chủ tịch UBND thành phố cũng phê bình.",
        );
        let summaries: Vec<_> = found.iter().map(|m| summary(&doc, m)).collect();
        assert_eq!(
            summaries[0],
            (
                "(group)".into(),
                vec!["Ủy viên Ban Thường vụ Tỉnh ủy".into()]
            )
        );
        assert_eq!(
            summaries[1],
            (
                "(group)".into(),
                vec!["thành viên Hội đồng thi đua khen thưởng tỉnh".into()]
            )
        );
        assert_eq!(
            summaries[2],
            (
                "(title only)".into(),
                vec!["Chủ tịch UBND thành phố".into()]
            )
        );
    }
}
