//! Deliveries: one row per (outbox entry, inbox), with retry state, and what we know of peers.
//! The signed activity a delivery sends is kept once per activity (`delivery_bodies`, by
//! outbox entry and activity id), not in each of its rows: a post to 59 peers is one body.
//! Several processes may claim from one database (issue 18): a claim takes a lease for its
//! process (skipping rows another holds, `FOR UPDATE SKIP LOCKED` on PostgreSQL), and the
//! deliveries of one object to one peer are claimed one after the other, oldest first.

use super::{Handle, Raw, affected, on_db};
use crate::error::{DomainError, Result};
use crate::now_ms;
use std::collections::BTreeSet;
use std::sync::Arc;

/// A delivery that a worker has claimed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Delivery {
    pub id: i64,
    pub outbox_id: i64,
    pub activity_ap_id: String,
    pub signer_id: i64,
    pub inbox: String,
    pub host: String,
    /// The signed activity, one copy for every delivery of it that was read together.
    #[sqlx(skip)]
    pub body: Arc<str>,
    pub attempts: i64,
    pub created_at: i64,
}

/// An activity to deliver: who signs it, what it is about (when it is about one object), and
/// its signed body, kept once however many inboxes it goes to.
#[derive(Debug, Clone, Copy)]
pub struct NewActivity<'a> {
    pub outbox_id: i64,
    pub activity_ap_id: &'a str,
    pub object_ap_id: Option<&'a str>,
    pub signer_id: i64,
    pub body: &'a str,
}

/// Delivery rows written in one statement at most (two values each, well under what SQLite
/// and PostgreSQL take in one statement).
const ROWS_IN_ONE_GO: usize = 500;

/// Keeps the activity's body and adds one delivery to each `(inbox, host)`, many rows to a
/// statement; repeats (of an inbox, or of the whole call) are ignored.
pub async fn insert(db: &mut impl Handle, activity: &NewActivity<'_>, to: &[(&str, &str)]) -> Result<()> {
    if to.is_empty() {
        return Ok(());
    }
    let keep = "INSERT INTO delivery_bodies (outbox_id, activity_ap_id, body) VALUES ($1, $2, $3)
                ON CONFLICT (outbox_id, activity_ap_id) DO NOTHING";
    affected!(db, c => sqlx::query(keep).bind(activity.outbox_id).bind(activity.activity_ap_id).bind(activity.body).execute(c).await)?;
    for rows in to.chunks(ROWS_IN_ONE_GO) {
        insert_rows(db, activity, rows).await?;
    }
    Ok(())
}

async fn insert_rows(db: &mut impl Handle, activity: &NewActivity<'_>, to: &[(&str, &str)]) -> Result<()> {
    // $1 to $5 are the same in every row; each row adds its inbox and host.
    let rows: Vec<String> = (0..to.len()).map(|i| format!("($1, $2, $3, $4, ${}, ${}, 'pending', $5, $5)", 6 + 2 * i, 7 + 2 * i)).collect();
    let sql = format!(
        "INSERT INTO deliveries (outbox_id, activity_ap_id, object_ap_id, signer_id, inbox, host, state, next_attempt_at, created_at)
         VALUES {} ON CONFLICT (outbox_id, inbox) DO NOTHING",
        rows.join(", ")
    );
    affected!(db, c => {
        let mut query = sqlx::query(&sql)
            .bind(activity.outbox_id).bind(activity.activity_ap_id).bind(activity.object_ap_id).bind(activity.signer_id).bind(now_ms());
        for (inbox, host) in to {
            query = query.bind(*inbox).bind(*host);
        }
        query.execute(c).await
    })?;
    Ok(())
}

/// Gives each delivery its activity's body, read in one statement for all of them: a body
/// read once is shared by every delivery of its activity.
async fn with_bodies(db: &mut impl Handle, mut deliveries: Vec<Delivery>) -> Result<Vec<Delivery>> {
    let entries: Vec<i64> = deliveries.iter().map(|d| d.outbox_id).collect::<BTreeSet<_>>().into_iter().collect();
    if entries.is_empty() {
        return Ok(deliveries);
    }
    let sql = format!("SELECT outbox_id, activity_ap_id, body FROM delivery_bodies WHERE outbox_id IN ({})", super::in_list(entries.len()));
    let bodies: Vec<(i64, String, Arc<str>)> = super::fetch_in!(db, (i64, String, String), &sql, &entries)?
        .into_iter()
        .map(|(entry, activity, body)| (entry, activity, Arc::from(body)))
        .collect();
    for delivery in &mut deliveries {
        let (_, _, body) = bodies
            .iter()
            .find(|(entry, activity, _)| *entry == delivery.outbox_id && *activity == delivery.activity_ap_id)
            .ok_or_else(|| DomainError::Corrupt(format!("delivery {} has no body", delivery.id)))?;
        delivery.body = body.clone();
    }
    Ok(deliveries)
}

