//! Organizations, posts and holdings in the schema: the `Organization`, `Post` and `Holding`
//! types, their queries and mutations, and the loader keys of their relations.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Display;

use async_graphql::connection::Connection;
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use gazette_domain::award::RecipientRef;
use gazette_domain::date::Period;
use gazette_domain::holding::{EndReason, Holding, HoldingDetails, TermLabel};
use gazette_domain::ids::{HoldingId, OrganizationId, PersonId, PostId};
use gazette_domain::organization::{Organization, OrganizationDetails, Succession};
use gazette_domain::post::{Post, PostDetails, Seats};
use gazette_domain::source::Subject;
use gazette_domain::text::Text;
use gazette_storage::holdings::{HoldingReach, HoldingWithPost};
use gazette_storage::{OrganizationFilter, StorageError};

use super::awards::AwardDecisionObject;
use super::connection::{connection, page_cost, page_request};
use super::context::{database, editor, loader};
use super::error::{ApiResult, Code, StorageResultExt, api_error, bad_input};
use super::ids::{expect, global_id};
use super::loaders::{AwardsReceivedOf, Fetch, Store, by_id, list, list_of, many, one};
use super::people::{
    IdentifierInput, IdentifierObject, OtherNameInput, OtherNameObject, PersonObject,
};
use super::scalars::{DateScalar, PartialDateScalar};
use super::sources::{CitationObject, SourceObject, citations_of, sources_of};

// Organizations referred to are loaded bare: their predecessors and identifiers come through
// their own loaders, and only when a query asks for them.
by_id!(OrganizationId, Organization, organizations_by_ids_bare);
list_of!(
    /// Key: an organization's predecessors.
    PredecessorsOf,
    OrganizationId,
    Succession,
    predecessors_of
);
list_of!(
    /// Key: an organization's identifiers.
    IdentifiersOfOrganization,
    OrganizationId,
    gazette_domain::identifier::Identifier,
    identifiers_of_organizations
);
by_id!(PostId, Post, posts_by_ids);
by_id!(HoldingId, Holding, holdings_by_ids);

/// Loads a record that another record refers to. Storage keeps references intact, so a missing
/// one is an inconsistency worth an error rather than a silent null.
pub(crate) async fn referenced<K, V>(ctx: &Context<'_>, key: K, kind: &str) -> ApiResult<V>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + Display + 'static,
    V: Send + Sync + Clone + 'static,
    Store: async_graphql::dataloader::Loader<K, Value = V, Error = StorageError>,
{
    one(ctx, key.clone()).await?.ok_or_else(|| {
        api_error(
            Code::NotFound,
            format!("{kind} {key} is referred to but is not recorded"),
        )
    })
}

/// Decodes an optional global id of `type_name` into a typed id.
pub(crate) fn optional_id<T>(
    id: Option<&ID>,
    type_name: &str,
    make: fn(uuid::Uuid) -> T,
) -> ApiResult<Option<T>> {
    id.map(|id| expect(id, type_name).map(make)).transpose()
}

/// Groups relation keys that carry an optional day by that day, so a loader runs one statement
/// per distinct day rather than one per key.
fn by_day<Id: Copy>(
    keys: impl Iterator<Item = (Id, Option<NaiveDate>)>,
) -> BTreeMap<Option<NaiveDate>, Vec<Id>> {
    let mut groups: BTreeMap<Option<NaiveDate>, Vec<Id>> = BTreeMap::new();
    for (id, on) in keys {
        groups.entry(on).or_default().push(id);
    }
    groups
}

/// Key: the children of an organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChildrenOf(pub OrganizationId);

impl async_graphql::dataloader::Loader<ChildrenOf> for Fetch {
    type Value = Vec<Organization>;
    type Error = StorageError;

    async fn load(
        &self,
        keys: &[ChildrenOf],
    ) -> Result<HashMap<ChildrenOf, Self::Value>, Self::Error> {
        let ids: Vec<_> = keys.iter().map(|k| k.0).collect();
        let mut found = self.db.children_of(&ids).await?;
        Ok(keys
            .iter()
            .map(|k| (*k, found.remove(&k.0).unwrap_or_default()))
            .collect())
    }
}

/// Key: the posts of an organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PostsOf(pub OrganizationId);

impl async_graphql::dataloader::Loader<PostsOf> for Fetch {
    type Value = Vec<Post>;
    type Error = StorageError;

    async fn load(&self, keys: &[PostsOf]) -> Result<HashMap<PostsOf, Self::Value>, Self::Error> {
        let ids: Vec<_> = keys.iter().map(|k| k.0).collect();
        let mut found = self.db.posts_of_organizations(&ids).await?;
        Ok(keys
            .iter()
            .map(|k| (*k, found.remove(&k.0).unwrap_or_default()))
            .collect())
    }
}

/// Key: the ids of the organizations that name an organization as their predecessor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SuccessorsOf(pub OrganizationId);

impl async_graphql::dataloader::Loader<SuccessorsOf> for Fetch {
    type Value = Vec<OrganizationId>;
    type Error = StorageError;

    async fn load(
        &self,
        keys: &[SuccessorsOf],
    ) -> Result<HashMap<SuccessorsOf, Self::Value>, Self::Error> {
        let ids: Vec<_> = keys.iter().map(|k| k.0).collect();
        let mut found = self.db.successors_of(&ids).await?;
        Ok(keys
            .iter()
            .map(|k| (*k, found.remove(&k.0).unwrap_or_default()))
            .collect())
    }
}

/// Key: the holdings of a post, those active on `on` when given, else all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HoldingsOfPost {
    /// The post.
    pub post: PostId,
    /// The day, if any.
    pub on: Option<NaiveDate>,
}

