//! Loads the demo's 爱心守护 (`tongxing_demo::care`) inside the demo's
//! all-or-nothing load: pairs, a year of visits with their confirmed hours,
//! a few concerns turned into needs, and every pair's level for today.

use tongxing_demo::DemoRegion;
use tongxing_domain::care::counts_as_hours;
use tongxing_domain::care::due::date_of;
use tongxing_domain::hours::hours;
use tongxing_domain::paging::Page;
use tongxing_domain::time::region_date;
use tongxing_store::care::past::{fix_sequence, insert_past, open_concerns, PastPair, PastVisit};
use tongxing_store::care::NewPair;
use tongxing_store::registry::beneficiaries;
use tongxing_store::users;

use super::visits::ConcernToNeed;
use crate::delivery::text;
use crate::demo::{RegionIds, SEED};
use crate::{Error, Result, Service};

/// In-person visits older than this have had their hours confirmed; newer
/// ones wait for the leader.
const CONFIRMED_AFTER_MS: i64 = 14 * 86_400_000;

impl Service {
    /// Returns how many visits it wrote.
    pub(crate) async fn load_demo_care(&self, region: &DemoRegion, ids: &RegionIds, now: i64) -> Result<usize> {
        let demo = tongxing_demo::care::care(SEED, region, now);
        let coordinator =
            users::by_login(&self.db, "coordinator").await?.map(|(u, _)| u).ok_or(Error::Internal("demo coordinator missing".into()))?;
        let filter = beneficiaries::Filter { include_inactive: true, ..Default::default() };
        // The region was just written into an empty database: ids follow the generator's order.
        let bens = beneficiaries::list(&self.db, &filter, Page { page: 1, per_page: 500 }).await?.items;
        let note = text("care.ledger_note", &[""]);
        let mut written = 0;
        let pairs: Vec<PastPair> = demo
            .iter()
            .map(|p| {
                let b = &region.beneficiaries[p.beneficiary];
                let visits: Vec<PastVisit> = p
                    .visits
                    .iter()
                    .map(|v| PastVisit {
                        visited_at: v.visited_at,
                        minutes: v.minutes,
                        mode: v.mode,
                        contact_made: v.contact_made,
                        notes: v.notes.clone(),
                        concern: v.concern.clone(),
                        credit: (counts_as_hours(v.mode) && v.visited_at < now - CONFIRMED_AFTER_MS)
                            .then(|| (region_date(v.visited_at).to_string(), hours(v.minutes * 60_000))),
                    })
                    .collect();
                written += visits.len();
                PastPair {
                    pair: NewPair {
                        beneficiary_id: bens[p.beneficiary].id,
                        volunteer_id: ids.volunteers[p.volunteer],
                        role: "primary",
                        unit_id: ids.units[region.volunteers[p.volunteer].unit],
                        community_id: ids.communities[b.community],
                        district_id: ids.districts[region.communities[b.community].district],
                        every_days: p.every_days,
                        starts_on: date_of(p.starts_day).to_string(),
                        help: Some(p.help.to_string()),
                        due_day: p.due_day,
                        previous_pair_id: None,
                        handover_note: p.previous.map(|_| text("care.demo_handover_note", &[])),
                        created_by: Some(coordinator.id),
                    },
                    status: p.status,
                    paused_day: p.paused_day,
                    paused_until: p.paused_until,
                    ended_at: (p.status == "handed_over").then(|| p.visits.last().map_or(now, |v| v.visited_at) + 86_400_000),
                    previous: p.previous,
                    visits,
                }
            })
            .collect();
        insert_past(&self.db, &pairs, coordinator.id, &note, &text("care.demo_pause_reason", &[])).await?;
        fix_sequence(&self.db).await?;
        let tap = ConcernToNeed { category: "elderly_care".into() };
        for (visit, _) in open_concerns(&self.db, tongxing_demo::care::CONCERNS_TO_NEEDS as i64).await? {
            self.concern_to_need(&coordinator, visit, &tap).await?;
        }
        self.recompute_care_levels().await?;
        Ok(written)
    }
}
