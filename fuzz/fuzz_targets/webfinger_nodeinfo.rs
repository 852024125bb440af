//! Foreign input: a peer's WebFinger answer (as our wire struct, as activitypub_federation
//! reads it when we look up `user@host`, and the subscribe template remote follow reads from
//! it) and NodeInfo documents.
#![no_main]

use buurtnet_federation::protocol::discovery::Webfinger;
use buurtnet_federation::remote_follow::subscribe_template;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<Webfinger>(data);
    let _ = serde_json::from_slice::<activitypub_federation::fetch::webfinger::Webfinger>(data);
    // Buurtnet serves NodeInfo but reads none: a peer's NodeInfo is never more than JSON here.
    let Ok(document) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    if let Ok(url) = subscribe_template(&document, "anna@buurt.example") {
        assert!(matches!(url.scheme(), "http" | "https"), "{url}");
    }
});
