//! The batch write path: the founding example in one transaction, all or nothing, writes that
//! see the writes before them, chunked bulk loads, and the lookups importers match records on.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use gazette_domain::DomainError;
use gazette_domain::award::form::{AwardForm, RecipientKind};
use gazette_domain::award::{
    Achievement, AchievementPeriod, AwardDecision, AwardDecisionDetails, DecisionStatus,
    Presentation, UnnamedRecipients,
};
use gazette_domain::date::{PartialDate, PartialDateTime, Period};
use gazette_domain::directive::{Assignee, Directive, DirectiveDetails, DirectiveKind};
use gazette_domain::holding::{Holding, HoldingDetails, HoldingError, HoldingKind};
use gazette_domain::identifier::Identifier;
use gazette_domain::ids::{
    AwardDecisionId, CitationId, DirectiveId, HoldingId, MeetingId, OrganizationId, PersonId,
    PostId, ProgressReportId, SourceId, TaskId,
};
use gazette_domain::meeting::{Meeting, MeetingDetails, MeetingKind, Participant};
use gazette_domain::name::PersonName;
use gazette_domain::organization::{Classification, Level, Organization, OrganizationDetails};
use gazette_domain::person::{Person, PersonDetails};
use gazette_domain::post::{Post, PostDetails, Seats};
use gazette_domain::source::{
    Citation, CitationDetails, Source, SourceDetails, SourceKind, Subject,
};
use gazette_domain::task::{
    Lifecycle, Percent, ProgressReport, ProgressReportDetails, Task, TaskDetails,
};
use gazette_domain::text::{Prose, Text};
use gazette_storage::{
    AuditFilter, AwardDecisionFilter, BatchError, Database, DirectiveFilter, MeetingFilter,
    OrganizationFilter, PageRequest, PersonFilter, SourceFilter, StorageError, TaskFilter, Write,
    WriteKind,
};

use crate::harness::{actor, each_engine};

pub(crate) fn text(value: &str) -> Text {
    Text::parse(value).unwrap()
}

pub(crate) fn prose(value: &str) -> Prose {
    Prose::parse(value).unwrap()
}

pub(crate) fn date(value: &str) -> PartialDate {
    PartialDate::parse(value).unwrap()
}

pub(crate) fn day(value: &str) -> NaiveDate {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").unwrap()
}

pub(crate) fn organization(
    name: &str,
    classification: Classification,
    parent: Option<&Organization>,
) -> Organization {
    let mut details = OrganizationDetails::new(text(name), classification);
    details.level = Some(Level::Province);
    details.parent = parent.map(Organization::id);
    Organization::new(OrganizationId::new(), details).unwrap()
}

pub(crate) fn post(organization: &Organization, title: &str, seats: Seats) -> Post {
    Post::new(
        PostId::new(),
        PostDetails {
            organization: organization.id(),
            title: text(title),
            seats,
            life: Period::always(),
        },
    )
    .unwrap()
}

pub(crate) fn person(name: &str) -> Person {
    Person::new(
        PersonId::new(),
        PersonDetails::named(PersonName::parse(name).unwrap()),
    )
    .unwrap()
}

pub(crate) fn holding(person: &Person, post: &Post, period: Period) -> Holding {
    Holding::new(
        HoldingId::new(),
        HoldingDetails {
            person: person.id(),
            post: post.id(),
            period,
            kind: HoldingKind::Elected,
            term: None,
            document: None,
            end_reason: None,
        },
    )
    .unwrap()
}

pub(crate) fn source() -> Source {
    let mut details = SourceDetails::new(
        SourceKind::NewsArticle,
        text(
            "Đồng chí Phạm Văn Hiểu, Phó Bí thư Thường trực Thành ủy, Chủ tịch HĐND thành phố: Nâng cao hiệu quả công tác dân vận và thực hiện quy chế dân chủ ở cơ sở",
        ),
    );
    details.publisher = Some(text("Báo Cần Thơ"));
    details.published_at = Some(PartialDateTime::parse("2021-01-16 05:59").unwrap());
    Source::new(SourceId::new(), details).unwrap()
}

pub(crate) fn citation(source: &Source, subject: Subject) -> Citation {
    Citation::new(
        CitationId::new(),
        CitationDetails {
            source: source.id(),
            subject,
            note: None,
        },
    )
    .unwrap()
}

