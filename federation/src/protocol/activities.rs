//! The envelope every activity shares. Verbs read their own fields from the JSON.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What every activity we act on must carry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ActivityJson {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// One id; some servers embed the actor object.
    pub actor: Value,
    #[serde(default)]
    pub object: Value,
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

impl ActivityJson {
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
