//! Directives: round trips, the rules against their meeting and their issuer's posts, lists
//! with filters and pages, and batch reads.

use gazette_domain::DomainError;
use gazette_domain::award::number::DocumentNumber;
use gazette_domain::date::{PartialDate, PartialDateTime};
use gazette_domain::directive::{
    Assignee, Directive, DirectiveDetails, DirectiveError, DirectiveKind,
};
use gazette_domain::ids::{DirectiveId, MeetingId, OrganizationId, PostId};
use gazette_domain::meeting::{Meeting, MeetingError, Participant};
use gazette_domain::organization::Classification;
use gazette_domain::person::Person;
use gazette_domain::text::Prose;
use gazette_storage::directives::DirectiveFilter;
use gazette_storage::{AuditFilter, Database, PageRequest, StorageError};

use crate::harness::{actor, each_engine};
use crate::meetings::{CanTho, can_tho, conference, organization, person, plain_meeting, text};

/// A directive by `issuer`, without capacity or meeting, dated `issued_on`.
pub fn plain_directive(issuer: &Person, issued_on: &str, summary: &str) -> Directive {
    Directive::new(
        DirectiveId::new(),
        DirectiveDetails {
            issuer: Participant {
                person: issuer.id(),
                capacities: Vec::new(),
            },
            kind: DirectiveKind::Other,
            issued_on: PartialDate::parse(issued_on).unwrap(),
            meeting: None,
            document_number: None,
            summary: Prose::parse(summary).unwrap(),
            addressees: Vec::new(),
        },
    )
    .unwrap()
}

/// Records a directive with no meeting and no capacity, for the task tests.
pub async fn issued_directive(db: &Database, issued_on: &str) -> Directive {
    let issuer = person(db, "Trần Việt Trường").await;
    let directive = plain_directive(
        &issuer,
        issued_on,
        "Báo cáo kết quả thực hiện trước 10/9/2022",
    );
    db.issue_directive(&actor(), &directive).await.unwrap();
    directive
}

/// The founding conference recorded, and Phạm Văn Hiểu's directing speech at it issued.
pub async fn city_with_speech(db: &Database) -> (CanTho, Meeting, Directive) {
    let city = can_tho(db).await;
    let meeting = conference(&city);
    db.record_meeting(&actor(), &meeting).await.unwrap();
    let speech = directing_speech(&city, &meeting);
    db.issue_directive(&actor(), &speech).await.unwrap();
    (city, meeting, speech)
}

/// Phạm Văn Hiểu's directing speech at the founding conference.
pub fn directing_speech(city: &CanTho, meeting: &Meeting) -> Directive {
    Directive::new(
        DirectiveId::new(),
        DirectiveDetails {
            issuer: Participant {
                person: city.hieu.id(),
                capacities: vec![city.standing_deputy_secretary.id(), city.council_chair.id()],
            },
            kind: DirectiveKind::DirectingSpeech,
            issued_on: PartialDate::parse("2021-01-15").unwrap(),
            meeting: Some(meeting.id()),
            document_number: None,
            summary: Prose::parse(
                "Tăng cường công tác dân vận chính quyền gắn với thực hiện QCDC ở cơ sở;\n\
                 thực hiện tốt công tác tiếp dân, đối thoại trực tiếp với dân.",
            )
            .unwrap(),
            addressees: vec![
                Assignee::Group {
                    name: text("các cấp ủy đảng"),
                },
                Assignee::Organization {
                    id: city.dan_van_board.id(),
                },
                Assignee::Group {
                    name: text("Mặt trận, các tổ chức chính trị - xã hội"),
                },
            ],
        },
    )
    .unwrap()
}

fn summaries(page: &gazette_storage::Page<Directive>) -> Vec<String> {
    page.edges
        .iter()
        .map(|e| e.node.summary.to_string())
        .collect()
}

#[tokio::test]
async fn every_field_of_a_directive_round_trips_byte_exact() {
    each_engine(|db| async move {
        let (city, meeting, speech) = city_with_speech(&db).await;
        assert_eq!(db.directive(speech.id()).await.unwrap(), speech);

        let mut document = directing_speech(&city, &meeting).into_details();
        document.kind = DirectiveKind::DirectiveDocument;
        document.issued_on = PartialDate::parse("2021-01").unwrap();
        document.document_number = Some(DocumentNumber::parse("Số: 05 - CT/TU").unwrap());
        document.issuer.capacities = vec![city.standing_deputy_secretary.id()];
        let document = Directive::new(DirectiveId::new(), document).unwrap();
        db.issue_directive(&actor(), &document).await.unwrap();
        let back = db.directive(document.id()).await.unwrap();
        assert_eq!(back, document);
        assert_eq!(
            back.document_number.as_ref().unwrap().raw(),
            "Số: 05 - CT/TU",
            "document numbers keep their raw text"
        );
        assert_eq!(
            back.issued_on.to_string(),
            "2021-01",
            "partial dates keep their precision"
        );
        assert_eq!(
            back.summary.as_str().as_bytes(),
            speech.summary.as_str().as_bytes()
        );
        let audit = db
            .audit_log(
                &AuditFilter {
                    entity: Some(("directive".to_owned(), speech.id().as_uuid())),
                    ..AuditFilter::default()
                },
                &PageRequest::first(10),
            )
            .await
            .unwrap();
        assert_eq!(audit.edges.len(), 1);
        assert_eq!(audit.edges[0].node.operation, "issue_directive");
    })
    .await;
}

