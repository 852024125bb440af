//! The machine's own limits, measured at the start of every run: RSA-2048 signatures per
//! second on one core (OpenSSL's `openssl speed` and aws-lc-rs, which the node signs with;
//! the better of the two is the bound) and how fast this program's load generator can send
//! requests to an empty endpoint (so a figure near that rate says the generator, not the
//! node, was the limit).

use crate::report::Figure;
use crate::standins::{Peer, fire, prepared_get};
use anyhow::{Context, Result};
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{self, KeyPair as _};
use std::time::{Duration, Instant};

pub const IN_FLIGHT: usize = 64;

#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub openssl_sign: f64,
    pub openssl_verify: f64,
    pub aws_lc_sign: f64,
    pub aws_lc_verify: f64,
    pub generator: f64,
}

impl Bounds {
    pub fn sign(&self) -> f64 {
        self.openssl_sign.max(self.aws_lc_sign)
    }

    pub fn verify(&self) -> f64 {
        self.openssl_verify.max(self.aws_lc_verify)
    }

    pub fn figures(&self) -> Vec<Figure> {
        vec![
            Figure::new("RSA-2048 signatures, OpenSSL, one core", "/s", vec![self.openssl_sign]),
            Figure::new("RSA-2048 verifications, OpenSSL, one core", "/s", vec![self.openssl_verify]),
            Figure::new("RSA-2048 signatures, aws-lc-rs, one core", "/s", vec![self.aws_lc_sign]),
            Figure::new("RSA-2048 verifications, aws-lc-rs, one core", "/s", vec![self.aws_lc_verify]),
            Figure::new(format!("load generator to an empty endpoint in this program, {IN_FLIGHT} in flight"), "/s", vec![self.generator]),
        ]
    }
}

pub async fn measure() -> Result<Bounds> {
    let (openssl_sign, openssl_verify) = openssl_rsa2048()?;
    let (aws_lc_sign, aws_lc_verify) = tokio::task::spawn_blocking(aws_lc_rsa2048).await??;
    Ok(Bounds { openssl_sign, openssl_verify, aws_lc_sign, aws_lc_verify, generator: generator_rate().await? })
}

/// `openssl speed -mr rsa2048`: its machine-readable line `+F2:n:2048:signs:verifications`
/// gives both per second.
fn openssl_rsa2048() -> Result<(f64, f64)> {
    let output =
        std::process::Command::new("openssl").args(["speed", "-seconds", "3", "-mr", "rsa2048"]).output().context("openssl speed")?;
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().find(|l| l.starts_with("+F2:")).with_context(|| format!("no +F2 line in openssl speed's output: {text}"))?;
    let fields: Vec<&str> = line.split(':').collect();
    let signs: f64 = fields.get(3).context("sign field")?.parse()?;
    let verifications: f64 = fields.get(4).context("verify field")?.parse()?;
    Ok((signs, verifications))
}

fn aws_lc_rsa2048() -> Result<(f64, f64)> {
    let key = KeyPair::generate(KeySize::Rsa2048).map_err(|e| anyhow::anyhow!("{e}"))?;
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let message = b"(request-target): post /inbox\nhost: example.org\ndate: Mon, 07 Dec 2026 09:00:00 GMT";
    let mut signature = vec![0; key.public_modulus_len()];
    let signs = per_second(|| key.sign(&signature::RSA_PKCS1_SHA256, &rng, message, &mut signature).is_ok());
    let public = signature::UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, key.public_key().as_ref().to_vec());
    let verifications = per_second(|| public.verify(message, &signature).is_ok());
    Ok((signs?, verifications?))
}

/// Runs `op` for about three seconds; fails if it ever fails.
fn per_second(mut op: impl FnMut() -> bool) -> Result<f64> {
    let (start, mut count) = (Instant::now(), 0u64);
    while start.elapsed() < Duration::from_secs(3) {
        anyhow::ensure!(op(), "the operation failed");
        count += 1;
    }
    Ok(count as f64 / start.elapsed().as_secs_f64())
}

async fn generator_rate() -> Result<f64> {
    let peer = Peer::start(Vec::new()).await?;
    let requests = (0..20_000).map(|_| prepared_get(&format!("{}/empty", peer.origin()))).collect();
    let fired = fire(requests, IN_FLIGHT).await;
    anyhow::ensure!(fired.failed == 0, "{} requests to the empty endpoint failed: {:?}", fired.failed, fired.first_failure);
    Ok(fired.per_second())
}
