//! Activities (活动): what a team plans, who may sign up, and how attendance
//! becomes service time. Capacity itself is enforced by the store with a
//! conditional UPDATE; the rules here decide everything that needs no lock.

use chrono::{DateTime, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::schema;
use crate::validation::Invalid;

pub const TITLE_MAX: usize = 100;
pub const TEXT_MAX: usize = 2000;
pub const ADDRESS_MAX: usize = 200;
pub const CAPACITY_MAX: i64 = 5000;
/// An activity is one session on one or two calendar days; longer work is a series.
pub const LENGTH_MAX_MS: i64 = 24 * HOUR_MS;
/// "Every Saturday morning" for up to a year.
pub const REPEAT_WEEKS_MAX: i64 = 52;
pub const HOUR_MS: i64 = 3_600_000;
const WEEK_MS: i64 = 7 * 24 * HOUR_MS;

/// The five themes of the yearly campaign (健康, 绿色, 幸福, 和谐, 清廉).
pub const THEMES: [&str; 5] = ["health", "green", "happiness", "harmony", "integrity"];

/// A role's name.
pub const ROLE_NAME_MAX: usize = 40;

crate::field_schemas! {
    title_schema = schema::text(TITLE_MAX);
    text_schema = schema::optional_text(TEXT_MAX);
    address_schema = schema::optional_text(ADDRESS_MAX);
    role_name_schema = schema::text(ROLE_NAME_MAX);
    capacity_schema = schema::int_range(1, CAPACITY_MAX);
    repeat_schema = schema::int_range(0, REPEAT_WEEKS_MAX);
    theme_schema = schema::optional_one_of(&[&[""][..], &THEMES[..]].concat());
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct RoleInput {
    #[schema(schema_with = role_name_schema)]
    pub name: String,
    /// At most the activity's capacity.
    #[schema(schema_with = capacity_schema)]
    pub capacity: i64,
}

/// What a leader fills in to plan an activity (API.md "Activities and hours").
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct ActivityInput {
    #[schema(schema_with = title_schema)]
    pub title: String,
    #[schema(schema_with = schema::id)]
    pub team_id: i64,
    #[schema(schema_with = schema::id)]
    pub community_id: i64,
    /// RFC 3339, e.g. "2026-12-05T09:00:00+08:00".
    #[schema(schema_with = schema::time)]
    pub starts_at: String,
    /// After `starts_at`, at most a day later.
    #[schema(schema_with = schema::time)]
    pub ends_at: String,
    #[schema(schema_with = capacity_schema)]
    pub capacity: i64,
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub project_id: Option<i64>,
    /// One of `health`, `green`, `happiness`, `harmony`, `integrity`.
    #[serde(default)]
    #[schema(schema_with = theme_schema)]
    pub theme: Option<String>,
    #[serde(default)]
    #[schema(schema_with = address_schema)]
    pub address: Option<String>,
    #[serde(default)]
    #[schema(schema_with = text_schema)]
    pub description: Option<String>,
    /// Roles with their own places (e.g. 引导员 ×4); each counts against `capacity` too.
    #[serde(default)]
    pub roles: Vec<RoleInput>,
    /// Needs accident insurance recorded before anyone is confirmed (条例 art. 17).
    #[serde(default)]
    pub risky: bool,
    /// The insurance policy, when already bought.
    #[serde(default)]
    #[schema(schema_with = address_schema)]
    pub insurance: Option<String>,
    /// Volunteers under 18 are refused.
    #[serde(default)]
    pub adults_only: bool,
    /// People who did not sign up may check in on the day.
    #[serde(default)]
    pub walk_ups: bool,
    /// Also plan the same activity this many more weeks (0 = once).
    #[serde(default)]
    #[schema(schema_with = repeat_schema)]
    pub repeat_weeks: i64,
}

/// A plan that passed every rule that needs no database: its sessions
/// (the first and each weekly repeat) in unix milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedActivity {
    pub sessions: Vec<(i64, i64)>,
    pub theme: Option<&'static str>,
}

/// Parses an RFC 3339 time into unix milliseconds.
pub fn parse_time(s: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(s.trim()).ok().map(|t| t.timestamp_millis())
}

impl ActivityInput {
    pub fn check(&self) -> Result<CheckedActivity, Invalid> {
        let mut e = Invalid::default();
        e.text("title", &self.title, TITLE_MAX);
        e.optional_text("address", self.address.as_deref(), ADDRESS_MAX);
        e.optional_text("description", self.description.as_deref(), TEXT_MAX);
        e.optional_text("insurance", self.insurance.as_deref(), ADDRESS_MAX);
        let starts = parse_time(&self.starts_at);
        let ends = parse_time(&self.ends_at);
        if starts.is_none() {
            e.push("starts_at", "time_format");
        }
        match (starts, ends) {
            (_, None) => e.push("ends_at", "time_format"),
            (Some(s), Some(t)) if t <= s => e.push("ends_at", "before_start"),
            (Some(s), Some(t)) if t - s > LENGTH_MAX_MS => e.push("ends_at", "too_long"),
            _ => {}
        }
        if !(1..=CAPACITY_MAX).contains(&self.capacity) {
            e.push("capacity", "out_of_range");
        }
        let theme = self.theme.as_deref().filter(|t| !t.is_empty());
        let known_theme = theme.and_then(|t| THEMES.iter().copied().find(|k| *k == t));
        if theme.is_some() && known_theme.is_none() {
            e.push("theme", "unknown_choice");
        }
        self.check_roles(&mut e);
        if !(0..=REPEAT_WEEKS_MAX).contains(&self.repeat_weeks) {
            e.push("repeat_weeks", "out_of_range");
        }
        e.into_result()?;
        let (s, t) = (starts.unwrap_or_default(), ends.unwrap_or_default());
        let sessions = (0..=self.repeat_weeks).map(|w| (s + w * WEEK_MS, t + w * WEEK_MS)).collect();
        Ok(CheckedActivity { sessions, theme: known_theme })
    }

    fn check_roles(&self, e: &mut Invalid) {
        for (i, r) in self.roles.iter().enumerate() {
            e.text(&format!("roles[{i}].name"), &r.name, ROLE_NAME_MAX);
            if !(1..=self.capacity.max(1)).contains(&r.capacity) {
                e.push(&format!("roles[{i}].capacity"), "out_of_range");
            }
            if self.roles[..i].iter().any(|o| o.name.trim() == r.name.trim()) {
                e.push(&format!("roles[{i}].name"), "duplicate");
            }
        }
    }
}

/// An activity as lists and pages show it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Activity {
    pub id: i64,
    pub title: String,
    pub team_id: i64,
    pub team_name: String,
    pub community_id: i64,
    pub community_name: String,
    pub district_id: i64,
    pub project_id: Option<i64>,
    pub project_name: Option<String>,
    pub series_id: Option<i64>,
    pub theme: Option<String>,
    pub address: Option<String>,
    pub description: Option<String>,
    #[serde(serialize_with = "crate::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: i64,
    #[serde(serialize_with = "crate::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: i64,
    pub capacity: i64,
    pub confirmed: i64,
    pub waitlisted: i64,
    pub risky: bool,
    pub insurance: Option<String>,
    pub adults_only: bool,
    pub walk_ups: bool,
    pub cancelled: bool,
    pub hours_confirmed: bool,
    /// The emergency call this activity carries (its roll call): people
    /// join it by answering the call, not by signing up.
    pub dispatch_id: Option<i64>,
    pub roles: Vec<Role>,
}

