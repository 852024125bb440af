//! The domain's store and use cases on both databases: each test runs on SQLite (a temporary
//! file) and on PostgreSQL (a fresh database on the test cluster).

use anyhow::Result;
use buurtnet_domain::model::{ActorKind, FollowState, Visibility};
use buurtnet_domain::ops::actors::{InitiativeDraft, MemberDraft, ROLE_COORDINATOR};
use buurtnet_domain::ops::posts::PostDraft;
use buurtnet_domain::outbox::Outgoing;
use buurtnet_domain::urls::LocalUrls;
use buurtnet_domain::{DomainError, Store, ops, store};
use buurtnet_federation::keys;
use buurtnet_tests::harness::{Backend, database_url};
use url::Url;

macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $( #[tokio::test] async fn $name() -> anyhow::Result<()> {
            let (store, _dir) = super::open(buurtnet_tests::harness::Backend::Sqlite).await?;
            super::$name(store).await
        } )* }
        mod postgres { $( #[tokio::test] async fn $name() -> anyhow::Result<()> {
            let (store, _dir) = super::open(buurtnet_tests::harness::Backend::Postgres).await?;
            super::$name(store).await
        } )* }
    };
}

on_both_databases!(
    members_and_initiatives_are_validated,
    logins_check_passwords,
    publishing_writes_the_post_and_its_outbox_entry_together,
    visibility_is_enforced,
    follows_follow_the_rules,
    deliveries_are_leased_retried_and_counted,
    deliveries_of_one_object_to_one_peer_keep_their_order,
    an_outbox_entry_is_expanded_once,
    leases_of_gone_processes_are_freed_and_work_is_held_by_one,
    wrong_passwords_slow_the_guesser_not_the_owner,
    activities_are_remembered_and_domains_blocked,
    coalition_operations_are_kept_once_and_fold_alike_in_any_order,
    status_ids_are_time_ordered_and_never_handed_out_again,
    many_notes_arriving_at_once_are_all_kept_with_their_own_ids,
    notes_stored_together_answer_and_keep_what_each_alone_would,
    a_peers_document_never_writes_over_an_actor_of_this_node,
    statuses_count_stays_right_as_posts_come_and_go,
    a_write_left_unfinished_is_undone_and_the_next_goes_on,
);

/// A fresh, migrated database, and the directory that holds it (the caller keeps it alive).
async fn open(backend: Backend) -> Result<(Store, tempfile::TempDir)> {
    let dir = tempfile::tempdir()?;
    let store = Store::connect(&database_url(backend, &dir)?).await?;
    Ok((store, dir))
}

fn urls() -> LocalUrls {
    LocalUrls::new("localhost:8081", false).expect("valid")
}

fn member(username: &str) -> MemberDraft {
    MemberDraft {
        username: username.into(),
        display_name: String::new(),
        password: "een-lang-wachtwoord".into(),
        email: None,
        is_admin: false,
        initiative: None,
    }
}

async fn remote(store: &Store, id: &str) -> Result<buurtnet_domain::model::Actor> {
    let mut tx = store.begin().await?;
    let actor = store::actors::upsert(&mut tx, &buurtnet_tests::harness::stand_in_remote_actor(&Url::parse(id)?)?).await?;
    tx.commit().await?;
    Ok(actor)
}

/// Adds the initiative "De Buurtkeuken" under `slug`.
async fn buurtkeuken(store: &Store, slug: &str, manually_approves_followers: bool) -> Result<buurtnet_domain::model::Actor> {
    let draft = InitiativeDraft { slug: slug.into(), name: "De Buurtkeuken".into(), summary: String::new(), manually_approves_followers };
    Ok(ops::actors::add_initiative(store, &urls(), &draft, &keys::generate()).await?)
}

async fn members_and_initiatives_are_validated(store: Store) -> Result<()> {
    let urls = urls();
    let initiative = buurtkeuken(&store, "Buurtkeuken", true).await?;
    assert_eq!(initiative.username, "buurtkeuken");
    assert_eq!(initiative.kind(), ActorKind::Group);
    assert!(initiative.manually_approves_followers);

    let mut with_role = member("greet");
    with_role.initiative = Some(("buurtkeuken".into(), ROLE_COORDINATOR.into()));
    let greet = ops::actors::add_member(&store, &urls, &with_role, &keys::generate()).await?;
    assert_eq!(greet.ap_id, "http://localhost:8081/users/greet");
    assert!(ops::actors::may_act_as(&store, &greet, &initiative).await?);

    assert!(matches!(ops::actors::add_member(&store, &urls, &member("greet"), &keys::generate()).await, Err(DomainError::Conflict(_))));
    assert!(matches!(
        ops::actors::add_member(&store, &urls, &member("buurtkeuken"), &keys::generate()).await,
        Err(DomainError::Conflict(_))
    ));
    assert!(matches!(
        ops::actors::add_member(&store, &urls, &member("niet geldig"), &keys::generate()).await,
        Err(DomainError::Invalid(_))
    ));
    let mut short = member("kort");
    short.password = "kort".into();
    assert!(matches!(ops::actors::add_member(&store, &urls, &short, &keys::generate()).await, Err(DomainError::Invalid(_))));
    let other = ops::actors::add_member(&store, &urls, &member("piet"), &keys::generate()).await?;
    assert!(!ops::actors::may_act_as(&store, &other, &initiative).await?, "only coordinators act for an initiative");
    let (instance, created) = ops::actors::ensure_instance_actor(&store, &urls, keys::generate).await?;
    assert!(created);
    assert_eq!(instance.kind(), ActorKind::Application);
    assert!(!ops::actors::ensure_instance_actor(&store, &urls, keys::generate).await?.1, "made once");
    Ok(())
}

