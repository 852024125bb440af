//! Coalitions (issue 6), the part built so far, over HTTP on both databases: founding one,
//! its replica as a `Group`, and its operations served with proofs that anyone can check
//! against the founding initiative's published key.

use anyhow::{Context as _, Result};
use buurtnet_domain::DomainError;
use buurtnet_domain::model::coalition::{Charter, OpKind};
use buurtnet_federation::error::FederationError;
use buurtnet_federation::objects::coalition_op;
use buurtnet_tests::harness::{Backend, TestNode};
use buurtnet_tests::on_both_backends;
use serde_json::Value;

on_both_backends!(
    a_founded_coalition_serves_its_replica_and_signed_operations,
    another_node_pulls_the_operations_and_refuses_a_forged_one,
    an_admitted_initiative_hosts_a_replica_that_agrees,
    admissions_take_effect_by_themselves_once_the_period_is_over
);

fn charter() -> Charter {
    Charter {
        name: "Welzijnscoalitie Delfshaven".into(),
        description: "Samen zorgen in Delfshaven".into(),
        sponsors_needed: 1,
        objection_days: 7,
    }
}

async fn get_json(url: &str) -> Result<(u16, Value)> {
    let response = reqwest::Client::new().get(url).header("accept", "application/activity+json").send().await?;
    let status = response.status().as_u16();
    Ok((status, response.json().await.unwrap_or(Value::Null)))
}

async fn a_founded_coalition_serves_its_replica_and_signed_operations(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    let fatima = node.add_member("fatima", Some(&zorg)).await?;
    let henk = node.add_member("henk", None).await?;
    let context = node.node.as_ref().context("running")?.context();
    let refused = buurtnet_federation::coalitions::found(&context, &henk, &zorg, "delfshaven", charter()).await;
    assert!(matches!(refused, Err(FederationError::Forbidden(_))), "only the initiative's coordinators found");
    let coalition = buurtnet_federation::coalitions::found(&context, &fatima, &zorg, "delfshaven", charter()).await?;
    assert!(coalition.starts_with("urn:buurtnet:coalition:"));
    let taken = buurtnet_federation::coalitions::found(&context, &fatima, &zorg, "delfshaven", charter()).await;
    assert!(matches!(taken, Err(FederationError::Domain(DomainError::Conflict(_)))), "one replica per name");

    let base = node.base_url();
    let (status, replica) = get_json(&format!("{base}/coalitions/delfshaven")).await?;
    assert_eq!(status, 200);
    assert_eq!(replica["type"], "Group");
    assert_eq!(replica["name"], "Welzijnscoalitie Delfshaven");
    assert_eq!(replica["bn:coalition"], coalition.as_str());
    assert_eq!(replica["bn:members"], serde_json::json!([zorg.ap_id]));
    assert_eq!(get_json(&format!("{base}/coalitions/bestaatniet")).await?.0, 404);

    let (_, page) = get_json(replica["bn:operations"].as_str().context("operations")?).await?;
    let items = page["orderedItems"].as_array().context("items")?;
    assert_eq!(items.len(), 1);
    // Anyone can check the founding operation with the key the initiative publishes.
    let (_, actor) = get_json(&zorg.ap_id).await?;
    let key = actor["assertionMethod"][0]["publicKeyMultibase"].as_str().context("the initiative's Ed25519 key")?;
    let (op, of) = coalition_op::parse_verified(&items[0], key)?;
    assert_eq!(of, coalition);
    assert!(matches!(op.kind, OpKind::Found { .. }));
    assert_eq!(op.author, zorg.ap_id);
    Ok(())
}

async fn another_node_pulls_the_operations_and_refuses_a_forged_one(backend: Backend) -> Result<()> {
    let a = TestNode::start(backend).await?;
    let b = TestNode::start(backend).await?;
    let zorg = a.add_initiative("zorg", false).await?;
    let fatima = a.add_member("fatima", Some(&zorg)).await?;
    let a_context = a.node.as_ref().context("running")?.context();
    let coalition = buurtnet_federation::coalitions::found(&a_context, &fatima, &zorg, "delfshaven", charter()).await?;
    let replica = url::Url::parse(&format!("{}/coalitions/delfshaven", a.base_url()))?;

    let b_context = b.node.as_ref().context("running")?.context();
    let pulled = buurtnet_federation::coalitions::pull(&b_context, &replica).await?;
    assert_eq!((pulled.taken, pulled.known, pulled.refused.len()), (1, 0, 0), "{pulled:?}");
    assert_eq!(pulled.coalition, coalition);
    let state = buurtnet_domain::ops::coalitions::state(b.store(), &coalition).await?;
    assert_eq!(state.members.iter().collect::<Vec<_>>(), vec![&zorg.ap_id], "the other node computes the same members");
    let again = buurtnet_federation::coalitions::pull(&b_context, &replica).await?;
    assert_eq!((again.taken, again.known), (0, 1), "nothing twice");

    // A forged operation slipped into A's replica (a charter change in Zorg's name, its proof
    // copied from the founding): B refuses it; the members stay as they were.
    let (_, page) = get_json(&format!("{replica}/operations")).await?;
    let mut forged = page["orderedItems"][0].clone();
    forged["id"] = serde_json::json!(format!("{}/activities/vervalst", a.base_url()));
    forged["object"]["bn:charter"]["name"] = serde_json::json!("Overgenomen door Mallory");
    let op = buurtnet_domain::model::coalition::Operation {
        id: forged["id"].as_str().unwrap_or_default().into(),
        author: zorg.ap_id.clone(),
        parents: vec![],
        published: 0,
        kind: OpKind::Leave,
    };
    buurtnet_domain::ops::coalitions::record(a.store(), &coalition, &op, &forged.to_string()).await?;
    let pulled = buurtnet_federation::coalitions::pull(&b_context, &replica).await?;
    assert_eq!((pulled.taken, pulled.refused.len()), (0, 1), "{pulled:?}");
    assert!(pulled.refused[0].1.contains("does not match"), "{pulled:?}");
    let state = buurtnet_domain::ops::coalitions::state(b.store(), &coalition).await?;
    assert_eq!(state.charter.map(|c| c.name), Some("Welzijnscoalitie Delfshaven".to_string()));
    Ok(())
}

