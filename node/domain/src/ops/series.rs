//! Repeating events (reeksen) kept by the organiser's node. The series (a rule and its
//! skipped dates) stays here; each date in the coming [`WINDOW_DAYS`] is published as an
//! event of its own, with its own id, RSVPs and participant count, so every peer (Buurtnet,
//! Mastodon, Mobilizon, Gancio) shows single dates. Housekeeping publishes new dates as the
//! window moves ([`extend_due`]). A skipped date is never published, or cancelled when it
//! was; a moved date is an ordinary change of that date's event (`events::update`).

use crate::error::{DomainError, Result, Say};
use crate::model::calendar::{Repeating, series_calendar};
use crate::model::{Actor, Event, EventDraft, EventQuestions, LOCAL_FORMAT, Post, Series, SeriesEnd, SeriesRule, Visibility, series_page};
use crate::now_ms;
use crate::ops::guests::GuestTeller;
use crate::store::series::{NewSeries, SeriesDate};
use crate::store::{self, Store};
use crate::urls::LocalUrls;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

/// How far ahead the dates of a series are published.
pub const WINDOW_DAYS: i64 = 56;

/// Publishes the first date of a repeating event, the series, and the dates of the coming
/// weeks. Returns the series and the first date's post.
pub async fn start(
    store: &Store,
    urls: &LocalUrls,
    (member, author): (&Actor, &Actor),
    (draft, visibility, questions): (&EventDraft, Visibility, EventQuestions),
    rule: SeriesRule,
) -> Result<(i64, Post)> {
    let tz: Tz = draft.timezone.parse().map_err(|_| DomainError::invalid("timezone", Say::UnknownTimeZone))?;
    let first = draft.starts_at.with_timezone(&tz).naive_local();
    rule.validate(first.date())?;
    let post = super::events::publish_asking(store, urls, (member, author), draft, visibility, questions).await?;
    let first_local = first.format(LOCAL_FORMAT).to_string();
    let new = NewSeries {
        author_id: author.id,
        template_post_id: post.id,
        rule,
        first_local: &first_local,
        timezone: &draft.timezone,
        duration_ms: draft.ends_at.map(|end| (end - draft.starts_at).num_milliseconds()),
    };
    let mut tx = store.begin().await?;
    let id = store::series::insert(&mut tx, &new).await?;
    store::series::add_date(&mut tx, id, &first.date().to_string(), post.id).await?;
    tx.commit().await?;
    extend(store, urls, id, now()).await?;
    Ok((id, post))
}

/// Housekeeping: every running series gets the dates that came within the window.
/// Returns how many events were published.
pub async fn extend_due(store: &Store, urls: &LocalUrls) -> Result<usize> {
    let mut published = 0;
    for series in store::series::running(&mut store.conn().await?).await? {
        published += extend(store, urls, series.id, now()).await?;
    }
    Ok(published)
}

/// Publishes the dates of a series from `now` to the window's end that are not known yet.
pub async fn extend(store: &Store, urls: &LocalUrls, series_id: i64, now: DateTime<Utc>) -> Result<usize> {
    let series = by_id(store, series_id).await?;
    let known: Vec<String> = dates(store, series_id).await?.into_iter().map(|d| d.planned_date).collect();
    let window = (now, now + Duration::days(WINDOW_DAYS));
    let due: Vec<_> = series
        .rule()
        .occurrences(series.first(), &series.timezone, &[], window)?
        .into_iter()
        .filter(|o| !known.contains(&o.date.to_string()))
        .collect();
    if series.stopped || due.is_empty() {
        return Ok(0);
    }
    let template = super::events::of_post(store, series.template_post_id).await?.ok_or(DomainError::NotFound)?;
    let (author, template_post) = {
        let mut conn = store.conn().await?;
        (store::actors::by_id(&mut conn, series.author_id).await?, store::posts::by_id(&mut conn, series.template_post_id).await?)
    };
    let mut tx = store.begin().await?;
    for occurrence in &due {
        let mut draft = template.draft();
        draft.starts_at = occurrence.starts_at;
        draft.ends_at = series.duration_ms.map(|ms| occurrence.starts_at + Duration::milliseconds(ms));
        let post = super::events::insert(&mut tx, urls, &author, &draft, (template_post.visibility, template.questions())).await?;
        store::series::add_date(&mut tx, series.id, &occurrence.date.to_string(), post.id).await?;
    }
    tx.commit().await?;
    Ok(due.len())
}

