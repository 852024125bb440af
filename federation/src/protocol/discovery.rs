//! WebFinger, host-meta and NodeInfo documents.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Webfinger {
    pub subject: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub links: Vec<WebfingerLink>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WebfingerLink {
    pub rel: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
}
