//! Independent ActivityPub implementations against a real node: a peer built on the Fedify
//! library (npm) and a signer built on bovine (PyPI), both pinned in `tests/interop/` and
//! installed by `scripts/install-interop-deps.sh`.
//!
//! Without those installed the tests fail in CI and are skipped loudly elsewhere.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::Visibility;
use buurtnet_tests::harness::{Backend, PATIENCE, TestNode, eventually};
use buurtnet_tests::peers::{free_port, interop_dir, peers_installed};
use serde_json::{Value, json};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

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
    let client = reqwest::Client::new();
    let (_peer, peer_origin, received_url) = start_fedify_peer(&client).await?;

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

/// Starts the Fedify peer on a free port: (process, origin, the URL of its log). The port is
/// free when picked but may be taken before the peer binds it (tests start nodes in
/// parallel): then it is tried again on another port.
async fn start_fedify_peer(client: &reqwest::Client) -> Result<(Child, String, String)> {
    start_peer_with(client, "@fedify/fedify").await
}

/// [`start_fedify_peer`] built on another Fedify package (`fedify2`: the npm alias of 2.x).
async fn start_peer_with(client: &reqwest::Client, package: &str) -> Result<(Child, String, String)> {
    let mut last_error = None;
    for _ in 0..5 {
        let port = free_port()?;
        let origin = format!("http://localhost:{port}");
        let mut peer = Command::new("node")
            .arg("fedify_peer.mjs")
            .arg(port.to_string())
            .arg(package)
            .current_dir(interop_dir())
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("starting the Fedify peer with `node`")?;
        let received_url = format!("{origin}/control/received");
        match wait_until_serving(&mut peer, client, &received_url).await {
            Ok(()) => return Ok((peer, origin, received_url)),
            Err(e) => last_error = Some(e),
        }
    }
    Err(last_error.expect("tried"))
}

/// Fedify 2 signs RFC 9421 first and knocks again draft-cavage only after a 401: its Follow
/// must be taken at the first knock (no refused inbox request at all), and our Accept, signed
/// RFC 9421, verified by Fedify 2 at ours.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fedify2_follows_a_member_with_rfc9421_at_the_first_knock() -> Result<()> {
    if !peers_installed("Fedify 2", interop_dir().join("node_modules/fedify2/package.json"))? {
        return Ok(());
    }
    let node = TestNode::start(Backend::Sqlite).await?;
    let member = node.add_member("greet", None).await?;
    let client = reqwest::Client::new();
    let (_peer, peer_origin, received_url) = start_peer_with(&client, "fedify2").await?;
    let mut follow_url = url::Url::parse(&format!("{peer_origin}/control/follow"))?;
    follow_url.query_pairs_mut().append_pair("target", &member.ap_id);
    let sent = client.post(follow_url).send().await?;
    let status = sent.status();
    assert_eq!(status, 202, "Fedify 2 could not look up our actor or deliver its Follow: {}", sent.text().await?);
    let peer_actor = format!("{peer_origin}/users/peer");
    eventually("Buurtnet accepts Fedify 2's follow", || async {
        Ok(node.follow_state(&peer_actor, &member.ap_id).await?.filter(|s| s == "accepted"))
    })
    .await?;
    let metrics = client.get(format!("{}/metrics", node.base_url())).send().await?.text().await?;
    assert!(!metrics.contains("outcome=\"rejected\""), "no inbox request was refused (no 401 before success): {metrics}");
    let peer_host = buurtnet_federation::host_of(&url::Url::parse(&peer_origin)?);
    let known = eventually("Fedify 2's Accept delivered", || async {
        let mut conn = node.store().conn().await?;
        Ok(buurtnet_domain::store::peer_signatures::get(&mut conn, &peer_host).await?.filter(|m| m.outgoing_style.is_some()))
    })
    .await?;
    assert!(known.rfc9421_received_at.is_some(), "the Follow was verified as RFC 9421: {known:?}");
    assert_eq!(known.outgoing_style.as_deref(), Some("rfc9421"), "Fedify 2 took our RFC 9421 Accept at once: {known:?}");
    eventually("Fedify 2 verifies our Accept", || async {
        Ok(received(&client, &received_url).await?.into_iter().find(|i| i["type"] == "Accept" && i["actor"] == member.ap_id.as_str()))
    })
    .await?;
    Ok(())
}

