//! Offers and needs between nodes, on SQLite and PostgreSQL: published for an initiative,
//! received as FEP-0837 proposals with their fields, changed, withdrawn and expired everywhere.

use anyhow::Result;
use buurtnet_domain::model::{ProposalDraft, ProposalState, Purpose, Visibility, When};
use buurtnet_domain::ops::proposals::Audience;
use buurtnet_domain::{ops, store};
use buurtnet_tests::harness::{Backend, FollowedInitiative, TestNode, eventually, followed_initiative_named};
use buurtnet_tests::on_both_backends;
use chrono::NaiveDate;
use serde_json::Value;

on_both_backends!(
    a_need_reaches_followers_as_a_proposal_and_its_changes_follow,
    a_coalition_need_reaches_only_the_coalitions_members_and_the_resident_stays_anonymous,
    a_need_is_answered_from_another_node_accepted_and_fulfilled,
    matching_offers_reach_the_coordinators_concerned_and_nobody_else,
    the_newest_needs_a_visitor_may_see_are_found_behind_many_hidden_ones,
);

/// GETs `url` as ActivityStreams JSON, signed by `actor` (a local actor of some node) or unsigned.
async fn fetch_as(url: &str, actor: Option<&buurtnet_domain::model::Actor>) -> Result<(u16, String)> {
    let parsed = url::Url::parse(url)?;
    let mut headers = std::collections::BTreeMap::from([
        ("host".to_string(), buurtnet_federation::host_of(&parsed)),
        ("accept".to_string(), "application/activity+json".to_string()),
    ]);
    if let Some(actor) = actor {
        let signer = buurtnet_federation::signatures::Signer::from_pem(
            actor.public_key_id.clone(),
            actor.private_key_pem.as_deref().expect("local"),
        )?;
        signer.sign("GET", parsed.path(), &mut headers, None)?;
    }
    let mut request = reqwest::Client::new().get(url);
    for (name, value) in headers.iter().filter(|(n, _)| n.as_str() != "host") {
        request = request.header(name.as_str(), value.as_str());
    }
    let response = request.send().await?;
    Ok((response.status().as_u16(), response.text().await?))
}

