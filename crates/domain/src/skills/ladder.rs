//! The national five-level ladder (职业技能等级) and who may apply for the
//! next level: years held at the current level, training hours since, and
//! a passed assessment — each configurable per trade and level.

use chrono::{Months, NaiveDate};

use crate::Invalid;

/// 初级工 (五级) … 高级技师 (一级), lowest first; stored as 1..=5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Junior = 1,
    Intermediate = 2,
    Senior = 3,
    Technician = 4,
    SeniorTechnician = 5,
}

pub const LEVEL_CODES: [&str; 5] = ["junior", "intermediate", "senior", "technician", "senior_technician"];

impl Level {
    pub const ALL: [Level; 5] = [Level::Junior, Level::Intermediate, Level::Senior, Level::Technician, Level::SeniorTechnician];

    pub fn code(self) -> &'static str {
        LEVEL_CODES[self as usize - 1]
    }

    pub fn from_code(code: &str) -> Option<Level> {
        LEVEL_CODES.iter().position(|c| *c == code.trim()).map(|i| Level::ALL[i])
    }

    pub fn from_rank(rank: i64) -> Option<Level> {
        usize::try_from(rank).ok().and_then(|r| r.checked_sub(1)).and_then(|i| Level::ALL.get(i).copied())
    }

    pub fn rank(self) -> i64 {
        self as i64
    }

    pub fn next(self) -> Option<Level> {
        Level::from_rank(self.rank() + 1)
    }
}

/// What moving up from a level asks: whole years held at it and training hours since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub years: i64,
    pub hours: i64,
}

/// The rule a trade uses unless it sets its own: the common practice of
/// the national standards' application conditions (申报条件).
pub fn default_rule(from: Level) -> Rule {
    match from {
        Level::Junior => Rule { years: 2, hours: 80 },
        Level::Intermediate => Rule { years: 3, hours: 120 },
        Level::Senior => Rule { years: 4, hours: 160 },
        Level::Technician | Level::SeniorTechnician => Rule { years: 3, hours: 200 },
    }
}

/// Judges a new certification against the person's highest one in the same
/// trade (`current`: level and day). Levels go up one at a time, each on or
/// after the one before; a first certification is 初级工. A recognised
/// direct appraisal (破格/直接认定, with its reason) may skip levels.
pub fn judge_step(current: Option<(Level, NaiveDate)>, level: Level, on: NaiveDate, direct: bool, today: NaiveDate) -> Result<(), Invalid> {
    if on > today {
        return Err(Invalid::one("certified_on", "in_future"));
    }
    let below = current.map_or(0, |(l, _)| l.rank());
    if level.rank() <= below {
        return Err(Invalid::one("level", "level_not_above"));
    }
    if level.rank() > below + 1 && !direct {
        return Err(Invalid::one("level", "level_skipped"));
    }
    if current.is_some_and(|(_, d)| on < d) {
        return Err(Invalid::one("certified_on", "before_previous_level"));
    }
    Ok(())
}

/// Where a person stands towards the next level of a trade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Every condition met today.
    Now,
    /// The years are met by `on`, within the window looked at; hours or the
    /// assessment may still be missing.
    Soon { on: NaiveDate },
    /// Not within the window, or at the top of the ladder.
    Later,
}

/// What counts towards the next level, read from the records.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub level: Level,
    pub certified_on: NaiveDate,
    /// Lesson hours attended in the trade since `certified_on`.
    pub hours: f64,
    /// A passed exam in the trade since `certified_on`.
    pub assessed: bool,
}

