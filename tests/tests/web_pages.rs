//! The web pages over HTTP, on SQLite and PostgreSQL: every form's error paths (a clear
//! message, what was typed kept, nothing changed), CSRF and origin checks, sessions and their
//! cookies, sign-up by invitation and by approval, visibility as strict as in the API, the
//! security headers, and the choice of language. The same flows in a real browser, with the
//! accessibility audit, are in `browser.rs`.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::{Actor, ProposalDraft, Purpose, Visibility, When};
use buurtnet_domain::ops::proposals::Audience;
use buurtnet_domain::{ops, store};
use buurtnet_tests::harness::{Backend, TestNode};
use buurtnet_tests::on_both_backends;
use buurtnet_tests::pages::PageVisitor;
use buurtnet_web::Registrations;
use reqwest::StatusCode;

on_both_backends!(
    forms_without_the_right_token_or_origin_change_nothing,
    an_invitation_makes_one_member_and_bad_codes_are_explained,
    sign_ups_wait_for_a_coordinator_when_the_node_asks_approval,
    pages_show_only_what_the_visitor_may_see,
    posting_a_need_keeps_what_was_typed_until_it_is_right,
    sessions_cookies_headers_and_language,
    people_are_found_followed_and_followed_from_elsewhere,
    a_members_notifications_export_new_password_and_deletion,
    coordinators_let_followers_in_handle_reports_block_and_see_suggestions,
    articles_are_written_edited_in_parallel_proposed_from_elsewhere_and_taken_over,
    events_and_posts_from_the_pages_with_their_error_paths,
    administrators_set_the_nodes_name_rules_and_sign_up_way,
    a_picture_needs_a_description_and_keeps_between_preview_and_posting,
    a_logged_in_member_lets_an_app_in_without_typing_the_password,
    conversations_the_agenda_by_day_and_retrying_a_peer
);

const PASSWORD: &str = "geheim-wachtwoord";

/// Two nodes: `a` with the initiative zorg coordinated by fatima, `b` with paleis
/// coordinated by kees.
async fn zorg_and_paleis(backend: Backend) -> Result<(TestNode, TestNode, Actor, Actor)> {
    let a = TestNode::start(backend).await?;
    let b = TestNode::start(backend).await?;
    let zorg = a.add_initiative("zorg", false).await?;
    a.add_member("fatima", Some(&zorg)).await?;
    let paleis = b.add_initiative("paleis", false).await?;
    b.add_member("kees", Some(&paleis)).await?;
    Ok((a, b, zorg, paleis))
}

fn need(title: &str) -> ProposalDraft {
    ProposalDraft {
        purpose: Purpose::Request,
        title: title.into(),
        description: String::new(),
        category: "boodschappen".into(),
        neighbourhood: None,
        when: When::Flexible,
        expires_at: None,
    }
}

async fn forms_without_the_right_token_or_origin_change_nothing(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    node.add_member("fatima", Some(&zorg)).await?;
    let mut visitor = PageVisitor::new(&node.base_url())?;

    let no_token = visitor.post("/inloggen", &[("username", "fatima"), ("password", PASSWORD)]).await?;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN, "a login without the page's token");
    assert!(!visitor.cookies.contains_key("bn_sessie"));
    let csrf = visitor.get("/inloggen").await?.csrf()?;
    let elsewhere =
        visitor.post_from("/inloggen", &[("username", "fatima"), ("password", PASSWORD), ("csrf", &csrf)], "https://evil.example").await?;
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN, "the right token from another site");
    assert!(!visitor.cookies.contains_key("bn_sessie"));

    visitor.log_in("fatima", PASSWORD).await?;
    let stale = visitor
        .post("/nieuw/hulpvraag", &[("csrf", &csrf), ("title", "Wie helpt?"), ("category", "klussen"), ("action", "publish")])
        .await?;
    assert_eq!(stale.status, StatusCode::FORBIDDEN, "the anonymous token no longer counts once logged in");
    let count = ops::browse::open_proposals(node.store(), None, &Default::default(), 10).await?.len();
    let mut conn = node.store().conn().await?;
    assert_eq!(store::posts::count_local(&mut conn).await?, 0, "nothing was posted ({count} visible)");
    Ok(())
}

async fn an_invitation_makes_one_member_and_bad_codes_are_explained(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    node.add_member("fatima", Some(&zorg)).await?;
    let mut coordinator = PageVisitor::new(&node.base_url())?;
    coordinator.log_in("fatima", PASSWORD).await?;
    let made = coordinator.submit("/coordinatie", "/coordinatie/uitnodigingen", &[("initiative", "zorg"), ("note", "voor Truus")]).await?;
    assert_eq!(made.status, StatusCode::OK);
    let code = made.body.split("id=\"new-code\">").nth(1).and_then(|s| s.split('<').next()).context("the code is shown")?.to_string();

    let mut truus = PageVisitor::new(&node.base_url())?;
    let fields = |code: &str, username: &'static str| {
        vec![
            ("code", code.to_string()),
            ("display_name", "Truus".to_string()),
            ("username", username.to_string()),
            ("password", "een lange zin".to_string()),
            ("password_again", "een lange zin".to_string()),
        ]
    };
    let as_refs = |f: &Vec<(&'static str, String)>| f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let wrong = as_refs(&fields("AAAA-BBBB-CCCC", "truus"));
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = truus.submit("/aanmelden", "/aanmelden", &wrong).await?;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"code-error\">deze code is onbekend, gebruikt of verlopen"), "{}", refused.body);
    assert!(refused.body.contains("value=\"truus\""), "what was typed is kept");
    assert!(!refused.body.contains("een lange zin"), "passwords are never sent back");

    let right = as_refs(&fields(&code.to_lowercase().replace('-', " "), "truus"));
    let right: Vec<(&str, &str)> = right.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let welcomed = truus.submit("/aanmelden", "/aanmelden", &right).await?;
    assert_eq!(welcomed.status, StatusCode::SEE_OTHER, "{}", welcomed.body);
    assert_eq!(welcomed.location.as_deref(), Some("/?gedaan=welkom"));
    assert!(truus.get("/?gedaan=welkom").await?.body.contains("Welkom! Je account is klaar"), "welcomed");
    assert!(truus.get("/").await?.body.contains("Uitloggen"), "and logged in at once");

    let mut someone = PageVisitor::new(&node.base_url())?;
    let again = as_refs(&fields(&code, "henk"));
    let again: Vec<(&str, &str)> = again.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let used = someone.submit("/aanmelden", "/aanmelden", &again).await?;
    assert_eq!(used.status, StatusCode::UNPROCESSABLE_ENTITY, "one code, one member");
    let mut conn = node.store().conn().await?;
    assert!(store::actors::local_by_username(&mut conn, "henk").await?.is_none());
    let truus = store::actors::local_by_username(&mut conn, "truus").await?.context("truus")?;
    assert_eq!(store::actors::initiative_role(&mut conn, zorg.id, truus.id).await?.as_deref(), Some("member"));
    assert!(coordinator.get("/coordinatie").await?.body.contains("gebruikt"), "the coordinator sees the code was used");
    Ok(())
}

