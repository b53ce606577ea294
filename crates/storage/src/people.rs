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
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, Set,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::convert::{from_json_text, now, partial_date, to_json_text};
use crate::convert::{json_record, json_uuid, uuid_in};
use crate::entity::{holding, person, person_name_combination, person_name_token, post};
use crate::error::StorageError;
use crate::estimates::{Estimates, Figure};
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

/// A search's words without those another word implies: a word that begins another ("q" in
/// "nguyen quang q") or repeats one. Each word may match any of a name's words, the same one
/// as another word included, so a person with a word beginning with "quang" has one beginning
/// with "q": dropping "q" finds the same people, and the plan is not misled into thinking
/// "quang" and "q" narrow the search independently.
pub(crate) fn essential_words(words: Vec<String>) -> Vec<String> {
    words
        .iter()
        .enumerate()
        .filter(|(index, word)| {
            !words.iter().enumerate().any(|(other, longer)| {
                other != *index
                    && longer.starts_with(word.as_str())
                    && (longer.len() > word.len() || other < *index)
            })
        })
        .map(|(_, word)| word.clone())
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
    let sort_key = person.name.sort_key();
    tokens_of(person)
        .into_iter()
        .map(|token| person_name_token::ActiveModel {
            token: Set(token),
            person_id: Set(id),
            sort_key: Set(sort_key.clone()),
        })
        .collect()
}

/// The most distinct name tokens a person may have for their pairs and triples to be stored
/// (eight make 28 pairs and 56 triples; the migration that made the table uses the same
/// bound). A person with more (a long name, many other names) has one row of empty tokens
/// instead, and a search of two or more words checks those people one by one.
pub(crate) const MAX_COMBINED_TOKENS: usize = 8;

/// The pairs and triples of distinct `tokens` (in binary order, each combination's tokens in
/// that order; a pair's third is empty), or the one combination of empty tokens when there are
/// more than [`MAX_COMBINED_TOKENS`].
pub(crate) fn combinations(tokens: &BTreeSet<String>) -> Vec<[&str; 3]> {
    if tokens.len() > MAX_COMBINED_TOKENS {
        return vec![["", "", ""]];
    }
    let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let mut combinations = Vec::new();
    for (a, first) in tokens.iter().enumerate() {
        for (b, second) in tokens.iter().enumerate().skip(a + 1) {
            combinations.push([*first, *second, ""]);
            for third in tokens.iter().skip(b + 1) {
                combinations.push([*first, *second, *third]);
            }
        }
    }
    combinations
}

/// The rows of a person's token pairs and triples ([`combinations`]).
pub(crate) fn combination_rows(person: &Person) -> Vec<person_name_combination::ActiveModel> {
    let id = person.id().as_uuid();
    let sort_key = person.name.sort_key();
    combinations(&tokens_of(person))
        .into_iter()
        .map(
            |[first, second, third]| person_name_combination::ActiveModel {
                person_id: Set(id),
                first: Set(first.to_owned()),
                second: Set(second.to_owned()),
                third: Set(third.to_owned()),
                sort_key: Set(sort_key.clone()),
            },
        )
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
    let columns = PersonColumns(
        row.id,
        row.full_name,
        row.sort_override,
        row.gender,
        row.birth_date,
        row.death_date,
        row.other_names,
    );
    from_columns(columns, identifiers)
}

