//! Organization phrases: "Thành ủy Cần Thơ", "Ban Thường vụ Tỉnh ủy", "Ban Dân vận Thành ủy",
//! "HĐND thành phố", "UBND quận Liên Chiểu", "Văn phòng HĐND và UBND Thành phố", "Sở Nội vụ",
//! "Hội đồng thi đua khen thưởng tỉnh", "Ủy ban MTTQ tỉnh", "Chính phủ", ...
//!
//! A phrase is parsed into an [`OrgSpec`]: the kind of body, its name with and without
//! abbreviations, and what it hangs on: an administrative unit ("thành phố", possibly with its
//! place named), a party committee (for the Party's boards), or nothing (national bodies). The
//! place a phrase leaves implicit ("HĐND thành phố") is filled in later from the article's
//! context ([`Context`]): the one place of that kind the article names, or the publisher's.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use gazette_domain::organization::{Classification, Level};

use crate::lexicon::{self, PROVINCE_PHRASES, PROVINCES, TITLE_HEAD_PHRASES, is_family_name};
use crate::tokens::{Doc, Phrase};

/// A kind of administrative unit, as the press writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum UnitKind {
    /// tỉnh.
    Province,
    /// thành phố (centrally-run or provincial).
    City,
    /// huyện.
    District,
    /// quận.
    UrbanDistrict,
    /// thị xã.
    Town,
    /// xã.
    Commune,
    /// phường.
    Ward,
    /// thị trấn.
    Township,
}

impl UnitKind {
    /// The word as written in a name ("thành phố").
    pub(crate) fn word(self) -> &'static str {
        match self {
            Self::Province => "tỉnh",
            Self::City => "thành phố",
            Self::District => "huyện",
            Self::UrbanDistrict => "quận",
            Self::Town => "thị xã",
            Self::Commune => "xã",
            Self::Ward => "phường",
            Self::Township => "thị trấn",
        }
    }

    /// The word capitalized, as the first word of a unit's own name ("Thành phố Cần Thơ").
    fn capitalized(self) -> String {
        capitalize_first(self.word())
    }

    /// The unit kind of a word as written ("tỉnh", "thành phố", ...).
    pub(crate) fn from_word(word: &str) -> Option<Self> {
        let folded = gazette_domain::text::fold(word);
        [
            Self::Province,
            Self::City,
            Self::District,
            Self::UrbanDistrict,
            Self::Town,
            Self::Commune,
            Self::Ward,
            Self::Township,
        ]
        .into_iter()
        .find(|k| gazette_domain::text::fold(k.word()) == folded)
    }

    /// The party committee word of this kind of unit, when it has one ("Tỉnh ủy").
    fn committee_word(self) -> Option<&'static str> {
        match self {
            Self::Province => Some("Tỉnh ủy"),
            Self::City => Some("Thành ủy"),
            Self::District => Some("Huyện ủy"),
            Self::UrbanDistrict => Some("Quận ủy"),
            Self::Town => Some("Thị ủy"),
            _ => None,
        }
    }

    /// The level of a unit of this kind, when the place decides it (a "thành phố" is a province
    /// when it is centrally run and a district otherwise).
    pub(crate) fn level(self, place: Option<&str>) -> Option<Level> {
        match self {
            Self::Province => Some(Level::Province),
            Self::City => place.map(|p| {
                if is_central_city(p) {
                    Level::Province
                } else {
                    Level::District
                }
            }),
            Self::District | Self::UrbanDistrict | Self::Town => Some(Level::District),
            Self::Commune | Self::Ward | Self::Township => Some(Level::Commune),
        }
    }
}

/// Whether a place is a centrally-run city.
fn is_central_city(place: &str) -> bool {
    let folded = gazette_domain::text::fold(place);
    PROVINCES
        .iter()
        .any(|(name, central)| *central && gazette_domain::text::fold(name) == folded)
}

/// Uppercases the first character.
pub(crate) fn capitalize_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// An administrative unit a body belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Unit {
    /// Its kind.
    pub kind: UnitKind,
    /// Its place, when written.
    pub place: Option<String>,
}

/// What a body hangs on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Anchor {
    /// An administrative unit ("UBND tỉnh").
    Unit(Unit),
    /// Nothing written: "UBND" alone.
    Bare,
    /// National: no unit.
    National,
    /// A party committee ("Ban Dân vận Thành ủy"); `None` when it is not written ("Ban Thường
    /// vụ" alone).
    Committee(Option<Box<OrgSpec>>),
}

/// A parsed organization phrase.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct OrgSpec {
    /// What kind of body.
    pub class: Classification,
    /// Its name without the unit, in full ("Ủy ban nhân dân"); for a party committee, its word
    /// ("Thành ủy") or "Đảng ủy".
    pub full: String,
    /// The same with the usual abbreviations ("UBND").
    pub short: String,
    /// What it hangs on.
    pub anchor: Anchor,
    /// Whether the name is the committee word and the place ("Thành ủy Cần Thơ") rather than
    /// name, unit word and place ("Đảng ủy xã X").
    pub committee_word: bool,
}

/// A phrase found in the text.
#[derive(Debug, Clone)]
pub(crate) struct OrgMatch {
    /// The organization.
    pub spec: OrgSpec,
    /// The first token of the phrase.
    pub start: usize,
    /// The token after the phrase.
    pub end: usize,
    /// Whether the phrase names many bodies ("UBND các phường, xã"): a group, not one body.
    pub plural: bool,
}

/// How the parser should treat capitalized words after a unit word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum After {
    /// They are the place ("Chủ tịch UBND huyện Vạn Ninh,").
    Place,
    /// A person's name may follow the place ("Chủ tịch UBND tỉnh Lê Duy Thành"): split them.
    NameMayFollow,
}

/// The most distinct places of one kind the context keeps.
const MAX_PLACES_PER_KIND: usize = 16;

/// Places named in the article, by kind: what an implicit "thành phố" refers to.
#[derive(Debug, Clone, Default)]
pub(crate) struct Context {
    /// Places by kind, with how often each is named.
    named: BTreeMap<UnitKind, Vec<(String, usize)>>,
    /// The publisher's locality.
    publisher: Option<Unit>,
}

/// How a place was found for a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PlaceSource {
    /// Written in the phrase.
    Written,
    /// The one place of that kind the article names.
    Article,
    /// The publisher's locality.
    Publisher,
    /// Not known.
    Unknown,
    /// The article names several places of that kind.
    Ambiguous,
}

