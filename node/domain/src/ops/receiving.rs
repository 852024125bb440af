//! Plain notes from peers stored together (group commit, issue 18). A note with nothing
//! beside it but tags, mentions and its conversation waits in the store's queue
//! (`store::group_commit`); whichever request gets the queue's turn stores every note waiting
//! in one transaction, one statement per table. The rows are those of one note's path
//! (`ops::posts`), and so are the answers: stored with its activity id remembered, held
//! already, or a replay. A batch that fails hands every note back to go alone, so one bad
//! note fails only itself.

use super::posts::{KIND_MENTION, RemoteExtras};
use crate::error::{DomainError, Result};
use crate::model::{NewPost, Visibility, html};
use crate::store::beside_posts::{self, Beside, MENTIONS_KEPT, TAGS_KEPT};
use crate::store::group_commit::Next;
use crate::store::received::{self, Answer, Arrival, ReceivedNote};
use crate::store::{self, Store};
use std::collections::{HashMap, HashSet};

/// Whether a received note may be stored with others: nothing beside it that its one-note
/// path would apply statement by statement (an event, article, offer or need, pictures, a
/// signed original for the coalition's replicas).
pub(super) fn is_plain(extras: &RemoteExtras) -> bool {
    extras.event.is_none()
        && extras.article.is_none()
        && extras.proposal.is_none()
        && extras.attachments.is_empty()
        && extras.original.is_none()
}

/// A sanitised plain note and what goes beside it, as its one-note path would store them.
pub(super) fn note(post: NewPost, extras: &RemoteExtras, activity_id: Option<&str>) -> ReceivedNote {
    let mut tags: Vec<String> = html::hashtags(&post.content)
        .into_iter()
        .take(TAGS_KEPT)
        .chain(extras.hashtags.iter().take(TAGS_KEPT).cloned())
        .map(|t| t.to_lowercase())
        .collect();
    tags.sort();
    tags.dedup();
    let mut mentions: Vec<String> = extras.mentions.iter().take(MENTIONS_KEPT).cloned().collect();
    mentions.sort();
    mentions.dedup();
    let mut named: Vec<String> = post.recipients.iter().chain(&extras.mentions).cloned().collect();
    named.sort();
    named.dedup();
    ReceivedNote { post, activity_id: activity_id.map(String::from), tags, mentions, context: extras.context.clone(), named }
}

/// Stores `note` with whatever else waits. `Err` gives the note back when its batch could
/// not be written: it goes alone then.
pub(super) async fn store_together(store: &Store, note: ReceivedNote) -> Result<Answer> {
    let queue = store.received_notes();
    let mut ticket = queue.enqueue(note);
    loop {
        match queue.next(&mut ticket).await {
            Next::Answered(answer) => {
                let stopped = || DomainError::Internal("the request storing this note stopped before it answered".into());
                return answer.ok_or_else(stopped);
            }
            Next::Lead(mut batch) => {
                let (notes, answers) = batch.take();
                let store = store.clone();
                // In a task of its own: were this request dropped half-way (a client that
                // hangs up), the batch is still written and every note in it answered.
                let _ = tokio::spawn(async move { answers.send(write_batch(&store, notes).await) }).await;
            }
        }
    }
}

async fn write_batch(store: &Store, notes: Vec<ReceivedNote>) -> Vec<Answer> {
    use std::sync::atomic::Ordering::Relaxed;
    match try_write(store, &notes).await {
        Ok(arrivals) => {
            store.count_received().answered.fetch_add(arrivals.len() as u64, Relaxed);
            store.count_received().written.fetch_add(1, Relaxed);
            arrivals.into_iter().map(Ok).collect()
        }
        Err(error) => {
            store.count_received().failed.fetch_add(1, Relaxed);
            tracing::info!(%error, count = notes.len(), "a batch of received notes failed; each goes alone");
            notes.into_iter().map(Err).collect()
        }
    }
}

