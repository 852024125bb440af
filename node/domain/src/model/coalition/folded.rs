//! A coalition's log as one reading of the database found it, folded, and how it grows
//! without folding everything again (issue 18: a coalition of 64 initiatives with a
//! thousand operations; posting to it and receiving an operation may cost at most a
//! millisecond of fold work).
//!
//! Why adding at the end is exact: when no operation waits for a parent and a new one names
//! every current head (and only operations held), every operation held is its ancestor, so
//! the fold's walk places it last whatever the ids. The state after it is the state before
//! it with the new operation applied, the same as a fresh [`fold`] of the whole set. Anything
//! else (a concurrent operation naming older heads, one that fills a gap, an id held
//! already) is folded from the start.

use super::{CoalitionState, Operation, Refusal, fold, heads, rules};
use std::sync::Arc;

#[derive(Debug)]
pub struct FoldedLog {
    /// The rows' ids in order: what the process remembers the log by.
    pub ids: Vec<i64>,
    /// Shared with the logs this one grew from: extending it copies pointers, not operations.
    pub ops: Vec<Arc<Operation>>,
    pub state: CoalitionState,
    /// The operations nobody names yet, sorted (what a new operation names as parents).
    pub heads: Vec<String>,
}

impl FoldedLog {
    /// The fold of the operations read from rows `ids`.
    pub fn new(ids: Vec<i64>, ops: Vec<Operation>) -> FoldedLog {
        let (state, heads) = (fold(&ops), heads(&ops));
        FoldedLog { ids, ops: ops.into_iter().map(Arc::new).collect(), state, heads }
    }

    /// This log with the rows `more` (read after it) added: applied at the end when each
    /// comes last in the walk, else folded again from the start.
    pub fn extended(&self, more: Vec<(i64, Operation)>) -> FoldedLog {
        let (mut ids, mut ops) = (self.ids.clone(), self.ops.clone());
        let (mut state, mut heads) = (self.state.clone(), self.heads.clone());
        let mut exact = true;
        for (id, op) in more {
            exact = exact && comes_last(&ops, &state, &heads, &op);
            if exact {
                apply_last(&mut state, &op);
                heads = vec![op.id.clone()];
            }
            ids.push(id);
            ops.push(Arc::new(op));
        }
        if exact { FoldedLog { ids, ops, state, heads } } else { FoldedLog::new(ids, ops.iter().map(|op| Operation::clone(op)).collect()) }
    }

    /// Why the fold would refuse `op` if it were added to this log, if it would.
    pub fn refusal_if_added(&self, op: &Operation) -> Option<Refusal> {
        if comes_last(&self.ops, &self.state, &self.heads, op) {
            let mut state = self.state.clone();
            apply_last(&mut state, op);
            return state.refused.get(&op.id).copied();
        }
        let mut ops: Vec<Operation> = self.ops.iter().map(|op| Operation::clone(op)).collect();
        ops.push(op.clone());
        fold(&ops).refused.get(&op.id).copied()
    }
}

/// Whether the fold of `ops` and `op` would walk `op` last: nothing waits, `op` names every
/// head and only operations held, and its id is new.
fn comes_last(ops: &[Arc<Operation>], state: &CoalitionState, heads: &[String], op: &Operation) -> bool {
    if !state.pending.is_empty() || ops.is_empty() || !heads.iter().all(|head| op.parents.contains(head)) {
        return false;
    }
    let held = |id: &str| ops.iter().any(|o| o.id == id);
    !held(&op.id) && op.parents.iter().all(|parent| heads.contains(parent) || held(parent))
}

