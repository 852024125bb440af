//! Actors: local (with keys and logins) and remote (as fetched).

use super::{Handle, affected, on_db};
use crate::error::{DomainError, Result};
use crate::model::{Actor, ActorKind, NewActor};
use crate::now_ms;

pub(super) const COLUMNS: &str = "id, ap_id, kind, username, domain, is_local, display_name, summary, inbox, shared_inbox, outbox, followers, following, url, public_key_id, public_key_pem, private_key_pem, ed25519_public_multibase, ed25519_private_pkcs8, manually_approves_followers, fetched_at, created_at, default_need_visibility, moved_to";

/// Inserts an actor, or refreshes a remote one that is already known by `ap_id`.
/// Returns the stored row.
pub async fn upsert(db: &mut impl Handle, actor: &NewActor) -> Result<Actor> {
    let now = now_ms();
    let sql = format!(
        "INSERT INTO actors (ap_id, kind, username, domain, is_local, display_name, summary, inbox, shared_inbox, outbox, followers, following, url, public_key_id, public_key_pem, private_key_pem, ed25519_public_multibase, ed25519_private_pkcs8, manually_approves_followers, fetched_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20)
         ON CONFLICT (ap_id) DO UPDATE SET kind = excluded.kind, username = excluded.username, display_name = excluded.display_name,
           summary = excluded.summary, inbox = excluded.inbox, shared_inbox = excluded.shared_inbox, outbox = excluded.outbox,
           followers = excluded.followers, following = excluded.following, url = excluded.url, public_key_id = excluded.public_key_id,
           public_key_pem = excluded.public_key_pem, manually_approves_followers = excluded.manually_approves_followers,
           fetched_at = excluded.fetched_at
         WHERE NOT actors.is_local
         RETURNING {COLUMNS}"
    );
    let url = |u: &Option<url::Url>| u.as_ref().map(|u| u.to_string());
    let row = on_db!(db, c => sqlx::query_as::<_, Actor>(&sql)
        .bind(actor.ap_id.as_str())
        .bind(actor.kind.as_str())
        .bind(&actor.username)
        .bind(&actor.domain)
        .bind(actor.is_local)
        .bind(&actor.display_name)
        .bind(&actor.summary)
        .bind(actor.inbox.as_str())
        .bind(url(&actor.shared_inbox))
        .bind(url(&actor.outbox))
        .bind(url(&actor.followers))
        .bind(url(&actor.following))
        .bind(url(&actor.url))
        .bind(&actor.public_key_id)
        .bind(&actor.public_key_pem)
        .bind(&actor.private_key_pem)
        .bind(&actor.ed25519_public_multibase)
        .bind(&actor.ed25519_private_pkcs8)
        .bind(actor.manually_approves_followers)
        .bind(now)
        .fetch_optional(c)
        .await)?;
    // No row back means the conflict hit a local actor, which remote data must never overwrite.
    row.ok_or_else(|| DomainError::conflict(crate::words::Say::LocalActor(actor.ap_id.to_string())))
}

pub async fn by_id(db: &mut impl Handle, id: i64) -> Result<Actor> {
    let sql = format!("SELECT {COLUMNS} FROM actors WHERE id = $1");
    on_db!(db, c => sqlx::query_as::<_, Actor>(&sql).bind(id).fetch_optional(c).await)?.ok_or(DomainError::NotFound)
}

/// Which of `ids` are groups (initiatives here, any server's groups elsewhere).
pub async fn groups_among(db: &mut impl Handle, ids: &[i64]) -> Result<std::collections::HashSet<i64>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let sql = format!("SELECT id FROM actors WHERE kind = 'group' AND id IN ({})", super::in_list(ids.len()));
    Ok(super::fetch_in!(db, (i64,), &sql, ids)?.into_iter().map(|(id,)| id).collect())
}

