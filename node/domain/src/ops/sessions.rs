//! Logins on the web pages. A session is a random token in a cookie (stored here only as a
//! hash) with its own CSRF token; it ends on logout, after `idle` without use, or when the
//! member's password is reset.

use crate::error::Result;
use crate::model::Actor;
use crate::now_ms;
use crate::ops::oauth::hash;
use crate::store::{self, Store};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Seen again within this time, a session is not written to (one write per five minutes).
const TOUCH_EVERY_MS: i64 = 5 * 60 * 1000;

/// A random 256-bit value, URL-safe.
pub fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// A login that is still valid.
pub struct Session {
    pub id: i64,
    pub member: Actor,
    pub csrf_token: String,
}

/// Starts a session for a member who just logged in; returns the cookie's token.
pub async fn start(store: &Store, member: &Actor) -> Result<String> {
    let token = random_token();
    let mut tx = store.begin().await?;
    store::sessions::insert(&mut tx, &hash(&token), member.id, &random_token(), now_ms()).await?;
    tx.commit().await?;
    Ok(token)
}

/// The session behind a cookie's token, if it exists and was used within `idle_ms`.
pub async fn find(store: &Store, token: &str, idle_ms: i64) -> Result<Option<Session>> {
    let mut conn = store.conn().await?;
    let Some((id, member_id, csrf_token, last_seen)) = store::sessions::by_token_hash(&mut conn, &hash(token)).await? else {
        return Ok(None);
    };
    let now = now_ms();
    if now - last_seen > idle_ms {
        store::sessions::delete(&mut conn, id).await?;
        return Ok(None);
    }
    if now - last_seen > TOUCH_EVERY_MS {
        store::sessions::touch(&mut conn, id, now).await?;
    }
    let member = store::actors::by_id(&mut conn, member_id).await?;
    Ok(Some(Session { id, member, csrf_token }))
}

/// Logs out.
pub async fn end(store: &Store, session_id: i64) -> Result<()> {
    store::sessions::delete(&mut store.conn().await?, session_id).await
}

/// Forgets sessions unused for longer than `idle_ms` (housekeeping).
pub async fn forget_idle(store: &Store, idle_ms: i64) -> Result<u64> {
    store::sessions::delete_idle(&mut store.conn().await?, now_ms() - idle_ms).await
}
