//! What a coordinator fills in for a campaign, its goals and a hand-made
//! slot, and the rules each must satisfy before it is stored (that a
//! district exists is the service's).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::activities::THEMES;
use crate::schema;
use crate::validation::Invalid;

pub const NAME_MAX: usize = 100;
/// A campaign is a year; two leave room for a school year or a late start
/// and bound the rotation generator's work.
pub const LENGTH_MAX_DAYS: i64 = 731;
pub const GOALS_MAX: usize = 200;
pub const TARGET_MAX: f64 = 10_000_000.0;
pub const WARN_DAYS_MAX: i64 = 60;
/// The goal measures: activities held, volunteer-hours credited, people served.
pub const METRICS: [&str; 3] = ["activities", "hours", "people_served"];

crate::field_schemas! {
    name_schema = schema::text(NAME_MAX);
    themes_schema = utoipa::openapi::schema::ArrayBuilder::new().items(schema::one_of(&THEMES)).min_items(Some(1)).max_items(Some(THEMES.len())).unique_items(true);
    metric_schema = schema::one_of(&METRICS);
    goal_theme_schema = schema::optional_one_of(&THEMES);
    slot_theme_schema = schema::one_of(&THEMES);
    target_schema = schema::number_range(0.0, TARGET_MAX);
    warn_schema = schema::optional_int_range(0, WARN_DAYS_MAX);
    goals_schema = utoipa::openapi::schema::ArrayBuilder::new().items(utoipa::openapi::Ref::from_schema_name("GoalInput")).max_items(Some(GOALS_MAX));
}

/// One goal: a measure, over the whole campaign or one theme or one district.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct GoalInput {
    /// `activities`, `hours` (volunteer-hours) or `people_served`.
    #[schema(schema_with = metric_schema)]
    pub metric: String,
    /// Only this theme's activities (one of the campaign's themes).
    #[serde(default)]
    #[schema(schema_with = goal_theme_schema)]
    pub theme: Option<String>,
    /// Only this district's activities.
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub district_id: Option<i64>,
    #[schema(schema_with = target_schema)]
    pub target: f64,
}

/// A campaign as created or edited (API.md "Campaigns, projects and 双进双报到").
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct CampaignInput {
    #[schema(schema_with = name_schema)]
    pub name: String,
    /// YYYY-MM-DD, the first day.
    #[schema(schema_with = schema::date)]
    pub starts_on: String,
    /// YYYY-MM-DD, the last day (inclusive), at most two years after the first.
    #[schema(schema_with = schema::date)]
    pub ends_on: String,
    /// Theme codes: `health` 健康, `green` 绿色, `happiness` 幸福, `harmony` 和谐, `integrity` 清廉.
    #[schema(schema_with = themes_schema)]
    pub themes: Vec<String>,
    #[serde(default)]
    #[schema(schema_with = goals_schema)]
    pub goals: Vec<GoalInput>,
    /// Two districts may not host the same theme in overlapping slots (shown as a clash).
    #[serde(default)]
    pub exclusive_themes: bool,
    /// A district may host slots that overlap (refused otherwise).
    #[serde(default)]
    pub allow_overlap: bool,
    /// Liaisons and coordinators are warned this many days before a slot starts (default 7).
    #[serde(default)]
    #[schema(schema_with = warn_schema)]
    pub warn_days: Option<i64>,
}

/// A campaign that passed every rule needing no database.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedCampaign {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// In `THEMES` order, whatever order they came in.
    pub themes: Vec<&'static str>,
    pub warn_days: i64,
}

pub const WARN_DAYS_DEFAULT: i64 = 7;

/// Reads a YYYY-MM-DD day.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// `from`..=`to` as a pair, with 422 codes for a bad day or an end before the start.
pub fn check_span(e: &mut Invalid, from: &str, to: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (s, t) = (parse_date(from), parse_date(to));
    if s.is_none() {
        e.push("starts_on", "date_format");
    }
    match (s, t) {
        (_, None) => {
            e.push("ends_on", "date_format");
            None
        }
        (Some(s), Some(t)) if t < s => {
            e.push("ends_on", "before_start");
            None
        }
        (Some(s), Some(t)) => Some((s, t)),
        _ => None,
    }
}

impl CampaignInput {
    pub fn check(&self) -> Result<CheckedCampaign, Invalid> {
        let mut e = Invalid::default();
        e.text("name", &self.name, NAME_MAX);
        let span = check_span(&mut e, &self.starts_on, &self.ends_on);
        if span.is_some_and(|(s, t)| (t - s).num_days() >= LENGTH_MAX_DAYS) {
            e.push("ends_on", "too_long");
        }
        let themes: Vec<&'static str> = THEMES.iter().copied().filter(|t| self.themes.iter().any(|x| x == t)).collect();
        if self.themes.is_empty() {
            e.push("themes", "required");
        } else if themes.len() != self.themes.len() {
            // An unknown code, or one given twice.
            e.push("themes", "unknown_theme");
        }
        if !(0..=WARN_DAYS_MAX).contains(&self.warn_days.unwrap_or(WARN_DAYS_DEFAULT)) {
            e.push("warn_days", "out_of_range");
        }
        self.check_goals(&mut e, &themes);
        e.into_result()?;
        let (starts_on, ends_on) = span.ok_or_else(|| Invalid::one("ends_on", "date_format"))?;
        Ok(CheckedCampaign { starts_on, ends_on, themes, warn_days: self.warn_days.unwrap_or(WARN_DAYS_DEFAULT) })
    }

