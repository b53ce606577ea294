//! Small conversions between domain values and column values.

use chrono::{DateTime, Utc};
use gazette_domain::date::PartialDate;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::StorageError;

/// A value as JSON text, for the JSON text columns.
pub(crate) fn to_json_text<T: Serialize + ?Sized>(value: &T) -> Result<String, StorageError> {
    serde_json::to_string(value)
        .map_err(|error| StorageError::internal(format!("cannot encode JSON: {error}")))
}

/// A value read back from a JSON text column; a stored value that no longer parses is a
/// corrupt row.
pub(crate) fn from_json_text<T: DeserializeOwned>(
    kind: &str,
    id: impl std::fmt::Display,
    text: &str,
) -> Result<T, StorageError> {
    serde_json::from_str(text).map_err(|error| StorageError::corrupt(kind, id, error))
}

/// A stored partial date read back.
pub(crate) fn partial_date(
    kind: &str,
    id: impl std::fmt::Display,
    text: Option<&str>,
) -> Result<Option<PartialDate>, StorageError> {
    text.map(|t| PartialDate::parse(t).map_err(|error| StorageError::corrupt(kind, &id, error)))
        .transpose()
}

/// The current time, as the audit log and row timestamps record it.
pub(crate) fn now() -> DateTime<Utc> {
    Utc::now()
}

/// `column IN (ids)` for a UUID column, written on PostgreSQL as `column = ANY($1)` with the
/// ids bound as one `uuid[]` parameter, so that the statement's text is the same whatever the
/// number of ids. sqlx prepares each distinct text once per connection and keeps the last
/// hundred: with `IN ($1, ..., $n)` every batch size was a statement of its own, prepared again
/// (a round trip and a plan) whenever the DataLoaders' batch sizes varied. The parameter must
/// be a real `uuid[]`: text cast to `uuid[]` in the statement is not folded into a constant,
/// and a sequential scan parsed the whole list again for every row (measured: 580 ms for 600
/// ids over 1,300 organizations). SQLite, whose preparing is a local call, keeps `IN (...)`.
///
/// On PostgreSQL the array is read through a scalar subquery, `column = ANY((SELECT $1)::uuid[])`,
/// so that the planner does not see the ids. With the array in plain sight it plans the
/// statement again at every execution: for three to twenty ids the plan made for those values
/// is always estimated cheaper than the generic one, which assumes ten, and a statement with
/// `LEFT JOIN LATERAL` lookups costs more to plan than to run (measured: 163–322 µs of
/// planning against 46–193 µs of execution). Hidden behind the subquery, the ids are ten to
/// every plan, so after its first five executions on a connection PostgreSQL keeps the generic
/// plan. The plans these statements get are lookups by key either way.
pub(crate) fn uuid_in<Conn, Col>(
    connection: &Conn,
    column: Col,
    ids: impl IntoIterator<Item = uuid::Uuid>,
) -> sea_orm::sea_query::Expr
where
    Conn: sea_orm::ConnectionTrait,
    Col: sea_orm::ColumnTrait,
{
    uuid_in_for(connection.get_database_backend(), column, ids)
}

/// [`uuid_in`] for a backend.
fn uuid_in_for<Col: sea_orm::ColumnTrait>(
    backend: sea_orm::DbBackend,
    column: Col,
    ids: impl IntoIterator<Item = uuid::Uuid>,
) -> sea_orm::sea_query::Expr {
    match backend {
        sea_orm::DbBackend::Postgres => {
            let ids: Vec<uuid::Uuid> = ids.into_iter().collect();
            sea_orm::sea_query::Expr::cust_with_exprs(
                "$1 = ANY((SELECT $2)::uuid[])",
                [column.into_expr(), sea_orm::sea_query::Expr::val(ids)],
            )
        }
        _ => column.is_in(ids),
    }
}

/// SQL for a UUID column's value inside a JSON array built in SQL: PostgreSQL writes a `uuid` as
/// its hyphenated text; SQLite keeps UUIDs as 16-byte blobs, which JSON cannot hold, so they
/// are written as hexadecimal text (NULL stays NULL). [`uuid::Uuid`] reads both forms.
pub(crate) fn json_uuid(backend: sea_orm::DbBackend, column: &str) -> String {
    match backend {
        sea_orm::DbBackend::Sqlite => {
            format!("CASE WHEN {column} IS NULL THEN NULL ELSE hex({column}) END")
        }
        _ => column.to_owned(),
    }
}

