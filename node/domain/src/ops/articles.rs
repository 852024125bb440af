//! Shared knowledge (kennis): writing articles, editing them with every revision kept,
//! proposing edits to articles on other nodes, merging or declining proposed edits on the
//! home node, and forking an article into this node's knowledge base.
//!
//! An edit always names the revision it starts from. When the article moved on since, the
//! change is merged three ways; when it touches the same lines as a change made since, it is
//! refused with the conflict, and its author can start again from the newest revision.

use crate::error::{DomainError, Result, Say};
use crate::model::{
    Actor, Article, ArticleDraft, ArticlePatch, EditPolicy, NewPost, PatchRefusal, PatchState, Post, PostEdit, Visibility, diff,
    merge_patch, normalise, render_markdown, validate_source,
};
use crate::now_ms;
use crate::outbox::Outgoing;
use crate::store::articles::{NewRevision, Origin};
use crate::store::{self, Store, Tx};
use crate::urls::LocalUrls;

pub const KIND_PATCH_PROPOSED: &str = "patch_proposed";
pub const KIND_PATCH_MERGED: &str = "patch_merged";
pub const KIND_PATCH_REJECTED: &str = "patch_rejected";

/// The id of revision `version` of the article `article_ap_id` (ours).
pub fn revision_id(article_ap_id: &str, version: i64) -> String {
    format!("{article_ap_id}/revisions/{version}")
}

/// The article's text as posts show it: title, the rendered markdown, and where a fork came from.
fn render(title: &str, source: &str, origin: &Origin) -> String {
    let escape = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let mut html = format!("<h1>{}</h1>{}", escape(title.trim()), render_markdown(source));
    if let Some(original) = &origin.forked_from {
        let by = origin.forked_from_author.as_deref().map(|a| format!(" ({})", escape(a))).unwrap_or_default();
        html.push_str(&format!("<p>Overgenomen van / forked from <a href=\"{0}\">{0}</a>{by}</p>", escape(original)));
    }
    html
}

/// Publishes a new article as `author` (the member, or an initiative it coordinates).
pub async fn publish(
    store: &Store,
    urls: &LocalUrls,
    member: &Actor,
    author: &Actor,
    draft: &ArticleDraft,
    visibility: Visibility,
) -> Result<Post> {
    publish_with_origin(store, urls, member, author, draft, visibility, &Origin::default()).await
}

async fn publish_with_origin(
    store: &Store,
    urls: &LocalUrls,
    member: &Actor,
    author: &Actor,
    draft: &ArticleDraft,
    visibility: Visibility,
    origin: &Origin,
) -> Result<Post> {
    super::actors::may_publish_as(store, member, author).await?;
    draft.validate()?;
    visibility.for_an_audience()?;
    let source = normalise(&draft.source);
    let new = NewPost::local(author.id, render(&draft.title, &source, origin), source.clone(), visibility);
    let mut tx = store.begin().await?;
    let post = super::posts::insert_local(&mut tx, urls, new).await?;
    store::articles::insert(&mut tx, post.id, draft.title.trim(), draft.edit_policy, origin).await?;
    let first = revision_id(&post.ap_id, 1);
    let revision = NewRevision {
        post_id: post.id,
        version: 1,
        ap_id: &first,
        source: &source,
        diff: "",
        editor: &member.ap_id,
        summary: "eerste versie / first version",
    };
    store::articles::add_revision(&mut tx, &revision).await?;
    super::posts::announce_created(&mut tx, &post).await?;
    tx.commit().await?;
    Ok(post)
}

/// The article of a post, if it is one.
pub async fn of_post(store: &Store, post_id: i64) -> Result<Option<Article>> {
    store::articles::by_post_id(&mut store.conn().await?, post_id).await
}

/// Whether `member` may change the local article of `post` directly.
pub async fn may_edit(store: &Store, member: &Actor, post: &Post, article: &Article) -> Result<bool> {
    if !post.is_local || !member.is_local {
        return Ok(false);
    }
    let author = store::actors::by_id(&mut store.conn().await?, post.author_id).await?;
    if super::actors::may_act_as(store, member, &author).await? {
        return Ok(true);
    }
    Ok(match article.edit_policy {
        EditPolicy::Author => false,
        EditPolicy::Initiative => store::actors::initiative_role(&mut store.conn().await?, author.id, member.id).await?.is_some(),
        EditPolicy::Open => super::visibility::may_read(store, post, Some(&member.ap_id)).await?,
    })
}

