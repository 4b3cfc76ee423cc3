//! Times as the API shows them: RFC 3339 in the region's zone (UTC+8, no
//! daylight saving), stored as unix milliseconds.

use chrono::{FixedOffset, TimeZone};
use serde::Serializer;

pub fn region_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// 1784016000000 → "2026-07-14T16:00:00+08:00".
pub fn rfc3339(ms: i64) -> String {
    region_offset().timestamp_millis_opt(ms).single().map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)).unwrap_or_default()
}

/// The calendar day in the region at `ms`: days for the 24-hour rule and for
/// ages are the region's days, not UTC's.
pub fn region_date(ms: i64) -> chrono::NaiveDate {
    region_offset().timestamp_millis_opt(ms).single().map(|t| t.date_naive()).unwrap_or_default()
}

/// `#[serde(serialize_with = "crate::time::ms_as_rfc3339")]` for unix-ms fields.
pub fn ms_as_rfc3339<S: Serializer>(ms: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(*ms))
}

/// `ms_as_rfc3339` for a time that may not have happened yet (null until then).
pub fn opt_ms_as_rfc3339<S: Serializer>(ms: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match ms {
        Some(ms) => s.serialize_str(&rfc3339(*ms)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_are_shown_in_the_regions_zone() {
        assert_eq!(super::rfc3339(0), "1970-01-01T08:00:00+08:00");
    }
}
