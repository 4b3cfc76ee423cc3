//! 报到: a party member reports to their home community — themself from a
//! phone, or their unit's liaison for them — and the community, the
//! organisation and the center see who reported and what they served there.

use serde::Serialize;
use tongxing_domain::campaigns::party_orgs::PartyOrg;
use tongxing_domain::campaigns::report_in::{self as rules, Outcome, Report, ReportInInput, ReportLine};
use tongxing_domain::model::Community;
use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_domain::role::Role;
use tongxing_store::campaigns::party_orgs as orgs;
pub use tongxing_store::campaigns::report_in::Members;
use tongxing_store::campaigns::report_in::{self as reports, Filter, NewReport};
use tongxing_store::registry::communities;
use utoipa::ToSchema;

use super::party_orgs::reference;
use crate::registry::volunteers::region_today;
use crate::{Actor, Error, Result, Service};

/// A member's reports after a report: the current one first, then the history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportHistory {
    pub volunteer_id: i64,
    /// `first`, `change` or `same` (nothing new recorded).
    pub outcome: Option<&'static str>,
    pub current: Option<Report>,
    pub history: Vec<Report>,
}

/// What the report pages ask: the period and filters, as typed.
#[derive(Debug, Clone, Default)]
pub struct ReportQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub district_id: Option<i64>,
    pub community_id: Option<i64>,
    pub party_org_id: Option<i64>,
    pub by_org: bool,
}

/// The report and the days it covers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportInFigures {
    #[schema(value_type = String, format = Date)]
    pub from: String,
    #[schema(value_type = String, format = Date)]
    pub to: String,
    pub items: Vec<ReportLine>,
}

/// 双进双报到 on a first screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportInPrompt {
    Nothing,
    /// A party member with no current report: asked to report.
    Report,
    /// A liaison: this many of their unit's party members have not reported.
    UnitUnreported(i64),
}

fn outcome_code(o: Outcome) -> &'static str {
    match o {
        Outcome::First => "first",
        Outcome::Change => "change",
        Outcome::Same => "same",
    }
}

impl Service {
    /// One report for one member: the rules of `report_in::judge`, within
    /// the actor's reach (their own record, or their unit's people).
    pub async fn report_in(&self, actor: &Actor, volunteer_id: i64, input: ReportInInput) -> Result<ReportHistory> {
        let scope = self.require(actor, Action::Write, Resource::ReportIn)?;
        let v = self.volunteer_in_scope(actor, scope, volunteer_id).await?;
        let org = self.check_report_target(input).await?;
        let current = reports::current(&self.db, volunteer_id).await?;
        let outcome = rules::judge(v.party_member, current, input, org.map(|o| o.community_id))?;
        if outcome != Outcome::Same {
            self.record_reports(actor, &[(volunteer_id, input.community_id, input.party_org_id)]).await?;
        }
        let mut h = self.report_history_of(volunteer_id).await?;
        h.outcome = Some(outcome_code(outcome));
        Ok(h)
    }

    /// 422 on the field at fault unless the community, and the organisation
    /// if one is named, exist and are active; the organisation, if any.
    pub(crate) async fn check_report_target(&self, input: ReportInInput) -> Result<Option<PartyOrg>> {
        let c: Community = communities::get(&self.db, input.community_id).await.map_err(|e| reference(e, "community_id"))?;
        if !c.active {
            return Err(Error::unknown_reference("community_id"));
        }
        let Some(id) = input.party_org_id else { return Ok(None) };
        let o = orgs::get(&self.db, id).await.map_err(|e| reference(e, "party_org_id"))?;
        if !o.active {
            return Err(Error::unknown_reference("party_org_id"));
        }
        Ok(Some(o))
    }

    pub(crate) async fn record_reports(&self, actor: &Actor, lines: &[NewReport]) -> Result<()> {
        reports::record(&self.db, lines, actor.id).await.map_err(|e| match e {
            tongxing_store::Error::Conflict => Error::Conflict { code: "report_in_race", field: None },
            other => other.into(),
        })?;
        for (v, c, _) in lines {
            self.audit(Some(actor), "report_in", "volunteer", Some(*v), Some(&format!("community {c}"))).await?;
        }
        Ok(())
    }

    async fn report_history_of(&self, volunteer_id: i64) -> Result<ReportHistory> {
        let history = reports::history(&self.db, volunteer_id).await?;
        let current = history.first().filter(|r| r.ended_at.is_none()).cloned();
        Ok(ReportHistory { volunteer_id, outcome: None, current, history })
    }

