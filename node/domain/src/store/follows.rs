//! Follow relations.

use super::{Handle, affected, on_db};
use crate::error::Result;
use crate::model::{Actor, Follow, FollowState};
use crate::now_ms;

const COLUMNS: &str = "id, follower_id, followee_id, state, activity_ap_id, created_at";

/// Records a follow; a repeated request replaces the activity id and state of the earlier one.
pub async fn upsert(db: &mut impl Handle, follower_id: i64, followee_id: i64, state: FollowState, activity_ap_id: &str) -> Result<Follow> {
    let sql = format!(
        "INSERT INTO follows (follower_id, followee_id, state, activity_ap_id, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (follower_id, followee_id) DO UPDATE SET activity_ap_id = excluded.activity_ap_id,
           state = CASE WHEN follows.state = 'accepted' THEN follows.state ELSE excluded.state END
         RETURNING {COLUMNS}"
    );
    Ok(on_db!(db, c => sqlx::query_as::<_, Follow>(&sql)
        .bind(follower_id).bind(followee_id).bind(state.as_str()).bind(activity_ap_id).bind(now_ms())
        .fetch_one(c).await)?)
}

pub async fn find(db: &mut impl Handle, follower_id: i64, followee_id: i64) -> Result<Option<Follow>> {
    let sql = format!("SELECT {COLUMNS} FROM follows WHERE follower_id = $1 AND followee_id = $2");
    Ok(on_db!(db, c => sqlx::query_as::<_, Follow>(&sql).bind(follower_id).bind(followee_id).fetch_optional(c).await)?)
}

pub async fn by_activity(db: &mut impl Handle, activity_ap_id: &str) -> Result<Option<Follow>> {
    let sql = format!("SELECT {COLUMNS} FROM follows WHERE activity_ap_id = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, Follow>(&sql).bind(activity_ap_id).fetch_optional(c).await)?)
}

pub async fn set_state(db: &mut impl Handle, id: i64, state: FollowState) -> Result<()> {
    affected!(db, c => sqlx::query("UPDATE follows SET state = $1 WHERE id = $2").bind(state.as_str()).bind(id).execute(c).await)?;
    Ok(())
}

pub async fn delete(db: &mut impl Handle, id: i64) -> Result<()> {
    affected!(db, c => sqlx::query("DELETE FROM follows WHERE id = $1").bind(id).execute(c).await)?;
    Ok(())
}

/// Actors that follow `followee_id`, in the given state, newest first, for paging.
pub async fn followers(db: &mut impl Handle, followee_id: i64, state: FollowState, limit: i64, offset: i64) -> Result<Vec<Actor>> {
    let sql = "SELECT a.id, a.ap_id, a.kind, a.username, a.domain, a.is_local, a.display_name, a.summary, a.inbox, a.shared_inbox, a.outbox, a.followers, a.following, a.url, a.public_key_id, a.public_key_pem, a.private_key_pem, a.ed25519_public_multibase, a.ed25519_private_pkcs8, a.manually_approves_followers, a.fetched_at, a.created_at, a.default_need_visibility, a.moved_to
               FROM follows f JOIN actors a ON a.id = f.follower_id
               WHERE f.followee_id = $1 AND f.state = $2 ORDER BY f.id DESC LIMIT $3 OFFSET $4";
    Ok(on_db!(db, c => sqlx::query_as::<_, Actor>(sql).bind(followee_id).bind(state.as_str()).bind(limit).bind(offset).fetch_all(c).await)?)
}

/// Actors that `follower_id` follows (accepted only), newest first.
pub async fn following(db: &mut impl Handle, follower_id: i64, limit: i64, offset: i64) -> Result<Vec<Actor>> {
    let sql = "SELECT a.id, a.ap_id, a.kind, a.username, a.domain, a.is_local, a.display_name, a.summary, a.inbox, a.shared_inbox, a.outbox, a.followers, a.following, a.url, a.public_key_id, a.public_key_pem, a.private_key_pem, a.ed25519_public_multibase, a.ed25519_private_pkcs8, a.manually_approves_followers, a.fetched_at, a.created_at, a.default_need_visibility, a.moved_to
               FROM follows f JOIN actors a ON a.id = f.followee_id
               WHERE f.follower_id = $1 AND f.state = 'accepted' ORDER BY f.id DESC LIMIT $2 OFFSET $3";
    Ok(on_db!(db, c => sqlx::query_as::<_, Actor>(sql).bind(follower_id).bind(limit).bind(offset).fetch_all(c).await)?)
}

pub async fn count_followers(db: &mut impl Handle, followee_id: i64) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM follows WHERE followee_id = $1 AND state = 'accepted'";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(followee_id).fetch_one(c).await)?)
}

