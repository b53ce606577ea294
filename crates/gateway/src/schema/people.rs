//! People in the schema: the `Person` type, the `person`/`people` queries and the person
//! mutations.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use gazette_domain::award::RecipientRef;
use gazette_domain::date::Period;
use gazette_domain::identifier::{Identifier, OtherName};
use gazette_domain::ids::{OrganizationId, PersonId, PostId};
use gazette_domain::name::PersonName;
use gazette_domain::person::{Person, PersonDetails};
use gazette_domain::source::Subject;
use gazette_domain::text::Text;
use gazette_storage::PersonFilter;

use super::awards::AwardDecisionObject;
use super::connection::{connection, page_cost, page_request};
use super::context::{database, editor};
use super::error::{ApiResult, StorageResultExt, bad_input};
use super::ids::{expect, global_id};
use super::loaders::{AwardsReceivedOf, by_id, list, list_of, one};
use super::meetings::{MeetingObject, MeetingsChairedBy, MeetingsOf};
use super::organizations::{HoldingObject, positions_of};
use super::scalars::{DateScalar, PartialDateScalar};
use super::sources::{CitationObject, SourceObject, citations_of, sources_of};

// People referred to are loaded bare: their identifiers come through their own loader, and only
// when a query asks for them.
by_id!(PersonId, Person, people_by_ids_bare);
list_of!(
    /// Key: a person's identifiers.
    IdentifiersOfPerson,
    PersonId,
    gazette_domain::identifier::Identifier,
    identifiers_of_people
);

/// A person's gender as the sources record it.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "gazette_domain::person::Gender")]
pub enum Gender {
    /// Female (nữ).
    Female,
    /// Male (nam).
    Male,
    /// Recorded otherwise.
    Other,
}

/// Another name, with when it was used.
#[derive(SimpleObject, Clone)]
#[graphql(name = "OtherName")]
pub struct OtherNameObject {
    /// The name.
    pub name: String,
    /// What kind of name it is.
    pub note: Option<String>,
    /// When it came into use.
    pub start: Option<PartialDateScalar>,
    /// When it stopped being used.
    pub end: Option<PartialDateScalar>,
}

impl From<&OtherName> for OtherNameObject {
    fn from(other: &OtherName) -> Self {
        Self {
            name: other.name.to_string(),
            note: other.note.as_ref().map(ToString::to_string),
            start: other.period.start().map(PartialDateScalar),
            end: other.period.end().map(PartialDateScalar),
        }
    }
}

/// An identifier in another system (Wikidata, EveryPolitician, a ministry's register).
#[derive(SimpleObject, Clone)]
#[graphql(name = "Identifier")]
pub struct IdentifierObject {
    /// The scheme ("wikidata").
    pub scheme: String,
    /// The value within it ("Q123").
    pub identifier: String,
}

impl From<&Identifier> for IdentifierObject {
    fn from(identifier: &Identifier) -> Self {
        Self {
            scheme: identifier.scheme().to_owned(),
            identifier: identifier.value().to_owned(),
        }
    }
}

/// Another name, as input.
#[derive(InputObject)]
pub struct OtherNameInput {
    /// The name.
    pub name: String,
    /// What kind of name it is.
    pub note: Option<String>,
    /// When it came into use.
    pub start: Option<PartialDateScalar>,
    /// When it stopped being used.
    pub end: Option<PartialDateScalar>,
}

impl OtherNameInput {
    /// The domain value, or a bad-input error naming the field.
    pub fn parse(&self, field: &str) -> ApiResult<OtherName> {
        Ok(OtherName {
            name: Text::parse(&self.name).map_err(|e| bad_input(&format!("{field}.name"), e))?,
            note: self
                .note
                .as_deref()
                .map(Text::parse)
                .transpose()
                .map_err(|e| bad_input(&format!("{field}.note"), e))?,
            period: Period::new(self.start.map(|d| d.0), self.end.map(|d| d.0))
                .map_err(|e| bad_input(field, e))?,
        })
    }
}

/// An identifier, as input.
#[derive(InputObject)]
pub struct IdentifierInput {
    /// The scheme ("wikidata").
    pub scheme: String,
    /// The value within it.
    pub identifier: String,
}

impl IdentifierInput {
    /// The domain value, or a bad-input error naming the field.
    pub fn parse(&self, field: &str) -> ApiResult<Identifier> {
        Identifier::new(&self.scheme, &self.identifier).map_err(|e| bad_input(field, e))
    }
}

