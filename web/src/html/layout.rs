//! What every page shares: the frame (title, navigation, login state, language switch,
//! notices), rendering a template into a response, error pages, and the security headers.

use super::i18n::Tr;
use super::visitor::Visitor;
use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use buurtnet_domain::error::{Say, Words};
use buurtnet_domain::{DomainError, ops};
use buurtnet_federation::Context;

/// The logged-in member as the navigation shows them.
pub struct MemberNav {
    pub name: String,
    pub username: String,
    pub coordinator: bool,
    pub admin: bool,
    /// Notifications not seen yet.
    pub unread: i64,
}

/// The parts of a page around its content.
pub struct Frame {
    pub tr: Tr,
    pub title: String,
    pub site: String,
    pub member: Option<MemberNav>,
    pub csrf: String,
    /// Where the language switch comes back to.
    pub path: String,
    /// A confirmation after a form (from a known key only, never free text from the URL).
    pub notice: Option<String>,
}

impl Frame {
    pub async fn new(context: &Context, visitor: &Visitor, title: impl Into<String>) -> Frame {
        let member = match visitor.member() {
            Some(m) => {
                let standing = ops::members::standing(&context.store, m).await;
                let (admin, coordinator, unread) = standing.map(|s| (s.admin, s.coordinator, s.unread)).unwrap_or((false, false, 0));
                Some(MemberNav { name: m.display_name.clone(), username: m.username.clone(), coordinator, admin, unread })
            }
            None => None,
        };
        let notice = visitor
            .path
            .split_once('?')
            .and_then(|(_, query)| query.split('&').find_map(|kv| kv.strip_prefix("gedaan=")))
            .filter(|key| key.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
            .and_then(|key| visitor.tr.lookup(&format!("notice-{key}"), None));
        let settings = visitor.settings.clone();
        let site = crate::settings::in_force(&context.store, &settings, &context.urls.domain()).await.name;
        Frame {
            tr: visitor.tr,
            title: title.into(),
            site,
            member,
            csrf: visitor.csrf().to_string(),
            path: visitor.path.split('?').next().unwrap_or("/").to_string(),
            notice,
        }
    }

    /// The link that switches to the other language and comes back here.
    pub fn switch_language_href(&self) -> String {
        let other = if self.tr.lang == super::i18n::Lang::Nl { "en" } else { "nl" };
        format!("/taal/{other}?terug={}", super::url_encode(&self.path))
    }
}

/// A rendered page with the visitor's cookies.
pub fn render(visitor: &Visitor, status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => {
            let mut response = (status, Html(html)).into_response();
            if visitor.member().is_some() {
                response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
            }
            visitor.finish(response)
        }
        Err(e) => {
            tracing::error!(error = %e, "a page failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "Er ging iets mis / Something went wrong").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    frame: Frame,
    heading: String,
    text: String,
}

/// A page that says what went wrong, in the visitor's language.
pub async fn error_page(context: &Context, visitor: &Visitor, error: &DomainError) -> Response {
    let status = crate::error::status_of(error);
    let tr = visitor.tr;
    let (heading, text) = match status {
        StatusCode::NOT_FOUND => (tr.t("error-not-found"), tr.t("error-not-found-text")),
        StatusCode::GONE => (tr.t("error-gone"), tr.t("error-gone-text")),
        StatusCode::FORBIDDEN => (tr.t("error-forbidden"), tr.t("error-forbidden-text")),
        StatusCode::INSUFFICIENT_STORAGE => {
            crate::error::log_storage_full(error);
            (tr.t("error-full"), tr.t("error-full-text"))
        }
        _ if status.is_client_error() => (tr.t("error-bad-request"), crate::error::said_in(error, tr)),
        _ => {
            crate::error::public_message(error);
            (tr.t("error-ours"), tr.t("error-ours-text"))
        }
    };
    let frame = Frame::new(context, visitor, heading.clone()).await;
    render(visitor, status, &ErrorPage { frame, heading, text })
}

/// The per-field problems of an invalid form, in the visitor's language; other errors as they are.
pub fn field_errors(error: DomainError, tr: Tr) -> Result<std::collections::BTreeMap<&'static str, String>, DomainError> {
    match error {
        DomainError::Invalid(list) => Ok(list.into_iter().map(|v| (v.field, say(&v.message, tr))).collect()),
        other => Err(other),
    }
}

/// After a post is made: peers hear of it, the author sees it.
pub fn posted(context: &Context, post_id: i64) -> Response {
    context.wake_delivery();
    axum::response::Redirect::to(&format!("/bericht/{post_id}?gedaan=geplaatst")).into_response()
}

/// The domain's words in the visitor's language: a code through the locales (`say-<code>`),
/// or the visitor's half of an "English / Nederlands" message.
pub fn say(words: &Words, tr: Tr) -> String {
    match words {
        Words::Say(Say::Closed(reason)) => {
            let (nl, en) = reason.words();
            if tr.lang == super::i18n::Lang::Nl { nl } else { en }.to_string()
        }
        Words::Say(say) => {
            let key = format!("say-{}", say.code());
            tr.with(&key, &say.values())
        }
        Words::Plain(text) => text.clone(),
    }
}

/// The headers every answer gets: no framing, no sniffing, scripts, styles, images, video and
/// audio only from here (peers' pictures, video and audio are shown through this node, so no
/// page tells a peer who reads what), forms sent only here.
pub async fn security_headers(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let form_action = form_action(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let is_html = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&format!(
                "default-src 'none'; style-src 'self'; img-src 'self' data:; media-src 'self'; script-src 'self'; \
                 connect-src 'self'; base-uri 'none'; frame-ancestors 'none'{form_action}"
            ))
            .expect("a valid header"),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// Where forms on the page at `path` may send the browser (browsers hold redirects after a
/// form to this too): only here, except on the pages whose forms send people on to another
/// server: following from one's own server (profiles, a coalition's page), joining through
/// another replica (`/coordinatie`), and an app's sign-in, which ends at the address the app
/// chose, whatever its scheme (so that page names none).
fn form_action(path: &str) -> &'static str {
    let onward = ["/users/", "/initiatives/", "/coalitie/"].iter().any(|p| path.starts_with(p)) || path == "/coordinatie";
    if path.starts_with("/oauth/authorize") {
        ""
    } else if onward {
        "; form-action 'self' https: http:"
    } else {
        "; form-action 'self'"
    }
}
