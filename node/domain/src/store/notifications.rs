//! Notifications for local members.

use super::{Handle, affected, on_db};
use crate::error::Result;
use crate::now_ms;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Notification {
    pub id: i64,
    pub recipient_id: i64,
    pub kind: String,
    pub post_id: i64,
    pub related_post_id: Option<i64>,
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

pub async fn for_recipient(db: &mut impl Handle, recipient_id: i64, limit: i64) -> Result<Vec<Notification>> {
    let sql = "SELECT id, recipient_id, kind, post_id, related_post_id, created_at, read_at FROM notifications WHERE recipient_id = $1 ORDER BY id DESC LIMIT $2";
    Ok(on_db!(db, c => sqlx::query_as::<_, Notification>(sql).bind(recipient_id).bind(limit).fetch_all(c).await)?)
}
