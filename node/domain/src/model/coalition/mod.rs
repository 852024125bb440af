//! Coalitions without an owner: the membership as a deterministic function of a set of
//! signed operations. Every replica that holds the same operations computes the same
//! members, charter and open proposals, whatever order the operations arrived in.
//!
//! The operations form a DAG (each names the operations its author had seen, `parents`).
//! [`fold`] walks them in a topological order with ties broken by operation id, so the
//! order is a function of the set alone; an operation whose parents are not all known yet
//! waits (it is reported as pending) until they arrive. Rules, checked during the walk
//! (`rules.rs`: who may do what, then what each operation does; a refusal is a [`Refusal`]
//! code that pages and API answers translate):
//! - `Found` starts the coalition (the first one only) with its founders and charter.
//! - A candidate may `Propose` its own admission (an application); a member may propose
//!   another initiative's (an invitation); members propose removals and charter changes.
//! - Members `Sponsor`, `Object` and `Vote`; only what members do counts, each member once.
//!   The one exception: an invited initiative answers its invitation with a `Vote` (yes lets
//!   it go on, no ends it).
//! - `Admit` (by any member) lets a candidate in when the proposal has the sponsors the
//!   charter asks, no objection, an invitation's yes, and the objection period has passed
//!   by the time the `Admit` was made. An objection made within the period that arrives later (a partition)
//!   still undoes the admission: removal wins over admission.
//! - Removal and charter changes take effect once more than the charter's share of the
//!   members at the proposal's time vote for them (more than half unless it says more; the
//!   charter in force when the deciding vote is walked counts).
//! - `Leave`: a member goes.
//! - `Host`: a member names the replica its node hosts (one per member; the latest counts).
//!   A member that leaves or is removed no longer has a replica in the list.
//!
//! Operations may also vouch for the keys of initiatives (`keys`), so that the log certifies
//! itself: a node can check an operation whose author's node it cannot reach (gone for good,
//! or cut off) with a key the log vouches for (see `ops::coalitions::vouched_keys`). The fold
//! itself ignores them.

mod charter;
mod folded;
mod rules;

pub use charter::{Charter, MAJORITY};
pub use folded::FoldedLog;
pub use rules::Refusal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Milliseconds in a day.
pub(crate) const DAY_MS: i64 = 24 * 3600 * 1000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    Admit(String),
    Remove(String),
    Charter(Charter),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpKind {
    Found {
        charter: Charter,
        founders: Vec<String>,
    },
    Propose(Change),
    Sponsor {
        proposal: String,
    },
    Object {
        proposal: String,
    },
    Vote {
        proposal: String,
        approve: bool,
    },
    Admit {
        proposal: String,
    },
    Leave,
    /// The author's node hosts a replica of the coalition at this URL (on the author's origin;
    /// the wire form checks that).
    Host {
        replica: String,
    },
}

/// One signed operation of the log (its proof is checked before it gets here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    pub id: String,
    /// The acting initiative.
    pub author: String,
    /// The operations the author had seen (the heads of its log then).
    pub parents: Vec<String>,
    /// When the author made it (Unix ms), as it claims.
    pub published: i64,
    pub kind: OpKind,
    /// Ed25519 public keys (multibase) the author vouches for: initiative → key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub keys: BTreeMap<String, String>,
}

/// A proposal still open, or decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub id: String,
    pub proposer: String,
    pub change: Change,
    pub published: i64,
    /// Members when it was proposed (for majorities).
    pub electorate: BTreeSet<String>,
    pub sponsors: BTreeSet<String>,
    /// Objections with when they were made.
    pub objections: BTreeMap<String, i64>,
    pub approvals: BTreeSet<String>,
    pub rejections: BTreeSet<String>,
    pub decided: bool,
}

