//! Accounts: the member themself (`verify_credentials`), any known actor by id or by
//! `acct`, their statuses, and relationships.

use super::{ApiError, ApiResult, entities, require};
use axum::Json;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use buurtnet_domain::model::{Actor, FollowState};
use buurtnet_domain::{ops, store};
use buurtnet_federation::Context;
use serde::Deserialize;
use serde_json::{Value, json};

pub async fn verify_credentials(context: Context, headers: HeaderMap) -> ApiResult<Response> {
    let caller = require(&context, &headers, "read:accounts").await?;
    Ok(Json(entities::credential_account(&context, caller.member()?).await?).into_response())
}

async fn actor_by_id(context: &Context, id: &str) -> ApiResult<Actor> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
    store::actors::by_id(&mut context.store.conn().await?, id).await.map_err(|_| ApiError::not_found())
}

pub async fn get(context: Context, Path(id): Path<String>) -> ApiResult<Response> {
    let actor = actor_by_id(&context, &id).await?;
    Ok(Json(entities::account(&context, &actor).await?).into_response())
}

#[derive(Debug, Deserialize)]
pub struct LookupQuery {
    acct: String,
}

/// `acct` is `user` (here) or `user@domain` (anywhere we know of).
pub async fn lookup(context: Context, Query(query): Query<LookupQuery>) -> ApiResult<Response> {
    let acct = query.acct.trim().trim_start_matches('@');
    let domain = context.urls.domain();
    let (username, host) = acct.split_once('@').unwrap_or((acct, &domain));
    let actor = store::actors::by_handle(&mut context.store.conn().await?, username, host).await?.ok_or_else(ApiError::not_found)?;
    Ok(Json(entities::account(&context, &actor).await?).into_response())
}

#[derive(Debug, Deserialize, Default)]
pub struct PageQuery {
    pub max_id: Option<String>,
    pub since_id: Option<String>,
    pub min_id: Option<String>,
    pub limit: Option<String>,
    pub local: Option<String>,
    /// Account statuses only: Mastodon's filters.
    pub exclude_reblogs: Option<String>,
    pub exclude_replies: Option<String>,
    pub only_media: Option<String>,
    pub pinned: Option<String>,
}

/// A boolean parameter as Mastodon (Rails) reads it: given and not `0`, `f`, `false`, `off`.
pub fn truthy(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.is_empty() && !["0", "f", "false", "off"].contains(&v.to_ascii_lowercase().as_str()))
}

/// An account's posts and boosts that the caller may read, newest first. Nothing is pinned
/// here, so `pinned=true` is an empty list.
pub async fn statuses(context: Context, headers: HeaderMap, Path(id): Path<String>, Query(query): Query<PageQuery>) -> ApiResult<Response> {
    let caller = super::optional(&context, &headers).await?;
    let viewer = caller.and_then(|c| c.member);
    let actor = actor_by_id(&context, &id).await?;
    let page = super::timelines::page(&query);
    let entries = if truthy(&query.pinned) {
        Vec::new()
    } else {
        let filter = store::timelines::AccountFilter {
            without_boosts: truthy(&query.exclude_reblogs),
            without_replies: truthy(&query.exclude_replies),
            only_media: truthy(&query.only_media),
        };
        store::timelines::of_account(&mut context.store.conn().await?, actor.id, filter, page).await?
    };
    let path = format!("/api/v1/accounts/{}/statuses", actor.id);
    super::timelines::answer_entries(&context, entries, viewer.as_ref(), page, &path).await
}

/// The `key[]` (or `key`) values of a query string.
pub fn query_list(uri: &Uri, key: &str) -> Vec<String> {
    let bracket = format!("{key}[]");
    url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .filter(|(k, _)| k == key || *k == bracket)
        .map(|(_, v)| v.into_owned())
        .collect()
}

