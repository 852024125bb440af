//! An initiative's own details, kept by its coordinators on the pages: its name and
//! description (which other nodes hear about, like any profile), how to reach it (phone,
//! address, walk-in hours, a short text: shown to everyone on its page and never sent to
//! other nodes), and who coordinates it; and how long its needs and offers are kept once they
//! expired or closed (issue 17: housekeeping deletes them after that).

use super::actors::{ROLE_COORDINATOR, ROLE_MEMBER};
use super::signup::coordinates;
use crate::error::{DomainError, Result, Say, Violation};
use crate::model::{Actor, ActorKind};
use crate::store::contacts::Contact;
use crate::store::{self, Store};

pub const MAX_PHONE_CHARS: usize = 40;
pub const MAX_ADDRESS_CHARS: usize = 200;
pub const MAX_WALK_IN_HOURS_CHARS: usize = 200;
pub const MAX_CONTACT_TEXT_CHARS: usize = 600;

/// What coordinators set about their initiative.
#[derive(Debug, Clone, Default)]
pub struct Details {
    pub display_name: String,
    /// Plain text, as typed.
    pub description: String,
    pub contact: Contact,
}

/// How to reach an initiative; empty when its coordinators gave nothing yet.
pub async fn contact(store: &Store, initiative: &Actor) -> Result<Contact> {
    Ok(store::contacts::of(&mut store.conn().await?, initiative.id).await?.unwrap_or_default())
}

/// The local initiative called `username` (not a member, not a deleted one).
pub async fn local(store: &Store, username: &str) -> Result<Actor> {
    let mut conn = store.conn().await?;
    let initiative = store::actors::local_by_username(&mut conn, username)
        .await?
        .filter(|a| a.kind() == ActorKind::Group)
        .ok_or(DomainError::NotFound)?;
    if store::actors::is_deleted(&mut conn, initiative.id).await? {
        return Err(DomainError::Gone);
    }
    Ok(initiative)
}

fn too_long(field: &'static str, text: &str, max: usize) -> Option<Violation> {
    (text.chars().count() > max).then(|| Violation { field, message: Say::AtMostChars(max).into() })
}

/// A phone number as people write it: digits, spaces and `+ - ( ) . /`.
fn is_phone_number(text: &str) -> bool {
    text.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c))
}

fn trimmed(contact: &Contact) -> Contact {
    Contact {
        phone: contact.phone.trim().to_string(),
        address: contact.address.trim().to_string(),
        walk_in_hours: contact.walk_in_hours.trim().to_string(),
        contact_text: contact.contact_text.trim().to_string(),
    }
}

