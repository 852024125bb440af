//! Events on the pages: taking part (and leaving, answering the organiser's questions),
//! organisers deciding on participants in approval mode, the event's calendar file for any
//! event the visitor may see, and the form for a new event (whose fields the organisers'
//! page, [`super::organise`], shares).

use super::extract::{LoggedIn, MemberForm};
use super::layout::{Frame, error_page, render, say};
use super::visitor::Visitor;
use askama::Template;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::model::{
    Actor, Answers, Event, EventDraft, EventQuestions, JoinMode, ParticipationState, Place, SeriesRule, Visibility,
};
use buurtnet_domain::ops;
use buurtnet_domain::{DomainError, store};
use buurtnet_federation::Context;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::collections::BTreeMap;

/// What a visitor sees of their own participation, and what the organisers see.
pub struct RsvpView {
    /// `none`, `pending`, `accepted`, `rejected`.
    pub mine: &'static str,
    pub can_join: bool,
    /// (participation id, who, state, pending) for the organisers.
    pub participants: Option<Vec<(i64, String, String, bool)>>,
    /// What the organiser asks of those who join.
    pub questions: EventQuestions,
    /// The organisers closed registration.
    pub closed: bool,
    /// The organisers' own page, for them.
    pub organise_href: Option<String>,
    /// The sign-up form for visitors without an account (a public event of ours, open).
    pub guest: Option<super::guests::GuestPart>,
}

/// The RSVP part of an event's page.
pub async fn rsvp_view(
    context: &Context,
    visitor: &Visitor,
    post: &buurtnet_domain::model::Post,
    event: &Event,
    organiser: bool,
) -> Result<RsvpView, DomainError> {
    let post_id = post.id;
    let joinable = !event.is_cancelled() && event.join_mode != JoinMode::External;
    let tr = visitor.tr;
    let mine = match visitor.member() {
        Some(member) => match ops::rsvp::mine(&context.store, member, post_id).await?.map(|p| p.state) {
            Some(ParticipationState::Pending) => "pending",
            Some(ParticipationState::Accepted | ParticipationState::Tentative) => "accepted",
            Some(ParticipationState::Rejected) => "rejected",
            _ => "none",
        },
        None => "none",
    };
    let participants = match (organiser, visitor.member()) {
        (true, Some(member)) => Some(
            ops::rsvp::participants(&context.store, member, post_id)
                .await?
                .into_iter()
                .filter(|(p, _)| p.state != ParticipationState::Left)
                .map(|(p, who)| {
                    let state = match p.state {
                        ParticipationState::Pending => tr.t("rsvp-state-pending"),
                        ParticipationState::Rejected => tr.t("rsvp-state-rejected"),
                        _ => tr.t("rsvp-state-accepted"),
                    };
                    (p.id, format!("{} (@{})", who.display_name, who.handle()), state, p.state == ParticipationState::Pending)
                })
                .collect(),
        ),
        _ => None,
    };
    let open = joinable && !event.registration_closed;
    let for_guests = open && post.is_local && visitor.member().is_none() && ops::visibility::may_read(&context.store, post, None).await?;
    Ok(RsvpView {
        mine,
        can_join: joinable && visitor.member().is_some() && !organiser,
        participants,
        questions: event.questions(),
        closed: event.registration_closed,
        organise_href: organiser.then(|| format!("/bericht/{post_id}/organiseren")),
        guest: for_guests.then(super::guests::GuestPart::default),
    })
}

#[derive(serde::Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub decision: String,
}

/// "Ik doe mee", with the answers to the organiser's questions.
#[derive(serde::Deserialize)]
pub struct JoinForm {
    /// `ja` when a lift is needed.
    #[serde(default)]
    lift: String,
    #[serde(default)]
    diet: String,
}

/// The answers as the domain takes them (it keeps only those asked).
pub fn answers(lift: &str, diet: &str) -> Answers {
    Answers { needs_lift: Some(lift == "ja"), diet: Some(diet.to_string()) }
}

async fn post_ap_id(context: &Context, id: i64) -> Result<String, DomainError> {
    Ok(store::posts::by_id(&mut context.store.conn().await?, id).await.map_err(|_| DomainError::NotFound)?.ap_id)
}

