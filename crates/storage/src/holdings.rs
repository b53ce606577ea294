//! Holdings: appoint under the seat rule, end, update, and who held what on a date.
//!
//! A write to an existing holding locks the holding's row and then its post's row (on
//! PostgreSQL), so concurrent changes to one holding are applied one after the other and the
//! seat rule always counts the post's holdings as committed by the writers before it.

use std::collections::HashMap;
use std::hash::Hash;

use chrono::NaiveDate;
use gazette_domain::date::{PartialDate, Period};
use gazette_domain::holding::{
    EndReason, Holding, HoldingContext, HoldingDetails, HoldingKind, TermLabel, check_holding,
};
use gazette_domain::ids::{HoldingId, PersonId, PostId};
use gazette_domain::organization::Organization;
use gazette_domain::post::Post;
use gazette_domain::text::Text;
use sea_orm::sea_query::{Expr, NullOrdering};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult,
    Order, QueryFilter, QueryOrder, QueryTrait, Select, Set,
};
use uuid::Uuid;

use crate::Database;
use crate::audit::{self, Actor};
use crate::convert::join_referenced;
use crate::convert::uuid_in;
use crate::convert::{from_json_text, now, partial_date, to_json_text};
use crate::entity::{holding, organization, post};
use crate::error::StorageError;
use crate::organizations::{joined_organization, load_organization, post_from_row};
use crate::people::active_on;

pub(crate) const KIND: &str = "holding";

pub(crate) fn holding_row(holding: &Holding) -> Result<holding::ActiveModel, StorageError> {
    let at = now();
    Ok(holding::ActiveModel {
        id: Set(holding.id().as_uuid()),
        person_id: Set(holding.person.as_uuid()),
        post_id: Set(holding.post.as_uuid()),
        start_date: Set(holding.period.start().map(|d| d.to_string())),
        end_date: Set(holding.period.end().map(|d| d.to_string())),
        active_from: Set(holding.period.earliest()),
        active_to: Set(holding.period.latest()),
        kind: Set(holding.kind.code().to_owned()),
        term: Set(holding.term.map(|t| t.to_string())),
        document: Set(holding.document.as_ref().map(ToString::to_string)),
        end_reason: Set(holding.end_reason.as_ref().map(to_json_text).transpose()?),
        created_at: Set(at),
        updated_at: Set(at),
    })
}

pub(crate) fn holding_from_row(row: holding::Model) -> Result<Holding, StorageError> {
    let id = row.id;
    let corrupt = |problem: String| StorageError::corrupt(KIND, id, problem);
    let details = HoldingDetails {
        person: PersonId::from_uuid(row.person_id),
        post: PostId::from_uuid(row.post_id),
        period: Period::new(
            partial_date(KIND, id, row.start_date.as_deref())?,
            partial_date(KIND, id, row.end_date.as_deref())?,
        )
        .map_err(|e| corrupt(e.to_string()))?,
        kind: HoldingKind::from_code(&row.kind)
            .ok_or_else(|| corrupt(format!("unknown kind {:?}", row.kind)))?,
        term: row
            .term
            .as_deref()
            .map(TermLabel::parse)
            .transpose()
            .map_err(|e| corrupt(e.to_string()))?,
        document: row
            .document
            .as_deref()
            .map(Text::parse)
            .transpose()
            .map_err(|e| corrupt(e.to_string()))?,
        end_reason: row
            .end_reason
            .as_deref()
            .map(|text| from_json_text::<EndReason>(KIND, id, text))
            .transpose()?,
    };
    Holding::new(HoldingId::from_uuid(id), details).map_err(|e| corrupt(e.to_string()))
}

