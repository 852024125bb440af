//! `Like` and `Announce` (boost) of posts we hold; counted per post.

use super::Outcome;
use crate::error::{FederationError, Result};
use crate::protocol::{self, activities::ActivityJson};
use crate::state::Context;
use buurtnet_domain::model::Actor;
use buurtnet_domain::{DomainError, ops};

pub async fn receive(activity: &ActivityJson, signer: &Actor, context: &Context, kind: &'static str) -> Result<Outcome> {
    let target = protocol::first_id(Some(&activity.object))
        .ok_or_else(|| FederationError::Malformed(format!("{} without object", activity.kind)))?;
    match ops::posts::receive_reaction(&context.store, kind, &activity.id, &signer.ap_id, &target).await {
        Ok(_) => Ok(Outcome::Applied),
        Err(DomainError::NotFound) if kind == "announce" && followed_here(signer, context).await? => {
            // A boost by someone followed here (a coalition's replica announcing its feed)
            // brings the post along.
            super::create_update::take_announced(&activity.object, &target, context).await?;
            ops::posts::receive_reaction(&context.store, kind, &activity.id, &signer.ap_id, &target).await?;
            Ok(Outcome::Applied)
        }
        Err(DomainError::NotFound | DomainError::Gone) => Ok(Outcome::Ignored("reaction to a post we do not hold")),
        Err(e) => Err(e.into()),
    }
}

async fn followed_here(actor: &Actor, context: &Context) -> Result<bool> {
    Ok(buurtnet_domain::store::follows::has_local_follower(&mut context.store.conn().await?, actor.id).await?)
}
