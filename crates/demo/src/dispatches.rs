//! Two past emergency calls (C4), like the source's: a summer flood clean-up
//! (汛期积水清理突击) that filled its 60 places within about forty minutes,
//! and a smaller winter snow clearing (雪后道路清扫) that closed a few short
//! when the work began. Chosen and split the way the live service does it —
//! the domain's ranking and quota split over the region's adults who were
//! free then — with each person's answer, the backing roll-call's check-ins
//! and the hours credited for it.
//!
//! Time is passed in (`now`, unix ms): both calls happened within the year before it.

use std::collections::{HashMap, HashSet};

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use tongxing_domain::activities::{overlaps, served_ms, SignupStatus, HOUR_MS};
use tongxing_domain::dispatch::pool::{Person, Pool};
use tongxing_domain::dispatch::quota::UnitQuota;
use tongxing_domain::dispatch::rank::{self, eligible, plan, wave_of, CallSpec, Ranked};
use tongxing_domain::dispatch::ResponseStatus;
use tongxing_domain::id_number;
use tongxing_domain::time::region_date;

use crate::activities::{day_of, DemoAttendance, DemoCredit, DemoYear, DAY_MS, MINUTE_MS};
use crate::DemoRegion;

/// A past call with everyone asked and how they answered.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoCall {
    pub title: &'static str,
    pub description: &'static str,
    pub address: String,
    /// Index into `DemoRegion::communities`: where help was needed.
    pub community: usize,
    pub radius_km: f64,
    pub created_at: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub needed: u32,
    /// Per unit, `unit_id` an index into `DemoRegion::units`.
    pub quotas: Vec<UnitQuota>,
    /// Index into `DemoRegion::teams`: leads on site; the backing activity is theirs.
    pub team: usize,
    pub waves: u32,
    pub filled_at: Option<i64>,
    pub closed_at: i64,
    pub hours_confirmed_at: i64,
    /// In the order they were asked.
    pub responses: Vec<DemoResponse>,
    /// What the live board showed, oldest first: `created`, `wave`, each answer's status, `closed`.
    pub events: Vec<(i64, &'static str)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoResponse {
    /// Index into `DemoRegion::volunteers`.
    pub volunteer: usize,
    /// Index into `DemoRegion::units`: the volunteer's own.
    pub unit: usize,
    pub wave: u32,
    pub score: f64,
    pub distance_km: f64,
    pub status: ResponseStatus,
    pub notified_at: i64,
    pub answered_at: Option<i64>,
    /// The confirmed who came, and what the roll-call's hours credited them.
    pub attendance: Option<DemoAttendance>,
    pub credit: Option<DemoCredit>,
}

/// What a call was, before anyone was asked.
struct Spec {
    title: &'static str,
    description: &'static str,
    /// "MM-DD" of the most recent such day before now.
    date: &'static str,
    community: &'static str,
    street: &'static str,
    /// Minutes of the region day: the call, the start, the end.
    created: i64,
    starts: i64,
    ends: i64,
    needed: u32,
    units: usize,
    radius_km: f64,
    /// Minutes after the call that the second wave went out.
    second_wave: i64,
    /// Minutes after the call by which everyone who answered had.
    answered_within: i64,
    /// How many said yes, against `needed`.
    accepting: i64,
    closes_at_start: bool,
}

const SPECS: [Spec; 2] = [
    Spec {
        title: "雪后道路清扫",
        description: "夜间降雪，主干道和小区出入口积雪结冰，急需志愿者清扫积雪、撒融雪剂。请自带扫帚或铁锹，注意防滑。",
        date: "01-12",
        community: "文汇小区",
        street: "至胜利大街沿线人行道",
        created: 6 * 60 + 20,
        starts: 8 * 60,
        ends: 11 * 60,
        needed: 20,
        units: 4,
        radius_km: 4.0,
        second_wave: 30,
        answered_within: 85,
        accepting: -3,
        closes_at_start: true,
    },
    Spec {
        title: "汛期积水清理突击",
        description: "连夜暴雨致多处道路和地下通道积水，急需志愿者协助清理积水、疏通雨水口、疏导交通。请穿雨靴、戴手套。",
        date: "07-18",
        community: "雅苑小区",
        street: "周边道路及地下通道",
        created: 5 * 60 + 40,
        starts: 7 * 60,
        ends: 11 * 60,
        needed: 60,
        units: 5,
        radius_km: 6.0,
        second_wave: 12,
        answered_within: 40,
        accepting: 6,
        closes_at_start: false,
    },
];

/// The region's clock runs at UTC+8.
const OFFSET_MS: i64 = 8 * HOUR_MS;
/// Of the confirmed, this share came and checked in.
const TURNOUT: f64 = 0.95;
/// Of those asked who did not say yes, this share said no; the rest never answered.
const DECLINING: f64 = 0.45;

