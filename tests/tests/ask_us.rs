//! "Vraag het ons" and an initiative's contact details (issue 13, asking without shame), over
//! HTTP on SQLite and PostgreSQL: a visitor without an account asks, only the initiative's
//! coordinators read it (and are told), it becomes a need on the asker's behalf whose
//! resident stays on the node, nothing of the asker shows anywhere public; abuse is refused
//! (a wrong sum, links, the honeypot, too many from one address); coordinators set how to
//! reach them and make members coordinators, nobody else can.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::Actor;
use buurtnet_domain::ops::actors::{ROLE_COORDINATOR, ROLE_MEMBER};
use buurtnet_domain::{ops, store};
use buurtnet_tests::harness::{Backend, TestNode, get_signed_text};
use buurtnet_tests::on_both_backends;
use buurtnet_tests::pages::{Answer, PageVisitor};
use reqwest::StatusCode;

on_both_backends!(
    a_visitor_asks_only_the_coordinators_read_it_and_it_becomes_a_need,
    abuse_is_refused_with_a_clear_message_and_nothing_kept,
    coordinators_set_how_to_reach_them_and_visitors_find_it,
    only_a_coordinator_makes_a_member_coordinator,
    coordinators_choose_how_long_closed_needs_are_kept
);

const PASSWORD: &str = "geheim-wachtwoord";
const ASKER: &str = "Truus de Vries";
const ASKER_PHONE: &str = "06-98765432";
const QUESTION: &str = "Ik kan mijn boodschappen niet meer zelf dragen. Wie helpt mij?";

async fn logged_in(node: &TestNode, username: &str) -> Result<PageVisitor> {
    let mut visitor = PageVisitor::new(&node.base_url())?;
    visitor.log_in(username, PASSWORD).await?;
    Ok(visitor)
}

/// The form's token and the answer to its sum, read from the page as a person would.
fn token_and_answer(page: &Answer) -> Result<(String, String)> {
    let start = page.body.find("name=\"token\" value=\"").context("the form has a sum token")? + 20;
    let token = page.body[start..].split('"').next().unwrap_or_default().to_string();
    let sum = page.body.split("Hoeveel is ").nth(1).context("the form asks a sum")?;
    let (left, rest) = sum.split_once(" plus ").context("a sum")?;
    let right = rest.split('?').next().unwrap_or_default();
    Ok((token, (left.trim().parse::<u32>()? + right.trim().parse::<u32>()?).to_string()))
}

/// Opens the initiative's page and sends its "Vraag het ons" form; `answer` `None` answers
/// the sum right.
async fn ask(visitor: &mut PageVisitor, initiative: &str, fields: &[(&str, &str)], answer: Option<&str>) -> Result<Answer> {
    let page = visitor.get(&format!("/initiatives/{initiative}")).await?;
    assert_eq!(page.status, StatusCode::OK);
    let (token, right) = token_and_answer(&page)?;
    let csrf = page.csrf()?;
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    form.extend([("csrf", csrf.as_str()), ("token", token.as_str()), ("answer", answer.unwrap_or(&right))]);
    visitor.post(&format!("/initiatives/{initiative}/vraag-het-ons"), &form).await
}

fn the_question() -> [(&'static str, &'static str); 3] {
    [("name", ASKER), ("contact", ASKER_PHONE), ("question", QUESTION)]
}

async fn stored_questions(node: &TestNode, initiative: &Actor) -> Result<Vec<store::questions::Question>> {
    Ok(store::questions::recent(&mut node.store().conn().await?, initiative.id, 100).await?)
}

