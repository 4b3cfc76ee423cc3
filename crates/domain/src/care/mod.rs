//! One-to-one care (爱心守护, issue #15): a volunteer paired with a
//! beneficiary, visited on a cadence, late pairs warned about with the needs'
//! four levels; pauses, handovers and ends keep every visit.

pub mod due;
pub mod suggest;
mod views;

pub use views::*;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::campaigns::campaign::parse_date;
use crate::{schema, Invalid};

pub const MODES: &[&str] = &["in_person", "phone", "video", "accompany"];
pub const ROLES: &[&str] = &["primary", "cover"];
pub const STATUSES: &[&str] = &["active", "paused", "ended", "handed_over"];
/// The ledger's 8-hour ceiling for one session, in minutes.
pub const VISIT_MINUTES_MAX: i64 = 8 * 60;
pub const EVERY_DAYS_MAX: i64 = 365;
pub const HELP_MAX: usize = 200;
pub const NOTES_MAX: usize = 1000;
pub const CONCERN_MAX: usize = 500;
pub const REASON_MAX: usize = 200;

crate::field_schemas! {
    every_days_schema = schema::optional_int_range(1, EVERY_DAYS_MAX);
    minutes_schema = schema::int_range(1, VISIT_MINUTES_MAX);
    mode_schema = schema::one_of(MODES);
    role_schema = schema::optional_one_of(ROLES);
    help_schema = schema::optional_text(HELP_MAX);
    notes_schema = schema::optional_text(NOTES_MAX);
    concern_schema = schema::optional_text(CONCERN_MAX);
    reason_schema = schema::text(REASON_MAX);
    optional_date_schema = optional_date();
}

/// A day that may be left out or blank.
fn optional_date() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, Schema, Type};
    let blank = ObjectBuilder::new().schema_type(Type::String).pattern(Some(r"^\s*$")).build();
    let null = ObjectBuilder::new().schema_type(Type::Null).build();
    Schema::AnyOf(AnyOfBuilder::new().item(schema::date()).item(blank).item(null).build())
}

/// Whether a visit's minutes are service time for the ledger: being there in
/// person (visiting or accompanying), not a call.
pub fn counts_as_hours(mode: &str) -> bool {
    matches!(mode, "in_person" | "accompany")
}

/// A visit belongs to its pair's time: none is logged for a day before the
/// pair started (it would count toward a pairing that did not exist yet).
pub fn visit_in_pair(visited_at: i64, starts_on: &str) -> Result<(), Invalid> {
    match parse_date(starts_on) {
        Some(start) if crate::time::region_date(visited_at) < start => Err(Invalid::one("visited_at", "before_pair_start")),
        _ => Ok(()),
    }
}

