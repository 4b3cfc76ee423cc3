//! Loading the demo region: the seed's western district at its real scale,
//! and one login per role.

use tongxing_demo::{DemoCall, DemoRegion};
use tongxing_domain::activities::SignupStatus;
use tongxing_domain::dispatch::ResponseStatus;
use tongxing_domain::hours::hours;
use tongxing_domain::registry::{BeneficiaryInput, CommunityInput, TeamInput, UnitInput, VolunteerInput};
use tongxing_domain::role::Role;
use tongxing_domain::time::region_date;
use tongxing_store::activities::past::{PastActivity, PastEntry, PastSignup};
use tongxing_store::activities::NewActivity;
use tongxing_store::dispatch::past::{self as past_dispatches, PastCall, PastResponse};
use tongxing_store::dispatch::NewCall;
use tongxing_store::{
    audit,
    dump::undo,
    registry::{beneficiaries, communities, districts, teams, units, volunteers},
    users,
};

use crate::auth::NewAccount;
use crate::{Error, Result, Service};

pub const SEED: u64 = 20_260_714;

/// The audit actions marking a demo load's start and its end.
const LOADING: &str = "demo.loading";
const LOADED: &str = "demo.loaded";

/// Database ids of a generated region's parts, index for index.
pub(crate) struct RegionIds {
    pub districts: Vec<i64>,
    pub communities: Vec<i64>,
    pub units: Vec<i64>,
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
    /// Loads the demo region unless the database already has a region, all or
    /// nothing: a marker written first holds every table's highest id, one
    /// written last says the load finished. A load that fails is taken back at
    /// once; one that was killed is taken back at the next start and retried.
    /// Returns whether it loaded, and the demo logins.
    pub async fn load_demo(&self, volunteers_n: usize, beneficiaries_n: usize) -> Result<(bool, Vec<DemoLogin>)> {
        if audit::last_of(&self.db, LOADED).await?.is_some() {
            return Ok((false, demo_logins()));
        }
        if let Some((_, marks)) = audit::last_of(&self.db, LOADING).await? {
            let marks: Vec<(String, i64)> =
                marks.and_then(|m| serde_json::from_str(&m).ok()).ok_or(Error::Internal("demo marker unreadable".into()))?;
            tracing::warn!("an earlier demo load did not finish; taking it back and loading again");
            undo::remove_above(&self.db, &marks).await?;
        }
        let existing = districts::list(&self.db, &Default::default(), Default::default()).await?.total;
        if existing > 0 {
            return Ok((false, demo_logins()));
        }
        let marks = undo::high_water(&self.db).await?;
        let detail = serde_json::to_string(&marks).map_err(|e| Error::Internal(e.to_string()))?;
        audit::record(&self.db, None, LOADING, "region", None, Some(&detail)).await?;
        match self.fill_demo(volunteers_n, beneficiaries_n).await {
            Ok(()) => {
                audit::record(&self.db, None, LOADED, "region", None, None).await?;
                Ok((true, demo_logins()))
            }
            Err(e) => {
                undo::remove_above(&self.db, &marks).await?;
                Err(e)
            }
        }
    }

    async fn fill_demo(&self, volunteers_n: usize, beneficiaries_n: usize) -> Result<()> {
        let region = tongxing_demo::generate(SEED, volunteers_n, beneficiaries_n);
        let ids = self.write_region(&region).await?;
        self.load_demo_needs(&region, tongxing_demo::DEFAULT_NEEDS).await?;
        let now = tongxing_store::now_ms();
        self.load_demo_activities(&region, &ids, now).await?;
        self.load_demo_dispatches(&region, &ids, now).await?;
        self.load_demo_report_in(&region, &ids, now).await?;
        self.load_demo_campaign(&ids, now).await?;
        self.load_demo_childcare(&region, &ids, now).await?;
        self.load_demo_skills(&region, &ids, now).await?;
        self.load_demo_care(&region, &ids, now).await?;
        self.load_demo_honours(now).await?;
        Ok(())
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
        Ok(RegionIds { districts: district_ids, communities: community_ids, units: unit_ids, teams: team_ids, volunteers: volunteer_ids })
    }

