//! Real JSON from other servers parses into our wire types, and ours round-trips.

use buurtnet_domain::model::{Actor, Visibility};
use buurtnet_federation::objects::actor::ApubActor;
use buurtnet_federation::objects::note::note_to_post;
use buurtnet_federation::protocol::activities::{ActivityJson, Verb};
use buurtnet_federation::protocol::actor::ActorJson;
use buurtnet_federation::protocol::note::NoteJson;
use buurtnet_federation::protocol::outgoing::Kind;
use buurtnet_federation::protocol::{first_id, ids};
use serde_json::Value;

fn fixture(path: &str) -> Value {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))).expect("fixture is JSON")
}

/// A stored remote actor with the given id, as the inbox would have it.
fn remote_actor(ap_id: &str, followers: Option<&str>) -> Actor {
    let json: ActorJson = serde_json::from_value(fixture("mastodon/objects_person.json")).unwrap();
    let mut new = ApubActor::from_remote(&json).unwrap();
    new.ap_id = ap_id.parse().unwrap();
    Actor {
        id: 7,
        ap_id: ap_id.into(),
        kind: buurtnet_domain::model::ActorKindColumn(new.kind),
        username: new.username,
        domain: new.domain,
        is_local: false,
        display_name: String::new(),
        summary: String::new(),
        inbox: new.inbox.to_string(),
        shared_inbox: None,
        outbox: None,
        followers: followers.map(String::from),
        following: None,
        url: None,
        public_key_id: format!("{ap_id}#main-key"),
        public_key_pem: new.public_key_pem,
        private_key_pem: None,
        ed25519_public_multibase: None,
        ed25519_private_pkcs8: None,
        manually_approves_followers: false,
        fetched_at: 0,
        created_at: 0,
        default_need_visibility: Visibility::Coalition,
        moved_to: None,
    }
}

