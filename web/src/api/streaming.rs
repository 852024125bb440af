//! Live updates for apps: the WebSocket at `/api/v1/streaming` (masto.js, Elk, Phanpy,
//! Tusky) and server-sent events at `/api/v1/streaming/{user,public,public/local,hashtag}`
//! (Mastodon.py). Streams: `user` (home timeline and notifications), `public`,
//! `public:local`, `hashtag` and `hashtag:local`.
//!
//! Each connection looks for what is new once a second, from where it started, and sends
//! only what its member may read. A small node does not need more machinery than that.

use super::{Caller, entities};
use axum::extract::Query;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use buurtnet_domain::model::Actor;
use buurtnet_domain::store::posts::Page;
use buurtnet_domain::{ops, store};
use buurtnet_federation::Context;
use serde::Deserialize;
use serde_json::{Value, json};
use std::time::Duration;

const POLL: Duration = Duration::from_secs(1);

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
}

impl Streams {
    async fn subscribe(&mut self, name: &str, tag: Option<String>) {
        let known = ["user", "user:notification", "public", "public:local", "hashtag", "hashtag:local"];
        let needs_member = name.starts_with("user");
        if !known.contains(&name)
            || (needs_member && self.member.is_none())
            || self.subscriptions.iter().any(|s| s.name == name && s.tag == tag)
        {
            return;
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
    }

    fn unsubscribe(&mut self, name: &str) {
        self.subscriptions.retain(|s| s.name != name);
    }

    /// Everything new since the last look, as Mastodon stream messages.
    async fn poll(&mut self) -> Vec<Value> {
        let mut out = Vec::new();
        for index in 0..self.subscriptions.len() {
            match self.poll_one(index).await {
                Ok(mut messages) => out.append(&mut messages),
                Err(e) => tracing::warn!(error = %e, "streaming poll failed"),
            }
        }
        out
    }

    async fn poll_one(&mut self, index: usize) -> Result<Vec<Value>, buurtnet_domain::DomainError> {
        let sub = self.subscriptions[index].clone();
        let page = Page { before: None, after: Some(sub.last_post), oldest_first: true, limit: 40 };
        let mut conn = self.context.store.conn().await?;
        let posts = match (sub.name.as_str(), &self.member) {
            ("user", Some(member)) => store::posts::home_timeline(&mut conn, member.id, &member.ap_id, page).await?,
            ("public", _) => store::posts::public_timeline(&mut conn, false, page).await?,
            ("public:local", _) => store::posts::public_timeline(&mut conn, true, page).await?,
            ("hashtag" | "hashtag:local", _) => {
                store::posts::tagged(&mut conn, sub.tag.as_deref().unwrap_or_default(), sub.name.ends_with(":local"), page).await?
            }
            _ => vec![],
        };
        drop(conn);
        let reader = self.member.as_ref().map(|m| m.ap_id.clone());
        let mut messages = Vec::new();
        for post in &posts {
            self.subscriptions[index].last_post = post.id;
            if ops::visibility::may_read(&self.context.store, post, reader.as_deref()).await? {
                let status = entities::status(&self.context, post, self.member.as_ref()).await?;
                messages.push(json!({"stream": [sub.name], "event": "update", "payload": status.to_string()}));
            }
        }
        if let (Some(member), true) = (&self.member, sub.name.starts_with("user")) {
            let rows =
                store::notifications::page(&mut self.context.store.conn().await?, member.id, i64::MAX, sub.last_notification, 40).await?;
            for row in rows.iter().rev() {
                self.subscriptions[index].last_notification = row.id;
                if let Ok(Some(entity)) = super::notifications::entity(&self.context, member, row).await {
                    messages.push(json!({"stream": [sub.name], "event": "notification", "payload": entity.to_string()}));
                }
            }
        }
        Ok(messages)
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
pub async fn websocket(context: Context, headers: HeaderMap, Query(query): Query<StreamQuery>, upgrade: WebSocketUpgrade) -> Response {
    let token = token_of(&headers, &query);
    let member = match caller(&context, token.as_deref()).await {
        Ok(caller) => member_with_read(caller),
        Err(response) => return response,
    };
    let via_protocol = headers.get("sec-websocket-protocol").is_some() && query.access_token.is_none();
    let upgrade = if via_protocol { upgrade.protocols(token.into_iter().collect::<Vec<_>>()) } else { upgrade };
    let mut streams = Streams { context, member, subscriptions: vec![] };
    if let Some(name) = query.stream.as_deref() {
        streams.subscribe(name, query.tag.clone()).await;
    }
    upgrade.on_upgrade(move |socket| serve_socket(socket, streams))
}

async fn serve_socket(mut socket: WebSocket, mut streams: Streams) {
    let mut ticks = tokio::time::interval(POLL);
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    let Ok(command) = serde_json::from_str::<Value>(&text) else { continue };
                    let stream = command["stream"].as_str().unwrap_or_default().to_string();
                    let tag = command["tag"].as_str().map(String::from);
                    match command["type"].as_str() {
                        Some("subscribe") => streams.subscribe(&stream, tag).await,
                        Some("unsubscribe") => streams.unsubscribe(&stream),
                        _ => {}
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

/// Server-sent events for one stream, named by the path.
pub async fn sse(context: Context, headers: HeaderMap, name: &'static str, Query(query): Query<StreamQuery>) -> Response {
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
    let mut streams = Streams { context, member, subscriptions: vec![] };
    streams.subscribe(name, query.tag.clone()).await;
    let events = futures::stream::unfold((streams, Vec::<Value>::new()), |(mut streams, mut queue)| async move {
        while queue.is_empty() {
            tokio::time::sleep(POLL).await;
            queue = streams.poll().await;
            queue.reverse();
        }
        let message = queue.pop()?;
        let event = Event::default().event(message["event"].as_str().unwrap_or("update")).data(message["payload"].as_str().unwrap_or(""));
        Some((Ok::<_, std::convert::Infallible>(event), (streams, queue)))
    });
    Sse::new(events).keep_alive(KeepAlive::default()).into_response()
}
