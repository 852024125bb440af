//! Responses on the wire (FEP-0837): `Offer{Agreement}` from the responder to the proposal's
//! author, answered with `Accept` (carrying the `Agreement` as `result`) or `Reject`.

use buurtnet_domain::model::{Actor, Post, Proposal, Purpose, Response, ResponseState};
use serde_json::{Value, json};

fn commitment(post: &Post) -> Value {
    json!({"type": "Commitment", "satisfies": format!("{}#primary", post.ap_id), "resourceQuantity": {"hasUnit": "one", "hasNumericalValue": "1"}})
}

/// "Ik kan helpen" / "Dit wil ik graag".
pub fn offer(response: &Response, post: &Post, responder: &Actor, author: &Actor) -> Value {
    let mut activity = json!({
        "id": response.ap_id, "type": "Offer", "actor": responder.ap_id, "to": [author.ap_id],
        "object": {"type": "Agreement", "stipulates": commitment(post)},
    });
    if !response.message.is_empty() {
        activity["content"] = Value::String(response.message.clone());
    }
    activity
}

/// The author's answer to a response.
pub fn decision(id: String, response: &Response, post: &Post, author: &Actor, responder: &Actor) -> Value {
    if response.state == ResponseState::Accepted {
        let agreement = response.agreement_ap_id.clone().unwrap_or_else(|| format!("{id}#agreement"));
        json!({
            "id": id, "type": "Accept", "actor": author.ap_id, "to": [responder.ap_id], "object": response.ap_id,
            "result": {"type": "Agreement", "id": agreement, "attributedTo": author.ap_id, "stipulates": commitment(post)},
        })
    } else {
        let mut reject = json!({"id": id, "type": "Reject", "actor": author.ap_id, "to": [responder.ap_id], "object": response.ap_id});
        if let Some(reason) = response.decline_reason() {
            let (nl, en) = reason.words();
            reject["content"] = json!(nl);
            reject["contentMap"] = json!({"nl": nl, "en": en});
            reject["declineReason"] = json!(reason.as_str());
        }
        reject
    }
}

/// Hours given, as FEP-3264 describes them: `Create{EconomicEvent}` from the proposal's author.
/// For a need the responder provided the work; for an offer, the author did.
pub fn economic_event(id: String, response: &Response, post: &Post, proposal: &Proposal, author: &Actor, responder: &Actor) -> Value {
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
    json!({"id": id, "type": "Create", "actor": author.ap_id, "to": [responder.ap_id], "object": event})
}

/// The proposal an `Offer{Agreement}` answers: `stipulates.satisfies` without its fragment.
pub fn proposal_of(offer_object: &Value) -> Option<String> {
    let satisfies = offer_object.get("stipulates")?.get("satisfies")?.as_str()?;
    Some(satisfies.split('#').next().unwrap_or(satisfies).to_string())
}
