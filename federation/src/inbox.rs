//! The inbox: every POST must carry a valid HTTP signature (RFC 9421 or draft-cavage, see
//! [`crate::signatures`]) by the activity's actor.
//!
//! Order of checks (cheap first): signature header present, body size, digest, JSON shape
//! (and no NUL character in any text),
//! origins, blocklist, key lookup (database first, in the blocklist's read, then one fetch),
//! signature, replay (for a note carried in a `Create`, inside the note's transaction, see
//! [`replay`]). A missing, invalid or expired signature answers 401 with `Accept-Signature`
//! saying what an RFC 9421 signature must cover; an activity id seen before answers 202 and
//! changes nothing.
//! A verified RFC 9421 signature is remembered for its sender's host
//! (`store::peer_signatures`).

pub mod replay;

use crate::activities::{self, Outcome};
use crate::error::{FederationError, Result};
use crate::objects::actor;
use crate::protocol::{
    self,
    activities::{ActivityJson, Verb},
    outgoing::Kind,
};
use crate::signatures::{self, Expected, PendingSignature, SignatureError};
use crate::state::Context;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use buurtnet_domain::model::{Actor, NewActor};
use buurtnet_domain::store;
use buurtnet_domain::store::inbox::KnownSigner;
use http::HeaderMap;

/// `POST /inbox` and `POST /{actor}/inbox`.
///
/// The work runs in its own task: if the sender hangs up half-way (or is killed), the
/// activity is still processed to the end, never left remembered-but-unapplied.
pub async fn post_inbox(context: Context, request: Request) -> Response {
    let worker_context = context.reset_request_count();
    let outcome = tokio::spawn(async move { receive(&worker_context, request).await }).await;
    let outcome = outcome.unwrap_or_else(|e| Err(Refused(FederationError::Internal(format!("inbox task failed: {e}")))));
    match outcome {
        Ok(outcome) => {
            let reason = match outcome {
                Outcome::Applied => "applied",
                Outcome::Ignored(why) => {
                    tracing::debug!(why, "activity ignored");
                    "ignored"
                }
            };
            context.metrics.inbox("accepted", reason);
            StatusCode::ACCEPTED.into_response()
        }
        Err(Duplicate) => {
            context.metrics.inbox("accepted", "duplicate");
            StatusCode::ACCEPTED.into_response()
        }
        Err(Refused(error)) => {
            context.metrics.inbox("rejected", error.reason());
            tracing::info!(reason = error.reason(), %error, "inbox refused an activity");
            let signature_refused = matches!(error, FederationError::Signature(_));
            let mut response = error.into_response();
            if signature_refused {
                let accept = signatures::rfc9421::accept_signature(true);
                response.headers_mut().insert("accept-signature", accept.parse().expect("an ASCII header value"));
            }
            response
        }
    }
}

enum Failure {
    Duplicate,
    Refused(FederationError),
}
use Failure::{Duplicate, Refused};

impl<E: Into<FederationError>> From<E> for Failure {
    fn from(e: E) -> Self {
        Refused(e.into())
    }
}

async fn receive(context: &Context, request: Request) -> std::result::Result<Outcome, Failure> {
    let (parts, body) = request.into_parts();
    let path_and_query = parts.uri.path_and_query().map(|pq| pq.as_str().to_string()).unwrap_or_else(|| parts.uri.path().to_string());
    let domain = context.urls.domain();
    let scheme = context.urls.base().scheme().to_string();
    let expected = Expected { method: "POST", path_and_query: &path_and_query, host: &domain, scheme: &scheme, digest: true };
    let pending = signatures::begin_verify(&expected, &parts.headers)?;
    let body = read_body(body, context.settings.max_inbox_body).await?;
    pending.check_body(&body)?;

    let document: serde_json::Value = serde_json::from_slice(&body).map_err(|e| FederationError::Malformed(e.to_string()))?;
    if holds_nul(&body, &document) {
        return Err(FederationError::Malformed("a text holds a NUL character".into()).into());
    }
    if document["type"].as_str().is_some_and(|t| t.starts_with("bn:")) {
        return receive_coalition_operation(context, &pending, &document, &body).await;
    }
    let mut activity: ActivityJson = serde_json::from_value(document).map_err(|e| FederationError::Malformed(e.to_string()))?;
    // Only signed objects are kept as they came (coalition content): plain ones need no second parse.
    if activity.object.get("proof").is_some() {
        activity.object_text = protocol::activities::embedded_object_text(&body);
    }
    let actor_id = activity.actor.clone();
    if !protocol::same_origin(&activity.id, &actor_id) {
        return Err(FederationError::Forbidden("activity id is on another origin than its actor".into()).into());
    }
    if !protocol::same_origin(pending.key_id(), &actor_id) {
        return Err(SignatureError::Invalid.into());
    }
    let host =
        url::Url::parse(&actor_id).map(|u| crate::host_of(&u)).map_err(|_| FederationError::Malformed("actor is not a URL".into()))?;
    let known = unblocked_sender(context, &actor_id, &host, pending.key_id()).await?;
    if is_deletion_of_unknown_actor(&activity, &actor_id, known.is_none()) {
        // Its key can no longer be fetched, and we hold nothing of it: nothing to do.
        return Ok(Outcome::Ignored("deletion of an actor we never knew"));
    }
    let held_back = known.as_ref().map(KnownSigner::is_held_back);
    let signer = verified_signer_known(&pending, &actor_id, known.map(|k| k.actor), context).await?;
    let result = apply(context, &activity, &signer, replay::is_left_to_the_note(&activity)).await?;
    peer_is_alive(context, &host, held_back).await;
    Ok(result?)
}

