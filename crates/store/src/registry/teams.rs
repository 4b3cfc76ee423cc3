//! Service teams (服务队), classified by service content and district.

use std::collections::HashMap;

use sqlx::FromRow;
use tongxing_domain::model::{Paged, Team};
use tongxing_domain::paging::Page;
use tongxing_domain::registry::TeamInput;

use crate::sql::{contains, paged, Arg, Where};
use crate::{now_ms, Db, Result};

#[derive(FromRow, serde::Deserialize)]
struct Row {
    id: i64,
    name: String,
    district_id: i64,
    district_name: String,
    category: String,
    unit_id: Option<i64>,
    unit_name: Option<String>,
    leader_volunteer_id: Option<i64>,
    leader_name: Option<String>,
    active: bool,
    member_count: i64,
}

impl From<Row> for Team {
    fn from(r: Row) -> Self {
        Team {
            id: r.id,
            name: r.name,
            district_id: r.district_id,
            district_name: r.district_name,
            category: r.category,
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            leader_volunteer_id: r.leader_volunteer_id,
            leader_name: r.leader_name,
            active: r.active,
            member_count: r.member_count,
        }
    }
}

const SELECT: &str = "SELECT t.id, t.name, t.district_id, d.name AS district_name, t.category, t.unit_id, \
    u.name AS unit_name, t.leader_volunteer_id, v.name AS leader_name, t.active, \
    (SELECT COUNT(*) FROM volunteer_teams vt WHERE vt.team_id = t.id) AS member_count \
    FROM teams t JOIN districts d ON d.id = t.district_id \
    LEFT JOIN units u ON u.id = t.unit_id LEFT JOIN volunteers v ON v.id = t.leader_volunteer_id";

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub q: Option<String>,
    pub district_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub category: Option<String>,
    pub include_inactive: bool,
}

fn filter(f: &Filter) -> Where {
    let mut w = Where::default();
    if let Some(q) = &f.q {
        w.and("t.name LIKE ? ESCAPE '\\'", [contains(q)]);
    }
    if let Some(d) = f.district_id {
        w.and("t.district_id = ?", [Arg::I64(d)]);
    }
    if let Some(u) = f.unit_id {
        w.and("t.unit_id = ?", [Arg::I64(u)]);
    }
    if let Some(c) = &f.category {
        w.and("t.category = ?", [Arg::Text(c.clone())]);
    }
    if !f.include_inactive {
        w.and("t.active = TRUE", []);
    }
    w
}

pub async fn list(db: &Db, f: &Filter, page: Page) -> Result<Paged<Team>> {
    let (rows, total) = paged::<Row>(db, SELECT, "teams t", &filter(f), "t.id", page).await?;
    Ok(Paged { items: rows.into_iter().map(Team::from).collect(), total })
}

pub async fn get(db: &Db, id: i64) -> Result<Team> {
    let sql = format!("{SELECT} WHERE t.id = $1");
    db_read!(db, |p| Ok(sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(&*sql)).bind(id).fetch_one(p).await?.into()))
}

/// Active teams by name, for reading rosters that name them.
pub async fn ids_by_name(db: &Db) -> Result<HashMap<String, i64>> {
    let sql = "SELECT name, id FROM teams WHERE active = TRUE";
    db_read!(db, |p| Ok(sqlx::query_as::<_, (String, i64)>(sql).fetch_all(p).await?.into_iter().collect()))
}

/// Every team's unit, for checking a writer's reach over many lines at once.
pub async fn units_by_id(db: &Db) -> Result<HashMap<i64, Option<i64>>> {
    let sql = "SELECT id, unit_id FROM teams";
    db_read!(db, |p| Ok(sqlx::query_as::<_, (i64, Option<i64>)>(sql).fetch_all(p).await?.into_iter().collect()))
}

/// How many of `ids` name existing teams.
pub async fn count_existing(db: &Db, ids: &[i64]) -> Result<i64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let sql = format!("SELECT COUNT(*) FROM teams WHERE id IN ({})", crate::sql::placeholders(1, ids.len()));
    db_read!(db, |p| {
        let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(&*sql));
        for id in ids {
            q = q.bind(*id);
        }
        Ok(q.fetch_one(p).await?)
    })
}

pub async fn create(db: &Db, t: &TeamInput) -> Result<i64> {
    let sql = "INSERT INTO teams (name, district_id, category, unit_id, leader_volunteer_id, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id";
    db_write!(db, |p| Ok(sqlx::query_scalar(sql)
        .bind(t.name.trim())
        .bind(t.district_id)
        .bind(&t.category)
        .bind(t.unit_id)
        .bind(t.leader_volunteer_id)
        .bind(now_ms())
        .fetch_one(p)
        .await?))
}

pub async fn update(db: &Db, id: i64, t: &TeamInput) -> Result<()> {
    let sql = "UPDATE teams SET name = $1, district_id = $2, category = $3, unit_id = $4, leader_volunteer_id = $5, \
               updated_at = $6 WHERE id = $7";
    crate::expect_one(db_write!(db, |p| sqlx::query(sql)
        .bind(t.name.trim())
        .bind(t.district_id)
        .bind(&t.category)
        .bind(t.unit_id)
        .bind(t.leader_volunteer_id)
        .bind(now_ms())
        .bind(id)
        .execute(p)
        .await?
        .rows_affected()))
}

pub async fn set_active(db: &Db, id: i64, active: bool) -> Result<()> {
    crate::set_active(db, "teams", id, active).await
}
