//! Multi-node federation scenarios, on SQLite and on PostgreSQL: follows (with and without
//! approval), posts with updates, deletions, replies, and a peer that is down for a while.

use anyhow::Result;
use buurtnet_domain::model::Visibility;
use buurtnet_tests::harness::{Backend, TestNode, eventually};
use buurtnet_tests::on_both_backends;

on_both_backends!(
    three_nodes_see_each_others_posts_updates_and_deletions,
    follow_requests_wait_for_approval,
    a_peer_that_was_down_receives_everything,
    replies_thread_and_followers_only_posts_stay_private
);

async fn three_nodes_see_each_others_posts_updates_and_deletions(backend: Backend) -> Result<()> {
    let nodes = [TestNode::start(backend).await?, TestNode::start(backend).await?, TestNode::start(backend).await?];
    let mut members = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        members.push(node.add_member(&format!("lid{i}"), None).await?);
    }
    for (i, node) in nodes.iter().enumerate() {
        for (j, other) in members.iter().enumerate() {
            if i != j {
                node.follow(&members[i], &other.ap_id).await?;
            }
        }
    }
    for (i, node) in nodes.iter().enumerate() {
        for (j, other) in members.iter().enumerate() {
            if i != j {
                eventually("follow accepted", || async {
                    Ok(node.follow_state(&members[i].ap_id, &other.ap_id).await?.filter(|s| s == "accepted"))
                })
                .await?;
            }
        }
    }

    let post = nodes[0].publish(&members[0], "Wie komt er donderdag mee eten?", Visibility::Public).await?;
    for node in &nodes[1..] {
        let seen = eventually("post arrives", || async { node.post(&post.ap_id).await }).await?;
        assert!(seen.content.contains("donderdag"));
        assert!(!seen.is_local);
    }

    let edited = nodes[0].edit(&members[0], &post, "Wie komt er vrijdag mee eten?").await?;
    assert!(edited.content.contains("vrijdag"));
    for node in &nodes[1..] {
        eventually("update arrives", || async { Ok(node.post(&post.ap_id).await?.filter(|p| p.content.contains("vrijdag"))) }).await?;
    }

    nodes[0].delete(&members[0], &post).await?;
    for node in &nodes[1..] {
        eventually("deletion arrives", || async { Ok(node.post(&post.ap_id).await?.filter(|p| p.is_deleted())) }).await?;
    }
    let response = reqwest::Client::new().get(&post.ap_id).header("accept", "application/activity+json").send().await?;
    assert_eq!(response.status(), 410);
    let tombstone: serde_json::Value = response.json().await?;
    assert_eq!(tombstone["type"], "Tombstone");
    Ok(())
}

