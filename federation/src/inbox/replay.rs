//! The replay memory of a `Create` whose note is stored: its activity id is remembered in the
//! note's own transaction (`ops::posts::receive_activity`), not in a write of its own before
//! the activity is applied. The inbox hands the id to the verb as a [`LeftId`] (through
//! `activities::dispatch`); the verb that stores the note takes it ([`receive`]) and says how
//! it went.
//! Of two copies at once, the remembered id's unique key lets one store the note; the other
//! ends as a duplicate. Whatever did not take the id (an ignored note, one held already, an
//! error) leaves it to the inbox to remember afterwards, as for every other activity.

use crate::error::Result;
use crate::protocol::activities::{ActivityJson, Verb};
use crate::protocol::outgoing::Kind;
use crate::state::Context;
use buurtnet_domain::model::{NewPost, Post};
use buurtnet_domain::ops::{self, posts::Receipt, posts::RemoteExtras};
use std::sync::Mutex;

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

/// An activity's id left for its note to remember, and what became of it.
pub struct LeftId {
    activity_id: String,
    memory: Mutex<Memory>,
}

impl LeftId {
    pub fn new(activity_id: &str) -> LeftId {
        LeftId { activity_id: activity_id.to_string(), memory: Mutex::new(Memory::Left) }
    }

    /// What became of the id once the verb is done.
    pub fn memory(&self) -> Memory {
        *self.memory.lock().expect("replay memory")
    }

    fn set(&self, memory: Memory) {
        *self.memory.lock().expect("replay memory") = memory;
    }
}

/// Whether the activity is a `Create` of a note carried in it: what `activities::dispatch`
/// gives to the verb that takes the id (a `Patch` or an `EconomicEvent` go elsewhere, and an
/// object named by id is fetched, which a replay must not cause).
pub fn is_left_to_the_note(activity: &ActivityJson) -> bool {
    const NOTE_LIKE: [&str; 5] = ["Note", "Article", "Question", "Event", "Page"];
    activity.kind == Verb::Known(Kind::Create) && activity.object_type().is_some_and(|kind| NOTE_LIKE.contains(&kind))
}

/// Stores a received note (`ops::posts::receive`), remembering the activity id left for it,
/// if any, in the same transaction. `None` when that id was remembered before: nothing was
/// stored.
pub async fn receive(context: &Context, left: Option<&LeftId>, post: NewPost, extras: &RemoteExtras) -> Result<Option<Post>> {
    let Some(left) = left.filter(|left| left.memory() == Memory::Left) else {
        return Ok(Some(ops::posts::receive(&context.store, post, extras).await?));
    };
    let (memory, stored) = match ops::posts::receive_activity(&context.store, post, extras, &left.activity_id).await? {
        Receipt::Stored(post) => (Memory::Remembered, Some(post)),
        Receipt::Held(post) => (Memory::Left, Some(post)),
        Receipt::Replayed => (Memory::Replayed, None),
    };
    left.set(memory);
    Ok(stored)
}
