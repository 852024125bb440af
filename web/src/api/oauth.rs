//! OAuth endpoints: app registration, the token endpoint (JSON or form; authorization code
//! with PKCE, password, client credentials, refresh), revocation, RFC 8414 metadata, and the
//! login and consent page at `/oauth/authorize` (plain HTML, no JavaScript).

use super::{ApiError, ApiResult, Params};
use crate::limits::{ClientAddress, Kind, Limits};
use axum::Json;

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::ops::oauth::{self as oauth_ops, Grant, OUT_OF_BAND};
use buurtnet_federation::Context;
use serde::Deserialize;
use serde_json::json;

/// Scopes may come as `scopes` (apps) or `scope` (token), as a string or a list.
#[derive(Debug, Deserialize, Default)]
#[serde(untagged)]
pub enum ScopeList {
    #[default]
    None,
    Text(String),
    List(Vec<String>),
}

impl ScopeList {
    fn text(&self) -> Option<String> {
        match self {
            ScopeList::None => None,
            ScopeList::Text(t) => Some(t.clone()),
            ScopeList::List(l) => Some(l.join(" ")),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct AppForm {
    client_name: Option<String>,
    redirect_uris: Option<ScopeList>,
    #[serde(default)]
    scopes: ScopeList,
    website: Option<String>,
}

pub async fn register_app(context: Context, Params(form): Params<AppForm>) -> ApiResult<Response> {
    let name = form.client_name.ok_or_else(|| ApiError::unprocessable("Validation failed: Application name can't be blank"))?;
    let redirect = form.redirect_uris.and_then(|r| r.text()).unwrap_or_else(|| OUT_OF_BAND.into());
    let scopes = form.scopes.text().unwrap_or_else(|| "read".into());
    let (app, secret) = oauth_ops::register_app(&context.store, &name, &redirect, &scopes, form.website.as_deref())
        .await
        .map_err(|e| ApiError::unprocessable(format!("Validation failed: {e}")))?;
    Ok(Json(json!({
        "id": app.id.to_string(),
        "name": app.name,
        "website": app.website,
        "scopes": app.scopes.split(' ').collect::<Vec<_>>(),
        "redirect_uri": app.redirect_uris,
        "redirect_uris": app.redirect_uris.lines().collect::<Vec<_>>(),
        "client_id": app.client_id,
        "client_secret": secret,
        "client_secret_expires_at": 0,
        "vapid_key": "",
    }))
    .into_response())
}

/// `GET /api/v1/apps/verify_credentials`: the app behind a token.
pub async fn verify_app(context: Context, headers: HeaderMap) -> ApiResult<Response> {
    let caller = super::optional(&context, &headers).await?.ok_or_else(ApiError::unauthorized)?;
    let app = oauth_ops::app_of(&context.store, &caller.token).await?.ok_or_else(ApiError::unauthorized)?;
    Ok(Json(json!({"id": app.id.to_string(), "name": app.name, "website": app.website, "scopes": app.scopes.split(' ').collect::<Vec<_>>(), "vapid_key": ""})).into_response())
}

#[derive(Debug, Deserialize)]
pub struct TokenForm {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    username: Option<String>,
    password: Option<String>,
    refresh_token: Option<String>,
    #[serde(default)]
    scope: ScopeList,
}

fn needed(value: Option<String>, name: &str) -> ApiResult<String> {
    value.filter(|v| !v.is_empty()).ok_or_else(|| ApiError {
        status: StatusCode::BAD_REQUEST,
        error: "invalid_request".into(),
        description: Some(format!("{name} is required")),
    })
}

/// The client credentials from the body, or from HTTP Basic authentication.
fn client_credentials(headers: &HeaderMap, form: &TokenForm) -> (Option<String>, Option<String>) {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64_decode(b.trim()))
        .and_then(|pair| pair.split_once(':').map(|(id, secret)| (id.to_string(), secret.to_string())));
    match basic {
        Some((id, secret)) => (Some(id), Some(secret)),
        None => (form.client_id.clone(), form.client_secret.clone()),
    }
}

fn base64_decode(text: &str) -> Option<String> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(text).ok().and_then(|b| String::from_utf8(b).ok())
}

pub async fn token(
    context: Context,
    axum::Extension(settings): axum::Extension<std::sync::Arc<crate::WebSettings>>,
    axum::Extension(limits): axum::Extension<std::sync::Arc<Limits>>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Params(form): Params<TokenForm>,
) -> ApiResult<Response> {
    limits.check(Kind::Login, client)?;
    let (client_id, secret) = client_credentials(&headers, &form);
    let client_id = needed(client_id, "client_id")?;
    let scope = form.scope.text();
    let grant_type = needed(form.grant_type.clone(), "grant_type")?;
    let lifetime = settings.token_lifetime();
    let grant = match grant_type.as_str() {
        "password" => {
            let username = needed(form.username.clone(), "username")?;
            let attempt = limits.begin_password(&context.store, &username, client).await?;
            let result = oauth_ops::password_grant(
                &context.store,
                &client_id,
                secret.as_deref(),
                &username,
                &needed(form.password.clone(), "password")?,
                scope.as_deref(),
                lifetime,
            )
            .await;
            if result.is_ok() || matches!(result, Err(oauth_ops::OAuthFailure::InvalidGrant(_))) {
                limits.end_password(&context.store, &attempt, result.is_ok()).await;
            }
            result?
        }
        "authorization_code" => {
            oauth_ops::exchange_code(
                &context.store,
                &client_id,
                secret.as_deref(),
                &needed(form.code.clone(), "code")?,
                &needed(form.redirect_uri.clone(), "redirect_uri")?,
                form.code_verifier.as_deref(),
                lifetime,
            )
            .await?
        }
        "client_credentials" => {
            oauth_ops::client_credentials(&context.store, &client_id, secret.as_deref(), scope.as_deref(), lifetime).await?
        }
        "refresh_token" => {
            let refresh_token = needed(form.refresh_token.clone(), "refresh_token")?;
            oauth_ops::refresh(&context.store, &client_id, secret.as_deref(), &refresh_token, lifetime).await?
        }
        other => return Err(oauth_ops::OAuthFailure::UnsupportedGrantType(other.into()).into()),
    };
    Ok(token_answer(&grant))
}

fn token_answer(grant: &Grant) -> Response {
    let mut body = json!({
        "access_token": grant.access_token, "token_type": "Bearer", "scope": grant.scopes.as_text(), "created_at": grant.created_at / 1000,
    });
    if let Some(refresh) = &grant.refresh_token {
        body["refresh_token"] = json!(refresh);
    }
    if let Some(seconds) = grant.expires_in {
        body["expires_in"] = json!(seconds);
    }
    ([(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    client_id: Option<String>,
    client_secret: Option<String>,
    token: Option<String>,
}

pub async fn revoke(context: Context, Params(form): Params<RevokeForm>) -> ApiResult<Response> {
    let client_id = needed(form.client_id, "client_id")?;
    oauth_ops::revoke(&context.store, &client_id, form.client_secret.as_deref(), &needed(form.token, "token")?).await?;
    Ok(Json(json!({})).into_response())
}

/// RFC 8414: clients such as Mastodon.py read this first, and Elk and Phanpy use PKCE only
/// when `S256` is advertised.
pub async fn metadata(context: Context) -> Response {
    let base = context.urls.base().as_str().trim_end_matches('/').to_string();
    Json(json!({
        "issuer": format!("{base}/"),
        "service_documentation": "https://docs.joinmastodon.org/",
        "authorization_endpoint": format!("{base}/oauth/authorize"),
        "token_endpoint": format!("{base}/oauth/token"),
        "revocation_endpoint": format!("{base}/oauth/revoke"),
        "app_registration_endpoint": format!("{base}/api/v1/apps"),
        "scopes_supported": ["read", "write", "follow", "push", "profile", "read:accounts", "read:statuses", "read:notifications", "read:follows",
            "write:statuses", "write:media", "write:favourites", "write:follows", "write:accounts", "write:bookmarks", "write:reports"],
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "fragment", "form_post"],
        "grant_types_supported": ["authorization_code", "password", "client_credentials", "refresh_token"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
    }))
    .into_response()
}

#[derive(Debug, Deserialize, Clone, Default)]
pub struct AuthorizeQuery {
    #[serde(default)]
    pub client_id: String,
    #[serde(default)]
    pub redirect_uri: String,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub code_challenge: Option<String>,
    #[serde(default)]
    pub code_challenge_method: Option<String>,
}

pub(crate) fn redirect_with(uri: &str, pairs: &[(&str, &str)], state: Option<&str>) -> Response {
    let Ok(mut url) = url::Url::parse(uri) else { return ApiError::new(StatusCode::BAD_REQUEST, "bad redirect_uri").into_response() };
    {
        let mut query = url.query_pairs_mut();
        for (k, v) in pairs {
            query.append_pair(k, v);
        }
        if let Some(state) = state {
            query.append_pair("state", state);
        }
    }
    Redirect::to(url.as_str()).into_response()
}
