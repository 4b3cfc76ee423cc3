use chrono::NaiveDate;
use rstest::rstest;

use super::*;

/// Repeatable pseudo-random numbers below `n` from `seed`.
pub(super) fn numbers(mut seed: u64) -> impl FnMut(u64) -> u64 {
    move |n| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    }
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[rstest]
#[case(PeriodKind::Month, None, None, "2026-12-01", "2026-12-06")]
#[case(PeriodKind::Year, None, None, "2026-01-01", "2026-12-06")]
#[case(PeriodKind::Last12, None, None, "2026-01-01", "2026-12-06")]
#[case(PeriodKind::Custom, Some("2026-03-05"), Some("2026-04-10"), "2026-03-05", "2026-04-10")]
#[case(PeriodKind::Month, Some("2026-03-05"), None, "2026-03-05", "2026-12-06")]
#[case(PeriodKind::Year, None, Some("2025-07-31"), "2025-01-01", "2025-07-31")]
fn periods_cover_the_days_a_leader_expects(
    #[case] kind: PeriodKind,
    #[case] from: Option<&str>,
    #[case] to: Option<&str>,
    #[case] want_from: &str,
    #[case] want_to: &str,
) {
    assert_eq!(span(kind, from, to, d("2026-12-06")).unwrap(), Span { from: d(want_from), to: d(want_to) });
}

#[test]
fn last_twelve_months_start_eleven_months_back() {
    assert_eq!(span(PeriodKind::Last12, None, None, d("2026-05-20")).unwrap().from, d("2025-06-01"));
}

#[test]
fn a_period_ending_before_it_starts_or_too_long_is_refused() {
    assert_eq!(span(PeriodKind::Custom, Some("2026-03-05"), Some("2026-03-01"), d("2026-12-06")).unwrap_err().0[0].field, "to");
    assert_eq!(span(PeriodKind::Custom, Some("2020-01-01"), Some("2026-03-01"), d("2026-12-06")).unwrap_err().0[0].field, "from");
    assert_eq!(span(PeriodKind::Custom, Some("2026-13-01"), None, d("2026-12-06")).unwrap_err().0[0].code, "date_format");
    assert!(PeriodKind::parse(Some("week")).is_err());
}

#[rstest]
#[case("2026-12-01", "2026-12-06", "2026-11-01", "2026-11-06")]
#[case("2026-01-01", "2026-12-06", "2025-01-01", "2025-12-06")]
#[case("2026-03-01", "2026-03-31", "2026-02-01", "2026-02-28")]
#[case("2026-03-05", "2026-03-14", "2026-02-23", "2026-03-04")]
fn the_previous_period_is_the_same_stretch_one_step_back(#[case] f: &str, #[case] t: &str, #[case] pf: &str, #[case] pt: &str) {
    assert_eq!(previous(Span { from: d(f), to: d(t) }), Span { from: d(pf), to: d(pt) });
}

#[rstest]
#[case(120.0, 100.0, Some(20.0))]
#[case(50.0, 200.0, Some(-75.0))]
#[case(1.0, 3.0, Some(-66.7))]
#[case(5.0, 0.0, None)]
fn change_is_a_percentage_of_the_previous_period(#[case] now: f64, #[case] before: f64, #[case] want: Option<f64>) {
    assert_eq!(change_pct(now, before), want);
}

#[test]
fn median_takes_the_middle_or_the_mean_of_the_two_middles() {
    assert_eq!(median(vec![]), None);
    assert_eq!(median(vec![9, 1, 5]), Some(5.0));
    assert_eq!(median(vec![4, 1, 10, 2]), Some(3.0));
}

#[test]
fn every_month_of_a_span_is_listed_once() {
    assert_eq!(months(Span { from: d("2025-11-15"), to: d("2026-02-01") }), ["2025-11", "2025-12", "2026-01", "2026-02"]);
}
