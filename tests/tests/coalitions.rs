//! Coalitions (issue 6), the part built so far, over HTTP on both databases: founding one,
//! its replica as a `Group`, and its operations served with proofs that anyone can check
//! against the founding initiative's published key.

use anyhow::{Context as _, Result};
use buurtnet_domain::DomainError;
use buurtnet_domain::model::coalition::{Charter, OpKind, Refusal};
use buurtnet_domain::ops::coalitions::Spread;
use buurtnet_federation::objects::coalition_op;
use buurtnet_tests::harness::{Backend, TestNode, eventually};
use buurtnet_tests::on_both_backends;
use serde_json::Value;

on_both_backends!(
    a_founded_coalition_serves_its_replica_and_signed_operations,
    another_node_pulls_the_operations_and_refuses_a_forged_one,
    an_admitted_initiative_hosts_a_replica_that_agrees,
    admissions_take_effect_by_themselves_once_the_period_is_over,
    operations_travel_between_replicas_by_themselves,
    forged_and_outsider_operations_are_refused_even_when_an_honest_node_forwards_them,
    a_replica_is_followed_like_any_group_and_announces_the_members_public_posts,
    a_newcomer_catches_up_on_coalition_content_and_refuses_what_a_replica_altered,
    edits_and_deletions_reach_a_member_cut_off_from_the_author_through_another_replica,
    a_members_post_is_passed_on_byte_for_byte,
    the_coalition_overview_shows_members_needs_agenda_and_the_help_between_them
);

/// A node that runs anti-entropy every second, so that scenarios need not wait minutes.
async fn quick_syncing_node(backend: Backend) -> Result<TestNode> {
    TestNode::start_with(backend, |config| config.federation.coalition_sync_secs = 1).await
}

/// Zorg with its coordinator Fatima on the first node, Paleis with Kees on the second, Lander
/// with `third` on the third.
async fn three_initiatives(
    nodes: [&TestNode; 3],
    third: &str,
) -> Result<[(buurtnet_domain::model::Actor, buurtnet_domain::model::Actor); 3]> {
    let mut seats = Vec::new();
    for (node, (slug, coordinator)) in nodes.into_iter().zip([("zorg", "fatima"), ("paleis", "kees"), ("lander", third)]) {
        let initiative = node.add_initiative(slug, false).await?;
        let member = node.add_member(coordinator, Some(&initiative)).await?;
        seats.push((initiative, member));
    }
    seats.try_into().map_err(|_| anyhow::anyhow!("three seats"))
}

/// Zorg (coordinator Fatima) on the first node and Paleis on the second found the coalition;
/// Lezer, on the third, is outside it. Returns (Zorg, Fatima, Lezer).
async fn coalition_and_reader(
    nodes: [&TestNode; 3],
) -> Result<(buurtnet_domain::model::Actor, buurtnet_domain::model::Actor, buurtnet_domain::model::Actor)> {
    let [a, b, x] = nodes;
    let zorg = a.add_initiative("zorg", false).await?;
    let fatima = a.add_member("fatima", Some(&zorg)).await?;
    let paleis = b.add_initiative("paleis", false).await?;
    let kees = b.add_member("kees", Some(&paleis)).await?;
    let lezer = x.add_member("lezer", None).await?;
    buurtnet_tests::harness::form_coalition((a, &zorg, &fatima), &[(b, &paleis, &kees)]).await?;
    Ok((zorg, fatima, lezer))
}

/// (members, replicas other than its own, heads) as a replica document shows them.
async fn replica_view(url: &str) -> Result<Option<(Vec<String>, Vec<String>, Vec<String>)>> {
    let (status, document) = get_json(url).await?;
    if status != 200 {
        return Ok(None);
    }
    let list = |key: &str| {
        let mut items: Vec<String> =
            document[key].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_string)).collect();
        items.sort();
        items
    };
    Ok(Some((list("bn:members"), list("bn:replicas"), list("bn:heads"))))
}

/// The replica a node hosts of `coalition`, once it hosts one.
async fn replica_url(node: &TestNode, coalition: &str) -> Result<Option<String>> {
    Ok(buurtnet_domain::ops::coalitions::local_replica(node.store(), coalition)
        .await?
        .map(|slug| format!("{}/coalitions/{slug}", node.base_url())))
}

