//! The figures of the record a round can weigh, one query per measure over a
//! period, each grouped by volunteer, and who may stand as a candidate.

use sqlx::FromRow;

use crate::{Db, Result};

/// One record-backed measure: `$1`/`$2` are the period's first and last day
/// (YYYY-MM-DD), `$3`/`$4` the same span in unix ms; it yields (volunteer, figure).
/// Each text names all four (a trivial `$1 <= $2` or `$3 <= $4` where one pair
/// is unused) so PostgreSQL can type every parameter.
/// `$1`/`$2` are the period's first and last day, `$3`/`$4` its bounds in
/// unix ms (the second excluded); every measure names all four. A
/// capability's own measure lives in its store folder.
pub struct Measure(pub &'static str);

/// Confirmed hours served in the period (corrections included).
pub const HOURS: Measure = Measure(
    "SELECT volunteer_id, SUM(hours) FROM hours_entries WHERE served_on >= $1 AND served_on <= $2 AND $3 <= $4 GROUP BY volunteer_id",
);
/// Activities with hours credited in the period.
pub const ACTIVITIES: Measure = Measure(
    "SELECT volunteer_id, CAST(COUNT(DISTINCT activity_id) AS DOUBLE PRECISION) FROM hours_entries \
     WHERE served_on >= $1 AND served_on <= $2 AND $3 <= $4 AND activity_id IS NOT NULL GROUP BY volunteer_id",
);
/// Needs served with hours credited in the period.
pub const NEEDS_SERVED: Measure = Measure(
    "SELECT volunteer_id, CAST(COUNT(DISTINCT need_id) AS DOUBLE PRECISION) FROM hours_entries \
     WHERE served_on >= $1 AND served_on <= $2 AND $3 <= $4 AND need_id IS NOT NULL GROUP BY volunteer_id",
);
/// The average rating (1–5 stars) of the needs served in the period that were rated.
pub const NEED_RATING: Measure = Measure(
    "SELECT e.volunteer_id, AVG(CAST(n.rating_stars AS DOUBLE PRECISION)) FROM \
     (SELECT DISTINCT volunteer_id, need_id FROM hours_entries WHERE served_on >= $1 AND served_on <= $2 AND $3 <= $4 AND need_id IS NOT NULL) e \
     JOIN needs n ON n.id = e.need_id WHERE n.rating_stars IS NOT NULL GROUP BY e.volunteer_id",
);
/// Emergency calls of the period the volunteer said yes to (confirmed or on standby).
pub const EMERGENCY_ANSWERED: Measure = Measure(
    "SELECT r.volunteer_id, CAST(COUNT(*) AS DOUBLE PRECISION) FROM dispatch_responses r JOIN dispatches d ON d.id = r.dispatch_id \
     WHERE $1 <= $2 AND d.starts_at >= $3 AND d.starts_at < $4 AND r.status IN ('confirmed', 'standby') GROUP BY r.volunteer_id",
);
/// Emergency calls of the period the volunteer was confirmed on.
pub const EMERGENCY_ATTENDED: Measure = Measure(
    "SELECT r.volunteer_id, CAST(COUNT(*) AS DOUBLE PRECISION) FROM dispatch_responses r JOIN dispatches d ON d.id = r.dispatch_id \
     WHERE $1 <= $2 AND d.starts_at >= $3 AND d.starts_at < $4 AND r.status = 'confirmed' GROUP BY r.volunteer_id",
);

/// A period as the measures read it.
#[derive(Debug, Clone)]
pub struct Period {
    pub first_day: String,
    pub last_day: String,
    pub from_ms: i64,
    pub until_ms: i64,
}

/// (volunteer, figure) for every volunteer with a figure in the period.
pub async fn read(db: &Db, m: &Measure, p: &Period) -> Result<Vec<(i64, f64)>> {
    let rows: Vec<(i64, Option<f64>)> =
        db_read!(db, |c| sqlx::query_as(m.0).bind(&p.first_day).bind(&p.last_day).bind(p.from_ms).bind(p.until_ms).fetch_all(c).await?);
    Ok(rows.into_iter().map(|(v, f)| (v, f.unwrap_or(0.0))).collect())
}

/// A person or team that may stand, with its quota group (unit or district) and its name.
#[derive(Debug, Clone, FromRow)]
pub struct Subject {
    pub id: i64,
    pub name: String,
    pub group_id: i64,
    pub group_name: String,
    pub active: bool,
    pub real_name: bool,
}

pub async fn volunteers(db: &Db) -> Result<Vec<Subject>> {
    let sql = "SELECT v.id, v.name, v.unit_id AS group_id, u.name AS group_name, v.active, v.id_number_hash IS NOT NULL AS real_name \
               FROM volunteers v JOIN units u ON u.id = v.unit_id ORDER BY v.id";
    db_read!(db, |p| Ok(sqlx::query_as(sql).fetch_all(p).await?))
}

/// One volunteer as a candidate (what eligibility of a nominee reads).
pub async fn volunteer(db: &Db, id: i64) -> Result<Vec<Subject>> {
    let sql = "SELECT v.id, v.name, v.unit_id AS group_id, u.name AS group_name, v.active, v.id_number_hash IS NOT NULL AS real_name \
               FROM volunteers v JOIN units u ON u.id = v.unit_id WHERE v.id = $1";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(id).fetch_all(p).await?))
}

