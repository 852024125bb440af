//! RFC 9421 HTTP Message Signatures: `Signature-Input` and `Signature` (RFC 8941 structured
//! fields, read and written by the `sfv` crate), with the body's digest in RFC 9530's
//! `Content-Digest` (`sha-256` or `sha-512`).
//!
//! We verify the first signature a request names (its first `Signature-Input` member) and
//! nothing else; it must cover `@method`, the target (`@target-uri`, or `@path` with
//! `@query` when there is one, or `@request-target`) and our authority (`@target-uri`,
//! `@authority` or `host`), and `content-digest` when there is a body; `created` must be
//! fresh and `expires`, when given, not passed. Derived components are rebuilt from what
//! this node is ([`Expected`]), never read from the request, so a signature made for another
//! server or path does not verify here.

use super::{Algorithm, Expected, PendingSignature, SignatureError, SignedDigest, Style, check_age, check_host, header_map};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::HeaderMap;
use sfv::{BareItem, Dictionary, FieldType, InnerList, KeyRef, ListEntry, ListSerializer, Parser, StringRef};
use sha2::{Digest, Sha256, Sha512};

/// The label of the signatures we make.
pub const LABEL: &str = "sig1";

/// More components than anyone signs: a longer list is refused before any work.
const MAX_COMPONENTS: usize = 32;

/// What a signature covers that we send, and ask for in `Accept-Signature`.
pub const COVERED_GET: [&str; 3] = ["@method", "@target-uri", "@authority"];
pub const COVERED_POST: [&str; 4] = ["@method", "@target-uri", "@authority", "content-digest"];

/// Reads and checks an RFC 9421 signature (module docs say what is required).
pub fn begin_verify(expected: &Expected<'_>, headers: &HeaderMap) -> Result<PendingSignature, SignatureError> {
    let map = header_map(headers)?;
    let input = map.get("signature-input").ok_or(SignatureError::Missing)?;
    let signatures = map.get("signature").ok_or(SignatureError::Missing)?;
    let (label, inner) = first_input(input)?;
    let signature = signature_named(signatures, &label)?;
    let params = Params::read(&inner)?;
    check_age(params.created)?;
    if params.expires.is_some_and(|expires| expires < chrono::Utc::now().timestamp()) {
        return Err(SignatureError::Expired);
    }
    let components = component_names(&inner)?;
    check_coverage(expected, &components)?;
    let mut lines = Vec::with_capacity(components.len());
    for name in &components {
        let value = component_value(expected, &map, name)?;
        lines.push((name.as_str(), value));
    }
    let digest = match map.get("content-digest") {
        Some(value) if components.iter().any(|c| c == "content-digest") => SignedDigest::ContentDigest(value.clone()),
        _ => SignedDigest::None,
    };
    let serialized = serialize_params(&inner)?;
    Ok(PendingSignature {
        key_id: params.key_id,
        style: Style::Rfc9421,
        signed: signature_base(&lines, &serialized).into_bytes(),
        signature,
        algorithm: params.algorithm,
        digest,
    })
}

/// The label and inner list of the first member of `Signature-Input`.
fn first_input(input: &str) -> Result<(String, InnerList), SignatureError> {
    let dictionary: Dictionary = Parser::new(input).parse().map_err(|e| malformed("Signature-Input", e))?;
    match dictionary.into_iter().next() {
        Some((label, ListEntry::InnerList(inner))) => Ok((label.as_str().to_string(), inner)),
        Some(_) => Err(SignatureError::Malformed("Signature-Input member is not a list of components".into())),
        None => Err(SignatureError::Missing),
    }
}

/// The bytes of the `Signature` member named `label`.
fn signature_named(signatures: &str, label: &str) -> Result<Vec<u8>, SignatureError> {
    let dictionary: Dictionary = Parser::new(signatures).parse().map_err(|e| malformed("Signature", e))?;
    match dictionary.get(label) {
        Some(ListEntry::Item(item)) => match &item.bare_item {
            BareItem::ByteSequence(bytes) => Ok(bytes.clone()),
            _ => Err(SignatureError::Malformed("signature is not a byte sequence".into())),
        },
        _ => Err(SignatureError::Malformed(format!("no signature labelled {label}"))),
    }
}

fn malformed(header: &str, error: impl std::fmt::Display) -> SignatureError {
    SignatureError::Malformed(format!("{header}: {error}"))
}

/// The signature parameters we use.
struct Params {
    key_id: String,
    created: i64,
    expires: Option<i64>,
    algorithm: Option<Algorithm>,
}