/// Whether any text of the document holds a NUL character
/// ([`crate::protocol::any_text_holds_nul`]). JSON carries it escaped, so a body without
/// `\u0000` holds none and is not walked.
fn holds_nul(body: &[u8], document: &serde_json::Value) -> bool {
    body.windows(6).any(|bytes| bytes == b"\\u0000") && crate::protocol::any_text_holds_nul(document)
}

/// The stored actor of the signing key, after the blocklist for the sender and its domain:
/// one read when the key is known (with whether its host is held back), two when not.
async fn unblocked_sender(context: &Context, actor_id: &str, host: &str, key_id: &str) -> Result<Option<KnownSigner>> {
    let mut conn = context.store.conn().await?;
    let known = store::inbox::known_signer(&mut conn, actor_id, host, host, key_id).await?;
    let blocked = match &known {
        Some(known) => known.is_blocked(),
        None => store::inbox::is_blocked(&mut conn, actor_id, host).await?,
    };
    if blocked {
        return Err(FederationError::Blocked);
    }
    Ok(known)
}

/// Applies a verified activity once: its id is remembered before it is applied (so a copy
/// at the same time ends as a duplicate), or, for a note carried in a `Create`, with the
/// note in its transaction ([`replay`]). Refused as a duplicate when the id was known. An
/// error on our side forgets the id, so that the sender's retry is processed.
async fn apply(
    context: &Context,
    activity: &ActivityJson,
    signer: &Actor,
    left_to_the_note: bool,
) -> std::result::Result<Result<Outcome>, Failure> {
    if !left_to_the_note {
        if !remember_activity(context, &activity.id).await? {
            return Err(Duplicate);
        }
        let result = activities::dispatch(activity, signer, context, None).await;
        forget_if_our_fault(context, &activity.id, &result).await?;
        return Ok(result);
    }
    let left = replay::LeftId::new(&activity.id);
    let result = activities::dispatch(activity, signer, context, Some(&left)).await;
    match left.memory() {
        replay::Memory::Replayed => return Err(Duplicate),
        replay::Memory::Remembered => forget_if_our_fault(context, &activity.id, &result).await?,
        // Nothing stored (ignored, held already, refused): remembered as it ends.
        replay::Memory::Left if !is_our_fault(&result) && !remember_activity(context, &activity.id).await? => return Err(Duplicate),
        replay::Memory::Left => {}
    }
    Ok(result)
}

fn is_our_fault(result: &Result<Outcome>) -> bool {
    result.as_ref().is_err_and(|error| error.status().is_server_error())
}

async fn forget_if_our_fault(context: &Context, id: &str, result: &Result<Outcome>) -> Result<()> {
    if is_our_fault(result) {
        let _ = store::inbox::forget_activity(&mut context.store.writer().await?, id).await;
    }
    Ok(())
}

/// Remembers an activity id; false when it was known already. One statement, so no
/// transaction, but it waits for its turn to write like any other (`Store::writer`).
async fn remember_activity(context: &Context, id: &str) -> Result<bool> {
    Ok(store::inbox::remember_activity(&mut context.store.writer().await?, id).await?)
}

