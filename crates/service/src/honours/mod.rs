//! Recognition (评选表彰, issue #18): the center opens a round, candidates
//! are scored from the record, leaders and liaisons nominate within quotas,
//! the center reviews (scores frozen), the public notice takes objections,
//! and publishing writes the honours with verifiable certificate numbers.

pub mod criteria;
pub mod dashboard;
mod demo;
mod nominate;
mod notice;
mod panel;
pub mod prompt;
mod reach;

use chrono::{Datelike, NaiveDate};
use std::sync::Arc;
use tongxing_domain::campaigns::campaign::parse_date;
use tongxing_domain::honours::round::{CriterionInput, RoundInput, Stage};
use tongxing_domain::honours::scoring::Rules;
use tongxing_domain::honours::view::{Candidate, Line, Round};
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_domain::time::region_date;

use tongxing_store::honours::figures::{self, Period};
use tongxing_store::honours::rounds as store;
use tongxing_store::skills::taught::LessonTaught;

use crate::campaigns::campaign::day_start;
use crate::{Actor, Error, Result, Service};

/// A store `Conflict` of a conditional stage change: the round moved on meanwhile.
fn wrong_stage(e: tongxing_store::Error) -> Error {
    match e {
        tongxing_store::Error::Conflict => Error::Conflict { code: "wrong_stage", field: None },
        e => e.into(),
    }
}

fn day(s: &str) -> NaiveDate {
    parse_date(s).unwrap_or_default()
}

/// The year a round honours: the year its period ends in.
fn year_of(r: &Round) -> i32 {
    day(&r.period_to).year()
}

impl Service {
    /// 403 unless `actor` runs rounds (the center).
    fn require_honours_center(&self, actor: &Actor) -> Result<()> {
        match self.require(actor, Action::Write, Resource::Honour)? {
            Scope::All => Ok(()),
            _ => Err(Error::Forbidden),
        }
    }

    pub async fn open_round(&self, actor: &Actor, input: &RoundInput) -> Result<i64> {
        self.require_honours_center(actor)?;
        let c = input.check()?;
        self.check_quota_groups(input).await?;
        let criteria = serde_json::to_string(&input.criteria).map_err(|e| Error::Internal(e.to_string()))?;
        let quotas = serde_json::to_string(&input.quotas).map_err(|e| Error::Internal(e.to_string()))?;
        let id = store::create(&self.db, input, &c, (&criteria, &quotas), actor.id).await?;
        self.audit(Some(actor), "honour_round.open", "honour_round", Some(id), Some(&criteria)).await?;
        Ok(id)
    }

    /// 422 `unknown_unit` (`unknown_district` for a team round) on `quotas`
    /// when one of the round's own quotas names no such unit or district.
    async fn check_quota_groups(&self, input: &RoundInput) -> Result<()> {
        if input.quotas.is_empty() {
            return Ok(());
        }
        let teams = input.kind == "team";
        let known: std::collections::HashSet<i64> = figures::quota_groups(&self.db, teams).await?.into_iter().collect();
        if input.quotas.iter().any(|q| !known.contains(&q.group_id)) {
            let code = if teams { "unknown_district" } else { "unknown_unit" };
            return Err(Error::Validation(tongxing_domain::validation::Invalid::one("quotas", code)));
        }
        Ok(())
    }

    pub async fn honour_rounds(&self, actor: &Actor, page: Page) -> Result<Paged<Round>> {
        self.require(actor, Action::Read, Resource::Honour)?;
        Ok(store::list(&self.db, page).await?)
    }

    pub async fn honour_round(&self, actor: &Actor, id: i64) -> Result<Round> {
        self.require(actor, Action::Read, Resource::Honour)?;
        Ok(store::get(&self.db, id).await?)
    }

    /// The round's candidates: frozen once review started, live before.
    pub async fn honour_candidates(&self, actor: &Actor, id: i64) -> Result<Arc<Vec<Candidate>>> {
        self.require(actor, Action::Read, Resource::Honour)?;
        let r = store::get(&self.db, id).await?;
        self.scored(&r).await
    }

    /// The lessons behind a volunteer's "training given" figure in the round's period.
    pub async fn honour_lessons_taught(&self, actor: &Actor, id: i64, volunteer_id: i64) -> Result<Vec<LessonTaught>> {
        self.require(actor, Action::Read, Resource::Honour)?;
        let r = store::get(&self.db, id).await?;
        // An unknown volunteer is "not found", not an empty list.
        tongxing_store::registry::volunteers::get(&self.db, volunteer_id).await?;
        Ok(tongxing_store::skills::taught::lessons_taught(&self.db, volunteer_id, &scoring(&r).period).await?)
    }

