//! The replay memory of a `Create` whose note is stored: its activity id is remembered in the
//! note's own transaction (`ops::posts::receive_activity`), not in a write of its own before
//! the activity is applied. The inbox leaves the id here for the request's task
//! ([`scope`]); the verb that stores the note takes it ([`receive`]) and says how it went.
//! Of two copies at once, the remembered id's unique key lets one store the note; the other
//! ends as a duplicate. Whatever did not take the id (an ignored note, one held already, an
//! error) leaves it to the inbox to remember afterwards, as for every other activity.

use crate::error::Result;
use crate::state::Context;
use buurtnet_domain::model::{NewPost, Post};
use buurtnet_domain::ops::{self, posts::Receipt, posts::RemoteExtras};
use std::cell::Cell;
use std::future::Future;

/// What became of the id left for the request's note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Memory {
    /// Nothing took it: the inbox remembers it (or not) as for any activity.
    Left,
    /// Remembered with the note it carried.
    Remembered,
    /// Remembered before: a replay, or a copy that came at the same time. Nothing changed.
    Replayed,
}

struct Pending {
    activity_id: String,
    memory: Cell<Memory>,
}

tokio::task_local! {
    static PENDING: Pending;
}

/// Whether the activity is a `Create` of a note carried in it: what `activities::dispatch`
/// gives to the verb that takes the id (a `Patch` or an `EconomicEvent` go elsewhere, and an
/// object named by id is fetched, which a replay must not cause).
pub fn is_left_to_the_note(document: &serde_json::Value) -> bool {
    const NOTE_LIKE: [&str; 5] = ["Note", "Article", "Question", "Event", "Page"];
    document["type"].as_str() == Some("Create") && document["object"]["type"].as_str().is_some_and(|kind| NOTE_LIKE.contains(&kind))
}

/// Runs `work` (the activity's verb) with `activity_id` left for its note; gives its result
/// and what became of the id.
pub async fn scope<F: Future>(activity_id: &str, work: F) -> (F::Output, Memory) {
    let pending = Pending { activity_id: activity_id.to_string(), memory: Cell::new(Memory::Left) };
    PENDING
        .scope(pending, async {
            let output = work.await;
            (output, PENDING.with(|p| p.memory.get()))
        })
        .await
}

/// Stores a received note (`ops::posts::receive`), remembering the activity id left for it,
/// if any, in the same transaction. `None` when that id was remembered before: nothing was
/// stored.
pub async fn receive(context: &Context, post: NewPost, extras: &RemoteExtras) -> Result<Option<Post>> {
    let left = PENDING.try_with(|p| (p.memory.get() == Memory::Left).then(|| p.activity_id.clone())).ok().flatten();
    let Some(activity_id) = left else {
        return Ok(Some(ops::posts::receive(&context.store, post, extras).await?));
    };
    let (memory, stored) = match ops::posts::receive_activity(&context.store, post, extras, &activity_id).await? {
        Receipt::Stored(post) => (Memory::Remembered, Some(post)),
        Receipt::Held(post) => (Memory::Left, Some(post)),
        Receipt::Replayed => (Memory::Replayed, None),
    };
    PENDING.with(|p| p.memory.set(memory));
    Ok(stored)
}
