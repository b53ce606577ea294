//! Storage tests: concurrency. The seat rule holds when many writers race for one seat, and
//! readers and writers together never see a busy database.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use gazette_domain::DomainError;
use gazette_domain::holding::HoldingError;
use gazette_domain::organization::{Classification, Level};
use gazette_domain::post::{Post, Seats};
use gazette_storage::organizations::OrganizationFilter;
use gazette_storage::{Database, PageRequest, PersonFilter, StorageError};
use tokio::sync::Barrier;

use crate::harness::{actor, each_engine};
use crate::holdings::{create_person, holding, period};
use crate::organizations::{create_organization, create_post};

/// A name made of letters only (names may not hold digits), distinct for each number.
fn letters(mut number: usize) -> String {
    let mut text = String::new();
    loop {
        text.push(char::from(b'a' + (number % 26) as u8));
        number /= 26;
        if number == 0 {
            break;
        }
    }
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Twenty people race to be appointed to `post` for the same period: exactly one wins, the
/// others meet the seat rule naming the winner, and the post has exactly one holding.
async fn race_for_one_seat(db: &Database, post: &Post, round: usize) {
    let mut candidates = Vec::new();
    for i in 0..20 {
        let name = format!("Nguyễn Văn {} {}", letters(round), letters(i));
        let person = create_person(db, &name).await;
        candidates.push(holding(&person, post, period(Some("2021-06-01"), None)));
    }
    // Every task waits at the barrier, so the twenty appointments really start together rather
    // than one after the other as they are spawned.
    let start = Arc::new(Barrier::new(candidates.len()));
    let mut tasks = Vec::new();
    for candidate in candidates {
        let db = db.clone();
        let start = Arc::clone(&start);
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            let result = db.appoint(&actor(), &candidate).await;
            (candidate, result)
        }));
    }
    let mut winners = Vec::new();
    let mut losers = Vec::new();
    for task in tasks {
        let (candidate, result) = task.await.unwrap();
        match result {
            Ok(()) => winners.push(candidate),
            Err(error) => losers.push(error),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one appointment wins: {losers:?}");
    let winner = &winners[0];
    assert_eq!(losers.len(), 19);
    for error in &losers {
        assert!(
            matches!(
                error,
                StorageError::Invariant(DomainError::Holding(HoldingError::SeatsExceeded {
                    conflicting,
                    ..
                })) if conflicting == &[(winner.id(), winner.period)]
            ),
            "every other appointment meets the seat rule and the winner: {error:?}"
        );
    }
    let stored = db.holdings_of_posts(&[post.id()], None).await.unwrap();
    assert_eq!(stored[&post.id()], std::slice::from_ref(winner));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_appointments_race_for_one_seat_and_exactly_one_wins() {
    each_engine(|db| async move {
        let committee = create_organization(
            &db,
            "Ủy ban nhân dân thành phố Cần Thơ",
            Classification::PeoplesCommittee,
            Some(Level::Province),
            None,
        )
        .await;
        // Open the pool's connections beforehand, so that the racers do not queue behind the
        // opening of new connections and really overlap.
        let warm_up: Vec<_> = (0..8)
            .map(|_| {
                let db = db.clone();
                let id = committee.id();
                tokio::spawn(async move { db.organization(id).await })
            })
            .collect();
        for task in warm_up {
            task.await.unwrap().unwrap();
        }
        // Several rounds, each on its own one-seat post, because a race that goes wrong only
        // sometimes must still fail this test nearly always.
        for (round, title) in ["Chủ tịch", "Chánh Văn phòng", "Giám đốc Sở Nội vụ"]
            .into_iter()
            .enumerate()
        {
            let post = create_post(&db, &committee, title, Seats::ONE).await;
            race_for_one_seat(&db, &post, round).await;
        }
    })
    .await;
}

/// What one writer did.
#[derive(Default)]
struct Written {
    people: usize,
    holdings: usize,
    errors: Vec<StorageError>,
}

/// What one reader did.
#[derive(Default)]
struct Read {
    reads: usize,
    errors: Vec<StorageError>,
}

const WRITERS: usize = 8;
const READERS: usize = 8;
const RUN_FOR: Duration = Duration::from_secs(3);

async fn count_people(db: &Database) -> usize {
    let mut count = 0;
    let mut page = db
        .people(&PersonFilter::default(), &PageRequest::first(100))
        .await
        .unwrap();
    loop {
        count += page.edges.len();
        if !page.has_next_page {
            return count;
        }
        let cursor = page.edges.last().unwrap().cursor.clone();
        page = db
            .people(&PersonFilter::default(), &PageRequest::after(100, cursor))
            .await
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn readers_and_writers_together_never_see_a_busy_database() {
    // The SQLite run is on a file (WAL, one writer connection, a pool of readers), the case
    // where "database is locked" could surface; PostgreSQL runs the same load.
    each_engine(|db| async move {
        let council = create_organization(
            &db,
            "Ban Chấp hành Đảng bộ thành phố Cần Thơ",
            Classification::PartyCommittee,
            Some(Level::Province),
            None,
        )
        .await;
        let members = create_post(&db, &council, "Ủy viên Ban Chấp hành", Seats::Unlimited).await;
        let people_before = count_people(&db).await;
        let deadline = Instant::now() + RUN_FOR;

        let mut writers = Vec::new();
        for writer in 0..WRITERS {
            let db = db.clone();
            let members = members.clone();
            writers.push(tokio::spawn(async move {
                let mut written = Written::default();
                let mut i = 0;
                while Instant::now() < deadline {
                    let name = format!("Trần Văn {} {}", letters(writer), letters(i));
                    let person = crate::people::person(&name);
                    match db.create_person(&actor(), &person).await {
                        Ok(()) => written.people += 1,
                        Err(error) => written.errors.push(error),
                    }
                    if i % 2 == 0 {
                        let member = holding(&person, &members, period(Some("2020-10"), None));
                        match db.appoint(&actor(), &member).await {
                            Ok(()) => written.holdings += 1,
                            Err(error) => written.errors.push(error),
                        }
                    }
                    i += 1;
                }
                written
            }));
        }
        let mut readers = Vec::new();
        for reader in 0..READERS {
            let db = db.clone();
            let members = members.id();
            readers.push(tokio::spawn(async move {
                let mut read = Read::default();
                let day = NaiveDate::from_ymd_opt(2021, 1, 15).unwrap();
                while Instant::now() < deadline {
                    let result = match (reader + read.reads) % 3 {
                        0 => db
                            .people(
                                &PersonFilter {
                                    name: Some("tran van".to_owned()),
                                    ..PersonFilter::default()
                                },
                                &PageRequest::first(20),
                            )
                            .await
                            .map(drop),
                        1 => db.holdings_of_posts(&[members], Some(day)).await.map(drop),
                        _ => db
                            .organizations(&OrganizationFilter::default(), &PageRequest::first(20))
                            .await
                            .map(drop),
                    };
                    match result {
                        Ok(()) => read.reads += 1,
                        Err(error) => read.errors.push(error),
                    }
                }
                read
            }));
        }

        let (mut people, mut holdings, mut reads) = (0, 0, 0);
        let mut errors = Vec::new();
        for writer in writers {
            let written = writer.await.unwrap();
            people += written.people;
            holdings += written.holdings;
            errors.extend(written.errors);
        }
        for reader in readers {
            let read = reader.await.unwrap();
            reads += read.reads;
            errors.extend(read.errors);
        }
        assert!(errors.is_empty(), "no error surfaces: {errors:?}");
        assert!(
            people > 0 && holdings > 0 && reads > 0,
            "everyone got to work"
        );
        assert_eq!(count_people(&db).await, people_before + people);
        let stored = db.holdings_of_posts(&[members.id()], None).await.unwrap();
        assert_eq!(stored[&members.id()].len(), holdings);
        eprintln!("{people} people, {holdings} holdings written; {reads} reads");
    })
    .await;
}
