//! draft-cavage HTTP signatures (`Signature: keyId=…,headers=…,signature=…`), as Mastodon
//! before 4.5 and most of the fediverse sign. http-signature-normalization builds and parses
//! the signing string.

use super::{
    Algorithm, Expected, PendingSignature, SIGNATURE_MAX_AGE, SignatureError, SignedDigest, Style, check_age, check_host, header_map,
};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::HeaderMap;
use http_signature_normalization::Config;
use sha2::{Digest, Sha256};

/// `SHA-256=<base64>` of a body, as the `Digest` header carries it.
pub fn digest_header(body: &[u8]) -> String {
    format!("SHA-256={}", STANDARD.encode(Sha256::digest(body)))
}

/// Checks a `Digest` value against the body. Only SHA-256 is accepted.
pub(super) fn check_digest(header: &str, body: &[u8]) -> Result<(), SignatureError> {
    let expected = STANDARD.encode(Sha256::digest(body));
    let matches = header.split(',').any(|part| {
        let (algorithm, value) = part.trim().split_once('=').unwrap_or(("", ""));
        algorithm.eq_ignore_ascii_case("sha-256") && value == expected
    });
    if matches { Ok(()) } else { Err(SignatureError::BadDigest) }
}

/// Reads and checks a draft-cavage signature: one header each where it matters,
/// `(request-target)`, `host` and `date` (and `digest` for POSTs) signed, the host ours,
/// the date fresh.
pub fn begin_verify(expected: &Expected<'_>, headers: &HeaderMap) -> Result<PendingSignature, SignatureError> {
    if !headers.contains_key("signature") && !headers.contains_key("authorization") {
        return Err(SignatureError::Missing);
    }
    let map = header_map(headers)?;
    let mut config = Config::new().mastodon_compat().require_header("(request-target)").set_expiration(SIGNATURE_MAX_AGE);
    if expected.digest {
        config = config.require_digest();
    }
    let unverified = config.begin_verify(expected.method, expected.path_and_query, map.clone()).map_err(|e| match e {
        http_signature_normalization::PrepareVerifyError::Validate(http_signature_normalization::verify::ValidateError::Expired {
            ..
        }) => SignatureError::Expired,
        other => SignatureError::Malformed(other.to_string()),
    })?;
    // The library made the signing string from `map`; these read the same values.
    check_host(map.get("host"), expected.host)?;
    check_date(map.get("date"))?;
    if let Some(algorithm) = unverified.algorithm() {
        let name = algorithm.to_string();
        if !matches!(name.as_str(), "hs2019" | "rsa-sha256") {
            return Err(SignatureError::UnsupportedAlgorithm(name));
        }
    }
    let signature = STANDARD.decode(unverified.signature()).map_err(|_| SignatureError::Malformed("signature is not base64".into()))?;
    Ok(PendingSignature {
        key_id: unverified.key_id().to_string(),
        style: Style::Cavage,
        signed: unverified.signing_string().as_bytes().to_vec(),
        signature,
        algorithm: Some(Algorithm::RsaV15Sha256),
        digest: map.get("digest").cloned().map_or(SignedDigest::None, SignedDigest::Digest),
    })
}

