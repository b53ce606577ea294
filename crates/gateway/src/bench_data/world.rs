//! One province's organizations, posts, people and holdings, built so that the domain's rules
//! hold by construction.
//!
//! # Lanes
//!
//! Every holding comes from a *lane*: a line of holders of one seat of one post, one after the
//! other, never two at once. A post with `n` seats gets at most `n` lanes, so the seat rule
//! holds by construction. A person is in at most one *main* lane at a time (someone is only
//! taken for a new main post once their previous one has ended), and every concurrent post they
//! hold (kiêm nhiệm: the Phó Bí thư who is also Chủ tịch UBND, the director who sits on the
//! People's Committee, every leader's seat on the Party committee) comes from their main lane's
//! *bundle*, for exactly the span of the main holding, cut at the concurrent post's own term
//! boundaries. So nobody holds one post twice at once, and the holdings of one person in one
//! post follow each other day after day without overlapping.
//!
//! Elected lanes (Party committees, People's Councils and Committees, the Front and mass
//! organizations) change holders at their body's term boundaries (the Party's 2010, 2015, 2020
//! and 2025 congresses; the councils' 2011, 2016, 2021 and 2026 elections; the Front's 2009,
//! 2014, 2019 and 2024 congresses), with re-election, and sometimes a change in mid-term (a
//! transfer, retirement, dismissal or death). Appointed lanes (departments, Party boards,
//! offices) run five-year-ish appointments, renewed or not, sometimes preceded by an acting
//! spell. Ordinary members (delegates and committee members who hold nothing else) have lanes
//! of their own and fresh people. Someone whose main post ended other than by retirement,
//! dismissal or death goes to a pool from which later lanes of the same province or commune
//! take new holders: promotions and transfers.
//!
//! Dates are exact to the day, except that some holdings begun in the first term by someone
//! new to the registry give only the month (as older sources do); since that person held
//! nothing before, the vaguer date cannot make two holdings of one post overlap.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use gazette_domain::date::{PartialDate, Period};
use gazette_domain::holding::{EndReason, Holding, HoldingDetails, HoldingKind, TermLabel};
use gazette_domain::ids::{HoldingId, OrganizationId, PersonId, PostId};
use gazette_domain::name::PersonName;
use gazette_domain::organization::{
    Classification, Level, Organization, OrganizationDetails, Succession, SuccessionKind,
};
use gazette_domain::person::{Gender, Person, PersonDetails};
use gazette_domain::post::{Post, PostDetails, Seats};
use gazette_domain::text::Text;

use super::names::NameTables;
use super::places::{
    self, Body, COMMUNE_OFFICES, DEPARTMENTS, MASS_ORGANIZATIONS, MERGED_BOARD, MOBILIZATION_BOARD,
    PARTY_BOARDS, PROPAGANDA_BOARD, Province,
};
use super::rng::{IdSource, Rng, add_days};
use super::{AS_OF, BenchDataError, built, day};

/// The term calendars of a province.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cal {
    /// Provincial Party congresses: 2010, 2015, 2020, 2025 (October).
    PartyProvince,
    /// Commune Party congresses: 2010, 2015, 2020, and the new communes' committees of
    /// 2025-07-01.
    PartyCommune,
    /// People's Councils and Committees: elected 2011, 2016, 2021, 2026.
    State,
    /// The Fatherland Front and the mass organizations: 2009, 2014, 2019, 2024.
    Front,
}

/// One calendar's four terms: their first days and labels.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// The first day of each term.
    pub starts: [NaiveDate; 4],
    /// Each term's label ("2021-2026").
    pub labels: [TermLabel; 4],
}

impl Calendar {
    fn new(
        rng: &mut Rng,
        bases: [(i32, u32, u32); 4],
        jitter: i64,
    ) -> Result<Self, BenchDataError> {
        let mut starts = [AS_OF; 4];
        let mut labels = Vec::with_capacity(4);
        for (slot, (year, month, dom)) in starts.iter_mut().zip(bases) {
            *slot = add_days(day(year, month, dom)?, rng.between(0, jitter));
            labels.push(built(
                "a term label",
                TermLabel::parse(&format!("{year}-{}", year + 5)),
            )?);
        }
        let labels: [TermLabel; 4] = labels
            .try_into()
            .map_err(|_| BenchDataError::Generator("four term labels".to_owned()))?;
        Ok(Self { starts, labels })
    }

    /// The day before term `t + 1` begins, or `None` for the last term (still running).
    fn end_of(&self, term: usize) -> Option<NaiveDate> {
        self.starts.get(term + 1).map(|next| add_days(*next, -1))
    }

    /// The term running on `day`, if the calendar has begun by then.
    fn term_on(&self, day: NaiveDate) -> Option<usize> {
        self.starts.iter().rposition(|start| *start <= day)
    }
}

/// A province's calendars.
#[derive(Debug, Clone)]
pub struct Calendars {
    party_province: Calendar,
    party_commune: Calendar,
    state: Calendar,
    front: Calendar,
}

impl Calendars {
    fn new(rng: &mut Rng) -> Result<Self, BenchDataError> {
        Ok(Self {
            party_province: Calendar::new(
                rng,
                [(2010, 10, 5), (2015, 10, 8), (2020, 10, 10), (2025, 10, 5)],
                12,
            )?,
            party_commune: Calendar::new(
                rng,
                [(2010, 5, 20), (2015, 5, 20), (2020, 6, 10), (2025, 7, 1)],
                0,
            )?,
            state: Calendar::new(
                rng,
                [(2011, 6, 20), (2016, 6, 24), (2021, 6, 24), (2026, 3, 25)],
                8,
            )?,
            front: Calendar::new(
                rng,
                [(2009, 9, 15), (2014, 9, 15), (2019, 9, 15), (2024, 9, 15)],
                20,
            )?,
        })
    }

    /// The calendar `cal` names.
    #[must_use]
    pub fn get(&self, cal: Cal) -> &Calendar {
        match cal {
            Cal::PartyProvince => &self.party_province,
            Cal::PartyCommune => &self.party_commune,
            Cal::State => &self.state,
            Cal::Front => &self.front,
        }
    }
}

/// What an organization is to the generator (beyond its classification).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The territory.
    Unit,
    /// The Party committee.
    Party,
    /// The Party committee's standing board.
    Standing,
    /// A Party advisory board.
    PartyBoard,
    /// The People's Council.
    Council,
    /// The People's Committee.
    Committee,
    /// A department (province) or office (commune) of the People's Committee.
    Department,
    /// The emulation and commendation council.
    Emulation,
    /// The Fatherland Front committee.
    Front,
    /// A socio-political organization.
    Mass,
}

/// An organization with what the generator needs to know of it.
#[derive(Debug, Clone)]
pub struct OrgRec {
    /// The record.
    pub org: Organization,
    /// 0 for the province, `1 + i` for commune `i`.
    pub scope: u32,
    /// What it is.
    pub role: Role,
    /// The code its documents' numbers carry ("UBND", "SNV", "TU").
    pub code: &'static str,
    /// Its first day, when it was set up within the data's span.
    pub born: Option<NaiveDate>,
    /// Its last day, when it was dissolved or merged.
    pub ended: Option<NaiveDate>,
    /// Its head's lane, when it has one.
    pub head_lane: Option<u32>,
    /// Its deputies' lanes.
    pub deputy_lanes: Vec<u32>,
}

