//! E-mail: what members chose (`mail_choices`), how far their notifications were mailed,
//! the mails waiting to go out (`mail_queue`) and the event reminders that went out
//! (`mail_reminders`). See `ops::mail` for the rules.

use super::{Handle, affected, on_db};
use crate::error::Result;
use crate::now_ms;

/// A member's choice as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MailChoice {
    pub member_id: i64,
    /// `off`, `each` or `daily`.
    pub mode: String,
    /// `nl` or `en`.
    pub language: String,
    pub unsubscribe_token: String,
    /// The highest notification id already looked at for mail.
    pub mailed_up_to: i64,
    pub last_digest_at: i64,
    pub updated_at: i64,
}

const CHOICE_COLUMNS: &str = "member_id, mode, language, unsubscribe_token, mailed_up_to, last_digest_at, updated_at";

pub async fn choice_of(db: &mut impl Handle, member_id: i64) -> Result<Option<MailChoice>> {
    let sql = format!("SELECT {CHOICE_COLUMNS} FROM mail_choices WHERE member_id = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, MailChoice>(&sql).bind(member_id).fetch_optional(c).await)?)
}

pub async fn choice_by_token(db: &mut impl Handle, token: &str) -> Result<Option<MailChoice>> {
    let sql = format!("SELECT {CHOICE_COLUMNS} FROM mail_choices WHERE unsubscribe_token = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, MailChoice>(&sql).bind(token).fetch_optional(c).await)?)
}

/// Stores a choice: new rows take `token`; existing ones keep theirs. `cursor` and `now`
/// start the mailing afresh (nothing from before the choice is mailed).
pub async fn save_choice(db: &mut impl Handle, member_id: i64, mode: &str, language: &str, token: &str, cursor: i64) -> Result<()> {
    let now = now_ms();
    let sql = "INSERT INTO mail_choices (member_id, mode, language, unsubscribe_token, mailed_up_to, last_digest_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $6)
               ON CONFLICT (member_id) DO UPDATE SET mode = excluded.mode, language = excluded.language,
                 mailed_up_to = excluded.mailed_up_to, last_digest_at = excluded.last_digest_at, updated_at = excluded.updated_at";
    affected!(db, c => sqlx::query(sql).bind(member_id).bind(mode).bind(language).bind(token).bind(cursor).bind(now).execute(c).await)?;
    Ok(())
}

/// Turns mail off for the member whose token this is; their id, or `None` for no such token.
pub async fn turn_off_by_token(db: &mut impl Handle, token: &str) -> Result<Option<i64>> {
    let sql = "UPDATE mail_choices SET mode = 'off', updated_at = $1 WHERE unsubscribe_token = $2 RETURNING member_id";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(now_ms()).bind(token).fetch_optional(c).await)?)
}

/// Sets the e-mail address of a member's account (`None` removes it).
pub async fn set_address(db: &mut impl Handle, member_id: i64, address: Option<&str>) -> Result<()> {
    let sql = "UPDATE accounts SET email = $1 WHERE actor_id = $2";
    affected!(db, c => sqlx::query(sql).bind(address).bind(member_id).execute(c).await)?;
    Ok(())
}

/// A member with mail on, an address, and notifications not yet looked at.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueMember {
    pub member_id: i64,
    pub address: String,
    pub mode: String,
    pub language: String,
    pub unsubscribe_token: String,
    pub mailed_up_to: i64,
}

