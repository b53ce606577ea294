//! `gazette bench-data`: a realistic, reproducible dataset for benchmarks, written through the
//! storage layer.
//!
//! # What it makes
//!
//! Province by province (size s: Cần Thơ alone; m: ten provinces; l: all 34 provinces and
//! centrally-run cities of the 2025 merger, with their real names), the generator builds:
//!
//! * **Organizations** ([`world`]): the province as a territory; its Party committee (Thành
//!   ủy/Tỉnh ủy) with the standing board and the advisory boards (Ban Tổ chức, Ủy ban Kiểm tra,
//!   Văn phòng, and Ban Tuyên giáo and Ban Dân vận until they merged into Ban Tuyên giáo và Dân
//!   vận on 2025-03-01, with the merger recorded as the new board's predecessors); the People's
//!   Council; the People's Committee with its departments (Sở ...), office and inspectorate and
//!   the emulation and commendation council; the Fatherland Front and the socio-political
//!   organizations. Then communes and wards, each with its Party committee and standing board,
//!   People's Council, People's Committee (with the offices created on 2025-07-01), Front and
//!   mass organizations. Communes are added until the province has its share of the size's
//!   people: the province's own bodies hold about 450 people over the data's span and a
//!   commune about 100, so a province of sizes s and m has about 97 communes and wards, as a
//!   real one does (3,321 for 34 provinces), and one of size l about three times as many.
//!
//!   *Two tiers.* The generator models Vietnam's two-tier government of 2025 (province and
//!   commune) throughout the data's span, 2009 to 2026: no districts are generated, and the
//!   communes exist over every term. This is a simplification: before 2025-07-01 the real
//!   communes were smaller and under districts. What changed in 2025 and is kept: the merged
//!   Party board, and the communes' offices, which begin on 2025-07-01.
//! * **People and holdings** ([`world`]): Vietnamese names with realistic family-name
//!   frequencies ([`names`]), holders of one-seat posts (chairmen, secretaries, heads),
//!   multi-seat posts (deputies: 2 to 4 seats) and unlimited ones (committee members,
//!   delegates) over four terms of each body, with re-election, mid-term changes, promotions
//!   and transfers, concurrent posts (the Phó Bí thư Thường trực who chairs the People's
//!   Council, the Phó Bí thư who chairs the People's Committee, the Bí thư of a commune who
//!   chairs its council), and the seat rule true by construction.
//! * **Activity** ([`activity`]): meetings, directives with tasks (lead and co-operating units,
//!   deadlines, a lifecycle as of the dataset's date: about 60% completed, 15% of those late,
//!   about 20% in progress, part of them overdue), progress reports, award decisions with many
//!   recipients (the province chairman's Bằng khen, departments' Giấy khen, communes' Lao động
//!   tiên tiến and Gia đình văn hóa, ...), ceremonies, and news articles citing records.
//!
//! Ratios (per person): 3 holdings, 0.5 directives, 2 tasks, 1 award decision, 5 named
//! recipients; size s is 10,000 people, m 100,000, l 1,000,000 (`--people N` sets another
//! number, for tests).
//!
//! # Reproducible
//!
//! All randomness comes from the seed through the generator's own PRNG ([`rng`]), ids
//! included: ids are UUIDv7-shaped (version and variant bits set, a timestamp that grows with
//! each record from a fixed start per province, each province's after the one before) with
//! random bits from the province's seeded stream. The same seed and size give the same records
//! with the same ids, on any engine; [`BenchReport::digest`] is a hash of every id written,
//! province by province, to compare runs.
//!
//! # Written through the storage layer
//!
//! Only creation writes are produced, in dependency order (organizations, posts, people,
//! holdings; then each meeting before its directive, tasks, reports, articles and citations;
//! each ceremony before the decision presented at it); tasks carry their lifecycle history.
//! They go to the database in chunks (5,000 writes by default, one transaction each) through
//! one function, [`write_chunk`]: by default through the storage layer's bulk path
//! (`Database::bulk_insert`, multi-row inserts, one audit entry per chunk), or with
//! `--path batch` through `Database::apply`, where every write runs its single write's checks
//! against the stored rows. Provinces share no records, and each has its own random streams
//! (its ids included), so on PostgreSQL [`POSTGRES_LANES`] provinces are generated and written
//! at once, each by its own worker on its own connection (a province's chunks in order, the
//! worker running a chunk ahead of its connection): the database's work and the generator's
//! are spread over the cores. SQLite has one writer, so one worker and one lane. Whatever
//! province finishes first, the report, the digest and the sample take the provinces in order,
//! so a seed gives the same dataset on either engine. The bulk
//! path leaves some rules to its caller, so the generator checks every write in memory
//! against the domain's rules ([`verify`]) in debug builds (so in tests) and with `--verify`.
//!
//! # Into a fresh database only
//!
//! The same seed gives the same ids, so loading twice would collide; and a benchmark wants
//! known contents. [`load`] therefore refuses, writing nothing, when the database already holds
//! any person, organization or source (as `demo load` does); there is no `--force`. A load that
//! fails midway leaves the chunks written before the failure.
//!
//! Because the database is fresh, [`load`] sets its secondary indexes aside first and builds
//! them after the last chunk (`gazette_storage::deferred_indexes`): keys, unique indexes and
//! constraints stay and check every chunk as it is written. The indexes are rebuilt after a
//! failed load too. A process killed midway leaves a database without them: load again into a
//! new database (one killed before its first chunk still looks fresh, but lacks the indexes
//! set aside, and a second load would not bring them back).