/// A coalition's replica is a group any server can follow: the Fedify peer looks it up,
/// follows it, verifies the replica's signed `Accept`, and receives (and verifies) the
/// replica's `Announce` of a member initiative's public post.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fedify_peer_follows_a_coalition_replica_and_receives_its_feed() -> Result<()> {
    if !peers_installed("Fedify", interop_dir().join("node_modules/@fedify/fedify/package.json"))? {
        return Ok(());
    }
    let node = TestNode::start(Backend::Sqlite).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    let fatima = node.add_member("fatima", Some(&zorg)).await?;
    let charter = buurtnet_domain::model::coalition::Charter {
        name: "Welzijnscoalitie Delfshaven".into(),
        description: "Samen zorgen".into(),
        sponsors_needed: 1,
        objection_days: 7,
        removal_percent: buurtnet_domain::model::coalition::MAJORITY,
        change_percent: buurtnet_domain::model::coalition::MAJORITY,
    };
    buurtnet_federation::coalitions::acting(&node.node.as_ref().context("running")?.context())
        .found(&fatima, &zorg, "delfshaven", charter)
        .await?;
    let replica = format!("{}/coalitions/delfshaven", node.base_url());
    let client = reqwest::Client::new();
    let (_peer, peer_origin, received_url) = start_fedify_peer(&client).await?;
    let mut follow_url = url::Url::parse(&format!("{peer_origin}/control/follow"))?;
    follow_url.query_pairs_mut().append_pair("target", &replica);
    let sent = client.post(follow_url).send().await?;
    let status = sent.status();
    assert_eq!(status, 202, "the Fedify peer could not look up or follow the replica: {}", sent.text().await?);
    eventually("the Fedify peer verifies the replica's Accept", || async {
        let items = received(&client, &received_url).await?;
        Ok(items.into_iter().find(|i| i["type"] == "Accept" && i["actor"] == replica.as_str()))
    })
    .await?;

    let post = node.publish(&zorg, "Zaterdag opruimdag, iedereen welkom", Visibility::Public).await?;
    let announce = eventually("the Fedify peer receives the replica's Announce", || async {
        let items = received(&client, &received_url).await?;
        Ok(items.into_iter().find(|i| i["type"] == "Announce" && i["object"] == post.ap_id.as_str()))
    })
    .await?;
    assert_eq!(announce["actor"], replica.as_str(), "{announce}");
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
    // bovine takes only draft-cavage: our RFC 9421 knock is logged unverified, answered 401,
    // and the same Accept follows signed draft-cavage.
    let accept = received
        .iter()
        .find(|i| i["type"] == "Accept" && !i["verified_by"].is_null())
        .with_context(|| format!("no Accept reached bovine: {result}"))?;
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

/// Runs the pinned Python `icalendar` parser (tests/interop/ical_check.py) over a feed.
async fn parse_ical(feed: &str) -> Result<Value> {
    run_checker("ical_check.py", feed).await
}

/// Runs the pinned Python `feedparser` (tests/interop/feed_check.py) over an Atom or RSS feed.
async fn parse_feed(feed: &str) -> Result<Value> {
    run_checker("feed_check.py", feed).await
}

/// Runs one of the Python checkers of tests/interop over `input`; its JSON answer.
async fn run_checker(script: &str, input: &str) -> Result<Value> {
    run_checker_with(script, &["-"], input).await
}

