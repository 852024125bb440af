//! `Delete` of a post (or of the actor itself).

use super::Outcome;
use crate::error::{FederationError, Result};
use crate::protocol::{self, activities::ActivityJson};
use crate::state::Context;
use buurtnet_domain::model::Actor;
use buurtnet_domain::ops;
use serde_json::Value;

pub async fn receive(activity: &ActivityJson, signer: &Actor, context: &Context) -> Result<Outcome> {
    let target = activity.object_id().ok_or_else(|| FederationError::Malformed("Delete without object".into()))?;
    if target == signer.ap_id {
        ops::posts::receive_account_deletion(&context.store, signer).await?;
        return Ok(Outcome::Applied);
    }
    if !protocol::same_origin(&target, &signer.ap_id) {
        return Err(FederationError::Forbidden("an actor can only delete its own objects".into()));
    }
    let tombstone = is_signed_tombstone(&activity.object, signer, &target)?.then(|| activity.text_of(&activity.object));
    ops::posts::receive_delete(&context.store, signer, &target, tombstone.as_deref()).await?;
    Ok(Outcome::Applied)
}

/// Whether `object` is the author's signed `Tombstone` of `target` (coalition content: kept
/// to pass the deletion on). One whose proof fails was altered on the way and is refused.
pub(crate) fn is_signed_tombstone(object: &Value, author: &Actor, target: &str) -> Result<bool> {
    if !crate::objects::coalition_content::is_tombstone(object) || object.get("proof").is_none() {
        return Ok(false);
    }
    if object["id"] != target || protocol::first_id(object.get("attributedTo")).as_deref() != Some(author.ap_id.as_str()) {
        return Err(FederationError::Forbidden("the tombstone is not of this post or not by its author".into()));
    }
    crate::objects::coalition_content::check_if_signed(object, author)
}
