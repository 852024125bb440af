//! What the hot reads cost the database, on SQLite and PostgreSQL: a page of 20 statuses or
//! notifications runs no more SQL statements than a page of 2 that already holds every kind of
//! fact (each page is read in a fixed number of statements, not a few per status).
//!
//! Statements are counted as sqlx reports them (one `sqlx::query` event each), by a
//! subscriber for this whole test binary: the backends run one after the other in one test,
//! and each request is counted as the fewest of a few tries, so that the node's own timers
//! (delivery, housekeeping) do not count.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::{Actor, Visibility};
use buurtnet_domain::ops;
use buurtnet_tests::app::bearer;
use buurtnet_tests::harness::{Backend, TestNode};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// Statements run by this process so far.
static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

/// Counts every statement sqlx logs.
struct CountStatements;

impl<S: tracing::Subscriber> Layer<S> for CountStatements {
    fn on_event(&self, _event: &tracing::Event<'_>, _context: Context<'_, S>) {
        STATEMENTS.fetch_add(1, Ordering::SeqCst);
    }
}

fn count_statements() {
    let only_queries = Targets::new().with_target("sqlx::query", tracing::Level::DEBUG);
    let subscriber = tracing_subscriber::registry().with(CountStatements.with_filter(only_queries));
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber of this binary");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_costs_the_same_statements_whatever_it_holds() -> Result<()> {
    count_statements();
    for backend in [Backend::Sqlite, Backend::Postgres] {
        pages_cost_a_fixed_number_of_statements(backend).await.with_context(|| format!("on {backend:?}"))?;
    }
    Ok(())
}

/// Pages the reads that every app opens with, each at 2 and at 20.
async fn pages_cost_a_fixed_number_of_statements(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let anna = fill(&node).await?;
    let base = node.base_url();
    let token = bearer(&base, &anna.username, "read").await?;
    for path in ["/api/v1/timelines/home", "/api/v1/timelines/public", "/api/v1/timelines/tag/buurt", "/api/v1/notifications"] {
        let (small, shown_small) = statements_of(&base, &format!("{path}?limit=2"), &token).await?;
        let (large, shown_large) = statements_of(&base, &format!("{path}?limit=20"), &token).await?;
        println!("{backend:?} {path}: {small} statements for {shown_small} entries, {large} for {shown_large}");
        anyhow::ensure!(shown_small == 2 && shown_large == 20, "{path} shows {shown_small} and {shown_large} entries");
        anyhow::ensure!(large <= small, "{path}: a page of 20 runs {large} statements, a page of 2 runs {small}");
    }
    Ok(())
}

/// Ten rounds, so that every two newest entries of each read already hold every kind of
/// fact a page can need: Anna posts publicly (hashtag, mention of Bert), Bert likes and boosts
/// it and answers (a reply, a mention of her: notifications), then Anna writes to her
/// followers only (visibility to decide) and bookmarks it; each follows the other.
async fn fill(node: &TestNode) -> Result<Actor> {
    let initiative = node.add_initiative("buurt", false).await?;
    let anna = node.add_member("anna", Some(&initiative)).await?;
    let bert = node.add_member("bert", None).await?;
    node.follow(&bert, &anna.ap_id).await?;
    node.follow(&anna, &bert.ap_id).await?;
    let context = node.context();
    let (store, urls) = (node.store(), &context.urls);
    for n in 0..10 {
        let post = node.publish(&anna, &format!("Bericht {n} voor @bert over #buurt"), Visibility::Public).await?;
        ops::reactions::react(store, urls, &bert, post.id, ops::reactions::LIKE).await?;
        ops::reactions::react(store, urls, &bert, post.id, ops::reactions::ANNOUNCE).await?;
        node.reply(&bert, &post.ap_id, &format!("@anna antwoord op {n} #buurt")).await?;
        let private = node.publish(&anna, &format!("Alleen voor volgers {n}, @bert #buurt"), Visibility::Followers).await?;
        ops::reactions::bookmark(store, &anna, private.id, true).await?;
    }
    Ok(anna)
}

/// The fewest statements of three reads of `path`, and how many entries it showed.
async fn statements_of(base: &str, path: &str, token: &str) -> Result<(usize, usize)> {
    let client = reqwest::Client::new();
    let mut fewest = usize::MAX;
    let mut shown = 0;
    for _ in 0..3 {
        let before = STATEMENTS.load(Ordering::SeqCst);
        let page: Value =
            client.get(format!("{base}{path}")).header("authorization", token).send().await?.error_for_status()?.json().await?;
        fewest = fewest.min(STATEMENTS.load(Ordering::SeqCst) - before);
        shown = page.as_array().map_or(0, Vec::len);
    }
    Ok((fewest, shown))
}