    fn check_goals(&self, e: &mut Invalid, themes: &[&str]) {
        if self.goals.len() > GOALS_MAX {
            return e.push("goals", "too_many");
        }
        for (i, g) in self.goals.iter().enumerate() {
            let theme = g.theme.as_deref().filter(|t| !t.is_empty());
            let bad = if !METRICS.contains(&g.metric.as_str()) {
                Some("unknown_metric")
            } else if theme.is_some_and(|t| !themes.contains(&t)) {
                Some("unknown_theme")
            } else if !(0.0..=TARGET_MAX).contains(&g.target) {
                Some("out_of_range")
            } else if self.goals[..i]
                .iter()
                .any(|o| o.metric == g.metric && o.theme.as_deref().filter(|t| !t.is_empty()) == theme && o.district_id == g.district_id)
            {
                Some("duplicate")
            } else {
                None
            };
            if let Some(code) = bad {
                return e.push("goals", code);
            }
        }
    }
}

/// A slot a coordinator places by hand: a district hosts a theme from one day to another.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct SlotInput {
    #[schema(schema_with = schema::id)]
    pub district_id: i64,
    /// One of the campaign's themes.
    #[schema(schema_with = slot_theme_schema)]
    pub theme: String,
    /// YYYY-MM-DD, within the campaign.
    #[schema(schema_with = schema::date)]
    pub starts_on: String,
    /// YYYY-MM-DD, inclusive, within the campaign.
    #[schema(schema_with = schema::date)]
    pub ends_on: String,
}

/// A slot's span and theme once its rules passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckedSlot {
    pub theme: &'static str,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl SlotInput {
    /// Checks the slot against its campaign's themes and days.
    pub fn check(&self, campaign: &CheckedCampaign) -> Result<CheckedSlot, Invalid> {
        let mut e = Invalid::default();
        let theme = campaign.themes.iter().copied().find(|t| *t == self.theme);
        if theme.is_none() {
            e.push("theme", "unknown_theme");
        }
        let span = check_span(&mut e, &self.starts_on, &self.ends_on);
        if let Some((s, t)) = span {
            if s < campaign.starts_on || s > campaign.ends_on {
                e.push("starts_on", "outside_campaign");
            } else if t > campaign.ends_on {
                e.push("ends_on", "outside_campaign");
            }
        }
        e.into_result()?;
        match (theme, span) {
            (Some(theme), Some((starts_on, ends_on))) => Ok(CheckedSlot { theme, starts_on, ends_on }),
            _ => Err(Invalid::one("starts_on", "date_format")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year() -> CampaignInput {
        CampaignInput {
            name: "情暖西城 携手同行".into(),
            starts_on: "2026-01-01".into(),
            ends_on: "2026-12-31".into(),
            themes: THEMES.iter().map(|t| t.to_string()).collect(),
            ..Default::default()
        }
    }

    fn slot(theme: &str, from: &str, to: &str) -> SlotInput {
        SlotInput { district_id: 1, theme: theme.into(), starts_on: from.into(), ends_on: to.into() }
    }

    fn field(r: Result<impl std::fmt::Debug, Invalid>) -> (String, &'static str) {
        let e = r.unwrap_err();
        (e.0[0].field.clone(), e.0[0].code)
    }

    #[test]
    fn a_year_with_five_themes_passes() {
        let c = year().check().unwrap();
        assert_eq!(c.themes, THEMES.to_vec());
        assert_eq!(c.warn_days, WARN_DAYS_DEFAULT);
    }

    #[test]
    fn bad_campaigns_name_their_field() {
        assert_eq!(field(CampaignInput { ends_on: "2025-12-31".into(), ..year() }.check()), ("ends_on".into(), "before_start"));
        assert_eq!(field(CampaignInput { themes: vec!["sports".into()], ..year() }.check()), ("themes".into(), "unknown_theme"));
        assert_eq!(field(CampaignInput { themes: vec![], ..year() }.check()), ("themes".into(), "required"));
        assert_eq!(field(CampaignInput { ends_on: "2030-01-01".into(), ..year() }.check()), ("ends_on".into(), "too_long"));
        let goal = |m: &str, t: Option<&str>| GoalInput { metric: m.into(), theme: t.map(Into::into), district_id: None, target: 10.0 };
        let dup = CampaignInput { goals: vec![goal("hours", None), goal("hours", None)], ..year() };
        assert_eq!(field(dup.check()), ("goals".into(), "duplicate"));
        let narrow = CampaignInput { themes: vec!["health".into()], goals: vec![goal("hours", Some("green"))], ..year() };
        assert_eq!(field(narrow.check()), ("goals".into(), "unknown_theme"));
    }

    #[test]
    fn a_slot_lies_within_its_campaign_and_themes() {
        let c = CampaignInput { themes: vec!["health".into(), "green".into()], ..year() }.check().unwrap();
        assert!(slot("green", "2026-03-01", "2026-04-30").check(&c).is_ok());
        assert_eq!(field(slot("integrity", "2026-03-01", "2026-04-30").check(&c)), ("theme".into(), "unknown_theme"));
        assert_eq!(field(slot("green", "2025-12-01", "2026-01-31").check(&c)), ("starts_on".into(), "outside_campaign"));
        assert_eq!(field(slot("green", "2026-12-01", "2027-01-31").check(&c)), ("ends_on".into(), "outside_campaign"));
        assert_eq!(field(slot("green", "2026-04-30", "2026-03-01").check(&c)), ("ends_on".into(), "before_start"));
        assert_eq!(field(slot("green", "2026-02-30", "2026-03-01").check(&c)), ("starts_on".into(), "date_format"));
    }
}
