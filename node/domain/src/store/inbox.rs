//! What the inbox remembers: activity ids already processed, and blocked actors and domains.

use super::{Handle, affected, on_db};
use crate::error::Result;
use crate::now_ms;

/// Remembers an activity id. Returns false when it was seen before (a replay or a repeat).
pub async fn remember_activity(db: &mut impl Handle, ap_id: &str) -> Result<bool> {
    let sql = "INSERT INTO received_activities (ap_id, received_at) VALUES ($1, $2) ON CONFLICT DO NOTHING";
    let done = affected!(db, c => sqlx::query(sql).bind(ap_id).bind(now_ms()).execute(c).await)?;
    Ok(done > 0)
}

/// Forgets an activity id, so that a sender's retry is processed after we failed on our side.
pub async fn forget_activity(db: &mut impl Handle, ap_id: &str) -> Result<()> {
    affected!(db, c => sqlx::query("DELETE FROM received_activities WHERE ap_id = $1").bind(ap_id).execute(c).await)?;
    Ok(())
}

pub async fn block_domain(db: &mut impl Handle, domain: &str, reason: &str) -> Result<()> {
    let sql = "INSERT INTO blocked_domains (domain, reason, created_at) VALUES ($1, $2, $3) ON CONFLICT (domain) DO UPDATE SET reason = excluded.reason";
    affected!(db, c => sqlx::query(sql).bind(domain.to_lowercase()).bind(reason).bind(now_ms()).execute(c).await)?;
    Ok(())
}

pub async fn block_actor(db: &mut impl Handle, ap_id: &str, reason: &str) -> Result<()> {
    let sql = "INSERT INTO blocked_actors (ap_id, reason, created_at) VALUES ($1, $2, $3) ON CONFLICT (ap_id) DO UPDATE SET reason = excluded.reason";
    affected!(db, c => sqlx::query(sql).bind(ap_id).bind(reason).bind(now_ms()).execute(c).await)?;
    Ok(())
}

/// Whether the actor, or the domain it lives on, is blocked.
pub async fn is_blocked(db: &mut impl Handle, actor_ap_id: &str, domain: &str) -> Result<bool> {
    let sql = "SELECT (SELECT COUNT(*) FROM blocked_actors WHERE ap_id = $1) + (SELECT COUNT(*) FROM blocked_domains WHERE domain = $2)";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(actor_ap_id).bind(domain.to_lowercase()).fetch_one(c).await)? > 0)
}

/// The stored actor whose key signed a request, with what the inbox checks of its sender.
#[derive(Debug, sqlx::FromRow)]
pub struct KnownSigner {
    #[sqlx(flatten)]
    pub actor: crate::model::Actor,
    /// Entries in the blocklists for the sender or its domain ([`is_blocked`]).
    blocks: i64,
    /// Whether deliveries to its host are held back (`deliveries::is_held_back`).
    held_back: i64,
}

impl KnownSigner {
    pub fn is_blocked(&self) -> bool {
        self.blocks > 0
    }

    pub fn is_held_back(&self) -> bool {
        self.held_back > 0
    }
}

/// [`is_blocked`] for `actor_ap_id` on `domain`, whether `host` is held back, and the actor
/// of `key_id`, in one read; `None` when no stored actor has that key (then ask
/// [`is_blocked`]).
pub async fn known_signer(db: &mut impl Handle, actor_ap_id: &str, domain: &str, host: &str, key_id: &str) -> Result<Option<KnownSigner>> {
    let sql = format!(
        "SELECT {}, (SELECT COUNT(*) FROM blocked_actors WHERE ap_id = $1) + (SELECT COUNT(*) FROM blocked_domains WHERE domain = $2) AS blocks,
                (SELECT COUNT(*) FROM peers WHERE host = $3 AND {}) AS held_back
         FROM actors WHERE public_key_id = $4 LIMIT 1",
        super::actors::COLUMNS,
        super::deliveries::HELD_BACK
    );
    Ok(on_db!(db, c => sqlx::query_as::<_, KnownSigner>(&sql)
        .bind(actor_ap_id).bind(domain.to_lowercase()).bind(host).bind(key_id)
        .fetch_optional(c).await)?)
}

/// Blocked actors and domains: (what, reason, since), actors first.
pub async fn blocks(db: &mut impl Handle) -> Result<(Vec<(String, String, i64)>, Vec<(String, String, i64)>)> {
    let actors = "SELECT ap_id, reason, created_at FROM blocked_actors ORDER BY ap_id";
    let domains = "SELECT domain, reason, created_at FROM blocked_domains ORDER BY domain";
    let actors = on_db!(db, c => sqlx::query_as::<_, (String, String, i64)>(actors).fetch_all(c).await)?;
    let domains = on_db!(db, c => sqlx::query_as::<_, (String, String, i64)>(domains).fetch_all(c).await)?;
    Ok((actors, domains))
}

pub async fn unblock_actor(db: &mut impl Handle, ap_id: &str) -> Result<()> {
    affected!(db, c => sqlx::query("DELETE FROM blocked_actors WHERE ap_id = $1").bind(ap_id).execute(c).await)?;
    Ok(())
}

pub async fn unblock_domain(db: &mut impl Handle, domain: &str) -> Result<()> {
    affected!(db, c => sqlx::query("DELETE FROM blocked_domains WHERE domain = $1").bind(domain.to_lowercase()).execute(c).await)?;
    Ok(())
}
