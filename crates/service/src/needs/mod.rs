//! The needs marketplace: a resident's request from submission to a rated
//! service. Every move is checked against the status machine and recorded.

use rand::RngCore;
use serde::Deserialize;
use tongxing_domain::model::Paged;
use tongxing_domain::needs::{self, CheckedNeed, Need, NeedEvent, NeedInput, Status};
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_domain::role::Role;
use tongxing_domain::{phone, throttle, Invalid};
use tongxing_store::needs::{self as store, Change, Filter, NewNeed};
use tongxing_store::{
    now_ms,
    registry::{communities, teams},
};
use utoipa::ToSchema;

use crate::{Actor, Error, Result, Service};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ServedHours {
    #[schema(schema_with = tongxing_domain::schema::id)]
    pub volunteer_id: i64,
    /// More than 0, at most 24.
    #[schema(exclusive_minimum = 0.0, maximum = 24.0)]
    pub hours: f64,
}

/// A rejection's reason, as the resident reads it.
pub const REASON_MAX: usize = 500;

pub(crate) fn conflict(code: &'static str) -> Error {
    Error::Conflict { code, field: None }
}

fn random_code() -> String {
    let mut b = [0u8; 8];
    rand::thread_rng().fill_bytes(&mut b);
    needs::tracking_code(b)
}

impl Service {
    /// Takes a need from anyone: residents without an account (throttled per
    /// phone and address), or staff entering what came by another channel.
    pub async fn submit_need(&self, actor: Option<&Actor>, input: &NeedInput, ip: &str) -> Result<(i64, String)> {
        let CheckedNeed { phone, channel, volunteers_needed } = input.check()?;
        // Residents always come in online; other channels are for staff to record.
        let channel = if actor.is_none() { "online" } else { channel };
        if actor.is_none() {
            let s = &self.settings;
            self.hit(&throttle::need_phone(&phone), s.needs_per_phone_per_hour, 3_600_000, now_ms()).await?;
            self.hit(&throttle::need_address(ip), s.needs_per_ip_per_hour, 3_600_000, now_ms()).await?;
        }
        let community = communities::get(&self.db, input.community_id).await.map_err(|e| match e {
            tongxing_store::Error::NotFound => Error::unknown_reference("community_id"),
            other => other.into(),
        })?;
        let mut new = NewNeed {
            tracking_code: random_code(),
            title: input.title.clone(),
            description: input.description.clone(),
            category: input.category.clone(),
            community_id: community.id,
            district_id: community.district_id,
            requester_name: input.requester_name.clone(),
            requester_phone: phone,
            channel,
            volunteers_needed,
            submitted_by: actor.map(|a| a.id),
            submitter_ip: Some(ip.to_string()),
        };
        // A clash of random codes is astronomically rare; try a fresh one once.
        let id = match store::create(&self.db, &new).await {
            Err(tongxing_store::Error::Conflict) => {
                new.tracking_code = random_code();
                store::create(&self.db, &new).await?
            }
            other => other?,
        };
        Ok((id, new.tracking_code))
    }

    /// Several needs gathered at one meeting, entered by staff in one go. Every
    /// entry is checked before any is stored, and a problem names its entry
    /// (`items[2].requester_phone`), so a sheet of needs is fixed and resent whole.
    pub async fn submit_needs_batch(&self, actor: &Actor, inputs: &[NeedInput]) -> Result<Vec<(i64, String)>> {
        self.require(actor, Action::Write, Resource::Need)?;
        if inputs.is_empty() || inputs.len() > 100 {
            return Err(Error::Validation(Invalid::one("items", "out_of_range")));
        }
        let mut problems = Invalid::default();
        for (i, input) in inputs.iter().enumerate() {
            let mut found = input.check().err().unwrap_or_default();
            if communities::get(&self.db, input.community_id).await.is_err() {
                found.push("community_id", "unknown_reference");
            }
            for f in found.0 {
                problems.push(&format!("items[{i}].{}", f.field), f.code);
            }
        }
        problems.into_result()?;
        let mut created = Vec::with_capacity(inputs.len());
        for input in inputs {
            created.push(self.submit_need(Some(actor), input, "").await?);
        }
        Ok(created)
    }

    /// The queue: most urgent first. Lists mask the requester's phone.
    pub async fn list_needs(&self, actor: &Actor, mut f: Filter, page: Page) -> Result<Paged<Need>> {
        if self.require(actor, Action::Read, Resource::Need)? == Scope::OwnTeam {
            let team = teams::get(&self.db, actor.team_id.ok_or(Error::Forbidden)?).await?;
            f.claimable_by_or_held = Some((team.id, team.district_id, team.category));
        }
        let mut list = store::list(&self.db, &f, page).await?;
        list.items.iter_mut().for_each(|n| n.requester_phone = phone::mask(&n.requester_phone));
        Ok(list)
    }

