//! Holdings: a person holding a post for a period (Popolo's Membership), and the rules that keep
//! them true: a post's seats are never exceeded, nobody takes office after death, and no holding
//! lies outside the life of its post or organization.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::date::{PartialDate, Period, PeriodError};
use crate::entity::aggregate;
use crate::ids::{HoldingId, PersonId, PostId};
use crate::organization::Organization;
use crate::person::Person;
use crate::post::{Post, Seats};
use crate::text::Text;

/// How a holding came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldingKind {
    /// Elected (bầu): by a Party congress, a People's Council session, ...
    Elected,
    /// Appointed (bổ nhiệm, chỉ định).
    Appointed,
    /// Acting (quyền, phụ trách).
    Acting,
    /// Held concurrently with another main post (kiêm nhiệm).
    Concurrent,
}

impl HoldingKind {
    /// Every kind.
    pub const ALL: [Self; 4] = [
        Self::Elected,
        Self::Appointed,
        Self::Acting,
        Self::Concurrent,
    ];

    /// The stable code used in storage and the API.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Elected => "elected",
            Self::Appointed => "appointed",
            Self::Acting => "acting",
            Self::Concurrent => "concurrent",
        }
    }

    /// The kind with this code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Why a holding ended (Wikidata's "end cause").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EndReason {
    /// The term ended.
    TermEnded,
    /// Moved to another post (điều động, luân chuyển).
    Transferred,
    /// Resigned or relieved at own request (xin thôi).
    Resigned,
    /// Dismissed or removed (miễn nhiệm, cách chức, bãi nhiệm).
    Dismissed,
    /// Retired (nghỉ hưu).
    Retired,
    /// Died in office.
    Died,
    /// The post or organization was merged, split or dissolved.
    Reorganized,
    /// Another reason, in words.
    Other {
        /// The reason.
        text: Text,
    },
}

/// A term label such as "2020-2025" or "2021-2026": two years, the second after the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TermLabel {
    first: i32,
    last: i32,
}

impl TermLabel {
    /// Parses "2020-2025" (also with an en dash or spaces around the dash).
    pub fn parse(text: &str) -> Result<Self, HoldingError> {
        let malformed = || HoldingError::MalformedTerm {
            value: text.to_owned(),
        };
        let (first, last) = text.split_once(['-', '–']).ok_or_else(malformed)?;
        let year = |part: &str| -> Result<i32, HoldingError> {
            let part = part.trim();
            if part.len() == 4 && part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse().map_err(|_| malformed())
            } else {
                Err(malformed())
            }
        };
        let (first, last) = (year(first)?, year(last)?);
        if last <= first {
            return Err(malformed());
        }
        Ok(Self { first, last })
    }

    /// The first year of the term.
    #[must_use]
    pub fn first_year(&self) -> i32 {
        self.first
    }

    /// The last year of the term.
    #[must_use]
    pub fn last_year(&self) -> i32 {
        self.last
    }
}

impl fmt::Display for TermLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.first, self.last)
    }
}