async fn a_coalition_need_reaches_only_the_coalitions_members_and_the_resident_stays_anonymous(backend: Backend) -> Result<()> {
    let home = TestNode::start(backend).await?;
    let partner = TestNode::start(backend).await?;
    let outsider = TestNode::start(backend).await?;
    let initiative = home.add_initiative("zorgvrijstaat", false).await?;
    let coordinator = home.add_member("fatima", Some(&initiative)).await?;
    let partner_initiative = partner.add_initiative("wijkpaleis", false).await?;
    let outsider_initiative = outsider.add_initiative("elders", false).await?;
    let outsider_member = outsider.add_member("nieuwsgierig", None).await?;

    let partner_coordinator = partner.add_member("kees", Some(&partner_initiative)).await?;
    buurtnet_tests::harness::form_coalition((&home, &initiative, &coordinator), &[(&partner, &partner_initiative, &partner_coordinator)])
        .await?;
    // The outsider's initiative and Zorgvrijstaat follow each other, but that makes no coalition.
    home.follow(&initiative, &outsider_initiative.ap_id).await?;
    outsider.follow(&outsider_initiative, &initiative.ap_id).await?;
    outsider.follow(&outsider_member, &initiative.ap_id).await?;
    eventually("the follows settle", || async {
        let settled = [
            home.follow_state(&initiative.ap_id, &outsider_initiative.ap_id).await?,
            outsider.follow_state(&outsider_initiative.ap_id, &initiative.ap_id).await?,
            outsider.follow_state(&outsider_member.ap_id, &initiative.ap_id).await?,
        ];
        Ok(settled.iter().all(|s| s.as_deref() == Some("accepted")).then_some(()))
    })
    .await?;

    let state = home.node.as_ref().expect("running").state();
    let on_behalf = Audience { visibility: None, on_behalf_of: Some("mevrouw Jansen, Gaffelstraat 3".into()) };
    let naming = ProposalDraft { title: "Boodschappen voor mevrouw Jansen".into(), ..need() };
    assert!(
        matches!(ops::proposals::publish(&state.store, &state.urls, &coordinator, &initiative, &naming, &on_behalf).await,
            Err(buurtnet_domain::DomainError::Invalid(v)) if v[0].field == "title"),
        "a title that names the resident is refused: it would leave the node"
    );
    let anonymous_need = ProposalDraft { title: "Hulp bij boodschappen".into(), ..need() };
    let post = ops::proposals::publish(&state.store, &state.urls, &coordinator, &initiative, &anonymous_need, &on_behalf).await?;
    state.wake_delivery();
    assert_eq!(post.visibility, Visibility::Coalition, "needs default to the initiative's scope: coalition");
    let copy = eventually("the partner initiative's node receives the need", || async { partner.post(&post.ap_id).await }).await?;
    assert_eq!(copy.visibility, Visibility::Coalition);
    assert!(!copy.content.contains("Jansen"), "the resident is never sent");
    assert_eq!(
        store::proposals::resident(&mut home.store().conn().await?, post.id).await?.as_deref(),
        Some("mevrouw Jansen, Gaffelstraat 3")
    );

    let public_post = home.publish_as(&coordinator, &initiative, "Een openbaar bericht", Visibility::Public, vec![]).await?;
    eventually("the outsider gets public posts", || async { outsider.post(&public_post.ap_id).await }).await?;
    assert!(outsider.post(&post.ap_id).await?.is_none(), "following each other is not being in the coalition");

    let partner_instance = partner.node.as_ref().expect("running").state().instance_actor.clone();
    let outsider_instance = outsider.node.as_ref().expect("running").state().instance_actor.clone();
    assert_eq!(fetch_as(&post.ap_id, None).await?.0, 404, "unsigned fetches see nothing");
    assert_eq!(fetch_as(&post.ap_id, Some(&outsider_instance)).await?.0, 404, "nor do nodes outside the coalition");
    let (status, body) = fetch_as(&post.ap_id, Some(&partner_instance)).await?;
    assert_eq!(status, 200, "a coalition node may fetch it: {body}");
    assert!(!body.contains("Jansen") && body.contains("\"purpose\":\"request\""));
    let page = reqwest::get(&post.ap_id).await?;
    assert_eq!(page.status(), 404, "no page for anonymous readers");

    let local = Audience { visibility: Some(Visibility::Local), on_behalf_of: None };
    let pending_before = store::outbox::count_pending(&mut home.store().conn().await?).await?;
    let local_post = ops::proposals::publish(&state.store, &state.urls, &coordinator, &initiative, &need(), &local).await?;
    let (_, delivered_before, _) = home.delivery_counts().await?;
    assert_eq!(store::outbox::count_pending(&mut home.store().conn().await?).await?, pending_before, "a node-local need is never queued");
    assert_eq!(fetch_as(&local_post.ap_id, Some(&partner_instance)).await?.0, 404);
    assert!(ops::visibility::may_read(&state.store, &local_post, Some(&coordinator.ap_id)).await?, "members of this node read it");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(home.delivery_counts().await?.1, delivered_before);
    assert!(partner.post(&local_post.ap_id).await?.is_none());

    let not_coordinator = Audience { visibility: None, on_behalf_of: Some("iemand".into()) };
    let outcome = ops::proposals::publish(&state.store, &state.urls, &coordinator, &coordinator, &need(), &not_coordinator).await;
    assert!(matches!(outcome, Err(buurtnet_domain::DomainError::Invalid(_))), "only for an initiative");
    Ok(())
}

fn public() -> Audience {
    Audience { visibility: Some(Visibility::Public), on_behalf_of: None }
}

