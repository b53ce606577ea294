//! The workloads: the same logical GraphQL requests written for Gazette's schema and for
//! PostGraphile's (over the same PostgreSQL tables), with variables drawn from the sample.
//!
//! The queries are public constants so that docs/benchmarks.md can quote them; a test checks
//! that the two targets' versions ask for the same things.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use serde_json::{Value, json};

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::BenchError;
use crate::rng::Rng;
use crate::sample::{Appointment, Sample};

/// The server a run talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// Gazette's gateway (`gazette serve`).
    Gazette,
    /// PostGraphile 4 over the same PostgreSQL database (bench/postgraphile).
    Postgraphile,
}

/// A workload: what a run sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Workload {
    /// A person by id with their current positions, each post's organization and its parent.
    A,
    /// A name search ("nguyen van"), first 20, with their current positions.
    B,
    /// Overdue tasks of a lead unit as of a day, first 20, with directive and issuer.
    C,
    /// Award decisions of an authority in a year, first 20, with their recipients.
    D,
    /// 90% reads (A–D, a quarter each), 10% writes (progress reports and appointments, half
    /// each).
    E,
    /// `{ __typename }`: the gateway alone, no database.
    Ceiling,
}

impl Workload {
    /// The read workloads `verify` compares.
    pub const READS: [Self; 4] = [Self::A, Self::B, Self::C, Self::D];

    /// The operation kinds this workload draws from.
    fn kinds(self) -> &'static [Kind] {
        match self {
            Self::A => &[Kind::PersonPositions],
            Self::B => &[Kind::PeopleSearch],
            Self::C => &[Kind::OverdueTasks],
            Self::D => &[Kind::AwardDecisions],
            Self::E => &[
                Kind::PersonPositions,
                Kind::PeopleSearch,
                Kind::OverdueTasks,
                Kind::AwardDecisions,
                Kind::ReportProgress,
                Kind::Appoint,
            ],
            Self::Ceiling => &[Kind::Typename],
        }
    }

    /// The lower-case name used in reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::A => "a",
            Self::B => "b",
            Self::C => "c",
            Self::D => "d",
            Self::E => "e",
            Self::Ceiling => "ceiling",
        }
    }
}

/// One kind of request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Workload A's query.
    PersonPositions,
    /// Workload B's query.
    PeopleSearch,
    /// Workload C's query.
    OverdueTasks,
    /// Workload D's query.
    AwardDecisions,
    /// A progress report on an in-progress task (a write).
    ReportProgress,
    /// An appointment to an unlimited-seat post (a write).
    Appoint,
    /// `{ __typename }`.
    Typename,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Self; 7] = [
        Self::PersonPositions,
        Self::PeopleSearch,
        Self::OverdueTasks,
        Self::AwardDecisions,
        Self::ReportProgress,
        Self::Appoint,
        Self::Typename,
    ];

    /// The operation name, as sent and reported.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::PersonPositions => "PersonPositions",
            Self::PeopleSearch => "PeopleSearch",
            Self::OverdueTasks => "OverdueTasks",
            Self::AwardDecisions => "AwardDecisions",
            Self::ReportProgress => "ReportProgress",
            Self::Appoint => "Appoint",
            Self::Typename => "Ceiling",
        }
    }

    /// Whether it writes.
    #[must_use]
    pub fn is_write(self) -> bool {
        matches!(self, Self::ReportProgress | Self::Appoint)
    }

    /// Its index in [`Kind::ALL`].
    #[must_use]
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|k| *k == self).unwrap_or(0)
    }

    /// The query text for `target`.
    #[must_use]
    pub fn query(self, target: Target) -> &'static str {
        match (self, target) {
            (Self::PersonPositions, Target::Gazette) => GAZETTE_A,
            (Self::PersonPositions, Target::Postgraphile) => POSTGRAPHILE_A,
            (Self::PeopleSearch, Target::Gazette) => GAZETTE_B,
            (Self::PeopleSearch, Target::Postgraphile) => POSTGRAPHILE_B,
            (Self::OverdueTasks, Target::Gazette) => GAZETTE_C,
            (Self::OverdueTasks, Target::Postgraphile) => POSTGRAPHILE_C,
            (Self::AwardDecisions, Target::Gazette) => GAZETTE_D,
            (Self::AwardDecisions, Target::Postgraphile) => POSTGRAPHILE_D,
            (Self::ReportProgress, Target::Gazette) => GAZETTE_REPORT_PROGRESS,
            (Self::ReportProgress, Target::Postgraphile) => POSTGRAPHILE_REPORT_PROGRESS,
            (Self::Appoint, Target::Gazette) => GAZETTE_APPOINT,
            (Self::Appoint, Target::Postgraphile) => POSTGRAPHILE_APPOINT,
            (Self::Typename, _) => CEILING,
        }
    }
}

