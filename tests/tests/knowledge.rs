//! Shared knowledge between nodes, on SQLite and PostgreSQL: an article edited from two
//! nodes at once (changes to different lines merged, a conflicting one refused with the
//! conflict and retried), edits held for review, forks with attribution.

use anyhow::Result;
use buurtnet_domain::model::{Actor, ArticleDraft, EditPolicy, PatchState, Visibility};
use buurtnet_domain::ops::articles;
use buurtnet_domain::{DomainError, store};
use buurtnet_tests::harness::{Backend, TestNode, eventually};
use buurtnet_tests::on_both_backends;
use serde_json::Value;

on_both_backends!(an_article_is_edited_from_two_nodes_at_once, edits_wait_for_review_and_forks_keep_their_origin);

const SOUP: &str = "Neem een grote pan.\nSnijd de groente.\nKook een uur.\nEet samen.\n";

fn draft(policy: EditPolicy) -> ArticleDraft {
    ArticleDraft { title: "Soep voor twintig".into(), source: SOUP.into(), edit_policy: policy }
}

/// The version of `article` that `node` holds.
async fn version_at(node: &TestNode, article: &str) -> Result<Option<i64>> {
    let Some(post) = node.post(article).await? else { return Ok(None) };
    Ok(store::articles::by_post_id(&mut node.store().conn().await?, post.id).await?.map(|a| a.version))
}

async fn until_version(node: &TestNode, article: &str, version: i64) -> Result<()> {
    eventually(&format!("version {version} at {}", node.base_url()), || async {
        Ok((version_at(node, article).await? == Some(version)).then_some(()))
    })
    .await
}

async fn propose(node: &TestNode, member: &Actor, article: &str, base_version: i64, text: &str) -> Result<i64> {
    let state = node.node.as_ref().expect("running").state();
    let patch = articles::propose(&state.store, &state.urls, member, article, base_version, text, "verbeterd").await?;
    state.wake_delivery();
    Ok(patch.id)
}

async fn until_patch(node: &TestNode, patch_id: i64, wanted: PatchState) -> Result<buurtnet_domain::model::ArticlePatch> {
    eventually(&format!("patch {patch_id} is {}", wanted.as_str()), || async {
        let patch = store::articles::patch_by_id(&mut node.store().conn().await?, patch_id).await?;
        Ok((patch.state == wanted).then_some(patch))
    })
    .await
}

async fn source_at(node: &TestNode, article: &str) -> Result<String> {
    let post = node.post(article).await?.expect("held");
    Ok(store::articles::by_post_id(&mut node.store().conn().await?, post.id).await?.expect("article").source)
}

