//! The activities this node sends, as a type (issue 14): one envelope with the ActivityStreams
//! terms our activities use, its `type` from a closed list. The object is the document the
//! activity carries: an object's own wire type serialised, an id, or another activity (the
//! `Follow` an `Accept` answers, the `Like` an `Undo` takes back). Which activity carries
//! which terms is written once, in the builders beside each kind of object (`objects/`) and
//! in `deliver::plan`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `type` of an activity: the verbs we know, all of which we send but the two tentative
/// answers (a Friendica guest's "maybe" and "no" to an event), which we only receive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Accept,
    Announce,
    Create,
    Delete,
    Flag,
    Follow,
    Join,
    Leave,
    Like,
    Move,
    Offer,
    Reject,
    TentativeAccept,
    TentativeReject,
    Undo,
    Update,
}

/// An activity as it goes out (without `@context`, which `protocol::with_context` adds).
#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: Kind,
    pub actor: String,
    pub object: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cc: Option<Value>,
    /// Where a `Move` goes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// What an `Accept` made (the `Agreement` of a response).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
    /// A message with the activity: a report's comment, a response's words, a reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(rename = "contentMap", skip_serializing_if = "Option::is_none")]
    pub content_map: Option<Value>,
    /// Why a response was declined, as a code (FEDERATION.md).
    #[serde(rename = "declineReason", skip_serializing_if = "Option::is_none")]
    pub decline_reason: Option<&'static str>,
}

impl Activity {
    /// `actor` does `kind` to `object` (an id, an object's wire type, another activity), as
    /// activity `id`.
    pub fn new(kind: Kind, id: impl Into<String>, actor: &str, object: impl Serialize) -> Activity {
        Activity {
            id: id.into(),
            kind,
            actor: actor.to_string(),
            object: serde_json::to_value(object).expect("an object serialises"),
            published: None,
            to: None,
            cc: None,
            target: None,
            result: None,
            content: None,
            content_map: None,
            decline_reason: None,
        }
    }

    /// Addressed `to` these (one id or a list).
    pub fn to(mut self, to: impl Serialize) -> Activity {
        self.to = Some(serde_json::to_value(to).expect("addresses serialise"));
        self
    }

    pub fn cc(mut self, cc: impl Serialize) -> Activity {
        self.cc = Some(serde_json::to_value(cc).expect("addresses serialise"));
        self
    }

    /// What the activity made (an `Accept`'s `Agreement`).
    pub fn result(mut self, result: impl Serialize) -> Activity {
        self.result = Some(serde_json::to_value(result).expect("a result serialises"));
        self
    }

    pub fn content(mut self, content: impl Into<String>) -> Activity {
        self.content = Some(content.into());
        self
    }

    /// The JSON document (what `deliver::plan` signs and stores).
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).expect("an activity serialises")
    }
}

impl From<Activity> for Value {
    fn from(activity: Activity) -> Value {
        activity.to_value()
    }
}

/// The `Follow` that `Undo`, `Accept` and `Reject` of a follow carry.
pub fn follow(id: &str, follower: &str, followee: &str) -> Activity {
    Activity::new(Kind::Follow, id, follower, followee)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_terms_given_go_out() {
        let like = Activity::new(Kind::Like, "https://a.example/likes/1", "https://a.example/u/fatima", "https://b.example/notes/1")
            .to(["https://b.example/u/piet"]);
        assert_eq!(
            like.to_value(),
            json!({"id": "https://a.example/likes/1", "type": "Like", "actor": "https://a.example/u/fatima",
                   "object": "https://b.example/notes/1", "to": ["https://b.example/u/piet"]})
        );
        let undo = Activity::new(Kind::Undo, "https://a.example/a/2", "https://a.example/u/fatima", like.clone());
        assert_eq!(undo.to_value()["object"], like.to_value(), "an activity carries another as its object");
    }
}