fn charter() -> Charter {
    Charter {
        name: "Welzijnscoalitie Delfshaven".into(),
        description: "Samen zorgen in Delfshaven".into(),
        sponsors_needed: 1,
        objection_days: 7,
        removal_percent: buurtnet_domain::model::coalition::MAJORITY,
        change_percent: buurtnet_domain::model::coalition::MAJORITY,
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
    let refused = buurtnet_federation::coalitions::acting(&context).found(&henk, &zorg, "delfshaven", charter()).await;
    assert!(matches!(refused, Err(DomainError::Forbidden)), "only the initiative's coordinators found");
    let coalition = buurtnet_federation::coalitions::acting(&context).found(&fatima, &zorg, "delfshaven", charter()).await?;
    assert!(coalition.starts_with("urn:buurtnet:coalition:"));
    let taken = buurtnet_federation::coalitions::acting(&context).found(&fatima, &zorg, "delfshaven", charter()).await;
    assert!(matches!(taken, Err(DomainError::Conflict(_))), "one replica per name");

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
    assert_eq!(items.len(), 2, "the founding, and the founder naming its replica");
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
    let coalition = buurtnet_federation::coalitions::acting(&a_context).found(&fatima, &zorg, "delfshaven", charter()).await?;
    let replica = url::Url::parse(&format!("{}/coalitions/delfshaven", a.base_url()))?;

    let b_context = b.node.as_ref().context("running")?.context();
    let pulled = buurtnet_federation::coalitions::pull(&b_context, &replica).await?;
    assert_eq!((pulled.taken, pulled.known, pulled.refused.len()), (2, 0, 0), "{pulled:?}");
    assert_eq!(pulled.coalition, coalition);
    let state = buurtnet_domain::ops::coalitions::state(b.store(), &coalition).await?;
    assert_eq!(state.members.iter().collect::<Vec<_>>(), vec![&zorg.ap_id], "the other node computes the same members");
    let again = buurtnet_federation::coalitions::pull(&b_context, &replica).await?;
    assert_eq!((again.taken, again.known), (0, 2), "nothing twice");

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
        keys: Default::default(),
    };
    buurtnet_domain::ops::coalitions::record(a.store(), &coalition, &op, &forged.to_string(), Spread::Keep).await?;
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
    let coalition = buurtnet_federation::coalitions::acting(&a_context).found(&fatima, &zorg, "delfshaven", quick).await?;

    let founding_heads = buurtnet_domain::ops::coalitions::current_heads(a.store(), &coalition).await?;
    let early = buurtnet_federation::coalitions::acting(&a_context)
        .act(&fatima, &zorg, &coalition, OpKind::Admit { proposal: "nergens".into() })
        .await;
    assert!(
        matches!(early, Err(DomainError::CoalitionRefused(Refusal::UnknownProposal))),
        "an operation the rules refuse is not even signed, and the refusal names the rule"
    );
    let proposal = buurtnet_federation::coalitions::acting(&a_context)
        .act(&fatima, &zorg, &coalition, OpKind::Propose(Change::Admit(paleis.ap_id.clone())))
        .await?;
    assert_eq!(proposal.parents, vec![founding_heads[0].clone()], "it names the current head as its parent");
    assert!(
        buurtnet_domain::ops::coalitions::host(b.store(), &coalition, "delfshaven", &paleis).await.is_err(),
        "only members host a replica"
    );
    // An invitation: Paleis is not let in before it says yes.
    let too_soon = buurtnet_federation::coalitions::acting(&a_context)
        .act(&fatima, &zorg, &coalition, OpKind::Admit { proposal: proposal.id.clone() })
        .await;
    assert!(matches!(too_soon, Err(DomainError::CoalitionRefused(Refusal::NotAcceptedByInvitee))), "not admitted without its yes");
    eventually("the invitation reaches Paleis's node", || async {
        Ok(buurtnet_domain::ops::coalitions::state(b.store(), &coalition).await?.proposals.contains_key(&proposal.id).then_some(()))
    })
    .await?;
    let yes = OpKind::Vote { proposal: proposal.id.clone(), approve: true };
    let answer = buurtnet_federation::coalitions::acting(&b_context).act(&kees, &paleis, &coalition, yes).await?;
    eventually("the yes reaches Zorg's node", || async {
        Ok(buurtnet_domain::ops::coalitions::knows(a.store(), &answer.id).await?.then_some(()))
    })
    .await?;
    buurtnet_federation::coalitions::acting(&a_context)
        .act(&fatima, &zorg, &coalition, OpKind::Admit { proposal: proposal.id.clone() })
        .await?;

    // The new member's node takes the log and hosts a replica of its own.
    let replica_a = url::Url::parse(&format!("{}/coalitions/delfshaven", a.base_url()))?;
    // (A pushes what concerns the candidate to its node too, so some may be there already.)
    let pulled = buurtnet_federation::coalitions::pull(&b_context, &replica_a).await?;
    assert_eq!((pulled.taken + pulled.known, pulled.refused.len()), (5, 0), "{pulled:?}");
    // Paleis's node sees its initiative is a member and hosts a replica by itself.
    eventually("Paleis's node hosts a replica", || async {
        Ok(buurtnet_domain::ops::coalitions::local_replica(b.store(), &coalition).await?)
    })
    .await?;
    let (_, replica_b) = get_json(&format!("{}/coalitions/delfshaven", b.base_url())).await?;
    assert_eq!(replica_b["bn:coalition"], coalition.as_str(), "the same coalition on both replicas");
    let mut members: Vec<&str> = replica_b["bn:members"].as_array().context("members")?.iter().filter_map(Value::as_str).collect();
    members.sort();
    let mut expected = vec![zorg.ap_id.as_str(), paleis.ap_id.as_str()];
    expected.sort();
    assert_eq!(members, expected);

    // Kees acts from his own node; Zorg's replica takes it over by pulling.
    buurtnet_federation::coalitions::acting(&b_context).act(&kees, &paleis, &coalition, OpKind::Leave).await?;
    let replica_b_url = url::Url::parse(&format!("{}/coalitions/delfshaven", b.base_url()))?;
    // (Kees's node also pushes it to Zorg's replica, so it may be there already.)
    let back = buurtnet_federation::coalitions::pull(&a_context, &replica_b_url).await?;
    assert!(back.refused.is_empty(), "{back:?}");
    let state = buurtnet_domain::ops::coalitions::state(a.store(), &coalition).await?;
    assert_eq!(state.members.iter().collect::<Vec<_>>(), vec![&zorg.ap_id], "both replicas agree Paleis left");
    assert_eq!(
        buurtnet_domain::ops::coalitions::current_heads(a.store(), &coalition).await?,
        buurtnet_domain::ops::coalitions::current_heads(b.store(), &coalition).await?,
        "and hold the same operations"
    );
    Ok(())
}

/// Zorg invites Buren (an initiative on the same node) into two coalitions; Buren says yes to
/// both. The node admits it by itself where the objection period is over, and not before it
/// said yes.
async fn admissions_take_effect_by_themselves_once_the_period_is_over(backend: Backend) -> Result<()> {
    use buurtnet_domain::model::coalition::Change;
    let node = TestNode::start(backend).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    let fatima = node.add_member("fatima", Some(&zorg)).await?;
    let buren = node.add_initiative("buren", false).await?;
    let els = node.add_member("els", Some(&buren)).await?;
    let context = node.node.as_ref().context("running")?.context();
    let candidate = buren.ap_id.clone();
    let invite = |coalition: String| {
        let (context, fatima, zorg, candidate) = (&context, &fatima, &zorg, candidate.clone());
        async move {
            let invitation = buurtnet_federation::coalitions::acting(context)
                .act(fatima, zorg, &coalition, OpKind::Propose(Change::Admit(candidate)))
                .await?;
            anyhow::Ok(invitation.id)
        }
    };
    let say_yes = |coalition: String, proposal: String| {
        let (context, els, buren) = (&context, &els, &buren);
        async move {
            buurtnet_federation::coalitions::acting(context).act(els, buren, &coalition, OpKind::Vote { proposal, approve: true }).await?;
            anyhow::Ok(())
        }
    };
    let week = buurtnet_federation::coalitions::acting(&context).found(&fatima, &zorg, "week", charter()).await?;
    let invitation = invite(week.clone()).await?;
    say_yes(week.clone(), invitation).await?;
    assert_eq!(buurtnet_federation::coalitions::acting(&context).admit_due().await?, 0, "a week to object first");
    let quick =
        buurtnet_federation::coalitions::acting(&context).found(&fatima, &zorg, "vlug", Charter { objection_days: 0, ..charter() }).await?;
    let invitation = invite(quick.clone()).await?;
    assert_eq!(buurtnet_federation::coalitions::acting(&context).admit_due().await?, 0, "not before Buren said yes");
    say_yes(quick.clone(), invitation).await?;
    assert_eq!(buurtnet_federation::coalitions::acting(&context).admit_due().await?, 1);
    assert!(buurtnet_domain::ops::coalitions::state(node.store(), &quick).await?.members.contains(&candidate));
    assert_eq!(buurtnet_federation::coalitions::acting(&context).admit_due().await?, 0, "once");
    assert!(!buurtnet_domain::ops::coalitions::state(node.store(), &week).await?.members.contains(&candidate));
    Ok(())
}

