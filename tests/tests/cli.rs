//! The `buurtnet` command as an operator meets it: every command on an empty database,
//! clear errors for bad input, settings from file and environment, the first-start advice.

use anyhow::Result;
use buurtnet_tests::harness::buurtnet_binary;
use std::io::Write;
use std::process::{Command, Output, Stdio};
use tokio::io::AsyncBufReadExt;

fn buurtnet(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Result<Output> {
    let mut command = Command::new(buurtnet_binary()?);
    command
        .args(args)
        .current_dir(dir)
        .env_remove("BUURTNET_CONFIG")
        .env("BUURTNET_DATA_DIR", dir.join("data"))
        .env("BUURTNET_DOMAIN", "localhost:9999");
    for (k, v) in env {
        command.env(k, v);
    }
    command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn()?;
    if let Some(input) = stdin {
        child.stdin.take().expect("stdin").write_all(input.as_bytes())?;
    }
    drop(child.stdin.take());
    Ok(child.wait_with_output()?)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

#[test]
fn commands_work_on_an_empty_database_and_explain_bad_input() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path();

    let added = buurtnet(path, &["initiative", "add", "buurtkeuken", "--name", "De Buurtkeuken"], &[], None)?;
    assert!(added.status.success(), "{}", text(&added.stderr));
    assert!(text(&added.stdout).contains("@buurtkeuken@localhost:9999"));

    let member =
        buurtnet(path, &["member", "add", "Greet", "--initiative", "buurtkeuken", "--coordinator"], &[], Some("een-goed-wachtwoord\n"))?;
    assert!(member.status.success(), "{}", text(&member.stderr));
    assert!(text(&member.stdout).contains("@greet@localhost:9999"), "usernames are lower-cased");

    let again = buurtnet(path, &["member", "add", "greet"], &[("BUURTNET_PASSWORD", "een-goed-wachtwoord")], None)?;
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("taken"), "{}", text(&again.stderr));

    let bad_name = buurtnet(path, &["member", "add", "niet geldig"], &[("BUURTNET_PASSWORD", "een-goed-wachtwoord")], None)?;
    assert!(!bad_name.status.success());
    assert!(text(&bad_name.stderr).contains("username"), "{}", text(&bad_name.stderr));

    let short = buurtnet(path, &["member", "add", "kort"], &[("BUURTNET_PASSWORD", "kort")], None)?;
    assert!(!short.status.success());
    assert!(text(&short.stderr).contains("8"), "{}", text(&short.stderr));
    assert!(
        text(&short.stderr).contains("at least 8 characters / gebruik minstens 8 tekens"),
        "in words, not a code: {}",
        text(&short.stderr)
    );

    let no_password = buurtnet(path, &["member", "add", "stil"], &[], Some(""))?;
    assert!(!no_password.status.success());
    assert!(text(&no_password.stderr).contains("BUURTNET_PASSWORD"));

    let unknown_initiative =
        buurtnet(path, &["member", "add", "piet", "--initiative", "bestaatniet"], &[("BUURTNET_PASSWORD", "een-goed-wachtwoord")], None)?;
    assert!(!unknown_initiative.status.success());
    assert!(text(&unknown_initiative.stderr).contains("bestaatniet"));
    Ok(())
}

