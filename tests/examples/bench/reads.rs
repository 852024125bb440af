//! Reads: the home, public and tag timelines and the notifications of the Mastodon API (a
//! member's token, pages of 20), and the front page and `/hulp` (anonymous), each asked
//! [`REQUESTS`] times one after the other, on one node holding first [`SMALL`] and then
//! [`LARGE`] statuses ([`seed`]), then again at [`LARGE`] while signed notes arrive at its
//! inbox at half the inbox's goal rate. Each p99 is held to the same read's at [`SMALL`]
//! (at most 1.5 times) and, for the API, to the time this process takes to serialise the
//! same page with nothing left to read ([`serialise`]; at most twice).

mod seed;
mod serialise;

use crate::bounds::{Bounds, IN_FLIGHT};
use crate::inbox::{self, ACTORS};
use crate::node::BenchNode;
use crate::report::{Figure, Goal, median};
use crate::standins::{KeyPem, Peer, Prepared, fire, keys, prepared_get, send};
use anyhow::Result;
use buurtnet_domain::store::Store;
use buurtnet_domain::urls::LocalUrls;
use buurtnet_tests::process::NodeProcess;
use futures::StreamExt;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub const SMALL: usize = 1_000;
pub const LARGE: usize = 100_000;
/// Timed requests per read (after [`WARM_UP`] untimed ones).
const REQUESTS: usize = 300;
const WARM_UP: usize = 20;
/// Notes sent as fast as the node takes them, to learn whether it reaches the rate asked.
const BURST: usize = 2_000;
/// Notes in flight at most while the inbox is loaded at a steady rate.
const PACED_IN_FLIGHT: usize = 256;

/// Printed under the table when the reads ran.
pub const NOTE: &str = "Reads: p50 and p99 of 300 requests one after the other. The serialise-only bound is the median of \
    300 serialisations of the same page of 20 in the bench process (the web crate's own `entry_of` / `entity`, then the \
    bytes), everything it shows read beforehand. The front page and `/hulp` have no such bound: their handlers read \
    their cards and render in one function, so no honest serialise-only time exists for them.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Read {
    Home,
    Public,
    Tag,
    Notifications,
    Front,
    Hulp,
}

impl Read {
    pub const ALL: [Read; 6] = [Read::Home, Read::Public, Read::Tag, Read::Notifications, Read::Front, Read::Hulp];

    pub fn name(self) -> &'static str {
        match self {
            Read::Home => "home timeline",
            Read::Public => "public timeline",
            Read::Tag => "tag timeline",
            Read::Notifications => "notifications",
            Read::Front => "front page `/`",
            Read::Hulp => "`/hulp`",
        }
    }

    fn path(self) -> String {
        match self {
            Read::Home => "/api/v1/timelines/home?limit=20".into(),
            Read::Public => "/api/v1/timelines/public?limit=20".into(),
            Read::Tag => format!("/api/v1/timelines/tag/{}?limit=20", seed::TAG),
            Read::Notifications => "/api/v1/notifications?limit=20".into(),
            Read::Front => "/".into(),
            Read::Hulp => "/hulp".into(),
        }
    }

    /// A read of the Mastodon API (with the member's token), not a page.
    pub fn is_api(self) -> bool {
        !matches!(self, Read::Front | Read::Hulp)
    }
}

#[derive(Debug, Clone, Copy)]
struct Latency {
    p50: f64,
    p99: f64,
}

type Latencies = HashMap<Read, Latency>;

struct Run {
    small: Latencies,
    large: Latencies,
    loaded: Latencies,
    serialise: HashMap<Read, f64>,
    inbox_rate: f64,
}

pub async fn figures(bounds: &Bounds, runs: usize) -> Result<Vec<Figure>> {
    let keys = keys(ACTORS).await?;
    let mut done = Vec::new();
    for run in 0..runs {
        done.push(one_run(bounds, keys.clone(), run).await?);
    }
    let inbox_rate = median(&done.iter().map(|r| r.inbox_rate).collect::<Vec<_>>());
    Ok(Read::ALL.into_iter().flat_map(|read| read_figures(read, &done, inbox_rate)).collect())
}