impl async_graphql::dataloader::Loader<HoldingsOfPost> for Fetch {
    type Value = Vec<Holding>;
    type Error = StorageError;

    async fn load(
        &self,
        keys: &[HoldingsOfPost],
    ) -> Result<HashMap<HoldingsOfPost, Self::Value>, Self::Error> {
        let mut result = HashMap::with_capacity(keys.len());
        for (on, posts) in by_day(keys.iter().map(|k| (k.post, k.on))) {
            let mut found = self.db.holdings_of_posts(&posts, on).await?;
            for post in posts {
                let holdings = found.remove(&post).unwrap_or_default();
                result.insert(HoldingsOfPost { post, on }, holdings);
            }
        }
        Ok(result)
    }
}

/// Key: the holdings of a person, those active on `on` when given, else all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HoldingsOfPerson {
    /// The person.
    pub person: PersonId,
    /// The day, if any.
    pub on: Option<NaiveDate>,
}

impl async_graphql::dataloader::Loader<HoldingsOfPerson> for Fetch {
    type Value = Vec<Holding>;
    type Error = StorageError;

    async fn load(
        &self,
        keys: &[HoldingsOfPerson],
    ) -> Result<HashMap<HoldingsOfPerson, Self::Value>, Self::Error> {
        let mut result = HashMap::with_capacity(keys.len());
        for (on, people) in by_day(keys.iter().map(|k| (k.person, k.on))) {
            let mut found = self.db.holdings_of_people(&people, on).await?;
            for person in people {
                let holdings = found.remove(&person).unwrap_or_default();
                result.insert(HoldingsOfPerson { person, on }, holdings);
            }
        }
        Ok(result)
    }
}

/// Key: the holdings of a person as [`HoldingsOfPerson`], each read in the same statement with
/// its post and, as `reach` says, the post's organization and that organization's parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HoldingsWithPostsOfPerson {
    /// The person.
    pub person: PersonId,
    /// The day, if any.
    pub on: Option<NaiveDate>,
    /// How far along each holding to read.
    pub reach: HoldingReach,
}

impl async_graphql::dataloader::Loader<HoldingsWithPostsOfPerson> for Fetch {
    type Value = Vec<HoldingWithPost>;
    type Error = StorageError;

    async fn load(
        &self,
        keys: &[HoldingsWithPostsOfPerson],
    ) -> Result<HashMap<HoldingsWithPostsOfPerson, Self::Value>, Self::Error> {
        let mut groups: BTreeMap<(Option<NaiveDate>, HoldingReach), Vec<PersonId>> =
            BTreeMap::new();
        for key in keys {
            groups
                .entry((key.on, key.reach))
                .or_default()
                .push(key.person);
        }
        let mut result = HashMap::with_capacity(keys.len());
        for ((on, reach), people) in groups {
            let mut found = self
                .db
                .holdings_of_people_with_posts(&people, on, reach)
                .await?;
            for person in people {
                let holdings = found.remove(&person).unwrap_or_default();
                result.insert(HoldingsWithPostsOfPerson { person, on, reach }, holdings);
            }
        }
        Ok(result)
    }
}

/// How far below a list of holdings the query reads along each holding's post (`post`, then
/// `post { organization }`, then `post { organization { parent } }`), for a read that joins
/// those records in; `None` when it does not ask for the post.
fn holding_reach(holdings: &async_graphql::Lookahead<'_>) -> Option<HoldingReach> {
    let post = holdings.field("post");
    if !post.exists() {
        return None;
    }
    let organization = post.field("organization");
    Some(if !organization.exists() {
        HoldingReach::Post
    } else if organization.field("parent").exists() {
        HoldingReach::Parent
    } else {
        HoldingReach::Organization
    })
}

/// A person's holdings active on `on` (all of them without), as `Person.positions` lists them.
/// For a query that goes on to the holdings' posts (and their organizations) the posts and
/// organizations are read in the same statement and kept in the request's loader for the next
/// levels, which then ask the database nothing.
pub(crate) async fn positions_of(
    ctx: &Context<'_>,
    person: PersonId,
    on: Option<NaiveDate>,
) -> ApiResult<Vec<HoldingObject>> {
    let request_loader = loader(ctx)?;
    let reach = if request_loader.priming() {
        holding_reach(&ctx.look_ahead())
    } else {
        None
    };
    let Some(reach) = reach else {
        return Ok(list(ctx, HoldingsOfPerson { person, on })
            .await?
            .into_iter()
            .map(HoldingObject)
            .collect());
    };
    let joined = list(ctx, HoldingsWithPostsOfPerson { person, on, reach }).await?;
    let mut posts = Vec::with_capacity(joined.len());
    let mut organizations = Vec::new();
    let mut holdings = Vec::with_capacity(joined.len());
    for record in joined {
        posts.push((record.post.id(), record.post));
        for organization in record.organization.into_iter().chain(record.parent) {
            organizations.push((organization.id(), organization));
        }
        holdings.push(HoldingObject(record.holding));
    }
    request_loader.prime(posts);
    request_loader.prime(organizations);
    Ok(holdings)
}

