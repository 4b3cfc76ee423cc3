//! What a leader fills in to plan an activity, and the rules a plan must
//! satisfy before it is stored (the team's reach and the references are the
//! service's).

use chrono::DateTime;
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

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
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
}