/// A coalition operation: the sender (whose HTTP signature must hold) may be any node
/// passing it on; the operation stands on its own proof, checked against its author's key.
async fn receive_coalition_operation(
    context: &Context,
    pending: &PendingSignature,
    document: &serde_json::Value,
    body: &[u8],
) -> std::result::Result<Outcome, Failure> {
    let sender_id = pending.key_id().split('#').next().unwrap_or_default().to_string();
    let author = document["actor"].as_str().ok_or_else(|| FederationError::Malformed("no actor".into()))?;
    let mut conn = context.store.conn().await.map_err(FederationError::from)?;
    for actor in [sender_id.as_str(), author] {
        let host =
            url::Url::parse(actor).map(|u| crate::host_of(&u)).map_err(|_| FederationError::Malformed("actor is not a URL".into()))?;
        if store::inbox::is_blocked(&mut conn, actor, &host).await.map_err(FederationError::from)? {
            return Err(FederationError::Blocked.into());
        }
    }
    drop(conn);
    let sender = verified_signer(pending, &sender_id, context).await?;
    let raw = std::str::from_utf8(body).map_err(|_| FederationError::Malformed("not UTF-8".into()))?;
    let outcome = match crate::coalitions::receive(context, document, raw, &sender).await? {
        crate::coalitions::Received::New => Outcome::Applied,
        crate::coalitions::Received::Known => return Err(Duplicate),
        crate::coalitions::Received::Deferred => Outcome::Ignored("names operations we lack; pulling them"),
    };
    if let Ok(url) = url::Url::parse(&sender.ap_id) {
        peer_is_alive(context, &crate::host_of(&url), None).await;
    }
    Ok(outcome)
}

/// Servers announce deleted accounts to everyone they ever talked to; when the account is
/// unknown here (`key_unknown`: no stored actor has the signing key), its document is gone
/// and there is nothing to verify or to do.
fn is_deletion_of_unknown_actor(activity: &ActivityJson, actor_id: &str, key_unknown: bool) -> bool {
    activity.kind == Verb::Known(Kind::Delete) && activity.object_id().as_deref() == Some(actor_id) && key_unknown
}

async fn read_body(body: Body, limit: usize) -> Result<axum::body::Bytes> {
    axum::body::to_bytes(body, limit).await.map_err(|_| FederationError::TooLarge)
}

/// The actor whose key made the signature, which must be `actor_id`. Keys come from the
/// database; for an unknown actor, or one whose stored key fails (it may have been rotated),
/// from its document on its origin, fetched at most once a minute ([`ActorFetches`]) and
/// stored only once the signature holds.
async fn verified_signer(pending: &PendingSignature, actor_id: &str, context: &Context) -> Result<Actor> {
    let known = store::actors::by_key_id(&mut context.store.conn().await?, pending.key_id()).await?;
    verified_signer_known(pending, actor_id, known, context).await
}

/// [`verified_signer`] with the stored actor of the signing key read already (`known`).
async fn verified_signer_known(pending: &PendingSignature, actor_id: &str, known: Option<Actor>, context: &Context) -> Result<Actor> {
    if let Some(actor) = &known {
        if actor.ap_id != actor_id || actor.is_local {
            return Err(SignatureError::Invalid.into());
        }
        // (A stand-in kept from a coalition's log has no RSA key: its key is fetched anew.)
        if pending.verify(&context.public_keys, &actor.public_key_pem).is_ok() {
            remember_style(context, pending, actor_id).await;
            return Ok(actor.clone());
        }
    }
    let document = match context.actor_fetches.recent(actor_id) {
        Some(document) => document,
        None => {
            let fetched = actor::fetch_unstored(actor_id, context).await;
            if let Err(e) = &fetched {
                tracing::info!(%actor_id, error = %e, "could not fetch the signing actor");
            }
            context.actor_fetches.remember(actor_id, fetched.as_ref().ok().cloned());
            fetched.ok()
        }
    };
    let document = document.ok_or_else(|| SignatureError::BadKey(format!("cannot fetch {actor_id}")))?;
    if document.public_key_id != pending.key_id() {
        return Err(SignatureError::Invalid.into());
    }
    pending.verify(&context.public_keys, &document.public_key_pem)?;
    remember_style(context, pending, actor_id).await;
    actor::keep(&document, context).await
}

/// A peer whose RFC 9421 signature verified here speaks RFC 9421: noted for its host (at
/// most once an hour), for operators and for what we send it. The process remembers when it
/// last noted each host, so a busy peer's requests do not each wait for a turn to write.
async fn remember_style(context: &Context, pending: &PendingSignature, actor_id: &str) {
    if pending.style() != signatures::Style::Rfc9421 {
        return;
    }
    let Ok(url) = url::Url::parse(actor_id) else { return };
    let host = crate::host_of(&url);
    if context.style_notes.noted_lately(&host) {
        return;
    }
    let Ok(mut tx) = context.store.begin().await else { return };
    if store::peer_signatures::received_rfc9421(&mut tx, &host).await.is_ok() && tx.commit().await.is_ok() {
        context.style_notes.noted(host);
    }
}

