//! The outbox table: domain events waiting to become deliveries.

use super::{Handle, affected, on_db};
use crate::error::{DomainError, Result};
use crate::now_ms;
use crate::outbox::Outgoing;

/// Appends an event. Call it inside the transaction that makes the change.
pub async fn push(db: &mut impl Handle, event: &Outgoing) -> Result<i64> {
    let json = serde_json::to_string(event).map_err(|e| DomainError::Corrupt(e.to_string()))?;
    let sql = "INSERT INTO outbox (event, created_at) VALUES ($1, $2) RETURNING id";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(&json).bind(now_ms()).fetch_one(c).await)?)
}

/// Events not yet turned into deliveries, oldest first.
pub async fn pending(db: &mut impl Handle, limit: i64) -> Result<Vec<(i64, Outgoing)>> {
    let sql = "SELECT id, event FROM outbox WHERE expanded_at IS NULL ORDER BY id LIMIT $1";
    let rows = on_db!(db, c => sqlx::query_as::<_, (i64, String)>(sql).bind(limit).fetch_all(c).await)?;
    rows.into_iter()
        .map(|(id, json)| {
            let event = serde_json::from_str(&json).map_err(|e| DomainError::Corrupt(format!("outbox {id}: {e}")))?;
            Ok((id, event))
        })
        .collect()
}

pub async fn mark_expanded(db: &mut impl Handle, id: i64) -> Result<()> {
    affected!(db, c => sqlx::query("UPDATE outbox SET expanded_at = $1 WHERE id = $2").bind(now_ms()).bind(id).execute(c).await)?;
    Ok(())
}

pub async fn count_pending(db: &mut impl Handle) -> Result<i64> {
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox WHERE expanded_at IS NULL").fetch_one(c).await)?)
}
