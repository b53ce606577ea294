//! The founding example: the Cần Thơ conference of 15-1-2021 reported by Báo Cần Thơ on
//! 2021-01-16, built as domain records, with the questions Gazette must answer about it.

#![allow(clippy::unwrap_used, reason = "tests unwrap: a panic is a failed test")]

use chrono::NaiveDate;
use gazette_domain::award::form::{AwardForm, RecipientKind};
use gazette_domain::award::{
    Achievement, AchievementPeriod, AwardDecision, AwardDecisionDetails, AwardError,
    DecisionStatus, Presentation, UnnamedRecipients,
};
use gazette_domain::date::{PartialDate, PartialDateTime, Period};
use gazette_domain::directive::{Assignee, Directive, DirectiveDetails, DirectiveKind};
use gazette_domain::holding::{
    Holding, HoldingContext, HoldingDetails, HoldingError, HoldingKind, check_holding, holders_on,
    positions_on,
};
use gazette_domain::ids::{
    AwardDecisionId, CitationId, DirectiveId, HoldingId, MeetingId, OrganizationId, PersonId,
    PostId, SourceId, TaskId,
};
use gazette_domain::meeting::{Meeting, MeetingDetails, MeetingKind, Participant};
use gazette_domain::name::PersonName;
use gazette_domain::organization::{Classification, Level, Organization, OrganizationDetails};
use gazette_domain::person::{Person, PersonDetails};
use gazette_domain::post::{Post, PostDetails, Seats};
use gazette_domain::source::{
    Citation, CitationDetails, ContentHash, Source, SourceDetails, SourceKind, Subject,
};
use gazette_domain::task::{Lifecycle, Task, TaskDetails};
use gazette_domain::text::{Prose, Text};

const ARTICLE: &str = include_str!("data/can-tho-2021-01-16-dan-van.txt");

fn text(value: &str) -> Text {
    Text::parse(value).unwrap()
}

fn prose(value: &str) -> Prose {
    Prose::parse(value).unwrap()
}

fn day(value: &str) -> NaiveDate {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").unwrap()
}

/// The world the article describes, and nothing it does not.
struct World {
    source: Source,
    organizations: Vec<Organization>,
    people: Vec<Person>,
    posts: Vec<Post>,
    holdings: Vec<Holding>,
    meeting: Meeting,
    directive: Directive,
    tasks: Vec<Task>,
    decision: AwardDecision,
    citations: Vec<Citation>,
}

impl World {
    fn organization(&self, name: &str) -> &Organization {
        self.organizations
            .iter()
            .find(|o| o.name.as_str() == name)
            .unwrap()
    }

    fn person(&self, name: &str) -> &Person {
        self.people.iter().find(|p| p.name.full() == name).unwrap()
    }

    fn post(&self, id: PostId) -> &Post {
        self.posts.iter().find(|p| p.id() == id).unwrap()
    }

    /// "Title of Organization" for a holding, as the article writes the capacity.
    fn describe(&self, holding: &Holding) -> String {
        let post = self.post(holding.post);
        let organization = self
            .organizations
            .iter()
            .find(|o| o.id() == post.organization)
            .unwrap();
        format!(
            "{} {}",
            post.title,
            organization
                .abbreviation
                .as_ref()
                .unwrap_or(&organization.name)
        )
    }
}

fn organization(
    name: &str,
    abbreviation: &str,
    classification: Classification,
    parent: Option<OrganizationId>,
) -> Organization {
    let mut details = OrganizationDetails::new(text(name), classification);
    details.abbreviation = Some(text(abbreviation));
    details.level = Some(Level::Province);
    details.parent = parent;
    Organization::new(OrganizationId::new(), details).unwrap()
}

