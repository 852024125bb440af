//! Counters for Prometheus: inbox outcomes by reason, delivery outcomes. Gauges that live in
//! the database (pending deliveries, peer states) are read at scrape time by the web crate.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Default, Debug)]
pub struct Metrics {
    inbox: Mutex<BTreeMap<(&'static str, &'static str), u64>>,
    pub deliveries_delivered: AtomicU64,
    pub deliveries_retried: AtomicU64,
    pub deliveries_failed: AtomicU64,
}

impl Metrics {
    /// Counts one inbox POST: `outcome` is `accepted` or `rejected`, `reason` says why.
    pub fn inbox(&self, outcome: &'static str, reason: &'static str) {
        *self.inbox.lock().expect("metrics lock").entry((outcome, reason)).or_default() += 1;
    }

    pub fn inbox_counts(&self) -> Vec<((&'static str, &'static str), u64)> {
        self.inbox.lock().expect("metrics lock").iter().map(|(k, v)| (*k, *v)).collect()
    }

    pub fn count(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn read(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }
}