impl Params {
    fn read(inner: &InnerList) -> Result<Params, SignatureError> {
        let (mut key_id, mut created, mut expires, mut algorithm) = (None, None, None, None);
        for (name, value) in &inner.params {
            match (name.as_str(), value) {
                ("keyid", BareItem::String(s)) => key_id = Some(s.as_str().to_string()),
                ("created", BareItem::Integer(i)) => created = Some(i64::from(*i)),
                ("expires", BareItem::Integer(i)) => expires = Some(i64::from(*i)),
                ("alg", BareItem::String(s)) => algorithm = Some(algorithm_named(s.as_str())?),
                ("keyid" | "created" | "expires" | "alg", _) => {
                    return Err(SignatureError::Malformed(format!("parameter {name} of the wrong type")));
                }
                _ => {}
            }
        }
        Ok(Params {
            key_id: key_id.ok_or_else(|| SignatureError::Malformed("no keyid".into()))?,
            created: created.ok_or_else(|| SignatureError::Malformed("no created".into()))?,
            expires,
            algorithm,
        })
    }
}

fn algorithm_named(name: &str) -> Result<Algorithm, SignatureError> {
    match name {
        "rsa-v1_5-sha256" => Ok(Algorithm::RsaV15Sha256),
        "rsa-pss-sha512" => Ok(Algorithm::RsaPssSha512),
        "ed25519" => Ok(Algorithm::Ed25519),
        other => Err(SignatureError::UnsupportedAlgorithm(other.to_string())),
    }
}

/// The covered component names, in order: lower-case strings without parameters (we support
/// none of `sf`, `key`, `bs`, `req`, `tr`), each once.
fn component_names(inner: &InnerList) -> Result<Vec<String>, SignatureError> {
    if inner.items.len() > MAX_COMPONENTS {
        return Err(SignatureError::Malformed("too many covered components".into()));
    }
    let mut names: Vec<String> = Vec::with_capacity(inner.items.len());
    for item in &inner.items {
        let BareItem::String(name) = &item.bare_item else {
            return Err(SignatureError::Malformed("a covered component is not a string".into()));
        };
        let name = name.as_str();
        if !item.params.is_empty() {
            return Err(SignatureError::Malformed(format!("unsupported parameters on {name}")));
        }
        if name.is_empty() || name != name.to_ascii_lowercase() || names.iter().any(|n| n == name) {
            return Err(SignatureError::Malformed(format!("covered component {name:?} not lower-case or repeated")));
        }
        names.push(name.to_string());
    }
    Ok(names)
}

/// `@method`, the target and our authority must be covered, and `content-digest` for bodies.
fn check_coverage(expected: &Expected<'_>, components: &[String]) -> Result<(), SignatureError> {
    let has = |name: &str| components.iter().any(|c| c == name);
    if !has("@method") {
        return Err(SignatureError::NotCovered("@method".into()));
    }
    let has_query = expected.path_and_query.contains('?');
    let target = has("@target-uri") || has("@request-target") || (has("@path") && (!has_query || has("@query")));
    if !target {
        return Err(SignatureError::NotCovered("@target-uri".into()));
    }
    if !(has("@target-uri") || has("@authority") || has("host")) {
        return Err(SignatureError::NotCovered("@authority".into()));
    }
    if expected.digest && !has("content-digest") {
        return Err(SignatureError::BadDigest);
    }
    Ok(())
}

/// A covered component's value: derived ones from [`Expected`], fields from the request
/// (a covered `host` must be ours).
fn component_value(
    expected: &Expected<'_>,
    headers: &std::collections::BTreeMap<String, String>,
    name: &str,
) -> Result<String, SignatureError> {
    let (path, query) = match expected.path_and_query.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (expected.path_and_query, None),
    };
    let authority = expected.host.to_ascii_lowercase();
    Ok(match name {
        "@method" => expected.method.to_string(),
        "@target-uri" => format!("{}://{authority}{}", expected.scheme, expected.path_and_query),
        "@authority" => authority,
        "@scheme" => expected.scheme.to_string(),
        "@request-target" => expected.path_and_query.to_string(),
        "@path" => {
            if path.is_empty() {
                "/".to_string()
            } else {
                path.to_string()
            }
        }
        "@query" => format!("?{}", query.unwrap_or_default()),
        derived if derived.starts_with('@') => return Err(SignatureError::Malformed(format!("unsupported component {derived}"))),
        field => {
            let value = headers.get(field).ok_or_else(|| SignatureError::Malformed(format!("covered header {field} is absent")))?;
            if field == "host" {
                check_host(Some(value), expected.host)?;
            }
            value.clone()
        }
    })
}

