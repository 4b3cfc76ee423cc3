//! Beneficiaries (帮扶对象): the people the region's care is for.

use sqlx::FromRow;
use tongxing_domain::model::{Beneficiary, Paged};
use tongxing_domain::paging::Page;
use tongxing_domain::registry::BeneficiaryInput;

use crate::sql::{contains, paged, Arg, Where};
use crate::{now_ms, Db, Result};

#[derive(FromRow, serde::Deserialize)]
struct Row {
    id: i64,
    name: String,
    kind: String,
    community_id: i64,
    community_name: String,
    phone: Option<String>,
    address: Option<String>,
    notes: Option<String>,
    active: bool,
}

impl From<Row> for Beneficiary {
    fn from(r: Row) -> Self {
        Beneficiary {
            id: r.id,
            name: r.name,
            kind: r.kind,
            community_id: r.community_id,
            community_name: r.community_name,
            phone: r.phone,
            address: r.address,
            notes: r.notes,
            active: r.active,
        }
    }
}

const SELECT: &str = "SELECT b.id, b.name, b.kind, b.community_id, c.name AS community_name, b.phone, b.address, \
    b.notes, b.active FROM beneficiaries b JOIN communities c ON c.id = b.community_id";

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub community_id: Option<i64>,
    pub include_inactive: bool,
}

fn filter(f: &Filter) -> Where {
    let mut w = Where::default();
    if let Some(q) = &f.q {
        w.and("b.name LIKE ? ESCAPE '\\'", [contains(q)]);
    }
    if let Some(k) = &f.kind {
        w.and("b.kind = ?", [Arg::Text(k.clone())]);
    }
    if let Some(c) = f.community_id {
        w.and("b.community_id = ?", [Arg::I64(c)]);
    }
    if !f.include_inactive {
        w.and("b.active = TRUE", []);
    }
    w
}

pub async fn list(db: &Db, f: &Filter, page: Page) -> Result<Paged<Beneficiary>> {
    let (rows, total) = paged::<Row>(db, SELECT, "beneficiaries b", &filter(f), "b.id", page).await?;
    Ok(Paged { items: rows.into_iter().map(Beneficiary::from).collect(), total })
}

pub async fn get(db: &Db, id: i64) -> Result<Beneficiary> {
    let sql = format!("{SELECT} WHERE b.id = $1");
    db_read!(db, |p| Ok(sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(&*sql)).bind(id).fetch_one(p).await?.into()))
}

/// `phone` is the normalized number (or none); the input's own is ignored.
pub async fn create(db: &Db, b: &BeneficiaryInput, phone: Option<&str>) -> Result<i64> {
    let sql = "INSERT INTO beneficiaries (name, kind, community_id, phone, address, notes, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id";
    db_write!(db, |p| Ok(sqlx::query_scalar(sql)
        .bind(b.name.trim())
        .bind(&b.kind)
        .bind(b.community_id)
        .bind(phone)
        .bind(b.address.as_deref().filter(|s| !s.is_empty()))
        .bind(b.notes.as_deref().filter(|s| !s.is_empty()))
        .bind(now_ms())
        .fetch_one(p)
        .await?))
}

pub async fn update(db: &Db, id: i64, b: &BeneficiaryInput, phone: Option<&str>) -> Result<()> {
    let sql = "UPDATE beneficiaries SET name = $1, kind = $2, community_id = $3, phone = $4, address = $5, notes = $6, \
               updated_at = $7 WHERE id = $8";
    crate::expect_one(db_write!(db, |p| sqlx::query(sql)
        .bind(b.name.trim())
        .bind(&b.kind)
        .bind(b.community_id)
        .bind(phone)
        .bind(b.address.as_deref().filter(|s| !s.is_empty()))
        .bind(b.notes.as_deref().filter(|s| !s.is_empty()))
        .bind(now_ms())
        .bind(id)
        .execute(p)
        .await?
        .rows_affected()))
}

pub async fn set_active(db: &Db, id: i64, active: bool) -> Result<()> {
    crate::set_active(db, "beneficiaries", id, active).await
}
