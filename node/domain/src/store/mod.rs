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
//! Use [`Store::begin`] for anything that writes ([`Store::writer`] for a single statement),
//! [`Store::conn`] for reads. SQLite takes one writer at a time: this process writes on one
//! connection of its own ([`sqlite_writer`]), and its write transactions queue for it in
//! memory before they ask SQLite (`BEGIN IMMEDIATE`), because SQLite's own wait for a busy
//! database sleeps in growing steps (1, 2, 5, 10 ms...), and under load most of the node's
//! time went into those sleeps. Reads take pooled connections. Another process (the CLI)
//! still meets SQLite's busy timeout.

pub mod actors;
pub mod articles;
pub mod backup;
pub mod beside_posts;
pub mod coalitions;
pub mod contacts;
pub mod deliveries;
pub mod events;
pub mod figures;
pub mod follows;
pub mod group_commit;
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
pub mod password_failures;
pub mod peer_signatures;
pub mod post_facts;
pub mod posts;
pub mod processes;
pub mod proposals;
pub mod published;
pub mod questions;
pub mod received;
pub mod reports;
pub mod responses;
pub mod retention;
pub mod series;
pub mod sessions;
pub mod settings;
mod sqlite_writer;
pub mod timelines;

use crate::error::{DomainError, Result};
use crate::model::coalition::FoldedLog;
use sqlite_writer::{SqliteWriter, WriteTurn};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteAutoVacuum, SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a SQLite write transaction waits for its turn, as long as SQLite's busy timeout.
const WRITE_TURN_TIMEOUT: Duration = Duration::from_secs(10);

/// A connection pool to the node's database, and what this process remembers of it.
#[derive(Clone, Debug)]
pub struct Store {
    pool: Pool,
    memo: Arc<Memo>,
    /// SQLite's one connection for writing, whose holder has the turn to write (PostgreSQL
    /// locks rows, not the database, and writes on pooled connections).
    writer: Option<Arc<SqliteWriter>>,
    /// This process's number among those sharing the database ([`processes`]).
    process_id: i64,
    /// Notes from peers waiting to be stored together ([`received`]).
    received: Arc<group_commit::GroupCommit<received::ReceivedNote, received::Answer>>,
    received_tally: Arc<received::Tally>,
}

/// The pool of either backend.
#[derive(Clone, Debug)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// What this process keeps between requests to spare the database work (issue 18): each entry
/// says which rows it was made from, and is used only while the database holds the same.
#[derive(Debug, Default)]
pub struct Memo {
    /// Each coalition's log as last read outside a transaction, parsed and folded.
    folds: Mutex<HashMap<String, Arc<FoldedLog>>>,
}

impl Memo {
    /// The log of `coalition` as last remembered (its `ids` say from which rows), if any.
    pub(crate) fn fold_of(&self, coalition: &str) -> Option<Arc<FoldedLog>> {
        self.folds.lock().expect("memo lock").get(coalition).cloned()
    }

    pub(crate) fn remember_fold(&self, coalition: &str, log: Arc<FoldedLog>) {
        self.folds.lock().expect("memo lock").insert(coalition.to_string(), log);
    }
}

/// A borrowed connection of either backend: what every store function works on.
pub enum Raw<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

/// Anything a store function can run on: a transaction or a pooled connection.
pub trait Handle: Send {
    fn raw(&mut self) -> Raw<'_>;
    /// What the process remembers of the database.
    fn memo(&self) -> &Memo;
    /// Whether what it reads was committed by others only (a connection outside a
    /// transaction): only such reads may be remembered, since a transaction's own writes may
    /// still be rolled back.
    fn reads_committed_only(&self) -> bool;
}

/// A write transaction.
pub struct Tx {
    inner: TxInner,
    memo: Arc<Memo>,
}

