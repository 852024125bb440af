//! What handing an initiative over to another node reads and keeps (issue 17): each member's
//! choice to move along, and the accounts of those who chose it.

use super::{Handle, affected, on_db};
use crate::error::Result;

/// A member who chose to move along with her initiative, with what her login needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MovingMember {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub password_hash: String,
    pub role: String,
}

/// Keeps whether the member moves along when her initiative moves.
pub async fn set_moves_along(db: &mut impl Handle, actor_id: i64, moves_along: bool) -> Result<()> {
    let sql = "UPDATE accounts SET moves_along = $1 WHERE actor_id = $2";
    affected!(db, c => sqlx::query(sql).bind(moves_along).bind(actor_id).execute(c).await)?;
    Ok(())
}

/// Whether the member chose to move along (false for an actor without a login).
pub async fn moves_along(db: &mut impl Handle, actor_id: i64) -> Result<bool> {
    let sql = "SELECT moves_along FROM accounts WHERE actor_id = $1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, bool>(sql).bind(actor_id).fetch_optional(c).await)?.unwrap_or(false))
}

/// The approved members of `initiative_id` who chose to move along, by username.
pub async fn moving_members(db: &mut impl Handle, initiative_id: i64) -> Result<Vec<MovingMember>> {
    let sql = "SELECT a.username, a.display_name, acc.email, acc.password_hash, m.role
               FROM initiative_members m
               JOIN actors a ON a.id = m.member_id
               JOIN accounts acc ON acc.actor_id = m.member_id
               WHERE m.initiative_id = $1 AND acc.moves_along AND acc.approved_at IS NOT NULL
               ORDER BY a.username";
    Ok(on_db!(db, c => sqlx::query_as::<_, MovingMember>(sql).bind(initiative_id).fetch_all(c).await)?)
}

/// How many members of `initiative_id` stay behind (they did not choose to move along).
pub async fn members_staying(db: &mut impl Handle, initiative_id: i64) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM initiative_members m JOIN accounts acc ON acc.actor_id = m.member_id
               WHERE m.initiative_id = $1 AND NOT (acc.moves_along AND acc.approved_at IS NOT NULL)";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(initiative_id).fetch_one(c).await)?)
}
