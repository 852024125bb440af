//! `Flag`: a peer reports one of our accounts or posts (Mastodon sends it from its instance
//! actor). It reaches our coordinators and admins like a report made here.

use super::Outcome;
use crate::error::Result;
use crate::protocol::{self, activities::ActivityJson};
use crate::state::Context;
use buurtnet_domain::model::Actor;
use buurtnet_domain::ops;

pub async fn receive(activity: &ActivityJson, signer: &Actor, context: &Context) -> Result<Outcome> {
    let objects = protocol::ids(Some(&activity.object));
    match ops::members::receive_flag(&context.store, signer, &objects, activity.content.as_deref().unwrap_or_default()).await? {
        Some(_) => Ok(Outcome::Applied),
        None => Ok(Outcome::Ignored("a Flag of nothing we hold")),
    }
}
