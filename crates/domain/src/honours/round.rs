//! What the center fills in to open a round, the rules it must satisfy, and
//! the stages a round moves through (nominating → review → notice → published).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::campaigns::campaign::parse_date;
use crate::schema;
use crate::validation::Invalid;

pub const TITLE_MAX: usize = 100;
pub const CITATION_MAX: usize = 1000;
pub const NOTE_MAX: usize = 500;
pub const REASON_MAX: usize = 1000;
pub const NAME_MAX: usize = 50;
/// 公示 lasts at least this long (PRODUCT.md C8).
pub const NOTICE_DAYS_MIN: i64 = 7;
pub const NOTICE_DAYS_MAX: i64 = 60;
pub const MIN_HOURS_MAX: f64 = 100_000.0;
pub const MIN_ACTIVITIES_MAX: i64 = 10_000;
pub const QUOTA_MAX: i64 = 1_000;
/// Units or districts a round may set a quota of their own for.
pub const GROUP_QUOTAS_MAX: usize = 1_000;
pub const PERIOD_MAX_DAYS: i64 = 731;
pub const KINDS: [&str; 2] = ["volunteer", "team"];
/// The measures a criterion may weigh: one per figure the record holds.
pub const METRICS: [&str; 9] = [
    "hours",
    "activities",
    "needs_served",
    "need_rating",
    "emergency_answered",
    "emergency_attended",
    "care_visits",
    "childcare_shifts",
    "training_given",
];

crate::field_schemas! {
    title_schema = schema::text(TITLE_MAX);
    kind_schema = schema::one_of(&KINDS);
    metric_schema = schema::one_of(&METRICS);
    weight_schema = schema::int_range(0, 100);
    min_hours_schema = schema::optional_number_range(0.0, MIN_HOURS_MAX);
    min_activities_schema = schema::optional_int_range(0, MIN_ACTIVITIES_MAX);
    quota_schema = schema::optional_int_range(1, QUOTA_MAX);
    group_quota_schema = schema::int_range(0, QUOTA_MAX);
    quotas_schema = utoipa::openapi::schema::ArrayBuilder::new().items(utoipa::openapi::Ref::from_schema_name("GroupQuota")).max_items(Some(GROUP_QUOTAS_MAX));
    notice_schema = schema::int_range(NOTICE_DAYS_MIN, NOTICE_DAYS_MAX);
    criteria_schema = utoipa::openapi::schema::ArrayBuilder::new().items(utoipa::openapi::Ref::from_schema_name("CriterionInput")).min_items(Some(1)).max_items(Some(METRICS.len()));
}

/// One scoring criterion: a measure of the record and its weight in percent.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct CriterionInput {
    #[schema(schema_with = metric_schema)]
    pub metric: String,
    #[schema(schema_with = weight_schema)]
    pub weight: i64,
}

/// One unit's (a volunteer round) or district's (a team round) own quota,
/// in place of `quota_per_unit` for it; 0: none from there.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct GroupQuota {
    /// The unit's id in a volunteer round, the district's in a team round.
    pub group_id: i64,
    #[schema(schema_with = group_quota_schema)]
    pub quota: i64,
}

/// A round as opened (API.md "Recognition — 评选表彰").
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct RoundInput {
    #[schema(schema_with = title_schema)]
    pub title: String,
    /// `volunteer` or `team`.
    #[schema(schema_with = kind_schema)]
    pub kind: String,
    /// YYYY-MM-DD, the first day of service counted.
    #[schema(schema_with = schema::date)]
    pub period_from: String,
    /// YYYY-MM-DD, the last day counted (inclusive).
    #[schema(schema_with = schema::date)]
    pub period_to: String,
    /// Confirmed hours in the period below which a candidate is not eligible.
    #[serde(default)]
    #[schema(schema_with = min_hours_schema)]
    pub min_hours: Option<f64>,
    /// Activities attended in the period below which a candidate is not eligible.
    #[serde(default)]
    #[schema(schema_with = min_activities_schema)]
    pub min_activities: Option<i64>,
    /// Weights are whole percents adding up to 100, each measure once.
    #[schema(schema_with = criteria_schema)]
    pub criteria: Vec<CriterionInput>,
    /// Nominations allowed per unit (volunteers) or per district (teams); none: no limit.
    #[serde(default)]
    #[schema(schema_with = quota_schema)]
    pub quota_per_unit: Option<i64>,
    /// Units (or districts) with a quota of their own, each once.
    #[serde(default)]
    #[schema(schema_with = quotas_schema)]
    pub quotas: Vec<GroupQuota>,
    /// YYYY-MM-DD, the last day nominations are taken; not before the period starts.
    #[schema(schema_with = schema::date)]
    pub nominate_until: String,
    /// Length of the public notice (公示), at least 7 days.
    #[schema(schema_with = notice_schema)]
    pub notice_days: i64,
}