async fn logins_check_passwords(store: Store) -> Result<()> {
    let mut draft = member("anouk");
    draft.email = Some("anouk@buurt.example".into());
    let anouk = ops::actors::add_member(&store, &urls(), &draft, &keys::generate()).await?;
    assert_eq!(ops::actors::check_login(&store, "anouk", "een-lang-wachtwoord").await?.map(|a| a.id), Some(anouk.id));
    assert_eq!(ops::actors::check_login(&store, "anouk@buurt.example", "een-lang-wachtwoord").await?.map(|a| a.id), Some(anouk.id));
    assert!(ops::actors::check_login(&store, "anouk", "fout").await?.is_none());
    assert!(ops::actors::check_login(&store, "niemand", "een-lang-wachtwoord").await?.is_none());
    let mut same_email = member("ander");
    same_email.email = Some("anouk@buurt.example".into());
    assert!(matches!(ops::actors::add_member(&store, &urls(), &same_email, &keys::generate()).await, Err(DomainError::Conflict(_))));
    Ok(())
}

async fn publishing_writes_the_post_and_its_outbox_entry_together(store: Store) -> Result<()> {
    let urls = urls();
    let author = ops::actors::add_member(&store, &urls, &member("schrijver"), &keys::generate()).await?;
    let draft = PostDraft::plain("Hallo <buren>", Visibility::Public, vec![]);
    let post = ops::posts::publish(&store, &urls, &author, &author, &draft).await?;
    assert_eq!(post.ap_id, urls.note(post.id).to_string());
    assert_eq!(post.content, "<p>Hallo &lt;buren&gt;</p>");
    let pending = store::outbox::pending(&mut store.conn().await?, 10).await?;
    assert_eq!(pending.iter().map(|(_, e)| e.clone()).collect::<Vec<_>>(), vec![Ok(Outgoing::PostCreated { post_id: post.id })]);

    ops::posts::edit(&store, &author, post.id, "Hallo buren!", None).await?;
    ops::posts::delete(&store, &author, post.id).await?;
    let events = waiting(&store).await?;
    assert_eq!(events[1], Outgoing::PostUpdated { post_id: post.id });
    assert_eq!(events[2], Outgoing::PostDeleted { post_id: post.id, recipients: vec![] });
    assert!(matches!(ops::visibility::readable_post(&store, &post.ap_id, None).await, Err(DomainError::Gone)));
    assert!(matches!(ops::posts::edit(&store, &author, post.id, "weer terug", None).await, Err(DomainError::Gone)));

    let empty = PostDraft { text: "   ".into(), ..draft.clone() };
    assert!(matches!(ops::posts::publish(&store, &urls, &author, &author, &empty).await, Err(DomainError::Invalid(_))));
    let stranger = ops::actors::add_member(&store, &urls, &member("vreemde"), &keys::generate()).await?;
    assert!(matches!(ops::posts::publish(&store, &urls, &stranger, &author, &draft).await, Err(DomainError::Forbidden)));
    assert_eq!(store::outbox::count_pending(&mut store.conn().await?).await?, 3, "refused work leaves no outbox entry");
    Ok(())
}

async fn visibility_is_enforced(store: Store) -> Result<()> {
    let urls = urls();
    let author = ops::actors::add_member(&store, &urls, &member("auteur"), &keys::generate()).await?;
    let follower = remote(&store, "http://localhost:9001/users/volger").await?;
    let recipient = remote(&store, "http://localhost:9002/users/ontvanger").await?;
    let stranger = "http://localhost:9003/users/vreemde";
    ops::follows::receive_follow(&store, &follower, &author, "http://localhost:9001/follows/1").await?;
    let publish = |visibility, recipients: Vec<String>| {
        let draft = PostDraft::plain("Bericht", visibility, recipients);
        let (store, urls, author) = (store.clone(), urls.clone(), author.clone());
        async move { ops::posts::publish(&store, &urls, &author, &author, &draft).await }
    };
    let public = publish(Visibility::Public, vec![]).await?;
    let followers_only = publish(Visibility::Followers, vec![]).await?;
    let direct = publish(Visibility::Direct, vec![recipient.ap_id.clone()]).await?;
    let may = |post: &buurtnet_domain::model::Post, reader: Option<&str>| {
        let (store, post, reader) = (store.clone(), post.clone(), reader.map(String::from));
        async move { ops::visibility::may_read(&store, &post, reader.as_deref()).await }
    };
    assert!(may(&public, None).await?);
    assert!(!may(&followers_only, None).await?);
    assert!(!may(&followers_only, Some(stranger)).await?);
    assert!(may(&followers_only, Some(&follower.ap_id)).await?);
    assert!(may(&followers_only, Some(&author.ap_id)).await?);
    assert!(may(&direct, Some(&recipient.ap_id)).await?);
    assert!(!may(&direct, Some(&follower.ap_id)).await?, "following is not enough for a direct message");
    assert!(
        matches!(ops::visibility::readable_post(&store, &direct.ap_id, Some(stranger)).await, Err(DomainError::NotFound)),
        "hidden, not forbidden"
    );
    Ok(())
}

