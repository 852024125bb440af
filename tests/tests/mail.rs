//! E-mail (issue 13), against a real SMTP server: the pinned Python `aiosmtpd` sink of
//! tests/interop/smtp_sink.py, which writes every message it receives as JSON. On SQLite and
//! PostgreSQL: a member who chose "each" gets a Dutch mail with a working link and an
//! unsubscribe link; following that link (confirm and button, or the one-click POST of a mail
//! program) turns mail off and nothing more arrives; a member with mail off gets nothing; the
//! daily digest is one mail with several notifications; a coordinator's answer reaches the
//! asker's address (and a phone number is left to the coordinator); a mail written while the
//! SMTP server is down arrives, once, when it is up. A guest without an account who signs up
//! with an e-mail address gets her cancel link, which frees her place; guests with an
//! address hear when an organiser lets them in or not, moves the event or cancels it (not
//! when only its description changes); a guest with only a phone number is left to the
//! organisers, whose list says to phone her.

use anyhow::{Context as _, Result};
use buurtnet::mail::{MailSettings, TlsMode};
use buurtnet_domain::model::{Actor, Visibility};
use buurtnet_domain::ops::mail::MailMode;
use buurtnet_domain::ops::proposals::Audience;
use buurtnet_domain::ops::{self, questions::QuestionDraft};
use buurtnet_tests::harness::{Backend, PASSWORD, TestNode, sample_need};
use buurtnet_tests::on_both_backends;
use buurtnet_tests::pages::PageVisitor;
use reqwest::StatusCode;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

on_both_backends!(
    a_member_who_chose_each_gets_a_dutch_mail_and_can_turn_it_off,
    the_one_click_unsubscribe_of_a_mail_program_turns_mail_off,
    the_daily_digest_is_one_mail_with_several_notifications,
    an_answer_to_a_question_reaches_the_askers_address,
    a_mail_written_while_the_smtp_server_is_down_arrives_once_it_is_up,
    a_participant_is_reminded_of_an_event_once,
    a_guest_who_signs_up_by_mail_gets_her_cancel_link_once,
    guests_with_an_address_hear_of_decisions_moves_and_cancelling,
    a_guest_hears_when_her_date_of_a_repeating_meal_is_skipped
);

const WAIT: Duration = Duration::from_secs(20);
/// Long enough for several rounds of the worker (every 200 ms in these tests).
const QUIET: Duration = Duration::from_millis(1_500);

fn interop_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("interop")
}

/// Whether the pinned Python tools are there; in CI they must be.
fn sink_installed() -> Result<bool> {
    if interop_dir().join(".venv/installed").exists() {
        return Ok(true);
    }
    anyhow::ensure!(
        std::env::var_os("CI").is_none(),
        "aiosmtpd is missing: scripts/install-interop-deps.sh must run before the tests in CI"
    );
    eprintln!("SKIPPED MAIL: aiosmtpd is not installed; run scripts/install-interop-deps.sh");
    Ok(false)
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The SMTP sink: a real SMTP server that keeps what it receives.
struct Sink {
    _process: Child,
    dir: tempfile::TempDir,
}

impl Sink {
    async fn start(port: u16) -> Result<Sink> {
        let dir = tempfile::tempdir()?;
        let mut process = Command::new(interop_dir().join(".venv/bin/python"))
            .arg("smtp_sink.py")
            .args(["--port", &port.to_string(), "--dir", &dir.path().display().to_string()])
            .current_dir(interop_dir())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()?;
        let mut lines = BufReader::new(process.stdout.take().context("stdout")?).lines();
        let ready = tokio::time::timeout(WAIT, lines.next_line()).await.context("the SMTP sink did not start")??;
        anyhow::ensure!(ready.as_deref() == Some("ready"), "the SMTP sink said {ready:?}");
        Ok(Sink { _process: process, dir })
    }

    /// A sink on a port nobody holds. Another process can take a free port between our
    /// look and the sink's bind (the tests run beside others), so a sink that could not
    /// start is tried again on another port.
    async fn start_on_a_free_port() -> Result<(Sink, u16)> {
        let mut last = None;
        for _ in 0..3 {
            let port = free_port()?;
            match Sink::start(port).await {
                Ok(sink) => return Ok((sink, port)),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| anyhow::anyhow!("the SMTP sink did not start")))
    }

    /// Every message received so far, oldest first.
    fn received(&self) -> Result<Vec<Value>> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.dir.path())?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        names.iter().map(|p| Ok(serde_json::from_str(&std::fs::read_to_string(p)?)?)).collect()
    }

    fn to(&self, address: &str) -> Result<Vec<Value>> {
        Ok(self.received()?.into_iter().filter(|m| m["envelope_to"].as_array().is_some_and(|a| a.iter().any(|t| t == address))).collect())
    }

    /// Waits until `address` has received `count` messages; they.
    async fn wait_for(&self, address: &str, count: usize) -> Result<Vec<Value>> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let mails = self.to(address)?;
            if mails.len() >= count {
                return Ok(mails);
            }
            anyhow::ensure!(tokio::time::Instant::now() < deadline, "{address} received {} of {count} mails: {mails:?}", mails.len());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// A node that mails through the sink on `smtp_port`, quickly.
