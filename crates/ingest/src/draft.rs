//! The draft: what an article says, as records to review before they are stored.
//!
//! Every item carries `span` (character offsets into [`crate::normalize()`] of the article), the
//! `quote` those offsets cut out (the sentence the item came from), and a `confidence` between 0
//! and 1. Items refer to each other by `key`: people and organizations get readable keys built from
//! their folded names ("pham-van-hieu", "thanh-uy-can-tho"). What the article does not say stays
//! `null` or empty; nothing is filled in from outside the text except what the caller passes as a
//! [`crate::SourceHint`] and the publisher table says about a publisher.

use gazette_domain::award::AchievementPeriod;
use gazette_domain::award::form::{AwardForm, RecipientKind};
use gazette_domain::award::number::DocumentNumber;
use gazette_domain::date::{PartialDate, PartialDateTime};
use gazette_domain::directive::DirectiveKind;
use gazette_domain::meeting::MeetingKind;
use gazette_domain::organization::{Classification, Level};
use serde::{Deserialize, Serialize};

/// A range of characters (not bytes) of the normalized article, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// The first character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// Everything read from one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// The article itself: title, publisher, date, byline, photo credits, URL.
    pub source: SourceDraft,
    /// The people named, each with every title the article gives them.
    pub people: Vec<PersonDraft>,
    /// The organizations the other items refer to.
    pub organizations: Vec<OrganizationDraft>,
    /// The meeting (conference, session, working meeting) the article reports, if any.
    pub meeting: Option<MeetingDraft>,
    /// What leaders directed, each broken into tasks.
    pub directives: Vec<DirectiveDraft>,
    /// Award presentations and decisions.
    pub awards: Vec<AwardDraft>,
    /// Organizations merged, renamed, founded or dissolved.
    pub organization_changes: Vec<OrganizationChangeDraft>,
    /// Abbreviations the article uses: those it defines, and those of the built-in table.
    pub abbreviations: Vec<AbbreviationDraft>,
    /// What a reviewer should look at: guesses, gaps, ambiguities.
    pub warnings: Vec<Warning>,
}

/// A value read from the article (or given by the caller), with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field<T> {
    /// The value.
    pub value: T,
    /// Where in the article; `null` when the caller gave the value.
    pub span: Option<Span>,
    /// The article's words there.
    pub quote: Option<String>,
    /// How sure the reading is, 0 to 1.
    pub confidence: f64,
}

/// The article as a source.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceDraft {
    /// The headline (with its kicker, when the kicker ends in a colon).
    pub title: Option<Field<String>>,
    /// Who published it.
    pub publisher: Option<PublisherDraft>,
    /// When it was published (local time), from the date line.
    pub published_at: Option<Field<PartialDateTime>>,
    /// Who wrote it ("THANH THY" from "Tin, ảnh: THANH THY").
    pub byline: Option<Field<String>>,
    /// Who took its photos ("NGỌC QUYÊN" from "Ảnh: NGỌC QUYÊN").
    pub photo_credits: Vec<Field<String>>,
    /// Where it can be read.
    pub url: Option<Field<String>>,
}

/// How the publisher was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublisherEvidence {
    /// A dateline marker such as "(CT) -".
    DatelineMarker,
    /// The article's URL.
    Url,
    /// The caller said so.
    Hint,
}

/// The publisher.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublisherDraft {
    /// The publisher's name ("Báo Cần Thơ"); `null` for a marker the table does not know.
    pub name: Option<String>,
    /// The dateline marker as written ("CT"), when one was found.
    pub marker: Option<String>,
    /// How it was found.
    pub found_by: PublisherEvidence,
    /// Where in the article; `null` when not from the text.
    pub span: Option<Span>,
    /// The article's words there.
    pub quote: Option<String>,
    /// How sure the reading is.
    pub confidence: f64,
}

/// A person the article names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonDraft {
    /// The key other items use.
    pub key: String,
    /// The name, honorifics stripped, capitals-only names in title case.
    pub name: String,
    /// Every title given to them, in the order first given.
    pub titles: Vec<TitleDraft>,
    /// The first sentence naming them.
    pub span: Span,
    /// Its text.
    pub quote: String,
    /// How sure the reading is.
    pub confidence: f64,
}