async fn follows_follow_the_rules(store: Store) -> Result<()> {
    let urls = urls();
    let draft = InitiativeDraft {
        slug: "wijkpaleis".into(),
        name: "Het Wijkpaleis".into(),
        summary: String::new(),
        manually_approves_followers: true,
    };
    let initiative = ops::actors::add_initiative(&store, &urls, &draft, &keys::generate()).await?;
    let mut coordinator = member("kees");
    coordinator.initiative = Some(("wijkpaleis".into(), ROLE_COORDINATOR.into()));
    let kees = ops::actors::add_member(&store, &urls, &coordinator, &keys::generate()).await?;
    let greet = ops::actors::add_member(&store, &urls, &member("greet"), &keys::generate()).await?;

    assert_eq!(ops::follows::follow(&store, &urls, &kees, &greet).await?.state, FollowState::Accepted, "a local actor without approval");
    assert_eq!(ops::follows::follow(&store, &urls, &greet, &initiative).await?.state, FollowState::Pending);
    assert!(matches!(ops::follows::follow(&store, &urls, &greet, &greet).await, Err(DomainError::Invalid(_))));
    assert_eq!(ops::follows::approve(&store, &kees, &initiative, &greet).await?.state, FollowState::Accepted);
    assert!(matches!(ops::follows::approve(&store, &greet, &initiative, &kees).await, Err(DomainError::Forbidden)));
    assert_eq!(store::outbox::count_pending(&mut store.conn().await?).await?, 0, "local follows need no delivery");

    let remote_actor = remote(&store, "http://localhost:9001/users/ver").await?;
    let follow = ops::follows::receive_follow(&store, &remote_actor, &greet, "http://localhost:9001/follows/7").await?;
    assert_eq!(follow.state, FollowState::Accepted);
    let pending = ops::follows::receive_follow(&store, &remote_actor, &initiative, "http://localhost:9001/follows/8").await?;
    assert_eq!(pending.state, FollowState::Pending);
    ops::follows::reject(&store, &kees, &initiative, &remote_actor).await?;
    let events = waiting(&store).await?;
    assert_eq!(events[0], Outgoing::FollowAccepted { follow_id: follow.id });
    assert!(matches!(events[1], Outgoing::FollowRejected { .. }));
    let inboxes = store::follows::remote_follower_inboxes(&mut store.conn().await?, greet.id).await?;
    assert_eq!(inboxes, vec!["http://localhost:9001/inbox".to_string()], "shared inbox of the remote follower");

    ops::follows::follow(&store, &urls, &greet, &remote_actor).await?;
    let ours = store::follows::find(&mut store.conn().await?, greet.id, remote_actor.id).await?.expect("stored");
    assert!(
        matches!(ops::follows::receive_accept(&store, &greet, &ours.activity_ap_id).await, Err(DomainError::Forbidden)),
        "only the followee accepts"
    );
    ops::follows::receive_accept(&store, &remote_actor, &ours.activity_ap_id).await?;
    assert_eq!(store::follows::count_following(&mut store.conn().await?, greet.id).await?, 2, "the initiative and the remote actor");
    Ok(())
}

async fn deliveries_are_leased_retried_and_counted(store: Store) -> Result<()> {
    let urls = urls();
    let author = ops::actors::add_member(&store, &urls, &member("bezorger"), &keys::generate()).await?;
    let mut tx = store.begin().await?;
    let entry = store::outbox::push(&mut tx, &Outgoing::PostCreated { post_id: 1 }).await?;
    for host in ["a.example", "b.example"] {
        let inbox = format!("https://{host}/inbox");
        to_inbox(&mut tx, entry, author.id, &inbox, host, None).await?;
        to_inbox(&mut tx, entry, author.id, &inbox, host, None).await?;
    }
    tx.commit().await?;
    assert_eq!(store::deliveries::counts(&mut store.conn().await?).await?, (2, 0, 0), "one row per inbox");

    let mut tx = store.begin().await?;
    let only_b = store::deliveries::claim_due(&mut tx, ME, 10, 60_000, &["a.example".to_string()]).await?;
    assert_eq!(only_b.iter().map(|d| d.host.as_str()).collect::<Vec<_>>(), vec!["b.example"], "busy peers are skipped");
    store::deliveries::release_leases(&mut tx, &[only_b[0].id]).await?;
    tx.commit().await?;

    let mut tx = store.begin().await?;
    let claimed = store::deliveries::claim_due(&mut tx, ME, 10, 60_000, &[]).await?;
    tx.commit().await?;
    assert_eq!(claimed.len(), 2);
    let mut tx = store.begin().await?;
    assert!(store::deliveries::claim_due(&mut tx, ME, 10, 60_000, &[]).await?.is_empty(), "leased rows are not claimed twice");
    store::deliveries::mark_delivered(&mut tx, claimed[0].id).await?;
    store::deliveries::schedule_retry(&mut tx, claimed[1].id, buurtnet_domain::now_ms() + 3_600_000, "HTTP 503").await?;
    for _ in 0..3 {
        store::deliveries::record_peer_failure(&mut tx, &claimed[1].host, "HTTP 503", 3).await?;
    }
    store::deliveries::record_peer_success(&mut tx, &claimed[0].host).await?;
    tx.commit().await?;
    let mut conn = store.conn().await?;
    assert_eq!(store::deliveries::counts(&mut conn).await?, (1, 1, 0));
    let peers = store::deliveries::peers(&mut conn).await?;
    let failing = peers.iter().find(|p| p.host == claimed[1].host).expect("peer");
    assert_eq!(failing.consecutive_failures, 3);
    assert!(failing.unreachable_since.is_some(), "marked unreachable after 3 failures");
    assert!(peers.iter().find(|p| p.host == claimed[0].host).expect("peer").unreachable_since.is_none());
    drop(conn);

    let mut tx = store.begin().await?;
    assert!(store::deliveries::claim_due(&mut tx, ME, 10, 60_000, &[]).await?.is_empty(), "not due before its retry time");
    assert_eq!(store::deliveries::wake_host(&mut tx, &claimed[1].host).await?, 1);
    let again = store::deliveries::claim_due(&mut tx, ME, 10, 60_000, &[]).await?;
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempts, 1);
    store::deliveries::mark_failed(&mut tx, again[0].id, "gave up").await?;
    store::deliveries::record_peer_success(&mut tx, &claimed[1].host).await?;
    tx.commit().await?;
    let mut conn = store.conn().await?;
    assert_eq!(store::deliveries::counts(&mut conn).await?, (0, 1, 1));
    assert!(store::deliveries::peers(&mut conn).await?.iter().all(|p| p.unreachable_since.is_none()), "a success clears unreachable");
    Ok(())
}

/// The process number the store tests claim under.
const ME: i64 = 1;

