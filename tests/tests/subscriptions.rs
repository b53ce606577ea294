//! Subscriptions over a real WebSocket (graphql-transport-ws) on every engine: a unit's task
//! changes reach its subscribers and no one else's do, recorded award decisions reach theirs, a
//! change written through one replica reaches a subscriber of another replica of the same
//! PostgreSQL database, and a `connection_init` with a bad token is refused.
//!
//! graphql-transport-ws does not acknowledge a `subscribe`, and a PostgreSQL replica `LISTEN`s
//! in the background, so each test first pokes a warm-up record until its subscription
//! delivers something; only then does it make the changes it asserts on, each of which must
//! arrive within ten seconds. Events of the warm-up record that are still in flight are skipped
//! by id.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use gazette_domain::date::PartialDate;
use gazette_domain::directive::{Directive, DirectiveDetails, DirectiveKind};
use gazette_domain::ids::{DirectiveId, OrganizationId, PersonId};
use gazette_domain::meeting::Participant;
use gazette_domain::name::PersonName;
use gazette_domain::organization::{Classification, Level, Organization, OrganizationDetails};
use gazette_domain::person::{Person, PersonDetails};
use gazette_domain::text::{Prose, Text};
use gazette_gateway::schema::QueryLimits;
use gazette_gateway::schema::ids::{decode, global_id};
use gazette_gateway::server::HttpSettings;
use gazette_storage::{Actor, Database, Engine, StorageOptions};
use gazette_tests::{TestDatabase, TestServer};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{WebSocketStream, client_async};

/// How long an expected message may take.
const WAIT: Duration = Duration::from_secs(10);

/// How long a warm-up poke waits for its event before poking again.
const POKE_WAIT: Duration = Duration::from_millis(250);

/// How many warm-up pokes before giving up.
const POKES: u32 = 40;

// ---------------------------------------------------------------------------------------------
// A graphql-transport-ws client.
// ---------------------------------------------------------------------------------------------

/// What the server sent.
#[derive(Debug)]
enum Frame {
    /// A protocol message.
    Json(Value),
    /// The connection ended: with a close frame's code and reason, or without one (the error).
    Closed(Option<(u16, String)>, String),
}

/// A WebSocket client speaking graphql-transport-ws to the gateway.
struct Subscriber {
    socket: WebSocketStream<TcpStream>,
}

