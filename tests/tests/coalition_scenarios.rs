//! Coalitions under stress, across real nodes over HTTP, on both databases: many members
//! joining through sponsorship and votes, a coalition split in two by cutting the network
//! between its nodes (fault injection, with every node running) and healed again, a
//! founding node gone for good, and a replica brought back from an older backup.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::coalition::{Change, OpKind};
use buurtnet_domain::model::{Actor, ProposalState};
use buurtnet_domain::ops::proposals::Audience;
use buurtnet_domain::{ops, store};
use buurtnet_federation::coalitions;
use buurtnet_tests::harness::{Backend, TestNode, database_url, eventually, form_coalition};
use buurtnet_tests::on_both_backends;
use std::collections::BTreeSet;

on_both_backends!(
    seven_nodes_grow_a_coalition_by_sponsorship_and_votes_and_agree,
    a_coalition_split_in_two_changes_on_both_sides_and_converges_when_healed,
    the_coalition_goes_on_when_its_founding_node_is_gone_for_good,
    a_replica_restored_from_an_older_backup_catches_up_from_the_others
);

/// A node, one initiative on it and its coordinator.
struct Seat {
    node: TestNode,
    initiative: Actor,
    coordinator: Actor,
}

impl Seat {
    async fn new(backend: Backend, slug: &str, coordinator: &str) -> Result<Seat> {
        let node = TestNode::start_with(backend, |config| config.federation.coalition_sync_secs = 1).await?;
        let initiative = node.add_initiative(slug, false).await?;
        let coordinator = node.add_member(coordinator, Some(&initiative)).await?;
        Ok(Seat { node, initiative, coordinator })
    }

    fn context(&self) -> Result<buurtnet_federation::Context> {
        Ok(self.node.node.as_ref().context("running")?.context())
    }

    fn host(&self) -> String {
        self.node.base_url().trim_start_matches("http://").to_string()
    }

    async fn members(&self, coalition: &str) -> Result<BTreeSet<String>> {
        Ok(ops::coalitions::state(self.node.store(), coalition).await?.members)
    }

    async fn heads(&self, coalition: &str) -> Result<Vec<String>> {
        Ok(ops::coalitions::current_heads(self.node.store(), coalition).await?)
    }

    /// A need for the coalition, as a coordinator posts one.
    async fn post_need(&self, title: &str) -> Result<String> {
        let state = self.node.node.as_ref().context("running")?.state();
        let draft = buurtnet_tests::harness::sample_need(title);
        let post =
            ops::proposals::publish(&state.store, &state.urls, &self.coordinator, &self.initiative, &draft, &Audience::default()).await?;
        state.wake_delivery();
        Ok(post.ap_id)
    }

    /// Whether the node holds the post.
    async fn holds(&self, ap_id: &str) -> Result<bool> {
        Ok(store::posts::by_ap_id(&mut self.node.store().conn().await?, ap_id).await?.is_some())
    }

    async fn act(&self, coalition: &str, kind: OpKind) -> Result<buurtnet_domain::model::coalition::Operation> {
        Ok(coalitions::acting(&self.context()?).act(&self.coordinator, &self.initiative, coalition, kind).await?)
    }

    /// Waits until this node holds the operation `op_id`.
    async fn has_op(&self, op_id: &str) -> Result<()> {
        eventually("an operation arrives", || async { Ok(ops::coalitions::knows(self.node.store(), op_id).await?.then_some(())) }).await
    }

    fn replica(&self) -> Result<url::Url> {
        Ok(url::Url::parse(&format!("{}/coalitions/delfshaven", self.node.base_url()))?)
    }
}

