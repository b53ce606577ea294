//! `gazette bench-data` at a tiny size (`people: 500`: the province's own bodies and a commune
//! or two): the same seed gives the same records with the same ids, on SQLite and PostgreSQL
//! alike; the load went through the storage layer, which checked every rule; the database holds
//! what the report counts; every value of the sample keeps its promise through the storage
//! layer's own reads and writes; and a second load into the same database is refused with
//! nothing written. PostgreSQL runs when `GAZETTE_TEST_DATABASE_URL` names a server (its
//! admin URL); each test database is created for the test and dropped after it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use gazette_domain::date::{PartialDate, Period};
use gazette_domain::directive::Assignee;
use gazette_domain::holding::{Holding, HoldingDetails, HoldingKind};
use gazette_domain::ids::{HoldingId, ProgressReportId};
use gazette_domain::task::{Lifecycle, Percent, ProgressReport, ProgressReportDetails, Timeliness};
use gazette_domain::text::Prose;
use gazette_gateway::bench_data::{
    self, BenchDataError, BenchDataOptions, BenchReport, Size, WritePath,
};
use gazette_storage::{
    Actor, AwardDecisionFilter, Database, PageRequest, PersonFilter, StorageOptions, TaskFilter,
    Write, WriteKind,
};
use sea_orm::ConnectionTrait;

const PEOPLE: u64 = 500;
const SEED: u64 = 7;

fn options(seed: u64, path: WritePath) -> BenchDataOptions {
    let mut options = BenchDataOptions::new(Size::S, seed);
    options.people = Some(PEOPLE);
    options.chunk = 2_000;
    options.verify = true;
    options.path = path;
    options
}

fn unique_name() -> String {
    format!("gazette_bench_data_{}", uuid::Uuid::now_v7().simple())
}

/// A fresh SQLite file, and its path for cleaning up.
async fn sqlite() -> (Database, std::path::PathBuf) {
    let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = Database::connect_and_migrate(&StorageOptions::new(url))
        .await
        .unwrap();
    (db, path)
}

