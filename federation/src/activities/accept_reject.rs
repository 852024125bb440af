//! `Accept` and `Reject`: of a `Follow` we sent, of a response to an offer or need, of a
//! `Join` we sent, of a `Patch` we sent, or, Friendica-style, of one of our events ("ik kom" / "ik kom niet").

use super::Outcome;
use crate::error::{FederationError, Result};
use crate::protocol::activities::ActivityJson;
use crate::state::Context;
use buurtnet_domain::model::{Actor, DeclineReason, RsvpAnswer};
use buurtnet_domain::ops::responses::Decision;
use buurtnet_domain::{DomainError, ops};

fn follow_id(activity: &ActivityJson) -> Result<String> {
    activity.object_id().ok_or_else(|| FederationError::Malformed(format!("{} without object", activity.kind)))
}

/// `Accept` of one of our follows, or of one of our responses to an offer or need.
pub async fn accept(activity: &ActivityJson, signer: &Actor, context: &Context) -> Result<Outcome> {
    let object = follow_id(activity)?;
    if is_our_response(&object, context).await? {
        let agreement = activity.result.as_ref().and_then(|r| r.get("id")).and_then(serde_json::Value::as_str);
        let decision = Decision { accepted: true, agreement_ap_id: agreement, reason: None };
        ops::responses::receive_decision(&context.store, signer, &object, &decision).await?;
        return Ok(Outcome::Applied);
    }
    if ops::articles::is_patch(&context.store, &object).await? {
        ops::articles::receive_answer(&context.store, signer, &object, true, None).await?;
        return Ok(Outcome::Applied);
    }
    if ops::rsvp::is_join(&context.store, &object).await? {
        ops::rsvp::receive_answer(&context.store, signer, &object, true).await?;
        return Ok(Outcome::Applied);
    }
    if super::rsvp::is_our_event(&object, context).await? {
        return super::rsvp::answer_on_event(activity, signer, context, RsvpAnswer::Attending).await;
    }
    match ops::follows::receive_accept(&context.store, signer, &object).await {
        Ok(()) => Ok(Outcome::Applied),
        Err(DomainError::NotFound) => Ok(Outcome::Ignored("accept of an unknown follow")),
        Err(e) => Err(e.into()),
    }
}

pub async fn reject(activity: &ActivityJson, signer: &Actor, context: &Context) -> Result<Outcome> {
    let object = follow_id(activity)?;
    if is_our_response(&object, context).await? {
        // Our own code when the author's node is ours, else the words it sent, if any.
        let reason = activity.decline_reason.as_deref().filter(|code| DeclineReason::parse(code).is_some()).or(activity.content.as_deref());
        let decision = Decision { accepted: false, agreement_ap_id: None, reason };
        ops::responses::receive_decision(&context.store, signer, &object, &decision).await?;
        return Ok(Outcome::Applied);
    }
    if ops::articles::is_patch(&context.store, &object).await? {
        ops::articles::receive_answer(&context.store, signer, &object, false, activity.content.as_deref()).await?;
        return Ok(Outcome::Applied);
    }
    if ops::rsvp::is_join(&context.store, &object).await? {
        ops::rsvp::receive_answer(&context.store, signer, &object, false).await?;
        return Ok(Outcome::Applied);
    }
    if super::rsvp::is_our_event(&object, context).await? {
        return super::rsvp::answer_on_event(activity, signer, context, RsvpAnswer::NotAttending).await;
    }
    ops::follows::receive_reject(&context.store, signer, &object).await?;
    Ok(Outcome::Applied)
}

async fn is_our_response(object: &str, context: &Context) -> Result<bool> {
    Ok(buurtnet_domain::store::responses::by_ap_id(&mut context.store.conn().await?, object).await?.is_some())
}