impl Context {
    /// Collects the places the article names unambiguously.
    pub(crate) fn collect(doc: &Doc, publisher: Option<Unit>) -> Self {
        let mut context = Self {
            named: BTreeMap::new(),
            publisher,
        };
        let empty = Self::default();
        for sent in &doc.sents {
            let mut i = sent.tokens.start;
            while i < sent.tokens.end {
                if let Some((unit, end)) = committee_unit_at(doc, i, sent.tokens.end, &empty)
                    .or_else(|| unit_at(doc, i, sent.tokens.end, After::Place, &empty, true))
                    && let Some(place) = &unit.place
                {
                    context.note(unit.kind, place);
                    i = end;
                    continue;
                }
                i += 1;
            }
        }
        context
    }

    fn note(&mut self, kind: UnitKind, place: &str) {
        let places = self.named.entry(kind).or_default();
        let key = gazette_domain::text::fold(place);
        let full = places.len() >= MAX_PLACES_PER_KIND;
        match places
            .iter_mut()
            .find(|(p, _)| gazette_domain::text::fold(p) == key)
        {
            Some((_, count)) => *count += 1,
            // Past a handful of places of one kind, an implicit unit is ambiguous anyway;
            // keeping the list short keeps every lookup in it constant-time.
            None if !full => places.push((place.to_owned(), 1)),
            None => {}
        }
    }

    /// The place an implicit unit of this kind refers to, and how it was found.
    pub(crate) fn place_for(&self, kind: UnitKind) -> (Option<String>, PlaceSource) {
        match self.named.get(&kind).map(Vec::as_slice) {
            Some([(place, _)]) => (Some(place.clone()), PlaceSource::Article),
            Some([_, _, ..]) => (None, PlaceSource::Ambiguous),
            _ => match &self.publisher {
                Some(unit) if unit.kind == kind => (unit.place.clone(), PlaceSource::Publisher),
                _ => (None, PlaceSource::Unknown),
            },
        }
    }

    /// The one province-level unit of the article (a tỉnh, or a centrally-run thành phố), when
    /// there is exactly one.
    pub(crate) fn province_level_place(&self) -> Option<(Unit, PlaceSource)> {
        let mut found: Vec<Unit> = Vec::new();
        for kind in [UnitKind::Province, UnitKind::City] {
            for (place, _) in self.named.get(&kind).into_iter().flatten() {
                if kind == UnitKind::Province || is_central_city(place) {
                    found.push(Unit {
                        kind,
                        place: Some(place.clone()),
                    });
                }
            }
        }
        match found.as_slice() {
            [only] => Some((only.clone(), PlaceSource::Article)),
            [] => self
                .publisher
                .as_ref()
                .filter(|u| {
                    u.kind == UnitKind::Province
                        || (u.kind == UnitKind::City
                            && u.place.as_deref().is_some_and(is_central_city))
                })
                .map(|u| (u.clone(), PlaceSource::Publisher)),
            _ => None,
        }
    }

    /// Whether the article names this place as a unit of some kind.
    fn knows(&self, folded_words: &[&str]) -> Option<usize> {
        self.named
            .values()
            .flatten()
            .map(|(place, _)| gazette_domain::text::fold(place))
            .filter(|place| {
                let words: Vec<&str> = place.split(' ').collect();
                folded_words.starts_with(&words)
            })
            .map(|place| place.split(' ').count())
            .max()
    }

    /// The single party committee of the article, for a "Ban Thường vụ" that names none: the
    /// kind of unit most places are named for.
    pub(crate) fn main_committee_kind(&self) -> Option<UnitKind> {
        let kinds: Vec<UnitKind> = self
            .named
            .keys()
            .copied()
            .filter(|k| k.committee_word().is_some())
            .collect();
        match kinds.as_slice() {
            [only] => Some(*only),
            _ => self
                .publisher
                .as_ref()
                .map(|u| u.kind)
                .filter(|k| k.committee_word().is_some()),
        }
    }
}

/// A compiled phrase table.
fn table(list: &[&str]) -> Vec<Phrase> {
    lexicon::folded(list)
}

/// Party committee words and the kind of unit each belongs to.
static COMMITTEE_WORDS: LazyLock<Vec<(Phrase, UnitKind)>> = LazyLock::new(|| {
    [
        ("Thành ủy", UnitKind::City),
        ("Tỉnh ủy", UnitKind::Province),
        ("Huyện ủy", UnitKind::District),
        ("Quận ủy", UnitKind::UrbanDistrict),
        ("Thị ủy", UnitKind::Town),
    ]
    .into_iter()
    .map(|(w, k)| (Phrase::folded(w), k))
    .collect()
});

/// Unit words and their kinds; short and ambiguous ones match exactly ("xã" is not "xa",
/// "phường" is not "phương" as in "địa phương", "quận" is not "quân").
static UNIT_WORDS: LazyLock<Vec<(Phrase, UnitKind)>> = LazyLock::new(|| {
    vec![
        (Phrase::exact("tỉnh"), UnitKind::Province),
        (Phrase::folded("thành phố"), UnitKind::City),
        (Phrase::folded("TP"), UnitKind::City),
        (Phrase::folded("huyện"), UnitKind::District),
        (Phrase::exact("quận"), UnitKind::UrbanDistrict),
        (Phrase::folded("thị xã"), UnitKind::Town),
        (Phrase::folded("TX"), UnitKind::Town),
        (Phrase::exact("xã"), UnitKind::Commune),
        (Phrase::exact("phường"), UnitKind::Ward),
        (Phrase::folded("thị trấn"), UnitKind::Township),
    ]
});

static CAC: LazyLock<Vec<Phrase>> = LazyLock::new(|| table(&["các", "những"]));

