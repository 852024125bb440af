//! Plain domain types: validated on parse, no I/O.

mod actor;
mod article;
pub mod calendar;
/// How long articles, titles and edit summaries may be.
pub mod article_limits {
    pub use super::article::{MAX_SOURCE_CHARS, MAX_SUMMARY_CHARS, MAX_TITLE_CHARS};
}
pub mod coalition;
mod event;
mod follow;
pub mod html;
pub mod links;
pub mod matching;
pub mod media;
mod oauth;
mod participation;
mod post;
mod proposal;
mod response;

pub use actor::{Actor, ActorKeys, ActorKind, ActorKindColumn, NewActor, Username};
pub use article::{
    Article, ArticleDraft, ArticlePatch, EditPolicy, MergeFailure, PatchState, Revision, diff, merge_patch, normalise, render_markdown,
    validate_source,
};
pub use event::{DEFAULT_TIMEZONE, EVENT_CANCELLED, EVENT_SCHEDULED, Event, EventDraft, JoinMode, Place};
pub use follow::{Follow, FollowState};
pub use oauth::{OAuthApp, OAuthToken, Scopes};
pub use participation::{Participation, ParticipationState, RsvpAnswer, has_room};
pub use post::{NewPost, Post, PostEdit, Visibility, language_code};
pub use proposal::{
    DEFAULT_CATEGORIES, Fulfilment, MAX_HOURS, MAX_THANKS_CHARS, Proposal, ProposalDraft, ProposalFacts, ProposalState, Purpose, When,
    category_tag, from_hashtag_post, names_resident,
};
pub use response::{DeclineReason, Response, ResponseState};
