//! Award decisions: round trips, the authority rule, decision numbers per authority, one
//! achievement one award (also under concurrency), filtered pages, award histories and batch
//! reads.

use std::collections::HashSet;
use std::num::NonZeroU32;
use std::sync::Arc;

use gazette_domain::DomainError;
use gazette_domain::award::form::{
    AwardForm, AwardFormError, OrderClass, OrderName, RecipientKind, SignerCapacity,
};
use gazette_domain::award::number::DocumentNumber;
use gazette_domain::award::{
    Achievement, AchievementPeriod, AwardDecision, AwardDecisionDetails, AwardError,
    DecisionStatus, NamedRecipient, Presentation, RecipientRef, Signer, UnnamedRecipients,
};
use gazette_domain::date::{PartialDate, PartialDateTime};
use gazette_domain::ids::{AwardDecisionId, MeetingId, OrganizationId, PersonId};
use gazette_domain::meeting::{Meeting, MeetingDetails, MeetingKind};
use gazette_domain::organization::{Classification, Level, Organization};
use gazette_domain::person::Person;
use gazette_domain::text::{Prose, Text};
use gazette_storage::awards::{AwardDecisionFilter, AwardStatus, DecisionParts};
use gazette_storage::{AuditFilter, Database, PageRequest, StorageError};
use tokio::sync::Barrier;

use crate::harness::{actor, each_engine};
use crate::holdings::create_person;
use crate::organizations::create_organization;

const FIELD: &str = "thực hiện quy chế dân chủ ở cơ sở";

fn text(value: &str) -> Text {
    Text::parse(value).unwrap()
}

fn prose(value: &str) -> Prose {
    Prose::parse(value).unwrap()
}

fn date(value: &str) -> PartialDate {
    PartialDate::parse(value).unwrap()
}

fn number(value: &str) -> DocumentNumber {
    DocumentNumber::parse(value).unwrap()
}

async fn province_committee(db: &Database, name: &str) -> Organization {
    create_organization(
        db,
        name,
        Classification::PeoplesCommittee,
        Some(Level::Province),
        None,
    )
    .await
}

async fn collective_unit(db: &Database, name: &str) -> Organization {
    create_organization(db, name, Classification::Department, None, None).await
}

fn collective(organization: &Organization) -> NamedRecipient {
    NamedRecipient {
        recipient: RecipientRef::Organization(organization.id()),
        kind: RecipientKind::Collective,
        reason: None,
        prize_vnd: None,
    }
}

fn individual(person: PersonId) -> NamedRecipient {
    NamedRecipient {
        recipient: RecipientRef::Person(person),
        kind: RecipientKind::Individual,
        reason: None,
        prize_vnd: None,
    }
}

/// A standing Bằng khen of `authority` for the QCDC field over `period`, with these recipients.
fn certificate(
    authority: OrganizationId,
    number_text: Option<&str>,
    period: &str,
    recipients: Vec<NamedRecipient>,
) -> AwardDecision {
    decision_with(
        authority,
        AwardForm::CertificateOfMerit,
        number_text,
        period,
        recipients,
    )
}

fn decision_with(
    authority: OrganizationId,
    form: AwardForm,
    number_text: Option<&str>,
    period: &str,
    recipients: Vec<NamedRecipient>,
) -> AwardDecision {
    AwardDecision::new(
        AwardDecisionId::new(),
        AwardDecisionDetails {
            number: number_text.map(number),
            signed_on: None,
            authority,
            signer: None,
            form,
            achievement: Achievement {
                reason: None,
                field: Some(text(FIELD)),
                period: Some(AchievementPeriod::parse(period).unwrap()),
            },
            recipients,
            unnamed_recipients: Vec::new(),
            status: DecisionStatus::Issued,
            presentations: Vec::new(),
        },
    )
    .unwrap()
}

fn with_signed_on(decision: AwardDecision, signed: &str) -> AwardDecision {
    let id = decision.id();
    let mut details = decision.into_details();
    details.signed_on = Some(date(signed));
    AwardDecision::new(id, details).unwrap()
}

/// A distinct given name for each index (names may not contain digits).
fn given_name(index: usize) -> String {
    let letters = b"abcdefghiklmnopqrstuvxy";
    let first = char::from(b'A' + u8::try_from(index / letters.len()).unwrap());
    let second = char::from(letters[index % letters.len()]);
    format!("{first}{second}n")
}

fn ids(decisions: &[AwardDecision]) -> Vec<AwardDecisionId> {
    decisions.iter().map(AwardDecision::id).collect()
}

async fn list(db: &Database, filter: &AwardDecisionFilter) -> Vec<AwardDecisionId> {
    let page = db
        .award_decisions(filter, &PageRequest::first(100))
        .await
        .unwrap();
    page.edges.iter().map(|e| e.node.id()).collect()
}

async fn audited_decisions(db: &Database) -> usize {
    db.audit_log(
        &AuditFilter {
            entity_kind: Some("award_decision".to_owned()),
            ..AuditFilter::default()
        },
        &PageRequest::first(100),
    )
    .await
    .unwrap()
    .edges
    .len()
}

fn is_already_rewarded(error: &StorageError) -> bool {
    matches!(
        error,
        StorageError::Invariant(DomainError::Award(
            AwardError::AchievementAlreadyRewarded { .. }
        ))
    )
}

