//! The coalition's rules, applied to one operation during the fold: first who may do it
//! ([`permitted`], one rule per kind of operation), then what it does (one function per
//! kind). A broken rule is a [`Refusal`], a code every node computes the same way.

use super::{Change, CoalitionState, DAY_MS, MAJORITY, OpKind, Operation, Proposal};
use crate::model::coalition::Charter;
use std::collections::{BTreeMap, BTreeSet};

/// Why the fold ignores an operation. Pages and API answers say it in words through the
/// locales (`coalition-refused-<code>`); every code has a Dutch and an English text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Refusal {
    FoundedAlready,
    FounderNotAmongFounders,
    NotFounded,
    MembersOnly,
    AlreadyMember,
    UnknownProposal,
    InvitationDecided,
    ObjectionsAreForAdmissions,
    AdmissionsAreSponsored,
    OnlyAdmissionsAreAdmitted,
    NotAcceptedByInvitee,
    TooEarly,
    Objected,
    NotEnoughSponsors,
    /// A charter (founding one, or proposed) with a rule out of bounds ([`Charter::out_of_bounds`]).
    CharterOutOfBounds,
}

impl Refusal {
    pub const ALL: [Refusal; 15] = [
        Refusal::FoundedAlready,
        Refusal::FounderNotAmongFounders,
        Refusal::NotFounded,
        Refusal::MembersOnly,
        Refusal::AlreadyMember,
        Refusal::UnknownProposal,
        Refusal::InvitationDecided,
        Refusal::ObjectionsAreForAdmissions,
        Refusal::AdmissionsAreSponsored,
        Refusal::OnlyAdmissionsAreAdmitted,
        Refusal::NotAcceptedByInvitee,
        Refusal::TooEarly,
        Refusal::Objected,
        Refusal::NotEnoughSponsors,
        Refusal::CharterOutOfBounds,
    ];

