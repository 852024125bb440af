//! Housekeeping (issue 17), on both databases: what only records finished work is cleared
//! once it is 30 days old. That covers deliveries done, outbox entries expanded, the ids of
//! activities received, and mail sent. Pending work is never touched, nor an outbox entry that
//! still has a delivery waiting. The administrator's page says when the node last cleared up
//! and what it cleared.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::Visibility;
use buurtnet_domain::ops::housekeeping::{self, KEEP_DAYS};
use buurtnet_domain::ops::posts::PostDraft;
use buurtnet_domain::{now_ms, ops, store};
use buurtnet_tests::harness::{Backend, FollowedInitiative, add_stand_in_follower, eventually, execute_sql, followed_initiative};
use buurtnet_tests::on_both_backends;
use buurtnet_tests::pages::PageVisitor;

on_both_backends!(finished_work_is_cleared_after_thirty_days_and_pending_work_stays);

const DAY_MS: i64 = 24 * 3600 * 1000;

async fn finished_work_is_cleared_after_thirty_days_and_pending_work_stays(backend: Backend) -> Result<()> {
    let FollowedInitiative { home, away, zorg } = followed_initiative(backend).await?;
    // A follower on a server that is gone: its delivery stays pending.
    add_stand_in_follower(home.store(), "http://localhost:9/users/verdwenen", &zorg).await?;
    let state = home.node.as_ref().context("running")?.state();
    let post =
        ops::posts::publish(&state.store, &state.urls, &zorg, &zorg, &PostDraft::plain("Soep op zaterdag", Visibility::Public, vec![]))
            .await?;
    state.wake_delivery();
    eventually("the post arrives", || async { away.post(&post.ap_id).await }).await?;
    eventually("one delivery done", || async {
        let (_, delivered, _) = store::deliveries::counts(&mut home.store().conn().await?).await?;
        Ok((delivered >= 1).then_some(()))
    })
    .await?;

    // Everything happened 31 days ago, and one id was received yesterday.
    let long_ago = now_ms() - (KEEP_DAYS + 1) * DAY_MS;
    for sql in [
        format!("UPDATE deliveries SET created_at = {long_ago}, finished_at = CASE WHEN state = 'pending' THEN NULL ELSE {long_ago} END"),
        format!("UPDATE outbox SET created_at = {long_ago}, expanded_at = {long_ago}"),
        format!("UPDATE received_activities SET received_at = {long_ago}"),
        format!(
            "INSERT INTO received_activities (ap_id, received_at) VALUES ('http://elders.example/activities/gisteren', {})",
            now_ms() - DAY_MS
        ),
    ] {
        execute_sql(home.store(), &sql).await?;
    }
    let (pending_before, delivered_before, _) = store::deliveries::counts(&mut home.store().conn().await?).await?;
    assert!(pending_before >= 1 && delivered_before >= 1);

    let clearing = housekeeping::clear_finished(home.store(), now_ms()).await?;
    assert_eq!(clearing.cleared.deliveries, delivered_before as u64, "{clearing:?}");
    assert!(clearing.cleared.received_ids >= 1, "{clearing:?}");
    let (pending, delivered, failed) = store::deliveries::counts(&mut home.store().conn().await?).await?;
    assert_eq!((pending, delivered, failed), (pending_before, 0, 0), "pending work stays");
    let mut conn = home.store().conn().await?;
    let new = store::inbox::remember_activity(&mut conn, "http://elders.example/activities/gisteren").await?;
    assert!(!new, "a recent id is kept, so its repeat is still recognised");
    drop(conn);
    assert_eq!(housekeeping::clear_if_due(home.store()).await?, None, "once a day");

    let mut admin = PageVisitor::new(&home.base_url())?;
    admin.log_in("fatima", "geheim-wachtwoord").await?;
    let page = admin.get("/beheer/federatie").await?.body;
    let said = format!("{} verstuurde berichten", clearing.cleared.deliveries);
    assert!(page.contains("Opgeruimd op") && page.contains(&said), "{page}");
    Ok(())
}