#[tokio::test]
async fn every_field_of_an_award_decision_round_trips() {
    each_engine(|db| async move {
        let city = province_committee(&db, "Ủy ban nhân dân thành phố Cần Thơ").await;
        let deputy = create_person(&db, "Dương Tấn Hiển").await;
        let presenter = create_person(&db, "Trần Việt Trường").await;
        let teacher = create_person(&db, "Nguyễn Thị Hoà").await;
        let ward = collective_unit(&db, "Ban Dân vận Quận ủy Ninh Kiều").await;
        let household = collective_unit(&db, "Hộ gia đình ông Lê Văn Tư").await;
        let board = create_organization(
            &db,
            "Ban Thường vụ Thành ủy Cần Thơ",
            Classification::StandingBoard,
            Some(Level::Province),
            None,
        )
        .await;
        let meeting = Meeting::new(
            MeetingId::new(),
            MeetingDetails {
                title: text("Hội nghị tổng kết công tác dân vận năm 2020"),
                kind: MeetingKind::Conference,
                organizer: board.id(),
                held_at: PartialDateTime::parse("2021-01-15").unwrap(),
                location: None,
                chairs: Vec::new(),
                attendees: Vec::new(),
                agenda: Vec::new(),
            },
        )
        .unwrap();
        db.record_meeting(&actor(), &meeting).await.unwrap();

        let decision = AwardDecision::new(
            AwardDecisionId::new(),
            AwardDecisionDetails {
                // The newspaper's CMS wrote the Icelandic eth for Đ: the text is kept as written.
                number: Some(number("Số: 0163/QÐ-UBND")),
                signed_on: Some(date("2021-01-10")),
                authority: city.id(),
                signer: Some(Signer {
                    person: Some(deputy.id()),
                    capacity: Some(SignerCapacity::parse("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH").unwrap()),
                }),
                form: AwardForm::CertificateOfMerit,
                achievement: Achievement {
                    reason: Some(prose(
                        "Đã có thành tích xuất sắc trong lãnh đạo, chỉ đạo, xây dựng và thực hiện \
                         quy chế dân chủ ở cơ sở năm 2020.",
                    )),
                    field: Some(text(FIELD)),
                    period: Some(AchievementPeriod::parse("2020").unwrap()),
                },
                recipients: vec![
                    NamedRecipient {
                        recipient: RecipientRef::Person(teacher.id()),
                        kind: RecipientKind::Individual,
                        reason: Some(prose("Tiêu biểu trong phong trào \"Dân vận khéo\".")),
                        prize_vnd: Some(1_490_000),
                    },
                    NamedRecipient {
                        recipient: RecipientRef::Organization(ward.id()),
                        kind: RecipientKind::Collective,
                        reason: None,
                        prize_vnd: Some(2_980_000),
                    },
                    NamedRecipient {
                        recipient: RecipientRef::Organization(household.id()),
                        kind: RecipientKind::Household,
                        reason: None,
                        prize_vnd: None,
                    },
                ],
                unnamed_recipients: vec![
                    UnnamedRecipients {
                        kind: RecipientKind::Collective,
                        count: NonZeroU32::new(11),
                        note: Some(text("11 tập thể")),
                    },
                    UnnamedRecipients {
                        kind: RecipientKind::Household,
                        count: None,
                        note: Some(text("các hộ gia đình; số lượng và tên không được nêu")),
                    },
                    UnnamedRecipients {
                        kind: RecipientKind::Individual,
                        count: NonZeroU32::new(6),
                        note: None,
                    },
                ],
                status: DecisionStatus::Issued,
                presentations: vec![
                    Presentation {
                        meeting: Some(meeting.id()),
                        presenter: Some(presenter.id()),
                        date: Some(date("2021-01-15")),
                    },
                    Presentation {
                        meeting: None,
                        presenter: None,
                        date: Some(date("2021-02")),
                    },
                ],
            },
        )
        .unwrap();
        db.record_award_decision(&actor(), &decision).await.unwrap();
        let back = db.award_decision(decision.id()).await.unwrap();
        assert_eq!(back, decision);
        let raw = back.number.as_ref().unwrap().raw();
        assert_eq!(raw, "Số: 0163/QÐ-UBND", "the number's text is kept exactly");
        assert!(raw.contains('\u{00D0}'), "the eth is not replaced by Đ");
        assert_eq!(
            back.signer
                .as_ref()
                .and_then(|s| s.capacity.as_ref())
                .unwrap()
                .to_string(),
            "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
        );

        // An order with its class, conferred by the President, with a signer whose capacity
        // is not known and an achievement over a span of years.
        let presidency = create_organization(
            &db,
            "Chủ tịch nước",
            Classification::Presidency,
            Some(Level::National),
            None,
        )
        .await;
        let mut order_details = decision_with(
            presidency.id(),
            AwardForm::order(OrderName::LaoDong, Some(OrderClass::Third)).unwrap(),
            Some("1234/QĐ-CTN"),
            "2016-2020",
            vec![collective(&ward)],
        )
        .into_details();
        order_details.signer = Some(Signer {
            person: None,
            capacity: None,
        });
        let order = AwardDecision::new(AwardDecisionId::new(), order_details).unwrap();
        db.record_award_decision(&actor(), &order).await.unwrap();
        let back = db.award_decision(order.id()).await.unwrap();
        assert_eq!(back, order);
        assert_eq!(back.form.vietnamese_name(), "Huân chương Lao động hạng ba");

        // Revocation: the record stays, with the date, reason and revoking document.
        let revoked = db
            .revoke_award_decision(
                &actor(),
                decision.id(),
                date("2021-06-01"),
                prose("Hồ sơ đề nghị khen thưởng không trung thực."),
                Some(number("245/QÐ-UBND")),
            )
            .await
            .unwrap();
        let back = db.award_decision(decision.id()).await.unwrap();
        assert_eq!(back, revoked);
        match &back.status {
            DecisionStatus::Revoked {
                on,
                reason,
                document,
            } => {
                assert_eq!(on.to_string(), "2021-06-01");
                assert_eq!(
                    reason.as_str(),
                    "Hồ sơ đề nghị khen thưởng không trung thực."
                );
                assert_eq!(document.as_ref().unwrap().raw(), "245/QÐ-UBND");
            }
            DecisionStatus::Issued => panic!("the decision should read back revoked"),
        }
        let mut expected = decision.clone().into_details();
        expected.status = back.status.clone();
        assert_eq!(back.details(), &expected, "revoking changes nothing else");
    })
    .await;
}

