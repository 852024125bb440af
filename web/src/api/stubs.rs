//! Endpoints that apps call blindly on their first screen, for features Buurtnet does not
//! have (custom emojis, lists, filters, announcements, trends, followed tags, web push):
//! they answer as Mastodon does when there is nothing, never 404, so apps start cleanly.
//! Those that Mastodon guards with a token are guarded here too.

use super::{ApiResult, require};
use axum::Json;
use axum::Router;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use buurtnet_federation::Context;
use serde_json::{Value, json};

/// An empty answer that needs a token with `scope`.
async fn guarded(context: Context, headers: HeaderMap, scope: &'static str, empty: Value) -> ApiResult<Response> {
    require(&context, &headers, scope).await?;
    Ok(Json(empty).into_response())
}

fn empty_list() -> Value {
    json!([])
}

pub fn routes() -> Router {
    Router::new()
        .route("/api/v1/custom_emojis", get(|| async { Json(empty_list()) }))
        .route("/api/v1/announcements", get(|| async { Json(empty_list()) }))
        .route("/api/v1/trends", get(|| async { Json(empty_list()) }))
        .route("/api/v1/trends/tags", get(|| async { Json(empty_list()) }))
        .route("/api/v1/trends/statuses", get(|| async { Json(empty_list()) }))
        .route("/api/v1/trends/links", get(|| async { Json(empty_list()) }))
        .route("/api/v1/instance/rules", get(|| async { Json(empty_list()) }))
        .route("/api/v1/instance/peers", get(|| async { Json(empty_list()) }))
        .route("/api/v1/instance/activity", get(|| async { Json(empty_list()) }))
        .route(
            "/api/v1/preferences",
            get(|c: Context, h: HeaderMap| async move {
                guarded(
                    c,
                    h,
                    "read:accounts",
                    json!({
                        "posting:default:visibility": "public", "posting:default:sensitive": false, "posting:default:language": "nl",
                        "reading:expand:media": "default", "reading:expand:spoilers": false,
                    }),
                )
                .await
            }),
        )
        .route("/api/v1/lists", get(|c: Context, h: HeaderMap| guarded(c, h, "read:lists", empty_list())))
        .route("/api/v1/filters", get(|c: Context, h: HeaderMap| guarded(c, h, "read:filters", empty_list())))
        .route("/api/v2/filters", get(|c: Context, h: HeaderMap| guarded(c, h, "read:filters", empty_list())))
        .route("/api/v1/followed_tags", get(|c: Context, h: HeaderMap| guarded(c, h, "read:follows", empty_list())))
        .route("/api/v1/follow_requests", get(|c: Context, h: HeaderMap| guarded(c, h, "read:follows", empty_list())))
        .route("/api/v1/conversations", get(|c: Context, h: HeaderMap| guarded(c, h, "read:statuses", empty_list())))
        .route("/api/v1/blocks", get(|c: Context, h: HeaderMap| guarded(c, h, "read:blocks", empty_list())))
        .route("/api/v1/mutes", get(|c: Context, h: HeaderMap| guarded(c, h, "read:mutes", empty_list())))
        .route("/api/v1/domain_blocks", get(|c: Context, h: HeaderMap| guarded(c, h, "read:blocks", empty_list())))
        .route("/api/v1/push/subscription", get(|c: Context, h: HeaderMap| guarded(c, h, "push", json!({}))))
}
