//! Reports of accounts and posts.

use super::{Handle, affected, on_db};
use crate::error::Result;
use crate::now_ms;

pub struct NewReport<'a> {
    pub reporter_id: i64,
    pub account_id: i64,
    pub status_ids: &'a [i64],
    pub comment: &'a str,
    pub category: &'a str,
    pub forwarded: bool,
}

pub async fn insert(db: &mut impl Handle, report: &NewReport<'_>) -> Result<i64> {
    let ids = report.status_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let sql = "INSERT INTO reports (reporter_id, account_id, status_ids, comment, category, forwarded, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(report.reporter_id).bind(report.account_id).bind(&ids).bind(report.comment)
        .bind(report.category).bind(report.forwarded).bind(now_ms()).fetch_one(c).await)?)
}

/// (account id, status ids, comment) of a report.
pub async fn by_id(db: &mut impl Handle, id: i64) -> Result<Option<(i64, String, String)>> {
    let sql = "SELECT account_id, status_ids, comment FROM reports WHERE id = $1";
    Ok(on_db!(db, c => sqlx::query_as::<_, (i64, String, String)>(sql).bind(id).fetch_optional(c).await)?)
}

/// A report as the coordinators see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Report {
    pub id: i64,
    pub reporter_id: i64,
    pub account_id: i64,
    pub status_ids: String,
    pub comment: String,
    pub category: String,
    pub forwarded: bool,
    pub created_at: i64,
}

/// Reports nobody has handled yet, oldest first.
pub async fn open(db: &mut impl Handle) -> Result<Vec<Report>> {
    let sql = "SELECT id, reporter_id, account_id, status_ids, comment, category, forwarded, created_at FROM reports
               WHERE handled_at IS NULL ORDER BY id";
    Ok(on_db!(db, c => sqlx::query_as::<_, Report>(sql).fetch_all(c).await)?)
}

/// Marks a report handled; false when it was handled already (or does not exist).
pub async fn mark_handled(db: &mut impl Handle, id: i64, by: i64) -> Result<bool> {
    let sql = "UPDATE reports SET handled_at = $1, handled_by = $2 WHERE id = $3 AND handled_at IS NULL";
    Ok(affected!(db, c => sqlx::query(sql).bind(now_ms()).bind(by).bind(id).execute(c).await)? == 1)
}
