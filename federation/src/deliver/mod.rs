//! Durable delivery. Two steps, each in its own transaction:
//!
//! 1. **Expand**: an outbox entry becomes its activity (built here, once, so every retry sends
//!    the same bytes; kept once, however many inboxes it goes to) and one delivery row per
//!    inbox (shared inboxes where peers have them).
//! 2. **Deliver**: due rows are claimed with a lease, signed (on the blocking pool, RFC 9421 or
//!    draft-cavage as the peer takes it: [`knock`]) and POSTed (those that went through are
//!    recorded in batches: [`recorder`]),
//!    with bounded concurrency overall and per peer. Failures back off exponentially for
//!    `give_up_after_hours` (at least two days); peers that keep failing are recorded as
//!    unreachable (the loop is in [`worker`]). A node killed mid-way finds every unfinished
//!    row again on restart; a node stopped gracefully parks what it was sending.
//!
//! activitypub_federation's own queue is not used: it lives in memory and, in debug mode,
//! drops failures silently.

mod expand;
pub mod knock;
mod plan;
mod recorder;
mod worker;

pub use expand::expand_pending;
pub(crate) use plan::passed_on_object;
pub use worker::{Stopping, run_worker};

use crate::error::{FederationError, Result};
use crate::metrics::Metrics;
use crate::safety;
use crate::state::FederationState;
use buurtnet_domain::store::deliveries::Delivery;
use buurtnet_domain::{now_ms, store};
use recorder::Recorder;
use serde_json::Value;
use url::Url;

/// How long a claimed delivery is reserved for the worker that claimed it. Longer than a
/// request can take (timeouts are 10 s), so no delivery is sent twice at once.
pub(super) const LEASE_MS: i64 = 60_000;

/// How a delivery attempt ended.
enum Attempt {
    Delivered,
    Failed(Failure),
}

/// Why a delivery did not go through.
enum Failure {
    /// Worth trying again later.
    Retry(String),
    /// The peer said no for good, or we must never send there.
    Refused(String),
}

impl Attempt {
    fn retry(why: impl Into<String>) -> Attempt {
        Attempt::Failed(Failure::Retry(why.into()))
    }

    fn refused(why: impl Into<String>) -> Attempt {
        Attempt::Failed(Failure::Refused(why.into()))
    }
}

pub(super) async fn deliver_one(state: &FederationState, recorder: &Recorder, delivery: Delivery) {
    let attempt = match send(state, &delivery).await {
        Ok(attempt) => attempt,
        Err(e) => Attempt::retry(e.to_string()),
    };
    let recorded = match attempt {
        Attempt::Delivered => recorder.delivered(delivery.id, &delivery.host).await,
        Attempt::Failed(failure) => record_failure(state, &delivery, failure).await,
    };
    if let Err(e) = recorded {
        tracing::error!(error = %e, delivery = delivery.id, "could not record a delivery outcome; it will be retried");
    }
}

async fn send(state: &FederationState, delivery: &Delivery) -> Result<Attempt> {
    let url = Url::parse(&delivery.inbox).map_err(|_| FederationError::Malformed(format!("inbox {}", delivery.inbox)))?;
    if let Err(unsafe_target) = safety::check_url(&url, state.dev) {
        tracing::warn!(inbox = %delivery.inbox, "refusing to deliver: {unsafe_target}");
        return Ok(Attempt::refused(unsafe_target.to_string()));
    }
    if state.faults.is_cut_off(&url) {
        return Ok(Attempt::retry("network: cut off (fault injection)"));
    }
    let signer = signer_of(state, delivery.signer_id).await?;
    let outgoing = knock::Outgoing {
        method: http::Method::POST,
        url: &url,
        body: Some(delivery.body.to_string()),
        media_type: crate::protocol::ACTIVITY_JSON,
    };
    let response = match knock::send(state, signer, &outgoing).await {
        Ok(response) => response,
        Err(knock::SendError::Network(e)) => return Ok(Attempt::retry(format!("network: {e}"))),
        Err(knock::SendError::Ours(e)) => return Err(e),
    };
    Ok(judge(response.status(), &delivery.body))
}

/// The parsed key of local actor `actor_id`, read from the database the first time only.
async fn signer_of(state: &FederationState, actor_id: i64) -> Result<std::sync::Arc<crate::signatures::Signer>> {
    if let Some(signer) = state.signers.of_actor(actor_id) {
        return Ok(signer);
    }
    let actor = store::actors::by_id(&mut state.store.conn().await?, actor_id).await?;
    let private_key = actor.private_key_pem.as_deref().ok_or_else(|| FederationError::Internal("signer has no private key".into()))?;
    let signer = state.signers.get(&actor.public_key_id, private_key)?;
    state.signers.remember_actor(actor_id, signer.clone());
    Ok(signer)
}

/// What an answer means for a delivery. A 401 is usually passing (the peer could not fetch
/// our key yet), so it is tried again, except for an `Undo`: a peer that does not take
/// back what it never had (a relay that forgot us, an account gone) would be asked for
/// days.
fn judge(status: http::StatusCode, body: &str) -> Attempt {
    let passing = match status.as_u16() {
        200..=299 => return Attempt::Delivered,
        408 | 429 | 500..=599 => true,
        401 => !is_undo(body),
        _ => false,
    };
    if passing { Attempt::retry(format!("HTTP {status}")) } else { Attempt::refused(format!("HTTP {status}")) }
}

