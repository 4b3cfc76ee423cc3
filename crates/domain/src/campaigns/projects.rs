//! The service-project catalogue (服务项目库): what a project states, the
//! rules its fields follow, what retiring one does to activities still
//! ahead, and how a plan is pre-filled from a project.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::activities::{RoleInput, CAPACITY_MAX, THEMES};
use crate::validation::Invalid;
use crate::{category, schema};

pub const NAME_MAX: usize = 60;
pub const TEXT_MAX: usize = 2000;
pub const BRING_MAX: usize = 200;
/// A project's typical length: an activity is at most a day (`activities::LENGTH_MAX_MS`).
pub const MINUTES_MAX: i64 = 24 * 60;
/// Roles a project may list; a plan form shows a few rows, the API takes them all.
pub const ROLES_MAX: usize = 10;

crate::field_schemas! {
    name_schema = schema::text(NAME_MAX);
    text_schema = schema::optional_text(TEXT_MAX);
    bring_schema = schema::optional_text(BRING_MAX);
    minutes_schema = schema::optional_int_range(1, MINUTES_MAX);
    capacity_schema = schema::optional_int_range(1, CAPACITY_MAX);
    theme_schema = schema::optional_one_of(&[&[""][..], &THEMES[..]].concat());
}

/// What the center states about a project (API.md "Campaigns, projects").
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct ProjectInput {
    /// Unique among active projects.
    #[schema(schema_with = name_schema)]
    pub name: String,
    #[schema(schema_with = schema::category)]
    pub category: String,
    /// The campaign theme an activity of this project carries unless told otherwise.
    #[serde(default)]
    #[schema(schema_with = theme_schema)]
    pub theme: Option<String>,
    #[serde(default)]
    #[schema(schema_with = text_schema)]
    pub description: Option<String>,
    /// Typical length in minutes: a plan's end is its start plus this.
    #[serde(default)]
    #[schema(schema_with = minutes_schema)]
    pub default_minutes: Option<i64>,
    #[serde(default)]
    #[schema(schema_with = capacity_schema)]
    pub default_capacity: Option<i64>,
    /// Roles with their own places, each at most `default_capacity`.
    #[serde(default)]
    #[schema(max_items = 10)]
    pub default_roles: Vec<RoleInput>,
    /// Activities of this project need accident insurance (条例 art. 17).
    #[serde(default)]
    pub risky: bool,
    /// Activities of this project keep out volunteers under 18.
    #[serde(default)]
    pub adults_only: bool,
    #[serde(default)]
    #[schema(schema_with = bring_schema)]
    pub what_to_bring: Option<String>,
    /// The member unit that owns the project.
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub unit_id: Option<i64>,
    /// The team that owns the project.
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub team_id: Option<i64>,
}

impl ProjectInput {
    /// Every rule that needs no database; the theme comes back as its code.
    pub fn check(&self) -> Result<Option<&'static str>, Invalid> {
        let mut e = Invalid::default();
        e.text("name", &self.name, NAME_MAX);
        if !category::is_known(&self.category) {
            e.push("category", "unknown_choice");
        }
        let theme = self.theme.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let known = theme.and_then(|t| THEMES.iter().copied().find(|k| *k == t));
        if theme.is_some() && known.is_none() {
            e.push("theme", "unknown_choice");
        }
        e.optional_text("description", self.description.as_deref(), TEXT_MAX);
        e.optional_text("what_to_bring", self.what_to_bring.as_deref(), BRING_MAX);
        if self.default_minutes.is_some_and(|m| !(1..=MINUTES_MAX).contains(&m)) {
            e.push("default_minutes", "out_of_range");
        }
        if self.default_capacity.is_some_and(|c| !(1..=CAPACITY_MAX).contains(&c)) {
            e.push("default_capacity", "out_of_range");
        }
        self.check_roles(&mut e);
        e.into_result().map(|_| known)
    }

    fn check_roles(&self, e: &mut Invalid) {
        if self.default_roles.len() > ROLES_MAX {
            e.push("default_roles", "too_long");
            return;
        }
        let most = self.default_capacity.unwrap_or(CAPACITY_MAX).clamp(1, CAPACITY_MAX);
        for (i, r) in self.default_roles.iter().enumerate() {
            e.text(&format!("default_roles[{i}].name"), &r.name, crate::activities::ROLE_NAME_MAX);
            if !(1..=most).contains(&r.capacity) {
                e.push(&format!("default_roles[{i}].capacity"), "out_of_range");
            }
            if self.default_roles[..i].iter().any(|o| o.name.trim() == r.name.trim()) {
                e.push(&format!("default_roles[{i}].name"), "duplicate");
            }
        }
    }
}

impl crate::registry::Validate for ProjectInput {
    fn problems(&self) -> Invalid {
        self.check().err().unwrap_or_default()
    }
}

/// A project as lists and its page show it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Project {
    pub id: i64,
    pub name: String,
    pub category: String,
    pub theme: Option<String>,
    pub description: Option<String>,
    pub default_minutes: Option<i64>,
    pub default_capacity: Option<i64>,
    pub default_roles: Vec<RoleInput>,
    pub risky: bool,
    pub adults_only: bool,
    pub what_to_bring: Option<String>,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    /// False once retired; a retired project is never offered for a new plan.
    pub active: bool,
    #[serde(serialize_with = "crate::time::opt_ms_as_rfc3339")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub retired_at: Option<i64>,
    /// Who retired it, by name.
    pub retired_by: Option<String>,
    /// Activities ever planned from it, cancelled ones aside.
    pub activities: i64,
}

/// What a project's activities did over a period (`from`..=`to`, region days).
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct ProjectStats {
    pub from: String,
    pub to: String,
    /// Activities held in the period, cancelled ones aside.
    pub activities: i64,
    /// Distinct volunteers credited with hours in the period (the ledger).
    pub volunteers: i64,
    /// Check-ins on the project's activities in the period (attendance records).
    pub attendances: i64,
    /// Hours credited in the period, corrections included (the ledger).
    pub hours: f64,
}

/// What to do with a retiring project's activities still ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FutureActivities {
    /// They go ahead as planned, still naming the retired project.
    Keep,
    /// They are cancelled; everyone signed up is told.
    Cancel,
}

/// The answer to "retire this project": go on (cancelling or keeping what
/// lies ahead), or ask first because activities lie ahead and no choice was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retirement {
    Proceed { cancel: bool },
    Ask,
}

/// With nothing ahead there is nothing to ask; otherwise the choice decides.
pub fn retirement(future_activities: usize, choice: Option<FutureActivities>) -> Retirement {
    match (future_activities, choice) {
        (0, _) => Retirement::Proceed { cancel: false },
        (_, None) => Retirement::Ask,
        (_, Some(c)) => Retirement::Proceed { cancel: c == FutureActivities::Cancel },
    }
}

/// A plan's end from its start and the project's typical length (unix ms).
pub fn planned_end(starts_at: i64, default_minutes: Option<i64>) -> Option<i64> {
    default_minutes.filter(|m| (1..=MINUTES_MAX).contains(m)).map(|m| starts_at + m * 60_000)
}

#[cfg(test)]
mod tests;
