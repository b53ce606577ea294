//! Popolo JSON import and export (`gazette export popolo`, `gazette import popolo`), on every
//! engine: an export validates against the Popolo schemas' constraints (`tests/data/popolo/`);
//! export → import into an empty database → export gives the same bytes; importing the same
//! file twice changes nothing; an EveryPolitician-shaped file merges by identifier and by name;
//! invalid files are rejected with the pointer (or line) of the first problem and a count of the
//! rest, and leave the database as it was, audit log included.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::path::PathBuf;

use gazette_domain::date::{PartialDate, PartialDateTime, Period};
use gazette_domain::holding::{EndReason, Holding, HoldingDetails, HoldingKind, TermLabel};
use gazette_domain::identifier::{Identifier, OtherName};
use gazette_domain::ids::{
    CitationId, HoldingId, MeetingId, OrganizationId, PersonId, PostId, SourceId,
};
use gazette_domain::meeting::{Meeting, MeetingDetails, MeetingKind, Participant};
use gazette_domain::name::PersonName;
use gazette_domain::organization::{
    Classification, Level, Organization, OrganizationDetails, Succession, SuccessionKind,
};
use gazette_domain::person::{Gender, Person, PersonDetails};
use gazette_domain::post::{Post, PostDetails, Seats};
use gazette_domain::source::{
    Citation, CitationDetails, Source, SourceDetails, SourceKind, Subject,
};
use gazette_domain::text::Text;
use gazette_gateway::popolo::{self, ImportError, ImportReport, Location};
use gazette_storage::{Actor, Database, Write};
use gazette_tests::TestDatabase;
use regex::Regex;
use serde_json::Value;

fn actor() -> Actor {
    Actor::new("system:test-import").unwrap()
}

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/popolo")
}

fn read_data(name: &str) -> Vec<u8> {
    std::fs::read(data_dir().join(name)).unwrap()
}

fn text(value: &str) -> Text {
    Text::parse(value).unwrap()
}

fn date(value: &str) -> PartialDate {
    PartialDate::parse(value).unwrap()
}

async fn export(db: &Database) -> Vec<u8> {
    let mut out = Vec::new();
    popolo::export(db, &mut out).await.unwrap();
    out
}

async fn import(db: &Database, file: &[u8]) -> Result<ImportReport, ImportError> {
    popolo::import(db, &actor(), file, false).await
}

// ---------------------------------------------------------------------------------------------
// The schemas' constraints, as a validator of the subset of JSON Schema they use.
// ---------------------------------------------------------------------------------------------

struct Schemas {
    by_name: HashMap<String, Value>,
}

impl Schemas {
    fn load() -> Self {
        let mut by_name = HashMap::new();
        for entry in std::fs::read_dir(data_dir().join("schemas")).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let value: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            by_name.insert(name, value);
        }
        Self { by_name }
    }

    fn validate(&self, schema: &str, value: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.check(&self.by_name[schema], value, "", &mut errors);
        errors
    }

    fn check(&self, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let target = self
                .by_name
                .get(reference)
                .unwrap_or_else(|| panic!("no schema {reference}"));
            self.check(target, value, at, errors);
        }
        if let Some(types) = schema.get("type") {
            let allowed: Vec<&str> = match types {
                Value::String(one) => vec![one.as_str()],
                Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            let actual = match value {
                Value::Null => "null",
                Value::Bool(_) => "boolean",
                Value::Number(_) => "number",
                Value::String(_) => "string",
                Value::Array(_) => "array",
                Value::Object(_) => "object",
            };
            if !allowed.contains(&actual) {
                errors.push(format!("{at}: {actual} is not one of {allowed:?}"));
                return;
            }
        }
        if let (Some(pattern), Some(text)) = (
            schema.get("pattern").and_then(Value::as_str),
            value.as_str(),
        ) && !Regex::new(pattern).unwrap().is_match(text)
        {
            errors.push(format!("{at}: {text:?} does not match {pattern}"));
        }
        if schema.get("format").and_then(Value::as_str) == Some("uri")
            && let Some(text) = value.as_str()
            && !Regex::new(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
                .unwrap()
                .is_match(text)
        {
            errors.push(format!("{at}: {text:?} is not a URI"));
        }
        if let (Some(required), Some(object)) = (
            schema.get("required").and_then(Value::as_array),
            value.as_object(),
        ) {
            for key in required.iter().filter_map(Value::as_str) {
                if !object.contains_key(key) {
                    errors.push(format!("{at}: {key} is required"));
                }
            }
        }
        if let (Some(properties), Some(object)) = (
            schema.get("properties").and_then(Value::as_object),
            value.as_object(),
        ) {
            for (key, sub) in properties {
                if let Some(field) = object.get(key) {
                    self.check(sub, field, &format!("{at}/{key}"), errors);
                }
            }
        }
        if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
            for (index, item) in array.iter().enumerate() {
                self.check(items, item, &format!("{at}/{index}"), errors);
            }
        }
    }
}

