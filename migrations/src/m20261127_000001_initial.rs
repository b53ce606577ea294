//! The initial schema: one table per aggregate, child tables for the lists the API filters on or
//! that carry foreign keys, and the audit log.
//!
//! Conventions:
//! * ids are UUIDs (v7) made by the domain; child rows are keyed by their parent and position;
//! * a partial date is stored as its text ("2021", "2021-01", "2021-01-15") next to the first and
//!   last day it covers, so "active on D" is an indexed range test;
//! * `*_fold` columns hold the search key (lowercase, without diacritics, đ → d) of a name;
//! * small lists nobody filters on (other names, agenda, photo credits) are JSON text.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// The initial schema.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261127_000001_initial"
    }
}

fn fk(
    from_table: &'static str,
    from_column: &'static str,
    to_table: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{from_column}"))
        .from(from_table, from_column)
        .to(to_table, "id")
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::Cascade)
        .to_owned()
}

/// A text column compared and ordered byte by byte: search keys and sort keys are built for
/// binary order, which SQLite uses by default and PostgreSQL only under the "C" collation.
fn key_text(backend: sea_orm::DbBackend, name: &'static str) -> ColumnDef {
    let mut column = text(name);
    if backend == sea_orm::DbBackend::Postgres {
        column.extra("COLLATE \"C\"");
    }
    column
}

fn index(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut statement = Index::create();
    statement
        .name(format!("ix_{table}_{}", columns.join("_")))
        .table(table)
        .if_not_exists();
    for column in columns {
        statement.col(*column);
    }
    statement.to_owned()
}