/// What kind of body an organization is.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "gazette_domain::organization::Classification")]
pub enum Classification {
    /// A Party committee (Ban Chấp hành): Thành ủy, Tỉnh ủy, Huyện ủy, Đảng ủy.
    PartyCommittee,
    /// A Party committee's standing board (Ban Thường vụ).
    StandingBoard,
    /// An advisory board of a Party committee: Ban Tổ chức, Ban Tuyên giáo, Ban Dân vận, Ủy ban
    /// Kiểm tra, Ban Nội chính, Văn phòng.
    PartyBoard,
    /// A People's Council (Hội đồng nhân dân, HĐND).
    PeoplesCouncil,
    /// A People's Committee (Ủy ban nhân dân, UBND).
    PeoplesCommittee,
    /// A department or agency of the state (Sở, Văn phòng UBND, ...).
    Department,
    /// A Fatherland Front committee (Ủy ban Mặt trận Tổ quốc, MTTQ).
    FatherlandFront,
    /// A socio-political or mass organization (Liên đoàn Lao động, Hội Nông dân, Hội Liên hiệp
    /// Phụ nữ, Đoàn Thanh niên, Hội Cựu chiến binh), or a group of them.
    MassOrganization,
    /// A council or steering committee (Hội đồng Thi đua - Khen thưởng, Ban Chỉ đạo).
    Council,
    /// An administrative unit (a province, city, district, commune or ward) as a territory.
    AdministrativeUnit,
    /// The President of the State (Chủ tịch nước) and the Office of the President.
    Presidency,
    /// The Government and the Prime Minister (Chính phủ, Thủ tướng).
    Government,
    /// A ministry, ministry-level agency or central body (bộ, ngành, cơ quan trung ương).
    Ministry,
    /// A state enterprise or public service unit.
    Enterprise,
    /// Anything else.
    Other,
}

/// The tier of government an organization belongs to.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "gazette_domain::organization::Level")]
pub enum Level {
    /// Central (trung ương): the Party Central Committee, the Government, ministries.
    National,
    /// Province or centrally-run city (tỉnh, thành phố trực thuộc trung ương).
    Province,
    /// District, town or provincial city (huyện, quận, thị xã, thành phố thuộc tỉnh); abolished
    /// in the 2025 two-tier reform, kept for the records before it.
    District,
    /// Commune, ward or township (xã, phường, thị trấn).
    Commune,
}

/// How an organization came from another.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "gazette_domain::organization::SuccessionKind")]
pub enum SuccessionKind {
    /// Several organizations merged into one (2025: Ban Tuyên giáo and Ban Dân vận into Ban
    /// Tuyên giáo và Dân vận).
    Merger,
    /// One organization was split off from another.
    Split,
    /// One organization replaced another under a reorganization.
    Reorganization,
}

/// How a holding came about.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "gazette_domain::holding::HoldingKind")]
pub enum HoldingKind {
    /// Elected (bầu): by a Party congress, a People's Council session, ...
    Elected,
    /// Appointed (bổ nhiệm, chỉ định).
    Appointed,
    /// Acting (quyền, phụ trách).
    Acting,
    /// Held concurrently with another main post (kiêm nhiệm).
    Concurrent,
}

/// Why a holding ended (Wikidata's "end cause").
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum EndReasonKind {
    /// The term ended.
    TermEnded,
    /// Moved to another post (điều động, luân chuyển).
    Transferred,
    /// Resigned or relieved at own request (xin thôi).
    Resigned,
    /// Dismissed or removed (miễn nhiệm, cách chức, bãi nhiệm).
    Dismissed,
    /// Retired (nghỉ hưu).
    Retired,
    /// Died in office.
    Died,
    /// The post or organization was merged, split or dissolved.
    Reorganized,
    /// Another reason, given in words in `text`.
    Other,
}

/// Why a holding ended.
#[derive(SimpleObject, Clone)]
#[graphql(name = "EndReason")]
pub struct EndReasonObject {
    /// The kind of reason.
    pub kind: EndReasonKind,
    /// The reason in words, for an `OTHER` reason.
    pub text: Option<String>,
}

impl From<&EndReason> for EndReasonObject {
    fn from(reason: &EndReason) -> Self {
        let kind = match reason {
            EndReason::TermEnded => EndReasonKind::TermEnded,
            EndReason::Transferred => EndReasonKind::Transferred,
            EndReason::Resigned => EndReasonKind::Resigned,
            EndReason::Dismissed => EndReasonKind::Dismissed,
            EndReason::Retired => EndReasonKind::Retired,
            EndReason::Died => EndReasonKind::Died,
            EndReason::Reorganized => EndReasonKind::Reorganized,
            EndReason::Other { text } => {
                return Self {
                    kind: EndReasonKind::Other,
                    text: Some(text.to_string()),
                };
            }
        };
        Self { kind, text: None }
    }
}

/// Why a holding ended, as input.
#[derive(InputObject)]
pub struct EndReasonInput {
    /// The kind of reason.
    pub kind: EndReasonKind,
    /// The reason in words: required for `OTHER`, refused for the other kinds (they carry no
    /// text, and silently dropping it would lose what the clerk wrote).
    pub text: Option<String>,
}

