//! Name tokens in list order: each row of `person_name_token` carries its person's sort key
//! (`person.sort_key`, the official list order), and an index on `(token, sort_key,
//! person_id)` lists a word's bearers in that order. The index of a person's tokens becomes
//! `(person_id, token)`, so checking whether a person has a word reads the index alone.
//!
//! A name search can then walk the bearers of its rarest word in list order and stop after a
//! page, instead of reading every bearer and sorting them (or walking the whole list). The
//! storage layer writes the sort key with the tokens and rewrites both when a person changes;
//! rows written before this migration get their person's sort key here.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Adds `sort_key` to `person_name_token`, fills it, and indexes tokens in list order.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000004_name_token_order"
    }
}

const INDEX: &str = "ix_person_name_token_token_sort_key_person_id";
const OLD_PERSON_INDEX: &str = "ix_person_name_token_person_id";
const PERSON_INDEX: &str = "ix_person_name_token_person_id_token";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let mut column = text("sort_key");
        column.default("");
        if backend == sea_orm::DbBackend::Postgres {
            // Binary order, like `person.sort_key`, so both engines list alike.
            column.extra("COLLATE \"C\"");
        }
        manager
            .alter_table(
                Table::alter()
                    .table("person_name_token")
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE person_name_token SET sort_key = \
                 (SELECT person.sort_key FROM person WHERE person.id = person_name_token.person_id)",
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table("person_name_token")
                    .col("token")
                    .col("sort_key")
                    .col("person_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(PERSON_INDEX)
                    .table("person_name_token")
                    .col("person_id")
                    .col("token")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name(OLD_PERSON_INDEX)
                    .table("person_name_token")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(OLD_PERSON_INDEX)
                    .table("person_name_token")
                    .col("person_id")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name(PERSON_INDEX)
                    .table("person_name_token")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name(INDEX)
                    .table("person_name_token")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("person_name_token")
                    .drop_column("sort_key")
                    .to_owned(),
            )
            .await
    }
}
