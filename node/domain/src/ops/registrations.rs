//! What an event's organisers (its author, or a coordinator of the initiative that posted
//! it) do with registration: close or reopen it, choose the questions asked of those who
//! join, and see everyone who takes part or asked to (members here and on other nodes,
//! guests) with their answers and, for guests, how to reach them. None of this federates:
//! peers' members are refused by the same rule when registration is closed.

use crate::error::{DomainError, Result};
use crate::model::{Actor, Event, Guest, Participation, ParticipationState};
use crate::store::{self, Store};

/// One line of the organisers' list.
pub enum Registrant {
    /// A member, here or on another node.
    Member(Participation, Box<Actor>),
    /// Someone without an account.
    Guest(Guest),
}

impl Registrant {
    pub fn state(&self) -> ParticipationState {
        match self {
            Registrant::Member(p, _) => p.state,
            Registrant::Guest(g) => g.state,
        }
    }
}

/// Closes (`open` false) or reopens registration for a local event.
pub async fn set_open(store: &Store, member: &Actor, post_id: i64, open: bool) -> Result<Event> {
    let post = super::posts::own_post(store, member, post_id).await?;
    super::events::of_post(store, post.id).await?.ok_or(DomainError::NotFound)?;
    let mut tx = store.begin().await?;
    store::events::set_registration_closed(&mut tx, post.id, !open).await?;
    tx.commit().await?;
    super::events::of_post(store, post.id).await?.ok_or(DomainError::NotFound)
}

/// The event and everyone who asked to take part, oldest first, for its organisers only.
pub async fn list(store: &Store, member: &Actor, post_id: i64) -> Result<(Event, Vec<Registrant>)> {
    let post = super::posts::own_post(store, member, post_id).await?;
    let event = super::events::of_post(store, post.id).await?.ok_or(DomainError::NotFound)?;
    let mut conn = store.conn().await?;
    let mut out = Vec::new();
    for participation in store::participants::for_event(&mut conn, post.id).await? {
        let actor = store::actors::by_id(&mut conn, participation.participant_id).await?;
        out.push(Registrant::Member(participation, Box::new(actor)));
    }
    out.extend(store::guests::for_event(&mut conn, post.id).await?.into_iter().map(Registrant::Guest));
    Ok((event, out))
}