pub mod activity;
pub mod names;
pub mod places;
pub mod rng;
pub mod sample;
pub mod texts;
pub mod verify;
pub mod world;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use gazette_storage::{
    Actor, BatchError, Database, Engine, OrganizationFilter, PageRequest, PersonFilter,
    SourceFilter, StorageError, Write, WriteKind,
};
use sha2::{Digest as _, Sha256};

use self::activity::{Candidates, Extras, Rewarded};
use self::names::NameTables;
use self::places::PROVINCES;
use self::rng::{IdSource, derive_seed};
use self::sample::{Sample, SampleBuilder, SampleOffers};
use self::verify::Verifier;
use self::world::World;

/// The dataset's date: open holdings run on it, tasks' states are as of it, and nothing is
/// dated after it. The day the schema was first released.
pub const AS_OF: NaiveDate = match NaiveDate::from_ymd_opt(2026, 11, 27) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

/// The default number of writes per transaction.
pub const DEFAULT_CHUNK: usize = 5_000;

/// The dataset's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Size {
    /// About 10,000 people in one province (Cần Thơ).
    S,
    /// About 100,000 people in ten provinces.
    M,
    /// About 1,000,000 people in all 34 provinces.
    L,
}

impl Size {
    /// "s", "m" or "l".
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::S => "s",
            Self::M => "m",
            Self::L => "l",
        }
    }

    /// The number of people.
    #[must_use]
    pub const fn people(self) -> u64 {
        match self {
            Self::S => 10_000,
            Self::M => 100_000,
            Self::L => 1_000_000,
        }
    }

    /// The number of provinces.
    #[must_use]
    pub const fn provinces(self) -> usize {
        match self {
            Self::S => 1,
            Self::M => 10,
            Self::L => 34,
        }
    }
}

/// How to generate.
#[derive(Debug, Clone)]
pub struct BenchDataOptions {
    /// The size.
    pub size: Size,
    /// The seed.
    pub seed: u64,
    /// Another number of people than the size's, spread over `people / 10,000` provinces (at
    /// least one, at most the size's): for tests and quick runs.
    pub people: Option<u64>,
    /// Another number of provinces than `people` gives (1 to 34), each with its share of the
    /// people (a province has at least its own bodies' few hundred): for tests.
    pub provinces: Option<usize>,
    /// Writes per transaction.
    pub chunk: usize,
    /// Check every write against the domain's rules in memory before it is written.
    pub verify: bool,
    /// How the writes reach the database.
    pub path: WritePath,
}

impl BenchDataOptions {
    /// The size's defaults with `seed`; verification on in debug builds.
    #[must_use]
    pub fn new(size: Size, seed: u64) -> Self {
        Self {
            size,
            seed,
            people: None,
            provinces: None,
            chunk: DEFAULT_CHUNK,
            verify: cfg!(debug_assertions),
            path: WritePath::Bulk,
        }
    }

    /// The number of people and of provinces to make.
    #[must_use]
    pub fn targets(&self) -> (u64, usize) {
        let (people, provinces) = match self.people {
            None => (self.size.people(), self.size.provinces()),
            Some(people) => {
                let provinces = usize::try_from(people / 10_000)
                    .unwrap_or(usize::MAX)
                    .clamp(1, self.size.provinces());
                (people, provinces)
            }
        };
        let provinces = self
            .provinces
            .map_or(provinces, |n| n.clamp(1, PROVINCES.len()));
        (people, provinces)
    }
}

