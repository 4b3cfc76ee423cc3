//! Loads the demo's 双进双报到: its party organisations and the members'
//! reports, with their history (`tongxing_demo::report_in`).

use tongxing_demo::DemoRegion;
use tongxing_domain::campaigns::party_orgs::PartyOrgInput;
use tongxing_store::campaigns::party_orgs as orgs;
use tongxing_store::campaigns::report_in::{self as reports, PastReport};

use crate::demo::{RegionIds, SEED};
use crate::{Error, Result, Service};

impl Service {
    /// Returns how many reports it wrote.
    pub(crate) async fn load_demo_report_in(&self, region: &DemoRegion, ids: &RegionIds, now: i64) -> Result<usize> {
        let demo = tongxing_demo::report_in::report_in(SEED, region, now);
        let mut org_ids = Vec::with_capacity(demo.orgs.len());
        for o in &demo.orgs {
            let input = PartyOrgInput {
                name: o.name.clone(),
                unit_id: o.unit.map(|u| ids.units[u]),
                community_id: ids.communities[o.community],
                secretary: Some(o.secretary.clone()),
                contact_phone: Some(o.phone.clone()),
            };
            let checked = input.check().map_err(|e| Error::Internal(format!("demo party organisation {}: {e:?}", o.name)))?;
            org_ids.push(orgs::create(&self.db, &input, &checked).await?);
        }
        let past: Vec<PastReport> = demo
            .reports
            .iter()
            .map(|r| (ids.volunteers[r.volunteer], ids.communities[r.community], r.org.map(|o| org_ids[o]), r.reported_at, r.ended_at))
            .collect();
        reports::insert_past(&self.db, &past).await?;
        Ok(past.len())
    }
}
