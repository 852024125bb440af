//! Foreign input: coalition operations (received in any inbox, passed on by any replica) and
//! FEP-8b32 proofs on arbitrary JSON: JCS canonicalisation, the proof check, and the reading
//! of an operation, before its proof (with a fixed key) and after it (signed here with it).
#![no_main]

use buurtnet_federation::objects::coalition_op;
use buurtnet_federation::{integrity, keys};
use buurtnet_fuzz::ED25519_PRIVATE as PRIVATE;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::sync::LazyLock;

static PUBLIC: LazyLock<String> = LazyLock::new(|| integrity::public_multibase_of(PRIVATE).expect("a valid key"));

fuzz_target!(|data: &[u8]| {
    let Ok(document) = serde_json::from_slice::<Value>(data) else { return };
    let canonical = integrity::canonical(&document);
    let again: Value = serde_json::from_str(&canonical).expect("JCS writes JSON");
    assert_eq!(integrity::canonical(&again), canonical, "JCS is stable");

    let _ = integrity::verification_method(&document);
    let _ = integrity::verify(&document, &PUBLIC);
    let _ = coalition_op::parse_verified(&document, &PUBLIC);
    for vouch in document["bn:keys"].as_array().into_iter().flatten() {
        let _ = keys::ed25519_from_multibase(vouch["publicKeyMultibase"].as_str().unwrap_or_default());
    }
    // Past the proof: the document signed by its actor, as an honest author would.
    if let Some(actor) = document["actor"].as_str()
        && let Ok(signed) = integrity::sign(&document, &format!("{actor}#ed25519-key"), PRIVATE, "2026-11-22T10:00:00Z")
    {
        assert_eq!(integrity::verify(&signed, &PUBLIC), Ok(()), "a proof we make holds");
        let _ = coalition_op::parse_verified(&signed, &PUBLIC);
    }
});