/// The columns of a person's row that make the person (all but the folded name, the sort key
/// and the timestamps), in the order [`person_json`] writes them.
#[derive(Debug, Deserialize)]
pub(crate) struct PersonColumns(
    Uuid,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

impl PersonColumns {
    /// The person's id.
    pub(crate) fn id(&self) -> Uuid {
        self.0
    }
}

/// SQL for the person row `table` (joined into a statement, possibly with none) as a JSON
/// array of its [`PersonColumns`], or NULL when there is none (see
/// [`crate::organizations::organization_json`]).
pub(crate) fn person_json(backend: DbBackend, table: &str) -> String {
    let columns = [
        json_uuid(backend, &format!("{table}.id")),
        format!("{table}.full_name"),
        format!("{table}.sort_override"),
        format!("{table}.gender"),
        format!("{table}.birth_date"),
        format!("{table}.death_date"),
        format!("{table}.other_names"),
    ];
    json_record(backend, table, &columns)
}

/// A bare person (no identifiers, as [`joined_person`] reads one) from the columns
/// [`person_json`] wrote.
pub(crate) fn person_from_json(columns: PersonColumns) -> Result<Person, StorageError> {
    from_columns(columns, Vec::new())
}

fn from_columns(
    PersonColumns(id, full_name, sort_override, gender, birth_date, death_date, other_names): PersonColumns,
    identifiers: Vec<gazette_domain::identifier::Identifier>,
) -> Result<Person, StorageError> {
    let corrupt = |problem: String| StorageError::corrupt(KIND, id, problem);
    let mut name = PersonName::parse_verbatim(&full_name).map_err(|e| corrupt(e.to_string()))?;
    if let Some(sort_override) = &sort_override {
        name = name
            .with_sort_override(sort_override)
            .map_err(|e| corrupt(e.to_string()))?;
    }
    let gender = match &gender {
        None => None,
        Some(code) => Some(
            Gender::from_code(code).ok_or_else(|| corrupt(format!("unknown gender {code:?}")))?,
        ),
    };
    let details = PersonDetails {
        name,
        other_names: from_json_text(KIND, id, &other_names)?,
        gender,
        birth_date: partial_date(KIND, id, birth_date.as_deref())?,
        death_date: partial_date(KIND, id, death_date.as_deref())?,
        identifiers,
    };
    Person::new(PersonId::from_uuid(id), details).map_err(|e| corrupt(e.to_string()))
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
    person_name_combination::Entity::delete_many()
        .filter(person_name_combination::Column::PersonId.eq(id))
        .exec(transaction)
        .await?;
    let rows = combination_rows(person);
    if !rows.is_empty() {
        person_name_combination::Entity::insert_many(rows)
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
    ///
    /// A name search (`filter.name`) keeps every person one of whose name words begins with
    /// each of the search's words. How it is asked depends on how common the words are, so
    /// that a search is fast on a national register where "nguyen" begins the name of a third
    /// of the people: either people are walked in list order and each is checked for the
    /// words (cheap when the words are common together: the walk stops after one page), or
    /// the people matching the rarest words are read from their token ranges and the page is
    /// sorted from them. On PostgreSQL the choice follows the planner's estimates of each
    /// word's matches ([`plan_search`]) and is written into the statement's shape, which
    /// leaves PostgreSQL one way to run it (see [`search_session`]); each search runs under a
    /// statement timeout of [`NAME_SEARCH_TIMEOUT`]: one that exceeds it fails as invalid
    /// input ("narrow the search") instead of holding a connection that other requests wait
    /// for. On SQLite the choice follows the same costs, from the number of
    /// people and each word's matches counted up to [`RARE_WORD_MATCHES`] ([`counted_matches`]).
    pub async fn people(
        &self,
        filter: &PersonFilter,
        page: &PageRequest,
    ) -> Result<Page<Person>, StorageError> {
        self.people_reading(filter, page, true).await
    }

    /// [`Self::people`] with each person bare (without identifiers), as
    /// [`Self::people_by_ids_bare`] reads them: for readers that load identifiers on their own,
    /// one statement fewer.
    pub async fn people_bare(
        &self,
        filter: &PersonFilter,
        page: &PageRequest,
    ) -> Result<Page<Person>, StorageError> {
        self.people_reading(filter, page, false).await
    }

    /// [`Self::people`], with the people's identifiers or without.
    async fn people_reading(
        &self,
        filter: &PersonFilter,
        page: &PageRequest,
        identifiers: bool,
    ) -> Result<Page<Person>, StorageError> {
        let Some(name) = &filter.name else {
            return self
                .people_in(self.reader(), filter, &[], page, identifiers)
                .await;
        };
        let mut words = search_words(name);
        if words.is_empty() {
            return Err(StorageError::InvalidInput(format!(
                "the name search {name:?} has no letters or digits"
            )));
        }
        words.truncate(MAX_NAME_WORDS);
        let words = essential_words(words);
        let Some(searcher) = self.searcher() else {
            if self.engine() == crate::Engine::Postgres {
                return Err(StorageError::internal(
                    "a PostgreSQL database without its name search pool",
                ));
            }
            // An in-memory SQLite database: its one connection, with no timeout.
            return self
                .people_in(self.reader(), filter, &words, page, identifiers)
                .await;
        };
        // The search's pool stops each statement at the search's timeout (on PostgreSQL its
        // sessions carry the search's settings, search_session: no transaction around each
        // search to set them, which cost three more round trips).
        self.people_in(searcher, filter, &words, page, identifiers)
            .await
            .map_err(|error| timed_out_search(error, name))
    }

    /// [`Self::people_reading`] on `db`, with the search's folded `words` (none: no name
    /// search).
    async fn people_in(
        &self,
        db: &impl ConnectionTrait,
        filter: &PersonFilter,
        words: &[String],
        page: &PageRequest,
        identifiers: bool,
    ) -> Result<Page<Person>, StorageError> {
        let plan = if words.is_empty() {
            None
        } else {
            let narrowed = filter.organization.is_some() || filter.post.is_some();
            Some(self.search_plan(db, words, page, narrowed).await?)
        };
        self.people_planned(db, filter, words, plan.as_ref(), page, identifiers)
            .await
    }

    /// How a name search of the folded `words` (at least one) runs on `db`, from the engine's
    /// figures.
    async fn search_plan(
        &self,
        db: &impl ConnectionTrait,
        words: &[String],
        page: &PageRequest,
        narrowed: bool,
    ) -> Result<SearchPlan, StorageError> {
        if narrowed {
            // A search narrowed to a post's or an organization's holders starts from them
            // (a few, or a few hundred, whatever the register's size; see
            // `people_planned`) and checks each for every word. The plans that stop each
            // token's (or combination's) walk after a page cannot filter by post held (a page
            // of a token's first bearers may hold none of the holders), and walking the list
            // or reading a common word's bearers grows with the register.
            return Ok(SearchPlan::Walk);
        }
        let estimates = self.estimates();
        let postgres = db.get_database_backend() == sea_orm::DbBackend::Postgres;
        let (people, matches) = if postgres {
            estimate_matches(db, estimates, words).await?
        } else {
            counted_matches(db, estimates, words).await?
        };
        let costs = if postgres {
            &POSTGRES_COSTS
        } else {
            &SQLITE_COSTS
        };
        if words.len() >= 2 {
            let tokens = distinct_tokens(db, estimates, words).await?;
            let tokens: Vec<Option<usize>> = tokens.into_iter().map(Some).collect();
            return Ok(plan_search_combining(
                costs, people, &matches, page.size, &tokens,
            ));
        }
        let tokens = match rarest_word(&matches) {
            Some(rarest) => distinct_tokens(db, estimates, &words[rarest..=rarest])
                .await?
                .first()
                .copied(),
            None => None,
        };
        Ok(plan_search(costs, people, &matches, page.size, tokens))
    }

    /// [`Self::people_in`] with the name search's `plan` chosen (`None`: no name search).
    async fn people_planned(
        &self,
        db: &impl ConnectionTrait,
        filter: &PersonFilter,
        words: &[String],
        plan: Option<&SearchPlan>,
        page: &PageRequest,
        identifiers: bool,
    ) -> Result<Page<Person>, StorageError> {
        let mut select = person::Entity::find();
        let keyset = Keyset::<person::Entity>::new(vec![
            (person::Column::SortKey, KeyKind::Text),
            (person::Column::Id, KeyKind::Uuid),
        ]);
        if let Some(plan) = plan {
            select = apply_search_plan(select, db, words, plan, &keyset, page)?;
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
            if words.is_empty() || db.get_database_backend() != DbBackend::Postgres {
                select = select.filter(person::Column::Id.in_subquery(holders.to_owned()));
            } else {
                // With a name search, the holders are computed first (an init plan) and each
                // looked up by id and checked for the words: as a plain subquery the planner
                // may walk the list in order, checking each person for the words and the
                // holding ("tran thi h" in a provincial Party committee ran past the search's
                // 2 s on a national register).
                select = select.filter(person_among_computed_first(holders.to_owned()));
            }
        }
        let rows = keyset.fetch(select, page, db).await?;
        if !identifiers {
            return rows.try_map(|row| from_row(row, Vec::new()));
        }
        let models: Vec<person::Model> = rows.edges.iter().map(|e| e.node.clone()).collect();
        let mut people: HashMap<Uuid, Person> = people_from_rows(db, models)
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

/// At most this many words of a name search are used.
const MAX_NAME_WORDS: usize = 8;

/// On SQLite a name search word's matches are counted up to this many; a word with more is
/// never read first (see [`counted_matches`]).
pub const RARE_WORD_MATCHES: u64 = 20_000;

/// How long each statement of a name search may run, on either engine (PostgreSQL's
/// `statement_timeout`; on SQLite the search pool's deadline, see `read_pool`).
pub const NAME_SEARCH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// The settings of the PostgreSQL sessions name searches run on (their own pool): each
/// statement stops at [`NAME_SEARCH_TIMEOUT`], and JIT compiling a search's plan takes longer
/// than running it.
///
/// Plans are left to PostgreSQL's default, which after a prepared statement's first runs
/// keeps its generic plan when that costs no more than planning each run anew. A generic plan
/// cannot tell "nguyen" (a third of a national register) from "quynh", but it has no choice
/// to make here: [`plan_search`] chooses how a search runs from the words' figures and writes
/// that into the statement (the matches computed first as an init plan, then each person
/// looked up by id; or the list walked in order with each word checked per person, where
/// `OFFSET 0` keeps the check from becoming a join; or the rarest word's tokens walked one by
/// one), so its generic plan is the plan made for the values. Planning each search again
/// (searches used to force custom plans) was a quarter of its time in the database.
pub(crate) fn search_session() -> [(&'static str, String); 2] {
    [
        (
            "statement_timeout",
            NAME_SEARCH_TIMEOUT.as_millis().to_string(),
        ),
        ("jit", "off".to_owned()),
    ]
}

/// Tokens that begin with `word`: a range of the token index.
fn token_range(word: &str) -> Condition {
    Condition::all()
        .add(Expr::col(person_name_token::Column::Token).gte(word))
        .add(Expr::col(person_name_token::Column::Token).lt(prefix_end(word)))
}

/// The ids of the people one of whose name words begins with `word` (an index range scan).
fn word_matches(word: &str) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(person_name_token::Column::PersonId)
        .from(person_name_token::Entity)
        .cond_where(token_range(word))
        .to_owned()
}

/// Whether the person of the outer row has a name word beginning with `word`: a lookup of
/// that person's few tokens (by the person index). On PostgreSQL `OFFSET 0` keeps it a per-row
/// check: without it the planner may turn it into a join that reads every person matching a
/// common word.
fn word_probe(word: &str, postgres: bool) -> sea_orm::sea_query::SelectStatement {
    let mut probe = Query::select();
    probe
        .expr(Expr::val(1))
        .from(person_name_token::Entity)
        .and_where(
            Expr::col((
                person_name_token::Entity,
                person_name_token::Column::PersonId,
            ))
            .equals((person::Entity, person::Column::Id)),
        );
    if postgres {
        // The token's beginning compared, not the token: no index on the token serves the
        // probe, so it reads the person's few tokens by the person index. (Without statistics
        // the planner may otherwise pick the key (token, person_id) and read the word's whole
        // range for every person checked.)
        probe
            .and_where(Expr::cust_with_exprs(
                format!("substr($1, 1, {}) = $2", word.chars().count()),
                [
                    Expr::col((person_name_token::Entity, person_name_token::Column::Token)),
                    Expr::val(word),
                ],
            ))
            .offset(0);
    } else {
        probe.cond_where(token_range(word));
    }
    probe
}

/// How a name search finds its people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SearchPlan {
    /// Walk people in list order and check each for every word: for words common together.
    Walk,
    /// Read the people matching every word of `intersect` (their token ranges intersected),
    /// then check each of them for the words of `probe` (indexes into the words).
    Matches {
        intersect: Vec<usize>,
        probe: Vec<usize>,
    },
    /// Walk the bearers of word `driver` in list order, one ordered index range per distinct
    /// token that begins with it (they are few), and check each for the words of `probe`; each
    /// range stops after a page: for a word whose bearers find the others soon.
    Ordered { driver: usize, probe: Vec<usize> },
    /// Read the bearers of every combination of tokens, one from the range of each word of
    /// `key` (two or three words, in binary order), in list order from the token pairs and
    /// triples of `person_name_combination`, each combination stopping after a page, and check
    /// each for the words of `probe`: for two or three words whose ranges hold few tokens, however
    /// many people bear each of them. People with too many tokens to combine are checked for
    /// every word, one by one.
    Combined { key: Vec<usize>, probe: Vec<usize> },
}

/// Relative costs for [`plan_search`], in microseconds on a small server, for each engine.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SearchCosts {
    /// Reading one entry of a word's token range (into an intersection).
    scan: f64,
    /// Checking one person for one word.
    probe: f64,
    /// Reading one person by id (and sorting them).
    fetch: f64,
    /// Finding the start of one token's bearers (or the next distinct token) in an index.
    seek: f64,
    /// Reading the next of a combination's bearers, in list order ([`SearchPlan::Combined`]).
    step: f64,
    /// Finding a combination's first bearer, or a key word's next distinct token
    /// ([`SearchPlan::Combined`]).
    key_seek: f64,
    /// Where matches are counted only up to a cap (SQLite's [`RARE_WORD_MATCHES`]), the cap. A
    /// word at it (given as matching everyone, [`planned_matches`]) is read as dear as
    /// everyone's tokens. Where the plans estimate how many people pass before a page is full,
    /// it is weighed as found among the cap's share of people when the list itself is walked
    /// ([`Self::walked_share`]), and among the geometric mean of the shares it may have, from
    /// the cap's to everyone, when its own or another word's bearers are ([`Self::share`]).
    /// Weighed as found among everyone, a search of common words only ("ho dinh quy") looked
    /// cheapest by walking the list, and took 1.7 s at a million people; and a common word is
    /// most often a family name, whose bearers the list (given name first, then family name)
    /// holds in runs: a walk for "nguyen" passes every An of a family before Nguyễn first.
    capped: Option<f64>,
}

impl SearchCosts {
    /// The share of `people` a word of `matches` is weighed as found among by the plans that
    /// walk a word's (or a combination's) bearers: its matches' share, or for a word at the
    /// cap of counting ([`Self::capped`]) the geometric mean of the cap's share and everyone
    /// (a tenth of a register of a million people, under half of one of a hundred thousand).
    fn share(&self, people: f64, matches: f64) -> f64 {
        match self.capped {
            Some(cap) if matches >= cap.max(people) => (cap / people).clamp(0.0, 1.0).sqrt(),
            _ => (matches / people).clamp(0.0, 1.0),
        }
    }

    /// [`Self::share`] for walking the list itself: for a word at the cap, the cap's share.
    fn walked_share(&self, people: f64, matches: f64) -> f64 {
        match self.capped {
            Some(cap) if matches >= cap.max(people) => (cap / people).clamp(0.0, 1.0),
            _ => self.share(people, matches),
        }
    }
}

/// PostgreSQL's costs.
pub(crate) const POSTGRES_COSTS: SearchCosts = SearchCosts {
    scan: 0.3,
    probe: 5.0,
    fetch: 5.0,
    seek: 10.0,
    step: 0.3,
    key_seek: 10.0,
    capped: None,
};

/// SQLite's, fitted on a register of ten thousand people (the benchmark's size s): each of
/// the 164 distinct name prefixes of its sample run under every plan, and these the costs
/// under which the plans chosen take the least time in all (0.40 ms a search on average,
/// where the fastest plan of each would take 0.36, and 0.54 with the former costs and two
/// plans; fitted on either half of the prefixes, they cut the other half's total by a quarter
/// against the former costs). A check reads the person's tokens from a covering index in the
/// library's own thread, cheap beside PostgreSQL's per-row subplan; an intersection builds
/// temporary trees ("nguyen van": the walk 0.16 ms, the intersection 2.3 ms), and a walk of a
/// word's bearers in list order steps through a recursive query, a row at a time, which
/// `seek` stands for. The combinations' costs (`step`, `key_seek`) were fitted the same way
/// afterwards, the others kept, on the samples of size s and of size m (a hundred thousand
/// people): the plans chosen took 54.5 ms for size s's 164 prefixes (75.7 without the
/// combinations; 47.5 if the fastest plan of each were chosen) and 87.8 ms for size m's 165
/// (445.5 without; 67.2 the fastest).
pub(crate) const SQLITE_COSTS: SearchCosts = SearchCosts {
    scan: 0.43,
    probe: 0.5,
    fetch: 5.0,
    seek: 40.0,
    step: 1.0,
    key_seek: 5.0,
    capped: Some(RARE_WORD_MATCHES as f64),
};

/// The most distinct tokens a word's range may hold for [`SearchPlan::Ordered`] to walk it
/// (one ordered range each).
pub(crate) const MAX_DRIVER_TOKENS: usize = 16;

/// The most distinct tokens a word may hold to be one of [`SearchPlan::Combined`]'s key words
/// (each combination is one seek); words' tokens are counted up to one more than this.
pub(crate) const MAX_KEY_TOKENS: usize = 64;

/// How much longer a walk of the list takes than the words' shares suggest, by the number of
/// words. People are listed given name first, and the last of three words is usually (the
/// beginning of) a given name, whose bearers stand together somewhere in the list instead of
/// spread through it: the walk passes everyone before them ("tran van p" walked for seconds on
/// the generated national register). Two words are usually a family and a middle name, spread
/// through the list, but sometimes a given name; one word is spread or cheap either way.
fn walk_clustering(words: usize) -> f64 {
    match words {
        0 | 1 => 1.0,
        2 => 3.0,
        _ => 20.0,
    }
}

/// The word with the fewest estimated matches (the first of equals): the one a plan starts
/// from.
pub(crate) fn rarest_word(matches: &[f64]) -> Option<usize> {
    (0..matches.len()).min_by(|a, b| matches[*a].total_cmp(&matches[*b]))
}

/// Chooses a name search's plan from the number of people and the estimated matches of each
/// word: walking the list costs a check per word for every person passed before a page is
/// full (few when the words are common together); starting from the matches costs reading
/// the rarest words' token ranges, intersected, then a check per person left for each other
/// word, then reading and sorting them; walking the rarest word's bearers in list order
/// (possible when `driver_tokens`, the number of distinct tokens in the range of
/// [`rarest_word`], is known)
/// costs a seek per token and a check of the other words for every bearer passed before a
/// page is full.
pub(crate) fn plan_search(
    costs: &SearchCosts,
    people: f64,
    matches: &[f64],
    page: u32,
    driver_tokens: Option<usize>,
) -> SearchPlan {
    plan_costed(costs, people, matches, page, driver_tokens).1
}

/// [`plan_search`]'s choice with its estimated cost.
fn plan_costed(
    costs: &SearchCosts,
    people: f64,
    matches: &[f64],
    page: u32,
    driver_tokens: Option<usize>,
) -> (f64, SearchPlan) {
    let people = people.max(1.0);
    let share = |n: f64| costs.share(people, n);
    let wanted = f64::from(page) + 1.0;
    let words = matches.len() as f64;
    let clustering = walk_clustering(matches.len());
    let together: f64 = matches
        .iter()
        .map(|n| costs.walked_share(people, *n))
        .product();
    let walked = if together > 0.0 {
        (wanted / together).min(people)
    } else {
        people
    };
    let walk = walked * costs.probe * words * clustering;

    let Some(first) = rarest_word(matches) else {
        return (walk, SearchPlan::Walk);
    };
    let mut rest: Vec<usize> = (0..matches.len()).filter(|w| *w != first).collect();
    rest.sort_by(|a, b| matches[*a].total_cmp(&matches[*b]));
    let mut intersect = vec![first];
    let mut probe = Vec::new();
    let mut left = matches[first].max(0.0);
    let mut cost = left * costs.scan;
    for &word in &rest {
        let read = matches[word].max(0.0) * costs.scan;
        let check = left * costs.probe;
        if read < check {
            intersect.push(word);
            cost += read;
        } else {
            probe.push(word);
            cost += check;
        }
        left *= share(matches[word]);
    }
    cost += left * costs.fetch;
    probe.sort_unstable();
    let mut best = (walk, SearchPlan::Walk);
    if cost < best.0 {
        best = (cost, SearchPlan::Matches { intersect, probe });
    }

    if let Some(tokens) = driver_tokens.filter(|t| (1..=MAX_DRIVER_TOKENS).contains(t)) {
        let tokens = tokens as f64;
        let others: f64 = rest.iter().map(|w| share(matches[*w])).product();
        let bearers = (matches[first].max(0.0) / tokens).max(1.0);
        let passed = if others > 0.0 {
            (wanted / others * clustering).min(bearers)
        } else {
            bearers
        };
        let ordered = tokens
            * (2.0 * costs.seek + passed * (costs.scan + costs.probe * (words - 1.0)))
            + tokens * wanted.min(bearers) * costs.fetch;
        if ordered < best.0 {
            let mut probe = rest;
            probe.sort_unstable();
            best = (
                ordered,
                SearchPlan::Ordered {
                    driver: first,
                    probe,
                },
            );
        }
    }
    best
}

/// The most combinations of tokens [`SearchPlan::Combined`] reads: the product of its key
/// words' distinct tokens.
pub(crate) const MAX_COMBINATIONS: usize = 64;

/// [`plan_search`] for a search whose words' distinct tokens are known (`tokens`, each counted
/// up to one more than [`MAX_KEY_TOKENS`]; `None` where not counted), which also weighs
/// [`SearchPlan::Combined`]. Reading a combination's bearers costs a
/// seek, then a read (and a check of each probed word) for every bearer passed before a page
/// is full; the bearers of every combination found are sorted, and the page's people read.
/// Finding the combinations costs a seek per token of each key word.
pub(crate) fn plan_search_combining(
    costs: &SearchCosts,
    people: f64,
    matches: &[f64],
    page: u32,
    tokens: &[Option<usize>],
) -> SearchPlan {
    let driver_tokens = rarest_word(matches).and_then(|w| tokens.get(w).copied().flatten());
    let (mut best, mut plan) = plan_costed(costs, people, matches, page, driver_tokens);
    if matches.len() < 2 || tokens.len() != matches.len() {
        return plan;
    }
    let people = people.max(1.0);
    let share = |n: f64| costs.share(people, n);
    let wanted = f64::from(page) + 1.0;
    let clustering = walk_clustering(matches.len());
    let words = matches.len();
    let mut keys: Vec<Vec<usize>> = Vec::new();
    for a in 0..words {
        for b in a + 1..words {
            keys.push(vec![a, b]);
            for c in b + 1..words {
                keys.push(vec![a, b, c]);
            }
        }
    }
    for key in keys {
        let mut combinations = 1usize;
        let mut found_tokens = 0usize;
        for word in &key {
            match tokens[*word] {
                Some(count) if count <= MAX_KEY_TOKENS => {
                    combinations = combinations.saturating_mul(count);
                    found_tokens += count + 1;
                }
                _ => combinations = usize::MAX,
            }
        }
        if combinations > MAX_COMBINATIONS {
            continue;
        }
        let probe: Vec<usize> = (0..words).filter(|w| !key.contains(w)).collect();
        let children = combinations as f64;
        let bearers: f64 = people * key.iter().map(|w| share(matches[*w])).product::<f64>();
        let per_child = if children > 0.0 {
            (bearers / children).max(1.0)
        } else {
            0.0
        };
        let others: f64 = probe.iter().map(|w| share(matches[*w])).product();
        let passed = if probe.is_empty() {
            wanted.min(per_child)
        } else if others > 0.0 {
            (wanted / others * clustering).min(per_child)
        } else {
            per_child
        };
        let checks = probe.len() as f64;
        let cost = found_tokens as f64 * costs.key_seek
            + children * (costs.key_seek + passed * (costs.scan + costs.probe * checks))
            + children * wanted.min(per_child) * costs.step
            + wanted * costs.fetch
            + costs.key_seek;
        if cost < best {
            best = cost;
            plan = SearchPlan::Combined { key, probe };
        }
    }
    plan
}

/// Adds a name search's conditions to `select` as `plan` says; `keyset` and `page` are the
/// list's, for a plan that walks in list order itself.
fn apply_search_plan(
    mut select: sea_orm::Select<person::Entity>,
    db: &impl ConnectionTrait,
    words: &[String],
    plan: &SearchPlan,
    keyset: &Keyset<person::Entity>,
    page: &PageRequest,
) -> Result<sea_orm::Select<person::Entity>, StorageError> {
    let postgres = db.get_database_backend() == sea_orm::DbBackend::Postgres;
    let mut probes: Vec<usize> = (0..words.len()).collect();
    if let SearchPlan::Combined { key, probe } = plan {
        let cursor = keyset.cursor_values(page)?;
        return Ok(select.filter(combined_bearers(words, key, probe, cursor, page, postgres)));
    }
    if let SearchPlan::Ordered { driver, probe } = plan {
        let cursor = keyset.cursor_values(page)?;
        let bearers = if postgres {
            ordered_bearers(words, *driver, probe, cursor, page)
        } else {
            walked_bearers(words, *driver, probe, cursor, page)
        };
        return Ok(select.filter(bearers));
    }
    if let SearchPlan::Matches { intersect, probe } = plan {
        let mut ids: Option<sea_orm::sea_query::SelectStatement> = None;
        for index in intersect {
            let matches = word_matches(&words[*index]);
            match &mut ids {
                None => ids = Some(matches),
                Some(ids) => {
                    ids.union(sea_orm::sea_query::UnionType::Intersect, matches);
                }
            }
        }
        if let Some(ids) = ids {
            if postgres {
                // The matches are computed first (an init plan) and then looked up, each person
                // by id: as a plain subquery the planner may walk the whole list instead, and
                // `= ANY(ARRAY(...))` would test each person walked against an unhashed array.
                select = select.filter(person_among_computed_first(ids));
            } else {
                select = select.filter(person::Column::Id.in_subquery(ids));
            }
            probes.clone_from(probe);
        }
    }
    for index in probes {
        select = select.filter(Expr::exists(word_probe(&words[index], postgres)));
    }
    Ok(select)
}

/// PostgreSQL: the person is among the ids `ids` selects, computed first (an init plan into
/// an array) and then each looked up by id, where a plain `IN (subquery)` may be planned as a
/// walk of the list that tests every person passed against it.
fn person_among_computed_first(ids: sea_orm::sea_query::SelectStatement) -> Expr {
    Expr::cust_with_exprs(
        "$1 IN (SELECT ids.id FROM unnest(ARRAY($2)) AS ids (id))",
        [
            Expr::col((person::Entity, person::Column::Id)),
            Expr::SubQuery(None, Box::new(ids.into())),
        ],
    )
}

/// The condition of [`SearchPlan::Ordered`] (PostgreSQL): the person is among the first
/// bearers past the page's cursor, in list order, of each distinct token beginning with the
/// driver word who also have the probed words. The union of each token's first `size + 1`
/// holds the list's first `size + 1` (a person among those is among the first of their own
/// token's bearers), so the outer keyset query pages exactly as without it. The distinct
/// tokens are found by a skip through the token index (a recursive query, one seek each); the
/// ids are computed first (an init plan) and each person looked up by id.
fn ordered_bearers(
    words: &[String],
    driver: usize,
    probe: &[usize],
    cursor: Option<Vec<sea_orm::Value>>,
    page: &PageRequest,
) -> sea_orm::sea_query::SimpleExpr {
    let word = &words[driver];
    let mut values: Vec<Expr> = vec![
        Expr::col((person::Entity, person::Column::Id)),
        Expr::val(word.as_str()),
        Expr::val(prefix_end(word)),
    ];
    let mut sql = format!(
        "$1 IN (SELECT found.id FROM unnest(ARRAY({} \
         SELECT bearers.person_id FROM tokens CROSS JOIN LATERAL (\
         SELECT bearer.person_id FROM person_name_token AS bearer \
         WHERE bearer.token = tokens.token",
        distinct_tokens_of("$2", "$3")
    );
    let forward = page.direction == crate::page::Direction::Forward;
    if let Some(cursor) = cursor {
        let mut key = cursor.into_iter();
        if let (Some(sort_key), Some(id)) = (key.next(), key.next()) {
            let n = values.len();
            sql.push_str(&format!(
                " AND (bearer.sort_key, bearer.person_id) {} (${}, ${})",
                if forward { ">" } else { "<" },
                n + 1,
                n + 2
            ));
            values.push(Expr::val(sort_key));
            values.push(Expr::val(id));
        }
    }
    for index in probe {
        let word = &words[*index];
        values.push(Expr::val(word.as_str()));
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM person_name_token AS other \
             WHERE other.person_id = bearer.person_id AND substr(other.token, 1, {}) = ${} \
             OFFSET 0)",
            word.chars().count(),
            values.len()
        ));
    }
    let order = if forward { "ASC" } else { "DESC" };
    sql.push_str(&format!(
        " ORDER BY bearer.sort_key {order}, bearer.person_id {order} LIMIT {}) AS bearers \
         WHERE tokens.token IS NOT NULL)) AS found (id))",
        u64::from(page.size) + 1
    ));
    Expr::cust_with_exprs(sql, values)
}

