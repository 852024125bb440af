//! The operations of coalitions' membership logs: their reading (JSON of
//! `model::coalition::Operation`) and the signed document as it came.

use super::{Handle, affected, on_db};
use crate::error::Result;
use crate::now_ms;

pub struct NewOperation<'a> {
    pub coalition: &'a str,
    pub op_id: &'a str,
    pub author: &'a str,
    pub published: i64,
    pub reading: &'a str,
    pub raw: &'a str,
}

/// Keeps an operation; false when it was known already (a replay or a second copy).
pub async fn insert(db: &mut impl Handle, op: &NewOperation<'_>) -> Result<bool> {
    let sql = "INSERT INTO coalition_operations (coalition, op_id, author, published, reading, raw, received_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (op_id) DO NOTHING";
    Ok(affected!(db, c => sqlx::query(sql).bind(op.coalition).bind(op.op_id).bind(op.author).bind(op.published)
        .bind(op.reading).bind(op.raw).bind(now_ms()).execute(c).await)?
        == 1)
}

/// The readings of a coalition's operations, with their row ids, in the order they came.
pub async fn readings(db: &mut impl Handle, coalition: &str) -> Result<Vec<(i64, String)>> {
    let sql = "SELECT id, reading FROM coalition_operations WHERE coalition = $1 ORDER BY id";
    Ok(on_db!(db, c => sqlx::query_as::<_, (i64, String)>(sql).bind(coalition).fetch_all(c).await)?)
}

/// The row ids and readings of a coalition's operations after row `after`, in order.
pub async fn readings_after(db: &mut impl Handle, coalition: &str, after: i64) -> Result<Vec<(i64, String)>> {
    let sql = "SELECT id, reading FROM coalition_operations WHERE coalition = $1 AND id > $2 ORDER BY id";
    Ok(on_db!(db, c => sqlx::query_as::<_, (i64, String)>(sql).bind(coalition).bind(after).fetch_all(c).await)?)
}

/// How many of a coalition's operation rows have an id up to `upto`, and how many there are
/// in all. Rows are never taken away, so equal counts mean the same rows as before.
pub async fn extent(db: &mut impl Handle, coalition: &str, upto: i64) -> Result<(i64, i64)> {
    let sql = "SELECT COALESCE(SUM(CASE WHEN id <= $2 THEN 1 ELSE 0 END), 0), COUNT(*) FROM coalition_operations WHERE coalition = $1";
    Ok(on_db!(db, c => sqlx::query_as::<_, (i64, i64)>(sql).bind(coalition).bind(upto).fetch_one(c).await)?)
}

/// The signed documents of a coalition's operations after the `after`-th, `limit` at most
/// (for anti-entropy pages): (position, document).
pub async fn raw_page(db: &mut impl Handle, coalition: &str, after: i64, limit: i64) -> Result<Vec<(i64, String)>> {
    let sql = "SELECT id, raw FROM coalition_operations WHERE coalition = $1 AND id > $2 ORDER BY id LIMIT $3";
    Ok(on_db!(db, c => sqlx::query_as::<_, (i64, String)>(sql).bind(coalition).bind(after).bind(limit).fetch_all(c).await)?)
}

/// Hosts a replica of `coalition` here as `slug`.
pub async fn insert_replica(db: &mut impl Handle, coalition: &str, slug: &str) -> Result<()> {
    let sql = "INSERT INTO coalition_replicas (coalition, slug, created_at) VALUES ($1, $2, $3)";
    affected!(db, c => sqlx::query(sql).bind(coalition).bind(slug).bind(now_ms()).execute(c).await)?;
    Ok(())
}

/// The coalition a local replica stands for.
pub async fn replica_by_slug(db: &mut impl Handle, slug: &str) -> Result<Option<String>> {
    let sql = "SELECT coalition FROM coalition_replicas WHERE slug = $1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, String>(sql).bind(slug).fetch_optional(c).await)?)
}

/// Whether an operation is held already.
pub async fn is_known(db: &mut impl Handle, op_id: &str) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM coalition_operations WHERE op_id = $1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(op_id).fetch_one(c).await)? > 0)
}

/// The coalitions this node hosts a replica of: (coalition, slug).
pub async fn replicas(db: &mut impl Handle) -> Result<Vec<(String, String)>> {
    let sql = "SELECT coalition, slug FROM coalition_replicas ORDER BY id";
    Ok(on_db!(db, c => sqlx::query_as::<_, (String, String)>(sql).fetch_all(c).await)?)
}

/// The signed document of an operation as it came.
pub async fn raw_of(db: &mut impl Handle, op_id: &str) -> Result<Option<String>> {
    let sql = "SELECT raw FROM coalition_operations WHERE op_id = $1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, String>(sql).bind(op_id).fetch_optional(c).await)?)
}

/// Every coalition this node holds operations of (hosting a replica or not).
pub async fn held(db: &mut impl Handle) -> Result<Vec<String>> {
    let sql = "SELECT DISTINCT coalition FROM coalition_operations ORDER BY coalition";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, String>(sql).fetch_all(c).await)?)
}

/// The name of this node's replica of `coalition`, if it hosts one.
pub async fn replica_of(db: &mut impl Handle, coalition: &str) -> Result<Option<String>> {
    let sql = "SELECT slug FROM coalition_replicas WHERE coalition = $1 ORDER BY id LIMIT 1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, String>(sql).bind(coalition).fetch_optional(c).await)?)
}

/// The reading of one operation.
pub async fn reading_of(db: &mut impl Handle, op_id: &str) -> Result<Option<String>> {
    let sql = "SELECT reading FROM coalition_operations WHERE op_id = $1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, String>(sql).bind(op_id).fetch_optional(c).await)?)
}

/// The mark up to which this node has read another replica's content (none at first).
pub async fn content_cursor(db: &mut impl Handle, coalition: &str, replica: &str) -> Result<Option<String>> {
    let sql = "SELECT mark FROM coalition_content_cursors WHERE coalition = $1 AND replica = $2";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, String>(sql).bind(coalition).bind(replica).fetch_optional(c).await)?)
}

pub async fn set_content_cursor(db: &mut impl Handle, coalition: &str, replica: &str, mark: &str) -> Result<()> {
    let sql = "INSERT INTO coalition_content_cursors (coalition, replica, mark) VALUES ($1, $2, $3)
               ON CONFLICT (coalition, replica) DO UPDATE SET mark = excluded.mark";
    affected!(db, c => sqlx::query(sql).bind(coalition).bind(replica).bind(mark).execute(c).await)?;
    Ok(())
}
