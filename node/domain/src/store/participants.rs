//! Who takes part in which event.

use super::{Handle, affected, on_db};
use crate::error::{DomainError, Result};
use crate::model::{Answers, Participation, ParticipationState};
use crate::now_ms;

const COLUMNS: &str = "id, event_post_id, participant_id, join_ap_id, state, created_at, decided_at, needs_lift, diet";

/// Records that `participant_id` asks to take part (or answered), replacing an earlier answer
/// of theirs for the same event.
pub async fn upsert(
    db: &mut impl Handle,
    event_post_id: i64,
    participant_id: i64,
    join_ap_id: &str,
    state: ParticipationState,
) -> Result<Participation> {
    let decided = (state != ParticipationState::Pending).then(now_ms);
    let sql = "INSERT INTO event_participants (event_post_id, participant_id, join_ap_id, state, created_at, decided_at)
               VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT (event_post_id, participant_id) DO UPDATE SET join_ap_id = excluded.join_ap_id, state = excluded.state,
                 decided_at = excluded.decided_at";
    affected!(db, c => sqlx::query(sql).bind(event_post_id).bind(participant_id).bind(join_ap_id).bind(state.as_str())
        .bind(now_ms()).bind(decided).execute(c).await)?;
    by_event_and_participant(db, event_post_id, participant_id).await?.ok_or(DomainError::NotFound)
}

pub async fn by_id(db: &mut impl Handle, id: i64) -> Result<Participation> {
    let sql = format!("SELECT {COLUMNS} FROM event_participants WHERE id = $1");
    on_db!(db, c => sqlx::query_as::<_, Participation>(&sql).bind(id).fetch_optional(c).await)?.ok_or(DomainError::NotFound)
}

pub async fn by_join_ap_id(db: &mut impl Handle, join_ap_id: &str) -> Result<Option<Participation>> {
    let sql = format!("SELECT {COLUMNS} FROM event_participants WHERE join_ap_id = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, Participation>(&sql).bind(join_ap_id).fetch_optional(c).await)?)
}

pub async fn by_event_and_participant(db: &mut impl Handle, event_post_id: i64, participant_id: i64) -> Result<Option<Participation>> {
    let sql = format!("SELECT {COLUMNS} FROM event_participants WHERE event_post_id = $1 AND participant_id = $2");
    Ok(on_db!(db, c => sqlx::query_as::<_, Participation>(&sql).bind(event_post_id).bind(participant_id).fetch_optional(c).await)?)
}

pub async fn for_event(db: &mut impl Handle, event_post_id: i64) -> Result<Vec<Participation>> {
    let sql = format!("SELECT {COLUMNS} FROM event_participants WHERE event_post_id = $1 ORDER BY id");
    Ok(on_db!(db, c => sqlx::query_as::<_, Participation>(&sql).bind(event_post_id).fetch_all(c).await)?)
}

pub async fn set_state(db: &mut impl Handle, id: i64, state: ParticipationState) -> Result<()> {
    let sql = "UPDATE event_participants SET state = $1, decided_at = $2 WHERE id = $3";
    affected!(db, c => sqlx::query(sql).bind(state.as_str()).bind(now_ms()).bind(id).execute(c).await)?;
    Ok(())
}

/// Everyone taking part: accepted participants with an account and accepted guests.
pub async fn count_accepted(db: &mut impl Handle, event_post_id: i64) -> Result<i64> {
    let sql = "SELECT (SELECT COUNT(*) FROM event_participants WHERE event_post_id = $1 AND state = 'accepted')
                    + (SELECT COUNT(*) FROM event_guests WHERE event_post_id = $1 AND state = 'accepted')";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(event_post_id).fetch_one(c).await)?)
}

/// Remote actors still interested in an event (pending, accepted, tentative): they hear of
/// every change. Returns their actor ids.
pub async fn interested_ids(db: &mut impl Handle, event_post_id: i64) -> Result<Vec<i64>> {
    let sql = "SELECT participant_id FROM event_participants WHERE event_post_id = $1 AND state IN ('pending', 'accepted', 'tentative') ORDER BY id";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(event_post_id).fetch_all(c).await)?)
}

/// The answers a member gave to the organiser's questions.
pub async fn set_answers(db: &mut impl Handle, id: i64, answers: &Answers) -> Result<()> {
    let sql = "UPDATE event_participants SET needs_lift = $1, diet = $2 WHERE id = $3";
    affected!(db, c => sqlx::query(sql).bind(answers.needs_lift).bind(&answers.diet).bind(id).execute(c).await)?;
    Ok(())
}
