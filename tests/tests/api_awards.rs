//! Award decisions over HTTP on every engine: which collectives received a Bằng khen of an
//! authority in a year, who may confer what, one achievement one award, revocation, counted
//! recipients, and who may write.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use gazette_domain::date::PartialDateTime;
use gazette_domain::ids::{MeetingId, OrganizationId, PersonId};
use gazette_domain::meeting::{Meeting, MeetingDetails, MeetingKind};
use gazette_domain::name::PersonName;
use gazette_domain::organization::{Classification, Level, Organization, OrganizationDetails};
use gazette_domain::person::{Person, PersonDetails};
use gazette_domain::text::Text;
use gazette_gateway::schema::ids::global_id;
use gazette_storage::{Actor, Database};
use gazette_tests::{TestDatabase, TestServer};
use serde_json::{Value, json};

fn actor() -> Actor {
    Actor::new("system:fixture").unwrap()
}

/// Records an organization through storage and returns it.
async fn organization(
    db: &Database,
    name: &str,
    classification: Classification,
    level: Option<Level>,
) -> Organization {
    let mut details = OrganizationDetails::new(Text::parse(name).unwrap(), classification);
    details.level = level;
    let organization = Organization::new(OrganizationId::new(), details).unwrap();
    db.create_organization(&actor(), &organization)
        .await
        .unwrap();
    organization
}

fn id_of(organization: &Organization) -> String {
    global_id("Organization", organization.id().as_uuid()).to_string()
}

/// Records a person through storage and returns their global id.
async fn person(db: &Database, name: &str) -> String {
    let person = Person::new(
        PersonId::new(),
        PersonDetails::named(PersonName::parse(name).unwrap()),
    )
    .unwrap();
    db.create_person(&actor(), &person).await.unwrap();
    global_id("Person", person.id().as_uuid()).to_string()
}

/// The authorities and recipients of the scenarios.
struct World {
    /// UBND thành phố Cần Thơ (provincial level).
    city: String,
    /// UBND tỉnh Hậu Giang (provincial level).
    province: String,
    /// UBND xã Vạn Thắng (commune level).
    commune: String,
    /// Three collectives.
    units: [String; 3],
    /// Trần Thị Vĩnh Nghi, an individual recipient.
    nghi: String,
    /// Trần Việt Trường, who signs and presents.
    truong: String,
    /// The city's organization record, for meetings it holds.
    city_record: Organization,
}

async fn world(db: &Database) -> World {
    let city_record = organization(
        db,
        "UBND thành phố Cần Thơ",
        Classification::PeoplesCommittee,
        Some(Level::Province),
    )
    .await;
    let province = organization(
        db,
        "UBND tỉnh Hậu Giang",
        Classification::PeoplesCommittee,
        Some(Level::Province),
    )
    .await;
    let commune = organization(
        db,
        "UBND xã Vạn Thắng",
        Classification::PeoplesCommittee,
        Some(Level::Commune),
    )
    .await;
    let mut units = Vec::new();
    for name in [
        "Sở Nội vụ",
        "Ban Dân vận Quận ủy Ninh Kiều",
        "UBND phường An Hòa",
    ] {
        units.push(id_of(
            &organization(db, name, Classification::Department, None).await,
        ));
    }
    World {
        city: id_of(&city_record),
        province: id_of(&province),
        commune: id_of(&commune),
        units: units.try_into().unwrap(),
        nghi: person(db, "Trần Thị Vĩnh Nghi").await,
        truong: person(db, "Trần Việt Trường").await,
        city_record,
    }
}

const QCDC: &str = "thực hiện quy chế dân chủ ở cơ sở";

const RECORD: &str = "mutation($input: RecordAwardDecisionInput!) {
  recordAwardDecision(input: $input) { awardDecision { id status } }
}";

