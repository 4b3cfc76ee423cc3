//! Heads of periods (migration 0055): a period from a day that is not its
//! month's 1st (twelve months to today, its previous period, a custom
//! period) is its head, the rest of that month, and a period from the next
//! month's 1st that a prefix counts (`rollup::prefix`). A volunteer served
//! in the head when their last day of that month is on or after its first
//! day; they are not yet counted by the rest when their next day of
//! service after the month is past its last day. So per level, month and
//! dimensions, volunteers are counted by (last day in the month, next day
//! after it, as days from the next month's 1st), and the period's distinct
//! volunteers are the rest's count plus a sum of these counts — not a merge
//! of every volunteer's day bits of two years. The drain moves the counts
//! with `moves`, from the volunteer's day bits of the years around the
//! entry's day (the ledger only grows, so a day only ever joins the bits).
//!
//! A period inside one month, not from its 1st (a week, ten days), is
//! counted the same way from each day a volunteer served in the month with
//! their previous day of that month (`Pair`): the first of their days in
//! the period is the one whose previous day is before the period, so its
//! distinct volunteers are the pairs with the day in the period and the
//! previous day before it (`within`).

use chrono::{Datelike, Months, NaiveDate};

use super::rollup::{self, Prefix, DISTRICT, THEME, WORDS};
use super::Span;

/// The levels heads are kept at: those without a team or unit, whose
/// dimensions hold tens of thousands of volunteers in a year. Under a team
/// or a unit a year's rows are few enough to merge, and heads there would
/// be as many rows as the day bits themselves.
pub const LEVELS: [i64; 4] = [0, DISTRICT, THEME, DISTRICT | THEME];

/// The next day of a volunteer with none in the twelve months after the
/// month: later than any period's last day (at most 365 days after the
/// next month's 1st, as a prefix is under twelve months).
pub const NEVER: i64 = 366;

/// A volunteer counted in a month (`year`, `month`) at their last day of
/// it and their next day after it (days from the next month's 1st, or
/// `NEVER`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Head {
    pub year: i32,
    pub month: u32,
    pub last: u32,
    pub next: i64,
}

impl Head {
    /// The month as the counts name it (`YYYY-MM`).
    pub fn period(&self) -> String {
        format!("{}-{:02}", self.year, self.month)
    }
}

/// A period with a head: the head's month, the counts to sum (last day on
/// or after `last`, next day after `next`), and the rest's prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub period: String,
    pub last: i64,
    pub next: i64,
    pub rest: Prefix,
}

/// The 1st of the month after `d`'s.
fn next_month(d: NaiveDate) -> Option<NaiveDate> {
    d.with_day(1)?.checked_add_months(Months::new(1))
}

/// A period from a day other than its month's 1st, ending in a later
/// month, whose rest a prefix counts; any other period is not split.
pub fn split(s: Span) -> Option<Split> {
    let rest = next_month(s.from)?;
    if s.from.day() == 1 || s.to < rest {
        return None;
    }
    Some(Split {
        period: s.from.format("%Y-%m").to_string(),
        last: s.from.day().into(),
        next: (s.to - rest).num_days(),
        rest: rollup::prefix(Span { from: rest, to: s.to })?,
    })
}

/// The days a volunteer's yearly rows set, in order (`rows` in year order).
fn days(rows: &[(i32, [i64; WORDS])]) -> impl Iterator<Item = NaiveDate> + '_ {
    rows.iter().flat_map(|(year, words)| {
        words.iter().enumerate().flat_map(move |(k, w)| {
            let mut bits = *w;
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let b = bits.trailing_zeros();
                    bits &= bits - 1;
                    b
                })
            })
            .filter_map(move |b| NaiveDate::from_ymd_opt(*year, k as u32 * 2 + b / 31 + 1, b % 31 + 1))
        })
    })
}

/// Every month a volunteer has a day in, at their last day of it and their
/// next day after it, from their yearly day bits (`rows`, in year order; a
/// year without a row has no days, so a month of the last year given has
/// its next day only if it falls in that year).
pub fn heads(rows: &[(i32, [i64; WORDS])]) -> Vec<Head> {
    let mut out = Vec::new();
    let mut days = days(rows).peekable();
    while let Some(d) = days.next() {
        let following = days.peek().copied();
        if following.is_some_and(|f| (f.year(), f.month()) == (d.year(), d.month())) {
            continue;
        }
        let Some(rest) = next_month(d) else { continue };
        let end = rest.checked_add_months(Months::new(12));
        let next = following.filter(|f| end.is_some_and(|end| *f < end)).map_or(NEVER, |f| (f - rest).num_days());
        out.push(Head { year: d.year(), month: d.month(), last: d.day(), next });
    }
    out
}

