//! # buurtnet-web
//!
//! Everything people and apps talk to. [`router`] joins the federation routes with pages
//! for people ([`html`]), content negotiation on actor and note URLs, a health endpoint and
//! Prometheus metrics ([`ops_endpoints`]), iCalendar feeds ([`calendar`]), Atom and RSS feeds ([`feeds`]). Domain errors become status codes in [`error`].

pub mod api;
pub mod calendar;
pub mod challenge;
pub mod error;
pub mod feeds;
pub mod html;
pub mod limits;
pub mod ops_endpoints;
pub mod settings;

pub use settings::{Registrations, WebSettings};

use axum::Router;
use axum::extract::{Path, Request};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use buurtnet_domain::model::ActorKind;
use buurtnet_federation::Context;
use buurtnet_federation::http::{actor_document, note_document, wants_activity_json};
use buurtnet_federation::state::Federation;
use html::visitor::Visitor;

/// The node's whole HTTP surface.
pub fn router(federation: &Federation, settings: WebSettings, media_dir: std::path::PathBuf) -> Router {
    let routes = Router::new()
        .route("/users/{name}", get(person))
        .route("/initiatives/{name}", get(group))
        .route("/notes/{id}", get(note))
        .route("/notes/{id}/calendar.ics", get(calendar::event))
        .route("/initiatives/{name}/calendar.ics", get(calendar::actor))
        .route("/users/{name}/calendar.ics", get(calendar::actor))
        .route("/calendar.ics", get(calendar::node))
        .route("/coalitie/{slug}/agenda.ics", get(calendar::coalition))
        .route("/feed.atom", get(feeds::node_atom))
        .route("/feed.rss", get(feeds::node_rss))
        .route("/initiatives/{name}/feed.atom", get(feeds::actor_atom))
        .route("/initiatives/{name}/feed.rss", get(feeds::actor_rss))
        .route("/users/{name}/feed.atom", get(feeds::actor_atom))
        .route("/users/{name}/feed.rss", get(feeds::actor_rss))
        .route("/health", get(ops_endpoints::health))
        .route("/metrics", get(ops_endpoints::metrics))
        .merge(html::routes())
        .merge(api::routes(media_dir.clone()))
        .merge(buurtnet_federation::http::routes())
        .fallback(html::not_found)
        .layer(axum::Extension(api::media::MediaDir(media_dir)))
        .layer(axum::Extension(std::sync::Arc::new(settings)))
        .layer(axum::Extension(std::sync::Arc::new(limits::Limits::default())))
        .layer(axum::Extension(std::sync::Arc::new(challenges_of(federation))));
    // A layer on a router runs after its routing; the slash must go before, so the routes
    // sit behind a router of their own.
    Router::new()
        .fallback_service(federation.attach(routes))
        .layer(axum::middleware::from_fn(html::layout::security_headers))
        .layer(axum::middleware::from_fn(trailing_slash_is_the_same))
}

/// The key of the sums on the node's forms, the same in every process of the node (one made
/// from the instance actor's private key, which every process reads from the database), so
/// that a form shown by one process may be sent to another.
fn challenges_of(federation: &Federation) -> challenge::Challenges {
    match &federation.state().instance_actor.private_key_pem {
        Some(pem) => challenge::Challenges::from_secret(pem.as_bytes()),
        None => challenge::Challenges::default(),
    }
}

/// `/api/v1/instance/` and `/api/v1/instance` are one resource (clients differ).
async fn trailing_slash_is_the_same(mut request: Request, next: axum::middleware::Next) -> Response {
    let path = request.uri().path();
    if path.len() > 1 && path.ends_with('/') {
        let trimmed = path.trim_end_matches('/').to_string();
        let rebuilt = match request.uri().query() {
            Some(q) => format!("{trimmed}?{q}"),
            None => trimmed,
        };
        if let Ok(uri) = rebuilt.parse::<Uri>() {
            *request.uri_mut() = uri;
        }
    }
    next.run(request).await
}

async fn person(context: Context, visitor: Visitor, Path(name): Path<String>, uri: Uri, headers: HeaderMap) -> Response {
    actor_page(context, visitor, name, ActorKind::Person, uri, headers).await
}

/// An initiative: its actor document for servers, its page (with how to reach it and
/// "Vraag het ons") for people.
async fn group(
    context: Context,
    visitor: Visitor,
    challenges: axum::Extension<std::sync::Arc<challenge::Challenges>>,
    Path(name): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if wants_activity_json(&headers) {
        return actor_document(&context, &name, ActorKind::Group, &uri, &headers).await.into_response();
    }
    html::initiatives::page(&context, &visitor, &challenges, &name).await
}

async fn actor_page(context: Context, visitor: Visitor, name: String, kind: ActorKind, uri: Uri, headers: HeaderMap) -> Response {
    if wants_activity_json(&headers) {
        return actor_document(&context, &name, kind, &uri, &headers).await.into_response();
    }
    html::posts::profile(&context, &visitor, &name, kind).await
}

async fn note(context: Context, visitor: Visitor, Path(id): Path<i64>, uri: Uri, headers: HeaderMap) -> Response {
    if wants_activity_json(&headers) {
        return note_document(&context, id, &uri, &headers).await.into_response();
    }
    let ap_id = context.urls.note(id).to_string();
    let local_id = match context.store.conn().await {
        Ok(mut conn) => buurtnet_domain::store::posts::by_ap_id(&mut conn, &ap_id).await.ok().flatten().map(|p| p.id),
        Err(_) => None,
    };
    match local_id {
        Some(local_id) => html::posts::show(&context, &visitor, local_id, None, axum::http::StatusCode::OK).await,
        None => html::not_found(context, visitor).await,
    }
}
