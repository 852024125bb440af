//! Following, both ways: local actors following others, and peers following local actors.

use crate::error::{DomainError, Result, Say};
use crate::model::{Actor, Follow, FollowState};
use crate::outbox::Outgoing;
use crate::store::{self, Store};
use crate::urls::LocalUrls;

/// A local actor (a member, or an initiative its coordinator acts for) follows `followee`.
/// Local followees that need no approval accept at once; remote ones hear a `Follow`.
pub async fn follow(store: &Store, urls: &LocalUrls, follower: &Actor, followee: &Actor) -> Result<Follow> {
    if !follower.is_local {
        return Err(DomainError::Forbidden);
    }
    if follower.id == followee.id {
        return Err(DomainError::invalid("followee", Say::FollowYourself));
    }
    let mut tx = store.begin().await?;
    let follow = follow_in(&mut tx, urls, follower, followee).await?;
    tx.commit().await?;
    Ok(follow)
}

/// [`follow`] inside a transaction that is already open (also for a move, where many follows
/// change at once).
pub(crate) async fn follow_in(tx: &mut store::Tx, urls: &LocalUrls, follower: &Actor, followee: &Actor) -> Result<Follow> {
    if let Some(existing) = store::follows::find(tx, follower.id, followee.id).await? {
        return Ok(existing);
    }
    let state = if followee.is_local && !followee.manually_approves_followers { FollowState::Accepted } else { FollowState::Pending };
    let follow = store::follows::upsert(tx, follower.id, followee.id, state, urls.new_activity().as_str()).await?;
    if followee.is_local {
        notify_followee(tx, followee, follower, state).await?;
    } else {
        store::outbox::push(tx, &Outgoing::FollowRequested { follow_id: follow.id }).await?;
    }
    Ok(follow)
}

/// Stops following (or withdraws a request). Remote followees hear `Undo{Follow}`.
pub async fn unfollow(store: &Store, follower: &Actor, followee: &Actor) -> Result<()> {
    let mut tx = store.begin().await?;
    unfollow_in(&mut tx, follower, followee).await?;
    tx.commit().await?;
    Ok(())
}

/// [`unfollow`] inside a transaction that is already open.
pub(crate) async fn unfollow_in(tx: &mut store::Tx, follower: &Actor, followee: &Actor) -> Result<()> {
    let Some(follow) = store::follows::find(tx, follower.id, followee.id).await? else {
        return Ok(());
    };
    store::follows::delete(tx, follow.id).await?;
    if !followee.is_local {
        let event = Outgoing::FollowUndone { follower_id: follower.id, followee_id: followee.id, follow_activity: follow.activity_ap_id };
        store::outbox::push(tx, &event).await?;
    }
    Ok(())
}

/// A remote actor asks to follow a local one. Accepted at once unless the followee approves
/// followers by hand; then it waits for [`approve`] or [`reject`].
pub async fn receive_follow(store: &Store, follower: &Actor, followee: &Actor, activity_ap_id: &str) -> Result<Follow> {
    if !followee.is_local {
        return Err(DomainError::NotFound);
    }
    let state = if followee.manually_approves_followers { FollowState::Pending } else { FollowState::Accepted };
    let mut tx = store.begin().await?;
    let known = store::follows::find(&mut tx, follower.id, followee.id).await?.is_some();
    let follow = store::follows::upsert(&mut tx, follower.id, followee.id, state, activity_ap_id).await?;
    if !known {
        notify_followee(&mut tx, followee, follower, follow.state).await?;
    }
    if follow.state == FollowState::Accepted {
        // Also for a repeated Follow: the peer may have missed our first Accept.
        store::outbox::push(&mut tx, &Outgoing::FollowAccepted { follow_id: follow.id }).await?;
    }
    tx.commit().await?;
    Ok(follow)
}

/// The followee (or a coordinator acting for it) accepts a waiting follower.
pub async fn approve(store: &Store, member: &Actor, followee: &Actor, follower: &Actor) -> Result<Follow> {
    if !super::actors::may_act_as(store, member, followee).await? {
        return Err(DomainError::Forbidden);
    }
    let mut tx = store.begin().await?;
    let follow = store::follows::find(&mut tx, follower.id, followee.id).await?.ok_or(DomainError::NotFound)?;
    store::follows::set_state(&mut tx, follow.id, FollowState::Accepted).await?;
    if !follower.is_local {
        store::outbox::push(&mut tx, &Outgoing::FollowAccepted { follow_id: follow.id }).await?;
    }
    let follow = store::follows::find(&mut tx, follower.id, followee.id).await?.ok_or(DomainError::NotFound)?;
    tx.commit().await?;
    Ok(follow)
}

