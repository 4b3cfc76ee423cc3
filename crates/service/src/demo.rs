//! Loading the demo region: the seed's western district at its real scale,
//! and one login per role.

use tongxing_demo::DemoRegion;
use tongxing_domain::registry::{BeneficiaryInput, CommunityInput, TeamInput, UnitInput, VolunteerInput};
use tongxing_domain::role::Role;
use tongxing_store::{beneficiaries, communities, districts, teams, units, users, volunteers};

use crate::auth::NewAccount;
use crate::{Error, Result, Service};

pub const SEED: u64 = 20_260_714;

/// Database ids of a generated region's parts, index for index.
pub(crate) struct RegionIds {
    pub districts: Vec<i64>,
    pub communities: Vec<i64>,
    pub teams: Vec<i64>,
    pub volunteers: Vec<i64>,
}

/// A demo login, printed at start so a newcomer can sign in.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub role: Role,
    pub login: String,
    pub password: String,
}

impl Service {
    /// Loads the demo region unless the database already has a region.
    /// Returns the demo logins either way.
    pub async fn load_demo(&self, volunteers_n: usize, beneficiaries_n: usize) -> Result<(bool, Vec<DemoLogin>)> {
        let existing = districts::list(&self.db, &Default::default(), Default::default()).await?.total;
        if existing > 0 {
            return Ok((false, demo_logins()));
        }
        let region = tongxing_demo::generate(SEED, volunteers_n, beneficiaries_n);
        let ids = self.write_region(&region).await?;
        self.load_demo_needs(&region, tongxing_demo::DEFAULT_NEEDS).await?;
        self.load_demo_activities(&region, &ids, tongxing_store::now_ms()).await?;
        Ok((true, demo_logins()))
    }

    /// Writes a generated region; volunteers go in one transaction.
    pub async fn load_region(&self, r: &DemoRegion) -> Result<()> {
        self.write_region(r).await.map(|_| ())
    }

    /// `load_region`, returning the ids of what it wrote in the generator's order.
    pub(crate) async fn write_region(&self, r: &DemoRegion) -> Result<RegionIds> {
        let db = &self.db;
        let mut district_ids = Vec::new();
        for name in &r.districts {
            district_ids.push(districts::create(db, name).await?);
        }
        let mut unit_ids = Vec::new();
        for u in &r.units {
            unit_ids.push(units::create(db, &UnitInput { name: u.name.clone(), kind: u.kind.to_string(), webhook_url: None }).await?);
        }
        let mut community_ids = Vec::new();
        for c in &r.communities {
            let input = CommunityInput { name: c.name.clone(), district_id: district_ids[c.district], lat: c.lat, lng: c.lng };
            community_ids.push(communities::create(db, &input).await?);
        }
        let mut team_inputs = Vec::new();
        let mut team_ids = Vec::new();
        for t in &r.teams {
            let input = TeamInput {
                name: t.name.clone(),
                district_id: district_ids[t.district],
                category: t.category.to_string(),
                unit_id: t.unit.map(|u| unit_ids[u]),
                leader_volunteer_id: None,
            };
            team_ids.push(teams::create(db, &input).await?);
            team_inputs.push(input);
        }
        let mut records = Vec::with_capacity(r.volunteers.len());
        for v in &r.volunteers {
            let input = VolunteerInput {
                name: v.name.clone(),
                phone: v.phone.clone(),
                id_number: v.id_number.clone(),
                unit_id: unit_ids[v.unit],
                community_id: community_ids[v.community],
                team_ids: v.teams.iter().map(|t| team_ids[*t]).collect(),
                skills: v.skills.clone(),
                party_member: v.party_member,
                vest_number: v.vest_number.clone(),
                availability: v.availability.clone(),
            };
            let checked = input.check().map_err(|e| Error::Internal(format!("demo volunteer {}: {e:?}", v.name)))?;
            records.push((None, self.record(&input, &checked)));
        }
        let volunteer_ids = volunteers::save_many(db, &records).await?;
        // Each team is led by its first member.
        for (ti, input) in team_inputs.iter_mut().enumerate() {
            if let Some(vi) = r.volunteers.iter().position(|v| v.teams.contains(&ti)) {
                input.leader_volunteer_id = Some(volunteer_ids[vi]);
                teams::update(db, team_ids[ti], input).await?;
            }
        }
        for b in &r.beneficiaries {
            let input = BeneficiaryInput {
                name: b.name.clone(),
                kind: b.kind.to_string(),
                community_id: community_ids[b.community],
                phone: b.phone.clone(),
                address: b.address.clone(),
                notes: b.notes.clone(),
            };
            beneficiaries::create(db, &input, b.phone.as_deref()).await?;
        }
        self.create_demo_users(&unit_ids, &team_ids, &volunteer_ids, r).await?;
        Ok(RegionIds { districts: district_ids, communities: community_ids, teams: team_ids, volunteers: volunteer_ids })
    }

    async fn create_demo_users(&self, unit_ids: &[i64], team_ids: &[i64], volunteer_ids: &[i64], r: &DemoRegion) -> Result<()> {
        if users::count(&self.db).await? > 0 {
            return Ok(());
        }
        // The first volunteer (张晓静) is the demo volunteer; her unit and first team give the liaison and leader.
        let first = &r.volunteers[0];
        for l in demo_logins() {
            let (unit_id, team_id, volunteer_id) = match l.role {
                Role::Liaison => (Some(unit_ids[first.unit]), None, None),
                Role::TeamLeader => (None, first.teams.first().map(|t| team_ids[*t]), None),
                Role::Volunteer => (None, None, Some(volunteer_ids[0])),
                _ => (None, None, None),
            };
            let account = NewAccount { login: l.login, password: l.password, role: l.role, unit_id, team_id, volunteer_id };
            self.create_user(None, &account).await?;
        }
        Ok(())
    }
}

/// One login per role; the password is `demo-<login>`.
pub fn demo_logins() -> Vec<DemoLogin> {
    [
        (Role::Admin, "admin"),
        (Role::Coordinator, "coordinator"),
        (Role::Liaison, "liaison"),
        (Role::TeamLeader, "leader"),
        (Role::Volunteer, "volunteer"),
        (Role::Observer, "observer"),
        (Role::Viewer, "viewer"),
    ]
    .into_iter()
    .map(|(role, login)| DemoLogin { role, login: login.into(), password: format!("demo-{login}") })
    .collect()
}
