//! People: create, update, read by id and in batches, and search by name, organization and post
//! held on a date.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use gazette_domain::holding::HoldingError;
use gazette_domain::ids::{OrganizationId, PersonId, PostId};
use gazette_domain::name::PersonName;
use gazette_domain::person::{Gender, Person, PersonDetails};
use gazette_domain::text::fold;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::convert::uuid_in;
use crate::convert::{from_json_text, now, partial_date, to_json_text};
use crate::entity::{holding, person, person_name_token, post};
use crate::error::StorageError;
use crate::keyset::{KeyKind, Keyset};
use crate::page::{Page, PageRequest};
use crate::{Database, identifiers};

pub(crate) const KIND: &str = "person";

/// Which people to list. Every field narrows the list; `on` applies to `organization` and
/// `post` (without it, any holding at any time counts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonFilter {
    /// Words the name must contain, as word prefixes, compared folded: "tran viet truong",
    /// "TRẦN VIỆT TRƯỜNG" and "viet tr" all find Trần Việt Trường. Other names count too.
    pub name: Option<String>,
    /// People holding a post of this organization.
    pub organization: Option<OrganizationId>,
    /// People holding this post.
    pub post: Option<PostId>,
    /// The day the holding must be active on.
    pub on: Option<NaiveDate>,
}

/// The words of a search: folded, split on anything that is not a letter or digit.
pub(crate) fn search_words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The upper bound of the keys that start with `prefix`, in binary order.
pub(crate) fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

fn tokens_of(person: &Person) -> BTreeSet<String> {
    let mut tokens: BTreeSet<String> = search_words(person.name.full()).into_iter().collect();
    for other in &person.other_names {
        tokens.extend(search_words(other.name.as_str()));
    }
    tokens
}

/// The rows of a person's search tokens.
pub(crate) fn token_rows(person: &Person) -> Vec<person_name_token::ActiveModel> {
    let id = person.id().as_uuid();
    tokens_of(person)
        .into_iter()
        .map(|token| person_name_token::ActiveModel {
            token: Set(token),
            person_id: Set(id),
        })
        .collect()
}

pub(crate) fn to_row(person: &Person) -> Result<person::ActiveModel, StorageError> {
    let at = now();
    Ok(person::ActiveModel {
        id: Set(person.id().as_uuid()),
        full_name: Set(person.name.full().to_owned()),
        name_fold: Set(person.name.fold()),
        sort_key: Set(person.name.sort_key()),
        sort_override: Set(person.name.sort_override().map(str::to_owned)),
        gender: Set(person.gender.map(|g| g.code().to_owned())),
        birth_date: Set(person.birth_date.map(|d| d.to_string())),
        death_date: Set(person.death_date.map(|d| d.to_string())),
        other_names: Set(to_json_text(&person.other_names)?),
        created_at: Set(at),
        updated_at: Set(at),
    })
}

fn from_row(
    row: person::Model,
    identifiers: Vec<gazette_domain::identifier::Identifier>,
) -> Result<Person, StorageError> {
    let corrupt = |problem: String| StorageError::corrupt(KIND, row.id, problem);
    let mut name =
        PersonName::parse_verbatim(&row.full_name).map_err(|e| corrupt(e.to_string()))?;
    if let Some(sort_override) = &row.sort_override {
        name = name
            .with_sort_override(sort_override)
            .map_err(|e| corrupt(e.to_string()))?;
    }
    let gender = match &row.gender {
        None => None,
        Some(code) => Some(
            Gender::from_code(code).ok_or_else(|| corrupt(format!("unknown gender {code:?}")))?,
        ),
    };
    let details = PersonDetails {
        name,
        other_names: from_json_text(KIND, row.id, &row.other_names)?,
        gender,
        birth_date: partial_date(KIND, row.id, row.birth_date.as_deref())?,
        death_date: partial_date(KIND, row.id, row.death_date.as_deref())?,
        identifiers,
    };
    Person::new(PersonId::from_uuid(row.id), details).map_err(|e| corrupt(e.to_string()))
}

async fn save_tokens(
    transaction: &impl ConnectionTrait,
    person: &Person,
) -> Result<(), StorageError> {
    let id = person.id().as_uuid();
    person_name_token::Entity::delete_many()
        .filter(person_name_token::Column::PersonId.eq(id))
        .exec(transaction)
        .await?;
    let rows = token_rows(person);
    if !rows.is_empty() {
        person_name_token::Entity::insert_many(rows)
            .exec_without_returning(transaction)
            .await?;
    }
    Ok(())
}

/// Turns person rows into domain values, with one more statement whatever their number,
/// keeping the rows' order.
async fn people_from_rows(
    db: &impl ConnectionTrait,
    rows: Vec<person::Model>,
) -> Result<Vec<Person>, StorageError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut identifiers = identifiers::load(db, KIND, &ids).await?;
    rows.into_iter()
        .map(|row| {
            let own = identifiers.remove(&row.id).unwrap_or_default();
            from_row(row, own)
        })
        .collect()
}

