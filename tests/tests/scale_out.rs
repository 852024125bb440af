//! Several `buurtnet serve` processes of one node on one PostgreSQL database, behind a plain
//! round-robin reverse proxy (issue 18): logins, tokens, the sums on forms, the wrong-password
//! slow-down and streaming work whichever process answers; each delivery goes out once; the
//! deliveries of one object to one peer keep their order; a process killed mid-way loses
//! nothing. PostgreSQL only: several processes sharing a node need a database server they all
//! reach, and SQLite is one file served by one process (docs/operations.md).

use anyhow::{Context as _, Result};
use axum::extract::State;
use axum::http::StatusCode;
use buurtnet_domain::model::{Actor, Visibility};
use buurtnet_domain::ops::posts::PostDraft;
use buurtnet_domain::urls::LocalUrls;
use buurtnet_domain::{Store, ops, store};
use buurtnet_tests::harness::{PASSWORD, add_stand_in_follower, eventually};
use buurtnet_tests::pages::PageVisitor;
use buurtnet_tests::process::NodeProcess;
use buurtnet_tests::proxy::RoundRobinProxy;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::process::Child;

/// Two processes of one node, the proxy in front of them and the node's database.
struct ScaleOut {
    proxy: RoundRobinProxy,
    first: NodeProcess,
    second: NodeProcess,
    running: Vec<Child>,
    store: Store,
    urls: LocalUrls,
}

impl ScaleOut {
    /// The node with member `fatima` and initiative `zorg`, its processes not started yet.
    async fn prepare() -> Result<ScaleOut> {
        let proxy = RoundRobinProxy::start().await?;
        let name = format!("scale_out_{}", rand_suffix());
        let database_url = buurtnet_tests::pg::shared().create_database(&name)?;
        let config = format!(
            "database_url = \"{database_url}\"\n[web]\ntrusted_proxies = [\"127.0.0.1\"]\n\
             [federation.delivery]\nretry_base_ms = 200\nretry_max_ms = 1000\n"
        );
        let domain = format!("localhost:{}", proxy.port);
        let first = NodeProcess::behind(&domain, &config)?;
        let second = first.another_process()?;
        proxy.forward_to(&[first.port, second.port]);
        first.add_member("fatima").await?;
        let added = first.command(&["initiative", "add", "zorg", "--name", "Zorg"]).output().await?;
        anyhow::ensure!(added.status.success(), "initiative add: {}", String::from_utf8_lossy(&added.stderr));
        let store = Store::connect(&database_url).await?;
        let urls = LocalUrls::new(&domain, false)?;
        Ok(ScaleOut { proxy, first, second, running: Vec::new(), store, urls })
    }

    /// The node with both processes serving.
    async fn start() -> Result<ScaleOut> {
        let mut node = ScaleOut::prepare().await?;
        node.running.push(node.first.serve().await?);
        node.running.push(node.second.serve().await?);
        Ok(node)
    }

    async fn fatima(&self) -> Result<Actor> {
        store::actors::local_by_username(&mut self.store.conn().await?, "fatima").await?.context("fatima")
    }

    /// Publishes as a writer on the same database would (the workers find it when they poll).
    async fn publish(&self, text: &str) -> Result<buurtnet_domain::model::Post> {
        let author = self.fatima().await?;
        let draft = PostDraft::plain(text, Visibility::Public, vec![]);
        Ok(ops::posts::publish(&self.store, &self.urls, &author, &author, &draft).await?)
    }

    /// (pending, delivered, failed) deliveries.
    async fn deliveries(&self) -> Result<(i64, i64, i64)> {
        Ok(store::deliveries::counts(&mut self.store.conn().await?).await?)
    }

    /// Waits until the outbox became `count` deliveries in all.
    async fn deliveries_made(&self, count: i64) -> Result<()> {
        eventually(&format!("{count} deliveries"), || async {
            let (pending, delivered, failed) = self.deliveries().await?;
            Ok((pending + delivered + failed >= count).then_some(()))
        })
        .await
    }

    /// Waits until every delivery is made, none given up.
    async fn all_delivered(&self) -> Result<()> {
        eventually("every delivery made", || async {
            let (pending, _, failed) = self.deliveries().await?;
            anyhow::ensure!(failed == 0, "no delivery given up");
            Ok((pending == 0).then_some(()))
        })
        .await
    }
}

fn rand_suffix() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
    format!("{:x}", nanos % 0xffff_ffff_ffff)
}