/// SQL that depends only on the engine, built the first time each engine asks for it and kept
/// for the life of the process: the JSON subqueries a page adds to its statement are the same
/// text for every request, and formatting them anew was a few percent of a request's work.
pub(crate) struct ByEngine<T> {
    postgres: std::sync::OnceLock<T>,
    sqlite: std::sync::OnceLock<T>,
}

impl<T> ByEngine<T> {
    pub(crate) const fn new() -> Self {
        Self {
            postgres: std::sync::OnceLock::new(),
            sqlite: std::sync::OnceLock::new(),
        }
    }

    /// The value for `backend`, built by `build` the first time.
    pub(crate) fn get(
        &self,
        backend: sea_orm::DbBackend,
        build: impl FnOnce(sea_orm::DbBackend) -> T,
    ) -> &T {
        let cell = match backend {
            sea_orm::DbBackend::Sqlite => &self.sqlite,
            _ => &self.postgres,
        };
        cell.get_or_init(|| build(backend))
    }
}

/// Columns computed in SQL that a statement adds to its own: each expression with its alias.
pub(crate) type ExtraColumns = Vec<(String, &'static str)>;

/// Adds `columns` (text kept for the life of the process, see [`ByEngine`]) to `query`.
pub(crate) fn add_columns(
    query: &mut sea_orm::sea_query::SelectStatement,
    columns: &'static ExtraColumns,
) {
    for (sql, alias) in columns {
        query.expr_as(
            sea_orm::sea_query::Expr::cust(sql.as_str()),
            sea_orm::sea_query::Alias::new(*alias),
        );
    }
}

/// SQL for a JSON array of `elements` (SQL expressions separated by commas).
pub(crate) fn json_array(backend: sea_orm::DbBackend, elements: &str) -> String {
    match backend {
        sea_orm::DbBackend::Sqlite => format!("json_array({elements})"),
        _ => format!("json_build_array({elements})"),
    }
}

/// SQL for the record `table` (joined into a statement, possibly with none; its key is `id`)
/// as a JSON array of `columns`, or NULL when there is none.
pub(crate) fn json_record(backend: sea_orm::DbBackend, table: &str, columns: &[String]) -> String {
    let array = json_array(backend, &columns.join(", "));
    let value = format!("CASE WHEN {table}.id IS NULL THEN NULL ELSE {array} END");
    match backend {
        // `json()` keeps the array JSON (not text) when it is an element of another array.
        sea_orm::DbBackend::Sqlite => format!("json({value})"),
        _ => value,
    }
}

/// SQL for `value` (a JSON value built in SQL, a column of the statement itself rather than
/// of a subquery), as text.
pub(crate) fn json_text(backend: sea_orm::DbBackend, value: &str) -> String {
    match backend {
        sea_orm::DbBackend::Sqlite => value.to_owned(),
        _ => format!("({value})::text"),
    }
}

/// SQL for the JSON array, as text, of the values of `element` (a JSON value built in SQL)
/// over the rows of `from` (the rest of a SELECT statement: its FROM and WHERE clauses); NULL
/// or `[]` when there are none. The order of the elements is not defined: readers sort.
pub(crate) fn json_aggregate(backend: sea_orm::DbBackend, element: &str, from: &str) -> String {
    match backend {
        sea_orm::DbBackend::Sqlite => format!("(SELECT json_group_array({element}) {from})"),
        _ => format!("(SELECT json_agg({element})::text {from})"),
    }
}

/// SQL for `element` (a JSON value built in SQL), as text, in the one row of `from` (the rest
/// of a SELECT statement that finds at most one row); NULL when there is none.
pub(crate) fn json_single(backend: sea_orm::DbBackend, element: &str, from: &str) -> String {
    match backend {
        sea_orm::DbBackend::Sqlite => format!("(SELECT {element} {from})"),
        _ => format!("(SELECT ({element})::text {from})"),
    }
}

/// The value a [`json_single`] column brought back (none for NULL); a value that does not read
/// as `T` is a corrupt row of `kind`.
pub(crate) fn json_value<T: DeserializeOwned>(
    row: &sea_orm::QueryResult,
    column: &str,
    kind: &str,
    id: impl std::fmt::Display,
) -> Result<Option<T>, StorageError> {
    let text: Option<String> = row.try_get("", column)?;
    text.map(|text| from_json_text(kind, id, &text)).transpose()
}

/// The JSON array of rows a [`json_aggregate`] column brought back (none for NULL); a value
/// that does not read as `T` is a corrupt row of `kind`.
pub(crate) fn json_rows<T: DeserializeOwned>(
    row: &sea_orm::QueryResult,
    column: &str,
    kind: &str,
    id: impl std::fmt::Display,
) -> Result<Vec<T>, StorageError> {
    Ok(json_value(row, column, kind, id)?.unwrap_or_default())
}

/// Records read alongside others (the organizations a page of tasks names, say), kept each
/// once for a reader who wants them; for one who does not, nothing is read into it.
pub(crate) struct EachOnce<'a, T> {
    into: Option<&'a mut Vec<T>>,
    seen: std::collections::HashSet<uuid::Uuid>,
}

