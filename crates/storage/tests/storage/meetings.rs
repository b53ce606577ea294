//! Meetings: round trips, the founding example's conference and its chairs' capacities, lists
//! with filters and pages, and batch reads.
//!
//! The fixtures here (the Cần Thơ city leadership of January 2021 and its conference) are
//! shared with the directive and task tests.

use chrono::NaiveDate;
use gazette_domain::DomainError;
use gazette_domain::date::{PartialDate, PartialDateTime, Period};
use gazette_domain::holding::{Holding, HoldingDetails, HoldingKind};
use gazette_domain::ids::{HoldingId, MeetingId, OrganizationId, PersonId, PostId};
use gazette_domain::meeting::{Meeting, MeetingDetails, MeetingError, MeetingKind, Participant};
use gazette_domain::name::PersonName;
use gazette_domain::organization::{Classification, Organization, OrganizationDetails};
use gazette_domain::person::{Person, PersonDetails};
use gazette_domain::post::{Post, PostDetails, Seats};
use gazette_domain::text::Text;
use gazette_storage::meetings::MeetingFilter;
use gazette_storage::{AuditFilter, Database, PageRequest, StorageError};
use unicode_normalization::UnicodeNormalization;

use crate::harness::{actor, each_engine};

/// A day written "YYYY-MM-DD".
pub fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// A single-line text.
pub fn text(value: &str) -> Text {
    Text::parse(value).unwrap()
}

/// Records an organization.
pub async fn organization(
    db: &Database,
    name: &str,
    classification: Classification,
) -> Organization {
    let organization = Organization::new(
        OrganizationId::new(),
        OrganizationDetails::new(text(name), classification),
    )
    .unwrap();
    db.create_organization(&actor(), &organization)
        .await
        .unwrap();
    organization
}

/// Records a post of an organization.
pub async fn post(db: &Database, organization: &Organization, title: &str, seats: Seats) -> Post {
    let post = Post::new(
        PostId::new(),
        PostDetails {
            organization: organization.id(),
            title: text(title),
            seats,
            life: Period::always(),
        },
    )
    .unwrap();
    db.create_post(&actor(), &post).await.unwrap();
    post
}

/// Records a person.
pub async fn person(db: &Database, name: &str) -> Person {
    let person = Person::new(
        PersonId::new(),
        PersonDetails::named(PersonName::parse(name).unwrap()),
    )
    .unwrap();
    db.create_person(&actor(), &person).await.unwrap();
    person
}

/// Appoints a person to a post from `start` to `end` (partial dates).
pub async fn appoint(
    db: &Database,
    person: &Person,
    post: &Post,
    start: &str,
    end: Option<&str>,
) -> Holding {
    let holding = Holding::new(
        HoldingId::new(),
        HoldingDetails {
            person: person.id(),
            post: post.id(),
            period: Period::new(
                Some(PartialDate::parse(start).unwrap()),
                end.map(|e| PartialDate::parse(e).unwrap()),
            )
            .unwrap(),
            kind: HoldingKind::Elected,
            term: None,
            document: None,
            end_reason: None,
        },
    )
    .unwrap();
    db.appoint(&actor(), &holding).await.unwrap();
    holding
}

/// Cần Thơ's city leadership on 15-1-2021, as the founding example names it.
pub struct CanTho {
    /// Ban Thường vụ Thành ủy Cần Thơ, which held the conference.
    pub standing_board: Organization,
    /// Ban Dân vận Thành ủy.
    pub dan_van_board: Organization,
    /// UBND thành phố.
    pub city_committee: Organization,
    /// Phạm Văn Hiểu.
    pub hieu: Person,
    /// Trần Việt Trường.
    pub truong: Person,
    /// Trần Thị Vĩnh Nghi.
    pub nghi: Person,
    /// Phó Bí thư Thường trực Thành ủy.
    pub standing_deputy_secretary: Post,
    /// Chủ tịch HĐND thành phố.
    pub council_chair: Post,
    /// Phó Bí thư Thành ủy.
    pub deputy_secretary: Post,
    /// Chủ tịch UBND thành phố.
    pub committee_chair: Post,
    /// Trưởng Ban Dân vận Thành ủy.
    pub dan_van_head: Post,
}