#[tokio::test]
async fn a_directive_dated_before_its_meeting_is_rejected_and_nothing_is_written() {
    each_engine(|db| async move {
        let city = can_tho(&db).await;
        let meeting = conference(&city);
        db.record_meeting(&actor(), &meeting).await.unwrap();
        let mut early = directing_speech(&city, &meeting).into_details();
        early.issued_on = PartialDate::parse("2021-01-14").unwrap();
        let early = Directive::new(DirectiveId::new(), early).unwrap();
        let error = db.issue_directive(&actor(), &early).await.unwrap_err();
        assert!(
            matches!(
                error,
                StorageError::Invariant(DomainError::Directive(
                    DirectiveError::BeforeMeeting { .. }
                ))
            ),
            "{error:?}"
        );
        assert!(matches!(
            db.directive(early.id()).await,
            Err(StorageError::NotFound { .. })
        ));

        let mut nowhere = directing_speech(&city, &meeting).into_details();
        nowhere.meeting = Some(MeetingId::new());
        let nowhere = Directive::new(DirectiveId::new(), nowhere).unwrap();
        assert!(matches!(
            db.issue_directive(&actor(), &nowhere).await,
            Err(StorageError::NotFound {
                kind: "meeting",
                ..
            })
        ));
        let listed = db
            .directives(&DirectiveFilter::default(), &PageRequest::first(10))
            .await
            .unwrap();
        assert!(listed.edges.is_empty(), "no rejected directive was written");
    })
    .await;
}

#[tokio::test]
async fn an_issuer_named_in_a_post_they_did_not_hold_is_rejected() {
    each_engine(|db| async move {
        let city = can_tho(&db).await;
        let meeting = conference(&city);
        db.record_meeting(&actor(), &meeting).await.unwrap();
        let mut wrong = directing_speech(&city, &meeting).into_details();
        wrong.issuer.capacities = vec![city.committee_chair.id()];
        let wrong = Directive::new(DirectiveId::new(), wrong).unwrap();
        assert!(matches!(
            db.issue_directive(&actor(), &wrong).await,
            Err(StorageError::Invariant(DomainError::Directive(
                DirectiveError::Issuer(MeetingError::CapacityNotHeld { .. })
            )))
        ));
        let mut unknown_post = directing_speech(&city, &meeting).into_details();
        unknown_post.issuer.capacities = vec![PostId::new()];
        let unknown_post = Directive::new(DirectiveId::new(), unknown_post).unwrap();
        assert!(matches!(
            db.issue_directive(&actor(), &unknown_post).await,
            Err(StorageError::NotFound { kind: "post", .. })
        ));
        let mut unknown_addressee = directing_speech(&city, &meeting).into_details();
        unknown_addressee.addressees = vec![Assignee::Organization {
            id: OrganizationId::new(),
        }];
        let unknown_addressee = Directive::new(DirectiveId::new(), unknown_addressee).unwrap();
        assert!(matches!(
            db.issue_directive(&actor(), &unknown_addressee).await,
            Err(StorageError::NotFound {
                kind: "organization",
                ..
            })
        ));
    })
    .await;
}

#[tokio::test]
async fn updating_a_directive_or_moving_its_meeting_keeps_the_directive_after_the_meeting() {
    each_engine(|db| async move {
        let (_, meeting, speech) = city_with_speech(&db).await;

        let mut changed = speech.clone().into_details();
        changed.kind = DirectiveKind::Conclusion;
        changed.addressees.truncate(1);
        let mut updated = speech.clone();
        updated.update(changed).unwrap();
        db.update_directive(&actor(), &updated).await.unwrap();
        assert_eq!(db.directive(speech.id()).await.unwrap(), updated);

        let mut early = updated.clone().into_details();
        early.issued_on = PartialDate::parse("2021-01-10").unwrap();
        let mut rejected = updated.clone();
        rejected.update(early).unwrap();
        assert!(matches!(
            db.update_directive(&actor(), &rejected).await,
            Err(StorageError::Invariant(DomainError::Directive(
                DirectiveError::BeforeMeeting { .. }
            )))
        ));

        // Moving the meeting to after the speech given at it would make the speech come first.
        let mut moved = meeting.clone().into_details();
        moved.held_at = PartialDateTime::parse("2021-01-20").unwrap();
        let mut moved_meeting = meeting.clone();
        moved_meeting.update(moved).unwrap();
        assert!(matches!(
            db.update_meeting(&actor(), &moved_meeting).await,
            Err(StorageError::Invariant(DomainError::Directive(
                DirectiveError::BeforeMeeting { .. }
            )))
        ));
        assert_eq!(db.meeting(meeting.id()).await.unwrap(), meeting);
        assert_eq!(db.directive(speech.id()).await.unwrap(), updated);
    })
    .await;
}

