//! Plain notes from peers stored several at once (group commit, [`super::group_commit`]): one
//! statement per table for the whole batch, so the round trips made while the turn to write
//! is held are shared by every note in it. What one note's path does for one post
//! (`store::posts::insert_if_new`, its activity id, its status id) is done here for many, with
//! the same rows as a result; what goes beside the posts is written by [`super::beside_posts`]
//! for both paths.

use super::{Handle, ROWS_PER_STATEMENT, affected, on_db, value_rows};
use crate::error::Result;
use crate::model::{NewPost, Post};
use crate::now_ms;
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};

/// A note from a peer to store with others, sanitised, with what its one-note path would
/// add beside it.
#[derive(Debug)]
pub struct ReceivedNote {
    pub post: NewPost,
    /// The id of the activity that carried it, remembered with it.
    pub activity_id: Option<String>,
    /// Lowercase, each once.
    pub tags: Vec<String>,
    pub mentions: Vec<String>,
    pub context: Option<String>,
    /// The actors it addresses or mentions, each once: the local members among them are told.
    pub named: Vec<String>,
}

/// What became of one note of a batch.
#[derive(Debug)]
pub enum Arrival {
    /// Stored, its activity id (if any) remembered with it.
    Stored(Box<Post>),
    /// A post with its id was held already (or came twice in the batch); its activity id is
    /// not remembered.
    Held,
    /// Its activity id was remembered before: nothing changed.
    Replayed,
}

/// The answer to one note of a batch: what became of it, or the note itself, handed back
/// when its batch could not be written (it goes alone then).
pub type Answer = std::result::Result<Arrival, ReceivedNote>;

/// How the batches of this process went, for operators and tests.
#[derive(Debug, Default)]
pub struct Tally {
    /// Notes answered by a batch that was written (stored, held or replayed).
    pub answered: AtomicU64,
    /// Batches written.
    pub written: AtomicU64,
    /// Batches that failed and handed their notes back to go alone.
    pub failed: AtomicU64,
}

/// [`Tally`] at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub answered: u64,
    pub written: u64,
    pub failed: u64,
}

impl Tally {
    pub fn now(&self) -> Counts {
        let read = |count: &AtomicU64| count.load(Ordering::Relaxed);
        Counts { answered: read(&self.answered), written: read(&self.written), failed: read(&self.failed) }
    }
}

/// Notes stored in one transaction at most.
pub const MAX_BATCH: usize = 64;

/// Remembers activity ids: the ones that were new (the others were seen before).
pub async fn remember_activities(db: &mut impl Handle, ids: &[&str]) -> Result<HashSet<String>> {
    let mut new = HashSet::new();
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO received_activities (received_at, ap_id) VALUES {} ON CONFLICT DO NOTHING RETURNING ap_id",
            value_rows(chunk.len(), 1, 2, Some("$1"))
        );
        let remembered = on_db!(db, c => {
            let mut query = sqlx::query_scalar::<_, String>(&sql).bind(now_ms());
            for id in chunk {
                query = query.bind(*id);
            }
            query.fetch_all(c).await
        })?;
        new.extend(remembered);
    }
    Ok(new)
}

/// Forgets activity ids remembered in this transaction whose note turned out to be held
/// already: as on one note's path, those are remembered after, by the inbox.
pub async fn forget_activities(db: &mut impl Handle, ids: &[&str]) -> Result<()> {
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let sql = format!("DELETE FROM received_activities WHERE ap_id IN ({})", super::in_list(chunk.len()));
        affected!(db, c => {
            let mut query = sqlx::query(&sql);
            for id in chunk {
                query = query.bind(*id);
            }
            query.execute(c).await
        })?;
    }
    Ok(())
}

/// `count` status ids in a row, from the counter of [`super::posts::next_status_id`] advanced
/// once: the same ids, in the same order, as `count` calls of it.
pub async fn next_status_ids(db: &mut impl Handle, count: usize) -> Result<Vec<i64>> {
    if count == 0 {
        return Ok(vec![]);
    }
    let count = i64::try_from(count).expect("a batch fits an i64");
    let sql = "UPDATE status_counter SET last = CASE WHEN last + $1 > $2 THEN last + $1 ELSE $2 END RETURNING last";
    let last = on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(count).bind((now_ms() << 16) + count - 1).fetch_one(c).await)?;
    Ok((last - count + 1..=last).collect())
}

/// Inserts the posts not held yet (by `ap_id`, also a second copy in the same batch), each
/// with the id beside it: the posts inserted.
pub async fn insert_posts_if_new(db: &mut impl Handle, posts: &[(i64, &NewPost)]) -> Result<Vec<Post>> {
    const COLUMNS: usize = 15;
    let mut inserted = Vec::with_capacity(posts.len());
    let now = now_ms();
    for chunk in posts.chunks(ROWS_PER_STATEMENT / 4) {
        let sql = format!(
            "INSERT INTO posts (id, ap_id, author_id, content, source, summary, visibility, in_reply_to, url, published, updated, is_local, created_at, language, changed_at)
             VALUES {} ON CONFLICT (ap_id) DO NOTHING RETURNING {}",
            value_rows(chunk.len(), COLUMNS, 1, None),
            super::posts::COLUMNS
        );
        let stored = on_db!(db, c => {
            let mut query = sqlx::query_as::<_, Post>(&sql);
            for (id, post) in chunk {
                query = query.bind(*id).bind(&post.ap_id).bind(post.author_id).bind(&post.content).bind(&post.source)
                    .bind(&post.summary).bind(post.visibility.as_str()).bind(&post.in_reply_to).bind(&post.url)
                    .bind(post.published).bind(post.updated).bind(post.is_local).bind(now).bind(&post.language).bind(now);
            }
            query.fetch_all(c).await
        })?;
        inserted.extend(stored);
    }
    Ok(inserted)
}
