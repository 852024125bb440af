//! The organisers' page of an event (`/bericht/{id}/organiseren`), for its author or a
//! coordinator of the initiative that posted it: change its text and details or move it
//! (everyone taking part hears, here and on other nodes: `ops::events::update_asking`),
//! cancel it, close or reopen registration, add a guest by name, and the list of everyone
//! taking part with the answers to the chosen questions and, for guests, how to reach them
//! (or that they get no mail, so the organisers phone), each with an "Afmelden" button.
//! Guests with an e-mail address hear of a move, a cancellation, a decision or being taken
//! off the list by mail (`GuestMail`). For a date of a repeating event: skip one of its
//! coming dates (chosen from a list, or typed in when further ahead) or stop the series.
//! The domain decides who may; anyone else gets "not allowed" and nothing changes.

use super::events::{CsrfForm, EventForm, answers, event_draft};
use super::extract::{LoggedIn, MemberForm};
use super::guests::GuestMail;
use super::i18n::Tr;
use super::layout::{Frame, error_page, field_errors, render};
use super::visitor::Visitor;
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::model::{Actor, ParticipationState};
use buurtnet_domain::ops::registrations::{self, OnList, Registrant};
use buurtnet_domain::{DomainError, ops};
use buurtnet_federation::Context;
use std::collections::BTreeMap;

/// One line of the list, in words.
pub struct RegistrantView {
    pub who: String,
    /// How to reach a guest who signed up herself.
    pub contact: Option<String>,
    pub state: String,
    /// "Heeft vervoer nodig", the diet wish: the answers given.
    pub answers: Vec<String>,
    /// For a guest waiting for a decision: where the decision goes.
    pub decide_href: Option<String>,
    /// A guest who gets no mail when the event changes: the organisers phone her.
    pub phone_only: bool,
    /// Whom the "Afmelden" button takes off the list (`lid-{id}`, `gast-{id}`), while on it.
    pub remove: Option<String>,
}

#[derive(Template)]
#[template(path = "event_organise.html")]
struct OrganisePage {
    frame: Frame,
    id: i64,
    form: EventForm,
    errors: BTreeMap<&'static str, String>,
    cancelled: bool,
    closed: bool,
    asks_lift: bool,
    asks_diet: bool,
    /// The add-a-guest form as sent.
    guest_name: String,
    registrants: Vec<RegistrantView>,
    /// Whether this is a date of a repeating event that still runs (skip a date, stop).
    in_series: bool,
    /// (`YYYY-MM-DD`, "dinsdag 15 december, 17:30") of the series' coming dates, to skip one.
    coming: Vec<(String, String)>,
}

fn state_words(state: ParticipationState, tr: Tr) -> String {
    tr.t(match state {
        ParticipationState::Pending => "rsvp-state-pending",
        ParticipationState::Rejected => "rsvp-state-rejected",
        ParticipationState::Left => "organise-state-left",
        _ => "rsvp-state-accepted",
    })
}

fn view(id: i64, registrant: &Registrant, tr: Tr) -> RegistrantView {
    let (needs_lift, diet) = match registrant {
        Registrant::Member(p, _) => (p.needs_lift, p.diet.clone()),
        Registrant::Guest(g) => (g.needs_lift, g.diet.clone()),
    };
    let mut answers = Vec::new();
    if needs_lift == Some(true) {
        answers.push(tr.t("organise-needs-lift"));
    }
    if let Some(diet) = diet {
        answers.push(tr.t1("organise-diet", "diet", diet));
    }
    let phone_only = matches!(registrant, Registrant::Guest(g) if g.email.is_none() && g.phone.is_some());
    let remove = registrant.state().is_interested().then(|| match registrant {
        Registrant::Member(p, _) => format!("lid-{}", p.id),
        Registrant::Guest(g) => format!("gast-{}", g.id),
    });
    let (who, contact, decide_href) = match registrant {
        Registrant::Member(_, actor) => (format!("{} (@{})", actor.display_name, actor.handle()), None, None),
        Registrant::Guest(g) => {
            let contact = [g.phone.clone(), g.email.clone()].into_iter().flatten().collect::<Vec<_>>().join(", ");
            let kind = if g.added_by.is_some() { "organise-guest-added" } else { "organise-guest" };
            let decide = (g.state == ParticipationState::Pending).then(|| format!("/bericht/{id}/gasten/{}", g.id));
            (format!("{} ({})", g.name, tr.t(kind)), Some(contact).filter(|c| !c.is_empty()), decide)
        }
    };
    RegistrantView { who, contact, state: state_words(registrant.state(), tr), answers, decide_href, phone_only, remove }
}

