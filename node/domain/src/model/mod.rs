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
mod guest;
pub mod html;
pub mod links;
pub mod matching;
pub mod media;
mod oauth;
mod participation;
mod post;
mod proposal;
mod response;
mod series;

pub use actor::{Actor, ActorKeys, ActorKind, ActorKindColumn, NewActor, Username};
pub use article::{
    Article, ArticleDraft, ArticlePatch, EditPolicy, MergeFailure, PatchRefusal, PatchState, Revision, diff, merge_patch, normalise,
    render_markdown, validate_source,
};
pub use event::{DEFAULT_TIMEZONE, EVENT_CANCELLED, EVENT_SCHEDULED, Event, EventDraft, EventQuestions, JoinMode, MEAL_TAGS, Place};
pub use follow::{Follow, FollowState};
pub use guest::{Guest, GuestDraft, MAX_GUEST_NAME_CHARS, check_name, normal_phone};
pub use oauth::{OAuthApp, OAuthToken, Scopes};
pub use participation::{Admission, Answers, MAX_DIET_CHARS, Participation, ParticipationState, RsvpAnswer, admission, has_room};
pub use post::{NewPost, Post, PostEdit, Visibility, language_code};
pub use proposal::{
    DEFAULT_CATEGORIES, Fulfilment, MAX_HOURS, MAX_THANKS_CHARS, Proposal, ProposalDraft, ProposalFacts, ProposalState, Purpose, When,
    category_tag, from_hashtag_post, names_resident,
};
pub use response::{DeclineReason, Response, ResponseState};
pub use series::{LOCAL_FORMAT, MAX_OCCURRENCES, Occurrence, Repeat, Series, SeriesEnd, SeriesRule, series_page, week_of_month};