/// The followee refuses a request or removes a follower.
pub async fn reject(store: &Store, member: &Actor, followee: &Actor, follower: &Actor) -> Result<()> {
    if !super::actors::may_act_as(store, member, followee).await? {
        return Err(DomainError::Forbidden);
    }
    let mut tx = store.begin().await?;
    let follow = store::follows::find(&mut tx, follower.id, followee.id).await?.ok_or(DomainError::NotFound)?;
    store::follows::delete(&mut tx, follow.id).await?;
    if !follower.is_local {
        let event = Outgoing::FollowRejected { follower_id: follower.id, followee_id: followee.id, follow_activity: follow.activity_ap_id };
        store::outbox::push(&mut tx, &event).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A peer accepted one of our follow requests. `from` must be the followee.
pub async fn receive_accept(store: &Store, from: &Actor, follow_activity: &str) -> Result<()> {
    let mut tx = store.begin().await?;
    let follow = store::follows::by_activity(&mut tx, follow_activity).await?.ok_or(DomainError::NotFound)?;
    if follow.followee_id != from.id {
        return Err(DomainError::Forbidden);
    }
    store::follows::set_state(&mut tx, follow.id, FollowState::Accepted).await?;
    tx.commit().await?;
    Ok(())
}

/// A peer refused (or ended) one of our follows. `from` must be the followee.
pub async fn receive_reject(store: &Store, from: &Actor, follow_activity: &str) -> Result<()> {
    let mut tx = store.begin().await?;
    let Some(follow) = store::follows::by_activity(&mut tx, follow_activity).await? else {
        return Ok(());
    };
    if follow.followee_id != from.id {
        return Err(DomainError::Forbidden);
    }
    store::follows::delete(&mut tx, follow.id).await?;
    tx.commit().await?;
    Ok(())
}

/// A peer undid its follow of a local actor. `from` must be the follower.
pub async fn receive_undo_follow(store: &Store, from: &Actor, followee: &Actor) -> Result<()> {
    let mut tx = store.begin().await?;
    if let Some(follow) = store::follows::find(&mut tx, from.id, followee.id).await? {
        store::follows::delete(&mut tx, follow.id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A request to follow that will never arrive (the peer refused it for good, or it could
/// not be delivered for days): the request is cleared, so that it does not stay "requested"
/// for ever and can be made again, and whoever made it is told. False when `activity_ap_id`
/// is no waiting request of ours.
pub async fn request_undeliverable(store: &Store, activity_ap_id: &str) -> Result<bool> {
    let mut tx = store.begin().await?;
    let Some(follow) = store::follows::by_activity(&mut tx, activity_ap_id).await? else { return Ok(false) };
    let follower = store::actors::by_id(&mut tx, follow.follower_id).await?;
    if follow.state != FollowState::Pending || !follower.is_local {
        return Ok(false);
    }
    store::follows::delete(&mut tx, follow.id).await?;
    for person in super::matching::people_behind(&mut tx, &follower).await? {
        store::notifications::insert_by(&mut tx, person.id, KIND_FOLLOW_UNDELIVERED, None, follow.followee_id).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Notification kinds, as Mastodon names them.
pub const KIND_FOLLOW: &str = "follow";
pub const KIND_FOLLOW_REQUEST: &str = "follow_request";
/// Ours: a request to follow did not arrive and was cleared (pages only; the API shows the
/// relationship as not requested).
pub const KIND_FOLLOW_UNDELIVERED: &str = "follow_undelivered";

/// Tells a local followee (a member, or an initiative's coordinators) of a new follower or
/// a request to follow.
async fn notify_followee(tx: &mut store::Tx, followee: &Actor, follower: &Actor, state: FollowState) -> Result<()> {
    let kind = if state == FollowState::Pending { KIND_FOLLOW_REQUEST } else { KIND_FOLLOW };
    for person in super::matching::people_behind(tx, followee).await? {
        store::notifications::insert_by(tx, person.id, kind, None, follower.id).await?;
    }
    Ok(())
}
