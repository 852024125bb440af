//! Timelines that hold boosts beside posts (a member's home, an account's statuses): each
//! entry is a post or a boost of one, paged by status id. Posts and boosts share one id
//! counter ([`super::posts::next_status_id`]), so `max_id`/`since_id`/`min_id` page over both.
//! Callers still check that the reader may see each post.

use super::posts::Page;
use super::{Handle, on_db};
use crate::error::Result;
use crate::model::Post;

/// Who boosted a post, how and when.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Boost {
    /// The boost's own status id.
    pub status_id: i64,
    pub booster_id: i64,
    /// The `Announce` activity's id.
    pub activity_ap_id: String,
    pub created_at: i64,
}

/// A timeline entry: a post, or a post as a boost shows it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub post: Post,
    pub boost: Option<Boost>,
}

impl Entry {
    /// The entry's status id: the boost's own, or the post's.
    pub fn id(&self) -> i64 {
        self.boost.as_ref().map_or(self.post.id, |b| b.status_id)
    }
}

impl From<Post> for Entry {
    fn from(post: Post) -> Entry {
        Entry { post, boost: None }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    booster_id: Option<i64>,
    boost_id: Option<i64>,
    boost_uri: Option<String>,
    boosted_at: Option<i64>,
    #[sqlx(flatten)]
    post: Post,
}

impl From<Row> for Entry {
    fn from(row: Row) -> Entry {
        let boost = match (row.boost_id, row.booster_id, row.boost_uri, row.boosted_at) {
            (Some(status_id), Some(booster_id), Some(activity_ap_id), Some(created_at)) => {
                Some(Boost { status_id, booster_id, activity_ap_id, created_at })
            }
            _ => None,
        };
        Entry { post: row.post, boost }
    }
}

const POST_COLUMNS: &str = "p.id, p.ap_id, p.author_id, p.content, p.source, p.summary, p.visibility, p.in_reply_to, p.url, p.published, p.updated, p.deleted_at, p.is_local, p.created_at, p.language";

/// The statement for a page of posts matching any of `posts_where` merged with boosts
/// matching `boosts_where` (`b` is the booster), by entry id. `$1`/`$2` are the page's bounds
/// and `$3` the limit; the conditions use `$4` and on. Each of `posts_where` keeps its posts
/// within the bounds itself (most through [`within_page`]). Each condition, and the boosts, is
/// paged on its own first, so that the database walks an index in the page's order and stops
/// at the limit instead of sorting all the posts a home could show (an `OR` of them would
/// be read whole and sorted: SQLite's multi-index OR).
fn merged(posts_where: &[&str], boosts_where: &str, order: &str) -> String {
    let own: Vec<String> = posts_where
        .iter()
        .enumerate()
        .map(|(n, condition)| {
            format!(
                "SELECT * FROM (
                     SELECT p.id AS entry_id, CAST(NULL AS BIGINT) AS booster_id, CAST(NULL AS BIGINT) AS boost_id,
                            CAST(NULL AS TEXT) AS boost_uri, CAST(NULL AS BIGINT) AS boosted_at, {POST_COLUMNS}
                       FROM posts p WHERE p.deleted_at IS NULL AND ({condition})
                      ORDER BY p.id {order} LIMIT $3
                 ) AS own_{n}"
            )
        })
        .collect();
    format!(
        "SELECT * FROM (
             SELECT * FROM ({}) AS own
             UNION ALL
             SELECT * FROM (
                 SELECT r.status_id AS entry_id, b.id AS booster_id, r.status_id AS boost_id,
                        r.activity_ap_id AS boost_uri, r.created_at AS boosted_at, {POST_COLUMNS}
                   FROM reactions r JOIN posts p ON p.id = r.post_id JOIN actors b ON b.ap_id = r.actor_ap_id
                  WHERE r.status_id < $1 AND r.status_id > $2 AND r.kind = 'announce' AND p.deleted_at IS NULL AND ({boosts_where})
                  ORDER BY r.status_id {order} LIMIT $3
             ) AS boosted
         ) AS entries ORDER BY entry_id {order} LIMIT $3",
        own.join(" UNION ")
    )
}