/// Checks a new or changed holding against the current rows, inside the write's transaction,
/// after locking its post's row so that two writers cannot both pass the seat rule.
pub(crate) async fn check_in_transaction(
    database: &Database,
    transaction: &impl ConnectionTrait,
    holding: &Holding,
) -> Result<(), StorageError> {
    let post_row = database
        .for_update(post::Entity::find_by_id(holding.post.as_uuid()))
        .one(transaction)
        .await?
        .ok_or_else(|| StorageError::NotFound {
            kind: crate::organizations::POST_KIND,
            id: holding.post.to_string(),
        })?;
    let post = post_from_row(post_row)?;
    let organization = load_organization(transaction, post.organization).await?;
    let person = crate::people::load_person(transaction, holding.person).await?;
    // Only the holdings that may overlap this one can break a rule (the person holding the
    // post twice at once, the seat rule), and of an unlimited post only the person's own: read
    // those, not the post's whole history (thousands of rows for a post held for decades).
    let mut select =
        holding::Entity::find().filter(holding::Column::PostId.eq(holding.post.as_uuid()));
    if let Some(latest) = holding.period.latest() {
        select = select.filter(
            Condition::any()
                .add(holding::Column::ActiveFrom.is_null())
                .add(holding::Column::ActiveFrom.lte(latest)),
        );
    }
    if let Some(earliest) = holding.period.earliest() {
        select = select.filter(
            Condition::any()
                .add(holding::Column::ActiveTo.is_null())
                .add(holding::Column::ActiveTo.gte(earliest)),
        );
    }
    if post.seats.limit().is_none() {
        select = select.filter(holding::Column::PersonId.eq(holding.person.as_uuid()));
    }
    let holdings_of_post = select
        .all(transaction)
        .await?
        .into_iter()
        .map(holding_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    check_holding(
        holding,
        HoldingContext {
            person: &person,
            post: &post,
            organization: &organization,
            holdings_of_post: &holdings_of_post,
        },
    )?;
    Ok(())
}

/// Reads a holding's row inside a write transaction, locking it (on PostgreSQL) until the
/// transaction ends.
async fn lock_holding(
    database: &Database,
    transaction: &impl ConnectionTrait,
    id: HoldingId,
) -> Result<holding::Model, StorageError> {
    database
        .for_update(holding::Entity::find_by_id(id.as_uuid()))
        .one(transaction)
        .await?
        .ok_or_else(|| StorageError::NotFound {
            kind: KIND,
            id: id.to_string(),
        })
}

/// Checks a changed holding against the current rows and writes it over the stored row,
/// keeping the row's creation time, with an audit entry, in the caller's transaction.
async fn save_changed(
    database: &Database,
    transaction: &DatabaseTransaction,
    actor: &Actor,
    operation: &str,
    stored: &holding::Model,
    holding: &Holding,
) -> Result<(), StorageError> {
    check_in_transaction(database, transaction, holding).await?;
    let mut row = holding_row(holding)?;
    row.created_at = Set(stored.created_at);
    holding::Entity::update(row).exec(transaction).await?;
    audit::record(
        transaction,
        actor,
        operation,
        KIND,
        holding.id().as_uuid(),
        holding,
    )
    .await
}

/// The holdings whose `column` is one of `ids`, active on `on` when given, in the order "who
/// held what" lists use: unknown start first, then by the first day the start covers, then by
/// id.
fn holdings_select(
    database: &Database,
    column: holding::Column,
    ids: impl IntoIterator<Item = Uuid>,
    on: Option<NaiveDate>,
) -> Select<holding::Entity> {
    let mut select = holding::Entity::find().filter(uuid_in(database.reader(), column, ids));
    if let Some(day) = on {
        select = select.filter(active_on(day));
    }
    select
        .order_by_with_nulls(holding::Column::ActiveFrom, Order::Asc, NullOrdering::First)
        .order_by_asc(holding::Column::Id)
}

/// Reads the holdings whose `column` is one of `keys`, active on `on` when given, in one
/// statement, grouped by that column in the order "who held what" lists use: unknown start
/// first, then by the first day the start covers, then by id. Every key asked for has an entry.
async fn holdings_grouped_by<K: Copy + Eq + Hash>(
    database: &Database,
    column: holding::Column,
    keys: &[K],
    uuid: impl Fn(K) -> Uuid,
    key_of: impl Fn(&Holding) -> K,
    on: Option<NaiveDate>,
) -> Result<HashMap<K, Vec<Holding>>, StorageError> {
    let mut grouped: HashMap<K, Vec<Holding>> = keys.iter().map(|k| (*k, Vec::new())).collect();
    if keys.is_empty() {
        return Ok(grouped);
    }
    let rows = holdings_select(database, column, keys.iter().map(|k| uuid(*k)), on)
        .all(database.reader())
        .await?;
    for row in rows {
        let holding = holding_from_row(row)?;
        grouped.entry(key_of(&holding)).or_default().push(holding);
    }
    Ok(grouped)
}

/// How far [`Database::holdings_of_people_with_posts`] reads along each holding, in the same
/// statement: its post, also the post's organization, also that organization's parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HoldingReach {
    /// The holding's post.
    Post,
    /// The post and its organization.
    Organization,
    /// The post, its organization and the organization's parent (when it has one).
    Parent,
}

