//! The demo world written from the founding article (`demo/can-tho-2021-01-16-dan-van.json`),
//! loaded through the storage API on every engine: what it holds, that every record cites the
//! article, that it invents nothing the article does not say, and that it only goes into a
//! fresh database.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use gazette_domain::award::form::{AwardForm, RecipientKind};
use gazette_domain::date::{PartialDate, Period};
use gazette_domain::directive::{Assignee, DirectiveKind};
use gazette_domain::holding::Holding;
use gazette_domain::ids::{
    AwardDecisionId, DirectiveId, MeetingId, OrganizationId, PersonId, PostId,
};
use gazette_domain::meeting::MeetingKind;
use gazette_domain::name::PersonName;
use gazette_domain::person::{Person, PersonDetails};
use gazette_domain::source::{ContentHash, SourceKind, Subject};
use gazette_domain::task::{Lifecycle, Timeliness};
use gazette_domain::text::{fold, normalize_line};
use gazette_gateway::demo::{self, ARTICLE, DATA, DemoError, DemoSummary, DemoWorld};
use gazette_storage::{
    Actor, AuditFilter, Database, OrganizationFilter, PageRequest, PersonFilter, SourceFilter,
};
use gazette_tests::TestDatabase;
use serde_json::Value;

fn actor() -> Actor {
    Actor::new("system:demo").unwrap()
}

/// A day, as the storage API takes it.
macro_rules! day {
    ($text:literal) => {
        PartialDate::parse($text).unwrap().as_date().unwrap()
    };
}

async fn load(db: &Database) -> DemoSummary {
    demo::load_into_fresh(db, &actor()).await.unwrap()
}

fn subject(summary: &DemoSummary, key: &str) -> Subject {
    summary
        .subject(key)
        .unwrap_or_else(|| panic!("the demo has no record with the key {key:?}"))
}

fn person_id(summary: &DemoSummary, key: &str) -> PersonId {
    match subject(summary, key) {
        Subject::Person(id) => id,
        other => panic!("{key} is {other:?}"),
    }
}

fn organization_id(summary: &DemoSummary, key: &str) -> OrganizationId {
    match subject(summary, key) {
        Subject::Organization(id) => id,
        other => panic!("{key} is {other:?}"),
    }
}

fn post_id(summary: &DemoSummary, key: &str) -> PostId {
    match subject(summary, key) {
        Subject::Post(id) => id,
        other => panic!("{key} is {other:?}"),
    }
}

fn meeting_id(summary: &DemoSummary, key: &str) -> MeetingId {
    match subject(summary, key) {
        Subject::Meeting(id) => id,
        other => panic!("{key} is {other:?}"),
    }
}

fn directive_id(summary: &DemoSummary, key: &str) -> DirectiveId {
    match subject(summary, key) {
        Subject::Directive(id) => id,
        other => panic!("{key} is {other:?}"),
    }
}

fn decision_id(summary: &DemoSummary, key: &str) -> AwardDecisionId {
    match subject(summary, key) {
        Subject::AwardDecision(id) => id,
        other => panic!("{key} is {other:?}"),
    }
}

/// "Title Organization" of a post, as the article writes a capacity ("Chủ tịch HĐND thành
/// phố").
async fn describe_post(db: &Database, post: PostId) -> String {
    let post = db.post(post).await.unwrap();
    let organization = db.organization(post.organization).await.unwrap();
    format!(
        "{} {}",
        post.title.as_str(),
        organization
            .abbreviation
            .as_ref()
            .unwrap_or(&organization.name)
            .as_str()
    )
}

async fn describe_holdings(db: &Database, holdings: &[Holding]) -> Vec<String> {
    let mut described = Vec::new();
    for holding in holdings {
        described.push(describe_post(db, holding.post).await);
    }
    described.sort();
    described
}

/// How many rows a list holds, paging through it.
async fn audit_entries(db: &Database) -> usize {
    let mut count = 0;
    let mut page = PageRequest::first(100);
    loop {
        let result = db.audit_log(&AuditFilter::default(), &page).await.unwrap();
        count += result.edges.len();
        match result.edges.last() {
            Some(last) if result.has_next_page => {
                page = PageRequest::after(100, last.cursor.clone());
            }
            _ => return count,
        }
    }
}

