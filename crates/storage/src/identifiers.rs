//! Identifiers of people and organizations, kept in one table unique per kind and scheme.

use std::collections::HashMap;

use gazette_domain::identifier::Identifier;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::convert::uuid_in;
use crate::entity::identifier;
use crate::error::StorageError;

/// The rows of one record's identifiers, in list order.
pub(crate) fn rows(
    kind: &'static str,
    id: Uuid,
    identifiers: &[Identifier],
) -> Vec<identifier::ActiveModel> {
    identifiers
        .iter()
        .zip(0..)
        .map(|(identifier, position)| identifier::ActiveModel {
            subject_kind: Set(kind.to_owned()),
            subject_id: Set(id),
            position: Set(position),
            scheme: Set(identifier.scheme().to_owned()),
            value: Set(identifier.value().to_owned()),
        })
        .collect()
}

/// Replaces the identifiers of one record.
pub(crate) async fn save(
    transaction: &impl ConnectionTrait,
    kind: &'static str,
    id: Uuid,
    identifiers: &[Identifier],
) -> Result<(), StorageError> {
    identifier::Entity::delete_many()
        .filter(identifier::Column::SubjectKind.eq(kind))
        .filter(identifier::Column::SubjectId.eq(id))
        .exec(transaction)
        .await?;
    if identifiers.is_empty() {
        return Ok(());
    }
    identifier::Entity::insert_many(rows(kind, id, identifiers))
        .exec_without_returning(transaction)
        .await
        .map_err(|error| match crate::error::from_db(error) {
            StorageError::Conflict { .. } => StorageError::Conflict {
                rule: "an identifier is unique per scheme",
                detail: format!(
                    "one of the identifiers {} already belongs to another {kind}",
                    identifiers
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            },
            other => other,
        })?;
    Ok(())
}

/// The identifiers of many records of one kind, in one statement.
pub(crate) async fn load(
    db: &impl ConnectionTrait,
    kind: &'static str,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Identifier>>, StorageError> {
    let mut by_record: HashMap<Uuid, Vec<Identifier>> = HashMap::new();
    if ids.is_empty() {
        return Ok(by_record);
    }
    let rows = identifier::Entity::find()
        .filter(identifier::Column::SubjectKind.eq(kind))
        .filter(uuid_in(
            db,
            identifier::Column::SubjectId,
            ids.iter().copied(),
        ))
        .order_by_asc(identifier::Column::SubjectId)
        .order_by_asc(identifier::Column::Position)
        .all(db)
        .await?;
    for row in rows {
        let identifier = Identifier::new(&row.scheme, &row.value)
            .map_err(|error| StorageError::corrupt(kind, row.subject_id, error))?;
        by_record
            .entry(row.subject_id)
            .or_default()
            .push(identifier);
    }
    Ok(by_record)
}

/// The record of `kind` holding the identifier `scheme:value`, if any, by the unique index on
/// kind, scheme and value. The pair is normalized as [`Identifier::new`] does before the lookup;
/// a pair it rejects is an input error.
pub(crate) async fn find(
    db: &impl ConnectionTrait,
    kind: &'static str,
    scheme: &str,
    value: &str,
) -> Result<Option<Uuid>, StorageError> {
    let identifier = Identifier::new(scheme, value).map_err(|error| {
        StorageError::InvalidInput(format!("the identifier {scheme}:{value}: {error}"))
    })?;
    let found = identifier::Entity::find()
        .select_only()
        .column(identifier::Column::SubjectId)
        .filter(identifier::Column::SubjectKind.eq(kind))
        .filter(identifier::Column::Scheme.eq(identifier.scheme()))
        .filter(identifier::Column::Value.eq(identifier.value()))
        .into_tuple::<Uuid>()
        .one(db)
        .await?;
    Ok(found)
}