/// Reads one person inside a transaction (or from the reader) as a domain value.
pub(crate) async fn load_person(
    db: &impl ConnectionTrait,
    id: PersonId,
) -> Result<Person, StorageError> {
    let row = person::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or_else(|| StorageError::NotFound {
            kind: KIND,
            id: id.to_string(),
        })?;
    let mut identifiers = identifiers::load(db, KIND, &[row.id]).await?;
    let own = identifiers.remove(&row.id).unwrap_or_default();
    from_row(row, own)
}

impl Database {
    /// Records a new person.
    pub async fn create_person(&self, actor: &Actor, person: &Person) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        self.create_person_in(&transaction, actor, person).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// [`Self::create_person`] inside a write transaction the caller commits.
    pub(crate) async fn create_person_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        person: &Person,
    ) -> Result<(), StorageError> {
        person::Entity::insert(to_row(person)?)
            .exec_without_returning(transaction)
            .await?;
        save_tokens(transaction, person).await?;
        identifiers::save(
            transaction,
            KIND,
            person.id().as_uuid(),
            &person.identifiers,
        )
        .await?;
        audit::record(
            transaction,
            actor,
            "create",
            KIND,
            person.id().as_uuid(),
            person,
        )
        .await
    }

    /// Replaces a person's details. A date of death may not fall before the start of any of
    /// the person's holdings.
    pub async fn update_person(&self, actor: &Actor, person: &Person) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        self.update_person_in(&transaction, actor, person).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// [`Self::update_person`] inside a write transaction the caller commits.
    pub(crate) async fn update_person_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        person: &Person,
    ) -> Result<(), StorageError> {
        let id = person.id().as_uuid();
        let existing = person::Entity::find_by_id(id)
            .one(transaction)
            .await?
            .ok_or_else(|| StorageError::NotFound {
                kind: KIND,
                id: id.to_string(),
            })?;
        if let Some(death) = person.death_date {
            let late = holding::Entity::find()
                .filter(holding::Column::PersonId.eq(id))
                .filter(holding::Column::ActiveFrom.gt(death.last_day()))
                .one(transaction)
                .await?;
            if let Some(late) = late {
                let start = partial_date("holding", late.id, late.start_date.as_deref())?;
                if let Some(start) = start {
                    return Err(HoldingError::BeginsAfterDeath {
                        person: person.name.full().to_owned(),
                        death,
                        start,
                    }
                    .into());
                }
            }
        }
        let mut row = to_row(person)?;
        row.created_at = Set(existing.created_at);
        person::Entity::update(row).exec(transaction).await?;
        save_tokens(transaction, person).await?;
        identifiers::save(transaction, KIND, id, &person.identifiers).await?;
        audit::record(transaction, actor, "update", KIND, id, person).await
    }

    /// The person holding the identifier `scheme:value` (compared after the normalization
    /// [`Identifier::new`](gazette_domain::identifier::Identifier::new) applies), if any: importers match records on it before anything else.
    pub async fn person_by_identifier(
        &self,
        scheme: &str,
        value: &str,
    ) -> Result<Option<Person>, StorageError> {
        self.person_by_identifier_in(self.reader(), scheme, value)
            .await
    }

    /// [`Self::person_by_identifier`] through `db`: inside a write transaction, it sees the
    /// transaction's own writes.
    pub(crate) async fn person_by_identifier_in(
        &self,
        db: &impl ConnectionTrait,
        scheme: &str,
        value: &str,
    ) -> Result<Option<Person>, StorageError> {
        let Some(id) = identifiers::find(db, KIND, scheme, value).await? else {
            return Ok(None);
        };
        let rows = person::Entity::find_by_id(id).all(db).await?;
        Ok(people_from_rows(db, rows).await?.pop())
    }

    /// The people whose folded full name is exactly `name_fold` once folded (so a written
    /// name works as well as a folded one: "TRẦN VIỆT TRƯỜNG" and "tran viet truong" both find
    /// Trần Việt Trường, "Trần Việt" does not), ordered by id. Other names are not compared.
    /// One indexed lookup, for importers matching a name to its candidates.
    pub async fn people_by_folded_name(
        &self,
        name_fold: &str,
    ) -> Result<Vec<Person>, StorageError> {
        let folded = fold(name_fold);
        if folded.is_empty() {
            return Ok(Vec::new());
        }
        let rows = person::Entity::find()
            .filter(person::Column::NameFold.eq(folded))
            .order_by_asc(person::Column::Id)
            .all(self.reader())
            .await?;
        people_from_rows(self.reader(), rows).await
    }

    /// One person.
    pub async fn person(&self, id: PersonId) -> Result<Person, StorageError> {
        self.people_by_ids(&[id])
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| StorageError::NotFound {
                kind: KIND,
                id: id.to_string(),
            })
    }

    /// The people with these ids (those that exist), in two statements whatever their number.
    pub async fn people_by_ids(&self, ids: &[PersonId]) -> Result<Vec<Person>, StorageError> {
        let uuids: Vec<Uuid> = ids.iter().map(PersonId::as_uuid).collect();
        if uuids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = person::Entity::find()
            .filter(uuid_in(
                self.reader(),
                person::Column::Id,
                uuids.iter().copied(),
            ))
            .all(self.reader())
            .await?;
        people_from_rows(self.reader(), rows).await
    }

    /// The people with these ids (those that exist) *without their identifiers*, which are
    /// left empty: one statement whatever their number, where [`Self::people_by_ids`] takes
    /// two. For readers that load identifiers apart ([`Self::identifiers_of_people`]) and only
    /// when they are asked for, as the API does.
    pub async fn people_by_ids_bare(&self, ids: &[PersonId]) -> Result<Vec<Person>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        person::Entity::find()
            .filter(uuid_in(
                self.reader(),
                person::Column::Id,
                ids.iter().map(PersonId::as_uuid),
            ))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|row| from_row(row, Vec::new()))
            .collect()
    }

    /// The identifiers of each of these people, in their recorded order, in one statement;
    /// every id asked about has an entry, empty when it has none.
    pub async fn identifiers_of_people(
        &self,
        ids: &[PersonId],
    ) -> Result<HashMap<PersonId, Vec<gazette_domain::identifier::Identifier>>, StorageError> {
        let uuids: Vec<Uuid> = ids.iter().map(PersonId::as_uuid).collect();
        let mut loaded = identifiers::load(self.reader(), KIND, &uuids).await?;
        Ok(ids
            .iter()
            .map(|id| (*id, loaded.remove(&id.as_uuid()).unwrap_or_default()))
            .collect())
    }

    /// People in the official list order (given name first; see `PersonName::sort_key`).
    pub async fn people(
        &self,
        filter: &PersonFilter,
        page: &PageRequest,
    ) -> Result<Page<Person>, StorageError> {
        let mut select = person::Entity::find();
        if let Some(name) = &filter.name {
            let words = search_words(name);
            if words.is_empty() {
                return Err(StorageError::InvalidInput(format!(
                    "the name search {name:?} has no letters or digits"
                )));
            }
            for word in words.iter().take(8) {
                let matching = Query::select()
                    .column(person_name_token::Column::PersonId)
                    .from(person_name_token::Entity)
                    .and_where(Expr::col(person_name_token::Column::Token).gte(word.clone()))
                    .and_where(Expr::col(person_name_token::Column::Token).lt(prefix_end(word)))
                    .to_owned();
                select = select.filter(person::Column::Id.in_subquery(matching));
            }
        }
        if filter.organization.is_some() || filter.post.is_some() {
            let mut holders = Query::select();
            holders
                .column((holding::Entity, holding::Column::PersonId))
                .from(holding::Entity)
                .inner_join(
                    post::Entity,
                    Expr::col((post::Entity, post::Column::Id))
                        .equals((holding::Entity, holding::Column::PostId)),
                );
            if let Some(post_id) = filter.post {
                holders.and_where(
                    Expr::col((holding::Entity, holding::Column::PostId)).eq(post_id.as_uuid()),
                );
            }
            if let Some(organization) = filter.organization {
                holders.and_where(
                    Expr::col((post::Entity, post::Column::OrganizationId))
                        .eq(organization.as_uuid()),
                );
            }
            if let Some(day) = filter.on {
                holders.cond_where(active_on(day));
            }
            select = select.filter(person::Column::Id.in_subquery(holders.to_owned()));
        }
        let keyset = Keyset::<person::Entity>::new(vec![
            (person::Column::SortKey, KeyKind::Text),
            (person::Column::Id, KeyKind::Uuid),
        ]);
        let rows = keyset.fetch(select, page, self.reader()).await?;
        let models: Vec<person::Model> = rows.edges.iter().map(|e| e.node.clone()).collect();
        let mut people: HashMap<Uuid, Person> = people_from_rows(self.reader(), models)
            .await?
            .into_iter()
            .map(|p| (p.id().as_uuid(), p))
            .collect();
        rows.try_map(|row| {
            people.remove(&row.id).ok_or_else(|| {
                StorageError::internal(format!("person {} vanished while reading a page", row.id))
            })
        })
    }
}

/// Holdings active on `day`: the first day their start covers is on or before it, and the last
/// day their end covers is on or after it (see `gazette_domain::date`).
pub(crate) fn active_on(day: NaiveDate) -> Condition {
    Condition::all()
        .add(
            Condition::any()
                .add(Expr::col((holding::Entity, holding::Column::ActiveFrom)).is_null())
                .add(Expr::col((holding::Entity, holding::Column::ActiveFrom)).lte(day)),
        )
        .add(
            Condition::any()
                .add(Expr::col((holding::Entity, holding::Column::ActiveTo)).is_null())
                .add(Expr::col((holding::Entity, holding::Column::ActiveTo)).gte(day)),
        )
}
