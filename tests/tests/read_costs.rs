//! What the hot reads cost the database, on SQLite and PostgreSQL: the front page and `/hulp`
//! run no more statements with many needs than with few, and a page of 20 statuses or
//! notifications runs no more SQL statements than a page of 2 that already holds every kind of
//! fact (each page is read in a fixed number of statements, not a few per status).
//!
//! Every statement those reads run is then put to the database's planner (`EXPLAIN QUERY PLAN`
//! on SQLite, `EXPLAIN` of the generic plan on PostgreSQL with sequential scans off): none may
//! read all of `posts`, `notifications`, or what grows with them.
//!
//! Statements are counted as sqlx reports them (one `sqlx::query` event each), by a
//! subscriber for this whole test binary: the backends run one after the other in one test,
//! and each request is counted, once the node is quiet, as the fewest of a few tries, so that
//! the node's own work (delivery, matching, housekeeping) does not count.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::{Actor, Visibility};
use buurtnet_domain::ops;
use buurtnet_domain::store::{Handle, Raw, Store};
use buurtnet_tests::app::bearer;
use buurtnet_tests::harness::{Backend, TestNode, sample_need};
use serde_json::Value;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// Statements run by this process so far.
static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

/// The text of each statement run since [`record`] was last called.
static RECORDED: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Counts every statement sqlx logs, and keeps its text.
struct CountStatements;

impl<S: tracing::Subscriber> Layer<S> for CountStatements {
    fn on_event(&self, event: &tracing::Event<'_>, _context: Context<'_, S>) {
        STATEMENTS.fetch_add(1, Ordering::SeqCst);
        let mut text = StatementText::default();
        event.record(&mut text);
        let sql = if text.statement.trim().is_empty() { text.summary } else { text.statement.trim().to_string() };
        RECORDED.lock().expect("recorded statements").push(sql);
    }
}

/// A statement's SQL as sqlx logs it: `summary` alone when short, `db.statement` in full when not.
#[derive(Default)]
struct StatementText {
    summary: String,
    statement: String,
}

impl tracing::field::Visit for StatementText {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        match field.name() {
            "summary" => self.summary = value.to_string(),
            "db.statement" => self.statement = value.to_string(),
            _ => {}
        }
    }

    fn record_debug(&mut self, _field: &tracing::field::Field, _value: &dyn std::fmt::Debug) {}
}

