//! The first screens of a team leader, a unit's liaison and the center.

use serde::Deserialize;

use super::{ActivityLine, NeedLine, ACTIVITY_LINE, NEED_LINE};
use crate::sections::{self, rows};
use crate::sql::Arg;
use crate::{Db, Result};

/// An open dispute on one of the team's (or any, for the center) ledger entries.
#[derive(Debug, Clone, Deserialize)]
pub struct DisputeLine {
    pub id: i64,
    pub volunteer_id: i64,
    pub volunteer: String,
    pub what: Option<String>,
    pub created_at: i64,
}

const OPEN_DISPUTES: &str = "SELECT d.id AS id, d.volunteer_id AS volunteer_id, v.name AS volunteer, COALESCE(a.title, n.title) AS what, \
    d.created_at AS created_at FROM hours_disputes d JOIN hours_entries e ON e.id = d.entry_id JOIN volunteers v ON v.id = d.volunteer_id \
    LEFT JOIN activities a ON a.id = e.activity_id LEFT JOIN needs n ON n.id = e.need_id WHERE d.status = 'open'";

pub struct Leader {
    pub team: String,
    pub claimable: Vec<NeedLine>,
    pub held: Vec<NeedLine>,
    /// From the start of today to seven days on.
    pub week: Vec<ActivityLine>,
    /// Ended, with check-ins, hours not yet confirmed.
    pub to_confirm: Vec<ActivityLine>,
    pub disputes: Vec<DisputeLine>,
}

#[derive(Deserialize)]
struct Name {
    name: String,
}

/// A leader's screen: needs the team may claim now (fitting: the team's
/// district and category; most urgent first), needs it holds (longest
/// waiting first), the week's activities, attendance to confirm, disputes.
pub async fn leader(db: &Db, team_id: i64, now: i64, today: i64, week_end: i64) -> Result<Option<Leader>> {
    const TEAM: &str = "SELECT name FROM teams WHERE id = $1";
    let claimable = format!(
        "{NEED_LINE} JOIN teams f ON f.id = $1 WHERE n.status = 'published' AND n.district_id = f.district_id \
         AND n.category = f.category ORDER BY n.warning_level DESC, n.status_since, n.id LIMIT 8"
    );
    let held = format!("{NEED_LINE} WHERE n.team_id = $1 AND n.status = 'claimed' ORDER BY n.status_since, n.id LIMIT 8");
    let week = format!(
        "{ACTIVITY_LINE} WHERE a.team_id = $1 AND a.starts_at >= $3 AND a.starts_at < $4 AND a.cancelled_at IS NULL \
         ORDER BY a.starts_at, a.id LIMIT 12"
    );
    let to_confirm = format!(
        "{ACTIVITY_LINE} WHERE a.team_id = $1 AND a.ends_at <= $2 AND a.hours_confirmed_at IS NULL AND a.cancelled_at IS NULL \
         AND EXISTS (SELECT 1 FROM attendance t WHERE t.activity_id = a.id) ORDER BY a.starts_at DESC, a.id LIMIT 5"
    );
    let disputes = format!("{OPEN_DISPUTES} AND COALESCE(a.team_id, n.team_id) = $1 ORDER BY d.id LIMIT 5");
    let args = [Arg::I64(team_id), Arg::I64(now), Arg::I64(today), Arg::I64(week_end)];
    let mut s = sections::read(db, &[TEAM, &claimable, &held, &week, &to_confirm, &disputes], &args).await?.into_iter();
    let mut next = || s.next().unwrap_or_default();
    let Some(team) = rows::<Name>(next())?.pop() else { return Ok(None) };
    Ok(Some(Leader {
        team: team.name,
        claimable: rows(next())?,
        held: rows(next())?,
        week: rows(next())?,
        to_confirm: rows(next())?,
        disputes: rows(next())?,
    }))
}

