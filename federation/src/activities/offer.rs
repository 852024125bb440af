//! `Offer{Agreement}`: someone on another node responds to one of our offers or needs.

use super::Outcome;
use crate::error::{FederationError, Result};
use crate::objects::response::proposal_of;
use crate::protocol::activities::ActivityJson;
use crate::state::Context;
use buurtnet_domain::model::Actor;
use buurtnet_domain::{DomainError, ops};

pub async fn receive(activity: &ActivityJson, signer: &Actor, context: &Context, raw_content: Option<&str>) -> Result<Outcome> {
    if activity.object_type() != Some("Agreement") {
        return Ok(Outcome::Ignored("an Offer of something other than an Agreement"));
    }
    let proposal =
        proposal_of(&activity.object).ok_or_else(|| FederationError::Malformed("Agreement without stipulates.satisfies".into()))?;
    if !context.urls.is_local(&proposal) {
        return Ok(Outcome::Ignored("a response to a proposal that is not ours"));
    }
    match ops::responses::receive(&context.store, signer, &proposal, &activity.id, raw_content.unwrap_or_default()).await {
        Ok(_) => Ok(Outcome::Applied),
        Err(DomainError::Gone) => Err(FederationError::Gone),
        Err(e) => Err(e.into()),
    }
}
