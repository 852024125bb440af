//! RFC 9421 HTTP Message Signatures between running nodes: two nodes deliver to each other
//! signed RFC 9421 and each verifies it; a peer that takes only draft-cavage gets the double
//! knock once and is remembered (across a restart); and attacks with RFC 9421 signatures
//! over HTTP fail and change nothing (docs/security.md, item 1).

use anyhow::Result;
use buurtnet_domain::model::{Actor, Visibility};
use buurtnet_domain::store;
use buurtnet_domain::store::peer_signatures::PeerSignatures;
use buurtnet_federation::host_of;
use buurtnet_tests::harness::{Backend, TestNode, add_stand_in_follower, eventually, signer_of};
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

async fn memory(node: &TestNode, peer: &TestNode) -> Result<Option<PeerSignatures>> {
    let host = host_of(&url::Url::parse(&peer.base_url())?);
    Ok(store::peer_signatures::get(&mut node.store().conn().await?, &host).await?)
}

/// A member on each node follows the other and one posts: every request between them goes
/// RFC 9421 at the first attempt, and each node noted that the other signed RFC 9421.
async fn two_nodes_deliver_to_each_other_with_rfc9421(backend: Backend) -> Result<()> {
    let a = TestNode::start(backend).await?;
    let b = TestNode::start(backend).await?;
    let fatima = a.add_member("fatima", None).await?;
    let sanne = b.add_member("sanne", None).await?;
    b.follow_and_wait(&sanne, &fatima.ap_id).await?;
    let post = a.publish(&fatima, "Soep voor wie wil, zaterdag om twaalf", Visibility::Public).await?;
    eventually("node B receives the post", || async { b.post(&post.ap_id).await }).await?;

    // B's Follow reached A signed RFC 9421 (verified there), A's Accept and Create reached B so.
    for (node, peer, name) in [(&a, &b, "A about B"), (&b, &a, "B about A")] {
        let known = eventually(&format!("{name}: an RFC 9421 request verified"), || async {
            Ok(memory(node, peer).await?.filter(|m| m.rfc9421_received_at.is_some() && m.outgoing_style.is_some()))
        })
        .await?;
        assert_eq!(known.outgoing_style.as_deref(), Some("rfc9421"), "{name}: our RFC 9421 requests were taken: {known:?}");
    }
    // (Remembered as "rfc9421" only when the first, RFC 9421 attempt was taken.)
    let (pending, delivered, failed) = a.delivery_counts().await?;
    assert_eq!((pending, delivered, failed), (0, 2, 0), "A's Accept and Create delivered");
    Ok(())
}

/// What the cavage-only peer saw: the signature style of each POST, in order.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<&'static str>>>);

impl Seen {
    fn styles(&self) -> Vec<&'static str> {
        self.0.lock().expect("seen lock").clone()
    }
}