async fn a_visitor_asks_only_the_coordinators_read_it_and_it_becomes_a_need(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    let buurt = node.add_initiative("buurt", false).await?;
    let fatima = node.add_member("fatima", Some(&zorg)).await?;
    node.add_plain_member("henk", &zorg).await?;
    node.add_member("kees", Some(&buurt)).await?;

    let mut visitor = PageVisitor::new(&node.base_url())?;
    let page = visitor.get("/initiatives/zorg").await?;
    assert!(page.body.contains("<h2 id=\"ask-heading\">Vraag het ons</h2>"), "the form is on the initiative's page");
    let thanks = ask(&mut visitor, "zorg", &the_question(), None).await?;
    assert_eq!(thanks.status, StatusCode::OK, "{}", thanks.body);
    assert!(thanks.body.contains("Je vraag is verstuurd"));
    assert!(thanks.body.contains("Een coördinator van Initiatief zorg neemt contact met je op via:"), "who gets back");
    assert!(thanks.body.contains(ASKER_PHONE), "and how");
    let questions = stored_questions(&node, &zorg).await?;
    assert_eq!(questions.len(), 1);
    let id = questions[0].id;

    // The coordinator reads it and was told; nobody else reads it.
    let mut coordinator = logged_in(&node, "fatima").await?;
    let desk = coordinator.get("/coordinatie").await?;
    for shown in [ASKER, ASKER_PHONE, "Ik kan mijn boodschappen niet meer zelf dragen.", "Recente vragen"] {
        assert!(desk.body.contains(shown), "the coordinator sees {shown:?}");
    }
    let notices = store::notifications::for_recipient(&mut node.store().conn().await?, fatima.id, 10).await?;
    assert!(notices.iter().any(|n| n.kind == "question"), "the coordinator is notified");
    let notice_page = coordinator.get("/meldingen").await?;
    assert!(notice_page.body.contains("Er is een nieuwe vraag voor Initiatief zorg."));
    assert!(!notice_page.body.contains(ASKER), "a notification does not name the asker");

    let mut henk = logged_in(&node, "henk").await?;
    let refused = henk.get("/coordinatie").await?;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "a member who does not coordinate");
    assert!(!refused.body.contains(ASKER));
    assert_eq!(henk.get(&format!("/nieuw/hulpvraag?vraag={id}")).await?.status, StatusCode::FORBIDDEN);
    assert!(!henk.get("/meldingen").await?.body.contains("nieuwe vraag"));
    let mut kees = logged_in(&node, "kees").await?;
    assert!(!kees.get("/coordinatie").await?.body.contains(ASKER), "a coordinator of another initiative");
    assert_eq!(kees.get(&format!("/nieuw/hulpvraag?vraag={id}")).await?.status, StatusCode::FORBIDDEN);
    let outside = visitor.get("/coordinatie").await?;
    assert_eq!(outside.status, StatusCode::SEE_OTHER, "a visitor is asked to log in");

    // One click opens the need form filled in; publishing records the resident and handles it.
    let form = coordinator.get(&format!("/nieuw/hulpvraag?vraag={id}")).await?;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(&format!("name=\"resident\" value=\"{ASKER}\"")), "the asker as resident");
    assert!(form.body.contains(&format!(">{QUESTION}</textarea>")), "the question as description");
    assert!(form.body.contains(&format!("name=\"question\" value=\"{id}\"")));
    assert!(form.body.contains("name=\"author\" value=\"zorg\" checked"), "the initiative as author: {}", form.body);
    assert!(form.body.contains("id=\"title\" name=\"title\" value=\"\""), "the title is left to the coordinator");
    let question_id = id.to_string();
    let publish = [
        ("author", "zorg"),
        ("resident", ASKER),
        ("title", "Wie draagt de boodschappen?"),
        ("description", QUESTION),
        ("category", "boodschappen"),
        ("when", "flexible"),
        ("visibility", "public"),
        ("question", question_id.as_str()),
        ("action", "publish"),
    ];
    let posted = coordinator.submit(&format!("/nieuw/hulpvraag?vraag={id}"), "/nieuw/hulpvraag", &publish).await?;
    let location = posted.location.context("redirected to the new need")?;
    let need_id: i64 = location.trim_start_matches("/bericht/").split('?').next().unwrap_or_default().parse()?;
    let mut conn = node.store().conn().await?;
    assert_eq!(store::posts::by_id(&mut conn, need_id).await?.author_id, zorg.id);
    assert_eq!(store::proposals::resident(&mut conn, need_id).await?.as_deref(), Some(ASKER));
    let handled = store::questions::by_id(&mut conn, id).await?.context("kept")?;
    assert_eq!((handled.handled_by, handled.need_post_id), (Some(fatima.id), Some(need_id)), "handled by publishing");
    drop(conn);
    assert!(coordinator.get("/coordinatie").await?.body.contains("Afgehandeld door FATIMA"));

    // Nothing of the asker anywhere public: pages, feeds, the API, ActivityPub.
    let base = node.base_url();
    let base = base.trim_end_matches('/');
    let mut public = Vec::new();
    for path in
        ["/", "/hulp", "/initiatives/zorg", "/vraag-het-ons", &format!("/bericht/{need_id}"), "/feed.atom", "/initiatives/zorg/feed.rss"]
    {
        public.push((path.to_string(), visitor.get(path).await?.body));
    }
    public.push(("timeline".into(), reqwest::get(format!("{base}/api/v1/timelines/public")).await?.text().await?));
    for path in ["/initiatives/zorg", "/initiatives/zorg/outbox", "/initiatives/zorg/outbox?page=1", &format!("/notes/{need_id}")] {
        let (status, body) = get_signed_text(&format!("{base}{path}"), None).await?;
        assert_eq!(status, 200, "{path}: {body}");
        public.push((path.to_string(), body));
    }
    assert!(public.iter().any(|(_, body)| body.contains("Wie draagt de boodschappen?")), "the need itself is public");
    for (path, body) in &public {
        assert!(!body.contains("Truus") && !body.contains("98765432"), "{path} shows the asker: {body}");
    }
    Ok(())
}