/// A member changes a local article, starting from revision `base_version`. A change made
/// since by someone else is merged; one touching the same lines is refused with the conflict.
pub async fn edit(store: &Store, member: &Actor, post_id: i64, base_version: i64, source: &str, summary: &str) -> Result<Article> {
    validate_source(source)?;
    let post = store::posts::by_id(&mut store.conn().await?, post_id).await?;
    let article = of_post(store, post_id).await?.ok_or(DomainError::NotFound)?;
    if post.is_deleted() {
        return Err(DomainError::Gone);
    }
    if !may_edit(store, member, &post, &article).await? {
        return Err(DomainError::Forbidden);
    }
    let mut tx = store.begin().await?;
    let base = store::articles::revision(&mut tx, post_id, base_version).await?.ok_or(DomainError::NotFound)?;
    let merged =
        merge_patch(&base.source, &article.source, &diff(&base.source, source)).map_err(|failure| DomainError::conflict(failure.say()))?;
    record_revision(&mut tx, &post, &article, &merged, &member.ap_id, summary).await?;
    tx.commit().await?;
    of_post(store, post_id).await?.ok_or(DomainError::NotFound)
}

/// Makes `source` the next revision of a local article and sends the `Update{Article}`.
async fn record_revision(tx: &mut Tx, post: &Post, article: &Article, source: &str, editor: &str, summary: &str) -> Result<()> {
    let source = normalise(source);
    if source.chars().count() > crate::model::article_limits::MAX_SOURCE_CHARS {
        return Err(DomainError::invalid("source", Say::ArticleTooLong));
    }
    let version = article.version + 1;
    let change = diff(&article.source, &source);
    let summary: String = summary.trim().chars().take(crate::model::article_limits::MAX_SUMMARY_CHARS).collect();
    let id = revision_id(&post.ap_id, version);
    let revision = NewRevision { post_id: post.id, version, ap_id: &id, source: &source, diff: &change, editor, summary: &summary };
    store::articles::add_revision(tx, &revision).await?;
    let origin = Origin { forked_from: article.forked_from.clone(), forked_from_author: article.forked_from_author.clone() };
    let edit =
        PostEdit { content: render(&article.title, &source, &origin), source: Some(source.clone()), summary: None, updated: now_ms() };
    super::posts::change_text(tx, post, &edit).await?;
    if post.visibility.federates() {
        store::outbox::push(tx, &Outgoing::PostUpdated { post_id: post.id }).await?;
    }
    Ok(())
}

/// A member proposes a change to an article, made to revision `base_version` (the text they
/// started from): on another node, as a patch sent to its home node; here, as a patch for
/// those who may edit (or merged at once when they may).
pub async fn propose(
    store: &Store,
    urls: &LocalUrls,
    member: &Actor,
    article_ap_id: &str,
    base_version: i64,
    source: &str,
    summary: &str,
) -> Result<ArticlePatch> {
    validate_source(source)?;
    let post = store::posts::by_ap_id(&mut store.conn().await?, article_ap_id).await?.ok_or(DomainError::NotFound)?;
    let article = of_post(store, post.id).await?.ok_or(DomainError::NotFound)?;
    if post.is_deleted() {
        return Err(DomainError::Gone);
    }
    if !super::visibility::may_read(store, &post, Some(&member.ap_id)).await? {
        return Err(DomainError::NotFound);
    }
    let base = store::articles::revision(&mut store.conn().await?, post.id, base_version)
        .await?
        .ok_or_else(|| DomainError::invalid("version", Say::VersionUnknown))?;
    let change = diff(&base.source, source);
    let summary: String = summary.trim().chars().take(crate::model::article_limits::MAX_SUMMARY_CHARS).collect();
    let patch_id = urls.new_activity().to_string();
    let mut tx = store.begin().await?;
    let patch = store::articles::insert_patch(&mut tx, &patch_id, post.id, member.id, &base.ap_id, &change, &summary).await?;
    if !post.is_local {
        store::outbox::push(&mut tx, &Outgoing::PatchSent { patch_id: patch.id }).await?;
        tx.commit().await?;
        return Ok(patch);
    }
    tx.commit().await?;
    if may_edit(store, member, &post, &article).await? {
        review(store, member, patch.id, true).await
    } else {
        hold(store, &post, patch).await
    }
}

