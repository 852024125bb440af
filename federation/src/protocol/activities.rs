//! The envelope every activity a peer sends shares, typed: its verb from a closed list (any
//! other kept by name), its actor as one id. Each verb reads its object into its own type
//! (`parse_note`, `parse_move`, `response::proposal_of`, ...).

use super::outgoing::Kind;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// The `type` of an activity a peer sends: one of the verbs we know, or any other by its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Verb {
    Known(Kind),
    /// A verb we do not act on (`Add`, `Block`, `Question`, ...).
    Other(String),
}

impl std::fmt::Display for Verb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verb::Known(kind) => write!(f, "{kind:?}"),
            Verb::Other(name) => f.write_str(name),
        }
    }
}

/// What every activity we act on must carry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ActivityJson {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: Verb,
    /// The actor's id (some servers embed the actor object; of a list, the first).
    #[serde(deserialize_with = "one_id")]
    pub actor: String,
    #[serde(default)]
    pub object: Value,
    /// Where a `Move` goes (and what other verbs aim at).
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub target: Value,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub to: Value,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub cc: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Text that goes with the activity (the message of a response, the reason of a Reject).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Why a response was declined (`bn:declineReason`, one of our codes), beside `content`.
    #[serde(default, rename = "declineReason", skip_serializing_if = "Option::is_none")]
    pub decline_reason: Option<String>,
    /// What an `Accept` produced (an `Agreement`, FEP-0837).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<serde_json::Value>,
    /// The embedded `object` exactly as the sender wrote it (filled by the inbox, never sent):
    /// coalition content is kept, and passed on, byte for byte as its author wrote it.
    #[serde(skip)]
    pub object_text: Option<String>,
}

/// A property that must name one object: an id, an object with an id, or a list of those
/// (the first counts).
fn one_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let value = Value::deserialize(deserializer)?;
    super::first_id(Some(&value)).ok_or_else(|| serde::de::Error::custom("names no id"))
}

impl ActivityJson {
    /// The id of the object, embedded or named.
    pub fn object_id(&self) -> Option<String> {
        super::first_id(Some(&self.object))
    }

    /// The `type` of an embedded object.
    pub fn object_type(&self) -> Option<&str> {
        self.object.get("type").and_then(Value::as_str)
    }

    /// The text to keep of `object` (this activity's object, or one fetched for it): as the
    /// sender wrote it when it came embedded, else written out here.
    pub fn text_of(&self, object: &Value) -> String {
        match &self.object_text {
            Some(text) if self.object == *object => text.clone(),
            _ => object.to_string(),
        }
    }
}

/// The embedded object of an activity's body, byte for byte, when it is an object.
pub fn embedded_object_text(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Envelope<'a> {
        #[serde(borrow)]
        object: Option<&'a serde_json::value::RawValue>,
    }
    let envelope: Envelope = serde_json::from_slice(body).ok()?;
    envelope.object.map(|object| object.get()).filter(|text| text.starts_with('{')).map(str::to_string)
}

/// `document` written out with the value at `key` replaced by `text`, a JSON text kept byte
/// for byte (a post with its author's proof, passed on as the author wrote it).
pub fn with_verbatim(mut document: Value, key: &str, text: &str) -> String {
    const PLACEHOLDER: &str = "urn:buurtnet:verbatim:6f1d0c";
    document[key] = Value::String(PLACEHOLDER.into());
    document.to_string().replacen(&format!("\"{PLACEHOLDER}\""), text, 1)
}

