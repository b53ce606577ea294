//! Storage tests: holdings.

use std::num::NonZeroU32;

use chrono::NaiveDate;
use gazette_domain::DomainError;
use gazette_domain::date::{PartialDate, Period, PeriodError};
use gazette_domain::holding::{
    EndReason, Holding, HoldingDetails, HoldingError, HoldingKind, TermLabel,
};
use gazette_domain::ids::HoldingId;
use gazette_domain::organization::{Classification, Level, Organization};
use gazette_domain::person::Person;
use gazette_domain::post::{Post, Seats};
use gazette_domain::text::Text;
use gazette_storage::{AuditFilter, Database, PageRequest, StorageError};

use crate::harness::{actor, each_engine};
use crate::organizations::{create_organization, create_post};

/// A period from `start` to `end` ("2021", "2021-04", "2021-04-08"; `None` leaves it open).
pub fn period(start: Option<&str>, end: Option<&str>) -> Period {
    Period::new(
        start.map(|s| PartialDate::parse(s).unwrap()),
        end.map(|e| PartialDate::parse(e).unwrap()),
    )
    .unwrap()
}

/// Records a person named `name`.
pub async fn create_person(db: &Database, name: &str) -> Person {
    let person = crate::people::person(name);
    db.create_person(&actor(), &person).await.unwrap();
    person
}

/// A holding of `post` by `person` over `period`, appointed, without term or document.
pub fn holding(person: &Person, post: &Post, period: Period) -> Holding {
    Holding::new(
        HoldingId::new(),
        HoldingDetails {
            person: person.id(),
            post: post.id(),
            period,
            kind: HoldingKind::Appointed,
            term: None,
            document: None,
            end_reason: None,
        },
    )
    .unwrap()
}

/// Appoints `person` to `post` over `period` and returns the recorded holding.
pub async fn appoint(db: &Database, person: &Person, post: &Post, period: Period) -> Holding {
    let holding = holding(person, post, period);
    db.appoint(&actor(), &holding).await.unwrap();
    holding
}

fn date(value: &str) -> PartialDate {
    PartialDate::parse(value).unwrap()
}

fn day(value: &str) -> NaiveDate {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").unwrap()
}

/// The city People's Committee and its one-seat chairmanship.
async fn chairmanship(db: &Database) -> (Organization, Post) {
    let committee = create_organization(
        db,
        "Ủy ban nhân dân thành phố Cần Thơ",
        Classification::PeoplesCommittee,
        Some(Level::Province),
        None,
    )
    .await;
    let chairman = create_post(
        db,
        &committee,
        "Chủ tịch UBND thành phố Cần Thơ",
        Seats::ONE,
    )
    .await;
    (committee, chairman)
}

async fn holding_operations(db: &Database) -> Vec<String> {
    let filter = AuditFilter {
        entity_kind: Some("holding".to_owned()),
        ..AuditFilter::default()
    };
    db.audit_log(&filter, &PageRequest::first(100))
        .await
        .unwrap()
        .edges
        .into_iter()
        .map(|e| e.node.operation)
        .collect()
}

fn ids(holdings: &[Holding]) -> Vec<HoldingId> {
    holdings.iter().map(Holding::id).collect()
}

#[tokio::test]
async fn every_field_of_a_holding_round_trips_and_partial_dates_keep_their_precision() {
    each_engine(|db| async move {
        let (_, chairman) = chairmanship(&db).await;
        let person = create_person(&db, "Võ Thành Thống").await;
        let holding = Holding::new(
            HoldingId::new(),
            HoldingDetails {
                person: person.id(),
                post: chairman.id(),
                period: period(Some("2016-04"), Some("2021")),
                kind: HoldingKind::Elected,
                term: Some(TermLabel::parse("2016-2021").unwrap()),
                document: Some(Text::parse("Nghị quyết số 01/NQ-HĐND").unwrap()),
                end_reason: Some(EndReason::Other {
                    text: Text::parse("nghỉ theo chế độ, chờ hưu").unwrap(),
                }),
            },
        )
        .unwrap();
        db.appoint(&actor(), &holding).await.unwrap();
        let back = db.holding(holding.id()).await.unwrap();
        assert_eq!(back, holding);
        assert_eq!(back.period.start().unwrap().to_string(), "2016-04");
        assert_eq!(back.period.end().unwrap().to_string(), "2021");
        assert_eq!(
            db.holdings_by_ids(&[holding.id()]).await.unwrap(),
            std::slice::from_ref(&holding)
        );

        // Each kind and end reason round-trips too.
        let mut changed = holding.clone();
        for (kind, reason) in [
            (HoldingKind::Appointed, EndReason::TermEnded),
            (HoldingKind::Acting, EndReason::Transferred),
            (HoldingKind::Concurrent, EndReason::Died),
        ] {
            let mut details = changed.details().clone();
            details.kind = kind;
            details.end_reason = Some(reason);
            details.term = None;
            details.document = None;
            details.period = period(None, Some("2021-04-07"));
            changed.update(details).unwrap();
            db.update_holding(&actor(), &changed).await.unwrap();
            assert_eq!(db.holding(holding.id()).await.unwrap(), changed);
        }
        assert_eq!(
            holding_operations(&db).await,
            ["appoint", "update", "update", "update"]
        );
    })
    .await;
}