async fn abuse_is_refused_with_a_clear_message_and_nothing_kept(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    node.add_member("fatima", Some(&zorg)).await?;
    let mut visitor = PageVisitor::new(&node.base_url())?;

    let csrf = visitor.get("/initiatives/zorg").await?.csrf()?;
    let forged = visitor.post_from("/initiatives/zorg/vraag-het-ons", &[("csrf", &csrf), ("name", "x")], "https://evil.example").await?;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "a form from elsewhere");

    let wrong = ask(&mut visitor, "zorg", &the_question(), Some("99")).await?;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("id=\"answer-error\">Dat antwoord klopt niet."), "{}", wrong.body);
    assert!(wrong.body.contains(&format!(">{QUESTION}</textarea>")), "what was typed is kept");
    assert!(wrong.body.contains("Hoeveel is "), "a new sum is asked");

    let spam = [("name", "Piet"), ("contact", "piet@example.org"), ("question", "Goedkope pillen op WWW.pillen.example")];
    let linked = ask(&mut visitor, "zorg", &spam, None).await?;
    assert_eq!(linked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(linked.body.contains("id=\"question-error\">Zet er geen internetadressen in."), "{}", linked.body);

    let mut robot: Vec<(&str, &str)> = the_question().to_vec();
    robot.push(("website", "https://spam.example"));
    let trapped = ask(&mut visitor, "zorg", &robot, None).await?;
    assert_eq!(trapped.status, StatusCode::OK, "a robot is thanked");
    assert!(stored_questions(&node, &zorg).await?.is_empty(), "and nothing of it is kept");

    let empty = ask(&mut visitor, "zorg", &[("name", ASKER)], None).await?;
    assert!(empty.body.contains("id=\"question-error\">Vul dit in."), "{}", empty.body);
    assert!(stored_questions(&node, &zorg).await?.is_empty(), "nothing refused was kept");

    assert_eq!(ask(&mut visitor, "zorg", &the_question(), None).await?.status, StatusCode::OK, "the fifth this hour");
    let sixth = ask(&mut visitor, "zorg", &the_question(), None).await?;
    assert_eq!(sixth.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(sixth.body.contains("Probeer het over een uur nog eens, of bel ons."));
    assert_eq!(stored_questions(&node, &zorg).await?.len(), 1, "only the one good question");
    Ok(())
}

async fn coordinators_set_how_to_reach_them_and_visitors_find_it(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    let buurt = node.add_initiative("buurt", false).await?;
    node.add_member("fatima", Some(&zorg)).await?;
    node.add_plain_member("henk", &zorg).await?;
    node.add_member("kees", Some(&buurt)).await?;
    let details = [
        ("display_name", "Zorg in de Wijk"),
        ("description", "Buren helpen buren in Delfshaven."),
        ("phone", "010 - 123 45 67"),
        ("address", "Buurthuis De Pijp\nPiet Heynsplein 1"),
        ("walk_in_hours", "dinsdag 10–12 uur"),
        ("contact_text", "Bel gerust, we bellen terug."),
    ];

    let mut coordinator = logged_in(&node, "fatima").await?;
    assert!(coordinator.get("/coordinatie").await?.body.contains("href=\"/coordinatie/initiatief/zorg\""));
    let bad: Vec<(&str, &str)> = details.iter().map(|&(k, v)| if k == "phone" { (k, "<b>bel</b>") } else { (k, v) }).collect();
    let refused = coordinator.submit("/coordinatie/initiatief/zorg", "/coordinatie/initiatief/zorg", &bad).await?;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"phone-error\">alleen cijfers"), "{}", refused.body);
    assert!(refused.body.contains("value=\"&#60;b&#62;bel&#60;/b&#62;\""), "kept, escaped");
    assert_eq!(store::contacts::of(&mut node.store().conn().await?, zorg.id).await?, None, "nothing changed");

    for (who, username) in [("a member who does not coordinate", "henk"), ("a coordinator of another initiative", "kees")] {
        let mut other = logged_in(&node, username).await?;
        let csrf = other.get("/").await?.csrf()?;
        assert_eq!(other.get("/coordinatie/initiatief/zorg").await?.status, StatusCode::FORBIDDEN, "{who}");
        let mut form: Vec<(&str, &str)> = details.to_vec();
        form.push(("csrf", &csrf));
        assert_eq!(other.post("/coordinatie/initiatief/zorg", &form).await?.status, StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(store::contacts::of(&mut node.store().conn().await?, zorg.id).await?, None, "nothing changed");
    assert_eq!(store::actors::by_id(&mut node.store().conn().await?, zorg.id).await?.display_name, "Initiatief zorg");

    let saved = coordinator.submit("/coordinatie/initiatief/zorg", "/coordinatie/initiatief/zorg", &details).await?;
    assert_eq!(saved.location.as_deref(), Some("/initiatives/zorg?gedaan=gegevens"), "{}", saved.body);

    let mut visitor = PageVisitor::new(&node.base_url())?;
    let page = visitor.get("/initiatives/zorg").await?;
    for shown in [
        "<h1>Zorg in de Wijk</h1>",
        "Buren helpen buren in Delfshaven.",
        "Zo bereik je ons",
        "<a href=\"tel:0101234567\">010 - 123 45 67</a>",
        "Buurthuis De Pijp\nPiet Heynsplein 1",
        "dinsdag 10–12 uur",
        "Bel gerust, we bellen terug.",
    ] {
        assert!(page.body.contains(shown), "a visitor sees {shown:?}");
    }
    assert!(!page.body.contains("/coordinatie/initiatief/zorg"), "no edit link for a visitor");
    let choose = visitor.get("/vraag-het-ons").await?;
    assert!(choose.body.contains("Zorg in de Wijk") && choose.body.contains("dinsdag 10–12 uur"), "the way in lists it");
    assert!(choose.body.contains("href=\"/initiatives/zorg#vraag-het-ons\""));
    assert!(choose.body.contains("Je hebt geen account nodig om hulp te vragen."));

    // "Ik zoek hulp" takes a visitor there, not to a login; sign-up says where a code comes from.
    let front = visitor.get("/").await?;
    assert!(front.body.contains("<a class=\"button\" href=\"/vraag-het-ons\">Ik zoek hulp</a>"), "{}", front.body);
    let signup = visitor.get("/aanmelden").await?;
    assert!(signup.body.contains("Een coördinator van een initiatief bij jou in de buurt geeft je de code."));
    assert!(signup.body.contains("<a href=\"/vraag-het-ons\">Stel je vraag aan een initiatief.</a>"));
    let member_front = coordinator.get("/").await?;
    assert!(member_front.body.contains("<a class=\"button\" href=\"/nieuw/hulpvraag\">Ik zoek hulp</a>"), "members post themselves");
    Ok(())
}

async fn only_a_coordinator_makes_a_member_coordinator(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    let buurt = node.add_initiative("buurt", false).await?;
    node.add_member("fatima", Some(&zorg)).await?;
    let henk = node.add_plain_member("henk", &zorg).await?;
    let piet = node.add_plain_member("piet", &zorg).await?;
    let kees = node.add_member("kees", Some(&buurt)).await?;
    let role_of = async |member: &Actor| -> Result<Option<String>> {
        Ok(store::actors::initiative_role(&mut node.store().conn().await?, zorg.id, member.id).await?)
    };
    let piet_path = format!("/coordinatie/leden/{}/coordinator", piet.id);

    let mut henk_visitor = logged_in(&node, "henk").await?;
    let csrf = henk_visitor.get("/").await?.csrf()?;
    let refused = henk_visitor.post(&piet_path, &[("csrf", &csrf), ("initiative", "zorg")]).await?;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "a member who does not coordinate");
    let mut kees_visitor = logged_in(&node, "kees").await?;
    let refused = kees_visitor.submit("/coordinatie", &piet_path, &[("initiative", "zorg")]).await?;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "a coordinator of another initiative");
    assert_eq!(role_of(&piet).await?.as_deref(), Some(ROLE_MEMBER), "nothing changed");

    let mut fatima = logged_in(&node, "fatima").await?;
    let desk = fatima.get("/coordinatie").await?;
    assert!(desk.body.contains(&format!("action=\"/coordinatie/leden/{}/coordinator\"", henk.id)), "a button per member");
    let no_token = fatima.post(&format!("/coordinatie/leden/{}/coordinator", henk.id), &[("initiative", "zorg")]).await?;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN, "not without the page's token");
    assert_eq!(role_of(&henk).await?.as_deref(), Some(ROLE_MEMBER));
    let made = fatima.submit("/coordinatie", &format!("/coordinatie/leden/{}/coordinator", henk.id), &[("initiative", "zorg")]).await?;
    assert_eq!(made.location.as_deref(), Some("/coordinatie?gedaan=coordinator#leden"), "{}", made.body);
    assert_eq!(role_of(&henk).await?.as_deref(), Some(ROLE_COORDINATOR));
    let outsider = fatima.submit("/coordinatie", &format!("/coordinatie/leden/{}/coordinator", kees.id), &[("initiative", "zorg")]).await?;
    assert_eq!(outsider.status, StatusCode::NOT_FOUND, "someone who is not a member of it");
    assert_eq!(role_of(&kees).await?, None);

    // Henk coordinates now: the desk opens for him and he reads the initiative's questions.
    assert_eq!(henk_visitor.get("/coordinatie").await?.status, StatusCode::OK);
    Ok(())
}

