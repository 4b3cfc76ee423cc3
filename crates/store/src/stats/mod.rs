//! Counts for dashboards.

use crate::{Db, Result};

/// (districts, communities, units, teams, volunteers, party-member volunteers, beneficiaries), active only.
pub async fn registry_counts(db: &Db) -> Result<[i64; 7]> {
    let sql = "SELECT \
        (SELECT COUNT(*) FROM districts WHERE active = TRUE), \
        (SELECT COUNT(*) FROM communities WHERE active = TRUE), \
        (SELECT COUNT(*) FROM units WHERE active = TRUE), \
        (SELECT COUNT(*) FROM teams WHERE active = TRUE), \
        (SELECT COUNT(*) FROM volunteers WHERE active = TRUE), \
        (SELECT COUNT(*) FROM volunteers WHERE active = TRUE AND party_member = TRUE), \
        (SELECT COUNT(*) FROM beneficiaries WHERE active = TRUE)";
    let r: (i64, i64, i64, i64, i64, i64, i64) = db_read!(db, |p| sqlx::query_as(sql).fetch_one(p).await?);
    Ok([r.0, r.1, r.2, r.3, r.4, r.5, r.6])
}

pub mod closing;
pub mod drill;
pub mod figures;
pub(crate) mod fill;
mod firsts;
pub mod held;
pub mod pending;
mod people;
pub mod rollup;
pub mod series;
pub mod tables;
pub(crate) mod windows;

use crate::sql::Arg;

/// What every dashboard read is narrowed by. Zero and blank mean "any".
/// Days are `YYYY-MM-DD` (ledger entries by `served_on`); `from_ms`/`until_ms`
/// bound the same days in time (activities by start, needs by completion),
/// `until_ms` excluded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filter {
    pub from: String,
    pub to: String,
    pub from_ms: i64,
    pub until_ms: i64,
    pub district_id: i64,
    pub unit_id: i64,
    pub team_id: i64,
    pub theme: String,
}

/// The ledger entries with what they were served in: an activity or a need.
const SERVED_IN: &str = "hours_entries e LEFT JOIN activities a ON a.id = e.activity_id LEFT JOIN needs n ON n.id = e.need_id";

impl Filter {
    /// The period's ledger entries (`FROM … WHERE …`), attributed at the time
    /// of service: each entry carries the team, district and theme of the
    /// activity (or need) it was served in and the unit of the volunteer
    /// who served it (migration 0033), as the rollups key them. The activity
    /// and need are joined only when `joined` (a list's titles, a
    /// breakdown's names). A filter left out still names its argument
    /// (`$3 = 0`), so the statement binds the same arguments either way.
    fn entries(&self, joined: bool) -> String {
        self.entries_joining(joined, "")
    }

    /// The same with `join` (more tables, for a breakdown) before the WHERE.
    fn entries_joining(&self, joined: bool, join: &str) -> String {
        let from = if joined { SERVED_IN } else { "hours_entries e" };
        let pick = |on: bool, clause: &'static str, off: &'static str| if on { clause } else { off };
        format!(
            "{from} {join} WHERE e.served_on >= $1 AND e.served_on <= $2 AND {} AND {} AND {} AND {}",
            pick(self.district_id != 0, "e.district_id = $3", "$3 = 0"),
            pick(self.unit_id != 0, "e.unit_id = $4", "$4 = 0"),
            pick(self.team_id != 0, "e.team_id = $5", "$5 = 0"),
            pick(!self.theme.is_empty(), "e.theme = $6", "$6 = ''"),
        )
    }

    /// `$1 … $8` in the order the statements below (and each capability's
    /// dashboard reads) use them.
    pub(crate) fn args(&self) -> Vec<Arg> {
        vec![
            Arg::Text(self.from.clone()),
            Arg::Text(self.to.clone()),
            Arg::I64(self.district_id),
            Arg::I64(self.unit_id),
            Arg::I64(self.team_id),
            Arg::Text(self.theme.clone()),
            Arg::I64(self.from_ms),
            Arg::I64(self.until_ms),
        ]
    }
}

/// The activities starting in the period, not cancelled; a unit's are those
/// its volunteers have hours in (their unit when they served).
const ACTIVITY_WHERE: &str = "a.cancelled_at IS NULL AND a.starts_at >= $7 AND a.starts_at < $8 \
    AND ($3 = 0 OR a.district_id = $3) AND ($5 = 0 OR a.team_id = $5) AND ($6 = '' OR a.theme = $6) \
    AND ($4 = 0 OR EXISTS (SELECT 1 FROM hours_entries ue WHERE ue.activity_id = a.id AND ue.unit_id = $4))";

/// The needs completed in the period (by their completion step); needs carry
/// no theme, so a theme filter leaves them out; a unit's are those its
/// volunteers have hours in.
const COMPLETED_WHERE: &str = "c.status = 'completed' AND c.at >= $7 AND c.at < $8 AND $6 = '' \
    AND ($3 = 0 OR n.district_id = $3) AND ($5 = 0 OR n.team_id = $5) \
    AND ($4 = 0 OR EXISTS (SELECT 1 FROM hours_entries ue WHERE ue.need_id = n.id AND ue.unit_id = $4))";

/// Emergency calls made in the period; a call is the district's it was sent
/// to and each unit's it asked for people; calls have no team or theme.
const CALLS_WHERE: &str = "d.created_at >= $7 AND d.created_at < $8 AND $5 = 0 AND $6 = '' \
    AND ($3 = 0 OR d.district_id = $3) \
    AND ($4 = 0 OR EXISTS (SELECT 1 FROM dispatch_units du WHERE du.dispatch_id = d.id AND du.unit_id = $4))";
