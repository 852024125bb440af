//! Responding to offers and needs, and deciding on responses: the help loop. An accepted
//! response moves the proposal to "in progress" everywhere and opens a private conversation
//! (a direct message from the proposal's author to the responder); the responses not chosen,
//! and those that come too late, are declined with the reason in words; fulfilling records
//! the hours given and the author's thanks, and the helper hears it. Nobody who offered help
//! is left in silence, also when their node could not deliver the response.

use super::posts::PostDraft;
use crate::error::{DomainError, Result, Say};
use crate::model::{Actor, DeclineReason, Fulfilment, Post, Proposal, ProposalState, Response, ResponseState, Visibility};
use crate::outbox::Outgoing;
use crate::store::{self, Store};
use crate::urls::LocalUrls;

/// Longest message that goes with a response.
pub const MAX_MESSAGE_CHARS: usize = 1000;
/// Notification kinds: someone responded to an offer or need; a response was answered.
pub const KIND_RESPONSE: &str = "response";
pub const KIND_RESPONSE_ACCEPTED: &str = "response_accepted";
pub const KIND_RESPONSE_DECLINED: &str = "response_declined";
/// A response was declined without the author choosing to (someone else helps, too late,
/// withdrawn): the page of the proposal says why.
pub const KIND_RESPONSE_CLOSED: &str = "response_closed";
/// A response could not be delivered to the proposal's node.
pub const KIND_RESPONSE_UNDELIVERED: &str = "response_undelivered";
/// Help a member gave (or received) was marked "geholpen", with the author's thanks.
pub const KIND_PROPOSAL_FULFILLED: &str = "proposal_fulfilled";
/// Someone helps with a resident's need that her coordinators passed on for her.
pub const KIND_HELPER_FOUND: &str = "helper_found";
/// A proposal a member was accepted to help with was withdrawn or expired.
pub const KIND_PROPOSAL_CLOSED: &str = "proposal_closed";

/// Tells the people behind a local proposal that someone responded.
async fn tell_author(tx: &mut store::Tx, post: &Post, responder: &Actor) -> Result<()> {
    let author = store::actors::by_id(tx, post.author_id).await?;
    for person in super::matching::people_behind(tx, &author).await? {
        store::notifications::insert_by(tx, person.id, KIND_RESPONSE, Some(post.id), responder.id).await?;
    }
    Ok(())
}

/// Tells a local responder that the author answered (`reason`: declined without choosing).
async fn tell_responder(tx: &mut store::Tx, post: &Post, responder_id: i64, accepted: bool, reason: Option<&str>) -> Result<()> {
    let kind = match (accepted, reason) {
        (true, _) => KIND_RESPONSE_ACCEPTED,
        (false, None) => KIND_RESPONSE_DECLINED,
        (false, Some(_)) => KIND_RESPONSE_CLOSED,
    };
    store::notifications::insert_once_by(tx, responder_id, kind, post.id, post.author_id).await?;
    Ok(())
}

/// Why a response to this proposal cannot be taken now (`None`: it is open).
fn closed_reason(post: &Post, proposal: &Proposal) -> Option<DeclineReason> {
    if post.is_deleted() { Some(DeclineReason::Withdrawn) } else { DeclineReason::for_state(proposal.state) }
}

/// A local member says "Ik kan helpen" / "Dit wil ik graag" to an open proposal, here or on
/// another node. A proposal that is no longer open here is refused with why, in words.
pub async fn respond(store: &Store, urls: &LocalUrls, member: &Actor, proposal_ap_id: &str, message: &str) -> Result<Response> {
    if message.chars().count() > MAX_MESSAGE_CHARS {
        return Err(DomainError::invalid("message", Say::AtMostChars(MAX_MESSAGE_CHARS)));
    }
    let mut conn = store.conn().await?;
    let post = store::posts::by_ap_id(&mut conn, proposal_ap_id).await?.ok_or(DomainError::NotFound)?;
    let proposal = store::proposals::by_post_id(&mut conn, post.id).await?.ok_or(DomainError::NotFound)?;
    drop(conn);
    if !super::visibility::may_read(store, &post, Some(&member.ap_id)).await? {
        return Err(DomainError::NotFound);
    }
    if let Some(reason) = closed_reason(&post, &proposal) {
        return Err(DomainError::conflict(Say::Closed(reason)));
    }
    let author = store::actors::by_id(&mut store.conn().await?, post.author_id).await?;
    if super::actors::may_act_as(store, member, &author).await? {
        return Err(DomainError::invalid("proposal", Say::RespondToOwn));
    }
    let mut tx = store.begin().await?;
    let response = store::responses::insert(&mut tx, urls.new_activity().as_str(), post.id, member.id, message.trim()).await?;
    if !post.is_local && response.state == ResponseState::Pending {
        store::outbox::push(&mut tx, &Outgoing::ResponseSent { response_id: response.id }).await?;
    }
    if post.is_local {
        store::proposals::first_response(&mut tx, post.id, response.created_at).await?;
        tell_author(&mut tx, &post, member).await?;
    }
    tx.commit().await?;
    Ok(response)
}

