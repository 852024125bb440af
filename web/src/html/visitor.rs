//! Who is looking at a page: their language, their login (a session cookie) and the CSRF
//! token their forms must carry. Logged-in visitors use their session's token; others get a
//! random token in a cookie of its own (double submit), so the login and sign-up forms are
//! protected too. Every POST of a page checks the token and, when the browser sends one,
//! the `Origin`.

use super::i18n::{Lang, Tr};
use crate::WebSettings;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use buurtnet_domain::model::Actor;
use buurtnet_domain::ops::sessions::{self, Session};
use buurtnet_federation::Context;
use std::sync::Arc;

pub const SESSION_COOKIE: &str = "bn_sessie";
pub const CSRF_COOKIE: &str = "bn_csrf";

/// The value of a cookie in the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_string())
}

pub struct Visitor {
    pub tr: Tr,
    pub session: Option<Session>,
    /// The token for anonymous forms, and whether it must be set as a cookie now.
    anonymous_csrf: String,
    new_anonymous_csrf: bool,
    /// `Secure` cookies outside development (where pages are served over plain http).
    secure_cookies: bool,
    pub path: String,
    origin_ok: bool,
    /// The web settings of the config file.
    pub settings: Arc<WebSettings>,
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let context = Context::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        let settings = parts.extensions.get::<Arc<WebSettings>>().cloned().unwrap_or_default();
        let headers = &parts.headers;
        let session = match cookie(headers, SESSION_COOKIE) {
            Some(token) => {
                let idle_ms = i64::try_from(settings.session_idle_hours).unwrap_or(i64::MAX / 3_600_000) * 3_600_000;
                sessions::find(&context.store, &token, idle_ms).await.unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "session lookup failed");
                    None
                })
            }
            None => None,
        };
        let existing =
            cookie(headers, CSRF_COOKIE).filter(|t| t.len() >= 32 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        let base = context.urls.base().as_str().trim_end_matches('/').to_string();
        let origin_ok = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()).is_none_or(|o| o.trim_end_matches('/') == base);
        Ok(Visitor {
            tr: Tr::new(Lang::of_request(headers)),
            session,
            new_anonymous_csrf: existing.is_none(),
            anonymous_csrf: existing.unwrap_or_else(sessions::random_token),
            secure_cookies: !context.dev,
            path: parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into()),
            origin_ok,
            settings,
        })
    }
}

impl Visitor {
    pub fn member(&self) -> Option<&Actor> {
        self.session.as_ref().map(|s| &s.member)
    }

    /// The token this visitor's forms carry.
    pub fn csrf(&self) -> &str {
        match &self.session {
            Some(session) => &session.csrf_token,
            None => &self.anonymous_csrf,
        }
    }

    /// Whether the browser said the request comes from our own site (or said nothing).
    pub fn origin_is_ours(&self) -> bool {
        self.origin_ok
    }

    /// Whether a form really comes from our page: the right token, from our origin.
    pub fn form_is_genuine(&self, submitted: &str) -> bool {
        let expected = self.csrf().as_bytes();
        let submitted = submitted.as_bytes();
        let same = expected.len() == submitted.len() && expected.iter().zip(submitted).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        same && self.origin_ok
    }

    /// A cookie with our attributes: only over HTTPS outside development, never for scripts.
    pub fn cookie_header(&self, name: &str, value: &str, max_age_secs: Option<i64>) -> HeaderValue {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        let age = max_age_secs.map(|s| format!("; Max-Age={s}")).unwrap_or_default();
        HeaderValue::from_str(&format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}{age}")).expect("cookie value is plain text")
    }

    /// Adds the cookies this visitor still needs to a response.
    pub fn finish(&self, mut response: Response) -> Response {
        if self.new_anonymous_csrf && self.session.is_none() {
            response.headers_mut().append(header::SET_COOKIE, self.cookie_header(CSRF_COOKIE, &self.anonymous_csrf, None));
        }
        response
    }
}
