//! 爱心守护 one-to-one care (issue #15): pairing, the pair's page with its
//! whole history, pauses, ends and handovers. Visits, the ledger and the
//! concern-to-need step are in `visits`; warnings and escalation in `warnings`.

pub mod dashboard;
mod demo;
pub mod visits;
mod warnings;

use chrono::Datelike;
use tongxing_domain::care::due::{day_number, day_of_ms, default_every_days, first_due, overdue_cutoffs};
use tongxing_domain::care::suggest::{suggest, Candidate, Wanted, SHOWN};
use tongxing_domain::care::{BeneficiaryCare, Coverage, EndInput, HandoverInput, Pair, PairDetail, PairInput, PauseInput, Visit, HELP_MAX};
use tongxing_domain::model::{Paged, Volunteer};
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_domain::role::Role;
use tongxing_domain::time::region_date;
use tongxing_domain::Invalid;
use tongxing_store::care::figures::{self, Counts, Reach};
use tongxing_store::care::{self as store, visits as visit_rows, Filter, Near, NewPair};
use tongxing_store::now_ms;
use tongxing_store::registry::{beneficiaries, communities, volunteers as volunteer_rows};

use crate::{Actor, Error, Result, Service};

pub use store::Stored;

/// How many visits a pair's page shows (the newest).
const VISITS_SHOWN: i64 = 200;

fn conflict(code: &'static str, field: &'static str) -> Error {
    Error::Conflict { code, field: Some(field) }
}

fn today() -> i64 {
    day_of_ms(now_ms())
}

/// What care asks of a role on its first screen.
#[derive(Debug, Clone, Default)]
pub enum CarePrompt {
    #[default]
    Nothing,
    /// A volunteer's open pairs, the soonest due first.
    Mine(Vec<Pair>),
    /// Overdue and handover counts of the leader's team, the liaison's unit or the region.
    Overdue(Counts),
}

impl Service {
    /// The actor's reach over a pair's volunteer: the center all, a liaison
    /// their unit's, a leader their team's, a volunteer their own.
    async fn care_scope(&self, actor: &Actor, action: Action, volunteer_id: i64) -> Result<(Scope, Volunteer)> {
        let scope = self.require(actor, action, Resource::Care)?;
        Ok((scope, self.volunteer_in_scope(actor, scope, volunteer_id).await?))
    }

    /// 403 unless the actor may arrange pairs (not a volunteer for themselves).
    fn arranges_pairs(&self, actor: &Actor) -> Result<Scope> {
        match self.require(actor, Action::Write, Resource::Care)? {
            Scope::OwnRecord => Err(Error::Forbidden),
            s => Ok(s),
        }
    }

    /// A volunteer who may take a pair: known (422), within reach (403), active (422).
    async fn pairable_volunteer(&self, actor: &Actor, scope: Scope, id: i64) -> Result<Volunteer> {
        let v = match volunteer_rows::get(&self.db, id).await {
            Err(tongxing_store::Error::NotFound) => return Err(Error::unknown_reference("volunteer_id")),
            other => other?,
        };
        self.volunteer_in_scope(actor, scope, id).await?;
        if !v.active {
            return Err(Error::Validation(Invalid::one("volunteer_id", "volunteer_inactive")));
        }
        if store::load(&self.db, id).await? >= self.settings.care_max_pairs {
            return Err(conflict("care_load_full", "volunteer_id"));
        }
        Ok(v)
    }

