//! Closed months (月报): once a coordinator closes a month its figures stay
//! as reported, and a ledger entry dated in it but recorded later is shown
//! as an adjustment in a later report instead. No clock: times are passed in.

use chrono::{Datelike, Months, NaiveDate};

use super::Span;
use crate::Invalid;

/// A closed month (`YYYY-MM`) and when it was closed (unix ms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    pub month: String,
    pub closed_at: i64,
}

/// The days of a month written `YYYY-MM`; 422 on `field` otherwise.
pub fn month_span(field: &str, month: &str) -> Result<Span, Invalid> {
    let first = NaiveDate::parse_from_str(&format!("{}-01", month.trim()), "%Y-%m-%d")
        .ok()
        .filter(|d| month.trim().len() == 7 && (2000..=2100).contains(&d.year()))
        .ok_or_else(|| Invalid::one(field, "month_format"))?;
    let last = first.checked_add_months(Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(first);
    Ok(Span { from: first, to: last })
}

/// The days of a year; years outside 2000–2100 are out of range.
pub fn year_span(year: i32) -> Result<Span, Invalid> {
    match (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) {
        (Some(from), Some(to)) if (2000..=2100).contains(&year) => Ok(Span { from, to }),
        _ => Err(Invalid::one("year", "out_of_range")),
    }
}

/// A report may be asked for up to the month `today` is in (so far).
pub fn reportable(field: &str, s: Span, today: NaiveDate) -> Result<(), Invalid> {
    if s.from > today {
        return Err(Invalid::one(field, "not_begun"));
    }
    Ok(())
}

/// Only a month that is over can be closed: its figures would still grow.
pub fn closable(s: Span, today: NaiveDate) -> Result<(), Invalid> {
    if s.to >= today {
        return Err(Invalid::one("month", "month_not_over"));
    }
    Ok(())
}

fn next_month(month: &str) -> Option<String> {
    let s = month_span("month", month).ok()?;
    Some(s.to.succ_opt()?.format("%Y-%m").to_string())
}

/// The report a ledger entry served in `served_month` and recorded at
/// `recorded_at` adjusts: none while its own month is open (or was closed
/// after it was recorded: the entry is in the figures as reported);
/// otherwise the first later month that was still open when it was recorded.
pub fn adjusts(served_month: &str, recorded_at: i64, closed: &[Closed]) -> Option<String> {
    let closed_at = |m: &str| closed.iter().find(|c| c.month == m).map(|c| c.closed_at);
    if closed_at(served_month).is_none_or(|at| recorded_at <= at) {
        return None;
    }
    let mut month = next_month(served_month)?;
    while closed_at(&month).is_some_and(|at| at < recorded_at) {
        month = next_month(&month)?;
    }
    Some(month)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn closed(month: &str, closed_at: i64) -> Closed {
        Closed { month: month.into(), closed_at }
    }

    #[test]
    fn an_entry_in_an_open_month_adjusts_nothing() {
        assert_eq!(adjusts("2026-10", 500, &[]), None);
        assert_eq!(adjusts("2026-10", 500, &[closed("2026-09", 100)]), None);
    }

    #[test]
    fn an_entry_recorded_before_the_closing_is_in_the_figures_as_reported() {
        assert_eq!(adjusts("2026-10", 100, &[closed("2026-10", 100)]), None);
    }

    #[test]
    fn a_late_entry_adjusts_the_next_month_still_open() {
        let c = [closed("2026-10", 100), closed("2026-11", 200)];
        // Recorded after October closed but before November did: November's report.
        assert_eq!(adjusts("2026-10", 150, &c).as_deref(), Some("2026-11"));
        // Recorded after both closed: December's.
        assert_eq!(adjusts("2026-10", 250, &c).as_deref(), Some("2026-12"));
        // Across a year's end.
        assert_eq!(adjusts("2026-12", 9, &[closed("2026-12", 1)]).as_deref(), Some("2027-01"));
    }

    #[test]
    fn months_are_written_yyyy_mm_and_close_once_over() {
        let nov = month_span("month", "2026-11").unwrap();
        assert_eq!((nov.from.to_string(), nov.to.to_string()), ("2026-11-01".into(), "2026-11-30".into()));
        for bad in ["2026-13", "2026-1", "26-11", "", "2026-11-01", "1900-01"] {
            assert!(month_span("month", bad).is_err(), "{bad}");
        }
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        assert!(closable(nov, today).is_ok());
        assert!(closable(month_span("month", "2026-12").unwrap(), today).is_err());
        assert!(reportable("month", month_span("month", "2026-12").unwrap(), today).is_ok());
        assert!(reportable("month", month_span("month", "2027-01").unwrap(), today).is_err());
        assert!(year_span(1999).is_err() && year_span(2026).is_ok());
    }
}
