//! Take-over requests (转单): the leader of another fitting team asks, with a
//! reason, to take over a claimed need; the holding team's leader — or the
//! center — accepts (the need moves, atomically) or declines.

use tongxing_domain::needs::{Need, Status};
use tongxing_domain::role::Role;
use tongxing_domain::takeover::{check_reason, TakeoverRequest, TakeoverStatus};
use tongxing_store::needs::takeovers::{self as store, Decision, NewRequest};
use tongxing_store::{needs, registry::teams};

use crate::needs::conflict;
use crate::{Actor, Error, Result, Service};

fn told(users: Vec<i64>, kind: &str) -> Vec<(i64, String)> {
    users.into_iter().map(|u| (u, kind.to_string())).collect()
}

impl Service {
    /// Whether a team may serve a need: same district and service category, still active.
    pub async fn team_fits(&self, team_id: Option<i64>, need: &Need) -> Result<bool> {
        let Some(id) = team_id else { return Ok(false) };
        let team = teams::get(&self.db, id).await?;
        Ok(tongxing_domain::needs::team_fits(&team, need.district_id, &need.category))
    }

    /// A leader asks for their team to take over a need another team holds.
    /// The holder's leaders are told in the same transaction. One open
    /// request per team and need: a second is 409 `takeover_pending`.
    pub async fn request_takeover(&self, actor: &Actor, need_id: i64, team_id: i64, reason: &str) -> Result<i64> {
        if !(actor.role == Role::TeamLeader && actor.team_id == Some(team_id)) {
            return Err(Error::Forbidden);
        }
        let reason = check_reason(reason)?;
        let need = needs::get(&self.db, need_id).await?;
        let holder = match (need.status, need.team_id) {
            (Status::Claimed, Some(t)) => t,
            _ => return Err(conflict("invalid_transition")),
        };
        if holder == team_id {
            return Err(conflict("already_holder"));
        }
        if !self.team_fits(Some(team_id), &need).await? {
            return Err(Error::Validation(tongxing_domain::Invalid::one("team_id", "team_not_fitting")));
        }
        let notify = told(self.team_leaders(holder).await?, "takeover_requested");
        let new = NewRequest { need_id, team_id, holder_team_id: holder, reason, requested_by: actor.id, notify };
        match store::create(&self.db, &new).await {
            Ok(Some(id)) => Ok(id),
            Ok(None) => Err(conflict("concurrent_change")),
            Err(tongxing_store::Error::Conflict) => Err(conflict("takeover_pending")),
            Err(e) => Err(e.into()),
        }
    }

    /// The open requests for a need the caller was allowed to read (`get_need`).
    pub async fn open_takeovers(&self, need: &Need) -> Result<Vec<TakeoverRequest>> {
        Ok(store::open_for(&self.db, need.id).await?)
    }

    /// The holding team's leader, or the center, decides an open request.
    /// Accepting moves the need to the requesting team only if it is still
    /// held by the team asked; 409 `takeover_closed` if it was decided or
    /// ended meanwhile.
    pub async fn decide_takeover(&self, actor: &Actor, need_id: i64, request_id: i64, accept: bool) -> Result<()> {
        let req = store::get(&self.db, request_id).await?;
        if req.need_id != need_id {
            return Err(Error::NotFound);
        }
        let center = matches!(actor.role, Role::Admin | Role::Coordinator);
        let holder = actor.role == Role::TeamLeader && actor.team_id == Some(req.holder_team_id);
        if !(center || holder) {
            return Err(Error::Forbidden);
        }
        if req.status != TakeoverStatus::Open {
            return Err(conflict("takeover_closed"));
        }
        let done = if accept { self.accept_takeover(actor, &req, holder).await? } else { self.decline_takeover(actor, &req).await? };
        if done {
            Ok(())
        } else {
            Err(conflict("takeover_closed"))
        }
    }

    /// The asking team hears it got the need, the former holder (unless it
    /// decided itself) that it lost it, and the resident who now serves them.
    async fn accept_takeover(&self, actor: &Actor, req: &TakeoverRequest, by_holder: bool) -> Result<bool> {
        let mut notify = told(self.team_leaders(req.team_id).await?, "takeover_accepted");
        if !by_holder {
            notify.extend(told(self.team_leaders(req.holder_team_id).await?, "need_taken_over"));
        }
        let need = needs::get(&self.db, req.need_id).await?;
        let outbox = self.sms(&need, "sms.taken_over", &[&need.title, &req.team_name, &need.tracking_code]);
        Ok(store::accept(&self.db, req, &Decision { decided_by: actor.id, notify, outbox }).await?)
    }

    async fn decline_takeover(&self, actor: &Actor, req: &TakeoverRequest) -> Result<bool> {
        let notify = told(self.team_leaders(req.team_id).await?, "takeover_declined");
        Ok(store::decline(&self.db, req, &Decision { decided_by: actor.id, notify, outbox: Vec::new() }).await?)
    }
}