impl<'a, T> EachOnce<'a, T> {
    pub(crate) fn new(into: Option<&'a mut Vec<T>>) -> Self {
        Self {
            into,
            seen: std::collections::HashSet::new(),
        }
    }

    /// Whether a reader wants the records.
    pub(crate) fn wanted(&self) -> bool {
        self.into.is_some()
    }

    /// Keeps the record with this id, read by `read`, unless nobody wants it or it is kept
    /// already (`read` runs only when it is kept).
    pub(crate) fn add(
        &mut self,
        id: uuid::Uuid,
        read: impl FnOnce() -> Result<T, StorageError>,
    ) -> Result<(), StorageError> {
        if let Some(into) = self.into.as_deref_mut()
            && self.seen.insert(id)
        {
            into.push(read()?);
        }
        Ok(())
    }
}

/// The records `select` finds, in its order, with the columns `extend` adds to its statement
/// (expressions under names of their own): each is read by `read` from its model and its whole
/// result row.
pub(crate) async fn read_extended<E, T>(
    db: &impl sea_orm::ConnectionTrait,
    select: sea_orm::Select<E>,
    extend: impl FnOnce(&mut sea_orm::sea_query::SelectStatement),
    mut read: impl FnMut(E::Model, &sea_orm::QueryResult) -> Result<T, StorageError>,
) -> Result<Vec<T>, StorageError>
where
    E: sea_orm::EntityTrait,
    E::Model: FromColumns + PartialEq + std::fmt::Debug,
{
    use sea_orm::QueryTrait as _;
    let mut query = select.into_query();
    extend(&mut query);
    let mut read_rows = Vec::new();
    for row in db.query_all(&query).await? {
        let model = model_of::<E::Model>(&row)?;
        read_rows.push(read(model, &row)?);
    }
    Ok(read_rows)
}

/// A row's columns read one after another by position, straight from the driver's row. sea-orm's
/// reader looks every column up by name (hashing the name, for every column of every row) and
/// formats an error message for every NULL of an optional column before turning it into
/// `None`; on a page of award decisions that was a twentieth of a request's work. The types
/// are read exactly as sea-orm reads them on each engine (the driver's decoding of
/// `Option<T>`).
pub(crate) struct Columns<'r> {
    row: &'r sea_orm::QueryResult,
    next: usize,
}

/// A column type both engines' drivers decode.
pub(crate) trait Decoded:
    for<'a> sea_orm::sqlx::Decode<'a, sea_orm::sqlx::Postgres>
    + sea_orm::sqlx::Type<sea_orm::sqlx::Postgres>
    + for<'a> sea_orm::sqlx::Decode<'a, sea_orm::sqlx::Sqlite>
    + sea_orm::sqlx::Type<sea_orm::sqlx::Sqlite>
{
}

impl<T> Decoded for T where
    T: for<'a> sea_orm::sqlx::Decode<'a, sea_orm::sqlx::Postgres>
        + sea_orm::sqlx::Type<sea_orm::sqlx::Postgres>
        + for<'a> sea_orm::sqlx::Decode<'a, sea_orm::sqlx::Sqlite>
        + sea_orm::sqlx::Type<sea_orm::sqlx::Sqlite>
{
}

