//! The figures pages (`/initiatives/{name}/cijfers`, `/coalitie/{slug}/cijfers`) and their
//! CSV (`…/cijfers.csv`): what an initiative or a coalition did in a chosen period, in words,
//! on one printable A4, for a funder. Counted by [`buurtnet_domain::ops::figures`]; names of
//! residents or helpers never appear.

use super::front::category_label;
use super::i18n::Tr;
use super::layout::{Frame, error_page, render};
use super::visitor::Visitor;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use buurtnet_domain::DomainError;
use buurtnet_domain::ops::figures::{self, Figures, Period};
use buurtnet_domain::ops::{coalition_pages, initiatives};
use buurtnet_federation::Context;
use chrono::{Datelike, NaiveDate, TimeZone};

/// `?van=2026-01-01&tot=2026-12-31` (both days included).
#[derive(serde::Deserialize, Default)]
pub struct PeriodQuery {
    #[serde(default)]
    van: String,
    #[serde(default)]
    tot: String,
}

impl PeriodQuery {
    /// The days chosen (this year so far when none or unreadable), and the period they span
    /// in the Netherlands' time.
    fn days(&self) -> (NaiveDate, NaiveDate, Period) {
        let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Amsterdam).date_naive();
        let read = |text: &str| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
        let from = read(&self.van).unwrap_or_else(|| NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today));
        let to = read(&self.tot).filter(|to| *to >= from).unwrap_or(today.max(from));
        let start = |day: NaiveDate| {
            let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
            chrono_tz::Europe::Amsterdam.from_local_datetime(&midnight).earliest().map(|t| t.timestamp_millis()).unwrap_or(0)
        };
        let after = to.succ_opt().unwrap_or(to);
        (from, to, Period { from: start(from), until: start(after) })
    }
}

/// A line of the figures in words: (what, how many).
pub struct FigureLine {
    pub what: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "figures.html")]
struct FiguresPage {
    frame: Frame,
    from: String,
    to: String,
    lines: Vec<FigureLine>,
    /// (category, asked, helped)
    categories: Vec<(String, i64, i64)>,
    /// Who helped whom, in words (coalitions).
    flows: Vec<String>,
    csv_href: String,
    /// Where the period form goes.
    here: String,
}

fn hours_text(hours: f64, tr: Tr) -> String {
    let text = format!("{}", (hours * 10.0).round() / 10.0);
    if tr.lang == super::i18n::Lang::Nl { text.replace('.', ",") } else { text }
}

fn lines(figures: &Figures, tr: Tr) -> Vec<FigureLine> {
    let line = |key: &str, value: String| FigureLine { what: tr.t(&format!("figures-{key}")), value };
    let mut all = vec![
        line("needs-asked", figures.needs_asked_total().to_string()),
        line("needs-helped", figures.needs_helped_total().to_string()),
        line("residents-helped", figures.residents_helped.to_string()),
        line("hours-given", hours_text(figures.hours_given, tr)),
        line("times-helped", figures.times_helped.to_string()),
        line(
            "first-response",
            figures.first_response_hours.map(|h| tr.with("figures-hours", &[("hours", hours_text(h, tr))])).unwrap_or_else(|| "–".into()),
        ),
        line("offers-made", figures.offers_made.to_string()),
        line("offers-taken", figures.offers_taken.to_string()),
        line("events-held", figures.events_held.to_string()),
        line("participants", figures.participants.to_string()),
    ];
    if let Some(volunteers) = figures.volunteers {
        all.insert(4, line("volunteers", volunteers.to_string()));
    }
    all
}

fn categories(figures: &Figures, tr: Tr) -> Vec<(String, i64, i64)> {
    let mut names: Vec<&String> = figures.needs_asked.keys().chain(figures.needs_helped.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|c| {
            let asked = figures.needs_asked.get(c).copied().unwrap_or(0);
            (category_label(c, tr.lang), asked, figures.needs_helped.get(c).copied().unwrap_or(0))
        })
        .collect()
}

