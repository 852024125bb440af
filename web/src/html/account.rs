//! A member's own data: a page with the export (one JSON file), her e-mail choice (handled
//! in [`super::mail_pages`]), whether she moves along when her initiative moves to another
//! place (issue 17), and deleting the account (the password is asked again; the deletion
//! federates).

use super::extract::{LoggedIn, MemberForm};
use super::layout::{Frame, error_page, render, say};
use super::mail_pages::AccountMailPart;
use super::visitor::{SESSION_COOKIE, Visitor};
use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::DomainError;
use buurtnet_domain::error::Words;
use buurtnet_domain::model::Actor;
use buurtnet_domain::ops::{handing_over, members};
use buurtnet_federation::Context;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    frame: Frame,
    username: String,
    error: Option<String>,
    mail: AccountMailPart,
    /// She moves along when her initiative moves to another place.
    moves_along: bool,
}

pub async fn page(context: Context, LoggedIn { visitor, member }: LoggedIn) -> Response {
    let mail = AccountMailPart::of(&context, &visitor, &member).await;
    page_with(&context, &visitor, member, mail, StatusCode::OK).await
}

/// The page with its e-mail part as given (a choice that was refused shows why).
pub(super) async fn page_with(context: &Context, visitor: &Visitor, member: Actor, mail: AccountMailPart, status: StatusCode) -> Response {
    let title = visitor.tr.t("account-title");
    let moves_along = handing_over::moves_along(&context.store, &member).await.unwrap_or(false);
    let page = AccountPage { frame: Frame::new(context, visitor, title).await, username: member.username, error: None, mail, moves_along };
    render(visitor, status, &page)
}

#[derive(serde::Deserialize)]
pub struct MoveAlongForm {
    /// `ja` when ticked; absent when not.
    #[serde(default)]
    moves_along: Option<String>,
}

/// She chooses whether she moves along when her initiative moves to another place.
pub async fn choose_moving_along(context: Context, MemberForm { visitor, member, form }: MemberForm<MoveAlongForm>) -> Response {
    let moves_along = form.moves_along.as_deref() == Some("ja");
    match handing_over::set_moves_along(&context.store, &member, moves_along).await {
        Ok(()) => Redirect::to("/mijn-gegevens?gedaan=verhuizen-gekozen#verhuizen").into_response(),
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// The export, as a download.
pub async fn export(context: Context, LoggedIn { visitor, member }: LoggedIn) -> Response {
    match members::export(&context.store, &member).await {
        Ok(data) => {
            let body = serde_json::to_string_pretty(&data).unwrap_or_default();
            let disposition = format!("attachment; filename=\"buurtnet-{}.json\"", member.username);
            let mut response = body.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
            if let Ok(value) = HeaderValue::from_str(&disposition) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

#[derive(serde::Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

pub async fn delete(context: Context, MemberForm { visitor, member, form }: MemberForm<DeleteForm>) -> Response {
    let result = if form.confirm.trim() != member.username {
        Err(DomainError::invalid("confirm", Words::Plain(visitor.tr.t("account-delete-confirm-wrong"))))
    } else {
        members::delete_account(&context.store, &member, &form.password).await
    };
    match result {
        Ok(()) => {
            context.wake_delivery();
            let mut response = Redirect::to("/?gedaan=verwijderd").into_response();
            response.headers_mut().append(header::SET_COOKIE, visitor.cookie_header(SESSION_COOKIE, "", Some(0)));
            response
        }
        Err(DomainError::Invalid(list)) => {
            let error = list.iter().map(|v| say(&v.message, visitor.tr)).collect::<Vec<_>>().join(" ");
            let mail = AccountMailPart::of(&context, &visitor, &member).await;
            let moves_along = handing_over::moves_along(&context.store, &member).await.unwrap_or(false);
            let page = AccountPage {
                frame: Frame::new(&context, &visitor, visitor.tr.t("account-title")).await,
                username: member.username,
                error: Some(error),
                mail,
                moves_along,
            };
            render(&visitor, StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}