#[tokio::test]
async fn the_founding_examples_decision_is_stored_and_read_back() {
    each_engine(|db| async move {
        let city = province_committee(&db, "Ủy ban nhân dân thành phố Cần Thơ").await;
        let board = create_organization(
            &db,
            "Ban Thường vụ Thành ủy Cần Thơ",
            Classification::StandingBoard,
            Some(Level::Province),
            None,
        )
        .await;
        let truong = create_person(&db, "Trần Việt Trường").await;
        let conference = Meeting::new(
            MeetingId::new(),
            MeetingDetails {
                title: text(
                    "Hội nghị tổng kết công tác dân vận và thực hiện quy chế dân chủ ở cơ sở \
                     năm 2020",
                ),
                kind: MeetingKind::Conference,
                organizer: board.id(),
                held_at: PartialDateTime::parse("2021-01-15").unwrap(),
                location: None,
                chairs: Vec::new(),
                attendees: Vec::new(),
                agenda: Vec::new(),
            },
        )
        .unwrap();
        db.record_meeting(&actor(), &conference).await.unwrap();

        // The article names neither the number, the date, the signer, nor the collectives.
        let decision = AwardDecision::new(
            AwardDecisionId::new(),
            AwardDecisionDetails {
                number: None,
                signed_on: None,
                authority: city.id(),
                signer: None,
                form: AwardForm::parse_vietnamese("Bằng khen của UBND thành phố").unwrap(),
                achievement: Achievement {
                    reason: Some(prose(
                        "có thành tích xuất sắc trong lãnh đạo, chỉ đạo, xây dựng và thực hiện \
                         QCDC ở cơ sở năm 2020",
                    )),
                    field: Some(text(FIELD)),
                    period: Some(AchievementPeriod::parse("2020").unwrap()),
                },
                recipients: Vec::new(),
                unnamed_recipients: vec![UnnamedRecipients {
                    kind: RecipientKind::Collective,
                    count: None,
                    note: Some(text(
                        "các tập thể có thành tích xuất sắc; số lượng và tên không được nêu",
                    )),
                }],
                status: DecisionStatus::Issued,
                presentations: vec![Presentation {
                    meeting: Some(conference.id()),
                    presenter: Some(truong.id()),
                    date: Some(date("2021-01-15")),
                }],
            },
        )
        .unwrap();
        db.record_award_decision(&actor(), &decision).await.unwrap();

        let back = db.award_decision(decision.id()).await.unwrap();
        assert_eq!(back, decision);
        assert_eq!(back.form, AwardForm::CertificateOfMerit);
        assert_eq!(back.unnamed_recipients[0].count, None);
        assert_eq!(back.presentations[0].presenter, Some(truong.id()));
        assert_eq!(
            list(
                &db,
                &AwardDecisionFilter {
                    authority: Some(city.id()),
                    year: Some(2020),
                    form_kind: Some("certificate_of_merit".to_owned()),
                    ..AwardDecisionFilter::default()
                }
            )
            .await,
            [decision.id()],
            "a decision without a signing date is filed under its achievement's year"
        );
        assert_eq!(audited_decisions(&db).await, 1);
    })
    .await;
}

#[tokio::test]
async fn a_communes_certificate_of_merit_is_rejected_and_nothing_is_written() {
    each_engine(|db| async move {
        let commune = create_organization(
            &db,
            "Ủy ban nhân dân xã Vạn Thắng",
            Classification::PeoplesCommittee,
            Some(Level::Commune),
            None,
        )
        .await;
        let unit = collective_unit(&db, "Ban Nhân dân ấp Phú Hội").await;
        let bang_khen = certificate(
            commune.id(),
            Some("15/QĐ-UBND"),
            "2020",
            vec![collective(&unit)],
        );
        let error = db
            .record_award_decision(&actor(), &bang_khen)
            .await
            .unwrap_err();
        assert!(
            matches!(
                &error,
                StorageError::Invariant(DomainError::Award(AwardError::Form(
                    AwardFormError::AuthorityMayNotConfer { .. }
                )))
            ),
            "{error:?}"
        );
        assert!(error.to_string().contains("Bằng khen"), "{error}");
        assert!(matches!(
            db.award_decision(bang_khen.id()).await,
            Err(StorageError::NotFound { .. })
        ));
        assert!(
            list(&db, &AwardDecisionFilter::default()).await.is_empty(),
            "no decision row"
        );
        let received = db
            .awards_received(&[RecipientRef::Organization(unit.id())])
            .await
            .unwrap();
        assert!(received[&RecipientRef::Organization(unit.id())].is_empty());
        assert_eq!(audited_decisions(&db).await, 0, "no audit entry");

        // The commune may confer a Giấy khen, with the same number.
        let giay_khen = decision_with(
            commune.id(),
            AwardForm::CertificateOfCommendation,
            Some("15/QĐ-UBND"),
            "2020",
            vec![collective(&unit)],
        );
        db.record_award_decision(&actor(), &giay_khen)
            .await
            .unwrap();
        assert_eq!(
            list(&db, &AwardDecisionFilter::default()).await,
            [giay_khen.id()]
        );
    })
    .await;
}

