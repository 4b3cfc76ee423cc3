//! The region's structure: districts, communities, units, teams, beneficiaries.
//! Every write checks the permission table and the references it makes.

use tongxing_domain::first_screen::spans;
use tongxing_domain::model::{Beneficiary, Community, District, Paged, Team, Unit};
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{self, scope, Action, Resource, Scope};
use tongxing_domain::phone;
use tongxing_domain::registry::{BeneficiaryInput, CommunityInput, DistrictInput, TeamInput, UnitInput};
use tongxing_domain::time::region_date;
use tongxing_store::registry::team_page::{self, Members};
use tongxing_store::registry::volunteers as volunteer_rows;
use tongxing_store::registry::{beneficiaries, communities, districts, teams, units};

use crate::{Actor, Error, Result, Service};

/// Turns a store conflict on a name into a 409 on that field.
fn name_conflict(e: tongxing_store::Error) -> Error {
    match e {
        tongxing_store::Error::Conflict => Error::Conflict { code: "duplicate_name", field: Some("name") },
        other => other.into(),
    }
}

impl Service {
    async fn check_exists<T>(&self, field: &str, found: tongxing_store::Result<T>) -> Result<()> {
        match found {
            Ok(_) => Ok(()),
            Err(tongxing_store::Error::NotFound) => Err(Error::unknown_reference(field)),
            Err(e) => Err(e.into()),
        }
    }

    /// Writes an audit line for a registry change and returns `id`.
    async fn changed(&self, actor: &Actor, action: &str, kind: &str, id: i64) -> Result<i64> {
        self.audit(Some(actor), action, kind, Some(id), None).await?;
        Ok(id)
    }

    // --- districts

    pub async fn list_districts(&self, actor: &Actor, f: &districts::Filter, page: Page) -> Result<Paged<District>> {
        self.require(actor, Action::Read, Resource::District)?;
        Ok(districts::list(&self.db, f, page).await?)
    }

    pub async fn get_district(&self, actor: &Actor, id: i64) -> Result<District> {
        self.require(actor, Action::Read, Resource::District)?;
        Ok(districts::get(&self.db, id).await?)
    }

    pub async fn save_district(&self, actor: &Actor, id: Option<i64>, d: &DistrictInput) -> Result<i64> {
        self.require(actor, Action::Write, Resource::District)?;
        d.check()?;
        let id = match id {
            None => districts::create(&self.db, d.name.trim()).await.map_err(name_conflict)?,
            Some(id) => districts::update(&self.db, id, d.name.trim()).await.map_err(name_conflict).map(|_| id)?,
        };
        self.changed(actor, "save", "district", id).await
    }

    // --- communities

    pub async fn list_communities(&self, actor: &Actor, f: &communities::Filter, page: Page) -> Result<Paged<Community>> {
        self.require(actor, Action::Read, Resource::Community)?;
        Ok(communities::list(&self.db, f, page).await?)
    }

    pub async fn get_community(&self, actor: &Actor, id: i64) -> Result<Community> {
        self.require(actor, Action::Read, Resource::Community)?;
        Ok(communities::get(&self.db, id).await?)
    }

    pub async fn save_community(&self, actor: &Actor, id: Option<i64>, c: &CommunityInput) -> Result<i64> {
        self.require(actor, Action::Write, Resource::Community)?;
        c.check()?;
        self.check_exists("district_id", districts::get(&self.db, c.district_id).await).await?;
        let id = match id {
            None => communities::create(&self.db, c).await.map_err(name_conflict)?,
            Some(id) => communities::update(&self.db, id, c).await.map_err(name_conflict).map(|_| id)?,
        };
        self.changed(actor, "save", "community", id).await
    }

    // --- units

    pub async fn list_units(&self, actor: &Actor, f: &units::Filter, page: Page) -> Result<Paged<Unit>> {
        self.require(actor, Action::Read, Resource::Unit)?;
        Ok(units::list(&self.db, f, page).await?)
    }

    pub async fn get_unit(&self, actor: &Actor, id: i64) -> Result<Unit> {
        self.require(actor, Action::Read, Resource::Unit)?;
        Ok(units::get(&self.db, id).await?)
    }

    pub async fn save_unit(&self, actor: &Actor, id: Option<i64>, u: &UnitInput) -> Result<i64> {
        self.require(actor, Action::Write, Resource::Unit)?;
        u.check()?;
        let id = match id {
            None => units::create(&self.db, u).await.map_err(name_conflict)?,
            Some(id) => units::update(&self.db, id, u).await.map_err(name_conflict).map(|_| id)?,
        };
        self.changed(actor, "save", "unit", id).await
    }

    // --- teams

    pub async fn list_teams(&self, actor: &Actor, f: &teams::Filter, page: Page) -> Result<Paged<Team>> {
        self.require(actor, Action::Read, Resource::Team)?;
        Ok(teams::list(&self.db, f, page).await?)
    }

    pub async fn get_team(&self, actor: &Actor, id: i64) -> Result<Team> {
        self.require(actor, Action::Read, Resource::Team)?;
        Ok(teams::get(&self.db, id).await?)
    }

    /// A team's page at `now`: the team and what it did this year. Members
    /// are named only as far as the actor may read volunteers.
    pub async fn team_page(&self, actor: &Actor, id: i64, now: i64) -> Result<(Team, team_page::TeamPage)> {
        self.require(actor, Action::Read, Resource::Team)?;
        let team = teams::get(&self.db, id).await?;
        let members = match scope(actor.role, Action::Read, Resource::Volunteer) {
            Scope::All => Members::All,
            Scope::OwnUnit => actor.unit_id.map_or(Members::Hidden, Members::OfUnit),
            Scope::OwnTeam if actor.team_id == Some(id) => Members::All,
            _ => Members::Hidden,
        };
        let year = spans(now).year;
        let page = team_page::team_page(&self.db, id, members, now, year, &region_date(year).to_string()).await?;
        Ok((team, page))
    }

