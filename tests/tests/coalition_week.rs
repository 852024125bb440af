//! A coalition's week and its page for people (issue 16, items 4 and 5) over HTTP, on
//! SQLite and PostgreSQL. Three member initiatives on three nodes post events (a meal, a
//! coalition-only one, one next week, one next month) and an initiative outside the
//! coalition posts one too: every member node shows the members' week by day, the meals
//! alone, the next week behind its link, nothing of the outsider, and coalition-only events
//! only to members. The agreements page answers coordinators only; the coalition's page
//! carries no forms of theirs, names the other places by initiative and shows a resident's
//! own need.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::{Actor, DEFAULT_TIMEZONE, EventDraft, JoinMode, Place, Visibility};
use buurtnet_domain::ops;
use buurtnet_tests::harness::{Backend, TestNode, eventually, form_coalition, sample_need};
use buurtnet_tests::on_both_backends;
use buurtnet_tests::pages::PageVisitor;
use chrono::{Datelike, Days, NaiveDate};
use reqwest::StatusCode;

on_both_backends!(every_member_node_shows_the_members_week, the_agreements_are_for_coordinators_and_the_page_for_people);

const PASSWORD: &str = "geheim-wachtwoord";

/// Today in Amsterdam, as the pages count days.
fn today() -> NaiveDate {
    ops::coalition_week::today()
}

/// "maandag 14 december", written out here independently of the page's code.
fn dutch_day(date: NaiveDate) -> String {
    const DAYS: [&str; 7] = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];
    const MONTHS: [&str; 12] =
        ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];
    format!("{} {} {}", DAYS[date.weekday().num_days_from_monday() as usize], date.day(), MONTHS[date.month0() as usize])
}

/// An event `days` from today at `time` (Amsterdam), two hours long.
fn event(title: &str, description: &str, days: u64, time: &str) -> Result<EventDraft> {
    let day = today().checked_add_days(Days::new(days)).context("a day")?;
    let local = chrono::NaiveDateTime::parse_from_str(&format!("{day} {time}"), "%Y-%m-%d %H:%M")?;
    let starts_at = EventDraft::local_to_utc(local, DEFAULT_TIMEZONE)?;
    Ok(EventDraft {
        title: title.into(),
        description: description.into(),
        starts_at,
        ends_at: Some(starts_at + chrono::Duration::hours(2)),
        timezone: DEFAULT_TIMEZONE.into(),
        place: Some(Place { name: "Buurthuis De Pijler".into(), address: Some("Grote Visserijstraat 1".into()), ..Place::default() }),
        online_url: None,
        capacity: None,
        join_mode: JoinMode::Free,
    })
}

async fn post_event(node: &TestNode, coordinator: &Actor, initiative: &Actor, draft: EventDraft, visibility: Visibility) -> Result<()> {
    let state = node.node.as_ref().context("running")?.state();
    ops::events::publish(&state.store, &state.urls, coordinator, initiative, &draft, visibility).await?;
    Ok(())
}

async fn logged_in(node: &TestNode, username: &str) -> Result<PageVisitor> {
    let mut visitor = PageVisitor::new(&node.base_url())?;
    visitor.log_in(username, PASSWORD).await?;
    Ok(visitor)
}

