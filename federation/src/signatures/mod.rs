//! HTTP signatures on our delivery, inbox and signed-GET paths, in both styles peers use:
//! draft-cavage (`Signature` with `keyId`, `rsa-sha256` / `hs2019`; [`cavage`]) and RFC 9421
//! (`Signature-Input` + `Signature`, with RFC 9530's `Content-Digest`; [`rfc9421`]).
//!
//! A request carrying `Signature-Input` is verified as RFC 9421 and only so; any other is
//! read as draft-cavage. Both styles share one reading of the headers ([`header_map`]), which
//! refuses a repeated `Signature`, `Signature-Input`, `Content-Digest`, `Digest`, `Date`,
//! `Host` or `Authorization`, and the same rules: our own host, the method and target
//! covered, a fresh signature, a digest of the body for POSTs.
//!
//! aws-lc-rs signs and verifies; parsed keys are cached ([`PublicKeyCache`], [`SignerCache`]).

pub mod cavage;
pub mod rfc9421;
mod signer;

use crate::keys::pem_to_der;
use aws_lc_rs::signature::{ED25519, ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PSS_2048_8192_SHA512, VerificationAlgorithm};
use http::HeaderMap;
pub use signer::{Signer, SignerCache};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

pub use cavage::digest_header;

/// How old a signature's date may be.
pub const SIGNATURE_MAX_AGE: Duration = Duration::from_secs(3600);

/// How far in the future a signature's date may lie: clocks drift, but a date much ahead
/// would keep a captured signature usable for longer than [`SIGNATURE_MAX_AGE`].
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(300);

/// Why a signature was refused. All of these answer 401.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no Signature header")]
    Missing,
    #[error("no Digest or Content-Digest header, or one that does not match the body")]
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
    #[error("the signature does not cover {0}")]
    NotCovered(String),
}

/// Which of the two specifications a signature follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// draft-cavage-http-signatures-12, as Mastodon before 4.5 signs.
    Cavage,
    /// RFC 9421 HTTP Message Signatures.
    Rfc9421,
}

impl Style {
    pub fn as_str(self) -> &'static str {
        match self {
            Style::Cavage => "cavage",
            Style::Rfc9421 => "rfc9421",
        }
    }
}

/// A signature algorithm we verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (draft-cavage's `rsa-sha256`, RFC 9421's `rsa-v1_5-sha256`).
    RsaV15Sha256,
    RsaPssSha512,
    Ed25519,
}

impl Algorithm {
    fn verification(self) -> &'static dyn VerificationAlgorithm {
        match self {
            Algorithm::RsaV15Sha256 => &RSA_PKCS1_2048_8192_SHA256,
            Algorithm::RsaPssSha512 => &RSA_PSS_2048_8192_SHA512,
            Algorithm::Ed25519 => &ED25519,
        }
    }
}

/// What a request must be to be verified here.
pub struct Expected<'a> {
    pub method: &'a str,
    /// As the client sent it.
    pub path_and_query: &'a str,
    /// This node's domain (with its port in development): the signed `Host` (or RFC 9421's
    /// `@authority`) must name it, so a signature made for another server cannot be replayed
    /// to this one.
    pub host: &'a str,
    /// This node's scheme (`https`, or `http` in development): RFC 9421's `@target-uri`
    /// is rebuilt from it, [`Expected::host`] and [`Expected::path_and_query`].
    pub scheme: &'a str,
    /// For POSTs: the signature must cover a digest of the body (`Digest` or
    /// `Content-Digest`), which [`PendingSignature::check_body`] then compares with the body.
    pub digest: bool,
}

/// The signed digest of the body, as the signature covers it.
#[derive(Debug, Clone)]
enum SignedDigest {
    None,
    /// draft-cavage's `Digest`.
    Digest(String),
    /// RFC 9530's `Content-Digest`.
    ContentDigest(String),
}

/// A signature that parsed and is fresh, waiting for its key (and, for a POST, its body).
#[derive(Debug)]
pub struct PendingSignature {
    key_id: String,
    style: Style,
    /// The bytes that were signed: draft-cavage's signing string or RFC 9421's signature base.
    signed: Vec<u8>,
    signature: Vec<u8>,
    /// `None`: RFC 9421 without `alg`, decided by the key (RSA: PKCS#1 v1.5, Ed25519).
    algorithm: Option<Algorithm>,
    digest: SignedDigest,
}