async fn an_article_is_edited_from_two_nodes_at_once(backend: Backend) -> Result<()> {
    let home = TestNode::start(backend).await?;
    let west = TestNode::start(backend).await?;
    let east = TestNode::start(backend).await?;
    let initiative = home.add_initiative("buurtkeuken", false).await?;
    let coordinator = home.add_member("fatima", Some(&initiative)).await?;
    let (kees, noor) = (west.add_member("kees", None).await?, east.add_member("noor", None).await?);
    west.follow_and_wait(&kees, &initiative.ap_id).await?;
    east.follow_and_wait(&noor, &initiative.ap_id).await?;
    let state = home.node.as_ref().expect("running").state();
    let article =
        articles::publish(&state.store, &state.urls, &coordinator, &initiative, &draft(EditPolicy::Open), Visibility::Public).await?.ap_id;
    state.wake_delivery();

    let json: Value = reqwest::Client::new().get(&article).header("accept", "application/activity+json").send().await?.json().await?;
    assert_eq!((json["type"].as_str(), json["name"].as_str()), (Some("Article"), Some("Soep voor twintig")));
    assert_eq!(json["source"]["mediaType"], "text/markdown");
    assert_eq!(json["revision"], format!("{article}/revisions/1"));
    assert_eq!(json["url"], article.as_str(), "and the link back");
    assert_eq!(json["summary"], "Neem een grote pan. Snijd de groente. Kook een uur. Eet samen.", "what Mastodon shows under the title");
    until_version(&west, &article, 1).await?;
    until_version(&east, &article, 1).await?;

    // Both start from revision 1 and change different lines: both are merged.
    let west_patch = propose(&west, &kees, &article, 1, &SOUP.replace("Neem een grote pan.", "Neem een grote pan met deksel.")).await?;
    let east_patch = propose(&east, &noor, &article, 1, &SOUP.replace("Eet samen.", "Eet samen aan een lange tafel.")).await?;
    until_patch(&west, west_patch, PatchState::Merged).await?;
    until_patch(&east, east_patch, PatchState::Merged).await?;
    for node in [&home, &west, &east] {
        until_version(node, &article, 3).await?;
        let text = source_at(node, &article).await?;
        assert!(text.contains("met deksel") && text.contains("lange tafel"), "both edits everywhere: {text}");
    }

    // Both change the same line from revision 3: the first to arrive is merged, the other is
    // refused with the conflict, and its author tries again from the newest revision.
    let base = source_at(&west, &article).await?;
    let first = propose(&west, &kees, &article, 3, &base.replace("Kook een uur.", "Kook twee uur.")).await?;
    until_patch(&west, first, PatchState::Merged).await?;
    let second = propose(&east, &noor, &article, 3, &base.replace("Kook een uur.", "Kook een half uur.")).await?;
    let refused = until_patch(&east, second, PatchState::Rejected).await?;
    assert!(refused.reason.as_deref().is_some_and(|r| r.contains("dezelfde regels") && r.contains("<<<<<<<")), "{refused:?}");
    assert!(
        store::notifications::for_recipient(&mut east.store().conn().await?, noor.id, 10)
            .await?
            .iter()
            .any(|n| n.kind == articles::KIND_PATCH_REJECTED),
        "noor is told"
    );
    until_version(&east, &article, 4).await?;
    let newest = source_at(&east, &article).await?;
    let retry = propose(&east, &noor, &article, 4, &newest.replace("Kook twee uur.", "Kook twee uur, op laag vuur.")).await?;
    until_patch(&east, retry, PatchState::Merged).await?;
    for node in [&home, &west, &east] {
        until_version(node, &article, 5).await?;
    }
    assert!(source_at(&west, &article).await?.contains("Kook twee uur, op laag vuur."));

    let post = home.post(&article).await?.expect("home");
    let history = store::articles::revisions(&mut home.store().conn().await?, post.id).await?;
    assert_eq!(history.iter().map(|r| r.version).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5], "every revision kept");
    assert_eq!(history[4].editor_ap_id, noor.ap_id, "with who made it");
    assert!(history[4].diff.contains("+Kook twee uur, op laag vuur."));

    // On the home node, two editors at once: a stale base is merged, a clash is refused.
    let text = source_at(&home, &article).await?;
    articles::edit(&state.store, &coordinator, post.id, 5, &format!("# Soep\n{text}"), "kop erboven").await?;
    let clash = articles::edit(&state.store, &coordinator, post.id, 4, &text.replace("Kook twee uur", "Kook drie uur"), "").await;
    assert!(matches!(clash, Err(DomainError::Conflict(_))), "{clash:?}");
    Ok(())
}

async fn edits_wait_for_review_and_forks_keep_their_origin(backend: Backend) -> Result<()> {
    let home = TestNode::start(backend).await?;
    let away = TestNode::start(backend).await?;
    let initiative = home.add_initiative("buurtkeuken", false).await?;
    let coordinator = home.add_member("fatima", Some(&initiative)).await?;
    let elsewhere = away.add_initiative("wijkpaleis", false).await?;
    let kees = away.add_member("kees", Some(&elsewhere)).await?;
    away.follow_and_wait(&kees, &initiative.ap_id).await?;
    let state = home.node.as_ref().expect("running").state();
    let article = articles::publish(&state.store, &state.urls, &coordinator, &initiative, &draft(EditPolicy::Author), Visibility::Public)
        .await?
        .ap_id;
    state.wake_delivery();
    until_version(&away, &article, 1).await?;

    let patch = propose(&away, &kees, &article, 1, &SOUP.replace("Eet samen.", "Eet samen en ruim samen op.")).await?;
    let post = home.post(&article).await?.expect("home");
    let held = eventually("the patch waits for review", || async {
        Ok(store::articles::patches(&mut home.store().conn().await?, post.id).await?.into_iter().next())
    })
    .await?;
    assert_eq!(held.state, PatchState::Pending);
    assert_eq!(version_at(&home, &article).await?, Some(1), "nothing changes before review");
    let bystander = home.add_member("ans", None).await?;
    assert!(matches!(articles::review(&state.store, &bystander, held.id, true).await, Err(DomainError::Forbidden)));
    articles::review(&state.store, &coordinator, held.id, true).await?;
    state.wake_delivery();
    until_patch(&away, patch, PatchState::Merged).await?;
    until_version(&away, &article, 2).await?;

    // Kees's initiative takes the article into its own knowledge base.
    let away_state = away.node.as_ref().expect("running").state();
    let fork = articles::fork(&away_state.store, &away_state.urls, &kees, &elsewhere, &article).await?;
    let json: Value = reqwest::Client::new().get(&fork.ap_id).header("accept", "application/activity+json").send().await?.json().await?;
    assert_eq!(json["forkedFrom"], article.as_str());
    assert!(json["source"]["content"].as_str().is_some_and(|s| s.contains("ruim samen op")), "the text as it was");
    assert!(json["content"].as_str().is_some_and(|c| c.contains(&article)), "attribution readable in the text");
    Ok(())
}
