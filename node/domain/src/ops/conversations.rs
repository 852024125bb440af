//! Private conversations between two people (direct messages), as the web pages show them:
//! who a member talks with, the messages between two, and a new message. The same posts
//! Mastodon apps show as direct messages; they federate as addressed `Note`s.

use crate::error::{DomainError, Result, Say};
use crate::model::{Actor, Post, Visibility};
use crate::ops::posts::PostDraft;
use crate::store::{self, Store};
use crate::urls::LocalUrls;

/// Someone a member has messages with, and the newest message.
pub struct Partner {
    pub actor: Actor,
    pub newest: Post,
}

pub async fn partners(store: &Store, member: &Actor) -> Result<Vec<Partner>> {
    let mut conn = store.conn().await?;
    let mut list = Vec::new();
    for (other_id, newest_id) in store::posts::direct_partners(&mut conn, member.id, &member.ap_id).await? {
        list.push(Partner {
            actor: store::actors::by_id(&mut conn, other_id).await?,
            newest: store::posts::by_id(&mut conn, newest_id).await?,
        });
    }
    Ok(list)
}

/// The newest messages between `member` and `other`, oldest first.
pub async fn between(store: &Store, member: &Actor, other: &Actor) -> Result<Vec<Post>> {
    store::posts::direct_between(&mut store.conn().await?, member.id, &member.ap_id, other.id, &other.ap_id, 200).await
}

/// Sends a message to `other`, in reply to the newest message from them (so threads hold).
pub async fn send(store: &Store, urls: &LocalUrls, member: &Actor, other: &Actor, text: &str) -> Result<Post> {
    if member.id == other.id {
        return Err(DomainError::invalid("text", Say::WriteToYourself));
    }
    let thread = between(store, member, other).await?;
    let in_reply_to = thread.iter().rev().find(|p| p.author_id == other.id).map(|p| p.ap_id.clone());
    let draft = PostDraft { in_reply_to, ..PostDraft::plain(text, Visibility::Direct, vec![other.ap_id.clone()]) };
    super::posts::publish(store, urls, member, member, &draft).await
}
