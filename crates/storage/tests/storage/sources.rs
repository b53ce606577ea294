//! Sources and citations: round trips, title and publisher search in pages, citations read both
//! ways, and batch reads.

use chrono::{DateTime, Utc};
use gazette_domain::award::form::{AwardForm, RecipientKind};
use gazette_domain::award::{
    Achievement, AwardDecision, AwardDecisionDetails, DecisionStatus, UnnamedRecipients,
};
use gazette_domain::date::PartialDateTime;
use gazette_domain::ids::{AwardDecisionId, CitationId, HoldingId, PersonId, SourceId};
use gazette_domain::organization::{Classification, Level};
use gazette_domain::post::Seats;
use gazette_domain::source::{
    Citation, CitationDetails, ContentHash, Source, SourceDetails, SourceKind, Subject, Url,
};
use gazette_domain::text::Text;
use gazette_storage::sources::SourceFilter;
use gazette_storage::{AuditFilter, Database, PageRequest, StorageError};
use unicode_normalization::UnicodeNormalization;

use crate::harness::{actor, each_engine};
use crate::holdings::{appoint, create_person, period};
use crate::organizations::{create_organization, create_post};

const ARTICLE: &str = "Đồng chí Phạm Văn Hiểu, Phó Bí thư Thường trực Thành ủy, Chủ tịch HĐND \
                       thành phố: Nâng cao hiệu quả công tác dân vận và thực hiện quy chế dân chủ \
                       ở cơ sở";

fn text(value: &str) -> Text {
    Text::parse(value).unwrap()
}

fn news(title: &str, publisher: Option<&str>) -> Source {
    let mut details = SourceDetails::new(SourceKind::NewsArticle, text(title));
    details.publisher = publisher.map(text);
    Source::new(SourceId::new(), details).unwrap()
}

async fn create(db: &Database, title: &str, publisher: Option<&str>) -> Source {
    let source = news(title, publisher);
    db.create_source(&actor(), &source).await.unwrap();
    source
}

fn citation(source: &Source, subject: Subject, note: Option<&str>) -> Citation {
    Citation::new(
        CitationId::new(),
        CitationDetails {
            source: source.id(),
            subject,
            note: note.map(text),
        },
    )
    .unwrap()
}

async fn titles(db: &Database, filter: &SourceFilter) -> Vec<String> {
    db.sources(filter, &PageRequest::first(100))
        .await
        .unwrap()
        .edges
        .iter()
        .map(|e| e.node.title.to_string())
        .collect()
}

fn title_search(words: &str) -> SourceFilter {
    SourceFilter {
        title: Some(words.to_owned()),
        ..SourceFilter::default()
    }
}

#[tokio::test]
async fn every_field_of_a_source_round_trips() {
    each_engine(|db| async move {
        let retrieved: DateTime<Utc> = "2026-11-20T08:30:15.123456Z".parse().unwrap();
        let mut details = SourceDetails::new(SourceKind::NewsArticle, text(ARTICLE));
        details.publisher = Some(text("Báo Cần Thơ"));
        details.url = Some(
            Url::parse(
                "https://baocantho.com.vn/nang-cao-hieu-qua-cong-tac-dan-van-va-thuc-hien-quy-che-dan-chu-o-co-so-a131270.html",
            )
            .unwrap(),
        );
        details.published_at = Some(PartialDateTime::parse("2021-01-16 05:59").unwrap());
        details.byline = Some(text("Tin, ảnh: THANH THY"));
        details.photo_credits = vec![text("NGỌC QUYÊN"), text("Ảnh: T.L")];
        details.retrieved_at = Some(retrieved);
        details.content_hash = Some(ContentHash::of_text(ARTICLE));
        let article = Source::new(SourceId::new(), details).unwrap();
        db.create_source(&actor(), &article).await.unwrap();
        let back = db.source(article.id()).await.unwrap();
        assert_eq!(back, article);
        assert_eq!(
            back.published_at.unwrap().to_string(),
            "2021-01-16T05:59:00",
            "the local time is kept"
        );

        // A publication date known to the month, and a source with nothing but a title.
        let mut details = SourceDetails::new(
            SourceKind::LegalDocument,
            text("Quyết định số 163/QĐ-UBND về việc tặng Bằng khen"),
        );
        details.published_at = Some(PartialDateTime::parse("2021-01").unwrap());
        let decision_text = Source::new(SourceId::new(), details).unwrap();
        db.create_source(&actor(), &decision_text).await.unwrap();
        let bare = Source::new(
            SourceId::new(),
            SourceDetails::new(SourceKind::WebPage, text("Cổng thông tin điện tử")),
        )
        .unwrap();
        db.create_source(&actor(), &bare).await.unwrap();
        let back = db.source(decision_text.id()).await.unwrap();
        assert_eq!(back, decision_text);
        assert_eq!(back.published_at.unwrap().to_string(), "2021-01");
        assert_eq!(db.source(bare.id()).await.unwrap(), bare);

        // An update replaces every field.
        let mut changed = article.clone().into_details();
        changed.byline = Some(text("THANH THY"));
        changed.photo_credits.clear();
        changed.url = None;
        changed.published_at = Some(PartialDateTime::parse("2021-01-16").unwrap());
        let changed = Source::new(article.id(), changed).unwrap();
        db.update_source(&actor(), &changed).await.unwrap();
        assert_eq!(db.source(article.id()).await.unwrap(), changed);
        assert!(matches!(
            db.update_source(&actor(), &news("Không có", None)).await,
            Err(StorageError::NotFound { kind: "source", .. })
        ));
        assert!(matches!(
            db.source(SourceId::new()).await,
            Err(StorageError::NotFound { kind: "source", .. })
        ));
        let audited = db
            .audit_log(
                &AuditFilter {
                    entity: Some(("source".to_owned(), article.id().as_uuid())),
                    ..AuditFilter::default()
                },
                &PageRequest::first(10),
            )
            .await
            .unwrap();
        let operations: Vec<&str> = audited
            .edges
            .iter()
            .map(|e| e.node.operation.as_str())
            .collect();
        assert_eq!(operations, ["create", "update"]);
    })
    .await;
}