impl OrgRec {
    /// Whether it existed on `day`.
    #[must_use]
    pub fn alive_on(&self, day: NaiveDate) -> bool {
        self.born.is_none_or(|born| born <= day) && self.ended.is_none_or(|ended| day <= ended)
    }
}

/// A post with what the generator needs to know of it.
#[derive(Debug, Clone)]
pub struct PostRec {
    /// The record.
    pub post: Post,
    /// Its organization's index.
    pub org: u32,
}

/// A person as planned: the record is built once their whole career is known.
#[derive(Debug, Clone)]
pub struct PersonRec {
    /// The id.
    pub id: PersonId,
    /// Their sex.
    pub gender: Gender,
    /// The full name.
    pub name: String,
    /// Birth date, as precisely as the registry knows it.
    pub birth: Option<PartialDate>,
    /// Death date.
    pub death: Option<NaiveDate>,
    /// 0 for the province, `1 + i` for commune `i`.
    pub scope: u32,
    /// The first day of their first holding.
    pub first_start: NaiveDate,
    /// Whether some holding of theirs is active on the dataset's date.
    pub active_now: bool,
    /// The unlimited-seat posts they hold or held.
    pub unlimited_posts: Vec<u32>,
}

impl PersonRec {
    /// Whether they were alive on `day`.
    #[must_use]
    pub fn alive_on(&self, day: NaiveDate) -> bool {
        self.death.is_none_or(|death| day <= death)
    }
}

/// One holder's spell in a lane.
#[derive(Debug, Clone)]
pub struct Tenure {
    /// The person's index.
    pub person: u32,
    /// The first day.
    pub start: NaiveDate,
    /// The last day; `None` while it runs.
    pub end: Option<NaiveDate>,
    /// The term, for elected posts.
    pub term: Option<TermLabel>,
    /// How it came about.
    pub kind: HoldingKind,
    /// Why it ended.
    pub reason: Option<EndReason>,
    /// Whether the start is known only to the month.
    pub vague_start: bool,
    /// The id of the main holding made from it.
    pub holding: HoldingId,
}

impl Tenure {
    /// Whether the tenure covers `day`.
    #[must_use]
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.start <= day && self.end.is_none_or(|end| day <= end)
    }
}

/// How a lane changes holders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LaneKind {
    /// At the calendar's term boundaries.
    Elected(Cal),
    /// By appointments of a few years.
    Appointed,
}

/// A concurrent post held with a lane's main post.
#[derive(Debug, Clone, Copy)]
pub struct Concurrent {
    /// The post.
    pub post: u32,
    /// The calendar whose terms cut the concurrent holdings.
    pub cal: Cal,
    /// How the concurrent holdings come about.
    pub kind: HoldingKind,
}

/// Which leaders issue directives and sign decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issuer {
    /// Not an issuer.
    No,
    /// A Party committee's secretary or deputy.
    Party,
    /// A People's Committee's chairman or deputy.
    State,
}

/// A lane: one seat of one post over time.
#[derive(Debug, Clone)]
pub struct Lane {
    /// The post.
    pub post: u32,
    /// How holders change.
    pub kind: LaneKind,
    /// The first day it can be held (the data's start, or the body's founding).
    pub from: NaiveDate,
    /// The last day it can be held (the body's dissolution).
    pub to: Option<NaiveDate>,
    /// Concurrent posts of its holders.
    pub bundle: Vec<Concurrent>,
    /// Whether holders are women (the Women's Union).
    pub women: bool,
    /// Ordinary members: fresh people, who go to no pool afterwards.
    pub ordinary: bool,
    /// How likely a new holder comes from the pool rather than from outside.
    pub reuse: f64,
    /// 0 for the province, `1 + i` for commune `i`.
    pub scope: u32,
    /// Whether its holders issue directives.
    pub issuer: Issuer,
    /// The holders, in order.
    pub tenures: Vec<Tenure>,
}

impl Lane {
    /// The tenure covering `day`.
    #[must_use]
    pub fn tenure_on(&self, day: NaiveDate) -> Option<&Tenure> {
        let after = self.tenures.partition_point(|t| t.start <= day);
        after
            .checked_sub(1)
            .and_then(|i| self.tenures.get(i))
            .filter(|t| t.covers(day))
    }
}

/// A commune's or the province's bodies, by role, for the activity that follows.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// The administrative unit.
    pub unit: u32,
    /// The Party committee.
    pub party: u32,
    /// Its standing board.
    pub standing: u32,
    /// The People's Council.
    pub council: u32,
    /// The People's Committee.
    pub committee: u32,
    /// The Fatherland Front committee.
    pub front: u32,
    /// Departments (province) or offices (commune).
    pub departments: Vec<u32>,
    /// Party boards (province only).
    pub boards: Vec<u32>,
    /// Mass organizations.
    pub mass: Vec<u32>,
    /// The lanes whose holders issue directives.
    pub issuers: Vec<u32>,
    /// The people of the scope.
    pub people: Vec<u32>,
    /// The commune or ward's name (empty for the province).
    pub name: String,
    /// Whether it is a ward (phường).
    pub ward: bool,
}

/// Someone free for a new main post.
#[derive(Debug, Clone, Copy)]
struct Freed {
    person: u32,
    on: NaiveDate,
}

/// The province being built.
pub struct World<'a> {
    /// The province's own random stream.
    pub rng: Rng,
    /// The province's id stream.
    pub ids: &'a mut IdSource,
    /// The name tables.
    pub names: &'a NameTables,
    /// The province.
    pub province: Province,
    /// Its calendars.
    pub calendars: Calendars,
    /// Organizations, parents before children.
    pub orgs: Vec<OrgRec>,
    /// Posts.
    pub posts: Vec<PostRec>,
    /// People.
    pub people: Vec<PersonRec>,
    /// Lanes.
    pub lanes: Vec<Lane>,
    /// Holdings, in the order they are written.
    pub holdings: Vec<Holding>,
    /// The province (index 0) and its communes.
    pub scopes: Vec<Scope>,
    pools: Vec<Vec<Freed>>,
    commune_names: HashSet<String>,
    document_numbers: u32,
}

/// The first day of the data: holdings begin no earlier.
pub fn data_start() -> Result<NaiveDate, BenchDataError> {
    day(2009, 9, 1)
}

impl<'a> World<'a> {
    /// An empty province.
    pub fn new(
        seed: u64,
        ids: &'a mut IdSource,
        names: &'a NameTables,
        province: Province,
    ) -> Result<Self, BenchDataError> {
        let mut rng = Rng::new(seed);
        let calendars = Calendars::new(&mut rng)?;
        Ok(Self {
            rng,
            ids,
            names,
            province,
            calendars,
            orgs: Vec::new(),
            posts: Vec::new(),
            people: Vec::new(),
            lanes: Vec::new(),
            holdings: Vec::new(),
            scopes: Vec::new(),
            pools: Vec::new(),
            commune_names: HashSet::new(),
            document_numbers: 0,
        })
    }

