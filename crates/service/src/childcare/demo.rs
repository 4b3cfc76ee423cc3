//! Loads the demo's 子女照辅班 (`tongxing_demo::childcare`) in bulk: the
//! summer term just past with every class day and the caretakers' shifts as
//! activities with their hours in the ledger, and the winter term under way
//! and open for enrolment with a waitlist in one class, its rota filling.

use rand::RngCore;
use tongxing_demo::childcare::{at, DemoChildcare};
use tongxing_demo::DemoRegion;
use tongxing_domain::activities::{token, SignupStatus};
use tongxing_domain::childcare::day::caretakers_needed;
use tongxing_domain::childcare::enrolment::Facts;
use tongxing_store::activities::past::{self as past_activities, PastActivity, PastEntry, PastSignup};
use tongxing_store::activities::NewActivity;
use tongxing_store::childcare::past::{self as past, PastAbsence, PastChild, PastClass, PastDay, PastProgramme, PastTerm};
use tongxing_store::users;

use crate::demo::{RegionIds, SEED};
use crate::{Error, Result, Service};

fn random(prefix: &str) -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    format!("{prefix}{}", &token(b)[..12])
}

impl Service {
    /// Returns how many children it enrolled (both terms).
    pub(crate) async fn load_demo_childcare(&self, region: &DemoRegion, ids: &RegionIds, now: i64) -> Result<usize> {
        let coordinator = users::by_login(&self.db, "coordinator").await?.map(|(u, _)| u.id);
        let coordinator = coordinator.ok_or(Error::Internal("demo coordinator missing".into()))?;
        let d = tongxing_demo::childcare::childcare(SEED, region, now);
        let shifts = self.demo_shifts(&d, region, ids, coordinator, now);
        past_activities::create_past(&self.db, &shifts.0, &[], &[]).await?;
        let terms: Vec<PastTerm> = d
            .terms
            .iter()
            .map(|t| PastTerm { name: t.name.clone(), starts_on: t.starts_on.to_string(), ends_on: t.ends_on.to_string() })
            .collect();
        let classes: Vec<PastClass> = d
            .classes
            .iter()
            .map(|c| PastClass {
                term: c.term,
                name: c.name.clone(),
                community_id: ids.communities[c.community],
                address: c.address.clone(),
                ages: (c.min_age, c.max_age),
                capacity: c.capacity,
                per_caretaker: c.per_caretaker,
                head_volunteer_id: ids.volunteers[c.head],
                team_id: ids.teams[c.team],
            })
            .collect();
        let rules = self.settings.childcare_priority;
        let ended = at(d.terms[0].ends_on, 18, 0);
        let children: Vec<PastChild> = d
            .children
            .iter()
            .map(|k| PastChild {
                class: k.class,
                code: random("ZF"),
                child_name: k.name.clone(),
                birth_date: k.birth_date.to_string(),
                guardian_name: k.guardian_name.clone(),
                guardian_phone: k.guardian_phone.clone(),
                guardian_unit_id: k.unit.map(|u| ids.units[u]),
                allergies: k.allergies.map(str::to_string),
                priority: rules.score(Facts {
                    member_unit: k.unit.is_some(),
                    shift_worker: k.shift_worker,
                    both_parents_on_shift: k.both_on_shift,
                }),
                waitlisted: k.waitlisted,
                queued_at: k.queued_at,
                pickups: k.pickups.iter().map(|(n, r, p)| (n.clone(), r.to_string(), p.clone())).collect(),
                rating: k.rating.map(|(s, c)| (s, c.map(str::to_string), ended + 86_400_000)),
            })
            .collect();
        let days: Vec<PastDay> = d
            .days
            .iter()
            .map(|x| {
                let who = |i: usize| d.children[x.child].pickups[i].0.clone();
                PastDay {
                    child: x.child,
                    day: x.day.to_string(),
                    in_at: (x.in_at.0, who(x.in_at.1)),
                    out_at: x.out_at.map(|o| (o.0, who(o.1))),
                    meal: x.meal,
                    nap: x.nap.clone(),
                    note: x.note.map(str::to_string),
                    incident: x.incident.map(|(i, a)| (i.to_string(), a.to_string())),
                }
            })
            .collect();
        let absences: Vec<PastAbsence> = d.absences.iter().map(|a| (a.child, a.day.to_string(), a.reason.to_string(), a.at)).collect();
        let programme = PastProgramme {
            terms: &terms,
            classes: &classes,
            children: &children,
            days: &days,
            absences: &absences,
            shifts: &shifts.1,
            recorded_by: Some(coordinator),
        };
        past::create_past(&self.db, &programme).await?;
        Ok(children.len())
    }

    /// The shifts as activities of each class's team, the crew confirmed: a
    /// finished day's checked in and out and credited, today's checked in
    /// once it has begun, a coming day's only signed up; and (class, day, token).
    fn demo_shifts(
        &self,
        d: &DemoChildcare,
        region: &DemoRegion,
        ids: &RegionIds,
        by: i64,
        now: i64,
    ) -> (Vec<PastActivity>, Vec<(usize, String, String)>) {
        let mut acts = Vec::new();
        let mut links = Vec::new();
        for (ci, day, crew) in &d.shifts {
            let c = &d.classes[*ci];
            let (starts, ends) = (at(*day, 8, 0), at(*day, 17, 30));
            let tok = random("cc");
            let signups = crew
                .iter()
                .enumerate()
                .map(|(k, v)| PastSignup {
                    volunteer_id: ids.volunteers[*v],
                    status: SignupStatus::Confirmed,
                    queued_at: starts - 7 * 86_400_000 + k as i64 * 60_000,
                    attendance: (starts <= now).then_some((starts, (ends <= now).then_some(ends), false)),
                    entry: (ends + 3_600_000 <= now).then(|| PastEntry {
                        kind: "activity",
                        hours: tongxing_domain::hours::hours(ends - starts),
                        served_on: day.to_string(),
                        span: Some((starts, ends)),
                        note: None,
                        by,
                        at: ends + 3_600_000,
                    }),
                })
                .collect();
            acts.push(PastActivity {
                plan: NewActivity {
                    team_id: ids.teams[c.team],
                    community_id: ids.communities[c.community],
                    district_id: ids.districts[region.communities[c.community].district],
                    project_id: None,
                    title: format!("{} · {day}", c.name),
                    description: None,
                    address: Some(c.address.clone()),
                    theme: None,
                    sessions: vec![(starts, ends)],
                    capacity: caretakers_needed(c.capacity, c.per_caretaker) + 1,
                    risky: false,
                    insurance: None,
                    adults_only: true,
                    walk_ups: false,
                    roles: Vec::new(),
                    created_by: Some(by),
                    tokens: vec![tok.clone()],
                },
                series: None,
                hours_confirmed: (ends + 3_600_000 <= now).then_some((ends + 3_600_000, by)),
                created_at: starts - 14 * 86_400_000,
                signups,
            });
            links.push((*ci, day.to_string(), tok));
        }
        (acts, links)
    }
}
