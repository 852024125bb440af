//! `buurtnet demo`: three neighbourhood nodes on localhost that follow each other and form a
//! coalition (Welzijnscoalitie Delfshaven, a replica on every node), with Dutch sample
//! members, posts, offers and needs (the needs in coalition scope), a shared meal that
//! a neighbouring coordinator joins, and a how-to article, to try Buurtnet in a minute. Data lives under
//! `<data_dir>/demo/<node>`; a second run reuses it.

use crate::Node;
use crate::config::Config;
use anyhow::{Context as _, Result};
use buurtnet_domain::model::{
    Actor, ArticleDraft, DEFAULT_TIMEZONE, EditPolicy, EventDraft, JoinMode, Place, ProposalDraft, Purpose, Visibility, When,
};
use buurtnet_domain::ops::actors::{InitiativeDraft, MemberDraft, ROLE_COORDINATOR};
use buurtnet_domain::ops::posts::PostDraft;
use buurtnet_domain::ops::proposals::Audience;
use buurtnet_domain::{DomainError, ops, store};
use buurtnet_federation::keys;
use buurtnet_federation::objects::actor::resolve;

/// Password of every demo member: printed, and only ever on localhost.
pub const DEMO_PASSWORD: &str = "buurtnet-demo";

struct DemoNode {
    slug: &'static str,
    name: &'static str,
    summary: &'static str,
    coordinator: (&'static str, &'static str),
    posts: [&'static str; 2],
    /// (title, category, description) of a sample offer and a sample need.
    offer: (&'static str, &'static str, &'static str),
    need: (&'static str, &'static str, &'static str),
    /// (title, markdown) of a sample article for the shared knowledge.
    article: (&'static str, &'static str),
}

const NODES: [DemoNode; 3] = [
    DemoNode {
        slug: "zorgvrijstaat",
        name: "Zorgvrijstaat",
        summary: "Bewoners die voor elkaar zorgen in het Oude Westen.",
        coordinator: ("fatima", "Fatima el Amrani"),
        posts: [
            "Donderdag koken we weer samen: iedereen is welkom aan tafel, vanaf 17:30 in het buurthuis.",
            "Dank aan alle vrijwilligers die vorige week de tuin van het buurthuis hebben opgeknapt!",
        ],
        offer: ("Samen koken en eten", "maaltijd", "Elke donderdag een warme maaltijd voor wie wil aanschuiven."),
        need: ("Boodschappen op dinsdagochtend", "boodschappen", "Een buurvrouw zoekt iemand die wekelijks met haar boodschappen doet."),
        article: (
            "Zo organiseer je een buurtmaaltijd",
            "## Wat je nodig hebt\n\n- een ruimte met een keuken\n- twee of drie koks\n- een lijst met wie komt\n\n## Tips\n\n1. Vraag een kleine bijdrage, maar laat niemand wegblijven om geld.\n2. Zet de datum een week vooraf in de buurtapp.\n3. Vraag wie er gehaald moet worden.\n",
        ),
    },
    DemoNode {
        slug: "wijkpaleis",
        name: "Het Wijkpaleis",
        summary: "Een huiskamer voor de wijk, met klussers, koffie en een open deur.",
        coordinator: ("kees", "Kees de Vries"),
        posts: [
            "Onze klusploeg heeft deze week nog tijd voor twee kleine klussen in huis.",
            "Nieuw: elke vrijdag een taalcafé, samen Nederlands oefenen bij een kop thee.",
        ],
        offer: ("Kleine klussen in huis", "klussen", "Een lamp ophangen, een kraan die lekt: onze klusploeg komt langs."),
        need: ("Vervoer naar het ziekenhuis", "vervoer", "Een buurman heeft volgende week een afspraak in het Franciscus en geen vervoer."),
        article: (
            "Samen klussen: zo pak je het aan",
            "## Voor je begint\n\nKijk samen met de bewoner wat er moet gebeuren en wat het mag kosten.\n\n## Veilig werken\n\n- Nooit alleen op een ladder.\n- Elektra en gas laat je aan een vakman.\n",
        ),
    },
    DemoNode {
        slug: "middellander",
        name: "De Middellander",
        summary: "Buurtbewoners in Middelland die elkaar helpen met geldzorgen en papierwerk.",
        coordinator: ("anouk", "Anouk Bakker"),
        posts: [
            "Hulp nodig bij het invullen van formulieren? Maandagmiddag zitten we klaar in de bibliotheek.",
            "Bedankt aan alle buren die meehielpen met de burendag!",
        ],
        offer: (
            "Hulp bij formulieren en post",
            "administratie",
            "Maandagmiddag in de bibliotheek: samen de post en formulieren doornemen.",
        ),
        need: (
            "Iemand voor een wekelijks telefoontje",
            "gezelschap",
            "Een oudere buurtbewoner zou graag eens per week gebeld worden voor een praatje.",
        ),
        article: (
            "Hulp vragen zonder schaamte",
            "Veel mensen vinden het moeilijk om hulp te vragen (vraagverlegenheid).\n\n## Wat helpt\n\n- Vraag zelf eerst iets kleins aan de ander.\n- Een coördinator kan een vraag plaatsen zonder naam.\n- Bedank, maar maak er geen schuld van.\n",
        ),
    },
];

/// Starts the three nodes, fills them, and serves until Ctrl-C. Each keeps its data in its
/// own SQLite file, or in the PostgreSQL database `postgres` names with `{node}` filled in.
pub async fn run(config: &Config, base_port: u16, postgres: Option<&str>) -> Result<()> {
    let mut nodes = Vec::new();
    for (i, spec) in NODES.iter().enumerate() {
        let port = base_port + i as u16;
        let node_config = Config {
            domain: format!("localhost:{port}"),
            listen: format!("127.0.0.1:{port}"),
            data_dir: config.data_dir.join("demo").join(spec.slug),
            database_url: postgres.map(|template| template.replace("{node}", spec.slug)),
            dev: true,
            federation: config.federation.clone(),
            ..config.clone()
        };
        let listener =
            tokio::net::TcpListener::bind(&node_config.listen).await.with_context(|| format!("port {port} is taken; try --base-port"))?;
        let node = crate::start(&node_config, listener).await?;
        let (initiative, fresh) = ensure_actors(&node, spec).await?;
        nodes.push((node, initiative, fresh));
    }
    connect(&nodes).await?;
    if nodes.iter().all(|(_, _, fresh)| *fresh) {
        form_coalition(&nodes).await?;
    }
    for (node, initiative, fresh) in &nodes {
        if *fresh {
            wait_for_accepts(node, initiative).await;
            publish_samples(node, initiative).await?;
        }
    }
    join_neighbours_meals(&nodes).await?;
    let nodes: Vec<(Node, Actor)> = nodes.into_iter().map(|(n, i, _)| (n, i)).collect();
    print_welcome(&nodes);
    tokio::signal::ctrl_c().await?;
    for (node, _) in nodes {
        node.stop().await;
    }
    Ok(())
}

/// The node's initiative and coordinator; true when they were made now.
async fn ensure_actors(node: &Node, spec: &DemoNode) -> Result<(Actor, bool)> {
    let state = node.state();
    let existing = store::actors::local_by_username(&mut state.store.conn().await?, spec.slug).await?;
    if let Some(initiative) = existing {
        return Ok((initiative, false));
    }
    let draft = InitiativeDraft {
        slug: spec.slug.into(),
        name: spec.name.into(),
        summary: spec.summary.into(),
        manually_approves_followers: false,
    };
    let initiative = ops::actors::add_initiative(&state.store, &state.urls, &draft, &keys::generate()).await?;
    let (username, display_name) = spec.coordinator;
    let member = MemberDraft {
        username: username.into(),
        display_name: display_name.into(),
        password: DEMO_PASSWORD.into(),
        email: None,
        is_admin: true,
        initiative: Some((spec.slug.into(), ROLE_COORDINATOR.into())),
    };
    let coordinator = ops::actors::add_member(&state.store, &state.urls, &member, &keys::generate()).await?;
    let settings = ops::node_settings::NodeSettings {
        name: format!("Buurtnet {}", spec.name),
        description: spec.summary.into(),
        rules: vec!["Wees vriendelijk en behulpzaam.".into(), "Geen reclame.".into()],
        registrations: "invitation".into(),
    };
    ops::node_settings::save(&state.store, &coordinator, &settings).await?;
    Ok((initiative, true))
}

/// Gives the nodes a few seconds to follow each other both ways, so that the sample posts
/// reach every follower and the coalition of each initiative is complete.
async fn wait_for_accepts(node: &Node, initiative: &Actor) {
    let others = (NODES.len() - 1) as i64;
    for _ in 0..50 {
        let counts = match node.state().store.conn().await {
            Ok(mut conn) => (
                store::follows::count_following(&mut conn, initiative.id).await.unwrap_or(0),
                store::follows::count_followers(&mut conn, initiative.id).await.unwrap_or(0),
            ),
            Err(_) => (0, 0),
        };
        if counts == (others, others) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn publish_samples(node: &Node, initiative: &Actor) -> Result<()> {
    let state = node.state();
    let spec = NODES.iter().find(|s| s.slug == initiative.username).expect("demo node");
    let coordinator =
        store::actors::local_by_username(&mut state.store.conn().await?, spec.coordinator.0).await?.context("demo coordinator")?;
    for (author, text) in [(initiative, spec.posts[0]), (&coordinator, spec.posts[1])] {
        let draft = PostDraft::plain(text, Visibility::Public, vec![]);
        ops::posts::publish(&state.store, &state.urls, &coordinator, author, &draft).await?;
    }
    for (purpose, (title, category, description)) in [(Purpose::Offer, spec.offer), (Purpose::Request, spec.need)] {
        let draft = ProposalDraft {
            purpose,
            title: title.into(),
            description: description.into(),
            category: category.into(),
            neighbourhood: Some(spec.name.into()),
            when: When::Flexible,
            expires_at: None,
        };
        ops::proposals::publish(&state.store, &state.urls, &coordinator, initiative, &draft, &Audience::default()).await?;
    }
    ops::events::publish(&state.store, &state.urls, &coordinator, initiative, &sample_event(spec)?, Visibility::Public).await?;
    let (title, source) = spec.article;
    let article = ArticleDraft { title: title.into(), source: source.into(), edit_policy: EditPolicy::Open };
    ops::articles::publish(&state.store, &state.urls, &coordinator, initiative, &article, Visibility::Public).await?;
    state.wake_delivery();
    Ok(())
}

/// Each coordinator signs up for the shared meal of the next node, so the demo shows
/// participants arriving from another neighbourhood. Skipped for meals that have not arrived
/// within a few seconds (the demo still works; the RSVP can be made by hand).
async fn join_neighbours_meals(nodes: &[(Node, Actor, bool)]) -> Result<()> {
    for (i, (node, _, fresh)) in nodes.iter().enumerate() {
        let (_, host_initiative, _) = &nodes[(i + 1) % nodes.len()];
        if !*fresh {
            continue;
        }
        let state = node.state();
        let spec = &NODES[i];
        let coordinator =
            store::actors::local_by_username(&mut state.store.conn().await?, spec.coordinator.0).await?.context("demo coordinator")?;
        let mut meal = None;
        for _ in 0..50 {
            meal = upcoming_event_of(node, &host_initiative.ap_id).await?;
            if meal.is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        if let Some(meal) = meal {
            ops::rsvp::join(&state.store, &state.urls, &coordinator, &meal).await?;
            state.wake_delivery();
        }
    }
    Ok(())
}

/// The id of the first coming event by `author_ap_id` that `node` holds.
async fn upcoming_event_of(node: &Node, author_ap_id: &str) -> Result<Option<String>> {
    let mut conn = node.state().store.conn().await?;
    let Some(author) = store::actors::by_ap_id(&mut conn, author_ap_id).await? else { return Ok(None) };
    let events = store::events::upcoming(&mut conn, Some(author.id), false, buurtnet_domain::now_ms(), 1).await?;
    let Some(event) = events.first() else { return Ok(None) };
    Ok(Some(store::posts::by_id(&mut conn, event.post_id).await?.ap_id))
}

/// A shared meal a week from now, at 17:30 in Amsterdam time.
fn sample_event(spec: &DemoNode) -> Result<EventDraft> {
    let next_week = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Amsterdam).date_naive() + chrono::Duration::days(7);
    let start = EventDraft::local_to_utc(next_week.and_hms_opt(17, 30, 0).context("time")?, DEFAULT_TIMEZONE)?;
    Ok(EventDraft {
        title: format!("Buurtmaaltijd bij {}", spec.name),
        description: "Samen koken en eten, iedereen is welkom. Aanschuiven kost niets.".into(),
        starts_at: start,
        ends_at: Some(start + chrono::Duration::hours(2)),
        timezone: DEFAULT_TIMEZONE.into(),
        place: Some(Place { name: format!("Buurthuis van {}", spec.name), address: None, latitude: None, longitude: None }),
        online_url: None,
        capacity: Some(40),
        join_mode: JoinMode::Free,
    })
}

/// Name of the demo coalition's replica on every node.
const COALITION_SLUG: &str = "delfshaven";

/// The three initiatives form Welzijnscoalitie Delfshaven the way coordinators would: the
/// first founds it, the others apply through its replica and are sponsored; admissions take
/// effect at once (no objection period), after which a charter change that the members vote
/// for sets the usual week for objections, so the demo shows a decided vote too.
async fn form_coalition(nodes: &[(Node, Actor, bool)]) -> Result<()> {
    use buurtnet_domain::model::coalition::{Change, Charter, OpKind};
    use buurtnet_federation::coalitions;
    let fail = |e: buurtnet_domain::DomainError| anyhow::anyhow!("forming the demo coalition: {e}");
    let coordinator_of = |i: usize| async move {
        let state = nodes[i].0.state();
        store::actors::local_by_username(&mut state.store.conn().await?, NODES[i].coordinator.0).await?.context("demo coordinator")
    };
    let (founder_node, founder, _) = &nodes[0];
    let fatima = coordinator_of(0).await?;
    let quick = Charter {
        name: "Welzijnscoalitie Delfshaven".into(),
        description: "Initiatieven in Delfshaven die samen zorgen voor hun buren. Niemand is de baas: elk lid heeft een kopie.".into(),
        sponsors_needed: 1,
        objection_days: 0,
        removal_percent: buurtnet_domain::model::coalition::MAJORITY,
        change_percent: buurtnet_domain::model::coalition::MAJORITY,
    };
    let coalition =
        coalitions::acting(&founder_node.context()).found(&fatima, founder, COALITION_SLUG, quick.clone()).await.map_err(fail)?;
    let replica = url::Url::parse(&format!("http://{}/coalitions/{COALITION_SLUG}", founder_node.state().urls.domain()))?;
    for (i, (node, initiative, _)) in nodes.iter().enumerate().skip(1) {
        let coordinator = coordinator_of(i).await?;
        let (_, application) = coalitions::acting(&node.context()).apply(&coordinator, initiative, &replica).await.map_err(fail)?;
        wait_until(|| async {
            Ok(ops::coalitions::state(&founder_node.state().store, &coalition).await?.proposals.contains_key(&application.id))
        })
        .await?;
        let sponsor = OpKind::Sponsor { proposal: application.id.clone() };
        coalitions::acting(&founder_node.context()).act(&fatima, founder, &coalition, sponsor).await.map_err(fail)?;
        coalitions::acting(&founder_node.context()).admit_due().await.map_err(fail)?;
    }
    let everyone: std::collections::BTreeSet<String> = nodes.iter().map(|(_, i, _)| i.ap_id.clone()).collect();
    for (node, _, _) in nodes {
        wait_until(|| async { Ok(ops::coalitions::state(&node.state().store, &coalition).await?.members == everyone) }).await?;
    }
    let usual = Charter { objection_days: 7, ..quick };
    let change = coalitions::acting(&founder_node.context())
        .act(&fatima, founder, &coalition, OpKind::Propose(Change::Charter(usual)))
        .await
        .map_err(fail)?;
    let (second_node, second, _) = &nodes[1];
    wait_until(|| async { Ok(ops::coalitions::state(&second_node.state().store, &coalition).await?.proposals.contains_key(&change.id)) })
        .await?;
    let vote = OpKind::Vote { proposal: change.id.clone(), approve: true };
    coalitions::acting(&second_node.context()).act(&coordinator_of(1).await?, second, &coalition, vote).await.map_err(fail)?;
    Ok(())
}

/// Polls `check` for up to ten seconds; the demo goes on either way (what is late arrives by
/// the nodes' own anti-entropy).
async fn wait_until<F, Fut>(mut check: F) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<bool>>,
{
    for _ in 0..100 {
        if check().await? {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    tracing::warn!("the demo coalition is taking longer than expected to settle");
    Ok(())
}

/// Every initiative follows the other two.
async fn connect(nodes: &[(Node, Actor, bool)]) -> Result<()> {
    for (node, initiative, _) in nodes {
        for (_, other, _) in nodes.iter().filter(|(_, o, _)| o.ap_id != initiative.ap_id) {
            let remote = resolve(&other.ap_id, &node.context()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            match ops::follows::follow(&node.state().store, &node.state().urls, initiative, &remote).await {
                Ok(_) | Err(DomainError::Conflict(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        node.state().wake_delivery();
    }
    Ok(())
}

fn print_welcome(nodes: &[(Node, Actor)]) {
    println!(
        "\nBuurtnet demo: drie buurtnodes volgen elkaar en vormen Welzijnscoalitie Delfshaven / three neighbourhood nodes follow each other and form a coalition\n"
    );
    for (node, initiative) in nodes {
        let spec = NODES.iter().find(|s| s.slug == initiative.username).expect("demo node");
        println!("  {}  http://{}/", spec.name, node.state().urls.domain());
        println!("    initiatief: {}", initiative.ap_id);
        println!("    coalitie / coalition: http://{}/coalitie/{COALITION_SLUG}", node.state().urls.domain());
        println!("    inloggen / login: {} / {DEMO_PASSWORD}", spec.coordinator.0);
    }
    println!("\nStoppen / stop: Ctrl-C\n");
}