/// Why a load failed.
#[derive(Debug, thiserror::Error)]
pub enum BenchDataError {
    /// The database already holds records; nothing was written.
    #[error(
        "bench-data only loads into a fresh database, and this one already holds {}; nothing was written (the same seed makes the same ids, so give a new database)",
        holds.join(", ")
    )]
    NotFresh {
        /// What it holds: "people", "organizations", "sources".
        holds: Vec<&'static str>,
    },
    /// Setting the secondary indexes aside before the load, or building them after it,
    /// failed. Before: nothing was written. After: every record was written, and the indexes
    /// not built are missing (queries answer, slowly); load into a new database.
    #[error("setting aside or rebuilding the secondary indexes: {0}")]
    Indexes(#[source] StorageError),
    /// Reading the database to check that it is fresh failed; nothing was written.
    #[error("checking that the database is fresh: {0}")]
    Check(#[source] StorageError),
    /// A chunk failed; the chunks written before it stay.
    #[error(
        "writing chunk {chunk} failed after {written} writes: {error}; the chunks written stay, so the database is no longer fresh"
    )]
    Write {
        /// The failed chunk, from 0.
        chunk: u64,
        /// The writes committed when it failed (on every lane).
        written: u64,
        /// Why, naming the write within the chunk.
        #[source]
        error: Box<BatchError>,
    },
    /// A generated record breaks a domain rule (a bug in the generator); found before it was
    /// written.
    #[error("generated {what} breaks a rule: {problem} (a generator bug)")]
    Rule {
        /// The write's kind.
        what: WriteKind,
        /// The rule broken.
        problem: String,
    },
    /// A generated value was rejected by its domain constructor (a bug in the generator).
    #[error("generated {what} is invalid: {problem} (a generator bug)")]
    Invalid {
        /// What was being built.
        what: &'static str,
        /// Why it was rejected.
        problem: String,
    },
    /// The generator's own bookkeeping failed (a bug in the generator).
    #[error("generator bug: {0}")]
    Generator(String),
}

/// A value from a domain constructor, or [`BenchDataError::Invalid`] naming what it was.
pub(crate) fn built<T, E: fmt::Display>(
    what: &'static str,
    result: Result<T, E>,
) -> Result<T, BenchDataError> {
    result.map_err(|error| BenchDataError::Invalid {
        what,
        problem: error.to_string(),
    })
}

/// A calendar day the generator names.
pub(crate) fn day(year: i32, month: u32, dom: u32) -> Result<NaiveDate, BenchDataError> {
    NaiveDate::from_ymd_opt(year, month, dom)
        .ok_or_else(|| BenchDataError::Generator(format!("{year}-{month}-{dom} is not a day")))
}

/// Progress after each province and every few seconds of writing.
#[derive(Debug, Clone)]
pub struct Progress {
    /// The province being written, from 1.
    pub province: usize,
    /// The number of provinces.
    pub provinces: usize,
    /// Its name.
    pub name: String,
    /// Whether the province is done.
    pub done: bool,
    /// Writes committed so far (all provinces).
    pub written: u64,
    /// Time since the load began.
    pub elapsed: Duration,
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rate = per_second(self.written, self.elapsed);
        write!(
            f,
            "province {}/{} {}{}: {} writes in {:.1}s ({rate:.0}/s)",
            self.province,
            self.provinces,
            self.name,
            if self.done { " done" } else { "" },
            self.written,
            self.elapsed.as_secs_f64()
        )
    }
}

fn per_second(count: u64, elapsed: Duration) -> f64 {
    let seconds = elapsed.as_secs_f64();
    let count = count as f64;
    if seconds > 0.0 { count / seconds } else { 0.0 }
}

/// What a load wrote, and how fast.
#[derive(Debug, Clone)]
pub struct BenchReport {
    /// The size.
    pub size: Size,
    /// The seed.
    pub seed: u64,
    /// Provinces written.
    pub provinces: usize,
    /// Communes and wards written.
    pub communes: u64,
    /// Writes of each kind.
    pub counts: BTreeMap<WriteKind, u64>,
    /// Rows and states beyond the writes.
    pub extras: Extras,
    /// Every write.
    pub writes: u64,
    /// Time spent generating (and verifying) records, summed over the workers that generate
    /// provinces at once (so it may exceed their share of the wall clock).
    pub generating: Duration,
    /// The load's time beyond its busiest worker's generating: the writes not overlapped with
    /// generating.
    pub writing: Duration,
    /// Time spent building the secondary indexes set aside during the load (none for a dry
    /// run).
    pub indexing: Duration,
    /// How many secondary indexes were set aside and built after the load.
    pub deferred_indexes: usize,
    /// The whole load, checks and index builds included.
    pub wall: Duration,
    /// SHA-256 of each province's ids in order, hashed again over the provinces in order:
    /// equal for equal seeds and sizes.
    pub digest: String,
    /// Whether every write was checked against the domain's rules in memory.
    pub verified: bool,
    /// The sample for the load generator.
    pub sample: Sample,
}

impl BenchReport {
    /// The number of writes of `kind`.
    #[must_use]
    pub fn count(&self, kind: WriteKind) -> u64 {
        self.counts.get(&kind).copied().unwrap_or(0)
    }
}