/// A person.
#[derive(Clone)]
pub struct PersonObject(pub Person);

/// A person: an official or anyone a record names.
#[Object(name = "Person")]
impl PersonObject {
    /// The global id.
    pub async fn id(&self) -> ID {
        global_id("Person", self.0.id().as_uuid())
    }

    /// The full name, as written ("Trần Việt Trường").
    async fn name(&self) -> &str {
        self.0.name.full()
    }

    /// The family name ("Trần").
    async fn family_name(&self) -> &str {
        self.0.name.family()
    }

    /// The middle names ("Việt"), possibly empty.
    async fn middle_name(&self) -> &str {
        self.0.name.middle()
    }

    /// The given name ("Trường"), by which official lists sort.
    async fn given_name(&self) -> &str {
        self.0.name.given()
    }

    /// A clerk's override of the sort order, when the name does not follow the usual pattern.
    async fn sort_override(&self) -> Option<&str> {
        self.0.name.sort_override()
    }

    /// Other names, with when they were used.
    async fn other_names(&self) -> Vec<OtherNameObject> {
        self.0
            .other_names
            .iter()
            .map(OtherNameObject::from)
            .collect()
    }

    /// Gender, when a source gives it.
    async fn gender(&self) -> Option<Gender> {
        self.0.gender.map(Gender::from)
    }

    /// Date of birth, as precisely as known.
    async fn birth_date(&self) -> Option<PartialDateScalar> {
        self.0.birth_date.map(PartialDateScalar)
    }

    /// Date of death, as precisely as known.
    async fn death_date(&self) -> Option<PartialDateScalar> {
        self.0.death_date.map(PartialDateScalar)
    }

    /// Identifiers in other systems.
    async fn identifiers(&self, ctx: &Context<'_>) -> ApiResult<Vec<IdentifierObject>> {
        Ok(list(ctx, IdentifiersOfPerson(self.0.id()))
            .await?
            .iter()
            .map(IdentifierObject::from)
            .collect())
    }

    /// "What did this person hold": their holdings active on `on` (every day a holding's
    /// partial dates may cover counts), or all of their holdings without `on`. Concurrent posts
    /// (kiêm nhiệm) are separate holdings.
    async fn positions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day; omit it for every holding, past and present.")] on: Option<
            DateScalar,
        >,
    ) -> ApiResult<Vec<HoldingObject>> {
        positions_of(ctx, self.0.id(), on.map(|d| d.0)).await
    }

    /// The meetings they chaired (chủ trì), in date order.
    async fn meetings_chaired(&self, ctx: &Context<'_>) -> ApiResult<Vec<MeetingObject>> {
        Ok(list(ctx, MeetingsChairedBy(self.0.id()))
            .await?
            .into_iter()
            .map(MeetingObject)
            .collect())
    }

    /// The meetings they chaired or attended, in date order.
    async fn meetings(&self, ctx: &Context<'_>) -> ApiResult<Vec<MeetingObject>> {
        Ok(list(ctx, MeetingsOf(self.0.id()))
            .await?
            .into_iter()
            .map(MeetingObject)
            .collect())
    }

    /// The award decisions they received as an individual, revoked ones included.
    async fn awards_received(&self, ctx: &Context<'_>) -> ApiResult<Vec<AwardDecisionObject>> {
        Ok(
            list(ctx, AwardsReceivedOf(RecipientRef::Person(self.0.id())))
                .await?
                .into_iter()
                .map(AwardDecisionObject::whole)
                .collect(),
        )
    }

    /// The citations of this record: which sources say what about it.
    async fn citations(&self, ctx: &Context<'_>) -> ApiResult<Vec<CitationObject>> {
        citations_of(ctx, Subject::Person(self.0.id())).await
    }

    /// The sources this record was recorded from, each once, in the order first cited.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceObject>> {
        sources_of(ctx, Subject::Person(self.0.id())).await
    }
}

/// The fields of a person, as input (an update replaces them all).
#[derive(InputObject)]
pub struct PersonFields {
    /// The full name; honorifics ("đồng chí", "ông", "bà") are stripped.
    pub name: String,
    /// Words in the order the name should sort by, when it does not follow the usual pattern
    /// ("Lềnh Hầu A").
    pub sort_override: Option<String>,
    /// Other names.
    #[graphql(default)]
    pub other_names: Vec<OtherNameInput>,
    /// Gender.
    pub gender: Option<Gender>,
    /// Date of birth.
    pub birth_date: Option<PartialDateScalar>,
    /// Date of death.
    pub death_date: Option<PartialDateScalar>,
    /// Identifiers in other systems.
    #[graphql(default)]
    pub identifiers: Vec<IdentifierInput>,
}