pub async fn by_ap_id(db: &mut impl Handle, ap_id: &str) -> Result<Option<Actor>> {
    let sql = format!("SELECT {COLUMNS} FROM actors WHERE ap_id = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, Actor>(&sql).bind(ap_id).fetch_optional(c).await)?)
}

/// A remote actor by the id of its public key (`keyId` of an HTTP signature).
pub async fn by_key_id(db: &mut impl Handle, key_id: &str) -> Result<Option<Actor>> {
    let sql = format!("SELECT {COLUMNS} FROM actors WHERE public_key_id = $1 LIMIT 1");
    Ok(on_db!(db, c => sqlx::query_as::<_, Actor>(&sql).bind(key_id).fetch_optional(c).await)?)
}

pub async fn local_by_username(db: &mut impl Handle, username: &str) -> Result<Option<Actor>> {
    let sql = format!("SELECT {COLUMNS} FROM actors WHERE is_local AND username = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, Actor>(&sql).bind(username).fetch_optional(c).await)?)
}

pub async fn local_of_kind(db: &mut impl Handle, kind: ActorKind) -> Result<Vec<Actor>> {
    let sql = format!("SELECT {COLUMNS} FROM actors WHERE is_local AND kind = $1 ORDER BY id");
    Ok(on_db!(db, c => sqlx::query_as::<_, Actor>(&sql).bind(kind.as_str()).fetch_all(c).await)?)
}

pub async fn count_local(db: &mut impl Handle, kind: ActorKind) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM actors WHERE is_local AND kind = $1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(kind.as_str()).fetch_one(c).await)?)
}

/// Stores a login for a local actor.
/// A login to store with a new local member.
pub struct NewAccount<'a> {
    pub actor_id: i64,
    pub password_hash: &'a str,
    pub email: Option<&'a str>,
    pub is_admin: bool,
    /// `false`: the sign-up waits for a coordinator.
    pub approved: bool,
    pub application: Option<&'a str>,
}

pub async fn insert_account(db: &mut impl Handle, account: &NewAccount<'_>) -> Result<()> {
    let now = now_ms();
    let sql = "INSERT INTO accounts (actor_id, password_hash, email, is_admin, created_at, approved_at, application) \
               VALUES ($1, $2, $3, $4, $5, $6, $7)";
    affected!(db, c => sqlx::query(sql).bind(account.actor_id).bind(account.password_hash).bind(account.email).bind(account.is_admin)
        .bind(now).bind(account.approved.then_some(now)).bind(account.application).execute(c).await)?;
    Ok(())
}

/// The password hash of a local login, found by username or email, and whether a coordinator
/// has approved it: (actor id, hash, approved).
pub async fn password_hash_for(db: &mut impl Handle, username_or_email: &str) -> Result<Option<(i64, String, bool)>> {
    let sql = "SELECT a.id, acc.password_hash, acc.approved_at IS NOT NULL FROM accounts acc JOIN actors a ON a.id = acc.actor_id
               WHERE a.is_local AND (a.username = $1 OR acc.email = $1)";
    Ok(on_db!(db, c => sqlx::query_as::<_, (i64, String, bool)>(sql).bind(username_or_email).fetch_optional(c).await)?)
}

pub async fn set_password_hash(db: &mut impl Handle, actor_id: i64, password_hash: &str) -> Result<()> {
    affected!(db, c => sqlx::query("UPDATE accounts SET password_hash = $1 WHERE actor_id = $2").bind(password_hash).bind(actor_id).execute(c).await)?;
    Ok(())
}

/// Sign-ups waiting for a coordinator: (member id, what they wrote, when), oldest first.
pub async fn waiting_accounts(db: &mut impl Handle) -> Result<Vec<(i64, Option<String>, i64)>> {
    let sql = "SELECT actor_id, application, created_at FROM accounts WHERE approved_at IS NULL ORDER BY created_at";
    Ok(on_db!(db, c => sqlx::query_as::<_, (i64, Option<String>, i64)>(sql).fetch_all(c).await)?)
}

/// Approves a waiting sign-up; false when there was none.
pub async fn approve_account(db: &mut impl Handle, actor_id: i64) -> Result<bool> {
    let sql = "UPDATE accounts SET approved_at = $1 WHERE actor_id = $2 AND approved_at IS NULL";
    Ok(affected!(db, c => sqlx::query(sql).bind(now_ms()).bind(actor_id).execute(c).await)? == 1)
}

pub async fn is_admin(db: &mut impl Handle, actor_id: i64) -> Result<bool> {
    let sql = "SELECT is_admin FROM accounts WHERE actor_id = $1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, bool>(sql).bind(actor_id).fetch_optional(c).await)?.unwrap_or(false))
}

/// The initiatives a member belongs to, with the role: (initiative id, role).
pub async fn roles_of(db: &mut impl Handle, member_id: i64) -> Result<Vec<(i64, String)>> {
    let sql = "SELECT initiative_id, role FROM initiative_members WHERE member_id = $1 ORDER BY initiative_id";
    Ok(on_db!(db, c => sqlx::query_as::<_, (i64, String)>(sql).bind(member_id).fetch_all(c).await)?)
}

