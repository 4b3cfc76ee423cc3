//! One activity by id: what every sign-up, check-in and activity page reads.

use sqlx::FromRow;
use tongxing_domain::activities::{Activity, Role};

use super::Row;
use crate::activities::signups::SESSIONS_OF;
use crate::registry::volunteers::{Facts, FACTS_ON};
use crate::{Db, Result};

/// For one activity by id, which every sign-up and check-in reads: the names
/// by subqueries, an index lookup each. Joined, PostgreSQL's planner
/// seq-scans and hashes the three small tables for every one-row read.
macro_rules! one_activity {
    () => {
        columns!(
            "(SELECT t.name FROM teams t WHERE t.id = a.team_id)",
            "(SELECT c.name FROM communities c WHERE c.id = a.community_id)",
            "(SELECT p.name FROM service_projects p WHERE p.id = a.project_id)"
        )
    };
}
const ONE_BY_ID: &str = concat!(one_activity!(), " FROM activities a WHERE a.id = $1");

/// The activity's roles as one JSON array (PostgreSQL: one statement, not two).
macro_rules! roles_json {
    () => {
        "(SELECT COALESCE(json_agg(json_build_array(r.id, r.name, r.capacity, r.confirmed) ORDER BY r.id), '[]')::TEXT \
         FROM activity_roles r WHERE r.activity_id = a.id) AS roles"
    };
}
const WITH_ROLES: &str = concat!(one_activity!(), ", ", roles_json!(), " FROM activities a WHERE a.id = $1");

/// The activity with its roles, volunteer $2's facts on it and `$others`.
macro_rules! for_volunteer {
    ($others:literal) => {
        concat!(
            one_activity!(),
            ", ",
            roles_json!(),
            ", (SELECT json_build_array(v.active, v.birth_date, (SELECT s.status FROM signups s WHERE s.activity_id = a.id AND s.volunteer_id = v.id))::TEXT \
             FROM volunteers v WHERE v.id = $2) AS facts, ",
            $others,
            " AS others FROM activities a WHERE a.id = $1"
        )
    };
}
/// With the volunteer's other sign-ups that end after it starts (a sign-up's overlap rule).
const FOR_SIGN_UP: &str = for_volunteer!(
    "(SELECT COALESCE(json_agg(json_build_array(s.activity_id, s.starts_at, s.ends_at) ORDER BY s.starts_at), '[]')::TEXT \
     FROM signups s WHERE s.volunteer_id = $2 AND s.ends_at > a.starts_at AND s.status <> 'cancelled')"
);
const FOR_CHECK_IN: &str = for_volunteer!("'[]'");

/// One activity with its roles, which every sign-up and check-in reads: on
/// SQLite one direct read, on PostgreSQL one statement (the roles as JSON),
/// since each statement there is a round trip.
pub async fn get(db: &Db, id: i64) -> Result<Activity> {
    let (row, roles) = match db {
        Db::Sqlite { direct, .. } => direct.read(|c| {
            let row: Option<Row> = crate::direct::first(c, ONE_BY_ID, [id])?;
            Ok((row, crate::direct::all(c, ROLES, [id])?))
        })?,
        Db::Postgres(p) => match sqlx::query_as::<_, WithRoles>(WITH_ROLES).bind(id).fetch_optional(p).await? {
            Some(w) => (Some(w.row), json(&w.roles)?),
            None => (None, Vec::new()),
        },
    };
    let mut a: Activity = row.ok_or(crate::Error::NotFound)?.into();
    a.roles = roles.into_iter().map(|(id, name, capacity, confirmed)| Role { id, name, capacity, confirmed }).collect();
    Ok(a)
}

/// What a sign-up or check-in by `volunteer_id` is checked against, read
/// together: the activity with its roles, the volunteer's facts on it (none
/// if there is no such volunteer) and, with `sessions`, the volunteer's
/// sign-ups that end after it starts (the overlap rule). One direct read on
/// SQLite, one statement on PostgreSQL, where each statement and its
/// connection's return to the pool are round trips.
pub async fn for_volunteer(db: &Db, id: i64, volunteer_id: i64, sessions: bool) -> Result<(Activity, Option<Facts>, Vec<(i64, i64, i64)>)> {
    let (row, roles, facts, others) = match db {
        Db::Sqlite { direct, .. } => direct.read(|c| {
            let row: Option<Row> = crate::direct::first(c, ONE_BY_ID, [id])?;
            let Some(row) = row else { return Ok((None, Vec::new(), None, Vec::new())) };
            let roles = crate::direct::all(c, ROLES, [id])?;
            let facts = crate::direct::first(c, FACTS_ON, [id, volunteer_id])?;
            let others = match sessions {
                true => crate::direct::all(c, SESSIONS_OF, [volunteer_id, row.starts_at])?,
                false => Vec::new(),
            };
            Ok((Some(row), roles, facts, others))
        })?,
        Db::Postgres(p) => {
            let sql = match sessions {
                true => FOR_SIGN_UP,
                false => FOR_CHECK_IN,
            };
            match sqlx::query_as::<_, WithVolunteer>(sql).bind(id).bind(volunteer_id).fetch_optional(p).await? {
                Some(w) => (Some(w.row), json(&w.roles)?, w.facts.as_deref().map(json).transpose()?, json(&w.others)?),
                None => (None, Vec::new(), None, Vec::new()),
            }
        }
    };
    let mut a: Activity = row.ok_or(crate::Error::NotFound)?.into();
    a.roles = roles.into_iter().map(|(id, name, capacity, confirmed)| Role { id, name, capacity, confirmed }).collect();
    Ok((a, facts, others))
}

fn json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| crate::Error::Db(sqlx::Error::Decode(Box::new(e))))
}

#[derive(FromRow)]
struct WithVolunteer {
    #[sqlx(flatten)]
    row: Row,
    roles: String,
    facts: Option<String>,
    others: String,
}

#[derive(FromRow)]
struct WithRoles {
    #[sqlx(flatten)]
    row: Row,
    roles: String,
}

const ROLES: &str = "SELECT id, name, capacity, confirmed FROM activity_roles WHERE activity_id = $1 ORDER BY id";

/// The activity a QR check-in token opens.
pub async fn by_token(db: &Db, token: &str) -> Result<Activity> {
    let sql = "SELECT id FROM activities WHERE checkin_token = $1";
    let id: Option<(i64,)> = fetch_optional!(db, sql, token)?;
    get(db, id.ok_or(crate::Error::NotFound)?.0).await
}

pub async fn checkin_token(db: &Db, id: i64) -> Result<String> {
    let sql = "SELECT checkin_token FROM activities WHERE id = $1";
    let t: Option<String> = db_read!(db, |p| sqlx::query_scalar(sql).bind(id).fetch_optional(p).await?);
    t.ok_or(crate::Error::NotFound)
}

pub async fn roles(db: &Db, activity_id: i64) -> Result<Vec<Role>> {
    let rows: Vec<(i64, String, i64, i64)> = fetch_all!(db, ROLES, activity_id)?;
    Ok(rows.into_iter().map(|(id, name, capacity, confirmed)| Role { id, name, capacity, confirmed }).collect())
}
