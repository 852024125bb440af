//! Durable delivery. Two steps, each in its own transaction:
//!
//! 1. **Expand**: an outbox entry becomes its activity (built here, once, so every retry sends
//!    the same bytes) and one delivery row per inbox (shared inboxes where peers have them).
//! 2. **Deliver**: due rows are claimed with a lease, signed (on the blocking pool) and POSTed,
//!    with bounded concurrency overall and per peer. Failures back off exponentially for
//!    `give_up_after_hours` (at least two days); peers that keep failing are recorded as
//!    unreachable. A node killed mid-way finds every unfinished row again on restart.
//!
//! activitypub_federation's own queue is not used: it lives in memory and, in debug mode,
//! drops failures silently.

use crate::error::{FederationError, Result};
use crate::metrics::Metrics;
use crate::objects::note::{local_note, tombstone};
use crate::protocol::with_context;
use crate::safety;
use crate::state::FederationState;
use buurtnet_domain::model::{Actor, Participation, Post, ResponseState, Visibility};
use buurtnet_domain::outbox::Outgoing;
use buurtnet_domain::store::deliveries::Delivery;
use buurtnet_domain::{now_ms, store};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;
use url::Url;

/// How long a claimed delivery is reserved for the worker that claimed it. Longer than a
/// request can take (timeouts are 10 s), so no delivery is sent twice at once.
const LEASE_MS: i64 = 60_000;

/// One activity to send, and where.
struct Planned {
    signer_id: i64,
    activity_id: String,
    body: String,
    inboxes: BTreeSet<String>,
}

fn planned(signer: &Actor, activity: Value, inboxes: BTreeSet<String>) -> Planned {
    let activity_id = activity["id"].as_str().unwrap_or_default().to_string();
    Planned { signer_id: signer.id, activity_id, body: with_context(activity).to_string(), inboxes }
}

/// Like [`planned`], with the activity's `object` the JSON text `object`, byte for byte.
fn planned_with_object(signer: &Actor, activity: Value, object: &str, inboxes: BTreeSet<String>) -> Planned {
    let activity_id = activity["id"].as_str().unwrap_or_default().to_string();
    let body = crate::protocol::activities::with_verbatim(with_context(activity), "object", object);
    Planned { signer_id: signer.id, activity_id, body, inboxes }
}

/// A coalition operation goes as it is (its proof must stay intact) to the other replicas'
/// inboxes, and to the candidate's node when it concerns an admission. Signed by its author
/// when the author is ours, else by the instance actor that passes it on.
async fn coalition_operation(state: &FederationState, coalition: &str, op_id: &str) -> Result<Planned> {
    use buurtnet_domain::model::coalition::{Change, OpKind};
    let mut conn = state.store.conn().await?;
    let raw = store::coalitions::raw_of(&mut conn, op_id).await?.ok_or(FederationError::NotFound)?;
    drop(conn);
    let folded = buurtnet_domain::ops::coalitions::state(&state.store, coalition).await?;
    let op = buurtnet_domain::ops::coalitions::reading(&state.store, op_id).await?.ok_or(FederationError::NotFound)?;
    let own = state.urls.base().as_str().to_string();
    let mut inboxes: BTreeSet<String> = folded.replicas.values().filter(|r| !r.starts_with(&own)).map(|r| format!("{r}/inbox")).collect();
    let concerned = match &op.kind {
        OpKind::Propose(Change::Admit(candidate)) => Some(candidate.clone()),
        OpKind::Sponsor { proposal } | OpKind::Object { proposal } | OpKind::Admit { proposal } => {
            folded.proposals.get(proposal).and_then(|p| if let Change::Admit(c) = &p.change { Some(c.clone()) } else { None })
        }
        _ => None,
    };
    let mut conn = state.store.conn().await?;
    if let Some(candidate) = concerned
        && let Some(actor) = store::actors::by_ap_id(&mut conn, &candidate).await?.filter(|a| !a.is_local)
        && !folded.replicas.contains_key(&candidate)
    {
        inboxes.insert(actor.delivery_inbox().to_string());
    }
    let signer = match store::actors::by_ap_id(&mut conn, &op.author).await?.filter(|a| a.is_local) {
        Some(author) => author,
        None => state.instance_actor.clone(),
    };
    Ok(Planned { signer_id: signer.id, activity_id: op_id.to_string(), body: raw, inboxes })
}

