//! What happens to what a node sends, against a peer that answers as the test tells it, on
//! both databases: an `Undo` the peer refuses is not asked again for days, a request to
//! follow that never arrives is cleared and the member is told, and the id of every activity
//! we sent resolves for whoever it was for (and for nobody else).

use anyhow::{Context as _, Result};
use axum::http::StatusCode;
use buurtnet_domain::model::{Actor, Visibility};
use buurtnet_domain::{ops, store};
use buurtnet_tests::harness::{Backend, TestNode, eventually, get_signed, signer_of, stand_in_remote_actor};
use buurtnet_tests::hostile::HostilePeer;
use buurtnet_tests::on_both_backends;
use buurtnet_tests::pages::PageVisitor;
use serde_json::Value;
use std::time::Duration;

on_both_backends!(
    an_undo_the_peer_refuses_is_not_asked_again,
    a_request_to_follow_that_never_arrives_is_cleared_and_told,
    an_activity_id_resolves_for_whom_it_was_for
);

/// A remote actor at the hostile peer, stored as if fetched.
async fn stand_in_at(node: &TestNode, peer: &HostilePeer, name: &str) -> Result<Actor> {
    let ap_id = url::Url::parse(&format!("{}/users/{name}", peer.base_url()))?;
    let mut tx = node.store().begin().await?;
    let actor = store::actors::upsert(&mut tx, &stand_in_remote_actor(&ap_id)?).await?;
    tx.commit().await?;
    Ok(actor)
}

/// The activities of type `kind` the peer received, in order.
fn received(peer: &HostilePeer, kind: &str) -> Vec<Value> {
    peer.received()
        .iter()
        .filter_map(|request| serde_json::from_slice::<Value>(&request.body).ok())
        .filter(|activity| activity["type"] == kind)
        .collect()
}

async fn follow(node: &TestNode, follower: &Actor, followee: &Actor) -> Result<()> {
    let state = node.node.as_ref().context("running")?.state();
    ops::follows::follow(&state.store, &state.urls, follower, followee).await?;
    state.wake_delivery();
    Ok(())
}

async fn an_undo_the_peer_refuses_is_not_asked_again(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let peer = HostilePeer::start().await?;
    let relay = stand_in_at(&node, &peer, "relay").await?;
    let member = node.add_member("merel", None).await?;
    follow(&node, &member, &relay).await?;
    eventually("the Follow is delivered", || async { Ok((node.delivery_counts().await?.1 == 1).then_some(())) }).await?;

    // The relay forgets us: it answers 401 to everything from now on.
    peer.answer_posts_with(StatusCode::UNAUTHORIZED);
    let state = node.node.as_ref().context("running")?.state();
    ops::follows::unfollow(&state.store, &member, &relay).await?;
    state.wake_delivery();
    eventually("the Undo is given up at once", || async {
        let (pending, _, failed) = node.delivery_counts().await?;
        Ok((pending == 0 && failed == 1).then_some(()))
    })
    .await?;
    // Retries come after 200 ms, doubling: a second attempt would have come by now.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let undos = received(&peer, "Undo");
    assert!(!undos.is_empty(), "the Undo was sent");
    assert!(undos.len() <= 2, "one attempt (RFC 9421, then draft-cavage), not {}", undos.len());
    assert_eq!(node.delivery_counts().await?, (0, 1, 1));
    Ok(())
}

