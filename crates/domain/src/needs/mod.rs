//! Needs (线上点单、线下服务): how a request moves from submission to a rated
//! service, how long it may wait at each step before it escalates through the
//! four warning levels (四级预警), and what a submission must contain.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{category, phone, schema, Invalid};

pub const TITLE_MAX: usize = 60;
pub const DESCRIPTION_MAX: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Submitted,
    Published,
    Rejected,
    Claimed,
    Completed,
    Rated,
    /// Merged into another need or withdrawn by the center.
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 7] =
        [Status::Submitted, Status::Published, Status::Rejected, Status::Claimed, Status::Completed, Status::Rated, Status::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Published => "published",
            Status::Rejected => "rejected",
            Status::Claimed => "claimed",
            Status::Completed => "completed",
            Status::Rated => "rated",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Steps where somebody still has to act, so waiting there escalates.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Submitted | Status::Published | Status::Claimed)
    }

    /// The moves the marketplace allows; everything else is a 409.
    pub fn can_become(self, next: Status) -> bool {
        use Status::*;
        matches!(
            (self, next),
            (Submitted, Published | Rejected | Cancelled)
                | (Published, Claimed | Cancelled)
                | (Claimed, Published | Claimed | Completed | Cancelled)
                | (Completed, Rated)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WarningLevel {
    None,
    Blue,
    Yellow,
    Orange,
    Red,
}

impl WarningLevel {
    pub const ALL: [WarningLevel; 5] =
        [WarningLevel::None, WarningLevel::Blue, WarningLevel::Yellow, WarningLevel::Orange, WarningLevel::Red];

    pub fn as_str(self) -> &'static str {
        match self {
            WarningLevel::None => "none",
            WarningLevel::Blue => "blue",
            WarningLevel::Yellow => "yellow",
            WarningLevel::Orange => "orange",
            WarningLevel::Red => "red",
        }
    }

    pub fn parse(s: &str) -> Option<WarningLevel> {
        WarningLevel::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// 0 for none … 4 for red, as stored.
    pub fn rank(self) -> i64 {
        self as i64
    }

    pub fn from_rank(r: i64) -> WarningLevel {
        WarningLevel::ALL[r.clamp(0, 4) as usize]
    }
}

/// How long a need may wait at one step before each level: blue, yellow,
/// orange, red, in minutes. Configurable per region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepLimits {
    pub blue: i64,
    pub yellow: i64,
    pub orange: i64,
    pub red: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningLimits {
    /// Waiting for the center's review.
    pub submitted: StepLimits,
    /// Published, waiting for a team to take it.
    pub published: StepLimits,
    /// Claimed, waiting to be served and closed.
    pub claimed: StepLimits,
}

impl Default for WarningLimits {
    /// Review within a working morning, a taker within a day, service within three days.
    fn default() -> Self {
        WarningLimits {
            submitted: StepLimits { blue: 60, yellow: 4 * 60, orange: 8 * 60, red: 24 * 60 },
            published: StepLimits { blue: 4 * 60, yellow: 12 * 60, orange: 24 * 60, red: 48 * 60 },
            claimed: StepLimits { blue: 24 * 60, yellow: 48 * 60, orange: 72 * 60, red: 120 * 60 },
        }
    }
}

impl WarningLimits {
    pub fn for_status(&self, s: Status) -> Option<StepLimits> {
        match s {
            Status::Submitted => Some(self.submitted),
            Status::Published => Some(self.published),
            Status::Claimed => Some(self.claimed),
            _ => None,
        }
    }

    /// Rejects limits that do not rise blue < yellow < orange < red.
    pub fn check(&self) -> Result<(), String> {
        for (name, l) in [("submitted", self.submitted), ("published", self.published), ("claimed", self.claimed)] {
            if !(0 < l.blue && l.blue < l.yellow && l.yellow < l.orange && l.orange < l.red) {
                return Err(format!("warning limits for {name} must rise: 0 < blue < yellow < orange < red"));
            }
        }
        Ok(())
    }
}

/// The level of a need that has been at `status` for `waited_minutes`.
pub fn warning_level(limits: &WarningLimits, status: Status, waited_minutes: i64) -> WarningLevel {
    let Some(l) = limits.for_status(status) else { return WarningLevel::None };
    match waited_minutes {
        m if m >= l.red => WarningLevel::Red,
        m if m >= l.orange => WarningLevel::Orange,
        m if m >= l.yellow => WarningLevel::Yellow,
        m if m >= l.blue => WarningLevel::Blue,
        _ => WarningLevel::None,
    }
}

/// Who is told when a need reaches a level: yellow the team leader, orange
/// the unit's liaison, red the coordinators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escalation {
    TeamLeader,
    UnitLiaison,
    Coordinators,
}

pub fn escalation(level: WarningLevel) -> Option<Escalation> {
    match level {
        WarningLevel::Yellow => Some(Escalation::TeamLeader),
        WarningLevel::Orange => Some(Escalation::UnitLiaison),
        WarningLevel::Red => Some(Escalation::Coordinators),
        WarningLevel::None | WarningLevel::Blue => None,
    }
}

pub const CHANNELS: &[&str] = &["online", "observer", "liaison", "joint_meeting", "hotline"];

/// Tracking codes avoid letters and digits that are easily confused (0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// Who enters a need that came by phone, in person or from a community on a
/// resident's behalf, and the channel their form starts at. Volunteers and
/// viewers (figures only) do not.
pub fn entry_channel(role: crate::role::Role) -> Option<&'static str> {
    use crate::role::Role::*;
    match role {
        Admin | Coordinator | TeamLeader => Some("hotline"),
        Liaison => Some("liaison"),
        Observer => Some("observer"),
        Volunteer | Viewer => None,
    }
}

