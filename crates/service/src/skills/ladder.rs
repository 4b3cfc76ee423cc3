//! Trades, people's certifications, and the list of who may apply for the next level.

use chrono::{Months, NaiveDate};
use tongxing_domain::campaigns::campaign::parse_date;
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::skills::inputs::{CertificationInput, TradeInput};
use tongxing_domain::skills::ladder::{self as rules, Level, Progress, Standing};
use tongxing_domain::skills::views::{Certification, Eligible, EligibleList};
use tongxing_store::skills::ladder::{self as store, rule_of, NewCertification};

use crate::registry::volunteers::region_today;
use crate::{Actor, Error, Result, Service};

/// What the eligibility list asks.
#[derive(Debug, Clone, Default)]
pub struct EligibleQuery {
    pub unit_id: Option<i64>,
    pub trade: Option<String>,
    /// How far ahead `soon` looks (0..=24; default 6).
    pub within_months: Option<u32>,
}

impl Service {
    /// A new trade, the center's: 409 `duplicate` on a taken code or name.
    pub async fn create_trade(&self, actor: &Actor, input: TradeInput) -> Result<i64> {
        self.require(actor, Action::Write, Resource::Trade)?;
        let own = input.check()?;
        let id = store::insert_trade(&self.db, input.code.trim(), input.name.trim(), &own).await.map_err(|e| match e {
            tongxing_store::Error::Conflict => Error::Conflict { code: "duplicate", field: Some("code") },
            other => other.into(),
        })?;
        self.audit(Some(actor), "create", "skill_trade", Some(id), Some(input.code.trim())).await?;
        Ok(id)
    }

    /// Records a person's certification, entered by their unit (or the
    /// center): levels go up in order within a trade (`ladder::judge_step`);
    /// a certificate number is unique per issuer (409 `duplicate_certificate`).
    pub async fn add_certification(&self, actor: &Actor, person_id: i64, input: CertificationInput) -> Result<Vec<Certification>> {
        let scope = self.require(actor, Action::Write, Resource::Skill)?;
        self.volunteer_in_scope(actor, scope, person_id).await?;
        let (level, on) = input.check()?;
        let trade = self.trade_named(&input.trade, "trade").await?;
        let current = store::highest(&self.db, person_id, trade.id).await?.and_then(|(l, d)| Some((Level::from_rank(l)?, parse_date(&d)?)));
        rules::judge_step(current, level, on, input.direct(), region_today())?;
        let cert = NewCertification {
            volunteer_id: person_id,
            trade_id: trade.id,
            level: level.rank(),
            certified_on: on.to_string(),
            certificate_no: input.certificate_no.trim().to_string(),
            issuer: input.issuer.trim().to_string(),
            direct_reason: input.direct_reason.filter(|r| !r.trim().is_empty()),
            by: Some(actor.id),
        };
        store::insert(&self.db, &[cert]).await.map_err(|e| match e {
            tongxing_store::Error::Conflict => Error::Conflict { code: "duplicate_certificate", field: Some("certificate_no") },
            other => other.into(),
        })?;
        let detail = format!("{} {}", trade.code, level.code());
        self.audit(Some(actor), "certify", "volunteer", Some(person_id), Some(&detail)).await?;
        Ok(store::of_person(&self.db, person_id).await?)
    }

    /// A person's certifications: themself, their unit, or the center.
    pub async fn certifications(&self, actor: &Actor, person_id: i64) -> Result<Vec<Certification>> {
        self.skills_record_in_reach(actor, person_id).await?;
        Ok(store::of_person(&self.db, person_id).await?)
    }

    /// Who may apply for the next level now, and whose years at their level
    /// complete within the months asked — of one unit (a liaison: their
    /// own) and trade, earliest first: a page, with the counts of all.
    pub async fn eligible(&self, actor: &Actor, q: &EligibleQuery, page: Page) -> Result<EligibleList> {
        let unit = self.skills_unit(actor, Action::Read, q.unit_id)?;
        let months = q.within_months.unwrap_or(6);
        if months > 24 {
            return Err(tongxing_domain::Invalid::one("within_months", "out_of_range").into());
        }
        let trade = self.trade_filter(q.trade.as_deref()).await?;
        let (counts, lines) = self.standings(unit.unwrap_or(0), trade, months, region_today(), false, page).await?;
        Ok(EligibleList {
            items: lines.into_iter().map(|s| s.line).collect(),
            total: counts.total,
            now: counts.now,
            soon: counts.total - counts.now,
        })
    }

    /// A page of the eligibility list of a unit and trade (0: any) on
    /// `today`, and its counts; with `unreminded`, only people not yet
    /// reminded of their next level.
    pub(crate) async fn standings(
        &self,
        unit: i64,
        trade: i64,
        months: u32,
        today: NaiveDate,
        unreminded: bool,
        page: Page,
    ) -> Result<(store::LineCounts, Vec<StandingLine>)> {
        let horizon = today.checked_add_months(Months::new(months)).unwrap_or(today);
        let lines = store::Lines {
            unit_id: unit,
            trade_id: trade,
            today: today.to_string(),
            soon_by: horizon.to_string(),
            soon: months > 0,
            unreminded,
        };
        let (own, (counts, rows)) =
            tokio::try_join!(store::rules(&self.db), store::progress(&self.db, &lines, page.limit(), page.offset()))?;
        let lines = rows
            .into_iter()
            .filter_map(|r| {
                let (certification_id, unit_id) = (r.certification_id, r.unit_id);
                eligible_line(r, &own, today, months).map(|line| StandingLine { certification_id, unit_id, line })
            })
            .collect();
        Ok((counts, lines))
    }
}

/// A line of the eligibility list with what a reminder needs.
pub(crate) struct StandingLine {
    /// The certification of the level held.
    pub certification_id: i64,
    pub unit_id: i64,
    pub line: Eligible,
}

fn eligible_line(r: store::ProgressRow, own: &[store::RuleRow], today: NaiveDate, months: u32) -> Option<Eligible> {
    let level = Level::from_rank(r.level)?;
    let next = level.next()?;
    let certified_on = parse_date(&r.certified_on)?;
    let rule = rule_of(own, r.trade_id, level);
    let p = Progress { level, certified_on, hours: r.hours, assessed: r.assessed != 0 };
    let status = match rules::standing(p, rule, today, months) {
        Standing::Now => "now",
        Standing::Soon { .. } => "soon",
        Standing::Later => return None,
    };
    Some(Eligible {
        person_id: r.person_id,
        name: r.name,
        unit_name: r.unit_name,
        trade: r.trade,
        trade_name: r.trade_name,
        level: level.code().to_string(),
        next_level: next.code().to_string(),
        certified_on: r.certified_on,
        years_met_on: rules::years_met_on(certified_on, rule.years).to_string(),
        hours: r.hours,
        hours_required: rule.hours,
        assessed: p.assessed,
        status: status.to_string(),
    })
}
