//! Posts, their recipients, and the likes and boosts they received.

use super::beside_posts::{self, Beside};
use super::{Handle, affected, on_db};
use crate::error::{DomainError, Result};
use crate::model::{NewPost, Post, PostEdit};
use crate::now_ms;

pub(super) const COLUMNS: &str = "id, ap_id, author_id, content, source, summary, visibility, in_reply_to, url, published, updated, deleted_at, is_local, created_at, language";

/// Stores a post and its recipients. A remote post already known by `ap_id` is left as it is
/// and returned (deliveries can repeat).
pub async fn insert(db: &mut impl Handle, post: &NewPost) -> Result<Post> {
    match insert_if_new(db, post).await? {
        Some(stored) => Ok(stored),
        None => by_ap_id(db, &post.ap_id).await?.ok_or(DomainError::NotFound),
    }
}

/// Inserts a post unless one with its id is there already (also one another request stored a
/// moment ago): `None` then, and nothing is written.
pub async fn insert_if_new(db: &mut impl Handle, post: &NewPost) -> Result<Option<Post>> {
    let id = next_status_id(db).await?;
    let sql = format!(
        "INSERT INTO posts (id, ap_id, author_id, content, source, summary, visibility, in_reply_to, url, published, updated, is_local, created_at, language, changed_at)
         VALUES ($14, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $12)
         ON CONFLICT (ap_id) DO NOTHING RETURNING {COLUMNS}"
    );
    let inserted = on_db!(db, c => sqlx::query_as::<_, Post>(&sql)
        .bind(&post.ap_id).bind(post.author_id).bind(&post.content).bind(&post.source).bind(&post.summary)
        .bind(post.visibility.as_str()).bind(&post.in_reply_to).bind(&post.url).bind(post.published)
        .bind(post.updated).bind(post.is_local).bind(now_ms()).bind(&post.language).bind(id)
        .fetch_optional(c).await)?;
    let Some(stored) = inserted else { return Ok(None) };
    let recipients: Vec<(i64, &str)> = post.recipients.iter().map(|r| (stored.id, r.as_str())).collect();
    beside_posts::add(db, Beside::Recipients, &recipients).await?;
    // A new post has no tags to replace.
    add_tags(db, stored.id, &crate::model::html::hashtags(&stored.content)).await?;
    Ok(Some(stored))
}

/// The next id of a status, a post or a boost: both are paged in one timeline by id, so they
/// share one counter (migrations 0029 and 0047). Ids are time-ordered, as Mastodon's: the time
/// in milliseconds shifted 16 bits, and always past the last id handed out. A post's id is
/// part of the id its peers keep (`/notes/{id}`), and a node brought back from a backup has a
/// counter from the past, but not a clock from the past: it never hands out an id again.
/// The counter is one row: on PostgreSQL a transaction that takes an id holds that row until
/// it ends, so transactions that add statuses take turns there (on SQLite all writers do).
pub async fn next_status_id(db: &mut impl Handle) -> Result<i64> {
    let sql = "UPDATE status_counter SET last = CASE WHEN last + 1 > $1 THEN last + 1 ELSE $1 END RETURNING last";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(now_ms() << 16).fetch_one(c).await)?)
}

/// Sets the id of a local post once its row id is known (ids are built from row ids).
pub async fn set_ap_id(db: &mut impl Handle, id: i64, ap_id: &str, url: &str) -> Result<()> {
    affected!(db, c => sqlx::query("UPDATE posts SET ap_id = $1, url = $2 WHERE id = $3").bind(ap_id).bind(url).bind(id).execute(c).await)?;
    Ok(())
}

pub async fn by_id(db: &mut impl Handle, id: i64) -> Result<Post> {
    let sql = format!("SELECT {COLUMNS} FROM posts WHERE id = $1");
    on_db!(db, c => sqlx::query_as::<_, Post>(&sql).bind(id).fetch_optional(c).await)?.ok_or(DomainError::NotFound)
}