/// Members whose notifications are due: `each` as soon as there is one, `daily` when their
/// last digest was at or before `digest_before`.
pub async fn due_members(db: &mut impl Handle, digest_before: i64, limit: i64) -> Result<Vec<DueMember>> {
    let sql = "SELECT m.member_id, a.email AS address, m.mode, m.language, m.unsubscribe_token, m.mailed_up_to
               FROM mail_choices m JOIN accounts a ON a.actor_id = m.member_id
               WHERE a.email IS NOT NULL AND (m.mode = 'each' OR (m.mode = 'daily' AND m.last_digest_at <= $1))
                 AND EXISTS (SELECT 1 FROM notifications n WHERE n.recipient_id = m.member_id AND n.id > m.mailed_up_to)
               ORDER BY m.member_id LIMIT $2";
    Ok(on_db!(db, c => sqlx::query_as::<_, DueMember>(sql).bind(digest_before).bind(limit).fetch_all(c).await)?)
}

/// A member's notifications after `after`, oldest first.
pub async fn notifications_after(
    db: &mut impl Handle,
    member_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<super::notifications::Notification>> {
    let sql = "SELECT id, recipient_id, kind, post_id, related_post_id, actor_id, created_at, read_at FROM notifications
               WHERE recipient_id = $1 AND id > $2 ORDER BY id LIMIT $3";
    Ok(on_db!(db, c => sqlx::query_as::<_, super::notifications::Notification>(sql).bind(member_id).bind(after).bind(limit)
        .fetch_all(c).await)?)
}

/// Moves a member's cursor from `from` to `to` (and records a digest at `digest_at`), unless
/// it moved meanwhile or mail was turned off. Whether it moved.
pub async fn advance(db: &mut impl Handle, member_id: i64, from: i64, to: i64, digest_at: Option<i64>) -> Result<bool> {
    let sql = "UPDATE mail_choices SET mailed_up_to = $1, last_digest_at = COALESCE($2, last_digest_at)
               WHERE member_id = $3 AND mailed_up_to = $4 AND mode <> 'off'";
    Ok(affected!(db, c => sqlx::query(sql).bind(to).bind(digest_at).bind(member_id).bind(from).execute(c).await)? == 1)
}

/// A mail to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    /// The member it is for (`None`: someone without an account).
    pub member_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// For the `List-Unsubscribe` header.
    pub unsubscribe_url: Option<String>,
}

pub async fn enqueue(db: &mut impl Handle, mail: &NewMail) -> Result<i64> {
    let now = now_ms();
    let sql = "INSERT INTO mail_queue (member_id, recipient, subject, body, unsubscribe_url, next_attempt_at, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(mail.member_id).bind(&mail.recipient).bind(&mail.subject)
        .bind(&mail.body).bind(&mail.unsubscribe_url).bind(now).fetch_one(c).await)?)
}

/// A queued mail.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueuedMail {
    pub id: i64,
    pub member_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub unsubscribe_url: Option<String>,
    pub attempts: i64,
    pub created_at: i64,
}

/// Takes up to `limit` mails that are due, holding them until `lease_until` (a worker that
/// dies mid-way leaves them to be tried again then).
pub async fn claim(db: &mut impl Handle, now: i64, lease_until: i64, limit: i64) -> Result<Vec<QueuedMail>> {
    let sql = "SELECT id, member_id, recipient, subject, body, unsubscribe_url, attempts, created_at FROM mail_queue
               WHERE sent_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= $1 ORDER BY id LIMIT $2";
    let due = on_db!(db, c => sqlx::query_as::<_, QueuedMail>(sql).bind(now).bind(limit).fetch_all(c).await)?;
    for mail in &due {
        let hold = "UPDATE mail_queue SET next_attempt_at = $1 WHERE id = $2";
        affected!(db, c => sqlx::query(hold).bind(lease_until).bind(mail.id).execute(c).await)?;
    }
    Ok(due)
}

pub async fn mark_sent(db: &mut impl Handle, id: i64) -> Result<()> {
    let sql = "UPDATE mail_queue SET sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2";
    affected!(db, c => sqlx::query(sql).bind(now_ms()).bind(id).execute(c).await)?;
    Ok(())
}