fn remove_sqlite(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// A fresh PostgreSQL database when the suite has a server: the database, the admin URL and
/// the database's name, for dropping it.
async fn postgres() -> Option<(Database, String, String)> {
    let admin_url = std::env::var("GAZETTE_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())?;
    let admin = sea_orm::Database::connect(&admin_url)
        .await
        .unwrap_or_else(|error| {
            panic!("GAZETTE_TEST_DATABASE_URL is set but the server does not answer: {error}")
        });
    let name = unique_name();
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url.as_str(), |(base, _)| base);
    let mut options = StorageOptions::new(format!("{base}/{name}"));
    options.max_connections = 4;
    let db = Database::connect_and_migrate(&options).await.unwrap();
    Some((db, admin_url, name))
}

async fn drop_postgres(db: Database, admin_url: &str, name: &str) {
    drop(db);
    if let Ok(admin) = sea_orm::Database::connect(admin_url).await {
        let _ = admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .await;
    }
}

/// The database holds exactly what the report says was written.
async fn assert_counts_match(db: &Database, report: &BenchReport) {
    let counts = db.record_counts().await.unwrap();
    for (table, kind) in [
        ("person", WriteKind::CreatePerson),
        ("organization", WriteKind::CreateOrganization),
        ("post", WriteKind::CreatePost),
        ("holding", WriteKind::Appoint),
        ("meeting", WriteKind::RecordMeeting),
        ("directive", WriteKind::IssueDirective),
        ("task", WriteKind::AddTask),
        ("progress_report", WriteKind::ReportProgress),
        ("award_decision", WriteKind::RecordAwardDecision),
        ("source", WriteKind::CreateSource),
        ("citation", WriteKind::Cite),
    ] {
        assert_eq!(counts.get(table), report.count(kind), "{table}");
    }
}

/// Every value of the sample does what the sample file promises, through the storage layer.
async fn assert_sample_keeps_its_promises(db: &Database, report: &BenchReport) {
    let sample = &report.sample;
    assert_eq!(sample.size, "s");
    assert_eq!(sample.seed, SEED);
    assert_eq!(sample.as_of, bench_data::AS_OF);
    for list_len in [
        sample.people.len(),
        sample.name_prefixes.len(),
        sample.task_units.len(),
        sample.award_authorities.len(),
        sample.appointments.len(),
        sample.progress_tasks.len(),
        sample.people_for_appointment.len(),
    ] {
        assert!(list_len > 0, "every list of the sample has values");
    }

    // People hold a post on the dataset's date.
    let held = db
        .holdings_of_people(&sample.people, Some(sample.as_of))
        .await
        .unwrap();
    for person in &sample.people {
        assert!(!held[person].is_empty(), "{person} holds nothing on as_of");
    }

    // Name prefixes find people.
    for prefix in &sample.name_prefixes {
        let words: Vec<&str> = prefix.split(' ').collect();
        assert!((1..=3).contains(&words.len()), "{prefix:?}");
        assert!(
            prefix.chars().all(|c| c == ' ' || c.is_ascii_lowercase()),
            "{prefix:?} is folded"
        );
        let filter = PersonFilter {
            name: Some(prefix.clone()),
            ..PersonFilter::default()
        };
        let found = db.people(&filter, &PageRequest::first(1)).await.unwrap();
        assert!(!found.edges.is_empty(), "{prefix:?} finds nobody");
    }

    // Task units lead an overdue task on their day, as the tasks query's assignee.
    for unit in &sample.task_units {
        for lead_only in [true, false] {
            let filter = TaskFilter {
                assignee: Some(unit.organization),
                lead_only,
                timeliness: Some(Timeliness::Overdue),
                as_of: Some(unit.as_of),
                ..TaskFilter::default()
            };
            let tasks = db.tasks(&filter, &PageRequest::first(5)).await.unwrap();
            assert!(
                !tasks.edges.is_empty(),
                "{} has no overdue task on {}",
                unit.organization,
                unit.as_of
            );
            for edge in &tasks.edges {
                assert_eq!(
                    edge.node.timeliness(unit.as_of),
                    Some(Timeliness::Overdue),
                    "the domain agrees"
                );
                if lead_only {
                    assert_eq!(
                        edge.node.lead,
                        Some(Assignee::Organization {
                            id: unit.organization
                        })
                    );
                }
            }
        }
    }

    // Authorities made a decision in their year.
    for authority in &sample.award_authorities {
        let filter = AwardDecisionFilter {
            authority: Some(authority.organization),
            year: Some(authority.year),
            ..AwardDecisionFilter::default()
        };
        let decisions = db
            .award_decisions(&filter, &PageRequest::first(1))
            .await
            .unwrap();
        assert!(
            !decisions.edges.is_empty(),
            "{} made no decision in {}",
            authority.organization,
            authority.year
        );
    }

    // The people for appointment are alive.
    let people = db
        .people_by_ids(&sample.people_for_appointment)
        .await
        .unwrap();
    assert_eq!(people.len(), sample.people_for_appointment.len());
    assert!(people.iter().all(|p| p.death_date.is_none()));

    // Every appointment post takes a person for appointment from its start, and every task in
    // progress takes a progress report on the dataset's date: the storage layer's own writes,
    // with every rule checked, accept all of them in one transaction.
    let actor = Actor::new("system:bench-data-test").unwrap();
    let mut writes = Vec::new();
    for (position, appointment) in sample.appointments.iter().enumerate() {
        let person = sample.people_for_appointment[position % sample.people_for_appointment.len()];
        let details = HoldingDetails {
            person,
            post: appointment.post,
            period: Period::from_start(PartialDate::from(appointment.start)),
            kind: HoldingKind::Appointed,
            term: None,
            document: None,
            end_reason: None,
        };
        writes.push(Write::Appoint(
            Holding::new(HoldingId::new(), details).unwrap(),
        ));
    }
    let tasks = db.tasks_by_ids(&sample.progress_tasks).await.unwrap();
    assert_eq!(tasks.len(), sample.progress_tasks.len());
    for task in &tasks {
        assert_eq!(task.lifecycle(), Lifecycle::InProgress);
        let details = ProgressReportDetails {
            task: task.id(),
            reported_on: sample.as_of,
            reporter: task.lead.as_ref().and_then(Assignee::organization),
            note: Prose::parse("Báo cáo tiến độ").unwrap(),
            percent: Some(Percent::new(50).unwrap()),
        };
        writes.push(Write::ReportProgress(
            ProgressReport::new(ProgressReportId::new(), details).unwrap(),
        ));
    }
    db.apply(&actor, &writes).await.unwrap();
}

/// Loads the tiny dataset into `db` through `path` and checks everything the test promises
/// about it; returns the report.
async fn load_and_check(db: &Database, path: WritePath) -> BenchReport {
    let actor = Actor::new("system:bench-data").unwrap();
    let report = bench_data::load(db, &actor, &options(SEED, path), &mut |_| {})
        .await
        .unwrap();
    assert!(report.verified);
    assert!(report.count(WriteKind::CreatePerson) >= PEOPLE);
    assert!(report.communes >= 1, "at least one commune");
    let people = report.count(WriteKind::CreatePerson);
    assert!(report.count(WriteKind::Appoint) >= 2 * people);
    assert!(report.count(WriteKind::AddTask) > report.count(WriteKind::IssueDirective));
    assert!(report.extras.named_recipients > 3 * report.count(WriteKind::RecordAwardDecision));
    assert_counts_match(db, &report).await;
    assert!(db.verify_audit_chain().await.unwrap().is_intact());
    assert_sample_keeps_its_promises(db, &report).await;

    // A second load is refused, and writes nothing.
    let before = db.record_counts().await.unwrap();
    let again = bench_data::load(db, &actor, &options(SEED, path), &mut |_| {}).await;
    assert!(
        matches!(again, Err(BenchDataError::NotFresh { .. })),
        "{again:?}"
    );
    assert_eq!(db.record_counts().await.unwrap(), before);
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_seed_gives_the_same_dataset_and_every_sample_value_keeps_its_promise() {
    // Through `apply`: every write runs its single write's checks against the stored rows.
    let (db, file) = sqlite().await;
    let first = load_and_check(&db, WritePath::Batch).await;
    drop(db);
    remove_sqlite(&file);

    // The same seed again gives the same records, ids included (generated only: the load
    // above showed the database takes them).
    let second = bench_data::dry_run(&options(SEED, WritePath::Bulk), &mut |_| {})
        .await
        .unwrap();
    assert_eq!(second.digest, first.digest);
    assert_eq!(second.counts, first.counts);
    assert_eq!(second.sample, first.sample);

    // On PostgreSQL too, when there is a server, through the bulk path: the same records.
    if let Some((db, admin_url, name)) = postgres().await {
        let on_postgres = load_and_check(&db, WritePath::Bulk).await;
        assert_eq!(on_postgres.digest, first.digest);
        assert_eq!(on_postgres.counts, first.counts);
        assert_eq!(on_postgres.sample, first.sample);
        drop_postgres(db, &admin_url, &name).await;
    } else {
        eprintln!("PostgreSQL skipped: GAZETTE_TEST_DATABASE_URL is unset");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provinces_written_on_several_connections_give_the_dataset_of_one() {
    // On PostgreSQL provinces go to the database on two connections at once; three provinces
    // make both lanes write, one of them twice.
    let Some((db, admin_url, name)) = postgres().await else {
        eprintln!("PostgreSQL skipped: GAZETTE_TEST_DATABASE_URL is unset");
        return;
    };
    let mut three = options(SEED, WritePath::Bulk);
    three.provinces = Some(3);
    three.chunk = 500;
    let generated = bench_data::dry_run(&three, &mut |_| {}).await.unwrap();
    assert_eq!(generated.provinces, 3);
    let actor = Actor::new("system:bench-data").unwrap();
    let loaded = bench_data::load(&db, &actor, &three, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(loaded.digest, generated.digest);
    assert_eq!(loaded.counts, generated.counts);
    assert_counts_match(&db, &loaded).await;
    assert!(
        db.verify_audit_chain().await.unwrap().is_intact(),
        "the lanes' audit entries form one chain"
    );
    assert_sample_keeps_its_promises(&db, &loaded).await;
    drop_postgres(db, &admin_url, &name).await;
}

#[tokio::test]
async fn another_seed_gives_other_ids() {
    let base = bench_data::dry_run(&options(SEED, WritePath::Bulk), &mut |_| {})
        .await
        .unwrap();
    let other = bench_data::dry_run(&options(SEED + 1, WritePath::Bulk), &mut |_| {})
        .await
        .unwrap();
    assert_ne!(other.digest, base.digest);
    assert_ne!(other.sample.people, base.sample.people);
}
