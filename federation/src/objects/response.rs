//! Responses on the wire (FEP-0837): `Offer{Agreement}` from the responder to the proposal's
//! author, answered with `Accept` (carrying the `Agreement` as `result`) or `Reject`.

use crate::protocol::outgoing::{Activity, Kind};
use crate::protocol::valueflows::{Agreement, Commitment, EconomicEvent, Quantity};
use buurtnet_domain::model::{Actor, Post, Proposal, Purpose, Response, ResponseState};
use serde_json::{Value, json};

/// One of what the proposal's intent publishes.
fn commitment(post: &Post) -> Commitment {
    Commitment::one_of(format!("{}#primary", post.ap_id))
}

/// "Ik kan helpen" / "Dit wil ik graag".
pub fn offer(response: &Response, post: &Post, responder: &Actor, author: &Actor) -> Activity {
    let agreement = Agreement { id: None, attributed_to: None, stipulates: commitment(post) };
    let activity = Activity::new(Kind::Offer, &response.ap_id, &responder.ap_id, agreement).to([&author.ap_id]);
    if response.message.is_empty() { activity } else { activity.content(&response.message) }
}

/// The author's answer to a response.
pub fn decision(id: String, response: &Response, post: &Post, author: &Actor, responder: &Actor) -> Activity {
    if response.state == ResponseState::Accepted {
        let agreement = response.agreement_ap_id.clone().unwrap_or_else(|| format!("{id}#agreement"));
        let result = Agreement { id: Some(agreement), attributed_to: Some(author.ap_id.clone()), stipulates: commitment(post) };
        return Activity::new(Kind::Accept, id, &author.ap_id, response.ap_id.as_str()).to([&responder.ap_id]).result(result);
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
    let agreement = response.agreement_ap_id.as_ref().unwrap_or(&response.ap_id);
    let event = EconomicEvent {
        id: format!("{}#fulfilled", post.ap_id),
        attributed_to: author.ap_id.clone(),
        context: post.ap_id.clone(),
        fulfills: format!("{agreement}#primary"),
        action: "work",
        provider: provider.clone(),
        receiver: receiver.clone(),
        finished: true,
        effort_quantity: proposal.hours_given.map(Quantity::hours),
        note: proposal.thanks.clone(),
    };
    Activity::new(Kind::Create, id, &author.ap_id, event).to([&responder.ap_id])
}

/// The proposal an `Offer{Agreement}` answers: `stipulates.satisfies` without its fragment.
pub fn proposal_of(offer_object: &Value) -> Option<String> {
    let satisfies = offer_object.get("stipulates")?.get("satisfies")?.as_str()?;
    Some(satisfies.split('#').next().unwrap_or(satisfies).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::samples::{self, assert_sends};
    use buurtnet_domain::model::DeclineReason;

    const POST: &str = "https://a.example/notes/1";
    const AUTHOR: &str = "https://a.example/users/anna";
    const RESPONDER: &str = "https://b.example/users/piet";
    const RESPONSE: &str = "https://b.example/responses/1";

    fn commitment() -> Value {
        json!({"type": "Commitment", "satisfies": format!("{POST}#primary"), "resourceQuantity": {"hasUnit": "one", "hasNumericalValue": "1"}})
    }

    #[test]
    fn an_offer_carries_an_agreement_that_stipulates_a_commitment() {
        let mut response = samples::response(RESPONSE, ResponseState::Pending);
        let (post, author, responder) = (samples::post(POST), samples::actor(AUTHOR), samples::actor(RESPONDER));
        let expected = json!({"id": RESPONSE, "type": "Offer", "actor": RESPONDER,
            "object": {"type": "Agreement", "stipulates": commitment()}, "to": [AUTHOR]});
        assert_sends(offer(&response, &post, &responder, &author), expected.clone());
        response.message = "Ik kom dinsdag".into();
        let mut with_words = expected;
        with_words["content"] = json!("Ik kom dinsdag");
        assert_sends(offer(&response, &post, &responder, &author), with_words);
    }

    #[test]
    fn an_accept_carries_the_agreement_and_a_reject_its_reason() {
        let (post, author, responder) = (samples::post(POST), samples::actor(AUTHOR), samples::actor(RESPONDER));
        let accepted = samples::response(RESPONSE, ResponseState::Accepted);
        assert_sends(
            decision("https://a.example/a/1".into(), &accepted, &post, &author, &responder),
            json!({"id": "https://a.example/a/1", "type": "Accept", "actor": AUTHOR, "object": RESPONSE, "to": [RESPONDER],
                "result": {"type": "Agreement", "id": "https://a.example/a/1#agreement", "attributedTo": AUTHOR, "stipulates": commitment()}}),
        );
        let named = buurtnet_domain::model::Response { agreement_ap_id: Some("https://a.example/agreements/7".into()), ..accepted };
        let sent = decision("https://a.example/a/2".into(), &named, &post, &author, &responder).to_value();
        assert_eq!(sent["result"]["id"], "https://a.example/agreements/7");
        let rejected = samples::response(RESPONSE, ResponseState::Rejected);
        assert_sends(
            decision("https://a.example/a/3".into(), &rejected, &post, &author, &responder),
            json!({"id": "https://a.example/a/3", "type": "Reject", "actor": AUTHOR, "object": RESPONSE, "to": [RESPONDER]}),
        );
        let reason = DeclineReason::OtherChosen;
        let declined = buurtnet_domain::model::Response { reason: Some(reason.as_str().into()), ..rejected };
        let (nl, en) = reason.words();
        assert_sends(
            decision("https://a.example/a/4".into(), &declined, &post, &author, &responder),
            json!({"id": "https://a.example/a/4", "type": "Reject", "actor": AUTHOR, "object": RESPONSE, "to": [RESPONDER],
                "content": nl, "contentMap": {"nl": nl, "en": en}, "declineReason": "other_chosen"}),
        );
    }

    #[test]
    fn hours_given_are_an_economic_event_with_effort_and_thanks_only_when_known() {
        let (post, author, responder) = (samples::post(POST), samples::actor(AUTHOR), samples::actor(RESPONDER));
        let response = samples::response(RESPONSE, ResponseState::Accepted);
        let event = |provider: &str, receiver: &str| {
            json!({"type": "EconomicEvent", "id": format!("{POST}#fulfilled"), "attributedTo": AUTHOR, "context": POST,
                "fulfills": format!("{RESPONSE}#primary"), "action": "work", "provider": provider, "receiver": receiver, "finished": true})
        };
        let offered = samples::proposal(Purpose::Offer);
        assert_sends(
            economic_event("https://a.example/a/5".into(), &response, &post, &offered, &author, &responder),
            json!({"id": "https://a.example/a/5", "type": "Create", "actor": AUTHOR, "object": event(AUTHOR, RESPONDER), "to": [RESPONDER]}),
        );
        let asked = Proposal { hours_given: Some(1.5), thanks: Some("Dank je wel!".into()), ..samples::proposal(Purpose::Request) };
        let agreed = buurtnet_domain::model::Response { agreement_ap_id: Some("https://a.example/agreements/7".into()), ..response };
        let mut object = event(RESPONDER, AUTHOR);
        object["fulfills"] = json!("https://a.example/agreements/7#primary");
        object["effortQuantity"] = json!({"hasUnit": "hour", "hasNumericalValue": "1.5"});
        object["note"] = json!("Dank je wel!");
        assert_sends(
            economic_event("https://a.example/a/6".into(), &agreed, &post, &asked, &author, &responder),
            json!({"id": "https://a.example/a/6", "type": "Create", "actor": AUTHOR, "object": object, "to": [RESPONDER]}),
        );
    }
}
