//! Taking part in our events: `Join`, `Leave` (and `Undo{Join}`), and Friendica-style
//! answers on the `Event` itself (`Accept`, `TentativeAccept`, `Reject`). The answers of
//! organisers on other nodes to our `Join`s arrive in `accept_reject`.

use super::Outcome;
use crate::error::{FederationError, Result};
use crate::protocol::activities::ActivityJson;
use crate::state::Context;
use buurtnet_domain::model::{Actor, RsvpAnswer};
use buurtnet_domain::{DomainError, ops, store};

fn event_id(activity: &ActivityJson) -> Result<String> {
    activity.object_id().ok_or_else(|| FederationError::Malformed(format!("{} without object", activity.kind)))
}

pub async fn join(activity: &ActivityJson, signer: &Actor, context: &Context) -> Result<Outcome> {
    let event = event_id(activity)?;
    if !context.urls.is_local(&event) {
        return Ok(Outcome::Ignored("a Join of something that is not ours"));
    }
    match ops::rsvp::receive_join(&context.store, signer, &event, &activity.id).await {
        Ok(_) => Ok(Outcome::Applied),
        Err(DomainError::Gone) => Err(FederationError::Gone),
        Err(e) => Err(e.into()),
    }
}

/// `Leave` names the event; `Undo{Join}` names the join, which names the event.
pub async fn leave(event: &str, signer: &Actor, context: &Context) -> Result<Outcome> {
    if ops::rsvp::receive_leave(&context.store, signer, event).await? {
        Ok(Outcome::Applied)
    } else {
        Ok(Outcome::Ignored("a Leave of an event nobody joined here"))
    }
}

pub async fn leave_activity(activity: &ActivityJson, signer: &Actor, context: &Context) -> Result<Outcome> {
    leave(&event_id(activity)?, signer, context).await
}

/// Whether `object` is one of our events (the target of a Friendica-style answer).
pub async fn is_our_event(object: &str, context: &Context) -> Result<bool> {
    if !context.urls.is_local(object) {
        return Ok(false);
    }
    let mut conn = context.store.conn().await?;
    let Some(post) = store::posts::by_ap_id(&mut conn, object).await? else { return Ok(false) };
    Ok(store::events::by_post_id(&mut conn, post.id).await?.is_some())
}

pub async fn answer_on_event(activity: &ActivityJson, signer: &Actor, context: &Context, answer: RsvpAnswer) -> Result<Outcome> {
    let event = event_id(activity)?;
    if !is_our_event(&event, context).await? {
        return Ok(Outcome::Ignored("an answer on something that is not one of our events"));
    }
    match ops::rsvp::receive_answer_on_event(&context.store, signer, &event, &activity.id, answer).await {
        Ok(_) => Ok(Outcome::Applied),
        // Full, or already answered: Friendica expects no reply, so nothing more to say.
        Err(DomainError::Conflict(_)) => Ok(Outcome::Ignored("the event is full")),
        Err(DomainError::Gone) => Err(FederationError::Gone),
        Err(e) => Err(e.into()),
    }
}