/// The condition of [`SearchPlan::Combined`]: the person is among the first `size + 1` past
/// the page's cursor, in list order, of the bearers of every combination of the key words'
/// tokens, each combination's first `size + 1` bearers who also have the probed words,
/// together with the people who have too many tokens to combine and have every word. The
/// union of each combination's first `size + 1` holds the list's first `size + 1` (a person
/// bearing the key words bears a combination of their tokens, and is among its first), so the
/// outer keyset query pages exactly as without it. A person may bear several of the
/// combinations ("bui n": Bùi Ngọc Nhất bears bui and ngoc, and bui and nhat). Each key word's
/// distinct tokens are found by a skip through the token index; as no word of a search begins
/// another (`essential_words`), the tokens of a word that sorts before another all sort before
/// that word's, so a combination's tokens are in the table's order when the key words are.
///
/// On PostgreSQL each combination's first bearers are read by `LATERAL`, the union made
/// distinct and cut to its first `size + 1` (computed first, an init plan, and each person
/// looked up by id). SQLite has no `LATERAL`: each combination's bearers are walked one at a
/// time by a recursive query, as [`walked_bearers`] walks a token's, and the outer query takes
/// the first `size + 1` of the union.
fn combined_bearers(
    words: &[String],
    key: &[usize],
    probe: &[usize],
    cursor: Option<Vec<sea_orm::Value>>,
    page: &PageRequest,
    postgres: bool,
) -> sea_orm::sea_query::SimpleExpr {
    let forward = page.direction == crate::page::Direction::Forward;
    let (past, order) = if forward { (">", "ASC") } else { ("<", "DESC") };
    let limit = u64::from(page.size) + 1;
    let mut key: Vec<usize> = key.to_vec();
    key.sort_by(|a, b| words[*a].cmp(&words[*b]));
    // Placeholders are numbered, `$n` for the n-th value below (sea-query writes each use of
    // one as PostgreSQL's own; for SQLite, whose custom expressions take `?` in order, they are
    // renumbered at the end).
    let mut values: Vec<Expr> = vec![Expr::col((person::Entity, person::Column::Id))];
    // The placeholders of each word's text and (where written) of its range's end.
    let mut placeholder: HashMap<usize, (usize, Option<usize>)> = HashMap::new();
    let mut tokens = Vec::new();
    for (n, word) in key.iter().enumerate() {
        values.push(Expr::val(words[*word].as_str()));
        let start = values.len();
        values.push(Expr::val(prefix_end(&words[*word])));
        let end = values.len();
        placeholder.insert(*word, (start, Some(end)));
        tokens.push(distinct_tokens_named(
            &format!("t{n}"),
            &format!("${start}"),
            &format!("${end}"),
        ));
    }
    let mut cursor_at: Option<(usize, usize)> = None;
    if let Some(cursor) = cursor {
        let mut parts = cursor.into_iter();
        if let (Some(sort_key), Some(id)) = (parts.next(), parts.next()) {
            values.push(Expr::val(sort_key));
            values.push(Expr::val(id));
            cursor_at = Some((values.len() - 1, values.len()));
        }
    }
    for word in probe.iter().chain(key.iter()) {
        if !placeholder.contains_key(word) {
            values.push(Expr::val(words[*word].as_str()));
            let start = values.len();
            // SQLite checks a word by its token range, PostgreSQL by the tokens' prefix.
            let end = (!postgres).then(|| {
                values.push(Expr::val(prefix_end(&words[*word])));
                values.len()
            });
            placeholder.insert(*word, (start, end));
        }
    }
    let cursor_condition = |alias: &str| match cursor_at {
        Some((sort_key, id)) => {
            format!(" AND ({alias}.sort_key, {alias}.person_id) {past} (${sort_key}, ${id})")
        }
        None => String::new(),
    };
    let checks = |alias: &str, checked: &mut dyn Iterator<Item = &usize>| {
        let mut sql = String::new();
        for word in checked {
            let (start, end) = placeholder[word];
            let matching = match end {
                Some(end) if !postgres => {
                    format!("other.token >= ${start} AND other.token < ${end}")
                }
                _ => format!(
                    "substr(other.token, 1, {}) = ${start} OFFSET 0",
                    words[*word].chars().count()
                ),
            };
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM person_name_token AS other \
                 WHERE other.person_id = {alias}.person_id AND {matching})"
            ));
        }
        sql
    };
    let third = if key.len() > 2 { "t2.token" } else { "''" };
    let present: Vec<String> = (0..key.len())
        .map(|n| format!("t{n}.token IS NOT NULL"))
        .collect();
    let from: Vec<String> = (0..key.len()).map(|n| format!("t{n}")).collect();
    let many = format!(
        "SELECT many.person_id, many.sort_key FROM person_name_combination AS many \
         WHERE many.first = '' AND many.second = '' AND many.third = ''{cursor}{every} \
         ORDER BY many.sort_key {order}, many.person_id {order} LIMIT {limit}",
        cursor = cursor_condition("many"),
        every = checks("many", &mut probe.iter().chain(key.iter())),
    );
    let sql = if postgres {
        format!(
            "$1 IN (SELECT found.id FROM unnest(ARRAY(WITH RECURSIVE {tokens} \
             SELECT first.person_id FROM (SELECT DISTINCT bearers.sort_key, bearers.person_id FROM (\
             SELECT combined.person_id, combined.sort_key FROM {from} CROSS JOIN LATERAL (\
             SELECT bearer.person_id, bearer.sort_key FROM person_name_combination AS bearer \
             WHERE bearer.first = t0.token AND bearer.second = t1.token AND bearer.third = {third}\
             {cursor}{checks} ORDER BY bearer.sort_key {order}, bearer.person_id {order} \
             LIMIT {limit}) AS combined WHERE {present} \
             UNION ALL ({many})) AS bearers \
             ORDER BY bearers.sort_key {order}, bearers.person_id {order} LIMIT {limit}) AS first)) \
             AS found (id))",
            tokens = tokens.join(", "),
            from = from.join(" CROSS JOIN "),
            cursor = cursor_condition("bearer"),
            checks = checks("bearer", &mut probe.iter()),
            present = present.join(" AND "),
        )
    } else {
        // Each step of a combination's walk is its next bearer in list order past the walk's
        // start (the cursor, then the previous step) who has the probed words: a seek into the
        // index (first, second, third, sort_key, person_id) and a scan to the first who passes.
        let next = |from: &str, after: &str| {
            format!(
                "JOIN person_name_combination AS bearer ON bearer.first = {from}.first \
                 AND bearer.second = {from}.second AND bearer.third = {from}.third \
                 AND bearer.person_id = (SELECT next.person_id FROM person_name_combination AS next \
                 WHERE next.first = {from}.first AND next.second = {from}.second \
                 AND next.third = {from}.third{after}{checks} \
                 ORDER BY next.sort_key {order}, next.person_id {order} LIMIT 1)",
                checks = checks("next", &mut probe.iter()),
            )
        };
        format!(
            "$1 IN (WITH RECURSIVE {tokens}, \
             combination (first, second, third) AS (SELECT t0.token, t1.token, {third} \
             FROM {from} WHERE {present}), \
             walk (first, second, third, sort_key, person_id, n) AS (\
             SELECT bearer.first, bearer.second, bearer.third, bearer.sort_key, bearer.person_id, 1 \
             FROM combination {start} \
             UNION ALL \
             SELECT bearer.first, bearer.second, bearer.third, bearer.sort_key, bearer.person_id, \
             walk.n + 1 FROM walk {step} WHERE walk.n < {limit}) \
             SELECT walk.person_id FROM walk \
             UNION ALL SELECT many.person_id FROM ({many}) AS many)",
            tokens = tokens.join(", "),
            from = from.join(" CROSS JOIN "),
            present = present.join(" AND "),
            start = next("combination", &cursor_condition("next")),
            step = next(
                "walk",
                &format!(
                    " AND (next.sort_key, next.person_id) {past} (walk.sort_key, walk.person_id)"
                ),
            ),
        )
    };
    if postgres {
        Expr::cust_with_exprs(sql, values)
    } else {
        let (sql, values) = in_order_of_use(&sql, &values);
        Expr::cust_with_exprs(sql, values)
    }
}

