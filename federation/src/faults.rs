//! Fault injection for scenario tests, in development mode only: the peers a node is cut off
//! from. Deliveries to them fail as a network error would (and are retried as usual), and
//! fetches from them are refused, so a test can split a coalition in two and heal it with
//! every node running. Outside development mode nothing can be cut off.

use std::collections::BTreeSet;
use std::sync::RwLock;
use url::Url;

#[derive(Debug, Default)]
pub struct Faults {
    dev: bool,
    cut_off: RwLock<BTreeSet<String>>,
}

impl Faults {
    pub fn new(dev: bool) -> Faults {
        Faults { dev, cut_off: RwLock::default() }
    }

    /// From now on, the peers at these hosts (`host:port`) cannot be reached.
    pub fn cut_off(&self, hosts: impl IntoIterator<Item = String>) {
        if !self.dev {
            tracing::warn!("fault injection is for development mode only; ignored");
            return;
        }
        self.cut_off.write().expect("fault lock").extend(hosts);
    }

    /// Every peer can be reached again.
    pub fn heal(&self) {
        self.cut_off.write().expect("fault lock").clear();
    }

    /// Whether `url`'s host is cut off.
    pub fn is_cut_off(&self, url: &Url) -> bool {
        self.dev && self.cut_off.read().expect("fault lock").contains(&crate::host_of(url))
    }
}
