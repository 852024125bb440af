//! The page of a repeating event (`/bericht/{id}/reeks`, for the id of any of its dates):
//! the rule in words and every date known so far, published ones linked, skipped ones
//! marked, moved ones with their new time; and the whole series as one calendar entry
//! (`/bericht/{id}/reeks.ics`). Whoever may read the first date may read these; the domain
//! decides (`ops::series::overview`).

use super::dates::{clock_time, local_day, local_time, weekday_name};
use super::i18n::Tr;
use super::layout::{Frame, error_page, render};
use super::visitor::Visitor;
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use buurtnet_domain::model::{Repeat, Series, week_of_month};
use buurtnet_domain::ops;
use buurtnet_domain::ops::series::{SeriesDay, SeriesOverview};
use buurtnet_federation::Context;

/// The line on a date's event page: "Komt elke week terug · alle datums".
pub struct SeriesLink {
    pub words: String,
    pub href: String,
}

/// One date on the page, in words.
pub struct DayView {
    pub day: String,
    /// Its event page, when it takes place.
    pub href: Option<String>,
    /// "gaat niet door", or the new time of a moved date.
    pub note: Option<String>,
}

#[derive(Template)]
#[template(path = "series.html")]
struct SeriesPage {
    frame: Frame,
    rule: String,
    stopped: bool,
    days: Vec<DayView>,
    calendar_href: String,
}

/// "Komt elke week terug" / "Comes back every week".
pub fn comes_back(repeat: Repeat, tr: Tr) -> String {
    tr.t1("series-comes-back", "repeat", repeat.as_str())
}

/// The link from a date of `series` (the event `post_id`) to the series' page.
pub fn link(series: &Series, post_id: i64, tr: Tr) -> SeriesLink {
    SeriesLink { words: comes_back(series.repeat, tr), href: format!("/bericht/{post_id}/reeks") }
}

/// "Elke week op dinsdag, 17:30", "Elke eerste dinsdag van de maand, 19:00"; `start` is
/// the first date's planned start.
fn rule_in_words(series: &Series, start: i64, tr: Tr) -> String {
    let day = series.first().date();
    let nth = match week_of_month(chrono::Datelike::day(&day)) {
        1 => "first",
        2 => "second",
        3 => "third",
        4 => "fourth",
        _ => "last",
    };
    tr.with(
        "series-rule",
        &[
            ("repeat", series.repeat.as_str().to_string()),
            ("weekday", weekday_name(day, tr)),
            ("day", chrono::Datelike::day(&day).to_string()),
            ("nth", nth.to_string()),
            ("time", clock_time(start)),
        ],
    )
}

fn day_view(day: &SeriesDay, tr: Tr) -> DayView {
    let href = day.event.as_ref().filter(|_| day.takes_place()).map(|e| format!("/bericht/{}", e.post_id));
    let note = match day.moved_to() {
        _ if !day.takes_place() => Some(tr.t("series-not-happening")),
        Some(at) => Some(tr.t1("series-moved-to", "time", local_time(at, tr))),
        None => None,
    };
    let day_text = match day.moved_to() {
        Some(_) => local_day(day.planned, tr),
        None => local_time(day.planned_start.timestamp_millis(), tr),
    };
    DayView { day: day_text, href, note }
}

fn first_start(overview: &SeriesOverview) -> i64 {
    overview.days.first().map_or(overview.first_event.starts_at, |d| d.planned_start.timestamp_millis())
}

/// `GET /bericht/{id}/reeks`.
pub async fn page(context: Context, visitor: Visitor, Path(id): Path<i64>) -> Response {
    let tr = visitor.tr;
    let reader = visitor.member().map(|m| m.ap_id.clone());
    match ops::series::overview(&context.store, id, reader.as_deref()).await {
        Ok(overview) => {
            let title = tr.t1("series-title", "title", overview.first_event.title.clone());
            let page = SeriesPage {
                frame: Frame::new(&context, &visitor, title).await,
                rule: rule_in_words(&overview.series, first_start(&overview), tr),
                stopped: overview.series.stopped,
                days: overview.days.iter().map(|d| day_view(d, tr)).collect(),
                calendar_href: format!("/bericht/{id}/reeks.ics"),
            };
            render(&visitor, StatusCode::OK, &page)
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// `GET /bericht/{id}/reeks.ics`: the series as one entry with its rule, for calendar apps.
pub async fn calendar_file(context: Context, visitor: Visitor, Path(id): Path<i64>) -> Response {
    let reader = visitor.member().map(|m| m.ap_id.clone());
    let ics = ops::series::calendar(&context.store, id, reader.as_deref()).await;
    super::events::calendar_download(&context, &visitor, "reeks", ics).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::i18n::Lang;

    fn series(repeat: Repeat, first_local: &str) -> Series {
        Series {
            id: 1,
            author_id: 1,
            template_post_id: 1,
            repeat,
            until_date: None,
            repeat_count: Some(4),
            first_local: first_local.into(),
            timezone: "Europe/Amsterdam".into(),
            duration_ms: None,
            stopped: false,
            created_at: 0,
        }
    }

    #[test]
    fn the_rule_in_words_in_both_languages() {
        // Tuesday 1 December 2026, 17:30 in Amsterdam.
        let start = 1_796_142_600_000;
        let (nl, en) = (Tr::new(Lang::Nl), Tr::new(Lang::En));
        assert_eq!(rule_in_words(&series(Repeat::Weekly, "2026-12-01 17:30"), start, nl), "Elke week op dinsdag, 17:30");
        assert_eq!(rule_in_words(&series(Repeat::Weekly, "2026-12-01 17:30"), start, en), "Every week on Tuesday, 17:30");
        let first_tuesday = series(Repeat::MonthlyWeekday, "2026-12-01 17:30");
        assert_eq!(rule_in_words(&first_tuesday, start, nl), "Elke eerste dinsdag van de maand, 17:30");
        let last_tuesday = series(Repeat::MonthlyWeekday, "2026-12-29 17:30");
        assert_eq!(rule_in_words(&last_tuesday, start, en), "Every last Tuesday of the month, 17:30");
        assert_eq!(rule_in_words(&series(Repeat::MonthlyDay, "2026-12-15 17:30"), start, nl), "Elke maand op de 15e, 17:30");
        assert_eq!(comes_back(Repeat::Fortnightly, nl), "Komt elke twee weken terug");
        assert_eq!(comes_back(Repeat::MonthlyDay, en), "Comes back every month");
    }
}
