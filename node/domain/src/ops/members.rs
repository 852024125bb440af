//! What a member does about themself and about others in the apps: their profile, where they
//! stopped reading, and reports of accounts and posts.

use crate::error::{DomainError, Result, Say, Violation};
use crate::model::{Actor, html};
use crate::outbox::Outgoing;
use crate::store::{self, Store};

pub const MAX_DISPLAY_NAME_CHARS: usize = 100;
pub const MAX_NOTE_CHARS: usize = 1000;
pub const MAX_REPORT_CHARS: usize = 1000;
/// Notification kind for the node's coordinators and admins.
pub const KIND_REPORT: &str = "admin.report";

/// Changes the member's display name, note and whether follows need approval; followers on
/// other nodes hear an `Update`.
pub async fn update_profile(
    store: &Store,
    member: &Actor,
    display_name: Option<&str>,
    note: Option<&str>,
    locked: Option<bool>,
) -> Result<Actor> {
    let mut problems = Vec::new();
    if display_name.is_some_and(|n| n.chars().count() > MAX_DISPLAY_NAME_CHARS) {
        problems.push(Violation { field: "display_name", message: Say::AtMostChars(MAX_DISPLAY_NAME_CHARS).into() });
    }
    if note.is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS) {
        problems.push(Violation { field: "note", message: Say::AtMostChars(MAX_NOTE_CHARS).into() });
    }
    if !problems.is_empty() {
        return Err(DomainError::Invalid(problems));
    }
    let name = display_name.map(|n| n.trim().to_string()).unwrap_or_else(|| member.display_name.clone());
    let summary = note.map(html::text_to_html).unwrap_or_else(|| member.summary.clone());
    let mut tx = store.begin().await?;
    store::actors::set_profile(&mut tx, member.id, &name, &summary, locked.unwrap_or(member.manually_approves_followers)).await?;
    store::outbox::push(&mut tx, &Outgoing::ProfileUpdated { actor_id: member.id }).await?;
    let updated = store::actors::by_id(&mut tx, member.id).await?;
    tx.commit().await?;
    Ok(updated)
}

pub async fn set_marker(store: &Store, member: &Actor, timeline: &str, last_read_id: &str) -> Result<()> {
    if !matches!(timeline, "home" | "notifications") || last_read_id.len() > 40 {
        return Err(DomainError::invalid("timeline", Say::TimelineHomeOrNotifications));
    }
    let mut tx = store.begin().await?;
    store::markers::set(&mut tx, member.id, timeline, last_read_id).await?;
    tx.commit().await
}

/// A member reports an account (and some of its posts). The node's coordinators and admins
/// are told; with `forward`, an account on another node is reported to its node as well.
pub async fn report(store: &Store, member: &Actor, account: &Actor, status_ids: &[i64], comment: &str, forward: bool) -> Result<i64> {
    if comment.chars().count() > MAX_REPORT_CHARS {
        return Err(DomainError::invalid("comment", Say::AtMostChars(MAX_REPORT_CHARS)));
    }
    let mut tx = store.begin().await?;
    for id in status_ids {
        let post = store::posts::by_id(&mut tx, *id).await.map_err(|_| DomainError::invalid("status_ids", Say::UnknownPost))?;
        if post.author_id != account.id {
            return Err(DomainError::invalid("status_ids", Say::PostOfSomeoneElse));
        }
    }
    let forwarded = forward && !account.is_local;
    let new = store::reports::NewReport {
        reporter_id: member.id,
        account_id: account.id,
        status_ids,
        comment: comment.trim(),
        category: "other",
        forwarded,
    };
    let report_id = store::reports::insert(&mut tx, &new).await?;
    let mut handlers = store::actors::admins(&mut tx).await?;
    for initiative in store::actors::local_of_kind(&mut tx, crate::model::ActorKind::Group).await? {
        handlers.extend(store::actors::initiative_members_with_role(&mut tx, initiative.id, super::actors::ROLE_COORDINATOR).await?);
    }
    handlers.sort();
    handlers.dedup();
    for handler in handlers.into_iter().filter(|h| *h != member.id) {
        store::notifications::insert_by(&mut tx, handler, KIND_REPORT, status_ids.first().copied(), account.id).await?;
    }
    if forwarded {
        store::outbox::push(&mut tx, &Outgoing::ReportForwarded { report_id }).await?;
    }
    tx.commit().await?;
    Ok(report_id)
}

