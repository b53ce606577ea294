//! The bulk load path: the same records as the batch path with far fewer statements, one audit
//! entry per call, all or nothing, and the seat rule checked against the call and the stored
//! holdings.

use std::collections::BTreeMap;

use gazette_domain::DomainError;
use gazette_domain::date::Period;
use gazette_domain::holding::HoldingError;
use gazette_domain::identifier::Identifier;
use gazette_domain::ids::{HoldingId, PostId};
use gazette_domain::name::PersonName;
use gazette_domain::organization::Classification;
use gazette_domain::person::{Person, PersonDetails};
use gazette_domain::post::Seats;
use gazette_storage::{
    AuditFilter, Database, PageRequest, PersonFilter, StorageError, TaskFilter, Write, WriteKind,
};

use crate::batch::{
    FoundingExample, assert_nothing_written, audit_counts, date, holding, organization, person,
    post,
};
use crate::harness::{actor, each_engine};

#[tokio::test]
async fn the_founding_example_bulk_loads_to_the_same_records_with_one_audit_entry() {
    each_engine(|db| async move {
        let world = FoundingExample::new();
        let writes = world.writes();

        let summary = db.bulk_insert(&actor(), &writes).await.unwrap();

        assert_eq!(summary.total(), 67);
        assert_eq!(summary.count(WriteKind::AddTask), 9);
        let post_ids: Vec<PostId> = world.posts.iter().map(|p| p.id()).collect();
        assert_eq!(db.posts_by_ids(&post_ids).await.unwrap(), world.posts);
        let holding_ids: Vec<HoldingId> = world.holdings.iter().map(|h| h.id()).collect();
        let mut stored = db.holdings_by_ids(&holding_ids).await.unwrap();
        stored.sort_by_key(|h| h.id());
        let mut expected = world.holdings.clone();
        expected.sort_by_key(|h| h.id());
        assert_eq!(stored, expected);
        for person in &world.people {
            assert_eq!(&db.person(person.id()).await.unwrap(), person);
        }
        assert_eq!(db.meeting(world.meeting.id()).await.unwrap(), world.meeting);
        assert_eq!(
            db.directive(world.directive.id()).await.unwrap(),
            world.directive
        );
        let tasks = db
            .tasks_of_directives(&[world.directive.id()])
            .await
            .unwrap()
            .remove(&world.directive.id())
            .unwrap();
        assert_eq!(tasks, world.tasks);
        assert_eq!(
            db.award_decision(world.decision.id()).await.unwrap(),
            world.decision
        );
        let citations = db
            .citations_of_sources(&[world.source.id()])
            .await
            .unwrap()
            .remove(&world.source.id())
            .unwrap();
        assert_eq!(citations.len(), 33);
        // The name search reads the token table the bulk path filled.
        let found = db
            .people(
                &PersonFilter {
                    name: Some("tran viet".to_owned()),
                    ..PersonFilter::default()
                },
                &PageRequest::first(10),
            )
            .await
            .unwrap();
        assert_eq!(found.edges.len(), 1);

        let expected: BTreeMap<String, usize> = [("batch".to_owned(), 1)].into_iter().collect();
        assert_eq!(audit_counts(&db).await, expected);
        let entry = db
            .audit_log(&AuditFilter::default(), &PageRequest::first(1))
            .await
            .unwrap()
            .edges
            .remove(0)
            .node;
        assert_eq!(entry.operation, "bulk_insert");
        assert_eq!(entry.summary["add_task"], 9, "{}", entry.summary);
        assert!(db.verify_audit_chain().await.unwrap().is_intact());
    })
    .await;
}

