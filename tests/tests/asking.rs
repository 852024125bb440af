//! Asking without shame (issue 13): a resident's own need that only the coordinators of her
//! initiative may see stays inside that circle on every read path (pages, lists, the
//! Mastodon API, ActivityPub, feeds, search, matching, federation); a coordinator passes it
//! on as the initiative's need without her name, and her own need follows what happens to it.
//! Two real nodes in a coalition, on SQLite and PostgreSQL.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::{Actor, Fulfilment, ProposalDraft, ProposalState, Purpose, Visibility};
use buurtnet_domain::ops::proposals::Audience;
use buurtnet_domain::{DomainError, ops, store};
use buurtnet_tests::harness::{Backend, PASSWORD, TestNode, eventually, form_coalition, get_signed, sample_need, signer_of};
use buurtnet_tests::on_both_backends;
use buurtnet_tests::pages::PageVisitor;
use reqwest::StatusCode;

on_both_backends!(
    a_need_for_the_coordinators_alone_stays_in_the_circle_and_is_passed_on_without_her_name,
    the_coordinators_desk_shows_what_waits_for_them_and_nobody_elses,
);

const TITLE: &str = "Schulden en post die ik niet open durf te maken";

fn her_need() -> ProposalDraft {
    ProposalDraft { title: TITLE.into(), category: "geldzorg".into(), ..sample_need(TITLE) }
}

/// Whether `body` shows her need (its title).
fn shows(body: &str) -> bool {
    body.contains("Schulden en post")
}

async fn page_status(node: &TestNode, who: Option<&str>, path: &str) -> Result<(StatusCode, String)> {
    let mut visitor = PageVisitor::new(&node.base_url())?;
    if let Some(name) = who {
        visitor.log_in(name, PASSWORD).await?;
    }
    let answer = visitor.get(path).await?;
    Ok((answer.status, answer.body))
}

async fn api_get(base: &str, bearer: Option<&str>, path: &str) -> Result<(StatusCode, String)> {
    let mut request = reqwest::Client::new().get(format!("{base}{path}"));
    if let Some(bearer) = bearer {
        request = request.header("authorization", bearer);
    }
    let response = request.send().await?;
    Ok((response.status(), response.text().await?))
}

