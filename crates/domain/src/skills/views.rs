//! Skills records as they are read back: names, never logins or ids alone.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LevelRule {
    /// The level moved up from.
    pub level: String,
    pub years: i64,
    pub hours: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Trade {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// What moving up from each level asks (the trade's own, or the defaults).
    #[serde(default)]
    pub rules: Vec<LevelRule>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Certification {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub trade: String,
    pub trade_name: String,
    /// `junior` … `senior_technician`.
    pub level: String,
    #[schema(value_type = String, format = Date)]
    pub certified_on: String,
    pub certificate_no: String,
    pub issuer: String,
    pub direct_reason: Option<String>,
}

/// A page of the eligibility list, with how many lines there are in all
/// and how many of them may apply now and within the months asked.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct EligibleList {
    pub items: Vec<Eligible>,
    pub total: i64,
    /// Lines whose every condition is met today.
    pub now: i64,
    /// Lines whose years complete within the months asked (or are complete
    /// while hours or the exam are missing).
    pub soon: i64,
}

/// One person and trade on the eligibility list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Eligible {
    pub person_id: i64,
    pub name: String,
    pub unit_name: String,
    pub trade: String,
    pub trade_name: String,
    /// The level held now.
    pub level: String,
    pub next_level: String,
    #[schema(value_type = String, format = Date)]
    pub certified_on: String,
    /// The day the years at the level are complete.
    #[schema(value_type = String, format = Date)]
    pub years_met_on: String,
    pub hours: f64,
    pub hours_required: i64,
    pub assessed: bool,
    /// `now` or `soon` (within the months asked).
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Lesson {
    pub id: i64,
    #[schema(value_type = String, format = Date)]
    pub on: String,
    pub topic: String,
    pub hours: f64,
    pub attended: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Training {
    pub id: i64,
    pub title: String,
    pub trade: String,
    pub trade_name: String,
    pub level: Option<String>,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub starts_on: String,
    #[schema(value_type = String, format = Date)]
    pub ends_on: String,
    pub capacity: i64,
    pub pass_mark: i64,
    pub enrolled: i64,
    pub passed: i64,
    pub lesson_count: i64,
    /// Teachers' names.
    #[serde(default)]
    pub teachers: Vec<String>,
    #[serde(default)]
    pub lessons: Vec<Lesson>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Mentorship {
    pub id: i64,
    pub mentor_id: i64,
    pub mentor_name: String,
    pub apprentice_id: i64,
    pub apprentice_name: String,
    pub trade: String,
    pub trade_name: String,
    pub from_level: String,
    pub target_level: String,
    #[schema(value_type = String, format = Date)]
    pub starts_on: String,
    #[schema(value_type = String, format = Date)]
    pub ends_on: String,
    pub goals: Option<String>,
    pub completed_on: Option<String>,
    pub final_score: Option<i64>,
    pub assessments: i64,
    /// The final assessment's comment.
    #[serde(default)]
    pub final_comment: Option<String>,
    /// `active`, or `completed` (出师).
    #[serde(default)]
    pub status: String,
    /// Once completed: `early`, `on_time` or `late` against `ends_on`.
    #[serde(default)]
    pub timing: Option<String>,
}

/// One assessment of a 师带徒 agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(as = ApprenticeshipAssessment)]
pub struct Assessment {
    pub id: i64,
    /// `monthly` (the mentor), `quarterly` (the workshop), `yearly` (the unit).
    pub scope: String,
    pub period: String,
    pub score: i64,
    pub comment: Option<String>,
    /// Who recorded it, by name.
    pub by_name: Option<String>,
    #[serde(serialize_with = "crate::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: i64,
}

/// An apprentice on their mentor's page: what became of them, from the records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Apprentice {
    /// Their agreement with this mentor.
    #[serde(default)]
    pub mentorship_id: i64,
    pub person_id: i64,
    pub name: String,
    pub trade: String,
    pub trade_name: String,
    /// Their highest level in the agreement's trade now.
    pub level: Option<String>,
    /// Certifications gained (any trade) since the agreement started.
    pub certifications_since: i64,
    /// Trades they were certified in since the agreement started.
    #[serde(default)]
    pub trades_since: Vec<String>,
    pub completed: bool,
    /// Competition awards won since the agreement started.
    #[serde(default)]
    pub awards: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(as = SkillLevelCount)]
pub struct LevelCount {
    pub level: String,
    pub people: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TradeCount {
    pub trade_name: String,
    pub people: i64,
}

/// A mentor's figures, computed from their apprentices' records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MentoringSummary {
    pub apprentices: i64,
    pub completed: i64,
    /// Apprentices by the highest level reached in the agreement's trade.
    pub by_level: Vec<LevelCount>,
    /// Apprentices certified in each trade since their agreement started.
    pub certified_by_trade: Vec<TradeCount>,
    /// Apprentices who won a competition award since their agreement started.
    #[serde(default)]
    pub awarded: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub trade: Option<String>,
    pub trade_name: Option<String>,
    pub site: Option<String>,
    pub impact: Option<String>,
    pub proposer_id: i64,
    /// 难题首提人.
    pub proposer_name: String,
    #[serde(serialize_with = "crate::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub proposed_at: i64,
    /// `proposed`, `claimed`, `solution`, `field_test`, `rolled_out`, `closed`.
    pub status: String,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    pub award: Option<String>,
    /// The first problem this duplicate was merged into (then it leaves the board).
    pub merged_into: Option<i64>,
}

/// A supporter of a problem: the proposer of a duplicate merged into it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProblemSupporter {
    pub person_id: i64,
    pub name: String,
    /// The duplicate they proposed.
    pub from_problem_id: i64,
    #[serde(serialize_with = "crate::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub proposed_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProblemStep {
    pub step: String,
    pub note: String,
    #[serde(serialize_with = "crate::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: i64,
    /// Who recorded it, by name.
    pub by_name: Option<String>,
    pub team_name: Option<String>,
}

/// A file attached to a problem or one of its steps (its bytes are fetched apart).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProblemAttachment {
    pub id: i64,
    pub problem_id: i64,
    /// `problem`, `solution`, `field_test` or `rolled_out`.
    pub step: String,
    /// The name it was uploaded with, for showing only.
    pub file_name: String,
    /// `image/jpeg`, `image/png`, `image/webp` or `application/pdf`, told by its bytes.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// Who uploaded it, by name.
    pub by_name: Option<String>,
    /// The uploader's account (who may delete it besides the center).
    pub uploaded_by: i64,
    #[serde(serialize_with = "crate::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: i64,
}

/// Problems solved (rolled out or closed) per team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TeamSolved {
    pub team_id: i64,
    pub team_name: String,
    pub solved: i64,
}

/// A first proposer's problems: how many they proposed, and how many of those were solved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProposerSolved {
    pub person_id: i64,
    pub name: String,
    pub proposed: i64,
    pub solved: i64,
}
