//! The ValueFlows objects our help loop sends (FEP-0837, FEP-3264): the `Intent` a proposal
//! publishes, the `Agreement` an `Offer` proposes and an `Accept` makes, the `Commitment` it
//! stipulates, and the `EconomicEvent` that records the hours given. Their terms are in our
//! `@context` (`protocol::context`); FEDERATION.md says what each means. Only what we send:
//! what peers send is read from the activity's JSON where it arrives.

use serde::Serialize;

/// How much of something: a number, written as text, of a unit (`one`, `hour`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantity {
    #[serde(rename = "hasUnit")]
    pub unit: &'static str,
    #[serde(rename = "hasNumericalValue")]
    pub value: String,
}

impl Quantity {
    /// One of a thing: one service, one piece of help.
    pub fn one() -> Quantity {
        Quantity { unit: "one", value: "1".into() }
    }

    pub fn hours(hours: f64) -> Quantity {
        Quantity { unit: "hour", value: format!("{hours}") }
    }
}

/// What a proposal publishes: one service of its category (`{proposal}#primary`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub struct Intent {
    pub id: String,
    pub action: &'static str,
    pub resource_conforms_to: String,
    pub resource_quantity: Quantity,
}

impl Intent {
    pub fn service(id: String, category: String) -> Intent {
        Intent { id, action: "deliverService", resource_conforms_to: category, resource_quantity: Quantity::one() }
    }
}

/// The promise in an agreement: one of what the proposal's intent (`satisfies`) publishes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub struct Commitment {
    pub satisfies: String,
    pub resource_quantity: Quantity,
}

impl Commitment {
    /// One of what `intent` publishes.
    pub fn one_of(intent: String) -> Commitment {
        Commitment { satisfies: intent, resource_quantity: Quantity::one() }
    }
}

/// Proposed (in an `Offer`, without id or author) or made (an `Accept`'s `result`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub struct Agreement {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<String>,
    pub stipulates: Commitment,
}

/// Work done for a proposal, as the proposal's author records it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub struct EconomicEvent {
    pub id: String,
    pub attributed_to: String,
    /// The proposal the work was for.
    pub context: String,
    /// The agreement's commitment (`{agreement}#primary`).
    pub fulfills: String,
    pub action: &'static str,
    pub provider: String,
    pub receiver: String,
    pub finished: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effort_quantity: Option<Quantity>,
    /// The thank-you to the helper.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
