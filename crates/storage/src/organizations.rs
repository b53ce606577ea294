//! Organizations and posts: create, update, read, and list by classification, parent and name.
//!
//! Locks, on PostgreSQL, are always taken in the same order (an organization's row before its
//! posts' rows, a post's row before reading its holdings), so two writers wait for each other
//! instead of deadlocking, and a writer that waited reads the rows the other one committed.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use gazette_domain::date::Period;
use gazette_domain::holding::{HoldingContext, HoldingError, check_holding};
use gazette_domain::identifier::Identifier;
use gazette_domain::ids::{OrganizationId, PersonId, PostId};
use gazette_domain::organization::{
    Classification, Level, Organization, OrganizationDetails, Succession, SuccessionKind,
};
use gazette_domain::person::Person;
use gazette_domain::post::{Post, PostDetails, Seats};
use gazette_domain::text::{Text, fold};
use sea_orm::sea_query::LikeExpr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, Set,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::convert::{from_json_text, now, partial_date, to_json_text};
use crate::convert::{json_record, json_uuid, uuid_in};
use crate::entity::{holding, organization, organization_succession, post};
use crate::error::StorageError;
use crate::holdings::holding_from_row;
use crate::keyset::{KeyKind, Keyset};
use crate::page::{Page, PageRequest};
use crate::people::search_words;
use crate::{Database, identifiers};

/// Which organizations to list. Every field narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrganizationFilter {
    /// Organizations of this kind.
    pub classification: Option<Classification>,
    /// Organizations of this tier of government.
    pub level: Option<Level>,
    /// The direct children of this organization.
    pub parent: Option<OrganizationId>,
    /// Only organizations without a parent (the tops of the tree); cannot be combined with
    /// `parent`.
    pub roots_only: bool,
    /// Words the name must contain, as word prefixes, compared folded: "ban dan van",
    /// "BAN DÂN VẬN" and "dan v" all find "Ban Dân vận Thành ủy Cần Thơ", and "Ủy ban" finds
    /// "Uỷ ban". Only the current name is searched (not the abbreviation nor other names).
    pub name: Option<String>,
}

/// At most this many words of a name search are used, so that a pasted paragraph cannot build
/// an unbounded query.
const MAX_SEARCH_WORDS: usize = 8;

pub(crate) const KIND: &str = "organization";
pub(crate) const POST_KIND: &str = "post";

fn succession_kind_code(kind: SuccessionKind) -> &'static str {
    match kind {
        SuccessionKind::Merger => "merger",
        SuccessionKind::Split => "split",
        SuccessionKind::Reorganization => "reorganization",
    }
}

fn succession_kind(code: &str) -> Option<SuccessionKind> {
    [
        SuccessionKind::Merger,
        SuccessionKind::Split,
        SuccessionKind::Reorganization,
    ]
    .into_iter()
    .find(|k| succession_kind_code(*k) == code)
}

pub(crate) fn organization_row(
    organization: &Organization,
) -> Result<organization::ActiveModel, StorageError> {
    let at = now();
    Ok(organization::ActiveModel {
        id: Set(organization.id().as_uuid()),
        name: Set(organization.name.to_string()),
        name_fold: Set(organization.name.fold()),
        abbreviation: Set(organization.abbreviation.as_ref().map(ToString::to_string)),
        classification: Set(organization.classification.code().to_owned()),
        level: Set(organization.level.map(|l| l.code().to_owned())),
        parent_id: Set(organization.parent.map(|p| p.as_uuid())),
        life_start: Set(organization.life.start().map(|d| d.to_string())),
        life_end: Set(organization.life.end().map(|d| d.to_string())),
        other_names: Set(to_json_text(&organization.other_names)?),
        created_at: Set(at),
        updated_at: Set(at),
    })
}

/// One predecessor link of an organization, from its row.
fn succession_from_row(row: organization_succession::Model) -> Result<Succession, StorageError> {
    let id = row.organization_id;
    Ok(Succession {
        predecessor: OrganizationId::from_uuid(row.predecessor_id),
        kind: succession_kind(&row.kind).ok_or_else(|| {
            StorageError::corrupt(KIND, id, format!("unknown succession kind {:?}", row.kind))
        })?,
        date: partial_date(KIND, id, row.date.as_deref())?,
    })
}

