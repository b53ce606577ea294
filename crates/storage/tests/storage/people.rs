//! People: round trips, folded search, batch reads and the audit trail.

use gazette_domain::date::{PartialDate, Period};
use gazette_domain::identifier::{Identifier, OtherName};
use gazette_domain::ids::PersonId;
use gazette_domain::name::PersonName;
use gazette_domain::person::{Gender, Person, PersonDetails};
use gazette_domain::text::Text;
use gazette_storage::{AuditFilter, Database, PageRequest, PersonFilter, StorageError};
use unicode_normalization::UnicodeNormalization;

use crate::harness::{actor, each_engine, is_postgres};

pub fn person(name: &str) -> Person {
    Person::new(
        PersonId::new(),
        PersonDetails::named(PersonName::parse(name).unwrap()),
    )
    .unwrap()
}

async fn create(db: &Database, name: &str) -> Person {
    let person = person(name);
    db.create_person(&actor(), &person).await.unwrap();
    person
}

fn names(page: &gazette_storage::Page<Person>) -> Vec<String> {
    page.edges
        .iter()
        .map(|e| e.node.name.full().to_owned())
        .collect()
}

async fn search(db: &Database, text: &str) -> Vec<String> {
    let filter = PersonFilter {
        name: Some(text.to_owned()),
        ..PersonFilter::default()
    };
    names(&db.people(&filter, &PageRequest::first(100)).await.unwrap())
}

#[tokio::test]
async fn every_field_of_a_person_round_trips_byte_exact() {
    each_engine(|db| async move {
        let mut details = PersonDetails::named(
            PersonName::parse("Hầu A Lềnh")
                .unwrap()
                .with_sort_override("Lềnh Hầu A")
                .unwrap(),
        );
        details.gender = Some(Gender::Male);
        details.birth_date = Some(PartialDate::parse("1973-04").unwrap());
        details.death_date = Some(PartialDate::parse("2090").unwrap());
        details.other_names = vec![OtherName {
            name: Text::parse("Hầu A Lềnh (Hmông)").unwrap(),
            note: Some(Text::parse("tên gọi khác").unwrap()),
            period: Period::new(Some(PartialDate::parse("1990").unwrap()), None).unwrap(),
        }];
        details.identifiers = vec![
            Identifier::new("wikidata", "Q10800000").unwrap(),
            Identifier::new("gazette", "hau-a-lenh").unwrap(),
        ];
        let person = Person::new(PersonId::new(), details).unwrap();
        db.create_person(&actor(), &person).await.unwrap();
        let back = db.person(person.id()).await.unwrap();
        assert_eq!(back, person);
        assert_eq!(
            back.name.full().as_bytes(),
            "Hầu A Lềnh".nfc().collect::<String>().as_bytes()
        );
        assert_eq!(
            back.birth_date.unwrap().to_string(),
            "1973-04",
            "partial dates keep their precision"
        );
    })
    .await;
}

#[tokio::test]
async fn nfd_input_is_stored_as_nfc() {
    each_engine(|db| async move {
        let nfd: String = "Trần Việt Trường".nfd().collect();
        let person = create(&db, &nfd).await;
        let back = db.person(person.id()).await.unwrap();
        assert_eq!(back.name.full(), "Trần Việt Trường");
        assert_eq!(back.name.full().len(), 23, "23 bytes in NFC");
    })
    .await;
}

