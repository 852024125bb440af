//! Outside development mode a node never delivers to `http://` or local addresses, and it
//! says so; nothing is retried there.

use anyhow::Result;
use buurtnet_domain::model::{ActorKind, FollowState, NewActor, Visibility};
use buurtnet_domain::store;
use buurtnet_tests::harness::{Backend, TestNode, eventually};
use url::Url;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_node_refuses_to_deliver_to_http_and_loopback() -> Result<()> {
    let mut node = TestNode::start(Backend::Sqlite).await?;
    node.config.dev = false;
    node.restart().await?;
    let author = node.add_member("schrijver", None).await?;
    assert!(author.ap_id.starts_with("https://"), "production ids are https");

    let mut tx = node.store().begin().await?;
    for (n, base) in ["http://peer.example", "https://127.0.0.1:8443", "https://localhost"].iter().enumerate() {
        let id = Url::parse(&format!("{base}/users/f{n}"))?;
        let follower = store::actors::upsert(
            &mut tx,
            &NewActor {
                ap_id: id.clone(),
                kind: ActorKind::Person,
                username: format!("f{n}"),
                domain: id.host_str().unwrap_or_default().into(),
                is_local: false,
                display_name: String::new(),
                summary: String::new(),
                inbox: id.join("inbox")?,
                shared_inbox: None,
                outbox: None,
                followers: None,
                following: None,
                url: None,
                public_key_id: format!("{id}#main-key"),
                public_key_pem: "-".into(),
                private_key_pem: None,
                ed25519_public_multibase: None,
                ed25519_private_pkcs8: None,
                manually_approves_followers: false,
            },
        )
        .await?;
        store::follows::upsert(&mut tx, follower.id, author.id, FollowState::Accepted, &format!("{id}#follow")).await?;
    }
    tx.commit().await?;

    node.publish(&author, "Dit mag niet naar onveilige adressen", Visibility::Public).await?;
    let failed = eventually("deliveries are refused", || async {
        let (pending, _, failed) = node.delivery_counts().await?;
        Ok((pending == 0 && failed == 3).then_some(failed))
    })
    .await?;
    assert_eq!(failed, 3);
    Ok(())
}
