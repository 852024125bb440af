//! What an event's organisers (its author, or a coordinator of the initiative that posted
//! it) do with registration: close or reopen it, choose the questions asked of those who
//! join, and see everyone who takes part or asked to (members here and on other nodes,
//! guests) with their answers and, for guests, how to reach them, and take someone off
//! that list. None of this federates but the place it frees: peers' members are refused by
//! the same rule when registration is closed, and one taken off the list gets the `Reject`
//! of her `Join`.

use super::guests::{GuestNews, GuestTeller};
use super::rsvp::{KIND_RSVP_REMOVED, answer, recount};
use crate::error::{DomainError, Result};
use crate::model::{Actor, Event, Guest, Participation, ParticipationState, Post};
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

/// Whom an organiser takes off the list: a participation (a member here or elsewhere) or a
/// guest, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnList {
    Member(i64),
    Guest(i64),
}

/// An organiser takes someone off the list of a local event: the place is free on every
/// node. A member here hears by notification, a member elsewhere by the `Reject` of her
/// `Join` (as a refused request), a guest by mail when she gave an address and `teller` is
/// given. Taking off who is no longer on the list changes nothing.
pub async fn remove(store: &Store, member: &Actor, post_id: i64, who: OnList, teller: Option<GuestTeller<'_>>) -> Result<()> {
    let post = super::posts::own_post(store, member, post_id).await?;
    let mut tx = store.begin().await?;
    match who {
        OnList::Member(id) => remove_member(&mut tx, &post, id).await?,
        OnList::Guest(id) => remove_guest(&mut tx, &post, id, teller).await?,
    }
    recount(&mut tx, &post).await?;
    tx.commit().await
}

/// Whether someone of this event (else not found) is still on its list.
fn on_the_list(post: &Post, event_post_id: i64, state: ParticipationState) -> Result<bool> {
    if event_post_id != post.id {
        return Err(DomainError::NotFound);
    }
    Ok(state.is_interested())
}

async fn remove_member(tx: &mut store::Tx, post: &Post, participation_id: i64) -> Result<()> {
    let participation = store::participants::by_id(tx, participation_id).await?;
    if !on_the_list(post, participation.event_post_id, participation.state)? {
        return Ok(());
    }
    store::participants::set_state(tx, participation.id, ParticipationState::Rejected).await?;
    let participant = store::actors::by_id(tx, participation.participant_id).await?;
    answer(tx, &participant, (post.id, participation.id), KIND_RSVP_REMOVED).await
}

async fn remove_guest(tx: &mut store::Tx, post: &Post, guest_id: i64, teller: Option<GuestTeller<'_>>) -> Result<()> {
    let guest = store::guests::by_id(tx, guest_id).await?;
    if !on_the_list(post, guest.event_post_id, guest.state)? {
        return Ok(());
    }
    store::guests::set_state(tx, guest.id, ParticipationState::Left).await?;
    super::guests::tell(tx, &guest, GuestNews::Removed, teller).await
}
