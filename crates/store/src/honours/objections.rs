//! Objections filed during a public notice, and their resolution.

use tongxing_domain::honours::view::Objection;

use crate::{now_ms, Db, Error, Result};

type Row = (i64, i64, String, String, Option<String>, Option<String>, String, Option<String>, i64);

/// An objection as stored, the objector's phone in full (the service masks it).
fn objection((id, nomination_id, nominee, reason, name, phone, status, finding, created_at): Row) -> Objection {
    Objection { id, nomination_id, nominee, reason, name, phone, status, finding, created_at }
}

pub struct New<'a> {
    pub round_id: i64,
    pub nomination_id: i64,
    pub reason: &'a str,
    pub name: Option<&'a str>,
    pub phone: Option<&'a str>,
}

const SELECT: &str = "SELECT o.id, o.nomination_id, COALESCE(v.name, t.name) AS nominee, o.reason, o.name, o.phone, \
    o.status, o.finding, o.created_at FROM honour_objections o JOIN honour_nominations n ON n.id = o.nomination_id \
    LEFT JOIN volunteers v ON v.id = n.volunteer_id LEFT JOIN teams t ON t.id = n.team_id";

pub async fn create(db: &Db, o: &New<'_>) -> Result<i64> {
    let sql = "INSERT INTO honour_objections (round_id, nomination_id, reason, name, phone, status, created_at) \
               VALUES ($1, $2, $3, $4, $5, 'open', $6) RETURNING id";
    db_write!(db, |p| Ok(sqlx::query_scalar(sql)
        .bind(o.round_id)
        .bind(o.nomination_id)
        .bind(o.reason)
        .bind(o.name)
        .bind(o.phone)
        .bind(now_ms())
        .fetch_one(p)
        .await?))
}

pub async fn get(db: &Db, id: i64) -> Result<Objection> {
    let sql = format!("{SELECT} WHERE o.id = $1");
    let row: Row = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(id).fetch_one(p).await?);
    Ok(objection(row))
}

pub async fn of_round(db: &Db, round_id: i64) -> Result<Vec<Objection>> {
    let sql = format!("{SELECT} WHERE o.round_id = $1 ORDER BY o.id");
    let rows: Vec<Row> = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(round_id).fetch_all(p).await?);
    Ok(rows.into_iter().map(objection).collect())
}

pub async fn open_count(db: &Db, round_id: i64) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM honour_objections WHERE round_id = $1 AND status = 'open'";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(round_id).fetch_one(p).await?))
}

/// Resolves an open objection; an upheld one removes its nominee, in the same
/// transaction. `Conflict` when it was already resolved.
pub async fn resolve(db: &Db, id: i64, upheld: bool, finding: &str, by: i64) -> Result<()> {
    let mark =
        "UPDATE honour_objections SET status = $1, finding = $2, resolved_by = $3, resolved_at = $4 WHERE id = $5 AND status = 'open'";
    let remove = "UPDATE honour_nominations SET status = 'removed' WHERE id = (SELECT nomination_id FROM honour_objections WHERE id = $1)";
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let status = if upheld { "upheld" } else { "not_upheld" };
        let q = sqlx::query(mark).bind(status).bind(finding).bind(by).bind(now_ms()).bind(id);
        if q.execute(&mut *tx).await?.rows_affected() != 1 {
            return Err(Error::Conflict);
        }
        if upheld {
            sqlx::query(remove).bind(id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    })
}