/// What a day of service `day` changes for a volunteer whose day bits were
/// `rows` (the years from the one before `day`'s to the one after): the
/// heads of its month and of the twelve before it (whose next day it may
/// become), each out of its old count (-1) and into its new one (+1).
pub fn moves(rows: &[(i32, [i64; WORDS])], day: NaiveDate) -> Vec<(Head, i64)> {
    let Some(month) = day.with_day(1) else { return Vec::new() };
    let Some(from) = month.checked_sub_months(Months::new(12)) else { return Vec::new() };
    let within = |h: &Head| {
        let m = NaiveDate::from_ymd_opt(h.year, h.month, 1);
        m.is_some_and(|m| m >= from && m <= month)
    };
    let mut before = rows.to_vec();
    before.sort_by_key(|(y, _)| *y);
    let mut after = before.clone();
    rollup::with_day(&mut after, day);
    let old: Vec<Head> = heads(&before).into_iter().filter(within).collect();
    let new: Vec<Head> = heads(&after).into_iter().filter(within).collect();
    let gone = old.iter().filter(|h| !new.contains(h)).map(|h| (*h, -1));
    let came = new.iter().filter(|h| !old.contains(h)).map(|h| (*h, 1));
    gone.chain(came).collect()
}

/// A day a volunteer served in a month (`year`, `month`, `day`) with their
/// previous day of that month (`prev`, 0 for none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pair {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub prev: u32,
}

impl Pair {
    /// The month as the counts name it (`YYYY-MM`).
    pub fn period(&self) -> String {
        format!("{}-{:02}", self.year, self.month)
    }
}

/// A period inside one month, not from its 1st: the month and the pairs
/// to count (day from `from` to `to`, previous day before `from`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Within {
    pub period: String,
    pub from: i64,
    pub to: i64,
}

pub fn within(s: Span) -> Option<Within> {
    let same = (s.from.year(), s.from.month()) == (s.to.year(), s.to.month());
    (same && s.from.day() != 1 && s.from <= s.to).then(|| Within {
        period: s.from.format("%Y-%m").to_string(),
        from: s.from.day().into(),
        to: s.to.day().into(),
    })
}

/// Every day of a volunteer's yearly day bits (`rows`, in year order) with
/// their previous day of its month.
pub fn pairs(rows: &[(i32, [i64; WORDS])]) -> Vec<Pair> {
    let mut out: Vec<Pair> = Vec::new();
    for d in days(rows) {
        let prev = out.last().filter(|p| (p.year, p.month) == (d.year(), d.month())).map_or(0, |p| p.day);
        out.push(Pair { year: d.year(), month: d.month(), day: d.day(), prev });
    }
    out
}

/// What a day of service `day` changes in the pairs of its month for a
/// volunteer whose day bits were `rows`: its own pair, and the next day's
/// previous day.
pub fn pair_moves(rows: &[(i32, [i64; WORDS])], day: NaiveDate) -> Vec<(Pair, i64)> {
    let month = |p: &Pair| (p.year, p.month) == (day.year(), day.month());
    let mut before: Vec<(i32, [i64; WORDS])> = rows.iter().filter(|(y, _)| *y == day.year()).copied().collect();
    let old: Vec<Pair> = pairs(&before).into_iter().filter(month).collect();
    rollup::with_day(&mut before, day);
    let new: Vec<Pair> = pairs(&before).into_iter().filter(month).collect();
    let gone = old.iter().filter(|p| !new.contains(p)).map(|p| (*p, -1));
    let came = new.iter().filter(|p| !old.contains(p)).map(|p| (*p, 1));
    gone.chain(came).collect()
}

/// `pair_moves` for a day as the ledger keeps it (`YYYY-MM-DD`).
pub fn pair_moves_on(rows: &[(i32, [i64; WORDS])], served_on: &str) -> Vec<(Pair, i64)> {
    NaiveDate::parse_from_str(served_on, "%Y-%m-%d").map(|day| pair_moves(rows, day)).unwrap_or_default()
}

