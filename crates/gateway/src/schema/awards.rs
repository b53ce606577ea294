//! Award decisions in the schema: the `AwardDecision` type with its number, signer, form,
//! achievement, recipients (named and counted), status and presentations; the award queries
//! ("which collectives received a Bằng khen of this authority in 2020") and mutations (record,
//! update, revoke).

use std::borrow::Cow;
use std::num::NonZeroU32;

use async_graphql::connection::Connection;
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use gazette_domain::award::form::{AwardForm, SignerCapacity};
use gazette_domain::award::number::DocumentNumber;
use gazette_domain::award::{
    Achievement, AchievementPeriod, AwardDecision, AwardDecisionDetails, DecisionStatus,
    NamedRecipient, Presentation, RecipientRef, Signer, UnnamedRecipients,
};
use gazette_domain::ids::{AwardDecisionId, MeetingId, OrganizationId, PersonId};
use gazette_domain::source::Subject;
use gazette_domain::text::{Prose, Text};
use gazette_storage::{AwardDecisionFilter, DecisionParts};

use super::connection::{connection, nodes_ask, page_cost, page_request};
use super::context::{database, editor, events, loader};
use super::error::{ApiResult, StorageResultExt, bad_input};
use super::ids::{decode, expect, global_id};
use super::loaders::{by_id, one};
use super::meetings::{DocumentNumberObject, MeetingObject};
use super::organizations::OrganizationObject;
use super::people::PersonObject;
use super::scalars::PartialDateScalar;
use super::sources::{CitationObject, SourceObject, citations_of, sources_of};
use crate::events::Event;

by_id!(AwardDecisionId, AwardDecision, award_decisions_by_ids);

/// The kind of recipient of an award.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "gazette_domain::award::form::RecipientKind")]
pub enum RecipientKind {
    /// A person (cá nhân).
    Individual,
    /// A collective: a unit, an agency, a group (tập thể).
    Collective,
    /// A household (hộ gia đình).
    Household,
}

/// The orders (Huân chương) of the State.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "gazette_domain::award::form::OrderName")]
pub enum OrderName {
    /// Huân chương Sao vàng.
    SaoVang,
    /// Huân chương Hồ Chí Minh.
    HoChiMinh,
    /// Huân chương Độc lập, in three classes.
    DocLap,
    /// Huân chương Quân công, in three classes.
    QuanCong,
    /// Huân chương Lao động, in three classes.
    LaoDong,
    /// Huân chương Bảo vệ Tổ quốc, in three classes.
    BaoVeToQuoc,
    /// Huân chương Chiến công, in three classes.
    ChienCong,
    /// Huân chương Đại đoàn kết dân tộc.
    DaiDoanKetDanToc,
    /// Huân chương Dũng cảm.
    DungCam,
    /// Huân chương Hữu nghị.
    HuuNghi,
}

/// The class (hạng) of an order that has classes.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "gazette_domain::award::form::OrderClass")]
pub enum OrderClass {
    /// Hạng nhất (the highest).
    First,
    /// Hạng nhì.
    Second,
    /// Hạng ba.
    Third,
}

/// How the signer relates to the office a decision is issued in the name of.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "gazette_domain::award::form::SigningMode")]
pub enum SigningMode {
    /// The head signs in their own office ("CHỦ TỊCH").
    Direct,
    /// A deputy signs for the head (ký thay, "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH").
    OnBehalf,
    /// An office head signs by the head's order (thừa lệnh, "TL.").
    ByOrder,
    /// Someone signs under the head's authorization (thừa ủy quyền, "TUQ.").
    ByAuthorization,
}

/// Whether a decision stands or was revoked.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "gazette_storage::AwardStatus")]
pub enum AwardStatus {
    /// Issued and in force.
    Issued,
    /// Revoked (hủy bỏ); the record stays.
    Revoked,
}

/// The kind of an award form or emulation title.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum AwardFormKind {
    /// An order (Huân chương), with its class when it has classes.
    Order,
    /// A medal (Huy chương).
    Medal,
    /// A state honorary title ("Anh hùng Lao động").
    StateHonoraryTitle,
    /// Giải thưởng Hồ Chí Minh.
    HoChiMinhPrize,
    /// Giải thưởng Nhà nước.
    StatePrize,
    /// A commemorative medal (Kỷ niệm chương).
    CommemorativeMedal,
    /// A certificate of merit (Bằng khen).
    CertificateOfMerit,
    /// A certificate of commendation (Giấy khen).
    CertificateOfCommendation,
    /// The Government's emulation flag (Cờ thi đua của Chính phủ).
    GovernmentEmulationFlag,
    /// An emulation flag (Cờ thi đua) of a ministry, branch or province.
    EmulationFlag,
    /// Chiến sĩ thi đua toàn quốc.
    NationalEmulationSoldier,
    /// Chiến sĩ thi đua cấp bộ, ngành, tỉnh.
    ProvincialEmulationSoldier,
    /// Chiến sĩ thi đua cơ sở.
    GrassrootsEmulationSoldier,
    /// Lao động tiên tiến.
    AdvancedWorker,
    /// Tập thể lao động xuất sắc.
    ExcellentLabourCollective,
    /// Tập thể lao động tiên tiến.
    AdvancedLabourCollective,
    /// Gia đình văn hóa.
    CulturalFamily,
    /// A form the model does not know, kept as written.
    Other,
}

