//! The words of every e-mail the node sends, in Dutch or English (the `mail-*` messages of
//! the `.ftl` files), plain text with absolute links: a notification, a daily digest, a
//! reminder of an event, a coordinator's answer to "Vraag het ons", an administrator's test
//! mail. Each mail to a member ends with a link that turns mail off without logging in.
//! The domain decides what is due (`ops::mail`); the node's mail worker sends.

use super::i18n::{Lang, Tr};
use super::local_time;
use buurtnet_domain::ops::guests::GuestNews;
use buurtnet_domain::ops::mail::{DueNotices, MailMode, MailNotice, unsubscribe_url};
use buurtnet_domain::ops::questions::{KIND_QUESTION, QuestionView};
use buurtnet_domain::store::Store;
use buurtnet_domain::store::mail::{DueReminder, NewMail};
use buurtnet_domain::urls::LocalUrls;

/// Who sends: the node's name as people know it, and its addresses.
#[derive(Clone)]
pub struct Sender {
    pub site: String,
    pub urls: LocalUrls,
}

impl Sender {
    /// The name administrators gave the node, else its domain.
    pub async fn of(store: &Store, urls: &LocalUrls) -> Sender {
        let stored = buurtnet_domain::ops::node_settings::load(store).await.unwrap_or_default();
        let site = if stored.name.trim().is_empty() { urls.domain() } else { stored.name };
        Sender { site, urls: urls.clone() }
    }

    fn link(&self, path: &str) -> String {
        format!("{}{}", self.urls.base(), path.trim_start_matches('/'))
    }
}

fn tr_for(language: &str) -> Tr {
    Tr::new(Lang::parse(language).unwrap_or(Lang::Nl))
}

fn name_of(actor: &buurtnet_domain::model::Actor) -> String {
    if actor.display_name.trim().is_empty() { actor.username.clone() } else { actor.display_name.clone() }
}

/// The notification in one sentence, as the notifications page says it.
fn what_happened(notice: &MailNotice, tr: Tr) -> String {
    let who = notice.actor.as_ref().map(name_of).unwrap_or_else(|| tr.t("someone"));
    let key = format!("notice-kind-{}", notice.notification.kind.replace(['_', '.'], "-"));
    tr.lookup(&key, None).map(|_| tr.with(&key, &[("who", who)])).unwrap_or_else(|| tr.t("notice-kind-other"))
}

/// Where a notification is about: the page of its post, the coordinators' questions, or the
/// member's notifications.
fn link_of(sender: &Sender, notice: &MailNotice) -> String {
    match &notice.post {
        _ if notice.notification.kind == KIND_QUESTION => sender.link("/coordinatie#vragen"),
        Some(post) => sender.link(&format!("/bericht/{}", post.id)),
        None => sender.link("/meldingen"),
    }
}

/// The lines under every mail to a member: why she gets it and how to stop it.
fn footer(sender: &Sender, tr: Tr, unsubscribe: &str) -> String {
    format!(
        "-- \n{}\n{}\n{}\n{}\n{}\n",
        tr.t1("mail-footer-why", "site", &sender.site),
        tr.t("mail-footer-stop"),
        unsubscribe,
        tr.t("mail-footer-choose"),
        sender.link("/mijn-gegevens"),
    )
}

fn to_member(sender: &Sender, member_id: i64, address: &str, token: &str, subject: String, text: String, tr: Tr) -> NewMail {
    let unsubscribe = unsubscribe_url(&sender.urls, token);
    let body = format!("{text}\n{}", footer(sender, tr, &unsubscribe));
    NewMail { member_id: Some(member_id), recipient: address.to_string(), subject, body, unsubscribe_url: Some(unsubscribe) }
}

/// The mails for a member's due notifications: one each, or one digest with all of them
/// (none when nothing is worth a mail).
pub fn notice_mails(sender: &Sender, due: &DueNotices) -> Vec<NewMail> {
    if due.notices.is_empty() {
        return Vec::new();
    }
    let tr = tr_for(&due.due.language);
    let greeting = tr.t1("mail-greeting", "name", name_of(&due.member));
    let mail = |subject: String, text: String| {
        to_member(sender, due.member.id, &due.due.address, &due.due.unsubscribe_token, subject, format!("{greeting}\n\n{text}"), tr)
    };
    match due.mode() {
        MailMode::Daily => {
            let lines: Vec<String> = due.notices.iter().map(|n| format!("- {}\n  {}", what_happened(n, tr), link_of(sender, n))).collect();
            let text = format!("{}\n\n{}\n", tr.t1("mail-digest-intro", "site", &sender.site), lines.join("\n\n"));
            vec![mail(tr.t1("mail-digest-subject", "site", &sender.site), text)]
        }
        _ => due
            .notices
            .iter()
            .map(|n| {
                let what = what_happened(n, tr);
                let text = format!("{what}\n\n{}\n{}\n", tr.t1("mail-look", "site", &sender.site), link_of(sender, n));
                mail(tr.with("mail-notice-subject", &[("site", sender.site.clone()), ("what", what)]), text)
            })
            .collect(),
    }
}

