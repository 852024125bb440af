//! How to reach an initiative: phone, address, walk-in hours and a short text, one row per
//! initiative. Kept on this node only.

use super::{Handle, affected, on_db};
use crate::error::Result;
use crate::now_ms;

/// An initiative's contact details as stored; empty strings where nothing was given.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Contact {
    pub phone: String,
    pub address: String,
    pub walk_in_hours: String,
    pub contact_text: String,
}

/// The contact details of an initiative, if its coordinators gave any.
pub async fn of(db: &mut impl Handle, initiative_id: i64) -> Result<Option<Contact>> {
    let sql = "SELECT phone, address, walk_in_hours, contact_text FROM initiative_contacts WHERE initiative_id = $1";
    Ok(on_db!(db, c => sqlx::query_as::<_, Contact>(sql).bind(initiative_id).fetch_optional(c).await)?)
}

/// Sets (or replaces) an initiative's contact details.
pub async fn set(db: &mut impl Handle, initiative_id: i64, contact: &Contact) -> Result<()> {
    let sql = "INSERT INTO initiative_contacts (initiative_id, phone, address, walk_in_hours, contact_text, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT (initiative_id) DO UPDATE SET phone = excluded.phone, address = excluded.address,
               walk_in_hours = excluded.walk_in_hours, contact_text = excluded.contact_text, updated_at = excluded.updated_at";
    affected!(db, c => sqlx::query(sql).bind(initiative_id).bind(&contact.phone).bind(&contact.address).bind(&contact.walk_in_hours)
        .bind(&contact.contact_text).bind(now_ms()).execute(c).await)?;
    Ok(())
}