/// Counts of what a database holds: people, organizations, sources, audit entries.
async fn contents(db: &Database) -> (usize, usize, usize, usize) {
    let page = PageRequest::first(100);
    (
        db.people(&PersonFilter::default(), &page)
            .await
            .unwrap()
            .edges
            .len(),
        db.organizations(&OrganizationFilter::default(), &page)
            .await
            .unwrap()
            .edges
            .len(),
        db.sources(&SourceFilter::default(), &page)
            .await
            .unwrap()
            .edges
            .len(),
        audit_entries(db).await,
    )
}

#[tokio::test]
async fn the_demo_loads_into_a_fresh_database_on_every_engine() {
    for test_db in TestDatabase::every_engine().await {
        let db = &test_db.db;
        let summary = load(db).await;
        assert_eq!(summary.organizations, 8, "{:?}", test_db.engine);
        assert_eq!(summary.posts, 5);
        assert_eq!(summary.people, 3);
        assert_eq!(summary.holdings, 5);
        assert_eq!(summary.meetings, 1);
        assert_eq!(summary.directives, 1);
        assert_eq!(summary.tasks, 9);
        assert_eq!(summary.award_decisions, 1);
        assert_eq!(summary.citations, 33, "one citation per record");
        assert_eq!(summary.records.len(), 33);
        assert_eq!(
            summary.to_string(),
            "demo world loaded: 1 source (the article), 8 organizations, 5 posts, 3 people, 5 holdings, 1 meeting, 1 directive, 9 tasks, 1 award decision; 33 citations of the article"
        );

        let source = db.source(summary.source).await.unwrap();
        assert_eq!(source.kind, SourceKind::NewsArticle);
        assert_eq!(source.publisher.as_ref().unwrap().as_str(), "Báo Cần Thơ");
        assert_eq!(
            source.published_at.unwrap().to_string(),
            "2021-01-16T05:59:00"
        );
        assert_eq!(source.byline.as_ref().unwrap().as_str(), "THANH THY");
        assert_eq!(
            source
                .photo_credits
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>(),
            ["NGỌC QUYÊN"]
        );
        assert_eq!(source.url, None, "the article's address is not recorded");
        assert_eq!(source.content_hash, Some(ContentHash::of_text(ARTICLE)));
        assert!(
            source.title.as_str().ends_with(
                "Nâng cao hiệu quả công tác dân vận và thực hiện quy chế dân chủ ở cơ sở"
            )
        );

        let standing = db
            .organization(organization_id(&summary, "ban-thuong-vu"))
            .await
            .unwrap();
        let party = db
            .organization(organization_id(&summary, "thanh-uy"))
            .await
            .unwrap();
        assert_eq!(standing.parent, Some(party.id()));
        assert_eq!(party.name.as_str(), "Thành ủy Cần Thơ");
        test_db.finish().await;
    }
}

#[tokio::test]
async fn the_three_officials_hold_their_five_posts_on_the_day_of_the_conference() {
    for test_db in TestDatabase::every_engine().await {
        let db = &test_db.db;
        let summary = load(db).await;
        let hieu = person_id(&summary, "pham-van-hieu");
        let truong = person_id(&summary, "tran-viet-truong");
        let nghi = person_id(&summary, "tran-thi-vinh-nghi");
        let held = db
            .holdings_of_people(&[hieu, truong, nghi], Some(day!("2021-01-15")))
            .await
            .unwrap();
        assert_eq!(
            describe_holdings(db, &held[&hieu]).await,
            ["Chủ tịch HĐND thành phố", "Phó Bí thư Thường trực Thành ủy"]
        );
        assert_eq!(
            describe_holdings(db, &held[&truong]).await,
            ["Chủ tịch UBND thành phố", "Phó Bí thư Thành ủy"]
        );
        assert_eq!(
            describe_holdings(db, &held[&nghi]).await,
            ["Trưởng ban Ban Dân vận Thành ủy"]
        );
        for holding in held.values().flatten() {
            assert_eq!(
                holding.period,
                Period::always(),
                "the article says nothing of when a holding began or ended"
            );
            assert_eq!(holding.term, None);
            assert_eq!(holding.document, None);
        }
        let names = db.people_by_ids(&[hieu, truong, nghi]).await.unwrap();
        let mut names: Vec<&str> = names.iter().map(|p| p.name.full()).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            ["Phạm Văn Hiểu", "Trần Thị Vĩnh Nghi", "Trần Việt Trường"]
        );
        test_db.finish().await;
    }
}