/// The two calls in time order; same seed, region, year and `now`, same calls.
/// Nobody asked was a minor then or signed up for anything of `year` near
/// the call's hours, so the roll-call's hours overlap none of theirs.
pub fn past_calls(seed: u64, region: &DemoRegion, year: &DemoYear, now: i64) -> Vec<DemoCall> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x6469_7370);
    let mut pool = Pool::default();
    for (v, vol) in region.volunteers.iter().enumerate() {
        let home = &region.communities[vol.community];
        pool.upsert(&Person {
            volunteer_id: v as i64,
            unit_id: vol.unit as i64,
            lat: home.lat,
            lng: home.lng,
            active: true,
            // Minors are left out by `skip`, from their ID number at the call's date.
            adult_from_ms: Some(i64::MIN),
            skills: vol.skills.clone(),
            last_called_ms: None,
            invited: 0,
            accepted: 0,
            // The two calls are months apart: nobody is resting from the other.
            served_until_ms: None,
        });
    }
    let mut calls: Vec<DemoCall> = SPECS.iter().map(|s| call(&mut rng, region, year, &mut pool, s, now)).collect();
    calls.sort_by_key(|c| c.created_at);
    calls
}

/// Unix ms of `minute` minutes into the most recent "MM-DD" at least three days before `now`.
fn last(date: &str, minute: i64, now: i64) -> i64 {
    let today = day_of(now);
    let day = (today - 3 - 366..=today - 3)
        .rev()
        .find(|d| region_date(d * DAY_MS - OFFSET_MS + 12 * HOUR_MS).format("%m-%d").to_string() == date)
        .unwrap_or(today - 100);
    day * DAY_MS - OFFSET_MS + minute * MINUTE_MS
}

/// Who cannot be asked: under 18 on the day, or signed up for something then (with time to get there).
fn unavailable(region: &DemoRegion, year: &DemoYear, span: (i64, i64)) -> HashSet<i64> {
    let pad = 30 * MINUTE_MS;
    let mut skip: HashSet<i64> = HashSet::new();
    for a in year.activities.iter().filter(|a| overlaps((a.starts_at - pad, a.ends_at + pad), span)) {
        skip.extend(a.signups.iter().filter(|s| s.status != SignupStatus::Cancelled).map(|s| s.volunteer as i64));
    }
    let day = region_date(span.0);
    for (v, vol) in region.volunteers.iter().enumerate() {
        let birth = vol.id_number.as_deref().and_then(|n| id_number::parse(n).ok()).map(|id| id.birth_date);
        if birth.is_none_or(|b| id_number::age_on(b, day) < 18) {
            skip.insert(v as i64);
        }
    }
    skip
}

fn call(rng: &mut StdRng, region: &DemoRegion, year: &DemoYear, pool: &mut Pool, s: &Spec, now: i64) -> DemoCall {
    let created_at = last(s.date, s.created, now);
    let (starts_at, ends_at) = (created_at + (s.starts - s.created) * MINUTE_MS, created_at + (s.ends - s.created) * MINUTE_MS);
    let community = region.communities.iter().position(|c| c.name == s.community).unwrap_or(0);
    let home = &region.communities[community];
    let mut spec = CallSpec {
        lat: home.lat,
        lng: home.lng,
        starts_ms: starts_at,
        ends_ms: ends_at,
        now_ms: created_at,
        skills: Vec::new(),
        unit_ids: Vec::new(),
        max_distance_km: s.radius_km,
        served_lately_after_ms: rank::served_lately_after(starts_at, 3),
    };
    let mut skip = unavailable(region, year, (starts_at, ends_at));
    // The coordinator calls on the units with the most people near.
    let mut near: HashMap<i64, u32> = HashMap::new();
    for r in eligible(pool, &spec, &skip) {
        *near.entry(r.unit_id).or_default() += 1;
    }
    let mut units: Vec<(i64, u32)> = near.into_iter().collect();
    units.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    spec.unit_ids = units.iter().take(s.units).map(|u| u.0).collect();
    let first = plan(pool, &spec, &skip, s.needed, None);
    let mut asked: Vec<(Ranked, u32, i64)> = first.wave.iter().map(|r| (*r, 1, created_at)).collect();
    skip.extend(first.wave.iter().map(|r| r.volunteer_id));
    // A second wave to the next best, for a third more of each quota.
    let mut rest: HashMap<i64, Vec<Ranked>> = HashMap::new();
    for r in eligible(pool, &spec, &skip) {
        rest.entry(r.unit_id).or_default().push(r);
    }
    let second = created_at + s.second_wave * MINUTE_MS;
    for q in &first.quotas {
        let more = wave_of(rest.remove(&q.unit_id).unwrap_or_default(), q.quota.div_ceil(3));
        asked.extend(more.into_iter().map(|r| (r, 2, second)));
    }
    let waves = if asked.iter().any(|a| a.1 == 2) { 2 } else { 1 };
    let mut responses = answers(rng, s, &asked, created_at);
    let filled_at = fill(&mut responses, s.needed);
    let closed_at = if s.closes_at_start { starts_at } else { ends_at };
    let hours_confirmed_at = ends_at + rng.gen_range(3..30) * HOUR_MS;
    attend(rng, &mut responses, (starts_at, ends_at));
    for r in &responses {
        pool.record_call(r.volunteer as i64, r.notified_at);
        if matches!(r.status, ResponseStatus::Confirmed | ResponseStatus::Standby) {
            pool.record_acceptance(r.volunteer as i64);
        }
    }
    let lead_unit = first.quotas.iter().max_by(|a, b| a.quota.cmp(&b.quota).then(b.unit_id.cmp(&a.unit_id))).map(|q| q.unit_id);
    let district = home.district;
    let team = (0..region.teams.len())
        .filter(|&t| region.teams[t].unit.map(|u| u as i64) == lead_unit)
        .min_by_key(|&t| (region.teams[t].district != district, t))
        .or_else(|| region.teams.iter().position(|t| t.district == district))
        .unwrap_or(0);
    let events = events(created_at, second, waves, &responses, closed_at);
    DemoCall {
        title: s.title,
        description: s.description,
        address: format!("{}{}", s.community, s.street),
        community,
        radius_km: s.radius_km,
        created_at,
        starts_at,
        ends_at,
        needed: s.needed,
        quotas: first.quotas,
        team,
        waves,
        filled_at,
        closed_at,
        hours_confirmed_at,
        responses,
        events,
    }
}

