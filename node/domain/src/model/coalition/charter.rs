//! A coalition's charter: its name and the rules its members agreed on, with the bounds every
//! charter is held to, whether typed into a form here or carried by another node's operation.

use crate::words::Say;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charter {
    pub name: String,
    pub description: String,
    /// Members who must sponsor an admission (the proposer counts when a member).
    pub sponsors_needed: u32,
    /// Days in which a member may object to an admission.
    pub objection_days: u32,
    /// A removal passes when more than this share (in %) of the members vote for it.
    #[serde(default = "majority")]
    pub removal_percent: u32,
    /// A charter change passes when more than this share (in %) of the members vote for it.
    #[serde(default = "majority")]
    pub change_percent: u32,
}

/// "More than half", the rule for removals and charter changes unless the charter says more.
pub const MAJORITY: u32 = 50;

impl Charter {
    /// Most sponsors a charter may ask for an admission.
    pub const MAX_SPONSORS: u32 = 50;
    /// Longest objection period a charter may set, in days.
    pub const MAX_OBJECTION_DAYS: u32 = 90;
    /// Longest name, in characters.
    pub const MAX_NAME: usize = 100;
    /// Longest description, in characters.
    pub const MAX_DESCRIPTION: usize = 2000;

    /// The rules of this charter that are out of bounds, by field: the same for a charter
    /// typed into a form here and one in an operation from elsewhere.
    pub fn out_of_bounds(&self) -> Vec<(&'static str, Say)> {
        let mut problems = Vec::new();
        let name = self.name.trim().chars().count();
        if name == 0 {
            problems.push(("name", Say::CoalitionNameNeeded));
        } else if name > Self::MAX_NAME {
            problems.push(("name", Say::AtMostChars(Self::MAX_NAME)));
        }
        if self.description.trim().chars().count() > Self::MAX_DESCRIPTION {
            problems.push(("description", Say::AtMostChars(Self::MAX_DESCRIPTION)));
        }
        if !(1..=Self::MAX_SPONSORS).contains(&self.sponsors_needed) {
            problems.push(("sponsors_needed", Say::NumberOneTo(Self::MAX_SPONSORS as usize)));
        }
        for (field, percent) in [("removal_percent", self.removal_percent), ("change_percent", self.change_percent)] {
            if !(MAJORITY..=99).contains(&percent) {
                problems.push((field, Say::ShareRange));
            }
        }
        if self.objection_days > Self::MAX_OBJECTION_DAYS {
            problems.push(("objection_days", Say::NumberZeroTo(Self::MAX_OBJECTION_DAYS as usize)));
        }
        problems
    }
}

fn majority() -> u32 {
    MAJORITY
}
