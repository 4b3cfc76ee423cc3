//! Joining by oneself (实名注册): what an application must hold, how a
//! one-time phone code is judged, and who may approve or decline.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::model::TeamRef;
use crate::registry::{CheckedVolunteer, VolunteerInput};
use crate::role::Role;
use crate::Invalid;

/// A code is good for ten minutes, long enough for a slow SMS.
pub const CODE_TTL_MS: i64 = 10 * 60_000;
/// Wrong tries before a code is spent: six digits leave a guesser 5 in 10⁶.
pub const MAX_CODE_ATTEMPTS: i64 = 5;
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;
pub const REASON_MAX: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JoinStatus {
    /// Waiting for a leader of a chosen team or the unit's liaison.
    Pending,
    /// The volunteer record and account exist.
    Approved,
    Declined,
}

impl JoinStatus {
    pub const ALL: [JoinStatus; 3] = [JoinStatus::Pending, JoinStatus::Approved, JoinStatus::Declined];

    pub fn as_str(self) -> &'static str {
        match self {
            JoinStatus::Pending => "pending",
            JoinStatus::Approved => "approved",
            JoinStatus::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<JoinStatus> {
        JoinStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// What a person sends to join: a volunteer's data, the code sent to their
/// phone, and the password their account will have.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct JoinInput {
    #[schema(max_length = 64)]
    pub name: String,
    /// Mainland mobile; the code was sent to it.
    pub phone: String,
    /// The six digits sent by SMS (required: without it the answer is 422 `required`).
    #[serde(default)]
    #[schema(max_length = 16)]
    pub code: Option<String>,
    /// 18 characters, checksum verified; stored encrypted.
    pub id_number: String,
    /// 8–128 characters; stored only as a hash.
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
    pub unit_id: i64,
    pub community_id: i64,
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub party_member: bool,
    /// Teams the person asks to join; their leaders may approve.
    #[serde(default)]
    pub team_ids: Vec<i64>,
}

impl crate::registry::Validate for JoinInput {
    fn problems(&self) -> Invalid {
        self.check().err().unwrap_or_default()
    }
}

/// A checked application: the volunteer's rules passed, an ID number given,
/// a code of the right shape.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedJoin {
    pub volunteer: CheckedVolunteer,
    pub code: String,
}

impl JoinInput {
    /// The same input as a volunteer record, so one set of rules checks both.
    pub fn as_volunteer(&self) -> VolunteerInput {
        VolunteerInput {
            name: self.name.clone(),
            phone: self.phone.clone(),
            id_number: Some(self.id_number.clone()),
            unit_id: self.unit_id,
            community_id: self.community_id,
            team_ids: self.team_ids.clone(),
            skills: self.skills.clone(),
            party_member: self.party_member,
            ..Default::default()
        }
    }

    pub fn check(&self) -> Result<CheckedJoin, Invalid> {
        let mut e = Invalid::default();
        let volunteer = self.as_volunteer().check();
        if self.id_number.trim().is_empty() {
            e.push("id_number", "required");
        }
        let code = self.code.as_deref().map(str::trim).unwrap_or_default();
        if code.is_empty() {
            e.push("code", "required");
        } else if !is_code_shaped(code) {
            e.push("code", "code_wrong");
        }
        let pw = self.password.chars().count();
        if pw < PASSWORD_MIN {
            e.push("password", "password_short");
        } else if pw > PASSWORD_MAX || crate::validation::has_control_chars(&self.password) {
            e.push("password", "too_long");
        }
        if self.team_ids.len() > 10 {
            e.push("team_ids", "too_long");
        }
        if let Err(inv) = &volunteer {
            e.merge(inv.clone());
        }
        e.into_result()?;
        Ok(CheckedJoin { volunteer: volunteer.expect("no problems found"), code: code.to_string() })
    }
}

fn is_code_shaped(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// Six decimal digits from random bytes (the modulo bias of 2³² over 10⁶ is 0.02 %).
pub fn code_from(random: [u8; 4]) -> String {
    format!("{:06}", u32::from_le_bytes(random) % 1_000_000)
}

/// A stored code as the check finds it: its expiry and wrong tries so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredCode {
    pub expires_at: i64,
    pub attempts: i64,
}

/// Why a code that did not match was refused; each an i18n key.
pub fn refusal(stored: Option<StoredCode>, now: i64) -> &'static str {
    match stored {
        None => "code_expired",
        Some(s) if s.expires_at <= now => "code_expired",
        Some(s) if s.attempts >= MAX_CODE_ATTEMPTS => "code_attempts",
        Some(_) => "code_wrong",
    }
}

/// Whether a code may still be tried.
pub fn usable(stored: StoredCode, now: i64) -> bool {
    stored.expires_at > now && stored.attempts < MAX_CODE_ATTEMPTS
}

/// Who an application waits for: a leader of one of its teams, the liaison
/// of its unit, or the center.
pub fn may_decide(role: Role, actor_unit: Option<i64>, actor_team: Option<i64>, unit_id: i64, team_ids: &[i64]) -> bool {
    match role {
        Role::Admin | Role::Coordinator => true,
        Role::Liaison => actor_unit == Some(unit_id),
        Role::TeamLeader => actor_team.is_some_and(|t| team_ids.contains(&t)),
        Role::Volunteer | Role::Observer | Role::Viewer => false,
    }
}

