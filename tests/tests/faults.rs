//! What real networks and disks do to a node (issue 17): a peer that resets connections,
//! before or after it took the activity, and a disk that runs full. Afterwards nothing is
//! lost, nothing shows twice, and the node says what happened.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::Visibility;
use buurtnet_domain::ops::posts::PostDraft;
use buurtnet_domain::{ops, store};
use buurtnet_tests::harness::{Backend, TestNode, eventually};
use buurtnet_tests::resetting::{Breakage, ResettingProxy};

/// The sender's record of the peer at `host`, once it has one.
async fn peer(sender: &TestNode, host: &str) -> Result<Option<store::deliveries::Peer>> {
    Ok(store::deliveries::peers(&mut sender.store().conn().await?).await?.into_iter().find(|p| p.host == host))
}

/// The statuses of `reader`'s home timeline, by their `uri`, as her app shows them.
async fn home_timeline(node: &TestNode, reader: &str) -> Result<Vec<String>> {
    let bearer = buurtnet_tests::app::bearer(&node.base_url(), reader, "read").await?;
    let statuses: Vec<serde_json::Value> = reqwest::Client::new()
        .get(format!("{}/api/v1/timelines/home?limit=40", node.base_url()))
        .header("Authorization", bearer)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(statuses.iter().filter_map(|s| s["uri"].as_str().map(str::to_string)).collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_that_resets_connections_gets_everything_once() -> Result<()> {
    // Everything sent to the receiver passes through the proxy: its address is the proxy's.
    let proxy = ResettingProxy::start().await?;
    let peer_host = format!("localhost:{}", proxy.port);
    let receiver = TestNode::start_with(Backend::Sqlite, |config| config.domain = peer_host.clone()).await?;
    proxy.forward_to(receiver.port);
    let sender = TestNode::start(Backend::Sqlite).await?;
    let author = sender.add_member("schrijver", None).await?;
    let reader = receiver.add_member("lezer", None).await?;
    receiver.follow_and_wait(&reader, &author.ap_id).await?;

    proxy.set(Breakage::ResetOnConnect);
    let state = sender.node.as_ref().context("running")?.state();
    let mut ids = Vec::new();
    for i in 0..3 {
        let draft = PostDraft::plain(format!("Soep op dinsdag, week {i}"), Visibility::Public, vec![]);
        ids.push(ops::posts::publish(&state.store, &state.urls, &author, &author, &draft).await?.ap_id);
    }
    state.wake_delivery();
    let failing = eventually("the sender records the resets", || async {
        Ok(peer(&sender, &peer_host).await?.filter(|p| p.consecutive_failures >= 2))
    })
    .await?;
    let said = failing.last_error.unwrap_or_default();
    // On a busy machine the reset can come before the HTTP client has the new connection
    // ready to send on, and it says so in its own words; either way the cause is the connection.
    let cut_off = said.contains("reset") || said.contains("connection was not ready");
    assert!(cut_off, "the node says the peer cut the connection: {said:?}");
    for id in &ids {
        assert!(receiver.post(id).await?.is_none(), "nothing got through a reset at connect");
    }

    // Now each request arrives but its answer is lost: the sender cannot know, and tries again.
    proxy.set(Breakage::ResetAfterDelivery);
    let resets_before = proxy.resets();
    for id in &ids {
        eventually("the post arrives although its answer is lost", || async { receiver.post(id).await }).await?;
    }
    eventually("the sender tries again after a lost answer", || async { Ok((proxy.resets() >= resets_before + ids.len()).then_some(())) })
        .await?;

    proxy.set(Breakage::None);
    eventually("the sender's queue drains", || async {
        let (pending, _, failed) = store::deliveries::counts(&mut sender.store().conn().await?).await?;
        assert_eq!(failed, 0, "nothing is given up");
        Ok((pending == 0).then_some(()))
    })
    .await?;
    let healed = peer(&sender, &peer_host).await?.context("the peer")?;
    assert_eq!(healed.consecutive_failures, 0, "the peer counts as healthy again");

    let timeline = home_timeline(&receiver, "lezer").await?;
    for id in &ids {
        assert_eq!(timeline.iter().filter(|uri| *uri == id).count(), 1, "{id} shows once: {timeline:?}");
    }
    Ok(())
}

/// A small disk of its own (a tmpfs mounted for the test, so it runs full for real, with
/// `ENOSPC`); unmounted when dropped. Mounting needs root, as this project's CI has.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> Result<SmallDisk> {
        let dir = tempfile::tempdir()?;
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .status()?;
        anyhow::ensure!(mounted.success(), "mounting a small tmpfs needs root (this test fails without it, on purpose)");
        Ok(SmallDisk { dir })
    }

    fn path(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// Fills what is left with a file, until the disk says it is full, then leaves `kilobytes`.
    fn fill_leaving(&self, kilobytes: u64) -> Result<()> {
        use std::io::Write as _;
        let mut filler = std::fs::File::create(self.dir.path().join("filler"))?;
        let block = vec![0u8; 64 * 1024];
        loop {
            if let Err(e) = filler.write_all(&block).and_then(|()| filler.sync_all()) {
                anyhow::ensure!(e.raw_os_error() == Some(28), "the disk is full, not {e}");
                let full = filler.metadata()?.len();
                return Ok(filler.set_len(full.saturating_sub(kilobytes * 1024))?);
            }
        }
    }

    /// Makes room again, as an administrator would.
    fn free(&self) -> Result<()> {
        Ok(std::fs::remove_file(self.dir.path().join("filler"))?)
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

/// Posts `text` through the API; the answer's status and body.
async fn post_status(base: &str, bearer: &str, text: &str) -> Result<(u16, serde_json::Value)> {
    let answer = reqwest::Client::new()
        .post(format!("{base}/api/v1/statuses"))
        .header("Authorization", bearer)
        .json(&serde_json::json!({"status": text, "visibility": "public"}))
        .send()
        .await?;
    let status = answer.status().as_u16();
    Ok((status, answer.json().await.unwrap_or_default()))
}

/// The disk runs full while a node takes posts and delivers them: the posts it could not keep
/// are refused with a clear answer, the node keeps answering and says in its log what is
/// wrong, and once there is room again it takes posts and delivers every one it confirmed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_clearly_and_loses_nothing_confirmed() -> Result<()> {
    let disk = SmallDisk::mount(24)?;
    let receiver = TestNode::start(Backend::Sqlite).await?;
    let reader = receiver.add_member("lezer", None).await?;
    let process =
        buurtnet_tests::process::NodeProcess::new_in("[federation.delivery]\nretry_base_ms = 200\nretry_max_ms = 1000\n", disk.path())?;
    process.add_member("schrijver").await?;
    let log_path = std::env::temp_dir().join(format!("buurtnet-disk-full-{}.log", process.port));
    let mut serve = process.command(&["serve"]);
    serve.stderr(std::fs::File::create(&log_path)?);
    let mut child = process.serve_with(serve).await?;
    receiver.follow_and_wait(&reader, &format!("{}/users/schrijver", process.base_url())).await?;
    let bearer = buurtnet_tests::app::bearer(&process.base_url(), "schrijver", "read write").await?;

    disk.fill_leaving(2048)?;
    let (mut confirmed, mut refused) = (Vec::new(), None);
    for i in 0..400 {
        let (status, body) = post_status(&process.base_url(), &bearer, &format!("Boodschappen, ronde {i}: {}", "x".repeat(2000))).await?;
        if (200..300).contains(&status) {
            confirmed.push(body["uri"].as_str().context("uri")?.to_string());
        } else {
            refused = Some((status, body));
            break;
        }
    }
    let (status, body) = refused.context("a full disk refuses a post at some point")?;
    assert!(confirmed.len() >= 5, "posts are taken until the disk is full ({} were)", confirmed.len());
    assert_eq!(status, 507, "Insufficient Storage says what is wrong: {body}");
    assert!(body["error"].as_str().is_some_and(|e| e.contains("full")), "{body}");
    let health = reqwest::get(format!("{}/health", process.base_url())).await?;
    assert!(health.status().is_success(), "the node keeps answering: {}", health.status());
    assert!(child.try_wait()?.is_none(), "the node is still running");

    disk.free()?;
    // A write that was under way when room came back may still fail once; the next go through.
    let log = || std::fs::read_to_string(&log_path).unwrap_or_default();
    let again = eventually("writes go through again once there is room", || async {
        let (status, body) = post_status(&process.base_url(), &bearer, "Er is weer ruimte").await?;
        if !(200..300).contains(&status) {
            eprintln!("a write right after room came back: {status} {body}\n{}", log());
        }
        Ok((200..300).contains(&status).then_some(body))
    })
    .await?;
    confirmed.push(again["uri"].as_str().context("uri")?.to_string());
    for uri in &confirmed {
        eventually("every confirmed post reaches the follower", || async { receiver.post(uri).await }).await?;
    }
    assert!(log().contains("disk is full"), "the log says what happened:\n{}", log());
    eprintln!("{} posts confirmed before and after the disk ran full", confirmed.len());
    child.start_kill()?;
    child.wait().await?;
    let _ = std::fs::remove_file(&log_path);
    Ok(())
}

/// A follower's node is down (every connection to it is reset). After its first failure the
/// sender holds its whole queue back until the retry is due: twenty more posts cost it no
/// connection and no signature meanwhile, while a healthy follower gets every post at once.
/// When the peer speaks to us again, its queue goes out without waiting.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_known_to_be_down_costs_nothing_until_it_is_tried_again() -> Result<()> {
    let dead = ResettingProxy::start().await?;
    dead.set(Breakage::ResetOnConnect);
    let sender = TestNode::start_with(Backend::Sqlite, |config| {
        config.federation.delivery.retry_base_ms = 30_000;
        config.federation.delivery.retry_max_ms = 60_000;
    })
    .await?;
    let receiver = TestNode::start(Backend::Sqlite).await?;
    let author = sender.add_member("schrijver", None).await?;
    let reader = receiver.add_member("lezer", None).await?;
    receiver.follow_and_wait(&reader, &author.ap_id).await?;
    let dead_follower = format!("http://localhost:{}/users/weg", dead.port);
    buurtnet_tests::harness::add_stand_in_follower(sender.store(), &dead_follower, &author).await?;

    let state = sender.node.as_ref().context("running")?.state();
    let publish = async |text: String| {
        let draft = PostDraft::plain(text, Visibility::Public, vec![]);
        let post = ops::posts::publish(&state.store, &state.urls, &author, &author, &draft).await;
        state.wake_delivery();
        post
    };
    let first = publish("De eerste".into()).await?;
    eventually("the first delivery to the dead peer fails", || async { Ok((dead.resets() >= 1).then_some(())) }).await?;
    eventually("the healthy follower gets the first", || async { receiver.post(&first.ap_id).await }).await?;
    let tried = dead.resets();
    let mut later = Vec::new();
    for i in 0..20 {
        later.push(publish(format!("Nog een, nummer {i}")).await?.ap_id);
    }
    for id in &later {
        eventually("the healthy follower gets every post at once", || async { receiver.post(id).await }).await?;
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(dead.resets(), tried, "no connection to a peer held back until its retry");

    // It speaks to us: its queue is released at once.
    let dead_host = format!("localhost:{}", dead.port);
    let waiting = store::deliveries::pending_by_host(&mut sender.store().conn().await?).await?;
    assert_eq!(waiting.iter().find(|(host, _)| *host == dead_host).map(|(_, n)| *n), Some(21), "all of them wait");
    store::deliveries::wake_host(&mut sender.store().conn().await?, &dead_host).await?;
    state.wake_delivery();
    eventually("a peer that speaks to us is tried again at once", || async { Ok((dead.resets() > tried).then_some(())) }).await?;
    Ok(())
}
