//! Each recognizer on reports written the way other papers write them: other provinces, other
//! dateline markers, other award forms and phrasings than the corpus has. These check that the
//! rules follow the press's conventions rather than the six corpus articles.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use gazette_domain::award::form::{AwardForm, OrderClass, OrderName, RecipientKind};
use gazette_domain::directive::DirectiveKind;
use gazette_domain::meeting::MeetingKind;
use gazette_domain::organization::{Classification, Level};
use gazette_ingest::{
    AbbreviationOrigin, Draft, IngestOptions, PartOfDay, PublisherEvidence, PublisherTable,
    SourceHint, ingest,
};

fn read(text: &str) -> Draft {
    ingest(text, &IngestOptions::default()).unwrap()
}

fn organization<'d>(draft: &'d Draft, key: &str) -> &'d gazette_ingest::OrganizationDraft {
    draft
        .organizations
        .iter()
        .find(|o| o.key == key)
        .unwrap_or_else(|| panic!("no organization {key}: {:#?}", draft.organizations))
}

#[test]
fn a_ha_giang_report_with_a_bare_marker_and_a_central_title() {
    let draft = read(
        "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 3\n\
         10/01/2021 | 15:20\n\
         BHG - Sáng 10/1, đồng chí Nguyễn Văn Sơn, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh chủ trì hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 3. \
         Dự hội nghị có các đồng chí: Thào Hồng Sơn, Phó Bí thư Thường trực Tỉnh ủy; Nguyễn Văn Sơn, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh.\n\
         PV",
    );
    let publisher = draft.source.publisher.as_ref().unwrap();
    assert_eq!(publisher.name.as_deref(), Some("Báo Hà Giang"));
    assert_eq!(publisher.found_by, PublisherEvidence::DatelineMarker);
    assert_eq!(draft.source.byline.as_ref().unwrap().value, "PV");
    assert_eq!(
        draft
            .source
            .published_at
            .as_ref()
            .unwrap()
            .value
            .to_string(),
        "2021-01-10T15:20:00"
    );
    let son = &draft.people[0];
    assert_eq!(son.name, "Nguyễn Văn Sơn");
    let posts: Vec<(&str, &str, Option<Level>)> = son
        .titles
        .iter()
        .map(|t| {
            (
                t.post.as_deref().unwrap(),
                organization(&draft, t.organization.as_deref().unwrap())
                    .name
                    .as_str(),
                t.level,
            )
        })
        .collect();
    assert_eq!(
        posts,
        [
            (
                "Ủy viên",
                "Ban Chấp hành Trung ương Đảng",
                Some(Level::National)
            ),
            ("Bí thư", "Tỉnh ủy Hà Giang", Some(Level::Province)),
            (
                "Chủ tịch",
                "Hội đồng nhân dân tỉnh Hà Giang",
                Some(Level::Province)
            ),
            ("Phó Bí thư", "Tỉnh ủy Hà Giang", Some(Level::Province)),
            (
                "Chủ tịch",
                "Ủy ban nhân dân tỉnh Hà Giang",
                Some(Level::Province)
            ),
        ],
        "the two mentions of Nguyễn Văn Sơn are merged with every title"
    );
    let meeting = draft.meeting.as_ref().unwrap();
    assert_eq!(meeting.date.unwrap().to_string(), "2021-01-10");
    assert_eq!(meeting.part_of_day, Some(PartOfDay::Morning));
    assert_eq!(meeting.kind, MeetingKind::Conference);
    assert_eq!(meeting.chairs.len(), 1);
    assert_eq!(
        meeting.attendees.len(),
        1,
        "the chair is not also an attendee"
    );
    assert_eq!(draft.people[1].name, "Thào Hồng Sơn");
}