/// Keeps a patch for review and tells the people who may edit.
async fn hold(store: &Store, post: &Post, patch: ArticlePatch) -> Result<ArticlePatch> {
    let mut tx = store.begin().await?;
    let author = store::actors::by_id(&mut tx, post.author_id).await?;
    for person in super::matching::people_behind(&mut tx, &author).await? {
        store::notifications::insert(&mut tx, person.id, KIND_PATCH_PROPOSED, post.id, None).await?;
    }
    tx.commit().await?;
    Ok(patch)
}

/// A proposed edit from another node for one of our articles. Open articles merge it at
/// once (or refuse it with the conflict); others keep it for review.
pub async fn receive_patch(
    store: &Store,
    from: &Actor,
    article_ap_id: &str,
    patch_ap_id: &str,
    base_revision: &str,
    patch_diff: &str,
    summary: &str,
) -> Result<ArticlePatch> {
    let post = store::posts::by_ap_id(&mut store.conn().await?, article_ap_id).await?.ok_or(DomainError::NotFound)?;
    let article = of_post(store, post.id).await?.ok_or(DomainError::NotFound)?;
    if !post.is_local || !super::visibility::may_act_on(store, &post, &from.ap_id).await? {
        return Err(DomainError::NotFound);
    }
    if post.is_deleted() {
        return Err(DomainError::Gone);
    }
    let summary: String = crate::model::html::to_plain_text(&crate::model::html::sanitize(summary))
        .chars()
        .take(crate::model::article_limits::MAX_SUMMARY_CHARS)
        .collect();
    let mut tx = store.begin().await?;
    if let Some(known) = store::articles::patch_by_ap_id(&mut tx, patch_ap_id).await? {
        return Ok(known);
    }
    let patch = store::articles::insert_patch(&mut tx, patch_ap_id, post.id, from.id, base_revision, patch_diff, &summary).await?;
    if article.edit_policy == EditPolicy::Open {
        let patch = apply(&mut tx, &post, patch).await?;
        tx.commit().await?;
        return Ok(patch);
    }
    tx.commit().await?;
    hold(store, &post, patch).await
}

/// Someone who may edit merges (`accept`) or declines a proposed edit.
pub async fn review(store: &Store, member: &Actor, patch_id: i64, accept: bool) -> Result<ArticlePatch> {
    let patch = store::articles::patch_by_id(&mut store.conn().await?, patch_id).await?;
    let post = store::posts::by_id(&mut store.conn().await?, patch.article_post_id).await?;
    let article = of_post(store, post.id).await?.ok_or(DomainError::NotFound)?;
    if !may_edit(store, member, &post, &article).await? {
        return Err(DomainError::Forbidden);
    }
    if patch.state != PatchState::Pending {
        return Err(DomainError::conflict(Say::EditHandledAlready));
    }
    let mut tx = store.begin().await?;
    let patch = if accept {
        apply(&mut tx, &post, patch).await?
    } else {
        decide(&mut tx, patch, PatchState::Rejected, Some(&PatchRefusal::Declined.reason())).await?
    };
    tx.commit().await?;
    Ok(patch)
}

/// Merges a patch into the article's newest revision, or refuses it with the reason.
async fn apply(tx: &mut Tx, post: &Post, patch: ArticlePatch) -> Result<ArticlePatch> {
    let article = store::articles::by_post_id(tx, post.id).await?.ok_or(DomainError::NotFound)?;
    let base = store::articles::revision_by_ap_id(tx, &patch.base_revision).await?.filter(|r| r.article_post_id == post.id);
    let Some(base) = base else {
        return decide(tx, patch, PatchState::Rejected, Some(&PatchRefusal::UnknownBase.reason())).await;
    };
    match merge_patch(&base.source, &article.source, &patch.diff) {
        Ok(merged) => {
            let editor = store::actors::by_id(tx, patch.author_id).await?.ap_id;
            record_revision(tx, post, &article, &merged, &editor, &patch.summary).await?;
            decide(tx, patch, PatchState::Merged, None).await
        }
        Err(failure) => decide(tx, patch, PatchState::Rejected, Some(&PatchRefusal::Unmergeable(failure).reason())).await,
    }
}

/// Records the decision and tells the patch's author: here by a notification, elsewhere by
/// an `Accept` or `Reject`.
async fn decide(tx: &mut Tx, patch: ArticlePatch, state: PatchState, reason: Option<&str>) -> Result<ArticlePatch> {
    store::articles::decide_patch(tx, patch.id, state, reason).await?;
    let author = store::actors::by_id(tx, patch.author_id).await?;
    if author.is_local {
        let kind = if state == PatchState::Merged { KIND_PATCH_MERGED } else { KIND_PATCH_REJECTED };
        store::notifications::insert(tx, author.id, kind, patch.article_post_id, None).await?;
    } else {
        store::outbox::push(tx, &Outgoing::PatchAnswered { patch_id: patch.id }).await?;
    }
    store::articles::patch_by_id(tx, patch.id).await
}

