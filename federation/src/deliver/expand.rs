//! Expanding the outbox: each waiting entry is planned ([`super::plan`]) and becomes its
//! activities' signed bodies, kept once each, and one delivery row per inbox, in one
//! transaction. With several processes on one database each
//! entry is expanded by exactly one of them ([`store::outbox::mark_expanded`]), and an entry
//! is written only after every entry before it in this process's batch, so the deliveries of
//! one object are numbered in the order the changes were made.

use super::plan::{Planned, plan};
use crate::error::{FederationError, Result};
use crate::state::FederationState;
use buurtnet_domain::{DomainError, store};
use url::Url;

/// Turns every waiting outbox entry into deliveries. Returns how many entries it expanded.
pub async fn expand_pending(state: &FederationState) -> Result<usize> {
    let pending = store::outbox::pending(&mut state.store.conn().await?, 100).await?;
    for (outbox_id, event) in &pending {
        let planned = match event {
            Ok(event) => plan(state, event).await,
            Err(unreadable) => Err(FederationError::Internal(unreadable.clone())),
        };
        let plans = match planned {
            Ok(plans) => plans,
            // What the entry names is gone from the database: nothing can ever be sent for
            // it, and it must not hold up the entries behind it.
            Err(FederationError::NotFound) => {
                tracing::error!(outbox_id, ?event, "outbox entry names rows that do not exist; skipping it");
                vec![]
            }
            // The database may answer again soon: the entry stays first in line.
            Err(FederationError::Domain(DomainError::Db(e))) => return Err(DomainError::Db(e).into()),
            Err(e) => {
                set_aside(state, *outbox_id, &e.to_string()).await?;
                continue;
            }
        };
        write_deliveries(state, *outbox_id, &plans).await?;
    }
    Ok(pending.len())
}

/// Writes the deliveries of one outbox entry, in one transaction that first marks the entry
/// expanded; when another process marked it first, writes nothing (so each entry becomes
/// deliveries once, whichever process expands it).
async fn write_deliveries(state: &FederationState, outbox_id: i64, plans: &[Planned]) -> Result<()> {
    let mut tx = state.store.begin().await?;
    if !store::outbox::mark_expanded(&mut tx, outbox_id).await? {
        tracing::debug!(outbox_id, "another process expanded this outbox entry");
        return Ok(());
    }
    for plan in plans.iter().filter(|plan| !plan.inboxes.is_empty()) {
        // Its id now leaves the node: it must resolve (`http::activity_document`).
        if state.urls.is_activity(&plan.activity_id) {
            store::published::keep(&mut tx, &plan.activity_id, &plan.body).await?;
        }
        let hosts: Vec<String> =
            plan.inboxes.iter().map(|inbox| Url::parse(inbox).map(|u| crate::host_of(&u)).unwrap_or_default()).collect();
        let to: Vec<(&str, &str)> = plan.inboxes.iter().map(String::as_str).zip(hosts.iter().map(String::as_str)).collect();
        let activity = store::deliveries::NewActivity {
            outbox_id,
            activity_ap_id: &plan.activity_id,
            object_ap_id: plan.object_id.as_deref(),
            signer_id: plan.signer_id,
            body: &plan.body,
        };
        store::deliveries::insert(&mut tx, &activity, &to).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An entry that can never be planned is kept aside with the reason, for the administrator
/// (`/beheer/federatie`, `buurtnet_outbox_set_aside`), and the entries behind it go on.
async fn set_aside(state: &FederationState, outbox_id: i64, reason: &str) -> Result<()> {
    tracing::error!(outbox_id, reason, "an outbox entry cannot be sent; it is set aside and the ones behind it go on");
    let mut tx = state.store.begin().await?;
    store::outbox::set_aside(&mut tx, outbox_id, reason).await?;
    tx.commit().await?;
    Ok(())
}
