//! Logging in and out, and signing up (with an invitation code, or asking a coordinator).

use super::extract::{ButtonForm, GenuineForm};
use super::layout::{Frame, render, say};
use super::local_path;
use super::visitor::{SESSION_COOKIE, Visitor};
use crate::limits::{ClientAddress, Kind, Limits};
use crate::{Registrations, WebSettings};
use askama::Template;
use axum::extract::{Extension, Query};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::DomainError;
use buurtnet_domain::error::{Say, Words};
use buurtnet_domain::ops::actors::{LoginOutcome, MemberDraft};
use buurtnet_domain::ops::signup::{SignUpPath, SignedUp};
use buurtnet_domain::ops::{self, sessions};
use buurtnet_federation::Context;
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    frame: Frame,
    username: String,
    back: String,
    error: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct BackQuery {
    terug: Option<String>,
}

pub async fn login_page(context: Context, visitor: Visitor, Query(query): Query<BackQuery>) -> Response {
    let frame = Frame::new(&context, &visitor, visitor.tr.t("login-title")).await;
    let page = LoginPage { frame, username: String::new(), back: local_path(query.terug.as_deref()), error: None };
    render(&visitor, StatusCode::OK, &page)
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    terug: Option<String>,
}

pub async fn login(
    context: Context,
    Extension(limits): Extension<Arc<Limits>>,
    ClientAddress(client): ClientAddress,
    GenuineForm { visitor, form }: GenuineForm<LoginForm>,
) -> Response {
    let refuse = async |status: StatusCode, key: &str| {
        let frame = Frame::new(&context, &visitor, visitor.tr.t("login-title")).await;
        let page =
            LoginPage { frame, username: form.username.clone(), back: local_path(form.terug.as_deref()), error: Some(visitor.tr.t(key)) };
        render(&visitor, status, &page)
    };
    if limits.check(Kind::Login, client).is_err() {
        return refuse(StatusCode::TOO_MANY_REQUESTS, "login-too-many").await;
    }
    let Ok(attempt) = limits.begin_password(&context.store, &form.username, client).await else {
        return refuse(StatusCode::TOO_MANY_REQUESTS, "login-too-many").await;
    };
    let outcome = ops::actors::login(&context.store, &form.username, &form.password).await;
    if let Ok(outcome) = &outcome {
        limits.end_password(&context.store, &attempt, !matches!(outcome, LoginOutcome::Refused)).await;
    }
    match outcome {
        Ok(LoginOutcome::Member(member)) => match sessions::start(&context.store, &member).await {
            Ok(token) => {
                let back = local_path(form.terug.as_deref());
                let mut response = Redirect::to(&back).into_response();
                response.headers_mut().append(header::SET_COOKIE, visitor.cookie_header(SESSION_COOKIE, &token, None));
                response
            }
            Err(e) => super::layout::error_page(&context, &visitor, &e).await,
        },
        Ok(LoginOutcome::WaitingForApproval) => refuse(StatusCode::FORBIDDEN, "login-waiting").await,
        Ok(LoginOutcome::Refused) => refuse(StatusCode::UNAUTHORIZED, "login-wrong").await,
        Err(e) => super::layout::error_page(&context, &visitor, &e).await,
    }
}

pub async fn logout(context: Context, GenuineForm { visitor, form: _ }: GenuineForm<ButtonForm>) -> Response {
    if let Some(session) = &visitor.session
        && let Err(e) = sessions::end(&context.store, session.id).await
    {
        return super::layout::error_page(&context, &visitor, &e).await;
    }
    let mut response = Redirect::to("/?gedaan=uitgelogd").into_response();
    response.headers_mut().append(header::SET_COOKIE, visitor.cookie_header(SESSION_COOKIE, "", Some(0)));
    response
}

/// What the sign-up form holds (kept when something must be corrected).
#[derive(serde::Deserialize, Default, Clone)]
pub struct SignUpForm {
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub application: String,
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignUpPage {
    frame: Frame,
    form: SignUpForm,
    /// "invitation", "approval" or "closed".
    mode: &'static str,
    errors: BTreeMap<&'static str, String>,
    waiting: bool,
}

fn mode_name(mode: Registrations) -> &'static str {
    match mode {
        Registrations::Invitation => "invitation",
        Registrations::Approval => "approval",
        Registrations::Closed => "closed",
    }
}

#[derive(serde::Deserialize, Default)]
pub struct CodeQuery {
    code: Option<String>,
}

pub async fn signup_page(
    context: Context,
    visitor: Visitor,
    Extension(settings): Extension<Arc<WebSettings>>,
    Query(query): Query<CodeQuery>,
) -> Response {
    let frame = Frame::new(&context, &visitor, visitor.tr.t("signup-title")).await;
    let form = SignUpForm { code: query.code.unwrap_or_default(), ..Default::default() };
    let mode = crate::settings::in_force(&context.store, &settings, &context.urls.domain()).await.registrations;
    let page = SignUpPage { frame, form, mode: mode_name(mode), errors: BTreeMap::new(), waiting: false };
    render(&visitor, StatusCode::OK, &page)
}

