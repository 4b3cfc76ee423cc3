//! Take-over requests (转单): a team asks to take over a need another team
//! holds, and the holder or the center decides. What a request must contain
//! and how it may end.

use serde::Serialize;
use utoipa::ToSchema;

use crate::Invalid;

pub const REASON_MAX: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TakeoverStatus {
    /// Waiting for the holder's leader or the center.
    Open,
    /// The need moved to the requesting team.
    Accepted,
    Declined,
    /// The need left the holder before anyone decided (released, completed,
    /// expired, cancelled, or taken over by another team).
    Ended,
}

impl TakeoverStatus {
    pub const ALL: [TakeoverStatus; 4] = [TakeoverStatus::Open, TakeoverStatus::Accepted, TakeoverStatus::Declined, TakeoverStatus::Ended];

    pub fn as_str(self) -> &'static str {
        match self {
            TakeoverStatus::Open => "open",
            TakeoverStatus::Accepted => "accepted",
            TakeoverStatus::Declined => "declined",
            TakeoverStatus::Ended => "ended",
        }
    }

    pub fn parse(s: &str) -> Option<TakeoverStatus> {
        TakeoverStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A request as the need's page and the API show it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TakeoverRequest {
    pub id: i64,
    pub need_id: i64,
    /// The team asking to take the need over.
    pub team_id: i64,
    pub team_name: String,
    /// The team that held the need when it was asked.
    pub holder_team_id: i64,
    pub reason: String,
    pub status: TakeoverStatus,
    pub requested_by: Option<String>,
    #[serde(serialize_with = "crate::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: i64,
}

/// The reason, trimmed, or what is wrong with it (it tells the holder why).
pub fn check_reason(reason: &str) -> Result<String, Invalid> {
    let mut e = Invalid::default();
    e.text("reason", reason, REASON_MAX);
    e.into_result().map(|_| reason.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_says_why() {
        assert_eq!(check_reason("  我们离得更近  ").unwrap(), "我们离得更近");
        let codes = |r: &str| check_reason(r).unwrap_err().0.into_iter().map(|f| (f.field, f.code)).collect::<Vec<_>>();
        assert_eq!(codes("   "), vec![("reason".to_string(), "required")]);
        assert_eq!(codes(&"长".repeat(REASON_MAX + 1)), vec![("reason".to_string(), "too_long")]);
    }

    #[test]
    fn statuses_read_back() {
        for s in TakeoverStatus::ALL {
            assert_eq!(TakeoverStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(TakeoverStatus::parse("maybe"), None);
    }
}
