//! Issued service certificates (志愿服务证明), each a snapshot of what it
//! certified, and the ledger facts a new one states.

use sqlx::FromRow;
use tongxing_domain::certificate::Certificate;
use tongxing_domain::time::region_date;

use crate::{Db, Result};

/// A certificate to store; the code is unique (a clash is `Error::Conflict`).
#[derive(Debug, Clone)]
pub struct NewCertificate {
    pub cert: Certificate,
    pub issued_by: Option<i64>,
    pub issued_at: i64,
}

#[derive(FromRow)]
struct Row {
    code: String,
    volunteer_id: i64,
    name: String,
    id_type: Option<String>,
    id_number_masked: Option<String>,
    volunteer_number: String,
    content: String,
    first_day: Option<String>,
    last_day: Option<String>,
    total_hours: f64,
    entries: i64,
    organisation: String,
    person_in_charge: String,
    handler: String,
    contact: String,
    issued_at: i64,
}

impl From<Row> for Certificate {
    fn from(r: Row) -> Certificate {
        Certificate {
            code: r.code,
            volunteer_id: r.volunteer_id,
            name: r.name,
            id_type: r.id_type,
            id_number_masked: r.id_number_masked,
            volunteer_number: r.volunteer_number,
            content: r.content,
            first_day: r.first_day,
            last_day: r.last_day,
            total_hours: r.total_hours,
            entries: r.entries,
            organisation: r.organisation,
            person_in_charge: r.person_in_charge,
            handler: r.handler,
            contact: r.contact,
            issued_on: region_date(r.issued_at).format("%Y-%m-%d").to_string(),
        }
    }
}

const SELECT: &str = "SELECT code, volunteer_id, name, id_type, id_number_masked, volunteer_number, content, first_day, last_day, \
    total_hours, entries, organisation, person_in_charge, handler, contact, issued_at FROM certificates";

pub async fn create(db: &Db, n: &NewCertificate) -> Result<i64> {
    let sql = "INSERT INTO certificates (code, volunteer_id, name, id_type, id_number_masked, volunteer_number, content, first_day, \
        last_day, total_hours, entries, organisation, person_in_charge, handler, contact, issued_by, issued_at) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id";
    let c = &n.cert;
    db_write!(db, |p| Ok(sqlx::query_scalar(sql)
        .bind(&c.code)
        .bind(c.volunteer_id)
        .bind(&c.name)
        .bind(&c.id_type)
        .bind(&c.id_number_masked)
        .bind(&c.volunteer_number)
        .bind(&c.content)
        .bind(&c.first_day)
        .bind(&c.last_day)
        .bind(c.total_hours)
        .bind(c.entries)
        .bind(&c.organisation)
        .bind(&c.person_in_charge)
        .bind(&c.handler)
        .bind(&c.contact)
        .bind(n.issued_by)
        .bind(n.issued_at)
        .fetch_one(p)
        .await?))
}

/// The certificate with this number, if any.
pub async fn by_code(db: &Db, code: &str) -> Result<Option<Certificate>> {
    let sql = format!("{SELECT} WHERE code = $1");
    let r: Option<Row> = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(code).fetch_optional(p).await?);
    Ok(r.map(Certificate::from))
}

/// A volunteer's most recently issued certificate.
pub async fn newest(db: &Db, volunteer_id: i64) -> Result<Option<Certificate>> {
    let sql = format!("{SELECT} WHERE volunteer_id = $1 ORDER BY id DESC LIMIT 1");
    let r: Option<Row> = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(volunteer_id).fetch_optional(p).await?);
    Ok(r.map(Certificate::from))
}

/// What a volunteer served, from the ledger: (title, entries), most served
/// first, and the first and last day served.
pub async fn service_facts(db: &Db, volunteer_id: i64, titles: i64) -> Result<(Vec<(String, i64)>, Option<String>, Option<String>)> {
    let what = "SELECT COALESCE(a.title, n.title) AS what, COUNT(*) AS times FROM hours_entries e \
        LEFT JOIN activities a ON a.id = e.activity_id LEFT JOIN needs n ON n.id = e.need_id \
        WHERE e.volunteer_id = $1 AND e.kind <> 'correction' AND COALESCE(a.title, n.title) IS NOT NULL \
        GROUP BY COALESCE(a.title, n.title) ORDER BY COUNT(*) DESC, COALESCE(a.title, n.title) LIMIT $2";
    let span = "SELECT MIN(served_on), MAX(served_on) FROM hours_entries WHERE volunteer_id = $1";
    db_read!(db, |p| {
        let list: Vec<(String, i64)> = sqlx::query_as(what).bind(volunteer_id).bind(titles).fetch_all(p).await?;
        let (first, last): (Option<String>, Option<String>) = sqlx::query_as(span).bind(volunteer_id).fetch_one(p).await?;
        Ok((list, first, last))
    })
}