impl TryFrom<String> for TermLabel {
    type Error = HoldingError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TermLabel> for String {
    fn from(value: TermLabel) -> Self {
        value.to_string()
    }
}

/// Why a holding was rejected. Messages name the rule and the conflicting records.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoldingError {
    /// The term label is not two ascending years.
    #[error("term {value:?} is not of the form YYYY-YYYY with the second year after the first")]
    MalformedTerm {
        /// The text given.
        value: String,
    },
    /// An end reason without an end date.
    #[error("a holding with an end reason needs an end date")]
    EndReasonWithoutEnd,
    /// The period is not a period.
    #[error(transparent)]
    Period(#[from] PeriodError),
    /// The person, post or organization checked against is not the one the holding names.
    #[error("holding {holding} names {expected}, but was checked against {given}")]
    WrongRecord {
        /// The holding.
        holding: HoldingId,
        /// What the holding names.
        expected: String,
        /// What it was checked against.
        given: String,
    },
    /// The holding begins after the person's death.
    #[error("{person} died {death}, so cannot begin holding a post on {start}")]
    BeginsAfterDeath {
        /// The person's name.
        person: String,
        /// The date of death.
        death: PartialDate,
        /// The start of the holding.
        start: PartialDate,
    },
    /// The holding lies outside the life of its post or organization.
    #[error("holding {holding} ({period}) lies outside the life of {what} \"{name}\" ({life})")]
    OutsideLife {
        /// The holding.
        holding: HoldingId,
        /// The holding's period.
        period: Period,
        /// "post" or "organization".
        what: &'static str,
        /// The post's title or organization's name.
        name: String,
        /// Its life.
        life: Period,
    },
    /// The person already holds this post over an overlapping period.
    #[error(
        "{person} already holds post \"{post}\" in holding {existing} ({existing_period}), which overlaps {period}"
    )]
    AlreadyHeld {
        /// The person's name.
        person: String,
        /// The post's title.
        post: String,
        /// The existing holding.
        existing: HoldingId,
        /// Its period.
        existing_period: Period,
        /// The new holding's period.
        period: Period,
    },
    /// The seat rule: the post would have more holders at once than it has seats.
    #[error(
        "post \"{post}\" has {seats}, but holding {holding} ({period}) would be held at the same time as {}",
        conflicting.iter().map(|(id, period)| format!("holding {id} ({period})")).collect::<Vec<_>>().join(", ")
    )]
    SeatsExceeded {
        /// The post's title.
        post: String,
        /// Its seats.
        seats: Seats,
        /// The new holding.
        holding: HoldingId,
        /// Its period.
        period: Period,
        /// The holdings it would overlap at the fullest instant, with their periods.
        conflicting: Vec<(HoldingId, Period)>,
    },
}

/// What Gazette records about a holding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldingDetails {
    /// Who holds the post.
    pub person: PersonId,
    /// The post held.
    pub post: PostId,
    /// When.
    pub period: Period,
    /// How it came about.
    pub kind: HoldingKind,
    /// The term it belongs to ("2020-2025").
    pub term: Option<TermLabel>,
    /// The document that made it (a decision or resolution, as cited: "Nghị quyết số 01/NQ-HĐND").
    pub document: Option<Text>,
    /// Why it ended, once it has.
    pub end_reason: Option<EndReason>,
}

impl HoldingDetails {
    fn validate(&self, _id: HoldingId) -> Result<(), HoldingError> {
        if self.end_reason.is_some() && self.period.end().is_none() {
            return Err(HoldingError::EndReasonWithoutEnd);
        }
        Ok(())
    }
}

aggregate!(
    /// A person holding a post for a period.
    Holding,
    HoldingId,
    HoldingDetails,
    HoldingError
);

impl Holding {
    /// Ends the holding on `end` for `reason`; on error nothing changes.
    pub fn end(&mut self, end: PartialDate, reason: Option<EndReason>) -> Result<(), HoldingError> {
        let mut details = self.details().clone();
        details.period = details.period.with_end(end)?;
        details.end_reason = reason;
        self.update(details)
    }

    /// Whether the holding may have been active on `day` (see [`crate::date`]).
    #[must_use]
    pub fn is_active_on(&self, day: NaiveDate) -> bool {
        self.period.is_active_on(day)
    }
}

/// The records a new or changed holding is checked against: the person, the post, the post's
/// organization and every other holding of the post (the holding itself, when it is being
/// changed, may be among them: it is skipped by id).
#[derive(Debug, Clone, Copy)]
pub struct HoldingContext<'a> {
    /// The person the holding names.
    pub person: &'a Person,
    /// The post the holding names.
    pub post: &'a Post,
    /// The post's organization.
    pub organization: &'a Organization,
    /// The post's holdings.
    pub holdings_of_post: &'a [Holding],
}

