//! Terms and their classes, with each class's live enrolled and waitlisted counts.

use sqlx::FromRow;
use tongxing_domain::childcare::classes::{Class, ClassInput, Term};

use crate::{now_ms, Db, Result};

/// A checked class ready to store: the input with its trimmed texts.
pub struct NewClass<'a> {
    pub input: &'a ClassInput,
    pub name: String,
    pub address: Option<String>,
    pub daily_from: String,
    pub daily_to: String,
}

pub async fn create_term(db: &Db, name: &str, starts_on: &str, ends_on: &str) -> Result<i64> {
    let sql = "INSERT INTO childcare_terms (name, starts_on, ends_on, created_at) VALUES ($1, $2, $3, $4) RETURNING id";
    db_write!(db, |p| Ok(sqlx::query_scalar(sql).bind(name).bind(starts_on).bind(ends_on).bind(now_ms()).fetch_one(p).await?))
}

/// Every term, latest first (there are two a year).
pub async fn terms(db: &Db) -> Result<Vec<Term>> {
    let sql = "SELECT t.id, t.name, t.starts_on, t.ends_on, (SELECT COUNT(*) FROM childcare_classes c WHERE c.term_id = t.id) AS classes \
               FROM childcare_terms t ORDER BY t.starts_on DESC, t.id DESC";
    let rows: Vec<(i64, String, String, String, i64)> = fetch_all!(db, sql)?;
    Ok(rows.into_iter().map(|(id, name, starts_on, ends_on, classes)| Term { id, name, starts_on, ends_on, classes }).collect())
}

pub async fn term(db: &Db, id: i64) -> Result<Term> {
    terms(db).await?.into_iter().find(|t| t.id == id).ok_or(crate::Error::NotFound)
}

/// Copies the classes of term `from` into term `to` as its template: the
/// same places, ages, hours, capacity, ratio, head and team, nobody enrolled.
pub async fn copy_classes(db: &Db, from: i64, to: i64) -> Result<u64> {
    let sql = "INSERT INTO childcare_classes (term_id, name, community_id, address, min_age, max_age, capacity, children_per_caretaker, \
               daily_from, daily_to, head_volunteer_id, team_id, created_at) \
               SELECT $1, name, community_id, address, min_age, max_age, capacity, children_per_caretaker, daily_from, daily_to, \
               head_volunteer_id, team_id, $2 FROM childcare_classes WHERE term_id = $3 ORDER BY id";
    db_write!(db, |p| Ok(sqlx::query(sql).bind(to).bind(now_ms()).bind(from).execute(p).await?.rows_affected()))
}

pub async fn create_class(db: &Db, c: &NewClass<'_>) -> Result<i64> {
    let sql = "INSERT INTO childcare_classes (term_id, name, community_id, address, min_age, max_age, capacity, children_per_caretaker, \
               daily_from, daily_to, head_volunteer_id, team_id, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id";
    let i = c.input;
    db_write!(db, |p| Ok(sqlx::query_scalar(sql)
        .bind(i.term_id)
        .bind(&c.name)
        .bind(i.community_id)
        .bind(&c.address)
        .bind(i.min_age)
        .bind(i.max_age)
        .bind(i.capacity)
        .bind(i.children_per_caretaker)
        .bind(&c.daily_from)
        .bind(&c.daily_to)
        .bind(i.head_volunteer_id)
        .bind(i.team_id)
        .bind(now_ms())
        .fetch_one(p)
        .await?))
}

#[derive(FromRow, serde::Deserialize)]
struct Row {
    id: i64,
    term_id: i64,
    term_name: String,
    starts_on: String,
    ends_on: String,
    name: String,
    community_id: i64,
    community_name: String,
    address: Option<String>,
    min_age: i64,
    max_age: i64,
    capacity: i64,
    children_per_caretaker: i64,
    daily_from: String,
    daily_to: String,
    head_volunteer_id: Option<i64>,
    head_name: Option<String>,
    team_id: Option<i64>,
    enrolled: i64,
    waitlisted: i64,
}

impl From<Row> for Class {
    fn from(r: Row) -> Class {
        Class {
            id: r.id,
            term_id: r.term_id,
            term_name: r.term_name,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            name: r.name,
            community_id: r.community_id,
            community_name: r.community_name,
            address: r.address,
            min_age: r.min_age,
            max_age: r.max_age,
            capacity: r.capacity,
            children_per_caretaker: r.children_per_caretaker,
            daily_from: r.daily_from,
            daily_to: r.daily_to,
            head_volunteer_id: r.head_volunteer_id,
            head_name: r.head_name,
            team_id: r.team_id,
            enrolled: r.enrolled,
            waitlisted: r.waitlisted,
        }
    }
}

