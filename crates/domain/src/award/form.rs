//! Award forms and emulation titles, the capacity in which a decision is signed, and who may
//! confer what.
//!
//! The rules follow the Law on Emulation and Commendation 06/2022/QH15 (in force 2024-01-01)
//! and Decree 98/2023/NĐ-CP, as summarized in the project's domain brief ("Award and
//! commendation decisions"). They are deliberately coarse: they catch the mistakes a records
//! clerk would catch (a commune conferring a Bằng khen, a province conferring a Huân chương),
//! not every condition of the law.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::organization::{Classification, Level};
use crate::text::{Text, TextError, fold};

/// The law cited when an authority may not confer a form.
const LAW: &str = "Law on Emulation and Commendation 2022: who may confer what";

/// The longest excerpt of a rejected value quoted in an error, in characters.
const MAX_EXCERPT_CHARS: usize = 100;

/// Why an award form, a signer capacity or a conferral was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AwardFormError {
    /// A class (hạng) was given for an order that has none.
    #[error("{order} has no classes (hạng), but one was given")]
    OrderClassNotAllowed {
        /// The order's Vietnamese name.
        order: String,
    },
    /// No class (hạng) was given for an order that has them.
    #[error("{order} is conferred in a class (hạng nhất, nhì or ba), but none was given")]
    OrderClassMissing {
        /// The order's Vietnamese name.
        order: String,
    },
    /// The form may not be given to this kind of recipient.
    #[error("{form} may not be given to a recipient of kind {recipient}")]
    RecipientKindNotAllowed {
        /// The form's Vietnamese name.
        form: String,
        /// The kind of recipient, in English ("household").
        recipient: String,
    },
    /// The authority may not confer the form.
    #[error("{} {authority} may not confer {form} ({LAW})", article(.authority))]
    AuthorityMayNotConfer {
        /// The authority, in English ("people's committee at commune level").
        authority: String,
        /// The form's Vietnamese name ("Bằng khen").
        form: String,
    },
    /// A signer capacity was empty.
    #[error("a signer capacity must not be empty")]
    SignerCapacityEmpty,
    /// A signer capacity has no title of the person signing.
    #[error("a signer capacity must end with the signer's title (\"PHÓ CHỦ TỊCH\"), got {value:?}")]
    SignerTitleMissing {
        /// The rejected value.
        value: String,
    },
    /// A part of a signer capacity is not a valid text: too long, or with a control character.
    #[error("the {part} part of a signer capacity is not valid text: {source}")]
    SignerCapacityText {
        /// Which part: "title", or the marker whose name it is ("KT.").
        part: &'static str,
        /// Why the text was rejected.
        source: TextError,
    },
    /// A marker (TM., KT., TL., TUQ.) is not followed by the body or office it names.
    #[error(
        "the marker {marker} must be followed by what it names (\"{marker} CHỦ TỊCH\"), got {value:?}"
    )]
    SignerMarkerWithoutName {
        /// The marker, abbreviated ("KT.").
        marker: &'static str,
        /// The rejected value.
        value: String,
    },
    /// Markers appear out of order or more than once: "TM." must come first, then at most one of
    /// "KT.", "TL.", "TUQ.", then the title.
    #[error(
        "a signer capacity reads \"[TM. body /] [KT.|TL.|TUQ. office /] title\" with each marker at most once, got {value:?}"
    )]
    SignerMarkersOutOfOrder {
        /// The rejected value.
        value: String,
    },
    /// The signing mode and the principal do not agree: a direct signature names no principal,
    /// and any other mode names one.
    #[error("a {mode} signature {requirement}")]
    SignerModeMismatch {
        /// The signing mode, in Vietnamese ("ký thay").
        mode: &'static str,
        /// What was wrong.
        requirement: &'static str,
    },
}

/// "a" or "an" before an English noun phrase, "the" before a unique office.
fn article(noun: &str) -> &'static str {
    if noun == "President" || noun == "Government" {
        "the"
    } else if noun.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    }
}

/// The first characters of a rejected value, so that an error message stays small.
fn excerpt(value: &str) -> String {
    let mut chars = value.chars();
    let mut out: String = chars.by_ref().take(MAX_EXCERPT_CHARS).collect();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// The orders (Huân chương) of the State.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderName {
    /// Huân chương Sao vàng (Gold Star Order).
    SaoVang,
    /// Huân chương Hồ Chí Minh.
    HoChiMinh,
    /// Huân chương Độc lập (Independence Order), in three classes.
    DocLap,
    /// Huân chương Quân công (Military Exploit Order), in three classes.
    QuanCong,
    /// Huân chương Lao động (Labour Order), in three classes.
    LaoDong,
    /// Huân chương Bảo vệ Tổ quốc (Fatherland Protection Order), in three classes.
    BaoVeToQuoc,
    /// Huân chương Chiến công (Feat of Arms Order), in three classes.
    ChienCong,
    /// Huân chương Đại đoàn kết dân tộc (Great National Unity Order).
    DaiDoanKetDanToc,
    /// Huân chương Dũng cảm (Bravery Order).
    DungCam,
    /// Huân chương Hữu nghị (Friendship Order).
    HuuNghi,
}

impl OrderName {
    /// Every order, from the highest.
    pub const ALL: [Self; 10] = [
        Self::SaoVang,
        Self::HoChiMinh,
        Self::DocLap,
        Self::QuanCong,
        Self::LaoDong,
        Self::BaoVeToQuoc,
        Self::ChienCong,
        Self::DaiDoanKetDanToc,
        Self::DungCam,
        Self::HuuNghi,
    ];

    /// Whether the order is conferred in classes (hạng nhất, nhì, ba): Độc lập, Quân công, Lao
    /// động, Bảo vệ Tổ quốc and Chiến công are; the others are not.
    #[must_use]
    pub const fn has_classes(self) -> bool {
        matches!(
            self,
            Self::DocLap | Self::QuanCong | Self::LaoDong | Self::BaoVeToQuoc | Self::ChienCong
        )
    }

    /// The name without "Huân chương" ("Lao động").
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::SaoVang => "Sao vàng",
            Self::HoChiMinh => "Hồ Chí Minh",
            Self::DocLap => "Độc lập",
            Self::QuanCong => "Quân công",
            Self::LaoDong => "Lao động",
            Self::BaoVeToQuoc => "Bảo vệ Tổ quốc",
            Self::ChienCong => "Chiến công",
            Self::DaiDoanKetDanToc => "Đại đoàn kết dân tộc",
            Self::DungCam => "Dũng cảm",
            Self::HuuNghi => "Hữu nghị",
        }
    }

    /// The full Vietnamese name ("Huân chương Lao động").
    #[must_use]
    pub const fn vietnamese_name(self) -> &'static str {
        match self {
            Self::SaoVang => "Huân chương Sao vàng",
            Self::HoChiMinh => "Huân chương Hồ Chí Minh",
            Self::DocLap => "Huân chương Độc lập",
            Self::QuanCong => "Huân chương Quân công",
            Self::LaoDong => "Huân chương Lao động",
            Self::BaoVeToQuoc => "Huân chương Bảo vệ Tổ quốc",
            Self::ChienCong => "Huân chương Chiến công",
            Self::DaiDoanKetDanToc => "Huân chương Đại đoàn kết dân tộc",
            Self::DungCam => "Huân chương Dũng cảm",
            Self::HuuNghi => "Huân chương Hữu nghị",
        }
    }
}

impl fmt::Display for OrderName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.vietnamese_name())
    }
}

/// The class (hạng) of an order that has classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderClass {
    /// Hạng nhất (first class, the highest).
    First,
    /// Hạng nhì (second class).
    Second,
    /// Hạng ba (third class).
    Third,
}

impl OrderClass {
    /// Every class, from the highest.
    pub const ALL: [Self; 3] = [Self::First, Self::Second, Self::Third];

    /// The Vietnamese name ("hạng ba").
    #[must_use]
    pub const fn vietnamese_name(self) -> &'static str {
        match self {
            Self::First => "hạng nhất",
            Self::Second => "hạng nhì",
            Self::Third => "hạng ba",
        }
    }

    /// Reads a folded class word: "nhat", "nhi", "ba", or the numerals "1"/"i", "2"/"ii",
    /// "3"/"iii" that some documents use.
    fn from_folded(word: &str) -> Option<Self> {
        match word {
            "nhat" | "1" | "i" => Some(Self::First),
            "nhi" | "2" | "ii" => Some(Self::Second),
            "ba" | "3" | "iii" => Some(Self::Third),
            _ => None,
        }
    }
}

impl fmt::Display for OrderClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.vietnamese_name())
    }
}

/// The kind of recipient of an award.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientKind {
    /// A person (cá nhân).
    Individual,
    /// A collective: a unit, an agency, a group (tập thể).
    Collective,
    /// A household (hộ gia đình).
    Household,
}

impl RecipientKind {
    /// Every kind of recipient.
    pub const ALL: [Self; 3] = [Self::Individual, Self::Collective, Self::Household];