#[tokio::test]
async fn retrieval_times_are_kept_to_the_microsecond_on_both_engines() {
    each_engine(|db| async move {
        let mut details = SourceDetails::new(SourceKind::WebPage, text("Trang tin"));
        details.retrieved_at = Some("2026-11-20T08:30:15.123456789Z".parse().unwrap());
        let source = Source::new(SourceId::new(), details).unwrap();
        db.create_source(&actor(), &source).await.unwrap();
        let expected: DateTime<Utc> = "2026-11-20T08:30:15.123456Z".parse().unwrap();
        assert_eq!(
            db.source(source.id()).await.unwrap().retrieved_at,
            Some(expected)
        );
    })
    .await;
}

#[tokio::test]
async fn sources_are_found_by_folded_title_words_and_by_publisher_page_by_page() {
    each_engine(|db| async move {
        create(&db, ARTICLE, Some("Báo Cần Thơ")).await;
        create(
            &db,
            "Huyện ủy Vạn Ninh tổng kết thực hiện quy chế dân chủ ở cơ sở năm 2020",
            Some("Báo Khánh Hòa"),
        )
        .await;
        create(
            &db,
            "Hội nghị (dân vận khéo) của HÐND thành phố",
            Some("Báo Cần Thơ"),
        )
        .await;
        create(&db, "Kết luận số 134/TB-VPCP", None).await;

        let nfd: String = "QUY CHẾ DÂN CHỦ".nfd().collect();
        for query in ["quy che dan chu", nfd.as_str(), "Quy chê dân ch", "co so"] {
            assert_eq!(
                titles(&db, &title_search(query)).await.len(),
                2,
                "query {query:?}"
            );
        }
        assert_eq!(
            titles(&db, &title_search("dân hội")).await,
            ["Hội nghị (dân vận khéo) của HÐND thành phố"],
            "a word right after a parenthesis is a word"
        );
        assert_eq!(
            titles(&db, &title_search("hdnd")).await,
            [ARTICLE, "Hội nghị (dân vận khéo) của HÐND thành phố"],
            "Ð folds like Đ"
        );
        assert_eq!(
            titles(&db, &title_search("134")).await,
            ["Kết luận số 134/TB-VPCP"]
        );
        assert!(
            titles(&db, &title_search("an van")).await.is_empty(),
            "words match from their start"
        );
        assert!(matches!(
            db.sources(&title_search(" -- "), &PageRequest::first(10))
                .await,
            Err(StorageError::InvalidInput(_))
        ));

        let from_can_tho = SourceFilter {
            publisher: Some("Báo  Cần Thơ".nfd().collect()),
            ..SourceFilter::default()
        };
        assert_eq!(
            titles(&db, &from_can_tho).await,
            [ARTICLE, "Hội nghị (dân vận khéo) của HÐND thành phố"]
        );
        let both = SourceFilter {
            title: Some("hoi nghi".to_owned()),
            publisher: Some("Báo Cần Thơ".to_owned()),
        };
        assert_eq!(
            titles(&db, &both).await,
            ["Hội nghị (dân vận khéo) của HÐND thành phố"]
        );

        // Pages of one walk the whole list in recording order.
        let everything = titles(&db, &SourceFilter::default()).await;
        assert_eq!(everything.len(), 4);
        let mut seen = Vec::new();
        let mut request = PageRequest::first(1);
        loop {
            let page = db
                .sources(&SourceFilter::default(), &request)
                .await
                .unwrap();
            seen.extend(page.edges.iter().map(|e| e.node.title.to_string()));
            match (page.has_next_page, page.edges.last()) {
                (true, Some(last)) => request = PageRequest::after(1, last.cursor.clone()),
                _ => break,
            }
        }
        assert_eq!(seen, everything);
        assert_eq!(everything[0], ARTICLE);
    })
    .await;
}

