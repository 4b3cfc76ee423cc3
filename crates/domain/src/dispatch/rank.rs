//! Who to call, best first: eligibility, the score, and how many of the best
//! to notify so a unit's quota fills given how often people say yes.

use std::collections::{HashMap, HashSet};

use super::pool::{Pool, Row};
use super::quota::{split, UnitQuota};

const DAY_MS: i64 = 86_400_000;
/// Someone last called this long ago (or never) counts as fully rested.
const RESTED_AFTER_DAYS: f64 = 30.0;
/// Distance at which the distance part of the score halves.
const HALF_SCORE_KM: f64 = 5.0;
/// Notify until the expected acceptances reach the quota times this.
pub const WAVE_SAFETY: f64 = 1.25;
const EARTH_KM_PER_DEGREE: f64 = 111.195;

/// The call as ranking sees it.
#[derive(Debug, Clone)]
pub struct CallSpec {
    pub lat: f64,
    pub lng: f64,
    pub starts_ms: i64,
    pub ends_ms: i64,
    /// "Now", for how long ago someone was last called.
    pub now_ms: i64,
    /// Wanted skills: with any, a candidate must have at least one of them,
    /// and more of them ranks higher.
    pub skills: Vec<String>,
    /// Only these units; empty means every unit.
    pub unit_ids: Vec<i64>,
    pub max_distance_km: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Ranked {
    pub volunteer_id: i64,
    pub unit_id: i64,
    pub distance_km: f64,
    pub score: f64,
    /// The estimated chance they accept: (accepted + 1) / (invited + 2).
    #[serde(skip)]
    pub acceptance: f64,
}

/// A call's split and whom to notify first, per unit, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub quotas: Vec<UnitQuota>,
    pub wave: Vec<Ranked>,
}

/// Everyone eligible, unsorted: active, adult when the call starts, not in
/// `skip` (busy at that time, or already notified), within the distance, in
/// the chosen units, with a wanted skill.
pub fn eligible(pool: &Pool, spec: &CallSpec, skip: &HashSet<i64>) -> Vec<Ranked> {
    let wanted: Vec<u16> = spec.skills.iter().filter_map(|s| pool.skill_id(s)).collect();
    if !spec.skills.is_empty() && wanted.is_empty() {
        return Vec::new(); // nobody in the region has any wanted skill
    }
    let cos_lat = spec.lat.to_radians().cos();
    let max_d2 = (spec.max_distance_km / EARTH_KM_PER_DEGREE).powi(2);
    let mut out = Vec::new();
    for r in &pool.rows {
        if !r.active || r.adult_from_ms > spec.starts_ms {
            continue;
        }
        if !spec.unit_ids.is_empty() && !spec.unit_ids.contains(&r.unit_id) {
            continue;
        }
        let dx = (f64::from(r.lng) - spec.lng) * cos_lat;
        let dy = f64::from(r.lat) - spec.lat;
        let d2 = dx * dx + dy * dy;
        if d2 > max_d2 {
            continue;
        }
        let matched = if wanted.is_empty() { 0 } else { count_matches(pool.skills_of(r), &wanted) };
        if !wanted.is_empty() && matched == 0 {
            continue;
        }
        if skip.contains(&r.volunteer_id) {
            continue;
        }
        let distance_km = d2.sqrt() * EARTH_KM_PER_DEGREE;
        out.push(score(r, distance_km, matched, wanted.len(), spec.now_ms));
    }
    out
}

fn count_matches(has: &[u16], wanted: &[u16]) -> usize {
    wanted.iter().filter(|w| has.binary_search(w).is_ok()).count()
}

fn score(r: &Row, distance_km: f64, matched: usize, wanted: usize, now_ms: i64) -> Ranked {
    let near = 1.0 / (1.0 + distance_km / HALF_SCORE_KM);
    let skills = if wanted == 0 { 1.0 } else { matched as f64 / wanted as f64 };
    let rested = match r.last_called() {
        None => 1.0,
        Some(t) => ((now_ms - t).max(0) as f64 / DAY_MS as f64 / RESTED_AFTER_DAYS).min(1.0),
    };
    let acceptance = (f64::from(r.accepted) + 1.0) / (f64::from(r.invited) + 2.0);
    Ranked {
        volunteer_id: r.volunteer_id,
        unit_id: r.unit_id,
        distance_km,
        score: 0.35 * near + 0.25 * rested + 0.2 * skills + 0.2 * acceptance,
        acceptance,
    }
}

/// Best first; equal scores by volunteer id so the order is stable.
pub fn best_first(a: &Ranked, b: &Ranked) -> std::cmp::Ordering {
    b.score.total_cmp(&a.score).then(a.volunteer_id.cmp(&b.volunteer_id))
}

/// Sorts only as much of `people` as a wave for `quota` can use and returns
/// that wave, best first: the fewest of the best whose expected acceptances
/// reach `quota × WAVE_SAFETY`, or everyone when even that falls short.
pub fn wave_of(mut people: Vec<Ranked>, quota: u32) -> Vec<Ranked> {
    if quota == 0 || people.is_empty() {
        return Vec::new();
    }
    let target = f64::from(quota) * WAVE_SAFETY;
    // Nobody's chance is below 1/(invited+2); start with a prefix sized for
    // an even chance and grow it only in the rare case it is not enough.
    let mut k = (quota as usize * 3 + 8).min(people.len());
    loop {
        if k < people.len() {
            people.select_nth_unstable_by(k - 1, best_first);
        }
        people[..k].sort_unstable_by(best_first);
        let mut expected = 0.0;
        for (i, p) in people[..k].iter().enumerate() {
            expected += p.acceptance;
            if expected + 1e-9 >= target {
                people.truncate(i + 1);
                return people;
            }
        }
        if k == people.len() {
            return people;
        }
        k = (k * 2).min(people.len());
    }
}

/// The whole decision for a new call: eligible people per unit, the split of
/// `needed` (or the coordinator's own quotas), and the first wave per unit.
pub fn plan(pool: &Pool, spec: &CallSpec, skip: &HashSet<i64>, needed: u32, adjusted: Option<&[UnitQuota]>) -> Plan {
    let mut by_unit: HashMap<i64, Vec<Ranked>> = HashMap::new();
    for p in eligible(pool, spec, skip) {
        by_unit.entry(p.unit_id).or_default().push(p);
    }
    let mut counts: Vec<(i64, u32)> = by_unit.iter().map(|(&u, v)| (u, v.len() as u32)).collect();
    // Chosen units with nobody eligible still show, with 0.
    for &u in &spec.unit_ids {
        if !by_unit.contains_key(&u) {
            counts.push((u, 0));
        }
    }
    counts.sort_unstable();
    let quotas = match adjusted {
        Some(q) => counts
            .iter()
            .map(|&(unit_id, eligible)| UnitQuota {
                unit_id,
                eligible,
                quota: q.iter().find(|x| x.unit_id == unit_id).map_or(0, |x| x.quota.min(eligible)),
            })
            .collect(),
        None => split(needed, &counts),
    };
    let mut wave = Vec::new();
    for q in &quotas {
        if let Some(people) = by_unit.remove(&q.unit_id) {
            wave.extend(wave_of(people, q.quota));
        }
    }
    Plan { quotas, wave }
}
