//! Timelines: home (the member's own posts and boosts, those of whom they follow, and posts
//! addressed to them; boosts as Mastodon's reblogs) and public (local or federated, posts
//! only, as in Mastodon), paged with `max_id`, `since_id`, `min_id` and
//! `limit`, and RFC 8288 `Link` headers for the next and previous pages.

use super::accounts::PageQuery;
use super::{ApiResult, entities, require};
use axum::Json;
use axum::extract::Query;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use buurtnet_domain::model::{Actor, Post};
use buurtnet_domain::store::posts::Page;
use buurtnet_domain::store::timelines::Entry;
use buurtnet_domain::{ops, store};
use buurtnet_federation::Context;

/// The page a query asks for: at most 40, 20 by default.
pub fn page(query: &PageQuery) -> Page {
    let id = |v: &Option<String>| v.as_deref().and_then(|s| s.parse::<i64>().ok());
    let limit = query.limit.as_deref().and_then(|l| l.parse::<i64>().ok()).unwrap_or(20).clamp(1, 40);
    match id(&query.min_id) {
        Some(min) => Page { before: id(&query.max_id), after: Some(min), oldest_first: true, limit },
        None => Page { before: id(&query.max_id), after: id(&query.since_id), oldest_first: false, limit },
    }
}

/// The statuses `viewer` may read, newest first, with `Link` headers.
pub async fn answer(context: &Context, posts: Vec<Post>, viewer: Option<&Actor>, page: Page, path: &str) -> ApiResult<Response> {
    answer_entries(context, posts.into_iter().map(Entry::from).collect(), viewer, page, path).await
}

/// Like [`answer`] for posts and boosts: a boost shows only if `viewer` may read its post.
pub async fn answer_entries(context: &Context, entries: Vec<Entry>, viewer: Option<&Actor>, page: Page, path: &str) -> ApiResult<Response> {
    let reader = viewer.map(|v| v.ap_id.as_str());
    let posts: Vec<Post> = entries.iter().map(|e| e.post.clone()).collect();
    let readable = ops::visibility::readable(&context.store, &posts, reader).await?;
    let mut visible: Vec<Entry> = entries.into_iter().filter(|e| readable.contains(&e.post.id)).collect();
    if page.oldest_first {
        visible.reverse();
    }
    let statuses = entities::entries(context, &visible, viewer).await?;
    let mut response = Json(statuses).into_response();
    if let (Some(newest), Some(oldest)) = (visible.first(), visible.last()) {
        let base = context.urls.base().as_str().trim_end_matches('/').to_string();
        let link = format!(
            "<{base}{path}?limit={limit}&max_id={oldest}>; rel=\"next\", <{base}{path}?limit={limit}&min_id={newest}>; rel=\"prev\"",
            limit = page.limit,
            oldest = oldest.id(),
            newest = newest.id()
        );
        if let Ok(value) = HeaderValue::from_str(&link) {
            response.headers_mut().insert(header::LINK, value);
        }
    }
    Ok(response)
}

pub async fn home(context: Context, headers: HeaderMap, Query(query): Query<PageQuery>) -> ApiResult<Response> {
    let caller = require(&context, &headers, "read:statuses").await?;
    let member = caller.member()?;
    let page = page(&query);
    let entries = store::timelines::home(&mut context.store.conn().await?, member.id, &member.ap_id, page).await?;
    answer_entries(&context, entries, Some(member), page, "/api/v1/timelines/home").await
}

pub async fn public(context: Context, headers: HeaderMap, Query(query): Query<PageQuery>) -> ApiResult<Response> {
    let caller = super::optional(&context, &headers).await?;
    let viewer = caller.and_then(|c| c.member);
    let local = super::accounts::truthy(&query.local);
    let page = page(&query);
    let posts = store::posts::public_timeline(&mut context.store.conn().await?, local, page).await?;
    answer(&context, posts, viewer.as_ref(), page, "/api/v1/timelines/public").await
}

/// `GET /api/v1/timelines/tag/{tag}`: public posts with a hashtag (`local=true`: this node's).
pub async fn tag(
    context: Context,
    headers: HeaderMap,
    axum::extract::Path(tag): axum::extract::Path<String>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Response> {
    let caller = super::optional(&context, &headers).await?;
    let viewer = caller.and_then(|c| c.member);
    let local = super::accounts::truthy(&query.local);
    let page = page(&query);
    let posts = store::posts::tagged(&mut context.store.conn().await?, tag.trim_start_matches('#'), local, page).await?;
    answer(&context, posts, viewer.as_ref(), page, &format!("/api/v1/timelines/tag/{tag}")).await
}
