//! The web crate's own settings; the node composes them from its config file (`[web]`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebSettings {
    /// How people become members: `invitation` (a code from a coordinator), `approval`
    /// (anyone may ask, a coordinator approves) or `closed`.
    pub registrations: Registrations,
    /// How long an access token for an app lives, in seconds. Unset (the default, as on
    /// Mastodon): until revoked. Apps with a refresh token renew an expired one.
    pub access_token_lifetime_secs: Option<u64>,
    /// How long a login on the web pages lasts without use, in hours.
    pub session_idle_hours: u64,
    /// Addresses of reverse proxies in front of the node, whose `X-Forwarded-For` tells the
    /// client's address for the rate limits. Empty: every connection is its own client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Whether the node sends e-mail (from the config's `[mail]`, not a `[web]` setting).
    #[serde(skip)]
    pub mail: Option<MailStatus>,
}

/// How the node sends e-mail, as its pages tell it.
#[derive(Debug, Clone, Default)]
pub struct MailStatus {
    /// The SMTP server, as `host:port`.
    pub relay: String,
    /// The sender address.
    pub from: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Registrations {
    Invitation,
    Approval,
    Closed,
}

impl Default for WebSettings {
    fn default() -> Self {
        WebSettings {
            registrations: Registrations::Invitation,
            access_token_lifetime_secs: None,
            session_idle_hours: 24 * 14,
            trusted_proxies: Vec::new(),
            mail: None,
        }
    }
}

impl WebSettings {
    pub fn token_lifetime(&self) -> buurtnet_domain::ops::oauth::TokenLifetime {
        buurtnet_domain::ops::oauth::TokenLifetime(self.access_token_lifetime_secs.map(std::time::Duration::from_secs))
    }
}

impl Registrations {
    pub fn parse(text: &str) -> Option<Registrations> {
        match text {
            "invitation" => Some(Registrations::Invitation),
            "approval" => Some(Registrations::Approval),
            "closed" => Some(Registrations::Closed),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Registrations::Invitation => "invitation",
            Registrations::Approval => "approval",
            Registrations::Closed => "closed",
        }
    }
}

/// The node's name, description, rules and sign-up way in force: what administrators set on
/// the pages, else the config file's defaults.
pub struct InForce {
    pub name: String,
    pub description: String,
    pub rules: Vec<String>,
    pub registrations: Registrations,
}

pub async fn in_force(store: &buurtnet_domain::store::Store, config: &WebSettings, domain: &str) -> InForce {
    let stored = buurtnet_domain::ops::node_settings::load(store).await.unwrap_or_default();
    InForce {
        name: if stored.name.trim().is_empty() { domain.to_string() } else { stored.name },
        description: stored.description,
        rules: stored.rules,
        registrations: Registrations::parse(&stored.registrations).unwrap_or(config.registrations),
    }
}
