//! What people enter about skills, and every rule that needs no database.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ladder::{Level, LEVEL_CODES};
use crate::campaigns::campaign::parse_date;
use crate::{schema, Invalid};

mod training;
pub use training::{check_score, AttendanceInput, CheckedTraining, EnrolmentInput, LessonInput, ResultInput, TrainingInput};

pub const NAME_MAX: usize = 60;
pub const CODE_MAX: usize = 40;
pub const NUMBER_MAX: usize = 60;
pub const TEXT_MAX: usize = 2000;
pub const LESSONS_MAX: usize = 200;
pub const TEACHERS_MAX: usize = 20;
pub const CAPACITY_MAX: i64 = 2000;
/// Problem steps after a claim, in order.
pub const STEPS: [&str; 4] = ["solution", "field_test", "rolled_out", "closed"];

crate::field_schemas! {
    code_schema = schema::text(CODE_MAX);
    name_schema = schema::text(NAME_MAX);
    number_schema = schema::text(NUMBER_MAX);
    text_schema = schema::text(TEXT_MAX);
    optional_text_schema = schema::optional_text(TEXT_MAX);
    optional_name_schema = schema::optional_text(NAME_MAX);
    level_schema = schema::one_of(&LEVEL_CODES);
    optional_level_schema = schema::optional_one_of(&LEVEL_CODES);
    capacity_schema = schema::int_range(1, CAPACITY_MAX);
    score_schema = schema::int_range(0, 100);
    pass_mark_schema = schema::optional_int_range(0, 100);
    years_schema = schema::int_range(0, 20);
    hours_schema = schema::int_range(0, 2000);
    lesson_hours_schema = schema::optional_number_range(0.5, 12.0);
    step_schema = schema::one_of(&STEPS);
    teachers_schema = { let mut a = schema::ids(); a.max_items = Some(TEACHERS_MAX); a };
    people_schema = { let mut a = schema::ids(); a.min_items = Some(1); a.max_items = Some(500); a };
}

fn level(e: &mut Invalid, field: &str, code: &str) -> Option<Level> {
    let l = Level::from_code(code);
    if l.is_none() {
        e.push(field, "unknown_choice");
    }
    l
}

fn day(e: &mut Invalid, field: &str, s: &str) -> Option<NaiveDate> {
    let d = parse_date(s);
    if d.is_none() {
        e.push(field, "date_format");
    }
    d
}

/// A trade's own rule for moving up from one level.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct RuleInput {
    #[schema(schema_with = level_schema)]
    pub level: String,
    /// Whole years held at `level` before applying for the next.
    #[schema(schema_with = years_schema)]
    pub years: i64,
    /// Training hours since `level` was certified.
    #[schema(schema_with = hours_schema)]
    pub hours: i64,
}

/// A trade (工种): 采油, 注水, 集输, …
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct TradeInput {
    /// A short code, unique.
    #[schema(schema_with = code_schema)]
    pub code: String,
    #[schema(schema_with = name_schema)]
    pub name: String,
    /// Rules that differ from the national defaults.
    #[serde(default)]
    #[schema(max_items = 4)]
    pub rules: Vec<RuleInput>,
}

impl TradeInput {
    /// The rules as (level rank, years, hours).
    pub fn check(&self) -> Result<Vec<(i64, i64, i64)>, Invalid> {
        let mut e = Invalid::default();
        e.text("code", &self.code, CODE_MAX);
        e.text("name", &self.name, NAME_MAX);
        let mut rules = Vec::new();
        for r in &self.rules {
            match level(&mut e, "rules", &r.level) {
                Some(Level::SeniorTechnician) => e.push("rules", "level_not_below_top"),
                Some(l) if (0..=20).contains(&r.years) && (0..=2000).contains(&r.hours) => rules.push((l.rank(), r.years, r.hours)),
                Some(_) => e.push("rules", "out_of_range"),
                None => {}
            }
        }
        e.into_result()?;
        Ok(rules)
    }
}

/// A person's certification (职业技能等级证书).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct CertificationInput {
    /// The trade's code.
    #[schema(schema_with = code_schema)]
    pub trade: String,
    #[schema(schema_with = level_schema)]
    pub level: String,
    #[schema(schema_with = schema::date)]
    pub certified_on: String,
    /// Unique per issuer.
    #[schema(schema_with = number_schema)]
    pub certificate_no: String,
    #[schema(schema_with = name_schema)]
    pub issuer: String,
    /// A recognised direct appraisal (破格/直接认定) that may skip levels: its reason.
    #[serde(default)]
    #[schema(schema_with = optional_name_schema)]
    pub direct_reason: Option<String>,
}

impl CertificationInput {
    pub fn check(&self) -> Result<(Level, NaiveDate), Invalid> {
        let mut e = Invalid::default();
        e.text("trade", &self.trade, CODE_MAX);
        let l = level(&mut e, "level", &self.level);
        let d = day(&mut e, "certified_on", &self.certified_on);
        e.text("certificate_no", &self.certificate_no, NUMBER_MAX);
        e.text("issuer", &self.issuer, NAME_MAX);
        e.optional_text("direct_reason", self.direct_reason.as_deref(), NAME_MAX);
        e.into_result()?;
        Ok((l.unwrap_or(Level::Junior), d.unwrap_or_default()))
    }

    pub fn direct(&self) -> bool {
        self.direct_reason.as_deref().is_some_and(|r| !r.trim().is_empty())
    }
}

