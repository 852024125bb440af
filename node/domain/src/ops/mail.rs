//! E-mail, the use cases: a member chooses on her own page whether she gets e-mail (off,
//! each notification, or a daily digest) and to which address; anyone holding the random
//! token of a mail turns it off without logging in; what is due (notifications since the
//! member's cursor, reminders of tomorrow's events) is turned into queued mails in the same
//! transaction that moves the cursor or records the reminder, so a crash neither loses nor
//! doubles one; the queue is sent with retries that back off.
//!
//! The domain knows no SMTP and no words: the web crate writes the mails
//! (`html::mail_text`), the node's mail worker sends them.

use crate::error::{DomainError, Result, Say};
use crate::model::{Actor, Post};
use crate::store::mail::{DueMember, DueReminder, MailChoice, NewMail, QueuedMail};
use crate::store::notifications::Notification;
use crate::store::{self, Store};
use crate::urls::LocalUrls;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// What a member chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MailMode {
    #[default]
    Off,
    /// A mail for each notification.
    Each,
    /// At most one mail a day with everything new.
    Daily,
}

impl MailMode {
    pub fn as_str(self) -> &'static str {
        match self {
            MailMode::Off => "off",
            MailMode::Each => "each",
            MailMode::Daily => "daily",
        }
    }

    pub fn parse(text: &str) -> Option<MailMode> {
        match text {
            "off" => Some(MailMode::Off),
            "each" => Some(MailMode::Each),
            "daily" => Some(MailMode::Daily),
            _ => None,
        }
    }
}

/// The notification kinds that are worth an e-mail: help offered, answered, closed or given,
/// a message, an event moved or cancelled or taken off its list, and a question for a coordinator. (Likes, follows
/// and the like are not.)
pub const MAILED_KINDS: &[&str] = &[
    super::responses::KIND_RESPONSE,
    super::responses::KIND_RESPONSE_ACCEPTED,
    super::responses::KIND_RESPONSE_DECLINED,
    super::responses::KIND_RESPONSE_CLOSED,
    super::responses::KIND_RESPONSE_UNDELIVERED,
    super::responses::KIND_PROPOSAL_FULFILLED,
    super::responses::KIND_PROPOSAL_CLOSED,
    super::responses::KIND_HELPER_FOUND,
    super::posts::KIND_MENTION,
    super::events::KIND_EVENT_MOVED,
    super::events::KIND_EVENT_CANCELLED,
    super::rsvp::KIND_RSVP_REMOVED,
    super::questions::KIND_QUESTION,
];

pub const MAX_ADDRESS_CHARS: usize = 254;

