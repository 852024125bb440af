//! The delivery worker: claims due deliveries with a lease and sends them, with bounded
//! concurrency overall and per peer, until the node stops. On a graceful stop it claims
//! nothing more, lets the deliveries in flight finish within the grace period and parks the
//! rest (their leases released, their attempts not counted), so the next start sends them at
//! once instead of waiting for a lease to run out.
//!
//! Several processes may run a worker on one PostgreSQL database (issue 18). Each claims
//! under its own process number and shows it is alive ([`Presence`]); every few seconds it
//! frees the leases of processes that are gone, so what a killed process was sending goes
//! out from another at once rather than when the lease runs out.

use super::recorder::Recorder;
use super::{LEASE_MS, deliver_one};
use crate::error::{FederationError, Result};
use crate::state::FederationState;
use buurtnet_domain::store::deliveries::Delivery;
use buurtnet_domain::store::processes::Presence;
use buurtnet_domain::{now_ms, store};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

/// Turns true when the node is asked to stop; the grace period is how long work in flight
/// may still take.
#[derive(Clone)]
pub struct Stopping {
    pub signal: watch::Receiver<bool>,
    pub grace: Duration,
}

impl Stopping {
    /// Whether the node was asked to stop, or is gone (its sender dropped without asking:
    /// `asked` then completes at once, so a worker that went on would spin).
    pub fn is_set(&self) -> bool {
        *self.signal.borrow() || self.signal.has_changed().is_err()
    }

    /// Completes once the node is asked to stop (at once if it already was).
    pub async fn asked(&mut self) {
        // An error means the sender is gone, which also means stop.
        let _ = self.signal.wait_for(|stop| *stop).await;
    }
}

/// The deliveries being sent now, by row id, so that those cut off at a stop can be parked.
#[derive(Default, Clone)]
struct InFlight(Arc<Mutex<HashSet<i64>>>);

impl InFlight {
    fn add(&self, id: i64) {
        self.0.lock().expect("in-flight set").insert(id);
    }

    fn done(&self, id: i64) {
        self.0.lock().expect("in-flight set").remove(&id);
    }

    fn left(&self) -> Vec<i64> {
        self.0.lock().expect("in-flight set").iter().copied().collect()
    }
}