/// A holding with the records it refers to, read in the same statement (see [`HoldingReach`]).
#[derive(Debug, Clone, PartialEq)]
pub struct HoldingWithPost {
    /// The holding.
    pub holding: Holding,
    /// Its post.
    pub post: Post,
    /// The post's organization, when it was asked for.
    pub organization: Option<Organization>,
    /// That organization's parent, when it was asked for and the organization has one.
    pub parent: Option<Organization>,
}

impl Database {
    /// [`Self::holdings_of_people`] with each holding's post (and, as `reach` says, the post's
    /// organization and its parent) read in the same statement, for readers that would
    /// otherwise ask for those next: one statement instead of up to four. The records are as
    /// [`Self::posts_by_ids`] and [`Self::organizations_by_ids_bare`] read them (organizations
    /// without their predecessors and identifiers). Every id asked for has an entry.
    pub async fn holdings_of_people_with_posts(
        &self,
        ids: &[PersonId],
        on: Option<NaiveDate>,
        reach: HoldingReach,
    ) -> Result<HashMap<PersonId, Vec<HoldingWithPost>>, StorageError> {
        let mut grouped: HashMap<PersonId, Vec<HoldingWithPost>> =
            ids.iter().map(|id| (*id, Vec::new())).collect();
        if ids.is_empty() {
            return Ok(grouped);
        }
        let mut query = holdings_select(
            self,
            holding::Column::PersonId,
            ids.iter().map(PersonId::as_uuid),
            on,
        )
        .into_query();
        let backend = self.reader().get_database_backend();
        let joined_post = join_referenced::<post::Entity>(
            &mut query,
            backend,
            "joined_post",
            post::Column::Id,
            Expr::col((holding::Entity, holding::Column::PostId)),
            "p_",
        );
        if reach >= HoldingReach::Organization {
            let joined_organization = join_referenced::<organization::Entity>(
                &mut query,
                backend,
                "joined_organization",
                organization::Column::Id,
                joined_post.column(post::Column::OrganizationId),
                "o_",
            );
            if reach >= HoldingReach::Parent {
                join_referenced::<organization::Entity>(
                    &mut query,
                    backend,
                    "joined_parent",
                    organization::Column::Id,
                    joined_organization.column(organization::Column::ParentId),
                    "q_",
                );
            }
        }
        for row in self.reader().query_all(&query).await? {
            let holding = holding_from_row(holding::Model::from_query_result(&row, "")?)?;
            let post = post_from_row(post::Model::from_query_result(&row, "p_")?)?;
            let organization = if reach >= HoldingReach::Organization {
                joined_organization(&row, "o_")?
            } else {
                None
            };
            let parent = if reach >= HoldingReach::Parent {
                joined_organization(&row, "q_")?
            } else {
                None
            };
            grouped
                .entry(holding.person)
                .or_default()
                .push(HoldingWithPost {
                    holding,
                    post,
                    organization,
                    parent,
                });
        }
        Ok(grouped)
    }