/// A peer like Mastodon before 4.5: 401 for an RFC 9421 signature, 202 for draft-cavage.
async fn cavage_only_peer() -> Result<(String, Seen)> {
    let seen = Seen::default();
    let log = seen.clone();
    let app = axum::Router::new().fallback(move |headers: axum::http::HeaderMap| {
        let log = log.clone();
        async move {
            let rfc9421 = headers.contains_key("signature-input");
            log.0.lock().expect("seen lock").push(if rfc9421 { "rfc9421" } else { "cavage" });
            if rfc9421 { axum::http::StatusCode::UNAUTHORIZED } else { axum::http::StatusCode::ACCEPTED }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://localhost:{}", listener.local_addr()?.port());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((base, seen))
}

/// The first delivery knocks twice (RFC 9421, refused; draft-cavage, taken); the peer is
/// remembered as cavage-only, so later deliveries, also after a restart, knock once.
async fn a_peer_refusing_rfc9421_gets_the_double_knock_and_is_remembered(backend: Backend) -> Result<()> {
    let mut a = TestNode::start(backend).await?;
    let fatima = a.add_member("fatima", None).await?;
    let (peer, seen) = cavage_only_peer().await?;
    add_stand_in_follower(a.store(), &format!("{peer}/users/piet"), &fatima).await?;
    let peer_host = host_of(&url::Url::parse(&peer)?);

    a.publish(&fatima, "Eerste bericht", Visibility::Public).await?;
    eventually("the first delivery knocks twice", || async { Ok((seen.styles().len() >= 2).then_some(())) }).await?;
    assert_eq!(seen.styles(), ["rfc9421", "cavage"], "RFC 9421 first, then the same request signed draft-cavage");
    let known = eventually("the peer is remembered as cavage-only", || async {
        Ok(store::peer_signatures::get(&mut a.store().conn().await?, &peer_host).await?.filter(|m| m.outgoing_style.is_some()))
    })
    .await?;
    assert_eq!(known.outgoing_style.as_deref(), Some("cavage"));

    a.publish(&fatima, "Tweede bericht", Visibility::Public).await?;
    eventually("the second delivery", || async { Ok((seen.styles().len() >= 3).then_some(())) }).await?;
    a.restart().await?;
    a.publish(&fatima, "Derde bericht, na een herstart", Visibility::Public).await?;
    eventually("the third delivery", || async { Ok((seen.styles().len() >= 4).then_some(())) }).await?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(seen.styles(), ["rfc9421", "cavage", "cavage", "cavage"], "once remembered, only draft-cavage");
    let (pending, delivered, failed) = a.delivery_counts().await?;
    assert_eq!((pending, delivered, failed), (0, 3, 0), "every delivery made, none left to retry");
    Ok(())
}

/// Node B, its member Sanne, and two members of node A whose signatures B can check.
struct Attack {
    a: TestNode,
    b: TestNode,
    fatima: Actor,
    mallory: Actor,
    sanne: Actor,
}

async fn attack(backend: Backend) -> Result<Attack> {
    let a = TestNode::start(backend).await?;
    let b = TestNode::start(backend).await?;
    let fatima = a.add_member("fatima", None).await?;
    let mallory = a.add_member("mallory", None).await?;
    let sanne = b.add_member("sanne", None).await?;
    Ok(Attack { a, b, fatima, mallory, sanne })
}

/// A direct message from Fatima to Sanne (number `n`, so each attempt has its own ids).
fn message(s: &Attack, n: u32) -> Vec<u8> {
    let note = format!("{}/notes/rfc9421-{n}", s.fatima.ap_id);
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{note}/activity"), "type": "Create", "actor": s.fatima.ap_id, "to": [s.sanne.ap_id],
        "object": {"id": note, "type": "Note", "attributedTo": s.fatima.ap_id, "to": [s.sanne.ap_id],
                   "content": format!("Bericht {n}: stuur je pincode even naar mij."), "published": "2026-12-06T10:00:00Z"}
    })
    .to_string()
    .into_bytes()
}

/// POSTs `body` with `headers` (their `host` left to the client) to `url`: status and
/// whether the answer says what an RFC 9421 signature must cover.
async fn send(url: &str, headers: &[(String, String)], body: Vec<u8>) -> Result<(u16, bool)> {
    let mut request = reqwest::Client::new().post(url).header("content-type", "application/activity+json").body(body);
    for (name, value) in headers.iter().filter(|(name, _)| name != "host") {
        request = request.header(name.as_str(), value.as_str());
    }
    let response = request.send().await?;
    Ok((response.status().as_u16(), response.headers().get("accept-signature").is_some()))
}

/// Signs `body` for `target` as `actor`, covering `components` (our own choice when `None`),
/// made `age` seconds ago.
fn signed(actor: &Actor, target: &str, body: &[u8], components: Option<&[&str]>, age: i64) -> Result<Vec<(String, String)>> {
    let target = url::Url::parse(target)?;
    let mut headers = BTreeMap::from([("host".to_string(), host_of(&target))]);
    let components = components.unwrap_or(&["@method", "@target-uri", "@authority", "content-digest"]);
    let created = chrono::Utc::now().timestamp() - age;
    signer_of(actor).sign_rfc9421_covering("POST", &target, &mut headers, Some(body), components, created)?;
    Ok(headers.into_iter().collect())
}

async fn nothing_stored(s: &Attack, n: u32) -> Result<()> {
    let note = format!("{}/notes/rfc9421-{n}", s.fatima.ap_id);
    assert!(s.b.post(&note).await?.is_none(), "message {n} must not be stored");
    let mut conn = s.b.store().conn().await?;
    assert!(store::notifications::for_recipient(&mut conn, s.sanne.id, 50).await?.is_empty(), "nobody may be notified");
    Ok(())
}

/// Each attack answers 401 (with `Accept-Signature`) and stores nothing; the same message
/// signed properly is then taken, so the refusals were the checks' doing.
async fn rfc9421_attacks_fail_and_change_nothing(backend: Backend) -> Result<()> {
    let s = attack(backend).await?;
    let inbox = format!("{}/inbox", s.b.base_url());
    let refused = |what: &'static str, answer: (u16, bool)| {
        assert_eq!(answer, (401, true), "{what}: must be refused with Accept-Signature");
    };

    // A captured signature replayed with another body, with its Content-Digest or a new one.
    let headers = signed(&s.fatima, &inbox, &message(&s, 0), None, 0)?;
    refused("changed body", send(&inbox, &headers, message(&s, 1)).await?);
    let mut redigested = headers.clone();
    redigested.retain(|(name, _)| name != "content-digest");
    redigested.push(("content-digest".into(), buurtnet_federation::signatures::rfc9421::content_digest_header(&message(&s, 1))));
    refused("changed body and Content-Digest", send(&inbox, &redigested, message(&s, 1)).await?);

    let other_server = format!("{}/inbox", s.a.base_url());
    refused("made for another server", send(&inbox, &signed(&s.fatima, &other_server, &message(&s, 1), None, 0)?, message(&s, 1)).await?);
    refused("created two hours ago", send(&inbox, &signed(&s.fatima, &inbox, &message(&s, 1), None, 7200)?, message(&s, 1)).await?);
    let mut undigested = signed(&s.fatima, &inbox, &message(&s, 1), Some(&["@method", "@target-uri", "@authority"]), 0)?;
    undigested.retain(|(name, _)| name != "content-digest");
    refused("no Content-Digest", send(&inbox, &undigested, message(&s, 1)).await?);
    for (what, components) in [
        ("@method not covered", &["@target-uri", "@authority", "content-digest"][..]),
        ("@target-uri not covered", &["@method", "@authority", "content-digest"][..]),
    ] {
        refused(what, send(&inbox, &signed(&s.fatima, &inbox, &message(&s, 1), Some(components), 0)?, message(&s, 1)).await?);
    }
    let mut twice = signed(&s.fatima, &inbox, &message(&s, 1), None, 0)?;
    let input = twice.iter().find(|(name, _)| name == "signature-input").cloned().expect("signed");
    twice.push(input);
    refused("two Signature-Input headers", send(&inbox, &twice, message(&s, 1)).await?);
    refused("signed with another actor's key", send(&inbox, &signed(&s.mallory, &inbox, &message(&s, 1), None, 0)?, message(&s, 1)).await?);
    nothing_stored(&s, 1).await?;

    let good = send(&inbox, &signed(&s.fatima, &inbox, &message(&s, 1), None, 0)?, message(&s, 1)).await?;
    assert_eq!(good.0, 202, "the message signed properly is taken");
    assert!(s.b.post(&format!("{}/notes/rfc9421-1", s.fatima.ap_id)).await?.is_some(), "and stored");
    Ok(())
}