#[tokio::test]
async fn citations_say_where_facts_came_from_and_what_cites_a_source() {
    each_engine(|db| async move {
        let article = create(&db, ARTICLE, Some("Báo Cần Thơ")).await;
        let other = create(&db, "Quyết định số 163/QĐ-UBND", None).await;
        let uncited_source = create(&db, "Trang chưa được trích dẫn", None).await;
        let hieu = create_person(&db, "Phạm Văn Hiểu").await;
        let council = create_organization(
            &db,
            "Hội đồng nhân dân thành phố Cần Thơ",
            Classification::PeoplesCouncil,
            Some(Level::Province),
            None,
        )
        .await;
        let city = create_organization(
            &db,
            "Ủy ban nhân dân thành phố Cần Thơ",
            Classification::PeoplesCommittee,
            Some(Level::Province),
            None,
        )
        .await;
        let chairman = create_post(&db, &council, "Chủ tịch", Seats::ONE).await;
        let holding = appoint(&db, &hieu, &chairman, period(Some("2021-06"), None)).await;
        let decision = AwardDecision::new(
            AwardDecisionId::new(),
            AwardDecisionDetails {
                number: None,
                signed_on: None,
                authority: city.id(),
                signer: None,
                form: AwardForm::CertificateOfMerit,
                achievement: Achievement {
                    reason: None,
                    field: None,
                    period: None,
                },
                recipients: Vec::new(),
                unnamed_recipients: vec![UnnamedRecipients {
                    kind: RecipientKind::Collective,
                    count: None,
                    note: None,
                }],
                status: DecisionStatus::Issued,
                presentations: Vec::new(),
            },
        )
        .unwrap();
        db.record_award_decision(&actor(), &decision).await.unwrap();

        let person = Subject::Person(hieu.id());
        let organization = Subject::Organization(council.id());
        let post = Subject::Post(chairman.id());
        let held = Subject::Holding(holding.id());
        let award = Subject::AwardDecision(decision.id());
        let uncited = Subject::Organization(city.id());
        let person_in_article = citation(&article, person, Some("đoạn 1"));
        let person_in_other = citation(&other, person, None);
        let holding_in_article = citation(&article, held, Some("đoạn 1"));
        let council_in_article = citation(&article, organization, None);
        let post_in_article = citation(&article, post, None);
        let award_in_other = citation(&other, award, Some("Điều 1"));
        for cited in [
            &person_in_article,
            &person_in_other,
            &holding_in_article,
            &council_in_article,
            &post_in_article,
            &award_in_other,
        ] {
            db.cite(&actor(), cited).await.unwrap();
        }

        let of = db
            .citations_of(&[person, organization, post, held, award, uncited])
            .await
            .unwrap();
        assert_eq!(of.len(), 6);
        assert_eq!(
            of[&person],
            [person_in_article.clone(), person_in_other.clone()]
        );
        assert_eq!(of[&organization], std::slice::from_ref(&council_in_article));
        assert_eq!(of[&post], std::slice::from_ref(&post_in_article));
        assert_eq!(of[&held], std::slice::from_ref(&holding_in_article));
        assert_eq!(of[&award], std::slice::from_ref(&award_in_other));
        assert!(of[&uncited].is_empty());

        let by_source = db
            .citations_of_sources(&[article.id(), other.id(), uncited_source.id()])
            .await
            .unwrap();
        assert_eq!(
            by_source[&article.id()],
            [
                person_in_article.clone(),
                holding_in_article.clone(),
                council_in_article.clone(),
                post_in_article.clone()
            ]
        );
        assert_eq!(
            by_source[&other.id()],
            [person_in_other.clone(), award_in_other.clone()]
        );
        assert!(by_source[&uncited_source.id()].is_empty());

        // Removing a citation returns it and leaves the others.
        let removed = db.uncite(&actor(), person_in_other.id()).await.unwrap();
        assert_eq!(removed, person_in_other);
        let of = db.citations_of(&[person]).await.unwrap();
        assert_eq!(of[&person], std::slice::from_ref(&person_in_article));
        assert!(matches!(
            db.uncite(&actor(), person_in_other.id()).await,
            Err(StorageError::NotFound {
                kind: "citation",
                ..
            })
        ));

        // A citation of a missing record or a missing source is refused and nothing is written.
        let ghost = citation(&article, Subject::Person(PersonId::new()), None);
        assert!(matches!(
            db.cite(&actor(), &ghost).await,
            Err(StorageError::NotFound { kind: "person", .. })
        ));
        let ghost_holding = citation(&article, Subject::Holding(HoldingId::new()), None);
        assert!(matches!(
            db.cite(&actor(), &ghost_holding).await,
            Err(StorageError::NotFound {
                kind: "holding",
                ..
            })
        ));
        let missing_source = news("Chưa được ghi", None);
        let orphan = citation(&missing_source, person, None);
        assert!(matches!(
            db.cite(&actor(), &orphan).await,
            Err(StorageError::NotFound { kind: "source", .. })
        ));
        let by_source = db
            .citations_of_sources(&[article.id(), missing_source.id()])
            .await
            .unwrap();
        assert_eq!(by_source[&article.id()].len(), 4);
        assert!(by_source[&missing_source.id()].is_empty());

        let audit = db
            .audit_log(
                &AuditFilter {
                    entity_kind: Some("citation".to_owned()),
                    ..AuditFilter::default()
                },
                &PageRequest::first(100),
            )
            .await
            .unwrap();
        let operations: Vec<&str> = audit
            .edges
            .iter()
            .map(|e| e.node.operation.as_str())
            .collect();
        assert_eq!(
            operations,
            ["cite", "cite", "cite", "cite", "cite", "cite", "uncite"]
        );
    })
    .await;
}

