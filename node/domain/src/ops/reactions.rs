//! Liking (favourite), boosting (reblog) and bookmarking posts, by local members. Likes and
//! boosts federate (`Like`, `Announce`, and their `Undo`); bookmarks stay on this node. The
//! authors here are notified of likes and boosts of their posts, from here or elsewhere.

use crate::error::{DomainError, Result, Say};
use crate::model::{Actor, Post, Visibility};
use crate::outbox::Outgoing;
use crate::store::{self, Store};
use crate::urls::LocalUrls;

pub const LIKE: &str = "like";
pub const ANNOUNCE: &str = "announce";
/// Notification kinds, as Mastodon names them.
pub const KIND_FAVOURITE: &str = "favourite";
pub const KIND_REBLOG: &str = "reblog";

async fn readable(store: &Store, member: &Actor, post_id: i64) -> Result<Post> {
    let post = store::posts::by_id(&mut store.conn().await?, post_id).await?;
    if post.is_deleted() || !super::visibility::may_read(store, &post, Some(&member.ap_id)).await? {
        return Err(DomainError::NotFound);
    }
    Ok(post)
}

/// A member likes (`LIKE`) or boosts (`ANNOUNCE`) a post. Doing it twice changes nothing.
/// Only public and unlisted posts can be boosted.
pub async fn react(store: &Store, urls: &LocalUrls, member: &Actor, post_id: i64, kind: &str) -> Result<Post> {
    let post = readable(store, member, post_id).await?;
    if kind == ANNOUNCE && !matches!(post.visibility, Visibility::Public | Visibility::Unlisted) {
        return Err(DomainError::invalid("visibility", Say::OnlyPublicPassedOn));
    }
    let activity = urls.new_activity().to_string();
    let mut tx = store.begin().await?;
    if store::posts::add_reaction(&mut tx, kind, &activity, &member.ap_id, post.id).await? {
        notify_author(&mut tx, &post, kind, member).await?;
        store::outbox::push(&mut tx, &Outgoing::Reacted { kind: kind.into(), activity, actor_id: member.id, post_id: post.id }).await?;
    }
    tx.commit().await?;
    Ok(post)
}

/// Takes a like or boost back.
pub async fn unreact(store: &Store, member: &Actor, post_id: i64, kind: &str) -> Result<Post> {
    let post = readable(store, member, post_id).await?;
    let mut tx = store.begin().await?;
    if let Some(activity) = store::posts::reaction_of(&mut tx, kind, &member.ap_id, post.id).await? {
        store::posts::remove_reaction(&mut tx, &activity, &member.ap_id).await?;
        store::outbox::push(&mut tx, &Outgoing::ReactionUndone { kind: kind.into(), activity, actor_id: member.id, post_id: post.id })
            .await?;
    }
    tx.commit().await?;
    Ok(post)
}

pub async fn bookmark(store: &Store, member: &Actor, post_id: i64, on: bool) -> Result<Post> {
    let post = readable(store, member, post_id).await?;
    let mut tx = store.begin().await?;
    store::posts::set_bookmark(&mut tx, member.id, post.id, on).await?;
    tx.commit().await?;
    Ok(post)
}

/// Tells a local author that someone liked or boosted their post.
pub(crate) async fn notify_author(tx: &mut store::Tx, post: &Post, kind: &str, by: &Actor) -> Result<()> {
    let author = store::actors::by_id(tx, post.author_id).await?;
    if author.is_local && author.id != by.id {
        let kind = if kind == LIKE { KIND_FAVOURITE } else { KIND_REBLOG };
        store::notifications::insert_by(tx, author.id, kind, Some(post.id), by.id).await?;
    }
    Ok(())
}
