//! Handing an initiative over to another node (issue 17), on SQLite and PostgreSQL: a member
//! chooses on her settings page to move along; the initiative is written to a file on node A
//! (its profile, its need, activity and post, the member who chose to move along and not the
//! one who did not) and taken in on node B, where she logs in with her old password, its page
//! shows the need and the activity, and a follower on a third node hears its next post.
//! Taking it in twice, or from a damaged file, is refused and changes nothing; the choice
//! needs the form's token.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::{Actor, DEFAULT_TIMEZONE, EventDraft, JoinMode, Place, Visibility};
use buurtnet_domain::ops::handing_over;
use buurtnet_domain::ops::initiatives::Details;
use buurtnet_domain::ops::proposals::Audience;
use buurtnet_domain::store::contacts::Contact;
use buurtnet_domain::{ops, store};
use buurtnet_tests::harness::{Backend, PASSWORD, TestNode, eventually, sample_need};
use buurtnet_tests::on_both_backends;
use buurtnet_tests::pages::PageVisitor;
use reqwest::StatusCode;
use std::path::Path;

on_both_backends!(
    an_initiative_moves_with_the_members_who_chose_it_and_federates_from_its_new_place,
    taking_it_in_twice_or_from_a_damaged_file_is_refused_and_changes_nothing,
    the_choice_to_move_along_needs_the_forms_token
);

const NEED: &str = "Boodschappen voor mevrouw Jansen";
const ACTIVITY: &str = "Samen eten in het buurthuis";
const POST: &str = "Soep op zaterdag in de Gaffelstraat";

fn meal() -> EventDraft {
    let starts = chrono::Utc::now() + chrono::Duration::days(10);
    EventDraft {
        title: ACTIVITY.into(),
        description: "Iedereen is welkom.".into(),
        starts_at: starts,
        ends_at: Some(starts + chrono::Duration::hours(2)),
        timezone: DEFAULT_TIMEZONE.into(),
        place: Some(Place { name: "Buurthuis De Ark".into(), address: Some("Gaffelstraat 1".into()), latitude: None, longitude: None }),
        online_url: None,
        capacity: Some(30),
        join_mode: JoinMode::Free,
    }
}

/// Node A with `zorg`: its coordinator `fatima` (who chooses to move along on her settings
/// page), `henk` (who does not), its details, a need, an activity and a post.
async fn initiative_on_a(backend: Backend) -> Result<(TestNode, Actor)> {
    let a = TestNode::start(backend).await?;
    let zorg = a.add_initiative("zorg", false).await?;
    let fatima = a.add_member("fatima", Some(&zorg)).await?;
    a.add_plain_member("henk", &zorg).await?;
    let state = a.node.as_ref().context("running")?.state();
    let details = Details {
        display_name: "Zorg in de buurt".into(),
        description: "Wij helpen elkaar in Delfshaven.".into(),
        contact: Contact { phone: "010-1234567".into(), walk_in_hours: "dinsdag 10-12".into(), ..Contact::default() },
    };
    ops::initiatives::update_details(&state.store, &fatima, &zorg, &details).await?;
    ops::initiatives::set_keep_needs_days(&state.store, &fatima, &zorg, 90).await?;
    let public = Audience { visibility: Some(Visibility::Public), on_behalf_of: None };
    ops::proposals::publish(&state.store, &state.urls, &fatima, &zorg, &sample_need(NEED), &public).await?;
    ops::events::publish(&state.store, &state.urls, &fatima, &zorg, &meal(), Visibility::Public).await?;
    a.publish_as(&fatima, &zorg, POST, Visibility::Public, vec![]).await?;

    let mut visitor = PageVisitor::new(&a.base_url())?;
    visitor.log_in("fatima", PASSWORD).await?;
    let page = visitor.get("/mijn-gegevens").await?;
    assert!(page.body.contains("Verhuis mee als ons initiatief naar een andere plek gaat"), "{}", page.body);
    let chosen = visitor.submit("/mijn-gegevens", "/mijn-gegevens/verhuizen", &[("moves_along", "ja")]).await?;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER);
    assert!(handing_over::moves_along(a.store(), &fatima).await?);
    Ok((a, zorg))
}