pub async fn count_following(db: &mut impl Handle, follower_id: i64) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM follows WHERE follower_id = $1 AND state = 'accepted'";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(follower_id).fetch_one(c).await)?)
}

/// The distinct delivery inboxes (shared where known) of an actor's accepted remote followers.
pub async fn remote_follower_inboxes(db: &mut impl Handle, followee_id: i64) -> Result<Vec<String>> {
    let sql = "SELECT DISTINCT COALESCE(a.shared_inbox, a.inbox) FROM follows f JOIN actors a ON a.id = f.follower_id
               WHERE f.followee_id = $1 AND f.state = 'accepted' AND NOT a.is_local";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, String>(sql).bind(followee_id).fetch_all(c).await)?)
}

/// Whether `follower_ap_id` is an accepted follower of `followee_id`.
pub async fn is_accepted_follower(db: &mut impl Handle, follower_ap_id: &str, followee_id: i64) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM follows f JOIN actors a ON a.id = f.follower_id
               WHERE f.followee_id = $1 AND a.ap_id = $2 AND f.state = 'accepted'";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(followee_id).bind(follower_ap_id).fetch_one(c).await)? > 0)
}

/// Whether any local actor follows `followee_id` (accepted): then we want its posts.
pub async fn has_local_follower(db: &mut impl Handle, followee_id: i64) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM follows f JOIN actors a ON a.id = f.follower_id
               WHERE f.followee_id = $1 AND f.state = 'accepted' AND a.is_local";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(followee_id).fetch_one(c).await)? > 0)
}

pub async fn by_row_id(db: &mut impl Handle, id: i64) -> Result<Option<Follow>> {
    let sql = format!("SELECT {COLUMNS} FROM follows WHERE id = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, Follow>(&sql).bind(id).fetch_optional(c).await)?)
}

/// The state of `follower_id`'s follow of `followee_id` (`pending`, `accepted`), if any.
pub async fn state(db: &mut impl Handle, follower_id: i64, followee_id: i64) -> Result<Option<String>> {
    let sql = "SELECT state FROM follows WHERE follower_id = $1 AND followee_id = $2";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, String>(sql).bind(follower_id).bind(followee_id).fetch_optional(c).await)?)
}

/// The inboxes of the remote actors `follower_id` follows (or asked to).
pub async fn remote_followee_inboxes(db: &mut impl Handle, follower_id: i64) -> Result<Vec<String>> {
    let sql = "SELECT DISTINCT COALESCE(a.shared_inbox, a.inbox) FROM follows f JOIN actors a ON a.id = f.followee_id
               WHERE f.follower_id = $1 AND NOT a.is_local";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, String>(sql).bind(follower_id).fetch_all(c).await)?)
}

/// Removes every follow from or of an actor.
pub async fn delete_all_of(db: &mut impl Handle, actor_id: i64) -> Result<()> {
    affected!(db, c => sqlx::query("DELETE FROM follows WHERE follower_id = $1 OR followee_id = $1").bind(actor_id).execute(c).await)?;
    Ok(())
}

/// The actors `actor_id` follows and those following it: (following, followers) as ids.
pub async fn both_ways(db: &mut impl Handle, actor_id: i64) -> Result<(Vec<String>, Vec<String>)> {
    let out = "SELECT a.ap_id FROM follows f JOIN actors a ON a.id = f.followee_id WHERE f.follower_id = $1 ORDER BY a.ap_id";
    let inn = "SELECT a.ap_id FROM follows f JOIN actors a ON a.id = f.follower_id WHERE f.followee_id = $1 AND f.state = 'accepted' ORDER BY a.ap_id";
    let following = on_db!(db, c => sqlx::query_scalar::<_, String>(out).bind(actor_id).fetch_all(c).await)?;
    let followers = on_db!(db, c => sqlx::query_scalar::<_, String>(inn).bind(actor_id).fetch_all(c).await)?;
    Ok((following, followers))
}

/// Which of `followee_ids` the actor `follower_ap_id` follows (accepted).
pub async fn followed_among(db: &mut impl Handle, followee_ids: &[i64], follower_ap_id: &str) -> Result<Vec<i64>> {
    if followee_ids.is_empty() {
        return Ok(Vec::new());
    }
    let n = followee_ids.len();
    let sql = format!(
        "SELECT f.followee_id FROM follows f JOIN actors a ON a.id = f.follower_id
         WHERE f.followee_id IN ({}) AND a.ap_id = ${} AND f.state = 'accepted'",
        super::in_list(n),
        n + 1
    );
    Ok(super::fetch_in!(db, (i64,), &sql, followee_ids; follower_ap_id)?.into_iter().map(|(id,)| id).collect())
}