/// A delivery of `http://localhost:8081/activities/1` (of outbox entry `entry`) to `inbox`.
async fn to_inbox(tx: &mut store::Tx, entry: i64, signer_id: i64, inbox: &str, host: &str, object: Option<&str>) -> Result<()> {
    let activity = store::deliveries::NewActivity {
        outbox_id: entry,
        activity_ap_id: "http://localhost:8081/activities/1",
        object_ap_id: object,
        signer_id,
        body: "{}",
    };
    store::deliveries::insert(tx, &activity, &[(inbox, host)]).await?;
    Ok(())
}

/// Deliveries of one object to one peer go one after the other, oldest first, also when the
/// oldest waits for a retry; other objects and other peers do not wait (issue 18).
async fn deliveries_of_one_object_to_one_peer_keep_their_order(store: Store) -> Result<()> {
    let author = ops::actors::add_member(&store, &urls(), &member("bezorger"), &keys::generate()).await?;
    let note = "http://localhost:8081/notes/1";
    let mut tx = store.begin().await?;
    let mut entries = Vec::new();
    for _ in 0..3 {
        entries.push(store::outbox::push(&mut tx, &Outgoing::PostCreated { post_id: 1 }).await?);
    }
    to_inbox(&mut tx, entries[0], author.id, "https://a.example/inbox", "a.example", Some(note)).await?;
    to_inbox(&mut tx, entries[0], author.id, "https://b.example/inbox", "b.example", Some(note)).await?;
    to_inbox(&mut tx, entries[1], author.id, "https://a.example/inbox", "a.example", Some(note)).await?;
    to_inbox(&mut tx, entries[2], author.id, "https://a.example/inbox", "a.example", Some("http://localhost:8081/notes/2")).await?;
    tx.commit().await?;
    let claim = || async {
        let mut tx = store.begin().await?;
        let claimed = store::deliveries::claim_due(&mut tx, ME, 10, 60_000, &[]).await?;
        tx.commit().await?;
        anyhow::Ok(claimed)
    };
    let first = claim().await?;
    let mut firsts: Vec<(i64, &str)> = first.iter().map(|d| (d.id, d.host.as_str())).collect();
    firsts.sort();
    assert_eq!(first.len(), 3, "the first of the note to each peer, and the other note: {firsts:?}");
    assert!(claim().await?.is_empty(), "the second of the note waits while the first is sent");
    let to_a = first.iter().filter(|d| d.host == "a.example").min_by_key(|d| d.id).expect("the first to a");
    let mut tx = store.begin().await?;
    store::deliveries::schedule_retry(&mut tx, to_a.id, buurtnet_domain::now_ms() - 1, "HTTP 503").await?;
    tx.commit().await?;
    let again = claim().await?;
    assert_eq!(again.iter().map(|d| d.id).collect::<Vec<_>>(), vec![to_a.id], "the failed first goes again, the second still waits");
    let mut tx = store.begin().await?;
    store::deliveries::mark_delivered(&mut tx, to_a.id).await?;
    tx.commit().await?;
    let next = claim().await?;
    assert_eq!(next.len(), 1, "once the first is delivered the second goes");
    assert!(next[0].host == "a.example" && next[0].id > to_a.id && !first.iter().any(|d| d.id == next[0].id));
    Ok(())
}

/// An outbox entry is marked expanded once: a second process finds it taken (issue 18).
async fn an_outbox_entry_is_expanded_once(store: Store) -> Result<()> {
    let mut tx = store.begin().await?;
    let entry = store::outbox::push(&mut tx, &Outgoing::PostCreated { post_id: 1 }).await?;
    tx.commit().await?;
    let mut tx = store.begin().await?;
    assert!(store::outbox::mark_expanded(&mut tx, entry).await?, "the first process takes it");
    tx.commit().await?;
    let mut tx = store.begin().await?;
    assert!(!store::outbox::mark_expanded(&mut tx, entry).await?, "the second finds it taken");
    Ok(())
}

/// A process frees the leases of processes that are gone, never those of one alive (on
/// PostgreSQL: one holding its advisory lock), and work held by one process is not taken by
/// another until its lease runs out (issue 18).
async fn leases_of_gone_processes_are_freed_and_work_is_held_by_one(store: Store) -> Result<()> {
    let author = ops::actors::add_member(&store, &urls(), &member("bezorger"), &keys::generate()).await?;
    let mut tx = store.begin().await?;
    let entry = store::outbox::push(&mut tx, &Outgoing::PostCreated { post_id: 1 }).await?;
    to_inbox(&mut tx, entry, author.id, "https://a.example/inbox", "a.example", None).await?;
    to_inbox(&mut tx, entry, author.id, "https://b.example/inbox", "b.example", None).await?;
    tx.commit().await?;
    let mut alive = store::processes::Presence::announce(&store).await?;
    let (gone, sweeper) = (7, 99);
    let mut tx = store.begin().await?;
    store::deliveries::claim_due(&mut tx, gone, 1, 60_000, &[]).await?;
    store::deliveries::claim_due(&mut tx, store.process_id(), 1, 60_000, &[]).await?;
    let freed = store::deliveries::release_orphaned_leases(&mut tx, sweeper).await?;
    tx.commit().await?;
    let expected = if store.backend() == "postgres" { 1 } else { 2 };
    assert_eq!(freed, expected, "the gone process's lease is freed (on SQLite, every other process counts as gone)");
    if store.backend() == "postgres" {
        lose_and_renew_the_lock(&store, &mut alive).await?;
    }

    let now = buurtnet_domain::now_ms();
    let (me, other) = (store.process_id(), 5);
    let mut tx = store.begin().await?;
    assert!(store::processes::take_work(&mut tx, "housekeeping", me, now + 60_000, now).await?, "free work is taken");
    assert!(store::processes::take_work(&mut tx, "housekeeping", me, now + 60_000, now).await?, "and kept by its holder");
    if store.backend() == "postgres" {
        assert!(!store::processes::take_work(&mut tx, "housekeeping", other, now + 60_000, now).await?, "not taken from one alive");
        assert!(store::processes::take_work(&mut tx, "housekeeping", other, now + 120_000, now + 61_000).await?, "until it runs out");
        assert!(store::processes::take_work(&mut tx, "mail", other, now + 60_000, now).await?);
        assert!(store::processes::take_work(&mut tx, "mail", me, now + 60_000, now).await?, "taken at once from one gone");
    }
    tx.commit().await?;
    Ok(())
}

