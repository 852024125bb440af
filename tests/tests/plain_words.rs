//! No technical words on the pages residents read (issue 16 item 6): every residents' page,
//! rendered in Dutch and in English, logged out and logged in, with its tags stripped, must be free of the
//! words in `FORBIDDEN` and of handles (`@naam@host`). The administrator's pages (`/beheer/…`)
//! and the help for people who already use Mastodon are not visited; the few parts of a page
//! that are excepted are in `EXCEPTED`, each with its reason. And "Ik wil helpen" opens the
//! open needs, not a form.

use anyhow::{Context as _, Result};
use buurtnet_tests::harness::{Backend, TestNode, form_coalition};
use buurtnet_tests::pages::PageVisitor;

const PASSWORD: &str = "geheim-wachtwoord";

/// Words that belong on the administrator's pages, not on the residents'.
const FORBIDDEN: &[&str] = &[
    "node",
    "nodes",
    "buurtnode",
    "buurtnodes",
    "server",
    "servers",
    "federatie",
    "federation",
    "activitypub",
    "mastodon",
    "instance",
    "instances",
    "handle",
    "fediverse",
    "url",
    "replica",
];

/// Parts of a page that may speak technically, as (where it starts, where it ends, why).
const EXCEPTED: &[(&str, &str, &str)] = &[(
    "<section aria-labelledby=\"remote-follow-heading\">",
    "</section>",
    "following from Mastodon: whoever uses it needs the handle and the word",
)];

/// The page without its excepted parts, its head, and its tags: the text a resident reads.
fn readable_text(html: &str) -> String {
    let mut html = html.split_once("</head>").map(|(_, body)| body.to_string()).unwrap_or_else(|| html.to_string());
    for (start, end, _why) in EXCEPTED {
        while let Some(from) = html.find(start) {
            let until = html[from..].find(end).map(|i| from + i + end.len()).unwrap_or(html.len());
            html.replace_range(from..until, " ");
        }
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&#64;", "@").replace("&#x40;", "@")
}

/// Whole words only: "node" but not "nodig".
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

/// A handle: `@naam@host`.
fn has_handle(text: &str) -> Option<&str> {
    text.split_whitespace().find(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '@');
        let parts: Vec<&str> = w.split('@').collect();
        parts.len() == 3 && parts[0].is_empty() && !parts[1].is_empty() && !parts[2].is_empty()
    })
}

/// What is wrong with the page at `path`, if anything.
async fn check(visitor: &mut PageVisitor, path: &str, who: &str) -> Result<Vec<String>> {
    let page = visitor.get(path).await?;
    anyhow::ensure!(page.status.is_success(), "{who} {path}: {}", page.status);
    let text = readable_text(&page.body);
    let mut found: Vec<String> = words(&text).filter(|w| FORBIDDEN.contains(&w.as_str())).map(|w| format!("{who} {path}: '{w}'")).collect();
    found.extend(has_handle(&text).map(|h| format!("{who} {path}: handle {h}")));
    found.dedup();
    Ok(found)
}

fn post_id_of(location: Option<&str>) -> Result<String> {
    let location = location.context("a redirect to the post")?;
    Ok(location.split('?').next().unwrap_or_default().to_string())
}