impl<'r> Columns<'r> {
    /// Reads `row` from its first column.
    pub(crate) fn new(row: &'r sea_orm::QueryResult) -> Self {
        Self { row, next: 0 }
    }

    /// The next column, NULL read as `None`.
    pub(crate) fn optional<T: Decoded>(&mut self) -> Result<Option<T>, StorageError> {
        use sea_orm::sqlx::Row as _;
        let index = self.next;
        self.next += 1;
        let read = if let Some(row) = self.row.try_as_pg_row() {
            row.try_get::<Option<T>, _>(index)
        } else if let Some(row) = self.row.try_as_sqlite_row() {
            row.try_get::<Option<T>, _>(index)
        } else {
            return Err(StorageError::internal("a row from an unknown engine"));
        };
        read.map_err(|error| StorageError::internal(format!("cannot read column {index}: {error}")))
    }

    /// The next column, which may not be NULL.
    pub(crate) fn required<T: Decoded>(&mut self) -> Result<T, StorageError> {
        let index = self.next;
        self.optional()?
            .ok_or_else(|| StorageError::internal(format!("column {index} is NULL")))
    }
}

/// A model read from the first columns of a row, in its entity's column order (the order of
/// `Entity::find()`'s SELECT list), with [`Columns`].
pub(crate) trait FromColumns: Sized {
    fn from_columns(columns: &mut Columns<'_>) -> Result<Self, StorageError>;
}

/// The model in the first columns of `row` ([`FromColumns`]). Debug builds, which every test
/// runs, also read it by name as sea-orm does and check that the two agree, so a position out
/// of step with the entity's columns fails the tests that read such rows, on both engines.
pub(crate) fn model_of<M>(row: &sea_orm::QueryResult) -> Result<M, StorageError>
where
    M: FromColumns + sea_orm::FromQueryResult + PartialEq + std::fmt::Debug,
{
    let model = M::from_columns(&mut Columns::new(row))?;
    debug_assert_eq!(
        Some(&model),
        M::from_query_result(row, "").ok().as_ref(),
        "a model read by position differs from the same row read by name"
    );
    Ok(model)
}

/// A record joined into a statement by [`join_referenced`]: its columns are read as
/// `<prefix><column>`.
pub(crate) struct Joined {
    table: sea_orm::sea_query::Alias,
    prefix: &'static str,
    lateral: bool,
}

impl Joined {
    /// One of the joined record's columns, for a further join to refer to.
    pub(crate) fn column(&self, column: impl sea_orm::IdenStatic) -> sea_orm::sea_query::Expr {
        if self.lateral {
            sea_orm::sea_query::Expr::col((
                self.table.clone(),
                sea_orm::sea_query::Alias::new(format!("{}{}", self.prefix, column.as_str())),
            ))
        } else {
            sea_orm::sea_query::Expr::col((self.table.clone(), column))
        }
    }
}

/// Joins into `query` the record of `E` whose `id` equals `reference` (a column of a table
/// already in the query), each of its columns read as `<prefix><column>` (all NULL when there
/// is none), under the table name `alias`.
///
/// On PostgreSQL the record comes from a `LEFT JOIN LATERAL` subquery fenced with `OFFSET 0`,
/// so that each row of the query looks its record up by primary key. A plain join lets the
/// planner hash the whole referenced table instead, and it does for the generic plan of a
/// statement prepared once and run with many ids: a page of 20 award decisions' recipients,
/// expected at about a hundred rows, hashed all 10,000 people of a size-s database (21 ms
/// where the lookups take 0.6). SQLite looks rows up by key anyway, and has no LATERAL.
pub(crate) fn join_referenced<E>(
    query: &mut sea_orm::sea_query::SelectStatement,
    backend: sea_orm::DbBackend,
    alias: &str,
    id: E::Column,
    reference: sea_orm::sea_query::Expr,
    prefix: &'static str,
) -> Joined
where
    E: sea_orm::EntityTrait,
    E::Column: Copy,
{
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
    use sea_orm::{IdenStatic, Iterable};
    let table = Alias::new(alias);
    let prefixed = |column: E::Column| Alias::new(format!("{prefix}{}", column.as_str()));
    let lateral = backend == sea_orm::DbBackend::Postgres;
    if lateral {
        let mut record = Query::select();
        for column in E::Column::iter() {
            record.expr_as(Expr::col((E::default(), column)), prefixed(column));
        }
        record
            .from(E::default())
            .and_where(Expr::col((E::default(), id)).eq(reference))
            .offset(0);
        query.join_lateral(
            JoinType::LeftJoin,
            record,
            table.clone(),
            Expr::cust("TRUE"),
        );
        for column in E::Column::iter() {
            query.expr(Expr::col((table.clone(), prefixed(column))));
        }
    } else {
        query.join_as(
            JoinType::LeftJoin,
            E::default(),
            table.clone(),
            Expr::col((table.clone(), id)).eq(reference),
        );
        for column in E::Column::iter() {
            query.expr_as(Expr::col((table.clone(), column)), prefixed(column));
        }
    }
    Joined {
        table,
        prefix,
        lateral,
    }
}

/// The row of a record joined in by [`join_referenced`] under `prefix`; `None` when the query
/// found none (its id is NULL).
pub(crate) fn joined<M: sea_orm::FromQueryResult>(
    row: &sea_orm::QueryResult,
    prefix: &str,
) -> Result<Option<M>, StorageError> {
    let id: Option<uuid::Uuid> = row.try_get(prefix, "id")?;
    if id.is_none() {
        return Ok(None);
    }
    Ok(Some(M::from_query_result(row, prefix)?))
}

#[cfg(test)]
mod tests {
    use sea_orm::{DbBackend, EntityTrait, QueryFilter, QueryTrait};
    use uuid::Uuid;

