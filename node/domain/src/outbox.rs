//! What peers must hear about.
//!
//! An [`Outgoing`] entry is written in the same transaction as the change it announces, so a
//! crash can never separate the two. The federation crate's worker turns each entry into an
//! activity and one delivery row per inbox (also in one transaction), then delivers them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Outgoing {
    /// A local post was published: `Create`.
    PostCreated { post_id: i64 },
    /// A local post was edited: `Update`.
    PostUpdated { post_id: i64 },
    /// A local post was deleted: `Delete` with a `Tombstone`, to everyone who could see it.
    PostDeleted { post_id: i64, recipients: Vec<String> },
    /// A local actor asked to follow another: `Follow`.
    FollowRequested { follow_id: i64 },
    /// A local actor stopped following (or withdrew a request): `Undo{Follow}`.
    FollowUndone { follower_id: i64, followee_id: i64, follow_activity: String },
    /// A local actor accepted a follower: `Accept{Follow}`.
    FollowAccepted { follow_id: i64 },
    /// A local actor refused or removed a follower: `Reject{Follow}`.
    FollowRejected { follower_id: i64, followee_id: i64, follow_activity: String },
    /// A local member responds to a remote offer or need: `Offer{Agreement}`.
    ResponseSent { response_id: i64 },
    /// A local proposal's author accepts a remote response: `Accept` with the `Agreement`.
    ResponseAccepted { response_id: i64 },
    /// ... or declines it: `Reject`.
    ResponseRejected { response_id: i64 },
    /// A local proposal was fulfilled with hours given: `Create{EconomicEvent}` (FEP-3264) to
    /// the responders whose help was accepted.
    ProposalFulfilled { post_id: i64 },
    /// A local member asks to take part in a remote event: `Join`.
    EventJoinSent { participation_id: i64 },
    /// A local event's organisers answered a remote `Join`: `Accept` or `Reject` of it.
    EventJoinAnswered { participation_id: i64 },
    /// A local member no longer takes part in a remote event: `Leave`.
    EventLeft { participation_id: i64 },
    /// A local member liked or boosted a post: `Like` to its author, or `Announce` to the
    /// member's followers and the author.
    Reacted { kind: String, activity: String, actor_id: i64, post_id: i64 },
    /// ... and took it back: `Undo` of it, to the same people.
    ReactionUndone { kind: String, activity: String, actor_id: i64, post_id: i64 },
    /// A post a local replica announced was changed or deleted by its author: the replica
    /// passes the author's signed new version (or tombstone) on to its followers in a fresh
    /// `Announce` with id `activity`.
    ReplicaPassedOn { activity: String, replica_id: i64, post_id: i64 },
    /// A local actor changed its profile: `Update` of the actor, to its followers.
    ProfileUpdated { actor_id: i64 },
    /// A member reported an account on another node and asked to tell its node: `Flag`,
    /// sent by the instance actor (the reporter stays unnamed).
    ReportForwarded { report_id: i64 },
    /// A local member proposes an edit to a remote article: `Update{Patch}` to its home node.
    PatchSent { patch_id: i64 },
    /// A local article's home node merged (`Accept`) or refused (`Reject`, with the
    /// conflict) a proposed edit from another node.
    PatchAnswered { patch_id: i64 },
    /// A member deleted their account: `Delete` of the actor, signed by it, to the inboxes
    /// that knew it (taken when it was deleted, as the follows are gone after).
    AccountDeleted { actor_id: i64, inboxes: Vec<String> },
    /// A local actor moved to `target` (an actor elsewhere that lists it as an alias):
    /// `Move`, to its followers, who follow `target` instead.
    ActorMoved { actor_id: i64, target: String },
    /// A coalition operation new here that others must hear of: its signed document, as it
    /// is, to the coalition's other replicas (and to the candidate an admission concerns).
    CoalitionOperation { coalition: String, op_id: String },
}