/// What the CSV's label column says for a key, in the reader's language.
fn csv_label(key: &str, tr: Tr) -> String {
    tr.t(&format!("figures-{}", key.replace('_', "-")))
}

fn csv(figures: &Figures, tr: Tr, file: &str) -> Response {
    let body = figures::to_csv(figures, |key| csv_label(key, tr));
    let disposition = format!("attachment; filename=\"{file}\"");
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)], body).into_response()
}

async fn page(context: &Context, visitor: &Visitor, whose: String, figures: &Figures, query: &PeriodQuery, base: String) -> Response {
    let tr = visitor.tr;
    let (from, to, _) = query.days();
    let ids: Vec<&String> = figures.flows.iter().flat_map(|f| [&f.from, &f.to]).collect();
    let known = coalition_pages::known_actors(&context.store, ids).await.unwrap_or_default();
    let flows = figures
        .flows
        .iter()
        .map(|f| {
            let name = |id: &String| known.get(id).map(|a| a.display_name.clone()).unwrap_or_else(|| id.clone());
            let times = tr.count("coalition-network-times", f.times);
            tr.with("coalition-network-row", &[("from", name(&f.from)), ("to", name(&f.to)), ("times", times)])
        })
        .collect();
    let (van, tot) = (from.format("%Y-%m-%d").to_string(), to.format("%Y-%m-%d").to_string());
    let title = tr.with("figures-title", &[("whose", whose.clone())]);
    let page = FiguresPage {
        frame: Frame::new(context, visitor, title).await,
        from: van.clone(),
        to: tot.clone(),
        lines: lines(figures, tr),
        categories: categories(figures, tr),
        flows,
        csv_href: format!("{base}.csv?van={van}&tot={tot}"),
        here: base,
    };
    render(visitor, StatusCode::OK, &page)
}

/// `/initiatives/{name}/cijfers`.
pub async fn of_initiative(context: Context, visitor: Visitor, Path(name): Path<String>, Query(query): Query<PeriodQuery>) -> Response {
    match initiative_figures(&context, &name, &query).await {
        Ok((initiative, figures)) => {
            page(&context, &visitor, initiative.display_name.clone(), &figures, &query, format!("/initiatives/{name}/cijfers")).await
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// `/initiatives/{name}/cijfers.csv`.
pub async fn of_initiative_csv(context: Context, visitor: Visitor, Path(name): Path<String>, Query(query): Query<PeriodQuery>) -> Response {
    match initiative_figures(&context, &name, &query).await {
        Ok((_, figures)) => csv(&figures, visitor.tr, &format!("cijfers-{name}.csv")),
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

async fn initiative_figures(
    context: &Context,
    name: &str,
    query: &PeriodQuery,
) -> Result<(buurtnet_domain::model::Actor, Figures), DomainError> {
    let initiative = initiatives::local(&context.store, name).await?;
    let figures = figures::of_initiative(&context.store, &initiative, query.days().2).await?;
    Ok((initiative, figures))
}

/// `/coalitie/{slug}/cijfers`.
pub async fn of_coalition(context: Context, visitor: Visitor, Path(slug): Path<String>, Query(query): Query<PeriodQuery>) -> Response {
    match coalition_figures(&context, &slug, &query).await {
        Ok((name, figures)) => page(&context, &visitor, name, &figures, &query, format!("/coalitie/{slug}/cijfers")).await,
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// `/coalitie/{slug}/cijfers.csv`.
pub async fn of_coalition_csv(context: Context, visitor: Visitor, Path(slug): Path<String>, Query(query): Query<PeriodQuery>) -> Response {
    match coalition_figures(&context, &slug, &query).await {
        Ok((_, figures)) => csv(&figures, visitor.tr, &format!("cijfers-{slug}.csv")),
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

async fn coalition_figures(context: &Context, slug: &str, query: &PeriodQuery) -> Result<(String, Figures), DomainError> {
    let hosted = coalition_pages::hosted_as(&context.store, slug).await?.ok_or(DomainError::NotFound)?;
    let figures = figures::of_coalition(&context.store, &hosted.coalition, query.days().2).await?;
    Ok((hosted.name().to_string(), figures))
}