#[tokio::test]
async fn directives_are_listed_by_issuer_meeting_and_date_window_page_by_page() {
    each_engine(|db| async move {
        let (city, meeting, speech) = city_with_speech(&db).await;
        let other = person(&db, "Lê Quang Mạnh").await;
        let directives = [
            plain_directive(&other, "2020-12-20", "Chỉ đạo tháng 12"),
            plain_directive(&other, "2021", "Chỉ đạo cả năm 2021"),
            plain_directive(&city.truong, "2021-03-02", "Chỉ đạo tháng 3"),
            plain_directive(&other, "2021-02", "Chỉ đạo tháng 2"),
        ];
        for directive in &directives {
            db.issue_directive(&actor(), directive).await.unwrap();
        }
        let list = |filter: DirectiveFilter| {
            let db = db.clone();
            async move {
                summaries(
                    &db.directives(&filter, &PageRequest::first(100))
                        .await
                        .unwrap(),
                )
            }
        };
        let speech_summary = speech.summary.to_string();
        assert_eq!(
            list(DirectiveFilter::default()).await,
            [
                "Chỉ đạo tháng 12",
                "Chỉ đạo cả năm 2021",
                speech_summary.as_str(),
                "Chỉ đạo tháng 2",
                "Chỉ đạo tháng 3",
            ]
        );
        assert_eq!(
            list(DirectiveFilter {
                issuer: Some(other.id()),
                from: Some(crate::meetings::day("2021-02-10")),
                to: Some(crate::meetings::day("2021-02-28")),
                ..DirectiveFilter::default()
            })
            .await,
            ["Chỉ đạo cả năm 2021", "Chỉ đạo tháng 2"]
        );
        assert_eq!(
            list(DirectiveFilter {
                meeting: Some(meeting.id()),
                ..DirectiveFilter::default()
            })
            .await,
            [speech_summary.as_str()]
        );
        let first = db
            .directives(&DirectiveFilter::default(), &PageRequest::first(3))
            .await
            .unwrap();
        assert!(first.has_next_page);
        let second = db
            .directives(
                &DirectiveFilter::default(),
                &PageRequest::after(3, first.edges.last().unwrap().cursor.clone()),
            )
            .await
            .unwrap();
        assert_eq!(summaries(&second), ["Chỉ đạo tháng 2", "Chỉ đạo tháng 3"]);
        assert!(!second.has_next_page);
    })
    .await;
}

#[tokio::test]
async fn directives_of_meetings_and_by_ids_cost_the_same_statements_for_1_and_30_ids() {
    each_engine(|db| async move {
        let organizer = organization(&db, "Văn phòng Thành ủy", Classification::PartyBoard).await;
        let issuer = person(&db, "Trần Việt Trường").await;
        let mut meetings = Vec::new();
        let mut directives = Vec::new();
        for i in 0..30 {
            let meeting = plain_meeting(&organizer, &format!("Cuộc họp số {i}"), "2022-03-01");
            db.record_meeting(&actor(), &meeting).await.unwrap();
            let mut directive =
                plain_directive(&issuer, "2022-03-01", &format!("Kết luận số {i}")).into_details();
            directive.meeting = Some(meeting.id());
            let directive = Directive::new(DirectiveId::new(), directive).unwrap();
            db.issue_directive(&actor(), &directive).await.unwrap();
            meetings.push(meeting.id());
            directives.push(directive);
        }
        let ids: Vec<DirectiveId> = directives.iter().map(Directive::id).collect();
        let mut counts = Vec::new();
        for n in [1, 30] {
            let before = db.statement_count();
            let of_meetings = db.directives_of_meetings(&meetings[..n]).await.unwrap();
            let middle = db.statement_count();
            let by_ids = db.directives_by_ids(&ids[..n]).await.unwrap();
            counts.push((middle - before, db.statement_count() - middle));
            assert_eq!(of_meetings.len(), n);
            assert_eq!(of_meetings[&meetings[n - 1]], [directives[n - 1].clone()]);
            assert_eq!(by_ids.len(), n);
        }
        assert_eq!(counts[0], counts[1], "statements for 1 id and for 30 ids");
        assert_eq!(counts[0], (1, 1));
        let empty = db
            .directives_of_meetings(&[MeetingId::new()])
            .await
            .unwrap();
        assert_eq!(empty.values().map(Vec::len).sum::<usize>(), 0);
    })
    .await;
}
