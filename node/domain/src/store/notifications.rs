//! Notifications for local members.

use super::{Handle, affected, on_db};
use crate::error::Result;
use crate::now_ms;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Notification {
    pub id: i64,
    pub recipient_id: i64,
    pub kind: String,
    pub post_id: Option<i64>,
    pub related_post_id: Option<i64>,
    /// Who did it (a follower, someone who liked or boosted), when it matters.
    pub actor_id: Option<i64>,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// Adds a notification; the same one twice is ignored. Returns whether it was new.
pub async fn insert(db: &mut impl Handle, recipient_id: i64, kind: &str, post_id: i64, related_post_id: Option<i64>) -> Result<bool> {
    let sql = "INSERT INTO notifications (recipient_id, kind, post_id, related_post_id, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
    Ok(
        affected!(db, c => sqlx::query(sql).bind(recipient_id).bind(kind).bind(post_id).bind(related_post_id).bind(now_ms()).execute(c).await)?
            > 0,
    )
}

const COLUMNS: &str = "id, recipient_id, kind, post_id, related_post_id, actor_id, created_at, read_at";

/// A notification that someone did something (followed, liked, boosted), about a post or not.
pub async fn insert_by(db: &mut impl Handle, recipient_id: i64, kind: &str, post_id: Option<i64>, actor_id: i64) -> Result<()> {
    let sql = "INSERT INTO notifications (recipient_id, kind, post_id, actor_id, created_at) VALUES ($1, $2, $3, $4, $5)";
    affected!(db, c => sqlx::query(sql).bind(recipient_id).bind(kind).bind(post_id).bind(actor_id).bind(now_ms()).execute(c).await)?;
    Ok(())
}

/// Like [`insert_by`], unless the same recipient already has one of this kind about this post
/// (a message that arrives twice tells nobody twice). Returns whether it was new.
pub async fn insert_once_by(db: &mut impl Handle, recipient_id: i64, kind: &str, post_id: i64, actor_id: i64) -> Result<bool> {
    let sql = "INSERT INTO notifications (recipient_id, kind, post_id, actor_id, created_at)
               SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS
                 (SELECT 1 FROM notifications WHERE recipient_id = $1 AND kind = $2 AND post_id = $3)";
    let added =
        affected!(db, c => sqlx::query(sql).bind(recipient_id).bind(kind).bind(post_id).bind(actor_id).bind(now_ms()).execute(c).await)?;
    Ok(added > 0)
}

pub async fn for_recipient(db: &mut impl Handle, recipient_id: i64, limit: i64) -> Result<Vec<Notification>> {
    let sql = format!("SELECT {COLUMNS} FROM notifications WHERE recipient_id = $1 ORDER BY id DESC LIMIT $2");
    Ok(on_db!(db, c => sqlx::query_as::<_, Notification>(&sql).bind(recipient_id).bind(limit).fetch_all(c).await)?)
}

/// A page of a member's notifications with ids in `(after, before)`, newest first.
pub async fn page(db: &mut impl Handle, recipient_id: i64, before: i64, after: i64, limit: i64) -> Result<Vec<Notification>> {
    let sql = format!("SELECT {COLUMNS} FROM notifications WHERE recipient_id = $1 AND id < $2 AND id > $3 ORDER BY id DESC LIMIT $4");
    Ok(on_db!(db, c => sqlx::query_as::<_, Notification>(&sql).bind(recipient_id).bind(before).bind(after).bind(limit).fetch_all(c).await)?)
}

pub async fn by_id(db: &mut impl Handle, recipient_id: i64, id: i64) -> Result<Option<Notification>> {
    let sql = format!("SELECT {COLUMNS} FROM notifications WHERE recipient_id = $1 AND id = $2");
    Ok(on_db!(db, c => sqlx::query_as::<_, Notification>(&sql).bind(recipient_id).bind(id).fetch_optional(c).await)?)
}

/// Dismisses one notification (or, with `None`, all of them).
pub async fn dismiss(db: &mut impl Handle, recipient_id: i64, id: Option<i64>) -> Result<()> {
    match id {
        Some(id) => {
            affected!(db, c => sqlx::query("DELETE FROM notifications WHERE recipient_id = $1 AND id = $2").bind(recipient_id).bind(id).execute(c).await)?
        }
        None => affected!(db, c => sqlx::query("DELETE FROM notifications WHERE recipient_id = $1").bind(recipient_id).execute(c).await)?,
    };
    Ok(())
}

/// The highest notification id of a member so far (0 when none).
pub async fn max_id(db: &mut impl Handle, recipient_id: i64) -> Result<i64> {
    let sql = "SELECT MAX(id) FROM notifications WHERE recipient_id = $1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, Option<i64>>(sql).bind(recipient_id).fetch_one(c).await)?.unwrap_or(0))
}

/// How many notifications a member has not seen yet.
pub async fn unread_count(db: &mut impl Handle, recipient_id: i64) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM notifications WHERE recipient_id = $1 AND read_at IS NULL";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(recipient_id).fetch_one(c).await)?)
}

/// Marks every notification of a member as seen.
pub async fn mark_all_read(db: &mut impl Handle, recipient_id: i64, now: i64) -> Result<()> {
    let sql = "UPDATE notifications SET read_at = $1 WHERE recipient_id = $2 AND read_at IS NULL";
    affected!(db, c => sqlx::query(sql).bind(now).bind(recipient_id).execute(c).await)?;
    Ok(())
}
