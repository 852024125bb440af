//! Live updates for apps: the WebSocket at `/api/v1/streaming` (masto.js, Elk, Phanpy,
//! Tusky) and server-sent events at `/api/v1/streaming/{user,public,public/local,hashtag}`
//! (Mastodon.py). Streams: `user` (home timeline and notifications), `public`,
//! `public:local`, `hashtag` and `hashtag:local`.
//!
//! Each connection looks once a second whether anything is new (one query: the newest post
//! and notification ids), reads its streams only when something is, from where they got to,
//! and sends only what its member may read. A connection holds at most
//! [`MAX_SUBSCRIPTIONS`] streams and an address at most
//! [`STREAMS_PER_ADDRESS`](crate::limits::STREAMS_PER_ADDRESS) connections (429 past that).

use super::{Caller, entities};
use crate::limits::{ClientAddress, Limits, OpenStream, STREAMS_PER_ADDRESS};
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Extension, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use buurtnet_domain::model::Actor;
use buurtnet_domain::store::posts::Page;
use buurtnet_domain::store::timelines::Entry;
use buurtnet_domain::{ops, store};
use buurtnet_federation::Context;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

const POLL: Duration = Duration::from_secs(1);
/// Streams one connection may follow (apps follow a handful).
pub const MAX_SUBSCRIPTIONS: usize = 16;
/// Longest hashtag a stream may name.
const MAX_TAG_CHARS: usize = 100;
/// Posts or notifications one stream reads in one look.
const PAGE: i64 = 40;

#[derive(Debug, Deserialize, Default)]
pub struct StreamQuery {
    access_token: Option<String>,
    stream: Option<String>,
    tag: Option<String>,
}

/// One subscription: which stream, and where it has got to.
#[derive(Debug, Clone)]
struct Subscription {
    name: String,
    tag: Option<String>,
    last_post: i64,
    last_notification: i64,
}

/// What a connection follows, for whom.
struct Streams {
    context: Context,
    member: Option<Actor>,
    subscriptions: Vec<Subscription>,
    /// The newest post and notification ids at the last look that read everything.
    seen: (i64, i64),
}

/// Why a subscription was refused, as the message the app gets.
fn refusal(why: &str) -> Value {
    json!({"error": why, "status": 400})
}

impl Streams {
    fn new(context: Context, member: Option<Actor>) -> Streams {
        Streams { context, member, subscriptions: vec![], seen: (-1, -1) }
    }

    /// Follows a stream; an error message for the app when it cannot.
    async fn subscribe(&mut self, name: &str, tag: Option<String>) -> Option<Value> {
        let known = ["user", "user:notification", "public", "public:local", "hashtag", "hashtag:local"];
        let needs_member = name.starts_with("user");
        if !known.contains(&name) || (needs_member && self.member.is_none()) {
            return Some(refusal("Unknown stream type, or one that needs an access token"));
        }
        if tag.as_ref().is_some_and(|t| t.chars().count() > MAX_TAG_CHARS) {
            return Some(refusal("The hashtag is too long"));
        }
        if self.subscriptions.iter().any(|s| s.name == name && s.tag == tag) {
            return None;
        }
        if self.subscriptions.len() >= MAX_SUBSCRIPTIONS {
            return Some(refusal("Too many streams on one connection"));
        }
        let (last_post, last_notification) = match self.context.store.conn().await {
            Ok(mut conn) => (
                store::posts::max_id(&mut conn).await.unwrap_or(0),
                match &self.member {
                    Some(m) => store::notifications::max_id(&mut conn, m.id).await.unwrap_or(0),
                    None => 0,
                },
            ),
            Err(_) => (0, 0),
        };
        self.subscriptions.push(Subscription { name: name.into(), tag, last_post, last_notification });
        None
    }

    fn unsubscribe(&mut self, name: &str) {
        self.subscriptions.retain(|s| s.name != name);
    }

    /// Everything new since the last look, as Mastodon stream messages: nothing, after one
    /// query, when no post or notification came since.
    async fn poll(&mut self) -> Vec<Value> {
        if self.subscriptions.is_empty() {
            return vec![];
        }
        let recipient = self.member.as_ref().map(|m| m.id).unwrap_or(0);
        let latest = match self.context.store.conn().await {
            Ok(mut conn) => store::posts::latest_ids(&mut conn, recipient).await,
            Err(e) => Err(e),
        };
        let latest = match latest {
            Ok(latest) if latest == self.seen => return vec![],
            Ok(latest) => latest,
            Err(e) => {
                tracing::warn!(error = %e, "streaming poll failed");
                return vec![];
            }
        };
        let mut out = Vec::new();
        let mut read_everything = true;
        for index in 0..self.subscriptions.len() {
            match self.poll_one(index).await {
                Ok((mut messages, full)) => {
                    out.append(&mut messages);
                    read_everything &= !full;
                }
                Err(e) => tracing::warn!(error = %e, "streaming poll failed"),
            }
        }
        // A full page may have left more behind: look again next time.
        if read_everything {
            self.seen = latest;
        }
        out
    }

