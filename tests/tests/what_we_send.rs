//! What happens to what a node sends, against a peer that answers as the test tells it, on
//! both databases: an `Undo` the peer refuses is not asked again for days, a request to
//! follow that never arrives is cleared and the member is told, the id of every activity
//! we sent resolves for whoever it was for (and for nobody else), and an activity to many
//! peers is kept once, sent to each byte for byte, and cleared once none of its deliveries is
//! left.

use anyhow::{Context as _, Result};
use axum::http::StatusCode;
use buurtnet_domain::model::{Actor, Visibility};
use buurtnet_domain::ops::housekeeping::{self, KEEP_DAYS};
use buurtnet_domain::{now_ms, ops, store};
use buurtnet_tests::harness::{
    Backend, TestNode, add_stand_in_follower, eventually, execute_sql, get_signed, signer_of, stand_in_remote_actor,
};
use buurtnet_tests::hostile::HostilePeer;
use buurtnet_tests::on_both_backends;
use buurtnet_tests::pages::PageVisitor;
use serde_json::Value;
use std::time::Duration;

on_both_backends!(
    an_undo_the_peer_refuses_is_not_asked_again,
    a_request_to_follow_that_never_arrives_is_cleared_and_told,
    an_activity_id_resolves_for_whom_it_was_for,
    an_activity_to_many_peers_is_kept_once_and_cleared_when_done
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
    // Asked before the worker is woken: woken first, it may be refused and cleared already.
    let state = node.node.as_ref().context("running")?.state();
    ops::follows::follow(&state.store, &state.urls, &member, &closed).await?;
    assert_eq!(node.follow_state(&member.ap_id, &closed.ap_id).await?.as_deref(), Some("pending"));
    state.wake_delivery();

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

/// How many rows `table` holds.
async fn rows(node: &TestNode, table: &str) -> Result<i64> {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    let mut conn = node.store().conn().await?;
    Ok(buurtnet_domain::on_db!(&mut conn, c => sqlx::query_scalar::<_, i64>(&sql).fetch_one(c).await)?)
}

/// The bodies of the `Create`s the peer received, as sent.
fn creates_as_sent(peer: &HostilePeer) -> Vec<Vec<u8>> {
    let is_create = |body: &[u8]| serde_json::from_slice::<Value>(body).is_ok_and(|activity| activity["type"] == "Create");
    peer.received().into_iter().filter(|request| is_create(&request.body)).map(|request| request.body.to_vec()).collect()
}

/// A post to followers at three peers and one gone server: one body kept, four deliveries,
/// the same bytes at every peer (issue 18). Housekeeping keeps the body while a delivery of
/// it is pending, and clears it with the last one.
async fn an_activity_to_many_peers_is_kept_once_and_cleared_when_done(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let member = node.add_member("merel", None).await?;
    let mut peers = Vec::new();
    for _ in 0..3 {
        let peer = HostilePeer::start().await?;
        add_stand_in_follower(node.store(), &format!("{}/users/volger", peer.base_url()), &member).await?;
        peers.push(peer);
    }
    add_stand_in_follower(node.store(), "http://localhost:9/users/verdwenen", &member).await?;
    node.publish(&member, "Soep op zaterdag", Visibility::Public).await?;
    eventually("every peer has the post", || async { Ok((node.delivery_counts().await?.1 == 3).then_some(())) }).await?;
    let sent: Vec<Vec<Vec<u8>>> = peers.iter().map(creates_as_sent).collect();
    assert!(sent.iter().all(|creates| creates.len() == 1 && creates[0] == sent[0][0]), "one Create each, byte for byte the same");
    assert_eq!((rows(&node, "delivery_bodies").await?, rows(&node, "deliveries").await?), (1, 4), "one body, four deliveries");

    let long_ago = now_ms() - (KEEP_DAYS + 1) * 24 * 3600 * 1000;
    execute_sql(node.store(), &format!("UPDATE deliveries SET finished_at = {long_ago} WHERE state = 'delivered'")).await?;
    let clearing = housekeeping::clear_finished(node.store(), now_ms()).await?;
    assert_eq!((clearing.cleared.deliveries, clearing.cleared.delivery_bodies), (3, 0), "the pending one needs the body: {clearing:?}");
    assert_eq!(rows(&node, "delivery_bodies").await?, 1);

    execute_sql(node.store(), &format!("UPDATE deliveries SET state = 'failed', finished_at = {long_ago}")).await?;
    let clearing = housekeeping::clear_finished(node.store(), now_ms()).await?;
    assert_eq!((clearing.cleared.deliveries, clearing.cleared.delivery_bodies), (1, 1), "{clearing:?}");
    assert_eq!((rows(&node, "delivery_bodies").await?, rows(&node, "deliveries").await?), (0, 0));
    Ok(())
}