/// How long a need has waited, in the largest whole unit a person reads at a
/// glance: ("minutes" | "hours" | "days", count).
pub fn waited(minutes: i64) -> (&'static str, i64) {
    let minutes = minutes.max(0);
    match minutes {
        m if m < 60 => ("minutes", m),
        m if m < 24 * 60 => ("hours", m / 60),
        m => ("days", m / (24 * 60)),
    }
}

/// Whether a team may serve a need: active, of its district and its category.
pub fn team_fits(team: &crate::model::Team, district_id: i64, category: &str) -> bool {
    team.active && team.district_id == district_id && team.category == category
}

/// The order teams are offered in for 派单: fitting teams first, then the
/// district's other teams, then the rest — so the likely choice is on top.
pub fn assignment_order(teams: &mut [crate::model::Team], district_id: i64, category: &str) {
    teams.sort_by_key(|t| (!team_fits(t, district_id, category), t.district_id != district_id, !t.active));
}

/// A tracking code from random bytes: "XC" and 8 unambiguous characters.
pub fn tracking_code(random: [u8; 8]) -> String {
    let body: String = random.iter().map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char).collect();
    format!("XC{body}")
}

/// How many volunteers a need may ask for.
pub const VOLUNTEERS_NEEDED_MAX: i64 = 500;

crate::field_schemas! {
    title_schema = schema::text(TITLE_MAX);
    description_schema = schema::text(DESCRIPTION_MAX);
    name_schema = schema::text(crate::registry::NAME_MAX);
    channel_schema = schema::optional_one_of(CHANNELS);
    needed_schema = schema::optional_int_range(1, VOLUNTEERS_NEEDED_MAX);
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct NeedInput {
    #[schema(schema_with = title_schema)]
    pub title: String,
    #[schema(schema_with = description_schema)]
    pub description: String,
    #[schema(schema_with = schema::category)]
    pub category: String,
    #[schema(schema_with = schema::id)]
    pub community_id: i64,
    #[schema(schema_with = name_schema)]
    pub requester_name: String,
    #[schema(schema_with = schema::phone)]
    pub requester_phone: String,
    /// How it came in (default `online`); residents without an account are always `online`.
    #[serde(default)]
    #[schema(schema_with = channel_schema)]
    pub channel: Option<String>,
    /// Default 1.
    #[serde(default)]
    #[schema(schema_with = needed_schema)]
    pub volunteers_needed: Option<i64>,
}

/// A submission that passed every rule that needs no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedNeed {
    pub phone: String,
    pub channel: &'static str,
    pub volunteers_needed: i64,
}

impl NeedInput {
    pub fn check(&self) -> Result<CheckedNeed, Invalid> {
        let mut e = Invalid::default();
        e.text("title", &self.title, TITLE_MAX);
        e.text("description", &self.description, DESCRIPTION_MAX);
        if !category::is_known(&self.category) {
            e.push("category", "unknown_choice");
        }
        e.text("requester_name", &self.requester_name, crate::registry::NAME_MAX);
        let phone = phone::normalize(&self.requester_phone);
        if phone.is_none() {
            e.push("requester_phone", if self.requester_phone.trim().is_empty() { "required" } else { "phone_format" });
        }
        let wanted = self.channel.as_deref().unwrap_or("online");
        let channel = CHANNELS.iter().copied().find(|k| *k == wanted);
        if channel.is_none() {
            e.push("channel", "unknown_choice");
        }
        let needed = self.volunteers_needed.unwrap_or(1);
        if !(1..=VOLUNTEERS_NEEDED_MAX).contains(&needed) {
            e.push("volunteers_needed", "out_of_range");
        }
        e.into_result()?;
        Ok(CheckedNeed { phone: phone.unwrap_or_default(), channel: channel.unwrap_or("online"), volunteers_needed: needed })
    }
}

/// A need as staff see it (the service masks the requester's phone as needed).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Need {
    pub id: i64,
    pub tracking_code: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub community_id: i64,
    pub community_name: String,
    pub district_id: i64,
    pub district_name: String,
    pub requester_name: String,
    pub requester_phone: String,
    pub channel: String,
    pub volunteers_needed: i64,
    pub status: Status,
    pub warning_level: WarningLevel,
    #[serde(serialize_with = "crate::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    /// Unix ms when the need reached its current status.
    pub status_since: i64,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    pub reject_reason: Option<String>,
    pub merged_into: Option<i64>,
    pub summary: Option<String>,
    pub rating_stars: Option<i64>,
    pub rating_comment: Option<String>,
    #[serde(serialize_with = "crate::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: i64,
}

/// One step of a need's history.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct NeedEvent {
    #[serde(serialize_with = "crate::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: i64,
    pub status: Status,
    pub user_login: Option<String>,
    /// The acting account's role, so a page can say 协调员 rather than a login.
    pub user_role: Option<crate::role::Role>,
    /// The acting account's volunteer name, when the account has a volunteer record.
    pub user_name: Option<String>,
    pub team_name: Option<String>,
    /// A person's words, or one of `SYSTEM_NOTES` written by the platform.
    pub note: Option<String>,
}

/// History notes the platform writes itself: a need handed to a team by the
/// center, and a claim that expired back to the pool.
pub const SYSTEM_NOTES: &[&str] = &["dispatched", "expired"];

impl crate::registry::Validate for NeedInput {
    fn problems(&self) -> Invalid {
        self.check().err().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;