async fn follow_requests_wait_for_approval(backend: Backend) -> Result<()> {
    let home = TestNode::start(backend).await?;
    let away = TestNode::start(backend).await?;
    let initiative = home.add_initiative("buurtkeuken", true).await?;
    let coordinator = home.add_member("coordinator", Some(&initiative)).await?;
    let asker = away.add_member("vrager", None).await?;
    let refused = away.add_member("geweigerd", None).await?;

    away.follow(&asker, &initiative.ap_id).await?;
    away.follow(&refused, &initiative.ap_id).await?;
    for member in [&asker, &refused] {
        eventually("request arrives", || async {
            Ok(home.follow_state(&member.ap_id, &initiative.ap_id).await?.filter(|s| s == "pending"))
        })
        .await?;
    }
    let before = home.publish_as(&coordinator, &initiative, "Alleen voor volgers na goedkeuring", Visibility::Public, vec![]).await?;
    // Who gets a post is decided when it goes out (the outbox entry is expanded): wait for
    // that, or on a busy machine it goes out after the approval, to the new follower too.
    home.node.as_ref().expect("running").state().wake_delivery();
    eventually("the post before the approval goes out", || async {
        Ok((buurtnet_domain::store::outbox::count_pending(&mut home.store().conn().await?).await? == 0).then_some(()))
    })
    .await?;

    let store = home.store();
    let asker_there = home.actor(&asker.ap_id).await?.expect("known");
    let refused_there = home.actor(&refused.ap_id).await?.expect("known");
    buurtnet_domain::ops::follows::approve(store, &coordinator, &initiative, &asker_there).await?;
    buurtnet_domain::ops::follows::reject(store, &coordinator, &initiative, &refused_there).await?;
    home.node.as_ref().expect("running").state().wake_delivery();

    eventually("accept arrives", || async { Ok(away.follow_state(&asker.ap_id, &initiative.ap_id).await?.filter(|s| s == "accepted")) })
        .await?;
    eventually("reject arrives", || async { Ok(away.follow_state(&refused.ap_id, &initiative.ap_id).await?.is_none().then_some(())) })
        .await?;

    let after = home.publish_as(&coordinator, &initiative, "Welkom, nieuwe volger", Visibility::Public, vec![]).await?;
    eventually("post after approval arrives", || async { away.post(&after.ap_id).await }).await?;
    assert!(away.post(&before.ap_id).await?.is_none(), "posts from before the approval were not sent");

    // Unfollowing crosses too.
    let asker_here = away.actor(&asker.ap_id).await?.expect("local");
    let initiative_there = away.actor(&initiative.ap_id).await?.expect("known");
    buurtnet_domain::ops::follows::unfollow(away.store(), &asker_here, &initiative_there).await?;
    away.node.as_ref().expect("running").state().wake_delivery();
    eventually("undo arrives", || async { Ok(home.follow_state(&asker.ap_id, &initiative.ap_id).await?.is_none().then_some(())) }).await?;

    // A member who is not a coordinator cannot approve.
    let stranger = home.add_member("buitenstaander", None).await?;
    let outcome = buurtnet_domain::ops::follows::approve(store, &stranger, &initiative, &refused_there).await;
    assert!(matches!(outcome, Err(buurtnet_domain::DomainError::Forbidden)));
    Ok(())
}

async fn a_peer_that_was_down_receives_everything(backend: Backend) -> Result<()> {
    let sender = TestNode::start(backend).await?;
    let mut receiver = TestNode::start(backend).await?;
    let author = sender.add_member("schrijver", None).await?;
    let reader = receiver.add_member("lezer", None).await?;
    receiver.follow_and_wait(&reader, &author.ap_id).await?;

    receiver.stop().await;
    let mut posts = Vec::new();
    for i in 0..5 {
        posts.push(sender.publish(&author, &format!("Bericht {i} terwijl de buren offline zijn"), Visibility::Public).await?);
    }
    eventually("deliveries fail and wait", || async {
        let (pending, delivered, _) = sender.delivery_counts().await?;
        let mut conn = sender.store().conn().await?;
        let peers = buurtnet_domain::store::deliveries::peers(&mut conn).await?;
        Ok((pending == 5 && peers.iter().any(|p| p.consecutive_failures > 0)).then_some(delivered))
    })
    .await?;

    receiver.restart().await?;
    for post in &posts {
        eventually("post arrives after the peer is back", || async { receiver.post(&post.ap_id).await }).await?;
    }
    eventually("the sender records every delivery as done", || async {
        let (pending, _, failed) = sender.delivery_counts().await?;
        assert_eq!(failed, 0);
        Ok((pending == 0).then_some(()))
    })
    .await?;
    Ok(())
}

