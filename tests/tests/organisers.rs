//! Issue 16, items 1 and 3, on the pages: an event's organisers edit, move and cancel it,
//! close and reopen registration, choose the questions asked of those who join, add a guest
//! by name and see everyone taking part; neighbours without an account sign up on a public
//! event's page (capacity, approval and closing apply as for members), cancel with their
//! link, are limited per address, and their contact details stay with the organisers. An
//! organiser takes a member here, a member elsewhere or a guest off the list; the places
//! are free on both nodes, and nobody else can.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::{Actor, DEFAULT_TIMEZONE, EventDraft, JoinMode, Place, Visibility};
use buurtnet_domain::ops::{events, rsvp};
use buurtnet_domain::store;
use buurtnet_tests::harness::{Backend, PASSWORD, TestNode, eventually};
use buurtnet_tests::on_both_backends;
use buurtnet_tests::pages::{Answer, PageVisitor};
use chrono::NaiveDateTime;
use reqwest::StatusCode;

on_both_backends!(
    the_organiser_moves_then_cancels_on_the_page_and_the_other_node_follows,
    an_organiser_takes_people_off_the_list_and_every_node_counts_the_free_places
);

fn local(t: &str) -> chrono::DateTime<chrono::Utc> {
    EventDraft::local_to_utc(NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").unwrap(), DEFAULT_TIMEZONE).unwrap()
}

fn meal(capacity: Option<i64>, join_mode: JoinMode) -> EventDraft {
    EventDraft {
        title: "Samen eten in het buurthuis".into(),
        description: "Iedereen is welkom.".into(),
        starts_at: local("2030-12-03 17:30"),
        ends_at: Some(local("2030-12-03 20:00")),
        timezone: DEFAULT_TIMEZONE.into(),
        place: Some(Place { name: "Buurthuis De Ark".into(), address: Some("Gaffelstraat 1".into()), ..Place::default() }),
        online_url: None,
        capacity,
        join_mode,
    }
}

/// The event's fields as the organiser's form sends them, with `changes` over them.
fn event_form<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("title", "Samen eten in het buurthuis"),
        ("description", "Iedereen is welkom."),
        ("date", "2030-12-03"),
        ("start", "17:30"),
        ("end", "20:00"),
        ("place", "Buurthuis De Ark"),
        ("address", "Gaffelstraat 1"),
        ("capacity", "30"),
        ("join_mode", "free"),
    ];
    for (key, value) in changes {
        form.retain(|(k, _)| k != key);
        form.push((key, value));
    }
    form
}

struct Setting {
    node: TestNode,
    coordinator: Actor,
    initiative: Actor,
}

async fn setting(backend: Backend) -> Result<Setting> {
    let node = TestNode::start(backend).await?;
    let initiative = node.add_initiative("buurtkeuken", false).await?;
    let coordinator = node.add_member("fatima", Some(&initiative)).await?;
    Ok(Setting { node, coordinator, initiative })
}

impl Setting {
    async fn event(&self, draft: &EventDraft, visibility: Visibility) -> Result<i64> {
        let state = self.node.node.as_ref().context("running")?.state();
        let post = events::publish(&state.store, &state.urls, &self.coordinator, &self.initiative, draft, visibility).await?;
        state.wake_delivery();
        Ok(post.id)
    }

    async fn visitor(&self, username: Option<&str>) -> Result<PageVisitor> {
        let mut visitor = PageVisitor::new(&self.node.base_url())?;
        if let Some(username) = username {
            visitor.log_in(username, PASSWORD).await?;
        }
        Ok(visitor)
    }

    async fn count(&self, id: i64) -> Result<i64> {
        Ok(store::events::by_post_id(&mut self.node.store().conn().await?, id).await?.context("event")?.participant_count)
    }

    async fn guests(&self, id: i64) -> Result<usize> {
        Ok(store::guests::for_event(&mut self.node.store().conn().await?, id).await?.len())
    }
}

async fn notifications(node: &TestNode, member: &Actor, kind: &str) -> Result<usize> {
    let all = store::notifications::for_recipient(&mut node.store().conn().await?, member.id, 100).await?;
    Ok(all.iter().filter(|n| n.kind == kind).count())
}

/// A guest's sign-up on the event's page.
async fn sign_up(visitor: &mut PageVisitor, id: i64, fields: &[(&str, &str)]) -> Result<Answer> {
    let page = format!("/bericht/{id}");
    visitor.submit(&page, &format!("/bericht/{id}/aanmelden-als-gast"), fields).await
}

