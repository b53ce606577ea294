//! Organizations and posts: create, update, read, and list by classification, parent and name.

use std::collections::HashMap;

use gazette_domain::date::Period;
use gazette_domain::ids::{OrganizationId, PostId};
use gazette_domain::organization::{
    Classification, Level, Organization, OrganizationDetails, Succession, SuccessionKind,
};
use gazette_domain::post::{Post, PostDetails, Seats};
use gazette_domain::text::Text;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::convert::{from_json_text, now, partial_date, to_json_text};
use crate::entity::{organization, organization_succession, post};
use crate::error::StorageError;
use crate::{Database, identifiers};

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

fn organization_row(
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

/// Reads an organization's row back, with its successions and identifiers.
fn organization_from_row(
    row: organization::Model,
    successions: Vec<organization_succession::Model>,
    identifiers: Vec<gazette_domain::identifier::Identifier>,
) -> Result<Organization, StorageError> {
    let id = row.id;
    let corrupt = |problem: String| StorageError::corrupt(KIND, id, problem);
    let mut predecessors = Vec::with_capacity(successions.len());
    for succession in successions {
        predecessors.push(Succession {
            predecessor: OrganizationId::from_uuid(succession.predecessor_id),
            kind: succession_kind(&succession.kind)
                .ok_or_else(|| corrupt(format!("unknown succession kind {:?}", succession.kind)))?,
            date: partial_date(KIND, id, succession.date.as_deref())?,
        });
    }
    let details = OrganizationDetails {
        name: Text::parse(&row.name).map_err(|e| corrupt(e.to_string()))?,
        abbreviation: row
            .abbreviation
            .as_deref()
            .map(Text::parse)
            .transpose()
            .map_err(|e| corrupt(e.to_string()))?,
        classification: Classification::from_code(&row.classification)
            .ok_or_else(|| corrupt(format!("unknown classification {:?}", row.classification)))?,
        level: row
            .level
            .as_deref()
            .map(|code| {
                Level::from_code(code).ok_or_else(|| corrupt(format!("unknown level {code:?}")))
            })
            .transpose()?,
        parent: row.parent_id.map(OrganizationId::from_uuid),
        life: Period::new(
            partial_date(KIND, id, row.life_start.as_deref())?,
            partial_date(KIND, id, row.life_end.as_deref())?,
        )
        .map_err(|e| corrupt(e.to_string()))?,
        other_names: from_json_text(KIND, id, &row.other_names)?,
        predecessors,
        identifiers,
    };
    Organization::new(OrganizationId::from_uuid(id), details).map_err(|e| corrupt(e.to_string()))
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
    let rows = organization
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
        );
    organization_succession::Entity::insert_many(rows)
        .exec_without_returning(transaction)
        .await?;
    Ok(())
}

/// Checks that the organization's parent exists and keeps the tree a tree, reading the parent
/// chain inside the write's transaction.
async fn check_tree(
    transaction: &impl ConnectionTrait,
    organization: &Organization,
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
        let row = organization::Entity::find_by_id(current.as_uuid())
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

fn post_row(post: &Post) -> post::ActiveModel {
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
        .filter(organization_succession::Column::OrganizationId.is_in(ids.iter().copied()))
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

impl Database {
    /// Records a new organization: its parent and predecessors must exist, and the parent
    /// must keep the tree a tree.
    pub async fn create_organization(
        &self,
        actor: &Actor,
        organization: &Organization,
    ) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        check_tree(&transaction, organization).await?;
        organization::Entity::insert(organization_row(organization)?)
            .exec_without_returning(&transaction)
            .await?;
        save_successions(&transaction, organization).await?;
        identifiers::save(
            &transaction,
            KIND,
            organization.id().as_uuid(),
            &organization.identifiers,
        )
        .await?;
        audit::record(
            &transaction,
            actor,
            "create",
            KIND,
            organization.id().as_uuid(),
            organization,
        )
        .await?;
        transaction.commit().await?;
        Ok(())
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
            .filter(organization::Column::Id.is_in(ids.iter().map(OrganizationId::as_uuid)))
            .all(self.reader())
            .await?;
        organizations_from_rows(self.reader(), rows).await
    }

    /// Records a new post of an existing organization, within the organization's life.
    pub async fn create_post(&self, actor: &Actor, post: &Post) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        let organization = load_organization(&transaction, post.organization).await?;
        post.check_organization(&organization)?;
        post::Entity::insert(post_row(post))
            .exec_without_returning(&transaction)
            .await?;
        audit::record(
            &transaction,
            actor,
            "create",
            POST_KIND,
            post.id().as_uuid(),
            post,
        )
        .await?;
        transaction.commit().await?;
        Ok(())
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
            .filter(post::Column::Id.is_in(ids.iter().map(PostId::as_uuid)))
            .all(self.reader())
            .await?
            .into_iter()
            .map(post_from_row)
            .collect()
    }
}
