//! The federation crate's own settings; the node composes them from its config file.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FederationSettings {
    /// Require a valid HTTP signature on every ActivityPub GET (Mastodon's "secure mode").
    pub authorized_fetch: bool,
    /// Largest inbox body we read, in bytes.
    pub max_inbox_body: usize,
    /// Most remote fetches one incoming request may cause.
    pub fetch_limit: u32,
    /// Seconds between two anti-entropy rounds, in which the node asks a few other replicas
    /// of each coalition for what it lacks.
    pub coalition_sync_secs: u64,
    pub delivery: DeliverySettings,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeliverySettings {
    /// Deliveries in flight at once, over all peers.
    pub concurrency: usize,
    /// Deliveries in flight at once to one peer host.
    pub per_peer_concurrency: usize,
    /// Wait before the first retry, in milliseconds; doubled for each further attempt.
    pub retry_base_ms: u64,
    /// Longest wait between two attempts, in milliseconds.
    pub retry_max_ms: u64,
    /// How long we keep trying a delivery before giving up, in hours (at least two days).
    pub give_up_after_hours: u64,
    /// Failures in a row after which a peer is recorded as unreachable.
    pub unreachable_after_failures: i64,
    /// Timeout of one delivery request, in milliseconds.
    pub request_timeout_ms: u64,
}

impl Default for FederationSettings {
    fn default() -> Self {
        FederationSettings {
            authorized_fetch: false,
            max_inbox_body: 512 * 1024,
            fetch_limit: 10,
            coalition_sync_secs: 300,
            delivery: DeliverySettings::default(),
        }
    }
}

impl Default for DeliverySettings {
    fn default() -> Self {
        DeliverySettings {
            concurrency: 64,
            per_peer_concurrency: 8,
            retry_base_ms: 30_000,
            retry_max_ms: 6 * 3600 * 1000,
            give_up_after_hours: 72,
            unreachable_after_failures: 5,
            request_timeout_ms: 10_000,
        }
    }
}
