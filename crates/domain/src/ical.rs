//! iCalendar (RFC 5545) for the volunteer and team feeds: a phone's calendar
//! subscribes to them. Pure text: CRLF line endings, lines folded at 75
//! octets without splitting a UTF-8 character, times in UTC with `Z`, text
//! values escaped.

use chrono::{TimeZone, Utc};

/// One activity as a calendar event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Stable per activity, so an update replaces the event instead of adding one.
    pub uid: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub summary: String,
    pub location: Option<String>,
    pub description: Option<String>,
    /// `TENTATIVE` for a waitlisted place, `CONFIRMED` otherwise.
    pub tentative: bool,
    /// Whole days in the region (a campaign's slot): dates, not times; `ends_at` is the last day's start.
    pub all_day: bool,
}

/// The UID of an activity's event: the same in every feed and every fetch.
pub fn activity_uid(activity_id: i64, host: &str) -> String {
    format!("activity-{activity_id}@{host}")
}

/// Unix ms as an RFC 5545 UTC date-time: 20261205T010000Z.
pub fn utc(ms: i64) -> String {
    Utc.timestamp_millis_opt(ms).single().map(|t| t.format("%Y%m%dT%H%M%SZ").to_string()).unwrap_or_default()
}

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line: at most 75 octets a line, continuation lines
/// start with a space, and a multi-byte character is never cut.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
    out
}

/// A whole calendar named `name`, stamped at `now` (unix ms).
pub fn calendar(name: &str, events: &[Event], now: i64) -> String {
    let mut out = String::new();
    let mut line = |l: String| out.push_str(&fold(&l));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//Tongxing//Volunteer calendar//ZH".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape(name)));
    line("X-WR-TIMEZONE:Asia/Shanghai".into());
    for e in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", e.uid));
        line(format!("DTSTAMP:{}", utc(now)));
        if e.all_day {
            let day = |ms: i64| crate::time::region_date(ms).format("%Y%m%d").to_string();
            line(format!("DTSTART;VALUE=DATE:{}", day(e.starts_at)));
            line(format!("DTEND;VALUE=DATE:{}", day(e.ends_at + 86_400_000)));
        } else {
            line(format!("DTSTART:{}", utc(e.starts_at)));
            line(format!("DTEND:{}", utc(e.ends_at)));
        }
        line(format!("SUMMARY:{}", escape(&e.summary)));
        if let Some(l) = &e.location {
            line(format!("LOCATION:{}", escape(l)));
        }
        if let Some(d) = &e.description {
            line(format!("DESCRIPTION:{}", escape(d)));
        }
        line(format!("STATUS:{}", if e.tentative { "TENTATIVE" } else { "CONFIRMED" }));
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn event(summary: &str) -> Event {
        Event {
            uid: activity_uid(7, "tongxing.example"),
            starts_at: 1_796_000_000_000,
            ends_at: 1_796_007_200_000,
            summary: summary.into(),
            location: Some("雅苑小区, 3号楼; 活动室".into()),
            description: Some("带好工具\n准时到".into()),
            tentative: false,
            all_day: false,
        }
    }

    #[test]
    fn every_line_ends_with_crlf_and_no_bare_lf_remains() {
        let cal = calendar("我的活动", &[event("敬老院义剪")], 0);
        assert!(cal.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(cal.matches('\n').count(), cal.matches("\r\n").count());
        assert!(cal.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    }

    #[test]
    fn times_are_utc_with_z_and_the_stamp_is_present() {
        let cal = calendar("x", &[event("a")], 1_796_000_000_000);
        // 1_796_000_000_000 ms is 2026-11-30T00:53:20Z (08:53 in the region).
        assert!(cal.contains("DTSTART:20261130T005320Z\r\n"), "{cal}");
        assert!(cal.contains("DTEND:20261130T025320Z\r\n"));
        assert!(cal.contains("DTSTAMP:20261130T005320Z\r\n"));
        assert!(cal.contains("UID:activity-7@tongxing.example\r\n"));
    }

    #[test]
    fn text_values_are_escaped() {
        let cal = calendar("x", &[event("a")], 0);
        assert!(cal.contains("LOCATION:雅苑小区\\, 3号楼\\; 活动室\r\n"), "{cal}");
        assert!(cal.contains("DESCRIPTION:带好工具\\n准时到\r\n"));
        assert_eq!(escape("a\\b"), "a\\\\b");
    }

    #[test]
    fn long_chinese_lines_fold_at_75_octets_on_character_boundaries() {
        let title = "社区志愿服务活动".repeat(6);
        let cal = calendar("x", &[event(&title)], 0);
        for l in cal.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = cal.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{title}\r\n")));
    }

    #[test]
    fn a_waitlisted_place_is_tentative() {
        let mut e = event("a");
        e.tentative = true;
        assert!(calendar("x", &[e], 0).contains("STATUS:TENTATIVE\r\n"));
    }

    proptest! {
        /// Folding never loses or changes text, and never makes a line longer than 75 octets.
        #[test]
        fn folding_round_trips(s in "\\PC{0,200}") {
            let folded = fold(&format!("SUMMARY:{s}"));
            prop_assert!(folded.split("\r\n").all(|l| l.len() <= 75));
            prop_assert_eq!(folded.replace("\r\n ", ""), format!("SUMMARY:{s}\r\n"));
        }
    }
}