/// Checks a holding against the records around it:
///
/// * it begins neither after the person's death nor outside the life of the post or the post's
///   organization (as far as partial dates allow: see [`Period::lies_within`]);
/// * the person does not already hold the post over an overlapping period;
/// * the seat rule: at no instant are more holdings of the post certainly active than the post
///   has seats (see [`crate::date`] for why only certain overlaps count).
///
/// Errors name the conflicting holdings. Runs in O(n log n) in the post's holdings.
pub fn check_holding(holding: &Holding, context: HoldingContext<'_>) -> Result<(), HoldingError> {
    let HoldingContext {
        person,
        post,
        organization,
        holdings_of_post,
    } = context;
    let wrong = |expected: String, given: String| HoldingError::WrongRecord {
        holding: holding.id(),
        expected,
        given,
    };
    if holding.person != person.id() {
        return Err(wrong(
            format!("person {}", holding.person),
            format!("person {}", person.id()),
        ));
    }
    if holding.post != post.id() {
        return Err(wrong(
            format!("post {}", holding.post),
            format!("post {}", post.id()),
        ));
    }
    if post.organization != organization.id() {
        return Err(wrong(
            format!("organization {}", post.organization),
            format!("organization {}", organization.id()),
        ));
    }
    if let (Some(death), Some(start)) = (person.death_date, holding.period.start())
        && start.first_day() > death.last_day()
    {
        return Err(HoldingError::BeginsAfterDeath {
            person: person.name.to_string(),
            death,
            start,
        });
    }
    for (what, name, life) in [
        ("post", post.title.to_string(), post.life),
        (
            "organization",
            organization.name.to_string(),
            organization.life,
        ),
    ] {
        if !holding.period.lies_within(&life) {
            return Err(HoldingError::OutsideLife {
                holding: holding.id(),
                period: holding.period,
                what,
                name,
                life,
            });
        }
    }
    let others: Vec<&Holding> = holdings_of_post
        .iter()
        .filter(|other| other.id() != holding.id() && other.post == holding.post)
        .collect();
    if let Some(existing) = others
        .iter()
        .find(|other| other.person == holding.person && other.period.may_overlap(&holding.period))
    {
        return Err(HoldingError::AlreadyHeld {
            person: person.name.to_string(),
            post: post.title.to_string(),
            existing: existing.id(),
            existing_period: existing.period,
            period: holding.period,
        });
    }
    check_seats(holding, post, &others)
}

/// The seat rule alone: `others` are the other holdings of the same post.
fn check_seats(holding: &Holding, post: &Post, others: &[&Holding]) -> Result<(), HoldingError> {
    let Some(seats) = post.seats.limit() else {
        return Ok(());
    };
    let overlapping: Vec<&Holding> = others
        .iter()
        .copied()
        .filter(|other| other.period.certainly_overlaps(&holding.period))
        .collect();
    if overlapping.len() < seats as usize {
        return Ok(());
    }
    // Sweep the certain spans of the overlapping holdings, clipped to the new holding's span,
    // to find the instant with the most of them active at once.
    let Some((from, to)) = holding.period.certain_span() else {
        return Ok(());
    };
    let clip_from = day_number(from, i64::MIN);
    let clip_to = day_number(to, i64::MAX);
    let mut events: Vec<(i64, i32)> = Vec::with_capacity(overlapping.len() * 2);
    for other in &overlapping {
        if let Some((other_from, other_to)) = other.period.certain_span() {
            let start = day_number(other_from, i64::MIN).max(clip_from);
            let end = day_number(other_to, i64::MAX).min(clip_to);
            events.push((start, 1));
            // The span is inclusive: it stops counting the day after its last day.
            events.push((end.saturating_add(1), -1));
        }
    }
    // At equal days, ends (-1) come before starts (+1), so spans that merely touch do not count.
    events.sort_unstable();
    let (mut active, mut fullest, mut fullest_day) = (0i32, 0i32, i64::MIN);
    for (day, change) in events {
        active += change;
        if active > fullest {
            fullest = active;
            fullest_day = day;
        }
    }
    if (fullest as u32) < seats {
        return Ok(());
    }
    let conflicting = overlapping
        .iter()
        .filter(|other| {
            other
                .period
                .certain_span()
                .is_some_and(|(other_from, other_to)| {
                    day_number(other_from, i64::MIN).max(clip_from) <= fullest_day
                        && fullest_day <= day_number(other_to, i64::MAX).min(clip_to)
                })
        })
        .map(|other| (other.id(), other.period))
        .collect();
    Err(HoldingError::SeatsExceeded {
        post: post.title.to_string(),
        seats: post.seats,
        holding: holding.id(),
        period: holding.period,
        conflicting,
    })
}

