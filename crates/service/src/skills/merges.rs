//! The problem board's merges and awards, the center's: a duplicate joins
//! the problem first proposed (its history kept, its proposer and
//! supporters become supporters, its claim carried over), and a solved
//! problem is named the award it won (e.g. 最佳创意方案).

use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_domain::skills::inputs::{AwardInput, MergeInput};
use tongxing_domain::Invalid;
use tongxing_store::skills::merges::{self as store, Merge};
use tongxing_store::skills::problems as board;

use super::problems::ProblemDetail;
use crate::{Actor, Error, Result, Service};

impl Service {
    /// Merges problem `id`, a duplicate, into `into`, the one proposed first.
    /// Only a duplicate nobody has worked on past a claim may go; a claim
    /// moves to an unclaimed first problem, and two teams' claims are 409
    /// `both_claimed`.
    pub async fn merge_problem(&self, actor: &Actor, id: i64, input: MergeInput) -> Result<ProblemDetail> {
        self.center_of_board(actor)?;
        let dup = board::get(&self.db, id).await?;
        let first = board::get(&self.db, input.into).await.map_err(|e| match e {
            tongxing_store::Error::NotFound => Error::unknown_reference("into"),
            other => other.into(),
        })?;
        if first.id == dup.id {
            return Err(Invalid::one("into", "same_problem").into());
        }
        if dup.merged_into.is_some() || first.merged_into.is_some() {
            return Err(Error::Conflict { code: "problem_merged", field: Some("into") });
        }
        if (first.proposed_at, first.id) > (dup.proposed_at, dup.id) {
            return Err(Invalid::one("into", "not_proposed_first").into());
        }
        if !matches!(dup.status.as_str(), "proposed" | "claimed") {
            return Err(Error::Conflict { code: "problem_in_progress", field: None });
        }
        let carry_claim = match (dup.team_id, first.team_id) {
            (Some(a), Some(b)) if a != b => return Err(Error::Conflict { code: "both_claimed", field: None }),
            (Some(team), None) => Some(team),
            _ => None,
        };
        let m =
            Merge { duplicate: id, into: first.id, duplicate_status: dup.status, into_status: first.status, carry_claim, user: actor.id };
        if !store::merge(&self.db, &m).await? {
            return Err(Error::Conflict { code: "merge_race", field: None });
        }
        self.audit(Some(actor), "merge", "skill_problem", Some(id), Some(&format!("into {}", first.id))).await?;
        self.problem_detail(first.id).await
    }

    /// Names the award a problem's solution won; once a solution is
    /// recorded (422 `not_solved` before), again to correct it.
    pub async fn award_problem(&self, actor: &Actor, id: i64, input: AwardInput) -> Result<ProblemDetail> {
        self.center_of_board(actor)?;
        input.check()?;
        let p = board::get(&self.db, id).await?;
        if p.merged_into.is_some() {
            return Err(Error::Conflict { code: "problem_merged", field: None });
        }
        if !store::award(&self.db, id, input.award.trim()).await? {
            return Err(Invalid::one("award", "not_solved").into());
        }
        self.audit(Some(actor), "award", "skill_problem", Some(id), Some(input.award.trim())).await?;
        self.problem_detail(id).await
    }

    /// Merges and awards are the center's, who sees the whole board.
    fn center_of_board(&self, actor: &Actor) -> Result<()> {
        match self.require(actor, Action::Write, Resource::Problem)? {
            Scope::All => Ok(()),
            _ => Err(Error::Forbidden),
        }
    }
}