impl fmt::Display for BenchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "bench-data size {} seed {} as of {}: {} provinces, {} communes and wards",
            self.size.code(),
            self.seed,
            AS_OF,
            self.provinces,
            self.communes
        )?;
        for (kind, count) in &self.counts {
            writeln!(f, "  {:<22} {count:>10}", kind.as_str())?;
        }
        writeln!(
            f,
            "  {:<22} {:>10}",
            "(named recipients)", self.extras.named_recipients
        )?;
        let tasks = self.count(WriteKind::AddTask).max(1);
        let share = |n: u64| 100.0 * n as f64 / tasks as f64;
        let [
            not_started,
            in_progress,
            suspended,
            awaiting,
            completed,
            cancelled,
        ] = self.extras.lifecycle;
        writeln!(
            f,
            "  tasks: {:.1}% completed ({:.1}% of all completed late), {:.1}% in progress, {:.1}% not started, {:.1}% suspended, {:.1}% awaiting confirmation, {:.1}% cancelled; {:.1}% open and overdue on {}",
            share(completed),
            share(self.extras.completed_late),
            share(in_progress),
            share(not_started),
            share(suspended),
            share(awaiting),
            share(cancelled),
            share(self.extras.overdue_now),
            AS_OF
        )?;
        writeln!(
            f,
            "  {} records (writes) in {:.1}s: {:.0} records/s (generating {:.1}s, writing {:.1}s, building {} indexes {:.1}s){}",
            self.writes,
            self.wall.as_secs_f64(),
            per_second(self.writes, self.wall),
            self.generating.as_secs_f64(),
            self.writing.as_secs_f64(),
            self.deferred_indexes,
            self.indexing.as_secs_f64(),
            if self.verified {
                "; every write checked against the domain's rules"
            } else {
                ""
            }
        )?;
        write!(f, "  digest of the ids: {}", self.digest)
    }
}

/// How the generator's writes reach the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WritePath {
    /// [`Database::bulk_insert`]: multi-row inserts and one audit entry per chunk. The database
    /// checks references and unique keys, and the storage layer the post and holding rules;
    /// the generator vouches for the other rules by construction (and proves them with
    /// `verify`).
    Bulk,
    /// [`Database::apply`]: every write through its single write's code, every rule checked
    /// against the stored rows, one audit entry per record. Slower; the reference.
    Batch,
}

/// Writes one chunk of creation writes, all or nothing; returns the number written. The only
/// place the generator writes.
///
/// # Errors
///
/// The storage layer's [`BatchError`], naming the write within the chunk; nothing of the chunk
/// is written.
pub async fn write_chunk(
    db: &Database,
    actor: &Actor,
    path: WritePath,
    writes: Vec<Write>,
) -> Result<u64, BatchError> {
    match path {
        WritePath::Bulk => Ok(db.bulk_insert(actor, &writes).await?.total()),
        WritePath::Batch => {
            let chunk = writes.len();
            db.apply_in_chunks(actor, writes, chunk).await
        }
    }
}

/// How many connections write provinces at once on PostgreSQL.
pub const POSTGRES_LANES: usize = 2;

/// A chunk on its way to a lane: its number and writes.
type Chunk = (u64, Vec<Write>);

/// A task that writes the chunks it is sent in order, on one connection at a time.
struct Lane {
    chunks: tokio::sync::mpsc::Sender<Chunk>,
    task: tokio::task::JoinHandle<Result<(), BenchDataError>>,
}

impl Lane {
    fn start(db: Database, actor: Actor, path: WritePath, written: Arc<AtomicU64>) -> Self {
        // One chunk waits while one is written: the generator runs ahead by a chunk, no more.
        let (chunks, mut receive) = tokio::sync::mpsc::channel::<Chunk>(1);
        let task = tokio::spawn(async move {
            while let Some((chunk, writes)) = receive.recv().await {
                let count = write_chunk(&db, &actor, path, writes)
                    .await
                    .map_err(|error| BenchDataError::Write {
                        chunk,
                        written: written.load(Ordering::Relaxed),
                        error: Box::new(error),
                    })?;
                written.fetch_add(count, Ordering::Relaxed);
            }
            Ok(())
        });
        Self { chunks, task }
    }

    /// Waits for the lane's last chunk; its error, if a chunk failed.
    async fn finish(self) -> Result<(), BenchDataError> {
        drop(self.chunks);
        self.task
            .await
            .map_err(|error| BenchDataError::Generator(format!("a write lane failed: {error}")))?
    }
}

/// Where one province's writes go: checked, hashed, counted, and sent a chunk at a time to the
/// worker's lane (none for a dry run).
struct ProvinceSink<'a> {
    shared: &'a Shared,
    lane: Option<&'a tokio::sync::mpsc::Sender<Chunk>>,
    pending: Vec<Write>,
    counts: BTreeMap<WriteKind, u64>,
    digest: Sha256,
    verifier: Option<&'a mut Verifier>,
    /// Time spent waiting for the lane to take a chunk.
    waited: Duration,
}

