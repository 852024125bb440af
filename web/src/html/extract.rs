//! What every page handler needs before it can do its work, checked once here instead of in
//! each handler: the logged-in member ([`LoggedIn`]; a visitor who is not logged in goes to
//! the login page and comes back afterwards), and a form that really comes from our own page
//! ([`GenuineForm`]: its CSRF token and origin checked before the handler runs; a stale or
//! foreign form gets the "refused" page and changes nothing). [`MemberForm`] is both;
//! [`Coordinator`] and [`CoordinatorForm`] add the coordinators' role. The role checks
//! ([`coordinators_only`], [`administrators_only`]) follow the login.
//!
//! The token travels in the form's `csrf` field; the form types themselves do not need to
//! name it.

use super::layout::error_page;
use super::visitor::Visitor;
use axum::extract::{FromRequest, FromRequestParts, RawForm, Request};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::DomainError;
use buurtnet_domain::model::Actor;
use buurtnet_domain::ops::{federation_health, signup};
use buurtnet_federation::Context;
use serde::de::DeserializeOwned;

/// A visitor who is logged in, with the member she is.
pub struct LoggedIn {
    pub visitor: Visitor,
    pub member: Actor,
}

impl<S: Send + Sync> FromRequestParts<S> for LoggedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let visitor = Visitor::from_request_parts(parts, state).await?;
        match visitor.member().cloned() {
            Some(member) => Ok(LoggedIn { visitor, member }),
            None => Err(login_first(parts, &visitor)),
        }
    }
}

/// The login page, then back to where the visitor was: the page itself, or for a form the
/// page the form was on (a form's own address cannot be opened after logging in).
fn login_first(parts: &Parts, visitor: &Visitor) -> Response {
    let back =
        if parts.method == Method::GET || parts.method == Method::HEAD { visitor.path.clone() } else { page_of_form(parts, visitor) };
    Redirect::to(&format!("/inloggen?terug={}", super::url_encode(&back))).into_response()
}

/// The path of the page a form was sent from, when the browser said it was one of ours.
fn page_of_form(parts: &Parts, visitor: &Visitor) -> String {
    let referer = parts.headers.get(header::REFERER).and_then(|v| v.to_str().ok()).and_then(|r| url::Url::parse(r).ok());
    match referer {
        Some(url) if visitor.origin_is_ours() && url.path().starts_with('/') => super::local_path(Some(&url[url::Position::BeforePath..])),
        _ => "/".to_string(),
    }
}

/// A form that comes from our own page: the right token, from our origin.
pub struct GenuineForm<T> {
    pub visitor: Visitor,
    pub form: T,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for GenuineForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let visitor = Visitor::from_request_parts(&mut parts, state).await?;
        let form = genuine(parts, body, &visitor, state).await?;
        Ok(GenuineForm { visitor, form })
    }
}

/// A form from our own page, sent by a logged-in member. A visitor who is not logged in is
/// sent to the login page before the token is looked at.
pub struct MemberForm<T> {
    pub visitor: Visitor,
    pub member: Actor,
    pub form: T,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for MemberForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let LoggedIn { visitor, member } = LoggedIn::from_request_parts(&mut parts, state).await?;
        let form = genuine(parts, body, &visitor, state).await?;
        Ok(MemberForm { visitor, member, form })
    }
}

/// A logged-in coordinator of an initiative on this node; anyone else is refused.
pub struct Coordinator {
    pub visitor: Visitor,
    pub member: Actor,
}

impl<S: Send + Sync> FromRequestParts<S> for Coordinator {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let LoggedIn { visitor, member } = LoggedIn::from_request_parts(parts, state).await?;
        let context = Context::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        coordinators_only(&context, &visitor, &member).await?;
        Ok(Coordinator { visitor, member })
    }
}

/// A form from our own page, sent by a coordinator: the login, the role, then the token.
pub struct CoordinatorForm<T> {
    pub visitor: Visitor,
    pub member: Actor,
    pub form: T,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for CoordinatorForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let Coordinator { visitor, member } = Coordinator::from_request_parts(&mut parts, state).await?;
        let form = genuine(parts, body, &visitor, state).await?;
        Ok(CoordinatorForm { visitor, member, form })
    }
}

#[derive(serde::Deserialize)]
struct Token {
    #[serde(default)]
    csrf: String,
}

/// Reads the form and checks its token; a form that is not genuine is refused unread.
async fn genuine<S: Send + Sync, T: DeserializeOwned>(
    mut parts: Parts,
    body: axum::body::Body,
    visitor: &Visitor,
    state: &S,
) -> Result<T, Response> {
    let context = Context::from_request_parts(&mut parts, state).await.map_err(IntoResponse::into_response)?;
    let RawForm(bytes) = RawForm::from_request(Request::from_parts(parts, body), state).await.map_err(IntoResponse::into_response)?;
    let token = serde_urlencoded::from_bytes::<Token>(&bytes).map(|t| t.csrf).unwrap_or_default();
    if !visitor.form_is_genuine(&token) {
        return Err(super::stale_form(&context, visitor).await);
    }
    serde_urlencoded::from_bytes::<T>(&bytes)
        .map_err(|e| (StatusCode::UNPROCESSABLE_ENTITY, format!("Failed to deserialize form body: {e}")).into_response())
}

/// Refuses (the "not allowed" page) unless `member` coordinates an initiative on this node.
pub async fn coordinators_only(context: &Context, visitor: &Visitor, member: &Actor) -> Result<(), Response> {
    allowed(context, visitor, signup::is_coordinator(&context.store, member).await).await
}

/// Refuses (the "not allowed" page) unless `member` administers this node.
pub async fn administrators_only(context: &Context, visitor: &Visitor, member: &Actor) -> Result<(), Response> {
    allowed(context, visitor, federation_health::is_admin(&context.store, member).await).await
}

async fn allowed(context: &Context, visitor: &Visitor, answer: Result<bool, DomainError>) -> Result<(), Response> {
    match answer {
        Ok(true) => Ok(()),
        Ok(false) => Err(error_page(context, visitor, &DomainError::Forbidden).await),
        Err(e) => Err(error_page(context, visitor, &e).await),
    }
}

/// A form that is only a button: nothing in it but the token.
#[derive(serde::Deserialize)]
pub struct ButtonForm {}