fn post(organization: &Organization, title: &str, seats: Seats) -> Post {
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

fn build_world() -> World {
    let mut source_details = SourceDetails::new(
        SourceKind::NewsArticle,
        text(
            "Đồng chí Phạm Văn Hiểu, Phó Bí thư Thường trực Thành ủy, Chủ tịch HĐND thành phố: Nâng cao hiệu quả công tác dân vận và thực hiện quy chế dân chủ ở cơ sở",
        ),
    );
    source_details.publisher = Some(text("Báo Cần Thơ"));
    source_details.published_at = Some(PartialDateTime::parse("2021-01-16 05:59").unwrap());
    source_details.byline = Some(text("THANH THY"));
    source_details.photo_credits = vec![text("NGỌC QUYÊN")];
    source_details.content_hash = Some(ContentHash::of_text(ARTICLE));
    let source = Source::new(SourceId::new(), source_details).unwrap();

    let city = {
        let mut details = OrganizationDetails::new(
            text("Thành phố Cần Thơ"),
            Classification::AdministrativeUnit,
        );
        details.level = Some(Level::Province);
        Organization::new(OrganizationId::new(), details).unwrap()
    };
    let party = organization(
        "Thành ủy Cần Thơ",
        "Thành ủy",
        Classification::PartyCommittee,
        Some(city.id()),
    );
    let standing = organization(
        "Ban Thường vụ Thành ủy Cần Thơ",
        "BTV Thành ủy",
        Classification::StandingBoard,
        Some(party.id()),
    );
    let mass_mobilization = organization(
        "Ban Dân vận Thành ủy Cần Thơ",
        "Ban Dân vận Thành ủy",
        Classification::PartyBoard,
        Some(party.id()),
    );
    let council = organization(
        "Hội đồng nhân dân thành phố Cần Thơ",
        "HĐND thành phố",
        Classification::PeoplesCouncil,
        Some(city.id()),
    );
    let committee = organization(
        "Ủy ban nhân dân thành phố Cần Thơ",
        "UBND thành phố",
        Classification::PeoplesCommittee,
        Some(city.id()),
    );
    let front = organization(
        "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Cần Thơ",
        "Ủy ban MTTQ thành phố",
        Classification::FatherlandFront,
        Some(city.id()),
    );
    let socio_political = organization(
        "Các tổ chức chính trị - xã hội thành phố Cần Thơ",
        "các tổ chức chính trị - xã hội",
        Classification::MassOrganization,
        Some(city.id()),
    );

    let standing_deputy = post(&party, "Phó Bí thư Thường trực", Seats::ONE);
    let deputy = post(&party, "Phó Bí thư", Seats::Unlimited);
    let council_chair = post(&council, "Chủ tịch", Seats::ONE);
    let committee_chair = post(&committee, "Chủ tịch", Seats::ONE);
    let board_head = post(&mass_mobilization, "Trưởng ban", Seats::ONE);

    let person = |name: &str| {
        Person::new(
            PersonId::new(),
            PersonDetails::named(PersonName::parse(name).unwrap()),
        )
        .unwrap()
    };
    let hieu = person("Phạm Văn Hiểu");
    let truong = person("Trần Việt Trường");
    let nghi = person("Trần Thị Vĩnh Nghi");

    // The article says who held what on 2021-01-15 and nothing of when the holdings began or
    // ended, so both ends stay open.
    let holding = |person: &Person, post: &Post| {
        Holding::new(
            HoldingId::new(),
            HoldingDetails {
                person: person.id(),
                post: post.id(),
                period: Period::always(),
                kind: HoldingKind::Elected,
                term: None,
                document: None,
                end_reason: None,
            },
        )
        .unwrap()
    };
    let holdings = vec![
        holding(&hieu, &standing_deputy),
        holding(&hieu, &council_chair),
        holding(&truong, &deputy),
        holding(&truong, &committee_chair),
        holding(&nghi, &board_head),
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
            issued_on: PartialDate::parse("2021-01-15").unwrap(),
            meeting: Some(meeting.id()),
            document_number: None,
            summary: prose(
                "Nâng cao hiệu quả công tác dân vận và thực hiện quy chế dân chủ ở cơ sở: các cấp ủy đảng, chính quyền, dân vận, Mặt trận, các tổ chức chính trị - xã hội tiếp tục tham mưu cấp ủy triển khai, thực hiện tốt các chủ trương của Đảng, chính sách pháp luật của Nhà nước liên quan đến công tác dân vận và QCDC ở cơ sở.",
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

    // One task per distinct instruction, split on the article's own semicolons; the groups a
    // sentence names as its subject are the task's addressees (the article names no lead).
    let front_and_organizations = vec![group("Mặt trận"), group("các tổ chức chính trị - xã hội")];
    let everyone = vec![
        group("dân vận"),
        group("chính quyền"),
        group("Mặt trận"),
        group("các tổ chức chính trị - xã hội"),
    ];
    let instructions: Vec<(&str, Vec<Assignee>)> = vec![
        (
            "Tiếp tục tham mưu cấp ủy triển khai, thực hiện tốt các chủ trương của Đảng, chính sách pháp luật của Nhà nước liên quan đến công tác dân vận và QCDC ở cơ sở",
            vec![],
        ),
        (
            "Tăng cường công tác dân vận chính quyền gắn với thực hiện QCDC ở cơ sở",
            vec![],
        ),
        (
            "Thực hiện tốt công tác tiếp dân, đối thoại trực tiếp với dân",
            vec![],
        ),
        (
            "Lắng nghe tâm tư, nguyện vọng và đề xuất chủ trương, biện pháp giải quyết kịp thời những bức xúc, kiến nghị chính đáng của dân",
            vec![],
        ),
        ("Nâng cao hiệu quả hoạt động QCDC ở các loại hình", vec![]),
        (
            "Tiếp tục đổi mới nội dung, phương thức hoạt động theo hướng thiết thực, hiệu quả, phù hợp với thực tiễn, hướng trọng tâm về cơ sở",
            front_and_organizations.clone(),
        ),
        (
            "Thực hiện nhiệm vụ giám sát, phản biện xã hội, tích cực tham gia góp ý xây dựng Đảng, chính quyền",
            front_and_organizations.clone(),
        ),
        (
            "Thực hiện tốt công tác bầu cử đại biểu Quốc hội và đại biểu HĐND các cấp nhiệm kỳ 2021-2026",
            front_and_organizations,
        ),
        (
            "Đẩy mạnh các phong trào thi đua yêu nước, “Dân vận khéo” và các hoạt động an sinh xã hội đi vào chiều sâu, thiết thực, hiệu quả và bền vững",
            everyone,
        ),
    ];
    let tasks = instructions
        .into_iter()
        .zip(1..)
        .map(|((instruction, addressees), position)| {
            let mut details = TaskDetails::new(
                directive.id(),
                position,
                prose(instruction),
                day("2021-01-15"),
            );
            details.addressees = addressees;
            Task::new(TaskId::new(), details).unwrap()
        })
        .collect::<Vec<_>>();

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
                note: Some(text(
                    "các tập thể có thành tích xuất sắc: the article gives neither their number nor their names",
                )),
            }],
            status: DecisionStatus::Issued,
            presentations: vec![Presentation {
                meeting: Some(meeting.id()),
                presenter: Some(truong.id()),
                date: Some(PartialDate::parse("2021-01-15").unwrap()),
            }],
        },
    )
    .unwrap();

    let organizations = vec![
        city,
        party,
        standing,
        mass_mobilization,
        council,
        committee,
        front,
        socio_political,
    ];
    let people = vec![hieu, truong, nghi];
    let posts = vec![
        standing_deputy,
        deputy,
        council_chair,
        committee_chair,
        board_head,
    ];

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
        .map(|subject| {
            Citation::new(
                CitationId::new(),
                CitationDetails {
                    source: source.id(),
                    subject,
                    note: None,
                },
            )
            .unwrap()
        })
        .collect();

    World {
        source,
        organizations,
        people,
        posts,
        holdings,
        meeting,
        directive,
        tasks,
        decision,
        citations,
    }
}