impl ProvinceSink<'_> {
    async fn push(&mut self, write: Write) -> Result<(), BenchDataError> {
        if let Some(verifier) = &mut self.verifier {
            verifier
                .check(&write)
                .map_err(|problem| BenchDataError::Rule {
                    what: write.kind(),
                    problem,
                })?;
        }
        if let Some(id) = write_id(&write) {
            self.digest.update(id.as_bytes());
        }
        *self.counts.entry(write.kind()).or_default() += 1;
        self.pending.push(write);
        if self.pending.len() >= self.shared.chunk {
            self.flush().await?;
        }
        Ok(())
    }

    async fn push_all(&mut self, writes: Vec<Write>) -> Result<(), BenchDataError> {
        for write in writes {
            self.push(write).await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), BenchDataError> {
        if self.shared.stop.load(Ordering::Relaxed) {
            return Err(BenchDataError::Generator(
                "stopped: another province failed".to_owned(),
            ));
        }
        if self.pending.is_empty() {
            return Ok(());
        }
        let writes = std::mem::take(&mut self.pending);
        let Some(lane) = self.lane else {
            self.shared
                .written
                .fetch_add(writes.len() as u64, Ordering::Relaxed);
            return Ok(());
        };
        let chunk = self.shared.chunks.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        let sent = lane.send((chunk, writes)).await;
        self.waited += started.elapsed();
        // A lane stops taking chunks when one failed; its error is the load's, and the caller
        // reports it in place of this one.
        sent.map_err(|_| BenchDataError::Generator("a write lane stopped".to_owned()))
    }
}

/// Items numbered from 0 that arrive in any order, handed on in number order.
struct InOrder<T> {
    /// The number of the next item to hand on: as many have been.
    next: usize,
    waiting: BTreeMap<usize, T>,
}

impl<T> Default for InOrder<T> {
    fn default() -> Self {
        Self {
            next: 0,
            waiting: BTreeMap::new(),
        }
    }
}

impl<T> InOrder<T> {
    /// Takes item `index`; returns the items that can now be handed on, in order.
    fn arrive(&mut self, index: usize, item: T) -> Vec<T> {
        self.waiting.insert(index, item);
        let mut ready = Vec::new();
        while let Some(item) = self.waiting.remove(&self.next) {
            ready.push(item);
            self.next += 1;
        }
        ready
    }
}

/// What every province's worker shares.
struct Shared {
    seed: u64,
    chunk: usize,
    verify: bool,
    names: NameTables,
    people_target: u64,
    provinces: usize,
    /// How far apart, in milliseconds, the provinces' id streams start.
    id_stride: u64,
    /// Writes committed, on every lane (for a dry run: counted as if written).
    written: Arc<AtomicU64>,
    /// Chunks sent, on every lane: the next chunk's number.
    chunks: AtomicU64,
    /// Set when a province failed: the others stop at their next chunk.
    stop: AtomicBool,
}

/// A generated province, as its worker hands it over: everything the report and the sample
/// take from it, merged in province order.
struct ProvinceDone {
    index: usize,
    counts: BTreeMap<WriteKind, u64>,
    /// SHA-256 of the province's ids in order.
    digest: [u8; 32],
    extras: Extras,
    communes: u64,
    offers: SampleOffers,
}

/// Generates the provinces `worker`, `worker + workers`, ... in order, each with its own
/// randomness and ids, sending their chunks to `lane` and each finished province to `done`;
/// returns the time it spent generating (not waiting for its lane).
async fn generate_provinces(
    shared: Arc<Shared>,
    worker: usize,
    workers: usize,
    lane: Option<tokio::sync::mpsc::Sender<Chunk>>,
    done: tokio::sync::mpsc::UnboundedSender<Result<ProvinceDone, BenchDataError>>,
) -> Duration {
    let started = Instant::now();
    let mut waited = Duration::ZERO;
    let mut verifier = shared.verify.then(Verifier::default);
    for index in (worker..shared.provinces).step_by(workers.max(1)) {
        if shared.stop.load(Ordering::Relaxed) {
            break;
        }
        let mut sink = ProvinceSink {
            shared: &shared,
            lane: lane.as_ref(),
            pending: Vec::new(),
            counts: BTreeMap::new(),
            digest: Sha256::new(),
            verifier: verifier.as_mut(),
            waited: Duration::ZERO,
        };
        let outcome = generate_province(&shared, index, &mut sink).await;
        waited += sink.waited;
        if let Some(verifier) = &mut verifier {
            verifier.clear();
        }
        if outcome.is_err() && shared.stop.swap(true, Ordering::Relaxed) {
            // Another province failed first and stopped this one: its error is the load's.
            break;
        }
        let failed = outcome.is_err();
        if done.send(outcome).is_err() || failed {
            break;
        }
    }
    started.elapsed().saturating_sub(waited)
}

