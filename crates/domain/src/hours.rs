//! The hours ledger's rules (PRODUCT.md §4): a day never credits more than
//! 24 hours, one person's sessions never overlap, hand-entered hours never
//! exceed the activity, and star levels follow cumulative confirmed hours.
//!
//! The ledger is append-only. A correction is a new entry holding the
//! difference (it may be negative) and naming the entry it corrects, so a
//! volunteer's total is always the plain sum of their entries.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::activities::{overlaps, HOUR_MS};
use crate::time::region_date;

pub const DAY_MS: i64 = 24 * HOUR_MS;

/// The kinds of ledger entry; `manual` is 补录 (entered by hand, with a reason).
pub const KINDS: [&str; 4] = ["need_service", "activity", "manual", "correction"];

/// Star thresholds in hours, lowest first. The national community-volunteer
/// rule is 100/300/600/1,000/1,500; a region may configure its own.
#[derive(Debug, Clone, PartialEq)]
pub struct StarLadder(Vec<f64>);

impl Default for StarLadder {
    fn default() -> Self {
        StarLadder(vec![100.0, 300.0, 600.0, 1000.0, 1500.0])
    }
}

impl StarLadder {
    /// Five rising positive thresholds, as a region would configure them.
    pub fn new(thresholds: Vec<f64>) -> Result<StarLadder, String> {
        let rising = thresholds.windows(2).all(|w| w[0] < w[1]);
        if thresholds.len() != 5 || !rising || thresholds[0] <= 0.0 {
            return Err(format!("star ladder needs five rising positive thresholds, got {thresholds:?}"));
        }
        Ok(StarLadder(thresholds))
    }

    /// 0 (none yet) to 5.
    pub fn star(&self, hours: f64) -> u8 {
        self.0.iter().take_while(|t| hours + 1e-9 >= **t).count() as u8
    }

    /// The next threshold to reach, if any.
    pub fn next(&self, hours: f64) -> Option<f64> {
        self.0.iter().copied().find(|t| hours + 1e-9 < *t)
    }
}

/// An amount of credited time: on one day, or over a session with known times.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Credit {
    pub ms: i64,
    /// The session's start and end when the ledger knows them (check-in/out).
    pub span: Option<(i64, i64)>,
    /// The day it counts on when there is no span.
    pub day: NaiveDate,
}

impl Credit {
    pub fn session(start: i64, end: i64) -> Credit {
        Credit { ms: (end - start).max(0), span: Some((start, end)), day: region_date(start) }
    }

    /// How much of this credit falls on each region day: a session over
    /// midnight counts on both days, in proportion.
    fn per_day(&self) -> Vec<(NaiveDate, i64)> {
        let Some((start, end)) = self.span.filter(|(s, e)| e > s) else { return vec![(self.day, self.ms)] };
        let mut out = Vec::new();
        let mut at = start;
        while at < end {
            let day = region_date(at);
            let next_midnight = day.succ_opt().map(day_start).unwrap_or(end);
            let piece_end = next_midnight.min(end);
            out.push((day, piece_end - at));
            at = piece_end;
        }
        out
    }
}

/// Unix ms of the region's midnight that starts `day`.
fn day_start(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp_millis() - 8 * HOUR_MS).unwrap_or_default()
}

/// Why an entry cannot be credited; each is an API error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerRefusal {
    /// The person already has credited service in an overlapping session.
    Overlap,
    /// The day would hold more than 24 hours.
    DayOver24,
    /// Hand-entered hours longer than the activity, or not positive.
    OverActivity,
    /// A correction would leave the corrected entry below zero.
    BelowZero,
}

impl LedgerRefusal {
    pub fn code(self) -> &'static str {
        match self {
            LedgerRefusal::Overlap => "hours_overlap",
            LedgerRefusal::DayOver24 => "hours_over_24",
            LedgerRefusal::OverActivity => "hours_over_activity",
            LedgerRefusal::BelowZero => "hours_below_zero",
        }
    }
}

/// May `new` join a person's `existing` credits? Negative credits
/// (corrections) reduce their day's sum.
pub fn may_credit(existing: &[Credit], new: &Credit) -> Result<(), LedgerRefusal> {
    if let Some(span) = new.span {
        if existing.iter().filter(|c| c.ms > 0).filter_map(|c| c.span).any(|s| overlaps(s, span)) {
            return Err(LedgerRefusal::Overlap);
        }
    }
    let mut days: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for c in existing.iter().chain(std::iter::once(new)) {
        for (day, ms) in c.per_day() {
            *days.entry(day).or_default() += ms;
        }
    }
    let touched: Vec<NaiveDate> = new.per_day().into_iter().map(|(d, _)| d).collect();
    if touched.iter().any(|d| days.get(d).copied().unwrap_or_default() > DAY_MS) {
        return Err(LedgerRefusal::DayOver24);
    }
    Ok(())
}

