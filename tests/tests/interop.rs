//! Independent ActivityPub implementations against a real node: a peer built on the Fedify
//! library (npm) and a signer built on bovine (PyPI), both pinned in `tests/interop/` and
//! installed by `scripts/install-interop-deps.sh`.
//!
//! Without those installed the tests fail in CI and are skipped loudly elsewhere.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::Visibility;
use buurtnet_tests::harness::{Backend, TestNode, eventually};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Stdio;
use tokio::process::Command;

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
    eprintln!("SKIPPED INTEROP: {what} is not installed; run scripts/install-interop-deps.sh");
    Ok(false)
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
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
    let _peer = Command::new("node")
        .arg("fedify_peer.mjs")
        .arg(port.to_string())
        .current_dir(interop_dir())
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("starting node")?;
    let client = reqwest::Client::new();
    let received_url = format!("{peer_origin}/control/received");
    eventually("the Fedify peer answers", || async { Ok(client.get(&received_url).send().await.ok().map(|_| ())) }).await?;

    let mut follow_url = url::Url::parse(&format!("{peer_origin}/control/follow"))?;
    follow_url.query_pairs_mut().append_pair("target", &member.ap_id);
    let sent = client.post(follow_url).send().await?;
    assert_eq!(sent.status(), 202, "the peer could look up our actor and send: {}", sent.text().await?);
    let peer_actor = format!("{peer_origin}/users/peer");
    eventually("Buurtnet accepts the Fedify peer's follow", || async {
        Ok(node.follow_state(&peer_actor, &member.ap_id).await?.filter(|s| s == "accepted"))
    })
    .await?;
    let received = |kind: &'static str, object: String| {
        let (client, url) = (client.clone(), received_url.clone());
        async move {
            let items: Vec<Value> = client.get(&url).send().await?.json().await?;
            Ok(items.into_iter().find(|i| i["type"] == kind && i["object"] == object.as_str()))
        }
    };
    let accept_from_member = || {
        let (client, url, actor) = (client.clone(), received_url.clone(), member.ap_id.clone());
        async move {
            let items: Vec<Value> = client.get(&url).send().await?.json().await?;
            Ok(items.into_iter().find(|i| i["type"] == "Accept" && i["actor"] == actor.as_str()))
        }
    };
    eventually("the peer received and verified our Accept", accept_from_member).await?;

    let post = node.publish(&member, "Hallo Fedify, hier is Buurtnet!", Visibility::Public).await?;
    eventually("the peer verified our Create", || received("Create", post.ap_id.clone())).await?;
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
    let port = free_port()?;
    let output = Command::new(&python)
        .arg("bovine_post.py")
        .args(["--port", &port.to_string(), "--inbox", &format!("{}/inbox", node.base_url()), "--follow", &member.ap_id])
        .current_dir(interop_dir())
        .kill_on_drop(true)
        .output()
        .await?;
    anyhow::ensure!(output.status.success(), "bovine script failed: {}", String::from_utf8_lossy(&output.stderr));
    let result: Value = serde_json::from_slice(&output.stdout).with_context(|| String::from_utf8_lossy(&output.stdout).to_string())?;
    assert_eq!(result["signed_status"], 202, "{result}");
    assert_eq!(result["tampered_status"], 401, "{result}");
    let bovine_actor = format!("http://localhost:{port}/actor");
    assert_eq!(node.follow_state(&bovine_actor, &member.ap_id).await?.as_deref(), Some("accepted"));
    assert_eq!(
        result["accepted_follow"][0],
        format!("http://localhost:{port}/activities/1"),
        "the Accept names the signed Follow, not the tampered one"
    );
    Ok(())
}