pub async fn teams(db: &Db) -> Result<Vec<Subject>> {
    let sql = "SELECT t.id, t.name, t.district_id AS group_id, d.name AS group_name, t.active, t.active AS real_name \
               FROM teams t JOIN districts d ON d.id = t.district_id ORDER BY t.id";
    db_read!(db, |p| Ok(sqlx::query_as(sql).fetch_all(p).await?))
}

/// (team, volunteer) for every membership.
pub async fn memberships(db: &Db) -> Result<Vec<(i64, i64)>> {
    db_read!(db, |p| Ok(sqlx::query_as("SELECT team_id, volunteer_id FROM volunteer_teams").fetch_all(p).await?))
}

/// The teams a volunteer belongs to.
pub async fn teams_of(db: &Db, volunteer_id: i64) -> Result<Vec<i64>> {
    let sql = "SELECT team_id FROM volunteer_teams WHERE volunteer_id = $1";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(volunteer_id).fetch_all(p).await?))
}

/// The volunteers (or teams) an objection was upheld against in the period:
/// a dispute found against them, which bars them from a round.
pub async fn upheld_against(db: &Db, teams: bool, p: &Period) -> Result<Vec<i64>> {
    let sql = if teams {
        "SELECT DISTINCT n.team_id FROM honour_objections o JOIN honour_nominations n ON n.id = o.nomination_id \
         WHERE o.status = 'upheld' AND o.resolved_at >= $1 AND o.resolved_at < $2 AND n.team_id IS NOT NULL"
    } else {
        "SELECT DISTINCT n.volunteer_id FROM honour_objections o JOIN honour_nominations n ON n.id = o.nomination_id \
         WHERE o.status = 'upheld' AND o.resolved_at >= $1 AND o.resolved_at < $2 AND n.volunteer_id IS NOT NULL"
    };
    db_read!(db, |c| Ok(sqlx::query_scalar(sql).bind(p.from_ms).bind(p.until_ms).fetch_all(c).await?))
}

/// The volunteers of a unit (a liaison's reach when nominating).
pub async fn volunteers_of_unit(db: &Db, unit_id: i64) -> Result<Vec<i64>> {
    db_read!(db, |p| Ok(sqlx::query_scalar("SELECT id FROM volunteers WHERE unit_id = $1").bind(unit_id).fetch_all(p).await?))
}

/// The members of a team (a leader's reach when nominating).
pub async fn members_of_team(db: &Db, team_id: i64) -> Result<Vec<i64>> {
    let sql = "SELECT volunteer_id FROM volunteer_teams WHERE team_id = $1";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(team_id).fetch_all(p).await?))
}

/// The teams of a unit.
pub async fn teams_of_unit(db: &Db, unit_id: i64) -> Result<Vec<i64>> {
    db_read!(db, |p| Ok(sqlx::query_scalar("SELECT id FROM teams WHERE unit_id = $1").bind(unit_id).fetch_all(p).await?))
}
