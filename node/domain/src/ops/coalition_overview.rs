//! What a coalition's own pages show beyond its log: the open offers and needs and the
//! coming events of its members that this node holds (each filtered by what the reader may
//! see, as everywhere), and the help that flows between its members (wederkerigheid).

use super::browse::{self, EventCard, ProposalCard, ProposalFilter};
use crate::error::Result;
use crate::model::{Actor, Purpose};
use crate::store::{self, Store};
use std::collections::{BTreeMap, BTreeSet};

/// Rows looked at before keeping the members' own.
const SCAN: usize = 200;
/// Accepted responses looked at for the picture of the network.
const FLOWS_SCAN: i64 = 2000;

/// Open offers and needs of the coalition's members that `reader` may see, newest first.
pub async fn open_proposals(store: &Store, coalition: &str, reader: Option<&Actor>, limit: usize) -> Result<Vec<ProposalCard>> {
    let members = super::coalitions::state(store, coalition).await?.members;
    let cards = browse::open_proposals(store, reader, &ProposalFilter::default(), SCAN).await?;
    Ok(cards.into_iter().filter(|c| members.contains(&c.author.ap_id)).take(limit).collect())
}

/// Coming events of the coalition's members that `reader` may see: the combined agenda.
pub async fn agenda(store: &Store, coalition: &str, reader: Option<&Actor>, limit: usize) -> Result<Vec<EventCard>> {
    let members = super::coalitions::state(store, coalition).await?.members;
    let cards = browse::coming_events(store, reader, None, SCAN).await?;
    Ok(cards.into_iter().filter(|c| members.contains(&c.author.ap_id)).take(limit).collect())
}

/// Help that went from one member initiative to another: `from` helped `to`, `times` times
/// (accepted responses to offers and needs, as this node knows them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub from: String,
    pub to: String,
    pub times: usize,
}

/// The help between the coalition's members. A responder counts for its own initiative
/// when it is one, else for the member initiative on its node (a volunteer of that
/// neighbourhood); help within one initiative is left out.
pub async fn help_flows(store: &Store, coalition: &str) -> Result<Vec<Flow>> {
    let members = super::coalitions::state(store, coalition).await?.members;
    let mut conn = store.conn().await?;
    let mut counted: BTreeMap<(String, String), usize> = BTreeMap::new();
    for response in store::responses::accepted(&mut conn, FLOWS_SCAN).await? {
        let Some(proposal) = store::proposals::by_post_id(&mut conn, response.proposal_post_id).await? else { continue };
        let post = store::posts::by_id(&mut conn, response.proposal_post_id).await?;
        let author = store::actors::by_id(&mut conn, post.author_id).await?;
        if !members.contains(&author.ap_id) {
            continue;
        }
        let responder = store::actors::by_id(&mut conn, response.responder_id).await?;
        let Some(helper_side) = member_for(&members, &responder) else { continue };
        let (from, to) = match proposal.purpose {
            Purpose::Request => (helper_side, author.ap_id.clone()),
            Purpose::Offer => (author.ap_id.clone(), helper_side),
        };
        if from != to {
            *counted.entry((from, to)).or_default() += 1;
        }
    }
    Ok(counted.into_iter().map(|((from, to), times)| Flow { from, to, times }).collect())
}

/// The member initiative an actor acts for: itself, or the first member on its node.
fn member_for(members: &BTreeSet<String>, actor: &Actor) -> Option<String> {
    if members.contains(&actor.ap_id) {
        return Some(actor.ap_id.clone());
    }
    let origin = |id: &str| url::Url::parse(id).ok().map(|u| u.origin());
    let own = origin(&actor.ap_id)?;
    members.iter().find(|m| origin(m).as_ref() == Some(&own)).cloned()
}