impl Activity {
    pub fn facts(&self) -> Facts {
        Facts {
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            cancelled: self.cancelled,
            risky: self.risky,
            insured: self.insurance.as_deref().is_some_and(|i| !i.trim().is_empty()),
            adults_only: self.adults_only,
        }
    }
}

/// A role of an activity with places of its own (named apart from the account roles).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = ActivityRole)]
pub struct Role {
    pub id: i64,
    pub name: String,
    pub capacity: i64,
    pub confirmed: i64,
}

/// One person on an activity's roster: sign-up and attendance together.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RosterLine {
    pub volunteer_id: i64,
    pub name: String,
    /// None for a walk-up who never signed up.
    pub signup: Option<SignupStatus>,
    pub role: Option<String>,
    #[serde(serialize_with = "crate::time::opt_ms_as_rfc3339")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub checked_in_at: Option<i64>,
    #[serde(serialize_with = "crate::time::opt_ms_as_rfc3339")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub checked_out_at: Option<i64>,
    pub walk_up: bool,
    /// Closed by rule at the activity's end: the leader should check it.
    pub auto_closed: bool,
}

/// Where a sign-up stands. `cancelled` rows stay so the history is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignupStatus {
    Confirmed,
    Waitlisted,
    Cancelled,
}

impl SignupStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SignupStatus::Confirmed => "confirmed",
            SignupStatus::Waitlisted => "waitlisted",
            SignupStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<SignupStatus> {
        [SignupStatus::Confirmed, SignupStatus::Waitlisted, SignupStatus::Cancelled].into_iter().find(|x| x.as_str() == s)
    }
}

