//! `Person`, `Group`, `Application` and `Service` actor documents.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActorJson {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub inbox: Url,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub following: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Endpoints>,
    pub public_key: PublicKeyJson,
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "lenient_multikeys")]
    pub assertion_method: Vec<Multikey>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manually_approves_followers: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discoverable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indexable: Option<bool>,
    /// A profile page: a link, or a Link object (Mobilizon, Pleroma).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Earlier identities of this actor (Mastodon's account aliases): one id, or several,
    /// or objects with an `id`.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "lenient_ids")]
    pub also_known_as: Vec<String>,
    /// Where the actor moved to, once it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_inbox: Option<Url>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicKeyJson {
    pub id: String,
    pub owner: Url,
    pub public_key_pem: String,
}

/// FEP-521a: a key published as `assertionMethod`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Multikey {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub controller: Url,
    pub public_key_multibase: String,
}

fn lenient_multikeys<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Multikey>, D::Error> {
    let value = Value::deserialize(d)?;
    let items = match value {
        Value::Array(items) => items,
        other => vec![other],
    };
    Ok(items.into_iter().filter_map(|v| serde_json::from_value(v).ok()).collect())
}

fn lenient_ids<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(super::ids(Some(&value)))
}

impl ActorJson {
    /// The kinds of actor we take part with.
    pub fn is_actor_type(&self) -> bool {
        matches!(self.kind.as_str(), "Person" | "Group" | "Application" | "Service" | "Organization")
    }

    /// The profile page, when it is an `http(s)` address.
    pub fn profile_url(&self) -> Option<Url> {
        self.any_profile_url().filter(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some())
    }

    fn any_profile_url(&self) -> Option<Url> {
        match &self.url {
            Some(Value::String(s)) => Url::parse(s).ok(),
            Some(Value::Object(link)) => link.get("href").and_then(Value::as_str).and_then(|s| Url::parse(s).ok()),
            Some(Value::Array(items)) => {
                items.iter().find_map(|v| v.as_str().or_else(|| v.get("href")?.as_str())).and_then(|s| Url::parse(s).ok())
            }
            _ => None,
        }
    }
}