    /// The stable snake_case code used in storage and the API.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Individual => "individual",
            Self::Collective => "collective",
            Self::Household => "household",
        }
    }

    /// The Vietnamese name ("cá nhân", "tập thể", "hộ gia đình").
    #[must_use]
    pub const fn vietnamese_name(self) -> &'static str {
        match self {
            Self::Individual => "cá nhân",
            Self::Collective => "tập thể",
            Self::Household => "hộ gia đình",
        }
    }
}

/// An emulation title (danh hiệu thi đua) or award form (hình thức khen thưởng).
///
/// Whose Bằng khen or Cờ thi đua it is (the Prime Minister's, a ministry's, a province's) is not
/// part of the form: it follows from the authority that issued the decision.
///
/// Build orders with [`AwardForm::order`], which checks the class. Deserialization checks it too.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "AwardFormRepr")]
pub enum AwardForm {
    /// An order (Huân chương), with its class when the order has classes.
    Order {
        /// Which order.
        name: OrderName,
        /// The class; present exactly when [`OrderName::has_classes`].
        class: Option<OrderClass>,
    },
    /// A medal (Huy chương), such as "Quân kỳ quyết thắng" or "Chiến sĩ vẻ vang".
    Medal {
        /// The medal's name, without "Huy chương".
        name: Text,
    },
    /// A state honorary title (danh hiệu vinh dự Nhà nước): "Anh hùng Lao động", "Nhà giáo nhân
    /// dân", "Bà mẹ Việt Nam anh hùng".
    StateHonoraryTitle {
        /// The title, in full.
        name: Text,
    },
    /// Giải thưởng Hồ Chí Minh.
    HoChiMinhPrize,
    /// Giải thưởng Nhà nước (the State Prize).
    StatePrize,
    /// A commemorative medal (Kỷ niệm chương) of a ministry, branch or organization.
    CommemorativeMedal {
        /// The medal's name, without "Kỷ niệm chương" ("Vì sự nghiệp giáo dục").
        name: Text,
    },
    /// A certificate of merit (Bằng khen) of the Prime Minister, a ministry, a central body or a
    /// province.
    CertificateOfMerit,
    /// A certificate of commendation (Giấy khen).
    CertificateOfCommendation,
    /// The Government's emulation flag (Cờ thi đua của Chính phủ).
    GovernmentEmulationFlag,
    /// The emulation flag (Cờ thi đua) of a ministry, branch, province or central mass
    /// organization.
    EmulationFlag,
    /// Chiến sĩ thi đua toàn quốc (national emulation soldier).
    NationalEmulationSoldier,
    /// Chiến sĩ thi đua cấp bộ, ngành, tỉnh (emulation soldier of a ministry, branch or province).
    ProvincialEmulationSoldier,
    /// Chiến sĩ thi đua cơ sở (grassroots emulation soldier).
    GrassrootsEmulationSoldier,
    /// Lao động tiên tiến (advanced worker).
    AdvancedWorker,
    /// Tập thể lao động xuất sắc (excellent labour collective).
    ExcellentLabourCollective,
    /// Tập thể lao động tiên tiến (advanced labour collective).
    AdvancedLabourCollective,
    /// Gia đình văn hóa (cultural family).
    CulturalFamily,
    /// A form the model does not know, as written.
    Other {
        /// The form as written.
        text: Text,
    },
}

/// The serialized shape of [`AwardForm`], read first so that an order's class can be checked
/// before the form exists.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum AwardFormRepr {
    Order {
        name: OrderName,
        #[serde(default)]
        class: Option<OrderClass>,
    },
    Medal {
        name: Text,
    },
    StateHonoraryTitle {
        name: Text,
    },
    HoChiMinhPrize,
    StatePrize,
    CommemorativeMedal {
        name: Text,
    },
    CertificateOfMerit,
    CertificateOfCommendation,
    GovernmentEmulationFlag,
    EmulationFlag,
    NationalEmulationSoldier,
    ProvincialEmulationSoldier,
    GrassrootsEmulationSoldier,
    AdvancedWorker,
    ExcellentLabourCollective,
    AdvancedLabourCollective,
    CulturalFamily,
    Other {
        text: Text,
    },
}

impl TryFrom<AwardFormRepr> for AwardForm {
    type Error = AwardFormError;

    fn try_from(repr: AwardFormRepr) -> Result<Self, Self::Error> {
        Ok(match repr {
            AwardFormRepr::Order { name, class } => return Self::order(name, class),
            AwardFormRepr::Medal { name } => Self::Medal { name },
            AwardFormRepr::StateHonoraryTitle { name } => Self::StateHonoraryTitle { name },
            AwardFormRepr::HoChiMinhPrize => Self::HoChiMinhPrize,
            AwardFormRepr::StatePrize => Self::StatePrize,
            AwardFormRepr::CommemorativeMedal { name } => Self::CommemorativeMedal { name },
            AwardFormRepr::CertificateOfMerit => Self::CertificateOfMerit,
            AwardFormRepr::CertificateOfCommendation => Self::CertificateOfCommendation,
            AwardFormRepr::GovernmentEmulationFlag => Self::GovernmentEmulationFlag,
            AwardFormRepr::EmulationFlag => Self::EmulationFlag,
            AwardFormRepr::NationalEmulationSoldier => Self::NationalEmulationSoldier,
            AwardFormRepr::ProvincialEmulationSoldier => Self::ProvincialEmulationSoldier,
            AwardFormRepr::GrassrootsEmulationSoldier => Self::GrassrootsEmulationSoldier,
            AwardFormRepr::AdvancedWorker => Self::AdvancedWorker,
            AwardFormRepr::ExcellentLabourCollective => Self::ExcellentLabourCollective,
            AwardFormRepr::AdvancedLabourCollective => Self::AdvancedLabourCollective,
            AwardFormRepr::CulturalFamily => Self::CulturalFamily,
            AwardFormRepr::Other { text } => Self::Other { text },
        })
    }
}

impl AwardForm {
    /// An order, checking its class: orders with classes need one, the others take none.
    ///
    /// # Errors
    /// [`AwardFormError::OrderClassMissing`] or [`AwardFormError::OrderClassNotAllowed`].
    pub fn order(name: OrderName, class: Option<OrderClass>) -> Result<Self, AwardFormError> {
        match (name.has_classes(), class) {
            (true, None) => Err(AwardFormError::OrderClassMissing {
                order: name.vietnamese_name().to_owned(),
            }),
            (false, Some(_)) => Err(AwardFormError::OrderClassNotAllowed {
                order: name.vietnamese_name().to_owned(),
            }),
            _ => Ok(Self::Order { name, class }),
        }
    }