/// The page as it is, with `form` and `errors` when something must be corrected.
async fn page_of(
    context: &Context,
    visitor: &Visitor,
    member: &Actor,
    id: i64,
    form: Option<EventForm>,
    errors: BTreeMap<&'static str, String>,
) -> Result<OrganisePage, DomainError> {
    let tr = visitor.tr;
    let (event, registrants) = registrations::list(&context.store, member, id).await?;
    let series = ops::series::of_post(&context.store, id).await?.filter(|s| !s.stopped);
    let coming = match &series {
        Some(s) => ops::series::coming(&context.store, member, s.id).await?,
        None => vec![],
    };
    Ok(OrganisePage {
        frame: Frame::new(context, visitor, tr.with("organise-title", &[("title", event.title.clone())])).await,
        id,
        form: form.unwrap_or_else(|| EventForm::of(&event)),
        errors,
        cancelled: event.is_cancelled(),
        closed: event.registration_closed,
        asks_lift: event.asks_lift,
        asks_diet: event.asks_diet,
        guest_name: String::new(),
        registrants: registrants.iter().filter(|r| r.state() != ParticipationState::Left).map(|r| view(id, r, tr)).collect(),
        in_series: series.is_some(),
        coming: coming
            .iter()
            .filter_map(|d| d.event.as_ref().map(|e| (d.planned.to_string(), super::local_time(e.starts_at, tr))))
            .collect(),
    })
}

async fn show(context: &Context, visitor: &Visitor, page: Result<OrganisePage, DomainError>, status: StatusCode) -> Response {
    match page {
        Ok(page) => render(visitor, status, &page),
        Err(e) => error_page(context, visitor, &e).await,
    }
}

/// `GET /bericht/{id}/organiseren`.
pub async fn page(context: Context, Path(id): Path<i64>, LoggedIn { visitor, member }: LoggedIn) -> Response {
    let page = page_of(&context, &visitor, &member, id, None, BTreeMap::new()).await;
    show(&context, &visitor, page, StatusCode::OK).await
}

