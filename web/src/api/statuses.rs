//! Statuses: posting (with visibility, content warning, replies, mentions and an
//! idempotency key; `#hulpvraag` / `#hulpaanbod` posts become needs and offers), reading one
//! with its thread, deleting, and favourite, reblog and bookmark.

use super::{ApiError, ApiResult, Params, entities, require};
use axum::Json;
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use buurtnet_domain::model::{Actor, Post, Visibility};
use buurtnet_domain::ops::posts::PostDraft;
use buurtnet_domain::store::timelines::Entry;
use buurtnet_domain::{ops, store};
use buurtnet_federation::Context;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    status: Option<String>,
    in_reply_to_id: Option<String>,
    #[serde(default)]
    spoiler_text: Option<String>,
    visibility: Option<String>,
    language: Option<String>,
    /// Ids as strings (form and most apps) or numbers.
    #[serde(default)]
    media_ids: Vec<serde_json::Value>,
}

/// Keys of recent posts per node and member, so that a client retrying a post does not post
/// twice. (Several nodes may share a process: the demo, the tests.)
static RECENT_KEYS: LazyLock<Mutex<HashMap<KeyOf, (i64, Instant)>>> = LazyLock::new(Mutex::default);

/// (node, member id, idempotency key).
type KeyOf = (String, i64, String);
const KEY_LIFETIME: Duration = Duration::from_secs(3600);

fn remembered(node: &str, member_id: i64, key: &str) -> Option<i64> {
    let mut map = RECENT_KEYS.lock().expect("idempotency keys");
    map.retain(|_, (_, at)| at.elapsed() < KEY_LIFETIME);
    map.get(&(node.to_string(), member_id, key.to_string())).map(|(id, _)| *id)
}

fn remember(node: &str, member_id: i64, key: &str, post_id: i64) {
    RECENT_KEYS.lock().expect("idempotency keys").insert((node.to_string(), member_id, key.to_string()), (post_id, Instant::now()));
}

fn visibility(name: Option<&str>) -> ApiResult<Visibility> {
    Ok(match name.unwrap_or("public") {
        "public" => Visibility::Public,
        "unlisted" => Visibility::Unlisted,
        "private" => Visibility::Followers,
        "direct" => Visibility::Direct,
        other => return Err(ApiError::unprocessable(format!("Validation failed: unknown visibility {other:?}"))),
    })
}

/// The actors a text mentions (`@user` here, `@user@domain` anywhere we know), by id.
async fn mentioned(context: &Context, text: &str) -> ApiResult<Vec<String>> {
    let domain = context.urls.domain();
    let mut ids = Vec::new();
    for word in text.split_whitespace() {
        let Some(handle) = word.strip_prefix('@') else { continue };
        let handle = handle.trim_end_matches(|c: char| !c.is_alphanumeric());
        let (username, host) = handle.split_once('@').unwrap_or((handle, &domain));
        if let Some(actor) = store::actors::by_handle(&mut context.store.conn().await?, username, host).await?
            && !ids.contains(&actor.ap_id)
        {
            ids.push(actor.ap_id);
        }
    }
    Ok(ids)
}

pub async fn create(context: Context, headers: HeaderMap, Params(form): Params<StatusForm>) -> ApiResult<Response> {
    let caller = require(&context, &headers, "write:statuses").await?;
    let member = caller.member()?.clone();
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_string);
    if let Some(id) = key.as_deref().and_then(|k| remembered(&context.urls.domain(), member.id, k)) {
        let post = store::posts::by_id(&mut context.store.conn().await?, id).await?;
        return Ok(Json(entities::status(&context, &post, Some(&member)).await?).into_response());
    }
    let text = form.status.unwrap_or_default();
    if form.in_reply_to_id.as_deref().is_none_or(str::is_empty)
        && let Some(draft) = buurtnet_domain::model::from_hashtag_post(&text)
    {
        return create_proposal(&context, &member, &draft, form.visibility.as_deref(), key.as_deref()).await;
    }
    let in_reply_to = match form.in_reply_to_id.as_deref().filter(|id| !id.is_empty()) {
        Some(id) => Some(readable(&context, id, Some(&member)).await?.ap_id),
        None => None,
    };
    let media_ids = form
        .media_ids
        .iter()
        .map(|v| v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok())))
        .collect::<Option<Vec<i64>>>()
        .ok_or_else(|| ApiError::unprocessable("Validation failed: media_ids are not ids"))?;
    let draft = PostDraft {
        recipients: mentioned(&context, &text).await?,
        text,
        content_warning: form.spoiler_text.filter(|s| !s.trim().is_empty()),
        visibility: visibility(form.visibility.as_deref())?,
        in_reply_to,
        media_ids,
        language: form.language.clone(),
    };
    let post = ops::posts::publish(&context.store, &context.urls, &member, &member, &draft).await.map_err(|e| match e {
        buurtnet_domain::DomainError::Invalid(_) => ApiError::invalid(&e),
        other => other.into(),
    })?;
    context.wake_delivery();
    if let Some(key) = key {
        remember(&context.urls.domain(), member.id, &key, post.id);
    }
    Ok(Json(entities::status(&context, &post, Some(&member)).await?).into_response())
}

