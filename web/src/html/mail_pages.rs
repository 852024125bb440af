//! E-mail on the pages: a member's choice on `/mijn-gegevens` (address; off, each
//! notification or a daily digest), turning mail off from a mail's link without logging in
//! (`/afmelden/{token}`: GET asks, POST does it; also the RFC 8058 one-click POST that mail
//! programs send, which carries no CSRF token, only the token in the address), the
//! administrator's part of `/beheer/instellingen` (on or off, and how to turn it on; a test
//! mail), and a coordinator's answer to a "Vraag het ons" question.

use super::extract::{ButtonForm, CoordinatorForm, MemberForm};
use super::layout::{Frame, error_page, field_errors, render};
use super::mail_text::{self, Sender};
use super::visitor::Visitor;
use crate::limits::{ClientAddress, Kind, Limits};
use askama::Template;
use axum::extract::{Extension, Path};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::model::Actor;
use buurtnet_domain::ops::mail::{self, MailMode};
use buurtnet_domain::ops::questions::{self, AnswerMailer, Answered, QuestionView};
use buurtnet_domain::store::mail::NewMail;
use buurtnet_federation::Context;
use std::sync::Arc;

/// The e-mail part of a member's own page.
pub struct AccountMailPart {
    /// Whether this node sends mail at all.
    pub node_sends: bool,
    pub address: String,
    pub mode: &'static str,
    pub error: Option<String>,
}

impl AccountMailPart {
    pub async fn of(context: &Context, visitor: &Visitor, member: &Actor) -> AccountMailPart {
        let setup = mail::setup_of(&context.store, member).await.unwrap_or_default();
        AccountMailPart {
            node_sends: visitor.settings.mail.is_some(),
            address: setup.address.unwrap_or_default(),
            mode: setup.mode.as_str(),
            error: None,
        }
    }
}

/// The e-mail part of the administrator's settings page.
pub struct AdminMailPart {
    /// "E-mail is on, through … from …", or `None` when it is off.
    pub on: Option<String>,
    /// How many mails wait, went and were given up.
    pub queue: String,
}

impl AdminMailPart {
    pub async fn of(context: &Context, visitor: &Visitor) -> AdminMailPart {
        let tr = visitor.tr;
        let on = visitor.settings.mail.as_ref().map(|m| tr.with("admin-mail-on", &[("relay", m.relay.clone()), ("from", m.from.clone())]));
        let (waiting, sent, failed) = mail::queue_counts(&context.store).await.unwrap_or_default();
        let queue =
            tr.with("admin-mail-queue", &[("waiting", waiting.to_string()), ("sent", sent.to_string()), ("failed", failed.to_string())]);
        AdminMailPart { on, queue }
    }
}

#[derive(serde::Deserialize)]
pub struct ChoiceForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    mode: String,
}

/// `POST /mijn-gegevens/email`: the member's address and how often she gets mail.
pub async fn choose(context: Context, MemberForm { visitor, member, form }: MemberForm<ChoiceForm>) -> Response {
    let mode = MailMode::parse(&form.mode).unwrap_or_default();
    match mail::choose(&context.store, &member, &form.email, mode, visitor.tr.lang_code()).await {
        Ok(()) => Redirect::to("/mijn-gegevens?gedaan=mail-gekozen#email").into_response(),
        Err(e) => match field_errors(e, visitor.tr) {
            Ok(problems) => {
                let part = AccountMailPart {
                    node_sends: visitor.settings.mail.is_some(),
                    address: form.email.trim().to_string(),
                    mode: mode.as_str(),
                    error: Some(problems.into_values().collect::<Vec<_>>().join(" ")),
                };
                super::account::page_with(&context, &visitor, member, part, StatusCode::UNPROCESSABLE_ENTITY).await
            }
            Err(e) => error_page(&context, &visitor, &e).await,
        },
    }
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    frame: Frame,
    token: String,
    /// What the page says: the question, done, or a link that does not work.
    text: String,
    ask: bool,
}

async fn unsubscribe_page(context: &Context, visitor: &Visitor, token: &str, status: StatusCode, key: &str) -> Response {
    let tr = visitor.tr;
    let site = Sender::of(&context.store, &context.urls).await.site;
    let page = UnsubscribePage {
        frame: Frame::new(context, visitor, tr.t("unsubscribe-title")).await,
        token: token.to_string(),
        text: tr.t1(key, "site", site),
        ask: key == "unsubscribe-text",
    };
    render(visitor, status, &page)
}

/// `GET /afmelden/{token}`: asks before turning mail off (a link opened by a mail scanner
/// changes nothing).
pub async fn unsubscribe_confirm(context: Context, visitor: Visitor, Path(token): Path<String>) -> Response {
    match mail::holder_of(&context.store, &token).await {
        Ok(Some(_)) => unsubscribe_page(&context, &visitor, &token, StatusCode::OK, "unsubscribe-text").await,
        Ok(None) => unsubscribe_page(&context, &visitor, &token, StatusCode::NOT_FOUND, "unsubscribe-unknown").await,
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// `POST /afmelden/{token}`: the button of the page, or a mail program's one-click
/// (`List-Unsubscribe=One-Click`). The token is the only credential; guesses are counted
/// like login attempts.
pub async fn unsubscribe(
    context: Context,
    visitor: Visitor,
    Extension(limits): Extension<Arc<Limits>>,
    ClientAddress(client): ClientAddress,
    Path(token): Path<String>,
) -> Response {
    if limits.check(Kind::Login, client).is_err() {
        return super::too_many(&context, &visitor, visitor.tr.t("login-too-many")).await;
    }
    match mail::unsubscribe(&context.store, &token).await {
        Ok(true) => unsubscribe_page(&context, &visitor, &token, StatusCode::OK, "unsubscribe-done").await,
        Ok(false) => unsubscribe_page(&context, &visitor, &token, StatusCode::NOT_FOUND, "unsubscribe-unknown").await,
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// `POST /beheer/instellingen/proefmail`: a test mail to the administrator's own address.
pub async fn test_mail(context: Context, MemberForm { visitor, member: admin, form: _ }: MemberForm<ButtonForm>) -> Response {
    if visitor.settings.mail.is_none() {
        return Redirect::to("/beheer/instellingen#email").into_response();
    }
    let sender = Sender::of(&context.store, &context.urls).await;
    match mail::queue_test_mail(&context.store, &admin, |address| mail_text::test_mail(&sender, visitor.tr, address)).await {
        Ok(_) => Redirect::to("/beheer/instellingen?gedaan=proefmail#email").into_response(),
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

#[derive(serde::Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
}

/// `POST /coordinatie/vragen/{id}/antwoord`: a coordinator answers a question; mailed when
/// the asker gave an e-mail address and this node sends mail, else she is to be phoned.
pub async fn answer(
    context: Context,
    Path(id): Path<i64>,
    CoordinatorForm { visitor, member, form }: CoordinatorForm<AnswerForm>,
) -> Response {
    let sender = Sender::of(&context.store, &context.urls).await;
    let compose = |view: &QuestionView, text: &str| -> NewMail { mail_text::answer_mail(&sender, view, text) };
    let mailer: Option<AnswerMailer<'_>> = visitor.settings.mail.as_ref().map(|_| &compose as _);
    match questions::answer(&context.store, &member, id, &form.answer, mailer).await {
        Ok(Answered::Mailed) => Redirect::to("/coordinatie?gedaan=antwoord-gemaild#vragen").into_response(),
        Ok(Answered::GetInTouch) => Redirect::to("/coordinatie?gedaan=antwoord-bellen#vragen").into_response(),
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}
