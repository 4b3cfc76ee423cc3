//! Emergency dispatch (应急调度): preview a call's split, send it with its
//! first wave, send more waves, top up, close. Ranking runs on the in-memory
//! pool (`pool_cache`); answers are in `answers`, the board and report in `board`.

mod answers;
mod board;
pub mod pool_cache;

use std::collections::HashSet;

use rand::RngCore;
use serde::{Deserialize, Serialize};
use tongxing_domain::dispatch::quota::UnitQuota;
use tongxing_domain::dispatch::rank::{self, CallSpec, Ranked};
use tongxing_domain::dispatch::{CheckedDispatch, DispatchInput};
use tongxing_domain::model::Community;
use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_domain::time::rfc3339;
use tongxing_domain::Invalid;
use tongxing_store::dispatch::pool as call_pool;
use tongxing_store::dispatch::{self as store, Call, NewCall, Notice};
use tongxing_store::now_ms;
use tongxing_store::outbox::Message;
use tongxing_store::registry::{communities, units};
use utoipa::ToSchema;

pub use answers::Answered;
pub use board::{Board, Report, RosterLine, UnitLine};

use crate::delivery::{robot_body, text};
use crate::{Actor, Error, Result, Service};

/// What a coordinator sees before sending: each unit's eligible people near
/// the place and the proposed quota.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Preview {
    pub needed: u32,
    pub eligible: u32,
    pub quotas: Vec<UnitQuota>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
    pub quotas: Vec<UnitQuota>,
    /// People notified in the first wave.
    pub notified: usize,
}

/// Someone who could come, as the candidates list shows them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Candidate {
    pub volunteer_id: i64,
    pub unit_id: i64,
    pub distance_km: f64,
    pub score: f64,
    /// Already asked on this call.
    pub notified: bool,
}

/// A further wave: how many more were asked (0 when nobody is left to ask).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Wave {
    pub wave: i64,
    pub notified: usize,
}

pub(crate) fn secret() -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    tongxing_domain::activities::token(b)
}

impl Service {
    fn require_dispatcher(&self, actor: &Actor) -> Result<()> {
        match self.require(actor, Action::Write, Resource::Dispatch)? {
            Scope::All => Ok(()),
            _ => Err(Error::Forbidden),
        }
    }

    /// The checked input, the place, and the ranking's view of the call.
    async fn call_spec(&self, input: &DispatchInput, now: i64) -> Result<(CheckedDispatch, Community, CallSpec)> {
        let checked = input.check(now)?;
        let place = communities::get(&self.db, input.community_id).await.map_err(|_| Error::unknown_reference("community_id"))?;
        for &u in &input.unit_ids {
            if !units::exists(&self.db, u).await? {
                return Err(Error::unknown_reference("unit_ids"));
            }
        }
        let spec = CallSpec {
            lat: input.lat.unwrap_or(place.lat),
            lng: input.lng.unwrap_or(place.lng),
            starts_ms: checked.starts_ms,
            ends_ms: checked.ends_ms,
            now_ms: now,
            skills: checked.skills.clone(),
            unit_ids: input.unit_ids.clone(),
            max_distance_km: checked.radius_km,
            served_lately_after_ms: rank::served_lately_after(checked.starts_ms, self.settings.dispatch_rest_days),
        };
        Ok((checked, place, spec))
    }

    /// Everyone who is busy then, or already on this call.
    async fn skip_set(&self, spec: &CallSpec, call: Option<i64>) -> Result<HashSet<i64>> {
        let mut skip: HashSet<i64> = call_pool::busy(&self.db, spec.starts_ms, spec.ends_ms).await?.into_iter().collect();
        if let Some(id) = call {
            skip.extend(store::asked(&self.db, id).await?);
        }
        Ok(skip)
    }

    /// The split a call would get, without sending anything.
    pub async fn preview_dispatch(&self, actor: &Actor, input: &DispatchInput) -> Result<Preview> {
        self.require_dispatcher(actor)?;
        let (checked, _, spec) = self.call_spec(input, now_ms()).await?;
        let skip = self.skip_set(&spec, None).await?;
        let plan = self.call_pool.with(&self.db, |pool| rank::plan(pool, &spec, &skip, checked.needed, None)).await?;
        let eligible = plan.quotas.iter().map(|q| q.eligible).sum();
        Ok(Preview { needed: checked.needed, eligible, quotas: plan.quotas })
    }

