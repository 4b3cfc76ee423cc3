//! What the dispatch ranking keeps in memory about every volunteer, read in
//! full once and then only for those changed since a watermark.

use sqlx::FromRow;

use crate::{Db, Result};

/// One volunteer as the ranking needs them; `lat`/`lng` are their community's.
#[derive(Debug, Clone, FromRow)]
pub struct PersonRow {
    pub id: i64,
    pub unit_id: i64,
    pub lat: f64,
    pub lng: f64,
    pub active: bool,
    pub birth_date: Option<String>,
    pub last_called_at: Option<i64>,
    pub invited: Option<i64>,
    pub accepted: Option<i64>,
}

const PEOPLE: &str = "SELECT v.id, v.unit_id, c.lat, c.lng, v.active, v.birth_date, s.last_called_at, s.invited, s.accepted \
                      FROM volunteers v JOIN communities c ON c.id = v.community_id LEFT JOIN volunteer_call_stats s ON s.volunteer_id = v.id";

/// Volunteers changed (registry or call statistics) at or after `since`,
/// and everyone confirmed or withdrawn on a call that changed since then
/// (an answer, a standby moving up, a liaison's commitment): their latest
/// confirmed call may have changed.
const CHANGED: &str =
    "SELECT id FROM volunteers WHERE updated_at >= $1 UNION SELECT volunteer_id FROM volunteer_call_stats WHERE updated_at >= $1 \
                       UNION SELECT r.volunteer_id FROM dispatches d JOIN dispatch_responses r ON r.dispatch_id = d.id \
                       WHERE d.updated_at >= $1 AND r.status IN ('confirmed', 'withdrawn')";

/// When each volunteer's latest call they are confirmed on ends: the
/// ranking rests people by it.
const SERVED: &str = "SELECT r.volunteer_id, MAX(d.ends_at) FROM dispatch_responses r JOIN dispatches d ON d.id = r.dispatch_id \
                      WHERE r.status = 'confirmed'";

/// The pool's read: people, their skills and when their latest confirmed
/// call ends, as `(volunteer_id, …)` pairs.
pub struct PoolRead {
    pub people: Vec<PersonRow>,
    pub skills: Vec<(i64, String)>,
    pub served_until: Vec<(i64, i64)>,
}

/// Everyone.
pub async fn everyone(db: &Db) -> Result<PoolRead> {
    let people = db_read!(db, |p| sqlx::query_as(PEOPLE).fetch_all(p).await?);
    let skills = db_read!(db, |p| sqlx::query_as("SELECT volunteer_id, skill FROM volunteer_skills").fetch_all(p).await?);
    let served_sql = format!("{SERVED} GROUP BY r.volunteer_id");
    let served_until = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*served_sql)).fetch_all(p).await?);
    Ok(PoolRead { people, skills, served_until })
}

/// Those changed at or after `since` (unix ms).
pub async fn changed_since(db: &Db, since: i64) -> Result<PoolRead> {
    let people_sql = format!("{PEOPLE} WHERE v.id IN ({CHANGED})");
    let skills_sql = format!("SELECT volunteer_id, skill FROM volunteer_skills WHERE volunteer_id IN ({CHANGED})");
    let served_sql = format!("{SERVED} AND r.volunteer_id IN ({CHANGED}) GROUP BY r.volunteer_id");
    let people = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*people_sql)).bind(since).fetch_all(p).await?);
    let skills = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*skills_sql)).bind(since).fetch_all(p).await?);
    let served_until = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*served_sql)).bind(since).fetch_all(p).await?);
    Ok(PoolRead { people, skills, served_until })
}

/// Every skill someone in the region has, by name: what a call may ask for
/// (one read of the skill index).
pub async fn skill_names(db: &Db) -> Result<Vec<String>> {
    let sql = "SELECT DISTINCT skill FROM volunteer_skills ORDER BY skill LIMIT 500";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).fetch_all(p).await?))
}

/// Volunteers with a place elsewhere during `[starts, ends)`: confirmed or
/// waitlisted on an activity (a call's confirmed people are its backing
/// activity's sign-ups), or on standby for another open call.
pub async fn busy(db: &Db, starts: i64, ends: i64) -> Result<Vec<i64>> {
    let sql = "SELECT volunteer_id FROM signups WHERE status IN ('confirmed', 'waitlisted') AND starts_at < $2 AND ends_at > $1 \
               UNION SELECT r.volunteer_id FROM dispatch_responses r JOIN dispatches d ON d.id = r.dispatch_id \
               WHERE r.status = 'standby' AND d.status <> 'closed' AND d.starts_at < $2 AND d.ends_at > $1";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(starts).bind(ends).fetch_all(p).await?))
}

/// The first active team of the first of `units` that has one, else of the district.
pub async fn lead_team(db: &Db, units: &[i64], district_id: i64) -> Result<Option<i64>> {
    for &u in units {
        let sql = "SELECT id FROM teams WHERE unit_id = $1 AND active = TRUE ORDER BY id LIMIT 1";
        if let Some(t) = db_read!(db, |p| sqlx::query_scalar(sql).bind(u).fetch_optional(p).await?) {
            return Ok(Some(t));
        }
    }
    let sql = "SELECT id FROM teams WHERE district_id = $1 AND active = TRUE ORDER BY id LIMIT 1";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(district_id).fetch_optional(p).await?))
}