    /// One need and its history. The coordinator and the team serving it see
    /// the requester's full phone (to call them); each such read is audited.
    pub async fn get_need(&self, actor: &Actor, id: i64) -> Result<(Need, Vec<NeedEvent>)> {
        let scope = self.require(actor, Action::Read, Resource::Need)?;
        let mut need = store::get(&self.db, id).await?;
        let holder = need.team_id.is_some() && need.team_id == actor.team_id;
        if scope == Scope::OwnTeam && !self.leader_reaches(actor, &need).await? {
            return Err(Error::Forbidden);
        }
        if matches!(actor.role, Role::Admin | Role::Coordinator) || holder {
            self.audit(Some(actor), "read_phone", "need", Some(id), None).await?;
        } else {
            need.requester_phone = phone::mask(&need.requester_phone);
        }
        Ok((need, store::events(&self.db, id).await?))
    }

    /// Whether a need is within a team leader's reach: their team holds it, or
    /// it is offered to teams like theirs — published (to take it) or claimed
    /// by another team (to ask to take it over) in their district and category.
    async fn leader_reaches(&self, actor: &Actor, need: &Need) -> Result<bool> {
        let holder = need.team_id.is_some() && need.team_id == actor.team_id;
        let offered = matches!(need.status, Status::Published | Status::Claimed);
        Ok(holder || (offered && self.team_fits(actor.team_id, need).await?))
    }

    /// Moves `need` to `to` if the status machine allows it and nobody moved
    /// it first — a claimed need only while the team read with it still holds it.
    async fn move_need(&self, need: &Need, to: Status, change: Change) -> Result<()> {
        if !need.status.can_become(to) {
            return Err(conflict("invalid_transition"));
        }
        let change = Change { holder: need.team_id.filter(|_| need.status == Status::Claimed), ..change };
        if store::transition(&self.db, need.id, need.status, to, &change).await? {
            Ok(())
        } else {
            Err(conflict("concurrent_change"))
        }
    }

    /// The coordinator publishes a need, or rejects it with a reason the resident will see.
    pub async fn review_need(&self, actor: &Actor, id: i64, publish: bool, reason: Option<&str>) -> Result<()> {
        self.require(actor, Action::Write, Resource::Need)?;
        let need = store::get(&self.db, id).await?;
        let mut e = Invalid::default();
        e.optional_text("reason", reason, REASON_MAX);
        e.into_result()?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if !publish && reason.is_none() {
            return Err(Error::Validation(Invalid::one("reason", "required")));
        }
        let to = if publish { Status::Published } else { Status::Rejected };
        // Publishing offers the need to the teams that fit it.
        let notify = match publish {
            true => self.fitting_leaders(&need).await?.into_iter().map(|u| (u, "need_published".to_string())).collect(),
            false => Vec::new(),
        };
        let outbox = match (publish, reason) {
            (true, _) => {
                let mut out = self.robot_messages(&need).await?;
                out.extend(self.sms(&need, "sms.published", &[&need.title, &need.tracking_code]));
                out
            }
            (false, Some(r)) => self.sms(&need, "sms.rejected", &[&need.title, r]),
            (false, None) => Vec::new(),
        };
        let change = Change {
            reject_reason: reason.filter(|_| !publish).map(str::to_string),
            user_id: Some(actor.id),
            note: reason.map(str::to_string),
            notify,
            outbox,
            ..Default::default()
        };
        self.move_need(&need, to, change).await
    }

    /// A duplicate is folded into the need it repeats.
    pub async fn merge_need(&self, actor: &Actor, id: i64, into: i64) -> Result<()> {
        self.require(actor, Action::Write, Resource::Need)?;
        let need = store::get(&self.db, id).await?;
        let target = store::get(&self.db, into).await.map_err(|_| Error::unknown_reference("into"))?;
        if target.id == need.id || !target.status.is_open() {
            return Err(Error::Validation(Invalid::one("into", "unknown_reference")));
        }
        let change =
            Change { merged_into: Some(target.id), user_id: Some(actor.id), note: Some(target.tracking_code), ..Default::default() };
        self.move_need(&need, Status::Cancelled, change).await
    }

