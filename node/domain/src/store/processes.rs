//! Several processes on one database (issue 18). Each process has a number of its own
//! ([`super::Store::process_id`]). On PostgreSQL a process that sends deliveries holds an
//! advisory lock on its number for as long as it lives ([`Presence`]): the lock goes with
//! its connection when the process dies, so the others can tell the leases of a process
//! that is gone from those of one still sending ([`super::deliveries::release_orphaned_leases`]).
//! Work that one process at a time must do (housekeeping, mail) is held with a lease in
//! `work_leases` ([`take_work`]). SQLite is reached by one serving process only.

use super::{Handle, Pool, Raw, Store};
use crate::error::{DomainError, Result};
use sqlx::{Connection, PgConnection};

/// The first key of the advisory locks Buurtnet takes ("buur"); the second is a process's number.
pub(crate) const LOCK_SPACE: i32 = 0x6275_7572;

/// A number for a process: positive, and small enough to be an advisory lock's second key.
pub(crate) fn new_process_id() -> i64 {
    i64::from(rand::random_range(1..i32::MAX))
}

/// A process that others can see is alive: on PostgreSQL, a connection of its own holding the
/// advisory lock on its number. Dropped, the lock goes.
pub struct Presence {
    holding: Option<PgConnection>,
}

impl Presence {
    /// Takes the lock on `store`'s process number (nothing to take on SQLite).
    pub async fn announce(store: &Store) -> Result<Presence> {
        let Pool::Postgres(pool) = store.pool() else { return Ok(Presence { holding: None }) };
        let mut conn = PgConnection::connect_with(&pool.connect_options()).await?;
        let taken = sqlx::query_scalar::<_, bool>("SELECT pg_try_advisory_lock($1, $2)")
            .bind(LOCK_SPACE)
            .bind(store.process_id() as i32)
            .fetch_one(&mut conn)
            .await?;
        if !taken {
            return Err(DomainError::conflict(crate::words::Say::ProcessNumberTaken));
        }
        Ok(Presence { holding: Some(conn) })
    }

    /// Checks that the lock's connection still answers and takes the lock again on a new one
    /// when it does not (the database restarted, the network cut it). Meanwhile the others
    /// took this process for gone and may have freed its leases: a delivery being sent then
    /// may go out twice, never be lost.
    pub async fn renew(&mut self, store: &Store) -> Result<()> {
        let Some(conn) = self.holding.as_mut() else { return Ok(()) };
        if sqlx::query("SELECT 1").execute(conn).await.is_ok() {
            return Ok(());
        }
        tracing::warn!("the connection holding this process's lock was lost; taking the lock again");
        *self = Presence::announce(store).await?;
        Ok(())
    }
}

/// SQL giving the numbers of the processes that hold their lock on this database now
/// (PostgreSQL), for `IN (...)`, with `space` the parameter bound to [`LOCK_SPACE`].
pub(crate) fn living_processes(space: &str) -> String {
    format!(
        "SELECT objid::bigint FROM pg_locks
         WHERE locktype = 'advisory' AND classid::bigint = {space} AND objsubid = 2 AND granted
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
}

/// Takes (or keeps) the work `name` for process `holder` until `until`, unless another
/// process holds it past `now` and is alive (on SQLite, served by one process, the holder of
/// the work is always this process or one that is gone). Whether `holder` has it.
pub async fn take_work(db: &mut impl Handle, name: &str, holder: i64, until: i64, now: i64) -> Result<bool> {
    let upsert = "INSERT INTO work_leases (name, holder, held_until) VALUES ($1, $2, $3)
                  ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, held_until = excluded.held_until";
    let taken = match db.raw() {
        Raw::Sqlite(c) => sqlx::query(upsert).bind(name).bind(holder).bind(until).execute(c).await?.rows_affected(),
        Raw::Postgres(c) => {
            let sql = format!(
                "{upsert} WHERE work_leases.holder = excluded.holder OR work_leases.held_until < $4
                 OR work_leases.holder NOT IN ({})",
                living_processes("$5")
            );
            let query = sqlx::query(&sql).bind(name).bind(holder).bind(until).bind(now).bind(i64::from(LOCK_SPACE));
            query.execute(c).await?.rows_affected()
        }
    };
    Ok(taken == 1)
}
