//! Creating the node's own actors: the instance actor, initiatives and members.

use crate::error::{DomainError, Result, Say};
use crate::model::{Actor, ActorKeys, ActorKind, NewActor, Username};
use crate::store::{self, Store};
use crate::urls::{INSTANCE_ACTOR_USERNAME, LocalUrls};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};

/// Role of a member in an initiative.
pub const ROLE_COORDINATOR: &str = "coordinator";
pub const ROLE_MEMBER: &str = "member";

fn local_actor(urls: &LocalUrls, kind: ActorKind, username: &str, display_name: &str, keys: &ActorKeys) -> NewActor {
    let ap_id = match kind {
        ActorKind::Application => urls.instance_actor(),
        ActorKind::Group => urls.group(username),
        ActorKind::Coalition => urls.coalition(username),
        _ => urls.person(username),
    };
    NewActor {
        inbox: LocalUrls::actor_part(&ap_id, "inbox"),
        shared_inbox: Some(urls.shared_inbox()),
        outbox: Some(LocalUrls::actor_part(&ap_id, "outbox")),
        followers: Some(LocalUrls::actor_part(&ap_id, "followers")),
        following: Some(LocalUrls::actor_part(&ap_id, "following")),
        url: Some(ap_id.clone()),
        public_key_id: LocalUrls::key_id(&ap_id),
        public_key_pem: keys.rsa_public_pem.clone(),
        private_key_pem: Some(keys.rsa_private_pem.clone()),
        ed25519_public_multibase: Some(keys.ed25519_public_multibase.clone()),
        ed25519_private_pkcs8: Some(keys.ed25519_private_pkcs8.clone()),
        ap_id,
        kind,
        username: username.to_string(),
        domain: urls.domain(),
        is_local: true,
        display_name: display_name.to_string(),
        summary: String::new(),
        manually_approves_followers: false,
    }
}

/// The actor of this node's replica `slug` of a coalition named `name`, made (with `keys`)
/// when it does not exist yet. Its name is taken among the node's usernames, so that
/// WebFinger finds it as `slug@domain`.
pub(crate) async fn ensure_replica_actor(store: &Store, urls: &LocalUrls, slug: &str, name: &str, keys: &ActorKeys) -> Result<Actor> {
    if let Some(actor) = store::actors::local_by_username(&mut store.conn().await?, slug).await? {
        return match actor.kind() {
            ActorKind::Coalition => Ok(actor),
            _ => Err(DomainError::conflict(Say::NameTaken(slug.to_string()))),
        };
    }
    let mut new = local_actor(urls, ActorKind::Coalition, slug, name, keys);
    new.summary = "Coalitie / coalition".into();
    insert_local(store, &new, None).await
}

/// The instance actor, if the node has been set up.
pub async fn instance_actor(store: &Store) -> Result<Option<Actor>> {
    store::actors::local_by_username(&mut store.conn().await?, INSTANCE_ACTOR_USERNAME).await
}

/// Creates the instance actor on first start. `make_keys` runs only when one is needed.
/// Returns the actor and whether it was created now.
pub async fn ensure_instance_actor(store: &Store, urls: &LocalUrls, make_keys: impl FnOnce() -> ActorKeys) -> Result<(Actor, bool)> {
    if let Some(actor) = instance_actor(store).await? {
        return Ok((actor, false));
    }
    let new = local_actor(urls, ActorKind::Application, INSTANCE_ACTOR_USERNAME, &urls.domain(), &make_keys());
    let mut tx = store.begin().await?;
    let actor = store::actors::upsert(&mut tx, &new).await?;
    tx.commit().await?;
    Ok((actor, true))
}

/// What it takes to create an initiative.
#[derive(Debug, Clone)]
pub struct InitiativeDraft {
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub manually_approves_followers: bool,
}

pub async fn add_initiative(store: &Store, urls: &LocalUrls, draft: &InitiativeDraft, keys: &ActorKeys) -> Result<Actor> {
    insert_local(store, &initiative_actor(urls, draft, keys)?, None).await
}

/// The actor of a new local initiative, checked; written by [`insert_local_in`].
pub(crate) fn initiative_actor(urls: &LocalUrls, draft: &InitiativeDraft, keys: &ActorKeys) -> Result<NewActor> {
    let slug = Username::parse(&draft.slug)?;
    let name = draft.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(DomainError::invalid("name", Say::NameLength(100)));
    }
    let mut new = local_actor(urls, ActorKind::Group, slug.as_str(), name, keys);
    new.summary = draft.summary.trim().to_string();
    new.manually_approves_followers = draft.manually_approves_followers;
    Ok(new)
}

