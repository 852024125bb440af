//! Rows that only record what is done, cleared once they are old: finished deliveries (and
//! the activity bodies no delivery is left to send), expanded outbox entries (set-aside ones stay for the administrator), the ids of activities
//! received (kept to drop repeats), sent or given-up mail, and spent login and password codes.
//! Pending work is never touched.

use super::{Handle, Raw, affected, on_db};
use crate::error::Result;

/// How many rows of each kind were cleared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Cleared {
    pub deliveries: u64,
    /// Signed activities kept for deliveries, once none of their deliveries is left.
    #[serde(default)]
    pub delivery_bodies: u64,
    pub outbox: u64,
    pub received_ids: u64,
    pub mail: u64,
    pub codes: u64,
    /// Needs and offers deleted because they closed longer ago than their initiative keeps
    /// them (not a row cleared here: the domain deletes them as their author would).
    #[serde(default)]
    pub needs: u64,
    /// Pages of the SQLite file given back to the disk after the clearing (0 on PostgreSQL,
    /// whose autovacuum does this itself, and on a file made before incremental vacuum).
    #[serde(default)]
    pub pages_freed: u64,
}

/// Clears what was finished before `before` (Unix ms).
pub async fn clear_finished(db: &mut impl Handle, before: i64) -> Result<Cleared> {
    let deliveries = "DELETE FROM deliveries WHERE state <> 'pending' AND COALESCE(finished_at, created_at) < $1";
    let bodies = "DELETE FROM delivery_bodies WHERE NOT EXISTS (SELECT 1 FROM deliveries d
                  WHERE d.outbox_id = delivery_bodies.outbox_id AND d.activity_ap_id = delivery_bodies.activity_ap_id)";
    let outbox = "DELETE FROM outbox WHERE expanded_at < $1 AND set_aside_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM deliveries WHERE deliveries.outbox_id = outbox.id)";
    let mail = "DELETE FROM mail_queue WHERE COALESCE(sent_at, gave_up_at) < $1";
    Ok(Cleared {
        deliveries: older(db, deliveries, before).await?,
        // After the deliveries, before the outbox entries the bodies belong to.
        delivery_bodies: affected!(db, c => sqlx::query(bodies).execute(c).await)?,
        outbox: older(db, outbox, before).await?,
        received_ids: older(db, "DELETE FROM received_activities WHERE received_at < $1", before).await?,
        mail: older(db, mail, before).await?,
        codes: older(db, "DELETE FROM oauth_codes WHERE expires_at < $1", before).await?
            + older(db, "DELETE FROM password_resets WHERE expires_at < $1", before).await?,
        needs: 0,
        pages_freed: 0,
    })
}

/// Gives the pages that cleared rows left empty back to the disk: SQLite files made with
/// incremental vacuum (every file since it was switched on at connect); how many pages. A
/// prepared `PRAGMA incremental_vacuum` frees one page each time it runs, so it runs until
/// no page is free, at most as often as there were free pages at the start.
pub async fn compact(db: &mut impl Handle) -> Result<u64> {
    if !matches!(db.raw(), Raw::Sqlite(_)) || pragma(db, "PRAGMA auto_vacuum").await? != INCREMENTAL {
        return Ok(0);
    }
    let before = pragma(db, "PRAGMA page_count").await?;
    let mut rounds = pragma(db, "PRAGMA freelist_count").await?;
    while rounds > 0 && pragma(db, "PRAGMA freelist_count").await? > 0 {
        affected!(db, c => sqlx::query("PRAGMA incremental_vacuum").execute(c).await)?;
        rounds -= 1;
    }
    let after = pragma(db, "PRAGMA page_count").await?;
    Ok(before.saturating_sub(after) as u64)
}

async fn pragma(db: &mut impl Handle, sql: &'static str) -> Result<i64> {
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).fetch_one(c).await)?)
}

/// `PRAGMA auto_vacuum`'s value for incremental.
const INCREMENTAL: i64 = 2;

async fn older(db: &mut impl Handle, sql: &'static str, before: i64) -> Result<u64> {
    Ok(affected!(db, c => sqlx::query(sql).bind(before).execute(c).await)?)
}
