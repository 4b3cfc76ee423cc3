//! Emergency dispatch (应急调度, C4): a coordinator calls N people to a place
//! and time; Tongxing splits the quota across units, ranks who to ask, and
//! fills the call atomically. The store enforces "never more than needed";
//! everything decided without a lock is here.

pub mod pool;
pub mod quota;
pub mod rank;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::activities::{parse_time, HOUR_MS};
use crate::schema;
use crate::validation::Invalid;

pub const TITLE_MAX: usize = 100;
pub const TEXT_MAX: usize = 2000;
/// More than this is a mass mobilisation, not a call through this screen.
pub const NEEDED_MAX: u32 = 2000;
pub const ADDRESS_MAX: usize = 200;
pub const LENGTH_MAX_MS: i64 = 24 * HOUR_MS;
/// How far from the place people are considered unless the call says otherwise.
pub const DEFAULT_RADIUS_KM: f64 = 30.0;
pub const RADIUS_MAX_KM: f64 = 300.0;

crate::field_schemas! {
    title_schema = schema::text(TITLE_MAX);
    text_schema = schema::optional_text(TEXT_MAX);
    address_schema = schema::optional_text(ADDRESS_MAX);
    needed_schema = schema::int_range(1, i64::from(NEEDED_MAX));
    quota_schema = schema::int_range(0, i64::from(NEEDED_MAX));
    lat_schema = schema::optional_number_range(3.0, 54.0);
    lng_schema = schema::optional_number_range(73.0, 136.0);
    radius_schema = schema::optional_number_above(0.0, RADIUS_MAX_KM);
}

/// What a coordinator states (API.md "Emergency dispatch").
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct DispatchInput {
    #[schema(schema_with = title_schema)]
    pub title: String,
    #[serde(default)]
    #[schema(schema_with = text_schema)]
    pub description: Option<String>,
    /// The community the call is for; the point, when given, is where people gather.
    #[schema(schema_with = schema::id)]
    pub community_id: i64,
    /// With `lng`, or neither.
    #[serde(default)]
    #[schema(schema_with = lat_schema)]
    pub lat: Option<f64>,
    #[serde(default)]
    #[schema(schema_with = lng_schema)]
    pub lng: Option<f64>,
    #[serde(default)]
    #[schema(schema_with = address_schema)]
    pub address: Option<String>,
    /// RFC 3339; the call must not have ended.
    #[schema(schema_with = schema::time)]
    pub starts_at: String,
    /// After `starts_at`, at most a day later.
    #[schema(schema_with = schema::time)]
    pub ends_at: String,
    #[schema(schema_with = needed_schema)]
    pub needed: i64,
    #[serde(default)]
    #[schema(schema_with = schema::skills)]
    pub skills: Vec<String>,
    #[serde(default)]
    #[schema(schema_with = schema::ids)]
    pub unit_ids: Vec<i64>,
    #[serde(default)]
    #[schema(schema_with = radius_schema)]
    pub radius_km: Option<f64>,
    /// The team leading on site (the call's check-in is theirs); left out,
    /// a team of the unit with the largest quota.
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub team_id: Option<i64>,
    /// Quotas adjusted by hand on the preview; left out, the proposed split is used.
    #[serde(default)]
    pub quotas: Option<Vec<QuotaInput>>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct QuotaInput {
    #[schema(schema_with = schema::id)]
    pub unit_id: i64,
    #[schema(schema_with = quota_schema)]
    pub quota: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedDispatch {
    pub starts_ms: i64,
    pub ends_ms: i64,
    pub needed: u32,
    pub skills: Vec<String>,
    pub radius_km: f64,
}

impl DispatchInput {
    /// Everything that needs no database; `now_ms` refuses a call in the past.
    pub fn check(&self, now_ms: i64) -> Result<CheckedDispatch, Invalid> {
        let mut e = Invalid::default();
        e.text("title", &self.title, TITLE_MAX);
        e.optional_text("description", self.description.as_deref(), TEXT_MAX);
        e.optional_text("address", self.address.as_deref(), ADDRESS_MAX);
        let starts = parse_time(&self.starts_at);
        let ends = parse_time(&self.ends_at);
        match starts {
            None => e.push("starts_at", "time_format"),
            // A call already under way is normal; one that ended is not.
            Some(_) if ends.is_some_and(|t| t <= now_ms) => e.push("starts_at", "in_the_past"),
            _ => {}
        }
        match (starts, ends) {
            (_, None) => e.push("ends_at", "time_format"),
            (Some(s), Some(t)) if t <= s => e.push("ends_at", "before_start"),
            (Some(s), Some(t)) if t - s > LENGTH_MAX_MS => e.push("ends_at", "too_long"),
            _ => {}
        }
        if !(1..=i64::from(NEEDED_MAX)).contains(&self.needed) {
            e.push("needed", "out_of_range");
        }
        match (self.lat, self.lng) {
            (None, None) => {}
            (Some(lat), Some(lng)) if (3.0..=54.0).contains(&lat) && (73.0..=136.0).contains(&lng) => {}
            (Some(_), Some(_)) => e.push("lat", "out_of_range"),
            _ => e.push("lat", "required"),
        }
        if let Some(code) = crate::registry::skills_problem(&self.skills) {
            e.push("skills", code);
        }
        let skills = crate::registry::normalize_skills(&self.skills);
        let radius_km = self.radius_km.unwrap_or(DEFAULT_RADIUS_KM);
        if !(radius_km > 0.0 && radius_km <= RADIUS_MAX_KM) {
            e.push("radius_km", "out_of_range");
        }
        if let Some(q) = &self.quotas {
            if q.iter().any(|q| !(0..=i64::from(NEEDED_MAX)).contains(&q.quota)) {
                e.push("quotas", "out_of_range");
            }
        }
        e.into_result()?;
        Ok(CheckedDispatch {
            starts_ms: starts.unwrap_or_default(),
            ends_ms: ends.unwrap_or_default(),
            needed: self.needed as u32,
            skills,
            radius_km,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallStatus {
    Open,
    Filled,
    Closed,
}

impl CallStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CallStatus::Open => "open",
            CallStatus::Filled => "filled",
            CallStatus::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [CallStatus::Open, CallStatus::Filled, CallStatus::Closed].into_iter().find(|c| c.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Accept,
    Decline,
}

/// Where one notified person stands on a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResponseStatus {
    /// Asked, no answer yet.
    Notified,
    Confirmed,
    /// Accepted after the call was full: first in line when someone withdraws.
    Standby,
    Declined,
    /// Confirmed or on standby, then pulled out.
    Withdrawn,
}

impl ResponseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseStatus::Notified => "notified",
            ResponseStatus::Confirmed => "confirmed",
            ResponseStatus::Standby => "standby",
            ResponseStatus::Declined => "declined",
            ResponseStatus::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        use ResponseStatus::*;
        [Notified, Confirmed, Standby, Declined, Withdrawn].into_iter().find(|r| r.as_str() == s)
    }
}

/// Whether an answer may still change anything: a closed call takes none,
/// and the same answer twice is the first one again, not a second effect.
pub fn may_answer(call: CallStatus, current: ResponseStatus, answer: Answer) -> Result<bool, &'static str> {
    if call == CallStatus::Closed {
        return Err("call_closed");
    }
    let repeat = matches!(
        (current, answer),
        (ResponseStatus::Confirmed | ResponseStatus::Standby, Answer::Accept)
            | (ResponseStatus::Declined | ResponseStatus::Withdrawn, Answer::Decline)
    );
    Ok(!repeat)
}
