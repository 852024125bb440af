//! Foreign input: article markdown (written here, or a peer's `source` of an Article, and the
//! text its patches produce), through the renderer and the sanitiser after it.
#![no_main]

use buurtnet_domain::model::{html, render_markdown};
use buurtnet_fuzz::assert_harmless;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|source: &str| {
    let html = render_markdown(source);
    assert_harmless(&html, source);
    let _ = html::to_plain_text(&html);
});