impl EndReasonInput {
    /// The domain value, or a bad-input error naming the field.
    pub fn parse(&self, field: &str) -> ApiResult<EndReason> {
        let plain = match self.kind {
            EndReasonKind::TermEnded => EndReason::TermEnded,
            EndReasonKind::Transferred => EndReason::Transferred,
            EndReasonKind::Resigned => EndReason::Resigned,
            EndReasonKind::Dismissed => EndReason::Dismissed,
            EndReasonKind::Retired => EndReason::Retired,
            EndReasonKind::Died => EndReason::Died,
            EndReasonKind::Reorganized => EndReason::Reorganized,
            EndReasonKind::Other => {
                let text = self.text.as_deref().ok_or_else(|| {
                    bad_input(
                        &format!("{field}.text"),
                        "an OTHER end reason needs its text",
                    )
                })?;
                return Ok(EndReason::Other {
                    text: Text::parse(text).map_err(|e| bad_input(&format!("{field}.text"), e))?,
                });
            }
        };
        if self.text.is_some() {
            return Err(bad_input(
                &format!("{field}.text"),
                "only an OTHER end reason carries text",
            ));
        }
        Ok(plain)
    }
}

/// A link between an organization and one it came from (or that came from it).
#[derive(Clone)]
pub struct SuccessionObject {
    other: OrganizationId,
    kind: gazette_domain::organization::SuccessionKind,
    date: Option<gazette_domain::date::PartialDate>,
}

/// A succession: a merger, split or reorganization linking two organizations.
#[Object(name = "Succession")]
impl SuccessionObject {
    /// The organization on the other side of the link: the predecessor in `predecessors`, the
    /// successor in `successors`.
    async fn organization(&self, ctx: &Context<'_>) -> ApiResult<OrganizationObject> {
        referenced(ctx, self.other, "organization")
            .await
            .map(OrganizationObject)
    }

    /// How the successor came from the predecessor.
    async fn kind(&self) -> SuccessionKind {
        self.kind.into()
    }

    /// When, as precisely as known.
    async fn date(&self) -> Option<PartialDateScalar> {
        self.date.map(PartialDateScalar)
    }
}

/// An organization.
#[derive(Clone)]
pub struct OrganizationObject(pub Organization);

/// An organization: a Party committee or board, a People's Council or Committee, a department,
/// the Fatherland Front or a mass organization.
#[Object(name = "Organization")]
impl OrganizationObject {
    /// The global id.
    pub async fn id(&self) -> ID {
        global_id("Organization", self.0.id().as_uuid())
    }

    /// The current (or last) name: "Ban Thường vụ Thành ủy Cần Thơ".
    async fn name(&self) -> &str {
        self.0.name.as_str()
    }

    /// The usual abbreviation: "UBND thành phố Cần Thơ", "MTTQ".
    async fn abbreviation(&self) -> Option<&str> {
        self.0.abbreviation.as_ref().map(Text::as_str)
    }

    /// What kind of body it is.
    async fn classification(&self) -> Classification {
        self.0.classification.into()
    }

    /// Its tier of government, when it has one.
    async fn level(&self) -> Option<Level> {
        self.0.level.map(Level::from)
    }

    /// The organization it belongs to (the Party committee of a board, the city of a
    /// department).
    async fn parent(&self, ctx: &Context<'_>) -> ApiResult<Option<OrganizationObject>> {
        match self.0.parent {
            Some(parent) => Ok(one(ctx, parent).await?.map(OrganizationObject)),
            None => Ok(None),
        }
    }

    /// The organizations that belong to it, by name.
    async fn children(&self, ctx: &Context<'_>) -> ApiResult<Vec<OrganizationObject>> {
        Ok(list(ctx, ChildrenOf(self.0.id()))
            .await?
            .into_iter()
            .map(OrganizationObject)
            .collect())
    }

    /// Its posts, by title.
    async fn posts(&self, ctx: &Context<'_>) -> ApiResult<Vec<PostObject>> {
        Ok(list(ctx, PostsOf(self.0.id()))
            .await?
            .into_iter()
            .map(PostObject)
            .collect())
    }

    /// When it was founded, as precisely as known.
    async fn start(&self) -> Option<PartialDateScalar> {
        self.0.life.start().map(PartialDateScalar)
    }

    /// When it was dissolved (or merged away), as precisely as known; null while it exists.
    async fn end(&self) -> Option<PartialDateScalar> {
        self.0.life.end().map(PartialDateScalar)
    }

    /// Whether it may have existed on `date`.
    async fn active_on(&self, #[graphql(desc = "The day asked about.")] date: DateScalar) -> bool {
        self.0.life.is_active_on(date.0)
    }

    /// Former names (renames) and other names, with when they were in use.
    async fn other_names(&self) -> Vec<OtherNameObject> {
        self.0
            .other_names
            .iter()
            .map(OtherNameObject::from)
            .collect()
    }

    /// The name it bore on `date`: a former name whose period covers that day, else the
    /// current name.
    async fn name_on(&self, #[graphql(desc = "The day asked about.")] date: DateScalar) -> &str {
        self.0.name_on(date.0).as_str()
    }

    /// The organizations it came from through mergers, splits and reorganizations.
    async fn predecessors(&self, ctx: &Context<'_>) -> ApiResult<Vec<SuccessionObject>> {
        Ok(list(ctx, PredecessorsOf(self.0.id()))
            .await?
            .iter()
            .map(|s: &Succession| SuccessionObject {
                other: s.predecessor,
                kind: s.kind,
                date: s.date,
            })
            .collect())
    }