fn apply_last(state: &mut CoalitionState, op: &Operation) {
    if let Err(why) = rules::apply(state, op) {
        state.refused.insert(op.id.clone(), why);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::charter;
    use super::super::{Change, DAY_MS, OpKind};
    use super::*;
    use std::collections::BTreeMap;

    fn initiative(n: usize) -> String {
        format!("https://n{n}.example/initiatives/i{n}")
    }

    fn op(id: String, author: String, parents: Vec<String>, day: i64, kind: OpKind) -> Operation {
        Operation { id, author, parents, published: day * DAY_MS, kind, keys: BTreeMap::new() }
    }

    /// A log where some operations name every head (one after the other) and some are
    /// concurrent (naming older heads), with refusals among them: applications, sponsors,
    /// admissions too early and in time, a removal vote, an outsider's vote.
    fn mixed_log() -> Vec<Operation> {
        let founder = initiative(0);
        let mut ops =
            vec![op("op:000".into(), founder.clone(), vec![], 0, OpKind::Found { charter: charter(), founders: vec![founder.clone()] })];
        for n in 1..12 {
            let heads = heads(&ops);
            let older = if n % 3 == 0 { vec![ops[ops.len() - 2].id.clone()] } else { heads };
            let (apply, sponsor, admit) = (format!("op:{n:03}a"), format!("op:{n:03}b"), format!("op:{n:03}c"));
            let day = n as i64 * 10;
            ops.push(op(apply.clone(), initiative(n), older, day, OpKind::Propose(Change::Admit(initiative(n)))));
            ops.push(op(sponsor.clone(), founder.clone(), vec![apply.clone()], day, OpKind::Sponsor { proposal: apply.clone() }));
            let wait = if n % 4 == 0 { 2 } else { 8 };
            ops.push(op(admit, founder.clone(), vec![sponsor], day + wait, OpKind::Admit { proposal: apply.clone() }));
        }
        let removal = op("op:r".into(), founder.clone(), heads(&ops), 200, OpKind::Propose(Change::Remove(initiative(5))));
        ops.push(removal);
        for n in [1, 2, 3, 6, 7, 99] {
            let vote = OpKind::Vote { proposal: "op:r".into(), approve: true };
            ops.push(op(format!("op:v{n}"), initiative(n), heads(&ops), 201, vote));
        }
        ops
    }

    /// Growing the log one row at a time, and in twos, gives exactly a fresh fold of the
    /// same rows at every step, both where the end is extended and where it folds again.
    #[test]
    fn growing_the_log_agrees_with_a_fresh_fold_at_every_step() {
        let ops = mixed_log();
        for step in [1, 2] {
            let mut log = FoldedLog::new(vec![1], ops[..1].to_vec());
            let mut at = 1;
            while at < ops.len() {
                let end = (at + step).min(ops.len());
                let more = (at..end).map(|i| (i as i64 + 1, ops[i].clone())).collect();
                log = log.extended(more);
                let fresh = FoldedLog::new((1..=end as i64).collect(), ops[..end].to_vec());
                assert_eq!(log.state, fresh.state, "after {end} operations, {step} at a time");
                assert_eq!(log.heads, fresh.heads, "heads after {end}");
                assert_eq!(log.ids, fresh.ids);
                at = end;
            }
        }
        let placed_last = (1..ops.len())
            .filter(|&i| {
                let log = FoldedLog::new(vec![], ops[..i].to_vec());
                comes_last(&log.ops, &log.state, &log.heads, &ops[i])
            })
            .count();
        assert!(placed_last > ops.len() / 2 && placed_last < ops.len() - 1, "both paths are walked: {placed_last} of {}", ops.len());
        let state = FoldedLog::new(vec![], ops.clone()).state;
        assert!(!state.refused.is_empty(), "the log holds refusals: {:?}", state.refused);
        assert!(state.members.len() > 5 && state.proposals.contains_key("op:r"), "members {:?}", state.members);
    }

    #[test]
    fn a_late_parent_and_a_held_id_are_folded_again_exactly() {
        let ops = mixed_log();
        let (last, first) = ops.split_last().expect("ops");
        let (missing, before) = first.split_last().expect("ops");
        let mut log = FoldedLog::new(vec![], before.to_vec()).extended(vec![(1, last.clone())]);
        assert!(log.state.pending.contains(&last.id), "waits for its parent");
        log = log.extended(vec![(2, missing.clone())]);
        assert_eq!(log.state, fold(&ops));
        let again = log.extended(vec![(3, ops[4].clone())]);
        assert_eq!(again.state, fold(&ops), "an operation held already changes nothing");
    }

    #[test]
    fn the_refusal_of_a_new_operation_is_the_one_a_fresh_fold_gives() {
        let ops = mixed_log();
        let log = FoldedLog::new(vec![], ops.clone());
        let outsider = op("op:x".into(), initiative(77), log.heads.clone(), 300, OpKind::Sponsor { proposal: "op:r".into() });
        let member = op("op:y".into(), initiative(1), log.heads.clone(), 300, OpKind::Leave);
        let concurrent = op("op:z".into(), initiative(77), vec![ops[3].id.clone()], 300, OpKind::Leave);
        for candidate in [outsider, member, concurrent] {
            let mut all = ops.clone();
            all.push(candidate.clone());
            assert_eq!(log.refusal_if_added(&candidate), fold(&all).refused.get(&candidate.id).copied(), "{}", candidate.id);
        }
        assert!(log.refusal_if_added(&op("op:x2".into(), initiative(77), log.heads.clone(), 300, OpKind::Leave)).is_some());
    }
}