async fn replies_thread_and_followers_only_posts_stay_private(backend: Backend) -> Result<()> {
    let a = TestNode::start(backend).await?;
    let b = TestNode::start(backend).await?;
    let alice = a.add_member("alice", None).await?;
    let bob = b.add_member("bob", None).await?;
    b.follow(&bob, &alice.ap_id).await?;
    a.follow(&alice, &bob.ap_id).await?;
    eventually("follows accepted", || async {
        let one = b.follow_state(&bob.ap_id, &alice.ap_id).await?;
        let two = a.follow_state(&alice.ap_id, &bob.ap_id).await?;
        Ok((one.as_deref() == Some("accepted") && two.as_deref() == Some("accepted")).then_some(()))
    })
    .await?;

    let question = a.publish(&alice, "Weet iemand een goede fietsenmaker?", Visibility::Public).await?;
    eventually("question arrives", || async { b.post(&question.ap_id).await }).await?;
    let answer = b.reply(&bob, &question.ap_id, "Ja, op de hoek van de Nieuwe Binnenweg!").await?;
    let seen = eventually("reply arrives", || async { a.post(&answer.ap_id).await }).await?;
    assert_eq!(seen.in_reply_to.as_deref(), Some(question.ap_id.as_str()));

    let private = a.publish(&alice, "Alleen voor mijn volgers", Visibility::Followers).await?;
    let copy = eventually("followers-only post reaches the follower", || async { b.post(&private.ap_id).await }).await?;
    assert_eq!(copy.visibility, Visibility::Followers);
    let anonymous = reqwest::Client::new().get(&private.ap_id).header("accept", "application/activity+json").send().await?;
    assert_eq!(anonymous.status(), 404, "an unsigned reader must not see a followers-only post");

    // A direct message reaches its recipient and no other follower.
    let c = TestNode::start(backend).await?;
    let carol = c.add_member("carol", None).await?;
    c.follow_and_wait(&carol, &alice.ap_id).await?;
    let direct = a.publish_as(&alice, &alice, "Bob, heb je zaterdag tijd?", Visibility::Direct, vec![bob.ap_id.clone()]).await?;
    let got = eventually("the direct message reaches bob", || async { b.post(&direct.ap_id).await }).await?;
    assert_eq!(got.visibility, Visibility::Direct);
    let public_after = a.publish(&alice, "Een openbaar bericht na het persoonlijke", Visibility::Public).await?;
    eventually("carol gets the public post", || async { c.post(&public_after.ap_id).await }).await?;
    assert!(c.post(&direct.ap_id).await?.is_none(), "the direct message never went to carol's node");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_outbox_entry_does_not_hold_up_the_rest() -> Result<()> {
    let sender = TestNode::start(Backend::Sqlite).await?;
    let receiver = TestNode::start(Backend::Sqlite).await?;
    let author = sender.add_member("schrijver", None).await?;
    let reader = receiver.add_member("lezer", None).await?;
    receiver.follow_and_wait(&reader, &author.ap_id).await?;

    let mut tx = sender.store().begin().await?;
    buurtnet_domain::store::outbox::push(&mut tx, &buurtnet_domain::outbox::Outgoing::PostCreated { post_id: 999_999 }).await?;
    tx.commit().await?;
    let post = sender.publish(&author, "Dit komt toch aan", Visibility::Public).await?;
    eventually("the post behind the broken entry arrives", || async { receiver.post(&post.ap_id).await }).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_that_hangs_does_not_hold_up_the_others() -> Result<()> {
    let mut sender = TestNode::start(Backend::Sqlite).await?;
    sender.config.federation.delivery.concurrency = 2;
    sender.config.federation.delivery.per_peer_concurrency = 1;
    sender.config.federation.delivery.request_timeout_ms = 60_000;
    sender.restart().await?;
    let receiver = TestNode::start(Backend::Sqlite).await?;
    let author = sender.add_member("schrijver", None).await?;
    let reader = receiver.add_member("lezer", None).await?;
    receiver.follow_and_wait(&reader, &author.ap_id).await?;

    // A peer that accepts connections and never answers.
    let black_hole = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let hole_port = black_hole.local_addr()?.port();
    let _held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = black_hole.accept().await {
            open.push(socket);
        }
    });
    buurtnet_tests::harness::add_stand_in_follower(sender.store(), &format!("http://localhost:{hole_port}/users/zwijger"), &author).await?;

    let started = std::time::Instant::now();
    let mut posts = Vec::new();
    for i in 0..5 {
        posts.push(sender.publish(&author, &format!("Bericht {i}"), Visibility::Public).await?);
    }
    for post in &posts {
        eventually("the live peer gets every post", || async { receiver.post(&post.ap_id).await }).await?;
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "took {:?} while the other peer hangs", started.elapsed());
    Ok(())
}