/// Who said yes, who said no and who never answered, and when.
fn answers(rng: &mut StdRng, s: &Spec, asked: &[(Ranked, u32, i64)], created_at: i64) -> Vec<DemoResponse> {
    let mut order: Vec<usize> = (0..asked.len()).collect();
    order.shuffle(rng);
    let yes = (i64::from(s.needed) + s.accepting).clamp(0, asked.len() as i64) as usize;
    let mut outcome = vec![None; asked.len()];
    for (k, &i) in order.iter().enumerate() {
        outcome[i] = if k < yes {
            Some(ResponseStatus::Confirmed)
        } else if rng.gen_bool(DECLINING) {
            Some(ResponseStatus::Declined)
        } else {
            None
        };
    }
    asked
        .iter()
        .zip(outcome)
        .map(|(&(r, wave, notified_at), status)| {
            let left = s.answered_within - (notified_at - created_at) / MINUTE_MS;
            DemoResponse {
                volunteer: r.volunteer_id as usize,
                unit: r.unit_id as usize,
                wave,
                score: (r.score * 1000.0).round() / 1000.0,
                distance_km: (r.distance_km * 100.0).round() / 100.0,
                status: status.unwrap_or(ResponseStatus::Notified),
                notified_at,
                answered_at: status.map(|_| notified_at + rng.gen_range(1..=left.max(1)) * MINUTE_MS + rng.gen_range(0..60_000)),
                attendance: None,
                credit: None,
            }
        })
        .collect()
}

/// Yes-answers in the order they came: confirmed until the call is full,
/// then on standby. Returns when it filled.
fn fill(responses: &mut [DemoResponse], needed: u32) -> Option<i64> {
    let mut yes: Vec<usize> = (0..responses.len()).filter(|&i| responses[i].status == ResponseStatus::Confirmed).collect();
    yes.sort_by_key(|&i| (responses[i].answered_at, responses[i].volunteer));
    for (k, &i) in yes.iter().enumerate() {
        if k >= needed as usize {
            responses[i].status = ResponseStatus::Standby;
        }
    }
    yes.get(needed as usize - 1).and_then(|&i| responses[i].answered_at)
}

/// Check-ins and check-outs of the confirmed at the roll-call, and their credited time.
fn attend(rng: &mut StdRng, responses: &mut [DemoResponse], (starts, ends): (i64, i64)) {
    for r in responses.iter_mut().filter(|r| r.status == ResponseStatus::Confirmed) {
        if !rng.gen_bool(TURNOUT) {
            continue;
        }
        let checked_in = starts + rng.gen_range(-15..=10) * MINUTE_MS;
        let out = ends + rng.gen_range(-20..=10) * MINUTE_MS;
        r.attendance = Some(DemoAttendance { checked_in_at: checked_in, checked_out_at: Some(out), auto_closed: false });
        let ms = served_ms(checked_in, out, starts, ends);
        r.credit = (ms > 0).then_some(DemoCredit { manual: false, started_at: checked_in.max(starts), ms });
    }
}

fn events(created_at: i64, second: i64, waves: u32, responses: &[DemoResponse], closed_at: i64) -> Vec<(i64, &'static str)> {
    let mut out = vec![(created_at, "created"), (created_at, "wave")];
    if waves > 1 {
        out.push((second, "wave"));
    }
    out.extend(responses.iter().filter_map(|r| r.answered_at.map(|at| (at, r.status.as_str()))));
    out.push((closed_at, "closed"));
    out.sort_by_key(|e| e.0);
    out
}