/// A decision's fields: `form` kind, a field and period, and collective recipients.
fn decision(
    authority: &str,
    number: Option<&str>,
    signed_on: &str,
    form: &str,
    field: &str,
    period: &str,
    collectives: &[&str],
) -> Value {
    json!({
        "number": number,
        "signedOn": signed_on,
        "authority": authority,
        "form": { "kind": form },
        "achievement": {
            "reason": format!("đã có thành tích xuất sắc trong {field} năm {period}"),
            "field": field,
            "period": period,
        },
        "recipients": collectives
            .iter()
            .map(|unit| json!({ "recipient": unit, "prizeVnd": 2_980_000 }))
            .collect::<Vec<_>>(),
    })
}

async fn record(server: &TestServer, fields: Value) -> String {
    let data = server
        .data(
            RECORD,
            json!({ "input": { "decision": fields } }),
            Some(&server.editor),
        )
        .await;
    data["recordAwardDecision"]["awardDecision"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The error code and message of a response that must carry exactly one error.
fn error(response: &Value) -> (String, String) {
    let errors = response["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{response:#}");
    (
        errors[0]["extensions"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        errors[0]["message"].as_str().unwrap_or_default().to_owned(),
    )
}

fn ids(connection: &Value) -> Vec<String> {
    connection["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
        .collect()
}

const LIST: &str = "query($authority: ID, $form: AwardFormKind, $year: Int, $recipient: ID, $status: AwardStatus) {
  awardDecisions(authority: $authority, form: $form, year: $year, recipient: $recipient, status: $status) {
    edges { node { id year number { raw } form { kind vietnameseName }
      recipients(kind: COLLECTIVE) { kind organization { id } person { id } } } }
  }
}";

#[tokio::test]
async fn the_collectives_that_received_a_bang_khen_of_an_authority_in_a_year_are_listed() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let w = world(&server.db).await;
        let [first, second, third] = &w.units;
        let mut merit = decision(
            &w.city,
            Some("163/QĐ-UBND"),
            "2021-01-10",
            "CERTIFICATE_OF_MERIT",
            QCDC,
            "2020",
            &[first, second],
        );
        merit["recipients"]
            .as_array_mut()
            .unwrap()
            .push(json!({ "recipient": w.nghi, "prizeVnd": 1_490_000 }));
        let wanted = record(&server, merit).await;
        record(
            &server,
            decision(
                &w.city,
                Some("170/QĐ-UBND"),
                "2021-01-12",
                "EMULATION_FLAG",
                "phong trào thi đua yêu nước",
                "2020",
                &[third],
            ),
        )
        .await;
        let last_year = record(
            &server,
            decision(
                &w.city,
                Some("98/QĐ-UBND"),
                "2020-01-15",
                "CERTIFICATE_OF_MERIT",
                QCDC,
                "2019",
                &[third],
            ),
        )
        .await;
        let elsewhere = record(
            &server,
            decision(
                &w.province,
                Some("163/QĐ-UBND"),
                "2021-02-01",
                "CERTIFICATE_OF_MERIT",
                "cải cách hành chính",
                "2020",
                &[first],
            ),
        )
        .await;

        let found = server
            .data(
                LIST,
                json!({ "authority": w.city, "form": "CERTIFICATE_OF_MERIT", "year": 2021 }),
                Some(&server.reader),
            )
            .await;
        assert_eq!(
            found["awardDecisions"],
            json!({ "edges": [{ "node": {
                "id": wanted,
                "year": 2021,
                "number": { "raw": "163/QĐ-UBND" },
                "form": { "kind": "CERTIFICATE_OF_MERIT", "vietnameseName": "Bằng khen" },
                "recipients": [
                    { "kind": "COLLECTIVE", "organization": { "id": first }, "person": null },
                    { "kind": "COLLECTIVE", "organization": { "id": second }, "person": null },
                ],
            } }] }),
            "only the city's 2021 Bằng khen, and only its collectives"
        );
        let by_recipient = server.data(LIST, json!({ "recipient": first }), None).await;
        assert_eq!(
            ids(&by_recipient["awardDecisions"]),
            [wanted.clone(), elsewhere]
        );
        let by_person = server
            .data(LIST, json!({ "recipient": w.nghi }), None)
            .await;
        assert_eq!(
            ids(&by_person["awardDecisions"]),
            std::slice::from_ref(&wanted)
        );
        let in_2020 = server
            .data(LIST, json!({ "authority": w.city, "year": 2020 }), None)
            .await;
        assert_eq!(ids(&in_2020["awardDecisions"]), [last_year]);

        let individuals = server
            .data(
                "query($id: ID!) { awardDecision(id: $id) { recipients(kind: INDIVIDUAL) { person { id name } prizeVnd } } }",
                json!({ "id": wanted }),
                None,
            )
            .await;
        assert_eq!(
            individuals["awardDecision"]["recipients"],
            json!([{ "person": { "id": w.nghi, "name": "Trần Thị Vĩnh Nghi" }, "prizeVnd": 1_490_000 }])
        );
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn a_commune_cannot_confer_a_bang_khen_but_may_confer_a_giay_khen() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let w = world(&server.db).await;
        let refused = server
            .graphql(
                RECORD,
                json!({ "input": { "decision": decision(
                    &w.commune, Some("12/QĐ-UBND"), "2021-01-05", "CERTIFICATE_OF_MERIT", QCDC, "2020", &[&w.units[2]],
                ) } }),
                Some(&server.editor),
            )
            .await
            .json();
        let (code, message) = error(&refused);
        assert_eq!(code, "BAD_USER_INPUT");
        assert!(
            message.contains("commune level may not confer Bằng khen"),
            "{message}"
        );
        let accepted = record(
            &server,
            decision(
                &w.commune,
                Some("12/QĐ-UBND"),
                "2021-01-05",
                "CERTIFICATE_OF_COMMENDATION",
                QCDC,
                "2020",
                &[&w.units[2]],
            ),
        )
        .await;
        let listed = server
            .data(LIST, json!({ "authority": w.commune }), None)
            .await;
        assert_eq!(
            ids(&listed["awardDecisions"]),
            [accepted],
            "the refused Bằng khen left nothing behind"
        );
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn one_achievement_is_rewarded_once() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let w = world(&server.db).await;
        let unit = &w.units[0];
        let first = record(
            &server,
            decision(
                &w.city,
                Some("163/QĐ-UBND"),
                "2021-01-10",
                "CERTIFICATE_OF_MERIT",
                QCDC,
                "2020",
                &[unit],
            ),
        )
        .await;
        // The same field written with old tone placement and another case is the same
        // achievement.
        let again = server
            .graphql(
                RECORD,
                json!({ "input": { "decision": decision(
                    &w.city, Some("200/QĐ-UBND"), "2021-03-01", "EMULATION_FLAG",
                    "Thực hiện quy chế dân chủ ở cơ sở", "2020", &[unit],
                ) } }),
                Some(&server.editor),
            )
            .await
            .json();
        let (code, message) = error(&again);
        assert_eq!(code, "BAD_USER_INPUT");
        assert!(
            message.contains("one achievement is rewarded once") && message.contains("163/QĐ-UBND"),
            "{message}"
        );
        record(
            &server,
            decision(
                &w.city,
                Some("201/QĐ-UBND"),
                "2022-01-10",
                "CERTIFICATE_OF_MERIT",
                QCDC,
                "2021",
                &[unit],
            ),
        )
        .await;
        // A decision is not its own rival: updating it with the same recipients is accepted.
        let updated = server
            .data(
                "mutation($input: UpdateAwardDecisionInput!) {
                  updateAwardDecision(input: $input) { awardDecision { id signedOn number { raw } } }
                }",
                json!({ "input": { "id": first, "decision": decision(
                    &w.city, Some("163/QĐ-UBND"), "2021-01-11", "CERTIFICATE_OF_MERIT", QCDC, "2020", &[unit],
                ) } }),
                Some(&server.editor),
            )
            .await;
        assert_eq!(
            updated["updateAwardDecision"]["awardDecision"]["signedOn"],
            "2021-01-11"
        );
        // The same number spelt with the look-alike Ð is the same number of the same authority.
        let same_number = server
            .graphql(
                RECORD,
                json!({ "input": { "decision": decision(
                    &w.city, Some("163/QÐ-UBND"), "2021-05-01", "CERTIFICATE_OF_MERIT",
                    "công tác dân vận", "2020", &[&w.units[1]],
                ) } }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(error(&same_number).0, "CONFLICT");
        server.stop();
        test_db.finish().await;
    }
}

const REVOKE: &str = "mutation($input: RevokeAwardDecisionInput!) {
  revokeAwardDecision(input: $input) {
    awardDecision { status revocation { on reason document { raw key } } }
  }
}";

#[tokio::test]
async fn a_revoked_decision_keeps_its_record_and_frees_the_achievement() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let w = world(&server.db).await;
        let unit = &w.units[0];
        let revoked = record(
            &server,
            decision(
                &w.city,
                Some("163/QĐ-UBND"),
                "2021-01-10",
                "CERTIFICATE_OF_MERIT",
                QCDC,
                "2020",
                &[unit],
            ),
        )
        .await;
        let too_early = server
            .graphql(
                REVOKE,
                json!({ "input": { "id": revoked, "on": "2020-12-01", "reason": "hồ sơ không trung thực" } }),
                Some(&server.editor),
            )
            .await
            .json();
        assert_eq!(error(&too_early).0, "BAD_USER_INPUT");
        let data = server
            .data(
                REVOKE,
                json!({ "input": { "id": revoked, "on": "2021-06-01",
                                   "reason": "hồ sơ đề nghị khen thưởng không trung thực",
                                   "document": "Số: 0245/QÐ-UBND" } }),
                Some(&server.editor),
            )
            .await;
        assert_eq!(
            data["revokeAwardDecision"]["awardDecision"],
            json!({
                "status": "REVOKED",
                "revocation": {
                    "on": "2021-06-01",
                    "reason": "hồ sơ đề nghị khen thưởng không trung thực",
                    "document": { "raw": "Số: 0245/QÐ-UBND", "key": "245/QĐ-UBND" },
                },
            })
        );
        let twice = server
            .graphql(
                REVOKE,
                json!({ "input": { "id": revoked, "on": "2021-07-01", "reason": "lần nữa" } }),
                Some(&server.editor),
            )
            .await
            .json();
        let (code, message) = error(&twice);
        assert_eq!(code, "BAD_USER_INPUT");
        assert!(message.contains("already revoked"), "{message}");

        let standing = server
            .data(
                LIST,
                json!({ "authority": w.city, "status": "ISSUED" }),
                None,
            )
            .await;
        assert_eq!(ids(&standing["awardDecisions"]), Vec::<String>::new());
        let listed = server
            .data(
                LIST,
                json!({ "authority": w.city, "status": "REVOKED" }),
                None,
            )
            .await;
        assert_eq!(
            ids(&listed["awardDecisions"]),
            std::slice::from_ref(&revoked)
        );

        // The achievement is no longer rewarded, so it may be rewarded again.
        let replacement = record(
            &server,
            decision(
                &w.city,
                Some("300/QĐ-UBND"),
                "2021-07-01",
                "CERTIFICATE_OF_MERIT",
                QCDC,
                "2020",
                &[unit],
            ),
        )
        .await;
        // An update leaves the revocation as it is.
        let updated = server
            .data(
                "mutation($input: UpdateAwardDecisionInput!) {
                  updateAwardDecision(input: $input) { awardDecision { status number { raw } } }
                }",
                json!({ "input": { "id": revoked, "decision": decision(
                    &w.city, Some("163a/QĐ-UBND"), "2021-01-10", "CERTIFICATE_OF_MERIT", QCDC, "2020", &[unit],
                ) } }),
                Some(&server.editor),
            )
            .await;
        assert_eq!(
            updated["updateAwardDecision"]["awardDecision"],
            json!({ "status": "REVOKED", "number": { "raw": "163a/QĐ-UBND" } })
        );
        let standing = server
            .data(
                LIST,
                json!({ "authority": w.city, "status": "ISSUED" }),
                None,
            )
            .await;
        assert_eq!(ids(&standing["awardDecisions"]), [replacement]);
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn the_founding_example_records_collectives_known_only_as_a_group() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let w = world(&server.db).await;
        let conference = Meeting::new(
            MeetingId::new(),
            MeetingDetails {
                title: Text::parse(
                    "Hội nghị tổng kết công tác dân vận và thực hiện QCDC ở cơ sở năm 2020",
                )
                .unwrap(),
                kind: MeetingKind::Conference,
                organizer: w.city_record.id(),
                held_at: PartialDateTime::parse("2021-01-15").unwrap(),
                location: None,
                chairs: Vec::new(),
                attendees: Vec::new(),
                agenda: Vec::new(),
            },
        )
        .unwrap();
        server
            .db
            .record_meeting(&actor(), &conference)
            .await
            .unwrap();
        let meeting = global_id("Meeting", conference.id().as_uuid()).to_string();
        let id = record(
            &server,
            json!({
                "authority": w.city,
                "signer": { "person": w.truong, "capacity": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" },
                "form": { "kind": "CERTIFICATE_OF_MERIT" },
                "achievement": {
                    "reason": "có thành tích xuất sắc trong việc chỉ đạo, xây dựng và thực hiện QCDC ở cơ sở năm 2020",
                    "field": QCDC,
                    "period": "2020",
                },
                "unnamedRecipients": [{
                    "kind": "COLLECTIVE",
                    "note": "các tập thể có thành tích xuất sắc; số lượng và tên không nêu trong bài",
                }],
                "presentations": [{ "meeting": meeting, "presenter": w.truong, "date": "2021-01-15" }],
            }),
        )
        .await;
        let data = server
            .data(
                "query($id: ID!) { awardDecision(id: $id) {
                  number { raw } signedOn year status revocation { on }
                  authority { id }
                  signer { person { id } capacity { text mode collective principal title } }
                  form { kind vietnameseName order orderClass name text }
                  achievement { field period firstYear lastYear }
                  recipients { kind }
                  unnamedRecipients { kind count note }
                  presentations { meeting { id } presenter { id } date }
                } }",
                json!({ "id": id }),
                None,
            )
            .await;
        assert_eq!(
            data["awardDecision"],
            json!({
                "number": null, "signedOn": null, "year": 2020, "status": "ISSUED", "revocation": null,
                "authority": { "id": w.city },
                "signer": { "person": { "id": w.truong }, "capacity": {
                    "text": "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "mode": "ON_BEHALF", "collective": null,
                    "principal": "CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH",
                } },
                "form": { "kind": "CERTIFICATE_OF_MERIT", "vietnameseName": "Bằng khen", "order": null,
                          "orderClass": null, "name": null, "text": null },
                "achievement": { "field": QCDC, "period": "2020", "firstYear": 2020, "lastYear": 2020 },
                "recipients": [],
                "unnamedRecipients": [{ "kind": "COLLECTIVE", "count": null,
                    "note": "các tập thể có thành tích xuất sắc; số lượng và tên không nêu trong bài" }],
                "presentations": [{ "meeting": { "id": meeting }, "presenter": { "id": w.truong },
                                    "date": "2021-01-15" }],
            })
        );

        let counted = record(
            &server,
            json!({
                "number": "Số: 163/QÐ-UBND",
                "signedOn": "2021-01",
                "authority": w.province,
                "form": { "kind": "CERTIFICATE_OF_MERIT" },
                "unnamedRecipients": [
                    { "kind": "COLLECTIVE", "count": 11 },
                    { "kind": "INDIVIDUAL", "count": 6 },
                    { "kind": "HOUSEHOLD", "count": 6 },
                ],
            }),
        )
        .await;
        let counted = server
            .data(
                "query($id: ID!) { awardDecision(id: $id) {
                  number { raw key format number documentType issuer year }
                  unnamedRecipients { kind count }
                } }",
                json!({ "id": counted }),
                None,
            )
            .await;
        assert_eq!(
            counted["awardDecision"],
            json!({
                "number": { "raw": "Số: 163/QÐ-UBND", "key": "163/QĐ-UBND", "format": "STATE",
                            "number": "163", "documentType": "QĐ", "issuer": "UBND", "year": null },
                "unnamedRecipients": [
                    { "kind": "COLLECTIVE", "count": 11 },
                    { "kind": "INDIVIDUAL", "count": 6 },
                    { "kind": "HOUSEHOLD", "count": 6 },
                ],
            })
        );

        for (fields, why) in [
            (
                json!({ "authority": w.city, "form": { "kind": "CERTIFICATE_OF_MERIT" } }),
                "no recipient at all",
            ),
            (
                json!({ "authority": w.city, "form": { "kind": "ORDER" },
                        "unnamedRecipients": [{ "kind": "COLLECTIVE" }] }),
                "an order without its name",
            ),
            (
                json!({ "authority": w.city, "form": { "kind": "CERTIFICATE_OF_MERIT", "name": "x" },
                        "unnamedRecipients": [{ "kind": "COLLECTIVE" }] }),
                "a name on a form that takes none",
            ),
            (
                json!({ "authority": w.city, "form": { "kind": "CERTIFICATE_OF_MERIT" },
                        "unnamedRecipients": [{ "kind": "COLLECTIVE", "count": 0 }] }),
                "a count of zero",
            ),
            (
                json!({ "authority": w.city, "form": { "kind": "CULTURAL_FAMILY" },
                        "recipients": [{ "recipient": w.units[0] }] }),
                "Gia đình văn hóa for a collective",
            ),
            (
                json!({ "authority": w.city, "form": { "kind": "CERTIFICATE_OF_MERIT" },
                        "recipients": [{ "recipient": w.nghi, "kind": "COLLECTIVE" }] }),
                "a person as a collective",
            ),
        ] {
            let response = server
                .graphql(
                    RECORD,
                    json!({ "input": { "decision": fields } }),
                    Some(&server.editor),
                )
                .await
                .json();
            assert_eq!(error(&response).0, "BAD_USER_INPUT", "{why}: {response:#}");
        }
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn award_writes_need_an_editor_token() {
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let w = world(&server.db).await;
        let fields = decision(
            &w.city,
            Some("163/QĐ-UBND"),
            "2021-01-10",
            "CERTIFICATE_OF_MERIT",
            QCDC,
            "2020",
            &[&w.units[0]],
        );
        let input = json!({ "input": { "decision": fields } });
        assert_eq!(
            error(&server.graphql(RECORD, input.clone(), None).await.json()).0,
            "UNAUTHENTICATED"
        );
        assert_eq!(
            error(
                &server
                    .graphql(RECORD, input.clone(), Some(&server.reader))
                    .await
                    .json()
            )
            .0,
            "FORBIDDEN"
        );
        let listed = server.data(LIST, json!({}), None).await;
        assert_eq!(ids(&listed["awardDecisions"]), Vec::<String>::new());

        let id = record(&server, fields.clone()).await;
        for (mutation, input) in [
            (
                REVOKE,
                json!({ "id": id, "on": "2021-06-01", "reason": "hồ sơ không trung thực" }),
            ),
            (
                "mutation($input: UpdateAwardDecisionInput!) { updateAwardDecision(input: $input) { awardDecision { id } } }",
                json!({ "id": id, "decision": fields }),
            ),
        ] {
            let anonymous = server
                .graphql(mutation, json!({ "input": input }), None)
                .await
                .json();
            assert_eq!(error(&anonymous).0, "UNAUTHENTICATED", "{mutation}");
            let reader = server
                .graphql(mutation, json!({ "input": input }), Some(&server.reader))
                .await
                .json();
            assert_eq!(error(&reader).0, "FORBIDDEN", "{mutation}");
        }
        let unchanged = server
            .data(
                "query($id: ID!) { awardDecision(id: $id) { status } }",
                json!({ "id": id }),
                None,
            )
            .await;
        assert_eq!(unchanged["awardDecision"]["status"], "ISSUED");
        server.stop();
        test_db.finish().await;
    }
}

