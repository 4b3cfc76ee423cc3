//! Published honours: the honour roll by year and a volunteer's commendations.

use tongxing_domain::honours::view::Honour;

use crate::{Db, Result};

type Row = (i64, String, i64, Option<i64>, Option<i64>, String, String, String, String);

fn honour((round_id, round_title, year, volunteer_id, team_id, name, group_name, citation, code): Row) -> Honour {
    Honour { round_id, round_title, year, volunteer_id, team_id, name, group_name, citation, code }
}

const SELECT: &str = "SELECT a.round_id, r.title AS round_title, a.year, a.volunteer_id, a.team_id, COALESCE(v.name, t.name) AS name, \
    COALESCE(u.name, d.name) AS group_name, n.citation, a.code FROM honour_awards a JOIN honour_rounds r ON r.id = a.round_id \
    JOIN honour_nominations n ON n.id = a.nomination_id LEFT JOIN volunteers v ON v.id = a.volunteer_id \
    LEFT JOIN units u ON u.id = v.unit_id LEFT JOIN teams t ON t.id = a.team_id LEFT JOIN districts d ON d.id = t.district_id";

/// The roll of `year`, or of every year, newest first.
pub async fn roll(db: &Db, year: Option<i64>) -> Result<Vec<Honour>> {
    let sql = format!("{SELECT} WHERE ($1 IS NULL OR a.year = $1) ORDER BY a.year DESC, a.round_id DESC, a.id LIMIT 2000");
    let rows: Vec<Row> = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(year).fetch_all(p).await?);
    Ok(rows.into_iter().map(honour).collect())
}

pub async fn of_volunteer(db: &Db, volunteer_id: i64) -> Result<Vec<Honour>> {
    let sql = format!("{SELECT} WHERE a.volunteer_id = $1 ORDER BY a.year DESC, a.id DESC");
    let rows: Vec<Row> = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(volunteer_id).fetch_all(p).await?);
    Ok(rows.into_iter().map(honour).collect())
}

pub async fn by_code(db: &Db, code: &str) -> Result<Option<Honour>> {
    let sql = format!("{SELECT} WHERE a.code = $1");
    let row: Option<Row> = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(code).fetch_optional(p).await?);
    Ok(row.map(honour))
}