async fn sign_ups_wait_for_a_coordinator_when_the_node_asks_approval(backend: Backend) -> Result<()> {
    let node = TestNode::start_with(backend, |c| c.web.registrations = Registrations::Approval).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    node.add_member("fatima", Some(&zorg)).await?;
    let mut piet = PageVisitor::new(&node.base_url())?;
    let asked = piet
        .submit(
            "/aanmelden",
            "/aanmelden",
            &[
                ("application", "Ik woon aan de Schiedamseweg."),
                ("display_name", "Piet"),
                ("username", "piet"),
                ("password", "nog een lange zin"),
                ("password_again", "nog een lange zin"),
            ],
        )
        .await?;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(asked.body.contains("Een coördinator bekijkt je aanmelding"));
    let early = piet.submit("/inloggen", "/inloggen", &[("username", "piet"), ("password", "nog een lange zin")]).await?;
    assert_eq!(early.status, StatusCode::FORBIDDEN);
    assert!(early.body.contains("wacht nog op goedkeuring"));
    assert!(ops::actors::check_login(node.store(), "piet", "nog een lange zin").await?.is_none(), "apps cannot log in either");

    let mut coordinator = PageVisitor::new(&node.base_url())?;
    coordinator.log_in("fatima", PASSWORD).await?;
    let overview = coordinator.get("/coordinatie").await?;
    assert!(overview.body.contains("Ik woon aan de Schiedamseweg."), "the coordinator reads what Piet wrote");
    let piet_id = store::actors::local_by_username(&mut node.store().conn().await?, "piet").await?.context("piet")?.id;
    let mut outsider = PageVisitor::new(&node.base_url())?;
    node.add_member("gewoonlid", None).await?;
    outsider.log_in("gewoonlid", PASSWORD).await?;
    let csrf = outsider.get("/").await?.csrf()?;
    let refused = outsider.post(&format!("/coordinatie/aanmeldingen/{piet_id}"), &[("csrf", &csrf)]).await?;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "only coordinators approve");
    let approved = coordinator.submit("/coordinatie", &format!("/coordinatie/aanmeldingen/{piet_id}"), &[]).await?;
    assert_eq!(approved.location.as_deref(), Some("/coordinatie?gedaan=goedgekeurd"));
    piet.log_in("piet", "nog een lange zin").await?;
    Ok(())
}

async fn pages_show_only_what_the_visitor_may_see(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    let fatima = node.add_member("fatima", Some(&zorg)).await?;
    let state = (node.store(), &node.node.as_ref().context("running")?.state().urls);
    let coalition = ops::proposals::publish(state.0, state.1, &fatima, &zorg, &need("Een gevoelige vraag"), &Audience::default()).await?;
    assert_eq!(coalition.visibility, Visibility::Coalition, "needs default to the coalition");
    let local = Audience { visibility: Some(Visibility::Local), on_behalf_of: Some("mevrouw Jansen".into()) };
    let for_members = ops::proposals::publish(state.0, state.1, &fatima, &zorg, &need("Alleen voor de buurt"), &local).await?;

    let mut anonymous = PageVisitor::new(&node.base_url())?;
    for post in [&coalition, &for_members] {
        let page = anonymous.get(&format!("/bericht/{}", post.id)).await?;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "an outsider does not see that it exists");
    }
    let front = anonymous.get("/").await?.body;
    assert!(!front.contains("Een gevoelige vraag") && !front.contains("Alleen voor de buurt"));
    assert!(!anonymous.get("/hulp?woorden=vraag").await?.body.contains("gevoelige"));

    node.add_member("buurman", None).await?;
    let mut member = PageVisitor::new(&node.base_url())?;
    member.log_in("buurman", PASSWORD).await?;
    let page = member.get(&format!("/bericht/{}", for_members.id)).await?;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Alleen voor de buurt"));
    assert!(!page.body.contains("mevrouw Jansen"), "the resident stays anonymous");
    assert!(member.get("/").await?.body.contains("Een gevoelige vraag"), "members of the node see coalition needs");

    // An open need behind more closed ones than a page holds: a visitor is read only what
    // anyone may read, so the page still reaches it, and shows nothing closed.
    let open = Audience { visibility: Some(Visibility::Public), ..Default::default() };
    ops::proposals::publish(state.0, state.1, &fatima, &zorg, &need("Een open vraag"), &open).await?;
    for n in 0..60 {
        ops::proposals::publish(state.0, state.1, &fatima, &zorg, &need(&format!("Besloten vraag {n}")), &Audience::default()).await?;
    }
    let hulp = anonymous.get("/hulp").await?.body;
    assert!(hulp.contains("Een open vraag") && !hulp.contains("Besloten vraag"), "{hulp}");
    assert!(member.get("/hulp").await?.body.contains("Besloten vraag 59"), "a member sees the newest coalition need");
    Ok(())
}