/// Workload A on Gazette.
pub const GAZETTE_A: &str = "query PersonPositions($id: ID!, $on: Date!) {
  person(id: $id) {
    id
    name
    positions(on: $on) {
      id
      kind
      start
      end
      post {
        id
        title
        organization {
          id
          name
          parent { id name }
        }
      }
    }
  }
}";

/// Workload A on PostGraphile: "active on" is Gazette's range test on the holding's
/// `active_from`/`active_to` columns (NULL meaning unbounded).
pub const POSTGRAPHILE_A: &str = "query PersonPositions($id: UUID!, $on: Date!) {
  personById(id: $id) {
    id
    fullName
    holdingsByPersonId(
      orderBy: [ACTIVE_FROM_ASC, ID_ASC]
      filter: {
        and: [
          { or: [{ activeFrom: { isNull: true } }, { activeFrom: { lessThanOrEqualTo: $on } }] }
          { or: [{ activeTo: { isNull: true } }, { activeTo: { greaterThanOrEqualTo: $on } }] }
        ]
      }
    ) {
      nodes {
        id
        kind
        startDate
        endDate
        postByPostId {
          id
          title
          organizationByOrganizationId {
            id
            name
            organizationByParentId { id name }
          }
        }
      }
    }
  }
}";

/// Workload B on Gazette.
pub const GAZETTE_B: &str = "query PeopleSearch($name: String!, $on: Date!) {
  people(name: $name, first: 20) {
    nodes {
      id
      name
      positions(on: $on) {
        id
        kind
        post {
          id
          title
          organization { id name }
        }
      }
    }
  }
}";

/// Workload B on PostGraphile: `$filter` requires, for each word of the search, a name token
/// of the person starting with it (Gazette's own definition, on its `person_name_token`
/// table), in the official list order (`sort_key`, then id).
pub const POSTGRAPHILE_B: &str = "query PeopleSearch($filter: PersonFilter!, $on: Date!) {
  allPeople(first: 20, orderBy: [SORT_KEY_ASC, ID_ASC], filter: $filter) {
    nodes {
      id
      fullName
      holdingsByPersonId(
        orderBy: [ACTIVE_FROM_ASC, ID_ASC]
        filter: {
          and: [
            { or: [{ activeFrom: { isNull: true } }, { activeFrom: { lessThanOrEqualTo: $on } }] }
            { or: [{ activeTo: { isNull: true } }, { activeTo: { greaterThanOrEqualTo: $on } }] }
          ]
        }
      ) {
        nodes {
          id
          kind
          postByPostId {
            id
            title
            organizationByOrganizationId { id name }
          }
        }
      }
    }
  }
}";

/// Workload C on Gazette.
pub const GAZETTE_C: &str = "query OverdueTasks($org: ID!, $asOf: Date!) {
  tasks(assignee: $org, leadOnly: true, timeliness: OVERDUE, asOf: $asOf, first: 20) {
    nodes {
      id
      position
      text
      assignedOn
      deadline
      lifecycle
      lead {
        organization { id name }
      }
      directive {
        id
        summary
        issuer {
          person { id name }
        }
      }
    }
  }
}";