    /// The stable snake_case kind, as in the serialized `kind` field ("certificate_of_merit").
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Order { .. } => "order",
            Self::Medal { .. } => "medal",
            Self::StateHonoraryTitle { .. } => "state_honorary_title",
            Self::HoChiMinhPrize => "ho_chi_minh_prize",
            Self::StatePrize => "state_prize",
            Self::CommemorativeMedal { .. } => "commemorative_medal",
            Self::CertificateOfMerit => "certificate_of_merit",
            Self::CertificateOfCommendation => "certificate_of_commendation",
            Self::GovernmentEmulationFlag => "government_emulation_flag",
            Self::EmulationFlag => "emulation_flag",
            Self::NationalEmulationSoldier => "national_emulation_soldier",
            Self::ProvincialEmulationSoldier => "provincial_emulation_soldier",
            Self::GrassrootsEmulationSoldier => "grassroots_emulation_soldier",
            Self::AdvancedWorker => "advanced_worker",
            Self::ExcellentLabourCollective => "excellent_labour_collective",
            Self::AdvancedLabourCollective => "advanced_labour_collective",
            Self::CulturalFamily => "cultural_family",
            Self::Other { .. } => "other",
        }
    }

    /// The Vietnamese name as a decision would print it ("Huân chương Lao động hạng ba",
    /// "Bằng khen", "Cờ thi đua của Chính phủ").
    #[must_use]
    pub fn vietnamese_name(&self) -> String {
        match self {
            Self::Order { name, class } => match class {
                Some(class) => format!("{} {}", name.vietnamese_name(), class.vietnamese_name()),
                None => name.vietnamese_name().to_owned(),
            },
            Self::Medal { name } => format!("Huy chương {name}"),
            Self::StateHonoraryTitle { name } | Self::Other { text: name } => name.to_string(),
            Self::CommemorativeMedal { name } => format!("Kỷ niệm chương {name}"),
            Self::HoChiMinhPrize => "Giải thưởng Hồ Chí Minh".to_owned(),
            Self::StatePrize => "Giải thưởng Nhà nước".to_owned(),
            Self::CertificateOfMerit => "Bằng khen".to_owned(),
            Self::CertificateOfCommendation => "Giấy khen".to_owned(),
            Self::GovernmentEmulationFlag => "Cờ thi đua của Chính phủ".to_owned(),
            Self::EmulationFlag => "Cờ thi đua".to_owned(),
            Self::NationalEmulationSoldier => "Chiến sĩ thi đua toàn quốc".to_owned(),
            Self::ProvincialEmulationSoldier => "Chiến sĩ thi đua cấp bộ, ngành, tỉnh".to_owned(),
            Self::GrassrootsEmulationSoldier => "Chiến sĩ thi đua cơ sở".to_owned(),
            Self::AdvancedWorker => "Lao động tiên tiến".to_owned(),
            Self::ExcellentLabourCollective => "Tập thể lao động xuất sắc".to_owned(),
            Self::AdvancedLabourCollective => "Tập thể lao động tiên tiến".to_owned(),
            Self::CulturalFamily => "Gia đình văn hóa".to_owned(),
        }
    }

    /// Whether the form may go to this kind of recipient.
    ///
    /// Individual titles (the emulation soldiers, Lao động tiên tiến) go to individuals,
    /// collective titles (the emulation flags, the labour-collective titles) to collectives, and
    /// Gia đình văn hóa to households. Bằng khen and Giấy khen go to anyone, households included.
    /// Orders go to individuals and collectives, except Dũng cảm and Đại đoàn kết dân tộc,
    /// which the law reserves for individuals. Medals and Kỷ niệm chương go to individuals.
    /// State honorary titles and the two prizes go to individuals and collectives (a "hero"
    /// title or a prize may go to a unit or a group of authors). A form the model does not know
    /// cannot be checked, so it may go to anyone.
    #[must_use]
    pub fn may_go_to(&self, kind: RecipientKind) -> bool {
        use RecipientKind::{Collective, Household, Individual};
        match self {
            Self::Order { name, .. } => match name {
                OrderName::DungCam | OrderName::DaiDoanKetDanToc => kind == Individual,
                _ => matches!(kind, Individual | Collective),
            },
            Self::Medal { .. }
            | Self::CommemorativeMedal { .. }
            | Self::NationalEmulationSoldier
            | Self::ProvincialEmulationSoldier
            | Self::GrassrootsEmulationSoldier
            | Self::AdvancedWorker => kind == Individual,
            Self::StateHonoraryTitle { .. } | Self::HoChiMinhPrize | Self::StatePrize => {
                matches!(kind, Individual | Collective)
            }
            Self::GovernmentEmulationFlag
            | Self::EmulationFlag
            | Self::ExcellentLabourCollective
            | Self::AdvancedLabourCollective => kind == Collective,
            Self::CulturalFamily => kind == Household,
            Self::CertificateOfMerit | Self::CertificateOfCommendation | Self::Other { .. } => true,
        }
    }

    /// Checks that the form may go to this kind of recipient (see [`AwardForm::may_go_to`]).
    ///
    /// # Errors
    /// [`AwardFormError::RecipientKindNotAllowed`].
    pub fn check_recipient(&self, kind: RecipientKind) -> Result<(), AwardFormError> {
        if self.may_go_to(kind) {
            Ok(())
        } else {
            Err(AwardFormError::RecipientKindNotAllowed {
                form: self.vietnamese_name(),
                recipient: kind.code().to_owned(),
            })
        }
    }

    /// Recognizes a form from the Vietnamese phrase a decision or an article uses.
    ///
    /// Matching is on the folded text (case, diacritics, tone placement, NFC/NFD, `Ð` and
    /// punctuation do not matter) and on the beginning of the phrase: what follows is taken as a
    /// qualifier that does not change the form ("Bằng khen của Chủ tịch UBND tỉnh" is a
    /// Bằng khen), except where the law distinguishes by it (Cờ thi đua "của Chính phủ", the
    /// level of a Chiến sĩ thi đua, the class of an order). A leading "danh hiệu" is skipped.
    /// The usual abbreviations CSTĐ, LĐTT, TTLĐXS and TTLĐTT are understood.
    ///
    /// Returns `None` when the phrase is not recognized or is incomplete (an order without its
    /// class, "Chiến sĩ thi đua" without its level, "Kỷ niệm chương" without a name); a caller
    /// that must keep it anyway can store [`AwardForm::Other`].
    #[must_use]
    pub fn parse_vietnamese(text: &str) -> Option<Self> {
        let text = Text::parse(text).ok()?;
        let words = Words::new(text.as_str());
        let mut at = 0;
        if let Some(next) = words.phrase(at, "danh hieu") {
            at = next;
            if let Some(next) = words.phrase(at, "vinh du nha nuoc") {
                at = next;
            }
        }

        if let Some(next) = words.phrase(at, "huan chuong") {
            return parse_order(&words, next);
        }
        if let Some(next) = words.phrase(at, "huy chuong") {
            let name = Text::parse(words.rest(next)?).ok()?;
            return Some(Self::Medal { name });
        }
        // "Kỉ niệm" is the older spelling of "Kỷ niệm" (i and y were interchangeable).
        if let Some(next) = words
            .phrase(at, "ky niem chuong")
            .or_else(|| words.phrase(at, "ki niem chuong"))
        {
            let name = Text::parse(words.rest(next)?).ok()?;
            return Some(Self::CommemorativeMedal { name });
        }
        if words.phrase(at, "giai thuong ho chi minh").is_some() {
            return Some(Self::HoChiMinhPrize);
        }
        if words.phrase(at, "giai thuong nha nuoc").is_some() {
            return Some(Self::StatePrize);
        }
        if words.phrase(at, "bang khen").is_some() {
            return Some(Self::CertificateOfMerit);
        }
        if words.phrase(at, "giay khen").is_some() {
            return Some(Self::CertificateOfCommendation);
        }
        if let Some(next) = words.phrase(at, "co thi dua") {
            let next = words.phrase(next, "cua").unwrap_or(next);
            return Some(if words.phrase(next, "chinh phu").is_some() {
                Self::GovernmentEmulationFlag
            } else {
                Self::EmulationFlag
            });
        }
        if let Some(next) = words
            .phrase(at, "chien si thi dua")
            .or_else(|| words.phrase(at, "cstd"))
        {
            return parse_emulation_soldier(&words, next);
        }
        if words.phrase(at, "tap the lao dong xuat sac").is_some()
            || words.phrase(at, "ttldxs").is_some()
        {
            return Some(Self::ExcellentLabourCollective);
        }
        if words.phrase(at, "tap the lao dong tien tien").is_some()
            || words.phrase(at, "ttldtt").is_some()
        {
            return Some(Self::AdvancedLabourCollective);
        }
        if words.phrase(at, "lao dong tien tien").is_some() || words.phrase(at, "ldtt").is_some() {
            return Some(Self::AdvancedWorker);
        }
        if words.phrase(at, "gia dinh van hoa").is_some() {
            return Some(Self::CulturalFamily);
        }
        if STATE_HONORARY_TITLES
            .iter()
            .any(|title| words.phrase(at, title).is_some())
        {
            let name = Text::parse(words.rest(at)?).ok()?;
            return Some(Self::StateHonoraryTitle { name });
        }
        None
    }
}

impl fmt::Display for AwardForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.vietnamese_name())
    }
}

/// The state honorary titles recognized by [`AwardForm::parse_vietnamese`], folded.
const STATE_HONORARY_TITLES: [&str; 11] = [
    "anh hung lao dong",
    "anh hung luc luong vu trang nhan dan",
    "ba me viet nam anh hung",
    "nha giao nhan dan",
    "nha giao uu tu",
    "thay thuoc nhan dan",
    "thay thuoc uu tu",
    "nghe si nhan dan",
    "nghe si uu tu",
    "nghe nhan nhan dan",
    "nghe nhan uu tu",
];

/// Reads an order's name and class after "Huân chương".
fn parse_order(words: &Words<'_>, at: usize) -> Option<AwardForm> {
    let (name, next) = OrderName::ALL
        .into_iter()
        .find_map(|name| Some((name, words.phrase(at, &fold(name.name()))?)))?;
    let class = words
        .phrase(next, "hang")
        .and_then(|next| words.word(next))
        .and_then(OrderClass::from_folded);
    AwardForm::order(name, class).ok()
}

/// Reads the level of a Chiến sĩ thi đua after the title: "toàn quốc", "(cấp) cơ sở", or
/// "(cấp) bộ / ngành / tỉnh / thành phố".
fn parse_emulation_soldier(words: &Words<'_>, at: usize) -> Option<AwardForm> {
    if words.phrase(at, "toan quoc").is_some() {
        return Some(AwardForm::NationalEmulationSoldier);
    }
    let at = words.phrase(at, "cap").unwrap_or(at);
    if words.phrase(at, "co so").is_some() {
        return Some(AwardForm::GrassrootsEmulationSoldier);
    }
    match words.word(at)? {
        "bo" | "nganh" | "tinh" | "thanh" => Some(AwardForm::ProvincialEmulationSoldier),
        _ => None,
    }
}

/// The words of a text, folded for matching, with their positions in the original so that a
/// name can be cut from it as written.
struct Words<'a> {
    text: &'a str,
    /// Each word's byte range in `text` and its folded form.
    words: Vec<(usize, usize, String)>,
}

