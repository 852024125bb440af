//! Responding to offers and needs, and deciding on responses. An accepted response moves the
//! proposal to "in progress" and opens a private conversation (a direct message from the
//! proposal's author to the responder); fulfilling records the hours given.

use super::posts::PostDraft;
use crate::error::{DomainError, Result};
use crate::model::{Actor, Post, Proposal, ProposalState, Response, ResponseState, Visibility};
use crate::outbox::Outgoing;
use crate::store::{self, Store};
use crate::urls::LocalUrls;

/// Longest message that goes with a response.
pub const MAX_MESSAGE_CHARS: usize = 1000;
/// Notification kinds: someone responded to an offer or need; a response was answered.
pub const KIND_RESPONSE: &str = "response";
pub const KIND_RESPONSE_ACCEPTED: &str = "response_accepted";
pub const KIND_RESPONSE_DECLINED: &str = "response_declined";

/// Tells the people behind a local proposal that someone responded.
async fn tell_author(tx: &mut store::Tx, post: &Post, responder: &Actor) -> Result<()> {
    let author = store::actors::by_id(tx, post.author_id).await?;
    for person in super::matching::people_behind(tx, &author).await? {
        store::notifications::insert_by(tx, person.id, KIND_RESPONSE, Some(post.id), responder.id).await?;
    }
    Ok(())
}

/// Tells a local responder that the author answered.
async fn tell_responder(tx: &mut store::Tx, post: &Post, responder_id: i64, accepted: bool) -> Result<()> {
    let kind = if accepted { KIND_RESPONSE_ACCEPTED } else { KIND_RESPONSE_DECLINED };
    store::notifications::insert_by(tx, responder_id, kind, Some(post.id), post.author_id).await
}

async fn open_proposal(store: &Store, proposal_ap_id: &str) -> Result<(Post, Proposal)> {
    let mut conn = store.conn().await?;
    let post = store::posts::by_ap_id(&mut conn, proposal_ap_id).await?.ok_or(DomainError::NotFound)?;
    let proposal = store::proposals::by_post_id(&mut conn, post.id).await?.ok_or(DomainError::NotFound)?;
    if post.is_deleted() || proposal.state != ProposalState::Open {
        return Err(DomainError::Gone);
    }
    Ok((post, proposal))
}

/// A local member says "Ik kan helpen" / "Dit wil ik graag" to an open proposal, here or on
/// another node.
pub async fn respond(store: &Store, urls: &LocalUrls, member: &Actor, proposal_ap_id: &str, message: &str) -> Result<Response> {
    if message.chars().count() > MAX_MESSAGE_CHARS {
        return Err(DomainError::invalid(
            "message",
            format!("at most {MAX_MESSAGE_CHARS} characters / hoogstens {MAX_MESSAGE_CHARS} tekens"),
        ));
    }
    let (post, _) = open_proposal(store, proposal_ap_id).await?;
    if !super::visibility::may_read(store, &post, Some(&member.ap_id)).await? {
        return Err(DomainError::NotFound);
    }
    let author = store::actors::by_id(&mut store.conn().await?, post.author_id).await?;
    if super::actors::may_act_as(store, member, &author).await? {
        return Err(DomainError::invalid(
            "proposal",
            "you cannot respond to your own offer or need / je kunt niet reageren op je eigen vraag of aanbod",
        ));
    }
    let mut tx = store.begin().await?;
    let response = store::responses::insert(&mut tx, urls.new_activity().as_str(), post.id, member.id, message.trim()).await?;
    if !post.is_local && response.state == ResponseState::Pending {
        store::outbox::push(&mut tx, &Outgoing::ResponseSent { response_id: response.id }).await?;
    }
    if post.is_local {
        tell_author(&mut tx, &post, member).await?;
    }
    tx.commit().await?;
    Ok(response)
}

/// A response from another node to one of our proposals.
pub async fn receive(store: &Store, responder: &Actor, proposal_ap_id: &str, offer_ap_id: &str, message: &str) -> Result<Response> {
    let (post, _) = open_proposal(store, proposal_ap_id).await?;
    if !post.is_local || !super::visibility::may_act_on(store, &post, &responder.ap_id).await? {
        return Err(DomainError::NotFound);
    }
    let message: String =
        crate::model::html::to_plain_text(&crate::model::html::sanitize(message)).chars().take(MAX_MESSAGE_CHARS).collect();
    let mut tx = store.begin().await?;
    let response = store::responses::insert(&mut tx, offer_ap_id, post.id, responder.id, &message).await?;
    tell_author(&mut tx, &post, responder).await?;
    tx.commit().await?;
    Ok(response)
}

