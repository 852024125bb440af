//! What Mastodon's API has no words for: marking an offer or need helped (with the hours
//! given and a thank-you) and withdrawing it, for apps that speak Buurtnet. Both answer with
//! the status, whose `buurtnet_proposal` then shows the new state. Documented in the README
//! ("The Mastodon client API").

use super::statuses::readable;
use super::{ApiError, ApiResult, Params, entities, require};
use axum::Json;
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use buurtnet_domain::model::Fulfilment;
use buurtnet_domain::{DomainError, ops};
use buurtnet_federation::Context;

#[derive(serde::Deserialize, Default)]
pub struct HelpedParams {
    /// Hours given: a number, or a text that reads as one.
    #[serde(default)]
    hours: Option<serde_json::Value>,
    #[serde(default)]
    thanks: Option<String>,
}

fn hours_of(value: Option<&serde_json::Value>) -> ApiResult<Option<f64>> {
    let unreadable = || ApiError::unprocessable("Validation failed: hours must be a number".to_string());
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(n)) => n.as_f64().map(Some).ok_or_else(unreadable),
        Some(serde_json::Value::String(text)) if text.trim().is_empty() => Ok(None),
        Some(serde_json::Value::String(text)) => text.trim().parse::<f64>().map(Some).map_err(|_| unreadable()),
        Some(_) => Err(unreadable()),
    }
}

fn refused(error: DomainError) -> ApiError {
    match error {
        DomainError::Invalid(_) => ApiError::invalid(&error),
        other => other.into(),
    }
}

/// `POST /api/v1/buurtnet/proposals/{id}/fulfil` (scope `write:statuses`).
pub async fn fulfil(
    context: Context,
    headers: HeaderMap,
    Path(id): Path<String>,
    Params(params): Params<HelpedParams>,
) -> ApiResult<Response> {
    let caller = require(&context, &headers, "write:statuses").await?;
    let member = caller.member()?;
    let post = readable(&context, &id, Some(member)).await?;
    let fulfilment = Fulfilment { hours: hours_of(params.hours.as_ref())?, thanks: params.thanks };
    ops::responses::fulfil(&context.store, member, post.id, &fulfilment).await.map_err(refused)?;
    context.wake_delivery();
    let post = readable(&context, &id, Some(member)).await?;
    Ok(Json(entities::status(&context, &post, Some(member)).await?).into_response())
}

/// `POST /api/v1/buurtnet/proposals/{id}/withdraw` (scope `write:statuses`).
pub async fn withdraw(context: Context, headers: HeaderMap, Path(id): Path<String>) -> ApiResult<Response> {
    let caller = require(&context, &headers, "write:statuses").await?;
    let member = caller.member()?;
    let post = readable(&context, &id, Some(member)).await?;
    ops::proposals::withdraw(&context.store, member, post.id).await.map_err(refused)?;
    context.wake_delivery();
    let post = readable(&context, &id, Some(member)).await?;
    Ok(Json(entities::status(&context, &post, Some(member)).await?).into_response())
}
