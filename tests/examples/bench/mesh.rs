//! Mesh: [`FOLLOWERS`] + 1 real nodes on this machine. Node 0's member is followed by one
//! member on each of the others, through the Mastodon API (search, follow, the `Accept`
//! coming back), as people would. Then node 0's member posts: first one post at a time
//! (how soon each reaches every follower's home timeline), then a burst of [`BURST`] posts
//! as fast as the API takes them (how soon all of them are everywhere, against what the
//! sign rate allows, and each exactly once).
//!
//! Arrival is read afterwards, not watched: a follower's node stamps each post it stores
//! (`posts.created_at`, in the transaction that makes it visible, on this machine's clock),
//! and the bench reads those stamps from the followers' SQLite files, read-only. While
//! posts travel the bench only looks, at most a few times a second, whether they are all in.

use crate::bounds::Bounds;
use crate::delivery::post;
use crate::node::{BenchNode, PEAK_GOAL_MB, Sampler, cpu_seconds};
use crate::report::{Figure, Goal};
use anyhow::{Context, Result};
use buurtnet_tests::app::Session;
use buurtnet_tests::process::NodeProcess;
use futures::StreamExt;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use std::str::FromStr;
use std::time::{Duration, Instant};

pub const FOLLOWERS: usize = 59;
/// Posts sent one at a time, each after the one before reached every follower.
const SINGLE_POSTS: usize = 20;
const PAUSE: Duration = Duration::from_millis(300);
pub const BURST: usize = 600;
/// Posts in flight at once during the burst.
const BURST_IN_FLIGHT: usize = 8;
/// Nodes being started and following at once while the mesh is set up.
const SETTING_UP: usize = 8;
/// How long the followers' CPU time is watched with nothing arriving, before the burst.
const IDLE: Duration = Duration::from_secs(5);
const LATENCY_GOAL_MS: f64 = 250.0;
const BURST_GOAL_RATIO: f64 = 2.0;

/// A follower: its node, and its database opened read-only to read arrivals from.
struct Follower {
    node: BenchNode,
    database: SqlitePool,
}

struct Mesh {
    home: BenchNode,
    bearer: String,
    followers: Vec<Follower>,
}

struct Run {
    set_up_s: f64,
    latency_p50_ms: f64,
    latency_p99_ms: f64,
    burst: Burst,
}

pub async fn figures(bounds: &Bounds, runs: usize) -> Result<Vec<Figure>> {
    let mut done = Vec::new();
    for run in 0..runs {
        done.push(one_run().await?);
        let last: &Run = &done[run];
        eprintln!(
            "mesh run {run}: set up in {:.0} s, one post p99 {:.0} ms, burst {:.1} s",
            last.set_up_s, last.latency_p99_ms, last.burst.seconds
        );
    }
    let column = |f: fn(&Run) -> f64| done.iter().map(f).collect::<Vec<f64>>();
    let deliveries = (BURST * FOLLOWERS) as f64;
    let allowed = deliveries / bounds.sign();
    Ok(vec![
        Figure::new(format!("mesh: set-up, {} nodes started, {FOLLOWERS} follows accepted", FOLLOWERS + 1), "s", column(|r| r.set_up_s)),
        Figure::new(format!("mesh: one post to {FOLLOWERS} follower nodes, p50"), "ms", column(|r| r.latency_p50_ms)),
        Figure::new(format!("mesh: one post to {FOLLOWERS} follower nodes, p99"), "ms", column(|r| r.latency_p99_ms))
            .goal(Goal::AtMost(LATENCY_GOAL_MS)),
        Figure::new(
            format!("mesh: burst of {BURST} posts to {FOLLOWERS} follower nodes, first post to last arrival"),
            "s",
            column(|r| r.burst.seconds),
        )
        .against(format!("s = {deliveries:.0} deliveries / RSA-2048 sign rate"), allowed)
        .goal(Goal::AtMostRatio(BURST_GOAL_RATIO)),
        Figure::new("mesh: burst posts missing on a follower (each must arrive once)", "", column(|r| r.burst.missing))
            .goal(Goal::AtMost(0.0)),
        Figure::new("mesh: burst deliveries that needed more than one attempt", "", column(|r| r.burst.retried)),
        Figure::new("mesh: burst, peak resident memory of node 0", "MB", column(|r| r.burst.home_peak_mb)).goal(Goal::AtMost(PEAK_GOAL_MB)),
        Figure::new("mesh: burst, highest peak resident memory of a follower node", "MB", column(|r| r.burst.follower_peak_mb))
            .goal(Goal::AtMost(PEAK_GOAL_MB)),
        Figure::new("mesh: burst, CPU time of node 0", "s", column(|r| r.burst.home_cpu_s)),
        Figure::new(format!("mesh: burst, CPU time of the {FOLLOWERS} follower nodes together"), "s", column(|r| r.burst.followers_cpu_s)),
        Figure::new(
            format!("mesh: CPU time of the {FOLLOWERS} follower nodes together, idle for {} s", IDLE.as_secs()),
            "s",
            column(|r| r.burst.followers_idle_cpu_s),
        ),
    ])
}