/// A member's home: their own posts and boosts, those of whom they follow, and posts
/// addressed to them (a post in two of these is shown once).
pub async fn home(db: &mut impl Handle, member_id: i64, member_ap_id: &str, page: Page) -> Result<Vec<Entry>> {
    let (before, after, order) = page.bounds();
    let followed = "SELECT followee_id FROM follows WHERE follower_id = $4 AND state = 'accepted'";
    let of_followed = format!("p.author_id IN ({followed}) AND {}", within_each_followees_page(order));
    let addressed = within_page(&format!(
        "p.id IN (SELECT r.post_id FROM post_recipients r JOIN posts q ON q.id = r.post_id
                   WHERE r.actor_ap_id = $5 AND r.post_id < $1 AND r.post_id > $2 AND q.deleted_at IS NULL
                   ORDER BY r.post_id {order} LIMIT $3)"
    ));
    let own = within_page("p.author_id = $4");
    let sql = merged(&[&own, &of_followed, &addressed], &format!("b.id = $4 OR b.id IN ({followed})"), order);
    let rows = on_db!(db, c => sqlx::query_as::<_, Row>(&sql).bind(before).bind(after).bind(page.limit).bind(member_id).bind(member_ap_id)
        .fetch_all(c).await)?;
    Ok(rows.into_iter().map(Entry::from).collect())
}

/// `condition`, for posts within the page's bounds.
fn within_page(condition: &str) -> String {
    format!("p.id < $1 AND p.id > $2 AND ({condition})")
}

/// The page's bounds for followed posts, drawn in to leave out every followed post that
/// cannot be on the page: each followee's page alone ends at its `$3`-th post, so the page of
/// them all ends no further than the nearest of those ends. The database then reads at most a
/// page per followee (mostly far fewer), found through `posts_author`, instead of every post
/// of them all.
///
/// The drawn-in end replaces the page's own bound on that side rather than standing beside
/// it: SQLite walks an index between one lower and one upper bound, and given two lower bounds
/// it took the page's, reading every followed post (at 100,000 statuses a home took 2 ms in
/// this statement instead of 0.3).
fn within_each_followees_page(order: &str) -> String {
    let (nearest, compare, unbounded, far_side) =
        if order == "DESC" { ("MAX", ">=", "$2 + 1", "p.id < $1") } else { ("MIN", "<=", "$1 - 1", "p.id > $2") };
    format!(
        "{far_side} AND p.id {compare} (SELECT {nearest}(COALESCE((
             SELECT q.id FROM posts q WHERE q.author_id = f.followee_id AND q.id < $1 AND q.id > $2 AND q.deleted_at IS NULL
              ORDER BY q.id {order} LIMIT 1 OFFSET $3 - 1), {unbounded}))
           FROM follows f WHERE f.follower_id = $4 AND f.state = 'accepted')"
    )
}

/// Which of an account's statuses a profile asks for (Mastodon's `exclude_reblogs`,
/// `exclude_replies`, `only_media`; with media there are no boosts, as in Mastodon).
#[derive(Debug, Clone, Copy, Default)]
pub struct AccountFilter {
    pub without_boosts: bool,
    pub without_replies: bool,
    pub only_media: bool,
}

/// What an account shows: its posts and its boosts, as `filter` says.
pub async fn of_account(db: &mut impl Handle, actor_id: i64, filter: AccountFilter, page: Page) -> Result<Vec<Entry>> {
    let (before, after, order) = page.bounds();
    let mut posts = String::from("p.id < $1 AND p.id > $2 AND p.author_id = $4");
    if filter.without_replies {
        posts.push_str(" AND p.in_reply_to IS NULL");
    }
    if filter.only_media {
        posts.push_str(" AND p.id IN (SELECT post_id FROM media WHERE post_id IS NOT NULL)");
    }
    let boosts = if filter.without_boosts || filter.only_media { "FALSE" } else { "b.id = $4" };
    let sql = merged(&[&posts], boosts, order);
    let rows = on_db!(db, c => sqlx::query_as::<_, Row>(&sql).bind(before).bind(after).bind(page.limit).bind(actor_id).fetch_all(c).await)?;
    Ok(rows.into_iter().map(Entry::from).collect())
}

/// The boost with status id `status_id`, as an entry, if there is one.
pub async fn boost(db: &mut impl Handle, status_id: i64) -> Result<Option<Entry>> {
    let sql = merged(&["FALSE"], "r.status_id = $4", "DESC");
    let row =
        on_db!(db, c => sqlx::query_as::<_, Row>(&sql).bind(i64::MAX).bind(0_i64).bind(1_i64).bind(status_id).fetch_optional(c).await)?;
    Ok(row.map(Entry::from))
}

/// `actor_ap_id`'s boost of a post, as an entry, if there is one.
pub async fn boost_by(db: &mut impl Handle, actor_ap_id: &str, post_id: i64) -> Result<Option<Entry>> {
    let sql = merged(&["FALSE"], "r.actor_ap_id = $4 AND r.post_id = $5", "DESC");
    let row = on_db!(db, c => sqlx::query_as::<_, Row>(&sql).bind(i64::MAX).bind(0_i64).bind(1_i64).bind(actor_ap_id).bind(post_id)
        .fetch_optional(c).await)?;
    Ok(row.map(Entry::from))
}
