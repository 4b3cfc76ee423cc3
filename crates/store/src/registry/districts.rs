//! Districts (片区).

use sqlx::FromRow;
use tongxing_domain::model::{District, Paged};
use tongxing_domain::paging::Page;

use crate::sql::{contains, paged, Where};
use crate::{now_ms, Db, Result};

#[derive(FromRow, serde::Deserialize)]
struct Row {
    id: i64,
    name: String,
    active: bool,
    community_count: i64,
    team_count: i64,
}

impl From<Row> for District {
    fn from(r: Row) -> Self {
        District { id: r.id, name: r.name, active: r.active, community_count: r.community_count, team_count: r.team_count }
    }
}

const SELECT: &str = "SELECT d.id, d.name, d.active, \
    (SELECT COUNT(*) FROM communities c WHERE c.district_id = d.id) AS community_count, \
    (SELECT COUNT(*) FROM teams t WHERE t.district_id = d.id) AS team_count FROM districts d";

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub q: Option<String>,
    pub include_inactive: bool,
}

fn filter(f: &Filter) -> Where {
    let mut w = Where::default();
    if let Some(q) = &f.q {
        w.and("d.name LIKE ? ESCAPE '\\'", [contains(q)]);
    }
    if !f.include_inactive {
        w.and("d.active = TRUE", []);
    }
    w
}

pub async fn list(db: &Db, f: &Filter, page: Page) -> Result<Paged<District>> {
    let (rows, total) = paged::<Row>(db, SELECT, "districts d", &filter(f), "d.id", page).await?;
    Ok(Paged { items: rows.into_iter().map(District::from).collect(), total })
}

pub async fn get(db: &Db, id: i64) -> Result<District> {
    let sql = format!("{SELECT} WHERE d.id = $1");
    db_read!(db, |p| Ok(sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(&*sql)).bind(id).fetch_one(p).await?.into()))
}

pub async fn create(db: &Db, name: &str) -> Result<i64> {
    let now = now_ms();
    db_write!(db, |p| Ok(sqlx::query_scalar("INSERT INTO districts (name, created_at, updated_at) VALUES ($1, $2, $2) RETURNING id")
        .bind(name)
        .bind(now)
        .fetch_one(p)
        .await?))
}

pub async fn update(db: &Db, id: i64, name: &str) -> Result<()> {
    let sql = "UPDATE districts SET name = $1, updated_at = $2 WHERE id = $3";
    crate::expect_one(db_write!(db, |p| sqlx::query(sql).bind(name).bind(now_ms()).bind(id).execute(p).await?.rows_affected()))
}

pub async fn set_active(db: &Db, id: i64, active: bool) -> Result<()> {
    crate::set_active(db, "districts", id, active).await
}
