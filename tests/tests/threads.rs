//! What the pasture found, between real nodes on both databases: a reply from a peer shows
//! threaded (the posts it answers are fetched, at most three up, and only when they check
//! out, and hold no NUL character), a conversation's `context` (FEP-7888) is kept and passed on, and a mention is a
//! `Mention` tag and a link, listed and notified on the other side.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::{Actor, Post, Visibility};
use buurtnet_domain::ops::posts::PostDraft;
use buurtnet_tests::harness::{TestNode, eventually, get_signed, post_signed, signer_of};
use buurtnet_tests::hostile::HostilePeer;
use buurtnet_tests::on_both_backends;
use serde_json::{Value, json};

on_both_backends!(
    a_reply_from_a_peer_is_threaded_three_posts_up,
    a_forged_parent_is_not_taken_and_the_reply_stays,
    a_parent_holding_a_nul_is_not_taken_and_the_reply_stays,
    a_mention_is_a_tag_and_a_link_and_reaches_the_mentioned,
    a_public_post_that_only_tags_a_member_reaches_her
);

/// Publishes a post on `node` as `author`: a reply to `in_reply_to` if given, addressed to
/// `recipients` (and mentioning them).
async fn post_on(node: &TestNode, author: &Actor, text: &str, in_reply_to: Option<&Post>, recipients: Vec<String>) -> Result<Post> {
    let state = node.node.as_ref().context("running")?.state();
    let draft = PostDraft { in_reply_to: in_reply_to.map(|p| p.ap_id.clone()), ..PostDraft::plain(text, Visibility::Public, recipients) };
    let post = buurtnet_domain::ops::posts::publish(&state.store, &state.urls, author, author, &draft).await?;
    state.wake_delivery();
    Ok(post)
}

/// The status a member of `node` is shown for the post `ap_id`.
async fn status_of(node: &TestNode, username: &str, ap_id: &str) -> Result<Value> {
    let token = buurtnet_tests::app::bearer(&node.base_url(), username, "read").await?;
    buurtnet_tests::app::find_status(&node.base_url(), &token, ap_id).await?.with_context(|| format!("{username} is not shown {ap_id}"))
}

/// The notifications a member of `node` is shown, newest first.
async fn notifications_of(node: &TestNode, username: &str) -> Result<Value> {
    let token = buurtnet_tests::app::bearer(&node.base_url(), username, "read").await?;
    let request = reqwest::Client::new().get(format!("{}/api/v1/notifications", node.base_url())).header("authorization", token);
    Ok(request.send().await?.error_for_status()?.json().await?)
}

async fn a_reply_from_a_peer_is_threaded_three_posts_up(backend: buurtnet_tests::harness::Backend) -> Result<()> {
    let (home, away) = (TestNode::start(backend).await?, TestNode::start(backend).await?);
    let weide = home.add_member("weide", None).await?;
    let koe = away.add_member("koe", None).await?;
    away.resolve(&weide.ap_id).await?;
    // A thread of four public posts that nobody at home follows, then a reply to its last
    // one, addressed to weide.
    let mut thread = vec![away.publish(&koe, "Wie heeft er een ladder?", Visibility::Public).await?];
    for text in ["Ik misschien", "Welke lengte?", "Drie meter"] {
        let parent = thread.last().cloned();
        thread.push(post_on(&away, &koe, text, parent.as_ref(), vec![]).await?);
    }
    let reply = post_on(&away, &koe, "@weide jij had er toch een?", thread.last(), vec![weide.ap_id.clone()]).await?;
    eventually("the reply reaches home", || async { home.post(&reply.ap_id).await }).await?;

    let shown = status_of(&home, "weide", &reply.ap_id).await?;
    let parent = home.post(&thread[3].ap_id).await?.context("the post the reply answers is fetched")?;
    assert_eq!(shown["in_reply_to_id"], parent.id.to_string(), "{shown}");
    assert_eq!(shown["in_reply_to_account_id"], parent.author_id.to_string());
    assert!(home.post(&thread[1].ap_id).await?.is_some(), "three posts up are fetched");
    assert!(home.post(&thread[0].ap_id).await?.is_none(), "the fourth is not: the fetching is bounded");
    let mentions: Vec<&str> = shown["mentions"].as_array().into_iter().flatten().filter_map(|m| m["acct"].as_str()).collect();
    assert_eq!(mentions, vec!["weide"], "the Mention tag names weide: {shown}");
    Ok(())
}

