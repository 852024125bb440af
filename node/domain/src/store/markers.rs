//! Where a member stopped reading, per timeline (Mastodon's markers).

use super::{Handle, affected, on_db};
use crate::error::Result;
use crate::now_ms;

/// (timeline, last read id, version, updated at).
pub type Marker = (String, String, i64, i64);

pub async fn set(db: &mut impl Handle, member_id: i64, timeline: &str, last_read_id: &str) -> Result<()> {
    let sql = "INSERT INTO markers (member_id, timeline, last_read_id, version, updated_at) VALUES ($1, $2, $3, 1, $4)
               ON CONFLICT (member_id, timeline) DO UPDATE SET last_read_id = excluded.last_read_id, version = markers.version + 1,
                 updated_at = excluded.updated_at";
    affected!(db, c => sqlx::query(sql).bind(member_id).bind(timeline).bind(last_read_id).bind(now_ms()).execute(c).await)?;
    Ok(())
}

pub async fn of_member(db: &mut impl Handle, member_id: i64) -> Result<Vec<Marker>> {
    let sql = "SELECT timeline, last_read_id, version, updated_at FROM markers WHERE member_id = $1 ORDER BY timeline";
    Ok(on_db!(db, c => sqlx::query_as::<_, Marker>(sql).bind(member_id).fetch_all(c).await)?)
}
