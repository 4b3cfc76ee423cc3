//! Recognition on the leadership dashboard: honours issued in the period.

use serde::Deserialize;

use crate::sections::{read, rows};
use crate::stats::Filter;
use crate::{Db, Result};

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct Dashboard {
    /// Rounds that honoured someone within the filter in the period.
    pub rounds: i64,
    /// Distinct volunteers honoured, and distinct teams.
    pub volunteers: i64,
    pub teams: i64,
}

/// Honours issued within the filter's days (`a` the award, `v` its
/// volunteer, `t` its team). A volunteer's honour is in their unit, the
/// district they live in and their teams; a team's in the team's district
/// and unit. Honours carry no theme (a theme filter leaves them out). The
/// figures and the list behind them (`stats::drill`) read these rows.
pub(crate) const AWARDS: &str = "honour_awards a JOIN honour_rounds r ON r.id = a.round_id \
    LEFT JOIN volunteers v ON v.id = a.volunteer_id LEFT JOIN communities vc ON vc.id = v.community_id LEFT JOIN teams t ON t.id = a.team_id \
    WHERE a.issued_at >= $7 AND a.issued_at < $8 AND $1 <= $2 AND $6 = '' \
      AND ($3 = 0 OR COALESCE(vc.district_id, t.district_id) = $3) \
      AND ($4 = 0 OR COALESCE(v.unit_id, t.unit_id) = $4) \
      AND ($5 = 0 OR a.team_id = $5 OR EXISTS (SELECT 1 FROM volunteer_teams vt WHERE vt.volunteer_id = a.volunteer_id AND vt.team_id = $5))";

pub async fn dashboard(db: &Db, f: &Filter) -> Result<Dashboard> {
    let sql = format!(
        "SELECT COUNT(DISTINCT a.round_id) AS rounds, COUNT(DISTINCT a.volunteer_id) AS volunteers, COUNT(DISTINCT a.team_id) AS teams \
         FROM {AWARDS}"
    );
    Ok(rows::<Dashboard>(read(db, &[&sql], &f.args()).await?.pop().unwrap_or_default())?.pop().unwrap_or_default())
}