/// Reads a unit at `i`: an optional "các", a unit word, and the place when written.
/// `confident` (the context scan) keeps only places that cannot be a person's name.
fn unit_at(
    doc: &Doc,
    i: usize,
    limit: usize,
    after: After,
    context: &Context,
    confident: bool,
) -> Option<(Unit, usize)> {
    let plural_end = CAC
        .iter()
        .find_map(|p| doc.phrase(i, limit, p))
        .unwrap_or(i);
    // "TP.HCM", "TPHCM": the unit word and the place in one token.
    if matches!(doc.folded(plural_end), "tp.hcm" | "tphcm") && plural_end < limit {
        return Some((
            Unit {
                kind: UnitKind::City,
                place: Some("Hồ Chí Minh".to_owned()),
            },
            plural_end + 1,
        ));
    }
    let (end, kind) = UNIT_WORDS
        .iter()
        .find_map(|(phrase, kind)| Some((doc.phrase(plural_end, limit, phrase)?, *kind)))?;
    // "TP. Hồ Chí Minh": the period of an abbreviated unit word, when a place follows.
    let mut end = end;
    if doc.is_punct(end, '.')
        && end + 1 < limit
        && matches!(doc.folded(end - 1), "tp" | "tx")
        && doc.is_cap(end + 1)
    {
        end += 1;
    }
    let (place, place_end) = place_at(doc, end, limit, kind, after, context, confident);
    Some((Unit { kind, place }, place_end))
}

/// Reads the place after a unit word, when written.
fn place_at(
    doc: &Doc,
    i: usize,
    limit: usize,
    kind: UnitKind,
    after: After,
    context: &Context,
    confident: bool,
) -> (Option<String>, usize) {
    // "HCM" is how the press abbreviates Hồ Chí Minh after "TP".
    if matches!(doc.folded(i), "hcm" | "tphcm") && i < limit {
        return (Some("Hồ Chí Minh".to_owned()), i + 1);
    }
    if matches!(kind, UnitKind::Province | UnitKind::City)
        && let Some((index, end, _)) = doc.longest(i, limit, &PROVINCE_PHRASES)
    {
        let name = PROVINCES.get(index).map_or("", |(name, _)| name);
        return (Some(name.to_owned()), end);
    }
    // The capitalized run after the unit word, up to eight words.
    let mut run_end = i;
    while run_end < limit && run_end - i < 8 && doc.is_cap(run_end) {
        if run_end > i && doc.longest(run_end, limit, &TITLE_HEAD_PHRASES).is_some() {
            break;
        }
        run_end += 1;
    }
    if run_end == i {
        return (None, i);
    }
    let words: Vec<&str> = (i..run_end).map(|k| doc.folded(k)).collect();
    let take = |n: usize| {
        if n == 0 {
            (None, i)
        } else {
            (Some(doc.text_of(i..i + n).to_owned()), i + n)
        }
    };
    if let Some(known) = context.knows(&words) {
        return take(known);
    }
    let starts_with_family = words.first().is_some_and(|w| is_family_name(w));
    // Where a person's name may begin: at a family name after the first word, leaving a name
    // of two to four words. Three-word names are the most common, then four, then two.
    let split = (1..words.len())
        .filter(|&k| is_family_name(words[k]) && (2..=4).contains(&(words.len() - k)))
        .max_by_key(|&k| {
            let preference = match words.len() - k {
                3 => 3,
                4 => 2,
                _ => 1,
            };
            (preference, k)
        });
    if confident {
        if kind == UnitKind::Province || starts_with_family {
            return (None, i);
        }
        return take(split.unwrap_or(words.len().min(4)));
    }
    match after {
        After::Place => take(words.len().min(4)),
        After::NameMayFollow => {
            if kind == UnitKind::Province || (starts_with_family && (3..=5).contains(&words.len()))
            {
                // Every province is in the table, so an unknown run is a name.
                take(0)
            } else if let Some(k) = split {
                take(k)
            } else {
                take(words.len().min(4))
            }
        }
    }
}

/// Reads a party committee word with its place: "Thành ủy Cần Thơ", "Tỉnh ủy", "Huyện ủy Vạn
/// Ninh", or "Ban Chấp hành Đảng bộ tỉnh Bắc Giang", "Đảng ủy xã X".
fn committee_unit_at(
    doc: &Doc,
    i: usize,
    limit: usize,
    context: &Context,
) -> Option<(Unit, usize)> {
    if let Some((end, kind)) = COMMITTEE_WORDS
        .iter()
        .find_map(|(phrase, kind)| Some((doc.phrase(i, limit, phrase)?, *kind)))
    {
        let (place, end) = place_at(doc, end, limit, kind, After::Place, context, false);
        return Some((Unit { kind, place }, end));
    }
    static BCH: LazyLock<Vec<Phrase>> =
        LazyLock::new(|| table(&["ban chấp hành đảng bộ", "BCH đảng bộ", "đảng ủy", "đảng bộ"]));
    let end = BCH.iter().find_map(|p| doc.phrase(i, limit, p))?;
    let (unit, end) = unit_at(doc, end, limit, After::Place, context, false)?;
    Some((unit, end))
}

/// The spec of a party committee for a unit.
fn committee_spec(unit: Unit) -> OrgSpec {
    let (full, committee_word) = match unit.kind.committee_word() {
        Some(word) => (word.to_owned(), true),
        None => ("Đảng ủy".to_owned(), false),
    };
    OrgSpec {
        class: Classification::PartyCommittee,
        short: full.clone(),
        full,
        anchor: Anchor::Unit(unit),
        committee_word,
    }
}

/// A spec hanging on a unit.
fn unit_spec(class: Classification, full: &str, short: &str, anchor: Anchor) -> OrgSpec {
    OrgSpec {
        class,
        full: full.to_owned(),
        short: short.to_owned(),
        anchor,
        committee_word: false,
    }
}

/// Reads the party committee a board hangs on, when written.
fn committee_at(doc: &Doc, i: usize, limit: usize, context: &Context) -> Option<(OrgSpec, usize)> {
    static CENTRAL: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
        table(&[
            "ban chấp hành trung ương đảng",
            "ban chấp hành trung ương",
            "trung ương đảng",
            "BCH trung ương",
            "trung ương",
        ])
    });
    if let Some(end) = CENTRAL.iter().find_map(|p| doc.phrase(i, limit, p)) {
        return Some((central_committee(), end));
    }
    let (unit, end) = committee_unit_at(doc, i, limit, context)?;
    Some((committee_spec(unit), end))
}

/// Ban Chấp hành Trung ương Đảng.
pub(crate) fn central_committee() -> OrgSpec {
    unit_spec(
        Classification::PartyCommittee,
        "Ban Chấp hành Trung ương Đảng",
        "BCH Trung ương Đảng",
        Anchor::National,
    )
}