    /// Sends a call: stores it with its quotas and backing activity and
    /// notifies the first wave and the liaisons, in one transaction. Answer
    /// links in SMS start with `public_base`.
    pub async fn create_dispatch(&self, actor: &Actor, input: &DispatchInput, public_base: &str) -> Result<Created> {
        self.require_dispatcher(actor)?;
        let now = now_ms();
        let (checked, place, spec) = self.call_spec(input, now).await?;
        let adjusted = adjusted_quotas(input);
        let skip = self.skip_set(&spec, None).await?;
        let plan = self.call_pool.with(&self.db, |pool| rank::plan(pool, &spec, &skip, checked.needed, adjusted.as_deref())).await?;
        if let Some(q) = &adjusted {
            let chosen: Vec<UnitQuota> = plan
                .quotas
                .iter()
                .map(|p| UnitQuota { quota: q.iter().find(|x| x.unit_id == p.unit_id).map_or(0, |x| x.quota), ..*p })
                .collect();
            tongxing_domain::dispatch::quota::check_adjusted(checked.needed, &chosen).map_err(|code| Invalid::one("quotas", code))?;
        }
        let team_id = self.lead_team(input.team_id, &plan.quotas, place.district_id).await?;
        let call = NewCall {
            title: input.title.trim().to_string(),
            description: input.description.clone().filter(|d| !d.trim().is_empty()),
            address: input.address.clone().filter(|d| !d.trim().is_empty()),
            community_id: place.id,
            district_id: place.district_id,
            lat: spec.lat,
            lng: spec.lng,
            radius_km: checked.radius_km,
            skills: checked.skills.clone(),
            starts_at: checked.starts_ms,
            ends_at: checked.ends_ms,
            needed: i64::from(checked.needed),
            team_id,
            checkin_token: secret(),
            created_by: Some(actor.id),
            quotas: plan.quotas.iter().map(|q| (q.unit_id, i64::from(q.eligible), i64::from(q.quota))).collect(),
        };
        let notices = self.notices(&call.title, call.starts_at, &plan.wave, public_base);
        let robots = self.quota_robots(&call, &plan.quotas).await?;
        let id = store::create(&self.db, &call, &notices, &robots).await?;
        self.audit(Some(actor), "create", "dispatch", Some(id), None).await?;
        Ok(Created { id, quotas: plan.quotas, notified: notices.len() })
    }

    /// Asks more people, unit by unit, for what each unit still lacks.
    pub async fn send_wave(&self, actor: &Actor, id: i64, public_base: &str) -> Result<Wave> {
        self.require_dispatcher(actor)?;
        let call = store::get(&self.db, id).await?;
        if call.status == "closed" {
            return Err(Error::Conflict { code: "call_closed", field: None });
        }
        let units = self.unit_lines(&call).await?;
        let mut spec = spec_of(&call, now_ms(), self.settings.dispatch_rest_days);
        spec.unit_ids = units.iter().map(|u| u.unit_id).collect();
        let skip = self.skip_set(&spec, Some(id)).await?;
        let wave: Vec<Ranked> = self
            .call_pool
            .with(&self.db, |pool| {
                // What each unit still lacks is its quota for this wave;
                // `plan` groups the eligible by unit and picks each one's best.
                let lacking: Vec<UnitQuota> = units
                    .iter()
                    .map(|u| UnitQuota { unit_id: u.unit_id, eligible: 0, quota: (u.quota - u.confirmed).max(0) as u32 })
                    .collect();
                let short_overall = (call.needed - call.confirmed).max(0) as u32;
                let mut out = rank::plan(pool, &spec, &skip, short_overall, Some(&lacking)).wave;
                // Units without a quota help when the quotas cannot fill.
                if out.len() < short_overall as usize {
                    let taken: HashSet<i64> = out.iter().map(|o| o.volunteer_id).collect();
                    let mut rest = rank::eligible(pool, &spec, &skip);
                    rest.retain(|p| !taken.contains(&p.volunteer_id));
                    out.extend(rank::wave_of(rest, short_overall - out.len() as u32));
                }
                out
            })
            .await?;
        if wave.is_empty() {
            return Ok(Wave { wave: call.waves, notified: 0 });
        }
        let notices = self.notices(&call.title, call.starts_at, &wave, public_base);
        let n = store::add_wave(&self.db, id, &notices).await.map_err(|e| match e {
            tongxing_store::Error::Conflict => Error::Conflict { code: "call_closed", field: None },
            other => other.into(),
        })?;
        self.audit(Some(actor), "wave", "dispatch", Some(id), None).await?;
        Ok(Wave { wave: n, notified: notices.len() })
    }

    /// Raises what the call needs: standby people move up first, then, if
    /// it is still short, the next wave is asked.
    pub async fn top_up_dispatch(&self, actor: &Actor, id: i64, add: i64, public_base: &str) -> Result<Wave> {
        self.require_dispatcher(actor)?;
        let call = store::get(&self.db, id).await?;
        if !(1..=i64::from(tongxing_domain::dispatch::NEEDED_MAX) - call.needed).contains(&add) {
            return Err(Invalid::one("add", "out_of_range").into());
        }
        tongxing_store::dispatch::answers::top_up(&self.db, id, add).await.map_err(|e| match e {
            tongxing_store::Error::Conflict => Error::Conflict { code: "call_closed", field: None },
            other => other.into(),
        })?;
        self.audit(Some(actor), "top_up", "dispatch", Some(id), Some(&add.to_string())).await?;
        let after = store::get(&self.db, id).await?;
        if after.confirmed < after.needed {
            return self.send_wave(actor, id, public_base).await;
        }
        Ok(Wave { wave: after.waves, notified: 0 })
    }