/// What it takes to create a member with a login.
#[derive(Debug, Clone)]
pub struct MemberDraft {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub email: Option<String>,
    pub is_admin: bool,
    /// The initiative the member joins, by slug, with the role given.
    pub initiative: Option<(String, String)>,
}

pub async fn add_member(store: &Store, urls: &LocalUrls, draft: &MemberDraft, keys: &ActorKeys) -> Result<Actor> {
    let mut tx = store.begin().await?;
    let member = insert_member(&mut tx, urls, draft, keys, true, None).await?;
    tx.commit().await?;
    Ok(member)
}

/// A new member as `add_member` makes one, but still waiting for a coordinator when
/// `approved` is false (with what they wrote), inside the caller's transaction.
pub(crate) async fn insert_member(
    tx: &mut store::Tx,
    urls: &LocalUrls,
    draft: &MemberDraft,
    keys: &ActorKeys,
    approved: bool,
    application: Option<&str>,
) -> Result<Actor> {
    let username = Username::parse(&draft.username)?;
    check_password(&draft.password)?;
    let display_name = if draft.display_name.trim().is_empty() { username.as_str() } else { draft.display_name.trim() };
    let new = local_actor(urls, ActorKind::Person, username.as_str(), display_name, keys);
    let login = Login {
        password_hash: hash_password(&draft.password)?,
        email: draft.email.clone().filter(|e| !e.trim().is_empty()),
        is_admin: draft.is_admin,
        initiative: draft.initiative.clone(),
        approved,
        application: application.map(str::to_string),
    };
    insert_local_in(tx, &new, Some(login)).await
}

/// A member whose login comes from another node (an initiative handed over): her password's
/// hash as it was there, approved, in `initiative` with `role`, inside the caller's transaction.
pub(crate) async fn insert_member_with_hash(
    tx: &mut store::Tx,
    urls: &LocalUrls,
    (username, display_name): (&Username, &str),
    (email, password_hash): (Option<&str>, &str),
    (initiative, role): (&Actor, &str),
    keys: &ActorKeys,
) -> Result<Actor> {
    let display_name = if display_name.trim().is_empty() { username.as_str() } else { display_name.trim() };
    let new = local_actor(urls, ActorKind::Person, username.as_str(), display_name, keys);
    let login = Login {
        password_hash: password_hash.to_string(),
        email: email.map(str::to_string).filter(|e| !e.trim().is_empty()),
        is_admin: false,
        initiative: Some((initiative.username.clone(), role.to_string())),
        approved: true,
        application: None,
    };
    insert_local_in(tx, &new, Some(login)).await
}

/// Passwords of at least 8 characters (long passphrases are welcome).
pub fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < 8 {
        return Err(DomainError::invalid("password", Say::PasswordTooShort(8)));
    }
    if password.len() > 1024 {
        return Err(DomainError::invalid("password", Say::AtMostChars(1024)));
    }
    Ok(())
}

pub(crate) struct Login {
    password_hash: String,
    email: Option<String>,
    is_admin: bool,
    initiative: Option<(String, String)>,
    approved: bool,
    application: Option<String>,
}

async fn insert_local(store: &Store, new: &NewActor, login: Option<Login>) -> Result<Actor> {
    let mut tx = store.begin().await?;
    let actor = insert_local_in(&mut tx, new, login).await?;
    tx.commit().await?;
    Ok(actor)
}

pub(crate) async fn insert_local_in(tx: &mut store::Tx, new: &NewActor, login: Option<Login>) -> Result<Actor> {
    if store::actors::local_by_username(tx, &new.username).await?.is_some() || new.username == INSTANCE_ACTOR_USERNAME {
        return Err(DomainError::conflict(Say::NameTaken(new.username.to_string())));
    }
    let actor = store::actors::upsert(tx, new).await?;
    if let Some(login) = login {
        let account = store::actors::NewAccount {
            actor_id: actor.id,
            password_hash: &login.password_hash,
            email: login.email.as_deref(),
            is_admin: login.is_admin,
            approved: login.approved,
            application: login.application.as_deref(),
        };
        store::actors::insert_account(tx, &account).await.map_err(|e| match e {
            DomainError::Db(ref db) if store::is_unique_violation(db) => DomainError::conflict(Say::EmailTaken),
            other => other,
        })?;
        if let Some((slug, role)) = login.initiative {
            let initiative = store::actors::local_by_username(tx, &slug)
                .await?
                .filter(|a| a.kind() == ActorKind::Group)
                .ok_or_else(|| DomainError::invalid("initiative", Say::NoSuchInitiative(slug.to_string())))?;
            store::actors::add_initiative_member(tx, initiative.id, actor.id, &role).await?;
        }
    }
    Ok(actor)
}