impl Subscriber {
    /// Opens a WebSocket to `/graphql` with the graphql-transport-ws subprotocol, without
    /// `connection_init` yet.
    async fn open(address: SocketAddr) -> Self {
        let mut request = format!("ws://{address}/graphql")
            .into_client_request()
            .unwrap();
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_static("graphql-transport-ws"),
        );
        let stream = TcpStream::connect(address).await.unwrap();
        let (socket, response) = tokio::time::timeout(WAIT, client_async(request, stream))
            .await
            .expect("the WebSocket handshake in time")
            .expect("the WebSocket upgrade");
        assert_eq!(
            response
                .headers()
                .get("sec-websocket-protocol")
                .and_then(|v| v.to_str().ok()),
            Some("graphql-transport-ws"),
            "the server picks the subprotocol asked for"
        );
        Self { socket }
    }

    /// Opens a WebSocket and completes `connection_init` with `payload`: the server must answer
    /// `connection_ack`.
    async fn connect(address: SocketAddr, payload: Value) -> Self {
        let mut subscriber = Self::open(address).await;
        subscriber.init(payload).await;
        match subscriber.frame(WAIT).await {
            Some(Frame::Json(message)) if message["type"] == "connection_ack" => subscriber,
            other => panic!("expected connection_ack, got {other:?}"),
        }
    }

    async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::text(message.to_string()))
            .await
            .unwrap();
    }

    async fn init(&mut self, payload: Value) {
        self.send(json!({ "type": "connection_init", "payload": payload }))
            .await;
    }

    async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({
            "id": id,
            "type": "subscribe",
            "payload": { "query": query, "variables": variables },
        }))
        .await;
    }

    /// The next frame within `wait` (`None` if none came), answering protocol pings.
    async fn frame(&mut self, wait: Duration) -> Option<Frame> {
        let deadline = Instant::now() + wait;
        loop {
            // `next` is cancel-safe: a frame half read when the time runs out stays buffered.
            let next = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .ok()?;
            match next {
                None => return Some(Frame::Closed(None, "the stream ended".to_owned())),
                Some(Err(error)) => return Some(Frame::Closed(None, error.to_string())),
                Some(Ok(Message::Text(text))) => {
                    let message: Value = serde_json::from_str(text.as_str()).unwrap();
                    if message["type"] == "ping" {
                        self.send(json!({ "type": "pong" })).await;
                        continue;
                    }
                    return Some(Frame::Json(message));
                }
                Some(Ok(Message::Close(frame))) => {
                    let frame = frame.map(|f| (u16::from(f.code), f.reason.to_string()));
                    return Some(Frame::Closed(frame, "close frame".to_owned()));
                }
                // WebSocket-level pings and pongs are answered by tungstenite itself.
                Some(Ok(_)) => {}
            }
        }
    }

    /// The `data` of a `next` message of subscription `id` that must carry no errors.
    fn data_of(frame: Frame, id: &str) -> Value {
        match frame {
            Frame::Json(message) if message["type"] == "next" && message["id"] == id => {
                assert!(
                    message["payload"].get("errors").is_none(),
                    "the subscription reported errors: {message:#}"
                );
                message["payload"]["data"].clone()
            }
            other => panic!("expected a `next` of subscription {id:?}, got {other:?}"),
        }
    }

    /// The next `data` of subscription `id`, which must come within [`WAIT`].
    async fn next(&mut self, id: &str) -> Value {
        let frame = self
            .frame(WAIT)
            .await
            .unwrap_or_else(|| panic!("subscription {id:?} delivered nothing within {WAIT:?}"));
        Self::data_of(frame, id)
    }

    /// The next `field` that subscription `id` delivers whose `id` is not `warm_up`'s.
    async fn next_except(&mut self, id: &str, field: &str, warm_up: &str) -> Value {
        loop {
            let data = self.next(id).await;
            if data[field]["id"] != warm_up {
                return data[field].clone();
            }
        }
    }

    /// Calls `poke` (which must cause an event for subscription `id`) until the subscription
    /// delivers something, and returns what it delivered.
    async fn until_live<F, Fut>(&mut self, id: &str, mut poke: F) -> Value
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = ()>,
    {
        for attempt in 0..POKES {
            poke(attempt).await;
            if let Some(frame) = self.frame(POKE_WAIT).await {
                return Self::data_of(frame, id);
            }
        }
        panic!("subscription {id:?} delivered nothing after {POKES} warm-up changes");
    }
}

// ---------------------------------------------------------------------------------------------
// Fixtures.
// ---------------------------------------------------------------------------------------------

fn actor() -> Actor {
    Actor::new("system:fixture").unwrap()
}

/// Records an organization through storage and returns its global id.
async fn organization(
    db: &Database,
    name: &str,
    classification: Classification,
    level: Option<Level>,
) -> String {
    let mut details = OrganizationDetails::new(Text::parse(name).unwrap(), classification);
    details.level = level;
    let organization = Organization::new(OrganizationId::new(), details).unwrap();
    db.create_organization(&actor(), &organization)
        .await
        .unwrap();
    global_id("Organization", organization.id().as_uuid()).to_string()
}

async fn department(db: &Database, name: &str) -> String {
    organization(db, name, Classification::Department, None).await
}

