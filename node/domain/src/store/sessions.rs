//! Logins on the web pages (the token only as a hash) with their CSRF token.

use super::{Handle, affected, on_db};
use crate::error::Result;

/// A stored login: (session id, member id, CSRF token, last seen at).
pub type StoredSession = (i64, i64, String, i64);

pub async fn insert(db: &mut impl Handle, token_hash: &str, member_id: i64, csrf_token: &str, now: i64) -> Result<()> {
    let sql = "INSERT INTO web_sessions (token_hash, member_id, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)";
    affected!(db, c => sqlx::query(sql).bind(token_hash).bind(member_id).bind(csrf_token).bind(now).execute(c).await)?;
    Ok(())
}

pub async fn by_token_hash(db: &mut impl Handle, token_hash: &str) -> Result<Option<StoredSession>> {
    let sql = "SELECT id, member_id, csrf_token, last_seen_at FROM web_sessions WHERE token_hash = $1";
    Ok(on_db!(db, c => sqlx::query_as::<_, StoredSession>(sql).bind(token_hash).fetch_optional(c).await)?)
}

pub async fn touch(db: &mut impl Handle, id: i64, now: i64) -> Result<()> {
    affected!(db, c => sqlx::query("UPDATE web_sessions SET last_seen_at = $1 WHERE id = $2").bind(now).bind(id).execute(c).await)?;
    Ok(())
}

pub async fn delete(db: &mut impl Handle, id: i64) -> Result<()> {
    affected!(db, c => sqlx::query("DELETE FROM web_sessions WHERE id = $1").bind(id).execute(c).await)?;
    Ok(())
}

/// Ends every login of a member (after a password reset, or when the account goes).
pub async fn delete_of_member(db: &mut impl Handle, member_id: i64) -> Result<()> {
    affected!(db, c => sqlx::query("DELETE FROM web_sessions WHERE member_id = $1").bind(member_id).execute(c).await)?;
    Ok(())
}

/// Removes logins unused since `before`.
pub async fn delete_idle(db: &mut impl Handle, before: i64) -> Result<u64> {
    Ok(affected!(db, c => sqlx::query("DELETE FROM web_sessions WHERE last_seen_at < $1").bind(before).execute(c).await)?)
}
