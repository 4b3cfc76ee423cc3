//! Rules of the first screens (`/`): which days "today" and "this week" and
//! "this month" cover in the region's zone, when a sign-up's check-in button
//! shows, and how long a need has waited in words a person reads.

use chrono::{Datelike, Duration, NaiveDate, TimeZone};

use crate::time::{region_date, region_offset};

/// How long before an activity starts its check-in button shows: people
/// arrive early, and the check-in page refuses nothing the API would not.
pub const CHECKIN_OPENS_BEFORE_MS: i64 = 30 * 60 * 1000;

/// Unix ms at which the region's calendar `day` begins.
fn day_start(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0).and_then(|t| region_offset().from_local_datetime(&t).single()).map_or(0, |t| t.timestamp_millis())
}

/// The spans a first screen counts in, as unix ms: today starts, today ends
/// (= this week's window starts at today), seven days on, the month's and the year's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spans {
    pub today: i64,
    pub tomorrow: i64,
    pub week_end: i64,
    pub month: i64,
    pub year: i64,
}

pub fn spans(now: i64) -> Spans {
    let day = region_date(now);
    let month = day.with_day(1).unwrap_or(day);
    Spans {
        today: day_start(day),
        tomorrow: day_start(day + Duration::days(1)),
        week_end: day_start(day + Duration::days(7)),
        month: day_start(month),
        year: day_start(day.with_ordinal(1).unwrap_or(day)),
    }
}

/// Whether a confirmed sign-up's check-in button shows now: from shortly
/// before the start until the end.
pub fn checkin_open(starts_at: i64, ends_at: i64, now: i64) -> bool {
    starts_at - CHECKIN_OPENS_BEFORE_MS <= now && now < ends_at
}

/// How long something has waited, rounded down to the largest whole unit:
/// (`"days"` | `"hours"` | `"minutes"`, count).
pub fn waited(since: i64, now: i64) -> (&'static str, i64) {
    let minutes = (now - since).max(0) / 60_000;
    match minutes {
        m if m >= 24 * 60 => ("days", m / (24 * 60)),
        m if m >= 60 => ("hours", m / 60),
        m => ("minutes", m),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    /// 2026-12-06 10:30 in the region (UTC+8), a Sunday.
    const NOW: i64 = 1_796_524_200_000;

    #[test]
    fn spans_follow_the_regions_calendar() {
        let s = spans(NOW);
        assert_eq!(crate::time::rfc3339(s.today), "2026-12-06T00:00:00+08:00");
        assert_eq!(crate::time::rfc3339(s.tomorrow), "2026-12-07T00:00:00+08:00");
        assert_eq!(crate::time::rfc3339(s.week_end), "2026-12-13T00:00:00+08:00");
        assert_eq!(crate::time::rfc3339(s.month), "2026-12-01T00:00:00+08:00");
        assert_eq!(crate::time::rfc3339(s.year), "2026-01-01T00:00:00+08:00");
    }

    #[test]
    fn just_after_midnight_in_the_region_is_already_the_next_day() {
        // 2026-12-06 16:30 UTC is 00:30 on the 7th in the region.
        let s = spans(NOW + 14 * 3_600_000);
        assert_eq!(crate::time::rfc3339(s.today), "2026-12-07T00:00:00+08:00");
    }

    #[rstest]
    #[case(NOW + 31 * 60_000, false)]
    #[case(NOW + 30 * 60_000, true)]
    #[case(NOW, true)]
    #[case(NOW - 2 * 3_600_000 + 1, true)]
    #[case(NOW - 2 * 3_600_000, false)]
    fn the_checkin_button_shows_from_half_an_hour_before_until_the_end(#[case] starts_at: i64, #[case] open: bool) {
        assert_eq!(checkin_open(starts_at, starts_at + 2 * 3_600_000, NOW), open);
    }

    #[rstest]
    #[case(0, ("minutes", 0))]
    #[case(59 * 60_000, ("minutes", 59))]
    #[case(3 * 3_600_000 + 5, ("hours", 3))]
    #[case(3 * 86_400_000 + 7 * 3_600_000, ("days", 3))]
    #[case(-5_000, ("minutes", 0))]
    fn waiting_is_told_in_its_largest_whole_unit(#[case] ago: i64, #[case] want: (&str, i64)) {
        assert_eq!(waited(NOW - ago, NOW), want);
    }
}