fn need() -> ProposalDraft {
    ProposalDraft {
        purpose: Purpose::Request,
        title: "Boodschappen voor mevrouw Jansen".into(),
        description: "Elke dinsdagochtend, ongeveer een uur.".into(),
        category: "boodschappen".into(),
        neighbourhood: Some("Oude Westen".into()),
        when: When::On(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
        expires_at: None,
    }
}

async fn a_need_reaches_followers_as_a_proposal_and_its_changes_follow(backend: Backend) -> Result<()> {
    let FollowedInitiative { home, away, zorg: initiative, fatima: coordinator, .. } =
        followed_initiative_named(backend, "zorgvrijstaat", "kees").await?;

    let state = home.node.as_ref().expect("running").state();
    let post = ops::proposals::publish(&state.store, &state.urls, &coordinator, &initiative, &need(), &public()).await?;
    state.wake_delivery();
    assert!(
        post.content.starts_with("<p><strong>Hulpvraag: Boodschappen voor mevrouw Jansen</strong></p>"),
        "title first: {}",
        post.content
    );
    assert!(post.content.contains("#hulpvraag #boodschappen"));

    let received = eventually("the need arrives", || async { away.post(&post.ap_id).await }).await?;
    let proposal = store::proposals::by_post_id(&mut away.store().conn().await?, received.id).await?.expect("stored as a proposal");
    assert_eq!(
        (proposal.purpose, proposal.category.as_str(), proposal.neighbourhood.as_deref()),
        (Purpose::Request, "boodschappen", Some("Oude Westen"))
    );
    assert_eq!(proposal.title, "Boodschappen voor mevrouw Jansen");
    assert_eq!(proposal.when(), need().when);
    assert_eq!(proposal.description, need().description, "only what the author wrote: the text for Mastodon readers is not kept twice");

    let note: Value = reqwest::Client::new().get(&post.ap_id).header("accept", "application/activity+json").send().await?.json().await?;
    assert_eq!(note["type"], "Note", "Mastodon reads it as a post");
    assert_eq!(note["purpose"], "request");
    assert_eq!(note["name"], "Boodschappen voor mevrouw Jansen");
    assert_eq!(note["publishes"]["type"], "Intent");
    assert_eq!(note["tag"][0]["name"], "#hulpvraag");

    let changed = ProposalDraft { title: "Boodschappen op woensdag".into(), when: When::Flexible, ..need() };
    ops::proposals::change(&state.store, &coordinator, post.id, &changed).await?;
    state.wake_delivery();
    eventually("the change arrives", || async {
        let p = store::proposals::by_post_id(&mut away.store().conn().await?, received.id).await?;
        Ok(p.filter(|p| p.title == "Boodschappen op woensdag" && p.when() == When::Flexible))
    })
    .await?;

    ops::proposals::withdraw(&state.store, &coordinator, post.id).await?;
    state.wake_delivery();
    eventually("the withdrawal arrives, as a state and not a deletion", || async {
        let p = store::proposals::by_post_id(&mut away.store().conn().await?, received.id).await?;
        Ok(p.filter(|p| p.state == ProposalState::Withdrawn))
    })
    .await?;
    let note: Value = reqwest::Client::new().get(&post.ap_id).header("accept", "application/activity+json").send().await?.json().await?;
    assert_eq!(note["proposalState"], "withdrawn");
    assert!(note["content"].as_str().unwrap_or_default().starts_with("<p><strong>Ingetrokken."), "Mastodon readers see it: {note}");
    assert!(matches!(ops::proposals::withdraw(&state.store, &coordinator, post.id).await, Err(buurtnet_domain::DomainError::Gone)));

    // An offer that expires stops showing everywhere.
    let offer = ProposalDraft {
        purpose: Purpose::Offer,
        title: "Ik help met formulieren".into(),
        category: "administratie".into(),
        expires_at: Some(buurtnet_domain::now_ms() + 300),
        ..need()
    };
    let offer_post = ops::proposals::publish(&state.store, &state.urls, &coordinator, &initiative, &offer, &public()).await?;
    state.wake_delivery();
    eventually("the offer arrives", || async { away.post(&offer_post.ap_id).await }).await?;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(ops::proposals::expire_due(&state.store).await?, 1);
    state.wake_delivery();
    eventually("the expiry arrives", || async {
        let Some(copy) = away.post(&offer_post.ap_id).await? else { return Ok(None) };
        let p = store::proposals::by_post_id(&mut away.store().conn().await?, copy.id).await?;
        Ok(p.filter(|p| p.state == ProposalState::Expired))
    })
    .await?;
    let home_copy = store::proposals::by_post_id(&mut home.store().conn().await?, offer_post.id).await?.expect("kept");
    assert_eq!(home_copy.state, ProposalState::Expired);
    assert!(store::proposals::open(&mut away.store().conn().await?, Purpose::Offer, 10).await?.is_empty(), "nothing expired shows as open");

    // Only coordinators post for an initiative; bad input is refused with every problem named.
    let stranger = home.add_member("buitenstaander", None).await?;
    assert!(matches!(
        ops::proposals::publish(&state.store, &state.urls, &stranger, &initiative, &need(), &public()).await,
        Err(buurtnet_domain::DomainError::Forbidden)
    ));
    let bad = ProposalDraft { title: "x".into(), category: "ruimtevaart".into(), ..need() };
    assert!(
        matches!(ops::proposals::publish(&state.store, &state.urls, &coordinator, &initiative, &bad, &public()).await, Err(buurtnet_domain::DomainError::Invalid(v)) if v.len() == 2)
    );
    Ok(())
}

async fn a_need_is_answered_from_another_node_accepted_and_fulfilled(backend: Backend) -> Result<()> {
    use buurtnet_domain::model::ResponseState;
    let home = TestNode::start(backend).await?;
    let away = TestNode::start(backend).await?;
    let initiative = home.add_initiative("zorgvrijstaat", false).await?;
    let coordinator = home.add_member("fatima", Some(&initiative)).await?;
    let partner = away.add_initiative("wijkpaleis", false).await?;
    let helper = away.add_member("kees", Some(&partner)).await?;
    let other = away.add_member("piet", None).await?;
    buurtnet_tests::harness::form_coalition((&home, &initiative, &coordinator), &[(&away, &partner, &helper)]).await?;

    let home_state = home.node.as_ref().expect("running").state();
    let away_state = away.node.as_ref().expect("running").state();
    let post =
        ops::proposals::publish(&home_state.store, &home_state.urls, &coordinator, &initiative, &need(), &Audience::default()).await?;
    home_state.wake_delivery();
    let copy = eventually("the coalition need arrives", || async { away.post(&post.ap_id).await }).await?;

    let response = ops::responses::respond(&away_state.store, &away_state.urls, &helper, &post.ap_id, "Ik kan helpen op dinsdag!").await?;
    let second = ops::responses::respond(&away_state.store, &away_state.urls, &other, &post.ap_id, "").await?;
    away_state.wake_delivery();
    let received = eventually("both responses arrive", || async {
        let all = store::responses::for_proposal(&mut home.store().conn().await?, post.id).await?;
        Ok((all.len() == 2).then_some(all))
    })
    .await?;
    let from_helper = received.iter().find(|r| r.ap_id == response.ap_id).expect("same id on both sides");
    assert_eq!((from_helper.state, from_helper.message.as_str()), (ResponseState::Pending, "Ik kan helpen op dinsdag!"));
    let from_other = received.iter().find(|r| r.ap_id == second.ap_id).expect("second");
    let told = store::notifications::for_recipient(&mut home.store().conn().await?, coordinator.id, 20).await?;
    assert_eq!(told.iter().filter(|n| n.kind == ops::responses::KIND_RESPONSE).count(), 2, "the coordinator hears of both responses");

    ops::responses::decide(&home_state.store, &home_state.urls, &coordinator, from_helper.id, true).await?;
    home_state.wake_delivery();
    assert!(
        matches!(
            ops::responses::decide(&home_state.store, &home_state.urls, &coordinator, from_other.id, true).await,
            Err(buurtnet_domain::DomainError::Conflict(_))
        ),
        "accepting one declines the others: a second yes is refused"
    );
    let declined = store::responses::by_id(&mut home.store().conn().await?, from_other.id).await?;
    assert_eq!((declined.state, declined.reason.as_deref()), (ResponseState::Rejected, Some("other_chosen")));
    eventually("the decisions arrive", || async {
        let mut conn = away.store().conn().await?;
        let accepted = store::responses::by_id(&mut conn, response.id).await?.state == ResponseState::Accepted;
        let rejected = store::responses::by_id(&mut conn, second.id).await?.state == ResponseState::Rejected;
        Ok((accepted && rejected).then_some(()))
    })
    .await?;
    let away_copy = store::proposals::by_post_id(&mut away.store().conn().await?, copy.id).await?.expect("proposal");
    assert_eq!(away_copy.state, ProposalState::InProgress, "in progress on both nodes");
    let helper_told = store::notifications::for_recipient(&mut away.store().conn().await?, helper.id, 20).await?;
    assert!(helper_told.iter().any(|n| n.kind == ops::responses::KIND_RESPONSE_ACCEPTED), "the helper hears the yes");
    let home_copy = store::proposals::by_post_id(&mut home.store().conn().await?, post.id).await?.expect("proposal");
    assert_eq!(home_copy.state, ProposalState::InProgress);
    let conversation = eventually("a private conversation opens", || async {
        let replies = store::posts::replies_to(&mut away.store().conn().await?, &post.ap_id).await?;
        Ok(replies.into_iter().find(|p| p.visibility == Visibility::Direct))
    })
    .await?;
    assert!(conversation.content.contains("afspreken"));
    assert!(ops::visibility::may_read(&away_state.store, &conversation, Some(&helper.ap_id)).await?);
    assert!(!ops::visibility::may_read(&away_state.store, &conversation, Some(&other.ap_id)).await?, "only between the two");

    let fulfilment = buurtnet_domain::model::Fulfilment { hours: Some(2.5), thanks: Some("Dank je wel, Kees!".into()) };
    ops::responses::fulfil(&home_state.store, &coordinator, post.id, &fulfilment).await?;
    home_state.wake_delivery();
    assert_eq!(store::proposals::hours_given(&mut home.store().conn().await?, post.id).await?, Some(2.5));
    // The post's Update and the EconomicEvent with the thanks may arrive in either order.
    eventually("the hours given and the thanks reach the helper's node (FEP-3264)", || async {
        let copy = store::proposals::by_post_id(&mut away.store().conn().await?, copy.id).await?.expect("proposal");
        let thanked = copy.thanks.as_deref() == Some("Dank je wel, Kees!");
        Ok((copy.state == ProposalState::Fulfilled && copy.hours_given == Some(2.5) && thanked).then_some(()))
    })
    .await?;
    let helper_told = store::notifications::for_recipient(&mut away.store().conn().await?, helper.id, 20).await?;
    assert!(helper_told.iter().any(|n| n.kind == ops::responses::KIND_PROPOSAL_FULFILLED), "the helper hears it was helped");
    assert!(
        matches!(
            ops::responses::respond(&away_state.store, &away_state.urls, &helper, &copy.ap_id, "nog eens").await,
            Err(buurtnet_domain::DomainError::Conflict(_))
        ),
        "no new responses once helped"
    );
    let own = ops::proposals::publish(&home_state.store, &home_state.urls, &coordinator, &initiative, &need(), &public()).await?;
    assert!(
        matches!(
            ops::responses::respond(&home_state.store, &home_state.urls, &coordinator, &own.ap_id, "").await,
            Err(buurtnet_domain::DomainError::Invalid(_))
        ),
        "not to your own"
    );
    Ok(())
}

async fn matching_offers_reach_the_coordinators_concerned_and_nobody_else(backend: Backend) -> Result<()> {
    let home = TestNode::start(backend).await?;
    let away = TestNode::start(backend).await?;
    let initiative = home.add_initiative("zorgvrijstaat", false).await?;
    let coordinator = home.add_member("fatima", Some(&initiative)).await?;
    let bystander = home.add_member("buur", None).await?;
    let helpers = away.add_initiative("wijkpaleis", false).await?;
    let helpers_coordinator = away.add_member("kees", Some(&helpers)).await?;
    home.follow_and_wait(&initiative, &helpers.ap_id).await?;

    let home_state = home.node.as_ref().expect("running").state();
    let away_state = away.node.as_ref().expect("running").state();
    let need_post = ops::proposals::publish(&home_state.store, &home_state.urls, &coordinator, &initiative, &need(), &public()).await?;

    let good = ProposalDraft {
        purpose: Purpose::Offer,
        title: "Wij doen boodschappen voor buren".into(),
        description: "In het Oude Westen, op afspraak.".into(),
        when: When::Flexible,
        ..need()
    };
    let unrelated = ProposalDraft {
        purpose: Purpose::Offer,
        title: "Fietsen repareren".into(),
        description: "Lekke banden en remmen.".into(),
        category: "vervoer".into(),
        neighbourhood: None,
        ..need()
    };
    let good_post = ops::proposals::publish(&away_state.store, &away_state.urls, &helpers_coordinator, &helpers, &good, &public()).await?;
    let unrelated_post =
        ops::proposals::publish(&away_state.store, &away_state.urls, &helpers_coordinator, &helpers, &unrelated, &public()).await?;
    away_state.wake_delivery();
    for post in [&good_post, &unrelated_post] {
        eventually("the offers arrive", || async { home.post(&post.ap_id).await }).await?;
    }
    // Suggestions are made just after an offer is stored.
    let notifications = eventually("the suggestion is made", || async {
        let all = store::notifications::for_recipient(&mut home.store().conn().await?, coordinator.id, 10).await?;
        Ok((!all.is_empty()).then_some(all))
    })
    .await?;
    let good_copy = home.post(&good_post.ap_id).await?.expect("received");
    assert_eq!(notifications.len(), 1, "one suggestion: {notifications:?}");
    assert_eq!((notifications[0].post_id, notifications[0].related_post_id), (Some(need_post.id), Some(good_copy.id)));
    assert!(
        store::notifications::for_recipient(&mut home.store().conn().await?, bystander.id, 10).await?.is_empty(),
        "never the whole network"
    );
    assert!(
        store::notifications::for_recipient(&mut away.store().conn().await?, helpers_coordinator.id, 10)
            .await?
            .iter()
            .all(|n| n.kind != ops::matching::KIND_MATCH),
        "the other node does not follow us, so it holds no need to match"
    );
    Ok(())
}

/// The front page's lists read open needs and offers a part at a time: whatever the visitor may
/// not see, however many, the newest they may see come first, offers and needs merged.
async fn the_newest_needs_a_visitor_may_see_are_found_behind_many_hidden_ones(backend: Backend) -> Result<()> {
    let mut node = TestNode::start(backend).await?;
    let initiative = node.add_initiative("hulp", false).await?;
    let coby = node.add_member("coby", Some(&initiative)).await?;
    let urls = node.context().urls.clone();
    let publish = async |title: String, purpose: Purpose, visibility: Visibility| -> Result<()> {
        let draft = ProposalDraft { purpose, ..buurtnet_tests::harness::sample_need(&title) };
        let audience = Audience { visibility: Some(visibility), ..Default::default() };
        ops::proposals::publish(node.store(), &urls, &coby, &initiative, &draft, &audience).await?;
        Ok(())
    };
    for n in 0..4 {
        publish(format!("open {n}"), Purpose::Request, Visibility::Public).await?;
        publish(format!("aanbod {n}"), Purpose::Offer, Visibility::Public).await?;
    }
    for n in 0..40 {
        publish(format!("verborgen {n}"), if n % 3 == 0 { Purpose::Offer } else { Purpose::Request }, Visibility::Followers).await?;
    }
    let titles = async |filter: &ops::browse::ProposalFilter, limit: usize| -> Result<Vec<String>> {
        let cards = ops::browse::open_proposals(node.store(), None, filter, limit).await?;
        Ok(cards.into_iter().map(|card| card.proposal.title).collect())
    };
    let needs = ops::browse::ProposalFilter { purpose: Some(Purpose::Request), ..Default::default() };
    assert_eq!(titles(&needs, 6).await?, ["open 3", "open 2", "open 1", "open 0"], "{backend:?}");
    assert_eq!(titles(&needs, 2).await?, ["open 3", "open 2"], "{backend:?}");
    let both = titles(&Default::default(), 5).await?;
    assert_eq!(both, ["aanbod 3", "open 3", "aanbod 2", "open 2", "aanbod 1"], "{backend:?}");
    let coby_sees = ops::browse::open_proposals(node.store(), Some(&coby), &needs, 30).await?;
    assert_eq!(coby_sees.len(), 30, "{backend:?}: the coordinator sees the hidden ones too");
    assert!(coby_sees.windows(2).all(|w| w[0].post.id > w[1].post.id), "{backend:?}: newest first");
    node.stop().await;
    Ok(())
}
