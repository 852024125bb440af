//! What a page of posts shows beside them, read for all its posts at once: mentions,
//! hashtags, reaction counts and what one reader did with them in one statement
//! ([`beside`]), replies and recipients in one each, and which posts have a form of their own
//! (`ops::statuses`, `ops::visibility` and `ops::browse` put them together).

use super::Handle;
use crate::error::Result;

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

/// The actors each of these posts is addressed to, as (post, actor), ordered as the one-post
/// reader orders them.
pub async fn recipients_of(db: &mut impl Handle, post_ids: &[i64]) -> Result<Vec<(i64, String)>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT post_id, actor_ap_id FROM post_recipients WHERE post_id IN ({}) ORDER BY post_id, actor_ap_id",
        super::in_list(post_ids.len())
    );
    Ok(super::fetch_in!(db, (i64, String), &sql, post_ids)?)
}

/// What the link and reaction tables hold for a page of posts, read in one statement
/// (one trip to the database's thread instead of five).
#[derive(Debug, Default)]
pub struct Beside {
    /// The actors each post mentions, as (post, actor), ordered by post and actor.
    pub mentions: Vec<(i64, String)>,
    /// The hashtags given beside each post, as (post, tag), ordered by post and tag.
    pub tags: Vec<(i64, String)>,
    /// How often each post was reacted to, as (post, kind, count).
    pub reactions: Vec<(i64, String, i64)>,
    /// What the reader did to each post, as (post, kind: like or announce).
    pub by_reader: Vec<(i64, String)>,
    /// The posts the reader bookmarked.
    pub bookmarked: Vec<i64>,
}

/// The rows of [`Beside`] for `post_ids`, and for `reader` (the ActivityPub id and the member
/// id of who reads) what they did with them.
pub async fn beside(db: &mut impl Handle, post_ids: &[i64], reader: Option<(&str, i64)>) -> Result<Beside> {
    if post_ids.is_empty() {
        return Ok(Beside::default());
    }
    let (list, n) = (super::in_list(post_ids.len()), post_ids.len());
    let mut sql = format!(
        "SELECT 'mention', post_id, actor_ap_id, CAST(0 AS BIGINT) FROM post_mentions WHERE post_id IN ({list})
         UNION ALL SELECT 'tag', post_id, tag, CAST(0 AS BIGINT) FROM post_tags WHERE post_id IN ({list})
         UNION ALL SELECT 'count', post_id, kind, COUNT(*) FROM reactions WHERE post_id IN ({list}) GROUP BY post_id, kind"
    );
    if reader.is_some() {
        sql.push_str(&format!(
            " UNION ALL SELECT 'mine', post_id, kind, CAST(0 AS BIGINT) FROM reactions WHERE post_id IN ({list}) AND actor_ap_id = ${}
              UNION ALL SELECT 'bookmark', post_id, '', CAST(0 AS BIGINT) FROM bookmarks WHERE post_id IN ({list}) AND member_id = ${}",
            n + 1,
            n + 2
        ));
    }
    sql.push_str(" ORDER BY 1, 2, 3");
    let rows: Vec<(String, i64, String, i64)> = match reader {
        Some((ap_id, member)) => super::fetch_in!(db, (String, i64, String, i64), &sql, post_ids; ap_id; member)?,
        None => super::fetch_in!(db, (String, i64, String, i64), &sql, post_ids)?,
    };
    let mut beside = Beside::default();
    for (what, post, value, count) in rows {
        match what.as_str() {
            "mention" => beside.mentions.push((post, value)),
            "tag" => beside.tags.push((post, value)),
            "count" => beside.reactions.push((post, value, count)),
            "mine" => beside.by_reader.push((post, value)),
            _ => beside.bookmarked.push(post),
        }
    }
    Ok(beside)
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
