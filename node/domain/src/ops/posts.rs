//! Publishing, editing and deleting posts; storing the ones peers send us.

use crate::error::{DomainError, Result, Say};
use crate::model::{Actor, NewPost, Post, PostEdit, Visibility, html};
use crate::now_ms;
use crate::outbox::Outgoing;
use crate::store::received::Arrival;
use crate::store::{self, Store};
use crate::urls::LocalUrls;

/// Longest post text we take, in characters.
pub const MAX_POST_CHARS: usize = 5000;

/// What a member writes.
#[derive(Debug, Clone)]
pub struct PostDraft {
    pub text: String,
    pub content_warning: Option<String>,
    pub visibility: Visibility,
    /// The id of the post this answers.
    pub in_reply_to: Option<String>,
    /// Actors addressed by id (for direct posts: the only readers).
    pub recipients: Vec<String>,
    /// The member's uploaded images to attach.
    pub media_ids: Vec<i64>,
    /// ISO 639 code, when the app says.
    pub language: Option<String>,
}

impl PostDraft {
    /// A post of `text` with `visibility`, addressed to `recipients`, and nothing else.
    pub fn plain(text: impl Into<String>, visibility: Visibility, recipients: Vec<String>) -> PostDraft {
        PostDraft { text: text.into(), content_warning: None, visibility, in_reply_to: None, recipients, media_ids: vec![], language: None }
    }
}

fn validate(draft: &PostDraft) -> Result<()> {
    validate_text(&draft.text, !draft.media_ids.is_empty())?;
    if draft.visibility == Visibility::Direct && draft.recipients.is_empty() {
        return Err(DomainError::invalid("recipients", Say::DirectNeedsRecipient));
    }
    Ok(())
}

/// A post's text: something (unless a picture says it), and not too long.
fn validate_text(text: &str, has_media: bool) -> Result<()> {
    let length = text.trim().chars().count();
    if length == 0 && !has_media {
        return Err(DomainError::invalid("text", Say::WriteSomethingFirst));
    }
    if length > MAX_POST_CHARS {
        return Err(DomainError::invalid("text", Say::AtMostChars(MAX_POST_CHARS)));
    }
    Ok(())
}

/// Publishes a post as `author`, on behalf of `member` (the same, or an initiative the member
/// coordinates). Writes the post and a `PostCreated` outbox entry in one transaction.
pub async fn publish(store: &Store, urls: &LocalUrls, member: &Actor, author: &Actor, draft: &PostDraft) -> Result<Post> {
    super::actors::may_publish_as(store, member, author).await?;
    validate(draft)?;
    let mut new = NewPost {
        summary: draft.content_warning.clone().filter(|s| !s.trim().is_empty()),
        in_reply_to: draft.in_reply_to.clone(),
        recipients: draft.recipients.clone(),
        language: draft.language.as_deref().and_then(crate::model::language_code),
        ..NewPost::local(author.id, html::text_to_html(&draft.text), draft.text.trim().to_string(), draft.visibility)
    };
    let mut tx = store.begin().await?;
    new.content = with_mention_links(&mut tx, &new.content, &draft.recipients).await?;
    let post = insert_local(&mut tx, urls, new).await?;
    store::posts::add_mentions(&mut tx, post.id, &draft.recipients).await?;
    join_parents_context(&mut tx, &post).await?;
    super::media::attach(&mut tx, member, post.id, &draft.media_ids).await?;
    announce_created(&mut tx, &post).await?;
    tx.commit().await?;
    Ok(post)
}

/// Stores a plain post that `author` brings along from another node, with the time it was
/// first published there, checked as a new post is, and queues its `Create` (in the caller's
/// transaction). Its text is typed text, never HTML.
pub(crate) async fn insert_handed_over(
    tx: &mut store::Tx,
    urls: &LocalUrls,
    author: &Actor,
    draft: &PostDraft,
    published: i64,
) -> Result<Post> {
    validate(draft)?;
    let new = NewPost {
        summary: draft.content_warning.clone().filter(|s| !s.trim().is_empty()),
        published,
        ..NewPost::local(author.id, html::text_to_html(&draft.text), draft.text.trim().to_string(), draft.visibility)
    };
    let post = insert_local(tx, urls, new).await?;
    announce_created(tx, &post).await?;
    Ok(post)
}

