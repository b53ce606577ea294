//! Award and commendation decisions (Law on Emulation and Commendation 06/2022/QH15): who
//! decided which form for whom, for what achievement, and whether it still stands.
//!
//! The rules:
//! * a decision has at least one recipient, named or counted ("11 tập thể"), and names no
//!   recipient twice; each form goes only to the kinds of recipient it is for;
//! * the issuing authority may confer the form ([`form::check_authority`]);
//! * one achievement, one award: a recipient cannot hold two decisions that stand for the same
//!   achievement, that is the same field and period ([`check_one_achievement_one_award`]).

pub mod form;
pub mod number;

use std::fmt;
use std::num::NonZeroU32;

use serde::{Deserialize, Serialize};

use crate::date::PartialDate;
use crate::entity::{aggregate, first_repeat};
use crate::ids::{AwardDecisionId, MeetingId, OrganizationId, PersonId};
use crate::organization::Organization;
use crate::text::{Prose, Text};
use form::{AwardForm, AwardFormError, RecipientKind, SignerCapacity};
use number::DocumentNumber;

/// The period an achievement covers: a year ("năm 2020") or a span of years ("2016-2020").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AchievementPeriod {
    first: i32,
    last: i32,
}

impl AchievementPeriod {
    /// Parses "2020" or "2016-2020": years of four digits, the first not a zero (so that
    /// every period reads back from the text it displays as).
    pub fn parse(text: &str) -> Result<Self, AwardError> {
        let malformed = || AwardError::MalformedAchievementPeriod {
            value: text.to_owned(),
        };
        let year = |part: &str| -> Result<i32, AwardError> {
            let part = part.trim();
            if part.len() == 4 && part.bytes().all(|b| b.is_ascii_digit()) && !part.starts_with('0')
            {
                part.parse().map_err(|_| malformed())
            } else {
                Err(malformed())
            }
        };
        let (first, last) = match text.split_once(['-', '–']) {
            Some((first, last)) => (year(first)?, year(last)?),
            None => {
                let only = year(text)?;
                (only, only)
            }
        };
        if last < first {
            return Err(malformed());
        }
        Ok(Self { first, last })
    }

    /// The first year.
    #[must_use]
    pub fn first_year(&self) -> i32 {
        self.first
    }

    /// The last year.
    #[must_use]
    pub fn last_year(&self) -> i32 {
        self.last
    }
}

impl fmt::Display for AchievementPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}-{}", self.first, self.last)
        }
    }
}

impl TryFrom<String> for AchievementPeriod {
    type Error = AwardError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<AchievementPeriod> for String {
    fn from(value: AchievementPeriod) -> Self {
        value.to_string()
    }
}

/// What a decision rewards.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Achievement {
    /// The reason as the decision words it ("đã có thành tích xuất sắc trong ...").
    pub reason: Option<Prose>,
    /// The field of work ("thực hiện quy chế dân chủ ở cơ sở").
    pub field: Option<Text>,
    /// The period it covers.
    pub period: Option<AchievementPeriod>,
}

impl Achievement {
    /// The key two awards are compared on for the one-achievement rule: the folded field and
    /// the period; `None` unless both are known.
    #[must_use]
    pub fn key(&self) -> Option<(String, AchievementPeriod)> {
        Some((self.field.as_ref()?.fold(), self.period?))
    }
}

/// A named recipient: a recorded person or organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum RecipientRef {
    /// An individual.
    Person(PersonId),
    /// A collective (or a household recorded as an organization).
    Organization(OrganizationId),
}

impl fmt::Display for RecipientRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Person(id) => write!(f, "person {id}"),
            Self::Organization(id) => write!(f, "organization {id}"),
        }
    }
}

/// A recipient the decision names.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NamedRecipient {
    /// Who.
    pub recipient: RecipientRef,
    /// Whether an organization recipient is a collective or a household (persons are
    /// individuals).
    pub kind: RecipientKind,
    /// Their own reason, when the decision gives one per recipient.
    pub reason: Option<Prose>,
    /// Prize money in Vietnamese đồng.
    pub prize_vnd: Option<u64>,
}

