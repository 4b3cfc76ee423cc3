//! Reminders to the eligible: each person who may apply for the next level
//! now, or whose years complete within six months, is told, and so are
//! their unit's liaisons — once per person and level, however many
//! instances sweep (the reminder's row is the notifications kernel's mark).

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use tongxing_domain::role::Role;
use tongxing_domain::time::region_date;
use tongxing_store::notifications::{accounts_of_volunteer, recipients};
use tongxing_store::skills::reminders as store;

use crate::delivery::text;
use crate::{Result, Service};

/// How far ahead a reminder looks: the window the issue asks for.
pub const REMIND_WITHIN_MONTHS: u32 = 6;

impl Service {
    /// Reminds everyone on the region's eligibility list on the day of
    /// `now` who was not reminded of their next level yet. Returns how many
    /// people were reminded.
    pub async fn remind_eligible(&self, now: i64) -> Result<usize> {
        let lines = self.standings(0, 0, REMIND_WITHIN_MONTHS, region_date(now), true).await?;
        let mut liaisons: HashMap<i64, Vec<i64>> = HashMap::new();
        let mut done = 0;
        for s in lines {
            if let Entry::Vacant(slot) = liaisons.entry(s.unit_id) {
                slot.insert(recipients(&self.db, Role::Liaison, None, Some(s.unit_id)).await?);
            }
            let mut users = accounts_of_volunteer(&self.db, s.line.person_id).await?;
            users.extend_from_slice(&liaisons[&s.unit_id]);
            let e = &s.line;
            let next = text(&format!("skills.level.{}", e.next_level), &[]);
            let detail = match e.status.as_str() {
                "now" => text("skills.eligible_now_line", &[&e.name, &e.trade_name, &next]),
                _ => text("skills.eligible_soon_line", &[&e.name, &e.trade_name, &e.years_met_on, &next]),
            };
            if store::remind(&self.db, s.certification_id, now, &format!("skill_eligible_{}", e.status), &detail, &users).await? {
                done += 1;
            }
        }
        Ok(done)
    }
}
