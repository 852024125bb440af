//! Foreign input: the headers of a signed inbox POST (draft-cavage `Signature`, `Digest`,
//! `Date`, `Host`, repeated and odd headers) and its body, through the inbox's checks.
//!
//! Input: `name: value` lines, then an empty line, then the body. A `date: now` line stands
//! for the current time, so that seeds get past the freshness check whenever they run.
#![no_main]

use buurtnet_federation::keys;
use buurtnet_federation::signatures::{Expected, PublicKeyCache, begin_verify, http_date};
use http::{HeaderMap, HeaderName, HeaderValue};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

const INBOX: Expected<'static> = Expected { method: "POST", path_and_query: "/inbox", host: "localhost:8080", scheme: "http", digest: true };

/// An RSA key to verify with, in the inbox's key cache. No fuzzed signature holds for it;
/// checking one must only fail cleanly.
static KEY: LazyLock<(PublicKeyCache, String)> = LazyLock::new(|| (PublicKeyCache::default(), keys::generate().rsa_public_pem));

fuzz_target!(|data: &[u8]| {
    let (head, body) = match data.windows(2).position(|w| w == b"\n\n") {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &[][..]),
    };
    let mut headers = HeaderMap::new();
    for line in head.split(|b| *b == b'\n') {
        let Some(colon) = line.iter().position(|b| *b == b':') else { continue };
        let (name, value) = (&line[..colon], line[colon + 1..].trim_ascii());
        let value = if name.eq_ignore_ascii_case(b"date") && value == b"now" {
            http_date(std::time::SystemTime::now()).into_bytes()
        } else {
            value.to_vec()
        };
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name), HeaderValue::from_bytes(&value)) {
            headers.append(name, value);
        }
    }
    let Ok(pending) = begin_verify(&INBOX, &headers) else { return };
    let _ = pending.check_body(body);
    let (cache, pem) = &*KEY;
    let _ = pending.verify(cache, pem);
});
