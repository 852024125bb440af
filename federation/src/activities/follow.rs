//! `Follow`: a peer asks to follow one of our actors.

use super::Outcome;
use crate::error::{FederationError, Result};
use crate::protocol::activities::ActivityJson;
use crate::state::Context;
use buurtnet_domain::model::Actor;
use buurtnet_domain::{ops, store};

pub async fn receive(activity: &ActivityJson, signer: &Actor, context: &Context) -> Result<Outcome> {
    let target = activity.object_id().ok_or_else(|| FederationError::Malformed("Follow without object".into()))?;
    let followee = store::actors::by_ap_id(&mut context.store.conn().await?, &target)
        .await?
        .filter(|a| a.is_local)
        .ok_or(FederationError::NotFound)?;
    ops::follows::receive_follow(&context.store, signer, &followee, &activity.id).await?;
    context.wake_delivery();
    Ok(Outcome::Applied)
}