fn check(details: &Details) -> Result<()> {
    let contact = &details.contact;
    let mut problems: Vec<Violation> = [
        too_long("phone", &contact.phone, MAX_PHONE_CHARS),
        too_long("address", &contact.address, MAX_ADDRESS_CHARS),
        too_long("walk_in_hours", &contact.walk_in_hours, MAX_WALK_IN_HOURS_CHARS),
        too_long("contact_text", &contact.contact_text, MAX_CONTACT_TEXT_CHARS),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !is_phone_number(&contact.phone) {
        problems.push(Violation { field: "phone", message: Say::PhoneCharacters.into() });
    }
    if details.display_name.trim().is_empty() {
        problems.push(Violation { field: "display_name", message: Say::NameNeeded.into() });
    }
    if problems.is_empty() { Ok(()) } else { Err(DomainError::Invalid(problems)) }
}

/// Refuses unless `coordinator` coordinates `initiative` (or administers the node).
async fn may_coordinate(store: &Store, coordinator: &Actor, initiative: &Actor) -> Result<()> {
    if initiative.kind() != ActorKind::Group || !coordinates(store, coordinator, initiative).await? {
        return Err(DomainError::Forbidden);
    }
    Ok(())
}

/// A coordinator of `initiative` (or an administrator) changes its name, description and
/// contact details. The name and description reach other nodes as a profile update.
pub async fn update_details(store: &Store, coordinator: &Actor, initiative: &Actor, details: &Details) -> Result<()> {
    may_coordinate(store, coordinator, initiative).await?;
    let details = Details { contact: trimmed(&details.contact), ..details.clone() };
    check(&details)?;
    super::members::update_profile(store, initiative, Some(&details.display_name), Some(&details.description), None).await?;
    let mut tx = store.begin().await?;
    store::contacts::set(&mut tx, initiative.id, &details.contact).await?;
    tx.commit().await
}

/// A coordinator of `initiative` (or an administrator) makes one of its members a
/// coordinator too. Someone who is not a member of it cannot be made one.
pub async fn make_coordinator(store: &Store, coordinator: &Actor, initiative: &Actor, member_id: i64) -> Result<()> {
    may_coordinate(store, coordinator, initiative).await?;
    let mut tx = store.begin().await?;
    match store::actors::initiative_role(&mut tx, initiative.id, member_id).await?.as_deref() {
        Some(ROLE_COORDINATOR) => return Ok(()),
        Some(ROLE_MEMBER) => store::actors::add_initiative_member(&mut tx, initiative.id, member_id, ROLE_COORDINATOR).await?,
        _ => return Err(DomainError::NotFound),
    }
    tx.commit().await
}

/// The days an initiative may keep its expired or closed needs and offers, as the page offers
/// them.
pub const KEEP_NEEDS_CHOICES: [i64; 4] = [30, 90, 180, 365];
/// The days kept when the coordinators did not choose: half a year, long enough to follow up.
pub const DEFAULT_KEEP_NEEDS_DAYS: i64 = 180;

/// How many days `initiative` keeps its needs and offers after they expired or closed.
pub async fn keep_needs_days(store: &Store, initiative: &Actor) -> Result<i64> {
    Ok(store::retention::keep_days(&mut store.conn().await?, initiative.id).await?.unwrap_or(DEFAULT_KEEP_NEEDS_DAYS))
}

/// A coordinator of `initiative` (or an administrator) chooses how many days its needs and
/// offers are kept after they expired or closed: one of [`KEEP_NEEDS_CHOICES`].
pub async fn set_keep_needs_days(store: &Store, coordinator: &Actor, initiative: &Actor, days: i64) -> Result<()> {
    may_coordinate(store, coordinator, initiative).await?;
    check_keep_days(days)?;
    let mut tx = store.begin().await?;
    store::retention::set_keep_days(&mut tx, initiative.id, days).await?;
    tx.commit().await
}

fn check_keep_days(days: i64) -> Result<()> {
    if KEEP_NEEDS_CHOICES.contains(&days) {
        return Ok(());
    }
    let choices = KEEP_NEEDS_CHOICES.map(|d| d.to_string()).join(", ");
    Err(DomainError::Invalid(vec![Violation { field: "keep_days", message: Say::KeepDaysChoice(choices).into() }]))
}

/// The details and choices an initiative brings along from another node (issue 17), checked
/// as the coordinators' page checks them, written in the caller's transaction on its new actor
/// (which nobody follows yet, so no update goes out).
pub(crate) async fn set_handed_over(tx: &mut store::Tx, initiative: &Actor, details: &Details, keep_days: i64) -> Result<()> {
    let details = Details { contact: trimmed(&details.contact), ..details.clone() };
    check(&details)?;
    check_keep_days(keep_days)?;
    let max = super::members::MAX_NOTE_CHARS;
    if details.description.chars().count() > max {
        return Err(DomainError::invalid("description", Say::AtMostChars(max)));
    }
    let summary = crate::model::html::text_to_html(&details.description);
    store::actors::set_profile(tx, initiative.id, details.display_name.trim(), &summary, initiative.manually_approves_followers).await?;
    store::contacts::set(tx, initiative.id, &details.contact).await?;
    store::retention::set_keep_days(tx, initiative.id, keep_days).await
}
