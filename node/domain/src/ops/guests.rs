//! Guests of our events: people without an account. A neighbour signs up on a public
//! event's page with a name, a phone number or e-mail address and the answers to the
//! organiser's questions; an organiser adds someone by name ("mevrouw Jansen, via de
//! telefoon"). The same rule decides as for members ([`crate::model::admission`]): full or
//! closed is refused, approval mode waits for an organiser. A guest who signed up gets a
//! cancel link (a random token, stored hashed), mailed to her when she gave an e-mail
//! address and the node sends mail. A guest with an address is mailed again when an
//! organiser lets her in or not, moves or cancels the event, or takes her off the list
//! (queued in the same transaction as the change); one with only a phone number is left to
//! the organisers. Guests count towards the event's participants; their details stay on
//! this node, for its organisers.

use super::rsvp::{KIND_RSVP_REQUEST, full, recount, refusal, tell_organisers};
use crate::error::{DomainError, Result, Say};
use crate::model::{Admission, Answers, Event, Guest, GuestDraft, ParticipationState, Post, admission, check_name, has_room};
use crate::store::guests::NewGuest;
use crate::store::mail::NewMail;
use crate::store::{self, Store};
use crate::urls::LocalUrls;

/// Writes the mail with a guest's cancel link (its words are the web crate's).
pub type GuestMailer<'a> = &'a (dyn Fn(&Event, &Guest, &str) -> NewMail + Sync);

/// What a guest is told by mail after she signed up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuestNews {
    /// An organiser let her in.
    Accepted,
    /// An organiser did not.
    Refused,
    /// The time or place changed (the event as it is now).
    Moved,
    Cancelled,
    /// An organiser took her off the list.
    Removed,
}

/// Writes the mail that tells a guest news about her event (its words are the web crate's).
pub type GuestTeller<'a> = &'a (dyn Fn(&Event, &Guest, GuestNews) -> NewMail + Sync);

/// Queues the mail telling `guest` the news, when she gave an address and the node sends
/// mail (in the caller's transaction).
pub(crate) async fn tell(tx: &mut store::Tx, guest: &Guest, news: GuestNews, teller: Option<GuestTeller<'_>>) -> Result<()> {
    let Some(teller) = teller.filter(|_| guest.email.is_some()) else { return Ok(()) };
    let event = store::events::by_post_id(tx, guest.event_post_id).await?.ok_or(DomainError::NotFound)?;
    store::mail::enqueue(tx, &teller(&event, guest, news)).await?;
    Ok(())
}

/// Tells every guest who is in or waiting (in the caller's transaction).
pub(crate) async fn tell_all(tx: &mut store::Tx, post_id: i64, news: GuestNews, teller: Option<GuestTeller<'_>>) -> Result<()> {
    if teller.is_none() {
        return Ok(());
    }
    for guest in store::guests::for_event(tx, post_id).await?.iter().filter(|g| g.state.is_interested()) {
        tell(tx, guest, news, teller).await?;
    }
    Ok(())
}

/// A guest who signed up: what she is told on the page, and whether it was mailed too.
pub struct SignedUp {
    pub guest: Guest,
    pub event: Event,
    /// The page that cancels, with the token in it.
    pub cancel_url: String,
    pub mailed: bool,
}

/// The page that cancels a guest's sign-up.
pub fn cancel_url(urls: &LocalUrls, token: &str) -> String {
    format!("{}activiteit-afmelden/{token}", urls.base())
}

/// A local event that anyone may read, still to take place.
async fn open_event(store: &Store, post_id: i64) -> Result<(Post, Event)> {
    let mut conn = store.conn().await?;
    let post = store::posts::by_id(&mut conn, post_id).await.map_err(|_| DomainError::NotFound)?;
    let event = store::events::by_post_id(&mut conn, post_id).await?.ok_or(DomainError::NotFound)?;
    drop(conn);
    if !post.is_local || !super::visibility::may_read(store, &post, None).await? {
        return Err(DomainError::NotFound);
    }
    if post.is_deleted() || event.is_cancelled() {
        return Err(DomainError::Gone);
    }
    Ok((post, event))
}

/// A neighbour without an account signs up for a public event.
pub async fn sign_up(store: &Store, urls: &LocalUrls, post_id: i64, draft: &GuestDraft, mail: Option<GuestMailer<'_>>) -> Result<SignedUp> {
    let (post, event) = open_event(store, post_id).await?;
    let problems = draft.problems(super::mail::valid_address);
    if !problems.is_empty() {
        return Err(DomainError::Invalid(problems));
    }
    let answers = draft.answers.clone().to(event.questions())?;
    let token = super::oauth::random_secret();
    let hash = super::oauth::hash(&token);
    let (phone, email) = (Some(draft.phone.trim()).filter(|p| !p.is_empty()), Some(draft.email.trim()).filter(|e| !e.is_empty()));
    let mut tx = store.begin().await?;
    let state = match admission(&event, store::participants::count_accepted(&mut tx, post.id).await?) {
        Admission::Accepted => ParticipationState::Accepted,
        Admission::Pending => ParticipationState::Pending,
        refused => return Err(refusal(refused)),
    };
    let new = NewGuest {
        event_post_id: post.id,
        name: draft.name.trim(),
        phone,
        email,
        answers: &answers,
        state,
        cancel_token_hash: Some(&hash),
        added_by: None,
        language: &draft.language,
    };
    let guest = store::guests::insert(&mut tx, &new).await?;
    settle(&mut tx, &post, state).await?;
    let cancel_url = cancel_url(urls, &token);
    let mail = mail.filter(|_| email.is_some()).map(|compose| compose(&event, &guest, &cancel_url));
    if let Some(mail) = &mail {
        store::mail::enqueue(&mut tx, mail).await?;
    }
    tx.commit().await?;
    Ok(SignedUp { guest, event, cancel_url, mailed: mail.is_some() })
}