    // ----- organizations and posts ---------------------------------------------------------

    #[allow(
        clippy::too_many_arguments,
        reason = "one call per organization, named at the call"
    )]
    fn org(
        &mut self,
        name: String,
        abbreviation: Option<String>,
        classification: Classification,
        level: Level,
        parent: Option<u32>,
        scope: u32,
        role: Role,
        code: &'static str,
    ) -> Result<u32, BenchDataError> {
        let id = OrganizationId::from_uuid(self.ids.next_uuid());
        let mut details = OrganizationDetails::new(text(&name)?, classification);
        details.abbreviation = abbreviation.map(|a| text(&a)).transpose()?;
        details.level = Some(level);
        details.parent = parent
            .and_then(|p| self.orgs.get(p as usize))
            .map(|p| p.org.id());
        let org = built("an organization", Organization::new(id, details))?;
        self.orgs.push(OrgRec {
            org,
            scope,
            role,
            code,
            born: None,
            ended: None,
            head_lane: None,
            deputy_lanes: Vec::new(),
        });
        index(self.orgs.len())
    }

    /// Gives organization `org` a life, and its predecessors.
    fn set_life(
        &mut self,
        org: u32,
        born: Option<NaiveDate>,
        ended: Option<NaiveDate>,
        predecessors: &[u32],
    ) -> Result<(), BenchDataError> {
        let predecessor_ids: Vec<OrganizationId> = predecessors
            .iter()
            .filter_map(|p| self.orgs.get(*p as usize).map(|o| o.org.id()))
            .collect();
        let record = self
            .orgs
            .get_mut(org as usize)
            .ok_or_else(|| BenchDataError::Generator(format!("no organization {org}")))?;
        let mut details = record.org.details().clone();
        details.life = built(
            "an organization's life",
            Period::new(born.map(PartialDate::from), ended.map(PartialDate::from)),
        )?;
        details.predecessors = predecessor_ids
            .into_iter()
            .map(|predecessor| Succession {
                predecessor,
                kind: SuccessionKind::Merger,
                date: born.map(PartialDate::from),
            })
            .collect();
        built("an organization", record.org.update(details))?;
        record.born = born;
        record.ended = ended;
        Ok(())
    }

    fn post(&mut self, org: u32, title: &str, seats: Option<u32>) -> Result<u32, BenchDataError> {
        let record = self
            .orgs
            .get(org as usize)
            .ok_or_else(|| BenchDataError::Generator(format!("no organization {org}")))?;
        let details = PostDetails {
            organization: record.org.id(),
            title: text(title)?,
            seats: built("seats", Seats::try_from(seats))?,
            // A post lives as long as its organization.
            life: record.org.life,
        };
        let post = built(
            "a post",
            Post::new(PostId::from_uuid(self.ids.next_uuid()), details),
        )?;
        self.posts.push(PostRec { post, org });
        index(self.posts.len())
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "one call per lane, named at the call"
    )]
    fn lane(
        &mut self,
        post: u32,
        kind: LaneKind,
        bundle: Vec<Concurrent>,
        scope: u32,
        issuer: Issuer,
        women: bool,
        ordinary: bool,
    ) -> Result<u32, BenchDataError> {
        let org = self
            .posts
            .get(post as usize)
            .and_then(|p| self.orgs.get(p.org as usize))
            .ok_or_else(|| BenchDataError::Generator(format!("no post {post}")))?;
        let from = match (org.born, kind) {
            (Some(born), _) => born,
            (None, LaneKind::Elected(cal)) => self.calendars.get(cal).starts[0],
            (None, LaneKind::Appointed) => add_days(data_start()?, self.rng.between(0, 500)),
        };
        let lane = Lane {
            post,
            kind,
            from,
            to: org.ended,
            bundle,
            women,
            ordinary,
            reuse: if org.born.is_some() { 0.7 } else { 0.3 },
            scope,
            issuer,
            tenures: Vec::new(),
        };
        self.lanes.push(lane);
        let lane = index(self.lanes.len())?;
        if issuer != Issuer::No
            && let Some(scope) = self.scopes.get_mut(scope as usize)
        {
            scope.issuers.push(lane);
        }
        Ok(lane)
    }

    /// A body with a head and `deputies` deputy seats, each seat a lane.
    #[allow(
        clippy::too_many_arguments,
        reason = "one call per body, named at the call"
    )]
    fn staff(
        &mut self,
        org: u32,
        head: &str,
        deputy: &str,
        deputies: u32,
        kind: LaneKind,
        head_bundle: Vec<Concurrent>,
        deputy_bundle: &[Concurrent],
        women: bool,
    ) -> Result<(), BenchDataError> {
        let scope = self.org_scope(org)?;
        let head_post = self.post(org, head, Some(1))?;
        let head_lane = self.lane(
            head_post,
            kind,
            head_bundle,
            scope,
            Issuer::No,
            women,
            false,
        )?;
        let mut deputy_lanes = Vec::new();
        if deputies > 0 {
            let deputy_post = self.post(org, deputy, Some(deputies))?;
            // Not every seat is always filled.
            let filled = self.rng.between_u32(deputies.div_ceil(2), deputies);
            for _ in 0..filled {
                deputy_lanes.push(self.lane(
                    deputy_post,
                    kind,
                    deputy_bundle.to_vec(),
                    scope,
                    Issuer::No,
                    women,
                    false,
                )?);
            }
        }
        if let Some(record) = self.orgs.get_mut(org as usize) {
            record.head_lane = Some(head_lane);
            record.deputy_lanes = deputy_lanes;
        }
        Ok(())
    }

    fn org_scope(&self, org: u32) -> Result<u32, BenchDataError> {
        self.orgs
            .get(org as usize)
            .map(|o| o.scope)
            .ok_or_else(|| BenchDataError::Generator(format!("no organization {org}")))
    }

    /// A number for a document of the province, growing through the data.
    pub fn document_number(&mut self) -> u32 {
        self.document_numbers += self.rng.between_u32(1, 40);
        self.document_numbers
    }

    // ----- the province --------------------------------------------------------------------

    /// Builds the province's own bodies, posts and holders.
    pub fn build_province(&mut self) -> Result<(), BenchDataError> {
        let p = self.province;
        self.scopes.push(Scope::default());
        self.pools.push(Vec::new());
        let unit_word = p.unit_word();
        let qualified = p.qualified();
        let unit = self.org(
            p.unit_name(),
            None,
            Classification::AdministrativeUnit,
            Level::Province,
            None,
            0,
            Role::Unit,
            "",
        )?;
        let party = self.org(
            p.party_committee(),
            Some(p.party_word().to_owned()),
            Classification::PartyCommittee,
            Level::Province,
            Some(unit),
            0,
            Role::Party,
            "TU",
        )?;
        let standing = self.org(
            format!("Ban Thường vụ {}", p.party_committee()),
            Some(format!("Ban Thường vụ {}", p.party_word())),
            Classification::StandingBoard,
            Level::Province,
            Some(party),
            0,
            Role::Standing,
            "TU",
        )?;
        let council = self.org(
            format!("Hội đồng nhân dân {qualified}"),
            Some(format!("HĐND {unit_word}")),
            Classification::PeoplesCouncil,
            Level::Province,
            Some(unit),
            0,
            Role::Council,
            "HĐND",
        )?;
        let committee = self.org(
            format!("Ủy ban nhân dân {qualified}"),
            Some(format!("UBND {unit_word}")),
            Classification::PeoplesCommittee,
            Level::Province,
            Some(unit),
            0,
            Role::Committee,
            "UBND",
        )?;
        let emulation = self.org(
            format!("Hội đồng Thi đua - Khen thưởng {qualified}"),
            None,
            Classification::Council,
            Level::Province,
            Some(committee),
            0,
            Role::Emulation,
            "HĐTĐKT",
        )?;
        let front = self.org(
            format!("Ủy ban Mặt trận Tổ quốc Việt Nam {qualified}"),
            Some(format!("Ủy ban MTTQ {unit_word}")),
            Classification::FatherlandFront,
            Level::Province,
            Some(unit),
            0,
            Role::Front,
            "MTTQ",
        )?;

        // The posts every bundle refers to.
        let committee_member = self.post(party, "Ủy viên Ban Chấp hành", None)?;
        let standing_member = self.post(standing, "Ủy viên Ban Thường vụ", None)?;
        let delegate = self.post(council, "Đại biểu Hội đồng nhân dân", None)?;
        let committee_seat = self.post(committee, "Ủy viên Ủy ban nhân dân", None)?;
        let front_member = self.post(front, "Ủy viên Ủy ban", None)?;
        let council_chair = self.post(council, "Chủ tịch", Some(1))?;
        let deputy_secretary = self.post(party, "Phó Bí thư", Some(2))?;
        let emulation_chair = self.post(emulation, "Chủ tịch Hội đồng", Some(1))?;

        let member = |post| Concurrent {
            post,
            cal: Cal::PartyProvince,
            kind: HoldingKind::Elected,
        };
        let standing_seat = Concurrent {
            post: standing_member,
            cal: Cal::PartyProvince,
            kind: HoldingKind::Elected,
        };
        let delegate_seat = Concurrent {
            post: delegate,
            cal: Cal::State,
            kind: HoldingKind::Elected,
        };
        let on_committee = Concurrent {
            post: committee_seat,
            cal: Cal::State,
            kind: HoldingKind::Concurrent,
        };
        let on_front = Concurrent {
            post: front_member,
            cal: Cal::Front,
            kind: HoldingKind::Concurrent,
        };
        let in_committee = member(committee_member);

        // The Party committee's leaders.
        let secretary = self.post(party, "Bí thư", Some(1))?;
        let lane = self.lane(
            secretary,
            LaneKind::Elected(Cal::PartyProvince),
            vec![standing_seat, in_committee, delegate_seat],
            0,
            Issuer::Party,
            false,
            false,
        )?;
        self.set_head(party, lane);
        let standing_deputy = self.post(party, "Phó Bí thư Thường trực", Some(1))?;
        self.lane(
            standing_deputy,
            LaneKind::Elected(Cal::PartyProvince),
            vec![
                Concurrent {
                    post: council_chair,
                    cal: Cal::State,
                    kind: HoldingKind::Concurrent,
                },
                standing_seat,
                in_committee,
                delegate_seat,
            ],
            0,
            Issuer::Party,
            false,
            false,
        )?;
        // The second deputy secretary's seat belongs to the chairman of the People's
        // Committee (below); this is the other one.
        self.lane(
            deputy_secretary,
            LaneKind::Elected(Cal::PartyProvince),
            vec![standing_seat, in_committee],
            0,
            Issuer::Party,
            false,
            false,
        )?;
        for _ in 0..8 {
            // Committee members who hold nothing else recorded here (the armed forces'
            // commanders, central appointees).
            self.lane(
                committee_member,
                LaneKind::Elected(Cal::PartyProvince),
                Vec::new(),
                0,
                Issuer::No,
                false,
                true,
            )?;
        }

        // The Party boards.
        let mut boards = Vec::new();
        for board in PARTY_BOARDS {
            boards.push(self.party_board(
                party,
                board,
                None,
                None,
                &[],
                vec![standing_seat, in_committee],
            )?);
        }
        let merger = day(2025, 3, 1)?;
        let last_day = add_days(merger, -1);
        let propaganda = self.party_board(
            party,
            PROPAGANDA_BOARD,
            None,
            Some(last_day),
            &[],
            vec![standing_seat, in_committee],
        )?;
        let mobilization = self.party_board(
            party,
            MOBILIZATION_BOARD,
            None,
            Some(last_day),
            &[],
            vec![standing_seat, in_committee],
        )?;
        let merged = self.party_board(
            party,
            MERGED_BOARD,
            Some(merger),
            None,
            &[propaganda, mobilization],
            vec![standing_seat, in_committee],
        )?;
        boards.extend([propaganda, mobilization, merged]);

        // The People's Council.
        let vice_chair = self.post(council, "Phó Chủ tịch", Some(2))?;
        for _ in 0..2 {
            self.lane(
                vice_chair,
                LaneKind::Elected(Cal::State),
                vec![in_committee, delegate_seat],
                0,
                Issuer::No,
                false,
                false,
            )?;
        }
        for title in [
            "Trưởng Ban Pháp chế",
            "Trưởng Ban Kinh tế - Ngân sách",
            "Trưởng Ban Văn hóa - Xã hội",
        ] {
            let post = self.post(council, title, Some(1))?;
            self.lane(
                post,
                LaneKind::Elected(Cal::State),
                vec![delegate_seat],
                0,
                Issuer::No,
                false,
                false,
            )?;
        }
        for _ in 0..35 {
            self.lane(
                delegate,
                LaneKind::Elected(Cal::State),
                Vec::new(),
                0,
                Issuer::No,
                false,
                true,
            )?;
        }

        // The People's Committee.
        let chairman = self.post(committee, "Chủ tịch", Some(1))?;
        let lane = self.lane(
            chairman,
            LaneKind::Elected(Cal::State),
            vec![
                Concurrent {
                    post: deputy_secretary,
                    cal: Cal::PartyProvince,
                    kind: HoldingKind::Concurrent,
                },
                Concurrent {
                    post: emulation_chair,
                    cal: Cal::State,
                    kind: HoldingKind::Concurrent,
                },
                standing_seat,
                in_committee,
                delegate_seat,
            ],
            0,
            Issuer::State,
            false,
            false,
        )?;
        self.set_head(committee, lane);
        let first_vice = self.post(committee, "Phó Chủ tịch Thường trực", Some(1))?;
        let lane = self.lane(
            first_vice,
            LaneKind::Elected(Cal::State),
            vec![standing_seat, in_committee, delegate_seat],
            0,
            Issuer::State,
            false,
            false,
        )?;
        self.add_deputy(committee, lane);
        let vice = self.post(committee, "Phó Chủ tịch", Some(4))?;
        for _ in 0..3 {
            let lane = self.lane(
                vice,
                LaneKind::Elected(Cal::State),
                vec![in_committee],
                0,
                Issuer::State,
                false,
                false,
            )?;
            self.add_deputy(committee, lane);
        }

        // Departments.
        let mut departments = Vec::new();
        for department in DEPARTMENTS {
            let name = if department.name == "Thanh tra" {
                format!("Thanh tra {qualified}")
            } else {
                format!("{} {qualified}", department.name)
            };
            let org = self.org(
                name,
                None,
                Classification::Department,
                Level::Province,
                Some(committee),
                0,
                Role::Department,
                department.code,
            )?;
            let mut bundle = vec![on_committee];
            if department.head_in_committee {
                bundle.push(in_committee);
            }
            self.staff(
                org,
                department.head,
                department.deputy,
                department.deputies,
                LaneKind::Appointed,
                bundle,
                &[],
                false,
            )?;
            departments.push(org);
        }

        // The Front and the mass organizations.
        self.staff(
            front,
            "Chủ tịch",
            "Phó Chủ tịch",
            3,
            LaneKind::Elected(Cal::Front),
            vec![standing_seat, in_committee, delegate_seat],
            &[],
            false,
        )?;
        for _ in 0..8 {
            self.lane(
                front_member,
                LaneKind::Elected(Cal::Front),
                Vec::new(),
                0,
                Issuer::No,
                false,
                true,
            )?;
        }
        let mut mass = Vec::new();
        for organization in MASS_ORGANIZATIONS {
            let name = match organization.name {
                Some(name) => format!("{name} {qualified}"),
                None => format!("{} Đoàn {}", if p.city { "Thành" } else { "Tỉnh" }, p.short),
            };
            let org = self.org(
                name,
                None,
                Classification::MassOrganization,
                Level::Province,
                Some(front),
                0,
                Role::Mass,
                "",
            )?;
            self.staff(
                org,
                organization.head,
                organization.deputy,
                3,
                LaneKind::Elected(Cal::Front),
                vec![in_committee, on_front],
                &[],
                organization.women,
            )?;
            mass.push(org);
        }

        if let Some(scope) = self.scopes.get_mut(0) {
            scope.unit = unit;
            scope.party = party;
            scope.standing = standing;
            scope.council = council;
            scope.committee = committee;
            scope.front = front;
            scope.departments = departments;
            scope.boards = boards;
            scope.mass = mass;
            scope.name = p.short.to_owned();
        }
        self.run_lanes_from(0)
    }

    fn set_head(&mut self, org: u32, lane: u32) {
        if let Some(record) = self.orgs.get_mut(org as usize) {
            record.head_lane = Some(lane);
        }
    }

    fn add_deputy(&mut self, org: u32, lane: u32) {
        if let Some(record) = self.orgs.get_mut(org as usize) {
            record.deputy_lanes.push(lane);
        }
    }

    fn party_board(
        &mut self,
        party: u32,
        board: Body,
        born: Option<NaiveDate>,
        ended: Option<NaiveDate>,
        predecessors: &[u32],
        head_bundle: Vec<Concurrent>,
    ) -> Result<u32, BenchDataError> {
        let org = self.org(
            format!("{} {}", board.name, self.province.party_committee()),
            Some(format!("{} {}", board.name, self.province.party_word())),
            Classification::PartyBoard,
            Level::Province,
            Some(party),
            0,
            Role::PartyBoard,
            board.code,
        )?;
        if born.is_some() || ended.is_some() {
            self.set_life(org, born, ended, predecessors)?;
        }
        self.staff(
            org,
            board.head,
            board.deputy,
            board.deputies,
            LaneKind::Appointed,
            head_bundle,
            &[],
            false,
        )?;
        Ok(org)
    }

    // ----- communes ------------------------------------------------------------------------

    /// Adds one commune or ward with its bodies, posts and holders; returns its scope.
    pub fn build_commune(&mut self) -> Result<u32, BenchDataError> {
        let scope = index(self.scopes.len() + 1)?;
        let ward_share = if self.province.city { 0.45 } else { 0.15 };
        let ward = self.rng.chance(ward_share);
        let name = places::commune_name(&mut self.rng, &mut self.commune_names);
        let (kind_word, kind_title) = if ward {
            ("phường", "Phường")
        } else {
            ("xã", "Xã")
        };
        self.scopes.push(Scope {
            name: name.clone(),
            ward,
            ..Scope::default()
        });
        self.pools.push(Vec::new());
        let first_lane = self.lanes.len();
        let province_unit = self.scopes.first().map_or(0, |s| s.unit);
        let province_party = self.scopes.first().map_or(0, |s| s.party);
        let place = format!("{kind_word} {name}");
        let unit = self.org(
            format!("{kind_title} {name}"),
            None,
            Classification::AdministrativeUnit,
            Level::Commune,
            Some(province_unit),
            scope,
            Role::Unit,
            "",
        )?;
        let party = self.org(
            format!("Đảng ủy {place}"),
            None,
            Classification::PartyCommittee,
            Level::Commune,
            Some(province_party),
            scope,
            Role::Party,
            "ĐU",
        )?;
        let standing = self.org(
            format!("Ban Thường vụ Đảng ủy {place}"),
            None,
            Classification::StandingBoard,
            Level::Commune,
            Some(party),
            scope,
            Role::Standing,
            "ĐU",
        )?;
        let council = self.org(
            format!("Hội đồng nhân dân {place}"),
            Some(format!("HĐND {kind_word}")),
            Classification::PeoplesCouncil,
            Level::Commune,
            Some(unit),
            scope,
            Role::Council,
            "HĐND",
        )?;
        let committee = self.org(
            format!("Ủy ban nhân dân {place}"),
            Some(format!("UBND {kind_word}")),
            Classification::PeoplesCommittee,
            Level::Commune,
            Some(unit),
            scope,
            Role::Committee,
            "UBND",
        )?;
        let front = self.org(
            format!("Ủy ban Mặt trận Tổ quốc Việt Nam {place}"),
            Some(format!("Ủy ban MTTQ {kind_word}")),
            Classification::FatherlandFront,
            Level::Commune,
            Some(unit),
            scope,
            Role::Front,
            "MTTQ",
        )?;
        let committee_member = self.post(party, "Ủy viên Ban Chấp hành", None)?;
        let standing_member = self.post(standing, "Ủy viên Ban Thường vụ", None)?;
        let delegate = self.post(council, "Đại biểu Hội đồng nhân dân", None)?;
        let committee_seat = self.post(committee, "Ủy viên Ủy ban nhân dân", None)?;
        let front_member = self.post(front, "Ủy viên Ủy ban", None)?;
        let council_chair = self.post(council, "Chủ tịch", Some(1))?;
        let deputy_secretary = self.post(party, "Phó Bí thư", Some(2))?;
        let in_committee = Concurrent {
            post: committee_member,
            cal: Cal::PartyCommune,
            kind: HoldingKind::Elected,
        };
        let standing_seat = Concurrent {
            post: standing_member,
            cal: Cal::PartyCommune,
            kind: HoldingKind::Elected,
        };
        let delegate_seat = Concurrent {
            post: delegate,
            cal: Cal::State,
            kind: HoldingKind::Elected,
        };
        let on_committee = Concurrent {
            post: committee_seat,
            cal: Cal::State,
            kind: HoldingKind::Concurrent,
        };
        let on_front = Concurrent {
            post: front_member,
            cal: Cal::Front,
            kind: HoldingKind::Concurrent,
        };

        let secretary = self.post(party, "Bí thư", Some(1))?;
        let lane = self.lane(
            secretary,
            LaneKind::Elected(Cal::PartyCommune),
            vec![
                Concurrent {
                    post: council_chair,
                    cal: Cal::State,
                    kind: HoldingKind::Concurrent,
                },
                standing_seat,
                in_committee,
                delegate_seat,
            ],
            scope,
            Issuer::Party,
            false,
            false,
        )?;
        self.set_head(party, lane);
        self.lane(
            deputy_secretary,
            LaneKind::Elected(Cal::PartyCommune),
            vec![standing_seat, in_committee],
            scope,
            Issuer::Party,
            false,
            false,
        )?;
        for _ in 0..4 {
            self.lane(
                committee_member,
                LaneKind::Elected(Cal::PartyCommune),
                Vec::new(),
                scope,
                Issuer::No,
                false,
                true,
            )?;
        }
        let vice_chair = self.post(council, "Phó Chủ tịch", Some(2))?;
        self.lane(
            vice_chair,
            LaneKind::Elected(Cal::State),
            vec![in_committee, delegate_seat],
            scope,
            Issuer::No,
            false,
            false,
        )?;
        for title in ["Trưởng Ban Pháp chế", "Trưởng Ban Kinh tế - Xã hội"] {
            let post = self.post(council, title, Some(1))?;
            self.lane(
                post,
                LaneKind::Elected(Cal::State),
                vec![delegate_seat],
                scope,
                Issuer::No,
                false,
                false,
            )?;
        }
        for _ in 0..12 {
            self.lane(
                delegate,
                LaneKind::Elected(Cal::State),
                Vec::new(),
                scope,
                Issuer::No,
                false,
                true,
            )?;
        }
        let chairman = self.post(committee, "Chủ tịch", Some(1))?;
        let lane = self.lane(
            chairman,
            LaneKind::Elected(Cal::State),
            vec![
                Concurrent {
                    post: deputy_secretary,
                    cal: Cal::PartyCommune,
                    kind: HoldingKind::Concurrent,
                },
                standing_seat,
                in_committee,
                delegate_seat,
            ],
            scope,
            Issuer::State,
            false,
            false,
        )?;
        self.set_head(committee, lane);
        let vice = self.post(committee, "Phó Chủ tịch", Some(2))?;
        for _ in 0..2 {
            let lane = self.lane(
                vice,
                LaneKind::Elected(Cal::State),
                vec![in_committee],
                scope,
                Issuer::State,
                false,
                false,
            )?;
            self.add_deputy(committee, lane);
        }
        // The offices came with the two-tier government on 2025-07-01.
        let reform = day(2025, 7, 1)?;
        let mut offices = Vec::new();
        for (commune_name, ward_name, code) in COMMUNE_OFFICES {
            let office_name = if ward { ward_name } else { commune_name };
            let org = self.org(
                format!("{office_name} {place}"),
                None,
                Classification::Department,
                Level::Commune,
                Some(committee),
                scope,
                Role::Department,
                code,
            )?;
            self.set_life(org, Some(reform), None, &[])?;
            let head = if code == "VP" {
                "Chánh Văn phòng"
            } else {
                "Trưởng phòng"
            };
            let deputy = if code == "VP" {
                "Phó Chánh Văn phòng"
            } else {
                "Phó Trưởng phòng"
            };
            self.staff(
                org,
                head,
                deputy,
                2,
                LaneKind::Appointed,
                vec![on_committee],
                &[],
                false,
            )?;
            offices.push(org);
        }
        self.staff(
            front,
            "Chủ tịch",
            "Phó Chủ tịch",
            2,
            LaneKind::Elected(Cal::Front),
            vec![in_committee, delegate_seat],
            &[],
            false,
        )?;
        for _ in 0..3 {
            self.lane(
                front_member,
                LaneKind::Elected(Cal::Front),
                Vec::new(),
                scope,
                Issuer::No,
                false,
                true,
            )?;
        }
        let mut mass = Vec::new();
        for organization in MASS_ORGANIZATIONS {
            // Communes have no labour federation of their own.
            let name = match organization.name {
                Some("Liên đoàn Lao động") => continue,
                Some(name) => format!("{name} {place}"),
                None => format!("Đoàn Thanh niên {place}"),
            };
            let org = self.org(
                name,
                None,
                Classification::MassOrganization,
                Level::Commune,
                Some(front),
                scope,
                Role::Mass,
                "",
            )?;
            self.staff(
                org,
                organization.head,
                organization.deputy,
                1,
                LaneKind::Elected(Cal::Front),
                vec![on_front],
                &[],
                organization.women,
            )?;
            mass.push(org);
        }
        if let Some(record) = self.scopes.get_mut(scope as usize) {
            record.unit = unit;
            record.party = party;
            record.standing = standing;
            record.council = council;
            record.committee = committee;
            record.front = front;
            record.departments = offices;
            record.mass = mass;
        }
        self.run_lanes_from(first_lane)?;
        Ok(scope)
    }

    // ----- holders -------------------------------------------------------------------------

    /// Runs every lane from `first` on, then makes their holdings.
    fn run_lanes_from(&mut self, first: usize) -> Result<(), BenchDataError> {
        for lane in first..self.lanes.len() {
            self.run_lane(lane)?;
        }
        for lane in first..self.lanes.len() {
            self.holdings_of_lane(lane)?;
        }
        Ok(())
    }

    fn run_lane(&mut self, lane_index: usize) -> Result<(), BenchDataError> {
        let lane = self
            .lanes
            .get(lane_index)
            .cloned()
            .ok_or_else(|| BenchDataError::Generator(format!("no lane {lane_index}")))?;
        let tenures = match lane.kind {
            LaneKind::Elected(cal) => self.elected_tenures(&lane, cal)?,
            LaneKind::Appointed => self.appointed_tenures(&lane)?,
        };
        if let Some(slot) = self.lanes.get_mut(lane_index) {
            slot.tenures = tenures;
        }
        Ok(())
    }

    fn elected_tenures(&mut self, lane: &Lane, cal: Cal) -> Result<Vec<Tenure>, BenchDataError> {
        let calendar = self.calendars.get(cal).clone();
        let mut tenures: Vec<Tenure> = Vec::new();
        for term in 0..4 {
            let start = calendar.starts[term].max(lane.from);
            if start > AS_OF || lane.to.is_some_and(|to| start > to) {
                break;
            }
            let mut end = calendar.end_of(term).filter(|end| *end < AS_OF);
            if let Some(to) = lane.to
                && end.is_none_or(|end| end > to)
            {
                end = Some(to);
            }
            let label = calendar.labels[term];
            let continuing = match tenures.last() {
                Some(last) => {
                    let person = last.person;
                    let keep = self.rng.chance(if lane.ordinary { 0.5 } else { 0.45 })
                        && self.person_alive_on(person, start);
                    Some((person, keep))
                }
                None => None,
            };
            let person = match continuing {
                Some((person, true)) => {
                    if let Some(last) = tenures.last_mut() {
                        last.reason = Some(EndReason::TermEnded);
                    }
                    person
                }
                Some((previous, false)) => {
                    let reason = self.leaving_reason(true);
                    if let Some(last) = tenures.last_mut() {
                        last.reason = Some(reason.clone());
                    }
                    self.release(lane, previous, add_days(start, -1), &reason);
                    self.pick(lane, start)?
                }
                None => self.pick(lane, start)?,
            };
            let mut segment_start = start;
            let mut person = person;
            let segment_end = end.unwrap_or(AS_OF);
            if !lane.ordinary
                && self.rng.chance(0.12)
                && (segment_end - segment_start).num_days() > 400
            {
                let change = self
                    .rng
                    .day_between(add_days(segment_start, 180), add_days(segment_end, -120));
                let reason = self.leaving_reason(false);
                tenures.push(self.tenure(
                    person,
                    segment_start,
                    Some(change),
                    Some(label),
                    HoldingKind::Elected,
                    Some(reason.clone()),
                ));
                self.release(lane, person, change, &reason);
                segment_start = add_days(change, 1);
                person = self.pick(lane, segment_start)?;
            }
            tenures.push(self.tenure(
                person,
                segment_start,
                end,
                Some(label),
                HoldingKind::Elected,
                None,
            ));
        }
        self.close_lane(lane, &mut tenures);
        Ok(tenures)
    }

    fn appointed_tenures(&mut self, lane: &Lane) -> Result<Vec<Tenure>, BenchDataError> {
        let mut tenures: Vec<Tenure> = Vec::new();
        let mut start = lane.from;
        if start > AS_OF {
            return Ok(tenures);
        }
        let mut person = self.pick(lane, start)?;
        let mut fresh = true;
        loop {
            if fresh && self.rng.chance(0.06) {
                // An acting spell (quyền, phụ trách) before the appointment.
                let acting_end = add_days(start, self.rng.between(60, 240));
                if acting_end < AS_OF && lane.to.is_none_or(|to| acting_end < to) {
                    tenures.push(self.tenure(
                        person,
                        start,
                        Some(acting_end),
                        None,
                        HoldingKind::Acting,
                        Some(EndReason::Other {
                            text: text("được bổ nhiệm chính thức")?,
                        }),
                    ));
                    start = add_days(acting_end, 1);
                }
            }
            let mut end = add_days(start, self.rng.between(900, 2200));
            if let Some(to) = lane.to
                && end >= to
            {
                end = to;
            }
            if end >= AS_OF {
                tenures.push(self.tenure(person, start, None, None, HoldingKind::Appointed, None));
                break;
            }
            if lane.to == Some(end) {
                tenures.push(self.tenure(
                    person,
                    start,
                    Some(end),
                    None,
                    HoldingKind::Appointed,
                    None,
                ));
                break;
            }
            let renewed = self.rng.chance(0.4) && self.person_alive_on(person, add_days(end, 1));
            let reason = if renewed {
                EndReason::TermEnded
            } else {
                self.leaving_reason(false)
            };
            tenures.push(self.tenure(
                person,
                start,
                Some(end),
                None,
                HoldingKind::Appointed,
                Some(reason.clone()),
            ));
            start = add_days(end, 1);
            if renewed {
                fresh = false;
            } else {
                self.release(lane, person, end, &reason);
                person = self.pick(lane, start)?;
                fresh = true;
            }
        }
        self.close_lane(lane, &mut tenures);
        Ok(tenures)
    }

    /// Ends the last tenure of a lane whose body was dissolved.
    fn close_lane(&mut self, lane: &Lane, tenures: &mut [Tenure]) {
        if let (Some(to), Some(last)) = (lane.to, tenures.last_mut())
            && last.end == Some(to)
        {
            last.reason = Some(EndReason::Reorganized);
            let person = last.person;
            self.release(lane, person, to, &EndReason::Reorganized);
        }
    }

    fn tenure(
        &mut self,
        person: u32,
        start: NaiveDate,
        end: Option<NaiveDate>,
        term: Option<TermLabel>,
        kind: HoldingKind,
        reason: Option<EndReason>,
    ) -> Tenure {
        // Someone new to the registry in the first term may be known to the month only.
        let first_holding = self
            .people
            .get(person as usize)
            .is_some_and(|p| p.first_start == start);
        let vague_start = first_holding && start.year() <= 2011 && self.rng.chance(0.3);
        Tenure {
            person,
            start,
            end,
            term,
            kind,
            reason,
            vague_start,
            holding: HoldingId::from_uuid(self.ids.next_uuid()),
        }
    }

    /// Why a holder leaves: at a term's end (`at_term_end`) or in mid-term.
    fn leaving_reason(&mut self, at_term_end: bool) -> EndReason {
        let roll = self.rng.unit();
        if at_term_end {
            match roll {
                r if r < 0.45 => EndReason::TermEnded,
                r if r < 0.80 => EndReason::Transferred,
                _ => EndReason::Retired,
            }
        } else {
            match roll {
                r if r < 0.55 => EndReason::Transferred,
                r if r < 0.78 => EndReason::Retired,
                r if r < 0.88 => EndReason::Resigned,
                r if r < 0.96 => EndReason::Dismissed,
                _ => EndReason::Died,
            }
        }
    }

    /// What becomes of a holder whose main post ended on `last_day`.
    fn release(&mut self, lane: &Lane, person: u32, last_day: NaiveDate, reason: &EndReason) {
        match reason {
            EndReason::Died => {
                if let Some(record) = self.people.get_mut(person as usize) {
                    record.death = Some(last_day);
                }
            }
            EndReason::Retired => {
                if self.rng.chance(0.06) {
                    let death = add_days(last_day, self.rng.between(200, 3000));
                    if death < AS_OF
                        && let Some(record) = self.people.get_mut(person as usize)
                    {
                        record.death = Some(death);
                    }
                }
            }
            EndReason::Dismissed => {}
            _ if lane.ordinary => {}
            _ => {
                if let Some(pool) = self.pools.get_mut(lane.scope as usize) {
                    pool.push(Freed {
                        person,
                        on: add_days(last_day, 1),
                    });
                }
            }
        }
    }

    fn person_alive_on(&self, person: u32, day: NaiveDate) -> bool {
        self.people
            .get(person as usize)
            .is_some_and(|p| p.alive_on(day))
    }

    /// A holder for a tenure of `lane` starting on `day`: someone freed from another post not
    /// long before, or someone new.
    fn pick(&mut self, lane: &Lane, day: NaiveDate) -> Result<u32, BenchDataError> {
        if !lane.ordinary && self.rng.chance(lane.reuse) {
            let earliest = add_days(day, -730);
            let women = lane.women;
            let people = &self.people;
            if let Some(pool) = self.pools.get_mut(lane.scope as usize) {
                let found = pool.iter().position(|freed| {
                    freed.on <= day
                        && freed.on >= earliest
                        && people.get(freed.person as usize).is_some_and(|p| {
                            p.alive_on(day) && (!women || p.gender == Gender::Female)
                        })
                });
                if let Some(position) = found {
                    return Ok(pool.swap_remove(position).person);
                }
            }
        }
        self.new_person(lane, day)
    }

    fn new_person(&mut self, lane: &Lane, day: NaiveDate) -> Result<u32, BenchDataError> {
        let female = lane.women || self.rng.chance(if lane.ordinary { 0.38 } else { 0.24 });
        let gender = if female { Gender::Female } else { Gender::Male };
        let name = self.names.full_name(&mut self.rng, gender);
        let age = self.rng.between(28, 52);
        let year = i32::try_from(i64::from(day.year()) - age).unwrap_or(1970);
        let birth = match self.rng.unit() {
            r if r < 0.7 => {
                let month = self.rng.between_u32(1, 12);
                let dom = self.rng.between_u32(1, 28);
                Some(built("a birth date", PartialDate::ymd(year, month, dom))?)
            }
            r if r < 0.9 => Some(built("a birth year", PartialDate::year(year))?),
            _ => None,
        };
        self.people.push(PersonRec {
            id: PersonId::from_uuid(self.ids.next_uuid()),
            gender,
            name,
            birth,
            death: None,
            scope: lane.scope,
            first_start: day,
            active_now: false,
            unlimited_posts: Vec::new(),
        });
        let person = index(self.people.len())?;
        if let Some(scope) = self.scopes.get_mut(lane.scope as usize) {
            scope.people.push(person);
        }
        Ok(person)
    }

    /// Makes the holdings of a lane: each tenure's main holding and its concurrent ones.
    fn holdings_of_lane(&mut self, lane_index: usize) -> Result<(), BenchDataError> {
        let lane = self
            .lanes
            .get(lane_index)
            .cloned()
            .ok_or_else(|| BenchDataError::Generator(format!("no lane {lane_index}")))?;
        for tenure in &lane.tenures {
            self.holding(
                tenure.holding,
                tenure.person,
                lane.post,
                tenure.start,
                tenure.end,
                tenure.vague_start,
                tenure.kind,
                tenure.term,
                tenure.reason.clone(),
            )?;
            for concurrent in &lane.bundle {
                let calendar = self.calendars.get(concurrent.cal).clone();
                let mut piece_start = tenure.start.max(calendar.starts[0]);
                let last = tenure.end.unwrap_or(AS_OF);
                while piece_start <= last {
                    let Some(term) = calendar.term_on(piece_start) else {
                        break;
                    };
                    let term_end = calendar.end_of(term);
                    let (piece_end, reason) = match term_end {
                        Some(term_end) if term_end < last => {
                            (Some(term_end), Some(EndReason::TermEnded))
                        }
                        _ => (tenure.end, tenure.reason.clone()),
                    };
                    let vague = tenure.vague_start && piece_start == tenure.start;
                    let id = HoldingId::from_uuid(self.ids.next_uuid());
                    self.holding(
                        id,
                        tenure.person,
                        concurrent.post,
                        piece_start,
                        piece_end,
                        vague,
                        concurrent.kind,
                        Some(calendar.labels[term]),
                        reason,
                    )?;
                    match piece_end {
                        Some(end) => piece_start = add_days(end, 1),
                        None => break,
                    }
                }
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments, reason = "the fields of one holding")]
    fn holding(
        &mut self,
        id: HoldingId,
        person: u32,
        post: u32,
        start: NaiveDate,
        end: Option<NaiveDate>,
        vague_start: bool,
        kind: HoldingKind,
        term: Option<TermLabel>,
        reason: Option<EndReason>,
    ) -> Result<(), BenchDataError> {
        let post_record = self
            .posts
            .get(post as usize)
            .ok_or_else(|| BenchDataError::Generator(format!("no post {post}")))?;
        let unlimited = post_record.post.seats == Seats::Unlimited;
        let post_id = post_record.post.id();
        let org_code = self
            .orgs
            .get(post_record.org as usize)
            .map_or("UBND", |o| o.code);
        let start_date = if vague_start {
            built(
                "a start month",
                PartialDate::year_month(start.year(), start.month()),
            )?
        } else {
            PartialDate::from(start)
        };
        let document = match kind {
            HoldingKind::Elected | HoldingKind::Concurrent if self.rng.chance(0.35) => {
                let number = self.document_number();
                Some(text(&format!("Nghị quyết số {number}/NQ-HĐND"))?)
            }
            HoldingKind::Appointed | HoldingKind::Acting if self.rng.chance(0.6) => {
                let number = self.document_number();
                let issuer =
                    if org_code.starts_with('B') || org_code == "UBKT" || org_code == "VPTU" {
                        format!("{number}-QĐ/TU")
                    } else {
                        format!("{number}/QĐ-UBND")
                    };
                Some(text(&format!("Quyết định số {issuer}"))?)
            }
            _ => None,
        };
        let details = HoldingDetails {
            person: self
                .people
                .get(person as usize)
                .map(|p| p.id)
                .ok_or_else(|| BenchDataError::Generator(format!("no person {person}")))?,
            post: post_id,
            period: built(
                "a holding's period",
                Period::new(Some(start_date), end.map(PartialDate::from)),
            )?,
            kind,
            term,
            document,
            end_reason: reason,
        };
        let holding = built("a holding", Holding::new(id, details))?;
        if let Some(record) = self.people.get_mut(person as usize) {
            if start < record.first_start {
                record.first_start = start;
            }
            if start <= AS_OF && end.is_none_or(|end| end >= AS_OF) {
                record.active_now = true;
            }
            if unlimited && !record.unlimited_posts.contains(&post) {
                record.unlimited_posts.push(post);
            }
        }
        self.holdings.push(holding);
        Ok(())
    }

    /// The person records, built now that every career is known.
    pub fn person_records(&self) -> Result<Vec<Person>, BenchDataError> {
        self.people
            .iter()
            .map(|record| {
                let name = built("a name", PersonName::parse_verbatim(&record.name))?;
                let mut details = PersonDetails::named(name);
                details.gender = Some(record.gender);
                details.birth_date = record.birth;
                details.death_date = record.death.map(PartialDate::from);
                built("a person", Person::new(record.id, details))
            })
            .collect()
    }

    /// The id of organization `org`.
    pub fn org_id(&self, org: u32) -> Result<OrganizationId, BenchDataError> {
        self.orgs
            .get(org as usize)
            .map(|o| o.org.id())
            .ok_or_else(|| BenchDataError::Generator(format!("no organization {org}")))
    }
}

/// A `Text` from generated words.
pub fn text(value: &str) -> Result<Text, BenchDataError> {
    built("a text", Text::parse(value))
}

/// The index of the last of `len` items, as the compact u32 the generator uses.
fn index(len: usize) -> Result<u32, BenchDataError> {
    len.checked_sub(1)
        .and_then(|i| u32::try_from(i).ok())
        .ok_or_else(|| BenchDataError::Generator("more than 4 billion records".to_owned()))
}