/// The class columns every read takes, as a literal the queries below extend.
macro_rules! select {
    () => {
        "SELECT k.id, k.term_id, t.name AS term_name, t.starts_on, t.ends_on, k.name, k.community_id, \
    c.name AS community_name, k.address, k.min_age, k.max_age, k.capacity, k.children_per_caretaker, k.daily_from, k.daily_to, \
    k.head_volunteer_id, v.name AS head_name, k.team_id, k.enrolled, k.waitlisted \
    FROM childcare_classes k JOIN childcare_terms t ON t.id = k.term_id JOIN communities c ON c.id = k.community_id \
    LEFT JOIN volunteers v ON v.id = k.head_volunteer_id"
    };
}

/// The classes of a term (or of every term), by name.
pub async fn list(db: &Db, term_id: Option<i64>) -> Result<Vec<Class>> {
    let rows: Vec<Row> = match term_id {
        Some(t) => fetch_all!(db, concat!(select!(), " WHERE k.term_id = $1 ORDER BY k.id"), t)?,
        None => fetch_all!(db, concat!(select!(), " ORDER BY t.starts_on DESC, k.id"))?,
    };
    Ok(rows.into_iter().map(Class::from).collect())
}

pub async fn get(db: &Db, id: i64) -> Result<Class> {
    let row: Option<Row> = fetch_optional!(db, concat!(select!(), " WHERE k.id = $1"), id)?;
    row.map(Class::from).ok_or(crate::Error::NotFound)
}

/// The classes running on `day` that `volunteer` heads or has a confirmed
/// shift in, with whether they head it: what the volunteer may see that day.
pub async fn on_duty(db: &Db, volunteer: i64, day: &str) -> Result<Vec<(i64, bool)>> {
    let sql = "SELECT k.id, TRUE AS head FROM childcare_classes k JOIN childcare_terms t ON t.id = k.term_id \
               WHERE k.head_volunteer_id = $1 AND t.starts_on <= $2 AND t.ends_on >= $2 \
               UNION SELECT s.class_id, FALSE FROM childcare_shifts s JOIN signups g ON g.activity_id = s.activity_id \
               WHERE s.day = $2 AND g.volunteer_id = $1 AND g.status = 'confirmed'";
    let rows: Vec<(i64, bool)> = fetch_all!(db, sql, volunteer, day)?;
    Ok(rows)
}

/// Links a class day to the activity that is its caretaker shift.
pub async fn link_shift(db: &Db, class_id: i64, day: &str, activity_id: i64) -> Result<()> {
    let sql = "INSERT INTO childcare_shifts (class_id, day, activity_id) VALUES ($1, $2, $3)";
    db_write!(db, |p| {
        sqlx::query(sql).bind(class_id).bind(day).bind(activity_id).execute(p).await?;
    });
    Ok(())
}

/// The shift activity of each of a class's days from `from` on.
pub async fn shifts(db: &Db, class_id: i64, from: &str) -> Result<Vec<(String, i64, i64, i64)>> {
    let sql = "SELECT s.day, s.activity_id, a.capacity, a.confirmed FROM childcare_shifts s JOIN activities a ON a.id = s.activity_id \
               WHERE s.class_id = $1 AND s.day >= $2 ORDER BY s.day";
    fetch_all!(db, sql, class_id, from)
}

/// The region's programme today: classes meeting, children in now, alerts raised.
pub async fn today(db: &Db, day: &str) -> Result<(i64, i64, i64)> {
    let sql = "SELECT (SELECT COUNT(*) FROM childcare_classes k JOIN childcare_terms t ON t.id = k.term_id \
               WHERE t.starts_on <= $1 AND t.ends_on >= $1), \
               (SELECT COUNT(*) FROM childcare_attendance WHERE day = $1 AND kind = 'in') - \
               (SELECT COUNT(*) FROM childcare_attendance WHERE day = $1 AND kind = 'out'), \
               (SELECT COUNT(*) FROM childcare_alerts WHERE day = $1)";
    Ok(fetch_optional!(db, sql, day)?.unwrap_or((0, 0, 0)))
}

/// Names of classes by id, for the classes a volunteer is on duty in.
pub async fn names(db: &Db, ids: &[i64]) -> Result<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT id, name FROM childcare_classes WHERE id IN ({}) ORDER BY id", crate::sql::placeholders(1, ids.len()));
    let args: Vec<crate::sql::Arg> = ids.iter().map(|i| crate::sql::Arg::I64(*i)).collect();
    match db {
        Db::Sqlite { direct, .. } => direct.all(&sql, rusqlite::params_from_iter(&args)),
        Db::Postgres(p) => Ok(bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(&*sql)), args).fetch_all(p).await?),
    }
}