/// Three nodes, no test-driven pulls: applications go to a replica's inbox, sponsorships and
/// admissions reach the candidate's node, an admitted initiative's node hosts a replica by
/// itself and names it, and a change no one pushed arrives by anti-entropy.
async fn operations_travel_between_replicas_by_themselves(backend: Backend) -> Result<()> {
    let (a, b, c) = (quick_syncing_node(backend).await?, quick_syncing_node(backend).await?, quick_syncing_node(backend).await?);
    let [(zorg, fatima), (paleis, kees), (lander, ans)] = three_initiatives([&a, &b, &c], "ans").await?;
    let (a_ctx, b_ctx, c_ctx) =
        (a.node.as_ref().context("a")?.context(), b.node.as_ref().context("b")?.context(), c.node.as_ref().context("c")?.context());
    let coalition = buurtnet_federation::coalitions::acting(&a_ctx)
        .found(&fatima, &zorg, "delfshaven", Charter { objection_days: 0, ..charter() })
        .await?;
    let replica_a = format!("{}/coalitions/delfshaven", a.base_url());

    // Paleis applies through Zorg's replica; Zorg sees the application arrive.
    let (of, application) = buurtnet_federation::coalitions::acting(&b_ctx).apply(&kees, &paleis, &url::Url::parse(&replica_a)?).await?;
    assert_eq!(of, coalition);
    eventually("the application reaches Zorg's replica", || async {
        Ok(buurtnet_domain::ops::coalitions::state(a.store(), &coalition).await?.proposals.contains_key(&application.id).then_some(()))
    })
    .await?;
    buurtnet_federation::coalitions::acting(&a_ctx)
        .act(&fatima, &zorg, &coalition, OpKind::Sponsor { proposal: application.id.clone() })
        .await?;
    assert_eq!(buurtnet_federation::coalitions::acting(&a.node.as_ref().context("a")?.context()).admit_due().await?, 1);

    // Paleis's node hears it was admitted, hosts a replica and names it; Zorg's lists it.
    let replica_b = eventually("Paleis's node hosts a replica", || replica_url(&b, &coalition)).await?;
    assert!(replica_b.ends_with("/coalitions/delfshaven"), "the same name as the replica it came from: {replica_b}");
    eventually("Zorg's replica lists Paleis's", || async {
        Ok(replica_view(&replica_a).await?.filter(|(members, replicas, _)| members.len() == 2 && replicas == &vec![replica_b.clone()]))
    })
    .await?;

    // Lander applies through Paleis's replica; Paleis sponsors; Lander ends up with a replica too.
    let (_, application) = buurtnet_federation::coalitions::acting(&c_ctx).apply(&ans, &lander, &url::Url::parse(&replica_b)?).await?;
    eventually("the application reaches Paleis's replica", || async {
        Ok(buurtnet_domain::ops::coalitions::state(b.store(), &coalition).await?.proposals.contains_key(&application.id).then_some(()))
    })
    .await?;
    buurtnet_federation::coalitions::acting(&b_ctx)
        .act(&kees, &paleis, &coalition, OpKind::Sponsor { proposal: application.id.clone() })
        .await?;
    assert_eq!(buurtnet_federation::coalitions::acting(&b.node.as_ref().context("b")?.context()).admit_due().await?, 1);
    let replica_c = eventually("Lander's node hosts a replica", || replica_url(&c, &coalition)).await?;

    // All three replicas agree on the members and hold the same operations.
    let mut all_members = vec![zorg.ap_id.clone(), paleis.ap_id.clone(), lander.ap_id.clone()];
    all_members.sort();
    let agreed = eventually("the three replicas agree", || async {
        let views = [replica_view(&replica_a).await?, replica_view(&replica_b).await?, replica_view(&replica_c).await?];
        let Some(first) = views[0].clone() else { return Ok(None) };
        let same = views.iter().all(|v| v.as_ref().is_some_and(|(m, r, h)| *m == all_members && r.len() == 2 && *h == first.2));
        Ok(same.then_some(first.2))
    })
    .await?;
    assert_eq!(agreed.len(), 1, "one head: every operation saw the ones before it");

    // A change made at Zorg's node that nobody pushes (written straight into its log) reaches
    // the others by anti-entropy alone.
    let unpushed = buurtnet_domain::model::coalition::Operation {
        id: format!("{}/activities/niet-verstuurd", a.base_url()),
        author: zorg.ap_id.clone(),
        parents: agreed.clone(),
        published: buurtnet_domain::now_ms(),
        kind: OpKind::Propose(buurtnet_domain::model::coalition::Change::Remove(lander.ap_id.clone())),
        keys: Default::default(),
    };
    let signed = coalition_op::sign(&unpushed, &coalition, zorg.ed25519_private_pkcs8.as_deref().context("key")?)?;
    buurtnet_domain::ops::coalitions::record(a.store(), &coalition, &unpushed, &signed.to_string(), Spread::Keep).await?;
    for node in [&b, &c] {
        eventually("the unpushed proposal arrives by anti-entropy", || async {
            Ok(buurtnet_domain::ops::coalitions::state(node.store(), &coalition).await?.proposals.contains_key(&unpushed.id).then_some(()))
        })
        .await?;
    }
    Ok(())
}

