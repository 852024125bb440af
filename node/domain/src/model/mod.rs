//! Plain domain types: validated on parse, no I/O.

mod actor;
mod event;
mod follow;
pub mod html;
pub mod matching;
mod post;
mod proposal;
mod response;

pub use actor::{Actor, ActorKeys, ActorKind, ActorKindColumn, NewActor, Username};
pub use event::{DEFAULT_TIMEZONE, Event, EventDraft, JoinMode, Place};
pub use follow::{Follow, FollowState};
pub use post::{NewPost, Post, PostEdit, Visibility};
pub use proposal::{DEFAULT_CATEGORIES, Proposal, ProposalDraft, ProposalState, Purpose, When, category_tag};
pub use response::{Response, ResponseState};