/// Stores a new local post inside `tx`: its id is built from its row id, and a coalition post
/// is addressed to the author's coalition. Offers, needs and events are posts too and come
/// through here.
pub(crate) async fn insert_local(tx: &mut store::Tx, urls: &LocalUrls, mut new: NewPost) -> Result<Post> {
    if new.visibility == Visibility::Coalition {
        new.recipients = super::coalitions::partners(tx, new.author_id).await?;
    }
    let stored = store::posts::insert(tx, &new).await?;
    let ap_id = urls.note(stored.id).to_string();
    store::posts::set_ap_id(tx, stored.id, &ap_id, &ap_id).await?;
    let stored = store::posts::by_id(tx, stored.id).await?;
    notify_mentioned(tx, &stored, &new.recipients).await?;
    Ok(stored)
}

/// A local post's HTML with the accounts it mentions linked where the text names them.
async fn with_mention_links(tx: &mut store::Tx, content: &str, mentioned: &[String]) -> Result<String> {
    let mut actors = Vec::new();
    for ap_id in mentioned {
        actors.extend(store::actors::by_ap_id(tx, ap_id).await?);
    }
    let named: Vec<html::Mentioned<'_>> = actors
        .iter()
        .map(|a| html::Mentioned {
            username: &a.username,
            host: &a.domain,
            is_local: a.is_local,
            url: a.url.as_deref().unwrap_or(&a.ap_id),
        })
        .collect();
    Ok(html::link_mentions(content, &named))
}

/// A reply belongs to the conversation (FEP-7888 `context`) of the post it answers.
async fn join_parents_context(tx: &mut store::Tx, post: &Post) -> Result<()> {
    let Some(parent) = post.in_reply_to.as_deref() else { return Ok(()) };
    let Some(parent) = store::posts::by_ap_id(tx, parent).await? else { return Ok(()) };
    if let Some(context) = store::posts::context_of(tx, parent.id).await? {
        store::posts::set_context(tx, post.id, &context).await?;
    }
    Ok(())
}

/// Queues the `Create` of a post for peers, unless it never leaves this node.
pub(crate) async fn announce_created(tx: &mut store::Tx, post: &Post) -> Result<()> {
    if post.visibility.federates() {
        store::outbox::push(tx, &Outgoing::PostCreated { post_id: post.id }).await?;
    }
    super::coalitions::announce_in_replicas(tx, post).await
}

pub(crate) async fn own_post(store: &Store, member: &Actor, post_id: i64) -> Result<Post> {
    let post = store::posts::by_id(&mut store.conn().await?, post_id).await?;
    if post.is_deleted() {
        return Err(DomainError::Gone);
    }
    let author = store::actors::by_id(&mut store.conn().await?, post.author_id).await?;
    if !post.is_local || !super::actors::may_act_as(store, member, &author).await? {
        return Err(DomainError::Forbidden);
    }
    Ok(post)
}

/// Changes the text of a local post and announces the `Update`.
pub async fn edit(store: &Store, member: &Actor, post_id: i64, text: &str, content_warning: Option<String>) -> Result<Post> {
    let post = own_post(store, member, post_id).await?;
    validate_text(text, false)?;
    let mut tx = store.begin().await?;
    let mentioned = store::posts::mentions(&mut tx, post.id).await?;
    let change = PostEdit {
        content: with_mention_links(&mut tx, &html::text_to_html(text), &mentioned).await?,
        source: Some(text.trim().to_string()),
        summary: content_warning.filter(|s| !s.trim().is_empty()),
        updated: now_ms(),
    };
    change_text(&mut tx, &post, &change).await?;
    if post.visibility.federates() {
        store::outbox::push(&mut tx, &Outgoing::PostUpdated { post_id: post.id }).await?;
    }
    let post = store::posts::by_id(&mut tx, post.id).await?;
    tx.commit().await?;
    Ok(post)
}

/// Changes a post's text. Every edit goes through here: the replicas here that announced the
/// post pass the new version on to their followers.
pub(crate) async fn change_text(tx: &mut store::Tx, post: &Post, change: &PostEdit) -> Result<()> {
    store::posts::edit(tx, post.id, change).await?;
    super::coalitions::pass_on_in_replicas(tx, post).await
}

/// Marks a post deleted. Every deletion goes through here: the replicas here that announced
/// the post take it back.
pub(crate) async fn mark_deleted(tx: &mut store::Tx, post: &Post) -> Result<()> {
    store::posts::mark_deleted(tx, post.id).await?;
    super::coalitions::unannounce_in_replicas(tx, post).await
}