pub async fn by_ap_id(db: &mut impl Handle, ap_id: &str) -> Result<Option<Post>> {
    let sql = format!("SELECT {COLUMNS} FROM posts WHERE ap_id = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, Post>(&sql).bind(ap_id).fetch_optional(c).await)?)
}

pub async fn edit(db: &mut impl Handle, id: i64, edit: &PostEdit) -> Result<()> {
    set_tags(db, id, &edit.content).await?;
    let sql =
        "UPDATE posts SET content = $1, source = $2, summary = $3, updated = $4, changed_at = $5 WHERE id = $6 AND deleted_at IS NULL";
    affected!(db, c => sqlx::query(sql).bind(&edit.content).bind(&edit.source).bind(&edit.summary).bind(edit.updated).bind(now_ms()).bind(id).execute(c).await)?;
    Ok(())
}

/// Marks a post deleted and forgets its text; the row stays so that its id answers 410 Gone.
pub async fn mark_deleted(db: &mut impl Handle, id: i64) -> Result<()> {
    let sql = "UPDATE posts SET deleted_at = $1, changed_at = $1, content = '', source = NULL, summary = NULL WHERE id = $2";
    affected!(db, c => sqlx::query(sql).bind(now_ms()).bind(id).execute(c).await)?;
    affected!(db, c => sqlx::query("DELETE FROM post_recipients WHERE post_id = $1").bind(id).execute(c).await)?;
    Ok(())
}

/// Addresses a post to one more actor (from then on it is delivered to them too).
pub async fn add_recipient(db: &mut impl Handle, post_id: i64, actor_ap_id: &str) -> Result<()> {
    beside_posts::add(db, Beside::Recipients, &[(post_id, actor_ap_id)]).await
}

pub async fn recipients(db: &mut impl Handle, post_id: i64) -> Result<Vec<String>> {
    let sql = "SELECT actor_ap_id FROM post_recipients WHERE post_id = $1 ORDER BY actor_ap_id";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, String>(sql).bind(post_id).fetch_all(c).await)?)
}

/// An author's posts that are not deleted, newest first, whatever their visibility; callers
/// filter by what the reader may see.
pub async fn by_author(db: &mut impl Handle, author_id: i64, limit: i64, offset: i64) -> Result<Vec<Post>> {
    let sql = format!("SELECT {COLUMNS} FROM posts WHERE author_id = $1 AND deleted_at IS NULL ORDER BY id DESC LIMIT $2 OFFSET $3");
    Ok(on_db!(db, c => sqlx::query_as::<_, Post>(&sql).bind(author_id).bind(limit).bind(offset).fetch_all(c).await)?)
}

/// Public posts by an author that are not deleted: what anonymous readers and outboxes show.
pub async fn public_by_author(db: &mut impl Handle, author_id: i64, limit: i64, offset: i64) -> Result<Vec<Post>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM posts WHERE author_id = $1 AND deleted_at IS NULL AND visibility IN ('public', 'unlisted') ORDER BY id DESC LIMIT $2 OFFSET $3"
    );
    Ok(on_db!(db, c => sqlx::query_as::<_, Post>(&sql).bind(author_id).bind(limit).bind(offset).fetch_all(c).await)?)
}

/// Marks that a post's federated form changed without its row changing (an event's
/// participants, a proposal's state): anti-entropy serves it again.
pub async fn touch(db: &mut impl Handle, id: i64) -> Result<()> {
    affected!(db, c => sqlx::query("UPDATE posts SET changed_at = $1 WHERE id = $2").bind(now_ms()).bind(id).execute(c).await)?;
    Ok(())
}

/// A point in the order posts changed in on this node: (changed_at, id).
pub type ChangeMark = (i64, i64);

/// Posts that may be coalition content (a "coalition" post, or a public or unlisted one by an
/// initiative), deleted ones included, that changed after `mark`, in the order they changed;
/// the caller keeps those of one coalition.
pub async fn coalition_changes_after(db: &mut impl Handle, mark: ChangeMark, limit: i64) -> Result<Vec<(ChangeMark, Post)>> {
    #[derive(sqlx::FromRow)]
    struct Changed {
        changed_at: i64,
        #[sqlx(flatten)]
        post: Post,
    }
    let sql = format!(
        "SELECT changed_at, {COLUMNS} FROM posts WHERE (changed_at > $1 OR (changed_at = $1 AND id > $2))
           AND (visibility = 'coalition'
                OR (visibility IN ('public', 'unlisted') AND author_id IN (SELECT id FROM actors WHERE kind = 'group')))
         ORDER BY changed_at, id LIMIT $3"
    );
    let rows = on_db!(db, c => sqlx::query_as::<_, Changed>(&sql).bind(mark.0).bind(mark.1).bind(limit).fetch_all(c).await)?;
    Ok(rows.into_iter().map(|row| ((row.changed_at, row.post.id), row.post)).collect())
}