/// One transaction for the whole batch; the arrivals in the notes' order.
async fn try_write(store: &Store, notes: &[ReceivedNote]) -> Result<Vec<Arrival>> {
    let mut tx = store.begin().await?;
    let fresh = not_replayed(&mut tx, notes).await?;
    let ids = received::next_status_ids(&mut tx, fresh.len()).await?;
    let rows: Vec<(i64, &NewPost)> = ids.iter().zip(&fresh).map(|(&id, &at)| (id, &notes[at].post)).collect();
    let mut stored: HashMap<i64, _> = received::insert_posts_if_new(&mut tx, &rows).await?.into_iter().map(|p| (p.id, p)).collect();
    let mut arrivals: Vec<Arrival> = notes.iter().map(|_| Arrival::Replayed).collect();
    let mut held_ids = Vec::new();
    for (id, &at) in ids.iter().zip(&fresh) {
        match stored.remove(id) {
            Some(post) => arrivals[at] = Arrival::Stored(Box::new(post)),
            None => {
                arrivals[at] = Arrival::Held;
                held_ids.extend(notes[at].activity_id.as_deref());
            }
        }
    }
    received::forget_activities(&mut tx, &held_ids).await?;
    add_beside(&mut tx, notes, &arrivals).await?;
    announce_in_replicas(&mut tx, &arrivals).await?;
    tx.commit().await?;
    Ok(arrivals)
}

/// The stored public posts of initiatives, announced by the coalition replicas hosted here
/// that count them as members (`ops::coalitions::announce_in_replicas`); one read tells
/// whose posts those may be.
async fn announce_in_replicas(tx: &mut store::Tx, arrivals: &[Arrival]) -> Result<()> {
    let stored = || {
        arrivals.iter().filter_map(|arrival| match arrival {
            Arrival::Stored(post) if matches!(post.visibility, Visibility::Public | Visibility::Unlisted) => Some(post),
            _ => None,
        })
    };
    let mut authors: Vec<i64> = stored().map(|post| post.author_id).collect();
    authors.sort();
    authors.dedup();
    let groups = store::actors::groups_among(tx, &authors).await?;
    for post in stored().filter(|post| groups.contains(&post.author_id)) {
        super::coalitions::announce_in_replicas(tx, post).await?;
    }
    Ok(())
}

/// The places of the notes to store: each whose activity id was not remembered before (and
/// remembered now), the first of two with the same id, and those without one.
async fn not_replayed(tx: &mut store::Tx, notes: &[ReceivedNote]) -> Result<Vec<usize>> {
    let mut ids: Vec<&str> = notes.iter().filter_map(|note| note.activity_id.as_deref()).collect();
    // In one order for every batch, so two processes on one PostgreSQL never wait on each
    // other's ids crosswise (a deadlock).
    ids.sort_unstable();
    ids.dedup();
    let mut new = if ids.is_empty() { HashSet::new() } else { received::remember_activities(tx, &ids).await? };
    Ok((0..notes.len()).filter(|&at| notes[at].activity_id.as_ref().is_none_or(|id| new.remove(id))).collect())
}

/// Recipients, tags, mentions, conversations and notifications of the stored notes.
async fn add_beside(tx: &mut store::Tx, notes: &[ReceivedNote], arrivals: &[Arrival]) -> Result<()> {
    let stored: Vec<(i64, i64, &ReceivedNote)> = notes
        .iter()
        .zip(arrivals)
        .filter_map(|(note, arrival)| match arrival {
            Arrival::Stored(post) => Some((post.id, post.author_id, note)),
            _ => None,
        })
        .collect();
    let recipients = pairs(&stored, |note| note.post.recipients.iter().map(String::as_str).collect());
    beside_posts::add(tx, Beside::Recipients, &recipients).await?;
    beside_posts::add(tx, Beside::Tags, &pairs(&stored, |note| note.tags.iter().map(String::as_str).collect())).await?;
    beside_posts::add(tx, Beside::Mentions, &pairs(&stored, |note| note.mentions.iter().map(String::as_str).collect())).await?;
    beside_posts::add(tx, Beside::Contexts, &pairs(&stored, |note| note.context.as_deref().into_iter().collect())).await?;
    let named: Vec<(i64, i64, &str)> =
        stored.iter().flat_map(|(id, author, note)| note.named.iter().map(move |ap_id| (*id, *author, ap_id.as_str()))).collect();
    beside_posts::notify_named(tx, KIND_MENTION, &named).await
}

/// `(post id, value)` for each value of each stored note.
fn pairs<'n>(stored: &[(i64, i64, &'n ReceivedNote)], values: impl Fn(&'n ReceivedNote) -> Vec<&'n str>) -> Vec<(i64, &'n str)> {
    stored.iter().flat_map(|&(id, _, note)| values(note).into_iter().map(move |value| (id, value))).collect()
}
