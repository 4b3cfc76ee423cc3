//! Twelve-month windows (migration 0049): for every month S, each
//! volunteer's first day of service within [S, S + 12 months), kept as
//! counts per first day like the year's and month's (`rollup::prefix`). A
//! period from the 1st of a month lasting at most twelve months (the last
//! twelve months, its previous period, a custom period from a 1st) then
//! counts its distinct volunteers as a sum of counts up to its last day,
//! not a row per volunteer. The drain moves the counts with `moves`, from
//! the volunteer's day bits of the years around the entry's day.

use chrono::{Datelike, Months, NaiveDate};

use super::rollup::{day_bit, Prefix, WORDS};
use super::Span;

/// Months a window spans.
pub const MONTHS: u32 = 12;

/// A day's place in the window from `start` (a 1st): its word of the day
/// bits, six more for the year after the start's, and its bit as `low`
/// (`1 << bit`), so days order as (word, low) do, as `Prefix` reads them.
pub fn key(start: NaiveDate, d: NaiveDate) -> (i64, i64) {
    let (w, b) = day_bit(d);
    (w as i64 + 6 * i64::from(d.year() - start.year()), 1 << b)
}

fn end(start: NaiveDate) -> Option<NaiveDate> {
    start.checked_add_months(Months::new(MONTHS))
}

/// A period from the 1st of a month ending within twelve months of it: its
/// distinct volunteers are those whose first day in the window from its
/// first day is on or before its last day.
pub fn prefix(s: Span) -> Option<Prefix> {
    if s.from.day() != 1 || s.to < s.from || s.to >= end(s.from)? {
        return None;
    }
    let (word, low) = key(s.from, s.to);
    Some(Prefix { scope: "w", period: s.from.format("%Y-%m").to_string(), word, low })
}

/// The days a volunteer's yearly row of `year` sets, in order.
fn days(year: i32, words: &[i64; WORDS]) -> impl Iterator<Item = NaiveDate> + '_ {
    words.iter().enumerate().flat_map(move |(k, w)| {
        (0..62u32)
            .filter(move |b| (w >> b) & 1 != 0)
            .filter_map(move |b| NaiveDate::from_ymd_opt(year, k as u32 * 2 + b / 31 + 1, b % 31 + 1))
    })
}

/// A volunteer's first day of service in the window from `start`, from
/// their yearly day bits (`(year, words)`; a year without a row has no days).
pub fn first(rows: &[(i32, [i64; WORDS])], start: NaiveDate) -> Option<NaiveDate> {
    let end = end(start)?;
    [start.year(), start.year() + 1]
        .into_iter()
        .filter_map(|y| rows.iter().find(|(year, _)| *year == y))
        .flat_map(|(year, words)| days(*year, words))
        .find(|d| *d >= start && *d < end)
}

/// A change to the count of volunteers whose first day in the window from
/// `period` (`YYYY-MM`) is at (`word`, `low`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub period: String,
    pub word: i64,
    pub low: i64,
    pub people: i64,
}

fn at(start: NaiveDate, d: NaiveDate, people: i64) -> Move {
    let (word, low) = key(start, d);
    Move { period: start.format("%Y-%m").to_string(), word, low, people }
}

/// What a day of service `day` moves for a volunteer whose day bits were
/// `rows` (the years from the one before `day`'s to the one after): in each
/// of the twelve windows holding the day where it is earlier than their
/// first day (or they had none), one into the day's count and one out of
/// the old first day's.
pub fn moves(rows: &[(i32, [i64; WORDS])], day: NaiveDate) -> Vec<Move> {
    let month = day.with_day(1).unwrap_or(day);
    let mut out = Vec::new();
    for start in (0..MONTHS).filter_map(|back| month.checked_sub_months(Months::new(back))) {
        match first(rows, start) {
            Some(old) if old <= day => {}
            old => {
                out.push(at(start, day, 1));
                out.extend(old.map(|old| at(start, old, -1)));
            }
        }
    }
    out
}

/// `moves` for a day as the ledger keeps it (`YYYY-MM-DD`).
pub fn moves_on(rows: &[(i32, [i64; WORDS])], served_on: &str) -> Vec<Move> {
    NaiveDate::parse_from_str(served_on, "%Y-%m-%d").map(|day| moves(rows, day)).unwrap_or_default()
}

/// A volunteer counted at their first day in the window from the 1st of
/// `month` of `year`, the day placed as `key` places it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct First {
    pub year: i32,
    pub month: u32,
    pub word: i64,
    pub low: i64,
}

impl First {
    /// The window's period as the counts name it (`YYYY-MM`).
    pub fn period(&self) -> String {
        format!("{}-{:02}", self.year, self.month)
    }
}