#[tokio::test]
async fn the_conference_has_its_organizer_and_three_chairs_in_their_capacities() {
    for test_db in TestDatabase::every_engine().await {
        let db = &test_db.db;
        let summary = load(db).await;
        let meeting = db.meeting(meeting_id(&summary, "hoi-nghi")).await.unwrap();
        assert_eq!(meeting.kind, MeetingKind::Conference);
        assert_eq!(meeting.held_at.to_string(), "2021-01-15");
        assert_eq!(meeting.location, None, "the article does not say where");
        let organizer = db.organization(meeting.organizer).await.unwrap();
        assert_eq!(organizer.name.as_str(), "Ban Thường vụ Thành ủy Cần Thơ");
        let mut chairs = Vec::new();
        for chair in &meeting.chairs {
            let person = db.person(chair.person).await.unwrap();
            let mut capacities = Vec::new();
            for post in &chair.capacities {
                capacities.push(describe_post(db, *post).await);
            }
            chairs.push((person.name.full().to_owned(), capacities));
        }
        assert_eq!(
            chairs,
            [
                (
                    "Phạm Văn Hiểu".to_owned(),
                    vec![
                        "Phó Bí thư Thường trực Thành ủy".to_owned(),
                        "Chủ tịch HĐND thành phố".to_owned()
                    ]
                ),
                (
                    "Trần Việt Trường".to_owned(),
                    vec![
                        "Phó Bí thư Thành ủy".to_owned(),
                        "Chủ tịch UBND thành phố".to_owned()
                    ]
                ),
                (
                    "Trần Thị Vĩnh Nghi".to_owned(),
                    vec!["Trưởng ban Ban Dân vận Thành ủy".to_owned()]
                ),
            ]
        );
        assert!(meeting.attendees.is_empty());
        test_db.finish().await;
    }
}

#[tokio::test]
async fn the_directing_speech_has_one_task_per_instruction_and_no_deadline() {
    for test_db in TestDatabase::every_engine().await {
        let db = &test_db.db;
        let summary = load(db).await;
        let id = directive_id(&summary, "phat-bieu-chi-dao");
        let directive = db.directive(id).await.unwrap();
        assert_eq!(directive.kind, DirectiveKind::DirectingSpeech);
        assert_eq!(
            directive.issuer.person,
            person_id(&summary, "pham-van-hieu")
        );
        assert_eq!(
            directive.issuer.capacities,
            [
                post_id(&summary, "pho-bi-thu-thuong-truc"),
                post_id(&summary, "chu-tich-hdnd")
            ]
        );
        assert_eq!(directive.meeting, Some(meeting_id(&summary, "hoi-nghi")));
        assert_eq!(
            directive.issued_on,
            PartialDate::parse("2021-01-15").unwrap()
        );
        assert_eq!(directive.document_number, None, "a speech has no number");
        let group = |name: &str| Assignee::Group {
            name: gazette_domain::text::Text::parse(name).unwrap(),
        };
        assert_eq!(
            directive.addressees,
            [
                group("các cấp ủy đảng"),
                group("chính quyền"),
                group("dân vận"),
                group("Mặt trận"),
                group("các tổ chức chính trị - xã hội"),
            ]
        );

        let tasks = db
            .tasks_of_directives(&[id])
            .await
            .unwrap()
            .remove(&id)
            .unwrap();
        assert_eq!(tasks.len(), 9);
        let article = fold(ARTICLE);
        for (task, position) in tasks.iter().zip(1..) {
            assert_eq!(task.position, position);
            assert_eq!(task.deadline, None, "the article sets no deadline");
            assert_eq!(task.lead, None, "the article names no lead unit");
            assert_eq!(task.assigned_on, day!("2021-01-15"));
            assert_eq!(task.lifecycle(), Lifecycle::NotStarted);
            assert_eq!(
                task.timeliness(day!("2021-06-01")),
                Some(Timeliness::NoDeadline)
            );
            assert!(
                article.contains(&task.text.fold()),
                "task {position} is not in the article's words: {}",
                task.text.as_str()
            );
            assert_eq!(
                subject(&summary, &format!("phat-bieu-chi-dao/{position}")),
                Subject::Task(task.id())
            );
        }
        let front_and_organizations = [group("Mặt trận"), group("các tổ chức chính trị - xã hội")];
        for task in &tasks[5..8] {
            assert_eq!(task.addressees, front_and_organizations);
        }
        assert!(tasks[..5].iter().all(|t| t.addressees.is_empty()));
        assert_eq!(tasks[8].addressees.len(), 4);
        assert!(tasks[8].text.as_str().contains("“Dân vận khéo”"));
        test_db.finish().await;
    }
}