/// The signed `Date` must be fresh ([`check_age`]).
fn check_date(date: Option<&String>) -> Result<(), SignatureError> {
    let date = date.ok_or_else(|| SignatureError::Malformed("no Date header".into()))?;
    let parsed = chrono::DateTime::parse_from_rfc2822(date).map_err(|_| SignatureError::Malformed("unreadable Date header".into()))?;
    check_age(parsed.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys;
    use crate::keys::pem_to_der;
    use crate::signatures::{MAX_CLOCK_SKEW, PublicKeyCache, SINGLE_HEADERS, Signer, http_date};
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::rsa::KeyPair as RsaKeyPair;
    use aws_lc_rs::signature::RSA_PKCS1_SHA256;
    use std::collections::BTreeMap;
    use std::time::{Duration, SystemTime};

    fn to_header_map(headers: &BTreeMap<String, String>) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(http::HeaderName::from_bytes(k.as_bytes()).unwrap(), v.parse().unwrap());
        }
        map
    }

    fn signed_post(body: &[u8]) -> (buurtnet_domain::model::ActorKeys, HeaderMap) {
        let keys = keys::generate();
        let signer = Signer::from_pem("http://localhost:1/users/a#main-key".into(), &keys.rsa_private_pem).unwrap();
        let mut headers = BTreeMap::from([
            ("host".to_string(), "localhost:2".to_string()),
            ("content-type".to_string(), "application/activity+json".to_string()),
        ]);
        signer.sign("POST", "/inbox", &mut headers, Some(body)).unwrap();
        (keys, to_header_map(&headers))
    }

    const POST: Expected<'static> =
        Expected { method: "POST", path_and_query: "/inbox", host: "localhost:2", scheme: "http", digest: true };

    #[test]
    fn a_signed_post_verifies_and_a_tampered_one_does_not() {
        let body = br#"{"type":"Create"}"#;
        let (keys, headers) = signed_post(body);
        let cache = PublicKeyCache::default();
        let pending = begin_verify(&POST, &headers).unwrap();
        pending.check_body(body).unwrap();
        assert_eq!(pending.key_id(), "http://localhost:1/users/a#main-key");
        pending.verify(&cache, &keys.rsa_public_pem).unwrap();

        assert_eq!(pending.check_body(b"{}"), Err(SignatureError::BadDigest));
        let other_path = begin_verify(&Expected { path_and_query: "/users/b/inbox", ..POST }, &headers).unwrap();
        assert_eq!(other_path.verify(&cache, &keys.rsa_public_pem), Err(SignatureError::Invalid));
        assert_eq!(pending.verify(&cache, &keys::generate().rsa_public_pem), Err(SignatureError::Invalid));
    }

    #[test]
    fn missing_and_stale_signatures_are_refused() {
        assert!(matches!(begin_verify(&POST, &HeaderMap::new()), Err(SignatureError::Missing)));
        let (_, mut headers) = signed_post(b"{}");
        let old = http_date(SystemTime::now() - Duration::from_secs(2 * 3600));
        headers.insert("date", old.parse().unwrap());
        assert!(matches!(begin_verify(&POST, &headers), Err(SignatureError::Expired)));
        let ahead = http_date(SystemTime::now() + MAX_CLOCK_SKEW + Duration::from_secs(60));
        headers.insert("date", ahead.parse().unwrap());
        assert!(matches!(begin_verify(&POST, &headers), Err(SignatureError::Expired)));
    }

    #[test]
    fn a_signature_made_for_another_server_is_refused() {
        let (_, headers) = signed_post(b"{}");
        assert!(matches!(begin_verify(&Expected { host: "localhost:3", ..POST }, &headers), Err(SignatureError::WrongHost)));
    }

    #[test]
    fn a_repeated_header_is_refused_whichever_copy_was_signed() {
        let body = br#"{"type":"Create"}"#;
        for name in SINGLE_HEADERS {
            let (_, mut headers) = signed_post(body);
            let name = http::HeaderName::from_static(name);
            let value = headers.get(&name).cloned().unwrap_or_else(|| "x".parse().unwrap());
            if !headers.contains_key(&name) {
                headers.append(name.clone(), value.clone());
            }
            headers.append(name.clone(), value);
            assert!(matches!(begin_verify(&POST, &headers), Err(SignatureError::Repeated(_))), "{name}");
        }
        // A forged Digest first and the signed one last: refused before anything reads either.
        let (_, mut headers) = signed_post(body);
        let signed = headers.remove("digest").unwrap();
        headers.append("digest", digest_header(b"{\"type\":\"Delete\"}").parse().unwrap());
        headers.append("digest", signed);
        assert!(matches!(begin_verify(&POST, &headers), Err(SignatureError::Repeated(_))));
    }

    #[test]
    fn unsigned_request_target_host_date_or_digest_is_refused() {
        let keys = keys::generate();
        let pem = keys.rsa_private_pem.clone();
        for left_out in ["(request-target)", "host", "date", "digest"] {
            let mut headers = BTreeMap::from([
                ("host".to_string(), "localhost:2".to_string()),
                ("date".to_string(), http_date(SystemTime::now())),
                ("digest".to_string(), digest_header(b"{}")),
            ]);
            let signed: Vec<String> =
                ["(request-target)", "host", "date", "digest"].iter().filter(|h| **h != left_out).map(|h| h.to_string()).collect();
            let signature = sign_listing(&pem, "POST", "/inbox", &headers, &signed);
            headers.insert("signature".into(), signature);
            let result = begin_verify(&POST, &to_header_map(&headers));
            assert!(matches!(result, Err(SignatureError::Malformed(_))), "{left_out} left unsigned: {:?}", result.err());
        }
    }

    /// A draft-cavage signature over exactly `signed` (which our own signer would never leave out).
    fn sign_listing(pem: &str, method: &str, path: &str, headers: &BTreeMap<String, String>, signed: &[String]) -> String {
        let signing_string = signed
            .iter()
            .map(
                |h| if h == "(request-target)" { format!("{h}: {} {path}", method.to_lowercase()) } else { format!("{h}: {}", headers[h]) },
            )
            .collect::<Vec<_>>()
            .join("\n");
        let key = RsaKeyPair::from_pkcs8(&pem_to_der(pem).unwrap()).unwrap();
        let mut signature = vec![0; key.public_modulus_len()];
        key.sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), signing_string.as_bytes(), &mut signature).unwrap();
        format!(
            "keyId=\"http://localhost:1/users/a#main-key\",algorithm=\"rsa-sha256\",headers=\"{}\",signature=\"{}\"",
            signed.join(" "),
            STANDARD.encode(signature)
        )
    }
}