#[tokio::test]
async fn folded_search_finds_a_name_however_it_is_typed() {
    each_engine(|db| async move {
        create(&db, "Trần Việt Trường").await;
        create(&db, "Trần Thị Vĩnh Nghi").await;
        create(&db, "Phạm Văn Hiểu").await;
        let nfd: String = "Trần Việt Trường".nfd().collect();
        for query in [
            "tran viet truong",
            "TRẦN VIỆT TRƯỜNG",
            nfd.as_str(),
            "Trần Việt Truờng",
            "viet tr",
            "truong",
            "Tr Vie",
        ] {
            assert_eq!(
                search(&db, query).await,
                ["Trần Việt Trường"],
                "query {query:?}"
            );
        }
        assert_eq!(
            search(&db, "tran").await,
            ["Trần Thị Vĩnh Nghi", "Trần Việt Trường"]
        );
        assert!(search(&db, "nguyen").await.is_empty());
        assert!(
            search(&db, "iet").await.is_empty(),
            "words match from their start"
        );
        assert!(matches!(
            db.people(
                &PersonFilter {
                    name: Some("  --  ".into()),
                    ..PersonFilter::default()
                },
                &PageRequest::first(10)
            )
            .await,
            Err(StorageError::InvalidInput(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn people_come_in_the_official_order_page_by_page() {
    each_engine(|db| async move {
        for name in [
            "Trần Việt Trường",
            "Lê Quang Mạnh",
            "Nguyễn Văn Hiếu",
            "Đào Anh Dũng",
            "Trần Thị Vĩnh Nghi",
            "Phạm Văn Hiểu",
        ] {
            create(&db, name).await;
        }
        let expected = [
            "Đào Anh Dũng",
            "Phạm Văn Hiểu",
            "Nguyễn Văn Hiếu",
            "Lê Quang Mạnh",
            "Trần Thị Vĩnh Nghi",
            "Trần Việt Trường",
        ];
        let first = db
            .people(&PersonFilter::default(), &PageRequest::first(4))
            .await
            .unwrap();
        assert_eq!(names(&first), expected[..4]);
        assert!(first.has_next_page);
        let cursor = first.edges.last().unwrap().cursor.clone();
        let second = db
            .people(
                &PersonFilter::default(),
                &PageRequest::after(4, cursor.clone()),
            )
            .await
            .unwrap();
        assert_eq!(names(&second), expected[4..]);
        assert!(!second.has_next_page);
        assert!(second.has_previous_page);
        let before = PageRequest::new(None, None, Some(2), Some(cursor)).unwrap();
        let back = db.people(&PersonFilter::default(), &before).await.unwrap();
        assert_eq!(names(&back), expected[1..3]);
        let bogus = PageRequest::after(4, gazette_storage::Cursor::from_text("bm90IGEgY3Vyc29y"));
        assert!(matches!(
            db.people(&PersonFilter::default(), &bogus).await,
            Err(StorageError::InvalidInput(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn a_batch_read_costs_the_same_statements_for_any_number_of_ids() {
    each_engine(|db| async move {
        let mut ids = Vec::new();
        for i in 0..30 {
            ids.push(
                create(
                    &db,
                    &format!("Nguyễn Văn Thử {}", char::from(b'A' + (i % 26) as u8)),
                )
                .await
                .id(),
            );
        }
        let count = |n: usize| {
            let db = db.clone();
            let ids = ids[..n].to_vec();
            async move {
                let before = db.statement_count();
                let people = db.people_by_ids(&ids).await.unwrap();
                assert_eq!(people.len(), n);
                db.statement_count() - before
            }
        };
        let one = count(1).await;
        let thirty = count(30).await;
        assert_eq!(one, thirty, "statements for 1 id and for 30 ids");
        assert!(one <= 2, "{one} statements");
    })
    .await;
}

#[tokio::test]
async fn identifiers_are_unique_per_scheme() {
    each_engine(|db| async move {
        let mut first = person("Phạm Văn Hiểu");
        let mut details = first.details().clone();
        details.identifiers = vec![Identifier::new("wikidata", "Q1").unwrap()];
        first.update(details.clone()).unwrap();
        db.create_person(&actor(), &first).await.unwrap();
        let second = Person::new(PersonId::new(), PersonDetails { name: PersonName::parse("Phạm Văn Hiếu").unwrap(), ..details }).unwrap();
        let error = db.create_person(&actor(), &second).await.unwrap_err();
        assert!(
            matches!(&error, StorageError::Conflict { rule, .. } if rule.contains("unique per scheme")),
            "{error:?}"
        );
        // Nothing of the refused write remains.
        assert!(matches!(db.person(second.id()).await, Err(StorageError::NotFound { .. })));
    })
    .await;
}

#[tokio::test]
async fn every_write_lands_in_the_audit_log_with_its_actor() {
    each_engine(|db| async move {
        let mut person = create(&db, "Trần Thị Vĩnh Nghi").await;
        let mut details = person.details().clone();
        details.gender = Some(Gender::Female);
        person.update(details).unwrap();
        db.update_person(&actor(), &person).await.unwrap();
        let filter = AuditFilter {
            entity: Some(("person".to_owned(), person.id().as_uuid())),
            ..AuditFilter::default()
        };
        let log = db
            .audit_log(&filter, &PageRequest::first(10))
            .await
            .unwrap();
        let operations: Vec<&str> = log
            .edges
            .iter()
            .map(|e| e.node.operation.as_str())
            .collect();
        assert_eq!(operations, ["create", "update"]);
        assert!(log.edges.iter().all(|e| e.node.actor == "test:editor"));
        assert_eq!(log.edges[1].node.summary["gender"], "female");
        let missing = person.clone();
        let unknown = Person::new(PersonId::new(), missing.into_details()).unwrap();
        assert!(matches!(
            db.update_person(&actor(), &unknown).await,
            Err(StorageError::NotFound { .. })
        ));
    })
    .await;
}

/// A bare page of people is the page without the identifiers, read with one statement fewer;
/// a name search asked again reuses the planning figures the first one asked the database for
/// (on PostgreSQL the estimates of the people and each word's matches and the rarest word's
/// distinct tokens; on SQLite their counts), and finds the same people.
#[tokio::test]
async fn a_bare_page_skips_identifiers_and_a_repeated_search_reuses_its_figures() {
    each_engine(|db| async move {
        let mut details = PersonDetails::named(PersonName::parse("Trần Việt Trường").unwrap());
        details.identifiers = vec![Identifier::new("wikidata", "Q10800001").unwrap()];
        let known = Person::new(PersonId::new(), details).unwrap();
        db.create_person(&actor(), &known).await.unwrap();
        create(&db, "Trần Thị Vĩnh Nghi").await;
        create(&db, "Trần Văn Việt").await;
        create(&db, "Phạm Văn Hiểu").await;
        let filter = PersonFilter {
            name: Some("tran viet".to_owned()),
            ..PersonFilter::default()
        };
        let page = PageRequest::first(10);
        let mut costs = Vec::new();
        let mut pages = Vec::new();
        for bare in [false, false, true] {
            let before = db.statement_count();
            let found = if bare {
                db.people_bare(&filter, &page).await.unwrap()
            } else {
                db.people(&filter, &page).await.unwrap()
            };
            costs.push(db.statement_count() - before);
            pages.push(found);
        }
        assert_eq!(names(&pages[0]), ["Trần Việt Trường", "Trần Văn Việt"]);
        assert_eq!(pages[1], pages[0]);
        let mut without = pages[0].clone();
        for edge in &mut without.edges {
            let mut details = edge.node.clone().into_details();
            details.identifiers.clear();
            edge.node = Person::new(edge.node.id(), details).unwrap();
        }
        assert_eq!(pages[2], without);
        assert_eq!(pages[0].edges[0].node, known);
        assert_eq!(costs[2], costs[1] - 1, "no identifiers read: {costs:?}");
        if is_postgres(&db) {
            // Two words: the people, the two words' matches, the rarest word's tokens.
            assert_eq!(costs[0] - costs[1], 4, "figures kept: {costs:?}");
        } else {
            // The people, the two words' matches and their tokens, counted in one statement.
            assert_eq!(costs[0] - costs[1], 1, "figures kept: {costs:?}");
        }
    })
    .await;
}