async fn mailing_node(backend: Backend, smtp_port: u16, digest_every_secs: u64) -> Result<TestNode> {
    TestNode::start_with(backend, |config| {
        config.mail = Some(MailSettings {
            host: "127.0.0.1".into(),
            port: smtp_port,
            from: "Buurtnet Test <buurt@example.nl>".into(),
            tls: TlsMode::None,
            check_every_ms: 200,
            retry_base_ms: 200,
            retry_max_ms: 1_000,
            digest_every_secs,
            ..MailSettings::default()
        });
    })
    .await
}

/// A running sink and a node that mails through it; `None` when aiosmtpd is not installed.
async fn sink_and_node(backend: Backend, digest_every_secs: u64) -> Result<Option<(Sink, TestNode)>> {
    if !sink_installed()? {
        return Ok(None);
    }
    let (sink, smtp_port) = Sink::start_on_a_free_port().await?;
    Ok(Some((sink, mailing_node(backend, smtp_port, digest_every_secs).await?)))
}

async fn logged_in(node: &TestNode, username: &str) -> Result<PageVisitor> {
    let mut visitor = PageVisitor::new(&node.base_url())?;
    visitor.log_in(username, PASSWORD).await?;
    Ok(visitor)
}

/// The member chooses her address and how often on her own page, as she would.
async fn choose_on_page(node: &TestNode, member: &Actor, address: &str, mode: &str) -> Result<PageVisitor> {
    let mut visitor = logged_in(node, &member.username).await?;
    let page = visitor.get("/mijn-gegevens").await?;
    assert!(page.body.contains("Hoe vaak wil je e-mail?"), "the choice is on her page: {}", page.body);
    let form = page.body.split("action=\"/mijn-gegevens/email\"").nth(1).context("the mail form")?;
    let csrf = form.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).context("its token")?.to_string();
    let saved = visitor.post("/mijn-gegevens/email", &[("csrf", &csrf), ("email", address), ("mode", mode)]).await?;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    Ok(visitor)
}

/// A public need of `author`; the responses of `helpers` to it.
async fn need_with_responses(node: &TestNode, author: &Actor, title: &str, helpers: &[&Actor]) -> Result<(i64, Vec<i64>)> {
    let state = node.node.as_ref().context("running")?.state();
    let public = Audience { visibility: Some(Visibility::Public), on_behalf_of: None };
    let post = ops::proposals::publish(&state.store, &state.urls, author, author, &sample_need(title), &public).await?;
    let mut responses = Vec::new();
    for helper in helpers {
        responses.push(ops::responses::respond(&state.store, &state.urls, helper, &post.ap_id, "Ik help graag.").await?.id);
    }
    Ok((post.id, responses))
}