/// Workload C on PostGraphile: overdue as of a day is Gazette's SQL condition (assigned by
/// then, still open at the end of it, deadline before it), in assignment order.
pub const POSTGRAPHILE_C: &str = "query OverdueTasks($org: UUID!, $asOf: Date!) {
  allTasks(
    first: 20
    orderBy: [ASSIGNED_ON_ASC, ID_ASC]
    condition: { leadId: $org }
    filter: {
      assignedOn: { lessThanOrEqualTo: $asOf }
      deadline: { lessThan: $asOf }
      or: [{ closedOn: { isNull: true } }, { closedOn: { greaterThan: $asOf } }]
    }
  ) {
    nodes {
      id
      position
      text
      assignedOn
      deadline
      lifecycle
      organizationByLeadId { id name }
      directiveByDirectiveId {
        id
        summary
        personByIssuerId { id fullName }
      }
    }
  }
}";

/// Workload D on Gazette.
pub const GAZETTE_D: &str = "query AwardDecisions($authority: ID!, $year: Int!) {
  awardDecisions(authority: $authority, year: $year, first: 20) {
    nodes {
      id
      number { raw }
      signedOn
      year
      status
      form { kind }
      recipients {
        kind
        reason
        person { id name }
        organization { id name }
      }
    }
  }
}";

/// Workload D on PostGraphile: decisions in the order recorded (by id), every recipient in the
/// decision's order.
pub const POSTGRAPHILE_D: &str = "query AwardDecisions($authority: UUID!, $year: Int!) {
  allAwardDecisions(first: 20, orderBy: ID_ASC, condition: { authorityId: $authority, year: $year }) {
    nodes {
      id
      number
      signedOn
      year
      status
      formKind
      awardRecipientsByDecisionId(orderBy: POSITION_ASC) {
        nodes {
          kind
          reason
          personByPersonId { id fullName }
          organizationByOrganizationId { id name }
        }
      }
    }
  }
}";

/// A progress report on Gazette.
pub const GAZETTE_REPORT_PROGRESS: &str = "mutation ReportProgress($input: ReportProgressInput!) {
  reportProgress(input: $input) {
    progressReport { id reportedOn percent }
  }
}";

/// A progress report on PostGraphile: the generated create mutation (no checks, no audit
/// entry: PostGraphile does less work here than Gazette).
pub const POSTGRAPHILE_REPORT_PROGRESS: &str =
    "mutation ReportProgress($input: CreateProgressReportInput!) {
  createProgressReport(input: $input) {
    progressReport { id reportedOn percent }
  }
}";

/// An appointment on Gazette.
pub const GAZETTE_APPOINT: &str = "mutation Appoint($input: AppointInput!) {
  appoint(input: $input) {
    holding { id start kind }
  }
}";

/// An appointment on PostGraphile: the generated create mutation on `holding` (no seat rule,
/// no audit entry).
pub const POSTGRAPHILE_APPOINT: &str = "mutation Appoint($input: CreateHoldingInput!) {
  createHolding(input: $input) {
    holding { id startDate kind }
  }
}";

/// The ceiling: no database.
pub const CEILING: &str = "query Ceiling { __typename }";

/// The values one request is made from, the same for both targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Params {
    /// Workload A.
    PersonPositions {
        /// The person's UUID.
        person: String,
        /// The day.
        on: String,
    },
    /// Workload B.
    PeopleSearch {
        /// The folded name prefix.
        name: String,
        /// The day positions are current on.
        on: String,
    },
    /// Workload C.
    OverdueTasks {
        /// The lead unit's UUID.
        organization: String,
        /// The day.
        as_of: String,
    },
    /// Workload D.
    AwardDecisions {
        /// The authority's UUID.
        authority: String,
        /// The year.
        year: i32,
    },
    /// A progress report.
    ReportProgress {
        /// The task's UUID.
        task: String,
        /// The day reported.
        reported_on: String,
        /// How far along.
        percent: u8,
        /// The new row's UUID (PostGraphile only; Gazette makes its own).
        id: String,
    },
    /// An appointment.
    Appoint {
        /// The person's UUID.
        person: String,
        /// The post's UUID.
        post: String,
        /// The start day.
        start: String,
        /// The new row's UUID (PostGraphile only).
        id: String,
    },
    /// The ceiling.
    Typename,
}