impl<'a> Words<'a> {
    fn new(text: &'a str) -> Self {
        let mut words = Vec::new();
        let mut start = None;
        for (index, c) in text.char_indices() {
            // Combining marks belong to the word they follow, in case a text arrives decomposed.
            let in_word = c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c);
            match (in_word, start) {
                (true, None) => start = Some(index),
                (false, Some(begin)) => {
                    words.push((begin, index, fold(&text[begin..index])));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(begin) = start {
            words.push((begin, text.len(), fold(&text[begin..])));
        }
        Self { text, words }
    }

    /// The folded word at a position.
    fn word(&self, at: usize) -> Option<&str> {
        self.words.get(at).map(|(_, _, folded)| folded.as_str())
    }

    /// When the words from `at` on begin with the folded `phrase`, the position after it.
    fn phrase(&self, at: usize, phrase: &str) -> Option<usize> {
        let mut position = at;
        for expected in phrase.split(' ') {
            if self.word(position)? != expected {
                return None;
            }
            position += 1;
        }
        Some(position)
    }

    /// The original text from the word at `at` to the last word, when there is one.
    fn rest(&self, at: usize) -> Option<&'a str> {
        let (start, _, _) = self.words.get(at)?;
        let (_, end, _) = self.words.last()?;
        self.text.get(*start..*end)
    }
}

/// How the signer relates to the office a decision is issued in the name of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SigningMode {
    /// The head signs in their own office ("CHỦ TỊCH").
    Direct,
    /// A deputy signs for the head (ký thay, "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH").
    OnBehalf,
    /// An office head signs by the head's order (thừa lệnh, "TL. BỘ TRƯỞNG / VỤ TRƯỞNG").
    ByOrder,
    /// Someone signs under the head's authorization (thừa ủy quyền, "TUQ. CHỦ TỊCH / CHÁNH VĂN
    /// PHÒNG").
    ByAuthorization,
}

impl SigningMode {
    /// The abbreviation printed before the principal's office ("KT.", "TL.", "TUQ."); none for a
    /// direct signature.
    #[must_use]
    pub const fn abbreviation(self) -> Option<&'static str> {
        match self {
            Self::Direct => None,
            Self::OnBehalf => Some("KT."),
            Self::ByOrder => Some("TL."),
            Self::ByAuthorization => Some("TUQ."),
        }
    }

    /// The Vietnamese name ("ký thay").
    #[must_use]
    pub const fn vietnamese_name(self) -> &'static str {
        match self {
            Self::Direct => "ký trực tiếp",
            Self::OnBehalf => "ký thay",
            Self::ByOrder => "thừa lệnh",
            Self::ByAuthorization => "thừa ủy quyền",
        }
    }
}

/// The capacity in which a decision is signed, as printed above the signature:
/// "[TM. collective body /] [KT.|TL.|TUQ. principal's office /] signer's title".
///
/// Built through [`SignerCapacity::parse`] or [`SignerCapacity::new`], which keep the mode and
/// the principal consistent: a direct signature names no principal, every other mode names one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "SignerCapacityRepr")]
pub struct SignerCapacity {
    mode: SigningMode,
    collective: Option<Text>,
    principal: Option<Text>,
    title: Text,
}

/// The serialized shape of [`SignerCapacity`], read first so that it can be checked.
#[derive(Deserialize)]
struct SignerCapacityRepr {
    mode: SigningMode,
    #[serde(default)]
    collective: Option<Text>,
    #[serde(default)]
    principal: Option<Text>,
    title: Text,
}

impl TryFrom<SignerCapacityRepr> for SignerCapacity {
    type Error = AwardFormError;

    fn try_from(repr: SignerCapacityRepr) -> Result<Self, Self::Error> {
        Self::new(repr.mode, repr.collective, repr.principal, repr.title)
    }
}

/// A marker at the start of a signature-block line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    /// TM. (thay mặt): on behalf of a collective body.
    Collective,
    /// KT., TL. or TUQ.
    Mode(SigningMode),
}

impl Marker {
    const fn abbreviation(self) -> &'static str {
        match self {
            Self::Collective => "TM.",
            Self::Mode(mode) => match mode.abbreviation() {
                Some(abbreviation) => abbreviation,
                None => "",
            },
        }
    }
}

/// The markers, as folded word sequences: the abbreviation (with or without its dot) and the
/// spelled-out phrase.
const MARKERS: [(&str, Marker); 9] = [
    ("tm", Marker::Collective),
    ("thay mat", Marker::Collective),
    ("kt", Marker::Mode(SigningMode::OnBehalf)),
    ("ky thay", Marker::Mode(SigningMode::OnBehalf)),
    ("tl", Marker::Mode(SigningMode::ByOrder)),
    ("thua lenh", Marker::Mode(SigningMode::ByOrder)),
    ("tuq", Marker::Mode(SigningMode::ByAuthorization)),
    ("thua uy quyen", Marker::Mode(SigningMode::ByAuthorization)),
    ("thua uy nhiem", Marker::Mode(SigningMode::ByAuthorization)),
];

/// The Party's slash-written markers ("T/M BAN THƯỜNG VỤ"), which would otherwise be split at
/// their slash, with the state marker they stand for.
const SLASHED_MARKERS: [(&str, &str); 3] = [("T/M", "TM."), ("K/T", "KT."), ("T/L", "TL.")];

impl SignerCapacity {
    /// A signer capacity from its parts.
    ///
    /// # Errors
    /// [`AwardFormError::SignerModeMismatch`] when a direct signature names a principal or
    /// another mode names none.
    pub fn new(
        mode: SigningMode,
        collective: Option<Text>,
        principal: Option<Text>,
        title: Text,
    ) -> Result<Self, AwardFormError> {
        match (mode, &principal) {
            (SigningMode::Direct, Some(_)) => Err(AwardFormError::SignerModeMismatch {
                mode: mode.vietnamese_name(),
                requirement: "names no principal",
            }),
            (SigningMode::OnBehalf | SigningMode::ByOrder | SigningMode::ByAuthorization, None) => {
                Err(AwardFormError::SignerModeMismatch {
                    mode: mode.vietnamese_name(),
                    requirement: "must name the principal's office",
                })
            }
            _ => Ok(Self {
                mode,
                collective,
                principal,
                title,
            }),
        }
    }

    /// A direct signature in the signer's own office ("CHỦ TỊCH").
    #[must_use]
    pub fn direct(title: Text) -> Self {
        Self {
            mode: SigningMode::Direct,
            collective: None,
            principal: None,
            title,
        }
    }

    /// Parses a signature block: "CHỦ TỊCH", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
    /// "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
    /// "TL. BỘ TRƯỞNG / VỤ TRƯỞNG", "TUQ. CHỦ TỊCH / CHÁNH VĂN PHÒNG".
    ///
    /// Lines and " / " both separate the parts. Markers may be written without their dot, in
    /// any case, spelled out ("Ký thay"), or in the Party's slashed form ("T/M", "K/T", "T/L",
    /// read as "TM.", "KT.", "TL."). Several lines of title are joined with a space.
    ///
    /// # Errors
    /// When the block is empty, has no title, has a marker without a name after it, or has
    /// markers out of order or repeated (nested delegation such as "TL. BỘ TRƯỞNG / KT. VỤ
    /// TRƯỞNG / PHÓ VỤ TRƯỞNG" is not modelled and is rejected rather than misread).
    pub fn parse(input: &str) -> Result<Self, AwardFormError> {
        let segments = signer_segments(input);
        if segments.is_empty() {
            return Err(AwardFormError::SignerCapacityEmpty);
        }
        let mut collective = None;
        let mut mode = SigningMode::Direct;
        let mut principal = None;
        let mut title_parts: Vec<&str> = Vec::new();
        for segment in &segments {
            let Some((marker, name)) = split_marker(segment) else {
                title_parts.push(segment);
                continue;
            };
            let out_of_order = match marker {
                Marker::Collective => {
                    collective.is_some() || principal.is_some() || !title_parts.is_empty()
                }
                Marker::Mode(_) => principal.is_some() || !title_parts.is_empty(),
            };
            if out_of_order {
                return Err(AwardFormError::SignerMarkersOutOfOrder {
                    value: excerpt(input.trim()),
                });
            }
            let name = match Text::parse(name) {
                Ok(name) => name,
                Err(TextError::Empty) => {
                    return Err(AwardFormError::SignerMarkerWithoutName {
                        marker: marker.abbreviation(),
                        value: excerpt(input.trim()),
                    });
                }
                Err(source) => {
                    return Err(AwardFormError::SignerCapacityText {
                        part: marker.abbreviation(),
                        source,
                    });
                }
            };
            match marker {
                Marker::Collective => collective = Some(name),
                Marker::Mode(signing_mode) => {
                    mode = signing_mode;
                    principal = Some(name);
                }
            }
        }
        let title = match Text::parse(title_parts.join(" ")) {
            Ok(title) => title,
            Err(TextError::Empty) => {
                return Err(AwardFormError::SignerTitleMissing {
                    value: excerpt(input.trim()),
                });
            }
            Err(source) => {
                return Err(AwardFormError::SignerCapacityText {
                    part: "title",
                    source,
                });
            }
        };
        Self::new(mode, collective, principal, title)
    }

    /// How the signer relates to the principal.
    #[must_use]
    pub fn mode(&self) -> SigningMode {
        self.mode
    }

    /// The collective body signed for ("ỦY BAN NHÂN DÂN" of "TM. ỦY BAN NHÂN DÂN"), if any.
    #[must_use]
    pub fn collective(&self) -> Option<&Text> {
        self.collective.as_ref()
    }

    /// The office signed for ("CHỦ TỊCH" of "KT. CHỦ TỊCH"); none for a direct signature.
    #[must_use]
    pub fn principal(&self) -> Option<&Text> {
        self.principal.as_ref()
    }