/// The first line of `body` that starts with `start`.
fn line_starting<'a>(body: &'a str, start: &str) -> Result<&'a str> {
    body.lines().map(str::trim).find(|l| l.starts_with(start)).with_context(|| format!("no line starting with {start} in {body}"))
}

async fn a_member_who_chose_each_gets_a_dutch_mail_and_can_turn_it_off(backend: Backend) -> Result<()> {
    let Some((sink, node)) = sink_and_node(backend, 3600).await? else { return Ok(()) };
    let (anna, piet, kees) =
        (node.add_member("anna", None).await?, node.add_member("piet", None).await?, node.add_member("kees", None).await?);
    let mut anna_pages = choose_on_page(&node, &anna, "anna@example.nl", "each").await?;
    choose_on_page(&node, &piet, "piet@example.nl", "off").await?;

    let (need_id, responses) = need_with_responses(&node, &anna, "Hulp met de boodschappen", &[&piet]).await?;
    let mail = sink.wait_for("anna@example.nl", 1).await?.remove(0);
    assert_eq!(mail["subject"], format!("{}: PIET reageerde op je hulpvraag of aanbod.", node.config.domain), "{mail}");
    let body = mail["body"].as_str().context("body")?;
    assert!(body.starts_with("Hallo ANNA,"), "Dutch, to her: {body}");
    let link = line_starting(body, "http://")?;
    assert_eq!(link, format!("{}/bericht/{need_id}", node.base_url()), "an absolute link to the need");
    let page = anna_pages.get(link.trim_start_matches(&node.base_url())).await?;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Hulp met de boodschappen"), "the link opens the need");

    let unsubscribe = line_starting(body, &format!("{}/afmelden/", node.base_url()))?.to_string();
    assert_eq!(mail["list_unsubscribe"], format!("<{unsubscribe}>"));
    assert_eq!(mail["list_unsubscribe_post"], "List-Unsubscribe=One-Click");

    // Piet chose no mail: accepting his response tells him on the site only.
    let state = node.node.as_ref().context("running")?.state();
    ops::responses::decide(&state.store, &state.urls, &anna, responses[0], true).await?;

    // Anna follows the link without logging in: a question first, then the button.
    let mut stranger = PageVisitor::new(&node.base_url())?;
    let path = unsubscribe.trim_start_matches(&node.base_url()).to_string();
    let asked = stranger.get(&path).await?;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(asked.body.contains("Geen e-mail meer"), "{}", asked.body);
    assert_eq!(ops::mail::setup_of(&state.store, &anna).await?.mode, MailMode::Each, "opening the link changes nothing");
    let done = stranger.post(&path, &[]).await?;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("Je krijgt geen e-mail meer"), "{}", done.body);
    assert_eq!(ops::mail::setup_of(&state.store, &anna).await?.mode, MailMode::Off);

    let other = need_with_responses(&node, &anna, "Een lamp ophangen", &[&kees]).await?;
    tokio::time::sleep(QUIET).await;
    assert_eq!(sink.to("anna@example.nl")?.len(), 1, "no mail after turning it off (need {})", other.0);
    assert!(sink.to("piet@example.nl")?.is_empty(), "a member with mail off gets nothing");
    assert_eq!(stranger.post("/afmelden/niet-echt", &[]).await?.status, StatusCode::NOT_FOUND, "a made-up token does nothing");
    Ok(())
}

