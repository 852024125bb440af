//! Likes and boosts we send: `Like` (to the author), `Announce` (public, to our followers and
//! the author), and their `Undo`.

use crate::protocol::PUBLIC;
use buurtnet_domain::model::{Actor, Post};
use serde_json::{Value, json};

pub fn reaction(kind: &str, id: &str, actor: &Actor, post: &Post, author: &Actor) -> Value {
    if kind == "announce" {
        let followers = actor.followers.clone().unwrap_or_default();
        json!({"id": id, "type": "Announce", "actor": actor.ap_id, "object": post.ap_id, "to": [PUBLIC], "cc": [author.ap_id, followers]})
    } else {
        json!({"id": id, "type": "Like", "actor": actor.ap_id, "object": post.ap_id, "to": [author.ap_id]})
    }
}

pub fn undo(id: String, reaction: Value, actor: &Actor) -> Value {
    let (to, cc) = (reaction["to"].clone(), reaction["cc"].clone());
    let mut undo = json!({"id": id, "type": "Undo", "actor": actor.ap_id, "object": reaction, "to": to});
    if !cc.is_null() {
        undo["cc"] = cc;
    }
    undo
}
