//! Moving an account to another server, as Mastodon does (issue 17). The new actor lists the
//! old one among its aliases (`alsoKnownAs`); the old one then records where it went
//! (`movedTo`), posts no more, and tells its followers with a `Move`, who follow the new actor
//! instead. Fetching the other side's document is the federation crate's work: these use
//! cases are given the aliases it read.

use crate::error::{DomainError, Result, Say};
use crate::model::{Actor, ActorKind};
use crate::outbox::Outgoing;
use crate::store::{self, Store};
use crate::urls::LocalUrls;

/// Whether a use case may still publish as `author`: not once it moved away.
pub fn still_here(author: &Actor) -> Result<()> {
    match &author.moved_to {
        Some(target) if author.is_local => Err(DomainError::conflict(Say::Moved(target.clone()))),
        _ => Ok(()),
    }
}

/// Only a local member or initiative moves, or lists old identities.
fn movable(actor: &Actor) -> Result<()> {
    if !actor.is_local || !matches!(actor.kind(), ActorKind::Person | ActorKind::Group) {
        return Err(DomainError::Forbidden);
    }
    Ok(())
}

/// An actor's id as another server writes it: an `http(s)` URL with a host.
fn actor_url(raw: &str) -> Result<url::Url> {
    url::Url::parse(raw)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .ok_or_else(|| DomainError::invalid("alias", Say::ActorAddress))
}

/// The old identities `actor` lists (`alsoKnownAs`).
pub async fn aliases(store: &Store, actor: &Actor) -> Result<Vec<String>> {
    store::moving::aliases(&mut store.conn().await?, actor.id).await
}

/// `actor` lists `old` as an earlier identity of its own, so that a `Move` from `old` to it is
/// believed. True when it was not listed yet.
pub async fn add_alias(store: &Store, actor: &Actor, old: &str) -> Result<bool> {
    movable(actor)?;
    let old = actor_url(old)?;
    if old.as_str() == actor.ap_id {
        return Err(DomainError::invalid("alias", Say::AliasOfItself));
    }
    let mut tx = store.begin().await?;
    let added = store::moving::add_alias(&mut tx, actor.id, old.as_str()).await?;
    tx.commit().await?;
    Ok(added)
}

/// `actor` no longer lists `old`. True when it was listed.
pub async fn remove_alias(store: &Store, actor: &Actor, old: &str) -> Result<bool> {
    movable(actor)?;
    let old = actor_url(old).map(String::from).unwrap_or_else(|_| old.to_string());
    let mut tx = store.begin().await?;
    let removed = store::moving::remove_alias(&mut tx, actor.id, &old).await?;
    tx.commit().await?;
    Ok(removed)
}

/// What [`move_away`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveOutcome {
    /// Moved now: the `Move` is on its way to the followers.
    Moved,
    /// It had moved to this target before; nothing was sent again.
    AlreadyMoved,
}

/// The local `actor` moves to `target`, whose document (read by the caller from its own
/// server) lists `target_aliases`. Refused unless they name `actor`: nobody moves followers
/// to an account that does not claim to be the same. Records `movedTo` and queues the `Move`
/// in one transaction.
pub async fn move_away(store: &Store, actor: &Actor, target: &str, target_aliases: &[String]) -> Result<MoveOutcome> {
    movable(actor)?;
    let target = actor_url(target)?;
    match &actor.moved_to {
        Some(moved) if moved == target.as_str() => return Ok(MoveOutcome::AlreadyMoved),
        Some(moved) => {
            return Err(DomainError::conflict(Say::MovedAlready(actor.ap_id.clone(), moved.clone())));
        }
        None => {}
    }
    if target.as_str() == actor.ap_id || !target_aliases.iter().any(|alias| alias == &actor.ap_id) {
        return Err(DomainError::invalid("target", Say::AliasMissing(target.to_string(), actor.ap_id.clone())));
    }
    let mut tx = store.begin().await?;
    store::moving::set_moved_to(&mut tx, actor.id, target.as_str()).await?;
    store::outbox::push(&mut tx, &Outgoing::ActorMoved { actor_id: actor.id, target: target.to_string() }).await?;
    tx.commit().await?;
    Ok(MoveOutcome::Moved)
}

/// A peer's actor `old` moved to `target`, whose document (read from its own server) lists
/// `target_aliases`. Unless they name `old`, nothing changes and the move is refused.
/// Otherwise every local actor that follows `old` (or asked to) follows `target` instead (a
/// `Follow` out, an `Undo{Follow}` to `old`), and `old` is remembered as moved. Returns how
/// many followers moved; a repeated move finds none left and changes nothing more.
pub async fn receive_move(store: &Store, urls: &LocalUrls, old: &Actor, target: &Actor, target_aliases: &[String]) -> Result<usize> {
    if old.is_local || old.id == target.id || !target_aliases.iter().any(|alias| alias == &old.ap_id) {
        return Err(DomainError::Forbidden);
    }
    let mut tx = store.begin().await?;
    let followers = store::moving::local_followers(&mut tx, old.id).await?;
    for follower in &followers {
        if follower.id != target.id {
            super::follows::follow_in(&mut tx, urls, follower, target).await?;
        }
        super::follows::unfollow_in(&mut tx, follower, old).await?;
    }
    store::moving::set_moved_to(&mut tx, old.id, &target.ap_id).await?;
    tx.commit().await?;
    Ok(followers.len())
}
