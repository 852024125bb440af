//! Notifications: follows and follow requests, mentions, favourites and reblogs under their
//! Mastodon names, and Buurtnet's own (match suggestions, RSVPs, responses, changed events,
//! proposed edits) as `status` or `update` notifications about the post concerned, with our
//! kind in `buurtnet_type` for apps that want it. Filter with `types[]` and
//! `exclude_types[]`, page like timelines, dismiss one or clear all.

use super::accounts::{PageQuery, query_list};
use super::{ApiError, ApiResult, entities, require};
use axum::Json;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use buurtnet_domain::model::Actor;
use buurtnet_domain::ops::notices::Notice;
use buurtnet_domain::ops::statuses::StatusFacts;
use buurtnet_domain::store::notifications::Notification;
use buurtnet_domain::store::timelines::Entry;
use buurtnet_domain::{ops, store};
use buurtnet_federation::Context;
use serde_json::{Value, json};

/// The Mastodon type a notification kind shows as.
pub fn mastodon_type(kind: &str) -> &'static str {
    match kind {
        "follow" => "follow",
        "follow_request" => "follow_request",
        "mention" => "mention",
        "favourite" => "favourite",
        "admin.report" => "admin.report",
        "reblog" => "reblog",
        "event_moved" | "event_cancelled" | "patch_merged" => "update",
        _ => "status",
    }
}

/// The Notification entities of `notices`, from facts read once for all of them.
async fn entities_of(context: &Context, member: &Actor, notices: &[Notice]) -> ApiResult<Vec<(i64, Value)>> {
    let entries: Vec<Entry> = notices.iter().filter_map(|n| n.post.clone()).map(Entry::from).collect();
    let people: Vec<i64> = notices.iter().map(|n| n.actor_id).collect();
    let facts = StatusFacts::read(&context.store, &entries, Some(member), &people).await?;
    Ok(notices.iter().map(|notice| (notice.notification.id, entity(context, &facts, notice))).collect())
}

/// The Notification entity of a notice from facts read for a whole page (no database).
pub fn entity(context: &Context, facts: &StatusFacts, notice: &Notice) -> Value {
    let notification = &notice.notification;
    let account = facts.accounts.actor(notice.actor_id).map(|actor| entities::account_of(context, &facts.accounts, actor));
    json!({
        "id": notification.id.to_string(),
        "type": mastodon_type(&notification.kind),
        "buurtnet_type": notification.kind,
        "created_at": entities::time(notification.created_at),
        "group_key": format!("ungrouped-{}", notification.id),
        "account": account,
        "status": notice.post.as_ref().map(|post| entities::status_of(context, facts, post)),
    })
}

/// The entities of those of `rows` an app is shown, in their order (the streaming API's).
pub async fn entities(context: &Context, member: &Actor, rows: Vec<Notification>) -> ApiResult<Vec<(i64, Value)>> {
    let limit = rows.len();
    let notices = shown(context, member, rows, limit).await?;
    entities_of(context, member, &notices).await
}

/// The notices of `rows` an app is shown, at most `limit`.
async fn shown(context: &Context, member: &Actor, rows: Vec<Notification>, limit: usize) -> ApiResult<Vec<Notice>> {
    // Ours about no post (a "Vraag het ons" question: for the pages only) is not shown here.
    Ok(ops::notices::shown(&context.store, member, rows, limit, needs_post).await?)
}

/// Whether a notification of `kind` means nothing to an app without its post.
fn needs_post(kind: &str) -> bool {
    mastodon_type(kind) == "status"
}

/// The notifications a query asks for, as (id, entity), newest first (oldest first with
/// `min_id`, as [`super::timelines::page`] reads it).
async fn collect(context: &Context, member: &Actor, uri: &Uri, query: &PageQuery) -> ApiResult<Vec<(i64, Value)>> {
    let types = query_list(uri, "types");
    let excluded = query_list(uri, "exclude_types");
    let page = super::timelines::page(query);
    let wanted = |row: &Notification| {
        let kind = mastodon_type(&row.kind);
        (types.is_empty() || types.iter().any(|t| t == kind || *t == row.kind)) && !excluded.iter().any(|t| t == kind || *t == row.kind)
    };
    let bounds = (page.before.unwrap_or(i64::MAX), page.after.unwrap_or(0));
    let notices = ops::notices::page(&context.store, member, bounds, page.limit as usize, wanted, needs_post).await?;
    entities_of(context, member, &notices).await
}

/// RFC 8288 links to the older and newer pages of `path`.
fn with_links(context: &Context, mut response: Response, path: &str, out: &[(i64, Value)]) -> Response {
    if let (Some((newest, _)), Some((oldest, _))) = (out.first(), out.last()) {
        let base = context.urls.base().as_str().trim_end_matches('/').to_string();
        let link = format!("<{base}{path}?max_id={oldest}>; rel=\"next\", <{base}{path}?min_id={newest}>; rel=\"prev\"");
        if let Ok(value) = HeaderValue::from_str(&link) {
            response.headers_mut().insert(header::LINK, value);
        }
    }
    response
}