/// A response from another node to one of our proposals. One that comes when the proposal is
/// no longer open is kept, declined and answered with a `Reject` that says why, so that the
/// responder hears it instead of nothing. The same `Offer` twice is taken once.
pub async fn receive(store: &Store, responder: &Actor, proposal_ap_id: &str, offer_ap_id: &str, message: &str) -> Result<Response> {
    let mut conn = store.conn().await?;
    if let Some(known) = store::responses::by_ap_id(&mut conn, offer_ap_id).await? {
        return if known.responder_id == responder.id { Ok(known) } else { Err(DomainError::Forbidden) };
    }
    let post = store::posts::by_ap_id(&mut conn, proposal_ap_id).await?.ok_or(DomainError::NotFound)?;
    let proposal = store::proposals::by_post_id(&mut conn, post.id).await?.ok_or(DomainError::NotFound)?;
    drop(conn);
    let reason = closed_reason(&post, &proposal);
    // A deleted post has no audience left to check against; a Reject tells nothing new.
    if !post.is_local || (!post.is_deleted() && !super::visibility::may_act_on(store, &post, &responder.ap_id).await?) {
        return Err(DomainError::NotFound);
    }
    let message: String =
        crate::model::html::to_plain_text(&crate::model::html::sanitize(message)).chars().take(MAX_MESSAGE_CHARS).collect();
    let mut tx = store.begin().await?;
    let response = store::responses::insert(&mut tx, offer_ap_id, post.id, responder.id, &message).await?;
    match reason {
        Some(reason) if response.state == ResponseState::Pending => decline(&mut tx, &post, &response, Some(reason)).await?,
        Some(_) => {}
        None => {
            store::proposals::first_response(&mut tx, post.id, response.created_at).await?;
            tell_author(&mut tx, &post, responder).await?;
        }
    }
    tx.commit().await?;
    store::responses::by_id(&mut store.conn().await?, response.id).await
}

/// Declines one pending response (`reason`: without the author choosing to) and tells the
/// responder, here or on their node.
async fn decline(tx: &mut store::Tx, post: &Post, response: &Response, reason: Option<DeclineReason>) -> Result<()> {
    let code = reason.map(DeclineReason::as_str);
    if !store::responses::decide(tx, response.id, ResponseState::Rejected, None, code).await? {
        return Ok(());
    }
    let responder = store::actors::by_id(tx, response.responder_id).await?;
    if responder.is_local {
        tell_responder(tx, post, responder.id, false, code).await
    } else {
        store::outbox::push(tx, &Outgoing::ResponseRejected { response_id: response.id }).await?;
        Ok(())
    }
}

/// Declines every response still pending on a local proposal, for `reason`.
pub(crate) async fn decline_pending(tx: &mut store::Tx, post: &Post, reason: DeclineReason) -> Result<()> {
    for response in store::responses::in_state(tx, post.id, ResponseState::Pending).await? {
        decline(tx, post, &response, Some(reason)).await?;
    }
    Ok(())
}

/// Tells the local members whose help on `post` was accepted that it was withdrawn or
/// expired (helped is told with the thanks, by [`fulfil`] and [`receive_fulfilment`]).
pub(crate) async fn tell_accepted_helpers(tx: &mut store::Tx, post: &Post, state: ProposalState) -> Result<()> {
    if !matches!(state, ProposalState::Withdrawn | ProposalState::Expired) {
        return Ok(());
    }
    for response in store::responses::in_state(tx, post.id, ResponseState::Accepted).await? {
        if store::actors::by_id(tx, response.responder_id).await?.is_local {
            store::notifications::insert_once_by(tx, response.responder_id, KIND_PROPOSAL_CLOSED, post.id, post.author_id).await?;
        }
    }
    Ok(())
}

/// The parts of a decision on a response to a local proposal, checked: `member` speaks for
/// its author.
async fn decision_parts(store: &Store, member: &Actor, response_id: i64) -> Result<(Response, Post, Actor, Actor)> {
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
        return Err(DomainError::conflict(Say::ResponseAnsweredAlready));
    }
    Ok((response, post, author, responder))
}