/// Seven initiatives on seven nodes. Three form the coalition; a vote raises the sponsors an
/// admission needs to two; four more apply through different replicas and are sponsored by
/// two members each; a vote of the majority removes one again. Every node computes the same
/// members from the same operations, each replica lists the others, and a coalition-only
/// need reaches every member's node and no other (not the removed one, not a node that
/// follows the author).
async fn seven_nodes_grow_a_coalition_by_sponsorship_and_votes_and_agree(backend: Backend) -> Result<()> {
    let names = [
        ("zorg", "fatima"),
        ("paleis", "kees"),
        ("lander", "anouk"),
        ("buurman", "piet"),
        ("tafel", "sara"),
        ("klus", "joost"),
        ("praat", "mila"),
    ];
    let mut seats = Vec::new();
    for (slug, coordinator) in names {
        seats.push(Seat::new(backend, slug, coordinator).await?);
    }
    let outsider = Seat::new(backend, "buiten", "henk").await?;
    let [a, b, c, d, e, f, g] = &seats[..] else { unreachable!() };
    let coalition = form_coalition(
        (&a.node, &a.initiative, &a.coordinator),
        &[(&b.node, &b.initiative, &b.coordinator), (&c.node, &c.initiative, &c.coordinator)],
    )
    .await?;

    // A vote: two sponsors per admission from now on (A proposes and so approves, B agrees).
    let charter = ops::coalitions::state(a.node.store(), &coalition).await?.charter.context("charter")?;
    let stricter = buurtnet_domain::model::coalition::Charter { sponsors_needed: 2, ..charter };
    let change = a.act(&coalition, OpKind::Propose(Change::Charter(stricter))).await?;
    b.has_op(&change.id).await?;
    b.act(&coalition, OpKind::Vote { proposal: change.id.clone(), approve: true }).await?;
    a.has_op(&ops::coalitions::current_heads(b.node.store(), &coalition).await?[0]).await?;
    assert_eq!(ops::coalitions::state(a.node.store(), &coalition).await?.charter.map(|c| c.sponsors_needed), Some(2));

    // Four newcomers, each through another replica, each sponsored by two members.
    let mut members = vec![a, b, c];
    for (newcomer, through) in [(d, b), (e, c), (f, a), (g, b)] {
        let (_, application) =
            coalitions::acting(&newcomer.context()?).apply(&newcomer.coordinator, &newcomer.initiative, &through.replica()?).await?;
        let sponsors = [members[members.len() - 1], members[members.len() - 2]];
        for sponsor in sponsors {
            sponsor.has_op(&application.id).await?;
            let op = sponsor.act(&coalition, OpKind::Sponsor { proposal: application.id.clone() }).await?;
            through.has_op(&op.id).await?;
        }
        // (The node's own housekeeping may have admitted it already, on its minute.)
        coalitions::acting(&through.node.node.as_ref().context("running")?.context()).admit_due().await?;
        assert!(through.members(&coalition).await?.contains(&newcomer.initiative.ap_id), "two sponsors, no objection: admitted");
        eventually("the newcomer hosts a replica", || async {
            Ok(ops::coalitions::local_replica(newcomer.node.store(), &coalition).await?)
        })
        .await?;
        members.push(newcomer);
    }

    // The majority removes G: A proposes, C, D and E vote for it (four of seven).
    let removal = a.act(&coalition, OpKind::Propose(Change::Remove(g.initiative.ap_id.clone()))).await?;
    for voter in [c, d, e] {
        voter.has_op(&removal.id).await?;
        voter.act(&coalition, OpKind::Vote { proposal: removal.id.clone(), approve: true }).await?;
    }

    let expected: BTreeSet<String> = [a, b, c, d, e, f].iter().map(|s| s.initiative.ap_id.clone()).collect();
    eventually("all seven nodes compute the same members from the same operations", || async {
        let first = a.heads(&coalition).await?;
        for seat in &seats {
            if seat.members(&coalition).await? != expected || seat.heads(&coalition).await? != first {
                return Ok(None);
            }
        }
        Ok(Some(()))
    })
    .await?;
    // A forged operation (B's sponsorship turned into B's leaving, the proof kept), passed
    // on by an honest member's node, correctly signed over HTTP: every replica refuses it.
    let (_, page) = buurtnet_tests::harness::get_signed(&format!("{}/operations", b.replica()?), None).await?;
    let mut forged = page["orderedItems"]
        .as_array()
        .context("operations")?
        .iter()
        .find(|op| op["type"] == "bn:Sponsor" && op["actor"] == b.initiative.ap_id.as_str())
        .context("a sponsorship by B")?
        .clone();
    forged["type"] = serde_json::json!("bn:Leave");
    forged["id"] = serde_json::json!(format!("{}/activities/vervalst", b.node.base_url()));
    let honest = buurtnet_tests::harness::signer_of(&f.node.node.as_ref().context("running")?.state().instance_actor);
    for seat in [a, b, c, d, e] {
        let inbox = format!("{}/inbox", seat.replica()?);
        let status = buurtnet_tests::harness::post_signed(&inbox, forged.to_string().as_bytes(), Some(&honest), None).await?;
        assert_eq!(status.as_u16(), 403, "a forged operation is refused at every replica");
    }
    for seat in &seats {
        assert!(!ops::coalitions::knows(seat.node.store(), forged["id"].as_str().unwrap_or_default()).await?);
        assert_eq!(seat.members(&coalition).await?, expected, "nothing changed");
    }
    for seat in [a, b, c, d, e, f] {
        let document: serde_json::Value =
            reqwest::Client::new().get(seat.replica()?).header("accept", "application/activity+json").send().await?.json().await?;
        assert_eq!(document["bn:replicas"].as_array().map(Vec::len), Some(5), "each replica lists the five others");
    }

    // The outsider and F follow each other; that makes no coalition.
    outsider.node.follow_and_wait(&outsider.initiative, &f.initiative.ap_id).await?;
    f.node.follow_and_wait(&f.initiative, &outsider.initiative.ap_id).await?;
    let need = f.post_need("Een maaltijd voor een zieke buurman").await?;
    for seat in [a, b, c, d, e] {
        eventually("the coalition need reaches every member's node", || async { Ok(seat.holds(&need).await?.then_some(())) }).await?;
    }
    let public = f.node.publish(&f.initiative, "Een openbaar bericht", buurtnet_domain::model::Visibility::Public).await?;
    eventually("the outsider gets F's public posts", || async { Ok(outsider.holds(&public.ap_id).await?.then_some(())) }).await?;
    assert!(!outsider.holds(&need).await?, "a node outside the coalition never gets the need");
    assert!(!g.holds(&need).await?, "nor does the removed member's node");
    Ok(())
}

