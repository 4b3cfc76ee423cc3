//! Published honours: the honour roll by year and a volunteer's commendations.

use sqlx::FromRow;

use crate::{Db, Result};

/// One honour as the roll and a volunteer's record show it.
#[derive(Debug, Clone, FromRow)]
pub struct Row {
    pub id: i64,
    pub round_id: i64,
    pub round_title: String,
    pub year: i64,
    pub volunteer_id: Option<i64>,
    pub team_id: Option<i64>,
    pub name: String,
    pub group_name: String,
    pub citation: String,
    pub code: String,
}

const SELECT: &str =
    "SELECT a.id, a.round_id, r.title AS round_title, a.year, a.volunteer_id, a.team_id, COALESCE(v.name, t.name) AS name, \
    COALESCE(u.name, d.name) AS group_name, n.citation, a.code FROM honour_awards a JOIN honour_rounds r ON r.id = a.round_id \
    JOIN honour_nominations n ON n.id = a.nomination_id LEFT JOIN volunteers v ON v.id = a.volunteer_id \
    LEFT JOIN units u ON u.id = v.unit_id LEFT JOIN teams t ON t.id = a.team_id LEFT JOIN districts d ON d.id = t.district_id";

/// The roll of `year`, or of every year, newest first.
pub async fn roll(db: &Db, year: Option<i64>) -> Result<Vec<Row>> {
    let sql = format!("{SELECT} WHERE ($1 IS NULL OR a.year = $1) ORDER BY a.year DESC, a.round_id DESC, a.id LIMIT 2000");
    db_read!(db, |p| Ok(sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(year).fetch_all(p).await?))
}

pub async fn of_volunteer(db: &Db, volunteer_id: i64) -> Result<Vec<Row>> {
    let sql = format!("{SELECT} WHERE a.volunteer_id = $1 ORDER BY a.year DESC, a.id DESC");
    db_read!(db, |p| Ok(sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(volunteer_id).fetch_all(p).await?))
}

pub async fn by_code(db: &Db, code: &str) -> Result<Option<Row>> {
    let sql = format!("{SELECT} WHERE a.code = $1");
    db_read!(db, |p| Ok(sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(code).fetch_optional(p).await?))
}