async fn posting_a_need_keeps_what_was_typed_until_it_is_right(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    node.add_member("fatima", Some(&zorg)).await?;
    let mut fatima = PageVisitor::new(&node.base_url())?;
    assert_eq!(fatima.get("/nieuw/hulpvraag").await?.location.as_deref(), Some("/inloggen?terug=/nieuw/hulpvraag"), "log in first");
    fatima.log_in("fatima", PASSWORD).await?;
    let fields = [
        ("title", "Hi"),
        ("description", "Wie kan <b>helpen</b>?"),
        ("category", "onzin"),
        ("when", "on"),
        ("date_from", ""),
        ("action", "publish"),
    ];
    let refused = fatima.submit("/nieuw/hulpvraag", "/nieuw/hulpvraag", &fields).await?;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"date_from-error\">Kies een datum."), "the date is asked for");
    assert!(refused.body.contains("Wie kan &#60;b&#62;helpen&#60;/b&#62;?"), "the description is kept (escaped)");
    let refused = fatima
        .submit(
            "/nieuw/hulpvraag",
            "/nieuw/hulpvraag",
            &[("title", "Hi"), ("category", "onzin"), ("when", "flexible"), ("action", "publish")],
        )
        .await?;
    assert!(refused.body.contains("id=\"title-error\">Geef een titel van 3 tot 120 tekens."), "{}", refused.body);
    assert!(refused.body.contains("id=\"category-error\">Kies een van de categorieën."));
    assert!(refused.body.contains("aria-invalid=\"true\" aria-describedby=\"title-error\""), "the field says it is wrong");

    let right = [
        ("title", "Hulp bij de boodschappen"),
        ("category", "boodschappen"),
        ("when", "flexible"),
        ("author", "zorg"),
        ("resident", "mevrouw Jansen"),
    ];
    let mut preview: Vec<(&str, &str)> = right.to_vec();
    preview.push(("action", "preview"));
    let shown = fatima.submit("/nieuw/hulpvraag", "/nieuw/hulpvraag", &preview).await?;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("<strong>Hulpvraag: Hulp bij de boodschappen</strong>"), "the preview");
    assert_eq!(store::posts::count_local(&mut node.store().conn().await?).await?, 0, "a preview posts nothing");
    let mut publish: Vec<(&str, &str)> = right.to_vec();
    publish.push(("action", "publish"));
    let posted = fatima.submit("/nieuw/hulpvraag", "/nieuw/hulpvraag", &publish).await?;
    let location = posted.location.context("redirected to the new need")?;
    assert!(location.ends_with("?gedaan=geplaatst"), "{location}");
    let id: i64 = location.trim_start_matches("/bericht/").split('?').next().unwrap_or_default().parse()?;
    let mut conn = node.store().conn().await?;
    let post = store::posts::by_id(&mut conn, id).await?;
    assert_eq!(post.author_id, zorg.id, "posted as the initiative");
    assert_eq!(store::proposals::resident(&mut conn, id).await?.as_deref(), Some("mevrouw Jansen"));
    drop(conn);

    // A form sent without a login leads to the login page, then back to the page it was on.
    let mut stranger = PageVisitor::new(&node.base_url())?;
    let help = format!("/bericht/{id}/reageren");
    let csrf = stranger.get("/inloggen").await?.csrf()?;
    let from_page = stranger.post_on_page(&format!("/bericht/{id}"), &help, &[("message", "Ik help graag"), ("csrf", &csrf)]).await?;
    assert_eq!(from_page.location, Some(format!("/inloggen?terug=/bericht/{id}")));
    let nowhere = stranger.post_from(&help, &[("message", "Ik help graag")], &node.base_url()).await?;
    assert_eq!(nowhere.location.as_deref(), Some("/inloggen?terug=/"), "without a page to go back to: the front page");

    // Browsing by day: a need on one day shows on that day only; flexible ones always.
    let urls = &node.node.as_ref().context("running")?.state().urls;
    let day = chrono::NaiveDate::from_ymd_opt(2030, 1, 5).context("date")?;
    let dated = ProposalDraft { when: When::On(day), ..need("Hulp bij het verhuizen") };
    let public = Audience { visibility: Some(Visibility::Public), on_behalf_of: None };
    let fatima_actor = store::actors::local_by_username(&mut node.store().conn().await?, "fatima").await?.context("fatima")?;
    ops::proposals::publish(node.store(), urls, &fatima_actor, &fatima_actor, &dated, &public).await?;
    let that_day = fatima.get("/hulp?datum=2030-01-05").await?.body;
    assert!(that_day.contains("Hulp bij het verhuizen") && that_day.contains("Hulp bij de boodschappen"), "{that_day}");
    let other_day = fatima.get("/hulp?datum=2030-02-01").await?.body;
    assert!(!other_day.contains("Hulp bij het verhuizen"), "{other_day}");
    assert!(other_day.contains("Hulp bij de boodschappen"), "flexible ones always");
    Ok(())
}

async fn sessions_cookies_headers_and_language(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    node.add_member("fatima", None).await?;
    let mut visitor = PageVisitor::new(&node.base_url())?;
    let front = visitor.get("/").await?;
    let csp = front.headers.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(front.body.contains("<html lang=\"nl\">"));
    assert!(front.set_cookies.iter().any(|c| c.starts_with("bn_csrf=") && c.contains("HttpOnly") && c.contains("SameSite=Lax")));

    for _ in 0..5 {
        visitor.submit("/inloggen", "/inloggen", &[("username", "fatima"), ("password", "fout")]).await?;
    }
    let blocked = visitor.submit("/inloggen", "/inloggen", &[("username", "fatima"), ("password", PASSWORD)]).await?;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS, "after five wrong passwords this browser waits a while");
    assert!(blocked.body.contains("Te veel pogingen"));

    node.add_member("henk", None).await?;
    let login = visitor.log_in("henk", PASSWORD).await?;
    let session = login.set_cookies.iter().find(|c| c.starts_with("bn_sessie=")).context("a session cookie")?;
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax") && !session.contains("Secure"),
        "{session} (no Secure in dev)"
    );
    assert!(visitor.get("/").await?.body.contains("Uitloggen"), "logged in");
    let old = visitor.cookies.clone();
    let out = visitor.submit("/", "/uitloggen", &[]).await?;
    assert_eq!(out.location.as_deref(), Some("/?gedaan=uitgelogd"));
    visitor.cookies = old;
    assert!(!visitor.get("/").await?.body.contains("Uitloggen"), "the old cookie no longer works after logout");

    visitor.accept_language = "en-GB,en;q=0.9".into();
    assert!(visitor.get("/").await?.body.contains("<html lang=\"en\">"), "English when the browser prefers it");
    let switch = visitor.get("/taal/nl?terug=//evil.example/").await?;
    assert_eq!(switch.location.as_deref(), Some("/"), "only paths on this site");
    assert!(visitor.get("/hulp").await?.body.contains("<html lang=\"nl\">"), "the choice wins over the browser");
    assert_eq!(visitor.get("/taal/fr").await?.status, StatusCode::NOT_FOUND);
    Ok(())
}

async fn people_are_found_followed_and_followed_from_elsewhere(backend: Backend) -> Result<()> {
    let (a, b, zorg, paleis) = zorg_and_paleis(backend).await?;
    let paleis_handle = format!("@paleis@localhost:{}", b.port);

    let mut anonymous = PageVisitor::new(&a.base_url())?;
    let refused = anonymous.get(&format!("/zoeken?q={}", paleis_handle.replace('@', "%40"))).await?;
    assert!(refused.body.contains("Log in om mensen en buurten op andere servers te zoeken"), "outsiders do not make us fetch");

    let mut fatima = PageVisitor::new(&a.base_url())?;
    fatima.log_in("fatima", PASSWORD).await?;
    let found = fatima.get(&format!("/zoeken?q={}", paleis_handle.replace('@', "%40"))).await?;
    let href = found.body.split("<h3><a href=\"").nth(1).and_then(|s| s.split('"').next()).context("a result")?.to_string();
    assert!(href.starts_with("/actor/"), "{href}");
    let page = fatima.get(&href).await?;
    assert!(page.body.contains("Volgen als Initiatief zorg"), "a coordinator may follow as the initiative too");
    let followed = fatima.submit(&href, &format!("{href}/volgen"), &[("as", "zorg"), ("action", "follow")]).await?;
    assert_eq!(followed.location.as_deref(), Some(format!("{href}?gedaan=volgen-gevraagd").as_str()));
    buurtnet_tests::harness::eventually("the follow accepted", || async {
        Ok(a.follow_state(&zorg.ap_id, &paleis.ap_id).await?.filter(|s| s == "accepted"))
    })
    .await?;
    assert!(fatima.get(&href).await?.body.contains("Initiatief zorg: volgt"));

    // Kees, on the other node, follows Fatima's initiative "from his own server".
    let to_kees = anonymous
        .submit("/initiatives/zorg", "/volg-op-afstand", &[("account", "zorg"), ("handle", &format!("@kees@localhost:{}", b.port))])
        .await?;
    let subscribe = to_kees.location.context("sent to Kees's server")?;
    let expected = format!("{}/authorize_interaction?uri=zorg%40localhost%3A{}", b.base_url(), a.port);
    assert_eq!(subscribe, expected);
    let bad = anonymous.submit("/initiatives/zorg", "/volg-op-afstand", &[("account", "zorg"), ("handle", "geen adres")]).await?;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut kees = PageVisitor::new(&b.base_url())?;
    let path = subscribe.trim_start_matches(&b.base_url()).to_string();
    assert!(kees.get(&path).await?.location.is_some_and(|l| l.starts_with("/inloggen?terug=")), "log in first");
    kees.log_in("kees", PASSWORD).await?;
    let at_kees = kees.get(&path).await?.location.context("to the account's page")?;
    assert!(at_kees.starts_with("/actor/"), "{at_kees}");
    let page = kees.get(&at_kees).await?;
    assert!(page.body.contains("Initiatief zorg") && page.body.contains("Volgen als Mijzelf"), "ready to follow");
    Ok(())
}