/// An emergency call that is not closed, with its fill; for a liaison, their
/// unit's quota and how many of the unit are confirmed.
#[derive(Debug, Clone, Deserialize)]
pub struct CallLine {
    pub id: i64,
    pub title: String,
    pub starts_at: i64,
    pub status: String,
    pub needed: i64,
    pub confirmed: i64,
    pub standby: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct UnitCall {
    pub id: i64,
    pub title: String,
    pub starts_at: i64,
    pub quota: i64,
    pub committed: i64,
}

pub struct Liaison {
    pub unit: String,
    pub calls: Vec<UnitCall>,
    pub needs: Vec<NeedLine>,
}

#[derive(Deserialize)]
struct Unit {
    name: String,
}

/// A liaison's screen, their unit only: the calls asking it and the needs its
/// teams hold. Its figures are `unit_figures`, read apart because they may be
/// served from a cache.
pub async fn liaison(db: &Db, unit_id: i64) -> Result<Option<Liaison>> {
    const UNIT: &str = "SELECT u.name AS name FROM units u WHERE u.id = $1";
    const CALLS: &str = "SELECT d.id AS id, d.title AS title, d.starts_at AS starts_at, q.quota AS quota, \
        (SELECT COUNT(*) FROM dispatch_responses r WHERE r.dispatch_id = d.id AND r.unit_id = q.unit_id AND r.status = 'confirmed') AS committed \
        FROM dispatch_units q JOIN dispatches d ON d.id = q.dispatch_id WHERE q.unit_id = $1 AND d.status <> 'closed' \
        ORDER BY d.starts_at, d.id LIMIT 8";
    let needs = format!(
        "{NEED_LINE} WHERE n.status = 'claimed' AND n.team_id IN (SELECT id FROM teams WHERE unit_id = $1) \
         ORDER BY n.warning_level DESC, n.status_since, n.id LIMIT 8"
    );
    let mut s = sections::read(db, &[UNIT, CALLS, &needs], &[Arg::I64(unit_id)]).await?.into_iter();
    let mut next = || s.next().unwrap_or_default();
    let Some(u) = rows::<Unit>(next())?.pop() else { return Ok(None) };
    Ok(Some(Liaison { unit: u.name, calls: rows(next())?, needs: rows(next())? }))
}

/// A unit's active volunteers and their hours since `month` (a region day, `YYYY-MM-DD`).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct UnitFigures {
    pub volunteers: i64,
    pub hours: f64,
}

pub async fn unit_figures(db: &Db, unit_id: i64, month: &str) -> Result<UnitFigures> {
    const FIGURES: &str = "SELECT \
        (SELECT COUNT(*) FROM volunteers v WHERE v.unit_id = $1 AND v.active = TRUE) AS volunteers, \
        (SELECT COALESCE(SUM(e.hours), 0.0) FROM volunteers v JOIN hours_entries e ON e.volunteer_id = v.id \
          WHERE v.unit_id = $1 AND e.served_on >= $2) AS hours";
    let mut s = sections::read(db, &[FIGURES], &[Arg::I64(unit_id), Arg::Text(month.to_string())]).await?.into_iter();
    Ok(rows::<UnitFigures>(s.next().unwrap_or_default())?.pop().unwrap_or_default())
}

pub struct Center {
    /// Waiting needs (not yet served) by warning level.
    pub waiting_by_level: Vec<(i64, i64)>,
    pub calls: Vec<CallLine>,
    /// Deliveries given up on, and those waiting to be tried again.
    pub dead_deliveries: i64,
    pub failing_deliveries: i64,
    pub open_disputes: i64,
    pub today: Vec<ActivityLine>,
}

#[derive(Deserialize)]
struct Level {
    level: i64,
    n: i64,
}

#[derive(Deserialize)]
struct Counts {
    dead: i64,
    failing: i64,
    disputes: i64,
}

/// The center's screen (the viewer's figures too): waiting needs by level,
/// calls not closed, deliveries that failed, open disputes, today's activities.
pub async fn center(db: &Db, today: i64, tomorrow: i64) -> Result<Center> {
    const LEVELS: &str = "SELECT warning_level AS level, COUNT(*) AS n FROM needs \
        WHERE status IN ('submitted', 'published', 'claimed') GROUP BY warning_level ORDER BY warning_level";
    const CALLS: &str = "SELECT id, title, starts_at, status, needed, confirmed, standby FROM dispatches \
        WHERE status <> 'closed' ORDER BY starts_at, id LIMIT 8";
    const COUNTS: &str = "SELECT \
        (SELECT COUNT(*) FROM outbox WHERE status = 'dead') AS dead, \
        (SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND attempts > 0) AS failing, \
        (SELECT COUNT(*) FROM hours_disputes WHERE status = 'open') AS disputes";
    let today_sql = format!(
        "{ACTIVITY_LINE} WHERE a.starts_at >= $1 AND a.starts_at < $2 AND a.cancelled_at IS NULL ORDER BY a.starts_at, a.id LIMIT 10"
    );
    let mut s = sections::read(db, &[LEVELS, CALLS, COUNTS, &today_sql], &[Arg::I64(today), Arg::I64(tomorrow)]).await?.into_iter();
    let mut next = || s.next().unwrap_or_default();
    let levels: Vec<Level> = rows(next())?;
    let calls = rows(next())?;
    let counts = rows::<Counts>(next())?.pop().unwrap_or(Counts { dead: 0, failing: 0, disputes: 0 });
    Ok(Center {
        waiting_by_level: levels.into_iter().map(|l| (l.level, l.n)).collect(),
        calls,
        dead_deliveries: counts.dead,
        failing_deliveries: counts.failing,
        open_disputes: counts.disputes,
        today: rows(next())?,
    })
}
