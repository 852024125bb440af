//! Responses to offers and needs: "Ik kan helpen" / "Dit wil ik graag".

use crate::error::{DomainError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseState {
    Pending,
    Accepted,
    Rejected,
}

impl ResponseState {
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseState::Pending => "pending",
            ResponseState::Accepted => "accepted",
            ResponseState::Rejected => "rejected",
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
}
