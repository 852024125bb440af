//! The activities that left the node (`published_activities`), kept by id so that their ids
//! resolve: who may read one is decided by `ops::visibility`, not here.

use super::{Handle, affected, on_db};
use crate::error::Result;
use crate::now_ms;

/// Keeps an activity as it was sent; sending it again keeps the first.
pub async fn keep(db: &mut impl Handle, ap_id: &str, body: &str) -> Result<()> {
    let sql = "INSERT INTO published_activities (ap_id, body, created_at) VALUES ($1, $2, $3) ON CONFLICT (ap_id) DO NOTHING";
    affected!(db, c => sqlx::query(sql).bind(ap_id).bind(body).bind(now_ms()).execute(c).await)?;
    Ok(())
}

/// The activity `ap_id` as it was sent.
pub async fn body(db: &mut impl Handle, ap_id: &str) -> Result<Option<String>> {
    let sql = "SELECT body FROM published_activities WHERE ap_id = $1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, String>(sql).bind(ap_id).fetch_optional(c).await)?)
}