#[tokio::test]
async fn a_second_chairman_is_refused_until_the_first_has_left() {
    each_engine(|db| async move {
        let (_, chairman) = chairmanship(&db).await;
        let truong = create_person(&db, "Trần Việt Trường").await;
        let held = appoint(&db, &truong, &chairman, period(Some("2019-07-10"), None)).await;

        let successor = create_person(&db, "Trần Văn Huyến").await;
        let second = holding(&successor, &chairman, period(Some("2020-06-01"), None));
        let error = db.appoint(&actor(), &second).await.unwrap_err();
        let StorageError::Invariant(DomainError::Holding(HoldingError::SeatsExceeded {
            holding,
            conflicting,
            ..
        })) = &error
        else {
            panic!("expected the seat rule, got {error:?}");
        };
        assert_eq!(*holding, second.id());
        assert_eq!(conflicting, &[(held.id(), held.period)]);
        assert!(
            error.to_string().contains(&held.id().to_string()),
            "the message names Trường's holding: {error}"
        );
        // Nothing of the refused appointment was written.
        assert!(matches!(
            db.holding(second.id()).await,
            Err(StorageError::NotFound { .. })
        ));
        let of_post = db.holdings_of_posts(&[chairman.id()], None).await.unwrap();
        assert_eq!(ids(&of_post[&chairman.id()]), [held.id()]);
        assert_eq!(holding_operations(&db).await, ["appoint"]);

        // Once Trường's holding has ended, his successor may take the seat the next day.
        let ended = db
            .end_holding(
                &actor(),
                held.id(),
                date("2020-12-31"),
                Some(EndReason::Transferred),
            )
            .await
            .unwrap();
        assert_eq!(ended.period, period(Some("2019-07-10"), Some("2020-12-31")));
        assert_eq!(ended.end_reason, Some(EndReason::Transferred));
        assert_eq!(db.holding(held.id()).await.unwrap(), ended);
        let next = appoint(&db, &successor, &chairman, period(Some("2021-01-01"), None)).await;
        let of_post = db.holdings_of_posts(&[chairman.id()], None).await.unwrap();
        assert_eq!(ids(&of_post[&chairman.id()]), [held.id(), next.id()]);
        assert_eq!(
            holding_operations(&db).await,
            ["appoint", "end_holding", "appoint"]
        );

        // Ending Trường's holding later again would overlap his successor, and is refused.
        let error = db
            .end_holding(&actor(), held.id(), date("2021-06-30"), None)
            .await
            .unwrap_err();
        assert!(
            matches!(
                &error,
                StorageError::Invariant(DomainError::Holding(HoldingError::SeatsExceeded { .. }))
            ),
            "{error:?}"
        );
        assert_eq!(db.holding(held.id()).await.unwrap(), ended);
    })
    .await;
}

#[tokio::test]
async fn ending_a_holding_checks_the_end_and_the_holding() {
    each_engine(|db| async move {
        let (_, chairman) = chairmanship(&db).await;
        let person = create_person(&db, "Lê Quang Mạnh").await;
        let held = appoint(&db, &person, &chairman, period(Some("2016-04"), None)).await;
        let error = db
            .end_holding(&actor(), held.id(), date("2015"), None)
            .await
            .unwrap_err();
        assert!(
            matches!(
                &error,
                StorageError::Invariant(DomainError::Holding(HoldingError::Period(
                    PeriodError::EndBeforeStart { .. }
                )))
            ),
            "{error:?}"
        );
        assert_eq!(db.holding(held.id()).await.unwrap(), held);
        let missing = HoldingId::new();
        assert_eq!(
            db.end_holding(&actor(), missing, date("2021"), None)
                .await
                .unwrap_err(),
            StorageError::NotFound {
                kind: "holding",
                id: missing.to_string()
            }
        );
        // A vague end keeps its precision.
        let ended = db
            .end_holding(
                &actor(),
                held.id(),
                date("2019-12"),
                Some(EndReason::Transferred),
            )
            .await
            .unwrap();
        assert_eq!(
            db.holding(held.id())
                .await
                .unwrap()
                .period
                .end()
                .unwrap()
                .to_string(),
            "2019-12"
        );
        assert_eq!(ended.period.end(), Some(date("2019-12")));
    })
    .await;
}

