//! The HTTP server: hyper's HTTP/1.1 connection handling with the node's limits, so that
//! slow or idle clients cannot hold a node: a client must send a request's headers within
//! `header_timeout_secs` (also while a kept-alive connection waits for its next request),
//! each piece of a request body within `body_timeout_secs` (tower-http), and at most
//! `max_connections` connections are served at once; past that, new ones wait in the
//! listen queue and the log says so. At start the open-files limit is raised as far as the
//! system allows (`rlimit`), so that the cap, not the system, decides.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
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
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings { header_timeout_secs: 10, body_timeout_secs: 20, max_connections: 1024 }
    }
}

/// Serves `router` on `listener` until the task is aborted (which closes every connection).
pub async fn serve(listener: TcpListener, router: Router, settings: ServerSettings) {
    raise_open_files_limit(settings.max_connections);
    let router = router.layer(tower_http::timeout::RequestBodyTimeoutLayer::new(Duration::from_secs(settings.body_timeout_secs)));
    let slots = Arc::new(Semaphore::new(settings.max_connections.max(1)));
    let mut connections = JoinSet::new();
    // Said once each time the node fills up, not for every connection that waits.
    let mut said_full = false;
    loop {
        let slot = match slots.clone().try_acquire_owned() {
            Ok(slot) => {
                said_full = false;
                slot
            }
            Err(_) => {
                if !said_full {
                    tracing::warn!(
                        max_connections = settings.max_connections,
                        "connection limit reached: new connections wait until one closes"
                    );
                    said_full = true;
                }
                slots.clone().acquire_owned().await.expect("the semaphore is never closed")
            }
        };
        let (stream, remote) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors and the like: wait a moment rather than spin.
                tracing::warn!(error = %e, "accepting a connection failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        while connections.try_join_next().is_some() {}
        let router = router.clone();
        let header_timeout = Duration::from_secs(settings.header_timeout_secs);
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ConnectInfo(remote));
                router.clone().oneshot(request)
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, %remote, "connection ended");
            }
            drop(slot);
        });
    }
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