/// Records Cần Thơ's leadership with the holdings the founding example implies.
pub async fn can_tho(db: &Database) -> CanTho {
    let party_committee =
        organization(db, "Thành ủy Cần Thơ", Classification::PartyCommittee).await;
    let standing_board = organization(
        db,
        "Ban Thường vụ Thành ủy Cần Thơ",
        Classification::StandingBoard,
    )
    .await;
    let council = organization(db, "HĐND thành phố Cần Thơ", Classification::PeoplesCouncil).await;
    let city_committee = organization(
        db,
        "UBND thành phố Cần Thơ",
        Classification::PeoplesCommittee,
    )
    .await;
    let dan_van_board = organization(
        db,
        "Ban Dân vận Thành ủy Cần Thơ",
        Classification::PartyBoard,
    )
    .await;
    let standing_deputy_secretary =
        post(db, &party_committee, "Phó Bí thư Thường trực", Seats::ONE).await;
    let council_chair = post(db, &council, "Chủ tịch", Seats::ONE).await;
    let deputy_secretary = post(db, &party_committee, "Phó Bí thư", Seats::Unlimited).await;
    let committee_chair = post(db, &city_committee, "Chủ tịch", Seats::ONE).await;
    let dan_van_head = post(db, &dan_van_board, "Trưởng ban", Seats::ONE).await;
    let hieu = person(db, "Phạm Văn Hiểu").await;
    let truong = person(db, "Trần Việt Trường").await;
    let nghi = person(db, "Trần Thị Vĩnh Nghi").await;
    appoint(db, &hieu, &standing_deputy_secretary, "2020-10", None).await;
    appoint(db, &hieu, &council_chair, "2020-11", Some("2021-06")).await;
    appoint(db, &truong, &deputy_secretary, "2020-10", None).await;
    appoint(db, &truong, &committee_chair, "2020-12-01", None).await;
    appoint(db, &nghi, &dan_van_head, "2016", None).await;
    CanTho {
        standing_board,
        dan_van_board,
        city_committee,
        hieu,
        truong,
        nghi,
        standing_deputy_secretary,
        council_chair,
        deputy_secretary,
        committee_chair,
        dan_van_head,
    }
}

/// The conference of 15-1-2021 with its three chairs in their capacities.
pub fn conference(city: &CanTho) -> Meeting {
    Meeting::new(
        MeetingId::new(),
        MeetingDetails {
            title: text("Hội nghị tổng kết công tác dân vận và thực hiện QCDC ở cơ sở năm 2020"),
            kind: MeetingKind::Conference,
            organizer: city.standing_board.id(),
            held_at: PartialDateTime::parse("2021-01-15").unwrap(),
            location: None,
            chairs: vec![
                Participant {
                    person: city.hieu.id(),
                    capacities: vec![city.standing_deputy_secretary.id(), city.council_chair.id()],
                },
                Participant {
                    person: city.truong.id(),
                    capacities: vec![city.deputy_secretary.id(), city.committee_chair.id()],
                },
                Participant {
                    person: city.nghi.id(),
                    capacities: vec![city.dan_van_head.id()],
                },
            ],
            attendees: Vec::new(),
            agenda: Vec::new(),
        },
    )
    .unwrap()
}

/// A meeting of `organizer` with only a title and a date.
pub fn plain_meeting(organizer: &Organization, title: &str, held_at: &str) -> Meeting {
    Meeting::new(
        MeetingId::new(),
        MeetingDetails {
            title: self::text(title),
            kind: MeetingKind::Meeting,
            organizer: organizer.id(),
            held_at: PartialDateTime::parse(held_at).unwrap(),
            location: None,
            chairs: Vec::new(),
            attendees: Vec::new(),
            agenda: Vec::new(),
        },
    )
    .unwrap()
}

fn titles(page: &gazette_storage::Page<Meeting>) -> Vec<String> {
    page.edges
        .iter()
        .map(|e| e.node.title.to_string())
        .collect()
}