/// A round that passed every rule needing no database.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedRound {
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub nominate_until: NaiveDate,
    pub min_hours: f64,
    pub min_activities: i64,
}

impl RoundInput {
    pub fn check(&self) -> Result<CheckedRound, Invalid> {
        let mut e = Invalid::default();
        e.text("title", &self.title, TITLE_MAX);
        if !KINDS.contains(&self.kind.as_str()) {
            e.push("kind", "unknown_kind");
        }
        let (from, to, until) = (parse_date(&self.period_from), parse_date(&self.period_to), parse_date(&self.nominate_until));
        for (field, day) in [("period_from", from), ("period_to", to), ("nominate_until", until)] {
            if day.is_none() {
                e.push(field, "date_format");
            }
        }
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                e.push("period_to", "before_start");
            } else if (t - f).num_days() >= PERIOD_MAX_DAYS {
                e.push("period_to", "too_long");
            }
        }
        if let (Some(f), Some(u)) = (from, until) {
            if u < f {
                e.push("nominate_until", "before_start");
            }
        }
        let min_hours = self.min_hours.unwrap_or(0.0);
        if !(0.0..=MIN_HOURS_MAX).contains(&min_hours) {
            e.push("min_hours", "out_of_range");
        }
        let min_activities = self.min_activities.unwrap_or(0);
        if !(0..=MIN_ACTIVITIES_MAX).contains(&min_activities) {
            e.push("min_activities", "out_of_range");
        }
        if self.quota_per_unit.is_some_and(|q| !(1..=QUOTA_MAX).contains(&q)) {
            e.push("quota_per_unit", "out_of_range");
        }
        if let Some(code) = quotas_fault(&self.quotas) {
            e.push("quotas", code);
        }
        if self.notice_days < NOTICE_DAYS_MIN {
            e.push("notice_days", "notice_too_short");
        } else if self.notice_days > NOTICE_DAYS_MAX {
            e.push("notice_days", "out_of_range");
        }
        if let Some(code) = criteria_fault(&self.criteria) {
            e.push("criteria", code);
        }
        e.into_result()?;
        let day = |d: Option<NaiveDate>, f: &str| d.ok_or_else(|| Invalid::one(f, "date_format"));
        Ok(CheckedRound {
            period_from: day(from, "period_from")?,
            period_to: day(to, "period_to")?,
            nominate_until: day(until, "nominate_until")?,
            min_hours,
            min_activities,
        })
    }
}

/// Why a round's own quotas per unit or district cannot stand, if they cannot
/// (whether each unit or district exists is the service's to ask).
pub fn quotas_fault(quotas: &[GroupQuota]) -> Option<&'static str> {
    if quotas.len() > GROUP_QUOTAS_MAX {
        return Some("too_many");
    }
    for (i, q) in quotas.iter().enumerate() {
        if !(0..=QUOTA_MAX).contains(&q.quota) {
            return Some("out_of_range");
        }
        if quotas[..i].iter().any(|o| o.group_id == q.group_id) {
            return Some("duplicate");
        }
    }
    None
}

/// The quota of one unit or district: its own, else the round's for every one.
pub fn quota_of(quotas: &[GroupQuota], per_unit: Option<i64>, group: i64) -> Option<i64> {
    quotas.iter().find(|q| q.group_id == group).map(|q| q.quota).or(per_unit)
}

/// Why a list of criteria cannot score a round, if it cannot.
pub fn criteria_fault(criteria: &[CriterionInput]) -> Option<&'static str> {
    if criteria.is_empty() {
        return Some("required");
    }
    for (i, c) in criteria.iter().enumerate() {
        if !METRICS.contains(&c.metric.as_str()) {
            return Some("unknown_metric");
        }
        if !(0..=100).contains(&c.weight) {
            return Some("weight_out_of_range");
        }
        if criteria[..i].iter().any(|o| o.metric == c.metric) {
            return Some("duplicate");
        }
    }
    (criteria.iter().map(|c| c.weight).sum::<i64>() != 100).then_some("weights_not_100")
}