#[test]
fn the_validator_catches_what_the_schemas_forbid() {
    let schemas = Schemas::load();
    let bad = serde_json::json!({
        "persons": [{ "name": "A", "birth_date": "15/01/1960", "identifiers": [{ "scheme": "x" }] }],
        "memberships": [{ "start_date": "2021-02-30T00:00", "sources": [{ "url": "not a uri" }] }],
        "events": [{ "start_date": "2021-01-15T08:00:00+07:00" }],
        "organizations": [{ "name": 3 }]
    });
    let errors = schemas.validate("document.json", &bad);
    assert_eq!(errors.len(), 6, "{errors:#?}");
    let good = serde_json::json!({
        "events": [{ "start_date": "2021-01-15T01:00:00Z" }, { "start_date": "2021-01" }],
        "memberships": [{ "start_date": "2021", "sources": [{ "url": "urn:uuid:0193c6e0-0000-7000-8000-000000000000" }] }]
    });
    assert_eq!(
        schemas.validate("document.json", &good),
        Vec::<String>::new()
    );
}

// ---------------------------------------------------------------------------------------------
// A world that uses every field the export writes.
// ---------------------------------------------------------------------------------------------

/// Adds to the demo world records that use every field: a merger with predecessors, an
/// abbreviation, a level and former names; a person with other names, identifiers, a partial
/// birth date and a sort override; a post of three seats; an ended holding with its kind, term,
/// document and end reason; a meeting with a time, chairs, attendees and an agenda; and a
/// source without a URL, cited with a note.
async fn enrich(db: &Database) {
    let tuyen_giao = Organization::new(OrganizationId::new(), {
        let mut details = OrganizationDetails::new(
            text("Ban Tuyên giáo Thành ủy Cần Thơ"),
            Classification::PartyBoard,
        );
        details.life = Period::new(Some(date("1990")), Some(date("2025-02-11"))).unwrap();
        details
    })
    .unwrap();
    let dan_van = Organization::new(OrganizationId::new(), {
        let mut details = OrganizationDetails::new(
            text("Ban Dân vận Thành ủy Cần Thơ"),
            Classification::PartyBoard,
        );
        details.life = Period::new(None, Some(date("2025-02-11"))).unwrap();
        details.abbreviation = Some(text("BDV"));
        details
    })
    .unwrap();
    let merged = Organization::new(OrganizationId::new(), {
        let mut details = OrganizationDetails::new(
            text("Ban Tuyên giáo và Dân vận Thành ủy Cần Thơ"),
            Classification::PartyBoard,
        );
        details.abbreviation = Some(text("Ban TG&DV"));
        details.level = Some(Level::Province);
        details.life = Period::from_start(date("2025-02-11"));
        details.predecessors = vec![
            Succession {
                predecessor: tuyen_giao.id(),
                kind: SuccessionKind::Merger,
                date: Some(date("2025-02-11")),
            },
            Succession {
                predecessor: dan_van.id(),
                kind: SuccessionKind::Merger,
                date: None,
            },
        ];
        details.other_names = vec![OtherName {
            name: text("Ban TG-DV, \"Thành ủy\""),
            note: Some(text("abbreviation")),
            period: Period::always(),
        }];
        details.identifiers = vec![Identifier::new("wikidata", "Q999000001").unwrap()];
        details
    })
    .unwrap();
    let person = Person::new(PersonId::new(), {
        let mut details = PersonDetails::named(
            PersonName::parse("Lê Quang Mạnh")
                .unwrap()
                .with_sort_override("Mạnh Lê Quang")
                .unwrap(),
        );
        details.gender = Some(Gender::Male);
        details.birth_date = Some(date("1966-10"));
        details.other_names = vec![OtherName {
            name: text("Lê Quang Mạnh (Sáu Mạnh)"),
            note: Some(text("bí danh")),
            period: Period::new(Some(date("1985")), Some(date("1990-06"))).unwrap(),
        }];
        details.identifiers = vec![
            Identifier::new("wikidata", "Q999000002").unwrap(),
            Identifier::new("everypolitician:vn", "le-quang-manh").unwrap(),
        ];
        details
    })
    .unwrap();
    let post = Post::new(
        PostId::new(),
        PostDetails {
            organization: merged.id(),
            title: text("Phó Trưởng ban"),
            seats: Seats::Limited(NonZeroU32::new(3).unwrap()),
            life: Period::from_start(date("2025-02-11")),
        },
    )
    .unwrap();
    let holding = Holding::new(
        HoldingId::new(),
        HoldingDetails {
            person: person.id(),
            post: post.id(),
            period: Period::new(Some(date("2025-02-11")), Some(date("2025-08"))).unwrap(),
            kind: HoldingKind::Appointed,
            term: Some(TermLabel::parse("2025-2030").unwrap()),
            document: Some(text("Quyết định số 12-QĐ/TU")),
            end_reason: Some(EndReason::Other {
                text: text("điều động, luân chuyển"),
            }),
        },
    )
    .unwrap();
    let meeting = Meeting::new(
        MeetingId::new(),
        MeetingDetails {
            title: text("Hội nghị triển khai nhiệm vụ năm 2025"),
            kind: MeetingKind::Conference,
            organizer: merged.id(),
            held_at: PartialDateTime::parse("2025-03-05T05:30").unwrap(),
            location: Some(text("Hội trường Thành ủy, 12 Hòa Bình")),
            chairs: vec![Participant {
                person: person.id(),
                capacities: vec![post.id()],
            }],
            attendees: Vec::new(),
            agenda: vec![text("Khai mạc"), text("Triển khai nhiệm vụ")],
        },
    )
    .unwrap();
    let source = Source::new(SourceId::new(), {
        let mut details = SourceDetails::new(
            SourceKind::LegalDocument,
            text("Quyết định số 12-QĐ/TU về công tác cán bộ"),
        );
        details.publisher = Some(text("Thành ủy Cần Thơ"));
        details.published_at = Some(PartialDateTime::parse("2025-02").unwrap());
        details
    })
    .unwrap();
    let cite = |subject: Subject, note: Option<&str>| {
        Write::Cite(
            Citation::new(
                CitationId::new(),
                CitationDetails {
                    source: source.id(),
                    subject,
                    note: note.map(text),
                },
            )
            .unwrap(),
        )
    };
    let writes = vec![
        Write::CreateOrganization(tuyen_giao),
        Write::CreateOrganization(dan_van),
        Write::CreateOrganization(merged.clone()),
        Write::CreatePerson(person.clone()),
        Write::CreatePost(post.clone()),
        Write::Appoint(holding.clone()),
        Write::RecordMeeting(meeting.clone()),
        Write::CreateSource(source.clone()),
        cite(Subject::Person(person.id()), Some("Điều 1, \"danh sách\"")),
        cite(Subject::Holding(holding.id()), None),
        cite(Subject::Meeting(meeting.id()), Some("kèm theo")),
        cite(Subject::Organization(merged.id()), None),
    ];
    db.apply(&actor(), &writes).await.unwrap();
}

