//! Key pairs for local actors: RSA-2048 for HTTP signatures, Ed25519 for integrity proofs
//! (published as `assertionMethod`, FEP-521a). Generated with aws-lc-rs, stored as PEM and
//! multibase text by the domain.

use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der, PublicKeyX509Der};
use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeySize};
use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use buurtnet_domain::model::ActorKeys;

/// Makes fresh keys for a new local actor.
pub fn generate() -> ActorKeys {
    let rsa = RsaKeyPair::generate(KeySize::Rsa2048).expect("RSA key generation");
    let rsa_private: Pkcs8V1Der = rsa.as_der().expect("RSA private key encoding");
    let rsa_public: PublicKeyX509Der = rsa.public_key().as_der().expect("RSA public key encoding");
    let ed = Ed25519KeyPair::generate().expect("Ed25519 key generation");
    let ed_private = ed.to_pkcs8().expect("Ed25519 private key encoding");
    ActorKeys {
        rsa_public_pem: pem("PUBLIC KEY", rsa_public.as_ref()),
        rsa_private_pem: pem("PRIVATE KEY", rsa_private.as_ref()),
        ed25519_public_multibase: ed25519_multibase(ed.public_key().as_ref()),
        ed25519_private_pkcs8: STANDARD.encode(ed_private.as_ref()),
    }
}

/// PEM text of DER bytes, lines of 64 characters.
pub fn pem(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let lines: Vec<&str> = body.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).expect("base64 is ASCII")).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}

/// The DER bytes inside PEM text (the first block), whatever its label.
pub fn pem_to_der(pem: &str) -> Option<Vec<u8>> {
    let body: String = pem
        .lines()
        .map(str::trim)
        .skip_while(|l| !l.starts_with("-----BEGIN"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    STANDARD.decode(body).ok()
}

/// `z` + base58btc(0xed01 + key): the Multikey form of an Ed25519 public key.
pub fn ed25519_multibase(public_key: &[u8]) -> String {
    let mut bytes = vec![0xed, 0x01];
    bytes.extend_from_slice(public_key);
    format!("z{}", base58btc(&bytes))
}

const ALPHABET: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Base58 (Bitcoin alphabet), as multibase `z` uses it.
pub fn base58btc(input: &[u8]) -> String {
    let mut digits: Vec<u8> = Vec::new();
    for &byte in input {
        let mut carry = byte as u32;
        for digit in digits.iter_mut() {
            carry += (*digit as u32) << 8;
            *digit = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let zeros = input.iter().take_while(|b| **b == 0).count();
    std::iter::repeat_n(b'1', zeros).chain(digits.iter().rev().map(|d| ALPHABET[*d as usize])).map(char::from).collect()
}

/// The bytes of a base58btc text, or `None` when it has other characters.
pub fn base58btc_decode(text: &str) -> Option<Vec<u8>> {
    let mut bytes: Vec<u8> = Vec::new();
    for c in text.bytes() {
        let mut carry = ALPHABET.iter().position(|a| *a == c)? as u32;
        for byte in bytes.iter_mut() {
            carry += (*byte as u32) * 58;
            *byte = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            bytes.push((carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let zeros = text.bytes().take_while(|c| *c == b'1').count();
    Some(std::iter::repeat_n(0u8, zeros).chain(bytes.into_iter().rev()).collect())
}

/// The raw Ed25519 public key of a Multikey (`z` + base58btc(0xed01 + key)).
pub fn ed25519_from_multibase(multibase: &str) -> Option<Vec<u8>> {
    let bytes = base58btc_decode(multibase.strip_prefix('z')?)?;
    let key = bytes.strip_prefix(&[0xed, 0x01])?;
    (key.len() == 32).then(|| key.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_round_trip_through_pem() {
        let keys = generate();
        assert!(keys.rsa_public_pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
        let der = pem_to_der(&keys.rsa_private_pem).unwrap();
        RsaKeyPair::from_pkcs8(&der).expect("private key parses back");
        assert!(keys.ed25519_public_multibase.starts_with("z6Mk"), "Ed25519 multikeys start with z6Mk");
    }

    #[test]
    fn base58_matches_known_vectors() {
        assert_eq!(base58btc(b"Hello World!"), "2NEpo7TZRRrLZSi2U");
        assert_eq!(base58btc(&[0, 0, 1]), "112");
    }
}
