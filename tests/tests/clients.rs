//! Real Mastodon clients against a real node: toot (the strictest about entities) and
//! Mastodon.py, pinned in `tests/clients/` and installed by `scripts/install-client-deps.sh`.
//! Without them installed the tests fail in CI and are skipped loudly elsewhere.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::{EventDraft, JoinMode, Place, ProposalDraft, Purpose, Visibility, When};
use buurtnet_domain::ops;
use buurtnet_domain::ops::proposals::Audience;
use buurtnet_tests::harness::{Backend, PATIENCE, TestNode, eventually};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Stdio;
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

fn clients_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("clients")
}

fn installed() -> Result<bool> {
    let marker = clients_dir().join(".venv/installed");
    if marker.exists() {
        return Ok(true);
    }
    if std::env::var_os("CI").is_some() {
        anyhow::bail!("{} is missing: scripts/install-client-deps.sh must run before the tests in CI", marker.display());
    }
    eprintln!("SKIPPED CLIENTS: toot and Mastodon.py are not installed; run scripts/install-client-deps.sh");
    Ok(false)
}

/// Runs a program of the clients' venv with `args`, `stdin`, and toot's config in `config`.
async fn run(program: &str, args: &[&str], stdin: &str, config: &std::path::Path) -> Result<String> {
    let mut child = Command::new(clients_dir().join(".venv/bin").join(program))
        .args(args)
        .current_dir(clients_dir())
        .env("XDG_CONFIG_HOME", config)
        .env("HOME", config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    child.stdin.take().context("stdin")?.write_all(stdin.as_bytes()).await?;
    let output = tokio::time::timeout(PATIENCE * 2, child.wait_with_output()).await.context("the client did not finish")??;
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    anyhow::ensure!(
        output.status.success(),
        "{program} {args:?} failed ({}):\n{text}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn toot_logs_in_posts_and_reads_timelines() -> Result<()> {
    if !installed()? {
        return Ok(());
    }
    let node = TestNode::start(Backend::Sqlite).await?;
    let member = node.add_member("fatima", None).await?;
    let neighbour = node.add_member("kees", None).await?;
    node.publish(&neighbour, "Een bericht van Kees voor de hele buurt", Visibility::Public).await?;
    let config = tempfile::tempdir()?;
    let base = node.base_url();

    let login = run("toot", &["login_cli", "-i", &base, "-e", "fatima"], "geheim-wachtwoord\n", config.path()).await?;
    assert!(login.contains("Successfully logged in"), "{login}");
    let me: Value = serde_json::from_str(&run("toot", &["whoami", "--json"], "", config.path()).await?)?;
    assert_eq!((me["username"].as_str(), me["acct"].as_str()), (Some("fatima"), Some("fatima")));
    assert_eq!(me["id"], member.id.to_string(), "ids are strings");

    let posted = run("toot", &["post", "--json", "Hallo buurt, wie helpt zaterdag met de moestuin?"], "", config.path()).await?;
    let posted: Value = serde_json::from_str(&posted)?;
    assert!(posted["content"].as_str().is_some_and(|c| c.contains("moestuin")), "{posted}");
    let status: Value =
        serde_json::from_str(&run("toot", &["status", "--json", posted["id"].as_str().context("id")?], "", config.path()).await?)?;
    assert_eq!(status["uri"], posted["uri"]);

    let home: Value = serde_json::from_str(&run("toot", &["timelines", "home", "--json"], "", config.path()).await?)?;
    assert!(home.as_array().is_some_and(|h| h.iter().any(|s| s["id"] == posted["id"])), "own post in home: {home}");
    let public: Value = serde_json::from_str(&run("toot", &["timelines", "public", "--json"], "", config.path()).await?)?;
    let texts: Vec<&str> = public.as_array().context("list")?.iter().filter_map(|s| s["content"].as_str()).collect();
    assert!(texts.iter().any(|t| t.contains("Kees voor de hele buurt")), "public timeline: {texts:?}");

    let whois: Value = serde_json::from_str(&run("toot", &["whois", "--json", "kees"], "", config.path()).await?)?;
    assert_eq!(whois["acct"], "kees");

    // Follow an initiative on another node by its handle (found through WebFinger); its
    // offers and events arrive in the home timeline, readable as posts.
    let (other, initiative, coordinator, handle) = remote_initiative().await?;
    let followed = run("toot", &["follow", &handle], "", config.path()).await?;
    assert!(followed.contains("now following"), "{followed}");
    post_offer_and_meal_when_followed(&node, &member, &other, &initiative, &coordinator).await?;
    let home = eventually("the offer and the meal reach toot's home timeline", || async {
        let home: Value = serde_json::from_str(&run("toot", &["timelines", "home", "--json"], "", config.path()).await?)?;
        let texts: Vec<String> = home.as_array().into_iter().flatten().filter_map(|s| s["content"].as_str().map(String::from)).collect();
        let both = texts.iter().any(|t| t.contains("Hulpaanbod: Klussen in en om het huis"))
            && texts.iter().any(|t| t.contains("Hulpvraag: Wie rijdt mee"))
            && texts.iter().any(|t| t.contains("Samen eten"));
        Ok(both.then_some(home))
    })
    .await?;
    let offer_status = home
        .as_array()
        .context("list")?
        .iter()
        .find(|s| s["content"].as_str().is_some_and(|c| c.contains("Hulpaanbod")))
        .context("offer")?;
    assert_eq!(offer_status["account"]["acct"], handle.as_str(), "from the initiative on the other node");
    assert!(offer_status["tags"].as_array().is_some_and(|t| t.iter().any(|t| t["name"] == "hulpaanbod")), "{offer_status}");
    Ok(())
}

/// An initiative on another node, with a coordinator who will post for it.
async fn remote_initiative() -> Result<(TestNode, buurtnet_domain::model::Actor, buurtnet_domain::model::Actor, String)> {
    let other = TestNode::start(Backend::Sqlite).await?;
    let initiative = other.add_initiative("wijkpaleis", false).await?;
    let coordinator = other.add_member("anouk", Some(&initiative)).await?;
    let handle = format!("wijkpaleis@{}", other.base_url().trim_start_matches("http://"));
    Ok((other, initiative, coordinator, handle))
}

/// The initiative posts an offer and a meal, once someone on `node` follows it.
async fn post_offer_and_meal_when_followed(
    node: &TestNode,
    member: &buurtnet_domain::model::Actor,
    other: &TestNode,
    initiative: &buurtnet_domain::model::Actor,
    coordinator: &buurtnet_domain::model::Actor,
) -> Result<()> {
    eventually("the follow is accepted", || async {
        Ok(node.follow_state(&member.ap_id, &initiative.ap_id).await?.filter(|s| s == "accepted"))
    })
    .await?;
    let state = other.node.as_ref().expect("running").state();
    let offer = ProposalDraft {
        purpose: Purpose::Offer,
        title: "Klussen in en om het huis".into(),
        description: "Kleine klusjes, gratis.".into(),
        category: "klussen".into(),
        neighbourhood: Some("Oude Westen".into()),
        when: When::Flexible,
        expires_at: None,
    };
    ops::proposals::publish(&state.store, &state.urls, coordinator, initiative, &offer, &Audience::default()).await?;
    // A need shared in public (needs default to the coalition, which a follower is not in).
    let need =
        ProposalDraft { purpose: Purpose::Request, title: "Wie rijdt mee naar de markt?".into(), category: "vervoer".into(), ..offer };
    let public = Audience { visibility: Some(Visibility::Public), on_behalf_of: None };
    ops::proposals::publish(&state.store, &state.urls, coordinator, initiative, &need, &public).await?;
    let meal = EventDraft {
        title: "Samen eten".into(),
        description: "Iedereen welkom.".into(),
        starts_at: chrono::Utc::now() + chrono::Duration::days(7),
        ends_at: None,
        timezone: "Europe/Amsterdam".into(),
        place: Some(Place { name: "Buurthuis".into(), ..Place::default() }),
        online_url: None,
        capacity: None,
        join_mode: JoinMode::Free,
    };
    ops::events::publish(&state.store, &state.urls, coordinator, initiative, &meal, Visibility::Public).await?;
    state.wake_delivery();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mastodon_py_registers_logs_in_both_ways_and_posts() -> Result<()> {
    if !installed()? {
        return Ok(());
    }
    let node = TestNode::start(Backend::Sqlite).await?;
    let fatima = node.add_member("fatima", None).await?;
    let kees = node.add_member("kees", None).await?;
    node.follow(&kees, &fatima.ap_id).await?;
    let (other, initiative, coordinator, handle) = remote_initiative().await?;
    let config = tempfile::tempdir()?;
    let base = node.base_url();
    let args = ["mastodon_py_flow.py", &base, "fatima", "geheim-wachtwoord", &handle];
    let script = run("python", &args, "", config.path());
    let (out, posted) = tokio::join!(script, post_offer_and_meal_when_followed(&node, &fatima, &other, &initiative, &coordinator));
    posted?;
    let out = out?;
    let result: Value = serde_json::from_str(&out).with_context(|| format!("Mastodon.py output: {out}"))?;
    assert_eq!(result["me"]["acct"], "fatima");
    assert_eq!(result["posted"]["visibility"], "public");
    assert!(result["home"].as_array().is_some_and(|h| h.contains(&result["posted"]["id"])), "{result}");
    assert_eq!(result["code_login_acct"], "fatima", "authorization-code login through the consent page");
    assert!(result["wrong_password"].as_str().is_some_and(|w| w.starts_with("refused")), "{result}");
    assert_eq!(result["media"]["description"], "Een foto van de moestuin", "alt text kept: {result}");
    assert_eq!((result["media"]["width"].as_i64(), result["media"]["height"].as_i64()), (Some(40), Some(30)));
    assert!(result["media"]["blurhash"].as_str().is_some_and(|b| b.len() >= 6), "{result}");
    assert_eq!(result["media"]["fetched"], 200, "the file is served");
    assert!(result["notifications"].as_array().is_some_and(|n| n.contains(&Value::from("follow"))), "kees followed: {result}");
    remote_initiative_reached_home(&result, &handle)
}

/// What a client reports of the initiative on the other node: found by its handle, and its
/// offer, need and meal in the member's home.
fn remote_initiative_reached_home(result: &Value, handle: &str) -> Result<()> {
    assert_eq!(result["remote"]["acct"], handle);
    let home: Vec<&str> = result["remote"]["home"].as_array().context("home")?.iter().filter_map(Value::as_str).collect();
    let arrived = |text: &str| home.iter().any(|t| t.contains(text));
    assert!(arrived("Hulpaanbod: Klussen") && arrived("Hulpvraag: Wie rijdt mee") && arrived("Samen eten"), "{home:?}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn masto_js_posts_and_reads_and_megalodon_detects_mastodon() -> Result<()> {
    if !installed()? {
        return Ok(());
    }
    let node = TestNode::start(Backend::Sqlite).await?;
    let fatima = node.add_member("fatima", None).await?;
    let (other, initiative, coordinator, handle) = remote_initiative().await?;
    let output = Command::new("node")
        .args(["masto_flow.mjs", &node.base_url(), "fatima", "geheim-wachtwoord", &handle])
        .current_dir(clients_dir())
        .kill_on_drop(true)
        .output();
    let (output, posted) = tokio::join!(
        tokio::time::timeout(PATIENCE * 3, output),
        post_offer_and_meal_when_followed(&node, &fatima, &other, &initiative, &coordinator)
    );
    posted?;
    let output = output.context("masto_flow.mjs did not finish")??;
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    anyhow::ensure!(output.status.success(), "masto.js failed:\n{text}\n{}", String::from_utf8_lossy(&output.stderr));
    let result: Value = serde_json::from_str(&text)?;
    assert_eq!(result["acct"], "fatima");
    assert_eq!(result["status"]["visibility"], "public");
    assert!(result["home"].as_array().is_some_and(|h| h.contains(&result["status"]["id"])), "{result}");
    assert!(result["public"].as_array().is_some_and(|h| h.contains(&result["status"]["id"])), "{result}");
    assert!(result["instance"]["version"].as_str().is_some_and(|v| v.starts_with("4.3.0 (compatible; Buurtnet")));
    assert_eq!(result["software"], "mastodon", "megalodon's detector takes us for Mastodon");
    assert!(result["streamed"].as_str().is_some_and(|c| c.contains("Live vanuit de buurt")), "the user stream: {result}");
    remote_initiative_reached_home(&result, &handle)
}

/// Mention autocomplete and a boost in home, as Mastodon.py sees them: Kees (here) boosts a
/// post by Noor (another node); Fatima follows Kees and reads it as a reblog, and finds Kees by
/// the start of his name and Bart (on Noor's node) by his handle once she lets the node ask.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mastodon_py_searches_accounts_and_reads_a_reblog_in_home() -> Result<()> {
    if !installed()? {
        return Ok(());
    }
    let (here, there) = (TestNode::start(Backend::Sqlite).await?, TestNode::start(Backend::Sqlite).await?);
    let fatima = here.add_member("fatima", None).await?;
    let kees = here.add_member("kees", None).await?;
    let noor = there.add_member("noor", None).await?;
    there.add_member("bart", None).await?;
    here.follow(&fatima, &kees.ap_id).await?;
    here.follow_and_wait(&kees, &noor.ap_id).await?;
    let post = there.publish(&noor, "Gevonden: een blauwe fiets bij de speeltuin", Visibility::Public).await?;
    let held = eventually("Noor's post reaches Kees's node", || async { here.post(&post.ap_id).await }).await?;
    let state = here.node.as_ref().context("running")?.state();
    ops::reactions::react(&state.store, &state.urls, &kees, held.id, ops::reactions::ANNOUNCE).await?;

    let host = there.base_url().trim_start_matches("http://").to_string();
    let bart = format!("bart@{host}");
    let config = tempfile::tempdir()?;
    let base = here.base_url();
    let args = ["mastodon_py_mentions.py", &base, "fatima", "geheim-wachtwoord", "kee", &bart, &post.ap_id];
    let out = run("python", &args, "", config.path()).await?;
    let result: Value = serde_json::from_str(&out).with_context(|| format!("Mastodon.py output: {out}"))?;
    assert_eq!(result["prefix"], serde_json::json!(["kees"]), "{result}");
    assert_eq!(result["unresolved"], serde_json::json!([]), "not known yet and not resolved: {result}");
    assert_eq!(result["resolved"], serde_json::json!([bart]), "found through WebFinger: {result}");
    let reblog = &result["reblog"];
    assert_eq!((reblog["by"].as_str(), reblog["content"].as_str()), (Some("kees"), Some("")), "{result}");
    assert_eq!(reblog["original_by"], format!("noor@{host}").as_str());
    assert!(reblog["original_content"].as_str().is_some_and(|c| c.contains("blauwe fiets")), "{result}");
    assert_eq!(reblog["original_id"], held.id.to_string().as_str());
    assert_ne!(reblog["id"], reblog["original_id"], "the reblog has its own id");
    assert_eq!(reblog["fetched_reblog_of"], reblog["original_id"], "GET /api/v1/statuses/{{reblog id}} is the reblog");
    Ok(())
}
