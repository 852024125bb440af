//! The Mastodon client API, so that members can use the apps they already know (toot,
//! Mastodon.py, Tusky, Elk, Phanpy, Ivory, ...). Handlers are thin: they check the token and
//! its scopes, read the parameters, call the domain's use cases and shape Mastodon entities
//! ([`entities`]). Errors are Mastodon-shaped JSON (`{"error": "..."}`).

pub mod accounts;
pub mod entities;
pub mod instance;
pub mod media;
pub mod notifications;
pub mod oauth;
pub mod proposals;
pub mod remote_media;
pub mod search;
pub mod statuses;
pub mod streaming;
pub mod stubs;
pub mod timelines;

use axum::Router;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use buurtnet_domain::DomainError;
use buurtnet_domain::model::{Actor, OAuthToken};
use buurtnet_domain::ops;
use buurtnet_federation::Context;
use serde::de::DeserializeOwned;
use serde_json::json;

/// Every route of the client API; uploaded files are kept in `media_dir`.
pub fn routes(media_dir: std::path::PathBuf) -> Router {
    let uploads = Router::new()
        .route("/api/v1/media", post(media::upload))
        .route("/api/v2/media", post(media::upload))
        .layer(axum::extract::DefaultBodyLimit::max(buurtnet_domain::model::media::MAX_IMAGE_BYTES + 64 * 1024));
    Router::new()
        .merge(uploads)
        .route("/api/v1/media/{id}", get(media::get).put(media::describe))
        .route("/media/{file}", get(media::serve))
        .route("/media/remote/{name}", get(remote_media::serve))
        .route("/api/v1/instance", get(instance::v1))
        .route("/api/v2/instance", get(instance::v2))
        .route("/api/v1/apps", post(oauth::register_app))
        .route("/api/v1/apps/verify_credentials", get(oauth::verify_app))
        .route("/oauth/token", post(oauth::token))
        .route("/oauth/revoke", post(oauth::revoke))
        .route("/.well-known/oauth-authorization-server", get(oauth::metadata))
        .route("/api/v1/accounts/verify_credentials", get(accounts::verify_credentials))
        .route("/api/v1/accounts/update_credentials", axum::routing::patch(accounts::update_credentials))
        .route("/api/v1/reports", post(accounts::report))
        .route("/api/v1/markers", get(accounts::markers).post(accounts::save_markers))
        .route("/api/v1/timelines/tag/{tag}", get(timelines::tag))
        .route("/api/v1/streaming", get(streaming::websocket))
        .route("/api/v1/streaming/health", get(|| async { "OK" }))
        .route("/api/v1/streaming/user", streaming::sse_route("user"))
        .route("/api/v1/streaming/public", streaming::sse_route("public"))
        .route("/api/v1/streaming/public/local", streaming::sse_route("public:local"))
        .route("/api/v1/streaming/hashtag", streaming::sse_route("hashtag"))
        .route("/api/v1/accounts/lookup", get(accounts::lookup))
        .route("/api/v1/accounts/search", get(search::accounts))
        .route("/api/v1/accounts/relationships", get(accounts::relationships))
        .route("/api/v1/accounts/{id}", get(accounts::get))
        .route("/api/v1/accounts/{id}/statuses", get(accounts::statuses))
        .route("/api/v1/accounts/{id}/follow", post(accounts::follow))
        .route("/api/v1/accounts/{id}/unfollow", post(accounts::unfollow))
        .route("/api/v1/accounts/{id}/followers", get(accounts::followers))
        .route("/api/v1/accounts/{id}/following", get(accounts::following))
        .route("/api/v1/statuses", post(statuses::create))
        .route("/api/v1/statuses/{id}", get(statuses::get).delete(statuses::delete))
        .route("/api/v1/statuses/{id}/context", get(statuses::context))
        .route("/api/v1/statuses/{id}/{action}", get(statuses::reacted_by).post(statuses::action))
        .route("/api/v1/buurtnet/proposals/{id}/fulfil", post(proposals::fulfil))
        .route("/api/v1/buurtnet/proposals/{id}/withdraw", post(proposals::withdraw))
        .route("/api/v1/notifications", get(notifications::list))
        .route("/api/v2/notifications", get(notifications::grouped))
        .route("/api/v1/notifications/clear", post(notifications::clear))
        .route("/api/v1/notifications/{id}", get(notifications::get))
        .route("/api/v1/notifications/{id}/dismiss", post(notifications::dismiss))
        .route("/api/v1/bookmarks", get(notifications::bookmarks))
        .route("/api/v1/favourites", get(notifications::favourites))
        .route("/api/v1/timelines/home", get(timelines::home))
        .route("/api/v1/timelines/public", get(timelines::public))
        .route("/api/v2/search", get(search::search))
        .route("/avatars/default.png", get(|| async { png(include_bytes!("../../static/avatar.png")) }))
        .route("/headers/default.png", get(|| async { png(include_bytes!("../../static/header.png")) }))
        .merge(stubs::routes())
        .layer(axum::Extension(media::MediaDir(media_dir)))
}

