//! Activities (活动): what a team plans, who may sign up, and how attendance
//! becomes service time. Capacity itself is enforced by the store with a
//! conditional UPDATE; the rules here decide everything that needs no lock.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

mod plan;
pub use plan::*;

/// An activity as lists and pages show it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Activity {
    pub id: i64,
    pub title: String,
    pub team_id: i64,
    pub team_name: String,
    pub community_id: i64,
    pub community_name: String,
    pub district_id: i64,
    pub project_id: Option<i64>,
    pub project_name: Option<String>,
    pub series_id: Option<i64>,
    pub theme: Option<String>,
    pub address: Option<String>,
    pub description: Option<String>,
    #[serde(serialize_with = "crate::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: i64,
    #[serde(serialize_with = "crate::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: i64,
    pub capacity: i64,
    pub confirmed: i64,
    pub waitlisted: i64,
    pub risky: bool,
    pub insurance: Option<String>,
    pub adults_only: bool,
    pub walk_ups: bool,
    pub cancelled: bool,
    pub hours_confirmed: bool,
    /// The emergency call this activity carries (its roll call): people
    /// join it by answering the call, not by signing up.
    pub dispatch_id: Option<i64>,
    pub roles: Vec<Role>,
}

impl Activity {
    pub fn facts(&self) -> Facts {
        Facts {
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            cancelled: self.cancelled,
            risky: self.risky,
            insured: self.insurance.as_deref().is_some_and(|i| !i.trim().is_empty()),
            adults_only: self.adults_only,
        }
    }
}

/// A role of an activity with places of its own (named apart from the account roles).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = ActivityRole)]
pub struct Role {
    pub id: i64,
    pub name: String,
    pub capacity: i64,
    pub confirmed: i64,
}

/// One person on an activity's roster: sign-up and attendance together.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RosterLine {
    pub volunteer_id: i64,
    pub name: String,
    /// None for a walk-up who never signed up.
    pub signup: Option<SignupStatus>,
    pub role: Option<String>,
    #[serde(serialize_with = "crate::time::opt_ms_as_rfc3339")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub checked_in_at: Option<i64>,
    #[serde(serialize_with = "crate::time::opt_ms_as_rfc3339")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub checked_out_at: Option<i64>,
    pub walk_up: bool,
    /// Closed by rule at the activity's end: the leader should check it.
    pub auto_closed: bool,
}

/// Where a sign-up stands. `cancelled` rows stay so the history is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignupStatus {
    Confirmed,
    Waitlisted,
    Cancelled,
}

impl SignupStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SignupStatus::Confirmed => "confirmed",
            SignupStatus::Waitlisted => "waitlisted",
            SignupStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<SignupStatus> {
        [SignupStatus::Confirmed, SignupStatus::Waitlisted, SignupStatus::Cancelled].into_iter().find(|x| x.as_str() == s)
    }
}

/// What the sign-up rules need to know about an activity.
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    pub starts_at: i64,
    pub ends_at: i64,
    pub cancelled: bool,
    pub risky: bool,
    pub insured: bool,
    pub adults_only: bool,
}

/// Why a volunteer cannot sign up; each is an API error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    ActivityCancelled,
    ActivityEnded,
    InsuranceRequired,
    AdultsOnly,
    TimeConflict,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::ActivityCancelled => "activity_cancelled",
            Refusal::ActivityEnded => "activity_ended",
            Refusal::InsuranceRequired => "insurance_required",
            Refusal::AdultsOnly => "adults_only",
            Refusal::TimeConflict => "time_conflict",
        }
    }
}

