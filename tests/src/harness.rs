//! Real nodes for scenario tests: each on its own port (bound to 127.0.0.1:0 first, so the
//! domain `localhost:PORT` is known before start), with its own database, in development
//! mode, with fast retries. Local actions go through the domain's use cases, as pages and the
//! Mastodon API will; everything between nodes crosses HTTP.

use anyhow::{Context as _, Result};
use buurtnet::Node;
use buurtnet::config::Config;
use buurtnet_domain::model::{Actor, Post, Visibility};
use buurtnet_domain::ops::actors::{InitiativeDraft, MemberDraft, ROLE_COORDINATOR};
use buurtnet_domain::ops::posts::PostDraft;
use buurtnet_domain::{Store, ops, store};
use buurtnet_federation::keys;
use std::future::Future;
use std::time::Duration;
use tempfile::TempDir;

/// Which database a test node uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How long scenario tests wait for something to cross the network.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// The database URL for a new node: a file in `dir`, or a fresh PostgreSQL database.
pub fn database_url(backend: Backend, dir: &TempDir) -> Result<String> {
    Ok(match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.path().join("buurtnet.db").display()),
        Backend::Postgres => {
            let name = format!("node_{:016x}", rand_u64());
            crate::pg::shared().create_database(&name)?
        }
    })
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
    h.finish()
}

/// Settings for a test node: development mode, retries after 200 ms (doubling).
pub fn test_config(port: u16, dir: &TempDir, database_url: String) -> Config {
    let mut config = Config {
        domain: format!("localhost:{port}"),
        listen: format!("127.0.0.1:{port}"),
        data_dir: dir.path().to_path_buf(),
        database_url: Some(database_url),
        dev: true,
        ..Config::default()
    };
    config.federation.delivery.retry_base_ms = 200;
    config.federation.delivery.retry_max_ms = 2_000;
    config
}

/// The password of every account a test adds.
pub const PASSWORD: &str = "geheim-wachtwoord";

/// A node started by a test. Stopping it keeps its data, so it can start again.
pub struct TestNode {
    pub node: Option<Node>,
    pub config: Config,
    pub port: u16,
    _dir: TempDir,
}

impl TestNode {
    pub async fn start(backend: Backend) -> Result<TestNode> {
        TestNode::start_with(backend, |_| {}).await
    }

    /// Starts a node with the test settings changed by `adjust` first.
    pub async fn start_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Result<TestNode> {
        let dir = tempfile::tempdir()?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let mut config = test_config(port, &dir, database_url(backend, &dir)?);
        adjust(&mut config);
        let node = buurtnet::start(&config, listener).await?;
        Ok(TestNode { node: Some(node), config, port, _dir: dir })
    }

    fn running(&self) -> &Node {
        self.node.as_ref().expect("node is running")
    }

    /// The node's federation context, for work outside a request (what the CLI does).
    pub fn context(&self) -> buurtnet_federation::Context {
        self.running().context()
    }

    pub fn store(&self) -> &Store {
        &self.running().state().store
    }

    pub fn base_url(&self) -> String {
        format!("http://localhost:{}", self.port)
    }

    /// Stops the node as a crash would: in-flight work stays in the database.
    pub async fn stop(&mut self) {
        if let Some(node) = self.node.take() {
            node.stop().await;
        }
    }

    /// Starts the node again on the same port and database.
    pub async fn restart(&mut self) -> Result<()> {
        self.stop().await;
        let listener = bind_again(&self.config.listen).await?;
        self.node = Some(buurtnet::start(&self.config, listener).await?);
        Ok(())
    }

    pub async fn add_initiative(&self, slug: &str, approve_followers: bool) -> Result<Actor> {
        let state = self.running().state();
        let draft = InitiativeDraft {
            slug: slug.into(),
            name: format!("Initiatief {slug}"),
            summary: String::new(),
            manually_approves_followers: approve_followers,
        };
        Ok(ops::actors::add_initiative(&state.store, &state.urls, &draft, &keys::generate()).await?)
    }

    /// An administrator of the node, coordinator of `initiative`.
    pub async fn add_admin(&self, username: &str, initiative: &Actor) -> Result<Actor> {
        self.add_account(username, Some(initiative), true).await
    }

    /// A member; with `initiative`, as its coordinator.
    pub async fn add_member(&self, username: &str, initiative: Option<&Actor>) -> Result<Actor> {
        self.add_account(username, initiative, false).await
    }

