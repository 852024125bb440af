//! What coordinators look after: follow requests of the initiatives they coordinate,
//! reports, blocked actors and domains (node-wide: the inbox refuses them), and the match
//! suggestions made for them.

use crate::error::{DomainError, Result, Say};
use crate::model::{Actor, FollowState, Post};
use crate::store::{self, Store};

async fn require_coordinator(store: &Store, member: &Actor) -> Result<()> {
    if super::signup::is_coordinator(store, member).await? { Ok(()) } else { Err(DomainError::Forbidden) }
}

/// Someone waiting to follow an initiative.
pub struct FollowRequest {
    pub initiative: Actor,
    pub follower: Actor,
}

/// Follow requests of the initiatives `coordinator` coordinates.
pub async fn follow_requests(store: &Store, coordinator: &Actor) -> Result<Vec<FollowRequest>> {
    let mut list = Vec::new();
    for initiative in super::browse::coordinated_by(store, coordinator).await? {
        let mut conn = store.conn().await?;
        for follower in store::follows::followers(&mut conn, initiative.id, FollowState::Pending, 200, 0).await? {
            list.push(FollowRequest { initiative: initiative.clone(), follower });
        }
    }
    Ok(list)
}

/// A report, with who made it and whom and what it is about.
pub struct ReportView {
    pub id: i64,
    pub reporter: Actor,
    pub account: Actor,
    pub posts: Vec<Post>,
    pub comment: String,
    pub category: String,
    pub forwarded: bool,
    pub created_at: i64,
}

/// Reports nobody handled yet.
pub async fn open_reports(store: &Store, coordinator: &Actor) -> Result<Vec<ReportView>> {
    require_coordinator(store, coordinator).await?;
    let mut conn = store.conn().await?;
    let mut list = Vec::new();
    for report in store::reports::open(&mut conn).await? {
        let mut posts = Vec::new();
        for id in report.status_ids.split(',').filter_map(|i| i.parse::<i64>().ok()) {
            posts.push(store::posts::by_id(&mut conn, id).await?);
        }
        list.push(ReportView {
            id: report.id,
            reporter: store::actors::by_id(&mut conn, report.reporter_id).await?,
            account: store::actors::by_id(&mut conn, report.account_id).await?,
            posts,
            comment: report.comment,
            category: report.category,
            forwarded: report.forwarded,
            created_at: report.created_at,
        });
    }
    Ok(list)
}

pub async fn mark_report_handled(store: &Store, coordinator: &Actor, report_id: i64) -> Result<()> {
    require_coordinator(store, coordinator).await?;
    let mut tx = store.begin().await?;
    if !store::reports::mark_handled(&mut tx, report_id, coordinator.id).await? {
        return Err(DomainError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// What is blocked: (actor ids, reason, since) and (domains, reason, since).
pub type Blocks = (Vec<(String, String, i64)>, Vec<(String, String, i64)>);

pub async fn blocks(store: &Store, coordinator: &Actor) -> Result<Blocks> {
    require_coordinator(store, coordinator).await?;
    store::inbox::blocks(&mut store.conn().await?).await
}

/// Blocks a remote actor: nothing of theirs is taken in any more, and they stop following us.
pub async fn block_actor(store: &Store, coordinator: &Actor, actor: &Actor, reason: &str) -> Result<()> {
    require_coordinator(store, coordinator).await?;
    if actor.is_local {
        return Err(DomainError::invalid("actor", Say::MembersNotBlocked));
    }
    let mut tx = store.begin().await?;
    store::inbox::block_actor(&mut tx, &actor.ap_id, reason.trim()).await?;
    store::follows::delete_all_of(&mut tx, actor.id).await?;
    tx.commit().await?;
    Ok(())
}

/// Blocks a whole domain (a server).
pub async fn block_domain(store: &Store, coordinator: &Actor, domain: &str, reason: &str, own_domain: &str) -> Result<()> {
    require_coordinator(store, coordinator).await?;
    let domain = domain.trim().trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/').to_lowercase();
    if domain.is_empty() || domain.contains('/') || domain.contains(' ') || !domain.contains(['.', ':']) {
        return Err(DomainError::invalid("domain", Say::GiveServerName));
    }
    if domain == own_domain.to_lowercase() {
        return Err(DomainError::invalid("domain", Say::OwnServer));
    }
    let mut tx = store.begin().await?;
    store::inbox::block_domain(&mut tx, &domain, reason.trim()).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn unblock(store: &Store, coordinator: &Actor, what: &str) -> Result<()> {
    require_coordinator(store, coordinator).await?;
    let mut tx = store.begin().await?;
    if what.starts_with("http://") || what.starts_with("https://") {
        store::inbox::unblock_actor(&mut tx, what).await?;
    } else {
        store::inbox::unblock_domain(&mut tx, what).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A suggestion: a need and an offer that may fit, made for this coordinator.
pub struct Suggestion {
    pub about: Post,
    pub candidate: Post,
    pub created_at: i64,
}

/// The match suggestions made for `member` (newest first), both posts still readable.
pub async fn suggestions(store: &Store, member: &Actor) -> Result<Vec<Suggestion>> {
    let mut conn = store.conn().await?;
    let mut list = Vec::new();
    for n in store::notifications::for_recipient(&mut conn, member.id, 200).await? {
        let (Some(about), Some(candidate)) = (n.post_id, n.related_post_id) else { continue };
        if n.kind != super::matching::KIND_MATCH {
            continue;
        }
        let (about, candidate) = (store::posts::by_id(&mut conn, about).await?, store::posts::by_id(&mut conn, candidate).await?);
        if about.is_deleted() || candidate.is_deleted() {
            continue;
        }
        list.push(Suggestion { about, candidate, created_at: n.created_at });
    }
    Ok(list)
}
