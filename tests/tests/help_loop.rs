//! The help loop across nodes (issue 13): one state on every copy of a need, a reasoned
//! `Reject` for responses that come too late or were not chosen, the helper told when it is
//! helped (with the thanks), and a response that cannot be delivered never lost in silence.
//! Three real nodes in one coalition, on SQLite and PostgreSQL, with a partition between two
//! of them for the late cases and a message delivered twice.

use anyhow::{Context as _, Result};
use buurtnet_domain::error::{Say, Words};
use buurtnet_domain::model::{Actor, DeclineReason, Fulfilment, Post, ProposalState, Response, ResponseState};
use buurtnet_domain::ops::proposals::Audience;
use buurtnet_domain::{DomainError, ops, store};
use buurtnet_tests::harness::{Backend, TestNode, eventually, form_coalition, post_signed, sample_need, signer_of};
use buurtnet_tests::on_both_backends;
use serde_json::Value;

on_both_backends!(
    one_state_reaches_every_copy_and_every_helper_hears_why,
    a_withdrawn_need_shows_as_withdrawn_everywhere_and_its_responders_hear_it,
    a_response_refused_for_good_is_marked_undelivered_and_the_helper_told,
    the_loop_closes_on_the_pages_and_through_the_api,
    the_figures_and_who_helps_whom_are_the_same_on_every_replica_after_a_partition,
    a_need_and_an_offer_in_neighbouring_categories_meet_across_the_coalition,
);

/// An initiative with its coordinator and one more member, on its own node.
struct Seat {
    node: TestNode,
    initiative: Actor,
    coordinator: Actor,
    volunteer: Actor,
}

impl Seat {
    async fn new(backend: Backend, slug: &str, coordinator: &str, volunteer: &str) -> Result<Seat> {
        let node = TestNode::start(backend).await?;
        let initiative = node.add_initiative(slug, false).await?;
        let coordinator = node.add_member(coordinator, Some(&initiative)).await?;
        let volunteer = node.add_member(volunteer, None).await?;
        Ok(Seat { node, initiative, coordinator, volunteer })
    }

    fn state(&self) -> Result<&buurtnet_federation::FederationState> {
        Ok(self.node.node.as_ref().context("running")?.state())
    }

    fn host(&self) -> String {
        self.node.base_url().trim_start_matches("http://").to_string()
    }

    async fn copy(&self, ap_id: &str) -> Result<Option<(Post, buurtnet_domain::model::Proposal)>> {
        let mut conn = self.node.store().conn().await?;
        let Some(post) = store::posts::by_ap_id(&mut conn, ap_id).await? else { return Ok(None) };
        Ok(store::proposals::by_post_id(&mut conn, post.id).await?.map(|p| (post, p)))
    }

    async fn wait_for_state(&self, ap_id: &str, state: ProposalState, what: &str) -> Result<buurtnet_domain::model::Proposal> {
        eventually(what, || async { Ok(self.copy(ap_id).await?.map(|(_, p)| p).filter(|p| p.state == state)) }).await
    }

    async fn respond(&self, member: &Actor, ap_id: &str, message: &str) -> Result<Response> {
        let state = self.state()?;
        let response = ops::responses::respond(&state.store, &state.urls, member, ap_id, message).await?;
        state.wake_delivery();
        Ok(response)
    }

    async fn response(&self, id: i64) -> Result<Response> {
        Ok(store::responses::by_id(&mut self.node.store().conn().await?, id).await?)
    }

    async fn notices(&self, member: &Actor, kind: &str) -> Result<usize> {
        let all = store::notifications::for_recipient(&mut self.node.store().conn().await?, member.id, 100).await?;
        Ok(all.iter().filter(|n| n.kind == kind).count())
    }

    async fn post_need(&self, title: &str) -> Result<Post> {
        let state = self.state()?;
        let draft = sample_need(title);
        let post =
            ops::proposals::publish(&state.store, &state.urls, &self.coordinator, &self.initiative, &draft, &Audience::default()).await?;
        state.wake_delivery();
        Ok(post)
    }
}