#[tokio::test]
async fn the_certificate_of_merit_has_no_number_and_collectives_of_unknown_number_and_names() {
    for test_db in TestDatabase::every_engine().await {
        let db = &test_db.db;
        let summary = load(db).await;
        let decision = db
            .award_decision(decision_id(&summary, "bang-khen-qcdc-2020"))
            .await
            .unwrap();
        assert_eq!(
            decision.number, None,
            "the article gives no decision number"
        );
        assert_eq!(decision.signed_on, None);
        assert_eq!(decision.signer, None);
        assert_eq!(decision.authority, organization_id(&summary, "ubnd"));
        assert_eq!(decision.form, AwardForm::CertificateOfMerit);
        assert_eq!(
            decision.achievement.period.unwrap().to_string(),
            "2020",
            "QCDC work in 2020"
        );
        assert!(decision.recipients.is_empty(), "no recipient is named");
        assert_eq!(decision.unnamed_recipients.len(), 1);
        let unnamed = &decision.unnamed_recipients[0];
        assert_eq!(unnamed.kind, RecipientKind::Collective);
        assert_eq!(unnamed.count, None, "the article does not say how many");
        assert!(
            unnamed
                .note
                .as_ref()
                .unwrap()
                .as_str()
                .contains("neither their number nor their names")
        );
        assert_eq!(decision.presentations.len(), 1);
        let presentation = &decision.presentations[0];
        assert_eq!(
            presentation.presenter,
            Some(person_id(&summary, "tran-viet-truong"))
        );
        assert_eq!(presentation.meeting, Some(meeting_id(&summary, "hoi-nghi")));
        assert_eq!(
            presentation.date,
            Some(PartialDate::parse("2021-01-15").unwrap())
        );
        test_db.finish().await;
    }
}

#[tokio::test]
async fn every_record_cites_the_article_in_its_own_words() {
    for test_db in TestDatabase::every_engine().await {
        let db = &test_db.db;
        let summary = load(db).await;
        let subjects: Vec<Subject> = summary.records.iter().map(|(_, s)| *s).collect();
        let cited = db.citations_of(&subjects).await.unwrap();
        let article = fold(ARTICLE);
        for (key, subject) in &summary.records {
            let citations = &cited[subject];
            assert_eq!(
                citations.len(),
                1,
                "{key} cites {} sources",
                citations.len()
            );
            assert_eq!(citations[0].source, summary.source, "{key}");
            if let Some(note) = &citations[0].note {
                assert!(
                    article.contains(&note.fold()),
                    "the note of {key} is not in the article: {}",
                    note.as_str()
                );
            }
        }
        let citing = db.citations_of_sources(&[summary.source]).await.unwrap();
        assert_eq!(citing[&summary.source].len(), 33);
        test_db.finish().await;
    }
}

#[tokio::test]
async fn loading_a_second_time_into_the_same_database_is_refused_and_changes_nothing() {
    for test_db in TestDatabase::every_engine().await {
        let db = &test_db.db;
        let first = load(db).await;
        let before = contents(db).await;
        assert_eq!((before.0, before.1, before.2), (3, 8, 1));

        let error = demo::load_into_fresh(db, &actor()).await.unwrap_err();
        let message = error.to_string();
        match error.downcast_ref::<DemoError>() {
            Some(DemoError::NotFresh { holds }) => {
                assert_eq!(holds, &["people", "organizations", "sources"]);
            }
            other => panic!("expected NotFresh, got {other:?}"),
        }
        assert!(message.contains("fresh database"), "{message}");
        assert!(message.contains("nothing was written"), "{message}");
        assert_eq!(contents(db).await, before);
        let citing = db.citations_of_sources(&[first.source]).await.unwrap();
        assert_eq!(citing[&first.source].len(), 33);
        test_db.finish().await;
    }
}

#[tokio::test]
async fn a_database_holding_any_person_is_not_fresh_and_is_left_alone() {
    for test_db in TestDatabase::every_engine().await {
        let db = &test_db.db;
        let someone = Person::new(
            PersonId::new(),
            PersonDetails::named(PersonName::parse("Lê Quang Mạnh").unwrap()),
        )
        .unwrap();
        db.create_person(&actor(), &someone).await.unwrap();
        let before = contents(db).await;
        let error = demo::load_into_fresh(db, &actor()).await.unwrap_err();
        assert!(
            matches!(
                error.downcast_ref::<DemoError>(),
                Some(DemoError::NotFresh { holds }) if holds == &["people"]
            ),
            "{error}"
        );
        assert_eq!(contents(db).await, before);
        test_db.finish().await;
    }
}

