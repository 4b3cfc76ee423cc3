//! Check-in and check-out. One row per person per activity, written with
//! `ON CONFLICT DO NOTHING` and `WHERE checked_out_at IS NULL`, so a retried
//! scan on a poor connection never counts twice.

use sqlx::FromRow;
use tongxing_domain::activities::{RosterLine, SignupStatus};

use crate::{Db, Result};

/// What a check-out request came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckOut {
    Done(i64),
    /// Checked out before (a retry): the time recorded then.
    Already(i64),
    NotCheckedIn,
    BeforeCheckIn,
}

/// A check-in to record: who, where, when, by whom, and whether they came
/// without a sign-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckIn {
    pub activity_id: i64,
    pub volunteer_id: i64,
    pub at: i64,
    pub by: Option<i64>,
    pub walk_up: bool,
}

/// One check-in on `$tx`, its statements run by `$on` (direct.rs); evaluates
/// to (the time recorded, whether it is new). A new check-in is one
/// statement; only a repeat reads the first one's time.
macro_rules! check_in_in {
    ($on:ident, $tx:expr, $c:expr) => {{
        let c: &CheckIn = $c;
        let inserted: Option<(i64,)> = $on!(optional $tx,
            "INSERT INTO attendance (activity_id, volunteer_id, checked_in_at, walk_up, in_by) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (activity_id, volunteer_id) DO NOTHING RETURNING checked_in_at",
            c.activity_id, c.volunteer_id, c.at, c.walk_up, c.by);
        match inserted {
            Some((at,)) => (at, true),
            None => {
                let (at,): (i64,) = $on!(one $tx,
                    "SELECT checked_in_at FROM attendance WHERE activity_id = $1 AND volunteer_id = $2", c.activity_id, c.volunteer_id);
                (at, false)
            }
        }
    }};
}

/// Records a check-in; a repeat returns the first one's time with `false`.
pub async fn check_in(db: &Db, c: &CheckIn) -> Result<(i64, bool)> {
    db_write!(db, |p| {
        let mut conn = p.acquire().await?;
        Ok(check_in_in!(in_sqlx, conn, c))
    })
}

/// Several check-ins in one transaction (group commit, as
/// `signups::sign_up_many`; on PostgreSQL two set-based statements,
/// group_pg.rs): all or nothing, answers in the order of `all`.
pub async fn check_in_many(db: &Db, all: Vec<CheckIn>) -> Result<Vec<(i64, bool)>> {
    match db {
        Db::Sqlite { direct, .. } => {
            let direct = direct.clone();
            crate::direct::blocking(move || direct.write(|tx| all.iter().map(|c| Ok(check_in_in!(in_direct, tx, c))).collect())).await
        }
        Db::Postgres(p) => {
            let mut tx = p.begin().await?;
            let outs = crate::activities::group_pg::check_ins(&mut tx, &all).await?;
            tx.commit().await?;
            Ok(outs)
        }
    }
}

pub async fn check_out(db: &Db, activity_id: i64, volunteer_id: i64, at: i64, by: Option<i64>) -> Result<CheckOut> {
    let update = "UPDATE attendance SET checked_out_at = $1, out_by = $2 \
                  WHERE activity_id = $3 AND volunteer_id = $4 AND checked_out_at IS NULL AND checked_in_at <= $1";
    let row = "SELECT checked_in_at, checked_out_at FROM attendance WHERE activity_id = $1 AND volunteer_id = $2";
    db_write!(db, |p| {
        if sqlx::query(update).bind(at).bind(by).bind(activity_id).bind(volunteer_id).execute(p).await?.rows_affected() == 1 {
            return Ok(CheckOut::Done(at));
        }
        let r: Option<(i64, Option<i64>)> = sqlx::query_as(row).bind(activity_id).bind(volunteer_id).fetch_optional(p).await?;
        Ok(match r {
            None => CheckOut::NotCheckedIn,
            Some((_, Some(out))) => CheckOut::Already(out),
            Some(_) => CheckOut::BeforeCheckIn,
        })
    })
}