    /// The organizations that came from it (that name it as a predecessor).
    async fn successors(&self, ctx: &Context<'_>) -> ApiResult<Vec<SuccessionObject>> {
        let ids = list(ctx, SuccessorsOf(self.0.id())).await?;
        let keys: Vec<PredecessorsOf> = ids.iter().copied().map(PredecessorsOf).collect();
        let links: Vec<Vec<Succession>> = many(ctx, keys).await?;
        let me = self.0.id();
        Ok(ids
            .iter()
            .zip(&links)
            .filter_map(|(successor, predecessors)| {
                predecessors
                    .iter()
                    .find(|s| s.predecessor == me)
                    .map(|s| SuccessionObject {
                        other: *successor,
                        kind: s.kind,
                        date: s.date,
                    })
            })
            .collect())
    }

    /// Identifiers in other systems.
    async fn identifiers(&self, ctx: &Context<'_>) -> ApiResult<Vec<IdentifierObject>> {
        Ok(list(ctx, IdentifiersOfOrganization(self.0.id()))
            .await?
            .iter()
            .map(IdentifierObject::from)
            .collect())
    }

    /// The award decisions it received as a collective, revoked ones included.
    async fn awards_received(&self, ctx: &Context<'_>) -> ApiResult<Vec<AwardDecisionObject>> {
        Ok(list(
            ctx,
            AwardsReceivedOf(RecipientRef::Organization(self.0.id())),
        )
        .await?
        .into_iter()
        .map(AwardDecisionObject::whole)
        .collect())
    }

    /// The citations of this record: which sources say what about it.
    async fn citations(&self, ctx: &Context<'_>) -> ApiResult<Vec<CitationObject>> {
        citations_of(ctx, Subject::Organization(self.0.id())).await
    }

    /// The sources this record was recorded from, each once, in the order first cited.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceObject>> {
        sources_of(ctx, Subject::Organization(self.0.id())).await
    }
}

/// A post.
#[derive(Clone)]
pub struct PostObject(pub Post);

/// A post: an office that exists independently of who holds it ("Chủ tịch" of UBND thành phố
/// Cần Thơ, "Phó Bí thư Thường trực" of Thành ủy Cần Thơ).
#[Object(name = "Post")]
impl PostObject {
    /// The global id.
    pub async fn id(&self) -> ID {
        global_id("Post", self.0.id().as_uuid())
    }

    /// The title: "Chủ tịch", "Phó Bí thư Thường trực", "Trưởng ban".
    async fn title(&self) -> &str {
        self.0.title.as_str()
    }

    /// The organization the post belongs to.
    async fn organization(&self, ctx: &Context<'_>) -> ApiResult<OrganizationObject> {
        referenced(ctx, self.0.organization, "organization")
            .await
            .map(OrganizationObject)
    }

    /// How many may hold it at once; null when the number is unlimited.
    async fn seats(&self) -> Option<u32> {
        self.0.seats.limit()
    }

    /// When the post was created, as precisely as known.
    async fn start(&self) -> Option<PartialDateScalar> {
        self.0.life.start().map(PartialDateScalar)
    }

    /// When the post was abolished, as precisely as known; null while it exists.
    async fn end(&self) -> Option<PartialDateScalar> {
        self.0.life.end().map(PartialDateScalar)
    }

    /// "Who held this post": its holdings active on `on` (every day a holding's partial dates
    /// may cover counts), or all of its holdings without `on`.
    async fn holders(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day; omit it for every holding, past and present.")] on: Option<
            DateScalar,
        >,
    ) -> ApiResult<Vec<HoldingObject>> {
        let key = HoldingsOfPost {
            post: self.0.id(),
            on: on.map(|d| d.0),
        };
        Ok(list(ctx, key)
            .await?
            .into_iter()
            .map(HoldingObject)
            .collect())
    }

    /// The citations of this record: which sources say what about it.
    async fn citations(&self, ctx: &Context<'_>) -> ApiResult<Vec<CitationObject>> {
        citations_of(ctx, Subject::Post(self.0.id())).await
    }

    /// The sources this record was recorded from, each once, in the order first cited.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceObject>> {
        sources_of(ctx, Subject::Post(self.0.id())).await
    }
}

/// A holding.
#[derive(Clone)]
pub struct HoldingObject(pub Holding);

/// A holding: a person holding a post for a period (Popolo's Membership, Wikidata's "position
/// held").
#[Object(name = "Holding")]
impl HoldingObject {
    /// The global id.
    pub async fn id(&self) -> ID {
        global_id("Holding", self.0.id().as_uuid())
    }

    /// Who holds (or held) the post.
    async fn person(&self, ctx: &Context<'_>) -> ApiResult<PersonObject> {
        referenced(ctx, self.0.person, "person")
            .await
            .map(PersonObject)
    }

    /// The post held.
    async fn post(&self, ctx: &Context<'_>) -> ApiResult<PostObject> {
        referenced(ctx, self.0.post, "post").await.map(PostObject)
    }

    /// When it began, as precisely as known.
    async fn start(&self) -> Option<PartialDateScalar> {
        self.0.period.start().map(PartialDateScalar)
    }

