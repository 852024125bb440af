//! FEP-8b32 object integrity proofs with the `eddsa-jcs-2022` cryptosuite (W3C vc-di-eddsa):
//! a document signed by its author's Ed25519 key (published as `assertionMethod`, FEP-521a)
//! can be forwarded by anyone and still be checked by everyone.
//!
//! Signing: the proof options (`type`, `cryptosuite`, `verificationMethod`, `proofPurpose`,
//! `created`, and the document's `@context`) and the document without `proof` are each put in
//! JCS form (RFC 8785) and hashed with SHA-256; the Ed25519 signature over the two hashes
//! (options first) is the `proofValue`, multibase base58btc. The proof is sent with its
//! `@context`, as FEP-8b32's examples show. Verifying hashes the proof as it came minus
//! `proofValue`; when that fails and the proof carries no `@context`, it tries again with the
//! document's (what the W3C algorithm does), so proofs of implementations that leave it out
//! of both the proof and the hash (bovine) and of those that add it only while hashing verify.

use crate::keys::{base58btc, base58btc_decode, ed25519_from_multibase};
use aws_lc_rs::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

pub const CRYPTOSUITE: &str = "eddsa-jcs-2022";
/// The data-integrity context we name in what we sign. v1 rather than v2 (which the FEP's
/// examples use): JSON-LD processors that only read preloaded contexts (Fedify) know v1 and
/// refuse a document naming v2. The proof does not depend on it (JCS, not RDF); documents
/// naming v2 verify all the same.
pub const DATA_INTEGRITY_CONTEXT: &str = "https://w3id.org/security/data-integrity/v1";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProofError {
    #[error("the document has no proof")]
    Missing,
    #[error("the proof is not usable: {0}")]
    Malformed(String),
    #[error("the proof uses the cryptosuite {0}, not eddsa-jcs-2022")]
    Cryptosuite(String),
    #[error("the proof does not match the document and key")]
    Invalid,
}

/// The document in JCS form (RFC 8785): keys sorted by UTF-16 code units, no whitespace,
/// numbers and strings as ECMAScript writes them.
pub fn canonical(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number(n)),
        Value::String(s) => string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(key, out);
                out.push(':');
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
    }
}

fn string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A number as ECMAScript's `Number.prototype.toString` writes it.
fn number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let v = n.as_f64().unwrap_or(0.0);
    if v == 0.0 {
        return "0".into();
    }
    let sign = if v < 0.0 { "-" } else { "" };
    // Rust's `{:e}` gives the shortest digits that round-trip, as ECMAScript does.
    let scientific = format!("{:e}", v.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    let n = exponent.parse::<i32>().unwrap_or(0) + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let rest = if k > 1 { format!(".{}", &digits[1..]) } else { String::new() };
        let e = n - 1;
        format!("{}{rest}e{}{}", &digits[..1], if e >= 0 { "+" } else { "-" }, e.abs())
    };
    format!("{sign}{body}")
}

fn hash_data(proof_options: &Value, document: &Value) -> Vec<u8> {
    let mut data = Sha256::digest(canonical(proof_options).as_bytes()).to_vec();
    data.extend_from_slice(&Sha256::digest(canonical(document).as_bytes()));
    data
}

/// The document with the data-integrity context added to its `@context` (kept as it is when
/// it is there already).
fn with_integrity_context(document: &Map<String, Value>) -> Map<String, Value> {
    let mut document = document.clone();
    let context = match document.remove("@context") {
        None => Value::String(DATA_INTEGRITY_CONTEXT.into()),
        Some(Value::Array(mut items)) => {
            if !items.iter().any(|i| i.as_str().is_some_and(|s| s.starts_with("https://w3id.org/security/data-integrity/"))) {
                items.push(Value::String(DATA_INTEGRITY_CONTEXT.into()));
            }
            Value::Array(items)
        }
        Some(Value::String(s)) if s.starts_with("https://w3id.org/security/data-integrity/") => Value::String(s),
        Some(other) => Value::Array(vec![other, Value::String(DATA_INTEGRITY_CONTEXT.into())]),
    };
    document.insert("@context".into(), context);
    document
}

