//! How long each initiative keeps its needs and offers once they closed (issue 17), and which
//! of them are past it. One row per initiative that chose; the others keep the default.

use super::{Handle, affected, on_db};
use crate::error::Result;

/// The days `initiative_id` chose, if it chose.
pub async fn keep_days(db: &mut impl Handle, initiative_id: i64) -> Result<Option<i64>> {
    let sql = "SELECT keep_days FROM need_retention WHERE initiative_id = $1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(initiative_id).fetch_optional(c).await)?)
}

/// Sets (or replaces) the days `initiative_id` keeps closed needs and offers.
pub async fn set_keep_days(db: &mut impl Handle, initiative_id: i64, days: i64) -> Result<()> {
    let sql = "INSERT INTO need_retention (initiative_id, keep_days) VALUES ($1, $2)
               ON CONFLICT (initiative_id) DO UPDATE SET keep_days = excluded.keep_days";
    affected!(db, c => sqlx::query(sql).bind(initiative_id).bind(days).execute(c).await)?;
    Ok(())
}

/// Local needs and offers, not deleted, that closed (expired, withdrawn or helped) longer ago
/// than their author keeps them: an initiative its own choice, a member the shortest choice of
/// the initiatives she belongs to, and `default_days` where nobody chose.
pub async fn past_keeping(db: &mut impl Handle, now: i64, default_days: i64, day_ms: i64) -> Result<Vec<i64>> {
    let sql = "SELECT p.post_id FROM proposals p
               JOIN posts ON posts.id = p.post_id
               WHERE posts.is_local AND posts.deleted_at IS NULL
               AND p.state IN ('fulfilled', 'withdrawn', 'expired') AND p.closed_at IS NOT NULL
               AND p.closed_at < $1 - COALESCE(
                   (SELECT r.keep_days FROM need_retention r WHERE r.initiative_id = posts.author_id),
                   (SELECT MIN(r.keep_days) FROM need_retention r
                    JOIN initiative_members m ON m.initiative_id = r.initiative_id
                    WHERE m.member_id = posts.author_id),
                   $2) * $3
               ORDER BY p.post_id";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(now).bind(default_days).bind(day_ms).fetch_all(c).await)?)
}