async fn world(db: &Database) {
    gazette_gateway::demo::load_into_fresh(db, &actor())
        .await
        .unwrap();
    enrich(db).await;
}

#[tokio::test]
async fn export_validates_and_round_trips_through_an_empty_database_on_every_engine() {
    let schemas = Schemas::load();
    for source in TestDatabase::every_engine().await {
        world(&source.db).await;
        let first = export(&source.db).await;
        let document: Value = serde_json::from_slice(&first).unwrap();
        let errors = schemas.validate("document.json", &document);
        assert!(errors.is_empty(), "{:?}: {errors:#?}", source.engine);
        for section in ["persons", "organizations", "posts", "memberships", "events"] {
            assert!(
                !document[section].as_array().unwrap().is_empty(),
                "{section} is empty"
            );
        }
        // The fields Popolo names, as it names them.
        let people = document["persons"].as_array().unwrap();
        let manh = people
            .iter()
            .find(|p| p["name"] == "Lê Quang Mạnh")
            .unwrap();
        assert_eq!(manh["birth_date"], "1966-10");
        assert_eq!(manh["family_name"], "Lê");
        assert_eq!(manh["given_name"], "Mạnh");
        assert_eq!(manh["identifiers"][0]["scheme"], "gazette");
        assert_eq!(manh["identifiers"][0]["identifier"], manh["id"]);
        assert_eq!(manh["identifiers"][1]["scheme"], "wikidata");
        assert_eq!(manh["other_names"][0]["start_date"], "1985");
        assert_eq!(manh["sources"][0]["note"], "Điều 1, \"danh sách\"");
        assert!(
            manh["sources"][0]["url"]
                .as_str()
                .unwrap()
                .starts_with("urn:uuid:")
        );
        let meeting = document["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == "Hội nghị triển khai nhiệm vụ năm 2025")
            .unwrap();
        // 05:30 in Cần Thơ is 22:30 UTC the day before.
        assert_eq!(meeting["start_date"], "2025-03-04T22:30:00Z");
        assert_eq!(meeting["classification"], "conference");
        let membership = document["memberships"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["end_date"] == "2025-08")
            .unwrap();
        assert_eq!(membership["role"], "Phó Trưởng ban");
        assert_eq!(membership["gazette"]["term"], "2025-2030");
        let lines = String::from_utf8(first.clone()).unwrap();
        assert!(lines.contains("\"Ban Tuyên giáo và Dân vận Thành ủy Cần Thơ\""));

        // Into an empty database of the same engine, and out again: the same bytes.
        let target = match source.engine {
            gazette_tests::EngineKind::Sqlite => TestDatabase::sqlite().await,
            gazette_tests::EngineKind::Postgres => TestDatabase::postgres().await.unwrap(),
        };
        let report = import(&target.db, &first).await.unwrap();
        assert!(report.applied);
        assert_eq!(report.updated_total(), 0, "{report}");
        assert!(report.merges.is_empty(), "{report}");
        assert_eq!(
            report.created.get("person").copied().unwrap_or(0),
            people.len() as u64
        );
        let second = export(&target.db).await;
        assert_eq!(
            String::from_utf8(second.clone()).unwrap(),
            String::from_utf8(first.clone()).unwrap(),
            "{:?}: export → import → export changed the document",
            source.engine
        );

        // Importing the same file again changes nothing, not even the audit log.
        let before = target.db.record_counts().await.unwrap();
        let again = import(&target.db, &first).await.unwrap();
        assert_eq!(again.created_total(), 0, "{again}");
        assert_eq!(again.updated_total(), 0, "{again}");
        assert!(again.unchanged.get("person").copied().unwrap_or(0) > 0);
        assert_eq!(target.db.record_counts().await.unwrap(), before);
        // And into the database it came from: everything matches by its gazette id.
        let home = import(&source.db, &first).await.unwrap();
        assert_eq!(
            (home.created_total(), home.updated_total()),
            (0, 0),
            "{home}"
        );
        source.finish().await;
        target.finish().await;
    }
}

#[tokio::test]
async fn an_everypolitician_file_merges_by_identifier_and_name_and_imports_once() {
    let file = read_data("everypolitician.json");
    for test in TestDatabase::every_engine().await {
        let db = &test.db;
        // Already recorded: Trần Việt Trường under his Wikidata id, and the council by name.
        let truong = Person::new(PersonId::new(), {
            let mut details = PersonDetails::named(PersonName::parse("Trần Việt Trường").unwrap());
            details.identifiers = vec![Identifier::new("wikidata", "Q111111101").unwrap()];
            details
        })
        .unwrap();
        let council = Organization::new(
            OrganizationId::new(),
            OrganizationDetails::new(
                text("Hội đồng nhân dân thành phố Cần Thơ"),
                Classification::PeoplesCouncil,
            ),
        )
        .unwrap();
        db.apply(
            &actor(),
            &[
                Write::CreatePerson(truong.clone()),
                Write::CreateOrganization(council.clone()),
            ],
        )
        .await
        .unwrap();

        let report = import(db, &file).await.unwrap();
        let merged: Vec<(&str, uuid::Uuid, &str)> = report
            .merges
            .iter()
            .map(|m| (m.pointer.as_str(), m.id, m.by.as_str()))
            .collect();
        assert!(
            merged.contains(&(
                "/persons/0",
                truong.id().as_uuid(),
                "identifier wikidata:Q111111101"
            )),
            "{report}"
        );
        assert!(
            merged.contains(&(
                "/organizations/0",
                council.id().as_uuid(),
                "name, parent and classification"
            )),
            "{report}"
        );
        assert_eq!(report.created.get("person"), Some(&2), "{report}");
        assert_eq!(report.updated.get("person"), Some(&1), "{report}");
        assert_eq!(report.created.get("membership"), Some(&3), "{report}");
        // One post, "member", holds the three memberships; the party is a new organization.
        assert_eq!(report.created.get("post"), Some(&1), "{report}");
        assert_eq!(report.created.get("organization"), Some(&1), "{report}");
        // One source, cited by two people.
        assert_eq!(report.created.get("source"), Some(&1), "{report}");
        assert_eq!(report.created.get("citation"), Some(&2), "{report}");
        let notes = report.notes.join("\n");
        assert!(notes.contains("on_behalf_of_id"), "{notes}");
        assert!(notes.contains("legislative periods"), "{notes}");
        assert!(notes.contains("\"areas\""), "{notes}");

        // The merged person keeps his id and gains the file's facts.
        let stored = db.person(truong.id()).await.unwrap();
        assert_eq!(stored.birth_date, Some(date("1965")));
        assert_eq!(stored.gender, Some(Gender::Male));
        assert!(
            stored
                .identifiers
                .contains(&Identifier::new("everypolitician_legacy", "tran-viet-truong").unwrap())
        );
        // The legislative period became the holdings' term.
        let held = db.holdings_of_people(&[truong.id()], None).await.unwrap();
        let held = &held[&truong.id()];
        assert_eq!(held.len(), 1);
        assert_eq!(held[0].term, Some(TermLabel::parse("2021-2026").unwrap()));
        let council_after = db.organization(council.id()).await.unwrap();
        assert_eq!(council_after.classification, Classification::PeoplesCouncil);
        assert!(
            council_after
                .identifiers
                .contains(&Identifier::new("wikidata", "Q111111200").unwrap())
        );

        // Again: nothing changes. Trần Thị Vĩnh Nghi, who has no identifier Gazette can look up
        // yet, is found by her name and her holding of the same post.
        let before = db.record_counts().await.unwrap();
        let again = import(db, &file).await.unwrap();
        assert_eq!(again.created_total(), 0, "{again}");
        assert_eq!(again.updated_total(), 0, "{again}");
        assert!(
            again
                .merges
                .iter()
                .any(|m| m.pointer == "/persons/2" && m.by.contains("identifier")),
            "{again}"
        );
        assert_eq!(db.record_counts().await.unwrap(), before);
        test.finish().await;
    }
}

#[tokio::test]
async fn a_person_without_identifiers_merges_by_name_and_post() {
    for test in TestDatabase::every_engine().await {
        let db = &test.db;
        let file = r#"{
          "persons": [{ "id": "a", "name": "Trần Thị Vĩnh Nghi", "gender": "female" }],
          "organizations": [{ "id": "o", "name": "Ban Dân vận Thành ủy Cần Thơ", "classification": "party_board" }],
          "posts": [{ "id": "t", "role": "Trưởng ban", "organization_id": "o", "gazette": { "seats": 1 } }],
          "memberships": [{ "person_id": "a", "post_id": "t", "start_date": "2020-10" }]
        }"#;
        let first = import(db, file.as_bytes()).await.unwrap();
        assert_eq!(first.created_total(), 4, "{first}");
        // The same facts again without ids Gazette knows: every record merges in context.
        let renamed = file
            .replace("\"a\"", "\"x\"")
            .replace("\"o\"", "\"y\"")
            .replace("\"t\"", "\"z\"");
        let second = import(db, renamed.as_bytes()).await.unwrap();
        assert_eq!(
            (second.created_total(), second.updated_total()),
            (0, 0),
            "{second}"
        );
        let kinds: Vec<(&str, &str)> = second
            .merges
            .iter()
            .map(|m| (m.kind, m.by.as_str()))
            .collect();
        assert!(
            kinds.contains(&("person", "name and a holding of the same post")),
            "{second}"
        );
        assert!(
            kinds.contains(&("post", "organization and title")),
            "{second}"
        );
        assert!(
            kinds.contains(&("membership", "person, post and overlapping dates")),
            "{second}"
        );
        test.finish().await;
    }
}