/// The data file with one change made to its JSON.
fn edited(change: impl FnOnce(&mut Value)) -> String {
    let mut value: Value = serde_json::from_str(DATA).unwrap();
    change(&mut value);
    value.to_string()
}

fn parse_error(data: &str) -> String {
    DemoWorld::parse(data, ARTICLE).unwrap_err().to_string()
}

#[test]
fn a_malformed_data_file_names_the_record_and_the_field() {
    let bad_period = edited(|v| {
        v["award_decisions"][0]["achievement"]["period"] = "năm 2020".into();
    });
    let message = parse_error(&bad_period);
    assert!(
        message.starts_with(
            "demo/can-tho-2021-01-16-dan-van.json, award_decisions[\"bang-khen-qcdc-2020\"].achievement: "
        ),
        "{message}"
    );
    assert!(message.contains("năm 2020"), "{message}");

    let unknown_post = edited(|v| {
        v["holdings"][1]["post"] = "pho-chu-tich-hdnd".into();
    });
    let message = parse_error(&unknown_post);
    assert!(
        message.contains(
            "holdings[\"hieu-chu-tich-hdnd\"].post: no record with the key \"pho-chu-tich-hdnd\""
        ),
        "{message}"
    );

    let wrong_kind = edited(|v| {
        v["meetings"][0]["chairs"][2]["capacities"][0] = "ban-dan-van".into();
    });
    let message = parse_error(&wrong_kind);
    assert!(
        message.contains(
            "meetings[\"hoi-nghi\"].chairs[2].capacities[0]: \"ban-dan-van\" is an organization, not a post"
        ),
        "{message}"
    );

    let misspelt = edited(|v| {
        let task = v["directives"][0]["tasks"][3].as_object_mut().unwrap();
        let deadline = task.remove("deadline").unwrap();
        task.insert("dealine".to_owned(), deadline);
    });
    let message = parse_error(&misspelt);
    assert!(
        message.contains("directives[\"phat-bieu-chi-dao\"].tasks[3]: unknown field(s) dealine"),
        "{message}"
    );

    let missing = edited(|v| {
        v["people"][2].as_object_mut().unwrap().remove("name");
    });
    let message = parse_error(&missing);
    assert!(
        message.contains("people[\"tran-thi-vinh-nghi\"].name: is required"),
        "{message}"
    );

    let reused = edited(|v| {
        v["posts"][0]["key"] = "thanh-uy".into();
    });
    let message = parse_error(&reused);
    assert!(
        message.contains(
            "posts[\"thanh-uy\"].key: the key \"thanh-uy\" is already used by an organization"
        ),
        "{message}"
    );

    let broken_rule = edited(|v| {
        v["holdings"][0]["period"] = serde_json::json!({"start": "2021", "end": "2020"});
    });
    let message = parse_error(&broken_rule);
    assert!(
        message.contains("holdings[\"hieu-pho-bi-thu-thuong-truc\"].period: "),
        "{message}"
    );

    let message = parse_error("{\"organizations\": [");
    assert_eq!(
        message,
        "demo/can-tho-2021-01-16-dan-van.json, line 1 column 19: EOF while parsing a list"
    );
}

#[test]
fn each_parse_of_the_data_file_gives_new_ids() {
    let first = DemoWorld::embedded().unwrap();
    let second = DemoWorld::embedded().unwrap();
    assert_eq!(first.records.len(), 33);
    assert_ne!(first.source.id(), second.source.id());
    for (a, b) in first.records.iter().zip(&second.records) {
        assert_eq!(a.key, b.key);
        assert_ne!(a.value.subject(), b.value.subject());
    }
}

#[test]
fn the_data_file_is_written_in_nfc_with_tidy_spaces() {
    fn walk(value: &Value, path: &str) {
        match value {
            Value::String(text) => {
                assert_eq!(&normalize_line(text), text, "{path} is not NFC or not tidy");
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    walk(item, &format!("{path}[{index}]"));
                }
            }
            Value::Object(fields) => {
                for (name, field) in fields {
                    walk(field, &format!("{path}.{name}"));
                }
            }
            _ => {}
        }
    }
    walk(&serde_json::from_str(DATA).unwrap(), "");
}