/// Runs a Python checker of tests/interop with `arguments` and `input` on its stdin.
async fn run_checker_with(script: &str, arguments: &[&str], input: &str) -> Result<Value> {
    let feed = input;
    let mut child = Command::new(interop_dir().join(".venv/bin/python"))
        .arg(script)
        .args(arguments)
        .current_dir(interop_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    tokio::io::AsyncWriteExt::write_all(child.stdin.as_mut().context("stdin")?, feed.as_bytes()).await?;
    drop(child.stdin.take());
    let output = tokio::time::timeout(PATIENCE, child.wait_with_output()).await.with_context(|| format!("{script} did not finish"))??;
    anyhow::ensure!(output.status.success(), "the parser refused the feed: {}\n{feed}", String::from_utf8_lossy(&output.stderr));
    Ok(serde_json::from_slice(&output.stdout)?)
}

/// iCal feeds per event, initiative and node, read by a real calendar parser: the
/// ActivityPub id as UID, local times that the file's own VTIMEZONE puts at the right
/// instant, cancellations, and nothing a calendar app may not see.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ical_feeds_are_valid_for_a_real_parser_and_show_only_public_events() -> Result<()> {
    use buurtnet_domain::model::{DEFAULT_TIMEZONE, EventDraft, JoinMode, Place};
    use buurtnet_domain::ops;
    if !peers_installed("icalendar", interop_dir().join(".venv/installed"))? {
        return Ok(());
    }
    let node = TestNode::start(Backend::Sqlite).await?;
    let initiative = node.add_initiative("zorgvrijstaat", false).await?;
    let coordinator = node.add_member("fatima", Some(&initiative)).await?;
    let state = node.node.as_ref().expect("running").state();
    let local = |t: &str| {
        EventDraft::local_to_utc(chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").expect("time"), DEFAULT_TIMEZONE).expect("utc")
    };
    let in_summer = chrono::Utc::now().format("%Y").to_string().parse::<i32>()? + 1;
    let draft = |title: &str, start: String| EventDraft {
        title: title.into(),
        description: "Iedereen welkom; neem iets mee, als je wilt.".into(),
        starts_at: local(&start),
        ends_at: Some(local(&start) + chrono::Duration::hours(2)),
        timezone: DEFAULT_TIMEZONE.into(),
        place: Some(Place { name: "Buurthuis De Ark".into(), address: Some("Gaffelstraat 1, Rotterdam".into()), ..Place::default() }),
        online_url: None,
        capacity: None,
        join_mode: JoinMode::Free,
    };
    let (summer_draft, winter_draft, hidden_draft) = (
        draft("Zomerbarbecue", format!("{in_summer}-07-04 17:30")),
        draft("Kerstdiner", format!("{in_summer}-12-20 18:00")),
        draft("Alleen voor volgers", format!("{in_summer}-08-01 10:00")),
    );
    let publish = |d, visibility| ops::events::publish(&state.store, &state.urls, &coordinator, &initiative, d, visibility);
    let summer = publish(&summer_draft, Visibility::Public).await?;
    let winter = publish(&winter_draft, Visibility::Public).await?;
    let hidden = publish(&hidden_draft, Visibility::Followers).await?;
    ops::events::cancel(&state.store, &coordinator, winter.id).await?;

    let client = reqwest::Client::new();
    let get = |path: String| {
        let client = client.clone();
        async move { Ok::<_, anyhow::Error>(client.get(path).send().await?) }
    };
    let one = get(format!("{}/calendar.ics", summer.ap_id)).await?;
    assert_eq!(one.headers()["content-type"], "text/calendar; charset=utf-8");
    let parsed = parse_ical(&one.text().await?).await?;
    let event = &parsed["events"][0];
    assert_eq!(event["uid"], summer.ap_id.as_str(), "the ActivityPub id is the UID");
    assert_eq!(event["start_utc"], format!("{in_summer}-07-04T15:30:00+00:00"), "17:30 summer time in Amsterdam");
    assert_eq!(event["location"], "Buurthuis De Ark, Gaffelstraat 1, Rotterdam");

    for path in [format!("{}/calendar.ics", initiative.ap_id), format!("{}/calendar.ics", node.base_url())] {
        let feed = parse_ical(&get(path.clone()).await?.text().await?).await?;
        let uids: Vec<&str> = feed["events"].as_array().context("events")?.iter().filter_map(|e| e["uid"].as_str()).collect();
        assert_eq!(uids, vec![summer.ap_id.as_str(), winter.ap_id.as_str()], "{path}: public events, soonest first");
        let christmas = &feed["events"][1];
        assert_eq!(
            (christmas["status"].as_str(), christmas["start_utc"].as_str()),
            (Some("CANCELLED"), Some(format!("{in_summer}-12-20T17:00:00+00:00").as_str()))
        );
        assert!(christmas["sequence"].as_i64() >= Some(1), "a change bumps SEQUENCE: {christmas}");
    }
    assert_eq!(get(format!("{}/calendar.ics", hidden.ap_id)).await?.status(), 404, "a followers-only event is not for calendar apps");
    assert_eq!(get(format!("{}/initiatives/bestaatniet/calendar.ics", node.base_url())).await?.status(), 404);
    let page = client.get(&summer.ap_id).header("accept", "text/html").send().await?.text().await?;
    assert!(
        page.contains(&format!("href=\"/bericht/{}/agenda.ics\" download>Zet in mijn agenda", summer.id)),
        "the event's page links its calendar"
    );
    let file = client.get(format!("{}/bericht/{}/agenda.ics", node.base_url(), summer.id)).send().await?.text().await?;
    assert_eq!(parse_ical(&file).await?["events"][0]["uid"], summer.ap_id.as_str(), "the page's calendar file");
    Ok(())
}

/// A coalition's feed (issue 16), read by a real calendar parser: its members' public
/// events only (not a coalition-only one, not an outsider's), a meal among them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coalitions_ical_feed_holds_its_members_public_events() -> Result<()> {
    use buurtnet_domain::model::{DEFAULT_TIMEZONE, EventDraft, JoinMode, Place};
    use buurtnet_domain::ops;
    if !peers_installed("icalendar", interop_dir().join(".venv/installed"))? {
        return Ok(());
    }
    let node = TestNode::start(Backend::Sqlite).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    let fatima = node.add_member("fatima", Some(&zorg)).await?;
    let anders = node.add_initiative("anders", false).await?;
    let ans = node.add_member("ans", Some(&anders)).await?;
    buurtnet_tests::harness::form_coalition((&node, &zorg, &fatima), &[]).await?;
    let state = node.node.as_ref().expect("running").state();
    let starts_at = chrono::Utc::now() + chrono::Duration::days(2);
    let draft = |title: &str| EventDraft {
        title: title.into(),
        description: "Aanschuiven kan. #samenEten".into(),
        starts_at,
        ends_at: Some(starts_at + chrono::Duration::hours(2)),
        timezone: DEFAULT_TIMEZONE.into(),
        place: Some(Place { name: "Buurthuis De Pijler".into(), ..Place::default() }),
        online_url: None,
        capacity: None,
        join_mode: JoinMode::Free,
    };
    let meal = ops::events::publish(&state.store, &state.urls, &fatima, &zorg, &draft("Soep in De Pijler"), Visibility::Public).await?;
    ops::events::publish(&state.store, &state.urls, &fatima, &zorg, &draft("Overleg"), Visibility::Coalition).await?;
    ops::events::publish(&state.store, &state.urls, &ans, &anders, &draft("Bingo"), Visibility::Public).await?;
    let feed = reqwest::get(format!("{}/coalitie/delfshaven/agenda.ics", node.base_url())).await?.text().await?;
    let parsed = parse_ical(&feed).await?;
    let uids: Vec<&str> = parsed["events"].as_array().context("events")?.iter().filter_map(|e| e["uid"].as_str()).collect();
    assert_eq!(uids, vec![meal.ap_id.as_str()], "only the member's public event: {parsed}");
    assert_eq!(parsed["events"][0]["location"], "Buurthuis De Pijler");
    Ok(())
}

