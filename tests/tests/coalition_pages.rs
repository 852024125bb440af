//! The coalition pages (issue 6) over HTTP, on SQLite and PostgreSQL: founding and applying
//! from the coordinators' page, sponsoring on the coalition's page, the admitted member's
//! node showing its own replica with both members, leaving; and the error paths: mistakes in
//! forms explained with what was typed kept, rule refusals in plain words, visitors and
//! members who coordinate nothing seeing the page but acting on nothing, forged forms.

use anyhow::{Context as _, Result};
use buurtnet_domain::ops::coalitions;
use buurtnet_tests::harness::{Backend, TestNode, eventually};
use buurtnet_tests::on_both_backends;
use buurtnet_tests::pages::PageVisitor;
use reqwest::StatusCode;

on_both_backends!(a_coalition_is_founded_joined_and_left_through_the_pages, the_forms_explain_mistakes_and_refuse_outsiders);

const PASSWORD: &str = "geheim-wachtwoord";

/// A node that runs anti-entropy every second, so that scenarios need not wait minutes.
async fn quick_syncing_node(backend: Backend) -> Result<TestNode> {
    TestNode::start_with(backend, |config| config.federation.coalition_sync_secs = 1).await
}

/// The id of the first proposal a page offers to act on.
fn first_proposal(body: &str) -> Result<String> {
    let start = body.find("name=\"proposal\" value=\"").context("a proposal to act on")? + 23;
    Ok(body[start..].split('"').next().unwrap_or_default().to_string())
}

/// Whether a page carries any of the coordinators' forms (they live on the agreements page).
fn has_action_forms(body: &str) -> bool {
    ["/voorstellen\"", "/toelating\"", "/afspraken\"", "/verlaten\""]
        .iter()
        .any(|a| body.contains(&format!("action=\"/coalitie/delfshaven{a}")))
}