#[tokio::test]
async fn bulk_loading_thousands_of_people_takes_a_few_statements_not_thousands() {
    each_engine(|db| async move {
        let families = [
            "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ",
        ];
        let middles = [
            "Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Xuân", "Thu", "Hoài",
            "Kim", "Bảo", "Gia", "Đình", "Công", "Quang", "Mạnh", "Tuấn", "Hồng",
        ];
        let givens = [
            "An",
            "Bình",
            "Cường",
            "Dũng",
            "Hà",
            "Hải",
            "Hạnh",
            "Hiếu",
            "Hiểu",
            "Hoa",
            "Hùng",
            "Hương",
            "Khánh",
            "Lan",
            "Linh",
            "Long",
            "Mai",
            "Nam",
            "Nga",
            "Nhung",
            "Phong",
            "Phúc",
            "Quân",
            "Sơn",
            "Tâm",
            "Thảo",
            "Trang",
            "Trường",
            "Tú",
            "Vy",
        ];
        let people: Vec<Person> = families
            .iter()
            .flat_map(|f| middles.iter().map(move |m| (f, m)))
            .flat_map(|(f, m)| givens.iter().map(move |g| person(&format!("{f} {m} {g}"))))
            .collect();
        assert_eq!(people.len(), 6_000);
        let writes: Vec<Write> = people.iter().cloned().map(Write::CreatePerson).collect();

        let before = db.statement_count();
        db.bulk_insert(&actor(), &writes).await.unwrap();
        let statements = db.statement_count() - before;

        // Two statements of people (11 values a row, under 32,000 values a statement), one of
        // name tokens, the transaction and the audit entry: a few dozen at most, where the
        // single writes would take several per person.
        assert!(statements < 40, "{statements} statements for 6,000 people");
        let stored = db
            .people_by_ids(&people.iter().map(Person::id).collect::<Vec<_>>())
            .await
            .unwrap();
        assert_eq!(stored.len(), 6_000);
    })
    .await;
}

/// The people a name search finds, paging through it 100 at a time, at most `pages` pages.
async fn search_pages(db: &Database, text: &str, pages: usize) -> Vec<Person> {
    let filter = PersonFilter {
        name: Some(text.to_owned()),
        ..PersonFilter::default()
    };
    let mut found = Vec::new();
    let mut page = db.people(&filter, &PageRequest::first(100)).await.unwrap();
    for _ in 1..pages {
        let next = page.edges.last().map(|edge| edge.cursor.clone());
        let more = page.has_next_page;
        found.extend(page.edges.into_iter().map(|edge| edge.node));
        match next {
            Some(cursor) if more => {
                page = db
                    .people(&filter, &PageRequest::after(100, cursor))
                    .await
                    .unwrap();
            }
            _ => return found,
        }
    }
    found.extend(page.edges.into_iter().map(|edge| edge.node));
    found
}

#[tokio::test]
async fn a_name_search_of_common_words_walks_the_list_and_one_of_a_rare_word_starts_from_it() {
    each_engine(|db| async move {
        let middles = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Xuân", "Đình", "Công"];
        let givens = [
            "An",
            "Bình",
            "Cường",
            "Dũng",
            "Hải",
            "Hiếu",
            "Hùng",
            "Khánh",
            "Long",
            "Nam",
            "Phong",
            "Phúc",
            "Quân",
            "Sơn",
            "Tâm",
            "Trường",
            "Tú",
            "Thành",
            "Tuấn",
            "Vinh",
        ];
        // 25,600 people, every one "Nguyễn" and, in four of five, "Văn" too: both words begin
        // more names than a word counts as rare, so "nguyen van" walks the list in order.
        let people: Vec<Person> = (0..128)
            .flat_map(|_| {
                middles.iter().flat_map(|m| {
                    givens
                        .iter()
                        .map(move |g| person(&format!("Nguyễn Văn {m} {g}")))
                })
            })
            .chain((0..5_120).map(|n| person(&format!("Nguyễn Thị {}", givens[n % 20]))))
            .collect();
        assert_eq!(people.len(), 25_600);
        let writes: Vec<Write> = people.iter().cloned().map(Write::CreatePerson).collect();
        // Loaded as `gazette bench-data` loads, so that PostgreSQL plans from statistics
        // (rebuilding the indexes ends with ANALYZE).
        let deferred = db.defer_secondary_indexes().await.unwrap();
        db.bulk_insert(&actor(), &writes).await.unwrap();
        db.rebuild_indexes(&deferred).await.unwrap();
        const { assert!(gazette_storage::people::RARE_WORD_MATCHES < 20_480) };

        let expect = |words: &[&str]| -> Vec<&Person> {
            people
                .iter()
                .filter(|p| {
                    let folded = gazette_domain::text::fold(p.name.full());
                    let name: Vec<&str> = folded.split(' ').collect();
                    words.iter().all(|w| name.iter().any(|n| n.starts_with(w)))
                })
                .collect()
        };
        for (text, words) in [
            ("nguyen van", &["nguyen", "van"][..]),
            ("Nguyễn", &["nguyen"][..]),
            ("nguyen van hung", &["nguyen", "van", "hung"][..]),
            ("ng thi t", &["ng", "thi", "t"][..]),
            ("van thi", &["van", "thi"][..]),
            // Words whose range holds several tokens, a person sometimes twice (Hữu Hùng).
            ("nguyen t", &["nguyen", "t"][..]),
            ("h", &["h"][..]),
            ("ph", &["ph"][..]),
            ("van ph", &["van", "ph"][..]),
        ] {
            let expected = expect(words);
            // The first page is the first of the list order...
            let first = db
                .people(
                    &PersonFilter {
                        name: Some(text.to_owned()),
                        ..PersonFilter::default()
                    },
                    &PageRequest::first(20),
                )
                .await
                .unwrap();
            let keys: Vec<String> = first.edges.iter().map(|e| e.node.name.sort_key()).collect();
            assert!(keys.is_sorted(), "{text:?}: {keys:?}");
            let returned: std::collections::HashSet<_> =
                first.edges.iter().map(|e| e.node.id()).collect();
            assert_eq!(returned.len(), expected.len().min(20), "{text:?}");
            if let Some(last) = keys.last() {
                for missing in expected.iter().filter(|p| !returned.contains(&p.id())) {
                    assert!(
                        &missing.name.sort_key() >= last,
                        "{text:?}: {missing:?} skipped"
                    );
                }
            }
            // The last page, paging backward, is the end of the list order.
            let last = db
                .people(
                    &PersonFilter {
                        name: Some(text.to_owned()),
                        ..PersonFilter::default()
                    },
                    &PageRequest::new(None, None, Some(20), None).unwrap(),
                )
                .await
                .unwrap();
            let mut ordered: Vec<(String, _)> = expected
                .iter()
                .map(|p| (p.name.sort_key(), p.id()))
                .collect();
            ordered.sort();
            let tail: Vec<_> = ordered
                .iter()
                .skip(ordered.len().saturating_sub(20))
                .map(|(_, id)| *id)
                .collect();
            let returned: Vec<_> = last.edges.iter().map(|e| e.node.id()).collect();
            assert_eq!(returned, tail, "{text:?}: the last page");
            // ...and paging goes on in order, each match once: through every match when they
            // are few, through the first five pages when they are many.
            let paged = search_pages(&db, text, 5).await;
            let keys: Vec<String> = paged.iter().map(|p| p.name.sort_key()).collect();
            assert!(keys.is_sorted(), "{text:?}: pages out of order");
            let ids: std::collections::BTreeSet<_> = paged.iter().map(Person::id).collect();
            assert_eq!(ids.len(), paged.len(), "{text:?}: a person twice");
            assert_eq!(paged.len(), expected.len().min(500), "{text:?}");
            if expected.len() <= 500 {
                let want: std::collections::BTreeSet<_> = expected.iter().map(|p| p.id()).collect();
                assert_eq!(ids, want, "{text:?}");
            }
        }
        assert_eq!(expect(&["nguyen", "van"]).len(), 20_480);
        assert_eq!(expect(&["van", "thi"]).len(), 0);
    })
    .await;
}

