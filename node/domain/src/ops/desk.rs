//! The coordinator's desk: what needs a coordinator's attention in the help loop of the
//! initiatives she coordinates. Needs posted for residents (with the resident's name, which
//! only they see), needs nobody answered after some days, responses waiting for a decision,
//! residents' own needs waiting to be passed on, and match suggestions.

use super::moderation::Suggestion;
use crate::error::Result;
use crate::model::{Actor, Post, Proposal, ProposalState, ResponseState};
use crate::store::{self, Store};

/// After how many days an open need nobody responded to is shown as unanswered.
pub const UNANSWERED_AFTER_DAYS: i64 = 3;
const DAY_MS: i64 = 24 * 3600 * 1000;

/// One offer or need on the desk.
#[derive(Debug, Clone)]
pub struct DeskItem {
    pub post: Post,
    pub proposal: Proposal,
    /// The initiative (or, for a resident's own need, the resident) that asked.
    pub author: Actor,
    /// The resident it was posted for, as the coordinator wrote her down (never federated).
    pub resident: Option<String>,
    pub responses: usize,
    pub pending: usize,
}

#[derive(Default)]
pub struct Desk {
    /// Active needs posted on behalf of residents.
    pub for_residents: Vec<DeskItem>,
    /// Open, older than [`UNANSWERED_AFTER_DAYS`], and nobody responded.
    pub unanswered: Vec<DeskItem>,
    /// With responses waiting for a decision.
    pub waiting: Vec<DeskItem>,
    /// Residents' own needs for the coordinators alone, not passed on yet.
    pub to_pass_on: Vec<DeskItem>,
    pub suggestions: Vec<Suggestion>,
}

/// The desk of `coordinator` at `now` (milliseconds).
pub async fn of(store: &Store, coordinator: &Actor, now: i64) -> Result<Desk> {
    let mut desk = Desk::default();
    let active = store::proposals::active_of_coordinated(&mut store.conn().await?, coordinator.id, 200).await?;
    for proposal in active {
        let item = item(store, proposal).await?;
        let old_enough = now - item.post.published >= UNANSWERED_AFTER_DAYS * DAY_MS;
        if item.proposal.state == ProposalState::Open && item.responses == 0 && old_enough {
            desk.unanswered.push(item.clone());
        }
        if item.pending > 0 && item.proposal.state == ProposalState::Open {
            desk.waiting.push(item.clone());
        }
        if item.resident.is_some() {
            desk.for_residents.push(item);
        }
    }
    for proposal in store::proposals::waiting_to_be_passed_on(&mut store.conn().await?, 200).await? {
        if super::proposals::readable_for_passing_on(store, coordinator, proposal.post_id).await.is_ok() {
            desk.to_pass_on.push(item(store, proposal).await?);
        }
    }
    desk.suggestions = super::moderation::suggestions(store, coordinator).await?;
    Ok(desk)
}

async fn item(store: &Store, proposal: Proposal) -> Result<DeskItem> {
    let mut conn = store.conn().await?;
    let post = store::posts::by_id(&mut conn, proposal.post_id).await?;
    let author = store::actors::by_id(&mut conn, post.author_id).await?;
    let resident = store::proposals::resident(&mut conn, post.id).await?;
    let responses = store::responses::for_proposal(&mut conn, post.id).await?;
    let pending = responses.iter().filter(|r| r.state == ResponseState::Pending).count();
    Ok(DeskItem { post, proposal, author, resident, responses: responses.len(), pending })
}