#[test]
fn counted_recipients_and_the_chairmans_certificate() {
    let draft = read(
        "Vĩnh Long tổng kết phong trào nông thôn mới\n\
         Ngày 20-1-2021, UBND tỉnh Vĩnh Long tổ chức hội nghị tổng kết 10 năm xây dựng nông thôn mới. \
         Dịp này, đồng chí Lữ Quang Ngời, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh trao Bằng khen của Chủ tịch UBND tỉnh cho 11 tập thể, 6 cá nhân và 6 hộ gia đình có thành tích xuất sắc trong phong trào xây dựng nông thôn mới giai đoạn 2011-2020.",
    );
    let award = &draft.awards[0];
    assert_eq!(award.form, Some(AwardForm::CertificateOfMerit));
    assert_eq!(
        award.form_text.as_deref(),
        Some("Bằng khen của Chủ tịch UBND tỉnh")
    );
    assert_eq!(award.conferred_by_title.as_deref(), Some("Chủ tịch"));
    assert_eq!(
        organization(&draft, award.authority.as_deref().unwrap()).name,
        "Ủy ban nhân dân tỉnh Vĩnh Long"
    );
    assert_eq!(award.presenter.as_deref(), Some("lu-quang-ngoi"));
    let counts: Vec<(RecipientKind, Option<u32>)> =
        award.recipients.iter().map(|r| (r.kind, r.count)).collect();
    assert_eq!(
        counts,
        [
            (RecipientKind::Collective, Some(11)),
            (RecipientKind::Individual, Some(6)),
            (RecipientKind::Household, Some(6)),
        ]
    );
    assert_eq!(
        award.achievement.period.map(|p| p.to_string()).as_deref(),
        Some("2011-2020")
    );
    assert_eq!(
        award.achievement.field.as_deref(),
        Some("phong trào xây dựng nông thôn mới")
    );
    assert!(award.at_meeting);
    assert_eq!(award.date.unwrap().to_string(), "2021-01-20");
    let meeting = draft.meeting.as_ref().unwrap();
    assert_eq!(
        organization(&draft, meeting.organizer.as_deref().unwrap()).name,
        "Ủy ban nhân dân tỉnh Vĩnh Long"
    );
}

#[test]
fn an_order_presented_to_a_named_department() {
    let draft = read(
        "(TTXVN) - Chiều 5/3/2021, thừa ủy quyền của Chủ tịch nước, đồng chí Trần Văn Lâm, Phó Chủ tịch UBND tỉnh Bình Định trao Huân chương Lao động hạng ba cho Sở Y tế tỉnh Bình Định.",
    );
    assert_eq!(
        draft.source.publisher.as_ref().unwrap().name.as_deref(),
        Some("Thông tấn xã Việt Nam")
    );
    let award = &draft.awards[0];
    assert_eq!(
        award.form,
        Some(AwardForm::order(OrderName::LaoDong, Some(OrderClass::Third)).unwrap())
    );
    assert_eq!(award.presenter.as_deref(), Some("tran-van-lam"));
    let recipient = &award.recipients[0];
    assert_eq!(recipient.kind, RecipientKind::Collective);
    assert_eq!(
        organization(&draft, recipient.organization.as_deref().unwrap()).name,
        "Sở Y tế tỉnh Bình Định"
    );
}

#[test]
fn a_decision_number_and_date_are_read() {
    let draft = read(
        "Ngày 10/12/2020, UBND huyện Tam Nông tổ chức hội nghị. Tại hội nghị, UBND huyện khen thưởng 5 tập thể theo Quyết định số 2846/QĐ-UBND ngày 8/12/2020.",
    );
    let award = &draft.awards[0];
    assert_eq!(
        award.decision_number.as_ref().map(|n| n.raw()),
        Some("2846/QĐ-UBND")
    );
    assert_eq!(award.decision_date.unwrap().to_string(), "2020-12-08");
    assert_eq!(
        award.form, None,
        "the article names no form; none is invented"
    );
    assert_eq!(
        organization(&draft, award.authority.as_deref().unwrap()).name,
        "Ủy ban nhân dân huyện Tam Nông"
    );
}

#[test]
fn instructions_with_deadlines_and_a_year_taken_from_the_date_line() {
    let draft = read(
        "02/09/2022 10:00\n\
         Ngày 1/9, đồng chí Lê Văn Hùng, Chủ tịch UBND huyện Mỹ Tú chủ trì cuộc họp. \
         Kết luận cuộc họp, đồng chí Lê Văn Hùng yêu cầu các phòng, ban chuyên môn rà soát các công trình; báo cáo kết quả về UBND huyện trước ngày 30/9. \
         Đồng thời giao Phòng Tài chính - Kế hoạch hoàn thành hồ sơ chậm nhất ngày 15-10-2022.",
    );
    let directive = &draft.directives[0];
    assert_eq!(directive.kind, DirectiveKind::Conclusion);
    assert_eq!(directive.verb, "yêu cầu");
    assert_eq!(directive.date.unwrap().to_string(), "2022-09-01");
    let tasks: Vec<(&str, Option<String>)> = directive
        .tasks
        .iter()
        .map(|t| (t.text.as_str(), t.deadline.map(|d| d.to_string())))
        .collect();
    assert_eq!(
        tasks,
        [
            ("Rà soát các công trình", None),
            (
                "Báo cáo kết quả về UBND huyện trước ngày 30/9",
                Some("2022-09-30".to_owned())
            ),
            (
                "Hoàn thành hồ sơ chậm nhất ngày 15-10-2022",
                Some("2022-10-15".to_owned())
            ),
        ]
    );
    assert_eq!(directive.addressees[0].name, "các phòng, ban chuyên môn");
}

