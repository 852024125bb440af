//! A real fediverse server that nobody on this team wrote, beside two Buurtnet nodes (one on
//! SQLite, one on PostgreSQL): bovine-herd 0.5.19 with bovine-tool 0.5.6 (PyPI, pinned in
//! `tests/interop/requirements.lock`, installed by `scripts/install-interop-deps.sh`).
//!
//! `tests/interop/bovine_herd_peer.py` runs the server and makes its one actor act through
//! its own outbox, as a bovine user does; our members act through the Mastodon API. Both
//! ways: follows (accepted), posts, threaded replies, likes, boosts and mentions.
//!
//! Without bovine-herd installed the test fails in CI and is skipped loudly elsewhere.

use anyhow::{Context as _, Result};
use buurtnet_tests::app::Session;
use buurtnet_tests::harness::{Backend, PATIENCE, TestNode, eventually};
use buurtnet_tests::peers::{free_port, interop_dir, interop_python, peers_installed};
use serde_json::{Value, json};
use std::time::Duration;
use tempfile::TempDir;
use tokio::process::{Child, Command};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bovine_herd_and_members_on_both_databases_follow_post_reply_like_boost_and_mention() -> Result<()> {
    if !peers_installed("bovine-herd", interop_dir().join(".venv/installed"))? {
        return Ok(());
    }
    let sqlite = TestNode::start(Backend::Sqlite).await?;
    let postgres = TestNode::start(Backend::Postgres).await?;
    let herd = Herd::start().await?;
    let scenario = async {
        let greet = Member::join(&sqlite, "greet", &herd).await?;
        let fatima = Member::join(&postgres, "fatima", &herd).await?;
        for member in [&greet, &fatima] {
            member_posts_and_bovine_replies_likes_and_boosts(member, &herd).await?;
            bovine_posts_and_member_replies_likes_and_boosts(member, &herd).await?;
            member_mentions_bovine(member, &herd).await?;
        }
        bovine_mentions_one_member_and_not_the_other(&herd, &greet, &fatima).await?;
        bovine_mentions_one_member_and_not_the_other(&herd, &fatima, &greet).await
    };
    scenario.await.with_context(|| format!("bovine-herd's log:\n{}", herd.log()))
}

/// A member's post reaches bovine; bovine's reply to it is threaded on our side, and its
/// like and boost count and notify.
async fn member_posts_and_bovine_replies_likes_and_boosts(member: &Member<'_>, herd: &Herd) -> Result<()> {
    let text = format!("Hallo bovine-herd, hier is {}", member.username);
    let post = member.app.post("/api/v1/statuses", json!({"status": text})).await?;
    let uri = post["uri"].as_str().context("status uri")?;
    let create = herd.received("our Create", |a| a["type"] == "Create" && id_of(&a["object"]) == Some(uri)).await?;
    assert_eq!(id_of(&create["actor"]), Some(member.ap_id.as_str()), "{create}");
    assert!(create["object"]["content"].as_str().is_some_and(|c| c.contains(&text)), "bovine has our text: {create}");

    let reply = herd.act("reply", json!({"object": uri, "text": "Hallo terug!"})).await?;
    let reply_id = reply["id"].as_str().context("reply id")?;
    let status_id = post["id"].as_str().context("status id")?;
    let threaded = eventually("bovine's reply in our thread", || async {
        let context = member.app.get(&format!("/api/v1/statuses/{status_id}/context")).await?;
        Ok(context["descendants"].as_array().and_then(|d| d.iter().find(|s| s["uri"] == reply_id).cloned()))
    })
    .await?;
    assert_eq!(threaded["in_reply_to_id"], status_id, "bovine's reply answers our post: {threaded}");
    assert_eq!(threaded["account"]["id"], member.herd_account.as_str(), "{threaded}");

    herd.act("like", json!({"object": uri})).await?;
    member.until_counted(status_id, "favourites_count").await?;
    member.notified("favourite", uri).await?;
    herd.act("announce", json!({"object": uri})).await?;
    member.until_counted(status_id, "reblogs_count").await?;
    member.notified("reblog", uri).await?;
    Ok(())
}

