//! The OAuth login and consent page (`/oauth/authorize`) where a member lets a Mastodon app
//! use their account. Someone logged in on the pages only confirms (the form carries the
//! session's CSRF token); anyone else gives username and password, which is the proof
//! itself (a forged request cannot know it), with the origin checked as well.

use super::layout::{Frame, render};
use super::visitor::Visitor;
use crate::api::oauth::{AuthorizeQuery, redirect_with};
use crate::api::{ApiError, ApiResult};
use crate::limits::{ClientAddress, Kind, Limits};
use askama::Template;
use axum::extract::{Extension, Form, Query};
use axum::http::StatusCode;
use axum::response::Response;
use buurtnet_domain::error::Words;
use buurtnet_domain::model::{Actor, OAuthApp};
use buurtnet_domain::ops::oauth::{self as oauth_ops, OUT_OF_BAND};
use buurtnet_federation::Context;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "consent.html")]
struct ConsentPage {
    frame: Frame,
    app: String,
    scope: String,
    /// The hidden fields that carry the request: (name, value).
    carried: Vec<(&'static str, String)>,
    /// Logged in on the pages as (name, handle): only confirm.
    as_member: Option<(String, String)>,
    username: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "consent_code.html")]
struct CodePage {
    frame: Frame,
    code: String,
}

impl ConsentPage {
    /// The same request, asking for the password of another account.
    fn other_account_query(&self) -> String {
        let mut pairs: Vec<String> = self.carried.iter().map(|(k, v)| format!("{k}={}", super::url_encode(v))).collect();
        pairs.push("ander=1".into());
        pairs.join("&")
    }
}

fn carried(query: &AuthorizeQuery) -> Vec<(&'static str, String)> {
    let mut fields = vec![("client_id", query.client_id.clone()), ("redirect_uri", query.redirect_uri.clone())];
    let optional = [
        ("scope", &query.scope),
        ("state", &query.state),
        ("code_challenge", &query.code_challenge),
        ("code_challenge_method", &query.code_challenge_method),
    ];
    fields.extend(optional.into_iter().filter_map(|(name, value)| value.clone().map(|v| (name, v))));
    fields
}

async fn consent(
    context: &Context,
    visitor: &Visitor,
    app: &OAuthApp,
    query: &AuthorizeQuery,
    other_account: bool,
    username: String,
    error: Option<String>,
) -> ConsentPage {
    let as_member = visitor.member().filter(|_| !other_account).map(|m| (m.display_name.clone(), m.handle()));
    ConsentPage {
        frame: Frame::new(context, visitor, visitor.tr.t1("consent-title", "app", &app.name)).await,
        app: app.name.clone(),
        scope: query.scope.clone().unwrap_or_else(|| "read".into()),
        carried: carried(query),
        as_member,
        username,
        error,
    }
}

#[derive(serde::Deserialize, Default)]
pub struct Other {
    #[serde(default)]
    ander: Option<String>,
}

pub async fn page(context: Context, visitor: Visitor, Query(query): Query<AuthorizeQuery>, Query(other): Query<Other>) -> Response {
    match oauth_ops::client(&context.store, &query.client_id, None, false).await {
        Ok(app) if app.allows_redirect(&query.redirect_uri) => {
            let page = consent(&context, &visitor, &app, &query, other.ander.is_some(), String::new(), None).await;
            render(&visitor, StatusCode::OK, &page)
        }
        _ => {
            let error = buurtnet_domain::DomainError::invalid("client_id", Words::Plain(visitor.tr.t("consent-unknown-app")));
            super::layout::error_page(&context, &visitor, &error).await
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct ConsentForm {
    #[serde(flatten)]
    query: AuthorizeQuery,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    decision: String,
    /// Set when a logged-in member only confirms.
    #[serde(default)]
    use_session: Option<String>,
    #[serde(default)]
    csrf: String,
}

pub async fn submit(
    context: Context,
    visitor: Visitor,
    Extension(limits): Extension<Arc<Limits>>,
    ClientAddress(client): ClientAddress,
    Form(form): Form<ConsentForm>,
) -> ApiResult<Response> {
    let app = oauth_ops::client(&context.store, &form.query.client_id, None, false).await?;
    if !app.allows_redirect(&form.query.redirect_uri) {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "redirect_uri was not registered for this app"));
    }
    let query = &form.query;
    limits.check(Kind::Login, client)?;
    let member = if form.use_session.is_some() {
        match visitor.member().cloned().filter(|_| visitor.form_is_genuine(&form.csrf)) {
            Some(member) => member,
            None => return Err(ApiError::new(StatusCode::FORBIDDEN, "This form must be sent from this site")),
        }
    } else {
        if !visitor.origin_is_ours() {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "This form must be sent from this site"));
        }
        if form.decision != "allow" {
            return Ok(redirect_with(&query.redirect_uri, &[("error", "access_denied")], query.state.as_deref()));
        }
        match password_login(&context, &visitor, &app, &form, (&limits, client)).await? {
            Ok(member) => member,
            Err(refused) => return Ok(refused),
        }
    };
    if form.decision != "allow" {
        return Ok(redirect_with(&query.redirect_uri, &[("error", "access_denied")], query.state.as_deref()));
    }
    let code = oauth_ops::authorize(
        &context.store,
        &app,
        &member,
        &query.redirect_uri,
        query.scope.as_deref(),
        query.code_challenge.as_deref(),
        query.code_challenge_method.as_deref(),
    )
    .await?;
    if query.redirect_uri == OUT_OF_BAND {
        let page = CodePage { frame: Frame::new(&context, &visitor, visitor.tr.t("consent-done")).await, code };
        return Ok(render(&visitor, StatusCode::OK, &page));
    }
    Ok(redirect_with(&query.redirect_uri, &[("code", &code)], query.state.as_deref()))
}

/// The member behind username and password, or the page again (401) when they are wrong.
async fn password_login(
    context: &Context,
    visitor: &Visitor,
    app: &OAuthApp,
    form: &ConsentForm,
    (limits, client): (&Limits, std::net::IpAddr),
) -> ApiResult<Result<Actor, Response>> {
    let attempt = limits.begin_password(&context.store, &form.username, client).await?;
    let member = buurtnet_domain::ops::actors::check_login(&context.store, &form.username, &form.password).await?;
    limits.end_password(&context.store, &attempt, member.is_some()).await;
    match member {
        Some(member) => Ok(Ok(member)),
        None => {
            let page = consent(context, visitor, app, &form.query, true, form.username.clone(), Some(visitor.tr.t("login-wrong"))).await;
            Ok(Err(render(visitor, StatusCode::UNAUTHORIZED, &page)))
        }
    }
}