impl Params {
    /// The kind of request.
    #[must_use]
    pub fn kind(&self) -> Kind {
        match self {
            Self::PersonPositions { .. } => Kind::PersonPositions,
            Self::PeopleSearch { .. } => Kind::PeopleSearch,
            Self::OverdueTasks { .. } => Kind::OverdueTasks,
            Self::AwardDecisions { .. } => Kind::AwardDecisions,
            Self::ReportProgress { .. } => Kind::ReportProgress,
            Self::Appoint { .. } => Kind::Appoint,
            Self::Typename => Kind::Typename,
        }
    }

    /// The request's variables for `target`; `now` is the timestamp PostGraphile's created
    /// rows carry (Gazette sets its own).
    #[must_use]
    pub fn variables(&self, target: Target, now: &str) -> Value {
        let gazette = target == Target::Gazette;
        match self {
            Self::PersonPositions { person, on } => json!({
                "id": if gazette { global_id("Person", person) } else { person.clone() },
                "on": on,
            }),
            Self::PeopleSearch { name, on } => {
                if gazette {
                    json!({ "name": name, "on": on })
                } else {
                    let words: Vec<Value> = search_words(name)
                        .into_iter()
                        .map(|word| {
                            json!({ "personNameTokensByPersonId": { "some": { "token": { "startsWith": word } } } })
                        })
                        .collect();
                    json!({ "filter": { "and": words }, "on": on })
                }
            }
            Self::OverdueTasks {
                organization,
                as_of,
            } => json!({
                "org": if gazette { global_id("Organization", organization) } else { organization.clone() },
                "asOf": as_of,
            }),
            Self::AwardDecisions { authority, year } => json!({
                "authority": if gazette { global_id("Organization", authority) } else { authority.clone() },
                "year": year,
            }),
            Self::ReportProgress {
                task,
                reported_on,
                percent,
                id,
            } => {
                let note = "Báo cáo tiến độ (benchmark)";
                if gazette {
                    json!({ "input": {
                        "task": global_id("Task", task),
                        "reportedOn": reported_on,
                        "note": note,
                        "percent": percent,
                    }})
                } else {
                    json!({ "input": { "progressReport": {
                        "id": id,
                        "taskId": task,
                        "reportedOn": reported_on,
                        "note": note,
                        "percent": percent,
                        "createdAt": now,
                        "updatedAt": now,
                    }}})
                }
            }
            Self::Appoint {
                person,
                post,
                start,
                id,
            } => {
                if gazette {
                    json!({ "input": {
                        "person": global_id("Person", person),
                        "post": global_id("Post", post),
                        "holding": { "start": start, "kind": "APPOINTED" },
                    }})
                } else {
                    json!({ "input": { "holding": {
                        "id": id,
                        "personId": person,
                        "postId": post,
                        "startDate": start,
                        "activeFrom": start,
                        "kind": "appointed",
                        "createdAt": now,
                        "updatedAt": now,
                    }}})
                }
            }
            Self::Typename => json!({}),
        }
    }

    /// The request body for `target`.
    pub fn body(&self, target: Target, now: &str) -> Result<Bytes, BenchError> {
        let kind = self.kind();
        let body = json!({
            "query": kind.query(target),
            "operationName": kind.name(),
            "variables": self.variables(target, now),
        });
        Ok(Bytes::from(serde_json::to_vec(&body)?))
    }
}

/// Gazette's Relay global id: base64url (no padding) of `Type:uuid`.
#[must_use]
pub fn global_id(type_name: &str, uuid: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{type_name}:{uuid}"))
}

/// The UUID inside a Gazette global id, when it is one.
#[must_use]
pub fn uuid_of_global_id(id: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(id.as_bytes()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (_, uuid) = text.split_once(':')?;
    Some(uuid.to_owned())
}

/// The words of a folded name prefix, as Gazette's search splits it (on anything not a letter
/// or digit; the sample's prefixes are already folded).
#[must_use]
pub fn search_words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .take(8)
        .collect()
}