/// `#hulpvraag` / `#hulpaanbod` from an app: the member's need or offer, with the
/// visibility the app chose (direct is refused: offers and needs are not private messages).
async fn create_proposal(
    context: &Context,
    member: &Actor,
    draft: &buurtnet_domain::model::ProposalDraft,
    visibility_name: Option<&str>,
    key: Option<&str>,
) -> ApiResult<Response> {
    let audience = ops::proposals::Audience { visibility: Some(visibility(visibility_name)?), on_behalf_of: None };
    let post = ops::proposals::publish(&context.store, &context.urls, member, member, draft, &audience).await.map_err(|e| match e {
        buurtnet_domain::DomainError::Invalid(_) => ApiError::invalid(&e),
        other => other.into(),
    })?;
    context.wake_delivery();
    if let Some(key) = key {
        remember(&context.urls.domain(), member.id, key, post.id);
    }
    Ok(Json(entities::status(context, &post, Some(member)).await?).into_response())
}

/// A post by its status id that `reader` may read; 404 otherwise (never a hint it exists).
/// A boost's id stands for the post it boosts, as in Mastodon.
pub(super) async fn readable(context: &Context, id: &str, reader: Option<&Actor>) -> ApiResult<Post> {
    Ok(readable_entry(context, id, reader).await?.post)
}

/// The post or boost with status id `id`, if `reader` may read the post.
async fn readable_entry(context: &Context, id: &str, reader: Option<&Actor>) -> ApiResult<Entry> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
    let mut conn = context.store.conn().await?;
    let entry = match store::posts::by_id(&mut conn, id).await {
        Ok(post) => Entry::from(post),
        Err(_) => store::timelines::boost(&mut conn, id).await?.ok_or_else(ApiError::not_found)?,
    };
    drop(conn);
    let post = &entry.post;
    if post.is_deleted() || !ops::visibility::may_read(&context.store, post, reader.map(|r| r.ap_id.as_str())).await? {
        return Err(ApiError::not_found());
    }
    Ok(entry)
}

async fn reader(context: &Context, headers: &HeaderMap) -> ApiResult<Option<Actor>> {
    Ok(super::optional(context, headers).await?.and_then(|c| c.member))
}

pub async fn get(context: Context, headers: HeaderMap, Path(id): Path<String>) -> ApiResult<Response> {
    let reader = reader(&context, &headers).await?;
    let entry = readable_entry(&context, &id, reader.as_ref()).await?;
    Ok(Json(entities::entry(&context, &entry, reader.as_ref()).await?).into_response())
}

pub async fn delete(context: Context, headers: HeaderMap, Path(id): Path<String>) -> ApiResult<Response> {
    let caller = require(&context, &headers, "write:statuses").await?;
    let member = caller.member()?;
    let entry = readable_entry(&context, &id, Some(member)).await?;
    if let Some(boost) = &entry.boost {
        // Deleting a reblog takes one's own boost back, as in Mastodon; never the post itself.
        if boost.booster_id != member.id {
            return Err(ApiError::not_found());
        }
        let entity = entities::entry(&context, &entry, Some(member)).await?;
        ops::reactions::unreact(&context.store, member, entry.post.id, ops::reactions::ANNOUNCE).await?;
        context.wake_delivery();
        return Ok(Json(entity).into_response());
    }
    let post = entry.post;
    let mut entity = entities::status(&context, &post, Some(member)).await?;
    entity["text"] = serde_json::json!(post.source.clone().unwrap_or_default());
    ops::posts::delete(&context.store, member, post.id).await?;
    context.wake_delivery();
    Ok(Json(entity).into_response())
}