/// Closes check-ins left open once their activity has ended, at the end,
/// and flags them for the leader. Returns how many were closed.
pub async fn close_open(db: &Db, now: i64) -> Result<u64> {
    let sql = "UPDATE attendance SET auto_closed = TRUE, checked_out_at = \
               (SELECT CASE WHEN a.ends_at > attendance.checked_in_at THEN a.ends_at ELSE attendance.checked_in_at END \
                FROM activities a WHERE a.id = attendance.activity_id) \
               WHERE checked_out_at IS NULL AND activity_id IN (SELECT id FROM activities WHERE ends_at <= $1)";
    db_write!(db, |p| Ok(sqlx::query(sql).bind(now).execute(p).await?.rows_affected()))
}

#[derive(FromRow)]
struct Line {
    volunteer_id: i64,
    name: String,
    status: Option<String>,
    role: Option<String>,
    checked_in_at: Option<i64>,
    checked_out_at: Option<i64>,
    walk_up: Option<bool>,
    auto_closed: Option<bool>,
}

/// Everyone signed up (not cancelled) or present, confirmed first.
pub async fn roster(db: &Db, activity_id: i64) -> Result<Vec<RosterLine>> {
    let sql = "SELECT v.id AS volunteer_id, v.name, s.status, r.name AS role, t.checked_in_at, t.checked_out_at, t.walk_up, t.auto_closed \
               FROM volunteers v \
               LEFT JOIN signups s ON s.activity_id = $1 AND s.volunteer_id = v.id AND s.status <> 'cancelled' \
               LEFT JOIN activity_roles r ON r.id = s.role_id \
               LEFT JOIN attendance t ON t.activity_id = $1 AND t.volunteer_id = v.id \
               WHERE v.id IN (SELECT volunteer_id FROM signups WHERE activity_id = $1 AND status <> 'cancelled' \
                              UNION SELECT volunteer_id FROM attendance WHERE activity_id = $1) \
               ORDER BY CASE s.status WHEN 'confirmed' THEN 0 WHEN 'waitlisted' THEN 2 ELSE 1 END, v.name, v.id";
    let rows: Vec<Line> = db_read!(db, |p| sqlx::query_as(sql).bind(activity_id).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|l| RosterLine {
            volunteer_id: l.volunteer_id,
            name: l.name,
            signup: l.status.as_deref().and_then(SignupStatus::parse),
            role: l.role,
            checked_in_at: l.checked_in_at,
            checked_out_at: l.checked_out_at,
            walk_up: l.walk_up.unwrap_or(false),
            auto_closed: l.auto_closed.unwrap_or(false),
        })
        .collect())
}

/// Check-ins per activity as counted in the database (the benchmarks count
/// lost or doubled ones with it).
pub async fn count(db: &Db, activity_id: i64) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM attendance WHERE activity_id = $1";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(activity_id).fetch_one(p).await?))
}

/// One person's check-in and check-out on an activity, for their QR page.
pub async fn of(db: &Db, activity_id: i64, volunteer_id: i64) -> Result<Option<(i64, Option<i64>)>> {
    let sql = "SELECT checked_in_at, checked_out_at FROM attendance WHERE activity_id = $1 AND volunteer_id = $2";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(activity_id).bind(volunteer_id).fetch_optional(p).await?))
}

/// The phones of everyone on an activity's roster (the caller masks them).
pub async fn roster_phones(db: &Db, activity_id: i64) -> Result<Vec<(i64, String)>> {
    let sql = "SELECT id, phone FROM volunteers WHERE id IN \
               (SELECT volunteer_id FROM signups WHERE activity_id = $1 AND status <> 'cancelled' \
                UNION SELECT volunteer_id FROM attendance WHERE activity_id = $1)";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(activity_id).fetch_all(p).await?))
}
