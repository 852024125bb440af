//! HTTP signatures (draft-cavage, `rsa-sha256` / `hs2019`) on our own delivery and inbox paths.
//!
//! http-signature-normalization builds and parses the signing string; aws-lc-rs signs and
//! verifies (constant-time, several times faster than the pure-Rust `rsa` crate). Parsed keys
//! are cached; signing runs on the blocking pool, off the async workers.

use crate::keys::pem_to_der;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeyPair as RsaKeyPair;
use aws_lc_rs::signature::{ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::HeaderMap;
use http_signature_normalization::Config;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

/// How old a signature's date may be.
pub const SIGNATURE_MAX_AGE: Duration = Duration::from_secs(3600);

/// Why a signature was refused. All of these answer 401.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no Signature header")]
    Missing,
    #[error("no Digest header, or one that does not match the body")]
    BadDigest,
    #[error("signature header cannot be read: {0}")]
    Malformed(String),
    #[error("signature expired or dated in the future")]
    Expired,
    #[error("signature does not verify")]
    Invalid,
    #[error("unsupported signature algorithm {0}")]
    UnsupportedAlgorithm(String),
    #[error("the signing key cannot be used: {0}")]
    BadKey(String),
    #[error("more than one {0} header")]
    Repeated(String),
    #[error("the signature was made for another server")]
    WrongHost,
}

/// `SHA-256=<base64>` of a body, as the `Digest` header carries it.
pub fn digest_header(body: &[u8]) -> String {
    format!("SHA-256={}", STANDARD.encode(Sha256::digest(body)))
}

/// Headers a request may carry only once. Were one of them repeated, a check could read one
/// copy while the signing string is built from another (a captured signature replayed with a
/// second, forged `Digest`).
const SINGLE_HEADERS: [&str; 6] = ["signature", "signature-input", "authorization", "digest", "date", "host"];

/// How far in the future a signature's date may lie: clocks drift, but a date much ahead
/// would keep a captured signature usable for longer than [`SIGNATURE_MAX_AGE`].
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(300);

/// The request's headers as one map (names lower-case; repeated headers joined with `", "`
/// as draft-cavage says), the only source of every check and of the signing string.
/// A repeated [`SINGLE_HEADERS`] header refuses the request.
fn header_map(headers: &HeaderMap) -> Result<BTreeMap<String, String>, SignatureError> {
    let mut map = BTreeMap::new();
    for name in headers.keys() {
        let values: Vec<&str> = headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect();
        let repeated = headers.get_all(name).iter().count() > 1;
        if repeated && SINGLE_HEADERS.contains(&name.as_str()) {
            return Err(SignatureError::Repeated(name.as_str().to_string()));
        }
        if !values.is_empty() {
            map.insert(name.as_str().to_string(), values.join(", "));
        }
    }
    if map.contains_key("signature") && map.contains_key("authorization") {
        return Err(SignatureError::Repeated("signature".into()));
    }
    Ok(map)
}

/// Checks a `Digest` value against the body. Only SHA-256 is accepted.
fn check_digest(header: Option<&String>, body: &[u8]) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::BadDigest)?;
    let expected = STANDARD.encode(Sha256::digest(body));
    let matches = header.split(',').any(|part| {
        let (algorithm, value) = part.trim().split_once('=').unwrap_or(("", ""));
        algorithm.eq_ignore_ascii_case("sha-256") && value == expected
    });
    if matches { Ok(()) } else { Err(SignatureError::BadDigest) }
}

/// A signature that parsed and is fresh, waiting for its key (and, for a POST, its body).
pub struct PendingSignature {
    key_id: String,
    signing_string: String,
    signature: Vec<u8>,
    /// The signed `Digest`, the very value the signing string holds.
    digest: Option<String>,
}

impl PendingSignature {
    /// The `keyId`: which key (and so which actor) claims to have signed.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The body must be the one the signed `Digest` names.
    pub fn check_body(&self, body: &[u8]) -> Result<(), SignatureError> {
        check_digest(self.digest.as_ref(), body)
    }

    pub fn verify_with(&self, key: &ParsedPublicKey) -> Result<(), SignatureError> {
        key.verify_sig(self.signing_string.as_bytes(), &self.signature).map_err(|_| SignatureError::Invalid)
    }
}

/// What a request must be to be verified here.
pub struct Expected<'a> {
    pub method: &'a str,
    /// As the client sent it.
    pub path_and_query: &'a str,
    /// This node's domain (with its port in development): the signed `Host` must name it,
    /// so a signature made for another server cannot be replayed to this one.
    pub host: &'a str,
    /// For POSTs: the signature must cover a `Digest`, which [`PendingSignature::check_body`]
    /// then compares with the body.
    pub digest: bool,
}

/// Reads and checks everything about a request's signature except the key itself: one
/// header each where it matters, `(request-target)`, `host` and `date` (and `digest` for
/// POSTs) signed, the host ours, the date fresh.
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
        signing_string: unverified.signing_string().to_string(),
        signature,
        digest: map.get("digest").cloned(),
    })
}

/// The signed host must be ours; a port that is the scheme's default may be written or not.
fn check_host(signed: Option<&String>, ours: &str) -> Result<(), SignatureError> {
    let strip = |h: &str| h.trim().trim_end_matches(":443").trim_end_matches(":80").to_ascii_lowercase();
    match signed {
        Some(host) if strip(host) == strip(ours) => Ok(()),
        _ => Err(SignatureError::WrongHost),
    }
}