/// A node where Fatima's initiative serves soup at 17:30 from tomorrow, six weeks running:
/// the node, Fatima, the series and its first date.
async fn six_weekly_soups() -> Result<(TestNode, buurtnet_domain::model::Actor, i64, buurtnet_domain::model::Post)> {
    use buurtnet_domain::model::{DEFAULT_TIMEZONE, EventDraft, EventQuestions, JoinMode, Place, Repeat, SeriesEnd, SeriesRule};
    let node = TestNode::start(Backend::Sqlite).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    let fatima = node.add_member("fatima", Some(&zorg)).await?;
    let state = node.node.as_ref().expect("running").state();
    let day = (chrono::Utc::now() + chrono::Duration::days(1)).date_naive();
    let at = |h, m| EventDraft::local_to_utc(day.and_hms_opt(h, m, 0).expect("time"), DEFAULT_TIMEZONE).expect("local");
    let draft = EventDraft {
        title: "Soep op dinsdag".into(),
        description: "Elke week.".into(),
        starts_at: at(17, 30),
        ends_at: Some(at(19, 0)),
        timezone: DEFAULT_TIMEZONE.into(),
        place: Some(Place { name: "Buurthuis De Pijler".into(), ..Place::default() }),
        online_url: None,
        capacity: None,
        join_mode: JoinMode::Free,
    };
    let rule = SeriesRule { repeat: Repeat::Weekly, end: SeriesEnd::Count(6) };
    let audience = (&draft, Visibility::Public, EventQuestions::default());
    let (id, first) = buurtnet_domain::ops::series::start(&state.store, &state.urls, (&fatima, &zorg), audience, rule).await?;
    Ok((node, fatima, id, first))
}