async fn a_coalition_is_founded_joined_and_left_through_the_pages(backend: Backend) -> Result<()> {
    let (a, b) = (quick_syncing_node(backend).await?, quick_syncing_node(backend).await?);
    let zorg = a.add_initiative("zorg", false).await?;
    a.add_member("fatima", Some(&zorg)).await?;
    a.add_member("henk", None).await?;
    let paleis = b.add_initiative("paleis", false).await?;
    b.add_member("kees", Some(&paleis)).await?;

    // Fatima founds the coalition from the coordinators' page (no objection period, so that
    // the test need not wait a week).
    let mut fatima = PageVisitor::new(&a.base_url())?;
    fatima.log_in("fatima", PASSWORD).await?;
    let charter = [
        ("initiative", "zorg"),
        ("name", "Welzijnscoalitie Delfshaven"),
        ("description", "Samen zorgen in Delfshaven"),
        ("sponsors_needed", "1"),
        ("objection_days", "0"),
        ("slug", "delfshaven"),
    ];
    let founded = fatima.submit("/coordinatie", "/coordinatie/coalities", &charter).await?;
    assert_eq!(founded.status, StatusCode::SEE_OTHER, "{}", founded.body);
    assert_eq!(founded.location.as_deref(), Some("/coalitie/delfshaven?gedaan=coalitie-opgericht"));
    let page = fatima.get("/coalitie/delfshaven?gedaan=coalitie-opgericht").await?;
    for shown in [
        "Welzijnscoalitie Delfshaven",
        "Samen zorgen in Delfshaven",
        "De coalitie is opgericht",
        "Leden (1 initiatief)",
        "Initiatief zorg",
        "Deze coalitie staat nog alleen op deze website.",
    ] {
        assert!(page.body.contains(shown), "the page shows {shown:?}");
    }
    let agreements = fatima.get("/coalitie/delfshaven/afspraken").await?;
    for shown in
        ["Nieuwe leden: 1 initiatief moet voorstellen of steunen en niemand maakt bezwaar", "meer dan de helft van de leden stemt voor"]
    {
        assert!(agreements.body.contains(shown), "the agreements show {shown:?}");
    }
    assert!(page.body.contains("href=\"/initiatives/zorg\""), "a local member links to its profile");
    let coordinate = fatima.get("/coordinatie").await?;
    assert!(coordinate.body.contains("href=\"/coalitie/delfshaven\""), "the coordinators' page lists it");
    let list = PageVisitor::new(&a.base_url())?.get("/coalities").await?;
    assert!(list.body.contains("Welzijnscoalitie Delfshaven") && list.body.contains("1 initiatief doet mee"), "{}", list.body);
    assert!(list.body.contains("href=\"/coalities\""), "the navigation links the list");

    // Kees applies for Paleis with the address of Zorg's replica and lands on its page.
    let mut kees = PageVisitor::new(&b.base_url())?;
    kees.log_in("kees", PASSWORD).await?;
    let replica_a = format!("{}/coalitions/delfshaven", a.base_url());
    let applied =
        kees.submit("/coordinatie", "/coordinatie/coalities/aansluiten", &[("initiative", "paleis"), ("replica", &replica_a)]).await?;
    assert_eq!(applied.status, StatusCode::SEE_OTHER, "{}", applied.body);
    assert_eq!(applied.location, Some(format!("{}/coalitie/delfshaven", a.base_url())));
    let waiting = kees.get("/coordinatie").await?;
    assert!(waiting.body.contains("Welzijnscoalitie Delfshaven") && waiting.body.contains("Wacht op steun: 0 van de 1 nodig."));

    // On Zorg's agreements the application shows; Fatima sponsors it; the admission follows.
    eventually("the application reaches Zorg's replica", || async {
        let mut coordinator = PageVisitor::new(&a.base_url())?;
        coordinator.log_in("fatima", PASSWORD).await?;
        let page = coordinator.get("/coalitie/delfshaven/afspraken").await?;
        Ok(page.body.contains("Nieuw lid: Initiatief paleis").then_some(()))
    })
    .await?;
    let page = PageVisitor::new(&a.base_url())?.get("/coalitie/delfshaven").await?;
    assert!(!has_action_forms(&page.body), "a visitor who is not logged in sees no forms");
    // The replica's address (what Mastodon shows as the group's profile) leads a browser to
    // the page, and gives servers the actor.
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let replica = format!("{}/coalitions/delfshaven", a.base_url());
    let browser = client.get(&replica).header("accept", "text/html,application/xhtml+xml,*/*;q=0.8").send().await?;
    assert_eq!(browser.status(), StatusCode::SEE_OTHER);
    assert_eq!(browser.headers()["location"], format!("{}/coalitie/delfshaven", a.base_url()).as_str());
    let server = client.get(&replica).header("accept", "application/activity+json").send().await?;
    assert_eq!(server.status(), StatusCode::OK);
    assert_eq!(server.json::<serde_json::Value>().await?["type"], "Group");
    // Anyone can follow the coalition: from Mastodon by its handle, or here with a button.
    let handle = format!("@delfshaven@{}", a.base_url().trim_start_matches("http://"));
    assert!(page.body.contains(&format!("<code>{handle}</code>")), "{}", page.body);
    let mut henk = PageVisitor::new(&a.base_url())?;
    henk.log_in("henk", PASSWORD).await?;
    let before = henk.get("/coalitie/delfshaven").await?;
    let follow_action = before
        .body
        .split("action=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|action| action.starts_with("/actor/") && action.ends_with("/volgen"))
        .context("a follow button on the coalition's page")?
        .to_string();
    let followed = henk.submit("/coalitie/delfshaven", &follow_action, &[("as", "self"), ("action", "follow")]).await?;
    assert_eq!(followed.location.as_deref(), Some("/coalitie/delfshaven?gedaan=gevolgd"), "{}", followed.body);
    assert!(henk.get("/coalitie/delfshaven").await?.body.contains("Niet meer volgen"), "henk follows the coalition now");
    let proposal = first_proposal(&fatima.get("/coalitie/delfshaven/afspraken").await?.body)?;
    let sponsored = fatima
        .submit(
            "/coalitie/delfshaven/afspraken",
            "/coalitie/delfshaven/voorstellen",
            &[("as", "zorg"), ("proposal", &proposal), ("choice", "sponsor")],
        )
        .await?;
    assert_eq!(sponsored.status, StatusCode::SEE_OTHER, "{}", sponsored.body);
    let page = fatima.get(sponsored.location.as_deref().context("back to the page")?).await?;
    assert!(page.body.contains("Je steun is doorgegeven."));
    assert!(page.body.contains("Genoeg steun en geen bezwaar"), "sponsored, unopposed, period over");
    assert_eq!(buurtnet_federation::coalitions::acting(&a.node.as_ref().context("a")?.context()).admit_due().await?, 1);

    // Paleis's node hosts a replica; its page lists both members, Zorg by name.
    let page = eventually("Paleis's node shows its own replica with both members", || async {
        let page = PageVisitor::new(&b.base_url())?.get("/coalitie/delfshaven").await?;
        Ok((page.status == StatusCode::OK && page.body.contains("Leden (2 initiatieven)")).then_some(page))
    })
    .await?;
    assert!(page.body.contains("Initiatief zorg") && page.body.contains("Initiatief paleis"), "{}", page.body);
    assert!(page.body.contains(&format!("href=\"{}/coalitie/delfshaven\"", a.base_url())), "the other replica is linked");
    eventually("Zorg's page links Paleis's replica", || async {
        let page = PageVisitor::new(&a.base_url())?.get("/coalitie/delfshaven").await?;
        Ok(page.body.contains(&format!("href=\"{}/coalitie/delfshaven\"", b.base_url())).then_some(()))
    })
    .await?;

    // Kees leaves (after ticking that he knows it cannot be undone); both pages show it.
    let unconfirmed = kees.submit("/coalitie/delfshaven/afspraken", "/coalitie/delfshaven/verlaten", &[("as", "paleis")]).await?;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unconfirmed.body.contains("Zet eerst een vinkje"));
    let left =
        kees.submit("/coalitie/delfshaven/afspraken", "/coalitie/delfshaven/verlaten", &[("as", "paleis"), ("confirm", "ja")]).await?;
    assert_eq!(left.status, StatusCode::SEE_OTHER, "{}", left.body);
    let page = kees.get(left.location.as_deref().context("back")?).await?;
    assert!(page.body.contains("Jullie initiatief heeft de coalitie verlaten.") && page.body.contains("Leden (1 initiatief)"));
    assert!(!has_action_forms(&page.body), "no longer a member: nothing to act on");
    eventually("Zorg's page shows Paleis left", || async {
        let page = PageVisitor::new(&a.base_url())?.get("/coalitie/delfshaven").await?;
        Ok(page.body.contains("Leden (1 initiatief)").then_some(()))
    })
    .await?;
    Ok(())
}