impl Proposal {
    /// The initiative an invitation is for: an admission proposed by a member, which the
    /// invited initiative must accept (its own `Vote`) before it can be admitted. None for an
    /// application (proposed by the candidate itself) and for other proposals.
    pub fn invitee(&self) -> Option<&str> {
        match &self.change {
            Change::Admit(candidate) if *candidate != self.proposer => Some(candidate),
            _ => None,
        }
    }

    /// Whether the invited initiative said yes (always true for an application).
    pub fn accepted_by_candidate(&self) -> bool {
        self.invitee().is_none_or(|invitee| self.approvals.contains(invitee))
    }

    /// Whether the invited initiative said no.
    pub fn declined_by_candidate(&self) -> bool {
        self.invitee().is_some_and(|invitee| self.rejections.contains(invitee))
    }
}

/// What a set of operations amounts to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CoalitionState {
    pub founded: bool,
    pub charter: Option<Charter>,
    pub members: BTreeSet<String>,
    /// The replica each member's node hosts: member → replica URL.
    pub replicas: BTreeMap<String, String>,
    /// Everyone who was ever a member or a candidate (whose operations are worth keeping).
    pub participants: BTreeSet<String>,
    /// Everyone who was ever a member: founders and everyone admitted (whose vouches count).
    pub ever_members: BTreeSet<String>,
    pub proposals: BTreeMap<String, Proposal>,
    /// Operations that broke a rule (with the reason), ignored.
    pub refused: BTreeMap<String, Refusal>,
    /// Operations waiting for parents we do not hold yet.
    pub pending: BTreeSet<String>,
}

/// The operations in an order that depends on the set alone: parents first, ties by id.
/// Operations with unknown parents (or below one) are left out and returned separately.
pub fn causal_order(ops: &[Operation]) -> (Vec<&Operation>, BTreeSet<String>) {
    let by_id: BTreeMap<&str, &Operation> = ops.iter().map(|o| (o.id.as_str(), o)).collect();
    let mut waiting_on: BTreeMap<&str, usize> = BTreeMap::new();
    let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut blocked = BTreeSet::new();
    for op in by_id.values() {
        let parents: BTreeSet<&str> = op.parents.iter().map(String::as_str).collect();
        if parents.iter().any(|p| !by_id.contains_key(p)) {
            blocked.insert(op.id.clone());
        }
        waiting_on.insert(op.id.as_str(), parents.len());
        for parent in parents {
            children.entry(parent).or_default().push(op.id.as_str());
        }
    }
    let mut ready: BTreeSet<&str> = waiting_on.iter().filter(|(id, n)| **n == 0 && !blocked.contains(**id)).map(|(id, _)| *id).collect();
    let mut order = Vec::new();
    while let Some(id) = ready.pop_first() {
        order.push(by_id[id]);
        for child in children.get(id).into_iter().flatten() {
            let n = waiting_on.get_mut(child).expect("known");
            *n -= 1;
            if *n == 0 && !blocked.contains(*child) {
                ready.insert(child);
            }
        }
    }
    let placed: BTreeSet<&str> = order.iter().map(|o| o.id.as_str()).collect();
    let pending = by_id.keys().filter(|id| !placed.contains(**id)).map(|id| id.to_string()).collect();
    (order, pending)
}

/// The heads: the operations no other operation names as a parent (what a new operation
/// names as its parents), sorted.
pub fn heads(ops: &[Operation]) -> Vec<String> {
    let named: BTreeSet<&str> = ops.iter().flat_map(|o| o.parents.iter().map(String::as_str)).collect();
    let mut heads: Vec<String> = ops.iter().map(|o| o.id.clone()).filter(|id| !named.contains(id.as_str())).collect();
    heads.sort();
    heads.dedup();
    heads
}

