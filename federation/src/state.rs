//! What every federation handler and worker shares: the store, the node's URLs, settings,
//! key caches, the HTTP client and the delivery wake-up. Passed in, never global, so several
//! nodes run in one process.

use crate::inbox::{ActorFetches, StyleNotes};
use crate::metrics::Metrics;
use crate::safety::PublicOnlyResolver;
use crate::settings::FederationSettings;
use crate::signatures::{PublicKeyCache, SignerCache};
use activitypub_federation::config::{Data, FederationConfig};
use buurtnet_domain::Store;
use buurtnet_domain::model::Actor;
use buurtnet_domain::urls::LocalUrls;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

pub struct Shared {
    pub store: Store,
    pub urls: LocalUrls,
    pub settings: FederationSettings,
    /// Development mode: `http://` and local peers allowed.
    pub dev: bool,
    pub metrics: Metrics,
    pub public_keys: PublicKeyCache,
    pub signers: SignerCache,
    /// The signature style each peer takes (`deliver::knock`).
    pub peer_styles: crate::deliver::knock::KnownStyles,
    pub actor_fetches: ActorFetches,
    pub style_notes: StyleNotes,
    /// The one HTTP client: deliveries, our own reads and activitypub_federation's fetches.
    pub client: reqwest::Client,
    /// Wakes the delivery worker when new work was committed.
    pub delivery_wake: Notify,
    pub instance_actor: Actor,
    pub software_version: &'static str,
    /// Peers cut off by a test (development mode only).
    pub faults: Arc<crate::faults::Faults>,
}

/// Cheap to clone; the app data of activitypub_federation's [`Data`].
#[derive(Clone)]
pub struct FederationState(pub Arc<Shared>);

impl Deref for FederationState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// Request context: activitypub_federation's `Data` around our state.
pub type Context = Data<FederationState>;

impl FederationState {
    pub fn new(
        store: Store,
        urls: LocalUrls,
        settings: FederationSettings,
        dev: bool,
        instance_actor: Actor,
        software_version: &'static str,
    ) -> Self {
        let timeout = Duration::from_millis(settings.delivery.request_timeout_ms);
        let mut client = reqwest::Client::builder()
            .user_agent(format!("Buurtnet/{software_version} (+{})", urls.base()))
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout)
            .pool_max_idle_per_host(settings.delivery.per_peer_concurrency);
        if !dev {
            client = client.dns_resolver(Arc::new(PublicOnlyResolver));
        }
        let client = client.build().expect("HTTP client");
        FederationState(Arc::new(Shared {
            store,
            urls,
            settings,
            dev,
            metrics: Metrics::default(),
            public_keys: PublicKeyCache::default(),
            signers: SignerCache::default(),
            peer_styles: Default::default(),
            actor_fetches: ActorFetches::default(),
            style_notes: StyleNotes::default(),
            client,
            delivery_wake: Notify::new(),
            instance_actor,
            software_version,
            faults: Arc::new(crate::faults::Faults::new(dev)),
        }))
    }

    /// Tells the delivery worker that there is new work.
    pub fn wake_delivery(&self) {
        self.delivery_wake.notify_one();
    }

    /// activitypub_federation's config around this state: it fetches remote objects (signed
    /// by the instance actor), with our limits and blocklist.
    pub async fn federation_config(&self) -> Result<FederationConfig<FederationState>, String> {
        let instance = crate::objects::actor::ApubActor::new(self.instance_actor.clone());
        FederationConfig::builder()
            .domain(self.urls.domain())
            .app_data(self.clone())
            .debug(self.dev)
            .allow_http_urls(self.dev)
            .http_fetch_limit(self.settings.fetch_limit)
            // Our client: its time limits, no redirects, and outside development mode the
            // resolver that refuses non-public addresses at connect time.
            .client(self.client.clone().into())
            .http_signature_compat(true)
            .url_verifier(Box::new(crate::objects::BlocklistVerifier(self.store.clone(), self.faults.clone())))
            .signed_fetch_actor(&instance)
            .build()
            .await
            .map_err(|e| e.to_string())
    }
}

/// The federation machinery of one running node: activitypub_federation's config around our
/// state. The node builds it once, attaches it to the router and hands out contexts.
#[derive(Clone)]
pub struct Federation {
    config: FederationConfig<FederationState>,
}

impl Federation {
    pub async fn new(state: &FederationState) -> Result<Federation, String> {
        Ok(Federation { config: state.federation_config().await? })
    }

    /// Gives every handler of `router` its [`Context`].
    pub fn attach(&self, router: axum::Router) -> axum::Router {
        router.layer(activitypub_federation::config::FederationMiddleware::new(self.config.clone()))
    }

    /// A context for work outside a request (CLI, workers, tests).
    pub fn context(&self) -> Context {
        self.config.to_request_data()
    }

    pub fn state(&self) -> &FederationState {
        &self.config
    }
}