/// The Relationship entity between `member` and `other`.
async fn relationship(context: &Context, member: &Actor, other: &Actor) -> ApiResult<Value> {
    let mut conn = context.store.conn().await?;
    let following = store::follows::state(&mut conn, member.id, other.id).await?;
    let followed_by = store::follows::state(&mut conn, other.id, member.id).await?;
    Ok(json!({
        "id": other.id.to_string(),
        "following": following.as_deref() == Some("accepted"),
        "showing_reblogs": true, "notifying": false, "languages": null,
        "followed_by": followed_by.as_deref() == Some("accepted"),
        "blocking": false, "blocked_by": false, "muting": false, "muting_notifications": false,
        "requested": following.as_deref() == Some("pending"),
        "requested_by": followed_by.as_deref() == Some("pending"),
        "domain_blocking": false, "endorsed": false, "note": "",
    }))
}

pub async fn relationships(context: Context, headers: HeaderMap, uri: Uri) -> ApiResult<Response> {
    let caller = require(&context, &headers, "read:follows").await?;
    let member = caller.member()?;
    let mut out: Vec<Value> = Vec::new();
    for id in query_list(&uri, "id") {
        if let Ok(other) = actor_by_id(&context, &id).await {
            out.push(relationship(&context, member, &other).await?);
        }
    }
    Ok(Json(out).into_response())
}

/// Follows an account, here or on another node (a `Follow` goes out; until its node
/// accepts, the relationship says `requested`).
pub async fn follow(context: Context, headers: HeaderMap, Path(id): Path<String>) -> ApiResult<Response> {
    let caller = require(&context, &headers, "write:follows").await?;
    let member = caller.member()?;
    let other = actor_by_id(&context, &id).await?;
    if other.id == member.id {
        return Err(ApiError::unprocessable("You cannot follow yourself"));
    }
    ops::follows::follow(&context.store, &context.urls, member, &other).await?;
    context.wake_delivery();
    Ok(Json(relationship(&context, member, &other).await?).into_response())
}

pub async fn unfollow(context: Context, headers: HeaderMap, Path(id): Path<String>) -> ApiResult<Response> {
    let caller = require(&context, &headers, "write:follows").await?;
    let member = caller.member()?;
    let other = actor_by_id(&context, &id).await?;
    match ops::follows::unfollow(&context.store, member, &other).await {
        Ok(()) | Err(buurtnet_domain::DomainError::NotFound) => {}
        Err(e) => return Err(e.into()),
    }
    context.wake_delivery();
    Ok(Json(relationship(&context, member, &other).await?).into_response())
}

/// Who follows an account, and whom it follows (accepted follows, 40 at most per page).
pub async fn followers(context: Context, Path(id): Path<String>, Query(page): Query<PageQuery>) -> ApiResult<Response> {
    let actor = actor_by_id(&context, &id).await?;
    let (limit, offset) = list_window(&page);
    let list = store::follows::followers(&mut context.store.conn().await?, actor.id, FollowState::Accepted, limit, offset).await?;
    accounts_answer(&context, list).await
}

pub async fn following(context: Context, Path(id): Path<String>, Query(page): Query<PageQuery>) -> ApiResult<Response> {
    let actor = actor_by_id(&context, &id).await?;
    let (limit, offset) = list_window(&page);
    let list = store::follows::following(&mut context.store.conn().await?, actor.id, limit, offset).await?;
    accounts_answer(&context, list).await
}

/// Account lists page by offset (`max_id` is the offset to continue from).
fn list_window(page: &PageQuery) -> (i64, i64) {
    let limit = page.limit.as_deref().and_then(|l| l.parse::<i64>().ok()).unwrap_or(40).clamp(1, 80);
    let offset = page.max_id.as_deref().and_then(|m| m.parse::<i64>().ok()).unwrap_or(0).max(0);
    (limit, offset)
}

async fn accounts_answer(context: &Context, list: Vec<Actor>) -> ApiResult<Response> {
    let mut out = Vec::with_capacity(list.len());
    for actor in &list {
        out.push(entities::account(context, actor).await?);
    }
    Ok(Json(out).into_response())
}

#[derive(Debug, Deserialize)]
pub struct CredentialsForm {
    display_name: Option<String>,
    note: Option<String>,
    locked: Option<Value>,
}