/// Half-open intervals overlap when each starts before the other ends, so
/// back-to-back sessions (9–11, 11–12) do not conflict.
pub fn overlaps(a: (i64, i64), b: (i64, i64)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Decides whether a volunteer may sign up. `birth` is unknown for some
/// imported volunteers: an adults-only activity then refuses them too, since
/// the leader cannot tell.
pub fn may_sign_up(a: &Facts, now: i64, birth: Option<NaiveDate>, other_sessions: &[(i64, i64)]) -> Result<(), Refusal> {
    if a.cancelled {
        return Err(Refusal::ActivityCancelled);
    }
    if now >= a.ends_at {
        return Err(Refusal::ActivityEnded);
    }
    if a.risky && !a.insured {
        return Err(Refusal::InsuranceRequired);
    }
    if a.adults_only {
        let day = crate::time::region_date(a.starts_at);
        if birth.is_none_or(|b| crate::id_number::age_on(b, day) < 18) {
            return Err(Refusal::AdultsOnly);
        }
    }
    if other_sessions.iter().any(|s| overlaps(*s, (a.starts_at, a.ends_at))) {
        return Err(Refusal::TimeConflict);
    }
    Ok(())
}

/// Service time from check-in to check-out, counted only inside the
/// activity's window: arriving early or lingering is not service.
pub fn served_ms(checked_in: i64, checked_out: i64, starts_at: i64, ends_at: i64) -> i64 {
    (checked_out.min(ends_at) - checked_in.max(starts_at)).max(0)
}

/// A check-in left open is closed at the activity's end (and flagged), never
/// credited for days.
pub fn closing_time(checked_in: i64, ends_at: i64) -> i64 {
    ends_at.max(checked_in)
}

/// A private token for a QR check-in link or a calendar feed: 16 random bytes as hex.
pub fn token(random: [u8; 16]) -> String {
    random.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-05, 09:00 to 11:30 in the region.
    fn facts() -> Facts {
        let (starts_at, ends_at) = (parse_time("2026-12-05T09:00:00+08:00").unwrap(), parse_time("2026-12-05T11:30:00+08:00").unwrap());
        Facts { starts_at, ends_at, cancelled: false, risky: false, insured: false, adults_only: false }
    }

    #[test]
    fn risky_activities_wait_for_insurance() {
        let a = Facts { risky: true, ..facts() };
        assert_eq!(may_sign_up(&a, 0, None, &[]), Err(Refusal::InsuranceRequired));
        assert_eq!(may_sign_up(&Facts { insured: true, ..a }, 0, None, &[]), Ok(()));
    }

    #[test]
    fn adults_only_counts_age_on_the_day() {
        let a = Facts { adults_only: true, ..facts() };
        let seventeen = NaiveDate::from_ymd_opt(2008, 12, 6);
        let eighteen = NaiveDate::from_ymd_opt(2008, 12, 5);
        assert_eq!(may_sign_up(&a, 0, seventeen, &[]), Err(Refusal::AdultsOnly));
        assert_eq!(may_sign_up(&a, 0, eighteen, &[]), Ok(()));
        assert_eq!(may_sign_up(&a, 0, None, &[]), Err(Refusal::AdultsOnly));
    }

    #[test]
    fn overlapping_sessions_conflict_but_back_to_back_ones_do_not() {
        let a = facts();
        let before = (a.starts_at - 2 * HOUR_MS, a.starts_at);
        let inside = (a.starts_at + HOUR_MS, a.starts_at + 2 * HOUR_MS);
        assert_eq!(may_sign_up(&a, 0, None, &[before]), Ok(()));
        assert_eq!(may_sign_up(&a, 0, None, &[before, inside]), Err(Refusal::TimeConflict));
        assert_eq!(may_sign_up(&a, a.ends_at, None, &[]), Err(Refusal::ActivityEnded));
    }

    #[test]
    fn only_time_inside_the_window_is_service() {
        let (s, e) = (10 * HOUR_MS, 12 * HOUR_MS);
        assert_eq!(served_ms(9 * HOUR_MS, 13 * HOUR_MS, s, e), 2 * HOUR_MS);
        assert_eq!(served_ms(11 * HOUR_MS, 13 * HOUR_MS, s, e), HOUR_MS);
        assert_eq!(served_ms(13 * HOUR_MS, 14 * HOUR_MS, s, e), 0);
        assert_eq!(closing_time(11 * HOUR_MS, e), e);
    }
}
