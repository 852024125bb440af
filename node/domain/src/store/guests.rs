//! Guests of events: people without an account (see `model::guest`).

use super::{Handle, affected, on_db};
use crate::error::{DomainError, Result};
use crate::model::{Answers, Guest, ParticipationState};
use crate::now_ms;

const COLUMNS: &str = "id, event_post_id, name, phone, email, needs_lift, diet, state, added_by, created_at, language";

/// A guest to store.
pub struct NewGuest<'a> {
    pub event_post_id: i64,
    pub name: &'a str,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub answers: &'a Answers,
    pub state: ParticipationState,
    pub cancel_token_hash: Option<&'a str>,
    pub added_by: Option<i64>,
    /// The language of the pages she signed up on (`nl`, `en`).
    pub language: &'a str,
}

pub async fn insert(db: &mut impl Handle, guest: &NewGuest<'_>) -> Result<Guest> {
    let decided = (guest.state != ParticipationState::Pending).then(now_ms);
    let sql = "INSERT INTO event_guests (event_post_id, name, phone, email, needs_lift, diet, state, cancel_token_hash, added_by, created_at, decided_at, language)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
    let id = on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(guest.event_post_id).bind(guest.name).bind(guest.phone)
        .bind(guest.email).bind(guest.answers.needs_lift).bind(&guest.answers.diet).bind(guest.state.as_str())
        .bind(guest.cancel_token_hash).bind(guest.added_by).bind(now_ms()).bind(decided).bind(guest.language).fetch_one(c).await)?;
    by_id(db, id).await
}

pub async fn by_id(db: &mut impl Handle, id: i64) -> Result<Guest> {
    let sql = format!("SELECT {COLUMNS} FROM event_guests WHERE id = $1");
    on_db!(db, c => sqlx::query_as::<_, Guest>(&sql).bind(id).fetch_optional(c).await)?.ok_or(DomainError::NotFound)
}

pub async fn by_token_hash(db: &mut impl Handle, hash: &str) -> Result<Option<Guest>> {
    let sql = format!("SELECT {COLUMNS} FROM event_guests WHERE cancel_token_hash = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, Guest>(&sql).bind(hash).fetch_optional(c).await)?)
}

pub async fn for_event(db: &mut impl Handle, event_post_id: i64) -> Result<Vec<Guest>> {
    let sql = format!("SELECT {COLUMNS} FROM event_guests WHERE event_post_id = $1 ORDER BY id");
    Ok(on_db!(db, c => sqlx::query_as::<_, Guest>(&sql).bind(event_post_id).fetch_all(c).await)?)
}

pub async fn set_state(db: &mut impl Handle, id: i64, state: ParticipationState) -> Result<()> {
    let sql = "UPDATE event_guests SET state = $1, decided_at = $2 WHERE id = $3";
    affected!(db, c => sqlx::query(sql).bind(state.as_str()).bind(now_ms()).bind(id).execute(c).await)?;
    Ok(())
}