/// Generates province `index` into `sink`.
async fn generate_province(
    shared: &Shared,
    index: usize,
    sink: &mut ProvinceSink<'_>,
) -> Result<ProvinceDone, BenchDataError> {
    let province = PROVINCES
        .get(index)
        .ok_or_else(|| BenchDataError::Generator(format!("no province {index}")))?;
    let index_u64 = u64::try_from(index).unwrap_or(0);
    let provinces_u64 = u64::try_from(shared.provinces).unwrap_or(1).max(1);
    let share = shared.people_target / provinces_u64
        + u64::from(index_u64 < shared.people_target % provinces_u64);
    let mut ids = IdSource::new(
        derive_seed(shared.seed, ID_STREAM + index_u64),
        ID_START_MILLIS + index_u64 * shared.id_stride,
    );
    let mut world = World::new(
        derive_seed(shared.seed, PROVINCE_STREAM + index_u64),
        &mut ids,
        &shared.names,
        *province,
    )?;
    world.build_province()?;
    while (world.people.len() as u64) < share {
        world.build_commune()?;
    }
    let communes = world.scopes.len().saturating_sub(1) as u64;
    let people_count = world.people.len() as u64;
    let mut extras = Extras::default();

    // Structure, people and holdings.
    for org in &world.orgs {
        sink.push(Write::CreateOrganization(org.org.clone()))
            .await?;
    }
    for post in &world.posts {
        sink.push(Write::CreatePost(post.post.clone())).await?;
    }
    for person in world.person_records()? {
        sink.push(Write::CreatePerson(person)).await?;
    }
    for holding in std::mem::take(&mut world.holdings) {
        sink.push(Write::Appoint(holding)).await?;
    }

    // Directives, then awards, in proportion to the province's people.
    let mut candidates = Candidates::default();
    let directives = people_count / 2;
    let mut made = 0;
    let mut attempts = 0;
    while made < directives && attempts < directives * 4 + 100 {
        attempts += 1;
        let mut group = Vec::new();
        if world.directive_group(&mut group, &mut candidates, &mut extras)? {
            made += 1;
            sink.push_all(group).await?;
        }
    }
    let decisions = people_count;
    let mut rewarded = Rewarded::default();
    let mut made = 0;
    let mut attempts = 0;
    while made < decisions && attempts < decisions * 4 + 100 {
        attempts += 1;
        let mut group = Vec::new();
        if world.award_group(&mut group, &mut candidates, &mut extras, &mut rewarded)? {
            made += 1;
            sink.push_all(group).await?;
        }
    }
    sink.flush().await?;
    let mut offers = SampleOffers::default();
    offer_sample(&world, &candidates, &mut offers)?;
    Ok(ProvinceDone {
        index,
        counts: std::mem::take(&mut sink.counts),
        digest: std::mem::take(&mut sink.digest).finalize().into(),
        extras,
        communes,
        offers,
    })
}

/// The id of the record a creation write creates.
fn write_id(write: &Write) -> Option<uuid::Uuid> {
    Some(match write {
        Write::CreatePerson(value) => value.id().as_uuid(),
        Write::CreateOrganization(value) => value.id().as_uuid(),
        Write::CreatePost(value) => value.id().as_uuid(),
        Write::Appoint(value) => value.id().as_uuid(),
        Write::RecordMeeting(value) => value.id().as_uuid(),
        Write::IssueDirective(value) => value.id().as_uuid(),
        Write::AddTask(value) => value.id().as_uuid(),
        Write::ReportProgress(value) => value.id().as_uuid(),
        Write::RecordAwardDecision(value) => value.id().as_uuid(),
        Write::CreateSource(value) => value.id().as_uuid(),
        Write::Cite(value) => value.id().as_uuid(),
        _ => return None,
    })
}

/// Fails with [`BenchDataError::NotFresh`] when the database holds any person, organization or
/// source.
async fn ensure_fresh(db: &Database) -> Result<(), BenchDataError> {
    let one = PageRequest::first(1);
    let mut holds = Vec::new();
    let people = db
        .people(&PersonFilter::default(), &one)
        .await
        .map_err(BenchDataError::Check)?;
    if !people.edges.is_empty() {
        holds.push("people");
    }
    let organizations = db
        .organizations(&OrganizationFilter::default(), &one)
        .await
        .map_err(BenchDataError::Check)?;
    if !organizations.edges.is_empty() {
        holds.push("organizations");
    }
    let sources = db
        .sources(&SourceFilter::default(), &one)
        .await
        .map_err(BenchDataError::Check)?;
    if !sources.edges.is_empty() {
        holds.push("sources");
    }
    if holds.is_empty() {
        Ok(())
    } else {
        Err(BenchDataError::NotFresh { holds })
    }
}

/// The streams of randomness, each derived from the seed on its own.
const ID_STREAM: u64 = 1;
const SAMPLE_STREAM: u64 = 2;
const PROVINCE_STREAM: u64 = 100;

