//! Plain domain types: validated on parse, no I/O.

mod actor;
mod event;
mod follow;
pub mod html;
pub mod matching;
mod participation;
mod post;
mod proposal;
mod response;

pub use actor::{Actor, ActorKeys, ActorKind, ActorKindColumn, NewActor, Username};
pub use event::{DEFAULT_TIMEZONE, EVENT_CANCELLED, EVENT_SCHEDULED, Event, EventDraft, JoinMode, Place};
pub use follow::{Follow, FollowState};
pub use participation::{Participation, ParticipationState, RsvpAnswer, has_room};
pub use post::{NewPost, Post, PostEdit, Visibility};
pub use proposal::{DEFAULT_CATEGORIES, Proposal, ProposalDraft, ProposalState, Purpose, When, category_tag};
pub use response::{Response, ResponseState};
