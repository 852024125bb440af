//! `/api/v2/search`: accounts by name, by `@user@host` (resolved through WebFinger when
//! `resolve=true` and the caller has a token) or by URL (fetched), and statuses by URL (with
//! `resolve=true`, fetched from their server if we do not hold them yet) that the caller may
//! read. `/api/v1/accounts/search` (mention autocomplete) finds accounts the same way, with
//! `following` and `offset`. Actors blocked on this node and deleted accounts are never found.

use super::accounts::truthy;
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
    offset: Option<String>,
}

/// What a search for accounts asks for.
struct Wanted<'a> {
    q: &'a str,
    may_resolve: bool,
    followed_by: Option<i64>,
    limit: i64,
    offset: i64,
    /// Leave out an exact match that is blocked here or deleted (the API does; a coordinator
    /// looking up whom to block does not).
    only_listed: bool,
}

fn number(value: &Option<String>) -> Option<i64> {
    value.as_deref().and_then(|v| v.parse::<i64>().ok())
}

pub async fn search(context: Context, headers: HeaderMap, Query(query): Query<SearchQuery>) -> ApiResult<Response> {
    let caller = super::optional(&context, &headers).await?;
    let reader = caller.as_ref().and_then(|c| c.member.clone());
    let may_resolve = truthy(&query.resolve) && reader.is_some();
    let limit = number(&query.limit).unwrap_or(20).clamp(1, 40);
    let offset = number(&query.offset).unwrap_or(0).max(0);
    let q = query.q.trim();
    let wants = |kind: &str| query.kind.as_deref().is_none_or(|k| k == kind);
    let mut accounts = Vec::new();
    if wants("accounts") && !q.is_empty() {
        let wanted = Wanted { q, may_resolve, followed_by: None, limit, offset, only_listed: true };
        for actor in search_accounts(&context, &wanted).await? {
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

#[derive(Debug, Deserialize)]
pub struct AccountSearchQuery {
    #[serde(default)]
    q: String,
    resolve: Option<String>,
    following: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

/// `GET /api/v1/accounts/search`: up to `limit` (40, at most 80) accounts from `offset`;
/// `following=true` keeps those the caller follows; `resolve=true` asks other nodes
/// (WebFinger) for a `user@host` not known yet, for members only.
pub async fn accounts(context: Context, headers: HeaderMap, Query(query): Query<AccountSearchQuery>) -> ApiResult<Response> {
    let caller = super::optional(&context, &headers).await?;
    let reader = caller.as_ref().and_then(|c| c.member.clone());
    let following = truthy(&query.following);
    if following && reader.is_none() {
        return Err(super::ApiError::unprocessable("This method requires an authenticated user"));
    }
    let q = query.q.trim();
    let wanted = Wanted {
        q,
        may_resolve: truthy(&query.resolve) && reader.is_some(),
        followed_by: reader.as_ref().filter(|_| following).map(|r| r.id),
        limit: number(&query.limit).unwrap_or(40).clamp(1, 80),
        offset: number(&query.offset).unwrap_or(0).max(0),
        only_listed: true,
    };
    let mut accounts = Vec::new();
    if !q.is_empty() {
        for actor in search_accounts(&context, &wanted).await? {
            accounts.push(entities::account(&context, &actor).await?);
        }
    }
    Ok(Json(accounts).into_response())
}

/// Accounts for the site's pages: by URL or `user@host` (resolved if `may_resolve`), else by
/// the start of a name.
pub(crate) async fn find_accounts(context: &Context, q: &str, may_resolve: bool, limit: i64) -> ApiResult<Vec<Actor>> {
    search_accounts(context, &Wanted { q, may_resolve, followed_by: None, limit, offset: 0, only_listed: false }).await
}

/// Accounts for a search: by URL or `user@host` (exactly, known or resolved), else by the
/// start of a name or `acct`.
async fn search_accounts(context: &Context, wanted: &Wanted<'_>) -> ApiResult<Vec<Actor>> {
    let q = wanted.q;
    let exact = if q.starts_with("http://") || q.starts_with("https://") {
        match store::actors::by_ap_id(&mut context.store.conn().await?, q).await? {
            Some(actor) => Some(actor),
            None if wanted.may_resolve => resolve(q, context).await.ok(),
            None => None,
        }
    } else if let Some((username, host)) = q.trim_start_matches('@').split_once('@') {
        match store::actors::by_handle(&mut context.store.conn().await?, username, host).await? {
            Some(actor) => Some(actor),
            None if wanted.may_resolve && host != context.urls.domain() => resolve_handle(q.trim_start_matches('@'), context).await.ok(),
            None => None,
        }
    } else {
        None
    };
    if let Some(actor) = exact {
        let shown = !wanted.only_listed || listed(context, &actor, wanted.followed_by).await?;
        return Ok(if shown && wanted.offset == 0 { vec![actor] } else { vec![] });
    }
    if q.starts_with("http://") || q.starts_with("https://") {
        return Ok(vec![]);
    }
    let search = store::actors::ActorSearch {
        prefix: q.trim_start_matches('@'),
        followed_by: wanted.followed_by,
        limit: wanted.limit,
        offset: wanted.offset,
    };
    Ok(store::actors::search(&mut context.store.conn().await?, &search).await?)
}

/// Whether a search may show an actor: not blocked here, not a deleted account, and followed
/// by `followed_by` when that is asked.
async fn listed(context: &Context, actor: &Actor, followed_by: Option<i64>) -> ApiResult<bool> {
    let mut conn = context.store.conn().await?;
    if store::inbox::is_blocked(&mut conn, &actor.ap_id, &actor.domain.to_lowercase()).await?
        || store::actors::is_deleted(&mut conn, actor.id).await?
    {
        return Ok(false);
    }
    Ok(match followed_by {
        Some(member) => store::follows::state(&mut conn, member, actor.id).await?.as_deref() == Some("accepted"),
        None => true,
    })
}
