//! Who is told what about needs, and each user's notification centre.

use tongxing_domain::model::{Notification, Paged};
use tongxing_domain::needs::{escalation, Escalation, Need, WarningLevel};
use tongxing_domain::paging::Page;
use tongxing_domain::role::Role;
use tongxing_store::notifications::{self as store, fitting_leaders, recipients};
use tongxing_store::{needs, registry::teams};

use crate::{Actor, Error, Result, Service};

impl Service {
    pub async fn notifications(&self, actor: &Actor, page: Page) -> Result<(Paged<Notification>, i64)> {
        Ok(store::list(&self.db, actor.id, page).await?)
    }

    pub async fn unread_notifications(&self, actor: &Actor) -> Result<i64> {
        Ok(store::unread(&self.db, actor.id).await?)
    }

    /// Marks one notification, or all with `None`, as read.
    pub async fn mark_read(&self, actor: &Actor, id: Option<i64>) -> Result<u64> {
        let n = store::mark_read(&self.db, actor.id, id).await?;
        // Someone else's notification is as unknown as one that never was.
        if id.is_some() && n == 0 {
            return Err(Error::NotFound);
        }
        Ok(n)
    }

    /// The leaders whose teams may take `need` (same district and category).
    pub(crate) async fn fitting_leaders(&self, need: &Need) -> Result<Vec<i64>> {
        Ok(fitting_leaders(&self.db, need.district_id, &need.category).await?)
    }

    /// The leaders of one team.
    pub(crate) async fn team_leaders(&self, team_id: i64) -> Result<Vec<i64>> {
        Ok(recipients(&self.db, Role::TeamLeader, Some(team_id), None).await?)
    }

    /// Tells the people who can act about each need whose warning level
    /// rose: yellow the team leader, orange the unit's liaison, red the
    /// coordinators. Returns how many needs were escalated.
    pub async fn escalate_warnings(&self) -> Result<usize> {
        let mut done = 0;
        for (id, rank) in store::pending_escalations(&self.db).await? {
            let need = needs::get(&self.db, id).await?;
            let level = WarningLevel::from_rank(rank);
            let users = match escalation(level) {
                Some(Escalation::TeamLeader) => match need.team_id {
                    Some(t) => self.team_leaders(t).await?,
                    None => self.fitting_leaders(&need).await?,
                },
                Some(Escalation::UnitLiaison) => self.liaisons_for(&need).await?,
                Some(Escalation::Coordinators) => recipients(&self.db, Role::Coordinator, None, None).await?,
                None => continue,
            };
            let kind = format!("warning_{}", level.as_str());
            if store::escalate(&self.db, id, rank, &kind, &need.title, &users).await? {
                done += 1;
            }
        }
        Ok(done)
    }

    /// Liaisons of the unit of the holding team, or of the units whose teams fit.
    async fn liaisons_for(&self, need: &Need) -> Result<Vec<i64>> {
        let mut units = Vec::new();
        match need.team_id {
            Some(t) => units.extend(teams::get(&self.db, t).await?.unit_id),
            None => {
                let f = teams::Filter { district_id: Some(need.district_id), category: Some(need.category.clone()), ..Default::default() };
                units.extend(teams::list(&self.db, &f, Page { page: 1, per_page: 500 }).await?.items.into_iter().filter_map(|t| t.unit_id));
            }
        }
        units.sort_unstable();
        units.dedup();
        let mut users = Vec::new();
        for u in units {
            users.extend(recipients(&self.db, Role::Liaison, None, Some(u)).await?);
        }
        Ok(users)
    }
}
