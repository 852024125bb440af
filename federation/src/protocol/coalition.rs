//! A coalition operation as we write it (issue 6): our own vocabulary under `bn:`, made and
//! read by `objects::coalition_op`, which adds the acting initiative's proof when it signs.
//! Field order is the order on the wire; a founding's hash is taken over the canonical form.

use serde::Serialize;
use serde_json::Value;

/// An operation's document, without its proof.
#[derive(Debug, Clone, Serialize)]
pub struct OperationJson<'a> {
    #[serde(rename = "@context")]
    pub context: Value,
    pub id: &'a str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub actor: &'a str,
    #[serde(rename = "bn:coalition")]
    pub coalition: &'a str,
    #[serde(rename = "bn:parents")]
    pub parents: &'a [String],
    pub published: String,
    pub object: OpObject<'a>,
    /// The keys the author vouches for, when it vouches for any.
    #[serde(rename = "bn:keys", skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<Vouch<'a>>,
}

/// What an operation is about.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum OpObject<'a> {
    Founding {
        #[serde(rename = "bn:charter")]
        charter: CharterJson<'a>,
        #[serde(rename = "bn:founders")]
        founders: &'a [String],
    },
    Proposal(ChangeJson<'a>),
    Vote {
        #[serde(rename = "bn:proposal")]
        proposal: &'a str,
        #[serde(rename = "bn:approve")]
        approve: bool,
    },
    /// The proposal, coalition or replica it names.
    Id(&'a str),
}

/// The change a proposal asks for.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type")]
pub enum ChangeJson<'a> {
    #[serde(rename = "bn:Admission")]
    Admission {
        #[serde(rename = "bn:candidate")]
        candidate: &'a str,
    },
    #[serde(rename = "bn:Removal")]
    Removal {
        #[serde(rename = "bn:member")]
        member: &'a str,
    },
    #[serde(rename = "bn:CharterChange")]
    CharterChange {
        #[serde(rename = "bn:charter")]
        charter: CharterJson<'a>,
    },
}

/// A coalition's rules. The shares are written only when they differ from "more than half",
/// so that charters written before these rules existed read (and hash) the same.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename = "bn:Charter")]
pub struct CharterJson<'a> {
    pub name: &'a str,
    pub summary: &'a str,
    #[serde(rename = "bn:sponsorsNeeded")]
    pub sponsors_needed: u32,
    #[serde(rename = "bn:objectionDays")]
    pub objection_days: u32,
    #[serde(rename = "bn:removalPercent", skip_serializing_if = "Option::is_none")]
    pub removal_percent: Option<u32>,
    #[serde(rename = "bn:changePercent", skip_serializing_if = "Option::is_none")]
    pub change_percent: Option<u32>,
}

/// The author vouches that `actor`'s key is `key` (multibase).
#[derive(Debug, Clone, Serialize)]
pub struct Vouch<'a> {
    #[serde(rename = "bn:actor")]
    pub actor: &'a str,
    #[serde(rename = "publicKeyMultibase")]
    pub key: &'a str,
}
