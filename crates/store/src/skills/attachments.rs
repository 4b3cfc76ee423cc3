//! Files attached to the problem board: kept in the database (so they go
//! with dump/restore and the one backup), listed without their bytes.

use tongxing_domain::skills::views::ProblemAttachment;

use super::select;
use crate::sql::Arg;
use crate::{now_ms, Db, Error, Result};

/// A file to keep, already judged (`domain::skills::attachments`).
#[derive(Debug, Clone)]
pub struct NewAttachment<'a> {
    pub problem_id: i64,
    pub step: &'a str,
    pub file_name: &'a str,
    pub content_type: &'static str,
    pub bytes: &'a [u8],
    pub by: i64,
}

/// Keeps a file unless the problem holds `max` already (`Ok(None)`); 404
/// for a problem that does not exist. The problem's row is touched first, so
/// on PostgreSQL two uploads to one problem count one after the other (on
/// SQLite writes are one at a time anyway).
pub async fn insert(db: &Db, a: &NewAttachment<'_>, max: i64) -> Result<Option<i64>> {
    let now = now_ms();
    let size = i64::try_from(a.bytes.len()).unwrap_or(i64::MAX);
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let found = sqlx::query("UPDATE skill_problems SET updated_at = updated_at WHERE id = $1")
            .bind(a.problem_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if found != 1 {
            return Err(Error::NotFound);
        }
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO skill_problem_attachments (problem_id, step, file_name, content_type, size, bytes, uploaded_by, uploaded_at) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8 \
             WHERE (SELECT COUNT(*) FROM skill_problem_attachments WHERE problem_id = $1) < $9 RETURNING id",
        )
        .bind(a.problem_id)
        .bind(a.step)
        .bind(a.file_name)
        .bind(a.content_type)
        .bind(size)
        .bind(a.bytes)
        .bind(a.by)
        .bind(now)
        .bind(max)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok::<_, Error>(id)
    })
}

const LIST: &str = "SELECT a.id AS id, a.problem_id AS problem_id, a.step AS step, a.file_name AS file_name, \
    a.content_type AS content_type, a.size AS size, COALESCE(u.name, v.name) AS by_name, a.uploaded_by AS uploaded_by, \
    a.uploaded_at AS at FROM skill_problem_attachments a LEFT JOIN users u ON u.id = a.uploaded_by \
    LEFT JOIN volunteers v ON v.id = u.volunteer_id";

/// A problem's files, oldest first.
pub async fn of_problem(db: &Db, problem_id: i64) -> Result<Vec<ProblemAttachment>> {
    let sql = format!("{LIST} WHERE a.problem_id = $1 ORDER BY a.id");
    select(db, &sql, &[Arg::I64(problem_id)]).await
}

/// One file of a problem, without its bytes; 404 when the problem holds no such file.
pub async fn get(db: &Db, problem_id: i64, id: i64) -> Result<ProblemAttachment> {
    let sql = format!("{LIST} WHERE a.problem_id = $1 AND a.id = $2");
    select(db, &sql, &[Arg::I64(problem_id), Arg::I64(id)]).await?.pop().ok_or(Error::NotFound)
}

/// The bytes of one file of a problem.
pub async fn bytes(db: &Db, problem_id: i64, id: i64) -> Result<Vec<u8>> {
    let sql = "SELECT bytes FROM skill_problem_attachments WHERE problem_id = $1 AND id = $2";
    let found: Option<Vec<u8>> = db_read!(db, |p| sqlx::query_scalar(sql).bind(problem_id).bind(id).fetch_optional(p).await?);
    found.ok_or(Error::NotFound)
}

/// Removes one file of a problem; false when it was gone already.
pub async fn delete(db: &Db, problem_id: i64, id: i64) -> Result<bool> {
    let sql = "DELETE FROM skill_problem_attachments WHERE problem_id = $1 AND id = $2";
    let n = db_write!(db, |p| sqlx::query(sql).bind(problem_id).bind(id).execute(p).await?.rows_affected());
    Ok(n == 1)
}

/// Files kept for the demo's problems in one transaction, each with when it was uploaded.
pub async fn insert_many(db: &Db, rows: &[(NewAttachment<'_>, i64)]) -> Result<()> {
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        for (a, at) in rows {
            sqlx::query(
                "INSERT INTO skill_problem_attachments (problem_id, step, file_name, content_type, size, bytes, uploaded_by, uploaded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(a.problem_id)
            .bind(a.step)
            .bind(a.file_name)
            .bind(a.content_type)
            .bind(i64::try_from(a.bytes.len()).unwrap_or(i64::MAX))
            .bind(a.bytes)
            .bind(a.by)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok::<_, Error>(())
    })
}