fn cut(from: &[&Seat], to: &[&Seat]) -> Result<()> {
    for seat in from {
        let state = seat.node.node.as_ref().context("running")?.state();
        state.faults.cut_off(to.iter().map(|s| s.host()));
    }
    Ok(())
}

/// Five nodes: A, B, C, D in the coalition, E a newcomer. The network splits {A, B, E} from
/// {C, D}. On one side E is admitted and A posts a coalition need; on the other D leaves and
/// C posts one and withdraws an earlier one. After healing, every node computes the same
/// members from the same operations, both needs reach every member's node, and the withdrawn
/// need is gone from every node.
async fn a_coalition_split_in_two_changes_on_both_sides_and_converges_when_healed(backend: Backend) -> Result<()> {
    let a = Seat::new(backend, "zorg", "fatima").await?;
    let b = Seat::new(backend, "paleis", "kees").await?;
    let c = Seat::new(backend, "lander", "anouk").await?;
    let d = Seat::new(backend, "buurman", "piet").await?;
    let e = Seat::new(backend, "nieuwkomer", "els").await?;
    let coalition = form_coalition(
        (&a.node, &a.initiative, &a.coordinator),
        &[(&b.node, &b.initiative, &b.coordinator), (&c.node, &c.initiative, &c.coordinator), (&d.node, &d.initiative, &d.coordinator)],
    )
    .await?;
    let withdrawn = c.post_need("Vervoer naar het ziekenhuis").await?;
    let deleted = c.post_need("Een oppas voor de kat").await?;
    for seat in [&a, &b, &d] {
        eventually("C's first needs reach every member", || async {
            Ok((seat.holds(&withdrawn).await? && seat.holds(&deleted).await?).then_some(()))
        })
        .await?;
    }

    cut(&[&a, &b, &e], &[&c, &d])?;
    cut(&[&c, &d], &[&a, &b, &e])?;

    // Side one: E applies through A's replica, A sponsors, E is in; A posts a need.
    let replica_a = url::Url::parse(&format!("{}/coalitions/delfshaven", a.node.base_url()))?;
    let (_, application) = coalitions::acting(&e.context()?).apply(&e.coordinator, &e.initiative, &replica_a).await?;
    eventually("the application reaches A", || async {
        Ok(ops::coalitions::state(a.node.store(), &coalition).await?.proposals.contains_key(&application.id).then_some(()))
    })
    .await?;
    coalitions::acting(&a.context()?)
        .act(&a.coordinator, &a.initiative, &coalition, OpKind::Sponsor { proposal: application.id.clone() })
        .await?;
    coalitions::acting(&a.node.node.as_ref().context("a")?.context()).admit_due().await?;
    eventually("B hears of E's admission on its side", || async {
        Ok(b.members(&coalition).await?.contains(&e.initiative.ap_id).then_some(()))
    })
    .await?;
    eventually("E hosts a replica and names it on its side", || async {
        let named = ops::coalitions::state(a.node.store(), &coalition).await?.replicas.contains_key(&e.initiative.ap_id);
        Ok(named.then_some(()))
    })
    .await?;
    let need_a = a.post_need("Hulp bij de boodschappen (kant A)").await?;

    // Side two: D leaves; C posts a need.
    coalitions::acting(&d.context()?).act(&d.coordinator, &d.initiative, &coalition, OpKind::Leave).await?;
    eventually("C hears that D left", || async { Ok((!c.members(&coalition).await?.contains(&d.initiative.ap_id)).then_some(())) }).await?;
    let need_c = c.post_need("Iemand om mee te wandelen (kant C)").await?;
    let withdrawn_at_c = store::posts::by_ap_id(&mut c.node.store().conn().await?, &withdrawn).await?.context("C's need")?;
    ops::proposals::withdraw(c.node.store(), &c.coordinator, withdrawn_at_c.id).await?;
    let deleted_at_c = store::posts::by_ap_id(&mut c.node.store().conn().await?, &deleted).await?.context("C's other need")?;
    ops::posts::delete(c.node.store(), &c.coordinator, deleted_at_c.id).await?;

    // While split, the sides disagree.
    assert!(a.members(&coalition).await?.contains(&d.initiative.ap_id), "A does not know D left");
    assert!(!c.members(&coalition).await?.contains(&e.initiative.ap_id), "C does not know E joined");
    assert!(!c.holds(&need_a).await?, "nothing crosses the cut");
    assert!(!a.holds(&need_c).await?, "nothing crosses the cut");

    for seat in [&a, &b, &c, &d, &e] {
        seat.node.node.as_ref().context("running")?.state().faults.heal();
    }
    let expected: BTreeSet<String> = [&a, &b, &c, &e].iter().map(|s| s.initiative.ap_id.clone()).collect();
    let heads = eventually("every node computes the same members from the same operations", || async {
        let first = a.heads(&coalition).await?;
        for seat in [&a, &b, &c, &d, &e] {
            if seat.members(&coalition).await? != expected || seat.heads(&coalition).await? != first {
                return Ok(None);
            }
        }
        Ok(Some(first))
    })
    .await?;
    assert_eq!(heads.len(), 2, "the two sides' histories are both kept, side by side: {heads:?}");

    // Each need reaches every member: those its author knew of by delivery, E (whom C did
    // not know of) by anti-entropy from a replica.
    for need in [&need_a, &need_c] {
        for seat in [&a, &b, &c, &e] {
            eventually("the need arrives after healing", || async { Ok(seat.holds(need).await?.then_some(())) }).await?;
        }
    }
    // The need C withdrew while split shows as withdrawn on A and B too (C's signed new
    // version comes by anti-entropy, or by the delivery retried once the nodes see each other
    // again), and so does the need C deleted (C's signed tombstone).
    for seat in [&a, &b] {
        eventually("the withdrawal arrives after healing", || async {
            let mut conn = seat.node.store().conn().await?;
            let Some(post) = store::posts::by_ap_id(&mut conn, &withdrawn).await? else { return Ok(None) };
            let proposal = store::proposals::by_post_id(&mut conn, post.id).await?;
            Ok(proposal.filter(|p| p.state == ProposalState::Withdrawn).map(|_| ()))
        })
        .await?;
        eventually("the deletion arrives after healing", || async {
            let post = store::posts::by_ap_id(&mut seat.node.store().conn().await?, &deleted).await?;
            Ok(post.filter(|p| p.is_deleted()).map(|_| ()))
        })
        .await?;
    }
    Ok(())
}

