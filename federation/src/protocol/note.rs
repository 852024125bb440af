//! `Note` (plain posts) and `Tombstone`.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteJson {
    pub id: String,
    #[serde(rename = "type", default, deserialize_with = "one_type")]
    pub kind: String,
    /// Mastodon and most servers: one id; some send an array or an object.
    pub attributed_to: Value,
    #[serde(default)]
    pub content: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_map: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Value>,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub to: Value,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub cc: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replies: Option<Value>,
    /// The title of a proposal (FEP-0837) or article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// FEP-0837: `offer` or `request`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// FEP-0837: the `Intent` a proposal publishes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publishes: Option<Value>,
    /// Buurtnet (`bn:proposalState`): `open`, `in_progress`, `fulfilled`, `withdrawn` or
    /// `expired`, so that every copy of an offer or need shows the same state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal_state: Option<String>,
    /// Buurtnet (`bn:forResident`, `bn:firstResponseAt`, `bn:fulfilledAt`, `bn:hoursGiven`,
    /// `bn:helpedBy`): what the figures count, stated by the author's node so that every copy
    /// counts the same. Never who the resident or the helpers are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_resident: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_response_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fulfilled_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_given: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helped_by: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Value>,
    /// Buurtnet: when help is wanted or offered (dates, `YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// FEP-8a8e events: IANA time zone, join mode, capacity and participants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_attendee_capacity: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_count: Option<i64>,
    /// FEP-8a8e: the actors organising an event (a collection, an array or null).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organizers: Option<Value>,
    /// Buurtnet: the page of the repeating event (series) this event is one date of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// Mobilizon's event state: `CONFIRMED`, `TENTATIVE` or `CANCELLED`.
    #[serde(default, rename = "ical:status", skip_serializing_if = "Option::is_none")]
    pub event_status: Option<String>,
    /// Images (`Document` or `Image` objects with `url`, `mediaType`, `name` as alt text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Value>,
    /// Articles: the markdown they are written in (`{"content", "mediaType"}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Value>,
    /// Articles: the id and number of the current revision, and the article forked from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_number: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forked_from: Option<String>,
    /// FEP-7888: the conversation the post belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    /// The post this one quotes: FEP-044f `quote`, and the older `quoteUri` (Fedibird),
    /// `quoteUrl` (Akkoma) and `_misskey_quote` (Misskey).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_uri: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_url: Option<Value>,
    #[serde(default, rename = "_misskey_quote", skip_serializing_if = "Option::is_none")]
    pub misskey_quote: Option<Value>,
}

/// The types of objects we show, in the order we prefer one when an object names several.
pub const SHOWN_TYPES: [&str; 10] = ["Note", "Question", "Proposal", "Article", "Page", "Event", "Image", "Video", "Audio", "Document"];

/// `type` as one name: a string, or of an array the first type we show (Mastodon shows
/// `["Note", "Article"]` as a note), else its first; null, absent or anything else is "".
fn one_type<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(kind) => kind,
        Value::Array(kinds) => {
            let names: Vec<&str> = kinds.iter().filter_map(Value::as_str).collect();
            SHOWN_TYPES.iter().find(|k| names.contains(k)).or(names.first()).map(|k| k.to_string()).unwrap_or_default()
        }
        _ => String::new(),
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TombstoneJson {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub former_type: Option<String>,
    /// Coalition content: who deleted it and when, so that its signed `Tombstone` says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<String>,
}
