//! Follow relations between actors, local or remote.

use crate::error::{DomainError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowState {
    /// Sent or received, waiting for the followee (or its coordinators) to accept.
    Pending,
    Accepted,
}

impl FollowState {
    pub fn as_str(self) -> &'static str {
        match self {
            FollowState::Pending => "pending",
            FollowState::Accepted => "accepted",
        }
    }
}

impl TryFrom<String> for FollowState {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self> {
        match value.as_str() {
            "pending" => Ok(FollowState::Pending),
            "accepted" => Ok(FollowState::Accepted),
            other => Err(DomainError::Corrupt(format!("unknown follow state {other:?}"))),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Follow {
    pub id: i64,
    pub follower_id: i64,
    pub followee_id: i64,
    #[sqlx(try_from = "String")]
    pub state: FollowState,
    /// The id of the `Follow` activity, which `Accept`, `Reject` and `Undo` refer to.
    pub activity_ap_id: String,
    pub created_at: i64,
}