async fn the_one_click_unsubscribe_of_a_mail_program_turns_mail_off(backend: Backend) -> Result<()> {
    let Some((sink, node)) = sink_and_node(backend, 3600).await? else { return Ok(()) };
    let (anna, piet) = (node.add_member("anna", None).await?, node.add_member("piet", None).await?);
    choose_on_page(&node, &anna, "anna@example.nl", "each").await?;
    need_with_responses(&node, &anna, "Hulp met de tuin", &[&piet]).await?;
    let mail = sink.wait_for("anna@example.nl", 1).await?.remove(0);
    let header = mail["list_unsubscribe"].as_str().context("List-Unsubscribe")?;
    let url = header.trim_start_matches('<').trim_end_matches('>');

    // RFC 8058: a POST with this body, no cookies, no CSRF token, no Origin.
    let answer = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await?;
    assert_eq!(answer.status(), StatusCode::OK);
    let state = node.node.as_ref().context("running")?.state();
    assert_eq!(ops::mail::setup_of(&state.store, &anna).await?.mode, MailMode::Off);
    need_with_responses(&node, &anna, "Hulp met de kat", &[&piet]).await?;
    tokio::time::sleep(QUIET).await;
    assert_eq!(sink.to("anna@example.nl")?.len(), 1, "nothing more after the one-click");
    Ok(())
}

async fn the_daily_digest_is_one_mail_with_several_notifications(backend: Backend) -> Result<()> {
    let Some((sink, node)) = sink_and_node(backend, 3).await? else { return Ok(()) };
    let anna = node.add_member("anna", None).await?;
    let helpers = [node.add_member("piet", None).await?, node.add_member("kees", None).await?, node.add_member("joke", None).await?];
    choose_on_page(&node, &anna, "anna@example.nl", "daily").await?;
    need_with_responses(&node, &anna, "Hulp met verhuizen", &helpers.iter().collect::<Vec<_>>()).await?;

    let digest = sink.wait_for("anna@example.nl", 1).await?.remove(0);
    assert_eq!(digest["subject"], format!("Wat er nieuw is op {}", node.config.domain));
    let body = digest["body"].as_str().context("body")?;
    for helper in ["PIET", "KEES", "JOKE"] {
        assert!(body.contains(&format!("- {helper} reageerde op je hulpvraag of aanbod.")), "{helper} in the digest: {body}");
    }
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(sink.to("anna@example.nl")?.len(), 1, "one digest, and none when nothing is new");
    Ok(())
}

async fn an_answer_to_a_question_reaches_the_askers_address(backend: Backend) -> Result<()> {
    let Some((sink, node)) = sink_and_node(backend, 3600).await? else { return Ok(()) };
    let initiative = node.add_initiative("zorgvrijstaat", false).await?;
    let fatima = node.add_member("fatima", Some(&initiative)).await?;
    let state = node.node.as_ref().context("running")?.state();
    let ask = |contact: &str| QuestionDraft {
        name: "Truus".into(),
        contact: contact.into(),
        question: "Kan iemand mijn boodschappen dragen?".into(),
    };
    let by_mail = ops::questions::ask(&state.store, &initiative, &ask("truus@example.nl")).await?;
    let by_phone = ops::questions::ask(&state.store, &initiative, &ask("06-12345678")).await?;

    let mut desk = logged_in(&node, &fatima.username).await?;
    let answer = "Ja! Piet komt dinsdag om tien uur.";
    let sent = desk.submit("/coordinatie", &format!("/coordinatie/vragen/{by_mail}/antwoord"), &[("answer", answer)]).await?;
    assert_eq!(sent.location.as_deref(), Some("/coordinatie?gedaan=antwoord-gemaild#vragen"));
    let phoned = desk.submit("/coordinatie", &format!("/coordinatie/vragen/{by_phone}/antwoord"), &[("answer", answer)]).await?;
    assert_eq!(phoned.location.as_deref(), Some("/coordinatie?gedaan=antwoord-bellen#vragen"));
    let page = desk.get("/coordinatie?gedaan=antwoord-bellen").await?;
    assert!(page.body.contains("Het antwoord is gemaild naar truus@example.nl."), "{}", page.body);
    assert!(page.body.contains("Bel Truus zelf: 06-12345678."), "the page says to phone");

    let mail = sink.wait_for("truus@example.nl", 1).await?.remove(0);
    assert_eq!(mail["subject"], format!("Antwoord van {}", initiative.display_name));
    let body = mail["body"].as_str().context("body")?;
    assert!(body.starts_with("Hallo Truus,") && body.contains(answer) && body.contains("> Kan iemand mijn boodschappen dragen?"), "{body}");
    assert!(mail["list_unsubscribe"].as_str().is_some_and(str::is_empty), "one answer, no list");
    tokio::time::sleep(QUIET).await;
    assert_eq!(sink.received()?.len(), 1, "only the e-mail address was mailed");
    Ok(())
}