fn blank(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

fn optional_day(e: &mut Invalid, field: &str, s: &Option<String>) -> Option<NaiveDate> {
    let s = blank(s)?;
    let d = parse_date(&s);
    if d.is_none() {
        e.push(field, "date_format");
    }
    d
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct PairInput {
    #[schema(schema_with = schema::id)]
    pub volunteer_id: i64,
    #[schema(schema_with = schema::id)]
    pub beneficiary_id: i64,
    /// Days between visits; left out, by the beneficiary's kind (weekly for 独居老人).
    #[serde(default)]
    #[schema(schema_with = every_days_schema)]
    pub every_days: Option<i64>,
    /// Left out: today.
    #[serde(default)]
    #[schema(schema_with = optional_date_schema)]
    pub starts_on: Option<String>,
    /// `primary` (the default) or `cover`.
    #[serde(default)]
    #[schema(schema_with = role_schema)]
    pub role: Option<String>,
    /// The agreed kinds of help (e.g. 代购、陪诊、聊天).
    #[serde(default)]
    #[schema(schema_with = help_schema)]
    pub help: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedPair {
    pub every_days: Option<i64>,
    pub starts_on: Option<NaiveDate>,
    pub role: &'static str,
    pub help: Option<String>,
}

impl PairInput {
    pub fn check(&self) -> Result<CheckedPair, Invalid> {
        let mut e = Invalid::default();
        if self.every_days.is_some_and(|d| !(1..=EVERY_DAYS_MAX).contains(&d)) {
            e.push("every_days", "out_of_range");
        }
        let starts_on = optional_day(&mut e, "starts_on", &self.starts_on);
        let role = match self.role.as_deref() {
            None => Some("primary"),
            Some(r) => ROLES.iter().copied().find(|x| *x == r),
        };
        if role.is_none() {
            e.push("role", "unknown_choice");
        }
        e.optional_text("help", self.help.as_deref(), HELP_MAX);
        e.into_result()?;
        Ok(CheckedPair { every_days: self.every_days, starts_on, role: role.unwrap_or("primary"), help: blank(&self.help) })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct VisitInput {
    /// When the visit started (RFC 3339); never in the future.
    #[schema(schema_with = schema::time)]
    pub visited_at: String,
    #[schema(schema_with = minutes_schema)]
    pub minutes: i64,
    #[schema(schema_with = mode_schema)]
    pub mode: String,
    pub contact_made: bool,
    /// What was done; seen by the pair's volunteers, their leader and the center only.
    #[serde(default)]
    #[schema(schema_with = notes_schema)]
    pub notes: Option<String>,
    /// Anything worrying (a fall, illness, no heating, a repair needed).
    #[serde(default)]
    #[schema(schema_with = concern_schema)]
    pub concern: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedVisit {
    pub visited_at: i64,
    pub mode: &'static str,
    pub notes: Option<String>,
    pub concern: Option<String>,
}

impl VisitInput {
    /// `now` is the server's clock: a visit cannot start in the future.
    pub fn check(&self, now: i64) -> Result<CheckedVisit, Invalid> {
        let mut e = Invalid::default();
        let at = crate::activities::parse_time(&self.visited_at);
        match at {
            None => e.push("visited_at", "time_format"),
            Some(t) if t > now => e.push("visited_at", "in_future"),
            _ => {}
        }
        if !(1..=VISIT_MINUTES_MAX).contains(&self.minutes) {
            e.push("minutes", "out_of_range");
        }
        let mode = MODES.iter().copied().find(|m| *m == self.mode);
        if mode.is_none() {
            e.push("mode", "unknown_choice");
        }
        e.optional_text("notes", self.notes.as_deref(), NOTES_MAX);
        e.optional_text("concern", self.concern.as_deref(), CONCERN_MAX);
        e.into_result()?;
        Ok(CheckedVisit {
            visited_at: at.unwrap_or(now),
            mode: mode.unwrap_or("phone"),
            notes: blank(&self.notes),
            concern: blank(&self.concern),
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct PauseInput {
    /// The day the pair resumes by itself; left out, until resumed.
    #[serde(default)]
    #[schema(schema_with = optional_date_schema)]
    pub until: Option<String>,
    #[schema(schema_with = reason_schema)]
    pub reason: String,
}

impl PauseInput {
    pub fn check(&self, today: NaiveDate) -> Result<Option<NaiveDate>, Invalid> {
        let mut e = Invalid::default();
        let until = optional_day(&mut e, "until", &self.until);
        if until.is_some_and(|u| u <= today) {
            e.push("until", "not_after_today");
        }
        e.text("reason", &self.reason, REASON_MAX);
        e.into_result().map(|_| until)
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct EndInput {
    #[schema(schema_with = reason_schema)]
    pub reason: String,
}

impl EndInput {
    pub fn check(&self) -> Result<String, Invalid> {
        let mut e = Invalid::default();
        e.text("reason", &self.reason, REASON_MAX);
        e.into_result().map(|_| self.reason.trim().to_string())
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct HandoverInput {
    #[schema(schema_with = schema::id)]
    pub volunteer_id: i64,
    /// What the new volunteer should know.
    #[serde(default)]
    #[schema(schema_with = notes_schema)]
    pub note: Option<String>,
}

impl HandoverInput {
    pub fn check(&self) -> Result<Option<String>, Invalid> {
        let mut e = Invalid::default();
        e.optional_text("note", self.note.as_deref(), NOTES_MAX);
        e.into_result().map(|_| blank(&self.note))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_784_016_000_000;

    fn visit() -> VisitInput {
        VisitInput {
            visited_at: "2026-07-14T08:00:00+08:00".into(),
            minutes: 60,
            mode: "in_person".into(),
            contact_made: true,
            ..Default::default()
        }
    }

    fn fields(e: Invalid) -> Vec<(String, &'static str)> {
        e.0.into_iter().map(|f| (f.field, f.code)).collect()
    }

    #[test]
    fn a_visit_is_on_or_after_the_day_its_pair_started() {
        // 2026-07-14 08:00 in the region; 00:30 there is still the 14th.
        let at = visit().check(NOW).unwrap().visited_at;
        assert!(visit_in_pair(at, "2026-07-14").is_ok());
        assert!(visit_in_pair(at, "2026-07-01").is_ok());
        assert_eq!(fields(visit_in_pair(at, "2026-07-15").unwrap_err()), [("visited_at".into(), "before_pair_start")]);
        let just_after_midnight = at - 7 * 3_600_000 - 30 * 60_000;
        assert!(visit_in_pair(just_after_midnight, "2026-07-14").is_ok());
        assert!(visit_in_pair(just_after_midnight - 3_600_000, "2026-07-14").is_err());
    }

    #[test]
    fn a_good_visit_passes() {
        let v = visit().check(NOW).unwrap();
        assert_eq!(v.mode, "in_person");
    }

    #[test]
    fn a_visit_in_the_future_or_over_eight_hours_is_refused() {
        let bad = VisitInput { visited_at: "2027-01-01T08:00:00+08:00".into(), minutes: 481, mode: "fax".into(), ..visit() };
        assert_eq!(
            fields(bad.check(NOW).unwrap_err()),
            vec![("visited_at".into(), "in_future"), ("minutes".into(), "out_of_range"), ("mode".into(), "unknown_choice")]
        );
    }

    #[test]
    fn a_cadence_of_zero_is_refused() {
        let p = PairInput { volunteer_id: 1, beneficiary_id: 1, every_days: Some(0), ..Default::default() };
        assert_eq!(fields(p.check().unwrap_err()), vec![("every_days".into(), "out_of_range")]);
    }

    #[test]
    fn a_pause_needs_a_reason_and_a_later_day() {
        let today = NaiveDate::from_ymd_opt(2026, 7, 14).unwrap();
        let p = PauseInput { until: Some("2026-07-14".into()), reason: " ".into() };
        assert_eq!(fields(p.check(today).unwrap_err()), vec![("until".into(), "not_after_today"), ("reason".into(), "required")]);
    }

    #[test]
    fn only_being_there_counts_as_hours() {
        assert!(counts_as_hours("in_person") && counts_as_hours("accompany"));
        assert!(!counts_as_hours("phone") && !counts_as_hours("video"));
    }
}