async fn a_members_notifications_export_new_password_and_deletion(backend: Backend) -> Result<()> {
    let a = TestNode::start(backend).await?;
    let b = TestNode::start(backend).await?;
    let zorg = a.add_initiative("zorg", false).await?;
    a.add_member("fatima", Some(&zorg)).await?;
    let henk = a.add_member("henk", None).await?;
    {
        let mut tx = a.store().begin().await?;
        store::actors::add_initiative_member(&mut tx, zorg.id, henk.id, "member").await?;
        tx.commit().await?;
    }
    let kees = b.add_member("kees", None).await?;
    b.follow_and_wait(&kees, &henk.ap_id).await?;
    let urls = &a.node.as_ref().context("running")?.state().urls;
    let note =
        ops::posts::publish(a.store(), urls, &henk, &henk, &ops::posts::PostDraft::plain("Goedemorgen buren", Visibility::Public, vec![]))
            .await?;
    b.node.as_ref().context("running")?.state().wake_delivery();
    buurtnet_tests::harness::eventually("the note on the other node", || async { b.post(&note.ap_id).await }).await?;

    let mut henk_pages = PageVisitor::new(&a.base_url())?;
    henk_pages.log_in("henk", PASSWORD).await?;
    assert!(henk_pages.get("/").await?.body.contains("Meldingen (1 nieuw)"), "the menu tells of the new follower");
    let notices = henk_pages.get("/meldingen").await?.body;
    assert!(notices.contains("KEES volgt je nu."), "{notices}");
    assert!(!henk_pages.get("/").await?.body.contains("nieuw)"), "seen once shown");

    let export = henk_pages.get("/mijn-gegevens/export.json").await?;
    assert!(export.headers.get("content-disposition").and_then(|v| v.to_str().ok()).is_some_and(|d| d.contains("buurtnet-henk.json")));
    let data: serde_json::Value = serde_json::from_str(&export.body)?;
    assert_eq!(data["account"]["username"], "henk");
    assert_eq!(data["followers"], serde_json::json!([kees.ap_id]));
    assert_eq!(data["initiatives"][0]["role"], "member");
    assert!(data["posts"].as_array().is_some_and(|p| p.iter().any(|p| p["source"] == "Goedemorgen buren")), "{data}");
    assert_eq!(PageVisitor::new(&a.base_url())?.get("/mijn-gegevens/export.json").await?.status, StatusCode::SEE_OTHER, "log in first");

    // A coordinator gives Henk a link to choose a new password.
    let mut fatima = PageVisitor::new(&a.base_url())?;
    fatima.log_in("fatima", PASSWORD).await?;
    let made = fatima.submit("/coordinatie", &format!("/coordinatie/leden/{}/wachtwoord", henk.id), &[]).await?;
    let link = made.body.split("id=\"reset-link\">").nth(1).and_then(|s| s.split('<').next()).context("the link is shown")?.to_string();
    let path = link.trim_start_matches(&a.base_url()).to_string();
    let mut at_the_door = PageVisitor::new(&a.base_url())?;
    let differ = at_the_door.submit(&path, &path, &[("password", "een nieuwe lange zin"), ("password_again", "iets anders")]).await?;
    assert_eq!(differ.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done =
        at_the_door.submit(&path, &path, &[("password", "een nieuwe lange zin"), ("password_again", "een nieuwe lange zin")]).await?;
    assert_eq!(done.location.as_deref(), Some("/inloggen?gedaan=wachtwoord"));
    assert!(!henk_pages.get("/").await?.body.contains("Uitloggen"), "the old login ended with the new password");
    assert_eq!(at_the_door.get(&path).await?.status, StatusCode::UNPROCESSABLE_ENTITY, "the link works once");
    henk_pages.log_in("henk", "een nieuwe lange zin").await?;
    let outsider = a.add_member("buurvrouw", None).await?;
    let mut other = PageVisitor::new(&a.base_url())?;
    other.log_in("buurvrouw", PASSWORD).await?;
    let csrf = other.get("/").await?.csrf()?;
    let refused = other.post(&format!("/coordinatie/leden/{}/wachtwoord", henk.id), &[("csrf", &csrf)]).await?;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{} is no coordinator", outsider.username);

    // Henk leaves: the password again, and his name typed.
    let wrong = henk_pages.submit("/mijn-gegevens", "/mijn-gegevens/verwijderen", &[("confirm", "henk"), ("password", "fout")]).await?;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("het wachtwoord klopt niet"));
    let gone = henk_pages
        .submit("/mijn-gegevens", "/mijn-gegevens/verwijderen", &[("confirm", "henk"), ("password", "een nieuwe lange zin")])
        .await?;
    assert_eq!(gone.location.as_deref(), Some("/?gedaan=verwijderd"));
    let document = reqwest::Client::new().get(&henk.ap_id).header("accept", "application/activity+json").send().await?;
    assert_eq!(document.status(), StatusCode::GONE);
    assert_eq!(PageVisitor::new(&a.base_url())?.get("/users/henk").await?.status, StatusCode::GONE);
    assert!(ops::actors::check_login(a.store(), "henk", "een nieuwe lange zin").await?.is_none());
    a.node.as_ref().context("running")?.state().wake_delivery();
    buurtnet_tests::harness::eventually("the other node forgets Henk's posts", || async {
        Ok(b.post(&note.ap_id).await?.filter(|p| p.is_deleted()))
    })
    .await?;
    let mut conn = b.store().conn().await?;
    assert_eq!(store::follows::count_followers(&mut conn, henk_remote_id(&b, &henk.ap_id).await?).await?, 0);
    Ok(())
}

async fn henk_remote_id(node: &TestNode, ap_id: &str) -> Result<i64> {
    Ok(node.actor(ap_id).await?.context("known")?.id)
}