/// Folds a set of operations into the coalition's state.
pub fn fold(ops: &[Operation]) -> CoalitionState {
    let (order, pending) = causal_order(ops);
    let mut state = CoalitionState { pending, ..CoalitionState::default() };
    for op in order {
        if let Err(why) = rules::apply(&mut state, op) {
            state.refused.insert(op.id.clone(), why);
        }
    }
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "https://a.example/initiatives/a";
    const B: &str = "https://b.example/initiatives/b";
    const C: &str = "https://c.example/initiatives/c";
    const D: &str = "https://d.example/initiatives/d";

    /// A charter asking one sponsor and a week for objections (shared with `folded`'s tests).
    pub(super) fn charter() -> Charter {
        Charter {
            name: "Delfshaven".into(),
            description: String::new(),
            sponsors_needed: 1,
            objection_days: 7,
            removal_percent: crate::model::coalition::MAJORITY,
            change_percent: crate::model::coalition::MAJORITY,
        }
    }

    fn op(id: &str, author: &str, parents: &[&str], day: i64, kind: OpKind) -> Operation {
        Operation {
            id: id.into(),
            author: author.into(),
            parents: parents.iter().map(|p| p.to_string()).collect(),
            published: day * DAY_MS,
            kind,
            keys: BTreeMap::new(),
        }
    }

    fn founding() -> Vec<Operation> {
        vec![
            op("op:01", A, &[], 0, OpKind::Found { charter: charter(), founders: vec![A.into()] }),
            op("op:02", B, &["op:01"], 1, OpKind::Propose(Change::Admit(B.into()))),
            op("op:03", A, &["op:02"], 1, OpKind::Sponsor { proposal: "op:02".into() }),
            op("op:04", A, &["op:03"], 9, OpKind::Admit { proposal: "op:02".into() }),
        ]
    }

    /// Many orders of arrival (reversed, and 300 shuffles from a fixed seed) give the same state.
    fn all_orders_agree(ops: &[Operation]) -> CoalitionState {
        let expected = fold(ops);
        let reversed: Vec<Operation> = ops.iter().rev().cloned().collect();
        assert_eq!(fold(&reversed), expected, "reversed");
        let mut seed: u64 = 0x5eed;
        let mut shuffled = ops.to_vec();
        for round in 0..300 {
            for i in (1..shuffled.len()).rev() {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                shuffled.swap(i, (seed >> 33) as usize % (i + 1));
            }
            assert_eq!(fold(&shuffled), expected, "shuffle {round}");
        }
        expected
    }

    #[test]
    fn a_charter_out_of_bounds_is_refused_whichever_node_signed_it() {
        let endless = Charter { objection_days: 10_000, ..charter() };
        let mut ops = founding();
        ops.push(op("op:05", A, &["op:04"], 10, OpKind::Propose(Change::Charter(endless))));
        let state = all_orders_agree(&ops);
        assert_eq!(state.refused.get("op:05"), Some(&rules::Refusal::CharterOutOfBounds));
        assert!(!state.proposals.contains_key("op:05"));
        let nobody_sponsors = Charter { sponsors_needed: 0, ..charter() };
        let founding = op("op:01", A, &[], 0, OpKind::Found { charter: nobody_sponsors, founders: vec![A.into()] });
        let unfounded = fold(&[founding]);
        assert!(!unfounded.founded);
        assert_eq!(unfounded.refused.get("op:01"), Some(&rules::Refusal::CharterOutOfBounds));
        let long_name = Charter { name: "x".repeat(Charter::MAX_NAME + 1), ..charter() };
        assert_eq!(long_name.out_of_bounds(), [("name", crate::words::Say::AtMostChars(Charter::MAX_NAME))]);
        assert!(charter().out_of_bounds().is_empty());
    }

    #[test]
    fn an_application_sponsored_and_unopposed_is_admitted_after_the_period() {
        let state = all_orders_agree(&founding());
        assert_eq!(state.members, BTreeSet::from([A.to_string(), B.to_string()]));
        assert!(state.refused.is_empty(), "{:?}", state.refused);
        let mut early = founding();
        early[3].published = 3 * DAY_MS;
        let state = fold(&early);
        assert_eq!(state.members, BTreeSet::from([A.to_string()]));
        assert_eq!(state.refused.get("op:04"), Some(&Refusal::TooEarly));
    }

    #[test]
    fn a_late_arriving_objection_made_in_time_undoes_the_admission_everywhere() {
        let mut ops = founding();
        ops.push(op("op:02c", C, &["op:01"], 0, OpKind::Propose(Change::Admit(C.into()))));
        ops.push(op("op:02d", A, &["op:02c"], 0, OpKind::Sponsor { proposal: "op:02c".into() }));
        ops.push(op("op:02e", A, &["op:02d"], 8, OpKind::Admit { proposal: "op:02c".into() }));
        // B, admitted, objects to C within the week, but its objection was not seen by the Admit.
        ops.push(op("op:05", B, &["op:04", "op:02d"], 6, OpKind::Object { proposal: "op:02c".into() }));
        let state = all_orders_agree(&ops[..]);
        assert!(!state.members.contains(C), "removal wins: {:?}", state.members);
    }

    #[test]
    fn removal_and_charter_changes_need_a_majority_of_members() {
        let mut ops = founding();
        ops.push(op("op:05", C, &["op:04"], 10, OpKind::Propose(Change::Admit(C.into()))));
        ops.push(op("op:06", B, &["op:05"], 10, OpKind::Sponsor { proposal: "op:05".into() }));
        ops.push(op("op:07", B, &["op:06"], 18, OpKind::Admit { proposal: "op:05".into() }));
        ops.push(op("op:08", A, &["op:07"], 19, OpKind::Propose(Change::Remove(C.into()))));
        let state = fold(&ops);
        assert!(state.members.contains(C), "one of three is no majority");
        ops.push(op("op:09", B, &["op:08"], 19, OpKind::Vote { proposal: "op:08".into(), approve: true }));
        let state = all_orders_agree(&ops[4..].iter().chain(&ops[..4]).cloned().collect::<Vec<_>>());
        assert_eq!(state.members, BTreeSet::from([A.to_string(), B.to_string()]));
        let mut changed = charter();
        changed.objection_days = 3;
        ops.push(op("op:10", A, &["op:09"], 20, OpKind::Propose(Change::Charter(changed.clone()))));
        ops.push(op("op:11", B, &["op:10"], 20, OpKind::Vote { proposal: "op:10".into(), approve: true }));
        assert_eq!(fold(&ops).charter, Some(changed));
    }

    #[test]
    fn outsiders_forged_and_orphaned_operations_count_for_nothing() {
        let mut ops = founding();
        ops.push(op("op:05", D, &["op:04"], 10, OpKind::Propose(Change::Remove(A.into()))));
        ops.push(op("op:06", D, &["op:05"], 10, OpKind::Vote { proposal: "op:05".into(), approve: true }));
        ops.push(op("op:07", C, &["op:04"], 10, OpKind::Found { charter: charter(), founders: vec![C.into()] }));
        ops.push(op("op:08", B, &["op:unknown"], 10, OpKind::Leave));
        let state = all_orders_agree(&ops);
        assert_eq!(state.members, BTreeSet::from([A.to_string(), B.to_string()]));
        assert_eq!(state.refused.get("op:05"), Some(&Refusal::MembersOnly));
        assert_eq!(state.refused.get("op:07"), Some(&Refusal::FoundedAlready));
        assert!(state.pending.contains("op:08"), "waits for its parent");
    }

    #[test]
    fn heads_are_the_operations_nobody_names_yet() {
        let mut ops = founding();
        assert_eq!(heads(&ops), vec!["op:04".to_string()]);
        ops.push(op("op:05", B, &["op:03"], 2, OpKind::Leave));
        assert_eq!(heads(&ops), vec!["op:04".to_string(), "op:05".to_string()], "two branches");
    }

    #[test]
    fn members_leave_and_the_coalition_goes_on_without_its_founder() {
        let mut ops = founding();
        ops.push(op("op:05", A, &["op:04"], 10, OpKind::Leave));
        ops.push(op("op:06", C, &["op:05"], 11, OpKind::Propose(Change::Admit(C.into()))));
        ops.push(op("op:07", B, &["op:06"], 11, OpKind::Sponsor { proposal: "op:06".into() }));
        ops.push(op("op:08", B, &["op:07"], 19, OpKind::Admit { proposal: "op:06".into() }));
        let state = all_orders_agree(&ops);
        assert_eq!(state.members, BTreeSet::from([B.to_string(), C.to_string()]));
    }

    #[test]
    fn replicas_are_named_by_members_and_go_with_them() {
        let mut ops = founding();
        ops.push(op("op:05", A, &["op:04"], 10, OpKind::Host { replica: "https://a.example/coalitions/d".into() }));
        ops.push(op("op:06", B, &["op:05"], 10, OpKind::Host { replica: "https://b.example/coalitions/d".into() }));
        ops.push(op("op:07", D, &["op:04"], 10, OpKind::Host { replica: "https://d.example/coalitions/d".into() }));
        let state = all_orders_agree(&ops);
        assert_eq!(state.replicas.len(), 2, "an outsider names no replica: {:?}", state.replicas);
        assert_eq!(state.participants, BTreeSet::from([A.to_string(), B.to_string()]));
        ops.push(op("op:08", B, &["op:06"], 11, OpKind::Leave));
        let state = all_orders_agree(&ops);
        assert_eq!(state.replicas.keys().collect::<Vec<_>>(), vec![A], "who leaves takes the replica along");
        assert!(state.participants.contains(B), "a former member stays a participant");
        assert_eq!(state.ever_members, BTreeSet::from([A.to_string(), B.to_string()]), "and counts as a former member");
    }

    #[test]
    fn a_charter_can_ask_more_than_half_for_removals_and_changes() {
        let strict = Charter { removal_percent: 67, change_percent: 99, ..charter() };
        let mut ops = founding();
        ops[0].kind = OpKind::Found { charter: strict, founders: vec![A.into()] };
        ops.push(op("op:05", C, &["op:04"], 10, OpKind::Propose(Change::Admit(C.into()))));
        ops.push(op("op:06", B, &["op:05"], 10, OpKind::Sponsor { proposal: "op:05".into() }));
        ops.push(op("op:07", B, &["op:06"], 18, OpKind::Admit { proposal: "op:05".into() }));
        ops.push(op("op:08", A, &["op:07"], 19, OpKind::Propose(Change::Remove(C.into()))));
        ops.push(op("op:09", B, &["op:08"], 19, OpKind::Vote { proposal: "op:08".into(), approve: true }));
        let state = all_orders_agree(&ops);
        assert!(state.members.contains(C), "two of three is not more than 67%");
        ops.push(op("op:10", A, &["op:09"], 20, OpKind::Propose(Change::Charter(charter()))));
        ops.push(op("op:11", B, &["op:10"], 20, OpKind::Vote { proposal: "op:10".into(), approve: true }));
        assert_eq!(fold(&ops).charter.map(|c| c.change_percent), Some(99), "a change needs everyone under this charter");
        ops.push(op("op:12", C, &["op:11"], 20, OpKind::Vote { proposal: "op:10".into(), approve: true }));
        let state = all_orders_agree(&ops);
        assert_eq!(state.charter.map(|c| c.change_percent), Some(MAJORITY), "everyone agreed: back to more than half");
    }

    /// A coalition the size of Welzijnscoalitie Delfshaven: 64 initiatives join in batches of
    /// eight whose operations are concurrent (naming the same parents), each sponsored by a
    /// different member; then a majority of 33 of the 65 removes one. Every order of arrival
    /// gives the same 64 members.
    #[test]
    fn sixty_four_initiatives_join_concurrently_and_a_majority_removes_one() {
        let member = |i: usize| format!("https://n{i}.example/initiatives/i{i}");
        let mut ops = vec![op("op:0000", A, &[], 0, OpKind::Found { charter: charter(), founders: vec![A.into()] })];
        let mut heads = vec!["op:0000".to_string()];
        let mut members = vec![A.to_string()];
        let mut day = 1;
        for batch in 0..8 {
            let mut admitted = Vec::new();
            for k in 0..8 {
                let i = batch * 8 + k + 1;
                let (apply, sponsor, admit) = (format!("op:{i:02}a"), format!("op:{i:02}b"), format!("op:{i:02}c"));
                let parents: Vec<&str> = heads.iter().map(String::as_str).collect();
                ops.push(op(&apply, &member(i), &parents, day, OpKind::Propose(Change::Admit(member(i)))));
                let sponsor_of = &members[i % members.len()];
                ops.push(op(&sponsor, sponsor_of, &[&apply], day, OpKind::Sponsor { proposal: apply.clone() }));
                ops.push(op(&admit, sponsor_of, &[&sponsor], day + 8, OpKind::Admit { proposal: apply.clone() }));
                admitted.push((member(i), admit));
            }
            heads = admitted.iter().map(|(_, admit)| admit.clone()).collect();
            members.extend(admitted.into_iter().map(|(m, _)| m));
            day += 9;
        }
        assert_eq!(fold(&ops).members.len(), 65);
        let removed = member(64);
        let parents: Vec<&str> = heads.iter().map(String::as_str).collect();
        ops.push(op("op:r", A, &parents, day, OpKind::Propose(Change::Remove(removed.clone()))));
        for voter in members.iter().skip(1).take(31) {
            ops.push(op(&format!("op:v-{voter}"), voter, &["op:r"], day, OpKind::Vote { proposal: "op:r".into(), approve: true }));
        }
        assert!(fold(&ops).members.contains(&removed), "32 of 65 is no majority");
        ops.push(op("op:v-last", &members[40], &["op:r"], day, OpKind::Vote { proposal: "op:r".into(), approve: true }));
        let state = all_orders_agree(&ops);
        assert_eq!(state.members.len(), 64);
        assert!(!state.members.contains(&removed));
        assert!(state.refused.is_empty() && state.pending.is_empty(), "{:?}", state.refused);
    }

    /// An admission a member proposes is an invitation: sponsored and unopposed, it still
    /// waits for the invited initiative's yes; a no ends it for good.
    #[test]
    fn an_invitation_needs_the_invited_initiatives_yes() {
        let mut ops = vec![op("op:01", A, &[], 0, OpKind::Found { charter: charter(), founders: vec![A.into()] })];
        ops.push(op("op:02", A, &["op:01"], 1, OpKind::Propose(Change::Admit(B.into()))));
        ops.push(op("op:03", A, &["op:02"], 9, OpKind::Admit { proposal: "op:02".into() }));
        let state = fold(&ops);
        assert!(!state.members.contains(B), "not without its yes");
        assert!(state.refused.contains_key("op:03"));
        let mut accepted = ops.clone();
        accepted.push(op("op:04", B, &["op:02"], 2, OpKind::Vote { proposal: "op:02".into(), approve: true }));
        accepted.push(op("op:05", A, &["op:04"], 9, OpKind::Admit { proposal: "op:02".into() }));
        let state = all_orders_agree(&accepted);
        assert!(state.members.contains(B), "admitted once it said yes");
        let mut declined = ops;
        declined.push(op("op:04", B, &["op:02"], 2, OpKind::Vote { proposal: "op:02".into(), approve: false }));
        declined.push(op("op:05", A, &["op:04"], 9, OpKind::Admit { proposal: "op:02".into() }));
        declined.push(op("op:06", C, &["op:02"], 2, OpKind::Vote { proposal: "op:02".into(), approve: true }));
        let state = all_orders_agree(&declined);
        assert!(!state.members.contains(B), "a no ends the invitation");
        assert!(state.refused.contains_key("op:06"), "only the invited initiative answers");
    }
}
