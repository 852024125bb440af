//! The mail worker and its settings (`[mail]` in `buurtnet.toml`). Without them the node
//! sends no mail and works as before. With them, one task started with the node does, every
//! `check_every_ms`:
//!
//! 1. **Write** what is due, member by member (`ops::mail::due_notices`,
//!    `ops::mail::due_reminders`; the words from `buurtnet_web::html::mail_text`), each queued in
//!    the transaction that moves the member's cursor or records the reminder;
//! 2. **Send** the due mails of the queue over SMTP (lettre), a bounded number a round; a
//!    failure is tried again later, backing off, and given up after `give_up_after_hours`.
//!
//! A crash loses nothing: what was written is in the queue, what was not is still due. A mail
//! can go twice only when the node stops between the server's "accepted" and the database
//! recording it.

use anyhow::{Context as _, Result, bail};
use buurtnet_domain::ops::mail::{self as mail_ops, RetryPolicy};
use buurtnet_domain::store::Store;
use buurtnet_domain::store::mail::QueuedMail;
use buurtnet_domain::urls::LocalUrls;
use buurtnet_web::html::mail_text::{self, Sender};
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Members and reminders written per round, and mails sent per round: a busy round leaves
/// the rest for the next.
const MEMBERS_PER_ROUND: i64 = 50;
const NOTICES_PER_MEMBER: i64 = 50;
const REMINDERS_PER_ROUND: i64 = 100;
const SENDS_PER_ROUND: i64 = 20;
/// How long a mail being sent is held for this worker (longer than an SMTP timeout).
const LEASE_MS: i64 = 5 * 60_000;
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// Plain SMTP: only for a relay on this machine (or in development).
    None,
    /// Plain first, then STARTTLS, required (usually port 587).
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailSettings {
    /// The SMTP server's host name.
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    /// Better given as `BUURTNET_MAIL_PASSWORD` than in the file.
    pub password: Option<String>,
    /// The sender, `Naam <adres@example.nl>` or just the address.
    pub from: String,
    pub tls: TlsMode,
    /// How often the worker looks for mail to write and send, in milliseconds.
    pub check_every_ms: u64,
    /// The least time between two daily digests to one member, in seconds.
    pub digest_every_secs: u64,
    /// How long before an event its participants get a reminder, in hours.
    pub reminder_hours_before: u64,
    /// Wait before the first retry of a failed mail, in milliseconds; doubled each time.
    pub retry_base_ms: u64,
    pub retry_max_ms: u64,
    /// A mail not sent this long after it was written is given up.
    pub give_up_after_hours: u64,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            host: String::new(),
            port: 587,
            username: None,
            password: None,
            from: String::new(),
            tls: TlsMode::Starttls,
            check_every_ms: 30_000,
            digest_every_secs: 24 * 3600,
            reminder_hours_before: 24,
            retry_base_ms: 60_000,
            retry_max_ms: 3_600_000,
            give_up_after_hours: 72,
        }
    }
}

/// Never shows the password.
impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .field("tls", &self.tls)
            .finish_non_exhaustive()
    }
}

fn is_local_host(host: &str) -> bool {
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl MailSettings {
    /// Refuses settings that cannot work or would send passwords in the clear.
    pub fn check(&self, dev: bool) -> Result<()> {
        if self.host.trim().is_empty() {
            bail!("mail.host is required when [mail] is given (leave out [mail] to send no e-mail)");
        }
        if self.from.parse::<Mailbox>().is_err() {
            bail!("mail.from must be an e-mail address, like \"Buurtnet <buurt@example.nl>\", not {:?}", self.from);
        }
        if self.tls == TlsMode::None && !is_local_host(&self.host) && !dev {
            bail!("mail.tls = \"none\" is only for a relay on this machine (localhost); use starttls or tls for {:?}", self.host);
        }
        if self.password.is_some() && self.username.is_none() {
            bail!("mail.password needs mail.username");
        }
        if self.check_every_ms == 0 || self.retry_base_ms == 0 {
            bail!("mail.check_every_ms and mail.retry_base_ms must be above zero");
        }
        Ok(())
    }

    /// What the pages say about it.
    pub fn status(&self) -> buurtnet_web::settings::MailStatus {
        buurtnet_web::settings::MailStatus { relay: format!("{}:{}", self.host, self.port), from: self.from.clone() }
    }

    fn retry_policy(&self) -> RetryPolicy {
        let ms = |v: u64| i64::try_from(v).unwrap_or(i64::MAX / 4);
        RetryPolicy {
            retry_base_ms: ms(self.retry_base_ms),
            retry_max_ms: ms(self.retry_max_ms.max(self.retry_base_ms)),
            give_up_after_ms: ms(self.give_up_after_hours.saturating_mul(3_600_000)),
        }
    }

    /// The SMTP connection as configured (it connects when the first mail goes).
    fn transport(&self, hello: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>> {
        let builder = match self.tls {
            TlsMode::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.host),
            TlsMode::Starttls => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.host)
                .tls(Tls::Required(TlsParameters::new(self.host.clone()).context("TLS for mail.host")?)),
            TlsMode::Tls => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.host)
                .tls(Tls::Wrapper(TlsParameters::new(self.host.clone()).context("TLS for mail.host")?)),
        };
        let mut builder = builder
            .port(self.port)
            .timeout(Some(SMTP_TIMEOUT))
            .hello_name(ClientId::Domain(hello.split(':').next().unwrap_or(hello).into()));
        if let Some(username) = &self.username {
            builder = builder.credentials(Credentials::new(username.clone(), self.password.clone().unwrap_or_default()));
        }
        Ok(builder.build())
    }
}