/// Imports `file` into a database holding the demo world and checks that it is rejected
/// whole: the first problem's location, the count of the others, and not one row written.
async fn rejected(db: &Database, file: &[u8]) -> (Location, String, usize) {
    let before = db.record_counts().await.unwrap();
    let error = import(db, file).await.unwrap_err();
    assert_eq!(db.record_counts().await.unwrap(), before, "{error}");
    assert!(error.to_string().contains("nothing was written"), "{error}");
    match error {
        ImportError::Invalid { first, more } => (first.location, first.message, more),
        other => panic!("not rejected as invalid: {other}"),
    }
}

#[tokio::test]
async fn invalid_files_are_rejected_with_where_and_why_and_change_nothing() {
    for test in TestDatabase::every_engine().await {
        let db = &test.db;
        gazette_gateway::demo::load_into_fresh(db, &actor())
            .await
            .unwrap();

        let (location, message, _) = rejected(db, &read_data("invalid/not-json.json")).await;
        assert!(
            matches!(location, Location::Line { line: 3, .. }),
            "{location}: {message}"
        );
        assert!(message.contains("trailing comma"), "{message}");

        let (location, message, more) =
            rejected(db, &read_data("invalid/unknown-reference.json")).await;
        assert_eq!(
            location,
            Location::Pointer("/memberships/1/organization_id".to_owned()),
            "{message}"
        );
        assert!(message.contains("no-such-organization"), "{message}");
        assert_eq!(more, 1, "the unknown person of /memberships/2 is counted");

        let (location, message, more) =
            rejected(db, &read_data("invalid/impossible-date.json")).await;
        assert_eq!(
            location,
            Location::Pointer("/memberships/1/start_date".to_owned()),
            "{message}"
        );
        assert!(message.contains("2021-02-30"), "{message}");
        assert!(message.contains("does not exist"), "{message}");
        assert_eq!(more, 1, "the impossible birth date is counted");

        let (location, message, more) = rejected(db, &read_data("invalid/over-seats.json")).await;
        assert_eq!(
            location,
            Location::Pointer("/memberships/1".to_owned()),
            "{message}"
        );
        assert!(message.contains("has 1 seat"), "{message}");
        assert_eq!(more, 0);

        // Not a Popolo document at all.
        let (location, message, _) = rejected(db, b"[1, 2, 3]").await;
        assert!(
            matches!(location, Location::Line { line: 1, .. }),
            "{message}"
        );
        let (location, message, _) = rejected(db, br#"{"persons": {"name": "x"}}"#).await;
        assert!(matches!(location, Location::Line { .. }), "{message}");
        assert!(message.contains("array of persons"), "{message}");
        // Problems inside records are all counted.
        let (location, _, more) = rejected(
            db,
            br#"{"persons": [{"name": ""}, {"name": "A", "gender": "x"}, {"name": "B", "identifiers": [{"scheme": "Bad Scheme!", "identifier": "1"}]}]}"#,
        )
        .await;
        assert_eq!(location, Location::Pointer("/persons/0/name".to_owned()));
        assert_eq!(more, 2);
        // A reference to a record that is itself a problem is not counted again.
        let (location, _, more) = rejected(
            db,
            r#"{"persons": [{"id": "p", "name": "Lê Văn Tám", "birth_date": "1960-13"}],
                "organizations": [{"id": "o", "name": "Sở Nội vụ"}],
                "memberships": [{"person_id": "p", "organization_id": "o", "role": "Giám đốc"}]}"#
                .as_bytes(),
        )
        .await;
        assert_eq!(
            location,
            Location::Pointer("/persons/0/birth_date".to_owned())
        );
        assert_eq!(more, 0);
        test.finish().await;
    }
}

