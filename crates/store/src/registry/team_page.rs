//! A team's page: its members with the hours they served with it this year,
//! its coming and recent activities, the needs it served, and its figures —
//! read in one round like a first screen.

use serde::Deserialize;

use crate::home::{ActivityLine, NeedLine, ACTIVITY_LINE, NEED_LINE};
use crate::sections::{self, rows};
use crate::sql::Arg;
use crate::{Db, Result};

/// Which members the reader may see by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Members {
    All,
    /// Only those of this unit (a liaison sees their own unit's people).
    OfUnit(i64),
    /// Names withheld; the page shows the count alone.
    Hidden,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Member {
    pub id: i64,
    pub name: String,
    /// Hours served with this team (its activities and needs) this year.
    pub hours: f64,
}

/// This year's figures for the team.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct Figures {
    pub members: i64,
    pub activities: i64,
    pub hours: f64,
    pub needs_served: i64,
    pub needs_held: i64,
}

pub struct TeamPage {
    /// Which members `members` names.
    pub named: Members,
    pub figures: Figures,
    pub members: Vec<Member>,
    pub coming: Vec<ActivityLine>,
    pub recent: Vec<ActivityLine>,
    pub served: Vec<NeedLine>,
}

/// How many members the page lists; the full list is the volunteers page.
pub const MEMBERS_SHOWN: i64 = 200;

/// The page of team `team_id` at `now`; the year starts at `year_start`
/// (unix ms) and `year_day` (`YYYY-MM-DD`, the ledger's day).
pub async fn team_page(db: &Db, team_id: i64, members: Members, now: i64, year_start: i64, year_day: &str) -> Result<TeamPage> {
    const FIGURES: &str = "SELECT \
        (SELECT COUNT(*) FROM volunteer_teams vt JOIN volunteers v ON v.id = vt.volunteer_id WHERE vt.team_id = $1 AND v.active = TRUE) AS members, \
        (SELECT COUNT(*) FROM activities a WHERE a.team_id = $1 AND a.starts_at >= $3 AND a.starts_at < $2 AND a.cancelled_at IS NULL) AS activities, \
        (SELECT COALESCE(SUM(e.hours), 0.0) FROM hours_entries e JOIN activities a ON a.id = e.activity_id WHERE a.team_id = $1 AND e.served_on >= $4) \
        + (SELECT COALESCE(SUM(e.hours), 0.0) FROM hours_entries e JOIN needs n ON n.id = e.need_id WHERE n.team_id = $1 AND e.served_on >= $4) AS hours, \
        (SELECT COUNT(*) FROM needs n WHERE n.team_id = $1 AND n.status IN ('completed', 'rated') AND n.status_since >= $3) AS needs_served, \
        (SELECT COUNT(*) FROM needs n WHERE n.team_id = $1 AND n.status = 'claimed') AS needs_held";
    let members_sql = format!(
        "SELECT v.id AS id, v.name AS name, COALESCE((SELECT SUM(e.hours) FROM hours_entries e \
           LEFT JOIN activities a ON a.id = e.activity_id LEFT JOIN needs n ON n.id = e.need_id \
           WHERE e.volunteer_id = v.id AND e.served_on >= $4 AND (a.team_id = $1 OR n.team_id = $1)), 0.0) AS hours \
         FROM volunteer_teams vt JOIN volunteers v ON v.id = vt.volunteer_id \
         WHERE vt.team_id = $1 AND v.active = TRUE AND ($5 < 0 OR v.unit_id = $5) ORDER BY hours DESC, v.name, v.id LIMIT {MEMBERS_SHOWN}"
    );
    let coming =
        format!("{ACTIVITY_LINE} WHERE a.team_id = $1 AND a.ends_at > $2 AND a.cancelled_at IS NULL ORDER BY a.starts_at, a.id LIMIT 10");
    let recent = format!(
        "{ACTIVITY_LINE} WHERE a.team_id = $1 AND a.ends_at <= $2 AND a.cancelled_at IS NULL ORDER BY a.starts_at DESC, a.id DESC LIMIT 10"
    );
    let served =
        format!("{NEED_LINE} WHERE n.team_id = $1 AND n.status IN ('completed', 'rated') ORDER BY n.status_since DESC, n.id DESC LIMIT 10");
    let unit = match members {
        Members::All => -1,
        Members::OfUnit(u) => u,
        Members::Hidden => -1,
    };
    let mut sqls = vec![FIGURES, &coming, &recent, &served];
    if members != Members::Hidden {
        sqls.push(&members_sql);
    }
    let args = [Arg::I64(team_id), Arg::I64(now), Arg::I64(year_start), Arg::Text(year_day.to_string()), Arg::I64(unit)];
    let mut s = sections::read(db, &sqls, &args).await?.into_iter();
    let mut next = || s.next().unwrap_or_default();
    Ok(TeamPage {
        named: members,
        figures: rows::<Figures>(next())?.pop().unwrap_or_default(),
        coming: rows(next())?,
        recent: rows(next())?,
        served: rows(next())?,
        members: rows(next())?,
    })
}