/// The signed `Date` must lie within [`SIGNATURE_MAX_AGE`] before now and [`MAX_CLOCK_SKEW`]
/// after it.
fn check_date(date: Option<&String>) -> Result<(), SignatureError> {
    let date = date.ok_or_else(|| SignatureError::Malformed("no Date header".into()))?;
    let parsed = chrono::DateTime::parse_from_rfc2822(date).map_err(|_| SignatureError::Malformed("unreadable Date header".into()))?;
    let age = chrono::Utc::now().timestamp() - parsed.timestamp();
    if age > SIGNATURE_MAX_AGE.as_secs() as i64 || -age > MAX_CLOCK_SKEW.as_secs() as i64 { Err(SignatureError::Expired) } else { Ok(()) }
}

/// The current time as an HTTP date (`Sun, 22 Nov 2026 09:22:04 GMT`).
pub fn http_date(now: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(now).format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// Parsed public keys by PEM text, so a busy inbox parses each sender's key once.
#[derive(Default, Clone)]
pub struct PublicKeyCache {
    keys: Arc<RwLock<HashMap<String, Arc<ParsedPublicKey>>>>,
}

impl PublicKeyCache {
    const MAX_ENTRIES: usize = 20_000;

    pub fn get(&self, pem: &str) -> Result<Arc<ParsedPublicKey>, SignatureError> {
        if let Some(key) = self.keys.read().expect("key cache lock").get(pem) {
            return Ok(key.clone());
        }
        let der = pem_to_der(pem).ok_or_else(|| SignatureError::BadKey("not PEM".into()))?;
        let key = Arc::new(ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, der).map_err(|e| SignatureError::BadKey(e.to_string()))?);
        let mut keys = self.keys.write().expect("key cache lock");
        if keys.len() >= Self::MAX_ENTRIES {
            keys.clear();
        }
        keys.insert(pem.to_string(), key.clone());
        Ok(key)
    }
}

/// A local actor's private key, parsed once.
pub struct Signer {
    key_id: String,
    key: RsaKeyPair,
}

impl Signer {
    pub fn from_pem(key_id: String, private_key_pem: &str) -> Result<Signer, SignatureError> {
        let der = pem_to_der(private_key_pem).ok_or_else(|| SignatureError::BadKey("not PEM".into()))?;
        let key = RsaKeyPair::from_pkcs8(&der).map_err(|e| SignatureError::BadKey(e.to_string()))?;
        Ok(Signer { key_id, key })
    }

    /// Signs a request: adds `Date`, `Digest` (when there is a body) and `Signature` to
    /// `headers`, which must already hold `Host` and any other header to sign.
    pub fn sign(
        &self,
        method: &str,
        path_and_query: &str,
        headers: &mut BTreeMap<String, String>,
        body: Option<&[u8]>,
    ) -> Result<(), SignatureError> {
        headers.insert("date".into(), http_date(SystemTime::now()));
        if let Some(body) = body {
            headers.insert("digest".into(), digest_header(body));
        }
        let unsigned = Config::new()
            .mastodon_compat()
            .begin_sign(method, path_and_query, headers.clone())
            .map_err(|e| SignatureError::Malformed(e.to_string()))?;
        let signed = unsigned.sign(self.key_id.clone(), |signing_string| {
            let mut signature = vec![0; self.key.public_modulus_len()];
            self.key
                .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), signing_string.as_bytes(), &mut signature)
                .map_err(|_| SignatureError::Invalid)?;
            Ok::<_, SignatureError>(STANDARD.encode(signature))
        })?;
        headers.insert("signature".into(), signed.signature_header());
        Ok(())
    }
}

/// Parsed private keys of local actors, by key id.
#[derive(Default, Clone)]
pub struct SignerCache {
    signers: Arc<RwLock<HashMap<String, Arc<Signer>>>>,
}

impl SignerCache {
    pub fn get(&self, key_id: &str, private_key_pem: &str) -> Result<Arc<Signer>, SignatureError> {
        if let Some(signer) = self.signers.read().expect("signer cache lock").get(key_id) {
            return Ok(signer.clone());
        }
        let signer = Arc::new(Signer::from_pem(key_id.to_string(), private_key_pem)?);
        self.signers.write().expect("signer cache lock").insert(key_id.to_string(), signer.clone());
        Ok(signer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys;

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

    const POST: Expected<'static> = Expected { method: "POST", path_and_query: "/inbox", host: "localhost:2", digest: true };

    #[test]
    fn a_signed_post_verifies_and_a_tampered_one_does_not() {
        let body = br#"{"type":"Create"}"#;
        let (keys, headers) = signed_post(body);
        let cache = PublicKeyCache::default();
        let key = cache.get(&keys.rsa_public_pem).unwrap();
        let pending = begin_verify(&POST, &headers).unwrap();
        pending.check_body(body).unwrap();
        assert_eq!(pending.key_id(), "http://localhost:1/users/a#main-key");
        pending.verify_with(&key).unwrap();

        assert_eq!(pending.check_body(b"{}"), Err(SignatureError::BadDigest));
        let other_path = begin_verify(&Expected { path_and_query: "/users/b/inbox", ..POST }, &headers).unwrap();
        assert_eq!(other_path.verify_with(&key), Err(SignatureError::Invalid));
        let other_key = cache.get(&keys::generate().rsa_public_pem).unwrap();
        assert_eq!(pending.verify_with(&other_key), Err(SignatureError::Invalid));
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