/// Reads an organization's row back, with its successions and identifiers.
pub(crate) fn organization_from_row(
    row: organization::Model,
    successions: Vec<organization_succession::Model>,
    identifiers: Vec<gazette_domain::identifier::Identifier>,
) -> Result<Organization, StorageError> {
    let columns = OrganizationColumns(
        row.id,
        row.name,
        row.abbreviation,
        row.classification,
        row.level,
        row.parent_id,
        row.life_start,
        row.life_end,
        row.other_names,
    );
    organization_from_columns(columns, successions, identifiers)
}

/// The columns of an organization's row that make the organization (all but the timestamps),
/// in the order [`organization_json`] writes them.
#[derive(Debug, Deserialize)]
pub(crate) struct OrganizationColumns(
    Uuid,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<Uuid>,
    Option<String>,
    Option<String>,
    String,
);

impl OrganizationColumns {
    /// The organization's id.
    pub(crate) fn id(&self) -> Uuid {
        self.0
    }
}

/// SQL for the organization row `table` (joined into a statement, possibly with none) as a
/// JSON array of its [`OrganizationColumns`], or NULL when there is none: for statements that
/// bring organizations back inside a JSON aggregate. On SQLite the ids are hexadecimal text,
/// which [`Uuid`] reads as well as PostgreSQL's hyphenated form.
pub(crate) fn organization_json(backend: DbBackend, table: &str) -> String {
    let columns = [
        json_uuid(backend, &format!("{table}.id")),
        format!("{table}.name"),
        format!("{table}.abbreviation"),
        format!("{table}.classification"),
        format!("{table}.level"),
        json_uuid(backend, &format!("{table}.parent_id")),
        format!("{table}.life_start"),
        format!("{table}.life_end"),
        format!("{table}.other_names"),
    ];
    json_record(backend, table, &columns)
}

/// A bare organization (no predecessors or identifiers, as [`joined_organization`] reads it)
/// from the columns [`organization_json`] wrote.
pub(crate) fn organization_from_json(
    columns: OrganizationColumns,
) -> Result<Organization, StorageError> {
    organization_from_columns(columns, Vec::new(), Vec::new())
}

