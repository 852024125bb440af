//! Offers and needs between nodes, on SQLite and PostgreSQL: published for an initiative,
//! received as FEP-0837 proposals with their fields, changed, withdrawn and expired everywhere.

use anyhow::Result;
use buurtnet_domain::model::{ProposalDraft, ProposalState, Purpose, Visibility, When};
use buurtnet_domain::{ops, store};
use buurtnet_tests::harness::{Backend, TestNode, eventually};
use buurtnet_tests::on_both_backends;
use chrono::NaiveDate;
use serde_json::Value;

on_both_backends!(a_need_reaches_followers_as_a_proposal_and_its_changes_follow);

fn need() -> ProposalDraft {
    ProposalDraft {
        purpose: Purpose::Request,
        title: "Boodschappen voor mevrouw Jansen".into(),
        description: "Elke dinsdagochtend, ongeveer een uur.".into(),
        category: "boodschappen".into(),
        neighbourhood: Some("Oude Westen".into()),
        when: When::On(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
        expires_at: None,
    }
}

async fn a_need_reaches_followers_as_a_proposal_and_its_changes_follow(backend: Backend) -> Result<()> {
    let home = TestNode::start(backend).await?;
    let away = TestNode::start(backend).await?;
    let initiative = home.add_initiative("zorgvrijstaat", false).await?;
    let coordinator = home.add_member("fatima", Some(&initiative)).await?;
    let neighbour = away.add_member("kees", None).await?;
    away.follow(&neighbour, &initiative.ap_id).await?;
    eventually("follow accepted", || async {
        Ok(away.follow_state(&neighbour.ap_id, &initiative.ap_id).await?.filter(|s| s == "accepted"))
    })
    .await?;

    let state = home.node.as_ref().expect("running").state();
    let post = ops::proposals::publish(&state.store, &state.urls, &coordinator, &initiative, &need(), Visibility::Public).await?;
    state.wake_delivery();
    assert!(
        post.content.starts_with("<p><strong>Hulpvraag: Boodschappen voor mevrouw Jansen</strong></p>"),
        "title first: {}",
        post.content
    );
    assert!(post.content.contains("#hulpvraag #boodschappen"));

    let received = eventually("the need arrives", || async { away.post(&post.ap_id).await }).await?;
    let proposal = store::proposals::by_post_id(&mut away.store().conn().await?, received.id).await?.expect("stored as a proposal");
    assert_eq!(
        (proposal.purpose, proposal.category.as_str(), proposal.neighbourhood.as_deref()),
        (Purpose::Request, "boodschappen", Some("Oude Westen"))
    );
    assert_eq!(proposal.title, "Boodschappen voor mevrouw Jansen");
    assert_eq!(proposal.when(), need().when);

    let note: Value = reqwest::Client::new().get(&post.ap_id).header("accept", "application/activity+json").send().await?.json().await?;
    assert_eq!(note["type"], "Note", "Mastodon reads it as a post");
    assert_eq!(note["purpose"], "request");
    assert_eq!(note["name"], "Boodschappen voor mevrouw Jansen");
    assert_eq!(note["publishes"]["type"], "Intent");
    assert_eq!(note["tag"][0]["name"], "#hulpvraag");

    let changed = ProposalDraft { title: "Boodschappen op woensdag".into(), when: When::Flexible, ..need() };
    ops::proposals::change(&state.store, &coordinator, post.id, &changed).await?;
    state.wake_delivery();
    eventually("the change arrives", || async {
        let p = store::proposals::by_post_id(&mut away.store().conn().await?, received.id).await?;
        Ok(p.filter(|p| p.title == "Boodschappen op woensdag" && p.when() == When::Flexible))
    })
    .await?;

    ops::proposals::withdraw(&state.store, &coordinator, post.id).await?;
    state.wake_delivery();
    eventually("the withdrawal arrives", || async { Ok(away.post(&post.ap_id).await?.filter(|p| p.is_deleted())) }).await?;
    assert!(matches!(ops::proposals::withdraw(&state.store, &coordinator, post.id).await, Err(buurtnet_domain::DomainError::Gone)));

    // An offer that expires stops showing everywhere.
    let offer = ProposalDraft {
        purpose: Purpose::Offer,
        title: "Ik help met formulieren".into(),
        category: "administratie".into(),
        expires_at: Some(buurtnet_domain::now_ms() + 300),
        ..need()
    };
    let offer_post = ops::proposals::publish(&state.store, &state.urls, &coordinator, &initiative, &offer, Visibility::Public).await?;
    state.wake_delivery();
    eventually("the offer arrives", || async { away.post(&offer_post.ap_id).await }).await?;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(ops::proposals::expire_due(&state.store).await?, 1);
    state.wake_delivery();
    eventually("the expiry arrives", || async { Ok(away.post(&offer_post.ap_id).await?.filter(|p| p.is_deleted())) }).await?;
    let home_copy = store::proposals::by_post_id(&mut home.store().conn().await?, offer_post.id).await?.expect("kept");
    assert_eq!(home_copy.state, ProposalState::Expired);
    assert!(store::proposals::open(&mut away.store().conn().await?, Purpose::Offer, 10).await?.is_empty(), "nothing expired shows as open");

    // Only coordinators post for an initiative; bad input is refused with every problem named.
    let stranger = home.add_member("buitenstaander", None).await?;
    assert!(matches!(
        ops::proposals::publish(&state.store, &state.urls, &stranger, &initiative, &need(), Visibility::Public).await,
        Err(buurtnet_domain::DomainError::Forbidden)
    ));
    let bad = ProposalDraft { title: "x".into(), category: "ruimtevaart".into(), ..need() };
    assert!(
        matches!(ops::proposals::publish(&state.store, &state.urls, &coordinator, &initiative, &bad, Visibility::Public).await, Err(buurtnet_domain::DomainError::Invalid(v)) if v.len() == 2)
    );
    Ok(())
}
