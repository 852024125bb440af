//! The soak (issue 17): one `buurtnet serve` process under inbox, API, page and delivery load
//! at once for a bounded time, on loopback only. 20 s here; for the long run:
//! `BUURTNET_SOAK_SECS=600 cargo test -p buurtnet-tests --test soak -- --nocapture`.
//! It holds that:
//! - no request fails;
//! - memory stays flat: the last third of the run is not above the first third by more
//!   than what warming up explains;
//! - the pending work drains once the load stops;
//! - every signed note sent to the inbox is kept.
//!
//! It prints its figures; a long run's figures are in docs/benchmarks.md.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::Actor;
use buurtnet_domain::{Store, store};
use buurtnet_tests::harness::{Backend, TestNode, eventually, post_signed, signer_of};
use buurtnet_tests::process::NodeProcess;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Requests answered well and not, per kind of load.
#[derive(Default)]
struct Tally {
    ok: AtomicU64,
    failed: AtomicU64,
}

impl Tally {
    fn count(&self, ok: bool) {
        if ok { &self.ok } else { &self.failed }.fetch_add(1, Ordering::Relaxed);
    }

    fn read(&self) -> (u64, u64) {
        (self.ok.load(Ordering::Relaxed), self.failed.load(Ordering::Relaxed))
    }
}

fn resident_mb(pid: u32) -> Result<f64> {
    status_mb(pid, "VmRSS:")
}

/// A memory figure of `/proc/{pid}/status` (`VmRSS:`, `RssAnon:`, `RssFile:`) in MB.
fn status_mb(pid: u32, field: &str) -> Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kb: f64 =
        status.lines().find_map(|l| l.strip_prefix(field)).context("memory field")?.trim().trim_end_matches("kB").trim().parse()?;
    Ok(kb / 1024.0)
}