/// "Ik doe mee".
pub async fn join(context: Context, Path(id): Path<i64>, MemberForm { visitor, member, form }: MemberForm<JoinForm>) -> Response {
    let result = match post_ap_id(&context, id).await {
        Ok(ap_id) => ops::rsvp::join_answering(&context.store, &context.urls, &member, &ap_id, answers(&form.lift, &form.diet)).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(participation) => {
            context.wake_delivery();
            let done = if participation.state == ParticipationState::Accepted { "aangemeld" } else { "aangevraagd" };
            Redirect::to(&format!("/bericht/{id}?gedaan={done}")).into_response()
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// "Ik kan toch niet".
pub async fn leave(context: Context, Path(id): Path<i64>, MemberForm { visitor, member, form: _ }: MemberForm<CsrfForm>) -> Response {
    let result = match post_ap_id(&context, id).await {
        Ok(ap_id) => ops::rsvp::leave(&context.store, &member, &ap_id).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => {
            context.wake_delivery();
            Redirect::to(&format!("/bericht/{id}?gedaan=afgemeld")).into_response()
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// An organiser lets a participant in, or not.
pub async fn decide(
    context: Context,
    Path((id, participation)): Path<(i64, i64)>,
    MemberForm { visitor, member, form }: MemberForm<CsrfForm>,
) -> Response {
    match ops::rsvp::decide(&context.store, &member, participation, form.decision == "accept").await {
        Ok(p) if p.event_post_id == id => {
            context.wake_delivery();
            Redirect::to(&format!("/bericht/{id}?gedaan=beslist")).into_response()
        }
        Ok(_) => super::not_found(context, visitor).await,
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// The event as an iCalendar file, for any event this node holds that the visitor may see.
pub async fn calendar_file(context: Context, visitor: Visitor, Path(id): Path<i64>) -> Response {
    let reader = visitor.member().map(|m| m.ap_id.clone());
    calendar_download(&context, &visitor, "activiteit", ops::calendar::for_event(&context.store, id, reader.as_deref()).await).await
}

/// A calendar file to download as `{name}.ics`, or the page saying why not.
pub(super) async fn calendar_download(context: &Context, visitor: &Visitor, name: &str, ics: Result<String, DomainError>) -> Response {
    match ics {
        Ok(ics) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.ics\"")),
            ],
            ics,
        )
            .into_response(),
        Err(e) => error_page(context, visitor, &e).await,
    }
}

/// What the event form holds; kept when something must be corrected.
#[derive(serde::Deserialize, Default, Clone)]
pub struct EventForm {
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub online_url: String,
    #[serde(default)]
    pub capacity: String,
    /// `free`, `approval` or `external`.
    #[serde(default)]
    pub join_mode: String,
    #[serde(default)]
    pub visibility: String,
    /// `ja` when those who join are asked whether they need a lift.
    #[serde(default)]
    pub asks_lift: String,
    /// `ja` when those who join are asked for a diet wish.
    #[serde(default)]
    pub asks_diet: String,
    /// `ja` when "Dit is een maaltijd" is ticked (`EventDraft::mark_meal`).
    #[serde(default)]
    pub meal: String,
    /// How often it comes back: empty (once), `weekly`, `fortnightly`, `monthly_day` or
    /// `monthly_weekday` (see `model::Repeat`); with a last date or a count.
    #[serde(default)]
    pub repeat: String,
    #[serde(default)]
    pub repeat_until: String,
    #[serde(default)]
    pub repeat_count: String,
    /// `preview` or `publish`.
    #[serde(default)]
    action: String,
}

impl EventForm {
    /// The questions the form chose.
    pub fn questions(&self) -> EventQuestions {
        EventQuestions { lift: self.asks_lift == "ja", diet: self.asks_diet == "ja" }
    }

    /// The form filled in with an event as it is, in its own time zone.
    pub fn of(event: &Event) -> EventForm {
        let zone: chrono_tz::Tz = event.timezone.parse().unwrap_or(chrono_tz::Europe::Amsterdam);
        let at = |ms: i64| chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().with_timezone(&zone);
        let yes = |b: bool| if b { "ja".to_string() } else { String::new() };
        EventForm {
            title: event.title.clone(),
            description: event.description.clone(),
            date: at(event.starts_at).format("%Y-%m-%d").to_string(),
            start: at(event.starts_at).format("%H:%M").to_string(),
            end: event.ends_at.map(|e| at(e).format("%H:%M").to_string()).unwrap_or_default(),
            place: event.place_name.clone().unwrap_or_default(),
            address: event.place_address.clone().unwrap_or_default(),
            online_url: event.online_url.clone().unwrap_or_default(),
            capacity: event.capacity.map(|c| c.to_string()).unwrap_or_default(),
            join_mode: match event.join_mode {
                JoinMode::Free => "free",
                JoinMode::Approval => "approval",
                JoinMode::External => "external",
            }
            .into(),
            asks_lift: yes(event.asks_lift),
            asks_diet: yes(event.asks_diet),
            meal: yes(event.draft().is_meal()),
            ..EventForm::default()
        }
    }
}

#[derive(Template)]
#[template(path = "event_form.html")]
struct EventFormPage {
    frame: Frame,
    form: EventForm,
    initiatives: Vec<(String, String)>,
    errors: BTreeMap<&'static str, String>,
    /// The event as readers will see it (sanitised HTML).
    preview: Option<String>,
}

async fn event_form(
    context: &Context,
    visitor: &Visitor,
    member: &Actor,
    form: EventForm,
    errors: BTreeMap<&'static str, String>,
    preview: Option<String>,
) -> EventFormPage {
    let initiatives = super::proposals::initiatives_for(context, member).await;
    EventFormPage { frame: Frame::new(context, visitor, visitor.tr.t("new-event-title")).await, form, initiatives, errors, preview }
}

pub async fn new_page(context: Context, LoggedIn { visitor, member }: LoggedIn) -> Response {
    let form = EventForm { join_mode: "free".into(), author: "self".into(), ..Default::default() };
    let page = event_form(&context, &visitor, &member, form, BTreeMap::new(), None).await;
    render(&visitor, StatusCode::OK, &page)
}

/// The draft, or the fields the form itself refuses (dates and times people type).
pub(super) fn event_draft(form: &EventForm, tr: super::i18n::Tr) -> Result<EventDraft, BTreeMap<&'static str, String>> {
    let mut errors = BTreeMap::new();
    let date = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d").ok();
    let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").ok();
    if date.is_none() {
        errors.insert("date", tr.t("form-date-needed"));
    }
    let start = time(&form.start);
    if start.is_none() {
        errors.insert("start", tr.t("form-time-needed"));
    }
    let end = if form.end.trim().is_empty() {
        None
    } else {
        time(&form.end).or_else(|| {
            errors.insert("end", tr.t("form-time-needed"));
            None
        })
    };
    let capacity = match form.capacity.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.insert("capacity", tr.t("form-number-needed"));
                None
            }
        },
    };
    let (Some(date), Some(start)) = (date, start) else { return Err(errors) };
    if !errors.is_empty() {
        return Err(errors);
    }
    let zone = buurtnet_domain::model::DEFAULT_TIMEZONE;
    let at = |t: NaiveTime| EventDraft::local_to_utc(NaiveDateTime::new(date, t), zone);
    let starts_at = at(start).map_err(|_| BTreeMap::from([("start", tr.t("form-time-needed"))]))?;
    let ends_at = match end {
        Some(end) => Some(at(end).map_err(|_| BTreeMap::from([("end", tr.t("form-time-needed"))]))?),
        None => None,
    };
    let place = Some(form.place.trim().to_string()).filter(|p| !p.is_empty()).map(|name| Place {
        name,
        address: Some(form.address.trim().to_string()).filter(|a| !a.is_empty()),
        latitude: None,
        longitude: None,
    });
    let mut draft = EventDraft {
        title: form.title.clone(),
        description: form.description.clone(),
        starts_at,
        ends_at,
        timezone: zone.to_string(),
        place,
        online_url: Some(form.online_url.trim().to_string()).filter(|u| !u.is_empty()),
        capacity,
        join_mode: JoinMode::parse(&form.join_mode),
    };
    // On a new event an empty tick leaves what was typed; the organisers' page takes it out.
    if form.meal == "ja" {
        draft.mark_meal(true);
    }
    Ok(draft)
}

