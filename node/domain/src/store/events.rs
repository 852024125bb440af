//! Events, beside their posts.

use super::{Handle, affected, on_db};
use crate::error::Result;
use crate::model::{Event, EventDraft, EventQuestions};
use crate::now_ms;

const COLUMNS: &str = "post_id, title, description, starts_at, ends_at, timezone, place_name, place_address, latitude, longitude, online_url, capacity, join_mode, state, created_at, participant_count, sequence, updated_at, registration_closed, asks_lift, asks_diet";

/// Stores or replaces the fields of the event of `post_id`.
pub async fn upsert(db: &mut impl Handle, post_id: i64, draft: &EventDraft) -> Result<()> {
    let place = draft.place.as_ref();
    let sql = "INSERT INTO events (post_id, title, description, starts_at, ends_at, timezone, place_name, place_address, latitude, longitude, online_url, capacity, join_mode, state, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'scheduled', $14)
               ON CONFLICT (post_id) DO UPDATE SET title = excluded.title, description = excluded.description, starts_at = excluded.starts_at,
                 ends_at = excluded.ends_at, timezone = excluded.timezone, place_name = excluded.place_name, place_address = excluded.place_address,
                 latitude = excluded.latitude, longitude = excluded.longitude, online_url = excluded.online_url, capacity = excluded.capacity,
                 join_mode = excluded.join_mode, sequence = events.sequence + 1, updated_at = excluded.created_at";
    affected!(db, c => sqlx::query(sql)
        .bind(post_id).bind(draft.title.trim()).bind(draft.description.trim())
        .bind(draft.starts_at.timestamp_millis()).bind(draft.ends_at.map(|t| t.timestamp_millis())).bind(&draft.timezone)
        .bind(place.map(|p| p.name.trim().to_string())).bind(place.and_then(|p| p.address.clone()))
        .bind(place.and_then(|p| p.latitude)).bind(place.and_then(|p| p.longitude))
        .bind(&draft.online_url).bind(draft.capacity).bind(draft.join_mode.as_str()).bind(now_ms())
        .execute(c).await)?;
    Ok(())
}

pub async fn by_post_id(db: &mut impl Handle, post_id: i64) -> Result<Option<Event>> {
    let sql = format!("SELECT {COLUMNS} FROM events WHERE post_id = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, Event>(&sql).bind(post_id).fetch_optional(c).await)?)
}

/// Cancels (`cancelled`) or reinstates (`scheduled`) an event.
pub async fn set_state(db: &mut impl Handle, post_id: i64, state: &str) -> Result<()> {
    let sql = "UPDATE events SET state = $1, sequence = sequence + 1, updated_at = $2 WHERE post_id = $3";
    affected!(db, c => sqlx::query(sql).bind(state).bind(now_ms()).bind(post_id).execute(c).await)?;
    Ok(())
}

pub async fn set_participant_count(db: &mut impl Handle, post_id: i64, count: i64) -> Result<()> {
    let sql = "UPDATE events SET participant_count = $1 WHERE post_id = $2";
    affected!(db, c => sqlx::query(sql).bind(count).bind(post_id).execute(c).await)?;
    Ok(())
}

/// Events of `author_id` (as author or confirmed co-organiser; of everyone when `None`;
/// only this node's when `local_only`) ending after `from_ms`, soonest first; the caller
/// checks visibility.
pub async fn upcoming(db: &mut impl Handle, author_id: Option<i64>, local_only: bool, from_ms: i64, limit: i64) -> Result<Vec<Event>> {
    let sql = format!(
        "SELECT {} FROM events e JOIN posts p ON p.id = e.post_id
         WHERE p.deleted_at IS NULL AND COALESCE(e.ends_at, e.starts_at) >= $1 AND (CAST($2 AS BIGINT) IS NULL OR p.author_id = $2 OR EXISTS (
                 SELECT 1 FROM event_organisers o JOIN actors a ON a.ap_id = o.organiser_ap_id
                 WHERE o.event_post_id = e.post_id AND o.confirmed AND a.id = $2))
           AND (p.is_local OR NOT $3)
         ORDER BY e.starts_at, e.post_id LIMIT $4",
        COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ")
    );
    Ok(on_db!(db, c => sqlx::query_as::<_, Event>(&sql).bind(from_ms).bind(author_id).bind(local_only).bind(limit).fetch_all(c).await)?)
}

/// Records an initiative as co-organiser of an event (again: no change but `confirmed`).
pub async fn add_organiser(db: &mut impl Handle, post_id: i64, organiser_ap_id: &str, confirmed: bool) -> Result<()> {
    let sql = "INSERT INTO event_organisers (event_post_id, organiser_ap_id, confirmed) VALUES ($1, $2, $3)
               ON CONFLICT (event_post_id, organiser_ap_id) DO UPDATE SET confirmed = event_organisers.confirmed OR excluded.confirmed";
    affected!(db, c => sqlx::query(sql).bind(post_id).bind(organiser_ap_id).bind(confirmed).execute(c).await)?;
    Ok(())
}

/// The co-organisers of an event (not its author), with whether each is confirmed here.
pub async fn organisers(db: &mut impl Handle, post_id: i64) -> Result<Vec<(String, bool)>> {
    let sql = "SELECT organiser_ap_id, confirmed FROM event_organisers WHERE event_post_id = $1 ORDER BY organiser_ap_id";
    Ok(on_db!(db, c => sqlx::query_as::<_, (String, bool)>(sql).bind(post_id).fetch_all(c).await)?)
}

/// Closes or reopens registration for an event.
pub async fn set_registration_closed(db: &mut impl Handle, post_id: i64, closed: bool) -> Result<()> {
    let sql = "UPDATE events SET registration_closed = $1 WHERE post_id = $2";
    affected!(db, c => sqlx::query(sql).bind(closed).bind(post_id).execute(c).await)?;
    Ok(())
}

/// What the organiser asks of those who join.
pub async fn set_questions(db: &mut impl Handle, post_id: i64, questions: EventQuestions) -> Result<()> {
    let sql = "UPDATE events SET asks_lift = $1, asks_diet = $2 WHERE post_id = $3";
    affected!(db, c => sqlx::query(sql).bind(questions.lift).bind(questions.diet).bind(post_id).execute(c).await)?;
    Ok(())
}