/// A client that opens a connection for each request, so the proxy sends consecutive
/// requests to alternate processes.
fn fresh_connections() -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder().pool_max_idle_per_host(0).redirect(reqwest::redirect::Policy::none()).build()?)
}

/// A peer that keeps, in the order it accepted them, the activities the node delivers to it.
/// It takes a while over each `Create` and, when told, refuses the first `Create` of each
/// object (503), as a peer that is busy for a moment does.
#[derive(Clone, Default)]
struct CountingPeer {
    shared: Arc<PeerState>,
}

#[derive(Default)]
struct PeerState {
    accepted: Mutex<Vec<(String, String)>>,
    refused_once: Mutex<Vec<String>>,
    refuse_first_create: bool,
    answer_after: Duration,
}

impl CountingPeer {
    async fn start(answer_after: Duration, refuse_first_create: bool) -> Result<(CountingPeer, u16)> {
        let peer = CountingPeer { shared: Arc::new(PeerState { answer_after, refuse_first_create, ..PeerState::default() }) };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let app = axum::Router::new().fallback(take).with_state(peer.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok((peer, port))
    }

    /// (type, object id) of what it accepted, in order.
    fn accepted(&self) -> Vec<(String, String)> {
        self.shared.accepted.lock().expect("accepted").clone()
    }

    /// How many times it accepted each object's `Create`.
    fn creates(&self) -> BTreeMap<String, usize> {
        let mut counted = BTreeMap::new();
        for (_, object) in self.accepted().into_iter().filter(|(kind, _)| kind == "Create") {
            *counted.entry(object).or_insert(0) += 1;
        }
        counted
    }
}

async fn take(State(peer): State<CountingPeer>, body: String) -> StatusCode {
    let Ok(activity) = serde_json::from_str::<Value>(&body) else { return StatusCode::NOT_FOUND };
    let kind = activity["type"].as_str().unwrap_or_default().to_string();
    let object = match &activity["object"] {
        Value::String(id) => id.clone(),
        object => object["id"].as_str().unwrap_or_default().to_string(),
    };
    let state = &peer.shared;
    if kind == "Create" {
        tokio::time::sleep(state.answer_after).await;
        let mut refused = state.refused_once.lock().expect("refused");
        if state.refuse_first_create && !refused.contains(&object) {
            refused.push(object);
            return StatusCode::SERVICE_UNAVAILABLE;
        }
    }
    state.accepted.lock().expect("accepted").push((kind, object));
    StatusCode::ACCEPTED
}

/// A member logged in through the proxy stays logged in whichever process answers; a token
/// made through one process works on the other; a sum on a form shown by one process is
/// answered to the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_tokens_and_forms_work_whichever_process_answers() -> Result<()> {
    let node = ScaleOut::start().await?;
    let mut visitor = PageVisitor::new(&node.proxy.base_url())?;
    visitor.log_in("fatima", PASSWORD).await?;
    let before = node.proxy.served().len();
    for _ in 0..4 {
        let page = visitor.get("/meldingen").await?;
        assert_eq!(page.status, reqwest::StatusCode::OK, "logged in on whichever process: {}", page.body);
    }
    let served = node.proxy.served()[before..].to_vec();
    assert!(served.contains(&node.first.port) && served.contains(&node.second.port), "both processes answered: {served:?}");

    // The app is registered through one process and the token asked of the other.
    let bearer = buurtnet_tests::app::bearer(&node.proxy.base_url(), "fatima", "read write").await?;
    for process in [&node.first, &node.second] {
        let me = reqwest::Client::new()
            .get(format!("{}/api/v1/accounts/verify_credentials", process.base_url()))
            .header("authorization", &bearer)
            .send()
            .await?;
        assert_eq!(me.status(), reqwest::StatusCode::OK, "the token works on the process at {}", process.port);
    }

    // "Vraag het ons": the page from one process, the answer to the other.
    let mut asker = PageVisitor::new(&node.proxy.base_url())?;
    let page = asker.get("/initiatives/zorg").await?;
    let shown_by = *node.proxy.served().last().context("served")?;
    let (token, answer) = token_and_answer(&page.body)?;
    let csrf = page.csrf()?;
    let form = [
        ("name", "Annie"),
        ("contact", "06-12345678"),
        ("question", "Wie helpt mij met de boodschappen?"),
        ("csrf", csrf.as_str()),
        ("token", token.as_str()),
        ("answer", answer.as_str()),
    ];
    let sent = asker.post("/initiatives/zorg/vraag-het-ons", &form).await?;
    let answered_by = *node.proxy.served().last().context("served")?;
    assert_ne!(shown_by, answered_by, "the form went to the other process");
    assert_eq!(sent.status, reqwest::StatusCode::OK, "{}", sent.body);
    assert!(sent.body.contains("Je vraag is verstuurd"), "the sum holds on the other process: {}", sent.body);
    Ok(())
}