/// GETs `url` with `headers` (their `host` left to the client): the status.
async fn get(url: &str, headers: &BTreeMap<String, String>) -> Result<u16> {
    let mut request = reqwest::Client::new().get(url).header("accept", "application/activity+json");
    for (name, value) in headers.iter().filter(|(name, _)| name.as_str() != "host") {
        request = request.header(name.as_str(), value.as_str());
    }
    Ok(request.send().await?.status().as_u16())
}

/// With authorized fetch, an RFC 9421 signed GET is a reader's; one signed for another
/// server, for another path, without `@method`, or too old is refused.
async fn rfc9421_signed_gets_follow_the_same_rules(backend: Backend) -> Result<()> {
    let s = attack(backend).await?;
    let mut b = s.b;
    b.stop().await;
    b.config.federation.authorized_fetch = true;
    b.restart().await?;
    let signer = signer_of(&s.fatima);
    let outbox = url::Url::parse(&format!("{}/outbox?page=1", s.sanne.ap_id))?;
    let signed = |target: &url::Url, components: &[&str], age: i64| -> Result<BTreeMap<String, String>> {
        let mut headers = BTreeMap::from([("host".to_string(), host_of(target))]);
        signer.sign_rfc9421_covering("GET", target, &mut headers, None, components, chrono::Utc::now().timestamp() - age)?;
        Ok(headers)
    };
    let ours = ["@method", "@target-uri", "@authority"];
    assert_eq!(get(outbox.as_str(), &BTreeMap::new()).await?, 401, "unsigned, with authorized fetch");
    let refused = reqwest::Client::new().get(outbox.as_str()).header("accept", "application/activity+json").send().await?;
    let asked = refused.headers().get("accept-signature").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(asked.contains("\"@method\"") && asked.contains("\"@target-uri\""), "the 401 says what to sign: {asked:?}");
    assert!(!asked.contains("content-digest"), "a GET has no body to digest: {asked}");
    assert_eq!(get(outbox.as_str(), &signed(&outbox, &ours, 0)?).await?, 200, "signed RFC 9421 for this node");
    let elsewhere = url::Url::parse(&format!("{}/users/sanne/outbox?page=1", s.a.base_url()))?;
    assert_eq!(get(outbox.as_str(), &signed(&elsewhere, &ours, 0)?).await?, 401, "signed for another server");
    let first_page = url::Url::parse(&format!("{}/outbox", s.sanne.ap_id))?;
    assert_eq!(get(outbox.as_str(), &signed(&first_page, &ours, 0)?).await?, 401, "signed for another target");
    assert_eq!(get(outbox.as_str(), &signed(&outbox, &["@target-uri"], 0)?).await?, 401, "@method not covered");
    let unqueried = signed(&outbox, &["@method", "@path", "@authority"], 0)?;
    assert_eq!(get(outbox.as_str(), &unqueried).await?, 401, "@path without @query when there is a query");
    assert_eq!(get(outbox.as_str(), &signed(&outbox, &ours, 7200)?).await?, 401, "created two hours ago");
    Ok(())
}

buurtnet_tests::on_both_backends!(
    two_nodes_deliver_to_each_other_with_rfc9421,
    a_peer_refusing_rfc9421_gets_the_double_knock_and_is_remembered,
    rfc9421_attacks_fail_and_change_nothing,
    rfc9421_signed_gets_follow_the_same_rules,
);