/// The page again with `key` said under `field`: a "yes, I am sure" was not ticked, or a
/// field must be corrected.
async fn again(context: &Context, visitor: &Visitor, member: &Actor, id: i64, (field, key): (&'static str, &str)) -> Response {
    let errors = BTreeMap::from([(field, visitor.tr.t(key))]);
    let page = page_of(context, visitor, member, id, None, errors).await;
    show(context, visitor, page, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// Back to the organiser's page; the layout says what was done (`notice-{done}`).
fn back(id: i64, done: &str) -> Response {
    Redirect::to(&format!("/bericht/{id}/organiseren?gedaan={done}")).into_response()
}

/// `POST /bericht/{id}/organiseren`: new text, details, time or place, and the questions.
pub async fn save(context: Context, Path(id): Path<i64>, MemberForm { visitor, member, form }: MemberForm<EventForm>) -> Response {
    let draft = match event_draft(&form, visitor.tr) {
        Ok(mut draft) => {
            draft.mark_meal(form.meal == "ja");
            draft
        }
        Err(errors) => {
            let page = page_of(&context, &visitor, &member, id, Some(form), errors).await;
            return show(&context, &visitor, page, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let mail = GuestMail::of(&context, &visitor).await;
    match ops::events::update_asking(&context.store, &member, id, &draft, (Some(form.questions()), mail.teller())).await {
        Ok(_) => {
            context.wake_delivery();
            back(id, "opgeslagen")
        }
        Err(e) => match field_errors(e, visitor.tr) {
            Ok(errors) => {
                let page = page_of(&context, &visitor, &member, id, Some(form), errors).await;
                show(&context, &visitor, page, StatusCode::UNPROCESSABLE_ENTITY).await
            }
            Err(e) => error_page(&context, &visitor, &e).await,
        },
    }
}

#[derive(serde::Deserialize)]
pub struct SureForm {
    #[serde(default)]
    sure: String,
}

/// `POST /bericht/{id}/afgelasten`: only with "ja, afgelasten" ticked.
pub async fn cancel(context: Context, Path(id): Path<i64>, MemberForm { visitor, member, form }: MemberForm<SureForm>) -> Response {
    if form.sure != "ja" {
        return again(&context, &visitor, &member, id, ("sure", "organise-cancel-sure-needed")).await;
    }
    let mail = GuestMail::of(&context, &visitor).await;
    match ops::events::cancel_telling(&context.store, &member, id, mail.teller()).await {
        Ok(_) => {
            context.wake_delivery();
            back(id, "afgelast")
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

#[derive(serde::Deserialize)]
pub struct SkipForm {
    /// One of the coming dates, chosen from the list.
    #[serde(default)]
    date: String,
    /// A date further ahead, typed in.
    #[serde(default)]
    other_date: String,
}

/// `POST /bericht/{id}/reeks/overslaan`: a date (`YYYY-MM-DD`) of this event's series does
/// not take place; cancelled (and its participants told, guests by mail) when it was published.
pub async fn skip(context: Context, Path(id): Path<i64>, MemberForm { visitor, member, form }: MemberForm<SkipForm>) -> Response {
    let chosen = if form.date.trim().is_empty() { &form.other_date } else { &form.date };
    let Ok(date) = chrono::NaiveDate::parse_from_str(chosen.trim(), "%Y-%m-%d") else {
        return again(&context, &visitor, &member, id, ("skip_date", "form-date-needed")).await;
    };
    let mail = GuestMail::of(&context, &visitor).await;
    let result = async {
        let series = ops::series::of_post(&context.store, id).await?.ok_or(DomainError::NotFound)?;
        ops::series::skip(&context.store, &member, series.id, date, mail.teller()).await
    }
    .await;
    match result {
        Ok(()) => {
            context.wake_delivery();
            back(id, "overgeslagen")
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// `POST /bericht/{id}/reeks/stoppen`: with `sure=ja`, no new dates; the dates to come are
/// cancelled.
pub async fn stop(context: Context, Path(id): Path<i64>, MemberForm { visitor, member, form }: MemberForm<SureForm>) -> Response {
    if form.sure != "ja" {
        return again(&context, &visitor, &member, id, ("stop_sure", "organise-series-stop-sure-needed")).await;
    }
    let mail = GuestMail::of(&context, &visitor).await;
    let result = async {
        let series = ops::series::of_post(&context.store, id).await?.ok_or(DomainError::NotFound)?;
        ops::series::stop(&context.store, &member, series.id, mail.teller()).await
    }
    .await;
    match result {
        Ok(()) => {
            context.wake_delivery();
            back(id, "gestopt")
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

#[derive(serde::Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    open: String,
}

/// `POST /bericht/{id}/inschrijving`: `open=ja` reopens, anything else closes.
pub async fn registration(context: Context, Path(id): Path<i64>, MemberForm { visitor, member, form }: MemberForm<OpenForm>) -> Response {
    let open = form.open == "ja";
    match registrations::set_open(&context.store, &member, id, open).await {
        Ok(_) => back(id, if open { "geopend" } else { "gesloten" }),
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

#[derive(serde::Deserialize)]
pub struct AddGuestForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    lift: String,
    #[serde(default)]
    diet: String,
}

/// `POST /bericht/{id}/gasten`: someone without an account, by name.
pub async fn add_guest(context: Context, Path(id): Path<i64>, MemberForm { visitor, member, form }: MemberForm<AddGuestForm>) -> Response {
    match ops::guests::add(&context.store, &member, id, &form.name, answers(&form.lift, &form.diet)).await {
        Ok(_) => {
            context.wake_delivery();
            back(id, "gast-toegevoegd")
        }
        Err(e) => match field_errors(e, visitor.tr) {
            Ok(errors) => {
                let errors = errors
                    .into_iter()
                    .map(|(field, message)| (if field == "name" { "guest_name" } else { "guest_diet" }, message))
                    .collect();
                let page =
                    page_of(&context, &visitor, &member, id, None, errors).await.map(|p| OrganisePage { guest_name: form.name, ..p });
                show(&context, &visitor, page, StatusCode::UNPROCESSABLE_ENTITY).await
            }
            Err(e) => error_page(&context, &visitor, &e).await,
        },
    }
}

/// `POST /bericht/{id}/gasten/{guest}`: an organiser lets a guest in, or not.
pub async fn decide_guest(
    context: Context,
    Path((id, guest)): Path<(i64, i64)>,
    MemberForm { visitor, member, form }: MemberForm<CsrfForm>,
) -> Response {
    let mail = GuestMail::of(&context, &visitor).await;
    match ops::guests::decide(&context.store, &member, guest, form.decision == "accept", mail.teller()).await {
        Ok(g) if g.event_post_id == id => {
            context.wake_delivery();
            back(id, "beslist")
        }
        Ok(_) => super::not_found(context, visitor).await,
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

#[derive(serde::Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    who: String,
    #[serde(default)]
    sure: String,
}

/// Whom a `who` of the list means (`lid-{id}`, `gast-{id}`).
fn on_list(who: &str) -> Option<OnList> {
    match who.split_once('-')? {
        ("lid", n) => n.parse().ok().map(OnList::Member),
        ("gast", n) => n.parse().ok().map(OnList::Guest),
        _ => None,
    }
}

/// `POST /bericht/{id}/organiseren/afmelden`: an organiser takes someone off the list, with "ja" ticked.
pub async fn remove(context: Context, Path(id): Path<i64>, MemberForm { visitor, member, form }: MemberForm<RemoveForm>) -> Response {
    let Some(who) = on_list(&form.who) else { return super::not_found(context, visitor).await };
    if form.sure != "ja" {
        return again(&context, &visitor, &member, id, ("remove_sure", "organise-remove-sure-needed")).await;
    }
    let mail = GuestMail::of(&context, &visitor).await;
    match registrations::remove(&context.store, &member, id, who, mail.teller()).await {
        Ok(()) => {
            context.wake_delivery();
            back(id, "van-de-lijst")
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}
