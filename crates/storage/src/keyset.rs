//! Applying a [`PageRequest`] to a query: a row-value comparison against the cursor's key and an
//! order on the key's columns, ascending forward and descending backward, one row beyond the
//! page to know whether more follow.

use chrono::NaiveDate;
use sea_orm::sea_query::{Asterisk, Expr, ExprTrait, Query, SelectStatement, SimpleExpr};
use sea_orm::{
    ColumnTrait, EntityTrait, ModelTrait, Order, QueryFilter, QueryOrder, QueryResult, QuerySelect,
    QueryTrait, Select, Value,
};
use serde_json::Value as Json;
use uuid::Uuid;

use crate::convert::{FromColumns, model_of};
use crate::error::StorageError;
use crate::page::{Direction, Page, PageRequest};

/// The type of a key column, to read a cursor's JSON back into a typed SQL value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum KeyKind {
    Text,
    Date,
    Integer,
    Uuid,
}

/// A list's order: key columns, the last one unique (the id).
pub(crate) struct Keyset<E: EntityTrait> {
    columns: Vec<(E::Column, KeyKind)>,
}

impl<E> Keyset<E>
where
    E: EntityTrait,
    E::Model: Sync,
{
    pub(crate) fn new(columns: Vec<(E::Column, KeyKind)>) -> Self {
        Self { columns }
    }

    /// The cursor's key as SQL values, one per key column (`None`: no cursor).
    pub(crate) fn cursor_values(
        &self,
        request: &PageRequest,
    ) -> Result<Option<Vec<Value>>, StorageError> {
        let Some(cursor) = &request.cursor else {
            return Ok(None);
        };
        let key = cursor.key(self.columns.len())?;
        let mut values = Vec::with_capacity(key.len());
        for ((_, kind), json) in self.columns.iter().zip(&key) {
            values.push(to_value(*kind, json).ok_or_else(|| {
                StorageError::InvalidInput(format!(
                    "cursor {:?} is not a cursor of this list",
                    cursor.as_str()
                ))
            })?);
        }
        Ok(Some(values))
    }

    /// Orders and limits `select` for the page, filtering past the cursor.
    pub(crate) fn apply(
        &self,
        mut select: Select<E>,
        request: &PageRequest,
    ) -> Result<Select<E>, StorageError> {
        let order = order(request);
        let forward = request.direction == Direction::Forward;
        if let Some(values) = self.cursor_values(request)? {
            let left = Expr::tuple(
                self.columns
                    .iter()
                    .map(|(c, _)| SimpleExpr::from(Expr::col(c.as_column_ref()))),
            );
            let right = Expr::tuple(values.into_iter().map(SimpleExpr::from));
            select = select.filter(if forward {
                left.gt(right)
            } else {
                left.lt(right)
            });
        }
        for (column, _) in &self.columns {
            select = select.order_by(*column, order.clone());
        }
        Ok(select.limit(u64::from(request.size) + 1))
    }

    /// Runs the query and builds the page.
    pub(crate) async fn fetch(
        &self,
        select: Select<E>,
        request: &PageRequest,
        db: &impl sea_orm::ConnectionTrait,
    ) -> Result<Page<E::Model>, StorageError> {
        let rows = self.apply(select, request)?.all(db).await?;
        let keyed = rows.into_iter().map(|row| (self.key(&row), row)).collect();
        Ok(Page::from_rows(request, keyed))
    }

    /// A row's key, as its cursor holds it.
    fn key(&self, row: &E::Model) -> Vec<Json> {
        self.columns
            .iter()
            .map(|(c, _)| to_json(row.get(*c)))
            .collect()
    }

    /// [`Self::fetch`] for a statement that `extend` adds columns to (expressions, under names
    /// of their own, that may refer to the entity's table by its name, and to tables `extend`
    /// joins): each row comes with the whole result row to read them from.
    ///
    /// The page is selected in a subquery under the table's name and the columns are added
    /// around it, so that they are computed for the page's rows only: SQLite computes a
    /// statement's columns before it sorts, for every row that matches.
    pub(crate) async fn fetch_extended(
        &self,
        select: Select<E>,
        request: &PageRequest,
        db: &impl sea_orm::ConnectionTrait,
        extend: impl FnOnce(&mut SelectStatement),
    ) -> Result<Page<(E::Model, QueryResult)>, StorageError>
    where
        E::Model: FromColumns + PartialEq + std::fmt::Debug,
    {
        let page = self.apply(select, request)?.into_query();
        let mut query = Query::select();
        // The page's own columns only: `extend` may join other tables.
        query
            .column((E::default(), Asterisk))
            .from_subquery(page, E::default());
        for (column, _) in &self.columns {
            query.order_by((E::default(), *column), order(request));
        }
        extend(&mut query);
        let mut keyed = Vec::new();
        for row in db.query_all(&query).await? {
            let model = model_of::<E::Model>(&row)?;
            keyed.push((self.key(&model), (model, row)));
        }
        Ok(Page::from_rows(request, keyed))
    }
}

/// The order of a page's statement: the list's order forward, the reverse backward.
fn order(request: &PageRequest) -> Order {
    match request.direction {
        Direction::Forward => Order::Asc,
        Direction::Backward => Order::Desc,
    }
}

fn to_value(kind: KeyKind, json: &Json) -> Option<Value> {
    match kind {
        KeyKind::Text => json.as_str().map(|s| Value::from(s.to_owned())),
        KeyKind::Date => json
            .as_str()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .map(Value::from),
        KeyKind::Integer => json.as_i64().map(Value::from),
        KeyKind::Uuid => json
            .as_str()
            .and_then(|s| Uuid::parse_str(s).ok())
            .map(Value::from),
    }
}

fn to_json(value: Value) -> Json {
    match value {
        Value::String(Some(s)) => Json::from(s),
        Value::Uuid(Some(u)) => Json::from(u.to_string()),
        Value::ChronoDate(Some(d)) => Json::from(d.format("%Y-%m-%d").to_string()),
        Value::BigInt(Some(i)) => Json::from(i),
        Value::Int(Some(i)) => Json::from(i),
        Value::SmallInt(Some(i)) => Json::from(i),
        _ => Json::Null,
    }
}