/// The founding example (the Cần Thơ conference of 15-1-2021 as Báo Cần Thơ reported it) as
/// the writes an article ingestion would send, in an order where every record comes after the
/// records it refers to.
pub(crate) struct FoundingExample {
    pub(crate) organizations: Vec<Organization>,
    pub(crate) posts: Vec<Post>,
    pub(crate) people: Vec<Person>,
    pub(crate) holdings: Vec<Holding>,
    pub(crate) meeting: Meeting,
    pub(crate) directive: Directive,
    pub(crate) tasks: Vec<Task>,
    pub(crate) decision: AwardDecision,
    pub(crate) source: Source,
    pub(crate) citations: Vec<Citation>,
}

impl FoundingExample {
    pub(crate) fn new() -> Self {
        let city = organization(
            "Thành phố Cần Thơ",
            Classification::AdministrativeUnit,
            None,
        );
        let party = organization(
            "Thành ủy Cần Thơ",
            Classification::PartyCommittee,
            Some(&city),
        );
        let standing = organization(
            "Ban Thường vụ Thành ủy Cần Thơ",
            Classification::StandingBoard,
            Some(&party),
        );
        let dan_van = organization(
            "Ban Dân vận Thành ủy Cần Thơ",
            Classification::PartyBoard,
            Some(&party),
        );
        let council = organization(
            "Hội đồng nhân dân thành phố Cần Thơ",
            Classification::PeoplesCouncil,
            Some(&city),
        );
        let committee = organization(
            "Ủy ban nhân dân thành phố Cần Thơ",
            Classification::PeoplesCommittee,
            Some(&city),
        );
        let front = organization(
            "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Cần Thơ",
            Classification::FatherlandFront,
            Some(&city),
        );
        let mass = organization(
            "Các tổ chức chính trị - xã hội thành phố Cần Thơ",
            Classification::MassOrganization,
            Some(&city),
        );

        let standing_deputy = post(&party, "Phó Bí thư Thường trực", Seats::ONE);
        let deputy = post(&party, "Phó Bí thư", Seats::Unlimited);
        let council_chair = post(&council, "Chủ tịch", Seats::ONE);
        let committee_chair = post(&committee, "Chủ tịch", Seats::ONE);
        let board_head = post(&dan_van, "Trưởng ban", Seats::ONE);

        let hieu = person("Phạm Văn Hiểu");
        let truong = person("Trần Việt Trường");
        let nghi = person("Trần Thị Vĩnh Nghi");

        let holdings = vec![
            holding(&hieu, &standing_deputy, Period::always()),
            holding(&hieu, &council_chair, Period::always()),
            holding(&truong, &deputy, Period::always()),
            holding(&truong, &committee_chair, Period::always()),
            holding(&nghi, &board_head, Period::always()),
        ];

        let meeting = Meeting::new(
            MeetingId::new(),
            MeetingDetails {
                title: text(
                    "Hội nghị tổng kết công tác dân vận và thực hiện quy chế dân chủ (QCDC) ở cơ sở năm 2020",
                ),
                kind: MeetingKind::Conference,
                organizer: standing.id(),
                held_at: PartialDateTime::parse("2021-01-15").unwrap(),
                location: None,
                chairs: vec![
                    Participant {
                        person: hieu.id(),
                        capacities: vec![standing_deputy.id(), council_chair.id()],
                    },
                    Participant {
                        person: truong.id(),
                        capacities: vec![deputy.id(), committee_chair.id()],
                    },
                    Participant {
                        person: nghi.id(),
                        capacities: vec![board_head.id()],
                    },
                ],
                attendees: Vec::new(),
                agenda: Vec::new(),
            },
        )
        .unwrap();

        let group = |name: &str| Assignee::Group { name: text(name) };
        let directive = Directive::new(
            DirectiveId::new(),
            DirectiveDetails {
                issuer: Participant {
                    person: hieu.id(),
                    capacities: vec![standing_deputy.id(), council_chair.id()],
                },
                kind: DirectiveKind::DirectingSpeech,
                issued_on: date("2021-01-15"),
                meeting: Some(meeting.id()),
                document_number: None,
                summary: prose(
                    "Nâng cao hiệu quả công tác dân vận và thực hiện quy chế dân chủ ở cơ sở.",
                ),
                addressees: vec![
                    group("các cấp ủy đảng"),
                    group("chính quyền"),
                    group("dân vận"),
                    group("Mặt trận"),
                    group("các tổ chức chính trị - xã hội"),
                ],
            },
        )
        .unwrap();

        let instructions = [
            "Tiếp tục tham mưu cấp ủy triển khai, thực hiện tốt các chủ trương của Đảng, chính sách pháp luật của Nhà nước liên quan đến công tác dân vận và QCDC ở cơ sở",
            "Tăng cường công tác dân vận chính quyền gắn với thực hiện QCDC ở cơ sở",
            "Thực hiện tốt công tác tiếp dân, đối thoại trực tiếp với dân",
            "Lắng nghe tâm tư, nguyện vọng và đề xuất chủ trương, biện pháp giải quyết kịp thời những bức xúc, kiến nghị chính đáng của dân",
            "Nâng cao hiệu quả hoạt động QCDC ở các loại hình",
            "Tiếp tục đổi mới nội dung, phương thức hoạt động theo hướng thiết thực, hiệu quả, phù hợp với thực tiễn, hướng trọng tâm về cơ sở",
            "Thực hiện nhiệm vụ giám sát, phản biện xã hội, tích cực tham gia góp ý xây dựng Đảng, chính quyền",
            "Thực hiện tốt công tác bầu cử đại biểu Quốc hội và đại biểu HĐND các cấp nhiệm kỳ 2021-2026",
            "Đẩy mạnh các phong trào thi đua yêu nước, “Dân vận khéo” và các hoạt động an sinh xã hội đi vào chiều sâu, thiết thực, hiệu quả và bền vững",
        ];
        let tasks: Vec<Task> = instructions
            .into_iter()
            .zip(1..)
            .map(|(instruction, position)| {
                let mut details = TaskDetails::new(
                    directive.id(),
                    position,
                    prose(instruction),
                    day("2021-01-15"),
                );
                if position >= 6 {
                    details.addressees =
                        vec![group("Mặt trận"), group("các tổ chức chính trị - xã hội")];
                }
                Task::new(TaskId::new(), details).unwrap()
            })
            .collect();

        let decision = AwardDecision::new(
            AwardDecisionId::new(),
            AwardDecisionDetails {
                number: None,
                signed_on: None,
                authority: committee.id(),
                signer: None,
                form: AwardForm::CertificateOfMerit,
                achievement: Achievement {
                    reason: Some(prose(
                        "có thành tích xuất sắc trong việc chỉ đạo, xây dựng và thực hiện QCDC ở cơ sở năm 2020",
                    )),
                    field: Some(text("chỉ đạo, xây dựng và thực hiện quy chế dân chủ ở cơ sở")),
                    period: Some(AchievementPeriod::parse("2020").unwrap()),
                },
                recipients: Vec::new(),
                unnamed_recipients: vec![UnnamedRecipients {
                    kind: RecipientKind::Collective,
                    count: None,
                    note: Some(text("các tập thể có thành tích xuất sắc")),
                }],
                status: DecisionStatus::Issued,
                presentations: vec![Presentation {
                    meeting: Some(meeting.id()),
                    presenter: Some(truong.id()),
                    date: Some(date("2021-01-15")),
                }],
            },
        )
        .unwrap();

        let organizations = vec![
            city, party, standing, dan_van, council, committee, front, mass,
        ];
        let posts = vec![
            standing_deputy,
            deputy,
            council_chair,
            committee_chair,
            board_head,
        ];
        let people = vec![hieu, truong, nghi];
        let source = source();
        let mut subjects: Vec<Subject> = Vec::new();
        subjects.extend(organizations.iter().map(|o| Subject::Organization(o.id())));
        subjects.extend(people.iter().map(|p| Subject::Person(p.id())));
        subjects.extend(posts.iter().map(|p| Subject::Post(p.id())));
        subjects.extend(holdings.iter().map(|h| Subject::Holding(h.id())));
        subjects.push(Subject::Meeting(meeting.id()));
        subjects.push(Subject::Directive(directive.id()));
        subjects.extend(tasks.iter().map(|t| Subject::Task(t.id())));
        subjects.push(Subject::AwardDecision(decision.id()));
        let citations = subjects
            .into_iter()
            .map(|subject| citation(&source, subject))
            .collect();
        Self {
            organizations,
            posts,
            people,
            holdings,
            meeting,
            directive,
            tasks,
            decision,
            source,
            citations,
        }
    }

