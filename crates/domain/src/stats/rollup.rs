//! How the dashboard reads the rollups kept with the ledger: which level of
//! a rollup answers a filter, how a period splits into whole months (read
//! from monthly rows) and edge days (read from the entries themselves), and
//! the day bits a volunteer's yearly row sets, so distinct people over any
//! days are counted from one row per volunteer instead of every entry.

use chrono::{Datelike, Months, NaiveDate};

use super::Span;

/// The dimensions a rollup row keeps, as bits of its level.
pub const TEAM: i64 = 1;
pub const DISTRICT: i64 = 2;
pub const THEME: i64 = 4;
pub const UNIT: i64 = 8;

/// The levels kept: every narrowing by team, district and theme, the unit
/// alone (a liaison's dashboard), the unit in a district, and one keeping
/// all four that answers any other filter naming a unit (a unit's rows are
/// few: it is read through an index that starts with the unit). The unit
/// in a district (10, migration 0057) has one row per volunteer, so its
/// distinct volunteers are sums of counts too; through the level keeping
/// everything they were merged row by row (5 ms a year at issue #17's size).
pub const LEVELS: [i64; 11] = [0, 1, 2, 3, 4, 5, 6, 7, UNIT, UNIT | DISTRICT, 15];

/// The hours also keep a unit's teams (9), alone and in a district (11): a
/// liaison's hours by team, read from a row per team instead of every row
/// of the level keeping everything.
pub const LEDGER_LEVELS: [i64; 13] = [0, 1, 2, 3, 4, 5, 6, 7, UNIT, UNIT | TEAM, UNIT | DISTRICT, UNIT | DISTRICT | TEAM, 15];

/// The level of the hours (`LEDGER_LEVELS`) keyed by the filter's
/// dimensions plus `extra`: `level`'s, but a unit alone or in a district
/// broken down by team has its own.
pub fn ledger_level(team: bool, district: bool, theme: bool, unit: bool, extra: i64) -> i64 {
    match (level(team, district, theme, unit, 0), extra) {
        (at, TEAM) if at == UNIT || at == UNIT | DISTRICT => at | TEAM,
        _ => level(team, district, theme, unit, extra),
    }
}

/// The level whose rows are keyed exactly by the filter's dimensions, plus
/// `extra` (a breakdown's dimension, e.g. `TEAM` for hours by team).
pub fn level(team: bool, district: bool, theme: bool, unit: bool, extra: i64) -> i64 {
    let pick = |on: bool, bit: i64| if on { bit } else { 0 };
    let mask = pick(team, TEAM) | pick(district, DISTRICT) | pick(theme, THEME) | extra;
    match (unit || mask & UNIT != 0, mask & !UNIT) {
        (true, 0) => UNIT,
        (true, DISTRICT) => UNIT | DISTRICT,
        (true, _) => TEAM | DISTRICT | THEME | UNIT,
        (false, _) => mask,
    }
}

/// The days of a store filter, `YYYY-MM-DD` both (the service has checked them).
pub fn days(from: &str, to: &str) -> Span {
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
    Span { from: day(from), to: day(to) }
}

/// A period as the rollups read it: the whole months inside it (first and
/// last `YYYY-MM`) and the days (both included) of the partial months at
/// its ends; a period with no whole month is one range of days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    pub months: Option<(String, String)>,
    pub days: Vec<(NaiveDate, NaiveDate)>,
}

fn month_end(d: NaiveDate) -> NaiveDate {
    let first = d.with_day(1).unwrap_or(d);
    first.checked_add_months(Months::new(1)).and_then(|n| n.pred_opt()).unwrap_or(d)
}

pub fn cut(s: Span) -> Cut {
    let first = if s.from.day() == 1 { s.from } else { month_end(s.from).succ_opt().unwrap_or(s.from) };
    let last = if s.to == month_end(s.to) { s.to } else { s.to.with_day(1).and_then(|d| d.pred_opt()).unwrap_or(s.to) };
    if first > last {
        return Cut { months: None, days: vec![(s.from, s.to)] };
    }
    let mut days = Vec::new();
    if s.from < first {
        days.push((s.from, first.pred_opt().unwrap_or(first)));
    }
    if last < s.to {
        days.push((last.succ_opt().unwrap_or(last), s.to));
    }
    Cut { months: Some((first.format("%Y-%m").to_string(), last.format("%Y-%m").to_string())), days }
}

