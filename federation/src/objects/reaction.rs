//! Likes and boosts we send: `Like` (to the author), `Announce` (public, to our followers and
//! the author), and their `Undo`.

use crate::protocol::PUBLIC;
use crate::protocol::outgoing::{Activity, Kind};
use buurtnet_domain::model::{Actor, Post};

pub fn reaction(kind: &str, id: &str, actor: &Actor, post: &Post, author: &Actor) -> Activity {
    if kind == "announce" {
        let followers = actor.followers.clone().unwrap_or_default();
        Activity::new(Kind::Announce, id, &actor.ap_id, post.ap_id.as_str()).to([PUBLIC]).cc([author.ap_id.as_str(), &followers])
    } else {
        Activity::new(Kind::Like, id, &actor.ap_id, post.ap_id.as_str()).to([&author.ap_id])
    }
}

/// Takes `reaction` back, addressed as it was.
pub fn undo(id: String, reaction: Activity, actor: &Actor) -> Activity {
    let (to, cc) = (reaction.to.clone(), reaction.cc.clone());
    Activity { to, cc, ..Activity::new(Kind::Undo, id, &actor.ap_id, reaction) }
}