    pub(crate) fn writes(&self) -> Vec<Write> {
        let mut writes = Vec::new();
        writes.extend(
            self.organizations
                .iter()
                .cloned()
                .map(Write::CreateOrganization),
        );
        writes.extend(self.posts.iter().cloned().map(Write::CreatePost));
        writes.extend(self.people.iter().cloned().map(Write::CreatePerson));
        writes.extend(self.holdings.iter().cloned().map(Write::Appoint));
        writes.push(Write::RecordMeeting(self.meeting.clone()));
        writes.push(Write::IssueDirective(self.directive.clone()));
        writes.extend(self.tasks.iter().cloned().map(Write::AddTask));
        writes.push(Write::RecordAwardDecision(self.decision.clone()));
        writes.push(Write::CreateSource(self.source.clone()));
        writes.extend(self.citations.iter().cloned().map(Write::Cite));
        writes
    }
}

/// How many audit entries each kind of record has, read back from the log.
pub(crate) async fn audit_counts(db: &Database) -> BTreeMap<String, usize> {
    let entries = db
        .audit_log(&AuditFilter::default(), &PageRequest::first(100))
        .await
        .unwrap();
    assert!(!entries.has_next_page, "the log holds more than a page");
    let mut counts = BTreeMap::new();
    for edge in entries.edges {
        assert_eq!(edge.node.actor, actor().as_str());
        *counts.entry(edge.node.entity_kind).or_default() += 1;
    }
    counts
}