#[tokio::test]
async fn every_field_of_a_meeting_round_trips_byte_exact() {
    each_engine(|db| async move {
        let city = can_tho(&db).await;
        let reporter = person(&db, "Nguyễn Thanh Thy").await;
        let mut details = conference(&city).into_details();
        // NFD input: the stored title must come back as the NFC text the domain made of it.
        details.title = text(
            &"Hội nghị tổng kết công tác dân vận năm 2020"
                .nfd()
                .collect::<String>(),
        );
        details.kind = MeetingKind::Conference;
        details.held_at = PartialDateTime::parse("2021-01-15T08:30").unwrap();
        details.location = Some(text("Hội trường Thành ủy Cần Thơ"));
        details.attendees = vec![Participant {
            person: reporter.id(),
            capacities: Vec::new(),
        }];
        details.agenda = vec![
            text("Báo cáo tổng kết công tác dân vận năm 2020"),
            text("Phát biểu chỉ đạo của đồng chí Phó Bí thư Thường trực Thành ủy"),
            text("Trao Bằng khen của UBND thành phố"),
        ];
        let meeting = Meeting::new(MeetingId::new(), details).unwrap();
        db.record_meeting(&actor(), &meeting).await.unwrap();
        let back = db.meeting(meeting.id()).await.unwrap();
        assert_eq!(back, meeting);
        assert_eq!(
            back.title.as_str().as_bytes(),
            "Hội nghị tổng kết công tác dân vận năm 2020"
                .nfc()
                .collect::<String>()
                .as_bytes()
        );
        assert_eq!(back.held_at.to_string(), "2021-01-15T08:30:00");
        assert!(back.attendees[0].capacities.is_empty());

        let monthly = plain_meeting(&city.standing_board, "Họp Ban Thường vụ", "2021-01");
        db.record_meeting(&actor(), &monthly).await.unwrap();
        let back = db.meeting(monthly.id()).await.unwrap();
        assert_eq!(
            back.held_at.to_string(),
            "2021-01",
            "partial dates keep their precision"
        );
        assert_eq!(back, monthly);
    })
    .await;
}

#[tokio::test]
async fn the_founding_conference_is_recorded_with_its_three_chairs_and_their_capacities() {
    each_engine(|db| async move {
        let city = can_tho(&db).await;
        let meeting = conference(&city);
        db.record_meeting(&actor(), &meeting).await.unwrap();
        let back = db.meeting(meeting.id()).await.unwrap();
        let chairs: Vec<(PersonId, Vec<PostId>)> = back
            .chairs
            .iter()
            .map(|c| (c.person, c.capacities.clone()))
            .collect();
        assert_eq!(
            chairs,
            vec![
                (
                    city.hieu.id(),
                    vec![city.standing_deputy_secretary.id(), city.council_chair.id()]
                ),
                (
                    city.truong.id(),
                    vec![city.deputy_secretary.id(), city.committee_chair.id()]
                ),
                (city.nghi.id(), vec![city.dan_van_head.id()]),
            ]
        );
        let audit = db
            .audit_log(
                &AuditFilter {
                    entity: Some(("meeting".to_owned(), meeting.id().as_uuid())),
                    ..AuditFilter::default()
                },
                &PageRequest::first(10),
            )
            .await
            .unwrap();
        let operations: Vec<&str> = audit
            .edges
            .iter()
            .map(|e| e.node.operation.as_str())
            .collect();
        assert_eq!(operations, ["record_meeting"]);
    })
    .await;
}

#[tokio::test]
async fn a_chair_named_in_a_post_they_did_not_hold_is_rejected_and_nothing_is_written() {
    each_engine(|db| async move {
        let city = can_tho(&db).await;
        let mut details = conference(&city).into_details();
        // Trần Thị Vĩnh Nghi never chaired the People's Committee.
        details.chairs[2].capacities = vec![city.committee_chair.id()];
        let wrong_post = Meeting::new(MeetingId::new(), details).unwrap();
        let error = db.record_meeting(&actor(), &wrong_post).await.unwrap_err();
        assert!(
            matches!(
                &error,
                StorageError::Invariant(DomainError::Meeting(MeetingError::CapacityNotHeld {
                    person,
                    post,
                    ..
                })) if *person == city.nghi.id() && *post == city.committee_chair.id()
            ),
            "{error:?}"
        );
        assert!(matches!(
            db.meeting(wrong_post.id()).await,
            Err(StorageError::NotFound { .. })
        ));

        // Phạm Văn Hiểu chaired the People's Council until 2021-06 only.
        let mut later = conference(&city).into_details();
        later.held_at = PartialDateTime::parse("2021-09-20").unwrap();
        let after_the_holding = Meeting::new(MeetingId::new(), later).unwrap();
        assert!(matches!(
            db.record_meeting(&actor(), &after_the_holding).await,
            Err(StorageError::Invariant(DomainError::Meeting(
                MeetingError::CapacityNotHeld { .. }
            )))
        ));

        let mut unknown = conference(&city).into_details();
        unknown.organizer = OrganizationId::new();
        let unknown = Meeting::new(MeetingId::new(), unknown).unwrap();
        assert!(matches!(
            db.record_meeting(&actor(), &unknown).await,
            Err(StorageError::NotFound {
                kind: "organization",
                ..
            })
        ));
        let mut unknown_post = conference(&city).into_details();
        unknown_post.chairs[0].capacities.push(PostId::new());
        let unknown_post = Meeting::new(MeetingId::new(), unknown_post).unwrap();
        assert!(matches!(
            db.record_meeting(&actor(), &unknown_post).await,
            Err(StorageError::NotFound { kind: "post", .. })
        ));
        let listed = db
            .meetings(&MeetingFilter::default(), &PageRequest::first(10))
            .await
            .unwrap();
        assert!(listed.edges.is_empty(), "no rejected meeting was written");
    })
    .await;
}

