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
    /// What an `Accept` produced (an `Agreement`, FEP-0837).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<serde_json::Value>,
}
