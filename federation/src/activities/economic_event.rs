//! `Create{EconomicEvent}` (FEP-3264): the hours given on a proposal we hold a copy of.

use super::Outcome;
use crate::error::{FederationError, Result};
use crate::protocol::{self, activities::ActivityJson};
use crate::state::Context;
use buurtnet_domain::model::Actor;
use buurtnet_domain::{DomainError, ops};
use serde_json::Value;

pub async fn receive(activity: &ActivityJson, signer: &Actor, context: &Context) -> Result<Outcome> {
    let event = &activity.object;
    let proposal =
        protocol::first_id(event.get("context")).ok_or_else(|| FederationError::Malformed("EconomicEvent without context".into()))?;
    let quantity = event.get("effortQuantity").ok_or_else(|| FederationError::Malformed("EconomicEvent without effortQuantity".into()))?;
    if quantity.get("hasUnit").and_then(Value::as_str) != Some("hour") {
        return Ok(Outcome::Ignored("an economic event not counted in hours"));
    }
    let hours = match quantity.get("hasNumericalValue") {
        Some(Value::String(text)) => text.parse::<f64>().ok(),
        Some(Value::Number(n)) => n.as_f64(),
        _ => None,
    }
    .filter(|h| h.is_finite())
    .ok_or_else(|| FederationError::Malformed("effortQuantity is not a number".into()))?;
    match ops::responses::receive_fulfilment(&context.store, signer, &proposal, hours).await {
        Ok(()) => Ok(Outcome::Applied),
        Err(DomainError::NotFound) => Ok(Outcome::Ignored("hours for a proposal we do not hold")),
        Err(e) => Err(e.into()),
    }
}