async fn coalition_of_three(backend: Backend) -> Result<(Seat, Seat, Seat)> {
    let a = Seat::new(backend, "zorgvrijstaat", "fatima", "els").await?;
    let b = Seat::new(backend, "wijkpaleis", "kees", "jan").await?;
    let c = Seat::new(backend, "oudewesten", "anouk", "anna").await?;
    form_coalition(
        (&a.node, &a.initiative, &a.coordinator),
        &[(&b.node, &b.initiative, &b.coordinator), (&c.node, &c.initiative, &c.coordinator)],
    )
    .await?;
    Ok((a, b, c))
}

/// The need's document as its home node serves it.
async fn served(ap_id: &str, reader: &Actor) -> Result<Value> {
    let (status, note) = buurtnet_tests::harness::get_signed(ap_id, Some(&signer_of(reader))).await?;
    anyhow::ensure!(status == 200, "GET {ap_id}: {status}");
    Ok(note)
}

/// A needs help; B's volunteer and C's volunteer respond. While C is cut off from A, A
/// accepts B's volunteer: B shows "in progress" at once, and a member on C, who still sees
/// the need open, responds too late. A keeps her response and answers with a reasoned
/// `Reject`; once the cut heals, C shows the state and both of C's responders know why they
/// were not needed. The late `Offer` delivered a second time changes nothing. Then A marks
/// the need helped with hours and thanks: every copy shows it, and B's helper sees the thanks.
async fn one_state_reaches_every_copy_and_every_helper_hears_why(backend: Backend) -> Result<()> {
    let (a, b, c) = coalition_of_three(backend).await?;
    let need = a.post_need("Boodschappen op dinsdag").await?;
    for seat in [&b, &c] {
        seat.wait_for_state(&need.ap_id, ProposalState::Open, "the need reaches every member").await?;
    }
    let from_jan = b.respond(&b.volunteer, &need.ap_id, "Ik kan helpen!").await?;
    let from_anna = c.respond(&c.volunteer, &need.ap_id, "Ik ook.").await?;
    let at_home = eventually("both responses reach the need's node", || async {
        let all = store::responses::for_proposal(&mut a.node.store().conn().await?, need.id).await?;
        Ok((all.len() == 2).then_some(all))
    })
    .await?;
    let jan_at_home = at_home.iter().find(|r| r.ap_id == from_jan.ap_id).context("jan's response")?;

    // A knows C's coordinator already (fetches from C fail while cut off).
    a.node.resolve(&c.coordinator.ap_id).await?;
    a.state()?.faults.cut_off([c.host()]);
    let a_state = a.state()?;
    ops::responses::decide(&a_state.store, &a_state.urls, &a.coordinator, jan_at_home.id, true).await?;
    a_state.wake_delivery();
    b.wait_for_state(&need.ap_id, ProposalState::InProgress, "B shows that someone helps").await?;
    let note = served(&need.ap_id, &b.initiative).await?;
    assert_eq!(note["proposalState"], "in_progress");
    assert!(note["content"].as_str().unwrap_or_default().contains("Er wordt al geholpen."), "Mastodon readers see it too");
    assert_eq!(c.copy(&need.ap_id).await?.context("C's copy")?.1.state, ProposalState::Open, "C is cut off and still sees it open");

    // Too late: C's coordinator still sees it open and responds.
    let late = c.respond(&c.coordinator, &need.ap_id, "Zal ik gaan?").await?;
    let late_at_home = eventually("the late response is kept and declined with a reason", || async {
        let kept = store::responses::by_ap_id(&mut a.node.store().conn().await?, &late.ap_id).await?;
        Ok(kept.filter(|r| r.state == ResponseState::Rejected))
    })
    .await?;
    assert_eq!(late_at_home.reason.as_deref(), Some("in_progress"));
    let anna_at_home = store::responses::by_ap_id(&mut a.node.store().conn().await?, &from_anna.ap_id).await?.context("anna's")?;
    assert_eq!((anna_at_home.state, anna_at_home.reason.as_deref()), (ResponseState::Rejected, Some("other_chosen")));

    a.state()?.faults.heal();
    a_state.wake_delivery();
    c.wait_for_state(&need.ap_id, ProposalState::InProgress, "C shows it once the cut heals").await?;
    let late_at_c = eventually("the late helper hears why", || async {
        Ok(Some(c.response(late.id).await?).filter(|r| r.state == ResponseState::Rejected))
    })
    .await?;
    assert_eq!(late_at_c.decline_reason(), Some(buurtnet_domain::model::DeclineReason::BeingHelped));
    let anna_at_c = eventually("the responder not chosen hears it kindly", || async {
        Ok(Some(c.response(from_anna.id).await?).filter(|r| r.state == ResponseState::Rejected))
    })
    .await?;
    assert_eq!(anna_at_c.decline_reason(), Some(buurtnet_domain::model::DeclineReason::OtherChosen));
    assert_eq!(c.notices(&c.coordinator, ops::responses::KIND_RESPONSE_CLOSED).await?, 1);
    assert_eq!(c.notices(&c.volunteer, ops::responses::KIND_RESPONSE_CLOSED).await?, 1);
    assert_eq!(b.notices(&b.volunteer, ops::responses::KIND_RESPONSE_ACCEPTED).await?, 1);

    // The same late Offer delivered again: nothing new is kept, nobody is told twice.
    let offer = buurtnet_federation::objects::response::offer(&late, &need, &c.coordinator, &a.initiative);
    let body = buurtnet_federation::protocol::with_context(offer.to_value()).to_string();
    let status = post_signed(&format!("{}/inbox", a.node.base_url()), body.as_bytes(), Some(&signer_of(&c.coordinator)), None).await?;
    assert!(status.is_success(), "a repeated Offer is accepted quietly: {status}");
    let responses = store::responses::for_proposal(&mut a.node.store().conn().await?, need.id).await?;
    assert_eq!(responses.len(), 3, "still one response per responder");
    a_state.wake_delivery();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(c.notices(&c.coordinator, ops::responses::KIND_RESPONSE_CLOSED).await?, 1, "told once");

    // A second yes is refused: someone already helps.
    assert!(matches!(
        ops::responses::decide(&a_state.store, &a_state.urls, &a.coordinator, late_at_home.id, true).await,
        Err(DomainError::Conflict(_))
    ));

    let thanks = Fulfilment { hours: Some(1.5), thanks: Some("Heel fijn, dank je wel!".into()) };
    ops::responses::fulfil(&a_state.store, &a.coordinator, need.id, &thanks).await?;
    a_state.wake_delivery();
    let at_b = b.wait_for_state(&need.ap_id, ProposalState::Fulfilled, "B shows it helped").await?;
    eventually("the helper's node has the hours and the thanks", || async {
        let copy = b.copy(&need.ap_id).await?.context("B's copy")?.1;
        Ok((copy.hours_given == Some(1.5) && copy.thanks.is_some()).then_some(()))
    })
    .await?;
    let at_b = b.copy(&need.ap_id).await?.map(|(_, p)| p).unwrap_or(at_b);
    assert_eq!(at_b.thanks.as_deref(), Some("Heel fijn, dank je wel!"));
    assert_eq!(b.notices(&b.volunteer, ops::responses::KIND_PROPOSAL_FULFILLED).await?, 1, "the helper hears it");
    let at_c = c.wait_for_state(&need.ap_id, ProposalState::Fulfilled, "C shows it helped").await?;
    assert_eq!(at_c.thanks, None, "the thanks go to the helper, not to everyone");
    let note = served(&need.ap_id, &b.initiative).await?;
    assert!(note["content"].as_str().unwrap_or_default().starts_with("<p><strong>Geholpen!"), "{note}");
    Ok(())
}

