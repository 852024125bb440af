//! Taking part in events across nodes, on SQLite and PostgreSQL: `Join` answered with
//! `Accept` or `Reject` (capacity and approval respected), `Leave`, counts that agree on
//! every node, moves and cancellations that reach the people who joined, and Friendica-style
//! answers on the `Event`.

use anyhow::Result;
use buurtnet_domain::model::{Actor, DEFAULT_TIMEZONE, EventDraft, JoinMode, ParticipationState, Place, Post, Visibility};
use buurtnet_domain::ops::{events, rsvp};
use buurtnet_domain::{DomainError, store};
use buurtnet_tests::harness::{Backend, TestNode, eventually, post_signed, signer_of};
use buurtnet_tests::on_both_backends;
use chrono::NaiveDateTime;
use serde_json::{Value, json};

on_both_backends!(capacity_is_filled_by_three_nodes_and_a_move_reaches_the_participants, approval_mode_waits_for_the_organiser);

fn local(t: &str) -> chrono::DateTime<chrono::Utc> {
    EventDraft::local_to_utc(NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").unwrap(), DEFAULT_TIMEZONE).unwrap()
}

fn meal(capacity: i64, join_mode: JoinMode) -> EventDraft {
    EventDraft {
        title: "Samen eten in het buurthuis".into(),
        description: "Iedereen is welkom.".into(),
        starts_at: local("2026-12-03 17:30"),
        ends_at: Some(local("2026-12-03 20:00")),
        timezone: DEFAULT_TIMEZONE.into(),
        place: Some(Place { name: "Buurthuis De Ark".into(), address: Some("Gaffelstraat 1".into()), ..Place::default() }),
        online_url: None,
        capacity: Some(capacity),
        join_mode,
    }
}

async fn join(node: &TestNode, member: &Actor, event: &str) -> Result<ParticipationState, DomainError> {
    let state = node.node.as_ref().expect("running").state();
    let result = rsvp::join(&state.store, &state.urls, member, event).await;
    state.wake_delivery();
    result.map(|p| p.state)
}

async fn my_state(node: &TestNode, member: &Actor, event: &str) -> Result<Option<ParticipationState>> {
    let post = node.post(event).await?.expect("the node holds the event");
    Ok(rsvp::mine(node.store(), member, post.id).await?.map(|p| p.state))
}

/// Waits until `member`'s answer for `event` on `node` is `wanted`.
async fn until_state(node: &TestNode, member: &Actor, event: &str, wanted: ParticipationState) -> Result<()> {
    eventually(&format!("{} is {}", member.username, wanted.as_str()), || async {
        Ok((my_state(node, member, event).await? == Some(wanted)).then_some(()))
    })
    .await
}

/// Waits until `node`'s copy of `event` says `count` take part.
async fn until_count(node: &TestNode, event: &str, count: i64) -> Result<()> {
    eventually(&format!("{count} participants at {}", node.base_url()), || async {
        let Some(post) = node.post(event).await? else { return Ok(None) };
        let stored = store::events::by_post_id(&mut node.store().conn().await?, post.id).await?;
        Ok(stored.filter(|e| e.participant_count == count).map(|_| ()))
    })
    .await
}

async fn notifications(node: &TestNode, member: &Actor, kind: &str) -> Result<usize> {
    let all = store::notifications::for_recipient(&mut node.store().conn().await?, member.id, 100).await?;
    Ok(all.iter().filter(|n| n.kind == kind).count())
}

async fn publish(node: &TestNode, coordinator: &Actor, initiative: &Actor, draft: &EventDraft) -> Result<Post> {
    let state = node.node.as_ref().expect("running").state();
    let post = events::publish(&state.store, &state.urls, coordinator, initiative, draft, Visibility::Public).await?;
    state.wake_delivery();
    Ok(post)
}

async fn capacity_is_filled_by_three_nodes_and_a_move_reaches_the_participants(backend: Backend) -> Result<()> {
    let home = TestNode::start(backend).await?;
    let west = TestNode::start(backend).await?;
    let east = TestNode::start(backend).await?;
    let initiative = home.add_initiative("zorgvrijstaat", false).await?;
    let coordinator = home.add_member("fatima", Some(&initiative)).await?;
    let buurvrouw = home.add_member("ans", None).await?;
    let (kees, mila) = (west.add_member("kees", None).await?, west.add_member("mila", None).await?);
    let noor = east.add_member("noor", None).await?;
    west.follow_and_wait(&kees, &initiative.ap_id).await?;
    east.follow_and_wait(&noor, &initiative.ap_id).await?;

    let event = publish(&home, &coordinator, &initiative, &meal(3, JoinMode::Free)).await?.ap_id;
    west.until_event(&event).await?;
    east.until_event(&event).await?;

    // Three places, taken by one member of each node.
    assert_eq!(join(&home, &buurvrouw, &event).await?, ParticipationState::Accepted, "a local member is in at once");
    assert_eq!(join(&west, &kees, &event).await?, ParticipationState::Pending, "a remote member waits for the answer");
    until_state(&west, &kees, &event, ParticipationState::Accepted).await?;
    join(&east, &noor, &event).await?;
    until_state(&east, &noor, &event, ParticipationState::Accepted).await?;
    assert_eq!(notifications(&east, &noor, rsvp::KIND_RSVP_ACCEPTED).await?, 1, "noor is told she is in");

    // Full: a fourth is refused, here at once and elsewhere by a Reject.
    assert!(matches!(join(&home, &coordinator, &event).await, Err(DomainError::Conflict(_))));
    join(&west, &mila, &event).await?;
    until_state(&west, &mila, &event, ParticipationState::Rejected).await?;
    for node in [&home, &west, &east] {
        until_count(node, &event, 3).await?;
    }

    // Joining twice counts once; leaving frees the place on every node.
    let state = home.node.as_ref().expect("running").state();
    assert!(matches!(rsvp::join(&state.store, &state.urls, &buurvrouw, &event).await, Err(DomainError::Conflict(_))));
    {
        let west_state = west.node.as_ref().expect("running").state();
        rsvp::leave(&west_state.store, &kees, &event).await?;
        west_state.wake_delivery();
    }
    for node in [&home, &west, &east] {
        until_count(node, &event, 2).await?;
    }
    join(&west, &mila, &event).await?;
    until_state(&west, &mila, &event, ParticipationState::Accepted).await?;
    until_count(&east, &event, 3).await?;

    // The organiser moves the event: the copies change, the participants are told, and the
    // one who left is not.
    let event_post = home.post(&event).await?.expect("home holds its event");
    let moved = EventDraft { starts_at: local("2026-12-10 17:30"), ends_at: Some(local("2026-12-10 20:00")), ..meal(3, JoinMode::Free) };
    events::update(&state.store, &coordinator, event_post.id, &moved).await?;
    state.wake_delivery();
    for (node, member) in [(&west, &mila), (&east, &noor)] {
        eventually("the move arrives", || async { Ok((notifications(node, member, events::KIND_EVENT_MOVED).await? == 1).then_some(())) })
            .await?;
        let copy = node.post(&event).await?.expect("copy");
        let stored = store::events::by_post_id(&mut node.store().conn().await?, copy.id).await?.expect("event");
        assert_eq!(stored.starts_at, moved.starts_at.timestamp_millis());
    }
    assert_eq!(notifications(&home, &buurvrouw, events::KIND_EVENT_MOVED).await?, 1, "the local participant is told too");
    assert_eq!(notifications(&west, &kees, events::KIND_EVENT_MOVED).await?, 0, "kees left and is not bothered");

    // Cancelled: the copies say so, and nobody can join any more.
    events::cancel(&state.store, &coordinator, event_post.id).await?;
    state.wake_delivery();
    eventually("the cancellation arrives", || async {
        Ok((notifications(&east, &noor, events::KIND_EVENT_CANCELLED).await? == 1).then_some(()))
    })
    .await?;
    let copy = east.post(&event).await?.expect("copy");
    assert!(copy.content.contains("Afgelast"), "Mastodon readers see it too: {}", copy.content);
    assert!(store::events::by_post_id(&mut east.store().conn().await?, copy.id).await?.expect("event").is_cancelled());
    let json: Value = reqwest::Client::new().get(&event).header("accept", "application/activity+json").send().await?.json().await?;
    assert_eq!((json["ical:status"].as_str(), json["participantCount"].as_i64()), (Some("CANCELLED"), Some(3)));
    let latecomer = east.add_member("late", None).await?;
    assert!(matches!(join(&east, &latecomer, &event).await, Err(DomainError::Gone)));
    Ok(())
}

async fn approval_mode_waits_for_the_organiser(backend: Backend) -> Result<()> {
    let home = TestNode::start(backend).await?;
    let away = TestNode::start(backend).await?;
    let initiative = home.add_initiative("wijkpaleis", false).await?;
    let coordinator = home.add_member("fatima", Some(&initiative)).await?;
    let kees = away.add_member("kees", None).await?;
    let piet = away.add_member("piet", None).await?;
    away.follow_and_wait(&kees, &initiative.ap_id).await?;
    let event = publish(&home, &coordinator, &initiative, &meal(10, JoinMode::Approval)).await?.ap_id;
    away.until_event(&event).await?;

    join(&away, &kees, &event).await?;
    join(&away, &piet, &event).await?;
    let state = home.node.as_ref().expect("running").state();
    let event_post = home.post(&event).await?.expect("home holds its event");
    let pending = eventually("two requests arrive", || async {
        let all = rsvp::participants(&state.store, &coordinator, event_post.id).await?;
        Ok((all.len() == 2).then_some(all))
    })
    .await?;
    assert!(pending.iter().all(|(p, _)| p.state == ParticipationState::Pending), "nobody is in before the organiser says so");
    assert!(notifications(&home, &coordinator, rsvp::KIND_RSVP_REQUEST).await? >= 1, "the coordinator is asked");

    let outsider = home.add_member("ans", None).await?;
    let request_of = |name: &str| pending.iter().find(|(_, actor)| actor.username == name).map(|(p, _)| p.clone()).expect("asked");
    let (kees_request, piet_request) = (&request_of("kees"), &request_of("piet"));
    assert!(matches!(rsvp::decide(&state.store, &outsider, kees_request.id, true).await, Err(DomainError::Forbidden)));
    rsvp::decide(&state.store, &coordinator, kees_request.id, true).await?;
    rsvp::decide(&state.store, &coordinator, piet_request.id, false).await?;
    assert!(matches!(rsvp::decide(&state.store, &coordinator, piet_request.id, true).await, Err(DomainError::Conflict(_))));
    state.wake_delivery();
    until_state(&away, &kees, &event, ParticipationState::Accepted).await?;
    until_state(&away, &piet, &event, ParticipationState::Rejected).await?;
    until_count(&away, &event, 1).await?;
    Ok(())
}

/// Friendica answers an event with `Accept`, `TentativeAccept` or `Reject` of the `Event`
/// itself (its attendyes/attendmaybe/attendno), and expects no reply. The shape is kept in
/// `federation/tests/fixtures/friendica/`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn friendica_style_answers_on_the_event_count() -> Result<()> {
    let home = TestNode::start(Backend::Sqlite).await?;
    let away = TestNode::start(Backend::Sqlite).await?;
    let initiative = home.add_initiative("zorgvrijstaat", false).await?;
    let coordinator = home.add_member("fatima", Some(&initiative)).await?;
    let event = publish(&home, &coordinator, &initiative, &meal(2, JoinMode::Free)).await?.ap_id;
    let (anna, bert, carla) =
        (away.add_member("anna", None).await?, away.add_member("bert", None).await?, away.add_member("carla", None).await?);
    let inbox = format!("{}/inbox", home.base_url());
    let answer = |actor: &Actor, kind: &str, n: u32| {
        let fixture: Value =
            serde_json::from_str(include_str!("../../federation/tests/fixtures/friendica/attend-accept.json")).expect("fixture");
        let text = fixture
            .to_string()
            .replace("https://friendica.example/objects/attend-1", &format!("{}/objects/attend-{n}", actor.ap_id))
            .replace("https://friendica.example/profile/anna", &actor.ap_id)
            .replace("https://buurtnet.example/posts/1", &event);
        let mut activity: Value = serde_json::from_str(&text).expect("json");
        activity["type"] = json!(kind);
        serde_json::to_vec(&activity).expect("bytes")
    };
    let count = || async {
        let post = home.post(&event).await?.expect("event");
        Ok::<_, anyhow::Error>(store::events::by_post_id(&mut home.store().conn().await?, post.id).await?.expect("event").participant_count)
    };
    assert_eq!(post_signed(&inbox, &answer(&anna, "Accept", 1), Some(&signer_of(&anna)), None).await?, 202);
    until_count(&home, &event, 1).await?;
    assert_eq!(post_signed(&inbox, &answer(&bert, "TentativeAccept", 2), Some(&signer_of(&bert)), None).await?, 202);
    assert_eq!(post_signed(&inbox, &answer(&carla, "Accept", 3), Some(&signer_of(&carla)), None).await?, 202);
    until_count(&home, &event, 2).await?;
    assert_eq!(post_signed(&inbox, &answer(&anna, "Reject", 4), Some(&signer_of(&anna)), None).await?, 202);
    until_count(&home, &event, 1).await?;
    let post = home.post(&event).await?.expect("event");
    let states: Vec<_> =
        rsvp::participants(home.store(), &coordinator, post.id).await?.into_iter().map(|(p, a)| (a.username, p.state)).collect();
    assert_eq!(
        states,
        vec![
            ("anna".to_string(), ParticipationState::Left),
            ("bert".to_string(), ParticipationState::Tentative),
            ("carla".to_string(), ParticipationState::Accepted)
        ]
    );
    assert_eq!(count().await?, 1);
    Ok(())
}
