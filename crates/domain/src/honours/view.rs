//! What the API and pages show of a round, its candidates, nominations,
//! notice, objections and honours.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::round::{quota_of, CriterionInput, GroupQuota, Stage};
use super::scoring::Part;
use crate::schema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Round {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub period_from: String,
    pub period_to: String,
    pub min_hours: f64,
    pub min_activities: i64,
    pub criteria: Vec<CriterionInput>,
    pub quota_per_unit: Option<i64>,
    /// Units (or districts) with a quota of their own, in place of `quota_per_unit`.
    pub quotas: Vec<GroupQuota>,
    pub nominate_until: String,
    pub notice_days: i64,
    pub stage: Stage,
    /// Unix ms the scores were frozen at (review started); none while they are live.
    pub scored_at: Option<i64>,
    pub notice_from: Option<i64>,
    pub notice_until: Option<i64>,
    pub published_at: Option<i64>,
}

impl Round {
    /// The quota of one unit (district for a team round); None: no bound.
    pub fn quota_of(&self, group: i64) -> Option<i64> {
        quota_of(&self.quotas, self.quota_per_unit, group)
    }
}

/// A person or team scored for a round.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = HonourCandidate)]
pub struct Candidate {
    pub volunteer_id: Option<i64>,
    pub team_id: Option<i64>,
    pub name: String,
    /// Their unit (volunteers) or district (teams).
    pub group_name: String,
    pub eligible: bool,
    /// The rule that fails, when not eligible.
    pub reason: Option<String>,
    pub score: f64,
    /// Confirmed hours in the period, weighted or not.
    pub hours: f64,
    pub breakdown: Vec<Part>,
    /// Where the entries behind the figures are listed.
    pub entries_url: Option<String>,
}

/// One entry behind a candidate's figure of one measure (a team's: its members').
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = HonourLine)]
pub struct Line {
    /// YYYY-MM-DD in the region.
    pub day: String,
    pub volunteer_id: i64,
    /// The volunteer's name.
    pub volunteer: String,
    /// The activity's, need's, call's or lesson's title, when it has one.
    pub what: Option<String>,
    /// What it adds to the figure: hours, 1 for a count, a rating's stars.
    pub value: f64,
    /// The page of the activity, need, call or care pair it is about.
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Nomination {
    pub id: i64,
    pub volunteer_id: Option<i64>,
    pub team_id: Option<i64>,
    pub name: String,
    pub group_name: String,
    pub citation: String,
    /// nominated, approved, rejected, removed (an objection upheld), honoured.
    pub status: String,
    pub decision_note: Option<String>,
    /// The frozen (or, before review, live) score.
    pub score: f64,
    /// Whether it is within its group's quota in score order (the result list).
    pub within_quota: bool,
    /// The review panel's votes (none without a panel): for, against, and
    /// members out of it for a conflict of interest.
    pub votes_for: i64,
    pub votes_against: i64,
    pub conflicts: i64,
}

/// One proposed honouree on the public notice: no phone, no ID.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoticeItem {
    pub nomination_id: i64,
    pub name: String,
    pub group_name: String,
    pub hours: f64,
    pub citation: String,
}

/// The public notice (公示) of a round.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Notice {
    pub round_id: i64,
    pub title: String,
    pub stage: Stage,
    pub notice_from: Option<i64>,
    pub notice_until: Option<i64>,
    pub items: Vec<NoticeItem>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Objection {
    pub id: i64,
    pub nomination_id: i64,
    pub nominee: String,
    pub reason: String,
    pub name: Option<String>,
    /// Masked unless the reader may see full phones (the reveal is audited).
    pub phone: Option<String>,
    /// open, upheld, not_upheld.
    pub status: String,
    pub finding: Option<String>,
    pub created_at: i64,
}

/// A published honour: on the roll, the volunteer's record and its certificate.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Honour {
    pub round_id: i64,
    pub round_title: String,
    pub year: i64,
    pub volunteer_id: Option<i64>,
    pub team_id: Option<i64>,
    pub name: String,
    pub group_name: String,
    pub citation: String,
    /// The honour certificate's number, verifiable at `/verify/{code}`.
    pub code: String,
}

crate::field_schemas! {
    citation_schema = schema::text(super::round::CITATION_MAX);
    note_schema = schema::optional_text(super::round::NOTE_MAX);
    decision_schema = schema::one_of(&["approve", "reject"]);
    reason_schema = schema::text(super::round::REASON_MAX);
    name_schema = schema::optional_text(super::round::NAME_MAX);
    finding_schema = schema::text(super::round::REASON_MAX);
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NominationInput {
    /// For a round of volunteers.
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub volunteer_id: Option<i64>,
    /// For a round of teams.
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub team_id: Option<i64>,
    /// 事迹: what they did.
    #[schema(schema_with = citation_schema)]
    pub citation: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DecisionInput {
    #[schema(schema_with = decision_schema)]
    pub decision: String,
    #[serde(default)]
    #[schema(schema_with = note_schema)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ObjectionInput {
    #[schema(schema_with = schema::id)]
    pub nomination_id: i64,
    #[schema(schema_with = reason_schema)]
    pub reason: String,
    /// Anonymous objections are allowed.
    #[serde(default)]
    #[schema(schema_with = name_schema)]
    pub name: Option<String>,
    #[serde(default)]
    #[schema(schema_with = schema::optional_phone)]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ResolveInput {
    pub upheld: bool,
    #[schema(schema_with = finding_schema)]
    pub finding: String,
}

/// One line of a round's audit trail: who did what to the round, a
/// nomination or an objection, and when.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = HonourTrailEntry)]
pub struct TrailEntry {
    /// Unix ms.
    pub at: i64,
    /// The person's name; none for the public (an objection) or the system.
    pub who: Option<String>,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: Option<i64>,
    pub detail: Option<String>,
}