/// The connection holding a process's lock is cut (as a database restart would): others see
/// the process as gone until it renews the lock, and then as alive again.
async fn lose_and_renew_the_lock(store: &Store, alive: &mut store::processes::Presence) -> Result<()> {
    let cut = format!(
        "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND objid::bigint = {}",
        store.process_id()
    );
    assert_eq!(buurtnet_tests::harness::execute_sql(store, &cut).await?, 1, "the lock's connection is cut");
    buurtnet_tests::harness::eventually("the cut lock is gone", || async {
        let mut tx = store.begin().await?;
        let freed = store::deliveries::release_orphaned_leases(&mut tx, 99).await?;
        tx.commit().await?;
        Ok((freed > 0).then_some(()))
    })
    .await?;
    alive.renew(store).await?;
    let mut tx = store.begin().await?;
    assert_eq!(store::deliveries::claim_due(&mut tx, store.process_id(), 10, 60_000, &[]).await?.len(), 2);
    assert_eq!(store::deliveries::release_orphaned_leases(&mut tx, 99).await?, 0, "renewed, the process is alive again");
    tx.commit().await?;
    Ok(())
}

/// Wrong passwords are counted in the database per account and client address, so the
/// slow-down holds whichever process answers (issue 18).
async fn wrong_passwords_slow_the_guesser_not_the_owner(store: Store) -> Result<()> {
    use buurtnet_domain::ops::password_guessing::{FREE_FAILURES, LONGEST_WAIT_MS, right, wait_left, wrong};
    let (guesser, owner) = ("203.0.113.9", "198.51.100.7");
    let now = buurtnet_domain::now_ms();
    for _ in 0..FREE_FAILURES - 1 {
        wrong(&store, "id:1", guesser, now).await?;
        assert_eq!(wait_left(&store, "id:1", guesser, now).await?, None, "the first tries are free");
    }
    wrong(&store, "id:1", guesser, now).await?;
    assert_eq!(wait_left(&store, "id:1", guesser, now).await?, Some(2000), "then the guesser waits");
    assert_eq!(wait_left(&store, "id:1", owner, now).await?, None, "the owner elsewhere does not");
    assert_eq!(wait_left(&store, "id:2", guesser, now).await?, None, "nor does another account");
    wrong(&store, "id:1", guesser, now).await?;
    assert_eq!(wait_left(&store, "id:1", guesser, now).await?, Some(4000), "the wait doubles");
    right(&store, "id:1", guesser).await?;
    assert_eq!(wait_left(&store, "id:1", guesser, now).await?, None, "a right password clears it");
    for _ in 0..FREE_FAILURES {
        wrong(&store, "id:3", guesser, now).await?;
    }
    let later = now + 2000 + LONGEST_WAIT_MS + 1;
    wrong(&store, "id:1", owner, later).await?;
    assert_eq!(
        store::password_failures::wait_until(&mut store.conn().await?, "id:3", guesser).await?,
        None,
        "a count is forgotten once its wait ended long ago"
    );
    Ok(())
}

async fn activities_are_remembered_and_domains_blocked(store: Store) -> Result<()> {
    let mut tx = store.begin().await?;
    assert!(store::inbox::remember_activity(&mut tx, "https://a.example/activities/1").await?);
    assert!(!store::inbox::remember_activity(&mut tx, "https://a.example/activities/1").await?, "a replay");
    store::inbox::forget_activity(&mut tx, "https://a.example/activities/1").await?;
    assert!(store::inbox::remember_activity(&mut tx, "https://a.example/activities/1").await?);
    store::inbox::block_domain(&mut tx, "Spam.Example", "spam").await?;
    store::inbox::block_actor(&mut tx, "https://a.example/users/troll", "harassment").await?;
    assert!(store::inbox::is_blocked(&mut tx, "https://spam.example/users/x", "spam.example").await?);
    assert!(store::inbox::is_blocked(&mut tx, "https://a.example/users/troll", "a.example").await?);
    assert!(!store::inbox::is_blocked(&mut tx, "https://a.example/users/buur", "a.example").await?);
    tx.commit().await?;
    Ok(())
}

