//! Wire types, named after their JSON `type`. Parsing is lenient where real servers differ
//! (one value or an array, a link or an embedded object), strict where safety needs it (ids).

pub mod activities;
pub mod actor;
pub mod coalition;
pub mod collections;
pub mod discovery;
pub mod note;
pub mod outgoing;
pub mod parts;
pub mod patch;
pub mod valueflows;

use serde_json::{Value, json};

pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
pub const AS_CONTEXT: &str = "https://www.w3.org/ns/activitystreams";
pub const ACTIVITY_JSON: &str = "application/activity+json";

/// The `@context` of every document we serve: only contexts Fedify and others preload, plus
/// our terms inline (documented in FEDERATION.md).
pub fn context() -> Value {
    json!([
        AS_CONTEXT,
        "https://w3id.org/security/v1",
        "https://w3id.org/security/multikey/v1",
        {
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "sensitive": "as:sensitive",
            "Hashtag": "as:Hashtag",
            "toot": "http://joinmastodon.org/ns#",
            "discoverable": "toot:discoverable",
            "indexable": "toot:indexable",
            "alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"},
            "movedTo": {"@id": "as:movedTo", "@type": "@id"},
            "vf": "https://w3id.org/valueflows/ont/vf#",
            "om2": "http://www.ontology-of-units-of-measure.org/resource/om-2/",
            "Proposal": "vf:Proposal",
            "Intent": "vf:Intent",
            "purpose": "vf:purpose",
            "publishes": "vf:publishes",
            "action": "vf:action",
            "resourceConformsTo": "vf:resourceConformsTo",
            "resourceQuantity": "vf:resourceQuantity",
            "hasUnit": "om2:hasUnit",
            "hasNumericalValue": "om2:hasNumericalValue",
            "Agreement": "vf:Agreement",
            "Commitment": "vf:Commitment",
            "stipulates": "vf:stipulates",
            "satisfies": "vf:satisfies",
            "EconomicEvent": "vf:EconomicEvent",
            "effortQuantity": "vf:effortQuantity",
            "provider": "vf:provider",
            "receiver": "vf:receiver",
            "fulfills": "vf:fulfills",
            "finished": "vf:finished",
            "note": "vf:note",
            "mz": "https://joinmobilizon.org/ns#",
            "ical": "http://www.w3.org/2002/12/cal/ical#",
            "bn": "urn:buurtnet:ns#",
            "revision": {"@id": "bn:revision", "@type": "@id"},
            "revisionNumber": "bn:revisionNumber",
            "forkedFrom": {"@id": "bn:forkedFrom", "@type": "@id"},
            "Patch": "bn:Patch",
            "proposalState": "bn:proposalState",
            "declineReason": "bn:declineReason",
            "forResident": "bn:forResident",
            "firstResponseAt": {"@id": "bn:firstResponseAt", "@type": "http://www.w3.org/2001/XMLSchema#dateTime"},
            "fulfilledAt": {"@id": "bn:fulfilledAt", "@type": "http://www.w3.org/2001/XMLSchema#dateTime"},
            "hoursGiven": "bn:hoursGiven",
            "helpedBy": "bn:helpedBy",
            "helpers": "bn:helpers",
            "previousVersion": {"@id": "bn:previousVersion", "@type": "@id"},
            "series": {"@id": "bn:series", "@type": "@id"},
            "joinMode": "mz:joinMode",
            "participantCount": "mz:participantCount",
            "maximumAttendeeCapacity": "https://schema.org/maximumAttendeeCapacity",
            "timezone": "mz:timezone",
            "PostalAddress": "https://schema.org/PostalAddress",
            "address": "https://schema.org/address",
            "streetAddress": "https://schema.org/streetAddress"
        }
    ])
}

/// Adds our `@context` in front of a serialised object.
pub fn with_context(value: Value) -> Value {
    let mut out = serde_json::Map::new();
    out.insert("@context".into(), context());
    if let Value::Object(map) = value {
        out.extend(map);
    }
    Value::Object(out)
}

/// The ids in a property that may hold one id, an object with an id, or an array of those.
pub fn ids(value: Option<&Value>) -> Vec<String> {
    match value {
        None | Some(Value::Null) => vec![],
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items.iter().flat_map(|v| ids(Some(v))).collect(),
        Some(Value::Object(map)) => map.get("id").and_then(Value::as_str).map(|s| vec![s.to_string()]).unwrap_or_default(),
        Some(_) => vec![],
    }
}

/// The single id of a property (the first, if there are several).
pub fn first_id(value: Option<&Value>) -> Option<String> {
    ids(value).into_iter().next()
}

/// True when `a` and `b` are URLs on the same origin (scheme, host and port).
pub fn same_origin(a: &str, b: &str) -> bool {
    match (url::Url::parse(a), url::Url::parse(b)) {
        (Ok(a), Ok(b)) => a.origin() == b.origin(),
        _ => false,
    }
}

/// Whether any text of a document (a value or a name) holds a NUL character: no text of
/// ActivityPub is meant to, and PostgreSQL cannot store one, so a document that holds one is
/// refused whole, wherever it comes from (the inbox, an object fetched by id).
pub fn any_text_holds_nul(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains('\0'),
        Value::Array(items) => items.iter().any(any_text_holds_nul),
        Value::Object(fields) => fields.iter().any(|(name, value)| name.contains('\0') || any_text_holds_nul(value)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_reads_every_shape() {
        assert_eq!(ids(Some(&json!("https://a.example/1"))), vec!["https://a.example/1"]);
        assert_eq!(ids(Some(&json!({"id": "https://a.example/1", "type": "Person"}))), vec!["https://a.example/1"]);
        assert_eq!(
            ids(Some(&json!(["https://a.example/1", {"id": "https://a.example/2"}]))),
            vec!["https://a.example/1", "https://a.example/2"]
        );
        assert!(ids(None).is_empty());
        assert!(same_origin("http://localhost:1/a", "http://localhost:1/b"));
        assert!(!same_origin("http://localhost:1/a", "http://localhost:2/a"));
    }
}
