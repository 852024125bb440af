//! "Vraag het ons": questions people without an account send to an initiative. Read only by
//! that initiative's coordinators (see `ops::questions`); never federated.

use super::{Handle, affected, on_db};
use crate::error::Result;
use crate::now_ms;

/// A question as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Question {
    pub id: i64,
    pub initiative_id: i64,
    /// The name or nickname the asker gave.
    pub name: String,
    /// How to reach the asker (phone or e-mail, as typed).
    pub contact: String,
    pub question: String,
    pub created_at: i64,
    pub handled_at: Option<i64>,
    pub handled_by: Option<i64>,
    /// The need a coordinator made of it, if any.
    pub need_post_id: Option<i64>,
    /// A coordinator's short answer, once given.
    pub answer: Option<String>,
    pub answered_at: Option<i64>,
    pub answered_by: Option<i64>,
    /// Whether the answer went out by e-mail (else the coordinator gets in touch herself).
    pub answer_mailed: bool,
}

const COLUMNS: &str = "id, initiative_id, name, contact, question, created_at, handled_at, handled_by, need_post_id, answer, answered_at, answered_by, answer_mailed";

pub async fn insert(db: &mut impl Handle, initiative_id: i64, name: &str, contact: &str, question: &str) -> Result<i64> {
    let sql = "INSERT INTO questions (initiative_id, name, contact, question, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(initiative_id).bind(name).bind(contact).bind(question).bind(now_ms())
        .fetch_one(c).await)?)
}

pub async fn by_id(db: &mut impl Handle, id: i64) -> Result<Option<Question>> {
    let sql = format!("SELECT {COLUMNS} FROM questions WHERE id = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, Question>(&sql).bind(id).fetch_optional(c).await)?)
}

/// The newest questions to an initiative: those not handled first, then the rest.
pub async fn recent(db: &mut impl Handle, initiative_id: i64, limit: i64) -> Result<Vec<Question>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM questions WHERE initiative_id = $1
         ORDER BY CASE WHEN handled_at IS NULL THEN 0 ELSE 1 END, id DESC LIMIT $2"
    );
    Ok(on_db!(db, c => sqlx::query_as::<_, Question>(&sql).bind(initiative_id).bind(limit).fetch_all(c).await)?)
}

/// Marks a question handled (with the need made of it); false when it was handled already.
pub async fn mark_handled(db: &mut impl Handle, id: i64, by: i64, need_post_id: Option<i64>) -> Result<bool> {
    let sql = "UPDATE questions SET handled_at = $1, handled_by = $2, need_post_id = $3 WHERE id = $4 AND handled_at IS NULL";
    Ok(affected!(db, c => sqlx::query(sql).bind(now_ms()).bind(by).bind(need_post_id).bind(id).execute(c).await)? == 1)
}

/// Records a coordinator's answer (once); false when it was answered already.
pub async fn record_answer(db: &mut impl Handle, id: i64, by: i64, answer: &str, mailed: bool) -> Result<bool> {
    let sql = "UPDATE questions SET answer = $1, answered_at = $2, answered_by = $3, answer_mailed = $4 WHERE id = $5 AND answer IS NULL";
    Ok(affected!(db, c => sqlx::query(sql).bind(answer).bind(now_ms()).bind(by).bind(mailed).bind(id).execute(c).await)? == 1)
}
