//! Taking part in events on the wire, as Mobilizon does: `Join` with the event as object,
//! answered with `Accept` or `Reject` of the `Join` (embedded, so peers that do not keep our
//! activities still know what is answered), and `Leave`.

use crate::protocol::outgoing::{Activity, Kind};
use buurtnet_domain::model::{Actor, Participation, ParticipationState, Post};

pub fn join(participation: &Participation, event: &Post, participant: &Actor, organiser: &Actor) -> Activity {
    Activity::new(Kind::Join, &participation.join_ap_id, &participant.ap_id, event.ap_id.as_str()).to([&organiser.ap_id])
}

/// The organiser's answer: `Accept` when taking part, `Reject` otherwise.
pub fn answer(id: String, participation: &Participation, event: &Post, participant: &Actor, organiser: &Actor) -> Activity {
    let kind = if participation.state == ParticipationState::Accepted { Kind::Accept } else { Kind::Reject };
    let join = Activity { to: None, ..join(participation, event, participant, organiser) };
    Activity::new(kind, id, &organiser.ap_id, join).to([&participant.ap_id])
}

pub fn leave(id: String, event: &Post, participant: &Actor, organiser: &Actor) -> Activity {
    Activity::new(Kind::Leave, id, &participant.ap_id, event.ap_id.as_str()).to([&organiser.ap_id])
}