#[test]
fn an_evening_date_across_the_new_year() {
    let draft = read(
        "02/01/2021 08:00\nTối ngày 28.12, Thành ủy Hạ Long tổ chức gặp mặt các đồng chí nguyên lãnh đạo.",
    );
    let meeting = draft.meeting.as_ref().unwrap();
    assert_eq!(meeting.date.unwrap().to_string(), "2020-12-28");
    assert_eq!(meeting.part_of_day, Some(PartOfDay::Evening));
    let organizer = organization(&draft, meeting.organizer.as_deref().unwrap());
    assert_eq!(organizer.name, "Thành ủy Hạ Long");
    assert_eq!(
        organizer.level,
        Some(Level::District),
        "Hạ Long is a provincial city"
    );
}

#[test]
fn abbreviations_defined_in_the_article_and_built_in() {
    let draft = read(
        "Ban Chỉ đạo thực hiện quy chế dân chủ ở cơ sở (gọi tắt là BCĐ) và Mặt trận Tổ quốc (MTTQ) các cấp; UBND tỉnh chỉ đạo.",
    );
    let found: Vec<(&str, &str, AbbreviationOrigin)> = draft
        .abbreviations
        .iter()
        .map(|a| (a.abbreviation.as_str(), a.expansion.as_str(), a.origin))
        .collect();
    assert!(
        found.contains(&("MTTQ", "Mặt trận Tổ quốc", AbbreviationOrigin::Article)),
        "{found:?}"
    );
    assert!(
        found.contains(&("UBND", "Ủy ban nhân dân", AbbreviationOrigin::BuiltIn)),
        "{found:?}"
    );
}

#[test]
fn an_unknown_dateline_marker_is_reported_and_a_configured_one_is_known() {
    let text = "(BXYZ) - Sáng 3-2, Huyện ủy Đông Hải tổ chức hội nghị.";
    let draft = read(text);
    let publisher = draft.source.publisher.as_ref().unwrap();
    assert_eq!(publisher.name, None);
    assert_eq!(publisher.marker.as_deref(), Some("BXYZ"));
    assert!(
        draft
            .warnings
            .iter()
            .any(|w| w.code == "unknown_dateline_marker")
    );

    let table = PublisherTable::from_json(
        r#"{"publishers": [{"name": "Báo XYZ", "markers": ["BXYZ"],
            "locality": {"unit": "tỉnh", "name": "Bạc Liêu"}}]}"#,
    )
    .unwrap();
    let configured = ingest(text, &IngestOptions::default().with_publishers(table)).unwrap();
    assert_eq!(
        configured
            .source
            .publisher
            .as_ref()
            .unwrap()
            .name
            .as_deref(),
        Some("Báo XYZ")
    );
}

#[test]
fn the_callers_hint_names_the_publisher_and_its_place() {
    let text =
        "Chiều 19/01, đồng chí Lê Duy Thành, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh chủ trì họp.";
    let options = IngestOptions::default().with_hint(SourceHint {
        publisher: Some("Báo Vĩnh Phúc".into()),
        url: None,
        title: Some("Họp hội đồng".into()),
    });
    let draft = ingest(text, &options).unwrap();
    assert_eq!(draft.source.title.as_ref().unwrap().value, "Họp hội đồng");
    let names: Vec<&str> = draft
        .organizations
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert!(names.contains(&"Tỉnh ủy Vĩnh Phúc"), "{names:?}");
    assert!(
        names.contains(&"Ủy ban nhân dân tỉnh Vĩnh Phúc"),
        "{names:?}"
    );
}

#[test]
fn titles_joined_by_dashes_and_capitals_only_names() {
    let draft = read(
        "Đồng chí ĐINH VĂN HÙNG - Ủy viên Ban Thường vụ, Trưởng Ban Tuyên giáo Tỉnh ủy Cà Mau - phát biểu.",
    );
    let person = &draft.people[0];
    assert_eq!(person.name, "Đinh Văn Hùng");
    let organizations: Vec<&str> = person
        .titles
        .iter()
        .map(|t| {
            organization(&draft, t.organization.as_deref().unwrap())
                .name
                .as_str()
        })
        .collect();
    assert_eq!(
        organizations,
        [
            "Ban Thường vụ Tỉnh ủy Cà Mau",
            "Ban Tuyên giáo Tỉnh ủy Cà Mau"
        ],
        "the standing board takes the committee of the title after it"
    );
    assert_eq!(
        organization(&draft, "ban-tuyen-giao-tinh-uy-ca-mau").classification,
        Classification::PartyBoard
    );
}

#[test]
fn nothing_is_invented_from_an_article_without_events() {
    let draft = read(
        "Thời tiết Hà Nội hôm nay\nTrời nắng, nhiệt độ từ 20 đến 28 độ. Người dân nên mang theo nước.",
    );
    assert!(draft.people.is_empty());
    assert!(draft.meeting.is_none());
    assert!(draft.directives.is_empty());
    assert!(draft.awards.is_empty());
    assert!(draft.organizations.is_empty());
}