/// An honest node (D, not a member) passes on what it was given, correctly signed over
/// HTTP by its own initiative: a member's operation altered after signing, one signed with
/// the wrong key, one by an outsider, and a replay. The replica keeps none of them.
async fn forged_and_outsider_operations_are_refused_even_when_an_honest_node_forwards_them(backend: Backend) -> Result<()> {
    use buurtnet_domain::model::coalition::{Change, Operation};
    let a = TestNode::start(backend).await?;
    let d = TestNode::start(backend).await?;
    let zorg = a.add_initiative("zorg", false).await?;
    let fatima = a.add_member("fatima", Some(&zorg)).await?;
    let buiten = d.add_initiative("buiten", false).await?;
    let a_ctx = a.node.as_ref().context("a")?.context();
    let coalition = buurtnet_federation::coalitions::acting(&a_ctx).found(&fatima, &zorg, "delfshaven", charter()).await?;
    let inbox = format!("{}/coalitions/delfshaven/inbox", a.base_url());
    let before = buurtnet_domain::ops::coalitions::state(a.store(), &coalition).await?;
    let heads = buurtnet_domain::ops::coalitions::current_heads(a.store(), &coalition).await?;
    let forwarder = buurtnet_tests::harness::signer_of(&buiten);
    let op = |id: &str, author: &str, kind: OpKind| Operation {
        id: id.to_string(),
        author: author.to_string(),
        parents: heads.clone(),
        published: buurtnet_domain::now_ms(),
        kind,
        keys: Default::default(),
    };
    let zorg_key = zorg.ed25519_private_pkcs8.as_deref().context("key")?;
    let buiten_key = buiten.ed25519_private_pkcs8.as_deref().context("key")?;

    // Zorg's own charter change, altered on the way (the new name is not what Zorg signed).
    let honest = op(&format!("{}/activities/c1", a.base_url()), &zorg.ap_id, OpKind::Propose(Change::Remove(zorg.ap_id.clone())));
    let mut altered = coalition_op::sign(&honest, &coalition, zorg_key)?;
    altered["object"]["bn:member"] = serde_json::json!(buiten.ap_id);
    // An operation in Zorg's name signed with Buiten's key.
    let posing = op(&format!("{}/activities/c2", a.base_url()), &zorg.ap_id, OpKind::Leave);
    let wrong_key = coalition_op::sign(&posing, &coalition, buiten_key)?;
    // An outsider's sponsorship, honestly signed by the outsider.
    let outsider = op(&format!("{}/activities/c3", d.base_url()), &buiten.ap_id, OpKind::Sponsor { proposal: heads[0].clone() });
    let outsider_signed = coalition_op::sign(&outsider, &coalition, buiten_key)?;
    for (what, document, expected) in [("altered", &altered, 403), ("wrong key", &wrong_key, 403), ("outsider", &outsider_signed, 403)] {
        let body = document.to_string();
        let status = buurtnet_tests::harness::post_signed(&inbox, body.as_bytes(), Some(&forwarder), None).await?;
        assert_eq!(status.as_u16(), expected, "{what}");
    }
    // Unsigned HTTP is refused before anything else.
    let status = buurtnet_tests::harness::post_signed(&inbox, altered.to_string().as_bytes(), None, None).await?;
    assert_eq!(status.as_u16(), 401);
    // A replay of a genuine operation is acknowledged and changes nothing.
    let (_, page) = get_json(&format!("{}/coalitions/delfshaven/operations", a.base_url())).await?;
    let genuine = page["orderedItems"][0].to_string();
    let status = buurtnet_tests::harness::post_signed(&inbox, genuine.as_bytes(), Some(&forwarder), None).await?;
    assert_eq!(status.as_u16(), 202);
    let after = buurtnet_domain::ops::coalitions::state(a.store(), &coalition).await?;
    assert_eq!(after, before, "nothing changed");
    for id in ["c1", "c2"] {
        assert!(!buurtnet_domain::ops::coalitions::knows(a.store(), &format!("{}/activities/{id}", a.base_url())).await?);
    }
    assert!(!buurtnet_domain::ops::coalitions::knows(a.store(), &outsider.id).await?);

    // A member's own, honestly signed charter change that asks what no form allows (a name
    // of 200 characters, 10,000 days to object): every node refuses it in its fold.
    let endless = Charter { name: "x".repeat(200), objection_days: 10_000, ..charter() };
    let id = format!("{}/activities/c4", a.base_url());
    let signed = coalition_op::sign(&op(&id, &zorg.ap_id, OpKind::Propose(Change::Charter(endless))), &coalition, zorg_key)?;
    let status = buurtnet_tests::harness::post_signed(&inbox, signed.to_string().as_bytes(), Some(&forwarder), None).await?;
    println!("{backend:?}: a charter out of bounds is answered {status}");
    let after = buurtnet_domain::ops::coalitions::state(a.store(), &coalition).await?;
    assert_eq!((&after.charter, &after.proposals), (&before.charter, &before.proposals), "nothing proposed");
    if buurtnet_domain::ops::coalitions::knows(a.store(), &id).await? {
        assert_eq!(after.refused.get(&id), Some(&Refusal::CharterOutOfBounds), "kept in the log only as refused");
    }
    Ok(())
}