/// The statements recorded since the last call.
fn recorded() -> Vec<String> {
    std::mem::take(&mut *RECORDED.lock().expect("recorded statements"))
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

/// Pages the reads that every app opens with, each at 2 and at 20; and asks the database how
/// it would run each of their statements.
async fn pages_cost_a_fixed_number_of_statements(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let anna = fill(&node).await?;
    let base = node.base_url();
    let token = bearer(&base, &anna.username, "read").await?;
    for path in ["/api/v1/timelines/home", "/api/v1/timelines/public", "/api/v1/timelines/tag/buurt", "/api/v1/notifications"] {
        let (small, shown_small) = statements_of(&base, &format!("{path}?limit=2"), Some(&token)).await?;
        let (large, shown_large) = statements_of(&base, &format!("{path}?limit=20"), Some(&token)).await?;
        println!("{backend:?} {path}: {small} statements for {shown_small} entries, {large} for {shown_large}");
        anyhow::ensure!(shown_small == 2 && shown_large == 20, "{path} shows {shown_small} and {shown_large} entries");
        anyhow::ensure!(large <= small, "{path}: a page of 20 runs {large} statements, a page of 2 runs {small}");
        plans_find_rows_through_indexes(&node, backend, path, Some(&token)).await?;
    }
    pages_cost_the_same_however_many_proposals(&node, backend).await
}

/// The front page and `/hulp` (anonymously) with 2 needs, then with 14: no more statements.
async fn pages_cost_the_same_however_many_proposals(node: &TestNode, backend: Backend) -> Result<()> {
    let base = node.base_url();
    let initiative = node.add_initiative("hulp", false).await?;
    let coordinator = node.add_member("coby", Some(&initiative)).await?;
    let context = node.context();
    let publish_needs = async |count: usize| -> Result<()> {
        for n in 0..count {
            let visibility = if n % 2 == 0 { Some(Visibility::Public) } else { None };
            let audience = ops::proposals::Audience { visibility, ..Default::default() };
            let draft = sample_need(&format!("Boodschappen {n}"));
            ops::proposals::publish(node.store(), &context.urls, &coordinator, &initiative, &draft, &audience).await?;
        }
        Ok(())
    };
    publish_needs(2).await?;
    let few = [statements_of(&base, "/", None).await?.0, statements_of(&base, "/hulp", None).await?.0];
    publish_needs(12).await?;
    let many = [statements_of(&base, "/", None).await?.0, statements_of(&base, "/hulp", None).await?.0];
    println!("{backend:?} front page and /hulp: {few:?} statements with 2 needs, {many:?} with 14");
    anyhow::ensure!(many[0] <= few[0] && many[1] <= few[1], "with more needs the pages run more statements: {few:?}, then {many:?}");
    plans_find_rows_through_indexes(node, backend, "/", None).await?;
    plans_find_rows_through_indexes(node, backend, "/hulp", None).await
}

/// Reads `path` once and has the database plan each statement it ran (`SHOW_PLANS=1` prints
/// them): none may read a whole big table.
async fn plans_find_rows_through_indexes(node: &TestNode, backend: Backend, path: &str, token: Option<&str>) -> Result<()> {
    until_quiet().await;
    recorded();
    read(&node.base_url(), path, token).await?;
    let selects: Vec<String> = recorded().into_iter().filter(|sql| sql.starts_with("SELECT")).collect();
    println!("{backend:?} {path}: {} statements planned", selects.len());
    let mut plans = Vec::new();
    for sql in &selects {
        let plan = plan_of(node.store(), sql).await?;
        if std::env::var("SHOW_PLANS").is_ok() {
            println!("---\n{sql}\n{plan}");
        }
        anyhow::ensure!(!scans_a_big_table(sql, &plan), "{path} reads a whole table:\n{sql}\n{plan}");
        plans.push(plan);
    }
    if backend == Backend::Sqlite {
        for index in indexes_walked_in_order(path) {
            anyhow::ensure!(plans.iter().any(|plan| plan.contains(index)), "{path} does not walk {index}:\n{}", plans.join("\n---\n"));
        }
    }
    Ok(())
}

/// The indexes a read must walk in its page's order on SQLite: without them it found every
/// open need or offer (the front page, `/hulp`) or every boost (a home) through another
/// index and sorted them all, or passed every newer post nobody else may read (the public
/// timeline, the front page's news), which no check of whole-table scans sees.
fn indexes_walked_in_order(path: &str) -> &'static [&'static str] {
    match path {
        "/" => &["proposals_open", "posts_public_published"],
        "/hulp" => &["proposals_open_newest"],
        "/api/v1/timelines/home" => &["reactions_kind_status"],
        "/api/v1/timelines/public" => &["posts_public_newest"],
        _ => &[],
    }
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

/// The tables that grow with what the node holds: a hot read must find its rows through an
/// index, never by a full scan.
const BIG_TABLES: [&str; 5] = ["posts", "notifications", "post_recipients", "reactions", "initiative_members"];

/// Whether a plan reads all of a big table: SQLite's `SCAN posts` (also through an index,
/// unless the index is walked in the order asked for and the walk stops at a `LIMIT`), or
/// its `MULTI-INDEX OR` (every row each alternative finds is read, then all are sorted: the
/// home timeline read all posts of those followed that way), or PostgreSQL's
/// `Seq Scan on posts` with sequential scans made as costly as they can be.
fn scans_a_big_table(sql: &str, plan: &str) -> bool {
    let names: Vec<&str> = BIG_TABLES.iter().flat_map(|table| names_of(table, sql)).collect();
    let walks_in_order = sql.contains("LIMIT") && !plan.contains("USE TEMP B-TREE");
    plan.lines().any(|line| {
        let line = line.trim();
        let scanned = line.strip_prefix("SCAN ").and_then(|rest| rest.split_whitespace().next());
        let stops_early = walks_in_order && line.contains(" USING ") && line.contains("INDEX");
        BIG_TABLES.iter().any(|table| line.contains(&format!("Seq Scan on {table}")))
            || line.starts_with("MULTI-INDEX OR")
            || (scanned.is_some_and(|name| names.contains(&name)) && !stops_early)
    })
}

/// A table's name and the aliases `sql` gives it (`posts p`, `posts AS p`): SQLite's plans
/// name a table by its alias.
fn names_of<'a>(table: &'a str, sql: &'a str) -> Vec<&'a str> {
    let words: Vec<&str> = sql.split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')').filter(|w| !w.is_empty()).collect();
    let mut names = vec![table];
    for pair in words.windows(3).filter(|w| w[0] == table) {
        let alias = if pair[1].eq_ignore_ascii_case("AS") { pair[2] } else { pair[1] };
        if alias.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            names.push(alias);
        }
    }
    names
}

