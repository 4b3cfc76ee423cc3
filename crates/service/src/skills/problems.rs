//! The front-line problem board: anyone of a member unit proposes (the
//! first proposer is kept), one team claims exclusively, then records the
//! solution, the field test, the roll-out and the close, each attributable.

use serde::Serialize;
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_domain::skills::inputs::{judge_step_after, ProblemInput, StepInput};
use tongxing_domain::skills::views::{Problem, ProblemAttachment, ProblemStep, ProblemSupporter, ProposerSolved, TeamSolved};
use tongxing_domain::Invalid;
use tongxing_store::now_ms;
use tongxing_store::registry::{teams, units, volunteers};
use tongxing_store::skills::problems::{self as store, Filter, NewProblem};
use utoipa::ToSchema;

use crate::{Actor, Error, Result, Service};

/// A problem with its steps and its supporters.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemDetail {
    #[serde(flatten)]
    pub problem: Problem,
    pub steps: Vec<ProblemStep>,
    /// The proposers of duplicates merged into it.
    pub supporters: Vec<ProblemSupporter>,
    /// Drawings, photos and PDFs on it and its steps, oldest first.
    pub attachments: Vec<ProblemAttachment>,
}

/// What the board asks.
#[derive(Debug, Clone, Default)]
pub struct BoardQuery {
    pub unit_id: Option<i64>,
    pub trade: Option<String>,
    pub team_id: Option<i64>,
    pub status: Option<String>,
}

const STATUSES: [&str; 6] = ["proposed", "claimed", "solution", "field_test", "rolled_out", "closed"];

fn missing(field: &'static str) -> impl Fn(tongxing_store::Error) -> Error {
    move |e| match e {
        tongxing_store::Error::NotFound => Error::unknown_reference(field),
        other => other.into(),
    }
}

