//! When a pair's next visit is due, how a pause moves it, and how late a
//! pair is: the four warning levels of the needs marketplace, counted in days
//! overdue instead of minutes waited.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::needs::{StepLimits, WarningLevel};

/// Days are stored as whole days since 1970-01-01 in the region, so "how
/// many days overdue" is plain integer arithmetic on both databases.
pub fn day_number(d: NaiveDate) -> i64 {
    d.signed_duration_since(NaiveDate::default()).num_days()
}

pub fn date_of(day: i64) -> NaiveDate {
    NaiveDate::default() + chrono::Duration::days(day)
}

/// The region's day of a unix-ms instant, as a day number.
pub fn day_of_ms(ms: i64) -> i64 {
    day_number(crate::time::region_date(ms))
}

/// Weekly for someone living alone, fortnightly for everyone else.
pub fn default_every_days(beneficiary_kind: &str) -> i64 {
    match beneficiary_kind {
        "elderly_alone" => 7,
        _ => 14,
    }
}

/// The first visit is due one cadence after the pair starts.
pub fn first_due(starts_day: i64, every_days: i64) -> i64 {
    starts_day + every_days
}

/// A visit with contact made sets the next due one cadence after the visit;
/// a visit logged late (before another) never pulls the due date back.
pub fn due_after_visit(due_day: i64, visit_day: i64, every_days: i64) -> i64 {
    due_day.max(visit_day + every_days)
}

/// A pause stops the clock: resuming moves the due date on by the days paused.
pub fn due_after_pause(due_day: i64, paused_day: i64, resumed_day: i64) -> i64 {
    due_day + (resumed_day - paused_day).max(0)
}

/// Days overdue before each level; configurable per region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareLimits(pub StepLimits);

impl Default for CareLimits {
    /// Blue the day after it was due, yellow after a week, orange after two,
    /// red when nobody has been for a month.
    fn default() -> Self {
        CareLimits(StepLimits { blue: 1, yellow: 7, orange: 14, red: 30 })
    }
}

impl CareLimits {
    pub fn check(&self) -> Result<(), String> {
        let l = self.0;
        if 0 < l.blue && l.blue < l.yellow && l.yellow < l.orange && l.orange < l.red {
            Ok(())
        } else {
            Err("care warning limits must rise: 0 < blue < yellow < orange < red (days overdue)".into())
        }
    }
}

/// The latest due day that is overdue on `today` (blue or worse), and the
/// latest that is red: for an active pair the level only rises as its due
/// day gets older, so "overdue" and "red" are ranges of due days, and lists
/// ordered by due day are ordered by level — no index needs the level.
pub fn overdue_cutoffs(limits: &CareLimits, today: i64) -> (i64, i64) {
    (today - limits.0.blue, today - limits.0.red)
}

/// The level of a pair due on `due_day`, seen on `today`. Only an active pair
/// can be late: a paused or ended one is never overdue.
pub fn warning_level(limits: &CareLimits, active: bool, due_day: i64, today: i64) -> WarningLevel {
    let late = today - due_day;
    let l = limits.0;
    match late {
        _ if !active => WarningLevel::None,
        d if d >= l.red => WarningLevel::Red,
        d if d >= l.orange => WarningLevel::Orange,
        d if d >= l.yellow => WarningLevel::Yellow,
        d if d >= l.blue => WarningLevel::Blue,
        _ => WarningLevel::None,
    }
}

/// Days before the due day on which the volunteer is reminded.
pub const REMIND_DAYS_BEFORE: i64 = 2;

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn overdue_and_red_are_ranges_of_due_days(due in -400i64..400, today in -400i64..400) {
            let l = CareLimits::default();
            let (overdue, red) = overdue_cutoffs(&l, today);
            let level = warning_level(&l, true, due, today);
            proptest::prop_assert_eq!(level != WarningLevel::None, due <= overdue);
            proptest::prop_assert_eq!(level == WarningLevel::Red, due <= red);
            // Older due day, level no lower: ordering by due day is ordering by level.
            proptest::prop_assert!(warning_level(&l, true, due - 1, today).rank() >= level.rank());
        }
    }
    use proptest::prelude::*;
    use rstest::rstest;

    #[test]
    fn day_numbers_round_trip() {
        let d = NaiveDate::from_ymd_opt(2026, 7, 14).unwrap();
        assert_eq!(date_of(day_number(d)), d);
        assert_eq!(day_number(NaiveDate::from_ymd_opt(1970, 1, 2).unwrap()), 1);
    }

    #[rstest]
    #[case("elderly_alone", 7)]
    #[case("disabled", 14)]
    #[case("hardship_family", 14)]
    #[case("other", 14)]
    fn cadence_defaults_by_kind(#[case] kind: &str, #[case] days: i64) {
        assert_eq!(default_every_days(kind), days);
    }

    #[rstest]
    #[case(0, WarningLevel::None)]
    #[case(1, WarningLevel::Blue)]
    #[case(6, WarningLevel::Blue)]
    #[case(7, WarningLevel::Yellow)]
    #[case(14, WarningLevel::Orange)]
    #[case(29, WarningLevel::Orange)]
    #[case(30, WarningLevel::Red)]
    #[case(-5, WarningLevel::None)]
    fn levels_by_days_overdue(#[case] late: i64, #[case] level: WarningLevel) {
        assert_eq!(warning_level(&CareLimits::default(), true, 100, 100 + late), level);
    }

    #[test]
    fn a_pause_moves_the_due_date_by_the_days_paused() {
        assert_eq!(due_after_pause(110, 100, 120), 130);
        assert_eq!(due_after_pause(110, 100, 100), 110);
    }

    #[test]
    fn a_late_logged_visit_never_pulls_the_due_date_back() {
        assert_eq!(due_after_visit(120, 105, 7), 120);
        assert_eq!(due_after_visit(120, 118, 7), 125);
    }

    #[test]
    fn limits_must_rise() {
        assert!(CareLimits::default().check().is_ok());
        assert!(CareLimits(StepLimits { blue: 3, yellow: 3, orange: 4, red: 5 }).check().is_err());
    }

    proptest! {
        #[test]
        fn a_paused_pair_is_never_overdue(due in -1000i64..1000, today in -1000i64..5000) {
            prop_assert_eq!(warning_level(&CareLimits::default(), false, due, today), WarningLevel::None);
        }

        #[test]
        fn a_visit_always_moves_the_due_date_forward(due in 0i64..1000, visit in 0i64..1000, every in 1i64..60) {
            let next = due_after_visit(due, visit, every);
            prop_assert!(next >= due);
            prop_assert!(next > visit);
        }

        #[test]
        fn levels_never_fall_as_days_pass(due in 0i64..100, today in 0i64..200, more in 0i64..100) {
            let l = CareLimits::default();
            prop_assert!(warning_level(&l, true, due, today + more) >= warning_level(&l, true, due, today));
        }

        #[test]
        fn resuming_never_brings_the_due_date_nearer(due in 0i64..1000, paused in 0i64..1000, days in 0i64..400) {
            prop_assert!(due_after_pause(due, paused, paused + days) >= due);
        }
    }
}
