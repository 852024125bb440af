//! Repeating events (reeksen) kept by the organiser's node. The series (a rule and its
//! skipped dates) stays here; each date in the coming [`WINDOW_DAYS`] is published as an
//! event of its own, with its own id, RSVPs and participant count, so every peer (Buurtnet,
//! Mastodon, Mobilizon, Gancio) shows single dates. Housekeeping publishes new dates as the
//! window moves ([`extend_due`]). A skipped date is never published, or cancelled when it
//! was; a moved date is an ordinary change of that date's event (`events::update`).

use crate::error::{DomainError, Result};
use crate::model::{Actor, EventDraft, EventQuestions, LOCAL_FORMAT, Post, Series, SeriesRule, Visibility};
use crate::now_ms;
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
    let tz: Tz = draft.timezone.parse().map_err(|_| DomainError::invalid("timezone", "unknown time zone / onbekende tijdzone"))?;
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
/// part told) when it was.
pub async fn skip(store: &Store, member: &Actor, series_id: i64, date: NaiveDate) -> Result<()> {
    let series = own_series(store, member, series_id).await?;
    let planned = date.to_string();
    let published = dates(store, series.id).await?.into_iter().find(|d| d.planned_date == planned).and_then(|d| d.post_id);
    store::series::skip(&mut store.conn().await?, series.id, &planned).await?;
    if let Some(post_id) = published {
        super::events::cancel(store, member, post_id).await?;
    }
    Ok(())
}

/// An organiser stops the series: no new dates, and the published dates still to come are
/// cancelled.
pub async fn stop(store: &Store, member: &Actor, series_id: i64) -> Result<()> {
    let series = own_series(store, member, series_id).await?;
    store::series::stop(&mut store.conn().await?, series.id).await?;
    for post_id in dates(store, series.id).await?.into_iter().filter(|d| !d.skipped).filter_map(|d| d.post_id) {
        let event = super::events::of_post(store, post_id).await?.ok_or(DomainError::NotFound)?;
        if event.starts_at > now_ms() {
            super::events::cancel(store, member, post_id).await?;
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

/// The series, if `member` may organise it (as she may its first date).
async fn own_series(store: &Store, member: &Actor, series_id: i64) -> Result<Series> {
    let series = by_id(store, series_id).await?;
    super::posts::own_post(store, member, series.template_post_id).await?;
    Ok(series)
}

fn now() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(now_ms()).unwrap_or_default()
}
