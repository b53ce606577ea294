//! Storage tests: organizations and posts.

use std::num::NonZeroU32;

use gazette_domain::DomainError;
use gazette_domain::date::{PartialDate, Period};
use gazette_domain::identifier::{Identifier, OtherName};
use gazette_domain::ids::{OrganizationId, PostId};
use gazette_domain::organization::{
    Classification, Level, Organization, OrganizationDetails, OrganizationError, Succession,
    SuccessionKind,
};
use gazette_domain::post::{Post, PostDetails, PostError, Seats};
use gazette_domain::text::Text;
use gazette_storage::organizations::OrganizationFilter;
use gazette_storage::{AuditFilter, Database, Page, PageRequest, StorageError};

use crate::harness::{actor, each_engine};

/// Records an organization with a name, a classification, a level and a parent, living always.
pub async fn create_organization(
    db: &Database,
    name: &str,
    classification: Classification,
    level: Option<Level>,
    parent: Option<OrganizationId>,
) -> Organization {
    let mut details = OrganizationDetails::new(Text::parse(name).unwrap(), classification);
    details.level = level;
    details.parent = parent;
    let organization = Organization::new(OrganizationId::new(), details).unwrap();
    db.create_organization(&actor(), &organization)
        .await
        .unwrap();
    organization
}

/// Records a post of `organization` with a title and seats, living as long as it may.
pub async fn create_post(
    db: &Database,
    organization: &Organization,
    title: &str,
    seats: Seats,
) -> Post {
    let post = Post::new(
        PostId::new(),
        PostDetails {
            organization: organization.id(),
            title: Text::parse(title).unwrap(),
            seats,
            life: Period::always(),
        },
    )
    .unwrap();
    db.create_post(&actor(), &post).await.unwrap();
    post
}

fn text(value: &str) -> Text {
    Text::parse(value).unwrap()
}

fn date(value: &str) -> PartialDate {
    PartialDate::parse(value).unwrap()
}

fn life(start: Option<&str>, end: Option<&str>) -> Period {
    Period::new(start.map(date), end.map(date)).unwrap()
}

/// Organization names of a page, in its order.
fn names(page: &Page<Organization>) -> Vec<String> {
    page.edges.iter().map(|e| e.node.name.to_string()).collect()
}

async fn list(db: &Database, filter: &OrganizationFilter) -> Vec<String> {
    names(
        &db.organizations(filter, &PageRequest::first(100))
            .await
            .unwrap(),
    )
}

async fn search(db: &Database, name: &str) -> Vec<String> {
    let filter = OrganizationFilter {
        name: Some(name.to_owned()),
        ..OrganizationFilter::default()
    };
    list(db, &filter).await
}

