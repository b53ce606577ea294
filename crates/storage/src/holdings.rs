//! Holdings: appoint under the seat rule, end, update, and who held what on a date.

use gazette_domain::date::Period;
use gazette_domain::holding::{
    EndReason, Holding, HoldingContext, HoldingDetails, HoldingKind, TermLabel, check_holding,
};
use gazette_domain::ids::{HoldingId, PersonId, PostId};
use gazette_domain::text::Text;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::Database;
use crate::audit::{self, Actor};
use crate::convert::{from_json_text, now, partial_date, to_json_text};
use crate::entity::{holding, post};
use crate::error::StorageError;
use crate::organizations::{load_organization, post_from_row};

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
    let holdings_of_post = holding::Entity::find()
        .filter(holding::Column::PostId.eq(holding.post.as_uuid()))
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

impl Database {
    /// Appoints: records a new holding after checking it against the person, the post, its
    /// organization and the post's other holdings (the seat rule), all in one transaction.
    pub async fn appoint(&self, actor: &Actor, holding: &Holding) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        check_in_transaction(self, &transaction, holding).await?;
        holding::Entity::insert(holding_row(holding)?)
            .exec_without_returning(&transaction)
            .await?;
        audit::record(
            &transaction,
            actor,
            "appoint",
            KIND,
            holding.id().as_uuid(),
            holding,
        )
        .await?;
        transaction.commit().await?;
        Ok(())
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
            .filter(holding::Column::Id.is_in(ids.iter().map(HoldingId::as_uuid)))
            .all(self.reader())
            .await?
            .into_iter()
            .map(holding_from_row)
            .collect()
    }
}