/// Ancestors (up to 40, oldest first) and descendants (up to 200) that the reader may see.
pub async fn context(context: Context, headers: HeaderMap, Path(id): Path<String>) -> ApiResult<Response> {
    let reader = reader(&context, &headers).await?;
    let reader_id = reader.as_ref().map(|r| r.ap_id.clone());
    let post = readable(&context, &id, reader.as_ref()).await?;
    let mut ancestors = Vec::new();
    let mut parent = post.in_reply_to.clone();
    while let Some(ap_id) = parent.take().filter(|_| ancestors.len() < 40) {
        let Some(found) = store::posts::by_ap_id(&mut context.store.conn().await?, &ap_id).await? else { break };
        parent = found.in_reply_to.clone();
        if !found.is_deleted() && ops::visibility::may_read(&context.store, &found, reader_id.as_deref()).await? {
            ancestors.push(entities::status(&context, &found, reader.as_ref()).await?);
        }
    }
    ancestors.reverse();
    let mut descendants = Vec::new();
    let mut queue = vec![post.ap_id.clone()];
    while let Some(ap_id) = queue.pop().filter(|_| descendants.len() < 200) {
        for reply in store::posts::replies_to(&mut context.store.conn().await?, &ap_id).await? {
            queue.push(reply.ap_id.clone());
            if ops::visibility::may_read(&context.store, &reply, reader_id.as_deref()).await? {
                descendants.push(entities::status(&context, &reply, reader.as_ref()).await?);
            }
        }
    }
    Ok(Json(serde_json::json!({"ancestors": ancestors, "descendants": descendants})).into_response())
}

/// `GET /api/v1/statuses/{id}/reblogged_by` and `/favourited_by`: who boosted or liked a
/// status the caller may read (the latest 80 known here).
pub async fn reacted_by(context: Context, headers: HeaderMap, Path((id, what)): Path<(String, String)>) -> ApiResult<Response> {
    use buurtnet_domain::ops::reactions::{ANNOUNCE, LIKE};
    let kind = match what.as_str() {
        "reblogged_by" => ANNOUNCE,
        "favourited_by" => LIKE,
        _ => return Err(ApiError::not_found()),
    };
    let reader = reader(&context, &headers).await?;
    let post = readable(&context, &id, reader.as_ref()).await?;
    let ids = store::posts::reactors(&mut context.store.conn().await?, post.id, kind, 80).await?;
    let mut accounts = Vec::with_capacity(ids.len());
    for id in ids {
        let actor = store::actors::by_id(&mut context.store.conn().await?, id).await?;
        accounts.push(entities::account(&context, &actor).await?);
    }
    Ok(Json(accounts).into_response())
}

/// Favourite, reblog and bookmark, and their undo: `POST /api/v1/statuses/{id}/{action}`.
pub async fn action(context: Context, headers: HeaderMap, Path((id, action)): Path<(String, String)>) -> ApiResult<Response> {
    use buurtnet_domain::ops::reactions::{self, ANNOUNCE, LIKE};
    let scope = match action.as_str() {
        "favourite" | "unfavourite" => "write:favourites",
        "bookmark" | "unbookmark" => "write:bookmarks",
        "reblog" | "unreblog" => "write:statuses",
        _ => return Err(ApiError::not_found()),
    };
    let caller = require(&context, &headers, scope).await?;
    let member = caller.member()?.clone();
    let post_id = readable(&context, &id, Some(&member)).await?.id;
    let store = &context.store;
    let post = match action.as_str() {
        "favourite" => reactions::react(store, &context.urls, &member, post_id, LIKE).await,
        "unfavourite" => reactions::unreact(store, &member, post_id, LIKE).await,
        "reblog" => reactions::react(store, &context.urls, &member, post_id, ANNOUNCE).await,
        "unreblog" => reactions::unreact(store, &member, post_id, ANNOUNCE).await,
        "bookmark" => reactions::bookmark(store, &member, post_id, true).await,
        _ => reactions::bookmark(store, &member, post_id, false).await,
    }
    .map_err(|e| match e {
        buurtnet_domain::DomainError::Invalid(_) => ApiError::invalid(&e),
        other => other.into(),
    })?;
    context.wake_delivery();
    if action == "reblog" {
        // Mastodon answers a reblog with the reblog itself, the post inside.
        let boost = store::timelines::boost_by(&mut context.store.conn().await?, &member.ap_id, post.id).await?;
        return Ok(Json(entities::entry(&context, &boost.unwrap_or_else(|| Entry::from(post)), Some(&member)).await?).into_response());
    }
    Ok(Json(entities::status(&context, &post, Some(&member)).await?).into_response())
}
