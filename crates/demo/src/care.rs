//! 爱心守护 in the demo: most of the region's beneficiaries paired with a
//! volunteer of their own community (else their district), a year of visits
//! at the pair's cadence — in person at lunchtime or early evening, when no
//! activity runs, so the ledger's overlap rule holds — pairs late at every
//! warning level, a few paused, some without a pair, one handover with its
//! history, and the demo volunteer (张晓静) with two pairs, one due this week.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tongxing_domain::care::due::{day_of_ms, default_every_days};

use crate::DemoRegion;

const DAY_MS: i64 = 86_400_000;
const MINUTE_MS: i64 = 60_000;
/// Share of beneficiaries with a pair; the rest show up as uncovered.
const PAIRED_SHARE: f64 = 0.85;
/// Concerns raised, and how many of them the demo turns into needs.
pub const CONCERNS_TO_NEEDS: usize = 5;
const CONCERNS: &[&str] = &["家里暖气不热", "最近摔了一跤，腿疼", "感冒发烧几天了", "厨房水龙头漏水需要维修", "药快吃完了需要代购"];
const NOTES: &[&str] = &["陪老人聊天，量了血压", "帮忙打扫卫生", "代购米面油", "陪同去社区卫生站", "读报、聊家常", "检查燃气和电器安全"];
const HELP: &[&str] = &["聊天陪伴、代购", "打扫卫生、陪同就医", "代购、读报", "陪伴、安全检查"];

#[derive(Debug, Clone, PartialEq)]
pub struct DemoVisit {
    pub visited_at: i64,
    pub minutes: i64,
    pub mode: &'static str,
    pub contact_made: bool,
    pub notes: Option<String>,
    pub concern: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoPair {
    /// Index into `DemoRegion::beneficiaries`.
    pub beneficiary: usize,
    /// Index into `DemoRegion::volunteers`.
    pub volunteer: usize,
    pub every_days: i64,
    /// Region day numbers.
    pub starts_day: i64,
    pub due_day: i64,
    /// `active`, `paused` or `handed_over`.
    pub status: &'static str,
    pub paused_day: Option<i64>,
    pub paused_until: Option<i64>,
    pub help: &'static str,
    /// Index of the pair (in this list) this one took over from.
    pub previous: Option<usize>,
    pub visits: Vec<DemoVisit>,
}

/// How late a pair's last visit leaves it, in days past its due day.
fn lateness(rng: &mut StdRng) -> i64 {
    match rng.gen_range(0..100) {
        0..=5 => rng.gen_range(2..6),     // blue
        6..=9 => rng.gen_range(8..13),    // yellow
        10..=12 => rng.gen_range(15..26), // orange
        13..=14 => rng.gen_range(32..50), // red
        _ => -rng.gen_range(0..5),        // on time
    }
}

/// A year of visits from `from` to `last` (day numbers), every `every` days.
fn visits(rng: &mut StdRng, from: i64, last: i64, every: i64, evening: bool) -> Vec<DemoVisit> {
    let mut out = Vec::new();
    let mut day = from + rng.gen_range(1..=every);
    while day <= last {
        let mode = match rng.gen_range(0..20) {
            0..=11 => "in_person",
            12..=16 => "phone",
            17 => "video",
            _ => "accompany",
        };
        // Region 12:00 or 17:00 (UTC+8): between the activities' time slots.
        let hour = if evening { 17 } else { 12 };
        let visited_at = day * DAY_MS + (hour - 8) * 3_600_000 + rng.gen_range(0..4) * 10 * MINUTE_MS;
        let contact_made = rng.gen_bool(0.95);
        out.push(DemoVisit {
            visited_at,
            minutes: if mode == "phone" || mode == "video" { rng.gen_range(10..30) } else { rng.gen_range(30..=100) },
            mode,
            contact_made,
            notes: Some(NOTES[rng.gen_range(0..NOTES.len())].to_string()),
            concern: None,
        });
        day += (every + rng.gen_range(-2..=1)).max(1);
    }
    // The last visit falls on `last`, so the pair is exactly as late as planned.
    if let Some(v) = out.last_mut() {
        v.visited_at += (last - day_of_ms(v.visited_at)) * DAY_MS;
        v.contact_made = true;
    }
    out
}

/// The demo's pairs. Same seed, region and `now`, same pairs.
pub fn care(seed: u64, region: &DemoRegion, now: i64) -> Vec<DemoPair> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0xCA2E);
    let today = day_of_ms(now);
    let mut load = vec![0usize; region.volunteers.len()];
    load[0] = 2; // the demo volunteer gets her two pairs below, nobody else's
    let mut pairs = Vec::new();
    let mut hers = Vec::new();
    for (bi, b) in region.beneficiaries.iter().enumerate() {
        if hers.len() < 2 && b.community == region.volunteers[0].community {
            hers.push(bi);
            continue;
        }
        if !rng.gen_bool(PAIRED_SHARE) {
            continue;
        }
        let district = region.communities[b.community].district;
        let pick = (0..region.volunteers.len()).filter(|&v| load[v] < 2).min_by_key(|&v| {
            let c = region.volunteers[v].community;
            (c != b.community, region.communities[c].district != district, load[v], (v * 7919 + bi) % 101)
        });
        let Some(v) = pick else { continue };
        let every = default_every_days(b.kind);
        let starts = today - rng.gen_range(200..366);
        let late = lateness(&mut rng);
        let last = today - every - late;
        let mut p = DemoPair {
            beneficiary: bi,
            volunteer: v,
            every_days: every,
            starts_day: starts,
            due_day: 0,
            status: "active",
            paused_day: None,
            paused_until: None,
            help: HELP[rng.gen_range(0..HELP.len())],
            previous: None,
            visits: visits(&mut rng, starts, last, every, load[v] == 1),
        };
        load[v] += 1;
        p.due_day = p.visits.last().map_or(starts + every, |x| day_of_ms(x.visited_at) + every);
        pairs.push(p);
    }
    for (k, &bi) in hers.iter().enumerate() {
        let every = default_every_days(region.beneficiaries[bi].kind);
        let starts = today - 180;
        // One due within this week, the other later.
        let last = if k == 0 { today - every + 3 } else { today - 2 };
        let mut p = DemoPair {
            beneficiary: bi,
            volunteer: 0,
            every_days: every,
            starts_day: starts,
            due_day: 0,
            status: "active",
            paused_day: None,
            paused_until: None,
            help: HELP[k],
            previous: None,
            visits: visits(&mut rng, starts, last, every, k == 1),
        };
        if let Some(v) = p.visits.last_mut() {
            v.visited_at = (last * DAY_MS) + (if k == 1 { 9 } else { 4 }) * 3_600_000;
            v.contact_made = true;
        }
        p.due_day = last + every;
        pairs.push(p);
    }
    pause_a_few(&mut rng, &mut pairs, today);
    raise_concerns(&mut rng, &mut pairs);
    hand_one_over(&mut rng, region, &mut pairs, &load, today);
    pairs
}