#[test]
fn print_config_shows_file_and_environment_and_refuses_unsafe_settings() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path();
    std::fs::write(path.join("buurtnet.toml"), "listen = \"127.0.0.1:7000\"\n[federation]\nauthorized_fetch = true\n")?;

    let printed = buurtnet(path, &["print-config"], &[("BUURTNET_LISTEN", "127.0.0.1:7001")], None)?;
    assert!(printed.status.success(), "{}", text(&printed.stderr));
    let out = text(&printed.stdout);
    assert!(out.contains("listen = \"127.0.0.1:7001\""), "environment wins over the file: {out}");
    assert!(out.contains("authorized_fetch = true"), "the file is read: {out}");
    assert!(out.contains("give_up_after_hours = 72"), "defaults are shown: {out}");
    assert!(out.contains("database_url in force: sqlite://"));

    std::fs::write(path.join("buurtnet.toml"), "listne = \"typo\"\n")?;
    let typo = buurtnet(path, &["print-config"], &[], None)?;
    assert!(!typo.status.success());
    assert!(text(&typo.stderr).contains("listne"), "{}", text(&typo.stderr));
    std::fs::remove_file(path.join("buurtnet.toml"))?;

    let public_dev = buurtnet(path, &["print-config"], &[("BUURTNET_DOMAIN", "buurt.example"), ("BUURTNET_DEV", "1")], None)?;
    assert!(!public_dev.status.success());
    assert!(text(&public_dev.stderr).contains("BUURTNET_DEV"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_serve_sets_the_node_up_and_says_what_to_do_next() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut child = tokio::process::Command::new(buurtnet_binary()?)
        .arg("serve")
        .env_remove("BUURTNET_CONFIG")
        .env("BUURTNET_DATA_DIR", dir.path())
        .env("BUURTNET_DOMAIN", format!("localhost:{port}"))
        .env("BUURTNET_LISTEN", format!("127.0.0.1:{port}"))
        .env("BUURTNET_DEV", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let actor_url = format!("http://localhost:{port}/actor");
    let actor: serde_json::Value = buurtnet_tests::harness::eventually("the node answers", || async {
        let Ok(response) = reqwest::Client::new().get(&actor_url).header("accept", "application/activity+json").send().await else {
            return Ok(None);
        };
        Ok(Some(response.json().await?))
    })
    .await?;
    assert_eq!(actor["type"], "Application");
    let mut lines = tokio::io::BufReader::new(child.stderr.take().expect("stderr")).lines();
    let mut log = String::new();
    let advice = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        while let Some(line) = lines.next_line().await? {
            log.push_str(&line);
            log.push('\n');
            if line.contains("buurtnet initiative add") {
                return Ok::<_, std::io::Error>(true);
            }
        }
        Ok(false)
    })
    .await;
    child.start_kill()?;
    child.wait().await?;
    assert!(matches!(advice, Ok(Ok(true))), "tells the operator what to do: {log}");
    Ok(())
}

/// Three free ports in a row, for the demo's nodes.
fn three_free_ports() -> Result<u16> {
    for _ in 0..50 {
        let first = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        if first < 65000 && (1..3).all(|i| std::net::TcpListener::bind(("127.0.0.1", first + i)).is_ok()) {
            return Ok(first);
        }
    }
    anyhow::bail!("no three free ports in a row")
}

