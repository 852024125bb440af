//! Upgrades (issue 17): the SQLite and PostgreSQL migration trees are written twice, so a
//! test checks that they end in the same tables with the same columns; a column missing on
//! one side would only show on the nodes that run it.

use anyhow::Result;
use buurtnet_domain::Store;
use buurtnet_domain::store::{Handle as _, Raw};
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
