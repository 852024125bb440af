//! Events between nodes, on SQLite and PostgreSQL: published for an initiative, received as
//! FEP-8a8e `Event`s with their fields, readable by Mastodon through name, summary and url.

use anyhow::Result;
use buurtnet_domain::model::{DEFAULT_TIMEZONE, EventDraft, JoinMode, Place, Visibility};
use buurtnet_domain::{ops, store};
use buurtnet_tests::harness::{Backend, TestNode, eventually};
use buurtnet_tests::on_both_backends;
use chrono::NaiveDateTime;
use serde_json::Value;

on_both_backends!(an_event_reaches_followers_with_time_place_and_summary);

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
    let home = TestNode::start(backend).await?;
    let away = TestNode::start(backend).await?;
    let initiative = home.add_initiative("zorgvrijstaat", false).await?;
    let coordinator = home.add_member("fatima", Some(&initiative)).await?;
    let neighbour = away.add_member("kees", None).await?;
    away.follow_and_wait(&neighbour, &initiative.ap_id).await?;

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

    let copy = eventually("the event arrives", || async { away.post(&post.ap_id).await }).await?;
    assert_eq!(copy.summary, None, "an event's summary describes it; it is no content warning");
    let event = store::events::by_post_id(&mut away.store().conn().await?, copy.id).await?.expect("stored as an event");
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