/// Asserts that no record of any kind and no audit entry exists.
pub(crate) async fn assert_nothing_written(
    db: &Database,
    posts: &[PostId],
    holdings: &[HoldingId],
) {
    let page = PageRequest::first(100);
    assert!(
        db.people(&PersonFilter::default(), &page)
            .await
            .unwrap()
            .edges
            .is_empty(),
        "a person was written"
    );
    assert!(
        db.organizations(&OrganizationFilter::default(), &page)
            .await
            .unwrap()
            .edges
            .is_empty(),
        "an organization was written"
    );
    assert!(db.posts_by_ids(posts).await.unwrap().is_empty());
    assert!(db.holdings_by_ids(holdings).await.unwrap().is_empty());
    assert!(
        db.meetings(&MeetingFilter::default(), &page)
            .await
            .unwrap()
            .edges
            .is_empty()
    );
    assert!(
        db.directives(&DirectiveFilter::default(), &page)
            .await
            .unwrap()
            .edges
            .is_empty()
    );
    assert!(
        db.tasks(&TaskFilter::default(), &page)
            .await
            .unwrap()
            .edges
            .is_empty()
    );
    assert!(
        db.award_decisions(&AwardDecisionFilter::default(), &page)
            .await
            .unwrap()
            .edges
            .is_empty()
    );
    assert!(
        db.sources(&SourceFilter::default(), &page)
            .await
            .unwrap()
            .edges
            .is_empty(),
        "a source was written"
    );
    assert!(
        db.audit_log(&AuditFilter::default(), &page)
            .await
            .unwrap()
            .edges
            .is_empty(),
        "an audit entry was written"
    );
}

#[tokio::test]
async fn the_founding_example_lands_whole_in_one_batch_with_an_audit_entry_per_write() {
    each_engine(|db| async move {
        let world = FoundingExample::new();
        let writes = world.writes();
        assert_eq!(writes.len(), 67);

        let summary = db.apply(&actor(), &writes).await.unwrap();

        assert_eq!(summary.total(), 67);
        assert_eq!(summary.count(WriteKind::CreateOrganization), 8);
        assert_eq!(summary.count(WriteKind::CreatePost), 5);
        assert_eq!(summary.count(WriteKind::CreatePerson), 3);
        assert_eq!(summary.count(WriteKind::Appoint), 5);
        assert_eq!(summary.count(WriteKind::RecordMeeting), 1);
        assert_eq!(summary.count(WriteKind::IssueDirective), 1);
        assert_eq!(summary.count(WriteKind::AddTask), 9);
        assert_eq!(summary.count(WriteKind::RecordAwardDecision), 1);
        assert_eq!(summary.count(WriteKind::CreateSource), 1);
        assert_eq!(summary.count(WriteKind::Cite), 33);
        assert_eq!(summary.count(WriteKind::UpdatePerson), 0);

        let page = PageRequest::first(100);
        assert_eq!(
            db.organizations(&OrganizationFilter::default(), &page)
                .await
                .unwrap()
                .edges
                .len(),
            8
        );
        assert_eq!(
            db.people(&PersonFilter::default(), &page)
                .await
                .unwrap()
                .edges
                .len(),
            3
        );
        let post_ids: Vec<PostId> = world.posts.iter().map(Post::id).collect();
        assert_eq!(db.posts_by_ids(&post_ids).await.unwrap().len(), 5);
        let holding_ids: Vec<HoldingId> = world.holdings.iter().map(Holding::id).collect();
        assert_eq!(db.holdings_by_ids(&holding_ids).await.unwrap().len(), 5);
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

        // Who chaired the conference, holding what: answered from the rows the batch wrote.
        let truong = &world.people[1];
        let held = db
            .holdings_of_people(&[truong.id()], Some(day("2021-01-15")))
            .await
            .unwrap()
            .remove(&truong.id())
            .unwrap();
        assert_eq!(held.len(), 2);

        let expected: BTreeMap<String, usize> = [
            ("organization", 8),
            ("post", 5),
            ("person", 3),
            ("holding", 5),
            ("meeting", 1),
            ("directive", 1),
            ("task", 9),
            ("award_decision", 1),
            ("source", 1),
            ("citation", 33),
        ]
        .into_iter()
        .map(|(kind, count)| (kind.to_owned(), count))
        .collect();
        assert_eq!(audit_counts(&db).await, expected);
    })
    .await;
}

