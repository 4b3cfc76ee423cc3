use super::*;
use crate::dispatch::pool::Person;
use proptest::prelude::*;

/// `plan` as first written: every eligible person grouped by unit, each
/// unit's wave by `wave_of`. The one-scan `plan` must decide the same.
fn reference(pool: &Pool, spec: &CallSpec, skip: &HashSet<i64>, needed: u32) -> Plan {
    let mut by_unit: std::collections::HashMap<i64, Vec<Ranked>> = Default::default();
    for p in eligible(pool, spec, skip) {
        by_unit.entry(p.unit_id).or_default().push(p);
    }
    let mut counts: Vec<(i64, u32)> = by_unit.iter().map(|(&u, v)| (u, v.len() as u32)).collect();
    counts.sort_unstable();
    let quotas = split(needed, &counts);
    let wave = quotas.iter().flat_map(|q| wave_of(by_unit.remove(&q.unit_id).unwrap_or_default(), q.quota)).collect();
    Plan { quotas, wave }
}

#[test]
fn skip_answers_the_same_over_a_dense_or_a_huge_range() {
    for set in [HashSet::from([5, 7, 70]), HashSet::from([-3, 5, 1 << 40]), HashSet::new()] {
        let s = Skip::new(&set);
        for id in [-4, -3, 0, 4, 5, 6, 7, 69, 70, 71, 1 << 40, i64::MAX, i64::MIN] {
            assert_eq!(s.contains(id), set.contains(&id), "{id} in {set:?}");
        }
    }
}

proptest! {
    #[test]
    fn one_scan_plan_matches_ranking_everyone(
        people in prop::collection::vec((1i64..5, 0.0f64..0.3, 0u32..60, 0u32..3, any::<bool>()), 0..400),
        needed in 1u32..40,
        skip_every in 2i64..9,
    ) {
        let mut pool = Pool::default();
        for (i, &(unit, off, invited, skill, adult)) in people.iter().enumerate() {
            pool.upsert(&Person {
                volunteer_id: i as i64 + 1,
                unit_id: unit,
                lat: 37.45 + off,
                lng: 118.50,
                active: true,
                adult_from_ms: adult.then_some(0),
                skills: vec![["急救", "驾驶", "医护"][skill as usize].to_string()],
                last_called_ms: (invited > 0).then_some(1_000 * i64::from(invited)),
                // Many asked often and never yes: waves beyond the first try.
                invited,
                accepted: invited % 3 / 2,
                served_until_ms: (invited % 4 == 1).then_some(90_000),
            });
        }
        let skip: HashSet<i64> = (1..=people.len() as i64).filter(|id| id % skip_every == 0).collect();
        let mut spec = CallSpec {
            lat: 37.45,
            lng: 118.50,
            starts_ms: 10,
            ends_ms: 20,
            now_ms: 100_000,
            skills: vec![],
            unit_ids: vec![],
            max_distance_km: 25.0,
            served_lately_after_ms: 80_000,
        };
        prop_assert_eq!(plan(&pool, &spec, &skip, needed, None), reference(&pool, &spec, &skip, needed));
        spec.skills = vec!["急救".into()];
        prop_assert_eq!(plan(&pool, &spec, &skip, needed, None), reference(&pool, &spec, &skip, needed));
    }
}