/// A peer reports one of our accounts (and posts of it) with a `Flag`. Kept like a report
/// from here, with the peer's actor as reporter; the coordinators and admins are told.
pub async fn receive_flag(store: &Store, from: &Actor, object_ap_ids: &[String], comment: &str) -> Result<Option<i64>> {
    let mut conn = store.conn().await?;
    let mut account = None;
    let mut status_ids = Vec::new();
    for id in object_ap_ids.iter().take(50) {
        if let Some(actor) = store::actors::by_ap_id(&mut conn, id).await?.filter(|a| a.is_local) {
            account = Some(actor);
        } else if let Some(post) = store::posts::by_ap_id(&mut conn, id).await?.filter(|p| p.is_local) {
            status_ids.push((post.id, post.author_id));
        }
    }
    drop(conn);
    let account = match account {
        Some(account) => account,
        None => match status_ids.first() {
            Some((_, author_id)) => store::actors::by_id(&mut store.conn().await?, *author_id).await?,
            None => return Ok(None),
        },
    };
    let ids: Vec<i64> = status_ids.iter().filter(|(_, author)| *author == account.id).map(|(id, _)| *id).collect();
    let comment: String = html::to_plain_text(&html::sanitize(comment)).chars().take(MAX_REPORT_CHARS).collect();
    report(store, from, &account, &ids, &comment, false).await.map(Some)
}

/// A notification with what it is about, as the pages show it.
pub struct NoticeView {
    pub notification: crate::store::notifications::Notification,
    /// Who did it, when known.
    pub actor: Option<Actor>,
    /// The post it is about (for a match: the suggested post), if the member may read it.
    pub post: Option<crate::model::Post>,
}

/// A member's newest notifications (marked seen by this), with their actors and posts.
pub async fn notices(store: &Store, member: &Actor, limit: i64) -> Result<Vec<NoticeView>> {
    let mut conn = store.conn().await?;
    let list = store::notifications::for_recipient(&mut conn, member.id, limit).await?;
    let mut views = Vec::new();
    for notification in list {
        let actor = match notification.actor_id {
            Some(id) => Some(store::actors::by_id(&mut conn, id).await?),
            None => None,
        };
        let post = match notification.related_post_id.or(notification.post_id) {
            Some(id) => Some(store::posts::by_id(&mut conn, id).await?).filter(|p| !p.is_deleted()),
            None => None,
        };
        views.push(NoticeView { notification, actor, post });
    }
    drop(conn);
    let mut readable = Vec::new();
    for mut view in views {
        if let Some(post) = &view.post
            && !super::visibility::may_read(store, post, Some(&member.ap_id)).await?
        {
            view.post = None;
        }
        readable.push(view);
    }
    let mut tx = store.begin().await?;
    store::notifications::mark_all_read(&mut tx, member.id, crate::now_ms()).await?;
    tx.commit().await?;
    Ok(readable)
}

/// Clears one of a member's notifications (another member's id changes nothing).
pub async fn dismiss_notice(store: &Store, member: &Actor, notification_id: i64) -> Result<()> {
    store::notifications::dismiss(&mut store.conn().await?, member.id, Some(notification_id)).await
}

