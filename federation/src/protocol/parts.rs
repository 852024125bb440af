//! The parts of a post's document we send beside its own terms (`protocol::note`): tags
//! (`Hashtag`, `Mention`), attachments (`Document`), places (a neighbourhood, an event's
//! `Place` with its `PostalAddress`, a `VirtualLocation`), an event's organisers (an inline
//! `OrganizersCollection`), an article's markdown `source` and a proposal's helpers.
//! `NoteJson` holds these as JSON, since it also reads what peers send in any shape; these
//! types say what we write. Absent values an event's place has always sent as `null` still are.

use serde::Serialize;
use serde_json::Value;

/// The JSON of a part, for the `NoteJson` field that holds it.
pub fn value(part: impl Serialize) -> Value {
    serde_json::to_value(part).expect("a part serialises")
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum Tag {
    /// `#name`, linking to the node's page of the tag.
    Hashtag { name: String, href: String },
    /// `@handle`, naming the actor `href`.
    Mention { href: String, name: String },
}

/// A picture or other file, as Mastodon sends them; `name` is its description.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub struct Document {
    pub media_type: String,
    pub url: String,
    pub name: String,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub blurhash: Option<String>,
}

/// A place by its name only: the neighbourhood of an offer or need.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename = "Place")]
pub struct Area {
    pub name: String,
}

/// Where an event is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub struct Place {
    pub name: String,
    pub address: Option<PostalAddress>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub struct PostalAddress {
    pub street_address: String,
}

/// An event online: the link to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub struct VirtualLocation {
    pub url: String,
}

/// An event's organisers, all on the first page (FEP-8a8e).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub struct OrganizersCollection {
    pub total_items: usize,
    pub first: CollectionPage,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub struct CollectionPage {
    pub items: Vec<String>,
}

impl OrganizersCollection {
    pub fn of(organisers: &[String]) -> OrganizersCollection {
        OrganizersCollection { total_items: organisers.len(), first: CollectionPage { items: organisers.to_vec() } }
    }
}

/// What an article is written in: its markdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    pub content: String,
    pub media_type: &'static str,
}

/// One side whose people help with a proposal (`bn:helpedBy`): an initiative's id or a
/// server's origin, and how many.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Helpers {
    pub id: String,
    pub helpers: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_mention_is_written_as_it_always_was() {
        let mention = Tag::Mention { href: "https://b.example/users/piet".into(), name: "@piet@b.example".into() };
        let expected = json!({"type": "Mention", "href": "https://b.example/users/piet", "name": "@piet@b.example"});
        assert_eq!(value(&mention).to_string(), expected.to_string());
    }
}