const COLUMNS: &str = "id, outbox_id, activity_ap_id, signer_id, inbox, host, attempts, created_at";

/// A pending delivery `d` that waits for an older pending one about the same object to the
/// same peer (its `Create` before its `Update` before its `Delete`), also while that one is
/// being sent or waits for its retry.
const HELD_BEHIND_AN_OLDER: &str = "EXISTS (SELECT 1 FROM deliveries older WHERE older.host = d.host
    AND older.object_ap_id = d.object_ap_id AND older.state = 'pending' AND older.id < d.id)";

/// Claims up to `limit` due deliveries for `lease_ms` for process `owner`, skipping
/// `busy_hosts` (peers with every slot in use) and those held behind an older delivery of
/// the same object to the same peer: another worker (or a restarted node) takes them over
/// only once the lease has run out or its owner is gone ([`release_orphaned_leases`]).
pub async fn claim_due(db: &mut impl Handle, owner: i64, limit: i64, lease_ms: i64, busy_hosts: &[String]) -> Result<Vec<Delivery>> {
    let now = now_ms();
    let skip = if busy_hosts.is_empty() {
        String::new()
    } else {
        let placeholders: Vec<String> = (0..busy_hosts.len()).map(|i| format!("${}", i + 5)).collect();
        format!("AND d.host NOT IN ({})", placeholders.join(", "))
    };
    // Without statistics SQLite picks `deliveries_due` and sorts every pending row by id on
    // each claim; walking the pending rows in id order reads about as many as it takes
    // (migration 0045). PostgreSQL chooses by its statistics.
    let (in_order, lock) = match db.raw() {
        Raw::Sqlite(_) => ("INDEXED BY deliveries_pending_in_order", ""),
        Raw::Postgres(_) => ("", "FOR UPDATE SKIP LOCKED"),
    };
    let sql = format!(
        "UPDATE deliveries SET lease_until = $1, lease_owner = $2 WHERE id IN (
           SELECT d.id FROM deliveries d {in_order} WHERE d.state = 'pending' AND d.next_attempt_at <= $3 AND d.lease_until <= $3 {skip}
           AND d.host NOT IN (SELECT host FROM peers WHERE retry_at > $3)
           AND NOT {HELD_BEHIND_AN_OLDER}
           ORDER BY d.id LIMIT $4 {lock})
         RETURNING {COLUMNS}"
    );
    let claimed = on_db!(db, c => {
        let mut query = sqlx::query_as::<_, Delivery>(&sql).bind(now + lease_ms).bind(owner).bind(now).bind(limit);
        for host in busy_hosts {
            query = query.bind(host);
        }
        query.fetch_all(c).await
    })?;
    with_bodies(db, claimed).await
}

/// When the next delivery falls due, if any is pending and not held behind an older one: its
/// own time, its lease, and the hold on its peer, whichever is last.
pub async fn next_due_at(db: &mut impl Handle) -> Result<Option<i64>> {
    let sql = format!(
        "SELECT MIN(CASE WHEN COALESCE(p.retry_at, 0) > due.at THEN p.retry_at ELSE due.at END)
         FROM (SELECT d.host, CASE WHEN d.lease_until > d.next_attempt_at THEN d.lease_until ELSE d.next_attempt_at END AS at
               FROM deliveries d WHERE d.state = 'pending' AND NOT {HELD_BEHIND_AN_OLDER}) due
         LEFT JOIN peers p ON p.host = due.host"
    );
    Ok(on_db!(db, c => sqlx::query_scalar::<_, Option<i64>>(&sql).fetch_one(c).await)?)
}

pub async fn mark_delivered(db: &mut impl Handle, id: i64) -> Result<()> {
    mark_all_delivered(db, &[id]).await
}

/// Marks the deliveries `ids` delivered, in one statement.
pub async fn mark_all_delivered(db: &mut impl Handle, ids: &[i64]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, finished_at = $1, last_error = NULL WHERE id IN ({})",
        list.join(", ")
    );
    affected!(db, c => {
        let mut query = sqlx::query(&sql).bind(now_ms());
        for id in ids {
            query = query.bind(id);
        }
        query.execute(c).await
    })?;
    Ok(())
}

