//! A node process asked to stop (SIGTERM, as an init system does; Ctrl-C is SIGINT and goes
//! the same way) stops gracefully (issue 17): it refuses new connections at once, lets the
//! request in flight finish, parks the deliveries it was sending (their leases released, no
//! attempt counted), closes the database and says so in its log. A request that does not
//! finish is cut off after the grace period; a second signal stops the node at once.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::Visibility;
use buurtnet_domain::ops::posts::PostDraft;
use buurtnet_domain::urls::LocalUrls;
use buurtnet_domain::{Store, ops, store};
use buurtnet_tests::harness::eventually;
use buurtnet_tests::process::{NodeProcess, signal};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio::process::Child;

const APP_FORM: &str = "client_name=Buurtapp&redirect_uris=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob&scopes=read";

/// A node process that logs at `info` to a pipe, with `grace` seconds for work in flight.
async fn node_with_grace(grace: u64) -> Result<(NodeProcess, Child)> {
    let process = NodeProcess::new(&format!("[server]\nshutdown_grace_secs = {grace}\n"))?;
    let mut command = process.command(&["serve"]);
    command.env("BUURTNET_LOG", "info").stderr(Stdio::piped());
    let child = process.serve_with(command).await?;
    Ok((process, child))
}

/// A request whose headers and half of whose body are sent: the node is serving it.
async fn half_sent_request(port: u16) -> Result<TcpStream> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    let head = format!(
        "POST /api/v1/apps HTTP/1.1\r\nHost: localhost:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        APP_FORM.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(&APP_FORM.as_bytes()[..APP_FORM.len() / 2]).await?;
    // Let the node read the headers and start on the request.
    tokio::time::sleep(Duration::from_millis(300)).await;
    Ok(stream)
}

async fn refuses_connections(port: u16) -> Result<()> {
    eventually("the node refuses new connections", || async { Ok(TcpStream::connect(("127.0.0.1", port)).await.is_err().then_some(())) })
        .await
}

/// Waits for the process to end within `limit`; its exit code and log.
async fn ended_within(child: Child, limit: Duration) -> Result<(Option<i32>, String)> {
    let output = tokio::time::timeout(limit, child.wait_with_output()).await.context("the node did not stop in time")??;
    Ok((output.status.code(), String::from_utf8_lossy(&output.stderr).to_string()))
}

/// Requests to `/health` on fresh connections until the node is gone; each ends with a
/// whole answer or with no answer at all, never with a cut-off one. Returns how many were
/// answered.
async fn load(base: String) -> Result<usize> {
    let client = reqwest::Client::builder().pool_max_idle_per_host(0).build()?;
    let mut answered = 0;
    for _ in 0..10_000 {
        match client.get(format!("{base}/health")).send().await {
            Ok(response) => {
                anyhow::ensure!(response.status().is_success(), "health answered {}", response.status());
                response.bytes().await.context("an answer cut off halfway")?;
                answered += 1;
            }
            Err(_) => return Ok(answered),
        }
    }
    Ok(answered)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopping_node_finishes_the_request_in_flight_and_refuses_new_ones() -> Result<()> {
    let (process, child) = node_with_grace(10).await?;
    let mut stream = half_sent_request(process.port).await?;
    let traffic = tokio::spawn(load(process.base_url()));
    tokio::time::sleep(Duration::from_millis(200)).await;

    signal(&child, "TERM")?;
    refuses_connections(process.port).await?;
    stream.write_all(&APP_FORM.as_bytes()[APP_FORM.len() / 2..]).await?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await?;
    assert!(answer.starts_with("HTTP/1.1 200"), "the request in flight gets its whole answer: {answer:?}");
    assert!(answer.contains("client_id"), "{answer}");

    let (code, log) = ended_within(child, Duration::from_secs(10)).await?;
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains("stopped cleanly") && log.contains("cut_connections=0"), "{log}");
    let answered = traffic.await??;
    assert!(answered > 0, "the load was served until the stop");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_never_finishes_is_cut_off_after_the_grace_period() -> Result<()> {
    let (process, child) = node_with_grace(1).await?;
    let _stuck = half_sent_request(process.port).await?;
    let asked = Instant::now();
    signal(&child, "TERM")?;
    let (code, log) = ended_within(child, Duration::from_secs(8)).await?;
    assert_eq!(code, Some(0), "{log}");
    assert!(asked.elapsed() >= Duration::from_millis(900), "it waited for the grace period: {:?}", asked.elapsed());
    assert!(log.contains("cut_connections=1"), "{log}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_signal_stops_the_node_at_once() -> Result<()> {
    let (process, mut child) = node_with_grace(60).await?;
    let _stuck = half_sent_request(process.port).await?;
    signal(&child, "INT")?;
    refuses_connections(process.port).await?;
    assert!(child.try_wait()?.is_none(), "one signal waits for the request in flight");
    let asked = Instant::now();
    signal(&child, "TERM")?;
    let (code, log) = ended_within(child, Duration::from_secs(5)).await?;
    assert_eq!(code, Some(130), "{log}");
    assert!(asked.elapsed() < Duration::from_secs(5));
    assert!(log.contains("second signal"), "{log}");
    Ok(())
}

/// The follower's server takes the connection and never answers: the delivery to it is in
/// flight when the node is asked to stop.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_in_flight_are_parked_for_the_next_start() -> Result<()> {
    let silent = std::net::TcpListener::bind("127.0.0.1:0")?;
    let silent_port = silent.local_addr()?.port();
    let (process, child) = node_with_grace(1).await?;
    process.add_member("schrijver").await?;
    let store = Store::connect(&process.database_url()).await?;
    let author = store::actors::local_by_username(&mut store.conn().await?, "schrijver").await?.context("author")?;
    buurtnet_tests::harness::add_stand_in_follower(&store, &format!("http://127.0.0.1:{silent_port}/users/stil"), &author).await?;
    let urls = LocalUrls::new(&format!("localhost:{}", process.port), false)?;
    let draft = PostDraft::plain("Wie komt er dinsdag soep eten?", Visibility::Public, vec![]);
    ops::posts::publish(&store, &urls, &author, &author, &draft).await?;
    let sending = eventually("the delivery to the silent follower is being sent", || async {
        let leased = store::deliveries::leased(&mut store.conn().await?).await?;
        Ok((!leased.is_empty()).then_some(leased))
    })
    .await?;

    signal(&child, "TERM")?;
    let (code, log) = ended_within(child, Duration::from_secs(8)).await?;
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains(&format!("parked_deliveries={}", sending.len())), "{log}");
    assert!(store::deliveries::leased(&mut store.conn().await?).await?.is_empty(), "no lease is left behind");
    let (pending, delivered, failed) = store::deliveries::counts(&mut store.conn().await?).await?;
    assert_eq!((pending, delivered, failed), (sending.len() as i64, 0, 0), "parked, not lost or given up");
    let due = store::deliveries::claim_due(&mut store.begin().await?, store.process_id(), 10, 1, &[]).await?;
    assert!(due.iter().all(|d| d.attempts == 0) && due.len() == sending.len(), "due at once, no attempt counted: {due:?}");
    drop(silent);
    Ok(())
}
