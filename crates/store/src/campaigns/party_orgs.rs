//! Party organisations (党组织) and the community each registered with (双进).

use sqlx::FromRow;
use tongxing_domain::campaigns::party_orgs::{CheckedPartyOrg, PartyOrg, PartyOrgInput};
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;

use crate::sql::{contains, paged, Arg, Where};
use crate::{now_ms, Db, Result};

#[derive(FromRow, serde::Deserialize)]
struct Row {
    id: i64,
    name: String,
    unit_id: Option<i64>,
    unit_name: Option<String>,
    community_id: i64,
    community_name: String,
    district_id: i64,
    district_name: String,
    secretary: Option<String>,
    contact_phone: Option<String>,
    active: bool,
    reported: i64,
}

impl From<Row> for PartyOrg {
    fn from(r: Row) -> Self {
        PartyOrg {
            id: r.id,
            name: r.name,
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            community_id: r.community_id,
            community_name: r.community_name,
            district_id: r.district_id,
            district_name: r.district_name,
            secretary: r.secretary,
            contact_phone: r.contact_phone,
            phone_masked: false,
            active: r.active,
            reported: r.reported,
        }
    }
}

const SELECT: &str = "SELECT o.id, o.name, o.unit_id, u.name AS unit_name, o.community_id, c.name AS community_name, \
    c.district_id, d.name AS district_name, o.secretary, o.contact_phone, o.active, \
    (SELECT COUNT(*) FROM report_ins r WHERE r.party_org_id = o.id AND r.ended_at IS NULL) AS reported \
    FROM party_orgs o JOIN communities c ON c.id = o.community_id JOIN districts d ON d.id = c.district_id \
    LEFT JOIN units u ON u.id = o.unit_id";
const FROM: &str = "party_orgs o JOIN communities c ON c.id = o.community_id";

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub q: Option<String>,
    pub district_id: Option<i64>,
    pub community_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub include_inactive: bool,
}

fn filter(f: &Filter) -> Where {
    let mut w = Where::default();
    if let Some(q) = &f.q {
        w.and("o.name LIKE ? ESCAPE '\\'", [contains(q)]);
    }
    for (col, v) in [("c.district_id", f.district_id), ("o.community_id", f.community_id), ("o.unit_id", f.unit_id)] {
        if let Some(v) = v {
            w.and(&format!("{col} = ?"), [Arg::I64(v)]);
        }
    }
    if !f.include_inactive {
        w.and("o.active = TRUE", []);
    }
    w
}

pub async fn list(db: &Db, f: &Filter, page: Page) -> Result<Paged<PartyOrg>> {
    let (rows, total) = paged::<Row>(db, SELECT, FROM, &filter(f), "o.id", page).await?;
    Ok(Paged { items: rows.into_iter().map(PartyOrg::from).collect(), total })
}

pub async fn get(db: &Db, id: i64) -> Result<PartyOrg> {
    let sql = format!("{SELECT} WHERE o.id = $1");
    db_read!(db, |p| Ok(sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(&*sql)).bind(id).fetch_one(p).await?.into()))
}

pub async fn create(db: &Db, i: &PartyOrgInput, c: &CheckedPartyOrg) -> Result<i64> {
    let sql = "INSERT INTO party_orgs (name, unit_id, community_id, secretary, contact_phone, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id";
    db_write!(db, |p| Ok(sqlx::query_scalar(sql)
        .bind(&c.name)
        .bind(i.unit_id)
        .bind(i.community_id)
        .bind(&c.secretary)
        .bind(&c.contact_phone)
        .bind(now_ms())
        .fetch_one(p)
        .await?))
}

/// Moving an organisation to another community leaves its members' reports
/// as they were: each names the community it was made to.
pub async fn update(db: &Db, id: i64, i: &PartyOrgInput, c: &CheckedPartyOrg) -> Result<()> {
    let sql = "UPDATE party_orgs SET name = $1, unit_id = $2, community_id = $3, secretary = $4, contact_phone = $5, \
               updated_at = $6 WHERE id = $7";
    crate::expect_one(db_write!(db, |p| sqlx::query(sql)
        .bind(&c.name)
        .bind(i.unit_id)
        .bind(i.community_id)
        .bind(&c.secretary)
        .bind(&c.contact_phone)
        .bind(now_ms())
        .bind(id)
        .execute(p)
        .await?
        .rows_affected()))
}

pub async fn set_active(db: &Db, id: i64, active: bool) -> Result<()> {
    crate::set_active(db, "party_orgs", id, active).await
}

/// Active organisations by name, for reading bulk report sheets that name them.
pub async fn ids_by_name(db: &Db) -> Result<std::collections::HashMap<String, (i64, i64)>> {
    let sql = "SELECT name, id, community_id FROM party_orgs WHERE active = TRUE";
    let rows: Vec<(String, i64, i64)> = db_read!(db, |p| sqlx::query_as(sql).fetch_all(p).await?);
    Ok(rows.into_iter().map(|(n, id, c)| (n, (id, c))).collect())
}
