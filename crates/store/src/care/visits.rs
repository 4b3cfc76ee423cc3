//! A pair's visits (探访): logged by the volunteer, never changed except to
//! confirm their hours into the ledger or link the need a concern became.

use tongxing_domain::care::Visit;
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;

use crate::ledger::{append_in, NewEntry};
use crate::sections::{read, rows};
use crate::sql::{paged, Arg, Where};
use crate::{now_ms, Db, Error, Result};

#[derive(sqlx::FromRow, serde::Deserialize)]
struct Row {
    id: i64,
    pair_id: i64,
    volunteer_id: i64,
    volunteer_name: String,
    visited_at: i64,
    minutes: i64,
    mode: String,
    contact_made: i64,
    notes: Option<String>,
    notes_hidden: i64,
    concern: Option<String>,
    need_id: Option<i64>,
    hours_status: String,
}

fn stored(r: Row) -> Visit {
    Visit {
        id: r.id,
        pair_id: r.pair_id,
        volunteer_id: r.volunteer_id,
        volunteer_name: r.volunteer_name,
        visited_at: r.visited_at,
        minutes: r.minutes,
        mode: r.mode,
        contact_made: r.contact_made != 0,
        notes: r.notes,
        notes_hidden: r.notes_hidden != 0,
        concern: r.concern,
        need_id: r.need_id,
        hours_status: r.hours_status,
    }
}

const SELECT: &str = "SELECT x.id, x.pair_id, x.volunteer_id, v.name AS volunteer_name, x.visited_at, x.minutes, x.mode, \
    CAST(CASE WHEN x.contact_made THEN 1 ELSE 0 END AS BIGINT) AS contact_made, x.notes, CAST(CASE WHEN x.notes_hidden THEN 1 ELSE 0 END AS BIGINT) AS notes_hidden, x.concern, x.need_id, \
    x.hours_status FROM care_visits x JOIN volunteers v ON v.id = x.volunteer_id";

/// The visits of every pair a beneficiary ever had, newest first: what a new
/// volunteer inherits with a handover.
pub async fn of_beneficiary(db: &Db, beneficiary_id: i64, limit: i64) -> Result<Vec<Visit>> {
    let sql = format!(
        "{SELECT} WHERE x.pair_id IN (SELECT id FROM care_pairs WHERE beneficiary_id = $1) ORDER BY x.visited_at DESC, x.id DESC LIMIT $2"
    );
    let found: Vec<Row> = rows(read(db, &[&sql], &[Arg::I64(beneficiary_id), Arg::I64(limit)]).await?.pop().unwrap_or_default())?;
    Ok(found.into_iter().map(stored).collect())
}

pub async fn get(db: &Db, id: i64) -> Result<Visit> {
    let sql = format!("{SELECT} WHERE x.id = $1");
    let mut found: Vec<Row> = rows(read(db, &[&sql], &[Arg::I64(id)]).await?.pop().unwrap_or_default())?;
    found.pop().map(stored).ok_or(Error::NotFound)
}

/// One visit to log, and what it does to its pair: the next due day (never
/// earlier than the stored one) and the level that day gives.
#[derive(Debug, Clone)]
pub struct NewVisit {
    pub pair_id: i64,
    pub volunteer_id: i64,
    pub visited_at: i64,
    pub minutes: i64,
    pub mode: &'static str,
    pub contact_made: bool,
    pub notes: Option<String>,
    pub concern: Option<String>,
    pub hours_status: &'static str,
    pub recorded_by: i64,
    pub due_day: Option<i64>,
    pub warning_level: i64,
}

