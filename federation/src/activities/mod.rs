//! What we do with each activity a peer sends, one file per verb. The inbox has already
//! checked the signature, that the signer is the activity's actor, and that the activity id
//! lives on the actor's origin.

mod accept_reject;
mod create_update;
mod delete;
mod economic_event;
mod flag;
mod follow;
mod moving;
mod offer;
mod patch;
mod reactions;
mod rsvp;
mod undo;

/// For the fuzz targets (`fuzz/`): how Create and Update read their object.
#[doc(hidden)]
pub use create_update::parse_note;
/// For the fuzz targets and tests: how a `Move` is read.
#[doc(hidden)]
pub use moving::{MoveActivity, parse_move};

use crate::error::Result;
use crate::protocol::activities::ActivityJson;
use crate::state::Context;
use buurtnet_domain::model::Actor;

/// How an activity ended, for the log and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    /// Understood but not for us (an unknown type, a post nobody here follows).
    Ignored(&'static str),
}

/// Hands an activity to its verb.
pub async fn dispatch(activity: &ActivityJson, signer: &Actor, context: &Context) -> Result<Outcome> {
    match activity.kind.as_str() {
        "Follow" => follow::receive(activity, signer, context).await,
        "Accept" => accept_reject::accept(activity, signer, context).await,
        "Reject" => accept_reject::reject(activity, signer, context).await,
        "Undo" => undo::receive(activity, signer, context).await,
        "Create" if activity.object.get("type").and_then(serde_json::Value::as_str) == Some("EconomicEvent") => {
            economic_event::receive(activity, signer, context).await
        }
        "Create" | "Update" if patch::is_patch(activity) => patch::receive(activity, signer, context).await,
        "Create" => create_update::create(activity, signer, context).await,
        "Update" => create_update::update(activity, signer, context).await,
        "Delete" => delete::receive(activity, signer, context).await,
        "Like" => reactions::receive(activity, signer, context, "like").await,
        "Announce" => reactions::receive(activity, signer, context, "announce").await,
        "Offer" => offer::receive(activity, signer, context, activity.content.as_deref()).await,
        "Join" => rsvp::join(activity, signer, context).await,
        "Flag" => flag::receive(activity, signer, context).await,
        "Move" => moving::receive(activity, signer, context).await,
        "Leave" => rsvp::leave_activity(activity, signer, context).await,
        "TentativeAccept" => rsvp::answer_on_event(activity, signer, context, buurtnet_domain::model::RsvpAnswer::Maybe).await,
        "TentativeReject" => rsvp::answer_on_event(activity, signer, context, buurtnet_domain::model::RsvpAnswer::NotAttending).await,
        _ => Ok(Outcome::Ignored("unsupported type")),
    }
}
