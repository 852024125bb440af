//! Rows that only record what is done, cleared once they are old: finished deliveries,
//! expanded outbox entries (set-aside ones stay for the administrator), the ids of activities
//! received (kept to drop repeats), sent or given-up mail, and spent login and password codes.
//! Pending work is never touched.

use super::{Handle, affected};
use crate::error::Result;

/// How many rows of each kind were cleared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Cleared {
    pub deliveries: u64,
    pub outbox: u64,
    pub received_ids: u64,
    pub mail: u64,
    pub codes: u64,
    /// Needs and offers deleted because they closed longer ago than their initiative keeps
    /// them (not a row cleared here: the domain deletes them as their author would).
    #[serde(default)]
    pub needs: u64,
}

/// Clears what was finished before `before` (Unix ms).
pub async fn clear_finished(db: &mut impl Handle, before: i64) -> Result<Cleared> {
    let deliveries = "DELETE FROM deliveries WHERE state <> 'pending' AND COALESCE(finished_at, created_at) < $1";
    let outbox = "DELETE FROM outbox WHERE expanded_at < $1 AND set_aside_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM deliveries WHERE deliveries.outbox_id = outbox.id)";
    let mail = "DELETE FROM mail_queue WHERE COALESCE(sent_at, gave_up_at) < $1";
    Ok(Cleared {
        deliveries: older(db, deliveries, before).await?,
        outbox: older(db, outbox, before).await?,
        received_ids: older(db, "DELETE FROM received_activities WHERE received_at < $1", before).await?,
        mail: older(db, mail, before).await?,
        codes: older(db, "DELETE FROM oauth_codes WHERE expires_at < $1", before).await?
            + older(db, "DELETE FROM password_resets WHERE expires_at < $1", before).await?,
        needs: 0,
    })
}

async fn older(db: &mut impl Handle, sql: &'static str, before: i64) -> Result<u64> {
    Ok(affected!(db, c => sqlx::query(sql).bind(before).execute(c).await)?)
}
