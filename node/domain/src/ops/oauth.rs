//! OAuth 2 as Mastodon clients use it: app registration, the authorization-code grant with
//! PKCE (S256), the password grant (members log in by username or email), client
//! credentials, refresh tokens, revocation, and finding the member behind a bearer token.
//! Client secrets, codes and tokens are random 256-bit values, stored only as SHA-256 hashes.

use crate::error::DomainError;
use crate::model::{Actor, OAuthApp, OAuthToken, Scopes};
use crate::now_ms;
use crate::store::oauth::{NewApp, NewCode, NewToken};
use crate::store::{self, Store};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// The redirect URI of clients that show the code to the person instead of receiving it.
pub const OUT_OF_BAND: &str = "urn:ietf:wg:oauth:2.0:oob";
/// How long an authorization code can be exchanged.
const CODE_LIFETIME_MS: i64 = 10 * 60 * 1000;

/// Why an OAuth request failed, with the error code RFC 6749 gives it.
#[derive(Debug, thiserror::Error)]
pub enum OAuthFailure {
    #[error("invalid_client: {0}")]
    InvalidClient(String),
    #[error("invalid_grant: {0}")]
    InvalidGrant(String),
    #[error("invalid_scope: {0}")]
    InvalidScope(String),
    #[error("invalid_request: {0}")]
    InvalidRequest(String),
    #[error("unsupported_grant_type: {0}")]
    UnsupportedGrantType(String),
    #[error(transparent)]
    Domain(#[from] DomainError),
}

impl OAuthFailure {
    /// The `error` field of the JSON answer.
    pub fn code(&self) -> &'static str {
        match self {
            OAuthFailure::InvalidClient(_) => "invalid_client",
            OAuthFailure::InvalidGrant(_) => "invalid_grant",
            OAuthFailure::InvalidScope(_) => "invalid_scope",
            OAuthFailure::InvalidRequest(_) => "invalid_request",
            OAuthFailure::UnsupportedGrantType(_) => "unsupported_grant_type",
            OAuthFailure::Domain(_) => "server_error",
        }
    }
}

pub type Result<T> = std::result::Result<T, OAuthFailure>;

/// A new token, to hand to the client once.
#[derive(Debug, Clone)]
pub struct Grant {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub scopes: Scopes,
    pub created_at: i64,
    /// Seconds the access token lives, when the node limits it (`None`: until revoked, as on Mastodon).
    pub expires_in: Option<i64>,
}

/// How long new access tokens live: `None` (the default, as on Mastodon) until revoked.
/// Apps that got a refresh token can renew an expired one.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokenLifetime(pub Option<std::time::Duration>);

impl TokenLifetime {
    fn millis(self) -> Option<i64> {
        self.0.map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }
}

/// What a bearer token turned out to be.
#[allow(clippy::large_enum_variant, reason = "made once per request and taken apart at once")]
pub enum TokenCheck {
    Valid(OAuthToken, Option<Actor>),
    Unknown,
    Revoked,
    Expired,
}

pub(crate) fn random_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored form of a secret.
pub fn hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn scopes(text: &str) -> Result<Scopes> {
    Scopes::parse(text).map_err(|e| OAuthFailure::InvalidScope(e.to_string()))
}