/// Keeps a post's object as it came, with its integrity proof (the latest version).
pub async fn keep_original(db: &mut impl Handle, post_id: i64, raw: &str) -> Result<()> {
    let sql = "INSERT INTO post_originals (post_id, raw) VALUES ($1, $2) ON CONFLICT (post_id) DO UPDATE SET raw = excluded.raw";
    affected!(db, c => sqlx::query(sql).bind(post_id).bind(raw).execute(c).await)?;
    Ok(())
}

/// Forgets a post's kept object (a deletion that came without a signed tombstone).
pub async fn forget_original(db: &mut impl Handle, post_id: i64) -> Result<()> {
    affected!(db, c => sqlx::query("DELETE FROM post_originals WHERE post_id = $1").bind(post_id).execute(c).await)?;
    Ok(())
}

/// A post's object as it came, if it was kept.
pub async fn original_of(db: &mut impl Handle, post_id: i64) -> Result<Option<String>> {
    let sql = "SELECT raw FROM post_originals WHERE post_id = $1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, String>(sql).bind(post_id).fetch_optional(c).await)?)
}

pub async fn count_public_by_author(db: &mut impl Handle, author_id: i64) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM posts WHERE author_id = $1 AND deleted_at IS NULL AND visibility IN ('public', 'unlisted')";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(author_id).fetch_one(c).await)?)
}

pub async fn replies_to(db: &mut impl Handle, ap_id: &str) -> Result<Vec<Post>> {
    let sql = format!("SELECT {COLUMNS} FROM posts WHERE in_reply_to = $1 AND deleted_at IS NULL ORDER BY id");
    Ok(on_db!(db, c => sqlx::query_as::<_, Post>(&sql).bind(ap_id).fetch_all(c).await)?)
}

/// Records a like or boost; a repeat of the same (kind, actor, post) is ignored. A boost gets
/// a status id of its own (it is a status in timelines). Returns whether it was new.
pub async fn add_reaction(db: &mut impl Handle, kind: &str, activity_ap_id: &str, actor_ap_id: &str, post_id: i64) -> Result<bool> {
    let status_id = if kind == "announce" { Some(next_status_id(db).await?) } else { None };
    let sql = "INSERT INTO reactions (kind, activity_ap_id, actor_ap_id, post_id, created_at, status_id) VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT DO NOTHING";
    let done = affected!(db, c => sqlx::query(sql).bind(kind).bind(activity_ap_id).bind(actor_ap_id).bind(post_id).bind(now_ms()).bind(status_id)
        .execute(c).await)?;
    Ok(done > 0)
}

/// Removes the reaction that `activity_ap_id` created, if `actor_ap_id` made it.
pub async fn remove_reaction(db: &mut impl Handle, activity_ap_id: &str, actor_ap_id: &str) -> Result<bool> {
    let sql = "DELETE FROM reactions WHERE activity_ap_id = $1 AND actor_ap_id = $2";
    let done = affected!(db, c => sqlx::query(sql).bind(activity_ap_id).bind(actor_ap_id).execute(c).await)?;
    Ok(done > 0)
}

/// The ids of the actors known here who reacted to a post with `kind`, latest first.
pub async fn reactors(db: &mut impl Handle, post_id: i64, kind: &str, limit: i64) -> Result<Vec<i64>> {
    let sql = "SELECT a.id FROM reactions r JOIN actors a ON a.ap_id = r.actor_ap_id WHERE r.post_id = $1 AND r.kind = $2
               ORDER BY r.id DESC LIMIT $3";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(post_id).bind(kind).bind(limit).fetch_all(c).await)?)
}

/// (likes, boosts) of a post.
pub async fn reaction_counts(db: &mut impl Handle, post_id: i64) -> Result<(i64, i64)> {
    let sql = "SELECT COALESCE(SUM(CASE WHEN kind = 'like' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN kind = 'announce' THEN 1 ELSE 0 END), 0) FROM reactions WHERE post_id = $1";
    Ok(on_db!(db, c => sqlx::query_as::<_, (i64, i64)>(sql).bind(post_id).fetch_one(c).await)?)
}