#[tokio::test]
async fn batch_reads_of_sources_and_citations_use_as_many_statements_for_30_ids_as_for_1() {
    each_engine(|db| async move {
        let mut sources = Vec::new();
        let mut subjects = Vec::new();
        for index in 0..30 {
            let source = create(&db, &format!("Bài báo số {index}"), Some("Báo Cần Thơ")).await;
            let person = create_person(&db, &format!("Nguyễn Văn {}", given_name(index))).await;
            let organization = create_organization(
                &db,
                &format!("Đơn vị số {index}"),
                Classification::Department,
                None,
                None,
            )
            .await;
            for subject in [
                Subject::Person(person.id()),
                Subject::Organization(organization.id()),
            ] {
                db.cite(&actor(), &citation(&source, subject, None))
                    .await
                    .unwrap();
                subjects.push(subject);
            }
            sources.push(source);
        }
        let ids: Vec<SourceId> = sources.iter().map(Source::id).collect();

        let count = |db: &Database| db.statement_count();
        let before = count(&db);
        let one = db.sources_by_ids(&ids[..1]).await.unwrap();
        let for_one = count(&db) - before;
        let before = count(&db);
        let thirty = db.sources_by_ids(&ids).await.unwrap();
        assert_eq!(for_one, count(&db) - before);
        assert_eq!(one, sources[..1]);
        assert_eq!(thirty, sources);

        let before = count(&db);
        let of_one = db.citations_of(&subjects[..1]).await.unwrap();
        let for_one = count(&db) - before;
        let before = count(&db);
        let of_sixty = db.citations_of(&subjects).await.unwrap();
        assert_eq!(for_one, count(&db) - before);
        assert_eq!(of_one[&subjects[0]].len(), 1);
        assert_eq!(of_sixty.len(), 60);
        assert!(of_sixty.values().all(|list| list.len() == 1));

        let before = count(&db);
        db.citations_of_sources(&ids[..1]).await.unwrap();
        let for_one = count(&db) - before;
        let before = count(&db);
        let by_source = db.citations_of_sources(&ids).await.unwrap();
        assert_eq!(for_one, count(&db) - before);
        assert!(by_source.values().all(|list| list.len() == 2));
    })
    .await;
}

/// A distinct given name for each index (names may not contain digits).
fn given_name(index: usize) -> String {
    let letters = b"abcdefghiklmnopqrstuvxy";
    let first = char::from(b'A' + u8::try_from(index / letters.len()).unwrap());
    let second = char::from(letters[index % letters.len()]);
    format!("{first}{second}n")
}
