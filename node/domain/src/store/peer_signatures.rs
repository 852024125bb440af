//! The per-peer memory of HTTP signature styles (`peer_signatures`): what a peer accepts
//! from us (learned from its answers: an RFC 9421 request it refused with 401 and took
//! draft-cavage for instead, or one it took), and whether it signs to us with RFC 9421.

use super::{Handle, affected, on_db};
use crate::error::Result;
use crate::now_ms;

/// What is known of one peer.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PeerSignatures {
    pub host: String,
    /// `rfc9421` or `cavage`; `None` when we never learned it.
    pub outgoing_style: Option<String>,
    pub outgoing_learned_at: Option<i64>,
    pub rfc9421_received_at: Option<i64>,
}

pub async fn get(db: &mut impl Handle, host: &str) -> Result<Option<PeerSignatures>> {
    let sql = "SELECT host, outgoing_style, outgoing_learned_at, rfc9421_received_at FROM peer_signatures WHERE host = $1";
    Ok(on_db!(db, c => sqlx::query_as::<_, PeerSignatures>(sql).bind(host).fetch_optional(c).await)?)
}

/// Records the style a peer took our request in.
pub async fn learned_outgoing(db: &mut impl Handle, host: &str, style: &str) -> Result<()> {
    let sql = "INSERT INTO peer_signatures (host, outgoing_style, outgoing_learned_at) VALUES ($1, $2, $3)
               ON CONFLICT (host) DO UPDATE SET outgoing_style = $2, outgoing_learned_at = $3";
    affected!(db, c => sqlx::query(sql).bind(host).bind(style).bind(now_ms()).execute(c).await)?;
    Ok(())
}

/// Notes a request from `host` whose RFC 9421 signature verified; the time is moved on at
/// most once an hour, so a busy inbox does not write for every request.
pub async fn received_rfc9421(db: &mut impl Handle, host: &str) -> Result<()> {
    let sql = "INSERT INTO peer_signatures (host, rfc9421_received_at) VALUES ($1, $2)
               ON CONFLICT (host) DO UPDATE SET rfc9421_received_at = $2
               WHERE peer_signatures.rfc9421_received_at IS NULL OR peer_signatures.rfc9421_received_at < $2 - 3600000";
    affected!(db, c => sqlx::query(sql).bind(host).bind(now_ms()).execute(c).await)?;
    Ok(())
}
