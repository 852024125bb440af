//! Taking part in events on the wire, as Mobilizon does: `Join` with the event as object,
//! answered with `Accept` or `Reject` of the `Join` (embedded, so peers that do not keep our
//! activities still know what is answered), and `Leave`.

use buurtnet_domain::model::{Actor, Participation, ParticipationState, Post};
use serde_json::{Value, json};

pub fn join(participation: &Participation, event: &Post, participant: &Actor, organiser: &Actor) -> Value {
    json!({
        "id": participation.join_ap_id, "type": "Join", "actor": participant.ap_id,
        "object": event.ap_id, "to": [organiser.ap_id],
    })
}

/// The organiser's answer: `Accept` when taking part, `Reject` otherwise.
pub fn answer(id: String, participation: &Participation, event: &Post, participant: &Actor, organiser: &Actor) -> Value {
    let kind = if participation.state == ParticipationState::Accepted { "Accept" } else { "Reject" };
    let mut join = join(participation, event, participant, organiser);
    join.as_object_mut().map(|j| j.remove("to"));
    json!({"id": id, "type": kind, "actor": organiser.ap_id, "object": join, "to": [participant.ap_id]})
}

pub fn leave(id: String, event: &Post, participant: &Actor, organiser: &Actor) -> Value {
    json!({"id": id, "type": "Leave", "actor": participant.ap_id, "object": event.ap_id, "to": [organiser.ap_id]})
}