impl PendingSignature {
    /// The `keyId` (`keyid`): which key (and so which actor) claims to have signed.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    pub fn style(&self) -> Style {
        self.style
    }

    /// The body must be the one the signed digest names.
    pub fn check_body(&self, body: &[u8]) -> Result<(), SignatureError> {
        match &self.digest {
            SignedDigest::None => Err(SignatureError::BadDigest),
            SignedDigest::Digest(value) => cavage::check_digest(value, body),
            SignedDigest::ContentDigest(value) => rfc9421::check_content_digest(value, body),
        }
    }

    /// Verifies with the public key in `pem`, parsed for this signature's algorithm.
    pub fn verify(&self, keys: &PublicKeyCache, pem: &str) -> Result<(), SignatureError> {
        let key = keys.get(pem, self.algorithm)?;
        key.verify_sig(&self.signed, &self.signature).map_err(|_| SignatureError::Invalid)
    }
}

/// Reads and checks everything about a request's signature except the key itself, in the
/// style the request uses: RFC 9421 when it carries `Signature-Input`, draft-cavage otherwise.
pub fn begin_verify(expected: &Expected<'_>, headers: &HeaderMap) -> Result<PendingSignature, SignatureError> {
    if headers.contains_key("signature-input") { rfc9421::begin_verify(expected, headers) } else { cavage::begin_verify(expected, headers) }
}

/// Headers a request may carry only once. Were one of them repeated, a check could read one
/// copy while the signed text is built from another (a captured signature replayed with a
/// second, forged `Digest`).
pub const SINGLE_HEADERS: [&str; 7] = ["signature", "signature-input", "authorization", "digest", "content-digest", "date", "host"];

/// The request's headers as one map (names lower-case; repeated headers joined with `", "`
/// as both specifications say), the only source of every check and of the signed text.
/// A repeated [`SINGLE_HEADERS`] header refuses the request.
fn header_map(headers: &HeaderMap) -> Result<BTreeMap<String, String>, SignatureError> {
    let mut map = BTreeMap::new();
    for name in headers.keys() {
        let values: Vec<&str> = headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).map(str::trim).collect();
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

/// The signed host must be ours; a port that is the scheme's default may be written or not.
fn check_host(signed: Option<&String>, ours: &str) -> Result<(), SignatureError> {
    match signed {
        Some(host) if same_host(host, ours) => Ok(()),
        _ => Err(SignatureError::WrongHost),
    }
}

fn same_host(a: &str, b: &str) -> bool {
    let strip = |h: &str| h.trim().trim_end_matches(":443").trim_end_matches(":80").to_ascii_lowercase();
    strip(a) == strip(b)
}

/// A signature made at `signed_at` (Unix seconds) must lie within [`SIGNATURE_MAX_AGE`]
/// before now and [`MAX_CLOCK_SKEW`] after it.
fn check_age(signed_at: i64) -> Result<(), SignatureError> {
    let age = chrono::Utc::now().timestamp() - signed_at;
    if age > SIGNATURE_MAX_AGE.as_secs() as i64 || -age > MAX_CLOCK_SKEW.as_secs() as i64 { Err(SignatureError::Expired) } else { Ok(()) }
}

/// The current time as an HTTP date (`Sun, 22 Nov 2026 09:22:04 GMT`).
pub fn http_date(now: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(now).format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// Parsed keys by PEM text and the algorithm they were parsed for.
type ParsedKeys = HashMap<(String, Algorithm), Arc<ParsedPublicKey>>;

/// Parsed public keys, so a busy inbox parses each sender's key once.
#[derive(Default, Clone)]
pub struct PublicKeyCache {
    keys: Arc<RwLock<ParsedKeys>>,
}

impl PublicKeyCache {
    const MAX_ENTRIES: usize = 20_000;

    /// The key in `pem` for `algorithm`; with none, the key's own kind says (RSA keys verify
    /// PKCS#1 v1.5 with SHA-256, Ed25519 keys Ed25519).
    pub fn get(&self, pem: &str, algorithm: Option<Algorithm>) -> Result<Arc<ParsedPublicKey>, SignatureError> {
        let candidates = match algorithm {
            Some(algorithm) => vec![algorithm],
            None => vec![Algorithm::RsaV15Sha256, Algorithm::Ed25519],
        };
        for algorithm in &candidates {
            if let Some(key) = self.keys.read().expect("key cache lock").get(&(pem.to_string(), *algorithm)) {
                return Ok(key.clone());
            }
        }
        let der = pem_to_der(pem).ok_or_else(|| SignatureError::BadKey("not PEM".into()))?;
        let mut last_error = String::new();
        for algorithm in candidates {
            match ParsedPublicKey::new(algorithm.verification(), &der) {
                Ok(key) => {
                    let key = Arc::new(key);
                    let mut keys = self.keys.write().expect("key cache lock");
                    if keys.len() >= Self::MAX_ENTRIES {
                        keys.clear();
                    }
                    keys.insert((pem.to_string(), algorithm), key.clone());
                    return Ok(key);
                }
                Err(e) => last_error = e.to_string(),
            }
        }
        Err(SignatureError::BadKey(last_error))
    }
}