impl AwardFormKind {
    /// The kind of a form.
    #[must_use]
    pub fn of(form: &AwardForm) -> Self {
        match form {
            AwardForm::Order { .. } => Self::Order,
            AwardForm::Medal { .. } => Self::Medal,
            AwardForm::StateHonoraryTitle { .. } => Self::StateHonoraryTitle,
            AwardForm::HoChiMinhPrize => Self::HoChiMinhPrize,
            AwardForm::StatePrize => Self::StatePrize,
            AwardForm::CommemorativeMedal { .. } => Self::CommemorativeMedal,
            AwardForm::CertificateOfMerit => Self::CertificateOfMerit,
            AwardForm::CertificateOfCommendation => Self::CertificateOfCommendation,
            AwardForm::GovernmentEmulationFlag => Self::GovernmentEmulationFlag,
            AwardForm::EmulationFlag => Self::EmulationFlag,
            AwardForm::NationalEmulationSoldier => Self::NationalEmulationSoldier,
            AwardForm::ProvincialEmulationSoldier => Self::ProvincialEmulationSoldier,
            AwardForm::GrassrootsEmulationSoldier => Self::GrassrootsEmulationSoldier,
            AwardForm::AdvancedWorker => Self::AdvancedWorker,
            AwardForm::ExcellentLabourCollective => Self::ExcellentLabourCollective,
            AwardForm::AdvancedLabourCollective => Self::AdvancedLabourCollective,
            AwardForm::CulturalFamily => Self::CulturalFamily,
            AwardForm::Other { .. } => Self::Other,
        }
    }

    /// The form of this kind when it carries nothing more; `None` for the kinds that need a
    /// name, an order or a text.
    fn plain_form(self) -> Option<AwardForm> {
        Some(match self {
            Self::HoChiMinhPrize => AwardForm::HoChiMinhPrize,
            Self::StatePrize => AwardForm::StatePrize,
            Self::CertificateOfMerit => AwardForm::CertificateOfMerit,
            Self::CertificateOfCommendation => AwardForm::CertificateOfCommendation,
            Self::GovernmentEmulationFlag => AwardForm::GovernmentEmulationFlag,
            Self::EmulationFlag => AwardForm::EmulationFlag,
            Self::NationalEmulationSoldier => AwardForm::NationalEmulationSoldier,
            Self::ProvincialEmulationSoldier => AwardForm::ProvincialEmulationSoldier,
            Self::GrassrootsEmulationSoldier => AwardForm::GrassrootsEmulationSoldier,
            Self::AdvancedWorker => AwardForm::AdvancedWorker,
            Self::ExcellentLabourCollective => AwardForm::ExcellentLabourCollective,
            Self::AdvancedLabourCollective => AwardForm::AdvancedLabourCollective,
            Self::CulturalFamily => AwardForm::CulturalFamily,
            Self::Order
            | Self::Medal
            | Self::StateHonoraryTitle
            | Self::CommemorativeMedal
            | Self::Other => return None,
        })
    }

    /// The stable code storage filters on ([`AwardForm::code`]).
    fn code(self) -> &'static str {
        match self {
            Self::Order => "order",
            Self::Medal => "medal",
            Self::StateHonoraryTitle => "state_honorary_title",
            Self::HoChiMinhPrize => "ho_chi_minh_prize",
            Self::StatePrize => "state_prize",
            Self::CommemorativeMedal => "commemorative_medal",
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
            Self::Other => "other",
        }
    }
}

/// The capacity in which a decision was signed, as printed above the signature.
#[derive(SimpleObject, Clone)]
#[graphql(name = "SignerCapacity")]
pub struct SignerCapacityObject {
    /// The block on one line: "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH".
    pub text: String,
    /// How the signer relates to the principal.
    pub mode: SigningMode,
    /// The collective body signed for ("ỦY BAN NHÂN DÂN" of "TM. ỦY BAN NHÂN DÂN").
    pub collective: Option<String>,
    /// The office signed for ("CHỦ TỊCH" of "KT. CHỦ TỊCH"); null for a direct signature.
    pub principal: Option<String>,
    /// The signer's own title ("PHÓ CHỦ TỊCH").
    pub title: String,
}

impl From<&SignerCapacity> for SignerCapacityObject {
    fn from(capacity: &SignerCapacity) -> Self {
        Self {
            text: capacity.to_string(),
            mode: capacity.mode().into(),
            collective: capacity.collective().map(ToString::to_string),
            principal: capacity.principal().map(ToString::to_string),
            title: capacity.title().to_string(),
        }
    }
}

