//! Independent ActivityPub implementations against a real node: a peer built on the Fedify
//! library (npm) and a signer built on bovine (PyPI), both pinned in `tests/interop/` and
//! installed by `scripts/install-interop-deps.sh`.
//!
//! Without those installed the tests fail in CI and are skipped loudly elsewhere.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::Visibility;
use buurtnet_tests::harness::{Backend, PATIENCE, TestNode, eventually};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

fn interop_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("interop")
}

/// Whether the peers are installed; outside CI a missing install skips the test loudly.
fn peers_installed(what: &str, marker: PathBuf) -> Result<bool> {
    if marker.exists() {
        return Ok(true);
    }
    if std::env::var_os("CI").is_some() {
        anyhow::bail!("{} is missing: scripts/install-interop-deps.sh must run before the tests in CI", marker.display());
    }
    eprintln!("SKIPPED INTEROP: {what} is not installed ({} is missing); run scripts/install-interop-deps.sh", marker.display());
    Ok(false)
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Waits until the peer answers `url`, failing at once if its process ends.
async fn wait_until_serving(peer: &mut Child, client: &reqwest::Client, url: &str) -> Result<()> {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        if let Some(status) = peer.try_wait()? {
            anyhow::bail!("the Fedify peer exited ({status}) before it answered {url}; its stderr is above");
        }
        if client.get(url).send().await.is_ok_and(|r| r.status().is_success()) {
            return Ok(());
        }
        anyhow::ensure!(tokio::time::Instant::now() < deadline, "the Fedify peer did not answer {url}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// What the Fedify peer received and verified, as `{type, id, actor, object}` items.
async fn received(client: &reqwest::Client, url: &str) -> Result<Vec<Value>> {
    Ok(client.get(url).send().await?.error_for_status()?.json().await?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fedify_peer_follows_a_member_and_receives_her_posts() -> Result<()> {
    if !peers_installed("Fedify", interop_dir().join("node_modules/@fedify/fedify/package.json"))? {
        return Ok(());
    }
    let node = TestNode::start(Backend::Sqlite).await?;
    let member = node.add_member("greet", None).await?;
    let port = free_port()?;
    let peer_origin = format!("http://localhost:{port}");
    let mut peer = Command::new("node")
        .arg("fedify_peer.mjs")
        .arg(port.to_string())
        .current_dir(interop_dir())
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("starting the Fedify peer with `node`")?;
    let client = reqwest::Client::new();
    let received_url = format!("{peer_origin}/control/received");
    wait_until_serving(&mut peer, &client, &received_url).await?;

    // The peer looks our member up by URL (its parser reads our actor JSON-LD) and sends a
    // Follow signed with its key, which we verify.
    let mut follow_url = url::Url::parse(&format!("{peer_origin}/control/follow"))?;
    follow_url.query_pairs_mut().append_pair("target", &member.ap_id);
    let sent = client.post(follow_url).send().await?;
    let status = sent.status();
    let answer = sent.text().await?;
    assert_eq!(status, 202, "the Fedify peer could not look up our actor or deliver its Follow: {answer}");
    let follow_id = serde_json::from_str::<Value>(&answer)?["follow"].as_str().context("follow id")?.to_owned();
    let peer_actor = format!("{peer_origin}/users/peer");
    eventually("Buurtnet accepts the Fedify peer's follow", || async {
        Ok(node.follow_state(&peer_actor, &member.ap_id).await?.filter(|s| s == "accepted"))
    })
    .await?;

    // Fedify hands only activities whose signature it verified to its inbox listeners.
    eventually("the Fedify peer receives and verifies our Accept", || async {
        let items = received(&client, &received_url).await?;
        Ok(items.into_iter().find(|i| i["type"] == "Accept" && i["actor"] == member.ap_id.as_str()))
    })
    .await
    .map(|accept| assert_eq!(accept["object"], follow_id.as_str(), "the Accept names the peer's Follow: {accept}"))?;

    let post = node.publish(&member, "Hallo Fedify, hier is Buurtnet!", Visibility::Public).await?;
    let create = eventually("the Fedify peer receives and verifies our Create", || async {
        let items = received(&client, &received_url).await?;
        Ok(items.into_iter().find(|i| i["type"] == "Create" && i["object"] == post.ap_id.as_str()))
    })
    .await?;
    assert_eq!(create["actor"], member.ap_id.as_str(), "{create}");

    // The peer's log means something: an unsigned copy of an activity is refused and not logged.
    let forged = serde_json::json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#forged", create["id"].as_str().unwrap_or_default()),
        "type": "Create",
        "actor": member.ap_id,
        "object": {"id": format!("{}/forged", member.ap_id), "type": "Note", "attributedTo": member.ap_id, "content": "forged"},
    });
    let unsigned = client
        .post(format!("{peer_origin}/users/peer/inbox"))
        .header("content-type", "application/activity+json")
        .body(forged.to_string())
        .send()
        .await?;
    assert_eq!(unsigned.status(), 401, "the Fedify peer must refuse unsigned activities");
    let items = received(&client, &received_url).await?;
    assert!(!items.iter().any(|i| i["id"] == forged["id"]), "the peer logged an unsigned activity: {items:?}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bovine_signed_post_is_accepted_and_tampered_copy_rejected() -> Result<()> {
    let python = interop_dir().join(".venv/bin/python");
    if !peers_installed("bovine", python.clone())? {
        return Ok(());
    }
    let node = TestNode::start(Backend::Sqlite).await?;
    let member = node.add_member("greet", None).await?;
    let other = node.add_member("piet", None).await?;
    let port = free_port()?;
    let run = Command::new(&python)
        .arg("bovine_post.py")
        .args(["--port", &port.to_string(), "--inbox", &format!("{}/inbox", node.base_url())])
        .args(["--follow", &member.ap_id, "--tamper-target", &other.ap_id])
        .current_dir(interop_dir())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(PATIENCE * 2, run).await.context("the bovine script did not finish")??;
    anyhow::ensure!(output.status.success(), "the bovine script failed: {}", String::from_utf8_lossy(&output.stderr));
    let result: Value = serde_json::from_slice(&output.stdout)
        .with_context(|| format!("bovine script output: {}", String::from_utf8_lossy(&output.stdout)))?;

    let activity = |n: u32| format!("http://localhost:{port}/activities/{n}");
    let bovine_actor = format!("http://localhost:{port}/actor");
    // Signed by bovine, then the body swapped for a Follow of `other`.
    assert_eq!(result["tampered_status"], 401, "a body changed after signing: {result}");
    // The same, with the Digest header recomputed: only the signature can tell.
    assert_eq!(result["tampered_digest_status"], 401, "a body and Digest changed after signing: {result}");
    assert_eq!(result["signed_status"], 202, "bovine's signed Follow: {result}");

    assert_eq!(node.follow_state(&bovine_actor, &member.ap_id).await?.as_deref(), Some("accepted"));
    assert_eq!(node.follow_state(&bovine_actor, &other.ap_id).await?, None, "the tampered Follows changed nothing");

    let received = result["received"].as_array().context("received")?;
    let accept = received.iter().find(|i| i["type"] == "Accept").with_context(|| format!("no Accept reached bovine: {result}"))?;
    assert_eq!(accept["object"], activity(5), "the Accept names the signed Follow: {result}");
    assert_eq!(accept["verified_by"], member.ap_id.as_str(), "bovine.crypto verifies our Accept's signature: {result}");
    for item in received {
        assert!(
            ![2, 4].map(activity).contains(&item["object"].as_str().unwrap_or_default().to_owned()),
            "answered a tampered copy: {item}"
        );
    }
    Ok(())
}
