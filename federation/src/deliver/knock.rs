//! Signed requests to peers, with the "double knock" Fedify uses: a request is signed with
//! RFC 9421 unless the peer is known to refuse it; when the peer answers an RFC 9421
//! request with 401 (or 400, or 500), the same request goes once more signed draft-cavage. What worked is
//! remembered per host in the database (`store::peer_signatures`), so a cavage-only peer
//! costs one extra request once, not on every delivery, also across restarts; deliveries
//! read it from this process's memory ([`KnownStyles`]). A peer
//! remembered as cavage-only is asked with RFC 9421 again after [`RETRY_RFC9421_AFTER`],
//! in case it learned it meanwhile.

use crate::error::FederationError;
use crate::signatures::{Signer, Style};
use crate::state::Shared;
use buurtnet_domain::{now_ms, store};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// How long a peer stays remembered as refusing RFC 9421.
pub const RETRY_RFC9421_AFTER: Duration = Duration::from_secs(30 * 24 * 3600);

/// A request to sign and send.
pub struct Outgoing<'a> {
    pub method: http::Method,
    pub url: &'a url::Url,
    pub body: Option<String>,
    /// `Content-Type` of the body, `Accept` of a GET.
    pub media_type: &'static str,
}

/// Why no answer came.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The network or the peer: worth trying again later.
    #[error("network: {0}")]
    Network(String),
    /// Our side (a key that does not parse, the database).
    #[error(transparent)]
    Ours(#[from] FederationError),
}

/// Signs `request` as `signer` in the style the peer takes, sends it, and knocks again with
/// draft-cavage after a 401, 400 or 500 to RFC 9421. Gives the last answer.
pub async fn send(shared: &Shared, signer: Arc<Signer>, request: &Outgoing<'_>) -> Result<reqwest::Response, SendError> {
    let host = crate::host_of(request.url);
    let known = known_style(shared, &host).await;
    let first = known.unwrap_or(Style::Rfc9421);
    let response = attempt(shared, signer.clone(), first, request).await?;
    let status = response.status();
    // Fedify knocks again after 400 too; some servers (bovine) fail with 500 on a `Signature`
    // they cannot parse. A peer failing for other reasons costs one extra request.
    if first == Style::Rfc9421 && matches!(status.as_u16(), 400 | 401 | 500) {
        let retried = attempt(shared, signer, Style::Cavage, request).await?;
        if retried.status().is_success() {
            tracing::info!(%host, "peer refused an RFC 9421 signature and took draft-cavage; remembering");
            learn(shared, &host, Style::Cavage).await;
        }
        return Ok(retried);
    }
    if status.is_success() && known != Some(first) {
        learn(shared, &host, first).await;
    }
    Ok(response)
}

/// The style each peer took, as learned (or read from the database) in this process, with
/// when it was learned: a delivery asks memory, not the database. A host the database knows
/// nothing of is not kept, so what another process (or the administrator) records later is
/// still seen.
#[derive(Default)]
pub struct KnownStyles(RwLock<HashMap<String, (Style, i64)>>);

impl KnownStyles {
    fn get(&self, host: &str) -> Option<(Style, i64)> {
        self.0.read().expect("known styles lock").get(host).copied()
    }

    fn set(&self, host: &str, style: Style, learned_at: i64) {
        self.0.write().expect("known styles lock").insert(host.to_string(), (style, learned_at));
    }
}

/// The style remembered for `host`, while it is fresh.
async fn known_style(shared: &Shared, host: &str) -> Option<Style> {
    let (style, learned_at) = match shared.peer_styles.get(host) {
        Some(known) => known,
        None => from_the_database(shared, host).await?,
    };
    match style {
        Style::Rfc9421 => Some(Style::Rfc9421),
        Style::Cavage if now_ms() - learned_at < RETRY_RFC9421_AFTER.as_millis() as i64 => Some(Style::Cavage),
        Style::Cavage => None,
    }
}

async fn from_the_database(shared: &Shared, host: &str) -> Option<(Style, i64)> {
    let mut conn = shared.store.conn().await.ok()?;
    let known = store::peer_signatures::get(&mut conn, host).await.ok()??;
    let style = match known.outgoing_style.as_deref() {
        Some("rfc9421") => Style::Rfc9421,
        Some("cavage") => Style::Cavage,
        _ => return None,
    };
    let learned_at = known.outgoing_learned_at.unwrap_or(0);
    shared.peer_styles.set(host, style, learned_at);
    Some((style, learned_at))
}

async fn learn(shared: &Shared, host: &str, style: Style) {
    shared.peer_styles.set(host, style, now_ms());
    let learned = async {
        let mut tx = shared.store.begin().await?;
        store::peer_signatures::learned_outgoing(&mut tx, host, style.as_str()).await?;
        tx.commit().await
    };
    if let Err(e) = learned.await {
        tracing::warn!(%host, error = %e, "could not remember a peer's signature style");
    }
}

/// One signed request: the signature is made on the blocking pool (RSA is slow).
async fn attempt(shared: &Shared, signer: Arc<Signer>, style: Style, request: &Outgoing<'_>) -> Result<reqwest::Response, SendError> {
    let url = request.url.clone();
    let method = request.method.clone();
    let body = request.body.clone();
    let mut headers = BTreeMap::from([("host".to_string(), crate::host_of(&url))]);
    if body.is_some() {
        headers.insert("content-type".into(), request.media_type.to_string());
    }
    let headers = tokio::task::spawn_blocking(move || {
        signer.sign_as(style, method.as_str(), &url, &mut headers, body.as_deref().map(str::as_bytes)).map(|()| headers)
    })
    .await
    .map_err(|e| FederationError::Internal(e.to_string()))?
    .map_err(FederationError::from)?;
    let mut builder = shared.client.request(request.method.clone(), request.url.clone());
    if let Some(body) = &request.body {
        builder = builder.body(body.clone());
    } else {
        builder = builder.header("accept", request.media_type);
    }
    for (name, value) in headers.iter().filter(|(name, _)| name.as_str() != "host") {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder.send().await.map_err(|e| SendError::Network(with_causes(&e)))
}

/// An error and what caused it, down to the operating system's word ("connection reset by
/// peer", "connection refused"), so the administrator's page says what happened.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut said = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        let text = inner.to_string();
        if !said.contains(&text) {
            said = format!("{said}: {text}");
        }
        cause = inner.source();
    }
    said
}
