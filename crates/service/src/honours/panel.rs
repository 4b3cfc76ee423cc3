//! The review panel (评审组): accounts the center names for a round, each
//! member's vote per nominee, conflicts of interest (declared, or found
//! from a shared unit or team) kept out, and the decision the votes make.

use std::collections::HashMap;

use tongxing_domain::honours::panel::{outcome, PanelMember, PanelMemberInput, Tally, Vote, VoteInput, PANEL_ROLES, VOTES};
use tongxing_domain::honours::round::{Stage, NOTE_MAX};
use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::Invalid;
use tongxing_store::honours::{nominations, panel as store, rounds};
use tongxing_store::users;

use super::wrong_stage;
use crate::{Actor, Error, Result, Service};

/// The panel's tallies by nomination.
pub(crate) type Tallies = HashMap<i64, Tally>;

impl Service {
    /// The center names an account to a round's panel while nominations or
    /// review are open.
    pub async fn name_panel_member(&self, actor: &Actor, round_id: i64, input: &PanelMemberInput, now: i64) -> Result<PanelMember> {
        self.require_honours_center(actor)?;
        let r = rounds::get(&self.db, round_id).await?;
        let user = users::get(&self.db, input.user_id).await.map_err(|_| Error::unknown_reference("user_id"))?;
        if !user.active || !PANEL_ROLES.contains(&user.role) {
            return Err(Error::Validation(Invalid::one("user_id", "not_a_reviewer")));
        }
        if !matches!(r.stage, Stage::Nominating | Stage::Review) {
            return Err(Error::Conflict { code: "wrong_stage", field: None });
        }
        if !store::add(&self.db, round_id, user.id, actor.id, now).await? {
            return Err(Error::Conflict { code: "already_on_panel", field: Some("user_id") });
        }
        let member = store::members(&self.db, round_id).await?.into_iter().find(|m| m.user_id == user.id).ok_or(Error::NotFound)?;
        self.audit(Some(actor), "honour_panel.add", "honour_round", Some(round_id), Some(&member.name)).await?;
        Ok(member)
    }

    pub async fn honour_panel(&self, actor: &Actor, round_id: i64) -> Result<Vec<PanelMember>> {
        self.require(actor, Action::Read, Resource::Honour)?;
        rounds::get(&self.db, round_id).await?;
        Ok(store::members(&self.db, round_id).await?)
    }

    /// The accounts the center may name to a panel.
    pub async fn panel_candidates(&self, actor: &Actor) -> Result<Vec<PanelMember>> {
        self.require_honours_center(actor)?;
        Ok(store::candidates(&self.db, 500).await?)
    }

    pub async fn honour_votes(&self, actor: &Actor, round_id: i64) -> Result<Vec<Vote>> {
        self.require(actor, Action::Read, Resource::Honour)?;
        rounds::get(&self.db, round_id).await?;
        Ok(store::votes(&self.db, round_id).await?)
    }

    /// A panel member's vote (or declared conflict) on a nominee under
    /// review. A member sharing the nominee's unit or team may only declare.
    /// Once every member free to vote has voted, their majority decides the
    /// nomination (the center may still decide it after). The nomination's
    /// status after the vote.
    pub async fn vote_nomination(&self, actor: &Actor, round_id: i64, id: i64, input: &VoteInput, now: i64) -> Result<String> {
        let mut e = Invalid::default();
        e.optional_text("note", input.note.as_deref(), NOTE_MAX);
        if !VOTES.contains(&input.decision.as_str()) {
            e.push("decision", "unknown_decision");
        }
        e.into_result()?;
        let r = rounds::get(&self.db, round_id).await?;
        let members = store::members(&self.db, round_id).await?;
        if !members.iter().any(|m| m.user_id == actor.id) {
            return Err(Error::Forbidden);
        }
        let n = nominations::get(&self.db, id).await?;
        if n.round_id != round_id {
            return Err(Error::NotFound);
        }
        if r.stage != Stage::Review {
            return Err(Error::Conflict { code: "wrong_stage", field: None });
        }
        if input.decision != "conflict" && self.has_conflict(actor, &n).await? {
            return Err(Error::Conflict { code: "conflict_of_interest", field: None });
        }
        let note = input.note.as_deref().map(str::trim).filter(|s| !s.is_empty());
        if !store::vote(&self.db, id, actor.id, &input.decision, note, now).await? {
            return Err(Error::Conflict { code: "wrong_stage", field: None });
        }
        self.audit(Some(actor), "honour.vote", "honour_nomination", Some(id), Some(&input.decision)).await?;
        let tally = self.panel_tallies(round_id).await?.get(&id).copied().unwrap_or_default();
        let Some(status) = outcome(tally) else { return Ok(n.status) };
        let note = format!("{} {}/{}", status, tally.approve, tally.approve + tally.reject);
        nominations::decide(&self.db, id, status, Some(&note), actor.id).await.map_err(wrong_stage)?;
        self.audit(Some(actor), "honour.decide", "honour_nomination", Some(id), Some(&format!("panel: {note}"))).await?;
        Ok(status.to_string())
    }

    /// Each nomination's panel count: a member is out of a nominee when they
    /// declared a conflict, or (not having voted) share its unit or team.
    /// Empty for a round without a panel.
    pub(crate) async fn panel_tallies(&self, round_id: i64) -> Result<Tallies> {
        let members = store::members(&self.db, round_id).await?;
        if members.is_empty() {
            return Ok(Tallies::new());
        }
        let votes = store::votes(&self.db, round_id).await?;
        let mut seats = Vec::with_capacity(members.len());
        for m in &members {
            seats.push(users::get(&self.db, m.user_id).await?);
        }
        let mut out = Tallies::new();
        for n in nominations::of_round(&self.db, round_id).await? {
            let mut t = Tally { members: members.len(), ..Tally::default() };
            for seat in &seats {
                match votes.iter().find(|v| v.nomination_id == n.id && v.user_id == seat.id).map(|v| v.decision.as_str()) {
                    Some("approve") => t.approve += 1,
                    Some("reject") => t.reject += 1,
                    Some(_) => t.conflicted += 1,
                    None if self.has_conflict(seat, &n).await? => t.conflicted += 1,
                    None => {}
                }
            }
            out.insert(n.id, t);
        }
        Ok(out)
    }
}