/// The bits of month `m`'s word (`(m - 1) / 2`) holding its days and the
/// later month's (`late`), or the earlier month's only.
fn half(m: u32, late: bool) -> i64 {
    match (late, (m - 1) % 2 == 1) {
        (true, false) => -1,
        (true, true) => -1 << 31,
        (false, false) => 0,
        (false, true) => (1 << 31) - 1,
    }
}

/// The first day set in a yearly row from month `m` on (`late`) or before
/// it, as (word, low).
fn first_bit(words: &[i64; WORDS], m: u32, late: bool) -> Option<(i64, i64)> {
    let k = (m as usize - 1) / 2;
    let range = if late { k..WORDS } else { 0..k + 1 };
    range
        .map(|j| (j, if j == k { words[j] & half(m, late) } else { words[j] }))
        .find(|(_, w)| *w != 0)
        .map(|(j, w)| (j as i64, w & w.wrapping_neg()))
}

/// Every window a volunteer has a day in, at their first day in it (what
/// `first` and `key` give, from the day bits' words alone, since a rebuild
/// asks it of every row): `rows` are their yearly day bits in year order.
/// The window from month m of a year starts with the year's days from m on,
/// else the next year's before m; a year without a row before one still
/// has windows from February on, holding the row's days before their month.
pub fn firsts(rows: &[(i32, [i64; WORDS])]) -> Vec<First> {
    let mut out = Vec::new();
    for (i, (year, words)) in rows.iter().enumerate() {
        let next = rows.get(i + 1).filter(|(y, _)| *y == year + 1);
        for month in 1..=MONTHS {
            let late = first_bit(words, month, true);
            let at = late.or_else(|| next.and_then(|(_, n)| first_bit(n, month, false)).map(|(w, low)| (w + 6, low)));
            out.extend(at.map(|(word, low)| First { year: *year, month, word, low }));
        }
        if i == 0 || rows[i - 1].0 != year - 1 {
            for month in 2..=MONTHS {
                out.extend(first_bit(words, month, false).map(|(w, low)| First { year: year - 1, month, word: w + 6, low }));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::stats::tests::numbers;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// The rollups of one volunteer: day bits and window counts per key
    /// (a team, or 0 for every team merged), credited as the drain does.
    #[derive(Default)]
    struct Rollups {
        rows: HashMap<i64, Vec<(i32, [i64; WORDS])>>,
        counts: HashMap<(i64, String, i64, i64), i64>,
    }

    impl Rollups {
        fn credit(&mut self, key: i64, day: NaiveDate) {
            let rows = self.rows.entry(key).or_default();
            for m in moves(rows, day) {
                *self.counts.entry((key, m.period, m.word, m.low)).or_default() += m.people;
            }
            super::super::rollup::with_day(rows, day);
        }

        /// Distinct volunteers of `key` from `from` (a 1st) to `to`, as the
        /// read sums the counts.
        fn people(&self, key: i64, from: &str, to: &str) -> i64 {
            let p = prefix(Span { from: d(from), to: d(to) }).expect("a window");
            self.counts
                .iter()
                .filter(|((k, period, w, l), _)| *k == key && *period == p.period && (*w < p.word || (*w == p.word && *l <= p.low)))
                .map(|(_, n)| n)
                .sum()
        }
    }

    #[test]
    fn a_window_crossing_a_new_year_counts_its_first_day_in_the_next_year() {
        let mut r = Rollups::default();
        r.credit(0, d("2025-11-20"));
        r.credit(0, d("2026-02-03"));
        assert_eq!(first(&r.rows[&0], d("2025-12-01")), Some(d("2026-02-03")));
        assert_eq!(key(d("2025-12-01"), d("2026-02-03")), (6, 1 << 33), "the next year's words follow the start year's");
        assert_eq!(r.people(0, "2025-12-01", "2026-01-31"), 0);
        assert_eq!(r.people(0, "2025-12-01", "2026-02-03"), 1);
        assert_eq!(r.people(0, "2025-11-01", "2026-10-31"), 1, "served twice, one volunteer");
        assert_eq!(r.people(0, "2025-03-01", "2025-11-19"), 0);
        assert_eq!(r.people(0, "2025-03-01", "2026-02-28"), 1);
        assert_eq!(first(&r.rows[&0], d("2026-03-01")), None, "nothing from March on");
    }

    #[test]
    fn an_earlier_entry_moves_the_first_day_in_every_window_holding_it() {
        let rows = vec![(2026, [0, 1 << 9, 0, 0, 0, 0])];
        assert_eq!(first(&rows, d("2026-02-01")), Some(d("2026-03-10")));
        let m = moves(&rows, d("2026-03-02"));
        assert_eq!(m.len(), 24, "the twelve windows from April 2025 to March 2026, out of the 10th and into the 2nd");
        assert!(m.contains(&Move { period: "2025-04".into(), word: 7, low: 1 << 1, people: 1 }));
        assert!(m.contains(&Move { period: "2025-04".into(), word: 7, low: 1 << 9, people: -1 }));
        assert!(moves(&rows, d("2026-03-20")).is_empty(), "a later day moves nothing");
        let later = moves(&rows, d("2026-05-04"));
        let periods: Vec<&str> = later.iter().map(|m| m.period.as_str()).collect();
        assert_eq!(periods, ["2026-05", "2026-04"], "only the windows not holding the 10th of March gain a first day");
        assert!(later.iter().all(|m| m.people == 1));
    }

    #[test]
    fn a_volunteer_in_two_teams_is_one_volunteer_across_them() {
        let mut r = Rollups::default();
        for (team, day) in [(1, "2026-01-09"), (2, "2026-01-05"), (1, "2026-03-01")] {
            r.credit(team, d(day));
            r.credit(0, d(day));
        }
        assert_eq!((r.people(1, "2026-01-01", "2026-12-31"), r.people(2, "2026-01-01", "2026-12-31")), (1, 1));
        assert_eq!(r.people(0, "2026-01-01", "2026-12-31"), 1, "not the sum of the teams");
        assert_eq!(r.people(0, "2026-01-01", "2026-01-05"), 1);
        assert_eq!(r.people(1, "2026-01-01", "2026-01-05"), 0);
        assert_eq!(r.people(1, "2026-02-01", "2026-12-31"), 1, "team 1 again in March");
        assert_eq!(r.people(2, "2026-02-01", "2026-12-31"), 0);
    }

    #[test]
    fn counts_kept_in_any_order_equal_the_first_days_of_the_final_bits() {
        let mut next = numbers(17);
        let base = d("2024-01-01");
        let mut r = Rollups::default();
        for _ in 0..80 {
            r.credit(0, base + chrono::Duration::days(next(3 * 365) as i64));
        }
        let mut want: HashMap<(i64, String, i64, i64), i64> = HashMap::new();
        let mut start = d("2023-01-01");
        while start < d("2027-01-01") {
            if let Some(f) = first(&r.rows[&0], start) {
                let (w, l) = key(start, f);
                *want.entry((0, start.format("%Y-%m").to_string(), w, l)).or_default() += 1;
            }
            start = start.checked_add_months(Months::new(1)).unwrap();
        }
        r.counts.retain(|_, n| *n != 0);
        assert_eq!(r.counts, want);
    }

    /// Every window from 2022 to 2028 by `first` and `key`, one at a time.
    fn slow_firsts(rows: &[(i32, [i64; WORDS])]) -> Vec<First> {
        let mut out = Vec::new();
        let mut start = d("2022-01-01");
        while start < d("2029-01-01") {
            if let Some(f) = first(rows, start) {
                let (word, low) = key(start, f);
                out.push(First { year: start.year(), month: start.month(), word, low });
            }
            start = start.checked_add_months(Months::new(1)).unwrap();
        }
        out
    }

    #[test]
    fn a_volunteers_windows_from_their_words_are_those_of_their_first_days() {
        let mut next = numbers(29);
        for _ in 0..300 {
            let mut rows: Vec<(i32, [i64; WORDS])> = Vec::new();
            for year in 2023..=2027 {
                if next(3) == 0 {
                    continue;
                }
                let mut words = [0; WORDS];
                for _ in 0..1 + next(4) {
                    let day = NaiveDate::from_ymd_opt(year, 1, 1).unwrap() + chrono::Duration::days(next(365) as i64);
                    let (w, b) = day_bit(day);
                    words[w] |= 1 << b;
                }
                rows.push((year, words));
            }
            let mut fast = firsts(&rows);
            fast.sort();
            assert_eq!(fast, slow_firsts(&rows), "{rows:?}");
        }
    }

    #[test]
    fn a_window_from_a_year_without_days_holds_the_next_years_early_days() {
        let jan = |y, b| (y, [1i64 << b, 0, 0, 0, 0, 0]);
        let mut got = firsts(&[jan(2026, 4)]);
        got.sort();
        let periods: Vec<String> = got.iter().map(First::period).collect();
        assert_eq!(
            periods,
            [
                "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12",
                "2026-01"
            ]
        );
        assert!(got.iter().all(|f| f.low == 1 << 4));
        assert_eq!((got[0].word, got[11].word), (6, 0), "the next year's words follow the start year's");
        let both = firsts(&[jan(2025, 0), jan(2026, 4)]);
        assert_eq!(both.iter().filter(|f| f.year == 2025).count(), 12, "one first day per window, not one per row");
        assert!(both.contains(&First { year: 2025, month: 2, word: 6, low: 1 << 4 }));
    }
}