/// Who signed a decision.
#[derive(Clone)]
pub struct SignerObject(pub Signer);

/// Who signed a decision, and in which capacity.
#[Object(name = "Signer")]
impl SignerObject {
    /// The person, when recorded.
    async fn person(&self, ctx: &Context<'_>) -> ApiResult<Option<PersonObject>> {
        match self.0.person {
            Some(id) => Ok(one(ctx, id).await?.map(PersonObject)),
            None => Ok(None),
        }
    }

    /// The capacity as printed under the signature, when recorded.
    async fn capacity(&self) -> Option<SignerCapacityObject> {
        self.0.capacity.as_ref().map(SignerCapacityObject::from)
    }
}

/// The form or title a decision confers.
#[derive(SimpleObject, Clone)]
#[graphql(name = "AwardForm")]
pub struct AwardFormObject {
    /// The kind of form.
    pub kind: AwardFormKind,
    /// The Vietnamese name as a decision prints it ("Huân chương Lao động hạng ba", "Bằng
    /// khen").
    pub vietnamese_name: String,
    /// The order, when the form is one.
    pub order: Option<OrderName>,
    /// The order's class, when it has classes.
    pub order_class: Option<OrderClass>,
    /// The name of a medal, state honorary title or commemorative medal.
    pub name: Option<String>,
    /// The form as written, when the model does not know it.
    pub text: Option<String>,
}

impl From<&AwardForm> for AwardFormObject {
    fn from(form: &AwardForm) -> Self {
        let (order, order_class) = match form {
            AwardForm::Order { name, class } => (Some((*name).into()), class.map(Into::into)),
            _ => (None, None),
        };
        let name = match form {
            AwardForm::Medal { name }
            | AwardForm::StateHonoraryTitle { name }
            | AwardForm::CommemorativeMedal { name } => Some(name.to_string()),
            _ => None,
        };
        let text = match form {
            AwardForm::Other { text } => Some(text.to_string()),
            _ => None,
        };
        Self {
            kind: AwardFormKind::of(form),
            vietnamese_name: form.vietnamese_name(),
            order,
            order_class,
            name,
            text,
        }
    }
}

/// What a decision rewards.
#[derive(SimpleObject, Clone)]
#[graphql(name = "Achievement")]
pub struct AchievementObject {
    /// The reason as the decision words it ("đã có thành tích xuất sắc trong ...").
    pub reason: Option<String>,
    /// The field of work ("thực hiện quy chế dân chủ ở cơ sở").
    pub field: Option<String>,
    /// The period it covers: a year ("2020") or a span of years ("2016-2020").
    pub period: Option<String>,
    /// The period's first year.
    pub first_year: Option<i32>,
    /// The period's last year.
    pub last_year: Option<i32>,
}

impl From<&Achievement> for AchievementObject {
    fn from(achievement: &Achievement) -> Self {
        Self {
            reason: achievement.reason.as_ref().map(ToString::to_string),
            field: achievement.field.as_ref().map(ToString::to_string),
            period: achievement.period.map(|p| p.to_string()),
            first_year: achievement.period.map(|p| p.first_year()),
            last_year: achievement.period.map(|p| p.last_year()),
        }
    }
}

/// A recipient a decision names.
#[derive(Clone)]
pub struct AwardRecipientObject(pub NamedRecipient);

/// A recipient a decision names: a person or an organization (exactly one is set).
#[Object(name = "AwardRecipient")]
impl AwardRecipientObject {
    /// The person, when the recipient is an individual.
    async fn person(&self, ctx: &Context<'_>) -> ApiResult<Option<PersonObject>> {
        match self.0.recipient {
            RecipientRef::Person(id) => Ok(one(ctx, id).await?.map(PersonObject)),
            RecipientRef::Organization(_) => Ok(None),
        }
    }

    /// The organization, when the recipient is a collective or a household.
    async fn organization(&self, ctx: &Context<'_>) -> ApiResult<Option<OrganizationObject>> {
        match self.0.recipient {
            RecipientRef::Organization(id) => Ok(one(ctx, id).await?.map(OrganizationObject)),
            RecipientRef::Person(_) => Ok(None),
        }
    }

    /// Individual, collective or household.
    async fn kind(&self) -> RecipientKind {
        self.0.kind.into()
    }

    /// Their own reason, when the decision gives one per recipient.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_ref().map(Prose::as_str)
    }

    /// Prize money in Vietnamese đồng.
    async fn prize_vnd(&self) -> Option<u64> {
        self.0.prize_vnd
    }
}

/// Recipients a source counts without naming ("11 tập thể"), or mentions without a count.
#[derive(SimpleObject, Clone)]
#[graphql(name = "UnnamedRecipients")]
pub struct UnnamedRecipientsObject {
    /// What kind of recipients.
    pub kind: RecipientKind,
    /// How many; null when the source does not say.
    pub count: Option<u32>,
    /// What the source says of them.
    pub note: Option<String>,
}