    /// One stream's new posts and notifications, and whether a page came back full.
    async fn poll_one(&mut self, index: usize) -> Result<(Vec<Value>, bool), buurtnet_domain::DomainError> {
        let sub = self.subscriptions[index].clone();
        let page = Page { before: None, after: Some(sub.last_post), oldest_first: true, limit: PAGE };
        let mut conn = self.context.store.conn().await?;
        let posts = match (sub.name.as_str(), &self.member) {
            (name, Some(member)) if name.starts_with("user") => return self.poll_user(index, member.clone(), page).await,
            ("public", _) => store::posts::public_timeline(&mut conn, false, page).await?,
            ("public:local", _) => store::posts::public_timeline(&mut conn, true, page).await?,
            ("hashtag" | "hashtag:local", _) => {
                store::posts::tagged(&mut conn, sub.tag.as_deref().unwrap_or_default(), sub.name.ends_with(":local"), page).await?
            }
            _ => vec![],
        };
        drop(conn);
        let entries: Vec<Entry> = posts.into_iter().map(Entry::from).collect();
        self.updates(index, &entries).await
    }

    /// The user streams: new posts and boosts of the home timeline (`user` only), and new
    /// notifications.
    async fn poll_user(&mut self, index: usize, member: Actor, page: Page) -> Result<(Vec<Value>, bool), buurtnet_domain::DomainError> {
        let sub = self.subscriptions[index].clone();
        let (mut messages, mut full) = if sub.name == "user" {
            let entries = store::timelines::home(&mut self.context.store.conn().await?, member.id, &member.ap_id, page).await?;
            self.updates(index, &entries).await?
        } else {
            (Vec::new(), false)
        };
        let rows =
            store::notifications::page(&mut self.context.store.conn().await?, member.id, i64::MAX, sub.last_notification, PAGE).await?;
        full |= rows.len() as i64 == PAGE;
        if let Some(newest) = rows.first() {
            self.subscriptions[index].last_notification = newest.id;
        }
        let oldest_first = rows.into_iter().rev().collect();
        if let Ok(shown) = super::notifications::entities(&self.context, &member, oldest_first).await {
            for (_, entity) in shown {
                messages.push(json!({"stream": [sub.name], "event": "notification", "payload": entity.to_string()}));
            }
        }
        Ok((messages, full))
    }

    /// `update` events for the entries the reader may see (a boost as a reblog), and whether
    /// the page came back full; the stream moves past every entry.
    async fn updates(&mut self, index: usize, entries: &[Entry]) -> Result<(Vec<Value>, bool), buurtnet_domain::DomainError> {
        let name = self.subscriptions[index].name.clone();
        let reader = self.member.as_ref().map(|m| m.ap_id.clone());
        let full = entries.len() as i64 == PAGE;
        if let Some(last) = entries.last() {
            self.subscriptions[index].last_post = last.id();
        }
        let posts: Vec<_> = entries.iter().map(|e| e.post.clone()).collect();
        let readable = ops::visibility::readable(&self.context.store, &posts, reader.as_deref()).await?;
        let shown: Vec<Entry> = entries.iter().filter(|e| readable.contains(&e.post.id)).cloned().collect();
        let statuses = entities::entries(&self.context, &shown, self.member.as_ref()).await?;
        let messages = statuses.iter().map(|status| json!({"stream": [name], "event": "update", "payload": status.to_string()})).collect();
        Ok((messages, full))
    }
}

/// The token of a streaming request: the query, the `Authorization` header, or (as
/// browsers and masto.js send it) the WebSocket subprotocol.
fn token_of(headers: &HeaderMap, query: &StreamQuery) -> Option<String> {
    query
        .access_token
        .clone()
        .or_else(|| {
            let auth = headers.get("authorization").and_then(|v| v.to_str().ok())?;
            auth.strip_prefix("Bearer ").map(str::to_string)
        })
        .or_else(|| {
            headers.get("sec-websocket-protocol").and_then(|v| v.to_str().ok()).map(|p| p.split(',').next().unwrap_or(p).trim().to_string())
        })
}

async fn caller(context: &Context, token: Option<&str>) -> Result<Option<Caller>, Response> {
    let Some(token) = token else { return Ok(None) };
    match ops::oauth::authenticate(&context.store, token).await {
        Ok(ops::oauth::TokenCheck::Valid(token, member)) => Ok(Some(Caller { token, member })),
        Ok(refused) => Err(super::ApiError::refused_token(&refused).into_response()),
        Err(e) => Err(super::ApiError::from(e).into_response()),
    }
}