/// The newcomer's first command: three nodes that follow each other and form a coalition
/// (a replica on each node, the same three members everywhere, a charter changed by vote),
/// each with a post, an offer, a need (for the coalition, so not in the public outbox), a
/// shared meal and an article, and a participant from the neighbouring node at each meal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_shows_every_kind_with_an_rsvp_from_the_next_node() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let base = three_free_ports()?;
    let mut child = tokio::process::Command::new(buurtnet_binary()?)
        .args(["demo", "--base-port", &base.to_string()])
        .env_remove("BUURTNET_CONFIG")
        .env("BUURTNET_DATA_DIR", dir.path())
        .env("BUURTNET_DOMAIN", format!("localhost:{base}"))
        .env("BUURTNET_DEV", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()?;
    let outbox = format!("http://localhost:{base}/initiatives/zorgvrijstaat/outbox?page=1");
    let client = reqwest::Client::new();
    let items: Vec<serde_json::Value> = buurtnet_tests::harness::eventually("the demo's first node has its samples", || async {
        let Ok(response) = client.get(&outbox).header("accept", "application/activity+json").send().await else { return Ok(None) };
        if !response.status().is_success() {
            return Ok(None);
        }
        let page: serde_json::Value = response.json().await?;
        let items = page["orderedItems"].as_array().cloned().unwrap_or_default();
        Ok((items.len() >= 4).then_some(items))
    })
    .await?;
    let kinds: Vec<(&str, &str)> =
        items.iter().map(|i| (i["object"]["type"].as_str().unwrap_or(""), i["object"]["purpose"].as_str().unwrap_or(""))).collect();
    for wanted in [("Event", ""), ("Note", "offer"), ("Note", ""), ("Article", "")] {
        assert!(kinds.contains(&wanted), "{wanted:?} in the outbox: {kinds:?}");
    }
    let meal = items.iter().find(|i| i["object"]["type"] == "Event").expect("a meal")["object"]["id"].as_str().expect("id").to_string();
    buurtnet_tests::harness::eventually("the coordinator of the third node joins the meal", || async {
        let event: serde_json::Value = client.get(&meal).header("accept", "application/activity+json").send().await?.json().await?;
        Ok((event["participantCount"] == 1).then_some(()))
    })
    .await?;
    for port in base..base + 3 {
        let replica = format!("http://localhost:{port}/coalitions/delfshaven");
        buurtnet_tests::harness::eventually("every node hosts a replica with the three members", || async {
            let Ok(response) = client.get(&replica).header("accept", "application/activity+json").send().await else { return Ok(None) };
            let document: serde_json::Value = response.json().await.unwrap_or_default();
            let members = document["bn:members"].as_array().map(Vec::len).unwrap_or(0);
            let replicas = document["bn:replicas"].as_array().map(Vec::len).unwrap_or(0);
            let voted = document["bn:charter"]["bn:objectionDays"] == 7;
            Ok((members == 3 && replicas == 2 && voted && document["name"] == "Welzijnscoalitie Delfshaven").then_some(()))
        })
        .await?;
    }
    child.start_kill()?;
    child.wait().await?;
    Ok(())
}

#[test]
fn aliases_are_listed_and_a_move_without_a_reachable_new_actor_is_refused() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path();
    assert!(buurtnet(path, &["initiative", "add", "zorg", "--name", "Zorg"], &[], None)?.status.success());

    let added = buurtnet(path, &["alias", "add", "zorg", "https://oud.example/initiatives/zorg"], &[], None)?;
    assert!(added.status.success(), "{}", text(&added.stderr));
    assert!(text(&added.stdout).contains("alsoKnownAs = [https://oud.example/initiatives/zorg]"), "{}", text(&added.stdout));
    let not_a_url = buurtnet(path, &["alias", "add", "zorg", "oud.example/zorg"], &[], None)?;
    assert!(!not_a_url.status.success());
    assert!(text(&not_a_url.stderr).contains("alias"), "{}", text(&not_a_url.stderr));
    let nobody = buurtnet(path, &["alias", "add", "niemand", "https://oud.example/users/niemand"], &[], None)?;
    assert!(!nobody.status.success());
    assert!(text(&nobody.stderr).contains("niemand"), "{}", text(&nobody.stderr));
    let removed = buurtnet(path, &["alias", "remove", "zorg", "https://oud.example/initiatives/zorg"], &[], None)?;
    assert!(text(&removed.stdout).contains("alias removed"), "{}", text(&removed.stdout));

    // Outside development mode a node fetches only public addresses: nothing to check, no move.
    let refused = buurtnet(path, &["move", "zorg", "--to", "https://127.0.0.1:9/initiatives/zorg"], &[], None)?;
    assert!(!refused.status.success(), "{}", text(&refused.stdout));
    let report = buurtnet(path, &["move-node", "--to", "https://127.0.0.1:9"], &[], None)?;
    assert!(report.status.success(), "{}", text(&report.stderr));
    assert!(text(&report.stdout).contains("skipped") && text(&report.stdout).contains("0 of 1 accounts moved"), "{}", text(&report.stdout));
    Ok(())
}
