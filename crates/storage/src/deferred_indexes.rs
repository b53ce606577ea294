//! Secondary indexes set aside while a bulk load fills an empty database, and built again
//! after it.
//!
//! Every row inserted into a table updates each of its indexes; once an index outgrows the
//! database's cache, each insert into it is a random page read and write. Loading first and
//! indexing after (one sort per index) is much faster, which is what PostgreSQL's manual
//! advises for populating a database ("Remove indexes", "Increase `maintenance_work_mem`",
//! "Run `ANALYZE` afterwards").
//!
//! Only indexes that check nothing are set aside: primary keys, unique indexes and indexes
//! behind constraints stay, so identity and references are checked during the load as
//! always. The indexes the bulk path itself reads while loading ([`KEPT`]) stay too.
//!
//! [`Database::defer_secondary_indexes`] drops them in one transaction and returns their
//! definitions; [`Database::rebuild_indexes`] recreates every one of them in one transaction
//! (and on PostgreSQL refreshes the planner's statistics). A loader must rebuild them
//! whatever happens to the load. A process killed in between leaves a database without them
//! (queries still answer, slowly) and nothing records which ones are missing: a killed load
//! must be redone in a new database. A database killed before its first chunk was written
//! still looks empty, and a second load into it would set aside (and rebuild) only the indexes
//! that are left.

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::Database;
use crate::db::Engine;
use crate::error::StorageError;

/// Indexes the bulk path reads while it loads, kept in place: the holdings of a post, read to
/// check the seat rule against the stored holdings of the posts a chunk appoints to.
pub const KEPT: &[&str] = &["ix_holding_post_id_active_from"];

/// The indexes a bulk load set aside: their names and the statements that create them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "indexes set aside must be rebuilt with `Database::rebuild_indexes`"]
pub struct DeferredIndexes {
    indexes: Vec<(String, String)>,
}

impl DeferredIndexes {
    /// The names of the indexes set aside, in the order they will be rebuilt.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.indexes.iter().map(|(name, _)| name.as_str())
    }

    /// How many there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.indexes.len()
    }

    /// Whether none were set aside.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.indexes.is_empty()
    }
}

/// The non-unique secondary indexes of the current schema that back no constraint, with the
/// statements that create them, in name order.
const POSTGRES_INDEXES: &str = "\
SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace n ON n.oid = tc.relnamespace
WHERE n.nspname = current_schema()
  AND NOT i.indisprimary
  AND NOT i.indisunique
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
ORDER BY ic.relname";

/// The same on SQLite: indexes made by `CREATE INDEX` (those SQLite makes for constraints
/// have no SQL), unique ones left out.
const SQLITE_INDEXES: &str = "\
SELECT name, sql AS definition
FROM sqlite_master
WHERE type = 'index' AND sql IS NOT NULL AND upper(sql) NOT LIKE 'CREATE UNIQUE%'
ORDER BY name";

impl Database {
    /// Drops the secondary indexes that check nothing (see the module's documentation), in
    /// one transaction, and returns what is needed to build them again.
    ///
    /// # Errors
    ///
    /// A database failure; nothing is dropped then.
    pub async fn defer_secondary_indexes(&self) -> Result<DeferredIndexes, StorageError> {
        let (backend, query) = match self.engine() {
            Engine::Postgres => (DbBackend::Postgres, POSTGRES_INDEXES),
            Engine::Sqlite => (DbBackend::Sqlite, SQLITE_INDEXES),
        };
        let transaction = self.begin_write().await?;
        let mut indexes = Vec::new();
        for row in transaction
            .query_all_raw(Statement::from_string(backend, query))
            .await?
        {
            let name: String = row.try_get("", "name")?;
            let definition: String = row.try_get("", "definition")?;
            if !KEPT.contains(&name.as_str()) {
                indexes.push((name, definition));
            }
        }
        for (name, _) in &indexes {
            transaction
                .execute_unprepared(&format!("DROP INDEX {}", quote(name)))
                .await?;
        }
        transaction.commit().await?;
        Ok(DeferredIndexes { indexes })
    }

    /// Builds again the indexes [`Self::defer_secondary_indexes`] set aside, all in one
    /// transaction; on PostgreSQL with more sort memory for the builds, then (after the
    /// commit: it cannot run in a transaction) `VACUUM (ANALYZE)`s the database, so that the
    /// planner knows the loaded tables and the visibility map lets index-only scans skip the
    /// tables (a name search's token ranges read three to four times faster so on the
    /// generated national register).
    ///
    /// # Errors
    ///
    /// A database failure; none of the indexes is built then, and `deferred` can be tried
    /// again, unless the failure was the vacuum's, after the indexes were built.
    pub async fn rebuild_indexes(&self, deferred: &DeferredIndexes) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        if self.engine() == Engine::Postgres {
            transaction
                .execute_unprepared("SET LOCAL maintenance_work_mem = '256MB'")
                .await?;
        }
        for (_, definition) in &deferred.indexes {
            transaction.execute_unprepared(definition).await?;
        }
        transaction.commit().await?;
        if self.engine() == Engine::Postgres {
            self.reader().execute_unprepared("VACUUM (ANALYZE)").await?;
        }
        Ok(())
    }
}

/// An identifier quoted for SQL (both engines accept double quotes).
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
