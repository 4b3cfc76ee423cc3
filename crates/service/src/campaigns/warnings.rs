//! Warnings about the rotation, run from the serve loop beside the activity
//! reminders: the district's liaisons and the coordinators are told a few
//! days before a slot starts, and when one ends owing. Each once: the
//! conditional UPDATE on the slot decides, whichever instance gets there.

use tongxing_domain::role::Role;
use tongxing_store::campaigns::{campaign as store, slots};
use tongxing_store::notifications::recipients;

use crate::delivery::text;
use crate::{Result, Service};

fn line(campaign: &str, s: &slots::SlotRow) -> String {
    let theme = text(&format!("theme.{}", s.theme), &[]);
    text("campaign.slot_line", &[campaign, &s.district_name, &theme, &s.starts_on, &s.ends_on])
}

impl Service {
    /// Warns about slots starting within their campaign's `warn_days` and
    /// slots that ended owing at `now`; returns how many warnings went out.
    /// A slot that ended done is marked too, so it is not looked at again.
    pub async fn warn_campaign_slots(&self, now: i64) -> Result<usize> {
        let mut done = 0;
        let coordinators = recipients(&self.db, Role::Coordinator, None, None).await?;
        for s in slots::starting(&self.db, now).await? {
            let name = store::get(&self.db, s.campaign_id).await?.name;
            let users = self.slot_audience(s.district_id, &coordinators).await?;
            if slots::warn(&self.db, s.id, false, "slot_upcoming", &line(&name, &s), &users, now).await? {
                done += 1;
            }
        }
        for s in slots::ended(&self.db, now).await? {
            let owing = s.held == 0;
            let users = if owing { self.slot_audience(s.district_id, &coordinators).await? } else { Vec::new() };
            let name = store::get(&self.db, s.campaign_id).await?.name;
            if slots::warn(&self.db, s.id, true, "slot_owing", &line(&name, &s), &users, now).await? && owing {
                done += 1;
            }
        }
        Ok(done)
    }

    async fn slot_audience(&self, district_id: i64, coordinators: &[i64]) -> Result<Vec<i64>> {
        let mut users = slots::district_liaisons(&self.db, district_id).await?;
        users.extend_from_slice(coordinators);
        users.sort_unstable();
        users.dedup();
        Ok(users)
    }
}