#[test]
fn the_three_officials_held_their_five_posts_on_the_day_of_the_conference() {
    let world = build_world();
    let on = day("2021-01-15");
    let positions = |name: &str| -> Vec<String> {
        positions_on(&world.holdings, world.person(name).id(), on)
            .map(|h| world.describe(h))
            .collect()
    };
    assert_eq!(
        positions("Phạm Văn Hiểu"),
        ["Phó Bí thư Thường trực Thành ủy", "Chủ tịch HĐND thành phố"]
    );
    assert_eq!(
        positions("Trần Việt Trường"),
        ["Phó Bí thư Thành ủy", "Chủ tịch UBND thành phố"]
    );
    assert_eq!(
        positions("Trần Thị Vĩnh Nghi"),
        ["Trưởng ban Ban Dân vận Thành ủy"]
    );
    assert_eq!(world.holdings.len(), 5);

    // Every holding passes the rules against the rest of the world.
    for holding in &world.holdings {
        let post = world.post(holding.post);
        let context = HoldingContext {
            person: world
                .people
                .iter()
                .find(|p| p.id() == holding.person)
                .unwrap(),
            post,
            organization: world
                .organizations
                .iter()
                .find(|o| o.id() == post.organization)
                .unwrap(),
            holdings_of_post: &world.holdings,
        };
        check_holding(holding, context).unwrap();
    }
}

