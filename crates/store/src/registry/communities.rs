//! Residential communities (小区/社区), each with a location.

use std::collections::HashMap;

use sqlx::FromRow;
use tongxing_domain::model::{Community, Paged};
use tongxing_domain::paging::Page;
use tongxing_domain::registry::CommunityInput;

use crate::sql::{contains, paged, Arg, Where};
use crate::{now_ms, Db, Result};

#[derive(FromRow, serde::Deserialize)]
struct Row {
    id: i64,
    name: String,
    district_id: i64,
    district_name: String,
    lat: f64,
    lng: f64,
    active: bool,
}

impl From<Row> for Community {
    fn from(r: Row) -> Self {
        Community {
            id: r.id,
            name: r.name,
            district_id: r.district_id,
            district_name: r.district_name,
            lat: r.lat,
            lng: r.lng,
            active: r.active,
        }
    }
}

const SELECT: &str = "SELECT c.id, c.name, c.district_id, d.name AS district_name, c.lat, c.lng, c.active \
    FROM communities c JOIN districts d ON d.id = c.district_id";

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub q: Option<String>,
    pub district_id: Option<i64>,
    pub include_inactive: bool,
}

fn filter(f: &Filter) -> Where {
    let mut w = Where::default();
    if let Some(q) = &f.q {
        w.and("c.name LIKE ? ESCAPE '\\'", [contains(q)]);
    }
    if let Some(d) = f.district_id {
        w.and("c.district_id = ?", [Arg::I64(d)]);
    }
    if !f.include_inactive {
        w.and("c.active = TRUE", []);
    }
    w
}

pub async fn list(db: &Db, f: &Filter, page: Page) -> Result<Paged<Community>> {
    let (rows, total) = paged::<Row>(db, SELECT, "communities c", &filter(f), "c.id", page).await?;
    Ok(Paged { items: rows.into_iter().map(Community::from).collect(), total })
}

pub async fn get(db: &Db, id: i64) -> Result<Community> {
    let sql = format!("{SELECT} WHERE c.id = $1");
    db_read!(db, |p| Ok(sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(&*sql)).bind(id).fetch_one(p).await?.into()))
}

/// Active communities by name, for reading rosters that name them.
pub async fn ids_by_name(db: &Db) -> Result<HashMap<String, i64>> {
    let sql = "SELECT name, id FROM communities WHERE active = TRUE ORDER BY id DESC";
    db_read!(db, |p| Ok(sqlx::query_as::<_, (String, i64)>(sql).fetch_all(p).await?.into_iter().collect()))
}

pub async fn create(db: &Db, c: &CommunityInput) -> Result<i64> {
    let sql = "INSERT INTO communities (name, district_id, lat, lng, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $5) RETURNING id";
    db_write!(db, |p| Ok(sqlx::query_scalar(sql)
        .bind(c.name.trim())
        .bind(c.district_id)
        .bind(c.lat)
        .bind(c.lng)
        .bind(now_ms())
        .fetch_one(p)
        .await?))
}

pub async fn update(db: &Db, id: i64, c: &CommunityInput) -> Result<()> {
    let sql = "UPDATE communities SET name = $1, district_id = $2, lat = $3, lng = $4, updated_at = $5 WHERE id = $6";
    crate::expect_one(db_write!(db, |p| sqlx::query(sql)
        .bind(c.name.trim())
        .bind(c.district_id)
        .bind(c.lat)
        .bind(c.lng)
        .bind(now_ms())
        .bind(id)
        .execute(p)
        .await?
        .rows_affected()))
}

pub async fn set_active(db: &Db, id: i64, active: bool) -> Result<()> {
    crate::set_active(db, "communities", id, active).await
}
