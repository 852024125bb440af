//! Bringing needs and offers together (vraag en aanbod bij elkaar brengen). When a proposal
//! is posted here or arrives from a node we follow, it is scored against the open proposals
//! of the other purpose that this node holds. Good matches become notifications for the
//! local people concerned (the author, or the coordinators of the authoring initiative), and
//! only about proposals they may read. Nothing is sent to the network.

use crate::error::Result;
use crate::model::matching::{THRESHOLD, score};
use crate::model::{Actor, ActorKind, Post, Purpose};
use crate::store::{self, Store};

pub const KIND_MATCH: &str = "match";

/// Suggests matches for the proposal of `post_id`. Returns how many notifications it made.
pub async fn suggest_for(store: &Store, post_id: i64) -> Result<usize> {
    let mut conn = store.conn().await?;
    let Some(proposal) = store::proposals::by_post_id(&mut conn, post_id).await? else { return Ok(0) };
    let post = store::posts::by_id(&mut conn, post_id).await?;
    let other = if proposal.purpose == Purpose::Offer { Purpose::Request } else { Purpose::Offer };
    let candidates = store::proposals::open(&mut conn, other, 500).await?;
    drop(conn);
    let mut made = 0;
    for candidate in candidates.iter().filter(|c| score(&proposal, c).is_some_and(|s| s >= THRESHOLD)) {
        let candidate_post = store::posts::by_id(&mut store.conn().await?, candidate.post_id).await?;
        made += tell_local_people(store, &post, &candidate_post).await?;
        made += tell_local_people(store, &candidate_post, &post).await?;
    }
    Ok(made)
}

/// Tells the local people behind `about` (if it is local) of `match_post`, when they may read it.
async fn tell_local_people(store: &Store, about: &Post, match_post: &Post) -> Result<usize> {
    if !about.is_local {
        return Ok(0);
    }
    let mut conn = store.conn().await?;
    let author = store::actors::by_id(&mut conn, about.author_id).await?;
    let people = people_behind(&mut conn, &author).await?;
    drop(conn);
    let mut made = 0;
    for person in people {
        if super::visibility::may_read(store, match_post, Some(&person.ap_id)).await? {
            let mut tx = store.begin().await?;
            made += usize::from(store::notifications::insert(&mut tx, person.id, KIND_MATCH, about.id, Some(match_post.id)).await?);
            tx.commit().await?;
        }
    }
    Ok(made)
}

/// A person, or the coordinators of an initiative.
pub(crate) async fn people_behind(conn: &mut impl store::Handle, author: &Actor) -> Result<Vec<Actor>> {
    if author.kind() != ActorKind::Group {
        return Ok(vec![author.clone()]);
    }
    let mut people = Vec::new();
    for id in store::actors::initiative_members_with_role(conn, author.id, super::actors::ROLE_COORDINATOR).await? {
        people.push(store::actors::by_id(conn, id).await?);
    }
    Ok(people)
}
