//! Benchmark (issue 18, item 6): what a coalition of 64 initiatives with a log of about a
//! thousand operations costs a node. Run it with
//! `cargo run --release -p buurtnet-domain --example coalition_fold`; it prints medians of
//! many rounds, on a throwaway SQLite database. Not a test: it reports, it does not judge.
//!
//! - a fresh fold: the operations parsed and folded, as every read did before the memo;
//! - `ops::coalitions::state` when the log is unchanged (the memo is used: one read of the
//!   row ids, a clone of the state);
//! - the same right after a new operation arrived (the new rows are read and applied to
//!   what the process remembers, when they name every head);
//! - what making an operation costs (posting to the coalition): its parents, and the check
//!   that the fold would not refuse it.

use buurtnet_domain::Store;
use buurtnet_domain::model::coalition::{Change, Charter, MAJORITY, OpKind, Operation, fold, heads};
use buurtnet_domain::{ops, store};
use std::time::{Duration, Instant};

const COALITION: &str = "urn:buurtnet:bench:delfshaven";
const INITIATIVES: usize = 64;
const OPERATIONS: usize = 1000;
const ROUNDS: usize = 200;

fn initiative(n: usize) -> String {
    format!("https://node{n}.example/initiatives/initiatief{n}")
}

/// A log that grows the way a real one does: a founding, 63 applications each sponsored and
/// admitted, then charter changes voted on by every member, until it holds `OPERATIONS`.
fn log() -> Vec<Operation> {
    let charter = Charter {
        name: "Welzijnscoalitie Delfshaven".into(),
        description: "Samen zorgen".into(),
        sponsors_needed: 1,
        objection_days: 0,
        removal_percent: MAJORITY,
        change_percent: MAJORITY,
    };
    let founder = initiative(0);
    let mut ops: Vec<Operation> = Vec::new();
    let add = |author: &str, kind: OpKind, ops: &mut Vec<Operation>| {
        let op = Operation {
            id: format!("{author}/ops/{}", ops.len()),
            author: author.into(),
            parents: heads(ops),
            published: 1_700_000_000_000 + ops.len() as i64 * 60_000,
            kind,
            keys: Default::default(),
        };
        ops.push(op.clone());
        op.id
    };
    add(&founder, OpKind::Found { charter: charter.clone(), founders: vec![founder.clone()] }, &mut ops);
    for n in 1..INITIATIVES {
        let candidate = initiative(n);
        let application = add(&candidate, OpKind::Propose(Change::Admit(candidate.clone())), &mut ops);
        add(&founder, OpKind::Sponsor { proposal: application.clone() }, &mut ops);
        add(&founder, OpKind::Admit { proposal: application }, &mut ops);
    }
    let mut round = 0;
    while ops.len() < OPERATIONS {
        round += 1;
        let changed = Charter { description: format!("Samen zorgen, versie {round}"), ..charter.clone() };
        let proposal = add(&initiative(round % INITIATIVES), OpKind::Propose(Change::Charter(changed)), &mut ops);
        for n in 0..INITIATIVES {
            if ops.len() >= OPERATIONS {
                break;
            }
            add(&initiative(n), OpKind::Vote { proposal: proposal.clone(), approve: true }, &mut ops);
        }
    }
    ops
}

async fn keep(store: &Store, op: &Operation) -> anyhow::Result<()> {
    let reading = serde_json::to_string(op)?;
    let new = store::coalitions::NewOperation {
        coalition: COALITION,
        op_id: &op.id,
        author: &op.author,
        published: op.published,
        reading: &reading,
        raw: &reading,
    };
    let mut tx = store.begin().await?;
    store::coalitions::insert(&mut tx, &new).await?;
    tx.commit().await?;
    Ok(())
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let store = Store::connect(&format!("sqlite://{}", dir.path().join("bench.db").display())).await?;
    let all = log();
    let (kept, late) = all.split_at(all.len() - ROUNDS.min(all.len() / 4));
    for op in kept {
        keep(&store, op).await?;
    }
    let readings: Vec<String> = kept.iter().map(serde_json::to_string).collect::<Result<_, _>>()?;

    let fresh = median(
        (0..ROUNDS)
            .map(|_| {
                let started = Instant::now();
                let ops: Vec<Operation> = readings.iter().map(|r| serde_json::from_str(r).expect("an operation")).collect();
                std::hint::black_box(fold(&ops));
                started.elapsed()
            })
            .collect(),
    );
    let members = ops::coalitions::state(&store, COALITION).await?.members.len();
    let mut unchanged = Vec::new();
    for _ in 0..ROUNDS {
        let started = Instant::now();
        std::hint::black_box(ops::coalitions::state(&store, COALITION).await?);
        unchanged.push(started.elapsed());
    }
    let mut after_arrival = Vec::new();
    for op in late {
        keep(&store, op).await?;
        let started = Instant::now();
        std::hint::black_box(ops::coalitions::state(&store, COALITION).await?);
        after_arrival.push(started.elapsed());
    }
    let mut checked = Vec::new();
    for round in 0..ROUNDS {
        let vote = OpKind::Vote { proposal: late[0].id.clone(), approve: round % 2 == 0 };
        let started = Instant::now();
        let parents = ops::coalitions::current_heads(&store, COALITION).await?;
        let op = Operation {
            id: format!("{}/ops/new{round}", initiative(1)),
            author: initiative(1),
            parents,
            published: 0,
            kind: vote,
            keys: Default::default(),
        };
        std::hint::black_box(ops::coalitions::check_new(&store, COALITION, &op).await.is_ok());
        checked.push(started.elapsed());
    }
    println!("coalition of {members} members, log of {} operations (then {} more, one at a time)", kept.len(), late.len());
    println!("fresh parse and fold:                 {:>8.3} ms", median_ms(fresh));
    println!("state, log unchanged (memo):          {:>8.3} ms", median_ms(median(unchanged)));
    println!("state, right after an operation came: {:>8.3} ms", median_ms(median(after_arrival)));
    println!("a new operation made and checked:     {:>8.3} ms", median_ms(median(checked)));
    Ok(())
}

fn median_ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