#[tokio::test]
async fn every_kind_of_write_runs_in_a_batch_on_top_of_the_founding_example() {
    each_engine(|db| async move {
        let world = FoundingExample::new();
        db.apply(&actor(), &world.writes()).await.unwrap();

        let city = {
            let mut details = world.organizations[0].details().clone();
            details.abbreviation = Some(text("TP Cần Thơ"));
            Organization::new(world.organizations[0].id(), details).unwrap()
        };
        let deputy = {
            let mut details = world.posts[1].details().clone();
            details.title = text("Phó Bí thư Thành ủy");
            Post::new(world.posts[1].id(), details).unwrap()
        };
        let hieus = {
            let mut details = world.holdings[0].details().clone();
            details.document = Some(text("Quyết định chuẩn y của Bộ Chính trị"));
            Holding::new(world.holdings[0].id(), details).unwrap()
        };
        let nghi = {
            let mut details = world.people[2].details().clone();
            details.birth_date = Some(date("1970"));
            Person::new(world.people[2].id(), details).unwrap()
        };
        let meeting = {
            let mut details = world.meeting.details().clone();
            details.location = Some(text("Hội trường Thành ủy Cần Thơ"));
            Meeting::new(world.meeting.id(), details).unwrap()
        };
        let directive = {
            let mut details = world.directive.details().clone();
            details.summary = prose("Nâng cao hiệu quả công tác dân vận.");
            Directive::new(world.directive.id(), details).unwrap()
        };
        let first_task = {
            let mut details = world.tasks[0].details().clone();
            details.deadline = Some(day("2021-12-31"));
            Task::new(world.tasks[0].id(), details).unwrap()
        };
        let report = ProgressReport::new(
            ProgressReportId::new(),
            ProgressReportDetails {
                task: first_task.id(),
                reported_on: day("2021-03-01"),
                reporter: Some(world.organizations[3].id()),
                note: prose("Đã tổ chức hội nghị quán triệt."),
                percent: Some(Percent::new(40).unwrap()),
            },
        )
        .unwrap();
        let decision = {
            let mut details = world.decision.details().clone();
            details.signed_on = Some(date("2021-01"));
            AwardDecision::new(world.decision.id(), details).unwrap()
        };
        let article = {
            let mut details = world.source.details().clone();
            details.byline = Some(text("THANH THY"));
            Source::new(world.source.id(), details).unwrap()
        };
        let writes = vec![
            Write::UpdateOrganization(city.clone()),
            Write::UpdatePost(deputy.clone()),
            Write::UpdateHolding(hieus.clone()),
            Write::UpdatePerson(nghi.clone()),
            Write::EndHolding {
                id: world.holdings[4].id(),
                end: date("2021-12"),
                reason: None,
            },
            Write::UpdateMeeting(meeting.clone()),
            Write::UpdateDirective(directive.clone()),
            Write::UpdateTask(first_task.clone()),
            Write::TransitionTask {
                id: first_task.id(),
                to: Lifecycle::InProgress,
                on: day("2021-02-01"),
                note: None,
            },
            Write::ReportProgress(report.clone()),
            // Completing the task is checked against the report written two writes earlier.
            Write::TransitionTask {
                id: first_task.id(),
                to: Lifecycle::Completed,
                on: day("2021-06-01"),
                note: Some(text("Hoàn thành")),
            },
            Write::UpdateAwardDecision(decision.clone()),
            Write::RevokeAwardDecision {
                id: decision.id(),
                on: date("2021-03"),
                reason: prose("Trùng lặp với quyết định khác."),
                document: None,
            },
            Write::UpdateSource(article.clone()),
            Write::Cite(citation(&article, Subject::ProgressReport(report.id()))),
        ];

        let summary = db.apply(&actor(), &writes).await.unwrap();

        assert_eq!(summary.total(), 15);
        assert_eq!(summary.count(WriteKind::TransitionTask), 2);
        assert_eq!(
            summary.to_string(),
            "update_person: 1, update_organization: 1, update_post: 1, update_holding: 1, \
             end_holding: 1, update_meeting: 1, update_directive: 1, update_task: 1, \
             transition_task: 2, report_progress: 1, update_award_decision: 1, \
             revoke_award_decision: 1, update_source: 1, cite: 1"
        );
        assert_eq!(db.organization(city.id()).await.unwrap(), city);
        assert_eq!(db.post(deputy.id()).await.unwrap(), deputy);
        assert_eq!(db.holding(hieus.id()).await.unwrap(), hieus);
        assert_eq!(db.person(nghi.id()).await.unwrap(), nghi);
        assert_eq!(
            db.holding(world.holdings[4].id())
                .await
                .unwrap()
                .period
                .end(),
            Some(date("2021-12"))
        );
        assert_eq!(db.meeting(meeting.id()).await.unwrap(), meeting);
        assert_eq!(db.directive(directive.id()).await.unwrap(), directive);
        let task = db.task(first_task.id()).await.unwrap();
        assert_eq!(task.deadline, Some(day("2021-12-31")));
        assert_eq!(task.lifecycle(), Lifecycle::Completed);
        assert_eq!(task.history.len(), 2);
        assert_eq!(
            db.progress_reports_of_tasks(&[task.id()])
                .await
                .unwrap()
                .remove(&task.id())
                .unwrap(),
            std::slice::from_ref(&report)
        );
        let stored = db.award_decision(decision.id()).await.unwrap();
        assert_eq!(stored.signed_on, Some(date("2021-01")));
        assert!(!stored.stands());
        assert_eq!(db.source(article.id()).await.unwrap(), article);
        assert_eq!(
            db.citations_of(&[Subject::ProgressReport(report.id())])
                .await
                .unwrap()
                .remove(&Subject::ProgressReport(report.id()))
                .unwrap()
                .len(),
            1
        );
        assert_eq!(audit_counts(&db).await.values().sum::<usize>(), 67 + 15);
    })
    .await;
}