/// A need, an offer, an event and an article by the initiative, through the pages.
async fn post_everything(fatima: &mut PageVisitor) -> Result<Vec<String>> {
    let next_week = (chrono::Utc::now() + chrono::Duration::days(7)).format("%Y-%m-%d").to_string();
    let forms: [(&str, Vec<(&str, &str)>); 4] = [
        ("/nieuw/hulpvraag", vec![("title", "Hulp bij de boodschappen"), ("category", "boodschappen"), ("when", "flexible")]),
        ("/nieuw/hulpaanbod", vec![("title", "Ik help met de computer"), ("category", "klussen"), ("when", "flexible")]),
        (
            "/nieuw/activiteit",
            vec![("title", "Soep op zaterdag"), ("date", &next_week), ("start", "17:30"), ("place", "Buurthuis"), ("join_mode", "free")],
        ),
        ("/nieuw/artikel", vec![("title", "Buurtmaaltijd organiseren"), ("source", "# Stappen\n\nEen\n"), ("edit_policy", "initiative")]),
    ];
    let mut paths = vec![];
    for (form, fields) in forms {
        let mut fields = fields.clone();
        fields.extend([("author", "zorg"), ("visibility", "public"), ("action", "publish")]);
        let posted = fatima.submit(form, form, &fields).await?;
        paths.push(post_id_of(posted.location.as_deref()).with_context(|| format!("{form}: {} {}", posted.status, posted.body))?);
    }
    Ok(paths)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn residents_pages_speak_plain_dutch_and_english() -> Result<()> {
    let node = TestNode::start(Backend::Sqlite).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    let fatima_actor = node.add_member("fatima", Some(&zorg)).await?;
    let henk = node.add_member("henk", None).await?;
    form_coalition((&node, &zorg, &fatima_actor), &[]).await?;
    let mut fatima = PageVisitor::new(&node.base_url())?;
    fatima.log_in("fatima", PASSWORD).await?;
    let posts = post_everything(&mut fatima).await?;
    let talk = format!("/gesprekken/{}", henk.id);
    fatima.submit(&talk, &talk, &[("text", "Zullen we donderdag koffie drinken?")]).await?;

    let public = ["/", "/hulp", "/hulp?soort=hulpvraag", "/hulp?soort=hulpaanbod", "/agenda", "/kennis", "/coalities"];
    let public = public
        .iter()
        .map(|p| p.to_string())
        .chain(posts)
        .chain(["/coalitie/delfshaven", "/coalitie/delfshaven/week", "/initiatives/zorg", "/vraag-het-ons"].map(String::from));
    let public: Vec<String> = public.collect();
    let mut found = vec![];
    let mut visitor = PageVisitor::new(&node.base_url())?;
    let own = ["/meldingen", "/mijn-gegevens", "/gesprekken", talk.as_str(), "/nieuw", "/nieuw/hulpvraag", "/nieuw/hulpaanbod"];
    for language in ["nl", "en"] {
        for reader in [&mut visitor, &mut fatima] {
            reader.get(&format!("/taal/{language}")).await?;
            let front = reader.get("/").await?.body;
            anyhow::ensure!(front.contains(&format!("<html lang=\"{language}\"")), "the pages are in {language} now");
        }
        for path in public.iter().chain(["/inloggen".to_string(), "/aanmelden".to_string()].iter()) {
            found.extend(check(&mut visitor, path, &format!("{language}, logged out")).await?);
        }
        for path in public.iter().map(String::as_str).chain(own) {
            found.extend(check(&mut fatima, path, &format!("{language}, logged in")).await?);
        }
    }
    assert!(found.is_empty(), "technical words on residents' pages:\n{}", found.join("\n"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn i_want_to_help_opens_the_open_needs() -> Result<()> {
    let node = TestNode::start(Backend::Sqlite).await?;
    let zorg = node.add_initiative("zorg", false).await?;
    node.add_member("fatima", Some(&zorg)).await?;
    let mut fatima = PageVisitor::new(&node.base_url())?;
    fatima.log_in("fatima", PASSWORD).await?;
    post_everything(&mut fatima).await?;
    let mut visitor = PageVisitor::new(&node.base_url())?;
    let front = visitor.get("/").await?.body;
    let link = "<a class=\"button secondary\" href=\"/hulp?soort=hulpvraag#resultaten\">Ik wil helpen</a>";
    assert!(front.contains(link), "{front}");
    let needs = visitor.get("/hulp?soort=hulpvraag").await?.body;
    let (list, offer) = (needs.find("Hulp bij de boodschappen"), needs.find("href=\"/nieuw/hulpaanbod\""));
    assert!(list.is_some() && list < offer, "the open needs first, then a way to offer: {needs}");
    assert!(!needs.contains("Ik help met de computer"), "no offers among them");
    Ok(())
}

#[test]
fn the_check_finds_words_and_handles_but_not_inside_other_words() {
    let text = readable_text("<head><title>x</title></head><p>Deze buurtnode is <b>nodig</b>, volg @fatima@buurt.example</p>");
    assert_eq!(words(&text).filter(|w| FORBIDDEN.contains(&w.as_str())).collect::<Vec<_>>(), vec!["buurtnode"]);
    assert_eq!(has_handle(&text), Some("@fatima@buurt.example"));
    let excepted = readable_text("<section aria-labelledby=\"remote-follow-heading\">Mastodon @a@b.nl</section><p>Hallo</p>");
    assert_eq!(excepted.trim(), "Hallo");
}