pub(crate) fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| DomainError::Internal(format!("password hashing failed: {e}")))
}

/// How a login attempt ended.
#[allow(clippy::large_enum_variant, reason = "made once per login and taken apart at once")]
pub enum LoginOutcome {
    Member(Actor),
    /// The password is right, but a coordinator has not yet approved the sign-up.
    WaitingForApproval,
    Refused,
}

/// The account a login names, the same whether its username or its e-mail address was
/// typed (`id:{n}`), or what was typed when no account has it: rate limits count per account.
pub async fn login_key(store: &Store, username_or_email: &str) -> Result<String> {
    let typed = username_or_email.trim();
    Ok(match store::actors::password_hash_for(&mut store.conn().await?, typed).await? {
        Some((actor_id, _, _)) => format!("id:{actor_id}"),
        None => format!("name:{}", typed.to_lowercase()),
    })
}

/// Checks a login by username or email.
pub async fn login(store: &Store, username_or_email: &str, password: &str) -> Result<LoginOutcome> {
    let mut conn = store.conn().await?;
    let Some((actor_id, hash, approved)) = store::actors::password_hash_for(&mut conn, username_or_email.trim()).await? else {
        // The same work as a real check, so timing does not tell which names exist.
        let _ = hash_password(password);
        return Ok(LoginOutcome::Refused);
    };
    let parsed = PasswordHash::new(&hash).map_err(|e| DomainError::Corrupt(format!("stored password hash: {e}")))?;
    if Argon2::default().verify_password(password.as_bytes(), &parsed).is_err() {
        return Ok(LoginOutcome::Refused);
    }
    if !approved {
        return Ok(LoginOutcome::WaitingForApproval);
    }
    Ok(LoginOutcome::Member(store::actors::by_id(&mut conn, actor_id).await?))
}

/// Checks a login by username or email. Returns the member's actor when the password is
/// right and the account approved.
pub async fn check_login(store: &Store, username_or_email: &str, password: &str) -> Result<Option<Actor>> {
    Ok(match login(store, username_or_email, password).await? {
        LoginOutcome::Member(actor) => Some(actor),
        _ => None,
    })
}

/// Whether `member` may act as `author`: itself, or an initiative it coordinates.
pub async fn may_act_as(store: &Store, member: &Actor, author: &Actor) -> Result<bool> {
    if member.id == author.id {
        return Ok(true);
    }
    if !author.is_local || author.kind() != ActorKind::Group {
        return Ok(false);
    }
    let role = store::actors::initiative_role(&mut store.conn().await?, author.id, member.id).await?;
    Ok(role.as_deref() == Some(ROLE_COORDINATOR))
}

/// Whether `member` may publish as `author` now: allowed to act as it ([`may_act_as`]), and
/// `author` has not moved away.
pub async fn may_publish_as(store: &Store, member: &Actor, author: &Actor) -> Result<()> {
    if !may_act_as(store, member, author).await? {
        return Err(DomainError::Forbidden);
    }
    super::moving::still_here(author)
}

/// Keeps what a peer's document says of one of its actors (fetched, or sent in an `Update`).
/// A document never speaks for an actor of this node: a local actor is never written over,
/// whatever the federation layer checked before.
pub async fn learn_remote(store: &Store, new: &NewActor) -> Result<Actor> {
    if new.is_local {
        return Err(DomainError::Forbidden);
    }
    let mut tx = store.begin().await?;
    if store::actors::by_ap_id(&mut tx, new.ap_id.as_str()).await?.is_some_and(|known| known.is_local) {
        return Err(DomainError::Forbidden);
    }
    let actor = store::actors::upsert(&mut tx, new).await?;
    tx.commit().await?;
    Ok(actor)
}