/// Bovine's post reaches the member's home timeline; her reply is threaded on bovine's side,
/// and her like and boost reach bovine.
async fn bovine_posts_and_member_replies_likes_and_boosts(member: &Member<'_>, herd: &Herd) -> Result<()> {
    let note = herd.act("note", json!({"text": format!("Goedemorgen {}", member.username)})).await?;
    let note_id = note["id"].as_str().context("note id")?;
    let shown = member.in_home(note_id).await?;
    assert_eq!(shown["account"]["id"], member.herd_account.as_str(), "{shown}");
    assert!(shown["content"].as_str().is_some_and(|c| c.contains("Goedemorgen")), "{shown}");
    let shown_id = shown["id"].as_str().context("status id")?;

    let reply = member.app.post("/api/v1/statuses", json!({"status": "Goedemorgen!", "in_reply_to_id": shown_id})).await?;
    let reply_uri = reply["uri"].as_str().context("reply uri")?;
    let create = herd.received("our reply", |a| a["type"] == "Create" && id_of(&a["object"]) == Some(reply_uri)).await?;
    assert_eq!(id_of(&create["object"]["inReplyTo"]), Some(note_id), "our reply names bovine's note: {create}");

    member.app.post(&format!("/api/v1/statuses/{shown_id}/favourite"), json!({})).await?;
    let like = herd.received("our Like", |a| a["type"] == "Like" && id_of(&a["object"]) == Some(note_id)).await?;
    assert_eq!(id_of(&like["actor"]), Some(member.ap_id.as_str()), "{like}");
    member.app.post(&format!("/api/v1/statuses/{shown_id}/reblog"), json!({})).await?;
    let boost = herd.received("our Announce", |a| a["type"] == "Announce" && id_of(&a["object"]) == Some(note_id)).await?;
    assert_eq!(id_of(&boost["actor"]), Some(member.ap_id.as_str()), "{boost}");
    Ok(())
}

/// `@herd@localhost:PORT` in a member's post reaches bovine as a `Mention` of its actor and
/// as a link to it in the text.
async fn member_mentions_bovine(member: &Member<'_>, herd: &Herd) -> Result<()> {
    let post = member.app.post("/api/v1/statuses", json!({"status": format!("@{} kijk eens!", herd.handle())})).await?;
    let uri = post["uri"].as_str().context("status uri")?;
    let create = herd.received("our mention", |a| a["type"] == "Create" && id_of(&a["object"]) == Some(uri)).await?;
    let tags = as_list(&create["object"]["tag"]);
    assert!(tags.iter().any(|t| t["type"] == "Mention" && t["href"] == herd.id()), "a Mention tag names bovine's actor: {create}");
    let link = format!("href=\"{}\"", herd.profile());
    assert!(create["object"]["content"].as_str().is_some_and(|c| c.contains(&link)), "the text links bovine's actor: {create}");
    Ok(())
}

/// Bovine's note mentioning `mentioned` notifies her and lists her in the status's mentions;
/// `bystander`, who follows bovine too, sees the note with the same mention but is not notified.
async fn bovine_mentions_one_member_and_not_the_other(herd: &Herd, mentioned: &Member<'_>, bystander: &Member<'_>) -> Result<()> {
    let text = format!("Dag {}, zie je dit?", mentioned.username);
    let note = herd.act("note", json!({"text": text, "mention": [mentioned.ap_id]})).await?;
    let note_id = note["id"].as_str().context("note id")?;
    let notification = mentioned.notified("mention", note_id).await?;
    assert_eq!(notification["account"]["id"], mentioned.herd_account.as_str(), "{notification}");
    let mentions = as_list(&notification["status"]["mentions"]);
    assert!(
        mentions.iter().any(|m| m["url"] == mentioned.ap_id.as_str() || m["acct"] == mentioned.username.as_str()),
        "the status's mentions list her: {notification}"
    );

    let seen = bystander.in_home(note_id).await?;
    let mentioned_acct = format!("{}@{}", mentioned.username, mentioned.node.config.domain);
    assert!(
        as_list(&seen["mentions"]).iter().any(|m| m["acct"] == mentioned_acct.as_str()),
        "the bystander sees whom it mentions ({mentioned_acct}): {seen}"
    );
    let notifications = bystander.app.get("/api/v1/notifications").await?;
    assert!(
        !as_list(&notifications).iter().any(|n| n["type"] == "mention" && n["status"]["uri"] == note_id),
        "a note that does not mention the bystander does not notify her: {notifications}"
    );
    Ok(())
}