    /// Pairs a volunteer with a beneficiary (结对). Returns the new pair.
    pub async fn create_pair(&self, actor: &Actor, input: &PairInput) -> Result<Pair> {
        let scope = self.arranges_pairs(actor)?;
        let c = input.check()?;
        let b = match beneficiaries::get(&self.db, input.beneficiary_id).await {
            Err(tongxing_store::Error::NotFound) => return Err(Error::unknown_reference("beneficiary_id")),
            other => other?,
        };
        let v = self.pairable_volunteer(actor, scope, input.volunteer_id).await?;
        if !b.active {
            return Err(Error::Validation(Invalid::one("beneficiary_id", "care_beneficiary_inactive")));
        }
        let open = store::of_beneficiary(&self.db, b.id).await?.into_iter().filter(|p| p.pair.is_open()).collect::<Vec<_>>();
        if open.iter().any(|p| p.pair.volunteer_id == v.id) {
            return Err(conflict("care_pair_exists", "volunteer_id"));
        }
        if c.role == "primary" && open.iter().any(|p| p.pair.role == "primary") {
            return Err(conflict("care_primary_exists", "role"));
        }
        let starts = c.starts_on.unwrap_or_else(|| region_date(now_ms()));
        let every = c.every_days.unwrap_or_else(|| default_every_days(&b.kind));
        let district_id = communities::get(&self.db, b.community_id).await?.district_id;
        let new = NewPair {
            beneficiary_id: b.id,
            volunteer_id: v.id,
            role: c.role,
            unit_id: v.unit_id,
            community_id: b.community_id,
            district_id,
            every_days: every,
            starts_on: starts.to_string(),
            help: c.help,
            due_day: first_due(day_number(starts), every),
            previous_pair_id: None,
            handover_note: None,
            created_by: Some(actor.id),
        };
        let id = store::create(&self.db, &new).await.map_err(|e| match e {
            tongxing_store::Error::Conflict => conflict("care_pair_exists", "volunteer_id"),
            other => other.into(),
        })?;
        self.audit(Some(actor), "pair", "care_pair", Some(id), None).await?;
        Ok(store::get(&self.db, id).await?.pair)
    }

    /// Pairs within the actor's reach, filtered.
    pub async fn list_pairs(&self, actor: &Actor, mut f: Filter, page: Page) -> Result<Paged<Pair>> {
        match self.require(actor, Action::Read, Resource::Care)? {
            Scope::All => {}
            Scope::OwnUnit => f.unit_id = Some(actor.unit_id.ok_or(Error::Forbidden)?),
            Scope::OwnTeam => f.team_id = Some(actor.team_id.ok_or(Error::Forbidden)?),
            Scope::OwnRecord => f.volunteer_id = Some(actor.volunteer_id.ok_or(Error::Forbidden)?),
            Scope::Denied => return Err(Error::Forbidden),
        }
        f.overdue_by = self.care_cutoffs().0;
        let list = store::list(&self.db, &f, page).await?;
        Ok(Paged { items: list.items.into_iter().map(|s| s.pair).collect(), total: list.total })
    }

    /// Today's overdue and red cutoffs (due days), from the region's limits.
    fn care_cutoffs(&self) -> (i64, i64) {
        overdue_cutoffs(&self.settings.care_limits, today())
    }

    /// A pair with the beneficiary's visits and contact. Everyone who may
    /// read the pair may call the beneficiary; each such read is audited.
    pub async fn pair(&self, actor: &Actor, id: i64) -> Result<PairDetail> {
        let s = store::get(&self.db, id).await?;
        self.care_scope(actor, Action::Read, s.pair.volunteer_id).await?;
        let visits = self.visits_for(actor, s.pair.beneficiary_id).await?;
        self.detail(actor, s.pair, visits).await
    }

    async fn detail(&self, actor: &Actor, pair: Pair, visits: Vec<Visit>) -> Result<PairDetail> {
        let b = beneficiaries::get(&self.db, pair.beneficiary_id).await?;
        if b.phone.is_some() || b.address.is_some() {
            self.audit(Some(actor), "read_contact", "beneficiary", Some(b.id), None).await?;
        }
        Ok(PairDetail { pair, visits, phone: b.phone, address: b.address, contact_hidden: false })
    }

    /// The beneficiary's visits; notes the coordinator hid are kept from
    /// everyone but the center and the visit's own volunteer.
    async fn visits_for(&self, actor: &Actor, beneficiary_id: i64) -> Result<Vec<Visit>> {
        let center = matches!(actor.role, Role::Admin | Role::Coordinator);
        Ok(visit_rows::of_beneficiary(&self.db, beneficiary_id, VISITS_SHOWN)
            .await?
            .into_iter()
            .map(|mut v| {
                if v.notes_hidden && !center && actor.volunteer_id != Some(v.volunteer_id) {
                    v.notes = None;
                }
                v
            })
            .collect())
    }

