//! Outside development mode a node never delivers to `http://` or local addresses, and it
//! says so; nothing is retried there.

use anyhow::Result;
use buurtnet_domain::model::Visibility;
use buurtnet_tests::harness::{Backend, TestNode, add_stand_in_follower, eventually};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_node_refuses_to_deliver_to_http_and_loopback() -> Result<()> {
    let mut node = TestNode::start(Backend::Sqlite).await?;
    node.config.dev = false;
    node.restart().await?;
    let author = node.add_member("schrijver", None).await?;
    assert!(author.ap_id.starts_with("https://"), "production ids are https");

    for (n, base) in ["http://peer.example", "https://127.0.0.1:8443", "https://localhost"].iter().enumerate() {
        add_stand_in_follower(node.store(), &format!("{base}/users/f{n}"), &author).await?;
    }

    node.publish(&author, "Dit mag niet naar onveilige adressen", Visibility::Public).await?;
    let failed = eventually("deliveries are refused", || async {
        let (pending, _, failed) = node.delivery_counts().await?;
        Ok((pending == 0 && failed == 3).then_some(failed))
    })
    .await?;
    assert_eq!(failed, 3);
    Ok(())
}