async fn coalition_operations_are_kept_once_and_fold_alike_in_any_order(store: Store) -> Result<()> {
    use buurtnet_domain::model::coalition::{Change, Charter, OpKind, Operation};
    use buurtnet_federation::objects::coalition_op;
    let (a, b) = ("https://a.example/initiatives/a", "https://b.example/initiatives/b");
    let (a_keys, b_keys) = (keys::generate(), keys::generate());
    let day = 24 * 3600 * 1000;
    let charter = Charter {
        name: "Delfshaven".into(),
        description: String::new(),
        sponsors_needed: 1,
        objection_days: 7,
        removal_percent: buurtnet_domain::model::coalition::MAJORITY,
        change_percent: buurtnet_domain::model::coalition::MAJORITY,
    };
    let made = |id: &str, author: &str, parents: &[&str], at: i64, kind: OpKind| Operation {
        id: id.into(),
        author: author.into(),
        parents: parents.iter().map(|p| p.to_string()).collect(),
        published: at * day,
        kind,
        keys: Default::default(),
    };
    let ops = [(made("https://a.example/ops/1", a, &[], 0, OpKind::Found { charter, founders: vec![a.into()] }), &a_keys)];
    let coalition = coalition_op::coalition_id(&ops[0].0);
    let coalition = coalition.as_str();
    let ops = [
        ops[0].clone(),
        (made("https://b.example/ops/1", b, &["https://a.example/ops/1"], 1, OpKind::Propose(Change::Admit(b.into()))), &b_keys),
        (
            made(
                "https://a.example/ops/2",
                a,
                &["https://b.example/ops/1"],
                1,
                OpKind::Sponsor { proposal: "https://b.example/ops/1".into() },
            ),
            &a_keys,
        ),
        (
            made(
                "https://a.example/ops/3",
                a,
                &["https://a.example/ops/2"],
                9,
                OpKind::Admit { proposal: "https://b.example/ops/1".into() },
            ),
            &a_keys,
        ),
    ];
    // They arrive newest first: the early ones wait in the fold until their parents come.
    for (op, keys) in ops.iter().rev() {
        let raw = coalition_op::sign(op, coalition, &keys.ed25519_private_pkcs8)?.to_string();
        assert!(ops::coalitions::record(&store, coalition, op, &raw, ops::coalitions::Spread::Keep).await?);
        let state = ops::coalitions::state(&store, coalition).await?;
        assert!(state.members.len() <= 1 || op.id == "https://a.example/ops/1", "nothing counts before its parents");
        // The process remembers the fold (issue 18): asked again, it must be the fold of
        // exactly what is stored now.
        let readings = store::coalitions::readings(&mut store.conn().await?, coalition).await?;
        let stored = readings.iter().map(|(_, r)| serde_json::from_str::<Operation>(r)).collect::<Result<Vec<_>, _>>()?;
        let fresh = buurtnet_domain::model::coalition::fold(&stored);
        assert_eq!(state, fresh, "the fold after an arrival is the fold of what is stored");
        assert_eq!(ops::coalitions::state(&store, coalition).await?, fresh, "the remembered fold too");
    }
    let state = ops::coalitions::state(&store, coalition).await?;
    assert_eq!(state.members.iter().map(String::as_str).collect::<Vec<_>>(), vec![a, b]);
    assert!(state.pending.is_empty());
    let (op, keys) = &ops[1];
    let again = coalition_op::sign(op, coalition, &keys.ed25519_private_pkcs8)?.to_string();
    assert!(!ops::coalitions::record(&store, coalition, op, &again, ops::coalitions::Spread::Keep).await?, "a second copy changes nothing");
    let page = store::coalitions::raw_page(&mut store.conn().await?, coalition, 0, 10).await?;
    assert_eq!(page.len(), 4);
    let (first, key) = (serde_json::from_str::<serde_json::Value>(&page[3].1)?, &a_keys.ed25519_public_multibase);
    assert_eq!(coalition_op::parse_verified(&first, key)?.0, ops[0].0, "kept byte for byte: the proof still holds");
    Ok(())
}

/// The outbox entries waiting, each readable.
async fn waiting(store: &Store) -> Result<Vec<Outgoing>> {
    let pending = store::outbox::pending(&mut store.conn().await?, 10).await?;
    pending.into_iter().map(|(_, e)| e).collect::<Result<Vec<Outgoing>, _>>().map_err(anyhow::Error::msg)
}

/// A post's id is part of the id its peers keep. A node brought back from an older backup has
/// the counter of then: its next id must still be one it never handed out (issue 17).
async fn status_ids_are_time_ordered_and_never_handed_out_again(store: Store) -> Result<()> {
    use buurtnet_domain::store::{Handle as _, Raw};
    let before = buurtnet_domain::now_ms();
    let mut tx = store.begin().await?;
    let handed_out = store::posts::next_status_id(&mut tx).await?;
    tx.commit().await?;
    assert!(handed_out >= before << 16, "time-ordered, as Mastodon's: {handed_out}");
    // The counter as the backup had it: without the id handed out since.
    let mut conn = store.conn().await?;
    let sql = "UPDATE status_counter SET last = $1 - 1";
    match conn.raw() {
        Raw::Sqlite(c) => sqlx::query(sql).bind(handed_out).execute(c).await.map(|_| ()),
        Raw::Postgres(c) => sqlx::query(sql).bind(handed_out).execute(c).await.map(|_| ()),
    }?;
    drop(conn);
    // A restore takes longer than the millisecond the ids are counted in.
    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    let mut tx = store.begin().await?;
    let next = store::posts::next_status_id(&mut tx).await?;
    tx.commit().await?;
    assert!(next > handed_out, "{next} must come after {handed_out}");
    Ok(())
}

/// An inbox under load receives many notes at once (64 in flight, issue 18's benchmark): on
/// PostgreSQL the transactions run side by side, and each must still get an id of its own
/// without failing (once, eight of 64 gave up, "no free status id after eight tries"). Half
/// are plain notes, stored together in shared batches (`ops::receiving`); the other half carry
/// a signed original, so each goes alone, side by side with the batches.
async fn many_notes_arriving_at_once_are_all_kept_with_their_own_ids(store: Store) -> Result<()> {
    let author = remote(&store, "https://elders.example/users/truus").await?;
    let arrivals = (0..64).map(|n| {
        let store = store.clone();
        let post = buurtnet_domain::model::NewPost {
            ap_id: format!("https://elders.example/notes/{n}"),
            author_id: author.id,
            content: format!("<p>Wie helpt er mee? ({n})</p>"),
            source: None,
            summary: None,
            visibility: Visibility::Public,
            in_reply_to: None,
            url: None,
            published: buurtnet_domain::now_ms(),
            updated: None,
            is_local: false,
            recipients: vec![],
            language: None,
        };
        let extras = ops::posts::RemoteExtras { original: (n % 2 == 1).then(|| "{}".to_string()), ..Default::default() };
        tokio::spawn(async move { ops::posts::receive(&store, post, &extras).await })
    });
    let mut ids = std::collections::BTreeSet::new();
    for arrival in futures::future::join_all(arrivals).await {
        ids.insert(arrival??.id);
    }
    assert_eq!(ids.len(), 64, "each note has its own id");
    let tally = store.received_tally();
    assert_eq!((tally.answered, tally.failed), (32, 0), "the plain notes went in batches, and none failed: {tally:?}");
    assert!(tally.written < 32, "plain notes arriving together share batches: {tally:?}");
    Ok(())
}