/// A page of decisions that goes on to its recipients' people and organizations reads them
/// with the recipients: naming them costs no statement more than listing the recipients'
/// kinds, and the names are the stored ones. The decisions' presentations are read only when
/// the nodes ask for them, however they ask.
#[tokio::test]
async fn the_recipients_names_come_with_the_recipients() {
    const NAMED: &str = "query($authority: ID!) {
  awardDecisions(authority: $authority, first: 20) {
    nodes { id recipients { kind person { id name } organization { id name } } }
  }
}";
    const KINDS: &str = "query($authority: ID!) {
  awardDecisions(authority: $authority, first: 20) {
    nodes { id recipients { kind } }
  }
}";
    const PRESENTED: &str = "query($authority: ID!) {
  awardDecisions(authority: $authority, first: 20) {
    nodes { id recipients { kind person { id name } organization { id name } } presentations { date } }
  }
}";
    const PRESENTED_IN_FRAGMENT: &str = "query($authority: ID!) {
  awardDecisions(authority: $authority, first: 20) {
    edges { node { id ...Named } }
  }
}
fragment Named on AwardDecision {
  recipients { kind person { id name } organization { id name } }
  ... on AwardDecision { presentations { date } }
}";
    for test_db in TestDatabase::every_engine().await {
        let server = TestServer::start(test_db.db.clone()).await;
        let w = world(&server.db).await;
        let [first, second, _] = &w.units;
        for (number, period) in [("163/QĐ-UBND", "2020"), ("164/QĐ-UBND", "2019")] {
            let mut merit = decision(
                &w.city,
                Some(number),
                "2021-01-10",
                "CERTIFICATE_OF_MERIT",
                QCDC,
                period,
                &[first, second],
            );
            merit["recipients"]
                .as_array_mut()
                .unwrap()
                .push(json!({ "recipient": w.nghi, "prizeVnd": 1_490_000 }));
            merit["presentations"] = json!([{ "presenter": w.truong, "date": "2021-01-15" }]);
            record(&server, merit).await;
        }
        let mut costs = Vec::new();
        let mut answers = Vec::new();
        for query in [NAMED, KINDS, PRESENTED, PRESENTED_IN_FRAGMENT] {
            let before = server.db.statement_count();
            let data = server
                .data(query, json!({ "authority": w.city }), None)
                .await;
            costs.push(server.db.statement_count() - before);
            answers.push(data);
        }
        assert_eq!(costs[0], costs[1], "statements with names and without");
        assert_eq!(
            costs[0], costs[2],
            "statements with presentations and without"
        );
        assert_eq!(
            costs[0], costs[3],
            "statements with presentations in a fragment"
        );
        let decisions = answers[0]["awardDecisions"]["nodes"].as_array().unwrap();
        assert_eq!(decisions.len(), 2, "{:#}", answers[0]);
        let presented = answers[2]["awardDecisions"]["nodes"].as_array().unwrap();
        let in_fragment: Vec<&Value> = answers[3]["awardDecisions"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|edge| &edge["node"])
            .collect();
        assert_eq!(presented.len(), 2, "{:#}", answers[2]);
        assert_eq!(in_fragment.len(), 2, "{:#}", answers[3]);
        for (found, (presented, in_fragment)) in
            decisions.iter().zip(presented.iter().zip(in_fragment))
        {
            let expected = json!([{ "date": "2021-01-15" }]);
            assert_eq!(presented["presentations"], expected, "{presented:#}");
            assert_eq!(in_fragment["presentations"], expected, "{in_fragment:#}");
            assert_eq!(presented["recipients"], found["recipients"]);
            assert_eq!(in_fragment["recipients"], found["recipients"]);
        }
        for found in decisions {
            assert_eq!(
                found["recipients"],
                json!([
                    { "kind": "COLLECTIVE", "person": null,
                      "organization": { "id": first, "name": "Sở Nội vụ" } },
                    { "kind": "COLLECTIVE", "person": null,
                      "organization": { "id": second, "name": "Ban Dân vận Quận ủy Ninh Kiều" } },
                    { "kind": "INDIVIDUAL", "organization": null,
                      "person": { "id": w.nghi, "name": "Trần Thị Vĩnh Nghi" } },
                ]),
                "{found:#}"
            );
        }
        server.stop();
        test_db.finish().await;
    }
}