async fn a_request_to_follow_that_never_arrives_is_cleared_and_told(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let peer = HostilePeer::start().await?;
    peer.answer_posts_with(StatusCode::FORBIDDEN);
    let closed = stand_in_at(&node, &peer, "gesloten").await?;
    let member = node.add_member("merel", None).await?;
    follow(&node, &member, &closed).await?;
    assert_eq!(node.follow_state(&member.ap_id, &closed.ap_id).await?.as_deref(), Some("pending"));

    eventually("the refused request is cleared", || async {
        Ok(node.follow_state(&member.ap_id, &closed.ap_id).await?.is_none().then_some(()))
    })
    .await?;
    assert_eq!(received(&peer, "Follow").len(), 1, "asked once: a 403 is final");

    // Her app no longer shows it as requested...
    let app = buurtnet_tests::app::Session::start(&node.base_url(), "merel").await?;
    let relationships = app.get(&format!("/api/v1/accounts/relationships?id[]={}", closed.id)).await?;
    assert_eq!(relationships[0]["requested"], false, "{relationships}");
    assert_eq!(relationships[0]["following"], false, "{relationships}");
    // ...and her notices say so, in words.
    let mut visitor = PageVisitor::new(&node.base_url())?;
    visitor.log_in("merel", buurtnet_tests::harness::PASSWORD).await?;
    let notices = visitor.get("/meldingen").await?;
    assert!(notices.body.contains("Je volgverzoek is niet aangekomen bij"), "{}", notices.body);

    // She can ask again.
    follow(&node, &member, &closed).await?;
    assert_eq!(node.follow_state(&member.ap_id, &closed.ap_id).await?.as_deref(), Some("pending"));
    Ok(())
}

async fn an_activity_id_resolves_for_whom_it_was_for(backend: Backend) -> Result<()> {
    let (home, away) = (TestNode::start(backend).await?, TestNode::start(backend).await?);
    let peer = HostilePeer::start().await?;
    let author = home.add_member("weide", None).await?;
    let follower = away.add_member("koe", None).await?;
    let stranger = away.add_member("vos", None).await?;
    away.follow_and_wait(&follower, &author.ap_id).await?;
    // A follower at the peer catches the activities as sent.
    buurtnet_tests::harness::add_stand_in_follower(home.store(), &format!("{}/users/vanger", peer.base_url()), &author).await?;

    let public = home.publish(&author, "Wie wil er soep?", Visibility::Public).await?;
    let private = home.publish(&author, "Alleen voor wie me volgt", Visibility::Followers).await?;
    let creates = eventually("both Creates reach the peer", || async {
        let creates = received(&peer, "Create");
        Ok((creates.len() >= 2).then_some(creates))
    })
    .await?;
    let id_of =
        |post: &str| creates.iter().find(|c| c["object"]["id"] == post).and_then(|c| c["id"].as_str()).map(String::from).context("sent");
    let (public_id, private_id) = (id_of(&public.ap_id)?, id_of(&private.ap_id)?);

    let (status, fetched) = get_signed(&public_id, None).await?;
    assert_eq!(status, 200, "a public activity resolves for anyone: {fetched}");
    assert_eq!(fetched["type"], "Create");
    assert_eq!(fetched["id"], public_id.as_str());
    assert_eq!(fetched["object"]["id"], public.ap_id.as_str());

    assert_eq!(get_signed(&private_id, None).await?.0, 404, "not for an unsigned reader");
    assert_eq!(get_signed(&private_id, Some(&signer_of(&stranger))).await?.0, 404, "not for someone who does not follow");
    let (status, fetched) = get_signed(&private_id, Some(&signer_of(&follower))).await?;
    assert_eq!(status, 200, "for a follower: {fetched}");
    assert_eq!(fetched["object"]["content"].as_str().map(|c| c.contains("Alleen voor wie me volgt")), Some(true));

    // koe's Follow resolves for weide's node to check, and not for a stranger.
    let follow = store::follows::find(&mut away.store().conn().await?, follower.id, away.actor(&author.ap_id).await?.context("known")?.id)
        .await?
        .context("the follow")?;
    let (status, fetched) = get_signed(&follow.activity_ap_id, Some(&signer_of(&author))).await?;
    assert_eq!(status, 200, "{} {fetched}", follow.activity_ap_id);
    let neighbour = home.add_member("ree", None).await?;
    assert_eq!(get_signed(&follow.activity_ap_id, Some(&signer_of(&neighbour))).await?.0, 404);

    // Once the post is deleted, its activity is gone too.
    home.delete(&author, &public).await?;
    assert_eq!(get_signed(&public_id, None).await?.0, 410);
    // An id nobody was given does not resolve.
    assert_eq!(get_signed(&format!("{}/activities/{:032x}", home.base_url(), 7), None).await?.0, 404);
    Ok(())
}