/// `@signature-params`: the inner list with its parameters, as RFC 8941 writes it.
fn serialize_params(inner: &InnerList) -> Result<String, SignatureError> {
    vec![ListEntry::InnerList(inner.clone())].serialize().ok_or_else(|| SignatureError::Malformed("empty signature parameters".into()))
}

/// The signature base (RFC 9421 section 2.5): one `"name": value` line per component, then
/// `"@signature-params"`, without a final newline.
pub(super) fn signature_base(lines: &[(&str, String)], serialized_params: &str) -> String {
    let mut base = String::new();
    for (name, value) in lines {
        base.push_str(&format!("\"{name}\": {value}\n"));
    }
    base.push_str(&format!("\"@signature-params\": {serialized_params}"));
    base
}

/// `Signature-Input`'s inner list for a signature we make, written out.
pub(super) fn params_for(components: &[&str], created: i64, key_id: &str, algorithm: &str) -> Result<String, SignatureError> {
    let created = sfv::Integer::try_from(created).map_err(|e| SignatureError::Malformed(format!("created: {e}")))?;
    let mut list = ListSerializer::new();
    {
        let mut inner = list.inner_list();
        for component in components {
            _ = inner.bare_item(text(component)?);
        }
        _ = inner
            .finish()
            .parameter(KeyRef::constant("created"), created)
            .parameter(KeyRef::constant("keyid"), text(key_id)?)
            .parameter(KeyRef::constant("alg"), text(algorithm)?);
    }
    list.finish().ok_or_else(|| SignatureError::Malformed("empty signature parameters".into()))
}

/// `s` as an RFC 8941 string (printable ASCII only).
fn text(s: &str) -> Result<&StringRef, SignatureError> {
    StringRef::from_str(s).map_err(|e| SignatureError::Malformed(format!("cannot write {s:?}: {e}")))
}

/// The values of the components we sign, for a request to `target`: derived ones from
/// `method` and `target`, fields from `headers`.
pub(super) fn our_component_values<'a>(
    components: &[&'a str],
    method: &str,
    target: &url::Url,
    headers: &std::collections::BTreeMap<String, String>,
) -> Vec<(&'a str, String)> {
    components
        .iter()
        .map(|name| {
            let value = match *name {
                "@method" => method.to_string(),
                "@target-uri" => target.as_str().to_string(),
                "@authority" => crate::host_of(target).to_ascii_lowercase(),
                "@path" => target.path().to_string(),
                "@query" => format!("?{}", target.query().unwrap_or_default()),
                field => headers.get(field).cloned().unwrap_or_default(),
            };
            (*name, value)
        })
        .collect()
}

/// `Content-Digest` of a body: `sha-256=:<base64>:`.
pub fn content_digest_header(body: &[u8]) -> String {
    format!("sha-256=:{}:", STANDARD.encode(Sha256::digest(body)))
}

/// Checks a `Content-Digest` against the body: every `sha-256` and `sha-512` member must
/// match, and there must be one; other algorithms are passed over.
pub(super) fn check_content_digest(header: &str, body: &[u8]) -> Result<(), SignatureError> {
    let dictionary: Dictionary = Parser::new(header).parse().map_err(|_| SignatureError::BadDigest)?;
    let mut checked = false;
    for (algorithm, entry) in &dictionary {
        let expected: Vec<u8> = match algorithm.as_str() {
            "sha-256" => Sha256::digest(body).to_vec(),
            "sha-512" => Sha512::digest(body).to_vec(),
            _ => continue,
        };
        match entry {
            ListEntry::Item(item) if item.bare_item.as_byte_sequence() == Some(expected.as_slice()) => checked = true,
            _ => return Err(SignatureError::BadDigest),
        }
    }
    if checked { Ok(()) } else { Err(SignatureError::BadDigest) }
}

/// `Accept-Signature` for a 401: what a signature must cover to be accepted here.
pub fn accept_signature(with_body: bool) -> String {
    let components: &[&str] = if with_body { &COVERED_POST } else { &COVERED_GET };
    let listed: Vec<String> = components.iter().map(|c| format!("\"{c}\"")).collect();
    format!("{LABEL}=({});created", listed.join(" "))
}

#[cfg(test)]
#[path = "rfc9421_tests.rs"]
mod tests;
