//! Splitting a call's `needed` across units: proportional to the volunteers
//! each unit has who could come, by the largest-remainder rule, never above
//! what a unit has.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UnitQuota {
    pub unit_id: i64,
    /// Volunteers of the unit who could come.
    pub eligible: u32,
    pub quota: u32,
}

/// Quotas summing to `min(needed, Σ eligible)`, none above its unit's eligible
/// count, in the order of `eligible`. Largest remainder (Hamilton): everyone
/// first gets the floor of their exact share, then the seats left go to the
/// largest fractional parts, ties to the unit with more eligible people, then
/// the lower id, so the split is the same every time it is computed.
pub fn split(needed: u32, eligible: &[(i64, u32)]) -> Vec<UnitQuota> {
    let total: u64 = eligible.iter().map(|&(_, e)| u64::from(e)).sum();
    let seats = u64::from(needed).min(total);
    let mut out: Vec<UnitQuota> = eligible.iter().map(|&(unit_id, e)| UnitQuota { unit_id, eligible: e, quota: 0 }).collect();
    if seats == 0 {
        return out;
    }
    // Exact share e·seats/total as floor + remainder numerator (over `total`),
    // in integers so no rounding can make the sum drift.
    let mut rest: Vec<(usize, u64)> = Vec::with_capacity(out.len());
    let mut given = 0u64;
    for (i, q) in out.iter_mut().enumerate() {
        let exact = u64::from(q.eligible) * seats;
        // A share never exceeds `eligible` because seats ≤ total.
        q.quota = (exact / total) as u32;
        given += u64::from(q.quota);
        rest.push((i, exact % total));
    }
    rest.sort_by(|a, b| b.1.cmp(&a.1).then(out[b.0].eligible.cmp(&out[a.0].eligible)).then(out[a.0].unit_id.cmp(&out[b.0].unit_id)));
    // Seats left are fewer than units with a remainder, and a unit with a
    // remainder is strictly below its eligible count, so +1 stays within it.
    for &(i, _) in rest.iter().take((seats - given) as usize) {
        out[i].quota += 1;
    }
    out
}

/// Checks quotas a coordinator adjusted by hand: each within its unit's
/// eligible count. The sum may differ from `needed` — the coordinator may
/// over-ask one unit on purpose — but must reach it, or the call cannot fill.
pub fn check_adjusted(needed: u32, quotas: &[UnitQuota]) -> Result<(), &'static str> {
    if quotas.iter().any(|q| q.quota > q.eligible) {
        return Err("quota_above_eligible");
    }
    let sum: u64 = quotas.iter().map(|q| u64::from(q.quota)).sum();
    let eligible: u64 = quotas.iter().map(|q| u64::from(q.eligible)).sum();
    if sum < u64::from(needed).min(eligible) {
        return Err("quotas_below_needed");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn quotas(needed: u32, e: &[(i64, u32)]) -> Vec<u32> {
        split(needed, e).iter().map(|q| q.quota).collect()
    }

    #[test]
    fn shares_follow_eligible_counts() {
        assert_eq!(quotas(60, &[(1, 100), (2, 100), (3, 100)]), vec![20, 20, 20]);
        // 60·(50,30,20)/100 = 30, 18, 12 exactly.
        assert_eq!(quotas(60, &[(1, 50), (2, 30), (3, 20)]), vec![30, 18, 12]);
        // 10·(1,1,1)/3 = 3.33 each: the extra seat goes to the lowest id on a tie.
        assert_eq!(quotas(10, &[(7, 1000), (3, 1000), (5, 1000)]), vec![3, 4, 3]);
    }

    #[test]
    fn largest_remainder_wins_the_spare_seats() {
        // 7·(6,3,1)/10 = 4.2, 2.1, 0.7 → floors 4,2,0; the one seat left goes to 0.7.
        assert_eq!(quotas(7, &[(1, 6), (2, 3), (3, 1)]), vec![4, 2, 1]);
    }

    #[test]
    fn never_asks_more_than_there_are() {
        assert_eq!(quotas(60, &[(1, 10), (2, 5)]), vec![10, 5]);
        assert_eq!(quotas(60, &[(1, 0), (2, 0)]), vec![0, 0]);
        assert_eq!(quotas(0, &[(1, 9)]), vec![0]);
    }

    #[test]
    fn hand_adjustments_stay_within_units_and_reach_needed() {
        let mut q = split(10, &[(1, 8), (2, 8)]);
        q[0].quota = 9;
        assert_eq!(check_adjusted(10, &q), Err("quota_above_eligible"));
        q[0].quota = 2;
        assert_eq!(check_adjusted(10, &q), Err("quotas_below_needed"));
        q[0].quota = 7;
        assert_eq!(check_adjusted(10, &q), Ok(()));
    }

    proptest! {
        #[test]
        fn quotas_sum_to_needed_and_fit_every_unit(needed in 0u32..2000, e in prop::collection::vec(0u32..500, 0..40)) {
            let units: Vec<(i64, u32)> = e.iter().enumerate().map(|(i, &n)| (i as i64, n)).collect();
            let q = split(needed, &units);
            let total: u64 = e.iter().map(|&n| u64::from(n)).sum();
            prop_assert_eq!(q.iter().map(|x| u64::from(x.quota)).sum::<u64>(), u64::from(needed).min(total));
            for x in &q {
                prop_assert!(x.quota <= x.eligible);
            }
            // Proportional within one seat of the exact share.
            if total > 0 {
                let seats = u64::from(needed).min(total) as f64;
                for x in &q {
                    let exact = f64::from(x.eligible) * seats / total as f64;
                    prop_assert!((f64::from(x.quota) - exact).abs() < 1.0 + 1e-9);
                }
            }
        }
    }
}