async fn a_mail_written_while_the_smtp_server_is_down_arrives_once_it_is_up(backend: Backend) -> Result<()> {
    if !sink_installed()? {
        return Ok(());
    }
    let smtp_port = free_port()?;
    let node = mailing_node(backend, smtp_port, 3600).await?;
    let (anna, piet) = (node.add_member("anna", None).await?, node.add_member("piet", None).await?);
    choose_on_page(&node, &anna, "anna@example.nl", "each").await?;
    need_with_responses(&node, &anna, "Hulp met de computer", &[&piet]).await?;
    tokio::time::sleep(QUIET).await;
    let state = node.node.as_ref().context("running")?.state();
    let (waiting, sent, _) = ops::mail::queue_counts(&state.store).await?;
    assert_eq!((waiting, sent), (1, 0), "written and waiting while nobody answers on the SMTP port");

    let sink = Sink::start(smtp_port).await?;
    let mail = sink.wait_for("anna@example.nl", 1).await?.remove(0);
    assert!(mail["subject"].as_str().is_some_and(|s| s.ends_with("PIET reageerde op je hulpvraag of aanbod.")), "{mail}");
    tokio::time::sleep(QUIET).await;
    assert_eq!(sink.to("anna@example.nl")?.len(), 1, "sent once");
    assert_eq!(ops::mail::queue_counts(&state.store).await?, (0, 1, 0));
    Ok(())
}

async fn a_participant_is_reminded_of_an_event_once(backend: Backend) -> Result<()> {
    use buurtnet_domain::model::{DEFAULT_TIMEZONE, EventDraft, JoinMode, Place};
    let Some((sink, node)) = sink_and_node(backend, 3600).await? else { return Ok(()) };
    let initiative = node.add_initiative("samen_eten", false).await?;
    let organiser = node.add_member("fatima", Some(&initiative)).await?;
    let (anna, piet) = (node.add_member("anna", None).await?, node.add_member("piet", None).await?);
    choose_on_page(&node, &anna, "anna@example.nl", "daily").await?;
    let state = node.node.as_ref().context("running")?.state();
    let starts_at = chrono::Utc::now() + chrono::Duration::hours(3);
    let draft = EventDraft {
        title: "Samen eten in De Ark".into(),
        description: "Iedereen welkom.".into(),
        starts_at,
        ends_at: Some(starts_at + chrono::Duration::hours(2)),
        timezone: DEFAULT_TIMEZONE.into(),
        place: Some(Place { name: "Buurthuis De Ark".into(), ..Place::default() }),
        online_url: None,
        capacity: None,
        join_mode: JoinMode::Free,
    };
    let event = ops::events::publish(&state.store, &state.urls, &organiser, &initiative, &draft, Visibility::Public).await?;
    ops::rsvp::join(&state.store, &state.urls, &anna, &event.ap_id).await?;
    ops::rsvp::join(&state.store, &state.urls, &piet, &event.ap_id).await?;

    let reminder = sink.wait_for("anna@example.nl", 1).await?.remove(0);
    assert_eq!(reminder["subject"], "Herinnering: Samen eten in De Ark", "a reminder goes also to who chose the daily digest");
    let body = reminder["body"].as_str().context("body")?;
    assert!(body.contains("je doet mee aan \"Samen eten in De Ark\"") && body.contains("in Buurthuis De Ark"), "{body}");
    assert_eq!(line_starting(body, &format!("{}/bericht/", node.base_url()))?, format!("{}/bericht/{}", node.base_url(), event.id));
    tokio::time::sleep(QUIET).await;
    assert_eq!(sink.received()?.len(), 1, "once, and not to a participant without mail");
    Ok(())
}