/// Words of a volunteer's yearly row: two months of 31 day bits each.
pub const WORDS: usize = 6;

/// The word and bit of a day in its year's row. The rollup's SQL computes
/// the same from `served_on`'s month and day (`store::stats::rollup`).
pub fn day_bit(d: NaiveDate) -> (usize, u32) {
    let m = d.month0();
    ((m / 2) as usize, (m % 2) * 31 + d.day0())
}

/// A volunteer's yearly day bits (`rows`, in year order) with `day` set,
/// its year's row added where there was none.
pub fn with_day(rows: &mut Vec<(i32, [i64; WORDS])>, day: NaiveDate) {
    let (w, b) = day_bit(day);
    match rows.iter_mut().find(|(y, _)| *y == day.year()) {
        Some((_, words)) => words[w] |= 1 << b,
        None => {
            let mut words = [0; WORDS];
            words[w] = 1 << b;
            rows.push((day.year(), words));
            rows.sort_by_key(|(y, _)| *y);
        }
    }
}

/// A period from the first day of its month (scope `m`) or of its year
/// (`y`) to a day in the same month (year): its distinct volunteers are
/// those whose first day of service in that scope is on or before its last
/// day — a sum of the counts kept per first day (`stats_firsts`), not a
/// row per volunteer. A first day is kept as its word and bit (`day_bit`):
/// on or before the last day is `word < self.word`, or the same word and
/// `low <= self.low`. Any other period from the 1st of a month lasting at
/// most twelve months reads the window from its first day (scope `w`,
/// `super::window`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefix {
    pub scope: &'static str,
    pub period: String,
    pub word: i64,
    pub low: i64,
}

pub fn prefix(s: Span) -> Option<Prefix> {
    let (word, bit) = day_bit(s.to);
    let at = |scope, period: String| Some(Prefix { scope, period, word: word as i64, low: 1 << bit });
    let same_year = s.from <= s.to && s.from.year() == s.to.year();
    if same_year && s.from.day() == 1 && s.from.month() == s.to.month() {
        at("m", s.to.format("%Y-%m").to_string())
    } else if same_year && s.from.ordinal() == 1 {
        at("y", s.to.format("%Y").to_string())
    } else {
        super::window::prefix(s)
    }
}