/// The newest public posts this node holds, its own and those it received, with their authors.
pub async fn recent_public(db: &mut impl Handle, limit: i64) -> Result<Vec<Post>> {
    let sql =
        format!("SELECT {COLUMNS} FROM posts WHERE visibility = 'public' AND deleted_at IS NULL ORDER BY published DESC, id DESC LIMIT $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, Post>(&sql).bind(limit).fetch_all(c).await)?)
}

/// A page of a timeline: posts with ids in `(after, before)`, newest first, or oldest first
/// when `oldest_first` (Mastodon's `min_id`).
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub before: Option<i64>,
    pub after: Option<i64>,
    pub oldest_first: bool,
    pub limit: i64,
}

impl Page {
    /// The ids the page lies strictly between, and its order. The bounds are kept one short of
    /// the integer's ends (no status has those ids), so a statement may step one past them.
    pub(crate) fn bounds(&self) -> (i64, i64, &'static str) {
        let before = self.before.unwrap_or(i64::MAX).max(i64::MIN + 1);
        let after = self.after.unwrap_or(0).min(i64::MAX - 1);
        (before, after, if self.oldest_first { "ASC" } else { "DESC" })
    }
}

/// Public posts, of this node only when `local_only`. The conditions are written as the
/// public posts' indexes name them (migration 0050), so that the walk passes no other post.
pub async fn public_timeline(db: &mut impl Handle, local_only: bool, page: Page) -> Result<Vec<Post>> {
    let (before, after, order) = page.bounds();
    let of_this_node = if local_only { "AND is_local" } else { "" };
    let sql = format!(
        "SELECT {COLUMNS} FROM posts WHERE visibility = 'public' AND deleted_at IS NULL {of_this_node} AND id < $1 AND id > $2
         ORDER BY id {order} LIMIT $3"
    );
    Ok(on_db!(db, c => sqlx::query_as::<_, Post>(&sql).bind(before).bind(after).bind(page.limit).fetch_all(c).await)?)
}

/// How many posts this node's people have written (not deleted).
pub async fn count_local(db: &mut impl Handle) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM posts WHERE is_local AND deleted_at IS NULL";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).fetch_one(c).await)?)
}

/// An author's posts in a timeline page (the caller checks visibility).
pub async fn by_author_page(db: &mut impl Handle, author_id: i64, page: Page) -> Result<Vec<Post>> {
    let (before, after, order) = page.bounds();
    let sql = format!(
        "SELECT {COLUMNS} FROM posts WHERE deleted_at IS NULL AND id < $1 AND id > $2 AND author_id = $3 ORDER BY id {order} LIMIT $4"
    );
    Ok(on_db!(db, c => sqlx::query_as::<_, Post>(&sql).bind(before).bind(after).bind(author_id).bind(page.limit).fetch_all(c).await)?)
}

/// The activity id of `actor_ap_id`'s reaction of `kind` to a post, if any.
pub async fn reaction_of(db: &mut impl Handle, kind: &str, actor_ap_id: &str, post_id: i64) -> Result<Option<String>> {
    let sql = "SELECT activity_ap_id FROM reactions WHERE kind = $1 AND actor_ap_id = $2 AND post_id = $3";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, String>(sql).bind(kind).bind(actor_ap_id).bind(post_id).fetch_optional(c).await)?)
}

pub async fn set_bookmark(db: &mut impl Handle, member_id: i64, post_id: i64, on: bool) -> Result<()> {
    if on {
        let sql = "INSERT INTO bookmarks (member_id, post_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
        affected!(db, c => sqlx::query(sql).bind(member_id).bind(post_id).bind(now_ms()).execute(c).await)?;
    } else {
        affected!(db, c => sqlx::query("DELETE FROM bookmarks WHERE member_id = $1 AND post_id = $2").bind(member_id).bind(post_id).execute(c).await)?;
    }
    Ok(())
}

/// A member's bookmarked posts in a page (by post id).
pub async fn bookmarked(db: &mut impl Handle, member_id: i64, page: Page) -> Result<Vec<Post>> {
    let (before, after, order) = page.bounds();
    let sql = format!(
        "SELECT {} FROM posts p JOIN bookmarks b ON b.post_id = p.id WHERE b.member_id = $1 AND p.id < $2 AND p.id > $3 AND p.deleted_at IS NULL ORDER BY p.id {order} LIMIT $4",
        COLUMNS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ")
    );
    Ok(on_db!(db, c => sqlx::query_as::<_, Post>(&sql).bind(member_id).bind(before).bind(after).bind(page.limit).fetch_all(c).await)?)
}