/// A founds with B and C; a reader on another node follows C's replica; A's node is stopped
/// for good. B and C carry on: D, whose node never saw A, applies through B's replica and
/// checks A's founding and sponsorships with the keys the log vouches for; D is admitted; the
/// members remove A by majority vote; and the reader still gets the coalition's feed.
async fn the_coalition_goes_on_when_its_founding_node_is_gone_for_good(backend: Backend) -> Result<()> {
    let mut a = Seat::new(backend, "zorg", "fatima").await?;
    let b = Seat::new(backend, "paleis", "kees").await?;
    let c = Seat::new(backend, "lander", "anouk").await?;
    let d = Seat::new(backend, "nieuwkomer", "els").await?;
    let coalition = form_coalition(
        (&a.node, &a.initiative, &a.coordinator),
        &[(&b.node, &b.initiative, &b.coordinator), (&c.node, &c.initiative, &c.coordinator)],
    )
    .await?;
    let need = a.post_need("Soep voor de buurvrouw").await?;
    eventually("the founder's need reached B", || async { Ok(b.holds(&need).await?.then_some(())) }).await?;
    let reader_node = TestNode::start(backend).await?;
    let reader = reader_node.add_member("lezer", None).await?;
    reader_node.follow_and_wait(&reader, c.replica()?.as_str()).await?;
    a.node.stop().await;
    assert!(reqwest::get(a.replica()?).await.is_err(), "the founder's node is gone");

    let (_, application) = coalitions::acting(&d.context()?).apply(&d.coordinator, &d.initiative, &b.replica()?).await?;
    let founding = ops::coalitions::state(d.node.store(), &coalition).await?;
    assert!(founding.members.contains(&a.initiative.ap_id), "D checked the founding without reaching its node: {founding:?}");
    b.has_op(&application.id).await?;
    b.act(&coalition, OpKind::Sponsor { proposal: application.id.clone() }).await?;
    coalitions::acting(&b.node.node.as_ref().context("running")?.context()).admit_due().await?;
    assert!(b.members(&coalition).await?.contains(&d.initiative.ap_id), "admitted while the founder is gone");
    eventually("D hosts a replica", || async { Ok(ops::coalitions::local_replica(d.node.store(), &coalition).await?) }).await?;
    eventually("D gets the gone founder's need from a replica, checked by its proof", || async { Ok(d.holds(&need).await?.then_some(())) })
        .await?;

    let removal = b.act(&coalition, OpKind::Propose(Change::Remove(a.initiative.ap_id.clone()))).await?;
    for voter in [&c, &d] {
        // They see B's replica (as a sync round would) before voting.
        coalitions::pull(&voter.context()?, &b.replica()?).await?;
        voter.has_op(&removal.id).await?;
        voter.act(&coalition, OpKind::Vote { proposal: removal.id.clone(), approve: true }).await?;
    }
    let expected: BTreeSet<String> = [&b, &c, &d].iter().map(|s| s.initiative.ap_id.clone()).collect();
    eventually("B, C and D agree the founder is no longer a member", || async {
        for seat in [&b, &c, &d] {
            if seat.members(&coalition).await? != expected {
                return Ok(None);
            }
        }
        Ok(Some(()))
    })
    .await?;
    let replicas = ops::coalitions::state(c.node.store(), &coalition).await?.replicas;
    assert!(!replicas.contains_key(&a.initiative.ap_id), "the gone node's replica is off the list");

    for (seat, text) in [(&b, "Het Wijkpaleis zoekt nog koks"), (&d, "De nieuwkomer stelt zich voor")] {
        let post = seat.node.publish(&seat.initiative, text, buurtnet_domain::model::Visibility::Public).await?;
        eventually("the reader of C's replica still gets the feed", || async { reader_node.post(&post.ap_id).await }).await?;
    }
    Ok(())
}

