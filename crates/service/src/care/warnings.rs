//! Care follows the clock like needs do: pauses end on their day, levels are
//! recomputed from the stored due day, the volunteer is reminded before a
//! visit is due, and each rise is announced once (the notifications
//! kernel's conditional mark), whichever instance gets there first.

use tongxing_domain::care::due::{date_of, day_of_ms, REMIND_DAYS_BEFORE};
use tongxing_domain::needs::{escalation, Escalation, WarningLevel};
use tongxing_domain::role::Role;
use tongxing_store::care as store;
use tongxing_store::notifications::{community_observers, recipients};
use tongxing_store::now_ms;

use crate::delivery::text;
use crate::{Result, Service};

impl Service {
    /// Resumes pauses that reached their day, then sets every pair's level
    /// for today. Returns how many levels changed.
    pub async fn recompute_care_levels(&self) -> Result<u64> {
        let today = day_of_ms(now_ms());
        store::resume_due(&self.db, today).await?;
        Ok(store::recompute_levels(&self.db, &self.settings.care_limits, today).await?)
    }

    /// Tells the people who can act about each pair whose level rose, as
    /// needs escalate: yellow the volunteer again and their team leaders,
    /// orange the liaisons of the pair's unit, red the coordinators and the
    /// beneficiary's community (its observers). Each notification links to
    /// the pair. Returns how many pairs were escalated.
    pub async fn escalate_care(&self) -> Result<usize> {
        let mut done = 0;
        for (id, rank) in store::pending_escalations(&self.db).await? {
            let s = store::get(&self.db, id).await?;
            let level = WarningLevel::from_rank(rank);
            let users = match escalation(level) {
                Some(Escalation::TeamLeader) => {
                    let mut users = self.accounts_of_volunteer(s.pair.volunteer_id).await?;
                    for t in tongxing_store::registry::volunteers::get(&self.db, s.pair.volunteer_id).await?.teams {
                        users.extend(self.team_leaders(t.id).await?);
                    }
                    users
                }
                Some(Escalation::UnitLiaison) => recipients(&self.db, Role::Liaison, None, Some(s.pair.unit_id)).await?,
                Some(Escalation::Coordinators) => {
                    let mut users = recipients(&self.db, Role::Coordinator, None, None).await?;
                    users.extend(community_observers(&self.db, s.pair.community_id).await?);
                    users
                }
                None => continue,
            };
            let detail = text("care.overdue_line", &[&s.pair.beneficiary_name, &s.pair.volunteer_name, &s.pair.next_due]);
            if store::escalate(&self.db, id, rank, &format!("care_warning_{}", level.as_str()), &detail, &users).await? {
                done += 1;
            }
        }
        Ok(done)
    }

    /// Reminds each volunteer, once per due day, of a visit due within two days.
    pub async fn remind_care_visits(&self) -> Result<usize> {
        let today = day_of_ms(now_ms());
        let mut done = 0;
        for (id, due) in store::due_soon(&self.db, today, REMIND_DAYS_BEFORE).await? {
            let s = store::get(&self.db, id).await?;
            let users = self.accounts_of_volunteer(s.pair.volunteer_id).await?;
            let detail = text("care.due_line", &[&s.pair.beneficiary_name, &date_of(due).to_string()]);
            if store::remind(&self.db, id, due, &detail, &users).await? {
                done += 1;
            }
        }
        Ok(done)
    }

    async fn accounts_of_volunteer(&self, volunteer_id: i64) -> Result<Vec<i64>> {
        Ok(store::accounts_of_volunteer(&self.db, volunteer_id).await?)
    }
}
