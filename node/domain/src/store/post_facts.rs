//! What a page of posts shows beside them, read for all its posts in one statement each:
//! reaction counts, replies, mentions, recipients, hashtags, and what one reader did with
//! them (`ops::statuses` and `ops::visibility` put them together).

use super::Handle;
use crate::error::Result;

/// Likes and boosts of each of `post_ids` that has any, as (post, likes, boosts).
pub async fn reaction_counts_of(db: &mut impl Handle, post_ids: &[i64]) -> Result<Vec<(i64, i64, i64)>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT post_id, COALESCE(SUM(CASE WHEN kind = 'like' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN kind = 'announce' THEN 1 ELSE 0 END), 0)
         FROM reactions WHERE post_id IN ({}) GROUP BY post_id",
        super::in_list(post_ids.len())
    );
    Ok(super::fetch_in!(db, (i64, i64, i64), &sql, post_ids)?)
}

/// How many replies (not deleted) each of these posts has, by the post's ActivityPub id.
pub async fn reply_counts(db: &mut impl Handle, ap_ids: &[String]) -> Result<Vec<(String, i64)>> {
    if ap_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT in_reply_to, COUNT(*) FROM posts WHERE in_reply_to IN ({}) AND deleted_at IS NULL GROUP BY in_reply_to",
        super::in_list(ap_ids.len())
    );
    Ok(super::fetch_in!(db, (String, i64), &sql, ap_ids)?)
}

/// A link table's actors or tags of these posts, as (post, value), ordered as the one-post
/// readers order them.
async fn linked(db: &mut impl Handle, table_and_column: (&str, &str), post_ids: &[i64]) -> Result<Vec<(i64, String)>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let (table, column) = table_and_column;
    let sql =
        format!("SELECT post_id, {column} FROM {table} WHERE post_id IN ({}) ORDER BY post_id, {column}", super::in_list(post_ids.len()));
    Ok(super::fetch_in!(db, (i64, String), &sql, post_ids)?)
}

/// The actors each of these posts mentions, as (post, actor).
pub async fn mentions_of(db: &mut impl Handle, post_ids: &[i64]) -> Result<Vec<(i64, String)>> {
    linked(db, ("post_mentions", "actor_ap_id"), post_ids).await
}

/// The actors each of these posts is addressed to, as (post, actor).
pub async fn recipients_of(db: &mut impl Handle, post_ids: &[i64]) -> Result<Vec<(i64, String)>> {
    linked(db, ("post_recipients", "actor_ap_id"), post_ids).await
}

/// The hashtags given beside each of these posts, as (post, tag).
pub async fn tags_of(db: &mut impl Handle, post_ids: &[i64]) -> Result<Vec<(i64, String)>> {
    linked(db, ("post_tags", "tag"), post_ids).await
}

/// What `actor_ap_id` did to these posts, as (post, kind: like or announce).
pub async fn reactions_by(db: &mut impl Handle, post_ids: &[i64], actor_ap_id: &str) -> Result<Vec<(i64, String)>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let n = post_ids.len();
    let sql = format!("SELECT post_id, kind FROM reactions WHERE post_id IN ({}) AND actor_ap_id = ${}", super::in_list(n), n + 1);
    Ok(super::fetch_in!(db, (i64, String), &sql, post_ids; actor_ap_id)?)
}

/// Which of these posts `member_id` bookmarked.
pub async fn bookmarked_among(db: &mut impl Handle, post_ids: &[i64], member_id: i64) -> Result<Vec<i64>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let n = post_ids.len();
    let sql = format!("SELECT post_id FROM bookmarks WHERE post_id IN ({}) AND member_id = ${}", super::in_list(n), n + 1);
    Ok(super::fetch_in!(db, (i64,), &sql, post_ids; member_id)?.into_iter().map(|(id,)| id).collect())
}

/// Which of these posts are offers or needs, events or articles (posts with a form of their
/// own, which a news list leaves out).
pub async fn with_own_form(db: &mut impl Handle, post_ids: &[i64]) -> Result<Vec<i64>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = super::in_list(post_ids.len());
    let sql = format!(
        "SELECT post_id FROM proposals WHERE post_id IN ({list}) UNION SELECT post_id FROM events WHERE post_id IN ({list})
         UNION SELECT post_id FROM articles WHERE post_id IN ({list})"
    );
    Ok(super::fetch_in!(db, (i64,), &sql, post_ids)?.into_iter().map(|(id,)| id).collect())
}