/// Records a directive by Trần Việt Trường and returns its global id.
async fn directive(db: &Database) -> String {
    let issuer = Person::new(
        PersonId::new(),
        PersonDetails::named(PersonName::parse("Trần Việt Trường").unwrap()),
    )
    .unwrap();
    db.create_person(&actor(), &issuer).await.unwrap();
    let directive = Directive::new(
        DirectiveId::new(),
        DirectiveDetails {
            issuer: Participant {
                person: issuer.id(),
                capacities: Vec::new(),
            },
            kind: DirectiveKind::Conclusion,
            issued_on: PartialDate::parse("2022-08-24").unwrap(),
            meeting: None,
            document_number: None,
            summary: Prose::parse("Kết luận về công tác dân vận").unwrap(),
            addressees: Vec::new(),
        },
    )
    .unwrap();
    db.issue_directive(&actor(), &directive).await.unwrap();
    global_id("Directive", directive.id().as_uuid()).to_string()
}

/// The UUID inside a global id.
fn uuid_of(id: &str) -> uuid::Uuid {
    decode(&id.to_owned().into()).unwrap().1
}

/// A task of `directive` at `position`, with the text "task <position>", led by `lead`.
fn task(directive: &str, position: u32, lead: &str) -> Value {
    json!({
        "directive": directive,
        "position": position,
        "text": format!("task {position}"),
        "lead": { "organization": lead },
        "assignedOn": "2022-08-24",
        "deadline": "2022-12-31",
    })
}

/// Adds a task through `server`'s API and returns its id.
async fn add_task(server: &TestServer, input: Value) -> String {
    let data = server
        .data(
            "mutation($input: AddTaskInput!) { addTask(input: $input) { task { id } } }",
            json!({ "input": input }),
            Some(&server.editor),
        )
        .await;
    data["addTask"]["task"]["id"].as_str().unwrap().to_owned()
}

/// Moves a task to `to` through `server`'s API.
async fn transition(server: &TestServer, task: &str, to: &str) {
    server
        .data(
            "mutation($input: TransitionTaskInput!) { transitionTask(input: $input) { task { id } } }",
            json!({ "input": { "id": task, "to": to, "on": "2022-09-01" } }),
            Some(&server.editor),
        )
        .await;
}

/// Rewords a task through `server`'s API: the warm-up poke.
async fn reword(server: &TestServer, task: &str, attempt: u32) {
    server
        .data(
            "mutation($input: UpdateTaskInput!) { updateTask(input: $input) { task { id } } }",
            json!({ "input": { "id": task, "text": format!("warm-up {attempt}") } }),
            Some(&server.editor),
        )
        .await;
}

/// Pokes the warm-up task through `writer` until `subscriber`'s subscription `id` is live.
async fn warm_up_tasks(subscriber: &mut Subscriber, id: &str, writer: &TestServer, warm: &str) {
    let delivered = subscriber
        .until_live(id, |attempt| reword(writer, warm, attempt))
        .await;
    assert_eq!(
        delivered["taskChanged"]["id"], warm,
        "the first task delivered is the warm-up task: {delivered:#}"
    );
}

const TASK_CHANGED: &str = "subscription($assignee: ID) {
  taskChanged(assignee: $assignee) { id text lifecycle }
}";