    use super::uuid_in_for;
    use crate::entity::person;

    fn sql(backend: DbBackend, ids: &[Uuid]) -> sea_orm::Statement {
        person::Entity::find()
            .filter(uuid_in_for(
                backend,
                person::Column::Id,
                ids.iter().copied(),
            ))
            .build(backend)
    }

    #[test]
    fn on_postgresql_the_statement_text_does_not_depend_on_the_number_of_ids() {
        let one = [Uuid::from_u128(1)];
        let three = [Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3)];
        let (a, b) = (
            sql(DbBackend::Postgres, &one),
            sql(DbBackend::Postgres, &three),
        );
        assert_eq!(a.sql, b.sql);
        assert!(
            a.sql
                .contains(r#""person"."id" = ANY((SELECT $1)::uuid[])"#),
            "{}",
            a.sql
        );
        let values = b.values.expect("one bound value").0;
        assert_eq!(values, vec![sea_orm::Value::from(three.to_vec())]);
        assert!(
            sql(DbBackend::Postgres, &[]).sql.contains("ANY"),
            "no ids is an empty array, which matches nothing"
        );
        // SQLite keeps IN (...).
        assert!(
            sql(DbBackend::Sqlite, &three)
                .sql
                .contains(r#""person"."id" IN (?, ?, ?)"#)
        );
    }

    /// The referenced record is looked up row by row on PostgreSQL (a fenced LATERAL
    /// subquery the planner cannot turn into a hash join of the whole table) and joined plainly
    /// on SQLite; either way its columns are read under the prefix.
    #[test]
    fn a_referenced_record_is_a_fenced_lateral_lookup_on_postgres() {
        use crate::entity::{holding, post};
        use sea_orm::sea_query::Expr;
        for backend in [DbBackend::Postgres, DbBackend::Sqlite] {
            let mut query = holding::Entity::find().into_query();
            let joined = super::join_referenced::<post::Entity>(
                &mut query,
                backend,
                "joined_post",
                post::Column::Id,
                Expr::col((holding::Entity, holding::Column::PostId)),
                "p_",
            );
            super::join_referenced::<crate::entity::organization::Entity>(
                &mut query,
                backend,
                "joined_organization",
                crate::entity::organization::Column::Id,
                joined.column(post::Column::OrganizationId),
                "o_",
            );
            let sql = backend.build(&query).to_string();
            assert!(sql.contains("p_title"), "{sql}");
            assert!(sql.contains("o_name"), "{sql}");
            if backend == DbBackend::Postgres {
                assert_eq!(sql.matches("LEFT JOIN LATERAL").count(), 2, "{sql}");
                assert_eq!(sql.matches("OFFSET").count(), 2, "{sql}");
                assert!(
                    sql.contains(r#""joined_post"."p_organization_id""#),
                    "{sql}"
                );
            } else {
                assert!(!sql.contains("LATERAL"), "{sql}");
                assert_eq!(sql.matches("LEFT JOIN").count(), 2, "{sql}");
                assert!(sql.contains(r#""joined_post"."organization_id""#), "{sql}");
            }
        }
    }

    /// A statement reading records by a list of ids is planned once per connection on
    /// PostgreSQL and its generic plan reused, whatever the number of ids; the same statement
    /// with the array in sight of the planner is planned again at every execution.
    #[tokio::test]
    async fn on_postgresql_a_read_by_ids_keeps_its_plan() {
        use std::sync::Arc;
        use std::sync::atomic::AtomicU64;
        use std::time::Duration;

        use sea_orm::sea_query::{Expr, Query};
        use sea_orm::{ConnectionTrait, Statement};

        use crate::read_pool::{Limits, ReadPool, Target};

        let Ok(url) = std::env::var("GAZETTE_TEST_DATABASE_URL") else {
            return;
        };
        // One connection, so that every statement is prepared on it; the temporary table,
        // the session's own, stands in for the people.
        let pool = ReadPool::new(
            Target::postgres(&url).unwrap(),
            Limits {
                connections: 1,
                acquire_timeout: Duration::from_secs(10),
                ping_if_idle_for: None,
                close_if_idle_for: None,
                max_lifetime: None,
                reap_every: None,
            },
            Arc::new(AtomicU64::new(0)),
        );
        for statement in [
            "CREATE TEMPORARY TABLE person (id uuid PRIMARY KEY, name text NOT NULL)",
            "INSERT INTO person SELECT gen_random_uuid(), 'n' || g FROM generate_series(1, 2000) g",
            "ANALYZE person",
        ] {
            pool.execute_unprepared(statement).await.unwrap();
        }
        let ids: Vec<Uuid> = pool
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT id FROM person ORDER BY name LIMIT 20",
            ))
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get::<Uuid>("", "id").unwrap())
            .collect();
        let plans = |marker: &'static str| {
            let pool = pool.clone();
            async move {
                let row = pool
                    .query_one_raw(Statement::from_string(
                        DbBackend::Postgres,
                        format!(
                            "SELECT generic_plans, custom_plans FROM pg_prepared_statements \
                             WHERE NOT from_sql AND statement LIKE '%{marker}%' \
                             AND statement NOT LIKE '%pg_prepared_statements%'"
                        ),
                    ))
                    .await
                    .unwrap()
                    .expect("the statement was prepared");
                (
                    row.try_get::<i64>("", "generic_plans").unwrap(),
                    row.try_get::<i64>("", "custom_plans").unwrap(),
                )
            }
        };
        for round in 0..12 {
            let batch = &ids[..3 + round];
            let query = Query::select()
                .column((person::Entity, person::Column::Id))
                .expr_as(Expr::cust("'kept'"), sea_orm::sea_query::Alias::new("kept"))
                .from(person::Entity)
                .and_where(uuid_in_for(
                    DbBackend::Postgres,
                    person::Column::Id,
                    batch.iter().copied(),
                ))
                .to_owned();
            let rows = pool
                .query_all_raw(DbBackend::Postgres.build(&query))
                .await
                .unwrap();
            assert_eq!(rows.len(), batch.len());
            let plain = Statement::from_sql_and_values(
                DbBackend::Postgres,
                r#"SELECT "id", 'replanned' AS "replanned" FROM "person" WHERE "id" = ANY($1)"#,
                [sea_orm::Value::from(batch.to_vec())],
            );
            assert_eq!(pool.query_all_raw(plain).await.unwrap().len(), batch.len());
        }
        let (generic, custom) = plans("kept").await;
        assert!(
            generic >= 6 && custom <= 6,
            "generic {generic}, custom {custom}"
        );
        assert_eq!(plans("replanned").await, (0, 12));
    }
}
