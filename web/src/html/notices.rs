//! A member's notifications: who did what, with a link to it; seen once the page is shown.

use super::extract::{ButtonForm, LoggedIn, MemberForm};
use super::layout::{Frame, error_page, render};
use super::local_time;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::ops::members::{self, NoticeView};
use buurtnet_federation::Context;

pub struct NoticeLine {
    pub text: String,
    pub href: Option<String>,
    pub when: String,
    pub unread: bool,
}

#[derive(Template)]
#[template(path = "notices.html")]
struct NoticesPage {
    frame: Frame,
    notices: Vec<NoticeLine>,
}

fn line(view: &NoticeView, tr: super::i18n::Tr) -> NoticeLine {
    let who = view.actor.as_ref().map(|a| if a.display_name.is_empty() { a.username.clone() } else { a.display_name.clone() });
    let key = format!("notice-kind-{}", view.notification.kind.replace(['_', '.'], "-"));
    let text = tr
        .lookup(&key, None)
        .map(|_| tr.with(&key, &[("who", who.clone().unwrap_or_else(|| tr.t("someone")))]))
        .unwrap_or_else(|| tr.t("notice-kind-other"));
    let href = match (&view.post, &view.actor) {
        _ if view.notification.kind == buurtnet_domain::ops::questions::KIND_QUESTION => Some("/coordinatie#vragen".to_string()),
        (Some(post), _) => Some(format!("/bericht/{}", post.id)),
        (None, Some(actor)) => Some(format!("/actor/{}", actor.id)),
        _ => None,
    };
    NoticeLine { text, href, when: local_time(view.notification.created_at, tr), unread: view.notification.read_at.is_none() }
}

pub async fn list(context: Context, LoggedIn { visitor, member }: LoggedIn) -> Response {
    match members::notices(&context.store, &member, 100).await {
        Ok(views) => {
            let notices = views.iter().map(|v| line(v, visitor.tr)).collect();
            // The frame is made after marking them seen, so the menu shows none unread.
            let page = NoticesPage { frame: Frame::new(&context, &visitor, visitor.tr.t("notices-title")).await, notices };
            render(&visitor, StatusCode::OK, &page)
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

pub async fn clear(context: Context, MemberForm { visitor, member, form: _ }: MemberForm<ButtonForm>) -> Response {
    match members::clear_notices(&context.store, &member).await {
        Ok(()) => Redirect::to("/meldingen?gedaan=gewist").into_response(),
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}
