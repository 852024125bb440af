//! Responses to offers and needs.

use super::{Handle, affected, on_db};
use crate::error::{DomainError, Result};
use crate::model::{Response, ResponseState};
use crate::now_ms;

const COLUMNS: &str = "id, ap_id, proposal_post_id, responder_id, message, state, agreement_ap_id, created_at, decided_at, reason";

/// Records a response; the same responder answering the same proposal again gets the first.
pub async fn insert(db: &mut impl Handle, ap_id: &str, proposal_post_id: i64, responder_id: i64, message: &str) -> Result<Response> {
    let sql =
        "INSERT INTO responses (ap_id, proposal_post_id, responder_id, message, state, created_at) VALUES ($1, $2, $3, $4, 'pending', $5)
               ON CONFLICT DO NOTHING";
    affected!(db, c => sqlx::query(sql).bind(ap_id).bind(proposal_post_id).bind(responder_id).bind(message).bind(now_ms()).execute(c).await)?;
    let sql = format!("SELECT {COLUMNS} FROM responses WHERE proposal_post_id = $1 AND responder_id = $2");
    on_db!(db, c => sqlx::query_as::<_, Response>(&sql).bind(proposal_post_id).bind(responder_id).fetch_optional(c).await)?
        .ok_or(DomainError::NotFound)
}

pub async fn by_id(db: &mut impl Handle, id: i64) -> Result<Response> {
    let sql = format!("SELECT {COLUMNS} FROM responses WHERE id = $1");
    on_db!(db, c => sqlx::query_as::<_, Response>(&sql).bind(id).fetch_optional(c).await)?.ok_or(DomainError::NotFound)
}

pub async fn by_ap_id(db: &mut impl Handle, ap_id: &str) -> Result<Option<Response>> {
    let sql = format!("SELECT {COLUMNS} FROM responses WHERE ap_id = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, Response>(&sql).bind(ap_id).fetch_optional(c).await)?)
}

pub async fn for_proposal(db: &mut impl Handle, proposal_post_id: i64) -> Result<Vec<Response>> {
    let sql = format!("SELECT {COLUMNS} FROM responses WHERE proposal_post_id = $1 ORDER BY id");
    Ok(on_db!(db, c => sqlx::query_as::<_, Response>(&sql).bind(proposal_post_id).fetch_all(c).await)?)
}

/// Records the answer to a response that is still pending; returns whether it was (a second
/// decision on the same response changes nothing).
pub async fn decide(
    db: &mut impl Handle,
    id: i64,
    state: ResponseState,
    agreement_ap_id: Option<&str>,
    reason: Option<&str>,
) -> Result<bool> {
    let sql = "UPDATE responses SET state = $1, agreement_ap_id = $2, reason = $3, decided_at = $4 WHERE id = $5 AND state = 'pending'";
    let changed = affected!(db, c => sqlx::query(sql).bind(state.as_str()).bind(agreement_ap_id).bind(reason).bind(now_ms()).bind(id).execute(c).await)?;
    Ok(changed == 1)
}

/// Makes an undelivered response pending again (the peer answered it after all).
pub async fn reopen(db: &mut impl Handle, id: i64) -> Result<()> {
    affected!(db, c => sqlx::query("UPDATE responses SET state = 'pending' WHERE id = $1 AND state = 'undelivered'").bind(id).execute(c).await)?;
    Ok(())
}

/// The responses to a proposal in `state`, oldest first.
pub async fn in_state(db: &mut impl Handle, proposal_post_id: i64, state: ResponseState) -> Result<Vec<Response>> {
    let sql = format!("SELECT {COLUMNS} FROM responses WHERE proposal_post_id = $1 AND state = $2 ORDER BY id");
    Ok(on_db!(db, c => sqlx::query_as::<_, Response>(&sql).bind(proposal_post_id).bind(state.as_str()).fetch_all(c).await)?)
}

/// The response a member here gave to a proposal, if any.
pub async fn of_responder(db: &mut impl Handle, proposal_post_id: i64, responder_id: i64) -> Result<Option<Response>> {
    let sql = format!("SELECT {COLUMNS} FROM responses WHERE proposal_post_id = $1 AND responder_id = $2");
    Ok(on_db!(db, c => sqlx::query_as::<_, Response>(&sql).bind(proposal_post_id).bind(responder_id).fetch_optional(c).await)?)
}

/// How many distinct people of this node had their help accepted in [from, until): members of
/// `initiative_id`, and people here who belong to no initiative.
pub async fn helpers_here_between(db: &mut impl Handle, initiative_id: i64, from: i64, until: i64) -> Result<i64> {
    let sql = "SELECT COUNT(DISTINCT r.responder_id) FROM responses r JOIN actors a ON a.id = r.responder_id
               WHERE r.state = 'accepted' AND a.is_local AND r.decided_at >= $2 AND r.decided_at < $3
                 AND (EXISTS (SELECT 1 FROM initiative_members m WHERE m.member_id = a.id AND m.initiative_id = $1)
                      OR NOT EXISTS (SELECT 1 FROM initiative_members m WHERE m.member_id = a.id))";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(initiative_id).bind(from).bind(until).fetch_one(c).await)?)
}
