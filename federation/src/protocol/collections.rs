//! Paged `OrderedCollection`s: outbox, followers, following, and the pages a coalition's
//! replicas read from each other from a mark on.

use serde::Serialize;
use serde_json::Value;

/// The collection itself: its size and where its pages start.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollection {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub total_items: i64,
    pub first: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollectionPage {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub part_of: String,
    pub total_items: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
    pub ordered_items: Vec<Value>,
}

/// A page of a coalition replica's operations or content after a mark, without its items:
/// they follow byte for byte as their authors signed them (`activities::with_verbatim`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MarkedPage {
    pub id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    pub part_of: String,
    /// Content pages: how far the reader has read with this page (`bn:readUpTo`).
    #[serde(rename = "bn:readUpTo", skip_serializing_if = "Option::is_none")]
    pub read_up_to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

impl MarkedPage {
    /// The page of `base` after mark `after`; `next`, the mark to read on from, when it is full.
    pub fn new(base: &str, after: &str, next: Option<&str>) -> Self {
        MarkedPage {
            id: format!("{base}?after={after}"),
            kind: "OrderedCollectionPage",
            part_of: base.to_string(),
            read_up_to: None,
            next: next.map(|mark| format!("{base}?after={mark}")),
        }
    }

    /// A content page, read up to `mark`.
    pub fn reading_up_to(self, mark: String) -> Self {
        MarkedPage { read_up_to: Some(mark), ..self }
    }
}

/// Items per collection page.
pub const PAGE_SIZE: i64 = 20;

impl OrderedCollection {
    pub fn new(id: String, total_items: i64) -> Self {
        OrderedCollection { first: format!("{id}?page=1"), id, kind: "OrderedCollection", total_items }
    }
}

impl OrderedCollectionPage {
    /// Page `page` (from 1) of `id`, holding `items`; a next link when more may follow.
    pub fn new(id: &str, page: i64, total_items: i64, items: Vec<Value>) -> Self {
        let has_more = page * PAGE_SIZE < total_items;
        OrderedCollectionPage {
            id: format!("{id}?page={page}"),
            kind: "OrderedCollectionPage",
            part_of: id.to_string(),
            total_items,
            next: has_more.then(|| format!("{id}?page={}", page + 1)),
            prev: (page > 1).then(|| format!("{id}?page={}", page - 1)),
            ordered_items: items,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_marked_page_is_written_as_the_replicas_always_read_it() {
        let base = "https://a.example/coalitions/d/operations";
        let last = serde_json::to_value(MarkedPage::new(base, "0", None)).unwrap();
        let expected = json!({"id": format!("{base}?after=0"), "type": "OrderedCollectionPage", "partOf": base});
        assert_eq!(last.to_string(), expected.to_string());
        let content = "https://a.example/coalitions/d/content";
        let full = MarkedPage::new(content, "3.0", Some("17.2")).reading_up_to("17.2".into());
        let expected = json!({"id": format!("{content}?after=3.0"), "type": "OrderedCollectionPage", "partOf": content,
            "bn:readUpTo": "17.2", "next": format!("{content}?after=17.2")});
        assert_eq!(serde_json::to_value(full).unwrap().to_string(), expected.to_string());
    }
}
