//! SQLite's one connection for writing. SQLite lets one writer in at a time, so this process
//! keeps a connection of its own for it, outside the pool, and whoever holds it has the turn
//! to write: write transactions queue for it in memory before they ask SQLite
//! (`BEGIN IMMEDIATE`), as SQLite's own wait for a busy database sleeps in growing steps.
//!
//! Kept outside the pool because a pooled connection costs a message to its thread and back
//! on every release (sqlx tests it then), and because a connection that saw another commit
//! must drop its page cache at its next transaction: the one that writes every time keeps its
//! cache, and its statements stay prepared (both seen in the mesh burst's profile, where each
//! follower node stores one note at a time).

use super::WRITE_TURN_TIMEOUT;
use crate::error::Result;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{Connection as _, Sqlite, TransactionManager as _};
use std::sync::Arc;
use tokio::sync::{Mutex, OwnedMutexGuard};

type Manager = <Sqlite as sqlx::Database>::TransactionManager;

/// The write connection and how to open another.
#[derive(Debug)]
pub(crate) struct SqliteWriter {
    options: SqliteConnectOptions,
    /// `None` once the store is closed.
    conn: Arc<Mutex<Option<SqliteConnection>>>,
}

/// The turn to write: the write connection, held until this is dropped. A transaction begun
/// on it and not committed is rolled back then.
pub(crate) struct WriteTurn {
    guard: OwnedMutexGuard<Option<SqliteConnection>>,
    in_transaction: bool,
}

impl SqliteWriter {
    pub(crate) async fn open(options: SqliteConnectOptions) -> Result<SqliteWriter> {
        let conn = SqliteConnection::connect_with(&options).await?;
        Ok(SqliteWriter { options, conn: Arc::new(Mutex::new(Some(conn))) })
    }

    /// Waits for the turn to write, as long as SQLite's busy timeout, so a transaction begun
    /// inside another fails instead of waiting for ever.
    pub(crate) async fn turn(&self) -> Result<WriteTurn> {
        let guard = tokio::time::timeout(WRITE_TURN_TIMEOUT, self.conn.clone().lock_owned()).await.map_err(|_| {
            tracing::warn!("no turn to write within {WRITE_TURN_TIMEOUT:?}");
            sqlx::Error::PoolTimedOut
        })?;
        let mut turn = WriteTurn { guard, in_transaction: false };
        turn.usable(&self.options).await?;
        Ok(turn)
    }

    pub(crate) async fn close(&self) {
        if let Some(conn) = self.conn.lock().await.take() {
            let _ = conn.close().await;
        }
    }
}

impl WriteTurn {
    /// Makes sure the connection is outside a transaction. A turn that ended without
    /// committing queued a rollback, which may not have run yet: waiting for it takes a
    /// rollback of our own. Should that fail too (seen with the disk full: every later `BEGIN`
    /// failed with "non-zero transaction depth"), another connection replaces this one.
    async fn usable(&mut self, options: &SqliteConnectOptions) -> Result<()> {
        let conn = self.guard.as_mut().ok_or(sqlx::Error::PoolClosed)?;
        if !conn.is_in_transaction() || (Manager::rollback(conn).await.is_ok() && !conn.is_in_transaction()) {
            return Ok(());
        }
        tracing::warn!("the write connection was left inside a transaction; opening another");
        *self.guard = Some(SqliteConnection::connect_with(options).await?);
        Ok(())
    }

    pub(crate) fn conn(&mut self) -> &mut SqliteConnection {
        self.guard.as_mut().expect("a turn holds an open connection")
    }

    pub(crate) async fn begin(&mut self) -> Result<()> {
        // Set first: should this be cancelled once SQLite has begun, the drop rolls back.
        self.in_transaction = true;
        let begun = Manager::begin(self.conn(), Some("BEGIN IMMEDIATE".into())).await;
        self.in_transaction = begun.is_ok();
        Ok(begun?)
    }

    pub(crate) async fn commit(&mut self) -> Result<()> {
        Manager::commit(self.conn()).await?;
        self.in_transaction = false;
        Ok(())
    }
}

impl Drop for WriteTurn {
    fn drop(&mut self) {
        if self.in_transaction
            && let Some(conn) = self.guard.as_mut()
        {
            // Queued on the connection's thread ahead of anything the next turn sends.
            Manager::start_rollback(conn);
        }
    }
}

impl std::fmt::Debug for WriteTurn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteTurn").field("in_transaction", &self.in_transaction).finish()
    }
}