/// A national body implied by a title or an award form.
pub(crate) fn fixed(body: lexicon::Fixed) -> OrgSpec {
    match body {
        lexicon::Fixed::Government => unit_spec(
            Classification::Government,
            "Chính phủ",
            "Chính phủ",
            Anchor::National,
        ),
        lexicon::Fixed::Presidency => unit_spec(
            Classification::Presidency,
            "Chủ tịch nước",
            "Chủ tịch nước",
            Anchor::National,
        ),
        lexicon::Fixed::NationalAssembly => unit_spec(
            Classification::Other,
            "Quốc hội",
            "Quốc hội",
            Anchor::National,
        ),
        lexicon::Fixed::CentralCommittee => central_committee(),
    }
}

/// State bodies that hang on a unit: full name, short name, classification.
static UNIT_BODIES: LazyLock<Vec<(Phrase, &'static str, &'static str, Classification)>> =
    LazyLock::new(|| {
        let front = Classification::FatherlandFront;
        let mass = Classification::MassOrganization;
        [
            (
                "Hội đồng nhân dân",
                "Hội đồng nhân dân",
                "HĐND",
                Classification::PeoplesCouncil,
            ),
            (
                "HĐND",
                "Hội đồng nhân dân",
                "HĐND",
                Classification::PeoplesCouncil,
            ),
            (
                "Ủy ban nhân dân",
                "Ủy ban nhân dân",
                "UBND",
                Classification::PeoplesCommittee,
            ),
            (
                "UBND",
                "Ủy ban nhân dân",
                "UBND",
                Classification::PeoplesCommittee,
            ),
            (
                "Ủy ban Mặt trận Tổ quốc Việt Nam",
                "Ủy ban Mặt trận Tổ quốc Việt Nam",
                "Ủy ban MTTQ Việt Nam",
                front,
            ),
            (
                "Ủy ban Mặt trận Tổ quốc",
                "Ủy ban Mặt trận Tổ quốc Việt Nam",
                "Ủy ban MTTQ Việt Nam",
                front,
            ),
            (
                "Ủy ban MTTQ Việt Nam",
                "Ủy ban Mặt trận Tổ quốc Việt Nam",
                "Ủy ban MTTQ Việt Nam",
                front,
            ),
            (
                "Ủy ban MTTQ",
                "Ủy ban Mặt trận Tổ quốc Việt Nam",
                "Ủy ban MTTQ Việt Nam",
                front,
            ),
            (
                "UBMTTQ Việt Nam",
                "Ủy ban Mặt trận Tổ quốc Việt Nam",
                "Ủy ban MTTQ Việt Nam",
                front,
            ),
            (
                "UBMTTQ",
                "Ủy ban Mặt trận Tổ quốc Việt Nam",
                "Ủy ban MTTQ Việt Nam",
                front,
            ),
            (
                "Mặt trận Tổ quốc Việt Nam",
                "Ủy ban Mặt trận Tổ quốc Việt Nam",
                "Ủy ban MTTQ Việt Nam",
                front,
            ),
            (
                "Mặt trận Tổ quốc",
                "Ủy ban Mặt trận Tổ quốc Việt Nam",
                "Ủy ban MTTQ Việt Nam",
                front,
            ),
            (
                "MTTQ",
                "Ủy ban Mặt trận Tổ quốc Việt Nam",
                "Ủy ban MTTQ Việt Nam",
                front,
            ),
            (
                "Hội đồng thi đua khen thưởng",
                "Hội đồng Thi đua - Khen thưởng",
                "Hội đồng TĐKT",
                Classification::Council,
            ),
            (
                "Hội đồng thi đua - khen thưởng",
                "Hội đồng Thi đua - Khen thưởng",
                "Hội đồng TĐKT",
                Classification::Council,
            ),
            (
                "HĐTĐKT",
                "Hội đồng Thi đua - Khen thưởng",
                "Hội đồng TĐKT",
                Classification::Council,
            ),
            (
                "Liên đoàn Lao động",
                "Liên đoàn Lao động",
                "Liên đoàn Lao động",
                mass,
            ),
            ("Hội Nông dân", "Hội Nông dân", "Hội Nông dân", mass),
            (
                "Hội Liên hiệp Phụ nữ",
                "Hội Liên hiệp Phụ nữ",
                "Hội Liên hiệp Phụ nữ",
                mass,
            ),
            (
                "Hội Cựu chiến binh",
                "Hội Cựu chiến binh",
                "Hội Cựu chiến binh",
                mass,
            ),
            (
                "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
                "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
                "Đoàn TNCS Hồ Chí Minh",
                mass,
            ),
            (
                "Đoàn Thanh niên",
                "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
                "Đoàn TNCS Hồ Chí Minh",
                mass,
            ),
            (
                "Đoàn đại biểu Quốc hội",
                "Đoàn đại biểu Quốc hội",
                "Đoàn ĐBQH",
                Classification::Other,
            ),
            (
                "Đoàn ĐBQH",
                "Đoàn đại biểu Quốc hội",
                "Đoàn ĐBQH",
                Classification::Other,
            ),
            (
                "Tòa án nhân dân",
                "Tòa án nhân dân",
                "TAND",
                Classification::Other,
            ),
            ("TAND", "Tòa án nhân dân", "TAND", Classification::Other),
            (
                "Viện Kiểm sát nhân dân",
                "Viện Kiểm sát nhân dân",
                "VKSND",
                Classification::Other,
            ),
            (
                "VKSND",
                "Viện Kiểm sát nhân dân",
                "VKSND",
                Classification::Other,
            ),
            ("Công an", "Công an", "Công an", Classification::Other),
            (
                "Bộ Chỉ huy Quân sự",
                "Bộ Chỉ huy Quân sự",
                "Bộ Chỉ huy Quân sự",
                Classification::Other,
            ),
            (
                "Thanh tra",
                "Thanh tra",
                "Thanh tra",
                Classification::Department,
            ),
        ]
        .into_iter()
        .map(|(written, full, short, class)| (Phrase::folded(written), full, short, class))
        .collect()
    });

/// Bodies that need their unit written to be an organization ("Công an" alone is not one).
fn needs_unit(full: &str) -> bool {
    matches!(
        full,
        "Công an"
            | "Thanh tra"
            | "Bộ Chỉ huy Quân sự"
            | "Tòa án nhân dân"
            | "Viện Kiểm sát nhân dân"
    )
}