/// A member of one of our nodes, with her app, who follows bovine's actor and is followed by it.
struct Member<'a> {
    node: &'a TestNode,
    username: String,
    ap_id: String,
    app: Session,
    /// Bovine's actor as our node's API numbers it.
    herd_account: String,
}

impl<'a> Member<'a> {
    /// A new member of `node`; she and bovine's actor follow each other, and both follows are
    /// accepted: hers by the bovine user, bovine's by our node.
    async fn join(node: &'a TestNode, username: &str, herd: &Herd) -> Result<Member<'a>> {
        let actor = node.add_member(username, None).await?;
        let app = Session::start(&node.base_url(), username).await?;
        let herd_account = find_herd_account(&app, herd).await?;
        let member = Member { node, username: username.to_string(), ap_id: actor.ap_id, app, herd_account };
        member.follows_herd(herd).await?;
        member.is_followed_by_herd(herd).await?;
        Ok(member)
    }

    async fn follows_herd(&self, herd: &Herd) -> Result<()> {
        let answer = self.app.post(&format!("/api/v1/accounts/{}/follow", self.herd_account), json!({})).await?;
        assert_eq!(answer["following"], false, "not following before bovine accepts: {answer}");
        herd.received("our Follow", |a| a["type"] == "Follow" && id_of(&a["actor"]) == Some(&self.ap_id)).await?;
        herd.act("accept", json!({"actor": self.ap_id})).await?;
        self.until_relationship("following").await?;
        let followers = herd.collection("followers").await?;
        assert!(followers.contains(&self.ap_id), "bovine counts her among its followers: {followers:?}");
        Ok(())
    }

    async fn is_followed_by_herd(&self, herd: &Herd) -> Result<()> {
        herd.act("follow", json!({"object": self.ap_id})).await?;
        self.until_relationship("followed_by").await?;
        eventually("bovine takes our Accept", || async { Ok(herd.collection("following").await?.contains(&self.ap_id).then_some(())) })
            .await
    }

    /// Waits until her relationship with bovine's actor has `field` true.
    async fn until_relationship(&self, field: &str) -> Result<()> {
        let path = format!("/api/v1/accounts/relationships?id[]={}", self.herd_account);
        eventually(&format!("{} {field} bovine", self.username), || async {
            Ok((self.app.get(&path).await?[0][field] == true).then_some(()))
        })
        .await
    }

    /// Waits until her status shows one `counter` (favourites_count, reblogs_count).
    async fn until_counted(&self, status_id: &str, counter: &str) -> Result<()> {
        eventually(&format!("{counter} of bovine's action"), || async {
            let status = self.app.get(&format!("/api/v1/statuses/{status_id}")).await?;
            Ok((status[counter] == 1).then_some(()))
        })
        .await
    }

    /// Waits for her notification of `kind` about the status `uri`.
    async fn notified(&self, kind: &str, uri: &str) -> Result<Value> {
        eventually(&format!("{} notified of a {kind}", self.username), || async {
            let notifications = self.app.get("/api/v1/notifications").await?;
            Ok(as_list(&notifications).into_iter().find(|n| n["type"] == kind && n["status"]["uri"] == uri))
        })
        .await
    }

    /// Waits for the status `uri` in her home timeline.
    async fn in_home(&self, uri: &str) -> Result<Value> {
        eventually(&format!("{uri} in {}'s home timeline", self.username), || async {
            let home = self.app.get("/api/v1/timelines/home").await?;
            Ok(as_list(&home).into_iter().find(|s| s["uri"] == uri))
        })
        .await
    }
}

/// Bovine's actor found from our side by its handle (WebFinger, then its signed-GET-only
/// actor document), as an app's search does.
async fn find_herd_account(app: &Session, herd: &Herd) -> Result<String> {
    let found = app.get(&format!("/api/v2/search?type=accounts&resolve=true&q=@{}", herd.handle())).await?;
    let account = found["accounts"].get(0).with_context(|| format!("our search does not find {}: {found}", herd.handle()))?;
    assert_eq!(account["url"], herd.profile(), "{account}");
    assert_eq!(account["acct"], herd.handle(), "{account}");
    Ok(account["id"].as_str().context("account id")?.to_string())
}

/// The bovine-herd server (its own process group) and its one actor, driven through the
/// peer's control routes. Dropping it kills the process group; the database goes with `dir`.
struct Herd {
    process: Child,
    origin: String,
    http: reqwest::Client,
    /// `{"id", "url", "handle", "inbox", "followers", "following"}`.
    actor: Value,
    dir: TempDir,
}

impl Herd {
    /// Starts the server on a free port; a port taken before the server binds it (tests
    /// start nodes in parallel) means another try.
    async fn start() -> Result<Herd> {
        let mut last_error = None;
        for _ in 0..5 {
            match Herd::start_on(free_port()?).await {
                Ok(herd) => return Ok(herd),
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.expect("tried"))
    }

    async fn start_on(port: u16) -> Result<Herd> {
        let dir = tempfile::tempdir()?;
        let log = std::fs::File::create(dir.path().join("herd.log"))?;
        let process = Command::new(interop_python())
            .arg(interop_dir().join("bovine_herd_peer.py"))
            .args(["--port", &port.to_string(), "--data-dir"])
            .arg(dir.path())
            // bovine keeps a JSON-LD cache in the working directory: the throwaway one.
            .current_dir(dir.path())
            .stdout(log.try_clone()?)
            .stderr(log)
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .context("starting bovine-herd with tests/interop/.venv/bin/python")?;
        let mut herd = Herd { process, origin: format!("http://localhost:{port}"), http: reqwest::Client::new(), actor: Value::Null, dir };
        herd.actor = herd.wait_for_actor().await?;
        Ok(herd)
    }

    /// Waits until the server serves and its actor is registered, failing at once if it ends.
    async fn wait_for_actor(&mut self) -> Result<Value> {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.process.try_wait()? {
                anyhow::bail!("bovine-herd exited ({status}) before it served; its log:\n{}", self.log());
            }
            if let Ok(answer) = self.http.get(format!("{}/control/actor", self.origin)).send().await
                && answer.status().is_success()
            {
                return Ok(answer.json().await?);
            }
            anyhow::ensure!(tokio::time::Instant::now() < deadline, "bovine-herd did not serve; its log:\n{}", self.log());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn id(&self) -> &str {
        self.actor["id"].as_str().unwrap_or_default()
    }

    fn handle(&self) -> &str {
        self.actor["handle"].as_str().unwrap_or_default()
    }

    /// Where a link to the actor points: its `url`, else its id.
    fn profile(&self) -> &str {
        self.actor["url"].as_str().unwrap_or(self.id())
    }

    /// Makes the actor act (`follow`, `accept`, `note`, `reply`, `like`, `announce`).
    async fn act(&self, action: &str, body: Value) -> Result<Value> {
        let answer = self.http.post(format!("{}/control/{action}", self.origin)).json(&body).send().await?;
        let status = answer.status();
        let text = answer.text().await?;
        anyhow::ensure!(status.is_success(), "bovine's {action} {body} failed: {status} {text}");
        Ok(serde_json::from_str(&text)?)
    }

    async fn read(&self, path: &str) -> Result<Value> {
        Ok(self.http.get(format!("{}/control/{path}", self.origin)).send().await?.error_for_status()?.json().await?)
    }

    /// The actor's `followers` or `following`, as ids.
    async fn collection(&self, name: &str) -> Result<Vec<String>> {
        Ok(as_list(&self.read(name).await?).iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
    }

    /// Waits for an activity in the actor's inbox, as bovine-herd serves it to its owner.
    async fn received(&self, what: &str, wanted: impl Fn(&Value) -> bool) -> Result<Value> {
        let found = eventually(&format!("bovine-herd receives {what}"), || async {
            Ok(as_list(&self.read("inbox").await?).into_iter().find(|a| wanted(a)))
        })
        .await;
        match found {
            Ok(activity) => Ok(activity),
            Err(e) => Err(e.context(format!("bovine's inbox: {}", self.read("inbox").await.unwrap_or_default()))),
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("herd.log")).unwrap_or_default()
    }
}

impl Drop for Herd {
    fn drop(&mut self) {
        // The peer leads its own process group: nothing it started outlives the test.
        if let Some(pid) = self.process.id() {
            let _ = std::process::Command::new("kill").args(["-KILL", "--", &format!("-{pid}")]).status();
        }
    }
}

fn as_list(value: &Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items.clone(),
        Value::Null => vec![],
        single => vec![single.clone()],
    }
}

/// The id of an object, whether it is embedded (bovine's inbox embeds actors and objects it
/// holds) or named.
fn id_of(value: &Value) -> Option<&str> {
    value.as_str().or_else(|| value["id"].as_str())
}
