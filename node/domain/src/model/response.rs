//! Responses to offers and needs: "Ik kan helpen" / "Dit wil ik graag".

use crate::error::{DomainError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseState {
    Pending,
    Accepted,
    Rejected,
    /// The responder's node could not deliver it: the proposal's node refused it for good or
    /// never answered.
    Undelivered,
}

impl ResponseState {
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseState::Pending => "pending",
            ResponseState::Accepted => "accepted",
            ResponseState::Rejected => "rejected",
            ResponseState::Undelivered => "undelivered",
        }
    }
}

impl TryFrom<String> for ResponseState {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self> {
        Ok(match value.as_str() {
            "pending" => ResponseState::Pending,
            "accepted" => ResponseState::Accepted,
            "rejected" => ResponseState::Rejected,
            "undelivered" => ResponseState::Undelivered,
            other => return Err(DomainError::Corrupt(format!("unknown response state {other:?}"))),
        })
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Response {
    pub id: i64,
    /// The id of the `Offer{Agreement}` activity.
    pub ap_id: String,
    pub proposal_post_id: i64,
    pub responder_id: i64,
    pub message: String,
    #[sqlx(try_from = "String")]
    pub state: ResponseState,
    pub agreement_ap_id: Option<String>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    /// Why it was declined, when it was not the author's own choice: a [`DeclineReason`]
    /// code, or for a decline from another kind of server, its words.
    pub reason: Option<String>,
}

impl Response {
    pub fn decline_reason(&self) -> Option<DeclineReason> {
        self.reason.as_deref().and_then(DeclineReason::parse)
    }
}

/// Why a response was declined without the author choosing to: the pages and the `Reject`
/// say it in words, so that nobody who offered help is left wondering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclineReason {
    /// The author accepted someone else's response.
    OtherChosen,
    /// It came when someone was already helping.
    BeingHelped,
    /// It came after the help was given.
    Helped,
    /// The offer or need was withdrawn (or deleted).
    Withdrawn,
    Expired,
}

impl DeclineReason {
    pub const ALL: [DeclineReason; 5] =
        [DeclineReason::OtherChosen, DeclineReason::BeingHelped, DeclineReason::Helped, DeclineReason::Withdrawn, DeclineReason::Expired];

    /// The code kept and sent (`declineReason` on the wire).
    pub fn as_str(self) -> &'static str {
        match self {
            DeclineReason::OtherChosen => "other_chosen",
            DeclineReason::BeingHelped => "in_progress",
            DeclineReason::Helped => "fulfilled",
            DeclineReason::Withdrawn => "withdrawn",
            DeclineReason::Expired => "expired",
        }
    }

    pub fn parse(code: &str) -> Option<DeclineReason> {
        DeclineReason::ALL.into_iter().find(|r| r.as_str() == code)
    }

    /// Why a response to a proposal in `state` cannot be taken (`None`: it is open).
    pub fn for_state(state: super::ProposalState) -> Option<DeclineReason> {
        use super::ProposalState as S;
        match state {
            S::Open => None,
            S::InProgress => Some(DeclineReason::BeingHelped),
            S::Fulfilled => Some(DeclineReason::Helped),
            S::Withdrawn => Some(DeclineReason::Withdrawn),
            S::Expired => Some(DeclineReason::Expired),
        }
    }

    /// In words, Dutch then English, for the `Reject` a peer's member reads.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            DeclineReason::OtherChosen => {
                ("Er helpt al iemand anders. Dank je wel voor je aanbod!", "Someone else is helping already. Thank you for offering!")
            }
            DeclineReason::BeingHelped => {
                ("Er wordt al geholpen. Dank je wel voor je aanbod!", "Someone is already helping. Thank you for offering!")
            }
            DeclineReason::Helped => ("Er is al geholpen. Dank je wel voor je aanbod!", "The help has been given. Thank you for offering!"),
            DeclineReason::Withdrawn => ("Deze vraag of dit aanbod is ingetrokken.", "This need or offer was withdrawn."),
            DeclineReason::Expired => ("Deze vraag of dit aanbod is verlopen.", "This need or offer has expired."),
        }
    }
}
