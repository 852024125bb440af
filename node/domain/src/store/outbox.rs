//! The outbox table: domain events waiting to become deliveries. An entry that cannot be
//! read (its stored form no longer matches [`Outgoing`]) or planned is set aside with the
//! reason, so that it never holds up the entries behind it. Several processes may expand the
//! same outbox (issue 18): each entry is expanded by exactly one ([`mark_expanded`]).

use super::{Handle, affected, on_db};
use crate::error::{DomainError, Result};
use crate::now_ms;
use crate::outbox::Outgoing;

/// Appends an event. Call it inside the transaction that makes the change.
pub async fn push(db: &mut impl Handle, event: &Outgoing) -> Result<i64> {
    let json = serde_json::to_string(event).map_err(|e| DomainError::Internal(e.to_string()))?;
    let sql = "INSERT INTO outbox (event, created_at) VALUES ($1, $2) RETURNING id";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(&json).bind(now_ms()).fetch_one(c).await)?)
}

/// An entry waiting: its event, or why its stored form could not be read.
pub type Waiting = (i64, std::result::Result<Outgoing, String>);

/// Events not yet turned into deliveries nor set aside, oldest first.
pub async fn pending(db: &mut impl Handle, limit: i64) -> Result<Vec<Waiting>> {
    let sql = "SELECT id, event FROM outbox WHERE expanded_at IS NULL AND set_aside_at IS NULL ORDER BY id LIMIT $1";
    let rows = on_db!(db, c => sqlx::query_as::<_, (i64, String)>(sql).bind(limit).fetch_all(c).await)?;
    Ok(rows.into_iter().map(|(id, json)| (id, serde_json::from_str(&json).map_err(|e| format!("unreadable: {e}")))).collect())
}

/// Marks an entry expanded, unless another process got there first: call it at the start of
/// the transaction that writes the entry's deliveries, and roll back when it gives false. (On
/// PostgreSQL the row stays locked until that transaction ends, so a second process waits
/// here and then finds it marked.)
pub async fn mark_expanded(db: &mut impl Handle, id: i64) -> Result<bool> {
    let sql = "UPDATE outbox SET expanded_at = $1 WHERE id = $2 AND expanded_at IS NULL AND set_aside_at IS NULL";
    Ok(affected!(db, c => sqlx::query(sql).bind(now_ms()).bind(id).execute(c).await)? == 1)
}

/// Takes an entry out of the queue for good, keeping it and the reason for the administrator.
pub async fn set_aside(db: &mut impl Handle, id: i64, reason: &str) -> Result<()> {
    let sql = "UPDATE outbox SET set_aside_at = $1, set_aside_reason = $2 WHERE id = $3";
    affected!(db, c => sqlx::query(sql).bind(now_ms()).bind(reason).bind(id).execute(c).await)?;
    Ok(())
}

/// An entry set aside, with when and why, and its stored text as it is.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SetAside {
    pub id: i64,
    pub created_at: i64,
    pub set_aside_at: i64,
    pub set_aside_reason: String,
    pub event: String,
}

/// The entries set aside, newest first.
pub async fn set_aside_entries(db: &mut impl Handle, limit: i64) -> Result<Vec<SetAside>> {
    let sql = "SELECT id, created_at, set_aside_at, COALESCE(set_aside_reason, '') AS set_aside_reason, event FROM outbox
               WHERE set_aside_at IS NOT NULL ORDER BY set_aside_at DESC, id DESC LIMIT $1";
    Ok(on_db!(db, c => sqlx::query_as::<_, SetAside>(sql).bind(limit).fetch_all(c).await)?)
}

pub async fn count_set_aside(db: &mut impl Handle) -> Result<i64> {
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox WHERE set_aside_at IS NOT NULL").fetch_one(c).await)?)
}

pub async fn count_pending(db: &mut impl Handle) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM outbox WHERE expanded_at IS NULL AND set_aside_at IS NULL";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).fetch_one(c).await)?)
}
