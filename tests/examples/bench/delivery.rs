//! Delivery: a member posts through the Mastodon API; every post goes to each follower's
//! node, signed for it. Followers are peers played by this program ([`Peer`], answering
//! 202), some of them dead: refusing connections, or accepting and never answering. The
//! clock runs from the first post to the last delivery a healthy peer counts.

use crate::bounds::Bounds;
use crate::node::{BenchNode, PEAK_GOAL_MB};
use crate::report::{Figure, Goal, median};
use crate::standins::{Peer, hanging_peer, refusing_origin};
use anyhow::Result;
use buurtnet_domain::store::{self, Store};
use buurtnet_tests::process::NodeProcess;
use futures::StreamExt;
use std::time::{Duration, Instant};

/// Deliveries per healthy peer in one run.
const POSTS: usize = 60;

#[derive(Clone, Copy)]
struct Setting {
    healthy: usize,
    refusing: usize,
    hanging: usize,
}

impl Setting {
    fn describe(self) -> String {
        let mut text = format!("{} healthy peers", self.healthy);
        if self.refusing > 0 {
            text.push_str(&format!(", {} refusing", self.refusing));
        }
        if self.hanging > 0 {
            text.push_str(&format!(", {} never answering", self.hanging));
        }
        text
    }
}

struct Run {
    per_second: f64,
    peak_mb: f64,
}

pub async fn figures(bounds: &Bounds, runs: usize) -> Result<Vec<Figure>> {
    let mut figures = Vec::new();
    let twenty = Setting { healthy: 20, refusing: 0, hanging: 0 };
    let twenty_runs = repeat(twenty, runs).await?;
    figures.push(rate_figure(twenty, &twenty_runs).against("/s RSA-2048 sign (best library)", bounds.sign()).goal(Goal::AtLeastRatio(0.6)));
    let gone = Setting { healthy: 20, refusing: 20, hanging: 0 };
    figures.push(rate_figure(gone, &repeat(gone, runs).await?).against("/s with the healthy peers alone", median_rates(&twenty_runs)));

    let all = Setting { healthy: 58, refusing: 0, hanging: 0 };
    let all_runs = repeat(all, runs).await?;
    figures.push(rate_figure(all, &all_runs).against("/s RSA-2048 sign (best library)", bounds.sign()).goal(Goal::AtLeastRatio(0.6)));
    let mut peaks: Vec<f64> = twenty_runs.iter().chain(&all_runs).map(|r| r.peak_mb).collect();
    for dead in [Setting { refusing: 1, ..all }, Setting { hanging: 1, ..all }] {
        let dead_runs = repeat(dead, runs).await?;
        peaks.extend(dead_runs.iter().map(|r| r.peak_mb));
        figures.push(
            rate_figure(dead, &dead_runs).against("/s with the healthy peers alone", median_rates(&all_runs)).goal(Goal::AtLeastRatio(0.9)),
        );
    }
    figures.push(Figure::new("delivery: peak resident memory", "MB", peaks).goal(Goal::AtMost(PEAK_GOAL_MB)));
    Ok(figures)
}

fn rate_figure(setting: Setting, runs: &[Run]) -> Figure {
    Figure::new(format!("delivery: signed deliveries to {}", setting.describe()), "/s", runs.iter().map(|r| r.per_second).collect())
}

fn median_rates(runs: &[Run]) -> f64 {
    median(&runs.iter().map(|r| r.per_second).collect::<Vec<_>>())
}

async fn repeat(setting: Setting, runs: usize) -> Result<Vec<Run>> {
    let mut done = Vec::new();
    for run in 0..runs {
        done.push(one_run(setting).await?);
        eprintln!("delivery, {}, run {run}: {:.0}/s", setting.describe(), done[run].per_second);
    }
    Ok(done)
}