/// What a peer says of an actor is kept through `ops::actors::learn_remote`, which never
/// writes over an actor of this node, whatever the federation layer checked before.
async fn a_peers_document_never_writes_over_an_actor_of_this_node(store: Store) -> Result<()> {
    let ours = buurtkeuken(&store, "buurtkeuken", false).await?;
    let mut claim = buurtnet_tests::harness::stand_in_remote_actor(&Url::parse(&ours.ap_id)?)?;
    claim.display_name = "Overgenomen".into();
    assert!(matches!(ops::actors::learn_remote(&store, &claim).await, Err(DomainError::Forbidden)));
    claim.is_local = true;
    assert!(matches!(ops::actors::learn_remote(&store, &claim).await, Err(DomainError::Forbidden)));
    let kept = store::actors::by_ap_id(&mut store.conn().await?, &ours.ap_id).await?.expect("still there");
    assert_eq!((kept.display_name.as_str(), kept.public_key_pem.as_str()), (ours.display_name.as_str(), ours.public_key_pem.as_str()));
    let elsewhere = buurtnet_tests::harness::stand_in_remote_actor(&Url::parse("http://localhost:9001/users/kees")?)?;
    assert!(!ops::actors::learn_remote(&store, &elsewhere).await?.is_local, "a peer's own actor is kept");
    Ok(())
}

/// An account's `statuses_count` (its public and unlisted posts, not deleted) is kept as posts
/// come and go, and always says what counting the posts would: a member's posts published and
/// deleted, a peer's received, deleted by the peer, and all gone with its account.
async fn statuses_count_stays_right_as_posts_come_and_go(store: Store) -> Result<()> {
    let urls = urls();
    let author = ops::actors::add_member(&store, &urls, &member("schrijver"), &keys::generate()).await?;
    let peer = remote(&store, "http://localhost:9001/users/kees").await?;
    let counted = async |actor: &buurtnet_domain::model::Actor| -> Result<i64> {
        let mut conn = store.conn().await?;
        let kept = store::actors::counts_of(&mut conn, &[actor.id]).await?.first().map_or(0, |c| c.statuses);
        let truth = store::posts::count_public_by_author(&mut conn, actor.id).await?;
        anyhow::ensure!(kept == truth, "{}: statuses_count {kept}, but {truth} posts", actor.username);
        Ok(kept)
    };
    let publish = async |text: &str, visibility: Visibility| {
        ops::posts::publish(&store, &urls, &author, &author, &PostDraft::plain(text, visibility, vec![])).await
    };
    let first = publish("Eerste", Visibility::Public).await?;
    publish("Tweede", Visibility::Unlisted).await?;
    publish("Alleen voor volgers", Visibility::Followers).await?;
    assert_eq!(counted(&author).await?, 2, "public and unlisted posts count, followers-only ones do not");
    ops::posts::delete(&store, &author, first.id).await?;
    assert_eq!(counted(&author).await?, 1);
    let _again = ops::posts::delete(&store, &author, first.id).await;
    assert_eq!(counted(&author).await?, 1, "a second delete counts nothing");

    let received =
        |n: usize| buurtnet_tests::harness::stand_in_remote_post(&peer, n, format!("<p>Bericht {n}</p>"), buurtnet_domain::now_ms());
    let extras = ops::posts::RemoteExtras::default();
    for n in 0..3 {
        ops::posts::receive(&store, received(n), &extras).await?;
    }
    ops::posts::receive(&store, received(0), &extras).await?;
    assert_eq!(counted(&peer).await?, 3, "a repeated delivery is counted once");
    assert!(ops::posts::receive_delete(&store, &peer, &format!("{}/notes/1", peer.ap_id), None).await?);
    assert!(!ops::posts::receive_delete(&store, &peer, &format!("{}/notes/1", peer.ap_id), None).await?);
    assert_eq!(counted(&peer).await?, 2, "a peer's Delete counts once");
    ops::posts::receive_account_deletion(&store, &peer).await?;
    assert_eq!(counted(&peer).await?, 0, "an account deleted takes its posts along");
    assert_eq!(counted(&author).await?, 1, "another author's count is left alone");
    Ok(())
}

/// A note from `author` addressed to fatima, with a hashtag, a mention and a conversation.
fn note_to_fatima(n: usize, author_id: i64) -> (buurtnet_domain::model::NewPost, ops::posts::RemoteExtras) {
    let fatima = "http://localhost:8081/users/fatima".to_string();
    let post = buurtnet_domain::model::NewPost {
        ap_id: format!("https://elders.example/notes/{n}"),
        author_id,
        content: format!("<p>Wie helpt er mee? #Buurt ({n})</p>"),
        source: None,
        summary: None,
        visibility: Visibility::Direct,
        in_reply_to: None,
        url: None,
        published: buurtnet_domain::now_ms(),
        updated: None,
        is_local: false,
        recipients: vec![fatima.clone()],
        language: None,
    };
    let extras = ops::posts::RemoteExtras {
        hashtags: vec!["Koffie".into()],
        mentions: vec![fatima],
        context: Some(format!("https://elders.example/contexts/{n}")),
        ..Default::default()
    };
    (post, extras)
}