/// A withdraws a need that B's volunteer responded to: every copy shows it withdrawn (an
/// `Update`, not a deletion: the figures count it as asked), the pending responder hears why,
/// and a response made after the withdrawal is refused where the copy already knows.
async fn a_withdrawn_need_shows_as_withdrawn_everywhere_and_its_responders_hear_it(backend: Backend) -> Result<()> {
    let (a, b, c) = coalition_of_three(backend).await?;
    let need = a.post_need("Iemand om mee te wandelen").await?;
    for seat in [&b, &c] {
        seat.wait_for_state(&need.ap_id, ProposalState::Open, "the need reaches every member").await?;
    }
    let from_jan = b.respond(&b.volunteer, &need.ap_id, "Graag!").await?;
    eventually("the response arrives", || async {
        Ok(store::responses::by_ap_id(&mut a.node.store().conn().await?, &from_jan.ap_id).await?)
    })
    .await?;
    let a_state = a.state()?;
    ops::proposals::withdraw(&a_state.store, &a.coordinator, need.id).await?;
    a_state.wake_delivery();
    for seat in [&b, &c] {
        seat.wait_for_state(&need.ap_id, ProposalState::Withdrawn, "every copy shows it withdrawn").await?;
        let (post, _) = seat.copy(&need.ap_id).await?.context("copy")?;
        assert!(!post.is_deleted(), "withdrawn is not deleted");
    }
    let jan = eventually("the responder hears why", || async {
        Ok(Some(b.response(from_jan.id).await?).filter(|r| r.state == ResponseState::Rejected))
    })
    .await?;
    assert_eq!(jan.decline_reason(), Some(buurtnet_domain::model::DeclineReason::Withdrawn));
    let refused = c.respond(&c.volunteer, &need.ap_id, "nog iemand?").await.expect_err("a withdrawn need takes no responses");
    let closed = Words::Say(Say::Closed(DeclineReason::Withdrawn));
    assert!(matches!(refused.downcast_ref::<DomainError>(), Some(DomainError::Conflict(said)) if *said == closed), "{refused}");
    assert!(store::proposals::open(&mut c.node.store().conn().await?, buurtnet_domain::model::Purpose::Request, 10).await?.is_empty());
    Ok(())
}