/// A public meal of `initiative` on Tuesday 3 December 2030 at 17:30, published by `organiser`.
async fn guest_meal(node: &TestNode, organiser: &Actor, initiative: &Actor, join_mode: &str) -> Result<i64> {
    use buurtnet_domain::model::{DEFAULT_TIMEZONE, EventDraft, JoinMode, Place};
    let local = |t: &str| EventDraft::local_to_utc(chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").unwrap(), DEFAULT_TIMEZONE);
    let draft = EventDraft {
        title: "Samen eten in De Ark".into(),
        description: "Iedereen welkom.".into(),
        starts_at: local("2030-12-03 17:30")?,
        ends_at: Some(local("2030-12-03 20:00")?),
        timezone: DEFAULT_TIMEZONE.into(),
        place: Some(Place { name: "Buurthuis De Ark".into(), ..Place::default() }),
        online_url: None,
        capacity: Some(10),
        join_mode: JoinMode::parse(join_mode),
    };
    let state = node.node.as_ref().context("running")?.state();
    Ok(ops::events::publish(&state.store, &state.urls, organiser, initiative, &draft, Visibility::Public).await?.id)
}

/// A guest signs up on the event's page, as a visitor without an account.
async fn guest_signs_up(node: &TestNode, id: i64, fields: &[(&str, &str)]) -> Result<()> {
    let mut visitor = PageVisitor::new(&node.base_url())?;
    let page = format!("/bericht/{id}");
    let answer = visitor.submit(&page, &format!("/bericht/{id}/aanmelden-als-gast"), fields).await?;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    Ok(())
}

async fn participant_count(node: &TestNode, id: i64) -> Result<i64> {
    Ok(buurtnet_domain::store::events::by_post_id(&mut node.store().conn().await?, id).await?.context("event")?.participant_count)
}

async fn a_guest_who_signs_up_by_mail_gets_her_cancel_link_once(backend: Backend) -> Result<()> {
    let Some((sink, node)) = sink_and_node(backend, 3600).await? else { return Ok(()) };
    let initiative = node.add_initiative("samen_eten", false).await?;
    let organiser = node.add_member("fatima", Some(&initiative)).await?;
    let id = guest_meal(&node, &organiser, &initiative, "free").await?;
    guest_signs_up(&node, id, &[("name", "Truus"), ("email", "truus@example.nl")]).await?;
    assert_eq!(participant_count(&node, id).await?, 1);

    let mail = sink.wait_for("truus@example.nl", 1).await?.remove(0);
    assert_eq!(mail["subject"], "Aangemeld: Samen eten in De Ark", "{mail}");
    let body = mail["body"].as_str().context("body")?;
    assert!(body.starts_with("Hallo Truus,") && body.contains("dinsdag 3 december 2030, 17:30"), "the weekday and time: {body}");
    let link = line_starting(body, &format!("{}/activiteit-afmelden/", node.base_url()))?;
    let path = link.trim_start_matches(&node.base_url()).to_string();

    let mut truus = PageVisitor::new(&node.base_url())?;
    let asked = truus.get(&path).await?;
    assert_eq!(asked.status, StatusCode::OK);
    assert_eq!(participant_count(&node, id).await?, 1, "opening the link changes nothing");
    let done = truus.submit(&path, &path, &[]).await?;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(participant_count(&node, id).await?, 0, "her place is free");
    tokio::time::sleep(QUIET).await;
    assert_eq!(sink.received()?.len(), 1, "one mail, however often the worker runs");
    Ok(())
}

/// What the guest's mails were about: their subjects, oldest first.
fn subjects(sink: &Sink, address: &str) -> Result<Vec<String>> {
    Ok(sink.to(address)?.iter().map(|m| m["subject"].as_str().unwrap_or_default().to_string()).collect())
}

async fn guests_with_an_address_hear_of_decisions_moves_and_cancelling(backend: Backend) -> Result<()> {
    let Some((sink, node)) = sink_and_node(backend, 3600).await? else { return Ok(()) };
    let initiative = node.add_initiative("samen_eten", false).await?;
    let organiser = node.add_member("fatima", Some(&initiative)).await?;
    let id = guest_meal(&node, &organiser, &initiative, "approval").await?;
    for (name, email) in [("Truus", "truus@example.nl"), ("Ans", "ans@example.nl"), ("Wim", "wim@example.nl")] {
        guest_signs_up(&node, id, &[("name", name), ("email", email)]).await?;
    }
    guest_signs_up(&node, id, &[("name", "Henk"), ("phone", "06 12345678")]).await?;
    for address in ["truus@example.nl", "ans@example.nl", "wim@example.nl"] {
        sink.wait_for(address, 1).await?;
    }
    let guests = buurtnet_domain::store::guests::for_event(&mut node.store().conn().await?, id).await?;
    let guest = |name: &str| guests.iter().find(|g| g.name == name).map(|g| g.id).context("guest");

    let mut fatima = logged_in(&node, "fatima").await?;
    let organise = format!("/bericht/{id}/organiseren");
    for (name, decision) in [("Truus", "accept"), ("Ans", "decline")] {
        let decided = fatima.submit(&organise, &format!("/bericht/{id}/gasten/{}", guest(name)?), &[("decision", decision)]).await?;
        assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
    }
    let accepted = sink.wait_for("truus@example.nl", 2).await?.remove(1);
    assert_eq!(accepted["subject"], "Je kunt komen: Samen eten in De Ark", "{accepted}");
    let refused = sink.wait_for("ans@example.nl", 2).await?.remove(1);
    assert_eq!(refused["subject"], "Het lukt niet: Samen eten in De Ark", "{refused}");

    let mut form = vec![
        ("title", "Samen eten in De Ark"),
        ("description", "Iedereen welkom. Neem een bord mee."),
        ("date", "2030-12-03"),
        ("start", "17:30"),
        ("end", "20:00"),
        ("place", "Buurthuis De Ark"),
        ("capacity", "10"),
        ("join_mode", "approval"),
    ];
    let saved = fatima.submit(&organise, &organise, &form).await?;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    form.retain(|(k, _)| *k != "date");
    form.push(("date", "2030-12-10"));
    let moved = fatima.submit(&organise, &organise, &form).await?;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let mail = sink.wait_for("truus@example.nl", 3).await?.remove(2);
    assert_eq!(mail["subject"], "Gewijzigd: Samen eten in De Ark", "only the move is mailed, not the new description: {mail}");
    let body = mail["body"].as_str().context("body")?;
    assert!(body.starts_with("Hallo Truus,") && body.contains("dinsdag 10 december 2030, 17:30"), "the new time: {body}");
    sink.wait_for("wim@example.nl", 2).await.context("who still waits hears it too")?;
    let list = fatima.get(&organise).await?;
    assert!(list.body.contains("Geen e-mail: bel zelf"), "the list says whom to phone: {}", list.body);

    let cancelled = fatima.submit(&organise, &format!("/bericht/{id}/afgelasten"), &[("sure", "ja")]).await?;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER, "{}", cancelled.body);
    let mail = sink.wait_for("truus@example.nl", 4).await?.remove(3);
    assert_eq!(mail["subject"], "Gaat niet door: Samen eten in De Ark", "{mail}");
    assert!(mail["body"].as_str().is_some_and(|b| b.contains("gaat niet door")), "{mail}");
    sink.wait_for("wim@example.nl", 3).await?;
    tokio::time::sleep(QUIET).await;
    assert_eq!(subjects(&sink, "truus@example.nl")?.len(), 4, "signed up, let in, moved, cancelled");
    assert_eq!(subjects(&sink, "ans@example.nl")?.len(), 2, "nothing after she was refused");
    assert_eq!(subjects(&sink, "wim@example.nl")?.len(), 3, "signed up, moved, cancelled");
    assert_eq!(sink.received()?.len(), 9, "nothing to anyone else");
    Ok(())
}