    /// A member of `initiative` who does not coordinate it.
    pub async fn add_plain_member(&self, username: &str, initiative: &Actor) -> Result<Actor> {
        let member = self.add_member(username, None).await?;
        let mut tx = self.store().begin().await?;
        store::actors::add_initiative_member(&mut tx, initiative.id, member.id, ops::actors::ROLE_MEMBER).await?;
        tx.commit().await?;
        Ok(member)
    }

    async fn add_account(&self, username: &str, initiative: Option<&Actor>, is_admin: bool) -> Result<Actor> {
        let state = self.running().state();
        let draft = MemberDraft {
            username: username.into(),
            display_name: username.to_uppercase(),
            password: PASSWORD.into(),
            email: None,
            is_admin,
            initiative: initiative.map(|i| (i.username.clone(), ROLE_COORDINATOR.to_string())),
        };
        Ok(ops::actors::add_member(&state.store, &state.urls, &draft, &keys::generate()).await?)
    }

    /// Finds a remote actor over HTTP (and stores it), as a search would.
    pub async fn resolve(&self, ap_id: &str) -> Result<Actor> {
        buurtnet_federation::objects::actor::resolve(ap_id, &self.running().context())
            .await
            .map_err(|e| anyhow::anyhow!("resolving {ap_id}: {e}"))
    }

    /// `follower` (local) follows the actor `followee_ap_id` (anywhere).
    pub async fn follow(&self, follower: &Actor, followee_ap_id: &str) -> Result<()> {
        let followee = self.resolve(followee_ap_id).await?;
        let state = self.running().state();
        ops::follows::follow(&state.store, &state.urls, follower, &followee).await?;
        state.wake_delivery();
        Ok(())
    }

    /// Follows and waits until the followee's node has accepted.
    pub async fn follow_and_wait(&self, follower: &Actor, followee_ap_id: &str) -> Result<()> {
        self.follow(follower, followee_ap_id).await?;
        eventually("follow accepted", || async {
            Ok(self.follow_state(&follower.ap_id, followee_ap_id).await?.filter(|s| s == "accepted"))
        })
        .await?;
        Ok(())
    }

    pub async fn publish(&self, author: &Actor, text: &str, visibility: Visibility) -> Result<Post> {
        self.publish_as(author, author, text, visibility, vec![]).await
    }

    pub async fn publish_as(
        &self,
        member: &Actor,
        author: &Actor,
        text: &str,
        visibility: Visibility,
        recipients: Vec<String>,
    ) -> Result<Post> {
        let state = self.running().state();
        let draft = PostDraft::plain(text, visibility, recipients);
        let post = ops::posts::publish(&state.store, &state.urls, member, author, &draft).await?;
        state.wake_delivery();
        Ok(post)
    }

    pub async fn reply(&self, author: &Actor, in_reply_to: &str, text: &str) -> Result<Post> {
        let state = self.running().state();
        let draft = PostDraft { in_reply_to: Some(in_reply_to.into()), ..PostDraft::plain(text, Visibility::Public, vec![]) };
        let post = ops::posts::publish(&state.store, &state.urls, author, author, &draft).await?;
        state.wake_delivery();
        Ok(post)
    }

    pub async fn edit(&self, author: &Actor, post: &Post, text: &str) -> Result<Post> {
        let state = self.running().state();
        let post = ops::posts::edit(&state.store, author, post.id, text, None).await?;
        state.wake_delivery();
        Ok(post)
    }

    pub async fn delete(&self, author: &Actor, post: &Post) -> Result<()> {
        let state = self.running().state();
        ops::posts::delete(&state.store, author, post.id).await?;
        state.wake_delivery();
        Ok(())
    }

    /// The post with this id as this node holds it.
    pub async fn post(&self, ap_id: &str) -> Result<Option<Post>> {
        Ok(store::posts::by_ap_id(&mut self.store().conn().await?, ap_id).await?)
    }

    /// This node's copy of an actor by id.
    pub async fn actor(&self, ap_id: &str) -> Result<Option<Actor>> {
        Ok(store::actors::by_ap_id(&mut self.store().conn().await?, ap_id).await?)
    }

    /// The state of `follower`'s follow of `followee`, as this node sees it.
    pub async fn follow_state(&self, follower_ap_id: &str, followee_ap_id: &str) -> Result<Option<String>> {
        let mut conn = self.store().conn().await?;
        let (Some(follower), Some(followee)) =
            (store::actors::by_ap_id(&mut conn, follower_ap_id).await?, store::actors::by_ap_id(&mut conn, followee_ap_id).await?)
        else {
            return Ok(None);
        };
        Ok(store::follows::find(&mut conn, follower.id, followee.id).await?.map(|f| f.state.as_str().to_string()))
    }

