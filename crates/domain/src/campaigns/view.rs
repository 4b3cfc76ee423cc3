//! A campaign as the API and pages show it: goals against progress, the
//! rotation's slots with their status, and the plan's clashes.

use serde::Serialize;
use utoipa::ToSchema;

use super::status::SlotStatus;

/// A line of the campaign list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CampaignItem {
    pub id: i64,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub themes: Vec<String>,
    pub slots: i64,
}

/// What the records say for some part of a campaign. `activities`: the
/// non-cancelled activities with one of its themes starting within its days;
/// `held`: those begun by now; `hours`: every ledger entry of those
/// activities (credits, hand entries, corrections); `people_served`: their
/// check-ins (服务人次, each person once per activity).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, ToSchema)]
pub struct Figures {
    pub activities: i64,
    pub held: i64,
    pub hours: f64,
    pub people_served: i64,
}

impl Figures {
    pub fn add(&mut self, o: &Figures) {
        self.activities += o.activities;
        self.held += o.held;
        self.hours += o.hours;
        self.people_served += o.people_served;
    }

    /// The figure a goal's metric measures.
    pub fn of(&self, metric: &str) -> f64 {
        match metric {
            "activities" => self.activities as f64,
            "hours" => (self.hours * 100.0).round() / 100.0,
            _ => self.people_served as f64,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThemeFigures {
    pub theme: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DistrictFigures {
    pub district_id: i64,
    pub district_name: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Progress {
    pub overall: Figures,
    pub by_theme: Vec<ThemeFigures>,
    pub by_district: Vec<DistrictFigures>,
}

/// A goal with what the records say so far.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Goal {
    pub metric: String,
    pub theme: Option<String>,
    pub district_id: Option<i64>,
    pub target: f64,
    pub actual: f64,
}

impl Goal {
    /// Reached share in whole percent, capped at 100 (for the bars).
    pub fn percent(&self) -> i64 {
        if self.target <= 0.0 {
            100
        } else {
            ((self.actual / self.target) * 100.0).clamp(0.0, 100.0) as i64
        }
    }
}

/// A slot of the rotation with its status: `activities` hosted (the slot's
/// district and theme, within its days, not cancelled), `held` of them begun, `hours` credited.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SlotView {
    pub id: i64,
    pub district_id: i64,
    pub district_name: String,
    pub theme: String,
    pub starts_on: String,
    pub ends_on: String,
    pub status: SlotStatus,
    pub activities: i64,
    pub held: i64,
    pub hours: f64,
}

/// Something wrong with the plan: `same_theme` (two districts, one theme,
/// overlapping slots, when the campaign forbids it), `overlap` (one
/// district's slots overlap, when allowed), `no_slot` (a district hosts nothing).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClashView {
    #[schema(value_type = String, example = "no_slot")]
    pub kind: &'static str,
    pub district_id: Option<i64>,
    pub theme: Option<String>,
    pub slot_ids: Vec<i64>,
}

/// `GET /api/v1/campaigns/{id}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Campaign {
    pub id: i64,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub themes: Vec<String>,
    pub exclusive_themes: bool,
    pub allow_overlap: bool,
    pub warn_days: i64,
    pub goals: Vec<Goal>,
    pub progress: Progress,
    pub slots: Vec<SlotView>,
    pub clashes: Vec<ClashView>,
}