/// Who an activity we sent was for, from its addressing: what `ops::visibility` needs to
/// decide who may fetch it by its id.
pub fn addressing_of(activity: &Value) -> buurtnet_domain::ops::visibility::SentActivity {
    let field = |name: &str| super::ids(activity.get(name));
    let mut addressed: Vec<String> = ["to", "cc", "bto", "audience"].into_iter().flat_map(field).collect();
    let kind = activity.get("type").and_then(Value::as_str).unwrap_or_default();
    let object = activity.get("object");
    let inner_kind = object.and_then(|o| o.get("type")).and_then(Value::as_str);
    match (kind, object) {
        // A Follow (and its Undo) is for the actor it is about, named only as its object.
        ("Follow", Some(Value::String(followee))) => addressed.push(followee.clone()),
        ("Undo", Some(inner)) if inner_kind == Some("Follow") => addressed.extend(super::ids(inner.get("object"))),
        // An answer is for whoever asked.
        ("Accept" | "Reject", Some(inner)) => addressed.extend(super::ids(inner.get("actor"))),
        // A report names whom it is about, not whom it is for (their moderators, whom we
        // cannot tell apart): it resolves for nobody.
        ("Flag", _) => addressed.clear(),
        _ => {}
    }
    let public = addressed.iter().any(|id| is_public(id));
    // A profile `Update` carries an actor, which is public; a post's follows the post.
    let object_is_actor = inner_kind.is_some_and(|t| ACTOR_TYPES.contains(&t));
    let publishes = match kind {
        "Create" | "Update" if !object_is_actor => super::first_id(object),
        _ => None,
    };
    buurtnet_domain::ops::visibility::SentActivity {
        actor: super::first_id(activity.get("actor")).unwrap_or_default(),
        public,
        addressed,
        publishes,
    }
}

const ACTOR_TYPES: [&str; 5] = ["Person", "Group", "Application", "Service", "Organization"];

/// The public collection, in any of the three ways it is written.
pub fn is_public(id: &str) -> bool {
    id == super::PUBLIC || id == "as:Public" || id == "Public"
}

#[cfg(test)]
mod tests {
    use super::{ActivityJson, Kind, Verb, addressing_of};
    use serde_json::json;

    fn envelope(actor: serde_json::Value, kind: &str) -> Result<ActivityJson, serde_json::Error> {
        serde_json::from_value(json!({"id": "https://a.example/a/1", "type": kind, "actor": actor, "object": "https://b.example/n/1"}))
    }

    #[test]
    fn the_envelope_names_its_verb_and_one_actor() {
        let embedded = envelope(json!({"id": WEIDE, "type": "Person"}), "TentativeAccept").unwrap();
        assert_eq!((embedded.kind, embedded.actor.as_str()), (Verb::Known(Kind::TentativeAccept), WEIDE));
        let listed = envelope(json!([WEIDE, KOE]), "Like").unwrap();
        assert_eq!(listed.actor, WEIDE);
        let other = envelope(json!(WEIDE), "Question").unwrap();
        assert_eq!(other.kind, Verb::Other("Question".into()));
        assert_eq!(serde_json::to_value(&other).unwrap()["type"], "Question");
        assert_eq!(envelope(json!(WEIDE), "Undo").unwrap().kind.to_string(), "Undo");
        assert!(envelope(json!(7), "Like").is_err(), "an actor must be named");
        assert!(envelope(json!({"type": "Person"}), "Like").is_err(), "an embedded actor needs its id");
    }

    const WEIDE: &str = "https://a.example/users/weide";
    const KOE: &str = "https://b.example/users/koe";

    #[test]
    fn a_post_decides_for_its_create_and_a_profile_update_is_public() {
        let create =
            json!({"type": "Create", "actor": WEIDE, "to": ["as:Public"], "object": {"id": "https://a.example/notes/1", "type": "Note"}});
        let sent = addressing_of(&create);
        assert_eq!(sent.publishes.as_deref(), Some("https://a.example/notes/1"));
        assert!(sent.public);
        let update = json!({"type": "Update", "actor": WEIDE, "to": [crate::protocol::PUBLIC], "object": {"id": WEIDE, "type": "Person"}});
        assert_eq!(addressing_of(&update).publishes, None);
    }

    #[test]
    fn follows_and_answers_are_for_the_other_side() {
        let follow = json!({"type": "Follow", "actor": WEIDE, "object": KOE});
        assert_eq!(addressing_of(&follow).addressed, vec![KOE]);
        let undo = json!({"type": "Undo", "actor": WEIDE, "object": {"type": "Follow", "actor": WEIDE, "object": KOE}});
        assert_eq!(addressing_of(&undo).addressed, vec![KOE]);
        let accept = json!({"type": "Accept", "actor": KOE, "object": {"type": "Follow", "actor": WEIDE, "object": KOE}});
        assert_eq!(addressing_of(&accept).addressed, vec![WEIDE]);
        assert!(!addressing_of(&accept).public);
    }

    #[test]
    fn a_report_is_for_nobody_it_names() {
        let flag = json!({"type": "Flag", "actor": "https://a.example/actor", "to": [KOE], "object": [KOE], "content": "waarom"});
        assert!(addressing_of(&flag).addressed.is_empty());
    }
}