/// What the sign-up rules need to know about an activity.
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    pub starts_at: i64,
    pub ends_at: i64,
    pub cancelled: bool,
    pub risky: bool,
    pub insured: bool,
    pub adults_only: bool,
}

/// Why a volunteer cannot sign up; each is an API error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    ActivityCancelled,
    ActivityEnded,
    InsuranceRequired,
    AdultsOnly,
    TimeConflict,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::ActivityCancelled => "activity_cancelled",
            Refusal::ActivityEnded => "activity_ended",
            Refusal::InsuranceRequired => "insurance_required",
            Refusal::AdultsOnly => "adults_only",
            Refusal::TimeConflict => "time_conflict",
        }
    }
}

/// Half-open intervals overlap when each starts before the other ends, so
/// back-to-back sessions (9–11, 11–12) do not conflict.
pub fn overlaps(a: (i64, i64), b: (i64, i64)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Decides whether a volunteer may sign up. `birth` is unknown for some
/// imported volunteers: an adults-only activity then refuses them too, since
/// the leader cannot tell.
pub fn may_sign_up(a: &Facts, now: i64, birth: Option<NaiveDate>, other_sessions: &[(i64, i64)]) -> Result<(), Refusal> {
    if a.cancelled {
        return Err(Refusal::ActivityCancelled);
    }
    if now >= a.ends_at {
        return Err(Refusal::ActivityEnded);
    }
    if a.risky && !a.insured {
        return Err(Refusal::InsuranceRequired);
    }
    if a.adults_only {
        let day = crate::time::region_date(a.starts_at);
        if birth.is_none_or(|b| crate::id_number::age_on(b, day) < 18) {
            return Err(Refusal::AdultsOnly);
        }
    }
    if other_sessions.iter().any(|s| overlaps(*s, (a.starts_at, a.ends_at))) {
        return Err(Refusal::TimeConflict);
    }
    Ok(())
}

/// Service time from check-in to check-out, counted only inside the
/// activity's window: arriving early or lingering is not service.
pub fn served_ms(checked_in: i64, checked_out: i64, starts_at: i64, ends_at: i64) -> i64 {
    (checked_out.min(ends_at) - checked_in.max(starts_at)).max(0)
}

/// A check-in left open is closed at the activity's end (and flagged), never
/// credited for days.
pub fn closing_time(checked_in: i64, ends_at: i64) -> i64 {
    ends_at.max(checked_in)
}

/// A private token for a QR check-in link or a calendar feed: 16 random bytes as hex.
pub fn token(random: [u8; 16]) -> String {
    random.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn plan() -> ActivityInput {
        ActivityInput {
            title: "敬老院义剪".into(),
            team_id: 1,
            community_id: 1,
            starts_at: "2026-12-05T09:00:00+08:00".into(),
            ends_at: "2026-12-05T11:30:00+08:00".into(),
            capacity: 10,
            ..Default::default()
        }
    }

    #[test]
    fn a_weekly_plan_repeats_the_same_hours() {
        let c = ActivityInput { repeat_weeks: 3, ..plan() }.check().unwrap();
        assert_eq!(c.sessions.len(), 4);
        assert!(c.sessions.windows(2).all(|w| w[1].0 - w[0].0 == WEEK_MS && w[1].1 - w[1].0 == w[0].1 - w[0].0));
    }

    #[rstest]
    #[case::ends_before_start(ActivityInput { ends_at: "2026-12-05T08:00:00+08:00".into(), ..plan() }, "ends_at", "before_start")]
    #[case::zero_capacity(ActivityInput { capacity: 0, ..plan() }, "capacity", "out_of_range")]
    #[case::negative_capacity(ActivityInput { capacity: -5, ..plan() }, "capacity", "out_of_range")]
    #[case::bad_time(ActivityInput { starts_at: "tomorrow".into(), ..plan() }, "starts_at", "time_format")]
    #[case::two_days(ActivityInput { ends_at: "2026-12-07T09:00:00+08:00".into(), ..plan() }, "ends_at", "too_long")]
    #[case::theme(ActivityInput { theme: Some("fun".into()), ..plan() }, "theme", "unknown_choice")]
    #[case::role_too_big(ActivityInput { roles: vec![RoleInput { name: "引导员".into(), capacity: 11 }], ..plan() }, "roles[0].capacity", "out_of_range")]
    fn bad_plans_name_the_field(#[case] input: ActivityInput, #[case] field: &str, #[case] code: &str) {
        let e = input.check().unwrap_err();
        assert!(e.0.iter().any(|x| x.field == field && x.code == code), "{e:?}");
    }

    fn facts() -> Facts {
        let c = plan().check().unwrap();
        Facts { starts_at: c.sessions[0].0, ends_at: c.sessions[0].1, cancelled: false, risky: false, insured: false, adults_only: false }
    }

    #[test]
    fn risky_activities_wait_for_insurance() {
        let a = Facts { risky: true, ..facts() };
        assert_eq!(may_sign_up(&a, 0, None, &[]), Err(Refusal::InsuranceRequired));
        assert_eq!(may_sign_up(&Facts { insured: true, ..a }, 0, None, &[]), Ok(()));
    }

    #[test]
    fn adults_only_counts_age_on_the_day() {
        let a = Facts { adults_only: true, ..facts() };
        let seventeen = NaiveDate::from_ymd_opt(2008, 12, 6);
        let eighteen = NaiveDate::from_ymd_opt(2008, 12, 5);
        assert_eq!(may_sign_up(&a, 0, seventeen, &[]), Err(Refusal::AdultsOnly));
        assert_eq!(may_sign_up(&a, 0, eighteen, &[]), Ok(()));
        assert_eq!(may_sign_up(&a, 0, None, &[]), Err(Refusal::AdultsOnly));
    }

    #[test]
    fn overlapping_sessions_conflict_but_back_to_back_ones_do_not() {
        let a = facts();
        let before = (a.starts_at - 2 * HOUR_MS, a.starts_at);
        let inside = (a.starts_at + HOUR_MS, a.starts_at + 2 * HOUR_MS);
        assert_eq!(may_sign_up(&a, 0, None, &[before]), Ok(()));
        assert_eq!(may_sign_up(&a, 0, None, &[before, inside]), Err(Refusal::TimeConflict));
        assert_eq!(may_sign_up(&a, a.ends_at, None, &[]), Err(Refusal::ActivityEnded));
    }

    #[test]
    fn only_time_inside_the_window_is_service() {
        let (s, e) = (10 * HOUR_MS, 12 * HOUR_MS);
        assert_eq!(served_ms(9 * HOUR_MS, 13 * HOUR_MS, s, e), 2 * HOUR_MS);
        assert_eq!(served_ms(11 * HOUR_MS, 13 * HOUR_MS, s, e), HOUR_MS);
        assert_eq!(served_ms(13 * HOUR_MS, 14 * HOUR_MS, s, e), 0);
        assert_eq!(closing_time(11 * HOUR_MS, e), e);
    }
}
