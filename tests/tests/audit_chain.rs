//! The audit log's hash chain, on every engine: every entry names the hash of the one before
//! it, and rows edited, removed or inserted behind Gazette's back (with raw SQL on a second
//! connection) make `Database::verify_audit_chain` report the first broken link.
//!
//! `gazette audit verify` itself (its output and exit status) is tested on the real binary in
//! `crates/gateway/tests/subprocess.rs`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use gazette_domain::ids::PersonId;
use gazette_domain::name::PersonName;
use gazette_domain::person::{Person, PersonDetails};
use gazette_storage::tokens::Role;
use gazette_storage::{Actor, ChainLink, Database, Write};
use gazette_tests::TestDatabase;
use sea_orm::prelude::DateTimeUtc;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, Value as SqlValue};

fn actor() -> Actor {
    Actor::new("system:audit-chain-test").unwrap()
}

fn person(name: &str) -> Person {
    Person::new(
        PersonId::new(),
        PersonDetails::named(PersonName::parse(name).unwrap()),
    )
    .unwrap()
}

/// Writes `n` audit entries of a few kinds (people, tokens, a revocation).
async fn write_entries(db: &Database, n: usize) {
    for i in 0..n {
        match i % 3 {
            0 => db
                .create_person(&actor(), &person("Trần Việt Trường"))
                .await
                .unwrap(),
            1 => {
                gazette_gateway::auth::create(db, &actor(), &format!("token {i}"), Role::Reader)
                    .await
                    .unwrap();
            }
            _ => {
                let (record, _) =
                    gazette_gateway::auth::create(db, &actor(), "short-lived", Role::Editor)
                        .await
                        .unwrap();
                db.revoke_token(&actor(), record.id).await.unwrap();
            }
        }
    }
}

/// A raw connection to the test database, behind Gazette's back.
async fn raw(test_db: &TestDatabase) -> DatabaseConnection {
    sea_orm::Database::connect(test_db.url()).await.unwrap()
}

fn backend(connection: &DatabaseConnection) -> DbBackend {
    connection.get_database_backend()
}

/// Runs one statement with `$1`-style placeholders (rewritten to `?` on SQLite).
async fn exec(connection: &DatabaseConnection, sql: &str, values: Vec<SqlValue>) {
    let backend = backend(connection);
    let sql = if backend == DbBackend::Sqlite {
        let mut out = sql.to_owned();
        for i in (1..=values.len()).rev() {
            out = out.replace(&format!("${i}"), "?");
        }
        out
    } else {
        sql.to_owned()
    };
    connection
        .execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .unwrap();
}