/// Posts `actor_ap_id` liked, in a page (by post id).
pub async fn liked(db: &mut impl Handle, actor_ap_id: &str, page: Page) -> Result<Vec<Post>> {
    let (before, after, order) = page.bounds();
    let sql = format!(
        "SELECT {} FROM posts p JOIN reactions r ON r.post_id = p.id WHERE r.kind = 'like' AND r.actor_ap_id = $1 AND p.id < $2 AND p.id > $3 AND p.deleted_at IS NULL ORDER BY p.id {order} LIMIT $4",
        COLUMNS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ")
    );
    Ok(on_db!(db, c => sqlx::query_as::<_, Post>(&sql).bind(actor_ap_id).bind(before).bind(after).bind(page.limit).fetch_all(c).await)?)
}

/// Records the hashtags of a post's text (for tag timelines), replacing earlier ones.
pub async fn set_tags(db: &mut impl Handle, post_id: i64, content: &str) -> Result<()> {
    affected!(db, c => sqlx::query("DELETE FROM post_tags WHERE post_id = $1").bind(post_id).execute(c).await)?;
    add_tags(db, post_id, &crate::model::html::hashtags(content)).await
}

/// Adds hashtags a peer gave a post beside its text (its `Hashtag` tags), or those of its
/// text: the first [`beside_posts::TAGS_KEPT`] of them.
pub async fn add_tags(db: &mut impl Handle, post_id: i64, tags: &[String]) -> Result<()> {
    let lowercase: Vec<String> = tags.iter().take(beside_posts::TAGS_KEPT).map(|t| t.to_lowercase()).collect();
    let rows: Vec<(i64, &str)> = lowercase.iter().map(|t| (post_id, t.as_str())).collect();
    beside_posts::add(db, Beside::Tags, &rows).await
}

/// The hashtags of a post, in the order of their names.
pub async fn tags(db: &mut impl Handle, post_id: i64) -> Result<Vec<String>> {
    let sql = "SELECT tag FROM post_tags WHERE post_id = $1 ORDER BY tag";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, String>(sql).bind(post_id).fetch_all(c).await)?)
}

/// Records the actors a post mentions: the first [`beside_posts::MENTIONS_KEPT`].
pub async fn add_mentions(db: &mut impl Handle, post_id: i64, actor_ap_ids: &[String]) -> Result<()> {
    let rows: Vec<(i64, &str)> = actor_ap_ids.iter().take(beside_posts::MENTIONS_KEPT).map(|a| (post_id, a.as_str())).collect();
    beside_posts::add(db, Beside::Mentions, &rows).await
}

/// The actors a post mentions.
pub async fn mentions(db: &mut impl Handle, post_id: i64) -> Result<Vec<String>> {
    let sql = "SELECT actor_ap_id FROM post_mentions WHERE post_id = $1 ORDER BY actor_ap_id";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, String>(sql).bind(post_id).fetch_all(c).await)?)
}

/// Records the conversation (FEP-7888 `context`) a post belongs to.
pub async fn set_context(db: &mut impl Handle, post_id: i64, context: &str) -> Result<()> {
    beside_posts::add(db, Beside::Contexts, &[(post_id, context)]).await
}

/// The conversation a post belongs to, if known.
pub async fn context_of(db: &mut impl Handle, post_id: i64) -> Result<Option<String>> {
    let sql = "SELECT context FROM post_contexts WHERE post_id = $1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, String>(sql).bind(post_id).fetch_optional(c).await)?)
}

/// Public posts with a hashtag, in a page (paged and ordered by the tag index's post id, so
/// that the database walks that index and stops at the limit).
pub async fn tagged(db: &mut impl Handle, tag: &str, local_only: bool, page: Page) -> Result<Vec<Post>> {
    let (before, after, order) = page.bounds();
    let sql = format!(
        "SELECT {} FROM posts p JOIN post_tags t ON t.post_id = p.id WHERE t.tag = $1 AND t.post_id < $2 AND t.post_id > $3 AND p.deleted_at IS NULL
           AND p.visibility = 'public' AND (p.is_local OR NOT $4) ORDER BY t.post_id {order} LIMIT $5",
        COLUMNS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ")
    );
    Ok(on_db!(db, c => sqlx::query_as::<_, Post>(&sql).bind(tag.to_lowercase()).bind(before).bind(after).bind(local_only).bind(page.limit)
        .fetch_all(c).await)?)
}