fn read_figures(read: Read, runs: &[Run], inbox_rate: f64) -> Vec<Figure> {
    let of = |pick: &dyn Fn(&Run) -> f64| runs.iter().map(pick).collect::<Vec<f64>>();
    let name = read.name();
    let small_p99 = median(&of(&|r| r.small[&read].p99));
    let large = format!("reads: {name}, p99 at {LARGE} statuses");
    let loaded = format!("reads: {name}, p99 at {LARGE} statuses, inbox at {inbox_rate:.0} notes/s");
    let mut figures = vec![
        Figure::new(format!("reads: {name}, p50 at {LARGE} statuses"), "ms", of(&|r| r.large[&read].p50))
            .against(format!("ms p50 at {SMALL}"), median(&of(&|r| r.small[&read].p50))),
        Figure::new(&large, "ms", of(&|r| r.large[&read].p99))
            .against(format!("ms p99 at {SMALL}"), small_p99)
            .goal(Goal::AtMostRatio(1.5)),
    ];
    if read.is_api() {
        let serialise = median(&of(&|r| r.serialise[&read]));
        let bound = "ms serialising the same 20, no database (median)";
        figures.push(Figure::new(&large, "ms", of(&|r| r.large[&read].p99)).against(bound, serialise).goal(Goal::AtMostRatio(2.0)));
        figures.push(Figure::new(&loaded, "ms", of(&|r| r.loaded[&read].p99)).against(bound, serialise).goal(Goal::AtMostRatio(2.0)));
    }
    figures.push(
        Figure::new(&loaded, "ms", of(&|r| r.loaded[&read].p99))
            .against(format!("ms p99 at {SMALL}"), small_p99)
            .goal(Goal::AtMostRatio(1.5)),
    );
    figures
}

async fn one_run(bounds: &Bounds, keys: Vec<KeyPem>, run: usize) -> Result<Run> {
    let process = NodeProcess::new("")?;
    process.add_member(seed::MEMBER).await?;
    let domain = format!("localhost:{}", process.port);
    let urls = LocalUrls::new(&domain, false)?;
    let store = Store::connect(&process.database_url()).await?;
    let cast = seed::cast(&store, LARGE).await?;
    seed::statuses(&store, &urls, &cast, 0..SMALL).await?;
    store.close().await;

    let node = BenchNode::serve(process).await?;
    let token = buurtnet_tests::app::bearer(&node.base_url(), seed::MEMBER, "read").await?;
    let small = latencies(&node.base_url(), &token).await?;
    eprintln!("reads run {run}, {SMALL} statuses: {}", describe(&small));

    let process = node.stop().await?;
    let store = Store::connect(&process.database_url()).await?;
    seed::statuses(&store, &urls, &cast, SMALL..LARGE).await?;
    store.close().await;
    keep_a_copy(&process)?;
    let node = BenchNode::serve(process).await?;
    let large = latencies(&node.base_url(), &token).await?;
    eprintln!("reads run {run}, {LARGE} statuses: {}", describe(&large));

    let serialise = serialise::times(&node.process.database_url(), &domain).await?;
    let (loaded, inbox_rate) = under_inbox_load(bounds, &node, &token, keys, run, &large).await?;
    eprintln!("reads run {run}, {LARGE} statuses, inbox at {inbox_rate:.0}/s: {}", describe(&loaded));
    node.stop().await?;
    Ok(Run { small, large, loaded, serialise, inbox_rate })
}

/// With `BUURTNET_BENCH_READS_COPY=<file>`, copies the node's SQLite file holding [`LARGE`]
/// statuses there, to study the reads' plans and times with `sqlite3` (docs/benchmarks.md).
fn keep_a_copy(process: &NodeProcess) -> Result<()> {
    if let Some(to) = std::env::var_os("BUURTNET_BENCH_READS_COPY") {
        std::fs::copy(process.data_dir().join("buurtnet.db"), &to)?;
        eprintln!("reads: the database with {LARGE} statuses is copied to {}", to.to_string_lossy());
    }
    Ok(())
}

/// Each read's p50 and p99 over [`REQUESTS`] requests one after the other.
async fn latencies(base: &str, token: &str) -> Result<Latencies> {
    let client = reqwest::Client::new();
    let mut all = HashMap::new();
    for read in Read::ALL {
        let url = format!("{base}{}", read.path());
        let token = read.is_api().then_some(token);
        let first = fetch(&client, &url, token).await?;
        if read.is_api() {
            let shown = serde_json::from_slice::<Vec<serde::de::IgnoredAny>>(&first)?.len();
            anyhow::ensure!(shown == 20, "{url} shows {shown} entries");
        }
        for _ in 0..WARM_UP {
            fetch(&client, &url, token).await?;
        }
        let mut samples = Vec::with_capacity(REQUESTS);
        for _ in 0..REQUESTS {
            let start = Instant::now();
            fetch(&client, &url, token).await?;
            samples.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        all.insert(read, Latency { p50: percentile(&samples, 0.5), p99: percentile(&samples, 0.99) });
    }
    Ok(all)
}

async fn fetch(client: &reqwest::Client, url: &str, token: Option<&str>) -> Result<Vec<u8>> {
    let mut request = client.get(url);
    if let Some(token) = token {
        request = request.header("authorization", token);
    }
    Ok(request.send().await?.error_for_status()?.bytes().await?.to_vec())
}

fn describe(latencies: &Latencies) -> String {
    let parts: Vec<String> =
        Read::ALL.iter().map(|r| format!("{} p50 {:.2} p99 {:.2} ms", r.name(), latencies[r].p50, latencies[r].p99)).collect();
    parts.join("; ")
}

/// The `q` quantile of `samples` (nearest rank).
pub fn percentile(samples: &[f64], q: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len().max(1));
    sorted.get(rank - 1).copied().unwrap_or(f64::NAN)
}

