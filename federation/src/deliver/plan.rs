//! Planning: what each outbox entry becomes, its activity built here once (so every retry
//! sends the same bytes) and the inboxes it goes to ([`super::expand`] writes the rows). One
//! function per kind of outgoing event ([`Planner`]); the audience of a post in
//! [`audience_inboxes`].

use crate::error::{FederationError, Result};
use crate::objects::note::{local_note, tombstone};
use crate::protocol::outgoing::{self, Activity, Kind};
use crate::protocol::{PUBLIC, with_context};
use crate::state::FederationState;
use buurtnet_domain::model::{Actor, Participation, Post, ResponseState, Visibility};
use buurtnet_domain::outbox::Outgoing;
use buurtnet_domain::store;
use serde_json::Value;
use std::collections::BTreeSet;

/// One activity to send, and where.
pub(super) struct Planned {
    pub(super) signer_id: i64,
    pub(super) activity_id: String,
    /// What the activity is about: its deliveries to one peer keep their order with those of
    /// other activities about the same object.
    pub(super) object_id: Option<String>,
    pub(super) body: String,
    pub(super) inboxes: BTreeSet<String>,
}

fn planned(signer: &Actor, activity: Activity, inboxes: BTreeSet<String>) -> Planned {
    let activity = activity.to_value();
    let activity_id = activity["id"].as_str().unwrap_or_default().to_string();
    let object_id = about(&activity);
    Planned { signer_id: signer.id, activity_id, object_id, body: with_context(activity).to_string(), inboxes }
}

/// What an activity is about, for the order of deliveries: its object's id, or for an `Undo`
/// the object of what it undoes (a `Follow` and its `Undo` are both about the followee, a
/// `Like` and its `Undo` both about the post).
fn about(activity: &Value) -> Option<String> {
    let object = activity.get("object");
    if activity["type"] == "Undo"
        && let Some(undone) = object.and_then(|o| o.get("object"))
    {
        return crate::protocol::first_id(Some(undone));
    }
    crate::protocol::first_id(object)
}

/// Like [`planned`], with the activity's `object` the JSON text `object`, byte for byte.
fn planned_with_object(signer: &Actor, activity: Activity, object: &str, inboxes: BTreeSet<String>) -> Planned {
    let activity_id = activity.id.clone();
    let activity = activity.to_value();
    let object_id = serde_json::from_str::<Value>(object).ok().and_then(|object| crate::protocol::first_id(Some(&object)));
    let body = crate::protocol::activities::with_verbatim(with_context(activity), "object", object);
    Planned { signer_id: signer.id, activity_id, object_id, body, inboxes }
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
    let object_id = serde_json::from_str::<Value>(&raw).ok().and_then(|op| crate::protocol::first_id(op.get("object")));
    Ok(Planned { signer_id: signer.id, activity_id: op_id.to_string(), object_id, body: raw, inboxes })
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

/// The activities one outbox entry makes, each with where it goes.
pub(super) async fn plan(state: &FederationState, event: &Outgoing) -> Result<Vec<Planned>> {
    // A coalition operation reads through its own connections; the planner holds none then.
    if let Outgoing::CoalitionOperation { coalition, op_id } = event {
        return Ok(vec![coalition_operation(state, coalition, op_id).await?]);
    }
    let mut planner = Planner { state, conn: state.store.conn().await? };
    match event {
        Outgoing::PostCreated { post_id } | Outgoing::PostUpdated { post_id } => {
            planner.post_version(*post_id, matches!(event, Outgoing::PostCreated { .. })).await
        }
        Outgoing::PostDeleted { post_id, recipients } => planner.post_deleted(*post_id, recipients).await,
        Outgoing::FollowRequested { follow_id } => planner.follow_requested(*follow_id).await,
        Outgoing::FollowUndone { follower_id, followee_id, follow_activity } => {
            planner.follow_undone(*follower_id, *followee_id, follow_activity).await
        }
        Outgoing::FollowAccepted { follow_id } => planner.follow_accepted(*follow_id).await,
        Outgoing::ProposalFulfilled { post_id } => planner.proposal_fulfilled(*post_id).await,
        Outgoing::ResponseSent { response_id } => planner.response_sent(*response_id).await,
        Outgoing::ResponseAccepted { response_id } | Outgoing::ResponseRejected { response_id } => {
            planner.response_decided(*response_id).await
        }
        Outgoing::EventJoinSent { participation_id } | Outgoing::EventLeft { participation_id } => {
            planner.join_or_leave(*participation_id, matches!(event, Outgoing::EventJoinSent { .. })).await
        }
        Outgoing::EventJoinAnswered { participation_id } => planner.join_answered(*participation_id).await,
        Outgoing::Reacted { kind, activity, actor_id, post_id } | Outgoing::ReactionUndone { kind, activity, actor_id, post_id } => {
            planner.reaction(kind, activity, *actor_id, *post_id, matches!(event, Outgoing::Reacted { .. })).await
        }
        Outgoing::ReplicaPassedOn { activity, replica_id, post_id } => planner.replica_passed_on(activity, *replica_id, *post_id).await,
        Outgoing::ProfileUpdated { actor_id } => planner.profile_updated(*actor_id).await,
        Outgoing::ActorMoved { actor_id, target } => {
            let id = planner.new_id();
            let (actor, activity, inboxes) = crate::moving::planned_move(&mut planner.conn, id, *actor_id, target).await?;
            Ok(vec![planned(&actor, activity, inboxes)])
        }
        Outgoing::AccountDeleted { actor_id, inboxes } => planner.account_deleted(*actor_id, inboxes).await,
        Outgoing::CoalitionOperation { .. } => unreachable!("planned above"),
        Outgoing::ReportForwarded { report_id } => planner.report_forwarded(*report_id).await,
        Outgoing::PatchSent { patch_id } | Outgoing::PatchAnswered { patch_id } => {
            planner.patch(*patch_id, matches!(event, Outgoing::PatchSent { .. })).await
        }
        Outgoing::FollowRejected { follower_id, followee_id, follow_activity } => {
            planner.follow_rejected(*follower_id, *followee_id, follow_activity).await
        }
    }
}

/// Builds the activities of one outbox entry, reading what it names.
struct Planner<'a> {
    state: &'a FederationState,
    conn: store::Conn,
}