/// `sql` with its numbered placeholders (`$n`, the n-th of `values`) written as `?`, and the
/// values in the order of their uses, each once per use: the form sea-query takes for SQLite.
fn in_order_of_use(sql: &str, values: &[Expr]) -> (String, Vec<Expr>) {
    let mut written = String::with_capacity(sql.len());
    let mut used = Vec::new();
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        written.push_str(&rest[..at]);
        let digits = rest[at + 1..]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(rest.len() - at - 1, |end| end);
        match rest[at + 1..at + 1 + digits].parse::<usize>() {
            Ok(number) if (1..=values.len()).contains(&number) => {
                written.push('?');
                used.push(values[number - 1].clone());
            }
            // Not a placeholder of these values: written as it is.
            _ => written.push_str(&rest[at..at + 1 + digits]),
        }
        rest = &rest[at + 1 + digits..];
    }
    written.push_str(rest);
    (written, used)
}

/// [`ordered_bearers`] on SQLite, which has no `LATERAL`: each distinct token's bearers are
/// walked one at a time by a recursive query, each step the token's next bearer in list order
/// (past the page's cursor, then past the previous step's) who has the probed words, found by
/// a seek into the index `(token, sort_key, person_id)` and a scan to the first bearer that
/// passes; a token's walk stops after `size + 1` steps. The same people as
/// [`ordered_bearers`]: the union of each token's first `size + 1` past the cursor.
fn walked_bearers(
    words: &[String],
    driver: usize,
    probe: &[usize],
    cursor: Option<Vec<sea_orm::Value>>,
    page: &PageRequest,
) -> sea_orm::sea_query::SimpleExpr {
    let word = &words[driver];
    let forward = page.direction == crate::page::Direction::Forward;
    let (past, order) = if forward { (">", "ASC") } else { ("<", "DESC") };
    // SQLite's placeholders are `?`, bound in the order they appear: each step's checks are
    // written (and their words bound) once for the walk's start and once for its steps.
    let mut checks = String::new();
    let mut check_values: Vec<Expr> = Vec::new();
    for index in probe {
        let word = &words[*index];
        checks.push_str(
            " AND EXISTS (SELECT 1 FROM person_name_token AS other \
             WHERE other.person_id = next.person_id AND other.token >= ? AND other.token < ?)",
        );
        check_values.push(Expr::val(word.as_str()));
        check_values.push(Expr::val(prefix_end(word)));
    }
    let next = |from: &str, after: &str| {
        format!(
            "JOIN person_name_token AS bearer ON bearer.token = {from}.token \
             AND bearer.person_id = (SELECT next.person_id FROM person_name_token AS next \
             WHERE next.token = {from}.token{after}{checks} \
             ORDER BY next.sort_key {order}, next.person_id {order} LIMIT 1)"
        )
    };
    let (tokens, token_values) = sqlite_distinct_tokens(word);
    let mut values: Vec<Expr> = vec![Expr::col((person::Entity, person::Column::Id))];
    values.extend(token_values.into_iter().map(Expr::val));
    let mut start = String::new();
    if let Some(cursor) = cursor {
        let mut key = cursor.into_iter();
        if let (Some(sort_key), Some(id)) = (key.next(), key.next()) {
            start = format!(" AND (next.sort_key, next.person_id) {past} (?, ?)");
            values.push(Expr::val(sort_key));
            values.push(Expr::val(id));
        }
    }
    values.extend(check_values.iter().cloned());
    values.extend(check_values);
    let sql = format!(
        "? IN ({}, walk (token, sort_key, person_id, n) AS (\
         SELECT bearer.token, bearer.sort_key, bearer.person_id, 1 FROM tokens {} \
         UNION ALL \
         SELECT bearer.token, bearer.sort_key, bearer.person_id, walk.n + 1 FROM walk {} \
         WHERE walk.n < {}) \
         SELECT walk.person_id FROM walk)",
        tokens,
        next("tokens", &start),
        next(
            "walk",
            &format!(" AND (next.sort_key, next.person_id) {past} (walk.sort_key, walk.person_id)")
        ),
        u64::from(page.size) + 1
    );
    Expr::cust_with_exprs(sql, values)
}