/// The proposal's author (or a coordinator acting for it) accepts or declines a response.
/// Accepting is possible only while the proposal is open: it moves to "in progress" on every
/// node that holds it, the other responders are told kindly that someone else helps, and a
/// private conversation opens.
pub async fn decide(store: &Store, urls: &LocalUrls, member: &Actor, response_id: i64, accept: bool) -> Result<Response> {
    let (response, post, author, responder) = decision_parts(store, member, response_id).await?;
    let mut tx = store.begin().await?;
    if !accept {
        decline(&mut tx, &post, &response, None).await?;
        tx.commit().await?;
        return store::responses::by_id(&mut store.conn().await?, response_id).await;
    }
    if !super::proposals::move_to(&mut tx, &post, &[ProposalState::Open], ProposalState::InProgress).await? {
        return Err(DomainError::conflict(Say::NoLongerOpen));
    }
    if !store::responses::decide(&mut tx, response.id, ResponseState::Accepted, Some(urls.new_activity().as_str()), None).await? {
        return Err(DomainError::conflict(Say::ResponseAnsweredAlready));
    }
    if responder.is_local {
        tell_responder(&mut tx, &post, responder.id, true, None).await?;
    } else {
        store::outbox::push(&mut tx, &Outgoing::ResponseAccepted { response_id }).await?;
    }
    let side = side_of(&mut tx, &responder).await?;
    store::proposals::add_helper(&mut tx, post.id, &side).await?;
    decline_pending(&mut tx, &post, DeclineReason::OtherChosen).await?;
    tx.commit().await?;
    open_conversation(store, urls, member, &author, &responder, &post).await?;
    store::responses::by_id(&mut store.conn().await?, response_id).await
}

/// The side a helper helps from, for the figures: an initiative itself, the first initiative
/// of one of our members, else the helper's server (its origin), never the person.
async fn side_of(tx: &mut store::Tx, helper: &Actor) -> Result<String> {
    if helper.kind() == crate::model::ActorKind::Group {
        return Ok(helper.ap_id.clone());
    }
    if helper.is_local
        && let Some((initiative, _)) = store::actors::roles_of(tx, helper.id).await?.into_iter().next()
    {
        return Ok(store::actors::by_id(tx, initiative).await?.ap_id);
    }
    Ok(url::Url::parse(&helper.ap_id).map(|u| u.origin().ascii_serialization()).unwrap_or_default())
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

/// What the author of a proposal on another node answered to our response.
pub struct Decision<'a> {
    pub accepted: bool,
    pub agreement_ap_id: Option<&'a str>,
    /// Why it was declined: one of our codes, or another server's words.
    pub reason: Option<&'a str>,
}

/// The author of a proposal on another node answered our response. The same answer twice
/// changes nothing and tells nobody twice.
pub async fn receive_decision(store: &Store, from: &Actor, offer_ap_id: &str, decision: &Decision<'_>) -> Result<()> {
    let mut tx = store.begin().await?;
    let response = store::responses::by_ap_id(&mut tx, offer_ap_id).await?.ok_or(DomainError::NotFound)?;
    let post = store::posts::by_id(&mut tx, response.proposal_post_id).await?;
    if post.author_id != from.id {
        return Err(DomainError::Forbidden);
    }
    let state = if decision.accepted { ResponseState::Accepted } else { ResponseState::Rejected };
    let reason =
        decision.reason.map(|r| crate::model::html::to_plain_text(&crate::model::html::sanitize(r)).chars().take(300).collect::<String>());
    // An answer after our node gave up delivering still counts: the peer did get it.
    if response.state == ResponseState::Undelivered {
        store::responses::reopen(&mut tx, response.id).await?;
    }
    if !store::responses::decide(&mut tx, response.id, state, decision.agreement_ap_id, reason.as_deref()).await? {
        return Ok(());
    }
    // Only an open copy moves: the author's later word (helped, withdrawn) may have come first.
    if decision.accepted {
        store::proposals::transition(&mut tx, post.id, &[ProposalState::Open], ProposalState::InProgress).await?;
    }
    tell_responder(&mut tx, &post, response.responder_id, decision.accepted, reason.as_deref()).await?;
    tx.commit().await?;
    Ok(())
}

/// A member's request to take part in an event on another node could not be delivered.
pub const KIND_JOIN_UNDELIVERED: &str = "join_undelivered";
/// A member's proposed edit of an article on another node could not be delivered.
pub const KIND_PATCH_UNDELIVERED: &str = "patch_undelivered";