async fn coordinators_choose_how_long_closed_needs_are_kept(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    node.add_member("fatima", Some(&zorg)).await?;
    node.add_plain_member("henk", &zorg).await?;
    let kept = async || ops::initiatives::keep_needs_days(node.store(), &zorg).await;
    let path = "/coordinatie/initiatief/zorg/bewaren";

    let mut coordinator = logged_in(&node, "fatima").await?;
    let page = coordinator.get("/coordinatie/initiatief/zorg").await?.body;
    assert!(page.contains("Hoe lang bewaren we verlopen en afgeronde hulpvragen?"), "{page}");
    assert!(page.contains("<option value=\"180\" selected>"), "the default is chosen: {page}");

    let mut henk = logged_in(&node, "henk").await?;
    let csrf = henk.get("/").await?.csrf()?;
    let refused = henk.post(path, &[("keep_days", "30"), ("csrf", &csrf)]).await?;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "a member without the role");
    assert_eq!(kept().await?, ops::initiatives::DEFAULT_KEEP_NEEDS_DAYS, "nothing changed");

    let odd = coordinator.submit("/coordinatie/initiatief/zorg", path, &[("keep_days", "7")]).await?;
    assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY, "only the choices on the page");
    assert_eq!(kept().await?, ops::initiatives::DEFAULT_KEEP_NEEDS_DAYS, "nothing changed");

    let saved = coordinator.submit("/coordinatie/initiatief/zorg", path, &[("keep_days", "30")]).await?;
    assert_eq!(saved.location.as_deref(), Some("/coordinatie/initiatief/zorg?gedaan=bewaren"), "{}", saved.body);
    assert_eq!(kept().await?, 30);
    let page = coordinator.get("/coordinatie/initiatief/zorg?gedaan=bewaren").await?.body;
    assert!(page.contains("<option value=\"30\" selected>") && page.contains("Opgeslagen"), "{page}");
    Ok(())
}