#[tokio::test]
async fn a_holding_keeps_its_person_and_post_and_changes_pass_the_rules() {
    each_engine(|db| async move {
        let (committee, chairman) = chairmanship(&db).await;
        let deputy = create_post(&db, &committee, "Phó Chủ tịch UBND thành phố", Seats::Unlimited).await;
        let hieu = create_person(&db, "Phạm Văn Hiểu").await;
        let truong = create_person(&db, "Trần Việt Trường").await;
        let first = appoint(&db, &hieu, &chairman, period(Some("2016"), Some("2019-06"))).await;
        let second = appoint(&db, &truong, &chairman, period(Some("2019-07"), None)).await;

        for details in [
            HoldingDetails {
                person: truong.id(),
                ..first.details().clone()
            },
            HoldingDetails {
                post: deputy.id(),
                ..first.details().clone()
            },
        ] {
            let moved = Holding::new(first.id(), details).unwrap();
            assert!(matches!(
                db.update_holding(&actor(), &moved).await,
                Err(StorageError::InvalidInput(_))
            ));
        }
        // Stretching the first holding over the second breaks the seat rule.
        let mut stretched = first.clone();
        let mut details = stretched.details().clone();
        details.period = period(Some("2016"), Some("2020"));
        stretched.update(details).unwrap();
        let error = db.update_holding(&actor(), &stretched).await.unwrap_err();
        assert!(
            matches!(
                &error,
                StorageError::Invariant(DomainError::Holding(HoldingError::SeatsExceeded { conflicting, .. }))
                    if conflicting.iter().any(|(id, _)| *id == second.id())
            ),
            "{error:?}"
        );
        assert_eq!(db.holding(first.id()).await.unwrap(), first);
        // An update of a holding that does not exist is NotFound.
        let stranger = Holding::new(HoldingId::new(), first.details().clone()).unwrap();
        assert!(matches!(
            db.update_holding(&actor(), &stranger).await,
            Err(StorageError::NotFound { kind: "holding", .. })
        ));
    })
    .await;
}

