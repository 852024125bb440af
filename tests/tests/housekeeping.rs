//! Housekeeping (issue 17), on both databases: what only records finished work is cleared
//! once it is 30 days old. That covers deliveries done, outbox entries expanded, the ids of
//! activities received, and mail sent. Pending work is never touched, nor an outbox entry that
//! still has a delivery waiting. The administrator's page says when the node last cleared up
//! and what it cleared.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::{Actor, Post, Visibility};
use buurtnet_domain::ops::housekeeping::{self, KEEP_DAYS};
use buurtnet_domain::ops::posts::PostDraft;
use buurtnet_domain::ops::proposals::Audience;
use buurtnet_domain::{now_ms, ops, store};
use buurtnet_tests::harness::{
    Backend, FollowedInitiative, TestNode, add_stand_in_follower, eventually, execute_sql, followed_initiative, sample_need,
};
use buurtnet_tests::on_both_backends;
use buurtnet_tests::pages::PageVisitor;

on_both_backends!(
    finished_work_is_cleared_after_thirty_days_and_pending_work_stays,
    needs_expired_or_closed_longer_ago_than_the_initiative_keeps_them_are_deleted_everywhere
);

const DAY_MS: i64 = 24 * 3600 * 1000;

async fn finished_work_is_cleared_after_thirty_days_and_pending_work_stays(backend: Backend) -> Result<()> {
    let FollowedInitiative { home, away, zorg, .. } = followed_initiative(backend).await?;
    // A follower on a server that is gone: its delivery stays pending.
    add_stand_in_follower(home.store(), "http://localhost:9/users/verdwenen", &zorg).await?;
    let state = home.node.as_ref().context("running")?.state();
    let post =
        ops::posts::publish(&state.store, &state.urls, &zorg, &zorg, &PostDraft::plain("Soep op zaterdag", Visibility::Public, vec![]))
            .await?;
    state.wake_delivery();
    eventually("the post arrives", || async { away.post(&post.ap_id).await }).await?;
    // The post's delivery is recorded after the peer answered, so its arrival does not say it
    // is done: wait until only the gone server's delivery is pending, or one recorded after
    // the times below are set back would be counted but not old enough to clear.
    eventually("every delivery but the gone server's done", || async {
        let (pending, delivered, _) = store::deliveries::counts(&mut home.store().conn().await?).await?;
        Ok((pending == 1 && delivered >= 1).then_some(()))
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

/// Sets when a need closed, `days` ago, as time passing would have.
async fn closed_days_ago(node: &TestNode, post: &Post, state: &str, days: i64) -> Result<()> {
    let at = now_ms() - days * DAY_MS;
    let sql = format!("UPDATE proposals SET state = '{state}', closed_at = {at} WHERE post_id = {}", post.id);
    assert_eq!(execute_sql(node.store(), &sql).await?, 1);
    Ok(())
}

async fn deleted_here(node: &TestNode, post: &Post) -> Result<bool> {
    Ok(store::posts::by_id(&mut node.store().conn().await?, post.id).await?.is_deleted())
}

async fn needs_expired_or_closed_longer_ago_than_the_initiative_keeps_them_are_deleted_everywhere(backend: Backend) -> Result<()> {
    let FollowedInitiative { home, away, zorg, .. } = followed_initiative(backend).await?;
    let buurt = home.add_initiative("buurt", false).await?;
    let fatima = store::actors::local_by_username(&mut home.store().conn().await?, "fatima").await?.context("fatima")?;
    let state = home.node.as_ref().context("running")?.state();
    let need = async |initiative: &Actor, title: &str| {
        let audience = Audience { visibility: Some(Visibility::Public), on_behalf_of: None };
        ops::proposals::publish(&state.store, &state.urls, initiative, initiative, &sample_need(title), &audience).await
    };
    let long_expired = need(&zorg, "Boodschappen in maart").await?;
    let recently_expired = need(&zorg, "Boodschappen in juli").await?;
    let withdrawn = need(&zorg, "Tuin in juni").await?;
    let open = need(&zorg, "Boodschappen nu").await?;
    let elsewhere = need(&buurt, "Klusje").await?;
    let her_own = need(&fatima, "Hulp bij de administratie").await?;
    ops::proposals::withdraw(home.store(), &fatima, her_own.id).await?;
    state.wake_delivery();
    eventually("the needs arrive", || async { away.post(&open.ap_id).await }).await?;
    eventually("the expired need arrives", || async { away.post(&long_expired.ap_id).await }).await?;

    assert_eq!(ops::initiatives::keep_needs_days(home.store(), &zorg).await?, ops::initiatives::DEFAULT_KEEP_NEEDS_DAYS);
    let default = ops::initiatives::DEFAULT_KEEP_NEEDS_DAYS;
    closed_days_ago(&home, &long_expired, "expired", default + 1).await?;
    closed_days_ago(&home, &recently_expired, "expired", default - 1).await?;
    ops::proposals::withdraw(home.store(), &fatima, withdrawn.id).await?;

    let clearing = housekeeping::clear_finished(home.store(), now_ms()).await?;
    assert_eq!(clearing.cleared.needs, 1, "{clearing:?}");
    assert!(deleted_here(&home, &long_expired).await?, "expired longer ago than kept");
    for kept in [&recently_expired, &withdrawn, &open, &elsewhere, &her_own] {
        assert!(!deleted_here(&home, kept).await?, "{} stays", kept.ap_id);
    }
    state.wake_delivery();
    eventually("the follower's copy goes", || async { Ok(away.post(&long_expired.ap_id).await?.filter(|p| p.is_deleted()).map(|_| ())) })
        .await?;
    assert!(!away.post(&open.ap_id).await?.context("the open need")?.is_deleted());

    // Zorg keeps needs 30 days: 31 days on, what closed since goes there (withdrawing
    // recorded when), also what its member Fatima posted herself, and a need that closed as
    // long ago at buurt (the default) stays.
    ops::initiatives::set_keep_needs_days(home.store(), &fatima, &zorg, 30).await?;
    let shift = format!("UPDATE proposals SET closed_at = closed_at - {} WHERE closed_at IS NOT NULL", 31 * DAY_MS);
    execute_sql(home.store(), &shift).await?;
    closed_days_ago(&home, &elsewhere, "withdrawn", 31).await?;
    let clearing = housekeeping::clear_finished(home.store(), now_ms()).await?;
    assert_eq!(clearing.cleared.needs, 3, "{clearing:?}");
    assert!(deleted_here(&home, &withdrawn).await?, "withdrawn 31 days ago, kept 30");
    assert!(deleted_here(&home, &her_own).await?, "a member's own, as her initiative keeps them");
    assert!(deleted_here(&home, &recently_expired).await?, "expired 210 days ago, kept 30");
    for kept in [&open, &elsewhere] {
        assert!(!deleted_here(&home, kept).await?, "{} stays", kept.ap_id);
    }

    let mut admin = PageVisitor::new(&home.base_url())?;
    admin.log_in("fatima", "geheim-wachtwoord").await?;
    let page = admin.get("/beheer/federatie").await?.body;
    assert!(page.contains("3 verlopen of afgeronde hulpvragen en hulpaanbod"), "{page}");
    Ok(())
}

/// The SQLite file gives the pages that a clearing emptied back to the disk, every time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sqlite_file_shrinks_after_a_clearing() -> Result<()> {
    // A bare store: a running node's own daily clearing would race the test's.
    let dir = tempfile::tempdir()?;
    let store = buurtnet_domain::Store::connect(&buurtnet_tests::harness::database_url(Backend::Sqlite, &dir)?).await?;
    let pragma = async |name: &str| -> Result<i64> {
        use buurtnet_domain::store::{Handle as _, Raw};
        let mut conn = store.conn().await?;
        let Raw::Sqlite(c) = conn.raw() else { anyhow::bail!("SQLite") };
        Ok(sqlx::query_scalar(&format!("PRAGMA {name}")).fetch_one(&mut *c).await?)
    };
    assert_eq!(pragma("auto_vacuum").await?, 2, "a new file gives pages back on request");
    let long_ago = now_ms() - (KEEP_DAYS + 1) * DAY_MS;
    let fill = |from: u32| {
        format!(
            "WITH RECURSIVE n(i) AS (SELECT {from} UNION ALL SELECT i + 1 FROM n WHERE i < {from} + 3999)
             INSERT INTO received_activities (ap_id, received_at)
             SELECT 'https://elders.example/activities/' || i || '/{}', {long_ago} FROM n",
            "x".repeat(200)
        )
    };
    for round in 0..2 {
        execute_sql(&store, &fill(round * 10_000)).await?;
        let full = pragma("page_count").await?;
        let clearing = housekeeping::clear_finished(&store, now_ms()).await?;
        assert!(clearing.cleared.received_ids >= 4000 && clearing.cleared.pages_freed > 100, "round {round}: {clearing:?}");
        assert!(pragma("page_count").await? < full, "round {round}: the file is smaller");
        assert_eq!(pragma("freelist_count").await?, 0, "round {round}: no empty page is kept");
    }
    Ok(())
}