/// Clears all of a member's notifications.
pub async fn clear_notices(store: &Store, member: &Actor) -> Result<()> {
    let mut tx = store.begin().await?;
    store::notifications::dismiss(&mut tx, member.id, None).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a member's account after the password was given again: posts, follows, logins
/// and tokens go; the peers that knew the member hear a `Delete` of the actor (Mastodon
/// then removes everything of theirs). The name stays taken so nobody can pose as them.
pub async fn delete_account(store: &Store, member: &Actor, password: &str) -> Result<()> {
    if super::actors::check_login(store, &member.username, password).await?.is_none_or(|m| m.id != member.id) {
        return Err(DomainError::invalid("password", Say::WrongPassword));
    }
    let now = crate::now_ms();
    let mut tx = store.begin().await?;
    let mut inboxes = store::follows::remote_follower_inboxes(&mut tx, member.id).await?;
    inboxes.extend(store::follows::remote_followee_inboxes(&mut tx, member.id).await?);
    inboxes.sort();
    inboxes.dedup();
    store::posts::mark_all_deleted_of(&mut tx, member.id, now).await?;
    store::follows::delete_all_of(&mut tx, member.id).await?;
    store::sessions::delete_of_member(&mut tx, member.id).await?;
    store::oauth::revoke_all_of(&mut tx, member.id).await?;
    store::actors::delete_account(&mut tx, member.id, now).await?;
    if !inboxes.is_empty() {
        store::outbox::push(&mut tx, &Outgoing::AccountDeleted { actor_id: member.id, inboxes }).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Everything of a member this node holds, as one file they can take with them.
#[derive(Debug, serde::Serialize)]
pub struct MemberExport {
    pub format: &'static str,
    pub exported_at: String,
    pub account: ExportedAccount,
    pub initiatives: Vec<ExportedRole>,
    pub following: Vec<String>,
    pub followers: Vec<String>,
    pub posts: Vec<ExportedPost>,
    pub direct_messages_received: Vec<ExportedPost>,
}

#[derive(Debug, serde::Serialize)]
pub struct ExportedAccount {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub summary: String,
    pub email: Option<String>,
    pub created_at: String,
}

#[derive(Debug, serde::Serialize)]
pub struct ExportedRole {
    pub initiative: String,
    pub role: String,
}

#[derive(Debug, serde::Serialize)]
pub struct ExportedPost {
    pub id: String,
    pub author: String,
    pub published: String,
    pub visibility: String,
    pub content_html: String,
    pub source: Option<String>,
    pub in_reply_to: Option<String>,
}

fn iso(ms: i64) -> String {
    chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms).map(|t| t.to_rfc3339()).unwrap_or_default()
}

/// The member's data: profile, memberships, follows, their posts (deleted ones left out)
/// and the direct messages they received.
pub async fn export(store: &Store, member: &Actor) -> Result<MemberExport> {
    let mut conn = store.conn().await?;
    let mut initiatives = Vec::new();
    for (id, role) in store::actors::roles_of(&mut conn, member.id).await? {
        initiatives.push(ExportedRole { initiative: store::actors::by_id(&mut conn, id).await?.ap_id, role });
    }
    let (following, followers) = store::follows::both_ways(&mut conn, member.id).await?;
    let exported = |post: &crate::model::Post, author: &str| ExportedPost {
        id: post.ap_id.clone(),
        author: author.to_string(),
        published: iso(post.published),
        visibility: post.visibility.as_str().to_string(),
        content_html: post.content.clone(),
        source: post.source.clone(),
        in_reply_to: post.in_reply_to.clone(),
    };
    let posts = store::posts::by_author(&mut conn, member.id, 100_000, 0).await?;
    let posts = posts.iter().filter(|p| !p.is_deleted()).map(|p| exported(p, &member.ap_id)).collect();
    let mut received = Vec::new();
    for (other_id, _) in store::posts::direct_partners(&mut conn, member.id, &member.ap_id).await? {
        let other = store::actors::by_id(&mut conn, other_id).await?;
        for post in store::posts::direct_between(&mut conn, member.id, &member.ap_id, other.id, &other.ap_id, 100_000).await? {
            if post.author_id == other.id {
                received.push(exported(&post, &other.ap_id));
            }
        }
    }
    Ok(MemberExport {
        format: "buurtnet-member-export/1",
        exported_at: iso(crate::now_ms()),
        account: ExportedAccount {
            id: member.ap_id.clone(),
            username: member.username.clone(),
            display_name: member.display_name.clone(),
            summary: member.summary.clone(),
            email: store::actors::email_of(&mut conn, member.id).await?,
            created_at: iso(member.created_at),
        },
        initiatives,
        following,
        followers,
        posts,
        direct_messages_received: received,
    })
}

/// What the menu needs to know of a member, read on one connection: administrator,
/// coordinator of some initiative, notifications not seen yet.
pub struct Standing {
    pub admin: bool,
    pub coordinator: bool,
    pub unread: i64,
}

pub async fn standing(store: &Store, member: &Actor) -> Result<Standing> {
    let mut conn = store.conn().await?;
    let admin = store::actors::is_admin(&mut conn, member.id).await?;
    let coordinates = store::actors::roles_of(&mut conn, member.id).await?.iter().any(|(_, role)| role == super::actors::ROLE_COORDINATOR);
    let unread = store::notifications::unread_count(&mut conn, member.id).await?;
    Ok(Standing { admin, coordinator: admin || coordinates, unread })
}