/// `moves` for a day as the ledger keeps it (`YYYY-MM-DD`).
pub fn moves_on(rows: &[(i32, [i64; WORDS])], served_on: &str) -> Vec<(Head, i64)> {
    NaiveDate::parse_from_str(served_on, "%Y-%m-%d").map(|day| moves(rows, day)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap};

    use super::*;
    use crate::stats::tests::numbers;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn bits(days: &[NaiveDate]) -> Vec<(i32, [i64; WORDS])> {
        let mut rows = Vec::new();
        for day in days {
            rollup::with_day(&mut rows, *day);
        }
        rows
    }

    /// Volunteers' heads counted as the drain moves them, entry by entry.
    #[derive(Default)]
    struct Counts {
        days: HashMap<u32, Vec<NaiveDate>>,
        counts: HashMap<Head, i64>,
        pairs: HashMap<Pair, i64>,
    }

    impl Counts {
        fn credit(&mut self, volunteer: u32, day: NaiveDate) {
            let days = self.days.entry(volunteer).or_default();
            let around: Vec<NaiveDate> = days.iter().copied().filter(|d| (d.year() - day.year()).abs() <= 1).collect();
            for (h, n) in moves(&bits(&around), day) {
                *self.counts.entry(h).or_default() += n;
            }
            for (p, n) in pair_moves(&bits(&around), day) {
                *self.pairs.entry(p).or_default() += n;
            }
            days.push(day);
        }

        /// Distinct volunteers of the period, from the head's counts plus
        /// the rest's volunteers (counted from the days: the prefix's own
        /// counts are `rollup`'s and `window`'s, tested there).
        fn people(&self, from: &str, to: &str) -> i64 {
            let s = split(Span { from: d(from), to: d(to) }).expect("a head");
            let rest = next_month(d(from)).unwrap();
            let in_rest = self.days.values().filter(|ds| ds.iter().any(|x| *x >= rest && *x <= d(to))).count() as i64;
            let head: i64 = self
                .counts
                .iter()
                .filter(|(h, _)| h.period() == s.period && i64::from(h.last) >= s.last && h.next > s.next)
                .map(|(_, n)| n)
                .sum();
            in_rest + head
        }

        /// Distinct volunteers of a period inside a month, from the pairs.
        fn people_within(&self, from: &str, to: &str) -> i64 {
            let w = within(Span { from: d(from), to: d(to) }).expect("inside a month");
            self.pairs
                .iter()
                .filter(|(p, _)| p.period() == w.period && (w.from..=w.to).contains(&i64::from(p.day)) && i64::from(p.prev) < w.from)
                .map(|(_, n)| n)
                .sum()
        }

        fn truth(&self, from: &str, to: &str) -> i64 {
            self.days.values().filter(|ds| ds.iter().any(|x| *x >= d(from) && *x <= d(to))).count() as i64
        }
    }

    #[test]
    fn a_period_from_a_later_day_splits_into_its_head_and_a_prefix() {
        let s = split(Span { from: d("2025-12-08"), to: d("2026-12-07") }).unwrap();
        assert_eq!((s.period.as_str(), s.last, s.next), ("2025-12", 8, 340));
        assert_eq!((s.rest.scope, s.rest.period.as_str()), ("y", "2026"), "January to December is the year's prefix");
        let s = split(Span { from: d("2025-06-15"), to: d("2026-06-14") }).unwrap();
        assert_eq!((s.rest.scope, s.rest.period.as_str()), ("w", "2025-07"));
        assert_eq!(split(Span { from: d("2025-06-01"), to: d("2026-05-31") }), None, "from a 1st: a prefix alone");
        assert_eq!(split(Span { from: d("2025-06-15"), to: d("2025-06-30") }), None, "within its month");
        assert_eq!(split(Span { from: d("2024-06-15"), to: d("2026-06-14") }), None, "a rest over twelve months");
    }

    #[test]
    fn a_months_head_is_its_last_day_and_the_next_within_twelve_months() {
        let rows = bits(&[d("2025-12-03"), d("2025-12-20"), d("2026-01-02"), d("2027-03-01")]);
        assert_eq!(
            heads(&rows),
            [
                Head { year: 2025, month: 12, last: 20, next: 1 },
                Head { year: 2026, month: 1, last: 2, next: NEVER },
                Head { year: 2027, month: 3, last: 1, next: NEVER },
            ],
            "March 2027 is fourteen months after January 2026"
        );
        let rows = bits(&[d("2026-01-31"), d("2027-01-31")]);
        assert_eq!(heads(&rows)[0].next, 364, "the last day of the twelve months after");
    }

    #[test]
    fn a_day_moves_its_months_head_and_the_previous_months_next_day() {
        let rows = bits(&[d("2025-11-05"), d("2026-03-10")]);
        let m: BTreeSet<(Head, i64)> = moves(&rows, d("2026-01-20")).into_iter().collect();
        let want: BTreeSet<(Head, i64)> = [
            (Head { year: 2025, month: 11, last: 5, next: 99 }, -1),
            (Head { year: 2025, month: 11, last: 5, next: 50 }, 1),
            (Head { year: 2026, month: 1, last: 20, next: 37 }, 1),
        ]
        .into_iter()
        .collect();
        assert_eq!(m, want);
        assert!(!moves(&rows, d("2026-03-02")).is_empty(), "an earlier day in March changes November's next day");
        assert!(moves(&bits(&[d("2026-03-10")]), d("2026-03-02")).is_empty(), "not the last day, nothing before it");
    }

    #[test]
    fn a_day_between_two_of_its_month_takes_the_later_ones_previous_day() {
        let rows = bits(&[d("2026-03-02"), d("2026-03-20"), d("2026-04-01")]);
        let m: BTreeSet<(Pair, i64)> = pair_moves(&rows, d("2026-03-10")).into_iter().collect();
        let p = |day, prev| Pair { year: 2026, month: 3, day, prev };
        assert_eq!(m, BTreeSet::from([(p(10, 2), 1), (p(20, 2), -1), (p(20, 10), 1)]));
        assert!(pair_moves(&rows, d("2026-03-20")).is_empty(), "a day already served");
        assert_eq!(pair_moves(&rows, d("2026-04-05")), [(Pair { year: 2026, month: 4, day: 5, prev: 1 }, 1)]);
        assert_eq!(within(Span { from: d("2026-03-05"), to: d("2026-03-12") }), Some(Within { period: "2026-03".into(), from: 5, to: 12 }));
        assert_eq!(within(Span { from: d("2026-03-01"), to: d("2026-03-12") }), None, "from a 1st: a prefix");
        assert_eq!(within(Span { from: d("2026-03-05"), to: d("2026-04-02") }), None, "across months: a head");
    }

    #[test]
    fn counts_kept_entry_by_entry_give_every_periods_distinct_volunteers() {
        let mut next = numbers(41);
        let base = d("2024-01-01");
        let mut c = Counts::default();
        for _ in 0..600 {
            let volunteer = next(40) as u32;
            c.credit(volunteer, base + chrono::Duration::days(next(3 * 365) as i64));
        }
        let mut checked = 0;
        for _ in 0..300 {
            let from = base + chrono::Duration::days(next(2 * 365) as i64);
            let to = from + chrono::Duration::days(next(366) as i64);
            let (f, t) = (from.format("%Y-%m-%d").to_string(), to.format("%Y-%m-%d").to_string());
            if split(Span { from, to }).is_some() {
                assert_eq!(c.people(&f, &t), c.truth(&f, &t), "{f} to {t}");
                checked += 1;
            }
            let to = from + chrono::Duration::days(next(20) as i64);
            let t = to.format("%Y-%m-%d").to_string();
            if within(Span { from, to }).is_some() {
                assert_eq!(c.people_within(&f, &t), c.truth(&f, &t), "{f} to {t}");
                checked += 1;
            }
        }
        assert!(checked > 300, "{checked}");
        let mut all: HashMap<Head, i64> = HashMap::new();
        for ds in c.days.values() {
            let mut ds = ds.clone();
            ds.sort();
            for h in heads(&bits(&ds)) {
                *all.entry(h).or_default() += 1;
            }
        }
        c.counts.retain(|_, n| *n != 0);
        assert_eq!(c.counts, all, "the moves add up to a fill from the final bits");
        let mut all: HashMap<Pair, i64> = HashMap::new();
        for ds in c.days.values() {
            let mut ds = ds.clone();
            ds.sort();
            for p in pairs(&bits(&ds)) {
                *all.entry(p).or_default() += 1;
            }
        }
        c.pairs.retain(|_, n| *n != 0);
        assert_eq!(c.pairs, all, "the pair moves add up to a fill from the final bits");
    }
}