#[test]
fn a_guest_who_attends_and_directs_is_an_attendee_not_a_directive() {
    let draft = read(
        "Hà Tĩnh: Tổng kết công tác dân vận năm 2023\n\
         12/01/2024 - 16:30\n\
         (Baohatinh.vn) - Sáng nay (12/1), Ban Thường vụ Tỉnh ủy Hà Tĩnh tổ chức hội nghị tổng kết công tác dân vận năm 2023. \
         Đồng chí Hoàng Trung Dũng - Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy dự và chỉ đạo hội nghị. \
         Chủ trì hội nghị có các đồng chí: Trần Thế Dũng - Phó Bí thư Thường trực Tỉnh ủy; Lê Ngọc Châu - Ủy viên Ban Thường vụ, Trưởng Ban Dân vận Tỉnh ủy.\n\
         Phát biểu kết luận, đồng chí Trần Thế Dũng đề nghị các cấp ủy, chính quyền tiếp tục quán triệt quan điểm của Đảng về công tác dân vận.",
    );
    let meeting = draft.meeting.as_ref().unwrap();
    assert_eq!(meeting.date.unwrap().to_string(), "2024-01-12");
    let chairs: Vec<&str> = meeting
        .chairs
        .iter()
        .filter_map(|c| c.person.as_deref())
        .collect();
    assert_eq!(chairs, ["tran-the-dung", "le-ngoc-chau"]);
    let attendees: Vec<&str> = meeting
        .attendees
        .iter()
        .filter_map(|a| a.person.as_deref())
        .collect();
    assert_eq!(attendees, ["hoang-trung-dung"]);
    assert_eq!(draft.directives.len(), 1, "{:#?}", draft.directives);
    let directive = &draft.directives[0];
    assert_eq!(directive.kind, DirectiveKind::Conclusion);
    // Named without a title, the speaker acts in the post the article gave him.
    let capacity = &directive.speaker.as_ref().unwrap().capacities[0];
    assert_eq!(capacity.post.as_deref(), Some("Phó Bí thư Thường trực"));
    assert_eq!(
        organization(&draft, "ban-thuong-vu-tinh-uy-ha-tinh").name,
        "Ban Thường vụ Tỉnh ủy Hà Tĩnh"
    );
}

#[test]
fn a_signed_decision_names_its_signer_not_a_presenter() {
    let draft = read(
        "Ngày 5/6/2023, Phó Thủ tướng Trần Lưu Quang ký Quyết định số 648/QĐ-TTg tặng Bằng khen của Thủ tướng Chính phủ cho 5 tập thể và 3 cá nhân thuộc tỉnh Lào Cai đã có thành tích xuất sắc trong công tác phòng, chống dịch COVID-19.",
    );
    let award = &draft.awards[0];
    assert_eq!(award.signer.as_deref(), Some("tran-luu-quang"));
    assert_eq!(award.presenter, None);
    assert_eq!(award.conferred_by_title.as_deref(), Some("Thủ tướng"));
    assert_eq!(
        organization(&draft, award.authority.as_deref().unwrap()).classification,
        Classification::Government
    );
    assert_eq!(
        award.decision_number.as_ref().map(|n| n.raw()),
        Some("648/QĐ-TTg")
    );
    assert_eq!(award.decision_date.unwrap().to_string(), "2023-06-05");
    assert_eq!(
        award.achievement.field.as_deref(),
        Some("phòng, chống dịch COVID-19")
    );
}

#[test]
fn a_council_session_with_its_place_and_term() {
    let draft = read(
        "Sáng 10-7-2023, tại Hội trường 19/8, HĐND tỉnh Quảng Nam khóa X tổ chức kỳ họp thứ 12. \
         Chủ tịch UBND TP.HCM Phan Văn Mãi dự.",
    );
    let meeting = draft.meeting.as_ref().unwrap();
    assert_eq!(meeting.location.as_deref(), Some("Hội trường 19/8"));
    assert_eq!(meeting.kind, MeetingKind::CouncilSession);
    assert_eq!(meeting.title.as_deref(), Some("Kỳ họp thứ 12"));
    assert_eq!(
        organization(&draft, meeting.organizer.as_deref().unwrap()).name,
        "Hội đồng nhân dân tỉnh Quảng Nam"
    );
    let mai = draft
        .people
        .iter()
        .find(|p| p.name == "Phan Văn Mãi")
        .unwrap();
    assert_eq!(
        organization(&draft, mai.titles[0].organization.as_deref().unwrap()).name,
        "Ủy ban nhân dân thành phố Hồ Chí Minh"
    );
    assert_eq!(meeting.attendees.len(), 1);
}
