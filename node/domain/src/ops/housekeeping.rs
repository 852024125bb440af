//! Keeping the database small (issue 17): rows that only record finished work (deliveries
//! done or given up, expanded outbox entries, the ids of activities received, mail sent,
//! spent codes) are cleared once they are [`KEEP_DAYS`] old, at most once a day. Needs and
//! offers an initiative posted go too, once they expired, were withdrawn or were helped longer
//! ago than the initiative keeps them ([`super::initiatives::keep_needs_days`]): they are
//! deleted as their author would delete them, so peers drop their copies. Then the SQLite file
//! gives the pages they left empty back to the disk. The last clearing is kept, for the
//! administrator's page.
//!
//! With several processes on one database (issue 18) each piece of work that runs by itself
//! is done by one process at a time: the one whose turn it is ([`my_turn`]).

use crate::error::Result;
use crate::now_ms;
use crate::store::housekeeping::Cleared;
use crate::store::{self, Store};
use serde::{Deserialize, Serialize};

/// Finished work is kept this long: longer than any peer retries a delivery (so a repeat is
/// still recognised) and long enough to look into a problem.
pub const KEEP_DAYS: i64 = 30;
const DAY_MS: i64 = 24 * 3600 * 1000;
const LAST: &str = "housekeeping.last_clearing";

/// A clearing: when, and what it cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clearing {
    pub at: i64,
    pub cleared: Cleared,
}

/// Clears what was finished more than [`KEEP_DAYS`] before `now` and the needs kept long
/// enough, and keeps the clearing.
pub async fn clear_finished(store: &Store, now: i64) -> Result<Clearing> {
    let needs = delete_closed_needs(store, now).await?;
    let mut tx = store.begin().await?;
    let cleared = Cleared { needs, ..store::housekeeping::clear_finished(&mut tx, now - KEEP_DAYS * DAY_MS).await? };
    tx.commit().await?;
    let pages_freed = store::housekeeping::compact(&mut store.conn().await?).await?;
    let clearing = Clearing { at: now, cleared: Cleared { pages_freed, ..cleared } };
    let kept = serde_json::to_string(&clearing).map_err(|e| crate::DomainError::Internal(e.to_string()))?;
    let mut tx = store.begin().await?;
    store::settings::set(&mut tx, LAST, &kept).await?;
    tx.commit().await?;
    Ok(clearing)
}

/// Deletes the needs and offers of initiatives that closed longer ago than the initiative keeps
/// them, each as its author would (the `Delete` goes to every peer holding a copy), and forgets
/// what they said and for whom. How many.
async fn delete_closed_needs(store: &Store, now: i64) -> Result<u64> {
    let default = super::initiatives::DEFAULT_KEEP_NEEDS_DAYS;
    let due = store::retention::past_keeping(&mut store.conn().await?, now, default, DAY_MS).await?;
    for post_id in &due {
        let post = store::posts::by_id(&mut store.conn().await?, *post_id).await?;
        super::posts::delete_local(store, &post).await?;
        let mut tx = store.begin().await?;
        store::proposals::forget_text(&mut tx, post.id).await?;
        tx.commit().await?;
    }
    Ok(due.len() as u64)
}

/// Whether this process does the work `name` now: one process at a time does it, holding it
/// for `hold_ms` after each turn it takes; another takes it over once the holder stopped
/// renewing it or is gone.
pub async fn my_turn(store: &Store, name: &str, hold_ms: i64) -> Result<bool> {
    let now = now_ms();
    let mut tx = store.begin().await?;
    let mine = store::processes::take_work(&mut tx, name, store.process_id(), now + hold_ms, now).await?;
    tx.commit().await?;
    Ok(mine)
}

/// Clears when the last clearing is a day old or there was none; what it cleared, if it ran.
pub async fn clear_if_due(store: &Store) -> Result<Option<Clearing>> {
    let now = now_ms();
    match last(store).await? {
        Some(clearing) if now - clearing.at < DAY_MS => Ok(None),
        _ => clear_finished(store, now).await.map(Some),
    }
}

/// The last clearing, if any (an unreadable record counts as none: the next one replaces it).
pub async fn last(store: &Store) -> Result<Option<Clearing>> {
    let settings = store::settings::all(&mut store.conn().await?).await?;
    Ok(settings.into_iter().find(|(key, _)| key == LAST).and_then(|(_, value)| serde_json::from_str(&value).ok()))
}
