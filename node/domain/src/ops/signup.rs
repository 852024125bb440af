//! Becoming a member: invitation codes from coordinators, sign-ups with a code (approved at
//! once, joining the initiative that invited) or without (waiting for a coordinator), and the
//! coordinators' approval. Codes are short enough to read out over the phone.

use crate::error::{DomainError, Result, Say};
use crate::model::{Actor, ActorKeys, ActorKind};
use crate::now_ms;
use crate::ops::actors::{MemberDraft, ROLE_COORDINATOR, ROLE_MEMBER, insert_member};
use crate::ops::oauth::hash;
use crate::store::{self, Store};
use crate::urls::LocalUrls;

/// How long an invitation code works.
pub const INVITATION_LIFETIME_MS: i64 = 14 * 24 * 3600 * 1000;
/// Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// How someone signs up.
pub enum SignUpPath {
    /// With a code from a coordinator: a member at once.
    Invitation(String),
    /// Asking to join, with a few words for the coordinators: waits for approval.
    Application(String),
}

pub enum SignedUp {
    Member(Actor),
    WaitingForApproval(Actor),
}

/// A new code, `ABCD-EFGH-JKMN` (60 bits).
fn new_code() -> String {
    let letters: Vec<char> = (0..12).map(|_| CODE_ALPHABET[rand::random_range(0..CODE_ALPHABET.len())] as char).collect();
    letters.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// The code as typed, in the form it was made: capitals, dashes and spaces ignored.
pub fn normalise_code(typed: &str) -> String {
    let letters: Vec<char> = typed.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    letters.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// Whether a member coordinates `initiative` (or is an administrator of the node).
pub async fn coordinates(store: &Store, member: &Actor, initiative: &Actor) -> Result<bool> {
    let mut conn = store.conn().await?;
    if store::actors::is_admin(&mut conn, member.id).await? {
        return Ok(true);
    }
    Ok(initiative.kind() == ActorKind::Group
        && store::actors::initiative_role(&mut conn, initiative.id, member.id).await?.as_deref() == Some(ROLE_COORDINATOR))
}

/// Whether a member coordinates any initiative here, or is an administrator.
pub async fn is_coordinator(store: &Store, member: &Actor) -> Result<bool> {
    let mut conn = store.conn().await?;
    Ok(store::actors::is_admin(&mut conn, member.id).await?
        || store::actors::roles_of(&mut conn, member.id).await?.iter().any(|(_, role)| role == ROLE_COORDINATOR))
}

/// A coordinator makes an invitation to `initiative`; the code is shown once.
pub async fn invite(store: &Store, coordinator: &Actor, initiative: &Actor, note: &str) -> Result<String> {
    if !coordinates(store, coordinator, initiative).await? {
        return Err(DomainError::Forbidden);
    }
    let note = note.trim();
    if note.chars().count() > 200 {
        return Err(DomainError::invalid("note", Say::AtMostChars(200)));
    }
    let code = new_code();
    let now = now_ms();
    let new = store::invitations::NewInvitation {
        code_hash: &hash(&code),
        initiative_id: Some(initiative.id),
        created_by: coordinator.id,
        note,
        created_at: now,
        expires_at: now + INVITATION_LIFETIME_MS,
    };
    let mut tx = store.begin().await?;
    store::invitations::insert(&mut tx, &new).await?;
    tx.commit().await?;
    Ok(code)
}

/// The invitations a coordinator made, newest first.
pub async fn invitations_made(store: &Store, coordinator: &Actor) -> Result<Vec<store::invitations::Invitation>> {
    store::invitations::made_by(&mut store.conn().await?, coordinator.id, 50).await
}

/// Signs someone up. With an invitation the code is used up in the same transaction as the
/// account is made, so one code makes one member.
pub async fn sign_up(store: &Store, urls: &LocalUrls, draft: &MemberDraft, path: &SignUpPath, keys: &ActorKeys) -> Result<SignedUp> {
    let mut draft = draft.clone();
    draft.is_admin = false;
    let mut tx = store.begin().await?;
    match path {
        SignUpPath::Invitation(code) => {
            let invitation = store::invitations::by_code_hash(&mut tx, &hash(&normalise_code(code)))
                .await?
                .filter(|i| i.used_by.is_none() && i.expires_at > now_ms())
                .ok_or_else(|| DomainError::invalid("code", Say::CodeUnknown))?;
            draft.initiative = match invitation.initiative_id {
                Some(id) => Some((store::actors::by_id(&mut tx, id).await?.username, ROLE_MEMBER.to_string())),
                None => None,
            };
            let member = insert_member(&mut tx, urls, &draft, keys, true, None).await?;
            if !store::invitations::mark_used(&mut tx, invitation.id, member.id, now_ms()).await? {
                return Err(DomainError::invalid("code", Say::CodeJustUsed));
            }
            tx.commit().await?;
            Ok(SignedUp::Member(member))
        }
        SignUpPath::Application(words) => {
            if words.chars().count() > 1000 {
                return Err(DomainError::invalid("application", Say::AtMostChars(1000)));
            }
            draft.initiative = None;
            let member = insert_member(&mut tx, urls, &draft, keys, false, Some(words.trim())).await?;
            tx.commit().await?;
            Ok(SignedUp::WaitingForApproval(member))
        }
    }
}

/// A sign-up waiting for a coordinator.
pub struct Waiting {
    pub member: Actor,
    pub application: Option<String>,
    pub since: i64,
}

/// The sign-ups waiting for approval, for coordinators.
pub async fn waiting(store: &Store, coordinator: &Actor) -> Result<Vec<Waiting>> {
    if !is_coordinator(store, coordinator).await? {
        return Err(DomainError::Forbidden);
    }
    let mut conn = store.conn().await?;
    let mut list = Vec::new();
    for (id, application, since) in store::actors::waiting_accounts(&mut conn).await? {
        list.push(Waiting { member: store::actors::by_id(&mut conn, id).await?, application, since });
    }
    Ok(list)
}

/// A coordinator lets a waiting sign-up in.
pub async fn approve(store: &Store, coordinator: &Actor, member_id: i64) -> Result<()> {
    if !is_coordinator(store, coordinator).await? {
        return Err(DomainError::Forbidden);
    }
    let mut tx = store.begin().await?;
    if !store::actors::approve_account(&mut tx, member_id).await? {
        return Err(DomainError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// How long a password reset link works.
pub const RESET_LIFETIME_MS: i64 = 24 * 3600 * 1000;

/// A member of an initiative the coordinator coordinates (for the coordinators' page).
pub struct Member {
    pub member: Actor,
    pub initiative: String,
    /// The initiative's username, for forms that name it.
    pub initiative_username: String,
    pub role: String,
}

/// The members of the initiatives a coordinator coordinates (every member for an admin).
pub async fn members_of(store: &Store, coordinator: &Actor) -> Result<Vec<Member>> {
    let initiatives = super::browse::coordinated_by(store, coordinator).await?;
    let mut conn = store.conn().await?;
    let mut list = Vec::new();
    for initiative in initiatives {
        for role in [ROLE_COORDINATOR, ROLE_MEMBER] {
            for id in store::actors::initiative_members_with_role(&mut conn, initiative.id, role).await? {
                if store::actors::is_deleted(&mut conn, id).await? {
                    continue;
                }
                let member = store::actors::by_id(&mut conn, id).await?;
                list.push(Member {
                    member,
                    initiative: initiative.display_name.clone(),
                    initiative_username: initiative.username.clone(),
                    role: role.to_string(),
                });
            }
        }
    }
    Ok(list)
}

/// A coordinator of one of the member's initiatives (or an admin) makes a one-time code with
/// which the member chooses a new password, for 24 hours.
pub async fn start_password_reset(store: &Store, coordinator: &Actor, member_id: i64) -> Result<String> {
    let allowed = members_of(store, coordinator).await?.iter().any(|m| m.member.id == member_id && m.member.id != coordinator.id);
    if !allowed {
        return Err(DomainError::Forbidden);
    }
    let code = super::sessions::random_token();
    let now = now_ms();
    let mut tx = store.begin().await?;
    store::invitations::insert_reset(&mut tx, &hash(&code), member_id, coordinator.id, now, now + RESET_LIFETIME_MS).await?;
    tx.commit().await?;
    Ok(code)
}

/// The member behind a reset code that still works.
pub async fn reset_member(store: &Store, code: &str) -> Result<Actor> {
    let mut conn = store.conn().await?;
    let reset = store::invitations::reset_by_code_hash(&mut conn, &hash(code)).await?;
    let usable = |(_, _, expires_at, used_at): &store::invitations::StoredReset| used_at.is_none() && *expires_at > now_ms();
    let (_, member_id, ..) = reset.filter(usable).ok_or(DomainError::NotFound)?;
    store::actors::by_id(&mut conn, member_id).await
}

/// The member chooses the new password; every login they had ends.
pub async fn finish_password_reset(store: &Store, code: &str, password: &str) -> Result<Actor> {
    super::actors::check_password(password)?;
    let member = reset_member(store, code).await?;
    let mut tx = store.begin().await?;
    let (id, ..) = store::invitations::reset_by_code_hash(&mut tx, &hash(code)).await?.ok_or(DomainError::NotFound)?;
    if !store::invitations::use_reset(&mut tx, id, now_ms()).await? {
        return Err(DomainError::NotFound);
    }
    store::actors::set_password_hash(&mut tx, member.id, &super::actors::hash_password(password)?).await?;
    store::sessions::delete_of_member(&mut tx, member.id).await?;
    tx.commit().await?;
    Ok(member)
}