fn png(bytes: &'static [u8]) -> Response {
    ([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "public, max-age=86400")], bytes).into_response()
}

/// A Mastodon-shaped error answer.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub error: String,
    pub description: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, error: impl Into<String>) -> ApiError {
        ApiError { status, error: error.into(), description: None }
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "The access token is invalid")
    }

    /// 401 with Mastodon's words for why a token does not work.
    pub fn refused_token(check: &ops::oauth::TokenCheck) -> ApiError {
        let why = match check {
            ops::oauth::TokenCheck::Revoked => "The access token was revoked",
            ops::oauth::TokenCheck::Expired => "The access token expired",
            _ => "The access token is invalid",
        };
        ApiError::new(StatusCode::UNAUTHORIZED, why)
    }

    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "Record not found")
    }

    pub fn unprocessable(why: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, why)
    }

    /// Input the domain refused, as Mastodon words it, with the reasons in both languages.
    pub fn invalid(error: &DomainError) -> ApiError {
        ApiError::unprocessable(format!("Validation failed: {}", crate::error::public_message(error)))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({"error": self.error});
        if let Some(description) = self.description {
            body["error_description"] = json!(description);
        }
        (self.status, axum::Json(body)).into_response()
    }
}

impl From<crate::limits::TooMany> for ApiError {
    fn from(too_many: crate::limits::TooMany) -> ApiError {
        let seconds = too_many.0.as_secs().max(1);
        let said = |lang| crate::html::i18n::Tr::new(lang).t1("api-too-many", "seconds", seconds);
        let (en, nl) = (said(crate::html::i18n::Lang::En), said(crate::html::i18n::Lang::Nl));
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, buurtnet_domain::words::both_languages(&en, &nl))
    }
}

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> ApiError {
        let status = crate::error::status_of(&error);
        match &error {
            DomainError::NotFound => ApiError::not_found(),
            DomainError::Forbidden => ApiError::new(StatusCode::FORBIDDEN, "This action is not allowed"),
            _ => ApiError::new(status, crate::error::public_message(&error)),
        }
    }
}

impl From<ops::oauth::OAuthFailure> for ApiError {
    fn from(failure: ops::oauth::OAuthFailure) -> ApiError {
        use ops::oauth::OAuthFailure as F;
        let status = match &failure {
            F::InvalidClient(_) => StatusCode::UNAUTHORIZED,
            // A grant that fails on our side is a server error, whatever the store said.
            F::Domain(e) => return ApiError::from(DomainError::Internal(e.to_string())),
            _ => StatusCode::BAD_REQUEST,
        };
        let description = failure.to_string();
        ApiError { status, error: failure.code().into(), description: Some(description) }
    }
}

pub type ApiResult<T = Response> = Result<T, ApiError>;

