//! Backup and restore with real processes (issue 17): `buurtnet backup` while the node
//! serves, then `buurtnet restore` on a fresh machine (same domain, empty data directory).
//! The restored node federates as before: its follower on another node receives its next
//! post. It hands out no id again: a post written after the backup keeps its content
//! elsewhere. Media come back. A restore never writes over a node.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::{Post, Visibility};
use buurtnet_domain::ops::posts::PostDraft;
use buurtnet_domain::urls::LocalUrls;
use buurtnet_domain::{Store, ops, store};
use buurtnet_tests::harness::{Backend, TestNode, database_url, eventually};
use buurtnet_tests::process::{NodeProcess, signal};
use std::time::Duration;

/// Publishes as `schrijver` through the domain on the process's own database, as a second
/// writer (the CLI) would; the node's worker finds it within a second.
async fn publish(process: &NodeProcess, text: &str) -> Result<Post> {
    let store = Store::connect(&process.database_url()).await?;
    let urls = LocalUrls::new(&format!("localhost:{}", process.port), false)?;
    let author = store::actors::local_by_username(&mut store.conn().await?, "schrijver").await?.context("schrijver")?;
    let post = ops::posts::publish(&store, &urls, &author, &author, &PostDraft::plain(text, Visibility::Public, vec![])).await?;
    store.close().await;
    Ok(post)
}

async fn run(process: &NodeProcess, args: &[&str]) -> Result<(bool, String)> {
    let output = process.command(args).output().await?;
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    Ok((output.status.success(), said))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_restored_on_a_fresh_machine_federates_as_before_and_hands_out_no_id_twice() -> Result<()> {
    let elsewhere = TestNode::start(Backend::Sqlite).await?;
    let reader = elsewhere.add_member("lezer", None).await?;
    let old = NodeProcess::new("")?;
    old.add_member("schrijver").await?;
    std::fs::create_dir_all(old.data_dir().join("media"))?;
    std::fs::write(old.data_dir().join("media/soep.jpg"), b"a picture of soup")?;
    let serving = old.serve().await?;
    elsewhere.follow_and_wait(&reader, &format!("{}/users/schrijver", old.base_url())).await?;
    let before = publish(&old, "Geschreven voor de back-up").await?;
    eventually("the first post arrives", || async { elsewhere.post(&before.ap_id).await }).await?;

    let kept = tempfile::tempdir()?;
    let file = kept.path().join("buurtnet.tar.gz");
    let (ok, said) = run(&old, &["backup", file.to_str().context("path")?]).await?;
    assert!(ok && said.contains("1 media files"), "backup while serving: {said}");
    let after = publish(&old, "Geschreven na de back-up").await?;
    eventually("the second post arrives", || async { elsewhere.post(&after.ap_id).await }).await?;
    signal(&serving, "TERM")?;
    tokio::time::timeout(Duration::from_secs(15), serving.wait_with_output()).await??;

    let new = old.on_a_fresh_machine()?;
    let (ok, said) = run(&new, &["restore", file.to_str().context("path")?]).await?;
    assert!(ok && said.contains("Restored"), "restore: {said}");
    assert_eq!(std::fs::read(new.data_dir().join("media/soep.jpg"))?, b"a picture of soup");
    let (ok, said) = run(&new, &["restore", file.to_str().context("path")?]).await?;
    assert!(!ok && said.contains("already holds a node"), "a restore never writes over a node: {said}");

    let serving = new.serve().await?;
    let restored = publish(&new, "Geschreven na het terugzetten").await?;
    eventually("the restored node's post reaches its follower", || async { elsewhere.post(&restored.ap_id).await }).await?;
    assert_ne!(restored.ap_id, after.ap_id, "an id handed out after the backup is not handed out again");
    let kept_there = elsewhere.post(&after.ap_id).await?.context("the post from after the backup")?;
    assert!(kept_there.content.contains("na de back-up"), "it keeps its own content: {}", kept_there.content);
    signal(&serving, "TERM")?;
    tokio::time::timeout(Duration::from_secs(15), serving.wait_with_output()).await??;
    Ok(())
}

/// A file that is not a backup, or a backup into a node that exists, is refused with a
/// reason and changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_says_what_is_wrong_and_changes_nothing() -> Result<()> {
    let node = NodeProcess::new("")?;
    let junk = node.data_dir().join("niet-een-backup.tar.gz");
    std::fs::write(&junk, b"dit is geen archief")?;
    let (ok, said) = run(&node, &["restore", junk.to_str().context("path")?]).await?;
    assert!(!ok && said.contains("not a Buurtnet backup"), "{said}");
    assert!(!node.data_dir().join("buurtnet.db").exists(), "nothing was made");
    Ok(())
}

/// On PostgreSQL the backup holds a `pg_dump`; a restore into a new, empty database brings
/// back the same accounts (with their keys) and posts, and refuses a database that has tables.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgresql_node_is_backed_up_with_pg_dump_and_restored_into_an_empty_database() -> Result<()> {
    let scratch = tempfile::tempdir()?;
    let (old_url, new_url) = (database_url(Backend::Postgres, &scratch)?, database_url(Backend::Postgres, &scratch)?);
    let node = NodeProcess::new("")?;
    let on = |url: &str, args: &[&str]| {
        let mut command = node.command(args);
        command.env("BUURTNET_DATABASE_URL", url);
        command
    };
    let added = on(&old_url, &["member", "add", "schrijver"]).env("BUURTNET_PASSWORD", "lang-genoeg-wachtwoord").output().await?;
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let old = Store::connect(&old_url).await?;
    let urls = LocalUrls::new(&format!("localhost:{}", node.port), false)?;
    let author = store::actors::local_by_username(&mut old.conn().await?, "schrijver").await?.context("schrijver")?;
    let post =
        ops::posts::publish(&old, &urls, &author, &author, &PostDraft::plain("Soep op zaterdag", Visibility::Public, vec![])).await?;

    let file = scratch.path().join("pg.tar.gz");
    let file = file.to_str().context("path")?;
    let backup = on(&old_url, &["backup", file]).output().await?;
    assert!(backup.status.success(), "{}", String::from_utf8_lossy(&backup.stderr));
    let restore = on(&new_url, &["restore", file]).output().await?;
    assert!(restore.status.success(), "{}", String::from_utf8_lossy(&restore.stderr));
    let new = Store::connect(&new_url).await?;
    let there = store::actors::local_by_username(&mut new.conn().await?, "schrijver").await?.context("schrijver restored")?;
    assert_eq!((there.ap_id.as_str(), there.private_key_pem.is_some()), (author.ap_id.as_str(), true), "the account and its key");
    assert!(store::posts::by_ap_id(&mut new.conn().await?, &post.ap_id).await?.is_some_and(|p| p.content.contains("Soep")));
    let again = on(&new_url, &["restore", file]).output().await?;
    assert!(!again.status.success() && String::from_utf8_lossy(&again.stderr).contains("already has tables"));
    Ok(())
}
