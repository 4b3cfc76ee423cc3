//! What care's lists and pages read: pairs, visits, a pair's detail, a
//! beneficiary's history and the center's coverage.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::needs::WarningLevel;

/// A pair as lists and pages read it. People by name; the beneficiary's
/// contact is on `PairDetail`, only for those who may call them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Pair {
    pub id: i64,
    /// `active`, `paused`, `ended` or `handed_over`.
    pub status: String,
    /// `primary` or `cover`.
    pub role: String,
    pub volunteer_id: i64,
    pub volunteer_name: String,
    pub beneficiary_id: i64,
    pub beneficiary_name: String,
    pub beneficiary_kind: String,
    pub community_id: i64,
    pub community_name: String,
    pub district_id: i64,
    pub district_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub every_days: i64,
    pub starts_on: String,
    pub help: Option<String>,
    pub next_due: String,
    pub warning_level: WarningLevel,
    pub paused_until: Option<String>,
    pub pause_reason: Option<String>,
    /// Its volunteer left or was deactivated: somebody must take over.
    pub needs_handover: bool,
    pub end_reason: Option<String>,
    pub previous_pair_id: Option<i64>,
    pub handed_over_to: Option<i64>,
    pub handover_note: Option<String>,
}

impl Pair {
    pub fn is_open(&self) -> bool {
        matches!(self.status.as_str(), "active" | "paused")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Visit {
    pub id: i64,
    pub pair_id: i64,
    pub volunteer_id: i64,
    pub volunteer_name: String,
    #[serde(serialize_with = "crate::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub visited_at: i64,
    pub minutes: i64,
    pub mode: String,
    pub contact_made: bool,
    /// Left out (null) for a reader the coordinator hid them from.
    pub notes: Option<String>,
    /// The coordinator hid the notes from the beneficiary's later volunteers.
    pub notes_hidden: bool,
    pub concern: Option<String>,
    /// The need a concern became, if it did.
    pub need_id: Option<i64>,
    /// `none` (a call), `pending` (waiting for the leader) or `confirmed` (in the ledger).
    pub hours_status: String,
}

/// A pair with its whole visit log, the previous pairs' visits included
/// (what a new volunteer inherits), and the beneficiary's contact for those
/// who may see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PairDetail {
    #[serde(flatten)]
    pub pair: Pair,
    pub visits: Vec<Visit>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// True when the contact was withheld from this reader.
    pub contact_hidden: bool,
}

/// A beneficiary's whole care: every pair they ever had, each with its visits.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BeneficiaryCare {
    pub beneficiary_id: i64,
    /// The contact, for those who reach one of the pairs (audited).
    pub phone: Option<String>,
    pub address: Option<String>,
    /// Oldest first; each pair's own visits (the contact is on the beneficiary, not repeated).
    pub pairs: Vec<PairDetail>,
}

/// The center's view of the programme.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Coverage {
    pub beneficiaries: i64,
    pub paired: i64,
    pub unpaired: i64,
    pub active_pairs: i64,
    pub paused_pairs: i64,
    pub overdue: i64,
    pub by_level: Vec<LevelCount>,
    pub needs_handover: i64,
    pub visits_this_month: i64,
    pub concerns_this_month: i64,
    pub concerns_to_needs: i64,
    pub unpaired_by_kind: Vec<GroupCount>,
    pub unpaired_by_community: Vec<GroupCount>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = CareLevelCount)]
pub struct LevelCount {
    pub level: WarningLevel,
    pub pairs: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupCount {
    pub name: String,
    pub count: i64,
}