    /// Every pair a beneficiary ever had, each with the visits made under it.
    /// The contact is shown to those who reach one of the pairs, else hidden.
    pub async fn beneficiary_care(&self, actor: &Actor, beneficiary_id: i64) -> Result<BeneficiaryCare> {
        let scope = self.require(actor, Action::Read, Resource::Care)?;
        let pairs = store::of_beneficiary(&self.db, beneficiary_id).await?;
        let mut reaches = scope == Scope::All;
        for p in &pairs {
            if !reaches {
                reaches = self.volunteer_in_scope(actor, scope, p.pair.volunteer_id).await.is_ok();
            }
        }
        if !reaches {
            return Err(Error::Forbidden);
        }
        let visits = self.visits_for(actor, beneficiary_id).await?;
        let pairs = pairs
            .into_iter()
            .map(|p| {
                let mine = visits.iter().filter(|v| v.pair_id == p.pair.id).cloned().collect();
                PairDetail { pair: p.pair, visits: mine, phone: None, address: None, contact_hidden: true }
            })
            .collect();
        let b = beneficiaries::get(&self.db, beneficiary_id).await?;
        if b.phone.is_some() || b.address.is_some() {
            self.audit(Some(actor), "read_contact", "beneficiary", Some(b.id), None).await?;
        }
        Ok(BeneficiaryCare { beneficiary_id, phone: b.phone, address: b.address, pairs })
    }

    /// The pair, checked to be within the actor's reach for arranging it.
    async fn arranged_pair(&self, actor: &Actor, id: i64) -> Result<Stored> {
        let scope = self.arranges_pairs(actor)?;
        let s = store::get(&self.db, id).await?;
        self.volunteer_in_scope(actor, scope, s.pair.volunteer_id).await?;
        Ok(s)
    }

    /// Pauses an active pair (a hospital stay, travel): it is never overdue while paused.
    pub async fn pause_pair(&self, actor: &Actor, id: i64, input: &PauseInput) -> Result<Pair> {
        let until = input.check(region_date(now_ms()))?;
        self.arranged_pair(actor, id).await?;
        let until = until.map(day_number);
        if !store::pause(&self.db, id, today(), until, input.reason.trim()).await? {
            return Err(conflict("care_not_active", "status"));
        }
        self.care_changed(actor, "pause", id).await
    }

    /// Resumes a paused pair; its due day moves on by the days it was paused.
    pub async fn resume_pair(&self, actor: &Actor, id: i64) -> Result<Pair> {
        self.arranged_pair(actor, id).await?;
        if !store::resume(&self.db, id, today()).await? {
            return Err(conflict("care_not_paused", "status"));
        }
        self.recompute_care_levels().await?;
        self.care_changed(actor, "resume", id).await
    }

    /// Ends a pair with a reason; its visits stay.
    pub async fn end_pair(&self, actor: &Actor, id: i64, input: &EndInput) -> Result<Pair> {
        let reason = input.check()?;
        self.arranged_pair(actor, id).await?;
        if !store::end(&self.db, id, &reason).await? {
            return Err(conflict("care_not_open", "status"));
        }
        self.care_changed(actor, "end", id).await
    }

    /// Hands a pair over to another volunteer: the old pair ends as
    /// `handed_over`, the new one names it and keeps its cadence, help and
    /// due day, and every earlier visit stays visible to the new volunteer.
    pub async fn hand_over_pair(&self, actor: &Actor, id: i64, input: &HandoverInput) -> Result<Pair> {
        let note = input.check()?;
        let old = self.arranged_pair(actor, id).await?;
        if !old.pair.is_open() {
            return Err(conflict("care_not_open", "status"));
        }
        let scope = self.arranges_pairs(actor)?;
        if input.volunteer_id == old.pair.volunteer_id {
            return Err(conflict("care_pair_exists", "volunteer_id"));
        }
        let v = self.pairable_volunteer(actor, scope, input.volunteer_id).await?;
        let p = &old.pair;
        let new = NewPair {
            beneficiary_id: p.beneficiary_id,
            volunteer_id: v.id,
            role: if p.role == "cover" { "cover" } else { "primary" },
            unit_id: v.unit_id,
            community_id: p.community_id,
            district_id: p.district_id,
            every_days: p.every_days,
            starts_on: region_date(now_ms()).to_string(),
            help: p.help.clone(),
            due_day: old.due_day,
            previous_pair_id: Some(p.id),
            handover_note: note,
            created_by: Some(actor.id),
        };
        let new_id = match store::hand_over(&self.db, id, &new).await {
            Ok(Some(n)) => n,
            Ok(None) => return Err(conflict("care_not_open", "status")),
            Err(tongxing_store::Error::Conflict) => return Err(conflict("care_pair_exists", "volunteer_id")),
            Err(e) => return Err(e.into()),
        };
        self.recompute_care_levels().await?;
        self.audit(Some(actor), "hand_over", "care_pair", Some(id), Some(&new_id.to_string())).await?;
        Ok(store::get(&self.db, new_id).await?.pair)
    }

