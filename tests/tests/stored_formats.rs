//! What is stored must not stop a node (issue 17): an outbox entry whose stored form cannot
//! be read (written by another version, or damaged) is set aside with the reason, the entries
//! behind it still go out, and the administrator sees it on `/beheer/federatie` and in
//! `/metrics`. Before, one such row stopped all federation of the node for good.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::Visibility;
use buurtnet_domain::ops::posts::PostDraft;
use buurtnet_domain::{ops, store};
use buurtnet_tests::harness::{Backend, FollowedInitiative, TestNode, eventually, execute_sql, followed_initiative};
use buurtnet_tests::on_both_backends;
use buurtnet_tests::pages::PageVisitor;

on_both_backends!(an_unreadable_outbox_entry_is_set_aside_and_the_rest_goes_out);

/// Writes `event` into the node's outbox as it is, as a damaged or foreign row would be.
async fn raw_outbox_entry(node: &TestNode, event: &str) -> Result<()> {
    execute_sql(node.store(), &format!("INSERT INTO outbox (event, created_at) VALUES ('{event}', 0)")).await?;
    Ok(())
}

async fn an_unreadable_outbox_entry_is_set_aside_and_the_rest_goes_out(backend: Backend) -> Result<()> {
    let FollowedInitiative { home, away, zorg, .. } = followed_initiative(backend).await?;

    raw_outbox_entry(&home, r#"{"type":"PostCreated","post_id":"achtentachtig"}"#).await?;
    raw_outbox_entry(&home, r#"{"type":"KindFromANewerVersion","post_id":1}"#).await?;
    let state = home.node.as_ref().context("running")?.state();
    let draft = PostDraft::plain("Soep op zaterdag, wie komt er?", Visibility::Public, vec![]);
    let post = ops::posts::publish(&state.store, &state.urls, &zorg, &zorg, &draft).await?;
    state.wake_delivery();
    eventually("the post behind the unreadable entries arrives", || async { away.post(&post.ap_id).await }).await?;

    let mut conn = home.store().conn().await?;
    assert_eq!(store::outbox::count_set_aside(&mut conn).await?, 2);
    assert_eq!(store::outbox::count_pending(&mut conn).await?, 0, "nothing waits behind them");
    let metrics = reqwest::get(format!("{}/metrics", home.base_url())).await?.text().await?;
    assert!(metrics.contains("\nbuurtnet_outbox_set_aside 2\n"), "{metrics}");
    let mut admin = PageVisitor::new(&home.base_url())?;
    admin.log_in("fatima", "geheim-wachtwoord").await?;
    let page = admin.get("/beheer/federatie").await?.body;
    assert!(page.contains("Niet verstuurd") && page.contains("2 berichten konden niet worden verstuurd"), "{page}");
    assert!(page.contains("unreadable") && page.contains("KindFromANewerVersion"), "the reason and the stored text: {page}");
    Ok(())
}
