//! Pairs and triples of a person's name tokens, in list order, so that a name search of two or
//! three words reads its page's people directly instead of walking past everyone listed
//! before them.
//!
//! A row of `person_name_combination` holds two or three of a person's distinct name tokens
//! (every pair and every triple of the tokens in `person_name_token`), in binary order
//! (`first < second < third`; `third` is empty for a pair), with the person's sort key. The
//! index on `(first, second, third, sort_key, person_id)` lists the people who bear all of
//! them in list order. A person with more than eight distinct tokens has a single row of
//! empty tokens instead (their combinations would be too many: 84 rows at eight). The storage layer writes a person's combinations with their tokens and
//! rewrites both when the person changes; people written before this migration get theirs
//! here, from their tokens.
//!
//! On PostgreSQL the token column's statistics become finer (a thousand commonest values and
//! histogram ranges instead of a hundred), as the search's plan is chosen from them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Creates and fills `person_name_combination`.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000005_name_combinations"
    }
}

const TABLE: &str = "person_name_combination";
/// Within PostgreSQL's 63 characters.
const INDEX: &str = "ix_person_name_combination_tokens_sort_key";

/// A text column compared and ordered byte by byte, as `person_name_token`'s are.
fn key_text(backend: sea_orm::DbBackend, name: &'static str) -> ColumnDef {
    let mut column = text(name);
    if backend == sea_orm::DbBackend::Postgres {
        column.extra("COLLATE \"C\"");
    }
    column
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        manager
            .create_table(
                Table::create()
                    .table(TABLE)
                    .col(uuid("person_id"))
                    .col(key_text(backend, "first"))
                    .col(key_text(backend, "second"))
                    .col(key_text(backend, "third"))
                    .col(key_text(backend, "sort_key"))
                    // A person's combinations together: written and rewritten person by person.
                    .primary_key(
                        Index::create()
                            .col("person_id")
                            .col("first")
                            .col("second")
                            .col("third"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_person_name_combination_person_id")
                            .from(TABLE, "person_id")
                            .to("person", "id")
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // People with at most eight tokens get their pairs and triples; people with more (a
        // long name, many other names: 28 pairs and 56 triples at eight) get one row of empty
        // tokens instead, which searches check person by person.
        let connection = manager.get_connection();
        for statement in [
            "INSERT INTO person_name_combination (person_id, first, second, third, sort_key) \
             SELECT a.person_id, a.token, b.token, '', a.sort_key \
             FROM (SELECT person_id FROM person_name_token GROUP BY person_id \
             HAVING count(*) <= 8) AS few \
             JOIN person_name_token AS a ON a.person_id = few.person_id \
             JOIN person_name_token AS b ON b.person_id = a.person_id AND b.token > a.token",
            "INSERT INTO person_name_combination (person_id, first, second, third, sort_key) \
             SELECT a.person_id, a.token, b.token, c.token, a.sort_key \
             FROM (SELECT person_id FROM person_name_token GROUP BY person_id \
             HAVING count(*) <= 8) AS few \
             JOIN person_name_token AS a ON a.person_id = few.person_id \
             JOIN person_name_token AS b ON b.person_id = a.person_id AND b.token > a.token \
             JOIN person_name_token AS c ON c.person_id = a.person_id AND c.token > b.token",
            "INSERT INTO person_name_combination (person_id, first, second, third, sort_key) \
             SELECT person_id, '', '', '', min(sort_key) FROM person_name_token \
             GROUP BY person_id HAVING count(*) > 8",
        ] {
            connection.execute_unprepared(statement).await?;
        }
        if backend == sea_orm::DbBackend::Postgres {
            // The search plans from PostgreSQL's estimate of each word's bearers, and with
            // the default statistics a token outside the hundred commonest is estimated from
            // its place in a histogram of a hundred ranges: "chau" (8,025 bearers of 3.1
            // million tokens) at 1, so its bearers were read first and checked one by one.
            // A thousand commonest tokens are counted exactly, and the rest in a finer
            // histogram.
            connection
                .execute_unprepared(
                    "ALTER TABLE person_name_token ALTER COLUMN token SET STATISTICS 1000",
                )
                .await?;
            connection
                .execute_unprepared("ANALYZE person_name_token")
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(TABLE)
                    .col("first")
                    .col("second")
                    .col("third")
                    .col("sort_key")
                    .col("person_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(
                    "ALTER TABLE person_name_token ALTER COLUMN token SET STATISTICS -1",
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(TABLE).to_owned())
            .await
    }
}