/// A weekly meal in the initiative's iCal feed, read by a real calendar parser: each date
/// once (its own UID), at 17:30 Amsterdam time also across the change of clocks, the
/// skipped date cancelled, and no recurrence rule beside the dates (that would show every
/// date twice in a calendar app).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeating_meal_is_in_the_ical_feed_date_by_date_and_never_twice() -> Result<()> {
    use buurtnet_domain::model::DEFAULT_TIMEZONE;
    use buurtnet_domain::ops::series;
    if !peers_installed("icalendar", interop_dir().join(".venv/installed"))? {
        return Ok(());
    }
    let (node, fatima, id, _) = six_weekly_soups().await?;
    let state = node.node.as_ref().expect("running").state();
    let skipped = chrono::NaiveDate::parse_from_str(&series::dates(&state.store, id).await?[2].planned_date, "%Y-%m-%d")?;
    series::skip(&state.store, &fatima, id, skipped, None).await?;

    let feed = reqwest::get(format!("{}/initiatives/zorg/calendar.ics", node.base_url())).await?.text().await?;
    assert!(!feed.contains("RRULE") && !feed.contains("RECURRENCE-ID"), "dates only: {feed}");
    let parsed = parse_ical(&feed).await?;
    let events = parsed["events"].as_array().context("events")?;
    assert_eq!(events.len(), 6, "{parsed}");
    let tz: chrono_tz::Tz = DEFAULT_TIMEZONE.parse()?;
    let mut starts = Vec::new();
    for event in events {
        let start = chrono::DateTime::parse_from_rfc3339(event["start_utc"].as_str().context("start")?)?.with_timezone(&tz);
        assert_eq!(start.format("%H:%M").to_string(), "17:30", "{event}");
        let cancelled = event["status"] == "CANCELLED";
        assert_eq!(cancelled, start.date_naive() == skipped, "{event}");
        starts.push(start.date_naive());
    }
    let mut once = starts.clone();
    once.dedup();
    assert_eq!(once, starts, "no date twice");
    assert!(starts.windows(2).all(|w| (w[1] - w[0]).num_days() == 7), "a week apart: {starts:?}");
    Ok(())
}