/// `WITH RECURSIVE tokens (token)`: the distinct tokens from `start` (inclusive) to `end`
/// (exclusive), by a skip through the token index, one seek each (PostgreSQL has no skip
/// scan of its own); its last row is NULL. `start` and `end` are the statement's
/// placeholders: numbered ones (PostgreSQL's `$n`), or SQLite's `?`, which `end` stands for
/// twice (its value bound twice, after the start's).
fn distinct_tokens_of(start: &str, end: &str) -> String {
    format!(
        "WITH RECURSIVE {}",
        distinct_tokens_named("tokens", start, end)
    )
}

/// The common table expression `name (token)` of [`distinct_tokens_of`], for a statement
/// that skips through several words' tokens.
fn distinct_tokens_named(name: &str, start: &str, end: &str) -> String {
    format!(
        "{name} (token) AS (\
         SELECT min(token) FROM person_name_token WHERE token >= {start} AND token < {end} \
         UNION ALL SELECT (SELECT min(next.token) FROM person_name_token AS next \
         WHERE next.token > {name}.token AND next.token < {end}) \
         FROM {name} WHERE {name}.token IS NOT NULL)"
    )
}

/// [`distinct_tokens_of`] for `word` on SQLite, with the values its `?` placeholders take in
/// order: the word, then its range's end twice.
fn sqlite_distinct_tokens(word: &str) -> (String, [sea_orm::Value; 3]) {
    let end = prefix_end(word);
    (
        distinct_tokens_of("?", "?"),
        [word.into(), end.clone().into(), end.into()],
    )
}

/// A query counting the rows of the `tokens` of [`distinct_tokens_of`] up to one more than
/// [`MAX_KEY_TOKENS`].
fn count_of_tokens(tokens: &str) -> String {
    format!(
        "{tokens} SELECT count(*) FROM (SELECT 1 FROM tokens WHERE token IS NOT NULL LIMIT {}) AS t",
        MAX_KEY_TOKENS + 1
    )
}

/// How many distinct tokens begin with each of `words`, counted up to one more than
/// [`MAX_KEY_TOKENS`] by a skip through the token index (one seek each), those not kept in
/// `estimates` in one statement; counts kept there are used instead while they are.
async fn distinct_tokens(
    db: &impl ConnectionTrait,
    estimates: &Estimates,
    words: &[String],
) -> Result<Vec<usize>, StorageError> {
    let mut counts: Vec<Option<usize>> = words
        .iter()
        .map(|word| {
            estimates
                .get(&Figure::Tokens(word.clone()))
                .map(|count| count as usize)
        })
        .collect();
    let missing: Vec<usize> = (0..words.len()).filter(|i| counts[*i].is_none()).collect();
    if !missing.is_empty() {
        let backend = db.get_database_backend();
        let mut columns = Vec::new();
        let mut values: Vec<sea_orm::Value> = Vec::new();
        for index in &missing {
            let word = &words[*index];
            let tokens = if backend == DbBackend::Postgres {
                let start = values.len() + 1;
                values.push(word.clone().into());
                values.push(prefix_end(word).into());
                distinct_tokens_of(&format!("${start}"), &format!("${}", start + 1))
            } else {
                let (tokens, token_values) = sqlite_distinct_tokens(word);
                values.extend(token_values);
                tokens
            };
            columns.push(format!("({})", count_of_tokens(&tokens)));
        }
        let row = db
            .query_one_raw(sea_orm::Statement::from_sql_and_values(
                backend,
                format!("SELECT {}", columns.join(", ")),
                values,
            ))
            .await?
            .ok_or_else(|| StorageError::internal("counting a word's tokens returned no row"))?;
        for (column, index) in missing.into_iter().enumerate() {
            let count: i64 = row.try_get_by_index(column)?;
            let count = usize::try_from(count).unwrap_or(0);
            estimates.put(Figure::Tokens(words[index].clone()), count as f64);
            counts[index] = Some(count);
        }
    }
    Ok(counts.into_iter().map(Option::unwrap_or_default).collect())
}

/// PostgreSQL's estimates, from its statistics, of the number of people and of the matches
/// of each word: one plan (not a run) each, so a common word costs no more than a rare one;
/// estimates kept in `estimates` are used instead while they are.
async fn estimate_matches(
    db: &impl ConnectionTrait,
    estimates: &Estimates,
    words: &[String],
) -> Result<(f64, Vec<f64>), StorageError> {
    let literal = |text: &str| format!("'{}'", text.replace('\'', "''"));
    let people = kept_or_estimated(db, estimates, Figure::People, || {
        "EXPLAIN SELECT 1 FROM person".to_owned()
    })
    .await?;
    let mut matches = Vec::with_capacity(words.len());
    for word in words {
        let explain = || {
            format!(
                "EXPLAIN SELECT 1 FROM person_name_token WHERE token >= {} AND token < {}",
                literal(word),
                literal(&prefix_end(word))
            )
        };
        let figure = Figure::Matches(word.clone());
        matches.push(kept_or_estimated(db, estimates, figure, explain).await?);
    }
    Ok((people, matches))
}

/// The figure kept in `estimates`, or else the rows the plan of the `EXPLAIN` statement
/// `explain` writes expects, kept.
async fn kept_or_estimated(
    db: &impl ConnectionTrait,
    estimates: &Estimates,
    figure: Figure,
    explain: impl FnOnce() -> String,
) -> Result<f64, StorageError> {
    if let Some(kept) = estimates.get(&figure) {
        return Ok(kept);
    }
    let rows = estimated_rows(db, explain()).await?;
    estimates.put(figure, rows);
    Ok(rows)
}

/// The rows PostgreSQL expects the plan of an `EXPLAIN` to return (its first line's `rows=`).
async fn estimated_rows(db: &impl ConnectionTrait, explain: String) -> Result<f64, StorageError> {
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            explain,
        ))
        .await?;
    let first: String = rows
        .first()
        .ok_or_else(|| StorageError::internal("EXPLAIN returned no plan"))?
        .try_get_by_index(0)?;
    first
        .split("rows=")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|digits| digits.parse::<f64>().ok())
        .ok_or_else(|| StorageError::internal(format!("no row estimate in the plan {first:?}")))
}

/// SQLite's figures for [`plan_search`], which it has no planner's estimates for: the number
/// of people (the highest row id: people are hardly ever deleted), each word's matches
/// counted up to [`RARE_WORD_MATCHES`] and its distinct tokens (for [`distinct_tokens`], which
/// then finds them kept), in one statement for the figures not kept in `estimates`, then kept
/// there. A word at the cap counts as matching everyone, as its matches may be any number
/// above the cap: it is never intersected first, only checked person by person, or walked in
/// list order through its own or its combinations' bearers when it has few tokens; where the
/// plans estimate how many people pass before a page is full, it is weighed by
/// [`SearchCosts::share`].
async fn counted_matches(
    db: &impl ConnectionTrait,
    estimates: &Estimates,
    words: &[String],
) -> Result<(f64, Vec<f64>), StorageError> {
    let kept = |figure: &Figure| estimates.get(figure);
    let mut people = kept(&Figure::People);
    let mut matches: Vec<Option<f64>> = words
        .iter()
        .map(|word| kept(&Figure::Matches(word.clone())))
        .collect();
    if people.is_none() || matches.iter().any(Option::is_none) {
        let mut sql = String::from("SELECT (SELECT coalesce(max(rowid), 0) FROM person)");
        let mut values: Vec<sea_orm::Value> = Vec::new();
        let missing: Vec<usize> = (0..words.len()).filter(|i| matches[*i].is_none()).collect();
        for index in &missing {
            sql.push_str(&format!(
                ", (SELECT COUNT(*) FROM (SELECT 1 FROM person_name_token WHERE token >= ? \
                 AND token < ? LIMIT {RARE_WORD_MATCHES}) AS matches_{index})"
            ));
            values.push(words[*index].clone().into());
            values.push(prefix_end(&words[*index]).into());
            let (tokens, token_values) = sqlite_distinct_tokens(&words[*index]);
            sql.push_str(&format!(", ({})", count_of_tokens(&tokens)));
            values.extend(token_values);
        }
        let row = db
            .query_one_raw(sea_orm::Statement::from_sql_and_values(
                db.get_database_backend(),
                sql,
                values,
            ))
            .await?
            .ok_or_else(|| StorageError::internal("counting a search's matches returned no row"))?;
        let counted: i64 = row.try_get_by_index(0)?;
        estimates.put(Figure::People, counted as f64);
        people = Some(counted as f64);
        for (column, index) in missing.into_iter().enumerate() {
            let count: i64 = row.try_get_by_index(2 * column + 1)?;
            let tokens: i64 = row.try_get_by_index(2 * column + 2)?;
            estimates.put(Figure::Matches(words[index].clone()), count as f64);
            estimates.put(Figure::Tokens(words[index].clone()), tokens as f64);
            matches[index] = Some(count as f64);
        }
    }
    let people = people.unwrap_or(0.0);
    let matches = matches
        .into_iter()
        .map(|count| planned_matches(people, count.unwrap_or(f64::INFINITY)))
        .collect();
    Ok((people, matches))
}

/// The matches [`plan_search`] is given for a word of `count` matches counted up to
/// [`RARE_WORD_MATCHES`] among `people`: the count, or everyone for a word at the cap.
fn planned_matches(people: f64, count: f64) -> f64 {
    let cap = RARE_WORD_MATCHES as f64;
    if count >= cap { people.max(cap) } else { count }
}