impl From<&UnnamedRecipients> for UnnamedRecipientsObject {
    fn from(unnamed: &UnnamedRecipients) -> Self {
        Self {
            kind: unnamed.kind.into(),
            count: unnamed.count.map(NonZeroU32::get),
            note: unnamed.note.as_ref().map(ToString::to_string),
        }
    }
}

/// How a decision was revoked (hủy bỏ).
#[derive(SimpleObject, Clone)]
pub struct Revocation {
    /// When.
    pub on: PartialDateScalar,
    /// Why.
    pub reason: String,
    /// The revoking decision's number, when it has one.
    pub document: Option<DocumentNumberObject>,
}

/// A presentation of a decision.
#[derive(Clone)]
pub struct PresentationObject(pub Presentation);

/// A ceremony or occasion where a decision was presented; the presenter is often not the
/// signer.
#[Object(name = "AwardPresentation")]
impl PresentationObject {
    /// The meeting it happened at.
    async fn meeting(&self, ctx: &Context<'_>) -> ApiResult<Option<MeetingObject>> {
        match self.0.meeting {
            Some(id) => Ok(one(ctx, id).await?.map(MeetingObject)),
            None => Ok(None),
        }
    }

    /// Who presented it.
    async fn presenter(&self, ctx: &Context<'_>) -> ApiResult<Option<PersonObject>> {
        match self.0.presenter {
            Some(id) => Ok(one(ctx, id).await?.map(PersonObject)),
            None => Ok(None),
        }
    }

    /// When.
    async fn date(&self) -> Option<PartialDateScalar> {
        self.0.date.map(PartialDateScalar)
    }
}

/// An award decision, and which of its optional lists it was read with (a page of decisions
/// reads only those its query asks for).
#[derive(Clone)]
pub struct AwardDecisionObject(pub AwardDecision, DecisionParts);

impl AwardDecisionObject {
    /// A decision read whole.
    #[must_use]
    pub fn whole(decision: AwardDecision) -> Self {
        Self(decision, DecisionParts::ALL)
    }
}

/// An award or commendation decision: who decided which form for whom, for what achievement,
/// and whether it still stands.
#[Object(name = "AwardDecision")]
impl AwardDecisionObject {
    /// The global id.
    pub async fn id(&self) -> ID {
        global_id("AwardDecision", self.0.id().as_uuid())
    }

    /// The number as printed and parsed; news often omits it.
    async fn number(&self) -> Option<DocumentNumberObject> {
        self.0.number.clone().map(DocumentNumberObject)
    }

    /// When it was signed, as precisely as known.
    async fn signed_on(&self) -> Option<PartialDateScalar> {
        self.0.signed_on.map(PartialDateScalar)
    }

    /// The year it is filed under: the signing year, else the achievement's last year.
    async fn year(&self) -> Option<i32> {
        self.0.year()
    }

    /// The issuing authority (UBND thành phố Cần Thơ).
    async fn authority(&self, ctx: &Context<'_>) -> ApiResult<Option<OrganizationObject>> {
        Ok(one(ctx, self.0.authority).await?.map(OrganizationObject))
    }

    /// Who signed, and in which capacity.
    async fn signer(&self) -> Option<SignerObject> {
        self.0.signer.clone().map(SignerObject)
    }

    /// The form or title conferred.
    async fn form(&self) -> AwardFormObject {
        AwardFormObject::from(&self.0.form)
    }

    /// What it rewards.
    async fn achievement(&self) -> AchievementObject {
        AchievementObject::from(&self.0.achievement)
    }

    /// The recipients it names, in its order; only those of `kind` when given.
    async fn recipients(&self, kind: Option<RecipientKind>) -> Vec<AwardRecipientObject> {
        let kind = kind.map(gazette_domain::award::form::RecipientKind::from);
        self.0
            .recipients
            .iter()
            .filter(|r| kind.is_none_or(|k| r.kind == k))
            .cloned()
            .map(AwardRecipientObject)
            .collect()
    }

    /// Recipients counted or mentioned without names ("11 tập thể", names not known).
    async fn unnamed_recipients(&self) -> Vec<UnnamedRecipientsObject> {
        self.0
            .unnamed_recipients
            .iter()
            .map(UnnamedRecipientsObject::from)
            .collect()
    }

    /// Whether it stands or was revoked.
    async fn status(&self) -> AwardStatus {
        match self.0.status {
            DecisionStatus::Issued => AwardStatus::Issued,
            DecisionStatus::Revoked { .. } => AwardStatus::Revoked,
        }
    }