fn pause_a_few(rng: &mut StdRng, pairs: &mut [DemoPair], today: i64) {
    for p in pairs.iter_mut().filter(|p| p.volunteer != 0).step_by(35) {
        p.status = "paused";
        p.paused_day = Some(today - rng.gen_range(2..10));
        p.paused_until = Some(today + rng.gen_range(5..20));
    }
}

fn raise_concerns(rng: &mut StdRng, pairs: &mut [DemoPair]) {
    let n = pairs.len();
    for k in 0..12 {
        let p = &mut pairs[(k * 17 + 3) % n];
        if let Some(v) = p.visits.iter_mut().rev().find(|v| v.contact_made && v.concern.is_none()) {
            v.concern = Some(CONCERNS[rng.gen_range(0..CONCERNS.len())].to_string());
        }
    }
}

/// The first paired beneficiary's volunteer hands over to a neighbour four
/// months ago: the old pair keeps its visits, the new one carries on.
fn hand_one_over(rng: &mut StdRng, region: &DemoRegion, pairs: &mut Vec<DemoPair>, load: &[usize], today: i64) {
    let Some(i) = pairs.iter().position(|p| p.volunteer != 0 && p.status == "active" && p.visits.len() > 12) else { return };
    let b = region.beneficiaries[pairs[i].beneficiary].community;
    let Some(next) = (1..region.volunteers.len()).find(|&v| load[v] == 0 && region.volunteers[v].community == b) else { return };
    let cut = today - 120;
    let old = &mut pairs[i];
    let later: Vec<DemoVisit> = old.visits.iter().filter(|v| day_of_ms(v.visited_at) > cut).cloned().collect();
    old.visits.retain(|v| day_of_ms(v.visited_at) <= cut);
    let mut new = old.clone();
    old.status = "handed_over";
    new.volunteer = next;
    new.starts_day = cut;
    new.previous = Some(i);
    new.visits = later;
    new.visits.iter_mut().for_each(|v| v.visited_at += rng.gen_range(0..2) * 10 * MINUTE_MS);
    pairs.push(new);
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_796_000_000_000;

    #[test]
    fn the_demo_volunteer_has_two_pairs_one_due_this_week_and_some_are_uncovered() {
        let region = crate::generate(20_260_714, 3200, 240);
        let pairs = care(20_260_714, &region, NOW);
        let today = day_of_ms(NOW);
        let hers: Vec<_> = pairs.iter().filter(|p| p.volunteer == 0).collect();
        assert_eq!(hers.len(), 2);
        assert!(hers.iter().any(|p| p.due_day >= today && p.due_day <= today + 7));
        let open: std::collections::HashSet<_> = pairs.iter().filter(|p| p.status != "handed_over").map(|p| p.beneficiary).collect();
        assert!(open.len() > 180 && open.len() < 240, "most paired, some uncovered: {}", open.len());
        assert!(pairs.iter().any(|p| p.status == "paused") && pairs.iter().any(|p| p.previous.is_some()));
        assert!(pairs.iter().any(|p| today - p.due_day >= 30), "a red pair");
        assert_eq!(care(20_260_714, &region, NOW), pairs, "deterministic");
    }

    #[test]
    fn one_volunteers_visits_never_overlap() {
        let region = crate::generate(20_260_714, 3200, 240);
        let pairs = care(20_260_714, &region, NOW);
        let mut by: std::collections::HashMap<usize, Vec<(i64, i64)>> = Default::default();
        for p in &pairs {
            for v in &p.visits {
                by.entry(p.volunteer).or_default().push((v.visited_at, v.visited_at + v.minutes * MINUTE_MS));
            }
        }
        for spans in by.values_mut() {
            spans.sort();
            assert!(spans.windows(2).all(|w| w[0].1 <= w[1].0), "{spans:?}");
        }
    }
}
