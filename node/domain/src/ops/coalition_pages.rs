//! What the coalition pages read (issue 6): the replicas this node hosts, the coalitions an
//! initiative takes part in, the actors a page names, where each proposal stands, and a
//! charter typed into a form checked before anything is signed. Nothing here writes: acting
//! goes through `federation::coalitions`, which signs and keeps operations.

use crate::error::{DomainError, Result, Violation};
use crate::model::Actor;
use crate::model::coalition::{Change, Charter, CoalitionState, Proposal};
use crate::store::{self, Store};
use std::collections::BTreeMap;

/// Milliseconds in a day.
const DAY_MS: i64 = 24 * 3600 * 1000;

/// A coalition this node hosts a replica of.
#[derive(Debug, Clone)]
pub struct Hosted {
    pub slug: String,
    pub coalition: String,
    pub state: CoalitionState,
}

impl Hosted {
    pub fn name(&self) -> &str {
        self.state.charter.as_ref().map(|c| c.name.as_str()).unwrap_or(&self.slug)
    }
}

/// The replicas this node hosts, by name.
pub async fn hosted(store: &Store) -> Result<Vec<Hosted>> {
    let replicas = store::coalitions::replicas(&mut store.conn().await?).await?;
    let mut all = Vec::new();
    for (coalition, slug) in replicas {
        let state = super::coalitions::state(store, &coalition).await?;
        all.push(Hosted { slug, coalition, state });
    }
    all.sort_by_key(|h| h.name().to_lowercase());
    Ok(all)
}

/// The replica this node hosts under `slug`.
pub async fn hosted_as(store: &Store, slug: &str) -> Result<Option<Hosted>> {
    let Some(coalition) = super::coalitions::replica(store, slug).await? else { return Ok(None) };
    let state = super::coalitions::state(store, &coalition).await?;
    Ok(Some(Hosted { slug: slug.to_string(), coalition, state }))
}

/// How an initiative takes part in a coalition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Member,
    /// Its admission is proposed and not decided yet.
    Candidate {
        proposal: String,
    },
}

/// What an initiative's part of a coalition is, if it has one now.
pub fn part_of(state: &CoalitionState, initiative: &str) -> Option<Part> {
    if state.members.contains(initiative) {
        return Some(Part::Member);
    }
    state
        .proposals
        .values()
        .find(|p| !p.decided && p.change == Change::Admit(initiative.to_string()))
        .map(|p| Part::Candidate { proposal: p.id.clone() })
}

/// One of the initiatives taking part in a coalition this node holds the log of.
#[derive(Debug, Clone)]
pub struct Involvement {
    pub coalition: String,
    /// This node's replica, when it hosts one.
    pub slug: Option<String>,
    pub state: CoalitionState,
    pub initiative: Actor,
    pub part: Part,
}

/// The coalitions this node holds a log of in which one of `initiatives` is a member or a
/// candidate (one entry per initiative and coalition).
pub async fn taking_part(store: &Store, initiatives: &[Actor]) -> Result<Vec<Involvement>> {
    let mut found = Vec::new();
    for coalition in super::coalitions::held(store).await? {
        let state = super::coalitions::state(store, &coalition).await?;
        let slug = super::coalitions::local_replica(store, &coalition).await?;
        for initiative in initiatives {
            if let Some(part) = part_of(&state, &initiative.ap_id) {
                let (coalition, state, slug) = (coalition.clone(), state.clone(), slug.clone());
                found.push(Involvement { coalition, slug, state, initiative: initiative.clone(), part });
            }
        }
    }
    Ok(found)
}

/// The actors this node knows among `ids` (members, proposers, candidates), by id.
pub async fn known_actors<'a>(store: &Store, ids: impl IntoIterator<Item = &'a String>) -> Result<BTreeMap<String, Actor>> {
    let mut conn = store.conn().await?;
    let mut known = BTreeMap::new();
    for id in ids {
        if known.contains_key(id) {
            continue;
        }
        if let Some(actor) = store::actors::by_ap_id(&mut conn, id).await? {
            known.insert(id.clone(), actor);
        }
    }
    Ok(known)
}

/// A charter as typed: the name and description trimmed, every rule within bounds.
pub fn checked_charter(charter: Charter) -> Result<Charter> {
    let problems: Vec<Violation> =
        charter.out_of_bounds().into_iter().map(|(field, message)| Violation { field, message: message.into() }).collect();
    if !problems.is_empty() {
        return Err(DomainError::Invalid(problems));
    }
    Ok(Charter { name: charter.name.trim().to_string(), description: charter.description.trim().to_string(), ..charter })
}

/// Where a proposal stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// An admission: members may still object until then.
    Objectable {
        until: i64,
    },
    /// An admission past its objection period that lacks sponsors.
    NeedsSponsors {
        have: usize,
        needed: usize,
    },
    /// An admission sponsored enough and unopposed: the next `Admit` lets it in.
    AboutToBeAdmitted,
    /// A member objected: the admission does not go through.
    Objected,
    /// An invitation past its objection period that the invited initiative has not answered.
    AwaitsAnswer,
    /// The invited initiative said no.
    Declined,
    Admitted,
    /// A removal or charter change still voted on: `needed` votes for it make it pass.
    Voting {
        needed: usize,
    },
    Passed,
}