/// The form's sum token and its answer, read from the page as a person would.
fn token_and_answer(body: &str) -> Result<(String, String)> {
    let start = body.find("name=\"token\" value=\"").context("the form has a sum token")? + 20;
    let token = body[start..].split('"').next().unwrap_or_default().to_string();
    let sum = body.split("Hoeveel is ").nth(1).context("the form asks a sum")?;
    let (left, rest) = sum.split_once(" plus ").context("a sum")?;
    let right = rest.split('?').next().unwrap_or_default();
    Ok((token, (left.trim().parse::<u32>()? + right.trim().parse::<u32>()?).to_string()))
}

/// A guesser whose tries alternate between the processes is slowed down after the free
/// tries all the same, even with the right password; the owner, elsewhere, is not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_are_slowed_down_whichever_process_answers() -> Result<()> {
    let node = ScaleOut::start().await?;
    let client = fresh_connections()?;
    let app: Value = client
        .post(format!("{}/api/v1/apps", node.proxy.base_url()))
        .json(&json!({"client_name": "raden", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read"}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let try_password = async |from: &str, password: &str| -> Result<reqwest::StatusCode> {
        let form = [
            ("grant_type", "password"),
            ("client_id", app["client_id"].as_str().unwrap_or_default()),
            ("client_secret", app["client_secret"].as_str().unwrap_or_default()),
            ("username", "fatima"),
            ("password", password),
            ("scope", "read"),
        ];
        let url = format!("{}/oauth/token", node.proxy.base_url());
        Ok(client.post(url).header("x-forwarded-for", from).form(&form).send().await?.status())
    };
    let guesser = "203.0.113.9";
    let before = node.proxy.served().len();
    for attempt in 0..buurtnet_web::limits::FREE_FAILURES {
        let status = try_password(guesser, &format!("geraden-{attempt}")).await?;
        assert_eq!(status, reqwest::StatusCode::BAD_REQUEST, "a wrong password, not yet slowed down");
    }
    let served = node.proxy.served()[before..].to_vec();
    assert!(served.contains(&node.first.port) && served.contains(&node.second.port), "both processes counted: {served:?}");
    for _ in 0..2 {
        let status = try_password(guesser, PASSWORD).await?;
        assert_eq!(status, reqwest::StatusCode::TOO_MANY_REQUESTS, "the guesser waits, whichever process answers");
    }
    assert_eq!(try_password("198.51.100.7", PASSWORD).await?, reqwest::StatusCode::OK, "the owner elsewhere does not wait");
    Ok(())
}

/// A streaming connection to one process hears of a post made through the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_on_one_process_sees_a_post_made_through_the_other() -> Result<()> {
    let node = ScaleOut::start().await?;
    let bearer = buurtnet_tests::app::bearer(&node.proxy.base_url(), "fatima", "read write").await?;
    let client = reqwest::Client::new();
    let mut stream = client.get(format!("{}/api/v1/streaming/user", node.first.base_url())).header("authorization", &bearer).send().await?;
    assert_eq!(stream.status(), reqwest::StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let posted = client
        .post(format!("{}/api/v1/statuses", node.second.base_url()))
        .header("authorization", &bearer)
        .json(&json!({"status": "Gepost bij de tweede, gehoord bij de eerste"}))
        .send()
        .await?;
    assert_eq!(posted.status(), reqwest::StatusCode::OK);
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while !(seen.contains("event: update") && seen.contains("Gepost bij de tweede")) {
        let chunk = tokio::time::timeout_at(deadline, stream.chunk()).await.context("no update within 15 s")??.context("stream ended")?;
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    Ok(())
}

/// Many posts to a follower elsewhere, with a second process starting while the first is
/// sending: each `Create` reaches the follower exactly once. (A process that started used to
/// free every lease, so it sent again what the other one was sending.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_delivery_goes_out_once_also_when_a_process_starts_while_another_sends() -> Result<()> {
    let (peer, peer_port) = CountingPeer::start(Duration::from_millis(2000), false).await?;
    let mut node = ScaleOut::prepare().await?;
    add_stand_in_follower(&node.store, &format!("http://localhost:{peer_port}/users/lezer"), &node.fatima().await?).await?;
    node.running.push(node.first.serve().await?);
    let mut posts = Vec::new();
    for i in 0..40 {
        posts.push(node.publish(&format!("Bericht {i} aan de volger")).await?.ap_id);
    }
    eventually("the first process is sending", || async {
        Ok((!store::deliveries::leased(&mut node.store.conn().await?).await?.is_empty()).then_some(()))
    })
    .await?;
    node.running.push(node.second.serve().await?);
    node.all_delivered().await?;
    let creates = peer.creates();
    for post in &posts {
        assert_eq!(creates.get(post), Some(&1), "each post arrived once: {post}");
    }
    Ok(())
}

/// A post's `Create`, `Update` and `Delete` reach a follower in that order, though both
/// processes send in parallel, the follower is slow to take each `Create` and refuses the
/// first try of each (so the `Update` waits for the retry).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_update_and_delete_of_one_post_arrive_in_order() -> Result<()> {
    let (peer, peer_port) = CountingPeer::start(Duration::from_millis(1500), true).await?;
    let node = ScaleOut::prepare().await?;
    let fatima = node.fatima().await?;
    add_stand_in_follower(&node.store, &format!("http://localhost:{peer_port}/users/lezer"), &fatima).await?;
    let mut node = node;
    node.running.push(node.first.serve().await?);
    node.running.push(node.second.serve().await?);
    let mut posts = Vec::new();
    for i in 0..3 {
        // Each change once the one before it became deliveries (a post deleted before its
        // `Create` is planned sends only the `Delete`).
        let post = node.publish(&format!("Bericht {i}, zo geschreven")).await?;
        node.deliveries_made(3 * i + 1).await?;
        ops::posts::edit(&node.store, &fatima, post.id, &format!("Bericht {i}, verbeterd"), None).await?;
        node.deliveries_made(3 * i + 2).await?;
        ops::posts::delete(&node.store, &fatima, post.id).await?;
        posts.push(post.ap_id);
    }
    node.all_delivered().await?;
    let accepted = peer.accepted();
    for post in &posts {
        let kinds: Vec<&str> = accepted.iter().filter(|(_, object)| object == post).map(|(kind, _)| kind.as_str()).collect();
        assert_eq!(kinds, ["Create", "Update", "Delete"], "in the order they were made: {post}");
    }
    Ok(())
}