/// A reader on a third node finds a replica by WebFinger and follows it like any group; the
/// replica announces the public posts of every member initiative (not their followers-only
/// posts, nor what members post as persons), and the reader's node fetches each from its
/// author's node.
async fn a_replica_is_followed_like_any_group_and_announces_the_members_public_posts(backend: Backend) -> Result<()> {
    use buurtnet_domain::model::Visibility;
    let (a, b, x) = (TestNode::start(backend).await?, TestNode::start(backend).await?, TestNode::start(backend).await?);
    let (zorg, fatima, lezer) = coalition_and_reader([&a, &b, &x]).await?;

    let domain_b = b.base_url().trim_start_matches("http://").to_string();
    let (status, finger) = get_json(&format!("{}/.well-known/webfinger?resource=acct:delfshaven@{domain_b}", b.base_url())).await?;
    assert_eq!(status, 200, "the replica is found by its handle");
    let replica_b = finger["links"].as_array().context("links")?.iter().find(|l| l["rel"] == "self").context("self")?["href"]
        .as_str()
        .context("href")?
        .to_string();
    assert_eq!(replica_b, format!("{}/coalitions/delfshaven", b.base_url()));
    let (_, document) = get_json(&replica_b).await?;
    assert_eq!(document["publicKey"]["owner"], replica_b.as_str(), "a replica signs as itself");
    assert!(document["followers"].as_str().is_some_and(|f| f.starts_with(&replica_b)));
    x.follow_and_wait(&lezer, &replica_b).await?;

    let public = a.publish(&zorg, "Zaterdag opruimdag in de buurt, doe je mee?", Visibility::Public).await?;
    let followers_only = a.publish(&zorg, "Alleen voor volgers", Visibility::Followers).await?;
    let personal = a.publish(&fatima, "Een persoonlijk bericht van Fatima", Visibility::Public).await?;
    a.node.as_ref().context("a")?.state().wake_delivery();
    let copy =
        eventually("the reader's node gets the member's public post through the replica", || async { x.post(&public.ap_id).await }).await?;
    assert!(copy.content.contains("opruimdag"));
    let boosted = eventually("the announcement is counted", || async {
        let (_, boosts) = buurtnet_domain::store::posts::reaction_counts(&mut x.store().conn().await?, copy.id).await?;
        Ok((boosts > 0).then_some(boosts))
    })
    .await?;
    assert_eq!(boosted, 1, "announced once, by the replica");
    // The reader's node can no longer reach Zorg's node: the replica's announcement carries
    // the post with Zorg's proof, checked with the key the reader's node knows.
    let a_host = a.base_url().trim_start_matches("http://").to_string();
    x.node.as_ref().context("x")?.state().faults.cut_off([a_host]);
    let later = a.publish(&zorg, "Nog een openbaar bericht", Visibility::Public).await?;
    eventually("the next one too, taken from the announcement", || async { x.post(&later.ap_id).await }).await?;
    assert!(x.post(&followers_only.ap_id).await?.is_none(), "followers-only posts are not the coalition's feed");

    // The content collection (for anti-entropy) is for the members' nodes only.
    let content = format!("{replica_b}/content");
    assert_eq!(buurtnet_tests::harness::get_signed(&content, None).await?.0, 401, "unsigned");
    let outsider = buurtnet_tests::harness::signer_of(&x.node.as_ref().context("x")?.state().instance_actor);
    assert_eq!(buurtnet_tests::harness::get_signed(&content, Some(&outsider)).await?.0, 403, "a node outside the coalition");
    let member = buurtnet_tests::harness::signer_of(&a.node.as_ref().context("a")?.state().instance_actor);
    let (status, page) = buurtnet_tests::harness::get_signed(&content, Some(&member)).await?;
    assert_eq!(status, 200);
    let items = page["orderedItems"].as_array().context("items")?;
    assert!(items.iter().any(|i| i["id"] == public.ap_id.as_str() && i["proof"]["cryptosuite"] == "eddsa-jcs-2022"), "{page}");
    assert!(items.iter().all(|i| i["id"] != followers_only.ap_id.as_str() && i["id"] != personal.ap_id.as_str()), "{page}");
    assert!(x.post(&personal.ap_id).await?.is_none(), "what members post as persons is not the coalition's feed");
    Ok(())
}

/// A newcomer's node pulls the coalition's content from a replica (posts made before it
/// joined, which nobody delivered to it) and keeps them for its members only; a post the
/// serving replica altered fails its author's proof and is refused.
async fn a_newcomer_catches_up_on_coalition_content_and_refuses_what_a_replica_altered(backend: Backend) -> Result<()> {
    use buurtnet_domain::model::Visibility;
    use buurtnet_domain::ops::proposals::Audience;
    let (a, b, c) = (TestNode::start(backend).await?, TestNode::start(backend).await?, TestNode::start(backend).await?);
    let [(zorg, fatima), (paleis, kees), (lander, anouk)] = three_initiatives([&a, &b, &c], "anouk").await?;
    let coalition = buurtnet_tests::harness::form_coalition((&a, &zorg, &fatima), &[(&b, &paleis, &kees)]).await?;
    let state_a = a.node.as_ref().context("a")?.state();
    let need = buurtnet_tests::harness::sample_need;
    let kept = buurtnet_domain::ops::proposals::publish(
        &state_a.store,
        &state_a.urls,
        &fatima,
        &zorg,
        &need("Boodschappen"),
        &Audience::default(),
    )
    .await?;
    let altered =
        buurtnet_domain::ops::proposals::publish(&state_a.store, &state_a.urls, &fatima, &zorg, &need("Vervoer"), &Audience::default())
            .await?;
    let public = a.publish(&zorg, "Iedereen welkom bij de buurtmaaltijd", Visibility::Public).await?;
    state_a.wake_delivery();
    for post in [&kept, &altered, &public] {
        eventually("B holds Zorg's posts", || async { b.post(&post.ap_id).await }).await?;
    }
    // B's copy of one need is altered after it arrived (a replica gone bad, or a bad disk).
    let copy = b.post(&altered.ap_id).await?.context("copy")?;
    let mut conn = b.store().conn().await?;
    let raw = buurtnet_domain::store::posts::original_of(&mut conn, copy.id).await?.context("the original was kept with its proof")?;
    let tampered = raw.replace("Een uurtje per week.", "Stuur geld naar rekening NL00BANK0123456789.");
    assert_ne!(raw, tampered);
    buurtnet_domain::store::posts::keep_original(&mut conn, copy.id, &tampered).await?;
    drop(conn);

    // Lander joins through B's replica; nobody delivered those posts to its node.
    let replica_b = url::Url::parse(&format!("{}/coalitions/delfshaven", b.base_url()))?;
    let c_ctx = c.node.as_ref().context("c")?.context();
    let (_, application) = buurtnet_federation::coalitions::acting(&c_ctx).apply(&anouk, &lander, &replica_b).await?;
    eventually("the application reaches A", || async {
        Ok(buurtnet_domain::ops::coalitions::knows(a.store(), &application.id).await?.then_some(()))
    })
    .await?;
    buurtnet_federation::coalitions::acting(&a.node.as_ref().context("a")?.context())
        .act(&fatima, &zorg, &coalition, OpKind::Sponsor { proposal: application.id.clone() })
        .await?;
    buurtnet_federation::coalitions::acting(&a.node.as_ref().context("a")?.context()).admit_due().await?;
    eventually("C is in and hosts a replica", || async {
        Ok(buurtnet_domain::ops::coalitions::local_replica(c.store(), &coalition).await?)
    })
    .await?;
    assert!(c.post(&kept.ap_id).await?.is_none(), "not delivered to the newcomer");
    // B serves its replica's content to members only, as B knows them.
    eventually("B knows C is in", || async {
        Ok(buurtnet_domain::ops::coalitions::state(b.store(), &coalition).await?.members.contains(&lander.ap_id).then_some(()))
    })
    .await?;

    let pulled = buurtnet_federation::coalitions::pull_content(&c_ctx, &coalition, &replica_b).await?;
    assert_eq!(pulled.taken, 2, "{pulled:?}");
    assert_eq!(pulled.refused.len(), 1, "{pulled:?}");
    assert_eq!(pulled.refused[0].0, altered.ap_id);
    let caught_up = c.post(&kept.ap_id).await?.context("the need came by anti-entropy")?;
    assert_eq!(caught_up.visibility, Visibility::Coalition, "still for members only");
    assert!(c.post(&public.ap_id).await?.is_some());
    assert!(c.post(&altered.ap_id).await?.is_none(), "the altered copy is refused");
    let again = buurtnet_federation::coalitions::pull_content(&c_ctx, &coalition, &replica_b).await?;
    // Read on from where it stopped: nothing is taken twice. Changes of the last seconds are
    // read again (a slower writer may still join them), so the altered copy may be refused again.
    assert_eq!((again.taken, again.changed, again.deleted), (0, 0, 0), "{again:?}");
    assert!(again.refused.iter().all(|(id, _)| *id == altered.ap_id), "{again:?}");
    Ok(())
}