/// Signs `document` (an object without `proof`) with the Ed25519 key `private_pkcs8`
/// (base64 PKCS#8, as keys are stored) known as `key_id`; `created` is an RFC 3339 time.
pub fn sign(document: &Value, key_id: &str, private_pkcs8: &str, created: &str) -> Result<Value, ProofError> {
    let map = document.as_object().ok_or_else(|| ProofError::Malformed("only objects are signed".into()))?;
    if map.contains_key("proof") {
        return Err(ProofError::Malformed("the document has a proof already".into()));
    }
    let document = with_integrity_context(map);
    let der = STANDARD.decode(private_pkcs8).map_err(|e| ProofError::Malformed(format!("private key: {e}")))?;
    let key = Ed25519KeyPair::from_pkcs8(&der).map_err(|e| ProofError::Malformed(format!("private key: {e}")))?;
    let mut options = Map::new();
    options.insert("@context".into(), document["@context"].clone());
    options.insert("type".into(), "DataIntegrityProof".into());
    options.insert("cryptosuite".into(), CRYPTOSUITE.into());
    options.insert("verificationMethod".into(), key_id.into());
    options.insert("proofPurpose".into(), "assertionMethod".into());
    options.insert("created".into(), created.into());
    let document = Value::Object(document);
    let signature = key.sign(&hash_data(&Value::Object(options.clone()), &document));
    options.insert("proofValue".into(), format!("z{}", base58btc(signature.as_ref())).into());
    let mut signed = document.as_object().cloned().unwrap_or_default();
    signed.insert("proof".into(), Value::Object(options));
    Ok(Value::Object(signed))
}

/// The `verificationMethod` a proof names (whose key the caller must find), without checking.
pub fn verification_method(document: &Value) -> Result<String, ProofError> {
    let proof = document.get("proof").ok_or(ProofError::Missing)?;
    proof["verificationMethod"].as_str().map(str::to_string).ok_or_else(|| ProofError::Malformed("no verificationMethod".into()))
}

/// Checks the proof of `document` against the Ed25519 key `public_multibase` (a Multikey).
pub fn verify(document: &Value, public_multibase: &str) -> Result<(), ProofError> {
    let map = document.as_object().ok_or_else(|| ProofError::Malformed("only objects carry proofs".into()))?;
    let proof = map.get("proof").and_then(Value::as_object).ok_or(ProofError::Missing)?;
    let suite = proof.get("cryptosuite").and_then(Value::as_str).unwrap_or_default();
    if suite != CRYPTOSUITE || proof.get("type").and_then(Value::as_str) != Some("DataIntegrityProof") {
        return Err(ProofError::Cryptosuite(suite.to_string()));
    }
    if proof.get("proofPurpose").and_then(Value::as_str) != Some("assertionMethod") {
        return Err(ProofError::Malformed("proofPurpose must be assertionMethod".into()));
    }
    if let (Some(theirs), Some(ours)) = (proof.get("@context"), map.get("@context"))
        && theirs != ours
    {
        return Err(ProofError::Malformed("the proof's @context differs from the document's".into()));
    }
    let value = proof.get("proofValue").and_then(Value::as_str).ok_or_else(|| ProofError::Malformed("no proofValue".into()))?;
    let signature =
        value.strip_prefix('z').and_then(base58btc_decode).ok_or_else(|| ProofError::Malformed("proofValue is not base58btc".into()))?;
    let key = ed25519_from_multibase(public_multibase).ok_or_else(|| ProofError::Malformed("not an Ed25519 Multikey".into()))?;
    let mut options = proof.clone();
    options.remove("proofValue");
    let mut unsigned = map.clone();
    unsigned.remove("proof");
    let unsigned = Value::Object(unsigned);
    let key = UnparsedPublicKey::new(&ED25519, &key);
    if key.verify(&hash_data(&Value::Object(options.clone()), &unsigned), &signature).is_ok() {
        return Ok(());
    }
    match map.get("@context") {
        Some(context) if !options.contains_key("@context") => {
            options.insert("@context".into(), context.clone());
            key.verify(&hash_data(&Value::Object(options), &unsigned), &signature).map_err(|_| ProofError::Invalid)
        }
        _ => Err(ProofError::Invalid),
    }
}

