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

/// How old a signature may be, and how far in the future its date may lie (clock skew).
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
}

/// `SHA-256=<base64>` of a body, as the `Digest` header carries it.
pub fn digest_header(body: &[u8]) -> String {
    format!("SHA-256={}", STANDARD.encode(Sha256::digest(body)))
}

/// Checks a `Digest` header against the body. Only SHA-256 is accepted.
pub fn check_digest(headers: &HeaderMap, body: &[u8]) -> Result<(), SignatureError> {
    let header = headers.get("digest").and_then(|v| v.to_str().ok()).ok_or(SignatureError::BadDigest)?;
    let expected = STANDARD.encode(Sha256::digest(body));
    let matches = header.split(',').any(|part| {
        let (algorithm, value) = part.trim().split_once('=').unwrap_or(("", ""));
        algorithm.eq_ignore_ascii_case("sha-256") && value == expected
    });
    if matches { Ok(()) } else { Err(SignatureError::BadDigest) }
}

fn header_map(headers: &HeaderMap) -> BTreeMap<String, String> {
    headers.iter().filter_map(|(name, value)| Some((name.as_str().to_string(), value.to_str().ok()?.to_string()))).collect()
}

/// A signature that parsed and is fresh, waiting for its key.
pub struct PendingSignature {
    key_id: String,
    signing_string: String,
    signature: Vec<u8>,
}

impl PendingSignature {
    /// The `keyId`: which key (and so which actor) claims to have signed.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    pub fn verify_with(&self, key: &ParsedPublicKey) -> Result<(), SignatureError> {
        key.verify_sig(self.signing_string.as_bytes(), &self.signature).map_err(|_| SignatureError::Invalid)
    }
}

/// Reads and checks everything about a request's signature except the key itself.
/// `require_digest` for POSTs. `path_and_query` as the client sent it.
pub fn begin_verify(
    method: &str,
    path_and_query: &str,
    headers: &HeaderMap,
    require_digest: bool,
) -> Result<PendingSignature, SignatureError> {
    if !headers.contains_key("signature") && !headers.contains_key("authorization") {
        return Err(SignatureError::Missing);
    }
    check_date(headers)?;
    let mut config = Config::new().mastodon_compat().set_expiration(SIGNATURE_MAX_AGE);
    if require_digest {
        config = config.require_digest();
    }
    let unverified = config.begin_verify(method, path_and_query, header_map(headers)).map_err(|e| match e {
        http_signature_normalization::PrepareVerifyError::Validate(http_signature_normalization::verify::ValidateError::Expired {
            ..
        }) => SignatureError::Expired,
        other => SignatureError::Malformed(other.to_string()),
    })?;
    if let Some(algorithm) = unverified.algorithm() {
        let name = algorithm.to_string();
        if !matches!(name.as_str(), "hs2019" | "rsa-sha256") {
            return Err(SignatureError::UnsupportedAlgorithm(name));
        }
    }
    let signature = STANDARD.decode(unverified.signature()).map_err(|_| SignatureError::Malformed("signature is not base64".into()))?;
    Ok(PendingSignature { key_id: unverified.key_id().to_string(), signing_string: unverified.signing_string().to_string(), signature })
}

/// The `Date` header must be present and within [`SIGNATURE_MAX_AGE`] of now, either way.
fn check_date(headers: &HeaderMap) -> Result<(), SignatureError> {
    let Some(date) = headers.get("date").and_then(|v| v.to_str().ok()) else {
        return Ok(()); // signatures with (created) carry their own time; normalization checks it
    };
    let parsed = chrono::DateTime::parse_from_rfc2822(date).map_err(|_| SignatureError::Malformed("unreadable Date header".into()))?;
    let skew = (chrono::Utc::now().timestamp() - parsed.timestamp()).unsigned_abs();
    if skew > SIGNATURE_MAX_AGE.as_secs() { Err(SignatureError::Expired) } else { Ok(()) }
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

    #[test]
    fn a_signed_post_verifies_and_a_tampered_one_does_not() {
        let body = br#"{"type":"Create"}"#;
        let (keys, headers) = signed_post(body);
        let cache = PublicKeyCache::default();
        let key = cache.get(&keys.rsa_public_pem).unwrap();
        check_digest(&headers, body).unwrap();
        let pending = begin_verify("POST", "/inbox", &headers, true).unwrap();
        assert_eq!(pending.key_id(), "http://localhost:1/users/a#main-key");
        pending.verify_with(&key).unwrap();

        assert_eq!(check_digest(&headers, b"{}"), Err(SignatureError::BadDigest));
        let other_path = begin_verify("POST", "/users/b/inbox", &headers, true).unwrap();
        assert_eq!(other_path.verify_with(&key), Err(SignatureError::Invalid));
        let other_key = cache.get(&keys::generate().rsa_public_pem).unwrap();
        assert_eq!(pending.verify_with(&other_key), Err(SignatureError::Invalid));
    }

    #[test]
    fn missing_and_stale_signatures_are_refused() {
        assert!(matches!(begin_verify("POST", "/inbox", &HeaderMap::new(), true), Err(SignatureError::Missing)));
        let (_, mut headers) = signed_post(b"{}");
        let old = http_date(SystemTime::now() - Duration::from_secs(2 * 3600));
        headers.insert("date", old.parse().unwrap());
        assert!(matches!(begin_verify("POST", "/inbox", &headers, true), Err(SignatureError::Expired)));
    }
}