/// Members write through the Mastodon API (each post goes out to the follower elsewhere).
async fn api_load(base: String, bearer: String, until: Instant, tally: Arc<Tally>) {
    let client = reqwest::Client::new();
    for i in 0.. {
        if Instant::now() > until {
            break;
        }
        let body = serde_json::json!({"status": format!("Soep op zaterdag, ronde {i}"), "visibility": "public"});
        let sent = client.post(format!("{base}/api/v1/statuses")).header("Authorization", &bearer).json(&body).send().await;
        tally.count(sent.is_ok_and(|r| r.status().is_success()));
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
}

/// Visitors read the pages and the actor document.
async fn page_load(base: String, until: Instant, tally: Arc<Tally>) {
    let client = reqwest::Client::new();
    let paths = ["/", "/hulp", "/agenda", "/users/schrijver", "/api/v1/timelines/public"];
    for i in 0.. {
        if Instant::now() > until {
            break;
        }
        let got = client.get(format!("{base}{}", paths[i % paths.len()])).send().await;
        tally.count(got.is_ok_and(|r| r.status().is_success()));
    }
}

/// A member elsewhere sends signed notes to the inbox, addressed to the writer here.
async fn inbox_load(base: String, sender: Actor, origin: String, until: Instant, tally: Arc<Tally>) -> Vec<String> {
    let signer = signer_of(&sender);
    let mut sent = Vec::new();
    for i in 0.. {
        if Instant::now() > until {
            break;
        }
        let note = format!("{origin}/notes/soak-{i}");
        let activity = serde_json::json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{note}/activity"), "type": "Create", "actor": sender.ap_id,
            "to": [format!("{base}/users/schrijver")],
            "object": {"id": note, "type": "Note", "attributedTo": sender.ap_id, "content": format!("<p>Hoi, bericht {i}</p>"),
                       "to": [format!("{base}/users/schrijver")], "published": chrono::Utc::now().to_rfc3339()}
        });
        let status = post_signed(&format!("{base}/inbox"), activity.to_string().as_bytes(), Some(&signer), None).await;
        let ok = status.is_ok_and(|s| s.is_success());
        tally.count(ok);
        if ok {
            sent.push(note);
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    sent
}

/// Pending deliveries and outbox entries, from the node's own `/metrics`.
async fn pending_work(base: &str) -> Result<f64> {
    let metrics = reqwest::get(format!("{base}/metrics")).await?.text().await?;
    let value =
        |prefix: &str| metrics.lines().find_map(|l| l.strip_prefix(prefix)).and_then(|v| v.trim().parse::<f64>().ok()).unwrap_or(0.0);
    Ok(value("buurtnet_deliveries{state=\"pending\"} ") + value("buurtnet_outbox_pending "))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_under_every_kind_of_load_at_once_stays_well() -> Result<()> {
    let secs: u64 = std::env::var("BUURTNET_SOAK_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    let elsewhere = TestNode::start(Backend::Sqlite).await?;
    let reader = elsewhere.add_member("lezer", None).await?;
    let kees = elsewhere.add_member("kees", None).await?;
    let process = NodeProcess::new("[federation.delivery]\nretry_base_ms = 200\nretry_max_ms = 1000\n")?;
    process.add_member("schrijver").await?;
    let child = process.serve().await?;
    let pid = child.id().context("pid")?;
    let base = process.base_url();
    elsewhere.follow_and_wait(&reader, &format!("{base}/users/schrijver")).await?;
    let bearer = buurtnet_tests::app::bearer(&base, "schrijver", "read write").await?;

    let until = Instant::now() + Duration::from_secs(secs);
    let (api, pages, inbox) = (Arc::new(Tally::default()), Arc::new(Tally::default()), Arc::new(Tally::default()));
    let load = (
        tokio::spawn(api_load(base.clone(), bearer, until, api.clone())),
        tokio::spawn(page_load(base.clone(), until, pages.clone())),
        tokio::spawn(inbox_load(base.clone(), kees, elsewhere.base_url(), until, inbox.clone())),
    );
    let (mut memory, mut pending) = (Vec::new(), Vec::new());
    while Instant::now() < until {
        tokio::time::sleep(Duration::from_secs(1)).await;
        memory.push(resident_mb(pid)?);
        pending.push(pending_work(&base).await?);
        if memory.len() % 60 == 0 {
            // Anonymous memory is the node's own; file-backed is mostly its program text.
            let (anon, file) = (status_mb(pid, "RssAnon:")?, status_mb(pid, "RssFile:")?);
            eprintln!(
                "minute {}: {:.1} MB ({anon:.1} anonymous, {file:.1} file), pending {}",
                memory.len() / 60,
                memory[memory.len() - 1],
                pending[pending.len() - 1]
            );
        }
    }
    load.0.await?;
    load.1.await?;
    let notes = load.2.await?;

    let (third, peak) = (memory.len() / 3, memory.iter().copied().fold(0.0, f64::max));
    let mean = |samples: &[f64]| samples.iter().sum::<f64>() / samples.len().max(1) as f64;
    let (early, late) = (mean(&memory[..third.max(1)]), mean(&memory[memory.len() - third.max(1)..]));
    let most_pending = pending.iter().copied().fold(0.0, f64::max);
    eprintln!(
        "soak {secs} s: api {:?}, pages {:?}, inbox {:?} (ok, failed); memory {early:.1} -> {late:.1} MB, peak {peak:.1} MB; pending at most {most_pending}",
        api.read(),
        pages.read(),
        inbox.read()
    );
    for (what, tally) in [("api", &api), ("pages", &pages), ("inbox", &inbox)] {
        let (ok, failed) = tally.read();
        assert!(ok > 0 && failed == 0, "{what}: {ok} answered, {failed} failed");
    }
    assert!(late <= early * 1.25 + 8.0, "memory grows: {early:.1} MB in the first third, {late:.1} MB in the last");
    eventually("the pending work drains", || async { Ok((pending_work(&base).await? == 0.0).then_some(())) }).await?;
    let store = Store::connect(&process.database_url()).await?;
    for note in &notes {
        assert!(store::posts::by_ap_id(&mut store.conn().await?, note).await?.is_some(), "the note {note} is kept");
    }
    Ok(())
}