/// 补录: hand-entered hours must be positive and fit inside the activity.
pub fn check_manual(ms: i64, activity_length_ms: i64) -> Result<(), LedgerRefusal> {
    if ms <= 0 || ms > activity_length_ms {
        return Err(LedgerRefusal::OverActivity);
    }
    Ok(())
}

/// A correction to `entry_ms` (what the entry and its earlier corrections
/// credit now) that should make it `wanted_ms`: the difference to append.
pub fn correction(current_ms: i64, wanted_ms: i64, limit_ms: i64) -> Result<i64, LedgerRefusal> {
    if wanted_ms < 0 {
        return Err(LedgerRefusal::BelowZero);
    }
    if wanted_ms > limit_ms {
        return Err(LedgerRefusal::OverActivity);
    }
    Ok(wanted_ms - current_ms)
}

/// Hours as people read them: two decimals, from milliseconds.
pub fn hours(ms: i64) -> f64 {
    two_decimals(ms as f64 / HOUR_MS as f64)
}

/// Hours to the two decimals they are recorded in: a sum of entries comes
/// out the same whatever order it was added up in.
pub fn two_decimals(hours: f64) -> f64 {
    (hours * 100.0).round() / 100.0
}

/// Milliseconds from hours typed by a person (e.g. 2.5).
pub fn ms_from_hours(h: f64) -> i64 {
    (h * HOUR_MS as f64).round() as i64
}

/// One line of the ledger as a volunteer and their leader see it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Entry {
    pub id: i64,
    pub kind: String,
    pub hours: f64,
    pub served_on: String,
    pub activity_id: Option<i64>,
    pub need_id: Option<i64>,
    /// What was served: the activity's or the need's title.
    pub what: Option<String>,
    /// Who recorded and who confirmed it, by name (an account with no
    /// volunteer record, such as the center's, by its login).
    pub recorded_by: Option<String>,
    pub confirmed_by: Option<String>,
    pub corrects_entry_id: Option<i64>,
    pub note: Option<String>,
    pub disputed: bool,
}

/// A volunteer's standing, as their hours page and certificate show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Standing {
    pub total_hours: f64,
    pub star: u8,
    pub next_star_hours: Option<f64>,
}

pub fn standing(ladder: &StarLadder, total_ms: i64) -> Standing {
    let total_hours = hours(total_ms);
    Standing { total_hours, star: ladder.star(total_hours), next_star_hours: ladder.next(total_hours) }
}

