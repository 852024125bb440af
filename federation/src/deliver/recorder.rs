//! Records deliveries that went through, many in one transaction: each delivery waits until
//! its row is marked, so nothing counts as sent before the database says so, but the
//! deliveries that finish while one batch is being written share the next. On SQLite writes
//! take turns (`Store::begin`), and a transaction of four statements per delivery was what
//! the delivery rate waited on.

use crate::error::{FederationError, Result};
use crate::metrics::Metrics;
use crate::state::FederationState;
use buurtnet_domain::store;
use std::collections::BTreeSet;
use tokio::sync::{mpsc, oneshot};

/// Deliveries written in one transaction at most.
const MOST_IN_ONE_GO: usize = 256;

/// A delivery that went through, and who waits for it to be recorded.
struct Done {
    id: i64,
    host: String,
    recorded: oneshot::Sender<Result<()>>,
}

/// The sending side, held by the worker while it runs.
#[derive(Clone)]
pub(crate) struct Recorder {
    queue: mpsc::UnboundedSender<Done>,
}

impl Recorder {
    /// Starts the task that writes the batches; it ends when the last `Recorder` is dropped.
    pub(super) fn start(state: FederationState) -> Recorder {
        let (queue, incoming) = mpsc::unbounded_channel();
        tokio::spawn(write_batches(state, incoming));
        Recorder { queue }
    }

    /// Marks delivery `id` to `host` delivered; returns once it is in the database.
    pub(super) async fn delivered(&self, id: i64, host: &str) -> Result<()> {
        let (recorded, written) = oneshot::channel();
        self.queue
            .send(Done { id, host: host.to_string(), recorded })
            .map_err(|_| FederationError::Internal("the delivery recorder has stopped".into()))?;
        written.await.map_err(|_| FederationError::Internal("the delivery recorder has stopped".into()))?
    }
}

async fn write_batches(state: FederationState, mut incoming: mpsc::UnboundedReceiver<Done>) {
    let mut batch = Vec::new();
    while incoming.recv_many(&mut batch, MOST_IN_ONE_GO).await > 0 {
        let written = write(&state, &batch).await;
        for done in batch.drain(..) {
            let outcome = match &written {
                Ok(()) => Ok(()),
                Err(e) => Err(FederationError::Internal(e.to_string())),
            };
            let _ = done.recorded.send(outcome);
        }
    }
}

async fn write(state: &FederationState, batch: &[Done]) -> Result<()> {
    let ids: Vec<i64> = batch.iter().map(|d| d.id).collect();
    let hosts: BTreeSet<&str> = batch.iter().map(|d| d.host.as_str()).collect();
    let mut tx = state.store.begin().await?;
    store::deliveries::mark_all_delivered(&mut tx, &ids).await?;
    for host in hosts {
        store::deliveries::record_peer_success(&mut tx, host).await?;
    }
    tx.commit().await?;
    for _ in batch {
        Metrics::count(&state.metrics.deliveries_delivered);
    }
    Ok(())
}