#[tokio::test]
async fn a_dry_run_reports_and_writes_nothing() {
    let test = TestDatabase::sqlite().await;
    let before = test.db.record_counts().await.unwrap();
    let report = popolo::import(
        &test.db,
        &actor(),
        &read_data("everypolitician.json")[..],
        true,
    )
    .await
    .unwrap();
    assert!(!report.applied);
    assert_eq!(report.created.get("person"), Some(&3), "{report}");
    assert!(report.to_string().contains("dry run"));
    assert_eq!(test.db.record_counts().await.unwrap(), before);
    test.finish().await;
}

/// An EveryPolitician-shaped file of `people` people, each with a membership of one of `posts`
/// posts of a council (the seat rule reads a post's holdings on every appointment, so a post
/// with thousands of holders would measure that instead of the import).
fn generated(people: usize, posts: usize) -> Vec<u8> {
    let mut out = String::from(
        "{\"organizations\": [{\"id\": \"council\", \"name\": \"Hội đồng nhân dân tỉnh Thử Nghiệm\", \"classification\": \"peoples_council\"}],\n\"persons\": [\n",
    );
    for i in 0..people {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&format!(
            "{{\"id\": \"p{i}\", \"name\": \"Nguyễn Văn Thử {}\", \"birth_date\": \"19{:02}\", \"identifiers\": [{{\"scheme\": \"test\", \"identifier\": \"t{i}\"}}], \"other_names\": [{{\"name\": \"Thử Nghiệm {i}\", \"note\": \"bí danh, dùng trong kháng chiến\"}}], \"sources\": [{{\"url\": \"https://example.org/dai-bieu/{}\", \"note\": \"Danh sách đại biểu\"}}]}}",
            words(i),
            i % 100,
            i % 50
        ));
    }
    out.push_str("\n],\n\"memberships\": [\n");
    for i in 0..people {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&format!(
            "{{\"person_id\": \"p{i}\", \"organization_id\": \"council\", \"role\": \"Đại biểu tổ {}\", \"start_date\": \"2021-06-25\"}}",
            words(i % posts)
        ));
    }
    out.push_str("\n]}\n");
    out.into_bytes()
}