/// An application as a decider sees it: the phone and ID number masked
/// unless the service revealed them to a role that may see them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Application {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub phone_masked: bool,
    pub id_number: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub community_id: i64,
    pub community_name: String,
    pub skills: Vec<String>,
    pub party_member: bool,
    pub teams: Vec<TeamRef>,
    pub status: JoinStatus,
    /// Why it was declined (told to the person), or a note on an approval.
    pub reason: Option<String>,
    #[serde(serialize_with = "crate::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: i64,
    #[serde(serialize_with = "crate::time::opt_ms_as_rfc3339")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub decided_at: Option<i64>,
    /// The volunteer record an approval created.
    pub volunteer_id: Option<i64>,
}

/// A decline must say why: the person is told.
pub fn check_reason(approve: bool, reason: Option<&str>) -> Result<(), Invalid> {
    let mut e = Invalid::default();
    if approve {
        e.optional_text("reason", reason, REASON_MAX);
    } else {
        e.text("reason", reason.unwrap_or(""), REASON_MAX);
    }
    e.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn input() -> JoinInput {
        JoinInput {
            name: "赵新".into(),
            phone: "13900001111".into(),
            code: Some("123456".into()),
            id_number: "11010519491231002X".into(),
            password: "long-enough".into(),
            unit_id: 1,
            community_id: 1,
            ..Default::default()
        }
    }

    fn fields(i: &JoinInput) -> Vec<(String, &'static str)> {
        i.check().err().unwrap_or_default().0.into_iter().map(|f| (f.field, f.code)).collect()
    }

    #[test]
    fn a_complete_application_passes() {
        let c = input().check().unwrap();
        assert_eq!((c.code.as_str(), c.volunteer.id_number.unwrap().birth_date.to_string()), ("123456", "1949-12-31".to_string()));
    }

    #[rstest]
    #[case::no_code(JoinInput { code: None, ..input() }, "code", "required")]
    #[case::letters(JoinInput { code: Some("12a456".into()), ..input() }, "code", "code_wrong")]
    #[case::no_id(JoinInput { id_number: " ".into(), ..input() }, "id_number", "required")]
    #[case::bad_id(JoinInput { id_number: "110105194912310021".into(), ..input() }, "id_number", "id_checksum")]
    #[case::short_pw(JoinInput { password: "short".into(), ..input() }, "password", "password_short")]
    #[case::bad_phone(JoinInput { phone: "12345".into(), ..input() }, "phone", "phone_format")]
    fn each_rule_names_its_field(#[case] i: JoinInput, #[case] field: &str, #[case] code: &str) {
        assert_eq!(fields(&i), vec![(field.to_string(), code)]);
    }

    #[test]
    fn codes_are_six_digits_with_leading_zeros() {
        assert_eq!(code_from([0, 0, 0, 0]), "000000");
        assert_eq!(code_from([0xff; 4]), format!("{:06}", u32::MAX % 1_000_000));
        assert!((0..50u8).map(|i| code_from([i, i.wrapping_mul(7), 3, 1])).all(|c| c.len() == 6));
    }

    #[rstest]
    #[case(None, "code_expired")]
    #[case(Some(StoredCode { expires_at: 100, attempts: 0 }), "code_expired")]
    #[case(Some(StoredCode { expires_at: 1_000, attempts: MAX_CODE_ATTEMPTS }), "code_attempts")]
    #[case(Some(StoredCode { expires_at: 1_000, attempts: 1 }), "code_wrong")]
    fn a_refused_code_says_why(#[case] stored: Option<StoredCode>, #[case] want: &str) {
        assert_eq!(refusal(stored, 100), want);
        assert_eq!(stored.is_some_and(|s| usable(s, 100)), want == "code_wrong");
    }

    #[rstest]
    #[case(Role::Coordinator, None, None, true)]
    #[case(Role::Liaison, Some(7), None, true)]
    #[case(Role::Liaison, Some(8), None, false)]
    #[case(Role::TeamLeader, None, Some(3), true)]
    #[case(Role::TeamLeader, None, Some(4), false)]
    #[case(Role::Volunteer, Some(7), Some(3), false)]
    #[case(Role::Viewer, None, None, false)]
    fn only_the_teams_leaders_the_units_liaison_or_the_center_decide(
        #[case] role: Role,
        #[case] unit: Option<i64>,
        #[case] team: Option<i64>,
        #[case] want: bool,
    ) {
        assert_eq!(may_decide(role, unit, team, 7, &[3, 5]), want);
        let scope = crate::permission::scope(role, crate::permission::Action::Write, crate::permission::Resource::Registration);
        assert!(!want || scope.allowed(), "the permission table lets every possible decider in");
    }

    #[test]
    fn a_decline_needs_a_reason_an_approval_does_not() {
        assert!(check_reason(true, None).is_ok());
        assert_eq!(check_reason(false, Some("  ")).unwrap_err().0[0].code, "required");
        assert!(check_reason(false, Some("名额已满")).is_ok());
    }
}