pub async fn schedule_retry(db: &mut impl Handle, id: i64, next_attempt_at: i64, error: &str) -> Result<()> {
    let sql = "UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = $1, lease_until = 0, last_error = $2 WHERE id = $3";
    affected!(db, c => sqlx::query(sql).bind(next_attempt_at).bind(error).bind(id).execute(c).await)?;
    Ok(())
}

/// Gives up on a delivery: the peer refused it for good, or stayed unreachable too long.
pub async fn mark_failed(db: &mut impl Handle, id: i64, error: &str) -> Result<()> {
    let sql = "UPDATE deliveries SET state = 'failed', attempts = attempts + 1, finished_at = $1, last_error = $2 WHERE id = $3";
    affected!(db, c => sqlx::query(sql).bind(now_ms()).bind(error).bind(id).execute(c).await)?;
    Ok(())
}

/// When a peer's row says deliveries to it are held back.
pub(super) const HELD_BACK: &str = "(consecutive_failures > 0 OR retry_at IS NOT NULL)";

/// Whether anything for `host` waits because it failed lately (every retry counts a failure
/// of its peer, and a success clears them): only then is hearing from it worth the write of
/// [`wake_host`]. A key lookup, cheap enough for every inbox request.
pub async fn is_held_back(db: &mut impl Handle, host: &str) -> Result<bool> {
    let sql = format!("SELECT COUNT(*) FROM peers WHERE host = $1 AND {HELD_BACK}");
    let held: i64 = on_db!(db, c => sqlx::query_scalar(&sql).bind(host).fetch_one(c).await)?;
    Ok(held > 0)
}

/// Makes every pending delivery to `host` due now: we just heard from it, so it is back.
pub async fn wake_host(db: &mut impl Handle, host: &str) -> Result<u64> {
    let sql = "UPDATE deliveries SET next_attempt_at = $1 WHERE host = $2 AND state = 'pending' AND next_attempt_at > $1";
    let done = affected!(db, c => sqlx::query(sql).bind(now_ms()).bind(host).execute(c).await)?;
    let release = "UPDATE peers SET retry_at = NULL WHERE host = $1 AND retry_at IS NOT NULL";
    affected!(db, c => sqlx::query(release).bind(host).execute(c).await)?;
    Ok(done)
}

/// How many deliveries are in each state: (pending, delivered, failed).
pub async fn counts(db: &mut impl Handle) -> Result<(i64, i64, i64)> {
    let sql = "SELECT COALESCE(SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END), 0),
                      COALESCE(SUM(CASE WHEN state = 'delivered' THEN 1 ELSE 0 END), 0),
                      COALESCE(SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END), 0) FROM deliveries";
    Ok(on_db!(db, c => sqlx::query_as::<_, (i64, i64, i64)>(sql).fetch_one(c).await)?)
}

/// What we know of a peer's reachability.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Peer {
    pub host: String,
    pub consecutive_failures: i64,
    pub last_success_at: Option<i64>,
    pub last_failure_at: Option<i64>,
    pub last_error: Option<String>,
    /// Set when the peer has failed for a while; cleared by the next success.
    pub unreachable_since: Option<i64>,
}

pub async fn record_peer_success(db: &mut impl Handle, host: &str) -> Result<()> {
    let sql = "INSERT INTO peers (host, consecutive_failures, last_success_at) VALUES ($1, 0, $2)
               ON CONFLICT (host) DO UPDATE SET consecutive_failures = 0, last_success_at = $2, unreachable_since = NULL, retry_at = NULL";
    affected!(db, c => sqlx::query(sql).bind(host).bind(now_ms()).execute(c).await)?;
    Ok(())
}

/// Counts a failure; after `unreachable_after` failures in a row the peer is marked
/// unreachable. Returns the failures in a row, this one included.
pub async fn record_peer_failure(db: &mut impl Handle, host: &str, error: &str, unreachable_after: i64) -> Result<i64> {
    let now = now_ms();
    let sql = "INSERT INTO peers (host, consecutive_failures, last_failure_at, last_error) VALUES ($1, 1, $2, $3)
               ON CONFLICT (host) DO UPDATE SET consecutive_failures = peers.consecutive_failures + 1, last_failure_at = $2, last_error = $3,
                 unreachable_since = CASE WHEN peers.unreachable_since IS NULL AND peers.consecutive_failures + 1 >= $4 THEN $2 ELSE peers.unreachable_since END
               RETURNING consecutive_failures";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(host).bind(now).bind(error).bind(unreachable_after).fetch_one(c).await)?)
}