/// The home node of an article answered one of our patches. Only the article's author may.
pub async fn receive_answer(store: &Store, from: &Actor, patch_ap_id: &str, merged: bool, reason: Option<&str>) -> Result<bool> {
    let mut tx = store.begin().await?;
    let Some(patch) = store::articles::patch_by_ap_id(&mut tx, patch_ap_id).await? else { return Ok(false) };
    let post = store::posts::by_id(&mut tx, patch.article_post_id).await?;
    if post.author_id != from.id || post.is_local {
        return Err(DomainError::Forbidden);
    }
    let reason: Option<String> = reason.map(|r| r.chars().take(4000).collect());
    let state = if merged { PatchState::Merged } else { PatchState::Rejected };
    decide_quietly(&mut tx, &patch, state, reason.as_deref()).await?;
    tx.commit().await?;
    Ok(true)
}

async fn decide_quietly(tx: &mut Tx, patch: &ArticlePatch, state: PatchState, reason: Option<&str>) -> Result<()> {
    store::articles::decide_patch(tx, patch.id, state, reason).await?;
    let kind = if state == PatchState::Merged { KIND_PATCH_MERGED } else { KIND_PATCH_REJECTED };
    store::notifications::insert(tx, patch.author_id, kind, patch.article_post_id, None).await?;
    Ok(())
}

/// Whether `ap_id` names a patch we hold.
pub async fn is_patch(store: &Store, ap_id: &str) -> Result<bool> {
    Ok(store::articles::patch_by_ap_id(&mut store.conn().await?, ap_id).await?.is_some())
}

/// An article as a peer sends it: its current text and the id of that revision.
#[derive(Debug, Clone)]
pub struct RemoteArticle {
    pub title: String,
    pub source: String,
    pub revision_ap_id: String,
    pub version: i64,
    pub forked_from: Option<String>,
}

/// Stores (or brings up to date) our copy of a peer's article, beside its post (in the
/// caller's transaction).
pub(crate) async fn apply_remote(tx: &mut Tx, post: &Post, remote: &RemoteArticle) -> Result<()> {
    let title: String = remote.title.trim().chars().take(crate::model::article_limits::MAX_TITLE_CHARS).collect();
    let source: String = normalise(&remote.source).chars().take(crate::model::article_limits::MAX_SOURCE_CHARS).collect();
    if store::articles::by_post_id(tx, post.id).await?.is_none() {
        let origin = Origin { forked_from: remote.forked_from.clone(), forked_from_author: None };
        store::articles::insert(tx, post.id, &title, EditPolicy::Author, &origin).await?;
    }
    store::articles::set_title(tx, post.id, &title).await?;
    if store::articles::revision_by_ap_id(tx, &remote.revision_ap_id).await?.is_none() {
        let version = remote.version.max(1);
        let revision =
            NewRevision { post_id: post.id, version, ap_id: &remote.revision_ap_id, source: &source, diff: "", editor: "", summary: "" };
        store::articles::add_revision(tx, &revision).await?;
    }
    Ok(())
}

/// Copies an article (here or from another node) into this node's knowledge base, as
/// `author`, keeping a link to the original and its author.
pub async fn fork(store: &Store, urls: &LocalUrls, member: &Actor, author: &Actor, article_ap_id: &str) -> Result<Post> {
    let mut conn = store.conn().await?;
    let original = store::posts::by_ap_id(&mut conn, article_ap_id).await?.ok_or(DomainError::NotFound)?;
    let article = store::articles::by_post_id(&mut conn, original.id).await?.ok_or(DomainError::NotFound)?;
    let original_author = store::actors::by_id(&mut conn, original.author_id).await?;
    drop(conn);
    if original.is_deleted() || !super::visibility::may_read(store, &original, Some(&member.ap_id)).await? {
        return Err(DomainError::NotFound);
    }
    let draft = ArticleDraft { title: article.title.clone(), source: article.source.clone(), edit_policy: EditPolicy::Author };
    let origin = Origin { forked_from: Some(original.ap_id.clone()), forked_from_author: Some(original_author.ap_id.clone()) };
    publish_with_origin(store, urls, member, author, &draft, Visibility::Public, &origin).await
}