    /// Appoints: records a new holding after checking it against the person, the post, its
    /// organization and the post's other holdings (the seat rule), all in one transaction.
    pub async fn appoint(&self, actor: &Actor, holding: &Holding) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        self.appoint_in(&transaction, actor, holding).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// [`Self::appoint`] inside a write transaction the caller commits.
    pub(crate) async fn appoint_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        holding: &Holding,
    ) -> Result<(), StorageError> {
        check_in_transaction(self, transaction, holding).await?;
        holding::Entity::insert(holding_row(holding)?)
            .exec_without_returning(transaction)
            .await?;
        audit::record(
            transaction,
            actor,
            "appoint",
            KIND,
            holding.id().as_uuid(),
            holding,
        )
        .await
    }

    /// One holding.
    pub async fn holding(&self, id: HoldingId) -> Result<Holding, StorageError> {
        let row = holding::Entity::find_by_id(id.as_uuid())
            .one(self.reader())
            .await?
            .ok_or_else(|| StorageError::NotFound {
                kind: KIND,
                id: id.to_string(),
            })?;
        holding_from_row(row)
    }

    /// The holdings with these ids (those that exist), in one statement.
    pub async fn holdings_by_ids(&self, ids: &[HoldingId]) -> Result<Vec<Holding>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        holding::Entity::find()
            .filter(uuid_in(
                self.reader(),
                holding::Column::Id,
                ids.iter().map(HoldingId::as_uuid),
            ))
            .all(self.reader())
            .await?
            .into_iter()
            .map(holding_from_row)
            .collect()
    }

    /// Ends a holding on `end` for `reason`, after checking the ended holding against the
    /// current rows like any change. Returns the holding as now stored.
    pub async fn end_holding(
        &self,
        actor: &Actor,
        id: HoldingId,
        end: PartialDate,
        reason: Option<EndReason>,
    ) -> Result<Holding, StorageError> {
        let transaction = self.begin_write().await?;
        let holding = self
            .end_holding_in(&transaction, actor, id, end, reason)
            .await?;
        transaction.commit().await?;
        Ok(holding)
    }

    /// [`Self::end_holding`] inside a write transaction the caller commits.
    pub(crate) async fn end_holding_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        id: HoldingId,
        end: PartialDate,
        reason: Option<EndReason>,
    ) -> Result<Holding, StorageError> {
        let stored = lock_holding(self, transaction, id).await?;
        let mut holding = holding_from_row(stored.clone())?;
        holding.end(end, reason)?;
        save_changed(self, transaction, actor, "end_holding", &stored, &holding).await?;
        Ok(holding)
    }

    /// Replaces a holding's details (period, kind, term, document, end reason) after checking
    /// them against the current rows. The person and the post cannot change: a holding of
    /// another post or by another person is another holding.
    pub async fn update_holding(
        &self,
        actor: &Actor,
        holding: &Holding,
    ) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        self.update_holding_in(&transaction, actor, holding).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// [`Self::update_holding`] inside a write transaction the caller commits.
    pub(crate) async fn update_holding_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        holding: &Holding,
    ) -> Result<(), StorageError> {
        let stored = lock_holding(self, transaction, holding.id()).await?;
        if stored.person_id != holding.person.as_uuid() || stored.post_id != holding.post.as_uuid()
        {
            return Err(StorageError::InvalidInput(format!(
                "holding {} is of person {} in post {}; its person and post cannot change \
                 (end it and appoint anew instead)",
                holding.id(),
                stored.person_id,
                stored.post_id
            )));
        }
        save_changed(self, transaction, actor, "update", &stored, holding).await
    }

    /// "Who held post X on D": the holdings of each post, active on `on` when given (every
    /// holding otherwise), in one statement whatever the number of ids. A holding counts as
    /// active on every day its partial dates may cover (see `gazette_domain::date`). Every id
    /// asked for has an entry.
    pub async fn holdings_of_posts(
        &self,
        ids: &[PostId],
        on: Option<NaiveDate>,
    ) -> Result<HashMap<PostId, Vec<Holding>>, StorageError> {
        holdings_grouped_by(
            self,
            holding::Column::PostId,
            ids,
            |id: PostId| id.as_uuid(),
            |h| h.post,
            on,
        )
        .await
    }

    /// "What did P hold on D": the holdings of each person, active on `on` when given (every
    /// holding otherwise), in one statement whatever the number of ids. Every id asked for has
    /// an entry.
    pub async fn holdings_of_people(
        &self,
        ids: &[PersonId],
        on: Option<NaiveDate>,
    ) -> Result<HashMap<PersonId, Vec<Holding>>, StorageError> {
        holdings_grouped_by(
            self,
            holding::Column::PersonId,
            ids,
            |id: PersonId| id.as_uuid(),
            |h| h.person,
            on,
        )
        .await
    }
}