    /// When it ended, as precisely as known; null while it runs (or when never recorded).
    async fn end(&self) -> Option<PartialDateScalar> {
        self.0.period.end().map(PartialDateScalar)
    }

    /// How it came about.
    async fn kind(&self) -> HoldingKind {
        self.0.kind.into()
    }

    /// The term it belongs to ("2020-2025").
    async fn term(&self) -> Option<String> {
        self.0.term.map(|t| t.to_string())
    }

    /// The document that made it, as cited ("Nghị quyết số 01/NQ-HĐND").
    async fn document(&self) -> Option<&str> {
        self.0.document.as_ref().map(Text::as_str)
    }

    /// Why it ended, once it has and when known.
    async fn end_reason(&self) -> Option<EndReasonObject> {
        self.0.end_reason.as_ref().map(EndReasonObject::from)
    }

    /// Whether it may have been active on `date` (every day its partial dates may cover
    /// counts: a holding from "2020-10" may have been active on 2020-10-01).
    async fn active_on(&self, #[graphql(desc = "The day asked about.")] date: DateScalar) -> bool {
        self.0.is_active_on(date.0)
    }

    /// The citations of this record: which sources say what about it.
    async fn citations(&self, ctx: &Context<'_>) -> ApiResult<Vec<CitationObject>> {
        citations_of(ctx, Subject::Holding(self.0.id())).await
    }

    /// The sources this record was recorded from, each once, in the order first cited.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceObject>> {
        sources_of(ctx, Subject::Holding(self.0.id())).await
    }
}

/// A predecessor of an organization, as input.
#[derive(InputObject)]
pub struct PredecessorInput {
    /// The predecessor.
    pub organization: ID,
    /// How the organization came from it.
    pub kind: SuccessionKind,
    /// When.
    pub date: Option<PartialDateScalar>,
}

/// The fields of an organization, as input (an update replaces them all).
#[derive(InputObject)]
pub struct OrganizationFields {
    /// The current name: "Ban Dân vận Thành ủy Cần Thơ".
    pub name: String,
    /// The usual abbreviation: "UBND thành phố Cần Thơ".
    pub abbreviation: Option<String>,
    /// What kind of body it is.
    pub classification: Classification,
    /// Its tier of government.
    pub level: Option<Level>,
    /// The organization it belongs to.
    pub parent: Option<ID>,
    /// When it was founded.
    pub start: Option<PartialDateScalar>,
    /// When it was dissolved.
    pub end: Option<PartialDateScalar>,
    /// Former names and other names.
    #[graphql(default)]
    pub other_names: Vec<OtherNameInput>,
    /// The organizations it came from.
    #[graphql(default)]
    pub predecessors: Vec<PredecessorInput>,
    /// Identifiers in other systems.
    #[graphql(default)]
    pub identifiers: Vec<IdentifierInput>,
}

impl OrganizationFields {
    fn parse(&self) -> ApiResult<OrganizationDetails> {
        Ok(OrganizationDetails {
            name: Text::parse(&self.name).map_err(|e| bad_input("name", e))?,
            abbreviation: self
                .abbreviation
                .as_deref()
                .map(Text::parse)
                .transpose()
                .map_err(|e| bad_input("abbreviation", e))?,
            classification: self.classification.into(),
            level: self.level.map(Into::into),
            parent: optional_id(
                self.parent.as_ref(),
                "Organization",
                OrganizationId::from_uuid,
            )?,
            life: Period::new(self.start.map(|d| d.0), self.end.map(|d| d.0))
                .map_err(|e| bad_input("end", e))?,
            other_names: self
                .other_names
                .iter()
                .enumerate()
                .map(|(i, o)| o.parse(&format!("otherNames[{i}]")))
                .collect::<ApiResult<_>>()?,
            predecessors: self
                .predecessors
                .iter()
                .map(|p| {
                    Ok(Succession {
                        predecessor: OrganizationId::from_uuid(expect(
                            &p.organization,
                            "Organization",
                        )?),
                        kind: p.kind.into(),
                        date: p.date.map(|d| d.0),
                    })
                })
                .collect::<ApiResult<_>>()?,
            identifiers: self
                .identifiers
                .iter()
                .enumerate()
                .map(|(i, o)| o.parse(&format!("identifiers[{i}]")))
                .collect::<ApiResult<_>>()?,
        })
    }
}

/// Input of `createOrganization`.
#[derive(InputObject)]
pub struct CreateOrganizationInput {
    /// The organization's fields.
    pub organization: OrganizationFields,
}

/// Input of `updateOrganization`.
#[derive(InputObject)]
pub struct UpdateOrganizationInput {
    /// The organization to update.
    pub id: ID,
    /// The new fields (they replace the old ones).
    pub organization: OrganizationFields,
}

/// Result of `createOrganization` and `updateOrganization`.
#[derive(SimpleObject)]
pub struct OrganizationPayload {
    /// The organization as stored.
    pub organization: OrganizationObject,
}

/// The fields of a post, as input (an update replaces them all).
#[derive(InputObject)]
pub struct PostFields {
    /// The organization the post belongs to.
    pub organization: ID,
    /// The title: "Chủ tịch", "Phó Bí thư Thường trực".
    pub title: String,
    /// How many may hold it at once (at least 1); null or omitted for an unlimited number.
    pub seats: Option<i32>,
    /// When the post was created.
    pub start: Option<PartialDateScalar>,
    /// When the post was abolished.
    pub end: Option<PartialDateScalar>,
}