#[tokio::test]
async fn updating_a_meeting_replaces_its_participants_under_the_same_rules() {
    each_engine(|db| async move {
        let city = can_tho(&db).await;
        let meeting = conference(&city);
        db.record_meeting(&actor(), &meeting).await.unwrap();
        let mut details = meeting.clone().into_details();
        details.chairs.truncate(1);
        details.attendees = vec![Participant {
            person: city.nghi.id(),
            capacities: vec![city.dan_van_head.id()],
        }];
        details.location = Some(text("Cần Thơ"));
        let mut updated = meeting.clone();
        updated.update(details).unwrap();
        db.update_meeting(&actor(), &updated).await.unwrap();
        assert_eq!(db.meeting(meeting.id()).await.unwrap(), updated);

        let mut wrong = updated.clone().into_details();
        wrong.attendees[0].capacities = vec![city.council_chair.id()];
        let mut rejected = updated.clone();
        rejected.update(wrong).unwrap();
        assert!(matches!(
            db.update_meeting(&actor(), &rejected).await,
            Err(StorageError::Invariant(DomainError::Meeting(
                MeetingError::CapacityNotHeld { .. }
            )))
        ));
        assert_eq!(
            db.meeting(meeting.id()).await.unwrap(),
            updated,
            "a rejected update changes nothing"
        );
        let missing = plain_meeting(&city.standing_board, "Không có", "2021");
        assert!(matches!(
            db.update_meeting(&actor(), &missing).await,
            Err(StorageError::NotFound {
                kind: "meeting",
                ..
            })
        ));
    })
    .await;
}