    /// A frozen round's stored scores (no measure is read), or a live round's
    /// list, scored again only when what it reads moved since the last time.
    /// The entries behind a candidate's figure of `metric` in the round's
    /// period: a volunteer's in a volunteer round, a team's members' in a
    /// team round (404 for the other kind, an unknown measure or subject).
    pub async fn honour_lines(&self, actor: &Actor, id: i64, metric: &str, subject: i64) -> Result<Vec<Line>> {
        self.require(actor, Action::Read, Resource::Honour)?;
        let r = store::get(&self.db, id).await?;
        let team = r.kind == "team";
        if team {
            tongxing_store::registry::teams::get(&self.db, subject).await?;
        } else {
            tongxing_store::registry::volunteers::get(&self.db, subject).await?;
        }
        let lines =
            tongxing_store::honours::lines::of(&self.db, metric, &scoring(&r).period, subject, team).await?.ok_or(Error::NotFound)?;
        let page = criteria::line_page(metric);
        Ok(lines
            .into_iter()
            .map(|l| Line {
                day: l.day.or_else(|| l.at.map(|at| region_date(at).to_string())).unwrap_or_default(),
                volunteer_id: l.volunteer_id,
                volunteer: l.volunteer,
                what: l.what,
                value: l.value,
                url: page.zip(l.ref_id).map(|(page, id)| format!("{page}/{id}")),
            })
            .collect())
    }

    pub(crate) async fn scored(&self, r: &Round) -> Result<Arc<Vec<Candidate>>> {
        if r.scored_at.is_some() {
            let frozen = store::frozen(&self.db, r.id).await?;
            return Ok(Arc::new(criteria::frozen(&self.db, &r.kind, frozen).await?));
        }
        // The marks are read before the scores: a change made meanwhile moves
        // them past what is kept, so the next request scores again.
        let marks = figures::marks(&self.db).await?;
        if let Some(list) = self.caches.honour_scores(r.id, &marks) {
            return Ok(list);
        }
        let list = Arc::new(criteria::candidates(&self.db, &scoring(r)).await?);
        self.caches.put_honour_scores(r.id, marks, list.clone());
        Ok(list)
    }

    /// `Some(reason)` for a nominee of the round (reason None: eligible), None for no such person or team.
    pub(crate) async fn nominee_standing(&self, r: &Round, subject: i64) -> Result<Option<Option<String>>> {
        criteria::ineligibility(&self.db, &scoring(r), subject).await
    }
}

/// What a round scores with, from its stored rules.
fn scoring(r: &Round) -> criteria::Scoring<'_> {
    let (from, to) = (day(&r.period_from), day(&r.period_to));
    let period = Period {
        first_day: r.period_from.clone(),
        last_day: r.period_to.clone(),
        from_ms: day_start(from),
        until_ms: day_start(to) + tongxing_domain::hours::DAY_MS,
    };
    let criteria: &[CriterionInput] = &r.criteria;
    criteria::Scoring { kind: &r.kind, period, rules: Rules { min_hours: r.min_hours, min_activities: r.min_activities }, criteria }
}

impl Service {
    /// Starts review: the scores are read from the ledger now and frozen.
    pub async fn start_honour_review(&self, actor: &Actor, id: i64, now: i64) -> Result<()> {
        self.require_honours_center(actor)?;
        let r = store::get(&self.db, id).await?;
        if r.stage != Stage::Nominating {
            return Err(Error::Conflict { code: "wrong_stage", field: None });
        }
        // Read afresh, not from the cache: these are the scores that stand.
        let scores: Vec<store::Score> = criteria::candidates(&self.db, &scoring(&r))
            .await?
            .into_iter()
            .map(|c| store::Score {
                subject_id: c.volunteer_id.or(c.team_id).unwrap_or_default(),
                eligible: c.eligible,
                reason: c.reason,
                score: c.score,
                hours: c.hours,
                breakdown: serde_json::to_string(&c.breakdown).unwrap_or_default(),
            })
            .collect();
        store::start_review(&self.db, id, now, &scores).await.map_err(wrong_stage)?;
        self.caches.forget_honour_scores(id);
        self.audit(Some(actor), "honour_round.review", "honour_round", Some(id), Some(&format!("{} scores frozen", scores.len()))).await
    }
}
