//! A node under test: a release `buurtnet serve` process (SQLite, development mode so that
//! peers on 127.0.0.1 are allowed), how soon it answers, and its resident memory, sampled
//! while a benchmark runs so that the peak is seen.

use crate::report::{Figure, Goal};
use anyhow::{Context, Result};
use buurtnet_tests::process::NodeProcess;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::process::Child;

pub const IDLE_GOAL_MB: f64 = 25.0;
pub const PEAK_GOAL_MB: f64 = 64.0;
pub const START_GOAL_MS: f64 = 100.0;

pub struct BenchNode {
    pub process: NodeProcess,
    child: Child,
    /// From spawning the process to its first answer.
    pub started_in: Duration,
}

impl BenchNode {
    /// Starts `process` (members and followers already added) and waits for its first answer.
    pub async fn serve(process: NodeProcess) -> Result<BenchNode> {
        let health = format!("{}/health", process.base_url());
        let client = reqwest::Client::new();
        let spawned = Instant::now();
        let mut command = process.command(&["serve"]);
        command.stdout(std::process::Stdio::null());
        // `BUURTNET_BENCH_LOG=info` shows the nodes' logs (to find why a run fails).
        match std::env::var("BUURTNET_BENCH_LOG") {
            Ok(level) => command.env("BUURTNET_LOG", level),
            Err(_) => command.stderr(std::process::Stdio::null()),
        };
        let child = command.spawn()?;
        loop {
            if client.get(&health).send().await.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            anyhow::ensure!(spawned.elapsed() < Duration::from_secs(30), "the node did not answer within 30 s");
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        Ok(BenchNode { started_in: spawned.elapsed(), process, child })
    }

    pub fn base_url(&self) -> String {
        self.process.base_url()
    }

    /// Stops the process (SIGTERM, then waits for it) and gives back the node, its data kept.
    pub async fn stop(mut self) -> Result<NodeProcess> {
        buurtnet_tests::process::signal(&self.child, "TERM")?;
        self.child.wait().await?;
        Ok(self.process)
    }

    pub fn pid(&self) -> Result<u32> {
        self.child.id().context("the node has ended")
    }

    pub fn resident_mb(&self) -> Result<f64> {
        resident_mb(self.pid()?)
    }

    /// Samples resident memory every 20 ms until the returned sampler is stopped.
    pub fn sample_memory(&self) -> Result<Sampler> {
        self.sample_memory_every(Duration::from_millis(20))
    }

    /// Samples resident memory every `interval` until the returned sampler is stopped.
    pub fn sample_memory_every(&self, interval: Duration) -> Result<Sampler> {
        let (pid, running) = (self.pid()?, Arc::new(AtomicBool::new(true)));
        let still = running.clone();
        let task = tokio::spawn(async move {
            let mut peak: f64 = 0.0;
            while still.load(Ordering::Relaxed) {
                peak = peak.max(resident_mb(pid).unwrap_or(0.0));
                tokio::time::sleep(interval).await;
            }
            peak.max(resident_mb(pid).unwrap_or(0.0))
        });
        Ok(Sampler { running, task })
    }
}

pub struct Sampler {
    running: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<f64>,
}

impl Sampler {
    /// The highest resident memory seen, in MB.
    pub async fn peak(self) -> Result<f64> {
        self.running.store(false, Ordering::Relaxed);
        Ok(self.task.await?)
    }
}

/// The CPU time a process has used so far, user and system, all threads (seconds).
pub fn cpu_seconds(pid: u32) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')').context("/proc/PID/stat")?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11).context("utime")?.parse::<f64>()? + fields.get(12).context("stime")?.parse::<f64>()?;
    Ok(ticks / CLOCK_TICKS_PER_SECOND)
}

/// Linux's `USER_HZ`, the unit of `/proc/PID/stat`'s times, 100 on every common build.
const CLOCK_TICKS_PER_SECOND: f64 = 100.0;

pub fn resident_mb(pid: u32) -> Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kb: f64 = status.lines().find_map(|l| l.strip_prefix("VmRSS:")).context("VmRSS")?.trim().trim_end_matches("kB").trim().parse()?;
    Ok(kb / 1024.0)
}

/// A fresh node with one member: from start to first answer, and resident memory after it
/// has sat idle for five seconds.
pub async fn idle_figures(runs: usize) -> Result<Vec<Figure>> {
    let (mut started, mut idle) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let process = NodeProcess::new("")?;
        process.add_member("schrijver").await?;
        let node = BenchNode::serve(process).await?;
        started.push(node.started_in.as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_secs(5)).await;
        idle.push(node.resident_mb()?);
    }
    Ok(vec![
        Figure::new("start to first answer", "ms", started).goal(Goal::AtMost(START_GOAL_MS)),
        Figure::new("resident memory, idle 5 s after start", "MB", idle).goal(Goal::AtMost(IDLE_GOAL_MB)),
    ])
}