/// A's node refuses B's node for good (blocked): B's volunteer responds to a need she holds,
/// the delivery is refused (403), and instead of "Je hoort het als er antwoord is" forever,
/// her response shows as not delivered and she is told; so too when she asks to take part
/// in one of A's activities.
async fn a_response_refused_for_good_is_marked_undelivered_and_the_helper_told(backend: Backend) -> Result<()> {
    let home = TestNode::start(backend).await?;
    let away = TestNode::start(backend).await?;
    let initiative = home.add_initiative("zorgvrijstaat", false).await?;
    let coordinator = home.add_admin("fatima", &initiative).await?;
    let helper = away.add_member("jan", None).await?;
    away.follow_and_wait(&helper, &initiative.ap_id).await?;
    let home_state = home.node.as_ref().context("running")?.state();
    let public = Audience { visibility: Some(buurtnet_domain::model::Visibility::Public), on_behalf_of: None };
    let need =
        ops::proposals::publish(&home_state.store, &home_state.urls, &coordinator, &initiative, &sample_need("Een lamp ophangen"), &public)
            .await?;
    let meal = buurtnet_domain::model::EventDraft {
        title: "Soep op zaterdag".into(),
        description: "Samen eten".into(),
        starts_at: chrono::Utc::now() + chrono::Duration::days(7),
        ends_at: None,
        timezone: buurtnet_domain::model::DEFAULT_TIMEZONE.into(),
        place: None,
        online_url: Some("https://meet.example/soep".into()),
        capacity: None,
        join_mode: buurtnet_domain::model::JoinMode::Free,
    };
    let public_visibility = buurtnet_domain::model::Visibility::Public;
    let event = ops::events::publish(&home_state.store, &home_state.urls, &coordinator, &initiative, &meal, public_visibility).await?;
    home_state.wake_delivery();
    eventually("the need arrives", || async { away.post(&need.ap_id).await }).await?;
    away.until_event(&event.ap_id).await?;

    let away_host = away.base_url().trim_start_matches("http://").to_string();
    let own = home.base_url().trim_start_matches("http://").to_string();
    ops::moderation::block_domain(&home_state.store, &coordinator, &away_host, "test", &own).await?;
    let away_state = away.node.as_ref().context("running")?.state();
    let response = ops::responses::respond(&away_state.store, &away_state.urls, &helper, &need.ap_id, "Ik kom!").await?;
    away_state.wake_delivery();
    eventually("the response is marked undelivered", || async {
        let now = store::responses::by_id(&mut away.store().conn().await?, response.id).await?;
        Ok((now.state == ResponseState::Undelivered).then_some(()))
    })
    .await?;
    let told = store::notifications::for_recipient(&mut away.store().conn().await?, helper.id, 20).await?;
    assert_eq!(told.iter().filter(|n| n.kind == ops::responses::KIND_RESPONSE_UNDELIVERED).count(), 1);
    assert!(store::responses::for_proposal(&mut home.store().conn().await?, need.id).await?.is_empty(), "the refusing node kept nothing");
    // Asking to take part is not left in silence either.
    ops::rsvp::join(&away_state.store, &away_state.urls, &helper, &event.ap_id).await?;
    away_state.wake_delivery();
    eventually("the member hears that her request did not arrive", || async {
        let told = store::notifications::for_recipient(&mut away.store().conn().await?, helper.id, 20).await?;
        Ok(told.iter().any(|n| n.kind == ops::responses::KIND_JOIN_UNDELIVERED).then_some(()))
    })
    .await?;
    Ok(())
}