#[tokio::test]
async fn a_second_chairman_at_the_eighth_write_rolls_the_whole_batch_back_and_is_named_as_write_7()
{
    each_engine(|db| async move {
        let city = organization(
            "Thành phố Cần Thơ",
            Classification::AdministrativeUnit,
            None,
        );
        let committee = organization(
            "Ủy ban nhân dân thành phố Cần Thơ",
            Classification::PeoplesCommittee,
            Some(&city),
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
        let article = source();
        let mut writes = vec![
            Write::CreateOrganization(city.clone()),
            Write::CreateOrganization(committee.clone()),
            Write::CreatePost(chair.clone()),
            Write::CreatePerson(truong.clone()),
            Write::CreatePerson(rival.clone()),
            Write::Appoint(truongs.clone()),
            Write::CreateSource(article.clone()),
            Write::Appoint(rivals.clone()),
        ];
        writes.push(Write::Cite(citation(
            &article,
            Subject::Holding(truongs.id()),
        )));
        writes.push(Write::Cite(citation(&article, Subject::Person(rival.id()))));

        let error: BatchError = db.apply(&actor(), &writes).await.unwrap_err();

        assert_eq!(error.index, 7, "{error}");
        match &error.error {
            StorageError::Invariant(DomainError::Holding(HoldingError::SeatsExceeded {
                conflicting,
                seats,
                ..
            })) => {
                assert_eq!(*seats, Seats::ONE);
                assert_eq!(
                    conflicting.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
                    [truongs.id()],
                    "the rule counted the holding appointed earlier in the same batch"
                );
            }
            other => panic!("expected the seat rule, got {other:?}"),
        }
        assert!(
            error
                .to_string()
                .starts_with("write 7 of the batch failed: "),
            "{error}"
        );
        assert_nothing_written(&db, &[chair.id()], &[truongs.id(), rivals.id()]).await;

        // The rolled-back batch left the database usable: without the rival, the same writes
        // land.
        writes.remove(7);
        writes.pop();
        let summary = db.apply(&actor(), &writes).await.unwrap();
        assert_eq!(summary.total(), 8);
        assert_eq!(
            db.holdings_by_ids(&[truongs.id(), rivals.id()])
                .await
                .unwrap(),
            [truongs]
        );
    })
    .await;
}

#[tokio::test]
async fn a_constraint_the_database_enforces_also_rolls_the_whole_batch_back() {
    each_engine(|db| async move {
        let wikidata = Identifier::new("wikidata", "Q10800000").unwrap();
        let mut first = PersonDetails::named(PersonName::parse("Phạm Văn Hiểu").unwrap());
        first.identifiers = vec![wikidata.clone()];
        let mut second = PersonDetails::named(PersonName::parse("Trần Việt Trường").unwrap());
        second.identifiers = vec![wikidata];
        let writes = vec![
            Write::CreatePerson(Person::new(PersonId::new(), first).unwrap()),
            Write::CreateSource(source()),
            Write::CreatePerson(Person::new(PersonId::new(), second).unwrap()),
            Write::CreateSource(source()),
        ];

        let error = db.apply(&actor(), &writes).await.unwrap_err();

        assert_eq!(error.index, 2, "{error}");
        assert!(
            matches!(
                error.error,
                StorageError::Conflict {
                    rule: "an identifier is unique per scheme",
                    ..
                }
            ),
            "{error}"
        );
        assert_nothing_written(&db, &[], &[]).await;
    })
    .await;
}

#[tokio::test]
async fn a_later_write_of_a_batch_sees_the_records_written_before_it_in_the_same_batch() {
    each_engine(|db| async move {
        let committee = organization(
            "Ủy ban nhân dân thành phố Cần Thơ",
            Classification::PeoplesCommittee,
            None,
        );
        let chair = post(&committee, "Chủ tịch", Seats::ONE);
        let truong = person("Trần Việt Trường");
        let appointed = holding(
            &truong,
            &chair,
            Period::new(Some(date("2016-07")), None).unwrap(),
        );
        let mut with_birth = truong.details().clone();
        with_birth.birth_date = Some(date("1969"));
        let updated = Person::new(truong.id(), with_birth).unwrap();
        let writes = vec![
            Write::CreateOrganization(committee.clone()),
            Write::CreatePost(chair.clone()),
            Write::CreatePerson(truong.clone()),
            // The person and the post exist only in this batch's transaction so far.
            Write::Appoint(appointed.clone()),
            Write::UpdatePerson(updated.clone()),
            Write::EndHolding {
                id: appointed.id(),
                end: date("2021-06"),
                reason: None,
            },
        ];

        let summary = db.apply(&actor(), &writes).await.unwrap();
        assert_eq!(summary.total(), 6);

        assert_eq!(db.person(truong.id()).await.unwrap(), updated);
        let stored = db.holding(appointed.id()).await.unwrap();
        assert_eq!(stored.person, truong.id());
        assert_eq!(stored.period.end(), Some(date("2021-06")));
        let operations: Vec<String> = db
            .audit_log(
                &AuditFilter {
                    entity: Some(("holding".to_owned(), appointed.id().as_uuid())),
                    ..AuditFilter::default()
                },
                &PageRequest::first(10),
            )
            .await
            .unwrap()
            .edges
            .into_iter()
            .map(|e| e.node.operation)
            .collect();
        assert_eq!(operations, ["appoint", "end_holding"]);

        // A write that refers to a record the batch has not written yet fails, naming it.
        let late = person("Trần Thị Vĩnh Nghi");
        let error = db
            .apply(
                &actor(),
                &[
                    Write::Appoint(holding(&late, &chair, Period::always())),
                    Write::CreatePerson(late.clone()),
                ],
            )
            .await
            .unwrap_err();
        assert_eq!(error.index, 0);
        assert!(
            matches!(error.error, StorageError::NotFound { kind: "person", .. }),
            "{error}"
        );
    })
    .await;
}

/// Ten given names, for ten people.
const GIVEN_NAMES: [&str; 10] = [
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga",
];

#[tokio::test]
async fn apply_in_chunks_commits_each_chunk_and_keeps_the_chunks_before_a_failure() {
    each_engine(|db| async move {
        let people: Vec<Person> = GIVEN_NAMES
            .iter()
            .map(|given| person(&format!("Nguyễn Văn {given}")))
            .collect();
        let written = db
            .apply_in_chunks(&actor(), people.iter().cloned().map(Write::CreatePerson), 3)
            .await
            .unwrap();
        assert_eq!(written, 10);
        let ids: Vec<PersonId> = people.iter().map(Person::id).collect();
        assert_eq!(db.people_by_ids(&ids).await.unwrap().len(), 10);

        // Write 7 (in the third chunk, writes 6 to 8) fails: the first two chunks stay, the
        // third is rolled back whole, and the fourth never runs.
        let more: Vec<Person> = GIVEN_NAMES
            .iter()
            .map(|given| person(&format!("Lê Thị {given}")))
            .collect();
        let mut writes: Vec<Write> = more.iter().cloned().map(Write::CreatePerson).collect();
        writes[7] = Write::UpdatePerson(person("Không Có Thật"));
        let error = db.apply_in_chunks(&actor(), writes, 3).await.unwrap_err();
        assert_eq!(error.index, 7);
        assert!(
            matches!(error.error, StorageError::NotFound { kind: "person", .. }),
            "{error}"
        );
        let stored: Vec<bool> = {
            let mut found = Vec::new();
            for one in &more {
                found.push(db.people_by_ids(&[one.id()]).await.unwrap().len() == 1);
            }
            found
        };
        assert_eq!(
            stored,
            [
                true, true, true, true, true, true, false, false, false, false
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn importers_find_people_and_organizations_by_identifier_and_by_exact_folded_name() {
    each_engine(|db| async move {
        let mut details = PersonDetails::named(PersonName::parse("Trần Việt Trường").unwrap());
        details.identifiers = vec![
            Identifier::new("wikidata", "Q10800001").unwrap(),
            Identifier::new("everypolitician", "tran-viet-truong").unwrap(),
        ];
        let truong = Person::new(PersonId::new(), details).unwrap();
        let namesake = person("Trần Việt Trường");
        let other = person("Trần Việt");
        let mut details = OrganizationDetails::new(
            text("Ủy ban nhân dân thành phố Cần Thơ"),
            Classification::PeoplesCommittee,
        );
        details.identifiers = vec![Identifier::new("wikidata", "Q10800001").unwrap()];
        let committee = Organization::new(OrganizationId::new(), details).unwrap();
        let council = organization("Ủy ban nhân dân", Classification::PeoplesCommittee, None);
        db.apply(
            &actor(),
            &[
                Write::CreatePerson(truong.clone()),
                Write::CreatePerson(namesake.clone()),
                Write::CreatePerson(other.clone()),
                Write::CreateOrganization(committee.clone()),
                Write::CreateOrganization(council.clone()),
            ],
        )
        .await
        .unwrap();

        // By identifier: the value is normalized as an identifier is, and the same pair in
        // another kind of record is another identifier.
        assert_eq!(
            db.person_by_identifier("wikidata", " Q10800001 ")
                .await
                .unwrap(),
            Some(truong.clone())
        );
        assert_eq!(
            db.person_by_identifier("everypolitician", "tran-viet-truong")
                .await
                .unwrap(),
            Some(truong.clone())
        );
        assert_eq!(
            db.organization_by_identifier("wikidata", "Q10800001")
                .await
                .unwrap(),
            Some(committee.clone())
        );
        assert_eq!(
            db.person_by_identifier("wikidata", "Q10800002")
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            db.organization_by_identifier("everypolitician", "tran-viet-truong")
                .await
                .unwrap(),
            None
        );
        assert!(matches!(
            db.person_by_identifier("Wiki Data", "Q1").await,
            Err(StorageError::InvalidInput(_))
        ));

        // By folded name: exact, whatever the case and the marks, never a prefix.
        let mut namesakes: Vec<PersonId> = db
            .people_by_folded_name("tran viet truong")
            .await
            .unwrap()
            .iter()
            .map(Person::id)
            .collect();
        namesakes.sort();
        let mut expected = vec![truong.id(), namesake.id()];
        expected.sort();
        assert_eq!(namesakes, expected);
        assert_eq!(
            db.people_by_folded_name("TRẦN VIỆT TRƯỜNG")
                .await
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            db.people_by_folded_name("tran viet").await.unwrap(),
            [other]
        );
        assert!(db.people_by_folded_name("tran").await.unwrap().is_empty());
        assert!(db.people_by_folded_name("  ").await.unwrap().is_empty());
        assert_eq!(
            db.organizations_by_folded_name("uy ban nhan dan thanh pho can tho")
                .await
                .unwrap(),
            [committee]
        );
        assert_eq!(
            db.organizations_by_folded_name("Uỷ ban nhân dân")
                .await
                .unwrap(),
            [council]
        );
    })
    .await;
}

#[tokio::test]
async fn an_empty_batch_writes_nothing_and_succeeds() {
    each_engine(|db| async move {
        let summary = db.apply(&actor(), &[]).await.unwrap();
        assert_eq!(summary.total(), 0);
        assert_eq!(
            db.apply_in_chunks(&actor(), Vec::new(), 0).await.unwrap(),
            0
        );
        assert_nothing_written(&db, &[], &[]).await;
    })
    .await;
}