async fn one_run() -> Result<Run> {
    let started = Instant::now();
    let mesh = Mesh::set_up().await?;
    let set_up_s = started.elapsed().as_secs_f64();
    eprintln!("mesh: {} nodes up and {FOLLOWERS} follows accepted in {set_up_s:.1} s", FOLLOWERS + 1);
    let mut latencies = mesh.single_posts().await?;
    latencies.sort_by(f64::total_cmp);
    let burst = mesh.burst().await?;
    for follower in &mesh.followers {
        follower.database.close().await;
    }
    Ok(Run { set_up_s, latency_p50_ms: percentile(&latencies, 0.50), latency_p99_ms: percentile(&latencies, 0.99), burst })
}

/// The value below which `share` of the sorted `samples` lie (nearest rank).
fn percentile(sorted: &[f64], share: f64) -> f64 {
    let rank = ((sorted.len() as f64 * share).ceil() as usize).clamp(1, sorted.len().max(1));
    sorted.get(rank - 1).copied().unwrap_or(f64::NAN)
}

struct Burst {
    seconds: f64,
    missing: f64,
    retried: f64,
    home_peak_mb: f64,
    follower_peak_mb: f64,
    home_cpu_s: f64,
    followers_cpu_s: f64,
    /// The followers' CPU time over [`IDLE`] just before the burst, nothing arriving.
    followers_idle_cpu_s: f64,
}

impl Mesh {
    async fn set_up() -> Result<Mesh> {
        let process = NodeProcess::new("")?;
        process.add_member("schrijver").await?;
        let home = BenchNode::serve(process).await?;
        let bearer = buurtnet_tests::app::bearer(&home.base_url(), "schrijver", "read write").await?;
        let handle = format!("schrijver@localhost:{}", home.process.port);
        let followers: Vec<Result<Follower>> =
            futures::stream::iter(0..FOLLOWERS).map(|_| Follower::start(&handle)).buffer_unordered(SETTING_UP).collect().await;
        let followers = followers.into_iter().collect::<Result<Vec<_>>>()?;
        Ok(Mesh { home, bearer, followers })
    }

    /// Posts one at a time; for each, how long from the API's answer until each follower's
    /// node stored it (ms).
    async fn single_posts(&self) -> Result<Vec<f64>> {
        let mut latencies = Vec::new();
        for _ in 0..SINGLE_POSTS {
            let uris = post(&self.home.base_url(), &self.bearer, 1, 1).await?;
            let answered = chrono::Utc::now().timestamp_millis();
            let uri = uris.first().context("the post's uri")?;
            for follower in &self.followers {
                let stored = follower.stored_at(uri, Duration::from_secs(30)).await?;
                latencies.push((stored - answered) as f64);
            }
            tokio::time::sleep(PAUSE).await;
        }
        Ok(latencies)
    }