async fn coordinators_let_followers_in_handle_reports_block_and_see_suggestions(backend: Backend) -> Result<()> {
    let a = TestNode::start(backend).await?;
    let b = TestNode::start(backend).await?;
    let zorg = a.add_initiative("zorg", true).await?;
    let fatima = a.add_member("fatima", Some(&zorg)).await?;
    let henk = a.add_member("henk", None).await?;
    let kees = b.add_member("kees", None).await?;
    b.follow(&kees, &zorg.ap_id).await?;
    let mut coordinator = PageVisitor::new(&a.base_url())?;
    coordinator.log_in("fatima", PASSWORD).await?;
    let page = buurtnet_tests::harness::eventually("the follow request", || {
        let base = a.base_url();
        async move {
            let mut visitor = PageVisitor::new(&base)?;
            visitor.log_in("fatima", PASSWORD).await?;
            let body = visitor.get("/coordinatie/moderatie").await?.body;
            Ok(body.contains("KEES").then_some(body))
        }
    })
    .await?;
    assert!(page.contains("wil Initiatief zorg volgen"), "{page}");
    let kees_here = a.actor(&kees.ap_id).await?.context("known here")?;
    let let_in = coordinator
        .submit("/coordinatie/moderatie", &format!("/coordinatie/volgverzoeken/zorg/{}", kees_here.id), &[("decision", "accept")])
        .await?;
    assert_eq!(let_in.location.as_deref(), Some("/coordinatie/moderatie?gedaan=volger-toegelaten"));
    buurtnet_tests::harness::eventually("Kees's node hears he may follow", || async {
        Ok(b.follow_state(&kees.ap_id, &zorg.ap_id).await?.filter(|s| s == "accepted"))
    })
    .await?;

    // Henk reports Kees; the coordinator blocks him and marks the report handled.
    ops::members::report(a.store(), &henk, &kees_here, &[], "Hij stuurt steeds reclame", false).await?;
    let page = coordinator.get("/coordinatie/moderatie").await?.body;
    assert!(page.contains("Hij stuurt steeds reclame") && page.contains("Gemeld door HENK"), "{page}");
    let blocked = coordinator
        .submit("/coordinatie/moderatie", "/coordinatie/blokkeren", &[("kind", "actor"), ("what", &kees.ap_id), ("reason", "reclame")])
        .await?;
    assert_eq!(blocked.location.as_deref(), Some("/coordinatie/moderatie?gedaan=geblokkeerd"));
    let mut conn = a.store().conn().await?;
    assert!(store::inbox::is_blocked(&mut conn, &kees.ap_id, "elders.example").await?);
    assert_eq!(store::follows::count_followers(&mut conn, zorg.id).await?, 0, "a blocked actor follows no more");
    drop(conn);
    let report_id = coordinator
        .get("/coordinatie/moderatie")
        .await?
        .body
        .split("/coordinatie/meldingen/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .context("the report's form")?
        .to_string();
    // A member who coordinates nothing, with a genuine token of her own, is refused each
    // coordinators' action, and the report stays open.
    let mut henk_pages = PageVisitor::new(&a.base_url())?;
    henk_pages.log_in("henk", PASSWORD).await?;
    for action in [
        format!("/coordinatie/meldingen/{report_id}/afgehandeld"),
        "/coordinatie/blokkeren".to_string(),
        "/coordinatie/deblokkeren".to_string(),
        format!("/coordinatie/volgverzoeken/zorg/{}", kees_here.id),
        format!("/coordinatie/leden/{}/wachtwoord", fatima.id),
        format!("/coordinatie/leden/{}/coordinator", henk.id),
        "/coordinatie/uitnodigingen".to_string(),
        "/coordinatie/initiatief/zorg".to_string(),
        "/coordinatie/coalities".to_string(),
    ] {
        let refused = henk_pages.submit("/", &action, &[("kind", "domain"), ("what", "buurt.example"), ("initiative", "zorg")]).await?;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{action} is for coordinators");
    }
    assert!(coordinator.get("/coordinatie/moderatie").await?.body.contains("Hij stuurt steeds reclame"), "the report is still open");
    coordinator.submit("/coordinatie/moderatie", &format!("/coordinatie/meldingen/{report_id}/afgehandeld"), &[]).await?;
    assert!(!coordinator.get("/coordinatie/moderatie").await?.body.contains("Hij stuurt steeds reclame"), "handled reports leave the list");

    let bad = coordinator
        .submit("/coordinatie/moderatie", "/coordinatie/blokkeren", &[("kind", "domain"), ("what", "geen server"), ("reason", "")])
        .await?;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("geef een servernaam zoals voorbeeld.nl"));
    coordinator
        .submit(
            "/coordinatie/moderatie",
            "/coordinatie/blokkeren",
            &[("kind", "domain"), ("what", "https://Spam.Example/"), ("reason", "spam")],
        )
        .await?;
    assert!(store::inbox::is_blocked(&mut a.store().conn().await?, "https://spam.example/u/x", "spam.example").await?);
    coordinator.submit("/coordinatie/moderatie", "/coordinatie/deblokkeren", &[("what", "spam.example")]).await?;
    assert!(!store::inbox::is_blocked(&mut a.store().conn().await?, "https://spam.example/u/x", "spam.example").await?);

    // Suggestions: a need and an offer of the same kind.
    let urls = &a.node.as_ref().context("running")?.state().urls;
    let offer = ProposalDraft { purpose: Purpose::Offer, ..need("Ik doe graag boodschappen") };
    ops::proposals::publish(a.store(), urls, &fatima, &zorg, &need("Wie haalt mijn boodschappen?"), &Audience::default()).await?;
    ops::proposals::publish(a.store(), urls, &fatima, &zorg, &offer, &Audience::default()).await?;
    let page = coordinator.get("/coordinatie/moderatie").await?.body;
    assert!(page.contains("past misschien bij"), "{page}");

    let mut henk_pages = PageVisitor::new(&a.base_url())?;
    henk_pages.log_in("henk", PASSWORD).await?;
    assert_eq!(henk_pages.get("/coordinatie/moderatie").await?.status, StatusCode::FORBIDDEN, "members are no coordinators");
    Ok(())
}

/// The number in `/bericht/{n}?…` of a redirect.
fn post_id_of(location: Option<&str>) -> Result<i64> {
    let location = location.context("a redirect to the post")?;
    Ok(location.trim_start_matches("/bericht/").split('?').next().unwrap_or_default().parse()?)
}