/// The usual departments (sở) of a province, folded, in full.
static DEPARTMENTS: LazyLock<Vec<(Phrase, &'static str)>> = LazyLock::new(|| {
    [
        "Nội vụ",
        "Tư pháp",
        "Kế hoạch và Đầu tư",
        "Tài chính",
        "Công Thương",
        "Nông nghiệp và Phát triển nông thôn",
        "Nông nghiệp và Môi trường",
        "Giao thông vận tải",
        "Xây dựng",
        "Tài nguyên và Môi trường",
        "Lao động - Thương binh và Xã hội",
        "Văn hóa, Thể thao và Du lịch",
        "Văn hóa và Thể thao",
        "Văn hóa - Thể thao",
        "Du lịch",
        "Khoa học và Công nghệ",
        "Giáo dục và Đào tạo",
        "Y tế",
        "Thông tin và Truyền thông",
        "Ngoại vụ",
        "Dân tộc và Tôn giáo",
        "Dân tộc",
    ]
    .into_iter()
    .map(|name| (Phrase::folded(name), name))
    .collect()
});

/// The ministries (bộ), folded, in full.
static MINISTRIES: LazyLock<Vec<(Phrase, &'static str)>> = LazyLock::new(|| {
    [
        "Nội vụ",
        "Công an",
        "Quốc phòng",
        "Ngoại giao",
        "Tư pháp",
        "Tài chính",
        "Kế hoạch và Đầu tư",
        "Công Thương",
        "Nông nghiệp và Phát triển nông thôn",
        "Nông nghiệp và Môi trường",
        "Giao thông vận tải",
        "Xây dựng",
        "Tài nguyên và Môi trường",
        "Thông tin và Truyền thông",
        "Lao động - Thương binh và Xã hội",
        "Văn hóa, Thể thao và Du lịch",
        "Khoa học và Công nghệ",
        "Giáo dục và Đào tạo",
        "Y tế",
        "Dân tộc và Tôn giáo",
    ]
    .into_iter()
    .map(|name| (Phrase::folded(name), name))
    .collect()
});

/// Names of the Party's advisory boards ("Ban Dân vận").
static PARTY_BOARDS: LazyLock<Vec<(Phrase, &'static str)>> = LazyLock::new(|| {
    [
        "Tuyên giáo và Dân vận",
        "Dân vận",
        "Tuyên giáo",
        "Tổ chức",
        "Nội chính",
        "Kinh tế",
        "Đối ngoại",
        "Chính sách, chiến lược",
        "Bảo vệ, chăm sóc sức khỏe cán bộ",
    ]
    .into_iter()
    .map(|name| (Phrase::folded(name), name))
    .collect()
});

/// Reads an organization phrase starting at `i`.
pub(crate) fn org_at(
    doc: &Doc,
    i: usize,
    limit: usize,
    after: After,
    context: &Context,
) -> Option<OrgMatch> {
    let mut found = org_at_inner(doc, i, limit, after, context)?;
    found.start = i;
    Some(found)
}