/// Registers a client. Returns the app and its secret (shown once).
pub async fn register_app(
    store: &Store,
    name: &str,
    redirect_uris: &str,
    scope: &str,
    website: Option<&str>,
) -> Result<(OAuthApp, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(OAuthFailure::InvalidRequest("client_name: 1 to 200 characters".into()));
    }
    let uris: Vec<&str> = redirect_uris.split([' ', '\n']).map(str::trim).filter(|u| !u.is_empty()).collect();
    if uris.is_empty() {
        return Err(OAuthFailure::InvalidRequest("redirect_uris is required".into()));
    }
    for uri in &uris {
        let usable = *uri == OUT_OF_BAND || url::Url::parse(uri).is_ok_and(|u| !matches!(u.scheme(), "javascript" | "data" | "file"));
        if !usable {
            return Err(OAuthFailure::InvalidRequest(format!("redirect_uris: {uri:?} is not a usable address")));
        }
    }
    let scopes = scopes(scope)?;
    let client_id = random_secret();
    let secret = random_secret();
    let mut tx = store.begin().await?;
    let app = store::oauth::insert_app(
        &mut tx,
        &NewApp {
            client_id: &client_id,
            secret_hash: &hash(&secret),
            name,
            redirect_uris: &uris.join("\n"),
            scopes: &scopes.as_text(),
            website: website.map(str::trim).filter(|w| !w.is_empty()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((app, secret))
}

/// The app of `client_id`, with its secret checked when one is given (or required).
pub async fn client(store: &Store, client_id: &str, secret: Option<&str>, secret_required: bool) -> Result<OAuthApp> {
    let app = store::oauth::app_by_client_id(&mut store.conn().await?, client_id)
        .await?
        .ok_or_else(|| OAuthFailure::InvalidClient("unknown client_id".into()))?;
    match secret {
        Some(secret) if hash(secret) != app.secret_hash => Err(OAuthFailure::InvalidClient("wrong client_secret".into())),
        None if secret_required => Err(OAuthFailure::InvalidClient("client_secret is required".into())),
        _ => Ok(app),
    }
}

/// The scopes asked for, which must lie within the app's; none asked: the app's own.
fn requested(app: &OAuthApp, scope: Option<&str>) -> Result<Scopes> {
    let allowed = scopes(&app.scopes)?;
    let Some(asked) = scope.filter(|s| !s.trim().is_empty()) else { return Ok(allowed) };
    let asked = scopes(asked)?;
    if !allowed.includes_all(&asked) {
        return Err(OAuthFailure::InvalidScope(format!("the app was registered for {:?}", app.scopes)));
    }
    Ok(asked)
}

async fn issue(
    store: &Store,
    app: &OAuthApp,
    member: Option<&Actor>,
    scopes: Scopes,
    with_refresh: bool,
    lifetime: TokenLifetime,
) -> Result<Grant> {
    let access_token = random_secret();
    let refresh_token = with_refresh.then(random_secret);
    let created_at = now_ms();
    let expires_at = lifetime.millis().map(|ms| created_at.saturating_add(ms));
    let refresh_hash = refresh_token.as_deref().map(hash);
    let mut tx = store.begin().await?;
    let new = NewToken {
        token_hash: &hash(&access_token),
        refresh_hash: refresh_hash.as_deref(),
        app_id: app.id,
        member_id: member.map(|m| m.id),
        scopes: &scopes.as_text(),
        created_at,
        expires_at,
    };
    store::oauth::insert_token(&mut tx, &new).await?;
    tx.commit().await?;
    Ok(Grant { access_token, refresh_token, scopes, created_at, expires_in: lifetime.millis().map(|ms| ms / 1000) })
}

/// The password grant (toot's `login_cli`, Mastodon.py's `log_in`).
pub async fn password_grant(
    store: &Store,
    client_id: &str,
    secret: Option<&str>,
    username: &str,
    password: &str,
    scope: Option<&str>,
    lifetime: TokenLifetime,
) -> Result<Grant> {
    let app = client(store, client_id, secret, true).await?;
    let scopes = requested(&app, scope)?;
    let member = super::actors::check_login(store, username, password)
        .await?
        .ok_or_else(|| OAuthFailure::InvalidGrant("wrong username or password / onjuiste gebruikersnaam of wachtwoord".into()))?;
    issue(store, &app, Some(&member), scopes, true, lifetime).await
}

/// A member agreed on the consent page: a code for the app, bound to the redirect URI and
/// (with PKCE) to the challenge.
pub async fn authorize(
    store: &Store,
    app: &OAuthApp,
    member: &Actor,
    redirect_uri: &str,
    scope: Option<&str>,
    code_challenge: Option<&str>,
    challenge_method: Option<&str>,
) -> Result<String> {
    if !app.allows_redirect(redirect_uri) {
        return Err(OAuthFailure::InvalidRequest("redirect_uri was not registered for this app".into()));
    }
    if code_challenge.is_some() && challenge_method.unwrap_or("plain") != "S256" {
        return Err(OAuthFailure::InvalidRequest("code_challenge_method must be S256".into()));
    }
    let scopes = requested(app, scope)?;
    let code = random_secret();
    let mut tx = store.begin().await?;
    let new = NewCode {
        code_hash: &hash(&code),
        app_id: app.id,
        member_id: member.id,
        redirect_uri,
        scopes: &scopes.as_text(),
        code_challenge,
        expires_at: now_ms() + CODE_LIFETIME_MS,
    };
    store::oauth::insert_code(&mut tx, &new).await?;
    tx.commit().await?;
    Ok(code)
}

/// The authorization-code grant. A code works once, within ten minutes, for the app and
/// redirect URI it was made for; with PKCE the verifier must match, and then the secret may
/// be left out (public clients).
pub async fn exchange_code(
    store: &Store,
    client_id: &str,
    secret: Option<&str>,
    code: &str,
    redirect_uri: &str,
    code_verifier: Option<&str>,
    lifetime: TokenLifetime,
) -> Result<Grant> {
    let app = client(store, client_id, secret, false).await?;
    let mut tx = store.begin().await?;
    let taken = store::oauth::take_code(&mut tx, &hash(code)).await?;
    tx.commit().await?;
    let (app_id, member_id, stored_redirect, scopes_text, challenge, expires_at) =
        taken.ok_or_else(|| OAuthFailure::InvalidGrant("unknown or used code".into()))?;
    if app_id != app.id || stored_redirect != redirect_uri || expires_at < now_ms() {
        return Err(OAuthFailure::InvalidGrant("the code is not for this app or address, or expired".into()));
    }
    match (&challenge, code_verifier) {
        (Some(challenge), Some(verifier)) if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == *challenge => {}
        (Some(_), _) => return Err(OAuthFailure::InvalidGrant("code_verifier does not match".into())),
        (None, _) if secret.is_none() => return Err(OAuthFailure::InvalidClient("client_secret is required without PKCE".into())),
        (None, _) => {}
    }
    let member = store::actors::by_id(&mut store.conn().await?, member_id).await?;
    issue(store, &app, Some(&member), scopes(&scopes_text)?, true, lifetime).await
}

/// The client-credentials grant: a token for the app itself (no member).
pub async fn client_credentials(
    store: &Store,
    client_id: &str,
    secret: Option<&str>,
    scope: Option<&str>,
    lifetime: TokenLifetime,
) -> Result<Grant> {
    let app = client(store, client_id, secret, true).await?;
    let scopes = requested(&app, scope)?;
    issue(store, &app, None, scopes, false, lifetime).await
}

/// A refresh token buys a new access token; the old one is revoked.
pub async fn refresh(store: &Store, client_id: &str, secret: Option<&str>, refresh_token: &str, lifetime: TokenLifetime) -> Result<Grant> {
    let app = client(store, client_id, secret, true).await?;
    let old = store::oauth::token_by_refresh_hash(&mut store.conn().await?, &hash(refresh_token))
        .await?
        .filter(|t| t.app_id == app.id && t.revoked_at.is_none())
        .ok_or_else(|| OAuthFailure::InvalidGrant("unknown or revoked refresh_token".into()))?;
    let member = match old.member_id {
        Some(id) => Some(store::actors::by_id(&mut store.conn().await?, id).await?),
        None => None,
    };
    let mut tx = store.begin().await?;
    store::oauth::revoke(&mut tx, old.id).await?;
    tx.commit().await?;
    issue(store, &app, member.as_ref(), scopes(&old.scopes)?, true, lifetime).await
}

/// Revokes a token of this app (RFC 7009: unknown tokens are fine too).
pub async fn revoke(store: &Store, client_id: &str, secret: Option<&str>, token: &str) -> Result<()> {
    let app = client(store, client_id, secret, true).await?;
    let mut conn = store.conn().await?;
    let found = match store::oauth::token_by_hash(&mut conn, &hash(token)).await? {
        Some(t) => Some(t),
        None => store::oauth::token_by_refresh_hash(&mut conn, &hash(token)).await?,
    };
    drop(conn);
    if let Some(token) = found.filter(|t| t.app_id == app.id) {
        let mut tx = store.begin().await?;
        store::oauth::revoke(&mut tx, token.id).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Who a bearer token speaks for: the token and its member (none for app tokens), or why
/// it speaks for nobody.
pub async fn authenticate(store: &Store, bearer: &str) -> std::result::Result<TokenCheck, DomainError> {
    let mut conn = store.conn().await?;
    let Some(token) = store::oauth::token_by_hash(&mut conn, &hash(bearer)).await? else {
        return Ok(TokenCheck::Unknown);
    };
    if token.revoked_at.is_some() {
        return Ok(TokenCheck::Revoked);
    }
    if token.expires_at.is_some_and(|at| at <= now_ms()) {
        return Ok(TokenCheck::Expired);
    }
    let member = match token.member_id {
        Some(id) => Some(store::actors::by_id(&mut conn, id).await?),
        None => None,
    };
    Ok(TokenCheck::Valid(token, member))
}

/// The app a token was issued to.
pub async fn app_of(store: &Store, token: &OAuthToken) -> std::result::Result<Option<OAuthApp>, DomainError> {
    store::oauth::app_by_id(&mut store.conn().await?, token.app_id).await
}