#[test]
fn a_second_chairman_of_the_peoples_committee_overlapping_tran_viet_truong_is_rejected() {
    let world = build_world();
    let committee = world.organization("Ủy ban nhân dân thành phố Cần Thơ");
    let chair = world
        .posts
        .iter()
        .find(|p| p.organization == committee.id())
        .unwrap();
    let truongs = world
        .holdings
        .iter()
        .find(|h| h.post == chair.id())
        .unwrap();
    let rival = Person::new(
        PersonId::new(),
        PersonDetails::named(PersonName::parse("Lê Quang Mạnh").unwrap()),
    )
    .unwrap();
    let second = Holding::new(
        HoldingId::new(),
        HoldingDetails {
            person: rival.id(),
            post: chair.id(),
            period: Period::new(
                Some(PartialDate::parse("2021-01-01").unwrap()),
                Some(PartialDate::parse("2021-06-30").unwrap()),
            )
            .unwrap(),
            kind: HoldingKind::Appointed,
            term: None,
            document: None,
            end_reason: None,
        },
    )
    .unwrap();
    let error = check_holding(
        &second,
        HoldingContext {
            person: &rival,
            post: chair,
            organization: committee,
            holdings_of_post: &world.holdings,
        },
    )
    .unwrap_err();
    match &error {
        HoldingError::SeatsExceeded {
            conflicting, seats, ..
        } => {
            assert_eq!(*seats, Seats::ONE);
            assert_eq!(
                conflicting.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
                [truongs.id()]
            );
        }
        other => panic!("expected the seat rule, got {other:?}"),
    }
    let message = error.to_string();
    assert!(
        message.contains("post \"Chủ tịch\" has 1 seat"),
        "{message}"
    );
    assert!(message.contains(&truongs.id().to_string()), "{message}");

    // Once Trần Việt Trường's holding is ended before it, the successor fits.
    let mut ended = truongs.clone();
    ended
        .end(PartialDate::parse("2020-12-31").unwrap(), None)
        .unwrap();
    let holdings: Vec<Holding> = world
        .holdings
        .iter()
        .map(|h| {
            if h.id() == ended.id() {
                ended.clone()
            } else {
                h.clone()
            }
        })
        .collect();
    check_holding(
        &second,
        HoldingContext {
            person: &rival,
            post: chair,
            organization: committee,
            holdings_of_post: &holdings,
        },
    )
    .unwrap();
    let mut holdings = holdings;
    holdings.push(second);
    assert_eq!(
        holders_on(&holdings, chair.id(), day("2021-03-01"))
            .map(|h| h.person)
            .collect::<Vec<_>>(),
        [rival.id()]
    );
}