async fn audit_operations(db: &Database, kind: &str, id: uuid::Uuid) -> Vec<String> {
    let filter = AuditFilter {
        entity: Some((kind.to_owned(), id)),
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

#[tokio::test]
async fn every_field_of_an_organization_round_trips_and_an_update_replaces_them() {
    each_engine(|db| async move {
        let city = create_organization(
            &db,
            "Thành ủy Cần Thơ",
            Classification::PartyCommittee,
            Some(Level::Province),
            None,
        )
        .await;
        let propaganda = create_organization(
            &db,
            "Ban Tuyên giáo Thành ủy Cần Thơ",
            Classification::PartyBoard,
            Some(Level::Province),
            Some(city.id()),
        )
        .await;
        let mass_mobilization = create_organization(
            &db,
            "Ban Dân vận Thành ủy Cần Thơ",
            Classification::PartyBoard,
            Some(Level::Province),
            Some(city.id()),
        )
        .await;
        let mut details = OrganizationDetails::new(
            text("Ban Tuyên giáo và Dân vận Thành ủy Cần Thơ"),
            Classification::PartyBoard,
        );
        details.abbreviation = Some(text("BTG&DV Thành ủy"));
        details.level = Some(Level::Province);
        details.parent = Some(city.id());
        details.life = life(Some("2025-03"), Some("2030"));
        details.other_names = vec![OtherName {
            name: text("Ban Tuyên giáo - Dân vận"),
            note: Some(text("tên gọi tắt")),
            period: life(Some("2025-03-01"), None),
        }];
        details.predecessors = vec![
            Succession {
                predecessor: propaganda.id(),
                kind: SuccessionKind::Merger,
                date: Some(date("2025-03-01")),
            },
            Succession {
                predecessor: mass_mobilization.id(),
                kind: SuccessionKind::Reorganization,
                date: Some(date("2025")),
            },
        ];
        details.identifiers = vec![
            Identifier::new("wikidata", "Q130000001").unwrap(),
            Identifier::new("gazette", "btgdv-can-tho").unwrap(),
        ];
        let merged = Organization::new(OrganizationId::new(), details).unwrap();
        db.create_organization(&actor(), &merged).await.unwrap();
        let back = db.organization(merged.id()).await.unwrap();
        assert_eq!(back, merged);
        assert_eq!(back.life.start().unwrap().to_string(), "2025-03");
        assert_eq!(back.life.end().unwrap().to_string(), "2030");
        assert_eq!(back.predecessors[1].date.unwrap().to_string(), "2025");

        // The successors are the reverse of the predecessors.
        let successors = db
            .successors_of(&[propaganda.id(), mass_mobilization.id(), city.id()])
            .await
            .unwrap();
        assert_eq!(successors[&propaganda.id()], [merged.id()]);
        assert_eq!(successors[&mass_mobilization.id()], [merged.id()]);
        assert!(successors[&city.id()].is_empty());

        // An update replaces the lists rather than adding to them.
        let mut details = merged.details().clone();
        details.abbreviation = None;
        details.level = None;
        details.life = life(Some("2025-03-01"), None);
        details.predecessors = vec![Succession {
            predecessor: mass_mobilization.id(),
            kind: SuccessionKind::Split,
            date: None,
        }];
        details.identifiers = vec![Identifier::new("wikidata", "Q130000002").unwrap()];
        details.other_names = Vec::new();
        let mut updated = merged.clone();
        updated.update(details).unwrap();
        db.update_organization(&actor(), &updated).await.unwrap();
        assert_eq!(db.organization(merged.id()).await.unwrap(), updated);
        let successors = db
            .successors_of(&[propaganda.id(), mass_mobilization.id()])
            .await
            .unwrap();
        assert!(successors[&propaganda.id()].is_empty());
        assert_eq!(successors[&mass_mobilization.id()], [merged.id()]);
        assert_eq!(
            audit_operations(&db, "organization", merged.id().as_uuid()).await,
            ["create", "update"]
        );

        // The replaced identifier is free again for another organization.
        let mut details = OrganizationDetails::new(
            text("Ban Tuyên giáo Thành ủy Cần Thơ (trước 2025)"),
            Classification::PartyBoard,
        );
        details.identifiers = vec![Identifier::new("wikidata", "Q130000001").unwrap()];
        let other = Organization::new(OrganizationId::new(), details).unwrap();
        db.create_organization(&actor(), &other).await.unwrap();
        assert_eq!(db.organization(other.id()).await.unwrap(), other);

        // An organization that does not exist cannot be updated.
        let stranger = Organization::new(OrganizationId::new(), updated.into_details()).unwrap();
        assert!(matches!(
            db.update_organization(&actor(), &stranger).await,
            Err(StorageError::NotFound {
                kind: "organization",
                ..
            })
        ));
    })
    .await;
}

#[tokio::test]
async fn every_field_of_a_post_round_trips() {
    each_engine(|db| async move {
        let mut details = OrganizationDetails::new(
            text("Hội đồng nhân dân thành phố Cần Thơ"),
            Classification::PeoplesCouncil,
        );
        details.life = life(Some("2004-01"), None);
        let council = Organization::new(OrganizationId::new(), details).unwrap();
        db.create_organization(&actor(), &council).await.unwrap();
        let mut posts = Vec::new();
        for (title, seats, post_life) in [
            ("Chủ tịch", Seats::ONE, life(Some("2004-01-02"), None)),
            (
                "Phó Chủ tịch",
                Seats::Limited(NonZeroU32::new(3).unwrap()),
                life(Some("2004"), Some("2026-06")),
            ),
            ("Ủy viên", Seats::Unlimited, Period::always()),
        ] {
            let post = Post::new(
                PostId::new(),
                PostDetails {
                    organization: council.id(),
                    title: text(title),
                    seats,
                    life: post_life,
                },
            )
            .unwrap();
            db.create_post(&actor(), &post).await.unwrap();
            assert_eq!(db.post(post.id()).await.unwrap(), post);
            posts.push(post);
        }
        let ids: Vec<PostId> = posts.iter().map(Post::id).collect();
        let mut read = db.posts_by_ids(&ids).await.unwrap();
        read.sort_by_key(Post::id);
        assert_eq!(read, posts);
        // The posts of an organization come by folded title: "Ủy viên" folds to "uy vien".
        let by_organization = db.posts_of_organizations(&[council.id()]).await.unwrap();
        let titles: Vec<String> = by_organization[&council.id()]
            .iter()
            .map(|p| p.title.to_string())
            .collect();
        assert_eq!(titles, ["Chủ tịch", "Phó Chủ tịch", "Ủy viên"]);

        // An update round-trips too, seats included.
        let mut updated = posts[2].clone();
        let mut details = updated.details().clone();
        details.seats = Seats::Limited(NonZeroU32::new(40).unwrap());
        details.title = text("Ủy viên Thường trực");
        details.life = life(Some("2021-06"), None);
        updated.update(details).unwrap();
        db.update_post(&actor(), &updated).await.unwrap();
        assert_eq!(db.post(updated.id()).await.unwrap(), updated);
        assert_eq!(
            audit_operations(&db, "post", updated.id().as_uuid()).await,
            ["create", "update"]
        );
        let stranger = Post::new(PostId::new(), updated.into_details()).unwrap();
        assert!(matches!(
            db.update_post(&actor(), &stranger).await,
            Err(StorageError::NotFound { kind: "post", .. })
        ));
    })
    .await;
}

#[tokio::test]
async fn a_parent_that_would_make_a_cycle_is_rejected_and_nothing_changes() {
    each_engine(|db| async move {
        let city = create_organization(
            &db,
            "Thành ủy Cần Thơ",
            Classification::PartyCommittee,
            Some(Level::Province),
            None,
        )
        .await;
        let board = create_organization(
            &db,
            "Ban Thường vụ Thành ủy Cần Thơ",
            Classification::StandingBoard,
            Some(Level::Province),
            Some(city.id()),
        )
        .await;
        let office = create_organization(
            &db,
            "Văn phòng Thành ủy Cần Thơ",
            Classification::PartyBoard,
            Some(Level::Province),
            Some(board.id()),
        )
        .await;
        let mut moved = city.clone();
        let mut details = moved.details().clone();
        details.parent = Some(office.id());
        moved.update(details).unwrap();
        let error = db.update_organization(&actor(), &moved).await.unwrap_err();
        assert_eq!(
            error,
            StorageError::Invariant(DomainError::Organization(OrganizationError::ParentCycle {
                organization: city.id(),
                parent: office.id(),
            }))
        );
        assert_eq!(db.organization(city.id()).await.unwrap(), city);
        assert_eq!(
            audit_operations(&db, "organization", city.id().as_uuid()).await,
            ["create"]
        );
        assert_eq!(
            list(
                &db,
                &OrganizationFilter {
                    roots_only: true,
                    ..OrganizationFilter::default()
                }
            )
            .await,
            ["Thành ủy Cần Thơ"]
        );

        // A parent that does not exist is named in the error.
        let mut details = office.details().clone();
        let missing = OrganizationId::new();
        details.parent = Some(missing);
        let orphan = Organization::new(OrganizationId::new(), details).unwrap();
        assert_eq!(
            db.create_organization(&actor(), &orphan).await.unwrap_err(),
            StorageError::NotFound {
                kind: "organization",
                id: missing.to_string()
            }
        );

        // Moving a branch elsewhere in the tree, without a cycle, is fine.
        let mut details = office.details().clone();
        details.parent = Some(city.id());
        let mut office_moved = office.clone();
        office_moved.update(details).unwrap();
        db.update_organization(&actor(), &office_moved)
            .await
            .unwrap();
        let children = db.children_of(&[city.id(), board.id()]).await.unwrap();
        let child_names = |id: OrganizationId| -> Vec<String> {
            children[&id].iter().map(|o| o.name.to_string()).collect()
        };
        assert_eq!(
            child_names(city.id()),
            [
                "Ban Thường vụ Thành ủy Cần Thơ",
                "Văn phòng Thành ủy Cần Thơ"
            ]
        );
        assert!(child_names(board.id()).is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_post_outside_its_organizations_life_is_rejected() {
    each_engine(|db| async move {
        let mut details = OrganizationDetails::new(
            text("Ban Tuyên giáo và Dân vận Thành ủy Cần Thơ"),
            Classification::PartyBoard,
        );
        details.life = life(Some("2025-03"), None);
        let board = Organization::new(OrganizationId::new(), details).unwrap();
        db.create_organization(&actor(), &board).await.unwrap();
        let early = Post::new(
            PostId::new(),
            PostDetails {
                organization: board.id(),
                title: text("Trưởng ban"),
                seats: Seats::ONE,
                life: life(Some("2020-01-01"), None),
            },
        )
        .unwrap();
        let error = db.create_post(&actor(), &early).await.unwrap_err();
        assert!(
            matches!(
                &error,
                StorageError::Invariant(DomainError::Post(PostError::OutsideOrganizationLife { post, .. }))
                    if *post == early.id()
            ),
            "{error:?}"
        );
        assert!(matches!(
            db.post(early.id()).await,
            Err(StorageError::NotFound { .. })
        ));

        // Within the month the organization was founded, a post may begin.
        let head = create_post(&db, &board, "Trưởng ban", Seats::ONE).await;
        let mut dated = head.clone();
        let mut details = dated.details().clone();
        details.life = life(Some("2025-03-15"), None);
        dated.update(details.clone()).unwrap();
        db.update_post(&actor(), &dated).await.unwrap();

        // Moving the post's start before the organization's is refused like creating it.
        details.life = life(Some("2024"), None);
        let mut too_early = dated.clone();
        too_early.update(details).unwrap();
        assert!(matches!(
            db.update_post(&actor(), &too_early).await,
            Err(StorageError::Invariant(DomainError::Post(
                PostError::OutsideOrganizationLife { .. }
            )))
        ));
        assert_eq!(db.post(head.id()).await.unwrap(), dated);

        // Nor can the organization's life shrink away from under its post.
        let mut shrunk = board.clone();
        let mut details = shrunk.details().clone();
        details.life = life(Some("2025-04"), None);
        shrunk.update(details).unwrap();
        assert!(matches!(
            db.update_organization(&actor(), &shrunk).await,
            Err(StorageError::Invariant(DomainError::Post(
                PostError::OutsideOrganizationLife { .. }
            )))
        ));
        assert_eq!(db.organization(board.id()).await.unwrap(), board);
    })
    .await;
}

#[tokio::test]
async fn organizations_list_by_classification_level_parent_and_roots_page_by_page() {
    each_engine(|db| async move {
        let city = create_organization(
            &db,
            "Thành ủy Cần Thơ",
            Classification::PartyCommittee,
            Some(Level::Province),
            None,
        )
        .await;
        let committee = create_organization(
            &db,
            "Ủy ban nhân dân thành phố Cần Thơ",
            Classification::PeoplesCommittee,
            Some(Level::Province),
            None,
        )
        .await;
        for name in [
            "Ban Tổ chức Thành ủy Cần Thơ",
            "Ban Dân vận Thành ủy Cần Thơ",
            "Ban Tuyên giáo Thành ủy Cần Thơ",
            "Ban Nội chính Thành ủy Cần Thơ",
            "Ủy ban Kiểm tra Thành ủy Cần Thơ",
        ] {
            create_organization(
                &db,
                name,
                Classification::PartyBoard,
                Some(Level::Province),
                Some(city.id()),
            )
            .await;
        }
        create_organization(
            &db,
            "Sở Nội vụ thành phố Cần Thơ",
            Classification::Department,
            Some(Level::Province),
            Some(committee.id()),
        )
        .await;
        create_organization(
            &db,
            "Huyện ủy Phong Điền",
            Classification::PartyCommittee,
            Some(Level::District),
            Some(city.id()),
        )
        .await;

        let boards = OrganizationFilter {
            classification: Some(Classification::PartyBoard),
            ..OrganizationFilter::default()
        };
        let expected = [
            "Ban Dân vận Thành ủy Cần Thơ",
            "Ban Nội chính Thành ủy Cần Thơ",
            "Ban Tổ chức Thành ủy Cần Thơ",
            "Ban Tuyên giáo Thành ủy Cần Thơ",
            "Ủy ban Kiểm tra Thành ủy Cần Thơ",
        ];
        assert_eq!(list(&db, &boards).await, expected);

        // Page by page, forwards and backwards, with the same order.
        let first = db
            .organizations(&boards, &PageRequest::first(2))
            .await
            .unwrap();
        assert_eq!(names(&first), expected[..2]);
        assert!(first.has_next_page && !first.has_previous_page);
        let second = db
            .organizations(
                &boards,
                &PageRequest::after(2, first.edges[1].cursor.clone()),
            )
            .await
            .unwrap();
        assert_eq!(names(&second), expected[2..4]);
        let third = db
            .organizations(
                &boards,
                &PageRequest::after(2, second.edges[1].cursor.clone()),
            )
            .await
            .unwrap();
        assert_eq!(names(&third), expected[4..]);
        assert!(!third.has_next_page && third.has_previous_page);
        let back =
            PageRequest::new(None, None, Some(2), Some(third.edges[0].cursor.clone())).unwrap();
        assert_eq!(
            names(&db.organizations(&boards, &back).await.unwrap()),
            expected[2..4]
        );

        let under_city = OrganizationFilter {
            parent: Some(city.id()),
            ..OrganizationFilter::default()
        };
        assert_eq!(list(&db, &under_city).await.len(), 6);
        let districts = OrganizationFilter {
            level: Some(Level::District),
            ..OrganizationFilter::default()
        };
        assert_eq!(list(&db, &districts).await, ["Huyện ủy Phong Điền"]);
        let committees_under_city = OrganizationFilter {
            classification: Some(Classification::PartyCommittee),
            parent: Some(city.id()),
            ..OrganizationFilter::default()
        };
        assert_eq!(
            list(&db, &committees_under_city).await,
            ["Huyện ủy Phong Điền"]
        );
        let roots = OrganizationFilter {
            roots_only: true,
            ..OrganizationFilter::default()
        };
        assert_eq!(
            list(&db, &roots).await,
            ["Thành ủy Cần Thơ", "Ủy ban nhân dân thành phố Cần Thơ"]
        );
        let contradictory = OrganizationFilter {
            roots_only: true,
            parent: Some(city.id()),
            ..OrganizationFilter::default()
        };
        assert!(matches!(
            db.organizations(&contradictory, &PageRequest::first(10))
                .await,
            Err(StorageError::InvalidInput(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn organizations_are_found_by_folded_word_prefixes_of_their_name() {
    each_engine(|db| async move {
        for (name, classification) in [
            ("Ban Dân vận Thành ủy Cần Thơ", Classification::PartyBoard),
            (
                "Ban Tuyên giáo và Dân vận Tỉnh ủy Bắc Giang",
                Classification::PartyBoard,
            ),
            (
                "Ban Tuyên giáo Thành ủy Cần Thơ",
                Classification::PartyBoard,
            ),
            (
                "Văn phòng UBND thành phố Cần Thơ",
                Classification::Department,
            ),
            (
                "Ủy ban nhân dân thành phố Cần Thơ",
                Classification::PeoplesCommittee,
            ),
            (
                "Uỷ ban nhân dân tỉnh Khánh Hoà",
                Classification::PeoplesCommittee,
            ),
            (
                "Hội đồng nhân dân thành phố Cần Thơ",
                Classification::PeoplesCouncil,
            ),
            (
                "Công ty TNHH MTV Xổ số kiến thiết Cần Thơ",
                Classification::Enterprise,
            ),
        ] {
            create_organization(&db, name, classification, None, None).await;
        }
        let dan_van = [
            "Ban Dân vận Thành ủy Cần Thơ",
            "Ban Tuyên giáo và Dân vận Tỉnh ủy Bắc Giang",
        ];
        assert_eq!(search(&db, "ban dan van").await, dan_van);
        assert_eq!(search(&db, "BAN DÂN VẬN").await, dan_van);
        assert_eq!(search(&db, "dân v").await, dan_van);
        assert_eq!(
            search(&db, "UBND").await,
            ["Văn phòng UBND thành phố Cần Thơ"]
        );
        assert_eq!(
            search(&db, "ubnd can").await,
            ["Văn phòng UBND thành phố Cần Thơ"]
        );
        // Old and new tone placement are the same word.
        let committees = [
            "Ủy ban nhân dân thành phố Cần Thơ",
            "Uỷ ban nhân dân tỉnh Khánh Hoà",
        ];
        assert_eq!(search(&db, "Ủy ban nhân dân").await, committees);
        assert_eq!(search(&db, "Uỷ ban nhân dân").await, committees);
        assert_eq!(
            search(&db, "khanh hòa").await,
            ["Uỷ ban nhân dân tỉnh Khánh Hoà"]
        );
        // Words match from their start only, and every word must match.
        assert!(search(&db, "an dan").await.is_empty());
        assert!(search(&db, "ban dan van ha noi").await.is_empty());
        // LIKE's wildcards in a query separate words like any punctuation: "x_s" is the two
        // words "x" and "s", and "%" alone has no word at all.
        assert_eq!(
            search(&db, "x_s%kiến").await,
            ["Công ty TNHH MTV Xổ số kiến thiết Cần Thơ"]
        );
        assert!(matches!(
            db.organizations(
                &OrganizationFilter {
                    name: Some("%".to_owned()),
                    ..OrganizationFilter::default()
                },
                &PageRequest::first(10)
            )
            .await,
            Err(StorageError::InvalidInput(_))
        ));
        assert!(matches!(
            db.organizations(
                &OrganizationFilter {
                    name: Some(" -- ".to_owned()),
                    ..OrganizationFilter::default()
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
async fn batch_reads_of_organizations_cost_the_same_statements_for_any_number_of_ids() {
    each_engine(|db| async move {
        let mut ids = Vec::new();
        for i in 0..30 {
            let parent = create_organization(
                &db,
                &format!("Đảng ủy xã thứ {i}"),
                Classification::PartyCommittee,
                Some(Level::Commune),
                None,
            )
            .await;
            create_organization(
                &db,
                &format!("Ban Thường vụ Đảng ủy xã thứ {i}"),
                Classification::StandingBoard,
                Some(Level::Commune),
                Some(parent.id()),
            )
            .await;
            create_post(&db, &parent, "Bí thư", Seats::ONE).await;
            create_post(&db, &parent, "Phó Bí thư", Seats::Unlimited).await;
            ids.push(parent.id());
        }
        let count = |n: usize| {
            let db = db.clone();
            let ids = ids[..n].to_vec();
            async move {
                let mut counts = Vec::new();
                let before = db.statement_count();
                assert_eq!(db.organizations_by_ids(&ids).await.unwrap().len(), n);
                counts.push(db.statement_count() - before);
                let before = db.statement_count();
                let children = db.children_of(&ids).await.unwrap();
                assert!(children.values().all(|c| c.len() == 1));
                assert_eq!(children.len(), n);
                counts.push(db.statement_count() - before);
                let before = db.statement_count();
                let posts = db.posts_of_organizations(&ids).await.unwrap();
                assert!(posts.values().all(|p| p.len() == 2));
                assert_eq!(posts.len(), n);
                counts.push(db.statement_count() - before);
                let before = db.statement_count();
                assert_eq!(db.successors_of(&ids).await.unwrap().len(), n);
                counts.push(db.statement_count() - before);
                counts
            }
        };
        let one = count(1).await;
        let thirty = count(30).await;
        assert_eq!(one, thirty, "statements for 1 id and for 30 ids");
        assert_eq!(
            one,
            [3, 3, 1, 1],
            "organizations, children, posts, successors"
        );
    })
    .await;
}