/// Where a round is; each stage opens only from the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Nominating,
    Review,
    Notice,
    Published,
}

impl Stage {
    pub const ALL: [Stage; 4] = [Stage::Nominating, Stage::Review, Stage::Notice, Stage::Published];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Nominating => "nominating",
            Stage::Review => "review",
            Stage::Notice => "notice",
            Stage::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The stage after this one, if any.
    pub fn next(self) -> Option<Stage> {
        match self {
            Stage::Nominating => Some(Stage::Review),
            Stage::Review => Some(Stage::Notice),
            Stage::Notice => Some(Stage::Published),
            Stage::Published => None,
        }
    }
}

/// Why a round on notice since `notice_until` cannot be published at `now`
/// with `open` objections unresolved, if it cannot (a 409 code).
pub fn publish_blocker(stage: Stage, notice_until: Option<i64>, open: i64, now: i64) -> Option<&'static str> {
    match (stage, notice_until) {
        (Stage::Notice, Some(until)) if now < until => Some("notice_not_over"),
        (Stage::Notice, Some(_)) if open > 0 => Some("objections_open"),
        (Stage::Notice, Some(_)) => None,
        _ => Some("wrong_stage"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> RoundInput {
        RoundInput {
            title: "2026 年度优秀志愿者".into(),
            kind: "volunteer".into(),
            period_from: "2026-01-01".into(),
            period_to: "2026-12-31".into(),
            min_hours: Some(20.0),
            min_activities: None,
            criteria: vec![
                CriterionInput { metric: "hours".into(), weight: 60 },
                CriterionInput { metric: "emergency_attended".into(), weight: 40 },
            ],
            quota_per_unit: Some(2),
            quotas: Vec::new(),
            nominate_until: "2026-11-30".into(),
            notice_days: 7,
        }
    }

    fn fault(f: impl Fn(&mut RoundInput)) -> (String, &'static str) {
        let mut i = input();
        f(&mut i);
        let e = i.check().unwrap_err();
        (e.0[0].field.clone(), e.0[0].code)
    }

    #[test]
    fn a_well_formed_round_passes() {
        let c = input().check().unwrap();
        assert_eq!(c.min_hours, 20.0);
        assert_eq!(c.period_to.to_string(), "2026-12-31");
    }

    #[test]
    fn bad_rounds_name_the_field_at_fault() {
        assert_eq!(fault(|i| i.criteria[0].weight = 50), ("criteria".into(), "weights_not_100"));
        assert_eq!(fault(|i| i.criteria[0].weight = -10), ("criteria".into(), "weight_out_of_range"));
        assert_eq!(fault(|i| i.criteria[1].metric = "hours".into()), ("criteria".into(), "duplicate"));
        assert_eq!(fault(|i| i.criteria[1].metric = "likes".into()), ("criteria".into(), "unknown_metric"));
        assert_eq!(fault(|i| i.notice_days = 6), ("notice_days".into(), "notice_too_short"));
        assert_eq!(fault(|i| i.period_to = "2025-12-31".into()), ("period_to".into(), "before_start"));
        assert_eq!(fault(|i| i.nominate_until = "2025-06-30".into()), ("nominate_until".into(), "before_start"));
        assert_eq!(fault(|i| i.kind = "unit".into()), ("kind".into(), "unknown_kind"));
        assert_eq!(fault(|i| i.quota_per_unit = Some(0)), ("quota_per_unit".into(), "out_of_range"));
    }

    #[test]
    fn stages_run_in_one_order() {
        assert_eq!(Stage::Nominating.next(), Some(Stage::Review));
        assert_eq!(Stage::Review.next(), Some(Stage::Notice));
        assert_eq!(Stage::Notice.next(), Some(Stage::Published));
        assert_eq!(Stage::Published.next(), None);
        assert!(Stage::ALL.iter().all(|s| Stage::parse(s.as_str()) == Some(*s)));
    }

    #[test]
    fn publishing_waits_for_the_whole_notice_and_every_objection() {
        let until = 1_000;
        assert_eq!(publish_blocker(Stage::Notice, Some(until), 0, until - 1), Some("notice_not_over"));
        assert_eq!(publish_blocker(Stage::Notice, Some(until), 1, until), Some("objections_open"));
        assert_eq!(publish_blocker(Stage::Notice, Some(until), 0, until), None);
        assert_eq!(publish_blocker(Stage::Review, None, 0, until), Some("wrong_stage"));
    }
}