/// Edits and deletions travel by anti-entropy as new posts do. Lander's node is cut off from
/// Zorg's while Zorg changes a need and deletes a public post; Lander's node gets both from
/// Paleis's replica, each checked against Zorg's proof, and refuses a deletion Paleis's node
/// made up. A reader following Paleis's replica gets the deletion and an edit of another
/// post from the replica.
async fn edits_and_deletions_reach_a_member_cut_off_from_the_author_through_another_replica(backend: Backend) -> Result<()> {
    use buurtnet_domain::model::Visibility;
    use buurtnet_domain::ops::proposals::{self, Audience};
    let nodes = [TestNode::start(backend).await?, TestNode::start(backend).await?, TestNode::start(backend).await?];
    let [a, b, c] = &nodes;
    let x = TestNode::start(backend).await?;
    let [(zorg, fatima), (paleis, kees), (lander, anouk)] = three_initiatives([a, b, c], "anouk").await?;
    let lezer = x.add_member("lezer", None).await?;
    let coalition = buurtnet_tests::harness::form_coalition((a, &zorg, &fatima), &[(b, &paleis, &kees), (c, &lander, &anouk)]).await?;
    let replica_b = format!("{}/coalitions/delfshaven", b.base_url());
    x.follow_and_wait(&lezer, &replica_b).await?;

    let state_a = a.node.as_ref().context("a")?.state();
    let need = buurtnet_tests::harness::sample_need;
    let changed_need =
        proposals::publish(&state_a.store, &state_a.urls, &fatima, &zorg, &need("Boodschappen"), &Audience::default()).await?;
    let deleted = a.publish(&zorg, "Buurtmaaltijd donderdag in De Ark", Visibility::Public).await?;
    let kept = a.publish(&zorg, "Repair café zaterdag", Visibility::Public).await?;
    state_a.wake_delivery();
    for node in [b, c] {
        for post in [&changed_need, &deleted, &kept] {
            eventually("every member node holds Zorg's posts", || async { node.post(&post.ap_id).await }).await?;
        }
    }
    let announced = eventually("the reader's node holds the announced post", || async { x.post(&deleted.ap_id).await }).await?;
    eventually("the replica's announcement is counted", || async {
        let (_, boosts) = buurtnet_domain::store::posts::reaction_counts(&mut x.store().conn().await?, announced.id).await?;
        Ok((boosts == 1).then_some(()))
    })
    .await?;

    // Lander's node and Zorg's cannot reach each other.
    let host = |node: &TestNode| node.base_url().trim_start_matches("http://").to_string();
    state_a.faults.cut_off([host(c)]);
    c.node.as_ref().context("c")?.state().faults.cut_off([host(a)]);
    let mut draft = need("Boodschappen");
    draft.description = "Twee uurtjes per week, op dinsdag.".into();
    proposals::change(&state_a.store, &fatima, changed_need.id, &draft).await?;
    buurtnet_domain::ops::posts::delete(&state_a.store, &fatima, deleted.id).await?;
    a.edit(&zorg, &kept, "Repair café zaterdag, nu in De Ark").await?;
    state_a.wake_delivery();
    eventually("Paleis's node gets the change", || async {
        Ok(b.post(&changed_need.ap_id).await?.filter(|p| p.content.contains("Twee uurtjes")))
    })
    .await?;
    let gone_at_b =
        eventually("Paleis's node gets the deletion", || async { Ok(b.post(&deleted.ap_id).await?.filter(|p| p.is_deleted())) }).await?;
    let mut conn = b.store().conn().await?;
    let tombstone: Value = serde_json::from_str(
        &buurtnet_domain::store::posts::original_of(&mut conn, gone_at_b.id).await?.context("the signed tombstone is kept")?,
    )?;
    assert_eq!(tombstone["type"], "Tombstone");
    assert_eq!(tombstone["attributedTo"], zorg.ap_id.as_str());
    assert_eq!(tombstone["proof"]["cryptosuite"], "eddsa-jcs-2022");
    eventually("the reader's node, which follows only the replica, gets the deletion from it", || async {
        let (_, boosts) = buurtnet_domain::store::posts::reaction_counts(&mut x.store().conn().await?, announced.id).await?;
        Ok((boosts == 0 && x.post(&deleted.ap_id).await?.is_some_and(|p| p.is_deleted())).then_some(()))
    })
    .await?;
    let edited =
        eventually("... and the edit", || async { Ok(x.post(&kept.ap_id).await?.filter(|p| p.content.contains("nu in De Ark"))) }).await?;
    let (_, boosts) = buurtnet_domain::store::posts::reaction_counts(&mut x.store().conn().await?, edited.id).await?;
    assert_eq!(boosts, 1, "the passed-on edit is not another boost");
    eventually("Paleis's node gets the edit", || async { Ok(b.post(&kept.ap_id).await?.filter(|p| p.content.contains("nu in De Ark"))) })
        .await?;
    // A newer version passed on with its text altered after Zorg signed it is refused.
    let kept_at_b = b.post(&kept.ap_id).await?.context("kept at B")?;
    let mut altered: Value =
        serde_json::from_str(&buurtnet_domain::store::posts::original_of(&mut conn, kept_at_b.id).await?.context("original")?)?;
    altered["content"] = Value::from("<p>Repair café gaat niet door, maak geld over</p>");
    altered["updated"] = Value::from("2099-01-01T00:00:00Z");
    let announce = serde_json::json!({
        "@context": "https://www.w3.org/ns/activitystreams", "id": format!("{}/activities/altered-announce", a.base_url()),
        "type": "Announce", "actor": zorg.ap_id, "object": altered, "to": ["https://www.w3.org/ns/activitystreams#Public"],
    });
    let zorg_signs = buurtnet_tests::harness::signer_of(&zorg);
    let status =
        buurtnet_tests::harness::post_signed(&format!("{}/inbox", x.base_url()), &serde_json::to_vec(&announce)?, Some(&zorg_signs), None)
            .await?;
    assert_eq!(status, 403, "an altered version is refused");
    assert!(x.post(&kept.ap_id).await?.context("kept at X")?.content.contains("nu in De Ark"));
    // Paleis's node makes up a deletion of the post Zorg kept, from Zorg's real tombstone.
    let mut forged = tombstone.clone();
    forged["id"] = Value::from(kept.ap_id.as_str());
    buurtnet_domain::store::posts::keep_original(&mut conn, kept_at_b.id, &forged.to_string()).await?;
    drop(conn);

    let c_ctx = c.node.as_ref().context("c")?.context();
    let replica_b = url::Url::parse(&replica_b)?;
    let pulled = buurtnet_federation::coalitions::pull_content(&c_ctx, &coalition, &replica_b).await?;
    assert_eq!((pulled.taken, pulled.changed, pulled.deleted), (0, 1, 1), "{pulled:?}");
    assert_eq!(pulled.refused.len(), 1, "{pulled:?}");
    assert_eq!(pulled.refused[0].0, kept.ap_id);
    let need_at_c = c.post(&changed_need.ap_id).await?.context("need at C")?;
    assert!(need_at_c.content.contains("Twee uurtjes"), "{}", need_at_c.content);
    assert_eq!(need_at_c.visibility, Visibility::Coalition);
    assert!(c.post(&deleted.ap_id).await?.context("deleted at C")?.is_deleted());
    assert!(!c.post(&kept.ap_id).await?.context("kept at C")?.is_deleted(), "a made-up deletion is refused");
    // Read again: nothing is taken twice (what came in the last seconds is seen again and
    // recognised; the made-up deletion is refused again when it is still that recent).
    let again = buurtnet_federation::coalitions::pull_content(&c_ctx, &coalition, &replica_b).await?;
    assert_eq!((again.taken, again.changed, again.deleted), (0, 0, 0), "{again:?}");

    // The same made-up tombstone in a `Delete` with Zorg's own HTTP signature: its proof
    // fails, so Lander's inbox refuses it and keeps the post.
    let delete = serde_json::json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/made-up-delete", a.base_url()), "type": "Delete",
        "actor": zorg.ap_id, "to": [lander.ap_id], "object": forged,
    });
    let body = serde_json::to_vec(&delete)?;
    let status = buurtnet_tests::harness::post_signed(
        &format!("{}/inbox", c.base_url()),
        &body,
        Some(&buurtnet_tests::harness::signer_of(&zorg)),
        None,
    )
    .await?;
    assert_eq!(status, 403, "a tombstone whose proof fails is refused");
    assert!(!c.post(&kept.ap_id).await?.context("kept at C")?.is_deleted());

    // A genuine tombstone of a post Lander's node never held stands in for it there (a member's
    // deletion); on the reader's node, which hosts no replica, it leaves nothing behind.
    let never_held = format!("{}/notes/nooit-ontvangen", a.base_url());
    let mut unsigned = tombstone.clone();
    unsigned.as_object_mut().context("object")?.remove("proof");
    unsigned["id"] = Value::from(never_held.as_str());
    let key = zorg.ed25519_private_pkcs8.as_deref().context("zorg's Ed25519 key")?;
    let signed = buurtnet_federation::integrity::sign(&unsigned, &format!("{}#ed25519-key", zorg.ap_id), key, "2026-11-23T10:00:00Z")?;
    for (node, activity, stands_in) in [(c, "nooit-1", true), (&x, "nooit-2", false)] {
        let delete = serde_json::json!({
            "@context": "https://www.w3.org/ns/activitystreams", "id": format!("{}/activities/{activity}", a.base_url()),
            "type": "Delete", "actor": zorg.ap_id, "to": ["https://www.w3.org/ns/activitystreams#Public"], "object": signed,
        });
        let status = buurtnet_tests::harness::post_signed(
            &format!("{}/inbox", node.base_url()),
            &serde_json::to_vec(&delete)?,
            Some(&zorg_signs),
            None,
        )
        .await?;
        assert_eq!(status, 202);
        assert_eq!(node.post(&never_held).await?.is_some_and(|p| p.is_deleted()), stands_in, "{}", node.base_url());
    }
    Ok(())
}