/// Kees, on the other node, follows the initiative and asks to join its public meal (30
/// places): he, the meal's id here and its ActivityPub id.
async fn kees_joins_from_away(home: &Setting, away: &TestNode) -> Result<(Actor, i64, String)> {
    let kees = away.add_member("kees", None).await?;
    away.follow_and_wait(&kees, &home.initiative.ap_id).await?;
    let id = home.event(&meal(Some(30), JoinMode::Free), Visibility::Public).await?;
    let ap_id = store::posts::by_id(&mut home.node.store().conn().await?, id).await?.ap_id;
    away.until_event(&ap_id).await?;
    let state = away.node.as_ref().context("running")?.state();
    rsvp::join(&state.store, &state.urls, &kees, &ap_id).await?;
    state.wake_delivery();
    Ok((kees, id, ap_id))
}

async fn the_organiser_moves_then_cancels_on_the_page_and_the_other_node_follows(backend: Backend) -> Result<()> {
    let home = setting(backend).await?;
    let away = TestNode::start(backend).await?;
    let (kees, id, ap_id) = kees_joins_from_away(&home, &away).await?;
    eventually("kees is in", || async { Ok((home.count(id).await? == 1).then_some(())) }).await?;

    let mut fatima = home.visitor(Some("fatima")).await?;
    let organise = format!("/bericht/{id}/organiseren");
    let page = fatima.get(&organise).await?;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("KEES"), "the organiser sees who takes part, also from elsewhere: {}", page.body);
    let moved = fatima.submit(&organise, &organise, &event_form(&[("date", "2030-12-10")])).await?;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let copy_of = || async {
        let copy = away.post(&ap_id).await?.context("copy")?;
        store::events::by_post_id(&mut away.store().conn().await?, copy.id).await?.context("event")
    };
    eventually("the move arrives", || async { Ok((notifications(&away, &kees, events::KIND_EVENT_MOVED).await? == 1).then_some(())) })
        .await?;
    assert_eq!(copy_of().await?.starts_at, local("2030-12-10 17:30").timestamp_millis(), "the other node shows the new time");

    let unsure = fatima.submit(&organise, &format!("/bericht/{id}/afgelasten"), &[]).await?;
    assert_eq!(unsure.status, StatusCode::UNPROCESSABLE_ENTITY, "cancelling asks to be sure");
    let cancelled = fatima.submit(&organise, &format!("/bericht/{id}/afgelasten"), &[("sure", "ja")]).await?;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER, "{}", cancelled.body);
    eventually("the cancellation arrives", || async {
        Ok((notifications(&away, &kees, events::KIND_EVENT_CANCELLED).await? == 1).then_some(()))
    })
    .await?;
    assert!(copy_of().await?.is_cancelled());
    let mut kees_pages = PageVisitor::new(&away.base_url())?;
    kees_pages.log_in("kees", PASSWORD).await?;
    let copy_id = away.post(&ap_id).await?.context("copy")?.id;
    assert!(kees_pages.get(&format!("/bericht/{copy_id}")).await?.body.contains("Afgelast"));
    Ok(())
}