/// How many initiatives, accounts and local posts a node holds: what a refused import must
/// leave as it was.
async fn counts(node: &TestNode) -> Result<(i64, i64, i64)> {
    let mut conn = node.store().conn().await?;
    Ok((
        store::actors::count_local(&mut conn, buurtnet_domain::model::ActorKind::Group).await?,
        store::actors::count_accounts(&mut conn).await?,
        store::posts::count_local(&mut conn).await?,
    ))
}

async fn export(a: &TestNode, file: &Path) -> Result<handing_over::export::Exported> {
    buurtnet::handing_over::export_initiative(&a.config, "zorg", file).await
}

async fn an_initiative_moves_with_the_members_who_chose_it_and_federates_from_its_new_place(backend: Backend) -> Result<()> {
    let (a, zorg_on_a) = initiative_on_a(backend).await?;
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("zorg.json");
    let exported = export(&a, &file).await?;
    assert_eq!((exported.members, exported.members_staying), (1, 1), "{exported}");
    assert_eq!((exported.notes, exported.proposals, exported.events), (1, 1, 1), "{exported}");
    assert!(exported.to_string().contains("1 members who chose to move along (1 stay behind)"), "{exported}");
    let written = std::fs::read_to_string(&file)?;
    assert!(written.contains("\"fatima\"") && !written.contains("henk"), "only who chose to move along goes: {written}");

    let b = TestNode::start(backend).await?;
    let imported = buurtnet::handing_over::import_initiative(&b.config, &file).await?;
    assert_eq!(imported.members, vec!["fatima".to_string()], "{imported}");
    assert_eq!((imported.notes, imported.proposals, imported.events), (1, 1, 1), "{imported}");
    assert!(imported.skipped.is_empty(), "{imported}");

    let mut conn = b.store().conn().await?;
    let zorg = store::actors::local_by_username(&mut conn, "zorg").await?.context("zorg on B")?;
    assert!(zorg.ap_id.starts_with(&b.base_url()) && zorg.public_key_pem != zorg_on_a.public_key_pem, "new id and keys: {}", zorg.ap_id);
    assert_eq!(zorg.display_name, "Zorg in de buurt");
    assert!(store::actors::local_by_username(&mut conn, "henk").await?.is_none(), "henk did not choose to move along");
    let contact = ops::initiatives::contact(b.store(), &zorg).await?;
    assert_eq!((contact.phone.as_str(), contact.walk_in_hours.as_str()), ("010-1234567", "dinsdag 10-12"));
    assert_eq!(ops::initiatives::keep_needs_days(b.store(), &zorg).await?, 90);
    let need_on_a = store::posts::public_by_author(&mut a.store().conn().await?, zorg_on_a.id, 10, 0).await?;
    let need_on_b = store::posts::public_by_author(&mut conn, zorg.id, 10, 0).await?;
    let published = |posts: &[buurtnet_domain::model::Post]| posts.iter().map(|p| p.published).collect::<std::collections::BTreeSet<_>>();
    assert_eq!(published(&need_on_a), published(&need_on_b), "the posts keep the time they were first published");
    drop(conn);

    let mut visitor = PageVisitor::new(&b.base_url())?;
    visitor.log_in("fatima", PASSWORD).await?;
    let page = visitor.get("/initiatives/zorg").await?;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(NEED) && page.body.contains(ACTIVITY), "{}", page.body);
    let mut stranger = PageVisitor::new(&b.base_url())?;
    let henk = stranger.submit("/inloggen", "/inloggen", &[("username", "henk"), ("password", PASSWORD)]).await?;
    assert_ne!(henk.status, StatusCode::SEE_OTHER, "henk has no account on B");

    let c = TestNode::start(backend).await?;
    let reader = c.add_member("lezer", None).await?;
    c.follow_and_wait(&reader, &zorg.ap_id).await?;
    let fatima = store::actors::local_by_username(&mut b.store().conn().await?, "fatima").await?.context("fatima on B")?;
    let news = b.publish_as(&fatima, &zorg, "Nieuw adres, dezelfde soep", Visibility::Public, vec![]).await?;
    eventually("the follower on C hears zorg's new post", || async { c.post(&news.ap_id).await }).await?;
    Ok(())
}