/// The same loop as people do it: a volunteer on B responds on the need's page; the
/// coordinator on A accepts it, changes the need, and marks it helped with "1,5" hours and a
/// thank-you on its page; the volunteer's page on B says her help is welcome and then shows
/// the thanks, which another member there does not see. Withdrawing needs the tick; an app
/// withdraws and fulfils through the API; someone else's token changes nothing.
async fn the_loop_closes_on_the_pages_and_through_the_api(backend: Backend) -> Result<()> {
    use buurtnet_tests::harness::PASSWORD;
    use buurtnet_tests::pages::PageVisitor;
    use reqwest::StatusCode;
    let home = TestNode::start(backend).await?;
    let away = TestNode::start(backend).await?;
    let initiative = home.add_initiative("zorgvrijstaat", false).await?;
    let coordinator = home.add_member("fatima", Some(&initiative)).await?;
    let jan = away.add_member("jan", None).await?;
    away.add_member("piet", None).await?;
    away.follow_and_wait(&jan, &initiative.ap_id).await?;
    let home_state = home.node.as_ref().context("running")?.state();
    let public = Audience { visibility: Some(buurtnet_domain::model::Visibility::Public), on_behalf_of: None };
    let publish = async |title: &str| {
        let post =
            ops::proposals::publish(&home_state.store, &home_state.urls, &coordinator, &initiative, &sample_need(title), &public).await?;
        home_state.wake_delivery();
        let copy = eventually("the need arrives", || async { away.post(&post.ap_id).await }).await?;
        anyhow::Ok((post, copy))
    };
    let (need, copy) = publish("Een lamp ophangen").await?;

    let mut volunteer = PageVisitor::new(&away.base_url())?;
    volunteer.log_in("jan", PASSWORD).await?;
    let page = format!("/bericht/{}", copy.id);
    let sent = volunteer.submit(&page, &format!("{page}/reageren"), &[("message", "Ik heb een trapje!")]).await?;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let response = eventually("the response reaches the coordinator", || async {
        Ok(store::responses::for_proposal(&mut home.store().conn().await?, need.id).await?.into_iter().next())
    })
    .await?;

    let mut fatima = PageVisitor::new(&home.base_url())?;
    fatima.log_in("fatima", PASSWORD).await?;
    let own = format!("/bericht/{}", need.id);
    let before = fatima.get(&own).await?.body;
    assert!(before.contains("Ik heb een trapje!") && before.contains("value=\"accept\""), "the decision is offered");
    let accepted = fatima.submit(&own, &format!("{own}/reacties/{}", response.id), &[("decision", "accept")]).await?;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let after = fatima.get(&own).await?.body;
    assert!(after.contains("er wordt al geholpen") && !after.contains("value=\"accept\""), "no second yes is offered");

    page_until(&mut volunteer, &page, "the volunteer's page says her help is welcome", |body| {
        body.contains("Je hulp is welkom") && body.contains("er wordt al geholpen")
    })
    .await?;
    let mut neighbour = PageVisitor::new(&away.base_url())?;
    neighbour.log_in("piet", PASSWORD).await?;
    let seen = neighbour.get(&page).await?.body;
    assert!(seen.contains("er wordt al geholpen") && !seen.contains("/reageren"), "nobody else is invited to respond");

    let not_sure = fatima.submit(&own, &format!("{own}/intrekken"), &[]).await?;
    assert_eq!(not_sure.status, StatusCode::UNPROCESSABLE_ENTITY, "withdrawing needs the tick");
    assert_eq!(
        store::proposals::by_post_id(&mut home.store().conn().await?, need.id).await?.context("need")?.state,
        ProposalState::InProgress
    );

    let change_page = fatima.get(&format!("{own}/aanpassen")).await?;
    assert!(change_page.body.contains("value=\"Een lamp ophangen\""), "the form holds what it says now");
    let changed = fatima
        .submit(
            &format!("{own}/aanpassen"),
            &format!("{own}/aanpassen"),
            &[
                ("title", "Twee lampen ophangen"),
                ("description", "In de gang en de keuken."),
                ("category", "klussen"),
                ("when", "flexible"),
            ],
        )
        .await?;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    let unreadable = fatima.submit(&own, &format!("{own}/geholpen"), &[("hours", "twee"), ("thanks", "")]).await?;
    assert_eq!(unreadable.status, StatusCode::UNPROCESSABLE_ENTITY);
    let helped = fatima.submit(&own, &format!("{own}/geholpen"), &[("hours", "1,5"), ("thanks", "Top, Jan!")]).await?;
    assert_eq!(helped.status, StatusCode::SEE_OTHER);
    assert!(fatima.get(&own).await?.body.contains("geholpen, 1,5 uur"));

    page_until(&mut volunteer, &page, "the helper sees the change and the thanks", |body| {
        body.contains("Twee lampen ophangen") && body.contains("Top, Jan!")
    })
    .await?;
    assert!(!neighbour.get(&page).await?.body.contains("Top, Jan!"), "the thanks are for the helper");

    // An app withdraws one need and fulfils another; someone else's token changes nothing.
    let (second, _) = publish("Gezelschap op zondag").await?;
    let (third, _) = publish("Hulp met de computer").await?;
    let client = reqwest::Client::new();
    let base = home.base_url();
    let outsider = home.add_member("buur", None).await?;
    let stranger = buurtnet_tests::app::bearer(&base, &outsider.username, "read write").await?;
    let refused =
        client.post(format!("{base}/api/v1/buurtnet/proposals/{}/withdraw", second.id)).header("authorization", &stranger).send().await?;
    assert!(refused.status().is_client_error(), "{}", refused.status());
    let token = buurtnet_tests::app::bearer(&base, "fatima", "read write").await?;
    let withdrawn: Value = client
        .post(format!("{base}/api/v1/buurtnet/proposals/{}/withdraw", second.id))
        .header("authorization", &token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    assert_eq!(withdrawn["buurtnet_proposal"]["state"], "withdrawn");
    assert!(withdrawn["content"].as_str().unwrap_or_default().contains("Ingetrokken."));
    let fulfilled: Value = client
        .post(format!("{base}/api/v1/buurtnet/proposals/{}/fulfil", third.id))
        .header("authorization", &token)
        .json(&serde_json::json!({"hours": 2, "thanks": "Dank!"}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    assert_eq!(
        (fulfilled["buurtnet_proposal"]["state"].as_str(), fulfilled["buurtnet_proposal"]["hours_given"].as_f64()),
        (Some("fulfilled"), Some(2.0))
    );
    let again = client.post(format!("{base}/api/v1/buurtnet/proposals/{}/fulfil", third.id)).header("authorization", &token).send().await?;
    assert_eq!(again.status(), StatusCode::GONE, "once helped, it stays helped");
    Ok(())
}

/// Reads `path` until its page satisfies `check` (what another node sends takes a moment).
async fn page_until(visitor: &mut buurtnet_tests::pages::PageVisitor, path: &str, what: &str, check: impl Fn(&str) -> bool) -> Result<()> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let body = visitor.get(path).await?.body;
        if check(&body) {
            return Ok(());
        }
        anyhow::ensure!(std::time::Instant::now() < deadline, "timed out waiting for: {what}\n{body}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// C is cut off from A and B while A's need for a resident is helped by B's volunteer (with
/// hours) and B's need gets A's volunteer. Once the cut heals, the three replicas count the
/// same figures and draw the same "who helps whom", counted from the facts that travel with
/// the needs; the initiative's own figures and the CSV say the same.
async fn the_figures_and_who_helps_whom_are_the_same_on_every_replica_after_a_partition(backend: Backend) -> Result<()> {
    use buurtnet_domain::ops::figures::{self, Period};
    let (a, b, c) = coalition_of_three(backend).await?;
    let coalition = ops::coalitions::replica(a.node.store(), "delfshaven").await?.context("the coalition")?;
    for (seat, others) in [(&a, [&c]), (&b, [&c]), (&c, [&a])] {
        seat.state()?.faults.cut_off(others.iter().map(|o| o.host()));
    }
    c.state()?.faults.cut_off([b.host()]);

    let a_state = a.state()?;
    let for_resident = Audience { visibility: None, on_behalf_of: Some("mevrouw Visser".into()) };
    let need_a = ops::proposals::publish(
        &a_state.store,
        &a_state.urls,
        &a.coordinator,
        &a.initiative,
        &sample_need("Boodschappen halen"),
        &for_resident,
    )
    .await?;
    a_state.wake_delivery();
    let need_b = b.post_need("Een kast in elkaar zetten").await?;
    let need_c = c.post_need("Iemand om mee te praten").await?;
    b.wait_for_state(&need_a.ap_id, ProposalState::Open, "A's need reaches B").await?;
    a.wait_for_state(&need_b.ap_id, ProposalState::Open, "B's need reaches A").await?;

    let from_jan = b.respond(&b.volunteer, &need_a.ap_id, "Ik ga wel.").await?;
    let from_els = a.respond(&a.volunteer, &need_b.ap_id, "Ik heb een schroevendraaier.").await?;
    let at_a = eventually("jan's response reaches A", || async {
        Ok(store::responses::by_ap_id(&mut a.node.store().conn().await?, &from_jan.ap_id).await?)
    })
    .await?;
    let at_b = eventually("els's response reaches B", || async {
        Ok(store::responses::by_ap_id(&mut b.node.store().conn().await?, &from_els.ap_id).await?)
    })
    .await?;
    ops::responses::decide(&a_state.store, &a_state.urls, &a.coordinator, at_a.id, true).await?;
    let b_state = b.state()?;
    ops::responses::decide(&b_state.store, &b_state.urls, &b.coordinator, at_b.id, true).await?;
    ops::responses::fulfil(&a_state.store, &a.coordinator, need_a.id, &Fulfilment { hours: Some(2.0), thanks: None }).await?;
    a_state.wake_delivery();
    b_state.wake_delivery();

    for seat in [&a, &b, &c] {
        seat.state()?.faults.heal();
        seat.state()?.wake_delivery();
    }
    let all_time = Period { from: 0, until: i64::MAX };
    let agreed = eventually("every replica counts the same", || async {
        let mut counted = Vec::new();
        for seat in [&a, &b, &c] {
            counted.push(figures::of_coalition(seat.node.store(), &coalition, all_time).await?);
        }
        let same = counted.windows(2).all(|w| w[0] == w[1]);
        Ok((same && counted[0].needs_asked_total() == 3 && counted[0].needs_helped_total() == 1 && counted[0].flows.len() == 2)
            .then(|| counted.remove(0)))
    })
    .await?;
    assert_eq!((agreed.residents_helped, agreed.hours_given, agreed.times_helped), (1, 2.0, 1));
    let flow = |from: &Actor, to: &Actor| buurtnet_domain::ops::figures::Flow { from: from.ap_id.clone(), to: to.ap_id.clone(), times: 1 };
    let mut expected = vec![flow(&a.initiative, &b.initiative), flow(&b.initiative, &a.initiative)];
    expected.sort_by(|x, y| (&x.from, &x.to).cmp(&(&y.from, &y.to)));
    assert_eq!(agreed.flows, expected, "who helps whom, help to a resident included");
    assert!(c.copy(&need_c.ap_id).await?.is_some() || a.copy(&need_c.ap_id).await?.is_some(), "C's need travels once healed");

    let own = figures::of_initiative(a.node.store(), &a.initiative, all_time).await?;
    assert_eq!((own.needs_asked_total(), own.needs_helped_total(), own.residents_helped, own.volunteers), (1, 1, 1, Some(1)));
    let csv = reqwest::get(format!("{}/initiatives/zorgvrijstaat/cijfers.csv?van=2000-01-01&tot=2100-01-01", a.node.base_url())).await?;
    assert!(csv.headers()["content-type"].to_str()?.starts_with("text/csv"));
    let text = csv.text().await?;
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    assert!(rows.iter().all(|r| r.len() == 4), "every row has its four fields: {text}");
    assert!(rows.iter().any(|r| r[0] == "hours_given" && r[3] == "2"), "{text}");
    let page =
        reqwest::get(format!("{}/coalitie/delfshaven/cijfers?van=2000-01-01&tot=2100-01-01", c.node.base_url())).await?.text().await?;
    assert!(page.contains("Uren hulp gegeven") && page.contains("hielp"), "the figures page on C says it too");
    Ok(())
}

/// A's need about money worries and B's offer of help with forms (neighbouring categories,
/// on two nodes of the coalition) are suggested to the coordinators behind each, on their
/// desks and in their notifications; C's coordinator, behind neither, hears nothing.
async fn a_need_and_an_offer_in_neighbouring_categories_meet_across_the_coalition(backend: Backend) -> Result<()> {
    use buurtnet_domain::model::{ProposalDraft, Purpose};
    let (a, b, c) = coalition_of_three(backend).await?;
    let a_state = a.state()?;
    let need = ProposalDraft { title: "Hulp bij geldzaken en post".into(), category: "geldzorg".into(), ..sample_need("geld") };
    let need = ops::proposals::publish(&a_state.store, &a_state.urls, &a.coordinator, &a.initiative, &need, &Audience::default()).await?;
    a_state.wake_delivery();
    b.wait_for_state(&need.ap_id, ProposalState::Open, "A's need reaches B").await?;
    let b_state = b.state()?;
    let offer = ProposalDraft {
        purpose: Purpose::Offer,
        title: "Wij helpen met post en formulieren".into(),
        category: "administratie".into(),
        ..sample_need("formulieren")
    };
    let offer = ops::proposals::publish(&b_state.store, &b_state.urls, &b.coordinator, &b.initiative, &offer, &Audience::default()).await?;
    b_state.wake_delivery();
    let matches = |seat: &Seat, who: &Actor| {
        let (store, id) = (seat.node.store().clone(), who.id);
        async move {
            let all = store::notifications::for_recipient(&mut store.conn().await?, id, 50).await?;
            anyhow::Ok(all.into_iter().filter(|n| n.kind == ops::matching::KIND_MATCH).count())
        }
    };
    eventually("B's coordinator hears of A's need", || async { Ok((matches(&b, &b.coordinator).await? > 0).then_some(())) }).await?;
    eventually("A's coordinator hears of B's offer", || async { Ok((matches(&a, &a.coordinator).await? > 0).then_some(())) }).await?;
    let desk = ops::desk::of(&a_state.store, &a.coordinator, buurtnet_domain::now_ms()).await?;
    assert!(desk.suggestions.iter().any(|s| s.about.id == need.id), "on A's desk");
    c.wait_for_state(&offer.ap_id, ProposalState::Open, "B's offer reaches C").await?;
    assert_eq!(matches(&c, &c.coordinator).await?, 0, "C's coordinator, behind neither, hears nothing");
    Ok(())
}