async fn articles_are_written_edited_in_parallel_proposed_from_elsewhere_and_taken_over(backend: Backend) -> Result<()> {
    let (a, b, zorg, paleis) = zorg_and_paleis(backend).await?;
    b.follow_and_wait(&paleis, &zorg.ap_id).await?;
    let mut fatima = PageVisitor::new(&a.base_url())?;
    fatima.log_in("fatima", PASSWORD).await?;

    let short = fatima.submit("/nieuw/artikel", "/nieuw/artikel", &[("title", "Zo"), ("source", "tekst"), ("action", "publish")]).await?;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("id=\"title-error\"") && short.body.contains("value=\"Zo\""), "explained, and kept");
    let text = "# Stappen\n\nEen\n\nTwee\n\nDrie\n";
    let fields = [
        ("author", "zorg"),
        ("title", "Buurtmaaltijd organiseren"),
        ("source", text),
        ("edit_policy", "initiative"),
        ("action", "publish"),
    ];
    let posted = fatima.submit("/nieuw/artikel", "/nieuw/artikel", &fields).await?;
    let id = post_id_of(posted.location.as_deref())?;
    let page = fatima.get(&format!("/bericht/{id}")).await?.body;
    assert!(page.contains("<h1>Buurtmaaltijd organiseren</h1>") && page.contains("<h1>Stappen</h1>"), "{page}");

    // Two edits from the same version: different lines merge, the same line is a conflict.
    let edit = |source: &'static str, summary: &'static str| vec![("base_version", "1"), ("source", source), ("summary", summary)];
    let first = fatima
        .submit(&format!("/bericht/{id}/bewerken"), &format!("/bericht/{id}/bewerken"), &edit("# Stappen\n\nEen!\n\nTwee\n\nDrie\n", "een"))
        .await?;
    assert_eq!(first.location, Some(format!("/bericht/{id}?gedaan=bewerkt")));
    let second = fatima
        .submit(
            &format!("/bericht/{id}/bewerken"),
            &format!("/bericht/{id}/bewerken"),
            &edit("# Stappen\n\nEen\n\nTwee\n\nDrie!\n", "drie"),
        )
        .await?;
    assert_eq!(second.location, Some(format!("/bericht/{id}?gedaan=bewerkt")), "other lines: merged");
    let clash = fatima
        .submit(
            &format!("/bericht/{id}/bewerken"),
            &format!("/bericht/{id}/bewerken"),
            &edit("# Stappen\n\nEen?\n\nTwee\n\nDrie\n", "botsing"),
        )
        .await?;
    assert_eq!(clash.status, StatusCode::CONFLICT);
    assert!(clash.body.contains("Iemand anders veranderde dezelfde regels") && clash.body.contains("Een?"), "explained, the text kept");
    assert!(clash.body.contains("name=\"base_version\" value=\"3\""), "the next try starts from the newest version");
    let history = fatima.get(&format!("/bericht/{id}/geschiedenis")).await?.body;
    assert!(history.contains("Versie 3") && history.contains("drie") && history.contains("Versie 1"), "{history}");

    // Kees, on the other node, proposes an improvement; Fatima takes it over.
    let mut kees = PageVisitor::new(&b.base_url())?;
    kees.log_in("kees", PASSWORD).await?;
    let article_ap_id = store::posts::by_id(&mut a.store().conn().await?, id).await?.ap_id;
    let copy = buurtnet_tests::harness::eventually("the article's third version on the other node", || async {
        let post = b.post(&article_ap_id).await?;
        let version = match &post {
            Some(p) => ops::articles::of_post(b.store(), p.id).await?.map(|a| a.version),
            None => None,
        };
        Ok(post.filter(|_| version == Some(3)))
    })
    .await?;
    let there = format!("/bericht/{}", copy.id);
    assert!(kees.get(&there).await?.body.contains("Verbetering voorstellen"), "others propose");
    let proposal = kees
        .submit(
            &format!("{there}/bewerken"),
            &format!("{there}/bewerken"),
            &[("base_version", "3"), ("source", "# Stappen\n\nEen!\n\nTwee en een half\n\nDrie!\n"), ("summary", "halve stap")],
        )
        .await?;
    assert_eq!(proposal.location, Some(format!("{there}?gedaan=voorgesteld")));
    let waiting = buurtnet_tests::harness::eventually("the proposal on the home node", || {
        let base = a.base_url();
        async move {
            let mut v = PageVisitor::new(&base)?;
            v.log_in("fatima", PASSWORD).await?;
            let body = v.get(&format!("/bericht/{id}")).await?.body;
            Ok(body.contains("halve stap").then_some(body))
        }
    })
    .await?;
    let patch =
        waiting.split(&format!("/bericht/{id}/wijzigingen/")).nth(1).and_then(|s| s.split('"').next()).context("review form")?.to_string();
    let merged = fatima.submit(&format!("/bericht/{id}"), &format!("/bericht/{id}/wijzigingen/{patch}"), &[("decision", "accept")]).await?;
    assert_eq!(merged.location, Some(format!("/bericht/{id}?gedaan=overgenomen")));
    assert!(fatima.get(&format!("/bericht/{id}")).await?.body.contains("Twee en een half"));

    // Kees takes the article over into his own node's knowledge.
    let forked = kees.submit(&there, &format!("{there}/overnemen"), &[("as", "paleis")]).await?;
    let fork_id = post_id_of(forked.location.as_deref())?;
    let fork = kees.get(&format!("/bericht/{fork_id}")).await?.body;
    assert!(fork.contains("Overgenomen van") && fork.contains(&article_ap_id), "with attribution");
    assert!(kees.get("/kennis").await?.body.contains("Buurtmaaltijd organiseren"));
    Ok(())
}