/// Notes that arrive at once are stored in batches (`ops::receiving`, issue 18). Each must
/// get the answer and the rows it would get alone: a replay changes nothing, a note held
/// already leaves its activity id for the inbox to remember (also two copies in one batch),
/// and a note that cannot be stored (here: its author does not exist) fails by itself, not
/// the notes it shared a batch with.
async fn notes_stored_together_answer_and_keep_what_each_alone_would(store: Store) -> Result<()> {
    use ops::posts::Receipt;
    let fatima = ops::actors::add_member(&store, &urls(), &member("fatima"), &keys::generate()).await?;
    let author = remote(&store, "https://elders.example/users/truus").await?;
    let receive = |n: usize, author_id: i64| {
        let store = store.clone();
        let (mut post, extras) = note_to_fatima(n, author_id);
        // 0..30: new; 30..36: the activities of 0..6 again, with other notes; 36..42: the
        // notes of 6..12 under new activities.
        let activity = match n {
            30..36 => n - 30,
            36..42 => {
                post.ap_id = format!("https://elders.example/notes/{}", n - 30);
                n
            }
            _ => n,
        };
        let activity = format!("https://elders.example/activities/{activity}");
        tokio::spawn(async move { ops::posts::receive_activity(&store, post, &extras, &activity).await })
    };
    let receipts: Vec<_> = futures::future::join_all((0..42).map(|n| receive(n, author.id))).await;
    let receipts: Vec<_> = receipts.into_iter().map(|r| r.expect("the task ran")).collect();
    let tally = store.received_tally();
    assert_eq!((tally.answered, tally.failed), (42, 0), "{tally:?}");
    assert!(tally.written < 42, "notes arriving together share batches: {tally:?}");
    // Which of two copies comes first is up to the scheduler: one is stored, the other not.
    let mut stored = Vec::new();
    let mut left_for_the_inbox = vec![];
    for (n, receipt) in receipts.iter().enumerate() {
        let twin = if n < 30 { n + 30 } else { n - 30 };
        match receipt {
            Ok(Receipt::Stored(post)) => stored.push(post.clone()),
            Ok(Receipt::Replayed) if (30..36).contains(&n.max(twin)) => {
                assert!(matches!(receipts[twin], Ok(Receipt::Stored(_))), "note {n} is a replay of a stored note");
            }
            Ok(Receipt::Held(post)) if (36..42).contains(&n.max(twin)) => {
                assert!(
                    matches!(&receipts[twin], Ok(Receipt::Stored(first)) if first.id == post.id),
                    "note {n} is held as its twin stored it"
                );
                left_for_the_inbox.push(n);
            }
            other => panic!("note {n}: {other:?}"),
        }
    }
    assert_eq!(stored.len(), 30);
    let mut conn = store.conn().await?;
    assert_eq!(store::posts::by_author(&mut conn, author.id, 100, 0).await?.len(), 30, "30 rows, none for a replay or a copy");
    let mut contexts = std::collections::BTreeSet::new();
    for post in &stored {
        assert_eq!(store::posts::tags(&mut conn, post.id).await?, ["buurt", "koffie"]);
        assert_eq!(store::posts::mentions(&mut conn, post.id).await?, ["http://localhost:8081/users/fatima"]);
        assert_eq!(store::posts::recipients(&mut conn, post.id).await?, ["http://localhost:8081/users/fatima"]);
        contexts.extend(store::posts::context_of(&mut conn, post.id).await?);
    }
    assert_eq!(contexts.len(), 30, "each stored note keeps its own conversation");
    let mut ids: Vec<i64> = stored.iter().map(|post| post.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 30, "each stored note has its own id");
    let told = store::notifications::for_recipient(&mut conn, fatima.id, 100).await?;
    assert_eq!(told.len(), 30, "fatima is told once of each stored note");
    drop(conn);

    // A note by nobody we know, queued behind a good one and before another.
    let wave: Vec<_> = futures::future::join_all([receive(43, author.id), receive(42, 987_654), receive(44, author.id)]).await;
    let wave: Vec<_> = wave.into_iter().map(|r| r.expect("the task ran")).collect();
    assert!(matches!(wave[0], Ok(Receipt::Stored(_))) && matches!(wave[2], Ok(Receipt::Stored(_))), "{wave:?}");
    assert!(wave[1].is_err(), "a note by nobody we know is not stored");
    assert!(store.received_tally().failed >= 1, "its batch failed and its notes went alone");
    assert!(store::posts::by_ap_id(&mut store.conn().await?, "https://elders.example/notes/42").await?.is_none());
    left_for_the_inbox.push(42);

    let mut writer = store.writer().await?;
    for n in 0..45 {
        let id = format!("https://elders.example/activities/{n}");
        let remembered_before = !store::inbox::remember_activity(&mut writer, &id).await?;
        let expected = !left_for_the_inbox.contains(&n) && !(30..36).contains(&n);
        assert_eq!(remembered_before, expected, "activity {n}");
    }
    Ok(())
}

/// A write transaction dropped without its commit (a request cancelled, an error on the way)
/// leaves nothing, and the next one goes on at once; on SQLite a second writer waits for its
/// turn while the first holds it, and what the writer commits is read on the other
/// connections.
async fn a_write_left_unfinished_is_undone_and_the_next_goes_on(store: Store) -> Result<()> {
    let value_of = |key: &'static str| {
        let store = store.clone();
        async move { Ok::<_, anyhow::Error>(store::settings::all(&mut store.conn().await?).await?.into_iter().find(|(k, _)| k == key)) }
    };
    let mut left = store.begin().await?;
    store::settings::set(&mut left, "left", "unfinished").await?;
    if store.backend() == "sqlite" {
        let second = tokio::time::timeout(std::time::Duration::from_millis(200), store.writer()).await;
        assert!(second.is_err(), "a second writer got the turn while the first held it");
    }
    drop(left);
    let mut next = tokio::time::timeout(std::time::Duration::from_secs(2), store.begin()).await??;
    store::settings::set(&mut next, "next", "committed").await?;
    next.commit().await?;
    assert_eq!(value_of("left").await?, None, "the unfinished write was kept");
    assert_eq!(value_of("next").await?, Some(("next".into(), "committed".into())));
    store::settings::set(&mut store.writer().await?, "single", "statement").await?;
    assert_eq!(value_of("single").await?, Some(("single".into(), "statement".into())));
    Ok(())
}