/// The ids' timestamps begin at the dataset's date, midnight UTC. Each province has its own id
/// stream (so that provinces can be generated at once), starting `id_stride` milliseconds
/// after the previous province's: a province's ids sort after the previous one's, as they
/// would had one stream made them all, as long as no province makes more ids than that.
const ID_START_MILLIS: u64 = 1_795_737_600_000;

/// Ids a province makes per person of its share, at most: about 11 on average (a person, their
/// holdings, half a directive with its tasks and reports, an award decision, sources and
/// citations), and a province's own bodies add a few hundred people to a small share.
const IDS_PER_PERSON: u64 = 16;

/// The least spacing of the provinces' id streams: 40 minutes, 2.4 million ids.
const MIN_ID_STRIDE: u64 = 2_400_000;

/// Provinces generated at once by a dry run (a load: one per lane).
const GENERATORS: usize = 2;

/// How often a load reports progress between provinces.
const PROGRESS_EVERY: Duration = Duration::from_secs(10);

/// Generates the dataset and writes it into `db`, which must be fresh (see the module
/// documentation); `progress` hears after each province and every few seconds.
///
/// # Errors
///
/// [`BenchDataError`]: a database that is not fresh (nothing written), a failed chunk (the
/// chunks before it stay), or a generator bug (a record that breaks a rule or a constructor).
pub async fn load(
    db: &Database,
    actor: &Actor,
    options: &BenchDataOptions,
    progress: &mut (dyn FnMut(&Progress) + Send),
) -> Result<BenchReport, BenchDataError> {
    ensure_fresh(db).await?;
    // Loading first and indexing after is much faster than updating every index row by row
    // (see `gazette_storage::deferred_indexes`); the indexes are built again whatever happens.
    let deferred = db
        .defer_secondary_indexes()
        .await
        .map_err(BenchDataError::Indexes)?;
    let loaded = run(Some(db), actor, options, progress).await;
    let started = Instant::now();
    let rebuilt = db.rebuild_indexes(&deferred).await;
    let indexing = started.elapsed();
    let mut report = loaded?;
    rebuilt.map_err(BenchDataError::Indexes)?;
    report.indexing = indexing;
    report.deferred_indexes = deferred.len();
    report.wall += indexing;
    Ok(report)
}

/// Generates the dataset (checking it when `options.verify`) and reports what [`load`] would
/// write, without a database: for measuring the generator alone and for comparing seeds.
///
/// # Errors
///
/// A generator bug: a record that breaks a rule or a constructor.
pub async fn dry_run(
    options: &BenchDataOptions,
    progress: &mut (dyn FnMut(&Progress) + Send),
) -> Result<BenchReport, BenchDataError> {
    let actor = Actor::new("system:bench-data")
        .map_err(|error| BenchDataError::Generator(error.to_string()))?;
    run(None, &actor, options, progress).await
}