    /// How it was revoked; null while it stands.
    async fn revocation(&self) -> Option<Revocation> {
        match &self.0.status {
            DecisionStatus::Issued => None,
            DecisionStatus::Revoked {
                on,
                reason,
                document,
            } => Some(Revocation {
                on: PartialDateScalar(*on),
                reason: reason.to_string(),
                document: document.clone().map(DocumentNumberObject),
            }),
        }
    }

    /// Where and by whom it was presented.
    async fn presentations(&self, ctx: &Context<'_>) -> ApiResult<Vec<PresentationObject>> {
        // Read without them: the whole decision, through the request's loader (one statement
        // for every decision of the page that needs it); one deleted since has none.
        let decision = if self.1.presentations {
            Cow::Borrowed(&self.0)
        } else {
            one(ctx, self.0.id())
                .await?
                .map_or(Cow::Borrowed(&self.0), Cow::Owned)
        };
        Ok(decision
            .presentations
            .iter()
            .cloned()
            .map(PresentationObject)
            .collect())
    }

    /// The citations of this decision: which sources say what about it.
    async fn citations(&self, ctx: &Context<'_>) -> ApiResult<Vec<CitationObject>> {
        citations_of(ctx, Subject::AwardDecision(self.0.id())).await
    }

    /// The sources this decision was recorded from, in citation order.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceObject>> {
        sources_of(ctx, Subject::AwardDecision(self.0.id())).await
    }
}

/// The form conferred, as input: a kind, with the order (and class), name or text it needs.
#[derive(InputObject)]
pub struct AwardFormInput {
    /// The kind of form.
    pub kind: AwardFormKind,
    /// The order, for kind ORDER.
    pub order: Option<OrderName>,
    /// The order's class, for an order that has classes.
    pub order_class: Option<OrderClass>,
    /// The name, for a medal ("Quân kỳ quyết thắng"), a state honorary title ("Anh hùng Lao
    /// động") or a commemorative medal ("Vì sự nghiệp giáo dục").
    pub name: Option<String>,
    /// The form as written, for kind OTHER.
    pub text: Option<String>,
}

impl AwardFormInput {
    fn parse(&self) -> ApiResult<AwardForm> {
        let needs = |what: &str, value: &Option<String>| -> ApiResult<Text> {
            let value = value
                .as_deref()
                .ok_or_else(|| bad_input(&format!("form.{what}"), "this kind of form needs it"))?;
            Text::parse(value).map_err(|e| bad_input(&format!("form.{what}"), e))
        };
        let extra = [
            (
                "order",
                self.order.is_some() && self.kind != AwardFormKind::Order,
            ),
            (
                "orderClass",
                self.order_class.is_some() && self.kind != AwardFormKind::Order,
            ),
            (
                "name",
                self.name.is_some()
                    && !matches!(
                        self.kind,
                        AwardFormKind::Medal
                            | AwardFormKind::StateHonoraryTitle
                            | AwardFormKind::CommemorativeMedal
                    ),
            ),
            (
                "text",
                self.text.is_some() && self.kind != AwardFormKind::Other,
            ),
        ];
        if let Some((field, _)) = extra.iter().find(|(_, given)| *given) {
            return Err(bad_input(
                &format!("form.{field}"),
                format!("a form of kind {} takes no {field}", self.kind.code()),
            ));
        }
        if let Some(form) = self.kind.plain_form() {
            return Ok(form);
        }
        Ok(match self.kind {
            AwardFormKind::Order => {
                let name = self
                    .order
                    .ok_or_else(|| bad_input("form.order", "an order needs its name"))?;
                AwardForm::order(name.into(), self.order_class.map(Into::into))
                    .map_err(|e| bad_input("form.orderClass", e))?
            }
            AwardFormKind::Medal => AwardForm::Medal {
                name: needs("name", &self.name)?,
            },
            AwardFormKind::StateHonoraryTitle => AwardForm::StateHonoraryTitle {
                name: needs("name", &self.name)?,
            },
            AwardFormKind::CommemorativeMedal => AwardForm::CommemorativeMedal {
                name: needs("name", &self.name)?,
            },
            _ => AwardForm::Other {
                text: needs("text", &self.text)?,
            },
        })
    }
}

/// Who signed, as input.
#[derive(InputObject)]
pub struct SignerInput {
    /// The person, when recorded.
    pub person: Option<ID>,
    /// The capacity as printed: "CHỦ TỊCH", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" (lines or " / "
    /// separate its parts).
    pub capacity: Option<String>,
}

/// What a decision rewards, as input.
#[derive(InputObject, Default)]
pub struct AchievementInput {
    /// The reason as the decision words it.
    pub reason: Option<String>,
    /// The field of work; with the period, what "one achievement, one award" compares.
    pub field: Option<String>,
    /// The period: a year ("2020") or a span of years ("2016-2020").
    pub period: Option<String>,
}

