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
use crate::inbox::replay::LeftId;
use crate::protocol::activities::{ActivityJson, Verb};
use crate::protocol::outgoing::Kind;
use crate::state::Context;
use buurtnet_domain::model::{Actor, RsvpAnswer};

/// How an activity ended, for the log and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    /// Understood but not for us (an unknown type, a post nobody here follows).
    Ignored(&'static str),
}

/// Hands an activity to its verb. `left`: the activity's id, when the inbox leaves it to a
/// `Create`'s note to remember in the note's own transaction (`inbox::replay`).
pub async fn dispatch(activity: &ActivityJson, signer: &Actor, context: &Context, left: Option<&LeftId>) -> Result<Outcome> {
    let carries = |kind: &str| activity.object_type() == Some(kind);
    let Verb::Known(verb) = activity.kind else { return Ok(Outcome::Ignored("unsupported type")) };
    match verb {
        Kind::Follow => follow::receive(activity, signer, context).await,
        Kind::Accept => accept_reject::accept(activity, signer, context).await,
        Kind::Reject => accept_reject::reject(activity, signer, context).await,
        Kind::Undo => undo::receive(activity, signer, context).await,
        Kind::Create if carries("EconomicEvent") => economic_event::receive(activity, signer, context).await,
        Kind::Create | Kind::Update if carries("Patch") => patch::receive(activity, signer, context).await,
        Kind::Create => create_update::create(activity, signer, context, left).await,
        Kind::Update => create_update::update(activity, signer, context).await,
        Kind::Delete => delete::receive(activity, signer, context).await,
        Kind::Like => reactions::receive(activity, signer, context, "like").await,
        Kind::Announce => reactions::receive(activity, signer, context, "announce").await,
        Kind::Offer => offer::receive(activity, signer, context, activity.content.as_deref()).await,
        Kind::Join => rsvp::join(activity, signer, context).await,
        Kind::Flag => flag::receive(activity, signer, context).await,
        Kind::Move => moving::receive(activity, signer, context).await,
        Kind::Leave => rsvp::leave_activity(activity, signer, context).await,
        Kind::TentativeAccept => rsvp::answer_on_event(activity, signer, context, RsvpAnswer::Maybe).await,
        Kind::TentativeReject => rsvp::answer_on_event(activity, signer, context, RsvpAnswer::NotAttending).await,
    }
}