// ---------------------------------------------------------------------------------------------
// Tests.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_units_subscriber_hears_of_its_tasks_being_added_and_moved_and_not_of_other_units_tasks()
{
    for test_db in TestDatabase::every_engine().await {
        let engine = test_db.engine;
        let server = TestServer::start(test_db.db.clone()).await;
        let home = department(&server.db, "Sở Nội vụ").await;
        let other = department(&server.db, "Sở Tài chính").await;
        let conclusion = directive(&server.db).await;
        let warm = add_task(&server, task(&conclusion, 1, &home)).await;

        // One subscriber to the unit's tasks, and one to every task: the latter proves that the
        // other unit's changes were published at all, so their absence from the former means
        // the filter held them back.
        let mut unit = Subscriber::connect(server.address, json!({})).await;
        unit.subscribe("unit", TASK_CHANGED, json!({ "assignee": home }))
            .await;
        warm_up_tasks(&mut unit, "unit", &server, &warm).await;
        let mut all = Subscriber::connect(
            server.address,
            json!({ "Authorization": format!("Bearer {}", server.reader) }),
        )
        .await;
        all.subscribe("all", TASK_CHANGED, json!({ "assignee": null }))
            .await;
        warm_up_tasks(&mut all, "all", &server, &warm).await;

        // Added: the other unit's task first, then the unit's.
        let elsewhere = add_task(&server, task(&conclusion, 2, &other)).await;
        let added = add_task(&server, task(&conclusion, 3, &home)).await;
        assert_eq!(
            unit.next_except("unit", "taskChanged", &warm).await,
            json!({ "id": added, "text": "task 3", "lifecycle": "NOT_STARTED" }),
            "{engine:?}: the unit's subscriber hears of the unit's new task, and not of the other \
             unit's task added just before it"
        );
        assert_eq!(
            all.next_except("all", "taskChanged", &warm).await["id"],
            elsewhere,
            "{engine:?}: the other unit's task was published"
        );
        assert_eq!(
            all.next_except("all", "taskChanged", &warm).await["id"],
            added,
            "{engine:?}"
        );

        // Moved through the lifecycle: the other unit's task first, then the unit's.
        transition(&server, &elsewhere, "IN_PROGRESS").await;
        transition(&server, &added, "IN_PROGRESS").await;
        assert_eq!(
            unit.next_except("unit", "taskChanged", &warm).await,
            json!({ "id": added, "text": "task 3", "lifecycle": "IN_PROGRESS" }),
            "{engine:?}: the unit's subscriber hears of its task moving, and not of the other \
             unit's task moving just before it"
        );
        let moved = all.next_except("all", "taskChanged", &warm).await;
        assert_eq!(
            (moved["id"].clone(), moved["lifecycle"].clone()),
            (json!(elsewhere), json!("IN_PROGRESS")),
            "{engine:?}: the other unit's move was published"
        );
        assert_eq!(
            all.next_except("all", "taskChanged", &warm).await["id"],
            added,
            "{engine:?}"
        );

        // A task the unit only co-operates on is the unit's too.
        let mut shared = task(&conclusion, 4, &other);
        shared["cooperating"] = json!([{ "organization": home }]);
        let shared = add_task(&server, shared).await;
        assert_eq!(
            unit.next_except("unit", "taskChanged", &warm).await,
            json!({ "id": shared, "text": "task 4", "lifecycle": "NOT_STARTED" }),
            "{engine:?}: a co-operating unit hears of the task"
        );

        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn each_change_reaches_the_subscriber_with_its_own_state_even_when_the_next_follows_at_once()
{
    for test_db in TestDatabase::every_engine().await {
        let engine = test_db.engine;
        let server = TestServer::start(test_db.db.clone()).await;
        let home = department(&server.db, "Sở Nội vụ").await;
        let conclusion = directive(&server.db).await;
        let warm = add_task(&server, task(&conclusion, 1, &home)).await;
        let mut unit = Subscriber::connect(server.address, json!({})).await;
        unit.subscribe("unit", TASK_CHANGED, json!({ "assignee": home }))
            .await;
        warm_up_tasks(&mut unit, "unit", &server, &warm).await;
        // Several rounds, because the state an event shows used to depend on timing: the
        // subscription read the task back when it delivered the event, by which time the next
        // change could have committed.
        for position in 2..12 {
            let added = add_task(&server, task(&conclusion, position, &home)).await;
            transition(&server, &added, "IN_PROGRESS").await;
            let first = unit.next_except("unit", "taskChanged", &warm).await;
            let second = unit.next_except("unit", "taskChanged", &warm).await;
            assert_eq!(
                (first["lifecycle"].clone(), second["lifecycle"].clone()),
                (json!("NOT_STARTED"), json!("IN_PROGRESS")),
                "{engine:?}: round {position}: {first} then {second}"
            );
        }
        server.stop();
        test_db.finish().await;
    }
}

const RECORD: &str = "mutation($input: RecordAwardDecisionInput!) {
  recordAwardDecision(input: $input) { awardDecision { id } }
}";

const DECISION_RECORDED: &str = "subscription($authority: ID) {
  awardDecisionRecorded(authority: $authority) { id status number { raw } authority { id } }
}";

