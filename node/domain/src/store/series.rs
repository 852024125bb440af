//! Repeating events: the series this node organises and their dates.

use super::{Handle, affected, on_db};
use crate::error::Result;
use crate::model::{Series, SeriesEnd, SeriesRule};
use crate::now_ms;

const COLUMNS: &str =
    "id, author_id, template_post_id, repeat, until_date, repeat_count, first_local, timezone, duration_ms, stopped, created_at";

/// What a new series is made of.
pub struct NewSeries<'a> {
    pub author_id: i64,
    pub template_post_id: i64,
    pub rule: SeriesRule,
    pub first_local: &'a str,
    pub timezone: &'a str,
    pub duration_ms: Option<i64>,
}

pub async fn insert(db: &mut impl Handle, new: &NewSeries<'_>) -> Result<i64> {
    let (until, count) = match new.rule.end {
        SeriesEnd::Until(last) => (Some(last.format("%Y-%m-%d").to_string()), None),
        SeriesEnd::Count(n) => (None, Some(n as i32)),
    };
    let sql = "INSERT INTO event_series (author_id, template_post_id, repeat, until_date, repeat_count, first_local, timezone, duration_ms, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql)
        .bind(new.author_id).bind(new.template_post_id).bind(new.rule.repeat.as_str()).bind(until).bind(count)
        .bind(new.first_local).bind(new.timezone).bind(new.duration_ms).bind(now_ms())
        .fetch_one(c).await)?)
}

pub async fn by_id(db: &mut impl Handle, id: i64) -> Result<Option<Series>> {
    let sql = format!("SELECT {COLUMNS} FROM event_series WHERE id = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, Series>(&sql).bind(id).fetch_optional(c).await)?)
}

/// The series a date's event belongs to.
pub async fn of_post(db: &mut impl Handle, post_id: i64) -> Result<Option<Series>> {
    let sql = format!("SELECT {COLUMNS} FROM event_series WHERE id = (SELECT series_id FROM event_series_dates WHERE post_id = $1)");
    Ok(on_db!(db, c => sqlx::query_as::<_, Series>(&sql).bind(post_id).fetch_optional(c).await)?)
}

/// Every series that still runs.
pub async fn running(db: &mut impl Handle) -> Result<Vec<Series>> {
    let sql = format!("SELECT {COLUMNS} FROM event_series WHERE NOT stopped ORDER BY id");
    Ok(on_db!(db, c => sqlx::query_as::<_, Series>(&sql).fetch_all(c).await)?)
}

pub async fn stop(db: &mut impl Handle, id: i64) -> Result<()> {
    affected!(db, c => sqlx::query("UPDATE event_series SET stopped = TRUE WHERE id = $1").bind(id).execute(c).await)?;
    Ok(())
}

/// One date of a series: its planned local date, its event once published, whether skipped.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SeriesDate {
    pub planned_date: String,
    pub post_id: Option<i64>,
    pub skipped: bool,
}

/// The dates known so far, in order.
pub async fn dates(db: &mut impl Handle, series_id: i64) -> Result<Vec<SeriesDate>> {
    let sql = "SELECT planned_date, post_id, skipped FROM event_series_dates WHERE series_id = $1 ORDER BY planned_date";
    Ok(on_db!(db, c => sqlx::query_as::<_, SeriesDate>(sql).bind(series_id).fetch_all(c).await)?)
}

/// Records the event published for a date (nothing when the date is known already).
pub async fn add_date(db: &mut impl Handle, series_id: i64, planned_date: &str, post_id: i64) -> Result<()> {
    let sql = "INSERT INTO event_series_dates (series_id, planned_date, post_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
    affected!(db, c => sqlx::query(sql).bind(series_id).bind(planned_date).bind(post_id).execute(c).await)?;
    Ok(())
}

/// Marks a date skipped, published or not.
pub async fn skip(db: &mut impl Handle, series_id: i64, planned_date: &str) -> Result<()> {
    let sql = "INSERT INTO event_series_dates (series_id, planned_date, skipped) VALUES ($1, $2, TRUE)
               ON CONFLICT (series_id, planned_date) DO UPDATE SET skipped = TRUE";
    affected!(db, c => sqlx::query(sql).bind(series_id).bind(planned_date).execute(c).await)?;
    Ok(())
}
