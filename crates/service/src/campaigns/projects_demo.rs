//! The demo's catalogue: the 112 projects with their defaults and owners,
//! several retired by the coordinator.

use tongxing_demo::projects::{catalogue, RETIRED};
use tongxing_demo::DemoRegion;
use tongxing_store::campaigns::projects as store;

use super::projects::demo_record;
use crate::demo::RegionIds;
use crate::{Result, Service};

const DAY_MS: i64 = 24 * 3_600_000;

impl Service {
    /// Writes the catalogue as of `at`; returns the ids in `PROJECTS` order.
    pub(crate) async fn load_demo_projects(&self, region: &DemoRegion, ids: &RegionIds, at: i64) -> Result<Vec<i64>> {
        let mut out = Vec::new();
        for p in catalogue(region) {
            let mut input = p.input;
            input.team_id = p.team.map(|t| ids.teams[t]);
            input.unit_id = p.unit.map(|u| ids.units[u]);
            out.push(store::create_at(&self.db, &demo_record(&input), at).await?);
        }
        Ok(out)
    }

    /// Retires the demo's retired projects, `by` the coordinator, the day
    /// before `now`: their past activities stay, those ahead were kept.
    pub(crate) async fn retire_demo_projects(&self, projects: &[i64], by: i64, now: i64) -> Result<()> {
        let retired: Vec<i64> = RETIRED.iter().map(|i| projects[*i]).collect();
        Ok(store::retire_many(&self.db, &retired, Some(by), now - DAY_MS).await?)
    }
}