async fn a_forged_parent_is_not_taken_and_the_reply_stays(backend: buurtnet_tests::harness::Backend) -> Result<()> {
    let (home, away) = (TestNode::start(backend).await?, TestNode::start(backend).await?);
    let weide = home.add_member("weide", None).await?;
    let koe = away.add_member("koe", None).await?;
    let real = away.publish(&koe, "Het echte bericht", Visibility::Public).await?;
    // A server that answers for a "parent" with a copy of koe's post that says it is koe's
    // and changes its text: the id names another origin than the address it came from.
    let forger = HostilePeer::start().await?;
    let forged = json!({
        "@context": "https://www.w3.org/ns/activitystreams", "id": real.ap_id, "type": "Note",
        "attributedTo": koe.ap_id, "content": "Vervalst", "to": ["https://www.w3.org/ns/activitystreams#Public"],
    });
    forger.serve("/notes/1", "application/activity+json", forged.to_string().into_bytes());
    let parent_url = format!("{}/notes/1", forger.base_url());
    let reply_id = format!("{}/forged-thread/reply", away.base_url());
    let create = json!({
        "@context": "https://www.w3.org/ns/activitystreams", "id": format!("{reply_id}/create"), "type": "Create",
        "actor": koe.ap_id, "to": [weide.ap_id],
        "object": {
            "id": reply_id, "type": "Note", "attributedTo": koe.ap_id, "to": [weide.ap_id],
            "content": "Kijk hier", "inReplyTo": parent_url, "context": format!("{}/contexts/ladder", away.base_url()),
        },
    });
    let status = post_signed(&format!("{}/inbox", home.base_url()), create.to_string().as_bytes(), Some(&signer_of(&koe)), None).await?;
    assert_eq!(status, 202);
    assert!(forger.received().iter().any(|r| r.uri.path() == "/notes/1"), "the parent was asked for");
    assert!(home.post(&real.ap_id).await?.is_none(), "the forged copy is not kept under koe's id");
    let shown = status_of(&home, "weide", &reply_id).await?;
    assert_eq!(shown["in_reply_to_id"], Value::Null, "{shown}");
    assert_eq!(shown["content"], "Kijk hier");

    // weide answers it: her reply belongs to the conversation the peer named.
    let held = home.post(&reply_id).await?.context("reply kept")?;
    let answer = home.reply(&weide, &held.ap_id, "Dank je").await?;
    let (code, served) = get_signed(&answer.ap_id, None).await?;
    assert_eq!(code, 200);
    assert_eq!(served["context"], format!("{}/contexts/ladder", away.base_url()), "{served}");
    Ok(())
}

/// A peer's parent post with a NUL character in a hashtag and its text (PostgreSQL cannot
/// store one; on the way to the store it could fail a whole batch of other notes): the inbox
/// refuses such an activity, and a parent fetched by its id is refused the same way.
async fn a_parent_holding_a_nul_is_not_taken_and_the_reply_stays(backend: buurtnet_tests::harness::Backend) -> Result<()> {
    let (home, away) = (TestNode::start(backend).await?, TestNode::start(backend).await?);
    let weide = home.add_member("weide", None).await?;
    let koe = away.add_member("koe", None).await?;
    let peer = HostilePeer::start().await?;
    let author = format!("{}/users/mallory", peer.base_url());
    let key = buurtnet_federation::keys::generate();
    let profile = json!({"@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": author, "type": "Person", "preferredUsername": "mallory", "inbox": format!("{author}/inbox"),
        "publicKey": {"id": format!("{author}#main-key"), "owner": author, "publicKeyPem": key.rsa_public_pem}});
    peer.serve("/users/mallory", "application/activity+json", serde_json::to_vec(&profile)?);
    let parent_url = format!("{}/notes/nul", peer.base_url());
    let parent = json!({
        "@context": "https://www.w3.org/ns/activitystreams", "id": parent_url, "type": "Note", "attributedTo": author,
        "content": "Soep\u{0} op zaterdag", "tag": [{"type": "Hashtag", "name": "#so\u{0}ep"}],
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    });
    peer.serve("/notes/nul", "application/activity+json", serde_json::to_vec(&parent)?);
    let reply_id = format!("{}/nul-thread/reply", away.base_url());
    let create = json!({
        "@context": "https://www.w3.org/ns/activitystreams", "id": format!("{reply_id}/create"), "type": "Create",
        "actor": koe.ap_id, "to": [weide.ap_id],
        "object": {"id": reply_id, "type": "Note", "attributedTo": koe.ap_id, "to": [weide.ap_id], "content": "Wat zeg je?", "inReplyTo": parent_url},
    });
    let status = post_signed(&format!("{}/inbox", home.base_url()), create.to_string().as_bytes(), Some(&signer_of(&koe)), None).await?;
    assert_eq!(status, 202);
    assert!(peer.received().iter().any(|r| r.uri.path() == "/notes/nul"), "the parent was asked for");
    let shown = status_of(&home, "weide", &reply_id).await?;
    assert_eq!((shown["in_reply_to_id"].clone(), shown["content"].as_str()), (Value::Null, Some("Wat zeg je?")), "{shown}");
    assert!(home.post(&parent_url).await?.is_none(), "the parent with a NUL is not kept");
    Ok(())
}