/// A name search stopped at its statement timeout (PostgreSQL's SQLSTATE 57014, SQLite's
/// interrupt) becomes an input error that says so; other errors pass.
fn timed_out_search(error: StorageError, name: &str) -> StorageError {
    match &error {
        StorageError::Unavailable(message) if message.starts_with(crate::error::TIMED_OUT) => {
            StorageError::InvalidInput(format!(
                "the name search {:?} took longer than {} s: add letters or words to narrow it",
                name.chars().take(100).collect::<String>(),
                NAME_SEARCH_TIMEOUT.as_secs()
            ))
        }
        _ => error,
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

/// Reads a person joined in under `prefix`, bare (no identifiers); `None` when the query
/// found none.
pub(crate) fn joined_person(
    row: &sea_orm::QueryResult,
    prefix: &str,
) -> Result<Option<Person>, StorageError> {
    crate::convert::joined::<person::Model>(row, prefix)?
        .map(|model| from_row(model, Vec::new()))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEOPLE: f64 = 1_000_000.0;

    #[test]
    fn words_common_together_walk_the_list() {
        // "nguyen van": a third and a quarter of a national register.
        assert_eq!(
            plan_search(&POSTGRES_COSTS, PEOPLE, &[390_000.0, 300_000.0], 20, None),
            SearchPlan::Walk
        );
        assert_eq!(
            plan_search(&POSTGRES_COSTS, PEOPLE, &[390_000.0], 20, None),
            SearchPlan::Walk
        );
        // "nguyen thi": a third and a quarter, one in ten together.
        assert_eq!(
            plan_search(&POSTGRES_COSTS, PEOPLE, &[390_000.0, 250_000.0], 20, None),
            SearchPlan::Walk
        );
    }

    #[test]
    fn a_rare_word_is_read_first_and_the_common_ones_checked() {
        // "tran ngoc hung": hung is rare, ngoc is worth intersecting, tran is checked.
        assert_eq!(
            plan_search(
                &POSTGRES_COSTS,
                PEOPLE,
                &[116_000.0, 57_000.0, 13_000.0],
                20,
                None
            ),
            SearchPlan::Matches {
                intersect: vec![2, 1],
                probe: vec![0]
            }
        );
        assert_eq!(
            plan_search(&POSTGRES_COSTS, PEOPLE, &[390_000.0, 12.0], 20, None),
            SearchPlan::Matches {
                intersect: vec![1],
                probe: vec![0]
            }
        );
    }

    #[test]
    fn common_words_rare_together_are_intersected() {
        // "le minh ngo": each common, together one person in two thousand.
        let SearchPlan::Matches { intersect, .. } = plan_search(
            &POSTGRES_COSTS,
            PEOPLE,
            &[95_000.0, 80_000.0, 80_000.0],
            20,
            None,
        ) else {
            panic!("walked the list");
        };
        assert!(intersect.len() >= 2, "{intersect:?}");
    }

    #[test]
    fn a_rare_complete_word_is_walked_in_list_order() {
        // "nguyen minh n": minh (one token) is walked in list order, the others checked.
        assert_eq!(
            plan_search(
                &POSTGRES_COSTS,
                PEOPLE,
                &[390_000.0, 60_000.0, 500_000.0],
                20,
                Some(1)
            ),
            SearchPlan::Ordered {
                driver: 1,
                probe: vec![0, 2]
            }
        );
        // One word of a few tokens: its first bearers, whatever its size.
        assert_eq!(
            plan_search(&POSTGRES_COSTS, PEOPLE, &[390_000.0], 20, Some(2)),
            SearchPlan::Ordered {
                driver: 0,
                probe: vec![]
            }
        );
    }

    #[test]
    fn a_word_of_many_tokens_or_rare_together_is_not_walked_in_order() {
        // Too many distinct tokens to walk one by one.
        assert!(!matches!(
            plan_search(
                &POSTGRES_COSTS,
                PEOPLE,
                &[390_000.0],
                20,
                Some(MAX_DRIVER_TOKENS + 1)
            ),
            SearchPlan::Ordered { .. }
        ));
        // The others are rare among the driver's bearers: intersecting reads less.
        assert!(matches!(
            plan_search(
                &POSTGRES_COSTS,
                PEOPLE,
                &[20_000.0, 20_000.0, 30_000.0],
                20,
                Some(1)
            ),
            SearchPlan::Matches { .. }
        ));
    }

    #[test]
    fn words_another_word_implies_are_dropped() {
        let words = |text: &str| essential_words(search_words(text));
        assert_eq!(words("nguyen quang q"), ["nguyen", "quang"]);
        assert_eq!(words("q quang"), ["quang"]);
        assert_eq!(words("nguyen nguyen van"), ["nguyen", "van"]);
        assert_eq!(words("ng nguyen"), ["nguyen"]);
        assert_eq!(words("tran van p"), ["tran", "van", "p"]);
        assert_eq!(words("thi th"), ["thi"]);
    }

    /// On a SQLite file name searches run on their own pool, whose statements are interrupted
    /// at [`NAME_SEARCH_TIMEOUT`], which the search reports as an input error; the connection
    /// is kept for the next search. (An in-memory database has no such pool: its one
    /// connection is the database.)
    #[tokio::test]
    async fn sqlite_searches_run_on_a_pool_that_stops_them_at_the_search_timeout() {
        use sea_orm::{DbBackend, Statement};
        let file = std::env::temp_dir().join(format!("gazette-search-{}.db", Uuid::now_v7()));
        let options = crate::StorageOptions::new(format!("sqlite://{}?mode=rwc", file.display()));
        let db = Database::connect_and_migrate(&options).await.unwrap();
        let searcher = db
            .searcher()
            .expect("a SQLite file has a search pool")
            .clone();
        let filter = PersonFilter {
            name: Some("nguyen van".to_owned()),
            ..PersonFilter::default()
        };
        let page = PageRequest::new(Some(20), None, None, None).unwrap();
        assert!(db.people(&filter, &page).await.unwrap().edges.is_empty());
        assert_eq!(searcher.status(), (1, 1), "the search ran on its pool");

        let endless = Statement::from_string(
            DbBackend::Sqlite,
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c",
        );
        let error = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            searcher.query_one_raw(endless),
        )
        .await
        .expect("the statement was stopped")
        .unwrap_err();
        let mapped = timed_out_search(crate::error::from_db(error), "nguyen van");
        assert!(
            matches!(&mapped, StorageError::InvalidInput(m) if m.contains("\"nguyen van\" took longer than 2 s")),
            "{mapped:?}"
        );
        assert!(db.people(&filter, &page).await.unwrap().edges.is_empty());
        assert_eq!(searcher.status(), (1, 1), "the connection was kept");
        drop(db);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
    }

    /// A database of its own on the storage tests' PostgreSQL (`GAZETTE_TEST_DATABASE_URL`,
    /// which `just test` sets), dropped by [`ScratchPostgres::remove`].
    struct ScratchPostgres {
        admin: sea_orm::DatabaseConnection,
        name: String,
    }

    impl ScratchPostgres {
        /// A new database, migrated; `None` without a PostgreSQL to test on.
        async fn open(purpose: &str) -> Option<(Database, Self)> {
            let (url, scratch) = Self::create(purpose).await?;
            let options = crate::StorageOptions::new(url);
            let db = Database::connect_and_migrate(&options).await.unwrap();
            Some((db, scratch))
        }

        /// A new, empty database and its URL; `None` without a PostgreSQL to test on.
        async fn create(purpose: &str) -> Option<(String, Self)> {
            let admin_url = std::env::var("GAZETTE_TEST_DATABASE_URL").ok()?;
            let admin = sea_orm::Database::connect(&admin_url).await.unwrap();
            let name = format!("gazette_test_{purpose}_{}", Uuid::now_v7().simple());
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
            let (base, _) = admin_url.rsplit_once('/').unwrap();
            Some((format!("{base}/{name}"), Self { admin, name }))
        }

        async fn remove(self) {
            self.admin
                .execute_unprepared(&format!("DROP DATABASE {} WITH (FORCE)", self.name))
                .await
                .unwrap();
        }
    }

    /// On PostgreSQL name searches run on their own pool, whose sessions carry the search's
    /// settings (and the reading pool's do not): a statement past [`NAME_SEARCH_TIMEOUT`] is
    /// cancelled by the server, which the search reports as an input error, and the session is
    /// kept for the next search. Runs where the storage tests have a PostgreSQL
    /// (`GAZETTE_TEST_DATABASE_URL`, which `just test` sets), in a database of its own.
    #[tokio::test]
    async fn searches_run_on_sessions_with_the_search_settings() {
        use sea_orm::{DbBackend, Statement};
        let Some((db, scratch)) = ScratchPostgres::open("search").await else {
            return;
        };
        let searcher = db.searcher().expect("PostgreSQL has a search pool").clone();
        let settings =
            "SELECT current_setting('statement_timeout') AS timeout, current_setting('jit') AS jit";
        let read = |row: sea_orm::QueryResult| {
            ["timeout", "jit"].map(|column| row.try_get::<String>("", column).unwrap())
        };

        let filter = PersonFilter {
            name: Some("nguyen van".to_owned()),
            ..PersonFilter::default()
        };
        let page = PageRequest::new(Some(20), None, None, None).unwrap();
        let found = db.people(&filter, &page).await.unwrap();
        assert!(found.edges.is_empty());
        assert_eq!(searcher.status(), (1, 1), "the search ran on its pool");
        let statement = Statement::from_string(DbBackend::Postgres, settings);
        let row = searcher.query_one_raw(statement.clone()).await.unwrap();
        assert_eq!(read(row.unwrap()), ["2s", "off"]);
        let row = db.reader().query_one_raw(statement).await.unwrap();
        assert_ne!(
            read(row.unwrap())[0],
            "2s",
            "plain reads have no search timeout"
        );

        let error = searcher
            .execute_unprepared("SELECT pg_sleep(3)")
            .await
            .unwrap_err();
        let mapped = timed_out_search(crate::error::from_db(error), "nguyen van");
        assert!(
            matches!(&mapped, StorageError::InvalidInput(m) if m.contains("\"nguyen van\" took longer than 2 s")),
            "{mapped:?}"
        );
        let other = timed_out_search(StorageError::Unavailable("down".to_owned()), "nguyen");
        assert!(
            matches!(&other, StorageError::Unavailable(m) if m == "down"),
            "{other:?}"
        );
        assert_eq!(searcher.status(), (1, 1), "the session is kept");
        db.people(&filter, &page).await.unwrap();

        drop(db);
        drop(searcher);
        scratch.remove().await;
    }

    /// SQLite's counts and costs: a common word of a small register is walked (the first page
    /// is near the list's start), a rare one read first, and a word at the counting cap is
    /// never read first, however large the register.
    #[test]
    fn sqlite_plans_from_its_counts_and_a_word_at_the_cap_is_checked() {
        let cap = RARE_WORD_MATCHES as f64;
        assert_eq!(planned_matches(10_000.0, 3_800.0), 3_800.0);
        assert_eq!(planned_matches(1_000_000.0, cap), 1_000_000.0);
        assert_eq!(planned_matches(100.0, cap), cap);
        // "nguyen" in ten thousand people: a page of the walk checks some fifty.
        assert_eq!(
            plan_search(&SQLITE_COSTS, 10_000.0, &[3_800.0], 20, None),
            SearchPlan::Walk
        );
        // "quynh": read first.
        assert!(matches!(
            plan_search(&SQLITE_COSTS, 10_000.0, &[40.0], 20, None),
            SearchPlan::Matches { .. }
        ));
        // SQLite's checks are cheap and its intersections dear: "nguyen van" (both common
        // together) is walked, "thu nguyen" starts from thu's bearers and checks them for nguyen.
        assert_eq!(
            plan_search(&SQLITE_COSTS, 10_082.0, &[3_884.0, 2_144.0], 20, None),
            SearchPlan::Walk
        );
        assert_eq!(
            plan_search(&SQLITE_COSTS, 10_082.0, &[502.0, 3_884.0], 20, None),
            SearchPlan::Matches {
                intersect: vec![0],
                probe: vec![1]
            }
        );
        // "nguyen quynh" in a million: quynh's bearers (one token) walked in list order, each
        // checked for nguyen (at the cap).
        let both = [planned_matches(PEOPLE, cap), 5_000.0];
        assert_eq!(
            plan_search(&SQLITE_COSTS, PEOPLE, &both, 20, Some(1)),
            SearchPlan::Ordered {
                driver: 1,
                probe: vec![0]
            }
        );
        // "nguyen thi h" in ten thousand: the bearers of thi's three tokens walked in list order
        // (0.7 ms; intersecting thi's and h's ranges took 4.3), but not those of a word of more
        // tokens than a walk takes.
        let counts = [3_884.0, 2_030.0, 3_242.0];
        assert_eq!(
            plan_search(&SQLITE_COSTS, 10_082.0, &counts, 20, Some(3)),
            SearchPlan::Ordered {
                driver: 1,
                probe: vec![0, 2]
            }
        );
        assert!(matches!(
            plan_search(
                &SQLITE_COSTS,
                10_082.0,
                &counts,
                20,
                Some(MAX_DRIVER_TOKENS + 1)
            ),
            SearchPlan::Matches { .. }
        ));
    }

    /// The register the plan tests search: every family, middle and given name below
    /// combined, some with a second middle name, and a few with other names enough to have
    /// more tokens than are combined. Names of three and four words, words of one token and
    /// of many ("h": Hà, Hải, Hoài, Hoàng, Huỳnh, Hùng, Hữu), words that begin a family, a
    /// middle and a given name alike.
    fn plan_test_people() -> Vec<Person> {
        use gazette_domain::date::Period;
        use gazette_domain::identifier::OtherName;
        use gazette_domain::name::PersonName;
        use gazette_domain::person::PersonDetails;
        use gazette_domain::text::Text;
        let families = ["Nguyễn", "Trần", "Lê", "Phạm", "Phan", "Huỳnh", "Hoàng"];
        let middles = ["Văn", "Thị", "Hữu", "Phúc", "Thanh", "Ngọc", "Hoài"];
        let givens = [
            "An", "Anh", "Hải", "Hà", "Hùng", "Phong", "Phương", "Thành", "Thanh", "Trang", "Tâm",
            "Nguyên",
        ];
        let mut people = Vec::new();
        for (f, family) in families.iter().enumerate() {
            for (m, middle) in middles.iter().enumerate() {
                for (g, given) in givens.iter().enumerate() {
                    let mut names = vec![format!("{family} {middle} {given}")];
                    if (f + m + g) % 5 == 0 {
                        let second = middles[(m + g) % middles.len()];
                        names.push(format!("{family} {middle} {second} {given}"));
                    }
                    for name in names {
                        let mut details = PersonDetails::named(PersonName::parse(&name).unwrap());
                        if (f + m + g) % 11 == 3 {
                            // Nine tokens or more: too many to combine.
                            details.other_names = vec![OtherName {
                                name: Text::parse("Lò Khánh Quỳnh Bảo Vĩnh Xuân").unwrap(),
                                note: None,
                                period: Period::always(),
                            }];
                        }
                        people.push(Person::new(PersonId::new(), details).unwrap());
                    }
                }
            }
        }
        people
    }

    /// The searches the plan tests run, and a word nobody has.
    const PLAN_TEST_SEARCHES: [&str; 15] = [
        "nguyen thi h",
        "tran van p",
        "h",
        "ph",
        "thanh",
        "nguyen",
        "phan hoai t",
        "le h a",
        "hoai an",
        "ng t",
        "huynh thanh thanh",
        "phuong",
        "nguyen xyz",
        "lo khanh",
        "vinh xuan t",
    ];

    /// The people of `people` a search of the folded `words` finds, in list order.
    fn found_by_hand(people: &[Person], words: &[String]) -> Vec<Uuid> {
        let mut matching: Vec<(String, Uuid)> = people
            .iter()
            .filter(|p| {
                let tokens = tokens_of(p);
                words
                    .iter()
                    .all(|w| tokens.iter().any(|t| t.starts_with(w.as_str())))
            })
            .map(|p| (p.name.sort_key(), p.id().as_uuid()))
            .collect();
        matching.sort();
        matching.into_iter().map(|(_, id)| id).collect()
    }

    /// Every plan of `plans` finds, for the folded `words`, the people of `expected` in that
    /// order, forward seven at a time through every page and the last two pages backward.
    async fn assert_plans_find(
        db: &Database,
        text: &str,
        words: &[String],
        plans: &[SearchPlan],
        expected: &[Uuid],
    ) {
        let filter = PersonFilter::default();
        for plan in plans {
            let search = |page: PageRequest| {
                let (filter, plan) = (&filter, plan);
                async move {
                    db.people_planned(db.reader(), filter, words, Some(plan), &page, false)
                        .await
                        .unwrap_or_else(|e| panic!("{plan:?}: {e:?}"))
                }
            };
            // Forward, seven at a time, to the end.
            let mut found = Vec::new();
            let mut page = search(PageRequest::first(7)).await;
            loop {
                found.extend(page.edges.iter().map(|e| e.node.id().as_uuid()));
                match page.edges.last() {
                    Some(last) if page.has_next_page => {
                        page = search(PageRequest::after(7, last.cursor.clone())).await;
                    }
                    _ => break,
                }
            }
            assert_eq!(found, expected, "{text:?} forward by {plan:?}");
            // Backward from the end, two pages.
            let last = search(PageRequest::new(None, None, Some(7), None).unwrap()).await;
            let ids: Vec<Uuid> = last.edges.iter().map(|e| e.node.id().as_uuid()).collect();
            let tail = &expected[expected.len().saturating_sub(7)..];
            assert_eq!(ids, tail, "{text:?} the last page by {plan:?}");
            if let Some(first) = last.edges.first() {
                let before = search(
                    PageRequest::new(None, None, Some(7), Some(first.cursor.clone())).unwrap(),
                )
                .await;
                let ids: Vec<Uuid> = before.edges.iter().map(|e| e.node.id().as_uuid()).collect();
                let end = expected.len().saturating_sub(7);
                assert_eq!(
                    ids,
                    &expected[end.saturating_sub(7)..end],
                    "{text:?} the page before the last by {plan:?}"
                );
            }
        }
    }

    /// The plans that walk the list, intersect the rarest words (`rarity`: the words, rarest
    /// first) and walk each word's bearers.
    fn plans_without_combinations(rarity: &[usize]) -> Vec<SearchPlan> {
        let words = rarity.len();
        let mut plans = vec![SearchPlan::Walk];
        for k in 1..=words {
            let mut probe = rarity[k..].to_vec();
            probe.sort_unstable();
            plans.push(SearchPlan::Matches {
                intersect: rarity[..k].to_vec(),
                probe,
            });
        }
        for driver in 0..words {
            plans.push(SearchPlan::Ordered {
                driver,
                probe: (0..words).filter(|w| *w != driver).collect(),
            });
        }
        plans
    }

    /// [`plans_without_combinations`] and every key of two and three of the `words.len()`
    /// words combined, the others probed.
    fn every_plan(rarity: &[usize]) -> Vec<SearchPlan> {
        let words = rarity.len();
        let mut plans = plans_without_combinations(rarity);
        let rest =
            |key: &[usize]| -> Vec<usize> { (0..words).filter(|w| !key.contains(w)).collect() };
        for a in 0..words {
            for b in a + 1..words {
                plans.push(SearchPlan::Combined {
                    key: vec![a, b],
                    probe: rest(&[a, b]),
                });
                for c in b + 1..words {
                    plans.push(SearchPlan::Combined {
                        key: vec![a, b, c],
                        probe: rest(&[a, b, c]),
                    });
                }
            }
        }
        plans
    }

    /// Writes [`plan_test_people`] to `db`, most in bulk and forty one by one, then renames two
    /// (their old names' combinations must not find them); the people as written.
    async fn write_plan_test_people(db: &Database) -> Vec<Person> {
        use crate::Actor;
        use crate::batch::Write;
        use gazette_domain::name::PersonName;
        let mut people = plan_test_people();
        let actor = Actor::new("test:editor").unwrap();
        let (one_by_one, bulk) = people.split_at(40);
        let writes: Vec<Write> = bulk.iter().cloned().map(Write::CreatePerson).collect();
        db.bulk_insert(&actor, &writes).await.unwrap();
        for person in one_by_one {
            db.create_person(&actor, person).await.unwrap();
        }
        for (index, new_name) in [(3, "Phan Hoài Tâm"), (500, "Nguyễn Thị Hà")] {
            let mut renamed = people[index].clone();
            let mut details = renamed.details().clone();
            details.name = PersonName::parse(new_name).unwrap();
            renamed.update(details).unwrap();
            db.update_person(&actor, &renamed).await.unwrap();
            people[index] = renamed;
        }
        people
    }

    /// Every plan, the token combinations' included, finds the same people in the same order
    /// on SQLite, page after page in both directions, for people written in bulk and one by
    /// one, and after a person's name changed: a name search's plan chooses how it runs, never
    /// what it finds.
    #[tokio::test]
    async fn every_plan_finds_the_same_people_on_sqlite() {
        let db = Database::connect_and_migrate(&crate::StorageOptions::new("sqlite::memory:"))
            .await
            .unwrap();
        let people = write_plan_test_people(&db).await;

        for text in PLAN_TEST_SEARCHES {
            let words = essential_words(search_words(text));
            let expected = found_by_hand(&people, &words);
            // The figures the plan is chosen from: each word's matches and distinct tokens.
            let (_, matches) = counted_matches(db.reader(), db.estimates(), &words)
                .await
                .unwrap();
            for (word, counted) in words.iter().zip(&matches) {
                let tokens: BTreeSet<String> = people
                    .iter()
                    .flat_map(|p| tokens_of(p).into_iter())
                    .filter(|t| t.starts_with(word.as_str()))
                    .collect();
                let bearers = people
                    .iter()
                    .map(|p| tokens_of(p).iter().filter(|t| tokens.contains(*t)).count())
                    .sum::<usize>();
                assert_eq!(*counted, bearers as f64, "{word:?}'s matches");
                let kept = db.estimates().get(&Figure::Tokens(word.clone()));
                let most = MAX_KEY_TOKENS + 1;
                assert_eq!(
                    kept,
                    Some(tokens.len().min(most) as f64),
                    "{word:?}'s tokens"
                );
            }
            // The rarest words first, as the plans intersect them.
            let mut rarity: Vec<usize> = (0..words.len()).collect();
            rarity.sort_by(|a, b| matches[*a].total_cmp(&matches[*b]));
            assert_plans_find(&db, text, &words, &every_plan(&rarity), &expected).await;
        }
    }

    /// [`every_plan_finds_the_same_people_on_sqlite`] on PostgreSQL. Runs where the storage
    /// tests have a PostgreSQL (`GAZETTE_TEST_DATABASE_URL`), in a database of its own.
    #[tokio::test]
    async fn every_plan_finds_the_same_people_on_postgres() {
        let Some((db, scratch)) = ScratchPostgres::open("plans").await else {
            return;
        };
        let people = write_plan_test_people(&db).await;
        for text in PLAN_TEST_SEARCHES {
            let words = essential_words(search_words(text));
            let expected = found_by_hand(&people, &words);
            let rarity: Vec<usize> = (0..words.len()).collect();
            assert_plans_find(&db, text, &words, &every_plan(&rarity), &expected).await;
        }

        drop(db);
        scratch.remove().await;
    }

    #[test]
    fn a_persons_tokens_combine_in_pairs_and_triples_up_to_the_bound() {
        let set = |tokens: &[&str]| -> BTreeSet<String> {
            tokens.iter().map(|t| (*t).to_owned()).collect()
        };
        assert_eq!(
            combinations(&set(&["van", "nguyen", "an"])),
            vec![
                ["an", "nguyen", ""],
                ["an", "nguyen", "van"],
                ["an", "van", ""],
                ["nguyen", "van", ""],
            ]
        );
        assert!(combinations(&set(&["an"])).is_empty());
        let eight = set(&["a", "b", "c", "d", "e", "f", "g", "h"]);
        assert_eq!(combinations(&eight).len(), 28 + 56);
        assert!(
            combinations(&eight)
                .iter()
                .all(|[a, b, c]| a < b && (c.is_empty() || b < c))
        );
        let nine = set(&["a", "b", "c", "d", "e", "f", "g", "h", "i"]);
        assert_eq!(combinations(&nine), vec![["", "", ""]]);
    }

    #[test]
    fn words_of_few_tokens_read_their_combinations() {
        // "nguyen van" in a national register: each word common, one and three tokens.
        assert_eq!(
            plan_search_combining(
                &POSTGRES_COSTS,
                PEOPLE,
                &[390_000.0, 250_000.0],
                20,
                &[Some(1), Some(3)]
            ),
            SearchPlan::Combined {
                key: vec![0, 1],
                probe: vec![]
            }
        );
        // "tran van qu": all three words in the key.
        assert_eq!(
            plan_search_combining(
                &POSTGRES_COSTS,
                PEOPLE,
                &[110_000.0, 250_000.0, 40_000.0],
                20,
                &[Some(3), Some(3), Some(7)]
            ),
            SearchPlan::Combined {
                key: vec![0, 1, 2],
                probe: vec![]
            }
        );
        // "nguyen h": "h" begins 21 tokens, too many to walk one by one, few to combine.
        assert_eq!(
            plan_search_combining(
                &POSTGRES_COSTS,
                PEOPLE,
                &[390_000.0, 320_000.0],
                20,
                &[Some(1), Some(21)]
            ),
            SearchPlan::Combined {
                key: vec![0, 1],
                probe: vec![]
            }
        );
        // A word of more tokens than may be combined stays out of the key.
        let SearchPlan::Combined { key, probe } = plan_search_combining(
            &POSTGRES_COSTS,
            PEOPLE,
            &[110_000.0, 250_000.0, 400_000.0],
            20,
            &[Some(3), Some(3), Some(MAX_KEY_TOKENS + 1)],
        ) else {
            panic!("two words of few tokens are combined");
        };
        assert_eq!((key, probe), (vec![0, 1], vec![2]));
        // One word: nothing to combine.
        assert!(!matches!(
            plan_search_combining(&POSTGRES_COSTS, PEOPLE, &[390_000.0], 20, &[Some(1)]),
            SearchPlan::Combined { .. }
        ));
        // SQLite combines two common words of few tokens too.
        assert!(matches!(
            plan_search_combining(
                &SQLITE_COSTS,
                PEOPLE,
                &[390_000.0, 250_000.0],
                20,
                &[Some(1), Some(3)]
            ),
            SearchPlan::Combined { .. }
        ));
        // On SQLite, words counted to the cap on a register of a million ("ho dinh quy": every
        // word at it, given as matching everyone) are not walked in list order, as they would
        // be if each were weighed as found among everyone.
        let everyone = 1_001_712.0;
        let counted = planned_matches(everyone, RARE_WORD_MATCHES as f64);
        assert_eq!(counted, everyone);
        let common = [counted; 3];
        let tokens = [Some(6), Some(1), Some(4)];
        assert!(matches!(
            plan_search_combining(&SQLITE_COSTS, everyone, &common, 20, &tokens),
            SearchPlan::Combined { .. }
        ));
        let uncapped = SearchCosts {
            capped: None,
            ..SQLITE_COSTS
        };
        assert_eq!(
            plan_search_combining(&uncapped, everyone, &common, 20, &tokens),
            SearchPlan::Walk
        );
        // One such word ("nguyen", a family name the list holds in runs) walks its own
        // bearers, not the list.
        assert_eq!(
            plan_search_combining(&SQLITE_COSTS, everyone, &[counted], 20, &[Some(1)]),
            SearchPlan::Ordered {
                driver: 0,
                probe: vec![]
            }
        );
        // A rare word is still read first.
        assert!(matches!(
            plan_search_combining(
                &POSTGRES_COSTS,
                PEOPLE,
                &[390_000.0, 12.0],
                20,
                &[Some(1), Some(1)]
            ),
            SearchPlan::Matches { .. }
        ));
    }

    /// A name search narrowed to a post's holders finds them wherever they stand in the list,
    /// even when its figures would have it walk only its words' first bearers: a search with
    /// a post or organization starts from the holders and checks their words. On SQLite, and
    /// on PostgreSQL where the storage tests have one.
    #[tokio::test]
    async fn a_search_narrowed_to_holders_finds_them_anywhere_in_the_list() {
        let db = Database::connect_and_migrate(&crate::StorageOptions::new("sqlite::memory:"))
            .await
            .unwrap();
        narrowed_search_finds_holders(&db).await;
        if let Some((db, scratch)) = ScratchPostgres::open("narrowed").await {
            narrowed_search_finds_holders(&db).await;
            drop(db);
            scratch.remove().await;
        }
    }

    async fn narrowed_search_finds_holders(db: &Database) {
        use crate::Actor;
        use crate::batch::Write;
        use gazette_domain::date::{PartialDate, Period};
        use gazette_domain::holding::{Holding, HoldingDetails, HoldingKind};
        use gazette_domain::ids::HoldingId;
        use gazette_domain::name::PersonName;
        use gazette_domain::organization::{Classification, Organization, OrganizationDetails};
        use gazette_domain::person::PersonDetails;
        use gazette_domain::post::{Post, PostDetails, Seats};
        use gazette_domain::text::Text;
        let committee = Organization::new(
            OrganizationId::new(),
            OrganizationDetails::new(
                Text::parse("Ủy ban nhân dân thành phố Cần Thơ").unwrap(),
                Classification::PeoplesCommittee,
            ),
        )
        .unwrap();
        let posts: Vec<Post> = ["Chủ tịch", "Phó Chủ tịch"]
            .iter()
            .map(|title| {
                Post::new(
                    PostId::new(),
                    PostDetails {
                        organization: committee.id(),
                        title: Text::parse(title).unwrap(),
                        seats: Seats::ONE,
                        life: Period::always(),
                    },
                )
                .unwrap()
            })
            .collect();
        let people: Vec<Person> = (0..60)
            .map(|n| {
                let name = format!("Nguyễn Văn {}", ["An", "Bình", "Xuân"][n / 20]);
                Person::new(
                    PersonId::new(),
                    PersonDetails::named(PersonName::parse(&name).unwrap()),
                )
                .unwrap()
            })
            .collect();
        let mut listed: Vec<&Person> = people.iter().collect();
        listed.sort_by_key(|p| (p.name.sort_key(), p.id().as_uuid()));
        let holders = [listed[58], listed[59]];
        let mut writes = vec![Write::CreateOrganization(committee.clone())];
        writes.extend(posts.iter().cloned().map(Write::CreatePost));
        writes.extend(people.iter().cloned().map(Write::CreatePerson));
        for (holder, post) in holders.iter().zip(&posts) {
            writes.push(Write::Appoint(
                Holding::new(
                    HoldingId::new(),
                    HoldingDetails {
                        person: holder.id(),
                        post: post.id(),
                        period: Period::from_start(PartialDate::parse("2021").unwrap()),
                        kind: HoldingKind::Appointed,
                        term: None,
                        document: None,
                        end_reason: None,
                    },
                )
                .unwrap(),
            ));
        }
        db.bulk_insert(&Actor::new("test:editor").unwrap(), &writes)
            .await
            .unwrap();
        // A large register's figures (under SQLite's counting cap), under which "nguyen van"
        // walks the bearers of "van" in list order, one token each.
        let estimates = db.estimates();
        estimates.put(Figure::People, 200_000.0);
        estimates.put(Figure::Matches("nguyen".to_owned()), 15_000.0);
        estimates.put(Figure::Matches("van".to_owned()), 12_000.0);
        estimates.put(Figure::Tokens("nguyen".to_owned()), 1.0);
        estimates.put(Figure::Tokens("van".to_owned()), 1.0);
        let words = vec!["nguyen".to_owned(), "van".to_owned()];
        let page = PageRequest::first(20);
        let unnarrowed = db
            .search_plan(db.reader(), &words, &page, false)
            .await
            .unwrap();
        assert!(
            matches!(
                unnarrowed,
                SearchPlan::Ordered { .. } | SearchPlan::Combined { .. }
            ),
            "{unnarrowed:?}"
        );
        let narrowed = db
            .search_plan(db.reader(), &words, &page, true)
            .await
            .unwrap();
        assert_eq!(narrowed, SearchPlan::Walk);
        let expected: Vec<Uuid> = holders.iter().map(|p| p.id().as_uuid()).collect();
        for filter in [
            PersonFilter {
                name: Some("Nguyễn Văn".to_owned()),
                organization: Some(committee.id()),
                ..PersonFilter::default()
            },
            PersonFilter {
                name: Some("nguyen van".to_owned()),
                post: Some(posts[1].id()),
                ..PersonFilter::default()
            },
        ] {
            let found = db.people(&filter, &page).await.unwrap();
            let ids: Vec<Uuid> = found.edges.iter().map(|e| e.node.id().as_uuid()).collect();
            let wanted = if filter.post.is_some() {
                &expected[1..]
            } else {
                &expected[..]
            };
            assert_eq!(ids, wanted, "{filter:?}");
        }
    }

    /// Migration 5 gives the people of a database written before it their token pairs and
    /// triples, the same rows the storage layer writes for a new person, and one row of empty
    /// tokens to a person with more than [`MAX_COMBINED_TOKENS`]. On SQLite, and on PostgreSQL
    /// where the storage tests have one.
    #[tokio::test]
    async fn the_migration_combines_the_tokens_of_people_written_before_it() {
        use gazette_migrations::{Migrator, MigratorTrait};
        let file = std::env::temp_dir().join(format!("gazette-combine-{}.db", Uuid::now_v7()));
        let url = format!("sqlite://{}?mode=rwc", file.display());
        migrate_and_compare(&sea_orm::Database::connect(&url).await.unwrap()).await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
        let Some((url, scratch)) = ScratchPostgres::create("combine").await else {
            return;
        };
        let db = sea_orm::Database::connect(url).await.unwrap();
        migrate_and_compare(&db).await;
        db.close().await.unwrap();
        scratch.remove().await;

        async fn migrate_and_compare(db: &sea_orm::DatabaseConnection) {
            Migrator::up(db, Some(4)).await.unwrap();
            let people = plan_test_people();
            for person in &people {
                let row = to_row(person).unwrap();
                person::Entity::insert(row)
                    .exec_without_returning(db)
                    .await
                    .unwrap();
                person_name_token::Entity::insert_many(token_rows(person))
                    .exec_without_returning(db)
                    .await
                    .unwrap();
            }
            Migrator::up(db, None).await.unwrap();
            let stored: BTreeSet<(Uuid, String, String, String, String)> =
                person_name_combination::Entity::find()
                    .all(db)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|c| (c.person_id, c.first, c.second, c.third, c.sort_key))
                    .collect();
            let written: BTreeSet<(Uuid, String, String, String, String)> = people
                .iter()
                .flat_map(combination_rows)
                .map(|c| {
                    (
                        c.person_id.unwrap(),
                        c.first.unwrap(),
                        c.second.unwrap(),
                        c.third.unwrap(),
                        c.sort_key.unwrap(),
                    )
                })
                .collect();
            assert!(
                written.iter().any(|(_, first, ..)| first.is_empty()),
                "some people have too many tokens to combine"
            );
            assert_eq!(stored, written);
        }
    }

    #[test]
    fn a_word_nobody_has_ends_the_search_at_once() {
        assert!(matches!(
            plan_search(&POSTGRES_COSTS, PEOPLE, &[390_000.0, 0.0], 20, None),
            SearchPlan::Matches { .. }
        ));
    }
}