/// Our node gave up delivering an activity (the peer refused it for good, or never answered):
/// whoever waits for an answer to it is told, so that she can reach the other side another
/// way. `object_ap_id` is what the activity carried (a proposed edit's id).
pub async fn gave_up(store: &Store, activity_ap_id: &str, object_ap_id: Option<&str>) -> Result<()> {
    if undeliverable(store, activity_ap_id).await? {
        return Ok(());
    }
    let mut tx = store.begin().await?;
    if let Some(join) = store::participants::by_join_ap_id(&mut tx, activity_ap_id).await? {
        let event = store::posts::by_id(&mut tx, join.event_post_id).await?;
        store::notifications::insert_once_by(&mut tx, join.participant_id, KIND_JOIN_UNDELIVERED, event.id, event.author_id).await?;
    } else if let Some(patch) = match object_ap_id {
        Some(id) => store::articles::patch_by_ap_id(&mut tx, id).await?,
        None => None,
    } {
        let article = store::posts::by_id(&mut tx, patch.article_post_id).await?;
        if store::actors::by_id(&mut tx, patch.author_id).await?.is_local {
            store::notifications::insert_once_by(&mut tx, patch.author_id, KIND_PATCH_UNDELIVERED, article.id, article.author_id).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// When `activity_ap_id` was a member's response, it is marked undelivered and she is told.
pub async fn undeliverable(store: &Store, activity_ap_id: &str) -> Result<bool> {
    let mut tx = store.begin().await?;
    let Some(response) = store::responses::by_ap_id(&mut tx, activity_ap_id).await? else { return Ok(false) };
    if !store::responses::decide(&mut tx, response.id, ResponseState::Undelivered, None, None).await? {
        return Ok(false);
    }
    let post = store::posts::by_id(&mut tx, response.proposal_post_id).await?;
    store::notifications::insert_once_by(&mut tx, response.responder_id, KIND_RESPONSE_UNDELIVERED, post.id, post.author_id).await?;
    tx.commit().await?;
    Ok(true)
}

/// The author marks a proposal fulfilled ("geholpen"), with the hours given and a thank-you
/// when there are. Every copy shows it; the helpers hear it, with the thanks.
pub async fn fulfil(store: &Store, member: &Actor, post_id: i64, fulfilment: &Fulfilment) -> Result<()> {
    let fulfilment = Fulfilment::checked(fulfilment.hours, fulfilment.thanks.as_deref())?;
    let (post, _) = super::proposals::own_active_proposal(store, member, post_id).await?;
    let mut tx = store.begin().await?;
    if !super::proposals::move_to(&mut tx, &post, &[ProposalState::Open, ProposalState::InProgress], ProposalState::Fulfilled).await? {
        return Err(DomainError::Gone);
    }
    store::proposals::fulfil(&mut tx, post_id, fulfilment.hours, fulfilment.thanks.as_deref()).await?;
    decline_pending(&mut tx, &post, DeclineReason::Helped).await?;
    for response in store::responses::in_state(&mut tx, post.id, ResponseState::Accepted).await? {
        if store::actors::by_id(&mut tx, response.responder_id).await?.is_local {
            store::notifications::insert_once_by(&mut tx, response.responder_id, KIND_PROPOSAL_FULFILLED, post.id, post.author_id).await?;
        }
    }
    if post.visibility.federates() {
        store::outbox::push(&mut tx, &Outgoing::ProposalFulfilled { post_id }).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A peer reports that one of its proposals we hold was fulfilled (FEP-3264
/// `EconomicEvent`), with the hours and the author's thanks when given: our copy becomes
/// fulfilled and the member here who helped hears it.
pub async fn receive_fulfilment(store: &Store, from: &Actor, proposal_ap_id: &str, fulfilment: &Fulfilment) -> Result<()> {
    let fulfilment = Fulfilment::checked(fulfilment.hours, fulfilment.thanks.as_deref())?;
    let mut tx = store.begin().await?;
    let post = store::posts::by_ap_id(&mut tx, proposal_ap_id).await?.ok_or(DomainError::NotFound)?;
    if post.author_id != from.id || post.is_local {
        return Err(DomainError::Forbidden);
    }
    store::proposals::by_post_id(&mut tx, post.id).await?.ok_or(DomainError::NotFound)?;
    store::proposals::fulfil(&mut tx, post.id, fulfilment.hours, fulfilment.thanks.as_deref()).await?;
    for response in store::responses::in_state(&mut tx, post.id, ResponseState::Accepted).await? {
        store::notifications::insert_once_by(&mut tx, response.responder_id, KIND_PROPOSAL_FULFILLED, post.id, post.author_id).await?;
    }
    tx.commit().await?;
    Ok(())
}
