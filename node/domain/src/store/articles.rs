//! Articles, their revisions and proposed edits.

use super::{Handle, affected, on_db};
use crate::error::{DomainError, Result};
use crate::model::{Article, ArticlePatch, EditPolicy, PatchState, Revision};
use crate::now_ms;

const ARTICLE: &str = "post_id, title, source, version, edit_policy, forked_from, forked_from_author, updated_at";
const REVISION: &str = "id, article_post_id, version, ap_id, source, diff, editor_ap_id, summary, created_at";
const PATCH: &str = "id, ap_id, article_post_id, author_id, base_revision, diff, summary, state, reason, created_at";

/// Where an article came from, when it is a fork.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub forked_from: Option<String>,
    pub forked_from_author: Option<String>,
}

pub async fn insert(db: &mut impl Handle, post_id: i64, title: &str, policy: EditPolicy, origin: &Origin) -> Result<()> {
    let sql = "INSERT INTO articles (post_id, title, source, version, edit_policy, forked_from, forked_from_author, updated_at)
               VALUES ($1, $2, '', 0, $3, $4, $5, $6)";
    affected!(db, c => sqlx::query(sql).bind(post_id).bind(title).bind(policy.as_str()).bind(&origin.forked_from)
        .bind(&origin.forked_from_author).bind(now_ms()).execute(c).await)?;
    Ok(())
}

pub async fn by_post_id(db: &mut impl Handle, post_id: i64) -> Result<Option<Article>> {
    let sql = format!("SELECT {ARTICLE} FROM articles WHERE post_id = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, Article>(&sql).bind(post_id).fetch_optional(c).await)?)
}

/// A revision to record.
pub struct NewRevision<'a> {
    pub post_id: i64,
    pub version: i64,
    pub ap_id: &'a str,
    pub source: &'a str,
    /// From the previous revision; empty for the first (and for copies of peers' articles).
    pub diff: &'a str,
    pub editor: &'a str,
    pub summary: &'a str,
}

/// Records a revision and makes it the article's current text.
pub async fn add_revision(db: &mut impl Handle, r: &NewRevision<'_>) -> Result<()> {
    let sql = "INSERT INTO article_revisions (article_post_id, version, ap_id, source, diff, editor_ap_id, summary, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    affected!(db, c => sqlx::query(sql).bind(r.post_id).bind(r.version).bind(r.ap_id).bind(r.source).bind(r.diff).bind(r.editor)
        .bind(r.summary).bind(now_ms()).execute(c).await)?;
    let sql = "UPDATE articles SET source = $1, version = $2, updated_at = $3 WHERE post_id = $4";
    affected!(db, c => sqlx::query(sql).bind(r.source).bind(r.version).bind(now_ms()).bind(r.post_id).execute(c).await)?;
    Ok(())
}

pub async fn set_title(db: &mut impl Handle, post_id: i64, title: &str) -> Result<()> {
    affected!(db, c => sqlx::query("UPDATE articles SET title = $1 WHERE post_id = $2").bind(title).bind(post_id).execute(c).await)?;
    Ok(())
}

pub async fn revisions(db: &mut impl Handle, post_id: i64) -> Result<Vec<Revision>> {
    let sql = format!("SELECT {REVISION} FROM article_revisions WHERE article_post_id = $1 ORDER BY version");
    Ok(on_db!(db, c => sqlx::query_as::<_, Revision>(&sql).bind(post_id).fetch_all(c).await)?)
}

pub async fn revision_by_ap_id(db: &mut impl Handle, ap_id: &str) -> Result<Option<Revision>> {
    let sql = format!("SELECT {REVISION} FROM article_revisions WHERE ap_id = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, Revision>(&sql).bind(ap_id).fetch_optional(c).await)?)
}

pub async fn revision(db: &mut impl Handle, post_id: i64, version: i64) -> Result<Option<Revision>> {
    let sql = format!("SELECT {REVISION} FROM article_revisions WHERE article_post_id = $1 AND version = $2");
    Ok(on_db!(db, c => sqlx::query_as::<_, Revision>(&sql).bind(post_id).bind(version).fetch_optional(c).await)?)
}

pub async fn insert_patch(
    db: &mut impl Handle,
    ap_id: &str,
    post_id: i64,
    author_id: i64,
    base_revision: &str,
    diff: &str,
    summary: &str,
) -> Result<ArticlePatch> {
    let sql = "INSERT INTO article_patches (ap_id, article_post_id, author_id, base_revision, diff, summary, state, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7) ON CONFLICT (ap_id) DO NOTHING";
    affected!(db, c => sqlx::query(sql).bind(ap_id).bind(post_id).bind(author_id).bind(base_revision).bind(diff).bind(summary)
        .bind(now_ms()).execute(c).await)?;
    patch_by_ap_id(db, ap_id).await?.ok_or(DomainError::NotFound)
}

pub async fn patch_by_ap_id(db: &mut impl Handle, ap_id: &str) -> Result<Option<ArticlePatch>> {
    let sql = format!("SELECT {PATCH} FROM article_patches WHERE ap_id = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, ArticlePatch>(&sql).bind(ap_id).fetch_optional(c).await)?)
}

pub async fn patch_by_id(db: &mut impl Handle, id: i64) -> Result<ArticlePatch> {
    let sql = format!("SELECT {PATCH} FROM article_patches WHERE id = $1");
    on_db!(db, c => sqlx::query_as::<_, ArticlePatch>(&sql).bind(id).fetch_optional(c).await)?.ok_or(DomainError::NotFound)
}

pub async fn patches(db: &mut impl Handle, post_id: i64) -> Result<Vec<ArticlePatch>> {
    let sql = format!("SELECT {PATCH} FROM article_patches WHERE article_post_id = $1 ORDER BY id");
    Ok(on_db!(db, c => sqlx::query_as::<_, ArticlePatch>(&sql).bind(post_id).fetch_all(c).await)?)
}

pub async fn decide_patch(db: &mut impl Handle, id: i64, state: PatchState, reason: Option<&str>) -> Result<()> {
    let sql = "UPDATE article_patches SET state = $1, reason = $2 WHERE id = $3";
    affected!(db, c => sqlx::query(sql).bind(state.as_str()).bind(reason).bind(id).execute(c).await)?;
    Ok(())
}

/// The articles this node holds, most recently changed first: their post ids.
pub async fn recent(db: &mut impl Handle, limit: i64) -> Result<Vec<i64>> {
    let sql =
        "SELECT a.post_id FROM articles a JOIN posts p ON p.id = a.post_id WHERE p.deleted_at IS NULL ORDER BY a.updated_at DESC LIMIT $1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(limit).fetch_all(c).await)?)
}