#[tokio::test]
async fn a_second_chairman_in_a_bulk_load_is_refused_and_nothing_is_written() {
    each_engine(|db| async move {
        let committee = organization(
            "Ủy ban nhân dân thành phố Cần Thơ",
            Classification::PeoplesCommittee,
            None,
        );
        let chair = post(&committee, "Chủ tịch", Seats::ONE);
        let truong = person("Trần Việt Trường");
        let rival = person("Lê Quang Mạnh");
        let truongs = holding(&truong, &chair, Period::always());
        let rivals = holding(
            &rival,
            &chair,
            Period::new(Some(date("2021-01-01")), Some(date("2021-06-30"))).unwrap(),
        );
        let writes = vec![
            Write::CreateOrganization(committee.clone()),
            Write::CreatePost(chair.clone()),
            Write::CreatePerson(truong.clone()),
            Write::CreatePerson(rival.clone()),
            Write::Appoint(truongs.clone()),
            Write::Appoint(rivals.clone()),
        ];

        let error = db.bulk_insert(&actor(), &writes).await.unwrap_err();

        assert_eq!(error.index, 5, "{error}");
        assert!(
            matches!(
                error.error,
                StorageError::Invariant(DomainError::Holding(HoldingError::SeatsExceeded { .. }))
            ),
            "{error}"
        );
        assert_nothing_written(&db, &[chair.id()], &[truongs.id(), rivals.id()]).await;
    })
    .await;
}