/// B's node is backed up; afterwards the coalition goes on (A proposes a new charter text, B
/// votes for it, A posts a need for the coalition). B's machine is lost and the backup is
/// restored on a fresh one: it knows none of that, B's own vote included. By anti-entropy
/// alone it catches up from the other replicas: the same operations, the same charter, the
/// need, and its own vote back.
async fn a_replica_restored_from_an_older_backup_catches_up_from_the_others(backend: Backend) -> Result<()> {
    let a = Seat::new(backend, "zorg", "fatima").await?;
    let mut b = Seat::new(backend, "paleis", "kees").await?;
    let c = Seat::new(backend, "lander", "anouk").await?;
    let coalition = form_coalition(
        (&a.node, &a.initiative, &a.coordinator),
        &[(&b.node, &b.initiative, &b.coordinator), (&c.node, &c.initiative, &c.coordinator)],
    )
    .await?;
    let kept = tempfile::tempdir()?;
    let file = kept.path().join("paleis.tar.gz");
    buurtnet::backup::backup(&b.node.config, &file).await?;

    let mut charter = ops::coalitions::state(a.node.store(), &coalition).await?.charter.context("a charter")?;
    charter.description = "Samen zorgen, ook in de avond".into();
    let proposal = a.act(&coalition, OpKind::Propose(Change::Charter(charter))).await?;
    b.has_op(&proposal.id).await?;
    let vote = b.act(&coalition, OpKind::Vote { proposal: proposal.id.clone(), approve: true }).await?;
    a.has_op(&vote.id).await?;
    c.has_op(&vote.id).await?;
    let need = a.post_need("Wie kookt er op donderdag?").await?;
    eventually("the need reaches B", || async { Ok(b.holds(&need).await?.then_some(())) }).await?;
    let heads = a.heads(&coalition).await?;

    b.node.stop().await;
    let fresh_machine = tempfile::tempdir()?;
    b.node.config.data_dir = fresh_machine.path().to_path_buf();
    b.node.config.database_url = Some(database_url(backend, &fresh_machine)?);
    buurtnet::backup::restore(&b.node.config, &file).await?;
    let restored = buurtnet_domain::Store::connect(&b.node.config.database_url()).await?;
    assert!(!ops::coalitions::knows(&restored, &vote.id).await?, "the restored replica is behind: it lacks B's own vote");
    restored.close().await;

    b.node.restart().await?;
    eventually("the restored replica catches up by itself", || async {
        Ok((b.heads(&coalition).await? == heads && b.holds(&need).await?).then_some(()))
    })
    .await?;
    assert!(ops::coalitions::knows(b.node.store(), &vote.id).await?, "B's own vote came back from the others");
    let (at_a, at_b) =
        (ops::coalitions::state(a.node.store(), &coalition).await?, ops::coalitions::state(b.node.store(), &coalition).await?);
    assert_eq!((at_a.members, at_a.charter), (at_b.members, at_b.charter), "B agrees with A again");
    Ok(())
}
