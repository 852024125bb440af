//! The HTTP server: hyper's HTTP/1.1 connection handling with the node's limits, so that
//! slow or idle clients cannot hold a node: a client must send a request's headers within
//! `header_timeout_secs` (also while a kept-alive connection waits for its next request),
//! each piece of a request body within `body_timeout_secs` (tower-http), and at most
//! `max_connections` connections are served at once; past that, new ones wait in the
//! listen queue and the log says so. At start the open-files limit is raised as far as the
//! system allows (`rlimit`), so that the cap, not the system, decides.
//!
//! A graceful stop closes the listener (new connections are refused), lets each connection
//! finish the request it is serving (idle kept-alive connections close at once), and cuts
//! off what is still open after `shutdown_grace_secs`.

use axum::Router;
use axum::extract::ConnectInfo;
use buurtnet_federation::deliver::Stopping;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tower::ServiceExt;

/// `[server]` in the config file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerSettings {
    /// Seconds a client has to send a request's headers (and that a kept-alive connection
    /// may sit idle).
    pub header_timeout_secs: u64,
    /// Seconds a client may leave between two pieces of a request body.
    pub body_timeout_secs: u64,
    /// Connections served at once.
    pub max_connections: usize,
    /// Seconds the requests in flight may still take when the node is asked to stop.
    pub shutdown_grace_secs: u64,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings { header_timeout_secs: 10, body_timeout_secs: 20, max_connections: 1024, shutdown_grace_secs: 8 }
    }
}

/// Serves `router` on `listener` until `stopping` is set, then finishes gracefully (see the
/// module); returns how many connections were cut off after the grace period.
pub async fn serve(listener: TcpListener, router: Router, settings: ServerSettings, mut stopping: Stopping) -> usize {
    raise_open_files_limit(settings.max_connections);
    let router = router.layer(tower_http::timeout::RequestBodyTimeoutLayer::new(Duration::from_secs(settings.body_timeout_secs)));
    let slots = Arc::new(Semaphore::new(settings.max_connections.max(1)));
    let mut connections = JoinSet::new();
    // Said once each time the node fills up, not for every connection that waits.
    let mut said_full = false;
    loop {
        let next = async {
            let slot = free_slot(&slots, &mut said_full, settings.max_connections).await;
            (slot, listener.accept().await)
        };
        let (slot, accepted) = tokio::select! {
            next = next => next,
            _ = stopping.asked() => break,
        };
        let (stream, remote) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors and the like: wait a moment rather than spin.
                tracing::warn!(error = %e, "accepting a connection failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        while connections.try_join_next().is_some() {}
        let connection =
            serve_connection(stream, remote, router.clone(), Duration::from_secs(settings.header_timeout_secs), stopping.clone());
        connections.spawn(async move {
            connection.await;
            drop(slot);
        });
    }
    drop(listener);
    finish(connections, stopping.grace).await
}

/// A slot for one more connection, waiting (and saying so once) when all are taken.
async fn free_slot(slots: &Arc<Semaphore>, said_full: &mut bool, max_connections: usize) -> OwnedSemaphorePermit {
    if let Ok(slot) = slots.clone().try_acquire_owned() {
        *said_full = false;
        return slot;
    }
    if !*said_full {
        tracing::warn!(max_connections, "connection limit reached: new connections wait until one closes");
        *said_full = true;
    }
    slots.clone().acquire_owned().await.expect("the semaphore is never closed")
}

/// One HTTP/1.1 connection; asked to stop, it finishes the request it is serving and closes.
async fn serve_connection(stream: TcpStream, remote: SocketAddr, router: Router, header_timeout: Duration, mut stopping: Stopping) {
    let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
        request.extensions_mut().insert(ConnectInfo(remote));
        router.clone().oneshot(request)
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades();
    tokio::pin!(connection);
    let mut told = false;
    let ended = loop {
        tokio::select! {
            ended = connection.as_mut() => break ended,
            _ = stopping.asked(), if !told => {
                connection.as_mut().graceful_shutdown();
                told = true;
            }
        }
    };
    if let Err(e) = ended {
        tracing::debug!(error = %e, %remote, "connection ended");
    }
}

/// Waits up to `grace` for the open connections, then cuts off the rest; returns how many.
async fn finish(mut connections: JoinSet<()>, grace: Duration) -> usize {
    let open = connections.len();
    if open > 0 {
        tracing::info!(open, "no new connections; letting the requests in flight finish");
    }
    if tokio::time::timeout(grace, async { while connections.join_next().await.is_some() {} }).await.is_ok() {
        return 0;
    }
    let cut = connections.len();
    connections.abort_all();
    while connections.join_next().await.is_some() {}
    tracing::warn!(cut, grace_secs = grace.as_secs(), "connections still open after the grace period were closed");
    cut
}

/// Raises the soft limit of open files to the hard limit, and says when that leaves too few
/// for `max_connections` (each takes one, besides the database and peers).
fn raise_open_files_limit(max_connections: usize) {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) if limit < max_connections as u64 + 256 => tracing::warn!(
            limit,
            max_connections,
            "the open-files limit is low for server.max_connections; raise it (ulimit -n) or lower the setting"
        ),
        Ok(limit) => tracing::debug!(limit, "open-files limit"),
        Err(e) => tracing::warn!(error = %e, "could not raise the open-files limit"),
    }
}
