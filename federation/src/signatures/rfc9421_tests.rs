use super::*;
use crate::keys;
use crate::signatures::{PublicKeyCache, Signer, begin_verify};
use std::collections::BTreeMap;

const POST: Expected<'static> = Expected { method: "POST", path_and_query: "/inbox", host: "localhost:2", scheme: "http", digest: true };

fn signed_post(body: &[u8]) -> (buurtnet_domain::model::ActorKeys, BTreeMap<String, String>) {
    let keys = keys::generate();
    let signer = Signer::from_pem("http://localhost:1/users/a#main-key".into(), &keys.rsa_private_pem).unwrap();
    let mut headers = BTreeMap::from([("host".to_string(), "localhost:2".to_string())]);
    signer.sign_rfc9421("POST", &url::Url::parse("http://localhost:2/inbox").unwrap(), &mut headers, Some(body)).unwrap();
    (keys, headers)
}

fn to_header_map(headers: &BTreeMap<String, String>) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (k, v) in headers {
        map.insert(http::HeaderName::from_bytes(k.as_bytes()).unwrap(), v.parse().unwrap());
    }
    map
}

#[test]
fn our_rfc9421_signature_verifies_and_a_tampered_one_does_not() {
    let body = br#"{"type":"Create"}"#;
    let (keys, headers) = signed_post(body);
    let cache = PublicKeyCache::default();
    let pending = begin_verify(&POST, &to_header_map(&headers)).unwrap();
    assert_eq!(pending.style(), Style::Rfc9421);
    assert_eq!(pending.key_id(), "http://localhost:1/users/a#main-key");
    pending.check_body(body).unwrap();
    pending.verify(&cache, &keys.rsa_public_pem).unwrap();
    assert_eq!(pending.check_body(b"{}"), Err(SignatureError::BadDigest));
    let elsewhere = begin_verify(&Expected { host: "localhost:3", ..POST }, &to_header_map(&headers)).unwrap();
    assert_eq!(elsewhere.verify(&cache, &keys.rsa_public_pem), Err(SignatureError::Invalid));
    let other_path = begin_verify(&Expected { path_and_query: "/users/b/inbox", ..POST }, &to_header_map(&headers)).unwrap();
    assert_eq!(other_path.verify(&cache, &keys.rsa_public_pem), Err(SignatureError::Invalid));
    assert_eq!(pending.verify(&cache, &keys::generate().rsa_public_pem), Err(SignatureError::Invalid));
}

/// Signs `components` with `params` appended (after `created` and `keyid`) by hand.
fn sign_listing(pem: &str, components: &[&str], created: i64, extra: &str, headers: &mut BTreeMap<String, String>) {
    let listed: Vec<String> = components.iter().map(|c| format!("\"{c}\"")).collect();
    let params = format!("({});created={created};keyid=\"http://localhost:1/users/a#main-key\"{extra}", listed.join(" "));
    let expected = POST;
    let lines: Vec<(&str, String)> = components.iter().map(|c| (*c, component_value(&expected, headers, c).unwrap_or_default())).collect();
    let base = signature_base(&lines, &params);
    let key = aws_lc_rs::rsa::KeyPair::from_pkcs8(&crate::keys::pem_to_der(pem).unwrap()).unwrap();
    let mut signature = vec![0; key.public_modulus_len()];
    key.sign(&aws_lc_rs::signature::RSA_PKCS1_SHA256, &aws_lc_rs::rand::SystemRandom::new(), base.as_bytes(), &mut signature).unwrap();
    headers.insert("signature-input".into(), format!("sig1={params}"));
    headers.insert("signature".into(), format!("sig1=:{}:", STANDARD.encode(signature)));
}

