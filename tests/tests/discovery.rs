//! What other servers and browsers see first: WebFinger, host-meta, NodeInfo, actor
//! documents with content negotiation, collections, and authorized fetch.

use anyhow::Result;
use buurtnet_domain::model::Visibility;
use buurtnet_tests::harness::{Backend, TestNode};
use serde_json::Value;

async fn get(url: &str, accept: &str) -> Result<(u16, String, String)> {
    let response = reqwest::Client::new().get(url).header("accept", accept).send().await?;
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    Ok((status, content_type, response.text().await?))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webfinger_nodeinfo_and_host_meta_describe_the_node() -> Result<()> {
    let node = TestNode::start(Backend::Sqlite).await?;
    let initiative = node.add_initiative("buurthuis", false).await?;
    let member = node.add_member("greet", Some(&initiative)).await?;
    let domain = format!("localhost:{}", node.port);
    let base = node.base_url();

    for (handle, id) in [(format!("greet@{domain}"), &member.ap_id), (format!("buurthuis@{domain}"), &initiative.ap_id)] {
        let (status, content_type, body) =
            get(&format!("{base}/.well-known/webfinger?resource=acct:{handle}"), "application/jrd+json").await?;
        assert_eq!(status, 200);
        assert!(content_type.starts_with("application/jrd+json"));
        let jrd: Value = serde_json::from_str(&body)?;
        assert_eq!(jrd["subject"], format!("acct:{handle}"));
        let me = jrd["links"].as_array().unwrap().iter().find(|l| l["rel"] == "self").unwrap();
        assert_eq!(me["href"], id.as_str());
        assert_eq!(me["type"], "application/activity+json");
    }
    let (status, _, _) = get(&format!("{base}/.well-known/webfinger?resource=acct:niemand@{domain}"), "application/jrd+json").await?;
    assert_eq!(status, 404);
    let (status, _, _) = get(&format!("{base}/.well-known/webfinger?resource=acct:greet@elders.example"), "application/jrd+json").await?;
    assert_eq!(status, 404, "only our own domain");
    let (status, _, body) = get(&format!("{base}/.well-known/webfinger?resource=acct:{domain}@{domain}"), "application/jrd+json").await?;
    assert_eq!(status, 200);
    assert!(body.contains(&format!("{base}/actor")), "the instance actor is discoverable: {body}");

    let (_, _, links) = get(&format!("{base}/.well-known/nodeinfo"), "application/json").await?;
    let links: Value = serde_json::from_str(&links)?;
    let rels: Vec<&str> = links["links"].as_array().unwrap().iter().map(|l| l["rel"].as_str().unwrap()).collect();
    assert!(rels.contains(&"http://nodeinfo.diaspora.software/ns/schema/2.1"));
    assert!(rels.contains(&"https://www.w3.org/ns/activitystreams#Application"), "FEP-2677 link");
    for version in ["2.0", "2.1"] {
        let (status, _, body) = get(&format!("{base}/nodeinfo/{version}"), "application/json").await?;
        assert_eq!(status, 200);
        let info: Value = serde_json::from_str(&body)?;
        assert_eq!(info["version"], version);
        assert_eq!(info["software"]["name"], "buurtnet");
        assert_eq!(info["protocols"][0], "activitypub");
        assert_eq!(info["usage"]["users"]["total"], 1);
    }
    let (status, content_type, xml) = get(&format!("{base}/.well-known/host-meta"), "application/xrd+xml").await?;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("application/xrd+xml"));
    assert!(xml.contains(&format!("{base}/.well-known/webfinger?resource={{uri}}")));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn actor_urls_serve_json_to_servers_and_pages_to_browsers() -> Result<()> {
    let node = TestNode::start(Backend::Sqlite).await?;
    let initiative = node.add_initiative("buurthuis", true).await?;
    let member = node.add_member("greet", Some(&initiative)).await?;
    node.publish(&member, "Koffie staat klaar!", Visibility::Public).await?;

    for accept in ["application/activity+json", "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\""] {
        let (status, content_type, body) = get(&member.ap_id, accept).await?;
        assert_eq!(status, 200);
        assert_eq!(content_type, "application/activity+json");
        let actor: Value = serde_json::from_str(&body)?;
        assert_eq!(actor["type"], "Person");
        assert_eq!(actor["id"], member.ap_id.as_str());
        assert_eq!(actor["preferredUsername"], "greet");
        assert_eq!(actor["endpoints"]["sharedInbox"], format!("{}/inbox", node.base_url()));
        assert!(actor["publicKey"]["publicKeyPem"].as_str().unwrap().starts_with("-----BEGIN PUBLIC KEY-----"));
        assert_eq!(actor["assertionMethod"][0]["type"], "Multikey");
        assert!(actor["assertionMethod"][0]["publicKeyMultibase"].as_str().unwrap().starts_with("z6Mk"));
    }
    let (_, _, group) = get(&initiative.ap_id, "application/activity+json").await?;
    let group: Value = serde_json::from_str(&group)?;
    assert_eq!(group["type"], "Group");
    assert_eq!(group["manuallyApprovesFollowers"], true);
    let (_, _, app) = get(&format!("{}/actor", node.base_url()), "application/activity+json").await?;
    assert_eq!(serde_json::from_str::<Value>(&app)?["type"], "Application");

    let (status, content_type, page) = get(&member.ap_id, "text/html,application/xhtml+xml").await?;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/html"));
    assert!(page.contains("<html lang=\"nl\""));
    assert!(page.contains("GREET") && page.contains("Koffie staat klaar!"));
    let (status, _, _) = get(&format!("{}/users/niemand", node.base_url()), "text/html").await?;
    assert_eq!(status, 404);

    let (_, _, outbox) = get(&format!("{}/outbox", member.ap_id), "application/activity+json").await?;
    let outbox: Value = serde_json::from_str(&outbox)?;
    assert_eq!(outbox["type"], "OrderedCollection");
    assert_eq!(outbox["totalItems"], 1);
    let (_, _, page) = get(outbox["first"].as_str().unwrap(), "application/activity+json").await?;
    let page: Value = serde_json::from_str(&page)?;
    assert_eq!(page["type"], "OrderedCollectionPage");
    assert_eq!(page["orderedItems"][0]["type"], "Create");
    assert_eq!(page["orderedItems"][0]["object"]["type"], "Note");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorized_fetch_requires_signed_gets_and_nodes_sign_theirs() -> Result<()> {
    let mut strict = TestNode::start(Backend::Sqlite).await?;
    strict.config.federation.authorized_fetch = true;
    strict.restart().await?;
    let other = TestNode::start(Backend::Sqlite).await?;
    let member = strict.add_member("streng", None).await?;
    let follower = other.add_member("volger", None).await?;

    let (status, _, _) = get(&member.ap_id, "application/activity+json").await?;
    assert_eq!(status, 401, "an unsigned GET is refused");
    let (status, _, _) = get(&format!("{}/followers", member.ap_id), "application/activity+json").await?;
    assert_eq!(status, 401);

    other.follow_and_wait(&follower, &member.ap_id).await?;
    Ok(())
}
