//! Moving an account to another node (issue 17), as Mastodon does, across three real nodes on
//! both databases: `zorg` on the old node, followed by `lezer` on a third node, moves to
//! `zorg` on a new node that lists the old one as alias. Her node follows the new `zorg`
//! instead. A `Move` that fails a check (no alias, someone else's account, a signature by
//! another actor) changes nothing; the same `Move` twice is harmless.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::{Actor, Visibility};
use buurtnet_domain::ops;
use buurtnet_domain::ops::moving::MoveOutcome;
use buurtnet_federation::moving::move_local;
use buurtnet_tests::harness::{Backend, FollowedInitiative, TestNode, eventually, followed_initiative, get_signed, post_signed, signer_of};
use buurtnet_tests::on_both_backends;
use buurtnet_tests::pages::PageVisitor;
use serde_json::json;

on_both_backends!(
    a_moved_initiative_takes_its_followers_along,
    a_move_to_an_actor_that_does_not_list_the_old_one_changes_nothing,
    a_move_of_someone_else_or_signed_by_someone_else_is_refused,
    a_move_received_twice_follows_once,
    move_refuses_without_the_alias_and_move_node_reports_each_account
);

/// The old node with `zorg` (and its coordinator `fatima`), followed by `lezer` on `away`, and
/// a new node with its own `zorg`.
struct Scene {
    old: TestNode,
    away: TestNode,
    new: TestNode,
    zorg: Actor,
    new_zorg: Actor,
    lezer: Actor,
}

async fn scene(backend: Backend) -> Result<Scene> {
    let FollowedInitiative { home: old, away, zorg, .. } = followed_initiative(backend).await?;
    let new = TestNode::start(backend).await?;
    let new_zorg = new.add_initiative("zorg", false).await?;
    let lezer = away.actor(&format!("{}/users/lezer", away.base_url())).await?.context("lezer")?;
    Ok(Scene { old, away, new, zorg, new_zorg, lezer })
}

/// A `Move` of `actor` (its id `id`) as our nodes write it.
fn a_move(old: &TestNode, id: &str, actor: &str, object: &str, target: &str) -> Vec<u8> {
    let activity = json!({"@context": "https://www.w3.org/ns/activitystreams", "id": format!("{}/activities/{id}", old.base_url()),
        "type": "Move", "actor": actor, "object": object, "target": target});
    serde_json::to_vec(&activity).expect("JSON")
}

/// The follows `lezer` has of the old and the new `zorg`, as her node sees them.
async fn follows_of_lezer(s: &Scene) -> Result<(Option<String>, Option<String>)> {
    Ok((s.away.follow_state(&s.lezer.ap_id, &s.zorg.ap_id).await?, s.away.follow_state(&s.lezer.ap_id, &s.new_zorg.ap_id).await?))
}

/// After a refused `Move`: lezer follows the old zorg as before, and nobody thinks it moved.
async fn nothing_changed(s: &Scene) -> Result<()> {
    assert_eq!(follows_of_lezer(s).await?, (Some("accepted".into()), None), "follows unchanged");
    assert_eq!(s.away.actor(&s.zorg.ap_id).await?.context("zorg")?.moved_to, None);
    Ok(())
}

async fn a_moved_initiative_takes_its_followers_along(backend: Backend) -> Result<()> {
    let s = scene(backend).await?;
    ops::moving::add_alias(s.new.store(), &s.new_zorg, &s.zorg.ap_id).await?;
    let (_, document) = get_signed(&s.new_zorg.ap_id, None).await?;
    assert_eq!(document["alsoKnownAs"], json!([s.zorg.ap_id]), "the new zorg names the old one");

    assert_eq!(move_local(&s.old.context(), "zorg", &s.new_zorg.ap_id).await?, MoveOutcome::Moved);
    let (_, document) = get_signed(&s.zorg.ap_id, None).await?;
    assert_eq!(document["movedTo"], json!(s.new_zorg.ap_id), "the old zorg says where it went");

    eventually("lezer follows the new zorg, accepted", || async {
        Ok((follows_of_lezer(&s).await? == (None, Some("accepted".into()))).then_some(()))
    })
    .await?;
    eventually("the old node hears lezer's Undo", || async {
        Ok(s.old.follow_state(&s.lezer.ap_id, &s.zorg.ap_id).await?.is_none().then_some(()))
    })
    .await?;
    let old_copy = s.away.actor(&s.zorg.ap_id).await?.context("old zorg")?;
    assert_eq!(old_copy.moved_to.as_deref(), Some(s.new_zorg.ap_id.as_str()), "her node remembers the move");
    let page = PageVisitor::new(&s.away.base_url())?.get(&format!("/actor/{}", old_copy.id)).await?;
    assert!(page.body.contains("Dit initiatief is verhuisd naar"), "its page here says so: {}", page.body);
    let page = PageVisitor::new(&s.old.base_url())?.get("/initiatives/zorg").await?;
    assert!(page.body.contains("Dit initiatief is verhuisd naar") && page.body.contains(&s.new_zorg.ap_id), "and on the old node");

    let post = s.new.publish(&s.new_zorg, "Vanaf nu koken we hier.", Visibility::Public).await?;
    eventually("the new zorg's post reaches lezer's node", || s.away.post(&post.ap_id)).await?;

    let fatima = s.old.actor(&format!("{}/users/fatima", s.old.base_url())).await?.context("fatima")?;
    let zorg_now = s.old.actor(&s.zorg.ap_id).await?.context("zorg")?;
    let refused = s.old.publish_as(&fatima, &zorg_now, "Nog even hier.", Visibility::Public, vec![]).await;
    assert!(refused.is_err_and(|e| e.to_string().contains("moved")), "a moved initiative posts no more");
    assert_eq!(move_local(&s.old.context(), "zorg", &s.new_zorg.ap_id).await?, MoveOutcome::AlreadyMoved);
    Ok(())
}