impl Standing {
    pub fn is_open(&self) -> bool {
        matches!(
            self,
            Standing::Objectable { .. }
                | Standing::NeedsSponsors { .. }
                | Standing::AwaitsAnswer
                | Standing::AboutToBeAdmitted
                | Standing::Voting { .. }
        )
    }
}

/// Where `proposal` stands at `now`, by the coalition's current charter.
pub fn standing(state: &CoalitionState, proposal: &Proposal, now: i64) -> Standing {
    if !matches!(proposal.change, Change::Admit(_)) {
        return if proposal.decided { Standing::Passed } else { Standing::Voting { needed: proposal.electorate.len() / 2 + 1 } };
    }
    if proposal.declined_by_candidate() {
        return Standing::Declined;
    }
    if proposal.decided {
        return Standing::Admitted;
    }
    if !proposal.objections.is_empty() {
        return Standing::Objected;
    }
    let until = objection_deadline(state, proposal);
    if now < until {
        return Standing::Objectable { until };
    }
    let needed = state.charter.as_ref().map(|c| c.sponsors_needed).unwrap_or(1) as usize;
    let have = proposal.sponsors.iter().filter(|s| state.members.contains(*s)).count();
    if have < needed {
        Standing::NeedsSponsors { have, needed }
    } else if !proposal.accepted_by_candidate() {
        Standing::AwaitsAnswer
    } else {
        Standing::AboutToBeAdmitted
    }
}

/// Until when members may object to an admission.
pub fn objection_deadline(state: &CoalitionState, proposal: &Proposal) -> i64 {
    proposal.published + i64::from(state.charter.as_ref().map(|c| c.objection_days).unwrap_or(7)) * DAY_MS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::coalition::{OpKind, Operation, fold};

    const A: &str = "https://a.example/initiatives/a";
    const B: &str = "https://b.example/initiatives/b";

    fn charter(sponsors_needed: u32, objection_days: u32) -> Charter {
        Charter {
            name: "Delfshaven".into(),
            description: String::new(),
            sponsors_needed,
            objection_days,
            removal_percent: crate::model::coalition::MAJORITY,
            change_percent: crate::model::coalition::MAJORITY,
        }
    }

    fn op(id: &str, author: &str, parent: Option<&str>, day: i64, kind: OpKind) -> Operation {
        let parents = parent.into_iter().map(str::to_string).collect();
        Operation { id: id.into(), author: author.into(), parents, published: day * DAY_MS, kind, keys: Default::default() }
    }

    fn application(sponsors_needed: u32) -> CoalitionState {
        fold(&[
            op("op:1", A, None, 0, OpKind::Found { charter: charter(sponsors_needed, 7), founders: vec![A.into()] }),
            op("op:2", B, Some("op:1"), 1, OpKind::Propose(Change::Admit(B.into()))),
        ])
    }

    #[test]
    fn an_application_is_objectable_for_the_period_then_waits_for_sponsors_or_its_admission() {
        let state = application(1);
        let proposal = &state.proposals["op:2"];
        assert_eq!(standing(&state, proposal, 3 * DAY_MS), Standing::Objectable { until: 8 * DAY_MS });
        assert_eq!(standing(&state, proposal, 8 * DAY_MS), Standing::NeedsSponsors { have: 0, needed: 1 });
        assert_eq!(part_of(&state, B), Some(Part::Candidate { proposal: "op:2".into() }));
        assert_eq!(part_of(&state, A), Some(Part::Member));
        let mut sponsored = state.clone();
        sponsored.proposals.get_mut("op:2").unwrap().sponsors.insert(A.into());
        assert_eq!(standing(&sponsored, &sponsored.proposals["op:2"], 9 * DAY_MS), Standing::AboutToBeAdmitted);
        sponsored.proposals.get_mut("op:2").unwrap().objections.insert(A.into(), 2 * DAY_MS);
        assert_eq!(standing(&sponsored, &sponsored.proposals["op:2"], 9 * DAY_MS), Standing::Objected);
    }

    #[test]
    fn removals_need_more_than_half_of_the_members_then() {
        let state = fold(&[
            op("op:1", A, None, 0, OpKind::Found { charter: charter(1, 0), founders: vec![A.into(), B.into()] }),
            op("op:2", A, Some("op:1"), 1, OpKind::Propose(Change::Remove(B.into()))),
        ]);
        let proposal = &state.proposals["op:2"];
        assert_eq!(standing(&state, proposal, DAY_MS), Standing::Voting { needed: 2 });
        assert!(standing(&state, proposal, DAY_MS).is_open());
    }

    #[test]
    fn a_typed_charter_is_trimmed_and_its_rules_bounded() {
        let typed = Charter { name: "  Delfshaven ".into(), ..charter(1, 0) };
        assert_eq!(checked_charter(typed).map(|c| c.name).ok().as_deref(), Some("Delfshaven"));
        let Err(DomainError::Invalid(problems)) = checked_charter(Charter { name: " ".into(), ..charter(0, 91) }) else {
            panic!("refused")
        };
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, vec!["name", "sponsors_needed", "objection_days"]);
    }
}