async fn a_need_for_the_coordinators_alone_stays_in_the_circle_and_is_passed_on_without_her_name(backend: Backend) -> Result<()> {
    let home = TestNode::start(backend).await?;
    let away = TestNode::start(backend).await?;
    let initiative = home.add_initiative("zorgvrijstaat", false).await?;
    let fatima = home.add_member("fatima", Some(&initiative)).await?;
    let other_initiative = home.add_initiative("wijkhuis", false).await?;
    let bert = home.add_member("bert", Some(&other_initiative)).await?;
    let piet = home.add_member("piet", None).await?;
    let truus = home.add_member("truus", None).await?;
    store::actors::add_initiative_member(&mut home.store().conn().await?, initiative.id, truus.id, ops::actors::ROLE_MEMBER).await?;
    let partner = away.add_initiative("wijkpaleis", false).await?;
    let kees = away.add_member("kees", Some(&partner)).await?;
    form_coalition((&home, &initiative, &fatima), &[(&away, &partner, &kees)]).await?;
    home.follow_and_wait(&piet, &truus.ap_id).await?;
    away.follow_and_wait(&kees, &truus.ap_id).await?;

    let state = home.node.as_ref().context("running")?.state();
    let need = ops::proposals::publish(&state.store, &state.urls, &truus, &truus, &her_need(), &Audience::default()).await?;
    assert_eq!(need.visibility, Visibility::Coordinators, "a resident's own need is for her coordinators unless she chooses wider");
    state.wake_delivery();
    // Something public after it, so that when it has arrived, the need would have too.
    let marker = home.publish(&truus, "Mooi weer vandaag", Visibility::Public).await?;
    state.wake_delivery();
    eventually("her public post reaches her follower's node", || async { away.post(&marker.ap_id).await }).await?;
    assert!(away.post(&need.ap_id).await?.is_none(), "the need never leaves the node");

    // Pages: her, her coordinator; nobody else.
    let own = format!("/bericht/{}", need.id);
    for (who, may) in [(Some("truus"), true), (Some("fatima"), true), (Some("bert"), false), (Some("piet"), false), (None, false)] {
        let (status, body) = page_status(&home, who, &own).await?;
        assert_eq!((status == StatusCode::OK && shows(&body)), may, "{who:?} on the need's page: {status}");
        for list in ["/hulp", "/", "/hulp?woorden=schulden", "/users/truus", "/zoeken?q=schulden"] {
            let (_, body) = page_status(&home, who, list).await?;
            assert!(may || !shows(&body), "{who:?} on {list}");
            if may && list.starts_with("/hulp") {
                assert!(shows(&body), "{who:?} finds it on {list}");
            }
        }
    }
    let (_, feed) = api_get(&home.base_url(), None, "/users/truus/feed.atom").await?;
    assert!(!shows(&feed), "not in her feed");

    // The Mastodon API: not for her follower, not in timelines or search.
    let base = home.base_url();
    let piets = buurtnet_tests::app::bearer(&base, "piet", "read").await?;
    let fatimas = buurtnet_tests::app::bearer(&base, "fatima", "read").await?;
    let (status, _) = api_get(&base, Some(&piets), &format!("/api/v1/statuses/{}", need.id)).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = api_get(&base, Some(&fatimas), &format!("/api/v1/statuses/{}", need.id)).await?;
    assert!(status == StatusCode::OK && shows(&body), "her coordinator reads it: {status}");
    for path in [
        "/api/v1/timelines/home",
        "/api/v1/timelines/public",
        "/api/v2/search?q=schulden&resolve=false",
        &format!("/api/v1/accounts/{}/statuses", truus.id),
    ] {
        let (_, body) = api_get(&base, Some(&piets), path).await?;
        assert!(!shows(&body), "{path}");
    }

    // ActivityPub: not even to a signed reader on the partner's node.
    let (status, body) = get_signed(&need.ap_id, Some(&signer_of(&kees))).await?;
    assert!(status >= 400 && !shows(&body.to_string()), "a signed GET from another node: {status}");

    // Matching: an offer that fits tells only those who may read the need.
    let offer = ProposalDraft { purpose: Purpose::Offer, title: "Hulp bij geldzaken en post".into(), ..her_need() };
    ops::proposals::publish(&state.store, &state.urls, &piet, &piet, &offer, &Audience::default()).await?;
    let piets_notices = store::notifications::for_recipient(&mut home.store().conn().await?, piet.id, 50).await?;
    assert!(
        piets_notices.iter().all(|n| n.related_post_id != Some(need.id) && n.post_id != Some(need.id)),
        "nobody hears of her need through a match"
    );

    // Her coordinator passes it on, without her name; who else coordinates elsewhere cannot.
    let naming = ProposalDraft { title: "Truus heeft hulp nodig met post".into(), ..her_need() };
    assert!(matches!(
        ops::proposals::pass_on(&state.store, &state.urls, &fatima, &initiative, need.id, &naming, None).await,
        Err(DomainError::Invalid(_))
    ));
    let draft = ProposalDraft {
        title: "Hulp bij post en rekeningen".into(),
        description: "Een buurvrouw zoekt iemand die meekijkt.".into(),
        ..her_need()
    };
    assert!(matches!(
        ops::proposals::pass_on(&state.store, &state.urls, &bert, &other_initiative, need.id, &draft, None).await,
        Err(DomainError::NotFound)
    ));
    let passed = ops::proposals::pass_on(&state.store, &state.urls, &fatima, &initiative, need.id, &draft, None).await?;
    assert!(matches!(
        ops::proposals::pass_on(&state.store, &state.urls, &fatima, &initiative, need.id, &draft, None).await,
        Err(DomainError::Conflict(_))
    ));
    state.wake_delivery();
    let copy = eventually("the passed-on need reaches the partner", || async { away.post(&passed.ap_id).await }).await?;
    assert!(!copy.content.to_lowercase().contains("truus"), "her name stays home");
    assert!(
        store::proposals::resident(&mut home.store().conn().await?, passed.id).await?.is_some_and(|r| r.contains("TRUUS")),
        "her coordinators know for whom"
    );

    // Help comes from the other node; her own need follows, and she hears it.
    let away_state = away.node.as_ref().context("running")?.state();
    ops::responses::respond(&away_state.store, &away_state.urls, &kees, &passed.ap_id, "Ik kijk graag mee.").await?;
    away_state.wake_delivery();
    let response = eventually("the response arrives", || async {
        Ok(store::responses::for_proposal(&mut home.store().conn().await?, passed.id).await?.into_iter().next())
    })
    .await?;
    ops::responses::decide(&state.store, &state.urls, &fatima, response.id, true).await?;
    let hers = async |state: ProposalState| {
        let mine = store::proposals::by_post_id(&mut home.store().conn().await?, need.id).await?.context("her need")?;
        anyhow::Ok(mine.state == state)
    };
    assert!(hers(ProposalState::InProgress).await?, "her need shows that someone helps");
    ops::responses::fulfil(&state.store, &fatima, passed.id, &Fulfilment { hours: Some(2.0), thanks: None }).await?;
    assert!(hers(ProposalState::Fulfilled).await?, "and that it is done");
    let told = store::notifications::for_recipient(&mut home.store().conn().await?, truus.id, 20).await?;
    assert!(told.iter().any(|n| n.kind == ops::responses::KIND_HELPER_FOUND && n.post_id == Some(need.id)));
    assert!(told.iter().any(|n| n.kind == ops::responses::KIND_PROPOSAL_FULFILLED && n.post_id == Some(need.id)));
    let _: &Actor = &bert;
    Ok(())
}