async fn an_admitted_initiative_hosts_a_replica_that_agrees(backend: Backend) -> Result<()> {
    use buurtnet_domain::model::coalition::Change;
    let a = TestNode::start(backend).await?;
    let b = TestNode::start(backend).await?;
    let zorg = a.add_initiative("zorg", false).await?;
    let fatima = a.add_member("fatima", Some(&zorg)).await?;
    let paleis = b.add_initiative("paleis", false).await?;
    let kees = b.add_member("kees", Some(&paleis)).await?;
    let (a_context, b_context) = (a.node.as_ref().context("running")?.context(), b.node.as_ref().context("running")?.context());
    // No objection period, so that the test need not wait a week.
    let quick = Charter { objection_days: 0, ..charter() };
    let coalition = buurtnet_federation::coalitions::found(&a_context, &fatima, &zorg, "delfshaven", quick).await?;

    let early =
        buurtnet_federation::coalitions::act(&a_context, &fatima, &zorg, &coalition, OpKind::Admit { proposal: "nergens".into() }).await;
    assert!(matches!(early, Err(FederationError::Domain(DomainError::Invalid(_)))), "an operation the rules refuse is not even signed");
    let proposal =
        buurtnet_federation::coalitions::act(&a_context, &fatima, &zorg, &coalition, OpKind::Propose(Change::Admit(paleis.ap_id.clone())))
            .await?;
    assert_eq!(proposal.parents.len(), 1, "it names the founding as its parent");
    buurtnet_federation::coalitions::act(&a_context, &fatima, &zorg, &coalition, OpKind::Admit { proposal: proposal.id.clone() }).await?;

    // The new member's node takes the log and hosts a replica of its own.
    let replica_a = url::Url::parse(&format!("{}/coalitions/delfshaven", a.base_url()))?;
    assert!(
        buurtnet_domain::ops::coalitions::host(b.store(), &coalition, "delfshaven", &paleis).await.is_err(),
        "only members host a replica"
    );
    let pulled = buurtnet_federation::coalitions::pull(&b_context, &replica_a).await?;
    assert_eq!((pulled.taken, pulled.refused.len()), (3, 0), "{pulled:?}");
    buurtnet_domain::ops::coalitions::host(b.store(), &coalition, "delfshaven", &paleis).await?;
    let (_, replica_b) = get_json(&format!("{}/coalitions/delfshaven", b.base_url())).await?;
    assert_eq!(replica_b["bn:coalition"], coalition.as_str(), "the same coalition on both replicas");
    let mut members: Vec<&str> = replica_b["bn:members"].as_array().context("members")?.iter().filter_map(Value::as_str).collect();
    members.sort();
    let mut expected = vec![zorg.ap_id.as_str(), paleis.ap_id.as_str()];
    expected.sort();
    assert_eq!(members, expected);

    // Kees acts from his own node; Zorg's replica takes it over by pulling.
    buurtnet_federation::coalitions::act(&b_context, &kees, &paleis, &coalition, OpKind::Leave).await?;
    let replica_b_url = url::Url::parse(&format!("{}/coalitions/delfshaven", b.base_url()))?;
    let back = buurtnet_federation::coalitions::pull(&a_context, &replica_b_url).await?;
    assert_eq!((back.taken, back.known), (1, 3), "{back:?}");
    let state = buurtnet_domain::ops::coalitions::state(a.store(), &coalition).await?;
    assert_eq!(state.members.iter().collect::<Vec<_>>(), vec![&zorg.ap_id], "both replicas agree Paleis left");
    Ok(())
}

async fn admissions_take_effect_by_themselves_once_the_period_is_over(backend: Backend) -> Result<()> {
    use buurtnet_domain::model::coalition::Change;
    let node = TestNode::start(backend).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    let fatima = node.add_member("fatima", Some(&zorg)).await?;
    let context = node.node.as_ref().context("running")?.context();
    let state = node.node.as_ref().context("running")?.state();
    let candidate = "https://elders.example/initiatives/buren";
    let week = buurtnet_federation::coalitions::found(&context, &fatima, &zorg, "week", charter()).await?;
    buurtnet_federation::coalitions::act(&context, &fatima, &zorg, &week, OpKind::Propose(Change::Admit(candidate.into()))).await?;
    assert_eq!(buurtnet_federation::coalitions::admit_due(state).await?, 0, "a week to object first");
    let quick =
        buurtnet_federation::coalitions::found(&context, &fatima, &zorg, "vlug", Charter { objection_days: 0, ..charter() }).await?;
    buurtnet_federation::coalitions::act(&context, &fatima, &zorg, &quick, OpKind::Propose(Change::Admit(candidate.into()))).await?;
    assert_eq!(buurtnet_federation::coalitions::admit_due(state).await?, 1);
    assert!(buurtnet_domain::ops::coalitions::state(node.store(), &quick).await?.members.contains(candidate));
    assert_eq!(buurtnet_federation::coalitions::admit_due(state).await?, 0, "once");
    assert!(!buurtnet_domain::ops::coalitions::state(node.store(), &week).await?.members.contains(candidate));
    Ok(())
}
