//! `Delete` of a post (or of the actor itself).

use super::Outcome;
use crate::error::{FederationError, Result};
use crate::protocol::{self, activities::ActivityJson};
use crate::state::Context;
use buurtnet_domain::model::Actor;
use buurtnet_domain::ops;

pub async fn receive(activity: &ActivityJson, signer: &Actor, context: &Context) -> Result<Outcome> {
    let target = protocol::first_id(Some(&activity.object)).ok_or_else(|| FederationError::Malformed("Delete without object".into()))?;
    if target == signer.ap_id {
        ops::posts::receive_account_deletion(&context.store, signer).await?;
        return Ok(Outcome::Applied);
    }
    if !protocol::same_origin(&target, &signer.ap_id) {
        return Err(FederationError::Forbidden("an actor can only delete its own objects".into()));
    }
    ops::posts::receive_delete(&context.store, signer, &target).await?;
    Ok(Outcome::Applied)
}