/// A Bằng khen of `authority` numbered `number` for `unit`'s achievement in `field`.
fn decision(authority: &str, number: &str, field: &str, unit: &str) -> Value {
    json!({
        "number": number,
        "signedOn": "2021-01-10",
        "authority": authority,
        "form": { "kind": "CERTIFICATE_OF_MERIT" },
        "achievement": {
            "reason": format!("đã có thành tích xuất sắc trong {field} năm 2020"),
            "field": field,
            "period": "2020",
        },
        "recipients": [{ "recipient": unit, "prizeVnd": 2_980_000 }],
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

#[tokio::test]
async fn a_subscriber_hears_of_the_award_decisions_its_authority_records_and_revokes() {
    for test_db in TestDatabase::every_engine().await {
        let engine = test_db.engine;
        let server = TestServer::start(test_db.db.clone()).await;
        let db = &server.db;
        let city = organization(
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
        let unit = department(db, "Sở Nội vụ").await;
        let warm_fields = decision(&city, "1/QĐ-UBND", "công tác văn thư", &unit);
        let warm = record(&server, warm_fields.clone()).await;

        let mut subscriber = Subscriber::connect(server.address, json!({})).await;
        subscriber
            .subscribe("city", DECISION_RECORDED, json!({ "authority": city }))
            .await;
        let delivered = subscriber
            .until_live("city", |_| {
                let (server, warm, fields) = (&server, &warm, &warm_fields);
                async move {
                    server
                        .data(
                            "mutation($input: UpdateAwardDecisionInput!) {
                              updateAwardDecision(input: $input) { awardDecision { id } }
                            }",
                            json!({ "input": { "id": warm, "decision": fields } }),
                            Some(&server.editor),
                        )
                        .await;
                }
            })
            .await;
        assert_eq!(delivered["awardDecisionRecorded"]["id"], warm.as_str());

        // The province's decision first, then the city's: only the city's reaches the
        // subscriber.
        record(
            &server,
            decision(&province, "163/QĐ-UBND", "cải cách hành chính", &unit),
        )
        .await;
        let recorded = record(
            &server,
            decision(&city, "163/QĐ-UBND", "thực hiện quy chế dân chủ", &unit),
        )
        .await;
        assert_eq!(
            subscriber
                .next_except("city", "awardDecisionRecorded", &warm)
                .await,
            json!({
                "id": recorded,
                "status": "ISSUED",
                "number": { "raw": "163/QĐ-UBND" },
                "authority": { "id": city },
            }),
            "{engine:?}: the city's decision recorded through the API, not the province's"
        );

        server
            .data(
                "mutation($input: RevokeAwardDecisionInput!) {
                  revokeAwardDecision(input: $input) { awardDecision { id } }
                }",
                json!({ "input": {
                    "id": recorded,
                    "on": "2021-06-01",
                    "reason": "hồ sơ đề nghị khen thưởng không trung thực",
                } }),
                Some(&server.editor),
            )
            .await;
        let revoked = subscriber
            .next_except("city", "awardDecisionRecorded", &warm)
            .await;
        assert_eq!(
            (revoked["id"].clone(), revoked["status"].clone()),
            (json!(recorded), json!("REVOKED")),
            "{engine:?}: a revocation is delivered too"
        );

        server.stop();
        test_db.finish().await;
    }
}

/// A fresh PostgreSQL database made by hand, so that each replica can open its own connection
/// pool to it by URL; dropped by [`Self::finish`].
struct SharedPostgres {
    admin_url: String,
    name: String,
    url: String,
}

impl SharedPostgres {
    async fn create(admin_url: String) -> Self {
        let admin = sea_orm::Database::connect(&admin_url).await.unwrap();
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let name = format!("gazette_test_{seconds}_{}", uuid::Uuid::now_v7().simple());
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .unwrap();
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(base, _)| base);
        let url = format!("{base}/{name}");
        Self {
            admin_url,
            name,
            url,
        }
    }

    fn options(&self) -> StorageOptions {
        let mut options = StorageOptions::new(self.url.clone());
        options.max_connections = 4;
        options
    }

    async fn finish(self) {
        if let Ok(admin) = sea_orm::Database::connect(&self.admin_url).await {
            let _ = admin
                .execute_unprepared(&format!(
                    "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                    self.name
                ))
                .await;
        }
    }
}

#[tokio::test]
async fn a_subscriber_on_one_replica_hears_of_a_change_written_through_another() {
    let Some(admin_url) = std::env::var("GAZETTE_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!(
            "skipped: GAZETTE_TEST_DATABASE_URL is unset; replicas share events through \
             PostgreSQL only"
        );
        return;
    };
    let shared = SharedPostgres::create(admin_url).await;
    // Two replicas with nothing in common in-process: each its own connection pools (opened
    // by URL), its own schema and so its own EventBus and LISTEN connection.
    let db_a = Database::connect_and_migrate(&shared.options())
        .await
        .unwrap();
    let db_b = Database::connect(&shared.options()).await.unwrap();
    assert_eq!(
        (db_a.engine(), db_b.engine()),
        (Engine::Postgres, Engine::Postgres)
    );
    let replica_a = TestServer::start(db_a).await;
    let replica_b = TestServer::start(db_b).await;
    assert_ne!(replica_a.address, replica_b.address);

    let unit = department(&replica_b.db, "Sở Nội vụ").await;
    let conclusion = directive(&replica_b.db).await;
    let warm = add_task(&replica_b, task(&conclusion, 1, &unit)).await;
    let mut subscriber = Subscriber::connect(replica_a.address, json!({})).await;
    subscriber
        .subscribe("a", TASK_CHANGED, json!({ "assignee": unit }))
        .await;
    // Every warm-up poke is written through B too.
    warm_up_tasks(&mut subscriber, "a", &replica_b, &warm).await;

    let added = add_task(&replica_b, task(&conclusion, 2, &unit)).await;
    assert_eq!(
        subscriber.next_except("a", "taskChanged", &warm).await,
        json!({ "id": added, "text": "task 2", "lifecycle": "NOT_STARTED" }),
        "a subscriber on replica A hears of a task added through replica B"
    );
    transition(&replica_b, &added, "IN_PROGRESS").await;
    assert_eq!(
        subscriber.next_except("a", "taskChanged", &warm).await,
        json!({ "id": added, "text": "task 2", "lifecycle": "IN_PROGRESS" }),
        "a subscriber on replica A hears of a task moved through replica B"
    );

    // The path is PostgreSQL's NOTIFY: one sent by a connection that is no gateway's at all
    // reaches A's subscriber just the same.
    let outsider = sea_orm::Database::connect(&shared.url).await.unwrap();
    let payload = json!({
        "event": "task_changed",
        "task": uuid_of(&added),
        "organizations": [uuid_of(&unit)],
    });
    outsider
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify('gazette_events', $1)",
            [payload.to_string().into()],
        ))
        .await
        .unwrap();
    assert_eq!(
        subscriber.next_except("a", "taskChanged", &warm).await["id"],
        added,
        "a NOTIFY from outside the gateways is delivered by replica A"
    );
    drop(outsider);

    replica_a.stop();
    replica_b.stop();
    shared.finish().await;
}

