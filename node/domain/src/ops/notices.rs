//! Which of a member's notifications an app is shown, read for a whole page at once: each
//! with the post it is about (the suggestion, for a match) and who did it; those about a post
//! that is gone or that the member may not read are left out.

use crate::error::Result;
use crate::model::{Actor, Post};
use crate::store::notifications::Notification;
use crate::store::{self, Store};
use std::collections::HashMap;

/// A notification as shown: what it is about and who it shows as its account.
#[derive(Debug, Clone)]
pub struct Notice {
    pub notification: Notification,
    pub post: Option<Post>,
    pub actor_id: i64,
}

/// Notifications read at most for one page, however many of them are left out.
const MOST_READ_FOR_A_PAGE: i64 = 200;

/// The first `limit` notices `member` is shown of their notifications with ids in
/// `(after, before)`, newest first, leaving out those `wanted` refuses. Reads a page's worth
/// first and more only while notices are left out (each round twice the last), so that a page
/// costs the same however many notifications a member has; at most
/// [`MOST_READ_FOR_A_PAGE`] are read.
pub async fn page(
    store: &Store,
    member: &Actor,
    (before, after): (i64, i64),
    limit: usize,
    wanted: impl Fn(&Notification) -> bool,
    needs_post: impl Fn(&str) -> bool,
) -> Result<Vec<Notice>> {
    let mut notices = Vec::new();
    let (mut before, mut read, mut round) = (before, 0, (limit as i64).clamp(1, MOST_READ_FOR_A_PAGE));
    loop {
        let rows = store::notifications::page(&mut store.conn().await?, member.id, before, after, round).await?;
        read += round;
        let (Some(oldest), full) = (rows.last().map(|n| n.id), rows.len() as i64 == round) else { break };
        before = oldest;
        let rows = rows.into_iter().filter(&wanted).collect();
        notices.extend(shown(store, member, rows, limit - notices.len(), &needs_post).await?);
        if notices.len() >= limit || !full || read >= MOST_READ_FOR_A_PAGE {
            break;
        }
        round = (round * 2).min(MOST_READ_FOR_A_PAGE - read);
    }
    Ok(notices)
}

/// The first `limit` of `rows` that `member` is shown, in their order. `needs_post` says of
/// a kind whether it means nothing without its post.
pub async fn shown(
    store: &Store,
    member: &Actor,
    rows: Vec<Notification>,
    limit: usize,
    needs_post: impl Fn(&str) -> bool,
) -> Result<Vec<Notice>> {
    let post_ids: Vec<i64> = rows.iter().filter_map(about).collect();
    let posts = store::posts::by_ids(&mut store.conn().await?, &post_ids).await?;
    let readable = super::visibility::readable(store, &posts, Some(&member.ap_id)).await?;
    let posts: HashMap<i64, Post> = posts.into_iter().map(|p| (p.id, p)).collect();
    let mut notices = Vec::new();
    for notification in rows {
        let post = about(&notification).and_then(|id| posts.get(&id).cloned());
        if post.is_none() && needs_post(&notification.kind) {
            continue;
        }
        let Some(actor_id) = notification.actor_id.or(post.as_ref().map(|p| p.author_id)) else { continue };
        if post.as_ref().is_some_and(|p| p.is_deleted() || !readable.contains(&p.id)) {
            continue;
        }
        notices.push(Notice { notification, post, actor_id });
        if notices.len() >= limit {
            break;
        }
    }
    Ok(notices)
}

/// The post a notification is about: for a match, the suggestion is the other post.
fn about(notification: &Notification) -> Option<i64> {
    notification.related_post_id.or(notification.post_id)
}