/// A title as the article gives it, resolved to a post and an organization where possible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TitleDraft {
    /// The title as written ("Chủ tịch HĐND thành phố").
    pub text: String,
    /// The post's title ("Chủ tịch").
    pub post: Option<String>,
    /// The organization's key.
    pub organization: Option<String>,
    /// The organization's level.
    pub level: Option<Level>,
    /// How sure the resolution is.
    pub confidence: f64,
}

/// An organization the draft refers to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationDraft {
    /// The key other items use.
    pub key: String,
    /// The name in full, abbreviations expanded and the place filled in from the article's
    /// context ("Hội đồng nhân dân thành phố Cần Thơ").
    pub name: String,
    /// The name with the usual abbreviations ("HĐND thành phố Cần Thơ"), when it differs.
    pub abbreviation: Option<String>,
    /// How the article first writes it ("HĐND thành phố"); for a body the article only
    /// implies (the city of "Thành ủy Cần Thơ", the committee of "Ban Dân vận Thành ủy"), the
    /// phrase that implies it.
    pub written: String,
    /// What kind of body.
    pub classification: Classification,
    /// Its tier of government, when known.
    pub level: Option<Level>,
    /// The key of the body it belongs to, when that is in the draft.
    pub parent: Option<String>,
    /// The first sentence referring to it.
    pub span: Span,
    /// Its text.
    pub quote: String,
    /// How sure the reading is.
    pub confidence: f64,
}

/// The part of the day a meeting was held ("Sáng 7-1").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartOfDay {
    /// Sáng.
    Morning,
    /// Trưa.
    Noon,
    /// Chiều.
    Afternoon,
    /// Tối.
    Evening,
    /// Đêm.
    Night,
}

/// Someone taking part in a meeting or issuing a directive: a person, or a group described by
/// title ("các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy"), with the titles they acted in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParticipantDraft {
    /// The person's key.
    pub person: Option<String>,
    /// The group as written, when it is not one named person.
    pub group: Option<String>,
    /// The titles given with them there.
    pub capacities: Vec<TitleDraft>,
}

/// The meeting the article reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingDraft {
    /// Its title, in the article's words.
    pub title: Option<String>,
    /// What kind of meeting.
    pub kind: MeetingKind,
    /// When (the year from the publication date when the article omits it).
    pub date: Option<PartialDate>,
    /// The part of the day.
    pub part_of_day: Option<PartOfDay>,
    /// Where, when the report says ("tại Hội trường UBND tỉnh").
    pub location: Option<String>,
    /// The organizing body's key.
    pub organizer: Option<String>,
    /// Who chaired (chủ trì).
    pub chairs: Vec<ParticipantDraft>,
    /// Who attended (dự).
    pub attendees: Vec<ParticipantDraft>,
    /// The sentence reporting it.
    pub span: Span,
    /// Its text.
    pub quote: String,
    /// How sure the reading is.
    pub confidence: f64,
}

/// Whom a directive or task is addressed to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddresseeDraft {
    /// As written ("các tổ chức chính trị - xã hội").
    pub name: String,
    /// The organization's key, when the words name one.
    pub organization: Option<String>,
}

/// One instruction of a directive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskDraft {
    /// The instruction in the article's words, first letter capitalized.
    pub text: String,
    /// Whom this instruction names as doing it; empty when it is the directive's addressees.
    pub addressees: Vec<AddresseeDraft>,
    /// Its deadline ("trước 10/9/2022").
    pub deadline: Option<PartialDate>,
    /// The deadline as written.
    pub deadline_text: Option<String>,
    /// The clause.
    pub span: Span,
    /// Its text.
    pub quote: String,
    /// How sure the reading is.
    pub confidence: f64,
}

/// What a leader directed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectiveDraft {
    /// What form it took (directing speech, conclusions, ...).
    pub kind: DirectiveKind,
    /// The verb as written ("đề nghị", "yêu cầu", "giao").
    pub verb: String,
    /// Who directed, and as what.
    pub speaker: Option<ParticipantDraft>,
    /// When.
    pub date: Option<PartialDate>,
    /// Whether it was given at the article's meeting.
    pub at_meeting: bool,
    /// The document it was issued in, when the article gives its number.
    pub document_number: Option<DocumentNumber>,
    /// Whom it addresses.
    pub addressees: Vec<AddresseeDraft>,
    /// One task per instruction.
    pub tasks: Vec<TaskDraft>,
    /// The sentence with the verb.
    pub span: Span,
    /// Its text.
    pub quote: String,
    /// How sure the reading is.
    pub confidence: f64,
}