/// Recipients a source counts without naming ("11 tập thể"), or mentions without even a count
/// ("các tập thể": collectives whose number and names the article does not give).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UnnamedRecipients {
    /// What kind of recipients.
    pub kind: RecipientKind,
    /// How many, when the source says.
    pub count: Option<NonZeroU32>,
    /// What the source says of them, and that the names are not known.
    pub note: Option<Text>,
}

/// Whether a decision still stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DecisionStatus {
    /// Issued and in force.
    Issued,
    /// Revoked (hủy bỏ); the record stays.
    Revoked {
        /// When.
        on: PartialDate,
        /// Why.
        reason: Prose,
        /// The revoking decision's number, when it has one.
        document: Option<DocumentNumber>,
    },
}

impl DecisionStatus {
    /// The stable code used in storage and the API.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Issued => "issued",
            Self::Revoked { .. } => "revoked",
        }
    }
}

/// A ceremony or occasion where a decision was presented; the presenter is often not the signer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Presentation {
    /// The meeting it happened at.
    pub meeting: Option<MeetingId>,
    /// Who presented it.
    pub presenter: Option<PersonId>,
    /// When.
    pub date: Option<PartialDate>,
}

/// Who signed, and how ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Signer {
    /// The person, when recorded.
    pub person: Option<PersonId>,
    /// The capacity as printed under the signature.
    pub capacity: Option<SignerCapacity>,
}

/// Why an award decision was rejected. Messages name the rule and the values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AwardError {
    /// No recipient at all.
    #[error("an award decision needs at least one recipient, named or counted")]
    NoRecipient,
    /// A recipient named twice.
    #[error("{recipient} is named twice in the decision")]
    DuplicateRecipient {
        /// The recipient.
        recipient: RecipientRef,
    },
    /// A form given to a kind of recipient it is not for.
    #[error("{form} cannot be given to {kind:?} recipients")]
    FormNotForRecipient {
        /// The form's Vietnamese name.
        form: String,
        /// The recipient kind.
        kind: RecipientKind,
    },
    /// A person recorded as a collective or household.
    #[error("{recipient} is a person, so it is an individual recipient, not {kind:?}")]
    PersonNotIndividual {
        /// The recipient.
        recipient: RecipientRef,
        /// The kind given.
        kind: RecipientKind,
    },
    /// An organization recorded as an individual.
    #[error("{recipient} is an organization, so it cannot be an individual recipient")]
    OrganizationAsIndividual {
        /// The recipient.
        recipient: RecipientRef,
    },
    /// The revocation predates the decision.
    #[error("a decision signed {signed} cannot be revoked earlier, on {revoked}")]
    RevokedBeforeSigned {
        /// The signing date.
        signed: PartialDate,
        /// The revocation date.
        revoked: PartialDate,
    },
    /// The decision is already revoked.
    #[error("decision {decision} is already revoked")]
    AlreadyRevoked {
        /// The decision.
        decision: AwardDecisionId,
    },
    /// The achievement period is malformed.
    #[error("achievement period {value:?} is not a year (2020) or a span of years (2016-2020)")]
    MalformedAchievementPeriod {
        /// The text given.
        value: String,
    },
    /// The authority may not confer the form, or the form is malformed.
    #[error(transparent)]
    Form(#[from] AwardFormError),
    /// The decision was checked against another authority than the one it names.
    #[error("the decision's authority is {expected}, but it was checked against {given}")]
    WrongAuthority {
        /// The authority it names.
        expected: OrganizationId,
        /// The organization given.
        given: OrganizationId,
    },
    /// One achievement, one award.
    #[error(
        "{recipient} already holds decision {existing} ({existing_form}) for the same achievement ({field}, {period}); one achievement is rewarded once"
    )]
    AchievementAlreadyRewarded {
        /// The recipient.
        recipient: RecipientRef,
        /// The decision that already rewards it (number, or id when it has none).
        existing: String,
        /// Its form.
        existing_form: String,
        /// The field.
        field: String,
        /// The period.
        period: AchievementPeriod,
    },
}

