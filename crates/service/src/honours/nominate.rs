//! Nominating within quotas, and the review's decisions.

use tongxing_domain::honours::round::{Stage, CITATION_MAX, NOTE_MAX};
use tongxing_domain::honours::scoring::within_quotas;
use tongxing_domain::honours::view::{DecisionInput, Nomination, NominationInput};
use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_domain::time::region_date;
use tongxing_domain::Invalid;
use tongxing_store::honours::{figures, nominations as store, rounds};
use tongxing_store::registry::{teams, volunteers};

use super::{day, wrong_stage};
use crate::{Actor, Error, Result, Service};

impl Service {
    /// A leader or liaison nominates one of their own within the quota; the
    /// nominee must be eligible, and nobody nominates themselves.
    pub async fn nominate(&self, actor: &Actor, round_id: i64, input: &NominationInput, now: i64) -> Result<i64> {
        let scope = self.require(actor, Action::Write, Resource::Honour)?;
        let r = rounds::get(&self.db, round_id).await?;
        let mut e = Invalid::default();
        e.text("citation", &input.citation, CITATION_MAX);
        e.into_result()?;
        if r.stage != Stage::Nominating || region_date(now) > day(&r.nominate_until) {
            return Err(Error::Conflict { code: "nominations_closed", field: None });
        }
        let (subject, field, group) = match (r.kind.as_str(), input.volunteer_id, input.team_id) {
            ("volunteer", Some(v), None) => {
                if actor.volunteer_id == Some(v) {
                    return Err(Error::Validation(Invalid::one("volunteer_id", "self_nomination")));
                }
                let vol = volunteers::get(&self.db, v).await.map_err(|_| Error::unknown_reference("volunteer_id"))?;
                self.volunteer_in_scope(actor, scope, v).await?;
                (v, "volunteer_id", vol.unit_id)
            }
            ("team", None, Some(t)) => {
                let team = teams::get(&self.db, t).await.map_err(|_| Error::unknown_reference("team_id"))?;
                let ok = match scope {
                    Scope::All => true,
                    Scope::OwnUnit => team.unit_id.is_some() && team.unit_id == actor.unit_id,
                    Scope::OwnTeam => actor.team_id == Some(t),
                    _ => false,
                };
                if !ok {
                    return Err(Error::Forbidden);
                }
                (t, "team_id", team.district_id)
            }
            ("volunteer", _, _) => return Err(Error::Validation(Invalid::one("volunteer_id", "required"))),
            _ => return Err(Error::Validation(Invalid::one("team_id", "required"))),
        };
        let standing = self.nominee_standing(&r, subject).await?.ok_or_else(|| Error::unknown_reference(field))?;
        if let Some(reason) = &standing {
            return Err(Error::Validation(Invalid::one(field, rule_code(reason))));
        }
        let is_team = field == "team_id";
        let new = store::New {
            round_id,
            volunteer_id: (!is_team).then_some(subject),
            team_id: is_team.then_some(subject),
            quota_group: group,
            citation: input.citation.trim(),
            quota: r.quota_of(group),
        };
        let id = match store::create(&self.db, &new, actor.id).await {
            Ok(Some(id)) => id,
            Ok(None) => return Err(Error::Validation(Invalid::one(field, "over_quota"))),
            Err(tongxing_store::Error::Conflict) => return Err(Error::Conflict { code: "already_nominated", field: Some(field) }),
            Err(e) => return Err(e.into()),
        };
        self.audit(Some(actor), "honour.nominate", "honour_nomination", Some(id), Some(&format!("round {round_id}"))).await?;
        Ok(id)
    }