fn day_number(day: Option<NaiveDate>, unbounded: i64) -> i64 {
    day.map_or(unbounded, |d| {
        i64::from(chrono::Datelike::num_days_from_ce(&d))
    })
}

/// "What did this person hold on this day": the person's holdings active on `day`.
pub fn positions_on<'a>(
    holdings: &'a [Holding],
    person: PersonId,
    day: NaiveDate,
) -> impl Iterator<Item = &'a Holding> + 'a {
    holdings
        .iter()
        .filter(move |h| h.person == person && h.is_active_on(day))
}

/// "Who held this post on this day": the post's holdings active on `day`.
pub fn holders_on<'a>(
    holdings: &'a [Holding],
    post: PostId,
    day: NaiveDate,
) -> impl Iterator<Item = &'a Holding> + 'a {
    holdings
        .iter()
        .filter(move |h| h.post == post && h.is_active_on(day))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::OrganizationId;
    use crate::name::PersonName;
    use crate::organization::{Classification, OrganizationDetails};
    use crate::person::PersonDetails;
    use crate::post::PostDetails;

    struct Fixture {
        person: Person,
        post: Post,
        organization: Organization,
    }

    fn fixture(seats: Seats) -> Fixture {
        let mut organization_details = OrganizationDetails::new(
            Text::parse("Ủy ban nhân dân tỉnh Khánh Hòa").unwrap(),
            Classification::PeoplesCommittee,
        );
        organization_details.life = Period::from_start(PartialDate::parse("1976").unwrap());
        let organization = Organization::new(OrganizationId::new(), organization_details).unwrap();
        let post = Post::new(
            PostId::new(),
            PostDetails {
                organization: organization.id(),
                title: Text::parse("Chủ tịch").unwrap(),
                seats,
                life: Period::always(),
            },
        )
        .unwrap();
        let mut person_details =
            PersonDetails::named(PersonName::parse("Nguyễn Tấn Tuân").unwrap());
        person_details.death_date = Some(PartialDate::parse("2030-05").unwrap());
        let person = Person::new(PersonId::new(), person_details).unwrap();
        Fixture {
            person,
            post,
            organization,
        }
    }

    fn holding(fixture: &Fixture, start: &str, end: Option<&str>) -> Holding {
        Holding::new(
            HoldingId::new(),
            HoldingDetails {
                person: fixture.person.id(),
                post: fixture.post.id(),
                period: Period::new(
                    Some(PartialDate::parse(start).unwrap()),
                    end.map(|e| PartialDate::parse(e).unwrap()),
                )
                .unwrap(),
                kind: HoldingKind::Elected,
                term: Some(TermLabel::parse("2021-2026").unwrap()),
                document: None,
                end_reason: None,
            },
        )
        .unwrap()
    }

    fn check(fixture: &Fixture, holding: &Holding, others: &[Holding]) -> Result<(), HoldingError> {
        check_holding(
            holding,
            HoldingContext {
                person: &fixture.person,
                post: &fixture.post,
                organization: &fixture.organization,
                holdings_of_post: others,
            },
        )
    }

    #[test]
    fn nobody_takes_office_after_death() {
        let fixture = fixture(Seats::ONE);
        let late = holding(&fixture, "2030-06-01", None);
        let error = check(&fixture, &late, &[]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "Nguyễn Tấn Tuân died 2030-05, so cannot begin holding a post on 2030-06-01"
        );
        // Within the month of death it may still have begun.
        assert!(check(&fixture, &holding(&fixture, "2030-05-20", None), &[]).is_ok());
    }

    #[test]
    fn a_holding_cannot_begin_before_its_organization_existed() {
        let fixture = fixture(Seats::ONE);
        let early = holding(&fixture, "1975-04-30", Some("1977"));
        assert!(matches!(
            check(&fixture, &early, &[]),
            Err(HoldingError::OutsideLife {
                what: "organization",
                ..
            })
        ));
    }

    #[test]
    fn the_same_person_cannot_hold_the_same_post_twice_at_once() {
        let fixture = fixture(Seats::Unlimited);
        let first = holding(&fixture, "2021-05-01", None);
        let second = holding(&fixture, "2022-01-01", None);
        assert!(matches!(
            check(&fixture, &second, std::slice::from_ref(&first)),
            Err(HoldingError::AlreadyHeld { .. })
        ));
    }

    #[test]
    fn a_changed_holding_is_not_checked_against_its_old_self() {
        let fixture = fixture(Seats::ONE);
        let mut term = holding(&fixture, "2021-05-01", None);
        let old = term.clone();
        term.end(
            PartialDate::parse("2024-01-01").unwrap(),
            Some(EndReason::Transferred),
        )
        .unwrap();
        assert!(check(&fixture, &term, &[old]).is_ok());
    }

    #[test]
    fn successive_chairmen_whose_dates_touch_do_not_conflict() {
        let fixture = fixture(Seats::ONE);
        let predecessor = holding(&fixture, "2016-04-01", Some("2021-04-07"));
        let mut successor = holding(&fixture, "2021-04-08", None);
        let other = Person::new(
            PersonId::new(),
            PersonDetails::named(PersonName::parse("Lê Văn Dẽ").unwrap()),
        )
        .unwrap();
        let mut details = successor.details().clone();
        details.person = other.id();
        successor.update(details).unwrap();
        let verdict = check_holding(
            &successor,
            HoldingContext {
                person: &other,
                post: &fixture.post,
                organization: &fixture.organization,
                holdings_of_post: std::slice::from_ref(&predecessor),
            },
        );
        assert!(verdict.is_ok(), "{verdict:?}");
        // A vague end "2021" is no evidence of two chairmen either.
        let mut vague = predecessor.clone();
        let mut vague_details = vague.details().clone();
        vague_details.period = Period::new(
            Some(PartialDate::parse("2016").unwrap()),
            Some(PartialDate::parse("2021").unwrap()),
        )
        .unwrap();
        vague.update(vague_details).unwrap();
        assert!(
            check_holding(
                &successor,
                HoldingContext {
                    person: &other,
                    post: &fixture.post,
                    organization: &fixture.organization,
                    holdings_of_post: &[vague],
                },
            )
            .is_ok()
        );
    }

    #[test]
    fn an_end_reason_needs_an_end() {
        let fixture = fixture(Seats::ONE);
        let mut details = holding(&fixture, "2021-05-01", None).into_details();
        details.end_reason = Some(EndReason::Retired);
        assert_eq!(
            Holding::new(HoldingId::new(), details).unwrap_err(),
            HoldingError::EndReasonWithoutEnd
        );
    }

    #[test]
    fn term_labels_are_two_ascending_years() {
        assert_eq!(
            TermLabel::parse("2020-2025").unwrap().to_string(),
            "2020-2025"
        );
        assert_eq!(
            TermLabel::parse("2021 – 2026").unwrap().to_string(),
            "2021-2026"
        );
        assert!(TermLabel::parse("2025-2020").is_err());
        assert!(TermLabel::parse("khóa XIV").is_err());
    }
}
