//! Foreign input: an edit a peer proposes to one of our articles (`Update{Patch}`: a unified
//! diff against a named revision), merged three ways into the current text.
//!
//! Input: the base revision, the current text and the diff, separated by NUL characters.
#![no_main]

use buurtnet_domain::model::{diff, merge_patch, normalise};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut parts = text.splitn(3, '\0');
    let (base, current, patch) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let _ = merge_patch(base, current, patch);
    // Our own edits travel the same way: a diff we make applies to its base and gives the new text.
    if normalise(base) != normalise(current) {
        assert_eq!(merge_patch(base, base, &diff(base, current)), Ok(normalise(current)), "{base:?} -> {current:?}");
    }
});
