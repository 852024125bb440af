//! Taking part in an event (deelnemen): who asked, and what the organisers answered.

use crate::error::{DomainError, Result, Say};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParticipationState {
    /// Asked; the organisers decide (approval mode) or the answer is on its way.
    Pending,
    /// Taking part; counted against the capacity.
    Accepted,
    /// "Misschien" (Friendica's `TentativeAccept`); not counted.
    Tentative,
    /// Refused by the organisers, or the event was full.
    Rejected,
    /// Was taking part or asked, and said no after all.
    Left,
}

impl ParticipationState {
    pub fn as_str(self) -> &'static str {
        match self {
            ParticipationState::Pending => "pending",
            ParticipationState::Accepted => "accepted",
            ParticipationState::Tentative => "tentative",
            ParticipationState::Rejected => "rejected",
            ParticipationState::Left => "left",
        }
    }

    /// Still interested: should hear when the event moves or is cancelled.
    pub fn is_interested(self) -> bool {
        matches!(self, ParticipationState::Pending | ParticipationState::Accepted | ParticipationState::Tentative)
    }
}

impl TryFrom<String> for ParticipationState {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self> {
        Ok(match value.as_str() {
            "pending" => ParticipationState::Pending,
            "accepted" => ParticipationState::Accepted,
            "tentative" => ParticipationState::Tentative,
            "rejected" => ParticipationState::Rejected,
            "left" => ParticipationState::Left,
            other => return Err(DomainError::Corrupt(format!("unknown participation state {other:?}"))),
        })
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Participation {
    pub id: i64,
    pub event_post_id: i64,
    pub participant_id: i64,
    /// The `Join` (or Friendica answer) activity that asked.
    pub join_ap_id: String,
    #[sqlx(try_from = "String")]
    pub state: ParticipationState,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    /// The answers given on our pages to the organiser's questions (none from a peer's `Join`).
    pub needs_lift: Option<bool>,
    pub diet: Option<String>,
}

/// What a Friendica-style answer on an `Event` means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsvpAnswer {
    /// `Accept` on the Event: "ik kom".
    Attending,
    /// `TentativeAccept`: "misschien".
    Maybe,
    /// `Reject` on the Event: "ik kom niet".
    NotAttending,
}

/// Whether one more participant fits.
pub fn has_room(capacity: Option<i64>, accepted: i64) -> bool {
    capacity.is_none_or(|c| accepted < c)
}

/// What becomes of a request to join, the same for members, peers' members and guests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// In at once (free mode, room left).
    Accepted,
    /// The organisers decide (approval mode).
    Pending,
    /// Free mode and no room left.
    Full,
    /// The organisers closed registration, or take it elsewhere (external mode).
    Closed,
}

/// The one rule for a new request: closed registration first, then the join mode, then room.
pub fn admission(event: &super::Event, accepted: i64) -> Admission {
    match event.join_mode {
        _ if event.registration_closed => Admission::Closed,
        super::JoinMode::External => Admission::Closed,
        super::JoinMode::Approval => Admission::Pending,
        super::JoinMode::Free if has_room(event.capacity, accepted) => Admission::Accepted,
        super::JoinMode::Free => Admission::Full,
    }
}

/// Answers to the questions an organiser chose (only those asked are kept).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    pub needs_lift: Option<bool>,
    pub diet: Option<String>,
}

pub const MAX_DIET_CHARS: usize = 200;

impl Answers {
    /// Keeps the answers to the questions asked, trimmed; refuses a diet wish that is too long.
    pub fn to(self, questions: super::EventQuestions) -> Result<Answers> {
        let diet = self.diet.map(|d| d.trim().to_string()).filter(|d| !d.is_empty() && questions.diet);
        if diet.as_ref().is_some_and(|d| d.chars().count() > MAX_DIET_CHARS) {
            return Err(DomainError::invalid("diet", Say::AtMostChars(MAX_DIET_CHARS)));
        }
        Ok(Answers { needs_lift: self.needs_lift.filter(|_| questions.lift), diet })
    }
}
