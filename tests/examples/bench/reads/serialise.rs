//! The bound a read of the Mastodon API is held to: turning the same page into its JSON with
//! everything it shows already read. In this process, on the node's database: each API read's
//! first page is read once as its handler reads it (the entries, then `StatusFacts`), and then
//! only the web crate's own serialisation is timed (`entities::entry_of` or
//! `notifications::entity` for each, then the bytes of the answer).
//!
//! The pages (`/`, `/hulp`) have no such bound: their handlers read their cards and render
//! the template in one function, and no public part of the web crate renders them from cards
//! read beforehand.

use super::{Read, percentile};
use anyhow::{Context as _, Result};
use buurtnet_domain::model::{Actor, Post};
use buurtnet_domain::ops::statuses::StatusFacts;
use buurtnet_domain::store::posts::Page;
use buurtnet_domain::store::timelines::Entry;
use buurtnet_domain::store::{self, Store};
use buurtnet_domain::urls::LocalUrls;
use buurtnet_domain::{ops, ops::notices::Notice};
use buurtnet_federation::{Context, FederationSettings, FederationState};
use buurtnet_web::api::{entities, notifications};
use serde_json::Value;
use std::collections::HashMap;
use std::time::Instant;

/// Serialisations timed per read.
const TIMES: usize = 300;

/// The median time to serialise each API read's first page of 20, in ms: the work itself
/// (its p99 on a busy machine is the scheduler's, printed beside it).
pub async fn times(database_url: &str, domain: &str) -> Result<HashMap<Read, f64>> {
    let context = context(database_url, domain).await?;
    let member = store::actors::local_by_username(&mut context.store.conn().await?, super::seed::MEMBER).await?.context("no member")?;
    let mut times = HashMap::new();
    for read in Read::ALL.into_iter().filter(|r| r.is_api()) {
        let page = page_of(&context, read, &member).await?;
        anyhow::ensure!(page.len() == 20, "{read:?}: {} entries to serialise", page.len());
        let samples: Vec<f64> = (0..TIMES).map(|_| timed(|| page.serialise(&context))).collect();
        eprintln!("reads: serialising {}: p50 {:.3} ms, p99 {:.3} ms", read.name(), percentile(&samples, 0.5), percentile(&samples, 0.99));
        times.insert(read, percentile(&samples, 0.5));
    }
    context.store.close().await;
    Ok(times)
}

/// A request context on the node's database, as the node builds its own.
async fn context(database_url: &str, domain: &str) -> Result<Context> {
    let store = Store::connect(database_url).await?;
    let urls = LocalUrls::new(domain, false)?;
    let (instance, _) = buurtnet::ensure_instance(&store, &urls).await?;
    let state = FederationState::new(store, urls, FederationSettings::default(), true, instance, "bench");
    let federation = buurtnet_federation::state::Federation::new(&state).await.map_err(|e| anyhow::anyhow!(e))?;
    Ok(federation.context())
}

/// A page read and ready to serialise.
enum ReadPage {
    Statuses(Vec<Entry>, StatusFacts),
    Notices(Vec<Notice>, StatusFacts),
}

impl ReadPage {
    fn len(&self) -> usize {
        match self {
            ReadPage::Statuses(entries, _) => entries.len(),
            ReadPage::Notices(notices, _) => notices.len(),
        }
    }

    /// The answer's bytes, as the handler makes them once it has read the facts.
    fn serialise(&self, context: &Context) -> Vec<u8> {
        let values: Vec<Value> = match self {
            ReadPage::Statuses(entries, facts) => entries.iter().map(|e| entities::entry_of(context, facts, e)).collect(),
            ReadPage::Notices(notices, facts) => notices.iter().map(|n| notifications::entity(context, facts, n)).collect(),
        };
        serde_json::to_vec(&values).expect("JSON")
    }
}

/// The first page of `read` for `member`, read as its handler reads it.
async fn page_of(context: &Context, read: Read, member: &Actor) -> Result<ReadPage> {
    let store = &context.store;
    let page = Page { before: None, after: None, oldest_first: false, limit: 20 };
    let mut conn = store.conn().await?;
    let entries: Vec<Entry> = match read {
        Read::Home => store::timelines::home(&mut conn, member.id, &member.ap_id, page).await?,
        Read::Public => store::posts::public_timeline(&mut conn, false, page).await?.into_iter().map(Entry::from).collect(),
        Read::Tag => store::posts::tagged(&mut conn, super::seed::TAG, false, page).await?.into_iter().map(Entry::from).collect(),
        Read::Notifications => {
            drop(conn);
            let needs_post = |kind: &str| notifications::mastodon_type(kind) == "status";
            let notices = ops::notices::page(store, member, (i64::MAX, 0), 20, |_| true, needs_post).await?;
            let entries: Vec<Entry> = notices.iter().filter_map(|n| n.post.clone()).map(Entry::from).collect();
            let people: Vec<i64> = notices.iter().map(|n| n.actor_id).collect();
            let facts = StatusFacts::read(store, &entries, Some(member), &people).await?;
            return Ok(ReadPage::Notices(notices, facts));
        }
        Read::Front | Read::Hulp => anyhow::bail!("{read:?} has no serialise-only bound"),
    };
    drop(conn);
    let posts: Vec<Post> = entries.iter().map(|e| e.post.clone()).collect();
    let readable = ops::visibility::readable(store, &posts, Some(&member.ap_id)).await?;
    let entries: Vec<Entry> = entries.into_iter().filter(|e| readable.contains(&e.post.id)).collect();
    let facts = StatusFacts::read(store, &entries, Some(member), &[]).await?;
    Ok(ReadPage::Statuses(entries, facts))
}

/// How long `work` took, in ms (its result kept from the optimiser).
fn timed<T>(work: impl FnOnce() -> T) -> f64 {
    let start = Instant::now();
    std::hint::black_box(work());
    start.elapsed().as_secs_f64() * 1000.0
}