fn org_at_inner(
    doc: &Doc,
    i: usize,
    limit: usize,
    after: After,
    context: &Context,
) -> Option<OrgMatch> {
    if !doc.is_word(i) {
        return None;
    }
    static STANDING: LazyLock<Vec<Phrase>> =
        LazyLock::new(|| table(&["ban thường vụ", "BTV", "thường vụ", "thường trực"]));
    static BAN: LazyLock<Phrase> = LazyLock::new(|| Phrase::folded("ban"));
    static INSPECTION: LazyLock<Vec<Phrase>> =
        LazyLock::new(|| table(&["ủy ban kiểm tra", "UBKT"]));
    static OFFICE: LazyLock<Phrase> = LazyLock::new(|| Phrase::folded("văn phòng"));
    static DEPARTMENT: LazyLock<Phrase> = LazyLock::new(|| Phrase::exact("sở"));
    static MINISTRY: LazyLock<Phrase> = LazyLock::new(|| Phrase::exact("bộ"));
    static NATIONAL: LazyLock<Vec<(Phrase, &'static str, &'static str, Classification)>> =
        LazyLock::new(|| {
            [
                (
                    "Văn phòng Chính phủ",
                    "Văn phòng Chính phủ",
                    "VPCP",
                    Classification::Ministry,
                ),
                (
                    "VPCP",
                    "Văn phòng Chính phủ",
                    "VPCP",
                    Classification::Ministry,
                ),
                (
                    "Chính phủ",
                    "Chính phủ",
                    "Chính phủ",
                    Classification::Government,
                ),
                ("Quốc hội", "Quốc hội", "Quốc hội", Classification::Other),
                (
                    "Bộ Chính trị",
                    "Bộ Chính trị",
                    "Bộ Chính trị",
                    Classification::StandingBoard,
                ),
                (
                    "Ban Bí thư",
                    "Ban Bí thư",
                    "Ban Bí thư",
                    Classification::StandingBoard,
                ),
            ]
            .into_iter()
            .map(|(w, f, s, c)| (Phrase::folded(w), f, s, c))
            .collect()
        });

    let found = |spec: OrgSpec, end: usize| {
        Some(OrgMatch {
            spec,
            start: i,
            end,
            plural: false,
        })
    };

    // National bodies first: "Văn phòng Chính phủ" before "Văn phòng ...".
    if let Some((end, full, short, class)) = NATIONAL
        .iter()
        .find_map(|(p, f, s, c)| Some((doc.phrase(i, limit, p)?, *f, *s, *c)))
    {
        return found(unit_spec(class, full, short, Anchor::National), end);
    }
    // Ban Chấp hành Trung ương, Thành ủy X, Ban Chấp hành Đảng bộ tỉnh X, Đảng ủy xã X.
    if let Some((spec, end)) = committee_at(doc, i, limit, context) {
        return found(spec, end);
    }
    // Ban Thường vụ Tỉnh ủy, Thường trực Thành ủy.
    if let Some(after_word) = STANDING.iter().find_map(|p| doc.phrase(i, limit, p)) {
        let written = doc.folded(i);
        let full = if written == "thuong" && doc.folded(i + 1) == "truc" {
            "Thường trực"
        } else {
            "Ban Thường vụ"
        };
        let short = if full == "Thường trực" {
            full
        } else {
            "BTV"
        };
        return match committee_at(doc, after_word, limit, context) {
            Some((committee, end)) => found(
                unit_spec(
                    Classification::StandingBoard,
                    full,
                    short,
                    Anchor::Committee(Some(Box::new(committee))),
                ),
                end,
            ),
            // "Ban Thường vụ" alone: a committee the context must supply. "Thường trực" alone
            // is too vague to be a body.
            None if full == "Ban Thường vụ" => found(
                unit_spec(
                    Classification::StandingBoard,
                    full,
                    short,
                    Anchor::Committee(None),
                ),
                after_word,
            ),
            None => None,
        };
    }
    // Ủy ban Kiểm tra Tỉnh ủy.
    if let Some(after_word) = INSPECTION.iter().find_map(|p| doc.phrase(i, limit, p))
        && let Some((committee, end)) = committee_at(doc, after_word, limit, context)
    {
        return found(
            unit_spec(
                Classification::PartyBoard,
                "Ủy ban Kiểm tra",
                "UBKT",
                Anchor::Committee(Some(Box::new(committee))),
            ),
            end,
        );
    }
    // Ban Dân vận Thành ủy, Ban Tuyên giáo và Dân vận Tỉnh ủy.
    if let Some(after_ban) = doc.phrase(i, limit, &BAN)
        && let Some(board) = party_board_at(doc, i, after_ban, limit, context)
    {
        return Some(board);
    }
    // Văn phòng Tỉnh ủy; Văn phòng HĐND và UBND thành phố.
    if let Some(after_office) = doc.phrase(i, limit, &OFFICE) {
        if let Some((committee, end)) = committee_at(doc, after_office, limit, context) {
            return found(
                unit_spec(
                    Classification::PartyBoard,
                    "Văn phòng",
                    "Văn phòng",
                    Anchor::Committee(Some(Box::new(committee))),
                ),
                end,
            );
        }
        if let Some(office) = state_office_at(doc, after_office, limit, after, context) {
            return Some(office);
        }
    }
    // Sở Nội vụ (tỉnh X).
    if let Some(after_word) = doc.phrase(i, limit, &DEPARTMENT) {
        let (name, name_end) = match DEPARTMENTS
            .iter()
            .filter_map(|(p, n)| Some((doc.phrase(after_word, limit, p)?, *n)))
            .max_by_key(|(end, _)| *end)
        {
            Some((end, name)) => (name.to_owned(), end),
            None if doc.is_cap(after_word) => {
                // A department the table does not know: a capitalized word and at most one
                // lowercase word after it ("Sở Ngoại vụ").
                let mut end = after_word + 1;
                if end < limit && doc.is_word(end) && !doc.is_cap(end) && !is_stop_word(doc, end) {
                    end += 1;
                }
                (doc.text_of(after_word..end).to_owned(), end)
            }
            None => return None,
        };
        let full = format!("Sở {name}");
        let (anchor, end) = match unit_at(doc, name_end, limit, after, context, false) {
            Some((unit, end)) => (Anchor::Unit(unit), end),
            None => (Anchor::Bare, name_end),
        };
        return found(
            unit_spec(Classification::Department, &full, &full, anchor),
            end,
        );
    }
    // Bộ Nội vụ.
    if let Some(after_word) = doc.phrase(i, limit, &MINISTRY)
        && let Some((end, name)) = MINISTRIES
            .iter()
            .filter_map(|(p, n)| Some((doc.phrase(after_word, limit, p)?, *n)))
            .max_by_key(|(end, _)| *end)
    {
        let full = format!("Bộ {name}");
        return found(
            unit_spec(Classification::Ministry, &full, &full, Anchor::National),
            end,
        );
    }
    // HĐND, UBND, MTTQ, councils, mass organizations, courts ... with their unit.
    if let Some((end, full, short, class)) = UNIT_BODIES
        .iter()
        .filter_map(|(p, f, s, c)| Some((doc.phrase(i, limit, p)?, *f, *s, *c)))
        .max_by_key(|(end, ..)| *end)
    {
        return match unit_at(doc, end, limit, after, context, false) {
            Some((unit, unit_end)) => {
                let plural = CAC.iter().any(|p| doc.phrase(end, limit, p).is_some());
                Some(OrgMatch {
                    start: i,
                    spec: unit_spec(class, full, short, Anchor::Unit(unit)),
                    end: unit_end,
                    plural,
                })
            }
            None if needs_unit(full) => None,
            // "Mặt trận" alone or "MTTQ" alone is a group, not a body the article identifies.
            None if class == Classification::FatherlandFront && doc.folded(i) != "uy" => None,
            None => found(unit_spec(class, full, short, Anchor::Bare), end),
        };
    }
    // Tỉnh đoàn, Thành đoàn, Huyện đoàn.
    None
}

/// Words that end a fallback name: verbs and function words.
fn is_stop_word(doc: &Doc, i: usize) -> bool {
    matches!(
        doc.folded(i),
        "va" | "co" | "da" | "la" | "cua" | "cho" | "voi" | "tai" | "tinh" | "thanh" | "huyen"
    ) || doc.longest(i, i + 3, &lexicon::TASK_VERBS).is_some()
}

/// Reads "Ban <name> <party committee>" at `i` (after "Ban" at `after_ban`).
fn party_board_at(
    doc: &Doc,
    i: usize,
    after_ban: usize,
    limit: usize,
    context: &Context,
) -> Option<OrgMatch> {
    // A known board name, or any run of up to six words before a committee word.
    let known = PARTY_BOARDS
        .iter()
        .filter_map(|(p, n)| Some((doc.phrase(after_ban, limit, p)?, *n)))
        .max_by_key(|(end, _)| *end);
    let (name, name_end) = match known {
        Some((end, name)) => (name.to_owned(), end),
        None => {
            if !doc.is_cap(after_ban) {
                return None;
            }
            let window_end = limit.min(after_ban + 7);
            let committee_start = (after_ban + 1..window_end)
                .find(|&k| committee_at(doc, k, limit, context).is_some())?;
            if (after_ban..committee_start).any(|k| !doc.is_word(k) && !doc.is_dash(k)) {
                return None;
            }
            (
                doc.text_of(after_ban..committee_start).to_owned(),
                committee_start,
            )
        }
    };
    let full = format!("Ban {name}");
    match committee_at(doc, name_end, limit, context) {
        Some((committee, end)) => Some(OrgMatch {
            start: i,
            spec: unit_spec(
                Classification::PartyBoard,
                &full,
                &full,
                Anchor::Committee(Some(Box::new(committee))),
            ),
            end,
            plural: false,
        }),
        // A known board with no committee written ("Trưởng Ban Dân vận"): the article's own.
        None if known.is_some() && i < name_end => Some(OrgMatch {
            start: i,
            spec: unit_spec(
                Classification::PartyBoard,
                &full,
                &full,
                Anchor::Committee(None),
            ),
            end: name_end,
            plural: false,
        }),
        None => None,
    }
}