#[test]
fn uncovered_method_target_or_digest_and_stale_signatures_are_refused() {
    let keys = keys::generate();
    let now = chrono::Utc::now().timestamp();
    let body = b"{}";
    let base =
        BTreeMap::from([("host".to_string(), "localhost:2".to_string()), ("content-digest".to_string(), content_digest_header(body))]);
    let cases: [(&[&str], i64, &str); 5] = [
        (&["@target-uri", "content-digest"], now, "@method"),
        (&["@method", "@authority", "content-digest"], now, "@target-uri"),
        (&["@method", "@target-uri"], now, "content-digest"),
        (&["@method", "@target-uri", "content-digest"], now - 2 * 3600, "created"),
        (&["@method", "@target-uri", "content-digest"], now + 3600, "created ahead"),
    ];
    for (components, created, what) in cases {
        let mut headers = base.clone();
        sign_listing(&keys.rsa_private_pem, components, created, "", &mut headers);
        assert!(begin_verify(&POST, &to_header_map(&headers)).is_err(), "{what}");
    }
    let mut headers = base.clone();
    sign_listing(&keys.rsa_private_pem, &["@method", "@target-uri", "content-digest"], now, &format!(";expires={}", now - 1), &mut headers);
    assert_eq!(begin_verify(&POST, &to_header_map(&headers)).err(), Some(SignatureError::Expired));
    let mut headers = base.clone();
    sign_listing(&keys.rsa_private_pem, &["@method", "@path", "@authority", "content-digest"], now, "", &mut headers);
    let pending = begin_verify(&POST, &to_header_map(&headers)).unwrap();
    pending.verify(&PublicKeyCache::default(), &keys.rsa_public_pem).unwrap();
    pending.check_body(body).unwrap();
}

#[test]
fn content_digest_is_checked_with_sha_256_and_sha_512() {
    let body = b"hello";
    let sha512 = format!("sha-512=:{}:", STANDARD.encode(Sha512::digest(body)));
    assert!(check_content_digest(&content_digest_header(body), body).is_ok());
    assert!(check_content_digest(&sha512, body).is_ok());
    assert!(check_content_digest(&format!("{sha512}, md5=:AAAA:"), body).is_ok());
    assert!(check_content_digest(&format!("{}, {sha512}", content_digest_header(b"other")), body).is_err());
    assert!(check_content_digest("md5=:AAAA:", body).is_err());
    assert!(check_content_digest("sha-256=abc", body).is_err());
}

#[test]
fn a_repeated_signature_input_or_a_host_for_another_server_is_refused() {
    let (_, headers) = signed_post(b"{}");
    let mut map = to_header_map(&headers);
    map.append("signature-input", headers["signature-input"].parse().unwrap());
    assert_eq!(begin_verify(&POST, &map).err(), Some(SignatureError::Repeated("signature-input".into())));
    let keys = keys::generate();
    let mut headers =
        BTreeMap::from([("host".to_string(), "localhost:3".to_string()), ("content-digest".to_string(), content_digest_header(b"{}"))]);
    sign_listing(&keys.rsa_private_pem, &["@method", "@path", "host", "content-digest"], chrono::Utc::now().timestamp(), "", &mut headers);
    assert_eq!(begin_verify(&POST, &to_header_map(&headers)).err(), Some(SignatureError::WrongHost));
}

/// RFC 9421 appendix B.2.6: the specification's own Ed25519 signature over its example
/// request verifies with our reading of `Signature-Input` and our signature base (only
/// freshness is left out: the example was signed in 2021).
#[test]
fn the_specifications_ed25519_example_verifies() {
    let input =
        r#"sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519""#;
    let signature = "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:";
    let public = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=\n-----END PUBLIC KEY-----\n";
    let headers = BTreeMap::from([
        ("date".to_string(), "Tue, 20 Apr 2021 02:07:55 GMT".to_string()),
        ("content-type".to_string(), "application/json".to_string()),
        ("content-length".to_string(), "18".to_string()),
        ("host".to_string(), "example.com".to_string()),
    ]);
    let expected =
        Expected { method: "POST", path_and_query: "/foo?param=Value&Pet=dog", host: "example.com", scheme: "https", digest: false };
    let (label, inner) = first_input(input).unwrap();
    let components = component_names(&inner).unwrap();
    let lines: Vec<(&str, String)> = components.iter().map(|c| (c.as_str(), component_value(&expected, &headers, c).unwrap())).collect();
    let base = signature_base(&lines, &serialize_params(&inner).unwrap());
    let signed = signature_named(signature, &label).unwrap();
    let key = PublicKeyCache::default().get(public, Some(Algorithm::Ed25519)).unwrap();
    key.verify_sig(base.as_bytes(), &signed).unwrap();
    assert!(key.verify_sig(base.replace("/foo", "/bar").as_bytes(), &signed).is_err());
}