    async fn burst(&self) -> Result<Burst> {
        let prefix = format!("{}/", self.home.base_url());
        let expected = (SINGLE_POSTS + BURST) as i64;
        let home_memory = self.home.sample_memory()?;
        let follower_memory: Vec<Sampler> =
            self.followers.iter().map(|f| f.node.sample_memory_every(Duration::from_millis(100))).collect::<Result<_>>()?;
        let idle_before = self.cpu_seconds()?;
        tokio::time::sleep(IDLE).await;
        let cpu_before = self.cpu_seconds()?;
        let first_post = chrono::Utc::now().timestamp_millis();
        post(&self.home.base_url(), &self.bearer, BURST, BURST_IN_FLIGHT).await?;
        eprintln!("mesh: {BURST} posts taken by the API in {:.1} s", (chrono::Utc::now().timestamp_millis() - first_post) as f64 / 1000.0);
        let deadline = Instant::now() + Duration::from_secs(600);
        let mut last_arrival = first_post;
        let mut missing = 0;
        for follower in &self.followers {
            let (held, newest) = follower.all_from(&prefix, expected, deadline).await?;
            missing += expected - held;
            last_arrival = last_arrival.max(newest);
        }
        let cpu_after = self.cpu_seconds()?;
        let home_peak_mb = home_memory.peak().await?;
        let mut follower_peak_mb: f64 = 0.0;
        for sampler in follower_memory {
            follower_peak_mb = follower_peak_mb.max(sampler.peak().await?);
        }
        let retried = self.retried_deliveries().await?;
        anyhow::ensure!(missing == 0, "{missing} posts never reached a follower");
        Ok(Burst {
            seconds: (last_arrival - first_post) as f64 / 1000.0,
            missing: missing as f64,
            retried: retried as f64,
            home_peak_mb,
            follower_peak_mb,
            home_cpu_s: cpu_after.0 - cpu_before.0,
            followers_cpu_s: cpu_after.1 - cpu_before.1,
            followers_idle_cpu_s: cpu_before.1 - idle_before.1,
        })
    }

    /// CPU time used so far by node 0, and by the followers together (seconds).
    fn cpu_seconds(&self) -> Result<(f64, f64)> {
        let mut followers = 0.0;
        for follower in &self.followers {
            followers += cpu_seconds(follower.node.pid()?)?;
        }
        Ok((cpu_seconds(self.home.pid()?)?, followers))
    }

    /// Deliveries node 0 had to try more than once (a sign that one may have gone twice).
    async fn retried_deliveries(&self) -> Result<i64> {
        let database = read_only(&self.home.process).await?;
        let retried = sqlx::query_scalar("SELECT COUNT(*) FROM deliveries WHERE attempts > 1").fetch_one(&database).await?;
        database.close().await;
        Ok(retried)
    }
}

impl Follower {
    /// A node with a member who follows `handle` (found by search), once the follow is accepted.
    async fn start(handle: &str) -> Result<Follower> {
        let process = NodeProcess::new("")?;
        process.add_member("lezer").await?;
        let node = BenchNode::serve(process).await?;
        let member = Session::start(&node.base_url(), "lezer").await?;
        let found = member.get(&format!("/api/v2/search?q={handle}&resolve=true&type=accounts")).await?;
        let account = found["accounts"][0]["id"].as_str().with_context(|| format!("{handle} not found: {found}"))?.to_string();
        member.post(&format!("/api/v1/accounts/{account}/follow"), serde_json::json!({})).await?;
        let asked = Instant::now();
        loop {
            let relationship = member.get(&format!("/api/v1/accounts/relationships?id[]={account}")).await?;
            if relationship[0]["following"] == true {
                break;
            }
            anyhow::ensure!(asked.elapsed() < Duration::from_secs(60), "the follow was not accepted within 60 s: {relationship}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let database = read_only(&node.process).await?;
        Ok(Follower { node, database })
    }

    /// When this node stored the post `uri` (ms since the epoch, its clock), waiting for it.
    async fn stored_at(&self, uri: &str, at_most: Duration) -> Result<i64> {
        let asked = Instant::now();
        loop {
            let stored =
                sqlx::query_scalar("SELECT created_at FROM posts WHERE ap_id = ?").bind(uri).fetch_optional(&self.database).await?;
            if let Some(stored) = stored {
                return Ok(stored);
            }
            anyhow::ensure!(asked.elapsed() < at_most, "{uri} did not reach {} within {at_most:?}", self.node.base_url());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// How many posts under `prefix` this node holds and when it stored the newest, once it
    /// holds `expected` or `deadline` passes.
    async fn all_from(&self, prefix: &str, expected: i64, deadline: Instant) -> Result<(i64, i64)> {
        loop {
            let (held, newest): (i64, Option<i64>) =
                sqlx::query_as("SELECT COUNT(*), MAX(created_at) FROM posts WHERE ap_id LIKE ? || '%'")
                    .bind(prefix)
                    .fetch_one(&self.database)
                    .await?;
            if held >= expected || Instant::now() > deadline {
                return Ok((held, newest.unwrap_or(0)));
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}

/// A node's database, opened read-only (one connection).
async fn read_only(process: &NodeProcess) -> Result<SqlitePool> {
    let options = SqliteConnectOptions::from_str(&process.database_url())?.read_only(true);
    Ok(SqlitePoolOptions::new().max_connections(1).connect_with(options).await?)
}