    async fn create_demo_users(&self, unit_ids: &[i64], team_ids: &[i64], volunteer_ids: &[i64], r: &DemoRegion) -> Result<()> {
        // The first volunteer (张晓静) is the demo volunteer; her unit and first team give the liaison and leader.
        // A login that already exists (`tongxing admin create admin`) is kept as it is.
        let first = &r.volunteers[0];
        for l in demo_logins() {
            if users::by_login(&self.db, &l.login).await?.is_some() {
                continue;
            }
            let (unit_id, team_id, volunteer_id) = match l.role {
                Role::Liaison => (Some(unit_ids[first.unit]), None, None),
                Role::TeamLeader => (None, first.teams.first().map(|t| team_ids[*t]), None),
                Role::Volunteer => (None, None, Some(volunteer_ids[0])),
                // The observer is a resident: the second volunteer, whose home community they watch.
                Role::Observer => (None, None, volunteer_ids.get(1).copied()),
                _ => (None, None, None),
            };
            let name = tongxing_demo::staff_name(l.role.as_str()).map(str::to_string);
            let account = NewAccount { login: l.login, password: l.password, role: l.role, unit_id, team_id, volunteer_id, name };
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

impl Service {
    /// Two past emergency calls of the demo year, with their answers, roll calls and hours.
    pub(crate) async fn load_demo_dispatches(&self, region: &DemoRegion, ids: &RegionIds, now: i64) -> Result<usize> {
        let coordinator = users::by_login(&self.db, "coordinator").await?.map(|(u, _)| u.id);
        let coordinator = coordinator.ok_or(Error::Internal("demo coordinator missing".into()))?;
        let leader = users::by_login(&self.db, "leader").await?.and_then(|(u, _)| u.team_id.map(|t| (u.id, t)));
        // The same year the activities were written from: nobody is called while busy with it.
        let year = tongxing_demo::year_of_activities(SEED, region, now);
        let calls: Vec<PastCall> = tongxing_demo::past_calls(SEED, region, &year, now)
            .iter()
            .map(|c| {
                let team_id = ids.teams[c.team];
                // The team's leader confirms the roll call's hours, the coordinator for other teams.
                let by = leader.filter(|l| l.1 == team_id).map_or(coordinator, |l| l.0);
                past_call(c, region, ids, coordinator, by)
            })
            .collect();
        Ok(past_dispatches::create_calls(&self.db, &calls).await?)
    }
}

/// The stored form of one generated call and its roll call.
fn past_call(c: &DemoCall, region: &DemoRegion, ids: &RegionIds, coordinator: i64, by: i64) -> PastCall {
    let place = &region.communities[c.community];
    let token = crate::dispatch::secret();
    let plan = NewCall {
        title: c.title.to_string(),
        description: Some(c.description.to_string()),
        address: Some(c.address.clone()),
        community_id: ids.communities[c.community],
        district_id: ids.districts[place.district],
        lat: place.lat,
        lng: place.lng,
        radius_km: c.radius_km,
        skills: Vec::new(),
        starts_at: c.starts_at,
        ends_at: c.ends_at,
        needed: i64::from(c.needed),
        team_id: ids.teams[c.team],
        checkin_token: token.clone(),
        created_by: Some(coordinator),
        quotas: c.quotas.iter().map(|q| (ids.units[q.unit_id as usize], i64::from(q.eligible), i64::from(q.quota))).collect(),
    };
    let responses = c
        .responses
        .iter()
        .map(|r| PastResponse {
            volunteer_id: ids.volunteers[r.volunteer],
            unit_id: ids.units[r.unit],
            wave: i64::from(r.wave),
            score: r.score,
            distance_km: r.distance_km,
            status: r.status.as_str(),
            token: crate::dispatch::secret(),
            notified_at: r.notified_at,
            answered_at: r.answered_at,
        })
        .collect();
    let signups = c
        .responses
        .iter()
        .filter(|r| r.status == ResponseStatus::Confirmed)
        .map(|r| PastSignup {
            volunteer_id: ids.volunteers[r.volunteer],
            status: SignupStatus::Confirmed,
            queued_at: r.answered_at.unwrap_or(r.notified_at),
            attendance: r.attendance.map(|x| (x.checked_in_at, x.checked_out_at, x.auto_closed)),
            entry: r.credit.map(|k| PastEntry {
                kind: "activity",
                hours: hours(k.ms),
                served_on: region_date(k.started_at).format("%Y-%m-%d").to_string(),
                span: Some((k.started_at, k.started_at + k.ms)),
                note: None,
                by,
                at: c.hours_confirmed_at,
            }),
        })
        .collect();
    let activity = PastActivity {
        plan: NewActivity {
            team_id: plan.team_id,
            community_id: plan.community_id,
            district_id: plan.district_id,
            project_id: None,
            title: plan.title.clone(),
            description: plan.description.clone(),
            address: plan.address.clone(),
            theme: None,
            sessions: vec![(c.starts_at, c.ends_at)],
            capacity: plan.needed,
            risky: false,
            insurance: None,
            adults_only: false,
            walk_ups: false,
            roles: Vec::new(),
            created_by: Some(coordinator),
            tokens: vec![token],
        },
        series: None,
        hours_confirmed: Some((c.hours_confirmed_at, by)),
        created_at: c.created_at,
        signups,
    };
    PastCall {
        plan,
        created_at: c.created_at,
        waves: i64::from(c.waves),
        filled_at: c.filled_at,
        closed_at: Some(c.closed_at),
        responses,
        events: c.events.clone(),
        activity,
    }
}