#[tokio::test]
async fn who_held_a_post_and_what_a_person_held_on_a_day() {
    each_engine(|db| async move {
        let (committee, chairman) = chairmanship(&db).await;
        let deputy = create_post(
            &db,
            &committee,
            "Phó Chủ tịch UBND thành phố",
            Seats::Unlimited,
        )
        .await;
        let thong = create_person(&db, "Võ Thành Thống").await;
        let truong = create_person(&db, "Trần Việt Trường").await;
        let nghi = create_person(&db, "Trần Thị Vĩnh Nghi").await;
        // Thống's term is only known to have ended "2021": he is shown on every day of 2021.
        let thong_chair = appoint(
            &db,
            &thong,
            &chairman,
            period(Some("2016-04"), Some("2021")),
        )
        .await;
        let truong_deputy = appoint(
            &db,
            &truong,
            &deputy,
            period(Some("2016-07"), Some("2021-04-07")),
        )
        .await;
        let truong_chair = appoint(&db, &truong, &chairman, period(Some("2021-04-08"), None)).await;
        // A start nobody recorded: shown first, as possibly active on any day before its end.
        let nghi_deputy = appoint(&db, &nghi, &deputy, period(None, Some("2020-10"))).await;

        let posts = [chairman.id(), deputy.id()];
        let on = |text: &str| {
            let db = db.clone();
            let day = day(text);
            async move { db.holdings_of_posts(&posts, Some(day)).await.unwrap() }
        };
        let on_day = on("2021-01-15").await;
        assert_eq!(ids(&on_day[&chairman.id()]), [thong_chair.id()]);
        assert_eq!(ids(&on_day[&deputy.id()]), [truong_deputy.id()]);
        let on_day = on("2021-12-31").await;
        assert_eq!(
            ids(&on_day[&chairman.id()]),
            [thong_chair.id(), truong_chair.id()],
            "a holding that ended \"2021\" may still have been active on 31 December"
        );
        assert!(on_day[&deputy.id()].is_empty());
        let on_day = on("2022-01-01").await;
        assert_eq!(ids(&on_day[&chairman.id()]), [truong_chair.id()]);
        let on_day = on("2020-10-31").await;
        assert_eq!(
            ids(&on_day[&deputy.id()]),
            [nghi_deputy.id(), truong_deputy.id()]
        );
        let on_day = on("2020-11-01").await;
        assert_eq!(ids(&on_day[&deputy.id()]), [truong_deputy.id()]);
        let on_day = on("2016-03-31").await;
        assert!(on_day[&chairman.id()].is_empty());
        assert_eq!(ids(&on_day[&deputy.id()]), [nghi_deputy.id()]);

        // Without a day, every holding, unknown start first then by start.
        let all = db.holdings_of_posts(&posts, None).await.unwrap();
        assert_eq!(
            ids(&all[&chairman.id()]),
            [thong_chair.id(), truong_chair.id()]
        );
        assert_eq!(
            ids(&all[&deputy.id()]),
            [nghi_deputy.id(), truong_deputy.id()]
        );

        // What each person held.
        let people = [thong.id(), truong.id(), nghi.id()];
        let held = db
            .holdings_of_people(&people, Some(day("2021-04-07")))
            .await
            .unwrap();
        assert_eq!(ids(&held[&thong.id()]), [thong_chair.id()]);
        assert_eq!(ids(&held[&truong.id()]), [truong_deputy.id()]);
        assert!(held[&nghi.id()].is_empty());
        let held = db
            .holdings_of_people(&people, Some(day("2021-04-08")))
            .await
            .unwrap();
        assert_eq!(ids(&held[&truong.id()]), [truong_chair.id()]);
        let all = db.holdings_of_people(&[truong.id()], None).await.unwrap();
        assert_eq!(
            ids(&all[&truong.id()]),
            [truong_deputy.id(), truong_chair.id()]
        );

        // The death rule: nobody takes office after death, within the month it is possible.
        let mut details = nghi.details().clone();
        details.death_date = Some(date("2022-03"));
        let mut died = nghi.clone();
        died.update(details).unwrap();
        db.update_person(&actor(), &died).await.unwrap();
        let late = holding(&died, &deputy, period(Some("2022-04-01"), None));
        let error = db.appoint(&actor(), &late).await.unwrap_err();
        assert!(
            matches!(
                &error,
                StorageError::Invariant(DomainError::Holding(
                    HoldingError::BeginsAfterDeath { .. }
                ))
            ),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "Trần Thị Vĩnh Nghi died 2022-03, so cannot begin holding a post on 2022-04-01"
        );
        appoint(
            &db,
            &died,
            &deputy,
            period(Some("2022-03-10"), Some("2022-03")),
        )
        .await;
    })
    .await;
}

#[tokio::test]
async fn shrinking_a_posts_seats_below_its_holders_is_refused() {
    each_engine(|db| async move {
        let committee = create_organization(
            &db,
            "Ủy ban nhân dân tỉnh Hậu Giang",
            Classification::PeoplesCommittee,
            Some(Level::Province),
            None,
        )
        .await;
        let deputies = create_post(
            &db,
            &committee,
            "Phó Chủ tịch",
            Seats::Limited(NonZeroU32::new(3).unwrap()),
        )
        .await;
        let mut held = Vec::new();
        for (name, start) in [
            ("Trương Cảnh Tuyên", "2021-06"),
            ("Đồng Văn Thanh", "2021-07"),
            ("Nguyễn Văn Hòa", "2022-01-10"),
        ] {
            let person = create_person(&db, name).await;
            held.push(appoint(&db, &person, &deputies, period(Some(start), None)).await);
        }
        let fourth = create_person(&db, "Lê Văn Thử").await;
        assert!(matches!(
            db.appoint(
                &actor(),
                &holding(&fourth, &deputies, period(Some("2023"), None))
            )
            .await,
            Err(StorageError::Invariant(DomainError::Holding(
                HoldingError::SeatsExceeded { .. }
            )))
        ));

        let with_seats = |seats: Seats| {
            let mut post = deputies.clone();
            let mut details = post.details().clone();
            details.seats = seats;
            post.update(details).unwrap();
            post
        };
        let two = with_seats(Seats::Limited(NonZeroU32::new(2).unwrap()));
        let error = db.update_post(&actor(), &two).await.unwrap_err();
        assert!(
            matches!(
                &error,
                StorageError::Invariant(DomainError::Holding(HoldingError::SeatsExceeded { .. }))
            ),
            "{error:?}"
        );
        assert_eq!(db.post(deputies.id()).await.unwrap(), deputies);

        // A post whose life would begin after a holding began is refused too.
        let mut late_post = deputies.clone();
        let mut details = late_post.details().clone();
        details.life = period(Some("2021-07"), None);
        late_post.update(details).unwrap();
        assert!(matches!(
            db.update_post(&actor(), &late_post).await,
            Err(StorageError::Invariant(DomainError::Holding(
                HoldingError::OutsideLife { what: "post", .. }
            )))
        ));
        assert_eq!(db.post(deputies.id()).await.unwrap(), deputies);

        // Once one deputy has left, two seats are enough; more seats are always fine.
        db.end_holding(
            &actor(),
            held[0].id(),
            date("2021-12-31"),
            Some(EndReason::Transferred),
        )
        .await
        .unwrap();
        db.update_post(&actor(), &two).await.unwrap();
        assert_eq!(db.post(deputies.id()).await.unwrap(), two);
        db.update_post(&actor(), &with_seats(Seats::Unlimited))
            .await
            .unwrap();
        db.appoint(
            &actor(),
            &holding(&fourth, &deputies, period(Some("2023"), None)),
        )
        .await
        .unwrap();
    })
    .await;
}

