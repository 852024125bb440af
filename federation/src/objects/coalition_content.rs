//! Coalition content as it travels between replicas: a post's object signed by its author
//! with an FEP-8b32 proof, so that any replica can pass it on (anti-entropy) and every node
//! can check it without trusting the replica, even when the author's node is gone.
//! Coalition content is a post with the "coalition" scope, or a public or unlisted post of an
//! initiative (the coalition's feed).

use crate::error::{FederationError, Result};
use crate::integrity;
use crate::protocol::note::{NoteJson, TombstoneJson};
use crate::protocol::with_context;
use buurtnet_domain::model::{Actor, ActorKind, Post, Visibility};
use serde_json::Value;

/// Whether a post travels with its author's proof.
pub fn is_coalition_content(post: &Post, author: &Actor) -> bool {
    match post.visibility {
        Visibility::Coalition => true,
        Visibility::Public | Visibility::Unlisted => author.kind() == ActorKind::Group,
        _ => false,
    }
}

/// The object of a local post, with `@context` and its author's proof.
pub fn signed_object(note: &NoteJson, author: &Actor) -> Result<Value> {
    let document = with_context(serde_json::to_value(note).map_err(|e| FederationError::Internal(e.to_string()))?);
    sign_as_author(&document, author)
}

/// A deleted local post's `Tombstone` with its author and its author's proof: a deletion any
/// replica can pass on and every node can check without trusting the replica.
pub fn signed_tombstone(post: &Post, author: &Actor) -> Result<Value> {
    let deleted = post.deleted_at.and_then(chrono::DateTime::from_timestamp_millis).unwrap_or_else(chrono::Utc::now);
    let tombstone = TombstoneJson {
        attributed_to: Some(author.ap_id.clone()),
        deleted: Some(deleted.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        ..super::note::tombstone(post)
    };
    let document = with_context(serde_json::to_value(tombstone).map_err(|e| FederationError::Internal(e.to_string()))?);
    sign_as_author(&document, author)
}

/// Whether a received object is a `Tombstone`.
pub fn is_tombstone(object: &Value) -> bool {
    object["type"] == "Tombstone"
}

fn sign_as_author(document: &Value, author: &Actor) -> Result<Value> {
    let private =
        author.ed25519_private_pkcs8.as_deref().ok_or_else(|| FederationError::Internal("the author has no Ed25519 key".into()))?;
    let created = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    integrity::sign(document, &format!("{}#ed25519-key", author.ap_id), private, &created)
        .map_err(|e| FederationError::Internal(format!("signing as {}: {e}", author.ap_id)))
}

/// Checks a received object's proof, when it carries one: it must be made with `author`'s
/// key (the `attributedTo`, checked elsewhere) and hold. True when it was signed. Objects without a proof pass (most
/// servers sign nothing); a proof that fails means the object was altered.
pub fn check_if_signed(object: &Value, author: &Actor) -> Result<bool> {
    if object.get("proof").is_none() {
        return Ok(false);
    }
    let method = integrity::verification_method(object).map_err(|e| FederationError::Malformed(e.to_string()))?;
    if method.split('#').next() != Some(author.ap_id.as_str()) {
        return Err(FederationError::Forbidden("the post's proof is not its author's".into()));
    }
    let key = author
        .ed25519_public_multibase
        .as_deref()
        .ok_or_else(|| FederationError::Malformed("the author publishes no Ed25519 key".into()))?;
    integrity::verify(object, key).map_err(|e| FederationError::Forbidden(format!("the post's proof: {e}")))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::samples::{self, assert_sends};
    use serde_json::json;

    #[test]
    fn a_deleted_posts_tombstone_names_its_author_and_when_and_is_signed() {
        let keys = crate::keys::generate();
        let author = Actor {
            ed25519_public_multibase: Some(keys.ed25519_public_multibase.clone()),
            ed25519_private_pkcs8: Some(keys.ed25519_private_pkcs8.clone()),
            ..samples::actor("https://a.example/initiatives/zorg")
        };
        let post = Post { deleted_at: Some(1_795_000_000_000), ..samples::post("https://a.example/notes/1") };
        let mut signed = signed_tombstone(&post, &author).unwrap();
        assert_eq!(check_if_signed(&signed, &author).ok(), Some(true));
        signed.as_object_mut().unwrap().shift_remove("proof");
        let mut context = crate::protocol::context();
        context.as_array_mut().unwrap().push(json!(integrity::DATA_INTEGRITY_CONTEXT));
        // Signing moves the `@context` (with the proof's own added) to the end, and the last
        // term into its place.
        assert_sends(
            signed,
            json!({"deleted": "2026-11-18T11:06:40Z", "id": "https://a.example/notes/1", "type": "Tombstone", "formerType": "Note",
                "attributedTo": "https://a.example/initiatives/zorg", "@context": context}),
        );
    }
}