/// A name made of letters only (names hold no digits): the number in base 20.
fn words(mut i: usize) -> String {
    const SYLLABLES: [&str; 20] = [
        "An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hà", "Hải", "Khánh", "Lan", "Minh", "Nam",
        "Oanh", "Phúc", "Quang", "Sơn", "Tâm", "Uyên", "Vinh", "Yến",
    ];
    let mut parts = Vec::new();
    loop {
        parts.push(SYLLABLES[i % 20]);
        i /= 20;
        if i == 0 {
            break;
        }
    }
    parts.join(" ")
}

#[tokio::test]
async fn a_few_thousand_records_import_in_one_transaction_and_once() {
    // The reader keeps one record's JSON at a time (serde's element-wise seed, never the whole
    // document as a `serde_json::Value`), so memory grows with the records kept, not with the
    // file's text; `a_fifty_megabyte_file_imports_in_bounded_memory` measures it at 50 MB.
    let file = generated(2_000, 40);
    let test = TestDatabase::sqlite().await;
    let report = import(&test.db, &file).await.unwrap();
    assert_eq!(report.created.get("person"), Some(&2_000), "{report}");
    assert_eq!(report.created.get("membership"), Some(&2_000), "{report}");
    assert_eq!(report.created.get("source"), Some(&50), "{report}");
    let again = import(&test.db, &file).await.unwrap();
    assert_eq!((again.created_total(), again.updated_total()), (0, 0));
    test.finish().await;
}