impl PostFields {
    fn parse(&self) -> ApiResult<PostDetails> {
        let seats = match self.seats {
            None => Seats::Unlimited,
            Some(n) => {
                let n = u32::try_from(n)
                    .map_err(|_| bad_input("seats", format!("{n} is not a number of seats")))?;
                Seats::try_from(Some(n)).map_err(|e| bad_input("seats", e))?
            }
        };
        Ok(PostDetails {
            organization: OrganizationId::from_uuid(expect(&self.organization, "Organization")?),
            title: Text::parse(&self.title).map_err(|e| bad_input("title", e))?,
            seats,
            life: Period::new(self.start.map(|d| d.0), self.end.map(|d| d.0))
                .map_err(|e| bad_input("end", e))?,
        })
    }
}

/// Input of `createPost`.
#[derive(InputObject)]
pub struct CreatePostInput {
    /// The post's fields.
    pub post: PostFields,
}

/// Input of `updatePost`.
#[derive(InputObject)]
pub struct UpdatePostInput {
    /// The post to update.
    pub id: ID,
    /// The new fields (they replace the old ones).
    pub post: PostFields,
}

/// Result of `createPost` and `updatePost`.
#[derive(SimpleObject)]
pub struct PostPayload {
    /// The post as stored.
    pub post: PostObject,
}

/// The fields of a holding other than its person and post, as input (an update replaces them
/// all).
#[derive(InputObject)]
pub struct HoldingFields {
    /// When it began.
    pub start: Option<PartialDateScalar>,
    /// When it ended.
    pub end: Option<PartialDateScalar>,
    /// How it came about.
    pub kind: HoldingKind,
    /// The term it belongs to: "2020-2025".
    pub term: Option<String>,
    /// The document that made it, as cited.
    pub document: Option<String>,
    /// Why it ended (needs `end`).
    pub end_reason: Option<EndReasonInput>,
}

impl HoldingFields {
    fn parse(&self, person: PersonId, post: PostId) -> ApiResult<HoldingDetails> {
        Ok(HoldingDetails {
            person,
            post,
            period: Period::new(self.start.map(|d| d.0), self.end.map(|d| d.0))
                .map_err(|e| bad_input("end", e))?,
            kind: self.kind.into(),
            term: self
                .term
                .as_deref()
                .map(TermLabel::parse)
                .transpose()
                .map_err(|e| bad_input("term", e))?,
            document: self
                .document
                .as_deref()
                .map(Text::parse)
                .transpose()
                .map_err(|e| bad_input("document", e))?,
            end_reason: self
                .end_reason
                .as_ref()
                .map(|r| r.parse("endReason"))
                .transpose()?,
        })
    }
}

/// Input of `appoint`.
#[derive(InputObject)]
pub struct AppointInput {
    /// The person appointed (or elected).
    pub person: ID,
    /// The post.
    pub post: ID,
    /// The holding's fields.
    pub holding: HoldingFields,
}

/// Input of `updateHolding`.
#[derive(InputObject)]
pub struct UpdateHoldingInput {
    /// The holding to update; its person and post stay (a holding of another post or by
    /// another person is another holding).
    pub id: ID,
    /// The new fields (they replace the old ones).
    pub holding: HoldingFields,
}

/// Input of `endHolding`.
#[derive(InputObject)]
pub struct EndHoldingInput {
    /// The holding to end.
    pub id: ID,
    /// When it ended.
    pub end: PartialDateScalar,
    /// Why, when known.
    pub reason: Option<EndReasonInput>,
}

/// Result of `appoint`, `updateHolding` and `endHolding`.
#[derive(SimpleObject)]
pub struct HoldingPayload {
    /// The holding as stored.
    pub holding: HoldingObject,
}

/// Organizations, posts and holdings: queries.
#[derive(Default)]
pub struct OrganizationsQuery;