#[test]
fn who_chaired_the_conference_and_holding_what_is_answered() {
    let world = build_world();
    assert_eq!(world.meeting.held_at.date().to_string(), "2021-01-15");
    assert_eq!(
        world.meeting.organizer,
        world.organization("Ban Thường vụ Thành ủy Cần Thơ").id()
    );
    world.meeting.check_capacities(&world.holdings).unwrap();
    let answer: Vec<(String, Vec<String>)> = world
        .meeting
        .chairs_with_positions(&world.holdings)
        .into_iter()
        .map(|(chair, held)| {
            let name = world
                .people
                .iter()
                .find(|p| p.id() == chair.person)
                .unwrap()
                .name
                .full()
                .to_owned();
            (name, held.into_iter().map(|h| world.describe(h)).collect())
        })
        .collect();
    assert_eq!(
        answer,
        vec![
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
}

#[test]
fn the_directive_has_one_task_per_distinct_instruction() {
    let world = build_world();
    world.directive.check_meeting(&world.meeting).unwrap();
    world.directive.check_issuer(&world.holdings).unwrap();
    assert_eq!(
        world.directive.issuer.person,
        world.person("Phạm Văn Hiểu").id()
    );
    assert_eq!(world.directive.addressees.len(), 5);
    assert_eq!(world.tasks.len(), 9);
    assert_eq!(
        world.tasks.iter().map(|t| t.position).collect::<Vec<_>>(),
        (1..=9).collect::<Vec<_>>()
    );
    let texts: Vec<String> = world.tasks.iter().map(|t| t.text.fold()).collect();
    let distinct: std::collections::HashSet<&String> = texts.iter().collect();
    assert_eq!(
        distinct.len(),
        texts.len(),
        "no instruction is recorded twice"
    );
    // Every task is findable in the article's own words.
    let article = gazette_domain::text::fold(ARTICLE);
    for task in &world.tasks {
        let words = task.text.fold();
        assert!(article.contains(&words), "{words:?} is not in the article");
    }
    // The article sets no deadline, so none is invented: the tasks have no deadline.
    for task in &world.tasks {
        assert_eq!(task.deadline, None);
        assert_eq!(task.lifecycle(), Lifecycle::NotStarted);
        assert_eq!(
            task.timeliness(day("2021-06-01")),
            Some(gazette_domain::task::Timeliness::NoDeadline)
        );
    }
}

#[test]
fn the_certificate_of_merit_has_counted_unnamed_collective_recipients() {
    let world = build_world();
    let committee = world.organization("Ủy ban nhân dân thành phố Cần Thơ");
    world.decision.check_authority(committee).unwrap();
    assert!(world.decision.recipients.is_empty());
    let unnamed = &world.decision.unnamed_recipients[0];
    assert_eq!(unnamed.kind, RecipientKind::Collective);
    assert_eq!(unnamed.count, None, "the article does not say how many");
    assert_eq!(
        world.decision.number, None,
        "the article gives no decision number"
    );
    assert_eq!(
        world.decision.presentations[0].presenter,
        Some(world.person("Trần Việt Trường").id())
    );
    assert_eq!(
        world.decision.presentations[0].meeting,
        Some(world.meeting.id())
    );

    // A commune's People's Committee could not have conferred it.
    let mut commune_details = committee.details().clone();
    commune_details.level = Some(Level::Commune);
    let commune = Organization::new(committee.id(), commune_details).unwrap();
    assert!(matches!(
        world.decision.check_authority(&commune),
        Err(AwardError::Form(_))
    ));
}

#[test]
fn the_article_is_the_source_of_every_record() {
    let world = build_world();
    let source = &world.source;
    assert_eq!(source.publisher.as_ref().unwrap().as_str(), "Báo Cần Thơ");
    assert_eq!(
        source.published_at.unwrap().to_string(),
        "2021-01-16T05:59:00"
    );
    assert_eq!(source.byline.as_ref().unwrap().as_str(), "THANH THY");
    assert_eq!(source.photo_credits[0].as_str(), "NGỌC QUYÊN");
    let cited: std::collections::HashSet<Subject> = world
        .citations
        .iter()
        .filter(|c| c.source == source.id())
        .map(|c| c.subject)
        .collect();
    let mut expected = Vec::new();
    expected.extend(
        world
            .organizations
            .iter()
            .map(|o| Subject::Organization(o.id())),
    );
    expected.extend(world.people.iter().map(|p| Subject::Person(p.id())));
    expected.extend(world.posts.iter().map(|p| Subject::Post(p.id())));
    expected.extend(world.holdings.iter().map(|h| Subject::Holding(h.id())));
    expected.extend(world.tasks.iter().map(|t| Subject::Task(t.id())));
    expected.push(Subject::Meeting(world.meeting.id()));
    expected.push(Subject::Directive(world.directive.id()));
    expected.push(Subject::AwardDecision(world.decision.id()));
    for subject in expected {
        assert!(cited.contains(&subject), "{subject:?} cites no source");
    }
}

#[test]
fn the_whole_world_round_trips_through_json() {
    let world = build_world();
    let json = serde_json::to_string(&world.decision).unwrap();
    let back: AwardDecision = serde_json::from_str(&json).unwrap();
    assert_eq!(back, world.decision);
    let json = serde_json::to_string(&world.meeting).unwrap();
    assert_eq!(
        serde_json::from_str::<Meeting>(&json).unwrap(),
        world.meeting
    );
    for task in &world.tasks {
        let json = serde_json::to_string(task).unwrap();
        assert_eq!(&serde_json::from_str::<Task>(&json).unwrap(), task);
    }
}