fn organization_from_columns(
    OrganizationColumns(
        id,
        name,
        abbreviation,
        classification,
        level,
        parent_id,
        life_start,
        life_end,
        other_names,
    ): OrganizationColumns,
    successions: Vec<organization_succession::Model>,
    identifiers: Vec<gazette_domain::identifier::Identifier>,
) -> Result<Organization, StorageError> {
    let corrupt = |problem: String| StorageError::corrupt(KIND, id, problem);
    let predecessors = successions
        .into_iter()
        .map(succession_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let details = OrganizationDetails {
        name: Text::parse(&name).map_err(|e| corrupt(e.to_string()))?,
        abbreviation: abbreviation
            .as_deref()
            .map(Text::parse)
            .transpose()
            .map_err(|e| corrupt(e.to_string()))?,
        classification: Classification::from_code(&classification)
            .ok_or_else(|| corrupt(format!("unknown classification {classification:?}")))?,
        level: level
            .as_deref()
            .map(|code| {
                Level::from_code(code).ok_or_else(|| corrupt(format!("unknown level {code:?}")))
            })
            .transpose()?,
        parent: parent_id.map(OrganizationId::from_uuid),
        life: Period::new(
            partial_date(KIND, id, life_start.as_deref())?,
            partial_date(KIND, id, life_end.as_deref())?,
        )
        .map_err(|e| corrupt(e.to_string()))?,
        other_names: from_json_text(KIND, id, &other_names)?,
        predecessors,
        identifiers,
    };
    Organization::new(OrganizationId::from_uuid(id), details).map_err(|e| corrupt(e.to_string()))
}

/// The rows of an organization's predecessors, in list order.
pub(crate) fn succession_rows(
    organization: &Organization,
) -> Vec<organization_succession::ActiveModel> {
    let id = organization.id().as_uuid();
    organization
        .predecessors
        .iter()
        .zip(0..)
        .map(
            |(succession, position)| organization_succession::ActiveModel {
                organization_id: Set(id),
                position: Set(position),
                predecessor_id: Set(succession.predecessor.as_uuid()),
                kind: Set(succession_kind_code(succession.kind).to_owned()),
                date: Set(succession.date.map(|d| d.to_string())),
            },
        )
        .collect()
}

async fn save_successions(
    transaction: &impl ConnectionTrait,
    organization: &Organization,
) -> Result<(), StorageError> {
    let id = organization.id().as_uuid();
    organization_succession::Entity::delete_many()
        .filter(organization_succession::Column::OrganizationId.eq(id))
        .exec(transaction)
        .await?;
    if organization.predecessors.is_empty() {
        return Ok(());
    }
    organization_succession::Entity::insert_many(succession_rows(organization))
        .exec_without_returning(transaction)
        .await?;
    Ok(())
}

/// Checks that the organization's parent exists and keeps the tree a tree, reading the parent
/// chain inside the write's transaction. With `lock`, every ancestor's row is locked as it is
/// read, so that two updates that would together close a cycle (A under B, B under A) cannot
/// both pass: the second waits for the first and then reads its new parent.
async fn check_tree(
    database: &Database,
    transaction: &impl ConnectionTrait,
    organization: &Organization,
    lock: bool,
) -> Result<(), StorageError> {
    let Some(parent) = organization.parent else {
        return Ok(());
    };
    // Walk the chain upwards, collecting each ancestor's parent; the domain rule then decides.
    let mut parents: HashMap<OrganizationId, Option<OrganizationId>> = HashMap::new();
    let mut cursor = Some(parent);
    while let Some(current) = cursor {
        if parents.contains_key(&current) || current == organization.id() {
            break;
        }
        let mut select = organization::Entity::find_by_id(current.as_uuid());
        if lock {
            select = database.for_update(select);
        }
        let row = select
            .one(transaction)
            .await?
            .ok_or_else(|| StorageError::NotFound {
                kind: KIND,
                id: current.to_string(),
            })?;
        let next = row.parent_id.map(OrganizationId::from_uuid);
        parents.insert(current, next);
        cursor = next;
    }
    organization.check_tree(|id| parents.get(&id).copied().flatten())?;
    Ok(())
}

/// Checks that the posts of an organization whose life changed, and their holdings, still lie
/// within the new life. The posts' rows are locked first, so an appointment to one of them
/// either finished before (and its holding is checked here) or waits and then reads the new
/// life.
async fn check_life_of_contents(
    database: &Database,
    transaction: &impl ConnectionTrait,
    organization: &Organization,
) -> Result<(), StorageError> {
    let posts = database
        .for_update(
            post::Entity::find()
                .filter(post::Column::OrganizationId.eq(organization.id().as_uuid())),
        )
        .all(transaction)
        .await?
        .into_iter()
        .map(post_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    for post in &posts {
        post.check_organization(organization)?;
    }
    if posts.is_empty() {
        return Ok(());
    }
    let holdings = holding::Entity::find()
        .filter(holding::Column::PostId.is_in(posts.iter().map(|p| p.id().as_uuid())))
        .all(transaction)
        .await?;
    for row in holdings {
        let holding = holding_from_row(row)?;
        if !holding.period.lies_within(&organization.life) {
            return Err(HoldingError::OutsideLife {
                holding: holding.id(),
                period: holding.period,
                what: "organization",
                name: organization.name.to_string(),
                life: organization.life,
            }
            .into());
        }
    }
    Ok(())
}

pub(crate) fn post_row(post: &Post) -> post::ActiveModel {
    let at = now();
    post::ActiveModel {
        id: Set(post.id().as_uuid()),
        organization_id: Set(post.organization.as_uuid()),
        title: Set(post.title.to_string()),
        title_fold: Set(post.title.fold()),
        seats: Set(post.seats.limit().and_then(|n| i32::try_from(n).ok())),
        life_start: Set(post.life.start().map(|d| d.to_string())),
        life_end: Set(post.life.end().map(|d| d.to_string())),
        created_at: Set(at),
        updated_at: Set(at),
    }
}

pub(crate) fn post_from_row(row: post::Model) -> Result<Post, StorageError> {
    let id = row.id;
    let corrupt = |problem: String| StorageError::corrupt(POST_KIND, id, problem);
    let seats = Seats::try_from(row.seats.map(|n| u32::try_from(n).unwrap_or(0)))
        .map_err(|e| corrupt(e.to_string()))?;
    let details = PostDetails {
        organization: OrganizationId::from_uuid(row.organization_id),
        title: Text::parse(&row.title).map_err(|e| corrupt(e.to_string()))?,
        seats,
        life: Period::new(
            partial_date(POST_KIND, id, row.life_start.as_deref())?,
            partial_date(POST_KIND, id, row.life_end.as_deref())?,
        )
        .map_err(|e| corrupt(e.to_string()))?,
    };
    Post::new(PostId::from_uuid(id), details).map_err(|e| corrupt(e.to_string()))
}

/// Reads one organization row inside a transaction (or from the reader) as a domain value.
pub(crate) async fn load_organization(
    db: &impl ConnectionTrait,
    id: OrganizationId,
) -> Result<Organization, StorageError> {
    let row = organization::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or_else(|| StorageError::NotFound {
            kind: KIND,
            id: id.to_string(),
        })?;
    let mut organizations = organizations_from_rows(db, vec![row]).await?;
    organizations
        .pop()
        .ok_or_else(|| StorageError::internal("organization vanished"))
}

/// Reads one post row inside a transaction (or from the reader) as a domain value.
pub(crate) async fn load_post(db: &impl ConnectionTrait, id: PostId) -> Result<Post, StorageError> {
    let row = post::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or_else(|| StorageError::NotFound {
            kind: POST_KIND,
            id: id.to_string(),
        })?;
    post_from_row(row)
}

/// Turns organization rows into domain values, with two more statements whatever their number.
pub(crate) async fn organizations_from_rows(
    db: &impl ConnectionTrait,
    rows: Vec<organization::Model>,
) -> Result<Vec<Organization>, StorageError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut successions: HashMap<Uuid, Vec<organization_succession::Model>> = HashMap::new();
    for row in organization_succession::Entity::find()
        .filter(uuid_in(
            db,
            organization_succession::Column::OrganizationId,
            ids.iter().copied(),
        ))
        .order_by_asc(organization_succession::Column::OrganizationId)
        .order_by_asc(organization_succession::Column::Position)
        .all(db)
        .await?
    {
        successions
            .entry(row.organization_id)
            .or_default()
            .push(row);
    }
    let mut identifiers = identifiers::load(db, KIND, &ids).await?;
    rows.into_iter()
        .map(|row| {
            let id = row.id;
            organization_from_row(
                row,
                successions.remove(&id).unwrap_or_default(),
                identifiers.remove(&id).unwrap_or_default(),
            )
        })
        .collect()
}

/// Reads one organization inside a write transaction, locking its row (on PostgreSQL) until the
/// transaction ends.
async fn lock_organization(
    database: &Database,
    transaction: &impl ConnectionTrait,
    id: OrganizationId,
) -> Result<Organization, StorageError> {
    let row = database
        .for_update(organization::Entity::find_by_id(id.as_uuid()))
        .one(transaction)
        .await?
        .ok_or_else(|| StorageError::NotFound {
            kind: KIND,
            id: id.to_string(),
        })?;
    let mut organizations = organizations_from_rows(transaction, vec![row]).await?;
    organizations
        .pop()
        .ok_or_else(|| StorageError::internal("organization vanished"))
}

/// The condition that a folded word starts one of the words of `name_fold`: the name starts
/// with it, or it follows a space. `!` escapes the LIKE wildcards, so a word is matched
/// literally whatever it contains.
fn word_prefix(word: &str) -> Condition {
    let mut escaped = String::with_capacity(word.len() + 2);
    for c in word.chars() {
        if matches!(c, '!' | '%' | '_') {
            escaped.push('!');
        }
        escaped.push(c);
    }
    Condition::any()
        .add(organization::Column::NameFold.like(LikeExpr::new(format!("{escaped}%")).escape('!')))
        .add(
            organization::Column::NameFold.like(LikeExpr::new(format!("% {escaped}%")).escape('!')),
        )
}

/// Whether a post change can invalidate existing holdings: fewer seats, another life or
/// another organization (whose life the holdings must lie within).
fn post_change_needs_recheck(old: &Post, new: &Post) -> bool {
    let fewer_seats = match (old.seats.limit(), new.seats.limit()) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(old_limit), Some(new_limit)) => new_limit < old_limit,
    };
    fewer_seats || old.life != new.life || old.organization != new.organization
}