/// A named recipient, as input.
#[derive(InputObject)]
pub struct RecipientInput {
    /// The person or organization.
    pub recipient: ID,
    /// Individual, collective or household; defaults to INDIVIDUAL for a person and
    /// COLLECTIVE for an organization.
    pub kind: Option<RecipientKind>,
    /// Their own reason, when the decision gives one per recipient.
    pub reason: Option<String>,
    /// Prize money in Vietnamese đồng.
    pub prize_vnd: Option<u64>,
}

/// Recipients counted or mentioned without names, as input.
#[derive(InputObject)]
pub struct UnnamedRecipientsInput {
    /// What kind of recipients.
    pub kind: RecipientKind,
    /// How many, when the source says (at least 1); leave out when it does not.
    pub count: Option<u32>,
    /// What the source says of them ("11 tập thể, không nêu tên").
    pub note: Option<String>,
}

/// A presentation, as input.
#[derive(InputObject)]
pub struct PresentationInput {
    /// The meeting it happened at.
    pub meeting: Option<ID>,
    /// Who presented it.
    pub presenter: Option<ID>,
    /// When.
    pub date: Option<PartialDateScalar>,
}

/// The fields of an award decision, as input (an update replaces them all; the status changes
/// only through `revokeAwardDecision`).
#[derive(InputObject)]
pub struct AwardDecisionFields {
    /// The number as printed ("163/QĐ-UBND", "Quyết định số 2846" as "2846").
    pub number: Option<String>,
    /// When it was signed.
    pub signed_on: Option<PartialDateScalar>,
    /// The issuing authority; it must be allowed to confer the form.
    pub authority: ID,
    /// Who signed.
    pub signer: Option<SignerInput>,
    /// The form or title conferred.
    pub form: AwardFormInput,
    /// What it rewards.
    pub achievement: Option<AchievementInput>,
    /// The recipients it names.
    #[graphql(default)]
    pub recipients: Vec<RecipientInput>,
    /// Recipients counted or mentioned without names.
    #[graphql(default)]
    pub unnamed_recipients: Vec<UnnamedRecipientsInput>,
    /// Where and by whom it was presented.
    #[graphql(default)]
    pub presentations: Vec<PresentationInput>,
}

fn optional_text(field: &str, value: Option<&str>) -> ApiResult<Option<Text>> {
    value
        .map(Text::parse)
        .transpose()
        .map_err(|e| bad_input(field, e))
}

fn optional_prose(field: &str, value: Option<&str>) -> ApiResult<Option<Prose>> {
    value
        .map(Prose::parse)
        .transpose()
        .map_err(|e| bad_input(field, e))
}

fn parse_number(field: &str, value: Option<&str>) -> ApiResult<Option<DocumentNumber>> {
    value
        .map(DocumentNumber::parse)
        .transpose()
        .map_err(|e| bad_input(field, e))
}

fn person_id(field: &str, id: Option<&ID>) -> ApiResult<Option<PersonId>> {
    id.map(|id| {
        expect(id, "Person")
            .map(PersonId::from_uuid)
            .map_err(|e| bad_input(field, e.message))
    })
    .transpose()
}

impl RecipientInput {
    fn parse(&self, field: &str) -> ApiResult<NamedRecipient> {
        use gazette_domain::award::form::RecipientKind as Kind;
        let (type_name, uuid) = decode(&self.recipient)?;
        let (recipient, default_kind) = match type_name.as_str() {
            "Person" => (
                RecipientRef::Person(PersonId::from_uuid(uuid)),
                Kind::Individual,
            ),
            "Organization" => (
                RecipientRef::Organization(OrganizationId::from_uuid(uuid)),
                Kind::Collective,
            ),
            other => {
                return Err(bad_input(
                    &format!("{field}.recipient"),
                    format!("a recipient is a Person or an Organization, not a {other}"),
                ));
            }
        };
        Ok(NamedRecipient {
            recipient,
            kind: self.kind.map_or(default_kind, Into::into),
            reason: optional_prose(&format!("{field}.reason"), self.reason.as_deref())?,
            prize_vnd: self.prize_vnd,
        })
    }
}

