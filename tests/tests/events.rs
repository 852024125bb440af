//! Events between nodes, on SQLite and PostgreSQL: published for an initiative, received as
//! FEP-8a8e `Event`s with their fields, readable by Mastodon through name, summary and url.

use anyhow::Result;
use buurtnet_domain::model::{DEFAULT_TIMEZONE, EventDraft, JoinMode, Place, Visibility};
use buurtnet_domain::{ops, store};
use buurtnet_tests::harness::{Backend, FollowedInitiative, TestNode, eventually, followed_initiative_named};
use buurtnet_tests::on_both_backends;
use chrono::NaiveDateTime;
use serde_json::Value;

on_both_backends!(an_event_reaches_followers_with_time_place_and_summary, initiatives_on_two_nodes_organise_an_event_together);

fn meal() -> EventDraft {
    let local = |t: &str| EventDraft::local_to_utc(NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").unwrap(), DEFAULT_TIMEZONE).unwrap();
    EventDraft {
        title: "Samen eten in het buurthuis".into(),
        description: "Iedereen is welkom, neem gerust iemand mee.".into(),
        starts_at: local("2026-12-03 17:30"),
        ends_at: Some(local("2026-12-03 20:00")),
        timezone: DEFAULT_TIMEZONE.into(),
        place: Some(Place {
            name: "Buurthuis De Ark".into(),
            address: Some("Gaffelstraat 1, Rotterdam".into()),
            latitude: Some(51.91),
            longitude: Some(4.46),
        }),
        online_url: None,
        capacity: Some(30),
        join_mode: JoinMode::Free,
    }
}

async fn an_event_reaches_followers_with_time_place_and_summary(backend: Backend) -> Result<()> {
    let FollowedInitiative { home, away, zorg: initiative, fatima: coordinator, .. } =
        followed_initiative_named(backend, "zorgvrijstaat", "kees").await?;

    let state = home.node.as_ref().expect("running").state();
    let post = ops::events::publish(&state.store, &state.urls, &coordinator, &initiative, &meal(), Visibility::Public).await?;
    state.wake_delivery();
    assert!(
        post.content.starts_with(
            "<p><strong>Samen eten in het buurthuis</strong></p><p>donderdag 3 december 2026, 17:30 tot 20:00, Buurthuis De Ark"
        )
    );

    let json: Value = reqwest::Client::new().get(&post.ap_id).header("accept", "application/activity+json").send().await?.json().await?;
    assert_eq!(json["type"], "Event");
    assert_eq!(json["name"], "Samen eten in het buurthuis");
    assert_eq!(json["startTime"], "2026-12-03T17:30:00+01:00", "local time with its offset");
    assert_eq!(json["timezone"], "Europe/Amsterdam");
    assert_eq!(json["summary"], "donderdag 3 december 2026, 17:30 tot 20:00, Buurthuis De Ark, Gaffelstraat 1, Rotterdam");
    assert_eq!(json["url"], post.ap_id.as_str());
    assert_eq!(json["location"]["address"]["streetAddress"], "Gaffelstraat 1, Rotterdam");
    assert_eq!(json["maximumAttendeeCapacity"], 30);
    assert_eq!(json["joinMode"], "free");

    // The post is stored first, its event fields just after: wait for both.
    let (copy, event) = eventually("the event arrives", || async {
        let Some(copy) = away.post(&post.ap_id).await? else { return Ok(None) };
        Ok(store::events::by_post_id(&mut away.store().conn().await?, copy.id).await?.map(|event| (copy, event)))
    })
    .await?;
    assert_eq!(copy.summary, None, "an event's summary describes it; it is no content warning");
    assert_eq!(event.draft().starts_at, meal().starts_at);
    assert_eq!(
        (event.place_name.as_deref(), event.capacity, event.timezone.as_str()),
        (Some("Buurthuis De Ark"), Some(30), "Europe/Amsterdam")
    );

    let nowhere = EventDraft { place: None, online_url: None, ..meal() };
    assert!(matches!(
        ops::events::publish(&state.store, &state.urls, &coordinator, &initiative, &nowhere, Visibility::Public).await,
        Err(buurtnet_domain::DomainError::Invalid(_))
    ));
    Ok(())
}

async fn initiatives_on_two_nodes_organise_an_event_together(backend: Backend) -> Result<()> {
    let home = TestNode::start(backend).await?;
    let other = TestNode::start(backend).await?;
    let zorg = home.add_initiative("zorgvrijstaat", false).await?;
    let fatima = home.add_member("fatima", Some(&zorg)).await?;
    let paleis = other.add_initiative("wijkpaleis", false).await?;
    let anouk = other.add_member("anouk", Some(&paleis)).await?;
    let state = home.node.as_ref().expect("running").state();
    let event = ops::events::publish(&state.store, &state.urls, &fatima, &zorg, &meal(), Visibility::Public).await?;
    let paleis_here = home.resolve(&paleis.ap_id).await?;
    let stranger = home.add_member("ans", None).await?;
    assert!(matches!(
        ops::events::add_co_organiser(&state.store, &stranger, event.id, &paleis_here).await,
        Err(buurtnet_domain::DomainError::Forbidden)
    ));
    ops::events::add_co_organiser(&state.store, &fatima, event.id, &paleis_here).await?;
    state.wake_delivery();

    let json: Value = reqwest::Client::new().get(&event.ap_id).header("accept", "application/activity+json").send().await?.json().await?;
    assert_eq!(json["organizers"]["first"]["items"], serde_json::json!([zorg.ap_id, paleis.ap_id]), "FEP-8a8e organizers");

    // Nobody at the other node follows zorgvrijstaat: the event arrives because it names wijkpaleis.
    let copy = other.until_event(&event.ap_id).await?;
    let asked = eventually("wijkpaleis's coordinator is asked", || async {
        let all = store::notifications::for_recipient(&mut other.store().conn().await?, anouk.id, 10).await?;
        Ok(all.into_iter().find(|n| n.kind == ops::events::KIND_CO_ORGANISER_ASKED))
    })
    .await?;
    assert_eq!(asked.post_id, Some(copy.id));
    let agenda = || async { ops::calendar::feed(other.store(), "Wijkpaleis", Some(&paleis), None).await };
    assert!(!agenda().await?.contains(&event.ap_id), "not in wijkpaleis's agenda before its coordinator agrees");
    let other_state = other.node.as_ref().expect("running").state();
    let outsider = other.add_member("kees", None).await?;
    assert!(ops::events::confirm_co_organising(&other_state.store, &outsider, copy.id, &paleis).await.is_err());
    ops::events::confirm_co_organising(&other_state.store, &anouk, copy.id, &paleis).await?;
    let feed = agenda().await?;
    assert!(feed.contains(&event.ap_id), "in the agenda once confirmed: {feed}");
    Ok(())
}