async fn a_move_to_an_actor_that_does_not_list_the_old_one_changes_nothing(backend: Backend) -> Result<()> {
    let s = scene(backend).await?;
    let inbox = format!("{}/inbox", s.away.base_url());
    let body = a_move(&s.old, "move-1", &s.zorg.ap_id, &s.zorg.ap_id, &s.new_zorg.ap_id);
    assert_eq!(post_signed(&inbox, &body, Some(&signer_of(&s.zorg)), None).await?, 403, "no alias: refused");
    nothing_changed(&s).await
}

async fn a_move_of_someone_else_or_signed_by_someone_else_is_refused(backend: Backend) -> Result<()> {
    let s = scene(backend).await?;
    // The new zorg lists the old one, so only the checks below stand between it and a move.
    ops::moving::add_alias(s.new.store(), &s.new_zorg, &s.zorg.ap_id).await?;
    let fatima = s.old.actor(&format!("{}/users/fatima", s.old.base_url())).await?.context("fatima")?;
    let inbox = format!("{}/inbox", s.away.base_url());

    let someone_else = a_move(&s.old, "move-2", &fatima.ap_id, &s.zorg.ap_id, &s.new_zorg.ap_id);
    assert_eq!(post_signed(&inbox, &someone_else, Some(&signer_of(&fatima)), None).await?, 403, "object is not the actor");
    let forged = a_move(&s.old, "move-3", &s.zorg.ap_id, &s.zorg.ap_id, &s.new_zorg.ap_id);
    assert_eq!(post_signed(&inbox, &forged, Some(&signer_of(&fatima)), None).await?, 401, "signed by another actor");
    nothing_changed(&s).await
}

async fn a_move_received_twice_follows_once(backend: Backend) -> Result<()> {
    let s = scene(backend).await?;
    ops::moving::add_alias(s.new.store(), &s.new_zorg, &s.zorg.ap_id).await?;
    let inbox = format!("{}/inbox", s.away.base_url());
    let body = a_move(&s.old, "move-4", &s.zorg.ap_id, &s.zorg.ap_id, &s.new_zorg.ap_id);
    let signer = signer_of(&s.zorg);
    assert_eq!(post_signed(&inbox, &body, Some(&signer), None).await?, 202);
    assert_eq!(post_signed(&inbox, &body, Some(&signer), None).await?, 202, "a replay is taken as seen");
    let again = a_move(&s.old, "move-5", &s.zorg.ap_id, &s.zorg.ap_id, &s.new_zorg.ap_id);
    assert_eq!(post_signed(&inbox, &again, Some(&signer), None).await?, 202, "the same move anew is harmless");
    eventually("lezer follows the new zorg, accepted", || async {
        Ok((follows_of_lezer(&s).await? == (None, Some("accepted".into()))).then_some(()))
    })
    .await?;
    s.new.eventually_follow(&s.new_zorg, 1).await?;
    let followers = buurtnet_domain::store::follows::count_followers(&mut s.new.store().conn().await?, s.new_zorg.id).await?;
    assert_eq!(followers, 1, "one follow, not two");
    Ok(())
}

async fn move_refuses_without_the_alias_and_move_node_reports_each_account(backend: Backend) -> Result<()> {
    let s = scene(backend).await?;
    let refused = move_local(&s.old.context(), "zorg", &s.new_zorg.ap_id).await;
    assert!(refused.is_err_and(|e| e.to_string().contains("alias")), "no alias on the new node: refused");
    assert_eq!(s.old.actor(&s.zorg.ap_id).await?.context("zorg")?.moved_to, None, "nothing recorded");

    ops::moving::add_alias(s.new.store(), &s.new_zorg, &s.zorg.ap_id).await?;
    let new_base = url::Url::parse(&s.new.base_url())?;
    let report = buurtnet_federation::moving::move_node(&s.old.context(), &new_base).await?;
    let zorg = report.iter().find(|line| line.actor == s.zorg.ap_id).context("zorg reported")?;
    assert_eq!(zorg.outcome, Ok(MoveOutcome::Moved));
    let fatima = report.iter().find(|line| line.actor.ends_with("/users/fatima")).context("fatima reported")?;
    assert!(fatima.outcome.is_err(), "fatima has no account on the new node: skipped ({:?})", fatima.outcome);
    eventually("lezer follows the new zorg", || async { Ok(follows_of_lezer(&s).await?.1) }).await?;
    Ok(())
}
