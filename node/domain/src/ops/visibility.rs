//! Who may read what. Every read path (HTML, Mastodon API, ActivityPub GETs, feeds) asks here.

use crate::error::{DomainError, Result};
use crate::model::{ActorKind, Post, Visibility};
use crate::store::{self, Store};

/// Whether the actor `reader` (by id; `None` for an anonymous or unsigned reader) may read `post`.
pub async fn may_read(store: &Store, post: &Post, reader: Option<&str>) -> Result<bool> {
    if matches!(post.visibility, Visibility::Public | Visibility::Unlisted) {
        return Ok(true);
    }
    let Some(reader) = reader else { return Ok(false) };
    let mut conn = store.conn().await?;
    let author = store::actors::by_id(&mut conn, post.author_id).await?;
    if author.ap_id == reader {
        return Ok(true);
    }
    if author.kind() == ActorKind::Group && author.is_local && is_member_of(&mut conn, reader, author.id).await? {
        return Ok(true);
    }
    if store::posts::recipients(&mut conn, post.id).await?.iter().any(|r| r == reader) {
        return Ok(true);
    }
    match post.visibility {
        Visibility::Followers => store::follows::is_accepted_follower(&mut conn, reader, author.id).await,
        Visibility::Local => is_member_here(&mut conn, reader).await,
        Visibility::Coordinators => coordinates_for(&mut conn, reader, author.id).await,
        Visibility::Coalition => {
            if is_member_here(&mut conn, reader).await? {
                return Ok(true);
            }
            let reader_is_a_node = store::actors::by_ap_id(&mut conn, reader).await?.is_some_and(|a| a.kind() == ActorKind::Application);
            Ok(reader_is_a_node && hosts_an_addressed_initiative(&mut conn, post, reader).await?)
        }
        _ => Ok(false),
    }
}

/// Whether the reader coordinates an initiative here that `person` belongs to (any initiative
/// here, for someone who belongs to none: the node's coordinators are hers).
async fn coordinates_for(conn: &mut store::Conn, reader: &str, person_id: i64) -> Result<bool> {
    let Some(actor) = store::actors::by_ap_id(conn, reader).await?.filter(|a| a.is_local) else { return Ok(false) };
    let hers: Vec<i64> = store::actors::roles_of(conn, person_id).await?.into_iter().map(|(initiative, _)| initiative).collect();
    let coordinated = store::actors::roles_of(conn, actor.id).await?;
    Ok(coordinated
        .iter()
        .any(|(initiative, role)| role == super::actors::ROLE_COORDINATOR && (hers.is_empty() || hers.contains(initiative))))
}

/// Whether the reader belongs to the (local) initiative: its members read what it posts.
async fn is_member_of(conn: &mut store::Conn, reader: &str, initiative_id: i64) -> Result<bool> {
    let Some(actor) = store::actors::by_ap_id(conn, reader).await?.filter(|a| a.is_local) else { return Ok(false) };
    Ok(store::actors::initiative_role(conn, initiative_id, actor.id).await?.is_some())
}

/// Whether `actor` (on another node) may act on `post`: respond to it, take part, propose an
/// edit. What it may read, and coalition content also for the people of a node hosting an
/// addressed initiative, who were shown it there.
pub async fn may_act_on(store: &Store, post: &Post, actor: &str) -> Result<bool> {
    if may_read(store, post, Some(actor)).await? {
        return Ok(true);
    }
    if post.visibility != Visibility::Coalition {
        return Ok(false);
    }
    hosts_an_addressed_initiative(&mut store.conn().await?, post, actor).await
}

/// Whether `actor` lives on the node of one of the initiatives `post` is addressed to (not
/// of any recipient: a person mentioned on a big server does not open it to that server).
async fn hosts_an_addressed_initiative(conn: &mut store::Conn, post: &Post, actor: &str) -> Result<bool> {
    for recipient in store::posts::recipients(conn, post.id).await?.iter().filter(|r| same_origin(r, actor)) {
        if store::actors::by_ap_id(conn, recipient).await?.is_some_and(|r| r.kind() == ActorKind::Group) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether `reader` is the node (its instance actor, an `Application`) of one of `actors`.
pub async fn speaks_for_a_node_of<'a>(conn: &mut store::Conn, reader: &str, mut actors: impl Iterator<Item = &'a str>) -> Result<bool> {
    let is_a_node = store::actors::by_ap_id(conn, reader).await?.is_some_and(|a| a.kind() == ActorKind::Application);
    Ok(is_a_node && actors.any(|actor| same_origin(actor, reader)))
}

/// Whether the reader is an actor of this node.
async fn is_member_here(conn: &mut store::Conn, reader: &str) -> Result<bool> {
    Ok(store::actors::by_ap_id(conn, reader).await?.is_some_and(|a| a.is_local))
}

fn same_origin(a: &str, b: &str) -> bool {
    match (url::Url::parse(a), url::Url::parse(b)) {
        (Ok(a), Ok(b)) => a.origin() == b.origin(),
        _ => false,
    }
}

/// A post for `reader`: NotFound when it may not see it (so that its existence does not
/// leak), Gone when it was deleted.
pub async fn readable_post(store: &Store, ap_id: &str, reader: Option<&str>) -> Result<Post> {
    let post = store::posts::by_ap_id(&mut store.conn().await?, ap_id).await?.ok_or(DomainError::NotFound)?;
    if post.is_deleted() {
        return Err(DomainError::Gone);
    }
    if !may_read(store, &post, reader).await? {
        return Err(DomainError::NotFound);
    }
    Ok(post)
}

/// Who an activity this node sent was for, read from its addressing by the federation crate.
#[derive(Debug, Default)]
pub struct SentActivity {
    /// The actor that sent it (one of ours).
    pub actor: String,
    /// Addressed to the public collection.
    pub public: bool,
    /// Everyone it names as its audience: `to`, `cc`, `bto`, `audience`, and the actor it is
    /// about when its object is an actor (a `Follow`).
    pub addressed: Vec<String>,
    /// The post it publishes (`Create` or `Update`): then the post's own visibility decides.
    pub publishes: Option<String>,
}

/// Whether `reader` may read an activity this node sent (its id resolves for them):
/// NotFound when not, Gone when its actor's account or the post it publishes was deleted.
pub async fn readable_activity(store: &Store, sent: &SentActivity, reader: Option<&str>) -> Result<()> {
    let mut conn = store.conn().await?;
    let actor = store::actors::by_ap_id(&mut conn, &sent.actor).await?.filter(|a| a.is_local).ok_or(DomainError::NotFound)?;
    if store::actors::is_deleted(&mut conn, actor.id).await? {
        return Err(DomainError::Gone);
    }
    drop(conn);
    if let Some(post) = &sent.publishes {
        return readable_post(store, post, reader).await.map(|_| ());
    }
    if sent.public {
        return Ok(());
    }
    let Some(reader) = reader else { return Err(DomainError::NotFound) };
    if reader == actor.ap_id || sent.addressed.iter().any(|a| a == reader) {
        return Ok(());
    }
    let to_followers = actor.followers.as_ref().is_some_and(|f| sent.addressed.contains(f));
    if to_followers && store::follows::is_accepted_follower(&mut store.conn().await?, reader, actor.id).await? {
        return Ok(());
    }
    Err(DomainError::NotFound)
}