#[tokio::test]
async fn a_decision_number_is_unique_per_issuing_authority() {
    each_engine(|db| async move {
        let can_tho = province_committee(&db, "Ủy ban nhân dân thành phố Cần Thơ").await;
        let khanh_hoa = province_committee(&db, "Ủy ban nhân dân tỉnh Khánh Hòa").await;
        let first_unit = collective_unit(&db, "Sở Nội vụ thành phố Cần Thơ").await;
        let second_unit = collective_unit(&db, "Sở Y tế thành phố Cần Thơ").await;
        let first = certificate(
            can_tho.id(),
            Some("163/QĐ-UBND"),
            "2020",
            vec![collective(&first_unit)],
        );
        db.record_award_decision(&actor(), &first).await.unwrap();

        // The same number in another spelling ("Ð" for "Đ", spaces, a leading zero).
        let again = certificate(
            can_tho.id(),
            Some("0163 / QÐ-UBND"),
            "2020",
            vec![collective(&second_unit)],
        );
        let error = db
            .record_award_decision(&actor(), &again)
            .await
            .unwrap_err();
        match &error {
            StorageError::Conflict { rule, detail } => {
                assert_eq!(*rule, "a decision number is unique per issuing authority");
                assert!(detail.contains("0163 / QÐ-UBND"), "{detail}");
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        assert!(matches!(
            db.award_decision(again.id()).await,
            Err(StorageError::NotFound { .. })
        ));

        // Another authority numbers its own documents.
        let elsewhere = certificate(
            khanh_hoa.id(),
            Some("163/QĐ-UBND"),
            "2020",
            vec![collective(&second_unit)],
        );
        db.record_award_decision(&actor(), &elsewhere)
            .await
            .unwrap();

        // Decisions without a number never clash.
        for unit in [&first_unit, &second_unit] {
            let unnumbered = certificate(can_tho.id(), None, "2019", vec![collective(unit)]);
            db.record_award_decision(&actor(), &unnumbered)
                .await
                .unwrap();
        }

        // Renumbering a decision onto a taken number is the same conflict.
        let second = certificate(
            can_tho.id(),
            Some("164/QĐ-UBND"),
            "2021",
            vec![collective(&second_unit)],
        );
        db.record_award_decision(&actor(), &second).await.unwrap();
        let mut renumbered = second.clone().into_details();
        renumbered.number = Some(number("163/QĐ-UBND"));
        let renumbered = AwardDecision::new(second.id(), renumbered).unwrap();
        assert!(matches!(
            db.update_award_decision(&actor(), &renumbered).await,
            Err(StorageError::Conflict {
                rule: "a decision number is unique per issuing authority",
                ..
            })
        ));
        assert_eq!(db.award_decision(second.id()).await.unwrap(), second);
    })
    .await;
}

#[tokio::test]
async fn one_achievement_is_rewarded_once_until_the_first_award_is_revoked() {
    each_engine(|db| async move {
        let city = province_committee(&db, "Ủy ban nhân dân thành phố Cần Thơ").await;
        let unit = collective_unit(&db, "Ban Dân vận Quận ủy Ninh Kiều").await;
        let person = create_person(&db, "Trần Thị Vĩnh Nghi").await;
        let first = with_signed_on(
            certificate(
                city.id(),
                Some("163/QĐ-UBND"),
                "2020",
                vec![collective(&unit), individual(person.id())],
            ),
            "2021-01-10",
        );
        db.record_award_decision(&actor(), &first).await.unwrap();

        // Another form for the same field (written in other case and tone placement) and period.
        let mut flag = decision_with(
            city.id(),
            AwardForm::EmulationFlag,
            Some("200/QĐ-UBND"),
            "2020",
            vec![collective(&unit)],
        )
        .into_details();
        flag.achievement.field = Some(text("Thực hiện Quy chế dân chủ ở cơ sở"));
        let flag = AwardDecision::new(AwardDecisionId::new(), flag).unwrap();
        let error = db.record_award_decision(&actor(), &flag).await.unwrap_err();
        assert!(is_already_rewarded(&error), "{error:?}");
        assert!(error.to_string().contains("163/QĐ-UBND"), "{error}");
        assert!(matches!(
            db.award_decision(flag.id()).await,
            Err(StorageError::NotFound { .. })
        ));

        // The rule holds for people too.
        let for_person = certificate(
            city.id(),
            Some("201/QĐ-UBND"),
            "2020",
            vec![individual(person.id())],
        );
        let error = db
            .record_award_decision(&actor(), &for_person)
            .await
            .unwrap_err();
        assert!(is_already_rewarded(&error), "{error:?}");

        // Another period is another achievement.
        let next_year = certificate(
            city.id(),
            Some("202/QĐ-UBND"),
            "2021",
            vec![collective(&unit)],
        );
        db.record_award_decision(&actor(), &next_year)
            .await
            .unwrap();

        // Updating the first decision does not make it its own rival.
        let mut amended = first.clone().into_details();
        amended.achievement.reason = Some(prose("Thành tích xuất sắc năm 2020."));
        let amended = AwardDecision::new(first.id(), amended).unwrap();
        db.update_award_decision(&actor(), &amended).await.unwrap();
        assert_eq!(db.award_decision(first.id()).await.unwrap(), amended);

        // Moving next year's award onto 2020 clashes with the first.
        let mut moved = next_year.clone().into_details();
        moved.achievement.period = Some(AchievementPeriod::parse("2020").unwrap());
        let moved = AwardDecision::new(next_year.id(), moved).unwrap();
        let error = db
            .update_award_decision(&actor(), &moved)
            .await
            .unwrap_err();
        assert!(is_already_rewarded(&error), "{error:?}");
        assert_eq!(db.award_decision(next_year.id()).await.unwrap(), next_year);

        // Once the first award is revoked, the achievement may be rewarded again.
        db.revoke_award_decision(
            &actor(),
            first.id(),
            date("2021-06-01"),
            prose("Hồ sơ không trung thực."),
            None,
        )
        .await
        .unwrap();
        db.record_award_decision(&actor(), &flag).await.unwrap();
        db.record_award_decision(&actor(), &for_person)
            .await
            .unwrap();

        // A revoked decision cannot be revoked again, nor before it was signed.
        let error = db
            .revoke_award_decision(&actor(), first.id(), date("2021-07-01"), prose("x"), None)
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                StorageError::Invariant(DomainError::Award(AwardError::AlreadyRevoked { .. }))
            ),
            "{error:?}"
        );
        let signed = with_signed_on(
            certificate(city.id(), None, "2015", vec![collective(&unit)]),
            "2016-03-01",
        );
        db.record_award_decision(&actor(), &signed).await.unwrap();
        let error = db
            .revoke_award_decision(&actor(), signed.id(), date("2016-02"), prose("x"), None)
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                StorageError::Invariant(DomainError::Award(AwardError::RevokedBeforeSigned { .. }))
            ),
            "{error:?}"
        );
        assert!(db.award_decision(signed.id()).await.unwrap().stands());
        assert!(matches!(
            db.revoke_award_decision(
                &actor(),
                AwardDecisionId::new(),
                date("2021"),
                prose("x"),
                None
            )
            .await,
            Err(StorageError::NotFound { .. })
        ));
    })
    .await;
}