/// Opens a WebSocket, sends `connection_init` with `payload`, and returns how the server
/// ended the connection; panics if it acknowledged it instead.
async fn refused(address: SocketAddr, payload: Value) -> (Option<(u16, String)>, String) {
    let mut subscriber = Subscriber::open(address).await;
    subscriber.init(payload.clone()).await;
    match subscriber.frame(WAIT).await {
        Some(Frame::Closed(frame, how)) => (frame, how),
        Some(Frame::Json(message)) => {
            panic!("connection_init with {payload} was answered with {message}, not refused")
        }
        None => panic!("connection_init with {payload} got no answer within {WAIT:?}"),
    }
}

#[tokio::test]
async fn a_connection_init_with_a_malformed_token_is_refused() {
    for test_db in TestDatabase::every_engine().await {
        let engine = test_db.engine;
        let server = TestServer::start(test_db.db.clone()).await;
        for header in [
            "Bearer not-a-gazette-token".to_owned(),
            format!("Token {}", server.reader),
            format!("Bearer {}", &server.reader[..server.reader.len() / 2]),
        ] {
            let (frame, how) = refused(server.address, json!({ "Authorization": header })).await;
            let (code, reason) =
                frame.unwrap_or_else(|| panic!("{engine:?}: {header:?}: no close frame ({how})"));
            assert_ne!(
                code, 1000,
                "{engine:?}: {header:?}: a refusal is not a normal closure"
            );
            assert!(
                reason.contains("token"),
                "{engine:?}: {header:?}: the reason names the token: {code} {reason:?}"
            );
        }
        // The same server acknowledges a good token, and no token at all (reads are open).
        Subscriber::connect(
            server.address,
            json!({ "Authorization": format!("Bearer {}", server.reader) }),
        )
        .await;
        Subscriber::connect(server.address, json!({})).await;
        server.stop();
        test_db.finish().await;
    }
}

