//! Who to call, best first: eligibility, the score, and how many of the best
//! to notify so a unit's quota fills given how often people say yes.

use std::collections::HashSet;

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

/// Kilometres from one point to another by the flat approximation the call
/// ranking uses (exact enough within a region); care's suggestions use it too.
pub fn distance_km(lat: f64, lng: f64, to_lat: f64, to_lng: f64) -> f64 {
    let dx = (to_lng - lng) * lat.to_radians().cos();
    let dy = to_lat - lat;
    (dx * dx + dy * dy).sqrt() * EARTH_KM_PER_DEGREE
}

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
    /// Someone confirmed on a call ending after this moment has served
    /// lately (see `served_lately_after`).
    pub served_lately_after_ms: i64,
}

/// For a call starting at `starts_ms`: who was confirmed on a call ending
/// less than `rest_days` before it (or on one still to come) ranks after
/// every eligible person who was not, so one call's crew is not the next
/// one's too. 0 days lets scores alone decide.
pub fn served_lately_after(starts_ms: i64, rest_days: u32) -> i64 {
    if rest_days == 0 {
        i64::MAX
    } else {
        starts_ms.saturating_sub(i64::from(rest_days) * DAY_MS)
    }
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
    /// Confirmed on a call lately: ranks after everyone who was not.
    #[serde(skip)]
    pub served_lately: bool,
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
    let mut out = Vec::new();
    scan(pool, spec, skip, |p| out.push(p));
    out
}

/// The eligibility scan: `emit` gets everyone eligible, scored, in pool order.
fn scan(pool: &Pool, spec: &CallSpec, skip: &HashSet<i64>, mut emit: impl FnMut(Ranked)) {
    let wanted: Vec<u16> = spec.skills.iter().filter_map(|s| pool.skill_id(s)).collect();
    if !spec.skills.is_empty() && wanted.is_empty() {
        return; // nobody in the region has any wanted skill
    }
    let cos_lat = spec.lat.to_radians().cos();
    let max_d2 = (spec.max_distance_km / EARTH_KM_PER_DEGREE).powi(2);
    let skipped = Skip::new(skip);
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
        if skipped.contains(r.volunteer_id) {
            continue;
        }
        let distance_km = d2.sqrt() * EARTH_KM_PER_DEGREE;
        emit(score(r, distance_km, matched, wanted.len(), spec));
    }
}

/// `skip` as the scan asks it, once per eligible row: a bitmap over the ids'
/// range (ids are dense), or a sorted list when the range is huge. Hashing
/// every row's id cost more than the rest of the scan.
enum Skip {
    Bits { lo: i64, bits: Vec<u64> },
    Sorted(Vec<i64>),
}

impl Skip {
    const MAX_BITS: u64 = 1 << 26; // 8 MiB

    fn new(skip: &HashSet<i64>) -> Skip {
        let (Some(&lo), Some(&hi)) = (skip.iter().min(), skip.iter().max()) else {
            return Skip::Bits { lo: 0, bits: Vec::new() };
        };
        let span = hi.abs_diff(lo) + 1;
        if span > Self::MAX_BITS {
            let mut ids: Vec<i64> = skip.iter().copied().collect();
            ids.sort_unstable();
            return Skip::Sorted(ids);
        }
        let mut bits = vec![0u64; span.div_ceil(64) as usize];
        for &id in skip {
            let at = id.abs_diff(lo);
            bits[(at / 64) as usize] |= 1 << (at % 64);
        }
        Skip::Bits { lo, bits }
    }

    fn contains(&self, id: i64) -> bool {
        match self {
            Skip::Bits { lo, bits } => {
                let at = id.wrapping_sub(*lo) as u64;
                bits.get((at / 64) as usize).is_some_and(|w| w & (1 << (at % 64)) != 0)
            }
            Skip::Sorted(ids) => ids.binary_search(&id).is_ok(),
        }
    }
}

fn count_matches(has: &[u16], wanted: &[u16]) -> usize {
    wanted.iter().filter(|w| has.binary_search(w).is_ok()).count()
}

fn score(r: &Row, distance_km: f64, matched: usize, wanted: usize, spec: &CallSpec) -> Ranked {
    let near = 1.0 / (1.0 + distance_km / HALF_SCORE_KM);
    let skills = if wanted == 0 { 1.0 } else { matched as f64 / wanted as f64 };
    let rested = match r.last_called() {
        None => 1.0,
        Some(t) => ((spec.now_ms - t).max(0) as f64 / DAY_MS as f64 / RESTED_AFTER_DAYS).min(1.0),
    };
    let acceptance = (f64::from(r.accepted) + 1.0) / (f64::from(r.invited) + 2.0);
    Ranked {
        volunteer_id: r.volunteer_id,
        unit_id: r.unit_id,
        distance_km,
        score: 0.35 * near + 0.25 * rested + 0.2 * skills + 0.2 * acceptance,
        acceptance,
        served_lately: r.served_until_ms > spec.served_lately_after_ms,
    }
}

