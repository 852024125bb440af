//! `Patch` (our `bn:Patch`): an edit to an article on another node, a unified diff against
//! the revision it starts from. `Update{Patch}` carries it whole to the article's home; the
//! home's `Accept` or `Reject` names it by id and article. Only what we send: a received
//! patch is read from the activity's JSON where it arrives (`activities::patch`).

use serde::Serialize;

/// The media type of a patch's `content`.
pub const DIFF: &str = "text/x-diff";

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Patch {
    pub id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<String>,
    /// The article.
    pub object: String,
    /// The revision the diff starts from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_version: Option<String>,
    /// The diff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<&'static str>,
    /// What the edit does, in its author's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

impl Patch {
    /// A patch by id, as an answer names it.
    pub fn named(id: String, article: String) -> Patch {
        Patch {
            id,
            kind: "Patch",
            attributed_to: None,
            object: article,
            previous_version: None,
            content: None,
            media_type: None,
            summary: None,
        }
    }

    /// `author`'s edit of `article`: `diff` against revision `base`, with its `summary`.
    pub fn edit(id: String, author: String, article: String, base: String, diff: String, summary: String) -> Patch {
        Patch {
            attributed_to: Some(author),
            previous_version: Some(base),
            content: Some(diff),
            media_type: Some(DIFF),
            summary: Some(summary),
            ..Patch::named(id, article)
        }
    }
}