impl Service {
    /// Proposes a problem. The proposer is the caller's own record; a
    /// liaison may name a person of their unit, for their unit; the center anyone.
    pub async fn propose_problem(&self, actor: &Actor, input: ProblemInput) -> Result<ProblemDetail> {
        let scope = self.require(actor, Action::Write, Resource::Problem)?;
        input.check()?;
        let proposer = match (scope, input.proposer_id, actor.volunteer_id) {
            (Scope::All, Some(p), _) => p,
            (Scope::OwnUnit, _, _) if Some(input.unit_id) != actor.unit_id => return Err(Error::Forbidden),
            (Scope::OwnUnit, Some(p), _) => {
                self.volunteer_in_scope(actor, scope, p).await?;
                p
            }
            (_, Some(p), me) if Some(p) != me => return Err(Error::Forbidden),
            (_, _, Some(me)) => me,
            (_, _, None) => return Err(Invalid::one("proposer_id", "required").into()),
        };
        volunteers::get(&self.db, proposer).await.map_err(missing("proposer_id"))?;
        let unit = units::get(&self.db, input.unit_id).await.map_err(missing("unit_id"))?;
        if !unit.active {
            return Err(Error::unknown_reference("unit_id"));
        }
        let trade = match input.trade.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(code) => Some(self.trade_named(code, "trade").await?.id),
            None => None,
        };
        let blank = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let p = NewProblem {
            title: input.title.trim().to_string(),
            description: input.description.trim().to_string(),
            unit_id: input.unit_id,
            trade_id: trade,
            site: blank(input.site),
            impact: blank(input.impact),
            proposer_id: proposer,
            proposed_at: now_ms(),
            status: "proposed",
            team_id: None,
            award: None,
        };
        let id = store::insert(&self.db, &[p]).await?.pop().unwrap_or_default();
        self.audit(Some(actor), "propose", "skill_problem", Some(id), None).await?;
        self.problem_detail(id).await
    }

    pub(super) async fn problem_detail(&self, id: i64) -> Result<ProblemDetail> {
        let problem = store::get(&self.db, id).await?;
        let steps = store::steps(&self.db, id).await?;
        let supporters = tongxing_store::skills::merges::supporters(&self.db, id).await?;
        let attachments = tongxing_store::skills::attachments::of_problem(&self.db, id).await?;
        Ok(ProblemDetail { problem, steps, supporters, attachments })
    }

    pub async fn problem(&self, actor: &Actor, id: i64) -> Result<ProblemDetail> {
        self.require(actor, Action::Read, Resource::Problem)?;
        self.problem_detail(id).await
    }

    /// The board, filtered by unit, trade, team and status; newest first.
    pub async fn problems(&self, actor: &Actor, q: &BoardQuery, page: Page) -> Result<Paged<Problem>> {
        self.require(actor, Action::Read, Resource::Problem)?;
        let status = q.status.as_deref().map(str::trim).unwrap_or("");
        if !status.is_empty() && !STATUSES.contains(&status) {
            return Err(Invalid::one("status", "unknown_choice").into());
        }
        let trade = self.trade_filter(q.trade.as_deref()).await?;
        let f = Filter { unit_id: q.unit_id.unwrap_or(0), trade_id: trade, team_id: q.team_id.unwrap_or(0), status: status.to_string() };
        let (items, total) = store::list(&self.db, &f, page.limit(), page.offset()).await?;
        Ok(Paged { items, total })
    }

    /// One team claims a proposed problem; a second claim is 409 `already_claimed`.
    pub async fn claim_problem(&self, actor: &Actor, id: i64, team_id: i64) -> Result<ProblemDetail> {
        match self.require(actor, Action::Write, Resource::Problem)? {
            Scope::All => {}
            Scope::OwnTeam if actor.team_id == Some(team_id) => {}
            _ => return Err(Error::Forbidden),
        }
        let team = teams::get(&self.db, team_id).await.map_err(missing("team_id"))?;
        if !team.active {
            return Err(Error::unknown_reference("team_id"));
        }
        let p = store::get(&self.db, id).await?;
        if p.merged_into.is_some() {
            return Err(Error::Conflict { code: "problem_merged", field: None });
        }
        if p.status != "proposed" || !store::advance(&self.db, id, "proposed", "claimed", team_id, "", actor.id).await? {
            return Err(Error::Conflict { code: "already_claimed", field: None });
        }
        self.audit(Some(actor), "claim", "skill_problem", Some(id), Some(&format!("team {team_id}"))).await?;
        self.problem_detail(id).await
    }

    /// The next step of a claimed problem, by the holding team's leader or the center.
    pub async fn problem_step(&self, actor: &Actor, id: i64, input: StepInput) -> Result<ProblemDetail> {
        let scope = self.require(actor, Action::Write, Resource::Problem)?;
        let p = store::get(&self.db, id).await?;
        let team = p.team_id.unwrap_or(0);
        match scope {
            Scope::All => {}
            Scope::OwnTeam if p.team_id.is_some() && p.team_id == actor.team_id => {}
            _ => return Err(Error::Forbidden),
        }
        if p.merged_into.is_some() {
            return Err(Error::Conflict { code: "problem_merged", field: None });
        }
        judge_step_after(&p.status, &input)?;
        if !store::advance(&self.db, id, &p.status, &input.step, team, input.note.trim(), actor.id).await? {
            return Err(Error::Conflict { code: "step_race", field: Some("step") });
        }
        self.audit(Some(actor), "step", "skill_problem", Some(id), Some(&input.step)).await?;
        self.problem_detail(id).await
    }

    /// Problems per first proposer and how many of them were solved.
    pub async fn problems_solved_by_proposer(&self, actor: &Actor) -> Result<Vec<ProposerSolved>> {
        self.require(actor, Action::Read, Resource::Problem)?;
        Ok(store::solved_by_proposer(&self.db).await?)
    }

    /// Problems solved per team.
    pub async fn problems_solved(&self, actor: &Actor) -> Result<Vec<TeamSolved>> {
        self.require(actor, Action::Read, Resource::Problem)?;
        Ok(store::solved_by_team(&self.db).await?)
    }
}