/// Recipients of an award: named, or counted ("11 tập thể"), or only mentioned ("các tập thể").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecipientDraft {
    /// What kind of recipient.
    pub kind: RecipientKind,
    /// How many, when the article counts them.
    pub count: Option<u32>,
    /// The article's words.
    pub text: String,
    /// The person's key, for a named individual.
    pub person: Option<String>,
    /// The organization's key, for a named collective.
    pub organization: Option<String>,
}

/// What an award rewards.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AchievementDraft {
    /// The reason in the article's words ("có thành tích xuất sắc trong ...").
    pub reason: Option<String>,
    /// The field of work.
    pub field: Option<String>,
    /// The period ("2020", "2016-2020").
    pub period: Option<AchievementPeriod>,
}

/// An award presentation or decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AwardDraft {
    /// The form, when the article names one the model knows.
    pub form: Option<AwardForm>,
    /// The form as written ("Bằng khen của UBND thành phố").
    pub form_text: Option<String>,
    /// The conferring authority's key.
    pub authority: Option<String>,
    /// The authority as written ("UBND thành phố", "Chủ tịch UBND tỉnh").
    pub authority_text: Option<String>,
    /// The office in whose name it is conferred, when the article names one ("Chủ tịch").
    pub conferred_by_title: Option<String>,
    /// Who signed the decision, when the article says ("Phó Thủ tướng X ký Quyết định ...
    /// tặng Bằng khen").
    pub signer: Option<String>,
    /// Who presented it.
    pub presenter: Option<String>,
    /// The decision's number, when given.
    pub decision_number: Option<DocumentNumber>,
    /// The decision's date, when given.
    pub decision_date: Option<PartialDate>,
    /// When it was presented or decided.
    pub date: Option<PartialDate>,
    /// Whether it was presented at the article's meeting.
    pub at_meeting: bool,
    /// Who received it.
    pub recipients: Vec<RecipientDraft>,
    /// What it rewards.
    pub achievement: AchievementDraft,
    /// The sentence.
    pub span: Span,
    /// Its text.
    pub quote: String,
    /// How sure the reading is.
    pub confidence: f64,
}

/// How an organization changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Several became one (hợp nhất, sáp nhập).
    Merger,
    /// A new name (đổi tên).
    Rename,
    /// Founded (thành lập).
    Establishment,
    /// Dissolved (giải thể).
    Dissolution,
}

/// An organization merged, renamed, founded or dissolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationChangeDraft {
    /// What happened.
    pub kind: ChangeKind,
    /// The organizations before (keys).
    pub predecessors: Vec<String>,
    /// The organization after (key).
    pub successor: Option<String>,
    /// Who decided (key).
    pub decided_by: Option<String>,
    /// When it was decided.
    pub decided_on: Option<PartialDate>,
    /// The decision's number.
    pub document_number: Option<DocumentNumber>,
    /// When it takes effect.
    pub effective: Option<PartialDate>,
    /// The sentence.
    pub span: Span,
    /// Its text.
    pub quote: String,
    /// How sure the reading is.
    pub confidence: f64,
}

/// Where an abbreviation's meaning comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbbreviationOrigin {
    /// The article defines it ("quy chế dân chủ (QCDC)").
    Article,
    /// The built-in table (see `docs/ingest.md`).
    BuiltIn,
}

/// An abbreviation the article uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbbreviationDraft {
    /// The abbreviation ("QCDC").
    pub abbreviation: String,
    /// What it stands for ("quy chế dân chủ").
    pub expansion: String,
    /// Where the meaning comes from.
    pub origin: AbbreviationOrigin,
    /// The definition, or the first use.
    pub span: Span,
    /// Its sentence.
    pub quote: String,
    /// How sure the reading is.
    pub confidence: f64,
}

/// Something a reviewer should check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// A stable code ("place_not_named", "year_inferred", ...).
    pub code: String,
    /// What to check, in English.
    pub message: String,
    /// Where.
    pub span: Option<Span>,
}