/// What Gazette records about an award decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardDecisionDetails {
    /// The number as printed, parsed when it matches a known format; news often omits it.
    pub number: Option<DocumentNumber>,
    /// When it was signed.
    pub signed_on: Option<PartialDate>,
    /// The issuing authority (UBND thành phố Cần Thơ).
    pub authority: OrganizationId,
    /// Who signed, and in which capacity.
    pub signer: Option<Signer>,
    /// The title or form conferred.
    pub form: AwardForm,
    /// What it rewards.
    pub achievement: Achievement,
    /// The recipients the decision names.
    #[serde(default)]
    pub recipients: Vec<NamedRecipient>,
    /// Recipients counted or mentioned without names.
    #[serde(default)]
    pub unnamed_recipients: Vec<UnnamedRecipients>,
    /// Whether it stands.
    pub status: DecisionStatus,
    /// Where and by whom it was presented.
    #[serde(default)]
    pub presentations: Vec<Presentation>,
}

impl AwardDecisionDetails {
    fn validate(&self, _id: AwardDecisionId) -> Result<(), AwardError> {
        if self.recipients.is_empty() && self.unnamed_recipients.is_empty() {
            return Err(AwardError::NoRecipient);
        }
        let repeated = first_repeat(self.recipients.iter().map(|r| r.recipient));
        for (position, named) in self.recipients.iter().enumerate() {
            if repeated == Some(position) {
                return Err(AwardError::DuplicateRecipient {
                    recipient: named.recipient,
                });
            }
            match (named.recipient, named.kind) {
                (RecipientRef::Person(_), RecipientKind::Individual) => {}
                (RecipientRef::Person(_), kind) => {
                    return Err(AwardError::PersonNotIndividual {
                        recipient: named.recipient,
                        kind,
                    });
                }
                (RecipientRef::Organization(_), RecipientKind::Individual) => {
                    return Err(AwardError::OrganizationAsIndividual {
                        recipient: named.recipient,
                    });
                }
                (RecipientRef::Organization(_), _) => {}
            }
        }
        let kinds = self
            .recipients
            .iter()
            .map(|r| r.kind)
            .chain(self.unnamed_recipients.iter().map(|r| r.kind));
        for kind in kinds {
            if !self.form.may_go_to(kind) {
                return Err(AwardError::FormNotForRecipient {
                    form: self.form.vietnamese_name(),
                    kind,
                });
            }
        }
        if let (Some(signed), DecisionStatus::Revoked { on, .. }) = (self.signed_on, &self.status)
            && on.last_day() < signed.first_day()
        {
            return Err(AwardError::RevokedBeforeSigned {
                signed,
                revoked: *on,
            });
        }
        Ok(())
    }

    /// Whether the decision stands (is not revoked).
    #[must_use]
    pub fn stands(&self) -> bool {
        matches!(self.status, DecisionStatus::Issued)
    }

    /// The year the decision is filed under: the signing year, else the achievement's last
    /// year.
    #[must_use]
    pub fn year(&self) -> Option<i32> {
        self.signed_on
            .map(|d| d.year_number())
            .or_else(|| self.achievement.period.map(|p| p.last_year()))
    }
}

aggregate!(
    /// An award or commendation decision.
    AwardDecision,
    AwardDecisionId,
    AwardDecisionDetails,
    AwardError
);

impl AwardDecision {
    /// Revokes the decision; the record stays, with the date, reason and revoking document.
    pub fn revoke(
        &mut self,
        on: PartialDate,
        reason: Prose,
        document: Option<DocumentNumber>,
    ) -> Result<(), AwardError> {
        if !self.stands() {
            return Err(AwardError::AlreadyRevoked {
                decision: self.id(),
            });
        }
        let mut details = self.details().clone();
        details.status = DecisionStatus::Revoked {
            on,
            reason,
            document,
        };
        self.update(details)
    }

    /// Checks that `authority` (the organization the decision names) may confer the form.
    pub fn check_authority(&self, authority: &Organization) -> Result<(), AwardError> {
        if authority.id() != self.authority {
            return Err(AwardError::WrongAuthority {
                expected: self.authority,
                given: authority.id(),
            });
        }
        form::check_authority(authority.classification, authority.level, &self.form)?;
        Ok(())
    }