pub async fn signup(
    context: Context,
    Extension(settings): Extension<Arc<WebSettings>>,
    Extension(limits): Extension<Arc<Limits>>,
    ClientAddress(client): ClientAddress,
    GenuineForm { visitor, form }: GenuineForm<SignUpForm>,
) -> Response {
    let mode = crate::settings::in_force(&context.store, &settings, &context.urls.domain()).await.registrations;
    let mut errors = BTreeMap::new();
    if limits.check(Kind::Outward, client).is_err() {
        errors.insert("form", visitor.tr.t("login-too-many"));
    }
    if form.password != form.password_again {
        errors.insert("password_again", visitor.tr.t("signup-passwords-differ"));
    }
    let path = if !form.code.trim().is_empty() && mode != Registrations::Closed {
        Some(SignUpPath::Invitation(form.code.clone()))
    } else if mode == Registrations::Approval {
        Some(SignUpPath::Application(form.application.clone()))
    } else {
        let key = if mode == Registrations::Closed { "signup-closed" } else { "signup-code-needed" };
        errors.insert("code", visitor.tr.t(key));
        None
    };
    let outcome = match path {
        Some(path) if errors.is_empty() => {
            let draft = MemberDraft {
                username: form.username.trim().to_string(),
                display_name: form.display_name.trim().to_string(),
                password: form.password.clone(),
                email: Some(form.email.trim().to_string()).filter(|e| !e.is_empty()),
                is_admin: false,
                initiative: None,
            };
            // Key generation takes a moment of CPU: off the async workers.
            let Ok(keys) = tokio::task::spawn_blocking(buurtnet_federation::keys::generate).await else {
                return super::layout::error_page(&context, &visitor, &DomainError::Internal("key generation failed".into())).await;
            };
            Some(ops::signup::sign_up(&context.store, &context.urls, &draft, &path, &keys).await)
        }
        _ => None,
    };
    match outcome {
        Some(Ok(SignedUp::Member(member))) => match sessions::start(&context.store, &member).await {
            Ok(token) => {
                let mut response = Redirect::to("/?gedaan=welkom").into_response();
                response.headers_mut().append(header::SET_COOKIE, visitor.cookie_header(SESSION_COOKIE, &token, None));
                response
            }
            Err(e) => super::layout::error_page(&context, &visitor, &e).await,
        },
        Some(Ok(SignedUp::WaitingForApproval(_))) => {
            let frame = Frame::new(&context, &visitor, visitor.tr.t("signup-title")).await;
            let page = SignUpPage { frame, form: SignUpForm::default(), mode: mode_name(mode), errors, waiting: true };
            render(&visitor, StatusCode::OK, &page)
        }
        Some(Err(DomainError::Invalid(violations))) => {
            for v in violations {
                errors.insert(v.field, say(&v.message, visitor.tr));
            }
            signup_again(&context, &visitor, form, mode, errors).await
        }
        Some(Err(DomainError::Conflict(message))) => {
            let field = if message == Words::Say(Say::EmailTaken) { "email" } else { "username" };
            errors.insert(field, say(&message, visitor.tr));
            signup_again(&context, &visitor, form, mode, errors).await
        }
        Some(Err(e)) => super::layout::error_page(&context, &visitor, &e).await,
        None => signup_again(&context, &visitor, form, mode, errors).await,
    }
}

async fn signup_again(
    context: &Context,
    visitor: &Visitor,
    mut form: SignUpForm,
    mode: Registrations,
    errors: BTreeMap<&'static str, String>,
) -> Response {
    // Passwords are never sent back into a page.
    form.password.clear();
    form.password_again.clear();
    let frame = Frame::new(context, visitor, visitor.tr.t("signup-title")).await;
    let page = SignUpPage { frame, form, mode: mode_name(mode), errors, waiting: false };
    render(visitor, StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage {
    frame: Frame,
    code: String,
    name: String,
    error: Option<String>,
}

/// The page where a member chooses a new password with a coordinator's link.
pub async fn reset_page(context: Context, visitor: Visitor, axum::extract::Path(code): axum::extract::Path<String>) -> Response {
    match ops::signup::reset_member(&context.store, &code).await {
        Ok(member) => {
            let frame = Frame::new(&context, &visitor, visitor.tr.t("reset-title")).await;
            render(&visitor, StatusCode::OK, &ResetPage { frame, code, name: member.display_name, error: None })
        }
        Err(_) => {
            super::layout::error_page(&context, &visitor, &DomainError::invalid("code", Words::Plain(visitor.tr.t("reset-unusable")))).await
        }
    }
}

#[derive(serde::Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

pub async fn reset(
    context: Context,
    axum::extract::Path(code): axum::extract::Path<String>,
    GenuineForm { visitor, form }: GenuineForm<ResetForm>,
) -> Response {
    let refuse = async |error: String| match ops::signup::reset_member(&context.store, &code).await {
        Ok(member) => {
            let frame = Frame::new(&context, &visitor, visitor.tr.t("reset-title")).await;
            let page = ResetPage { frame, code: code.clone(), name: member.display_name, error: Some(error) };
            render(&visitor, StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(_) => {
            super::layout::error_page(&context, &visitor, &DomainError::invalid("code", Words::Plain(visitor.tr.t("reset-unusable")))).await
        }
    };
    if form.password != form.password_again {
        return refuse(visitor.tr.t("signup-passwords-differ")).await;
    }
    match ops::signup::finish_password_reset(&context.store, &code, &form.password).await {
        Ok(_) => Redirect::to("/inloggen?gedaan=wachtwoord").into_response(),
        Err(DomainError::Invalid(list)) => refuse(list.iter().map(|v| say(&v.message, visitor.tr)).collect::<Vec<_>>().join(" ")).await,
        Err(_) => {
            super::layout::error_page(&context, &visitor, &DomainError::invalid("code", Words::Plain(visitor.tr.t("reset-unusable")))).await
        }
    }
}
