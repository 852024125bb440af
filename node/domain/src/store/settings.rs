//! Settings administrators change on the pages, as keys and values.

use super::{Handle, affected, on_db};
use crate::error::Result;
use crate::now_ms;

pub async fn all(db: &mut impl Handle) -> Result<Vec<(String, String)>> {
    Ok(on_db!(db, c => sqlx::query_as::<_, (String, String)>("SELECT key, value FROM node_settings ORDER BY key").fetch_all(c).await)?)
}

pub async fn set(db: &mut impl Handle, key: &str, value: &str) -> Result<()> {
    let sql = "INSERT INTO node_settings (key, value, updated_at) VALUES ($1, $2, $3)
               ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";
    affected!(db, c => sqlx::query(sql).bind(key).bind(value).bind(now_ms()).execute(c).await)?;
    Ok(())
}
