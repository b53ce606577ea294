//! Directives: what a leader directs at a meeting or in a document, addressed to organizations
//! and named groups, broken into tasks (see [`crate::task`]).

use serde::{Deserialize, Serialize};

use crate::award::number::DocumentNumber;
use crate::date::PartialDate;
use crate::entity::{aggregate, first_repeat};
use crate::ids::{DirectiveId, MeetingId, OrganizationId};
use crate::meeting::{MeetingError, Participant, check_capacities_distinct};
use crate::text::{Prose, Text};

/// What form a directive took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DirectiveKind {
    /// A directing speech at a meeting (phát biểu chỉ đạo).
    DirectingSpeech,
    /// A leader's conclusions at a meeting (kết luận).
    Conclusion,
    /// A directive document (Chỉ thị, "05-CT/TU").
    DirectiveDocument,
    /// A notice of conclusions (Thông báo kết luận, "134/TB-VPCP").
    ConclusionNotice,
    /// Anything else: a request (đề nghị, yêu cầu), an assignment (giao).
    Other,
}

impl DirectiveKind {
    /// Every kind.
    pub const ALL: [Self; 5] = [
        Self::DirectingSpeech,
        Self::Conclusion,
        Self::DirectiveDocument,
        Self::ConclusionNotice,
        Self::Other,
    ];

    /// The stable code used in storage and the API.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::DirectingSpeech => "directing_speech",
            Self::Conclusion => "conclusion",
            Self::DirectiveDocument => "directive_document",
            Self::ConclusionNotice => "conclusion_notice",
            Self::Other => "other",
        }
    }

    /// The kind with this code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Whom a directive or task is addressed to: a recorded organization, or a group the source
/// names without identifying it ("các cấp ủy đảng", "các tổ chức chính trị - xã hội").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Assignee {
    /// A recorded organization.
    Organization {
        /// The organization.
        id: OrganizationId,
    },
    /// A group named in words.
    Group {
        /// The group as the source names it.
        name: Text,
    },
}

impl Assignee {
    /// The organization, when the assignee is one.
    #[must_use]
    pub fn organization(&self) -> Option<OrganizationId> {
        match self {
            Self::Organization { id } => Some(*id),
            Self::Group { .. } => None,
        }
    }

    /// A comparison key: the id, or the folded group name.
    fn key(&self) -> AssigneeKey {
        match self {
            Self::Organization { id } => AssigneeKey::Organization(*id),
            Self::Group { name } => AssigneeKey::Group(name.fold()),
        }
    }
}

/// What two assignees are compared on.
#[derive(PartialEq, Eq, Hash)]
enum AssigneeKey {
    Organization(OrganizationId),
    Group(String),
}

/// Checks that no assignee appears twice (groups compared on their folded names).
pub(crate) fn first_duplicate<'a>(
    assignees: impl IntoIterator<Item = &'a Assignee> + Clone,
) -> Option<&'a Assignee> {
    let position = first_repeat(assignees.clone().into_iter().map(Assignee::key))?;
    assignees.into_iter().nth(position)
}

/// Why a directive was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DirectiveError {
    /// The issuer's capacity is malformed.
    #[error(transparent)]
    Issuer(#[from] MeetingError),
    /// An addressee is listed twice.
    #[error("addressee {addressee:?} is listed twice")]
    DuplicateAddressee {
        /// The addressee.
        addressee: Assignee,
    },
    /// The directive was checked against another meeting than the one it names.
    #[error("the directive names meeting {expected:?}, but was checked against {given}")]
    WrongMeeting {
        /// The meeting it names.
        expected: Option<MeetingId>,
        /// The meeting it was checked against.
        given: MeetingId,
    },
    /// The directive is dated before the meeting it was given at.
    #[error("directive dated {directive} cannot come before its meeting on {meeting}")]
    BeforeMeeting {
        /// The directive's date.
        directive: PartialDate,
        /// The meeting's date.
        meeting: PartialDate,
    },
}

/// What Gazette records about a directive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectiveDetails {
    /// Who issued it and in which capacity.
    pub issuer: Participant,
    /// What form it took.
    pub kind: DirectiveKind,
    /// When it was given or signed.
    pub issued_on: PartialDate,
    /// The meeting it was given at, if any.
    pub meeting: Option<MeetingId>,
    /// The document number, when it is a document ("05-CT/TU").
    pub document_number: Option<DocumentNumber>,
    /// What it says, in brief.
    pub summary: Prose,
    /// Whom it addresses, in the source's order.
    #[serde(default)]
    pub addressees: Vec<Assignee>,
}

impl DirectiveDetails {
    fn validate(&self, _id: DirectiveId) -> Result<(), DirectiveError> {
        check_capacities_distinct(&self.issuer)?;
        if let Some(addressee) = first_duplicate(&self.addressees) {
            return Err(DirectiveError::DuplicateAddressee {
                addressee: addressee.clone(),
            });
        }
        Ok(())
    }

    /// Checks that the issuer held every post named as their capacity on the directive's date.
    pub fn check_issuer(&self, holdings: &[crate::holding::Holding]) -> Result<(), DirectiveError> {
        crate::meeting::check_capacities(
            std::slice::from_ref(&self.issuer),
            self.issued_on.into(),
            holdings,
        )?;
        Ok(())
    }
}

aggregate!(
    /// A directive.
    Directive,
    DirectiveId,
    DirectiveDetails,
    DirectiveError
);

impl Directive {
    /// Checks the directive against the meeting it names: it cannot be dated before it.
    pub fn check_meeting(&self, meeting: &crate::meeting::Meeting) -> Result<(), DirectiveError> {
        if self.meeting != Some(meeting.id()) {
            return Err(DirectiveError::WrongMeeting {
                expected: self.meeting,
                given: meeting.id(),
            });
        }
        let meeting_date = meeting.held_at.date();
        if self.issued_on.last_day() < meeting_date.first_day() {
            return Err(DirectiveError::BeforeMeeting {
                directive: self.issued_on,
                meeting: meeting_date,
            });
        }
        Ok(())
    }

    /// Checks that the issuer held every post named as their capacity on the directive's date.
    pub fn check_issuer(&self, holdings: &[crate::holding::Holding]) -> Result<(), DirectiveError> {
        crate::meeting::check_capacities(
            std::slice::from_ref(&self.issuer),
            self.issued_on.into(),
            holdings,
        )?;
        Ok(())
    }
}
