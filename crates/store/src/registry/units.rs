//! Member units (单位): oilfield units, street offices, schools.

use sqlx::FromRow;
use tongxing_domain::model::{Paged, Unit};
use tongxing_domain::paging::Page;
use tongxing_domain::registry::UnitInput;

use crate::sql::{contains, paged, Arg, Where};
use crate::{now_ms, Db, Result};

#[derive(FromRow, serde::Deserialize)]
struct Row {
    id: i64,
    name: String,
    kind: String,
    webhook_url: Option<String>,
    active: bool,
    volunteer_count: i64,
}

impl From<Row> for Unit {
    fn from(r: Row) -> Self {
        Unit { id: r.id, name: r.name, kind: r.kind, webhook_url: r.webhook_url, active: r.active, volunteer_count: r.volunteer_count }
    }
}

const SELECT: &str = "SELECT u.id, u.name, u.kind, u.webhook_url, u.active, \
    (SELECT COUNT(*) FROM volunteers v WHERE v.unit_id = u.id AND v.active = TRUE) AS volunteer_count FROM units u";

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub include_inactive: bool,
    /// A liaison's view: only their own unit.
    pub only_id: Option<i64>,
}

fn filter(f: &Filter) -> Where {
    let mut w = Where::default();
    if let Some(q) = &f.q {
        w.and("u.name LIKE ? ESCAPE '\\'", [contains(q)]);
    }
    if let Some(k) = &f.kind {
        w.and("u.kind = ?", [Arg::Text(k.clone())]);
    }
    if let Some(id) = f.only_id {
        w.and("u.id = ?", [Arg::I64(id)]);
    }
    if !f.include_inactive {
        w.and("u.active = TRUE", []);
    }
    w
}

pub async fn list(db: &Db, f: &Filter, page: Page) -> Result<Paged<Unit>> {
    let (rows, total) = paged::<Row>(db, SELECT, "units u", &filter(f), "u.id", page).await?;
    Ok(Paged { items: rows.into_iter().map(Unit::from).collect(), total })
}

pub async fn get(db: &Db, id: i64) -> Result<Unit> {
    let sql = format!("{SELECT} WHERE u.id = $1");
    db_read!(db, |p| Ok(sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(&*sql)).bind(id).fetch_one(p).await?.into()))
}

pub async fn create(db: &Db, u: &UnitInput) -> Result<i64> {
    let sql = "INSERT INTO units (name, kind, webhook_url, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id";
    db_write!(db, |p| Ok(sqlx::query_scalar(sql)
        .bind(u.name.trim())
        .bind(&u.kind)
        .bind(u.webhook_url.as_deref().filter(|s| !s.is_empty()))
        .bind(now_ms())
        .fetch_one(p)
        .await?))
}

pub async fn update(db: &Db, id: i64, u: &UnitInput) -> Result<()> {
    let sql = "UPDATE units SET name = $1, kind = $2, webhook_url = $3, updated_at = $4 WHERE id = $5";
    crate::expect_one(db_write!(db, |p| sqlx::query(sql)
        .bind(u.name.trim())
        .bind(&u.kind)
        .bind(u.webhook_url.as_deref().filter(|s| !s.is_empty()))
        .bind(now_ms())
        .bind(id)
        .execute(p)
        .await?
        .rows_affected()))
}

pub async fn set_active(db: &Db, id: i64, active: bool) -> Result<()> {
    crate::set_active(db, "units", id, active).await
}

/// Active units by name, for reading rosters that name them.
pub async fn ids_by_name(db: &Db) -> Result<std::collections::HashMap<String, i64>> {
    let sql = "SELECT name, id FROM units WHERE active = TRUE";
    db_read!(db, |p| Ok(sqlx::query_as::<_, (String, i64)>(sql).fetch_all(p).await?.into_iter().collect()))
}

/// The group-robot URL of each unit that has one, without counting anyone:
/// what a message to several units' liaison channels needs.
pub async fn webhooks(db: &Db) -> Result<std::collections::HashMap<i64, String>> {
    let sql = "SELECT id, webhook_url FROM units WHERE webhook_url IS NOT NULL AND webhook_url <> ''";
    let rows: Vec<(i64, String)> = db_read!(db, |p| sqlx::query_as(sql).fetch_all(p).await?);
    Ok(rows.into_iter().collect())
}

/// Whether a unit exists (active or not), without counting its people.
pub async fn exists(db: &Db, id: i64) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM units WHERE id = $1";
    Ok(db_read!(db, |p| sqlx::query_scalar::<_, i64>(sql).bind(id).fetch_one(p).await?) == 1)
}