/// Whether `text` looks like an e-mail address one can send to: one `@`, a name before it,
/// a domain with a dot after it, nothing that could break a mail header.
pub fn valid_address(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    let plain = |part: &str| !part.is_empty() && part.chars().all(|c| c.is_ascii_graphic() && !"<>()[]\\,;:\"@".contains(c));
    text.len() <= MAX_ADDRESS_CHARS
        && plain(local)
        && plain(domain)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// A member's e-mail as her page shows it.
#[derive(Debug, Clone, Default)]
pub struct MailSetup {
    pub address: Option<String>,
    pub mode: MailMode,
}

pub async fn setup_of(store: &Store, member: &Actor) -> Result<MailSetup> {
    let mut conn = store.conn().await?;
    let address = store::actors::email_of(&mut conn, member.id).await?;
    let mode = store::mail::choice_of(&mut conn, member.id).await?.and_then(|c| MailMode::parse(&c.mode)).unwrap_or_default();
    Ok(MailSetup { address, mode })
}

fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A member chooses her address and how often she gets mail, in `language` (`nl`/`en`).
/// Mail starts from now: older notifications are not mailed.
pub async fn choose(store: &Store, member: &Actor, address: &str, mode: MailMode, language: &str) -> Result<()> {
    let address = address.trim();
    if !address.is_empty() && !valid_address(address) {
        return Err(DomainError::invalid("email", Say::EmailInvalid));
    }
    if address.is_empty() && mode != MailMode::Off {
        return Err(DomainError::invalid("email", Say::FillInEmail));
    }
    let language = if language == "en" { "en" } else { "nl" };
    let mut tx = store.begin().await?;
    store::mail::set_address(&mut tx, member.id, Some(address).filter(|a| !a.is_empty())).await.map_err(|e| match e {
        DomainError::Db(ref db) if store::is_unique_violation(db) => DomainError::invalid("email", Say::EmailOfAnotherAccount),
        other => other,
    })?;
    let cursor = store::notifications::max_id(&mut tx, member.id).await?;
    store::mail::save_choice(&mut tx, member.id, mode.as_str(), language, &random_token(), cursor).await?;
    if mode == MailMode::Off {
        store::mail::drop_unsent_of(&mut tx, member.id).await?;
    }
    tx.commit().await
}

/// Whose mail a token turns off (her account and what she gets now), for the confirmation
/// page; `None` for a token nobody has.
pub async fn holder_of(store: &Store, token: &str) -> Result<Option<(Actor, MailMode)>> {
    if token.len() > 64 {
        return Ok(None);
    }
    let mut conn = store.conn().await?;
    let Some(choice) = store::mail::choice_by_token(&mut conn, token).await? else { return Ok(None) };
    let member = store::actors::by_id(&mut conn, choice.member_id).await?;
    Ok(Some((member, MailMode::parse(&choice.mode).unwrap_or_default())))
}

/// Turns mail off for the token's holder, and forgets her mails not sent yet. False for a
/// token nobody has.
pub async fn unsubscribe(store: &Store, token: &str) -> Result<bool> {
    if token.len() > 64 {
        return Ok(false);
    }
    let mut tx = store.begin().await?;
    let Some(member_id) = store::mail::turn_off_by_token(&mut tx, token).await? else { return Ok(false) };
    store::mail::drop_unsent_of(&mut tx, member_id).await?;
    tx.commit().await?;
    Ok(true)
}

/// The page that turns mail off, for a token.
pub fn unsubscribe_url(urls: &LocalUrls, token: &str) -> String {
    format!("{}afmelden/{token}", urls.base())
}

/// One notification to mail, with who did it and what it is about (when she may read it).
pub struct MailNotice {
    pub notification: Notification,
    pub actor: Option<Actor>,
    pub post: Option<Post>,
}

/// A member whose notifications are due, and what to tell her.
pub struct DueNotices {
    pub member: Actor,
    pub due: DueMember,
    /// The mailed kinds among her new notifications (may be empty: then only the cursor moves).
    pub notices: Vec<MailNotice>,
    /// The cursor after these notifications.
    pub up_to: i64,
}

impl DueNotices {
    pub fn mode(&self) -> MailMode {
        MailMode::parse(&self.due.mode).unwrap_or_default()
    }
}

/// Members whose notifications are due (at most `members`, `per_member` notifications each):
/// daily ones only when their last digest is `digest_every_ms` old.
pub async fn due_notices(store: &Store, digest_every_ms: i64, members: i64, per_member: i64) -> Result<Vec<DueNotices>> {
    let mut conn = store.conn().await?;
    let due = store::mail::due_members(&mut conn, crate::now_ms() - digest_every_ms, members).await?;
    let mut found = Vec::new();
    for member_due in due {
        let list = store::mail::notifications_after(&mut conn, member_due.member_id, member_due.mailed_up_to, per_member).await?;
        let up_to = list.last().map(|n| n.id).unwrap_or(member_due.mailed_up_to);
        let member = store::actors::by_id(&mut conn, member_due.member_id).await?;
        let mut notices = Vec::new();
        for notification in list.into_iter().filter(|n| MAILED_KINDS.contains(&n.kind.as_str())) {
            notices.push(notice(&mut conn, notification).await?);
        }
        found.push(DueNotices { member, due: member_due, notices, up_to });
    }
    drop(conn);
    for entry in &mut found {
        for notice in &mut entry.notices {
            if let Some(post) = &notice.post
                && !super::visibility::may_read(store, post, Some(&entry.member.ap_id)).await?
            {
                notice.post = None;
            }
        }
    }
    Ok(found)
}

async fn notice(conn: &mut store::Conn, notification: Notification) -> Result<MailNotice> {
    let actor = match notification.actor_id {
        Some(id) => Some(store::actors::by_id(conn, id).await?),
        None => None,
    };
    let post = match notification.related_post_id.or(notification.post_id) {
        Some(id) => Some(store::posts::by_id(conn, id).await?).filter(|p| !p.is_deleted()),
        None => None,
    };
    Ok(MailNotice { notification, actor, post })
}

/// Queues `mails` for a member and moves her cursor past what they tell, in one transaction
/// (a digest also records its time when it holds anything). False, and nothing queued, when
/// the cursor moved meanwhile or she turned mail off.
pub async fn record_notices(store: &Store, due: &DueNotices, mails: &[NewMail]) -> Result<bool> {
    let digest_at = (due.mode() == MailMode::Daily && !mails.is_empty()).then(crate::now_ms);
    let mut tx = store.begin().await?;
    if !store::mail::advance(&mut tx, due.due.member_id, due.due.mailed_up_to, due.up_to, digest_at).await? {
        return Ok(false);
    }
    for mail in mails {
        store::mail::enqueue(&mut tx, mail).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Events starting within `ahead_ms` that members with mail on take part in and were not
/// reminded of yet (at most `limit`), with the member.
pub async fn due_reminders(store: &Store, ahead_ms: i64, limit: i64) -> Result<Vec<(Actor, DueReminder)>> {
    let now = crate::now_ms();
    let mut conn = store.conn().await?;
    let mut found = Vec::new();
    for reminder in store::mail::due_reminders(&mut conn, now, now + ahead_ms, limit).await? {
        found.push((store::actors::by_id(&mut conn, reminder.member_id).await?, reminder));
    }
    Ok(found)
}

/// Records a reminder and queues its mail in one transaction; false when it went already.
pub async fn record_reminder(store: &Store, reminder: &DueReminder, mail: &NewMail) -> Result<bool> {
    let mut tx = store.begin().await?;
    if !store::mail::record_reminder(&mut tx, reminder.member_id, reminder.event_post_id, reminder.starts_at).await? {
        return Ok(false);
    }
    store::mail::enqueue(&mut tx, mail).await?;
    tx.commit().await?;
    Ok(true)
}

/// Queues one mail on its own (an administrator's test mail).
pub async fn queue(store: &Store, mail: &NewMail) -> Result<i64> {
    let mut tx = store.begin().await?;
    let id = store::mail::enqueue(&mut tx, mail).await?;
    tx.commit().await?;
    Ok(id)
}

/// The administrator sends herself a test mail, to the address on her account.
pub async fn queue_test_mail(store: &Store, admin: &Actor, compose: impl FnOnce(&str) -> NewMail) -> Result<String> {
    let mut conn = store.conn().await?;
    if !store::actors::is_admin(&mut conn, admin.id).await? {
        return Err(DomainError::Forbidden);
    }
    let address = store::actors::email_of(&mut conn, admin.id).await?.filter(|a| valid_address(a));
    drop(conn);
    let Some(address) = address else {
        return Err(DomainError::invalid("email", Say::NoEmailOnAccount));
    };
    queue(store, &compose(&address)).await?;
    Ok(address)
}

/// How the queue is worked through: attempts back off from `retry_base_ms`, doubling up to
/// `retry_max_ms`, and a mail not sent within `give_up_after_ms` of being queued is given up.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub retry_base_ms: i64,
    pub retry_max_ms: i64,
    pub give_up_after_ms: i64,
}

impl RetryPolicy {
    /// When to try a mail again after its `attempts`-th failure, or `None` to give up.
    pub fn next_attempt(&self, mail: &QueuedMail, now: i64) -> Option<i64> {
        if now - mail.created_at >= self.give_up_after_ms {
            return None;
        }
        let shift = u32::try_from(mail.attempts.clamp(0, 20)).unwrap_or(20);
        let wait = self.retry_base_ms.saturating_mul(1_i64 << shift).min(self.retry_max_ms);
        Some(now + wait)
    }
}

/// Takes up to `limit` due mails, each held for `lease_ms` while it is being sent.
pub async fn claim(store: &Store, limit: i64, lease_ms: i64) -> Result<Vec<QueuedMail>> {
    let now = crate::now_ms();
    let mut tx = store.begin().await?;
    let claimed = store::mail::claim(&mut tx, now, now + lease_ms, limit).await?;
    tx.commit().await?;
    Ok(claimed)
}

pub async fn sent(store: &Store, mail: &QueuedMail) -> Result<()> {
    let mut tx = store.begin().await?;
    store::mail::mark_sent(&mut tx, mail.id).await?;
    tx.commit().await
}

/// Records a failed attempt; true when the mail was given up (at once when `permanent`:
/// the server refused it for good).
pub async fn failed(store: &Store, mail: &QueuedMail, error: &str, policy: &RetryPolicy, permanent: bool) -> Result<bool> {
    let next = if permanent { None } else { policy.next_attempt(mail, crate::now_ms()) };
    let error: String = error.chars().take(500).collect();
    let mut tx = store.begin().await?;
    store::mail::mark_failed(&mut tx, mail.id, &error, next).await?;
    tx.commit().await?;
    Ok(next.is_none())
}

/// How many mails wait, were sent and were given up.
pub async fn queue_counts(store: &Store) -> Result<(i64, i64, i64)> {
    store::mail::counts(&mut store.conn().await?).await
}

/// A member's choice as stored (for the worker's words: her language and token).
pub async fn choice_of(store: &Store, member: &Actor) -> Result<Option<MailChoice>> {
    store::mail::choice_of(&mut store.conn().await?, member.id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_that_can_be_mailed() {
        for good in ["truus@example.nl", "t.de.vries+buurt@mail.example.org"] {
            assert!(valid_address(good), "{good}");
        }
        for bad in
            ["06-12345678", "truus", "truus@", "@example.nl", "truus@localhost", "a b@example.nl", "a@b@example.nl", "x@.nl", "x@nl."]
        {
            assert!(!valid_address(bad), "{bad}");
        }
        assert!(!valid_address("a@example.nl\r\nBcc: x@example.nl"), "no header injection");
    }

    #[test]
    fn retries_back_off_and_give_up() {
        let policy = RetryPolicy { retry_base_ms: 1_000, retry_max_ms: 8_000, give_up_after_ms: 60_000 };
        let mail = |attempts, created_at| QueuedMail {
            id: 1,
            member_id: None,
            recipient: String::new(),
            subject: String::new(),
            body: String::new(),
            unsubscribe_url: None,
            attempts,
            created_at,
        };
        assert_eq!(policy.next_attempt(&mail(0, 0), 10), Some(1_010));
        assert_eq!(policy.next_attempt(&mail(2, 0), 10), Some(4_010));
        assert_eq!(policy.next_attempt(&mail(9, 0), 10), Some(8_010), "capped");
        assert_eq!(policy.next_attempt(&mail(1, 0), 60_000), None, "given up");
    }
}
