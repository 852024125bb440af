//! `Undo` of a `Follow`, `Join`, `Like` or `Announce` the signer made.

use super::Outcome;
use crate::error::{FederationError, Result};
use crate::protocol::{self, activities::ActivityJson};
use crate::state::Context;
use buurtnet_domain::model::Actor;
use buurtnet_domain::{ops, store};

pub async fn receive(activity: &ActivityJson, signer: &Actor, context: &Context) -> Result<Outcome> {
    let undone_id = activity.object_id().ok_or_else(|| FederationError::Malformed("Undo without object".into()))?;
    if !protocol::same_origin(&undone_id, &signer.ap_id) {
        return Err(FederationError::Forbidden("an actor can only undo its own activities".into()));
    }
    let kind = activity.object_type();
    if kind == Some("Join")
        && let Some(event) = protocol::first_id(activity.object.get("object"))
    {
        return super::rsvp::leave(&event, signer, context).await;
    }
    if matches!(kind, Some("Follow") | None) {
        let mut conn = context.store.conn().await?;
        let follow = store::follows::by_activity(&mut conn, &undone_id).await?;
        let followee_id = match (&follow, protocol::first_id(activity.object.get("object"))) {
            (Some(f), _) if f.follower_id == signer.id => Some(store::actors::by_id(&mut conn, f.followee_id).await?.ap_id),
            (_, target) => target,
        };
        if let Some(target) = followee_id
            && let Some(followee) = store::actors::by_ap_id(&mut conn, &target).await?.filter(|a| a.is_local)
        {
            drop(conn);
            ops::follows::receive_undo_follow(&context.store, signer, &followee).await?;
            return Ok(Outcome::Applied);
        }
    }
    if ops::posts::receive_undo_reaction(&context.store, &undone_id, &signer.ap_id).await? {
        return Ok(Outcome::Applied);
    }
    Ok(Outcome::Ignored("undo of something we do not hold"))
}