    /// (pending, delivered, failed) deliveries.
    pub async fn delivery_counts(&self) -> Result<(i64, i64, i64)> {
        Ok(store::deliveries::counts(&mut self.store().conn().await?).await?)
    }
}

/// Binds the address a stopped node used; the port may take a moment to be free.
async fn bind_again(address: &str) -> Result<tokio::net::TcpListener> {
    let mut last_error = None;
    for _ in 0..50 {
        match tokio::net::TcpListener::bind(address).await {
            Ok(listener) => return Ok(listener),
            Err(e) => last_error = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(last_error.expect("tried")).with_context(|| format!("binding {address} again"))
}

/// Waits until `check` gives `Some`, polling, for at most [`PATIENCE`].
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>>>,
{
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        if let Some(value) = check().await? {
            return Ok(value);
        }
        if tokio::time::Instant::now() > deadline {
            anyhow::bail!("timed out waiting for: {what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Generates `sqlite` and `postgres` variants of a scenario `async fn(Backend) -> Result<()>`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() -> anyhow::Result<()> {
                    super::$name($crate::harness::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() -> anyhow::Result<()> {
                    super::$name($crate::harness::Backend::Postgres).await
                }
            )*
        }
    };
}

/// The `buurtnet` binary of this workspace, built first if needed (for scenarios that run a
/// node as a separate process).
pub fn buurtnet_binary() -> Result<std::path::PathBuf> {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().context("workspace")?.to_path_buf();
    let target = std::env::var_os("CARGO_TARGET_DIR").map(std::path::PathBuf::from).unwrap_or_else(|| workspace.join("target"));
    static BUILD: std::sync::Once = std::sync::Once::new();
    // `BUURTNET_PROFILE=release` runs the process tests (the soak, above all) on a release build.
    let release = std::env::var("BUURTNET_PROFILE").is_ok_and(|p| p == "release");
    let mut built = Ok(());
    BUILD.call_once(|| {
        let mut args = vec!["build", "-q", "-p", "buurtnet", "--bin", "buurtnet"];
        if release {
            args.push("--release");
        }
        let status = std::process::Command::new(env!("CARGO")).args(&args).current_dir(&workspace).status();
        built = match status {
            Ok(s) if s.success() => Ok(()),
            other => Err(anyhow::anyhow!("building the buurtnet binary failed: {other:?}")),
        };
    });
    built?;
    Ok(target.join(if release { "release" } else { "debug" }).join("buurtnet"))
}

/// Sends `body` to `inbox`, signed by `signer` (or unsigned when `None`).
pub async fn post_signed(
    inbox: &str,
    body: &[u8],
    signer: Option<&buurtnet_federation::signatures::Signer>,
    body_sent: Option<&[u8]>,
) -> Result<reqwest::StatusCode> {
    let url = url::Url::parse(inbox)?;
    let mut headers = std::collections::BTreeMap::from([
        ("host".to_string(), format!("{}:{}", url.host_str().unwrap_or_default(), url.port().unwrap_or(80))),
        ("content-type".to_string(), "application/activity+json".to_string()),
    ]);
    if let Some(signer) = signer {
        signer.sign("POST", url.path(), &mut headers, Some(body))?;
    }
    let mut request = reqwest::Client::new().post(url.clone()).body(body_sent.unwrap_or(body).to_vec());
    for (name, value) in &headers {
        if name != "host" {
            request = request.header(name.as_str(), value.as_str());
        }
    }
    Ok(request.send().await?.status())
}

/// GETs `url` signed by `signer` (or unsigned): the status and the body as JSON (null when
/// it is not JSON).
pub async fn get_signed(url: &str, signer: Option<&buurtnet_federation::signatures::Signer>) -> Result<(u16, serde_json::Value)> {
    let (status, body) = get_signed_text(url, signer).await?;
    Ok((status, serde_json::from_str(&body).unwrap_or(serde_json::Value::Null)))
}

/// Like [`get_signed`], with the body as the server wrote it.
pub async fn get_signed_text(url: &str, signer: Option<&buurtnet_federation::signatures::Signer>) -> Result<(u16, String)> {
    let parsed = url::Url::parse(url)?;
    let path = match parsed.query() {
        Some(q) => format!("{}?{q}", parsed.path()),
        None => parsed.path().to_string(),
    };
    let mut headers = std::collections::BTreeMap::from([("host".to_string(), buurtnet_federation::host_of(&parsed))]);
    if let Some(signer) = signer {
        signer.sign("GET", &path, &mut headers, None)?;
    }
    let mut request = reqwest::Client::new().get(parsed.clone()).header("accept", "application/activity+json");
    for (name, value) in headers.iter().filter(|(name, _)| name.as_str() != "host") {
        request = request.header(name.as_str(), value.as_str());
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    Ok((status, response.text().await?))
}

pub fn signer_of(actor: &Actor) -> buurtnet_federation::signatures::Signer {
    buurtnet_federation::signatures::Signer::from_pem(actor.public_key_id.clone(), actor.private_key_pem.as_deref().expect("local actor"))
        .expect("key parses")
}

/// A remote actor row as if fetched, for scenarios that need a peer which is not a node
/// (one that never answers, one at a forbidden address). Its key is a placeholder.
pub fn stand_in_remote_actor(ap_id: &url::Url) -> Result<buurtnet_domain::model::NewActor> {
    let origin = format!("{}://{}", ap_id.scheme(), buurtnet_federation::host_of(ap_id));
    Ok(buurtnet_domain::model::NewActor {
        inbox: ap_id.join("inbox")?,
        shared_inbox: Some(url::Url::parse(&format!("{origin}/inbox"))?),
        outbox: None,
        followers: Some(url::Url::parse(&format!("{ap_id}/followers"))?),
        following: None,
        url: None,
        public_key_id: format!("{ap_id}#main-key"),
        public_key_pem: "-".into(),
        private_key_pem: None,
        ed25519_public_multibase: None,
        ed25519_private_pkcs8: None,
        manually_approves_followers: false,
        kind: buurtnet_domain::model::ActorKind::Person,
        username: ap_id.path().rsplit('/').next().unwrap_or("peer").into(),
        domain: buurtnet_federation::host_of(ap_id),
        is_local: false,
        display_name: String::new(),
        summary: String::new(),
        ap_id: ap_id.clone(),
    })
}

/// A public post by the remote actor `author`, as a peer's `Create` would bring it, published
/// at `published` (milliseconds).
pub fn stand_in_remote_post(author: &Actor, number: usize, content: String, published: i64) -> buurtnet_domain::model::NewPost {
    buurtnet_domain::model::NewPost {
        ap_id: format!("{}/notes/{number}", author.ap_id),
        author_id: author.id,
        content,
        source: None,
        summary: None,
        visibility: Visibility::Public,
        in_reply_to: None,
        url: None,
        published,
        updated: None,
        is_local: false,
        recipients: vec![],
        language: Some("nl".into()),
    }
}

/// Stores a stand-in remote actor and makes it an accepted follower of `followee`.
pub async fn add_stand_in_follower(store: &Store, ap_id: &str, followee: &Actor) -> Result<Actor> {
    let id = url::Url::parse(ap_id)?;
    let mut tx = store.begin().await?;
    let follower = store::actors::upsert(&mut tx, &stand_in_remote_actor(&id)?).await?;
    store::follows::upsert(&mut tx, follower.id, followee.id, buurtnet_domain::model::FollowState::Accepted, &format!("{id}#follow"))
        .await?;
    tx.commit().await?;
    Ok(follower)
}

impl TestNode {
    /// Waits until `followee` has `count` accepted followers here.
    pub async fn eventually_follow(&self, followee: &Actor, count: i64) -> Result<()> {
        eventually(&format!("{count} followers of {}", followee.username), || async {
            let n = store::follows::count_followers(&mut self.store().conn().await?, followee.id).await?;
            Ok((n >= count).then_some(()))
        })
        .await
    }

    /// Waits until this node holds the event `ap_id` with its event fields (a post's fields
    /// are stored just after the post itself).
    pub async fn until_event(&self, ap_id: &str) -> Result<Post> {
        eventually(&format!("the event {ap_id} at {}", self.base_url()), || async {
            let Some(post) = self.post(ap_id).await? else { return Ok(None) };
            Ok(store::events::by_post_id(&mut self.store().conn().await?, post.id).await?.map(|_| post))
        })
        .await
    }
}

/// A need with this title, flexible in time, as a coordinator posts one for a resident.
pub fn sample_need(title: &str) -> buurtnet_domain::model::ProposalDraft {
    use buurtnet_domain::model::{ProposalDraft, Purpose, When};
    ProposalDraft {
        purpose: Purpose::Request,
        title: title.into(),
        description: "Een uurtje per week.".into(),
        category: "boodschappen".into(),
        neighbourhood: None,
        when: When::Flexible,
        expires_at: None,
    }
}

/// One initiative's seat in a coalition a test forms: its node, the initiative, and a
/// coordinator who acts for it.
pub type Seat<'a> = (&'a TestNode, &'a Actor, &'a Actor);

/// Forms a coalition the way coordinators would, with no objection period so that the test
/// need not wait a week: the first seat founds it (replica `delfshaven`), every other seat
/// applies through the founder's replica, the founder sponsors, the admission takes effect.
/// Returns once every seat's node computes the same members and hosts a replica. The
/// coalition's id.
pub async fn form_coalition(founder: Seat<'_>, others: &[Seat<'_>]) -> Result<String> {
    use buurtnet_domain::model::coalition::{Charter, OpKind};
    use buurtnet_federation::coalitions;
    let (home, initiative, coordinator) = founder;
    let home_node = home.node.as_ref().context("the founder's node runs")?;
    let charter = Charter {
        name: "Welzijnscoalitie Delfshaven".into(),
        description: "Samen zorgen".into(),
        sponsors_needed: 1,
        objection_days: 0,
        removal_percent: buurtnet_domain::model::coalition::MAJORITY,
        change_percent: buurtnet_domain::model::coalition::MAJORITY,
    };
    let coalition = coalitions::acting(&home_node.context()).found(coordinator, initiative, "delfshaven", charter).await?;
    let replica = url::Url::parse(&format!("{}/coalitions/delfshaven", home.base_url()))?;
    let mut members = std::collections::BTreeSet::from([initiative.ap_id.clone()]);
    for (node, candidate, candidate_coordinator) in others {
        let context = node.node.as_ref().context("the candidate's node runs")?.context();
        let (_, application) = coalitions::acting(&context).apply(candidate_coordinator, candidate, &replica).await?;
        eventually("the application reaches the founder", || async {
            Ok(ops::coalitions::state(home.store(), &coalition).await?.proposals.contains_key(&application.id).then_some(()))
        })
        .await?;
        coalitions::acting(&home_node.context())
            .act(coordinator, initiative, &coalition, OpKind::Sponsor { proposal: application.id.clone() })
            .await?;
        coalitions::acting(&home_node.context()).admit_due().await?;
        members.insert(candidate.ap_id.clone());
        // The founder pushes later operations to the replicas it knows: wait until it knows
        // the newcomer's, so that no member has to wait for a sync round to hear of the next.
        eventually("the founder hears of the newcomer's replica", || async {
            Ok(ops::coalitions::state(home.store(), &coalition).await?.replicas.contains_key(&candidate.ap_id).then_some(()))
        })
        .await?;
    }
    for node in std::iter::once(home).chain(others.iter().map(|seat| seat.0)) {
        eventually("every node computes the same members and hosts a replica", || async {
            let agrees = ops::coalitions::state(node.store(), &coalition).await?.members == members;
            let hosts = match ops::coalitions::local_replica(node.store(), &coalition).await? {
                // ... with the replica's actor, which is made just after.
                Some(slug) => store::actors::local_by_username(&mut node.store().conn().await?, &slug).await?.is_some(),
                None => false,
            };
            Ok((agrees && hosts).then_some(()))
        })
        .await?;
    }
    Ok(coalition)
}

/// Runs `sql` as it is on the store, as an older version, a damaged disk or time passing
/// would have left the rows; for tests that set the scene. No user input goes in.
pub async fn execute_sql(store: &Store, sql: &str) -> Result<u64> {
    use buurtnet_domain::store::{Handle as _, Raw};
    let mut conn = store.conn().await?;
    Ok(match conn.raw() {
        Raw::Sqlite(c) => sqlx::raw_sql(sql).execute(c).await?.rows_affected(),
        Raw::Postgres(c) => sqlx::raw_sql(sql).execute(c).await?.rows_affected(),
    })
}

/// Two nodes: on `home` an initiative with its administrator `fatima`, followed (accepted)
/// by a member on `away`.
pub struct FollowedInitiative {
    pub home: TestNode,
    pub away: TestNode,
    pub zorg: Actor,
    pub fatima: Actor,
    pub reader: Actor,
}

/// [`FollowedInitiative`] with the initiative `zorg` and the reader `lezer`.
pub async fn followed_initiative(backend: Backend) -> Result<FollowedInitiative> {
    followed_initiative_named(backend, "zorg", "lezer").await
}

/// [`FollowedInitiative`] with the initiative and the reader named.
pub async fn followed_initiative_named(backend: Backend, initiative: &str, reader: &str) -> Result<FollowedInitiative> {
    let home = TestNode::start(backend).await?;
    let away = TestNode::start(backend).await?;
    let zorg = home.add_initiative(initiative, false).await?;
    let fatima = home.add_admin("fatima", &zorg).await?;
    let reader = away.add_member(reader, None).await?;
    away.follow_and_wait(&reader, &zorg.ap_id).await?;
    Ok(FollowedInitiative { home, away, zorg, fatima, reader })
}