/// The proposal's author (or a coordinator acting for it) accepts or declines a response.
/// Accepting moves the proposal to "in progress" and opens a private conversation.
pub async fn decide(store: &Store, urls: &LocalUrls, member: &Actor, response_id: i64, accept: bool) -> Result<Response> {
    let mut conn = store.conn().await?;
    let response = store::responses::by_id(&mut conn, response_id).await?;
    let post = store::posts::by_id(&mut conn, response.proposal_post_id).await?;
    let author = store::actors::by_id(&mut conn, post.author_id).await?;
    let responder = store::actors::by_id(&mut conn, response.responder_id).await?;
    drop(conn);
    if !post.is_local || !super::actors::may_act_as(store, member, &author).await? {
        return Err(DomainError::Forbidden);
    }
    if response.state != ResponseState::Pending {
        return Err(DomainError::Conflict("this response was already answered / op deze reactie is al geantwoord".into()));
    }
    let mut tx = store.begin().await?;
    if accept {
        store::responses::decide(&mut tx, response.id, ResponseState::Accepted, Some(urls.new_activity().as_str())).await?;
        store::proposals::set_state(&mut tx, post.id, ProposalState::InProgress).await?;
    } else {
        store::responses::decide(&mut tx, response.id, ResponseState::Rejected, None).await?;
    }
    if responder.is_local {
        tell_responder(&mut tx, &post, responder.id, accept).await?;
    } else {
        let event = if accept { Outgoing::ResponseAccepted { response_id } } else { Outgoing::ResponseRejected { response_id } };
        store::outbox::push(&mut tx, &event).await?;
    }
    tx.commit().await?;
    if accept {
        open_conversation(store, urls, member, &author, &responder, &post).await?;
    }
    store::responses::by_id(&mut store.conn().await?, response_id).await
}

/// A direct message from the proposal's author to the responder, in reply to the proposal.
async fn open_conversation(store: &Store, urls: &LocalUrls, member: &Actor, author: &Actor, responder: &Actor, post: &Post) -> Result<()> {
    let name = if responder.display_name.is_empty() { &responder.username } else { &responder.display_name };
    let draft = PostDraft {
        text: format!("Hallo {name}, fijn dat je reageert! Zullen we hier afspreken hoe en wanneer?"),
        content_warning: None,
        visibility: Visibility::Direct,
        in_reply_to: Some(post.ap_id.clone()),
        recipients: vec![responder.ap_id.clone()],
        media_ids: vec![],
        language: None,
    };
    super::posts::publish(store, urls, member, author, &draft).await?;
    Ok(())
}

/// The author of a proposal on another node answered our response.
pub async fn receive_decision(store: &Store, from: &Actor, offer_ap_id: &str, accepted: bool, agreement_ap_id: Option<&str>) -> Result<()> {
    let mut tx = store.begin().await?;
    let response = store::responses::by_ap_id(&mut tx, offer_ap_id).await?.ok_or(DomainError::NotFound)?;
    let post = store::posts::by_id(&mut tx, response.proposal_post_id).await?;
    if post.author_id != from.id {
        return Err(DomainError::Forbidden);
    }
    let state = if accepted { ResponseState::Accepted } else { ResponseState::Rejected };
    store::responses::decide(&mut tx, response.id, state, agreement_ap_id).await?;
    if accepted {
        store::proposals::set_state(&mut tx, post.id, ProposalState::InProgress).await?;
    }
    tell_responder(&mut tx, &post, response.responder_id, accepted).await?;
    tx.commit().await?;
    Ok(())
}

/// The author marks a proposal fulfilled, with the hours given if known.
pub async fn fulfil(store: &Store, member: &Actor, post_id: i64, hours: Option<f64>) -> Result<()> {
    if hours.is_some_and(|h| !(0.0..=1000.0).contains(&h)) {
        return Err(DomainError::invalid("hours", "between 0 and 1000 hours / tussen 0 en 1000 uur"));
    }
    let mut conn = store.conn().await?;
    let post = store::posts::by_id(&mut conn, post_id).await?;
    let proposal = store::proposals::by_post_id(&mut conn, post_id).await?.ok_or(DomainError::NotFound)?;
    let author = store::actors::by_id(&mut conn, post.author_id).await?;
    drop(conn);
    if !post.is_local || !super::actors::may_act_as(store, member, &author).await? {
        return Err(DomainError::Forbidden);
    }
    if !matches!(proposal.state, ProposalState::Open | ProposalState::InProgress) {
        return Err(DomainError::Gone);
    }
    let mut tx = store.begin().await?;
    store::proposals::fulfil(&mut tx, post_id, hours).await?;
    if hours.is_some() && post.visibility.federates() {
        store::outbox::push(&mut tx, &Outgoing::ProposalFulfilled { post_id }).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A peer reports the hours given on one of its proposals that we hold a copy of.
pub async fn receive_fulfilment(store: &Store, from: &Actor, proposal_ap_id: &str, hours: f64) -> Result<()> {
    if !(0.0..=1000.0).contains(&hours) {
        return Err(DomainError::invalid("hours", "between 0 and 1000"));
    }
    let mut tx = store.begin().await?;
    let post = store::posts::by_ap_id(&mut tx, proposal_ap_id).await?.ok_or(DomainError::NotFound)?;
    if post.author_id != from.id || post.is_local {
        return Err(DomainError::Forbidden);
    }
    store::proposals::by_post_id(&mut tx, post.id).await?.ok_or(DomainError::NotFound)?;
    store::proposals::fulfil(&mut tx, post.id, Some(hours)).await?;
    tx.commit().await?;
    Ok(())
}
