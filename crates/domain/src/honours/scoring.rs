//! Eligibility, the weighted score and its breakdown, and the ranking bounded
//! by quotas: plain functions over figures the record already gave.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::round::CriterionInput;

/// One criterion's part of a score: the figure read from the record, and the
/// points it earned (its weight times the figure over the best figure of the round).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Part {
    pub metric: String,
    pub weight: i64,
    pub value: f64,
    pub points: f64,
}

/// What eligibility looks at, besides the figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    pub active: bool,
    /// Registered under real name (an ID number on file); teams always are.
    pub real_name: bool,
    /// An objection against them was upheld in the period (a dispute
    /// found against them: 异议成立).
    pub disputed: bool,
    pub hours: f64,
    pub activities: f64,
}

/// The rules a round sets for eligibility.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    pub min_hours: f64,
    pub min_activities: i64,
}

/// The first rule a candidate fails (an i18n code), or None if eligible.
pub fn ineligible(rules: Rules, s: Standing) -> Option<&'static str> {
    if !s.active {
        Some("inactive")
    } else if !s.real_name {
        Some("not_real_name")
    } else if s.disputed {
        Some("upheld_dispute")
    } else if s.hours < rules.min_hours {
        Some("too_few_hours")
    } else if s.activities < rules.min_activities as f64 {
        Some("too_few_activities")
    } else {
        None
    }
}

/// The score (0–100) and its breakdown: `values[i]` is the candidate's figure
/// for `criteria[i]` and `best[i]` the highest of the round's candidates, so
/// the best at every measure scores 100.
pub fn score(criteria: &[CriterionInput], values: &[f64], best: &[f64]) -> (f64, Vec<Part>) {
    let parts: Vec<Part> = criteria
        .iter()
        .zip(values.iter().zip(best))
        .map(|(c, (&value, &top))| {
            let share = if top > 0.0 { (value / top).clamp(0.0, 1.0) } else { 0.0 };
            Part { metric: c.metric.clone(), weight: c.weight, value, points: round2(c.weight as f64 * share) }
        })
        .collect();
    (round2(parts.iter().map(|p| p.points).sum()), parts)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Whether each of `ranked` (best first, each with its quota group) makes
/// the result list: at most `quota(group)` per group, no bound where it is None.
pub fn within_quotas(ranked: &[i64], quota: impl Fn(i64) -> Option<i64>) -> Vec<bool> {
    let mut taken: HashMap<i64, i64> = HashMap::new();
    ranked
        .iter()
        .map(|g| {
            let n = taken.entry(*g).or_default();
            *n += 1;
            quota(*g).is_none_or(|q| *n <= q)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn criteria(weights: &[i64]) -> Vec<CriterionInput> {
        let metrics = super::super::round::METRICS;
        weights.iter().enumerate().map(|(i, w)| CriterionInput { metric: metrics[i].into(), weight: *w }).collect()
    }

    #[test]
    fn eligibility_names_the_first_rule_that_fails() {
        let rules = Rules { min_hours: 20.0, min_activities: 2 };
        let ok = Standing { active: true, real_name: true, disputed: false, hours: 20.0, activities: 2.0 };
        assert_eq!(ineligible(rules, ok), None);
        assert_eq!(ineligible(rules, Standing { active: false, ..ok }), Some("inactive"));
        assert_eq!(ineligible(rules, Standing { real_name: false, ..ok }), Some("not_real_name"));
        assert_eq!(ineligible(rules, Standing { disputed: true, ..ok }), Some("upheld_dispute"));
        assert_eq!(ineligible(rules, Standing { disputed: true, hours: 500.0, activities: 40.0, ..ok }), Some("upheld_dispute"));
        assert_eq!(ineligible(rules, Standing { hours: 19.5, ..ok }), Some("too_few_hours"));
        assert_eq!(ineligible(rules, Standing { activities: 1.0, ..ok }), Some("too_few_activities"));
    }

    #[test]
    fn the_best_at_everything_scores_100() {
        let (s, parts) = score(&criteria(&[60, 40]), &[120.0, 3.0], &[120.0, 3.0]);
        assert_eq!(s, 100.0);
        assert_eq!(parts[1].points, 40.0);
        let (s, _) = score(&criteria(&[60, 40]), &[60.0, 0.0], &[120.0, 0.0]);
        assert_eq!(s, 30.0);
    }

    #[test]
    fn quotas_bound_each_group_in_rank_order() {
        assert_eq!(within_quotas(&[1, 1, 2, 1, 2], |_| Some(2)), [true, true, true, false, true]);
        assert_eq!(within_quotas(&[1, 1, 1], |_| None), [true, true, true]);
    }

    #[test]
    fn a_group_with_its_own_quota_is_bound_by_it() {
        use crate::honours::round::{quota_of, GroupQuota};
        let own = [GroupQuota { group_id: 2, quota: 3 }, GroupQuota { group_id: 3, quota: 0 }];
        let kept = within_quotas(&[2, 1, 2, 3, 1, 2, 2], |g| quota_of(&own, Some(1), g));
        assert_eq!(kept, [true, true, true, false, false, true, false]);
        // Without a quota for every group, only the groups given one are bound.
        assert_eq!(within_quotas(&[3, 1, 1], |g| quota_of(&own, None, g)), [false, true, true]);
    }

    proptest! {
        #[test]
        fn the_score_is_the_sum_of_its_breakdown(
            w in 0i64..=100, a in 0.0f64..5000.0, b in 0.0f64..50.0, ta in 0.0f64..5000.0, tb in 0.0f64..50.0,
        ) {
            let (s, parts) = score(&criteria(&[w, 100 - w]), &[a, b], &[ta.max(a), tb.max(b)]);
            let sum: f64 = parts.iter().map(|p| p.points).sum();
            prop_assert!((s - sum).abs() < 0.011);
            prop_assert!((0.0..=100.0).contains(&s));
            for p in &parts {
                prop_assert!(p.points <= p.weight as f64 + 1e-9);
            }
        }

        #[test]
        fn no_group_gets_more_than_its_quota(groups in proptest::collection::vec(0i64..4, 0..40), q in 1i64..5, own in 0i64..3) {
            // Group 0 has a quota of its own; the others the round's.
            let quota = |g: i64| Some(if g == 0 { own } else { q });
            let kept = within_quotas(&groups, quota);
            for g in 0..4 {
                let n = groups.iter().zip(&kept).filter(|(x, k)| **x == g && **k).count() as i64;
                let q = quota(g).unwrap_or_default();
                prop_assert_eq!(n, groups.iter().filter(|x| **x == g).count().min(q as usize) as i64);
            }
        }
    }
}