#[Object]
impl OrganizationsQuery {
    /// One organization by id.
    async fn organization(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> ApiResult<Option<OrganizationObject>> {
        let id = OrganizationId::from_uuid(expect(&id, "Organization")?);
        Ok(one(ctx, id).await?.map(OrganizationObject))
    }

    /// Organizations by name (folded, so "uy ban" finds "Ủy ban" and "Uỷ ban"). `name` matches
    /// word prefixes of the current name; `parent` keeps its direct children; `rootsOnly` keeps
    /// those without a parent (not together with `parent`).
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(
        clippy::too_many_arguments,
        reason = "a Relay connection field with its filters"
    )]
    async fn organizations(
        &self,
        ctx: &Context<'_>,
        classification: Option<Classification>,
        level: Option<Level>,
        parent: Option<ID>,
        #[graphql(default)] roots_only: bool,
        name: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Connection<String, OrganizationObject>> {
        let filter = OrganizationFilter {
            classification: classification.map(Into::into),
            level: level.map(Into::into),
            parent: optional_id(parent.as_ref(), "Organization", OrganizationId::from_uuid)?,
            roots_only,
            name,
        };
        let page = database(ctx)?
            .organizations(&filter, &page_request(first, after, last, before)?)
            .await
            .api()?;
        Ok(connection(page, OrganizationObject))
    }

    /// One post by id.
    async fn post(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<PostObject>> {
        let id = PostId::from_uuid(expect(&id, "Post")?);
        Ok(one(ctx, id).await?.map(PostObject))
    }

    /// One holding by id.
    async fn holding(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<HoldingObject>> {
        let id = HoldingId::from_uuid(expect(&id, "Holding")?);
        Ok(one(ctx, id).await?.map(HoldingObject))
    }
}

/// Organizations, posts and holdings: mutations.
#[derive(Default)]
pub struct OrganizationsMutation;

#[Object]
impl OrganizationsMutation {
    /// Records a new organization; its parent and predecessors must be recorded.
    async fn create_organization(
        &self,
        ctx: &Context<'_>,
        input: CreateOrganizationInput,
    ) -> ApiResult<OrganizationPayload> {
        let actor = editor(ctx)?;
        let organization = Organization::new(OrganizationId::new(), input.organization.parse()?)
            .map_err(|e| bad_input("organization", e))?;
        database(ctx)?
            .create_organization(&actor, &organization)
            .await
            .api()?;
        Ok(OrganizationPayload {
            organization: OrganizationObject(organization),
        })
    }

    /// Replaces an organization's fields. The parent must keep the tree a tree; a new life must
    /// still contain its posts and their holdings.
    async fn update_organization(
        &self,
        ctx: &Context<'_>,
        input: UpdateOrganizationInput,
    ) -> ApiResult<OrganizationPayload> {
        let actor = editor(ctx)?;
        let id = OrganizationId::from_uuid(expect(&input.id, "Organization")?);
        let organization = Organization::new(id, input.organization.parse()?)
            .map_err(|e| bad_input("organization", e))?;
        database(ctx)?
            .update_organization(&actor, &organization)
            .await
            .api()?;
        Ok(OrganizationPayload {
            organization: OrganizationObject(organization),
        })
    }

    /// Records a new post of a recorded organization, within the organization's life.
    async fn create_post(
        &self,
        ctx: &Context<'_>,
        input: CreatePostInput,
    ) -> ApiResult<PostPayload> {
        let actor = editor(ctx)?;
        let post =
            Post::new(PostId::new(), input.post.parse()?).map_err(|e| bad_input("post", e))?;
        database(ctx)?.create_post(&actor, &post).await.api()?;
        Ok(PostPayload {
            post: PostObject(post),
        })
    }

    /// Replaces a post's fields; fewer seats or another life must still fit its holdings.
    async fn update_post(
        &self,
        ctx: &Context<'_>,
        input: UpdatePostInput,
    ) -> ApiResult<PostPayload> {
        let actor = editor(ctx)?;
        let id = PostId::from_uuid(expect(&input.id, "Post")?);
        let post = Post::new(id, input.post.parse()?).map_err(|e| bad_input("post", e))?;
        database(ctx)?.update_post(&actor, &post).await.api()?;
        Ok(PostPayload {
            post: PostObject(post),
        })
    }

    /// Records that a person holds (or held) a post. Refused when the post's seats would be
    /// exceeded (the seat rule), when the person already holds the post over an overlapping
    /// period, when it begins after the person's death, or when it lies outside the life of the
    /// post or its organization.
    async fn appoint(&self, ctx: &Context<'_>, input: AppointInput) -> ApiResult<HoldingPayload> {
        let actor = editor(ctx)?;
        let person = PersonId::from_uuid(expect(&input.person, "Person")?);
        let post = PostId::from_uuid(expect(&input.post, "Post")?);
        let holding = Holding::new(HoldingId::new(), input.holding.parse(person, post)?)
            .map_err(|e| bad_input("holding", e))?;
        database(ctx)?.appoint(&actor, &holding).await.api()?;
        Ok(HoldingPayload {
            holding: HoldingObject(holding),
        })
    }

    /// Replaces a holding's fields (its person and post stay), under the same rules as
    /// `appoint`.
    async fn update_holding(
        &self,
        ctx: &Context<'_>,
        input: UpdateHoldingInput,
    ) -> ApiResult<HoldingPayload> {
        let actor = editor(ctx)?;
        let id = HoldingId::from_uuid(expect(&input.id, "Holding")?);
        // The person and post cannot change, so even a cached copy of the holding gives the
        // right ones; storage checks them again inside the write.
        let stored: Holding = one(ctx, id)
            .await?
            .ok_or_else(|| api_error(Code::NotFound, format!("holding {id} is not recorded")))?;
        let holding = Holding::new(id, input.holding.parse(stored.person, stored.post)?)
            .map_err(|e| bad_input("holding", e))?;
        database(ctx)?
            .update_holding(&actor, &holding)
            .await
            .api()?;
        Ok(HoldingPayload {
            holding: HoldingObject(holding),
        })
    }

    /// Ends a holding on `end`, for `reason` when given.
    async fn end_holding(
        &self,
        ctx: &Context<'_>,
        input: EndHoldingInput,
    ) -> ApiResult<HoldingPayload> {
        let actor = editor(ctx)?;
        let id = HoldingId::from_uuid(expect(&input.id, "Holding")?);
        let reason = input
            .reason
            .as_ref()
            .map(|r| r.parse("reason"))
            .transpose()?;
        let holding = database(ctx)?
            .end_holding(&actor, id, input.end.0, reason)
            .await
            .api()?;
        Ok(HoldingPayload {
            holding: HoldingObject(holding),
        })
    }
}