/// Holds the peer at `host` until `until` (Unix ms): no delivery to it is claimed before.
pub async fn hold_peer(db: &mut impl Handle, host: &str, until: i64) -> Result<()> {
    affected!(db, c => sqlx::query("UPDATE peers SET retry_at = $1 WHERE host = $2").bind(until).bind(host).execute(c).await)?;
    Ok(())
}

pub async fn peers(db: &mut impl Handle) -> Result<Vec<Peer>> {
    let sql = "SELECT host, consecutive_failures, last_success_at, last_failure_at, last_error, unreachable_since FROM peers ORDER BY host";
    Ok(on_db!(db, c => sqlx::query_as::<_, Peer>(sql).fetch_all(c).await)?)
}

/// Pending deliveries per host, for metrics.
pub async fn pending_by_host(db: &mut impl Handle) -> Result<Vec<(String, i64)>> {
    let sql = "SELECT host, COUNT(*) FROM deliveries WHERE state = 'pending' GROUP BY host ORDER BY host";
    Ok(on_db!(db, c => sqlx::query_as::<_, (String, i64)>(sql).fetch_all(c).await)?)
}

/// Frees the leases held by processes that are gone (killed, or a previous run of this one),
/// so their deliveries go out again at once, never those of a process still sending (it would
/// send them twice). On PostgreSQL a process is alive while it holds its advisory lock
/// ([`super::processes::Presence`]); SQLite is served by one process, so every lease but
/// `me`'s belongs to one that is gone.
pub async fn release_orphaned_leases(db: &mut impl Handle, me: i64) -> Result<u64> {
    let released = "UPDATE deliveries SET lease_until = 0, lease_owner = NULL WHERE state = 'pending' AND lease_until > 0";
    let done = match db.raw() {
        Raw::Sqlite(c) => {
            let sql = format!("{released} AND (lease_owner IS NULL OR lease_owner <> $1)");
            sqlx::query(&sql).bind(me).execute(c).await?.rows_affected()
        }
        Raw::Postgres(c) => {
            let living = super::processes::living_processes("$1");
            let sql = format!("{released} AND (lease_owner IS NULL OR lease_owner NOT IN ({living}))");
            sqlx::query(&sql).bind(i64::from(super::processes::LOCK_SPACE)).execute(c).await?.rows_affected()
        }
    };
    Ok(done)
}

/// The pending deliveries someone holds a lease on now: those being sent.
pub async fn leased(db: &mut impl Handle) -> Result<Vec<Delivery>> {
    let sql = format!("SELECT {COLUMNS} FROM deliveries WHERE state = 'pending' AND lease_until > $1 ORDER BY id");
    let leased = on_db!(db, c => sqlx::query_as::<_, Delivery>(&sql).bind(now_ms()).fetch_all(c).await)?;
    with_bodies(db, leased).await
}

/// Frees the leases of the given deliveries, so that they can be claimed again at once.
pub async fn release_leases(db: &mut impl Handle, ids: &[i64]) -> Result<()> {
    for id in ids {
        affected!(db, c => sqlx::query("UPDATE deliveries SET lease_until = 0 WHERE id = $1 AND state = 'pending'").bind(id).execute(c).await)?;
    }
    Ok(())
}

/// Deliveries per peer host: (host, pending, failed, oldest pending since).
pub async fn per_host(db: &mut impl Handle) -> Result<Vec<(String, i64, i64, Option<i64>)>> {
    let sql = "SELECT host, COALESCE(SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END), 0),
                      COALESCE(SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END), 0),
                      MIN(CASE WHEN state = 'pending' THEN created_at END)
               FROM deliveries GROUP BY host ORDER BY host";
    Ok(on_db!(db, c => sqlx::query_as::<_, (String, i64, i64, Option<i64>)>(sql).fetch_all(c).await)?)
}

/// Tries a host again now: its pending deliveries become due, and those given up since
/// `failed_since` are pending again. Returns how many deliveries that touched.
pub async fn retry_host(db: &mut impl Handle, host: &str, failed_since: i64) -> Result<u64> {
    let now = now_ms();
    let due = "UPDATE deliveries SET next_attempt_at = $1 WHERE host = $2 AND state = 'pending'";
    let pending = affected!(db, c => sqlx::query(due).bind(now).bind(host).execute(c).await)?;
    let again = "UPDATE deliveries SET state = 'pending', next_attempt_at = $1, finished_at = NULL
                 WHERE host = $2 AND state = 'failed' AND finished_at >= $3";
    let failed = affected!(db, c => sqlx::query(again).bind(now).bind(host).bind(failed_since).execute(c).await)?;
    Ok(pending + failed)
}