async fn a_mention_is_a_tag_and_a_link_and_reaches_the_mentioned(backend: buurtnet_tests::harness::Backend) -> Result<()> {
    let (home, away) = (TestNode::start(backend).await?, TestNode::start(backend).await?);
    home.add_member("weide", None).await?;
    let koe = away.add_member("koe", None).await?;
    let koe_here = home.resolve(&koe.ap_id).await?;
    let handle = format!("@koe@localhost:{}", away.port);
    let token = buurtnet_tests::app::bearer(&home.base_url(), "weide", "write read").await?;
    let posted: Value = reqwest::Client::new()
        .post(format!("{}/api/v1/statuses", home.base_url()))
        .header("authorization", token)
        .json(&json!({"status": format!("Hoi {handle}, kom je ook?"), "visibility": "public"}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let link =
        format!(r#"<a href="{}" class="u-url mention">@<span>koe</span></a>"#, koe_here.url.clone().unwrap_or(koe_here.ap_id.clone()));
    assert!(posted["content"].as_str().unwrap_or_default().contains(&link), "{posted}");
    let uri = posted["uri"].as_str().context("uri")?.to_string();
    let (_, served) = get_signed(&uri, None).await?;
    let tags = served["tag"].as_array().context("tags")?;
    assert!(tags.iter().any(|t| t["type"] == "Mention" && t["href"] == koe.ap_id.as_str() && t["name"] == handle), "{served}");

    eventually("koe's node gets the post", || async { away.post(&uri).await }).await?;
    let shown = status_of(&away, "koe", &uri).await?;
    assert_eq!(shown["mentions"][0]["acct"], "koe", "{shown}");
    let notifications = notifications_of(&away, "koe").await?;
    assert_eq!(notifications[0]["type"], "mention", "{notifications}");
    Ok(())
}

async fn a_public_post_that_only_tags_a_member_reaches_her(backend: buurtnet_tests::harness::Backend) -> Result<()> {
    let (home, away) = (TestNode::start(backend).await?, TestNode::start(backend).await?);
    let weide = home.add_member("weide", None).await?;
    let koe = away.add_member("koe", None).await?;
    let id = format!("{}/tagged/1", away.base_url());
    let create = json!({
        "@context": "https://www.w3.org/ns/activitystreams", "id": format!("{id}/create"), "type": "Create",
        "actor": koe.ap_id, "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {
            "id": id, "type": "Note", "attributedTo": koe.ap_id, "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "content": "<p>Dank je @weide!</p>", "tag": [{"type": "Mention", "href": weide.ap_id, "name": "@weide"}],
        },
    });
    let status = post_signed(&format!("{}/inbox", home.base_url()), create.to_string().as_bytes(), Some(&signer_of(&koe)), None).await?;
    assert_eq!(status, 202);
    let shown = status_of(&home, "weide", &id).await?;
    assert_eq!(shown["mentions"][0]["acct"], "weide", "{shown}");
    let notifications = notifications_of(&home, "weide").await?;
    assert_eq!(notifications[0]["type"], "mention", "{notifications}");
    Ok(())
}