async fn taking_it_in_twice_or_from_a_damaged_file_is_refused_and_changes_nothing(backend: Backend) -> Result<()> {
    let (a, _) = initiative_on_a(backend).await?;
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("zorg.json");
    export(&a, &file).await?;
    let b = TestNode::start(backend).await?;
    buurtnet::handing_over::import_initiative(&b.config, &file).await?;
    let before = counts(&b).await?;

    let twice = buurtnet::handing_over::import_initiative(&b.config, &file).await.expect_err("zorg exists on B already");
    assert!(format!("{twice:#}").contains("zorg"), "{twice:#}");
    assert_eq!(counts(&b).await?, before, "a refused import changes nothing");

    let whole = std::fs::read(&file)?;
    let damaged = dir.path().join("kapot.json");
    std::fs::write(&damaged, &whole[..whole.len() / 2])?;
    let fresh = TestNode::start(backend).await?;
    let fresh_before = counts(&fresh).await?;
    let refused = buurtnet::handing_over::import_initiative(&fresh.config, &damaged).await.expect_err("a damaged file");
    assert!(format!("{refused:#}").contains("handover-not-a-file"), "said as a code (the command line words it): {refused:#}");
    assert!(store::actors::local_by_username(&mut fresh.store().conn().await?, "zorg").await?.is_none());
    assert_eq!(counts(&fresh).await?, fresh_before);

    // A member whose name is taken on B is skipped, and said; the initiative still comes.
    let other = dir.path().join("ander.json");
    std::fs::write(&other, String::from_utf8(whole)?.replace("\"username\": \"zorg\"", "\"username\": \"zorg_twee\""))?;
    let again = buurtnet::handing_over::import_initiative(&b.config, &other).await?;
    assert!(again.members.is_empty(), "{again}");
    assert!(again.skipped.iter().any(|s| s.contains("fatima") && s.contains("taken")), "{again}");
    Ok(())
}

async fn the_choice_to_move_along_needs_the_forms_token(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    let henk = node.add_plain_member("henk", &zorg).await?;
    let mut visitor = PageVisitor::new(&node.base_url())?;
    visitor.log_in("henk", PASSWORD).await?;
    let page = visitor.get("/mijn-gegevens").await?;
    assert!(!page.body.contains("name=\"moves_along\" value=\"ja\" checked"), "nobody moves along unless she chose it");

    let forged = visitor.post("/mijn-gegevens/verhuizen", &[("moves_along", "ja")]).await?;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(!handing_over::moves_along(node.store(), &henk).await?, "nothing changed");

    let chosen = visitor.submit("/mijn-gegevens", "/mijn-gegevens/verhuizen", &[("moves_along", "ja")]).await?;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER);
    assert!(handing_over::moves_along(node.store(), &henk).await?);
    let page = visitor.get(chosen.location.as_deref().unwrap_or("/mijn-gegevens")).await?;
    assert!(page.body.contains("Opgeslagen") && page.body.contains("value=\"ja\" checked"), "{}", page.body);

    let undone = visitor.submit("/mijn-gegevens", "/mijn-gegevens/verhuizen", &[]).await?;
    assert_eq!(undone.status, StatusCode::SEE_OTHER);
    assert!(!handing_over::moves_along(node.store(), &henk).await?, "no tick: she stays");
    Ok(())
}
