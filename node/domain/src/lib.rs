//! # buurtnet-domain
//!
//! What a Buurtnet node is and keeps, with no HTTP and no ActivityStreams JSON.
//!
//! - [`model`]: plain types that validate on parse ([`model::Username`], [`model::Visibility`],
//!   [`model::Actor`], [`model::Post`], [`model::Follow`]).
//! - [`store`]: the only SQL; one interface over SQLite and PostgreSQL ([`store::Store`]).
//! - [`ops`]: use cases. Each authorises, validates, and writes its rows together with an
//!   [`outbox::Outgoing`] entry in one transaction.
//! - [`outbox`]: what peers must hear about; the federation crate turns entries into deliveries.
//!
//! Architecture invariant: this crate never depends on activitypub_federation, axum or reqwest.

pub mod error;
pub mod model;
pub mod ops;
pub mod outbox;
pub mod store;
pub mod urls;
pub mod words;

pub use error::{DomainError, Result};
pub use store::Store;

/// Milliseconds since the Unix epoch: how every time is stored, in both dialects.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