/// How many appointments a second [`Appointments`] makes room for between runs: runs that
/// appoint no faster than this never draw a pair an earlier run drew, until the pairs run out
/// (see [`Appointments::starting_now`]).
pub const APPOINTMENTS_PER_SECOND: u64 = 250;

/// Hands out a run's appointments, shared by its connections: each a (person, post) pair of
/// the sample that no other appointment of the run draws, so that none is refused because
/// the person already holds the post (Gazette refuses a person twice in a post over
/// overlapping periods; an appointment is open-ended). The pairs are numbered so that
/// consecutive appointments go to different posts (whose seat rule locks the post) and to
/// different people, and a run's appointments spread evenly over both: pair `n` is post
/// `n mod P` and person `(⌊n / P⌋ × step + n mod P) mod Q` (P posts, Q people, `step` the
/// first number from P up prime to Q, which makes the numbering one-to-one). Taken in order,
/// the first P·Q numbers give every pair once; numbering person by person instead would give
/// the first people of the list hundreds of posts each, which the read workloads would then
/// meet.
#[derive(Debug, Clone)]
pub struct Appointments {
    next: Arc<AtomicU64>,
}

impl Appointments {
    /// Starting from pair `first` (taken modulo the number of pairs).
    #[must_use]
    pub fn starting_at(first: u64) -> Self {
        Self {
            next: Arc::new(AtomicU64::new(first)),
        }
    }

    /// Starting from the pair the clock gives: [`APPOINTMENTS_PER_SECOND`] pairs per second
    /// since the epoch, so that a later run on the same database starts past the pairs an
    /// earlier one drew, as long as that one appointed no faster than that and the pairs did
    /// not come round since (the size-s sample's 1,292 people × 200 posts last about 17
    /// minutes).
    #[must_use]
    pub fn starting_now() -> Self {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Self::starting_at(seconds.wrapping_mul(APPOINTMENTS_PER_SECOND))
    }

    /// The next pair: (person, appointment), from a sample [`check_sample`] found non-empty.
    fn draw<'s>(&self, sample: &'s Sample) -> (Option<&'s String>, Option<&'s Appointment>) {
        let (person, post) = pair(
            self.next.fetch_add(1, Ordering::Relaxed),
            sample.people_for_appointment.len() as u64,
            sample.appointments.len() as u64,
        );
        (
            usize::try_from(person)
                .ok()
                .and_then(|i| sample.people_for_appointment.get(i)),
            usize::try_from(post)
                .ok()
                .and_then(|i| sample.appointments.get(i)),
        )
    }
}

/// Pair number `number` (modulo `people` × `posts`) as (person, post): see [`Appointments`].
fn pair(number: u64, people: u64, posts: u64) -> (u64, u64) {
    let (people, posts) = (people.max(1), posts.max(1));
    let number = number % people.saturating_mul(posts);
    let post = number % posts;
    let mut step = posts;
    while gcd(step, people) != 1 {
        step += 1;
    }
    let person = (u128::from((number / posts) % people) * u128::from(step % people)
        + u128::from(post))
        % u128::from(people);
    (u64::try_from(person).unwrap_or(0), post)
}

/// The greatest common divisor.
fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Draws requests for one workload from the sample.
#[derive(Debug, Clone)]
pub struct Generator {
    workload: Workload,
    rng: Rng,
    /// Draws the writes' values: seeded from the clock too, so that a second run on the same
    /// database does not repeat the first one's row ids.
    writes: Rng,
    /// The run's appointments.
    appointments: Appointments,
}

impl Generator {
    /// A generator for `workload`, seeded by `seed` and `stream` (the connection's number),
    /// taking its appointments from `appointments` (shared by the run's connections); fails
    /// when the sample lacks what the workload needs.
    pub fn new(
        workload: Workload,
        sample: &Sample,
        seed: u64,
        stream: u64,
        appointments: Appointments,
    ) -> Result<Self, BenchError> {
        for kind in workload.kinds() {
            check_sample(*kind, sample)?;
        }
        Ok(Self {
            workload,
            rng: Rng::new(seed, stream),
            writes: Rng::new(seed ^ clock_entropy(), stream),
            appointments,
        })
    }

