//! Loads the demo's recognition: last year's rounds published with their
//! honour roll, this year's on public notice with two objections (one
//! answered, one open, so publication is visibly blocked), and this year's
//! emergency round whose notice has run out with one objection still open
//! (answer it and it can be published). It runs the same use cases a
//! coordinator would, at the moments they would have.

use chrono::Datelike;
use tongxing_demo::honours as demo;
use tongxing_domain::honours::round::{CriterionInput, RoundInput};
use tongxing_domain::honours::view::{Candidate, DecisionInput, NominationInput, ObjectionInput, ResolveInput};
use tongxing_domain::hours::DAY_MS;
use tongxing_domain::time::region_date;
use tongxing_store::users;

use crate::{Actor, Error, Result, Service};

fn criteria(list: &[(&str, i64)]) -> Vec<CriterionInput> {
    list.iter().map(|(m, w)| CriterionInput { metric: (*m).into(), weight: *w }).collect()
}

/// A round: its calendar year, its bar, and the moments (unix ms) of its steps.
struct Plan {
    title: String,
    kind: &'static str,
    year: i32,
    min_hours: f64,
    nominees: usize,
    weights: &'static [(&'static str, i64)],
    /// A volunteer nominated before the best of the rest (the `volunteer` login's).
    first: Option<i64>,
    /// When nominations, review, the notice and publication happen.
    at: [i64; 4],
}

const VOLUNTEER_WEIGHTS: &[(&str, i64)] =
    &[("hours", 40), ("activities", 20), ("needs_served", 10), ("need_rating", 10), ("emergency_answered", 10), ("emergency_attended", 10)];
const TEAM_WEIGHTS: &[(&str, i64)] = &[("hours", 50), ("activities", 30), ("needs_served", 20)];
const EMERGENCY_WEIGHTS: &[(&str, i64)] = &[("emergency_attended", 50), ("emergency_answered", 30), ("hours", 20)];

impl Service {
    /// Returns how many honours it published.
    pub(crate) async fn load_demo_honours(&self, now: i64) -> Result<usize> {
        let center =
            users::by_login(&self.db, "coordinator").await?.map(|(u, _)| u).ok_or(Error::Internal("demo coordinator missing".into()))?;
        let year = region_date(now).year();
        let past = |d: i64| now - d * DAY_MS;
        // Last year's rounds ran early this year; the demo's record reaches
        // back one year, so last year's bar is lower.
        let last = [past(320), past(315), past(310), past(300)];
        let mut honoured = 0;
        for p in [
            Plan {
                title: demo::volunteer_round(year - 1),
                kind: "volunteer",
                year: year - 1,
                min_hours: 8.0,
                nominees: 24,
                weights: VOLUNTEER_WEIGHTS,
                first: None,
                at: last,
            },
            Plan {
                title: demo::team_round(year - 1),
                kind: "team",
                year: year - 1,
                min_hours: 20.0,
                nominees: 4,
                weights: TEAM_WEIGHTS,
                first: None,
                at: last,
            },
        ] {
            let id = self.demo_round(&center, &p).await?;
            honoured += self.publish_round(&center, id, p.at[3]).await?;
        }
        let this = Plan {
            title: demo::volunteer_round(year),
            kind: "volunteer",
            year,
            min_hours: 20.0,
            nominees: 12,
            weights: VOLUNTEER_WEIGHTS,
            first: None,
            at: [past(6), past(5), past(3), now],
        };
        // This year's emergency round (opened after the main one, so ids keep)
        // ran its notice out; one objection is still open, and the `volunteer`
        // login is among its proposed honourees.
        let emergency = Plan {
            title: demo::emergency_round(year),
            kind: "volunteer",
            year,
            min_hours: 8.0,
            nominees: 8,
            weights: EMERGENCY_WEIGHTS,
            first: users::by_login(&self.db, "volunteer").await?.and_then(|(u, _)| u.volunteer_id),
            at: [past(20), past(18), past(10), now],
        };
        let id = self.demo_round(&center, &this).await?;
        self.demo_objections(&center, id).await?;
        let id = self.demo_round(&center, &emergency).await?;
        self.demo_open_objection(id).await?;
        Ok(honoured)
    }

    /// Opens a round, nominates its best, approves them and starts the notice.
    async fn demo_round(&self, center: &Actor, p: &Plan) -> Result<i64> {
        let day = |ms: i64| region_date(ms).to_string();
        let input = RoundInput {
            title: p.title.clone(),
            kind: p.kind.into(),
            period_from: format!("{}-01-01", p.year),
            period_to: format!("{}-12-31", p.year),
            min_hours: Some(p.min_hours),
            min_activities: Some(1),
            criteria: criteria(p.weights),
            quota_per_unit: Some(if p.kind == "team" { 2 } else { 6 }),
            quotas: Vec::new(),
            nominate_until: day(p.at[0] + DAY_MS),
            notice_days: 7,
        };
        let id = self.open_round(center, &input).await?;
        let r = self.honour_round(center, id).await?;
        let mut best: Vec<Candidate> = self.scored(&r).await?.iter().filter(|c| c.eligible).cloned().collect();
        if let Some(at) = best.iter().position(|c| p.first.is_some() && c.volunteer_id == p.first) {
            let first = best.remove(at);
            best.insert(0, first);
        }
        let mut nominated = 0;
        for (i, c) in best.iter().enumerate() {
            if nominated == p.nominees {
                break;
            }
            let n = NominationInput { volunteer_id: c.volunteer_id, team_id: c.team_id, citation: demo::citation(i).into() };
            match self.nominate(center, id, &n, p.at[0]).await {
                Ok(_) => nominated += 1,
                // A unit whose quota is used: the next best of another unit goes up.
                Err(Error::Validation(_)) => continue,
                Err(e) => return Err(e),
            }
        }
        self.start_honour_review(center, id, p.at[1]).await?;
        for n in self.honour_nominations(center, id).await? {
            self.decide_nomination(center, id, n.id, &DecisionInput { decision: "approve".into(), note: None }).await?;
        }
        self.start_honour_notice(center, id, p.at[2]).await?;
        Ok(id)
    }

    /// An objection to the second proposed honouree, filed the notice's first day and left open.
    async fn demo_open_objection(&self, round_id: i64) -> Result<()> {
        let notice = self.honour_notice(round_id).await?;
        if let Some(item) = notice.items.get(1) {
            let input =
                ObjectionInput { nomination_id: item.nomination_id, reason: demo::EMERGENCY_OBJECTION.into(), name: None, phone: None };
            self.object(round_id, &input, "demo", notice.notice_from.unwrap_or_default() + DAY_MS).await?;
        }
        Ok(())
    }

    async fn demo_objections(&self, center: &Actor, round_id: i64) -> Result<()> {
        let notice = self.honour_notice(round_id).await?;
        let mut ids = Vec::new();
        for (i, (reason, name, phone)) in demo::OBJECTIONS.iter().enumerate() {
            let Some(item) = notice.items.get(i) else { break };
            let input = ObjectionInput {
                nomination_id: item.nomination_id,
                reason: (*reason).into(),
                name: name.map(str::to_string),
                phone: phone.map(str::to_string),
            };
            let at = notice.notice_from.unwrap_or_default() + DAY_MS + i as i64 * DAY_MS;
            ids.push(self.object(round_id, &input, "demo", at).await?);
        }
        if let Some(first) = ids.first() {
            self.resolve_objection(center, *first, &ResolveInput { upheld: false, finding: demo::FINDING.into() }).await?;
        }
        Ok(())
    }
}