impl AwardDecisionFields {
    fn parse(&self, status: DecisionStatus) -> ApiResult<AwardDecisionDetails> {
        let achievement = self.achievement.as_ref();
        Ok(AwardDecisionDetails {
            number: parse_number("number", self.number.as_deref())?,
            signed_on: self.signed_on.map(|d| d.0),
            authority: OrganizationId::from_uuid(expect(&self.authority, "Organization")?),
            signer: self
                .signer
                .as_ref()
                .map(|signer| -> ApiResult<Signer> {
                    Ok(Signer {
                        person: person_id("signer.person", signer.person.as_ref())?,
                        capacity: signer
                            .capacity
                            .as_deref()
                            .map(SignerCapacity::parse)
                            .transpose()
                            .map_err(|e| bad_input("signer.capacity", e))?,
                    })
                })
                .transpose()?,
            form: self.form.parse()?,
            achievement: Achievement {
                reason: optional_prose(
                    "achievement.reason",
                    achievement.and_then(|a| a.reason.as_deref()),
                )?,
                field: optional_text(
                    "achievement.field",
                    achievement.and_then(|a| a.field.as_deref()),
                )?,
                period: achievement
                    .and_then(|a| a.period.as_deref())
                    .map(AchievementPeriod::parse)
                    .transpose()
                    .map_err(|e| bad_input("achievement.period", e))?,
            },
            recipients: self
                .recipients
                .iter()
                .enumerate()
                .map(|(i, r)| r.parse(&format!("recipients[{i}]")))
                .collect::<ApiResult<_>>()?,
            unnamed_recipients: self
                .unnamed_recipients
                .iter()
                .enumerate()
                .map(|(i, u)| -> ApiResult<UnnamedRecipients> {
                    let field = format!("unnamedRecipients[{i}]");
                    Ok(UnnamedRecipients {
                        kind: u.kind.into(),
                        count: u
                            .count
                            .map(|n| {
                                NonZeroU32::new(n).ok_or_else(|| {
                                    bad_input(
                                        &format!("{field}.count"),
                                        "a count is at least 1; leave it out when not given",
                                    )
                                })
                            })
                            .transpose()?,
                        note: optional_text(&format!("{field}.note"), u.note.as_deref())?,
                    })
                })
                .collect::<ApiResult<_>>()?,
            status,
            presentations: self
                .presentations
                .iter()
                .enumerate()
                .map(|(i, p)| -> ApiResult<Presentation> {
                    Ok(Presentation {
                        meeting: p
                            .meeting
                            .as_ref()
                            .map(|id| expect(id, "Meeting").map(MeetingId::from_uuid))
                            .transpose()?,
                        presenter: person_id(
                            &format!("presentations[{i}].presenter"),
                            p.presenter.as_ref(),
                        )?,
                        date: p.date.map(|d| d.0),
                    })
                })
                .collect::<ApiResult<_>>()?,
        })
    }
}

/// Input of `recordAwardDecision`.
#[derive(InputObject)]
pub struct RecordAwardDecisionInput {
    /// The decision's fields.
    pub decision: AwardDecisionFields,
}

/// Input of `updateAwardDecision`.
#[derive(InputObject)]
pub struct UpdateAwardDecisionInput {
    /// The decision to update.
    pub id: ID,
    /// The new fields (they replace the old ones; the status stays).
    pub decision: AwardDecisionFields,
}

/// Input of `revokeAwardDecision`.
#[derive(InputObject)]
pub struct RevokeAwardDecisionInput {
    /// The decision to revoke.
    pub id: ID,
    /// When it was revoked; not before it was signed.
    pub on: PartialDateScalar,
    /// Why (the file was falsified, the review was unlawful, ...).
    pub reason: String,
    /// The revoking decision's number, when it has one.
    pub document: Option<String>,
}

/// Result of the award decision mutations.
#[derive(SimpleObject)]
pub struct AwardDecisionPayload {
    /// The decision as stored.
    pub award_decision: AwardDecisionObject,
}

async fn publish_recorded(ctx: &Context<'_>, decision: &AwardDecision) -> ApiResult<()> {
    events(ctx)?
        .publish(Event::AwardDecisionRecorded {
            decision: decision.id().as_uuid(),
            authority: decision.authority.as_uuid(),
            snapshot: Some(Box::new(decision.clone())),
        })
        .await;
    Ok(())
}

/// Award decision queries.
#[derive(Default)]
pub struct AwardsQuery;

#[Object]
impl AwardsQuery {
    /// One award decision by id.
    async fn award_decision(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> ApiResult<Option<AwardDecisionObject>> {
        let id = AwardDecisionId::from_uuid(expect(&id, "AwardDecision")?);
        Ok(one(ctx, id).await?.map(AwardDecisionObject::whole))
    }

    /// Award decisions in the order they were recorded. `authority` keeps those it issued,
    /// `form` those conferring that kind of form, `year` those filed under the year (the
    /// signing year, else the achievement's last year), `recipient` (a person or an
    /// organization) those naming it, `status` those standing or revoked.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(
        clippy::too_many_arguments,
        reason = "a Relay connection field with its filters"
    )]
    async fn award_decisions(
        &self,
        ctx: &Context<'_>,
        authority: Option<ID>,
        form: Option<AwardFormKind>,
        year: Option<i32>,
        recipient: Option<ID>,
        status: Option<AwardStatus>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Connection<String, AwardDecisionObject>> {
        let recipient = match recipient {
            None => None,
            Some(id) => {
                let (type_name, uuid) = decode(&id)?;
                Some(match type_name.as_str() {
                    "Person" => RecipientRef::Person(PersonId::from_uuid(uuid)),
                    "Organization" => RecipientRef::Organization(OrganizationId::from_uuid(uuid)),
                    other => {
                        return Err(bad_input(
                            "recipient",
                            format!("a recipient is a Person or an Organization, not a {other}"),
                        ));
                    }
                })
            }
        };
        let filter = AwardDecisionFilter {
            authority: authority
                .map(|id| expect(&id, "Organization").map(OrganizationId::from_uuid))
                .transpose()?,
            form_kind: form.map(|kind| kind.code().to_owned()),
            year,
            recipient,
            status: status.map(Into::into),
        };
        let page_request = page_request(first, after, last, before)?;
        let request_loader = loader(ctx)?;
        if request_loader.priming() && names_recipients(&ctx.look_ahead()) {
            // The recipients' people and organizations come with the recipients' statement
            // and wait in the request's loader for the next level; the decisions' presentations
            // are read only when the nodes ask for them.
            let parts = asked_parts(&ctx.look_ahead());
            let (page, named) = database(ctx)?
                .award_decisions_naming(&filter, &page_request, parts)
                .await
                .api()?;
            request_loader.prime(named.people.into_iter().map(|p| (p.id(), p)));
            request_loader.prime(named.organizations.into_iter().map(|o| (o.id(), o)));
            return Ok(connection(page, |decision| {
                AwardDecisionObject(decision, parts)
            }));
        }
        let page = database(ctx)?
            .award_decisions(&filter, &page_request)
            .await
            .api()?;
        Ok(connection(page, AwardDecisionObject::whole))
    }
}