/// Logs a visit and moves its pair's due day in one transaction; only an
/// open pair takes visits (`NotFound` otherwise).
pub async fn log(db: &Db, n: &NewVisit) -> Result<i64> {
    let insert = "INSERT INTO care_visits (pair_id, volunteer_id, visited_at, minutes, mode, contact_made, notes, concern, \
                  hours_status, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
    let due = "UPDATE care_pairs SET due_day = CASE WHEN due_day > $1 THEN due_day ELSE $1 END, warning_level = $2, \
               notified_level = CASE WHEN notified_level > $2 THEN $2 ELSE notified_level END, updated_at = $3 \
               WHERE id = $4 AND status = 'active'";
    let open = "SELECT COUNT(*) FROM care_pairs WHERE id = $1 AND status IN ('active', 'paused')";
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let n_open: i64 = sqlx::query_scalar(open).bind(n.pair_id).fetch_one(&mut *tx).await?;
        if n_open != 1 {
            return Err(Error::NotFound);
        }
        let id: i64 = sqlx::query_scalar(insert)
            .bind(n.pair_id)
            .bind(n.volunteer_id)
            .bind(n.visited_at)
            .bind(n.minutes)
            .bind(n.mode)
            .bind(n.contact_made)
            .bind(&n.notes)
            .bind(&n.concern)
            .bind(n.hours_status)
            .bind(n.recorded_by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
        if let Some(d) = n.due_day {
            sqlx::query(due).bind(d).bind(n.warning_level).bind(now).bind(n.pair_id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(id)
    })
}

/// A volunteer's in-person visits still waiting for confirmation that touch
/// `from`..`to` (ms): sessions the ledger does not hold yet, for its overlap rule.
pub async fn pending_sessions(db: &Db, volunteer_id: i64, from: i64, to: i64) -> Result<Vec<(i64, i64)>> {
    let sql = "SELECT visited_at, visited_at + minutes * 60000 FROM care_visits WHERE volunteer_id = $1 AND hours_status = 'pending' \
               AND visited_at < $3 AND visited_at + minutes * 60000 > $2";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(volunteer_id).bind(from).bind(to).fetch_all(p).await?))
}

#[derive(Debug, Default, Clone)]
pub struct PendingFilter {
    pub unit_id: Option<i64>,
    pub team_id: Option<i64>,
}

/// Visits whose hours wait for a leader's or liaison's confirmation, oldest first.
pub async fn pending(db: &Db, f: &PendingFilter, page: Page) -> Result<Paged<Visit>> {
    let mut w = Where::default();
    w.and("x.hours_status = 'pending'", []);
    if let Some(u) = f.unit_id {
        w.and("x.pair_id IN (SELECT id FROM care_pairs WHERE unit_id = ?)", [Arg::I64(u)]);
    }
    if let Some(t) = f.team_id {
        w.and("x.volunteer_id IN (SELECT volunteer_id FROM volunteer_teams WHERE team_id = ?)", [Arg::I64(t)]);
    }
    let (found, total): (Vec<Row>, i64) = paged(db, SELECT, "care_visits x", &w, "x.visited_at, x.id", page).await?;
    Ok(Paged { items: found.into_iter().map(stored).collect(), total })
}

/// Confirms a visit's hours into the ledger once: the conditional UPDATE
/// makes a second confirmation (another tab, a retry) a no-op returning false.
pub async fn confirm(db: &Db, visit_id: i64, entry: &NewEntry) -> Result<bool> {
    let mark = "UPDATE care_visits SET hours_status = 'confirmed' WHERE id = $1 AND hours_status = 'pending'";
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        if sqlx::query(mark).bind(visit_id).execute(&mut *tx).await?.rows_affected() != 1 {
            return Ok(false);
        }
        append_in!(tx, entry, now);
        tx.commit().await?;
        Ok(true)
    })
}

/// Links the need a visit's concern became, once.
pub async fn link_need(db: &Db, visit_id: i64, need_id: i64) -> Result<bool> {
    let sql = "UPDATE care_visits SET need_id = $1 WHERE id = $2 AND need_id IS NULL";
    Ok(db_write!(db, |p| sqlx::query(sql).bind(need_id).bind(visit_id).execute(p).await?.rows_affected()) == 1)
}

/// The coordinator hides (or shows again) a visit's personal notes from later volunteers.
pub async fn hide_notes(db: &Db, visit_id: i64, hidden: bool) -> Result<()> {
    let sql = "UPDATE care_visits SET notes_hidden = $1 WHERE id = $2";
    crate::expect_one(db_write!(db, |p| sqlx::query(sql).bind(hidden).bind(visit_id).execute(p).await?.rows_affected()))
}
