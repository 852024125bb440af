//! Actors: the node's instance actor, initiatives (groups), members (persons), and the remote
//! actors we have met.

use crate::error::{DomainError, Result, Say};
use serde::{Deserialize, Serialize};
use std::fmt;
use url::Url;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    /// The node itself (`Application`), which signs node-level fetches.
    Application,
    /// A group (`Group` or `Organization` on the wire). Here, an initiative; from elsewhere,
    /// an initiative on another node or any other server's group (a Mobilizon group, a
    /// forum), which is why the name is not `Initiative`: `is_local` tells them apart.
    Group,
    /// A member (`Person`).
    Person,
    /// A bot or other automated remote actor (`Service`).
    Service,
    /// This node's replica of a coalition (a `Group` on the wire, at `/coalitions/{slug}`),
    /// which people and servers follow for the coalition's feed.
    Coalition,
}

impl ActorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Application => "application",
            ActorKind::Group => "group",
            ActorKind::Person => "person",
            ActorKind::Service => "service",
            ActorKind::Coalition => "coalition",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "application" => Ok(ActorKind::Application),
            "group" => Ok(ActorKind::Group),
            "person" => Ok(ActorKind::Person),
            "service" => Ok(ActorKind::Service),
            "coalition" => Ok(ActorKind::Coalition),
            other => Err(DomainError::Corrupt(format!("unknown actor kind {other:?}"))),
        }
    }
}

/// A local username: 1 to 30 characters of lowercase letters, digits and underscores, as
/// WebFinger handles and Mastodon clients expect.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self> {
        let name = raw.trim().to_lowercase();
        let valid_chars = name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if name.is_empty() || name.len() > 30 || !valid_chars {
            return Err(DomainError::invalid("username", Say::UsernameCharacters));
        }
        Ok(Username(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Key material of a local actor, as PEM and multibase text. The domain stores it and never
/// interprets it; the federation crate makes and uses it.
#[derive(Clone)]
pub struct ActorKeys {
    pub rsa_public_pem: String,
    pub rsa_private_pem: String,
    pub ed25519_public_multibase: String,
    pub ed25519_private_pkcs8: String,
}

impl fmt::Debug for ActorKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActorKeys").field("ed25519_public_multibase", &self.ed25519_public_multibase).finish_non_exhaustive()
    }
}

/// An actor as stored: local ones carry private keys, remote ones what we fetched.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Actor {
    pub id: i64,
    pub ap_id: String,
    #[sqlx(try_from = "String")]
    pub kind: ActorKindColumn,
    pub username: String,
    pub domain: String,
    pub is_local: bool,
    pub display_name: String,
    pub summary: String,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub outbox: Option<String>,
    pub followers: Option<String>,
    pub following: Option<String>,
    pub url: Option<String>,
    pub public_key_id: String,
    pub public_key_pem: String,
    pub private_key_pem: Option<String>,
    pub ed25519_public_multibase: Option<String>,
    pub ed25519_private_pkcs8: Option<String>,
    pub manually_approves_followers: bool,
    pub fetched_at: i64,
    pub created_at: i64,
    /// For initiatives: the scope their needs get by default.
    #[sqlx(try_from = "String")]
    pub default_need_visibility: crate::model::Visibility,
    /// The actor's new identity once it moved (a `Move` we sent, or one we accepted): it
    /// posts no more, and its page says where it went.
    pub moved_to: Option<String>,
}

/// Column wrapper so that `FromRow` can parse the kind text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActorKindColumn(pub ActorKind);

impl TryFrom<String> for ActorKindColumn {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self> {
        ActorKind::parse(&value).map(ActorKindColumn)
    }
}

impl Actor {
    pub fn kind(&self) -> ActorKind {
        self.kind.0
    }

    pub fn ap_url(&self) -> Url {
        Url::parse(&self.ap_id).expect("stored actor ids are valid URLs")
    }

    /// The inbox to deliver to: the shared inbox where the actor's server has one.
    pub fn delivery_inbox(&self) -> &str {
        self.shared_inbox.as_deref().unwrap_or(&self.inbox)
    }

    /// `user@domain`, as WebFinger and Mastodon write it.
    pub fn handle(&self) -> String {
        format!("{}@{}", self.username, self.domain)
    }
}

/// What it takes to store an actor, local or remote.
#[derive(Debug, Clone)]
pub struct NewActor {
    pub ap_id: Url,
    pub kind: ActorKind,
    pub username: String,
    pub domain: String,
    pub is_local: bool,
    pub display_name: String,
    pub summary: String,
    pub inbox: Url,
    pub shared_inbox: Option<Url>,
    pub outbox: Option<Url>,
    pub followers: Option<Url>,
    pub following: Option<Url>,
    pub url: Option<Url>,
    pub public_key_id: String,
    pub public_key_pem: String,
    pub private_key_pem: Option<String>,
    pub ed25519_public_multibase: Option<String>,
    pub ed25519_private_pkcs8: Option<String>,
    pub manually_approves_followers: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalised_and_checked() {
        assert_eq!(Username::parse(" Alice ").unwrap().as_str(), "alice");
        assert!(Username::parse("").is_err());
        assert!(Username::parse("a b").is_err());
        assert!(Username::parse("émile").is_err());
        assert!(Username::parse(&"x".repeat(31)).is_err());
    }
}