/// The bearer token of a request, if any.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim()).filter(|t| !t.is_empty())
}

/// Who is calling: the token and, for user tokens, the member.
pub struct Caller {
    pub token: OAuthToken,
    pub member: Option<Actor>,
}

impl Caller {
    /// The member, for endpoints that act for one (app tokens get 422 as in Mastodon).
    pub fn member(&self) -> ApiResult<&Actor> {
        self.member.as_ref().ok_or_else(|| ApiError::unprocessable("This method requires an authenticated user"))
    }
}

/// The caller of a request that needs a token with `scope`: 401 without a valid token,
/// 403 when its scopes do not cover it.
pub async fn require(context: &Context, headers: &HeaderMap, scope: &str) -> ApiResult<Caller> {
    let caller = optional(context, headers).await?.ok_or_else(ApiError::unauthorized)?;
    let scopes = buurtnet_domain::model::Scopes::parse(&caller.token.scopes).map_err(ApiError::from)?;
    if !scopes.covers(scope) {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "This action is outside the authorized scopes"));
    }
    Ok(caller)
}

/// The caller if a token is given (a wrong token is still 401).
pub async fn optional(context: &Context, headers: &HeaderMap) -> ApiResult<Option<Caller>> {
    let Some(token) = bearer(headers) else { return Ok(None) };
    match ops::oauth::authenticate(&context.store, token).await? {
        ops::oauth::TokenCheck::Valid(token, member) => Ok(Some(Caller { token, member })),
        refused => Err(ApiError::refused_token(&refused)),
    }
}

/// Request parameters from a JSON body, a form body, or (for GETs) the query string.
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequest<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
        let malformed = |e: String| ApiError::new(StatusCode::BAD_REQUEST, format!("Malformed request: {e}"));
        if content_type.starts_with("application/json") {
            let axum::Json(value) = axum::Json::<T>::from_request(request, state).await.map_err(|e| malformed(e.body_text()))?;
            return Ok(Params(value));
        }
        if content_type.starts_with("multipart/form-data") {
            return multipart_params(request, state).await.map(Params);
        }
        let bytes = axum::body::Bytes::from_request(request, state).await.map_err(|e| malformed(e.body_text()))?;
        let mut fields = serde_json::Map::new();
        for (key, value) in url::form_urlencoded::parse(&bytes) {
            add_field(&mut fields, &key, value.into_owned());
        }
        serde_json::from_value(serde_json::Value::Object(fields)).map(Params).map_err(|e| malformed(e.to_string()))
    }
}

/// Text fields of a multipart body as a flat object (files are for the media endpoints).
async fn multipart_params<S: Send + Sync, T: DeserializeOwned>(request: Request, state: &S) -> ApiResult<T> {
    let malformed = |e: String| ApiError::new(StatusCode::BAD_REQUEST, format!("Malformed request: {e}"));
    let mut multipart = axum::extract::Multipart::from_request(request, state).await.map_err(|e| malformed(e.body_text()))?;
    let mut fields = serde_json::Map::new();
    while let Some(field) = multipart.next_field().await.map_err(|e| malformed(e.body_text()))? {
        let Some(name) = field.name().map(str::to_string) else { continue };
        let text = field.text().await.map_err(|e| malformed(e.body_text()))?;
        add_field(&mut fields, &name, text);
    }
    serde_json::from_value(serde_json::Value::Object(fields)).map_err(|e| malformed(e.to_string()))
}

/// Adds a form field to a JSON object: `name[]` fields collect into an array `name`.
fn add_field(fields: &mut serde_json::Map<String, serde_json::Value>, name: &str, value: String) {
    match name.strip_suffix("[]") {
        Some(list) => {
            if let Some(items) = fields.entry(list.to_string()).or_insert_with(|| json!([])).as_array_mut() {
                items.push(json!(value));
            }
        }
        None => {
            fields.insert(name.to_string(), json!(value));
        }
    }
}
