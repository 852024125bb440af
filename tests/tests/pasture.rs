//! Conformance with what the fediverse sends, measured by fediverse-pasture-inputs 0.3.0
//! (pinned in `tests/interop/requirements.lock`): `tests/interop/pasture_send.py` sends each of
//! its 262 examples as a signed `Create` to a member of a real node, and this test reads each
//! back through the Mastodon API as the member and compares what she is shown with the table
//! `tests/pasture/expected.json`. Any difference fails the test.
//!
//! The table holds, per example (`group/index`), the inbox's answer, what the API shows (or
//! null: not shown) and `mastodon`: "same" when Mastodon shows the same, else "differs
//! (deliberate): " and the reason, each read from Mastodon's source (cited in the note). A note
//! that leaves a difference unexplained ("unverified", "not yet fixed", "not yet compared")
//! fails the test too. After a deliberate change of behaviour, `PASTURE_BLESS=1` rewrites the
//! outcomes (keeping the notes); review the diff of the table like code.

use anyhow::{Context as _, Result};
use buurtnet_tests::harness::{Backend, PATIENCE, TestNode};
use serde_json::{Map, Value, json};
use std::path::PathBuf;
use std::process::Stdio;
use tokio::io::AsyncBufReadExt;
use tokio::process::Command;

fn interop_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("interop")
}

fn table_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("pasture/expected.json")
}

/// What the table compares of a status: what a reader sees, without ids and times.
fn shown(status: &Value) -> Value {
    let list = |key: &str, field: &str| -> Vec<Value> {
        status[key].as_array().map(|items| items.iter().map(|i| i[field].clone()).collect()).unwrap_or_default()
    };
    let media: Vec<Value> = status["media_attachments"]
        .as_array()
        .map(|items| {
            items.iter().map(|m| json!({"type": m["type"], "description": m["description"], "remote_url": m["remote_url"]})).collect()
        })
        .unwrap_or_default();
    json!({
        "content": status["content"],
        "spoiler_text": status["spoiler_text"],
        "sensitive": status["sensitive"],
        "media": media,
        "mentions": list("mentions", "acct"),
        "tags": list("tags", "name"),
        "in_reply_to": status["in_reply_to_id"].is_string(),
        "url": status["url"],
        "language": status["language"],
        "visibility": status["visibility"],
    })
}

/// The outcome with the ports of this run taken out, so that the table holds across runs.
fn normalised(value: Value, pasture_port: u16, node_port: u16) -> Result<Value> {
    let text = serde_json::to_string(&value)?
        .replace(&format!("localhost:{pasture_port}"), "pasture-one-actor")
        .replace(&format!("localhost:{node_port}"), "buurtnet.test");
    Ok(serde_json::from_str(&text)?)
}

/// Starts the sender; returns it (it serves the pasture's origin until its stdin closes) and
/// what it sent.
async fn send_all(node: &TestNode, member: &str, port: u16) -> Result<(tokio::process::Child, Vec<Value>)> {
    let mut sender = Command::new(interop_dir().join(".venv/bin/python"))
        .arg("pasture_send.py")
        .args(["--port", &port.to_string(), "--inbox", &format!("{}/inbox", node.base_url()), "--member", member])
        .current_dir(interop_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let stdout = sender.stdout.take().context("stdout")?;
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let line = tokio::time::timeout(PATIENCE * 9, lines.next_line())
        .await
        .context("the pasture sender did not finish")??
        .context("the pasture sender ended without an answer; its stderr is above")?;
    let sent: Value = serde_json::from_str(&line).with_context(|| format!("sender output: {line}"))?;
    Ok((sender, sent["sent"].as_array().context("sent")?.clone()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pasture_inputs_show_as_the_table_says() -> Result<()> {
    let python = interop_dir().join(".venv/bin/python");
    if !python.exists() {
        anyhow::ensure!(std::env::var_os("CI").is_none(), "scripts/install-interop-deps.sh must run before the tests in CI");
        eprintln!("SKIPPED PASTURE: {} is missing; run scripts/install-interop-deps.sh", python.display());
        return Ok(());
    }
    let node = TestNode::start(Backend::Sqlite).await?;
    let member = node.add_member("weide", None).await?;
    let pasture_port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let (sender, sent) = send_all(&node, &member.ap_id, pasture_port).await?;
    let base = node.base_url();
    let token = buurtnet_tests::app::bearer(&base, "weide", "read").await?;
    let mut outcomes = Map::new();
    for item in &sent {
        let key = item["key"].as_str().context("key")?;
        let status = match item["id"].as_str() {
            Some(id) => buurtnet_tests::app::find_status(&base, &token, id).await?,
            None => None,
        };
        let outcome = json!({"inbox": item["status"], "shown": status.as_ref().map(shown)});
        outcomes.insert(key.to_string(), normalised(outcome, pasture_port, node.port)?);
    }
    drop(sender);
    compare(outcomes)
}

/// Compares the outcomes with the table (or, with `PASTURE_BLESS=1`, writes them into it).
fn compare(outcomes: Map<String, Value>) -> Result<()> {
    let path = table_path();
    let table: Map<String, Value> = match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text)?,
        Err(_) => Map::new(),
    };
    if std::env::var_os("PASTURE_BLESS").is_some() {
        return bless(table, outcomes, &path);
    }
    let mut differences = Vec::new();
    for (key, outcome) in &outcomes {
        let expected = table.get(key).map(|e| json!({"inbox": e["inbox"], "shown": e["shown"]}));
        if expected.as_ref() != Some(outcome) {
            differences.push(format!("{key}:\n  expected {}\n  got      {outcome}", expected.unwrap_or(Value::Null)));
        }
    }
    for key in table.keys().filter(|k| !outcomes.contains_key(*k)) {
        differences.push(format!("{key}: in the table but not sent"));
    }
    differences.extend(unexplained_notes(&table));
    anyhow::ensure!(
        differences.is_empty(),
        "{} of {} pasture inputs differ from tests/pasture/expected.json (PASTURE_BLESS=1 rewrites it):\n{}",
        differences.len(),
        outcomes.len(),
        differences.join("\n")
    );
    Ok(())
}

/// Words of a note that does not (yet) say why we differ from Mastodon.
const UNEXPLAINED: [&str; 3] = ["unverified", "not yet fixed", "not yet compared"];

/// The entries whose note leaves a difference from Mastodon unexplained.
fn unexplained_notes(table: &Map<String, Value>) -> Vec<String> {
    table
        .iter()
        .filter_map(|(key, entry)| {
            let note = entry["mastodon"].as_str().unwrap_or("not yet compared");
            UNEXPLAINED.iter().any(|word| note.contains(word)).then(|| format!("{key}: unexplained note: {note}"))
        })
        .collect()
}

fn bless(table: Map<String, Value>, outcomes: Map<String, Value>, path: &std::path::Path) -> Result<()> {
    let mut blessed = Map::new();
    for (key, outcome) in outcomes {
        let note = table.get(&key).and_then(|e| e.get("mastodon")).cloned().unwrap_or_else(|| json!("not yet compared"));
        blessed.insert(key, json!({"inbox": outcome["inbox"], "shown": outcome["shown"], "mastodon": note}));
    }
    std::fs::write(path, serde_json::to_string_pretty(&Value::Object(blessed))? + "\n")?;
    eprintln!("PASTURE_BLESS: wrote {}", path.display());
    Ok(())
}