    /// A label for messages: the number, or the id when the decision has none.
    #[must_use]
    pub fn label(&self) -> String {
        self.number
            .as_ref()
            .map_or_else(|| self.id().to_string(), |n| n.raw().to_owned())
    }
}

/// One achievement, one award: none of the decision's named recipients may already hold a
/// standing decision for the same achievement (same field and period). `existing` are the
/// recipients' other decisions (the decision itself, if among them, is skipped by id; revoked
/// ones do not count). A decision whose field or period is unknown cannot be compared and
/// passes; recipients known only by count cannot be compared either.
pub fn check_one_achievement_one_award(
    decision: &AwardDecision,
    existing: &[AwardDecision],
) -> Result<(), AwardError> {
    if !decision.stands() {
        return Ok(());
    }
    let Some((field, period)) = decision.achievement.key() else {
        return Ok(());
    };
    for named in &decision.recipients {
        let clash = existing.iter().find(|other| {
            other.id() != decision.id()
                && other.stands()
                && other.achievement.key().as_ref() == Some(&(field.clone(), period))
                && other
                    .recipients
                    .iter()
                    .any(|r| r.recipient == named.recipient)
        });
        if let Some(other) = clash {
            return Err(AwardError::AchievementAlreadyRewarded {
                recipient: named.recipient,
                existing: other.label(),
                existing_form: other.form.vietnamese_name(),
                field: decision
                    .achievement
                    .field
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                period,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::organization::{Classification, Level, OrganizationDetails};

    fn decision(form: AwardForm, recipients: Vec<NamedRecipient>, period: &str) -> AwardDecision {
        AwardDecision::new(
            AwardDecisionId::new(),
            AwardDecisionDetails {
                number: Some(DocumentNumber::parse("163/QĐ-UBND").unwrap()),
                signed_on: Some(PartialDate::parse("2021-01-10").unwrap()),
                authority: OrganizationId::new(),
                signer: None,
                form,
                achievement: Achievement {
                    reason: None,
                    field: Some(Text::parse("thực hiện quy chế dân chủ ở cơ sở").unwrap()),
                    period: Some(AchievementPeriod::parse(period).unwrap()),
                },
                recipients,
                unnamed_recipients: Vec::new(),
                status: DecisionStatus::Issued,
                presentations: Vec::new(),
            },
        )
        .unwrap()
    }

    fn collective(id: OrganizationId) -> NamedRecipient {
        NamedRecipient {
            recipient: RecipientRef::Organization(id),
            kind: RecipientKind::Collective,
            reason: None,
            prize_vnd: Some(3_600_000),
        }
    }

    #[test]
    fn a_decision_needs_a_recipient() {
        let mut details = decision(
            AwardForm::CertificateOfMerit,
            vec![collective(OrganizationId::new())],
            "2020",
        )
        .into_details();
        details.recipients.clear();
        assert_eq!(
            AwardDecision::new(AwardDecisionId::new(), details).unwrap_err(),
            AwardError::NoRecipient
        );
    }

    #[test]
    fn counted_recipients_are_enough() {
        let mut details = decision(
            AwardForm::CertificateOfMerit,
            vec![collective(OrganizationId::new())],
            "2020",
        )
        .into_details();
        details.recipients.clear();
        details.unnamed_recipients = vec![UnnamedRecipients {
            kind: RecipientKind::Collective,
            count: NonZeroU32::new(11),
            note: Some(Text::parse("11 tập thể").unwrap()),
        }];
        assert!(AwardDecision::new(AwardDecisionId::new(), details).is_ok());
    }

    #[test]
    fn no_recipient_is_named_twice() {
        let unit = OrganizationId::new();
        let details = decision(
            AwardForm::CertificateOfMerit,
            vec![collective(unit)],
            "2020",
        )
        .into_details();
        let mut twice = details;
        twice.recipients.push(collective(unit));
        assert!(matches!(
            AwardDecision::new(AwardDecisionId::new(), twice),
            Err(AwardError::DuplicateRecipient { .. })
        ));
    }

    #[test]
    fn a_person_is_an_individual_recipient() {
        let mut details = decision(
            AwardForm::CertificateOfMerit,
            vec![collective(OrganizationId::new())],
            "2020",
        )
        .into_details();
        details.recipients = vec![NamedRecipient {
            recipient: RecipientRef::Person(PersonId::new()),
            kind: RecipientKind::Collective,
            reason: None,
            prize_vnd: None,
        }];
        assert!(matches!(
            AwardDecision::new(AwardDecisionId::new(), details),
            Err(AwardError::PersonNotIndividual { .. })
        ));
    }

    #[test]
    fn one_achievement_is_rewarded_once() {
        let unit = OrganizationId::new();
        let first = decision(
            AwardForm::CertificateOfMerit,
            vec![collective(unit)],
            "2020",
        );
        let second = decision(AwardForm::EmulationFlag, vec![collective(unit)], "2020");
        let error =
            check_one_achievement_one_award(&second, std::slice::from_ref(&first)).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("already holds decision 163/QĐ-UBND (Bằng khen)"),
            "{error}"
        );
        // Another period is another achievement.
        let next_year = decision(
            AwardForm::CertificateOfMerit,
            vec![collective(unit)],
            "2021",
        );
        assert!(check_one_achievement_one_award(&next_year, std::slice::from_ref(&first)).is_ok());
        // A revoked award no longer counts.
        let mut revoked = first.clone();
        revoked
            .revoke(
                PartialDate::parse("2021-06-01").unwrap(),
                Prose::parse("hồ sơ không trung thực").unwrap(),
                None,
            )
            .unwrap();
        assert!(check_one_achievement_one_award(&second, &[revoked.clone()]).is_ok());
        assert!(matches!(
            revoked.revoke(
                PartialDate::parse("2021-07-01").unwrap(),
                Prose::parse("again").unwrap(),
                None
            ),
            Err(AwardError::AlreadyRevoked { .. })
        ));
        // The decision itself is not its own rival.
        assert!(check_one_achievement_one_award(&first, std::slice::from_ref(&first)).is_ok());
    }

    #[test]
    fn a_revocation_cannot_precede_the_signature() {
        let mut award = decision(
            AwardForm::CertificateOfMerit,
            vec![collective(OrganizationId::new())],
            "2020",
        );
        let error = award
            .revoke(
                PartialDate::parse("2020-12-01").unwrap(),
                Prose::parse("x").unwrap(),
                None,
            )
            .unwrap_err();
        assert!(matches!(error, AwardError::RevokedBeforeSigned { .. }));
        assert!(award.stands(), "a refused revocation changes nothing");
    }

    #[test]
    fn a_commune_chairmans_certificate_of_merit_is_rejected() {
        let award = decision(
            AwardForm::CertificateOfMerit,
            vec![collective(OrganizationId::new())],
            "2020",
        );
        let mut details = OrganizationDetails::new(
            Text::parse("UBND xã Vạn Thắng").unwrap(),
            Classification::PeoplesCommittee,
        );
        details.level = Some(Level::Commune);
        let commune = Organization::new(award.authority, details.clone()).unwrap();
        assert!(matches!(
            award.check_authority(&commune),
            Err(AwardError::Form(_))
        ));
        details.level = Some(Level::Province);
        let province = Organization::new(award.authority, details).unwrap();
        assert!(award.check_authority(&province).is_ok());
    }

    #[test]
    fn achievement_periods_are_a_year_or_a_span() {
        assert_eq!(
            AchievementPeriod::parse("2016-2020").unwrap().to_string(),
            "2016-2020"
        );
        assert_eq!(
            AchievementPeriod::parse("2020").unwrap().to_string(),
            "2020"
        );
        assert!(AchievementPeriod::parse("2020-2016").is_err());
        assert!(AchievementPeriod::parse("năm 2020").is_err());
        // "0220" would display as "220", which does not read back (found by the ingest fuzz
        // test in a mutated article).
        assert!(AchievementPeriod::parse("0220").is_err());
        assert!(AchievementPeriod::parse("0216-2020").is_err());
    }
}