async fn events_and_posts_from_the_pages_with_their_error_paths(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    node.add_member("fatima", Some(&zorg)).await?;
    node.add_member("henk", None).await?;
    let mut fatima = PageVisitor::new(&node.base_url())?;
    fatima.log_in("fatima", PASSWORD).await?;
    let bad = fatima
        .submit(
            "/nieuw/activiteit",
            "/nieuw/activiteit",
            &[("title", "Soep"), ("date", "morgen"), ("start", "25:99"), ("place", "Buurthuis")],
        )
        .await?;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"date-error\">Kies een datum.") && bad.body.contains("id=\"start-error\""), "{}", bad.body);
    assert!(bad.body.contains("value=\"Buurthuis\""), "kept");
    let next_week = (chrono::Utc::now() + chrono::Duration::days(7)).format("%Y-%m-%d").to_string();
    let fields = [
        ("author", "zorg"),
        ("title", "Soep op zaterdag"),
        ("date", next_week.as_str()),
        ("start", "17:30"),
        ("place", "Buurthuis"),
        ("capacity", "1"),
        ("join_mode", "free"),
        ("visibility", "followers"),
    ];
    let mut preview = fields.to_vec();
    preview.push(("action", "preview"));
    let shown = fatima.submit("/nieuw/activiteit", "/nieuw/activiteit", &preview).await?;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("class=\"preview\"") && shown.body.contains("Soep op zaterdag"), "the preview");
    assert_eq!(store::posts::count_local(&mut node.store().conn().await?).await?, 0, "a preview posts nothing");
    let made = fatima.submit("/nieuw/activiteit", "/nieuw/activiteit", &fields).await?;
    anyhow::ensure!(made.location.is_some(), "{} {}", made.status, made.body);
    let id = post_id_of(made.location.as_deref())?;

    let mut anonymous = PageVisitor::new(&node.base_url())?;
    assert_eq!(anonymous.get(&format!("/bericht/{id}/agenda.ics")).await?.status, StatusCode::NOT_FOUND, "followers only");
    let mut henk = PageVisitor::new(&node.base_url())?;
    henk.log_in("henk", PASSWORD).await?;
    assert_eq!(henk.get(&format!("/bericht/{id}/agenda.ics")).await?.status, StatusCode::NOT_FOUND, "not a follower yet");
    let followed = henk.submit("/initiatives/zorg", &format!("/actor/{}/volgen", zorg.id), &[("as", "self"), ("action", "follow")]).await?;
    assert_eq!(followed.location, Some(format!("/actor/{}?gedaan=gevolgd", zorg.id)));
    let ics = henk.get(&format!("/bericht/{id}/agenda.ics")).await?;
    assert!(ics.body.contains("SUMMARY:Soep op zaterdag"), "followers may see it");
    let joined = henk.submit(&format!("/bericht/{id}"), &format!("/bericht/{id}/deelnemen"), &[]).await?;
    assert_eq!(joined.location, Some(format!("/bericht/{id}?gedaan=aangemeld")));
    let page = fatima.get(&format!("/bericht/{id}")).await?.body;
    assert!(page.contains("HENK") && page.contains("1 van 1 plaatsen bezet"), "the organiser sees who comes: {page}");
    let left = henk.submit(&format!("/bericht/{id}"), &format!("/bericht/{id}/afmelden"), &[]).await?;
    assert_eq!(left.location, Some(format!("/bericht/{id}?gedaan=afgemeld")));
    assert!(fatima.get(&format!("/bericht/{id}")).await?.body.contains("0 van 1 plaatsen bezet"));

    let empty = henk.submit_multipart("/nieuw/bericht", "/nieuw/bericht", &[("text", "  "), ("action", "publish")]).await?;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("schrijf eerst iets"));
    let preview = henk
        .submit_multipart("/nieuw/bericht", "/nieuw/bericht", &[("text", "Dank aan de <b>soepkoks</b>!"), ("action", "preview")])
        .await?;
    assert!(preview.body.contains("Dank aan de &lt;b&gt;soepkoks&lt;/b&gt;!"), "the preview escapes what was typed");
    let posted = henk
        .submit_multipart(
            "/nieuw/bericht",
            "/nieuw/bericht",
            &[("text", "Dank aan de soepkoks! #soep"), ("content_warning", ""), ("visibility", "public"), ("action", "publish")],
        )
        .await?;
    anyhow::ensure!(posted.location.is_some(), "{} {}", posted.status, posted.body);
    let note = post_id_of(posted.location.as_deref())?;
    assert!(anonymous.get(&format!("/bericht/{note}")).await?.body.contains("Dank aan de soepkoks!"));
    Ok(())
}

async fn administrators_set_the_nodes_name_rules_and_sign_up_way(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    node.add_admin("beheerder", &zorg).await?;
    node.add_member("fatima", Some(&zorg)).await?;
    let mut fatima = PageVisitor::new(&node.base_url())?;
    fatima.log_in("fatima", PASSWORD).await?;
    assert_eq!(fatima.get("/beheer/instellingen").await?.status, StatusCode::FORBIDDEN, "coordinators are no administrators");
    assert_eq!(fatima.get("/beheer/federatie").await?.status, StatusCode::FORBIDDEN);

    let mut admin = PageVisitor::new(&node.base_url())?;
    admin.log_in("beheerder", PASSWORD).await?;
    let wrong =
        admin.submit("/beheer/instellingen", "/beheer/instellingen", &[("name", "Bospolder"), ("registrations", "iedereen")]).await?;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("kies een van de manieren van aanmelden") && wrong.body.contains("value=\"Bospolder\""));
    let fields = [
        ("name", "Buurtnet Bospolder"),
        ("description", "Hulp en ontmoeting in Bospolder-Tussendijken."),
        ("rules", "Wees vriendelijk\n\nGeen reclame\n"),
        ("registrations", "approval"),
    ];
    let saved = admin.submit("/beheer/instellingen", "/beheer/instellingen", &fields).await?;
    assert_eq!(saved.location.as_deref(), Some("/beheer/instellingen?gedaan=opgeslagen"));
    let front = PageVisitor::new(&node.base_url())?.get("/").await?.body;
    assert!(front.contains("Welkom bij Buurtnet Bospolder") && front.contains("Hulp en ontmoeting in Bospolder-Tussendijken."));
    let instance: serde_json::Value = reqwest::get(format!("{}/api/v2/instance", node.base_url())).await?.json().await?;
    assert_eq!(instance["title"], "Buurtnet Bospolder");
    assert_eq!(instance["rules"][1]["text"], "Geen reclame");
    assert_eq!(instance["registrations"]["approval_required"], true);
    let signup = PageVisitor::new(&node.base_url())?.get("/aanmelden").await?.body;
    assert!(signup.contains("een coördinator keurt je aanmelding goed"), "the sign-up page follows the setting");
    Ok(())
}

async fn a_picture_needs_a_description_and_keeps_between_preview_and_posting(backend: Backend) -> Result<()> {
    use base64::Engine;
    let node = TestNode::start(backend).await?;
    node.add_member("henk", None).await?;
    let mut henk = PageVisitor::new(&node.base_url())?;
    henk.log_in("henk", PASSWORD).await?;
    let png = base64::engine::general_purpose::STANDARD
        .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")?;
    let csrf = henk.get("/nieuw/bericht").await?.csrf()?;
    let fields = [("csrf", csrf.as_str()), ("text", "De moestuin bloeit"), ("visibility", "public"), ("action", "publish")];
    let refused = henk.post_multipart("/nieuw/bericht", &fields, Some(("image", png.clone()))).await?;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"image-error\">Beschrijf wat er op de foto staat"), "{}", refused.body);
    let media_id = refused.body.split("name=\"media_id\" value=\"").nth(1).and_then(|s| s.split('"').next()).context("kept")?.to_string();
    let not_an_image = henk
        .post_multipart(
            "/nieuw/bericht",
            &[("csrf", &csrf), ("text", "x"), ("image_description", "iets")],
            Some(("image", b"geen foto".to_vec())),
        )
        .await?;
    assert_eq!(not_an_image.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(not_an_image.body.contains("geen afbeelding die we kennen"));
    // A form cut off on its way, or not a form at all, is said in plain words.
    let cut_off = "--grens\r\nContent-Disposition: form-data; name=\"image\"; filename=\"foto.png\"\r\n\r\n\x01\x02";
    for (content_type, body) in [("multipart/form-data; boundary=grens", cut_off), ("text/plain", "foto")] {
        let broken = henk.post_raw("/nieuw/bericht", content_type, body).await?;
        assert!(broken.status.is_client_error(), "{}", broken.status);
        assert!(broken.body.contains("het formulier kwam niet goed aan; probeer het nog eens"), "{}", broken.body);
    }

    let with_words = [
        ("csrf", csrf.as_str()),
        ("text", "De moestuin bloeit"),
        ("visibility", "public"),
        ("media_id", media_id.as_str()),
        ("image_description", "Zonnebloemen langs het hek van de moestuin"),
        ("action", "publish"),
    ];
    let posted = henk.post_multipart("/nieuw/bericht", &with_words, None).await?;
    let id = post_id_of(posted.location.as_deref())?;
    let page = PageVisitor::new(&node.base_url())?.get(&format!("/bericht/{id}")).await?.body;
    assert!(page.contains("alt=\"Zonnebloemen langs het hek van de moestuin\""), "{page}");
    Ok(())
}

