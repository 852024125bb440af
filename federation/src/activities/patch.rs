//! `Update{Patch}` (also `Create{Patch}`): someone on another node proposes an edit to one
//! of our articles. The patch's id and its author must be the signer's.

use super::Outcome;
use crate::error::{FederationError, Result};
use crate::protocol::{self, activities::ActivityJson};
use crate::state::Context;
use buurtnet_domain::model::Actor;
use buurtnet_domain::{DomainError, ops};
use serde_json::Value;

pub async fn receive(activity: &ActivityJson, signer: &Actor, context: &Context) -> Result<Outcome> {
    let object = &activity.object;
    let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_string);
    let malformed = |what: &str| FederationError::Malformed(format!("Patch without {what}"));
    let patch_id = text("id").ok_or_else(|| malformed("id"))?;
    if !protocol::same_origin(&patch_id, &signer.ap_id) || protocol::first_id(object.get("attributedTo")).as_deref() != Some(&signer.ap_id)
    {
        return Err(FederationError::Forbidden("a patch must be the signer's own".into()));
    }
    let article = protocol::first_id(object.get("object")).ok_or_else(|| malformed("object"))?;
    if !context.urls.is_local(&article) {
        return Ok(Outcome::Ignored("a patch of an article that is not ours"));
    }
    let base = text("previousVersion").ok_or_else(|| malformed("previousVersion"))?;
    let diff = text("content").ok_or_else(|| malformed("content"))?;
    let summary = text("summary").unwrap_or_default();
    match ops::articles::receive_patch(&context.store, signer, &article, &patch_id, &base, &diff, &summary).await {
        Ok(_) => Ok(Outcome::Applied),
        Err(DomainError::Gone) => Err(FederationError::Gone),
        Err(e) => Err(e.into()),
    }
}