/// The count (and its `Update`) after someone came in, or the organisers asked to decide.
async fn settle(tx: &mut store::Tx, post: &Post, state: ParticipationState) -> Result<()> {
    match state {
        ParticipationState::Accepted => recount(tx, post).await,
        ParticipationState::Pending => tell_organisers(tx, post, KIND_RSVP_REQUEST).await,
        _ => Ok(()),
    }
}

/// An organiser adds a guest by name: in at once while there is room, even when
/// registration is closed or the organisers decide (they just did).
pub async fn add(store: &Store, member: &crate::model::Actor, post_id: i64, name: &str, answers: Answers) -> Result<Guest> {
    let post = super::posts::own_post(store, member, post_id).await?;
    let event = super::events::of_post(store, post_id).await?.ok_or(DomainError::NotFound)?;
    if event.is_cancelled() {
        return Err(DomainError::Gone);
    }
    check_name(name).map_err(|message| DomainError::invalid("name", message))?;
    let answers = answers.to(event.questions())?;
    let mut tx = store.begin().await?;
    if !has_room(event.capacity, store::participants::count_accepted(&mut tx, post.id).await?) {
        return Err(full());
    }
    let new = NewGuest {
        event_post_id: post.id,
        name: name.trim(),
        phone: None,
        email: None,
        answers: &answers,
        state: ParticipationState::Accepted,
        cancel_token_hash: None,
        added_by: Some(member.id),
        // Added by name, with no address: she gets no mail.
        language: "nl",
    };
    let guest = store::guests::insert(&mut tx, &new).await?;
    recount(&mut tx, &post).await?;
    tx.commit().await?;
    Ok(guest)
}

/// An organiser lets a guest in, or not (approval mode). Letting in needs room. The guest
/// hears of it by mail when `teller` is given.
pub async fn decide(
    store: &Store,
    member: &crate::model::Actor,
    guest_id: i64,
    accept: bool,
    teller: Option<GuestTeller<'_>>,
) -> Result<Guest> {
    let guest = store::guests::by_id(&mut store.conn().await?, guest_id).await?;
    let post = super::posts::own_post(store, member, guest.event_post_id).await?;
    if guest.state != ParticipationState::Pending {
        return Err(DomainError::conflict(Say::RequestAnsweredAlready));
    }
    let event = super::events::of_post(store, post.id).await?.ok_or(DomainError::NotFound)?;
    let mut tx = store.begin().await?;
    if accept && !has_room(event.capacity, store::participants::count_accepted(&mut tx, post.id).await?) {
        return Err(full());
    }
    let state = if accept { ParticipationState::Accepted } else { ParticipationState::Rejected };
    store::guests::set_state(&mut tx, guest.id, state).await?;
    recount(&mut tx, &post).await?;
    tell(&mut tx, &guest, if accept { GuestNews::Accepted } else { GuestNews::Refused }, teller).await?;
    tx.commit().await?;
    store::guests::by_id(&mut store.conn().await?, guest_id).await
}

/// The guest and the title of her event, for the cancel page; `None` for a token nobody has.
pub async fn by_token(store: &Store, token: &str) -> Result<Option<(Guest, Event)>> {
    if token.len() > 64 {
        return Ok(None);
    }
    let mut conn = store.conn().await?;
    let Some(guest) = store::guests::by_token_hash(&mut conn, &super::oauth::hash(token)).await? else { return Ok(None) };
    let event = store::events::by_post_id(&mut conn, guest.event_post_id).await?.ok_or(DomainError::NotFound)?;
    Ok(Some((guest, event)))
}

/// The cancel link: the guest no longer comes and her place is free. False for a token
/// nobody has; cancelling twice changes nothing.
pub async fn cancel(store: &Store, token: &str) -> Result<bool> {
    let Some((guest, _)) = by_token(store, token).await? else { return Ok(false) };
    if !guest.state.is_interested() {
        return Ok(true);
    }
    let mut tx = store.begin().await?;
    let post = store::posts::by_id(&mut tx, guest.event_post_id).await?;
    store::guests::set_state(&mut tx, guest.id, ParticipationState::Left).await?;
    recount(&mut tx, &post).await?;
    tx.commit().await?;
    Ok(true)
}
