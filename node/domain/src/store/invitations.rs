//! Invitation codes a coordinator hands out (stored as hashes).

use super::{Handle, affected, on_db};
use crate::error::Result;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Invitation {
    pub id: i64,
    pub initiative_id: Option<i64>,
    pub created_by: i64,
    pub note: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_by: Option<i64>,
    pub used_at: Option<i64>,
}

const COLUMNS: &str = "id, initiative_id, created_by, note, created_at, expires_at, used_by, used_at";

pub struct NewInvitation<'a> {
    pub code_hash: &'a str,
    pub initiative_id: Option<i64>,
    pub created_by: i64,
    pub note: &'a str,
    pub created_at: i64,
    pub expires_at: i64,
}

pub async fn insert(db: &mut impl Handle, new: &NewInvitation<'_>) -> Result<()> {
    let sql =
        "INSERT INTO invitations (code_hash, initiative_id, created_by, note, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)";
    affected!(db, c => sqlx::query(sql).bind(new.code_hash).bind(new.initiative_id).bind(new.created_by).bind(new.note)
        .bind(new.created_at).bind(new.expires_at).execute(c).await)?;
    Ok(())
}

pub async fn by_code_hash(db: &mut impl Handle, code_hash: &str) -> Result<Option<Invitation>> {
    let sql = format!("SELECT {COLUMNS} FROM invitations WHERE code_hash = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, Invitation>(&sql).bind(code_hash).fetch_optional(c).await)?)
}

/// Marks an invitation used, once: false when someone was first.
pub async fn mark_used(db: &mut impl Handle, id: i64, member_id: i64, now: i64) -> Result<bool> {
    let sql = "UPDATE invitations SET used_by = $1, used_at = $2 WHERE id = $3 AND used_by IS NULL";
    Ok(affected!(db, c => sqlx::query(sql).bind(member_id).bind(now).bind(id).execute(c).await)? == 1)
}

/// The newest invitations made by a member.
pub async fn made_by(db: &mut impl Handle, member_id: i64, limit: i64) -> Result<Vec<Invitation>> {
    let sql = format!("SELECT {COLUMNS} FROM invitations WHERE created_by = $1 ORDER BY id DESC LIMIT $2");
    Ok(on_db!(db, c => sqlx::query_as::<_, Invitation>(&sql).bind(member_id).bind(limit).fetch_all(c).await)?)
}

/// A password reset: (id, member id, expires at, used at).
pub type StoredReset = (i64, i64, i64, Option<i64>);

pub async fn insert_reset(db: &mut impl Handle, code_hash: &str, member_id: i64, created_by: i64, now: i64, expires_at: i64) -> Result<()> {
    let sql = "INSERT INTO password_resets (code_hash, member_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";
    affected!(db, c => sqlx::query(sql).bind(code_hash).bind(member_id).bind(created_by).bind(now).bind(expires_at).execute(c).await)?;
    Ok(())
}

pub async fn reset_by_code_hash(db: &mut impl Handle, code_hash: &str) -> Result<Option<StoredReset>> {
    let sql = "SELECT id, member_id, expires_at, used_at FROM password_resets WHERE code_hash = $1";
    Ok(on_db!(db, c => sqlx::query_as::<_, StoredReset>(sql).bind(code_hash).fetch_optional(c).await)?)
}

/// Uses a reset once: false when it was used already.
pub async fn use_reset(db: &mut impl Handle, id: i64, now: i64) -> Result<bool> {
    let sql = "UPDATE password_resets SET used_at = $1 WHERE id = $2 AND used_at IS NULL";
    Ok(affected!(db, c => sqlx::query(sql).bind(now).bind(id).execute(c).await)? == 1)
}