pub async fn list(context: Context, headers: HeaderMap, uri: Uri, Query(query): Query<PageQuery>) -> ApiResult<Response> {
    let caller = require(&context, &headers, "read:notifications").await?;
    let member = caller.member()?;
    let out = collect(&context, member, &uri, &query).await?;
    let response = Json(out.iter().map(|(_, e)| e.clone()).collect::<Vec<_>>()).into_response();
    Ok(with_links(&context, response, "/api/v1/notifications", &out))
}

/// `GET /api/v2/notifications`: Mastodon 4.3's grouped notifications, which apps ask for when
/// the instance says `api_versions.mastodon` 2 (Phanpy does). Nothing is grouped here: each
/// notification is a group of one, with its account and status beside the groups.
pub async fn grouped(context: Context, headers: HeaderMap, uri: Uri, Query(query): Query<PageQuery>) -> ApiResult<Response> {
    let caller = require(&context, &headers, "read:notifications").await?;
    let member = caller.member()?;
    let out = collect(&context, member, &uri, &query).await?;
    let (mut accounts, mut statuses, mut groups) = (Vec::<Value>::new(), Vec::<Value>::new(), Vec::new());
    for (id, notification) in &out {
        let (account, status) = (&notification["account"], &notification["status"]);
        if !accounts.iter().any(|a| a["id"] == account["id"]) {
            accounts.push(account.clone());
        }
        if status.is_object() && !statuses.iter().any(|s| s["id"] == status["id"]) {
            statuses.push(status.clone());
        }
        groups.push(json!({
            "group_key": notification["group_key"],
            "notifications_count": 1,
            "type": notification["type"],
            "buurtnet_type": notification["buurtnet_type"],
            "most_recent_notification_id": id.to_string(),
            "page_min_id": id.to_string(),
            "page_max_id": id.to_string(),
            "latest_page_notification_at": notification["created_at"],
            "sample_account_ids": [account["id"]],
            "status_id": status["id"],
        }));
    }
    let body = json!({"accounts": accounts, "statuses": statuses, "notification_groups": groups});
    Ok(with_links(&context, Json(body).into_response(), "/api/v2/notifications", &out))
}

fn id_of(id: &str) -> ApiResult<i64> {
    id.parse().map_err(|_| ApiError::not_found())
}

pub async fn get(context: Context, headers: HeaderMap, Path(id): Path<String>) -> ApiResult<Response> {
    let caller = require(&context, &headers, "read:notifications").await?;
    let member = caller.member()?;
    let row =
        store::notifications::by_id(&mut context.store.conn().await?, member.id, id_of(&id)?).await?.ok_or_else(ApiError::not_found)?;
    let notices = shown(&context, member, vec![row], 1).await?;
    let (_, entity) = entities_of(&context, member, &notices).await?.pop().ok_or_else(ApiError::not_found)?;
    Ok(Json(entity).into_response())
}

pub async fn dismiss(context: Context, headers: HeaderMap, Path(id): Path<String>) -> ApiResult<Response> {
    let caller = require(&context, &headers, "write:notifications").await?;
    let member = caller.member()?;
    ops::members::dismiss_notice(&context.store, member, id_of(&id)?).await?;
    Ok(Json(json!({})).into_response())
}

pub async fn clear(context: Context, headers: HeaderMap) -> ApiResult<Response> {
    let caller = require(&context, &headers, "write:notifications").await?;
    let member = caller.member()?;
    ops::members::clear_notices(&context.store, member).await?;
    Ok(Json(json!({})).into_response())
}

/// `GET /api/v1/bookmarks` and `/api/v1/favourites`.
pub async fn bookmarks(context: Context, headers: HeaderMap, Query(query): Query<PageQuery>) -> ApiResult<Response> {
    let caller = require(&context, &headers, "read:bookmarks").await?;
    let member = caller.member()?;
    let page = super::timelines::page(&query);
    let posts = store::posts::bookmarked(&mut context.store.conn().await?, member.id, page).await?;
    super::timelines::answer(&context, posts, Some(member), page, "/api/v1/bookmarks").await
}

pub async fn favourites(context: Context, headers: HeaderMap, Query(query): Query<PageQuery>) -> ApiResult<Response> {
    let caller = require(&context, &headers, "read:favourites").await?;
    let member = caller.member()?;
    let page = super::timelines::page(&query);
    let posts = store::posts::liked(&mut context.store.conn().await?, &member.ap_id, page).await?;
    super::timelines::answer(&context, posts, Some(member), page, "/api/v1/favourites").await
}
