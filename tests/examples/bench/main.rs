//! The node's benchmarks (issue 18), each figure a ratio to a bound measured on this machine
//! in the same run: RSA-2048 sign and verify rates (the better of OpenSSL and aws-lc-rs, one
//! core) and the node's own rate for an empty request. Prints a Markdown table;
//! `scripts/bench.sh` runs it on a release build and can write the table into
//! `docs/benchmarks.md`.
//!
//! `BUURTNET_PROFILE=release cargo run --release -p buurtnet-tests --example bench -- [--runs N] [--only idle,inbox,inbox-pg,delivery,mesh,reads,coalition]`
//!
//! Every node is a real `buurtnet serve` process on SQLite (the inbox also on PostgreSQL); the
//! rest of the fediverse is played by this program ([`standins`]): remote actors with real
//! keys, peers that take deliveries and count them, peers that refuse or never answer. The
//! mesh ([`mesh`]) has no stand-ins: 60 nodes that follow one another.

mod bounds;
mod coalition;
mod delivery;
mod inbox;
mod mesh;
mod node;
mod reads;
mod report;
mod standins;

use anyhow::Result;
use report::{Figure, Goal};

struct Options {
    runs: usize,
    only: Option<Vec<String>>,
}

impl Options {
    fn from_args() -> Result<Options> {
        let mut options = Options { runs: 3, only: None };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--runs" => options.runs = args.next().ok_or_else(|| anyhow::anyhow!("--runs N"))?.parse()?,
                "--only" => {
                    options.only = Some(args.next().ok_or_else(|| anyhow::anyhow!("--only a,b"))?.split(',').map(str::to_string).collect())
                }
                other => {
                    anyhow::bail!("unknown argument {other}; use --runs N and --only idle,inbox,inbox-pg,delivery,mesh,reads,coalition")
                }
            }
        }
        Ok(options)
    }

    fn wants(&self, part: &str) -> bool {
        self.only.as_ref().is_none_or(|only| only.iter().any(|p| p == part))
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let options = Options::from_args()?;
    if std::env::var("BUURTNET_PROFILE").ok().as_deref() != Some("release") {
        eprintln!("warning: BUURTNET_PROFILE is not 'release': the nodes run a debug build and the figures mean little");
    }
    let bounds = bounds::measure().await?;
    eprintln!("bounds: {bounds:?}");
    let mut figures = bounds.figures();
    if options.wants("idle") {
        figures.extend(node::idle_figures(options.runs).await?);
    }
    if options.wants("inbox") {
        figures.extend(inbox::figures(&bounds, options.runs).await?);
    }
    if options.wants("inbox-pg") {
        figures.extend(inbox::figures_on_postgres(&bounds, options.runs).await?);
    }
    if options.wants("delivery") {
        figures.extend(delivery::figures(&bounds, options.runs).await?);
    }
    if options.wants("mesh") {
        figures.extend(mesh::figures(&bounds, options.runs).await?);
    }
    if options.wants("reads") {
        figures.extend(reads::figures(&bounds, options.runs).await?);
    }
    if options.wants("coalition") {
        figures.extend(coalition::figures(options.runs).await?);
    }
    println!("{}", report::table(&figures));
    if options.wants("reads") {
        println!("{}\n", reads::NOTE);
    }
    let missed: Vec<&Figure> = figures.iter().filter(|f| f.goal != Goal::None && !f.met()).collect();
    eprintln!("{} figures, {} goals missed", figures.len(), missed.len());
    Ok(())
}