/// An organiser skips one date: it is never published, or cancelled (and everyone taking
/// part told, guests with an address by mail when `teller` is given) when it was.
pub async fn skip(store: &Store, member: &Actor, series_id: i64, date: NaiveDate, teller: Option<GuestTeller<'_>>) -> Result<()> {
    let series = own_series(store, member, series_id).await?;
    let planned = date.to_string();
    let published = dates(store, series.id).await?.into_iter().find(|d| d.planned_date == planned).and_then(|d| d.post_id);
    store::series::skip(&mut store.conn().await?, series.id, &planned).await?;
    if let Some(post_id) = published {
        super::events::cancel_telling(store, member, post_id, teller).await?;
    }
    Ok(())
}

/// An organiser stops the series: no new dates, and the published dates still to come are
/// cancelled (everyone taking part told, as for [`skip`]).
pub async fn stop(store: &Store, member: &Actor, series_id: i64, teller: Option<GuestTeller<'_>>) -> Result<()> {
    let series = own_series(store, member, series_id).await?;
    store::series::stop(&mut store.conn().await?, series.id).await?;
    for post_id in dates(store, series.id).await?.into_iter().filter(|d| !d.skipped).filter_map(|d| d.post_id) {
        let event = super::events::of_post(store, post_id).await?.ok_or(DomainError::NotFound)?;
        if event.starts_at > now_ms() {
            super::events::cancel_telling(store, member, post_id, teller).await?;
        }
    }
    Ok(())
}

pub async fn by_id(store: &Store, series_id: i64) -> Result<Series> {
    store::series::by_id(&mut store.conn().await?, series_id).await?.ok_or(DomainError::NotFound)
}

/// The series a local event is a date of, if any.
pub async fn of_post(store: &Store, post_id: i64) -> Result<Option<Series>> {
    store::series::of_post(&mut store.conn().await?, post_id).await
}

/// The dates known so far: published or skipped.
pub async fn dates(store: &Store, series_id: i64) -> Result<Vec<SeriesDate>> {
    store::series::dates(&mut store.conn().await?, series_id).await
}

/// One date of a series as its page shows it.
#[derive(Debug, Clone)]
pub struct SeriesDay {
    pub planned: NaiveDate,
    pub planned_start: DateTime<Utc>,
    /// The date's event; `None` when it was skipped before it was published.
    pub event: Option<Event>,
    pub skipped: bool,
}

impl SeriesDay {
    /// Not skipped, not cancelled.
    pub fn takes_place(&self) -> bool {
        !self.skipped && self.event.as_ref().is_some_and(|e| !e.is_cancelled())
    }

    /// The new start of a date that takes place at another time than planned.
    pub fn moved_to(&self) -> Option<i64> {
        let planned = self.planned_start.timestamp_millis();
        self.event.as_ref().filter(|e| self.takes_place() && e.starts_at != planned).map(|e| e.starts_at)
    }
}

/// A series with its first date and every date known so far, in order.
#[derive(Debug, Clone)]
pub struct SeriesOverview {
    pub series: Series,
    pub first: Post,
    pub first_event: Event,
    pub days: Vec<SeriesDay>,
}

impl SeriesOverview {
    /// Its page, also its id on the wire and its UID in calendars.
    pub fn page(&self) -> String {
        series_page(&self.first.ap_id, self.first.id)
    }

    /// The rule as it now stands: a stopped series ends at its last known date.
    pub fn rule(&self) -> SeriesRule {
        let rule = self.series.rule();
        match self.days.last() {
            Some(last) if self.series.stopped => SeriesRule { end: SeriesEnd::Until(last.planned), ..rule },
            _ => rule,
        }
    }
}

