//! Reminders to the eligible: each person who may apply for the next level
//! now, or whose years complete within six months, is told once per person
//! and level, however many instances sweep (the reminder's row is the
//! notifications kernel's mark); their unit's liaisons get one notification
//! per sweep naming who.

use std::collections::BTreeMap;

use tongxing_domain::paging::Page;
use tongxing_domain::role::Role;
use tongxing_domain::time::region_date;
use tongxing_store::notifications::{accounts_of_volunteer, recipients, tell};
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
        // Every line: each sweep reminds whoever is not reminded yet, however many.
        let all = Page { page: 1, per_page: u32::MAX };
        let (_, lines) = self.standings(0, 0, REMIND_WITHIN_MONTHS, region_date(now), true, all).await?;
        // Each unit's liaisons hear once per sweep, naming who — not once per person.
        let mut by_unit: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        let mut done = 0;
        for s in lines {
            let users = accounts_of_volunteer(&self.db, s.line.person_id).await?;
            let e = &s.line;
            let next = text(&format!("skills.level.{}", e.next_level), &[]);
            let detail = match e.status.as_str() {
                "now" => text("skills.eligible_now_line", &[&e.name, &e.trade_name, &next]),
                _ => text("skills.eligible_soon_line", &[&e.name, &e.trade_name, &e.years_met_on, &next]),
            };
            if store::remind(&self.db, s.certification_id, now, &format!("skill_eligible_{}", e.status), &detail, &users).await? {
                done += 1;
                by_unit.entry(s.unit_id).or_default().push(e.name.clone());
            }
        }
        for (unit, names) in by_unit {
            let liaisons = recipients(&self.db, Role::Liaison, None, Some(unit)).await?;
            tell(&self.db, &liaisons, "skill_eligible_unit", &digest(&names)).await?;
        }
        Ok(done)
    }
}

/// "李国强、张晓静" — or the first few and how many in all.
fn digest(names: &[String]) -> String {
    const SHOWN: usize = 5;
    if names.len() <= SHOWN {
        names.join("、")
    } else {
        text("skills.eligible_many", &[&names[..SHOWN].join("、"), &names.len().to_string()])
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_digest_names_a_few_and_counts_the_rest() {
        let names: Vec<String> = ["甲", "乙", "丙", "丁", "戊", "己", "庚"].iter().map(|s| s.to_string()).collect();
        assert_eq!(super::digest(&names[..2]), "甲、乙");
        let many = super::digest(&names);
        assert!(many.contains("甲、乙、丙、丁、戊") && many.contains('7') && !many.contains("己"), "{many}");
    }
}
