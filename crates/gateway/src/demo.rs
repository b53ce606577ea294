//! The demo world served by `gazette serve --demo`.

use gazette_storage::{Actor, Database, PageRequest, PersonFilter};

/// Loads the demo world into `db`, which must be empty: the demo never goes into a database
/// that holds someone's records.
pub async fn load_into_fresh(db: &Database, _actor: &Actor) -> anyhow::Result<()> {
    let existing = db
        .people(&PersonFilter::default(), &PageRequest::first(1))
        .await?;
    if !existing.edges.is_empty() {
        anyhow::bail!(
            "--demo needs a fresh database, and this one already holds records; omit --database-url to use a fresh in-memory one"
        );
    }
    // The demo world from the founding article arrives with the demo-data work; until then
    // `--demo` serves an empty, fresh database.
    Ok(())
}
