//! A node process killed (SIGKILL) in the middle of delivering loses nothing: after a
//! restart it delivers everything still owed.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::Visibility;
use buurtnet_domain::ops::posts::PostDraft;
use buurtnet_domain::urls::LocalUrls;
use buurtnet_domain::{Store, ops, store};
use buurtnet_tests::harness::{Backend, TestNode, eventually};
use buurtnet_tests::process::NodeProcess;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_node_delivers_everything_after_restart() -> Result<()> {
    let receiver = TestNode::start(Backend::Sqlite).await?;
    let reader = receiver.add_member("lezer", None).await?;

    let process = NodeProcess::new("[federation.delivery]\nretry_base_ms = 200\nretry_max_ms = 1000\n")?;
    process.add_member("schrijver").await?;

    let mut child = process.serve().await?;
    let author_id = format!("http://localhost:{}/users/schrijver", process.port);
    receiver.follow_and_wait(&reader, &author_id).await?;

    // Publish through the domain on the process's own database, as a second writer would.
    let sender_store = Store::connect(&process.database_url()).await?;
    let urls = LocalUrls::new(&format!("localhost:{}", process.port), false)?;
    let author = store::actors::local_by_username(&mut sender_store.conn().await?, "schrijver").await?.context("author")?;
    let mut ids = Vec::new();
    for i in 0..30 {
        let draft = PostDraft::plain(format!("Bericht nummer {i}"), Visibility::Public, vec![]);
        ids.push(ops::posts::publish(&sender_store, &urls, &author, &author, &draft).await?.ap_id);
    }
    eventually("the first post arrives", || async {
        for id in &ids {
            if receiver.post(id).await?.is_some() {
                return Ok(Some(()));
            }
        }
        Ok(None)
    })
    .await?;
    child.start_kill()?;
    child.wait().await?;
    let mut arrived = 0;
    for id in &ids {
        arrived += usize::from(receiver.post(id).await?.is_some());
    }
    eprintln!("killed the node with {arrived} of {} posts delivered", ids.len());

    let mut restarted = process.serve().await?;
    for id in &ids {
        eventually("every post arrives after the restart", || async { receiver.post(id).await }).await?;
    }
    let delivered = eventually("the node records every delivery as done", || async {
        let (pending, delivered, failed) = store::deliveries::counts(&mut sender_store.conn().await?).await?;
        assert_eq!(failed, 0);
        Ok((pending == 0).then_some(delivered))
    })
    .await?;
    assert!(delivered >= 30, "every post was delivered ({delivered} deliveries)");
    restarted.start_kill()?;
    restarted.wait().await?;
    Ok(())
}
