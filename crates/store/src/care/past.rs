//! A year of care written at once for the demo: pairs in order (a handover's
//! new pair names the old one), their visits many rows per statement, and
//! the confirmed in-person visits' ledger entries, in one transaction.

use super::NewPair;
use crate::needs::past::{value_rows, MAX_BINDS};
use crate::{now_ms, Db, Result};

#[derive(Debug, Clone)]
pub struct PastVisit {
    pub visited_at: i64,
    pub minutes: i64,
    pub mode: &'static str,
    pub contact_made: bool,
    pub notes: Option<String>,
    pub concern: Option<String>,
    /// The region day and hours of a confirmed in-person visit's ledger entry.
    pub credit: Option<(String, f64)>,
}

#[derive(Debug, Clone)]
pub struct PastPair {
    pub pair: NewPair,
    pub status: &'static str,
    pub paused_day: Option<i64>,
    pub paused_until: Option<i64>,
    pub ended_at: Option<i64>,
    /// Index (in the same list) of the pair this one took over from.
    pub previous: Option<usize>,
    pub visits: Vec<PastVisit>,
}

const STATE: &str = "UPDATE care_pairs SET status = $1, paused_day = $2, paused_until = $3, pause_reason = $4, ended_at = $5 WHERE id = $6";

/// Writes the pairs and everything under them; `by` recorded and confirmed
/// the hours, `note` heads each ledger entry. Returns the pairs' ids.
pub async fn insert_past(db: &Db, pairs: &[PastPair], by: i64, note: &str, pause_reason: &str) -> Result<Vec<i64>> {
    let now = now_ms();
    let rebuild = crate::ledger::rebuild(db.backend());
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let mut ids: Vec<i64> = Vec::with_capacity(pairs.len());
        for x in pairs {
            let n = NewPair { previous_pair_id: x.previous.map(|i| ids[i]), ..x.pair.clone() };
            let id = insert_pair!(&mut *tx, &n, now);
            if x.status != "active" {
                let reason = x.paused_day.map(|_| pause_reason);
                let q = sqlx::query(STATE).bind(x.status).bind(x.paused_day).bind(x.paused_until).bind(reason).bind(x.ended_at).bind(id);
                q.execute(&mut *tx).await?;
            }
            ids.push(id);
        }
        let first: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM care_visits").fetch_one(&mut *tx).await?;
        let visits: Vec<(i64, usize, &PastVisit)> = pairs
            .iter()
            .enumerate()
            .flat_map(|(i, x)| x.visits.iter().map(move |v| (i, v)))
            .enumerate()
            .map(|(k, (i, v))| (first + k as i64, i, v))
            .collect();
        for chunk in visits.chunks(MAX_BINDS / 12) {
            let sql = format!(
                "INSERT INTO care_visits (id, pair_id, volunteer_id, visited_at, minutes, mode, contact_made, notes, concern, hours_status, \
                 recorded_by, created_at) VALUES {}",
                value_rows(db, 12, chunk.len(), "")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(&*sql)).persistent(false);
            for (id, i, v) in chunk {
                let status = match (&v.credit, tongxing_domain::care::counts_as_hours(v.mode)) {
                    (Some(_), _) => "confirmed",
                    (None, true) => "pending",
                    (None, false) => "none",
                };
                q = q
                    .bind(*id)
                    .bind(ids[*i])
                    .bind(pairs[*i].pair.volunteer_id)
                    .bind(v.visited_at)
                    .bind(v.minutes)
                    .bind(v.mode)
                    .bind(v.contact_made)
                    .bind(&v.notes)
                    .bind(&v.concern)
                    .bind(status)
                    .bind(by)
                    .bind(v.visited_at + v.minutes * 60_000);
            }
            q.execute(&mut *tx).await?;
        }
        let credits: Vec<&(i64, usize, &PastVisit)> = visits.iter().filter(|(_, _, v)| v.credit.is_some()).collect();
        for chunk in credits.chunks(MAX_BINDS / 11) {
            let sql = format!(
                "INSERT INTO hours_entries (volunteer_id, hours, served_on, started_at, ended_at, recorded_by, confirmed_by, note, created_at, \
                 care_visit_id, kind) VALUES {}",
                value_rows(db, 10, chunk.len(), ", 'manual'")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(&*sql)).persistent(false);
            for (id, i, v) in chunk {
                let (day, hours) = v.credit.clone().unwrap_or_default();
                let end = v.visited_at + v.minutes * 60_000;
                q = q.bind(pairs[*i].pair.volunteer_id).bind(hours).bind(day).bind(v.visited_at).bind(end).bind(by).bind(by).bind(note);
                q = q.bind(end + 86_400_000).bind(*id);
            }
            q.execute(&mut *tx).await?;
        }
        crate::ledger::rebuild_in!(tx, db, &rebuild);
        tx.commit().await?;
        Ok(ids)
    })
}

/// After explicit ids, PostgreSQL's sequence must move past them.
pub async fn fix_sequence(db: &Db) -> Result<()> {
    if let Db::Postgres(p) = db {
        sqlx::query(
            "SELECT setval(pg_get_serial_sequence('care_visits', 'id'), COALESCE((SELECT MAX(id) FROM care_visits), 0) + 1, false)",
        )
        .execute(p)
        .await?;
    }
    Ok(())
}

/// Visits with a concern not yet turned into a need, oldest first: (visit, pair).
pub async fn open_concerns(db: &Db, limit: i64) -> Result<Vec<(i64, i64)>> {
    let sql = "SELECT id, pair_id FROM care_visits WHERE concern IS NOT NULL AND need_id IS NULL ORDER BY id LIMIT $1";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(limit).fetch_all(p).await?))
}