/// Deletes a local post (it answers 410 Gone afterwards) and announces the `Delete`.
pub async fn delete(store: &Store, member: &Actor, post_id: i64) -> Result<()> {
    let post = own_post(store, member, post_id).await?;
    delete_local(store, &post).await
}

/// Deletes a local post and announces the `Delete`, as its author would: an offer or need
/// among them counts as withdrawn and its pending responses are declined first.
pub(crate) async fn delete_local(store: &Store, post: &Post) -> Result<()> {
    let mut tx = store.begin().await?;
    let recipients = store::posts::recipients(&mut tx, post.id).await?;
    super::proposals::on_deleted(&mut tx, post).await?;
    mark_deleted(&mut tx, post).await?;
    if post.visibility.federates() {
        store::outbox::push(&mut tx, &Outgoing::PostDeleted { post_id: post.id, recipients }).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// What a peer's object carries beyond the post: the fields of an event, an article or an
/// offer or need. Stored in the same transaction as the post, so a crash never leaves a post
/// without them (the peer would not send it again).
#[derive(Debug, Clone, Default)]
pub struct RemoteExtras {
    pub event: Option<(crate::model::EventDraft, super::events::RemoteEventState, Vec<String>)>,
    pub article: Option<super::articles::RemoteArticle>,
    pub proposal: Option<crate::model::ProposalDraft>,
    /// The state its author gives an offer or need (open, being helped, helped, ...).
    pub proposal_state: Option<crate::model::ProposalState>,
    /// What the figures count of it, as its author states it.
    pub proposal_facts: Option<crate::model::ProposalFacts>,
    /// Pictures and other files, kept as links.
    pub attachments: Vec<crate::model::media::NewMedia>,
    /// Hashtags given beside the text (`Hashtag` tags).
    pub hashtags: Vec<String>,
    /// The actors the post mentions (`Mention` tags), by id.
    pub mentions: Vec<String>,
    /// The conversation it belongs to (FEP-7888 `context`).
    pub context: Option<String>,
    /// The object as it came, with its author's integrity proof (coalition content), kept to
    /// pass on to other replicas.
    pub original: Option<String>,
}

/// Stores a post a peer sent us, with its extras. Its HTML is sanitised here, whatever the
/// caller did. A post we hold already (or deleted once) is returned as it is: a late
/// `Create` must not bring a deleted post back.
pub async fn receive(store: &Store, post: NewPost, extras: &RemoteExtras) -> Result<Post> {
    match store_received(store, post, extras, None).await? {
        Receipt::Stored(post) | Receipt::Held(post) => Ok(post),
        Receipt::Replayed => Err(DomainError::Corrupt("no activity id, yet one seen before".into())),
    }
}

/// What became of a post received with the id of the activity that carried it.
#[derive(Debug)]
pub enum Receipt {
    /// Stored, and the activity id remembered in the same transaction.
    Stored(Post),
    /// Held already (a repeat under another activity id, or deleted once), returned as it
    /// is; the activity id is not remembered.
    Held(Post),
    /// The activity id was remembered already (a replay, or a copy that came at the same
    /// time): nothing changed.
    Replayed,
}

/// [`receive`], remembering `activity_id` in the post's own transaction (the inbox's replay
/// memory, `store::inbox`): one turn to write instead of two, and never one without the
/// other. Of two copies of an activity at once, the unique id lets one store the post.
pub async fn receive_activity(store: &Store, post: NewPost, extras: &RemoteExtras, activity_id: &str) -> Result<Receipt> {
    store_received(store, post, extras, Some(activity_id)).await
}

async fn store_received(store: &Store, mut post: NewPost, extras: &RemoteExtras, activity_id: Option<&str>) -> Result<Receipt> {
    (post.content, post.summary) = sanitized(std::mem::take(&mut post.content), post.summary.take()).await?;
    post.is_local = false;
    if super::receiving::is_plain(extras) {
        let ap_id = post.ap_id.clone();
        match super::receiving::store_together(store, super::receiving::note(post, extras, activity_id)).await? {
            Ok(Arrival::Stored(stored)) => return Ok(Receipt::Stored(*stored)),
            Ok(Arrival::Held) => return Ok(Receipt::Held(held(store, &ap_id).await?)),
            Ok(Arrival::Replayed) => return Ok(Receipt::Replayed),
            // Its batch failed: alone, it fails by itself or not at all.
            Err(note) => post = note.post,
        }
    }
    let mut tx = store.begin().await?;
    if let Some(id) = activity_id
        && !store::inbox::remember_activity(&mut tx, id).await?
    {
        return Ok(Receipt::Replayed);
    }
    // Known already (a repeat, or the same post's `Create` and `Update` arriving together):
    // the version stored stands, this one's extras must not overwrite it.
    let Some(stored) = store::posts::insert_if_new(&mut tx, &post).await? else {
        drop(tx);
        return Ok(Receipt::Held(held(store, &post.ap_id).await?));
    };
    store::posts::add_tags(&mut tx, stored.id, &extras.hashtags).await?;
    store::posts::add_mentions(&mut tx, stored.id, &extras.mentions).await?;
    if let Some(context) = &extras.context {
        store::posts::set_context(&mut tx, stored.id, context).await?;
    }
    notify_mentioned(&mut tx, &stored, &[post.recipients.clone(), extras.mentions.clone()].concat()).await?;
    for attachment in extras.attachments.iter().take(crate::model::media::MAX_ATTACHMENTS) {
        store::media::insert(&mut tx, stored.author_id, Some(stored.id), attachment).await?;
    }
    apply_extras(&mut tx, &stored, extras).await?;
    super::coalitions::announce_in_replicas(&mut tx, &stored).await?;
    tx.commit().await?;
    after_receipt(store, &stored, extras).await;
    Ok(Receipt::Stored(stored))
}

/// The post held already with the id of one received.
async fn held(store: &Store, ap_id: &str) -> Result<Post> {
    store::posts::by_ap_id(&mut store.conn().await?, ap_id).await?.ok_or(DomainError::NotFound)
}

/// A peer's HTML and summary, cleaned off the async workers (the cost is bounded by
/// [`html::MAX_ELEMENTS`] and [`html::MAX_DEPTH`], but a 512 KiB post still takes a while),
/// unless they are short: then handing them to another thread and back costs more.
async fn sanitized(content: String, summary: Option<String>) -> Result<(String, Option<String>)> {
    /// Up to this many bytes of HTML are cleaned in place (some tens of microseconds).
    const IN_PLACE: usize = 2048;
    // A summary that cleans down to nothing (only a `<script>`) is no warning; an empty one
    // (a post only marked `sensitive`) stays one.
    let warning = |s: String| Some(html::to_plain_text(&html::sanitize(&s))).filter(|clean| !clean.is_empty() || s.is_empty());
    if content.len() + summary.as_ref().map_or(0, String::len) <= IN_PLACE {
        return Ok((html::sanitize(&content), summary.and_then(warning)));
    }
    tokio::task::spawn_blocking(move || (html::sanitize(&content), summary.and_then(warning)))
        .await
        .map_err(|e| DomainError::Internal(format!("sanitising failed: {e}")))
}

/// Applies a peer's `Update` to a post it authored, with its extras, in one transaction.
pub async fn receive_update(
    store: &Store,
    author: &Actor,
    ap_id: &str,
    content: &str,
    summary: Option<String>,
    updated: i64,
    extras: &RemoteExtras,
) -> Result<()> {
    let mut tx = store.begin().await?;
    let post = store::posts::by_ap_id(&mut tx, ap_id).await?.ok_or(DomainError::NotFound)?;
    if post.author_id != author.id || post.is_local {
        return Err(DomainError::Forbidden);
    }
    // An update that arrives after a newer one (a retry, a slow path) must not undo it.
    if post.updated.is_some_and(|newer| updated < newer) {
        return Ok(());
    }
    let (content, summary) = sanitized(content.to_string(), summary).await?;
    let change = PostEdit { content, source: None, summary, updated };
    change_text(&mut tx, &post, &change).await?;
    if !post.is_deleted() {
        apply_extras(&mut tx, &post, extras).await?;
    }
    tx.commit().await?;
    after_receipt(store, &post, extras).await;
    Ok(())
}

async fn apply_extras(tx: &mut store::Tx, post: &Post, extras: &RemoteExtras) -> Result<()> {
    if let Some(original) = &extras.original {
        store::posts::keep_original(tx, post.id, original).await?;
    }
    if let Some((draft, state, organisers)) = &extras.event {
        super::events::apply_remote(tx, post, draft, *state).await?;
        super::events::apply_organisers(tx, post, organisers).await?;
    }
    if let Some(article) = &extras.article {
        super::articles::apply_remote(tx, post, article).await?;
    }
    if let Some(draft) = &extras.proposal {
        super::proposals::apply_remote(tx, post, draft, extras.proposal_state).await?;
        if let Some(facts) = &extras.proposal_facts {
            store::proposals::set_facts(tx, post.id, facts).await?;
        }
    }
    Ok(())
}

/// Notification kind for a post that names a member, as Mastodon names it.
pub const KIND_MENTION: &str = "mention";

/// Tells the local members a post names (addresses) about it.
pub(crate) async fn notify_mentioned(tx: &mut store::Tx, post: &Post, recipients: &[String]) -> Result<()> {
    let mut named: Vec<(i64, i64, &str)> = recipients.iter().map(|r| (post.id, post.author_id, r.as_str())).collect();
    named.sort();
    named.dedup();
    store::beside_posts::notify_named(tx, KIND_MENTION, &named).await
}

/// What follows a receipt outside its transaction: match suggestions for offers and needs.
async fn after_receipt(store: &Store, post: &Post, extras: &RemoteExtras) {
    if extras.proposal.is_some() {
        super::proposals::suggest_matches(store, post.id).await;
    }
}

/// A remote actor deleted its account: its posts go, and so do follows from and of it.
pub async fn receive_account_deletion(store: &Store, actor: &Actor) -> Result<()> {
    if actor.is_local {
        return Err(DomainError::Forbidden);
    }
    let mut tx = store.begin().await?;
    store::posts::mark_all_deleted_of(&mut tx, actor.id, crate::now_ms()).await?;
    store::follows::delete_all_of(&mut tx, actor.id).await?;
    tx.commit().await?;
    Ok(())
}

/// Applies a peer's `Delete` of a post it authored. Unknown posts are fine (nothing to do).
/// `tombstone` is the author's signed `Tombstone`, when the deletion came with one (coalition
/// content): it is kept, so that replicas can pass the deletion on, and for a post not held
/// here by a member of a coalition this node hosts a replica of, it stands in for the post, so
/// that a late copy cannot bring it back (nobody else gets rows for what they delete).
/// Returns whether anything changed.
pub async fn receive_delete(store: &Store, author: &Actor, ap_id: &str, tombstone: Option<&str>) -> Result<bool> {
    let may_stand_in = tombstone.is_some() && super::coalitions::is_member_of_a_hosted_coalition(store, &author.ap_id).await?;
    let mut tx = store.begin().await?;
    let post = match store::posts::by_ap_id(&mut tx, ap_id).await? {
        Some(post) if post.is_deleted() => return Ok(false),
        Some(post) => post,
        None if may_stand_in => store::posts::insert(&mut tx, &stand_in_for_deleted(author, ap_id)).await?,
        None => return Ok(false),
    };
    if post.author_id != author.id || post.is_local {
        return Err(DomainError::Forbidden);
    }
    mark_deleted(&mut tx, &post).await?;
    match tombstone {
        Some(raw) => store::posts::keep_original(&mut tx, post.id, raw).await?,
        None => store::posts::forget_original(&mut tx, post.id).await?,
    }
    tx.commit().await?;
    Ok(true)
}

/// The row of a post known only as deleted: no text, for members only.
fn stand_in_for_deleted(author: &Actor, ap_id: &str) -> NewPost {
    NewPost {
        ap_id: ap_id.to_string(),
        author_id: author.id,
        content: String::new(),
        source: None,
        summary: None,
        visibility: crate::model::Visibility::Coalition,
        in_reply_to: None,
        url: None,
        published: now_ms(),
        updated: None,
        is_local: false,
        recipients: vec![],
        language: None,
    }
}

/// Records a `Like` or `Announce` of one of our posts (or a post we hold).
pub async fn receive_reaction(store: &Store, kind: &str, activity_ap_id: &str, actor_ap_id: &str, post_ap_id: &str) -> Result<bool> {
    let mut tx = store.begin().await?;
    let post = store::posts::by_ap_id(&mut tx, post_ap_id).await?.ok_or(DomainError::NotFound)?;
    if post.is_deleted() {
        return Err(DomainError::Gone);
    }
    let new = store::posts::add_reaction(&mut tx, kind, activity_ap_id, actor_ap_id, post.id).await?;
    if new && let Some(actor) = store::actors::by_ap_id(&mut tx, actor_ap_id).await? {
        super::reactions::notify_author(&mut tx, &post, kind, &actor).await?;
    }
    tx.commit().await?;
    Ok(new)
}

pub async fn receive_undo_reaction(store: &Store, activity_ap_id: &str, actor_ap_id: &str) -> Result<bool> {
    let mut tx = store.begin().await?;
    let removed = store::posts::remove_reaction(&mut tx, activity_ap_id, actor_ap_id).await?;
    tx.commit().await?;
    Ok(removed)
}