async fn an_organiser_takes_people_off_the_list_and_every_node_counts_the_free_places(backend: Backend) -> Result<()> {
    let home = setting(backend).await?;
    let away = TestNode::start(backend).await?;
    let (kees, id, ap_id) = kees_joins_from_away(&home, &away).await?;
    let ans = home.node.add_member("ans", None).await?;
    home.node.add_member("piet", None).await?;
    {
        let state = home.node.node.as_ref().context("running")?.state();
        rsvp::join(&state.store, &state.urls, &ans, &ap_id).await?;
    }
    let mut guest = home.visitor(None).await?;
    assert_eq!(sign_up(&mut guest, id, &[("name", "Henk"), ("phone", "06 12345678")]).await?.status, StatusCode::OK);
    let away_count = || async {
        let copy = away.post(&ap_id).await?.context("copy")?;
        Ok::<_, anyhow::Error>(
            store::events::by_post_id(&mut away.store().conn().await?, copy.id).await?.context("event")?.participant_count,
        )
    };
    eventually("both nodes count three", || async { Ok((home.count(id).await? == 3 && away_count().await? == 3).then_some(())) }).await?;

    let mut conn = home.node.store().conn().await?;
    let kees_here = store::actors::by_ap_id(&mut conn, &kees.ap_id).await?.context("kees here")?;
    let participations = store::participants::for_event(&mut conn, id).await?;
    let on_list = |actor: i64| participations.iter().find(|p| p.participant_id == actor).map(|p| p.id).context("on the list");
    let (kees_on_list, ans_on_list) = (format!("lid-{}", on_list(kees_here.id)?), format!("lid-{}", on_list(ans.id)?));
    let henk_on_list = format!("gast-{}", store::guests::for_event(&mut conn, id).await?[0].id);
    drop(conn);

    let (event_page, remove, organise) =
        (format!("/bericht/{id}"), format!("/bericht/{id}/organiseren/afmelden"), format!("/bericht/{id}/organiseren"));
    let mut piet = home.visitor(Some("piet")).await?;
    let refused = piet.submit(&event_page, &remove, &[("who", &ans_on_list), ("sure", "ja")]).await?;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "only organisers");
    let mut fatima = home.visitor(Some("fatima")).await?;
    assert!(fatima.get(&organise).await?.body.contains(&format!("value=\"{kees_on_list}\"")), "a button for each");
    let unsure = fatima.submit(&organise, &remove, &[("who", &kees_on_list)]).await?;
    assert_eq!(unsure.status, StatusCode::UNPROCESSABLE_ENTITY, "asks to be sure");
    assert_eq!(home.count(id).await?, 3, "nothing changed yet");

    for who in [&kees_on_list, &ans_on_list, &henk_on_list] {
        let done = fatima.submit(&organise, &remove, &[("who", who), ("sure", "ja")]).await?;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{who}: {}", done.body);
    }
    assert_eq!(home.count(id).await?, 0, "three places free");
    eventually("the other node counts none", || async { Ok((away_count().await? == 0).then_some(())) }).await?;
    eventually("kees hears", || async { Ok((notifications(&away, &kees, rsvp::KIND_RSVP_REJECTED).await? == 1).then_some(())) }).await?;
    assert_eq!(notifications(&home.node, &ans, rsvp::KIND_RSVP_REMOVED).await?, 1, "ans hears");
    assert!(!fatima.get(&organise).await?.body.contains(&format!("value=\"{henk_on_list}\"")), "Henk is off the list");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_organisers_organise_and_they_see_everyone_with_the_answers() -> Result<()> {
    let home = setting(Backend::Sqlite).await?;
    home.node.add_member("ans", None).await?;
    home.node.add_member("piet", None).await?;
    let id = home.event(&meal(Some(30), JoinMode::Free), Visibility::Public).await?;
    let organise = format!("/bericht/{id}/organiseren");
    let mut fatima = home.visitor(Some("fatima")).await?;

    // The organiser chooses the questions; ans answers them when she joins on the page.
    let asking = fatima.submit(&organise, &organise, &event_form(&[("asks_lift", "ja"), ("asks_diet", "ja")])).await?;
    assert_eq!(asking.status, StatusCode::SEE_OTHER, "{}", asking.body);
    let mut ans = home.visitor(Some("ans")).await?;
    let event_page = format!("/bericht/{id}");
    assert!(ans.get(&event_page).await?.body.contains("name=\"diet\""), "the questions are on the join form");
    let joined = ans.submit(&event_page, &format!("/bericht/{id}/deelnemen"), &[("lift", "ja"), ("diet", "vegetarisch")]).await?;
    assert_eq!(joined.status, StatusCode::SEE_OTHER);

    // Someone who is not an organiser is refused everything, and nothing changes.
    let mut piet = home.visitor(Some("piet")).await?;
    assert_eq!(piet.get(&organise).await?.status, StatusCode::FORBIDDEN);
    let before = store::events::by_post_id(&mut home.node.store().conn().await?, id).await?.context("event")?;
    for (action, fields) in [
        (organise.clone(), event_form(&[("title", "Overgenomen door piet")])),
        (format!("/bericht/{id}/afgelasten"), vec![("sure", "ja")]),
        (format!("/bericht/{id}/inschrijving"), vec![("open", "nee")]),
        (format!("/bericht/{id}/gasten"), vec![("name", "Iemand van piet")]),
    ] {
        let answer = piet.submit(&event_page, &action, &fields).await?;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{action}");
    }
    let after = store::events::by_post_id(&mut home.node.store().conn().await?, id).await?.context("event")?;
    assert_eq!((after.title, after.state, after.registration_closed), (before.title, before.state, before.registration_closed));
    assert_eq!(home.guests(id).await?, 0);

    // The organiser adds mevrouw Jansen, who rang, and sees everyone with the answers.
    let added =
        fatima.submit(&organise, &format!("/bericht/{id}/gasten"), &[("name", "mevrouw Jansen, via de telefoon"), ("lift", "ja")]).await?;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let empty = fatima.submit(&organise, &format!("/bericht/{id}/gasten"), &[("name", " ")]).await?;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(home.count(id).await?, 2, "the guest counts");
    let list = fatima.get(&organise).await?.body;
    for shown in ["ANS", "vegetarisch", "mevrouw Jansen, via de telefoon"] {
        assert!(list.contains(shown), "{shown} in {list}");
    }

    // Closed: nobody new comes in, here or as a guest; reopened, they do.
    let closed = fatima.submit(&organise, &format!("/bericht/{id}/inschrijving"), &[("open", "nee")]).await?;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    let refused = piet.submit(&event_page, &format!("/bericht/{id}/deelnemen"), &[]).await?;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let mut guest = home.visitor(None).await?;
    assert!(!guest.get(&event_page).await?.body.contains("aanmelden-als-gast"), "no form while closed");
    let sent_anyway = [("name", "Henk"), ("phone", "06 12345678")];
    let refused = guest.submit("/inloggen", &format!("/bericht/{id}/aanmelden-als-gast"), &sent_anyway).await?;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    fatima.submit(&organise, &format!("/bericht/{id}/inschrijving"), &[("open", "ja")]).await?;
    assert_eq!(piet.submit(&event_page, &format!("/bericht/{id}/deelnemen"), &[]).await?.status, StatusCode::SEE_OTHER);
    assert_eq!(home.count(id).await?, 3);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guest_signs_up_without_an_account_within_the_rules() -> Result<()> {
    let home = setting(Backend::Sqlite).await?;
    let id = home.event(&meal(Some(2), JoinMode::Free), Visibility::Public).await?;
    let mut guest = home.visitor(None).await?;

    // What is wrong is said by the field, and nothing is kept.
    for (fields, field) in [
        (vec![("phone", "06 12345678")], "name-error"),
        (vec![("name", "Henk")], "contact-error"),
        (vec![("name", "Henk"), ("phone", "bel me maar")], "phone-error"),
        (vec![("name", "Henk"), ("email", "henk-at-thuis")], "email-error"),
    ] {
        let answer = sign_up(&mut guest, id, &fields).await?;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert!(answer.body.contains(&format!("id=\"{field}\"")), "{field}: {}", answer.body);
    }
    assert_eq!(home.guests(id).await?, 0);

    // Two places: Henk and Ria come in, a third is told it is full.
    let henk = sign_up(&mut guest, id, &[("name", "Henk"), ("phone", "06 12345678")]).await?;
    assert_eq!(henk.status, StatusCode::OK, "{}", henk.body);
    let link =
        henk.body.split("/activiteit-afmelden/").nth(1).and_then(|rest| rest.split('"').next()).context("a cancel link")?.to_string();
    let mut other = home.visitor(None).await?;
    assert_eq!(sign_up(&mut other, id, &[("name", "Ria"), ("email", "ria@example.org")]).await?.status, StatusCode::OK);
    assert_eq!(home.count(id).await?, 2);
    let full = sign_up(&mut other, id, &[("name", "Wim"), ("phone", "010-4123456")]).await?;
    assert_eq!(full.status, StatusCode::CONFLICT);
    assert!(full.body.contains("vol"), "{}", full.body);
    assert_eq!(home.guests(id).await?, 2);

    // A wrong token changes nothing; Henk's link frees his place.
    let mut stranger = home.visitor(None).await?;
    let wrong = stranger.submit("/inloggen", "/activiteit-afmelden/niet-het-goede", &[]).await?;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert_eq!(home.count(id).await?, 2);
    let page = format!("/activiteit-afmelden/{link}");
    assert!(guest.get(&page).await?.body.contains("Samen eten in het buurthuis"));
    let cancelled = guest.submit(&page, &page, &[]).await?;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
    assert_eq!(home.count(id).await?, 1);
    assert_eq!(sign_up(&mut other, id, &[("name", "Wim"), ("phone", "010-4123456")]).await?.status, StatusCode::OK);

    // A robot that fills the hidden field is thanked, and nothing is kept.
    let robot = sign_up(&mut other, id, &[("name", "Robot"), ("phone", "06 12345670"), ("website", "https://spam.example")]).await?;
    assert_eq!(robot.status, StatusCode::OK);
    assert_eq!(home.guests(id).await?, 3, "Henk (cancelled), Ria and Wim");

    // Approval mode: the guest waits until an organiser lets her in.
    let asked = home.event(&meal(None, JoinMode::Approval), Visibility::Public).await?;
    let mut truus = home.visitor(None).await?;
    let waiting = sign_up(&mut truus, asked, &[("name", "Truus"), ("phone", "0612345679")]).await?;
    assert_eq!(waiting.status, StatusCode::OK);
    assert_eq!(home.count(asked).await?, 0, "nobody is in before the organiser says so");
    let guest_id = store::guests::for_event(&mut home.node.store().conn().await?, asked).await?[0].id;
    let mut fatima = home.visitor(Some("fatima")).await?;
    let organise = format!("/bericht/{asked}/organiseren");
    let list = fatima.get(&organise).await?.body;
    assert!(list.contains("Truus") && list.contains("0612345679"), "the organiser sees how to reach her: {list}");
    let decided = fatima.submit(&organise, &format!("/bericht/{asked}/gasten/{guest_id}"), &[("decision", "accept")]).await?;
    assert_eq!(decided.status, StatusCode::SEE_OTHER);
    assert_eq!(home.count(asked).await?, 1);

    // The contact details are nowhere else: not for other visitors, peers, calendars or apps.
    let ap_id = store::posts::by_id(&mut home.node.store().conn().await?, id).await?.ap_id;
    let document = reqwest::Client::new().get(&ap_id).header("accept", "application/activity+json").send().await?.text().await?;
    let calendar = other.get(&format!("/bericht/{id}/agenda.ics")).await?.body;
    let public_page = other.get(&format!("/bericht/{id}")).await?.body;
    let api = reqwest::get(format!("{}/api/v1/timelines/public?local=true", home.node.base_url())).await?.text().await?;
    assert!(api.contains("Samen eten"), "the API shows the event: {api}");
    for (what, text) in [("ActivityPub", &document), ("iCal", &calendar), ("page", &public_page), ("API", &api)] {
        for secret in ["ria@example.org", "010-4123456", "Ria"] {
            assert!(!text.contains(secret), "{secret} in the {what}: {text}");
        }
    }
    Ok(())
}

/// The id in a redirect to `/bericht/{id}?gedaan=geplaatst`.
fn posted_id(location: Option<&str>) -> Result<i64> {
    let rest = location.and_then(|l| l.strip_prefix("/bericht/")).context("a redirect to the post")?;
    Ok(rest.split('?').next().context("id")?.parse()?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_meal_tick_makes_an_event_a_meal_and_unticking_takes_it_back() -> Result<()> {
    let home = setting(Backend::Sqlite).await?;
    let mut fatima = home.visitor(Some("fatima")).await?;
    let new = fatima.get("/nieuw/activiteit").await?;
    assert!(new.body.contains("name=\"meal\""), "the tick is on the form: {}", new.body);
    let mut form = event_form(&[("meal", "ja"), ("author", "self"), ("visibility", "public")]);
    form.push(("action", "publish"));
    let created = fatima.submit("/nieuw/activiteit", "/nieuw/activiteit", &form).await?;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id = posted_id(created.location.as_deref())?;
    let tags = || async { store::posts::tags(&mut home.node.store().conn().await?, id).await };
    assert!(tags().await?.contains(&"sameneten".to_string()), "{:?}", tags().await?);

    let organise = format!("/bericht/{id}/organiseren");
    let page = fatima.get(&organise).await?.body;
    assert!(page.contains("name=\"meal\" value=\"ja\" checked"), "ticked for a meal: {page}");
    let unticked = fatima.submit(&organise, &organise, &event_form(&[])).await?;
    assert_eq!(unticked.status, StatusCode::SEE_OTHER, "{}", unticked.body);
    let event = store::events::by_post_id(&mut home.node.store().conn().await?, id).await?.context("event")?;
    assert!(!event.description.contains("#samenEten"), "{}", event.description);
    assert!(!tags().await?.contains(&"sameneten".to_string()), "no longer a meal");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guest_sign_ups_are_limited_per_address() -> Result<()> {
    let home = setting(Backend::Sqlite).await?;
    let id = home.event(&meal(None, JoinMode::Free), Visibility::Public).await?;
    let mut guest = home.visitor(None).await?;
    for n in 0..buurtnet_web::limits::GUESTS_PER_HOUR {
        let name = format!("Buur {n}");
        assert_eq!(sign_up(&mut guest, id, &[("name", &name), ("phone", "06 12345678")]).await?.status, StatusCode::OK);
    }
    let refused = sign_up(&mut guest, id, &[("name", "Nog een buur"), ("phone", "06 12345678")]).await?;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(home.guests(id).await?, buurtnet_web::limits::GUESTS_PER_HOUR as usize, "nothing more is stored");
    Ok(())
}
