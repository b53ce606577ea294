//! Property tests over the domain's rules: the seat invariant and the task state machine.
//! (Folding and period algebra have their own properties next to their code.)

#![allow(clippy::unwrap_used, reason = "tests unwrap: a panic is a failed test")]

use chrono::{Days, NaiveDate};
use gazette_domain::date::{PartialDate, Period};
use gazette_domain::holding::{
    Holding, HoldingContext, HoldingDetails, HoldingKind, check_holding,
};
use gazette_domain::ids::{DirectiveId, HoldingId, OrganizationId, PersonId, PostId, TaskId};
use gazette_domain::name::PersonName;
use gazette_domain::organization::{Classification, Organization, OrganizationDetails};
use gazette_domain::person::{Person, PersonDetails};
use gazette_domain::post::{Post, PostDetails, Seats};
use gazette_domain::task::{Lifecycle, Task, TaskDetails, TaskError};
use gazette_domain::text::{Prose, Text};
use proptest::prelude::*;
use std::num::NonZeroU32;

fn base() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap()
}

/// A period from day offsets, with each end possibly open or coarsened to a month or year.
fn period() -> impl Strategy<Value = Period> {
    (
        proptest::option::of((0u64..3000, 0u8..3)),
        proptest::option::of((0u64..3000, 0u8..3)),
    )
        .prop_filter_map("end not before start", |(start, end)| {
            let date = |(offset, precision): (u64, u8)| {
                let day = base() + Days::new(offset);
                let text = day.format("%Y-%m-%d").to_string();
                let text = match precision {
                    0 => text,
                    1 => text[..7].to_owned(),
                    _ => text[..4].to_owned(),
                };
                PartialDate::parse(&text).unwrap()
            };
            Period::new(start.map(date), end.map(date)).ok()
        })
}

fn certainly_active(period: &Period, day: NaiveDate) -> bool {
    period
        .certain_span()
        .is_some_and(|(from, to)| from.is_none_or(|f| f <= day) && to.is_none_or(|t| day <= t))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Holdings admitted one by one through the seat rule never put more holders certainly in
    /// office at once than the post has seats, whatever the periods.
    #[test]
    fn the_seat_rule_never_lets_a_post_exceed_its_seats(
        seats in 1u32..4,
        periods in proptest::collection::vec(period(), 1..25),
        probes in proptest::collection::vec(0u64..3100, 20),
    ) {
        let organization = Organization::new(
            OrganizationId::new(),
            OrganizationDetails::new(Text::parse("Ủy ban nhân dân tỉnh").unwrap(), Classification::PeoplesCommittee),
        ).unwrap();
        let post = Post::new(PostId::new(), PostDetails {
            organization: organization.id(),
            title: Text::parse("Phó Chủ tịch").unwrap(),
            seats: Seats::Limited(NonZeroU32::new(seats).unwrap()),
            life: Period::always(),
        }).unwrap();
        let mut admitted: Vec<Holding> = Vec::new();
        for period in periods {
            let person = Person::new(PersonId::new(), PersonDetails::named(PersonName::parse("Nguyễn Văn An").unwrap())).unwrap();
            let holding = Holding::new(HoldingId::new(), HoldingDetails {
                person: person.id(),
                post: post.id(),
                period,
                kind: HoldingKind::Appointed,
                term: None,
                document: None,
                end_reason: None,
            }).unwrap();
            let context = HoldingContext { person: &person, post: &post, organization: &organization, holdings_of_post: &admitted };
            let verdict = check_holding(&holding, context);
            // A holding is refused only when it really would exceed the seats somewhere.
            let overlapping = admitted.iter().filter(|h| h.period.certainly_overlaps(&holding.period)).count();
            if overlapping < seats as usize {
                prop_assert!(verdict.is_ok(), "refused with only {overlapping} overlapping: {verdict:?}");
            }
            if verdict.is_ok() {
                admitted.push(holding);
            }
        }
        for offset in probes {
            let day = base() + Days::new(offset);
            let active = admitted.iter().filter(|h| certainly_active(&h.period, day)).count();
            prop_assert!(active <= seats as usize, "{active} holders on {day} for {seats} seats");
        }
    }

    /// Random walks through the lifecycle: legal moves are taken, illegal ones are typed errors
    /// that change nothing, and closed states are final.
    #[test]
    fn the_task_state_machine_admits_exactly_its_transitions(
        moves in proptest::collection::vec((0usize..6, 0u64..30), 0..30),
    ) {
        let assigned = base();
        let mut task = Task::new(
            TaskId::new(),
            TaskDetails::new(DirectiveId::new(), 1, Prose::parse("Báo cáo kết quả").unwrap(), assigned),
        ).unwrap();
        let mut day = assigned;
        for (target, step) in moves {
            let to = Lifecycle::ALL[target];
            day = day + Days::new(step);
            let from = task.lifecycle();
            let before = task.clone();
            match task.transition(to, day, None) {
                Ok(()) => {
                    prop_assert!(from.may_move_to(to));
                    prop_assert_eq!(task.lifecycle(), to);
                    prop_assert_eq!(task.lifecycle_on(day), to);
                }
                Err(TaskError::IllegalTransition { from: f, to: t, .. }) => {
                    prop_assert!(!from.may_move_to(to));
                    prop_assert_eq!((f, t), (from, to));
                    prop_assert_eq!(&task, &before);
                }
                Err(other) => prop_assert!(false, "unexpected error {other:?}"),
            }
            if from.is_closed() {
                prop_assert_eq!(task.lifecycle(), from);
            }
        }
        // The history is always valid: rebuilding the task from its details succeeds.
        prop_assert!(Task::new(task.id(), task.details().clone()).is_ok());
    }
}
