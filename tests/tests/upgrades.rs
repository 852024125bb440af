//! Upgrades (issue 17): the SQLite and PostgreSQL migration trees are written twice, so a
//! test checks that they end in the same tables with the same columns; a column missing on
//! one side would only show on the nodes that run it.

use anyhow::Result;
use buurtnet_domain::store::{Handle as _, Raw};
use buurtnet_domain::{Store, ops, store};
use buurtnet_tests::harness::{Backend, database_url};
use std::collections::BTreeSet;

/// Every (table, column) of the migrated database, sqlx's own table left out.
async fn columns(store: &Store) -> Result<BTreeSet<(String, String)>> {
    let mut conn = store.conn().await?;
    let found: Vec<(String, String)> = match conn.raw() {
        Raw::Sqlite(c) => {
            let sql = "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
                       WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'";
            sqlx::query_as(sql).fetch_all(c).await?
        }
        Raw::Postgres(c) => {
            let sql = "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = current_schema()";
            sqlx::query_as(sql).fetch_all(c).await?
        }
    };
    Ok(found.into_iter().filter(|(table, _)| table != "_sqlx_migrations").collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_migration_trees_make_the_same_tables_and_columns() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let sqlite = Store::connect(&database_url(Backend::Sqlite, &dir)?).await?;
    let postgres = Store::connect(&database_url(Backend::Postgres, &dir)?).await?;
    let (on_sqlite, on_postgres) = (columns(&sqlite).await?, columns(&postgres).await?);
    assert!(on_sqlite.len() > 100, "the whole schema was read: {}", on_sqlite.len());
    let only_sqlite: Vec<_> = on_sqlite.difference(&on_postgres).collect();
    let only_postgres: Vec<_> = on_postgres.difference(&on_sqlite).collect();
    assert!(only_sqlite.is_empty() && only_postgres.is_empty(), "only in SQLite: {only_sqlite:?}\nonly in PostgreSQL: {only_postgres:?}");
    Ok(())
}

/// The database a release fixture holds, loaded where a node of that release kept it: a copy
/// of the SQLite file, or a fresh PostgreSQL database the plain dump is loaded into. `None`
/// for a file that is not a fixture. The directory holds the copy.
async fn load_fixture(fixture: &std::path::Path, dir: &tempfile::TempDir) -> Result<Option<String>> {
    let name = fixture.file_name().unwrap_or_default().to_string_lossy();
    if name.ends_with(".sqlite") {
        let copy = dir.path().join("buurtnet.db");
        std::fs::copy(fixture, &copy)?;
        return Ok(Some(format!("sqlite://{}", copy.display())));
    }
    if !name.ends_with(".postgres.sql") {
        return Ok(None);
    }
    let url = database_url(Backend::Postgres, dir)?;
    let loaded = std::process::Command::new("psql").args(["-q", "-v", "ON_ERROR_STOP=1", "-f"]).arg(fixture).arg(&url).output()?;
    anyhow::ensure!(loaded.status.success(), "psql loads {name}: {}", String::from_utf8_lossy(&loaded.stderr));
    Ok(Some(url))
}

/// Every fixture in `tests/fixtures/upgrade` (one per release and database, made by
/// `scripts/make-upgrade-fixture.sh`) migrates to the current schema, and what it held still
/// reads: the actors, posts and coalition log, the coalition's fold, the outbox.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_release_fixture_migrates_to_the_current_schema_and_still_reads() -> Result<()> {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/upgrade");
    let mut migrated = Vec::new();
    for fixture in std::fs::read_dir(&fixtures)? {
        let fixture = fixture?.path();
        let dir = tempfile::tempdir()?;
        let Some(url) = load_fixture(&fixture, &dir).await? else { continue };
        let store = Store::connect(&url).await?;
        let (local, posts, operations) = store::backup::contents(&store).await?;
        assert!(
            local >= 3 && posts >= 10 && operations >= 10,
            "{}: {local} local actors, {posts} posts, {operations} operations",
            fixture.display()
        );
        let coalitions = ops::coalitions::held(&store).await?;
        let state = ops::coalitions::state(&store, coalitions.first().map(String::as_str).unwrap_or_default()).await?;
        assert!(state.founded && state.members.len() == 3, "{}: the coalition folds as before: {:?}", fixture.display(), state.members);
        let waiting = store::outbox::pending(&mut store.conn().await?, 1000).await?;
        assert!(waiting.iter().all(|(_, entry)| entry.is_ok()), "{}: every outbox entry still reads", fixture.display());
        store.close().await;
        migrated.push(fixture.file_name().unwrap_or_default().to_string_lossy().into_owned());
    }
    let on = |end: &str| migrated.iter().any(|name| name.ends_with(end));
    assert!(on(".sqlite") && on(".postgres.sql"), "a fixture of each database in {}: {migrated:?}", fixtures.display());
    Ok(())
}