/// A post's object with its author's proof, as text: signed now for a local post, byte for
/// byte as it came for a received one (when it came signed).
async fn original_object(conn: &mut store::Conn, post: &Post, author: &Actor) -> Result<Option<String>> {
    if post.is_local {
        let note = local_note(conn, post, author).await?;
        return Ok(Some(crate::objects::coalition_content::signed_object(&note, author)?.to_string()));
    }
    Ok(store::posts::original_of(conn, post.id).await?.filter(|raw| serde_json::from_str::<Value>(raw).is_ok_and(|v| v.is_object())))
}

/// What a replica passes on of a post (also what the content collection lists), as text: its
/// author's signed current version, or the author's signed tombstone once it is deleted
/// (nothing when there is none to check).
pub(crate) async fn passed_on_object(conn: &mut store::Conn, post: &Post, author: &Actor) -> Result<Option<String>> {
    if !post.is_deleted() {
        return original_object(conn, post, author).await;
    }
    if post.is_local {
        return Ok(Some(crate::objects::coalition_content::signed_tombstone(post, author)?.to_string()));
    }
    let original = store::posts::original_of(conn, post.id).await?;
    Ok(original.filter(|raw| serde_json::from_str::<Value>(raw).is_ok_and(|v| crate::objects::coalition_content::is_tombstone(&v))))
}

/// Turns every waiting outbox entry into deliveries. Returns how many entries it expanded.
pub async fn expand_pending(state: &FederationState) -> Result<usize> {
    let pending = store::outbox::pending(&mut state.store.conn().await?, 100).await?;
    for (outbox_id, event) in &pending {
        let plans = match plan(state, event).await {
            Ok(plans) => plans,
            // What the entry names is gone from the database: nothing can ever be sent for
            // it, and it must not hold up the entries behind it.
            Err(FederationError::NotFound) => {
                tracing::error!(outbox_id, ?event, "outbox entry names rows that do not exist; skipping it");
                vec![]
            }
            Err(e) => return Err(e),
        };
        let mut tx = state.store.begin().await?;
        for plan in plans {
            for inbox in &plan.inboxes {
                let host = Url::parse(inbox).map(|u| crate::host_of(&u)).unwrap_or_default();
                store::deliveries::insert(&mut tx, *outbox_id, &plan.activity_id, plan.signer_id, inbox, &host, &plan.body).await?;
            }
        }
        store::outbox::mark_expanded(&mut tx, *outbox_id).await?;
        tx.commit().await?;
    }
    Ok(pending.len())
}