/// For each year a period touches, the bits of its days: a volunteer was
/// active in the period when their row of that year shares a bit with these.
pub fn masks(s: Span) -> Vec<(i32, [i64; WORDS])> {
    let mut out: Vec<(i32, [i64; WORDS])> = Vec::new();
    for d in s.from.iter_days().take_while(|d| *d <= s.to) {
        if out.last().is_none_or(|(y, _)| *y != d.year()) {
            out.push((d.year(), [0; WORDS]));
        }
        let (w, b) = day_bit(d);
        if let Some((_, words)) = out.last_mut() {
            words[w] |= 1 << b;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn span(from: &str, to: &str) -> Span {
        Span { from: d(from), to: d(to) }
    }

    #[rstest]
    #[case("2026-01-01", "2026-12-06", Some(("2026-01", "2026-11")), vec![("2026-12-01", "2026-12-06")])]
    #[case("2026-03-01", "2026-03-31", Some(("2026-03", "2026-03")), vec![])]
    #[case("2026-03-05", "2026-03-20", None, vec![("2026-03-05", "2026-03-20")])]
    #[case("2026-03-05", "2026-04-10", None, vec![("2026-03-05", "2026-04-10")])]
    #[case("2025-12-15", "2026-02-28", Some(("2026-01", "2026-02")), vec![("2025-12-15", "2025-12-31")])]
    fn a_period_splits_into_whole_months_and_edge_days(
        #[case] from: &str,
        #[case] to: &str,
        #[case] months: Option<(&str, &str)>,
        #[case] days: Vec<(&str, &str)>,
    ) {
        let c = cut(span(from, to));
        assert_eq!(c.months, months.map(|(a, b)| (a.to_string(), b.to_string())));
        assert_eq!(c.days, days.into_iter().map(|(a, b)| (d(a), d(b))).collect::<Vec<_>>());
    }

    #[test]
    fn a_unit_filter_reads_the_level_keeping_everything() {
        assert_eq!(level(false, false, false, false, 0), 0);
        assert_eq!(level(true, false, true, false, 0), TEAM | THEME);
        assert_eq!(level(false, true, false, false, TEAM), TEAM | DISTRICT);
        assert_eq!(level(false, false, false, true, 0), UNIT, "a liaison's unit alone has its own level");
        assert_eq!(level(true, false, false, true, 0), 15);
        assert_eq!(level(false, false, false, true, TEAM), 15, "a unit's day bits by team");
        assert_eq!(level(false, true, false, true, 0), UNIT | DISTRICT, "a unit in a district has its own level");
        assert_eq!(level(false, true, false, false, UNIT), UNIT | DISTRICT, "a district's volunteers by unit");
        assert_eq!(level(false, true, true, true, 0), 15);
        assert_eq!(level(false, true, false, true, THEME), 15);
        assert_eq!(ledger_level(false, false, false, true, TEAM), UNIT | TEAM, "a unit's hours by team have their own");
        assert_eq!(ledger_level(false, true, false, true, TEAM), UNIT | DISTRICT | TEAM, "so have a unit's in a district");
        assert_eq!(ledger_level(true, false, false, true, TEAM), 15);
        assert_eq!(ledger_level(false, true, true, true, TEAM), 15);
        assert_eq!(ledger_level(false, false, false, true, 0), UNIT);
        assert_eq!(ledger_level(false, true, false, true, 0), UNIT | DISTRICT);
        for (team, district, theme, unit) in every_filter() {
            for extra in [0, TEAM, DISTRICT, THEME, UNIT] {
                assert!(LEVELS.contains(&level(team, district, theme, unit, extra)), "{team} {district} {theme} {unit} {extra}");
                assert!(LEDGER_LEVELS.contains(&ledger_level(team, district, theme, unit, extra)));
            }
        }
        assert!(LEVELS.iter().all(|l| LEDGER_LEVELS.contains(l)));
    }

    /// Team, district, theme and unit each on or off.
    fn every_filter() -> impl Iterator<Item = (bool, bool, bool, bool)> {
        (0..16).map(|m| (m & 1 != 0, m & 2 != 0, m & 4 != 0, m & 8 != 0))
    }

    #[rstest]
    #[case("2026-01-01", "2026-12-06", Some(("y", "2026", 5, 1 << (31 + 5))))]
    #[case("2025-01-01", "2025-12-06", Some(("y", "2025", 5, 1 << (31 + 5))))]
    #[case("2026-12-01", "2026-12-06", Some(("m", "2026-12", 5, 1 << (31 + 5))))]
    #[case("2026-01-01", "2026-01-31", Some(("m", "2026-01", 0, 1 << 30)))]
    #[case("2026-03-01", "2026-04-10", Some(("w", "2026-03", 1, 1 << (31 + 9))))]
    #[case("2025-12-01", "2026-11-30", Some(("w", "2025-12", 11, 1 << 29)))]
    #[case("2025-12-01", "2026-12-01", None)]
    #[case("2025-12-07", "2026-12-06", None)]
    #[case("2025-01-01", "2026-01-31", None)]
    fn a_period_from_its_months_or_years_first_day_is_a_prefix(
        #[case] from: &str,
        #[case] to: &str,
        #[case] want: Option<(&str, &str, i64, i64)>,
    ) {
        let got = prefix(span(from, to));
        assert_eq!(got.map(|p| (p.scope, p.period, p.word, p.low)), want.map(|(s, p, w, l)| (s, p.to_string(), w, l)));
    }

    #[test]
    fn every_day_of_a_year_has_its_own_bit_and_a_period_sets_its_days() {
        let year = masks(span("2024-01-01", "2024-12-31"));
        assert_eq!(year.len(), 1);
        assert_eq!(year[0].1.iter().map(|w| w.count_ones()).sum::<u32>(), 366, "a leap year's days, each once");
        assert_eq!(day_bit(d("2026-12-31")), (5, 61), "the last bit fits a signed word");
        let two = masks(span("2025-12-31", "2026-01-02"));
        assert_eq!((two[0].0, two[0].1[5], two[1].0, two[1].1[0]), (2025, 1 << 61, 2026, 0b11));
    }
}