/// Skipping a date of a repeating meal on the organiser's page cancels it: the guests who
/// signed up for that date with an address hear it by mail, as for any cancellation, each in
/// the language she signed up in.
async fn a_guest_hears_when_her_date_of_a_repeating_meal_is_skipped(backend: Backend) -> Result<()> {
    let Some((sink, node)) = sink_and_node(backend, 3600).await? else { return Ok(()) };
    let initiative = node.add_initiative("samen_eten", false).await?;
    node.add_member("fatima", Some(&initiative)).await?;
    let mut fatima = logged_in(&node, "fatima").await?;
    let form = [
        ("author", "samen_eten"),
        ("title", "Soep op dinsdag"),
        ("date", "2030-12-03"),
        ("start", "17:30"),
        ("place", "Buurthuis De Ark"),
        ("join_mode", "free"),
        ("repeat", "weekly"),
        ("repeat_count", "4"),
        ("visibility", "public"),
        ("action", "publish"),
    ];
    let made = fatima.submit("/nieuw/activiteit", "/nieuw/activiteit", &form).await?;
    let location = made.location.context("a redirect to the first date")?;
    let id: i64 = location.trim_start_matches("/bericht/").split('?').next().unwrap_or_default().parse()?;
    guest_signs_up(&node, id, &[("name", "Truus"), ("email", "truus@example.nl")]).await?;
    sink.wait_for("truus@example.nl", 1).await?;
    // A neighbour who reads the pages in English hears in English.
    let mut english = PageVisitor::new(&node.base_url())?;
    english.get("/taal/en").await?;
    let signed_up = english
        .submit(&format!("/bericht/{id}"), &format!("/bericht/{id}/aanmelden-als-gast"), &[("name", "Sam"), ("email", "sam@example.nl")])
        .await?;
    assert_eq!(signed_up.status, StatusCode::OK, "{}", signed_up.body);
    sink.wait_for("sam@example.nl", 1).await?;

    let organise = format!("/bericht/{id}/organiseren");
    let skipped = fatima.submit(&organise, &format!("/bericht/{id}/reeks/overslaan"), &[("date", "2030-12-03")]).await?;
    assert_eq!(skipped.status, StatusCode::SEE_OTHER, "{}", skipped.body);
    let mail = sink.wait_for("truus@example.nl", 2).await?.remove(1);
    assert_eq!(mail["subject"], "Gaat niet door: Soep op dinsdag", "{mail}");
    let mail = sink.wait_for("sam@example.nl", 2).await?.remove(1);
    assert_eq!(mail["subject"], "Cancelled: Soep op dinsdag", "{mail}");
    let body = mail["body"].as_str().context("body")?;
    assert!(body.contains("Tuesday 3 December 2030, 17:30, Buurthuis De Ark"), "when and where, in English: {body}");
    Ok(())
}

/// The administrator's page says whether e-mail is on, and how to turn it on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_page_says_whether_mail_is_on() -> Result<()> {
    let off = TestNode::start(Backend::Sqlite).await?;
    let initiative = off.add_initiative("buurt", false).await?;
    off.add_admin("beheer", &initiative).await?;
    let page = logged_in(&off, "beheer").await?.get("/beheer/instellingen").await?;
    assert!(page.body.contains("E-mail staat uit.") && page.body.contains("[mail]"), "{}", page.body);
    let member_page = logged_in(&off, "beheer").await?.get("/mijn-gegevens").await?;
    assert!(member_page.body.contains("verstuurt nog geen e-mail"), "members read it too");

    let on = mailing_node(Backend::Sqlite, free_port()?, 3600).await?;
    let initiative = on.add_initiative("buurt", false).await?;
    on.add_admin("beheer", &initiative).await?;
    let page = logged_in(&on, "beheer").await?.get("/beheer/instellingen").await?;
    assert!(page.body.contains("E-mail staat aan.") && page.body.contains("Stuur mij een proefmail"), "{}", page.body);
    Ok(())
}