fn is_undo(body: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Kind<'a> {
        #[serde(rename = "type", borrow)]
        kind: std::borrow::Cow<'a, str>,
    }
    serde_json::from_str::<Kind>(body).is_ok_and(|k| k.kind == "Undo")
}

/// Wait before attempt `attempts + 1`: base × 2^attempts, capped, with ±10% jitter.
pub fn backoff_ms(attempts: i64, base_ms: u64, max_ms: u64) -> i64 {
    let exp = base_ms.saturating_mul(1u64 << attempts.clamp(0, 40)).min(max_ms);
    let jitter = (exp / 10).max(1);
    (exp - jitter + rand::random_range(0..=2 * jitter)) as i64
}

/// Records an attempt that did not go through (those that did go to the [`Recorder`]).
async fn record_failure(state: &FederationState, delivery: &Delivery, failure: Failure) -> Result<()> {
    let settings = &state.settings.delivery;
    let mut tx = state.store.begin().await?;
    match failure {
        Failure::Refused(why) => {
            tracing::warn!(inbox = %delivery.inbox, activity = %delivery.activity_ap_id, %why, "delivery refused; not retrying");
            store::deliveries::mark_failed(&mut tx, delivery.id, &why).await?;
            Metrics::count(&state.metrics.deliveries_failed);
            tx.commit().await?;
            return gave_up(state, delivery).await;
        }
        Failure::Retry(why) => {
            hold_peer(&mut tx, settings, &delivery.host, &why).await?;
            let give_up_at = delivery.created_at + (settings.give_up_after_hours as i64) * 3600 * 1000;
            let next = now_ms() + backoff_ms(delivery.attempts, settings.retry_base_ms, settings.retry_max_ms);
            if next > give_up_at {
                tracing::warn!(inbox = %delivery.inbox, %why, "giving up on a delivery after {} attempts", delivery.attempts + 1);
                store::deliveries::mark_failed(&mut tx, delivery.id, &why).await?;
                Metrics::count(&state.metrics.deliveries_failed);
                tx.commit().await?;
                return gave_up(state, delivery).await;
            } else {
                tracing::info!(inbox = %delivery.inbox, %why, attempt = delivery.attempts + 1, "delivery failed; will retry");
                store::deliveries::schedule_retry(&mut tx, delivery.id, next, &why).await?;
                Metrics::count(&state.metrics.deliveries_retried);
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Counts a failure of the peer at `host` and holds its whole queue back for as long as its
/// failures in a row say, so that a peer known to be down costs no signatures and no
/// connections until it is tried again (or speaks to us: `store::deliveries::wake_host`).
async fn hold_peer(tx: &mut store::Tx, settings: &crate::settings::DeliverySettings, host: &str, why: &str) -> Result<()> {
    let failures = store::deliveries::record_peer_failure(tx, host, why, settings.unreachable_after_failures).await?;
    let until = now_ms() + backoff_ms(failures - 1, settings.retry_base_ms, settings.retry_max_ms);
    store::deliveries::hold_peer(tx, host, until).await?;
    Ok(())
}

/// A delivery that will never be made: whoever waits for an answer to it is told (a member's
/// request to follow, response to an offer or need, request to take part, or proposed edit
/// on another node).
async fn gave_up(state: &FederationState, delivery: &Delivery) -> Result<()> {
    if buurtnet_domain::ops::follows::request_undeliverable(&state.store, &delivery.activity_ap_id).await? {
        return Ok(());
    }
    let carried = serde_json::from_str::<Value>(&delivery.body).ok().and_then(|body| crate::protocol::first_id(body.get("object")));
    buurtnet_domain::ops::responses::gave_up(&state.store, &delivery.activity_ap_id, carried.as_deref()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Attempt, Failure, backoff_ms, judge};

    #[test]
    fn a_401_is_passing_except_for_an_undo() {
        let unauthorized = http::StatusCode::UNAUTHORIZED;
        assert!(matches!(judge(unauthorized, r#"{"type":"Create","object":{}}"#), Attempt::Failed(Failure::Retry(_))));
        assert!(matches!(judge(unauthorized, r#"{"type":"Undo","object":{"type":"Follow"}}"#), Attempt::Failed(Failure::Refused(_))));
        assert!(matches!(judge(http::StatusCode::FORBIDDEN, r#"{"type":"Undo"}"#), Attempt::Failed(Failure::Refused(_))));
        assert!(matches!(judge(http::StatusCode::SERVICE_UNAVAILABLE, r#"{"type":"Undo"}"#), Attempt::Failed(Failure::Retry(_))));
        assert!(matches!(judge(http::StatusCode::ACCEPTED, r#"{"type":"Undo"}"#), Attempt::Delivered));
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let first = backoff_ms(0, 1000, 60_000);
        assert!((900..=1100).contains(&first));
        let third = backoff_ms(2, 1000, 60_000);
        assert!((3600..=4400).contains(&third));
        assert!(backoff_ms(30, 1000, 60_000) <= 66_000);
    }
}
