//! # buurtnet (the node)
//!
//! Config, start-up and wiring; no business logic. [`start`] opens the store, makes sure the
//! instance actor exists, builds the federation state, serves the web router and runs the
//! delivery worker and, with `[mail]` settings, the mail worker. Nothing is global, so tests run several nodes in one process.

pub mod backup;
pub mod config;
pub mod demo;
pub mod handing_over;
pub mod mail;
pub mod moving;
pub mod server;

use anyhow::{Context as _, Result};
use buurtnet_domain::model::Actor;
use buurtnet_domain::urls::LocalUrls;
use buurtnet_domain::{Store, ops};
use buurtnet_federation::deliver::Stopping;
use buurtnet_federation::state::Federation;
use buurtnet_federation::{Context, FederationState, keys};
use config::Config;
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The node's URLs from its config (`https` unless in development mode).
pub fn local_urls(config: &Config) -> Result<LocalUrls> {
    LocalUrls::new(&config.domain, !config.dev).with_context(|| format!("domain {:?}", config.domain))
}

/// Opens (and migrates) the node's database.
pub async fn open_store(config: &Config) -> Result<Store> {
    let url = config.database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir).with_context(|| format!("cannot create data directory {}", config.data_dir.display()))?;
    }
    Store::connect(&url).await.with_context(|| format!("cannot open database {}", redact(&url)))
}

fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// Makes sure the instance actor exists. Returns it and whether it was made now.
pub async fn ensure_instance(store: &Store, urls: &LocalUrls) -> Result<(Actor, bool)> {
    Ok(ops::actors::ensure_instance_actor(store, urls, keys::generate).await?)
}

/// The federation machinery without a server, for commands that fetch from and send to
/// peers while `serve` may run (`move`): the running node's delivery worker sends what
/// they queue.
pub async fn offline_federation(config: &Config) -> Result<Federation> {
    let store = open_store(config).await?;
    let urls = local_urls(config)?;
    let (instance, _) = ensure_instance(&store, &urls).await?;
    let state = FederationState::new(store, urls, config.federation.clone(), config.dev, instance, VERSION);
    Federation::new(&state).await.map_err(|e| anyhow::anyhow!("federation config: {e}"))
}

/// A running node.
pub struct Node {
    pub federation: Federation,
    pub addr: SocketAddr,
    /// Set to ask the server and the delivery worker to finish.
    stop: watch::Sender<bool>,
    /// Ends with the number of connections cut off at a stop.
    server: JoinHandle<usize>,
    /// Ends with the number of deliveries parked at a stop.
    worker: JoinHandle<usize>,
    housekeeping: JoinHandle<()>,
    /// Sends e-mail; `None` without `[mail]` settings.
    mailer: Option<JoinHandle<()>>,
}

impl Node {
    pub fn context(&self) -> Context {
        self.federation.context()
    }

    pub fn state(&self) -> &FederationState {
        self.federation.state()
    }

    /// Stops serving and delivering at once, as a crash would (unfinished work stays in the
    /// database), and closes the database.
    pub async fn stop(self) {
        self.server.abort();
        self.worker.abort();
        self.housekeeping.abort();
        let _ = self.server.await;
        let _ = self.worker.await;
        let _ = self.housekeeping.await;
        if let Some(mailer) = self.mailer {
            mailer.abort();
            let _ = mailer.await;
        }
        self.federation.state().store.close().await;
    }

    /// Stops gracefully: no new connections, requests and deliveries in flight get the grace
    /// period (`[server] shutdown_grace_secs`) to finish, what is left of the deliveries is
    /// parked for the next start; then the database is closed.
    pub async fn shut_down(self) -> Stopped {
        let _ = self.stop.send(true);
        let cut_connections = self.server.await.unwrap_or(0);
        let parked_deliveries = self.worker.await.unwrap_or(0);
        self.housekeeping.abort();
        let _ = self.housekeeping.await;
        if let Some(mailer) = self.mailer {
            // Mail is sent from its queue in the database; what was being sent goes again.
            mailer.abort();
            let _ = mailer.await;
        }
        self.federation.state().store.close().await;
        Stopped { cut_connections, parked_deliveries }
    }

    /// Waits until the server ends (it ends on its own only on error).
    pub async fn wait(self) {
        let _ = self.server.await;
        self.worker.abort();
        self.housekeeping.abort();
        if let Some(mailer) = self.mailer {
            mailer.abort();
        }
    }
}

/// What a graceful stop could not finish in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped {
    pub cut_connections: usize,
    pub parked_deliveries: usize,
}

