//! A coalition's week for people (issue 16): `/coalitie/{slug}/week` (all the members'
//! activities, day by day, seven days from today or from `?van=`), `/coalitie/{slug}/eten`
//! (only the meals: "Waar kan ik deze week eten?"), both printable on one A4 for a notice
//! board; and the short version the coalition's own page opens with. The reading is
//! `ops::coalition_week`'s, which asks `ops::visibility` for every event.

use super::page::hosted_or_not_found;
use crate::html::i18n::Tr;
use crate::html::layout::{Frame, error_page, render};
use crate::html::visitor::Visitor;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use buurtnet_domain::ops::coalition_week::{self, Day, Item, Show};
use buurtnet_federation::Context;
use chrono::{Days, NaiveDate, TimeZone};

/// One activity as the week shows it: "17:30 tot 19:30", its title, place and initiative.
pub struct ItemView {
    pub href: String,
    pub title: String,
    pub time: String,
    pub place: String,
    pub by: String,
    pub cancelled: bool,
    pub meal: bool,
}

/// A day with its heading ("maandag 14 december") and its activities.
pub struct DayView {
    pub id: String,
    pub heading: String,
    pub items: Vec<ItemView>,
}

/// "maandag 14 december" / "Monday 14 December".
pub fn day_heading(date: NaiveDate, tr: Tr) -> String {
    crate::html::dates::weekday_day_month(date, tr)
}

/// "17:30" or "17:30 tot 19:30", in the event's own time zone.
fn times(item: &Item, tr: Tr) -> String {
    let tz: chrono_tz::Tz = item.event.timezone.parse().unwrap_or(chrono_tz::Europe::Amsterdam);
    let at = |ms: i64| tz.timestamp_millis_opt(ms).single().map(|t| t.format("%H:%M").to_string()).unwrap_or_default();
    match item.event.ends_at {
        Some(end) => tr.with("week-time-range", &[("from", at(item.event.starts_at)), ("until", at(end))]),
        None => at(item.event.starts_at),
    }
}

fn item_view(item: &Item, tr: Tr) -> ItemView {
    let place = match (&item.event.place_name, &item.event.place_address) {
        (Some(name), Some(address)) if !address.trim().is_empty() => format!("{name}, {address}"),
        (Some(name), _) => name.clone(),
        (None, _) => item.event.online_url.as_ref().map(|_| tr.t("event-online")).unwrap_or_default(),
    };
    let by = if item.author.display_name.is_empty() { item.author.username.clone() } else { item.author.display_name.clone() };
    ItemView {
        href: format!("/bericht/{}", item.post.id),
        title: item.event.title.clone(),
        time: times(item, tr),
        place,
        by,
        cancelled: item.event.is_cancelled(),
        meal: item.meal,
    }
}

/// The days that have activities, as the pages show them.
pub fn day_views(days: &[Day], tr: Tr) -> Vec<DayView> {
    days.iter()
        .filter(|d| !d.items.is_empty())
        .map(|d| DayView {
            id: format!("dag-{}", d.date.format("%Y-%m-%d")),
            heading: day_heading(d.date, tr),
            items: d.items.iter().map(|i| item_view(i, tr)).collect(),
        })
        .collect()
}

#[derive(serde::Deserialize, Default)]
pub struct WeekQuery {
    /// The first day shown (`2026-12-14`); today when absent or unreadable.
    #[serde(default)]
    van: String,
}

#[derive(Template)]
#[template(path = "coalition_week.html")]
struct WeekPage {
    frame: Frame,
    slug: String,
    name: String,
    meals: bool,
    /// "14 tot en met 20 december".
    period: String,
    days: Vec<DayView>,
    /// `?van=` of the week before (none before today) and after.
    previous: Option<String>,
    next: String,
    /// Whether the visitor coordinates a member (then a hint on marking meals).
    coordinator: bool,
}

/// `/coalitie/{slug}/week`: the members' activities for seven days.
pub async fn week(context: Context, visitor: Visitor, Path(slug): Path<String>, Query(query): Query<WeekQuery>) -> Response {
    week_page(context, visitor, slug, query, Show::All).await
}

/// `/coalitie/{slug}/eten`: the members' meals for seven days.
pub async fn meals(context: Context, visitor: Visitor, Path(slug): Path<String>, Query(query): Query<WeekQuery>) -> Response {
    week_page(context, visitor, slug, query, Show::Meals).await
}

async fn week_page(context: Context, visitor: Visitor, slug: String, query: WeekQuery, show: Show) -> Response {
    let hosted = match hosted_or_not_found(&context, &visitor, &slug).await {
        Ok(hosted) => hosted,
        Err(response) => return response,
    };
    let tr = visitor.tr;
    let today = coalition_week::today();
    let from = NaiveDate::parse_from_str(query.van.trim(), "%Y-%m-%d").unwrap_or(today);
    let days = match coalition_week::week(&context.store, &hosted.coalition, visitor.member(), from, show).await {
        Ok(days) => days,
        Err(e) => return error_page(&context, &visitor, &e).await,
    };
    let coordinator = match visitor.member() {
        Some(member) => super::acting_for(&context, member, &hosted.state).await.map(|a| !a.is_empty()).unwrap_or(false),
        None => false,
    };
    let step = Days::new(coalition_week::DAYS);
    let last = from.checked_add_days(Days::new(coalition_week::DAYS - 1)).unwrap_or(from);
    let name = hosted.name().to_string();
    let title = if show == Show::Meals { tr.t("week-meals-title") } else { tr.t1("week-title", "name", &name) };
    let page = WeekPage {
        frame: Frame::new(&context, &visitor, title).await,
        slug,
        name,
        meals: show == Show::Meals,
        period: tr.with("week-period", &[("from", day_heading(from, tr)), ("until", day_heading(last, tr))]),
        days: day_views(&days, tr),
        previous: (from > today)
            .then(|| from.checked_sub_days(step).filter(|d| *d >= today).unwrap_or(today).format("%Y-%m-%d").to_string()),
        next: from.checked_add_days(step).unwrap_or(from).format("%Y-%m-%d").to_string(),
        coordinator,
    };
    render(&visitor, StatusCode::OK, &page)
}