async fn run(
    db: Option<&Database>,
    actor: &Actor,
    options: &BenchDataOptions,
    progress: &mut (dyn FnMut(&Progress) + Send),
) -> Result<BenchReport, BenchDataError> {
    let started = Instant::now();
    let (people_target, provinces) = options.targets();
    let provinces_u64 = u64::try_from(provinces).unwrap_or(1).max(1);
    let shared = Arc::new(Shared {
        seed: options.seed,
        chunk: options.chunk.max(1),
        verify: options.verify,
        names: NameTables::new(),
        people_target,
        provinces,
        id_stride: (people_target / provinces_u64 * IDS_PER_PERSON).max(MIN_ID_STRIDE),
        written: Arc::new(AtomicU64::new(0)),
        chunks: AtomicU64::new(0),
        stop: AtomicBool::new(false),
    });
    let (lanes, workers) = match db {
        None => (0, GENERATORS),
        Some(db) if db.engine() == Engine::Postgres => (POSTGRES_LANES, POSTGRES_LANES),
        Some(_) => (1, 1),
    };
    let lanes: Vec<Lane> = (0..lanes)
        .filter_map(|_| {
            db.map(|db| {
                Lane::start(
                    db.clone(),
                    actor.clone(),
                    options.path,
                    Arc::clone(&shared.written),
                )
            })
        })
        .collect();
    let (done, mut finished) = tokio::sync::mpsc::unbounded_channel();
    let generators: Vec<_> = (0..workers)
        .map(|worker| {
            let lane = (!lanes.is_empty()).then(|| lanes[worker % lanes.len()].chunks.clone());
            tokio::spawn(generate_provinces(
                Arc::clone(&shared),
                worker,
                workers,
                lane,
                done.clone(),
            ))
        })
        .collect();
    drop(done);

    // The provinces' results, merged in province order whichever worker finishes first.
    let mut sample = SampleBuilder::new(derive_seed(options.seed, SAMPLE_STREAM));
    let mut digest = Sha256::new();
    let mut counts: BTreeMap<WriteKind, u64> = BTreeMap::new();
    let mut extras = Extras::default();
    let mut communes = 0u64;
    let mut in_order = InOrder::default();
    let mut generated: Result<(), BenchDataError> = Ok(());
    let report = |next: usize, done: bool| Progress {
        province: (next + 1).min(provinces),
        provinces,
        name: PROVINCES
            .get(next.min(provinces.saturating_sub(1)))
            .map_or_else(String::new, |p| p.short.to_owned()),
        done,
        written: shared.written.load(Ordering::Relaxed),
        elapsed: started.elapsed(),
    };
    let mut ticks =
        tokio::time::interval_at(tokio::time::Instant::now() + PROGRESS_EVERY, PROGRESS_EVERY);
    loop {
        let message = tokio::select! {
            message = finished.recv() => message,
            _ = ticks.tick() => {
                progress(&report(in_order.next, false));
                continue;
            }
        };
        match message {
            None => break,
            Some(Err(error)) => {
                if generated.is_ok() {
                    generated = Err(error);
                }
            }
            Some(Ok(province)) => {
                for province in in_order.arrive(province.index, province) {
                    digest.update(province.digest);
                    for (kind, count) in province.counts {
                        *counts.entry(kind).or_default() += count;
                    }
                    extras.add(&province.extras);
                    communes += province.communes;
                    sample.take(province.offers);
                    progress(&report(province.index, true));
                }
            }
        }
    }
    // Every worker has stopped (the channel closed); every lane is drained before returning,
    // a failed load too, so that nothing is still being written when the caller rebuilds the
    // indexes. A lane's error is the load's: the workers only saw that it stopped.
    let mut generating = Duration::ZERO;
    let mut critical = Duration::ZERO;
    for generator in generators {
        match generator.await {
            Ok(busy) => {
                generating += busy;
                critical = critical.max(busy);
            }
            Err(error) => {
                if generated.is_ok() {
                    generated = Err(BenchDataError::Generator(format!(
                        "a province's worker failed: {error}"
                    )));
                }
            }
        }
    }
    let mut written = Ok(());
    for lane in lanes {
        let finished = lane.finish().await;
        if written.is_ok() {
            written = finished;
        }
    }
    written?;
    generated?;
    if in_order.next != provinces {
        return Err(BenchDataError::Generator(format!(
            "{} of {provinces} provinces were generated",
            in_order.next
        )));
    }
    let wall = started.elapsed();
    let writes = counts.values().sum();
    let digest = digest.finalize();
    let digest = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok(BenchReport {
        size: options.size,
        seed: options.seed,
        provinces,
        communes,
        counts,
        extras,
        writes,
        generating,
        writing: wall.saturating_sub(critical),
        indexing: Duration::ZERO,
        deferred_indexes: 0,
        wall,
        digest,
        verified: options.verify,
        sample: sample.finish(options.size.code(), options.seed, AS_OF),
    })
}

/// Offers a province's candidates to the sample, in a fixed order.
fn offer_sample(
    world: &World<'_>,
    candidates: &Candidates,
    sample: &mut SampleOffers,
) -> Result<(), BenchDataError> {
    for person in &world.people {
        let posts = person
            .unlimited_posts
            .iter()
            .filter_map(|post| world.posts.get(*post as usize).map(|p| p.post.id()))
            .collect();
        sample.person(
            person.id,
            &person.name,
            person.active_now,
            person.death.is_none(),
            posts,
        );
    }
    for (org, slot) in candidates.overdue.iter().enumerate() {
        if let Some((on, _)) = slot {
            let org = u32::try_from(org)
                .map_err(|_| BenchDataError::Generator("too many organizations".to_owned()))?;
            sample.task_unit(world.org_id(org)?, *on);
        }
    }
    for (org, year) in &candidates.authorities {
        sample.authority(world.org_id(*org)?, *year);
    }
    for post in &world.posts {
        let open = post.post.seats == gazette_domain::post::Seats::Unlimited
            && world
                .orgs
                .get(post.org as usize)
                .is_some_and(|o| o.ended.is_none() && o.alive_on(AS_OF));
        if open {
            sample.open_post(post.post.id());
        }
    }
    for task in &candidates.in_progress {
        sample.task_in_progress(*task);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provinces_are_handed_on_in_order_whatever_order_they_finish_in() {
        let mut in_order = InOrder::default();
        assert_eq!(in_order.arrive(1, "b"), Vec::<&str>::new());
        assert_eq!(in_order.arrive(3, "d"), Vec::<&str>::new());
        assert_eq!(in_order.arrive(0, "a"), vec!["a", "b"]);
        assert_eq!(in_order.next, 2);
        assert_eq!(in_order.arrive(2, "c"), vec!["c", "d"]);
        assert_eq!(in_order.arrive(4, "e"), vec!["e"]);
        assert_eq!(in_order.next, 5);
    }
}
