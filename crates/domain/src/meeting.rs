//! Meetings: conferences, council sessions, working sessions and ceremonies, with who chaired
//! them and in which capacity.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::date::PartialDateTime;
use crate::entity::{aggregate, first_repeat};
use crate::holding::Holding;
use crate::ids::{MeetingId, OrganizationId, PersonId, PostId};
use crate::text::Text;

/// What kind of meeting it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    /// A conference (hội nghị), e.g. a year-end review (tổng kết).
    Conference,
    /// A session of a People's Council or the National Assembly (kỳ họp).
    CouncilSession,
    /// A working session (buổi làm việc) with a unit or locality.
    WorkingSession,
    /// A regular or extraordinary meeting of a body (phiên họp, cuộc họp).
    Meeting,
    /// A ceremony (lễ): an award presentation, an announcement of a decision.
    Ceremony,
    /// A congress (đại hội).
    Congress,
    /// Anything else.
    Other,
}

impl MeetingKind {
    /// Every kind.
    pub const ALL: [Self; 7] = [
        Self::Conference,
        Self::CouncilSession,
        Self::WorkingSession,
        Self::Meeting,
        Self::Ceremony,
        Self::Congress,
        Self::Other,
    ];

    /// The stable code used in storage and the API.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Conference => "conference",
            Self::CouncilSession => "council_session",
            Self::WorkingSession => "working_session",
            Self::Meeting => "meeting",
            Self::Ceremony => "ceremony",
            Self::Congress => "congress",
            Self::Other => "other",
        }
    }

    /// The kind with this code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A person taking part in a meeting or issuing a directive, and the posts they acted in
/// ("đồng chí Phạm Văn Hiểu, Phó Bí thư Thường trực Thành ủy, Chủ tịch HĐND thành phố").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Participant {
    /// The person.
    pub person: PersonId,
    /// The posts named as their capacity, in the order the source gives them.
    #[serde(default)]
    pub capacities: Vec<PostId>,
}

/// Why a meeting was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MeetingError {
    /// A person is listed twice among the chairs and attendees.
    #[error("person {person} is listed twice among the meeting's chairs and attendees")]
    DuplicateParticipant {
        /// The person.
        person: PersonId,
    },
    /// A participant's capacity names the same post twice.
    #[error("person {person} has post {post} twice in their capacity")]
    DuplicateCapacity {
        /// The person.
        person: PersonId,
        /// The post.
        post: PostId,
    },
    /// A participant acted in a post they did not hold on the meeting's date.
    #[error(
        "person {person} is recorded acting as post {post} on {date}, but held no such post then"
    )]
    CapacityNotHeld {
        /// The person.
        person: PersonId,
        /// The post.
        post: PostId,
        /// The meeting's date.
        date: String,
    },
}

/// What Gazette records about a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingDetails {
    /// The title: "Hội nghị tổng kết công tác dân vận và thực hiện QCDC ở cơ sở năm 2020".
    pub title: Text,
    /// What kind of meeting.
    pub kind: MeetingKind,
    /// The organization that held it.
    pub organizer: OrganizationId,
    /// When, as precisely as known (local time).
    pub held_at: PartialDateTime,
    /// Where.
    pub location: Option<Text>,
    /// Who chaired it (chủ trì), in which capacity.
    #[serde(default)]
    pub chairs: Vec<Participant>,
    /// Who attended (dự), in which capacity.
    #[serde(default)]
    pub attendees: Vec<Participant>,
    /// The agenda, in order.
    #[serde(default)]
    pub agenda: Vec<Text>,
}

impl MeetingDetails {
    fn validate(&self, _id: MeetingId) -> Result<(), MeetingError> {
        let mut people = HashSet::new();
        for participant in self.chairs.iter().chain(&self.attendees) {
            if !people.insert(participant.person) {
                return Err(MeetingError::DuplicateParticipant {
                    person: participant.person,
                });
            }
            check_capacities_distinct(participant)?;
        }
        Ok(())
    }
}

pub(crate) fn check_capacities_distinct(participant: &Participant) -> Result<(), MeetingError> {
    match first_repeat(&participant.capacities) {
        Some(position) => Err(MeetingError::DuplicateCapacity {
            person: participant.person,
            post: participant.capacities[position],
        }),
        None => Ok(()),
    }
}

aggregate!(
    /// A meeting.
    Meeting,
    MeetingId,
    MeetingDetails,
    MeetingError
);

/// Checks that every capacity named is a post the person may have held at the time: some
/// holding of theirs for that post overlaps the meeting's date (all of the partial date's days).
/// `holdings` are the participants' holdings; others are ignored.
pub fn check_capacities(
    participants: &[Participant],
    held_at: PartialDateTime,
    holdings: &[Holding],
) -> Result<(), MeetingError> {
    let date = held_at.date();
    let span = crate::date::Period::new(Some(date), Some(date))
        .unwrap_or_else(|_| crate::date::Period::always());
    for participant in participants {
        for post in &participant.capacities {
            let held = holdings.iter().any(|holding| {
                holding.person == participant.person
                    && holding.post == *post
                    && holding.period.may_overlap(&span)
            });
            if !held {
                return Err(MeetingError::CapacityNotHeld {
                    person: participant.person,
                    post: *post,
                    date: date.to_string(),
                });
            }
        }
    }
    Ok(())
}

impl Meeting {
    /// Checks the chairs' and attendees' capacities against their holdings
    /// (see [`check_capacities`]).
    pub fn check_capacities(&self, holdings: &[Holding]) -> Result<(), MeetingError> {
        let participants: Vec<Participant> =
            self.chairs.iter().chain(&self.attendees).cloned().collect();
        check_capacities(&participants, self.held_at, holdings)
    }

    /// "Who chaired, holding what": each chair with the holdings active on the meeting's day
    /// (the first day of a partial date).
    #[must_use]
    pub fn chairs_with_positions<'a>(
        &'a self,
        holdings: &'a [Holding],
    ) -> Vec<(&'a Participant, Vec<&'a Holding>)> {
        let day = self.held_at.date().first_day();
        self.chairs
            .iter()
            .map(|chair| {
                let held = crate::holding::positions_on(holdings, chair.person, day).collect();
                (chair, held)
            })
            .collect()
    }
}
