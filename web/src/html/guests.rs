//! Signing up for an event without an account, on the event's page (public events of this
//! node, registration open). A sign-up must pass, in this order: the CSRF token,
//! [`Kind::Guest`] (a few an hour per address), an empty honeypot field (robots that fill it
//! are thanked and nothing is kept), then the domain's rules (`ops::guests::sign_up`: a
//! name, a phone number or e-mail address, room, the join mode). The guest gets a page with
//! her cancel link, mailed too when she gave an e-mail address and the node sends mail.
//! The cancel link (`/activiteit-afmelden/{token}`) asks once, then frees the place.

use super::extract::GenuineForm;
use super::layout::{Frame, error_page, field_errors, render};
use super::mail_text::{self, Sender};
use super::visitor::Visitor;
use crate::limits::{ClientAddress, Kind, Limits};
use askama::Template;
use axum::Extension;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use buurtnet_domain::model::{Event, Guest, GuestDraft, ParticipationState};
use buurtnet_domain::ops::guests::{self, GuestMailer, GuestNews, GuestTeller};
use buurtnet_domain::store::mail::NewMail;
use buurtnet_domain::{DomainError, ops};
use buurtnet_federation::Context;
use std::collections::BTreeMap;
use std::sync::Arc;

type Compose = dyn Fn(&Event, &Guest, GuestNews) -> NewMail + Send + Sync;

/// The mails that tell guests news about their event, when this node sends mail.
pub struct GuestMail {
    compose: Box<Compose>,
    sends: bool,
}

impl GuestMail {
    pub async fn of(context: &Context, visitor: &Visitor) -> GuestMail {
        let sender = Sender::of(&context.store, &context.urls).await;
        GuestMail {
            compose: Box::new(move |event, guest, news| mail_text::guest_news_mail(&sender, event, guest, news)),
            sends: visitor.settings.mail.is_some(),
        }
    }

    /// What the domain calls to write each mail; `None` when the node sends no mail.
    pub fn teller(&self) -> Option<GuestTeller<'_>> {
        self.sends.then_some(&*self.compose as GuestTeller<'_>)
    }
}

/// What the guest form holds.
#[derive(serde::Deserialize, Default, Clone)]
pub struct GuestForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// `ja` when a lift is needed.
    #[serde(default)]
    pub lift: String,
    #[serde(default)]
    pub diet: String,
    /// The honeypot: hidden from people, filled in by robots.
    #[serde(default)]
    website: String,
}

/// The guest form on an event's page: what was typed and what is wrong.
#[derive(Default)]
pub struct GuestPart {
    pub form: GuestForm,
    pub errors: BTreeMap<&'static str, String>,
}

#[derive(Template)]
#[template(path = "guest_signed_up.html")]
struct SignedUpPage {
    frame: Frame,
    event_title: String,
    event_href: String,
    /// Waiting for the organisers (approval mode).
    waiting: bool,
    /// `None` for a robot, who gets thanked and nothing else.
    cancel_url: Option<String>,
    mailed: bool,
}

/// `POST /bericht/{id}/aanmelden-als-gast`.
pub async fn sign_up(
    context: Context,
    Extension(limits): Extension<Arc<Limits>>,
    ClientAddress(client): ClientAddress,
    Path(id): Path<i64>,
    GenuineForm { visitor, form }: GenuineForm<GuestForm>,
) -> Response {
    if limits.check(Kind::Guest, client).is_err() {
        return super::too_many(&context, &visitor, visitor.tr.t("guest-too-many")).await;
    }
    if !form.website.is_empty() {
        return robot_thanked(&context, &visitor, id).await;
    }
    let draft = GuestDraft {
        name: form.name.clone(),
        phone: form.phone.clone(),
        email: form.email.clone(),
        answers: super::events::answers(&form.lift, &form.diet),
        language: visitor.tr.lang.code().to_string(),
    };
    let sender = Sender::of(&context.store, &context.urls).await;
    let tr = visitor.tr;
    let compose = |event: &Event, guest: &Guest, url: &str| -> NewMail { mail_text::guest_mail(&sender, tr, event, guest, url) };
    let mailer: Option<GuestMailer<'_>> = visitor.settings.mail.as_ref().map(|_| &compose as _);
    match guests::sign_up(&context.store, &context.urls, id, &draft, mailer).await {
        Ok(done) => {
            context.wake_delivery();
            let page = SignedUpPage {
                frame: Frame::new(&context, &visitor, visitor.tr.t("guest-signed-up-title")).await,
                event_title: done.event.title.clone(),
                event_href: format!("/bericht/{id}"),
                waiting: done.guest.state == ParticipationState::Pending,
                cancel_url: Some(done.cancel_url),
                mailed: done.mailed,
            };
            render(&visitor, StatusCode::OK, &page)
        }
        Err(e) => match field_errors(e, visitor.tr) {
            Ok(errors) => super::posts::show_with_guest_form(&context, &visitor, id, GuestPart { form, errors }).await,
            Err(e) => error_page(&context, &visitor, &e).await,
        },
    }
}

/// The thank-you page without a link, for a robot that filled the honeypot.
async fn robot_thanked(context: &Context, visitor: &Visitor, id: i64) -> Response {
    let page = SignedUpPage {
        frame: Frame::new(context, visitor, visitor.tr.t("guest-signed-up-title")).await,
        event_title: String::new(),
        event_href: format!("/bericht/{id}"),
        waiting: false,
        cancel_url: None,
        mailed: false,
    };
    render(visitor, StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "guest_cancel.html")]
struct CancelPage {
    frame: Frame,
    event_title: String,
    /// Cancelled now (or before): nothing left to ask.
    done: bool,
}

async fn cancel_page(context: &Context, visitor: &Visitor, token: &str, done: bool) -> Response {
    match guests::by_token(&context.store, token).await {
        Ok(Some((guest, event))) => {
            let page = CancelPage {
                frame: Frame::new(context, visitor, visitor.tr.t("guest-cancel-title")).await,
                event_title: event.title,
                done: done || !guest.state.is_interested(),
            };
            render(visitor, StatusCode::OK, &page)
        }
        Ok(None) => error_page(context, visitor, &DomainError::NotFound).await,
        Err(e) => error_page(context, visitor, &e).await,
    }
}

/// `GET /activiteit-afmelden/{token}`: asks whether she really cannot come.
pub async fn cancel_confirm(context: Context, visitor: Visitor, Path(token): Path<String>) -> Response {
    cancel_page(&context, &visitor, &token, false).await
}

/// `POST /activiteit-afmelden/{token}`: frees the place.
pub async fn cancel(
    context: Context,
    Path(token): Path<String>,
    GenuineForm { visitor, form: _ }: GenuineForm<super::extract::ButtonForm>,
) -> Response {
    match ops::guests::cancel(&context.store, &token).await {
        Ok(true) => {
            context.wake_delivery();
            cancel_page(&context, &visitor, &token, true).await
        }
        Ok(false) => error_page(&context, &visitor, &DomainError::NotFound).await,
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}
