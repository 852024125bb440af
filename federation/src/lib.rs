//! # buurtnet-federation
//!
//! ActivityPub for Buurtnet, and the only crate that knows activitypub_federation and HTTP
//! signatures.
//!
//! - [`protocol`]: wire structs named after their JSON `type`.
//! - [`objects`]: `ApubActor(Actor)` and the `Note` converters; where rows meet wire shapes.
//! - [`activities`]: what we do with each verb a peer sends.
//! - [`inbox`]: signature-checked inbox; [`http`]: discovery, actor documents, collections.
//! - [`deliver`]: the durable outbox worker; [`signatures`], [`keys`], [`safety`].
//! - [`state::FederationState`]: what handlers and workers share.
// The inline JSON-LD context is one large json! literal.
#![recursion_limit = "256"]

pub mod activities;
pub mod bounded;
pub mod coalitions;
pub mod deliver;
pub mod error;
pub mod faults;
pub mod http;
pub mod inbox;
pub mod integrity;
pub mod keys;
pub mod metrics;
pub mod moving;
pub mod objects;
pub mod protocol;
pub mod remote_follow;
pub mod safety;
pub mod settings;
pub mod signatures;
pub mod state;

pub use error::FederationError;
pub use settings::FederationSettings;
pub use state::{Context, FederationState};

/// Host with port when there is one (`localhost:8081`): how handles, blocklists and delivery
/// bookkeeping name a peer.
pub fn host_of(url: &url::Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        _ => String::new(),
    }
}