async fn a_logged_in_member_lets_an_app_in_without_typing_the_password(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    node.add_member("fatima", None).await?;
    let client = reqwest::Client::new();
    let app: serde_json::Value = client
        .post(format!("{}/api/v1/apps", node.base_url()))
        .json(&serde_json::json!({"client_name": "Tusky", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read write"}))
        .send()
        .await?
        .json()
        .await?;
    let client_id = app["client_id"].as_str().context("client_id")?.to_string();
    let authorize =
        format!("/oauth/authorize?client_id={client_id}&redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob&scope=read&response_type=code");
    let mut fatima = PageVisitor::new(&node.base_url())?;
    assert!(fatima.get(&authorize).await?.body.contains("<label for=\"password\">"), "not logged in: the password is asked");
    fatima.log_in("fatima", PASSWORD).await?;
    let page = fatima.get(&authorize).await?;
    assert!(page.body.contains("Je bent ingelogd als FATIMA") && !page.body.contains("type=\"password\""), "{}", page.body);
    let carried =
        [("client_id", client_id.as_str()), ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"), ("scope", "read"), ("use_session", "1")];
    let mut forged: Vec<(&str, &str)> = carried.to_vec();
    forged.extend([("csrf", "verzonnen"), ("decision", "allow")]);
    assert_eq!(fatima.post(&authorize, &forged).await?.status, StatusCode::FORBIDDEN, "without the session's token nothing is granted");
    let mut allowed: Vec<(&str, &str)> = carried.to_vec();
    allowed.push(("decision", "allow"));
    let answer = fatima.submit(&authorize, "/oauth/authorize", &allowed).await?;
    let code = answer.body.split("<code id=\"code\">").nth(1).and_then(|s| s.split('<').next()).context("a code")?.to_string();
    let token: serde_json::Value = client
        .post(format!("{}/oauth/token", node.base_url()))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", &client_id),
            ("client_secret", app["client_secret"].as_str().unwrap_or_default()),
            ("code", &code),
            ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"),
        ])
        .send()
        .await?
        .json()
        .await?;
    let me: serde_json::Value = client
        .get(format!("{}/api/v1/accounts/verify_credentials", node.base_url()))
        .bearer_auth(token["access_token"].as_str().context("token")?)
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(me["username"], "fatima");
    Ok(())
}

async fn conversations_the_agenda_by_day_and_retrying_a_peer(backend: Backend) -> Result<()> {
    use buurtnet_domain::model::{DEFAULT_TIMEZONE, EventDraft, JoinMode, Place};
    let node = TestNode::start(backend).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    let admin = node.add_admin("fatima", &zorg).await?;
    let henk = node.add_member("henk", None).await?;
    let mut fatima = PageVisitor::new(&node.base_url())?;
    fatima.log_in("fatima", PASSWORD).await?;

    // A conversation: an empty message is explained, a real one arrives.
    let talk = format!("/gesprekken/{}", henk.id);
    let empty = fatima.submit(&talk, &talk, &[("text", "   ")]).await?;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("id=\"text-error\">schrijf eerst iets"));
    let sent = fatima.submit(&talk, &talk, &[("text", "Zullen we donderdag koffie drinken?")]).await?;
    assert_eq!(sent.location, Some(format!("{talk}?gedaan=verstuurd")));
    let mut henk_pages = PageVisitor::new(&node.base_url())?;
    henk_pages.log_in("henk", PASSWORD).await?;
    assert!(henk_pages.get(&format!("/gesprekken/{}", admin.id)).await?.body.contains("Zullen we donderdag koffie drinken?"));
    let mut outsider = PageVisitor::new(&node.base_url())?;
    node.add_member("buurvrouw", None).await?;
    outsider.log_in("buurvrouw", PASSWORD).await?;
    assert!(!outsider.get(&format!("/gesprekken/{}", admin.id)).await?.body.contains("koffie"), "others see none of it");

    // The agenda from a chosen day.
    let state = node.node.as_ref().context("running")?.state();
    let at = |days: i64| {
        let day = (chrono::Utc::now() + chrono::Duration::days(days)).date_naive().and_hms_opt(18, 0, 0).expect("time");
        EventDraft::local_to_utc(day, DEFAULT_TIMEZONE).expect("utc")
    };
    for (title, days) in [("Soep volgende week", 7), ("Soep over een maand", 30)] {
        let draft = EventDraft {
            title: title.into(),
            description: String::new(),
            starts_at: at(days),
            ends_at: None,
            timezone: DEFAULT_TIMEZONE.into(),
            place: Some(Place { name: "Buurthuis".into(), ..Place::default() }),
            online_url: None,
            capacity: None,
            join_mode: JoinMode::Free,
        };
        ops::events::publish(&state.store, &state.urls, &admin, &zorg, &draft, Visibility::Public).await?;
    }
    let later = (chrono::Utc::now() + chrono::Duration::days(20)).format("%Y-%m-%d").to_string();
    let agenda = outsider.get(&format!("/agenda?vanaf={later}")).await?.body;
    assert!(agenda.contains("Soep over een maand") && !agenda.contains("Soep volgende week"), "{agenda}");
    assert!(outsider.get("/agenda").await?.body.contains("Soep volgende week"));

    // The federation page: a peer that cannot be reached, tried again on request.
    buurtnet_tests::harness::add_stand_in_follower(node.store(), "http://localhost:9/users/weg", &zorg).await?;
    let note = ops::posts::PostDraft::plain("Hallo volgers", Visibility::Public, vec![]);
    ops::posts::publish(&state.store, &state.urls, &admin, &zorg, &note).await?;
    state.wake_delivery();
    buurtnet_tests::harness::eventually("the failing peer on the page", || {
        let base = node.base_url();
        async move {
            let mut v = PageVisitor::new(&base)?;
            v.log_in("fatima", PASSWORD).await?;
            let body = v.get("/beheer/federatie").await?.body;
            let failing = body.contains("localhost:9</th><td>lukt nu niet") || body.contains("localhost:9</th><td>onbereikbaar");
            Ok(failing.then_some(()))
        }
    })
    .await?;
    let retried = fatima.submit("/beheer/federatie", "/beheer/federatie/localhost:9/opnieuw", &[]).await?;
    assert_eq!(retried.location.as_deref(), Some("/beheer/federatie?gedaan=opnieuw"));
    assert_eq!(outsider.submit("/", "/beheer/federatie/localhost:9/opnieuw", &[]).await?.status, StatusCode::FORBIDDEN);
    Ok(())
}