    /// The round's nominations with their scores, best first; `within_quota`
    /// marks the result list (approved, and within its group's quota).
    pub async fn honour_nominations(&self, actor: &Actor, round_id: i64) -> Result<Vec<Nomination>> {
        self.require(actor, Action::Read, Resource::Honour)?;
        let r = rounds::get(&self.db, round_id).await?;
        let (rows, scored) = tokio::try_join!(async { Ok(store::of_round(&self.db, round_id).await?) }, self.scored(&r))?;
        let tallies = self.panel_tallies(round_id).await?;
        let score =
            |n: &store::Row| scored.iter().find(|c| c.volunteer_id.or(c.team_id) == n.volunteer_id.or(n.team_id)).map_or(0.0, |c| c.score);
        let mut list: Vec<Nomination> = rows
            .iter()
            .map(|n| {
                let t = tallies.get(&n.id).copied().unwrap_or_default();
                Nomination {
                    id: n.id,
                    volunteer_id: n.volunteer_id,
                    team_id: n.team_id,
                    name: n.name.clone(),
                    group_name: n.group_name.clone(),
                    citation: n.citation.clone(),
                    status: n.status.clone(),
                    decision_note: n.decision_note.clone(),
                    score: score(n),
                    within_quota: false,
                    votes_for: t.approve as i64,
                    votes_against: t.reject as i64,
                    conflicts: t.conflicted as i64,
                }
            })
            .collect();
        list.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        // The result list: approved nominees in score order, at most the quota per group.
        let approved: Vec<usize> = (0..list.len()).filter(|i| matches!(list[*i].status.as_str(), "approved" | "honoured")).collect();
        let group = |i: &usize| rows.iter().find(|r| r.id == list[*i].id).map_or(0, |r| r.quota_group);
        let kept = within_quotas(&approved.iter().map(group).collect::<Vec<_>>(), |g| r.quota_of(g));
        for (i, k) in approved.into_iter().zip(kept) {
            list[i].within_quota = k;
        }
        Ok(list)
    }

    /// A reviewer's decision on a nominee; a reviewer of the nominee's own
    /// unit or team has a conflict of interest and is refused.
    pub async fn decide_nomination(&self, actor: &Actor, round_id: i64, id: i64, input: &DecisionInput) -> Result<()> {
        self.require_honours_center(actor)?;
        let mut e = Invalid::default();
        e.optional_text("note", input.note.as_deref(), NOTE_MAX);
        let status = match input.decision.as_str() {
            "approve" => "approved",
            "reject" => "rejected",
            _ => {
                e.push("decision", "unknown_decision");
                ""
            }
        };
        e.into_result()?;
        let n = store::get(&self.db, id).await?;
        if n.round_id != round_id {
            return Err(Error::NotFound);
        }
        if self.has_conflict(actor, &n).await? {
            return Err(Error::Conflict { code: "conflict_of_interest", field: None });
        }
        let note = input.note.as_deref().map(str::trim).filter(|s| !s.is_empty());
        store::decide(&self.db, id, status, note, actor.id).await.map_err(wrong_stage)?;
        self.audit(Some(actor), "honour.decide", "honour_nomination", Some(id), Some(status)).await
    }

    /// Whether the reviewer shares a unit or team with the nominee.
    pub(super) async fn has_conflict(&self, actor: &Actor, n: &store::Row) -> Result<bool> {
        let Some(v) = n.volunteer_id else {
            return Ok(actor.team_id.is_some() && actor.team_id == n.team_id);
        };
        if actor.volunteer_id == Some(v) {
            return Ok(true);
        }
        let unit = volunteers::get(&self.db, v).await?.unit_id;
        let teams = figures::teams_of(&self.db, v).await?;
        Ok(actor.unit_id == Some(unit) || actor.team_id.is_some_and(|t| teams.contains(&t)))
    }
}

/// The 422 code a failed eligibility rule is answered with.
fn rule_code(reason: &str) -> &'static str {
    match reason {
        "inactive" => "inactive",
        "not_real_name" => "not_real_name",
        "too_few_hours" => "too_few_hours",
        "upheld_dispute" => "upheld_dispute",
        _ => "too_few_activities",
    }
}
