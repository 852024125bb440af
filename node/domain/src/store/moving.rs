//! Moving accounts (issue 17): the old identities a local actor lists as its aliases
//! (`alsoKnownAs`), where an actor moved to (`movedTo`), and who here follows a moved actor.

use super::actors::COLUMNS;
use super::{Handle, affected, on_db};
use crate::error::Result;
use crate::model::Actor;
use crate::now_ms;

/// The old identities `actor_id` lists, oldest first.
pub async fn aliases(db: &mut impl Handle, actor_id: i64) -> Result<Vec<String>> {
    let sql = "SELECT alias FROM actor_aliases WHERE actor_id = $1 ORDER BY created_at, alias";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, String>(sql).bind(actor_id).fetch_all(c).await)?)
}

/// Lists `alias` for `actor_id`; true when it was not listed yet.
pub async fn add_alias(db: &mut impl Handle, actor_id: i64, alias: &str) -> Result<bool> {
    let sql = "INSERT INTO actor_aliases (actor_id, alias, created_at) VALUES ($1, $2, $3) ON CONFLICT (actor_id, alias) DO NOTHING";
    Ok(affected!(db, c => sqlx::query(sql).bind(actor_id).bind(alias).bind(now_ms()).execute(c).await)? > 0)
}

/// No longer lists `alias`; true when it was listed.
pub async fn remove_alias(db: &mut impl Handle, actor_id: i64, alias: &str) -> Result<bool> {
    let sql = "DELETE FROM actor_aliases WHERE actor_id = $1 AND alias = $2";
    Ok(affected!(db, c => sqlx::query(sql).bind(actor_id).bind(alias).execute(c).await)? > 0)
}

/// Records that `actor_id` moved to `target`.
pub async fn set_moved_to(db: &mut impl Handle, actor_id: i64, target: &str) -> Result<()> {
    affected!(db, c => sqlx::query("UPDATE actors SET moved_to = $1 WHERE id = $2").bind(target).bind(actor_id).execute(c).await)?;
    Ok(())
}

/// Local actors that follow `followee_id` or asked to.
pub async fn local_followers(db: &mut impl Handle, followee_id: i64) -> Result<Vec<Actor>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM actors WHERE is_local AND id IN (SELECT follower_id FROM follows WHERE followee_id = $1) ORDER BY id"
    );
    Ok(on_db!(db, c => sqlx::query_as::<_, Actor>(&sql).bind(followee_id).fetch_all(c).await)?)
}