/// Builds the message of a queued mail, with `List-Unsubscribe` (RFC 2369) and one-click
/// (RFC 8058) headers when it has an unsubscribe link.
fn message(from: &Mailbox, mail: &QueuedMail) -> Result<Message> {
    let to: Mailbox = mail.recipient.parse().with_context(|| format!("mail {}: not an address", mail.id))?;
    let mut builder = Message::builder().from(from.clone()).to(to).subject(&mail.subject).header(ContentType::TEXT_PLAIN);
    if let Some(url) = &mail.unsubscribe_url {
        builder = builder
            .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{url}>")))
            .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click".into()));
    }
    Ok(builder.body(mail.body.clone())?)
}

/// Everything the worker needs.
pub struct MailWorker {
    store: Store,
    urls: LocalUrls,
    settings: MailSettings,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl MailWorker {
    pub fn new(store: Store, urls: LocalUrls, settings: MailSettings) -> Result<MailWorker> {
        let transport = settings.transport(&urls.domain())?;
        let from = settings.from.parse().context("mail.from")?;
        Ok(MailWorker { store, urls, settings, transport, from })
    }

    /// Runs until the node stops.
    pub async fn run(self) {
        let mut ticks = tokio::time::interval(Duration::from_millis(self.settings.check_every_ms));
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if !self.is_my_turn().await {
                continue;
            }
            if let Err(e) = self.write_due().await {
                tracing::error!(error = %e, "writing due mail failed; will try again");
            }
            if let Err(e) = self.send_due().await {
                tracing::error!(error = %e, "sending mail failed; will try again");
            }
        }
    }

    /// Whether this process writes and sends the mail now: one process at a time on one
    /// database, holding it for three rounds (at least ten seconds) after each.
    async fn is_my_turn(&self) -> bool {
        let hold_ms = i64::try_from(self.settings.check_every_ms.saturating_mul(3)).unwrap_or(i64::MAX / 2).max(10_000);
        match buurtnet_domain::ops::housekeeping::my_turn(&self.store, "mail", hold_ms).await {
            Ok(mine) => mine,
            Err(e) => {
                tracing::error!(error = %e, "could not tell whose turn the mail is; skipping this round");
                false
            }
        }
    }

    /// Queues the mails that are due: notifications and reminders.
    async fn write_due(&self) -> Result<()> {
        let sender = Sender::of(&self.store, &self.urls).await;
        let digest_every_ms = i64::try_from(self.settings.digest_every_secs.saturating_mul(1000)).unwrap_or(i64::MAX / 2);
        for due in mail_ops::due_notices(&self.store, digest_every_ms, MEMBERS_PER_ROUND, NOTICES_PER_MEMBER).await? {
            let mails = mail_text::notice_mails(&sender, &due);
            if !mail_ops::record_notices(&self.store, &due, &mails).await? {
                tracing::info!(member = due.due.member_id, "mail choice changed while writing; written again next round");
            }
        }
        let ahead_ms = i64::try_from(self.settings.reminder_hours_before.saturating_mul(3_600_000)).unwrap_or(i64::MAX / 2);
        for (member, reminder) in mail_ops::due_reminders(&self.store, ahead_ms, REMINDERS_PER_ROUND).await? {
            let mail = mail_text::reminder_mail(&sender, &member, &reminder);
            mail_ops::record_reminder(&self.store, &reminder, &mail).await?;
        }
        Ok(())
    }

    /// Sends what is due in the queue, one claimed at a time; a failure is recorded to be
    /// tried again (given up at once when the server refuses it for good) and ends the round.
    async fn send_due(&self) -> Result<()> {
        let policy = self.settings.retry_policy();
        for _ in 0..SENDS_PER_ROUND {
            let Some(mail) = mail_ops::claim(&self.store, 1, LEASE_MS).await?.pop() else { return Ok(()) };
            let sent = match message(&self.from, &mail) {
                Ok(message) => self.transport.send(message).await.map(|_| ()).map_err(|e| (e.is_permanent(), e.to_string())),
                Err(e) => Err((true, e.to_string())),
            };
            let Err((permanent, error)) = sent else {
                mail_ops::sent(&self.store, &mail).await?;
                continue;
            };
            if mail_ops::failed(&self.store, &mail, &error, &policy, permanent).await? {
                tracing::error!(mail = mail.id, %error, "gave up on a mail");
            } else {
                tracing::warn!(mail = mail.id, %error, "a mail could not be sent; will try again");
            }
            return Ok(());
        }
        Ok(())
    }
}
