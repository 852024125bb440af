//! Federation health for the node's administrators: every peer with its delivery state
//! (pending, given up, since when, the last error), trying a peer again, and what could not
//! be sent at all (outbox entries set aside).

use crate::error::{DomainError, Result};
use crate::model::Actor;
use crate::now_ms;
use crate::store::{self, Store};
use std::collections::BTreeMap;

/// How far back "try again" revives deliveries that were given up.
const REVIVE_FAILED_MS: i64 = 7 * 24 * 3600 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerState {
    Healthy,
    /// Recent attempts failed; retries go on.
    Failing,
    /// Failed many times in a row.
    Unreachable,
}

/// One peer as the health page shows it.
#[derive(Debug, Clone)]
pub struct PeerHealth {
    pub host: String,
    pub state: PeerState,
    pub pending: i64,
    pub failed: i64,
    pub pending_since: Option<i64>,
    pub last_success_at: Option<i64>,
    pub failing_since: Option<i64>,
    pub last_error: Option<String>,
}

async fn require_admin(store: &Store, member: &Actor) -> Result<()> {
    if store::actors::is_admin(&mut store.conn().await?, member.id).await? { Ok(()) } else { Err(DomainError::Forbidden) }
}

/// What could not be sent at all: outbox entries set aside (unreadable, or naming something
/// that cannot be planned), newest first, at most `limit`; and how many there are.
pub async fn set_aside(store: &Store, admin: &Actor, limit: i64) -> Result<(Vec<store::outbox::SetAside>, i64)> {
    require_admin(store, admin).await?;
    let mut conn = store.conn().await?;
    Ok((store::outbox::set_aside_entries(&mut conn, limit).await?, store::outbox::count_set_aside(&mut conn).await?))
}

/// Every peer we deliver to or heard from, failing ones first.
pub async fn overview(store: &Store, admin: &Actor) -> Result<Vec<PeerHealth>> {
    require_admin(store, admin).await?;
    let mut conn = store.conn().await?;
    let mut peers: BTreeMap<String, PeerHealth> = BTreeMap::new();
    for peer in store::deliveries::peers(&mut conn).await? {
        let state = if peer.unreachable_since.is_some() {
            PeerState::Unreachable
        } else if peer.consecutive_failures > 0 {
            PeerState::Failing
        } else {
            PeerState::Healthy
        };
        let failing_since = peer.unreachable_since.or(peer.last_failure_at.filter(|_| peer.consecutive_failures > 0));
        peers.insert(
            peer.host.clone(),
            PeerHealth {
                host: peer.host,
                state,
                pending: 0,
                failed: 0,
                pending_since: None,
                last_success_at: peer.last_success_at,
                failing_since,
                last_error: peer.last_error.filter(|_| state != PeerState::Healthy),
            },
        );
    }
    for (host, pending, failed, since) in store::deliveries::per_host(&mut conn).await? {
        let entry = peers.entry(host.clone()).or_insert(PeerHealth {
            host,
            state: PeerState::Healthy,
            pending: 0,
            failed: 0,
            pending_since: None,
            last_success_at: None,
            failing_since: None,
            last_error: None,
        });
        entry.pending = pending;
        entry.failed = failed;
        entry.pending_since = since;
    }
    let mut list: Vec<PeerHealth> = peers.into_values().collect();
    list.sort_by_key(|p| (p.state == PeerState::Healthy, p.state != PeerState::Unreachable, p.host.clone()));
    Ok(list)
}

/// Tries a peer again at once (pending deliveries due now, recently given-up ones revived).
pub async fn retry(store: &Store, admin: &Actor, host: &str) -> Result<u64> {
    require_admin(store, admin).await?;
    let mut tx = store.begin().await?;
    let touched = store::deliveries::retry_host(&mut tx, host, now_ms() - REVIVE_FAILED_MS).await?;
    tx.commit().await?;
    Ok(touched)
}

/// Whether a member administers this node.
pub async fn is_admin(store: &Store, member: &Actor) -> Result<bool> {
    store::actors::is_admin(&mut store.conn().await?, member.id).await
}