fn unique(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut statement = index(table, columns);
    statement
        .name(format!("ux_{table}_{}", columns.join("_")))
        .unique();
    statement
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        let backend = manager.get_database_backend();

        // People.
        manager
            .create_table(
                Table::create()
                    .table("person")
                    .col(pk_uuid("id"))
                    .col(text("full_name"))
                    .col(key_text(backend, "name_fold"))
                    .col(key_text(backend, "sort_key"))
                    .col(text_null("sort_override"))
                    .col(string_null("gender"))
                    .col(string_null("birth_date"))
                    .col(string_null("death_date"))
                    .col(text("other_names"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("person", &["sort_key", "id"]))
            .await?;
        manager
            .create_index(index("person", &["name_fold"]))
            .await?;
        // One row per word of a person's folded names (current and other), for prefix and word
        // search with an index range scan on both engines.
        manager
            .create_table(
                Table::create()
                    .table("person_name_token")
                    .col(uuid("person_id"))
                    .col(key_text(backend, "token"))
                    .primary_key(Index::create().col("token").col("person_id"))
                    .foreign_key(&mut fk("person_name_token", "person_id", "person", Cascade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("person_name_token", &["person_id"]))
            .await?;

        // Organizations.
        manager
            .create_table(
                Table::create()
                    .table("organization")
                    .col(pk_uuid("id"))
                    .col(text("name"))
                    .col(key_text(backend, "name_fold"))
                    .col(text_null("abbreviation"))
                    .col(string("classification"))
                    .col(string_null("level"))
                    .col(uuid_null("parent_id"))
                    .col(string_null("life_start"))
                    .col(string_null("life_end"))
                    .col(text("other_names"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk(
                        "organization",
                        "parent_id",
                        "organization",
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("organization", &["parent_id", "name_fold", "id"]))
            .await?;
        manager
            .create_index(index(
                "organization",
                &["classification", "name_fold", "id"],
            ))
            .await?;
        manager
            .create_index(index("organization", &["name_fold", "id"]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("organization_succession")
                    .col(uuid("organization_id"))
                    .col(integer("position"))
                    .col(uuid("predecessor_id"))
                    .col(string("kind"))
                    .col(string_null("date"))
                    .primary_key(Index::create().col("organization_id").col("position"))
                    .foreign_key(&mut fk(
                        "organization_succession",
                        "organization_id",
                        "organization",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "organization_succession",
                        "predecessor_id",
                        "organization",
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("organization_succession", &["predecessor_id"]))
            .await?;

        // Identifiers of people and organizations: unique per scheme within each kind.
        manager
            .create_table(
                Table::create()
                    .table("identifier")
                    .col(string("subject_kind"))
                    .col(uuid("subject_id"))
                    .col(integer("position"))
                    .col(string("scheme"))
                    .col(text("value"))
                    .primary_key(
                        Index::create()
                            .col("subject_kind")
                            .col("subject_id")
                            .col("position"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique("identifier", &["subject_kind", "scheme", "value"]))
            .await?;

        // Posts and holdings.
        manager
            .create_table(
                Table::create()
                    .table("post")
                    .col(pk_uuid("id"))
                    .col(uuid("organization_id"))
                    .col(text("title"))
                    .col(key_text(backend, "title_fold"))
                    .col(integer_null("seats"))
                    .col(string_null("life_start"))
                    .col(string_null("life_end"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("post", "organization_id", "organization", Restrict))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("post", &["organization_id", "title_fold"]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("holding")
                    .col(pk_uuid("id"))
                    .col(uuid("person_id"))
                    .col(uuid("post_id"))
                    .col(string_null("start_date"))
                    .col(string_null("end_date"))
                    .col(date_null("active_from"))
                    .col(date_null("active_to"))
                    .col(string("kind"))
                    .col(string_null("term"))
                    .col(text_null("document"))
                    .col(text_null("end_reason"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("holding", "person_id", "person", Restrict))
                    .foreign_key(&mut fk("holding", "post_id", "post", Restrict))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("holding", &["post_id", "active_from"]))
            .await?;
        manager
            .create_index(index("holding", &["person_id", "active_from"]))
            .await?;

        // Sources and citations.
        manager
            .create_table(
                Table::create()
                    .table("source")
                    .col(pk_uuid("id"))
                    .col(string("kind"))
                    .col(text("title"))
                    .col(key_text(backend, "title_fold"))
                    .col(text_null("publisher"))
                    .col(text_null("url"))
                    .col(string_null("published_at"))
                    .col(date_null("published_on"))
                    .col(text_null("byline"))
                    .col(text("photo_credits"))
                    .col(timestamp_with_time_zone_null("retrieved_at"))
                    .col(string_null("content_hash"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("source", &["published_on", "id"]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("citation")
                    .col(pk_uuid("id"))
                    .col(uuid("source_id"))
                    .col(string("subject_kind"))
                    .col(uuid("subject_id"))
                    .col(text_null("note"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("citation", "source_id", "source", Restrict))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("citation", &["subject_kind", "subject_id"]))
            .await?;
        manager
            .create_index(index("citation", &["source_id", "id"]))
            .await?;

        // Meetings.
        manager
            .create_table(
                Table::create()
                    .table("meeting")
                    .col(pk_uuid("id"))
                    .col(text("title"))
                    .col(key_text(backend, "title_fold"))
                    .col(string("kind"))
                    .col(uuid("organizer_id"))
                    .col(string("held_at"))
                    .col(date("held_from"))
                    .col(date("held_to"))
                    .col(text_null("location"))
                    .col(text("agenda"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("meeting", "organizer_id", "organization", Restrict))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("meeting", &["organizer_id", "held_from"]))
            .await?;
        manager
            .create_index(index("meeting", &["held_from", "id"]))
            .await?;
        // Chairs and attendees, one row per capacity (a participant named without a capacity
        // has one row with no post).
        manager
            .create_table(
                Table::create()
                    .table("meeting_participant")
                    .col(uuid("meeting_id"))
                    .col(string("role"))
                    .col(integer("position"))
                    .col(uuid("person_id"))
                    .col(integer("capacity_position"))
                    .col(uuid_null("post_id"))
                    .primary_key(
                        Index::create()
                            .col("meeting_id")
                            .col("role")
                            .col("position")
                            .col("capacity_position"),
                    )
                    .foreign_key(&mut fk(
                        "meeting_participant",
                        "meeting_id",
                        "meeting",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "meeting_participant",
                        "person_id",
                        "person",
                        Restrict,
                    ))
                    .foreign_key(&mut fk("meeting_participant", "post_id", "post", Restrict))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("meeting_participant", &["person_id"]))
            .await?;

        // Directives and tasks.
        manager
            .create_table(
                Table::create()
                    .table("directive")
                    .col(pk_uuid("id"))
                    .col(uuid("issuer_id"))
                    .col(text("issuer_capacities"))
                    .col(string("kind"))
                    .col(string("issued_on"))
                    .col(date("issued_from"))
                    .col(date("issued_to"))
                    .col(uuid_null("meeting_id"))
                    .col(text_null("document_number"))
                    .col(key_text(backend, "document_number_key").null().to_owned())
                    .col(text("summary"))
                    .col(text("addressees"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("directive", "issuer_id", "person", Restrict))
                    .foreign_key(&mut fk("directive", "meeting_id", "meeting", SetNull))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("directive", &["issuer_id", "issued_from"]))
            .await?;
        manager
            .create_index(index("directive", &["meeting_id"]))
            .await?;
        manager
            .create_index(index("directive", &["issued_from", "id"]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("task")
                    .col(pk_uuid("id"))
                    .col(uuid("directive_id"))
                    .col(integer("position"))
                    .col(text("text"))
                    .col(uuid_null("lead_id"))
                    .col(date("assigned_on"))
                    .col(date_null("deadline"))
                    .col(string("lifecycle"))
                    .col(date_null("closed_on"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("task", "directive_id", "directive", Restrict))
                    .foreign_key(&mut fk("task", "lead_id", "organization", Restrict))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique("task", &["directive_id", "position"]))
            .await?;
        manager
            .create_index(index("task", &["lead_id", "assigned_on"]))
            .await?;
        manager
            .create_index(index("task", &["deadline", "id"]))
            .await?;
        manager
            .create_index(index("task", &["lifecycle", "deadline"]))
            .await?;
        // Every assignee of a task: the lead, co-operating units and addressees; organizations
        // by id, groups by name.
        manager
            .create_table(
                Table::create()
                    .table("task_assignee")
                    .col(uuid("task_id"))
                    .col(string("role"))
                    .col(integer("position"))
                    .col(uuid_null("organization_id"))
                    .col(text_null("group_name"))
                    .primary_key(Index::create().col("task_id").col("role").col("position"))
                    .foreign_key(&mut fk("task_assignee", "task_id", "task", Cascade))
                    .foreign_key(&mut fk(
                        "task_assignee",
                        "organization_id",
                        "organization",
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("task_assignee", &["organization_id", "task_id"]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("task_lifecycle_change")
                    .col(uuid("task_id"))
                    .col(integer("position"))
                    .col(string("to_state"))
                    .col(date("changed_on"))
                    .col(text_null("note"))
                    .primary_key(Index::create().col("task_id").col("position"))
                    .foreign_key(&mut fk("task_lifecycle_change", "task_id", "task", Cascade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("progress_report")
                    .col(pk_uuid("id"))
                    .col(uuid("task_id"))
                    .col(date("reported_on"))
                    .col(uuid_null("reporter_id"))
                    .col(text("note"))
                    .col(small_integer_null("percent"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("progress_report", "task_id", "task", Restrict))
                    .foreign_key(&mut fk(
                        "progress_report",
                        "reporter_id",
                        "organization",
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("progress_report", &["task_id", "reported_on"]))
            .await?;

        // Award decisions.
        manager
            .create_table(
                Table::create()
                    .table("award_decision")
                    .col(pk_uuid("id"))
                    .col(text_null("number"))
                    .col(key_text(backend, "number_key").null().to_owned())
                    .col(string_null("signed_on"))
                    .col(integer_null("year"))
                    .col(uuid("authority_id"))
                    .col(uuid_null("signer_id"))
                    .col(text_null("signer_capacity"))
                    .col(string("form_kind"))
                    .col(text("form"))
                    .col(text_null("achievement_reason"))
                    .col(text_null("achievement_field"))
                    .col(
                        key_text(backend, "achievement_field_fold")
                            .null()
                            .to_owned(),
                    )
                    .col(integer_null("achievement_first_year"))
                    .col(integer_null("achievement_last_year"))
                    .col(string("status"))
                    .col(string_null("revoked_on"))
                    .col(text_null("revocation_reason"))
                    .col(text_null("revocation_document"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk(
                        "award_decision",
                        "authority_id",
                        "organization",
                        Restrict,
                    ))
                    .foreign_key(&mut fk("award_decision", "signer_id", "person", Restrict))
                    .to_owned(),
            )
            .await?;
        // A decision number is unique per issuing authority (NULL numbers are not compared).
        manager
            .create_index(unique("award_decision", &["authority_id", "number_key"]))
            .await?;
        manager
            .create_index(index("award_decision", &["authority_id", "year", "id"]))
            .await?;
        manager
            .create_index(index("award_decision", &["year", "id"]))
            .await?;
        manager
            .create_index(index("award_decision", &["form_kind", "year"]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("award_recipient")
                    .col(uuid("decision_id"))
                    .col(integer("position"))
                    .col(uuid_null("person_id"))
                    .col(uuid_null("organization_id"))
                    .col(string("kind"))
                    .col(text_null("reason"))
                    .col(big_integer_null("prize_vnd"))
                    .primary_key(Index::create().col("decision_id").col("position"))
                    .foreign_key(&mut fk(
                        "award_recipient",
                        "decision_id",
                        "award_decision",
                        Cascade,
                    ))
                    .foreign_key(&mut fk("award_recipient", "person_id", "person", Restrict))
                    .foreign_key(&mut fk(
                        "award_recipient",
                        "organization_id",
                        "organization",
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique("award_recipient", &["person_id", "decision_id"]))
            .await?;
        manager
            .create_index(unique(
                "award_recipient",
                &["organization_id", "decision_id"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("award_unnamed_recipient")
                    .col(uuid("decision_id"))
                    .col(integer("position"))
                    .col(string("kind"))
                    .col(integer_null("count"))
                    .col(text_null("note"))
                    .primary_key(Index::create().col("decision_id").col("position"))
                    .foreign_key(&mut fk(
                        "award_unnamed_recipient",
                        "decision_id",
                        "award_decision",
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("award_presentation")
                    .col(uuid("decision_id"))
                    .col(integer("position"))
                    .col(uuid_null("meeting_id"))
                    .col(uuid_null("presenter_id"))
                    .col(string_null("date"))
                    .primary_key(Index::create().col("decision_id").col("position"))
                    .foreign_key(&mut fk(
                        "award_presentation",
                        "decision_id",
                        "award_decision",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "award_presentation",
                        "meeting_id",
                        "meeting",
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "award_presentation",
                        "presenter_id",
                        "person",
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("award_presentation", &["presenter_id"]))
            .await?;
        manager
            .create_index(index("award_presentation", &["meeting_id"]))
            .await?;

        // The audit log: every write, in the write's own transaction.
        manager
            .create_table(
                Table::create()
                    .table("audit_log")
                    .col(big_pk_auto("seq"))
                    .col(timestamp_with_time_zone("at"))
                    .col(text("actor"))
                    .col(string("operation"))
                    .col(string("entity_kind"))
                    .col(uuid("entity_id"))
                    .col(text("summary"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("audit_log", &["entity_kind", "entity_id", "seq"]))
            .await?;
        manager
            .create_index(index("audit_log", &["actor", "seq"]))
            .await?;
        manager
            .create_index(index("audit_log", &["at", "seq"]))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "audit_log",
            "award_presentation",
            "award_unnamed_recipient",
            "award_recipient",
            "award_decision",
            "progress_report",
            "task_lifecycle_change",
            "task_assignee",
            "task",
            "directive",
            "meeting_participant",
            "meeting",
            "citation",
            "source",
            "holding",
            "post",
            "identifier",
            "organization_succession",
            "organization",
            "person_name_token",
            "person",
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