async fn plan(state: &FederationState, event: &Outgoing) -> Result<Vec<Planned>> {
    let mut conn = state.store.conn().await?;
    let new_id = || state.urls.new_activity().to_string();
    Ok(match event {
        Outgoing::PostCreated { post_id } | Outgoing::PostUpdated { post_id } => {
            let post = store::posts::by_id(&mut conn, *post_id).await?;
            if post.is_deleted() {
                return Ok(vec![]);
            }
            let author = store::actors::by_id(&mut conn, post.author_id).await?;
            let recipients = store::posts::recipients(&mut conn, post.id).await?;
            let note = local_note(&mut conn, &post, &author).await?;
            let kind = if matches!(event, Outgoing::PostCreated { .. }) { "Create" } else { "Update" };
            // Coalition content carries its author's proof, for replicas to pass on.
            let object = if crate::objects::coalition_content::is_coalition_content(&post, &author) {
                crate::objects::coalition_content::signed_object(&note, &author)?
            } else {
                serde_json::to_value(&note).map_err(|e| FederationError::Internal(e.to_string()))?
            };
            let activity = json!({
                "id": new_id(), "type": kind, "actor": author.ap_id,
                "published": note.published, "to": note.to, "cc": note.cc, "object": object,
            });
            let inboxes = audience_inboxes(&mut conn, &post, &author, &recipients).await?;
            vec![planned(&author, activity, inboxes)]
        }
        Outgoing::PostDeleted { post_id, recipients } => {
            let post = store::posts::by_id(&mut conn, *post_id).await?;
            let author = store::actors::by_id(&mut conn, post.author_id).await?;
            let (to, cc) = crate::objects::note::addressing(post.visibility, &author, recipients);
            // Coalition content is deleted with its author's signed tombstone, for replicas
            // to pass on to members that missed the deletion.
            let object = if crate::objects::coalition_content::is_coalition_content(&post, &author) {
                crate::objects::coalition_content::signed_tombstone(&post, &author)?
            } else {
                serde_json::to_value(tombstone(&post)).map_err(|e| FederationError::Internal(e.to_string()))?
            };
            let activity = json!({"id": new_id(), "type": "Delete", "actor": author.ap_id, "to": to, "cc": cc, "object": object});
            let inboxes = audience_inboxes(&mut conn, &post, &author, recipients).await?;
            vec![planned(&author, activity, inboxes)]
        }
        Outgoing::FollowRequested { follow_id } => {
            let Some(follow) = follow_by_id(&mut conn, *follow_id).await? else { return Ok(vec![]) };
            let follower = store::actors::by_id(&mut conn, follow.0).await?;
            let followee = store::actors::by_id(&mut conn, follow.1).await?;
            let activity = json!({"id": follow.2, "type": "Follow", "actor": follower.ap_id, "object": followee.ap_id});
            vec![planned(&follower, activity, BTreeSet::from([followee.inbox.clone()]))]
        }
        Outgoing::FollowUndone { follower_id, followee_id, follow_activity } => {
            let follower = store::actors::by_id(&mut conn, *follower_id).await?;
            let followee = store::actors::by_id(&mut conn, *followee_id).await?;
            let activity = json!({
                "id": new_id(), "type": "Undo", "actor": follower.ap_id,
                "object": {"id": follow_activity, "type": "Follow", "actor": follower.ap_id, "object": followee.ap_id},
            });
            vec![planned(&follower, activity, BTreeSet::from([followee.inbox.clone()]))]
        }
        Outgoing::FollowAccepted { follow_id } => {
            let Some(follow) = follow_by_id(&mut conn, *follow_id).await? else { return Ok(vec![]) };
            let follower = store::actors::by_id(&mut conn, follow.0).await?;
            let followee = store::actors::by_id(&mut conn, follow.1).await?;
            vec![planned(&followee, answer("Accept", new_id(), &follow.2, &follower, &followee), BTreeSet::from([follower.inbox.clone()]))]
        }
        Outgoing::ProposalFulfilled { post_id } => {
            let post = store::posts::by_id(&mut conn, *post_id).await?;
            let proposal = store::proposals::by_post_id(&mut conn, post.id).await?.ok_or(FederationError::NotFound)?;
            let author = store::actors::by_id(&mut conn, post.author_id).await?;
            let mut plans = Vec::new();
            for response in
                store::responses::for_proposal(&mut conn, post.id).await?.into_iter().filter(|r| r.state == ResponseState::Accepted)
            {
                let responder = store::actors::by_id(&mut conn, response.responder_id).await?;
                if responder.is_local {
                    continue;
                }
                let event = crate::objects::response::economic_event(new_id(), &response, &post, &proposal, &author, &responder);
                plans.push(planned(&author, event, BTreeSet::from([responder.inbox.clone()])));
            }
            plans
        }
        Outgoing::ResponseSent { response_id } => {
            let response = store::responses::by_id(&mut conn, *response_id).await?;
            let post = store::posts::by_id(&mut conn, response.proposal_post_id).await?;
            let author = store::actors::by_id(&mut conn, post.author_id).await?;
            let responder = store::actors::by_id(&mut conn, response.responder_id).await?;
            let activity = crate::objects::response::offer(&response, &post, &responder, &author);
            vec![planned(&responder, activity, BTreeSet::from([author.inbox.clone()]))]
        }
        Outgoing::ResponseAccepted { response_id } | Outgoing::ResponseRejected { response_id } => {
            let response = store::responses::by_id(&mut conn, *response_id).await?;
            let post = store::posts::by_id(&mut conn, response.proposal_post_id).await?;
            let author = store::actors::by_id(&mut conn, post.author_id).await?;
            let responder = store::actors::by_id(&mut conn, response.responder_id).await?;
            let activity = crate::objects::response::decision(new_id(), &response, &post, &author, &responder);
            vec![planned(&author, activity, BTreeSet::from([responder.inbox.clone()]))]
        }
        Outgoing::EventJoinSent { participation_id } | Outgoing::EventLeft { participation_id } => {
            let (participation, event_post, participant, organiser) = participation_parts(&mut conn, *participation_id).await?;
            let activity = if matches!(event, Outgoing::EventJoinSent { .. }) {
                crate::objects::rsvp::join(&participation, &event_post, &participant, &organiser)
            } else {
                crate::objects::rsvp::leave(new_id(), &event_post, &participant, &organiser)
            };
            vec![planned(&participant, activity, BTreeSet::from([organiser.inbox.clone()]))]
        }
        Outgoing::EventJoinAnswered { participation_id } => {
            let (participation, event, participant, organiser) = participation_parts(&mut conn, *participation_id).await?;
            let activity = crate::objects::rsvp::answer(new_id(), &participation, &event, &participant, &organiser);
            vec![planned(&organiser, activity, BTreeSet::from([participant.inbox.clone()]))]
        }
        Outgoing::Reacted { kind, activity, actor_id, post_id } | Outgoing::ReactionUndone { kind, activity, actor_id, post_id } => {
            let actor = store::actors::by_id(&mut conn, *actor_id).await?;
            let post = store::posts::by_id(&mut conn, *post_id).await?;
            let author = store::actors::by_id(&mut conn, post.author_id).await?;
            let reaction = crate::objects::reaction::reaction(kind, activity, &actor, &post, &author);
            let (activity, original) = match event {
                // A replica passes on the member's post itself, byte for byte with its author's
                // proof, so that followers can take it even when its author's node does not answer.
                Outgoing::Reacted { .. } if actor.kind() == buurtnet_domain::model::ActorKind::Coalition => {
                    (reaction, original_object(&mut conn, &post, &author).await?)
                }
                Outgoing::Reacted { .. } => (reaction, None),
                _ => (crate::objects::reaction::undo(new_id(), reaction, &actor), None),
            };
            let mut inboxes = BTreeSet::new();
            // A replica announcing a member's post does not tell the author each time.
            if !author.is_local && actor.kind() != buurtnet_domain::model::ActorKind::Coalition {
                inboxes.insert(author.delivery_inbox().to_string());
            }
            if kind == "announce" {
                inboxes.extend(store::follows::remote_follower_inboxes(&mut conn, actor.id).await?);
            }
            match original {
                Some(original) => vec![planned_with_object(&actor, activity, &original, inboxes)],
                None => vec![planned(&actor, activity, inboxes)],
            }
        }
        Outgoing::ReplicaPassedOn { activity, replica_id, post_id } => {
            let replica = store::actors::by_id(&mut conn, *replica_id).await?;
            let post = store::posts::by_id(&mut conn, *post_id).await?;
            let author = store::actors::by_id(&mut conn, post.author_id).await?;
            let Some(object) = passed_on_object(&mut conn, &post, &author).await? else { return Ok(vec![]) };
            let announce = crate::objects::reaction::reaction("announce", activity, &replica, &post, &author);
            let inboxes = store::follows::remote_follower_inboxes(&mut conn, replica.id).await?.into_iter().collect();
            vec![planned_with_object(&replica, announce, &object, inboxes)]
        }
        Outgoing::ProfileUpdated { actor_id } => {
            let actor = store::actors::by_id(&mut conn, *actor_id).await?;
            let document = serde_json::to_value(crate::objects::actor::ApubActor::new(actor.clone()).to_json())
                .map_err(|e| FederationError::Internal(e.to_string()))?;
            let followers = actor.followers.clone().unwrap_or_default();
            let activity = json!({"id": new_id(), "type": "Update", "actor": actor.ap_id, "to": [crate::protocol::PUBLIC], "cc": [followers], "object": document});
            let inboxes = store::follows::remote_follower_inboxes(&mut conn, actor.id).await?.into_iter().collect();
            vec![planned(&actor, activity, inboxes)]
        }
        Outgoing::AccountDeleted { actor_id, inboxes } => {
            let actor = store::actors::by_id(&mut conn, *actor_id).await?;
            let activity =
                json!({"id": new_id(), "type": "Delete", "actor": actor.ap_id, "to": [crate::protocol::PUBLIC], "object": actor.ap_id});
            vec![planned(&actor, activity, inboxes.iter().cloned().collect())]
        }
        Outgoing::CoalitionOperation { coalition, op_id } => {
            drop(conn);
            vec![coalition_operation(state, coalition, op_id).await?]
        }
        Outgoing::ReportForwarded { report_id } => {
            let Some((account_id, status_ids, comment)) = store::reports::by_id(&mut conn, *report_id).await? else { return Ok(vec![]) };
            let account = store::actors::by_id(&mut conn, account_id).await?;
            let mut objects = vec![account.ap_id.clone()];
            for id in status_ids.split(',').filter_map(|i| i.parse::<i64>().ok()) {
                objects.push(store::posts::by_id(&mut conn, id).await?.ap_id);
            }
            let reporter = &state.instance_actor;
            let activity = json!({"id": new_id(), "type": "Flag", "actor": reporter.ap_id, "object": objects, "content": comment, "to": [account.ap_id]});
            vec![planned(reporter, activity, BTreeSet::from([account.delivery_inbox().to_string()]))]
        }
        Outgoing::PatchSent { patch_id } | Outgoing::PatchAnswered { patch_id } => {
            let patch = store::articles::patch_by_id(&mut conn, *patch_id).await?;
            let article = store::posts::by_id(&mut conn, patch.article_post_id).await?;
            let author = store::actors::by_id(&mut conn, patch.author_id).await?;
            let home = store::actors::by_id(&mut conn, article.author_id).await?;
            if matches!(event, Outgoing::PatchSent { .. }) {
                vec![planned(
                    &author,
                    crate::objects::article::patch(new_id(), &patch, &article, &author, &home),
                    BTreeSet::from([home.inbox.clone()]),
                )]
            } else {
                vec![planned(
                    &home,
                    crate::objects::article::answer(new_id(), &patch, &article, &author, &home),
                    BTreeSet::from([author.inbox.clone()]),
                )]
            }
        }
        Outgoing::FollowRejected { follower_id, followee_id, follow_activity } => {
            let follower = store::actors::by_id(&mut conn, *follower_id).await?;
            let followee = store::actors::by_id(&mut conn, *followee_id).await?;
            vec![planned(
                &followee,
                answer("Reject", new_id(), follow_activity, &follower, &followee),
                BTreeSet::from([follower.inbox.clone()]),
            )]
        }
    })
}

