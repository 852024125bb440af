//! What the figures are counted from: every offer, need and event this node holds, with the
//! facts that travel with them, in a few reads (the figures are counted in `ops::figures`).

use super::{Handle, on_db};
use crate::error::Result;

/// One offer or need as the figures see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProposalRow {
    pub post_id: i64,
    pub author_ap_id: String,
    pub author_kind: String,
    pub visibility: String,
    /// As the author published it (the same on every node).
    pub published: i64,
    pub purpose: String,
    pub category: String,
    pub state: String,
    pub for_resident: bool,
    pub first_response_at: Option<i64>,
    pub fulfilled_at: Option<i64>,
    pub hours_given: Option<f64>,
    pub passed_on_to: Option<i64>,
}

/// Every offer and need held here, not deleted, published before `until`.
pub async fn proposals(db: &mut impl Handle, until: i64) -> Result<Vec<ProposalRow>> {
    let sql = "SELECT p.post_id, a.ap_id AS author_ap_id, a.kind AS author_kind, posts.visibility, posts.published,
                      p.purpose, p.category, p.state, p.for_resident, p.first_response_at, p.fulfilled_at, p.hours_given,
                      p.passed_on_to
               FROM proposals p JOIN posts ON posts.id = p.post_id JOIN actors a ON a.id = posts.author_id
               WHERE posts.deleted_at IS NULL AND posts.published < $1 ORDER BY p.post_id";
    Ok(on_db!(db, c => sqlx::query_as::<_, ProposalRow>(sql).bind(until).fetch_all(c).await)?)
}

/// (post id, side, helpers) of every proposal someone helps with.
pub async fn helpers(db: &mut impl Handle) -> Result<Vec<(i64, String, i64)>> {
    let sql = "SELECT post_id, side, helpers FROM proposal_helpers ORDER BY post_id, side";
    Ok(on_db!(db, c => sqlx::query_as::<_, (i64, String, i64)>(sql).fetch_all(c).await)?)
}

/// One event as the figures see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub author_ap_id: String,
    pub visibility: String,
    pub starts_at: i64,
    pub state: String,
    pub participant_count: i64,
}

/// Events held here that start in [from, until).
pub async fn events(db: &mut impl Handle, from: i64, until: i64) -> Result<Vec<EventRow>> {
    let sql = "SELECT a.ap_id AS author_ap_id, posts.visibility, e.starts_at, e.state, e.participant_count
               FROM events e JOIN posts ON posts.id = e.post_id JOIN actors a ON a.id = posts.author_id
               WHERE posts.deleted_at IS NULL AND e.starts_at >= $1 AND e.starts_at < $2 ORDER BY e.post_id";
    Ok(on_db!(db, c => sqlx::query_as::<_, EventRow>(sql).bind(from).bind(until).fetch_all(c).await)?)
}
