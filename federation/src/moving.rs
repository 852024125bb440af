//! Moving accounts on the wire (issue 17, as Mastodon does): our `Move`, and moving local
//! actors (the `move` and `move-node` commands) once the new actor's own server confirms that
//! it lists the old one (`alsoKnownAs`). Receiving a peer's `Move` is `activities::moving`.

use crate::error::{FederationError, Result};
use crate::objects::actor::{self, ApubActor};
use crate::protocol::outgoing::{Activity, Kind};
use crate::state::Context;
use buurtnet_domain::model::{Actor, ActorKind, NewActor};
use buurtnet_domain::ops::moving::MoveOutcome;
use buurtnet_domain::{ops, store};
use std::collections::BTreeSet;
use url::Url;

/// Our `Move` of `actor` to `target`, with the activity id `id`.
pub fn move_activity(id: String, actor: &Actor, target: &str) -> Activity {
    let to: Vec<&str> = actor.followers.as_deref().into_iter().collect();
    Activity { target: Some(target.to_string()), ..Activity::new(Kind::Move, id, &actor.ap_id, actor.ap_id.as_str()).to(to) }
}

/// What the outbox sends when a local actor moved: the `Move`, signed by it, to the inboxes
/// of its followers elsewhere.
pub(crate) async fn planned_move(
    conn: &mut store::Conn,
    id: String,
    actor_id: i64,
    target: &str,
) -> Result<(Actor, Activity, BTreeSet<String>)> {
    let actor = store::actors::by_id(conn, actor_id).await?;
    let inboxes = store::follows::remote_follower_inboxes(conn, actor.id).await?.into_iter().collect();
    let activity = move_activity(id, &actor, target);
    Ok((actor, activity, inboxes))
}

/// The actor at `target` as its own server describes it now, and the old identities it lists:
/// read from the database when it is one of ours, else fetched (and checked, not stored).
pub(crate) async fn new_identity(target: &str, context: &Context) -> Result<(Option<NewActor>, Vec<String>)> {
    if context.urls.is_local(target) {
        let local = store::actors::by_ap_id(&mut context.store.conn().await?, target).await?.filter(|a| a.is_local);
        let local = local.ok_or(FederationError::NotFound)?;
        return Ok((None, ops::moving::aliases(&context.store, &local).await?));
    }
    let document = actor::fetch_document(target, context).await?;
    Ok((Some(ApubActor::from_remote(&document)?), document.also_known_as))
}

/// The local member or initiative `username` moves to `target`: refused unless `target`'s
/// document lists it as an alias. Records `movedTo` and sends the `Move` to its followers.
pub async fn move_local(context: &Context, username: &str, target: &str) -> Result<MoveOutcome> {
    let actor = store::actors::local_by_username(&mut context.store.conn().await?, &username.trim().to_lowercase()).await?;
    let actor = actor.filter(|a| matches!(a.kind(), ActorKind::Person | ActorKind::Group)).ok_or(FederationError::NotFound)?;
    move_actor(context, &actor, target).await
}

async fn move_actor(context: &Context, actor: &Actor, target: &str) -> Result<MoveOutcome> {
    if actor.moved_to.as_deref() == Some(target) {
        return Ok(MoveOutcome::AlreadyMoved);
    }
    let (_, aliases) = new_identity(target, context).await?;
    let outcome = ops::moving::move_away(&context.store, actor, target, &aliases).await?;
    context.wake_delivery();
    Ok(outcome)
}

/// What `move-node` did for one actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeMove {
    pub actor: String,
    pub target: String,
    /// `Ok` when it moved (now or before, to this target); else why it was skipped.
    pub outcome: std::result::Result<MoveOutcome, String>,
}

/// Moves every local initiative and member to the actor with the same address on
/// `new_base` (`https://newdomain/initiatives/zorg` for `zorg`) that lists it as an alias;
/// the others are skipped, each with the reason.
pub async fn move_node(context: &Context, new_base: &Url) -> Result<Vec<NodeMove>> {
    if new_base.origin() == context.urls.base().origin() {
        return Err(FederationError::Malformed("the new address is this node's own".into()));
    }
    let mut report = vec![];
    for kind in [ActorKind::Group, ActorKind::Person] {
        let actors = store::actors::local_of_kind(&mut context.store.conn().await?, kind).await?;
        for actor in actors {
            if store::actors::is_deleted(&mut context.store.conn().await?, actor.id).await? {
                continue;
            }
            let target = new_base.join(actor.ap_url().path()).map_err(|e| FederationError::Malformed(e.to_string()))?.to_string();
            let outcome = move_actor(context, &actor, &target).await.map_err(|e| skipped_because(&e));
            report.push(NodeMove { actor: actor.ap_id.clone(), target, outcome });
        }
    }
    Ok(report)
}

/// Why an actor was not moved, in the administrator's words.
fn skipped_because(error: &FederationError) -> String {
    match error {
        FederationError::Domain(buurtnet_domain::DomainError::Invalid(_)) => "the new actor does not list it as alias".into(),
        FederationError::Domain(buurtnet_domain::DomainError::Conflict(_)) => "it moved elsewhere before".into(),
        FederationError::NotFound => "no such actor on the new node".into(),
        other => format!("the new actor could not be read: {other}"),
    }
}
