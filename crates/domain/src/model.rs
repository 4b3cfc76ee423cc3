//! The registry as the rest of the system reads it.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct District {
    pub id: i64,
    pub name: String,
    pub active: bool,
    pub community_count: i64,
    pub team_count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Community {
    pub id: i64,
    pub name: String,
    pub district_id: i64,
    pub district_name: String,
    pub lat: f64,
    pub lng: f64,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Unit {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub webhook_url: Option<String>,
    pub active: bool,
    pub volunteer_count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Team {
    pub id: i64,
    pub name: String,
    pub district_id: i64,
    pub district_name: String,
    pub category: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub leader_volunteer_id: Option<i64>,
    pub leader_name: Option<String>,
    pub active: bool,
    pub member_count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TeamRef {
    pub id: i64,
    pub name: String,
}

/// A volunteer as stored: the phone in full, the ID number still encrypted.
/// Only the service turns this into what a caller may see.
#[derive(Debug, Clone, PartialEq)]
pub struct Volunteer {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub id_number_enc: Option<String>,
    pub birth_date: Option<String>,
    pub unit_id: i64,
    pub unit_name: String,
    pub community_id: i64,
    pub community_name: String,
    pub teams: Vec<TeamRef>,
    pub skills: Vec<String>,
    pub party_member: bool,
    pub vest_number: Option<String>,
    pub availability: Option<String>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Beneficiary {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub community_id: i64,
    pub community_name: String,
    /// Masked unless the caller may see it in full.
    pub phone: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub login: String,
    pub role: crate::role::Role,
    pub unit_id: Option<i64>,
    pub team_id: Option<i64>,
    pub volunteer_id: Option<i64>,
    pub active: bool,
    /// The name the person is shown by: the account's own, else its volunteer's.
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    /// Unix milliseconds.
    pub at: i64,
    pub user_id: Option<i64>,
    pub user_login: Option<String>,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: Option<i64>,
    pub detail: Option<String>,
}

/// One page of a list, as every list endpoint returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: i64,
}

/// A volunteer as a caller sees them: the phone masked unless they may see it,
/// the ID number masked unless they asked for it and may see it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct VolunteerView {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub phone_masked: bool,
    pub id_number: Option<String>,
    pub birth_date: Option<String>,
    pub age: Option<u32>,
    pub unit_id: i64,
    pub unit_name: String,
    pub community_id: i64,
    pub community_name: String,
    pub teams: Vec<TeamRef>,
    pub skills: Vec<String>,
    pub party_member: bool,
    pub vest_number: Option<String>,
    pub availability: Option<String>,
    pub active: bool,
}

/// One entry of a user's notification centre.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Notification {
    pub id: i64,
    #[serde(serialize_with = "crate::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: i64,
    /// e.g. `need_published`, `need_claimed`, `warning_red`.
    pub kind: String,
    pub need_id: Option<i64>,
    pub activity_id: Option<i64>,
    pub dispatch_id: Option<i64>,
    /// The 爱心守护 pair a care warning or reminder is about.
    pub care_pair_id: Option<i64>,
    /// The need's title, for the message.
    pub detail: Option<String>,
    pub read: bool,
}