    pub async fn close_dispatch(&self, actor: &Actor, id: i64) -> Result<Call> {
        self.require_dispatcher(actor)?;
        if store::close(&self.db, id).await? {
            self.audit(Some(actor), "close", "dispatch", Some(id), None).await?;
        }
        Ok(store::get(&self.db, id).await?)
    }

    pub async fn dispatches(&self, actor: &Actor) -> Result<Vec<Call>> {
        self.require(actor, Action::Read, Resource::Dispatch)?;
        Ok(store::recent(&self.db, 100).await?)
    }

    /// The ranked candidates for a call as it stands, best first (at most
    /// `limit`), each marked if already asked.
    pub async fn candidates(&self, actor: &Actor, id: i64, limit: usize) -> Result<Vec<Candidate>> {
        self.require_dispatcher(actor)?;
        let asked: HashSet<i64> = store::asked(&self.db, id).await?.into_iter().collect();
        let ranked = self.ranked(id, limit).await?;
        Ok(ranked
            .into_iter()
            .map(|r| Candidate {
                notified: asked.contains(&r.volunteer_id),
                volunteer_id: r.volunteer_id,
                unit_id: r.unit_id,
                distance_km: r.distance_km,
                score: r.score,
            })
            .collect())
    }

    pub(crate) async fn ranked(&self, id: i64, limit: usize) -> Result<Vec<Ranked>> {
        let call = store::get(&self.db, id).await?;
        let spec = spec_of(&call, now_ms(), self.settings.dispatch_rest_days);
        let skip = self.skip_set(&spec, None).await?;
        self.call_pool
            .with(&self.db, |pool| {
                let mut all = rank::eligible(pool, &spec, &skip);
                all.sort_unstable_by(rank::best_first);
                all.truncate(limit);
                all
            })
            .await
    }

    fn notices(&self, title: &str, starts_at: i64, wave: &[Ranked], public_base: &str) -> Vec<Notice> {
        let when = rfc3339(starts_at).replace('T', " ");
        let when = when.get(..16).unwrap_or(&when);
        wave.iter()
            .map(|r| {
                let token = secret();
                // The one-tap answer link.
                let link = format!("{public_base}/r/{token}");
                let sms = self.settings.sms_gateway_url.as_ref().map(|_| text("sms.dispatch_called", &[title, when, &link]));
                Notice { volunteer_id: r.volunteer_id, unit_id: r.unit_id, score: r.score, distance_km: r.distance_km, token, sms }
            })
            .collect()
    }

    /// Robot messages to the liaison channels of units with a quota.
    async fn quota_robots(&self, call: &NewCall, quotas: &[UnitQuota]) -> Result<Vec<Message>> {
        let title = text("robot.dispatch.title", &[]);
        let mut urls = units::webhooks(&self.db).await?;
        let mut out = Vec::new();
        for q in quotas.iter().filter(|q| q.quota > 0) {
            if let Some(url) = urls.remove(&q.unit_id) {
                let markdown = text("robot.dispatch.text", &[&call.title, &rfc3339(call.starts_at), &q.quota.to_string()]);
                out.push(Message { kind: "webhook", body: robot_body(&url, &title, &markdown), target: url });
            }
        }
        Ok(out)
    }

    /// The team leading on site: the one chosen, else a team of the unit
    /// with the largest quota, else any active team of the district.
    async fn lead_team(&self, chosen: Option<i64>, quotas: &[UnitQuota], district_id: i64) -> Result<i64> {
        if let Some(t) = chosen {
            tongxing_store::registry::teams::get(&self.db, t).await.map_err(|_| Error::unknown_reference("team_id"))?;
            return Ok(t);
        }
        let mut by_quota: Vec<&UnitQuota> = quotas.iter().collect();
        by_quota.sort_by(|a, b| b.quota.cmp(&a.quota).then(a.unit_id.cmp(&b.unit_id)));
        let units: Vec<i64> = by_quota.iter().map(|q| q.unit_id).collect();
        call_pool::lead_team(&self.db, &units, district_id).await?.ok_or_else(|| Error::unknown_reference("team_id"))
    }
}

fn adjusted_quotas(input: &DispatchInput) -> Option<Vec<UnitQuota>> {
    input.quotas.as_ref().map(|q| q.iter().map(|x| UnitQuota { unit_id: x.unit_id, eligible: 0, quota: x.quota.max(0) as u32 }).collect())
}

fn spec_of(call: &Call, now: i64, rest_days: u32) -> CallSpec {
    CallSpec {
        lat: call.lat,
        lng: call.lng,
        starts_ms: call.starts_at,
        ends_ms: call.ends_at,
        now_ms: now,
        skills: call.skill_list(),
        unit_ids: Vec::new(),
        max_distance_km: call.radius_km,
        served_lately_after_ms: rank::served_lately_after(call.starts_at, rest_days),
    }
}