/// The reads again while signed notes arrive at half the inbox's goal rate (0.2 of the lower
/// of the RSA-2048 verify rate and this node's empty-request rate), or at half the rate the
/// node reached in a burst if it reached less than that. Returns the latencies and the rate.
async fn under_inbox_load(
    bounds: &Bounds,
    node: &BenchNode,
    token: &str,
    keys: Vec<KeyPem>,
    run: usize,
    unloaded: &Latencies,
) -> Result<(Latencies, f64)> {
    let base = node.base_url();
    let peer = Peer::start(keys).await?;
    let empty = fire((0..4000).map(|_| prepared_get(&format!("{base}/health"))).collect(), IN_FLIGHT).await.per_second();
    let half_goal = 0.2 * bounds.verify().min(empty) / 2.0;
    inbox::introduce(&peer, &base, run).await?;
    let burst = fire(inbox::notes(&peer, &base, run, ACTORS..ACTORS + BURST)?, IN_FLIGHT).await;
    anyhow::ensure!(burst.failed == 0, "{} notes of the burst were refused: {:?}", burst.failed, burst.first_failure);
    let rate = if burst.per_second() >= half_goal { half_goal } else { burst.per_second() / 2.0 };
    eprintln!(
        "reads: inbox goal {:.0}/s, half of it {half_goal:.0}/s; the node took {:.0}/s in a burst; loaded at {rate:.0}/s",
        2.0 * half_goal,
        burst.per_second()
    );
    // Enough notes for the reads to take five times as long as they did without the load.
    let seconds: f64 = Read::ALL.iter().map(|r| unloaded[r].p50 * (REQUESTS + WARM_UP + 1) as f64 / 1000.0).sum::<f64>() * 5.0 + 20.0;
    let first = ACTORS + BURST;
    let notes = signed_notes(&peer, &base, run, first..first + (rate * seconds.min(240.0)) as usize)?;
    let load = Load::start(notes, rate);
    let loaded = latencies(&base, token).await?;
    let (taken, refused, elapsed, ran_out) = load.stop();
    eprintln!("reads: {taken} notes taken under the reads ({:.0}/s), {refused} refused", taken as f64 / elapsed.as_secs_f64());
    if ran_out {
        eprintln!("reads: warning: the load ended before the reads did; the last reads ran without it");
    }
    Ok((loaded, rate))
}

/// Notes numbered `range`, signed on two threads (signing is most of the time it takes).
fn signed_notes(peer: &Peer, base: &str, run: usize, range: std::ops::Range<usize>) -> Result<Vec<Prepared>> {
    let started = Instant::now();
    let middle = range.start + range.len() / 2;
    let (first, second) = tokio::task::block_in_place(|| {
        std::thread::scope(|scope| {
            let first = scope.spawn(|| inbox::notes(peer, base, run, range.start..middle));
            let second = inbox::notes(peer, base, run, middle..range.end);
            (first.join().expect("signing thread"), second)
        })
    });
    let mut notes = first?;
    notes.extend(second?);
    eprintln!("reads: {} notes signed in {:.1} s", notes.len(), started.elapsed().as_secs_f64());
    Ok(notes)
}

/// Notes sent at a steady rate in the background, whatever the node's answers take.
struct Load {
    taken: Arc<AtomicU64>,
    refused: Arc<AtomicU64>,
    started: Instant,
    task: tokio::task::JoinHandle<()>,
}

impl Load {
    fn start(notes: Vec<Prepared>, per_second: f64) -> Load {
        let (taken, refused) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let (taken_here, refused_here) = (taken.clone(), refused.clone());
        let started = Instant::now();
        let task = tokio::spawn(async move {
            let client = reqwest::Client::builder().pool_max_idle_per_host(PACED_IN_FLIGHT).build().expect("client");
            futures::stream::iter(notes.into_iter().enumerate())
                .map(|(i, note)| {
                    let (client, taken, refused) = (client.clone(), taken_here.clone(), refused_here.clone());
                    async move {
                        tokio::time::sleep_until((started + Duration::from_secs_f64(i as f64 / per_second)).into()).await;
                        let counter = if send(&client, note).await.is_ok() { taken } else { refused };
                        counter.fetch_add(1, Ordering::Relaxed);
                    }
                })
                .buffer_unordered(PACED_IN_FLIGHT)
                .for_each(|_| async {})
                .await;
        });
        Load { taken, refused, started, task }
    }

    /// Stops sending: notes taken and refused, for how long, and whether every note was sent
    /// before it was stopped (the load had ended early).
    fn stop(&self) -> (u64, u64, Duration, bool) {
        let ran_out = self.task.is_finished();
        self.task.abort();
        (self.taken.load(Ordering::Relaxed), self.refused.load(Ordering::Relaxed), self.started.elapsed(), ran_out)
    }
}
