//! Image attachments.

use super::{Handle, affected, on_db};
use crate::error::{DomainError, Result};
use crate::model::media::{Media, NewMedia};
use crate::now_ms;

const COLUMNS: &str = "id, owner_id, post_id, file_name, remote_url, content_type, size, width, height, description, blurhash, created_at";

pub async fn insert(db: &mut impl Handle, owner_id: i64, post_id: Option<i64>, media: &NewMedia) -> Result<Media> {
    let sql = format!(
        "INSERT INTO media (owner_id, post_id, file_name, remote_url, content_type, size, width, height, description, blurhash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING {COLUMNS}"
    );
    Ok(on_db!(db, c => sqlx::query_as::<_, Media>(&sql).bind(owner_id).bind(post_id).bind(&media.file_name).bind(&media.remote_url)
        .bind(&media.content_type).bind(media.size).bind(media.width).bind(media.height).bind(&media.description).bind(&media.blurhash)
        .bind(now_ms()).fetch_one(c).await)?)
}

pub async fn by_id(db: &mut impl Handle, id: i64) -> Result<Media> {
    let sql = format!("SELECT {COLUMNS} FROM media WHERE id = $1");
    on_db!(db, c => sqlx::query_as::<_, Media>(&sql).bind(id).fetch_optional(c).await)?.ok_or(DomainError::NotFound)
}

pub async fn for_post(db: &mut impl Handle, post_id: i64) -> Result<Vec<Media>> {
    let sql = format!("SELECT {COLUMNS} FROM media WHERE post_id = $1 ORDER BY id");
    Ok(on_db!(db, c => sqlx::query_as::<_, Media>(&sql).bind(post_id).fetch_all(c).await)?)
}

pub async fn attach(db: &mut impl Handle, id: i64, post_id: i64) -> Result<()> {
    affected!(db, c => sqlx::query("UPDATE media SET post_id = $1 WHERE id = $2").bind(post_id).bind(id).execute(c).await)?;
    Ok(())
}

pub async fn set_description(db: &mut impl Handle, id: i64, description: &str) -> Result<()> {
    affected!(db, c => sqlx::query("UPDATE media SET description = $1 WHERE id = $2").bind(description).bind(id).execute(c).await)?;
    Ok(())
}

/// The attachments of these posts, in the order [`for_post`] gives each post's.
pub async fn for_posts(db: &mut impl Handle, post_ids: &[i64]) -> Result<Vec<Media>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {COLUMNS} FROM media WHERE post_id IN ({}) ORDER BY id", super::in_list(post_ids.len()));
    Ok(super::fetch_in!(db, Media, &sql, post_ids)?)
}