#[tokio::test]
async fn meetings_are_listed_by_organizer_date_window_and_folded_title_page_by_page() {
    each_engine(|db| async move {
        let city = can_tho(&db).await;
        let founding = conference(&city);
        db.record_meeting(&actor(), &founding).await.unwrap();
        let others = [
            plain_meeting(&city.standing_board, "Họp Ban Thường vụ tháng 1", "2021-01"),
            plain_meeting(
                &city.standing_board,
                "Hội nghị sơ kết 6 tháng",
                "2021-07-10",
            ),
            plain_meeting(
                &city.city_committee,
                "Phiên họp UBND thường kỳ",
                "2021-01-28",
            ),
            plain_meeting(
                &city.dan_van_board,
                "Giao ban công tác dân vận",
                "2020-12-30",
            ),
            plain_meeting(&city.dan_van_board, "Tổng kết 100%_dân vận", "2021"),
        ];
        for meeting in &others {
            db.record_meeting(&actor(), meeting).await.unwrap();
        }
        let list = |filter: MeetingFilter| {
            let db = db.clone();
            async move {
                titles(
                    &db.meetings(&filter, &PageRequest::first(100))
                        .await
                        .unwrap(),
                )
            }
        };
        // Ordered by first day, then id: "2021" starts on 2021-01-01, "2021-01" too, and the
        // one recorded first has the smaller id.
        assert_eq!(
            list(MeetingFilter::default()).await,
            [
                "Giao ban công tác dân vận",
                "Họp Ban Thường vụ tháng 1",
                "Tổng kết 100%_dân vận",
                "Hội nghị tổng kết công tác dân vận và thực hiện QCDC ở cơ sở năm 2020",
                "Phiên họp UBND thường kỳ",
                "Hội nghị sơ kết 6 tháng",
            ]
        );
        assert_eq!(
            list(MeetingFilter {
                organizer: Some(city.standing_board.id()),
                ..MeetingFilter::default()
            })
            .await,
            [
                "Họp Ban Thường vụ tháng 1",
                "Hội nghị tổng kết công tác dân vận và thực hiện QCDC ở cơ sở năm 2020",
                "Hội nghị sơ kết 6 tháng",
            ]
        );
        assert_eq!(
            list(MeetingFilter {
                from: Some(day("2021-01-20")),
                to: Some(day("2021-01-31")),
                ..MeetingFilter::default()
            })
            .await,
            [
                "Họp Ban Thường vụ tháng 1",
                "Tổng kết 100%_dân vận",
                "Phiên họp UBND thường kỳ",
            ],
            "a partial date is in every window it may overlap"
        );
        assert_eq!(
            list(MeetingFilter {
                to: Some(day("2020-12-31")),
                ..MeetingFilter::default()
            })
            .await,
            ["Giao ban công tác dân vận"]
        );
        assert_eq!(
            list(MeetingFilter {
                title: Some("DAN VAN".to_owned()),
                organizer: Some(city.dan_van_board.id()),
                ..MeetingFilter::default()
            })
            .await,
            ["Giao ban công tác dân vận", "Tổng kết 100%_dân vận"]
        );
        assert_eq!(
            list(MeetingFilter {
                title: Some("100%_".to_owned()),
                ..MeetingFilter::default()
            })
            .await,
            ["Tổng kết 100%_dân vận"],
            "LIKE wildcards in a title search are literal"
        );
        assert_eq!(
            list(MeetingFilter {
                title: Some("%".to_owned()),
                ..MeetingFilter::default()
            })
            .await,
            ["Tổng kết 100%_dân vận"]
        );

        let first = db
            .meetings(&MeetingFilter::default(), &PageRequest::first(4))
            .await
            .unwrap();
        assert_eq!(titles(&first).len(), 4);
        assert!(first.has_next_page);
        let second = db
            .meetings(
                &MeetingFilter::default(),
                &PageRequest::after(4, first.edges.last().unwrap().cursor.clone()),
            )
            .await
            .unwrap();
        assert_eq!(
            titles(&second),
            ["Phiên họp UBND thường kỳ", "Hội nghị sơ kết 6 tháng"]
        );
        assert!(!second.has_next_page);
        assert!(matches!(
            db.meetings(
                &MeetingFilter {
                    title: Some(" \t ".to_owned()),
                    ..MeetingFilter::default()
                },
                &PageRequest::first(4)
            )
            .await,
            Err(StorageError::InvalidInput(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn meetings_by_ids_costs_the_same_statements_for_1_and_30_ids() {
    each_engine(|db| async move {
        let city = can_tho(&db).await;
        let mut ids = Vec::new();
        for i in 0..30 {
            let mut meeting = conference(&city).into_details();
            meeting.title = text(&format!("Hội nghị số {i}"));
            let meeting = Meeting::new(MeetingId::new(), meeting).unwrap();
            db.record_meeting(&actor(), &meeting).await.unwrap();
            ids.push(meeting.id());
        }
        let count = |n: usize| {
            let db = db.clone();
            let ids = ids[..n].to_vec();
            async move {
                let before = db.statement_count();
                let meetings = db.meetings_by_ids(&ids).await.unwrap();
                assert_eq!(meetings.len(), n);
                assert!(meetings.iter().all(|m| m.chairs.len() == 3));
                db.statement_count() - before
            }
        };
        let one = count(1).await;
        let thirty = count(30).await;
        assert_eq!(one, thirty, "statements for 1 id and for 30 ids");
        assert_eq!(one, 2, "the meeting rows and their participants");
    })
    .await;
}

#[tokio::test]
async fn meetings_of_people_come_whole_in_one_statement() {
    each_engine(|db| async move {
        let city = can_tho(&db).await;
        let founding = conference(&city);
        db.record_meeting(&actor(), &founding).await.unwrap();
        let mut attended =
            plain_meeting(&city.dan_van_board, "Giao ban dân vận", "2021-02-03").into_details();
        attended.chairs = vec![Participant {
            person: city.nghi.id(),
            capacities: vec![city.dan_van_head.id()],
        }];
        attended.attendees = vec![Participant {
            person: city.hieu.id(),
            capacities: Vec::new(),
        }];
        let attended = Meeting::new(MeetingId::new(), attended).unwrap();
        db.record_meeting(&actor(), &attended).await.unwrap();
        let nobody = person(&db, "Lê Văn Không").await;

        let people = [city.hieu.id(), city.nghi.id(), nobody.id()];
        let before = db.statement_count();
        let chaired = db.meetings_chaired_by(&people).await.unwrap();
        assert_eq!(db.statement_count() - before, 1, "one statement");
        assert_eq!(chaired[&city.hieu.id()], std::slice::from_ref(&founding));
        assert_eq!(
            chaired[&city.nghi.id()],
            [founding.clone(), attended.clone()]
        );
        assert!(chaired[&nobody.id()].is_empty());

        let before = db.statement_count();
        let all = db.meetings_of_people(&people).await.unwrap();
        assert_eq!(db.statement_count() - before, 1, "one statement");
        assert_eq!(
            all[&city.hieu.id()],
            [founding.clone(), attended.clone()],
            "meetings attended count too, whole and in date order"
        );
        assert!(all[&nobody.id()].is_empty());
        assert!(db.meetings_of_people(&[]).await.unwrap().is_empty());
    })
    .await;
}