#[tokio::test]
async fn references_to_missing_records_are_not_found_and_nothing_is_written() {
    each_engine(|db| async move {
        let city = province_committee(&db, "Ủy ban nhân dân thành phố Cần Thơ").await;
        let unit = collective_unit(&db, "Sở Nội vụ thành phố Cần Thơ").await;
        let missing_recipient =
            certificate(city.id(), None, "2020", vec![individual(PersonId::new())]);
        let missing_authority =
            certificate(OrganizationId::new(), None, "2020", vec![collective(&unit)]);
        let mut missing_meeting =
            certificate(city.id(), None, "2020", vec![collective(&unit)]).into_details();
        missing_meeting.presentations = vec![Presentation {
            meeting: Some(MeetingId::new()),
            presenter: None,
            date: None,
        }];
        let missing_meeting = AwardDecision::new(AwardDecisionId::new(), missing_meeting).unwrap();
        let mut missing_signer =
            certificate(city.id(), None, "2020", vec![collective(&unit)]).into_details();
        missing_signer.signer = Some(Signer {
            person: Some(PersonId::new()),
            capacity: None,
        });
        let missing_signer = AwardDecision::new(AwardDecisionId::new(), missing_signer).unwrap();
        for (decision, kind) in [
            (&missing_recipient, "person"),
            (&missing_authority, "organization"),
            (&missing_meeting, "meeting"),
            (&missing_signer, "person"),
        ] {
            match db.record_award_decision(&actor(), decision).await {
                Err(StorageError::NotFound { kind: found, .. }) => assert_eq!(found, kind),
                other => panic!("expected {kind} not found, got {other:?}"),
            }
        }
        assert!(list(&db, &AwardDecisionFilter::default()).await.is_empty());
        assert!(matches!(
            db.update_award_decision(
                &actor(),
                &certificate(city.id(), None, "2020", vec![collective(&unit)])
            )
            .await,
            Err(StorageError::NotFound {
                kind: "award_decision",
                ..
            })
        ));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_concurrent_decisions_for_one_achievement_exactly_one_is_recorded() {
    each_engine(|db| async move {
        let city = province_committee(&db, "Ủy ban nhân dân thành phố Cần Thơ").await;
        let person = create_person(&db, "Nguyễn Văn Hiếu").await;
        for round in 0..5 {
            let unit = collective_unit(&db, &format!("Phòng Nội vụ số {round}")).await;
            // Both name the unit; the second also names a person, so they lock different sets.
            let contenders = [
                certificate(city.id(), None, "2020", vec![collective(&unit)]),
                certificate(
                    city.id(),
                    None,
                    "2020",
                    vec![individual(person.id()), collective(&unit)],
                ),
            ];
            // The winner is revoked at the end of the round, so that the person, named in every
            // round, starts each round without a standing award for 2020.
            let barrier = Arc::new(Barrier::new(contenders.len()));
            let mut tasks = Vec::new();
            for decision in contenders.clone() {
                let db = db.clone();
                let barrier = Arc::clone(&barrier);
                tasks.push(tokio::spawn(async move {
                    barrier.wait().await;
                    db.record_award_decision(&actor(), &decision).await
                }));
            }
            let mut outcomes = Vec::new();
            for task in tasks {
                outcomes.push(task.await.unwrap());
            }
            let recorded: Vec<&AwardDecision> = contenders
                .iter()
                .zip(&outcomes)
                .filter(|(_, outcome)| outcome.is_ok())
                .map(|(decision, _)| decision)
                .collect();
            assert_eq!(recorded.len(), 1, "round {round}: {outcomes:?}");
            let refused = outcomes.iter().find_map(|o| o.as_ref().err()).unwrap();
            assert!(is_already_rewarded(refused), "round {round}: {refused:?}");
            let history = db
                .awards_received(&[RecipientRef::Organization(unit.id())])
                .await
                .unwrap();
            assert_eq!(
                ids(&history[&RecipientRef::Organization(unit.id())]),
                [recorded[0].id()]
            );
            db.revoke_award_decision(
                &actor(),
                recorded[0].id(),
                date("2021-12-31"),
                prose("Thu hồi để thử lại."),
                None,
            )
            .await
            .unwrap();
        }
    })
    .await;
}

#[tokio::test]
async fn decisions_are_filtered_by_authority_form_year_recipient_and_status_page_by_page() {
    each_engine(|db| async move {
        let can_tho = province_committee(&db, "Ủy ban nhân dân thành phố Cần Thơ").await;
        let khanh_hoa = province_committee(&db, "Ủy ban nhân dân tỉnh Khánh Hòa").await;
        let unit = collective_unit(&db, "Sở Nội vụ").await;
        let other_unit = collective_unit(&db, "Sở Tư pháp").await;
        let person = create_person(&db, "Phạm Văn Hiểu").await;
        let other_person = create_person(&db, "Trần Thị Vĩnh Nghi").await;
        let mut all = Vec::new();
        for (index, (authority, form, period, recipients)) in [
            (
                &can_tho,
                AwardForm::CertificateOfMerit,
                "2018",
                vec![collective(&unit)],
            ),
            (
                &can_tho,
                AwardForm::EmulationFlag,
                "2019",
                vec![collective(&unit)],
            ),
            (
                &can_tho,
                AwardForm::CertificateOfMerit,
                "2020",
                vec![individual(person.id())],
            ),
            (
                &khanh_hoa,
                AwardForm::CertificateOfMerit,
                "2020",
                vec![collective(&unit)],
            ),
            (
                &khanh_hoa,
                AwardForm::EmulationFlag,
                "2020",
                vec![collective(&other_unit)],
            ),
            (
                &can_tho,
                AwardForm::CertificateOfMerit,
                "2021",
                vec![collective(&other_unit), individual(person.id())],
            ),
            (
                &khanh_hoa,
                AwardForm::ProvincialEmulationSoldier,
                "2021",
                vec![individual(other_person.id())],
            ),
        ]
        .into_iter()
        .enumerate()
        {
            let number_text = format!("{}/QĐ-UBND", 100 + index);
            let mut decision =
                decision_with(authority.id(), form, Some(&number_text), period, recipients);
            if index == 3 {
                // Signed in 2021 for 2020: filed under the signing year.
                decision = with_signed_on(decision, "2021-01-10");
            }
            db.record_award_decision(&actor(), &decision).await.unwrap();
            all.push(decision);
        }
        db.revoke_award_decision(
            &actor(),
            all[1].id(),
            date("2020-05"),
            prose("Hồ sơ không trung thực."),
            None,
        )
        .await
        .unwrap();
        let pick = |indices: &[usize]| -> Vec<AwardDecisionId> {
            indices.iter().map(|&i| all[i].id()).collect()
        };

        assert_eq!(
            list(&db, &AwardDecisionFilter::default()).await,
            pick(&[0, 1, 2, 3, 4, 5, 6])
        );
        let cases = [
            (
                AwardDecisionFilter {
                    authority: Some(can_tho.id()),
                    ..AwardDecisionFilter::default()
                },
                vec![0, 1, 2, 5],
            ),
            (
                AwardDecisionFilter {
                    form_kind: Some(AwardForm::EmulationFlag.code().to_owned()),
                    ..AwardDecisionFilter::default()
                },
                vec![1, 4],
            ),
            (
                AwardDecisionFilter {
                    year: Some(2021),
                    ..AwardDecisionFilter::default()
                },
                vec![3, 5, 6],
            ),
            (
                AwardDecisionFilter {
                    recipient: Some(RecipientRef::Person(person.id())),
                    ..AwardDecisionFilter::default()
                },
                vec![2, 5],
            ),
            (
                AwardDecisionFilter {
                    recipient: Some(RecipientRef::Organization(unit.id())),
                    ..AwardDecisionFilter::default()
                },
                vec![0, 1, 3],
            ),
            (
                AwardDecisionFilter {
                    status: Some(AwardStatus::Revoked),
                    ..AwardDecisionFilter::default()
                },
                vec![1],
            ),
            (
                AwardDecisionFilter {
                    status: Some(AwardStatus::Issued),
                    recipient: Some(RecipientRef::Organization(unit.id())),
                    ..AwardDecisionFilter::default()
                },
                vec![0, 3],
            ),
            (
                AwardDecisionFilter {
                    authority: Some(khanh_hoa.id()),
                    form_kind: Some("certificate_of_merit".to_owned()),
                    year: Some(2021),
                    ..AwardDecisionFilter::default()
                },
                vec![3],
            ),
            (
                AwardDecisionFilter {
                    form_kind: Some("no_such_form".to_owned()),
                    ..AwardDecisionFilter::default()
                },
                vec![],
            ),
        ];
        for (filter, expected) in cases {
            assert_eq!(list(&db, &filter).await, pick(&expected), "{filter:?}");
        }

        // Pages of two, forward then backward, cover the list once each way.
        let filter = AwardDecisionFilter::default();
        let mut seen = Vec::new();
        let mut request = PageRequest::first(2);
        loop {
            let page = db.award_decisions(&filter, &request).await.unwrap();
            assert!(page.edges.len() <= 2);
            seen.extend(page.edges.iter().map(|e| e.node.id()));
            match (page.has_next_page, page.edges.last()) {
                (true, Some(last)) => request = PageRequest::after(2, last.cursor.clone()),
                _ => break,
            }
        }
        assert_eq!(seen, pick(&[0, 1, 2, 3, 4, 5, 6]));
        let last_two = db
            .award_decisions(
                &filter,
                &PageRequest::new(None, None, Some(2), None).unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(
            last_two
                .edges
                .iter()
                .map(|e| e.node.id())
                .collect::<Vec<_>>(),
            pick(&[5, 6])
        );
        assert!(last_two.has_previous_page);
        let before = db
            .award_decisions(
                &filter,
                &PageRequest::new(None, None, Some(3), Some(last_two.edges[0].cursor.clone()))
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(
            before.edges.iter().map(|e| e.node.id()).collect::<Vec<_>>(),
            pick(&[2, 3, 4])
        );
        assert!(matches!(
            db.award_decisions(
                &filter,
                &PageRequest::after(2, gazette_storage::Cursor::from_text("bm90IGEgY3Vyc29y"))
            )
            .await,
            Err(StorageError::InvalidInput(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn awards_received_is_each_recipients_history_in_order() {
    each_engine(|db| async move {
        let city = province_committee(&db, "Ủy ban nhân dân thành phố Cần Thơ").await;
        let person = create_person(&db, "Trần Thị Vĩnh Nghi").await;
        let nobody = create_person(&db, "Lê Quang Mạnh").await;
        let unit = collective_unit(&db, "Ban Dân vận Thành ủy Cần Thơ").await;
        let late = with_signed_on(
            certificate(city.id(), None, "2021", vec![individual(person.id())]),
            "2022-01-20",
        );
        let early = with_signed_on(
            certificate(
                city.id(),
                None,
                "2019",
                vec![collective(&unit), individual(person.id())],
            ),
            "2019-12-20",
        );
        // Unsigned: filed under its achievement's year, between the other two.
        let middle = certificate(city.id(), None, "2020", vec![individual(person.id())]);
        for decision in [&late, &early, &middle] {
            db.record_award_decision(&actor(), decision).await.unwrap();
        }
        let revoked = db
            .revoke_award_decision(
                &actor(),
                middle.id(),
                date("2021-03"),
                prose("Hồ sơ không trung thực."),
                None,
            )
            .await
            .unwrap();
        let person_ref = RecipientRef::Person(person.id());
        let unit_ref = RecipientRef::Organization(unit.id());
        let nobody_ref = RecipientRef::Person(nobody.id());
        let history = db
            .awards_received(&[person_ref, unit_ref, nobody_ref])
            .await
            .unwrap();
        assert_eq!(history.len(), 3);
        assert_eq!(
            history[&person_ref],
            vec![early.clone(), revoked, late],
            "by the year filed under, revoked decisions included"
        );
        assert_eq!(history[&unit_ref], vec![early]);
        assert!(history[&nobody_ref].is_empty());
        assert!(db.awards_received(&[]).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn batch_reads_use_as_many_statements_for_30_ids_as_for_1() {
    each_engine(|db| async move {
        let city = province_committee(&db, "Ủy ban nhân dân thành phố Cần Thơ").await;
        let presenter = create_person(&db, "Trần Việt Trường").await;
        let mut decisions = Vec::new();
        let mut recipients = Vec::new();
        for index in 0..30 {
            let unit = collective_unit(&db, &format!("Đơn vị số {index}")).await;
            let person = create_person(&db, &format!("Nguyễn Văn {}", given_name(index))).await;
            let mut details = certificate(
                city.id(),
                Some(&format!("{}/QĐ-UBND", 300 + index)),
                "2020",
                vec![collective(&unit), individual(person.id())],
            )
            .into_details();
            details.unnamed_recipients = vec![UnnamedRecipients {
                kind: RecipientKind::Collective,
                count: NonZeroU32::new(11),
                note: Some(text("11 tập thể")),
            }];
            details.presentations = vec![Presentation {
                meeting: None,
                presenter: Some(presenter.id()),
                date: Some(date("2021-01-15")),
            }];
            let decision = AwardDecision::new(AwardDecisionId::new(), details).unwrap();
            db.record_award_decision(&actor(), &decision).await.unwrap();
            recipients.push(RecipientRef::Organization(unit.id()));
            recipients.push(RecipientRef::Person(person.id()));
            decisions.push(decision);
        }
        let all_ids = ids(&decisions);

        let before = db.statement_count();
        let one = db.award_decisions_by_ids(&all_ids[..1]).await.unwrap();
        let for_one = db.statement_count() - before;
        let before = db.statement_count();
        let thirty = db.award_decisions_by_ids(&all_ids).await.unwrap();
        let for_thirty = db.statement_count() - before;
        assert_eq!(one, decisions[..1]);
        assert_eq!(thirty, decisions);
        assert_eq!(for_one, for_thirty);
        assert_eq!(for_one, 1, "the decisions with everything they are made of");

        // Ids that do not exist are skipped, and duplicates are read once.
        let mut asked = vec![AwardDecisionId::new(), all_ids[2], all_ids[2], all_ids[1]];
        asked.push(AwardDecisionId::new());
        assert_eq!(
            ids(&db.award_decisions_by_ids(&asked).await.unwrap()),
            [all_ids[2], all_ids[1]]
        );

        let before = db.statement_count();
        let history = db.awards_received(&recipients[..1]).await.unwrap();
        let for_one = db.statement_count() - before;
        assert_eq!(history[&recipients[0]], decisions[..1]);
        let before = db.statement_count();
        let history = db.awards_received(&recipients).await.unwrap();
        let for_sixty = db.statement_count() - before;
        assert_eq!(for_one, for_sixty);
        assert_eq!(history.len(), 60);
        let every: HashSet<AwardDecisionId> = history
            .values()
            .flat_map(|list| list.iter().map(AwardDecision::id))
            .collect();
        assert_eq!(every.len(), 30);

        let before = db.statement_count();
        let page = db
            .award_decisions(&AwardDecisionFilter::default(), &PageRequest::first(1))
            .await
            .unwrap();
        let for_page_of_one = db.statement_count() - before;
        let before = db.statement_count();
        let page_of_thirty = db
            .award_decisions(&AwardDecisionFilter::default(), &PageRequest::first(30))
            .await
            .unwrap();
        assert_eq!(page.edges.len(), 1);
        assert_eq!(page_of_thirty.edges.len(), 30);
        assert_eq!(for_page_of_one, db.statement_count() - before);
        assert_eq!(for_page_of_one, 1);
        let read: Vec<&AwardDecision> = page_of_thirty.edges.iter().map(|e| &e.node).collect();
        assert_eq!(read, decisions.iter().collect::<Vec<_>>());

        // Naming the recipients costs no statement more, and gives each person and
        // organization once, as the bare reads give them.
        let before = db.statement_count();
        let (named_page, mut named) = db
            .award_decisions_naming(
                &AwardDecisionFilter::default(),
                &PageRequest::first(30),
                DecisionParts::ALL,
            )
            .await
            .unwrap();
        assert_eq!(db.statement_count() - before, 1);
        assert_eq!(named_page, page_of_thirty);
        // Without the presentations, the same decisions with that list empty, and the same
        // people and organizations.
        let (without_presentations, named_again) = db
            .award_decisions_naming(
                &AwardDecisionFilter::default(),
                &PageRequest::first(30),
                DecisionParts {
                    presentations: false,
                },
            )
            .await
            .unwrap();
        let trimmed: Vec<AwardDecision> = decisions
            .iter()
            .map(|decision| {
                assert!(!decision.presentations.is_empty());
                let mut details = decision.clone().into_details();
                details.presentations.clear();
                AwardDecision::new(decision.id(), details).unwrap()
            })
            .collect();
        let read: Vec<&AwardDecision> = without_presentations
            .edges
            .iter()
            .map(|e| &e.node)
            .collect();
        assert_eq!(read, trimmed.iter().collect::<Vec<_>>());
        assert_eq!(
            without_presentations
                .edges
                .iter()
                .map(|e| &e.cursor)
                .collect::<Vec<_>>(),
            page_of_thirty
                .edges
                .iter()
                .map(|e| &e.cursor)
                .collect::<Vec<_>>()
        );
        assert_eq!(
            without_presentations.has_next_page,
            page_of_thirty.has_next_page
        );
        assert_eq!(named_again, named);
        let people: Vec<PersonId> = recipients
            .iter()
            .filter_map(|r| match r {
                RecipientRef::Person(p) => Some(*p),
                RecipientRef::Organization(_) => None,
            })
            .collect();
        let units: Vec<OrganizationId> = recipients
            .iter()
            .filter_map(|r| match r {
                RecipientRef::Organization(o) => Some(*o),
                RecipientRef::Person(_) => None,
            })
            .collect();
        let mut bare_people = db.people_by_ids_bare(&people).await.unwrap();
        let mut bare_units = db.organizations_by_ids_bare(&units).await.unwrap();
        bare_people.sort_by_key(Person::id);
        bare_units.sort_by_key(Organization::id);
        named.people.sort_by_key(Person::id);
        named.organizations.sort_by_key(Organization::id);
        assert_eq!(named.people.len(), 30);
        assert_eq!(named.people, bare_people);
        assert_eq!(named.organizations, bare_units);
    })
    .await;
}