pub async fn add_initiative_member(db: &mut impl Handle, initiative_id: i64, member_id: i64, role: &str) -> Result<()> {
    let sql = "INSERT INTO initiative_members (initiative_id, member_id, role, created_at) VALUES ($1, $2, $3, $4)
               ON CONFLICT (initiative_id, member_id) DO UPDATE SET role = excluded.role";
    affected!(db, c => sqlx::query(sql).bind(initiative_id).bind(member_id).bind(role).bind(now_ms()).execute(c).await)?;
    Ok(())
}

/// The role a member has in an initiative, if any.
pub async fn initiative_role(db: &mut impl Handle, initiative_id: i64, member_id: i64) -> Result<Option<String>> {
    let sql = "SELECT role FROM initiative_members WHERE initiative_id = $1 AND member_id = $2";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, String>(sql).bind(initiative_id).bind(member_id).fetch_optional(c).await)?)
}

/// Sets the scope an initiative's needs get by default.
pub async fn set_default_need_visibility(db: &mut impl Handle, actor_id: i64, visibility: crate::model::Visibility) -> Result<()> {
    affected!(db, c => sqlx::query("UPDATE actors SET default_need_visibility = $1 WHERE id = $2").bind(visibility.as_str()).bind(actor_id).execute(c).await)?;
    Ok(())
}

/// The initiatives of this node, oldest first.
pub async fn local_initiative_ids(db: &mut impl Handle) -> Result<Vec<i64>> {
    let sql = "SELECT id FROM actors WHERE is_local AND kind = 'group' ORDER BY id";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).fetch_all(c).await)?)
}

/// The members with the given role in an initiative.
pub async fn initiative_members_with_role(db: &mut impl Handle, initiative_id: i64, role: &str) -> Result<Vec<i64>> {
    let sql = "SELECT member_id FROM initiative_members WHERE initiative_id = $1 AND role = $2 ORDER BY member_id";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(initiative_id).bind(role).fetch_all(c).await)?)
}

/// The first administrator of this node (the contact on the instance page), if any.
pub async fn first_admin(db: &mut impl Handle) -> Result<Option<Actor>> {
    let sql = "SELECT actor_id FROM accounts WHERE is_admin ORDER BY actor_id LIMIT 1";
    let Some(id) = on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).fetch_optional(c).await)? else { return Ok(None) };
    Ok(Some(by_id(db, id).await?))
}

/// How many members have an account here.
pub async fn count_accounts(db: &mut impl Handle) -> Result<i64> {
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM accounts").fetch_one(c).await)?)
}

/// An actor by `username` and `domain` (as in `user@domain`), local or remote.
pub async fn by_handle(db: &mut impl Handle, username: &str, domain: &str) -> Result<Option<Actor>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM actors WHERE LOWER(username) = LOWER($1) AND LOWER(domain) = LOWER($2) ORDER BY is_local DESC LIMIT 1"
    );
    Ok(on_db!(db, c => sqlx::query_as::<_, Actor>(&sql).bind(username).bind(domain).fetch_optional(c).await)?)
}

/// What to look for among the actors this node knows.
#[derive(Debug, Clone, Copy)]
pub struct ActorSearch<'a> {
    /// The start of a username, a display name or an `acct` (`user@domain`).
    pub prefix: &'a str,
    /// Only actors this member follows.
    pub followed_by: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

/// Actors whose username, display name or `user@domain` starts with the prefix, local ones
/// first; never those blocked on this node (or on a blocked domain), nor deleted accounts.
pub async fn search(db: &mut impl Handle, search: &ActorSearch<'_>) -> Result<Vec<Actor>> {
    let pattern = format!("{}%", search.prefix.to_lowercase().replace(['%', '_'], ""));
    let sql = format!(
        "SELECT {COLUMNS} FROM actors WHERE kind <> 'application'
           AND (LOWER(username) LIKE $1 OR LOWER(display_name) LIKE $1 OR LOWER(username || '@' || domain) LIKE $1)
           AND ap_id NOT IN (SELECT ap_id FROM blocked_actors) AND LOWER(domain) NOT IN (SELECT domain FROM blocked_domains)
           AND id NOT IN (SELECT actor_id FROM deleted_accounts)
           AND (CAST($2 AS BIGINT) IS NULL OR id IN (SELECT followee_id FROM follows WHERE follower_id = $2 AND state = 'accepted'))
         ORDER BY is_local DESC, username, id LIMIT $3 OFFSET $4"
    );
    Ok(on_db!(db, c => sqlx::query_as::<_, Actor>(&sql).bind(pattern).bind(search.followed_by).bind(search.limit).bind(search.offset)
        .fetch_all(c).await)?)
}