/// `PATCH /api/v1/accounts/update_credentials`: name, note, and whether follows need approval.
pub async fn update_credentials(
    context: Context,
    headers: HeaderMap,
    super::Params(form): super::Params<CredentialsForm>,
) -> ApiResult<Response> {
    let caller = require(&context, &headers, "write:accounts").await?;
    let member = caller.member()?;
    let locked = form.locked.as_ref().map(|v| v.as_bool().unwrap_or_else(|| matches!(v.as_str(), Some("true" | "1" | "on"))));
    let updated = ops::members::update_profile(&context.store, member, form.display_name.as_deref(), form.note.as_deref(), locked)
        .await
        .map_err(|e| match e {
            buurtnet_domain::DomainError::Invalid(_) => ApiError::invalid(&e),
            other => other.into(),
        })?;
    context.wake_delivery();
    Ok(Json(entities::credential_account(&context, &updated).await?).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ReportForm {
    account_id: Option<String>,
    #[serde(default)]
    status_ids: Vec<Value>,
    #[serde(default)]
    comment: String,
    forward: Option<Value>,
}

/// `POST /api/v1/reports`: to the node's coordinators and admins, and with `forward` (as
/// a `Flag`) to the node of an account elsewhere.
pub async fn report(context: Context, headers: HeaderMap, super::Params(form): super::Params<ReportForm>) -> ApiResult<Response> {
    let caller = require(&context, &headers, "write:reports").await?;
    let member = caller.member()?;
    let account = actor_by_id(&context, form.account_id.as_deref().unwrap_or_default()).await?;
    let status_ids = form
        .status_ids
        .iter()
        .map(|v| v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok())))
        .collect::<Option<Vec<i64>>>()
        .ok_or_else(|| ApiError::unprocessable("Validation failed: status_ids are not ids"))?;
    let forward = form.forward.as_ref().is_some_and(|v| v.as_bool().unwrap_or_else(|| matches!(v.as_str(), Some("true" | "1"))));
    let id = ops::members::report(&context.store, member, &account, &status_ids, &form.comment, forward).await.map_err(|e| match e {
        buurtnet_domain::DomainError::Invalid(_) => ApiError::invalid(&e),
        other => other.into(),
    })?;
    context.wake_delivery();
    Ok(Json(json!({
        "id": id.to_string(), "action_taken": false, "action_taken_at": null, "category": "other", "comment": form.comment,
        "forwarded": forward && !account.is_local, "created_at": entities::time(buurtnet_domain::now_ms()),
        "status_ids": status_ids.iter().map(i64::to_string).collect::<Vec<_>>(), "rule_ids": null,
        "target_account": entities::account(&context, &account).await?,
    }))
    .into_response())
}

/// `GET /api/v1/markers`.
pub async fn markers(context: Context, headers: HeaderMap) -> ApiResult<Response> {
    let caller = require(&context, &headers, "read:statuses").await?;
    let member = caller.member()?;
    let mut out = serde_json::Map::new();
    for (timeline, last_read_id, version, updated_at) in store::markers::of_member(&mut context.store.conn().await?, member.id).await? {
        out.insert(timeline, json!({"last_read_id": last_read_id, "version": version, "updated_at": entities::time(updated_at)}));
    }
    Ok(Json(Value::Object(out)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct MarkerPart {
    last_read_id: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct MarkersForm {
    home: Option<MarkerPart>,
    notifications: Option<MarkerPart>,
    #[serde(rename = "home[last_read_id]")]
    home_flat: Option<String>,
    #[serde(rename = "notifications[last_read_id]")]
    notifications_flat: Option<String>,
}

/// `POST /api/v1/markers` (JSON `{"home": {"last_read_id": ...}}` or form `home[last_read_id]`).
pub async fn save_markers(context: Context, headers: HeaderMap, super::Params(form): super::Params<MarkersForm>) -> ApiResult<Response> {
    let caller = require(&context, &headers, "write:statuses").await?;
    let member = caller.member()?.clone();
    let home = form.home.and_then(|m| m.last_read_id).or(form.home_flat);
    let notifications = form.notifications.and_then(|m| m.last_read_id).or(form.notifications_flat);
    for (timeline, id) in [("home", home), ("notifications", notifications)] {
        if let Some(id) = id {
            ops::members::set_marker(&context.store, &member, timeline, &id).await.map_err(|e| ApiError::invalid(&e))?;
        }
    }
    markers(context, headers).await
}
