//! The rotation on the first screens: the center sees owing and upcoming
//! slots of the running campaign; a liaison their districts' current and
//! next slot, and any they owe.

use tongxing_domain::campaigns::status::{slot_status, SlotStatus};
use tongxing_domain::campaigns::view::SlotView;
use tongxing_domain::role::Role;
use tongxing_domain::time::region_date;
use tongxing_store::campaigns::{campaign as store, slots};

use super::campaign::slot_of;
use crate::{Actor, Result, Service};

/// The running campaign's id and the slots a first screen shows.
pub struct Glance {
    pub campaign_id: i64,
    pub slots: Vec<SlotView>,
}

/// Upcoming slots starting within this many days are shown.
const AHEAD_DAYS: i64 = 62;

impl Service {
    pub async fn slot_glance(&self, actor: &Actor, now: i64) -> Result<Option<Glance>> {
        let Some(c) = store::current(&self.db, now).await? else { return Ok(None) };
        let rows = match (actor.role, actor.unit_id) {
            (Role::Admin | Role::Coordinator, _) => self.campaign_slots(c.id, now).await?.to_vec(),
            (Role::Liaison, Some(unit)) => {
                let districts = slots::districts_of_unit(&self.db, unit).await?;
                slots::of_districts(&self.db, c.id, &districts, now).await?
            }
            _ => return Ok(None),
        };
        let today = region_date(now);
        let liaison = actor.role == Role::Liaison;
        let mut next_seen = Vec::new();
        let mut out = Vec::new();
        for r in rows {
            let s = slot_of(&r);
            let status = slot_status(s.starts_on, s.ends_on, today, r.held);
            let show = match status {
                SlotStatus::Owing => true,
                SlotStatus::InProgress => liaison,
                SlotStatus::Upcoming if liaison => !next_seen.contains(&r.district_id),
                SlotStatus::Upcoming => (s.starts_on - today).num_days() <= AHEAD_DAYS,
                SlotStatus::Done => false,
            };
            if status == SlotStatus::Upcoming {
                next_seen.push(r.district_id);
            }
            if show {
                out.push(SlotView {
                    id: r.id,
                    district_id: r.district_id,
                    district_name: r.district_name,
                    theme: r.theme,
                    starts_on: r.starts_on,
                    ends_on: r.ends_on,
                    status,
                    activities: r.activities,
                    held: r.held,
                    hours: r.hours,
                });
            }
        }
        Ok(Some(Glance { campaign_id: c.id, slots: out }))
    }
}