/// The Multikey text of the public half of a stored private key (for tests and checks).
pub fn public_multibase_of(private_pkcs8: &str) -> Option<String> {
    let der = STANDARD.decode(private_pkcs8).ok()?;
    let key = Ed25519KeyPair::from_pkcs8(&der).ok()?;
    Some(crate::keys::ed25519_multibase(key.public_key().as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn jcs_follows_rfc_8785() {
        // The RFC's own example of sorting (by UTF-16 code units) and number forms.
        let input: Value = serde_json::from_str(
            r#"{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/","literals":[null,true,false]}"#,
        )
        .unwrap();
        assert_eq!(
            canonical(&input),
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );
        let sorting: Value = serde_json::from_str(r#"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew","1":"One","\ud83d\ude00":"Emoji","\u0080":"Control","\u00f6":"Latin"}"#).unwrap();
        let keys: Vec<String> = canonical(&sorting)
            .split(',')
            .map(|kv| kv.split(':').next().unwrap_or_default().trim_matches(['{', '"']).to_string())
            .collect();
        assert_eq!(keys, vec!["\\r", "1", "\u{80}", "ö", "€", "😀", "דּ"]);
    }

    fn key() -> (String, String) {
        let keys = crate::keys::generate();
        (keys.ed25519_private_pkcs8, keys.ed25519_public_multibase)
    }

    #[test]
    fn a_signed_document_verifies_and_any_change_breaks_it() {
        let (private, public) = key();
        let document = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": "https://buurt.example/activities/1", "type": "Create", "actor": "https://buurt.example/initiatives/zorg",
            "object": {"type": "Note", "content": "Hallo € & <buren>", "latitude": 51.9}
        });
        let signed = sign(&document, "https://buurt.example/initiatives/zorg#ed25519-key", &private, "2026-11-22T10:00:00Z").unwrap();
        assert_eq!(signed["@context"], json!(["https://www.w3.org/ns/activitystreams", DATA_INTEGRITY_CONTEXT]));
        assert_eq!(verify(&signed, &public), Ok(()));
        assert_eq!(verification_method(&signed).unwrap(), "https://buurt.example/initiatives/zorg#ed25519-key");

        let mut altered = signed.clone();
        altered["object"]["content"] = json!("Hallo buren");
        assert_eq!(verify(&altered, &public), Err(ProofError::Invalid), "a changed document");
        let mut backdated = signed.clone();
        backdated["proof"]["created"] = json!("2020-01-01T00:00:00Z");
        assert_eq!(verify(&backdated, &public), Err(ProofError::Invalid), "changed proof options");
        let (_, other) = key();
        assert_eq!(verify(&signed, &other), Err(ProofError::Invalid), "another key");
        let mut unproved = signed.clone();
        unproved.as_object_mut().unwrap().remove("proof");
        assert_eq!(verify(&unproved, &public), Err(ProofError::Missing));
        let mut rsa = signed.clone();
        rsa["proof"]["cryptosuite"] = json!("eddsa-rdfc-2022");
        assert!(matches!(verify(&rsa, &public), Err(ProofError::Cryptosuite(_))));
    }

    #[test]
    fn proofs_hashed_with_the_documents_context_but_sent_without_it_verify() {
        let (private, public) = key();
        let document = json!({"@context": ["https://www.w3.org/ns/activitystreams", DATA_INTEGRITY_CONTEXT], "id": "https://a.example/1", "type": "Note"});
        let mut signed = sign(&document, "https://a.example/u#ed25519-key", &private, "2026-11-22T10:00:00Z").unwrap();
        signed["proof"].as_object_mut().unwrap().remove("@context");
        assert_eq!(verify(&signed, &public), Ok(()), "the W3C way: the context is added while hashing");
    }

    #[test]
    fn keys_survive_the_multibase_round_trip() {
        let (private, public) = key();
        assert_eq!(public_multibase_of(&private).as_deref(), Some(public.as_str()));
        assert_eq!(ed25519_from_multibase(&public).map(|k| k.len()), Some(32));
        assert_eq!(base58btc_decode(&base58btc(&[0, 0, 1, 2, 255])), Some(vec![0, 0, 1, 2, 255]));
        assert_eq!(ed25519_from_multibase("zNotAKey"), None);
    }
}