#[tokio::test]
async fn a_server_that_needs_a_token_for_every_read_refuses_a_connection_init_without_one() {
    let test_db = TestDatabase::sqlite().await;
    let settings = HttpSettings {
        require_read_token: true,
        ..HttpSettings::default()
    };
    let server = TestServer::start_with(test_db.db.clone(), QueryLimits::default(), settings).await;
    let (frame, how) = refused(server.address, json!({})).await;
    assert!(frame.is_some(), "a close frame, not {how}");
    Subscriber::connect(
        server.address,
        json!({ "authorization": format!("Bearer {}", server.reader) }),
    )
    .await;
    server.stop();
    test_db.finish().await;
}

/// A subscription is held to the same document limits as a query over HTTP: one that breaks
/// them gets the limit's error and no event stream.
#[tokio::test]
async fn a_subscription_that_breaks_the_document_limits_is_refused_with_the_limits_error() {
    for test_db in TestDatabase::every_engine().await {
        let engine = test_db.engine;
        let server = TestServer::start(test_db.db.clone()).await;
        let aliases: String = (0..31)
            .map(|i| format!(" a{i}: taskChanged(assignee: $assignee) {{ id }}"))
            .collect();
        let too_many = format!("subscription($assignee: ID) {{{aliases} }}");
        let required = "subscription($assignee: ID!) { taskChanged(assignee: $assignee) { id } }";
        for (id, query, variables, expected) in [
            (
                "aliases",
                too_many.as_str(),
                json!({ "assignee": null }),
                "the document has 31 aliases; at most 30 are allowed",
            ),
            (
                "nul",
                TASK_CHANGED,
                json!({ "assignee": "a\u{0}b" }),
                "strings may not contain the NUL character (U+0000)",
            ),
            (
                "required",
                required,
                json!({}),
                "variable $assignee of type ID! is required but was not given",
            ),
        ] {
            let mut subscriber = Subscriber::connect(server.address, json!({})).await;
            subscriber.subscribe(id, query, variables).await;
            let message = match subscriber.frame(WAIT).await {
                Some(Frame::Json(message)) => message,
                other => panic!("{engine:?}: {id}: expected the error, got {other:?}"),
            };
            assert_eq!(message["id"], id, "{engine:?}: {message:#}");
            let errors = message["payload"]["errors"]
                .as_array()
                .or_else(|| message["payload"].as_array())
                .unwrap_or_else(|| panic!("{engine:?}: {id}: no errors in {message:#}"));
            assert_eq!(errors.len(), 1, "{engine:?}: {id}: {message:#}");
            assert_eq!(errors[0]["message"], expected, "{engine:?}: {id}");
            assert!(
                message["payload"].get("data").is_none_or(Value::is_null),
                "{engine:?}: {id}: {message:#}"
            );
        }
        server.stop();
        test_db.finish().await;
    }
}
