//! Signing our own requests with a local actor's RSA key, in either style
//! ([`Style`]): which one a peer gets is decided by the caller (`deliver::knock`).

use super::{SignatureError, Style, cavage::digest_header, http_date, rfc9421};
use crate::keys::pem_to_der;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeyPair as RsaKeyPair;
use aws_lc_rs::signature::RSA_PKCS1_SHA256;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http_signature_normalization::Config;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

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

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// Signs a request to `target` in `style`: adds the headers that carry the signature
    /// (and the body's digest) to `headers`, which must already hold `Host`.
    pub fn sign_as(
        &self,
        style: Style,
        method: &str,
        target: &url::Url,
        headers: &mut BTreeMap<String, String>,
        body: Option<&[u8]>,
    ) -> Result<(), SignatureError> {
        match style {
            Style::Cavage => {
                let path_and_query = match target.query() {
                    Some(q) => format!("{}?{q}", target.path()),
                    None => target.path().to_string(),
                };
                self.sign(method, &path_and_query, headers, body)
            }
            Style::Rfc9421 => self.sign_rfc9421(method, target, headers, body),
        }
    }

    /// Signs a request draft-cavage style: adds `Date`, `Digest` (when there is a body) and
    /// `Signature` to `headers`, which must already hold `Host` and any other header to sign.
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
            Ok::<_, SignatureError>(STANDARD.encode(self.signature_of(signing_string.as_bytes())?))
        })?;
        headers.insert("signature".into(), signed.signature_header());
        Ok(())
    }

    /// Signs a request RFC 9421 style (`rsa-v1_5-sha256`, label `sig1`): adds `Date`,
    /// `Content-Digest` (when there is a body), `Signature-Input` and `Signature`.
    pub fn sign_rfc9421(
        &self,
        method: &str,
        target: &url::Url,
        headers: &mut BTreeMap<String, String>,
        body: Option<&[u8]>,
    ) -> Result<(), SignatureError> {
        let components: &[&str] = if body.is_some() { &rfc9421::COVERED_POST } else { &rfc9421::COVERED_GET };
        let created = chrono::Utc::now().timestamp();
        self.sign_rfc9421_covering(method, target, headers, body, components, created)
    }

    /// [`Signer::sign_rfc9421`] covering exactly `components` (derived ones we know, or
    /// fields in `headers`), made at `created` (Unix seconds): for tests that must send
    /// what we never would.
    pub fn sign_rfc9421_covering(
        &self,
        method: &str,
        target: &url::Url,
        headers: &mut BTreeMap<String, String>,
        body: Option<&[u8]>,
        components: &[&str],
        created: i64,
    ) -> Result<(), SignatureError> {
        headers.insert("date".into(), http_date(SystemTime::now()));
        if let Some(body) = body {
            headers.insert("content-digest".into(), rfc9421::content_digest_header(body));
        }
        let params = rfc9421::params_for(components, created, &self.key_id, "rsa-v1_5-sha256")?;
        let lines = rfc9421::our_component_values(components, method, target, headers);
        let base = rfc9421::signature_base(&lines, &params);
        let signature = self.signature_of(base.as_bytes())?;
        headers.insert("signature-input".into(), format!("{}={params}", rfc9421::LABEL));
        headers.insert("signature".into(), format!("{}=:{}:", rfc9421::LABEL, STANDARD.encode(signature)));
        Ok(())
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 over `message`.
    fn signature_of(&self, message: &[u8]) -> Result<Vec<u8>, SignatureError> {
        let mut signature = vec![0; self.key.public_modulus_len()];
        self.key.sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), message, &mut signature).map_err(|_| SignatureError::Invalid)?;
        Ok(signature)
    }
}

/// Parsed private keys of local actors, by key id, and by actor id for the delivery worker
/// (which would otherwise read the actor's row for every delivery).
#[derive(Default, Clone)]
pub struct SignerCache {
    signers: Arc<RwLock<HashMap<String, Arc<Signer>>>>,
    by_actor: Arc<RwLock<HashMap<i64, Arc<Signer>>>>,
}

impl SignerCache {
    /// The signer of local actor `actor_id`, once [`Self::remember_actor`] was told it.
    pub fn of_actor(&self, actor_id: i64) -> Option<Arc<Signer>> {
        self.by_actor.read().expect("signer cache lock").get(&actor_id).cloned()
    }

    pub fn remember_actor(&self, actor_id: i64, signer: Arc<Signer>) {
        self.by_actor.write().expect("signer cache lock").insert(actor_id, signer);
    }

    pub fn get(&self, key_id: &str, private_key_pem: &str) -> Result<Arc<Signer>, SignatureError> {
        if let Some(signer) = self.signers.read().expect("signer cache lock").get(key_id) {
            return Ok(signer.clone());
        }
        let signer = Arc::new(Signer::from_pem(key_id.to_string(), private_key_pem)?);
        self.signers.write().expect("signer cache lock").insert(key_id.to_string(), signer.clone());
        Ok(signer)
    }
}