/// One of the two processes killed (SIGKILL) while it sends: the other sends what it left,
/// and what is posted after the kill, through the same proxy; nothing is lost or given up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_process_loses_nothing() -> Result<()> {
    let (peer, peer_port) = CountingPeer::start(Duration::from_millis(300), false).await?;
    let node = ScaleOut::prepare().await?;
    add_stand_in_follower(&node.store, &format!("http://localhost:{peer_port}/users/lezer"), &node.fatima().await?).await?;
    let mut node = node;
    node.running.push(node.first.serve().await?);
    node.running.push(node.second.serve().await?);
    let bearer = buurtnet_tests::app::bearer(&node.proxy.base_url(), "fatima", "read write").await?;
    let client = fresh_connections()?;
    let mut posts = Vec::new();
    let mut post_through_proxy = async |text: String| -> Result<()> {
        let url = format!("{}/api/v1/statuses", node.proxy.base_url());
        let status: Value = client
            .post(url)
            .header("authorization", &bearer)
            .json(&json!({"status": text}))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        posts.push(status["uri"].as_str().context("uri")?.to_string());
        Ok(())
    };
    for i in 0..30 {
        post_through_proxy(format!("Voor de klap {i}")).await?;
    }
    eventually("some deliveries are made and some are being sent", || async {
        let leased = store::deliveries::leased(&mut node.store.conn().await?).await?;
        Ok((!peer.creates().is_empty() && !leased.is_empty()).then_some(()))
    })
    .await?;
    let mut killed = node.running.remove(0);
    killed.start_kill()?;
    killed.wait().await?;
    for i in 0..10 {
        post_through_proxy(format!("Na de klap {i}")).await?;
    }
    node.all_delivered().await?;
    let creates = peer.creates();
    for post in &posts {
        assert!(creates.contains_key(post), "every post arrived: {post}");
    }
    Ok(())
}
