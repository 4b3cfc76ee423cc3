//! A volunteer's dispute of a ledger entry (§4: "a volunteer can dispute an
//! entry and the organisation must answer"), as both sides see it.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Dispute {
    pub id: i64,
    pub entry_id: i64,
    pub volunteer_id: i64,
    pub volunteer_name: String,
    pub reason: String,
    /// `open` or `answered`.
    pub status: String,
    pub answer: Option<String>,
    /// The login of who answered.
    pub answered_by: Option<String>,
    #[serde(serialize_with = "crate::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: i64,
    /// The disputed entry: what was served, on which day, for how many hours.
    pub what: Option<String>,
    pub served_on: String,
    pub hours: f64,
    /// The team whose activity or need the entry is for.
    pub team_id: Option<i64>,
}