impl PersonFields {
    fn parse(&self) -> ApiResult<PersonDetails> {
        let mut name = PersonName::parse(&self.name).map_err(|e| bad_input("name", e))?;
        if let Some(sort_override) = &self.sort_override {
            name = name
                .with_sort_override(sort_override)
                .map_err(|e| bad_input("sortOverride", e))?;
        }
        Ok(PersonDetails {
            name,
            other_names: self
                .other_names
                .iter()
                .enumerate()
                .map(|(i, o)| o.parse(&format!("otherNames[{i}]")))
                .collect::<ApiResult<_>>()?,
            gender: self.gender.map(Into::into),
            birth_date: self.birth_date.map(|d| d.0),
            death_date: self.death_date.map(|d| d.0),
            identifiers: self
                .identifiers
                .iter()
                .enumerate()
                .map(|(i, o)| o.parse(&format!("identifiers[{i}]")))
                .collect::<ApiResult<_>>()?,
        })
    }
}

/// Input of `createPerson`.
#[derive(InputObject)]
pub struct CreatePersonInput {
    /// The person's fields.
    pub person: PersonFields,
}

/// Input of `updatePerson`.
#[derive(InputObject)]
pub struct UpdatePersonInput {
    /// The person to update.
    pub id: ID,
    /// The new fields (they replace the old ones).
    pub person: PersonFields,
}

/// Result of `createPerson` and `updatePerson`.
#[derive(SimpleObject)]
pub struct PersonPayload {
    /// The person as stored.
    pub person: PersonObject,
}

/// Person queries.
#[derive(Default)]
pub struct PeopleQuery;

#[Object]
impl PeopleQuery {
    /// One person by id.
    async fn person(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<PersonObject>> {
        let id = PersonId::from_uuid(expect(&id, "Person")?);
        Ok(one(ctx, id).await?.map(PersonObject))
    }

    /// People in the official list order (given name first). `name` matches word prefixes,
    /// ignoring case, diacritics and tone placement ("tran viet truong" finds Trần Việt Trường);
    /// `organization` and `post` keep those holding a post there, on the day `on` if given.
    #[graphql(complexity = "page_cost(first, last, child_complexity)")]
    #[allow(
        clippy::too_many_arguments,
        reason = "a Relay connection field with its filters"
    )]
    async fn people(
        &self,
        ctx: &Context<'_>,
        name: Option<String>,
        organization: Option<ID>,
        post: Option<ID>,
        on: Option<DateScalar>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<async_graphql::connection::Connection<String, PersonObject>> {
        let filter = PersonFilter {
            name,
            organization: organization
                .map(|id| expect(&id, "Organization").map(OrganizationId::from_uuid))
                .transpose()?,
            post: post
                .map(|id| expect(&id, "Post").map(PostId::from_uuid))
                .transpose()?,
            on: on.map(|d| d.0),
        };
        let page = database(ctx)?
            .people_bare(&filter, &page_request(first, after, last, before)?)
            .await
            .api()?;
        Ok(connection(page, PersonObject))
    }
}

/// Person mutations.
#[derive(Default)]
pub struct PeopleMutation;

#[Object]
impl PeopleMutation {
    /// Records a new person.
    async fn create_person(
        &self,
        ctx: &Context<'_>,
        input: CreatePersonInput,
    ) -> ApiResult<PersonPayload> {
        let actor = editor(ctx)?;
        let person = Person::new(PersonId::new(), input.person.parse()?)
            .map_err(|e| bad_input("person", e))?;
        database(ctx)?.create_person(&actor, &person).await.api()?;
        Ok(PersonPayload {
            person: PersonObject(person),
        })
    }

    /// Replaces a person's fields.
    async fn update_person(
        &self,
        ctx: &Context<'_>,
        input: UpdatePersonInput,
    ) -> ApiResult<PersonPayload> {
        let actor = editor(ctx)?;
        let id = PersonId::from_uuid(expect(&input.id, "Person")?);
        let person = Person::new(id, input.person.parse()?).map_err(|e| bad_input("person", e))?;
        database(ctx)?.update_person(&actor, &person).await.api()?;
        Ok(PersonPayload {
            person: PersonObject(person),
        })
    }
}
