//! `Create{EconomicEvent}` (FEP-3264): a proposal we hold a copy of was fulfilled, with the
//! hours given (`effortQuantity`) and the author's thanks (`note`) when there are.

use super::Outcome;
use crate::error::{FederationError, Result};
use crate::protocol::{self, activities::ActivityJson};
use crate::state::Context;
use buurtnet_domain::model::{Actor, Fulfilment};
use buurtnet_domain::{DomainError, ops};
use serde_json::Value;

pub async fn receive(activity: &ActivityJson, signer: &Actor, context: &Context) -> Result<Outcome> {
    let event = &activity.object;
    let proposal =
        protocol::first_id(event.get("context")).ok_or_else(|| FederationError::Malformed("EconomicEvent without context".into()))?;
    let hours = match event.get("effortQuantity") {
        None => None,
        Some(quantity) if quantity.get("hasUnit").and_then(Value::as_str) != Some("hour") => {
            return Ok(Outcome::Ignored("an economic event not counted in hours"));
        }
        Some(quantity) => Some(hours_of(quantity)?),
    };
    let thanks = event.get("note").and_then(Value::as_str).map(|t| {
        let plain = buurtnet_domain::model::html::to_plain_text(&buurtnet_domain::model::html::sanitize(t));
        plain.chars().take(buurtnet_domain::model::MAX_THANKS_CHARS).collect::<String>()
    });
    let fulfilment = Fulfilment { hours, thanks };
    match ops::responses::receive_fulfilment(&context.store, signer, &proposal, &fulfilment).await {
        Ok(()) => Ok(Outcome::Applied),
        Err(DomainError::NotFound) => Ok(Outcome::Ignored("hours for a proposal we do not hold")),
        Err(e) => Err(e.into()),
    }
}

fn hours_of(quantity: &Value) -> Result<f64> {
    match quantity.get("hasNumericalValue") {
        Some(Value::String(text)) => text.parse::<f64>().ok(),
        Some(Value::Number(n)) => n.as_f64(),
        _ => None,
    }
    .filter(|h| h.is_finite())
    .ok_or_else(|| FederationError::Malformed("effortQuantity is not a number".into()))
}
