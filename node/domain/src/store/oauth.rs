//! OAuth apps, authorization codes and tokens (hashes only).

use super::{Handle, affected, on_db};
use crate::error::Result;
use crate::model::{OAuthApp, OAuthToken};
use crate::now_ms;

const APP: &str = "id, client_id, secret_hash, name, redirect_uris, scopes, website, created_at";
const TOKEN: &str = "id, app_id, member_id, scopes, created_at, revoked_at, expires_at";

pub struct NewApp<'a> {
    pub client_id: &'a str,
    pub secret_hash: &'a str,
    pub name: &'a str,
    pub redirect_uris: &'a str,
    pub scopes: &'a str,
    pub website: Option<&'a str>,
}

pub async fn insert_app(db: &mut impl Handle, app: &NewApp<'_>) -> Result<OAuthApp> {
    let sql = "INSERT INTO oauth_apps (client_id, secret_hash, name, redirect_uris, scopes, website, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    affected!(db, c => sqlx::query(sql).bind(app.client_id).bind(app.secret_hash).bind(app.name).bind(app.redirect_uris)
        .bind(app.scopes).bind(app.website).bind(now_ms()).execute(c).await)?;
    Ok(app_by_client_id(db, app.client_id).await?.expect("just inserted"))
}

pub async fn app_by_client_id(db: &mut impl Handle, client_id: &str) -> Result<Option<OAuthApp>> {
    let sql = format!("SELECT {APP} FROM oauth_apps WHERE client_id = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, OAuthApp>(&sql).bind(client_id).fetch_optional(c).await)?)
}

pub async fn app_by_id(db: &mut impl Handle, id: i64) -> Result<Option<OAuthApp>> {
    let sql = format!("SELECT {APP} FROM oauth_apps WHERE id = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, OAuthApp>(&sql).bind(id).fetch_optional(c).await)?)
}

pub struct NewCode<'a> {
    pub code_hash: &'a str,
    pub app_id: i64,
    pub member_id: i64,
    pub redirect_uri: &'a str,
    pub scopes: &'a str,
    pub code_challenge: Option<&'a str>,
    pub expires_at: i64,
}

pub async fn insert_code(db: &mut impl Handle, code: &NewCode<'_>) -> Result<()> {
    let sql = "INSERT INTO oauth_codes (code_hash, app_id, member_id, redirect_uri, scopes, code_challenge, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    affected!(db, c => sqlx::query(sql).bind(code.code_hash).bind(code.app_id).bind(code.member_id).bind(code.redirect_uri)
        .bind(code.scopes).bind(code.code_challenge).bind(code.expires_at).execute(c).await)?;
    Ok(())
}

/// A code as stored: (app id, member id, redirect uri, scopes, challenge, expires at).
pub type StoredCode = (i64, i64, String, String, Option<String>, i64);

/// Takes a code once: returns it and marks it used, or `None` when unknown or used before.
pub async fn take_code(db: &mut impl Handle, code_hash: &str) -> Result<Option<StoredCode>> {
    let sql = "UPDATE oauth_codes SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL";
    if affected!(db, c => sqlx::query(sql).bind(now_ms()).bind(code_hash).execute(c).await)? == 0 {
        return Ok(None);
    }
    let sql = "SELECT app_id, member_id, redirect_uri, scopes, code_challenge, expires_at FROM oauth_codes WHERE code_hash = $1";
    Ok(on_db!(db, c => sqlx::query_as::<_, StoredCode>(sql).bind(code_hash).fetch_optional(c).await)?)
}

pub struct NewToken<'a> {
    pub token_hash: &'a str,
    pub refresh_hash: Option<&'a str>,
    pub app_id: i64,
    pub member_id: Option<i64>,
    pub scopes: &'a str,
    pub created_at: i64,
    pub expires_at: Option<i64>,
}

pub async fn insert_token(db: &mut impl Handle, token: &NewToken<'_>) -> Result<()> {
    let sql = "INSERT INTO oauth_tokens (token_hash, refresh_hash, app_id, member_id, scopes, created_at, expires_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7)";
    affected!(db, c => sqlx::query(sql).bind(token.token_hash).bind(token.refresh_hash).bind(token.app_id).bind(token.member_id)
        .bind(token.scopes).bind(token.created_at).bind(token.expires_at).execute(c).await)?;
    Ok(())
}

pub async fn token_by_hash(db: &mut impl Handle, token_hash: &str) -> Result<Option<OAuthToken>> {
    let sql = format!("SELECT {TOKEN} FROM oauth_tokens WHERE token_hash = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, OAuthToken>(&sql).bind(token_hash).fetch_optional(c).await)?)
}

pub async fn token_by_refresh_hash(db: &mut impl Handle, refresh_hash: &str) -> Result<Option<OAuthToken>> {
    let sql = format!("SELECT {TOKEN} FROM oauth_tokens WHERE refresh_hash = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, OAuthToken>(&sql).bind(refresh_hash).fetch_optional(c).await)?)
}

pub async fn revoke(db: &mut impl Handle, token_id: i64) -> Result<()> {
    let sql = "UPDATE oauth_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL";
    affected!(db, c => sqlx::query(sql).bind(now_ms()).bind(token_id).execute(c).await)?;
    Ok(())
}

/// Revokes every token of a member (their account goes).
pub async fn revoke_all_of(db: &mut impl Handle, member_id: i64) -> Result<()> {
    let sql = "UPDATE oauth_tokens SET revoked_at = $1 WHERE member_id = $2 AND revoked_at IS NULL";
    affected!(db, c => sqlx::query(sql).bind(now_ms()).bind(member_id).execute(c).await)?;
    Ok(())
}