/// How the node's database would run `sql`, with every parameter NULL: SQLite's
/// `EXPLAIN QUERY PLAN`, or PostgreSQL's generic plan of the statement prepared.
async fn plan_of(store: &Store, sql: &str) -> Result<String> {
    let parameters = (1..).take_while(|n| sql.contains(&format!("${n}"))).count();
    let mut conn = store.conn().await?;
    let lines: Vec<String> = match conn.raw() {
        Raw::Sqlite(c) => {
            let explain = format!("EXPLAIN QUERY PLAN {sql}");
            let mut query = sqlx::query_as::<_, (i64, i64, i64, String)>(&explain);
            for _ in 0..parameters {
                query = query.bind(None::<i64>);
            }
            query.fetch_all(&mut *c).await?.into_iter().map(|(_, _, _, detail)| detail).collect()
        }
        Raw::Postgres(c) => {
            let prepare = format!("SET enable_seqscan = off; SET plan_cache_mode = force_generic_plan; PREPARE hot AS {sql}");
            sqlx::raw_sql(&prepare).execute(&mut *c).await?;
            let nulls = vec!["NULL"; parameters].join(", ");
            let execute = if parameters == 0 { "EXECUTE hot".to_string() } else { format!("EXECUTE hot({nulls})") };
            let explain = format!("EXPLAIN {execute}");
            let plan = sqlx::query_scalar::<_, String>(&explain).fetch_all(&mut *c).await?;
            sqlx::raw_sql("DEALLOCATE hot; RESET enable_seqscan; RESET plan_cache_mode").execute(&mut *c).await?;
            plan
        }
    };
    Ok(lines.join("\n"))
}

/// One read of `path`, as `token`'s member when given.
async fn read(base: &str, path: &str, token: Option<&str>) -> Result<String> {
    let mut request = reqwest::Client::new().get(format!("{base}{path}"));
    if let Some(token) = token {
        request = request.header("authorization", token);
    }
    Ok(request.send().await?.error_for_status()?.text().await?)
}

/// Waits (up to ten seconds) until the node has run no statement for a quarter of a second:
/// what a request set going in the background (matching, delivery) is done.
async fn until_quiet() {
    for _ in 0..40 {
        let before = STATEMENTS.load(Ordering::SeqCst);
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        if STATEMENTS.load(Ordering::SeqCst) == before {
            return;
        }
    }
}

/// The fewest statements of three reads of `path`, and how many entries it showed (for JSON).
async fn statements_of(base: &str, path: &str, token: Option<&str>) -> Result<(usize, usize)> {
    let mut fewest = usize::MAX;
    let mut shown = 0;
    for _ in 0..3 {
        until_quiet().await;
        let before = STATEMENTS.load(Ordering::SeqCst);
        let page: Value = serde_json::from_str(&read(base, path, token).await?).unwrap_or_default();
        fewest = fewest.min(STATEMENTS.load(Ordering::SeqCst) - before);
        shown = page.as_array().map_or(0, Vec::len);
    }
    Ok((fewest, shown))
}