fn member_with_read(caller: Option<Caller>) -> Option<Actor> {
    let caller = caller?;
    let scopes = buurtnet_domain::model::Scopes::parse(&caller.token.scopes).ok()?;
    scopes.covers("read:statuses").then_some(caller.member).flatten()
}

/// `GET /api/v1/streaming` with an upgrade to a WebSocket.
pub async fn websocket(
    context: Context,
    Extension(limits): Extension<Arc<Limits>>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Query(query): Query<StreamQuery>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let Some(open) = limits.open_stream(client) else { return too_many_streams() };
    let token = token_of(&headers, &query);
    let member = match caller(&context, token.as_deref()).await {
        Ok(caller) => member_with_read(caller),
        Err(response) => return response,
    };
    let via_protocol = headers.get("sec-websocket-protocol").is_some() && query.access_token.is_none();
    let upgrade = if via_protocol { upgrade.protocols(token.into_iter().collect::<Vec<_>>()) } else { upgrade };
    let mut streams = Streams::new(context, member);
    let refused = match query.stream.as_deref() {
        Some(name) => streams.subscribe(name, query.tag.clone()).await,
        None => None,
    };
    upgrade.on_upgrade(move |socket| serve_socket(socket, streams, refused, open))
}

fn too_many_streams() -> Response {
    let why = format!("At most {STREAMS_PER_ADDRESS} streaming connections from one address");
    (StatusCode::TOO_MANY_REQUESTS, axum::Json(json!({"error": why}))).into_response()
}

/// Serves a WebSocket until it closes; `_open` counts it against its address meanwhile.
async fn serve_socket(mut socket: WebSocket, mut streams: Streams, refused: Option<Value>, _open: OpenStream) {
    if let Some(refusal) = refused
        && socket.send(Message::Text(refusal.to_string().into())).await.is_err()
    {
        return;
    }
    let mut ticks = tokio::time::interval(POLL);
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    let Ok(command) = serde_json::from_str::<Value>(&text) else { continue };
                    let stream = command["stream"].as_str().unwrap_or_default().to_string();
                    let tag = command["tag"].as_str().map(String::from);
                    let refused = match command["type"].as_str() {
                        Some("subscribe") => streams.subscribe(&stream, tag).await,
                        Some("unsubscribe") => {
                            streams.unsubscribe(&stream);
                            None
                        }
                        _ => None,
                    };
                    if let Some(refusal) = refused
                        && socket.send(Message::Text(refusal.to_string().into())).await.is_err()
                    {
                        return;
                    }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            _ = ticks.tick() => {
                for message in streams.poll().await {
                    if socket.send(Message::Text(message.to_string().into())).await.is_err() {
                        return;
                    }
                }
            }
        }
    }
}

/// The route of server-sent events for the stream `name`.
pub fn sse_route(name: &'static str) -> axum::routing::MethodRouter {
    axum::routing::get(move |context: Context, limits: Extension<Arc<Limits>>, client: ClientAddress, headers: HeaderMap, query| {
        sse(context, limits, client, headers, name, query)
    })
}

/// Server-sent events for one stream, named by the path.
async fn sse(
    context: Context,
    Extension(limits): Extension<Arc<Limits>>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    name: &'static str,
    Query(query): Query<StreamQuery>,
) -> Response {
    let Some(open) = limits.open_stream(client) else { return too_many_streams() };
    let token = token_of(&headers, &query);
    let caller = match caller(&context, token.as_deref()).await {
        Ok(caller) => caller,
        Err(response) => return response,
    };
    let member = member_with_read(caller);
    if name == "user" && member.is_none() {
        return (StatusCode::UNAUTHORIZED, axum::Json(json!({"error": "This stream requires an access token with read scope"})))
            .into_response();
    }
    let mut streams = Streams::new(context, member);
    if let Some(refusal) = streams.subscribe(name, query.tag.clone()).await {
        return (StatusCode::BAD_REQUEST, axum::Json(refusal)).into_response();
    }
    let events = futures::stream::unfold((streams, Vec::<Value>::new(), open), |(mut streams, mut queue, open)| async move {
        while queue.is_empty() {
            tokio::time::sleep(POLL).await;
            queue = streams.poll().await;
            queue.reverse();
        }
        let message = queue.pop()?;
        let event = Event::default().event(message["event"].as_str().unwrap_or("update")).data(message["payload"].as_str().unwrap_or(""));
        Some((Ok::<_, std::convert::Infallible>(event), (streams, queue, open)))
    });
    Sse::new(events).keep_alive(KeepAlive::default()).into_response()
}