fn answer(kind: &str, id: String, follow_activity: &str, follower: &Actor, followee: &Actor) -> Value {
    json!({
        "id": id, "type": kind, "actor": followee.ap_id,
        "object": {"id": follow_activity, "type": "Follow", "actor": follower.ap_id, "object": followee.ap_id},
    })
}

/// A participation with its event's post, the participant and the event's author.
async fn participation_parts(conn: &mut store::Conn, id: i64) -> Result<(Participation, Post, Actor, Actor)> {
    let participation = store::participants::by_id(conn, id).await?;
    let event = store::posts::by_id(conn, participation.event_post_id).await?;
    let participant = store::actors::by_id(conn, participation.participant_id).await?;
    let organiser = store::actors::by_id(conn, event.author_id).await?;
    Ok((participation, event, participant, organiser))
}

/// (follower id, followee id, follow activity id) of a follow that still exists.
async fn follow_by_id(conn: &mut store::Conn, follow_id: i64) -> Result<Option<(i64, i64, String)>> {
    Ok(store::follows::by_row_id(conn, follow_id).await?.map(|f| (f.follower_id, f.followee_id, f.activity_ap_id)))
}

/// The remote inboxes that must hear about a post: followers (unless direct), the actors it
/// names, and the author of the post it answers.
async fn audience_inboxes(conn: &mut store::Conn, post: &Post, author: &Actor, recipients: &[String]) -> Result<BTreeSet<String>> {
    let mut inboxes = BTreeSet::new();
    match post.visibility {
        Visibility::Local | Visibility::Coordinators => return Ok(inboxes),
        Visibility::Public | Visibility::Unlisted | Visibility::Followers => {
            inboxes.extend(store::follows::remote_follower_inboxes(conn, author.id).await?);
        }
        Visibility::Direct | Visibility::Coalition => {}
    }
    let mut named: Vec<String> = recipients.to_vec();
    // An initiative's public posts go to every node of its coalitions, whose replicas
    // announce them to their followers (the coalition's feed).
    if matches!(post.visibility, Visibility::Public | Visibility::Unlisted) && author.kind() == buurtnet_domain::model::ActorKind::Group {
        named.extend(buurtnet_domain::ops::coalitions::partners(conn, author.id).await?);
    }
    // People on other nodes who take part in an event, or who responded to an offer or need,
    // hear when it changes, whether or not they follow its author.
    for participant_id in store::participants::interested_ids(conn, post.id).await? {
        named.push(store::actors::by_id(conn, participant_id).await?.ap_id);
    }
    for response in store::responses::for_proposal(conn, post.id).await? {
        named.push(store::actors::by_id(conn, response.responder_id).await?.ap_id);
    }
    if let Some(parent) = &post.in_reply_to
        && let Some(parent) = store::posts::by_ap_id(conn, parent).await?
    {
        named.push(store::actors::by_id(conn, parent.author_id).await?.ap_id);
    }
    for id in named {
        if let Some(actor) = store::actors::by_ap_id(conn, &id).await?.filter(|a| !a.is_local) {
            let inbox = if post.visibility == Visibility::Direct { actor.inbox.clone() } else { actor.delivery_inbox().to_string() };
            inboxes.insert(inbox);
        }
    }
    Ok(inboxes)
}