impl Planner<'_> {
    fn new_id(&self) -> String {
        self.state.urls.new_activity().to_string()
    }

    /// A post was published or changed: `Create` or `Update` to its audience (coalition content with
    /// its author's proof).
    async fn post_version(&mut self, post_id: i64, created: bool) -> Result<Vec<Planned>> {
        let post = store::posts::by_id(&mut self.conn, post_id).await?;
        if post.is_deleted() {
            return Ok(vec![]);
        }
        let author = store::actors::by_id(&mut self.conn, post.author_id).await?;
        let recipients = store::posts::recipients(&mut self.conn, post.id).await?;
        let note = local_note(&mut self.conn, &post, &author).await?;
        let kind = if created { Kind::Create } else { Kind::Update };
        // Coalition content carries its author's proof, for replicas to pass on.
        let object = if crate::objects::coalition_content::is_coalition_content(&post, &author) {
            crate::objects::coalition_content::signed_object(&note, &author)?
        } else {
            serde_json::to_value(&note).map_err(|e| FederationError::Internal(e.to_string()))?
        };
        let activity = crate::objects::note::post_activity(kind, self.new_id(), &author, &note, object);
        let inboxes = audience_inboxes(&mut self.conn, &post, &author, &recipients).await?;
        Ok(vec![planned(&author, activity, inboxes)])
    }

    /// A post was deleted: `Delete` with a `Tombstone` (signed, for coalition content).
    async fn post_deleted(&mut self, post_id: i64, recipients: &[String]) -> Result<Vec<Planned>> {
        let post = store::posts::by_id(&mut self.conn, post_id).await?;
        let author = store::actors::by_id(&mut self.conn, post.author_id).await?;
        let (to, cc) = crate::objects::note::addressing(post.visibility, &author, recipients);
        // Coalition content is deleted with its author's signed tombstone, for replicas
        // to pass on to members that missed the deletion.
        let object = if crate::objects::coalition_content::is_coalition_content(&post, &author) {
            crate::objects::coalition_content::signed_tombstone(&post, &author)?
        } else {
            serde_json::to_value(tombstone(&post)).map_err(|e| FederationError::Internal(e.to_string()))?
        };
        let activity = Activity::new(Kind::Delete, self.new_id(), &author.ap_id, object).to(to).cc(cc);
        let inboxes = audience_inboxes(&mut self.conn, &post, &author, recipients).await?;
        Ok(vec![planned(&author, activity, inboxes)])
    }

    /// `Follow`.
    async fn follow_requested(&mut self, follow_id: i64) -> Result<Vec<Planned>> {
        let Some(follow) = follow_by_id(&mut self.conn, follow_id).await? else { return Ok(vec![]) };
        let follower = store::actors::by_id(&mut self.conn, follow.0).await?;
        let followee = store::actors::by_id(&mut self.conn, follow.1).await?;
        let activity = outgoing::follow(&follow.2, &follower.ap_id, &followee.ap_id);
        Ok(vec![planned(&follower, activity, BTreeSet::from([followee.inbox.clone()]))])
    }

    /// `Undo{Follow}`.
    async fn follow_undone(&mut self, follower_id: i64, followee_id: i64, follow_activity: &str) -> Result<Vec<Planned>> {
        let follower = store::actors::by_id(&mut self.conn, follower_id).await?;
        let followee = store::actors::by_id(&mut self.conn, followee_id).await?;
        let follow = outgoing::follow(follow_activity, &follower.ap_id, &followee.ap_id);
        let activity = Activity::new(Kind::Undo, self.new_id(), &follower.ap_id, follow);
        Ok(vec![planned(&follower, activity, BTreeSet::from([followee.inbox.clone()]))])
    }

    /// `Accept{Follow}`.
    async fn follow_accepted(&mut self, follow_id: i64) -> Result<Vec<Planned>> {
        let Some(follow) = follow_by_id(&mut self.conn, follow_id).await? else { return Ok(vec![]) };
        let follower = store::actors::by_id(&mut self.conn, follow.0).await?;
        let followee = store::actors::by_id(&mut self.conn, follow.1).await?;
        Ok(vec![planned(
            &followee,
            answer(Kind::Accept, self.new_id(), &follow.2, &follower, &followee),
            BTreeSet::from([follower.inbox.clone()]),
        )])
    }

    /// `Create{EconomicEvent}` to each accepted helper on another node.
    async fn proposal_fulfilled(&mut self, post_id: i64) -> Result<Vec<Planned>> {
        let post = store::posts::by_id(&mut self.conn, post_id).await?;
        let proposal = store::proposals::by_post_id(&mut self.conn, post.id).await?.ok_or(FederationError::NotFound)?;
        let author = store::actors::by_id(&mut self.conn, post.author_id).await?;
        let mut plans = Vec::new();
        for response in
            store::responses::for_proposal(&mut self.conn, post.id).await?.into_iter().filter(|r| r.state == ResponseState::Accepted)
        {
            let responder = store::actors::by_id(&mut self.conn, response.responder_id).await?;
            if responder.is_local {
                continue;
            }
            let event = crate::objects::response::economic_event(self.new_id(), &response, &post, &proposal, &author, &responder);
            plans.push(planned(&author, event, BTreeSet::from([responder.inbox.clone()])));
        }
        Ok(plans)
    }

    /// A member's response: `Offer{Agreement}` to the proposal's author.
    async fn response_sent(&mut self, response_id: i64) -> Result<Vec<Planned>> {
        let response = store::responses::by_id(&mut self.conn, response_id).await?;
        let post = store::posts::by_id(&mut self.conn, response.proposal_post_id).await?;
        let author = store::actors::by_id(&mut self.conn, post.author_id).await?;
        let responder = store::actors::by_id(&mut self.conn, response.responder_id).await?;
        let activity = crate::objects::response::offer(&response, &post, &responder, &author);
        Ok(vec![planned(&responder, activity, BTreeSet::from([author.inbox.clone()]))])
    }

    /// The author's answer to a response: `Accept` or `Reject` (with the reason).
    async fn response_decided(&mut self, response_id: i64) -> Result<Vec<Planned>> {
        let response = store::responses::by_id(&mut self.conn, response_id).await?;
        let post = store::posts::by_id(&mut self.conn, response.proposal_post_id).await?;
        let author = store::actors::by_id(&mut self.conn, post.author_id).await?;
        let responder = store::actors::by_id(&mut self.conn, response.responder_id).await?;
        let activity = crate::objects::response::decision(self.new_id(), &response, &post, &author, &responder);
        Ok(vec![planned(&author, activity, BTreeSet::from([responder.inbox.clone()]))])
    }

    /// `Join` or `Leave` of an event on another node.
    async fn join_or_leave(&mut self, participation_id: i64, joining: bool) -> Result<Vec<Planned>> {
        let (participation, event_post, participant, organiser) = participation_parts(&mut self.conn, participation_id).await?;
        let activity = if joining {
            crate::objects::rsvp::join(&participation, &event_post, &participant, &organiser)
        } else {
            crate::objects::rsvp::leave(self.new_id(), &event_post, &participant, &organiser)
        };
        Ok(vec![planned(&participant, activity, BTreeSet::from([organiser.inbox.clone()]))])
    }

    /// The organisers' answer to a `Join`.
    async fn join_answered(&mut self, participation_id: i64) -> Result<Vec<Planned>> {
        let (participation, event, participant, organiser) = participation_parts(&mut self.conn, participation_id).await?;
        let activity = crate::objects::rsvp::answer(self.new_id(), &participation, &event, &participant, &organiser);
        Ok(vec![planned(&organiser, activity, BTreeSet::from([participant.inbox.clone()]))])
    }

    /// `Like` or `Announce` (`done`), or its `Undo`.
    async fn reaction(&mut self, kind: &str, activity: &str, actor_id: i64, post_id: i64, done: bool) -> Result<Vec<Planned>> {
        let actor = store::actors::by_id(&mut self.conn, actor_id).await?;
        let post = store::posts::by_id(&mut self.conn, post_id).await?;
        let author = store::actors::by_id(&mut self.conn, post.author_id).await?;
        let reaction = crate::objects::reaction::reaction(kind, activity, &actor, &post, &author);
        let (activity, original) = if !done {
            (crate::objects::reaction::undo(self.new_id(), reaction, &actor), None)
        } else if actor.kind() == buurtnet_domain::model::ActorKind::Coalition {
            // A replica passes on the member's post itself, byte for byte with its author's
            // proof, so that followers can take it even when its author's node does not answer.
            (reaction, original_object(&mut self.conn, &post, &author).await?)
        } else {
            (reaction, None)
        };
        let mut inboxes = BTreeSet::new();
        // A replica announcing a member's post does not tell the author each time.
        if !author.is_local && actor.kind() != buurtnet_domain::model::ActorKind::Coalition {
            inboxes.insert(author.delivery_inbox().to_string());
        }
        if kind == "announce" {
            inboxes.extend(store::follows::remote_follower_inboxes(&mut self.conn, actor.id).await?);
        }
        Ok(match original {
            Some(original) => vec![planned_with_object(&actor, activity, &original, inboxes)],
            None => vec![planned(&actor, activity, inboxes)],
        })
    }

    /// A replica passes a member's changed post on to its followers.
    async fn replica_passed_on(&mut self, activity: &str, replica_id: i64, post_id: i64) -> Result<Vec<Planned>> {
        let replica = store::actors::by_id(&mut self.conn, replica_id).await?;
        let post = store::posts::by_id(&mut self.conn, post_id).await?;
        let author = store::actors::by_id(&mut self.conn, post.author_id).await?;
        let Some(object) = passed_on_object(&mut self.conn, &post, &author).await? else { return Ok(vec![]) };
        let announce = crate::objects::reaction::reaction("announce", activity, &replica, &post, &author);
        let inboxes = store::follows::remote_follower_inboxes(&mut self.conn, replica.id).await?.into_iter().collect();
        Ok(vec![planned_with_object(&replica, announce, &object, inboxes)])
    }

    /// `Update` of an actor, to its followers.
    async fn profile_updated(&mut self, actor_id: i64) -> Result<Vec<Planned>> {
        let actor = store::actors::by_id(&mut self.conn, actor_id).await?;
        let document = crate::objects::actor::ApubActor::local_document(&mut self.conn, actor.clone()).await?;
        let document = serde_json::to_value(document).map_err(|e| FederationError::Internal(e.to_string()))?;
        let followers = actor.followers.clone().unwrap_or_default();
        let activity = Activity::new(Kind::Update, self.new_id(), &actor.ap_id, document).to([PUBLIC]).cc([followers]);
        let inboxes = store::follows::remote_follower_inboxes(&mut self.conn, actor.id).await?.into_iter().collect();
        Ok(vec![planned(&actor, activity, inboxes)])
    }

    /// `Delete` of an actor, to the inboxes that knew it.
    async fn account_deleted(&mut self, actor_id: i64, inboxes: &[String]) -> Result<Vec<Planned>> {
        let actor = store::actors::by_id(&mut self.conn, actor_id).await?;
        let activity = Activity::new(Kind::Delete, self.new_id(), &actor.ap_id, actor.ap_id.as_str()).to([PUBLIC]);
        Ok(vec![planned(&actor, activity, inboxes.iter().cloned().collect())])
    }

    /// `Flag`, sent by the instance actor.
    async fn report_forwarded(&mut self, report_id: i64) -> Result<Vec<Planned>> {
        let Some((account_id, status_ids, comment)) = store::reports::by_id(&mut self.conn, report_id).await? else {
            return Ok(vec![]);
        };
        let account = store::actors::by_id(&mut self.conn, account_id).await?;
        let mut objects = vec![account.ap_id.clone()];
        for id in status_ids.split(',').filter_map(|i| i.parse::<i64>().ok()) {
            objects.push(store::posts::by_id(&mut self.conn, id).await?.ap_id);
        }
        let reporter = &self.state.instance_actor;
        let activity = Activity::new(Kind::Flag, self.new_id(), &reporter.ap_id, objects).content(comment).to([&account.ap_id]);
        Ok(vec![planned(reporter, activity, BTreeSet::from([account.delivery_inbox().to_string()]))])
    }

    /// A proposed edit (`sent`) or the home node's answer to one.
    async fn patch(&mut self, patch_id: i64, sent: bool) -> Result<Vec<Planned>> {
        let patch = store::articles::patch_by_id(&mut self.conn, patch_id).await?;
        let article = store::posts::by_id(&mut self.conn, patch.article_post_id).await?;
        let author = store::actors::by_id(&mut self.conn, patch.author_id).await?;
        let home = store::actors::by_id(&mut self.conn, article.author_id).await?;
        Ok(if sent {
            vec![planned(
                &author,
                crate::objects::article::patch(self.new_id(), &patch, &article, &author, &home),
                BTreeSet::from([home.inbox.clone()]),
            )]
        } else {
            vec![planned(
                &home,
                crate::objects::article::answer(self.new_id(), &patch, &article, &author, &home),
                BTreeSet::from([author.inbox.clone()]),
            )]
        })
    }

    /// `Reject{Follow}`.
    async fn follow_rejected(&mut self, follower_id: i64, followee_id: i64, follow_activity: &str) -> Result<Vec<Planned>> {
        let follower = store::actors::by_id(&mut self.conn, follower_id).await?;
        let followee = store::actors::by_id(&mut self.conn, followee_id).await?;
        Ok(vec![planned(
            &followee,
            answer(Kind::Reject, self.new_id(), follow_activity, &follower, &followee),
            BTreeSet::from([follower.inbox.clone()]),
        )])
    }
}

fn answer(kind: Kind, id: String, follow_activity: &str, follower: &Actor, followee: &Actor) -> Activity {
    Activity::new(kind, id, &followee.ap_id, outgoing::follow(follow_activity, &follower.ap_id, &followee.ap_id))
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

#[cfg(test)]
mod tests {
    use super::about;
    use serde_json::json;

    #[test]
    fn an_activity_is_about_its_object_and_an_undo_about_what_it_undid() {
        let note = "https://a.example/notes/1";
        assert_eq!(about(&json!({"type": "Create", "object": {"id": note, "type": "Note"}})).as_deref(), Some(note));
        assert_eq!(about(&json!({"type": "Delete", "object": note})).as_deref(), Some(note));
        let like = json!({"id": "https://a.example/likes/1", "type": "Like", "object": note});
        assert_eq!(about(&like).as_deref(), Some(note));
        assert_eq!(about(&json!({"type": "Undo", "object": like})).as_deref(), Some(note), "the undone like's post");
        assert_eq!(about(&json!({"type": "Undo", "object": "https://a.example/likes/1"})).as_deref(), Some("https://a.example/likes/1"));
        assert_eq!(about(&json!({"type": "Flag"})), None);
    }
}