#[test]
fn actors_from_other_servers_parse_and_pass_our_checks() {
    for (path, kind) in [
        ("mastodon/objects_person.json", "Person"),
        ("pleroma/objects_person.json", "Person"),
        ("friendica/objects_person_1.json", "Person"),
        ("smithereen/objects_person.json", "Person"),
        ("wordpress/objects_person.json", "Person"),
        ("mobilizon/objects_person.json", "Person"),
        ("mobilizon/objects_group.json", "Group"),
        ("peertube/objects_group.json", "Group"),
        ("gancio/gancio-actor.json", "Application"),
    ] {
        let json: ActorJson = serde_json::from_value(fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(json.kind, kind, "{path}");
        let stored = ApubActor::from_remote(&json).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(stored.public_key_pem.contains("PUBLIC KEY"), "{path}");
        assert!(!stored.username.is_empty(), "{path}");
        assert!(!stored.is_local);
    }
}

#[test]
fn an_actor_whose_inbox_lives_elsewhere_is_refused() {
    let mut json = fixture("mastodon/objects_person.json");
    json["inbox"] = Value::String("https://elders.example/inbox".into());
    let parsed: ActorJson = serde_json::from_value(json).unwrap();
    assert!(ApubActor::from_remote(&parsed).is_err());
}

#[test]
fn notes_from_other_servers_parse_with_the_right_visibility() {
    let cases = [
        ("mastodon/objects_note_1.json", None),
        ("friendica/objects_note_1.json", None),
        ("mastodon/activities_private_message.json", Some(Visibility::Direct)),
    ];
    for (path, expected) in cases {
        let note: NoteJson = serde_json::from_value(fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let author_id = first_id(Some(&note.attributed_to)).expect("attributedTo");
        let post = note_to_post(&note, &remote_actor(&author_id, None)).unwrap_or_else(|e| panic!("{path}: {e}"));
        if let Some(visibility) = expected {
            assert_eq!(post.visibility, visibility, "{path}");
        }
        assert_eq!(post.ap_id, note.id);
    }
    for path in
        ["mastodon/activities_create_note.json", "pleroma/activities_create_note.json", "mastodon/mastodon-post-activity-private.json"]
    {
        let activity: ActivityJson = serde_json::from_value(fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(activity.kind, Verb::Known(Kind::Create));
        let note: NoteJson = serde_json::from_value(activity.object.clone()).unwrap_or_else(|e| panic!("{path}: {e}"));
        let author = remote_actor(&activity.actor, None);
        let post = note_to_post(&note, &author).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(!post.content.is_empty(), "{path}");
    }
}

#[test]
fn a_note_attributed_to_someone_else_is_refused() {
    let note: NoteJson = serde_json::from_value(fixture("mastodon/objects_note_1.json")).unwrap();
    assert!(note_to_post(&note, &remote_actor("https://elders.example/users/x", None)).is_err());
}

#[test]
fn activities_from_other_servers_parse() {
    for (path, kind) in [
        ("mastodon/activities_follow.json", Verb::Known(Kind::Follow)),
        ("pleroma/activities_follow.json", Verb::Known(Kind::Follow)),
        ("mastodon/mastodon-accept-activity.json", Verb::Known(Kind::Accept)),
        ("mbin/activities_accept.json", Verb::Known(Kind::Accept)),
        ("mastodon/activities_undo_follow.json", Verb::Known(Kind::Undo)),
        ("mastodon/mastodon-like.json", Verb::Known(Kind::Like)),
        ("mastodon/mastodon-announce.json", Verb::Known(Kind::Announce)),
        ("mastodon/activities_delete.json", Verb::Known(Kind::Delete)),
        ("mastodon/mastodon-update.json", Verb::Known(Kind::Update)),
        ("mobilizon/mobilizon-join-activity.json", Verb::Known(Kind::Join)),
        ("mobilizon/mobilizon-leave-activity.json", Verb::Known(Kind::Leave)),
        ("friendica/attend-accept.json", Verb::Known(Kind::Accept)),
    ] {
        let activity: ActivityJson = serde_json::from_value(fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(activity.kind, kind, "{path}");
        assert!(activity.actor.starts_with("http"), "{path}: actor");
        assert_eq!(ids(Some(&activity.object)).len(), 1, "{path}: one object");
    }
}

#[test]
fn our_actor_documents_round_trip() {
    let keys = buurtnet_federation::keys::generate();
    let mut actor = remote_actor("https://buurt.example/users/greet", Some("https://buurt.example/users/greet/followers"));
    actor.is_local = true;
    actor.public_key_pem = keys.rsa_public_pem.clone();
    actor.public_key_id = "https://buurt.example/users/greet#main-key".into();
    actor.inbox = "https://buurt.example/users/greet/inbox".into();
    actor.ed25519_public_multibase = Some(keys.ed25519_public_multibase.clone());
    let json = serde_json::to_value(ApubActor::new(actor).to_json()).unwrap();
    let parsed: ActorJson = serde_json::from_value(json).unwrap();
    let back = ApubActor::from_remote(&parsed).unwrap();
    assert_eq!(back.public_key_pem, keys.rsa_public_pem);
    assert_eq!(back.ed25519_public_multibase.as_deref(), Some(keys.ed25519_public_multibase.as_str()));
}

#[test]
fn fep_0837_proposals_are_read_as_offers_and_needs() {
    let note: NoteJson = serde_json::from_value(fixture("fep-0837-proposal.json")).unwrap();
    assert_eq!(note.kind, "Proposal");
    let draft = buurtnet_federation::objects::proposal::read(&note, buurtnet_domain::model::DEFAULT_CATEGORIES).expect("a proposal");
    assert_eq!(draft.purpose, buurtnet_domain::model::Purpose::Offer);
    assert_eq!(draft.title, "Offering used bike");
    assert_eq!(draft.category, "overig", "a category we do not know becomes overig");
    let author = remote_actor(&first_id(Some(&note.attributed_to)).unwrap(), None);
    let post = note_to_post(&note, &author).expect("a Proposal is stored like a note");
    assert_eq!(post.visibility, Visibility::Public);
}

#[test]
fn events_from_mobilizon_and_gancio_are_read() {
    let mobilizon: NoteJson = serde_json::from_value(fixture("mobilizon/objects_event.json")).unwrap();
    let event = buurtnet_federation::objects::event::read(&mobilizon).expect("an event");
    assert_eq!(event.title, "Caledonian scottish dance class");
    assert_eq!(event.starts_at.to_rfc3339(), "2022-12-11T19:00:00+00:00");
    assert_eq!(event.timezone, "Europe/London");
    assert!(event.place.as_ref().is_some_and(|p| p.address.as_deref().is_some_and(|a| a.contains("Devon Expressway"))));
    assert!(event.validate().is_ok());

    let gancio: ActivityJson = serde_json::from_value(fixture("gancio/create_event.json")).unwrap();
    let note: NoteJson = serde_json::from_value(gancio.object).unwrap();
    let event = buurtnet_federation::objects::event::read(&note).expect("an event");
    assert_eq!(event.title, "Demo event");
    assert_eq!(event.starts_at.to_rfc3339(), "2021-07-14T15:30:57+00:00");
    assert_eq!(event.place.map(|p| p.name).as_deref(), Some("Colosseo"));
    assert_eq!(event.timezone, "Europe/Amsterdam", "no time zone given: ours");
}

#[test]
fn mobilizon_events_say_whether_they_are_cancelled_and_how_many_come() {
    let mut note: NoteJson = serde_json::from_value(fixture("mobilizon/objects_event.json")).unwrap();
    let state = buurtnet_federation::objects::event::remote_state(&note);
    assert_eq!((state.cancelled, state.participant_count), (false, Some(0)), "ical:status CONFIRMED, participantCount 0");
    note.event_status = Some("CANCELLED".into());
    assert!(buurtnet_federation::objects::event::remote_state(&note).cancelled);
}

fn our_post(ap_id: &str) -> buurtnet_domain::model::Post {
    buurtnet_domain::model::Post {
        id: 1,
        ap_id: ap_id.into(),
        author_id: 7,
        content: "<p>tekst</p>".into(),
        source: None,
        summary: None,
        visibility: Visibility::Public,
        in_reply_to: None,
        url: Some(ap_id.into()),
        published: 1_790_000_000_000,
        updated: None,
        deleted_at: None,
        is_local: true,
        created_at: 0,
        language: Some("nl".into()),
    }
}

/// What we send, through JSON and back, reads as what we meant.
#[test]
fn our_events_and_articles_round_trip() {
    use buurtnet_domain::model::{Article, EditPolicy, Event, JoinMode};
    let author = remote_actor("https://buurt.example/initiatives/keuken", Some("https://buurt.example/initiatives/keuken/followers"));
    let post = our_post("https://buurt.example/notes/1");
    let event = Event {
        post_id: 1,
        title: "Samen eten".into(),
        description: "Iedereen welkom.".into(),
        starts_at: 1_796_315_400_000,
        ends_at: Some(1_796_324_400_000),
        timezone: "Europe/Amsterdam".into(),
        place_name: Some("Buurthuis".into()),
        place_address: Some("Gaffelstraat 1".into()),
        latitude: Some(51.91),
        longitude: Some(4.46),
        online_url: None,
        capacity: Some(30),
        join_mode: JoinMode::Approval,
        state: "cancelled".into(),
        created_at: 0,
        participant_count: 12,
        sequence: 3,
        updated_at: None,
        registration_closed: true,
        asks_lift: true,
        asks_diet: true,
    };
    let mut note = buurtnet_federation::objects::note::post_to_note(&post, &author, &[]);
    buurtnet_federation::objects::event::decorate(&mut note, &event, &[author.ap_id.clone(), "https://elders.example/g/x".into()]);
    let back: NoteJson = serde_json::from_value(serde_json::to_value(&note).unwrap()).unwrap();
    let draft = buurtnet_federation::objects::event::read(&back).expect("an event");
    let sent = event.draft();
    assert_eq!((draft.starts_at, draft.ends_at, draft.timezone.as_str()), (sent.starts_at, sent.ends_at, "Europe/Amsterdam"));
    assert_eq!((draft.place, draft.capacity, draft.join_mode), (sent.place, Some(30), JoinMode::Approval));
    let state = buurtnet_federation::objects::event::remote_state(&back);
    assert_eq!((state.cancelled, state.participant_count), (true, Some(12)));
    assert_eq!(buurtnet_federation::objects::event::organiser_ids(&back), vec![author.ap_id.clone(), "https://elders.example/g/x".into()]);

    let article = Article {
        post_id: 1,
        title: "Soep voor twintig".into(),
        source: "# Soep\n\nNeem een pan.\n".into(),
        version: 4,
        edit_policy: EditPolicy::Open,
        forked_from: Some("https://elders.example/notes/9".into()),
        forked_from_author: None,
        updated_at: 0,
    };
    let mut note = buurtnet_federation::objects::note::post_to_note(&post, &author, &[]);
    buurtnet_federation::objects::article::decorate(&mut note, &article, &post.ap_id);
    let back: NoteJson = serde_json::from_value(serde_json::to_value(&note).unwrap()).unwrap();
    let remote = buurtnet_federation::objects::article::read(&back).expect("an article");
    assert_eq!((remote.title.as_str(), remote.source.as_str(), remote.version), ("Soep voor twintig", article.source.as_str(), 4));
    assert_eq!(remote.revision_ap_id, "https://buurt.example/notes/1/revisions/4");
    assert_eq!(remote.forked_from.as_deref(), Some("https://elders.example/notes/9"));
    assert_eq!(back.summary.as_deref(), Some("Soep Neem een pan."), "Mastodon's text under the title");
}

#[test]
fn account_aliases_and_moves_read_as_mastodon_writes_them() {
    let mut json = fixture("mastodon/objects_person.json");
    let id = json["id"].as_str().expect("id").to_string();
    json["alsoKnownAs"] = serde_json::json!(["https://oud.example/users/anna"]);
    json["movedTo"] = Value::String("https://nieuw.example/users/anna".into());
    let parsed: ActorJson = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(parsed.also_known_as, vec!["https://oud.example/users/anna"]);
    assert_eq!(parsed.moved_to.as_deref(), Some("https://nieuw.example/users/anna"));
    // One id alone, or an object with its id, as other servers write it.
    json["alsoKnownAs"] = serde_json::json!({"id": "https://oud.example/users/anna", "type": "Person"});
    let parsed: ActorJson = serde_json::from_value(json).unwrap();
    assert_eq!(parsed.also_known_as, vec!["https://oud.example/users/anna"]);

    // Mastodon's Move (its id a fragment of the actor's) is read as an actor moving itself.
    let mastodon_move = serde_json::json!({"@context": "https://www.w3.org/ns/activitystreams", "id": format!("{id}#moves/1"),
        "type": "Move", "actor": id, "object": id, "target": "https://nieuw.example/users/anna"});
    let activity: ActivityJson = serde_json::from_value(mastodon_move).unwrap();
    let parsed = buurtnet_federation::activities::parse_move(&activity).unwrap();
    assert_eq!((parsed.actor.as_str(), parsed.target.as_str()), (id.as_str(), "https://nieuw.example/users/anna"));
}

#[test]
fn our_actor_document_carries_moved_to_and_round_trips() {
    let mut actor = remote_actor("https://buurt.example/initiatives/zorg", Some("https://buurt.example/initiatives/zorg/followers"));
    actor.inbox = "https://buurt.example/initiatives/zorg/inbox".into();
    actor.moved_to = Some("https://nieuw.example/initiatives/zorg".into());
    let document = serde_json::to_value(ApubActor::new(actor).to_json()).unwrap();
    assert_eq!(document["movedTo"], "https://nieuw.example/initiatives/zorg");
    assert!(document.get("alsoKnownAs").is_none(), "no aliases, no property");
    let back: ActorJson = serde_json::from_value(document).unwrap();
    assert_eq!(back.moved_to.as_deref(), Some("https://nieuw.example/initiatives/zorg"));
}
