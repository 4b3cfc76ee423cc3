//! What the round's page offers each reader: whom they may nominate, and
//! which nominees a reviewer must step aside from.

use std::collections::HashSet;

use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_store::honours::{figures, nominations, rounds};

use crate::{Actor, Result, Service};

impl Service {
    /// The volunteers (or teams, for a round of teams) `actor` may nominate
    /// in round `round_id`: None for anyone (the center), an empty set for nobody.
    pub async fn honour_reach(&self, actor: &Actor, round_id: i64) -> Result<Option<HashSet<i64>>> {
        let r = rounds::get(&self.db, round_id).await?;
        let Ok(scope) = self.require(actor, Action::Write, Resource::Honour) else {
            return Ok(Some(HashSet::new()));
        };
        let teams = r.kind == "team";
        let ids = match (scope, actor.unit_id, actor.team_id) {
            (Scope::All, _, _) => return Ok(None),
            (Scope::OwnUnit, Some(u), _) if teams => figures::teams_of_unit(&self.db, u).await?,
            (Scope::OwnUnit, Some(u), _) => figures::volunteers_of_unit(&self.db, u).await?,
            (Scope::OwnTeam, _, Some(t)) if teams => vec![t],
            (Scope::OwnTeam, _, Some(t)) => figures::members_of_team(&self.db, t).await?,
            _ => Vec::new(),
        };
        // Nobody nominates themselves.
        Ok(Some(ids.into_iter().filter(|v| teams || actor.volunteer_id != Some(*v)).collect()))
    }

    /// The nominations of the round that `actor` shares a unit or team with:
    /// a conflict of interest, so they do not decide on them.
    pub async fn honour_conflicts(&self, actor: &Actor, round_id: i64) -> Result<HashSet<i64>> {
        self.require(actor, Action::Read, Resource::Honour)?;
        let mut out = HashSet::new();
        for n in nominations::of_round(&self.db, round_id).await? {
            if self.has_conflict(actor, &n).await? {
                out.insert(n.id);
            }
        }
        Ok(out)
    }
}
