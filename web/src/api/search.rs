//! `/api/v2/search`: accounts by name, by `@user@host` (resolved through WebFinger when
//! `resolve=true` and the caller has a token) or by URL (fetched), and statuses by URL (with
//! `resolve=true`, fetched from their server if we do not hold them yet) that the caller may
//! read.

use super::{ApiResult, entities};
use axum::Json;
use axum::extract::Query;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use buurtnet_domain::model::Actor;
use buurtnet_domain::{ops, store};
use buurtnet_federation::Context;
use buurtnet_federation::objects::actor::{resolve, resolve_handle};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    resolve: Option<String>,
    limit: Option<String>,
}

pub async fn search(context: Context, headers: HeaderMap, Query(query): Query<SearchQuery>) -> ApiResult<Response> {
    let caller = super::optional(&context, &headers).await?;
    let reader = caller.as_ref().and_then(|c| c.member.clone());
    let may_resolve = query.resolve.as_deref().is_some_and(|r| r == "true" || r == "1") && reader.is_some();
    let limit = query.limit.as_deref().and_then(|l| l.parse::<i64>().ok()).unwrap_or(20).clamp(1, 40);
    let q = query.q.trim();
    let wants = |kind: &str| query.kind.as_deref().is_none_or(|k| k == kind);
    let mut accounts = Vec::new();
    if wants("accounts") && !q.is_empty() {
        for actor in find_accounts(&context, q, may_resolve, limit).await? {
            accounts.push(entities::account(&context, &actor).await?);
        }
    }
    let mut statuses: Vec<Value> = Vec::new();
    if wants("statuses") && q.starts_with("http") {
        let mut post = store::posts::by_ap_id(&mut context.store.conn().await?, q).await?;
        if post.is_none() && may_resolve && !context.urls.is_local(q) {
            post = buurtnet_federation::objects::note::fetch_and_store(q, &context).await.ok();
        }
        if let Some(post) = post.filter(|p| !p.is_deleted())
            && ops::visibility::may_read(&context.store, &post, reader.as_ref().map(|r| r.ap_id.as_str())).await?
        {
            statuses.push(entities::status(&context, &post, reader.as_ref()).await?);
        }
    }
    Ok(Json(json!({"accounts": accounts, "statuses": statuses, "hashtags": []})).into_response())
}

pub(crate) async fn find_accounts(context: &Context, q: &str, may_resolve: bool, limit: i64) -> ApiResult<Vec<Actor>> {
    if q.starts_with("http://") || q.starts_with("https://") {
        let known = store::actors::by_ap_id(&mut context.store.conn().await?, q).await?;
        return Ok(match known {
            Some(actor) => vec![actor],
            None if may_resolve => resolve(q, context).await.ok().into_iter().collect(),
            None => vec![],
        });
    }
    let handle = q.trim_start_matches('@');
    if let Some((username, host)) = handle.split_once('@') {
        let known = store::actors::by_handle(&mut context.store.conn().await?, username, host).await?;
        return Ok(match known {
            Some(actor) => vec![actor],
            None if may_resolve && host != context.urls.domain() => resolve_handle(handle, context).await.ok().into_iter().collect(),
            None => vec![],
        });
    }
    Ok(store::actors::search(&mut context.store.conn().await?, handle, limit).await?)
}
