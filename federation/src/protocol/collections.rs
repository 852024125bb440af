//! Paged `OrderedCollection`s: outbox, followers, following.

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