/// The day the years at the current level are complete.
pub fn years_met_on(certified_on: NaiveDate, years: i64) -> NaiveDate {
    let months = u32::try_from(years.clamp(0, 100) * 12).unwrap_or(0);
    certified_on.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// Eligibility for the next level, looking `within_months` ahead.
pub fn standing(p: Progress, rule: Rule, today: NaiveDate, within_months: u32) -> Standing {
    if p.level.next().is_none() {
        return Standing::Later;
    }
    let on = years_met_on(p.certified_on, rule.years);
    let horizon = today.checked_add_months(Months::new(within_months)).unwrap_or(today);
    if on <= today && p.hours >= rule.hours as f64 && p.assessed {
        Standing::Now
    } else if on <= horizon && within_months > 0 {
        Standing::Soon { on: on.max(today) }
    } else {
        Standing::Later
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn levels_run_from_junior_to_senior_technician() {
        let codes: Vec<_> = Level::ALL.iter().map(|l| l.code()).collect();
        assert_eq!(codes, LEVEL_CODES);
        assert_eq!(Level::Junior.next(), Some(Level::Intermediate));
        assert_eq!(Level::SeniorTechnician.next(), None);
        assert_eq!(Level::from_rank(0), None);
        assert_eq!(Level::from_rank(6), None);
        assert_eq!(Level::from_code(" technician "), Some(Level::Technician));
    }

    #[test]
    fn a_ladder_goes_up_one_level_at_a_time() {
        let today = d("2026-12-01");
        assert!(judge_step(None, Level::Junior, d("2020-01-01"), false, today).is_ok());
        assert!(judge_step(None, Level::Senior, d("2020-01-01"), false, today).is_err());
        assert!(judge_step(None, Level::Senior, d("2020-01-01"), true, today).is_ok());
        let now = Some((Level::Intermediate, d("2021-05-01")));
        assert!(judge_step(now, Level::Senior, d("2024-05-01"), false, today).is_ok());
        assert_eq!(judge_step(now, Level::Intermediate, d("2024-05-01"), false, today).unwrap_err().0[0].code, "level_not_above");
        assert_eq!(judge_step(now, Level::Technician, d("2024-05-01"), false, today).unwrap_err().0[0].code, "level_skipped");
        assert_eq!(judge_step(now, Level::Senior, d("2020-05-01"), false, today).unwrap_err().0[0].code, "before_previous_level");
        assert_eq!(judge_step(now, Level::Senior, d("2027-01-01"), false, today).unwrap_err().0[0].field, "certified_on");
    }

    /// Property: a sequence the judge accepts never skips a level unless
    /// the step that skipped was a direct appraisal.
    #[test]
    fn no_accepted_sequence_skips_a_level_without_a_direct_appraisal() {
        let today = d("2026-12-01");
        let mut seed = 7u64;
        for _ in 0..2000 {
            let mut current: Option<(Level, NaiveDate)> = None;
            let mut day = d("2000-01-01");
            for _ in 0..6 {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let level = Level::from_rank(((seed >> 33) % 5 + 1) as i64).unwrap();
                let direct = (seed >> 20).is_multiple_of(4);
                day = day.checked_add_months(Months::new(((seed >> 40) % 40) as u32)).unwrap();
                if judge_step(current, level, day, direct, today).is_ok() {
                    let below = current.map_or(0, |(l, _)| l.rank());
                    assert!(level.rank() == below + 1 || direct);
                    current = Some((level, day));
                }
            }
        }
    }

    #[test]
    fn eligible_now_needs_years_hours_and_an_assessment() {
        let today = d("2026-12-01");
        let rule = Rule { years: 3, hours: 120 };
        let p = Progress { level: Level::Intermediate, certified_on: d("2023-06-01"), hours: 130.0, assessed: true };
        assert_eq!(standing(p, rule, today, 6), Standing::Now);
        assert_eq!(standing(Progress { hours: 100.0, ..p }, rule, today, 6), Standing::Soon { on: today });
        assert_eq!(standing(Progress { assessed: false, ..p }, rule, today, 0), Standing::Later);
        let soon = Progress { certified_on: d("2024-03-15"), ..p };
        assert_eq!(standing(soon, rule, today, 6), Standing::Soon { on: d("2027-03-15") });
        assert_eq!(standing(soon, rule, today, 3), Standing::Later);
        let top = Progress { level: Level::SeniorTechnician, ..p };
        assert_eq!(standing(top, rule, today, 6), Standing::Later);
    }

    #[test]
    fn years_end_on_the_same_day_of_month() {
        assert_eq!(years_met_on(d("2024-02-29"), 1), d("2025-02-28"));
        assert_eq!(years_met_on(d("2020-01-10"), 0), d("2020-01-10"));
    }
}