async fn one_run(setting: Setting) -> Result<Run> {
    let mut healthy = Vec::new();
    for _ in 0..setting.healthy {
        healthy.push(Peer::start(Vec::new()).await?);
    }
    let mut origins: Vec<String> = healthy.iter().map(|p| p.origin().to_string()).collect();
    let mut hanging = Vec::new();
    for _ in 0..setting.hanging {
        let (origin, task) = hanging_peer().await?;
        origins.push(origin);
        hanging.push(task);
    }
    for _ in 0..setting.refusing {
        origins.push(refusing_origin()?);
    }

    let process = NodeProcess::new("")?;
    process.add_member("schrijver").await?;
    add_followers(&process, &origins).await?;
    let node = BenchNode::serve(process).await?;
    let base = node.base_url();
    let bearer = buurtnet_tests::app::bearer(&base, "schrijver", "read write").await?;

    // One post first, so connections are open and the dead peers known for what they are.
    post(&base, &bearer, 1, 1).await?;
    let received = || healthy.iter().map(Peer::received).sum::<u64>();
    wait_for(|| received() >= healthy.len() as u64, Duration::from_secs(60)).await?;

    let before = received();
    let expected = before + (POSTS * healthy.len()) as u64;
    let sampler = node.sample_memory()?;
    let start = Instant::now();
    post(&base, &bearer, POSTS, 4).await?;
    wait_for(|| received() >= expected, Duration::from_secs(300)).await?;
    let elapsed = start.elapsed();
    let peak_mb = sampler.peak().await?;
    for task in hanging {
        task.abort();
    }
    Ok(Run { per_second: (expected - before) as f64 / elapsed.as_secs_f64(), peak_mb })
}

/// Makes each origin's actor a follower of the member, straight in the node's database (as
/// if each had followed it long ago).
async fn add_followers(process: &NodeProcess, origins: &[String]) -> Result<()> {
    let store = Store::connect(&process.database_url()).await?;
    let member =
        store::actors::local_by_username(&mut store.conn().await?, "schrijver").await?.ok_or_else(|| anyhow::anyhow!("no member"))?;
    for origin in origins {
        buurtnet_tests::harness::add_stand_in_follower(&store, &format!("{origin}/actors/0"), &member).await?;
    }
    store.close().await;
    Ok(())
}

/// `count` public posts through the Mastodon API, `in_flight` at a time: their ids (`uri`).
pub async fn post(base: &str, bearer: &str, count: usize, in_flight: usize) -> Result<Vec<String>> {
    let client = reqwest::Client::new();
    let statuses = format!("{base}/api/v1/statuses");
    let answers: Vec<Result<String, String>> = futures::stream::iter(0..count)
        .map(|i| {
            let request = client
                .post(&statuses)
                .header("authorization", bearer)
                .json(&serde_json::json!({"status": format!("Wie helpt er zaterdag mee in de buurttuin? ({i})"), "visibility": "public"}));
            async move {
                let response = request.send().await.map_err(|e| e.to_string())?;
                let status = response.status();
                let body = response.text().await.unwrap_or_default();
                if !status.is_success() {
                    return Err(format!("{status}: {body}"));
                }
                let status: serde_json::Value = serde_json::from_str(&body).map_err(|e| e.to_string())?;
                status["uri"].as_str().map(str::to_string).ok_or_else(|| format!("no uri in {body}"))
            }
        })
        .buffer_unordered(in_flight)
        .collect()
        .await;
    let failed: Vec<&String> = answers.iter().filter_map(|a| a.as_ref().err()).collect();
    anyhow::ensure!(failed.is_empty(), "{} posts failed, the first with {}", failed.len(), failed[0]);
    Ok(answers.into_iter().filter_map(Result::ok).collect())
}

async fn wait_for(mut done: impl FnMut() -> bool, at_most: Duration) -> Result<()> {
    let start = Instant::now();
    while !done() {
        anyhow::ensure!(start.elapsed() < at_most, "not done within {at_most:?}");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Ok(())
}