/// A reminder of an event the member takes part in.
pub fn reminder_mail(sender: &Sender, member: &buurtnet_domain::model::Actor, reminder: &DueReminder) -> NewMail {
    let tr = tr_for(&reminder.language);
    let when = local_time(reminder.starts_at, tr);
    let place = reminder.place_name.clone().filter(|p| !p.trim().is_empty());
    let about = match place {
        Some(place) => tr.with("mail-reminder-text-place", &[("title", reminder.title.clone()), ("when", when), ("place", place)]),
        None => tr.with("mail-reminder-text", &[("title", reminder.title.clone()), ("when", when)]),
    };
    let text = format!(
        "{}\n\n{about}\n\n{}\n{}\n",
        tr.t1("mail-greeting", "name", name_of(member)),
        tr.t1("mail-look", "site", &sender.site),
        sender.link(&format!("/bericht/{}", reminder.event_post_id))
    );
    let subject = tr.t1("mail-reminder-subject", "title", &reminder.title);
    to_member(sender, member.id, &reminder.address, &reminder.unsubscribe_token, subject, text, tr)
}

/// A coordinator's answer to someone who asked without an account, in Dutch, from the
/// initiative (she gave no language; one mail, nothing to unsubscribe from).
pub fn answer_mail(sender: &Sender, view: &QuestionView, answer: &str) -> NewMail {
    let tr = tr_for("nl");
    let initiative = name_of(&view.initiative);
    let text = format!(
        "{}\n\n{answer}\n\n{}\n> {}\n\n-- \n{}\n{}\n",
        tr.t1("mail-greeting", "name", &view.question.name),
        tr.t("mail-answer-your-question"),
        view.question.question.replace('\n', "\n> "),
        tr.with("mail-answer-from", &[("initiative", initiative.clone()), ("site", sender.site.clone())]),
        sender.link(&format!("/initiatives/{}", view.initiative.username)),
    );
    NewMail {
        member_id: None,
        recipient: view.question.contact.trim().to_string(),
        subject: tr.t1("mail-answer-subject", "initiative", initiative),
        body: text,
        unsubscribe_url: None,
    }
}

/// The administrator's test mail, in her language.
pub fn test_mail(sender: &Sender, tr: Tr, address: &str) -> NewMail {
    NewMail {
        member_id: None,
        recipient: address.to_string(),
        subject: tr.t1("mail-test-subject", "site", &sender.site),
        body: format!("{}\n\n{}\n", tr.t1("mail-test-text", "site", &sender.site), sender.link("/beheer/instellingen")),
        unsubscribe_url: None,
    }
}

/// The mail to a guest who signed up for an event: when it is, and her cancel link.
pub fn guest_mail(
    sender: &Sender,
    tr: Tr,
    event: &buurtnet_domain::model::Event,
    guest: &buurtnet_domain::model::Guest,
    cancel_url: &str,
) -> NewMail {
    let text = format!("{}\n{cancel_url}", tr.t("mail-guest-cancel"));
    to_guest(sender, tr, (event, guest), ("mail-guest-subject", "mail-guest-signed-up"), &text)
}

/// The mail that tells a guest news about her event, in the language she signed up in.
pub fn guest_news_mail(
    sender: &Sender,
    event: &buurtnet_domain::model::Event,
    guest: &buurtnet_domain::model::Guest,
    news: GuestNews,
) -> NewMail {
    let keys = match news {
        GuestNews::Accepted => ("mail-guest-accepted-subject", "mail-guest-accepted"),
        GuestNews::Refused => ("mail-guest-refused-subject", "mail-guest-refused"),
        GuestNews::Moved => ("mail-guest-moved-subject", "mail-guest-moved"),
        GuestNews::Cancelled => ("mail-guest-cancelled-subject", "mail-guest-cancelled"),
        GuestNews::Removed => ("mail-guest-removed-subject", "mail-guest-removed"),
    };
    let tr = tr_for(&guest.language);
    to_guest(sender, tr, (event, guest), keys, &tr.t("mail-guest-questions"))
}

/// "dinsdag 10 december, 17:30, Buurthuis De Ark" in the mail's language.
fn when_and_where(event: &buurtnet_domain::model::Event, tr: Tr) -> String {
    let when = super::dates::local_time(event.starts_at, tr);
    match event.place_name.as_deref().map(str::trim).filter(|name| !name.is_empty()) {
        Some(place) => format!("{when}, {place}"),
        None => when,
    }
}

/// A mail to a guest: the news about the event (`keys`: its subject and first line, both
/// with the title), when and where it is, then `more`.
fn to_guest(
    sender: &Sender,
    tr: Tr,
    (event, guest): (&buurtnet_domain::model::Event, &buurtnet_domain::model::Guest),
    (subject, news): (&str, &str),
    more: &str,
) -> NewMail {
    let text = format!(
        "{}\n\n{}\n{}\n\n{more}\n\n-- \n{}\n{}\n",
        tr.t1("mail-greeting", "name", &guest.name),
        tr.t1(news, "title", &event.title),
        when_and_where(event, tr),
        sender.site,
        sender.link(&format!("/bericht/{}", event.post_id)),
    );
    NewMail {
        member_id: None,
        recipient: guest.email.clone().unwrap_or_default(),
        subject: tr.t1(subject, "title", &event.title),
        body: text,
        unsubscribe_url: None,
    }
}
