//! How much two consecutive calls at one place ask the same people, in the
//! demo region (3,200 volunteers): a 60-person call at 雅苑小区 filled one
//! of two ways, then the same call a day later, with the rest off
//! (`rest_days` 0, the score alone: the rule before the rest) and on.
//! - `Answered`: the first wave's people answer by their acceptance chance;
//!   the first 60 yes are confirmed (their call statistics count it).
//! - `Committed`: the liaisons commit their units' best candidates not in
//!   the wave, as the board lets them; nobody asked them, so their call
//!   statistics (last called, invited, accepted) do not change.
//!
//! `cargo test -p tongxing-demo consecutive_calls -- --nocapture` prints the
//! figures bench/README.md reports.

use std::collections::HashSet;

use rand::{Rng, SeedableRng};
use tongxing_domain::dispatch::pool::{Person, Pool};
use tongxing_domain::dispatch::rank::{self, CallSpec};

use super::*;

const NOW: i64 = 1_796_000_000_000;
const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;

#[derive(Debug, Clone, Copy)]
enum Filled {
    Answered,
    Committed,
}

#[derive(Debug)]
struct Overlap {
    first_wave: usize,
    confirmed: usize,
    second_wave: usize,
    /// Of the first call's confirmed: how many are among the next call's 20 best, and in its first wave.
    confirmed_in_top20: usize,
    confirmed_in_second_wave: usize,
    both_waves: usize,
}

fn person(region: &DemoRegion, v: usize) -> Person {
    let vol = &region.volunteers[v];
    let home = &region.communities[vol.community];
    Person {
        volunteer_id: v as i64,
        unit_id: vol.unit as i64,
        lat: home.lat,
        lng: home.lng,
        active: true,
        adult_from_ms: Some(i64::MIN),
        skills: vol.skills.clone(),
        last_called_ms: None,
        invited: 0,
        accepted: 0,
        served_until_ms: None,
    }
}

fn consecutive_calls(region: &DemoRegion, place: usize, filled: Filled, rest_days: u32) -> Overlap {
    let mut pool = Pool::default();
    let mut people: Vec<Person> = (0..region.volunteers.len()).map(|v| person(region, v)).collect();
    people.iter().for_each(|p| pool.upsert(p));
    let home = &region.communities[place];
    let spec = |days_later: i64| {
        let starts_ms = NOW + 2 * HOUR + days_later * DAY;
        CallSpec {
            lat: home.lat,
            lng: home.lng,
            starts_ms,
            ends_ms: starts_ms + 4 * HOUR,
            now_ms: NOW + days_later * DAY,
            skills: Vec::new(),
            unit_ids: Vec::new(),
            max_distance_km: 30.0,
            served_lately_after_ms: rank::served_lately_after(starts_ms, rest_days),
        }
    };
    let none = HashSet::new();
    let first = spec(0);
    let wave = rank::plan(&pool, &first, &none, 60, None).wave;
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let mut confirmed = Vec::new();
    for r in &wave {
        let p = &mut people[r.volunteer_id as usize];
        p.last_called_ms = Some(first.now_ms);
        p.invited += 1;
        if matches!(filled, Filled::Answered) && rng.gen_bool(r.acceptance) {
            p.accepted += 1;
            if confirmed.len() < 60 {
                confirmed.push(r.volunteer_id);
                p.served_until_ms = Some(first.ends_ms);
            }
        }
        pool.upsert(p);
    }
    if matches!(filled, Filled::Committed) {
        let asked: HashSet<i64> = wave.iter().map(|r| r.volunteer_id).collect();
        let mut candidates = rank::eligible(&pool, &first, &asked);
        candidates.sort_unstable_by(rank::best_first);
        for r in candidates.iter().take(60) {
            confirmed.push(r.volunteer_id);
            let p = &mut people[r.volunteer_id as usize];
            p.served_until_ms = Some(first.ends_ms);
            pool.upsert(p);
        }
    }
    let second = spec(1);
    let next: HashSet<i64> = rank::plan(&pool, &second, &none, 60, None).wave.iter().map(|r| r.volunteer_id).collect();
    let mut ranked = rank::eligible(&pool, &second, &none);
    ranked.sort_unstable_by(rank::best_first);
    let top20: HashSet<i64> = ranked.iter().take(20).map(|r| r.volunteer_id).collect();
    Overlap {
        first_wave: wave.len(),
        confirmed: confirmed.len(),
        second_wave: next.len(),
        confirmed_in_top20: confirmed.iter().filter(|v| top20.contains(v)).count(),
        confirmed_in_second_wave: confirmed.iter().filter(|v| next.contains(v)).count(),
        both_waves: wave.iter().filter(|r| next.contains(&r.volunteer_id)).count(),
    }
}

#[test]
fn consecutive_calls_at_one_place_ask_the_first_crew_again_only_after_the_rested() {
    let region = generate(42, DEFAULT_VOLUNTEERS, DEFAULT_BENEFICIARIES);
    let place = region.communities.iter().position(|c| c.name == "雅苑小区").unwrap_or(0);
    for filled in [Filled::Answered, Filled::Committed] {
        let before = consecutive_calls(&region, place, filled, 0);
        let after = consecutive_calls(&region, place, filled, 3);
        println!("{filled:?}, rest_days 0: {before:?}");
        println!("{filled:?}, rest_days 3: {after:?}");
        assert_eq!((before.confirmed, after.confirmed), (60, 60));
        // The waves are full-size whether or not the rule holds the first crew back.
        assert!(before.first_wave >= 60 && after.second_wave >= 60, "{before:?} {after:?}");
        assert!(after.both_waves <= before.both_waves, "{before:?} {after:?}");
        assert_eq!((after.confirmed_in_top20, after.confirmed_in_second_wave), (0, 0), "{after:?}");
        assert!(after.confirmed_in_second_wave <= before.confirmed_in_second_wave);
    }
}