/// Starts a node on an already bound listener (tests bind port 0 first so that the domain
/// can carry the port).
pub async fn start(config: &Config, listener: TcpListener) -> Result<Node> {
    let store = open_store(config).await?;
    let urls = local_urls(config)?;
    let (instance, _) = ensure_instance(&store, &urls).await?;
    ops::coalitions::ensure_replica_actors(&store, &urls, keys::generate).await?;
    let state = FederationState::new(store, urls, config.federation.clone(), config.dev, instance, VERSION);
    let federation = Federation::new(&state).await.map_err(|e| anyhow::anyhow!("federation config: {e}"))?;
    let router = buurtnet_web::router(&federation, config.web_settings(), config.data_dir.join("media"));
    let mail_worker =
        config.mail.as_ref().map(|s| mail::MailWorker::new(state.store.clone(), state.urls.clone(), s.clone())).transpose()?;
    let addr = listener.local_addr()?;
    let (stop, signal) = watch::channel(false);
    let stopping = Stopping { signal, grace: std::time::Duration::from_secs(config.server.shutdown_grace_secs) };
    let server = tokio::spawn(server::serve(listener, router, config.server.clone(), stopping.clone()));
    let worker = tokio::spawn(buurtnet_federation::deliver::run_worker(state.clone(), stopping));
    let housekeeping = tokio::spawn(housekeeping(state.clone(), federation.clone()));
    let mailer = mail_worker.map(|worker| tokio::spawn(worker.run()));
    Ok(Node { federation, addr, stop, server, worker, housekeeping, mailer })
}

/// Aborts a task when dropped, so that a sub-task ends with the task that started it.
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// How long a process keeps the housekeeping after each round: three rounds, so that another
/// process takes it over only when this one stopped.
const HOUSEKEEPING_HOLD_MS: i64 = 3 * 60 * 1000;

/// Whether this process does the housekeeping now (one process at a time on one database).
async fn housekeeping_is_mine(state: &FederationState) -> bool {
    match ops::housekeeping::my_turn(&state.store, "housekeeping", HOUSEKEEPING_HOLD_MS).await {
        Ok(mine) => mine,
        Err(e) => {
            tracing::error!(error = %e, "could not tell whose turn the housekeeping is; skipping this round");
            false
        }
    }
}

/// Work that runs by itself: offers and needs expire (and their `Delete` goes out);
/// coalition admissions whose objection period passed take effect; coalition logs are
/// compared with other replicas (anti-entropy); repeating events get the dates that came
/// within their window; finished work is cleared once a day (`ops::housekeeping`). With
/// several processes on one database, one of them does it ([`housekeeping_is_mine`]).
async fn housekeeping(state: FederationState, federation: Federation) {
    let sync_every = std::time::Duration::from_secs(state.settings.coalition_sync_secs.max(1));
    let context = federation.context();
    let syncing = state.clone();
    let coalitions = tokio::spawn(async move {
        let mut ticks = tokio::time::interval(sync_every);
        loop {
            ticks.tick().await;
            if !housekeeping_is_mine(&syncing).await {
                continue;
            }
            match buurtnet_federation::coalitions::sync_round(&federation.context()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("{n} coalition operations caught up from other replicas"),
                Err(e) => tracing::warn!(error = %e, "a coalition sync round failed; the next one tries again"),
            }
        }
    });
    let _stops_with_housekeeping = AbortOnDrop(coalitions);
    let mut every_minute = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        every_minute.tick().await;
        if !housekeeping_is_mine(&state).await {
            continue;
        }
        match ops::proposals::expire_due(&state.store).await {
            Ok(0) => {}
            Ok(n) => {
                tracing::info!("{n} offers or needs expired");
                state.wake_delivery();
            }
            Err(e) => tracing::error!(error = %e, "expiring offers and needs failed; will try again"),
        }
        match ops::series::extend_due(&state.store, &state.urls).await {
            Ok(0) => {}
            Ok(n) => {
                tracing::info!("{n} dates of repeating events published");
                state.wake_delivery();
            }
            Err(e) => tracing::error!(error = %e, "publishing the dates of repeating events failed; will try again"),
        }
        match ops::housekeeping::clear_if_due(&state.store).await {
            Ok(Some(clearing)) => {
                tracing::info!(cleared = ?clearing.cleared, "finished work older than {} days cleared", ops::housekeeping::KEEP_DAYS)
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "clearing finished work failed; will try again"),
        }
        match buurtnet_federation::coalitions::acting(&context).admit_due().await {
            Ok(0) => {}
            Ok(n) => tracing::info!("{n} initiatives admitted to coalitions"),
            Err(e) => tracing::error!(error = %e, "admitting to coalitions failed; will try again"),
        }
    }
}
