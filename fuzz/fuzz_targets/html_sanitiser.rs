//! Foreign input: HTML from peers (post content, summaries, alt text, profile notes) and
//! text members type, through the domain's sanitiser and text helpers.
#![no_main]

use buurtnet_domain::model::html;
use buurtnet_fuzz::assert_harmless;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let clean = html::sanitize(text);
    assert_harmless(&clean, text);
    assert_harmless(&html::sanitize_article(text), text);
    let _ = html::to_plain_text(&clean);
    let _ = html::to_plain_text(text);
    let _ = html::hashtags(text);
    assert_harmless(&html::text_to_html(text), text);
    // Mention links go into the HTML of what members type: what they wrap must stay harmless.
    let koe = html::Mentioned { username: "koe", host: "wei.example", is_local: false, url: "https://wei.example/@koe" };
    let weide = html::Mentioned { username: "weide", host: "buurt.example", is_local: true, url: "https://buurt.example/@weide" };
    assert_harmless(&html::link_mentions(&html::text_to_html(text), &[koe, weide]), text);
});
