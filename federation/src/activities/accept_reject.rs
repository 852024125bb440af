//! `Accept` and `Reject` of a `Follow` we sent.

use super::Outcome;
use crate::error::{FederationError, Result};
use crate::protocol::{self, activities::ActivityJson};
use crate::state::Context;
use buurtnet_domain::model::Actor;
use buurtnet_domain::{DomainError, ops};

fn follow_id(activity: &ActivityJson) -> Result<String> {
    protocol::first_id(Some(&activity.object)).ok_or_else(|| FederationError::Malformed(format!("{} without object", activity.kind)))
}

pub async fn accept(activity: &ActivityJson, signer: &Actor, context: &Context) -> Result<Outcome> {
    match ops::follows::receive_accept(&context.store, signer, &follow_id(activity)?).await {
        Ok(()) => Ok(Outcome::Applied),
        Err(DomainError::NotFound) => Ok(Outcome::Ignored("accept of an unknown follow")),
        Err(e) => Err(e.into()),
    }
}

pub async fn reject(activity: &ActivityJson, signer: &Actor, context: &Context) -> Result<Outcome> {
    ops::follows::receive_reject(&context.store, signer, &follow_id(activity)?).await?;
    Ok(Outcome::Applied)
}