    /// The next request's values.
    pub fn next(&mut self, sample: &Sample) -> Params {
        let kind = match self.workload {
            Workload::E => {
                // 90% reads, a quarter each; 10% writes, half each.
                let roll = self.rng.below(1000);
                match roll {
                    0..225 => Kind::PersonPositions,
                    225..450 => Kind::PeopleSearch,
                    450..675 => Kind::OverdueTasks,
                    675..900 => Kind::AwardDecisions,
                    900..950 => Kind::ReportProgress,
                    _ => Kind::Appoint,
                }
            }
            other => other.kinds().first().copied().unwrap_or(Kind::Typename),
        };
        let rng = if kind.is_write() {
            &mut self.writes
        } else {
            &mut self.rng
        };
        draw(kind, sample, rng, &self.appointments)
    }
}

/// Nanoseconds of the wall clock, for seeding what must differ between runs.
fn clock_entropy() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// Fails when the sample has no values for `kind`.
fn check_sample(kind: Kind, sample: &Sample) -> Result<(), BenchError> {
    let empty = match kind {
        Kind::PersonPositions if sample.people.is_empty() => Some("people"),
        Kind::PeopleSearch if sample.name_prefixes.is_empty() => Some("name_prefixes"),
        Kind::OverdueTasks if sample.task_units.is_empty() => Some("task_units"),
        Kind::AwardDecisions if sample.award_authorities.is_empty() => Some("award_authorities"),
        Kind::ReportProgress if sample.progress_tasks.is_empty() => Some("progress_tasks"),
        Kind::Appoint if sample.appointments.is_empty() => Some("appointments"),
        Kind::Appoint if sample.people_for_appointment.is_empty() => Some("people_for_appointment"),
        _ => None,
    };
    match empty {
        Some(what) => Err(BenchError::EmptySample(what)),
        None => Ok(()),
    }
}

/// One request of `kind` with values picked uniformly from the sample (which
/// [`check_sample`] has found non-empty for it), an appointment's person and post from
/// `appointments`.
fn draw(kind: Kind, sample: &Sample, rng: &mut Rng, appointments: &Appointments) -> Params {
    let text = |rng: &mut Rng, items: &[String]| rng.pick(items).cloned().unwrap_or_default();
    match kind {
        Kind::PersonPositions => Params::PersonPositions {
            person: text(rng, &sample.people),
            on: sample.as_of.clone(),
        },
        Kind::PeopleSearch => Params::PeopleSearch {
            name: text(rng, &sample.name_prefixes),
            on: sample.as_of.clone(),
        },
        Kind::OverdueTasks => {
            let unit = rng.pick(&sample.task_units).cloned();
            let (organization, as_of) = unit.map(|u| (u.organization, u.as_of)).unwrap_or_default();
            Params::OverdueTasks {
                organization,
                as_of,
            }
        }
        Kind::AwardDecisions => {
            let authority = rng.pick(&sample.award_authorities).cloned();
            let (authority, year) = authority
                .map(|a| (a.organization, a.year))
                .unwrap_or_default();
            Params::AwardDecisions { authority, year }
        }
        Kind::ReportProgress => Params::ReportProgress {
            task: text(rng, &sample.progress_tasks),
            reported_on: sample.as_of.clone(),
            percent: u8::try_from(rng.below(101)).unwrap_or(50),
            id: rng.uuid_v4(),
        },
        Kind::Appoint => {
            let (person, appointment) = appointments.draw(sample);
            Params::Appoint {
                person: person.cloned().unwrap_or_default(),
                post: appointment.map(|a| a.post.clone()).unwrap_or_default(),
                start: appointment.map(|a| a.start.clone()).unwrap_or_default(),
                id: rng.uuid_v4(),
            }
        }
        Kind::Typename => Params::Typename,
    }
}