/// The whole series as one calendar entry, read as a calendar app does (pinned `icalendar`,
/// expanded with `dateutil.rrule`): its rule expands to the series' dates once the EXDATE of
/// the skipped date is taken out, and the moved date is an entry of the same UID with the
/// planned start as RECURRENCE-ID and its new time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeating_meal_is_one_calendar_entry_with_its_rule_skips_and_moves() -> Result<()> {
    use buurtnet_domain::model::{DEFAULT_TIMEZONE, Repeat, SeriesEnd, SeriesRule};
    use buurtnet_domain::ops::{events, series};
    if !peers_installed("icalendar", interop_dir().join(".venv/installed"))? {
        return Ok(());
    }
    let (node, fatima, id, first) = six_weekly_soups().await?;
    let state = node.node.as_ref().expect("running").state();
    let dates = series::dates(&state.store, id).await?;
    assert_eq!(dates.len(), 6, "six weeks fall within the window");
    series::skip(&state.store, &fatima, id, chrono::NaiveDate::parse_from_str(&dates[2].planned_date, "%Y-%m-%d")?, None).await?;
    let second = dates[1].post_id.context("second")?;
    let mut moved = events::of_post(&state.store, second).await?.context("second")?.draft();
    moved.starts_at += chrono::Duration::hours(1);
    moved.ends_at = moved.ends_at.map(|end| end + chrono::Duration::hours(1));
    events::update(&state.store, &fatima, second, &moved).await?;

    let file = reqwest::get(format!("{}/bericht/{second}/reeks.ics", node.base_url())).await?.text().await?;
    parse_ical(&file).await?;
    let read = run_checker_with("ical_series_check.py", &["series"], &file).await?;
    let planned = |d: &buurtnet_domain::store::series::SeriesDate| format!("{} 17:30", d.planned_date);
    let taking_place: Vec<String> = dates.iter().enumerate().filter(|(i, _)| *i != 2).map(|(_, d)| planned(d)).collect();
    assert_eq!(read["dates"], json!(taking_place), "the rule's dates without the EXDATE: {read}");
    assert_eq!(read["exdates"], json!([planned(&dates[2])]), "{read}");
    let origin = url::Url::parse(&first.ap_id)?.origin().ascii_serialization();
    assert_eq!(read["uid"], format!("{origin}/bericht/{}/reeks", first.id));
    assert_eq!(
        read["overrides"],
        json!([{"uid": read["uid"], "recurrence_id": planned(&dates[1]), "start": format!("{} 18:30", dates[1].planned_date)}]),
        "{read}"
    );
    let node_feed = reqwest::get(format!("{}/initiatives/zorg/calendar.ics", node.base_url())).await?.text().await?;
    assert!(!node_feed.contains("RRULE"), "the initiative's feed stays date by date");

    // "Every first Tuesday" as we write it is what dateutil makes of it, in our time zone.
    let first_tuesday = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).context("day")?.and_hms_opt(19, 0, 0).context("time")?;
    let monthly = SeriesRule { repeat: Repeat::MonthlyWeekday, end: SeriesEnd::Count(8) };
    let text = monthly.to_ical(first_tuesday, DEFAULT_TIMEZONE)?;
    let tz: chrono_tz::Tz = DEFAULT_TIMEZONE.parse()?;
    let ours: Vec<String> = monthly
        .occurrences(
            first_tuesday,
            DEFAULT_TIMEZONE,
            &[],
            (chrono::DateTime::UNIX_EPOCH, chrono::Utc::now() + chrono::Duration::days(3650)),
        )?
        .iter()
        .map(|o| o.starts_at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
        .collect();
    let theirs = run_checker_with("ical_series_check.py", &["expand", "2026-12-01T19:00", DEFAULT_TIMEZONE, &text], "").await?;
    assert_eq!(theirs["dates"], json!(ours), "{text}");
    assert_eq!(ours[..3], ["2026-12-01 19:00", "2027-01-05 19:00", "2027-02-02 19:00"]);
    assert!(ours.contains(&"2027-04-06 19:00".to_string()), "the first Tuesday after the clocks change: {ours:?}");
    Ok(())
}

/// Atom and RSS feeds of the node and of an initiative, read by a real feed parser: well
/// formed, titled, linked, and holding public posts only (no followers-only post, no reply).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn news_feeds_are_valid_for_a_real_parser_and_show_only_public_posts() -> Result<()> {
    use buurtnet_domain::model::{ProposalDraft, Purpose, When};
    use buurtnet_domain::ops::{self, posts::PostDraft, proposals::Audience};
    if !peers_installed("feedparser", interop_dir().join(".venv/installed"))? {
        return Ok(());
    }
    let node = TestNode::start(Backend::Sqlite).await?;
    let initiative = node.add_initiative("zorgvrijstaat", false).await?;
    let coordinator = node.add_member("fatima", Some(&initiative)).await?;
    let state = node.node.as_ref().expect("running").state();
    let offer = ProposalDraft {
        purpose: Purpose::Offer,
        title: "Samen koken & eten".into(),
        description: "Elke <dinsdag>".into(),
        category: "maaltijd".into(),
        neighbourhood: None,
        when: When::Flexible,
        expires_at: None,
    };
    let audience = Audience { visibility: Some(Visibility::Public), on_behalf_of: None };
    let proposal = ops::proposals::publish(&state.store, &state.urls, &coordinator, &initiative, &offer, &audience).await?;
    let post = |text: &str, visibility| PostDraft::plain(text, visibility, vec![]);
    let note = ops::posts::publish(
        &state.store,
        &state.urls,
        &coordinator,
        &initiative,
        &post("Het buurthuis is dicht op maandag", Visibility::Public),
    )
    .await?;
    ops::posts::publish(&state.store, &state.urls, &coordinator, &initiative, &post("Alleen voor volgers", Visibility::Followers)).await?;
    let reply = PostDraft { in_reply_to: Some(note.ap_id.clone()), ..post("Een antwoord", Visibility::Public) };
    ops::posts::publish(&state.store, &state.urls, &coordinator, &initiative, &reply).await?;

    let client = reqwest::Client::new();
    for path in ["/feed.atom", "/feed.rss", "/initiatives/zorgvrijstaat/feed.atom", "/initiatives/zorgvrijstaat/feed.rss"] {
        let response = client.get(format!("{}{path}", node.base_url())).send().await?;
        let kind = response.headers()["content-type"].to_str()?.to_string();
        assert!(kind.starts_with(if path.ends_with("atom") { "application/atom+xml" } else { "application/rss+xml" }), "{path}: {kind}");
        let parsed = parse_feed(&response.text().await?).await?;
        assert_eq!(parsed["version"], if path.ends_with("atom") { "atom10" } else { "rss20" });
        let titles: Vec<&str> = parsed["entries"].as_array().context("entries")?.iter().filter_map(|e| e["title"].as_str()).collect();
        assert_eq!(titles, vec!["Het buurthuis is dicht op maandag", "Samen koken & eten"], "{path}: newest first, public only");
        let ids: Vec<&str> = parsed["entries"].as_array().context("entries")?.iter().filter_map(|e| e["id"].as_str()).collect();
        assert_eq!(ids, vec![note.ap_id.as_str(), proposal.ap_id.as_str()]);
    }
    assert_eq!(client.get(format!("{}/users/niemand/feed.atom", node.base_url())).send().await?.status(), 404);
    Ok(())
}