    async fn care_changed(&self, actor: &Actor, action: &str, id: i64) -> Result<Pair> {
        self.audit(Some(actor), action, "care_pair", Some(id), None).await?;
        Ok(store::get(&self.db, id).await?.pair)
    }

    /// A volunteer was deactivated or left their unit: their open pairs are
    /// flagged for handover the same day, so nobody silently drops out of care.
    pub(crate) async fn care_volunteer_left(&self, volunteer_id: i64) -> Result<u64> {
        Ok(store::flag_for_handover(&self.db, volunteer_id).await?)
    }

    /// Volunteers suited to pair with a beneficiary, within the actor's reach
    /// and under the load cap: near them, with skills that answer `help` (the
    /// kinds of help being agreed; left out, the last pair's) or the
    /// beneficiary's notes, and few pairs (`domain::care::suggest`).
    pub async fn care_candidates(&self, actor: &Actor, beneficiary_id: i64, help: Option<&str>) -> Result<Vec<Candidate>> {
        let scope = self.arranges_pairs(actor)?;
        let mut e = Invalid::default();
        e.optional_text("help", help, HELP_MAX);
        e.into_result()?;
        let b = beneficiaries::get(&self.db, beneficiary_id).await?;
        let c = communities::get(&self.db, b.community_id).await?;
        let (unit_id, team_id) = match scope {
            Scope::OwnUnit => (Some(actor.unit_id.ok_or(Error::Forbidden)?), None),
            Scope::OwnTeam => (None, Some(actor.team_id.ok_or(Error::Forbidden)?)),
            _ => (None, None),
        };
        let near = Near { beneficiary_id: b.id, community_id: c.id, district_id: c.district_id, lat: c.lat, lng: c.lng, unit_id, team_id };
        let pool = store::nearby(&self.db, &near, self.settings.care_max_pairs).await?;
        let agreed = match help.map(str::trim).filter(|h| !h.is_empty()) {
            Some(h) => Some(h.to_string()),
            None => store::of_beneficiary(&self.db, b.id).await?.into_iter().rev().find_map(|p| p.pair.help),
        };
        let text = [agreed.unwrap_or_default(), b.notes.unwrap_or_default()].join("\n");
        let wanted = Wanted { community_id: c.id, lat: c.lat, lng: c.lng, text: &text };
        Ok(suggest(&wanted, pool, self.settings.care_max_pairs, SHOWN))
    }

    /// The center's view of the programme (coordinators and viewers).
    pub async fn care_coverage(&self, actor: &Actor) -> Result<Coverage> {
        if !matches!(actor.role, Role::Admin | Role::Coordinator | Role::Viewer) {
            return Err(Error::Forbidden);
        }
        let month = region_date(now_ms()).with_day0(0).unwrap_or_default();
        let start = month.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().timestamp_millis() - 8 * 3_600_000;
        Ok(figures::coverage(&self.db, start).await?)
    }

    /// What care asks of the actor on their first screen.
    pub(crate) async fn care_prompt(&self, actor: &Actor) -> Result<CarePrompt> {
        let reach = match (actor.role, actor.volunteer_id, actor.team_id, actor.unit_id) {
            (Role::Volunteer, Some(v), _, _) => {
                let mine = store::of_volunteer(&self.db, v).await?;
                return Ok(if mine.is_empty() {
                    CarePrompt::Nothing
                } else {
                    CarePrompt::Mine(mine.into_iter().map(|s| s.pair).collect())
                });
            }
            (Role::TeamLeader, _, Some(t), _) => Reach::Team(t),
            (Role::Liaison, _, _, Some(u)) => Reach::Unit(u),
            (Role::Admin | Role::Coordinator, ..) => Reach::All,
            _ => return Ok(CarePrompt::Nothing),
        };
        Ok(CarePrompt::Overdue(figures::counts(&self.db, reach, self.care_cutoffs()).await?))
    }
}
