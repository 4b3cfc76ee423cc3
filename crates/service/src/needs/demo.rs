//! Filling the demo's needs marketplace through the same calls people make,
//! so every need has a true history.

use tongxing_demo::{DemoNeed, DemoRegion};
use tongxing_domain::model::{Team, User};
use tongxing_domain::needs::{NeedInput, Status};
use tongxing_domain::paging::Page;
use tongxing_store::{
    now_ms,
    registry::{communities, teams, volunteers},
    users,
};

use crate::needs::ServedHours;
use crate::{Error, Result, Service};

impl Service {
    /// Loads `n` demo needs, acting as the demo coordinator.
    pub async fn load_demo_needs(&self, region: &DemoRegion, n: usize) -> Result<()> {
        let coordinator =
            users::by_login(&self.db, "coordinator").await?.map(|(u, _)| u).ok_or(Error::Internal("demo coordinator missing".into()))?;
        let all = Page { page: 1, per_page: 100_000 };
        let places = communities::list(&self.db, &Default::default(), all).await?.items;
        let all_teams = teams::list(&self.db, &Default::default(), all).await?.items;
        let mut last_open = None;
        for d in tongxing_demo::needs(crate::demo::SEED, region, n) {
            let place = &places[d.community];
            let input = NeedInput {
                title: d.title.into(),
                description: d.description.into(),
                category: d.category.into(),
                community_id: place.id,
                requester_name: d.requester_name.clone(),
                requester_phone: d.requester_phone.clone(),
                channel: Some(d.channel.into()),
                volunteers_needed: Some(1),
            };
            let (id, code) = self.submit_need(Some(&coordinator), &input, "demo").await?;
            let team = fitting_team(&all_teams, place.district_id, d.category);
            self.advance_demo_need(&coordinator, id, &code, &d, team, last_open).await?;
            if d.outcome.is_open() {
                last_open = Some(id);
            }
            tongxing_store::needs::set_waiting_since(&self.db, id, now_ms() - d.waited_minutes * 60_000).await?;
        }
        self.recompute_warnings().await?;
        Ok(())
    }

    async fn advance_demo_need(&self, by: &User, id: i64, code: &str, d: &DemoNeed, team: &Team, last_open: Option<i64>) -> Result<()> {
        match d.outcome {
            Status::Submitted => return Ok(()),
            Status::Rejected => return self.review_need(by, id, false, Some("不属于志愿服务范围，已转交社区办理")).await,
            Status::Cancelled => {
                return match last_open {
                    Some(into) => self.merge_need(by, id, into).await,
                    None => Ok(()),
                }
            }
            _ => self.review_need(by, id, true, None).await?,
        }
        if d.outcome == Status::Published {
            return Ok(());
        }
        self.claim_need(by, id, team.id).await?;
        if d.outcome == Status::Claimed {
            return Ok(());
        }
        let f = volunteers::Filter { team_id: Some(team.id), ..Default::default() };
        let members = volunteers::list(&self.db, &f, Page { page: 1, per_page: 2 }).await?.items;
        let hours: Vec<ServedHours> = members.iter().map(|v| ServedHours { volunteer_id: v.id, hours: 2.0 }).collect();
        self.complete_need(by, id, "已上门服务，问题已解决", &hours).await?;
        if d.outcome == Status::Rated {
            self.rate_need(code, &d.requester_phone, d.stars, Some("志愿者很热心，谢谢！")).await?;
        }
        Ok(())
    }
}

/// A team of the need's district and category, else of its district, else any.
fn fitting_team<'a>(all: &'a [Team], district: i64, category: &str) -> &'a Team {
    all.iter()
        .find(|t| t.district_id == district && t.category == category)
        .or_else(|| all.iter().find(|t| t.district_id == district))
        .unwrap_or(&all[0])
}
