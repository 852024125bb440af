//! Inbox: signed `Create(Note)`s addressed to a member here, from [`ACTORS`] remote actors
//! whose keys the node already holds, [`IN_FLIGHT`] at a time. Every request is signed
//! before the clock starts; the node answers after the note is stored, and the count of
//! stored notes is checked in its database afterwards. On SQLite (the default) and on a
//! PostgreSQL cluster this program starts, durable as SQLite is (`synchronous_commit = off`,
//! fsync on); its memory is the node's alone, the database server's is not counted.

use crate::bounds::{Bounds, IN_FLIGHT};
use crate::node::{BenchNode, PEAK_GOAL_MB};
use crate::report::{Figure, Goal};
use crate::standins::{Peer, Prepared, fire, keys, prepared_get, prepared_signed_post};
use anyhow::Result;
use buurtnet_tests::pg::PgCluster;
use buurtnet_tests::process::NodeProcess;

pub const ACTORS: usize = 200;
/// Notes timed per run: at 5,000 a second a run lasts about two seconds (with 4,000 it lasted
/// under one, and the runs of one invocation differed by a fifth).
pub const NOTES: usize = 10_000;

struct Run {
    stored_per_second: f64,
    empty_per_second: f64,
    peak_mb: f64,
    /// How much the database grew for each note (pages in use, WAL included).
    bytes_per_note: f64,
}

/// Where the node keeps its data.
pub enum Database<'c> {
    Sqlite,
    Postgres(&'c PgCluster),
}

impl Database<'_> {
    fn name(&self) -> &'static str {
        match self {
            Database::Sqlite => "SQLite",
            Database::Postgres(_) => "PostgreSQL",
        }
    }
}

pub async fn figures(bounds: &Bounds, runs: usize) -> Result<Vec<Figure>> {
    let done = measured_runs(&Database::Sqlite, runs).await?;
    let empty = median_of(&done, |r| r.empty_per_second);
    let bound = bounds.verify().min(empty);
    let bound_name = if bounds.verify() <= empty { "/s RSA-2048 verify (best library)" } else { "/s empty requests to the node" };
    Ok(vec![
        Figure::new(
            format!("node: empty requests (`/health`), {IN_FLIGHT} in flight"),
            "/s",
            done.iter().map(|r| r.empty_per_second).collect(),
        ),
        Figure::new(
            format!("inbox: signed notes stored, {ACTORS} actors, {IN_FLIGHT} in flight"),
            "/s",
            done.iter().map(|r| r.stored_per_second).collect(),
        )
        .against(bound_name, bound)
        .goal(Goal::AtLeastRatio(0.2)),
        Figure::new("inbox: peak resident memory", "MB", done.iter().map(|r| r.peak_mb).collect()).goal(Goal::AtMost(PEAK_GOAL_MB)),
        Figure::new("inbox: database growth per stored note (SQLite)", "bytes", done.iter().map(|r| r.bytes_per_note).collect()),
    ])
}

/// The inbox on PostgreSQL: the same load, against the same bound.
pub async fn figures_on_postgres(bounds: &Bounds, runs: usize) -> Result<Vec<Figure>> {
    let cluster = PgCluster::start_durable()?;
    let done = measured_runs(&Database::Postgres(&cluster), runs).await?;
    let bound = bounds.verify().min(median_of(&done, |r| r.empty_per_second));
    Ok(vec![
        Figure::new(
            format!("inbox on PostgreSQL: signed notes stored, {IN_FLIGHT} in flight"),
            "/s",
            done.iter().map(|r| r.stored_per_second).collect(),
        )
        .against("/s the lower of verify and empty requests", bound)
        .goal(Goal::AtLeastRatio(0.2)),
        Figure::new("inbox on PostgreSQL: peak resident memory of the node", "MB", done.iter().map(|r| r.peak_mb).collect())
            .goal(Goal::AtMost(PEAK_GOAL_MB)),
        Figure::new("inbox: database growth per stored note (PostgreSQL)", "bytes", done.iter().map(|r| r.bytes_per_note).collect()),
    ])
}

async fn measured_runs(database: &Database<'_>, runs: usize) -> Result<Vec<Run>> {
    let keys = keys(ACTORS).await?;
    let mut done = Vec::new();
    for run in 0..runs {
        done.push(one_run(keys.clone(), run, database).await?);
        eprintln!("inbox run {run} on {}: {:.0} stored/s", database.name(), done[run].stored_per_second);
    }
    Ok(done)
}

fn median_of(runs: &[Run], figure: impl Fn(&Run) -> f64) -> f64 {
    crate::report::median(&runs.iter().map(figure).collect::<Vec<_>>())
}