    /// A member's reports, for themself or whoever may report for them.
    pub async fn report_history(&self, actor: &Actor, volunteer_id: i64) -> Result<ReportHistory> {
        let scope = match self.require(actor, Action::Read, Resource::ReportIn) {
            Ok(Scope::All) => Scope::All,
            _ => self.require(actor, Action::Write, Resource::ReportIn)?,
        };
        self.volunteer_in_scope(actor, scope, volunteer_id).await?;
        self.report_history_of(volunteer_id).await
    }

    /// Figures are for roles that read them region-wide.
    fn require_figures(&self, actor: &Actor) -> Result<()> {
        match self.require(actor, Action::Read, Resource::ReportIn)? {
            Scope::All => Ok(()),
            _ => Err(Error::Forbidden),
        }
    }

    /// The 双进双报到 report per community (or per organisation).
    pub async fn report_in_figures(&self, actor: &Actor, q: &ReportQuery) -> Result<ReportInFigures> {
        self.require_figures(actor)?;
        let (from, to) = rules::period(q.from.as_deref(), q.to.as_deref(), region_today())?;
        let f = Filter {
            from: from.to_string(),
            to: to.to_string(),
            district_id: q.district_id.unwrap_or(0),
            community_id: q.community_id.unwrap_or(0),
            party_org_id: q.party_org_id.unwrap_or(0),
        };
        // Region-wide figures, read at most once per `cache::FIGURES_TTL` for
        // the same question, as the first screens' are: a new report shows
        // within that time.
        let key = format!("report-in:{}:{}:{}:{}:{}:{}", f.from, f.to, f.district_id, f.community_id, f.party_org_id, q.by_org);
        if let Some(cached) = self.caches.figures::<ReportInFigures>(&key) {
            return Ok(cached);
        }
        let items = reports::report(&self.db, &f, q.by_org).await?;
        let figures = ReportInFigures { from: f.from, to: f.to, items };
        self.caches.put_figures(&key, figures.clone());
        Ok(figures)
    }

    /// Who reported to a community, and what they served there in the
    /// period: the first `MEMBERS_SHOWN` on a page, all for an export.
    pub async fn community_members(&self, actor: &Actor, community_id: i64, q: &ReportQuery, export: bool) -> Result<(Community, Members)> {
        self.require_figures(actor)?;
        let (from, to) = rules::period(q.from.as_deref(), q.to.as_deref(), region_today())?;
        let c = communities::get(&self.db, community_id).await?;
        let members = reports::community_members(&self.db, community_id, &from.to_string(), &to.to_string(), members_limit(export)).await?;
        Ok((c, members))
    }

    /// A party organisation and its members' report status (as `community_members`).
    pub async fn party_org_members(&self, actor: &Actor, id: i64, q: &ReportQuery, export: bool) -> Result<(PartyOrg, Members)> {
        self.require_figures(actor)?;
        let (from, to) = rules::period(q.from.as_deref(), q.to.as_deref(), region_today())?;
        let o = self.get_party_org(actor, id).await?;
        let days = (from.to_string(), to.to_string());
        let members = reports::org_members(&self.db, id, o.unit_id, o.community_id, (&days.0, &days.1), members_limit(export)).await?;
        Ok((o, members))
    }

    /// What a first screen says about reporting in: a party member who has
    /// not reported is asked to; a liaison sees their unit's stragglers.
    pub(crate) async fn report_in_prompt(&self, actor: &Actor) -> Result<ReportInPrompt> {
        Ok(match (actor.role, actor.volunteer_id, actor.unit_id) {
            (Role::Volunteer, Some(v), _) if reports::should_report(&self.db, v).await? => ReportInPrompt::Report,
            (Role::Liaison, _, Some(u)) => match reports::unreported_in_unit(&self.db, u).await? {
                0 => ReportInPrompt::Nothing,
                n => ReportInPrompt::UnitUnreported(n),
            },
            _ => ReportInPrompt::Nothing,
        })
    }
}

/// How many members a page lists; the rest are in the export.
pub const MEMBERS_SHOWN: i64 = 2000;

fn members_limit(export: bool) -> i64 {
    if export {
        i64::from(crate::export::MAX_EXPORT_ROWS)
    } else {
        MEMBERS_SHOWN
    }
}
