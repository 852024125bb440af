//! What a backup needs from the database: a consistent copy of a SQLite database taken while
//! the node serves (`VACUUM INTO`), and whether a database is fresh, so that a restore never
//! writes over a node's data.

use super::Store;
use crate::error::{DomainError, Result};
use sqlx::Connection as _;
use std::path::Path;
use std::str::FromStr as _;

/// Writes a consistent copy of the SQLite database to `into` (which must not exist), while
/// others go on reading and writing.
pub async fn sqlite_snapshot(store: &Store, into: &Path) -> Result<()> {
    let super::Pool::Sqlite(pool) = store.pool() else {
        return Err(DomainError::invalid("database_url", crate::words::Say::BackupSqliteOnly));
    };
    let target = into.to_str().ok_or_else(|| DomainError::invalid("file", crate::words::Say::PathNotUtf8))?;
    sqlx::query("VACUUM INTO $1").bind(target).execute(pool).await?;
    Ok(())
}

/// `ok` when the SQLite file at `path` passes SQLite's own integrity check.
pub async fn sqlite_integrity(path: &Path) -> Result<String> {
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?.read_only(true);
    let mut conn = sqlx::SqliteConnection::connect_with(&options).await?;
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut conn).await?;
    conn.close().await?;
    Ok(verdict)
}

/// Whether the PostgreSQL database at `url` has no tables yet (not even migrated), so that a
/// dump can be restored into it.
pub async fn postgres_is_empty(url: &str) -> Result<bool> {
    let mut conn = sqlx::PgConnection::connect(url).await?;
    let sql = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()";
    let tables: i64 = sqlx::query_scalar(sql).fetch_one(&mut conn).await?;
    conn.close().await?;
    Ok(tables == 0)
}

/// Counts of what a node holds, to say what a backup or restore carried: (actors of this
/// node, posts, coalition operations).
pub async fn contents(store: &Store) -> Result<(i64, i64, i64)> {
    let mut conn = store.conn().await?;
    let mut counts = [0; 3];
    let tables = ["SELECT COUNT(*) FROM actors WHERE is_local", "SELECT COUNT(*) FROM posts", "SELECT COUNT(*) FROM coalition_operations"];
    for (count, sql) in counts.iter_mut().zip(tables) {
        *count = super::on_db!(&mut conn, c => sqlx::query_scalar::<_, i64>(sql).fetch_one(c).await)?;
    }
    Ok((counts[0], counts[1], counts[2]))
}