/// Reads the state bodies an office serves, after "Văn phòng": "HĐND và UBND thành phố",
/// "Đoàn đại biểu Quốc hội, HĐND và UBND thành phố", "UBND tỉnh".
fn state_office_at(
    doc: &Doc,
    i: usize,
    limit: usize,
    after: After,
    context: &Context,
) -> Option<OrgMatch> {
    static SERVED: LazyLock<Vec<(Phrase, &'static str, &'static str)>> = LazyLock::new(|| {
        [
            (
                "Đoàn đại biểu Quốc hội",
                "Đoàn đại biểu Quốc hội",
                "Đoàn ĐBQH",
            ),
            ("Đoàn ĐBQH", "Đoàn đại biểu Quốc hội", "Đoàn ĐBQH"),
            ("Hội đồng nhân dân", "Hội đồng nhân dân", "HĐND"),
            ("HĐND", "Hội đồng nhân dân", "HĐND"),
            ("Ủy ban nhân dân", "Ủy ban nhân dân", "UBND"),
            ("UBND", "Ủy ban nhân dân", "UBND"),
        ]
        .into_iter()
        .map(|(w, f, s)| (Phrase::folded(w), f, s))
        .collect()
    });
    static AND: LazyLock<Phrase> = LazyLock::new(|| Phrase::folded("và"));
    let mut parts: Vec<(&str, &str)> = Vec::new();
    let mut at = i;
    loop {
        let (end, full, short) = SERVED
            .iter()
            .filter_map(|(p, f, s)| Some((doc.phrase(at, limit, p)?, *f, *s)))
            .max_by_key(|(end, ..)| *end)?;
        parts.push((full, short));
        at = end;
        let next = if doc.is_punct(at, ',') {
            at + 1
        } else if let Some(next) = doc.phrase(at, limit, &AND) {
            next
        } else {
            break;
        };
        if SERVED
            .iter()
            .any(|(p, ..)| doc.phrase(next, limit, p).is_some())
        {
            at = next;
        } else {
            break;
        }
    }
    let join = |full: bool| {
        let names: Vec<&str> = parts
            .iter()
            .map(|&(f, s)| if full { f } else { s })
            .collect();
        match names.split_last() {
            Some((last, [])) => (*last).to_owned(),
            Some((last, rest)) => format!("{} và {last}", rest.join(", ")),
            None => String::new(),
        }
    };
    let full = format!("Văn phòng {}", join(true));
    let short = format!("Văn phòng {}", join(false));
    let (anchor, end) = match unit_at(doc, at, limit, after, context, false) {
        Some((unit, end)) => (Anchor::Unit(unit), end),
        None => (Anchor::Bare, at),
    };
    Some(OrgMatch {
        start: i,
        spec: unit_spec(Classification::Department, &full, &short, anchor),
        end,
        plural: false,
    })
}

/// An organization with its place resolved: its names, level, and the body it hangs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    /// The full name.
    pub name: String,
    /// The abbreviated name.
    pub short: String,
    /// What kind of body.
    pub class: Classification,
    /// Its level.
    pub level: Option<Level>,
    /// The body it hangs on (a party committee, or the administrative unit).
    pub parent: Option<Box<Resolved>>,
    /// How its place was found.
    pub place_source: PlaceSource,
    /// The unit kind whose place is missing, for the warning.
    pub missing_unit: Option<UnitKind>,
}

impl OrgSpec {
    /// Resolves the spec's place from the context. `sibling_committee` is the party committee
    /// of another title of the same person, for "Ủy viên Ban Thường vụ, Trưởng Ban Tuyên giáo
    /// Tỉnh ủy".
    pub(crate) fn resolve(
        &self,
        context: &Context,
        sibling_committee: Option<&OrgSpec>,
    ) -> Resolved {
        match &self.anchor {
            Anchor::National => Resolved {
                name: self.full.clone(),
                short: self.short.clone(),
                class: self.class,
                level: Some(Level::National),
                parent: None,
                place_source: PlaceSource::Written,
                missing_unit: None,
            },
            // A department (sở) is always a province's: its province is the one the article
            // names, when it names exactly one.
            Anchor::Bare
                if self.class == Classification::Department && self.full.starts_with("Sở ") =>
            {
                match context.province_level_place() {
                    Some((unit, source)) => {
                        let suffix = format!(
                            "{} {}",
                            unit.kind.word(),
                            unit.place.as_deref().unwrap_or("")
                        );
                        Resolved {
                            name: format!("{} {suffix}", self.full),
                            short: format!("{} {suffix}", self.short),
                            class: self.class,
                            level: Some(Level::Province),
                            parent: None,
                            place_source: source,
                            missing_unit: None,
                        }
                    }
                    None => Resolved {
                        name: self.full.clone(),
                        short: self.short.clone(),
                        class: self.class,
                        level: Some(Level::Province),
                        parent: None,
                        place_source: PlaceSource::Unknown,
                        missing_unit: None,
                    },
                }
            }
            Anchor::Bare => Resolved {
                name: self.full.clone(),
                short: self.short.clone(),
                class: self.class,
                level: None,
                parent: None,
                place_source: PlaceSource::Unknown,
                missing_unit: None,
            },
            Anchor::Unit(unit) => {
                let (place, source) = match &unit.place {
                    Some(place) => (Some(place.clone()), PlaceSource::Written),
                    None => context.place_for(unit.kind),
                };
                let suffix = |word: &str| match &place {
                    Some(place) => format!("{word} {place}"),
                    None => word.to_owned(),
                };
                let (name, short) = if self.committee_word {
                    (suffix(&self.full), suffix(&self.short))
                } else {
                    (
                        format!("{} {}", self.full, suffix(unit.kind.word())),
                        format!("{} {}", self.short, suffix(unit.kind.word())),
                    )
                };
                let level = unit.kind.level(place.as_deref());
                // Bodies of a named unit hang on the unit itself.
                let parent = match (&place, self.class) {
                    (
                        Some(place),
                        Classification::PartyCommittee
                        | Classification::PeoplesCouncil
                        | Classification::PeoplesCommittee
                        | Classification::FatherlandFront,
                    ) => Some(Box::new(Resolved {
                        name: format!("{} {place}", unit.kind.capitalized()),
                        short: format!("{} {place}", unit.kind.capitalized()),
                        class: Classification::AdministrativeUnit,
                        level,
                        parent: None,
                        place_source: source,
                        missing_unit: None,
                    })),
                    _ => None,
                };
                Resolved {
                    name,
                    short,
                    class: self.class,
                    level,
                    parent,
                    place_source: source,
                    missing_unit: place.is_none().then_some(unit.kind),
                }
            }
            Anchor::Committee(committee) => {
                let implicit;
                let committee = match (committee, sibling_committee) {
                    (Some(committee), _) => committee.as_ref(),
                    (None, Some(sibling)) => sibling,
                    (None, None) => {
                        implicit = context
                            .main_committee_kind()
                            .map(|kind| committee_spec(Unit { kind, place: None }));
                        match &implicit {
                            Some(spec) => spec,
                            None => {
                                return Resolved {
                                    name: self.full.clone(),
                                    short: self.short.clone(),
                                    class: self.class,
                                    level: None,
                                    parent: None,
                                    place_source: PlaceSource::Unknown,
                                    missing_unit: None,
                                };
                            }
                        }
                    }
                };
                let parent = committee.resolve(context, None);
                Resolved {
                    name: format!("{} {}", self.full, parent.name),
                    short: format!("{} {}", self.short, parent.short),
                    class: self.class,
                    level: parent.level,
                    place_source: parent.place_source,
                    missing_unit: parent.missing_unit,
                    parent: Some(Box::new(parent)),
                }
            }
        }
    }