/// A certificate number: "ZM", the issue year, and 8 unambiguous characters.
pub fn certificate_code(year: i32, random: [u8; 8]) -> String {
    format!("ZM{year}{}", &crate::needs::tracking_code(random)[2..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    const T0: i64 = 1_796_000_000_000; // 2026-12-01 in the region, mid-morning

    #[rstest]
    #[case(0.0, 0)]
    #[case(99.99, 0)]
    #[case(100.0, 1)]
    #[case(599.0, 2)]
    #[case(1500.0, 5)]
    #[case(9999.0, 5)]
    fn stars_follow_the_national_ladder(#[case] h: f64, #[case] star: u8) {
        assert_eq!(StarLadder::default().star(h), star);
    }

    #[test]
    fn a_region_can_use_its_own_ladder() {
        let beijing = StarLadder::new(vec![100.0, 200.0, 500.0, 800.0, 1000.0]).unwrap();
        assert_eq!(beijing.star(250.0), 2);
        assert_eq!(beijing.next(250.0), Some(500.0));
        assert!(StarLadder::new(vec![100.0, 50.0, 500.0, 800.0, 1000.0]).is_err());
    }

    #[test]
    fn overlapping_sessions_are_refused() {
        let a = Credit::session(T0, T0 + 2 * HOUR_MS);
        assert_eq!(may_credit(&[a], &Credit::session(T0 + HOUR_MS, T0 + 3 * HOUR_MS)), Err(LedgerRefusal::Overlap));
        assert_eq!(may_credit(&[a], &Credit::session(T0 + 2 * HOUR_MS, T0 + 3 * HOUR_MS)), Ok(()));
    }

    #[test]
    fn a_sum_of_hours_is_the_same_in_any_order_to_two_decimals() {
        let entries = [4081.5, 0.1, 0.2, 0.15, -0.5, 0.35];
        let forward: f64 = entries.iter().sum();
        let backward: f64 = entries.iter().rev().sum();
        assert_ne!(forward, backward, "the float sums differ in their last bits");
        assert_eq!((two_decimals(forward), two_decimals(backward)), (4081.8, 4081.8));
    }

    #[test]
    fn a_day_holds_at_most_24_hours() {
        let day = region_date(T0);
        let need = Credit { ms: 20 * HOUR_MS, span: None, day };
        let more = Credit { ms: 5 * HOUR_MS, span: None, day };
        assert_eq!(may_credit(&[need], &more), Err(LedgerRefusal::DayOver24));
        let next_day = Credit { ms: 5 * HOUR_MS, span: None, day: day.succ_opt().unwrap() };
        assert_eq!(may_credit(&[need], &next_day), Ok(()));
    }

    #[test]
    fn a_session_over_midnight_counts_on_both_days() {
        let midnight = day_start(region_date(T0).succ_opt().unwrap());
        let s = Credit::session(midnight - 2 * HOUR_MS, midnight + 3 * HOUR_MS);
        let parts = s.per_day();
        assert_eq!(parts.iter().map(|p| p.1).collect::<Vec<_>>(), vec![2 * HOUR_MS, 3 * HOUR_MS]);
    }

    #[test]
    fn hand_entered_hours_fit_the_activity_and_corrections_stay_above_zero() {
        assert_eq!(check_manual(3 * HOUR_MS, 2 * HOUR_MS), Err(LedgerRefusal::OverActivity));
        assert_eq!(check_manual(0, 2 * HOUR_MS), Err(LedgerRefusal::OverActivity));
        assert_eq!(correction(2 * HOUR_MS, HOUR_MS, 2 * HOUR_MS), Ok(-HOUR_MS));
        assert_eq!(correction(2 * HOUR_MS, -1, 2 * HOUR_MS), Err(LedgerRefusal::BelowZero));
    }

    #[test]
    fn certificate_numbers_carry_the_year() {
        assert!(certificate_code(2026, [1; 8]).starts_with("ZM2026"));
        assert_eq!(certificate_code(2026, [1; 8]).len(), 14);
    }

    fn arb_credit() -> impl Strategy<Value = Credit> {
        (0i64..(10 * 24), 1i64..(30 * 60), any::<bool>()).prop_map(|(start_h, minutes, spanned)| {
            let start = T0 + start_h * HOUR_MS;
            let c = Credit::session(start, start + minutes * 60_000);
            if spanned {
                c
            } else {
                Credit { span: None, ..c }
            }
        })
    }

    proptest! {
        /// Whatever order entries arrive in, what the rules let through never
        /// overlaps and never credits a day with more than 24 hours.
        #[test]
        fn accepted_credits_never_overlap_nor_exceed_a_day(candidates in prop::collection::vec(arb_credit(), 1..40)) {
            let mut ledger: Vec<Credit> = Vec::new();
            for c in candidates {
                if may_credit(&ledger, &c).is_ok() {
                    ledger.push(c);
                }
            }
            let spans: Vec<(i64, i64)> = ledger.iter().filter_map(|c| c.span).collect();
            for (i, a) in spans.iter().enumerate() {
                for b in &spans[i + 1..] {
                    prop_assert!(!overlaps(*a, *b));
                }
            }
            let mut days: BTreeMap<NaiveDate, i64> = BTreeMap::new();
            for c in &ledger {
                for (d, ms) in c.per_day() {
                    *days.entry(d).or_default() += ms;
                }
            }
            prop_assert!(days.values().all(|ms| *ms <= DAY_MS));
        }

        /// A refused credit is refused for a reason the ledger shows.
        #[test]
        fn a_refusal_is_always_justified(existing in prop::collection::vec(arb_credit(), 0..10), new in arb_credit()) {
            match may_credit(&existing, &new) {
                Err(LedgerRefusal::Overlap) => prop_assert!(existing.iter().filter_map(|c| c.span).any(|s| new.span.is_some_and(|n| overlaps(s, n)))),
                Err(LedgerRefusal::DayOver24) => {
                    let total: i64 = existing.iter().map(|c| c.ms).sum::<i64>() + new.ms;
                    prop_assert!(total > DAY_MS);
                }
                _ => {}
            }
        }
    }
}
