//! Responses on the wire (FEP-0837): `Offer{Agreement}` from the responder to the proposal's
//! author, answered with `Accept` (carrying the `Agreement` as `result`) or `Reject`.

use crate::protocol::outgoing::{Activity, Kind};
use buurtnet_domain::model::{Actor, Post, Proposal, Purpose, Response, ResponseState};
use serde_json::{Value, json};

fn commitment(post: &Post) -> Value {
    json!({"type": "Commitment", "satisfies": format!("{}#primary", post.ap_id), "resourceQuantity": {"hasUnit": "one", "hasNumericalValue": "1"}})
}

/// "Ik kan helpen" / "Dit wil ik graag".
pub fn offer(response: &Response, post: &Post, responder: &Actor, author: &Actor) -> Activity {
    let agreement = json!({"type": "Agreement", "stipulates": commitment(post)});
    let activity = Activity::new(Kind::Offer, &response.ap_id, &responder.ap_id, agreement).to([&author.ap_id]);
    if response.message.is_empty() { activity } else { activity.content(&response.message) }
}

/// The author's answer to a response.
pub fn decision(id: String, response: &Response, post: &Post, author: &Actor, responder: &Actor) -> Activity {
    if response.state == ResponseState::Accepted {
        let agreement = response.agreement_ap_id.clone().unwrap_or_else(|| format!("{id}#agreement"));
        let result = json!({"type": "Agreement", "id": agreement, "attributedTo": author.ap_id, "stipulates": commitment(post)});
        let accept = Activity::new(Kind::Accept, id, &author.ap_id, response.ap_id.as_str()).to([&responder.ap_id]);
        return Activity { result: Some(result), ..accept };
    }
    let reject = Activity::new(Kind::Reject, id, &author.ap_id, response.ap_id.as_str()).to([&responder.ap_id]);
    match response.decline_reason() {
        Some(reason) => {
            let (nl, en) = reason.words();
            let content_map = Some(json!({"nl": nl, "en": en}));
            Activity { content_map, decline_reason: Some(reason.as_str()), ..reject.content(nl) }
        }
        None => reject,
    }
}

/// Hours given, as FEP-3264 describes them: `Create{EconomicEvent}` from the proposal's author.
/// For a need the responder provided the work; for an offer, the author did.
pub fn economic_event(id: String, response: &Response, post: &Post, proposal: &Proposal, author: &Actor, responder: &Actor) -> Activity {
    let (provider, receiver) = match proposal.purpose {
        Purpose::Request => (&responder.ap_id, &author.ap_id),
        Purpose::Offer => (&author.ap_id, &responder.ap_id),
    };
    let agreement = response.agreement_ap_id.clone().unwrap_or_else(|| response.ap_id.clone());
    let mut event = json!({
        "type": "EconomicEvent", "id": format!("{}#fulfilled", post.ap_id), "attributedTo": author.ap_id,
        "context": post.ap_id, "fulfills": format!("{agreement}#primary"), "action": "work",
        "provider": provider, "receiver": receiver, "finished": true,
    });
    if let Some(hours) = proposal.hours_given {
        event["effortQuantity"] = json!({"hasUnit": "hour", "hasNumericalValue": format!("{hours}")});
    }
    if let Some(thanks) = &proposal.thanks {
        event["note"] = json!(thanks);
    }
    Activity::new(Kind::Create, id, &author.ap_id, event).to([&responder.ap_id])
}

/// The proposal an `Offer{Agreement}` answers: `stipulates.satisfies` without its fragment.
pub fn proposal_of(offer_object: &Value) -> Option<String> {
    let satisfies = offer_object.get("stipulates")?.get("satisfies")?.as_str()?;
    Some(satisfies.split('#').next().unwrap_or(satisfies).to_string())
}