/// Expands the outbox and delivers what is due until `stopping` is set; returns how many
/// deliveries were parked for the next start.
pub async fn run_worker(state: FederationState, mut stopping: Stopping) -> usize {
    let settings = state.settings.delivery.clone();
    let slots = Arc::new(Semaphore::new(settings.concurrency));
    let per_peer: Arc<Mutex<HashMap<String, Arc<Semaphore>>>> = Arc::default();
    let (mut sending, in_flight) = (JoinSet::new(), InFlight::default());
    let recorder = Recorder::start(state.clone());
    let Some(mut presence) = announce(&state, &mut stopping).await else { return 0 };
    let mut last_sweep: Option<Instant> = None;
    while !stopping.is_set() {
        while sending.try_join_next().is_some() {}
        if last_sweep.is_none_or(|at| at.elapsed() >= SWEEP_EVERY) {
            if let Err(e) = presence.renew(&state.store).await {
                tracing::error!(error = %e, "could not show other processes that this one is alive; will try again");
            }
            release_orphaned_leases(&state).await;
            last_sweep = Some(Instant::now());
        }
        if let Err(e) = super::expand_pending(&state).await {
            tracing::error!(error = %e, "could not expand the outbox; will try again");
        }
        if slots.available_permits() == 0 {
            // Every slot is busy: wait for a quarter of them to free, then claim those at
            // once (not one claim per freed slot, nor a fixed pause that leaves slots idle).
            wait_for_slots(&mut sending, &slots, settings.concurrency.div_ceil(4)).await;
            continue;
        }
        let claimed = match claim(&state, slots.available_permits(), &busy_hosts(&per_peer)).await {
            Ok(claimed) => claimed,
            Err(e) => {
                // Not at once: what is due stays due, so trying again at once would spin.
                tracing::error!(error = %e, "could not claim deliveries; will try again in {CLAIM_RETRY:?}");
                tokio::select! {
                    _ = tokio::time::sleep(CLAIM_RETRY) => {}
                    _ = stopping.asked() => {}
                }
                continue;
            }
        };
        if claimed.is_empty() {
            tokio::select! {
                _ = idle(&state) => {}
                _ = stopping.asked() => {}
            }
            continue;
        }
        let mut deferred = Vec::new();
        for delivery in claimed {
            let peer = per_peer
                .lock()
                .expect("peer map")
                .entry(delivery.host.clone())
                .or_insert_with(|| Arc::new(Semaphore::new(settings.per_peer_concurrency)))
                .clone();
            // A peer with all its slots busy must not hold up deliveries to others: its rows
            // go back to the queue and are claimed again once it has room.
            let Ok(peer_slot) = peer.try_acquire_owned() else {
                deferred.push(delivery.id);
                continue;
            };
            let slot = slots.clone().acquire_owned().await.expect("semaphore open");
            let (state, in_flight, recorder) = (state.clone(), in_flight.clone(), recorder.clone());
            in_flight.add(delivery.id);
            sending.spawn(async move {
                let id = delivery.id;
                deliver_one(&state, &recorder, delivery).await;
                in_flight.done(id);
                // A delivery of the same object held behind this one may go now.
                state.delivery_wake.notify_one();
                drop(peer_slot);
                drop(slot);
            });
        }
        if !deferred.is_empty() {
            release(&state, &deferred).await;
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    park(&state, sending, in_flight, stopping.grace).await
}

/// Waits until `wanted` slots are free as deliveries finish, or at most [`SLOT_WAIT`], so
/// that the loop still sees a stop or a newly due row.
async fn wait_for_slots(sending: &mut JoinSet<()>, slots: &Semaphore, wanted: usize) {
    let deadline = tokio::time::sleep(SLOT_WAIT);
    tokio::pin!(deadline);
    while slots.available_permits() < wanted {
        tokio::select! {
            finished = sending.join_next() => if finished.is_none() { return },
            _ = &mut deadline => return,
        }
    }
}

/// The longest the worker waits for busy slots before looking around again.
const SLOT_WAIT: Duration = Duration::from_millis(20);

fn busy_hosts(per_peer: &Mutex<HashMap<String, Arc<Semaphore>>>) -> Vec<String> {
    let peers = per_peer.lock().expect("peer map");
    peers.iter().filter(|(_, slots)| slots.available_permits() == 0).map(|(host, _)| host.clone()).collect()
}

/// Lets the deliveries in flight finish within `grace`, then cuts off the rest and puts them
/// back in the queue as they were.
async fn park(state: &FederationState, mut sending: JoinSet<()>, in_flight: InFlight, grace: Duration) -> usize {
    let finished = tokio::time::timeout(grace, async { while sending.join_next().await.is_some() {} }).await;
    if finished.is_ok() {
        return 0;
    }
    sending.abort_all();
    while sending.join_next().await.is_some() {}
    let left = in_flight.left();
    release(state, &left).await;
    tracing::info!("{} deliveries were still being sent; they are parked and go out at the next start", left.len());
    left.len()
}

/// Puts claimed deliveries back in the queue at once.
async fn release(state: &FederationState, ids: &[i64]) {
    let released = async {
        let mut tx = state.store.begin().await?;
        store::deliveries::release_leases(&mut tx, ids).await?;
        tx.commit().await?;
        Ok::<_, FederationError>(())
    };
    if let Err(e) = released.await {
        tracing::warn!(error = %e, "could not release claimed deliveries; they resume when their lease runs out");
    }
}

/// How often a worker checks that it still shows it is alive and frees the leases of
/// processes that are gone.
const SWEEP_EVERY: Duration = Duration::from_secs(5);

/// The shortest wait for work when the claim took nothing (ms).
const LEFT_DUE_POLL_MS: i64 = 100;

/// How long the worker waits after a claim failed (the database refused or is gone).
const CLAIM_RETRY: Duration = Duration::from_secs(1);

/// Shows the other processes on the database that this one is alive, trying again until it
/// can (or the node stops: then `None`). Without it they would free this one's leases.
async fn announce(state: &FederationState, stopping: &mut Stopping) -> Option<Presence> {
    loop {
        match Presence::announce(&state.store).await {
            Ok(presence) => return Some(presence),
            Err(e) => tracing::error!(error = %e, "could not show other processes that this one delivers; trying again"),
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = stopping.asked() => return None,
        }
    }
}

/// Frees the leases of processes that are gone (a crash of this node's previous run, or
/// another process on the same database killed), so their deliveries go out again.
async fn release_orphaned_leases(state: &FederationState) {
    let released = async {
        let mut tx = state.store.begin().await?;
        let n = store::deliveries::release_orphaned_leases(&mut tx, state.store.process_id()).await?;
        tx.commit().await?;
        Ok::<_, FederationError>(n)
    };
    match released.await {
        Ok(0) => {}
        Ok(n) => tracing::info!("resuming {n} deliveries that a process no longer running was sending"),
        Err(e) => tracing::error!(error = %e, "could not release the leases of gone processes; they resume when their lease runs out"),
    }
}

async fn claim(state: &FederationState, free: usize, busy_hosts: &[String]) -> Result<Vec<Delivery>> {
    let mut tx = state.store.begin().await?;
    let claimed = store::deliveries::claim_due(&mut tx, state.store.process_id(), free.min(200) as i64, LEASE_MS, busy_hosts).await?;
    tx.commit().await?;
    Ok(claimed)
}

/// Waits for new work: a wake-up, the next due retry, or a poll (other processes, such as
/// the CLI, write to the same database).
async fn idle(state: &FederationState) {
    let next_due = match state.store.conn().await {
        Ok(mut conn) => store::deliveries::next_due_at(&mut conn).await.ok().flatten(),
        Err(_) => None,
    };
    let poll = Duration::from_millis(1000);
    // Something due that the claim left (its peer's slots are all busy) waits for a delivery
    // to end, which wakes this; without the floor the worker would claim nothing in a loop.
    let wait = next_due.map(|due| Duration::from_millis((due - now_ms()).clamp(LEFT_DUE_POLL_MS, 1000) as u64)).unwrap_or(poll);
    tokio::select! {
        _ = state.delivery_wake.notified() => {}
        _ = tokio::time::sleep(wait) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::Stopping;
    use std::time::Duration;
    use tokio::sync::watch;

    #[test]
    fn a_worker_stops_when_asked_and_when_its_node_is_gone() {
        let (stop, signal) = watch::channel(false);
        let stopping = Stopping { signal, grace: Duration::ZERO };
        assert!(!stopping.is_set());
        stop.send(true).expect("a receiver");
        assert!(stopping.is_set());

        let (stop, signal) = watch::channel(false);
        let stopping = Stopping { signal, grace: Duration::ZERO };
        drop(stop);
        assert!(stopping.is_set(), "a node dropped without a stop left its worker spinning");
    }
}
