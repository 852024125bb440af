//! The only SQL in Buurtnet. One interface over SQLite (embedded, the default) and PostgreSQL.
//!
//! Every query is written once; [`on_db!`] compiles it for each backend, so both dialects stay
//! in step. Where the dialects differ the function matches on [`Raw`] itself. Times are Unix
//! milliseconds, ids are `i64`, so rows decode the same way from both databases.
//!
//! Parameters `$1, $2, ...` must first appear in the SQL text in that order: SQLite takes
//! `$N` as a name and numbers parameters by first appearance, so `... $4 ... $3` would bind
//! the third value to `$4` there while PostgreSQL binds it to `$3`. Reusing one is fine.
//!
//! Use [`Store::begin`] for anything that writes (SQLite write transactions start with
//! `BEGIN IMMEDIATE`, so concurrent writers wait instead of failing), [`Store::conn`] for reads.

pub mod actors;
pub mod articles;
pub mod backup;
pub mod coalitions;
pub mod contacts;
pub mod deliveries;
pub mod events;
pub mod figures;
pub mod follows;
pub mod guests;
pub mod handing_over;
pub mod housekeeping;
pub mod inbox;
pub mod invitations;
pub mod mail;
pub mod markers;
pub mod media;
pub mod moving;
pub mod notifications;
pub mod oauth;
pub mod outbox;
pub mod participants;
pub mod peer_signatures;
pub mod posts;
pub mod proposals;
pub mod published;
pub mod questions;
pub mod reports;
pub mod responses;
pub mod retention;
pub mod series;
pub mod sessions;
pub mod settings;
pub mod timelines;

use crate::error::{DomainError, Result};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// A connection pool to the node's database.
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A borrowed connection of either backend: what every store function works on.
pub enum Raw<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

/// Anything a store function can run on: a transaction or a pooled connection.
pub trait Handle: Send {
    fn raw(&mut self) -> Raw<'_>;
}

/// A write transaction.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// A pooled connection for reads.
pub enum Conn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl Handle for Tx {
    fn raw(&mut self) -> Raw<'_> {
        match self {
            Tx::Sqlite(t) => Raw::Sqlite(t),
            Tx::Postgres(t) => Raw::Postgres(t),
        }
    }
}

impl Handle for Conn {
    fn raw(&mut self) -> Raw<'_> {
        match self {
            Conn::Sqlite(c) => Raw::Sqlite(c),
            Conn::Postgres(c) => Raw::Postgres(c),
        }
    }
}

/// Runs the same expression on whichever backend the handle holds.
/// `on_db!(db, c => sqlx::query("...").execute(c).await)`
#[macro_export]
macro_rules! on_db {
    ($db:expr, $c:ident => $body:expr) => {
        match $crate::store::Handle::raw($db) {
            $crate::store::Raw::Sqlite($c) => $body,
            $crate::store::Raw::Postgres($c) => $body,
        }
    };
}
pub use on_db;

/// Like [`on_db!`] for statements run with `execute`: gives the number of rows affected.
#[macro_export]
macro_rules! affected {
    ($db:expr, $c:ident => $body:expr) => {
        match $crate::store::Handle::raw($db) {
            $crate::store::Raw::Sqlite($c) => $body.map(|r| r.rows_affected()),
            $crate::store::Raw::Postgres($c) => $body.map(|r| r.rows_affected()),
        }
    };
}
pub use affected;

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

impl Store {
    /// Opens (creating if needed) the database at `url` and brings its schema up to date.
    /// `sqlite://path` or `postgres://...`.
    pub async fn connect(url: &str) -> Result<Store> {
        let store = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .min_connections(0)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            Store::Postgres(pool)
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new().max_connections(4).min_connections(0).connect_with(options).await?;
            Store::Sqlite(pool)
        } else {
            return Err(DomainError::invalid("database_url", "must start with sqlite: or postgres://"));
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<()> {
        match self {
            Store::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
            Store::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Store::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Store::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Borrows a connection for reads.
    pub async fn conn(&self) -> Result<Conn> {
        Ok(match self {
            Store::Sqlite(pool) => Conn::Sqlite(pool.acquire().await?),
            Store::Postgres(pool) => Conn::Postgres(pool.acquire().await?),
        })
    }

    pub async fn close(&self) {
        match self {
            Store::Sqlite(pool) => pool.close().await,
            Store::Postgres(pool) => pool.close().await,
        }
    }
}

/// True when the error is a unique-constraint violation, in either dialect.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}