/// Changes a local actor's name, note (HTML) and whether it approves followers by hand.
pub async fn set_profile(db: &mut impl Handle, id: i64, display_name: &str, summary: &str, locked: bool) -> Result<()> {
    let sql = "UPDATE actors SET display_name = $1, summary = $2, manually_approves_followers = $3 WHERE id = $4 AND is_local";
    affected!(db, c => sqlx::query(sql).bind(display_name).bind(summary).bind(locked).bind(id).execute(c).await)?;
    Ok(())
}

/// The node's administrators.
pub async fn admins(db: &mut impl Handle) -> Result<Vec<i64>> {
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>("SELECT actor_id FROM accounts WHERE is_admin ORDER BY actor_id").fetch_all(c).await)?)
}

/// Records that a member deleted their account, and removes the login and memberships.
pub async fn delete_account(db: &mut impl Handle, actor_id: i64, now: i64) -> Result<()> {
    affected!(db, c => sqlx::query("INSERT INTO deleted_accounts (actor_id, deleted_at) VALUES ($1, $2)").bind(actor_id).bind(now).execute(c).await)?;
    affected!(db, c => sqlx::query("DELETE FROM initiative_members WHERE member_id = $1").bind(actor_id).execute(c).await)?;
    affected!(db, c => sqlx::query("DELETE FROM accounts WHERE actor_id = $1").bind(actor_id).execute(c).await)?;
    Ok(())
}

/// Whether a local actor's account was deleted.
pub async fn is_deleted(db: &mut impl Handle, actor_id: i64) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM deleted_accounts WHERE actor_id = $1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(actor_id).fetch_one(c).await)? > 0)
}

/// The email of a local account, if it has one.
pub async fn email_of(db: &mut impl Handle, actor_id: i64) -> Result<Option<String>> {
    let sql = "SELECT email FROM accounts WHERE actor_id = $1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, Option<String>>(sql).bind(actor_id).fetch_optional(c).await)?.flatten())
}

/// The actors with these ids (those that exist), for a page that shows many.
pub async fn by_ids(db: &mut impl Handle, ids: &[i64]) -> Result<Vec<Actor>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {COLUMNS} FROM actors WHERE id IN ({})", super::in_list(ids.len()));
    Ok(super::fetch_in!(db, Actor, &sql, ids)?)
}

/// The actors with these ActivityPub ids that this node knows.
pub async fn by_ap_ids(db: &mut impl Handle, ap_ids: &[String]) -> Result<Vec<Actor>> {
    if ap_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {COLUMNS} FROM actors WHERE ap_id IN ({})", super::in_list(ap_ids.len()));
    Ok(super::fetch_in!(db, Actor, &sql, ap_ids)?)
}

/// The initiatives each of `member_ids` belongs to, as (member, initiative, role).
pub async fn roles_of_all(db: &mut impl Handle, member_ids: &[i64]) -> Result<Vec<(i64, i64, String)>> {
    if member_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT member_id, initiative_id, role FROM initiative_members WHERE member_id IN ({}) ORDER BY member_id, initiative_id",
        super::in_list(member_ids.len())
    );
    Ok(super::fetch_in!(db, (i64, i64, String), &sql, member_ids)?)
}

/// What an account shows in numbers: accepted followers, accepted follows, public posts (the
/// last kept by the database as posts come and go, `author_statuses`: migration 0044).
#[derive(Debug, Clone, Copy, Default, sqlx::FromRow)]
pub struct AccountCounts {
    pub id: i64,
    pub followers: i64,
    pub following: i64,
    pub statuses: i64,
}

/// The [`AccountCounts`] of each of `ids`, in one statement.
pub async fn counts_of(db: &mut impl Handle, ids: &[i64]) -> Result<Vec<AccountCounts>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT a.id,
           (SELECT COUNT(*) FROM follows f WHERE f.followee_id = a.id AND f.state = 'accepted') AS followers,
           (SELECT COUNT(*) FROM follows f WHERE f.follower_id = a.id AND f.state = 'accepted') AS following,
           COALESCE((SELECT s.statuses FROM author_statuses s WHERE s.actor_id = a.id), 0) AS statuses
         FROM actors a WHERE a.id IN ({})",
        super::in_list(ids.len())
    );
    Ok(super::fetch_in!(db, AccountCounts, &sql, ids)?)
}
