//! Endpoints that apps call blindly on their first screen, for features Buurtnet does not
//! have (custom emojis, lists, filters, announcements, trends, followed and featured tags,
//! suggestions, familiar followers, scheduled posts, notification requests and policy, web
//! push): they answer as Mastodon does when there is nothing, so apps start cleanly. Those
//! that Mastodon guards with a token are guarded here too. README lists which app calls what.

use super::accounts::query_list;
use super::{ApiError, ApiResult, require};
use axum::Json;
use axum::Router;
use axum::http::{HeaderMap, Uri};
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

/// Accounts one follows who follow each of the accounts asked about: none are worked out here,
/// so each gets an empty list (Phanpy asks on every profile).
async fn familiar_followers(context: Context, headers: HeaderMap, uri: Uri) -> ApiResult<Response> {
    require(&context, &headers, "read:follows").await?;
    let answer: Vec<Value> = query_list(&uri, "id").into_iter().map(|id| json!({"id": id, "accounts": []})).collect();
    Ok(Json(answer).into_response())
}

/// Mastodon's notification policy when nothing is filtered.
fn accept_all_policy() -> Value {
    json!({
        "for_not_following": "accept", "for_not_followers": "accept", "for_new_accounts": "accept",
        "for_private_mentions": "accept", "for_limited_accounts": "accept",
        "summary": {"pending_requests_count": 0, "pending_notifications_count": 0},
    })
}

/// No web push subscription: Mastodon answers 404 then, and apps expect that (Elk).
async fn no_push_subscription(context: Context, headers: HeaderMap) -> ApiResult<Response> {
    require(&context, &headers, "push").await?;
    Err(ApiError::not_found())
}

/// Lists that are always empty here, with the scope Mastodon asks a token for (`None`: no
/// token needed).
const EMPTY_LISTS: &[(&str, Option<&str>)] = &[
    ("/api/v1/custom_emojis", None),
    ("/api/v1/announcements", None),
    ("/api/v1/trends", None),
    ("/api/v1/trends/tags", None),
    ("/api/v1/trends/statuses", None),
    ("/api/v1/trends/links", None),
    ("/api/v1/instance/rules", None),
    ("/api/v1/instance/peers", None),
    ("/api/v1/instance/activity", None),
    ("/api/v1/accounts/{id}/featured_tags", None),
    ("/api/v1/lists", Some("read:lists")),
    ("/api/v1/accounts/{id}/lists", Some("read:lists")),
    ("/api/v1/filters", Some("read:filters")),
    ("/api/v2/filters", Some("read:filters")),
    ("/api/v1/followed_tags", Some("read:follows")),
    ("/api/v1/follow_requests", Some("read:follows")),
    ("/api/v1/featured_tags", Some("read:accounts")),
    ("/api/v1/suggestions", Some("read")),
    ("/api/v2/suggestions", Some("read")),
    ("/api/v1/conversations", Some("read:statuses")),
    ("/api/v1/scheduled_statuses", Some("read:statuses")),
    ("/api/v1/notifications/requests", Some("read:notifications")),
    ("/api/v1/blocks", Some("read:blocks")),
    ("/api/v1/domain_blocks", Some("read:blocks")),
    ("/api/v1/mutes", Some("read:mutes")),
];

fn preferences() -> Value {
    json!({
        "posting:default:visibility": "public", "posting:default:sensitive": false, "posting:default:language": "nl",
        "reading:expand:media": "default", "reading:expand:spoilers": false,
    })
}

pub fn routes() -> Router {
    let mut router = Router::new();
    for &(path, scope) in EMPTY_LISTS {
        router = router.route(
            path,
            match scope {
                None => get(|| async { Json(empty_list()) }),
                Some(scope) => get(move |c: Context, h: HeaderMap| guarded(c, h, scope, empty_list())),
            },
        );
    }
    router
        .route("/api/v1/preferences", get(|c: Context, h: HeaderMap| guarded(c, h, "read:accounts", preferences())))
        .route("/api/v2/notifications/policy", get(|c: Context, h: HeaderMap| guarded(c, h, "read:notifications", accept_all_policy())))
        .route("/api/v1/accounts/familiar_followers", get(familiar_followers))
        .route("/api/v1/push/subscription", get(no_push_subscription))
}
