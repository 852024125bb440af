//! Foreign input: RFC 9421 signature headers (`Signature-Input`, `Signature`, RFC 8941
//! structured fields) and RFC 9530's `Content-Digest`, with the body, through the checks of
//! the inbox and of signed GETs.
//!
//! Input: `name: value` lines, then an empty line, then the body. `created=now` in a line
//! stands for the current time, so that seeds get past the freshness check whenever they run.
#![no_main]

use buurtnet_federation::keys;
use buurtnet_federation::signatures::{Expected, PublicKeyCache, begin_verify};
use http::{HeaderMap, HeaderName, HeaderValue};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

const INBOX: Expected<'static> =
    Expected { method: "POST", path_and_query: "/inbox", host: "localhost:8080", scheme: "http", digest: true };
const GET: Expected<'static> =
    Expected { method: "GET", path_and_query: "/users/a/outbox?page=1", host: "localhost:8080", scheme: "http", digest: false };

/// Keys to verify with: no fuzzed signature holds; checking one must only fail cleanly.
static KEY: LazyLock<(PublicKeyCache, String)> = LazyLock::new(|| (PublicKeyCache::default(), keys::generate().rsa_public_pem));

fuzz_target!(|data: &[u8]| {
    let (head, body) = match data.windows(2).position(|w| w == b"\n\n") {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &[][..]),
    };
    let now = format!("created={}", chrono_now());
    let mut headers = HeaderMap::new();
    for line in head.split(|b| *b == b'\n') {
        let Some(colon) = line.iter().position(|b| *b == b':') else { continue };
        let (name, value) = (&line[..colon], line[colon + 1..].trim_ascii());
        let value = String::from_utf8_lossy(value).replace("created=now", &now);
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name), HeaderValue::from_bytes(value.as_bytes())) {
            headers.append(name, value);
        }
    }
    let (cache, pem) = &*KEY;
    for expected in [&INBOX, &GET] {
        if let Ok(pending) = begin_verify(expected, &headers) {
            let _ = pending.check_body(body);
            let _ = pending.verify(cache, pem);
        }
    }
});

fn chrono_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}