#[tokio::test]
async fn the_seat_rule_of_a_bulk_load_counts_the_holdings_already_stored() {
    each_engine(|db| async move {
        let committee = organization(
            "Ủy ban nhân dân thành phố Cần Thơ",
            Classification::PeoplesCommittee,
            None,
        );
        let chair = post(&committee, "Chủ tịch", Seats::ONE);
        let truong = person("Trần Việt Trường");
        let truongs = holding(&truong, &chair, Period::always());
        db.apply(
            &actor(),
            &[
                Write::CreateOrganization(committee.clone()),
                Write::CreatePost(chair.clone()),
                Write::CreatePerson(truong.clone()),
                Write::Appoint(truongs.clone()),
            ],
        )
        .await
        .unwrap();
        let rival = person("Lê Quang Mạnh");
        let rivals = holding(
            &rival,
            &chair,
            Period::new(Some(date("2021-01-01")), Some(date("2021-06-30"))).unwrap(),
        );

        let error = db
            .bulk_insert(
                &actor(),
                &[
                    Write::CreatePerson(rival.clone()),
                    Write::Appoint(rivals.clone()),
                ],
            )
            .await
            .unwrap_err();

        assert_eq!(error.index, 1, "{error}");
        match &error.error {
            StorageError::Invariant(DomainError::Holding(HoldingError::SeatsExceeded {
                conflicting,
                ..
            })) => assert_eq!(
                conflicting.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
                [truongs.id()]
            ),
            other => panic!("expected the seat rule, got {other:?}"),
        }
        assert!(
            db.person(rival.id()).await.is_err(),
            "the rival was written"
        );
    })
    .await;
}

#[tokio::test]
async fn a_change_or_a_broken_constraint_fails_the_whole_bulk_load() {
    each_engine(|db| async move {
        let hieu = person("Phạm Văn Hiểu");
        let mut renamed = hieu.details().clone();
        renamed.name = PersonName::parse("Phạm Văn Hiếu").unwrap();
        let update = Write::UpdatePerson(Person::new(hieu.id(), renamed).unwrap());
        let error = db
            .bulk_insert(&actor(), &[Write::CreatePerson(hieu.clone()), update])
            .await
            .unwrap_err();
        assert_eq!(error.index, 1);
        assert!(
            matches!(&error.error, StorageError::InvalidInput(message) if message.contains("update_person")),
            "{error}"
        );

        // A duplicate identifier is refused by the database's unique constraint: the people
        // before it in the same statement are not written either.
        let wikidata = Identifier::new("wikidata", "Q10800000").unwrap();
        let mut first = PersonDetails::named(PersonName::parse("Phạm Văn Hiểu").unwrap());
        first.identifiers = vec![wikidata.clone()];
        let mut second = PersonDetails::named(PersonName::parse("Trần Việt Trường").unwrap());
        second.identifiers = vec![wikidata];
        let writes = vec![
            Write::CreatePerson(Person::new(gazette_domain::ids::PersonId::new(), first).unwrap()),
            Write::CreatePerson(
                Person::new(gazette_domain::ids::PersonId::new(), second).unwrap(),
            ),
        ];
        let error = db.bulk_insert(&actor(), &writes).await.unwrap_err();
        assert!(
            matches!(error.error, StorageError::Conflict { .. }),
            "{error}"
        );
        assert_nothing_written(&db, &[], &[]).await;
        assert!(
            db.tasks(&TaskFilter::default(), &PageRequest::first(1))
                .await
                .unwrap()
                .edges
                .is_empty()
        );
    })
    .await;
}

#[tokio::test]
async fn secondary_indexes_set_aside_for_a_bulk_load_are_all_built_again() {
    each_engine(|db| async move {
        let deferred = db.defer_secondary_indexes().await.unwrap();
        let names: Vec<&str> = deferred.names().collect();
        assert!(names.contains(&"ix_person_sort_key_id"), "{names:?}");
        assert!(names.contains(&"ix_task_lead_id_assigned_on"), "{names:?}");
        assert!(
            !names.contains(&"ix_holding_post_id_active_from"),
            "the bulk path reads the holdings of a post: {names:?}"
        );
        assert!(
            names.iter().all(|name| !name.starts_with("ux_")),
            "unique indexes check identity during the load and stay: {names:?}"
        );
        assert!(
            db.defer_secondary_indexes().await.unwrap().is_empty(),
            "they are gone while set aside"
        );

        let world = FoundingExample::new();
        db.bulk_insert(&actor(), &world.writes()).await.unwrap();
        db.rebuild_indexes(&deferred).await.unwrap();

        // Every one is back, as it was: setting them aside again finds the same ones.
        let again = db.defer_secondary_indexes().await.unwrap();
        assert_eq!(again, deferred);
        db.rebuild_indexes(&again).await.unwrap();
        let people = db
            .people(&PersonFilter::default(), &PageRequest::first(50))
            .await
            .unwrap();
        assert_eq!(people.edges.len(), world.people.len());
    })
    .await;
}
