//! Foreign input: an inbox POST's body (an activity and its embedded object), and the objects
//! and actor documents fetched from peers, through the parsers the inbox and the verbs use.
#![no_main]

use buurtnet_domain::model::{Actor, ActorKind, ActorKindColumn, Visibility};
use buurtnet_federation::activities::{parse_move, parse_note};
use buurtnet_federation::objects::{actor::ApubActor, coalition_content, media, note, response, shown};
use buurtnet_federation::protocol::{self, activities::ActivityJson, actor::ActorJson};
use buurtnet_federation::{integrity, keys, signatures::PublicKeyCache};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::sync::LazyLock;

/// The author's Ed25519 public key: a fixed one, so that a crash reproduces.
static AUTHOR_KEY: LazyLock<Option<String>> = LazyLock::new(|| integrity::public_multibase_of(buurtnet_fuzz::ED25519_PRIVATE));

fuzz_target!(|data: &[u8]| {
    let Ok(document) = serde_json::from_slice::<Value>(data) else { return };
    if let Ok(mut activity) = serde_json::from_value::<ActivityJson>(document.clone()) {
        let _ = protocol::same_origin(&activity.id, &activity.actor);
        activity.object_text = protocol::activities::embedded_object_text(data);
        let _ = activity.text_of(&activity.object);
        let _ = parse_move(&activity);
        object(&activity.object);
    }
    object(&document);
});

/// One object, embedded or fetched: as an actor document, and as a post.
fn object(value: &Value) {
    let _ = response::proposal_of(value);
    if let Ok(json) = serde_json::from_value::<ActorJson>(value.clone()) {
        let _ = ApubActor::from_remote(&json);
        let _ = PublicKeyCache::default().get(&json.public_key.public_key_pem, None);
        for key in &json.assertion_method {
            let _ = keys::ed25519_from_multibase(&key.public_key_multibase);
        }
    }
    let Ok(note) = parse_note(value.clone()) else { return };
    // The signer as the inbox would have checked it: the note's author, so that the parsing
    // after that check is reached.
    let author = author(protocol::first_id(Some(&note.attributed_to)).unwrap_or_default());
    let _ = coalition_content::check_if_signed(value, &author);
    let _ = note::note_to_post(&note, &author);
    let _ = note::extras(&note);
    let _ = note::updated_time(&note);
    // What the pasture sends: `url` as Link arrays, arrays of types, text only in contentMap,
    // quotes in four spellings.
    let _ = shown::quote_of(&note);
    let _ = shown::content_of(&note, false);
    if let Some(url) = &note.url {
        let _ = media::preferred_href(url, "text/html");
    }
}

fn author(ap_id: String) -> Actor {
    Actor {
        id: 1,
        kind: ActorKindColumn(ActorKind::Person),
        username: "anna".into(),
        domain: "a.example".into(),
        is_local: false,
        display_name: String::new(),
        summary: String::new(),
        inbox: format!("{ap_id}/inbox"),
        shared_inbox: None,
        outbox: None,
        followers: Some(format!("{ap_id}/followers")),
        following: None,
        url: None,
        public_key_id: format!("{ap_id}#main-key"),
        public_key_pem: String::new(),
        private_key_pem: None,
        ed25519_public_multibase: AUTHOR_KEY.clone(),
        ed25519_private_pkcs8: None,
        manually_approves_followers: false,
        fetched_at: 0,
        created_at: 0,
        default_need_visibility: Visibility::Public,
        moved_to: None,
        ap_id,
    }
}