async fn the_forms_explain_mistakes_and_refuse_outsiders(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    let buren_initiative = node.add_initiative("buren", false).await?;
    node.add_member("fatima", Some(&zorg)).await?;
    node.add_member("henk", None).await?;
    node.add_member("els", Some(&buren_initiative)).await?;
    let mut fatima = PageVisitor::new(&node.base_url())?;
    fatima.log_in("fatima", PASSWORD).await?;

    // Mistakes are explained next to the fields; what was typed stays.
    let mut typed = vec![
        ("initiative", "zorg"),
        ("name", " "),
        ("description", "Samen zorgen"),
        ("sponsors_needed", "twee"),
        ("objection_days", "7"),
        ("slug", "delfshaven"),
    ];
    let wrong = fatima.submit("/coordinatie", "/coordinatie/coalities", &typed).await?;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    for shown in ["Geef de coalitie een naam.", "Vul een getal in", ">Samen zorgen</textarea>", "value=\"twee\"", "value=\"delfshaven\""] {
        assert!(wrong.body.contains(shown), "the page shows {shown:?}");
    }
    typed[1].1 = "Welzijnscoalitie Delfshaven";
    typed[3].1 = "1";
    let founded = fatima.submit("/coordinatie", "/coordinatie/coalities", &typed).await?;
    assert_eq!(founded.status, StatusCode::SEE_OTHER, "{}", founded.body);
    typed[1].1 = "Tweede coalitie";
    let taken = fatima.submit("/coordinatie", "/coordinatie/coalities", &typed).await?;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.body.contains("Die korte naam is hier al in gebruik") && taken.body.contains("value=\"Tweede coalitie\""));
    let bad_address = fatima.submit("/coordinatie", "/coordinatie/coalities/aansluiten", &[("replica", "")]).await?;
    assert!(bad_address.body.contains("Vul het adres van de coalitie in."));
    let coalition = coalitions::replica(node.store(), "delfshaven").await?.context("hosted")?;
    assert_eq!(coalitions::held(node.store()).await?.len(), 1, "only one coalition was founded");

    let page = fatima.get("/coalitie/delfshaven/afspraken").await?;
    assert!(page.body.contains("niemand maakt binnen 7 dagen bezwaar"), "the rules in plain words");
    assert_eq!(fatima.get("/coalitie/bestaatniet").await?.status, StatusCode::NOT_FOUND);

    // Proposing an admission: an address with nobody behind it, then Buren.
    let nobody = format!("{}/initiatives/bestaatniet", node.base_url());
    let wrong = fatima.submit("/coalitie/delfshaven/afspraken", "/coalitie/delfshaven/toelating", &[("candidate", &nobody)]).await?;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Op dat adres vonden we geen initiatief") && wrong.body.contains(&format!("value=\"{nobody}\"")));
    let buren = format!("{}/initiatives/buren", node.base_url());
    let proposed = fatima.submit("/coalitie/delfshaven/afspraken", "/coalitie/delfshaven/toelating", &[("candidate", &buren)]).await?;
    assert_eq!(proposed.status, StatusCode::SEE_OTHER, "{}", proposed.body);
    let page = fatima.get("/coalitie/delfshaven/afspraken").await?;
    assert!(page.body.contains("Nieuw lid: Initiatief buren") && page.body.contains("Bezwaar maken kan tot"), "{}", page.body);
    let proposal = first_proposal(&page.body)?;
    let unchanged = || async { coalitions::state(node.store(), &coalition).await.map(|s| s.proposals[&proposal].objections.is_empty()) };

    // A forged form (no token), a visitor and a member who coordinates nothing change nothing.
    let forged = fatima.post("/coalitie/delfshaven/voorstellen", &[("proposal", &proposal), ("choice", "object")]).await?;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let mut visitor = PageVisitor::new(&node.base_url())?;
    let public = visitor.get("/coalitie/delfshaven").await?;
    assert!(!public.body.contains("Nieuw lid: Initiatief buren") && !has_action_forms(&public.body), "proposals are for coordinators");
    let anonymous = visitor.post("/coalitie/delfshaven/voorstellen", &[("proposal", &proposal), ("choice", "object")]).await?;
    assert!(anonymous.location.is_some_and(|l| l.starts_with("/inloggen")), "visitors are asked to log in");
    let mut henk = PageVisitor::new(&node.base_url())?;
    henk.log_in("henk", PASSWORD).await?;
    let seen = henk.get("/coalitie/delfshaven").await?;
    assert!(!has_action_forms(&seen.body) && !seen.body.contains("/afspraken\""), "no forms and no way to the agreements");
    assert_eq!(henk.get("/coalitie/delfshaven/afspraken").await?.status, StatusCode::FORBIDDEN);
    let refused =
        henk.submit("/coalitie/delfshaven", "/coalitie/delfshaven/voorstellen", &[("proposal", &proposal), ("choice", "object")]).await?;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(unchanged().await?, "no objection was recorded");

    // Proposed by a member, the admission is an invitation: Buren's coordinator answers it on
    // the coordinators' page; a coordinator of another initiative cannot answer for Buren.
    let answer = [("initiative", "buren"), ("coalition", coalition.as_str()), ("proposal", proposal.as_str()), ("answer", "yes")];
    let not_hers = fatima.submit("/coordinatie", "/coordinatie/coalities/uitnodiging", &answer).await?;
    assert_eq!(not_hers.status, StatusCode::FORBIDDEN);
    let mut els = PageVisitor::new(&node.base_url())?;
    els.log_in("els", PASSWORD).await?;
    let invited = els.get("/coordinatie").await?;
    assert!(invited.body.contains("Jullie initiatief is uitgenodigd om lid te worden"), "{}", invited.body);
    let answered = els.submit("/coordinatie", "/coordinatie/coalities/uitnodiging", &answer).await?;
    assert_eq!(answered.location.as_deref(), Some("/coordinatie?gedaan=uitnodiging-aangenomen"), "{}", answered.body);
    assert!(coalitions::state(node.store(), &coalition).await?.proposals[&proposal].approvals.contains(&buren_initiative.ap_id));
    assert!(!els.get("/coordinatie").await?.body.contains("Jullie initiatief is uitgenodigd"), "answered once");

    // A rule refusal in plain words; then a real objection.
    let vote = fatima
        .submit("/coalitie/delfshaven/afspraken", "/coalitie/delfshaven/voorstellen", &[("proposal", &proposal), ("choice", "for")])
        .await?;
    assert_eq!(vote.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        vote.body.contains("Over een nieuw lid stem je niet: je kunt het steunen of er bezwaar tegen maken."),
        "the rule that was broken, in plain words: admissions are not voted on"
    );
    let objected = fatima
        .submit("/coalitie/delfshaven/afspraken", "/coalitie/delfshaven/voorstellen", &[("proposal", &proposal), ("choice", "object")])
        .await?;
    assert_eq!(objected.status, StatusCode::SEE_OTHER);
    let page = fatima.get("/coalitie/delfshaven/afspraken").await?;
    assert!(page.body.contains("Er is bezwaar gemaakt: niet toegelaten."));
    assert!(!unchanged().await?);

    // A charter change: a mistake kept as typed, then passed by the only member's own vote.
    let change = [("name", ""), ("description", "Zorg in de hele wijk"), ("sponsors_needed", "1"), ("objection_days", "3")];
    let wrong = fatima.submit("/coalitie/delfshaven/afspraken", "/coalitie/delfshaven/afspraken", &change).await?;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Geef de coalitie een naam.") && wrong.body.contains(">Zorg in de hele wijk</textarea>"));
    let mut change = vec![
        ("name", "Zorgcoalitie Delfshaven"),
        ("description", "Zorg in de hele wijk"),
        ("sponsors_needed", "1"),
        ("objection_days", "3"),
        ("removal_percent", "40"),
        ("change_percent", "50"),
    ];
    let too_low = fatima.submit("/coalitie/delfshaven/afspraken", "/coalitie/delfshaven/afspraken", &change).await?;
    assert_eq!(too_low.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_low.body.contains("Vul een deel in van 50") && too_low.body.contains("value=\"40\""), "a share under half is explained");
    change[4].1 = "67";
    let passed = fatima.submit("/coalitie/delfshaven/afspraken", "/coalitie/delfshaven/afspraken", &change).await?;
    assert_eq!(passed.status, StatusCode::SEE_OTHER, "{}", passed.body);
    assert!(fatima.get("/coalitie/delfshaven").await?.body.contains("<h1>Zorgcoalitie Delfshaven</h1>"), "the new name");
    let page = fatima.get("/coalitie/delfshaven/afspraken").await?;
    assert!(page.body.contains("niemand maakt binnen 3 dagen bezwaar"));
    assert!(page.body.contains("Een lid verwijderen: meer dan 67% van de leden stemt voor."), "the stricter rule in words");
    Ok(())
}