#[tokio::test]
async fn batch_reads_of_holdings_cost_one_statement_for_any_number_of_ids() {
    each_engine(|db| async move {
        let committee = create_organization(
            &db,
            "Hội đồng nhân dân thành phố Cần Thơ",
            Classification::PeoplesCouncil,
            Some(Level::Province),
            None,
        )
        .await;
        let mut posts = Vec::new();
        let mut people = Vec::new();
        for i in 0..30 {
            let post = create_post(&db, &committee, &format!("Ủy viên tổ {i}"), Seats::ONE).await;
            let person = create_person(
                &db,
                &format!("Nguyễn Văn {}", char::from(b'A' + (i % 26) as u8)),
            )
            .await;
            appoint(&db, &person, &post, period(Some("2021-06"), None)).await;
            posts.push(post.id());
            people.push(person.id());
        }
        let count = |n: usize| {
            let db = db.clone();
            let posts = posts[..n].to_vec();
            let people = people[..n].to_vec();
            async move {
                let mut counts = Vec::new();
                for on in [None, Some(day("2022-01-01"))] {
                    let before = db.statement_count();
                    let of_posts = db.holdings_of_posts(&posts, on).await.unwrap();
                    assert!(of_posts.values().all(|h| h.len() == 1));
                    counts.push(db.statement_count() - before);
                    let before = db.statement_count();
                    let of_people = db.holdings_of_people(&people, on).await.unwrap();
                    assert!(of_people.values().all(|h| h.len() == 1));
                    assert_eq!(of_people.len(), n);
                    counts.push(db.statement_count() - before);
                }
                counts
            }
        };
        assert_eq!(count(1).await, [1, 1, 1, 1]);
        assert_eq!(count(30).await, [1, 1, 1, 1]);
    })
    .await;
}

/// An appointment reads only the holdings of the post that may overlap it, and of an unlimited
/// post only the person's own: the person is still refused a second overlapping holding of the
/// same unlimited post, others may hold it at the same time, and the same person may hold it
/// again later; on a one-seat post a holding far in the past does not count, one that overlaps
/// does.
#[tokio::test]
async fn an_appointment_is_checked_against_the_holdings_that_may_overlap_it() {
    each_engine(|db| async move {
        let (committee, chairman) = chairmanship(&db).await;
        let members =
            create_post(&db, &committee, "Ủy viên UBND thành phố", Seats::Unlimited).await;
        let hieu = create_person(&db, "Phạm Văn Hiểu").await;
        let truong = create_person(&db, "Trần Việt Trường").await;
        appoint(&db, &hieu, &members, period(Some("2016"), Some("2021-06"))).await;
        appoint(
            &db,
            &truong,
            &members,
            period(Some("2016"), Some("2021-06")),
        )
        .await;

        let again = holding(&hieu, &members, period(Some("2020"), None));
        let error = db.appoint(&actor(), &again).await.unwrap_err();
        assert!(
            matches!(
                error,
                StorageError::Invariant(DomainError::Holding(HoldingError::AlreadyHeld { .. }))
            ),
            "{error:?}"
        );
        appoint(&db, &hieu, &members, period(Some("2021-07"), None)).await;

        appoint(&db, &hieu, &chairman, period(Some("2011"), Some("2015"))).await;
        appoint(&db, &truong, &chairman, period(Some("2016"), None)).await;
        let rival = create_person(&db, "Lê Quang Mạnh").await;
        let overlapping = holding(&rival, &chairman, period(Some("2020"), Some("2021")));
        let error = db.appoint(&actor(), &overlapping).await.unwrap_err();
        assert!(
            matches!(
                error,
                StorageError::Invariant(DomainError::Holding(HoldingError::SeatsExceeded { .. }))
            ),
            "{error:?}"
        );
    })
    .await;
}