/// Runs until the task is aborted: expands the outbox and delivers what is due.
pub async fn run_worker(state: FederationState) {
    let settings = state.settings.delivery.clone();
    let slots = Arc::new(Semaphore::new(settings.concurrency));
    let per_peer: Arc<Mutex<HashMap<String, Arc<Semaphore>>>> = Arc::default();
    release_leases_of_previous_run(&state).await;
    loop {
        if let Err(e) = expand_pending(&state).await {
            tracing::error!(error = %e, "could not expand the outbox; will try again");
        }
        let busy_hosts: Vec<String> = per_peer
            .lock()
            .expect("peer map")
            .iter()
            .filter(|(_, slots)| slots.available_permits() == 0)
            .map(|(host, _)| host.clone())
            .collect();
        let claimed = match claim(&state, slots.available_permits(), &busy_hosts).await {
            Ok(claimed) => claimed,
            Err(e) => {
                tracing::error!(error = %e, "could not claim deliveries; will try again");
                vec![]
            }
        };
        if claimed.is_empty() {
            idle(&state).await;
            continue;
        }
        let mut deferred = Vec::new();
        for delivery in claimed {
            let peer = per_peer
                .lock()
                .expect("peer map")
                .entry(delivery.host.clone())
                .or_insert_with(|| Arc::new(Semaphore::new(settings.per_peer_concurrency)))
                .clone();
            // A peer with all its slots busy must not hold up deliveries to others: its rows
            // go back to the queue and are claimed again once it has room.
            let Ok(peer_slot) = peer.try_acquire_owned() else {
                deferred.push(delivery.id);
                continue;
            };
            let slot = slots.clone().acquire_owned().await.expect("semaphore open");
            let state = state.clone();
            tokio::spawn(async move {
                deliver_one(&state, delivery).await;
                drop(peer_slot);
                drop(slot);
            });
        }
        if !deferred.is_empty() {
            release(&state, &deferred).await;
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Puts claimed deliveries back in the queue at once.
async fn release(state: &FederationState, ids: &[i64]) {
    let released = async {
        let mut tx = state.store.begin().await?;
        store::deliveries::release_leases(&mut tx, ids).await?;
        tx.commit().await?;
        Ok::<_, FederationError>(())
    };
    if let Err(e) = released.await {
        tracing::warn!(error = %e, "could not release deferred deliveries; they resume when their lease runs out");
    }
}

async fn release_leases_of_previous_run(state: &FederationState) {
    let released = async {
        let mut tx = state.store.begin().await?;
        let n = store::deliveries::release_all_leases(&mut tx).await?;
        tx.commit().await?;
        Ok::<_, FederationError>(n)
    };
    match released.await {
        Ok(0) => {}
        Ok(n) => tracing::info!("resuming {n} deliveries that were in flight when the node last stopped"),
        Err(e) => tracing::error!(error = %e, "could not release old delivery leases; they resume when their lease runs out"),
    }
}

async fn claim(state: &FederationState, free: usize, busy_hosts: &[String]) -> Result<Vec<Delivery>> {
    if free == 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        return Ok(vec![]);
    }
    let mut tx = state.store.begin().await?;
    let claimed = store::deliveries::claim_due(&mut tx, free.min(200) as i64, LEASE_MS, busy_hosts).await?;
    tx.commit().await?;
    Ok(claimed)
}

/// Waits for new work: a wake-up, the next due retry, or a poll (other processes, such as
/// the CLI, write to the same database).
async fn idle(state: &FederationState) {
    let next_due = match state.store.conn().await {
        Ok(mut conn) => store::deliveries::next_due_at(&mut conn).await.ok().flatten(),
        Err(_) => None,
    };
    let poll = Duration::from_millis(1000);
    let wait = next_due.map(|due| Duration::from_millis((due - now_ms()).clamp(0, 1000) as u64)).unwrap_or(poll);
    tokio::select! {
        _ = state.delivery_wake.notified() => {}
        _ = tokio::time::sleep(wait) => {}
    }
}

/// How a delivery attempt ended.
enum Attempt {
    Delivered,
    /// Worth trying again later.
    Retry(String),
    /// The peer said no for good, or we must never send there.
    Refused(String),
}

async fn deliver_one(state: &FederationState, delivery: Delivery) {
    let attempt = match send(state, &delivery).await {
        Ok(attempt) => attempt,
        Err(e) => Attempt::Retry(e.to_string()),
    };
    if let Err(e) = record(state, &delivery, attempt).await {
        tracing::error!(error = %e, delivery = delivery.id, "could not record a delivery outcome; it will be retried");
    }
}

async fn send(state: &FederationState, delivery: &Delivery) -> Result<Attempt> {
    let url = Url::parse(&delivery.inbox).map_err(|_| FederationError::Malformed(format!("inbox {}", delivery.inbox)))?;
    if let Err(unsafe_target) = safety::check_url(&url, state.dev) {
        tracing::warn!(inbox = %delivery.inbox, "refusing to deliver: {unsafe_target}");
        return Ok(Attempt::Refused(unsafe_target.to_string()));
    }
    if state.faults.is_cut_off(&url) {
        return Ok(Attempt::Retry("network: cut off (fault injection)".into()));
    }
    let signer_actor = store::actors::by_id(&mut state.store.conn().await?, delivery.signer_id).await?;
    let private_key = signer_actor.private_key_pem.clone().ok_or_else(|| FederationError::Internal("signer has no private key".into()))?;
    let signer = state.signers.get(&signer_actor.public_key_id, &private_key)?;
    let path_and_query = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    let body = delivery.body.clone();
    let mut headers = BTreeMap::from([
        ("host".to_string(), crate::host_of(&url)),
        ("content-type".to_string(), crate::protocol::ACTIVITY_JSON.to_string()),
    ]);
    let headers =
        tokio::task::spawn_blocking(move || signer.sign("POST", &path_and_query, &mut headers, Some(body.as_bytes())).map(|()| headers))
            .await
            .map_err(|e| FederationError::Internal(e.to_string()))??;
    let mut request = state.client.post(url.clone()).body(delivery.body.clone());
    for (name, value) in &headers {
        if name != "host" {
            request = request.header(name.as_str(), value.as_str());
        }
    }
    let response = match request.send().await {
        Ok(response) => response,
        Err(e) => return Ok(Attempt::Retry(format!("network: {e}"))),
    };
    let status = response.status();
    Ok(match status.as_u16() {
        200..=299 => Attempt::Delivered,
        408 | 429 | 401 | 500..=599 => Attempt::Retry(format!("HTTP {status}")),
        _ => Attempt::Refused(format!("HTTP {status}")),
    })
}

/// Wait before attempt `attempts + 1`: base × 2^attempts, capped, with ±10% jitter.
pub fn backoff_ms(attempts: i64, base_ms: u64, max_ms: u64) -> i64 {
    let exp = base_ms.saturating_mul(1u64 << attempts.clamp(0, 40)).min(max_ms);
    let jitter = (exp / 10).max(1);
    (exp - jitter + rand::random_range(0..=2 * jitter)) as i64
}

async fn record(state: &FederationState, delivery: &Delivery, attempt: Attempt) -> Result<()> {
    let settings = &state.settings.delivery;
    let mut tx = state.store.begin().await?;
    match attempt {
        Attempt::Delivered => {
            store::deliveries::mark_delivered(&mut tx, delivery.id).await?;
            store::deliveries::record_peer_success(&mut tx, &delivery.host).await?;
            Metrics::count(&state.metrics.deliveries_delivered);
        }
        Attempt::Refused(why) => {
            tracing::warn!(inbox = %delivery.inbox, activity = %delivery.activity_ap_id, %why, "delivery refused; not retrying");
            store::deliveries::mark_failed(&mut tx, delivery.id, &why).await?;
            Metrics::count(&state.metrics.deliveries_failed);
            tx.commit().await?;
            return gave_up(state, delivery).await;
        }
        Attempt::Retry(why) => {
            store::deliveries::record_peer_failure(&mut tx, &delivery.host, &why, settings.unreachable_after_failures).await?;
            let give_up_at = delivery.created_at + (settings.give_up_after_hours as i64) * 3600 * 1000;
            let next = now_ms() + backoff_ms(delivery.attempts, settings.retry_base_ms, settings.retry_max_ms);
            if next > give_up_at {
                tracing::warn!(inbox = %delivery.inbox, %why, "giving up on a delivery after {} attempts", delivery.attempts + 1);
                store::deliveries::mark_failed(&mut tx, delivery.id, &why).await?;
                Metrics::count(&state.metrics.deliveries_failed);
                tx.commit().await?;
                return gave_up(state, delivery).await;
            } else {
                tracing::info!(inbox = %delivery.inbox, %why, attempt = delivery.attempts + 1, "delivery failed; will retry");
                store::deliveries::schedule_retry(&mut tx, delivery.id, next, &why).await?;
                Metrics::count(&state.metrics.deliveries_retried);
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// A delivery that will never be made: whoever waits for an answer to it is told (a member's
/// response to an offer or need, request to take part, or proposed edit on another node).
async fn gave_up(state: &FederationState, delivery: &Delivery) -> Result<()> {
    let carried = serde_json::from_str::<Value>(&delivery.body).ok().and_then(|body| crate::protocol::first_id(body.get("object")));
    buurtnet_domain::ops::responses::gave_up(&state.store, &delivery.activity_ap_id, carried.as_deref()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let first = backoff_ms(0, 1000, 60_000);
        assert!((900..=1100).contains(&first));
        let third = backoff_ms(2, 1000, 60_000);
        assert!((3600..=4400).contains(&third));
        assert!(backoff_ms(30, 1000, 60_000) <= 66_000);
    }
}