/// Runs tests/interop/proof_check.py (bovine's FEP-8b32 implementation) in `mode`.
async fn bovine_proofs(mode: &str, request: &Value) -> Result<Value> {
    run_checker_with("proof_check.py", &[mode], &request.to_string()).await
}

/// FEP-8b32 `eddsa-jcs-2022` proofs and independent implementations: Python's `jcs` and
/// `cryptography` following the W3C algorithm accept ours and refuse them once altered; we
/// accept bovine's proofs and refuse them once altered. (bovine 0.5.19 cannot check proofs that carry
/// `@context`, as FEP-8b32's examples and ours do: it hashes that member under the name
/// `field_context`. Its refusal is asserted, so a fixed bovine shows up here.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn integrity_proofs_agree_with_bovine_both_ways() -> Result<()> {
    use buurtnet_federation::integrity;
    if !peers_installed("bovine", interop_dir().join(".venv/installed"))? {
        return Ok(());
    }
    let keys = buurtnet_federation::keys::generate();
    let controller = "https://buurt.example/initiatives/zorg";
    let document = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", integrity::DATA_INTEGRITY_CONTEXT],
        "id": "https://buurt.example/coalitions/delfshaven/ops/1", "type": "Join", "actor": controller,
        "object": "https://buurt.example/coalitions/delfshaven", "content": "Wij doen mee: € 0,– en veel \"zin\"\n", "n": 51.9
    });
    let ours = integrity::sign(&document, &format!("{controller}#ed25519-key"), &keys.ed25519_private_pkcs8, "2026-11-22T10:00:00Z")?;
    assert_eq!(integrity::verify(&ours, &keys.ed25519_public_multibase), Ok(()));
    let checked =
        bovine_proofs("verify", &json!({"document": ours, "key": keys.ed25519_public_multibase, "controller": controller})).await?;
    assert_eq!(checked["valid"], false, "bovine 0.5.19 still mis-hashes a proof's @context: {checked}");
    let request = json!({"document": ours, "key": keys.ed25519_public_multibase, "controller": controller});
    assert_eq!(bovine_proofs("verify-w3c", &request).await?["valid"], true, "Python's jcs and cryptography accept our proof");
    let mut altered = ours.clone();
    altered["content"] = json!("Wij doen niet mee");
    let request = json!({"document": altered, "key": keys.ed25519_public_multibase, "controller": controller});
    assert_eq!(bovine_proofs("verify-w3c", &request).await?["valid"], false, "and refuse an altered copy");

    let signed = bovine_proofs("sign", &json!({"document": document, "key_id": "https://peer.example/users/a#ed25519-key"})).await?;
    let (theirs, key) = (&signed["document"], signed["key"].as_str().context("key")?);
    assert_eq!(integrity::verify(theirs, key), Ok(()), "we accept bovine's proof: {theirs}");
    let mut tampered = theirs.clone();
    tampered["object"] = json!("https://elders.example/coalitions/x");
    assert_eq!(integrity::verify(&tampered, key), Err(integrity::ProofError::Invalid));
    Ok(())
}
