//! The rest of the fediverse, played by this program: a [`Peer`] is a server on a port of
//! its own (so the node sees a host of its own; `localhost`, since peers need a domain name) that serves the documents of its remote
//! actors, whose keys are real, and takes every POST with 202, counting them. A
//! [`hanging_peer`] accepts connections and never answers; a refusing peer is a port nobody
//! listens on. [`fire`] is the load generator: prepared requests, a fixed number in flight.

use anyhow::Result;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use buurtnet_federation::signatures::Signer;
use futures::StreamExt;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A remote actor's key pair as PEM text.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct KeyPem {
    pub public: String,
    pub private: String,
}

/// `count` RSA key pairs, kept in the temporary directory between runs (2048-bit keys take a
/// while to make).
pub async fn keys(count: usize) -> Result<Vec<KeyPem>> {
    let path = std::env::temp_dir().join("buurtnet-bench-keys.json");
    let mut kept: Vec<KeyPem> = std::fs::read(&path).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default();
    while kept.len() < count {
        let made = tokio::task::spawn_blocking(buurtnet_federation::keys::generate).await?;
        kept.push(KeyPem { public: made.rsa_public_pem, private: made.rsa_private_pem });
    }
    std::fs::write(&path, serde_json::to_vec(&kept)?)?;
    kept.truncate(count);
    Ok(kept)
}

struct Shared {
    origin: String,
    keys: Vec<KeyPem>,
    received: AtomicU64,
}

pub struct Peer {
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Peer {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Peer {
    /// A peer whose actors `/actors/0`, `/actors/1`, ... have `keys`.
    pub async fn start(keys: Vec<KeyPem>) -> Result<Peer> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let origin = format!("http://localhost:{}", listener.local_addr()?.port());
        let shared = Arc::new(Shared { origin, keys, received: AtomicU64::new(0) });
        let router = Router::new()
            .route("/actors/{n}", axum::routing::get(actor_document))
            .route("/empty", axum::routing::get(|| async { StatusCode::NO_CONTENT }))
            .fallback(axum::routing::post(take_delivery))
            .with_state(shared.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(Peer { shared, server })
    }

    pub fn origin(&self) -> &str {
        &self.shared.origin
    }

    pub fn actor_id(&self, n: usize) -> String {
        format!("{}/actors/{n}", self.shared.origin)
    }

    /// A signer for actor `n`.
    pub fn signer(&self, n: usize) -> Result<Signer> {
        Ok(Signer::from_pem(format!("{}#main-key", self.actor_id(n)), &self.shared.keys[n].private)?)
    }

    pub fn received(&self) -> u64 {
        self.shared.received.load(Ordering::Relaxed)
    }
}

async fn actor_document(State(shared): State<Arc<Shared>>, Path(n): Path<usize>) -> impl IntoResponse {
    let Some(key) = shared.keys.get(n) else { return StatusCode::NOT_FOUND.into_response() };
    let id = format!("{}/actors/{n}", shared.origin);
    let document = serde_json::json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": id, "type": "Person", "preferredUsername": format!("buur{n}"),
        "inbox": format!("{id}/inbox"), "endpoints": {"sharedInbox": format!("{}/inbox", shared.origin)},
        "publicKey": {"id": format!("{id}#main-key"), "owner": id, "publicKeyPem": key.public},
    });
    ([("content-type", "application/activity+json")], document.to_string()).into_response()
}

async fn take_delivery(State(shared): State<Arc<Shared>>, _headers: HeaderMap, _body: axum::body::Bytes) -> StatusCode {
    shared.received.fetch_add(1, Ordering::Relaxed);
    StatusCode::ACCEPTED
}

/// A peer that accepts connections and never reads or answers them: its origin.
pub async fn hanging_peer() -> Result<(String, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let origin = format!("http://localhost:{}", listener.local_addr()?.port());
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    Ok((origin, task))
}

/// A port on which nobody listens: connections to it are refused.
pub fn refusing_origin() -> Result<String> {
    Ok(format!("http://localhost:{}", buurtnet_tests::peers::free_port()?))
}

/// A request made ready before the clock starts (signed, when it needs to be).
pub struct Prepared {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

pub fn prepared_get(url: &str) -> Prepared {
    Prepared { url: url.to_string(), headers: Vec::new(), body: None }
}

/// A POST of `body` to `url`, signed by `signer` as a peer would.
pub fn prepared_signed_post(url: &str, body: Vec<u8>, signer: &Signer) -> Result<Prepared> {
    let target = url::Url::parse(url)?;
    let mut headers = BTreeMap::from([
        ("host".to_string(), buurtnet_federation::host_of(&target)),
        ("content-type".to_string(), "application/activity+json".to_string()),
    ]);
    signer.sign("POST", target.path(), &mut headers, Some(&body))?;
    headers.remove("host");
    Ok(Prepared { url: url.to_string(), headers: headers.into_iter().collect(), body: Some(body) })
}

pub struct Fired {
    pub ok: u64,
    pub failed: u64,
    /// What the first refused or failed request got, for the report.
    pub first_failure: Option<String>,
    pub elapsed: Duration,
}

impl Fired {
    pub fn per_second(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64()
    }
}

/// Sends `requests` with `in_flight` at a time; counts the answers in the 2xx range.
pub async fn fire(requests: Vec<Prepared>, in_flight: usize) -> Fired {
    let client = reqwest::Client::builder().pool_max_idle_per_host(in_flight).build().expect("client");
    let start = Instant::now();
    let answers: Vec<Result<(), String>> =
        futures::stream::iter(requests).map(|prepared| send(&client, prepared)).buffer_unordered(in_flight).collect().await;
    let answers_len = answers.len() as u64;
    let ok = answers.iter().filter(|a| a.is_ok()).count() as u64;
    let first_failure = answers.into_iter().find_map(Result::err);
    Fired { ok, failed: answers_len - ok, first_failure, elapsed: start.elapsed() }
}

/// Sends one prepared request; `Err` says what a refused or failed one got.
pub async fn send(client: &reqwest::Client, prepared: Prepared) -> Result<(), String> {
    let mut request = match prepared.body {
        Some(body) => client.post(&prepared.url).body(body),
        None => client.get(&prepared.url),
    };
    for (name, value) in &prepared.headers {
        request = request.header(name, value);
    }
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    // Read to the end, so the connection goes back to the pool.
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    if status.is_success() { Ok(()) } else { Err(format!("{status}: {}", String::from_utf8_lossy(&body))) }
}
