//! The inbox refuses what it must: unsigned, forged, tampered, replayed, oversized,
//! malformed, mismatched and blocked POSTs, and none of them changes anything.

use anyhow::Result;
use buurtnet_domain::model::{Actor, Visibility};
use buurtnet_domain::store;
use buurtnet_federation::keys;
use buurtnet_federation::signatures::Signer;
use buurtnet_tests::harness::{Backend, TestNode, post_signed, signer_of};
use serde_json::{Value, json};

fn like(actor: &Actor, object: &str, n: u32) -> Value {
    json!({"@context": "https://www.w3.org/ns/activitystreams", "id": format!("{}/likes/{n}", actor.ap_id), "type": "Like", "actor": actor.ap_id, "object": object})
}

async fn likes(node: &TestNode, post_ap_id: &str) -> Result<i64> {
    let mut conn = node.store().conn().await?;
    let post = store::posts::by_ap_id(&mut conn, post_ap_id).await?.expect("post exists");
    Ok(store::posts::reaction_counts(&mut conn, post.id).await?.0)
}

struct Setup {
    home: TestNode,
    _peer: TestNode,
    sender: Actor,
    post: String,
    inbox: String,
}

async fn setup(backend: Backend) -> Result<Setup> {
    let home = TestNode::start(backend).await?;
    let peer = TestNode::start(backend).await?;
    let author = home.add_member("auteur", None).await?;
    let sender = peer.add_member("afzender", None).await?;
    let post = home.publish(&author, "Een bericht om te liken", Visibility::Public).await?.ap_id;
    let inbox = format!("{}/inbox", home.base_url());
    Ok(Setup { home, _peer: peer, sender, post, inbox })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_bad_posts_and_changes_nothing() -> Result<()> {
    let s = setup(Backend::Sqlite).await?;
    let signer = signer_of(&s.sender);
    let body = serde_json::to_vec(&like(&s.sender, &s.post, 1))?;

    assert_eq!(post_signed(&s.inbox, &body, None, None).await?, 401, "unsigned");
    let forger = Signer::from_pem(s.sender.public_key_id.clone(), &keys::generate().rsa_private_pem)?;
    assert_eq!(post_signed(&s.inbox, &body, Some(&forger), None).await?, 401, "signed with someone else's key");
    let tampered = serde_json::to_vec(&like(&s.sender, &s.post, 2))?;
    assert_eq!(post_signed(&s.inbox, &body, Some(&signer), Some(&tampered)).await?, 401, "body changed after signing");
    let impersonation =
        json!({"id": format!("{}/likes/3", s.sender.ap_id), "type": "Like", "actor": format!("{}x", s.sender.ap_id), "object": s.post});
    assert_eq!(
        post_signed(&s.inbox, &serde_json::to_vec(&impersonation)?, Some(&signer), None).await?,
        401,
        "signed by another actor than the activity's"
    );
    let foreign_id = json!({"id": "http://elders.example/likes/4", "type": "Like", "actor": s.sender.ap_id, "object": s.post});
    assert_eq!(post_signed(&s.inbox, &serde_json::to_vec(&foreign_id)?, Some(&signer), None).await?, 403, "activity id on another origin");
    assert_eq!(post_signed(&s.inbox, b"{not json", Some(&signer), None).await?, 400, "malformed JSON");
    let huge = vec![b' '; 600 * 1024];
    assert_eq!(post_signed(&s.inbox, &huge, Some(&signer), None).await?, 413, "oversized body");
    assert_eq!(likes(&s.home, &s.post).await?, 0, "nothing refused may change anything");

    assert_eq!(post_signed(&s.inbox, &body, Some(&signer), None).await?, 202, "a good signature is accepted");
    assert_eq!(likes(&s.home, &s.post).await?, 1);
    let undo =
        json!({"id": format!("{}/undo/1", s.sender.ap_id), "type": "Undo", "actor": s.sender.ap_id, "object": like(&s.sender, &s.post, 1)});
    assert_eq!(post_signed(&s.inbox, &serde_json::to_vec(&undo)?, Some(&signer), None).await?, 202);
    assert_eq!(likes(&s.home, &s.post).await?, 0);
    assert_eq!(post_signed(&s.inbox, &body, Some(&signer), None).await?, 202, "a replay is acknowledged");
    assert_eq!(likes(&s.home, &s.post).await?, 0, "but not processed again");

    let metrics = reqwest::get(format!("{}/metrics", s.home.base_url())).await?.text().await?;
    assert!(metrics.contains("buurtnet_inbox_total{outcome=\"rejected\",reason=\"signature_missing\"} 1"), "{metrics}");
    assert!(metrics.contains("reason=\"duplicate\"} 1"), "{metrics}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_blocked_domains() -> Result<()> {
    let s = setup(Backend::Sqlite).await?;
    let mut tx = s.home.store().begin().await?;
    store::inbox::block_domain(&mut tx, &s.sender.domain, "spam").await?;
    tx.commit().await?;
    let body = serde_json::to_vec(&like(&s.sender, &s.post, 1))?;
    assert_eq!(post_signed(&s.inbox, &body, Some(&signer_of(&s.sender)), None).await?, 403);
    assert_eq!(likes(&s.home, &s.post).await?, 0);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_html_is_sanitised_stored_and_shown_and_boosts_are_counted() -> Result<()> {
    let s = setup(Backend::Sqlite).await?;
    let local = s.home.add_member("buur", None).await?;
    s.home.follow_and_wait(&local, &s.sender.ap_id).await?;

    let note_id = format!("{}/handmade/1", s.sender.ap_id);
    let create = json!({
        "id": format!("{note_id}/activity"), "type": "Create", "actor": s.sender.ap_id,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {
            "id": note_id, "type": "Note", "attributedTo": s.sender.ap_id,
            "content": "<p onclick=\"steal()\">Hallo buren<script>alert(1)</script> <a href=\"javascript:x()\">klik</a></p>",
            "to": ["https://www.w3.org/ns/activitystreams#Public"], "published": "2026-11-22T10:00:00Z"
        }
    });
    let signer = signer_of(&s.sender);
    assert_eq!(post_signed(&s.inbox, &serde_json::to_vec(&create)?, Some(&signer), None).await?, 202);
    let stored = s.home.post(&note_id).await?.expect("stored");
    assert!(stored.content.contains("Hallo buren"));
    for bad in ["script", "onclick", "javascript"] {
        assert!(!stored.content.contains(bad), "{bad} survived: {}", stored.content);
    }
    let front = reqwest::get(format!("{}/", s.home.base_url())).await?.text().await?;
    assert!(front.contains("Hallo buren") && !front.contains("<script>alert"), "the front page shows received posts, clean");

    let forged_author = json!({
        "id": format!("{}/handmade/2/activity", s.sender.ap_id), "type": "Create", "actor": s.sender.ap_id,
        "object": {"id": format!("{}/handmade/2", s.sender.ap_id), "type": "Note", "attributedTo": local.ap_id, "content": "namens iemand anders", "to": ["https://www.w3.org/ns/activitystreams#Public"]}
    });
    assert_eq!(
        post_signed(&s.inbox, &serde_json::to_vec(&forged_author)?, Some(&signer), None).await?,
        403,
        "a note attributed to someone else"
    );

    let announce = json!({"id": format!("{}/boosts/1", s.sender.ap_id), "type": "Announce", "actor": s.sender.ap_id, "object": s.post});
    assert_eq!(post_signed(&s.inbox, &serde_json::to_vec(&announce)?, Some(&signer), None).await?, 202);
    let mut conn = s.home.store().conn().await?;
    let post = store::posts::by_ap_id(&mut conn, &s.post).await?.expect("post");
    assert_eq!(store::posts::reaction_counts(&mut conn, post.id).await?, (0, 1));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deletion_of_an_unknown_actor_is_acknowledged_without_fetching() -> Result<()> {
    let s = setup(Backend::Sqlite).await?;
    let gone = "http://localhost:1/users/vertrokken";
    let key = Signer::from_pem(format!("{gone}#main-key"), &keys::generate().rsa_private_pem)?;
    let delete = json!({"id": format!("{gone}#delete"), "type": "Delete", "actor": gone, "object": gone});
    assert_eq!(post_signed(&s.inbox, &serde_json::to_vec(&delete)?, Some(&key), None).await?, 202);
    assert!(s.home.actor(gone).await?.is_none(), "nothing is stored about it");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_proposals_are_cut_down_to_size_and_cleaned() -> Result<()> {
    let s = setup(Backend::Sqlite).await?;
    let local = s.home.add_member("buur", None).await?;
    s.home.follow_and_wait(&local, &s.sender.ap_id).await?;
    let signer = signer_of(&s.sender);
    let proposal = |n: u32, purpose: &str| {
        let id = format!("{}/proposals/{n}", s.sender.ap_id);
        json!({
            "id": format!("{id}/create"), "type": "Create", "actor": s.sender.ap_id,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "object": {
                "id": id, "type": "Proposal", "attributedTo": s.sender.ap_id, "purpose": purpose,
                "name": "X".repeat(10_000),
                "content": format!("<p>Help<script>alert(1)</script>{}</p>", "y".repeat(20_000)),
                "startTime": "gisteren", "location": {"type": "Place", "name": "Z".repeat(500)},
                "publishes": {"type": "Intent", "resourceConformsTo": "https://elders.example/categories/ruimtevaart"},
                "to": ["https://www.w3.org/ns/activitystreams#Public"]
            }
        })
    };
    assert_eq!(post_signed(&s.inbox, &serde_json::to_vec(&proposal(1, "request"))?, Some(&signer), None).await?, 202);
    let post = s.home.post(&format!("{}/proposals/1", s.sender.ap_id)).await?.expect("stored");
    assert!(!post.content.contains("<script"));
    let stored = store::proposals::by_post_id(&mut s.home.store().conn().await?, post.id).await?.expect("a proposal");
    assert_eq!(stored.title.chars().count(), 120);
    assert!(stored.description.chars().count() <= 4000 && !stored.description.contains("alert(1)<"));
    assert_eq!(stored.category, "overig");
    assert_eq!(stored.neighbourhood.as_deref().map(|n| n.chars().count()), Some(80));
    assert_eq!(stored.when(), buurtnet_domain::model::When::Flexible, "an unreadable date is no date");

    assert_eq!(post_signed(&s.inbox, &serde_json::to_vec(&proposal(2, "steal"))?, Some(&signer), None).await?, 202);
    let plain = s.home.post(&format!("{}/proposals/2", s.sender.ap_id)).await?.expect("stored as a post");
    assert!(
        store::proposals::by_post_id(&mut s.home.store().conn().await?, plain.id).await?.is_none(),
        "an unknown purpose is no proposal"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_events_are_cut_down_to_size_or_refused() -> Result<()> {
    let s = setup(Backend::Sqlite).await?;
    let local = s.home.add_member("buur", None).await?;
    s.home.follow_and_wait(&local, &s.sender.ap_id).await?;
    let signer = signer_of(&s.sender);
    let event = |n: u32, start: &str, id_base: &str| {
        let id = format!("{id_base}/events/{n}");
        json!({
            "id": format!("{}/events/{n}/create", s.sender.ap_id), "type": "Create", "actor": s.sender.ap_id,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "object": {
                "id": id, "type": "Event", "attributedTo": s.sender.ap_id,
                "name": "X".repeat(10_000),
                "content": format!("<p>Kom<script>alert(1)</script>{}</p>", "y".repeat(20_000)),
                "startTime": start, "endTime": "2020-01-01T00:00:00Z", "timezone": "Mars/Olympus",
                "maximumAttendeeCapacity": -5, "participantCount": 1_000_000_000_000_i64,
                "location": {"type": "Place", "name": "Z".repeat(500)},
                "to": ["https://www.w3.org/ns/activitystreams#Public"]
            }
        })
    };
    let sender = s.sender.ap_id.clone();
    assert_eq!(
        post_signed(&s.inbox, &serde_json::to_vec(&event(1, "2026-12-03T17:30:00+01:00", &sender))?, Some(&signer), None).await?,
        202
    );
    let post = s.home.post(&format!("{sender}/events/1")).await?.expect("stored");
    assert!(!post.content.contains("<script"));
    let stored = store::events::by_post_id(&mut s.home.store().conn().await?, post.id).await?.expect("an event");
    assert_eq!(stored.title.chars().count(), 120);
    assert!(stored.description.chars().count() <= 4000);
    assert_eq!(stored.place_name.map(|n| n.chars().count()), Some(200));
    assert_eq!((stored.ends_at, stored.timezone.as_str(), stored.capacity), (None, "Europe/Amsterdam", None), "nonsense dropped");
    assert_eq!(stored.participant_count, 0, "an absurd count is not believed");

    assert_eq!(post_signed(&s.inbox, &serde_json::to_vec(&event(2, "morgen", &sender))?, Some(&signer), None).await?, 202);
    let plain = s.home.post(&format!("{sender}/events/2")).await?.expect("kept as a post");
    assert!(store::events::by_post_id(&mut s.home.store().conn().await?, plain.id).await?.is_none(), "no readable start: no event");

    let elsewhere = format!("{}/users/someone-else", s.home.base_url());
    assert_eq!(
        post_signed(&s.inbox, &serde_json::to_vec(&event(3, "2026-12-03T17:30:00+01:00", &elsewhere))?, Some(&signer), None).await?,
        403,
        "an event whose id lives on another origin"
    );
    assert!(s.home.post(&format!("{elsewhere}/events/3")).await?.is_none());
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_organiser_answers_a_join_and_only_readers_may_join() -> Result<()> {
    use buurtnet_domain::model::{DEFAULT_TIMEZONE, EventDraft, JoinMode, Place};
    let s = setup(Backend::Sqlite).await?;
    let organiser = s.home.add_member("organisator", None).await?;
    let state = s.home.node.as_ref().expect("running").state();
    let draft = EventDraft {
        title: "Koffie-ochtend".into(),
        description: String::new(),
        starts_at: chrono::Utc::now() + chrono::Duration::days(3),
        ends_at: None,
        timezone: DEFAULT_TIMEZONE.into(),
        place: Some(Place { name: "Buurthuis".into(), ..Place::default() }),
        online_url: None,
        capacity: Some(5),
        join_mode: JoinMode::Free,
    };
    let hidden =
        buurtnet_domain::ops::events::publish(&state.store, &state.urls, &organiser, &organiser, &draft, Visibility::Followers).await?;
    let signer = signer_of(&s.sender);
    let join = json!({"id": format!("{}/joins/1", s.sender.ap_id), "type": "Join", "actor": s.sender.ap_id, "object": hidden.ap_id});
    assert_eq!(
        post_signed(&s.inbox, &serde_json::to_vec(&join)?, Some(&signer), None).await?,
        404,
        "a followers-only event is not there for outsiders"
    );
    assert!(store::participants::for_event(&mut s.home.store().conn().await?, hidden.id).await?.is_empty());

    // A member here asks to join an event on the peer (approval mode, so it stays open);
    // someone other than its organiser claims to accept.
    s.home.follow_and_wait(&organiser, &s.sender.ap_id).await?;
    let peer_state = s._peer.node.as_ref().expect("running").state();
    let approval = EventDraft { join_mode: JoinMode::Approval, ..draft };
    let remote =
        buurtnet_domain::ops::events::publish(&peer_state.store, &peer_state.urls, &s.sender, &s.sender, &approval, Visibility::Public)
            .await?;
    peer_state.wake_delivery();
    s.home.until_event(&remote.ap_id).await?;
    let asked = buurtnet_domain::ops::rsvp::join(&state.store, &state.urls, &organiser, &remote.ap_id).await?;
    let impostor = s._peer.add_member("bedrieger", None).await?;
    let forged = json!({
        "id": format!("{}/accepts/1", impostor.ap_id), "type": "Accept", "actor": impostor.ap_id,
        "object": {"id": asked.join_ap_id, "type": "Join", "actor": organiser.ap_id, "object": remote.ap_id},
    });
    assert_eq!(post_signed(&s.inbox, &serde_json::to_vec(&forged)?, Some(&signer_of(&impostor)), None).await?, 403);
    let now = store::participants::by_id(&mut s.home.store().conn().await?, asked.id).await?;
    assert_eq!(now.state, buurtnet_domain::model::ParticipationState::Pending, "nothing changed");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_articles_and_patches_are_cut_or_refused() -> Result<()> {
    use buurtnet_domain::model::{ArticleDraft, EditPolicy, PatchState};
    let s = setup(Backend::Sqlite).await?;
    let local = s.home.add_member("buur", None).await?;
    s.home.follow_and_wait(&local, &s.sender.ap_id).await?;
    let signer = signer_of(&s.sender);
    let sender = s.sender.ap_id.clone();
    let article = |n: u32, revision: String| {
        let id = format!("{sender}/articles/{n}");
        json!({
            "id": format!("{id}/create"), "type": "Create", "actor": sender, "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "object": {
                "id": id, "type": "Article", "attributedTo": sender, "name": "T".repeat(5000),
                "content": "<p>Lees<script>alert(1)</script></p>",
                "source": {"content": format!("# Kop\n<script>alert(1)</script>\n{}", "z".repeat(150_000)), "mediaType": "text/markdown"},
                "revision": revision, "revisionNumber": 1, "to": ["https://www.w3.org/ns/activitystreams#Public"]
            }
        })
    };
    let body = serde_json::to_vec(&article(1, format!("{sender}/articles/1/revisions/1")))?;
    assert!(body.len() < 512 * 1024);
    assert_eq!(post_signed(&s.inbox, &body, Some(&signer), None).await?, 202);
    let post = s.home.post(&format!("{sender}/articles/1")).await?.expect("stored");
    assert!(!post.content.contains("<script"));
    let stored = store::articles::by_post_id(&mut s.home.store().conn().await?, post.id).await?.expect("an article");
    assert_eq!(stored.title.chars().count(), 160);
    assert_eq!(stored.source.chars().count(), 100_000, "cut to our limit");

    let elsewhere = format!("{}/articles/2/revisions/1", s.home.base_url());
    assert_eq!(post_signed(&s.inbox, &serde_json::to_vec(&article(2, elsewhere))?, Some(&signer), None).await?, 202);
    let plain = s.home.post(&format!("{sender}/articles/2")).await?.expect("kept as a post");
    assert!(
        store::articles::by_post_id(&mut s.home.store().conn().await?, plain.id).await?.is_none(),
        "a revision id on another origin makes no article"
    );

    // Patches to an article here.
    let state = s.home.node.as_ref().expect("running").state();
    let draft = ArticleDraft { title: "Soep".into(), source: "Een\nTwee\nDrie\n".into(), edit_policy: EditPolicy::Open };
    let ours = buurtnet_domain::ops::articles::publish(&state.store, &state.urls, &local, &local, &draft, Visibility::Public).await?;
    let patch = |n: u32, author: &str, diff: &str| {
        json!({
            "id": format!("{sender}/patches/{n}/update"), "type": "Update", "actor": sender,
            "object": {"id": format!("{sender}/patches/{n}"), "type": "Patch", "attributedTo": author, "object": ours.ap_id,
                "previousVersion": format!("{}/revisions/1", ours.ap_id), "content": diff, "mediaType": "text/x-diff"}
        })
    };
    let garbage = serde_json::to_vec(&patch(1, &sender, "<script>geen diff</script>"))?;
    assert_eq!(post_signed(&s.inbox, &garbage, Some(&signer), None).await?, 202, "received, then refused by the merge");
    let refused = store::articles::patch_by_ap_id(&mut s.home.store().conn().await?, &format!("{sender}/patches/1")).await?.expect("kept");
    assert_eq!(refused.state, PatchState::Rejected);
    assert!(refused.reason.as_deref().is_some_and(|r| r.contains("past niet")), "{refused:?}");
    let impostor = serde_json::to_vec(&patch(2, &local.ap_id, "--- a\n+++ b\n@@ -1 +1 @@\n-Een\n+Vier\n"))?;
    assert_eq!(post_signed(&s.inbox, &impostor, Some(&signer), None).await?, 403, "a patch attributed to someone else");
    let article_now = store::articles::by_post_id(&mut s.home.store().conn().await?, ours.id).await?.expect("article");
    assert_eq!((article_now.version, article_now.source.as_str()), (1, "Een\nTwee\nDrie\n"), "nothing changed");
    Ok(())
}

/// A `Create` of a note to `member`, numbered `n`, from `sender`.
fn note_to(sender: &Actor, member: &Actor, n: u32) -> Value {
    let note = format!("{}/notes/race-{n}", sender.ap_id);
    json!({"@context": "https://www.w3.org/ns/activitystreams", "id": format!("{note}/activity"), "type": "Create", "actor": sender.ap_id,
           "to": [member.ap_id], "object": {"id": note, "type": "Note", "attributedTo": sender.ap_id, "to": [member.ap_id],
           "content": "<p>Wie helpt er zaterdag mee?</p>", "published": "2026-12-07T15:00:00Z"}})
}

/// `body` signed once and sent `copies` times at once, as a sender's retry racing its first try.
async fn send_at_once(inbox: &str, body: &[u8], signer: &Signer, copies: usize) -> Result<Vec<u16>> {
    let url = url::Url::parse(inbox)?;
    let host = format!("{}:{}", url.host_str().unwrap_or_default(), url.port().unwrap_or(80));
    let mut headers = std::collections::BTreeMap::from([
        ("host".to_string(), host),
        ("content-type".to_string(), "application/activity+json".to_string()),
    ]);
    signer.sign("POST", url.path(), &mut headers, Some(body))?;
    let client = reqwest::Client::new();
    let send = |_| {
        let mut request = client.post(url.clone()).body(body.to_vec());
        for (name, value) in headers.iter().filter(|(name, _)| *name != "host") {
            request = request.header(name.as_str(), value.as_str());
        }
        async move { Ok::<_, anyhow::Error>(request.send().await?.status().as_u16()) }
    };
    futures::future::try_join_all((0..copies).map(send)).await
}

/// The replay memory is written with the note: two copies of one `Create` at once store one
/// note and one notification, both answered 202, and a later replay changes nothing.
async fn the_same_create_twice_at_once_stores_one_note(backend: Backend) -> Result<()> {
    let s = setup(backend).await?;
    let member = store::actors::local_by_username(&mut s.home.store().conn().await?, "auteur").await?.expect("member");
    let signer = signer_of(&s.sender);
    let introduction = serde_json::to_vec(&note_to(&s.sender, &member, 0))?;
    assert_eq!(post_signed(&s.inbox, &introduction, Some(&signer), None).await?, 202, "the sender's key is known from here on");
    let body = serde_json::to_vec(&note_to(&s.sender, &member, 1))?;
    assert_eq!(send_at_once(&s.inbox, &body, &signer, 2).await?, [202, 202]);
    assert_eq!(send_at_once(&s.inbox, &body, &signer, 1).await?, [202], "a replay later");

    let mut conn = s.home.store().conn().await?;
    let note = store::posts::by_ap_id(&mut conn, &format!("{}/notes/race-1", s.sender.ap_id)).await?.expect("the note is stored");
    let told = store::notifications::for_recipient(&mut conn, member.id, 50).await?;
    assert_eq!(told.iter().filter(|n| n.post_id == Some(note.id)).count(), 1, "one notification: {told:?}");
    let metrics = reqwest::get(format!("{}/metrics", s.home.base_url())).await?.text().await?;
    assert!(metrics.contains("reason=\"duplicate\"} 2"), "the second copy and the replay: {metrics}");
    Ok(())
}

/// PostgreSQL cannot hold a NUL character in a text (a store write with one fails), and no
/// text here is meant to have one: an activity with one anywhere (here in a hashtag's name)
/// is refused as malformed (400, which a sender does not retry), on both databases alike,
/// and nothing is stored.
async fn a_nul_in_any_text_is_refused_and_changes_nothing(backend: Backend) -> Result<()> {
    let s = setup(backend).await?;
    let member = store::actors::local_by_username(&mut s.home.store().conn().await?, "auteur").await?.expect("member");
    let signer = signer_of(&s.sender);
    let mut note = note_to(&s.sender, &member, 7);
    note["object"]["tag"] = json!([{"type": "Hashtag", "name": "#koffie\u{0}", "href": "https://elders.example/tags/koffie"}]);
    let body = serde_json::to_vec(&note)?;
    assert!(body.windows(6).any(|w| w == b"\\u0000"), "the NUL travels escaped");
    assert_eq!(post_signed(&s.inbox, &body, Some(&signer), None).await?, 400);
    let ap_id = format!("{}/notes/race-7", s.sender.ap_id);
    assert!(store::posts::by_ap_id(&mut s.home.store().conn().await?, &ap_id).await?.is_none(), "nothing stored");
    note["object"]["tag"][0]["name"] = json!("#koffie");
    assert_eq!(post_signed(&s.inbox, &serde_json::to_vec(&note)?, Some(&signer), None).await?, 202, "without it, the same note is taken");
    assert!(store::posts::by_ap_id(&mut s.home.store().conn().await?, &ap_id).await?.is_some());
    Ok(())
}

buurtnet_tests::on_both_backends!(the_same_create_twice_at_once_stores_one_note, a_nul_in_any_text_is_refused_and_changes_nothing);