/// The coordinator's desk on `/coordinatie`: a resident's own need to pass on, a need posted
/// for a resident with her name, a response waiting for a decision, and (days later) a need
/// nobody answered; a coordinator of another initiative sees none of it.
async fn the_coordinators_desk_shows_what_waits_for_them_and_nobody_elses(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let initiative = node.add_initiative("zorgvrijstaat", false).await?;
    let fatima = node.add_member("fatima", Some(&initiative)).await?;
    let other_initiative = node.add_initiative("wijkhuis", false).await?;
    node.add_member("bert", Some(&other_initiative)).await?;
    let piet = node.add_member("piet", None).await?;
    let truus = node.add_member("truus", None).await?;
    store::actors::add_initiative_member(&mut node.store().conn().await?, initiative.id, truus.id, ops::actors::ROLE_MEMBER).await?;
    let state = node.node.as_ref().context("running")?.state();
    ops::proposals::publish(&state.store, &state.urls, &truus, &truus, &her_need(), &Audience::default()).await?;
    let for_her = Audience { visibility: None, on_behalf_of: Some("mevrouw De Vries".into()) };
    let garden = ProposalDraft { title: "Hulp in een kleine tuin".into(), category: "tuin".into(), ..sample_need("tuin") };
    let garden = ops::proposals::publish(&state.store, &state.urls, &fatima, &initiative, &garden, &for_her).await?;
    ops::responses::respond(&state.store, &state.urls, &piet, &garden.ap_id, "Ik kan zaterdag.").await?;
    let quiet = ProposalDraft { title: "Wie rijdt mee naar de markt?".into(), category: "vervoer".into(), ..sample_need("markt") };
    let quiet = ops::proposals::publish(&state.store, &state.urls, &fatima, &initiative, &quiet, &Audience::default()).await?;

    let now = buurtnet_domain::now_ms();
    let desk = ops::desk::of(&state.store, &fatima, now).await?;
    assert_eq!(desk.to_pass_on.len(), 1, "her own need waits to be passed on");
    assert_eq!(desk.for_residents.iter().map(|i| i.resident.clone()).collect::<Vec<_>>(), vec![Some("mevrouw De Vries".to_string())]);
    assert_eq!(desk.waiting.iter().map(|i| i.post.id).collect::<Vec<_>>(), vec![garden.id]);
    assert!(desk.unanswered.is_empty(), "nothing is old yet");
    let later = ops::desk::of(&state.store, &fatima, now + 4 * 24 * 3600 * 1000).await?;
    assert_eq!(later.unanswered.iter().map(|i| i.post.id).collect::<Vec<_>>(), vec![quiet.id], "days later, the need nobody answered");

    let (status, body) = page_status(&node, Some("fatima"), "/coordinatie").await?;
    assert_eq!(status, StatusCode::OK);
    assert!(
        shows(&body) && body.contains("mevrouw De Vries") && body.contains("Hulp in een kleine tuin") && body.contains("1 wacht op jullie")
    );
    let (_, elsewhere) = page_status(&node, Some("bert"), "/coordinatie").await?;
    assert!(
        !shows(&elsewhere) && !elsewhere.contains("De Vries") && !elsewhere.contains("kleine tuin"),
        "another initiative's coordinator sees none of it"
    );
    Ok(())
}