/// A 师带徒 agreement.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct MentorshipInput {
    #[schema(schema_with = schema::id)]
    pub mentor_id: i64,
    #[schema(schema_with = schema::id)]
    pub apprentice_id: i64,
    #[schema(schema_with = code_schema)]
    pub trade: String,
    #[schema(schema_with = level_schema)]
    pub from_level: String,
    #[schema(schema_with = level_schema)]
    pub target_level: String,
    #[schema(schema_with = schema::date)]
    pub starts_on: String,
    #[schema(schema_with = schema::date)]
    pub ends_on: String,
    /// Goals by stage.
    #[serde(default)]
    #[schema(schema_with = optional_text_schema)]
    pub goals: Option<String>,
}

impl MentorshipInput {
    /// The levels as ranks (from, target).
    pub fn check(&self) -> Result<(i64, i64), Invalid> {
        let mut e = Invalid::default();
        if self.mentor_id == self.apprentice_id {
            e.push("apprentice_id", "own_mentor");
        }
        e.text("trade", &self.trade, CODE_MAX);
        let from = level(&mut e, "from_level", &self.from_level);
        let target = level(&mut e, "target_level", &self.target_level);
        if let (Some(f), Some(t)) = (from, target) {
            if t <= f {
                e.push("target_level", "level_not_above");
            }
        }
        let (s, t) = (day(&mut e, "starts_on", &self.starts_on), day(&mut e, "ends_on", &self.ends_on));
        if let (Some(s), Some(t)) = (s, t) {
            if t < s {
                e.push("ends_on", "ends_before_start");
            }
        }
        e.optional_text("goals", self.goals.as_deref(), TEXT_MAX);
        e.into_result()?;
        Ok((from.map_or(1, Level::rank), target.map_or(2, Level::rank)))
    }
}

/// A front-line production problem (一线生产难题).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct ProblemInput {
    #[schema(schema_with = name_schema)]
    pub title: String,
    #[schema(schema_with = text_schema)]
    pub description: String,
    #[schema(schema_with = schema::id)]
    pub unit_id: i64,
    #[serde(default)]
    #[schema(schema_with = optional_name_schema)]
    pub trade: Option<String>,
    #[serde(default)]
    #[schema(schema_with = optional_name_schema)]
    pub site: Option<String>,
    #[serde(default)]
    #[schema(schema_with = optional_text_schema)]
    pub impact: Option<String>,
    /// The person proposing (default: the caller's own record).
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub proposer_id: Option<i64>,
}

impl ProblemInput {
    pub fn check(&self) -> Result<(), Invalid> {
        let mut e = Invalid::default();
        e.text("title", &self.title, NAME_MAX);
        e.text("description", &self.description, TEXT_MAX);
        e.optional_text("trade", self.trade.as_deref(), CODE_MAX);
        e.optional_text("site", self.site.as_deref(), NAME_MAX);
        e.optional_text("impact", self.impact.as_deref(), TEXT_MAX);
        e.into_result()
    }
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
pub struct ClaimInput {
    #[schema(schema_with = schema::id)]
    pub team_id: i64,
}

/// Merging a duplicate into the first problem proposed.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
pub struct MergeInput {
    /// The first problem, which the duplicate joins.
    #[schema(schema_with = schema::id)]
    pub into: i64,
}

/// An award a problem's solution won (e.g. 最佳创意方案).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct AwardInput {
    #[schema(schema_with = name_schema)]
    pub award: String,
}

impl AwardInput {
    pub fn check(&self) -> Result<(), Invalid> {
        let mut e = Invalid::default();
        e.text("award", &self.award, NAME_MAX);
        e.into_result()
    }
}

/// A step of a claimed problem: the solution, the field test (where, data,
/// result), the roll-out (which sites), closing.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct StepInput {
    #[schema(schema_with = step_schema)]
    pub step: String,
    #[schema(schema_with = text_schema)]
    pub note: String,
}

/// Judges a step: steps follow the claim in order, none skipped.
pub fn judge_step_after(status: &str, input: &StepInput) -> Result<(), Invalid> {
    let mut e = Invalid::default();
    e.text("note", &input.note, TEXT_MAX);
    let Some(i) = STEPS.iter().position(|s| *s == input.step) else {
        e.push("step", "unknown_choice");
        return Err(e);
    };
    let before = if i == 0 { "claimed" } else { STEPS[i - 1] };
    if status != before {
        e.push("step", "step_out_of_order");
    }
    e.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_apprentice_is_not_their_own_mentor_and_aims_higher() {
        let m = MentorshipInput {
            mentor_id: 1,
            apprentice_id: 1,
            trade: "cy".into(),
            from_level: "senior".into(),
            target_level: "junior".into(),
            starts_on: "2026-01-01".into(),
            ends_on: "2027-01-01".into(),
            goals: None,
        };
        let fields: Vec<_> = m.check().unwrap_err().0.into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["apprentice_id", "target_level"]);
    }

    #[test]
    fn steps_follow_the_claim_in_order() {
        let s = |step: &str| StepInput { step: step.into(), note: "n".into() };
        assert!(judge_step_after("claimed", &s("solution")).is_ok());
        assert!(judge_step_after("solution", &s("field_test")).is_ok());
        assert!(judge_step_after("claimed", &s("rolled_out")).is_err());
        assert!(judge_step_after("proposed", &s("solution")).is_err());
        assert!(judge_step_after("claimed", &s("nonsense")).is_err());
    }

    #[test]
    fn a_score_is_out_of_a_hundred() {
        assert!(check_score("score", 101).is_err());
        assert!(check_score("score", -1).is_err());
        assert!(check_score("score", 0).is_ok());
    }
}