/// Which of the decisions' optional lists a connection of award decisions asks for (through
/// `nodes` or `edges { node }`).
fn asked_parts(connection: &async_graphql::Lookahead<'_>) -> DecisionParts {
    DecisionParts {
        presentations: nodes_ask(connection, |decision| {
            decision.field("presentations").exists()
        }),
    }
}

/// Whether a connection of award decisions goes on to its recipients' people or
/// organizations (through `nodes` or `edges { node }`).
fn names_recipients(connection: &async_graphql::Lookahead<'_>) -> bool {
    nodes_ask(connection, |decision| {
        let recipients = decision.field("recipients");
        recipients.field("person").exists() || recipients.field("organization").exists()
    })
}

/// Award decision mutations.
#[derive(Default)]
pub struct AwardsMutation;

#[Object]
impl AwardsMutation {
    /// Records an award decision. The authority must be allowed to confer the form (a commune
    /// cannot confer a Bằng khen), and no named recipient may already hold a standing award for
    /// the same achievement (same field and period): both are BAD_USER_INPUT. A number already
    /// used by the authority is a CONFLICT.
    async fn record_award_decision(
        &self,
        ctx: &Context<'_>,
        input: RecordAwardDecisionInput,
    ) -> ApiResult<AwardDecisionPayload> {
        let actor = editor(ctx)?;
        let details = input.decision.parse(DecisionStatus::Issued)?;
        let decision = AwardDecision::new(AwardDecisionId::new(), details)
            .map_err(|e| bad_input("decision", e))?;
        database(ctx)?
            .record_award_decision(&actor, &decision)
            .await
            .api()?;
        publish_recorded(ctx, &decision).await?;
        Ok(AwardDecisionPayload {
            award_decision: AwardDecisionObject::whole(decision),
        })
    }

    /// Replaces a decision's fields under the same rules; its status (issued or revoked) stays.
    async fn update_award_decision(
        &self,
        ctx: &Context<'_>,
        input: UpdateAwardDecisionInput,
    ) -> ApiResult<AwardDecisionPayload> {
        let actor = editor(ctx)?;
        let id = AwardDecisionId::from_uuid(expect(&input.id, "AwardDecision")?);
        let db = database(ctx)?;
        let status = db.award_decision(id).await.api()?.into_details().status;
        let decision = AwardDecision::new(id, input.decision.parse(status)?)
            .map_err(|e| bad_input("decision", e))?;
        db.update_award_decision(&actor, &decision).await.api()?;
        publish_recorded(ctx, &decision).await?;
        Ok(AwardDecisionPayload {
            award_decision: AwardDecisionObject::whole(decision),
        })
    }

    /// Revokes a decision (hủy bỏ): the record stays, with the date, the reason and the
    /// revoking document. Revoking twice, or before the signing date, is BAD_USER_INPUT.
    async fn revoke_award_decision(
        &self,
        ctx: &Context<'_>,
        input: RevokeAwardDecisionInput,
    ) -> ApiResult<AwardDecisionPayload> {
        let actor = editor(ctx)?;
        let id = AwardDecisionId::from_uuid(expect(&input.id, "AwardDecision")?);
        let reason = Prose::parse(&input.reason).map_err(|e| bad_input("reason", e))?;
        let document = parse_number("document", input.document.as_deref())?;
        let decision = database(ctx)?
            .revoke_award_decision(&actor, id, input.on.0, reason, document)
            .await
            .api()?;
        publish_recorded(ctx, &decision).await?;
        Ok(AwardDecisionPayload {
            award_decision: AwardDecisionObject::whole(decision),
        })
    }
}