    /// A team takes a published need (抢单), or the center assigns it (派单).
    /// Exactly one team holds a need: a second claim is 409 `already_claimed`.
    pub async fn claim_need(&self, actor: &Actor, id: i64, team_id: i64) -> Result<()> {
        let assigning = matches!(actor.role, Role::Admin | Role::Coordinator);
        let own_team = actor.role == Role::TeamLeader && actor.team_id == Some(team_id);
        if !(assigning || own_team) {
            return Err(Error::Forbidden);
        }
        let team = teams::get(&self.db, team_id).await.map_err(|_| Error::unknown_reference("team_id"))?;
        if !team.active {
            return Err(Error::unknown_reference("team_id"));
        }
        let need = store::get(&self.db, id).await?;
        // A leader takes only what is offered to their team (抢单); the center assigns any team (派单).
        if !assigning && !self.leader_reaches(actor, &need).await? {
            return Err(Error::Forbidden);
        }
        if need.status == Status::Claimed {
            return Err(conflict("already_claimed"));
        }
        if need.status != Status::Published {
            return Err(conflict("invalid_transition"));
        }
        let note = if assigning { Some("dispatched".to_string()) } else { None };
        // An assigned team hears about it; a team that took it knows already.
        let notify = if assigning {
            self.team_leaders(team.id).await?.into_iter().map(|u| (u, "need_assigned".to_string())).collect()
        } else {
            Vec::new()
        };
        let outbox = self.sms(&need, "sms.claimed", &[&need.title, &team.name, &need.tracking_code]);
        let change = Change { team_id: Some(Some(team.id)), user_id: Some(actor.id), note, notify, outbox, ..Default::default() };
        match store::transition(&self.db, id, Status::Published, Status::Claimed, &change).await? {
            true => Ok(()),
            false => Err(conflict("already_claimed")),
        }
    }

    /// The holding team gives a need back to the pool.
    pub async fn release_need(&self, actor: &Actor, id: i64) -> Result<()> {
        let need = store::get(&self.db, id).await?;
        self.require_holder_or_center(actor, &need)?;
        let change = Change { team_id: Some(None), user_id: Some(actor.id), note: Some("released".into()), ..Default::default() };
        self.move_need(&need, Status::Published, change).await
    }

    fn require_holder_or_center(&self, actor: &Actor, need: &Need) -> Result<()> {
        let holder = actor.role == Role::TeamLeader && need.team_id.is_some() && actor.team_id == need.team_id;
        if holder || matches!(actor.role, Role::Admin | Role::Coordinator) {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// Closes a served need; the hours go into the ledger as need-service
    /// entries recorded by the closing leader, in the same transaction.
    pub async fn complete_need(&self, actor: &Actor, id: i64, summary: &str, hours: &[ServedHours]) -> Result<()> {
        let need = store::get(&self.db, id).await?;
        self.require_holder_or_center(actor, &need)?;
        let mut e = Invalid::default();
        e.text("summary", summary, needs::DESCRIPTION_MAX);
        if hours.iter().any(|h| !(h.hours > 0.0 && h.hours <= 24.0)) {
            e.push("hours", "out_of_range");
        }
        let mut ids: Vec<i64> = hours.iter().map(|h| h.volunteer_id).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() != hours.len() {
            e.push("hours", "duplicate_in_file");
        }
        e.into_result()?;
        // Hours go into each person's ledger: a leader credits their team's members only.
        let scope = self.require(actor, Action::Write, Resource::Hours)?;
        for v in &ids {
            self.volunteer_in_scope(actor, scope, *v).await.map_err(|e| match e {
                Error::NotFound => Error::unknown_reference("hours"),
                other => other,
            })?;
        }
        let change = Change {
            summary: Some(summary.trim().to_string()),
            user_id: Some(actor.id),
            hours: hours.iter().map(|h| (h.volunteer_id, h.hours)).collect(),
            served_on: Some(crate::registry::volunteers::region_today().to_string()),
            outbox: self.sms(&need, "sms.completed", &[&need.title, &need.tracking_code]),
            ..Default::default()
        };
        self.move_need(&need, Status::Completed, change).await
    }

    /// Gives needs whose claim showed no progress within the configured time
    /// back to the pool, each with an "expired" line in its history. A need
    /// that moved meanwhile is left alone. Returns how many expired.
    pub async fn expire_stale_claims(&self) -> Result<usize> {
        let before = now_ms() - self.settings.claim_expiry_hours * 3_600_000;
        let mut expired = 0;
        for id in store::stale_claims(&self.db, before).await? {
            let former = store::get(&self.db, id).await?.team_id;
            let notify = match former {
                Some(t) => self.team_leaders(t).await?.into_iter().map(|u| (u, "claim_expired".to_string())).collect(),
                None => Vec::new(),
            };
            let change = Change { team_id: Some(None), note: Some("expired".into()), notify, holder: former, ..Default::default() };
            if store::transition(&self.db, id, Status::Claimed, Status::Published, &change).await? {
                expired += 1;
            }
        }
        Ok(expired)
    }

    /// Recomputes every open need's warning level now; returns how many changed.
    pub async fn recompute_warnings(&self) -> Result<u64> {
        Ok(store::recompute_warnings(&self.db, &self.settings.warning_limits, now_ms()).await?)
    }
}

mod demo;
mod resident;
pub mod takeover;

pub use resident::{Tracking, TrackingStep};