/// When this process last noted each host's RFC 9421 signatures in the database.
#[derive(Default)]
pub struct StyleNotes {
    noted: std::sync::Mutex<std::collections::HashMap<String, std::time::Instant>>,
}

impl StyleNotes {
    /// As often as `store::peer_signatures::received_rfc9421` changes the row.
    const INTERVAL: std::time::Duration = std::time::Duration::from_secs(3600);
    const MAX_ENTRIES: usize = 10_000;

    fn noted_lately(&self, host: &str) -> bool {
        self.noted.lock().expect("style notes lock").get(host).is_some_and(|at| at.elapsed() < Self::INTERVAL)
    }

    fn noted(&self, host: String) {
        let mut noted = self.noted.lock().expect("style notes lock");
        if noted.len() >= Self::MAX_ENTRIES {
            noted.retain(|_, at| at.elapsed() < Self::INTERVAL);
        }
        if noted.len() < Self::MAX_ENTRIES {
            noted.insert(host, std::time::Instant::now());
        }
    }
}

/// Actor documents this node fetched in the last minute to check a signature, kept (also
/// when the fetch failed) so that requests whose signature fails make us fetch an actor at
/// most once a minute: otherwise anyone could have this node hammer a third server by naming
/// its actors. An actor is stored only once a signature holds with its key.
#[derive(Default)]
pub struct ActorFetches {
    recent: std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, Option<NewActor>)>>,
}

impl ActorFetches {
    pub const INTERVAL: std::time::Duration = std::time::Duration::from_secs(60);
    /// A fetch that failed (a peer starting up, a slow moment) is tried again sooner.
    pub const AFTER_FAILURE: std::time::Duration = std::time::Duration::from_secs(10);
    const MAX_ENTRIES: usize = 10_000;

    /// The document fetched within the interval: `Some(None)` when that fetch failed.
    fn recent(&self, actor_id: &str) -> Option<Option<NewActor>> {
        let recent = self.recent.lock().expect("actor fetches lock");
        let fresh = |(at, document): &&(std::time::Instant, Option<NewActor>)| {
            at.elapsed() < if document.is_some() { Self::INTERVAL } else { Self::AFTER_FAILURE }
        };
        recent.get(actor_id).filter(fresh).map(|(_, document)| document.clone())
    }

    fn remember(&self, actor_id: &str, document: Option<NewActor>) {
        let mut recent = self.recent.lock().expect("actor fetches lock");
        if recent.len() >= Self::MAX_ENTRIES {
            recent.retain(|_, (at, _)| at.elapsed() < Self::INTERVAL);
        }
        if recent.len() < Self::MAX_ENTRIES {
            recent.insert(actor_id.to_string(), (std::time::Instant::now(), document));
        }
    }
}

/// A peer that sends us something is up: deliveries waiting for it need not wait longer.
/// Most peers have nothing waiting, and for them this is no write: `held_back` as read with
/// the signer's key when the request began, else one read here.
async fn peer_is_alive(context: &Context, host: &str, held_back: Option<bool>) {
    let held_back = match held_back {
        Some(held_back) => held_back,
        None => match context.store.conn().await {
            Ok(mut conn) => store::deliveries::is_held_back(&mut conn, host).await.unwrap_or(true),
            Err(_) => return,
        },
    };
    if !held_back {
        return;
    }
    let Ok(mut tx) = context.store.begin().await else { return };
    if let Ok(woken) = store::deliveries::wake_host(&mut tx, host).await
        && tx.commit().await.is_ok()
        && woken > 0
    {
        context.wake_delivery();
    }
}

/// For signed GETs (authorized fetch): the verified signer's id, `None` when unsigned.
pub async fn signed_get_reader(context: &Context, path_and_query: &str, headers: &HeaderMap) -> Result<Option<String>> {
    let domain = context.urls.domain();
    let scheme = context.urls.base().scheme().to_string();
    let expected = Expected { method: "GET", path_and_query, host: &domain, scheme: &scheme, digest: false };
    let pending = match signatures::begin_verify(&expected, headers) {
        Err(SignatureError::Missing) => return Ok(None),
        other => other?,
    };
    let actor_id = pending.key_id().split('#').next().unwrap_or_default().to_string();
    let signer = verified_signer(&pending, &actor_id, context).await?;
    Ok(Some(signer.ap_id))
}