/// Records a failed attempt: tried again at `next_attempt_at`, or given up when `None`.
pub async fn mark_failed(db: &mut impl Handle, id: i64, error: &str, next_attempt_at: Option<i64>) -> Result<()> {
    let now = now_ms();
    let sql = "UPDATE mail_queue SET attempts = attempts + 1, last_error = $1, next_attempt_at = COALESCE($2, next_attempt_at),
                 gave_up_at = CASE WHEN CAST($2 AS BIGINT) IS NULL THEN $3 ELSE NULL END WHERE id = $4";
    affected!(db, c => sqlx::query(sql).bind(error).bind(next_attempt_at).bind(now).bind(id).execute(c).await)?;
    Ok(())
}

/// Forgets the unsent mails of a member (who turned mail off).
pub async fn drop_unsent_of(db: &mut impl Handle, member_id: i64) -> Result<u64> {
    let sql = "DELETE FROM mail_queue WHERE member_id = $1 AND sent_at IS NULL";
    affected!(db, c => sqlx::query(sql).bind(member_id).execute(c).await).map_err(Into::into)
}

/// How many mails wait, were sent and were given up (for the administrator's page).
pub async fn counts(db: &mut impl Handle) -> Result<(i64, i64, i64)> {
    let sql = "SELECT
                 COALESCE(SUM(CASE WHEN sent_at IS NULL AND gave_up_at IS NULL THEN 1 ELSE 0 END), 0),
                 COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0),
                 COALESCE(SUM(CASE WHEN gave_up_at IS NOT NULL THEN 1 ELSE 0 END), 0)
               FROM mail_queue";
    Ok(on_db!(db, c => sqlx::query_as::<_, (i64, i64, i64)>(sql).fetch_one(c).await)?)
}

/// An event a member with mail on takes part in, starting soon, not yet reminded of.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueReminder {
    pub member_id: i64,
    pub address: String,
    pub language: String,
    pub unsubscribe_token: String,
    pub event_post_id: i64,
    pub title: String,
    pub starts_at: i64,
    pub timezone: String,
    pub place_name: Option<String>,
}

/// Reminders due: events that start in `(now, until]`, still scheduled, that a member with
/// mail on takes part in (accepted), not yet reminded for this start time.
pub async fn due_reminders(db: &mut impl Handle, now: i64, until: i64, limit: i64) -> Result<Vec<DueReminder>> {
    let sql = "SELECT m.member_id, a.email AS address, m.language, m.unsubscribe_token, e.post_id AS event_post_id, e.title,
                 e.starts_at, e.timezone, e.place_name
               FROM event_participants ep
               JOIN events e ON e.post_id = ep.event_post_id
               JOIN posts p ON p.id = e.post_id
               JOIN mail_choices m ON m.member_id = ep.participant_id
               JOIN accounts a ON a.actor_id = m.member_id
               WHERE ep.state = 'accepted' AND e.state = 'scheduled' AND p.deleted_at IS NULL
                 AND e.starts_at > $1 AND e.starts_at <= $2 AND m.mode <> 'off' AND a.email IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM mail_reminders r
                   WHERE r.member_id = m.member_id AND r.event_post_id = e.post_id AND r.starts_at = e.starts_at)
               ORDER BY e.starts_at, m.member_id LIMIT $3";
    Ok(on_db!(db, c => sqlx::query_as::<_, DueReminder>(sql).bind(now).bind(until).bind(limit).fetch_all(c).await)?)
}

/// Records a reminder; false when it was recorded already.
pub async fn record_reminder(db: &mut impl Handle, member_id: i64, event_post_id: i64, starts_at: i64) -> Result<bool> {
    let sql = "INSERT INTO mail_reminders (member_id, event_post_id, starts_at, created_at) VALUES ($1, $2, $3, $4)
               ON CONFLICT DO NOTHING";
    Ok(affected!(db, c => sqlx::query(sql).bind(member_id).bind(event_post_id).bind(starts_at).bind(now_ms()).execute(c).await)? == 1)
}