/// Best first: the rested before those who served lately, then by score;
/// equal scores by volunteer id so the order is stable.
pub fn best_first(a: &Ranked, b: &Ranked) -> std::cmp::Ordering {
    a.served_lately.cmp(&b.served_lately).then(b.score.total_cmp(&a.score)).then(a.volunteer_id.cmp(&b.volunteer_id))
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
    // No unit's quota exceeds this, so no wave's first try (`wave_of`'s
    // quota·3+8 best) needs more than `keep` of a unit's best.
    let most = adjusted.into_iter().flatten().map(|q| q.quota).fold(needed, u32::max);
    let mut units = best_per_unit(pool, spec, skip, most as usize * 3 + 8);
    let mut counts: Vec<(i64, u32)> = units.iter().map(|u| (u.unit_id, u.eligible)).collect();
    // Chosen units with nobody eligible still show, with 0.
    for &u in &spec.unit_ids {
        if !units.iter().any(|x| x.unit_id == u) {
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
    for q in quotas.iter().filter(|q| q.quota > 0) {
        let Some(u) = units.iter_mut().find(|u| u.unit_id == q.unit_id) else { continue };
        match u.wave(q.quota) {
            Some(n) => wave.extend_from_slice(&u.best[..n]),
            // Rare: the unit's best are mostly unlikely to come; rank all of it.
            None => {
                let mut mine = eligible(pool, spec, skip);
                mine.retain(|p| p.unit_id == q.unit_id);
                wave.extend(wave_of(mine, q.quota));
            }
        }
    }
    Plan { quotas, wave }
}

/// A unit's eligible count and (a superset of) its `keep` best.
struct UnitBest {
    unit_id: i64,
    eligible: u32,
    best: Vec<Ranked>,
    keep: usize,
    /// The `keep`-th best seen so far: anyone after it has `keep` better
    /// people ahead and cannot be among the best.
    cutoff: Option<Ranked>,
}

impl UnitBest {
    fn new(unit_id: i64, keep: usize) -> UnitBest {
        UnitBest { unit_id, eligible: 0, best: Vec::new(), keep, cutoff: None }
    }

    fn push(&mut self, p: Ranked) {
        self.eligible += 1;
        if self.cutoff.is_some_and(|c| best_first(&p, &c).is_gt()) {
            return;
        }
        self.best.push(p);
        if self.best.len() >= 2 * self.keep {
            self.best.select_nth_unstable_by(self.keep - 1, best_first);
            self.best.truncate(self.keep);
            self.cutoff = Some(self.best[self.keep - 1]);
        }
    }

    /// What `wave_of` would pick from the whole unit, as a count of
    /// `best` (then sorted); `None` when the `keep` best do not decide it.
    fn wave(&mut self, quota: u32) -> Option<usize> {
        self.best.sort_unstable_by(best_first);
        self.best.truncate(self.keep);
        let target = f64::from(quota) * WAVE_SAFETY;
        let mut expected = 0.0;
        for (i, p) in self.best.iter().enumerate() {
            expected += p.acceptance;
            if expected + 1e-9 >= target {
                return Some(i + 1);
            }
        }
        (self.best.len() == self.eligible as usize).then_some(self.best.len())
    }
}

/// One scan: per unit, how many are eligible and the `keep` best of them,
/// so a call over 100,000 people sorts a few hundred, not all of them.
fn best_per_unit(pool: &Pool, spec: &CallSpec, skip: &HashSet<i64>, keep: usize) -> Vec<UnitBest> {
    let mut units: Vec<UnitBest> = Vec::new();
    // Unit ids are small database ids: a direct table finds a person's unit
    // without a search; others (never in practice) are searched for.
    let mut slot_of: Vec<u32> = Vec::new();
    scan(pool, spec, skip, |p| {
        let direct = usize::try_from(p.unit_id).ok().filter(|&u| u < 1 << 16);
        let slot = match direct.and_then(|u| slot_of.get(u)) {
            Some(&s) if s != u32::MAX => s as usize,
            _ => {
                let s = units.iter().position(|u| u.unit_id == p.unit_id).unwrap_or_else(|| {
                    units.push(UnitBest::new(p.unit_id, keep));
                    units.len() - 1
                });
                if let Some(u) = direct {
                    if slot_of.len() <= u {
                        slot_of.resize(u + 1, u32::MAX);
                    }
                    slot_of[u] = s as u32;
                }
                s
            }
        };
        units[slot].push(p);
    });
    units
}

#[cfg(test)]
mod tests;