/// Every entry's seq, hash and previous hash, in seq order.
async fn chain(connection: &DatabaseConnection) -> Vec<(i64, Option<String>, Option<String>)> {
    connection
        .query_all_raw(Statement::from_string(
            backend(connection),
            "SELECT seq, hash, prev_hash FROM audit_log ORDER BY seq",
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|row| {
            (
                row.try_get::<i64>("", "seq").unwrap(),
                row.try_get::<Option<String>>("", "hash").unwrap(),
                row.try_get::<Option<String>>("", "prev_hash").unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_entry_names_the_hash_of_the_one_before_and_the_chain_verifies() {
    for test_db in TestDatabase::every_engine().await {
        let db = &test_db.db;
        let empty = db.verify_audit_chain().await.unwrap();
        assert_eq!(
            (
                empty.entries,
                empty.head.clone(),
                empty.first_broken.clone()
            ),
            (0, None, None)
        );
        assert!(empty.is_intact());

        write_entries(db, 9).await;
        let connection = raw(&test_db).await;
        let rows = chain(&connection).await;
        assert_eq!(
            rows.len(),
            12,
            "9 writes, 3 of them a token and its revocation"
        );
        assert_eq!(
            rows[0].2, None,
            "the chain's first entry has no predecessor"
        );
        for pair in rows.windows(2) {
            let hash = pair[0].1.as_deref().unwrap();
            assert_eq!(hash.len(), 64);
            assert!(
                hash.bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            );
            assert_eq!(pair[1].2.as_deref(), Some(hash), "entry {}", pair[1].0);
        }

        let verification = db.verify_audit_chain().await.unwrap();
        assert_eq!(verification.first_broken, None);
        assert_eq!(verification.entries, 12);
        assert_eq!(verification.unchained, 0);
        let last = rows.last().unwrap();
        assert_eq!(
            verification.head,
            Some((last.0, last.1.clone().unwrap())),
            "the head is the last entry"
        );
        assert_eq!(db.audit_entry_hash(last.0).await.unwrap(), last.1);
        drop(connection);
        test_db.finish().await;
    }
}

#[tokio::test]
async fn an_entry_edited_behind_gazettes_back_is_the_first_broken_link() {
    for test_db in TestDatabase::every_engine().await {
        let db = &test_db.db;
        write_entries(db, 8).await;
        let connection = raw(&test_db).await;
        let rows = chain(&connection).await;
        let victim = rows[4].0;
        let original: String = connection
            .query_one_raw(Statement::from_string(
                backend(&connection),
                format!("SELECT summary FROM audit_log WHERE seq = {victim}"),
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get("", "summary")
            .unwrap();

        exec(
            &connection,
            "UPDATE audit_log SET summary = $1 WHERE seq = $2",
            vec![r#"{"name":"someone else"}"#.into(), victim.into()],
        )
        .await;
        let verification = db.verify_audit_chain().await.unwrap();
        let (seq, reason) = verification.first_broken.clone().unwrap();
        assert_eq!(seq, victim, "{reason}");
        assert!(
            reason.contains("content does not match its hash"),
            "{reason}"
        );
        assert_eq!(
            verification.head.unwrap().0,
            rows[3].0,
            "the last good entry"
        );
        assert_eq!(verification.entries, 5, "the walk stops at the break");

        exec(
            &connection,
            "UPDATE audit_log SET summary = $1 WHERE seq = $2",
            vec![original.into(), victim.into()],
        )
        .await;
        assert!(
            db.verify_audit_chain().await.unwrap().is_intact(),
            "restored"
        );
        // Every other hashed column is covered too: the actor, the operation, the entity, the
        // time.
        for (column, value) in [
            ("actor", SqlValue::from("editor:someone")),
            ("operation", SqlValue::from("delete")),
            ("entity_kind", SqlValue::from("post")),
            ("entity_id", SqlValue::from(uuid::Uuid::now_v7())),
            ("at", SqlValue::from(DateTimeUtc::UNIX_EPOCH)),
        ] {
            let seq = rows[6].0;
            // Copy the row first so that it can be put back.
            exec(
                &connection,
                &format!("CREATE TABLE audit_backup AS SELECT * FROM audit_log WHERE seq = {seq}"),
                vec![],
            )
            .await;
            exec(
                &connection,
                &format!("UPDATE audit_log SET {column} = $1 WHERE seq = $2"),
                vec![value, seq.into()],
            )
            .await;
            let broken = db.verify_audit_chain().await.unwrap().first_broken;
            assert_eq!(broken.map(|b| b.0), Some(seq), "an edited {column}");
            exec(
                &connection,
                &format!(
                    "UPDATE audit_log SET {column} = (SELECT {column} FROM audit_backup) WHERE seq = $1"
                ),
                vec![seq.into()],
            )
            .await;
            exec(&connection, "DROP TABLE audit_backup", vec![]).await;
            assert!(
                db.verify_audit_chain().await.unwrap().is_intact(),
                "{column} restored"
            );
        }
        drop(connection);
        test_db.finish().await;
    }
}

#[tokio::test]
async fn a_deleted_entry_breaks_the_link_of_the_entry_after_it() {
    for test_db in TestDatabase::every_engine().await {
        let db = &test_db.db;
        write_entries(db, 6).await;
        let connection = raw(&test_db).await;
        let rows = chain(&connection).await;

        exec(
            &connection,
            "DELETE FROM audit_log WHERE seq = $1",
            vec![rows[3].0.into()],
        )
        .await;
        let (seq, reason) = db.verify_audit_chain().await.unwrap().first_broken.unwrap();
        assert_eq!(seq, rows[4].0, "{reason}");
        assert!(
            reason.contains("does not match the hash of entry"),
            "{reason}"
        );

        // Removing the chain's first entry is caught too: the new first entry names a
        // predecessor that is not there.
        exec(
            &connection,
            "DELETE FROM audit_log WHERE seq <= $1",
            vec![rows[4].0.into()],
        )
        .await;
        let (seq, reason) = db.verify_audit_chain().await.unwrap().first_broken.unwrap();
        assert_eq!(seq, rows[5].0, "{reason}");
        assert!(reason.contains("first entries were removed"), "{reason}");
        drop(connection);
        test_db.finish().await;
    }
}

#[tokio::test]
async fn a_rewritten_hash_moves_the_break_to_the_next_link_and_a_full_rewrite_fails_the_anchor() {
    for test_db in TestDatabase::every_engine().await {
        let db = &test_db.db;
        write_entries(db, 6).await;
        let connection = raw(&test_db).await;
        let rows = chain(&connection).await;
        let anchor = rows.last().map(|r| (r.0, r.1.clone().unwrap())).unwrap();
        let victim = rows[2].0;

        // The forger edits the summary and recomputes the entry's own hash...
        let stored = connection_row(&test_db, victim).await;
        let hash = ChainLink {
            at: stored.0,
            actor: &stored.1,
            operation: &stored.2,
            entity_kind: &stored.3,
            entity_id: stored.4,
            summary: r#"{"name":"forged"}"#,
            prev_hash: rows[1].1.as_deref(),
        }
        .hash();
        exec(
            &connection,
            "UPDATE audit_log SET summary = $1, hash = $2 WHERE seq = $3",
            vec![
                r#"{"name":"forged"}"#.into(),
                hash.clone().into(),
                victim.into(),
            ],
        )
        .await;
        // ...which the next entry's link still catches.
        let (seq, reason) = db.verify_audit_chain().await.unwrap().first_broken.unwrap();
        assert_eq!(seq, rows[3].0, "{reason}");

        // A forger who recomputes every later hash too leaves a chain that verifies: only an
        // anchor recorded elsewhere (the head, as `gazette audit verify` prints it) shows it.
        let mut previous = hash;
        for row in &rows[3..] {
            let stored = connection_row(&test_db, row.0).await;
            let summary: String = stored.5.clone();
            let next = ChainLink {
                at: stored.0,
                actor: &stored.1,
                operation: &stored.2,
                entity_kind: &stored.3,
                entity_id: stored.4,
                summary: &summary,
                prev_hash: Some(&previous),
            }
            .hash();
            exec(
                &connection,
                "UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3",
                vec![previous.clone().into(), next.clone().into(), row.0.into()],
            )
            .await;
            previous = next;
        }
        assert!(db.verify_audit_chain().await.unwrap().is_intact());
        assert_ne!(
            db.audit_entry_hash(anchor.0).await.unwrap(),
            Some(anchor.1),
            "the recorded head no longer matches"
        );
        drop(connection);
        test_db.finish().await;
    }
}

/// (at, actor, operation, entity_kind, entity_id, summary) of one entry, read through sea-orm's
/// raw interface as Gazette reads it.
async fn connection_row(
    test_db: &TestDatabase,
    seq: i64,
) -> (DateTimeUtc, String, String, String, uuid::Uuid, String) {
    let connection = raw(test_db).await;
    let row = connection
        .query_one_raw(Statement::from_string(
            backend(&connection),
            format!(
                "SELECT at, actor, operation, entity_kind, entity_id, summary FROM audit_log \
                 WHERE seq = {seq}"
            ),
        ))
        .await
        .unwrap()
        .unwrap();
    (
        row.try_get("", "at").unwrap(),
        row.try_get("", "actor").unwrap(),
        row.try_get("", "operation").unwrap(),
        row.try_get("", "entity_kind").unwrap(),
        row.try_get("", "entity_id").unwrap(),
        row.try_get("", "summary").unwrap(),
    )
}

#[tokio::test]
async fn a_removed_hash_or_a_cut_link_is_a_broken_link() {
    for test_db in TestDatabase::every_engine().await {
        let db = &test_db.db;
        write_entries(db, 6).await;
        let connection = raw(&test_db).await;
        let rows = chain(&connection).await;

        exec(
            &connection,
            "UPDATE audit_log SET hash = NULL WHERE seq = $1",
            vec![rows[3].0.into()],
        )
        .await;
        let (seq, reason) = db.verify_audit_chain().await.unwrap().first_broken.unwrap();
        assert_eq!(seq, rows[3].0, "{reason}");
        assert!(reason.contains("no hash"), "{reason}");
        exec(
            &connection,
            "UPDATE audit_log SET hash = $1 WHERE seq = $2",
            vec![rows[3].1.clone().into(), rows[3].0.into()],
        )
        .await;
        assert!(db.verify_audit_chain().await.unwrap().is_intact());

        exec(
            &connection,
            "UPDATE audit_log SET prev_hash = NULL WHERE seq = $1",
            vec![rows[2].0.into()],
        )
        .await;
        let (seq, reason) = db.verify_audit_chain().await.unwrap().first_broken.unwrap();
        assert_eq!(seq, rows[2].0, "{reason}");
        assert!(reason.contains("cut"), "{reason}");

        // Hiding every hash (to pass the log off as written before the chain existed) is no
        // escape either: entries after the chain began must be chained.
        exec(
            &connection,
            "UPDATE audit_log SET prev_hash = NULL, hash = NULL WHERE seq = $1",
            vec![rows[4].0.into()],
        )
        .await;
        assert!(
            db.verify_audit_chain()
                .await
                .unwrap()
                .first_broken
                .is_some()
        );
        drop(connection);
        test_db.finish().await;
    }
}

#[tokio::test]
async fn entries_from_before_the_chain_are_counted_apart_and_the_chain_starts_after_them() {
    for test_db in TestDatabase::every_engine().await {
        let db = &test_db.db;
        let connection = raw(&test_db).await;
        // Two entries as the log held them before the chain's migration.
        for operation in ["create", "update"] {
            exec(
                &connection,
                "INSERT INTO audit_log (at, actor, operation, entity_kind, entity_id, summary) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
                vec![
                    DateTimeUtc::from(std::time::SystemTime::now()).into(),
                    "system:before-the-chain".into(),
                    operation.into(),
                    "person".into(),
                    uuid::Uuid::now_v7().into(),
                    "{}".into(),
                ],
            )
            .await;
        }
        write_entries(db, 3).await;
        let rows = chain(&connection).await;
        assert_eq!(
            rows[2].2, None,
            "the first chained entry has no predecessor"
        );
        let verification = db.verify_audit_chain().await.unwrap();
        assert_eq!(verification.first_broken, None);
        assert_eq!((verification.entries, verification.unchained), (6, 2));
        drop(connection);
        test_db.finish().await;
    }
}

#[tokio::test]
async fn concurrent_writers_keep_the_chain_linear() {
    for test_db in TestDatabase::every_engine().await {
        let db = test_db.db.clone();
        let writers: Vec<_> = (0..40)
            .map(|i| {
                let db = db.clone();
                tokio::spawn(async move {
                    if i % 2 == 0 {
                        db.create_person(&actor(), &person("Phạm Văn Hiểu"))
                            .await
                            .unwrap();
                    } else {
                        gazette_gateway::auth::create(&db, &actor(), "racer", Role::Reader)
                            .await
                            .unwrap();
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.await.unwrap();
        }
        let verification = db.verify_audit_chain().await.unwrap();
        assert_eq!(verification.first_broken, None, "no fork in the chain");
        assert_eq!(verification.entries, 40);
        test_db.finish().await;
    }
}

#[tokio::test]
async fn a_long_log_is_verified_page_by_page_and_a_break_past_the_first_page_is_found() {
    for test_db in TestDatabase::every_engine().await {
        let db = &test_db.db;
        let writes: Vec<Write> = (0..2100)
            .map(|_| Write::CreatePerson(person("Nguyễn Thanh Nghị")))
            .collect();
        db.apply(&actor(), &writes).await.unwrap();
        let verification = db.verify_audit_chain().await.unwrap();
        assert_eq!(verification.first_broken, None);
        assert_eq!(verification.entries, 2100);

        let connection = raw(&test_db).await;
        let rows = chain(&connection).await;
        let victim = rows[1500].0;
        exec(
            &connection,
            "UPDATE audit_log SET entity_kind = $1 WHERE seq = $2",
            vec!["organization".into(), victim.into()],
        )
        .await;
        let verification = db.verify_audit_chain().await.unwrap();
        assert_eq!(verification.first_broken.map(|b| b.0), Some(victim));
        assert_eq!(verification.entries, 1501);
        drop(connection);
        test_db.finish().await;
    }
}