    /// The signer's own title ("PHÓ CHỦ TỊCH").
    #[must_use]
    pub fn title(&self) -> &Text {
        &self.title
    }
}

impl fmt::Display for SignerCapacity {
    /// Renders the block on one line with " / " between its parts: "TM. ỦY BAN NHÂN DÂN / KT.
    /// CHỦ TỊCH / PHÓ CHỦ TỊCH".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(collective) = &self.collective {
            write!(f, "TM. {collective} / ")?;
        }
        if let (Some(abbreviation), Some(principal)) = (self.mode.abbreviation(), &self.principal) {
            write!(f, "{abbreviation} {principal} / ")?;
        }
        write!(f, "{}", self.title)
    }
}

/// Splits a signature block into its parts at line breaks and slashes, reading the Party's
/// slashed markers as one marker rather than two parts.
fn signer_segments(input: &str) -> Vec<String> {
    let mut segments = Vec::new();
    for line in input.lines() {
        let mut rest = line;
        loop {
            let trimmed = rest.trim_start();
            let (prefix, body) = SLASHED_MARKERS
                .iter()
                .find_map(|(slashed, marker)| {
                    let head = trimmed.get(..slashed.len())?;
                    let after = trimmed.get(slashed.len()..)?;
                    let ends_word = after
                        .chars()
                        .next()
                        .is_none_or(|c| c.is_whitespace() || c == '.');
                    (head.eq_ignore_ascii_case(slashed) && ends_word)
                        .then(|| (*marker, after.strip_prefix('.').unwrap_or(after)))
                })
                .unwrap_or(("", trimmed));
            let (segment, next) = match body.split_once('/') {
                Some((segment, next)) => (segment, Some(next)),
                None => (body, None),
            };
            let segment = format!("{prefix} {segment}");
            let segment = segment.trim();
            if !segment.is_empty() {
                segments.push(segment.to_owned());
            }
            match next {
                Some(next) => rest = next,
                None => break,
            }
        }
    }
    segments
}

/// Splits a marker off the start of a part ("KT. CHỦ TỊCH" → on behalf, "CHỦ TỊCH").
fn split_marker(segment: &str) -> Option<(Marker, &str)> {
    // A dotted abbreviation may be written without a space after it ("KT.CHỦ TỊCH").
    for (abbreviation, marker) in [
        ("TUQ.", Marker::Mode(SigningMode::ByAuthorization)),
        ("KT.", Marker::Mode(SigningMode::OnBehalf)),
        ("TL.", Marker::Mode(SigningMode::ByOrder)),
        ("TM.", Marker::Collective),
    ] {
        if let Some(head) = segment.get(..abbreviation.len())
            && head.eq_ignore_ascii_case(abbreviation)
        {
            return Some((marker, segment.get(abbreviation.len()..)?.trim()));
        }
    }
    MARKERS.iter().find_map(|(phrase, marker)| {
        let mut rest = segment.trim_start();
        for expected in phrase.split(' ') {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let (word, after) = rest.split_at(end);
            if fold(word.trim_end_matches(['.', ':'])) != expected {
                return None;
            }
            rest = after.trim_start();
        }
        Some((*marker, rest))
    })
}

/// Who may confer which forms, by the kind of authority that signs the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorityKind {
    /// The President of the State (Chủ tịch nước).
    President,
    /// The Prime Minister (Thủ tướng Chính phủ).
    PrimeMinister,
    /// A minister, the head of a central body or central mass organization, or the chairman of
    /// a provincial People's Committee.
    MinistryOrProvince,
    /// The chairman of a district People's Committee.
    District,
    /// The chairman of a commune People's Committee.
    Commune,
    /// The head of an agency, unit or enterprise, who confers Giấy khen and the base-level
    /// titles.
    AgencyHead,
    /// A body that confers no award, or whose powers cannot be told from what is recorded.
    None,
}

impl AuthorityKind {
    /// The kind of authority an organization is, by its classification and level.
    ///
    /// - The Presidency is the President, the Government is the Prime Minister, and a ministry
    ///   (at any level) is [`AuthorityKind::MinistryOrProvince`].
    /// - A People's Committee takes its level: province → ministry-or-province, district,
    ///   commune; at national level it is taken as the Government. With no level recorded its
    ///   powers cannot be told, so it is [`AuthorityKind::None`].
    /// - A Party committee or its standing board at province or national level confers its own
    ///   Bằng khen and flags under the Party's rules, which mirror a province's powers, so it is
    ///   [`AuthorityKind::MinistryOrProvince`]; below that it confers Giấy khen, as an agency
    ///   head does.
    /// - The Fatherland Front and mass organizations at national level are the "central mass
    ///   organizations" (đoàn thể trung ương) with a ministry's powers; below that, agency heads.
    /// - Departments, enterprises, Party advisory boards and councils are agency heads.
    /// - People's Councils, administrative units (territories, not bodies) and other
    ///   organizations confer nothing.
    ///
    /// For the Party, the Front and mass organizations with no level recorded, the result is
    /// [`AuthorityKind::AgencyHead`], the powers they hold at every level.
    #[must_use]
    pub const fn of(classification: Classification, level: Option<Level>) -> Self {
        match classification {
            Classification::Presidency => Self::President,
            Classification::Government => Self::PrimeMinister,
            Classification::Ministry => Self::MinistryOrProvince,
            Classification::PeoplesCommittee => match level {
                Some(Level::National) => Self::PrimeMinister,
                Some(Level::Province) => Self::MinistryOrProvince,
                Some(Level::District) => Self::District,
                Some(Level::Commune) => Self::Commune,
                None => Self::None,
            },
            Classification::PartyCommittee
            | Classification::StandingBoard
            | Classification::FatherlandFront
            | Classification::MassOrganization => match level {
                Some(Level::National) => Self::MinistryOrProvince,
                Some(Level::Province)
                    if matches!(
                        classification,
                        Classification::PartyCommittee | Classification::StandingBoard
                    ) =>
                {
                    Self::MinistryOrProvince
                }
                _ => Self::AgencyHead,
            },
            Classification::Department
            | Classification::Enterprise
            | Classification::PartyBoard
            | Classification::Council => Self::AgencyHead,
            Classification::PeoplesCouncil
            | Classification::AdministrativeUnit
            | Classification::Other => Self::None,
        }
    }

    /// Whether this kind of authority may confer the form.
    ///
    /// - President: orders, medals, state honorary titles, the Hồ Chí Minh and State prizes.
    /// - Prime Minister: the Government's emulation flag, Chiến sĩ thi đua toàn quốc, and the
    ///   Prime Minister's Bằng khen.
    /// - Ministry or province: its Bằng khen and Cờ thi đua, Chiến sĩ thi đua cấp bộ/ngành/tỉnh,
    ///   the two labour-collective titles, Kỷ niệm chương.
    /// - District: Giấy khen, Chiến sĩ thi đua cơ sở, Lao động tiên tiến, Tập thể lao động tiên
    ///   tiến.
    /// - Commune: Giấy khen, Lao động tiên tiến, Gia đình văn hóa (never a Bằng khen).
    /// - Agency head: Giấy khen, Chiến sĩ thi đua cơ sở, Lao động tiên tiến, Tập thể lao động
    ///   tiên tiến.
    /// - None: nothing the model knows.
    ///
    /// [`AwardForm::Other`] is accepted from every authority, [`AuthorityKind::None`] included:
    /// a form the model does not know cannot be checked against the law, and `None` also covers
    /// bodies whose level is simply not recorded.
    #[must_use]
    pub fn may_confer(&self, form: &AwardForm) -> bool {
        use AwardForm as F;
        if matches!(form, F::Other { .. }) {
            return true;
        }
        match self {
            Self::President => matches!(
                form,
                F::Order { .. }
                    | F::Medal { .. }
                    | F::StateHonoraryTitle { .. }
                    | F::HoChiMinhPrize
                    | F::StatePrize
            ),
            Self::PrimeMinister => matches!(
                form,
                F::GovernmentEmulationFlag | F::NationalEmulationSoldier | F::CertificateOfMerit
            ),
            Self::MinistryOrProvince => matches!(
                form,
                F::CertificateOfMerit
                    | F::EmulationFlag
                    | F::ProvincialEmulationSoldier
                    | F::ExcellentLabourCollective
                    | F::AdvancedLabourCollective
                    | F::CommemorativeMedal { .. }
            ),
            Self::District | Self::AgencyHead => matches!(
                form,
                F::CertificateOfCommendation
                    | F::GrassrootsEmulationSoldier
                    | F::AdvancedWorker
                    | F::AdvancedLabourCollective
            ),
            Self::Commune => matches!(
                form,
                F::CertificateOfCommendation | F::AdvancedWorker | F::CulturalFamily
            ),
            Self::None => false,
        }
    }
}

