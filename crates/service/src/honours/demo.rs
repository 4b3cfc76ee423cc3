//! Loads the demo's recognition: last year's rounds published with their
//! honour roll, and this year's on public notice with two objections (one
//! answered, one open, so publication is visibly blocked). It runs the same
//! use cases a coordinator would, at the moments they would have.

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
    /// When nominations, review, the notice and publication happen.
    at: [i64; 4],
}

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
            Plan { title: demo::volunteer_round(year - 1), kind: "volunteer", year: year - 1, min_hours: 8.0, nominees: 24, at: last },
            Plan { title: demo::team_round(year - 1), kind: "team", year: year - 1, min_hours: 20.0, nominees: 4, at: last },
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
            at: [past(6), past(5), past(3), now],
        };
        let id = self.demo_round(&center, &this).await?;
        self.demo_objections(&center, id).await?;
        Ok(honoured)
    }

    /// Opens a round, nominates its best, approves them and starts the notice.
    async fn demo_round(&self, center: &Actor, p: &Plan) -> Result<i64> {
        let day = |ms: i64| region_date(ms).to_string();
        let weights: &[(&str, i64)] = if p.kind == "team" {
            &[("hours", 50), ("activities", 30), ("needs_served", 20)]
        } else {
            &[
                ("hours", 40),
                ("activities", 20),
                ("needs_served", 10),
                ("need_rating", 10),
                ("emergency_answered", 10),
                ("emergency_attended", 10),
            ]
        };
        let input = RoundInput {
            title: p.title.clone(),
            kind: p.kind.into(),
            period_from: format!("{}-01-01", p.year),
            period_to: format!("{}-12-31", p.year),
            min_hours: Some(p.min_hours),
            min_activities: Some(1),
            criteria: criteria(weights),
            quota_per_unit: Some(if p.kind == "team" { 2 } else { 6 }),
            nominate_until: day(p.at[0] + DAY_MS),
            notice_days: 7,
        };
        let id = self.open_round(center, &input).await?;
        let r = self.honour_round(center, id).await?;
        let best: Vec<Candidate> = self.scored(&r).await?.into_iter().filter(|c| c.eligible).collect();
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
