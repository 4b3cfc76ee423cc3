//! Absences (请假): a guardian, or the class's staff for them, says a child
//! will not come on a class day. One per child and day — a repeat is no
//! second row — and an absent child raises no late drop-off alert.

use crate::{now_ms, Db, Result};

/// An absence as the day sheet and the guardian's page read it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct AbsenceRow {
    pub enrolment_id: i64,
    pub day: String,
    pub reason: Option<String>,
    /// Whether the guardian reported it themselves (else a staff member recorded it).
    pub by_guardian: bool,
    pub recorded_at: i64,
}

/// Records the absence unless one is recorded for the child that day; true when new.
pub async fn report(db: &Db, enrolment_id: i64, class_id: i64, day: &str, reason: Option<&str>, by: Option<i64>) -> Result<bool> {
    let sql = "INSERT INTO childcare_absences (enrolment_id, class_id, day, reason, recorded_by, recorded_at) \
               VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (enrolment_id, day) DO NOTHING";
    db_write!(db, |p| Ok(sqlx::query(sql)
        .bind(enrolment_id)
        .bind(class_id)
        .bind(day)
        .bind(reason)
        .bind(by)
        .bind(now_ms())
        .execute(p)
        .await?
        .rows_affected()
        == 1))
}

/// The absences of a class day.
pub async fn of_day(db: &Db, class_id: i64, day: &str) -> Result<Vec<AbsenceRow>> {
    let sql = "SELECT enrolment_id, day, reason, recorded_by IS NULL AS by_guardian, recorded_at FROM childcare_absences \
               WHERE class_id = $1 AND day = $2 ORDER BY enrolment_id";
    fetch_all!(db, sql, class_id, day)
}

/// A child's absences from `from` on (the guardian's page lists what they reported).
pub async fn of_child(db: &Db, enrolment_id: i64, from: &str) -> Result<Vec<AbsenceRow>> {
    let sql = "SELECT enrolment_id, day, reason, recorded_by IS NULL AS by_guardian, recorded_at FROM childcare_absences \
               WHERE enrolment_id = $1 AND day >= $2 ORDER BY day";
    fetch_all!(db, sql, enrolment_id, from)
}