/// A member's post reaches the replica's followers and the content collection byte for byte
/// as its author wrote it, proof included: here written the way another implementation might
/// (indented, keys in its own order), which the replica does not write out again.
async fn a_members_post_is_passed_on_byte_for_byte(backend: Backend) -> Result<()> {
    use buurtnet_domain::store::posts;
    let (a, b, x) = (TestNode::start(backend).await?, TestNode::start(backend).await?, TestNode::start(backend).await?);
    let (zorg, _, lezer) = coalition_and_reader([&a, &b, &x]).await?;
    let replica_b = format!("{}/coalitions/delfshaven", b.base_url());
    x.follow_and_wait(&lezer, &replica_b).await?;

    let public = "https://www.w3.org/ns/activitystreams#Public";
    let note_id = format!("{}/notes/handgeschreven-1", a.base_url());
    let note = serde_json::json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v1"],
        "id": note_id, "type": "Note", "attributedTo": zorg.ap_id, "to": [public], "cc": [format!("{}/followers", zorg.ap_id)],
        "content": "<p>Soep voor iedereen, donderdag in De Ark</p>", "published": "2026-11-23T09:00:00Z",
    });
    let key = zorg.ed25519_private_pkcs8.as_deref().context("zorg's Ed25519 key")?;
    let signed = buurtnet_federation::integrity::sign(&note, &format!("{}#ed25519-key", zorg.ap_id), key, "2026-11-23T09:00:01Z")?;
    // Indented and with `type` first: not how serde_json would write it out again.
    let written =
        serde_json::to_string_pretty(&signed)?.replacen("{\n", "{\n  \"type\": \"Note\",\n", 1).replacen(",\n  \"type\": \"Note\"", "", 1);
    let compact = signed.to_string();
    assert!(serde_json::from_str::<Value>(&written)? == signed && written != compact, "{written}");
    let create = format!(
        r#"{{"@context": "https://www.w3.org/ns/activitystreams", "id": "{}/activities/handgeschreven-1", "type": "Create", "actor": "{}", "to": ["{public}"], "object": {written}}}"#,
        a.base_url(),
        zorg.ap_id
    );
    let zorg_signs = buurtnet_tests::harness::signer_of(&zorg);
    let status =
        buurtnet_tests::harness::post_signed(&format!("{}/inbox", b.base_url()), create.as_bytes(), Some(&zorg_signs), None).await?;
    assert_eq!(status, 202, "the replica's node takes the member's post");

    let kept_at_b = eventually("B holds the post", || async { b.post(&note_id).await }).await?;
    let original_at_b = posts::original_of(&mut b.store().conn().await?, kept_at_b.id).await?.context("kept with its proof")?;
    assert_eq!(original_at_b, written, "kept byte for byte");
    let copy_at_x = eventually("the replica's follower gets it", || async { x.post(&note_id).await }).await?;
    let original_at_x = posts::original_of(&mut x.store().conn().await?, copy_at_x.id).await?.context("kept with its proof")?;
    assert_eq!(original_at_x, written, "passed on byte for byte");
    let member = buurtnet_tests::harness::signer_of(&a.node.as_ref().context("a")?.state().instance_actor);
    let (status, page) = buurtnet_tests::harness::get_signed_text(&format!("{replica_b}/content"), Some(&member)).await?;
    assert_eq!(status, 200);
    assert!(page.contains(&written), "the content collection lists it byte for byte: {page}");
    Ok(())
}

