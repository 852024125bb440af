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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_release_fixture_migrates_to_the_current_schema_and_still_reads() -> Result<()> {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/upgrade");
    let mut migrated = 0;
    for fixture in std::fs::read_dir(&fixtures)? {
        let fixture = fixture?.path();
        if fixture.extension().is_none_or(|e| e != "sqlite") {
            continue;
        }
        let dir = tempfile::tempdir()?;
        let copy = dir.path().join("buurtnet.db");
        std::fs::copy(&fixture, &copy)?;
        let store = Store::connect(&format!("sqlite://{}", copy.display())).await?;
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
        migrated += 1;
    }
    assert!(migrated >= 1, "at least the fixture of this release is in {}", fixtures.display());
    Ok(())
}