enum TxInner {
    Sqlite(WriteTurn),
    Postgres(Transaction<'static, Postgres>),
}

/// A pooled connection for reads (or, from [`Store::writer`], for one write statement).
pub struct Conn {
    inner: ConnInner,
    memo: Arc<Memo>,
}

enum ConnInner {
    Sqlite(PoolConnection<Sqlite>),
    /// From [`Store::writer`]: SQLite's write connection, for one statement.
    SqliteWriter(WriteTurn),
    Postgres(PoolConnection<Postgres>),
}

impl Handle for Tx {
    fn raw(&mut self) -> Raw<'_> {
        match &mut self.inner {
            TxInner::Sqlite(t) => Raw::Sqlite(t.conn()),
            TxInner::Postgres(t) => Raw::Postgres(t),
        }
    }

    fn memo(&self) -> &Memo {
        &self.memo
    }

    fn reads_committed_only(&self) -> bool {
        false
    }
}

impl Handle for Conn {
    fn raw(&mut self) -> Raw<'_> {
        match &mut self.inner {
            ConnInner::Sqlite(c) => Raw::Sqlite(c),
            ConnInner::SqliteWriter(t) => Raw::Sqlite(t.conn()),
            ConnInner::Postgres(c) => Raw::Postgres(c),
        }
    }

    fn memo(&self) -> &Memo {
        &self.memo
    }

    fn reads_committed_only(&self) -> bool {
        true
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

/// Runs a query whose `IN` list holds `values` (placeholders from [`in_list`]), then binds
/// `extra` after them, and fetches every row as `$row`: one statement for a whole page.
/// `fetch_in!(db, (i64, String), &sql, &ids; viewer)`
#[macro_export]
macro_rules! fetch_in {
    ($db:expr, $row:ty, $sql:expr, $values:expr $(; $extra:expr)*) => {
        $crate::on_db!($db, c => {
            let mut query = sqlx::query_as::<_, $row>($sql);
            for value in $values {
                query = query.bind(value);
            }
            $(query = query.bind($extra);)*
            query.fetch_all(c).await
        })
    };
}
pub use fetch_in;

/// The placeholders `$1, $2, ...` of an `IN` list of `count` values (never empty: callers
/// return early for no values, since `IN ()` is no SQL).
pub(crate) fn in_list(count: usize) -> String {
    (1..=count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

/// Rows per multi-row statement, well below what either database takes in placeholders.
pub(crate) const ROWS_PER_STATEMENT: usize = 256;

/// `count` rows of `per_row` placeholders each, numbered from `$first`, each row led by
/// `lead` when given (a parameter every row shares): `($1, $2), ($3, $4)`.
pub(crate) fn value_rows(count: usize, per_row: usize, first: usize, lead: Option<&str>) -> String {
    let row = |row: usize| {
        let start = first + row * per_row;
        let cells = lead.map(String::from).into_iter().chain((start..start + per_row).map(|n| format!("${n}")));
        format!("({})", cells.collect::<Vec<_>>().join(", "))
    };
    (0..count).map(row).collect::<Vec<_>>().join(", ")
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self.inner {
            TxInner::Sqlite(mut t) => t.commit().await?,
            TxInner::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

impl Store {
    /// Opens (creating if needed) the database at `url` and brings its schema up to date.
    /// `sqlite://path` or `postgres://...`.
    pub async fn connect(url: &str) -> Result<Store> {
        let mut write_options = None;
        let pool = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .min_connections(0)
                .before_acquire(|conn, _| Box::pin(async move { Ok(outside_a_transaction(conn)) }))
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            Pool::Postgres(pool)
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(WRITE_TURN_TIMEOUT)
                // New files give pages back to the disk when housekeeping asks (an older file
                // keeps this off until a `VACUUM` by hand).
                .auto_vacuum(SqliteAutoVacuum::Incremental);
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                .min_connections(0)
                // A file cannot hang up as a server can: pinging it before each use only
                // hands a message to the connection's thread and back (two thread switches
                // per acquire, measured in the mesh burst's profile).
                .test_before_acquire(false)
                .before_acquire(|conn, _| Box::pin(async move { Ok(outside_a_transaction(conn)) }))
                .connect_with(options.clone())
                .await?;
            write_options = Some(options);
            Pool::Sqlite(pool)
        } else {
            return Err(DomainError::invalid("database_url", crate::words::Say::DatabaseUrlScheme));
        };
        let mut store = Store {
            pool,
            memo: Arc::default(),
            writer: None,
            process_id: processes::new_process_id(),
            received: Arc::new(group_commit::GroupCommit::new(received::MAX_BATCH)),
            received_tally: Arc::default(),
        };
        store.migrate().await?;
        // Opened after the migrations, which run on the pool.
        if let Some(options) = write_options {
            store.writer = Some(Arc::new(SqliteWriter::open(options).await?));
        }
        Ok(store)
    }

    async fn migrate(&self) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
            Pool::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> &'static str {
        match &self.pool {
            Pool::Sqlite(_) => "sqlite",
            Pool::Postgres(_) => "postgres",
        }
    }

    /// The pool, for what only one backend can do (a SQLite snapshot, `pg_dump`).
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// The queue of notes from peers stored together ([`received`]).
    pub(crate) fn received_notes(&self) -> &group_commit::GroupCommit<received::ReceivedNote, received::Answer> {
        &self.received
    }

    /// How this process's batches of received notes went: notes answered by written batches,
    /// and batches written and failed (their notes went alone).
    pub fn received_tally(&self) -> received::Counts {
        self.received_tally.now()
    }

    pub(crate) fn count_received(&self) -> &received::Tally {
        &self.received_tally
    }

    /// This process's number among those that share the database, made when it connected.
    pub fn process_id(&self) -> i64 {
        self.process_id
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> Result<Tx> {
        let inner = match (&self.pool, &self.writer) {
            (Pool::Sqlite(_), Some(writer)) => {
                let mut turn = writer.turn().await?;
                turn.begin().await?;
                TxInner::Sqlite(turn)
            }
            (Pool::Postgres(pool), _) => TxInner::Postgres(pool.begin().await?),
            (Pool::Sqlite(_), None) => return Err(DomainError::Internal("SQLite without its write connection".into())),
        };
        Ok(Tx { inner, memo: self.memo.clone() })
    }

    /// Borrows a connection for reads.
    pub async fn conn(&self) -> Result<Conn> {
        let inner = match &self.pool {
            Pool::Sqlite(pool) => ConnInner::Sqlite(pool.acquire().await?),
            Pool::Postgres(pool) => ConnInner::Postgres(pool.acquire().await?),
        };
        Ok(Conn { inner, memo: self.memo.clone() })
    }

    /// A connection for a single write statement, which needs no transaction of its own
    /// (one round trip instead of three); on SQLite it waits for the turn to write as
    /// [`Self::begin`] does.
    pub async fn writer(&self) -> Result<Conn> {
        match &self.writer {
            Some(writer) => Ok(Conn { inner: ConnInner::SqliteWriter(writer.turn().await?), memo: self.memo.clone() }),
            None => self.conn().await,
        }
    }

    pub async fn close(&self) {
        if let Some(writer) = &self.writer {
            writer.close().await;
        }
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }
}

/// Whether a pooled connection may be handed out: not when it is still inside a transaction,
/// which happens when a rollback failed (seen with the disk full: every later `begin` on it
/// failed with "non-zero transaction depth"). The pool closes such a connection and opens
/// another.
fn outside_a_transaction(conn: &impl sqlx::Connection) -> bool {
    if conn.is_in_transaction() {
        tracing::warn!("a database connection was left inside a transaction; closing it");
        return false;
    }
    true
}

/// True when the error is a unique-constraint violation, in either dialect.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_first_appear_in_their_order() {
        assert_eq!(super::value_rows(2, 2, 1, None), "($1, $2), ($3, $4)");
        assert_eq!(super::value_rows(2, 1, 2, Some("$1")), "($1, $2), ($1, $3)");
    }
}