/// What the coalition's pages show beyond its log, on the founder's node: the members' open
/// needs (a "coalition" one only to members of the node), their coming events, and the help
/// that flowed: a volunteer of Paleis's node helped with Zorg's need.
async fn the_coalition_overview_shows_members_needs_agenda_and_the_help_between_them(backend: Backend) -> Result<()> {
    use buurtnet_domain::ops::{coalition_overview, proposals::Audience, responses};
    let (a, b, x) = (TestNode::start(backend).await?, TestNode::start(backend).await?, TestNode::start(backend).await?);
    let zorg = a.add_initiative("zorg", false).await?;
    let fatima = a.add_member("fatima", Some(&zorg)).await?;
    let henk = a.add_member("henk", None).await?;
    let paleis = b.add_initiative("paleis", false).await?;
    let kees = b.add_member("kees", Some(&paleis)).await?;
    let buiten = x.add_initiative("buiten", false).await?;
    let coalition = buurtnet_tests::harness::form_coalition((&a, &zorg, &fatima), &[(&b, &paleis, &kees)]).await?;
    let (state_a, state_b, state_x) =
        (a.node.as_ref().context("a")?.state(), b.node.as_ref().context("b")?.state(), x.node.as_ref().context("x")?.state());
    let need = buurtnet_domain::ops::proposals::publish(
        &state_a.store,
        &state_a.urls,
        &fatima,
        &zorg,
        &buurtnet_tests::harness::sample_need("Boodschappen"),
        &Audience::default(),
    )
    .await?;
    // An outsider's public need, held on A because Henk follows it: not the coalition's.
    a.follow_and_wait(&henk, &buiten.ap_id).await?;
    let public = Audience { visibility: Some(buurtnet_domain::model::Visibility::Public), on_behalf_of: None };
    let outside = buurtnet_domain::ops::proposals::publish(
        &state_x.store,
        &state_x.urls,
        &x.add_member("ria", Some(&buiten)).await?,
        &buiten,
        &buurtnet_tests::harness::sample_need("Buiten de coalitie"),
        &public,
    )
    .await?;
    state_a.wake_delivery();
    state_x.wake_delivery();
    eventually("B holds the need", || async { b.post(&need.ap_id).await }).await?;
    eventually("A holds the outsider's need", || async { a.post(&outside.ap_id).await }).await?;

    let for_members = coalition_overview::open_proposals(&state_a.store, &coalition, Some(&henk), 10).await?;
    let titles: Vec<&str> = for_members.iter().map(|c| c.proposal.title.as_str()).collect();
    assert_eq!(titles, vec!["Boodschappen"], "the members' needs, not the outsider's");
    assert!(
        coalition_overview::open_proposals(&state_a.store, &coalition, None, 10).await?.is_empty(),
        "a coalition need is not for the public"
    );

    // B's shared meal is on the combined agenda A shows.
    let meal = buurtnet_domain::model::EventDraft {
        title: "Buurtmaaltijd in het Wijkpaleis".into(),
        description: "Samen eten".into(),
        // This week: the coalition's page shows the week ahead.
        starts_at: chrono::Utc::now() + chrono::Duration::days(2),
        ends_at: None,
        timezone: buurtnet_domain::model::DEFAULT_TIMEZONE.into(),
        place: Some(buurtnet_domain::model::Place { name: "Het Wijkpaleis".into(), address: None, latitude: None, longitude: None }),
        online_url: None,
        capacity: None,
        join_mode: buurtnet_domain::model::JoinMode::Free,
    };
    let event = buurtnet_domain::ops::events::publish(
        &state_b.store,
        &state_b.urls,
        &kees,
        &paleis,
        &meal,
        buurtnet_domain::model::Visibility::Public,
    )
    .await?;
    state_b.wake_delivery();
    a.until_event(&event.ap_id).await?;
    let agenda = coalition_overview::agenda(&state_a.store, &coalition, None, 10).await?;
    assert_eq!(agenda.iter().map(|c| c.post.ap_id.as_str()).collect::<Vec<_>>(), vec![event.ap_id.as_str()]);

    let response = responses::respond(&state_b.store, &state_b.urls, &kees, &need.ap_id, "Ik kan dinsdag").await?;
    state_b.wake_delivery();
    let arrived = eventually("the response reaches Zorg", || async {
        let post = a.post(&need.ap_id).await?.context("need")?;
        Ok(buurtnet_domain::store::responses::for_proposal(&mut a.store().conn().await?, post.id).await?.into_iter().next())
    })
    .await?;
    assert_eq!(arrived.message, response.message);
    responses::decide(&state_a.store, &state_a.urls, &fatima, arrived.id, true).await?;
    let flows = coalition_overview::help_flows(&state_a.store, &coalition).await?;
    assert_eq!(flows, vec![coalition_overview::Flow { from: paleis.ap_id.clone(), to: zorg.ap_id.clone(), times: 1 }]);

    // The coalition's page shows the same, to anyone, minus what is for members only.
    let page = reqwest::get(format!("{}/coalitie/delfshaven", a.base_url())).await?.text().await?;
    assert!(page.contains("Wie helpt wie") && page.contains("<svg") && page.contains("hielp"), "the network picture: {page}");
    assert!(page.contains("één keer"), "said in words too");
    assert!(page.contains("Buurtmaaltijd in het Wijkpaleis"), "this week of all members");
    assert!(!page.contains("Boodschappen"), "a coalition need is not shown to the public");
    Ok(())
}