    /// The stable code: the locales' key is `coalition-refused-` followed by it.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::FoundedAlready => "founded-already",
            Refusal::FounderNotAmongFounders => "founder-not-among-founders",
            Refusal::NotFounded => "not-founded",
            Refusal::MembersOnly => "members-only",
            Refusal::AlreadyMember => "already-member",
            Refusal::UnknownProposal => "unknown-proposal",
            Refusal::InvitationDecided => "invitation-decided",
            Refusal::ObjectionsAreForAdmissions => "objections-for-admissions",
            Refusal::AdmissionsAreSponsored => "admissions-sponsored",
            Refusal::OnlyAdmissionsAreAdmitted => "only-admissions-admitted",
            Refusal::NotAcceptedByInvitee => "not-accepted",
            Refusal::TooEarly => "too-early",
            Refusal::Objected => "objected",
            Refusal::NotEnoughSponsors => "sponsors",
            Refusal::CharterOutOfBounds => "charter-out-of-bounds",
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Applies `op` to `state` when the rules allow it; otherwise the state stays as it was.
pub(super) fn apply(state: &mut CoalitionState, op: &Operation) -> Result<(), Refusal> {
    permitted(state, op)?;
    match &op.kind {
        OpKind::Found { charter, founders } => found(state, op, charter, founders),
        OpKind::Propose(change) => propose(state, op, change),
        OpKind::Vote { proposal, approve } if invited_answers(state, op, proposal) => answer_invitation(state, op, proposal, *approve),
        OpKind::Sponsor { proposal } => sponsor(state, op, proposal),
        OpKind::Object { proposal } => object(state, op, proposal),
        OpKind::Vote { proposal, approve } => vote(state, op, proposal, *approve),
        OpKind::Admit { proposal } => admit(state, op, proposal),
        OpKind::Leave => {
            state.members.remove(&op.author);
            state.replicas.remove(&op.author);
            Ok(())
        }
        OpKind::Host { replica } => {
            state.replicas.insert(op.author.clone(), replica.clone());
            Ok(())
        }
    }
}

/// Who may do what. Founding starts the coalition, and nothing else counts before it. A
/// candidate may propose its own admission and an invited initiative may answer its
/// invitation; everything else is for members.
fn permitted(state: &CoalitionState, op: &Operation) -> Result<(), Refusal> {
    let member = state.members.contains(&op.author);
    let allowed = match &op.kind {
        OpKind::Found { .. } if state.founded => return Err(Refusal::FoundedAlready),
        OpKind::Found { .. } => true,
        _ if !state.founded => return Err(Refusal::NotFounded),
        OpKind::Propose(Change::Admit(candidate)) => member || candidate == &op.author,
        OpKind::Vote { proposal, .. } if invited_answers(state, op, proposal) => true,
        OpKind::Propose(_)
        | OpKind::Sponsor { .. }
        | OpKind::Object { .. }
        | OpKind::Vote { .. }
        | OpKind::Admit { .. }
        | OpKind::Leave
        | OpKind::Host { .. } => member,
    };
    if allowed { Ok(()) } else { Err(Refusal::MembersOnly) }
}

/// Whether `op` is the invited initiative answering its own invitation.
fn invited_answers(state: &CoalitionState, op: &Operation, proposal: &str) -> bool {
    state.proposals.get(proposal).and_then(Proposal::invitee) == Some(op.author.as_str())
}

/// A charter from any node is held to the bounds a form here holds it to.
fn within_bounds(charter: &Charter) -> Result<(), Refusal> {
    if charter.out_of_bounds().is_empty() { Ok(()) } else { Err(Refusal::CharterOutOfBounds) }
}

fn found(state: &mut CoalitionState, op: &Operation, charter: &Charter, founders: &[String]) -> Result<(), Refusal> {
    if !founders.contains(&op.author) {
        return Err(Refusal::FounderNotAmongFounders);
    }
    within_bounds(charter)?;
    state.founded = true;
    state.charter = Some(charter.clone());
    state.members = founders.iter().cloned().collect();
    state.participants.extend(founders.iter().cloned());
    state.ever_members.extend(founders.iter().cloned());
    Ok(())
}

fn propose(state: &mut CoalitionState, op: &Operation, change: &Change) -> Result<(), Refusal> {
    if let Change::Charter(charter) = change {
        within_bounds(charter)?;
    }
    if let Change::Admit(candidate) = change
        && state.members.contains(candidate)
    {
        return Err(Refusal::AlreadyMember);
    }
    let member = state.members.contains(&op.author);
    let admission = matches!(change, Change::Admit(_));
    let by_proposer = || if member { BTreeSet::from([op.author.clone()]) } else { BTreeSet::new() };
    let proposal = Proposal {
        id: op.id.clone(),
        proposer: op.author.clone(),
        change: change.clone(),
        published: op.published,
        electorate: state.members.clone(),
        sponsors: if admission { by_proposer() } else { BTreeSet::new() },
        objections: BTreeMap::new(),
        approvals: if admission { BTreeSet::new() } else { by_proposer() },
        rejections: BTreeSet::new(),
        decided: false,
    };
    if let Change::Admit(candidate) = change {
        state.participants.insert(candidate.clone());
    }
    state.proposals.insert(op.id.clone(), proposal);
    decide_by_majority(state, &op.id);
    Ok(())
}

/// The invited initiative's answer: yes lets the admission go on, no ends it.
fn answer_invitation(state: &mut CoalitionState, op: &Operation, proposal: &str, approve: bool) -> Result<(), Refusal> {
    let p = open_proposal(state, proposal)?;
    if p.decided {
        return Err(Refusal::InvitationDecided);
    }
    if approve {
        p.approvals.insert(op.author.clone());
    } else {
        p.rejections.insert(op.author.clone());
        p.decided = true;
    }
    Ok(())
}

fn sponsor(state: &mut CoalitionState, op: &Operation, proposal: &str) -> Result<(), Refusal> {
    open_proposal(state, proposal)?.sponsors.insert(op.author.clone());
    Ok(())
}

/// An objection in time undoes an admission made meanwhile: removal wins.
fn object(state: &mut CoalitionState, op: &Operation, proposal: &str) -> Result<(), Refusal> {
    let window = objection_window(state);
    let p = open_proposal(state, proposal)?;
    let Change::Admit(candidate) = p.change.clone() else { return Err(Refusal::ObjectionsAreForAdmissions) };
    let deadline = p.published + window;
    p.objections.insert(op.author.clone(), op.published);
    if p.decided && op.published <= deadline {
        state.members.remove(&candidate);
        state.replicas.remove(&candidate);
    }
    Ok(())
}

fn vote(state: &mut CoalitionState, op: &Operation, proposal: &str, approve: bool) -> Result<(), Refusal> {
    let p = open_proposal(state, proposal)?;
    if matches!(p.change, Change::Admit(_)) {
        return Err(Refusal::AdmissionsAreSponsored);
    }
    if approve {
        p.rejections.remove(&op.author);
        p.approvals.insert(op.author.clone());
    } else {
        p.approvals.remove(&op.author);
        p.rejections.insert(op.author.clone());
    }
    decide_by_majority(state, proposal);
    Ok(())
}

/// Lets the candidate in when the proposal has the sponsors the charter asks, no objection,
/// the invited initiative's yes, and the objection period has passed.
fn admit(state: &mut CoalitionState, op: &Operation, proposal: &str) -> Result<(), Refusal> {
    let window = objection_window(state);
    let needed = state.charter.as_ref().map(|c| c.sponsors_needed).unwrap_or(1) as usize;
    let members = state.members.clone();
    let p = open_proposal(state, proposal)?;
    let Change::Admit(candidate) = p.change.clone() else { return Err(Refusal::OnlyAdmissionsAreAdmitted) };
    if p.decided {
        return Ok(());
    }
    if !p.accepted_by_candidate() {
        return Err(Refusal::NotAcceptedByInvitee);
    }
    if op.published < p.published + window {
        return Err(Refusal::TooEarly);
    }
    if !p.objections.is_empty() {
        return Err(Refusal::Objected);
    }
    if p.sponsors.iter().filter(|s| members.contains(*s)).count() < needed {
        return Err(Refusal::NotEnoughSponsors);
    }
    p.decided = true;
    state.ever_members.insert(candidate.clone());
    state.members.insert(candidate);
    Ok(())
}

fn open_proposal<'a>(state: &'a mut CoalitionState, proposal: &str) -> Result<&'a mut Proposal, Refusal> {
    state.proposals.get_mut(proposal).ok_or(Refusal::UnknownProposal)
}

fn objection_window(state: &CoalitionState) -> i64 {
    i64::from(state.charter.as_ref().map(|c| c.objection_days).unwrap_or(7)) * DAY_MS
}

/// Removals and charter changes pass with more than the charter's share of the members at
/// proposal time.
fn decide_by_majority(state: &mut CoalitionState, proposal: &str) {
    let percent = |pick: fn(&Charter) -> u32| state.charter.as_ref().map(pick).unwrap_or(MAJORITY).clamp(MAJORITY, 99) as usize;
    let (removal, change) = (percent(|c| c.removal_percent), percent(|c| c.change_percent));
    let Some(p) = state.proposals.get_mut(proposal) else { return };
    if p.decided || matches!(p.change, Change::Admit(_)) {
        return;
    }
    let needed = if matches!(p.change, Change::Remove(_)) { removal } else { change };
    let yes = p.approvals.iter().filter(|a| p.electorate.contains(*a)).count();
    if yes * 100 <= p.electorate.len() * needed {
        return;
    }
    p.decided = true;
    match p.change.clone() {
        Change::Remove(member) => {
            state.members.remove(&member);
            state.replicas.remove(&member);
        }
        Change::Charter(charter) => state.charter = Some(charter),
        Change::Admit(_) => {}
    }
}