/// The newest status id (post or boost) and the newest notification id of `recipient_id`, in
/// one query: a streaming connection looks here every second and does more only when one moved.
pub async fn latest_ids(db: &mut impl Handle, recipient_id: i64) -> Result<(i64, i64)> {
    let sql = "SELECT (SELECT last FROM status_counter), (SELECT MAX(id) FROM notifications WHERE recipient_id = $1)";
    let (posts, notifications) =
        on_db!(db, c => sqlx::query_as::<_, (Option<i64>, Option<i64>)>(sql).bind(recipient_id).fetch_one(c).await)?;
    Ok((posts.unwrap_or(0), notifications.unwrap_or(0)))
}

/// The highest status id so far, of a post or a boost (0 when there are none): where a live
/// stream starts.
pub async fn max_id(db: &mut impl Handle) -> Result<i64> {
    Ok(on_db!(db, c => sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(last) FROM status_counter").fetch_one(c).await)?.unwrap_or(0))
}

/// Direct messages between two actors, either way, oldest first (the newest `limit`).
pub async fn direct_between(db: &mut impl Handle, a_id: i64, a_ap_id: &str, b_id: i64, b_ap_id: &str, limit: i64) -> Result<Vec<Post>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM (SELECT {COLUMNS} FROM posts p WHERE p.visibility = 'direct' AND p.deleted_at IS NULL AND (
             (p.author_id = $1 AND EXISTS (SELECT 1 FROM post_recipients r WHERE r.post_id = p.id AND r.actor_ap_id = $4))
          OR (p.author_id = $3 AND EXISTS (SELECT 1 FROM post_recipients r WHERE r.post_id = p.id AND r.actor_ap_id = $2)))
         ORDER BY p.id DESC LIMIT $5) newest ORDER BY id"
    );
    Ok(on_db!(db, c => sqlx::query_as::<_, Post>(&sql).bind(a_id).bind(a_ap_id).bind(b_id).bind(b_ap_id).bind(limit).fetch_all(c).await)?)
}

/// The actors a member has direct messages with, by the newest message: (actor id, newest post id).
pub async fn direct_partners(db: &mut impl Handle, member_id: i64, member_ap_id: &str) -> Result<Vec<(i64, i64)>> {
    let sql = "SELECT other_id, MAX(post_id) AS newest FROM (
                   SELECT a.id AS other_id, p.id AS post_id FROM posts p
                     JOIN post_recipients r ON r.post_id = p.id JOIN actors a ON a.ap_id = r.actor_ap_id
                    WHERE p.author_id = $1 AND p.visibility = 'direct' AND p.deleted_at IS NULL
                   UNION ALL
                   SELECT p.author_id AS other_id, p.id AS post_id FROM posts p
                     JOIN post_recipients r ON r.post_id = p.id
                    WHERE r.actor_ap_id = $2 AND p.visibility = 'direct' AND p.deleted_at IS NULL
               ) both_ways WHERE other_id <> $1 GROUP BY other_id ORDER BY newest DESC LIMIT 100";
    Ok(on_db!(db, c => sqlx::query_as::<_, (i64, i64)>(sql).bind(member_id).bind(member_ap_id).fetch_all(c).await)?)
}

/// Marks every post of an author deleted (their account goes); returns how many.
pub async fn mark_all_deleted_of(db: &mut impl Handle, author_id: i64, now: i64) -> Result<u64> {
    let sql = "UPDATE posts SET deleted_at = $1, changed_at = $1 WHERE author_id = $2 AND deleted_at IS NULL";
    Ok(affected!(db, c => sqlx::query(sql).bind(now).bind(author_id).execute(c).await)?)
}

/// The posts with these ActivityPub ids that this node holds (a page's parents).
pub async fn by_ap_ids(db: &mut impl Handle, ap_ids: &[String]) -> Result<Vec<Post>> {
    if ap_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {COLUMNS} FROM posts WHERE ap_id IN ({})", super::in_list(ap_ids.len()));
    Ok(super::fetch_in!(db, Post, &sql, ap_ids)?)
}

/// The posts with these ids that exist.
pub async fn by_ids(db: &mut impl Handle, ids: &[i64]) -> Result<Vec<Post>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {COLUMNS} FROM posts WHERE id IN ({})", super::in_list(ids.len()));
    Ok(super::fetch_in!(db, Post, &sql, ids)?)
}