    pub async fn save_team(&self, actor: &Actor, id: Option<i64>, t: &TeamInput) -> Result<i64> {
        self.require(actor, Action::Write, Resource::Team)?;
        t.check()?;
        self.check_exists("district_id", districts::get(&self.db, t.district_id).await).await?;
        if let Some(u) = t.unit_id {
            self.check_exists("unit_id", units::get(&self.db, u).await).await?;
        }
        if let Some(v) = t.leader_volunteer_id {
            self.check_exists("leader_volunteer_id", volunteer_rows::get(&self.db, v).await).await?;
        }
        let id = match id {
            None => teams::create(&self.db, t).await.map_err(name_conflict)?,
            Some(id) => teams::update(&self.db, id, t).await.map_err(name_conflict).map(|_| id)?,
        };
        self.changed(actor, "save", "team", id).await
    }

    // --- beneficiaries

    pub async fn list_beneficiaries(&self, actor: &Actor, f: &beneficiaries::Filter, page: Page) -> Result<Paged<Beneficiary>> {
        self.require(actor, Action::Read, Resource::Beneficiary)?;
        let mut list = beneficiaries::list(&self.db, f, page).await?;
        list.items.iter_mut().for_each(mask_beneficiary);
        Ok(list)
    }

    /// A beneficiary's full phone is shown to those who may call them, and audited.
    pub async fn get_beneficiary(&self, actor: &Actor, id: i64) -> Result<Beneficiary> {
        self.require(actor, Action::Read, Resource::Beneficiary)?;
        let mut b = beneficiaries::get(&self.db, id).await?;
        if b.phone.is_some() && permission::may_see_full_phone(actor.role) {
            self.audit(Some(actor), "read_phone", "beneficiary", Some(id), None).await?;
        } else {
            mask_beneficiary(&mut b);
        }
        Ok(b)
    }

    pub async fn save_beneficiary(&self, actor: &Actor, id: Option<i64>, b: &BeneficiaryInput) -> Result<i64> {
        self.require(actor, Action::Write, Resource::Beneficiary)?;
        let phone = b.check()?;
        self.check_exists("community_id", communities::get(&self.db, b.community_id).await).await?;
        let id = match id {
            None => beneficiaries::create(&self.db, b, phone.as_deref()).await?,
            Some(id) => beneficiaries::update(&self.db, id, b, phone.as_deref()).await.map(|_| id)?,
        };
        self.changed(actor, "save", "beneficiary", id).await
    }

    /// Deactivates or reactivates any registry row; nothing is ever deleted.
    pub async fn set_active(&self, actor: &Actor, resource: Resource, id: i64, active: bool) -> Result<()> {
        let scope = self.require(actor, Action::Write, resource)?;
        let db = &self.db;
        let kind = match resource {
            Resource::District => districts::set_active(db, id, active).await.map(|_| "district"),
            Resource::Community => communities::set_active(db, id, active).await.map(|_| "community"),
            Resource::Unit => units::set_active(db, id, active).await.map(|_| "unit"),
            Resource::Team => teams::set_active(db, id, active).await.map(|_| "team"),
            Resource::Beneficiary => beneficiaries::set_active(db, id, active).await.map(|_| "beneficiary"),
            Resource::Volunteer => {
                self.volunteer_in_scope(actor, scope, id).await?;
                volunteer_rows::set_active(db, id, active).await?;
                if !active {
                    self.care_volunteer_left(id).await?;
                }
                Ok("volunteer")
            }
            // Kept by 双进双报到 (campaigns), which audits it.
            Resource::PartyOrg => return self.set_party_org_active(actor, id, active).await,
            Resource::Need
            | Resource::ReportIn
            | Resource::NeedEntry
            | Resource::Activity
            | Resource::Hours
            | Resource::User
            | Resource::AuditLog
            | Resource::Outbox
            | Resource::Dispatch
            | Resource::Registration
            | Resource::Project
            | Resource::Campaign
            | Resource::Childcare
            | Resource::Trade
            | Resource::Skill
            | Resource::Problem
            | Resource::Stats
            | Resource::Care
            | Resource::Honour => return Err(Error::Forbidden),
        }?;
        self.audit(Some(actor), if active { "reactivate" } else { "deactivate" }, kind, Some(id), None).await
    }

    /// 403 unless the volunteer is within the actor's reach.
    pub(crate) async fn volunteer_in_scope(&self, actor: &Actor, scope: Scope, id: i64) -> Result<tongxing_domain::model::Volunteer> {
        let v = volunteer_rows::get(&self.db, id).await?;
        let ok = match scope {
            Scope::All => true,
            Scope::OwnUnit => actor.unit_id == Some(v.unit_id),
            Scope::OwnTeam => actor.team_id.is_some_and(|t| v.teams.iter().any(|vt| vt.id == t)),
            Scope::OwnRecord => actor.volunteer_id == Some(id),
            Scope::Denied => false,
        };
        if ok {
            Ok(v)
        } else {
            Err(Error::Forbidden)
        }
    }
}

fn mask_beneficiary(b: &mut Beneficiary) {
    b.phone = b.phone.as_deref().map(phone::mask);
}

pub mod joining;
pub mod roster_import;
pub mod stats;
pub mod volunteers;