/// Every value of the sample for one read workload, in the sample's order (for `verify`).
#[must_use]
pub fn every_value(workload: Workload, sample: &Sample) -> Vec<Params> {
    match workload {
        Workload::A => sample
            .people
            .iter()
            .map(|person| Params::PersonPositions {
                person: person.clone(),
                on: sample.as_of.clone(),
            })
            .collect(),
        Workload::B => sample
            .name_prefixes
            .iter()
            .map(|name| Params::PeopleSearch {
                name: name.clone(),
                on: sample.as_of.clone(),
            })
            .collect(),
        Workload::C => sample
            .task_units
            .iter()
            .map(|unit| Params::OverdueTasks {
                organization: unit.organization.clone(),
                as_of: unit.as_of.clone(),
            })
            .collect(),
        Workload::D => sample
            .award_authorities
            .iter()
            .map(|a| Params::AwardDecisions {
                authority: a.organization.clone(),
                year: a.year,
            })
            .collect(),
        Workload::E | Workload::Ceiling => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Sample {
        Sample::parse(
            r#"{"as_of": "2026-11-27",
                "people": ["p1", "p2"], "name_prefixes": ["nguyen van", "tran thi h"],
                "task_units": [{"organization": "o1", "as_of": "2026-06-30"}],
                "award_authorities": [{"organization": "o2", "year": 2023}],
                "appointments": [{"post": "post1", "start": "2026-01-01"}],
                "progress_tasks": ["t1"], "people_for_appointment": ["p3"]}"#,
        )
        .unwrap()
    }

    /// [`sample`] with `people` people for appointment ("p0", ...) and `posts` posts ("post0",
    /// ...), each from 2026-01-01.
    fn sample_for_appointments(people: usize, posts: usize) -> Sample {
        let mut sample = sample();
        sample.appointments = (0..posts)
            .map(|i| Appointment {
                post: format!("post{i}"),
                start: "2026-01-01".into(),
            })
            .collect();
        sample.people_for_appointment = (0..people).map(|i| format!("p{i}")).collect();
        sample
    }

    #[test]
    fn global_ids_round_trip() {
        let id = global_id("Person", "0190c0de-0000-7000-8000-000000000001");
        assert!(!id.contains('='));
        assert_eq!(
            uuid_of_global_id(&id).as_deref(),
            Some("0190c0de-0000-7000-8000-000000000001")
        );
    }

    #[test]
    fn search_words_split_the_prefix() {
        assert_eq!(search_words("tran thi h"), ["tran", "thi", "h"]);
        assert_eq!(search_words("  nguyen  van "), ["nguyen", "van"]);
    }

    #[test]
    fn variables_differ_only_in_id_form() {
        let params = Params::OverdueTasks {
            organization: "o1".into(),
            as_of: "2026-06-30".into(),
        };
        let g = params.variables(Target::Gazette, "now");
        let p = params.variables(Target::Postgraphile, "now");
        assert_eq!(g["asOf"], p["asOf"]);
        assert_eq!(p["org"], "o1");
        assert_eq!(
            uuid_of_global_id(g["org"].as_str().unwrap()).as_deref(),
            Some("o1")
        );
        let search = Params::PeopleSearch {
            name: "tran thi h".into(),
            on: "2026-11-27".into(),
        }
        .variables(Target::Postgraphile, "now");
        assert_eq!(search["filter"]["and"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn mixed_workload_is_mostly_reads() {
        let sample = sample();
        let mut generator =
            Generator::new(Workload::E, &sample, 7, 0, Appointments::starting_at(0)).unwrap();
        let writes = (0..10_000)
            .filter(|_| generator.next(&sample).kind().is_write())
            .count();
        assert!((800..1200).contains(&writes), "{writes} writes");
    }

    #[test]
    fn a_runs_appointments_never_repeat_a_pair_across_its_connections() {
        let sample = sample_for_appointments(4, 3);
        let appointments = Appointments::starting_at(1_000_001);
        let mut connections: Vec<Generator> = (0..3)
            .map(|i| Generator::new(Workload::E, &sample, 9, i, appointments.clone()).unwrap())
            .collect();
        let mut drawn = Vec::new();
        while drawn.len() < 13 {
            for generator in &mut connections {
                if let Params::Appoint {
                    person,
                    post,
                    start,
                    ..
                } = generator.next(&sample)
                {
                    assert_eq!(start, "2026-01-01");
                    drawn.push((person, post));
                }
            }
        }
        let pairs: std::collections::BTreeSet<_> = drawn.iter().take(12).cloned().collect();
        assert_eq!(pairs.len(), 12, "{drawn:?}");
        // Then they come round again.
        assert!(pairs.contains(&drawn[12]));
    }

    #[test]
    fn pairs_are_numbered_one_to_one_spread_over_people_and_posts() {
        for (people, posts) in [(6, 4), (9, 3), (7, 5), (50, 2), (1, 1), (4, 6), (1292, 200)] {
            let numbers = people * posts;
            let pairs: std::collections::BTreeSet<_> =
                (0..numbers).map(|n| pair(n, people, posts)).collect();
            assert_eq!(
                pairs.len() as u64,
                numbers,
                "{people} people, {posts} posts"
            );
            assert!(
                pairs
                    .iter()
                    .all(|(person, post)| *person < people && *post < posts)
            );
            // They come round.
            assert_eq!(pair(numbers + 3, people, posts), pair(3, people, posts));
            if people > 1 && posts > 1 {
                // Consecutive appointments change person and post.
                for n in 0..numbers {
                    let (a, b) = (pair(n, people, posts), pair(n + 1, people, posts));
                    assert!(a.0 != b.0 && a.1 != b.1, "{n}: {a:?} then {b:?}");
                }
            }
            // As many appointments as people give nobody more than two posts.
            let mut per_person = std::collections::BTreeMap::new();
            for n in 0..people {
                *per_person.entry(pair(n, people, posts).0).or_insert(0) += 1;
            }
            assert!(
                per_person.values().all(|count| *count <= 2),
                "{per_person:?}"
            );
        }
    }

    #[test]
    fn a_later_run_starts_further_on() {
        let sample = sample_for_appointments(50, 2);
        let pair = |a: &Appointments| {
            let (person, appointment) = a.draw(&sample);
            (person.unwrap().clone(), appointment.unwrap().post.clone())
        };
        // A run started a second later starts APPOINTMENTS_PER_SECOND pairs further on.
        let first = Appointments::starting_at(40 * APPOINTMENTS_PER_SECOND);
        let later = Appointments::starting_at(41 * APPOINTMENTS_PER_SECOND);
        let earlier: std::collections::BTreeSet<_> = (0..20).map(|_| pair(&first)).collect();
        assert_eq!(earlier.len(), 20);
        assert!((0..20).all(|_| !earlier.contains(&pair(&later))));
    }

    #[test]
    fn a_workload_needs_its_sample_values() {
        let mut sample = sample();
        sample.task_units.clear();
        assert!(Generator::new(Workload::C, &sample, 1, 0, Appointments::starting_at(0)).is_err());
        assert!(Generator::new(Workload::E, &sample, 1, 0, Appointments::starting_at(0)).is_err());
        assert!(Generator::new(Workload::A, &sample, 1, 0, Appointments::starting_at(0)).is_ok());
    }

    #[test]
    fn the_benchmark_guide_quotes_every_query() {
        let guide = include_str!("../../../docs/benchmarks.md");
        for kind in Kind::ALL {
            for target in [Target::Gazette, Target::Postgraphile] {
                assert!(
                    guide.contains(kind.query(target)),
                    "docs/benchmarks.md does not quote {kind:?} for {target:?} as sent"
                );
            }
        }
    }

    #[test]
    fn bodies_name_their_operation() {
        for kind in Kind::ALL {
            for target in [Target::Gazette, Target::Postgraphile] {
                let query = kind.query(target);
                let name = kind.name();
                assert!(
                    query.contains(&format!("query {name}"))
                        || query.contains(&format!("mutation {name}")),
                    "{kind:?} on {target:?}"
                );
            }
        }
    }
}
