//! What a member does about themself and about others in the apps: their profile, where they
//! stopped reading, and reports of accounts and posts.

use crate::error::{DomainError, Result, Violation};
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
        problems.push(Violation {
            field: "display_name",
            message: format!("at most {MAX_DISPLAY_NAME_CHARS} characters / hoogstens {MAX_DISPLAY_NAME_CHARS} tekens"),
        });
    }
    if note.is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS) {
        problems
            .push(Violation { field: "note", message: format!("at most {MAX_NOTE_CHARS} characters / hoogstens {MAX_NOTE_CHARS} tekens") });
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
        return Err(DomainError::invalid("timeline", "home or notifications"));
    }
    let mut tx = store.begin().await?;
    store::markers::set(&mut tx, member.id, timeline, last_read_id).await?;
    tx.commit().await
}

/// A member reports an account (and some of its posts). The node's coordinators and admins
/// are told; with `forward`, an account on another node is reported to its node as well.
pub async fn report(store: &Store, member: &Actor, account: &Actor, status_ids: &[i64], comment: &str, forward: bool) -> Result<i64> {
    if comment.chars().count() > MAX_REPORT_CHARS {
        return Err(DomainError::invalid(
            "comment",
            format!("at most {MAX_REPORT_CHARS} characters / hoogstens {MAX_REPORT_CHARS} tekens"),
        ));
    }
    let mut tx = store.begin().await?;
    for id in status_ids {
        let post =
            store::posts::by_id(&mut tx, *id).await.map_err(|_| DomainError::invalid("status_ids", "unknown post / onbekend bericht"))?;
        if post.author_id != account.id {
            return Err(DomainError::invalid("status_ids", "a post of someone else / een bericht van iemand anders"));
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