    /// The party committee this spec names or hangs on, for sharing among one person's titles.
    pub(crate) fn committee(&self) -> Option<&OrgSpec> {
        match &self.anchor {
            Anchor::Committee(Some(committee)) => Some(committee),
            _ if self.class == Classification::PartyCommittee => Some(self),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, after: After) -> Option<(Resolved, String)> {
        let doc = Doc::new(text.to_owned());
        let context = Context::collect(&doc, None);
        let found = org_at(&doc, 0, doc.tokens.len(), after, &context)?;
        Some((
            found.spec.resolve(&context, None),
            doc.text_of(0..found.end).to_owned(),
        ))
    }

    #[test]
    fn state_bodies_take_their_unit_and_place() {
        let (org, written) = parse("UBND quận Liên Chiểu có kết quả", After::Place).unwrap();
        assert_eq!(org.name, "Ủy ban nhân dân quận Liên Chiểu");
        assert_eq!(org.short, "UBND quận Liên Chiểu");
        assert_eq!(org.level, Some(Level::District));
        assert_eq!(written, "UBND quận Liên Chiểu");

        let (org, _) = parse("HĐND thành phố Cần Thơ", After::Place).unwrap();
        assert_eq!(org.level, Some(Level::Province));
        assert_eq!(org.parent.unwrap().name, "Thành phố Cần Thơ");
    }

    #[test]
    fn a_name_after_the_unit_is_not_taken_for_the_place() {
        let (org, written) = parse("UBND tỉnh Lê Duy Thành đề nghị", After::NameMayFollow).unwrap();
        assert_eq!(org.name, "Ủy ban nhân dân tỉnh");
        assert_eq!(written, "UBND tỉnh");
        let (org, written) =
            parse("UBND huyện Vạn Ninh Nguyễn Văn An", After::NameMayFollow).unwrap();
        assert_eq!(org.name, "Ủy ban nhân dân huyện Vạn Ninh");
        assert_eq!(written, "UBND huyện Vạn Ninh");
    }

    #[test]
    fn party_boards_hang_on_their_committee() {
        let (org, _) = parse("Ban Dân vận Thành ủy Cần Thơ", After::Place).unwrap();
        assert_eq!(org.name, "Ban Dân vận Thành ủy Cần Thơ");
        assert_eq!(org.class, Classification::PartyBoard);
        assert_eq!(org.parent.unwrap().name, "Thành ủy Cần Thơ");
        let (org, _) = parse("Ban Tuyên giáo và Dân vận Tỉnh ủy", After::Place).unwrap();
        assert_eq!(org.name, "Ban Tuyên giáo và Dân vận Tỉnh ủy");
        let (org, _) = parse("Ban Chấp hành Đảng bộ tỉnh Bắc Giang", After::Place).unwrap();
        assert_eq!(org.name, "Tỉnh ủy Bắc Giang");
        let (org, _) = parse("Ủy viên", After::Place).map_or((None, ()), |x| (Some(x), ()));
        assert!(org.is_none());
    }

    #[test]
    fn offices_serving_several_bodies_stay_one_body() {
        let (org, written) =
            parse("Văn phòng HĐND và UBND Thành phố đôn đốc", After::Place).unwrap();
        assert_eq!(
            org.name,
            "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân thành phố"
        );
        assert_eq!(written, "Văn phòng HĐND và UBND Thành phố");
    }

    #[test]
    fn an_implicit_place_comes_from_the_one_place_of_its_kind_the_article_names() {
        let doc = Doc::new("Thành ủy Cần Thơ họp. Chủ tịch HĐND thành phố dự.".to_owned());
        let context = Context::collect(&doc, None);
        let start = doc.tokens.iter().position(|t| t.folded == "hdnd").unwrap();
        let found = org_at(&doc, start, doc.tokens.len(), After::Place, &context).unwrap();
        let org = found.spec.resolve(&context, None);
        assert_eq!(org.name, "Hội đồng nhân dân thành phố Cần Thơ");
        assert_eq!(org.place_source, PlaceSource::Article);
    }

    #[test]
    fn many_bodies_are_a_group() {
        let doc = Doc::new("UBND các phường, xã liên quan".to_owned());
        let found = org_at(&doc, 0, doc.tokens.len(), After::Place, &Context::default()).unwrap();
        assert!(found.plural);
    }
}
