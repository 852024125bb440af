//! Coalition (issue 18, item 6): what a coalition of 64 initiatives with a log of a thousand
//! operations costs a node in fold work, on the domain's own store (a throwaway SQLite file,
//! in this process: the fold is the node's work, not the network's). The log grows the way a
//! real one does: a founding by an initiative of this node, 63 applications each sponsored
//! and admitted, then charter changes voted on by every member. 800 operations are kept
//! before the clock starts; the rest arrive one at a time.
//!
//! Figures, each the median of [`ROUNDS`] rounds per run:
//! - parsing and folding the 800 afresh (what every read cost before the fold was kept);
//! - a post to the coalition: whom it goes to (`ops::coalitions::partners`, in the post's
//!   transaction, as a post with coalition visibility asks), with the fold kept by an earlier
//!   read outside a transaction, as the delivery planner and every page leave it (a
//!   transaction reads but never keeps a fold: it may see rows that are rolled back);
//! - receiving an operation: once it is kept (`ops::coalitions::record`, not timed), the
//!   state read;
//! - making an operation: its parents and the check that the fold would not refuse it.

use crate::report::{Figure, Goal};
use anyhow::Result;
use buurtnet_domain::model::coalition::{Change, Charter, MAJORITY, OpKind, Operation, heads};
use buurtnet_domain::ops::actors::InitiativeDraft;
use buurtnet_domain::ops::coalitions::Spread;
use buurtnet_domain::urls::LocalUrls;
use buurtnet_domain::{Store, ops};
use std::time::{Duration, Instant};

const COALITION: &str = "urn:buurtnet:bench:delfshaven";
const INITIATIVES: usize = 64;
const OPERATIONS: usize = 1000;
const KEPT: usize = 800;
const ROUNDS: usize = 200;
/// The goal for fold work per post and per arriving operation.
const GOAL_MICROS: f64 = 1000.0;

struct Run {
    fresh: f64,
    post: f64,
    arrival: f64,
    making: f64,
}

pub async fn figures(runs: usize) -> Result<Vec<Figure>> {
    let mut done = Vec::new();
    for run in 0..runs {
        done.push(one_run().await?);
        eprintln!("coalition run {run}: {:.0} µs after an arrival", done[run].arrival);
    }
    let samples = |f: fn(&Run) -> f64| done.iter().map(f).collect::<Vec<_>>();
    let log = format!("{INITIATIVES} initiatives, log of {KEPT} operations");
    Ok(vec![
        Figure::new(format!("coalition: parse and fold afresh, {log}"), "µs", samples(|r| r.fresh)),
        Figure::new("coalition: a post to the coalition, whom it goes to", "µs", samples(|r| r.post)).goal(Goal::AtMost(GOAL_MICROS)),
        Figure::new("coalition: an operation arrived, the state read", "µs", samples(|r| r.arrival)).goal(Goal::AtMost(GOAL_MICROS)),
        Figure::new("coalition: an operation made here, parents and check", "µs", samples(|r| r.making)).goal(Goal::AtMost(GOAL_MICROS)),
    ])
}

async fn one_run() -> Result<Run> {
    let dir = tempfile::tempdir()?;
    let store = Store::connect(&format!("sqlite://{}", dir.path().join("bench.db").display())).await?;
    let urls = LocalUrls::new("localhost:8081", false)?;
    let draft = InitiativeDraft {
        slug: "buurtkeuken".into(),
        name: "De Buurtkeuken".into(),
        summary: String::new(),
        manually_approves_followers: false,
    };
    let ours = ops::actors::add_initiative(&store, &urls, &draft, &buurtnet_federation::keys::generate()).await?;
    let all = log(&ours.ap_id);
    let (kept, late) = all.split_at(KEPT);
    for op in kept {
        keep(&store, op).await?;
    }
    let fresh = fresh_fold(kept)?;
    let (store, author_id) = (&store, ours.id);
    ops::coalitions::state(store, COALITION).await?;
    let post = timed(ROUNDS, move || async move {
        let mut tx = store.begin().await?;
        std::hint::black_box(ops::coalitions::partners(&mut tx, author_id).await?);
        Ok(())
    })
    .await?;
    let mut after_arrival = Vec::new();
    for op in late {
        keep(store, op).await?;
        let started = Instant::now();
        std::hint::black_box(ops::coalitions::state(store, COALITION).await?);
        after_arrival.push(started.elapsed());
    }
    let arrival = median_micros(after_arrival);
    let mut round = 0;
    let making = timed(ROUNDS, || {
        round += 1;
        let (author, proposal) = (initiative(round % INITIATIVES), late[0].id.clone());
        async move {
            let parents = ops::coalitions::current_heads(store, COALITION).await?;
            let kind = OpKind::Vote { proposal, approve: true };
            let op = Operation { id: format!("{author}/ops/new{round}"), author, parents, published: 0, kind, keys: Default::default() };
            std::hint::black_box(ops::coalitions::check_new(store, COALITION, &op).await.is_ok());
            Ok(())
        }
    })
    .await?;
    Ok(Run { fresh, post, arrival, making })
}