async fn every_member_node_shows_the_members_week(backend: Backend) -> Result<()> {
    let (a, b, c) = (TestNode::start(backend).await?, TestNode::start(backend).await?, TestNode::start(backend).await?);
    let zorg = a.add_initiative("zorg", false).await?;
    let fatima = a.add_member("fatima", Some(&zorg)).await?;
    let anders = a.add_initiative("anders", false).await?;
    let ans = a.add_member("ans", Some(&anders)).await?;
    let paleis = b.add_initiative("paleis", false).await?;
    let kees = b.add_member("kees", Some(&paleis)).await?;
    let buren = c.add_initiative("buren", false).await?;
    let els = c.add_member("els", Some(&buren)).await?;
    form_coalition((&a, &zorg, &fatima), &[(&b, &paleis, &kees), (&c, &buren, &els)]).await?;

    post_event(&a, &fatima, &zorg, event("Soep in De Pijler", "Iedereen welkom. #samenEten", 1, "17:30")?, Visibility::Public).await?;
    post_event(&b, &kees, &paleis, event("Overleg vrijwilligers", "Voor de leden.", 2, "10:00")?, Visibility::Coalition).await?;
    post_event(&c, &els, &buren, event("Koffieochtend", "Koffie en een praatje.", 2, "09:30")?, Visibility::Public).await?;
    post_event(&c, &els, &buren, event("Wandeling door de wijk", "We lopen samen.", 8, "14:00")?, Visibility::Public).await?;
    post_event(&c, &els, &buren, event("Rommelmarkt", "Volgende maand.", 35, "11:00")?, Visibility::Public).await?;
    post_event(&a, &ans, &anders, event("Bingo", "Niet van de coalitie.", 1, "20:00")?, Visibility::Public).await?;

    for (node, member) in [(&a, "fatima"), (&b, "kees"), (&c, "els")] {
        let week = eventually("the members' public events reach every member node", || async {
            let page = PageVisitor::new(&node.base_url())?.get("/coalitie/delfshaven/week").await?;
            Ok((page.body.contains("Soep in De Pijler") && page.body.contains("Koffieochtend")).then_some(page))
        })
        .await?;
        assert_eq!(week.status, StatusCode::OK);
        let tomorrow = today().checked_add_days(Days::new(1)).context("tomorrow")?;
        assert!(week.body.contains(&format!("{}</h2>", dutch_day(tomorrow))), "days by their Dutch names: {}", week.body);
        assert!(week.body.contains("17:30 tot 19:30") && week.body.contains("Buurthuis De Pijler, Grote Visserijstraat 1"));
        assert!(week.body.contains("samen eten"), "the meal is marked");
        for absent in ["Bingo", "Rommelmarkt", "Wandeling door de wijk", "Overleg vrijwilligers"] {
            assert!(!week.body.contains(absent), "{absent} is not in this week for a visitor on {}", node.base_url());
        }
        let meals = PageVisitor::new(&node.base_url())?.get("/coalitie/delfshaven/eten").await?;
        assert!(meals.body.contains("Waar kan ik deze week eten?") && meals.body.contains("Soep in De Pijler"));
        assert!(!meals.body.contains("Koffieochtend"), "only meals");
        let next = week.body.split("href=\"?van=").nth(1).and_then(|rest| rest.split('"').next()).context("a link to next week")?;
        let next_week = PageVisitor::new(&node.base_url())?.get(&format!("/coalitie/delfshaven/week?van={next}")).await?;
        assert!(next_week.body.contains("Wandeling door de wijk") && !next_week.body.contains("Soep in De Pijler"));
        let member_week = eventually("the coalition-only event reaches the member node", || async {
            let page = logged_in(node, member).await?.get("/coalitie/delfshaven/week").await?;
            Ok(page.body.contains("Overleg vrijwilligers").then_some(page))
        })
        .await?;
        assert!(!member_week.body.contains("Bingo"));
    }

    // The coalition's calendar feed: the members' public events, for calendar apps.
    let feed = reqwest::get(format!("{}/coalitie/delfshaven/agenda.ics", a.base_url())).await?;
    assert_eq!(feed.headers()["content-type"], "text/calendar; charset=utf-8");
    let feed = feed.text().await?;
    for shown in ["SUMMARY:Soep in De Pijler", "SUMMARY:Koffieochtend", "SUMMARY:Wandeling door de wijk", "SUMMARY:Rommelmarkt"] {
        assert!(feed.contains(shown), "{shown} in the feed");
    }
    assert!(!feed.contains("Bingo") && !feed.contains("Overleg vrijwilligers"), "no outsider, nothing for members only");
    assert_eq!(reqwest::get(format!("{}/coalitie/bestaatniet/agenda.ics", a.base_url())).await?.status(), StatusCode::NOT_FOUND);
    Ok(())
}

async fn the_agreements_are_for_coordinators_and_the_page_for_people(backend: Backend) -> Result<()> {
    let (a, b) = (TestNode::start(backend).await?, TestNode::start(backend).await?);
    let zorg = a.add_initiative("zorg", false).await?;
    let fatima = a.add_member("fatima", Some(&zorg)).await?;
    let truus = a.add_member("truus", None).await?;
    a.add_member("henk", None).await?;
    let paleis = b.add_initiative("paleis", false).await?;
    let kees = b.add_member("kees", Some(&paleis)).await?;
    form_coalition((&a, &zorg, &fatima), &[(&b, &paleis, &kees)]).await?;
    // Truus belongs to Zorg as a resident and posts her own need for the coalition.
    let state = a.node.as_ref().context("running")?.state();
    let mut conn = state.store.conn().await?;
    buurtnet_domain::store::actors::add_initiative_member(&mut conn, zorg.id, truus.id, ops::actors::ROLE_MEMBER).await?;
    drop(conn);
    let audience = ops::proposals::Audience { visibility: Some(Visibility::Coalition), on_behalf_of: None };
    ops::proposals::publish(&state.store, &state.urls, &truus, &truus, &sample_need("Hulp met de kliko"), &audience).await?;

    let visitor = PageVisitor::new(&a.base_url())?.get("/coalitie/delfshaven/afspraken").await?;
    assert!(visitor.location.as_deref().is_some_and(|l| l.starts_with("/inloggen")), "a visitor is asked to log in");
    assert_eq!(logged_in(&a, "henk").await?.get("/coalitie/delfshaven/afspraken").await?.status, StatusCode::FORBIDDEN);
    let mut fatima_pages = logged_in(&a, "fatima").await?;
    let agreements = fatima_pages.get("/coalitie/delfshaven/afspraken").await?;
    assert_eq!(agreements.status, StatusCode::OK);
    for form in ["/toelating\"", "/afspraken\"", "/verlaten\""] {
        assert!(agreements.body.contains(form), "the agreements page has the {form} form");
    }

    let page = fatima_pages.get("/coalitie/delfshaven").await?;
    assert!(page.body.contains("href=\"/coalitie/delfshaven/afspraken\""), "a coordinator is led to the agreements");
    assert!(!page.body.contains("action=\"/coalitie/delfshaven/"), "no governance forms on the coalition's page");
    assert!(page.body.contains("Hulp met de kliko"), "a resident's own need is among the members' needs");
    let public = PageVisitor::new(&a.base_url())?.get("/coalitie/delfshaven").await?;
    assert!(!public.body.contains("/afspraken"), "visitors see no link to the agreements");
    assert!(!public.body.contains("Hulp met de kliko"), "a need for the coalition is not for visitors");
    let places = public.body.split("Ook te vinden bij").nth(1).context("the other places")?;
    let places = places.split("</ul>").next().unwrap_or_default();
    assert!(places.contains(">Initiatief paleis</a>"), "the other place is named by its initiative: {places}");
    assert!(!places.contains(&b.base_url().replace("http://", ">")), "not by its host");
    Ok(())
}