/// One event, or the first date of a series with the dates of the coming weeks.
async fn publish(
    context: &Context,
    who: (&Actor, &Actor),
    form: &EventForm,
    draft: &EventDraft,
    visibility: Visibility,
) -> Result<buurtnet_domain::model::Post, DomainError> {
    let first = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d").unwrap_or_default();
    match SeriesRule::from_form(&form.repeat, &form.repeat_until, &form.repeat_count, first)? {
        None => ops::events::publish_asking(&context.store, &context.urls, who, draft, visibility, form.questions()).await,
        Some(rule) => {
            let what = (draft, visibility, form.questions());
            Ok(ops::series::start(&context.store, &context.urls, who, what, rule).await?.1)
        }
    }
}

pub async fn submit(context: Context, MemberForm { visitor, member, form }: MemberForm<EventForm>) -> Response {
    let tr = visitor.tr;
    let again = async |form: EventForm, errors: BTreeMap<&'static str, String>, preview: Option<String>| {
        let status = if preview.is_some() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        let page = event_form(&context, &visitor, &member, form, errors, preview).await;
        render(&visitor, status, &page)
    };
    let draft = match event_draft(&form, tr) {
        Ok(draft) => draft,
        Err(errors) => return again(form, errors, None).await,
    };
    if form.action == "preview" {
        return match draft.validate() {
            Ok(()) => {
                let preview = ops::events::render(&draft);
                again(form, BTreeMap::new(), Some(preview)).await
            }
            Err(e) => match super::layout::field_errors(e, tr) {
                Ok(errors) => again(form, errors, None).await,
                Err(e) => error_page(&context, &visitor, &e).await,
            },
        };
    }
    let author = match super::proposals::chosen_author(&context, &member, &form.author).await {
        Ok(author) => author,
        Err(e) => return error_page(&context, &visitor, &e).await,
    };
    let visibility = Visibility::parse(&form.visibility).unwrap_or(Visibility::Public);
    match publish(&context, (&member, &author), &form, &draft, visibility).await {
        Ok(post) => super::layout::posted(&context, post.id),
        Err(DomainError::Invalid(list)) => {
            let errors = list.into_iter().map(|v| (v.field, say(&v.message, tr))).collect();
            again(form, errors, None).await
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}