fn fresh_fold(kept: &[Operation]) -> Result<f64> {
    let readings: Vec<String> = kept.iter().map(serde_json::to_string).collect::<Result<_, _>>()?;
    let times = (0..ROUNDS)
        .map(|_| {
            let started = Instant::now();
            let ops: Vec<Operation> = readings.iter().map(|r| serde_json::from_str(r).expect("an operation")).collect();
            std::hint::black_box(buurtnet_domain::model::coalition::fold(&ops));
            started.elapsed()
        })
        .collect();
    Ok(median_micros(times))
}

/// The median time of `rounds` calls of `step`, in µs.
async fn timed<F, Fut>(rounds: usize, mut step: F) -> Result<f64>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        step().await?;
        times.push(started.elapsed());
    }
    Ok(median_micros(times))
}

fn median_micros(times: Vec<Duration>) -> f64 {
    crate::report::median(&times.iter().map(|t| t.as_secs_f64() * 1e6).collect::<Vec<_>>())
}

fn initiative(n: usize) -> String {
    format!("https://node{n}.example/initiatives/initiatief{n}")
}

/// The operations, founded by `founder` (an initiative of this node, so that its posts go to
/// the coalition's members).
fn log(founder: &str) -> Vec<Operation> {
    let charter = Charter {
        name: "Welzijnscoalitie Delfshaven".into(),
        description: "Samen zorgen".into(),
        sponsors_needed: 1,
        objection_days: 0,
        removal_percent: MAJORITY,
        change_percent: MAJORITY,
    };
    let member = |n: usize| if n == 0 { founder.to_string() } else { initiative(n) };
    let mut ops: Vec<Operation> = Vec::new();
    let add = |author: &str, kind: OpKind, ops: &mut Vec<Operation>| {
        let (id, parents) = (format!("{author}/ops/{}", ops.len()), heads(ops));
        let published = 1_700_000_000_000 + ops.len() as i64 * 60_000;
        ops.push(Operation { id: id.clone(), author: author.into(), parents, published, kind, keys: Default::default() });
        id
    };
    add(founder, OpKind::Found { charter: charter.clone(), founders: vec![founder.to_string()] }, &mut ops);
    for n in 1..INITIATIVES {
        let application = add(&member(n), OpKind::Propose(Change::Admit(member(n))), &mut ops);
        add(founder, OpKind::Sponsor { proposal: application.clone() }, &mut ops);
        add(founder, OpKind::Admit { proposal: application }, &mut ops);
    }
    let mut round = 0;
    while ops.len() < OPERATIONS {
        round += 1;
        let changed = Charter { description: format!("Samen zorgen, versie {round}"), ..charter.clone() };
        let proposal = add(&member(round % INITIATIVES), OpKind::Propose(Change::Charter(changed)), &mut ops);
        for n in 0..INITIATIVES {
            if ops.len() >= OPERATIONS {
                break;
            }
            add(&member(n), OpKind::Vote { proposal: proposal.clone(), approve: true }, &mut ops);
        }
    }
    ops
}

/// Keeps an operation as one that came from another replica does.
async fn keep(store: &Store, op: &Operation) -> Result<()> {
    let reading = serde_json::to_string(op)?;
    ops::coalitions::record(store, COALITION, op, &reading, Spread::Keep).await?;
    Ok(())
}