impl Database {
    /// Records a new organization: its parent and predecessors must exist, and the parent
    /// must keep the tree a tree.
    pub async fn create_organization(
        &self,
        actor: &Actor,
        organization: &Organization,
    ) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        self.create_organization_in(&transaction, actor, organization)
            .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// [`Self::create_organization`] inside a write transaction the caller commits.
    pub(crate) async fn create_organization_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        organization: &Organization,
    ) -> Result<(), StorageError> {
        // Nothing can refer to an organization not yet recorded, so a new one cannot close a
        // cycle: its parent chain only needs to exist, and need not be locked.
        check_tree(self, transaction, organization, false).await?;
        organization::Entity::insert(organization_row(organization)?)
            .exec_without_returning(transaction)
            .await?;
        save_successions(transaction, organization).await?;
        identifiers::save(
            transaction,
            KIND,
            organization.id().as_uuid(),
            &organization.identifiers,
        )
        .await?;
        audit::record(
            transaction,
            actor,
            "create",
            KIND,
            organization.id().as_uuid(),
            organization,
        )
        .await
    }

    /// The organization holding the identifier `scheme:value` (compared after the
    /// normalization [`Identifier::new`](gazette_domain::identifier::Identifier::new) applies),
    /// if any: importers match records on it before anything else.
    pub async fn organization_by_identifier(
        &self,
        scheme: &str,
        value: &str,
    ) -> Result<Option<Organization>, StorageError> {
        self.organization_by_identifier_in(self.reader(), scheme, value)
            .await
    }

    /// [`Self::organization_by_identifier`] through `db`: inside a write transaction, it sees
    /// the transaction's own writes.
    pub(crate) async fn organization_by_identifier_in(
        &self,
        db: &impl ConnectionTrait,
        scheme: &str,
        value: &str,
    ) -> Result<Option<Organization>, StorageError> {
        let Some(id) = identifiers::find(db, KIND, scheme, value).await? else {
            return Ok(None);
        };
        let rows = organization::Entity::find_by_id(id).all(db).await?;
        Ok(organizations_from_rows(db, rows).await?.pop())
    }

    /// The organizations whose folded current name is exactly `name_fold` once folded (so a
    /// written name works as well as a folded one: "Ủy ban nhân dân thành phố Cần Thơ" and
    /// "uy ban nhan dan thanh pho can tho" both find it, "Ủy ban nhân dân" does not), ordered
    /// by id. Abbreviations and other names are not compared. One indexed lookup, for importers
    /// matching a name (with its context: parent, classification) to its candidates.
    pub async fn organizations_by_folded_name(
        &self,
        name_fold: &str,
    ) -> Result<Vec<Organization>, StorageError> {
        let folded = fold(name_fold);
        if folded.is_empty() {
            return Ok(Vec::new());
        }
        let rows = organization::Entity::find()
            .filter(organization::Column::NameFold.eq(folded))
            .order_by_asc(organization::Column::Id)
            .all(self.reader())
            .await?;
        organizations_from_rows(self.reader(), rows).await
    }

    /// One organization.
    pub async fn organization(&self, id: OrganizationId) -> Result<Organization, StorageError> {
        load_organization(self.reader(), id).await
    }

    /// The organizations with these ids (those that exist), in three statements whatever
    /// their number.
    pub async fn organizations_by_ids(
        &self,
        ids: &[OrganizationId],
    ) -> Result<Vec<Organization>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = organization::Entity::find()
            .filter(uuid_in(
                self.reader(),
                organization::Column::Id,
                ids.iter().map(OrganizationId::as_uuid),
            ))
            .all(self.reader())
            .await?;
        organizations_from_rows(self.reader(), rows).await
    }

    /// The organizations with these ids (those that exist) *without* the lists kept in other
    /// tables: their `predecessors` and `identifiers` are left empty. One statement whatever
    /// their number, where [`Self::organizations_by_ids`] takes three: for readers that load
    /// those lists apart ([`Self::predecessors_of`], [`Self::identifiers_of_organizations`])
    /// and only when they are asked for, as the API does.
    pub async fn organizations_by_ids_bare(
        &self,
        ids: &[OrganizationId],
    ) -> Result<Vec<Organization>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        organization::Entity::find()
            .filter(uuid_in(
                self.reader(),
                organization::Column::Id,
                ids.iter().map(OrganizationId::as_uuid),
            ))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|row| organization_from_row(row, Vec::new(), Vec::new()))
            .collect()
    }

    /// The predecessors of each of these organizations, in their recorded order, in one
    /// statement; every id asked about has an entry, empty when it has none.
    pub async fn predecessors_of(
        &self,
        ids: &[OrganizationId],
    ) -> Result<HashMap<OrganizationId, Vec<Succession>>, StorageError> {
        let mut found: HashMap<OrganizationId, Vec<Succession>> =
            ids.iter().map(|id| (*id, Vec::new())).collect();
        if ids.is_empty() {
            return Ok(found);
        }
        let rows = organization_succession::Entity::find()
            .filter(
                organization_succession::Column::OrganizationId
                    .is_in(ids.iter().map(OrganizationId::as_uuid)),
            )
            .order_by_asc(organization_succession::Column::OrganizationId)
            .order_by_asc(organization_succession::Column::Position)
            .all(self.reader())
            .await?;
        for row in rows {
            let id = OrganizationId::from_uuid(row.organization_id);
            found.entry(id).or_default().push(succession_from_row(row)?);
        }
        Ok(found)
    }

    /// The identifiers of each of these organizations, in their recorded order, in one
    /// statement; every id asked about has an entry, empty when it has none.
    pub async fn identifiers_of_organizations(
        &self,
        ids: &[OrganizationId],
    ) -> Result<HashMap<OrganizationId, Vec<Identifier>>, StorageError> {
        let uuids: Vec<Uuid> = ids.iter().map(OrganizationId::as_uuid).collect();
        let mut loaded = identifiers::load(self.reader(), KIND, &uuids).await?;
        Ok(ids
            .iter()
            .map(|id| (*id, loaded.remove(&id.as_uuid()).unwrap_or_default()))
            .collect())
    }

    /// Records a new post of an existing organization, within the organization's life.
    pub async fn create_post(&self, actor: &Actor, post: &Post) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        self.create_post_in(&transaction, actor, post).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// [`Self::create_post`] inside a write transaction the caller commits.
    pub(crate) async fn create_post_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        post: &Post,
    ) -> Result<(), StorageError> {
        // The organization's row is locked so that a concurrent change of its life either
        // finished before (and is checked here) or waits and then sees this post.
        let organization = lock_organization(self, transaction, post.organization).await?;
        post.check_organization(&organization)?;
        post::Entity::insert(post_row(post))
            .exec_without_returning(transaction)
            .await?;
        audit::record(
            transaction,
            actor,
            "create",
            POST_KIND,
            post.id().as_uuid(),
            post,
        )
        .await
    }

    /// One post.
    pub async fn post(&self, id: PostId) -> Result<Post, StorageError> {
        load_post(self.reader(), id).await
    }

    /// The posts with these ids (those that exist), in one statement.
    pub async fn posts_by_ids(&self, ids: &[PostId]) -> Result<Vec<Post>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        post::Entity::find()
            .filter(uuid_in(
                self.reader(),
                post::Column::Id,
                ids.iter().map(PostId::as_uuid),
            ))
            .all(self.reader())
            .await?
            .into_iter()
            .map(post_from_row)
            .collect()
    }

    /// Replaces an organization's details, predecessors and identifiers. The parent must exist
    /// and keep the tree a tree; when the life changes, every post of the organization and
    /// every holding of those posts must still lie within it.
    pub async fn update_organization(
        &self,
        actor: &Actor,
        organization: &Organization,
    ) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        self.update_organization_in(&transaction, actor, organization)
            .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// [`Self::update_organization`] inside a write transaction the caller commits.
    pub(crate) async fn update_organization_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        organization: &Organization,
    ) -> Result<(), StorageError> {
        let id = organization.id().as_uuid();
        let existing = self
            .for_update(organization::Entity::find_by_id(id))
            .one(transaction)
            .await?
            .ok_or_else(|| StorageError::NotFound {
                kind: KIND,
                id: id.to_string(),
            })?;
        check_tree(self, transaction, organization, true).await?;
        let life_changed = existing.life_start != organization.life.start().map(|d| d.to_string())
            || existing.life_end != organization.life.end().map(|d| d.to_string());
        if life_changed {
            check_life_of_contents(self, transaction, organization).await?;
        }
        let mut row = organization_row(organization)?;
        row.created_at = Set(existing.created_at);
        organization::Entity::update(row).exec(transaction).await?;
        save_successions(transaction, organization).await?;
        identifiers::save(transaction, KIND, id, &organization.identifiers).await?;
        audit::record(transaction, actor, "update", KIND, id, organization).await
    }

    /// Organizations ordered by folded name, then id, a page at a time.
    pub async fn organizations(
        &self,
        filter: &OrganizationFilter,
        page: &PageRequest,
    ) -> Result<Page<Organization>, StorageError> {
        let mut select = organization::Entity::find();
        if let Some(classification) = filter.classification {
            select = select.filter(organization::Column::Classification.eq(classification.code()));
        }
        if let Some(level) = filter.level {
            select = select.filter(organization::Column::Level.eq(level.code()));
        }
        match (filter.parent, filter.roots_only) {
            (Some(_), true) => {
                return Err(StorageError::InvalidInput(
                    "an organization cannot both have a given parent and be a root".to_owned(),
                ));
            }
            (Some(parent), false) => {
                select = select.filter(organization::Column::ParentId.eq(parent.as_uuid()));
            }
            (None, true) => {
                select = select.filter(organization::Column::ParentId.is_null());
            }
            (None, false) => {}
        }
        if let Some(name) = &filter.name {
            let words = search_words(name);
            if words.is_empty() {
                return Err(StorageError::InvalidInput(format!(
                    "the name search {name:?} has no letters or digits"
                )));
            }
            for word in words.iter().take(MAX_SEARCH_WORDS) {
                select = select.filter(word_prefix(word));
            }
        }
        let keyset = Keyset::<organization::Entity>::new(vec![
            (organization::Column::NameFold, KeyKind::Text),
            (organization::Column::Id, KeyKind::Uuid),
        ]);
        let rows = keyset.fetch(select, page, self.reader()).await?;
        let models: Vec<organization::Model> = rows.edges.iter().map(|e| e.node.clone()).collect();
        let mut organizations: HashMap<Uuid, Organization> =
            organizations_from_rows(self.reader(), models)
                .await?
                .into_iter()
                .map(|o| (o.id().as_uuid(), o))
                .collect();
        rows.try_map(|row| {
            organizations.remove(&row.id).ok_or_else(|| {
                StorageError::internal(format!(
                    "organization {} vanished while reading a page",
                    row.id
                ))
            })
        })
    }

    /// The direct children of each organization, ordered by folded name, in three statements
    /// whatever the number of ids. Every id asked for has an entry, empty when it has no
    /// children (or does not exist).
    pub async fn children_of(
        &self,
        ids: &[OrganizationId],
    ) -> Result<HashMap<OrganizationId, Vec<Organization>>, StorageError> {
        let mut children: HashMap<OrganizationId, Vec<Organization>> =
            ids.iter().map(|id| (*id, Vec::new())).collect();
        if ids.is_empty() {
            return Ok(children);
        }
        let rows = organization::Entity::find()
            .filter(uuid_in(
                self.reader(),
                organization::Column::ParentId,
                ids.iter().map(OrganizationId::as_uuid),
            ))
            .order_by_asc(organization::Column::NameFold)
            .order_by_asc(organization::Column::Id)
            .all(self.reader())
            .await?;
        for child in organizations_from_rows(self.reader(), rows).await? {
            if let Some(parent) = child.parent {
                children.entry(parent).or_default().push(child);
            }
        }
        Ok(children)
    }

    /// The successors of each organization (the organizations that name it as a predecessor),
    /// oldest record first, in one statement whatever the number of ids. Every id asked for has
    /// an entry, empty when nothing succeeded it.
    pub async fn successors_of(
        &self,
        ids: &[OrganizationId],
    ) -> Result<HashMap<OrganizationId, Vec<OrganizationId>>, StorageError> {
        let mut successors: HashMap<OrganizationId, Vec<OrganizationId>> =
            ids.iter().map(|id| (*id, Vec::new())).collect();
        if ids.is_empty() {
            return Ok(successors);
        }
        let rows = organization_succession::Entity::find()
            .filter(
                organization_succession::Column::PredecessorId
                    .is_in(ids.iter().map(OrganizationId::as_uuid)),
            )
            .order_by_asc(organization_succession::Column::OrganizationId)
            .all(self.reader())
            .await?;
        for row in rows {
            successors
                .entry(OrganizationId::from_uuid(row.predecessor_id))
                .or_default()
                .push(OrganizationId::from_uuid(row.organization_id));
        }
        Ok(successors)
    }

    /// Replaces a post's details. The post must stay within its organization's life; when its
    /// seats shrink, its life changes or it moves to another organization, every holding of the
    /// post must still pass the holding rules (the seat rule, the lives) against the others.
    pub async fn update_post(&self, actor: &Actor, post: &Post) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        self.update_post_in(&transaction, actor, post).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// [`Self::update_post`] inside a write transaction the caller commits.
    pub(crate) async fn update_post_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        post: &Post,
    ) -> Result<(), StorageError> {
        // The organization's row is locked before the post's, in the order every writer takes
        // them, so that this waits for (rather than deadlocks with) a change of its life.
        let organization = lock_organization(self, transaction, post.organization).await?;
        let id = post.id().as_uuid();
        let existing_row = self
            .for_update(post::Entity::find_by_id(id))
            .one(transaction)
            .await?
            .ok_or_else(|| StorageError::NotFound {
                kind: POST_KIND,
                id: id.to_string(),
            })?;
        let created_at = existing_row.created_at;
        let existing = post_from_row(existing_row)?;
        post.check_organization(&organization)?;
        if post_change_needs_recheck(&existing, post) {
            let holdings = holding::Entity::find()
                .filter(holding::Column::PostId.eq(id))
                .all(transaction)
                .await?
                .into_iter()
                .map(holding_from_row)
                .collect::<Result<Vec<_>, _>>()?;
            let mut people: HashMap<PersonId, Person> = HashMap::new();
            for holding in &holdings {
                let person = match people.entry(holding.person) {
                    Entry::Occupied(known) => known.into_mut(),
                    Entry::Vacant(unknown) => unknown
                        .insert(crate::people::load_person(transaction, holding.person).await?),
                };
                check_holding(
                    holding,
                    HoldingContext {
                        person,
                        post,
                        organization: &organization,
                        holdings_of_post: &holdings,
                    },
                )?;
            }
        }
        let mut row = post_row(post);
        row.created_at = Set(created_at);
        post::Entity::update(row).exec(transaction).await?;
        audit::record(transaction, actor, "update", POST_KIND, id, post).await
    }

    /// The posts of each organization, ordered by folded title, in one statement whatever the
    /// number of ids. Every id asked for has an entry, empty when it has no posts.
    pub async fn posts_of_organizations(
        &self,
        ids: &[OrganizationId],
    ) -> Result<HashMap<OrganizationId, Vec<Post>>, StorageError> {
        let mut posts: HashMap<OrganizationId, Vec<Post>> =
            ids.iter().map(|id| (*id, Vec::new())).collect();
        if ids.is_empty() {
            return Ok(posts);
        }
        let rows = post::Entity::find()
            .filter(uuid_in(
                self.reader(),
                post::Column::OrganizationId,
                ids.iter().map(OrganizationId::as_uuid),
            ))
            .order_by_asc(post::Column::TitleFold)
            .order_by_asc(post::Column::Id)
            .all(self.reader())
            .await?;
        for row in rows {
            let post = post_from_row(row)?;
            posts.entry(post.organization).or_default().push(post);
        }
        Ok(posts)
    }
}

/// Reads an organization joined in under `prefix`, bare (no predecessors or identifiers);
/// `None` when the query found none.
pub(crate) fn joined_organization(
    row: &sea_orm::QueryResult,
    prefix: &str,
) -> Result<Option<Organization>, StorageError> {
    crate::convert::joined::<organization::Model>(row, prefix)?
        .map(|model| organization_from_row(model, Vec::new(), Vec::new()))
        .transpose()
}

#[cfg(test)]
mod tests {
    use sea_orm::{DbBackend, QueryTrait};

    use super::*;

    #[test]
    fn a_searched_word_is_matched_literally_at_the_start_of_a_word() {
        for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
            let sql = organization::Entity::find()
                .filter(word_prefix("a%b_c!"))
                .build(backend)
                .to_string();
            assert!(sql.contains("'a!%b!_c!!%'"), "{sql}");
            assert!(sql.contains("'% a!%b!_c!!%'"), "{sql}");
            assert!(sql.contains("ESCAPE '!'"), "{sql}");
        }
    }
}