async fn one_run(keys: Vec<crate::standins::KeyPem>, run: usize, database: &Database<'_>) -> Result<Run> {
    let peer = Peer::start(keys).await?;
    let (process, database_url) = match database {
        Database::Sqlite => {
            let process = NodeProcess::new("")?;
            let url = process.database_url();
            (process, url)
        }
        Database::Postgres(cluster) => {
            let url = cluster.create_database(&format!("bench_inbox_{run}"))?;
            (NodeProcess::new(&format!("database_url = \"{url}\"\n"))?, url)
        }
    };
    process.add_member("schrijver").await?;
    let node = BenchNode::serve(process).await?;
    let base = node.base_url();

    introduce(&peer, &base, run).await?;
    let requests = notes(&peer, &base, run, ACTORS..ACTORS + NOTES)?;
    let size_before = database_bytes(&database_url).await?;
    let sampler = node.sample_memory()?;
    let fired = fire(requests, IN_FLIGHT).await;
    let peak_mb = sampler.peak().await?;
    anyhow::ensure!(fired.failed == 0, "{} of {NOTES} notes were refused: {:?}", fired.failed, fired.first_failure);
    let stored = stored_notes(&database_url, peer.origin()).await?;
    anyhow::ensure!(stored == (ACTORS + NOTES) as i64, "{stored} notes stored of {}", ACTORS + NOTES);
    let bytes_per_note = (database_bytes(&database_url).await? - size_before) / NOTES as f64;

    let empty = fire((0..NOTES).map(|_| prepared_get(&format!("{base}/health"))).collect(), IN_FLIGHT).await;
    Ok(Run { stored_per_second: fired.per_second(), empty_per_second: empty.per_second(), peak_mb, bytes_per_note })
}

/// Every actor sends one note, so the node holds every key before the clock starts.
pub async fn introduce(peer: &Peer, base: &str, run: usize) -> Result<()> {
    let introduced = fire(notes(peer, base, run, 0..ACTORS)?, 16).await;
    anyhow::ensure!(introduced.failed == 0, "{} introductions failed: {:?}", introduced.failed, introduced.first_failure);
    Ok(())
}

/// Notes number `range`, each from actor `n % ACTORS`, signed now.
pub fn notes(peer: &Peer, base: &str, run: usize, range: std::ops::Range<usize>) -> Result<Vec<Prepared>> {
    let signers: Vec<_> = (0..ACTORS).map(|n| peer.signer(n)).collect::<Result<_>>()?;
    let member = format!("{base}/users/schrijver");
    range
        .map(|i| {
            let actor = peer.actor_id(i % ACTORS);
            let note = format!("{}/notes/bench-{run}-{i}", peer.origin());
            let activity = serde_json::json!({
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": format!("{note}/activity"), "type": "Create", "actor": actor, "to": [member],
                "object": {"id": note, "type": "Note", "attributedTo": actor, "to": [member],
                           "content": format!("<p>Hoi, kan iemand helpen met de boodschappen? ({i})</p>"),
                           "published": chrono::Utc::now().to_rfc3339()}
            });
            prepared_signed_post(&format!("{base}/inbox"), activity.to_string().into_bytes(), &signers[i % ACTORS])
        })
        .collect()
}

async fn stored_notes(database_url: &str, origin: &str) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM posts WHERE ap_id LIKE $1";
    number(database_url, sql, Some(format!("{origin}/notes/bench-%"))).await
}

/// The space the database uses, in bytes: SQLite's pages in use (read through SQLite, so the
/// WAL counts too), PostgreSQL's database size.
async fn database_bytes(database_url: &str) -> Result<f64> {
    let sql = if database_url.starts_with("sqlite:") {
        "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()"
    } else {
        "SELECT pg_database_size(current_database())"
    };
    Ok(number(database_url, sql, None).await? as f64)
}

/// The one number `sql` gives (with `bind` as `$1`, if any), on either database.
async fn number(database_url: &str, sql: &str, bind: Option<String>) -> Result<i64> {
    if database_url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(database_url).await?;
        let found = sqlx::query_scalar(sql).bind(bind).fetch_one(&pool).await;
        pool.close().await;
        return Ok(found?);
    }
    let pool = sqlx::PgPool::connect(database_url).await?;
    let found = if bind.is_some() {
        sqlx::query_scalar(sql).bind(bind).fetch_one(&pool).await
    } else {
        sqlx::query_scalar(sql).fetch_one(&pool).await
    };
    pool.close().await;
    Ok(found?)
}
