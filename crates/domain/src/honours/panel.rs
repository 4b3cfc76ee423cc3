//! A round's review panel (评审组): what a member may send, what is shown
//! of the panel and its votes, and how a nominee's votes make a decision.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::role::Role;
use crate::schema;

/// Who may sit on a panel: accounts that read rounds and are not the
/// public's (volunteers and observers review nothing).
pub const PANEL_ROLES: [Role; 4] = [Role::Coordinator, Role::Liaison, Role::TeamLeader, Role::Viewer];

/// What a panel member may record on a nominee: a decision, or a declared
/// conflict of interest (they then stay out of that nominee).
pub const VOTES: [&str; 3] = ["approve", "reject", "conflict"];

crate::field_schemas! {
    vote_schema = schema::one_of(&VOTES);
    vote_note_schema = schema::optional_text(super::round::NOTE_MAX);
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PanelMemberInput {
    /// The account named to the panel.
    #[schema(schema_with = schema::id)]
    pub user_id: i64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct VoteInput {
    #[schema(schema_with = vote_schema)]
    pub decision: String,
    #[serde(default)]
    #[schema(schema_with = vote_note_schema)]
    pub note: Option<String>,
}

/// A member of a round's panel, shown by name.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PanelMember {
    pub user_id: i64,
    pub name: String,
}

/// One member's vote on one nominee.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = HonourVote)]
pub struct Vote {
    pub nomination_id: i64,
    /// The nominee's name.
    pub nominee: String,
    pub user_id: i64,
    /// The member's name.
    pub member: String,
    /// approve, reject, or conflict (declared).
    pub decision: String,
    pub note: Option<String>,
    /// Unix ms.
    pub at: i64,
}

/// The panel's count on one nominee.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Members on the panel.
    pub members: usize,
    pub approve: usize,
    pub reject: usize,
    /// Members out of this nominee: declared, or sharing its unit or team.
    pub conflicted: usize,
}

/// The panel's decision on a nominee once every member without a conflict
/// has voted: `approved` on a strict majority of them, else `rejected` (a
/// tie does not honour). None while votes are missing, or when no member is
/// free to vote (the center decides alone then).
pub fn outcome(t: Tally) -> Option<&'static str> {
    let voters = t.members.saturating_sub(t.conflicted);
    if voters == 0 || t.approve + t.reject < voters {
        return None;
    }
    Some(if t.approve * 2 > voters { "approved" } else { "rejected" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(members: usize, approve: usize, reject: usize, conflicted: usize) -> Tally {
        Tally { members, approve, reject, conflicted }
    }

    #[test]
    fn the_panel_decides_by_strict_majority_of_its_free_members_once_all_voted() {
        let cases = [
            (t(3, 2, 1, 0), Some("approved")),
            (t(3, 1, 2, 0), Some("rejected")),
            (t(3, 2, 0, 0), None),
            (t(3, 1, 1, 1), Some("rejected")),
            (t(3, 2, 0, 1), Some("approved")),
            (t(4, 2, 2, 0), Some("rejected")),
            (t(2, 0, 0, 2), None),
            (t(0, 0, 0, 0), None),
        ];
        for (tally, want) in cases {
            assert_eq!(outcome(tally), want, "{tally:?}");
        }
    }
}