/// The series that the local event `post_id` is a date of, for `reader` (an actor id;
/// `None` for anyone): NotFound when there is none or when she may not read its first date.
pub async fn overview(store: &Store, post_id: i64, reader: Option<&str>) -> Result<SeriesOverview> {
    let series = of_post(store, post_id).await?.ok_or(DomainError::NotFound)?;
    let first = store::posts::by_id(&mut store.conn().await?, series.template_post_id).await?;
    if first.is_deleted() || !super::visibility::may_read(store, &first, reader).await? {
        return Err(DomainError::NotFound);
    }
    let first_event = super::events::of_post(store, first.id).await?.ok_or(DomainError::NotFound)?;
    let days = days_of(store, &series).await?;
    Ok(SeriesOverview { series, first, first_event, days })
}

/// The series as one iCalendar entry (see [`series_calendar`]), for `reader`.
pub async fn calendar(store: &Store, post_id: i64, reader: Option<&str>) -> Result<String> {
    let overview = overview(store, post_id, reader).await?;
    let series = &overview.series;
    let first_start = overview.days.first().map_or(overview.first_event.starts_at, |d| d.planned_start.timestamp_millis());
    let master_event = Event {
        starts_at: first_start,
        ends_at: series.duration_ms.map(|ms| first_start + ms),
        state: crate::model::EVENT_SCHEDULED.into(),
        ..overview.first_event.clone()
    };
    let page = overview.page();
    let master = super::calendar::entry(store, &overview.first, &master_event).await?;
    let master = crate::model::calendar::CalendarEntry { uid: page.clone(), url: Some(page.clone()), ..master };
    let mut moved = Vec::new();
    for day in overview.days.iter().filter(|d| d.moved_to().is_some()) {
        let event = day.event.as_ref().ok_or(DomainError::NotFound)?;
        let post = store::posts::by_id(&mut store.conn().await?, event.post_id).await?;
        let entry = super::calendar::entry(store, &post, event).await?;
        moved.push((day.planned_start, crate::model::calendar::CalendarEntry { uid: page.clone(), ..entry }));
    }
    let skipped: Vec<_> = overview.days.iter().filter(|d| !d.takes_place()).map(|d| d.planned_start).collect();
    let rule = overview.rule().to_ical(series.first(), &series.timezone)?;
    Ok(series_calendar(&overview.first_event.title, &Repeating { master: &master, rule: &rule, skipped: &skipped, moved: &moved }))
}

/// The coming dates of a series that still take place, for its organiser to choose from.
pub async fn coming(store: &Store, member: &Actor, series_id: i64) -> Result<Vec<SeriesDay>> {
    let series = own_series(store, member, series_id).await?;
    let now = now_ms();
    Ok(days_of(store, &series)
        .await?
        .into_iter()
        .filter(|d| d.takes_place() && d.event.as_ref().is_some_and(|e| e.starts_at > now))
        .collect())
}

/// Every date known so far, with its planned start and its event.
async fn days_of(store: &Store, series: &Series) -> Result<Vec<SeriesDay>> {
    let planned = series.planned()?;
    let mut days = Vec::new();
    for date in dates(store, series.id).await? {
        let Ok(day) = NaiveDate::parse_from_str(&date.planned_date, "%Y-%m-%d") else { continue };
        let Some(start) = planned.iter().find(|o| o.date == day) else { continue };
        let event = match date.post_id {
            Some(id) => super::events::of_post(store, id).await?,
            None => None,
        };
        days.push(SeriesDay { planned: day, planned_start: start.starts_at, event, skipped: date.skipped });
    }
    Ok(days)
}

/// The series, if `member` may organise it (as she may its first date).
async fn own_series(store: &Store, member: &Actor, series_id: i64) -> Result<Series> {
    let series = by_id(store, series_id).await?;
    super::posts::own_post(store, member, series.template_post_id).await?;
    Ok(series)
}

fn now() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(now_ms()).unwrap_or_default()
}