/// Checks that an organization of this classification and level may confer the form (see
/// [`AuthorityKind::of`] and [`AuthorityKind::may_confer`]).
///
/// # Errors
/// [`AwardFormError::AuthorityMayNotConfer`], naming the authority in English and the form in
/// Vietnamese: "a people's committee at commune level may not confer Bằng khen (...)".
pub fn check_authority(
    classification: Classification,
    level: Option<Level>,
    form: &AwardForm,
) -> Result<(), AwardFormError> {
    if AuthorityKind::of(classification, level).may_confer(form) {
        Ok(())
    } else {
        Err(AwardFormError::AuthorityMayNotConfer {
            authority: describe_authority(classification, level),
            form: form.vietnamese_name(),
        })
    }
}

/// An organization described in English for an error message ("people's committee at commune
/// level"). Unique offices are named without a level.
fn describe_authority(classification: Classification, level: Option<Level>) -> String {
    let body = match classification {
        Classification::Presidency => return "President".to_owned(),
        Classification::Government => return "Government".to_owned(),
        Classification::PartyCommittee => "Party committee",
        Classification::StandingBoard => "Party committee's standing board",
        Classification::PartyBoard => "Party advisory board",
        Classification::PeoplesCouncil => "people's council",
        Classification::PeoplesCommittee => "people's committee",
        Classification::Department => "department",
        Classification::FatherlandFront => "Fatherland Front committee",
        Classification::MassOrganization => "mass organization",
        Classification::Council => "council",
        Classification::AdministrativeUnit => "administrative unit",
        Classification::Ministry => "ministry",
        Classification::Enterprise => "enterprise",
        Classification::Other => "organization",
    };
    match level {
        Some(Level::National) => format!("{body} at national level"),
        Some(Level::Province) => format!("{body} at provincial level"),
        Some(Level::District) => format!("{body} at district level"),
        Some(Level::Commune) => format!("{body} at commune level"),
        None => format!("{body} of unknown level"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> Text {
        Text::parse(value).unwrap()
    }

    fn lao_dong(class: OrderClass) -> AwardForm {
        AwardForm::order(OrderName::LaoDong, Some(class)).unwrap()
    }

    /// One form of every kind, for table-driven checks.
    fn every_kind() -> Vec<AwardForm> {
        vec![
            lao_dong(OrderClass::Third),
            AwardForm::Medal {
                name: text("Quân kỳ quyết thắng"),
            },
            AwardForm::StateHonoraryTitle {
                name: text("Anh hùng Lao động"),
            },
            AwardForm::HoChiMinhPrize,
            AwardForm::StatePrize,
            AwardForm::CommemorativeMedal {
                name: text("Vì sự nghiệp giáo dục"),
            },
            AwardForm::CertificateOfMerit,
            AwardForm::CertificateOfCommendation,
            AwardForm::GovernmentEmulationFlag,
            AwardForm::EmulationFlag,
            AwardForm::NationalEmulationSoldier,
            AwardForm::ProvincialEmulationSoldier,
            AwardForm::GrassrootsEmulationSoldier,
            AwardForm::AdvancedWorker,
            AwardForm::ExcellentLabourCollective,
            AwardForm::AdvancedLabourCollective,
            AwardForm::CulturalFamily,
            AwardForm::Other {
                text: text("Huy hiệu Tuổi trẻ dũng cảm"),
            },
        ]
    }

    #[test]
    fn a_commune_chairmans_bang_khen_is_rejected() {
        let error = check_authority(
            Classification::PeoplesCommittee,
            Some(Level::Commune),
            &AwardForm::CertificateOfMerit,
        )
        .unwrap_err();
        assert_eq!(
            error,
            AwardFormError::AuthorityMayNotConfer {
                authority: "people's committee at commune level".into(),
                form: "Bằng khen".into(),
            }
        );
        assert_eq!(
            error.to_string(),
            "a people's committee at commune level may not confer Bằng khen \
             (Law on Emulation and Commendation 2022: who may confer what)"
        );
    }

    #[test]
    fn a_city_peoples_committees_bang_khen_is_accepted() {
        // The founding example: Cần Thơ City People's Committee's Bằng khen.
        assert_eq!(
            check_authority(
                Classification::PeoplesCommittee,
                Some(Level::Province),
                &AwardForm::CertificateOfMerit,
            ),
            Ok(())
        );
    }

    #[test]
    fn a_district_confers_giay_khen_but_not_bang_khen() {
        let district = Some(Level::District);
        assert_eq!(
            check_authority(
                Classification::PeoplesCommittee,
                district,
                &AwardForm::CertificateOfCommendation
            ),
            Ok(())
        );
        assert!(
            check_authority(
                Classification::PeoplesCommittee,
                district,
                &AwardForm::CertificateOfMerit
            )
            .is_err()
        );
    }

    #[test]
    fn orders_come_from_the_president_only() {
        let order = lao_dong(OrderClass::Third);
        assert_eq!(
            check_authority(Classification::Presidency, None, &order),
            Ok(())
        );
        let error = check_authority(
            Classification::PeoplesCommittee,
            Some(Level::Province),
            &order,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "a people's committee at provincial level may not confer Huân chương Lao động hạng \
             ba (Law on Emulation and Commendation 2022: who may confer what)"
        );
        assert!(check_authority(Classification::Government, None, &order).is_err());
        let message = check_authority(
            Classification::Presidency,
            None,
            &AwardForm::CertificateOfMerit,
        )
        .unwrap_err()
        .to_string();
        assert!(
            message.starts_with("the President may not confer Bằng khen"),
            "{message}"
        );
        let message = check_authority(
            Classification::Enterprise,
            Some(Level::Province),
            &AwardForm::CertificateOfMerit,
        )
        .unwrap_err()
        .to_string();
        assert!(
            message.starts_with("an enterprise at provincial level"),
            "{message}"
        );
    }

    #[test]
    fn authority_kinds_follow_classification_and_level() {
        use AuthorityKind as A;
        use Classification as C;
        let cases = [
            (C::Presidency, None, A::President),
            (C::Government, Some(Level::National), A::PrimeMinister),
            (C::Ministry, Some(Level::Province), A::MinistryOrProvince),
            (C::PeoplesCommittee, Some(Level::National), A::PrimeMinister),
            (
                C::PeoplesCommittee,
                Some(Level::Province),
                A::MinistryOrProvince,
            ),
            (C::PeoplesCommittee, Some(Level::District), A::District),
            (C::PeoplesCommittee, Some(Level::Commune), A::Commune),
            (C::PeoplesCommittee, None, A::None),
            (
                C::StandingBoard,
                Some(Level::Province),
                A::MinistryOrProvince,
            ),
            (
                C::PartyCommittee,
                Some(Level::National),
                A::MinistryOrProvince,
            ),
            (C::PartyCommittee, Some(Level::District), A::AgencyHead),
            (C::StandingBoard, Some(Level::Commune), A::AgencyHead),
            (
                C::FatherlandFront,
                Some(Level::National),
                A::MinistryOrProvince,
            ),
            (C::MassOrganization, Some(Level::Province), A::AgencyHead),
            (C::FatherlandFront, Some(Level::Commune), A::AgencyHead),
            (C::Department, Some(Level::Province), A::AgencyHead),
            (C::Enterprise, None, A::AgencyHead),
            (C::PartyBoard, Some(Level::Province), A::AgencyHead),
            (C::Council, Some(Level::Province), A::AgencyHead),
            (C::PeoplesCouncil, Some(Level::Province), A::None),
            (C::AdministrativeUnit, Some(Level::Commune), A::None),
            (C::Other, None, A::None),
        ];
        for (classification, level, expected) in cases {
            assert_eq!(
                AuthorityKind::of(classification, level),
                expected,
                "{classification:?} {level:?}"
            );
        }
    }

    #[test]
    fn the_conferral_table_matches_the_brief() {
        use AuthorityKind as A;
        let allowed = |authority: A| -> Vec<&'static str> {
            every_kind()
                .iter()
                .filter(|form| authority.may_confer(form))
                .map(AwardForm::code)
                .collect()
        };
        assert_eq!(
            allowed(A::President),
            [
                "order",
                "medal",
                "state_honorary_title",
                "ho_chi_minh_prize",
                "state_prize",
                "other"
            ]
        );
        assert_eq!(
            allowed(A::PrimeMinister),
            [
                "certificate_of_merit",
                "government_emulation_flag",
                "national_emulation_soldier",
                "other"
            ]
        );
        assert_eq!(
            allowed(A::MinistryOrProvince),
            [
                "commemorative_medal",
                "certificate_of_merit",
                "emulation_flag",
                "provincial_emulation_soldier",
                "excellent_labour_collective",
                "advanced_labour_collective",
                "other"
            ]
        );
        let base = [
            "certificate_of_commendation",
            "grassroots_emulation_soldier",
            "advanced_worker",
            "advanced_labour_collective",
            "other",
        ];
        assert_eq!(allowed(A::District), base);
        assert_eq!(allowed(A::AgencyHead), base);
        assert_eq!(
            allowed(A::Commune),
            [
                "certificate_of_commendation",
                "advanced_worker",
                "cultural_family",
                "other"
            ]
        );
        assert_eq!(allowed(A::None), ["other"]);
    }

    #[test]
    fn order_classes_follow_the_order() {
        for name in OrderName::ALL {
            if name.has_classes() {
                for class in OrderClass::ALL {
                    assert!(AwardForm::order(name, Some(class)).is_ok());
                }
                assert_eq!(
                    AwardForm::order(name, None),
                    Err(AwardFormError::OrderClassMissing {
                        order: name.vietnamese_name().into()
                    })
                );
            } else {
                assert!(AwardForm::order(name, None).is_ok());
                assert_eq!(
                    AwardForm::order(name, Some(OrderClass::First)),
                    Err(AwardFormError::OrderClassNotAllowed {
                        order: name.vietnamese_name().into()
                    })
                );
            }
        }
        assert!(OrderName::LaoDong.has_classes());
        assert!(!OrderName::SaoVang.has_classes());
        assert!(!OrderName::HuuNghi.has_classes());
    }

    #[test]
    fn vietnamese_names_read_as_a_decision_prints_them() {
        assert_eq!(
            lao_dong(OrderClass::Third).vietnamese_name(),
            "Huân chương Lao động hạng ba"
        );
        assert_eq!(
            AwardForm::order(OrderName::SaoVang, None)
                .unwrap()
                .to_string(),
            "Huân chương Sao vàng"
        );
        assert_eq!(AwardForm::CertificateOfMerit.vietnamese_name(), "Bằng khen");
        assert_eq!(
            AwardForm::CertificateOfCommendation.vietnamese_name(),
            "Giấy khen"
        );
        assert_eq!(
            AwardForm::GovernmentEmulationFlag.vietnamese_name(),
            "Cờ thi đua của Chính phủ"
        );
        assert_eq!(
            AwardForm::CommemorativeMedal {
                name: text("Vì sự nghiệp giáo dục")
            }
            .vietnamese_name(),
            "Kỷ niệm chương Vì sự nghiệp giáo dục"
        );
    }

    #[test]
    fn common_phrases_are_recognized() {
        let cases = [
            ("Bằng khen", AwardForm::CertificateOfMerit),
            ("BẰNG KHEN", AwardForm::CertificateOfMerit),
            (
                "Bằng khen của Chủ tịch UBND tỉnh",
                AwardForm::CertificateOfMerit,
            ),
            (
                "Bằng khen của UBND thành phố",
                AwardForm::CertificateOfMerit,
            ),
            (
                "Bằng khen Thủ tướng Chính phủ",
                AwardForm::CertificateOfMerit,
            ),
            ("Giấy khen", AwardForm::CertificateOfCommendation),
            (
                "giấy khen của Chủ tịch UBND huyện",
                AwardForm::CertificateOfCommendation,
            ),
            ("Cờ thi đua", AwardForm::EmulationFlag),
            ("Cờ thi đua của UBND tỉnh", AwardForm::EmulationFlag),
            (
                "Cờ thi đua của Chính phủ",
                AwardForm::GovernmentEmulationFlag,
            ),
            ("Cờ Thi đua Chính phủ", AwardForm::GovernmentEmulationFlag),
            ("Huân chương Lao động hạng ba", lao_dong(OrderClass::Third)),
            ("Huân chương Lao động hạng Ba", lao_dong(OrderClass::Third)),
            (
                "HUÂN CHƯƠNG LAO ĐỘNG HẠNG NHẤT",
                lao_dong(OrderClass::First),
            ),
            ("Huân chương Lao động hạng II", lao_dong(OrderClass::Second)),
            (
                "Huân chương Độc lập hạng nhì",
                AwardForm::order(OrderName::DocLap, Some(OrderClass::Second)).unwrap(),
            ),
            (
                "Huân chương Bảo vệ Tổ quốc hạng ba",
                AwardForm::order(OrderName::BaoVeToQuoc, Some(OrderClass::Third)).unwrap(),
            ),
            (
                "Huân chương Sao vàng",
                AwardForm::order(OrderName::SaoVang, None).unwrap(),
            ),
            (
                "Huân chương Đại đoàn kết dân tộc",
                AwardForm::order(OrderName::DaiDoanKetDanToc, None).unwrap(),
            ),
            (
                "Chiến sĩ thi đua cơ sở",
                AwardForm::GrassrootsEmulationSoldier,
            ),
            (
                "danh hiệu Chiến sĩ thi đua cấp cơ sở",
                AwardForm::GrassrootsEmulationSoldier,
            ),
            ("CSTĐ cơ sở", AwardForm::GrassrootsEmulationSoldier),
            (
                "Chiến sĩ thi đua cấp tỉnh",
                AwardForm::ProvincialEmulationSoldier,
            ),
            (
                "Chiến sĩ thi đua cấp bộ, ngành, tỉnh",
                AwardForm::ProvincialEmulationSoldier,
            ),
            (
                "Chiến sĩ thi đua toàn quốc",
                AwardForm::NationalEmulationSoldier,
            ),
            ("Lao động tiên tiến", AwardForm::AdvancedWorker),
            (
                "danh hiệu \"Lao động tiên tiến\" năm 2020",
                AwardForm::AdvancedWorker,
            ),
            ("LĐTT", AwardForm::AdvancedWorker),
            (
                "Tập thể lao động xuất sắc",
                AwardForm::ExcellentLabourCollective,
            ),
            (
                "Tập thể Lao động tiên tiến",
                AwardForm::AdvancedLabourCollective,
            ),
            ("Gia đình văn hóa", AwardForm::CulturalFamily),
            ("Gia đình văn hoá", AwardForm::CulturalFamily),
            ("Giải thưởng Hồ Chí Minh", AwardForm::HoChiMinhPrize),
            ("Giải thưởng Nhà nước về khoa học", AwardForm::StatePrize),
            (
                "Kỷ niệm chương Vì sự nghiệp giáo dục",
                AwardForm::CommemorativeMedal {
                    name: text("Vì sự nghiệp giáo dục"),
                },
            ),
            (
                "Kỉ niệm chương \"Vì sự nghiệp Dân vận\"",
                AwardForm::CommemorativeMedal {
                    name: text("Vì sự nghiệp Dân vận"),
                },
            ),
            (
                "Huy chương Quân kỳ quyết thắng",
                AwardForm::Medal {
                    name: text("Quân kỳ quyết thắng"),
                },
            ),
            (
                "danh hiệu vinh dự Nhà nước Anh hùng Lao động",
                AwardForm::StateHonoraryTitle {
                    name: text("Anh hùng Lao động"),
                },
            ),
            (
                "Nhà giáo ưu tú",
                AwardForm::StateHonoraryTitle {
                    name: text("Nhà giáo ưu tú"),
                },
            ),
        ];
        for (phrase, expected) in cases {
            assert_eq!(
                AwardForm::parse_vietnamese(phrase),
                Some(expected),
                "{phrase}"
            );
        }
    }

    #[test]
    fn phrases_are_recognized_whatever_their_encoding() {
        use unicode_normalization::UnicodeNormalization;
        let nfd: String = "Bằng khen của Ủy ban nhân dân tỉnh".nfd().collect();
        assert_eq!(
            AwardForm::parse_vietnamese(&nfd),
            Some(AwardForm::CertificateOfMerit)
        );
        let nfd: String = "Huân chương Lao động hạng nhì".nfd().collect();
        assert_eq!(
            AwardForm::parse_vietnamese(&nfd),
            Some(lao_dong(OrderClass::Second))
        );
        assert_eq!(
            AwardForm::parse_vietnamese("Huân chương Lao Ðộng hạng ba"),
            Some(lao_dong(OrderClass::Third))
        );
        assert_eq!(
            AwardForm::parse_vietnamese("  GIẤY   KHEN  "),
            Some(AwardForm::CertificateOfCommendation)
        );
    }

    #[test]
    fn incomplete_or_unknown_phrases_are_not_recognized() {
        for phrase in [
            "",
            "   ",
            "Huân chương Lao động",
            "Huân chương Sao vàng hạng nhất",
            "Huân chương",
            "Huân chương Lao động hạng tư",
            "Chiến sĩ thi đua",
            "Kỷ niệm chương",
            "Huy chương",
            "Bằng",
            "trao Bằng khen",
            "Quyết định số 2846",
        ] {
            assert_eq!(AwardForm::parse_vietnamese(phrase), None, "{phrase}");
        }
    }

    #[test]
    fn every_named_form_reads_back_from_its_vietnamese_name() {
        for form in every_kind() {
            if matches!(form, AwardForm::Other { .. }) {
                continue;
            }
            assert_eq!(
                AwardForm::parse_vietnamese(&form.vietnamese_name()),
                Some(form.clone()),
                "{form}"
            );
        }
        for name in OrderName::ALL {
            let classes: Vec<Option<OrderClass>> = if name.has_classes() {
                OrderClass::ALL.into_iter().map(Some).collect()
            } else {
                vec![None]
            };
            for class in classes {
                let form = AwardForm::order(name, class).unwrap();
                assert_eq!(
                    AwardForm::parse_vietnamese(&form.vietnamese_name()),
                    Some(form.clone()),
                    "{form}"
                );
            }
        }
    }

    #[test]
    fn recipient_kinds_follow_the_titles() {
        use RecipientKind::{Collective, Household, Individual};
        let goes_to = |form: &AwardForm| -> Vec<RecipientKind> {
            RecipientKind::ALL
                .into_iter()
                .filter(|kind| form.may_go_to(*kind))
                .collect()
        };
        assert_eq!(
            goes_to(&AwardForm::GrassrootsEmulationSoldier),
            [Individual]
        );
        assert_eq!(goes_to(&AwardForm::AdvancedWorker), [Individual]);
        assert_eq!(goes_to(&AwardForm::ExcellentLabourCollective), [Collective]);
        assert_eq!(goes_to(&AwardForm::GovernmentEmulationFlag), [Collective]);
        assert_eq!(goes_to(&AwardForm::CulturalFamily), [Household]);
        assert_eq!(
            goes_to(&AwardForm::CertificateOfMerit),
            [Individual, Collective, Household]
        );
        assert_eq!(
            goes_to(&AwardForm::CertificateOfCommendation),
            [Individual, Collective, Household]
        );
        assert_eq!(
            goes_to(&lao_dong(OrderClass::Third)),
            [Individual, Collective]
        );
        assert_eq!(
            goes_to(&AwardForm::order(OrderName::DungCam, None).unwrap()),
            [Individual]
        );
        assert_eq!(
            goes_to(&AwardForm::CommemorativeMedal {
                name: text("Vì sự nghiệp giáo dục")
            }),
            [Individual]
        );
        assert_eq!(
            goes_to(&AwardForm::Other { text: text("x") }),
            RecipientKind::ALL
        );
        let error = AwardForm::AdvancedWorker
            .check_recipient(Collective)
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "Lao động tiên tiến may not be given to a recipient of kind collective"
        );
    }

    #[test]
    fn signer_capacities_parse() {
        let direct = SignerCapacity::parse("CHỦ TỊCH").unwrap();
        assert_eq!(direct.mode(), SigningMode::Direct);
        assert_eq!(direct.principal(), None);
        assert_eq!(direct.collective(), None);
        assert_eq!(direct.title().as_str(), "CHỦ TỊCH");

        for block in [
            "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
            "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
            "KT.CHỦ TỊCH\r\nPHÓ CHỦ TỊCH\n",
            "kt chủ tịch / phó chủ tịch",
            "Ký thay Chủ tịch / Phó Chủ tịch",
        ] {
            let deputy = SignerCapacity::parse(block).unwrap();
            assert_eq!(deputy.mode(), SigningMode::OnBehalf, "{block}");
            assert_eq!(
                deputy.principal().map(|p| p.fold()),
                Some("chu tich".into())
            );
            assert_eq!(deputy.title().fold(), "pho chu tich");
            assert_eq!(deputy.collective(), None);
        }

        let full =
            SignerCapacity::parse("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH").unwrap();
        assert_eq!(full.collective().map(Text::as_str), Some("ỦY BAN NHÂN DÂN"));
        assert_eq!(full.mode(), SigningMode::OnBehalf);
        assert_eq!(full.principal().map(Text::as_str), Some("CHỦ TỊCH"));
        assert_eq!(full.title().as_str(), "PHÓ CHỦ TỊCH");

        let by_order = SignerCapacity::parse("TL. BỘ TRƯỞNG / VỤ TRƯỞNG").unwrap();
        assert_eq!(by_order.mode(), SigningMode::ByOrder);
        assert_eq!(by_order.principal().map(Text::as_str), Some("BỘ TRƯỞNG"));
        assert_eq!(by_order.title().as_str(), "VỤ TRƯỞNG");

        let authorized = SignerCapacity::parse("TUQ. CHỦ TỊCH / CHÁNH VĂN PHÒNG").unwrap();
        assert_eq!(authorized.mode(), SigningMode::ByAuthorization);
        assert_eq!(authorized.title().as_str(), "CHÁNH VĂN PHÒNG");

        let party = SignerCapacity::parse("T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ").unwrap();
        assert_eq!(party.collective().map(Text::as_str), Some("BAN THƯỜNG VỤ"));
        assert_eq!(party.mode(), SigningMode::Direct);
        assert_eq!(party.title().as_str(), "PHÓ BÍ THƯ");
        assert_eq!(party.to_string(), "TM. BAN THƯỜNG VỤ / PHÓ BÍ THƯ");

        let chairman = SignerCapacity::parse("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH").unwrap();
        assert_eq!(chairman.mode(), SigningMode::Direct);
        assert_eq!(chairman.title().as_str(), "CHỦ TỊCH");
    }

    #[test]
    fn malformed_signer_capacities_are_rejected() {
        assert_eq!(
            SignerCapacity::parse(" \n / "),
            Err(AwardFormError::SignerCapacityEmpty)
        );
        assert!(matches!(
            SignerCapacity::parse("KT. CHỦ TỊCH"),
            Err(AwardFormError::SignerTitleMissing { .. })
        ));
        assert!(matches!(
            SignerCapacity::parse("KT. CHỦ TỊCH / PHÓ CHỦ\u{0}TỊCH"),
            Err(AwardFormError::SignerCapacityText { part: "title", .. })
        ));
        assert!(matches!(
            SignerCapacity::parse("KT. / PHÓ CHỦ TỊCH"),
            Err(AwardFormError::SignerMarkerWithoutName { marker: "KT.", .. })
        ));
        assert!(matches!(
            SignerCapacity::parse("KT. CHỦ TỊCH / TM. ỦY BAN NHÂN DÂN / PHÓ CHỦ TỊCH"),
            Err(AwardFormError::SignerMarkersOutOfOrder { .. })
        ));
        assert!(matches!(
            SignerCapacity::parse("TL. BỘ TRƯỞNG / KT. VỤ TRƯỞNG / PHÓ VỤ TRƯỞNG"),
            Err(AwardFormError::SignerMarkersOutOfOrder { .. })
        ));
        assert!(matches!(
            SignerCapacity::parse("PHÓ CHỦ TỊCH / KT. CHỦ TỊCH"),
            Err(AwardFormError::SignerMarkersOutOfOrder { .. })
        ));
        assert!(
            SignerCapacity::new(
                SigningMode::Direct,
                None,
                Some(text("CHỦ TỊCH")),
                text("CHỦ TỊCH")
            )
            .is_err()
        );
        assert!(
            SignerCapacity::new(SigningMode::OnBehalf, None, None, text("PHÓ CHỦ TỊCH")).is_err()
        );
    }

    #[test]
    fn signer_capacities_display_and_parse_back() {
        for block in [
            "CHỦ TỊCH",
            "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
            "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
            "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH",
            "TL. BỘ TRƯỞNG / VỤ TRƯỞNG",
            "TUQ. CHỦ TỊCH / CHÁNH VĂN PHÒNG",
        ] {
            let capacity = SignerCapacity::parse(block).unwrap();
            assert_eq!(capacity.to_string(), block);
            assert_eq!(
                SignerCapacity::parse(&capacity.to_string()).unwrap(),
                capacity
            );
        }
        let multi_line = SignerCapacity::parse("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH").unwrap();
        assert_eq!(multi_line.to_string(), "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH");
    }

    #[test]
    fn award_forms_round_trip_through_serde() {
        for form in every_kind() {
            let json = serde_json::to_value(&form).unwrap();
            assert_eq!(json["kind"], form.code(), "{json}");
            let back: AwardForm = serde_json::from_value(json).unwrap();
            assert_eq!(back, form);
        }
        assert_eq!(
            serde_json::to_string(&lao_dong(OrderClass::Third)).unwrap(),
            r#"{"kind":"order","name":"lao_dong","class":"third"}"#
        );
        assert_eq!(
            serde_json::to_string(&AwardForm::CertificateOfMerit).unwrap(),
            r#"{"kind":"certificate_of_merit"}"#
        );
    }

    #[test]
    fn deserialization_checks_order_classes() {
        assert!(
            serde_json::from_str::<AwardForm>(r#"{"kind":"order","name":"lao_dong"}"#).is_err()
        );
        assert!(
            serde_json::from_str::<AwardForm>(
                r#"{"kind":"order","name":"sao_vang","class":"first"}"#
            )
            .is_err()
        );
        assert_eq!(
            serde_json::from_str::<AwardForm>(r#"{"kind":"order","name":"sao_vang"}"#).unwrap(),
            AwardForm::order(OrderName::SaoVang, None).unwrap()
        );
        assert!(serde_json::from_str::<AwardForm>(r#"{"kind":"medal","name":"  "}"#).is_err());
    }

    #[test]
    fn signer_capacities_round_trip_through_serde() {
        let capacity =
            SignerCapacity::parse("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH").unwrap();
        let json = serde_json::to_value(&capacity).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "mode": "on_behalf",
                "collective": "ỦY BAN NHÂN DÂN",
                "principal": "CHỦ TỊCH",
                "title": "PHÓ CHỦ TỊCH",
            })
        );
        let back: SignerCapacity = serde_json::from_value(json).unwrap();
        assert_eq!(back, capacity);
        assert!(
            serde_json::from_value::<SignerCapacity>(serde_json::json!({
                "mode": "on_behalf",
                "title": "PHÓ CHỦ TỊCH",
            }))
            .is_err()
        );
        for kind in [
            AuthorityKind::MinistryOrProvince,
            AuthorityKind::None,
            AuthorityKind::AgencyHead,
        ] {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(serde_json::from_str::<AuthorityKind>(&json).unwrap(), kind);
        }
        assert_eq!(
            serde_json::to_string(&RecipientKind::Household).unwrap(),
            "\"household\""
        );
    }
}