/// The peak resident memory of this process, in KiB (Linux).
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Run with `cargo test -p gazette-tests --release --test popolo -- --ignored --nocapture
/// fifty` (a few minutes): imports a generated ~50 MB file (120,000 people and memberships)
/// into SQLite and prints the time and the peak memory. `GAZETTE_POPOLO_PEOPLE` sets another
/// number of people (about 450 bytes of file each).
#[tokio::test]
#[ignore = "slow: generates and imports a 50 MB file"]
async fn a_fifty_megabyte_file_imports_in_bounded_memory() {
    let people: usize = std::env::var("GAZETTE_POPOLO_PEOPLE")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(120_000);
    let file = generated(people, people.div_ceil(30));
    let megabytes = file.len() / 1_000_000;
    let path = std::env::temp_dir().join(format!("gazette-popolo-{}.json", uuid::Uuid::now_v7()));
    std::fs::write(&path, &file).unwrap();
    drop(file);
    let before = peak_memory_kib();
    let test = TestDatabase::sqlite().await;
    let started = std::time::Instant::now();
    let report = popolo::import(
        &test.db,
        &actor(),
        std::fs::File::open(&path).unwrap(),
        false,
    )
    .await
    .unwrap();
    println!(
        "{megabytes} MB imported in {:?}; peak memory {:?} KiB before, {:?} KiB after\n{report}",
        started.elapsed(),
        before,
        peak_memory_kib()
    );
    assert_eq!(report.created.get("person"), Some(&(people as u64)));
    let _ = std::fs::remove_file(&path);
    test.finish().await;
}
