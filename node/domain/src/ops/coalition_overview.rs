//! What a coalition's own pages show beyond its log: the open offers and needs and the
//! coming events of its members that this node holds (each filtered by what the reader may
//! see, as everywhere), and the help that flows between its members (wederkerigheid).

use super::browse::{self, EventCard, ProposalCard, ProposalFilter};
use crate::error::Result;
use crate::model::Actor;
use crate::store::Store;

/// Rows looked at before keeping the members' own.
const SCAN: usize = 200;

/// Open offers and needs of the coalition's members that `reader` may see, newest first:
/// the initiatives' own and those of the people here who belong to one (a resident's need
/// she posted herself).
pub async fn open_proposals(store: &Store, coalition: &str, reader: Option<&Actor>, limit: usize) -> Result<Vec<ProposalCard>> {
    let members = super::coalitions::state(store, coalition).await?.members;
    let cards = browse::open_proposals(store, reader, &ProposalFilter::default(), SCAN).await?;
    let mut conn = store.conn().await?;
    let mut kept = Vec::new();
    for card in cards {
        if kept.len() == limit {
            break;
        }
        if super::coalition_week::belongs_to_a_member(&mut conn, &members, &card.author).await? {
            kept.push(card);
        }
    }
    Ok(kept)
}

/// Coming events of the coalition's members that `reader` may see: the combined agenda.
pub async fn agenda(store: &Store, coalition: &str, reader: Option<&Actor>, limit: usize) -> Result<Vec<EventCard>> {
    let members = super::coalitions::state(store, coalition).await?.members;
    let cards = browse::coming_events(store, reader, None, SCAN).await?;
    Ok(cards.into_iter().filter(|c| members.contains(&c.author.ap_id)).take(limit).collect())
}

pub use super::figures::Flow;

/// The help between the coalition's members, all time, counted from the facts that travel
/// with their offers and needs (so every replica draws the same picture; see
/// [`super::figures`]).
pub async fn help_flows(store: &Store, coalition: &str) -> Result<Vec<Flow>> {
    let all_time = super::figures::Period { from: i64::MIN, until: i64::MAX };
    Ok(super::figures::of_coalition(store, coalition, all_time).await?.flows)
}
